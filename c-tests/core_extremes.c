/* Extreme numbers from a program never abort, hang or overflow the library:
 * - event_add() on a huge descriptor number fails (-1) instead of sizing a table by it;
 * - a timeout with huge or hugely negative fields (tv_sec, tv_usec, LLONG_MIN, LLONG_MAX), for
 *   plain and persistent timers, common timeouts, event_base_once, event_base_loopexit and
 *   bufferevent timeouts: a negative one is due at once, a huge positive one is not due within
 *   the test and leaves the other timers alone.
 * Each timeout case runs in a child process: libevent itself aborts on some of them (an
 * assertion), and where its deadline arithmetic overflows a huge timeout fires at once; event_rs
 * saturates (README, "Deliberate differences"). The table gives both answers. */
#include <event2/event.h>
#include <event2/bufferevent.h>
#include <dlfcn.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "check.h"

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

/* Whether event_base_new is event_rs's (built against it, or preloaded). */
static int on_event_rs(void)
{
	Dl_info info;
	void *f = dlsym(RTLD_DEFAULT, "event_base_new");
	return f && dladdr(f, &info) && info.dli_fname && strstr(info.dli_fname, "libevent_rs");
}

static int nwarn;
static void logcb(int sev, const char *msg) { (void)msg; if (sev == EVENT_LOG_WARN) nwarn++; }

static int calls;
static short last_what;
static void cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)arg; calls++; last_what = what; }

/* ---- huge descriptor numbers ---- */

static struct event_base *new_base(const char *method)
{
	struct event_config *cfg = event_config_new();
	/* The method asked for, whatever the environment says (EVENT_IOURING in make test). */
	event_config_set_flag(cfg, EVENT_BASE_FLAG_IGNORE_ENV);
	if (strcmp(method, "epoll") != 0) event_config_avoid_method(cfg, "epoll");
	if (strcmp(method, "select") == 0) event_config_avoid_method(cfg, "poll");
	struct event_base *b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	CHECK(b != NULL);
	CHECK(strcmp(event_base_get_method(b), method) == 0);
	return b;
}

static void test_huge_fds(const char *method)
{
	/* Past 2^27 libevent's descriptor map refuses to grow, on every backend. */
	static const int fds[] = { INT_MAX, INT_MAX - 1, INT_MAX / 2, INT_MAX / 2 + 1, 1 << 27, 1 << 30 };
	struct event_base *b = new_base(method);
	for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++) {
		struct event *e = event_new(b, fds[i], EV_READ | EV_PERSIST, cb, NULL);
		OK(e != NULL);
		EQ(event_add(e, NULL), -1);
		EQ(event_pending(e, EV_READ, NULL), 0);
		event_free(e);
		struct timeval tv = { 1, 0 };
		e = event_new(b, fds[i], EV_WRITE | EV_CLOSED, cb, NULL);
		EQ(event_add(e, &tv), -1);
		EQ(event_pending(e, EV_WRITE | EV_TIMEOUT, NULL), 0);
		event_free(e);
	}
	EQ(event_base_get_num_events(b, EVENT_BASE_COUNT_ADDED), 0);

	/* Above the limit of open files a number cannot be open: epoll refuses it with a warning
	 * as libevent does; libevent's poll takes it (and reports it ready, POLLNVAL) after sizing
	 * its table by it, where event_rs refuses it too. (libevent's select aborts on it.) */
	struct rlimit rl;
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	if (rl.rlim_max < (1 << 22) && strcmp(method, "select") != 0) {
		int fd = (int)rl.rlim_max + 1000;
		struct event *e = event_new(b, fd, EV_READ, cb, NULL);
		nwarn = 0;
		calls = 0;
		int r = event_add(e, NULL);
		if (strcmp(method, "epoll") == 0 || on_event_rs()) {
			EQ(r, -1);
			if (strcmp(method, "epoll") == 0) EQ(nwarn, 1);
		} else {
			EQ(r, 0);
			EQ(event_base_loop(b, EVLOOP_ONCE), 0);
			EQ(calls, 1);
			EQ(last_what, EV_READ);
		}
		event_free(e);
	}
	/* The base still works. */
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	struct event *e = event_new(b, sv[0], EV_WRITE, cb, NULL);
	calls = 0;
	EQ(event_add(e, NULL), 0);
	EQ(event_base_dispatch(b), 1);
	EQ(calls, 1);
	event_free(e);
	close(sv[0]);
	close(sv[1]);
	event_base_free(b);
}

/* ---- extreme timeouts ---- */

enum how { PLAIN, COMMON, ONCE, LOOPEXIT, BEV, NHOW };
static const char *how_name[] = { "timer", "common timeout", "event_base_once", "loopexit", "bufferevent" };

/* What a child reports. */
enum { AT_ONCE = 10, NOT_YET = 11, LATE = 12, HANG = 13, ABORTS = 20 };

static struct event_base *cbase;
static struct event *cev, *cguard;
static struct bufferevent *cbev;
static int cfired, cguarded;
static void child_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; cfired++; }
static void child_bev_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev; (void)arg;
	if (what == (BEV_EVENT_READING | BEV_EVENT_TIMEOUT)) cfired++;
}
static void guard_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; cguarded = 1; event_base_loopbreak(cbase); }
static void on_alarm(int sig) { (void)sig; _exit(HANG); }

/* Arms `tv` the given way next to a guard timer of 100 ms; the answer is whether it is due at
 * once (a non-blocking loop runs it), or not yet when the guard ends the loop. */
static void child(enum how how, const struct timeval *tv)
{
	signal(SIGALRM, on_alarm);
	alarm(10);
	int sv[2];
	cbase = event_base_new();
	cguard = evtimer_new(cbase, guard_cb, NULL);
	struct timeval g = { 0, 100000 };
	evtimer_add(cguard, &g);
	cev = evtimer_new(cbase, child_cb, NULL);
	int r = 0;
	switch (how) {
	case PLAIN: r = evtimer_add(cev, tv); break;
	case COMMON: {
		const struct timeval *c = event_base_init_common_timeout(cbase, tv);
		if (!c) _exit(30);
		r = evtimer_add(cev, c);
		break;
	}
	case ONCE: r = event_base_once(cbase, -1, EV_TIMEOUT, child_cb, NULL, tv); break;
	case LOOPEXIT: r = event_base_loopexit(cbase, tv); break;
	case BEV:
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) _exit(31);
		cbev = bufferevent_socket_new(cbase, sv[0], BEV_OPT_CLOSE_ON_FREE);
		bufferevent_setcb(cbev, NULL, NULL, child_bev_cb, NULL);
		r = bufferevent_set_timeouts(cbev, tv, NULL);
		bufferevent_enable(cbev, EV_READ);
		break;
	default: break;
	}
	if (r != 0) _exit(32);
	event_base_loop(cbase, EVLOOP_NONBLOCK);
	int at_once = how == LOOPEXIT ? event_base_got_exit(cbase) : cfired > 0;
	int code = AT_ONCE;
	if (!at_once) {
		event_base_dispatch(cbase);
		code = !cguarded ? 33 : (how == LOOPEXIT ? event_base_got_exit(cbase) : cfired > 0) ? LATE : NOT_YET;
	}
	if (cbev) { bufferevent_free(cbev); close(sv[1]); }
	event_free(cev);
	event_free(cguard);
	event_base_free(cbase);
	_exit(code);
}

static int run_child(enum how how, const struct timeval *tv)
{
	fflush(NULL);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		event_set_log_callback(logcb);   /* libevent's assertion message is expected */
		child(how, tv);
	}
	int st;
	CHECK(waitpid(pid, &st, 0) == pid);
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT) return ABORTS;
	CHECK(WIFEXITED(st));
	return WEXITSTATUS(st);
}

#define N LLONG_MIN
#define X LLONG_MAX
/* Per case and way: libevent's answer, then event_rs's. 'o': at once, 'n': not yet, 'a': libevent
 * aborts (an assertion) where event_rs fires at once. */
static const struct { struct timeval tv; const char *sys, *ours; } cases[] = {
	/*                              timer common once exit bev */
	{ { N, 0 },                   "ooooo", "ooooo" },
	{ { N, N },                   "ooooo", "ooooo" },
	{ { 0, N },                   "ooooo", "ooooo" },
	{ { 0, N / 2 },               "ooooo", "ooooo" },
	{ { 0, -1 },                  "oaooa", "ooooo" },
	{ { -1, 0 },                  "ooooo", "ooooo" },
	{ { 0, -1000000 },            "oaooo", "ooooo" },
	{ { -100, 500 },              "ooooo", "ooooo" },
	{ { N / 1000000, 0 },         "ooooo", "ooooo" },
	{ { 0, 2000000 },             "nnnnn", "nnnnn" },
	{ { INT_MAX, 0 },             "nnnnn", "nnnnn" },
	{ { X / 2000000, 0 },         "nnnnn", "nnnnn" },
	{ { X / 1000000, 0 },         "nnnnn", "nnnnn" },
	/* libevent's deadline overflows (now + tv wraps to the past): it fires at once */
	{ { X, 0 },                   "ooooo", "nnnnn" },
	{ { X, 999999 },              "ooooo", "nnnnn" },
	{ { 0, X },                   "onooa", "nnnnn" },
	{ { X, X },                   "ooooa", "nnnnn" },
};

static void test_timeouts(void)
{
	int ours = on_event_rs();
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *want = ours ? cases[i].ours : cases[i].sys;
		for (int how = 0; how < NHOW; how++) {
			int expect = want[how] == 'o' ? AT_ONCE : want[how] == 'n' ? NOT_YET : ABORTS;
			int got = run_child(how, &cases[i].tv);
			if (got != expect)
				fprintf(stderr, "{%lld, %lld} by %s: got %d, expected %d\n", (long long)cases[i].tv.tv_sec,
					(long long)cases[i].tv.tv_usec, how_name[how], got, expect);
			EQ(got, expect);
		}
	}
}

/* A persistent timer with a negative interval is due again on every iteration: a non-blocking
 * loop goes on until the callback deletes it. */
static void persist_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	calls++;
	last_what = what;
	if (calls == 3) event_del(arg);
}
static void test_negative_persist(void)
{
	static const struct timeval tvs[] = { { -1, 0 }, { N, 0 }, { -1, 999999 } };
	struct event_base *b = event_base_new();
	for (unsigned i = 0; i < sizeof tvs / sizeof tvs[0]; i++) {
		struct event *e = event_new(b, -1, EV_PERSIST, persist_cb, event_self_cbarg());
		calls = 0;
		alarm(10);
		EQ(event_add(e, &tvs[i]), 0);
		EQ(event_base_loop(b, EVLOOP_NONBLOCK), 1);
		alarm(0);
		EQ(calls, 3);
		EQ(last_what, EV_TIMEOUT);
		EQ(event_pending(e, EV_TIMEOUT, NULL), 0);
		event_free(e);
	}
	event_base_free(b);
}

/* Huge timers in the heap leave the ordinary ones alone (one that libevent's arithmetic does not
 * overflow on both libraries; the overflowing ones too on event_rs). */
static int order[8], norder;
static void order_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; order[norder++] = (int)(long)arg; }
static void test_huge_next_to_small(void)
{
	struct timeval huge[] = { { X / 1000000, 0 }, { X, 0 }, { 0, X }, { X, X } };
	int nhuge = on_event_rs() ? 4 : 1;
	struct event_base *b = event_base_new();
	struct event *h[4];
	for (int i = 0; i < nhuge; i++) {
		h[i] = evtimer_new(b, cb, NULL);
		EQ(evtimer_add(h[i], &huge[i]), 0);
	}
	struct event *s[3];
	for (int i = 0; i < 3; i++) {
		struct timeval tv = { 0, (3 - i) * 2000 };
		s[i] = evtimer_new(b, order_cb, (void *)(long)(3 - i));
		EQ(evtimer_add(s[i], &tv), 0);
	}
	calls = 0;
	norder = 0;
	alarm(10);
	struct timeval exit_after = { 0, 20000 };
	EQ(event_base_loopexit(b, &exit_after), 0);
	EQ(event_base_dispatch(b), 0);
	alarm(0);
	EQ(event_base_got_exit(b), 1);
	EQ(norder, 3);
	EQ(order[0], 1);
	EQ(order[1], 2);
	EQ(order[2], 3);
	EQ(calls, 0);
	for (int i = 0; i < nhuge; i++) {
		EQ(evtimer_pending(h[i], NULL), EV_TIMEOUT);
		event_free(h[i]);
	}
	for (int i = 0; i < 3; i++) event_free(s[i]);
	event_base_free(b);
}

int main(void)
{
	signal(SIGALRM, SIG_DFL);
	event_set_log_callback(logcb);
	test_huge_fds("epoll");
	test_huge_fds("poll");
	test_huge_fds("select");
	test_timeouts();
	test_negative_persist();
	test_huge_next_to_small();
	event_set_log_callback(NULL);
	printf("core_extremes: %d checks passed\n", checks);
	return 0;
}
