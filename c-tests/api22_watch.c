/* libevent 2.2's prepare and check watchers (event2/watch.h): prepare runs before the backend
 * waits and sees the wait's timeout, check runs after it and before the callbacks; several run
 * in the order added; a watcher may free itself or another from its callback; the base frees
 * those left; watchers alone do not keep a loop running; NULL arguments are refused.
 * needs: event_rs */
#include <event2/event.h>
#include <event2/watch.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

/* What ran, in order: 'P'/'Q' prepare watchers, 'C'/'D' check watchers, 'E' an event. */
static char trace[256];
static void note(char c) { size_t n = strlen(trace); if (n + 1 < sizeof trace) { trace[n] = c; trace[n + 1] = 0; } }

static struct evwatch *self_freeing;
static struct evwatch *victim;
static int have_timeout;
static struct timeval seen;
static struct event_base *seen_base;

static void prepare_p(struct evwatch *w, const struct evwatch_prepare_cb_info *info, void *arg)
{
	note('P');
	seen_base = evwatch_base(w);
	have_timeout = evwatch_prepare_get_timeout(info, &seen);
	(void)arg;
}
static void prepare_q(struct evwatch *w, const struct evwatch_prepare_cb_info *info, void *arg)
{
	(void)w; (void)info; (void)arg;
	note('Q');
}
static void check_c(struct evwatch *w, const struct evwatch_check_cb_info *info, void *arg)
{
	(void)w; (void)info; (void)arg;
	note('C');
}
static void check_d(struct evwatch *w, const struct evwatch_check_cb_info *info, void *arg)
{
	(void)w; (void)info; (void)arg;
	note('D');
}
static void event_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	note('E');
}

/* Frees itself: must run once, and the pass must go on with the next watcher. */
static void prepare_self_free(struct evwatch *w, const struct evwatch_prepare_cb_info *info, void *arg)
{
	(void)info; (void)arg;
	note('S');
	CHECK(w == self_freeing);
	evwatch_free(w);
	self_freeing = NULL;
}
/* Frees the watcher added after it, which must then not run. */
static void check_kill_next(struct evwatch *w, const struct evwatch_check_cb_info *info, void *arg)
{
	(void)w; (void)info; (void)arg;
	note('K');
	if (victim) {
		evwatch_free(victim);
		victim = NULL;
	}
}
static void check_victim(struct evwatch *w, const struct evwatch_check_cb_info *info, void *arg)
{
	(void)w; (void)info; (void)arg;
	note('V');
}

static void test_order(void)
{
	struct event_base *base = event_base_new();
	OK(base != NULL);
	struct evwatch *p = evwatch_prepare_new(base, prepare_p, NULL);
	struct evwatch *c = evwatch_check_new(base, check_c, NULL);
	struct evwatch *q = evwatch_prepare_new(base, prepare_q, NULL);
	struct evwatch *d = evwatch_check_new(base, check_d, NULL);
	OK(p && c && q && d);
	EQ(evwatch_base(p), base);
	EQ(evwatch_base(d), base);

	/* Watchers are not events: a loop with nothing else returns 1 without running them. */
	trace[0] = 0;
	EQ(event_base_loop(base, 0), 1);
	EQ(strlen(trace), 0);

	/* One pass with a readable pipe: prepare P Q, the wait, check C D, then the callback. */
	int fds[2];
	OK(pipe(fds) == 0);
	OK(write(fds[1], "x", 1) == 1);
	struct event *ev = event_new(base, fds[0], EV_READ, event_cb, NULL);
	OK(event_add(ev, NULL) == 0);
	trace[0] = 0;
	EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	OK(strcmp(trace, "PQCDE") == 0);
	EQ(seen_base, base);
	/* The pipe was readable but no callback was active yet: a wait for ever (no timer). */
	EQ(have_timeout, 0);

	/* A timer of 30 s: the prepare watcher sees a timeout of at most 30 s, and more than 20. */
	struct event *t = evtimer_new(base, event_cb, NULL);
	struct timeval thirty = { 30, 0 };
	OK(evtimer_add(t, &thirty) == 0);
	OK(write(fds[1], "x", 1) == 1);
	OK(event_add(ev, NULL) == 0);
	trace[0] = 0;
	EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	OK(strcmp(trace, "PQCDE") == 0);
	EQ(have_timeout, 1);
	OK(seen.tv_sec <= 30 && seen.tv_sec >= 20);
	OK(seen.tv_usec >= 0 && seen.tv_usec < 1000000);

	/* An active event: the wait does not block, and the prepare watcher sees 0. */
	event_active(t, EV_TIMEOUT, 1);
	trace[0] = 0;
	EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	OK(strcmp(trace, "PQCDE") == 0);
	EQ(have_timeout, 1);
	EQ(seen.tv_sec, 0);
	EQ(seen.tv_usec, 0);

	/* A non-blocking loop: timeout 0 too. */
	OK(evtimer_add(t, &thirty) == 0);
	trace[0] = 0;
	EQ(event_base_loop(base, EVLOOP_NONBLOCK), 0);
	OK(strcmp(trace, "PQCD") == 0);
	EQ(have_timeout, 1);
	EQ(seen.tv_sec, 0);
	EQ(seen.tv_usec, 0);

	/* Freed watchers no longer run; the others keep their order. */
	evwatch_free(q);
	evwatch_free(c);
	OK(write(fds[1], "x", 1) == 1);
	OK(event_add(ev, NULL) == 0);
	trace[0] = 0;
	EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	OK(strcmp(trace, "PDE") == 0);

	/* Freed from their own callback, or by another watcher of the same pass. */
	self_freeing = evwatch_prepare_new(base, prepare_self_free, NULL);
	struct evwatch *after = evwatch_prepare_new(base, prepare_q, NULL);
	struct evwatch *killer = evwatch_check_new(base, check_kill_next, NULL);
	victim = evwatch_check_new(base, check_victim, NULL);
	OK(self_freeing && after && killer && victim);
	OK(write(fds[1], "x", 1) == 1);
	OK(event_add(ev, NULL) == 0);
	trace[0] = 0;
	EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	OK(strcmp(trace, "PSQDKE") == 0);
	OK(self_freeing == NULL);
	OK(victim == NULL);
	OK(write(fds[1], "x", 1) == 1);
	OK(event_add(ev, NULL) == 0);
	trace[0] = 0;
	EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	OK(strcmp(trace, "PQDKE") == 0);

	/* The rest (p, d, after, killer) go with the base (valgrind checks nothing leaks). */
	event_free(ev);
	event_free(t);
	event_base_free(base);
	close(fds[0]);
	close(fds[1]);
}

/* Bad arguments: NULL, never a crash. */
static void test_badargs(void)
{
	struct event_base *base = event_base_new();
	EQ(evwatch_prepare_new(NULL, prepare_p, NULL), NULL);
	EQ(evwatch_check_new(NULL, check_c, NULL), NULL);
	EQ(evwatch_prepare_new(base, NULL, NULL), NULL);
	EQ(evwatch_check_new(base, NULL, NULL), NULL);
	EQ(evwatch_base(NULL), NULL);
	evwatch_free(NULL);
	struct timeval tv;
	EQ(evwatch_prepare_get_timeout(NULL, &tv), -1);
	event_base_free(base);
}

/* A prepare watcher that adds an earlier timer: the wait must not sleep past it. */
static struct event *late_timer;
static int fired;
static void fire_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; fired++; }
static void prepare_add_timer(struct evwatch *w, const struct evwatch_prepare_cb_info *info, void *arg)
{
	(void)info; (void)arg;
	struct timeval now = { 0, 0 };
	evtimer_add(late_timer, &now);
	evwatch_free(w);
}
static void test_prepare_changes_wait(void)
{
	struct event_base *base = event_base_new();
	struct event *far = evtimer_new(base, fire_cb, NULL);
	struct timeval hour = { 3600, 0 };
	OK(evtimer_add(far, &hour) == 0);
	late_timer = evtimer_new(base, fire_cb, NULL);
	OK(evwatch_prepare_new(base, prepare_add_timer, NULL) != NULL);
	EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	EQ(fired, 1);
	event_free(far);
	event_free(late_timer);
	event_base_free(base);
}

int main(void)
{
	test_order();
	test_badargs();
	test_prepare_changes_wait();
	printf("api22_watch: %d checks\n", checks);
	return 0;
}
