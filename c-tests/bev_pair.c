/* Bufferevent pairs: data both ways, a large transfer bounded by the reader's high-water mark,
 * reading enabled late pulls what waits, partners, and what pairs refuse. */
#include "bev_common.h"

#define TOTAL (2 * 1024 * 1024)
#define HIGH 30000

struct end {
	struct bufferevent *bev;
	size_t sent, received, max_input;
	unsigned seed_out, seed_in;
	int done;
};

static unsigned char pat(unsigned seed, size_t i) { return (unsigned char)(i * seed + (i >> 10) + seed); }

static void refill(struct bufferevent *bev, void *arg)
{
	struct end *e = arg;
	unsigned char chunk[10000];
	if (e->sent >= TOTAL)
		return;
	size_t n = TOTAL - e->sent < sizeof(chunk) ? TOTAL - e->sent : sizeof(chunk);
	for (size_t i = 0; i < n; i++)
		chunk[i] = pat(e->seed_out, e->sent + i);
	CHECK_EQ(bufferevent_write(bev, chunk, n), 0);
	e->sent += n;
}

static void consume(struct bufferevent *bev, void *arg)
{
	struct end *e = arg;
	size_t len = evbuffer_get_length(bufferevent_get_input(bev));
	if (len > e->max_input)
		e->max_input = len;
	unsigned char buf[4096];
	size_t n;
	while ((n = bufferevent_read(bev, buf, sizeof(buf))) > 0) {
		for (size_t i = 0; i < n; i++)
			CHECK_EQ(buf[i], pat(e->seed_in, e->received + i));
		e->received += n;
	}
	if (e->received == TOTAL)
		e->done = 1;
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct bufferevent *pair[2];
	CHECK_EQ(bufferevent_pair_new(base, 0, pair), 0);
	CHECK(bufferevent_pair_get_partner(pair[0]) == pair[1]);
	CHECK(bufferevent_pair_get_partner(pair[1]) == pair[0]);
	CHECK_EQ(bufferevent_getfd(pair[0]), -1);
	CHECK_EQ(bufferevent_setfd(pair[0], 0), -1);
	CHECK_EQ(bufferevent_priority_set(pair[0], 0), -1);
	CHECK_EQ(bufferevent_base_set(base, pair[0]), -1);
	CHECK(bufferevent_get_base(pair[1]) == base);
	CHECK_EQ(bufferevent_get_enabled(pair[0]), EV_WRITE);

	/* Written before the other side reads: it waits, then moves when reading starts. */
	CHECK_EQ(bufferevent_write(pair[0], "early", 5), 0);
	event_base_loop(base, EVLOOP_NONBLOCK);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_output(pair[0])), 5);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_input(pair[1])), 0);
	bufferevent_enable(pair[1], EV_READ);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_input(pair[1])), 5);
	char buf[16];
	CHECK_EQ(bufferevent_read(pair[1], buf, sizeof(buf)), 5);
	CHECK(memcmp(buf, "early", 5) == 0);
	/* And the other way. */
	bufferevent_enable(pair[0], EV_READ);
	bufferevent_write(pair[1], "back", 4);
	CHECK_EQ(bufferevent_read(pair[0], buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "back", 4) == 0);
	/* Writing disabled: data stays in the output. */
	bufferevent_disable(pair[1], EV_WRITE);
	bufferevent_write(pair[1], "held", 4);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_input(pair[0])), 0);
	bufferevent_enable(pair[1], EV_WRITE);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_input(pair[0])), 4);
	evbuffer_drain(bufferevent_get_input(pair[0]), 4);

	/* A high-water mark on the reader bounds the transfer; draining pulls more. */
	bufferevent_setwatermark(pair[1], EV_READ, 0, 100);
	static char big[1000];
	bufferevent_write(pair[0], big, sizeof(big));
	CHECK_EQ(evbuffer_get_length(bufferevent_get_input(pair[1])), 100);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_output(pair[0])), 900);
	evbuffer_drain(bufferevent_get_input(pair[1]), 100);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_input(pair[1])), 100);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_output(pair[0])), 800);
	/* BEV_FLUSH ignores the mark. */
	CHECK_EQ(bufferevent_flush(pair[0], EV_WRITE, BEV_FLUSH), 0);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_input(pair[1])), 900);
	evbuffer_drain(bufferevent_get_input(pair[1]), 900);
	bufferevent_setwatermark(pair[1], EV_READ, 0, 0);
	event_base_loop(base, EVLOOP_NONBLOCK);

	/* Large transfers both ways at once, paced by the write callbacks. */
	struct end a = { pair[0], 0, 0, 0, 3, 5, 0 }, b = { pair[1], 0, 0, 0, 5, 3, 0 };
	bufferevent_setcb(pair[0], consume, refill, NULL, &a);
	bufferevent_setcb(pair[1], consume, refill, NULL, &b);
	bufferevent_setwatermark(pair[0], EV_READ, 0, HIGH);
	bufferevent_setwatermark(pair[1], EV_READ, 0, HIGH);
	bufferevent_setwatermark(pair[0], EV_WRITE, 20000, 0);
	bufferevent_setwatermark(pair[1], EV_WRITE, 20000, 0);
	refill(pair[0], &a);
	refill(pair[1], &b);
	double t0 = now_s();
	while (!(a.done && b.done)) {
		event_base_loop(base, EVLOOP_ONCE);
		CHECK(now_s() - t0 < 60);
	}
	CHECK(a.max_input <= HIGH);
	CHECK(b.max_input <= HIGH);

	/* Freeing one side leaves the other without a partner. */
	bufferevent_free(pair[1]);
	CHECK(bufferevent_pair_get_partner(pair[0]) == NULL);
	CHECK_EQ(bufferevent_flush(pair[0], EV_WRITE, BEV_FLUSH), -1);
	CHECK_EQ(bufferevent_write(pair[0], "lost", 4), 0);
	bufferevent_free(pair[0]);

	/* Not a pair: no partner. */
	struct bufferevent *s = bufferevent_socket_new(base, -1, 0);
	CHECK(bufferevent_pair_get_partner(s) == NULL);
	bufferevent_free(s);

	event_base_free(base);
	printf("bev_pair: ok\n");
	return 0;
}
