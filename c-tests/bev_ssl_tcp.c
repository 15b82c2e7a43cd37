/* OpenSSL bufferevents over TCP on 127.0.0.1: a client made with no descriptor connects with
 * bufferevent_socket_connect (and _connect_hostname); BEV_EVENT_CONNECTED comes after the TLS
 * handshake, not after the TCP connect. The same bufferevent reconnects (setfd -1, a new
 * connect: a new handshake, as evhttp retries do); a refused connect is an error.
 * needs: -lssl  check-preload */
#include "ssl_common.h"

static struct event_base *base;
static SSL_CTX *sctx;
static struct side servers[4];
static int n_servers;

static void server_read(struct bufferevent *bev, void *arg)
{
	struct side *s = arg;
	char buf[64];
	size_t n = bufferevent_read(bev, buf, sizeof buf);
	s->got += n;
	bufferevent_write(bev, buf, n);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len, void *arg)
{
	(void)l; (void)sa; (void)len; (void)arg;
	CHECK(n_servers < 4);
	struct side *s = &servers[n_servers++];
	struct bufferevent *bev = bufferevent_openssl_socket_new(base, fd, new_ssl(sctx), BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	CHECK(bev);
	side_init(s, "server", bev);
	bufferevent_setcb(bev, server_read, NULL, side_event, s);
	bufferevent_enable(bev, EV_READ);
}

/* The client's events: CONNECTED only once the handshake is over. */
static void client_event(struct bufferevent *bev, short what, void *arg)
{
	if (what & BEV_EVENT_CONNECTED) {
		CHECK_EQ(SSL_is_init_finished(bufferevent_openssl_get_ssl(bev)), 1);
		CHECK(bufferevent_getfd(bev) >= 0);
	}
	side_event(bev, what, arg);
}

/* Sends `msg` and waits for the server's echo. */
static void roundtrip(struct side *c, const char *msg)
{
	size_t want = c->got + strlen(msg);
	bufferevent_write(c->bev, msg, strlen(msg));
	while (c->got < want && !c->error)
		run_for(base, 10);
	CHECK_EQ(c->got, want);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	sctx = server_ctx(NULL);
	SSL_CTX *cctx = client_ctx(NULL);
	struct sockaddr_in sin = loopback_addr(0);
	struct evconnlistener *l = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE,
	    -1, (struct sockaddr *)&sin, sizeof sin);
	CHECK(l);
	socklen_t slen = sizeof sin;
	CHECK(getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&sin, &slen) == 0);

	/* No descriptor yet: connect makes one. */
	struct side C;
	struct bufferevent *cb = bufferevent_openssl_socket_new(base, -1, new_ssl(cctx), BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	CHECK(cb);
	CHECK_EQ(bufferevent_getfd(cb), -1);
	side_init(&C, "client", cb);
	bufferevent_setcb(cb, side_read, NULL, client_event, &C);
	bufferevent_enable(cb, EV_READ);
	CHECK_EQ(bufferevent_socket_connect(cb, (struct sockaddr *)&sin, sizeof sin), 0);
	int fd1 = bufferevent_getfd(cb);
	CHECK(fd1 >= 0);
	CHECK_EQ(C.connected, 0);
	run_until(base, &C.connected);
	roundtrip(&C, "first connection");
	CHECK_EQ(n_servers, 1);
	run_until(base, &servers[0].connected);

	/* Again on a new connection: the handshake starts over. */
	CHECK_EQ(bufferevent_setfd(cb, -1), 0);
	CHECK_EQ(bufferevent_getfd(cb), -1);
	close(fd1);
	CHECK_EQ(bufferevent_socket_connect(cb, (struct sockaddr *)&sin, sizeof sin), 0);
	run_until(base, &servers[0].error);
	while (C.connected < 2)
		run_for(base, 10);
	roundtrip(&C, "second connection");
	CHECK_EQ(n_servers, 2);
	CHECK_EQ(C.error + C.eof, 0);
	bufferevent_free(cb);

	/* By name, through the resolver. */
	struct side H;
	struct bufferevent *hb = bufferevent_openssl_socket_new(base, -1, new_ssl(cctx), BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	side_init(&H, "client", hb);
	bufferevent_setcb(hb, side_read, NULL, client_event, &H);
	bufferevent_enable(hb, EV_READ);
	CHECK_EQ(bufferevent_socket_connect_hostname(hb, NULL, AF_INET, "127.0.0.1", ntohs(sin.sin_port)), 0);
	run_until(base, &H.connected);
	roundtrip(&H, "by name");
	bufferevent_free(hb);

	/* Nobody listening: an error, no CONNECTED. */
	struct side R;
	struct sockaddr_in closed = loopback_addr(closed_port());
	struct bufferevent *rb = bufferevent_openssl_socket_new(base, -1, new_ssl(cctx), BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	side_init(&R, "refused", rb);
	bufferevent_setcb(rb, side_read, NULL, client_event, &R);
	bufferevent_socket_connect(rb, (struct sockaddr *)&closed, sizeof closed);
	run_until(base, &R.error);
	CHECK_EQ(R.connected, 0);
	CHECK(R.last_what & BEV_EVENT_ERROR);
	bufferevent_free(rb);

	for (int i = 0; i < n_servers; i++)
		bufferevent_free(servers[i].bev);
	run_for(base, 20);
	CHECK_EQ(ssls_freed, 3 + n_servers);
	evconnlistener_free(l);
	event_base_free(base);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	puts("ok");
	return 0;
}
