/* OpenSSL bufferevents, on each transport (socket mode over a socketpair, filter mode over
 * socket bufferevents and over a pair): the handshake reported as BEV_EVENT_CONNECTED on both
 * sides, data both ways, the accessors (SSL object, descriptor, underlying bufferevent, flush,
 * priority), a renegotiation request (which TLS 1.3 refuses), and a clean shutdown: the peer's
 * close_notify is BEV_EVENT_EOF with no OpenSSL error kept.
 * needs: -lssl  check-preload */
#include "ssl_common.h"
#include <ctype.h>

static void echo_read(struct bufferevent *bev, void *arg)
{
	struct side *s = arg;
	char buf[256];
	size_t n = bufferevent_read(bev, buf, sizeof buf);
	s->reads++;
	s->got += n;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)toupper((unsigned char)buf[i]);
	bufferevent_write(bev, buf, n);
}

static void one_transport(enum transport t, SSL_CTX *sctx, SSL_CTX *cctx)
{
	struct event_base *base = event_base_new();
	struct bufferevent *sb, *cb;
	struct side S, C;
	int freed_before = ssls_freed;

	make_ends(base, t, sctx, cctx, 0, &sb, &cb);
	side_init(&S, "server", sb);
	side_init(&C, "client", cb);
	C.data = evbuffer_new();
	bufferevent_setcb(sb, echo_read, NULL, side_event, &S);
	CHECK_EQ(bufferevent_get_enabled(sb), EV_WRITE);
	bufferevent_enable(sb, EV_READ);
	bufferevent_enable(cb, EV_READ);

	/* Written before the handshake: sent once it is done. */
	bufferevent_write(cb, "hello, tls", 10);
	run_until(base, &C.connected);
	run_until(base, &S.connected);
	CHECK_EQ(S.connected, 1);
	CHECK_EQ(C.connected, 1);
	CHECK_EQ(S.error + C.error + S.eof + C.eof, 0);
	while (evbuffer_get_length(C.data) < 10)
		run_for(base, 10);
	CHECK(memcmp(evbuffer_pullup(C.data, -1), "HELLO, TLS", 10) == 0);

	/* The accessors. */
	SSL *sssl = bufferevent_openssl_get_ssl(sb), *cssl = bufferevent_openssl_get_ssl(cb);
	CHECK(sssl && cssl && sssl != cssl);
	CHECK_EQ(SSL_is_server(sssl), 1);
	CHECK_EQ(SSL_is_server(cssl), 0);
	CHECK_EQ(SSL_is_init_finished(cssl), 1);
	CHECK_EQ(bufferevent_flush(cb, EV_WRITE, BEV_FINISHED), 0);
	CHECK_EQ(bufferevent_priority_set(cb, 0), 0);
	CHECK_EQ(bufferevent_openssl_get_allow_dirty_shutdown(cb), 0);
	bufferevent_openssl_set_allow_dirty_shutdown(cb, 7);
	CHECK_EQ(bufferevent_openssl_get_allow_dirty_shutdown(cb), 1);
	bufferevent_openssl_set_allow_dirty_shutdown(cb, 0);
	CHECK_EQ(bufferevent_get_openssl_error(cb), 0);
	struct bufferevent *under = bufferevent_get_underlying(cb);
	if (t == OVER_SOCKETPAIR) {
		CHECK(under == NULL);
		CHECK(bufferevent_getfd(cb) >= 0 && bufferevent_getfd(sb) >= 0);
		CHECK(bufferevent_getfd(cb) != bufferevent_getfd(sb));
		CHECK_EQ(bufferevent_base_set(base, cb), -1);
	} else {
		CHECK(under != NULL);
		CHECK_EQ(bufferevent_getfd(cb), bufferevent_getfd(under));
		if (t == FILTER_OVER_PAIR)
			CHECK_EQ(bufferevent_getfd(cb), -1);
	}

	/* TLS 1.3 has no renegotiation: OpenSSL refuses, and the "handshake" is over at once: in
	 * socket mode right away, in filter mode when the next record comes (until then what the
	 * client writes waits). Data flows on. */
	int r = bufferevent_ssl_renegotiate(cb);
	if (t == OVER_SOCKETPAIR) {
		CHECK_EQ(r, 1);
		CHECK_EQ(C.connected, 2);
	} else {
		CHECK_EQ(r, 0);
		CHECK_EQ(C.connected, 1);
	}
	ERR_clear_error();
	bufferevent_write(sb, "AGAIN", 5);
	while (evbuffer_get_length(C.data) < 15)
		run_for(base, 10);
	CHECK_EQ(C.connected, 2);
	bufferevent_write(cb, "more", 4);
	while (evbuffer_get_length(C.data) < 19)
		run_for(base, 10);
	CHECK(memcmp(evbuffer_pullup(C.data, -1) + 10, "AGAINMORE", 9) == 0);
	CHECK_EQ(C.error + C.eof + S.error + S.eof, 0);

	/* A clean shutdown: close_notify from the server is an end of file for the client. */
	CHECK(SSL_shutdown(sssl) >= 0);
	run_until(base, &C.eof);
	CHECK_EQ(C.last_what, BEV_EVENT_EOF | BEV_EVENT_READING);
	CHECK_EQ(C.error, 0);
	CHECK_EQ(bufferevent_get_openssl_error(cb), 0);

	bufferevent_free(sb);
	bufferevent_free(cb);
	run_for(base, 20);
	CHECK_EQ(ssls_freed - freed_before, 2);
	evbuffer_free(C.data);
	event_base_free(base);
	printf("%s: ok\n", transport_name[t]);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	SSL_CTX *sctx = server_ctx(NULL), *cctx = client_ctx(NULL);
	for (int t = 0; t < N_TRANSPORTS; t++)
		one_transport(t, sctx, cctx);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	return 0;
}
