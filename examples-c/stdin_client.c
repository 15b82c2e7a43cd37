/* A bufferevent client reading stdin: every line typed goes to the server, every reply is
 * printed. At the end of stdin the client half-closes the connection once everything is sent,
 * prints what is still coming, and exits when the server closes.
 *   stdin_client HOST PORT */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct bufferevent *server, *input;
static int input_done;

static void server_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	char buf[4096];
	size_t n;
	while ((n = bufferevent_read(bev, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	fflush(stdout);
}

static void server_written(struct bufferevent *bev, void *arg)
{
	(void)arg;
	/* stdin is over and all of it went out: tell the server we are done writing. */
	if (input_done && evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		shutdown(bufferevent_getfd(bev), SHUT_WR);
}

static void server_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev; (void)arg;
	if (what & BEV_EVENT_CONNECTED) {
		fprintf(stderr, "connected\n");
		bufferevent_enable(input, EV_READ);
		return;
	}
	if (what & BEV_EVENT_ERROR)
		fprintf(stderr, "connection error: %s\n", evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	else
		fprintf(stderr, "server closed the connection\n");
	event_base_loopexit(bufferevent_get_base(bev), NULL);
}

static void stdin_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	/* Whole lines only; the rest waits for its end of line. */
	char *line;
	size_t len;
	while ((line = evbuffer_readln(bufferevent_get_input(bev), &len, EVBUFFER_EOL_LF)) != NULL) {
		evbuffer_add(bufferevent_get_output(server), line, len);
		evbuffer_add(bufferevent_get_output(server), "\n", 1);
		free(line);
	}
}

static void stdin_event(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		/* A last line without its end of line still goes. */
		bufferevent_write_buffer(server, bufferevent_get_input(bev));
		input_done = 1;
		bufferevent_disable(bev, EV_READ);
		server_written(server, NULL);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: stdin_client HOST PORT\n");
		return 2;
	}
	struct event_base *base = event_base_new();
	server = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	input = bufferevent_socket_new(base, 0, 0);
	bufferevent_setcb(server, server_read, server_written, server_event, NULL);
	bufferevent_setcb(input, stdin_read, NULL, stdin_event, NULL);
	bufferevent_disable(input, EV_WRITE);
	bufferevent_enable(server, EV_READ | EV_WRITE);
	/* No evdns base: the name is resolved with getaddrinfo() before this returns. */
	if (bufferevent_socket_connect_hostname(server, NULL, AF_UNSPEC, argv[1], atoi(argv[2])) < 0) {
		fprintf(stderr, "cannot connect\n");
		return 1;
	}
	event_base_dispatch(base);
	bufferevent_free(input);
	bufferevent_free(server);
	event_base_free(base);
	return 0;
}
