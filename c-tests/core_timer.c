/* Timers and the loop: deadline order, re-add, delete, persistent timers, event_remove_timer,
 * common timeouts, event_base_once, loopexit/loopbreak/loopcontinue, loop flags, cached time,
 * priorities and the max dispatch interval. Orders and counts only, never elapsed times
 * beyond "not earlier than requested". */
#include <event2/event.h>
#include <event2/event_struct.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "check.h"

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

static int order[128], norder;
static short whats[128];
static void rec_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	CHECK(norder < 128);
	whats[norder] = what;
	order[norder++] = (int)(long)arg;
}
static void expect(const int *want, int n)
{
	EQ(norder, n);
	for (int i = 0; i < n; i++)
		if (order[i] != want[i]) {
			fprintf(stderr, "order[%d] = %d, expected %d\n", i, order[i], want[i]);
			CHECK(order[i] == want[i]);
		}
	checks++;
}
#define EXPECT(...) do { static const int w_[] = { __VA_ARGS__ }; expect(w_, sizeof w_ / sizeof w_[0]); } while (0)

static struct timeval ms(int n) { struct timeval tv = { n / 1000, (n % 1000) * 1000 }; return tv; }
static long long mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static struct event_base *new_base(int flags)
{
	struct event_config *cfg = event_config_new();
	if (flags) CHECK_EQ(event_config_set_flag(cfg, flags), 0);
	struct event_base *b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	CHECK(b != NULL);
	return b;
}

static void test_order(struct event_base *b)
{
	struct event *t[6];
	for (int i = 0; i < 6; i++)
		t[i] = evtimer_new(b, rec_cb, (void *)(long)i);
	struct timeval tv;
	/* deadlines count from each add: the adds must be quick (< 2 ms) for the order below to
	 * be the deadline order, so a slow round (a loaded machine, valgrind) is done again.
	 * The second pass sleeps before the loop so that all timers are due at once. */
	for (int pass = 0; pass < 2; pass++) {
		long long t0;
		for (int attempt = 0;; attempt++) {
			CHECK(attempt < 20);
			t0 = mono_us();
			tv = ms(40); EQ(evtimer_add(t[0], &tv), 0);
			tv = ms(10); EQ(evtimer_add(t[1], &tv), 0);
			tv = ms(30); EQ(evtimer_add(t[2], &tv), 0);
			tv = ms(20); EQ(evtimer_add(t[3], &tv), 0);
			tv = ms(50); EQ(evtimer_add(t[4], &tv), 0);
			tv = ms(25); EQ(evtimer_add(t[5], &tv), 0);
			tv = ms(45); EQ(evtimer_add(t[1], &tv), 0);   /* re-add: later */
			tv = ms(5);  EQ(evtimer_add(t[4], &tv), 0);   /* re-add: sooner */
			EQ(evtimer_del(t[5]), 0);                      /* cancelled */
			if (mono_us() - t0 < 2000) break;
			for (int i = 0; i < 6; i++) EQ(evtimer_del(t[i]), 0);
		}
		if (pass) usleep(80000);
		norder = 0;
		EQ(event_base_dispatch(b), 1);
		EXPECT(4, 3, 2, 0, 1);
		for (int i = 0; i < 5; i++) EQ(whats[i], EV_TIMEOUT);
		OK(mono_us() - t0 >= 45000 - 10000);           /* coarse clock: not much earlier */
	}
	/* a zero timeout fires at the next loop iteration */
	norder = 0;
	tv = ms(0);
	EQ(evtimer_add(t[0], &tv), 0);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 1);
	EXPECT(0);
	for (int i = 0; i < 6; i++) event_free(t[i]);
}

static int persist_n, persist_stop;
static struct event *persist_ev;
static void persist_cb(evutil_socket_t fd, short what, void *arg)
{
	rec_cb(fd, what, arg);
	if (++persist_n == persist_stop)
		CHECK_EQ(event_del(persist_ev), 0);
}

static void test_persist(struct event_base *b)
{
	/* persistent every 50 ms, re-armed from its previous deadline: 50, 100, 150, 200;
	 * a one-shot at 175 ms lands between the third and fourth run (wide margins: the
	 * test also runs under valgrind on a loaded machine) */
	persist_n = 0; persist_stop = 4; norder = 0;
	persist_ev = event_new(b, -1, EV_PERSIST, persist_cb, (void *)1L);
	struct event *once = evtimer_new(b, rec_cb, (void *)2L);
	struct timeval tv = ms(50), tv2 = ms(175);
	for (int attempt = 0;; attempt++) {          /* the two adds within 2 ms of each other */
		CHECK(attempt < 20);
		long long t0 = mono_us();
		EQ(event_add(persist_ev, &tv), 0);
		EQ(evtimer_add(once, &tv2), 0);
		if (mono_us() - t0 < 2000) break;
		EQ(event_del(persist_ev), 0);
		EQ(event_del(once), 0);
	}
	EQ(event_base_dispatch(b), 1);
	EXPECT(1, 1, 1, 2, 1);
	EQ(event_pending(persist_ev, EV_TIMEOUT, NULL), 0);

	/* event_remove_timer: a timer-only event is no longer pending and never fires */
	norder = 0;
	tv = ms(10);
	EQ(evtimer_add(once, &tv), 0);
	EQ(event_remove_timer(once), 0);
	EQ(evtimer_pending(once, NULL), 0);
	EQ(event_remove_timer(once), 0);                /* nothing to remove: still 0 */
	EQ(event_base_dispatch(b), 1);
	EQ(norder, 0);
	/* an I/O event keeps its I/O part */
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	struct event *r = event_new(b, sv[0], EV_READ, rec_cb, (void *)3L);
	tv = ms(10);
	EQ(event_add(r, &tv), 0);
	EQ(event_remove_timer(r), 0);
	EQ(event_pending(r, EV_READ | EV_TIMEOUT, NULL), EV_READ);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(norder, 0);
	CHECK_EQ(write(sv[1], "x", 1), 1);
	EQ(event_base_dispatch(b), 1);
	EXPECT(3);
	EQ(whats[0], EV_READ);
	/* an I/O event with a timeout: the timeout fires with EV_TIMEOUT if nothing comes */
	norder = 0;
	char c;
	CHECK_EQ(read(sv[0], &c, 1), 1);
	tv = ms(10);
	EQ(event_add(r, &tv), 0);
	EQ(event_base_dispatch(b), 1);
	EXPECT(3);
	EQ(whats[0], EV_TIMEOUT);
	event_free(r); event_free(once); event_free(persist_ev);
	close(sv[0]); close(sv[1]);
}

static void test_common_timeout(struct event_base *b)
{
	struct timeval d20 = ms(20), d30 = ms(30);
	const struct timeval *c20 = event_base_init_common_timeout(b, &d20);
	const struct timeval *c30 = event_base_init_common_timeout(b, &d30);
	OK(c20 != NULL && c30 != NULL);
	OK(event_base_init_common_timeout(b, &d20) == c20);   /* same duration, same marker */
	OK(c20 != c30);
	struct event *e[5];
	for (int i = 0; i < 5; i++)
		e[i] = evtimer_new(b, rec_cb, (void *)(long)(i + 1));
	norder = 0;
	for (int i = 0; i < 3; i++) EQ(evtimer_add(e[i], c20), 0);
	EQ(evtimer_add(e[3], c30), 0);
	EQ(evtimer_add(e[4], c30), 0);
	struct timeval rep;
	EQ(evtimer_pending(e[0], &rep), EV_TIMEOUT);
	OK(rep.tv_usec >= 0 && rep.tv_usec < 1000000);          /* reported as a real time */
	EQ(evtimer_del(e[1]), 0);
	EQ(event_base_dispatch(b), 1);
	EXPECT(1, 3, 4, 5);                                       /* FIFO within each queue */
	/* a persistent event on a common timeout repeats */
	persist_n = 0; persist_stop = 3; norder = 0;
	persist_ev = event_new(b, -1, EV_PERSIST, persist_cb, (void *)9L);
	EQ(event_add(persist_ev, c20), 0);
	EQ(event_base_dispatch(b), 1);
	EXPECT(9, 9, 9);
	event_free(persist_ev);
	/* a common timeout of another base is not a common timeout here, but still a timeout */
	for (int i = 0; i < 5; i++) event_free(e[i]);
}

static void test_once(struct event_base *b)
{
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	struct timeval t10 = ms(10), t30 = ms(30);
	norder = 0;
	EQ(event_base_once(b, -1, EV_TIMEOUT, rec_cb, (void *)3L, NULL), 0);  /* now */
	EQ(event_base_once(b, sv[0], EV_READ, rec_cb, (void *)4L, NULL), 0);
	EQ(event_base_once(b, sv[1], EV_WRITE, rec_cb, (void *)6L, &t30), 0); /* ready */
	EQ(event_base_get_num_events(b, EVENT_BASE_COUNT_ADDED) >= 3, 1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	/* first round: the immediate timer and the writable fd, in some order */
	EQ(norder, 2);
	OK((order[0] == 3 && order[1] == 6) || (order[0] == 6 && order[1] == 3));
	EQ(whats[order[0] == 6 ? 0 : 1], EV_WRITE);
	EQ(event_base_once(b, -1, EV_TIMEOUT, rec_cb, (void *)1L, &t30), 0);
	EQ(event_base_once(b, -1, EV_TIMEOUT, rec_cb, (void *)2L, &t10), 0);
	EQ(event_base_once(b, sv[0], EV_READ, rec_cb, (void *)5L, &t10), 0);
	CHECK_EQ(write(sv[1], "y", 1), 1);
	/* fd 4 becomes readable; 5 watches the same fd but also sees the byte if still queued */
	EQ(event_base_dispatch(b), 1);
	OK(norder >= 5);
	int seen[7] = { 0 };
	for (int i = 0; i < norder; i++) seen[order[i]]++;
	for (int i = 1; i <= 6; i++) EQ(seen[i], 1);          /* each exactly once */
	for (int i = 0; i < norder; i++) {
		if (order[i] == 4) EQ(whats[i], EV_READ);
		if (order[i] == 2 || order[i] == 1) EQ(whats[i], EV_TIMEOUT);
	}
	/* 2 (10 ms) before 1 (30 ms) */
	int p1 = -1, p2 = -1;
	for (int i = 0; i < norder; i++) { if (order[i] == 1) p1 = i; if (order[i] == 2) p2 = i; }
	OK(p2 < p1);
	/* a pending once-event is freed with its base (valgrind: no leak) */
	struct event_base *b2 = event_base_new();
	struct timeval big = { 100, 0 };
	EQ(event_base_once(b2, -1, EV_TIMEOUT, rec_cb, NULL, &big), 0);
	EQ(event_base_once(b2, sv[0], EV_READ, rec_cb, NULL, NULL), 0);
	event_base_free(b2);
	close(sv[0]); close(sv[1]);
}

/* callbacks that act on the loop */
static struct event_base *g_base;
enum { ACT_NONE, ACT_EXIT, ACT_BREAK, ACT_CONTINUE, ACT_WRITE, ACT_REACTIVATE };
struct actor { int id; int action; int fd; int times; struct event *ev; };
static void actor_cb(evutil_socket_t fd, short what, void *arg)
{
	struct actor *a = arg;
	rec_cb(fd, what, (void *)(long)a->id);
	switch (a->action) {
	case ACT_EXIT: CHECK_EQ(event_base_loopexit(g_base, NULL), 0); break;
	case ACT_BREAK: CHECK_EQ(event_base_loopbreak(g_base), 0); break;
	case ACT_CONTINUE: CHECK_EQ(event_base_loopcontinue(g_base), 0); break;
	case ACT_WRITE: CHECK_EQ(write(a->fd, "w", 1), 1); break;
	case ACT_REACTIVATE: if (a->times-- > 0) event_active(a->ev, EV_TIMEOUT, 0); break;
	}
}

static long ncount;
static void count_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; ncount++; }

static void test_loop_control(struct event_base *b)
{
	g_base = b;
	struct actor a[3] = { { 1, ACT_NONE, -1, 0, NULL }, { 2, ACT_NONE, -1, 0, NULL }, { 3, ACT_NONE, -1, 0, NULL } };
	struct event *e[3];
	for (int i = 0; i < 3; i++) a[i].ev = e[i] = evtimer_new(b, actor_cb, &a[i]);

	/* loopexit(NULL): the rest of this round still runs */
	a[0].action = ACT_EXIT; norder = 0;
	for (int i = 0; i < 3; i++) event_active(e[i], EV_TIMEOUT, 0);
	EQ(event_base_got_exit(b), 0);
	EQ(event_base_dispatch(b), 0);
	EXPECT(1, 2, 3);
	EQ(event_base_got_exit(b), 1);
	EQ(event_base_got_break(b), 0);

	/* loopbreak: stops after the running callback; the others stay active */
	a[0].action = ACT_BREAK; norder = 0;
	for (int i = 0; i < 3; i++) event_active(e[i], EV_TIMEOUT, 0);
	EQ(event_base_dispatch(b), 0);
	EXPECT(1);
	EQ(event_base_got_break(b), 1);
	EQ(event_base_got_exit(b), 0);                      /* reset when a loop starts */
	EQ(event_base_get_num_events(b, EVENT_BASE_COUNT_ACTIVE), 2);
	a[0].action = ACT_NONE;
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 1);
	EXPECT(1, 2, 3);
	EQ(event_base_got_break(b), 0);

	/* a loopbreak asked for outside a loop is forgotten when the next loop starts */
	EQ(event_base_loopbreak(b), 0);
	EQ(event_base_got_break(b), 1);
	norder = 0;
	for (int i = 0; i < 3; i++) event_active(e[i], EV_TIMEOUT, 0);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 1);
	EXPECT(1, 2, 3);
	EQ(event_base_got_break(b), 0);
	/* loopexit(NULL) outside a loop is an immediate timer: the next loop ends after its
	 * first round, although a persistent event is still there */
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	EQ(event_base_loopexit(b, NULL), 0);
	EQ(event_base_got_exit(b), 0);
	struct event *p = event_new(b, sv[1], EV_WRITE | EV_PERSIST, count_cb, NULL);
	EQ(event_add(p, NULL), 0);
	ncount = 0;
	EQ(event_base_dispatch(b), 0);
	EQ(ncount, 1);
	EQ(event_base_got_exit(b), 1);
	EQ(event_del(p), 0);

	/* loopcontinue: the rest of the round waits for a new poll, where a higher-priority
	 * event that became ready meanwhile runs first */
	EQ(event_base_priority_init(b, 2), 0);
	struct actor ra = { 4, ACT_NONE, -1, 0, NULL };
	struct event *r = event_new(b, sv[0], EV_READ, actor_cb, &ra);
	EQ(event_priority_set(r, 0), 0);
	for (int i = 0; i < 3; i++) EQ(event_priority_set(e[i], 1), 0);
	EQ(event_add(r, NULL), 0);
	a[0].action = ACT_WRITE; a[0].fd = sv[1];
	norder = 0;
	for (int i = 0; i < 3; i++) event_active(e[i], EV_TIMEOUT, 0);
	EQ(event_base_dispatch(b), 1);
	EXPECT(1, 2, 3, 4);                                  /* without loopcontinue */
	char c;
	CHECK_EQ(read(sv[0], &c, 1), 1);
	EQ(event_add(r, NULL), 0);
	a[1].action = ACT_CONTINUE;
	a[0].action = ACT_WRITE;
	/* 1 writes, 2 continues: 3 waits until after the read event */
	norder = 0;
	for (int i = 0; i < 3; i++) event_active(e[i], EV_TIMEOUT, 0);
	EQ(event_base_dispatch(b), 1);
	EXPECT(1, 2, 4, 3);
	CHECK_EQ(read(sv[0], &c, 1), 1);
	EQ(event_base_loopcontinue(b), 0);                   /* outside a loop: harmless */
	a[0].action = a[1].action = ACT_NONE;

	/* an event activated again from its own callback runs again in the same round */
	a[0].action = ACT_REACTIVATE; a[0].times = 2;
	norder = 0;
	event_active(e[0], EV_TIMEOUT, 0);
	event_active(e[1], EV_TIMEOUT, 0);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EXPECT(1, 2, 1, 1);
	a[0].action = ACT_NONE;

	/* loop flags */
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 1);          /* no events: 1 */
	EQ(event_base_dispatch(b), 1);
	EQ(event_base_loop(b, 0), 1);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK | EVLOOP_NO_EXIT_ON_EMPTY), 0);
	EQ(event_base_loop(b, EVLOOP_ONCE | EVLOOP_NONBLOCK), 1);
	norder = 0;
	event_active(e[2], EV_TIMEOUT, 0);
	EQ(event_base_loop(b, EVLOOP_ONCE | EVLOOP_NO_EXIT_ON_EMPTY), 0);
	EXPECT(3);
	EQ(event_add(r, NULL), 0);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);          /* pending, nothing ready: 0 */
	EQ(event_base_loop(b, EVLOOP_ONCE | EVLOOP_NONBLOCK), 0);
	/* EVLOOP_ONCE blocks until something happens */
	struct timeval t20 = ms(20);
	norder = 0;
	EQ(event_add(e[0], &t20), 0);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EXPECT(1);
	EQ(event_del(r), 0);

	/* loopexit with a delay: the loop ends at the deadline although a persistent event remains */
	EQ(event_priority_set(p, 1), 0);
	EQ(event_add(p, NULL), 0);
	ncount = 0;
	long long t0 = mono_us();
	EQ(event_base_loopexit(b, &t20), 0);
	EQ(event_base_got_exit(b), 0);                      /* not yet */
	EQ(event_base_dispatch(b), 0);
	OK(ncount >= 1);
	EQ(event_base_got_exit(b), 1);
	OK(mono_us() - t0 >= 20000 - 10000);
	event_free(p);
	event_free(r);
	for (int i = 0; i < 3; i++) event_free(e[i]);
	close(sv[0]); close(sv[1]);
}

/* cached time: constant inside a callback unless updated (or with NO_CACHE_TIME) */
static int cache_flags;
static void time_cb(evutil_socket_t fd, short what, void *arg)
{
	struct event_base *b = arg;
	struct timeval a, b2, c;
	(void)fd; (void)what;
	CHECK_EQ(event_base_gettimeofday_cached(b, &a), 0);
	usleep(25000);
	CHECK_EQ(event_base_gettimeofday_cached(b, &b2), 0);
	if (cache_flags & EVENT_BASE_FLAG_NO_CACHE_TIME)
		CHECK(evutil_timercmp(&b2, &a, >));
	else
		CHECK(evutil_timercmp(&b2, &a, ==));
	CHECK_EQ(event_base_update_cache_time(b), 0);
	CHECK_EQ(event_base_gettimeofday_cached(b, &c), 0);
	CHECK(evutil_timercmp(&c, &a, >));
	checks += 3;
	norder++;
}
static void test_cached_time(void)
{
	for (int k = 0; k < 2; k++) {
		cache_flags = k ? EVENT_BASE_FLAG_NO_CACHE_TIME : 0;
		struct event_base *b = new_base(cache_flags);
		struct timeval now, cached, after;
		gettimeofday(&now, NULL);
		EQ(event_base_gettimeofday_cached(b, &cached), 0);  /* outside a loop: the real time */
		gettimeofday(&after, NULL);
		OK(!evutil_timercmp(&cached, &now, <) && !evutil_timercmp(&cached, &after, >));
		EQ(event_base_update_cache_time(b), 0);
		norder = 0;
		EQ(event_base_once(b, -1, EV_TIMEOUT, time_cb, b, NULL), 0);
		EQ(event_base_dispatch(b), 1);
		EQ(norder, 1);
		event_base_free(b);
	}
}

/* priorities: higher (lower number) first; a round with real callbacks at one priority
 * does not reach lower priorities */
static int starve_n;
static struct event *starve_ev;
static void starve_cb(evutil_socket_t fd, short what, void *arg)
{
	rec_cb(fd, what, arg);
	if (++starve_n == 3) CHECK_EQ(event_del(starve_ev), 0);
}
static void test_priorities(void)
{
	struct event_base *b = event_base_new();
	EQ(event_base_priority_init(b, 3), 0);
	struct event *e[6];
	for (int i = 0; i < 6; i++) {
		e[i] = evtimer_new(b, rec_cb, (void *)(long)i);
		EQ(event_priority_set(e[i], 2 - i % 3), 0);   /* 0:2 1:1 2:0 3:2 4:1 5:0 */
	}
	norder = 0;
	for (int i = 0; i < 6; i++) event_active(e[i], EV_TIMEOUT, 0);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 1);
	EXPECT(2, 5, 1, 4, 0, 3);
	/* one round per priority level */
	norder = 0;
	for (int i = 0; i < 6; i++) event_active(e[i], EV_TIMEOUT, 0);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);              /* ONCE goes on until nothing is active */
	EXPECT(2, 5, 1, 4, 0, 3);
	/* starvation: an always-ready high-priority event keeps a lower one waiting */
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	starve_n = 0;
	starve_ev = event_new(b, sv[1], EV_WRITE | EV_PERSIST, starve_cb, (void *)9L);
	EQ(event_priority_set(starve_ev, 0), 0);
	EQ(event_add(starve_ev, NULL), 0);
	norder = 0;
	event_active(e[0], EV_TIMEOUT, 0);                  /* priority 2 */
	EQ(event_base_dispatch(b), 1);
	EXPECT(9, 9, 9, 0);
	event_free(starve_ev);
	for (int i = 0; i < 6; i++) event_free(e[i]);
	event_base_free(b);
	close(sv[0]); close(sv[1]);
}

/* max dispatch interval: after max_callbacks (or the interval) at priorities >= min_priority
 * the loop polls again, so a newly ready higher-priority event runs in between */
static void run_interval(const struct timeval *tv, int max_cbs, int min_prio, const int *want, int nwant)
{
	struct event_config *cfg = event_config_new();
	CHECK_EQ(event_config_set_max_dispatch_interval(cfg, tv, max_cbs, min_prio), 0);
	struct event_base *b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	CHECK(b != NULL);
	g_base = b;
	EQ(event_base_priority_init(b, 2), 0);
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	struct actor ra = { 9, ACT_NONE, -1, 0, NULL };
	struct event *r = event_new(b, sv[0], EV_READ, actor_cb, &ra);
	EQ(event_priority_set(r, 0), 0);
	EQ(event_add(r, NULL), 0);
	struct actor a[5];
	struct event *e[5];
	for (int i = 0; i < 5; i++) {
		a[i] = (struct actor){ i + 1, i == 0 ? ACT_WRITE : ACT_NONE, sv[1], 0, NULL };
		e[i] = evtimer_new(b, actor_cb, &a[i]);
		EQ(event_priority_set(e[i], 1), 0);
	}
	norder = 0;
	for (int i = 0; i < 5; i++) event_active(e[i], EV_TIMEOUT, 0);
	EQ(event_base_dispatch(b), 1);
	expect(want, nwant);
	for (int i = 0; i < 5; i++) event_free(e[i]);
	event_free(r);
	event_base_free(b);
	close(sv[0]); close(sv[1]);
}
static void test_max_interval(void)
{
	static const int unlimited[] = { 1, 2, 3, 4, 5, 9 };
	static const int after2[] = { 1, 2, 9, 3, 4, 5 };
	static const int after1[] = { 1, 9, 2, 3, 4, 5 };
	run_interval(NULL, -1, 0, unlimited, 6);
	run_interval(NULL, 2, 1, after2, 6);
	run_interval(NULL, 2, 0, after2, 6);
	run_interval(NULL, 2, 2, unlimited, 6);   /* priority 1 is below min_priority 2: no limit */
	struct timeval zero = { 0, 0 };
	run_interval(&zero, -1, 1, after1, 6);    /* a zero interval: one callback per round */
	struct timeval big = { 100, 0 };
	run_interval(&big, -1, 1, unlimited, 6);
}

int main(void)
{
	static const int flagsets[] = { 0, EVENT_BASE_FLAG_PRECISE_TIMER, EVENT_BASE_FLAG_NO_CACHE_TIME };
	for (int k = 0; k < 3; k++) {
		struct event_base *b = new_base(flagsets[k]);
		test_order(b);
		test_persist(b);
		test_common_timeout(b);
		test_once(b);
		test_loop_control(b);
		event_base_free(b);
	}
	/* the same on poll */
	struct event_config *cfg = event_config_new();
	event_config_avoid_method(cfg, "epoll");
	struct event_base *b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	test_order(b);
	test_persist(b);
	test_once(b);
	event_base_free(b);
	test_cached_time();
	test_priorities();
	test_max_interval();
	printf("core_timer: %d checks passed\n", checks);
	return 0;
}
