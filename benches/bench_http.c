/* evhttp benchmarks.
 *   bench_http                    a "hello" server for wrk (run.sh does the measuring): binds
 *                                 127.0.0.1 on a free port, prints the port, serves until killed
 *   bench_http line uri [MB=3] [n=5]     ms per request whose request line (the URI) is MB long,
 *   bench_http line header [MB=3] [n=5]  or whose one header line is, sent on one persistent
 *                                        connection to an evhttp server without size limits
 *   bench_http line reply [MB=3] [n=5]   ms per reply with an MB-long header line, read by an
 *                                        evhttp client from a plain bufferevent server
 * The line modes run server and client in one process on one base (the client side of "uri"
 * and "header", and the server side of "reply", are plain bufferevents), so what differs
 * between the libraries is mostly the reading of long lines by evhttp. */
#include "bench.h"
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <event2/http.h>

static void hello(struct evhttp_request *req, void *arg)
{
	struct evbuffer *out = evhttp_request_get_output_buffer(req);
	(void)arg;
	evbuffer_add(out, "Hello, world!\n", 14);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/plain");
	evhttp_send_reply(req, HTTP_OK, "OK", NULL);
}

static int serve_for_wrk(void)
{
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;

	signal(SIGPIPE, SIG_IGN); /* wrk closes connections with replies in flight */
	raise_nofile(4096);
	if (!(base = event_base_new()) || !(http = evhttp_new(base)))
		die("evhttp_new");
	evhttp_set_gencb(http, hello, NULL);
	if (!(sock = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) ||
	    getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&sin, &len) != 0)
		die("bind");
	printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	event_base_dispatch(base);
	return 0;
}

/* ---- long lines ---- */

static struct event_base *base;
static char *message;     /* the request (uri, header) or the reply (reply) */
static size_t message_len;
static long todo;         /* exchanges still to make */
static struct evhttp_connection *client_conn;

static char *build(const char *head, int fill, size_t n, const char *tail, size_t *len)
{
	size_t h = strlen(head), t = strlen(tail);
	char *m = malloc(h + n + t);
	if (!m)
		die("malloc");
	memcpy(m, head, h);
	memset(m + h, fill, n);
	memcpy(m + h + n, tail, t);
	*len = h + n + t;
	return m;
}

/* The plain client of "uri" and "header": sends the next request once a whole reply is in. */
static void raw_client_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer_ptr end = evbuffer_search(in, "Hello, world!\n", 14, NULL);
	(void)arg;
	if (end.pos < 0)
		return;
	evbuffer_drain(in, end.pos + 14);
	if (--todo == 0)
		event_base_loopbreak(base);
	else
		bufferevent_write(bev, message, message_len);
}

static void raw_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev; (void)arg;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		die("connection lost");
}

/* The plain server of "reply": answers each request head with the long reply. */
static void raw_server_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer_ptr end;
	(void)arg;
	while ((end = evbuffer_search(in, "\r\n\r\n", 4, NULL)).pos >= 0) {
		evbuffer_drain(in, end.pos + 4);
		bufferevent_write(bev, message, message_len);
	}
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len, void *arg)
{
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	(void)l; (void)sa; (void)len; (void)arg;
	if (!bev)
		die("bufferevent_socket_new");
	bufferevent_setcb(bev, raw_server_read, NULL, raw_event, NULL);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

static void make_request(void);

static void reply_done(struct evhttp_request *req, void *arg)
{
	(void)arg;
	if (!req || evhttp_request_get_response_code(req) != 200)
		die("long reply not read");
	if (--todo == 0)
		event_base_loopbreak(base);
	else
		make_request();
}

static void make_request(void)
{
	struct evhttp_request *req = evhttp_request_new(reply_done, NULL);
	if (!req || evhttp_make_request(client_conn, req, EVHTTP_REQ_GET, "/") != 0)
		die("evhttp_make_request");
}

static int long_lines(const char *mode, size_t mb, long n)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	size_t size = mb << 20;
	double t0;

	signal(SIGPIPE, SIG_IGN);
	if (!(base = event_base_new()))
		die("event_base_new");
	todo = n;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!strcmp(mode, "reply")) {
		struct evconnlistener *l = evconnlistener_new_bind(base, on_accept, NULL,
		    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 16, (struct sockaddr *)&sin, sizeof sin);
		if (!l || getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&sin, &len) != 0)
			die("listen");
		message = build("HTTP/1.1 200 OK\r\nX-Big: ", 'h', size, "\r\nContent-Length: 2\r\n\r\nok", &message_len);
		if (!(client_conn = evhttp_connection_base_new(base, NULL, "127.0.0.1", ntohs(sin.sin_port))))
			die("evhttp_connection_base_new");
		t0 = now_s();
		make_request();
	} else {
		struct evhttp *http = evhttp_new(base);
		struct evhttp_bound_socket *sock;
		struct bufferevent *bev;
		if (!http)
			die("evhttp_new");
		evhttp_set_gencb(http, hello, NULL);
		if (!(sock = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) ||
		    getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&sin, &len) != 0)
			die("bind");
		if (!strcmp(mode, "uri"))
			message = build("GET /", 'u', size, " HTTP/1.1\r\nHost: localhost\r\n\r\n", &message_len);
		else if (!strcmp(mode, "header"))
			message = build("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ", 'h', size, "\r\n\r\n", &message_len);
		else
			die("mode: uri, header or reply");
		bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
		if (!bev || bufferevent_socket_connect(bev, (struct sockaddr *)&sin, sizeof sin) != 0)
			die("connect");
		bufferevent_setcb(bev, raw_client_read, NULL, raw_event, NULL);
		bufferevent_enable(bev, EV_READ | EV_WRITE);
		t0 = now_s();
		bufferevent_write(bev, message, message_len);
	}
	event_base_dispatch(base);
	printf("%.1f\n", (now_s() - t0) * 1000 / n);
	free(message);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "line"))
		return long_lines(argv[2], arg_or(argc, argv, 3, 3), arg_or(argc, argv, 4, 5));
	return serve_for_wrk();
}
