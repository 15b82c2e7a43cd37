/* libev's order of callbacks: higher priority first, a higher-priority watcher queued by a
 * callback runs before the lower ones still waiting, the most recently queued first within
 * a priority, check watchers before the other events of their priority, idle watchers only
 * when nothing of their priority or above is pending. compare-output
 * needs: -lev */
#include <ev.h>
#include <stdio.h>
#include "check.h"

static ev_idle fed[6];
static ev_idle chain[4];

static void show(struct ev_loop *loop, ev_idle *w, int revents)
{
	printf("fed %ld pri %d revents 0x%x pending-left %u\n", (long)w->data, ev_priority(w), revents, ev_pending_count(loop));
}

static void chain_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	long i = (long)w->data;
	printf("chain %ld pri %d\n", i, ev_priority(w));
	if (i == 1)
		ev_feed_event(loop, &chain[3], EV_CUSTOM); /* priority 2: runs before chain 0 */
}

static void prep_cb(struct ev_loop *loop, ev_prepare *w, int revents) { printf("prepare %ld\n", (long)w->data); }
static void check_cb(struct ev_loop *loop, ev_check *w, int revents) { printf("check %ld pri %d\n", (long)w->data, ev_priority(w)); }
static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents) { printf("timer %ld revents 0x%x\n", (long)w->data, revents); }
static void idle_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	printf("idle %ld pri %d\n", (long)w->data, ev_priority(w));
	ev_idle_stop(loop, w);
}

int main(void)
{
	struct ev_loop *loop = ev_loop_new(0);
	CHECK(loop);

	/* Feeding: by priority, newest first within one; revents accumulate. */
	for (int i = 0; i < 6; i++) {
		ev_idle_init(&fed[i], show);
		fed[i].data = (void *)(long)i;
		ev_set_priority(&fed[i], i % 3 - 1);
		ev_feed_event(loop, &fed[i], EV_CUSTOM);
	}
	ev_feed_event(loop, &fed[4], EV_READ);
	printf("pending %u, fed[4] pending %d\n", ev_pending_count(loop), ev_is_pending(&fed[4]));
	ev_invoke_pending(loop);
	printf("pending after %u\n", ev_pending_count(loop));

	/* A callback queueing a higher priority. */
	for (int i = 0; i < 4; i++) {
		ev_idle_init(&chain[i], chain_cb);
		chain[i].data = (void *)(long)i;
	}
	ev_set_priority(&chain[3], 2);
	ev_feed_event(loop, &chain[0], EV_CUSTOM);
	ev_feed_event(loop, &chain[1], EV_CUSTOM);
	ev_feed_event(loop, &chain[2], EV_CUSTOM);
	ev_invoke_pending(loop);

	/* One iteration: prepare, then (after the poll) check before the timers of its priority;
	 * timers run earliest first. */
	ev_prepare p1, p2;
	ev_prepare_init(&p1, prep_cb); p1.data = (void *)1L; ev_prepare_start(loop, &p1);
	ev_prepare_init(&p2, prep_cb); p2.data = (void *)2L; ev_prepare_start(loop, &p2);
	ev_check c1, c2;
	ev_check_init(&c1, check_cb); c1.data = (void *)1L; ev_check_start(loop, &c1);
	ev_check_init(&c2, check_cb); c2.data = (void *)2L; ev_set_priority(&c2, -1); ev_check_start(loop, &c2);
	ev_timer t[3];
	for (int i = 0; i < 3; i++) {
		ev_timer_init(&t[i], timer_cb, 0.001 * (3 - i), 0.);
		t[i].data = (void *)(long)i;
		ev_timer_start(loop, &t[i]);
	}
	ev_sleep(0.01);
	ev_now_update(loop);
	printf("run once: %d\n", ev_run(loop, EVRUN_ONCE) > 0);
	ev_prepare_stop(loop, &p1);
	ev_prepare_stop(loop, &p2);
	ev_check_stop(loop, &c1);
	ev_check_stop(loop, &c2);

	/* Idle watchers: only the highest priority that has some, and only when nothing of that
	 * priority or above is pending. */
	ev_idle i1, i2, i3;
	ev_idle_init(&i1, idle_cb); i1.data = (void *)1L; ev_set_priority(&i1, 1); ev_idle_start(loop, &i1);
	ev_idle_init(&i2, idle_cb); i2.data = (void *)2L; ev_set_priority(&i2, -1); ev_idle_start(loop, &i2);
	ev_idle_init(&i3, idle_cb); i3.data = (void *)3L; ev_set_priority(&i3, 1); ev_idle_start(loop, &i3);
	ev_timer busy;
	ev_timer_init(&busy, timer_cb, 0., 0.);
	busy.data = (void *)9L;
	ev_set_priority(&busy, 2);
	ev_timer_start(loop, &busy);
	for (int n = 0; n < 4 && ev_run(loop, EVRUN_ONCE); n++)
		printf("-- iteration\n");
	printf("left: %d\n", ev_run(loop, EVRUN_NOWAIT));

	/* Priorities out of range are clamped when a watcher starts. */
	ev_idle wide;
	ev_idle_init(&wide, idle_cb);
	ev_set_priority(&wide, 7);
	ev_idle_start(loop, &wide);
	printf("clamped %d\n", ev_priority(&wide));
	ev_idle_stop(loop, &wide);
	ev_set_priority(&wide, -9);
	ev_idle_start(loop, &wide);
	printf("clamped %d\n", ev_priority(&wide));
	ev_idle_stop(loop, &wide);
	ev_loop_destroy(loop);
	return 0;
}
