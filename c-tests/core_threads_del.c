/* event_del from another thread while a persistent event's callback runs on the loop thread:
 * the delete waits for that one running callback, and once event_del returns the callback is
 * not running and does not run again, even though the event's fd stays ready and the loop
 * keeps going. Repeated for an I/O event and a timer. A watchdog turns a delete that never gets in into a failure instead of a hang. */
#include <event2/event.h>
#include <event2/thread.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "check.h"

static const char *stage = "start";
static void watchdog(int sig)
{
	(void)sig;
	static const char msg[] = "core_threads_del: watchdog fired in: ";
	CHECK(write(2, msg, sizeof msg - 1) >= 0);
	CHECK(write(2, stage, strlen(stage)) >= 0);
	CHECK(write(2, "\n", 1) == 1);
	_exit(1);
}

static struct event_base *base;
static struct event *ev;
static atomic_int running, runs;

static void busy_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	atomic_store(&running, 1);
	atomic_fetch_add(&runs, 1);
	usleep(2000);
	atomic_store(&running, 0);
}

/* Keeps the loop iterating after the delete, so a callback run that sneaks in would be seen. */
static void tick_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

struct round { int before_del, after_del, running_at_return; };

static void *deleter(void *arg)
{
	struct round *r = arg;
	while (atomic_load(&runs) < 3 || !atomic_load(&running))
		usleep(100);
	r->before_del = atomic_load(&runs);
	CHECK_EQ(event_del(ev), 0);
	r->running_at_return = atomic_load(&running);
	r->after_del = atomic_load(&runs);
	usleep(50000);              /* the loop goes on meanwhile: the event must stay quiet */
	CHECK_EQ(atomic_load(&runs), r->after_del);
	CHECK_EQ(event_pending(ev, EV_READ | EV_TIMEOUT, NULL), 0);
	CHECK_EQ(event_base_loopbreak(base), 0);
	return NULL;
}

static void run_round(const char *name, int fd, short events, int with_timeout)
{
	stage = name;
	alarm(20);
	atomic_store(&running, 0);
	atomic_store(&runs, 0);
	ev = event_new(base, fd, events, busy_cb, NULL);
	CHECK(ev != NULL);
	struct timeval tiny = { 0, 1 }, ms = { 0, 1000 };
	CHECK_EQ(event_add(ev, with_timeout ? &tiny : NULL), 0);
	struct event *tick = event_new(base, -1, EV_PERSIST, tick_cb, NULL);
	CHECK_EQ(event_add(tick, &ms), 0);
	struct round r;
	memset(&r, 0, sizeof r);
	pthread_t t;
	CHECK_EQ(pthread_create(&t, NULL, deleter, &r), 0);
	CHECK(event_base_dispatch(base) >= 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(r.running_at_return, 0);
	CHECK_EQ(atomic_load(&runs), r.after_del);
	event_free(tick);
	event_free(ev);
	alarm(0);
	CHECK_EQ(r.after_del, r.before_del);    /* only the callback already running finished */
	printf("%s: ok\n", name);
}

int main(void)
{
	signal(SIGALRM, watchdog);
	CHECK_EQ(evthread_use_pthreads(), 0);
	base = event_base_new();
	CHECK(base != NULL);
	int sv[2];
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(write(sv[1], "x", 1), 1);  /* never read: sv[0] stays readable */
	for (int i = 0; i < 5; i++) {
		run_round("persistent read", sv[0], EV_READ | EV_PERSIST, 0);
		run_round("persistent 1 us timer", -1, EV_PERSIST, 1);
	}
	event_base_free(base);
	close(sv[0]);
	close(sv[1]);
	return 0;
}
