/* ev_io: readiness on a pipe, two watchers on one descriptor, ev_io_set/ev_io_modify on a
 * stopped watcher, ev_feed_fd_event, ev_once on a descriptor, a regular file (always ready),
 * (A descriptor that is not open is a program error: libev aborts on it, so it is not tested,
 * but for numbers no process can have, where event_rs must not crash.)
 * needs: -lev */
#include <ev.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "check.h"

/* Whether ev_run is event_rs's (built against it, or preloaded over libev). */
static int on_event_rs(void)
{
	Dl_info info;
	void *f = dlsym(RTLD_DEFAULT, "ev_run");
	return f && dladdr(f, &info) && info.dli_fname && strstr(info.dli_fname, "libevent_rs");
}

static int reads, writes, others, once_revents;
static char got[64];

static void read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	CHECK(revents & EV_READ);
	int n = read(w->fd, got, sizeof got - 1);
	CHECK(n > 0);
	got[n] = 0;
	reads++;
	ev_io_stop(loop, w);
}

static void write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	CHECK_EQ(revents, EV_WRITE);
	CHECK_EQ(write(w->fd, "hello", 5), 5);
	writes++;
	ev_io_stop(loop, w);
}

static void other_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	others++;
	ev_io_stop(loop, w);
}

static void once_cb(int revents, void *arg)
{
	once_revents = revents;
	*(int *)arg += 1;
}

static int last_revents;
static void record_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	last_revents = revents;
	ev_io_stop(loop, w);
}

int main(void)
{
	struct ev_loop *loop = ev_loop_new(0);
	CHECK(loop);
	int p[2];
	CHECK(pipe(p) == 0);

	/* A writer fills the pipe, the reader sees it; a second reader on the same fd too. */
	ev_io r, r2, w;
	ev_io_init(&r, read_cb, p[0], EV_READ);
	ev_io_init(&r2, other_cb, p[0], EV_READ);
	ev_io_init(&w, write_cb, p[1], EV_WRITE);
	ev_io_start(loop, &r);
	ev_io_start(loop, &r2);
	ev_io_start(loop, &w);
	CHECK_EQ(w.events & EV__IOFDSET, 0);
	CHECK_EQ(ev_run(loop, 0), 0);
	CHECK_EQ(writes, 1);
	CHECK_EQ(reads, 1);
	CHECK_EQ(others, 1);
	CHECK(strcmp(got, "hello") == 0);

	/* Nothing to read: a non-blocking run does not call the reader. */
	ev_io_start(loop, &r);
	ev_run(loop, EVRUN_NOWAIT);
	CHECK_EQ(reads, 1);
	/* ev_feed_fd_event: as if the descriptor were ready. */
	ev_io_stop(loop, &r);
	ev_io_init(&r, other_cb, p[0], EV_READ);
	ev_io_start(loop, &r);
	ev_feed_fd_event(loop, p[0], EV_READ | EV_WRITE);
	CHECK(ev_is_pending(&r));
	ev_invoke_pending(loop);
	CHECK_EQ(others, 2);
	CHECK(!ev_is_active(&r));

	/* Reconfiguring a stopped watcher. */
	ev_io_set(&r, p[1], EV_READ);
	ev_io_modify(&r, EV_WRITE);
	ev_set_cb(&r, write_cb);
	ev_io_start(loop, &r);
	ev_run(loop, 0);
	CHECK_EQ(writes, 2);

	/* ev_once on a readable descriptor, with a long timeout. */
	int calls = 0;
	ev_once(loop, p[0], EV_READ, 60., once_cb, &calls);
	ev_run(loop, 0);
	CHECK_EQ(calls, 1);
	CHECK_EQ(once_revents, EV_READ);
	CHECK_EQ(read(p[0], got, sizeof got), 5);
	/* ev_once on a silent descriptor: the timeout. */
	ev_once(loop, p[0], EV_READ, 0.01, once_cb, &calls);
	ev_run(loop, 0);
	CHECK_EQ(calls, 2);
	CHECK_EQ(once_revents, EV_TIMER);

	/* A regular file cannot be polled: it is always ready. */
	int f = open("/proc/self/exe", O_RDONLY);
	CHECK(f >= 0);
	ev_io file;
	ev_io_init(&file, record_cb, f, EV_READ);
	ev_io_start(loop, &file);
	ev_run(loop, 0);
	CHECK_EQ(last_revents, EV_READ);
	close(f);

	/* A descriptor number no process can have: libev's table overflows and it crashes;
	 * event_rs stops the watcher and reports EV_ERROR (as libevent fails its event_add). */
	int huge[] = { INT_MAX, INT_MAX / 2, 1 << 27 };
	for (int i = 0; i < 3; i++) {
		fflush(NULL);
		pid_t pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			ev_io w;
			last_revents = 0;
			ev_io_init(&w, record_cb, huge[i], EV_READ);
			ev_io_start(loop, &w);
			ev_run(loop, EVRUN_NOWAIT);
			_exit((last_revents & EV_ERROR) && !ev_is_active(&w) ? 0 : 1);
		}
		int st;
		CHECK(waitpid(pid, &st, 0) == pid);
		if (on_event_rs())
			CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		else
			CHECK(WIFSIGNALED(st));
	}

	close(p[0]);
	close(p[1]);
	ev_loop_destroy(loop);
	puts("ok");
	return 0;
}
