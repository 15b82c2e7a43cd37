/* evhttp over OpenSSL bufferevents (HTTPS): a server whose connections are made by
 * evhttp_set_bevcb as ACCEPTING SSL bufferevents, and a client connection made with
 * evhttp_connection_base_bufferevent_new over a CONNECTING one with no descriptor yet, which
 * reconnects after the server closed.
 * needs: -lssl  check-preload */
#include "ssl_common.h"
#include <event2/http.h>

static SSL_CTX *sctx;
static int requests, replies;
static char body[64];

static struct bufferevent *make_server_bev(struct event_base *base, void *arg)
{
	(void)arg;
	return bufferevent_openssl_socket_new(base, -1, new_ssl(sctx), BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}

static void handle(struct evhttp_request *req, void *arg)
{
	(void)arg;
	requests++;
	struct evbuffer *out = evbuffer_new();
	evbuffer_add_printf(out, "secret for %s", evhttp_request_get_uri(req));
	evhttp_send_reply(req, 200, "OK", out);
	evbuffer_free(out);
}

static void on_reply(struct evhttp_request *req, void *arg)
{
	(void)arg;
	CHECK(req != NULL);
	CHECK_EQ(evhttp_request_get_response_code(req), 200);
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t n = evbuffer_get_length(in);
	CHECK(n < sizeof body);
	evbuffer_remove(in, body, n);
	body[n] = 0;
	replies++;
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	struct event_base *base = event_base_new();
	sctx = server_ctx(NULL);
	SSL_CTX *cctx = client_ctx(NULL);
	struct evhttp *http = evhttp_new(base);
	evhttp_set_bevcb(http, make_server_bev, NULL);
	evhttp_set_gencb(http, handle, NULL);
	struct evhttp_bound_socket *bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	CHECK(bound);
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	CHECK(getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sin, &len) == 0);

	struct bufferevent *bev = bufferevent_openssl_socket_new(base, -1, new_ssl(cctx), BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	struct evhttp_connection *conn = evhttp_connection_base_bufferevent_new(base, NULL, bev, "127.0.0.1", ntohs(sin.sin_port));
	CHECK(conn);
	for (int i = 1; i <= 2; i++) {
		struct evhttp_request *req = evhttp_request_new(on_reply, NULL);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Host", "localhost");
		/* The server closes after the first reply: the second request reconnects, and the
		 * same bufferevent handshakes again on the new socket. */
		if (i == 1)
			evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
		CHECK(evhttp_make_request(conn, req, EVHTTP_REQ_GET, i == 1 ? "/one" : "/two") == 0);
		while (replies < i)
			run_for(base, 10);
		CHECK_EQ(strcmp(body, i == 1 ? "secret for /one" : "secret for /two"), 0);
	}
	CHECK_EQ(requests, 2);
	evhttp_connection_free(conn);
	evhttp_free(http);
	run_for(base, 20);
	event_base_free(base);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	puts("ok");
	return 0;
}
