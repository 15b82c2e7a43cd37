/* ev_embed: an epoll loop embedded in another; its io watchers run from the outer loop,
 * swept automatically (no callback) or by the embed watcher's callback (ev_embed_sweep).
 * needs: -lev */
#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"

static struct ev_loop *outer_loop;
static int inner_reads, embed_calls;

static void inner_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	char c;
	CHECK_EQ(read(w->fd, &c, 1), 1);
	inner_reads++;
	ev_break(outer_loop, EVBREAK_ONE);
}

static void embed_cb(struct ev_loop *loop, ev_embed *w, int revents)
{
	CHECK_EQ(revents, EV_EMBED);
	embed_calls++;
	ev_embed_sweep(loop, w);
}

static void timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	fprintf(stderr, "embedded loop not served (%d reads, %d embed calls)\n", inner_reads, embed_calls);
	exit(1);
}

int main(void)
{
	CHECK(ev_embeddable_backends() & EVBACKEND_EPOLL);
	struct ev_loop *outer = outer_loop = ev_loop_new(0);
	struct ev_loop *inner = ev_loop_new(EVBACKEND_EPOLL);
	CHECK(inner);
	int p[2];
	CHECK(pipe(p) == 0);
	ev_io r;
	ev_io_init(&r, inner_read_cb, p[0], EV_READ);
	ev_io_start(inner, &r);

	ev_timer guard;
	ev_timer_init(&guard, timeout_cb, 20., 0.);
	ev_timer_start(outer, &guard);

	ev_embed e;
	ev_embed_init(&e, 0, inner);
	ev_embed_start(outer, &e);
	CHECK(ev_is_active(&e));
	CHECK_EQ(write(p[1], "a", 1), 1);
	ev_run(outer, 0);
	CHECK_EQ(inner_reads, 1);
	ev_embed_stop(outer, &e);

	ev_embed_init(&e, embed_cb, inner);
	ev_embed_start(outer, &e);
	CHECK_EQ(write(p[1], "b", 1), 1);
	ev_run(outer, 0);
	CHECK_EQ(inner_reads, 2);
	CHECK(embed_calls >= 1);
	ev_embed_stop(outer, &e);

	ev_io_stop(inner, &r);
	ev_timer_stop(outer, &guard);
	ev_loop_destroy(inner);
	ev_loop_destroy(outer);
	close(p[0]);
	close(p[1]);
	puts("ok");
	return 0;
}
