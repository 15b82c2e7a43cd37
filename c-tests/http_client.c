/* The evhttp client against an in-process evhttp server on the same base: GET and POST,
 * a chunked reply read with evhttp_request_set_chunked_cb, keep-alive reuse of one
 * connection for several requests (also queued at once), evhttp_cancel_request, a refused
 * connection reaching the error callback, and retries until a server appears.
 * compare-output, check-preload: the printed outcomes must equal libevent's. No duration is asserted: the
 * guard timer only stops a hang. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <event2/dns.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include "check.h"

static struct event_base *base;
static struct evhttp *http;
static int port;
static int pending;          /* callbacks still expected before the loop stops */
static int server_closecb;   /* the server saw a client leave (after /hold) */

static void stop_one(void)
{
	if (--pending <= 0)
		event_base_loopbreak(base);
}

static void guard_cb(evutil_socket_t fd, short w, void *arg)
{
	(void)fd; (void)w;
	fprintf(stderr, "hang in step %s\n", (const char *)arg);
	exit(1);
}

/* Runs the loop until `n` stop_one() calls, with a hang guard. */
static void run(int n, const char *step)
{
	struct timeval tv = { 20, 0 };
	struct event *g = evtimer_new(base, guard_cb, (void *)step);
	pending = n;
	evtimer_add(g, &tv);
	event_base_dispatch(base);
	event_free(g);
	CHECK_EQ(pending, 0);
}

/* ---- server ---- */

static struct evhttp_request *held;

/* The held request outlives its connection (libevent detaches it): finished later, and
 * evhttp_send_reply on a request without a connection frees it. */
static void finish_held(evutil_socket_t fd, short w, void *arg)
{
	(void)fd; (void)w; (void)arg;
	printf("server: held request's evcon %s\n", held->evcon ? "still set" : "NULL");
	evhttp_send_reply(held, 200, "OK", NULL);
	held = NULL;
	stop_one();
}

static void server_closed(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon; (void)arg;
	server_closecb++;
	printf("server: closecb after the client left\n");
	event_base_once(base, -1, EV_TIMEOUT, finish_held, NULL, NULL);
}

static void server_cb(struct evhttp_request *req, void *arg)
{
	const char *uri = evhttp_request_get_uri(req);
	struct evbuffer *out = evhttp_request_get_output_buffer(req);
	(void)arg;
	if (!strcmp(uri, "/hello")) {
		evbuffer_add_printf(out, "hello");
		evhttp_send_reply(req, 200, "OK", NULL);
	} else if (!strcmp(uri, "/echo")) {
		const char *ct = evhttp_find_header(evhttp_request_get_input_headers(req), "Content-Type");
		evhttp_add_header(evhttp_request_get_output_headers(req), "X-Method",
		    evhttp_request_get_command(req) == EVHTTP_REQ_POST ? "POST" : "other");
		evhttp_add_header(evhttp_request_get_output_headers(req), "X-Content-Type", ct ? ct : "(none)");
		evbuffer_add_buffer(out, evhttp_request_get_input_buffer(req));
		evhttp_send_reply(req, 200, "OK", NULL);
	} else if (!strcmp(uri, "/chunk")) {
		struct evbuffer *b = evbuffer_new();
		evhttp_send_reply_start(req, 200, "OK");
		evbuffer_add(b, "ab", 2);
		evhttp_send_reply_chunk(req, b);
		evbuffer_add(b, "cde", 3);
		evhttp_send_reply_chunk(req, b);
		evbuffer_add(b, "fghi", 4);
		evhttp_send_reply_chunk(req, b);
		evhttp_send_reply_end(req);
		evbuffer_free(b);
	} else if (!strcmp(uri, "/peer")) {
		char *addr; ev_uint16_t p;
		evhttp_connection_get_peer(evhttp_request_get_connection(req), &addr, &p);
		evbuffer_add_printf(out, "%u", (unsigned)p);
		evhttp_send_reply(req, 200, "OK", NULL);
	} else if (!strcmp(uri, "/big")) {
		char kb[1024];
		int k;
		memset(kb, 'x', sizeof kb);
		for (k = 0; k < 64; k++)
			evbuffer_add(out, kb, sizeof kb);
		evhttp_send_reply(req, 200, "OK", NULL);
	} else if (!strcmp(uri, "/hold")) {
		/* No reply: learn at once when the client leaves, as in the notes. */
		struct evhttp_connection *evcon = evhttp_request_get_connection(req);
		held = req;
		evhttp_connection_set_closecb(evcon, server_closed, NULL);
		bufferevent_enable(evhttp_connection_get_bufferevent(evcon), EV_READ);
		printf("server: holding %s\n", uri);
		stop_one();
	} else {
		evhttp_send_error(req, 404, NULL);
	}
}

/* ---- client ---- */

static char body[256];
static int last_code;

static void done_cb(struct evhttp_request *req, void *arg)
{
	const char *what = arg;
	if (!req) {
		printf("%s: request callback with NULL\n", what);
		last_code = -1;
		stop_one();
		return;
	}
	{
		struct evbuffer *in = evhttp_request_get_input_buffer(req);
		size_t n = evbuffer_get_length(in);
		const char *xm = evhttp_find_header(evhttp_request_get_input_headers(req), "X-Method");
		const char *xc = evhttp_find_header(evhttp_request_get_input_headers(req), "X-Content-Type");
		if (n >= sizeof body)
			n = sizeof body - 1;
		evbuffer_copyout(in, body, n);
		body[n] = 0;
		last_code = evhttp_request_get_response_code(req);
		printf("%s: %d %s", what, last_code, evhttp_request_get_response_code_line(req));
		if (xm)
			printf(" X-Method=%s X-Content-Type=%s", xm, xc ? xc : "?");
		if (strcmp(what, "peer"))
			printf(" body=%zu[%.40s]", evbuffer_get_length(in), body);
		printf("\n");
	}
	stop_one();
}

static void error_cb(enum evhttp_request_error err, void *arg)
{
	printf("%s: error callback %d\n", (const char *)arg, (int)err);
}

static void chunk_cb(struct evhttp_request *req, void *arg)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t n = evbuffer_get_length(in);
	char tmp[64];
	(void)arg;
	if (n >= sizeof tmp)
		n = sizeof tmp - 1;
	evbuffer_remove(in, tmp, n);
	tmp[n] = 0;
	printf("chunk: %zu [%s]\n", n, tmp);
}

static struct evhttp_request *req_new(const char *what)
{
	struct evhttp_request *r = evhttp_request_new(done_cb, (void *)what);
	CHECK(r != NULL);
	evhttp_request_set_error_cb(r, error_cb);
	evhttp_add_header(evhttp_request_get_output_headers(r), "Host", "localhost");
	return r;
}

static int free_port(void)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	int p, fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&sin, &sl) == 0);
	p = ntohs(sin.sin_port);
	close(fd); /* never listened on: connecting to it is refused */
	return p;
}

static struct evhttp *late_http;
static int late_port;
static void bind_late(evutil_socket_t fd, short w, void *arg)
{
	(void)fd; (void)w; (void)arg;
	late_http = evhttp_new(base);
	evhttp_set_gencb(late_http, server_cb, NULL);
	CHECK(evhttp_bind_socket(late_http, "127.0.0.1", late_port) == 0);
}

int main(void)
{
	struct evhttp_bound_socket *bs;
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	struct evhttp_connection *evcon;
	struct evhttp_request *r;
	char first_peer[32];
	int i;

	setvbuf(stdout, NULL, _IONBF, 0);
	signal(SIGPIPE, SIG_IGN); /* the server may write to a client that already left */
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_gencb(http, server_cb, NULL);
	bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	CHECK(bs != NULL);
	CHECK(getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sin, &sl) == 0);
	port = ntohs(sin.sin_port);

	/* GET and POST on one connection. */
	evcon = evhttp_connection_base_new(base, NULL, "127.0.0.1", port);
	CHECK(evcon != NULL);
	CHECK(evhttp_connection_get_base(evcon) == base);
	CHECK(evhttp_make_request(evcon, req_new("GET /hello"), EVHTTP_REQ_GET, "/hello") == 0);
	run(1, "GET");
	CHECK_EQ(last_code, 200);
	r = req_new("POST /echo");
	evhttp_add_header(evhttp_request_get_output_headers(r), "Content-Type", "application/x-www-form-urlencoded");
	evbuffer_add_printf(evhttp_request_get_output_buffer(r), "a=1&b=%s", "two+words");
	CHECK(evhttp_make_request(evcon, r, EVHTTP_REQ_POST, "/echo") == 0);
	run(1, "POST");
	CHECK(!strcmp(body, "a=1&b=two+words"));
	r = req_new("GET /missing");
	CHECK(evhttp_make_request(evcon, r, EVHTTP_REQ_GET, "/missing") == 0);
	run(1, "404");
	CHECK_EQ(last_code, 404);

	/* A chunked reply read chunk by chunk, then the complete callback. */
	r = req_new("GET /chunk");
	evhttp_request_set_chunked_cb(r, chunk_cb);
	CHECK(evhttp_make_request(evcon, r, EVHTTP_REQ_GET, "/chunk") == 0);
	run(1, "chunked");
	CHECK_EQ(last_code, 200);

	/* Keep-alive: several requests one after another all come from the same client port. */
	for (i = 0; i < 3; i++) {
		CHECK(evhttp_make_request(evcon, req_new("peer"), EVHTTP_REQ_GET, "/peer") == 0);
		run(1, "keep-alive");
		if (i == 0)
			strcpy(first_peer, body);
		CHECK(!strcmp(body, first_peer));
	}
	printf("keep-alive: 3 requests from one client port\n");
	/* Queued at once on the connection: answered in order, still one connection. */
	CHECK(evhttp_make_request(evcon, req_new("queued 1"), EVHTTP_REQ_GET, "/hello") == 0);
	r = req_new("queued 2");
	evbuffer_add(evhttp_request_get_output_buffer(r), "second", 6);
	CHECK(evhttp_make_request(evcon, r, EVHTTP_REQ_POST, "/echo") == 0);
	CHECK(evhttp_make_request(evcon, req_new("peer"), EVHTTP_REQ_GET, "/peer") == 0);
	run(3, "queued");
	CHECK(!strcmp(body, first_peer));
	printf("queued: same client port\n");
	evhttp_connection_free(evcon);

	/* A connection over the program's own bufferevent, bound to a local address; HEAD and
	 * PUT through it. */
	{
		struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
		CHECK(bev != NULL);
		evcon = evhttp_connection_base_bufferevent_new(base, NULL, bev, "127.0.0.1", port);
		CHECK(evcon != NULL);
		CHECK(evhttp_connection_get_bufferevent(evcon) == bev);
		evhttp_connection_set_local_address(evcon, "127.0.0.1");
		r = req_new("PUT /echo");
		evbuffer_add(evhttp_request_get_output_buffer(r), "put body", 8);
		CHECK(evhttp_make_request(evcon, r, EVHTTP_REQ_PUT, "/echo") == 0);
		run(1, "PUT");
		CHECK(!strcmp(body, "put body"));
		/* Last on this connection: libevent's server sends a body after a HEAD reply's head
		 * (event_rs does not), which would spoil the next reply on the connection. */
		CHECK(evhttp_make_request(evcon, req_new("HEAD /hello"), EVHTTP_REQ_HEAD, "/hello") == 0);
		run(1, "HEAD");
		CHECK_EQ(last_code, 200);
		evhttp_connection_free(evcon);
	}

	/* Cancel a request in flight: its callback never runs, and the server's closecb (EV_READ
	 * re-enabled on its bufferevent) learns that the client left. */
	evcon = evhttp_connection_base_new(base, NULL, "127.0.0.1", port);
	r = req_new("cancelled");
	CHECK(evhttp_make_request(evcon, r, EVHTTP_REQ_GET, "/hold") == 0);
	run(1, "hold");
	evhttp_cancel_request(r);
	printf("client: cancelled\n");
	run(1, "server closecb");
	CHECK_EQ(server_closecb, 1);
	/* The connection is usable again after the cancel. */
	CHECK(evhttp_make_request(evcon, req_new("after cancel"), EVHTTP_REQ_GET, "/hello") == 0);
	run(1, "after cancel");
	CHECK_EQ(last_code, 200);
	evhttp_connection_free(evcon);

	/* The client's own timeout on a request the server holds: the error callback says
	 * timeout and the request callback gets NULL or a code 0 request. */
	evcon = evhttp_connection_base_new(base, NULL, "127.0.0.1", port);
	{
		struct timeval tv = { 0, 200000 };
		evhttp_connection_set_timeout_tv(evcon, &tv);
	}
	CHECK(evhttp_make_request(evcon, req_new("client timeout"), EVHTTP_REQ_GET, "/hold") == 0);
	run(3, "client timeout"); /* held at the server, the client's callback, then the closecb's finish */
	CHECK(last_code <= 0);
	evhttp_connection_free(evcon);

	/* A reply bigger than the client's max body size fails the request. */
	evcon = evhttp_connection_base_new(base, NULL, "127.0.0.1", port);
	evhttp_connection_set_max_body_size(evcon, 1000);
	CHECK(evhttp_make_request(evcon, req_new("body too big"), EVHTTP_REQ_GET, "/big") == 0);
	run(1, "body too big");
	CHECK(last_code <= 0);
	evhttp_connection_set_max_body_size(evcon, 1 << 20);
	CHECK(evhttp_make_request(evcon, req_new("body allowed"), EVHTTP_REQ_GET, "/big") == 0);
	run(1, "body allowed");
	CHECK_EQ(last_code, 200);
	/* Freed by the library once its last request completed (and the connection closed:
	 * this request asks for the close; a kept-alive one is freed when the server closes). */
	r = req_new("free on completion");
	evhttp_add_header(evhttp_request_get_output_headers(r), "Connection", "close");
	CHECK(evhttp_make_request(evcon, r, EVHTTP_REQ_GET, "/hello") == 0);
	evhttp_connection_free_on_completion(evcon);
	run(1, "free on completion");
	CHECK_EQ(last_code, 200);

	/* A host name through an evdns base (from the hosts file: no nameserver needed). */
	{
		struct evdns_base *dns = evdns_base_new(base, 0);
		CHECK(dns != NULL);
		CHECK(evdns_base_load_hosts(dns, NULL) == 0);
		evcon = evhttp_connection_base_new(base, dns, "localhost", port);
		evhttp_connection_set_family(evcon, AF_INET);
		CHECK(evhttp_make_request(evcon, req_new("GET via evdns"), EVHTTP_REQ_GET, "/hello") == 0);
		run(1, "evdns");
		CHECK_EQ(last_code, 200);
		evhttp_connection_free(evcon);
		evdns_base_free(dns, 0);
	}

	/* Connection refused: the request fails (libevent calls its callback with code 0). */
	evcon = evhttp_connection_base_new(base, NULL, "127.0.0.1", free_port());
	CHECK(evhttp_make_request(evcon, req_new("refused"), EVHTTP_REQ_GET, "/hello") == 0);
	run(1, "refused");
	CHECK(last_code <= 0);
	evhttp_connection_free(evcon);

	/* Refused with retries: still fails in the end, with one error. */
	evcon = evhttp_connection_base_new(base, NULL, "127.0.0.1", free_port());
	{
		struct timeval tv = { 0, 10000 };
		evhttp_connection_set_retries(evcon, 2);
		evhttp_connection_set_initial_retry_tv(evcon, &tv);
	}
	CHECK(evhttp_make_request(evcon, req_new("refused, 2 retries"), EVHTTP_REQ_GET, "/hello") == 0);
	run(1, "retries");
	CHECK(last_code <= 0);
	evhttp_connection_free(evcon);

	/* Retries until a server appears on the port. */
	late_port = free_port();
	evcon = evhttp_connection_base_new(base, NULL, "127.0.0.1", late_port);
	{
		struct timeval tv = { 0, 100000 }, bind_at = { 0, 20000 };
		evhttp_connection_set_retries(evcon, 5);
		evhttp_connection_set_initial_retry_tv(evcon, &tv);
		event_base_once(base, -1, EV_TIMEOUT, bind_late, NULL, &bind_at);
	}
	CHECK(evhttp_make_request(evcon, req_new("retry until up"), EVHTTP_REQ_GET, "/hello") == 0);
	run(1, "retry until up");
	CHECK_EQ(last_code, 200);
	evhttp_connection_free(evcon);
	evhttp_free(late_http);

	evhttp_free(http);
	event_base_free(base);
	printf("done\n");
	return 0;
}
