/* Helpers for the bev_* tests: non-blocking socket pairs, a loopback listener, running the
 * loop until something happened (with a bound, so a broken library fails instead of hanging),
 * and a record of callbacks. */
#ifndef C_TESTS_BEV_COMMON_H
#define C_TESTS_BEV_COMMON_H
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>
#include <event2/listener.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "check.h"

static void nonblock(int fd)
{
	CHECK(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0);
}

/* A connected pair of non-blocking stream sockets. */
static void stream_pair(int sv[2])
{
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	nonblock(sv[0]);
	nonblock(sv[1]);
}

static int fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

static void tick_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

/* Runs the loop one pass at a time until *flag becomes non-zero (at most ~10 s). A ticking
 * timer keeps each pass short and the loop from running out of events. */
static void run_until_any(struct event_base *base, volatile int *flag, volatile int *other)
{
	struct timeval start, now, period = { 0, 20000 };
	struct event *tick = event_new(base, -1, EV_PERSIST, tick_cb, NULL);
	event_add(tick, &period);
	gettimeofday(&start, NULL);
	while (!*flag && !(other && *other)) {
		CHECK(event_base_loop(base, EVLOOP_ONCE) >= 0);
		gettimeofday(&now, NULL);
		if (now.tv_sec - start.tv_sec > 10) {
			fprintf(stderr, "run_until: nothing happened in 10 s\n");
			exit(1);
		}
	}
	event_free(tick);
}

static void run_until(struct event_base *base, volatile int *flag)
{
	run_until_any(base, flag, NULL);
}

/* Runs the loop for about `ms` milliseconds. */
static void run_for(struct event_base *base, int ms)
{
	struct timeval start, now, period = { 0, 10000 };
	struct event *tick = event_new(base, -1, EV_PERSIST, tick_cb, NULL);
	event_add(tick, &period);
	gettimeofday(&start, NULL);
	do {
		CHECK(event_base_loop(base, EVLOOP_ONCE) >= 0);
		gettimeofday(&now, NULL);
	} while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_usec - start.tv_usec) / 1000 < ms);
	event_free(tick);
}

static double now_s(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static struct sockaddr_in loopback_addr(int port)
{
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(0x7f000001);
	return sin;
}

/* A listening loopback socket on a free port; returns the fd, sets *port. */
static int listen_loopback(int *port)
{
	struct sockaddr_in sin = loopback_addr(0);
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(fd >= 0);
	CHECK(bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	CHECK(listen(fd, 64) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&sin, &len) == 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* A port nothing listens on (bound, then closed). */
static int closed_port(void)
{
	int port, fd = listen_loopback(&port);
	close(fd);
	return port;
}

/* What the callbacks saw. */
struct seen {
	int reads, writes, events;
	short last_what;
	int last_errno;
	short all_what;
};

static void seen_read(struct bufferevent *bev, void *arg) { (void)bev; ((struct seen *)arg)->reads++; }
static void seen_write(struct bufferevent *bev, void *arg) { (void)bev; ((struct seen *)arg)->writes++; }
static void seen_event(struct bufferevent *bev, short what, void *arg)
{
	struct seen *s = arg;
	(void)bev;
	s->last_errno = errno;
	s->events++;
	s->last_what = what;
	s->all_what |= what;
}
#endif
