/* EVENT_BASE_FLAG_PRECISE_TIMER: a timeout under a millisecond is waited for as such (libevent's
 * epoll backend arms a timerfd), not rounded up to epoll_wait's millisecond; the method is still
 * epoll, and freeing the base (or event_reinit) leaks no descriptor.
 * The bound is loose on purpose: without precision every one of the 100 µs timers takes at
 * least 1 ms; with it, most take well under (a loaded machine may slow a few). */
#include <event2/event.h>
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check.h"

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

#define ROUNDS 200

static int open_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	CHECK(d != NULL);
	while (readdir(d)) n++;
	closedir(d);
	return n;
}

static long long mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static struct event *tick;
static int rounds;
static long long armed_at, took[ROUNDS];
static const struct timeval step = { 0, 100 };

static void tick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)arg;
	CHECK(what == EV_TIMEOUT);
	took[rounds++] = mono_us() - armed_at;
	if (rounds < ROUNDS) {
		armed_at = mono_us();
		CHECK(evtimer_add(tick, &step) == 0);
	}
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* 200 timers of 100 µs, one after the other. */
static void run_ticks(struct event_base *b)
{
	rounds = 0;
	tick = evtimer_new(b, tick_cb, NULL);
	alarm(20);
	armed_at = mono_us();
	EQ(evtimer_add(tick, &step), 0);
	EQ(event_base_dispatch(b), 1);
	alarm(0);
	EQ(rounds, ROUNDS);
	qsort(took, ROUNDS, sizeof took[0], cmp);
	OK(took[0] >= 100);                 /* never early */
	if (took[ROUNDS / 2] >= 1000)
		fprintf(stderr, "median wait %lld us, shortest %lld us\n", took[ROUNDS / 2], took[0]);
	OK(took[ROUNDS / 2] < 1000);        /* most not rounded up to a millisecond */
	event_free(tick);
}

int main(void)
{
	signal(SIGALRM, SIG_DFL);
	int fds = open_fds();
	struct event_config *cfg = event_config_new();
	/* epoll's timerfd is what is tested, whatever the environment says (EVENT_IOURING). */
	EQ(event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER | EVENT_BASE_FLAG_IGNORE_ENV), 0);
	struct event_base *b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	OK(b != NULL);
	OK(strcmp(event_base_get_method(b), "epoll") == 0);
	int with_base = open_fds();
	OK(with_base > fds);
	run_ticks(b);
	/* a zero timeout still returns at once, next to the armed timer */
	struct timeval zero = { 0, 0 };
	EQ(event_base_loopexit(b, &zero), 0);
	EQ(event_base_loop(b, EVLOOP_NO_EXIT_ON_EMPTY), 0);
	/* a new backend after fork: the same descriptors' worth, and still precise */
	EQ(event_reinit(b), 0);
	EQ(open_fds(), with_base);
	run_ticks(b);
	event_base_free(b);
	EQ(open_fds(), fds);
	printf("core_precise: %d checks passed\n", checks);
	return 0;
}
