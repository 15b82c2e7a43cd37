/* ev_stat: a missing path reads as st_nlink 0; creating, growing and removing the file each
 * reach the callback, with the previous attributes in `prev`.
 * needs: -lev */
#include <ev.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static char dir[64], path[96];
static int phase, calls;
static ev_timer act;

static void act_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	int fd;
	switch (phase) {
	case 0:
		fd = open(path, O_CREAT | O_WRONLY, 0600);
		CHECK(fd >= 0);
		close(fd);
		break;
	case 1:
		fd = open(path, O_WRONLY | O_APPEND);
		CHECK(fd >= 0);
		CHECK_EQ(write(fd, "12345", 5), 5);
		close(fd);
		break;
	case 2:
		CHECK(unlink(path) == 0);
		break;
	}
}

static void stat_cb(struct ev_loop *loop, ev_stat *w, int revents)
{
	CHECK_EQ(revents, EV_STAT);
	calls++;
	if (phase == 0 && w->attr.st_nlink == 1) {
		CHECK_EQ(w->prev.st_nlink, 0);
		phase = 1;
	} else if (phase == 1 && w->attr.st_size == 5) {
		CHECK_EQ(w->prev.st_size, 0);
		phase = 2;
	} else if (phase == 2 && w->attr.st_nlink == 0) {
		CHECK_EQ(w->prev.st_size, 5);
		phase = 3;
		ev_stat_stop(loop, w);
		ev_timer_stop(loop, &act);
		return;
	} else {
		return;
	}
	ev_timer_set(&act, 0.15, 0.);
	ev_timer_start(loop, &act);
}

static void timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	fprintf(stderr, "stuck in phase %d after %d calls\n", phase, calls);
	exit(1);
}

int main(void)
{
	struct ev_loop *loop = ev_loop_new(0);
	strcpy(dir, "/tmp/libev_stat.XXXXXX");
	CHECK(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/file", dir);

	ev_stat st;
	ev_stat_init(&st, stat_cb, path, 0.1);
	ev_stat_start(loop, &st);
	CHECK(ev_is_active(&st));
	CHECK_EQ(st.attr.st_nlink, 0);
	ev_stat_stat(loop, &st);
	CHECK_EQ(st.attr.st_nlink, 0);

	ev_timer_init(&act, act_cb, 0.15, 0.);
	ev_timer_start(loop, &act);
	ev_timer guard;
	ev_timer_init(&guard, timeout_cb, 20., 0.);
	ev_timer_start(loop, &guard);
	ev_unref(loop);
	ev_run(loop, 0);
	CHECK_EQ(phase, 3);
	ev_ref(loop);
	ev_timer_stop(loop, &guard);

	/* ev_stat_stat on an existing path. */
	ev_stat_init(&st, stat_cb, dir, 0.);
	ev_stat_stat(loop, &st);
	CHECK(st.attr.st_nlink >= 1);
	rmdir(dir);
	ev_loop_destroy(loop);
	puts("ok");
	return 0;
}
