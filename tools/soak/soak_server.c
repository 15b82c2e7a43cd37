/* The soak test's server, built against event_rs and against libevent (tools/soak/run.sh):
 *   soak_server echo   bufferevents on an evconnlistener, echoing every byte; on end of file it
 *                      finishes writing what it holds, then closes
 *   soak_server http   an evhttp server answering each POST with its body
 * Listens on 127.0.0.1, an ephemeral port, which it prints on stdout. SIGTERM or SIGINT end the
 * loop; everything is freed before exit so that valgrind's leak check means something.
 * SIGUSR1 gives free memory back to the system (glibc's malloc_trim), so that the RSS that
 * run.sh reads between rounds is memory in use rather than the allocator's cache. */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#define HIGH_WATER (256 * 1024) /* stop reading while this much waits to be echoed */

struct conn {
	struct bufferevent *bev;
	struct conn *prev, *next;
	int closing;
};

static struct conn *conns; /* every open echo connection, freed at exit */

static void conn_free(struct conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	bufferevent_free(c->bev);
	free(c);
}

static void echo_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *out = bufferevent_get_output(bev);
	(void)arg;
	evbuffer_add_buffer(out, bufferevent_get_input(bev));
	if (evbuffer_get_length(out) >= HIGH_WATER)
		bufferevent_disable(bev, EV_READ);
}

/* Called when the output drained to the low-water mark (0). */
static void echo_write(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	if (c->closing)
		conn_free(c);
	else
		bufferevent_enable(bev, EV_READ);
}

static void echo_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR)) {
		/* Half-closed by the client: echo what is left, then close. */
		c->closing = 1;
		bufferevent_disable(bev, EV_READ);
		if (evbuffer_get_length(bufferevent_get_input(bev)))
			evbuffer_add_buffer(bufferevent_get_output(bev), bufferevent_get_input(bev));
		if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
			conn_free(c);
		return;
	}
	conn_free(c); /* reset, or any error */
}

static void echo_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len, void *arg)
{
	struct event_base *base = arg;
	struct conn *c = calloc(1, sizeof *c);
	(void)l; (void)sa; (void)len;
	if (!c || !(c->bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE))) {
		fprintf(stderr, "soak_server: out of memory\n");
		evutil_closesocket(fd);
		free(c);
		return;
	}
	c->next = conns;
	if (conns)
		conns->prev = c;
	conns = c;
	bufferevent_setcb(c->bev, echo_read, echo_write, echo_event, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

static void http_echo(struct evhttp_request *req, void *arg)
{
	struct evbuffer *body = evhttp_request_get_input_buffer(req);
	(void)arg;
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		evhttp_send_error(req, 405, NULL);
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/octet-stream");
	evhttp_send_reply(req, 200, "OK", body);
}

static void listener_error(struct evconnlistener *l, void *arg)
{
	int e = EVUTIL_SOCKET_ERROR();
	(void)l; (void)arg;
	/* Out of descriptors: the soak exceeded its limit; say so, keep serving. */
	fprintf(stderr, "soak_server: accept: %s\n", evutil_socket_error_to_string(e));
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	if (sig == SIGUSR1) {
#ifdef __GLIBC__
		malloc_trim(0);
#endif
		return;
	}
	event_base_loopexit(arg, NULL);
}

int main(int argc, char **argv)
{
	int http_mode = argc > 1 && strcmp(argv[1], "http") == 0;
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	struct rlimit rl;
	struct event_base *base;
	struct evconnlistener *lev;
	struct evhttp *http = NULL;
	struct event *sigterm, *sigint, *sigusr1;

	if (argc != 2 || (!http_mode && strcmp(argv[1], "echo") != 0)) {
		fprintf(stderr, "usage: soak_server echo|http\n");
		return 2;
	}
	/* As many descriptors as the hard limit allows (run.sh checks it is enough). */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	if (!base)
		return 1;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lev = evconnlistener_new_bind(base, http_mode ? NULL : echo_accept, base,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 4096, (struct sockaddr *)&sin, sizeof sin);
	if (!lev) {
		perror("soak_server: listen");
		return 1;
	}
	evconnlistener_set_error_cb(lev, listener_error);
	if (http_mode) {
		http = evhttp_new(base);
		if (!http || !evhttp_bind_listener(http, lev))
			return 1;
		evhttp_set_allowed_methods(http, EVHTTP_REQ_POST | EVHTTP_REQ_GET);
		evhttp_set_gencb(http, http_echo, NULL);
	}
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&sin, &slen);
	printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);

	sigterm = evsignal_new(base, SIGTERM, on_signal, base);
	sigint = evsignal_new(base, SIGINT, on_signal, base);
	event_add(sigterm, NULL);
	sigusr1 = evsignal_new(base, SIGUSR1, on_signal, base);
	event_add(sigint, NULL);
	event_add(sigusr1, NULL);
	event_base_dispatch(base);

	while (conns)
		conn_free(conns);
	if (http)
		evhttp_free(http); /* frees the bound listener and the connections */
	else
		evconnlistener_free(lev);
	event_free(sigterm);
	event_free(sigint);
	event_free(sigusr1);
	event_base_free(base);
	return 0;
}
