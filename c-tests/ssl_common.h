/* Helpers for the bev_ssl_* tests: a self-signed certificate made at run time (an EC key, so
 * that no file is needed and valgrind runs stay quick), server and client contexts, and a
 * record of what each bufferevent saw. */
#ifndef C_TESTS_SSL_COMMON_H
#define C_TESTS_SSL_COMMON_H
#include "bev_common.h"
#include <dlfcn.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/* A key and a certificate for CN=`cn`, signed by that key. */
static void make_cert(const char *cn, EVP_PKEY **key_out, X509 **cert_out)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	CHECK(key && x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_NAME *name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509_set_pubkey(x, key);
	CHECK(X509_sign(x, key, EVP_sha256()) > 0);
	*key_out = key;
	*cert_out = x;
}

/* A server context with a fresh certificate; the certificate is handed out for clients that
 * verify against it. */
static SSL_CTX *server_ctx(X509 **cert_out)
{
	EVP_PKEY *key;
	X509 *cert;
	make_cert("localhost", &key, &cert);
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	CHECK(ctx);
	CHECK(SSL_CTX_use_certificate(ctx, cert) == 1);
	CHECK(SSL_CTX_use_PrivateKey(ctx, key) == 1);
	EVP_PKEY_free(key);
	if (cert_out)
		*cert_out = cert;
	else
		X509_free(cert);
	return ctx;
}

/* A client context; with `trusted` it verifies the server against that certificate alone. */
static SSL_CTX *client_ctx(X509 *trusted)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	CHECK(ctx);
	if (trusted) {
		CHECK(X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), trusted) == 1);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	return ctx;
}

/* What one side saw: its events, the bytes it read, how often each callback ran. */
struct side {
	struct bufferevent *bev;
	const char *name;
	int connected, eof, error, timeout;
	int reads, writes;
	short last_what;
	size_t got;
	unsigned long ssl_err;
	struct evbuffer *data;
};

static void side_read(struct bufferevent *bev, void *arg)
{
	struct side *s = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	s->reads++;
	s->got += evbuffer_get_length(in);
	if (s->data)
		evbuffer_add_buffer(s->data, in);
	else
		evbuffer_drain(in, evbuffer_get_length(in));
}

static void side_write(struct bufferevent *bev, void *arg)
{
	(void)bev;
	((struct side *)arg)->writes++;
}

static void side_event(struct bufferevent *bev, short what, void *arg)
{
	struct side *s = arg;
	s->last_what = what;
	if (what & BEV_EVENT_CONNECTED)
		s->connected++;
	if (what & BEV_EVENT_EOF)
		s->eof++;
	if (what & BEV_EVENT_ERROR) {
		s->error++;
		if (!s->ssl_err)
			s->ssl_err = bufferevent_get_openssl_error(bev);
	}
	if (what & BEV_EVENT_TIMEOUT)
		s->timeout++;
}

static void side_init(struct side *s, const char *name, struct bufferevent *bev)
{
	memset(s, 0, sizeof *s);
	s->name = name;
	s->bev = bev;
	bufferevent_setcb(bev, side_read, side_write, side_event, s);
}

/* Counts SSL objects freed: new_ssl() tags each one, and OpenSSL calls ssl_freed_cb when the
 * tagged object is freed. */
static int ssl_tag_index = -1;
static int ssls_freed;

static void ssl_freed_cb(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	(void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
	if (ptr)
		ssls_freed++;
}

static SSL *new_ssl(SSL_CTX *ctx)
{
	if (ssl_tag_index < 0)
		ssl_tag_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, ssl_freed_cb);
	SSL *ssl = SSL_new(ctx);
	CHECK(ssl);
	SSL_set_ex_data(ssl, ssl_tag_index, (void *)1);
	return ssl;
}

/* The transports a server and a client bufferevent can talk over. */
enum transport {
	OVER_SOCKETPAIR,	/* socket mode, on the two ends of a socketpair */
	FILTER_OVER_SOCKETS,	/* filter mode over two socket bufferevents */
	FILTER_OVER_PAIR,	/* filter mode over a bufferevent pair */
	N_TRANSPORTS
};
static const char *transport_name[] = { "socketpair", "filter/sockets", "filter/pair" };

/* A server (ACCEPTING) and a client (CONNECTING) that will handshake with each other once the
 * loop runs; everything is freed with the two bufferevents (BEV_OPT_CLOSE_ON_FREE). */
static void make_ends(struct event_base *base, enum transport t, SSL_CTX *sctx, SSL_CTX *cctx, int options,
    struct bufferevent **server, struct bufferevent **client)
{
	options |= BEV_OPT_CLOSE_ON_FREE;
	if (t == OVER_SOCKETPAIR) {
		int sv[2];
		stream_pair(sv);
		*server = bufferevent_openssl_socket_new(base, sv[0], new_ssl(sctx), BUFFEREVENT_SSL_ACCEPTING, options);
		*client = bufferevent_openssl_socket_new(base, sv[1], new_ssl(cctx), BUFFEREVENT_SSL_CONNECTING, options);
	} else {
		struct bufferevent *u[2];
		if (t == FILTER_OVER_SOCKETS) {
			int sv[2];
			stream_pair(sv);
			u[0] = bufferevent_socket_new(base, sv[0], options);
			u[1] = bufferevent_socket_new(base, sv[1], options);
		} else {
			CHECK(bufferevent_pair_new(base, options, u) == 0);
		}
		*server = bufferevent_openssl_filter_new(base, u[0], new_ssl(sctx), BUFFEREVENT_SSL_ACCEPTING, options);
		*client = bufferevent_openssl_filter_new(base, u[1], new_ssl(cctx), BUFFEREVENT_SSL_CONNECTING, options);
	}
	CHECK(*server && *client);
}

/* Whether the OpenSSL bufferevent functions this process calls are event_rs's (built against
 * it, or preloaded over libevent_openssl): where the two deliberately differ. */
static int on_event_rs(void)
{
	Dl_info info;
	void *f = dlsym(RTLD_DEFAULT, "bufferevent_openssl_socket_new");
	return f && dladdr(f, &info) && info.dli_fname && strstr(info.dli_fname, "libevent_rs") != NULL;
}

#endif
