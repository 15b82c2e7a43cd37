/* Filtering bufferevents: bytes transformed both ways (an XOR cipher) over a socket, a line
 * framing input filter that asks for more, filters over a pair moving a large amount with
 * watermarks, events passed up, flush modes, BEV_OPT_CLOSE_ON_FREE freeing the layer below
 * (exactly once), the context freed once. */
#include "bev_common.h"

static enum bufferevent_filter_result xor_filter(struct evbuffer *src, struct evbuffer *dst,
    ev_ssize_t limit, enum bufferevent_flush_mode mode, void *ctx)
{
	(void)mode;
	unsigned char key = *(unsigned char *)ctx;
	unsigned char buf[4096];
	size_t want = evbuffer_get_length(src);
	if (limit >= 0 && (size_t)limit < want)
		want = (size_t)limit;
	if (want == 0)
		return BEV_NEED_MORE;
	while (want > 0) {
		int n = evbuffer_remove(src, buf, want < sizeof(buf) ? want : sizeof(buf));
		if (n <= 0)
			return BEV_ERROR;
		for (int i = 0; i < n; i++)
			buf[i] ^= key;
		evbuffer_add(dst, buf, n);
		want -= n;
	}
	return BEV_OK;
}

/* Passes whole lines only; a partial line waits, unless flushing with BEV_FINISHED. */
static enum bufferevent_filter_result line_filter(struct evbuffer *src, struct evbuffer *dst,
    ev_ssize_t limit, enum bufferevent_flush_mode mode, void *ctx)
{
	(void)limit; (void)ctx;
	size_t len;
	char *line;
	int any = 0;
	while ((line = evbuffer_readln(src, &len, EVBUFFER_EOL_LF)) != NULL) {
		evbuffer_add(dst, "[", 1);
		evbuffer_add(dst, line, len);
		evbuffer_add(dst, "]", 1);
		free(line);
		any = 1;
	}
	if (mode == BEV_FINISHED && evbuffer_get_length(src) > 0) {
		evbuffer_add(dst, "<", 1);
		evbuffer_add_buffer(dst, src);
		evbuffer_add(dst, ">", 1);
		any = 1;
	}
	return any ? BEV_OK : BEV_NEED_MORE;
}

static int contexts_freed;
static void free_ctx(void *ctx) { (void)ctx; contexts_freed++; }

static char text[256];
static void take_text(struct bufferevent *bev, void *arg)
{
	size_t n = strlen(text);
	n += bufferevent_read(bev, text + n, sizeof(text) - 1 - n);
	text[n] = 0;
	*(int *)arg += 1;
}

#define TOTAL (1024 * 1024)
struct end { size_t sent, received; int done; unsigned char key; };
static unsigned char pat(size_t i) { return (unsigned char)(i * 13 + (i >> 9)); }
static void refill(struct bufferevent *bev, void *arg)
{
	struct end *e = arg;
	unsigned char chunk[8192];
	if (e->sent >= TOTAL)
		return;
	size_t n = TOTAL - e->sent < sizeof(chunk) ? TOTAL - e->sent : sizeof(chunk);
	for (size_t i = 0; i < n; i++)
		chunk[i] = pat(e->sent + i);
	/* A filter runs its write callback from inside bufferevent_write: count first. */
	e->sent += n;
	bufferevent_write(bev, chunk, n);
}
static void consume(struct bufferevent *bev, void *arg)
{
	struct end *e = arg;
	unsigned char buf[4096];
	size_t n;
	while ((n = bufferevent_read(bev, buf, sizeof(buf))) > 0) {
		for (size_t i = 0; i < n; i++)
			if (buf[i] != pat(e->received + i)) {
				fprintf(stderr, "byte %zu of %s: %d, expected %d\n", e->received + i, e->key ? "b" : "a", buf[i], pat(e->received + i));
				exit(1);
			}
		e->received += n;
	}
	if (e->received == TOTAL)
		e->done = 1;
}

int main(void)
{
	struct event_base *base = event_base_new();
	unsigned char key = 0x5a;

	/* --- XOR both ways over a socket; the raw peer sees cipher text. */
	CHECK(bufferevent_filter_new(NULL, xor_filter, xor_filter, 0, NULL, &key) == NULL);
	int sv[2];
	stream_pair(sv);
	struct bufferevent *under = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *f = bufferevent_filter_new(under, xor_filter, xor_filter, BEV_OPT_CLOSE_ON_FREE, free_ctx, &key);
	CHECK(f != NULL);
	CHECK(bufferevent_get_underlying(f) == under);
	CHECK_EQ(bufferevent_getfd(f), sv[0]);
	CHECK(bufferevent_get_base(f) == base);
	CHECK_EQ(bufferevent_get_enabled(f), EV_WRITE);
	int reads = 0;
	struct seen fs = {0};
	bufferevent_setcb(f, take_text, NULL, seen_event, &reads);
	bufferevent_write(f, "secret", 6);
	char raw[64];
	ssize_t n = -1;
	for (int i = 0; i < 200 && n < 6; i++) {
		run_for(base, 2);
		n = read(sv[1], raw, sizeof(raw));
	}
	CHECK_EQ(n, 6);
	for (int i = 0; i < 6; i++)
		CHECK_EQ((unsigned char)raw[i], (unsigned char)("secret"[i] ^ key));
	/* The filter does not read until it is enabled for reading. */
	for (int i = 0; i < 5; i++)
		raw[i] = "hello"[i] ^ key;
	CHECK(write(sv[1], raw, 5) == 5);
	run_for(base, 30);
	CHECK_EQ(reads, 0);
	bufferevent_enable(f, EV_READ);
	run_until(base, &reads);
	CHECK(strcmp(text, "hello") == 0);
	/* The underlying end of stream reaches the filter's event callback. */
	bufferevent_setcb(f, take_text, NULL, seen_event, &fs);
	shutdown(sv[1], SHUT_WR);
	run_until(base, &fs.events);
	CHECK_EQ(fs.last_what, BEV_EVENT_EOF | BEV_EVENT_READING);
	/* Freeing the filter frees the socket bufferevent under it, closing the socket once. */
	bufferevent_free(f);
	run_for(base, 10);
	CHECK_EQ(contexts_freed, 1);
	CHECK(!fd_is_open(sv[0]));
	close(sv[1]);

	/* --- without CLOSE_ON_FREE the layer below stays the program's, without our callbacks. */
	stream_pair(sv);
	under = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	f = bufferevent_filter_new(under, NULL, NULL, 0, free_ctx, NULL);
	bufferevent_free(f);
	run_for(base, 10);
	CHECK_EQ(contexts_freed, 2);
	bufferevent_data_cb rcb = (bufferevent_data_cb)1;
	bufferevent_getcb(under, &rcb, NULL, NULL, NULL);
	CHECK(rcb == NULL);
	CHECK(fd_is_open(sv[0]));
	struct seen us = {0};
	bufferevent_setcb(under, seen_read, NULL, NULL, &us);
	bufferevent_enable(under, EV_READ);
	CHECK(write(sv[1], "z", 1) == 1);
	run_until(base, &us.reads);
	bufferevent_free(under);
	run_for(base, 10);
	CHECK(!fd_is_open(sv[0]));
	close(sv[1]);

	/* --- a framing input filter: partial lines wait; BEV_FINISHED flushes the rest. */
	struct bufferevent *pair[2];
	CHECK_EQ(bufferevent_pair_new(base, 0, pair), 0);
	f = bufferevent_filter_new(pair[1], line_filter, NULL, 0, NULL, NULL);
	reads = 0;
	text[0] = 0;
	bufferevent_setcb(f, take_text, NULL, NULL, &reads);
	bufferevent_enable(f, EV_READ);
	bufferevent_write(pair[0], "one\ntw", 6);
	run_until(base, &reads);
	CHECK(strcmp(text, "[one]") == 0);
	bufferevent_write(pair[0], "o\nthr", 5);
	reads = 0;
	run_until(base, &reads);
	CHECK(strcmp(text, "[one][two]") == 0);
	run_for(base, 10);
	CHECK_EQ(bufferevent_flush(f, EV_READ, BEV_FINISHED), 1);
	/* The flush fills the input; it calls no read callback. */
	CHECK(strcmp(text, "[one][two]") == 0);
	take_text(f, &reads);
	CHECK(strcmp(text, "[one][two]<thr>") == 0);
	bufferevent_free(f);
	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);

	/* --- ciphers on both ends of a pair; a large transfer each way with watermarks. */
	CHECK_EQ(bufferevent_pair_new(base, 0, pair), 0);
	struct bufferevent *fa = bufferevent_filter_new(pair[0], xor_filter, xor_filter, BEV_OPT_CLOSE_ON_FREE, NULL, &key);
	struct bufferevent *fb = bufferevent_filter_new(pair[1], xor_filter, xor_filter, BEV_OPT_CLOSE_ON_FREE, NULL, &key);
	struct end ea = {0}, eb = {0};
	eb.key = 1;
	bufferevent_setcb(fa, consume, refill, NULL, &ea);
	bufferevent_setcb(fb, consume, refill, NULL, &eb);
	/* The marks go on the pair: libevent's filters leave data below them when their own read
	 * mark stops them and nothing new arrives. */
	bufferevent_setwatermark(pair[0], EV_READ, 0, 20000);
	bufferevent_setwatermark(pair[1], EV_READ, 0, 20000);
	bufferevent_setwatermark(pair[0], EV_WRITE, 0, 30000);
	bufferevent_setwatermark(pair[1], EV_WRITE, 0, 30000);
	bufferevent_enable(fa, EV_READ | EV_WRITE);
	bufferevent_enable(fb, EV_READ | EV_WRITE);
	refill(fa, &ea);
	refill(fb, &eb);
	double t0 = now_s();
	while (!(ea.done && eb.done)) {
		event_base_loop(base, EVLOOP_ONCE);
		if (now_s() - t0 > 60) {
			fprintf(stderr, "a sent %zu recv %zu; b sent %zu recv %zu\n", ea.sent, ea.received, eb.sent, eb.received);
			fprintf(stderr, "fa in %zu out %zu; p0 in %zu out %zu; p1 in %zu out %zu; fb in %zu out %zu\n",
			    evbuffer_get_length(bufferevent_get_input(fa)), evbuffer_get_length(bufferevent_get_output(fa)),
			    evbuffer_get_length(bufferevent_get_input(pair[0])), evbuffer_get_length(bufferevent_get_output(pair[0])),
			    evbuffer_get_length(bufferevent_get_input(pair[1])), evbuffer_get_length(bufferevent_get_output(pair[1])),
			    evbuffer_get_length(bufferevent_get_input(fb)), evbuffer_get_length(bufferevent_get_output(fb)));
			exit(1);
		}
	}
	bufferevent_free(fa);
	bufferevent_free(fb);
	run_for(base, 10);

	event_base_free(base);
	printf("bev_filter: ok\n");
	return 0;
}
