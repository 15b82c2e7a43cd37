/* Socket bufferevents: connect success (CONNECTED, then data both ways), connect refusal
 * (BEV_EVENT_ERROR with ECONNREFUSED), EOF from the peer, a write after the peer closed
 * (ERROR|WRITING), connect to a family the socket does not have, enable on a closed fd,
 * connect_hostname, setfd/getfd, the write callback after enabling an idle writer. */
#include "bev_common.h"

static struct bufferevent *accepted;

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)sa; (void)socklen; (void)arg;
	accepted = bufferevent_socket_new(evconnlistener_get_base(lev), fd, BEV_OPT_CLOSE_ON_FREE);
	CHECK(accepted != NULL);
}

static char got[256];
static int got_len;

static void collect(struct bufferevent *bev, void *arg)
{
	struct seen *s = arg;
	s->reads++;
	got_len += (int)bufferevent_read(bev, got + got_len, sizeof(got) - 1 - got_len);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	struct event_base *base = event_base_new();

	/* --- connect success */
	struct sockaddr_in any = loopback_addr(0);
	struct evconnlistener *lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1, (struct sockaddr *)&any, sizeof(any));
	CHECK(lev != NULL);
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	CHECK(getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&sin, &slen) == 0);

	struct seen cs = {0};
	struct bufferevent *client = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	CHECK(bufferevent_getfd(client) == -1);
	bufferevent_setcb(client, collect, seen_write, seen_event, &cs);
	CHECK_EQ(bufferevent_socket_connect(client, (struct sockaddr *)&sin, sizeof(sin)), 0);
	CHECK(bufferevent_getfd(client) >= 0);
	bufferevent_enable(client, EV_READ);
	/* Written before the connection is up: sent once it is. */
	CHECK_EQ(bufferevent_write(client, "hello ", 6), 0);
	run_until(base, &cs.events);
	CHECK_EQ(cs.last_what, BEV_EVENT_CONNECTED);
	while (!accepted)
		event_base_loop(base, EVLOOP_ONCE);
	struct seen ss = {0};
	bufferevent_setcb(accepted, seen_read, seen_write, seen_event, &ss);
	bufferevent_enable(accepted, EV_READ);
	CHECK_EQ(bufferevent_write(client, "server", 6), 0);
	char buf[64];
	int n = 0;
	while (n < 12) {
		run_until(base, &ss.reads);
		n += (int)bufferevent_read(accepted, buf + n, sizeof(buf) - n);
		ss.reads = 0;
	}
	CHECK(memcmp(buf, "hello server", 12) == 0);
	CHECK(cs.writes >= 1); /* the client's output drained */
	bufferevent_write(accepted, "hi client", 9);
	while (got_len < 9)
		run_until(base, &cs.reads), cs.reads = 0;
	CHECK(memcmp(got, "hi client", 9) == 0);

	/* --- EOF from the peer: EOF|READING, reading disabled. */
	int cfd = bufferevent_getfd(client);
	cs.events = 0;
	bufferevent_free(accepted);
	accepted = NULL;
	run_until(base, &cs.events);
	CHECK_EQ(cs.last_what, BEV_EVENT_EOF | BEV_EVENT_READING);
	CHECK(!(bufferevent_get_enabled(client) & EV_READ));
	/* Writing to a peer that is gone: ERROR|WRITING, with errno EPIPE or ECONNRESET. */
	/* The first write after the peer closed may still succeed (the reset comes back with it);
	 * keep writing each time the output drains until the error shows. */
	cs.events = 0;
	for (int tries = 0; !cs.events; tries++) {
		CHECK(tries < 100);
		cs.writes = 0;
		CHECK_EQ(bufferevent_write(client, "are you there?", 14), 0);
		run_until_any(base, &cs.writes, &cs.events);
		if (!cs.events)
			run_for(base, 5);
	}
	CHECK_EQ(cs.last_what, BEV_EVENT_ERROR | BEV_EVENT_WRITING);
	CHECK(cs.last_errno == EPIPE || cs.last_errno == ECONNRESET);
	CHECK(!(bufferevent_get_enabled(client) & EV_WRITE));
	/* The buffer still takes data; nothing is sent. */
	CHECK_EQ(bufferevent_write(client, "x", 1), 0);
	bufferevent_free(client);
	event_base_loop(base, EVLOOP_NONBLOCK);
	CHECK(!fd_is_open(cfd));

	/* --- connect refused: ERROR with ECONNREFUSED, from the loop. */
	struct sockaddr_in nobody = loopback_addr(closed_port());
	struct seen rs = {0};
	struct bufferevent *r = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(r, seen_read, seen_write, seen_event, &rs);
	CHECK_EQ(bufferevent_socket_connect(r, (struct sockaddr *)&nobody, sizeof(nobody)), 0);
	CHECK_EQ(rs.events, 0);
	run_until(base, &rs.events);
	CHECK_EQ(rs.events, 1);
	CHECK_EQ(rs.last_what, BEV_EVENT_ERROR);
	CHECK_EQ(rs.last_errno, ECONNREFUSED);
	CHECK_EQ(rs.reads + rs.writes, 0);
	bufferevent_free(r);

	/* --- a family the socket does not have: -1 at once, no callback, fd kept. */
	int s4 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct bufferevent *f = bufferevent_socket_new(base, s4, 0);
	struct seen fs = {0};
	bufferevent_setcb(f, seen_read, seen_write, seen_event, &fs);
	struct sockaddr_in6 six;
	memset(&six, 0, sizeof(six));
	six.sin6_family = AF_INET6;
	six.sin6_port = htons(1);
	six.sin6_addr = in6addr_loopback;
	CHECK_EQ(bufferevent_socket_connect(f, (struct sockaddr *)&six, sizeof(six)), -1);
	CHECK(errno == EAFNOSUPPORT || errno == EINVAL);
	CHECK_EQ(bufferevent_getfd(f), s4);
	event_base_loop(base, EVLOOP_NONBLOCK);
	CHECK_EQ(fs.events, 0);
	bufferevent_free(f);
	event_base_loop(base, EVLOOP_NONBLOCK);
	CHECK(fd_is_open(s4)); /* not ours to close */
	close(s4);
	/* No descriptor and no address: -1. */
	f = bufferevent_socket_new(base, -1, 0);
	CHECK_EQ(bufferevent_socket_connect(f, NULL, 0), -1);

	/* --- connect_hostname without evdns: bad arguments, an unknown name, a numeric host. */
	CHECK_EQ(bufferevent_socket_connect_hostname(f, NULL, AF_UNIX, "localhost", 80), -1);
	CHECK_EQ(bufferevent_socket_connect_hostname(f, NULL, AF_INET, "localhost", 0), -1);
	CHECK_EQ(bufferevent_socket_connect_hostname(f, NULL, AF_INET, "localhost", 65536), -1);
	fs = (struct seen){0};
	bufferevent_setcb(f, seen_read, seen_write, seen_event, &fs);
	CHECK_EQ(bufferevent_socket_connect_hostname(f, NULL, AF_INET, "no-such-host.invalid", 80), 0);
	run_until(base, &fs.events);
	CHECK_EQ(fs.last_what, BEV_EVENT_ERROR);
	CHECK(bufferevent_socket_get_dns_error(f) != 0);
	bufferevent_free(f);
	f = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	fs = (struct seen){0};
	bufferevent_setcb(f, seen_read, seen_write, seen_event, &fs);
	CHECK_EQ(bufferevent_socket_connect_hostname(f, NULL, AF_INET, "127.0.0.1", ntohs(sin.sin_port)), 0);
	run_until(base, &fs.events);
	CHECK_EQ(fs.last_what, BEV_EVENT_CONNECTED);
	CHECK_EQ(bufferevent_socket_get_dns_error(f), 0);
	while (!accepted)
		event_base_loop(base, EVLOOP_ONCE);
	bufferevent_free(accepted);
	accepted = NULL;
	bufferevent_free(f);

	/* --- enable on a closed descriptor fails; the bits are remembered. */
	int sv[2];
	stream_pair(sv);
	struct bufferevent *c = bufferevent_socket_new(base, sv[0], 0);
	close(sv[0]);
	CHECK_EQ(bufferevent_enable(c, EV_READ), -1);
	CHECK_EQ(bufferevent_get_enabled(c), EV_READ | EV_WRITE);
	bufferevent_free(c);
	close(sv[1]);

	/* --- an idle writer: enabling EV_WRITE runs the write callback once (output is empty,
	 * at its low-water mark); EV_CLOSED and other bits are accepted and reported back. */
	stream_pair(sv);
	struct seen ws = {0};
	struct bufferevent *w = bufferevent_socket_new(base, sv[0], 0);
	bufferevent_setcb(w, seen_read, seen_write, seen_event, &ws);
	CHECK_EQ(bufferevent_enable(w, EV_WRITE | EV_READ | EV_CLOSED), 0);
	CHECK_EQ(bufferevent_get_enabled(w), EV_WRITE | EV_READ | EV_CLOSED);
	run_until(base, &ws.writes);
	CHECK_EQ(ws.writes, 1);
	run_for(base, 50);
	CHECK_EQ(ws.writes, 1);

	/* --- setfd moves the bufferevent to another descriptor, keeping what was enabled. */
	int sv2[2];
	stream_pair(sv2);
	CHECK_EQ(bufferevent_setfd(w, sv2[0]), 0);
	CHECK_EQ(bufferevent_getfd(w), sv2[0]);
	CHECK(write(sv2[1], "abc", 3) == 3);
	run_until(base, &ws.reads);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_input(w)), 3);
	bufferevent_free(w);
	close(sv[0]); close(sv[1]); close(sv2[0]); close(sv2[1]);

	/* --- priorities */
	struct event_base *pbase = event_base_new();
	CHECK_EQ(event_base_priority_init(pbase, 4), 0);
	stream_pair(sv);
	w = bufferevent_socket_new(pbase, sv[0], BEV_OPT_CLOSE_ON_FREE);
	CHECK_EQ(bufferevent_get_priority(w), 2);
	CHECK_EQ(bufferevent_priority_set(w, 1), 0);
	CHECK_EQ(bufferevent_get_priority(w), 1);
	CHECK_EQ(bufferevent_priority_set(w, 9), -1);
	CHECK_EQ(bufferevent_get_priority(w), 1);
	CHECK(bufferevent_get_base(w) == pbase);
	CHECK(bufferevent_get_underlying(w) == NULL);
	CHECK_EQ(bufferevent_flush(w, EV_WRITE, BEV_FLUSH), 0);
	bufferevent_free(w);
	close(sv[1]);
	event_base_free(pbase);

	evconnlistener_free(lev);
	event_base_free(base);
	printf("bev_socket: ok\n");
	return 0;
}
