/* The server on the wire at its edges: a 3 MB request line and a 3 MB header line (no size
 * limits set), chunk-size lines, a 20-digit Content-Length, and the reply to CONNECT. Raw
 * requests come from a client thread; the status line of each reply is printed.
 * compare-output, check-preload: the output must equal libevent's. Where event_rs differs on
 * purpose (README, "Deliberate differences from libevent": a chunk size must be plain hex
 * digits, a chunk extension is accepted), the test checks each library's own answer and
 * prints the same line for both. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <dlfcn.h>
#include <fcntl.h>
#include "check.h"

#define BIG (3 * 1024 * 1024)

static int port_free, port_limited; /* servers without limits, and with a 1000-byte body limit */
static volatile int done;
static int is_event_rs;

static void gencb(struct evhttp_request *req, void *arg)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	const char *big = evhttp_find_header(evhttp_request_get_input_headers(req), "X-Big");
	const char *uri = evhttp_request_get_uri(req);
	(void)arg;
	size_t n = evbuffer_get_length(in);
	printf("  callback: uri %zu bytes, X-Big %zu bytes, body %zu [%.*s]\n", strlen(uri),
	    big ? strlen(big) : 0, n, (int)(n > 10 ? 10 : n), n ? (const char *)evbuffer_pullup(in, -1) : "");
	fflush(stdout);
	if (evhttp_request_get_command(req) == EVHTTP_REQ_CONNECT)
		evbuffer_add(evhttp_request_get_output_buffer(req), "tunnel", 6);
	evhttp_send_reply(req, 200, "OK", NULL);
}

/* ---- the client thread: blocking sockets ---- */

static int connect_to(int port)
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

/* Sends the request, reads the reply until the server closes or is quiet for idle_ms, and
 * returns it (a static buffer); the Date header is left out. */
static const char *exchange(int port, const char *req, size_t len, int idle_ms)
{
	static char buf[1 << 16];
	size_t n = 0, off = 0;
	char *date;
	int fd = connect_to(port);
	while (off < len) {
		ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		off += w;
	}
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;
		if (poll(&p, 1, idle_ms) <= 0)
			break;
		r = recv(fd, buf + n, sizeof(buf) - 1 - n, 0);
		if (r <= 0)
			break;
		n += r;
	}
	buf[n] = 0;
	close(fd);
	if ((date = strstr(buf, "Date: ")) != NULL) {
		char *end = strstr(date, "\r\n");
		if (end)
			memmove(date, end + 2, strlen(end + 2) + 1);
	}
	return buf;
}

/* The status line of the reply, "(nothing)" when none came. */
static const char *status(const char *reply)
{
	static char line[128];
	size_t n = strcspn(reply, "\r\n");
	if (n == 0)
		return "(nothing)";
	if (n >= sizeof line)
		n = sizeof line - 1;
	memcpy(line, reply, n);
	line[n] = 0;
	return line;
}

static void show(const char *title, int port, const char *req)
{
	const char *reply;
	printf("== %s\n", title);
	fflush(stdout);
	reply = exchange(port, req, strlen(req), 1000);
	printf("  reply: %s\n", status(reply));
	fflush(stdout);
}

/* A request whose answer differs on purpose: each library's own answer is checked. */
static void differs(const char *title, int port, const char *req, const char *libevent, const char *event_rs)
{
	const char *reply;
	int saved = dup(1), null = open("/dev/null", O_WRONLY);
	/* The callback's line is printed by one library only: hidden. */
	fflush(stdout);
	dup2(null, 1);
	reply = exchange(port, req, strlen(req), 1000);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(null);
	if (strcmp(status(reply), is_event_rs ? event_rs : libevent)) {
		fprintf(stderr, "%s: got %s, expected %s\n", title, status(reply), is_event_rs ? event_rs : libevent);
		exit(1);
	}
	printf("== %s: each library's answer\n", title);
	fflush(stdout);
}

static char *build(const char *head, int fill, size_t n, const char *tail, size_t *len)
{
	size_t h = strlen(head), t = strlen(tail);
	char *m = malloc(h + n + t + 1);
	CHECK(m != NULL);
	memcpy(m, head, h);
	memset(m + h, fill, n);
	memcpy(m + h + n, tail, t + 1);
	*len = h + n + t;
	return m;
}

#define CHUNKED "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"

static void *client(void *arg)
{
	size_t len;
	char *m;
	(void)arg;

	/* Long lines: read whole (no timing is checked here; see make bench). */
	m = build("GET /", 'u', BIG, " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", &len);
	printf("== 3 MB request line\n");
	printf("  reply: %s\n", status(exchange(port_free, m, len, 5000)));
	free(m);
	m = build("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Big: ", 'h', BIG, "\r\n\r\n", &len);
	printf("== 3 MB header line\n");
	printf("  reply: %s\n", status(exchange(port_free, m, len, 5000)));
	free(m);

	/* Chunk sizes both libraries read, and refuse (libevent's answer: 413). */
	show("chunk size 5", port_free, CHUNKED "5\r\nhello\r\n0\r\n\r\n");
	show("chunk size '5 '", port_free, CHUNKED "5 \r\nhello\r\n0\r\n\r\n");
	show("chunk size '5 x'", port_free, CHUNKED "5 x\r\nhello\r\n0\r\n\r\n");
	show("chunk size 'zz'", port_free, CHUNKED "zz\r\nhello\r\n0\r\n\r\n");
	show("chunk size '5<tab>'", port_free, CHUNKED "5\t\r\nhello\r\n0\r\n\r\n");
	show("chunk size -5", port_free, CHUNKED "-5\r\nhello\r\n0\r\n\r\n");
	show("chunk data too long", port_free, CHUNKED "5\r\nhelloX\r\n0\r\n\r\n");
	show("chunk size past 64 bits, limited", port_limited, CHUNKED "ffffffffffffffffffff\r\nhello\r\n0\r\n\r\n");

	/* Deliberate differences: a chunk size that is not plain hex digits is refused with 400
	 * (libevent reads it with strtoll); an extension is accepted (libevent: 413). */
	differs("chunk size 0x5", port_free, CHUNKED "0x5\r\nhello\r\n0\r\n\r\n", "HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request");
	differs("chunk size ' 5 '", port_free, CHUNKED " 5 \r\nhello\r\n0\r\n\r\n", "HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request");
	differs("chunk size +5", port_free, CHUNKED "+5\r\nhello\r\n0\r\n\r\n", "HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request");
	differs("blank line before a chunk size", port_free, CHUNKED "5\r\nhello\r\n\r\n0\r\n\r\n", "HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request");
	differs("chunk extension", port_free, CHUNKED "5;foo=bar\r\nhello\r\n0\r\n\r\n", "HTTP/1.1 413 Request Entity Too Large", "HTTP/1.1 200 OK");

	/* Content-Length past 64 bits: the largest length, too large for a limit (413). */
	show("20-digit length, limited", port_limited, "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\nhello");
	show("19-digit length, limited", port_limited, "POST / HTTP/1.1\r\nContent-Length: 9999999999999999999\r\n\r\nhello");
	show("hex length", port_free, "POST / HTTP/1.1\r\nContent-Length: 0x5\r\n\r\nhello");

	/* The reply to CONNECT has no Content-Length; its bytes are the tunnel's and are sent. */
	{
		const char *r = exchange(port_free, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n",
		    strlen("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n"), 300);
		printf("== CONNECT\n  reply: %s, Content-Length %s, tunnel bytes %s\n", status(r),
		    strstr(r, "Content-Length") ? "present" : "absent", strstr(r, "\r\n\r\ntunnel") ? "sent" : "missing");
	}
	fflush(stdout);
	done = 1;
	return NULL;
}

static void tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	if (done)
		event_base_loopbreak(arg);
}

static int bind_server(struct evhttp *http)
{
	struct evhttp_bound_socket *bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	CHECK(bound != NULL);
	CHECK(getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sin, &len) == 0);
	evhttp_set_gencb(http, gencb, NULL);
	return ntohs(sin.sin_port);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct evhttp *free_http = evhttp_new(base), *limited = evhttp_new(base);
	struct timeval ms10 = { 0, 10000 };
	struct event *t;
	pthread_t th;

	/* ev_version_major: a libev function only event_rs exports (this build does not link
	 * libev), so it names the library that runs, also under LD_PRELOAD. */
	is_event_rs = dlsym(RTLD_DEFAULT, "ev_version_major") != NULL;
	port_free = bind_server(free_http);
	port_limited = bind_server(limited);
	evhttp_set_max_body_size(limited, 1000);
	evhttp_set_allowed_methods(free_http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_CONNECT);

	t = event_new(base, -1, EV_PERSIST, tick, base);
	event_add(t, &ms10);
	CHECK(pthread_create(&th, NULL, client, NULL) == 0);
	event_base_dispatch(base);
	pthread_join(th, NULL);
	event_free(t);
	evhttp_free(free_http);
	evhttp_free(limited);
	event_base_free(base);
	printf("done\n");
	return 0;
}
