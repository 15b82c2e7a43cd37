/* The server's connection handling seen by a raw client thread: the timeout closing a client
 * that sends one byte a second, pipelined requests answered in order (the first one answered
 * late), Expect: 100-continue with the body sent only after the 100, HTTP/1.0 and 1.1
 * keep-alive decisions (checked by sending a second request on the same socket), and the
 * closecb firing when a client leaves while its request waits (EV_READ re-enabled on
 * evhttp_connection_get_bufferevent(req->evcon), as in the notes).
 * compare-output, check-preload: the printed outcomes must equal libevent's (the Date value masked).
 * No duration is asserted: waits only have generous upper bounds against hangs. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <poll.h>
#include "check.h"

static int port;
static struct event_base *base;
static volatile int closecbs;
static volatile int client_done;

/* ---- server (main thread) ---- */

static void late_reply(evutil_socket_t fd, short w, void *arg)
{
	struct evhttp_request *req = arg;
	(void)fd; (void)w;
	evbuffer_add_printf(evhttp_request_get_output_buffer(req), "late");
	evhttp_send_reply(req, 200, "OK", NULL);
}

static struct evhttp_request *held;

/* The held request outlives its connection (libevent detaches it): the program finishes it
 * later, and evhttp_send_reply on a request without a connection frees it. */
static void finish_held(evutil_socket_t fd, short w, void *arg)
{
	(void)fd; (void)w; (void)arg;
	printf("held request: evcon %s\n", held->evcon ? "still set" : "NULL");
	evhttp_send_reply(held, 200, "OK", NULL);
	held = NULL;
	closecbs++;
}

static void closed_cb(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon; (void)arg;
	event_base_once(base, -1, EV_TIMEOUT, finish_held, NULL, NULL);
}

/* A chunked reply streamed from a timer until the client leaves. */
static struct evhttp_request *streaming;
static struct event *stream_ev;
static volatile int stream_closed, stream_done;

static void stream_tick(evutil_socket_t fd, short w, void *arg)
{
	(void)fd; (void)w; (void)arg;
	if (stream_closed) {
		/* The request outlived its connection: ending the reply frees it. */
		printf("stream: client left; request evcon %s\n", streaming->evcon ? "still set" : "NULL");
		evhttp_send_reply_end(streaming);
		streaming = NULL;
		event_del(stream_ev);
		stream_done = 1;
		return;
	}
	evbuffer_add_printf(evhttp_request_get_output_buffer(streaming), "tick\n");
	evhttp_send_reply_chunk(streaming, evhttp_request_get_output_buffer(streaming));
}

static void stream_closecb(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon; (void)arg;
	stream_closed = 1;
}

static void gencb(struct evhttp_request *req, void *arg)
{
	const char *uri = evhttp_request_get_uri(req);
	struct evbuffer *out = evhttp_request_get_output_buffer(req);
	(void)arg;
	if (!strcmp(uri, "/late")) {
		struct timeval tv = { 0, 50000 };
		event_base_once(base, -1, EV_TIMEOUT, late_reply, req, &tv);
	} else if (!strcmp(uri, "/stream")) {
		struct timeval tv = { 0, 20000 };
		streaming = req;
		evhttp_connection_set_closecb(req->evcon, stream_closecb, NULL);
		evhttp_send_reply_start(req, 200, "OK");
		bufferevent_enable(evhttp_connection_get_bufferevent(req->evcon), EV_READ);
		stream_ev = event_new(base, -1, EV_PERSIST, stream_tick, NULL);
		event_add(stream_ev, &tv);
		stream_tick(-1, 0, NULL);
	} else if (!strcmp(uri, "/hold")) {
		held = req;
		evhttp_connection_set_closecb(req->evcon, closed_cb, NULL);
		bufferevent_enable(evhttp_connection_get_bufferevent(req->evcon), EV_READ);
	} else {
		evbuffer_add_printf(out, "%s:", uri);
		evbuffer_add_buffer(out, evhttp_request_get_input_buffer(req));
		evhttp_send_reply(req, 200, "OK", NULL);
	}
}

/* ---- client (thread) ---- */

static int connect_server(void)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(connect(fd, (struct sockaddr *)&sin, sizeof sin) == 0);
	return fd;
}

static void send_all(int fd, const char *s)
{
	size_t n = strlen(s);
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		CHECK(w > 0);
		s += w; n -= w;
	}
}

/* Reads until `want` complete replies (heads with Content-Length bodies) arrived, the peer
 * closed (*closed = 1), or the hang guard. Returns the bytes read (NUL-terminated). */
static size_t read_replies(int fd, char *buf, size_t cap, int want, int *closed)
{
	size_t len = 0;
	*closed = 0;
	for (;;) {
		int got = 0;
		const char *p = buf;
		struct pollfd pfd = { fd, POLLIN, 0 };
		buf[len] = 0;
		for (;;) { /* count complete replies */
			const char *e = strstr(p, "\r\n\r\n"), *cl;
			long n = 0;
			if (!e) break;
			if (!strncmp(p, "HTTP/1.1 100", 12)) { p = e + 4; continue; }
			cl = strstr(p, "Content-Length: ");
			if (cl && cl < e) n = atol(cl + 16);
			if ((size_t)(e + 4 + n - buf) > len) break;
			p = e + 4 + n; got++;
		}
		if (got >= want)
			return len;
		if (poll(&pfd, 1, 10000) != 1) {
			fprintf(stderr, "hang waiting for replies\n");
			exit(1);
		}
		{
			ssize_t r = recv(fd, buf + len, cap - 1 - len, 0);
			if (r <= 0) { *closed = 1; buf[len] = 0; return len; }
			len += r;
		}
	}
}

/* Prints a raw reply with the Date value masked and line ends shown. */
static void print_raw(const char *label, const char *s)
{
	printf("%s: ", label);
	while (*s) {
		if (!strncmp(s, "Date: ", 6)) {
			printf("Date: <date>");
			s = strstr(s, "\r\n");
			continue;
		}
		if (*s == '\r') printf("\\r");
		else if (*s == '\n') printf("\\n");
		else putchar(*s);
		s++;
	}
	printf("\n");
}

/* Is the socket closed by the server? A second request tells without waiting on a clock. */
static void second_request(int fd, const char *label)
{
	char buf[4096];
	int closed;
	if (send(fd, "GET /again HTTP/1.1\r\n\r\n", 23, MSG_NOSIGNAL) < 0) {
		printf("%s: closed (send: %s)\n", label, errno == EPIPE || errno == ECONNRESET ? "reset" : "?");
		return;
	}
	read_replies(fd, buf, sizeof buf, 1, &closed);
	printf("%s: %s\n", label, closed && !buf[0] ? "closed" : closed ? "reply then closed" : "kept open, second reply");
}

static void keepalive_case(const char *label, const char *req)
{
	char buf[4096];
	int closed, fd = connect_server();
	send_all(fd, req);
	read_replies(fd, buf, sizeof buf, 1, &closed);
	print_raw(label, buf);
	if (!closed)
		second_request(fd, label);
	else
		printf("%s: closed\n", label);
	close(fd);
}

static void *client(void *arg)
{
	char buf[8192];
	int fd, closed;
	(void)arg;

	/* Keep-alive decisions. */
	keepalive_case("1.1 default", "GET /a HTTP/1.1\r\n\r\n");
	keepalive_case("1.1 close", "GET /b HTTP/1.1\r\nConnection: close\r\n\r\n");
	keepalive_case("1.0 default", "GET /c HTTP/1.0\r\n\r\n");
	keepalive_case("1.0 keep-alive", "GET /d HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
	keepalive_case("1.1 keep-alive", "GET /e HTTP/1.1\r\nConnection: Keep-Alive\r\n\r\n");

	/* Pipelined: the first answered late, the replies still come in order. */
	fd = connect_server();
	send_all(fd, "GET /late HTTP/1.1\r\n\r\nPOST /p2 HTTP/1.1\r\nContent-Length: 2\r\n\r\nxyGET /p3 HTTP/1.1\r\n\r\n");
	read_replies(fd, buf, sizeof buf, 3, &closed);
	print_raw("pipelined", buf);
	close(fd);

	/* Expect: 100-continue: the body goes only after the interim reply. */
	fd = connect_server();
	send_all(fd, "POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
	{
		size_t len = 0;
		buf[0] = 0;
		while (!strstr(buf, "\r\n\r\n")) {
			struct pollfd pfd = { fd, POLLIN, 0 };
			ssize_t r;
			CHECK(poll(&pfd, 1, 10000) == 1);
			r = recv(fd, buf + len, sizeof buf - 1 - len, 0);
			CHECK(r > 0);
			len += r;
			buf[len] = 0;
		}
		print_raw("expect interim", buf);
	}
	send_all(fd, "hello");
	read_replies(fd, buf, sizeof buf, 1, &closed);
	print_raw("expect final", buf);
	close(fd);

	/* The closecb when the client leaves while its request waits for a reply. */
	fd = connect_server();
	send_all(fd, "GET /hold HTTP/1.1\r\n\r\n");
	{
		int i;
		for (i = 0; i < 1000 && !closecbs; i++) {
			if (i == 20)
				close(fd); /* after the server had time to read the request */
			usleep(10000);
		}
	}
	printf("closecb after the client left: %d\n", closecbs);

	/* A client leaving in the middle of its request: the server drops the connection. */
	fd = connect_server();
	send_all(fd, "POST /partial HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly part");
	usleep(100000);
	close(fd);

	/* A client leaving in the middle of a chunked reply. */
	fd = connect_server();
	send_all(fd, "GET /stream HTTP/1.1\r\n\r\n");
	{
		struct pollfd pfd = { fd, POLLIN, 0 };
		int i;
		CHECK(poll(&pfd, 1, 10000) == 1);
		CHECK(recv(fd, buf, sizeof buf - 1, 0) > 0);
		printf("stream: first bytes read: %.15s\n", buf);
		close(fd);
		for (i = 0; i < 1000 && !stream_done; i++)
			usleep(10000);
		printf("stream: ended: %d\n", stream_done);
	}

	/* A client sending one byte a second: the server's timeout (short here) closes it. */
	fd = connect_server();
	{
		const char *req = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n";
		int i, sent = 0, gone = 0;
		for (i = 0; req[i] && !gone; i++) {
			struct pollfd pfd = { fd, POLLIN, 0 };
			if (send(fd, req + i, 1, MSG_NOSIGNAL) != 1) { gone = 1; break; }
			sent++;
			if (poll(&pfd, 1, 1000) == 1) { /* data or close within the second */
				ssize_t r = recv(fd, buf, sizeof buf - 1, 0);
				if (r <= 0) gone = 1;
				else { buf[r] = 0; print_raw("slow client got", buf); }
			}
		}
		printf("slow client: %s (%s)\n", gone ? "closed by the server" : "never closed",
		    sent < (int)strlen(req) ? "before the request was complete" : "after the whole request");
	}
	close(fd);

	client_done = 1;
	return NULL;
}

/* The loop runs until the client thread is done (polled: no threads support needed). */
static void poll_done(evutil_socket_t fd, short w, void *arg)
{
	(void)fd; (void)w; (void)arg;
	if (client_done)
		event_base_loopbreak(base);
}

int main(void)
{
	struct evhttp *http;
	struct evhttp_bound_socket *bs;
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	pthread_t t;
	struct event *keep;
	struct timeval tick = { 0, 10000 }, timeout = { 0, 300000 };

	setvbuf(stdout, NULL, _IONBF, 0);
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_gencb(http, gencb, NULL);
	evhttp_set_timeout_tv(http, &timeout);
	bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	CHECK(bs != NULL);
	CHECK(getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sin, &sl) == 0);
	port = ntohs(sin.sin_port);
	keep = event_new(base, -1, EV_PERSIST, poll_done, NULL);
	event_add(keep, &tick);
	CHECK(pthread_create(&t, NULL, client, NULL) == 0);
	event_base_dispatch(base);
	pthread_join(t, NULL);
	event_free(keep);
	if (stream_ev)
		event_free(stream_ev);
	evhttp_free(http);
	event_base_free(base);
	printf("done\n");
	return 0;
}
