/* The WebSocket client that tools/check-ws.py drives (event_rs's evws_connect): connects to the
 * URI, prints "open", echoes every message back with its type, obeys the text commands
 * "cmd:close CODE" (evws_close) and "cmd:free" (evws_connection_free), and prints
 * "close CODE" (evws_connection_get_close_code) when the session ends.
 *   usage: ws-client URI */
#include <event2/event.h>
#include <event2/ws.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct event_base *base;

static void on_msg(struct evws_connection *evws, int type, const unsigned char *data, size_t len, void *arg)
{
	(void)arg;
	if (type == WS_TEXT_FRAME && !strncmp((const char *)data, "cmd:close ", 10)) {
		evws_close(evws, (uint16_t)atoi((const char *)data + 10));
		return;
	}
	if (type == WS_TEXT_FRAME && !strcmp((const char *)data, "cmd:free")) {
		evws_connection_free(evws);
		return;
	}
	evws_send_message(evws, type, data, len);
}

static void on_open(struct evws_connection *evws, void *arg)
{
	(void)evws; (void)arg;
	printf("open\n");
	fflush(stdout);
}

static void on_close(struct evws_connection *evws, void *arg)
{
	(void)arg;
	printf("close %d\n", evws_connection_get_close_code(evws));
	fflush(stdout);
	event_base_loopbreak(base);
}

int main(int argc, char **argv)
{
	struct evws_connection *evws;
	if (argc != 2) {
		fprintf(stderr, "usage: ws-client URI\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN); /* a peer gone mid-write is an error to handle, not a kill */
	base = event_base_new();
	evws = evws_connect(base, NULL, argv[1], 0, on_msg, NULL);
	if (!evws) {
		printf("connect failed\n");
		return 1;
	}
	evws_connection_set_opencb(evws, on_open, NULL);
	evws_connection_set_closecb(evws, on_close, NULL);
	event_base_dispatch(base);
	event_base_free(base);
	return 0;
}
