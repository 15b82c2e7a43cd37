/* Streamed bodies (event_rs extension, declared in event2/http.h): a client uploads a body
 * piece by piece (evhttp_make_request_chunked, a piece per drained callback) to a server whose
 * handler hashes the body as it arrives (evhttp_request_set_body_cb from the newreqcb), and the
 * server's hash must equal the client's. Runs: chunked; with a Content-Length and a slow
 * handler that pauses the body until the client is seen blocked (its output buffer holding
 * bytes and no drained callback meanwhile: the sender was held back by the server's
 * flow control); a body refused by its start callback (413, read by the client); and a
 * connection freed from its own body callback. Prints the process's peak RSS and the rate.
 * needs: event_rs (our extension). No duration is asserted. http_stream_1g.c runs 1 GiB. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <string.h>
#include <signal.h>
#include <stdint.h>
#include <inttypes.h>
#include "check.h"

#ifndef STREAM_MB
#define STREAM_MB 16
#endif
#define PIECE (64 * 1024)

enum mode { CHUNKED, LENGTH_SLOW, REFUSE, FREE_IN_CB };

static struct event_base *base;
static struct evhttp *http;
static int port;
static enum mode mode;
static uint64_t total, cli_bytes, srv_bytes, cli_hash, srv_hash, rng;
static int ended, drains, handler_ran, starts, completed, got_code;
static size_t max_piece, max_client_out;
static struct evhttp_connection *evcon;
static struct evhttp_request *paused_req;
static struct event *resume_ev;
static int pauses, blocked_seen, last_drains, polls;
static uint64_t next_pause;

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* ---- server ---- */

static int start_cb(struct evhttp_request *req, void *arg)
{
	(void)arg;
	starts++;
	CHECK(strcmp(evhttp_request_get_uri(req), "/upload") == 0);
	return mode == REFUSE ? HTTP_ENTITYTOOLARGE : 0;
}

static void resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timeval tv = { 0, 2000 };
	struct evbuffer *out = bufferevent_get_output(evhttp_connection_get_bufferevent(evcon));
	(void)fd; (void)what; (void)arg;
	/* The client is blocked when it holds unsent bytes and got no drained callback since the
	 * last look. Give up waiting after a while (then the check below fails). */
	if ((evbuffer_get_length(out) > 0 && drains == last_drains) || ++polls > 2000) {
		if (polls <= 2000)
			blocked_seen++;
		polls = 0;
		evhttp_request_resume_body(paused_req);
		paused_req = NULL;
		return;
	}
	last_drains = drains;
	event_add(resume_ev, &tv);
}

static void body_cb(struct evhttp_request *req, struct evbuffer *body, void *arg)
{
	unsigned char tmp[PIECE];
	size_t n = evbuffer_get_length(body);
	(void)arg;
	CHECK(!paused_req);
	if (n > max_piece)
		max_piece = n;
	while (evbuffer_get_length(body) > 0) {
		int got = evbuffer_remove(body, tmp, sizeof(tmp));
		CHECK(got > 0);
		srv_hash = fnv(srv_hash, tmp, (size_t)got);
		srv_bytes += (uint64_t)got;
	}
	if (mode == FREE_IN_CB) {
		evhttp_connection_free(evhttp_request_get_connection(req));
		return;
	}
	if (mode == LENGTH_SLOW && srv_bytes >= next_pause && srv_bytes < total) {
		struct timeval tv = { 0, 2000 };
		next_pause += 4 << 20;
		pauses++;
		paused_req = req;
		last_drains = drains;
		evhttp_request_pause_body(req);
		event_add(resume_ev, &tv);
	}
}

static int newreq_cb(struct evhttp_request *req, void *arg)
{
	(void)arg;
	CHECK(evhttp_request_set_body_cb(req, start_cb, body_cb, NULL) == 0);
	return 0;
}

static void upload_handler(struct evhttp_request *req, void *arg)
{
	struct evbuffer *reply = evbuffer_new();
	(void)arg;
	handler_ran++;
	CHECK(mode != REFUSE && mode != FREE_IN_CB);
	CHECK_EQ(evbuffer_get_length(evhttp_request_get_input_buffer(req)), 0);
	CHECK_EQ(srv_bytes, total);
	evbuffer_add_printf(reply, "%016" PRIx64, srv_hash);
	evhttp_send_reply(req, HTTP_OK, "OK", reply);
	evbuffer_free(reply);
}

/* ---- client ---- */

static void fill_and_send(struct evhttp_request *req)
{
	unsigned char tmp[PIECE];
	struct evbuffer *buf = evbuffer_new();
	size_t n = total - cli_bytes < PIECE ? (size_t)(total - cli_bytes) : PIECE;
	for (size_t i = 0; i < n; i += 8) {
		rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
		memcpy(tmp + i, &rng, 8);
	}
	cli_hash = fnv(cli_hash, tmp, n);
	cli_bytes += n;
	evbuffer_add(buf, tmp, n);
	CHECK(evhttp_request_write_chunk(req, buf) == 0);
	evbuffer_free(buf);
}

static void drained_cb(struct evhttp_request *req, void *arg)
{
	size_t out = evbuffer_get_length(bufferevent_get_output(evhttp_connection_get_bufferevent(evcon)));
	(void)arg;
	drains++;
	CHECK_EQ(out, 0); /* what was written is out: flow control keeps one piece buffered */
	if (mode == REFUSE)
		return; /* the server answers before any of the body */
	if (cli_bytes < total) {
		fill_and_send(req);
		out = evbuffer_get_length(bufferevent_get_output(evhttp_connection_get_bufferevent(evcon)));
		if (out > max_client_out)
			max_client_out = out;
	} else if (!ended) {
		ended = 1;
		CHECK(evhttp_request_end_chunked(req) == 0);
		CHECK(evhttp_request_write_chunk(req, NULL) == -1);
	}
}

static void done_cb(struct evhttp_request *req, void *arg)
{
	(void)arg;
	completed++;
	if (getenv("DEBUG")) fprintf(stderr, "done: req %p code %d srv %llu cli %llu pauses %d blocked %d\n", (void *)req, req ? evhttp_request_get_response_code(req) : 0, (unsigned long long)srv_bytes, (unsigned long long)cli_bytes, pauses, blocked_seen);
	got_code = req ? evhttp_request_get_response_code(req) : 0;
	if (req && got_code == HTTP_OK) {
		struct evbuffer *in = evhttp_request_get_input_buffer(req);
		char want[17];
		snprintf(want, sizeof(want), "%016" PRIx64, cli_hash);
		CHECK_EQ(evbuffer_get_length(in), 16);
		CHECK(memcmp(evbuffer_pullup(in, -1), want, 16) == 0);
	}
	event_base_loopbreak(base);
}

static double now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static void run(enum mode m, uint64_t bytes)
{
	struct evhttp_request *req;
	double t0;
	mode = m;
	total = bytes;
	cli_bytes = srv_bytes = 0;
	cli_hash = srv_hash = 0xcbf29ce484222325ULL;
	rng = 88172645463325252ULL;
	ended = drains = handler_ran = starts = completed = got_code = 0;
	pauses = blocked_seen = polls = 0;
	next_pause = 4 << 20;
	max_piece = max_client_out = 0;

	evcon = evhttp_connection_base_new(base, NULL, "127.0.0.1", (unsigned short)port);
	CHECK(evcon);
	if (m == REFUSE)
		evhttp_connection_set_flags(evcon, EVHTTP_CON_READ_ON_WRITE_ERROR);
	req = evhttp_request_new(done_cb, NULL);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host", "localhost");
	if (m == LENGTH_SLOW) {
		char len[32];
		snprintf(len, sizeof(len), "%" PRIu64, total);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Length", len);
	}
	evhttp_request_set_drained_cb(req, drained_cb, NULL);
	t0 = now();
	CHECK(evhttp_make_request_chunked(evcon, req, EVHTTP_REQ_POST, "/upload") == 0);
	event_base_dispatch(base);
	CHECK_EQ(completed, 1);
	CHECK_EQ(starts, 1);
	switch (m) {
	case CHUNKED:
	case LENGTH_SLOW: {
		double secs = now() - t0;
		CHECK_EQ(got_code, HTTP_OK);
		CHECK_EQ(handler_ran, 1);
		CHECK_EQ(cli_bytes, total);
		CHECK(srv_hash == cli_hash);
		printf("%s: %" PRIu64 " MiB in pieces of up to %zu bytes at the server, client buffered at most %zu; %.0f MB/s",
		    m == CHUNKED ? "chunked" : "Content-Length, slow handler", total >> 20, max_piece, max_client_out,
		    total / 1e6 / (secs > 0 ? secs : 1e-9));
		if (m == LENGTH_SLOW) {
			printf("; %d pauses, the sender seen blocked in %d", pauses, blocked_seen);
			CHECK(pauses > 0);
			CHECK_EQ(blocked_seen, pauses);
		}
		printf("\n");
		break;
	}
	case REFUSE:
		CHECK_EQ(got_code, HTTP_ENTITYTOOLARGE);
		CHECK_EQ(handler_ran, 0);
		CHECK_EQ(srv_bytes, 0);
		printf("refused by the start callback: %d\n", got_code);
		break;
	case FREE_IN_CB:
		CHECK_EQ(handler_ran, 0);
		CHECK(got_code != HTTP_OK);
		printf("connection freed from its body callback: the client saw the close\n");
		break;
	}
	evhttp_connection_free(evcon);
	fflush(stdout);
}

int main(void)
{
	struct evhttp_bound_socket *bound;
	struct rusage ru;
	signal(SIGPIPE, SIG_IGN); /* a peer that closes mid-upload (the freed connection) */
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_newreqcb(http, newreq_cb, NULL);
	evhttp_set_cb(http, "/upload", upload_handler, NULL);
	bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	CHECK(bound);
	{
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		CHECK(getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&ss, &len) == 0);
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	}
	resume_ev = evtimer_new(base, resume_cb, NULL);

#ifdef STREAM_ONLY_BIG
	run(CHUNKED, (uint64_t)STREAM_MB << 20);
#else
	run(CHUNKED, (uint64_t)STREAM_MB << 20);
	run(LENGTH_SLOW, (uint64_t)STREAM_MB << 20);
	run(REFUSE, 1 << 20);
	run(FREE_IN_CB, 1 << 20);
#endif
	CHECK(getrusage(RUSAGE_SELF, &ru) == 0);
	printf("peak RSS of the process (client and server): %ld kB\n", ru.ru_maxrss);
#ifdef STREAM_MAX_RSS_KB
	CHECK(ru.ru_maxrss < STREAM_MAX_RSS_KB);
#endif
	event_free(resume_ev);
	evhttp_free(http);
	event_base_free(base);
	printf("ok\n");
	return 0;
}
