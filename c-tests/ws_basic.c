/* WebSocket (event2/ws.h, libevent 2.2's server API, and event_rs's client) over loopback, our
 * server against our client: text (UTF-8), binary of 0, 125, 126, 65535, 65536 and 70000
 * bytes echoed intact; evws_close from either side ends both with code 1000 and each close
 * callback runs once; evws_connection_free from inside a message callback, on the server (the
 * client sees 1006) and on the client, and from a close callback (ignored); a handshake that the server does not accept, a plain GET
 * on the WebSocket path (400), and a URI that is not ws://.
 * needs: event_rs (2.2 API: libevent 2.1.12 has no ws.h). No duration is asserted: the guard
 * timer only stops a hang. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <event2/ws.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <string.h>
#include "check.h"

static struct event_base *base;
static int port;
static int pending;
static int server_closes;

static void done_one(void)
{
	if (--pending == 0)
		event_base_loopbreak(base);
}

static void guard_cb(evutil_socket_t fd, short w, void *arg)
{
	(void)fd; (void)w; (void)arg;
	fprintf(stderr, "hang: %d outcomes still expected\n", pending);
	exit(1);
}

/* ---- server */

static void srv_close(struct evws_connection *evws, void *arg)
{
	(void)arg;
	CHECK(evws_connection_get_bufferevent(evws) != NULL);
	/* ending: sends are dropped, and a free from here is ignored (the library frees it) */
	evws_send_text(evws, "too late");
	evws_connection_free(evws);
	server_closes++;
	done_one();
}

static void srv_msg(struct evws_connection *evws, int type, const unsigned char *data, size_t len, void *arg)
{
	(void)arg;
	CHECK(data[len] == 0);
	if (type == WS_TEXT_FRAME && !strcmp((const char *)data, "free-me")) {
		evws_connection_free(evws);
		return;
	}
	if (type == WS_TEXT_FRAME && !strcmp((const char *)data, "close-me")) {
		evws_close(evws, WS_CR_NORMAL);
		evws_send_text(evws, "ignored after close");
		return;
	}
	if (type == WS_TEXT_FRAME)
		evws_send_text(evws, (const char *)data);
	else
		evws_send_binary(evws, (const char *)data, len);
}

static void http_cb(struct evhttp_request *req, void *arg)
{
	(void)arg;
	if (!strcmp(evhttp_request_get_uri(req), "/ws")) {
		struct evws_connection *evws = evws_new_session(req, srv_msg, NULL, 0);
		if (evws)
			evws_connection_set_closecb(evws, srv_close, NULL);
		return;
	}
	evhttp_send_reply(req, 200, "OK", NULL);
}

/* ---- clients */

static const size_t sizes[] = {0, 125, 126, 65535, 65536, 70000};
#define NSIZES (sizeof sizes / sizeof sizes[0])
static const char *utf8 = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80";

struct client {
	const char *name;
	int echoes;          /* messages to receive before closing */
	int opened, closed;
	int want_code;       /* close code expected in the close callback */
	int free_on_msg;     /* free the session from its own message callback */
	int server_side;     /* the server ends it (free-me / close-me) */
	const char *first;   /* text to send on open */
};

static unsigned char pattern(size_t i) { return (unsigned char)(i * 7 + 3); }

static void cli_msg(struct evws_connection *evws, int type, const unsigned char *data, size_t len, void *arg)
{
	struct client *c = arg;
	if (c->free_on_msg) {
		CHECK_EQ(type, WS_TEXT_FRAME);
		evws_connection_free(evws);
		return;
	}
	if (type == WS_TEXT_FRAME) {
		CHECK(!strcmp((const char *)data, utf8));
	} else {
		size_t i;
		CHECK_EQ(type, WS_BINARY_FRAME);
		CHECK_EQ(len, sizes[c->echoes - 1]);
		for (i = 0; i < len; i++)
			CHECK_EQ(data[i], pattern(i));
	}
	if (++c->echoes == (int)NSIZES + 1)
		evws_close(evws, WS_CR_NORMAL);
}

static void cli_open(struct evws_connection *evws, void *arg)
{
	struct client *c = arg;
	c->opened++;
	if (c->first) {
		evws_send_text(evws, c->first);
		return;
	}
	evws_send_text(evws, utf8);
	for (size_t k = 0; k < NSIZES; k++) {
		char *buf = malloc(sizes[k] + 1);
		for (size_t i = 0; i < sizes[k]; i++)
			buf[i] = (char)pattern(i);
		evws_send_binary(evws, buf, sizes[k]);
		free(buf);
	}
}

static void cli_close(struct evws_connection *evws, void *arg)
{
	struct client *c = arg;
	c->closed++;
	if (evws_connection_get_close_code(evws) != c->want_code) {
		fprintf(stderr, "%s: close code %d, expected %d\n", c->name, evws_connection_get_close_code(evws), c->want_code);
		exit(1);
	}
	done_one();
}

static struct evws_connection *start(struct client *c, const char *path)
{
	char uri[128];
	struct evws_connection *evws;
	snprintf(uri, sizeof uri, "ws://127.0.0.1:%d%s", port, path);
	evws = evws_connect(base, NULL, uri, 0, cli_msg, c);
	CHECK(evws != NULL);
	evws_connection_set_opencb(evws, cli_open, c);
	evws_connection_set_closecb(evws, cli_close, c);
	return evws;
}

static int plain_code;
static void plain_done(struct evhttp_request *req, void *arg)
{
	(void)arg;
	plain_code = req ? evhttp_request_get_response_code(req) : -1;
	done_one();
}

int main(void)
{
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	struct timeval guard = {60, 0};
	struct event *g;
	struct client echo = {"echo", 0, 0, 0, 1000, 0, 0, NULL};
	struct client srvfree = {"server-free", 0, 0, 0, 1006, 0, 1, "free-me"};
	struct client srvclose = {"server-close", 0, 0, 0, 1000, 0, 1, "close-me"};
	struct client clifree = {"client-free", 0, 0, 0, 1006, 1, 0, "x"};
	struct client refused = {"not-upgraded", 0, 0, 0, 1006, 0, 0, NULL};
	struct evhttp_connection *evcon;
	struct evhttp_request *req;

	base = event_base_new();
	CHECK(base != NULL);
	http = evhttp_new(base);
	evhttp_set_gencb(http, http_cb, NULL);
	bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	CHECK(bound != NULL);
	CHECK(getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sin, &slen) == 0);
	port = ntohs(sin.sin_port);
	g = evtimer_new(base, guard_cb, NULL);
	evtimer_add(g, &guard);

	CHECK(evws_connect(base, NULL, "http://127.0.0.1/", 0, cli_msg, NULL) == NULL);
	CHECK(evws_connect(base, NULL, "ws://", 0, cli_msg, NULL) == NULL);
	CHECK(evws_new_session(NULL, srv_msg, NULL, 0) == NULL);

	/* client outcomes: 5 close callbacks and one plain reply; server: 4 sessions end */
	pending = 5 + 1 + 4;
	start(&echo, "/ws");
	start(&srvfree, "/ws");
	start(&srvclose, "/ws");
	start(&clifree, "/ws");
	start(&refused, "/other");
	evcon = evhttp_connection_base_new(base, NULL, "127.0.0.1", port);
	req = evhttp_request_new(plain_done, NULL);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host", "localhost");
	CHECK(evhttp_make_request(evcon, req, EVHTTP_REQ_GET, "/ws") == 0);

	event_base_dispatch(base);
	CHECK_EQ(pending, 0);
	CHECK_EQ(echo.opened, 1); CHECK_EQ(echo.closed, 1); CHECK_EQ(echo.echoes, NSIZES + 1);
	CHECK_EQ(srvfree.opened, 1); CHECK_EQ(srvfree.closed, 1);
	CHECK_EQ(srvclose.opened, 1); CHECK_EQ(srvclose.closed, 1);
	CHECK_EQ(clifree.opened, 1); CHECK_EQ(clifree.closed, 1);
	CHECK_EQ(refused.opened, 0); CHECK_EQ(refused.closed, 1);
	CHECK_EQ(server_closes, 4);
	CHECK_EQ(plain_code, 400);

	evhttp_connection_free(evcon);
	evhttp_free(http);
	event_free(g);
	event_base_free(base);
	printf("ws_basic: ok\n");
	return 0;
}
