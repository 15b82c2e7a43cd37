/* EVENT_BASE_FLAG_EPOLL_DISALLOW_TIMERFD (libevent 2.2): with EVENT_BASE_FLAG_PRECISE_TIMER,
 * an epoll base holds a timerfd; with both flags it holds none, and its timers still fire.
 * needs: event_rs */
#include <event2/event.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

/* How many timerfds this process holds. */
static int timerfds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char path[300], target[256];
	int n = 0;
	CHECK(d != NULL);
	while ((e = readdir(d)) != NULL) {
		snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
		ssize_t k = readlink(path, target, sizeof target - 1);
		if (k > 0) {
			target[k] = 0;
			n += strstr(target, "timerfd") != NULL;
		}
	}
	closedir(d);
	return n;
}

static int inherited; /* timerfds the process started with (a parent's, leaked) */

static void fired_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; ++*(int *)arg; }

static void run(int flags, int want_timerfds)
{
	struct event_config *cfg = event_config_new();
	/* epoll's timerfd is what is tested, whatever the environment says (EVENT_IOURING). */
	CHECK_EQ(event_config_set_flag(cfg, flags | EVENT_BASE_FLAG_IGNORE_ENV), 0);
	struct event_base *base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	CHECK(base != NULL);
	CHECK(strcmp(event_base_get_method(base), "epoll") == 0);
	CHECK_EQ(timerfds(), inherited + want_timerfds);
	int fired = 0;
	struct timeval tv = { 0, 200 };
	CHECK_EQ(event_base_once(base, -1, EV_TIMEOUT, fired_cb, &fired, &tv), 0);
	CHECK_EQ(event_base_dispatch(base), 1);
	CHECK_EQ(fired, 1);
	event_base_free(base);
	CHECK_EQ(timerfds(), inherited);
}

int main(void)
{
	inherited = timerfds();
	run(EVENT_BASE_FLAG_PRECISE_TIMER, 1);
	run(EVENT_BASE_FLAG_PRECISE_TIMER | EVENT_BASE_FLAG_EPOLL_DISALLOW_TIMERFD, 0);
	run(EVENT_BASE_FLAG_EPOLL_DISALLOW_TIMERFD, 0);
	return 0;
}
