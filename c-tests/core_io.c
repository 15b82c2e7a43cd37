/* I/O events: read/write, EV_PERSIST, EV_ET, EV_CLOSED, several events per fd, event_pending,
 * event_active, event_base_active_by_fd, getters, event_assign on caller memory, counts and
 * iteration, and the 1.x calls of event_compat.h. */
#include <event2/event.h>
#include <event2/event_compat.h>
#include <event2/event_struct.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "check.h"

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

static int nlog, last_sev;
static void logcb(int sev, const char *msg) { (void)msg; nlog++; last_sev = sev; }

/* A callback that records (id, what) in order. */
struct rec { int id; short what; evutil_socket_t fd; };
static struct rec recs[64];
static int nrecs;
static void rec_cb(evutil_socket_t fd, short what, void *arg)
{
	CHECK(nrecs < 64);
	recs[nrecs].id = (int)(long)arg;
	recs[nrecs].what = what;
	recs[nrecs].fd = fd;
	nrecs++;
}
static int count_id(int id) { int n = 0; for (int i = 0; i < nrecs; i++) n += recs[i].id == id; return n; }
static short what_of(int id) { for (int i = 0; i < nrecs; i++) if (recs[i].id == id) return recs[i].what; return -1; }

static void pair(int sv[2]) { CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0); }
static void drain(int fd) { char buf[256]; while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0) ; }

static void test_read_write_persist(struct event_base *b)
{
	int sv[2];
	pair(sv);
	nrecs = 0;
	struct event *r = event_new(b, sv[0], EV_READ, rec_cb, (void *)1L);
	struct event *rp = event_new(b, sv[0], EV_READ | EV_PERSIST, rec_cb, (void *)2L);
	struct event *w = event_new(b, sv[1], EV_WRITE, rec_cb, (void *)3L);
	EQ(event_add(r, NULL), 0);
	EQ(event_add(rp, NULL), 0);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);   /* nothing ready, events pending */
	EQ(nrecs, 0);
	EQ(event_add(w, NULL), 0);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(nrecs, 1);
	EQ(recs[0].id, 3);
	EQ(recs[0].what, EV_WRITE);
	EQ(recs[0].fd, sv[1]);
	EQ(event_pending(w, EV_WRITE, NULL), 0);      /* not persistent: no longer pending */

	CHECK_EQ(write(sv[1], "hello", 5), 5);
	nrecs = 0;
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(nrecs, 2);                                  /* both read events, same iteration */
	EQ(count_id(1), 1);
	EQ(count_id(2), 1);
	EQ(what_of(1), EV_READ);
	EQ(what_of(2), EV_READ);
	EQ(event_pending(r, EV_READ, NULL), 0);
	EQ(event_pending(rp, EV_READ, NULL), EV_READ);
	/* level-triggered: undrained data fires the persistent event again, not the other */
	nrecs = 0;
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(nrecs, 1);
	EQ(recs[0].id, 2);
	drain(sv[0]);
	nrecs = 0;
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(nrecs, 0);
	/* deleting one of two events on an fd keeps the other */
	EQ(event_add(r, NULL), 0);
	EQ(event_del(rp), 0);
	EQ(event_del(rp), 0);                          /* deleting twice is fine */
	CHECK_EQ(write(sv[1], "x", 1), 1);
	EQ(event_base_dispatch(b), 1);                  /* r fires, then nothing is left */
	EQ(nrecs, 1);
	EQ(recs[0].id, 1);
	event_free(r); event_free(rp); event_free(w);
	close(sv[0]); close(sv[1]);
}

static void test_et(struct event_base *b)
{
	int sv[2];
	pair(sv);
	nrecs = 0;
	struct event *et = event_new(b, sv[0], EV_READ | EV_ET | EV_PERSIST, rec_cb, (void *)1L);
	EQ(event_get_events(et), EV_READ | EV_ET | EV_PERSIST);
	EQ(event_add(et, NULL), 0);
	CHECK_EQ(write(sv[1], "ab", 2), 2);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(nrecs, 1);
	EQ(recs[0].what, EV_READ | EV_ET);               /* libevent passes EV_ET on to the callback */
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);       /* same data: no new edge */
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(nrecs, 1);
	CHECK_EQ(write(sv[1], "c", 1), 1);               /* new data: a new edge */
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(nrecs, 2);
	event_free(et);
	close(sv[0]); close(sv[1]);
}

static void test_closed(struct event_base *b)
{
	int sv[2];
	pair(sv);
	nrecs = 0;
	struct event *c = event_new(b, sv[0], EV_CLOSED, rec_cb, (void *)1L);
	struct event *rc = event_new(b, sv[0], EV_READ | EV_CLOSED, rec_cb, (void *)2L);
	struct event *r = event_new(b, sv[0], EV_READ, rec_cb, (void *)3L);
	EQ(event_add(c, NULL), 0);
	EQ(event_add(rc, NULL), 0);
	EQ(event_add(r, NULL), 0);
	EQ(event_pending(c, EV_READ | EV_WRITE | EV_CLOSED, NULL), EV_CLOSED);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(nrecs, 0);
	CHECK(shutdown(sv[1], SHUT_WR) == 0);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(nrecs, 3);
	EQ(what_of(1), EV_CLOSED);
	EQ(what_of(2), EV_READ | EV_CLOSED);
	EQ(what_of(3), EV_READ);
	event_free(c); event_free(rc); event_free(r);
	close(sv[0]); close(sv[1]);

	/* a full close of the peer too */
	pair(sv);
	nrecs = 0;
	c = event_new(b, sv[0], EV_CLOSED | EV_PERSIST, rec_cb, (void *)4L);
	EQ(event_add(c, NULL), 0);
	close(sv[1]);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(nrecs, 1);
	EQ(recs[0].what, EV_CLOSED);
	event_free(c);
	close(sv[0]);
}

static void test_pending(struct event_base *b)
{
	int sv[2];
	pair(sv);
	struct event *e = event_new(b, sv[0], EV_READ | EV_WRITE, rec_cb, (void *)1L);
	struct timeval tv = { 7, 7 };
	EQ(event_pending(e, EV_READ | EV_WRITE | EV_TIMEOUT, &tv), 0);
	EQ(tv.tv_sec, 7);                                 /* tv untouched when no timeout pending */
	EQ(event_add(e, NULL), 0);
	EQ(event_pending(e, EV_READ | EV_WRITE | EV_TIMEOUT | EV_SIGNAL, &tv), EV_READ | EV_WRITE);
	EQ(event_pending(e, EV_READ, NULL), EV_READ);
	EQ(event_pending(e, EV_TIMEOUT, &tv), 0);
	EQ(tv.tv_sec, 7);
	EQ(tv.tv_usec, 7);

	struct timeval before, after, to = { 100, 0 }, rep;
	gettimeofday(&before, NULL);
	EQ(event_add(e, &to), 0);
	gettimeofday(&after, NULL);
	EQ(event_pending(e, EV_READ | EV_TIMEOUT, &rep), EV_READ | EV_TIMEOUT);
	/* reported in wall-clock time: about now + 100 s */
	OK(rep.tv_usec >= 0 && rep.tv_usec < 1000000);
	OK(rep.tv_sec >= before.tv_sec + 100 - 1);
	OK(rep.tv_sec <= after.tv_sec + 100 + 1);
	/* the timeout alone, not the I/O: tv is still reported */
	memset(&rep, 0, sizeof rep);
	EQ(event_pending(e, EV_TIMEOUT, &rep), EV_TIMEOUT);
	OK(rep.tv_sec >= before.tv_sec + 99);
	/* re-adding with a NULL timeout keeps the pending timeout; event_remove_timer drops it */
	EQ(event_add(e, NULL), 0);
	EQ(event_pending(e, EV_READ | EV_WRITE | EV_TIMEOUT, NULL), EV_READ | EV_WRITE | EV_TIMEOUT);
	EQ(event_remove_timer(e), 0);
	EQ(event_pending(e, EV_READ | EV_WRITE | EV_TIMEOUT, NULL), EV_READ | EV_WRITE);
	EQ(event_del(e), 0);
	EQ(event_pending(e, EV_READ | EV_WRITE | EV_TIMEOUT, NULL), 0);

	/* a timer-only event */
	struct event *t = evtimer_new(b, rec_cb, (void *)2L);
	EQ(evtimer_pending(t, NULL), 0);
	EQ(evtimer_add(t, &to), 0);
	EQ(evtimer_pending(t, NULL), EV_TIMEOUT);
	EQ(event_pending(t, EV_READ | EV_WRITE, NULL), 0);
	EQ(evtimer_del(t), 0);

	/* active but not added: pending reports the activation flags */
	event_active(e, EV_WRITE, 0);
	EQ(event_pending(e, EV_READ | EV_WRITE | EV_TIMEOUT, NULL), EV_WRITE);
	nrecs = 0;
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 1);
	EQ(nrecs, 1);
	EQ(recs[0].what, EV_WRITE);
	EQ(event_pending(e, EV_READ | EV_WRITE | EV_TIMEOUT, NULL), 0);
	event_free(e); event_free(t);
	close(sv[0]); close(sv[1]);
}

static void test_active(struct event_base *b)
{
	int sv[2];
	pair(sv);
	nrecs = 0;
	struct event *r0 = event_new(b, sv[0], EV_READ | EV_PERSIST, rec_cb, (void *)1L);
	struct event *r1 = event_new(b, sv[1], EV_READ | EV_PERSIST, rec_cb, (void *)2L);
	struct event *rw = event_new(b, sv[1], EV_READ | EV_WRITE | EV_PERSIST, rec_cb, (void *)3L);
	struct event *t = evtimer_new(b, rec_cb, (void *)4L);
	EQ(event_add(r0, NULL), 0);
	EQ(event_add(r1, NULL), 0);

	/* event_active on an added event, twice: one call, the flags or-ed together */
	event_active(r0, EV_READ, 0);
	event_active(r0, EV_TIMEOUT, 0);
	event_active(t, EV_TIMEOUT, 0);                     /* a never-added timer */
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(nrecs, 2);
	EQ(recs[0].id, 1);                                   /* activation order */
	EQ(recs[0].what, EV_READ | EV_TIMEOUT);
	EQ(recs[1].id, 4);
	EQ(recs[1].what, EV_TIMEOUT);
	EQ(event_pending(r0, EV_READ, NULL), EV_READ);      /* still added */

	/* active_by_fd: the fd's events that watch one of the flags, with those flags only */
	nrecs = 0;
	event_base_active_by_fd(b, sv[0], EV_READ);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(nrecs, 1);
	EQ(recs[0].id, 1);
	EQ(recs[0].what, EV_READ);
	nrecs = 0;
	event_base_active_by_fd(b, sv[0], EV_WRITE);        /* r0 does not watch writes */
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(nrecs, 0);
	/* rw is always writable (a NONBLOCK loop would run it forever): it is deleted before looping */
	EQ(event_add(rw, NULL), 0);
	nrecs = 0;
	event_base_active_by_fd(b, sv[1], EV_READ);
	EQ(event_del(rw), 0);                                /* deleting removes the activation */
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(nrecs, 1);
	EQ(recs[0].id, 2);
	EQ(recs[0].what, EV_READ);

	/* counts: plain I/O events without timeouts */
	EQ(event_base_get_num_events(b, EVENT_BASE_COUNT_ADDED), 2);
	EQ(event_base_get_num_events(b, EVENT_BASE_COUNT_ACTIVE), 0);
	event_active(r1, EV_READ, 0);
	EQ(event_base_get_num_events(b, EVENT_BASE_COUNT_ACTIVE), 1);
	EQ(event_base_get_num_events(b, EVENT_BASE_COUNT_VIRTUAL), 0);
	OK(event_base_get_max_events(b, EVENT_BASE_COUNT_ACTIVE, 0) >= 1);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(event_base_get_num_events(b, EVENT_BASE_COUNT_ACTIVE), 0);
	EQ(event_del(r0), 0);
	EQ(event_del(r1), 0);
	EQ(event_base_get_num_events(b, EVENT_BASE_COUNT_ADDED), 0);
	OK(event_base_get_max_events(b, EVENT_BASE_COUNT_ADDED, 1) >= 3);
	EQ(event_base_get_max_events(b, EVENT_BASE_COUNT_ADDED, 0), 0);   /* cleared */
	event_free(r0); event_free(r1); event_free(rw); event_free(t);
	close(sv[0]); close(sv[1]);
}

static struct event_base *g_base;
static struct event *running_seen;
static void running_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	running_seen = event_base_get_running_event(g_base);
	CHECK(running_seen == arg);   /* arg is event_self_cbarg() */
}
static int foreach_cb(const struct event_base *b, const struct event *ev, void *arg)
{
	int *n = arg;
	CHECK(event_get_base(ev) == b);
	(*n)++;
	return *n == 2 ? 42 : 0;
}
static int count_all(const struct event_base *b, const struct event *ev, void *arg)
{
	(void)b; (void)ev; (*(int *)arg)++;
	return 0;
}

static void test_getters(struct event_base *b)
{
	int sv[2];
	pair(sv);
	g_base = b;
	struct event *e = event_new(b, sv[0], EV_READ | EV_PERSIST, running_cb, event_self_cbarg());
	OK(e != NULL);
	OK(event_get_callback_arg(e) == e);
	OK(event_get_fd(e) == sv[0]);
	OK(event_get_base(e) == b);
	EQ(event_get_events(e), EV_READ | EV_PERSIST);
	OK(event_get_callback(e) == running_cb);
	EQ(event_get_priority(e), 0);
	struct event_base *ab = NULL; evutil_socket_t afd = -5; short aev = 0;
	event_callback_fn acb = NULL; void *aarg = NULL;
	event_get_assignment(e, &ab, &afd, &aev, &acb, &aarg);
	OK(ab == b && afd == sv[0] && aev == (EV_READ | EV_PERSIST) && acb == running_cb && aarg == e);
	event_get_assignment(e, NULL, &afd, NULL, NULL, NULL);   /* NULL outputs are skipped */
	OK(afd == sv[0]);

	/* (libevent 2.1.12 crashes if it is called outside a callback: only call it inside) */
	EQ(event_add(e, NULL), 0);
	CHECK_EQ(write(sv[1], "r", 1), 1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	OK(running_seen == e);
	drain(sv[0]);

	/* foreach: visits added events; a non-zero return stops and is returned */
	struct event *t1 = evtimer_new(b, rec_cb, NULL), *t2 = evtimer_new(b, rec_cb, NULL);
	struct timeval tv = { 100, 0 };
	EQ(evtimer_add(t1, &tv), 0);
	EQ(evtimer_add(t2, &tv), 0);
	int n = 0;
	EQ(event_base_foreach_event(b, count_all, &n), 0);
	EQ(n, 3);
	n = 0;
	EQ(event_base_foreach_event(b, foreach_cb, &n), 42);
	EQ(n, 2);

	FILE *f = tmpfile();
	event_base_dump_events(b, f);
	OK(ftell(f) > 0);
	fclose(f);
	event_free(t1); event_free(t2); event_free(e);
	close(sv[0]); close(sv[1]);
}

/* event_assign on memory the caller owns: stack, and inside a struct of its own */
struct conn { int id; struct event rd; struct event tm; int tail; };
static void conn_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	(void)fd;
	rec_cb(fd, what, (void *)(long)c->id);
}
static void test_assign(struct event_base *b)
{
	struct event zero;
	memset(&zero, 0, sizeof zero);
	EQ(event_initialized(&zero), 0);
	EQ(evtimer_initialized(&zero), 0);

	int sv[2];
	pair(sv);
	struct conn c;
	memset(&c, 0xa5, sizeof c);
	c.id = 9; c.tail = 0x5a5a;
	EQ(event_assign(&c.rd, b, sv[0], EV_READ, conn_cb, &c), 0);
	EQ(evtimer_assign(&c.tm, b, conn_cb, &c), 0);
	EQ(event_initialized(&c.rd), 1);
	EQ(c.tail, 0x5a5a);
	EQ(event_add(&c.rd, NULL), 0);
	struct timeval tv = { 0, 10000 };
	EQ(evtimer_add(&c.tm, &tv), 0);
	CHECK_EQ(write(sv[1], "q", 1), 1);
	nrecs = 0;
	EQ(event_base_dispatch(b), 1);
	EQ(nrecs, 2);
	EQ(recs[0].what, EV_READ);
	EQ(recs[1].what, EV_TIMEOUT);
	EQ(recs[0].id, 9);
	/* reassigning a non-pending event is allowed and takes the new values */
	EQ(event_assign(&c.rd, b, sv[1], EV_WRITE, conn_cb, &c), 0);
	OK(event_get_fd(&c.rd) == sv[1]);
	EQ(event_add(&c.rd, NULL), 0);
	nrecs = 0;
	EQ(event_base_dispatch(b), 1);
	EQ(nrecs, 1);
	EQ(recs[0].what, EV_WRITE);
	EQ(c.tail, 0x5a5a);
	close(sv[0]); close(sv[1]);
}

static int ncount, break_at;
static void count_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	if (++ncount == break_at)
		CHECK_EQ(event_loopbreak(), 0);
}

static void test_compat(void)
{
	int sv[2];
	pair(sv);
	struct event_base *cur = event_init();
	OK(cur != NULL);
	OK(strcmp(event_get_method(), event_base_get_method(cur)) == 0);
	struct event e, t;
	event_set(&e, sv[0], EV_READ, rec_cb, (void *)1L);
	OK(event_get_base(&e) == cur);
	evtimer_set(&t, rec_cb, (void *)2L);
	EQ(event_add(&e, NULL), 0);
	struct timeval tv = { 0, 10000 };
	EQ(evtimer_add(&t, &tv), 0);
	CHECK_EQ(write(sv[1], "1", 1), 1);
	nrecs = 0;
	EQ(event_loop(EVLOOP_NONBLOCK), 0);               /* the read is ready, the timer is pending */
	EQ(nrecs, 1);
	EQ(recs[0].id, 1);
	EQ(event_dispatch(), 1);                          /* runs the timer, then nothing is left */
	EQ(nrecs, 2);
	EQ(recs[1].id, 2);
	drain(sv[0]);

	/* event_once: an fd and a timer, both run once */
	nrecs = 0;
	EQ(event_once(sv[1], EV_WRITE, rec_cb, (void *)3L, NULL), 0);
	EQ(event_once(-1, EV_TIMEOUT, rec_cb, (void *)4L, &tv), 0);
	EQ(event_dispatch(), 1);
	EQ(nrecs, 2);
	EQ(recs[0].id, 3);
	EQ(recs[0].what, EV_WRITE);
	EQ(recs[1].id, 4);
	EQ(recs[1].what, EV_TIMEOUT);

	/* event_loopexit / event_loopbreak on the current base */
	struct event p;
	event_set(&p, sv[1], EV_WRITE | EV_PERSIST, count_cb, NULL);
	EQ(event_add(&p, NULL), 0);
	EQ(event_loopexit(&tv), 0);
	ncount = 0;
	EQ(event_dispatch(), 0);
	OK(ncount >= 1);
	OK(event_base_got_exit(cur));
	ncount = 0;
	break_at = 3;
	EQ(event_dispatch(), 0);                         /* count_cb calls event_loopbreak() */
	EQ(ncount, 3);
	OK(event_base_got_break(cur));
	OK(!event_base_got_exit(cur));
	break_at = 0;
	EQ(event_del(&p), 0);

	/* event_base_set moves a non-added event to another base, refuses an added one */
	struct event_base *other = event_base_new();
	event_set(&e, sv[0], EV_READ, rec_cb, (void *)6L);
	EQ(event_base_set(other, &e), 0);
	OK(event_get_base(&e) == other);
	EQ(event_add(&e, NULL), 0);
	EQ(event_base_set(cur, &e), -1);
	OK(event_get_base(&e) == other);
	CHECK_EQ(write(sv[1], "2", 1), 1);
	nrecs = 0;
	EQ(event_loop(EVLOOP_NONBLOCK), 1);               /* nothing on the current base */
	EQ(nrecs, 0);
	EQ(event_base_loop(other, EVLOOP_NONBLOCK), 1);
	EQ(nrecs, 1);
	EQ(recs[0].id, 6);

	/* event_priority_init on the current base; new event_set events get the middle one */
	EQ(event_priority_init(3), 0);
	event_set(&e, sv[0], EV_READ, rec_cb, NULL);
	EQ(event_get_priority(&e), 1);
	event_base_free(other);
	event_base_free(cur);
	close(sv[0]); close(sv[1]);
}

int main(void)
{
	event_set_log_callback(logcb);
	static const char *avoid[] = { NULL, "epoll", NULL };
	for (int k = 0; k < 2; k++) {
		struct event_config *cfg = event_config_new();
		if (avoid[k]) event_config_avoid_method(cfg, avoid[k]);
		struct event_base *b = event_base_new_with_config(cfg);
		event_config_free(cfg);
		CHECK(b != NULL);
		test_read_write_persist(b);
		if (k == 0) test_et(b);                       /* EV_ET needs epoll */
		test_closed(b);
		test_pending(b);
		test_active(b);
		test_getters(b);
		test_assign(b);
		event_base_free(b);
	}
	test_compat();
	printf("core_io: %d checks passed\n", checks);
	return 0;
}
