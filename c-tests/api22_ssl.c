/* libevent 2.2's OpenSSL bufferevent flags: bufferevent_ssl_get_flags / _set_flags /
 * _clear_flags with BUFFEREVENT_SSL_DIRTY_SHUTDOWN (the allow-dirty-shutdown setting) and
 * BUFFEREVENT_SSL_BATCH_WRITE (an output of many chunks goes out as one TLS record rather than
 * one per chunk: records counted with OpenSSL's message callback).
 * needs: -lssl  needs: event_rs */
#include "ssl_common.h"
#include <stdint.h>

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

#if !defined(BUFFEREVENT_SSL_DIRTY_SHUTDOWN) || !defined(BUFFEREVENT_SSL_BATCH_WRITE)
#error "the 2.2 flags can be tested with #ifdef"
#endif

static struct event_base *base;
static SSL_CTX *sctx, *cctx;

/* Application-data records the server wrote. */
static int records;
static void msg_cb(int write_p, int version, int content_type, const void *buf, size_t len, SSL *ssl, void *arg)
{
	(void)version; (void)ssl; (void)arg;
	if (write_p && content_type == SSL3_RT_HEADER && len >= 1 && ((const unsigned char *)buf)[0] == SSL3_RT_APPLICATION_DATA)
		records++;
}

static void test_flags(void)
{
	struct bufferevent *s, *c;
	make_ends(base, OVER_SOCKETPAIR, sctx, cctx, 0, &s, &c);
	EQ(BUFFEREVENT_SSL_DIRTY_SHUTDOWN, 1);
	EQ(BUFFEREVENT_SSL_BATCH_WRITE, 2);
	EQ(bufferevent_ssl_get_flags(c), 0);
	EQ(bufferevent_ssl_set_flags(c, BUFFEREVENT_SSL_DIRTY_SHUTDOWN), 0);
	EQ(bufferevent_ssl_get_flags(c), BUFFEREVENT_SSL_DIRTY_SHUTDOWN);
	EQ(bufferevent_openssl_get_allow_dirty_shutdown(c), 1);
	EQ(bufferevent_ssl_set_flags(c, BUFFEREVENT_SSL_BATCH_WRITE), BUFFEREVENT_SSL_DIRTY_SHUTDOWN);
	EQ(bufferevent_ssl_get_flags(c), BUFFEREVENT_SSL_DIRTY_SHUTDOWN | BUFFEREVENT_SSL_BATCH_WRITE);
	EQ(bufferevent_ssl_clear_flags(c, BUFFEREVENT_SSL_DIRTY_SHUTDOWN), BUFFEREVENT_SSL_DIRTY_SHUTDOWN | BUFFEREVENT_SSL_BATCH_WRITE);
	EQ(bufferevent_ssl_get_flags(c), BUFFEREVENT_SSL_BATCH_WRITE);
	EQ(bufferevent_openssl_get_allow_dirty_shutdown(c), 0);
	/* The 2.1 setter shows in the flags. */
	bufferevent_openssl_set_allow_dirty_shutdown(c, 1);
	EQ(bufferevent_ssl_get_flags(c), BUFFEREVENT_SSL_DIRTY_SHUTDOWN | BUFFEREVENT_SSL_BATCH_WRITE);
	/* Unknown bits only: a failure (EV_UINT64_MAX), nothing changed; known ones among
	 * unknown ones are applied. */
	EQ(bufferevent_ssl_set_flags(c, 0x100) == EV_UINT64_MAX, 1);
	EQ(bufferevent_ssl_clear_flags(c, 0) == EV_UINT64_MAX, 1);
	EQ(bufferevent_ssl_clear_flags(c, 0x100 | BUFFEREVENT_SSL_BATCH_WRITE), BUFFEREVENT_SSL_DIRTY_SHUTDOWN | BUFFEREVENT_SSL_BATCH_WRITE);
	EQ(bufferevent_ssl_get_flags(c), BUFFEREVENT_SSL_DIRTY_SHUTDOWN);
	bufferevent_free(s);
	bufferevent_free(c);

	/* Another kind of bufferevent, or NULL: EV_UINT64_MAX. */
	int sv[2];
	stream_pair(sv);
	struct bufferevent *plain = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	OK(bufferevent_ssl_get_flags(plain) == EV_UINT64_MAX);
	OK(bufferevent_ssl_set_flags(plain, BUFFEREVENT_SSL_BATCH_WRITE) == EV_UINT64_MAX);
	OK(bufferevent_ssl_clear_flags(plain, BUFFEREVENT_SSL_BATCH_WRITE) == EV_UINT64_MAX);
	OK(bufferevent_ssl_get_flags(NULL) == EV_UINT64_MAX);
	OK(bufferevent_ssl_set_flags(NULL, 1) == EV_UINT64_MAX);
	OK(bufferevent_ssl_clear_flags(NULL, 1) == EV_UINT64_MAX);
	bufferevent_free(plain);
	close(sv[1]);
}

static char chunks[8][1000];

/* The server sends 8 chunks of 1000 bytes (8 chains of its output); returns the records. */
static int records_for(enum transport t, int batch)
{
	struct bufferevent *s, *c;
	make_ends(base, t, sctx, cctx, 0, &s, &c);
	struct side S, C;
	side_init(&S, "server", s);
	side_init(&C, "client", c);
	C.data = evbuffer_new();
	bufferevent_enable(s, EV_READ | EV_WRITE);
	bufferevent_enable(c, EV_READ | EV_WRITE);
	run_until(base, &C.connected);
	run_until(base, &S.connected);
	/* Settle the handshake's last messages (session tickets) before counting. */
	bufferevent_write(c, "hi", 2);
	while (S.got < 2)
		run_for(base, 10);
	run_for(base, 20);
	SSL_set_msg_callback(bufferevent_openssl_get_ssl(s), msg_cb);
	if (batch)
		EQ(bufferevent_ssl_set_flags(s, BUFFEREVENT_SSL_BATCH_WRITE), 0);
	records = 0;
	/* Added in one go, while the loop is not running. */
	for (int i = 0; i < 8; i++)
		EQ(evbuffer_add_reference(bufferevent_get_output(s), chunks[i], sizeof chunks[i], NULL, NULL), 0);
	while (C.got < sizeof chunks && !C.error)
		run_for(base, 10);
	EQ(C.got, sizeof chunks);
	OK(memcmp(evbuffer_pullup(C.data, -1), chunks, sizeof chunks) == 0);
	int n = records;
	evbuffer_free(C.data);
	bufferevent_free(s);
	bufferevent_free(c);
	return n;
}

static void test_batch_write(void)
{
	for (int i = 0; i < 8; i++)
		memset(chunks[i], 'a' + i, sizeof chunks[i]);
	for (int t = OVER_SOCKETPAIR; t < N_TRANSPORTS; t++) {
		int one_each = records_for(t, 0);
		int batched = records_for(t, 1);
		printf("api22_ssl: %s: %d records, %d with BATCH_WRITE\n", transport_name[t], one_each, batched);
		EQ(one_each, 8);
		EQ(batched, 1);
	}
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	sctx = server_ctx(NULL);
	cctx = client_ctx(NULL);
	test_flags();
	test_batch_write();
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	event_base_free(base);
	printf("api22_ssl: %d checks\n", checks);
	return 0;
}
