/* Helpers shared by the dns_*.c tests: a UDP socket on 127.0.0.1 with a port the kernel
 * picks, a loop runner with a hang guard, and packet printing. Everything stays in the
 * process: no test talks to the machine's DNS. */
#ifndef C_TESTS_DNS_TEST_H
#define C_TESTS_DNS_TEST_H
#include <event2/event.h>
#include <event2/dns.h>
#include <event2/dns_struct.h>
#include <event2/util.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <unistd.h>
#include "check.h"

/* A non-blocking UDP socket bound to `ip` (port chosen by the kernel, returned in *port). */
static int udp_socket_on(const char *ip, int *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	CHECK_EQ(inet_pton(AF_INET, ip, &sin.sin_addr), 1);
	CHECK_EQ(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	CHECK_EQ(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	CHECK_EQ(evutil_make_socket_nonblocking(fd), 0);
	if (port)
		*port = ntohs(sin.sin_port);
	return fd;
}

static int udp_socket(int *port)
{
	return udp_socket_on("127.0.0.1", port);
}

/* "127.0.0.1:PORT" in a static buffer. */
static const char *loopback_addr(int port)
{
	static char buf[32];
	snprintf(buf, sizeof buf, "127.0.0.1:%d", port);
	return buf;
}

static void sockaddr_lo(struct sockaddr_in *sin, int port)
{
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(0x7f000001);
}

static int guard_fired;
static void guard_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	guard_fired = 1;
	event_base_loopbreak(arg);
}

/* Runs the loop until *done is set. A test stuck for 60 s fails (a guard against hangs, not
 * a measure of speed). */
static void run_until(struct event_base *base, const int *done)
{
	struct timeval tv = { 60, 0 };
	struct event *guard = evtimer_new(base, guard_cb, base);
	guard_fired = 0;
	evtimer_add(guard, &tv);
	while (!*done && !guard_fired)
		event_base_loop(base, EVLOOP_ONCE);
	event_free(guard);
	if (!*done) {
		fprintf(stderr, "timed out waiting for the loop\n");
		exit(1);
	}
}

static int run_for_done;
static void run_for_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	run_for_done = 1;
}

/* Runs the loop for about `ms` milliseconds (to see that something does NOT happen). */
static inline void run_for(struct event_base *base, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	struct event *t = evtimer_new(base, run_for_cb, NULL);
	run_for_done = 0;
	evtimer_add(t, &tv);
	run_until(base, &run_for_done);
	event_free(t);
}

/* Runs every callback that is ready now, without waiting. */
static void run_ready(struct event_base *base)
{
	event_base_loop(base, EVLOOP_NONBLOCK);
	event_base_loop(base, EVLOOP_NONBLOCK);
}

static void print_hex(const unsigned char *p, int n)
{
	int i;
	for (i = 0; i < n; i++)
		printf("%s%02x", i % 32 == 0 ? "\n    " : " ", p[i]);
	printf("\n");
}

/* Swallows the library's messages (they carry random ports); counts warnings. */
static int dns_warnings;
static void quiet_log(int is_warning, const char *msg)
{
	(void)msg;
	if (is_warning)
		dns_warnings++;
}

#endif
