/* A WebSocket chat over evhttp (event2/ws.h: libevent 2.2's API, provided by event_rs on the
 * 2.1 ABI; the system's libevent 2.1.12 cannot build this one):
 *   GET /     -> a page with a small chat client for a browser
 *   GET /ws   -> the WebSocket: every message a client sends (text or binary) goes to every
 *                client, the sender included, so a lone client gets an echo
 * SIGINT/SIGTERM close every session with 1001 ("going away") and stop.
 * It prints its port on the first line of stdout, then one line per event.
 *   usage: ws_chat [port]      (0 or nothing: any free port)
 * needs: event_rs */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/ws.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct client {
	struct evws_connection *evws;
	struct client *next, **prevp;
	int id;
};

static struct client *clients;
static int next_id = 1;
static int stopping;
static struct event_base *base;

static const char page[] =
	"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>event_rs chat</title></head>\n"
	"<body><h1>chat</h1><pre id=\"log\"></pre>\n"
	"<form id=\"f\"><input id=\"m\" autocomplete=\"off\" autofocus><button>send</button></form>\n"
	"<script>\n"
	"const log = document.getElementById('log'), m = document.getElementById('m');\n"
	"const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');\n"
	"const show = t => { log.textContent += t + '\\n'; };\n"
	"ws.onopen = () => show('[connected]');\n"
	"ws.onmessage = e => show(typeof e.data === 'string' ? e.data : '[binary message]');\n"
	"ws.onclose = e => show('[closed ' + e.code + ']');\n"
	"document.getElementById('f').onsubmit = e => { e.preventDefault(); ws.send(m.value); m.value = ''; };\n"
	"</script></body></html>\n";

static void on_close(struct evws_connection *evws, void *arg)
{
	struct client *c = arg;
	(void)evws;
	printf("client %d left (close code %d)\n", c->id, evws_connection_get_close_code(evws));
	fflush(stdout);
	*c->prevp = c->next;
	if (c->next)
		c->next->prevp = c->prevp;
	free(c);
	if (stopping && !clients)
		event_base_loopbreak(base);
}

static void on_msg(struct evws_connection *evws, int type, const unsigned char *data, size_t len, void *arg)
{
	struct client *c, *next;
	(void)evws; (void)arg;
	for (c = clients; c; c = next) {
		next = c->next;
		/* event_rs's evws_send_message keeps a text's U+0000 characters, which
		 * evws_send_text (a C string) would cut at */
		evws_send_message(c->evws, type, data, len);
	}
}

static void ws_cb(struct evhttp_request *req, void *arg)
{
	struct client *c = calloc(1, sizeof *c);
	(void)arg;
	if (!c) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	c->evws = evws_new_session(req, on_msg, c, 0);
	if (!c->evws) { /* not an upgrade: answered 400 */
		free(c);
		return;
	}
	c->id = next_id++;
	c->next = clients;
	if (clients)
		clients->prevp = &c->next;
	c->prevp = &clients;
	clients = c;
	evws_connection_set_closecb(c->evws, on_close, c);
	printf("client %d joined\n", c->id);
	fflush(stdout);
}

static void page_cb(struct evhttp_request *req, void *arg)
{
	struct evbuffer *b = evbuffer_new();
	(void)arg;
	evbuffer_add(b, page, sizeof page - 1);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/html; charset=utf-8");
	evhttp_send_reply(req, HTTP_OK, "OK", b);
	evbuffer_free(b);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct client *c;
	struct timeval grace = {2, 0};
	(void)sig; (void)what; (void)arg;
	stopping = 1;
	for (c = clients; c; c = c->next)
		evws_close(c->evws, 1001);
	/* stops when the last session has ended (on_close), or after the grace time */
	event_base_loopexit(base, clients ? &grace : NULL);
}

int main(int argc, char **argv)
{
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct event *sigint, *sigterm;
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int port = argc > 1 ? atoi(argv[1]) : 0;

	signal(SIGPIPE, SIG_IGN); /* a peer gone mid-write is an error to handle, not a kill */
	base = event_base_new();
	http = evhttp_new(base);

	evhttp_set_cb(http, "/", page_cb, NULL);
	evhttp_set_cb(http, "/ws", ws_cb, NULL);
	bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", (ev_uint16_t)port);
	if (!bound || getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sin, &len) != 0) {
		fprintf(stderr, "cannot listen on port %d\n", port);
		return 1;
	}
	printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	sigint = evsignal_new(base, SIGINT, on_signal, base);
	sigterm = evsignal_new(base, SIGTERM, on_signal, base);
	event_add(sigint, NULL);
	event_add(sigterm, NULL);
	event_base_dispatch(base);

	/* sessions still open (peers that did not answer in time) end here */
	while (clients)
		evws_connection_free(clients->evws); /* runs on_close, which unlinks it */
	event_free(sigint);
	event_free(sigterm);
	evhttp_free(http);
	event_base_free(base);
	printf("bye\n");
	return 0;
}
