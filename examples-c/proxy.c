/* A transforming proxy (the one note 003 describes): it accepts a client, opens a second
 * bufferevent to the upstream server, and passes the bytes both ways through a cipher (ROT13 on
 * letters, applied by a filtering bufferevent on the upstream side: the upstream sees cipher
 * text, the client plain text).
 *
 * Backpressure both ways: when the side we write to has MAX_QUEUED bytes waiting, we stop
 * reading from the other side, and resume once it has drained to half of that (its write
 * low-water mark). A slow reader on either end therefore never makes the proxy buffer without
 * bound: each direction holds at most about MAX_QUEUED bytes per buffer.
 *   proxy LISTEN_PORT UPSTREAM_PORT
 * Each closed session prints its byte counts and the most it ever had queued. */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <ctype.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUEUED (256 * 1024)

struct session {
	struct bufferevent *client, *upstream; /* upstream: the cipher filter over the socket */
	size_t to_upstream, to_client, max_queued;
	int id;
	struct event *linger; /* once one side is gone: waits for the other's output to drain */
	int linger_ticks;
};

static int upstream_port;
static int sessions;

static enum bufferevent_filter_result rot13(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t limit,
    enum bufferevent_flush_mode mode, void *ctx)
{
	(void)mode; (void)ctx;
	size_t n = evbuffer_get_length(src);
	if (limit >= 0 && (size_t)limit < n)
		n = (size_t)limit;
	if (n == 0)
		return BEV_NEED_MORE;
	struct evbuffer_iovec v;
	if (evbuffer_reserve_space(dst, (ev_ssize_t)n, &v, 1) < 1)
		return BEV_ERROR;
	n = (size_t)evbuffer_remove(src, v.iov_base, n);
	unsigned char *p = v.iov_base;
	for (size_t i = 0; i < n; i++) {
		if (isupper(p[i]))
			p[i] = (unsigned char)('A' + (p[i] - 'A' + 13) % 26);
		else if (islower(p[i]))
			p[i] = (unsigned char)('a' + (p[i] - 'a' + 13) % 26);
	}
	v.iov_len = n;
	evbuffer_commit_space(dst, &v, 1);
	return BEV_OK;
}

static void close_session(struct session *s)
{
	if (s->linger)
		event_free(s->linger);
	printf("session %d closed: %zu bytes to upstream, %zu to client, at most %zu queued\n",
	    s->id, s->to_upstream, s->to_client, s->max_queued);
	fflush(stdout);
	bufferevent_free(s->client);
	bufferevent_free(s->upstream); /* CLOSE_ON_FREE: takes the socket under it too */
	free(s);
}

/* What is waiting to go towards `dst`, counting the layer under a filter. */
static size_t queued_towards(struct bufferevent *dst)
{
	size_t n = evbuffer_get_length(bufferevent_get_output(dst));
	struct bufferevent *under = bufferevent_get_underlying(dst);
	if (under)
		n += evbuffer_get_length(bufferevent_get_output(under));
	return n;
}

static void relay(struct session *s, struct bufferevent *src, struct bufferevent *dst, size_t *count)
{
	struct evbuffer *in = bufferevent_get_input(src);
	size_t n = evbuffer_get_length(in);
	*count += n;
	bufferevent_write_buffer(dst, in);
	size_t q = queued_towards(dst);
	if (q > s->max_queued)
		s->max_queued = q;
	if (q >= MAX_QUEUED) {
		/* Too much waiting: stop reading this side until the other drains. */
		bufferevent_disable(src, EV_READ);
	}
}

static void client_read(struct bufferevent *bev, void *arg)
{
	struct session *s = arg;
	relay(s, bev, s->upstream, &s->to_upstream);
}

static void upstream_read(struct bufferevent *bev, void *arg)
{
	struct session *s = arg;
	relay(s, bev, s->client, &s->to_client);
}

/* Called when the output is down to its low-water mark: the other side may read again. */
static void client_drained(struct bufferevent *bev, void *arg)
{
	struct session *s = arg;
	(void)bev;
	if (!s->linger && !(bufferevent_get_enabled(s->upstream) & EV_READ))
		bufferevent_enable(s->upstream, EV_READ);
}

static void upstream_drained(struct bufferevent *bev, void *arg)
{
	struct session *s = arg;
	(void)bev;
	if (!s->linger && !(bufferevent_get_enabled(s->client) & EV_READ))
		bufferevent_enable(s->client, EV_READ);
}

static void linger_tick(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;
	(void)fd; (void)what;
	/* Everything out, or five seconds passed: close both sides. */
	if ((queued_towards(s->client) == 0 && queued_towards(s->upstream) == 0) || ++s->linger_ticks > 500)
		close_session(s);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct session *s = arg;
	if (what & BEV_EVENT_CONNECTED)
		return;
	if (!(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)))
		return;
	if (s->linger) {
		/* The other side is gone too. */
		close_session(s);
		return;
	}
	/* Pass on what is still buffered from this side, let the other side's output drain, then
	 * close both. */
	struct bufferevent *other = bev == s->client ? s->upstream : s->client;
	bufferevent_write_buffer(other, bufferevent_get_input(bev));
	bufferevent_disable(s->client, EV_READ);
	bufferevent_disable(s->upstream, EV_READ);
	bufferevent_flush(s->upstream, EV_WRITE, BEV_FLUSH);
	struct timeval tick = { 0, 10000 };
	s->linger = event_new(bufferevent_get_base(bev), -1, EV_PERSIST, linger_tick, s);
	event_add(s->linger, &tick);
}

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)sa; (void)socklen; (void)arg;
	struct event_base *base = evconnlistener_get_base(lev);
	struct session *s = calloc(1, sizeof(*s));
	s->id = ++sessions;
	s->client = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *sock = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	struct sockaddr_in up;
	memset(&up, 0, sizeof(up));
	up.sin_family = AF_INET;
	up.sin_port = htons(upstream_port);
	up.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bufferevent_socket_connect(sock, (struct sockaddr *)&up, sizeof(up)) < 0) {
		bufferevent_free(sock);
		bufferevent_free(s->client);
		free(s);
		return;
	}
	/* The cipher sits between the proxy and the upstream socket; the socket's own output is
	 * capped so the filter stops when the upstream is slow. */
	bufferevent_setwatermark(sock, EV_WRITE, MAX_QUEUED / 4, MAX_QUEUED / 2);
	s->upstream = bufferevent_filter_new(sock, rot13, rot13, BEV_OPT_CLOSE_ON_FREE, NULL, NULL);
	bufferevent_setcb(s->client, client_read, client_drained, on_event, s);
	bufferevent_setcb(s->upstream, upstream_read, upstream_drained, on_event, s);
	bufferevent_setwatermark(s->client, EV_WRITE, MAX_QUEUED / 2, 0);
	bufferevent_setwatermark(s->upstream, EV_WRITE, MAX_QUEUED / 4, 0);
	bufferevent_enable(s->client, EV_READ | EV_WRITE);
	bufferevent_enable(s->upstream, EV_READ | EV_WRITE);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig; (void)what;
	event_base_loopexit(arg, NULL);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: proxy LISTEN_PORT UPSTREAM_PORT\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	upstream_port = atoi(argv[2]);
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct evconnlistener *lev = evconnlistener_new_bind(base, on_accept, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1, (struct sockaddr *)&sin, sizeof(sin));
	if (!lev) {
		perror("proxy: listen");
		return 1;
	}
	struct event *term = evsignal_new(base, SIGTERM, on_signal, base);
	event_add(term, NULL);
	printf("proxy listening on %s, upstream %s\n", argv[1], argv[2]);
	fflush(stdout);
	event_base_dispatch(base);
	event_free(term);
	evconnlistener_free(lev);
	event_base_free(base);
	return 0;
}
