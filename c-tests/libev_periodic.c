/* ev_periodic: an absolute time (fires once, then stops), every interval from an offset (at
 * a multiple, never early), a reschedule callback, ev_periodic_again.
 * needs: -lev */
#include <ev.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "check.h"

static int fired;
static double due;

static void abs_cb(struct ev_loop *loop, ev_periodic *w, int revents)
{
	CHECK_EQ(revents, EV_PERIODIC);
	CHECK(ev_time() >= due - 1e-3);
	CHECK(!ev_is_active(w));
	fired++;
}

static void every_cb(struct ev_loop *loop, ev_periodic *w, int revents)
{
	CHECK(ev_is_active(w));
	CHECK(ev_time() >= due - 1e-3);
	/* the next time is the next multiple of the interval */
	double k = ev_periodic_at(w) / 0.05;
	CHECK(fabs(k - floor(k + 0.5)) < 1e-3);
	CHECK(ev_periodic_at(w) > due);
	due = ev_periodic_at(w);
	if (++fired == 3)
		ev_periodic_stop(loop, w);
}

static int rescheduled;
static ev_tstamp resched(ev_periodic *w, ev_tstamp now)
{
	rescheduled++;
	return now + 0.03;
}

static void resched_cb(struct ev_loop *loop, ev_periodic *w, int revents)
{
	CHECK(ev_is_active(w));
	if (++fired == 2)
		ev_periodic_stop(loop, w);
}

static void timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	fprintf(stderr, "periodic did not fire (%d)\n", fired);
	exit(1);
}

int main(void)
{
	struct ev_loop *loop = ev_loop_new(0);
	ev_timer guard;
	ev_timer_init(&guard, timeout_cb, 20., 0.);
	ev_timer_start(loop, &guard);
	ev_unref(loop);

	ev_periodic p;
	due = ev_now(loop) + 0.1;
	ev_periodic_init(&p, abs_cb, due, 0., 0);
	ev_periodic_start(loop, &p);
	CHECK(ev_periodic_at(&p) == due);
	ev_run(loop, 0);
	CHECK_EQ(fired, 1);

	fired = 0;
	ev_periodic_init(&p, every_cb, 0., 0.05, 0);
	ev_periodic_start(loop, &p);
	CHECK(ev_periodic_at(&p) > ev_now(loop));
	CHECK(ev_periodic_at(&p) <= ev_now(loop) + 0.05 + 1e-6);
	due = ev_periodic_at(&p);
	ev_run(loop, 0);
	CHECK_EQ(fired, 3);

	fired = 0;
	ev_periodic_init(&p, resched_cb, 0., 0., resched);
	ev_periodic_start(loop, &p);
	CHECK_EQ(rescheduled, 1);
	ev_run(loop, 0);
	CHECK_EQ(fired, 2);
	CHECK(rescheduled >= 2);

	/* ev_periodic_again: a changed offset takes effect. */
	fired = 0;
	ev_periodic_init(&p, abs_cb, ev_now(loop) + 3600., 0., 0);
	ev_periodic_start(loop, &p);
	due = ev_now(loop) + 0.05;
	p.offset = due;
	ev_periodic_again(loop, &p);
	CHECK(ev_periodic_at(&p) == due);
	ev_run(loop, 0);
	CHECK_EQ(fired, 1);

	ev_ref(loop);
	ev_timer_stop(loop, &guard);
	ev_loop_destroy(loop);
	puts("ok");
	return 0;
}
