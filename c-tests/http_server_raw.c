/* The server seen from the wire: raw requests (good, pipelined, chunked, 1.0/1.1, folded,
 * Expect, and bad ones) are sent from a client thread and the raw replies printed (the Date
 * value masked). The output must equal libevent's (compare-output, check-preload), except for the requests
 * that could be framed two ways, where only "refused, or read once as chunked" is printed. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include "check.h"

static int port;
static volatile int done;
/* While set, the server prints nothing (requests whose handling legitimately differs). */
static volatile int quiet;

static const char *method_name(enum evhttp_cmd_type t)
{
	switch (t) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_HEAD: return "HEAD";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_DELETE: return "DELETE";
	case EVHTTP_REQ_OPTIONS: return "OPTIONS";
	case EVHTTP_REQ_TRACE: return "TRACE";
	case EVHTTP_REQ_CONNECT: return "CONNECT";
	case EVHTTP_REQ_PATCH: return "PATCH";
	}
	return "?";
}

static void print_request(struct evhttp_request *req, const char *who)
{
	struct evkeyval *kv;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t n = evbuffer_get_length(in);
	const char *host = evhttp_request_get_host(req);
	if (quiet)
		return;
	printf("[%s] %s %s v%d.%d host=%s flags=%d headers:", who, method_name(evhttp_request_get_command(req)),
	    evhttp_request_get_uri(req), req->major, req->minor, host ? host : "(null)",
	    req->flags & EVHTTP_PROXY_REQUEST);
	TAILQ_FOREACH(kv, evhttp_request_get_input_headers(req), next)
		printf(" {%s: %s}", kv->key, kv->value);
	printf(" body=%zu[%.*s]\n", n, (int)(n > 40 ? 40 : n), (const char *)evbuffer_pullup(in, -1));
	fflush(stdout);
}

static void gencb(struct evhttp_request *req, void *arg)
{
	const char *uri = evhttp_request_get_uri(req);
	struct evbuffer *out = evhttp_request_get_output_buffer(req);
	print_request(req, arg ? (const char *)arg : "gen");
	if (!strncmp(uri, "/code/", 6)) {
		evbuffer_add(out, "x", 1);
		evhttp_send_reply(req, atoi(uri + 6), NULL, NULL);
	} else if (!strcmp(uri, "/chunk")) {
		struct evbuffer *b = evbuffer_new();
		evhttp_send_reply_start(req, 200, "Streaming");
		evbuffer_add(b, "ab", 2);
		evhttp_send_reply_chunk(req, b);
		evbuffer_add(b, "cde", 3);
		evhttp_send_reply_chunk(req, b);
		evhttp_send_reply_chunk(req, b); /* empty: sends nothing */
		evhttp_send_reply_end(req);
		evbuffer_free(b);
	} else if (!strcmp(uri, "/err")) {
		evhttp_send_error(req, 418, "Teapot");
	} else if (!strcmp(uri, "/err2")) {
		evhttp_send_error(req, 503, NULL);
	} else if (!strcmp(uri, "/empty")) {
		evhttp_send_reply(req, 200, "OK", NULL);
	} else if (!strcmp(uri, "/headers")) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/plain");
		evhttp_add_header(evhttp_request_get_output_headers(req), "X-Mine", "yes");
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Length", "3");
		evbuffer_add(out, "abc", 3);
		evhttp_send_reply(req, 200, "Fine", NULL);
	} else if (!strcmp(uri, "/keepalive")) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "keep-alive");
		evbuffer_add(out, "k", 1);
		evhttp_send_reply(req, 200, "OK", NULL);
	} else if (!strcmp(uri, "/closeme")) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
		evbuffer_add(out, "c", 1);
		evhttp_send_reply(req, 200, "OK", NULL);
	} else {
		struct evbuffer *b = evbuffer_new();
		evbuffer_add_buffer(b, evhttp_request_get_input_buffer(req));
		evbuffer_add_printf(b, "<%s>", uri);
		evhttp_send_reply(req, 200, "OK", b);
		evbuffer_free(b);
	}
}

static void cb_route(struct evhttp_request *req, void *arg)
{
	print_request(req, "route");
	evhttp_send_reply(req, 200, "Routed", NULL);
}

/* ---- the client side: blocking sockets in a thread */

static int connect_server(void)
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

/* Reads until EOF or until nothing came for idle_ms; returns the bytes read. */
static size_t read_reply(int fd, char *buf, size_t cap, int idle_ms, int *eof)
{
	size_t n = 0;
	*eof = 0;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;
		if (poll(&p, 1, idle_ms) <= 0)
			break;
		r = recv(fd, buf + n, cap - n - 1, 0);
		if (r <= 0) {
			*eof = 1;
			break;
		}
		n += r;
	}
	buf[n] = 0;
	return n;
}

static void print_reply(const char *buf, size_t n, int eof)
{
	size_t i;
	const char *date;
	printf("  reply:");
	for (i = 0; i < n; i++) {
		if (!strncmp(buf + i, "Date: ", 6) && (date = strstr(buf + i, "\r\n"))) {
			printf(" [Date: <date>]");
			i = date - buf + 1;
			continue;
		}
		if (buf[i] == '\r')
			printf("\\r");
		else if (buf[i] == '\n')
			printf("\\n\n         ");
		else
			putchar(buf[i]);
	}
	printf("%s\n", eof ? "<closed>" : "<open>");
	fflush(stdout);
}

/* One exchange: sends the request text (pieces split by '|' are sent 50 ms apart). With
 * head_only, only the head of the reply is printed: libevent sends a body after the head of a
 * HEAD, 204 or 304 reply, which event_rs does not (it would be read as the next reply). */
static void exchange_(const char *title, const char *req, int idle_ms, int head_only)
{
	static char buf[1 << 20];
	int fd = connect_server(), eof;
	size_t n;
	const char *p = req;
	printf("== %s\n", title);
	fflush(stdout);
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		CHECK(send(fd, p, len, MSG_NOSIGNAL) == (ssize_t)len);
		p += len;
		if (bar) {
			usleep(50000);
			p++;
		}
	}
	n = read_reply(fd, buf, sizeof(buf), idle_ms, &eof);
	if (head_only) {
		char *end = strstr(buf, "\r\n\r\n");
		if (end)
			n = end + 4 - buf;
	}
	print_reply(buf, n, eof);
	close(fd);
}

static void exchange(const char *title, const char *req, int idle_ms)
{
	exchange_(title, req, idle_ms, 0);
}

static void exchange_head(const char *title, const char *req, int idle_ms)
{
	exchange_(title, req, idle_ms, 1);
}

/* A request that could be framed two ways: refused (4xx or closed) or read once, as chunked.
 * libevent is fooled by some (vulnerable != 0): then only the title is printed (that event_rs
 * refuses them is checked by the parser's Rust tests). */
static void smuggle(const char *title, const char *req, int vulnerable)
{
	static char buf[1 << 16];
	int fd = connect_server(), eof;
	size_t n;
	CHECK(send(fd, req, strlen(req), MSG_NOSIGNAL) == (ssize_t)strlen(req));
	n = read_reply(fd, buf, sizeof(buf), 500, &eof);
	(void)n;
	if (vulnerable)
		printf("== %s\n", title);
	else if (strstr(buf, "/smuggled"))
		printf("== %s: SMUGGLED\n", title);
	else
		printf("== %s: not smuggled\n", title);
	fflush(stdout);
	close(fd);
}

static void *client(void *arg)
{
	char big[20000];
	char *req;
	(void)arg;
	exchange("GET 1.1", "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n", 300);
	exchange("GET 1.0", "GET /hello HTTP/1.0\r\n\r\n", 1000);
	exchange("GET 1.0 keep-alive", "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 300);
	exchange("GET 1.1 close", "GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n", 1000);
	exchange_head("HEAD", "HEAD /hello HTTP/1.1\r\n\r\n", 300);
	exchange_head("HEAD chunked reply", "HEAD /chunk HTTP/1.1\r\n\r\n", 300);
	exchange("POST body", "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", 300);
	exchange("POST body in pieces", "POST /echo HTTP/1.1\r\nCont|ent-Length: 11\r\n\r\nhello| world", 300);
	exchange("POST chunked", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", 300);
	exchange("POST chunked trailer", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n", 300);
	exchange("POST chunked pieces", "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r|\nhel|lo\r\n0\r\n|\r\n", 300);
	exchange("GET with body", "GET /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 300);
	exchange("POST no length", "POST /echo HTTP/1.1\r\n\r\n", 300);
	exchange("pipelined", "GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 2\r\n\r\nxyGET /3 HTTP/1.1\r\nConnection: close\r\n\r\n", 1000);
	exchange("pipelined chunked reply", "GET /chunk HTTP/1.1\r\n\r\nGET /hello HTTP/1.1\r\n\r\n", 300);
	exchange("chunk 1.0", "GET /chunk HTTP/1.0\r\n\r\n", 1000);
	exchange("folded", "GET /f HTTP/1.1\r\nX-Long: one\r\n  two\r\n\tthree\r\nY:  y  \r\n\r\n", 300);
	exchange("expect 100", "POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n|body", 300);
	exchange("expect other", "POST /echo HTTP/1.1\r\nExpect: something\r\nContent-Length: 4\r\n\r\nbody", 1000);
	exchange("expect 1.0", "POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody", 1000);
	exchange("code 200", "GET /code/200 HTTP/1.1\r\n\r\n", 300);
	exchange_head("code 204", "GET /code/204 HTTP/1.1\r\n\r\n", 300);
	exchange_head("code 304", "GET /code/304 HTTP/1.1\r\n\r\n", 300);
	exchange("code 404", "GET /code/404 HTTP/1.1\r\n\r\n", 300);
	exchange("code 307", "GET /code/307 HTTP/1.1\r\n\r\n", 300);
	exchange("errors", "GET /err HTTP/1.1\r\n\r\n", 1000);
	exchange("errors default reason", "GET /err2 HTTP/1.0\r\n\r\n", 1000);
	exchange("empty reply", "GET /empty HTTP/1.1\r\n\r\n", 300);
	exchange("own headers", "GET /headers HTTP/1.1\r\n\r\n", 300);
	exchange("keep-alive header from handler 1.0", "GET /keepalive HTTP/1.0\r\n\r\n", 1000);
	exchange("close from handler", "GET /closeme HTTP/1.1\r\n\r\n", 1000);
	exchange("route", "GET /route?x=1 HTTP/1.1\r\n\r\n", 300);
	exchange("route prefix no match", "GET /routex HTTP/1.1\r\n\r\n", 300);
	exchange("vhost", "GET /v HTTP/1.1\r\nHost: www.example.com:8080\r\n\r\n", 300);
	exchange("vhost 404", "GET /nothing<b> HTTP/1.1\r\nHost: a.example.com\r\n\r\n", 1000);
	exchange("alias", "GET /v HTTP/1.1\r\nHost: alias.test\r\n\r\n", 300);
	exchange("absolute uri", "GET http://www.example.com/v?q HTTP/1.1\r\n\r\n", 300);
	exchange("proxy uri", "GET http://elsewhere.org/p HTTP/1.1\r\n\r\n", 300);
	exchange("lowercase method", "get / HTTP/1.1\r\n\r\n", 1000);
	exchange("unknown method", "BREW / HTTP/1.1\r\n\r\n", 1000);
	exchange("disallowed method", "PATCH / HTTP/1.1\r\n\r\n", 1000);
	exchange("bad request line", "GARBAGE\r\n\r\n", 1000);
	exchange("bad version", "GET / HTTP/2.0\r\n\r\n", 1000);
	exchange("version junk", "GET / HTTP/1.1x\r\n\r\n", 1000);
	exchange("no colon", "GET / HTTP/1.1\r\nNoColonHere\r\n\r\n", 1000);
	exchange("fold first", "GET / HTTP/1.1\r\n folded\r\n\r\n", 1000);
	exchange("negative length", "POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\nhello", 1000);
	exchange("junk length", "POST / HTTP/1.1\r\nContent-Length: 5x\r\n\r\nhello", 1000);
	exchange("body too long", "POST / HTTP/1.1\r\nContent-Length: 2000\r\n\r\nhello", 1000);
	exchange("chunk too long", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n7d1\r\nhello", 1000);
	exchange("chunk size junk", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 1000);
	exchange("chunk size negative", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", 1000);
	exchange("chunk size overflow", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nhello\r\n0\r\n\r\n", 1000);
	exchange("garbage after request", "GET /a HTTP/1.1\r\n\r\nxx yy\r\n\r\n", 1000);
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	strcpy(big + 1500, " HTTP/1.1\r\n\r\n");
	exchange("long request line", big, 1000);
	req = malloc(3000);
	strcpy(req, "GET / HTTP/1.1\r\nX-Big: ");
	memset(req + strlen(req), 'b', 1200);
	strcpy(req + 23 + 1200, "\r\n\r\n");
	exchange("headers too long", req, 1000);
	free(req);
	exchange("headers too long unterminated", "GET / HTTP/1.1\r\nX: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1000);
	quiet = 1;
	smuggle("TE and CL", "POST /a HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n", 0);
	smuggle("CL and TE", "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n", 0);
	smuggle("two lengths", "POST /a HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 27\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n", 1);
	smuggle("space before colon", "POST /a HTTP/1.1\r\nContent-Length : 27\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n", 1);
	quiet = 0;
	done = 1;
	return NULL;
}

static void tick(evutil_socket_t fd, short what, void *arg)
{
	if (done)
		event_base_loopbreak(arg);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct evhttp *http = evhttp_new(base), *vhost = evhttp_new(base);
	struct evhttp_bound_socket *bound;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct timeval ms10 = { 0, 10000 };
	struct event *t;
	pthread_t th;

	bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	CHECK(bound != NULL);
	CHECK(getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sin, &len) == 0);
	port = ntohs(sin.sin_port);
	evhttp_set_gencb(http, gencb, NULL);
	CHECK_EQ(evhttp_set_cb(http, "/route", cb_route, NULL), 0);
	CHECK_EQ(evhttp_set_cb(http, "/route", cb_route, NULL), -1);
	evhttp_set_max_headers_size(http, 1000);
	evhttp_set_max_body_size(http, 1000);
	evhttp_set_cb(vhost, "/v", cb_route, NULL);
	CHECK_EQ(evhttp_add_virtual_host(http, "*.example.com", vhost), 0);
	CHECK_EQ(evhttp_add_server_alias(vhost, "alias.test"), 0);

	t = event_new(base, -1, EV_PERSIST, tick, base);
	event_add(t, &ms10);
	CHECK(pthread_create(&th, NULL, client, NULL) == 0);
	event_base_dispatch(base);
	pthread_join(th, NULL);
	event_free(t);
	evhttp_free(http);
	event_base_free(base);
	printf("done\n");
	return 0;
}
