/* ev_child on the default loop: the exit status of a given pid, a watcher for any pid (0),
 * and stopped/continued children reported only to a watcher that asked for them (trace).
 * needs: -lev */
#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static int exits, anys, stops, conts, traced_exits;
static pid_t child;

static void exit_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	CHECK_EQ(revents, EV_CHILD);
	CHECK_EQ(w->rpid, child);
	CHECK(WIFEXITED(w->rstatus));
	exits++;
	ev_child_stop(loop, w);
}

static void any_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	CHECK_EQ(w->rpid, child);
	if (WIFEXITED(w->rstatus)) {
		CHECK_EQ(WEXITSTATUS(w->rstatus), 7);
		anys++;
		ev_child_stop(loop, w);
	}
}

static void trace_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	if (WIFSTOPPED(w->rstatus)) {
		stops++;
		kill(child, SIGCONT);
	} else if (WIFCONTINUED(w->rstatus)) {
		conts++;
	} else {
		CHECK(WIFEXITED(w->rstatus));
		traced_exits++;
		ev_child_stop(loop, w);
	}
}

static void timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	fprintf(stderr, "no child event\n");
	exit(1);
}

int main(void)
{
	struct ev_loop *loop = ev_default_loop(0);
	ev_timer guard;
	ev_timer_init(&guard, timeout_cb, 20., 0.);
	ev_timer_start(loop, &guard);
	ev_unref(loop);

	child = fork();
	if (child == 0)
		_exit(7);
	ev_child a, any;
	ev_child_init(&a, exit_cb, child, 0);
	ev_child_init(&any, any_cb, 0, 0);
	ev_child_start(loop, &a);
	ev_child_start(loop, &any);
	ev_run(loop, 0);
	CHECK_EQ(exits, 1);
	CHECK_EQ(anys, 1);

	/* Stopped and continued: only for the tracing watcher. */
	child = fork();
	if (child == 0) {
		raise(SIGSTOP);
		_exit(3);
	}
	ev_child tr, plain;
	ev_child_init(&tr, trace_cb, child, 1);
	ev_child_init(&plain, exit_cb, child, 0);
	ev_child_start(loop, &tr);
	ev_child_start(loop, &plain);
	ev_run(loop, 0);
	CHECK_EQ(stops, 1);
	CHECK_EQ(traced_exits, 1);
	CHECK_EQ(exits, 2);
	CHECK(conts <= 1);

	ev_ref(loop);
	ev_timer_stop(loop, &guard);
	ev_loop_destroy(loop);
	puts("ok");
	return 0;
}
