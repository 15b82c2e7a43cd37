/* evhttp upload throughput: a client POSTs MB megabytes to a server on the same base over
 * loopback; prints MB/s (per CPU second of the process, see bench.h).
 *   bench_http_upload buffered MB   the 2.1 way: the whole body in the request's output buffer,
 *                                   collected whole by the server before its callback runs
 *   bench_http_upload streamed MB   event_rs's streamed bodies: the client writes 64 KiB pieces
 *                                   as the previous ones drain (evhttp_make_request_chunked),
 *                                   the server's body callback consumes each piece as it is
 *                                   read; built against a libevent without them, it runs the
 *                                   buffered upload instead (the row compares the two ways) */
#include "bench.h"
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>

#define PIECE (64 * 1024)

static struct event_base *base;
static size_t total, sent, received;
static int ok;
static char piece[PIECE];

static void handler(struct evhttp_request *req, void *arg)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	(void)arg;
	received += evbuffer_get_length(in);
	evbuffer_drain(in, evbuffer_get_length(in));
	evhttp_send_reply(req, received == total ? HTTP_OK : HTTP_INTERNAL, "OK", NULL);
}

static void done(struct evhttp_request *req, void *arg)
{
	(void)arg;
	ok = req && evhttp_request_get_response_code(req) == HTTP_OK;
	event_base_loopbreak(base);
}

#ifdef EVENT_RS_HTTP_STREAMED_BODIES
static void body_cb(struct evhttp_request *req, struct evbuffer *body, void *arg)
{
	(void)req; (void)arg;
	received += evbuffer_get_length(body);
	evbuffer_drain(body, evbuffer_get_length(body));
}

static int newreq(struct evhttp_request *req, void *arg)
{
	(void)arg;
	evhttp_request_set_body_cb(req, NULL, body_cb, NULL);
	return 0;
}

static void drained(struct evhttp_request *req, void *arg)
{
	(void)arg;
	if (sent < total) {
		size_t n = total - sent < PIECE ? total - sent : PIECE;
		struct evbuffer *b = evbuffer_new();
		evbuffer_add(b, piece, n);
		evhttp_request_write_chunk(req, b);
		evbuffer_free(b);
		sent += n;
	} else {
		evhttp_request_end_chunked(req);
		sent++; /* once */
	}
}
#endif

int main(int argc, char **argv)
{
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	struct evhttp_connection *evcon;
	struct evhttp_request *req;
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int streamed;
	double t0, t1;

	if (argc < 3)
		die("usage: bench_http_upload buffered|streamed MB");
	streamed = strcmp(argv[1], "streamed") == 0;
	total = (size_t)atol(argv[2]) << 20;
	signal(SIGPIPE, SIG_IGN);
	memset(piece, 'x', sizeof piece);
	if (!(base = event_base_new()) || !(http = evhttp_new(base)))
		die("evhttp_new");
	evhttp_set_cb(http, "/upload", handler, NULL);
	if (!(sock = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) ||
	    getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&sin, &len) != 0)
		die("bind");
	evcon = evhttp_connection_base_new(base, NULL, "127.0.0.1", ntohs(sin.sin_port));
	req = evhttp_request_new(done, NULL);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host", "localhost");
	t0 = now_s();
#ifdef EVENT_RS_HTTP_STREAMED_BODIES
	if (streamed) {
		evhttp_set_newreqcb(http, newreq, NULL);
		evhttp_request_set_drained_cb(req, drained, NULL);
		if (evhttp_make_request_chunked(evcon, req, EVHTTP_REQ_POST, "/upload") != 0)
			die("request");
	} else
#endif
	{
		struct evbuffer *out = evhttp_request_get_output_buffer(req);
		size_t i;
		(void)streamed;
		for (i = 0; i < total; i += PIECE)
			evbuffer_add(out, piece, total - i < PIECE ? total - i : PIECE);
		if (evhttp_make_request(evcon, req, EVHTTP_REQ_POST, "/upload") != 0)
			die("request");
	}
	event_base_dispatch(base);
	t1 = now_s();
	if (!ok || received != total)
		die("upload failed");
	printf("%.1f\n", total / 1e6 / (t1 - t0));
	evhttp_connection_free(evcon);
	evhttp_free(http);
	event_base_free(base);
	return 0;
}
