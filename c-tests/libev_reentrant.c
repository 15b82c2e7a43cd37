/* Callbacks that change the loop under it: a watcher stopped, restarted or freed from its own
 * callback, a pending watcher stopped (or stopped and freed) by another one's callback, a
 * watcher feeding itself again, and a loop destroyed with watchers still started.
 * needs: -lev */
#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"

static int io_calls, timer_calls, restarts, victim_calls, feeds, sig_calls, async_calls;

static void io_free_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	io_calls++;
	ev_io_stop(loop, w);
	free(w);
}

static void timer_free_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	timer_calls++;
	ev_timer_stop(loop, w);   /* repeating: still active until stopped */
	free(w);
}

static void restart_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	if (++restarts < 3) {
		ev_timer_stop(loop, w);
		ev_timer_set(w, 0.001 * restarts, 0.);
		ev_timer_start(loop, w);
	}
}

static ev_idle *victim;
static void victim_cb(struct ev_loop *loop, ev_idle *w, int revents) { victim_calls++; }
static void killer_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	/* the victim is pending too (queued before, so it would run after): take it away */
	CHECK(ev_is_pending(victim));
	ev_idle_stop(loop, victim);
	free(victim);
	victim = NULL;
	ev_idle_stop(loop, w);
}

static void self_feed_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	if (++feeds < 5)
		ev_feed_event(loop, w, EV_CUSTOM);   /* runs again within the same pass */
}

static void sig_free_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	sig_calls++;
	ev_signal_stop(loop, w);
	free(w);
}

static void async_free_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	async_calls++;
	ev_async_stop(loop, w);
	free(w);
}

static void idle_toggle_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	ev_idle_stop(loop, w);
	if ((long)w->data < 3) {
		w->data = (void *)((long)w->data + 1);
		ev_idle_start(loop, w);
	}
}

int main(void)
{
	struct ev_loop *loop = ev_default_loop(0);
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK_EQ(write(p[1], "x", 1), 1);

	ev_io *io = malloc(sizeof *io);
	ev_io_init(io, io_free_cb, p[0], EV_READ);
	ev_io_start(loop, io);
	ev_timer *t = malloc(sizeof *t);
	ev_timer_init(t, timer_free_cb, 0.001, 0.001);
	ev_timer_start(loop, t);
	ev_timer r;
	ev_timer_init(&r, restart_cb, 0., 0.);
	ev_timer_start(loop, &r);
	ev_signal *s = malloc(sizeof *s);
	ev_signal_init(s, sig_free_cb, SIGUSR1);
	ev_signal_start(loop, s);
	raise(SIGUSR1);
	ev_async *a = malloc(sizeof *a);
	ev_async_init(a, async_free_cb);
	ev_async_start(loop, a);
	ev_async_send(loop, a);
	ev_idle toggle;
	ev_idle_init(&toggle, idle_toggle_cb);
	toggle.data = 0;
	ev_idle_start(loop, &toggle);
	ev_run(loop, 0);
	CHECK_EQ(io_calls, 1);
	CHECK_EQ(timer_calls, 1);
	CHECK_EQ(restarts, 3);
	CHECK_EQ(sig_calls, 1);
	CHECK_EQ(async_calls, 1);
	CHECK_EQ((long)toggle.data, 3);

	/* A pending watcher stopped and freed by another callback of the same pass. */
	victim = malloc(sizeof *victim);
	ev_idle_init(victim, victim_cb);
	ev_idle killer;
	ev_idle_init(&killer, killer_cb);
	ev_idle_start(loop, victim);
	ev_idle_start(loop, &killer);
	ev_run(loop, EVRUN_ONCE);
	CHECK_EQ(victim_calls, 0);
	CHECK(victim == NULL);

	ev_idle again;
	ev_idle_init(&again, self_feed_cb);
	ev_feed_event(loop, &again, EV_CUSTOM);
	ev_invoke_pending(loop);
	CHECK_EQ(feeds, 5);
	ev_verify(loop);

	/* Destroying a loop with started watchers: their memory stays the program's. */
	struct ev_loop *other = ev_loop_new(0);
	ev_io left_io;
	ev_io_init(&left_io, io_free_cb, p[1], EV_WRITE);
	ev_io_start(other, &left_io);
	ev_timer left_timer;
	ev_timer_init(&left_timer, restart_cb, 100., 0.);
	ev_timer_start(other, &left_timer);
	ev_idle left_idle;
	ev_idle_init(&left_idle, victim_cb);
	ev_idle_start(other, &left_idle);
	ev_feed_event(other, &left_idle, EV_CUSTOM);
	ev_loop_destroy(other);

	close(p[0]);
	close(p[1]);
	ev_loop_destroy(loop);
	puts("ok");
	return 0;
}
