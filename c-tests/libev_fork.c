/* Fork: after ev_loop_fork (or by itself with EVFLAG_FORKCHECK) the child's loop runs its
 * fork watchers once and works with new kernel state (io, async, signals), while the
 * parent's loop, untouched, keeps working.
 * needs: -lev */
#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static int forks, reads, asyncs, sigs;
static int p[2];

static void fork_cb(struct ev_loop *loop, ev_fork *w, int revents) { CHECK_EQ(revents, EV_FORK); forks++; }
static void read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	char c;
	CHECK_EQ(read(w->fd, &c, 1), 1);
	reads++;
	ev_break(loop, EVBREAK_ONE);
}
static void async_cb(struct ev_loop *loop, ev_async *w, int revents) { asyncs++; ev_break(loop, EVBREAK_ONE); }
static void sig_cb(struct ev_loop *loop, ev_signal *w, int revents) { sigs++; ev_break(loop, EVBREAK_ONE); }
static void timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	fprintf(stderr, "%d: stuck (forks %d reads %d asyncs %d sigs %d)\n", (int)getpid(), forks, reads, asyncs, sigs);
	_exit(1);
}

/* One round of io, async and signal on `loop`. */
static void exercise(struct ev_loop *loop, ev_async *as)
{
	int r0 = reads, a0 = asyncs, s0 = sigs;
	CHECK_EQ(write(p[1], "x", 1), 1);
	ev_run(loop, 0);
	CHECK_EQ(reads, r0 + 1);
	ev_async_send(loop, as);
	ev_run(loop, 0);
	CHECK_EQ(asyncs, a0 + 1);
	raise(SIGUSR1);
	ev_run(loop, 0);
	CHECK_EQ(sigs, s0 + 1);
}

static int run_child(struct ev_loop *loop, ev_async *as, int explicit_fork)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (explicit_fork)
			ev_loop_fork(loop);
		forks = 0;
		exercise(loop, as);
		CHECK_EQ(forks, 1);
		exercise(loop, as);
		CHECK_EQ(forks, 1);
		_exit(0);
	}
	int status;
	CHECK(waitpid(pid, &status, 0) == pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

static void with_flags(unsigned flags, int explicit_fork)
{
	struct ev_loop *loop = ev_loop_new(flags);
	CHECK(pipe(p) == 0);
	ev_fork f; ev_fork_init(&f, fork_cb); ev_fork_start(loop, &f);
	ev_io r; ev_io_init(&r, read_cb, p[0], EV_READ); ev_io_start(loop, &r);
	ev_async as; ev_async_init(&as, async_cb); ev_async_start(loop, &as);
	ev_signal s; ev_signal_init(&s, sig_cb, SIGUSR1); ev_signal_start(loop, &s);
	ev_timer guard; ev_timer_init(&guard, timeout_cb, 20., 0.); ev_timer_start(loop, &guard);
	exercise(loop, &as);
	CHECK_EQ(run_child(loop, &as, explicit_fork), 0);
	/* the parent's loop, after the child re-created its own state */
	exercise(loop, &as);
	CHECK_EQ(forks, 0);
	ev_fork_stop(loop, &f);
	ev_io_stop(loop, &r);
	ev_async_stop(loop, &as);
	ev_signal_stop(loop, &s);
	ev_timer_stop(loop, &guard);
	ev_loop_destroy(loop);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	with_flags(0, 1);
	with_flags(EVFLAG_FORKCHECK, 0);
	puts("ok");
	return 0;
}
