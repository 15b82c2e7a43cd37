/* Bad arguments get libevent 2.1.12's answer (a return value, a warning through the log
 * callback), never a crash. Only calls that libevent itself checks are exercised: it crashes
 * on a NULL event or a NULL base in most other calls, and so may we. */
#include <event2/event.h>
#include <event2/event_struct.h>
#include <event2/event_compat.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "check.h"

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

static int nlog, nwarn, last_sev;
static char last_msg[512];
static void logcb(int sev, const char *msg)
{
	nlog++;
	if (sev == EVENT_LOG_WARN) nwarn++;
	last_sev = sev;
	snprintf(last_msg, sizeof last_msg, "%s", msg ? msg : "");
}
static void clear_log(void) { nlog = nwarn = 0; last_sev = -1; last_msg[0] = 0; }
/* exactly one warning, with some text */
#define WARNED() do { EQ(nwarn, 1); EQ(nlog, 1); OK(last_msg[0] != 0); clear_log(); } while (0)
#define SILENT() do { EQ(nlog, 0); } while (0)

static int calls;
static short last_what;
static void cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)arg; calls++; last_what = what; }

static struct event_base *base;

static void test_no_base(void)
{
	/* event_base_free(NULL) with no current base: a warning */
	clear_log();
	event_base_free(NULL);
	WARNED();

	/* an event without a base: add, del, pending refuse with a warning */
	struct event *e = event_new(NULL, -1, 0, cb, NULL);
	OK(e != NULL);
	SILENT();
	struct timeval tv = { 1, 0 };
	EQ(event_add(e, NULL), -1);
	WARNED();
	EQ(event_add(e, &tv), -1);
	WARNED();
	EQ(event_del(e), -1);
	WARNED();
	EQ(event_pending(e, EV_TIMEOUT, NULL), 0);
	WARNED();
	event_free(e);                                  /* its event_del warns again */
	WARNED();

	struct event ev;
	memset(&ev, 0, sizeof ev);                      /* zeroed memory: not initialised */
	EQ(event_initialized(&ev), 0);
	EQ(event_add(&ev, NULL), -1);
	WARNED();
	EQ(event_del(&ev), -1);
	WARNED();
	EQ(event_pending(&ev, EV_READ | EV_TIMEOUT, NULL), 0);
	WARNED();

	EQ(event_assign(&ev, NULL, -1, 0, cb, NULL), 0);  /* allowed */
	SILENT();
	EQ(event_initialized(&ev), 1);
	EQ(event_add(&ev, &tv), -1);
	WARNED();

	/* 1.x: event_set with no event_init() base */
	event_set(&ev, -1, 0, cb, NULL);
	OK(event_get_base(&ev) == NULL);
	EQ(event_add(&ev, &tv), -1);
	WARNED();

	/* NULL base where libevent checks */
	EQ(event_base_loopexit(NULL, NULL), -1);
	EQ(event_base_loopbreak(NULL), -1);
	EQ(event_base_loopcontinue(NULL), -1);
	EQ(event_base_update_cache_time(NULL), -1);
	struct timeval now, got, after;
	gettimeofday(&now, NULL);
	EQ(event_base_gettimeofday_cached(NULL, &got), 0);   /* no current base: the real time */
	gettimeofday(&after, NULL);
	OK(!evutil_timercmp(&got, &now, <) && !evutil_timercmp(&got, &after, >));
	EQ(event_base_once(NULL, -1, EV_TIMEOUT, cb, NULL, &tv), -1);
	EQ(event_config_set_flag(NULL, EVENT_BASE_FLAG_NOLOCK), -1);
	EQ(event_config_require_features(NULL, EV_FEATURE_O1), -1);
	SILENT();
}

static void test_fds(void)
{
	/* a negative fd with EV_READ: accepted, added, never fires */
	calls = 0;
	struct event *e = event_new(base, -1, EV_READ, cb, NULL);
	OK(e != NULL);
	EQ(event_add(e, NULL), 0);
	EQ(event_pending(e, EV_READ, NULL), EV_READ);
	EQ(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED), 1);
	EQ(event_base_loop(base, EVLOOP_NONBLOCK), 0);
	EQ(calls, 0);
	EQ(event_del(e), 0);
	event_free(e);
	e = event_new(base, -7, EV_READ | EV_WRITE | EV_PERSIST, cb, NULL);
	OK(e != NULL);
	EQ(event_add(e, NULL), 0);
	EQ(event_base_loop(base, EVLOOP_NONBLOCK), 0);
	EQ(calls, 0);
	event_free(e);
	SILENT();

	/* an fd that is not open: epoll refuses it with a warning */
	int fd = dup(0);
	close(fd);
	e = event_new(base, fd, EV_READ, cb, NULL);
	EQ(event_add(e, NULL), -1);
	OK(nwarn >= 1 && last_sev == EVENT_LOG_WARN);
	clear_log();
	EQ(event_pending(e, EV_READ, NULL), 0);
	event_free(e);

	/* activating fds and signals nobody watches, or out of range */
	event_base_active_by_fd(base, -1, EV_READ);
	event_base_active_by_fd(base, 100000, EV_READ | EV_WRITE);
	event_base_active_by_signal(base, -1);
	event_base_active_by_signal(base, 1000);
	event_base_active_by_signal(base, SIGUSR1);
	EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	EQ(calls, 0);
}

static void test_signals(void)
{
	struct event ev;
	clear_log();
	OK(event_new(base, SIGUSR1, EV_SIGNAL | EV_READ, cb, NULL) == NULL);
	WARNED();
	OK(event_new(base, SIGUSR1, EV_SIGNAL | EV_WRITE, cb, NULL) == NULL);
	WARNED();
	OK(event_new(base, SIGUSR1, EV_SIGNAL | EV_CLOSED, cb, NULL) == NULL);
	WARNED();
	EQ(event_assign(&ev, base, SIGUSR1, EV_SIGNAL | EV_WRITE, cb, NULL), -1);
	WARNED();

	/* signal numbers the system refuses */
	struct event *e = event_new(base, 0, EV_SIGNAL, cb, NULL);
	OK(e != NULL);
	EQ(event_add(e, NULL), -1);
	WARNED();
	EQ(event_pending(e, EV_SIGNAL, NULL), 0);
	event_free(e);
	e = event_new(base, SIGKILL, EV_SIGNAL, cb, NULL);
	EQ(event_add(e, NULL), -1);
	WARNED();
	event_free(e);
	e = event_new(base, SIGSTOP, EV_SIGNAL | EV_PERSIST, cb, NULL);
	EQ(event_add(e, NULL), -1);
	WARNED();
	event_free(e);
	e = event_new(base, -1, EV_SIGNAL, cb, NULL);
	EQ(event_add(e, NULL), -1);
	event_free(e);
	e = event_new(base, 65, EV_SIGNAL, cb, NULL);    /* NSIG */
	EQ(event_add(e, NULL), -1);
	event_free(e);
	e = event_new(base, 1000, EV_SIGNAL, cb, NULL);
	EQ(event_add(e, NULL), -1);
	event_free(e);
	clear_log();
	EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);    /* nothing was left behind */
}

static void test_ranges(void)
{
	struct event *e = evtimer_new(base, cb, NULL);
	EQ(event_priority_set(e, -1), -1);
	EQ(event_priority_set(e, 1), -1);                 /* one priority only: 0 */
	EQ(event_priority_set(e, 256), -1);
	EQ(event_priority_set(e, 0), 0);
	EQ(event_get_priority(e), 0);

	/* event_base_once refuses signals and persistence */
	struct timeval tv = { 0, 1000 };
	EQ(event_base_once(base, SIGUSR1, EV_SIGNAL, cb, NULL, NULL), -1);
	EQ(event_base_once(base, -1, EV_TIMEOUT | EV_PERSIST, cb, NULL, &tv), -1);
	EQ(event_base_once(base, 0, EV_READ | EV_PERSIST, cb, NULL, NULL), -1);
	EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);

	/* deleting or un-timing what was never added is fine */
	EQ(event_del(e), 0);
	EQ(event_remove_timer(e), 0);

	/* foreach without a function */
	EQ(event_base_foreach_event(base, NULL, NULL), -1);

	/* unknown loop flags are ignored */
	EQ(event_base_loop(base, 0x100), 1);

	/* unknown config flags and odd dispatch limits are accepted */
	struct event_config *cfg = event_config_new();
	EQ(event_config_set_flag(cfg, 0x1000), 0);
	struct timeval neg = { -1, 0 };
	EQ(event_config_set_max_dispatch_interval(cfg, &neg, -5, -1), 0);
	EQ(event_config_set_max_dispatch_interval(cfg, NULL, 0, 300), 0);
	struct event_base *b2 = event_base_new_with_config(cfg);
	OK(b2 != NULL);
	event_base_free(b2);
	event_config_free(cfg);
	event_free(e);
	SILENT();
}

static void test_timeouts(void)
{
	/* negative fields: the timer is due at once */
	static const struct timeval odd[] = { { -1, 0 }, { 0, -5 }, { -3, -3 }, { -100000, 0 } };
	struct event *e = evtimer_new(base, cb, NULL);
	for (unsigned i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		calls = 0;
		EQ(evtimer_add(e, &odd[i]), 0);
		EQ(evtimer_pending(e, NULL), EV_TIMEOUT);
		EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
		EQ(calls, 1);
		EQ(last_what, EV_TIMEOUT);
	}
	/* tv_usec above a second is normalised: not due now */
	struct timeval big = { 0, 2000000 };
	calls = 0;
	EQ(evtimer_add(e, &big), 0);
	EQ(evtimer_pending(e, NULL), EV_TIMEOUT);
	EQ(event_base_loop(base, EVLOOP_NONBLOCK), 0);
	EQ(calls, 0);
	EQ(evtimer_del(e), 0);

	/* loopexit with a negative delay: the next loop exits at once */
	struct timeval neg = { -1, 0 }, far = { 100, 0 };
	EQ(evtimer_add(e, &far), 0);
	EQ(event_base_loopexit(base, &neg), 0);
	EQ(event_base_dispatch(base), 0);
	EQ(event_base_got_exit(base), 1);
	EQ(calls, 0);
	event_free(e);
	SILENT();
}

/* the loop cannot be entered again from one of its callbacks */
static int reentry_rc[2];
static void reenter_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	reentry_rc[0] = event_base_loop(base, EVLOOP_NONBLOCK);
	reentry_rc[1] = event_base_dispatch(base);
}
static void test_reentry(void)
{
	struct event *e = evtimer_new(base, reenter_cb, NULL);
	clear_log();
	event_active(e, EV_TIMEOUT, 0);
	EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	EQ(reentry_rc[0], -1);
	EQ(reentry_rc[1], -1);
	EQ(nwarn, 2);
	EQ(last_sev, EVENT_LOG_WARN);
	clear_log();
	event_free(e);
}

int main(void)
{
	event_set_log_callback(logcb);
	test_no_base();
	base = event_base_new();
	CHECK(base != NULL);
	test_fds();
	test_signals();
	test_ranges();
	test_timeouts();
	test_reentry();
	event_base_free(base);
	/* the same on poll, where unopened fds are not checked at add time */
	struct event_config *cfg = event_config_new();
	event_config_avoid_method(cfg, "epoll");
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	test_signals();
	test_ranges();
	test_timeouts();
	test_reentry();
	event_base_free(base);
	event_set_log_callback(NULL);
	printf("core_badargs: %d checks passed\n", checks);
	return 0;
}
