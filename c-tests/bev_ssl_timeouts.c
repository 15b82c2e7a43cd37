/* Timeouts of OpenSSL bufferevents, as libevent 2.1 has them: in socket mode an idle read
 * reports BEV_EVENT_TIMEOUT|BEV_EVENT_READING every period and stays enabled, and a handshake
 * that stalls reports BEV_EVENT_TIMEOUT alone; in filter mode the read timer fires once and
 * disables reading, like a filter's.
 * needs: -lssl  check-preload */
#include "ssl_common.h"

static const struct timeval period = { 0, 100000 };

static void idle_read(enum transport t, SSL_CTX *sctx, SSL_CTX *cctx)
{
	struct event_base *base = event_base_new();
	struct bufferevent *sb, *cb;
	struct side S, C;
	make_ends(base, t, sctx, cctx, 0, &sb, &cb);
	side_init(&S, "server", sb);
	side_init(&C, "client", cb);
	bufferevent_enable(sb, EV_READ);
	bufferevent_enable(cb, EV_READ);
	run_until(base, &C.connected);
	run_until(base, &S.connected);
	CHECK_EQ(bufferevent_set_timeouts(cb, &period, &period), 0);
	run_for(base, 450);
	if (t == OVER_SOCKETPAIR) {
		CHECK(C.timeout >= 3);
		CHECK_EQ(bufferevent_get_enabled(cb), EV_READ | EV_WRITE);
	} else {
		CHECK_EQ(C.timeout, 1);
		CHECK_EQ(bufferevent_get_enabled(cb), EV_WRITE);
	}
	CHECK_EQ(C.last_what, BEV_EVENT_TIMEOUT | BEV_EVENT_READING);
	CHECK_EQ(C.error + C.eof, 0);

	/* Cleared: no more timeouts, and the connection still works. */
	int seen = C.timeout;
	CHECK_EQ(bufferevent_set_timeouts(cb, NULL, NULL), 0);
	bufferevent_enable(cb, EV_READ);
	run_for(base, 250);
	CHECK_EQ(C.timeout, seen);
	bufferevent_write(sb, "late", 4);
	while (C.got < 4)
		run_for(base, 10);
	bufferevent_free(sb);
	bufferevent_free(cb);
	event_base_free(base);
	printf("idle read, %s: ok\n", transport_name[t]);
}

/* A client whose peer never answers its hello. */
static void stalled_handshake(SSL_CTX *cctx)
{
	struct event_base *base = event_base_new();
	int sv[2];
	stream_pair(sv);
	struct bufferevent *cb = bufferevent_openssl_socket_new(base, sv[0], new_ssl(cctx), BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	struct side C;
	side_init(&C, "client", cb);
	CHECK_EQ(bufferevent_set_timeouts(cb, &period, &period), 0);
	run_for(base, 350);
	CHECK(C.timeout >= 2);
	CHECK_EQ(C.last_what, BEV_EVENT_TIMEOUT);
	CHECK_EQ(C.connected + C.error, 0);
	bufferevent_free(cb);
	close(sv[1]);
	event_base_free(base);
	puts("stalled handshake: ok");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	SSL_CTX *sctx = server_ctx(NULL), *cctx = client_ctx(NULL);
	for (int t = 0; t < N_TRANSPORTS; t++)
		idle_read(t, sctx, cctx);
	stalled_handshake(cctx);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	return 0;
}
