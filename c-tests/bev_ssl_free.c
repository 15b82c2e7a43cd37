/* Freeing OpenSSL bufferevents: from their own callbacks (on CONNECTED, while reading, on an
 * error), with deferred callbacks or not; BEV_OPT_CLOSE_ON_FREE frees the SSL object exactly
 * once and closes the socket (socket mode) or frees the underlying bufferevent (filter mode);
 * without it the SSL object, the socket and the underlying bufferevent stay the program's, the
 * underlying one with its callbacks taken away.
 * needs: -lssl  check-preload */
#include "ssl_common.h"

static void free_on_connected(struct bufferevent *bev, short what, void *arg)
{
	side_event(bev, what, arg);
	if (what & BEV_EVENT_CONNECTED)
		bufferevent_free(bev);
}

static void free_on_read(struct bufferevent *bev, void *arg)
{
	side_read(bev, arg);
	bufferevent_free(bev);
}

static void free_on_error(struct bufferevent *bev, short what, void *arg)
{
	side_event(bev, what, arg);
	if (what & (BEV_EVENT_ERROR | BEV_EVENT_EOF))
		bufferevent_free(bev);
}

static void write_on_connected(struct bufferevent *bev, short what, void *arg)
{
	if (what & BEV_EVENT_CONNECTED)
		bufferevent_write(bev, "data", 4);
	free_on_error(bev, what, arg);
}

/* The client frees itself when connected, or when it reads what the server sends once
 * connected; either way the server then hears the connection end and frees itself. */
static void from_callbacks(enum transport t, int options, int on_read, SSL_CTX *sctx, SSL_CTX *cctx)
{
	struct event_base *base = event_base_new();
	struct bufferevent *sb, *cb;
	struct side S, C;
	int freed = ssls_freed;
	make_ends(base, t, sctx, cctx, options, &sb, &cb);
	side_init(&S, "server", sb);
	side_init(&C, "client", cb);
	int cfd = bufferevent_getfd(cb);
	if (on_read)
		bufferevent_setcb(cb, free_on_read, NULL, side_event, &C);
	else
		bufferevent_setcb(cb, NULL, NULL, free_on_connected, &C);
	bufferevent_setcb(sb, NULL, NULL, write_on_connected, &S);
	bufferevent_enable(sb, EV_READ);
	bufferevent_enable(cb, EV_READ);
	run_until(base, &C.connected);
	if (on_read)
		run_until(base, &C.reads);
	if (t != FILTER_OVER_PAIR)
		run_until_any(base, &S.error, &S.eof);
	run_for(base, 20);
	CHECK_EQ(C.connected, 1);
	CHECK_EQ(C.reads, on_read);
	if (t == FILTER_OVER_PAIR) {
		/* A pair has no end of file to tell the server about. */
		CHECK_EQ(ssls_freed - freed, 1);
		bufferevent_free(sb);
		run_for(base, 20);
	} else {
		CHECK(!fd_is_open(cfd));
	}
	CHECK_EQ(ssls_freed - freed, 2);
	event_base_free(base);
}

/* An error event that frees. */
static void on_error(SSL_CTX *sctx)
{
	struct event_base *base = event_base_new();
	int sv[2];
	stream_pair(sv);
	struct bufferevent *sb = bufferevent_openssl_socket_new(base, sv[0], new_ssl(sctx), BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	struct side S;
	int freed = ssls_freed;
	side_init(&S, "server", sb);
	bufferevent_setcb(sb, NULL, NULL, free_on_error, &S);
	CHECK(write(sv[1], "not a client hello", 18) == 18);
	run_until(base, &S.error);
	run_for(base, 20);
	CHECK_EQ(ssls_freed - freed, 1);
	CHECK(!fd_is_open(sv[0]));
	close(sv[1]);
	event_base_free(base);
}

static int under_event_seen;
static void under_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev; (void)what; (void)arg;
	under_event_seen++;
}

/* Without BEV_OPT_CLOSE_ON_FREE everything below stays, and works. */
static void kept(SSL_CTX *sctx, SSL_CTX *cctx)
{
	struct event_base *base = event_base_new();
	int sv[2];
	stream_pair(sv);
	int freed = ssls_freed;

	SSL *ssl = new_ssl(cctx);
	struct bufferevent *b = bufferevent_openssl_socket_new(base, sv[0], ssl, BUFFEREVENT_SSL_CONNECTING, 0);
	run_for(base, 20);
	bufferevent_free(b);
	run_for(base, 20);
	CHECK_EQ(ssls_freed, freed);
	CHECK(fd_is_open(sv[0]));
	SSL_free(ssl);

	struct bufferevent *u = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	ssl = new_ssl(sctx);
	b = bufferevent_openssl_filter_new(base, u, ssl, BUFFEREVENT_SSL_ACCEPTING, 0);
	bufferevent_data_cb rcb = NULL;
	bufferevent_event_cb ecb = NULL;
	bufferevent_getcb(u, &rcb, NULL, &ecb, NULL);
	CHECK(rcb != NULL && ecb != NULL);
	bufferevent_free(b);
	run_for(base, 20);
	CHECK_EQ(ssls_freed, freed + 1);
	bufferevent_getcb(u, &rcb, NULL, &ecb, NULL);
	CHECK(rcb == NULL && ecb == NULL);
	/* The bufferevent below reads again for its program. */
	bufferevent_setcb(u, NULL, NULL, under_event, NULL);
	bufferevent_enable(u, EV_READ);
	CHECK(write(sv[1], "plain", 5) == 5);
	while (evbuffer_get_length(bufferevent_get_input(u)) < 5)
		run_for(base, 10);
	SSL_free(ssl);
	CHECK_EQ(ssls_freed, freed + 2);
	bufferevent_free(u);
	CHECK_EQ(under_event_seen, 0);
	close(sv[1]);
	event_base_free(base);
}

/* A filter with BEV_OPT_CLOSE_ON_FREE over a filter of ours: the layer below goes, once. */
static int contexts_freed;
static void count_context(void *ctx)
{
	(void)ctx;
	contexts_freed++;
}

static enum bufferevent_filter_result pass(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t lim,
    enum bufferevent_flush_mode mode, void *ctx)
{
	(void)lim; (void)mode; (void)ctx;
	evbuffer_add_buffer(dst, src);
	return BEV_OK;
}

static void close_on_free_below(SSL_CTX *cctx)
{
	struct event_base *base = event_base_new();
	int sv[2];
	stream_pair(sv);
	int freed = ssls_freed;
	struct bufferevent *s = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *f = bufferevent_filter_new(s, pass, pass, BEV_OPT_CLOSE_ON_FREE, count_context, NULL);
	struct bufferevent *b = bufferevent_openssl_filter_new(base, f, new_ssl(cctx), BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	CHECK(b);
	run_for(base, 20);
	bufferevent_free(b);
	run_for(base, 20);
	CHECK_EQ(ssls_freed - freed, 1);
	CHECK_EQ(contexts_freed, 1);
	CHECK(!fd_is_open(sv[0]));
	close(sv[1]);
	event_base_free(base);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	SSL_CTX *sctx = server_ctx(NULL), *cctx = client_ctx(NULL);
	for (int t = 0; t < N_TRANSPORTS; t++) {
		for (int on_read = 0; on_read < 2; on_read++) {
			from_callbacks(t, 0, on_read, sctx, cctx);
			from_callbacks(t, BEV_OPT_DEFER_CALLBACKS, on_read, sctx, cctx);
		}
		printf("freed from callbacks, %s: ok\n", transport_name[t]);
	}
	on_error(sctx);
	puts("freed on error: ok");
	kept(sctx, cctx);
	puts("without BEV_OPT_CLOSE_ON_FREE: ok");
	close_on_free_below(cctx);
	puts("BEV_OPT_CLOSE_ON_FREE over a filter: ok");
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	return 0;
}
