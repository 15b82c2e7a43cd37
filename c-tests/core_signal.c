/* Signal events: evsignal_new and friends, many signals, several events per signal, one call
 * per arrival, previous handlers restored on delete, event_base_active_by_signal, and which
 * base receives a signal when there are several. */
#include <event2/event.h>
#include <event2/event_struct.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

static int calls[64];          /* per id */
static int last_fd[64];
static short last_what[64];
static void sig_cb(evutil_socket_t fd, short what, void *arg)
{
	int id = (int)(long)arg;
	calls[id]++;
	last_fd[id] = fd;
	last_what[id] = what;
}
static void reset(void) { memset(calls, 0, sizeof calls); }

static volatile sig_atomic_t my_handler_hits;
static void my_handler(int sig) { (void)sig; my_handler_hits++; }

static void handler_of(int sig, struct sigaction *out) { CHECK(sigaction(sig, NULL, out) == 0); }

static void test_basic(struct event_base *b)
{
	reset();
	struct event *e = evsignal_new(b, SIGUSR1, sig_cb, (void *)1L);
	OK(e != NULL);
	EQ(event_get_events(e), EV_SIGNAL | EV_PERSIST);
	EQ(event_get_signal(e), SIGUSR1);
	EQ(evsignal_pending(e, NULL), 0);
	EQ(evsignal_add(e, NULL), 0);
	EQ(evsignal_pending(e, NULL), EV_SIGNAL);
	EQ(event_pending(e, EV_READ | EV_WRITE | EV_TIMEOUT, NULL), 0);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(calls[1], 0);
	raise(SIGUSR1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[1], 1);
	EQ(last_fd[1], SIGUSR1);
	EQ(last_what[1], EV_SIGNAL);
	EQ(evsignal_pending(e, NULL), EV_SIGNAL);        /* persistent */

	/* raised three times before the loop runs: three calls */
	reset();
	raise(SIGUSR1); raise(SIGUSR1); raise(SIGUSR1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[1], 3);

	/* several events on one signal, one of them not persistent: it is called once per
	 * arrival of that round, then is no longer pending */
	reset();
	struct event *e2 = evsignal_new(b, SIGUSR1, sig_cb, (void *)2L);
	struct event *once = event_new(b, SIGUSR1, EV_SIGNAL, sig_cb, (void *)3L);
	EQ(event_add(e2, NULL), 0);
	EQ(event_add(once, NULL), 0);
	raise(SIGUSR1); raise(SIGUSR1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[1], 2);
	EQ(calls[2], 2);
	EQ(calls[3], 2);
	EQ(event_pending(once, EV_SIGNAL, NULL), 0);
	reset();
	raise(SIGUSR1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[1], 1);
	EQ(calls[2], 1);
	EQ(calls[3], 0);
	/* deleting one keeps the other */
	EQ(event_del(e2), 0);
	reset();
	raise(SIGUSR1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[1], 1);
	EQ(calls[2], 0);

	/* a signal with a timeout: the timeout fires with EV_TIMEOUT */
	reset();
	struct timeval tv = { 0, 10000 };
	EQ(event_add(once, &tv), 0);
	EQ(event_pending(once, EV_SIGNAL | EV_TIMEOUT, NULL), EV_SIGNAL | EV_TIMEOUT);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[3], 1);
	EQ(last_what[3], EV_TIMEOUT);

	/* event_base_active_by_signal: the signal's events run once, without a signal */
	reset();
	EQ(event_add(e2, NULL), 0);
	event_base_active_by_signal(b, SIGUSR1);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(calls[1], 1);
	EQ(calls[2], 1);
	EQ(last_what[1], EV_SIGNAL);
	event_base_active_by_signal(b, SIGUSR2);           /* nobody watches it */
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(calls[1], 1);
	/* event_active on a signal event: ncalls is the number of calls */
	reset();
	event_active(e2, EV_SIGNAL, 3);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(calls[2], 3);
	EQ(calls[1], 0);
	event_free(e); event_free(e2); event_free(once);
}

static void test_many(struct event_base *b)
{
	const int sigs[] = { SIGUSR1, SIGUSR2, SIGHUP, SIGALRM, SIGTERM, SIGINT, SIGPIPE,
		SIGCHLD, SIGWINCH, SIGURG, SIGRTMIN, SIGRTMIN + 1, SIGRTMIN + 2 };
	enum { N = sizeof sigs / sizeof sigs[0] };
	struct event *e[N];
	reset();
	for (int i = 0; i < N; i++) {
		e[i] = evsignal_new(b, sigs[i], sig_cb, (void *)(long)i);
		EQ(evsignal_add(e[i], NULL), 0);
	}
	for (int i = 0; i < N; i++)
		for (int k = 0; k <= i % 3; k++)
			raise(sigs[i]);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	for (int i = 0; i < N; i++) {
		EQ(calls[i], i % 3 + 1);
		EQ(last_fd[i], sigs[i]);
	}
	for (int i = 0; i < N; i++) event_free(e[i]);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 1);        /* nothing left */
}

static void test_restore(struct event_base *b)
{
	struct sigaction sa, cur;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = my_handler;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
	sa.sa_handler = SIG_IGN;
	CHECK(sigaction(SIGHUP, &sa, NULL) == 0);
	sa.sa_handler = SIG_DFL;
	CHECK(sigaction(SIGWINCH, &sa, NULL) == 0);

	reset();
	my_handler_hits = 0;
	struct event *u2 = evsignal_new(b, SIGUSR2, sig_cb, (void *)1L);
	struct event *u2b = evsignal_new(b, SIGUSR2, sig_cb, (void *)2L);
	struct event *hup = evsignal_new(b, SIGHUP, sig_cb, (void *)3L);
	struct event *win = evsignal_new(b, SIGWINCH, sig_cb, (void *)4L);
	EQ(evsignal_add(u2, NULL), 0);
	EQ(evsignal_add(u2b, NULL), 0);
	EQ(evsignal_add(hup, NULL), 0);
	EQ(evsignal_add(win, NULL), 0);
	handler_of(SIGUSR2, &cur);
	OK(cur.sa_handler != my_handler);                 /* libevent's handler is in place */
	handler_of(SIGHUP, &cur);
	OK(cur.sa_handler != SIG_IGN);
	raise(SIGUSR2); raise(SIGHUP); raise(SIGWINCH);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[1], 1); EQ(calls[2], 1); EQ(calls[3], 1); EQ(calls[4], 1);
	EQ(my_handler_hits, 0);

	/* the previous handler comes back when the last event on the signal goes */
	EQ(event_del(u2), 0);
	handler_of(SIGUSR2, &cur);
	OK(cur.sa_handler != my_handler);                 /* u2b still watches it */
	EQ(event_del(u2b), 0);
	handler_of(SIGUSR2, &cur);
	OK(cur.sa_handler == my_handler);
	raise(SIGUSR2);
	EQ(my_handler_hits, 1);
	EQ(event_del(hup), 0);
	handler_of(SIGHUP, &cur);
	OK(cur.sa_handler == SIG_IGN);
	raise(SIGHUP);                                     /* ignored: harmless */
	event_free(win);                                   /* event_free deletes too */
	handler_of(SIGWINCH, &cur);
	OK(cur.sa_handler == SIG_DFL);
	reset();
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 1);
	EQ(calls[1] + calls[2] + calls[3], 0);

	/* re-adding installs libevent's handler again */
	EQ(evsignal_add(u2, NULL), 0);
	raise(SIGUSR2);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[1], 1);
	EQ(my_handler_hits, 1);
	event_free(u2);                                    /* freeing an added event restores too */
	handler_of(SIGUSR2, &cur);
	OK(cur.sa_handler == my_handler);
	event_free(u2b); event_free(hup);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* several bases: the one whose loop runs receives the signals */
static void raise_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	raise((int)(long)arg);
}
static int nlog, last_sev;
static void logcb(int sev, const char *msg) { (void)msg; nlog++; last_sev = sev; }
static void test_two_bases(void)
{
	struct event_base *b1 = event_base_new(), *b2 = event_base_new();
	reset();
	struct event *s1 = evsignal_new(b1, SIGUSR1, sig_cb, (void *)1L);
	struct event *s2 = evsignal_new(b2, SIGUSR2, sig_cb, (void *)2L);
	nlog = 0;
	EQ(evsignal_add(s1, NULL), 0);
	EQ(nlog, 0);
	EQ(evsignal_add(s2, NULL), 0);                     /* libevent warns: b1 has signals too */
	EQ(nlog, 1);
	EQ(last_sev, EVENT_LOG_WARN);
	for (int round = 0; round < 2; round++) {
		EQ(event_base_once(b1, -1, EV_TIMEOUT, raise_cb, (void *)(long)SIGUSR1, NULL), 0);
		EQ(event_base_loop(b1, EVLOOP_ONCE), 0);        /* runs raise_cb */
		EQ(event_base_loop(b1, EVLOOP_ONCE), 0);        /* the signal arrives */
		EQ(calls[1], round + 1);
		EQ(event_base_once(b2, -1, EV_TIMEOUT, raise_cb, (void *)(long)SIGUSR2, NULL), 0);
		EQ(event_base_loop(b2, EVLOOP_ONCE), 0);
		EQ(event_base_loop(b2, EVLOOP_ONCE), 0);
		EQ(calls[2], round + 1);
	}
	event_free(s1);
	event_free(s2);
	event_base_free(b1);
	event_base_free(b2);
}

/* an event deleting itself and another signal event from its callback */
static struct event *victim;
static void del_cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *self = arg;
	sig_cb(fd, what, (void *)10L);
	CHECK_EQ(event_del(self), 0);
	if (victim) { event_free(victim); victim = NULL; }
}
static void test_del_in_cb(struct event_base *b)
{
	reset();
	struct event *e = evsignal_new(b, SIGUSR1, del_cb, event_self_cbarg());
	victim = evsignal_new(b, SIGUSR2, sig_cb, (void *)11L);
	EQ(evsignal_add(e, NULL), 0);
	EQ(evsignal_add(victim, NULL), 0);
	raise(SIGUSR1); raise(SIGUSR1); raise(SIGUSR1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[10], 1);                                  /* deleted: the other arrivals are dropped */
	EQ(calls[11], 0);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 1);
	event_free(e);
}

int main(void)
{
	for (int k = 0; k < 2; k++) {
		struct event_config *cfg = event_config_new();
		if (k) event_config_avoid_method(cfg, "epoll");
		struct event_base *b = event_base_new_with_config(cfg);
		event_config_free(cfg);
		test_basic(b);
		test_many(b);
		test_restore(b);
		test_del_in_cb(b);
		event_base_free(b);
	}
	event_set_log_callback(logcb);
	test_two_bases();
	event_set_log_callback(NULL);
	printf("core_signal: %d checks passed\n", checks);
	return 0;
}
