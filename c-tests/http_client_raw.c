/* The evhttp client against a fake server that answers with canned bytes: a CONNECT proxy's
 * "200 Connection established" (no body, the connection stays open), HEAD, 204 and 304
 * replies that announce a length but carry no body, replies framed both by Transfer-Encoding
 * and Content-Length (refused), lists of transfer codings, a 20-digit Content-Length, a 3 MB
 * status line and a 3 MB header line, and servers that answer 417 or 413 to a large upload
 * and close without reading it (with and without EVHTTP_CON_READ_ON_WRITE_ERROR, with
 * "Expect: 100-continue", and several times on one connection). Two different Content-Length
 * values: libevent's client reads the first, ours refuses the reply (a deliberate difference,
 * in the README); each library is checked for its own answer.
 * compare-output, check-preload: the printed outcomes must equal libevent's. No duration is
 * asserted: the guard timer only stops a hang. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <dlfcn.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include "check.h"

#define BIG (3 * 1024 * 1024)

static struct event_base *base;
static int listen_fd, port;
static int finished;

/* ---- the fake server: one thread, one connection at a time ---- */

enum after { KEEP_OPEN, CLOSE_NOW };

struct reply {
	const char *text;  /* NULL: built by the server (the long lines) */
	enum after after;
};

static const struct reply replies[] = {
	/* 0 */ { "HTTP/1.1 200 Connection established\r\n\r\n", KEEP_OPEN },
	/* 1 */ { "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", KEEP_OPEN },
	/* 2 */ { "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", KEEP_OPEN },
	/* 3 */ { "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", KEEP_OPEN },
	/* 4 */ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n", KEEP_OPEN },
	/* 5 */ { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", KEEP_OPEN },
	/* 6 */ { "HTTP/1.1 417 Expectation Failed\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope", CLOSE_NOW },
	/* 7 */ { NULL, KEEP_OPEN }, /* a 3 MB reason phrase */
	/* 8 */ { NULL, KEEP_OPEN }, /* a 3 MB header line */
	/* 9 */ { "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", KEEP_OPEN },
	/* 10 */ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello", KEEP_OPEN },
	/* 11 */ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", KEEP_OPEN },
	/* 12 */ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n", KEEP_OPEN },
	/* 13 */ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: abc\r\n\r\n5\r\nhello\r\n0\r\n\r\n", KEEP_OPEN },
	/* 14 */ { "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", KEEP_OPEN },
	/* 15 */ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nhello", CLOSE_NOW },
	/* 16 */ { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", KEEP_OPEN },
	/* 17 */ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip ,  CHUNKED  \r\n\r\n5\r\nhello\r\n0\r\n\r\n", CLOSE_NOW },
	/* 18 */ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", CLOSE_NOW },
	/* 19 */ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n", CLOSE_NOW },
	/* 20 */ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked,\r\n\r\n5\r\nhello\r\n0\r\n\r\n", CLOSE_NOW },
	/* 21 */ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked;x=1\r\n\r\n5\r\nhello\r\n0\r\n\r\n", CLOSE_NOW },
	/* 22 */ { "HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", CLOSE_NOW },
	/* 23 */ { "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", KEEP_OPEN },
	/* 24 */ { "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n", KEEP_OPEN },
	/* 25 */ { "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\nhello", CLOSE_NOW },
	/* 26 */ { "HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\nhello", CLOSE_NOW },
	/* 27 */ { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 3\r\n\r\nhello", CLOSE_NOW },
};

static void send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return; /* the client left */
		p += w;
		n -= w;
	}
}

/* The head of the request (up to the empty line); returns the case number from "/case/N". */
static int read_head(int fd)
{
	char buf[4096];
	size_t n = 0;
	const char *c;
	while (n < sizeof buf - 1) {
		ssize_t r = recv(fd, buf + n, 1, 0);
		if (r <= 0)
			return -1;
		n += r;
		buf[n] = 0;
		if (n >= 4 && !strcmp(buf + n - 4, "\r\n\r\n"))
			break;
	}
	c = strstr(buf, "/case/");
	return c ? atoi(c + 6) : -1;
}

static void send_long_line(int fd, int which)
{
	char *b = malloc(BIG + 200);
	size_t n;
	CHECK(b != NULL);
	if (which == 7) {
		strcpy(b, "HTTP/1.1 200 ");
		n = strlen(b);
		memset(b + n, 'r', BIG);
		strcpy(b + n + BIG, "\r\nContent-Length: 2\r\n\r\nok");
	} else {
		strcpy(b, "HTTP/1.1 200 OK\r\nX-Big: ");
		n = strlen(b);
		memset(b + n, 'h', BIG);
		strcpy(b + n + BIG, "\r\nContent-Length: 2\r\n\r\nok");
	}
	send_all(fd, b, strlen(b));
	free(b);
}

static void *server(void *arg)
{
	(void)arg;
	for (;;) {
		char sink[65536];
		int fd = accept(listen_fd, NULL, NULL), which;
		if (fd < 0)
			break;
		which = read_head(fd);
		if (which < 0) {
			close(fd); /* the "stop" connection */
			break;
		}
		if (replies[which].text)
			send_all(fd, replies[which].text, strlen(replies[which].text));
		else
			send_long_line(fd, which);
		/* Either wait for the client to close, or close with the rest of the request unread
		 * (the client then sees a reset when it writes). */
		if (replies[which].after == KEEP_OPEN)
			while (recv(fd, sink, sizeof sink, 0) > 0)
				;
		close(fd);
	}
	return NULL;
}

/* ---- the client ---- */

static void guard_cb(evutil_socket_t fd, short w, void *arg)
{
	(void)fd; (void)w;
	fprintf(stderr, "hang in %s\n", (const char *)arg);
	exit(1);
}

static int quiet, last_code; /* quiet: record the outcome in last_code (-1: NULL) only */
static size_t last_len;

static void done_cb(struct evhttp_request *req, void *arg)
{
	const char *what = arg;
	finished = 1;
	event_base_loopbreak(base);
	if (quiet) {
		last_code = req ? evhttp_request_get_response_code(req) : -1;
		last_len = req ? evbuffer_get_length(evhttp_request_get_input_buffer(req)) : 0;
		return;
	}
	if (!req) {
		printf("%s: request callback with NULL\n", what);
		return;
	}
	{
		struct evbuffer *in = evhttp_request_get_input_buffer(req);
		const char *line = evhttp_request_get_response_code_line(req);
		const char *big = evhttp_find_header(evhttp_request_get_input_headers(req), "X-Big");
		size_t n = evbuffer_get_length(in);
		printf("%s: code %d, reason %zu bytes [%.30s]", what, evhttp_request_get_response_code(req),
		    line ? strlen(line) : 0, line ? line : "(null)");
		if (big)
			printf(", X-Big %zu bytes, all 'h': %s", strlen(big), strspn(big, "h") == strlen(big) ? "yes" : "no");
		printf(", body %zu [%.*s]\n", n, (int)(n > 20 ? 20 : n), (const char *)evbuffer_pullup(in, -1));
	}
}

static void error_cb(enum evhttp_request_error err, void *arg)
{
	if (quiet)
		return;
	printf("%s: error callback %d\n", (const char *)arg, (int)err);
}

static struct evhttp_connection *shared; /* when set, the connection every request uses */

/* One request (on a fresh connection unless `shared` is set); waits for the request callback. */
static void request_to(int to_port, const char *what, int which, enum evhttp_cmd_type type, size_t body, int expect, int flags)
{
	struct evhttp_connection *evcon = shared ? shared : evhttp_connection_base_new(base, NULL, "127.0.0.1", to_port);
	struct evhttp_request *req = evhttp_request_new(done_cb, (void *)what);
	struct timeval tv = { 20, 0 };
	struct event *guard = evtimer_new(base, guard_cb, (void *)what);
	char uri[64];
	CHECK(evcon != NULL && req != NULL);
	if (flags)
		CHECK_EQ(evhttp_connection_set_flags(evcon, flags), 0);
	evhttp_request_set_error_cb(req, error_cb);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host", "localhost");
	if (expect)
		evhttp_add_header(evhttp_request_get_output_headers(req), "Expect", "100-continue");
	if (body) {
		char *b = malloc(body);
		CHECK(b != NULL);
		memset(b, 'u', body);
		evbuffer_add(evhttp_request_get_output_buffer(req), b, body);
		free(b);
	}
	if (type == EVHTTP_REQ_CONNECT)
		snprintf(uri, sizeof uri, "/case/%d:443", which);
	else
		snprintf(uri, sizeof uri, "/case/%d", which);
	finished = 0;
	CHECK_EQ(evhttp_make_request(evcon, req, type, uri), 0);
	evtimer_add(guard, &tv);
	while (!finished)
		event_base_loop(base, EVLOOP_ONCE);
	event_free(guard);
	if (!shared)
		evhttp_connection_free(evcon);
}

static void request(const char *what, int which, enum evhttp_cmd_type type, size_t body, int expect, int flags)
{
	request_to(port, what, which, type, body, expect, flags);
}

int main(void)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	int small = 4096, one = 1, fd;
	pthread_t th;

	setvbuf(stdout, NULL, _IONBF, 0);
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	CHECK(base != NULL);
	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	/* A small receive buffer, so a large upload cannot fit in the kernel's buffers: the
	 * client is still writing when the server closes. */
	setsockopt(listen_fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(listen_fd, (struct sockaddr *)&sin, sizeof sin) == 0);
	CHECK(listen(listen_fd, 16) == 0);
	CHECK(getsockname(listen_fd, (struct sockaddr *)&sin, &sl) == 0);
	port = ntohs(sin.sin_port);
	CHECK(pthread_create(&th, NULL, server, NULL) == 0);

	/* Replies without a body: to CONNECT (the tunnel stays open), to HEAD, 204, 304. */
	request("CONNECT", 0, EVHTTP_REQ_CONNECT, 0, 0, 0);
	request("HEAD", 1, EVHTTP_REQ_HEAD, 0, 0, 0);
	request("204", 2, EVHTTP_REQ_GET, 0, 0, 0);
	request("304", 3, EVHTTP_REQ_GET, 0, 0, 0);

	/* Framed two ways: refused. */
	request("chunked and length", 4, EVHTTP_REQ_GET, 0, 0, 0);
	request("length and chunked", 5, EVHTTP_REQ_GET, 0, 0, 0);

	request("gzip and length", 10, EVHTTP_REQ_GET, 0, 0, 0);
	request("chunked and length, HEAD", 12, EVHTTP_REQ_HEAD, 0, 0, 0);
	request("chunked and bad length", 13, EVHTTP_REQ_GET, 0, 0, 0);
	request("chunked and length, 204", 14, EVHTTP_REQ_GET, 0, 0, 0);
	request("two equal lengths", 16, EVHTTP_REQ_GET, 0, 0, 0);

	/* Transfer codings: chunked when "chunked" comes last, refused when it comes anywhere
	 * else, read to the close otherwise. */
	request("gzip", 15, EVHTTP_REQ_GET, 0, 0, 0);
	request("gzip, chunked", 17, EVHTTP_REQ_GET, 0, 0, 0);
	request("identity then chunked", 18, EVHTTP_REQ_GET, 0, 0, 0);
	request("chunked with parameter", 21, EVHTTP_REQ_GET, 0, 0, 0);
	request("xchunked", 22, EVHTTP_REQ_GET, 0, 0, 0);
	request("chunked twice", 11, EVHTTP_REQ_GET, 0, 0, 0);
	request("chunked, gzip", 19, EVHTTP_REQ_GET, 0, 0, 0);
	request("chunked and an empty coding", 20, EVHTTP_REQ_GET, 0, 0, 0);
	request("chunked, gzip on 204", 23, EVHTTP_REQ_GET, 0, 0, 0);
	request("chunked on 204", 24, EVHTTP_REQ_GET, 0, 0, 0);

	/* Lengths: a 20-digit one is read as the largest length (the body never ends before the
	 * close); a hex one is refused. */
	request("20-digit length", 25, EVHTTP_REQ_GET, 0, 0, 0);
	request("hex length", 26, EVHTTP_REQ_GET, 0, 0, 0);
	quiet = 1;
	request("two different lengths", 27, EVHTTP_REQ_GET, 0, 0, 0);
	quiet = 0;
	if (dlsym(RTLD_DEFAULT, "event_rs_version"))
		CHECK_EQ(last_code, -1);
	else
		CHECK(last_code == 200 && last_len == 5);
	printf("two different lengths: each library's answer\n");

	/* Long lines in a reply (no header size limit on a client connection by default). */
	request("3 MB status line", 7, EVHTTP_REQ_GET, 0, 0, 0);
	request("3 MB header line", 8, EVHTTP_REQ_GET, 0, 0, 0);

	/* 417 to an upload, the server closing without reading it. With "Expect: 100-continue"
	 * the body is held back and the 417 read as any reply; without it the client's write
	 * fails, and EVHTTP_CON_READ_ON_WRITE_ERROR still reads the reply. */
	request("417 expect", 6, EVHTTP_REQ_POST, 1 << 20, 1, 0);
	request("417 write error", 6, EVHTTP_REQ_POST, 16 << 20, 0, 0);
	request("417 read on write error", 6, EVHTTP_REQ_POST, 16 << 20, 0, EVHTTP_CON_READ_ON_WRITE_ERROR);
	request("417 read on write error, expect", 6, EVHTTP_REQ_POST, 16 << 20, 1, EVHTTP_CON_READ_ON_WRITE_ERROR);

	/* An evhttp server with a body limit answers 413 and closes; with the flag, the client
	 * reads it every time on one connection (the flag stays set). */
	{
		struct evhttp *http = evhttp_new(base);
		struct evhttp_bound_socket *bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
		struct sockaddr_in s2;
		socklen_t l2 = sizeof s2;
		int hport;
		CHECK(bs != NULL);
		CHECK(getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&s2, &l2) == 0);
		hport = ntohs(s2.sin_port);
		evhttp_set_max_body_size(http, 1000);
		request_to(hport, "413 write error", 0, EVHTTP_REQ_POST, 16 << 20, 0, 0);
		request_to(hport, "413 read on write error", 0, EVHTTP_REQ_POST, 16 << 20, 0, EVHTTP_CON_READ_ON_WRITE_ERROR);
		shared = evhttp_connection_base_new(base, NULL, "127.0.0.1", hport);
		CHECK(shared != NULL);
		CHECK_EQ(evhttp_connection_set_flags(shared, EVHTTP_CON_READ_ON_WRITE_ERROR), 0);
		request_to(hport, "413 on one connection, 1", 0, EVHTTP_REQ_POST, 16 << 20, 0, 0);
		request_to(hport, "413 on one connection, 2", 0, EVHTTP_REQ_POST, 16 << 20, 0, 0);
		request_to(hport, "413 on one connection, 3", 0, EVHTTP_REQ_POST, 16 << 20, 0, 0);
		evhttp_connection_free(shared);
		shared = NULL;
		evhttp_free(http);
	}

	/* A plain exchange still works after all this. */
	request("plain", 9, EVHTTP_REQ_GET, 0, 0, 0);

	/* Stops the server thread. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(connect(fd, (struct sockaddr *)&sin, sizeof sin) == 0);
	send_all(fd, "STOP\r\n\r\n", 8);
	pthread_join(th, NULL);
	close(fd);
	close(listen_fd);
	event_base_free(base);
	printf("done\n");
	return 0;
}
