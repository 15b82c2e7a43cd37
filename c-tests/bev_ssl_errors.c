/* OpenSSL bufferevents that fail: a handshake the client refuses (the server's certificate is
 * not from the CA it trusts), in socket and filter mode; a peer that speaks plain HTTP to a
 * TLS server. Each side hears BEV_EVENT_ERROR|BEV_EVENT_READING and
 * bufferevent_get_openssl_error gives OpenSSL's reason, then SSL_ERROR_SSL, then 0. (In filter
 * mode, as in libevent, the bufferevent below goes on reading, and what comes next fails
 * again.) And the
 * arguments libevent refuses: no underlying bufferevent, an unknown state, a descriptor other
 * than the SSL's, another kind of bufferevent (the SSL object goes with BEV_OPT_CLOSE_ON_FREE
 * when refused, and stays otherwise).
 * needs: -lssl  check-preload */
#include "ssl_common.h"

/* The error codes kept when the first error was reported. */
struct failure {
	struct side side;
	int n;
	unsigned long codes[4];
};

static void failure_event(struct bufferevent *bev, short what, void *arg)
{
	struct failure *f = arg;
	if ((what & BEV_EVENT_ERROR) && !f->side.error) {
		while ((f->codes[f->n] = bufferevent_get_openssl_error(bev)) != 0)
			CHECK(++f->n <= 3);
	}
	side_event(bev, what, &f->side);
}

static void failure_init(struct failure *f, const char *name, struct bufferevent *bev)
{
	memset(f, 0, sizeof *f);
	side_init(&f->side, name, bev);
	bufferevent_setcb(bev, NULL, NULL, failure_event, f);
	bufferevent_enable(bev, EV_READ);
}

/* OpenSSL's reason, checking that SSL_ERROR_SSL came before it and nothing else. */
static int failure_reason(struct failure *f)
{
	CHECK_EQ(f->side.last_what & ~BEV_EVENT_READING, BEV_EVENT_ERROR);
	CHECK_EQ(f->n, 2);
	CHECK_EQ(f->codes[1], SSL_ERROR_SSL);
	return ERR_GET_REASON(f->codes[0]);
}

static void wrong_ca(enum transport t, SSL_CTX *sctx)
{
	EVP_PKEY *key;
	X509 *other;
	make_cert("someone else", &key, &other);
	SSL_CTX *cctx = client_ctx(other);
	struct event_base *base = event_base_new();
	struct bufferevent *sb, *cb;
	struct failure S, C;
	make_ends(base, t, sctx, cctx, 0, &sb, &cb);
	failure_init(&S, "server", sb);
	failure_init(&C, "client", cb);
	run_until(base, &C.side.error);
	run_until(base, &S.side.error);
	CHECK_EQ(C.side.connected + S.side.connected, 0);
	CHECK_EQ(failure_reason(&C), SSL_R_CERTIFICATE_VERIFY_FAILED);
	CHECK_EQ(failure_reason(&S), SSL_R_TLSV1_ALERT_UNKNOWN_CA);
	CHECK_EQ(SSL_get_verify_result(bufferevent_openssl_get_ssl(cb)), X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
	bufferevent_free(sb);
	bufferevent_free(cb);
	event_base_free(base);
	SSL_CTX_free(cctx);
	X509_free(other);
	EVP_PKEY_free(key);
}

static void plain_http(SSL_CTX *sctx)
{
	struct event_base *base = event_base_new();
	int sv[2];
	stream_pair(sv);
	struct bufferevent *sb = bufferevent_openssl_socket_new(base, sv[0], new_ssl(sctx), BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	struct failure S;
	failure_init(&S, "server", sb);
	const char req[] = "GET / HTTP/1.0\r\n\r\n";
	CHECK(write(sv[1], req, sizeof req - 1) == (ssize_t)sizeof req - 1);
	run_until(base, &S.side.error);
	CHECK_EQ(failure_reason(&S), SSL_R_HTTP_REQUEST);
	bufferevent_free(sb);
	close(sv[1]);
	event_base_free(base);
}

static void bad_arguments(SSL_CTX *ctx)
{
	struct event_base *base = event_base_new();
	int sv[2];
	stream_pair(sv);
	int freed = ssls_freed;
	SSL *kept = new_ssl(ctx);

	/* No underlying bufferevent. */
	CHECK(bufferevent_openssl_filter_new(base, NULL, kept, BUFFEREVENT_SSL_CONNECTING, 0) == NULL);
	CHECK(bufferevent_openssl_filter_new(base, NULL, new_ssl(ctx), BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE) == NULL);
	CHECK_EQ(ssls_freed - freed, 1);

	/* An unknown state: the SSL goes with BEV_OPT_CLOSE_ON_FREE, and so does the underlying
	 * bufferevent in filter mode. In socket mode the descriptor stays open (libevent 2.1.12
	 * returns NULL too, then crashes in the loop that finalizes what it made: only ours is
	 * checked there). */
	struct bufferevent *u = bufferevent_socket_new(base, sv[0], 0);
	CHECK(bufferevent_openssl_filter_new(base, u, new_ssl(ctx), -1, BEV_OPT_CLOSE_ON_FREE) == NULL);
	CHECK_EQ(ssls_freed - freed, 2);
	if (on_event_rs()) {
		CHECK(bufferevent_openssl_socket_new(base, sv[0], kept, 3, 0) == NULL);
		CHECK(bufferevent_openssl_socket_new(base, sv[0], new_ssl(ctx), 3, BEV_OPT_CLOSE_ON_FREE) == NULL);
		CHECK_EQ(ssls_freed - freed, 3);
	} else {
		SSL_free(new_ssl(ctx));
	}
	run_for(base, 10);
	CHECK(fd_is_open(sv[0]));

	/* An SSL that has a descriptor: -1 takes it, another one is refused. */
	SSL *withfd = new_ssl(ctx);
	CHECK_EQ(SSL_set_fd(withfd, sv[1]), 1);
	struct bufferevent *b = bufferevent_openssl_socket_new(base, -1, withfd, BUFFEREVENT_SSL_CONNECTING, 0);
	CHECK(b);
	CHECK_EQ(bufferevent_getfd(b), sv[1]);
	bufferevent_free(b);
	run_for(base, 10);
	CHECK(fd_is_open(sv[1]));
	CHECK(bufferevent_openssl_socket_new(base, sv[0], withfd, BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE) == NULL);
	CHECK_EQ(ssls_freed - freed, 4);

	/* Not an OpenSSL bufferevent. */
	struct bufferevent *plain = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	CHECK(bufferevent_openssl_get_ssl(plain) == NULL);
	CHECK_EQ(bufferevent_openssl_get_allow_dirty_shutdown(plain), -1);
	bufferevent_openssl_set_allow_dirty_shutdown(plain, 1);
	CHECK_EQ(bufferevent_openssl_get_allow_dirty_shutdown(plain), -1);
	CHECK_EQ(bufferevent_ssl_renegotiate(plain), -1);
	CHECK_EQ(bufferevent_get_openssl_error(plain), 0);
	bufferevent_free(plain);

	SSL_free(kept);
	CHECK_EQ(ssls_freed - freed, 5);
	close(sv[1]);
	event_base_free(base);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	SSL_CTX *sctx = server_ctx(NULL);
	for (int t = 0; t < N_TRANSPORTS; t++) {
		wrong_ca(t, sctx);
		printf("wrong CA, %s: ok\n", transport_name[t]);
	}
	plain_http(sctx);
	puts("plain HTTP to a TLS server: ok");
	bad_arguments(sctx);
	puts("bad arguments: ok");
	SSL_CTX_free(sctx);
	return 0;
}
