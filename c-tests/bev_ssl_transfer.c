/* OpenSSL bufferevents moving 4 MB each way at once, on each transport, with watermarks: the
 * writer refills below its low-water mark, the reader's input stays near its high-water mark
 * (OpenSSL may hand over the rest of a record beyond it); also with deferred callbacks and
 * locking (evthread_use_pthreads, BEV_OPT_THREADSAFE), under a rate limit, which counts the
 * bytes on the wire, and with a record held by OpenSSL while reading is paused.
 * needs: -lssl  check-preload */
#include "ssl_common.h"
#include <event2/thread.h>

#define TOTAL (4u << 20)
#define READ_HIGH 20000
#define WRITE_LOW 16384

struct peer {
	struct bufferevent *bev;
	size_t sent, got, max_input;
	int bad, connected;
	size_t to_send;
};

static unsigned char byte_at(size_t i) { return (unsigned char)(i * 7 + (i >> 13)); }

static void refill(struct peer *p)
{
	unsigned char buf[8192];
	struct evbuffer *out = bufferevent_get_output(p->bev);
	while (p->sent < p->to_send && evbuffer_get_length(out) < 65536) {
		size_t n = p->to_send - p->sent < sizeof buf ? p->to_send - p->sent : sizeof buf;
		for (size_t i = 0; i < n; i++)
			buf[i] = byte_at(p->sent + i);
		CHECK(bufferevent_write(p->bev, buf, n) == 0);
		p->sent += n;
	}
}

/* Checks and takes the whole input. Draining may run this callback again from inside (a
 * filter over a pair reads on when its input falls below the high-water mark, as in
 * libevent), so what was taken is counted before the drain. */
static void peer_read(struct bufferevent *bev, void *arg)
{
	struct peer *p = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len = evbuffer_get_length(in);
	const unsigned char *data = evbuffer_pullup(in, len);
	if (len > p->max_input)
		p->max_input = len;
	for (size_t i = 0; i < len && !p->bad; i++) {
		if (data[i] != byte_at(p->got + i)) {
			fprintf(stderr, "byte %zu differs\n", p->got + i);
			p->bad = 1;
		}
	}
	p->got += len;
	evbuffer_drain(in, len);
}

static void peer_write(struct bufferevent *bev, void *arg)
{
	(void)bev;
	refill(arg);
}

static void peer_event(struct bufferevent *bev, short what, void *arg)
{
	struct peer *p = arg;
	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		p->connected = 1;
		refill(p);
	} else {
		fprintf(stderr, "unexpected event 0x%x\n", what);
		p->bad = 2;
	}
}

/* Runs until both got everything; returns the seconds it took. */
static double exchange(struct event_base *base, struct peer P[2])
{
	double t0 = now_s();
	while ((P[0].got < P[1].to_send || P[1].got < P[0].to_send) && !P[0].bad && !P[1].bad) {
		CHECK(now_s() - t0 < 60);
		run_for(base, 5);
	}
	CHECK(!P[0].bad && !P[1].bad);
	CHECK(P[0].connected && P[1].connected);
	return now_s() - t0;
}

static void transfer(enum transport t, int options)
{
	struct event_base *base = event_base_new();
	SSL_CTX *sctx = server_ctx(NULL), *cctx = client_ctx(NULL);
	struct peer P[2];
	memset(P, 0, sizeof P);
	make_ends(base, t, sctx, cctx, options, &P[0].bev, &P[1].bev);
	for (int i = 0; i < 2; i++) {
		P[i].to_send = TOTAL;
		bufferevent_setcb(P[i].bev, peer_read, peer_write, peer_event, &P[i]);
		bufferevent_setwatermark(P[i].bev, EV_READ, 0, READ_HIGH);
		bufferevent_setwatermark(P[i].bev, EV_WRITE, WRITE_LOW, 0);
		bufferevent_enable(P[i].bev, EV_READ | EV_WRITE);
	}
	exchange(base, P);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(P[i].got, TOTAL);
		CHECK(P[i].max_input <= READ_HIGH + 16384);
		bufferevent_free(P[i].bev);
	}
	run_for(base, 10);
	event_base_free(base);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	printf("%s%s: ok\n", transport_name[t], options ? " (deferred, locked)" : "");
}

/* 64 KB from the client at 256 KB/s with a 16 KB burst: the records' overhead counts too. */
static void rate_limited(void)
{
	struct event_base *base = event_base_new();
	SSL_CTX *sctx = server_ctx(NULL), *cctx = client_ctx(NULL);
	struct peer P[2];
	memset(P, 0, sizeof P);
	make_ends(base, OVER_SOCKETPAIR, sctx, cctx, 0, &P[0].bev, &P[1].bev);
	P[1].to_send = 65536;
	P[0].to_send = 0;
	struct timeval tick = { 0, 50000 };
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(EV_RATE_LIMIT_MAX, EV_RATE_LIMIT_MAX, 12800, 16384, &tick);
	CHECK(bufferevent_set_rate_limit(P[1].bev, cfg) == 0);
	for (int i = 0; i < 2; i++) {
		bufferevent_setcb(P[i].bev, peer_read, peer_write, peer_event, &P[i]);
		bufferevent_enable(P[i].bev, EV_READ | EV_WRITE);
	}
	double secs = exchange(base, P);
	CHECK_EQ(P[0].got, 65536);
	/* (64 KB - 16 KB) at 256 KB/s: about 0.19 s at least. */
	CHECK(secs > 0.15);
	bufferevent_free(P[0].bev);
	bufferevent_free(P[1].bev);
	ev_token_bucket_cfg_free(cfg);
	event_base_free(base);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	puts("rate limit: ok");
}

/* One 16000-byte record to a client with a 1000-byte high-water mark: OpenSSL reads the whole
 * record, hands over a part, and holds the rest while reading is paused. Once the program
 * drains its input, event_rs reads what OpenSSL holds; libevent 2.1.12 waits for the socket to
 * be readable again, which it never is here (a deliberate difference). */
static void held_by_openssl(enum transport t)
{
	struct event_base *base = event_base_new();
	SSL_CTX *sctx = server_ctx(NULL), *cctx = client_ctx(NULL);
	struct bufferevent *sb, *cb;
	struct side S, C;
	make_ends(base, t, sctx, cctx, 0, &sb, &cb);
	side_init(&S, "server", sb);
	side_init(&C, "client", cb);
	bufferevent_enable(sb, EV_READ);
	bufferevent_enable(cb, EV_READ);
	bufferevent_setwatermark(cb, EV_READ, 0, 1000);
	run_until(base, &C.connected);
	run_until(base, &S.connected);
	char record[16000];
	memset(record, 'r', sizeof record);
	bufferevent_write(sb, record, sizeof record);
	run_for(base, 300);
	if (t == OVER_SOCKETPAIR && !on_event_rs())
		CHECK(C.got < sizeof record);
	else
		CHECK_EQ(C.got, sizeof record);
	bufferevent_free(sb);
	bufferevent_free(cb);
	event_base_free(base);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	printf("paused with a record held, %s: ok\n", transport_name[t]);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	for (int t = 0; t < N_TRANSPORTS; t++) {
		transfer(t, 0);
		held_by_openssl(t);
	}
	CHECK(evthread_use_pthreads() == 0);
	transfer(OVER_SOCKETPAIR, BEV_OPT_DEFER_CALLBACKS | BEV_OPT_THREADSAFE);
	transfer(FILTER_OVER_PAIR, BEV_OPT_DEFER_CALLBACKS | BEV_OPT_THREADSAFE);
	rate_limited();
	return 0;
}
