/* ev_signal: a raised signal reaches every watcher of it, once per loop pass even when raised
 * twice before; ev_feed_signal_event and ev_feed_signal; a signal sent while the loop
 * sleeps wakes it; a signal watcher in a loop other than the default one.
 * needs: -lev */
#include <ev.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include "check.h"

static int usr1_a, usr1_b, usr2;

static void usr1_a_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	CHECK_EQ(revents, EV_SIGNAL);
	CHECK_EQ(w->signum, SIGUSR1);
	usr1_a++;
}

static void usr1_b_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	usr1_b++;
	ev_break(loop, EVBREAK_ONE);
}

static void usr2_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	CHECK_EQ(revents, EV_SIGNAL);
	usr2++;
	ev_break(loop, EVBREAK_ALL);
}

static void *send_later(void *arg)
{
	usleep(50000);
	kill(getpid(), SIGUSR2);
	return NULL;
}

static void timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	fprintf(stderr, "the signal did not wake the loop\n");
	exit(1);
}

int main(void)
{
	struct ev_loop *loop = EV_DEFAULT;
	ev_signal a, b, c;
	ev_signal_init(&a, usr1_a_cb, SIGUSR1);
	ev_signal_init(&b, usr1_b_cb, SIGUSR1);
	ev_signal_start(loop, &a);
	ev_signal_start(loop, &b);
	CHECK(ev_is_active(&a) && ev_is_active(&b));

	raise(SIGUSR1);
	ev_run(loop, 0);
	CHECK_EQ(usr1_a, 1);
	CHECK_EQ(usr1_b, 1);

	/* Fed without a real signal. */
	ev_feed_signal_event(loop, SIGUSR1);
	CHECK(ev_is_pending(&a) && ev_is_pending(&b));
	ev_invoke_pending(loop);
	CHECK_EQ(usr1_a, 2);
	ev_signal_stop(loop, &b);

	/* ev_feed_signal: as if received, the loop notices it when it runs. */
	ev_feed_signal(SIGUSR1);
	ev_run(loop, EVRUN_ONCE);
	CHECK_EQ(usr1_a, 3);
	ev_signal_stop(loop, &a);

	/* A signal wakes a sleeping loop. */
	ev_signal_init(&c, usr2_cb, SIGUSR2);
	ev_signal_start(loop, &c);
	ev_timer guard;
	ev_timer_init(&guard, timeout_cb, 10., 0.);
	ev_timer_start(loop, &guard);
	pthread_t t;
	pthread_create(&t, NULL, send_later, NULL);
	ev_run(loop, 0);
	pthread_join(t, NULL);
	CHECK_EQ(usr2, 1);
	ev_signal_stop(loop, &c);
	ev_timer_stop(loop, &guard);
	ev_loop_destroy(loop);

	/* Another loop may watch signals too, while the default loop (which watches SIGCHLD)
	 * runs as well: each signal goes to the loop that watches it. */
	struct ev_loop *other = ev_loop_new(0);
	ev_signal_init(&c, usr2_cb, SIGUSR2);
	ev_signal_start(other, &c);
	loop = EV_DEFAULT;
	ev_signal_init(&a, usr1_a_cb, SIGUSR1);
	ev_signal_start(loop, &a);
	ev_run(loop, EVRUN_NOWAIT);
	raise(SIGUSR2);
	ev_run(loop, EVRUN_NOWAIT);
	ev_run(other, 0);
	CHECK_EQ(usr2, 2);
	raise(SIGUSR1);
	ev_run(other, EVRUN_NOWAIT);
	ev_run(loop, EVRUN_NOWAIT);
	CHECK_EQ(usr1_a, 4);
	ev_signal_stop(other, &c);
	ev_signal_stop(loop, &a);
	ev_loop_destroy(other);
	ev_loop_destroy(loop);
	puts("ok");
	return 0;
}
