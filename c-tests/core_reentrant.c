/* Re-entrancy: callbacks that delete, free, re-add or re-assign their own event, free other
 * events, free() the memory holding their event, break the loop; finalizers; freeing a base
 * with events still in it. Valgrind checks that nothing touches freed memory. */
#include <event2/event.h>
#include <event2/event_struct.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include "check.h"

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

static struct event_base *base;
static int sv[2];
static int order[64], norder;
static void note(int id) { CHECK(norder < 64); order[norder++] = id; }
static int count_of(int id) { int n = 0; for (int i = 0; i < norder; i++) n += order[i] == id; return n; }

/* 1. deleting or freeing the running event */
static int self_n;
static void del_self_cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	(void)fd; (void)what;
	note(1);
	if (++self_n == 2) CHECK_EQ(event_del(self), 0);
}
static void free_self_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	note(2);
	event_free(arg);
}
static void test_del_free_self(void)
{
	/* sv[0] stays readable: a persistent read event would run every round */
	norder = 0; self_n = 0;
	struct event *e = event_new(base, sv[0], EV_READ | EV_PERSIST, del_self_cb, event_self_cbarg());
	struct timeval tv = { 5, 0 };
	EQ(event_add(e, &tv), 0);
	EQ(event_base_dispatch(base), 1);
	EQ(count_of(1), 2);
	EQ(event_pending(e, EV_READ | EV_TIMEOUT, NULL), 0);
	event_free(e);

	norder = 0;
	e = event_new(base, sv[0], EV_READ | EV_PERSIST, free_self_cb, event_self_cbarg());
	EQ(event_add(e, &tv), 0);
	EQ(event_base_dispatch(base), 1);
	EQ(count_of(2), 1);
	/* a timer freeing itself, and a signal event freeing itself with arrivals left */
	norder = 0;
	e = event_new(base, -1, EV_PERSIST, free_self_cb, event_self_cbarg());
	struct timeval t10 = { 0, 10000 };
	EQ(event_add(e, &t10), 0);
	e = evsignal_new(base, SIGUSR1, free_self_cb, event_self_cbarg());
	EQ(event_add(e, NULL), 0);
	raise(SIGUSR1); raise(SIGUSR1); raise(SIGUSR1);
	EQ(event_base_dispatch(base), 1);
	EQ(count_of(2), 2);
}

/* 2. re-adding, del+add, re-assigning the running event */
static int readd_n;
static void readd_cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	(void)fd;
	note(what == EV_TIMEOUT ? 3 : 4);
	if (++readd_n < 4) {
		struct timeval tv = { 0, 1000 * readd_n };
		CHECK_EQ(event_add(self, readd_n == 2 ? NULL : &tv), 0);
	}
}
static void delete_add_cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	(void)fd; (void)what;
	note(5);
	CHECK_EQ(event_del(self), 0);
	if (++readd_n < 3) {
		struct timeval tv = { 0, 1000 };
		CHECK_EQ(event_add(self, &tv), 0);
		CHECK_EQ(event_pending(self, EV_READ | EV_TIMEOUT, NULL), EV_READ | EV_TIMEOUT);
	}
}
static void second_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	note(7);
}
static void reassign_cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	(void)fd; (void)what;
	note(6);
	CHECK_EQ(event_assign(self, base, -1, 0, second_cb, NULL), 0);
	struct timeval tv = { 0, 1000 };
	CHECK_EQ(event_add(self, &tv), 0);
}
static void test_readd(void)
{
	/* a timer re-arming itself; the second time without a timeout it is not pending */
	norder = 0; readd_n = 0;
	struct event *t = event_new(base, -1, 0, readd_cb, event_self_cbarg());
	struct timeval tv = { 0, 1000 };
	EQ(event_add(t, &tv), 0);
	EQ(event_base_dispatch(base), 1);
	EQ(count_of(3), 2);
	/* a non-persistent read event re-adding itself runs each round while data is there */
	norder = 0; readd_n = 0;
	struct event *r = event_new(base, sv[0], EV_READ, readd_cb, event_self_cbarg());
	EQ(event_add(r, NULL), 0);
	EQ(event_base_dispatch(base), 1);
	EQ(count_of(4), 4);
	/* a persistent event deleting and re-adding itself (with a timeout) */
	norder = 0; readd_n = 0;
	struct event *p = event_new(base, sv[0], EV_READ | EV_PERSIST, delete_add_cb, event_self_cbarg());
	EQ(event_add(p, NULL), 0);
	EQ(event_base_dispatch(base), 1);
	EQ(count_of(5), 3);
	/* re-assigned from its own callback: the new callback runs next */
	norder = 0;
	struct event ev;
	EQ(event_assign(&ev, base, -1, 0, reassign_cb, &ev), 0);
	EQ(event_add(&ev, &tv), 0);
	EQ(event_base_dispatch(base), 1);
	EQ(norder, 2);
	EQ(order[0], 6);
	EQ(order[1], 7);
	event_free(t); event_free(r); event_free(p);
}

/* 3. freeing other events from a callback: active ones in the same round, pending ones */
static struct event *others[4];
static void killer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	note(10);
	for (int i = 0; i < 4; i++) { event_free(others[i]); others[i] = NULL; }
}
static void other_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	note((int)(long)arg);
}
static void test_free_others(void)
{
	norder = 0;
	struct event *k = event_new(base, -1, 0, killer_cb, NULL);
	others[0] = event_new(base, -1, 0, other_cb, (void *)11L);                   /* active */
	others[1] = event_new(base, sv[0], EV_READ | EV_PERSIST, other_cb, (void *)12L); /* ready */
	others[2] = event_new(base, -1, 0, other_cb, (void *)13L);                   /* pending timer */
	others[3] = evsignal_new(base, SIGUSR2, other_cb, (void *)14L);             /* signal, raised */
	struct timeval tv = { 0, 20000 };
	EQ(event_add(others[1], NULL), 0);
	EQ(event_add(others[2], &tv), 0);
	EQ(event_add(others[3], NULL), 0);
	raise(SIGUSR2);
	event_active(k, EV_TIMEOUT, 0);
	event_active(others[0], EV_TIMEOUT, 0);
	EQ(event_base_dispatch(base), 1);
	EQ(norder, 1);
	EQ(order[0], 10);
	event_free(k);
}

/* 4. free() of the memory holding the event: after event_del, and from its own callback */
struct conn { int fd; struct event ev; char buf[16]; };
static void conn_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	(void)fd; (void)what;
	note(20);
	CHECK_EQ(event_del(&c->ev), 0);
	free(c);
}
static void plain_free_cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	(void)fd; (void)what;
	note(21);
	CHECK_EQ(event_del(self), 0);
	free(self);                       /* event_new() memory is one malloc block */
}
static void test_plain_free(void)
{
	struct event *e = event_new(base, sv[0], EV_READ | EV_PERSIST, other_cb, NULL);
	struct timeval tv = { 5, 0 };
	EQ(event_add(e, &tv), 0);
	EQ(event_del(e), 0);
	free(e);
	e = evtimer_new(base, other_cb, NULL);
	free(e);                          /* never added */
	e = evsignal_new(base, SIGUSR1, other_cb, NULL);
	EQ(event_add(e, NULL), 0);
	EQ(event_del(e), 0);
	free(e);

	norder = 0;
	struct conn *c = malloc(sizeof *c);
	memset(c, 0, sizeof *c);
	EQ(event_assign(&c->ev, base, sv[0], EV_READ | EV_PERSIST, conn_cb, c), 0);
	EQ(event_add(&c->ev, &tv), 0);
	e = event_new(base, sv[0], EV_READ | EV_PERSIST, plain_free_cb, event_self_cbarg());
	EQ(event_add(e, &tv), 0);
	EQ(event_base_dispatch(base), 1);
	EQ(count_of(20), 1);
	EQ(count_of(21), 1);
}

/* 5. loopbreak from a callback, with more events due */
static void breaker_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	note(30);
	CHECK_EQ(event_base_loopbreak(base), 0);
}
static void test_break(void)
{
	norder = 0;
	struct event *b1 = event_new(base, -1, 0, breaker_cb, NULL);
	struct event *o = event_new(base, -1, 0, other_cb, (void *)31L);
	event_active(b1, EV_TIMEOUT, 0);
	event_active(o, EV_TIMEOUT, 0);
	EQ(event_base_dispatch(base), 0);
	EQ(norder, 1);
	EQ(event_base_got_break(base), 1);
	EQ(event_base_dispatch(base), 1);
	EQ(norder, 2);
	EQ(order[1], 31);
	event_free(b1); event_free(o);
}

/* 6. finalizers */
static int fin_calls;
static struct event *fin_seen;
static void fin_cb(struct event *ev, void *arg)
{
	fin_calls++;
	fin_seen = ev;
	CHECK(arg == (void *)77L);
	note(40);
}
static struct event *fin_self;
static void finalize_self_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	CHECK(arg == (void *)77L);
	note(41);
	CHECK_EQ(event_free_finalize(0, fin_self, fin_cb), 0);
}
static void test_finalize(void)
{
	/* event_finalize: the event is deleted at once, the finalizer runs from the loop */
	norder = 0; fin_calls = 0;
	struct event *e = event_new(base, sv[0], EV_READ | EV_PERSIST, other_cb, (void *)77L);
	EQ(event_add(e, NULL), 0);
	EQ(event_finalize(0, e, fin_cb), 0);
	EQ(event_pending(e, EV_READ, NULL), 0);
	EQ(fin_calls, 0);
	EQ(event_add(e, NULL), -1);                      /* finalizing: cannot be added */
	EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	EQ(fin_calls, 1);
	OK(fin_seen == e);
	EQ(norder, 1);                                    /* only the finalizer, not the callback */
	event_free(e);                                    /* still the caller's to free */

	/* event_free_finalize: the finalizer runs, then the memory is freed */
	fin_calls = 0; norder = 0;
	e = event_new(base, -1, 0, other_cb, (void *)77L);
	struct timeval tv = { 5, 0 };
	EQ(event_add(e, &tv), 0);
	EQ(event_free_finalize(0, e, fin_cb), 0);
	EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	EQ(fin_calls, 1);

	/* from the event's own callback: the finalizer runs after the callback */
	fin_calls = 0; norder = 0;
	fin_self = e = event_new(base, sv[0], EV_READ | EV_PERSIST, finalize_self_cb, (void *)77L);
	EQ(event_add(e, NULL), 0);
	EQ(event_base_dispatch(base), 1);
	EQ(norder, 2);
	EQ(order[0], 41);
	EQ(order[1], 40);

	/* an event on its own memory, finalized, then reused */
	struct event ev;
	fin_calls = 0;
	EQ(event_assign(&ev, base, -1, 0, other_cb, (void *)77L), 0);
	EQ(event_finalize(0, &ev, fin_cb), 0);
	EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	EQ(fin_calls, 1);
	EQ(event_assign(&ev, base, -1, 0, other_cb, (void *)50L), 0);
	event_active(&ev, EV_TIMEOUT, 0);
	norder = 0;
	EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	EQ(norder, 1);
	EQ(order[0], 50);

	/* pending finalizers run when the base is freed */
	struct event_base *b2 = event_base_new();
	fin_calls = 0;
	e = event_new(b2, sv[0], EV_READ, other_cb, (void *)77L);
	EQ(event_add(e, NULL), 0);
	EQ(event_free_finalize(0, e, fin_cb), 0);
	struct event *e2 = evtimer_new(b2, other_cb, (void *)77L);
	EQ(event_free_finalize(0, e2, fin_cb), 0);
	event_base_free(b2);
	EQ(fin_calls, 2);
}

/* 7. freeing a base with events still added, active, or with timeouts */
static void test_free_base_with_events(void)
{
	struct event_base *b2 = event_base_new();
	struct event *r = event_new(b2, sv[0], EV_READ | EV_PERSIST, other_cb, NULL);
	struct event *t = evtimer_new(b2, other_cb, NULL);
	struct event *s = evsignal_new(b2, SIGUSR2, other_cb, NULL);
	struct event *a = evtimer_new(b2, other_cb, NULL);
	struct event onstack;
	EQ(event_assign(&onstack, b2, sv[1], EV_WRITE, other_cb, NULL), 0);
	struct timeval tv = { 100, 0 };
	EQ(event_add(r, &tv), 0);
	EQ(event_add(t, &tv), 0);
	EQ(event_add(s, NULL), 0);
	EQ(event_add(&onstack, NULL), 0);
	event_active(a, EV_TIMEOUT, 0);
	EQ(event_base_once(b2, -1, EV_TIMEOUT, other_cb, NULL, &tv), 0);
	event_base_free(b2);
	/* the events were removed from the base: their memory is the caller's to release */
	free(r); free(t); free(s); free(a);

	b2 = event_base_new();
	struct event *e = evtimer_new(b2, other_cb, NULL);
	EQ(event_add(e, &tv), 0);
	event_base_free_nofinalize(b2);
	free(e);
}

int main(void)
{
	for (int k = 0; k < 2; k++) {
		struct event_config *cfg = event_config_new();
		if (k) event_config_avoid_method(cfg, "epoll");
		base = event_base_new_with_config(cfg);
		event_config_free(cfg);
		CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
		CHECK_EQ(write(sv[1], "data", 4), 4);   /* sv[0] readable for the whole test */
		test_del_free_self();
		test_readd();
		test_free_others();
		test_plain_free();
		test_break();
		test_finalize();
		test_free_base_with_events();
		event_base_free(base);
		close(sv[0]); close(sv[1]);
	}
	printf("core_reentrant: %d checks passed\n", checks);
	return 0;
}
