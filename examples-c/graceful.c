/* A clean shutdown on SIGINT or SIGTERM: the server stops accepting, says goodbye to every
 * client, waits (at most two seconds) for the goodbyes to be sent, frees everything and exits 0.
 *   graceful PORT
 * While running it echoes each client's bytes back. */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct client {
	struct bufferevent *bev;
	struct client *next, **prevp;
};

static struct client *clients;
static int nclients, closed_on_shutdown;
static int shutting_down;
static struct event_base *base;
static struct evconnlistener *listener;

static void drop(struct client *c)
{
	*c->prevp = c->next;
	if (c->next)
		c->next->prevp = c->prevp;
	bufferevent_free(c->bev);
	free(c);
	nclients--;
	if (shutting_down && nclients == 0)
		event_base_loopexit(base, NULL);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	bufferevent_write_buffer(bev, bufferevent_get_input(bev));
}

static void on_write(struct bufferevent *bev, void *arg)
{
	(void)bev;
	if (shutting_down) {
		closed_on_shutdown++;
		drop(arg);
	}
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		drop(arg);
}

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)lev; (void)sa; (void)socklen; (void)arg;
	struct client *c = calloc(1, sizeof(*c));
	c->bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->next = clients;
	c->prevp = &clients;
	if (clients)
		clients->prevp = &c->next;
	clients = c;
	nclients++;
	bufferevent_setcb(c->bev, on_read, NULL, on_event, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	printf("client connected (%d)\n", nclients);
	fflush(stdout);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what; (void)arg;
	if (shutting_down)
		return;
	shutting_down = 1;
	printf("caught %s: shutting down, %d client(s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM", nclients);
	fflush(stdout);
	evconnlistener_disable(listener);
	for (struct client *c = clients; c; c = c->next) {
		/* Stop reading; the write callback drops the client once the goodbye is out. */
		bufferevent_disable(c->bev, EV_READ);
		bufferevent_setcb(c->bev, NULL, on_write, on_event, c);
		bufferevent_write(c->bev, "server shutting down\n", 21);
	}
	if (nclients == 0) {
		event_base_loopexit(base, NULL);
	} else {
		struct timeval grace = { 2, 0 };
		event_base_loopexit(base, &grace);
	}
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 9903;
	base = event_base_new();
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	listener = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1,
	    (struct sockaddr *)&sin, sizeof(sin));
	if (!listener) {
		perror("graceful: listen");
		return 1;
	}
	struct event *sigint = evsignal_new(base, SIGINT, on_signal, NULL);
	struct event *sigterm = evsignal_new(base, SIGTERM, on_signal, NULL);
	event_add(sigint, NULL);
	event_add(sigterm, NULL);
	printf("graceful listening on %d\n", port);
	fflush(stdout);
	event_base_dispatch(base);
	/* Whoever did not finish within the grace period goes now. */
	int forced = nclients;
	while (clients)
		drop(clients);
	event_free(sigint);
	event_free(sigterm);
	evconnlistener_free(listener);
	event_base_free(base);
	printf("clean exit: %d client(s) said goodbye, %d forced\n", closed_on_shutdown, forced);
	return 0;
}
