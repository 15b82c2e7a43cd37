/* compare-output: event_base_active_by_fd. Without EV_TIMEOUT it activates the I/O events on
 * the descriptor that wait for the given directions; with EV_TIMEOUT (libevent 2.1.12 already
 * reads it, and 2.2 documents it) the events on the descriptor that wait for a timeout, and
 * not the I/O ones. */
#include <event2/event.h>
#include <stdio.h>
#include <unistd.h>
#include "check.h"

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  %s: what=0x%02x\n", (const char *)arg, what);
}

int main(void)
{
	struct event_base *b = event_base_new();
	int p[2];
	CHECK(pipe(p) == 0);
	struct event *timer_on_fd = event_new(b, p[0], 0, cb, "timer on fd");
	struct event *read_timeout = event_new(b, p[0], EV_READ, cb, "read with timeout");
	struct event *read = event_new(b, p[0], EV_READ | EV_PERSIST, cb, "read, persistent");
	struct event *write = event_new(b, p[1], EV_WRITE, cb, "write on other fd");
	struct event *other_timer = event_new(b, p[1], 0, cb, "timer on other fd");
	struct timeval ten = { 10, 0 };
	CHECK(event_add(timer_on_fd, &ten) == 0);
	CHECK(event_add(read_timeout, &ten) == 0);
	CHECK(event_add(read, NULL) == 0);
	CHECK(event_add(write, NULL) == 0);
	CHECK(event_add(other_timer, &ten) == 0);

	printf("EV_TIMEOUT | EV_READ on the read end:\n");
	event_base_active_by_fd(b, p[0], EV_TIMEOUT | EV_READ);
	CHECK(event_base_loop(b, EVLOOP_NONBLOCK) == 0);
	printf("still pending: timer %d, read with timeout %d, read %d\n",
	    event_pending(timer_on_fd, EV_TIMEOUT, NULL) != 0,
	    event_pending(read_timeout, EV_READ | EV_TIMEOUT, NULL) != 0,
	    event_pending(read, EV_READ, NULL) != 0);

	printf("EV_READ on the read end:\n");
	CHECK(event_add(timer_on_fd, &ten) == 0);
	CHECK(event_add(read_timeout, &ten) == 0);
	event_base_active_by_fd(b, p[0], EV_READ);
	CHECK(event_base_loop(b, EVLOOP_NONBLOCK) == 0);

	printf("EV_WRITE on the read end (nothing waits for it):\n");
	event_base_active_by_fd(b, p[0], EV_WRITE);
	CHECK(event_base_loop(b, EVLOOP_NONBLOCK) == 0);

	printf("EV_TIMEOUT on the write end:\n");
	event_base_active_by_fd(b, p[1], EV_TIMEOUT);
	CHECK(event_base_loop(b, EVLOOP_NONBLOCK) == 0);

	event_free(timer_on_fd);
	event_free(read_timeout);
	event_free(read);
	event_free(write);
	event_free(other_timer);
	event_base_free(b);
	close(p[0]);
	close(p[1]);
	return 0;
}
