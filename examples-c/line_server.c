/* A line server: evconnlistener accepts, a bufferevent per client answers each line with its
 * number and the line upper-cased.
 *   line_server PORT
 * "hello\n" as the first line gives "1: HELLO\n". The command "quit" closes that client once
 * the answer is sent; "shutdown" stops the server. */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct client {
	int lines;
	int closing;  /* close once the answer is out */
	int shutdown; /* and then stop the server */
};

static void on_read(struct bufferevent *bev, void *arg);
static void on_write(struct bufferevent *bev, void *arg);
static void on_event(struct bufferevent *bev, short what, void *arg);

static void finish(struct bufferevent *bev, struct client *c)
{
	free(c);
	bufferevent_free(bev);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer *out = bufferevent_get_output(bev);
	char *line;
	size_t len;
	while (!c->closing && (line = evbuffer_readln(in, &len, EVBUFFER_EOL_CRLF)) != NULL) {
		if (strcmp(line, "shutdown") == 0) {
			evbuffer_add_printf(out, "bye\n");
			c->closing = c->shutdown = 1;
		} else if (strcmp(line, "quit") == 0) {
			evbuffer_add_printf(out, "bye\n");
			c->closing = 1;
		} else {
			for (size_t i = 0; i < len; i++)
				line[i] = (char)toupper((unsigned char)line[i]);
			evbuffer_add_printf(out, "%d: %s\n", ++c->lines, line);
		}
		free(line);
	}
}

static void on_write(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;
	/* The answer to "quit" is out: now the client can go. */
	if (c->closing) {
		if (c->shutdown)
			event_base_loopexit(bufferevent_get_base(bev), NULL);
		finish(bev, c);
	}
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		finish(bev, arg);
}

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)sa; (void)socklen; (void)arg;
	struct event_base *base = evconnlistener_get_base(lev);
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	struct client *c = calloc(1, sizeof(*c));
	bufferevent_setcb(bev, on_read, on_write, on_event, c);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 9902;
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct evconnlistener *lev = evconnlistener_new_bind(base, on_accept, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1, (struct sockaddr *)&sin, sizeof(sin));
	if (!lev) {
		perror("line_server: listen");
		return 1;
	}
	printf("line_server listening on %d\n", port);
	fflush(stdout);
	event_base_dispatch(base);
	evconnlistener_free(lev);
	event_base_free(base);
	printf("line_server done\n");
	return 0;
}
