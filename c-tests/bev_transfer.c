/* Large transfers both ways at once over a socket pair, with watermarks: the read high-water
 * mark bounds the input buffer (reading stops when it is full and resumes once drained), the
 * read low-water mark holds back the read callback, the write low-water mark paces refills. */
#include "bev_common.h"

#define TOTAL (6 * 1024 * 1024)
#define CHUNK 65536
#define HIGH (48 * 1024)
#define LOW_READ 4096
#define LOW_WRITE (16 * 1024)

struct side {
	const char *name;
	struct bufferevent *bev;
	unsigned seed_out, seed_in;
	size_t sent, received;
	size_t max_seen_input;
	int reads_below_low;
	int done;
};

static unsigned char pattern(unsigned seed, size_t i)
{
	return (unsigned char)(i * seed + (i >> 12) * 31 + seed);
}

static void fill(struct side *s)
{
	static unsigned char chunk[CHUNK];
	size_t n = TOTAL - s->sent;
	if (n > CHUNK)
		n = CHUNK;
	for (size_t i = 0; i < n; i++)
		chunk[i] = pattern(s->seed_out, s->sent + i);
	CHECK_EQ(bufferevent_write(s->bev, chunk, n), 0);
	s->sent += n;
}

static void on_write(struct bufferevent *bev, void *arg)
{
	struct side *s = arg;
	/* Called when the output is at or below the low-water mark. */
	CHECK(evbuffer_get_length(bufferevent_get_output(bev)) <= LOW_WRITE);
	if (s->sent < TOTAL)
		fill(s);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct side *s = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len = evbuffer_get_length(in);
	if (len > s->max_seen_input)
		s->max_seen_input = len;
	if (len < LOW_READ)
		s->reads_below_low++;
	/* Take whole multiples of the low-water mark, so the tail is always a full one. */
	size_t want = len - len % LOW_READ;
	unsigned char buf[LOW_READ];
	size_t n;
	while (want > 0 && (n = bufferevent_read(bev, buf, sizeof(buf))) > 0) {
		want -= n;
		for (size_t i = 0; i < n; i++)
			if (buf[i] != pattern(s->seed_in, s->received + i)) {
				fprintf(stderr, "%s: byte %zu differs\n", s->name, s->received + i);
				exit(1);
			}
		s->received += n;
	}
	if (s->received == TOTAL)
		s->done = 1;
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	fprintf(stderr, "%s: unexpected event 0x%x errno %d\n", ((struct side *)arg)->name, what, errno);
	exit(1);
}

/* Takes one 100-byte message per call. */
static void one_message(struct bufferevent *bev, void *arg)
{
	char msg[100];
	if (evbuffer_get_length(bufferevent_get_input(bev)) >= sizeof(msg)) {
		CHECK_EQ(bufferevent_read(bev, msg, sizeof(msg)), sizeof(msg));
		((struct side *)arg)->done++;
	}
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	stream_pair(sv);
	int sz = 64 * 1024;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	struct side a = { "a", NULL, 7, 13, 0, 0, 0, 0, 0 }, b = { "b", NULL, 13, 7, 0, 0, 0, 0, 0 };
	a.bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	b.bev = bufferevent_socket_new(base, sv[1], BEV_OPT_CLOSE_ON_FREE);

	/* --- a full input stops reading; draining it resumes. (No read callback here: libevent
	 * calls one again and again while the input stays at the mark.) */
	struct side idle = { "idle", b.bev, 0, 0, 0, 0, 0, 0, 0 };
	bufferevent_setcb(b.bev, NULL, NULL, on_event, &idle);
	bufferevent_setwatermark(b.bev, EV_READ, 0, HIGH);
	size_t hw_low, hw_high;
	CHECK_EQ(bufferevent_getwatermark(b.bev, EV_READ, &hw_low, &hw_high), 0);
	CHECK_EQ(hw_high, HIGH);
	CHECK_EQ(bufferevent_getwatermark(b.bev, EV_READ | EV_WRITE, &hw_low, &hw_high), -1);
	bufferevent_enable(b.bev, EV_READ);
	static unsigned char big[4 * HIGH];
	memset(big, 'x', sizeof(big));
	bufferevent_write(a.bev, big, sizeof(big));
	while (evbuffer_get_length(bufferevent_get_input(b.bev)) < HIGH)
		run_for(base, 5);
	run_for(base, 100);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_input(b.bev)), HIGH);
	CHECK(evbuffer_get_length(bufferevent_get_output(a.bev)) > 0); /* the rest waits */
	/* Raising the mark resumes reading up to it. */
	bufferevent_setwatermark(b.bev, EV_READ, 0, 2 * HIGH);
	run_for(base, 100);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_input(b.bev)), 2 * HIGH);
	/* Draining from outside any callback resumes reading too, until everything arrived. */
	size_t total = 2 * HIGH;
	evbuffer_drain(bufferevent_get_input(b.bev), 2 * HIGH);
	while (total < sizeof(big)) {
		run_for(base, 5);
		size_t got = evbuffer_get_length(bufferevent_get_input(b.bev));
		CHECK(got <= 2 * HIGH);
		evbuffer_drain(bufferevent_get_input(b.bev), got);
		total += got;
	}
	CHECK_EQ(total, sizeof(big));

	/* --- a read callback that takes one message at a time is called again (deferred) while
	 * the input stays at or above the mark, even with no new data arriving; below the mark it
	 * waits for new data: 5000 bytes give 41 calls, leaving 900 bytes. */
	bufferevent_setcb(b.bev, one_message, NULL, on_event, &idle);
	bufferevent_setwatermark(b.bev, EV_READ, 0, 1000);
	idle.done = 0;
	bufferevent_write(a.bev, big, 5000);
	while (idle.done < 41)
		run_for(base, 5);
	run_for(base, 50);
	CHECK_EQ(idle.done, 41);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_input(b.bev)), 900);
	evbuffer_drain(bufferevent_get_input(b.bev), 900);
	/* No watermark: nothing holds reading back. */
	bufferevent_setwatermark(b.bev, EV_READ, 0, 0);
	CHECK_EQ(bufferevent_getwatermark(b.bev, EV_READ, &hw_low, &hw_high), 0);
	CHECK_EQ(hw_high, 0);

	/* --- both ways at once, with watermarks on both sides. */
	for (struct side *s = &a; s; s = (s == &a) ? &b : NULL) {
		bufferevent_setcb(s->bev, on_read, on_write, on_event, s);
		bufferevent_setwatermark(s->bev, EV_READ, LOW_READ, HIGH);
		bufferevent_setwatermark(s->bev, EV_WRITE, LOW_WRITE, 0);
		bufferevent_enable(s->bev, EV_READ | EV_WRITE);
		s->done = 0;
		fill(s);
	}
	double t0 = now_s();
	while (!(a.done && b.done)) {
		CHECK(event_base_loop(base, EVLOOP_ONCE) >= 0);
		CHECK(now_s() - t0 < 60);
	}
	CHECK_EQ(a.received, TOTAL);
	CHECK_EQ(b.received, TOTAL);
	CHECK(a.max_seen_input <= HIGH);
	CHECK(b.max_seen_input <= HIGH);
	/* The read callback only ran with at least the low-water mark buffered. */
	CHECK_EQ(a.reads_below_low, 0);
	CHECK_EQ(b.reads_below_low, 0);

	bufferevent_free(a.bev);
	bufferevent_free(b.bev);
	event_base_free(base);
	printf("bev_transfer: ok\n");
	return 0;
}
