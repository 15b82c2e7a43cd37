/* ev_timer: never earlier than asked, repeats, ev_timer_again's four cases, remaining time,
 * a stop that takes back a pending callback, extreme delays.
 * needs: -lev */
#include <ev.h>
#include <dlfcn.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "check.h"

/* Whether ev_run is event_rs's (built against it, or preloaded over libev). */
static int on_event_rs(void)
{
	Dl_info info;
	void *f = dlsym(RTLD_DEFAULT, "ev_run");
	return f && dladdr(f, &info) && info.dli_fname && strstr(info.dli_fname, "libevent_rs");
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double started;
static int fired;
static double fired_at[8];

static void once_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	CHECK_EQ(revents, EV_TIMER);
	CHECK(!ev_is_active(w));            /* a one-shot timer is stopped before its callback */
	fired_at[fired++] = mono();
}

static void repeat_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	CHECK(ev_is_active(w));
	fired_at[fired++] = mono();
	if (fired == 3)
		ev_timer_stop(loop, w);
}

static void never_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	fprintf(stderr, "a stopped timer ran\n");
	exit(1);
}

int main(void)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	CHECK(loop);
	ev_timer t;

	/* One shot: not before the delay. */
	/* (timers count from the loop's time, ev_now: read the clock before updating it) */
	ev_timer_init(&t, once_cb, 0.05, 0.);
	started = mono();
	ev_now_update(loop);
	ev_timer_start(loop, &t);
	CHECK(ev_is_active(&t));
	double rem = ev_timer_remaining(loop, &t);
	CHECK(rem > 0.0 && rem <= 0.05 + 1e-9);
	ev_run(loop, 0);
	CHECK_EQ(fired, 1);
	CHECK(fired_at[0] - started >= 0.05 - 1e-6);
	CHECK(ev_now(loop) > 0);

	/* Repeating: the k-th call not before k repeats. */
	fired = 0;
	ev_timer_init(&t, repeat_cb, 0.02, 0.02);
	started = mono();
	ev_now_update(loop);
	ev_timer_start(loop, &t);
	ev_run(loop, 0);
	CHECK_EQ(fired, 3);
	for (int k = 0; k < 3; k++)
		CHECK(fired_at[k] - started >= 0.02 * (k + 1) - 1e-6);
	CHECK(!ev_is_active(&t));

	/* ev_timer_again: inactive and not repeating: nothing. */
	ev_timer_init(&t, never_cb, 5., 0.);
	ev_timer_again(loop, &t);
	CHECK(!ev_is_active(&t));
	/* inactive and repeating: started with the repeat value. */
	t.repeat = 10.;
	ev_timer_again(loop, &t);
	CHECK(ev_is_active(&t));
	rem = ev_timer_remaining(loop, &t);
	CHECK(rem > 9. && rem <= 10. + 1e-9);
	/* active and repeating: restarted from now with the (new) repeat value. */
	t.repeat = 20.;
	ev_timer_again(loop, &t);
	CHECK(ev_is_active(&t));
	rem = ev_timer_remaining(loop, &t);
	CHECK(rem > 19. && rem <= 20. + 1e-9);
	/* active and not repeating: stopped. */
	t.repeat = 0.;
	ev_timer_again(loop, &t);
	CHECK(!ev_is_active(&t));
	/* A stopped timer remembers what was left. */
	ev_timer_init(&t, never_cb, 30., 0.);
	ev_timer_start(loop, &t);
	ev_timer_stop(loop, &t);
	rem = ev_timer_remaining(loop, &t);
	CHECK(rem > 29. && rem <= 30. + 1e-9);

	/* Stopping a pending timer takes its callback back; so does ev_timer_again. */
	ev_timer_init(&t, never_cb, 0., 0.);
	ev_feed_event(loop, &t, EV_TIMER);
	CHECK(ev_is_pending(&t));
	ev_timer_stop(loop, &t);
	CHECK(!ev_is_pending(&t));
	ev_timer_init(&t, never_cb, 0., 50.);
	ev_timer_start(loop, &t);
	ev_feed_event(loop, &t, EV_TIMER);
	ev_timer_again(loop, &t);
	CHECK(!ev_is_pending(&t));
	CHECK(ev_is_active(&t));
	ev_run(loop, EVRUN_NOWAIT);
	ev_timer_stop(loop, &t);
	CHECK_EQ(ev_pending_count(loop), 0);

	/* A zero delay fires at the next iteration. */
	fired = 0;
	ev_timer_init(&t, once_cb, 0., 0.);
	ev_timer_start(loop, &t);
	ev_run(loop, EVRUN_NOWAIT);
	CHECK_EQ(fired, 1);

	/* Suspend/resume: a timer does not count the time the loop was suspended. */
	ev_timer_init(&t, never_cb, 0.2, 0.);
	ev_timer_start(loop, &t);
	ev_suspend(loop);
	ev_sleep(0.3);
	ev_resume(loop);
	rem = ev_timer_remaining(loop, &t);
	CHECK(rem > 0.05);
	ev_run(loop, EVRUN_NOWAIT);
	CHECK(ev_is_active(&t));
	ev_timer_stop(loop, &t);

	/* Extreme delays: a negative one is due at once, a huge one is not due and leaves the other
	 * timers alone. libev's heap breaks on a NaN (its loop then waits for ever): event_rs
	 * fires it at once, as a delay that is not positive. */
	{
		static const double due[] = { -1., -1e300, -INFINITY };
		static const double huge[] = { 1e300, INFINITY, DBL_MAX, 1e18, 1e300 };
		ev_timer h[5], g;
		for (int i = 0; i < 3; i++) {
			fired = 0;
			ev_timer_init(&t, once_cb, due[i], 0.);
			ev_timer_start(loop, &t);
			ev_run(loop, EVRUN_NOWAIT);
			CHECK_EQ(fired, 1);
			CHECK(!ev_is_active(&t));
		}
		for (int i = 0; i < 4; i++) {
			ev_timer_init(&h[i], never_cb, huge[i], 0.);
			ev_timer_start(loop, &h[i]);
		}
		ev_timer_init(&h[4], never_cb, 0., huge[4]);   /* a huge repeat */
		ev_timer_again(loop, &h[4]);
		fired = 0;
		ev_timer_init(&g, once_cb, 0.01, 0.);
		ev_timer_start(loop, &g);
		ev_run(loop, EVRUN_ONCE);     /* the guard, not the huge ones, ends this wait */
		CHECK_EQ(fired, 1);
		for (int i = 0; i < 5; i++) {
			CHECK(ev_is_active(&h[i]));
			CHECK(ev_timer_remaining(loop, &h[i]) >= huge[i] / 2);
			ev_timer_stop(loop, &h[i]);
		}
		if (on_event_rs()) {
			fired = 0;
			ev_timer_init(&t, once_cb, NAN, 0.);
			ev_timer_start(loop, &t);
			ev_run(loop, EVRUN_NOWAIT);
			CHECK_EQ(fired, 1);
			ev_timer_init(&t, never_cb, 0., NAN);   /* a NaN repeat: not started */
			ev_timer_again(loop, &t);
			CHECK(!ev_is_active(&t));
		}
	}

	ev_loop_destroy(loop);
	puts("ok");
	return 0;
}
