/* Threads: after evthread_use_pthreads(), event_add / event_active / event_del / loopbreak /
 * loopexit from another thread wake a loop blocked without a timeout; event_del from another
 * thread waits for the event's running callback (event_del_noblock and EV_FINALIZE events do
 * not); one unlocked base per thread. A watchdog turns a loop that is never woken into a
 * failure instead of a hang. */
#include <event2/event.h>
#include <event2/thread.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "check.h"

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

static const char *stage = "start";
static void watchdog(int sig)
{
	(void)sig;
	static const char msg[] = "core_threads: watchdog fired: the loop was not woken in: ";
	CHECK(write(2, msg, sizeof msg - 1) >= 0);
	CHECK(write(2, stage, strlen(stage)) >= 0);
	CHECK(write(2, "\n", 1) == 1);
	_exit(1);
}
static void arm(const char *what) { stage = what; alarm(20); }

static struct event_base *base;
static int sv[2];
static struct event *idle;          /* a read event that never becomes ready */
static struct event *target;
static atomic_int ran;

static void ran_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	atomic_fetch_add(&ran, 1);
	CHECK_EQ(event_del(idle), 0);       /* the base becomes empty: dispatch returns */
}
static void nop_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

enum { DO_ADD, DO_ACTIVE, DO_DEL, DO_BREAK, DO_EXIT, DO_ADD_IO };
static void *actor(void *arg)
{
	int what = (int)(long)arg;
	usleep(100000);
	struct timeval zero = { 0, 0 };
	switch (what) {
	case DO_ADD: CHECK_EQ(event_add(target, &zero), 0); break;
	case DO_ADD_IO: CHECK_EQ(event_add(target, NULL), 0); break;
	case DO_ACTIVE: event_active(target, EV_TIMEOUT, 0); break;
	case DO_DEL: CHECK_EQ(event_del(idle), 0); break;
	case DO_BREAK: CHECK_EQ(event_base_loopbreak(base), 0); break;
	case DO_EXIT: CHECK_EQ(event_base_loopexit(base, NULL), 0); break;
	}
	return NULL;
}

static int run_with(int what, int loop_flags)
{
	pthread_t th;
	CHECK(pthread_create(&th, NULL, actor, (void *)(long)what) == 0);
	int r = event_base_loop(base, loop_flags);
	CHECK(pthread_join(th, NULL) == 0);
	return r;
}

static void test_wakeups(void)
{
	idle = event_new(base, sv[0], EV_READ | EV_PERSIST, nop_cb, NULL);

	arm("event_add of a timer");
	atomic_store(&ran, 0);
	target = evtimer_new(base, ran_cb, NULL);
	EQ(event_add(idle, NULL), 0);
	EQ(run_with(DO_ADD, 0), 1);
	EQ(atomic_load(&ran), 1);

	arm("event_add of an I/O event that is already ready");
	atomic_store(&ran, 0);
	event_free(target);
	int p2[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, p2) == 0);
	CHECK_EQ(write(p2[1], "x", 1), 1);
	target = event_new(base, p2[0], EV_READ, ran_cb, NULL);
	EQ(event_add(idle, NULL), 0);
	EQ(run_with(DO_ADD_IO, EVLOOP_ONCE), 0);
	EQ(atomic_load(&ran), 1);
	close(p2[0]); close(p2[1]);

	arm("event_active");
	atomic_store(&ran, 0);
	event_free(target);
	target = evtimer_new(base, ran_cb, NULL);
	EQ(event_add(idle, NULL), 0);
	EQ(run_with(DO_ACTIVE, 0), 1);
	EQ(atomic_load(&ran), 1);

	arm("event_del");
	EQ(event_add(idle, NULL), 0);
	EQ(run_with(DO_DEL, 0), 1);
	EQ(event_pending(idle, EV_READ, NULL), 0);

	arm("event_base_loopbreak");
	EQ(event_add(idle, NULL), 0);
	EQ(run_with(DO_BREAK, 0), 0);
	EQ(event_base_got_break(base), 1);

	arm("event_base_loopexit");
	EQ(run_with(DO_EXIT, 0), 0);
	EQ(event_base_got_exit(base), 1);
	EQ(event_del(idle), 0);

	arm("loopbreak of an empty base with EVLOOP_NO_EXIT_ON_EMPTY");
	EQ(run_with(DO_BREAK, EVLOOP_NO_EXIT_ON_EMPTY), 0);
	EQ(event_base_got_break(base), 1);
	arm("event_active on an empty base with EVLOOP_NO_EXIT_ON_EMPTY|EVLOOP_ONCE");
	atomic_store(&ran, 0);
	EQ(run_with(DO_ACTIVE, EVLOOP_NO_EXIT_ON_EMPTY | EVLOOP_ONCE), 0);
	EQ(atomic_load(&ran), 1);
	event_free(target);
	event_free(idle);
	alarm(0);
}

/* event_del from another thread and a running callback */
static atomic_int started, finished, release_cb;
static void slow_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	atomic_store(&started, 1);
	usleep(200000);
	while (!atomic_load(&release_cb))
		usleep(1000);
	atomic_store(&finished, 1);
}
enum { DEL, DEL_BLOCK, DEL_NOBLOCK };
struct del_job { struct event *ev; int how; int finished_after; int rc; };
static void *deleter(void *arg)
{
	struct del_job *j = arg;
	while (!atomic_load(&started))
		usleep(1000);
	switch (j->how) {
	case DEL: j->rc = event_del(j->ev); break;
	case DEL_BLOCK: j->rc = event_del_block(j->ev); break;
	case DEL_NOBLOCK: j->rc = event_del_noblock(j->ev); break;
	}
	j->finished_after = atomic_load(&finished);
	atomic_store(&release_cb, 1);   /* a non-waiting delete lets the callback end here */
	return NULL;
}
static void run_del(short extra_flags, int how, int expect_waited)
{
	atomic_store(&started, 0); atomic_store(&finished, 0);
	/* a waiting delete must not depend on being released */
	atomic_store(&release_cb, expect_waited);
	struct event *e = event_new(base, -1, EV_PERSIST | extra_flags, slow_cb, NULL);
	struct timeval tv = { 0, 1000 };
	EQ(event_add(e, &tv), 0);
	struct del_job j = { e, how, -1, -2 };
	pthread_t th;
	CHECK(pthread_create(&th, NULL, deleter, &j) == 0);
	EQ(event_base_dispatch(base), 1);    /* the callback runs once, then the event is gone */
	CHECK(pthread_join(th, NULL) == 0);
	EQ(j.rc, 0);
	EQ(j.finished_after, expect_waited);
	EQ(atomic_load(&finished), 1);
	EQ(event_pending(e, EV_TIMEOUT, NULL), 0);
	event_free(e);
}
static void test_del_waits(void)
{
	arm("event_del waiting for a callback");
	run_del(0, DEL, 1);
	run_del(0, DEL_BLOCK, 1);
	run_del(0, DEL_NOBLOCK, 0);
	run_del(EV_FINALIZE, DEL, 0);         /* EV_FINALIZE: event_del does not wait */
	run_del(EV_FINALIZE, DEL_BLOCK, 1);
	alarm(0);
}

/* a thread adds and deletes timers on a running base many times */
static atomic_int fired;
static void fire_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; atomic_fetch_add(&fired, 1); }
static void *churn(void *arg)
{
	struct event **evs = arg;
	struct timeval zero = { 0, 0 }, later = { 100, 0 };
	for (int round = 0; round < 200; round++) {
		for (int i = 0; i < 8; i++)
			CHECK_EQ(event_add(evs[i], i % 2 ? &later : &zero), 0);
		for (int i = 0; i < 8; i += 2)
			CHECK_EQ(event_del(evs[i + 1]), 0);
	}
	usleep(50000);
	CHECK_EQ(event_base_loopbreak(base), 0);
	return NULL;
}
static void test_churn(void)
{
	arm("churn");
	struct event *evs[8];
	for (int i = 0; i < 8; i++) evs[i] = evtimer_new(base, fire_cb, NULL);
	struct event *keep = event_new(base, sv[0], EV_READ | EV_PERSIST, nop_cb, NULL);
	EQ(event_add(keep, NULL), 0);
	atomic_store(&fired, 0);
	pthread_t th;
	CHECK(pthread_create(&th, NULL, churn, evs) == 0);
	EQ(event_base_dispatch(base), 0);
	CHECK(pthread_join(th, NULL) == 0);
	OK(atomic_load(&fired) >= 1);
	for (int i = 0; i < 8; i++) event_free(evs[i]);
	event_free(keep);
	alarm(0);
}

/* one base per thread, without locks */
static void *own_base(void *arg)
{
	(void)arg;
	struct event_config *cfg = event_config_new();
	CHECK_EQ(event_config_set_flag(cfg, EVENT_BASE_FLAG_NOLOCK), 0);
	struct event_base *b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	CHECK(b != NULL);
	int n = 0;
	for (int i = 0; i < 20; i++) {
		struct timeval tv = { 0, 1000 };
		CHECK_EQ(event_base_once(b, -1, EV_TIMEOUT, fire_cb, NULL, &tv), 0);
		CHECK_EQ(event_base_dispatch(b), 1);
		n++;
	}
	event_base_free(b);
	return (void *)(long)n;
}
static void test_base_per_thread(void)
{
	arm("one base per thread");
	pthread_t th[4];
	atomic_store(&fired, 0);
	for (int i = 0; i < 4; i++) CHECK(pthread_create(&th[i], NULL, own_base, NULL) == 0);
	for (int i = 0; i < 4; i++) {
		void *r;
		CHECK(pthread_join(th[i], &r) == 0);
		EQ((long)r, 20);
	}
	EQ(atomic_load(&fired), 80);
	alarm(0);
}

int main(void)
{
	signal(SIGALRM, watchdog);
	EQ(evthread_use_pthreads(), 0);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	for (int k = 0; k < 2; k++) {
		struct event_config *cfg = event_config_new();
		if (k) event_config_avoid_method(cfg, "epoll");
		base = event_base_new_with_config(cfg);
		event_config_free(cfg);
		CHECK(base != NULL);
		EQ(evthread_make_base_notifiable(base), 0);
		EQ(evthread_make_base_notifiable(base), 0);      /* twice is fine */
		test_wakeups();
		test_del_waits();
		test_churn();
		event_base_free(base);
	}
	test_base_per_thread();
	close(sv[0]); close(sv[1]);
	libevent_global_shutdown();
	printf("core_threads: %d checks passed\n", checks);
	return 0;
}
