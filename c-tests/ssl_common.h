/* Helpers for the bev_ssl_* tests: a self-signed certificate made at run time (an EC key, so
 * that no file is needed and valgrind runs stay quick), server and client contexts, and a
 * record of what each bufferevent saw. */
#ifndef C_TESTS_SSL_COMMON_H
#define C_TESTS_SSL_COMMON_H
#include "bev_common.h"
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

#endif
