/* ev_break levels with nested ev_run (EVBREAK_ONE leaves the innermost run, EVBREAK_ALL
 * every run, EVBREAK_CANCEL undoes a request), ev_depth, ev_iteration, and what ev_run
 * returns. compare-output
 * needs: -lev */
#include <ev.h>
#include <stdio.h>
#include "check.h"

static int step;
static ev_timer tick;
static ev_idle nested;

static void tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	step++;
	printf("tick %d depth %u\n", step, ev_depth(loop));
	if (step == 2)
		ev_break(loop, EVBREAK_ONE);        /* leaves the nested run only */
	if (step == 4) {
		ev_break(loop, EVBREAK_ONE);
		ev_break(loop, EVBREAK_CANCEL);     /* ... or not */
	}
	if (step == 6)
		ev_break(loop, EVBREAK_ALL);        /* leaves both */
}

static void nested_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	ev_idle_stop(loop, w);
	printf("nested run from depth %u\n", ev_depth(loop));
	int r = ev_run(loop, 0);
	printf("nested run returned %d at step %d, depth %u\n", r > 0, step, ev_depth(loop));
	if (step < 6)
		ev_idle_start(loop, w);
}

static void once_cb(int revents, void *arg)
{
	printf("once revents 0x%x arg %s\n", revents, (const char *)arg);
}

int main(void)
{
	struct ev_loop *loop = EV_DEFAULT;
	CHECK(loop);
	CHECK(loop == ev_default_loop(0));
	CHECK(ev_is_default_loop(loop));
	printf("depth %u\n", ev_depth(loop));

	/* Nothing active: ev_run returns at once, with 0. */
	printf("empty run: %d\n", ev_run(loop, 0));
	unsigned it = ev_iteration(loop);
	ev_run(loop, EVRUN_NOWAIT);
	printf("iterations: +%u\n", ev_iteration(loop) - it);

	/* 50 ms: long enough that the idle watcher always starts its nested run first, even on
	 * a loaded machine (the output is compared with libev's) */
	ev_timer_init(&tick, tick_cb, 0.05, 0.05);
	ev_timer_start(loop, &tick);
	ev_idle_init(&nested, nested_cb);
	ev_idle_start(loop, &nested);
	int r = ev_run(loop, 0);
	printf("outer run returned %d at step %d, depth %u\n", r > 0, step, ev_depth(loop));

	/* EVBREAK_ALL stays requested after the runs it ended, until the next ev_run. */
	r = ev_run(loop, EVRUN_NOWAIT);
	printf("nowait run returned %d\n", r > 0);

	/* A break from outside any run is forgotten by the next one. */
	ev_break(loop, EVBREAK_ONE);
	step = 6;
	r = ev_run(loop, EVRUN_ONCE);
	printf("once after break: step %d returned %d\n", step, r > 0);
	ev_timer_stop(loop, &tick);

	/* ev_unref: a watcher that does not keep the loop alive (far in the future, so it is
	 * not already due when the run makes its one pass). */
	ev_timer_set(&tick, 10., 0.);
	ev_timer_start(loop, &tick);
	ev_unref(loop);
	r = ev_run(loop, 0);
	printf("unref'd run returned %d, timer still active %d\n", r, ev_is_active(&tick) != 0);
	ev_ref(loop);
	ev_timer_stop(loop, &tick);

	ev_once(loop, -1, 0, 0.001, once_cb, "timeout");
	r = ev_run(loop, 0);
	printf("once run returned %d\n", r);
	ev_loop_destroy(loop);
	CHECK(ev_default_loop_uc_() == NULL);
	return 0;
}
