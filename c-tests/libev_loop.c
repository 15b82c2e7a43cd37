/* Loops and the loop-level watchers: idle/prepare/check per iteration, cleanup watchers at
 * ev_loop_destroy, userdata, a replacement for ev_invoke_pending, release/acquire callbacks,
 * ev_invoke and ev_clear_pending, the allocator, backends, clocks. compare-output
 * needs: -lev */
#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include "check.h"

static int prepares, checks, idles, cleanups, invokes, releases, acquires;
static long allocs, frees;

static void prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents) { CHECK_EQ(revents, EV_PREPARE); prepares++; }
static void check_cb(struct ev_loop *loop, ev_check *w, int revents) { CHECK_EQ(revents, EV_CHECK); checks++; }
static void idle_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	CHECK_EQ(revents, EV_IDLE);
	if (++idles == 3)
		ev_idle_stop(loop, w);
}
static void cleanup_cb(struct ev_loop *loop, ev_cleanup *w, int revents)
{
	CHECK_EQ(revents, EV_CLEANUP);
	printf("cleanup, userdata %s\n", (const char *)ev_userdata(loop));
	cleanups++;
}
static void my_invoke(struct ev_loop *loop)
{
	invokes++;
	ev_invoke_pending(loop);
}
static void release_cb(struct ev_loop *loop) { releases++; }
static void acquire_cb(struct ev_loop *loop) { acquires++; }

static void *counting_alloc(void *ptr, long size)
{
	if (size == 0) {
		if (ptr)
			frees++;
		free(ptr);
		return NULL;
	}
	if (!ptr)
		allocs++;
	return realloc(ptr, size);
}

static void *plain_alloc(void *ptr, long size)
{
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, size);
}

static int seen;
static void seen_cb(struct ev_loop *loop, ev_idle *w, int revents) { seen = revents; }
static void once_cb(int revents, void *arg) { printf("once 0x%x\n", revents); }

int main(void)
{
	printf("version %d.%d\n", ev_version_major(), ev_version_minor());
	CHECK(ev_supported_backends() & EVBACKEND_EPOLL);
	CHECK((ev_recommended_backends() & ~ev_supported_backends()) == 0);
	CHECK(ev_embeddable_backends() & EVBACKEND_EPOLL);

	ev_set_allocator(counting_alloc);
	struct ev_loop *loop = ev_loop_new(EVBACKEND_POLL);
	CHECK(loop);
	printf("poll backend: %d\n", ev_backend(loop) == EVBACKEND_POLL);
	CHECK(!ev_is_default_loop(loop));
	ev_set_userdata(loop, "mine");
	printf("userdata %s\n", (const char *)ev_userdata(loop));

	/* Idle watchers keep the loop from blocking; prepare and check run once per iteration. */
	ev_prepare p; ev_prepare_init(&p, prepare_cb); ev_prepare_start(loop, &p);
	ev_check c; ev_check_init(&c, check_cb); ev_check_start(loop, &c);
	ev_idle i; ev_idle_init(&i, idle_cb); ev_idle_start(loop, &i);
	ev_unref(loop); ev_unref(loop);   /* prepare and check alone do not keep it running */
	ev_set_invoke_pending_cb(loop, my_invoke);
	ev_set_loop_release_cb(loop, release_cb, acquire_cb);
	unsigned it = ev_iteration(loop);
	int r = ev_run(loop, 0);
	printf("run returned %d after %u iterations: idle %d prepare %d check %d\n", r, ev_iteration(loop) - it, idles, prepares, checks);
	printf("invoke hook used: %d, release/acquire balanced: %d\n", invokes > 0, releases == acquires && releases > 0);
	ev_set_invoke_pending_cb(loop, ev_invoke_pending);
	ev_ref(loop); ev_ref(loop);
	ev_prepare_stop(loop, &p);
	ev_check_stop(loop, &c);

	/* ev_invoke calls at once; ev_clear_pending takes a queued call back and says what it had. */
	ev_idle x; ev_idle_init(&x, seen_cb);
	ev_invoke(loop, &x, EV_CUSTOM);
	printf("invoked 0x%x\n", seen);
	seen = 0;
	ev_feed_event(loop, &x, EV_CUSTOM);
	ev_feed_event(loop, &x, EV_IDLE);
	printf("pending %d count %u\n", ev_is_pending(&x) != 0, ev_pending_count(loop));
	printf("cleared 0x%x\n", ev_clear_pending(loop, &x));
	printf("cleared again 0x%x\n", ev_clear_pending(loop, &x));
	ev_invoke_pending(loop);
	printf("seen after clear 0x%x\n", seen);
	ev_verify(loop);

	/* ev_once with neither descriptor nor... a zero timeout: the next iteration. */
	ev_once(loop, -1, 0, 0., once_cb, NULL);
	printf("once run: %d\n", ev_run(loop, 0));

	/* The clocks: ev_now moves with ev_now_update, ev_sleep sleeps at least that long. */
	ev_tstamp t0 = ev_now(loop);
	ev_sleep(0.02);
	ev_now_update(loop);
	printf("now advanced: %d\n", ev_now(loop) - t0 >= 0.02 - 1e-3);
	printf("ev_time near ev_now: %d\n", ev_time() - ev_now(loop) < 1.);

	/* Cleanup watchers run at destroy and never keep the loop alive. */
	ev_cleanup cl; ev_cleanup_init(&cl, cleanup_cb); ev_cleanup_start(loop, &cl);
	printf("run with only a cleanup watcher: %d\n", ev_run(loop, 0));
	ev_loop_destroy(loop);
	printf("cleanups %d\n", cleanups);
	printf("allocator used: %d\n", allocs > 0 && allocs == frees);
	ev_set_allocator(plain_alloc);

	/* A backend the system does not have. */
	printf("kqueue loop: %p\n", (void *)ev_loop_new(EVBACKEND_KQUEUE));
	/* Every loop is a different one; the default one is made once. */
	struct ev_loop *a = ev_loop_new(0), *b = ev_loop_new(EVFLAG_NOENV | EVFLAG_FORKCHECK);
	printf("distinct: %d\n", a && b && a != b);
	ev_loop_destroy(a);
	ev_loop_destroy(b);
	printf("default twice: %d\n", ev_default_loop(0) == ev_default_loop(EVFLAG_AUTO));
	ev_loop_destroy(EV_DEFAULT);
	return 0;
}
