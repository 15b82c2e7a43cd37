/* ev_async: ev_async_send from other threads wakes a sleeping loop; sends before the loop
 * looks are merged into one callback; ev_async_pending shows an unhandled send.
 * needs: -lev */
#include <ev.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"

static struct ev_loop *loop;
static ev_async wake, done;
static volatile int sent_by_thread;
static int wakes, dones, threads;

static void wake_cb(struct ev_loop *l, ev_async *w, int revents)
{
	CHECK_EQ(revents, EV_ASYNC);
	if (!threads)   /* (a thread may send again before the callback runs) */
		CHECK(!ev_async_pending(w));
	wakes++;
}

static void done_cb(struct ev_loop *l, ev_async *w, int revents)
{
	dones++;
	ev_async_stop(l, w);
	ev_async_stop(l, &wake);
}

static void *sender(void *arg)
{
	for (int i = 0; i < 20; i++) {
		ev_async_send(loop, &wake);
		usleep(2000);
	}
	sent_by_thread = 1;
	ev_async_send(loop, &done);
	return NULL;
}

static void timeout_cb(struct ev_loop *l, ev_timer *w, int revents)
{
	fprintf(stderr, "async sends did not wake the loop (%d wakes)\n", wakes);
	exit(1);
}

int main(void)
{
	loop = ev_loop_new(0);
	ev_async_init(&wake, wake_cb);
	ev_async_init(&done, done_cb);
	ev_async_start(loop, &wake);
	ev_async_start(loop, &done);

	/* Three sends before the loop runs: one callback. */
	ev_async_send(loop, &wake);
	ev_async_send(loop, &wake);
	ev_async_send(loop, &wake);
	CHECK(ev_async_pending(&wake));
	ev_run(loop, EVRUN_NOWAIT);
	CHECK_EQ(wakes, 1);
	CHECK(!ev_async_pending(&wake));

	/* From another thread, while the loop sleeps. */
	ev_timer guard;
	ev_timer_init(&guard, timeout_cb, 30., 0.);
	ev_timer_start(loop, &guard);
	ev_unref(loop);
	wakes = 0;
	threads = 1;
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, sender, NULL);
	ev_run(loop, 0);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK(sent_by_thread);
	CHECK_EQ(dones, 1);
	CHECK(wakes >= 1 && wakes <= 60);
	ev_ref(loop);
	ev_timer_stop(loop, &guard);
	ev_loop_destroy(loop);
	puts("ok");
	return 0;
}
