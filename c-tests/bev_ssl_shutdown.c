/* How an OpenSSL bufferevent hears the end of a connection:
 *  - clean: the peer's close_notify is BEV_EVENT_EOF|BEV_EVENT_READING, no OpenSSL error kept;
 *  - dirty (the transport ends without close_notify): BEV_EVENT_ERROR, with OpenSSL's error
 *    codes for bufferevent_get_openssl_error in socket mode; with allow_dirty_shutdown, an
 *    end of file instead.
 * One difference, deliberate: in socket mode with OpenSSL 3, libevent 2.1.12 reports a dirty
 * shutdown as an error even when it is allowed (OpenSSL 3 reports it differently than the
 * OpenSSL libevent 2.1 was written for); event_rs reports the documented end of file.
 * needs: -lssl  check-preload */
#include "ssl_common.h"

/* A connected, handshaken server and client. */
static void connected_ends(struct event_base *base, enum transport t, SSL_CTX *sctx, SSL_CTX *cctx,
    struct side *S, struct side *C)
{
	struct bufferevent *sb, *cb;
	make_ends(base, t, sctx, cctx, 0, &sb, &cb);
	side_init(S, "server", sb);
	side_init(C, "client", cb);
	bufferevent_enable(sb, EV_READ);
	bufferevent_enable(cb, EV_READ);
	run_until(base, &C->connected);
	run_until(base, &S->connected);
	bufferevent_write(sb, "data", 4);
	while (C->got < 4)
		run_for(base, 10);
}

/* The error codes kept, most recent first, after one the event callback may have taken. */
static int take_errors(struct side *c, unsigned long codes[4])
{
	int n = 0;
	if (c->ssl_err)
		codes[n++] = c->ssl_err;
	while ((codes[n] = bufferevent_get_openssl_error(c->bev)) != 0)
		CHECK(++n <= 3);
	return n;
}

static void clean(enum transport t, SSL_CTX *sctx, SSL_CTX *cctx)
{
	struct event_base *base = event_base_new();
	struct side S, C;
	connected_ends(base, t, sctx, cctx, &S, &C);
	CHECK(SSL_shutdown(bufferevent_openssl_get_ssl(S.bev)) >= 0);
	run_until(base, &C.eof);
	CHECK_EQ(C.last_what, BEV_EVENT_EOF | BEV_EVENT_READING);
	CHECK_EQ(C.error, 0);
	CHECK_EQ(bufferevent_get_openssl_error(C.bev), 0);
	bufferevent_free(S.bev);
	run_for(base, 50);
	if (t == FILTER_OVER_SOCKETS) {
		/* As libevent: after an error or end of file a filter leaves the bufferevent below
		 * reading, and the socket's end then comes as an (unallowed) dirty end. */
		CHECK_EQ(C.error, 1);
		CHECK_EQ(C.last_what, BEV_EVENT_ERROR);
	} else {
		CHECK_EQ(C.error, 0);
	}
	bufferevent_free(C.bev);
	event_base_free(base);
}

static void dirty(enum transport t, int allow, SSL_CTX *sctx, SSL_CTX *cctx)
{
	struct event_base *base = event_base_new();
	struct side S, C;
	unsigned long codes[4];
	connected_ends(base, t, sctx, cctx, &S, &C);
	bufferevent_openssl_set_allow_dirty_shutdown(C.bev, allow);
	/* Freeing sends no close_notify: the socket just closes. */
	bufferevent_free(S.bev);
	run_until_any(base, &C.error, &C.eof);
	if (t == OVER_SOCKETPAIR) {
		short expect = (allow && on_event_rs()) ? BEV_EVENT_EOF : BEV_EVENT_ERROR;
		CHECK_EQ(C.last_what, expect | BEV_EVENT_READING);
		/* OpenSSL's reason, then SSL_ERROR_SSL (from SSL_get_error). */
		CHECK_EQ(take_errors(&C, codes), 2);
		CHECK_EQ(codes[1], SSL_ERROR_SSL);
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
		CHECK_EQ(ERR_GET_REASON(codes[0]), SSL_R_UNEXPECTED_EOF_WHILE_READING);
#endif
	} else {
		/* The bufferevent below saw the end of file. */
		CHECK_EQ(C.last_what, allow ? BEV_EVENT_EOF : BEV_EVENT_ERROR);
		CHECK_EQ(take_errors(&C, codes), 0);
	}
	CHECK_EQ(C.error + C.eof, 1);
	bufferevent_free(C.bev);
	event_base_free(base);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	SSL_CTX *sctx = server_ctx(NULL), *cctx = client_ctx(NULL);
	for (int t = OVER_SOCKETPAIR; t <= FILTER_OVER_SOCKETS; t++) {
		clean(t, sctx, cctx);
		dirty(t, 0, sctx, cctx);
		dirty(t, 1, sctx, cctx);
		printf("%s: ok\n", transport_name[t]);
	}
	clean(FILTER_OVER_PAIR, sctx, cctx);
	printf("%s: ok\n", transport_name[FILTER_OVER_PAIR]);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	CHECK_EQ(ssls_freed, 14);
	return 0;
}
