/* libevent 2.2's server additions on the 2.1 ABI, seen from the wire (raw requests from a
 * client thread): evhttp_set_max_connections (503 past the limit, without reading) and
 * evhttp_get_connection_count, evhttp_set_ext_method_cmp with the WebDAV methods,
 * evhttp_set_newreqcb (refusing a request closes its connection), evhttp_set_errorcb (the
 * program's page, or the default one), evhttp_set_read_timeout_tv / _write_timeout_tv,
 * evhttp_bound_set_bevcb, and a server on a Unix-domain listener.
 * needs: event_rs (2.2 API). No duration is asserted. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <event2/http.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <signal.h>
#include "check.h"

#define EXT_PURGE (1u << 16)
#define EXT_REPORT (1u << 17)

static struct event_base *base;
static struct evhttp *http, *limited, *timed;
static int port1, port2, port_limited, port_timed;
static char unix_path[108];
static int bevcb_server, bevcb_bound, newreqs, refuse_next, errorcbs;
static int done_fd[2];

static int ext_cmp(struct evhttp_ext_method *m)
{
	if (m->method && strcmp(m->method, "PURGE") == 0) {
		m->type = EXT_PURGE;
		m->flags = 0;
		return 0;
	}
	if (m->method && strcmp(m->method, "REPORT") == 0) {
		m->type = EXT_REPORT;
		m->flags = EVHTTP_METHOD_HAS_BODY;
		return 0;
	}
	return -1;
}

static int newreq(struct evhttp_request *req, void *arg)
{
	(void)arg;
	CHECK(evhttp_request_get_connection(req) != NULL);
	newreqs++;
	if (refuse_next) {
		refuse_next = 0;
		return -1;
	}
	return 0;
}

static int errorcb(struct evhttp_request *req, struct evbuffer *buf, int error, const char *reason, void *arg)
{
	(void)arg;
	errorcbs++;
	if (error != HTTP_FORBIDDEN)
		return -1; /* the default page */
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/plain");
	evbuffer_add_printf(buf, "custom %d: %s", error, reason);
	return 0;
}

static struct bufferevent *make_bev(struct event_base *b, void *arg)
{
	++*(int *)arg;
	return bufferevent_socket_new(b, -1, BEV_OPT_CLOSE_ON_FREE);
}

static void gencb(struct evhttp_request *req, void *arg)
{
	struct evbuffer *reply = evbuffer_new();
	const char *uri = evhttp_request_get_uri(req);
	(void)arg;
	if (strcmp(uri, "/forbidden") == 0) {
		evhttp_send_error(req, HTTP_FORBIDDEN, NULL);
	} else if (strcmp(uri, "/refuse-next") == 0) {
		refuse_next = 1;
		evhttp_send_reply(req, HTTP_OK, "OK", NULL);
	} else if (strcmp(uri, "/count") == 0) {
		evbuffer_add_printf(reply, "count=%d", evhttp_get_connection_count(evhttp_connection_get_server(evhttp_request_get_connection(req))));
		evhttp_send_reply(req, HTTP_OK, "OK", reply);
	} else if (strcmp(uri, "/peer") == 0) {
		char *host = NULL;
		ev_uint16_t port = 1;
		evhttp_connection_get_peer(evhttp_request_get_connection(req), &host, &port);
		evbuffer_add_printf(reply, "peer=%s:%d", host, port);
		evhttp_send_reply(req, HTTP_OK, "OK", reply);
	} else {
		evbuffer_add_printf(reply, "cmd=%u body=%zu", (unsigned)evhttp_request_get_command(req),
		    evbuffer_get_length(evhttp_request_get_input_buffer(req)));
		evhttp_send_reply(req, HTTP_OK, "OK", reply);
	}
	evbuffer_free(reply);
}

/* ---- the client thread: blocking sockets ---- */

static int connect_tcp(int port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(0x7f000001);
	CHECK(connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	return fd;
}

static int connect_unix(void)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, unix_path);
	CHECK(connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	return fd;
}

/* Sends `req` (may be NULL) on fd, reads until the server closes, returns the reply. */
static const char *exchange_fd(int fd, const char *req)
{
	static char buf[65536];
	size_t n = 0;
	if (req)
		CHECK(write(fd, req, strlen(req)) == (ssize_t)strlen(req));
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;
		CHECK(poll(&p, 1, 20000) == 1); /* a hang guard, not a timing check */
		r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = 0;
	close(fd);
	return buf;
}

static const char *exchange(int port, const char *req)
{
	return exchange_fd(connect_tcp(port), req);
}

#define EXPECT(reply, text) do { const char *r_ = (reply); if (!strstr(r_, text)) { \
	fprintf(stderr, "%s:%d: no \"%s\" in reply [%s]\n", __FILE__, __LINE__, text, r_); exit(1); } } while (0)

static void *client(void *arg)
{
	const char *r;
	int a, b;
	(void)arg;

	/* Extension and WebDAV methods. */
	EXPECT(exchange(port1, "PURGE /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"), "cmd=65536 body=0");
	EXPECT(exchange(port1, "REPORT /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello"), "cmd=131072 body=5");
	EXPECT(exchange(port1, "PROPFIND /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc"), "cmd=512 body=3");
	EXPECT(exchange(port1, "MOVE /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"), "cmd=32768 body=0");
	r = exchange(port1, "MKCOL /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
	EXPECT(r, "HTTP/1.1 501");
	EXPECT(r, "<TITLE>501 Not Implemented</TITLE>"); /* errorcb returned -1: the default page */
	EXPECT(exchange(port1, "FOO /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"), "HTTP/1.1 501");
	/* PURGE is typed past bit 15 and has no body: one is refused. */
	EXPECT(exchange(port1, "PURGE /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 2\r\n\r\nab"), "HTTP/1.1 400");

	/* The program's error page. */
	r = exchange(port1, "GET /forbidden HTTP/1.1\r\nHost: h\r\n\r\n");
	EXPECT(r, "HTTP/1.1 403 Forbidden");
	EXPECT(r, "Content-Type: text/plain");
	EXPECT(r, "Connection: close");
	EXPECT(r, "\r\n\r\ncustom 403: Forbidden");

	/* The newreqcb refusing a request: its connection closes without a reply. */
	EXPECT(exchange(port1, "GET /refuse-next HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"), "HTTP/1.1 200");
	r = exchange(port1, "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
	CHECK_EQ(strlen(r), 0);
	EXPECT(exchange(port1, "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"), "HTTP/1.1 200");

	/* The bound socket's bufferevent callback. */
	EXPECT(exchange(port2, "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"), "HTTP/1.1 200");

	/* Unix-domain listener. */
	EXPECT(exchange_fd(connect_unix(), "GET /peer HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"), "peer=unix:0");

	/* The connection limit (2): a third connection gets 503 at once, unread. */
	a = connect_tcp(port_limited);
	b = connect_tcp(port_limited);
	r = exchange(port_limited, NULL);
	EXPECT(r, "HTTP/1.1 503 Service Unavailable");
	EXPECT(r, "Connection: close");
	EXPECT(exchange_fd(a, "GET /count HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"), "count=2");
	close(b);

	/* Read timeout: an idle connection is closed; a request still works. */
	CHECK_EQ(strlen(exchange(port_timed, NULL)), 0);
	EXPECT(exchange(port_timed, "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"), "HTTP/1.1 200");

	CHECK(write(done_fd[1], "x", 1) == 1);
	return NULL;
}

static void done_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	event_base_loopbreak(base);
}

static int bound_port(struct evhttp_bound_socket *b)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	CHECK(b);
	CHECK(getsockname(evhttp_bound_socket_get_fd(b), (struct sockaddr *)&sin, &len) == 0);
	return ntohs(sin.sin_port);
}

int main(void)
{
	struct evhttp_bound_socket *b2;
	struct evconnlistener *ul;
	struct sockaddr_un sun;
	struct timeval rt = { 0, 100000 }, wt = { 5, 0 };
	struct event *done_ev;
	pthread_t th;

	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_gencb(http, gencb, NULL);
	evhttp_set_ext_method_cmp(http, ext_cmp);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PROPFIND | EVHTTP_REQ_MOVE);
	evhttp_set_newreqcb(http, newreq, NULL);
	evhttp_set_errorcb(http, errorcb, NULL);
	evhttp_set_bevcb(http, make_bev, &bevcb_server);
	port1 = bound_port(evhttp_bind_socket_with_handle(http, "127.0.0.1", 0));
	b2 = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	port2 = bound_port(b2);
	evhttp_bound_set_bevcb(b2, make_bev, &bevcb_bound);

	snprintf(unix_path, sizeof(unix_path), "/tmp/event_rs-http22-%d.sock", (int)getpid());
	unlink(unix_path);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, unix_path);
	ul = evconnlistener_new_bind(base, NULL, NULL, LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&sun, sizeof(sun));
	CHECK(ul);
	CHECK(evhttp_bind_listener(http, ul));

	limited = evhttp_new(base);
	evhttp_set_gencb(limited, gencb, NULL);
	evhttp_set_max_connections(limited, 2);
	port_limited = bound_port(evhttp_bind_socket_with_handle(limited, "127.0.0.1", 0));
	CHECK_EQ(evhttp_get_connection_count(limited), 0);

	timed = evhttp_new(base);
	evhttp_set_gencb(timed, gencb, NULL);
	evhttp_set_read_timeout_tv(timed, &rt);
	evhttp_set_write_timeout_tv(timed, &wt);
	port_timed = bound_port(evhttp_bind_socket_with_handle(timed, "127.0.0.1", 0));

	CHECK(pipe(done_fd) == 0);
	done_ev = event_new(base, done_fd[0], EV_READ, done_cb, NULL);
	event_add(done_ev, NULL);
	CHECK(pthread_create(&th, NULL, client, NULL) == 0);
	event_base_dispatch(base);
	pthread_join(th, NULL);

	CHECK_EQ(bevcb_bound, 1);
	CHECK(bevcb_server >= 12);
	CHECK(newreqs >= 13);
	CHECK(errorcbs >= 3);
	printf("bevcb: server %d, bound socket %d; newreqcb %d; errorcb %d\n", bevcb_server, bevcb_bound, newreqs, errorcbs);

	event_free(done_ev);
	close(done_fd[0]);
	close(done_fd[1]);
	evhttp_free(http);
	evhttp_free(limited);
	evhttp_free(timed);
	unlink(unix_path);
	event_base_free(base);
	printf("ok\n");
	return 0;
}
