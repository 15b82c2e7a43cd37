/* The io_uring backend (event_rs only; libevent ignores what asks for it and uses epoll):
 * chosen by EVENT_IOURING or EVENT_BASE_FLAG_IO_URING where the kernel allows it; with it,
 * level-triggered readiness is reported again while it holds, EV_ET once per arrival,
 * EV_CLOSED, EV_WRITE, timeouts, signals, a descriptor (socket or eventfd) closed and its
 * number reused within one iteration, a wake-up from another thread, several bases, and event_reinit() after fork(). */
#include <event2/event.h>
#include <event2/thread.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "check.h"
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

/* Whether this kernel gives the ring the backend needs (else event_rs falls back to epoll). */
static int kernel_has_uring(void)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	int fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (fd < 0)
		return 0;
	close(fd);
	unsigned need = IORING_FEAT_NODROP | IORING_FEAT_EXT_ARG | IORING_FEAT_RSRC_TAGS;
	return (p.features & need) == need;
}

static int nwarn;
static void quiet_log(int sev, const char *msg)
{
	(void)msg;
	if (sev == EVENT_LOG_WARN)
		nwarn++;
}

static const char *expected;   /* the method a base that asks for io_uring gets */

static int ncalls;
static short last_what;
static void count_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)arg;
	ncalls++;
	last_what = what;
}

/* Reads one byte per call: level-triggered readiness must come back while bytes remain. */
static void read_one_cb(evutil_socket_t fd, short what, void *arg)
{
	char c;
	(void)what; (void)arg;
	if (read(fd, &c, 1) == 1)
		ncalls++;
}

static void pair(int sv[2])
{
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	evutil_make_socket_nonblocking(sv[0]);
	evutil_make_socket_nonblocking(sv[1]);
}

static void test_choice(void)
{
	struct event_base *b = event_base_new();
	OK(b != NULL);
	OK(strcmp(event_base_get_method(b), expected) == 0);
	EQ(event_base_get_features(b), EV_FEATURE_ET | EV_FEATURE_O1 | EV_FEATURE_EARLY_CLOSE);
	event_base_free(b);

	/* EVENT_BASE_FLAG_IGNORE_ENV: the variable is not read. */
	struct event_config *cfg = event_config_new();
	EQ(event_config_set_flag(cfg, EVENT_BASE_FLAG_IGNORE_ENV), 0);
	b = event_base_new_with_config(cfg);
	OK(b != NULL && strcmp(event_base_get_method(b), "epoll") == 0);
	event_base_free(b);
	event_config_free(cfg);

	/* The variable asks for io_uring in epoll's place: avoiding epoll keeps libevent's choice. */
	cfg = event_config_new();
	EQ(event_config_avoid_method(cfg, "epoll"), 0);
	b = event_base_new_with_config(cfg);
	OK(b != NULL && strcmp(event_base_get_method(b), "poll") == 0);
	event_base_free(b);
	event_config_free(cfg);

#ifdef EVENT_RS_HAVE_IO_URING
	/* The flag asks without the variable; avoiding "io_uring" wins over it. */
	unsetenv("EVENT_IOURING");
	cfg = event_config_new();
	EQ(event_config_set_flag(cfg, EVENT_BASE_FLAG_IO_URING), 0);
	b = event_base_new_with_config(cfg);
	OK(b != NULL && strcmp(event_base_get_method(b), expected) == 0);
	event_base_free(b);
	EQ(event_config_avoid_method(cfg, "io_uring"), 0);
	b = event_base_new_with_config(cfg);
	OK(b != NULL && strcmp(event_base_get_method(b), "epoll") == 0);
	event_base_free(b);
	event_config_free(cfg);
	b = event_base_new();
	OK(b != NULL && strcmp(event_base_get_method(b), "epoll") == 0);
	event_base_free(b);
	setenv("EVENT_IOURING", "1", 1);
#endif
}

static void test_level_edge(struct event_base *b)
{
	int sv[2];
	pair(sv);
	/* Level: three bytes, one read per callback, three callbacks over three iterations. */
	struct event *lev = event_new(b, sv[0], EV_READ | EV_PERSIST, read_one_cb, NULL);
	EQ(event_add(lev, NULL), 0);
	ncalls = 0;
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(ncalls, 0);
	EQ(write(sv[1], "abc", 3), 3);
	for (int i = 0; i < 10 && ncalls < 3; i++)
		EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(ncalls, 3);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(ncalls, 3);
	event_free(lev);

	/* Edge: one callback per arrival, none for bytes left unread. */
	struct event *et = event_new(b, sv[0], EV_READ | EV_ET | EV_PERSIST, count_cb, NULL);
	EQ(event_add(et, NULL), 0);
	ncalls = 0;
	EQ(write(sv[1], "x", 1), 1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(ncalls, 1);
	OK(last_what & EV_READ);
	for (int i = 0; i < 3; i++)
		EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(ncalls, 1);
	EQ(write(sv[1], "y", 1), 1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(ncalls, 2);
	event_free(et);

	/* Write: ready at once, and again while it stays writable (level). */
	struct event *w = event_new(b, sv[0], EV_WRITE | EV_PERSIST, count_cb, NULL);
	EQ(event_add(w, NULL), 0);
	ncalls = 0;
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(ncalls, 2);
	OK(last_what == EV_WRITE);
	event_free(w);

	/* EV_CLOSED: the peer's close is reported as such. */
	struct event *c = event_new(b, sv[0], EV_CLOSED | EV_PERSIST, count_cb, NULL);
	EQ(event_add(c, NULL), 0);
	ncalls = 0;
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(ncalls, 0);
	close(sv[1]);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(ncalls, 1);
	OK(last_what & EV_CLOSED);
	event_free(c);
	close(sv[0]);

	/* A descriptor the kernel cannot poll (closed, or a regular file) fails event_add, with a
	 * warning, as with epoll. */
	int p[2];
	CHECK(pipe(p) == 0);
	close(p[1]);
	struct event *bad = event_new(b, p[1], EV_READ, count_cb, NULL);
	nwarn = 0;
	event_set_log_callback(quiet_log);
	EQ(event_add(bad, NULL), -1);
	EQ(nwarn, 1);
	event_free(bad);
	FILE *f = tmpfile();
	bad = event_new(b, fileno(f), EV_READ, count_cb, NULL);
	EQ(event_add(bad, NULL), -1);
	EQ(nwarn, 2);
	event_set_log_callback(NULL);
	event_free(bad);
	fclose(f);
	close(p[0]);
}

static void test_timeout_signal(struct event_base *b)
{
	struct timeval tv = { 0, 20000 };
	struct event *t = evtimer_new(b, count_cb, NULL);
	EQ(evtimer_add(t, &tv), 0);
	ncalls = 0;
	EQ(event_base_dispatch(b), 1);
	EQ(ncalls, 1);
	EQ(last_what, EV_TIMEOUT);
	event_free(t);

	struct event *s = evsignal_new(b, SIGUSR1, count_cb, NULL);
	EQ(evsignal_add(s, NULL), 0);
	ncalls = 0;
	raise(SIGUSR1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(ncalls, 1);
	EQ(last_what, EV_SIGNAL);
	event_free(s);
}

/* In a callback: a watched, idle descriptor (its request in flight) is closed, its number taken
 * by a new one, and a new event added on it; the new descriptor's data must be reported. The
 * callback runs for another descriptor, or for the replaced one itself. */
static struct event *old_ev, *reused_ev;
static int watched_fd, reuse_peer = -1, reused_calls, reuse_eventfd;
static void reused_cb(evutil_socket_t fd, short what, void *arg)
{
	char c[8];
	(void)what; (void)arg;
	if (reuse_eventfd ? read(fd, c, 8) == 8 : read(fd, c, 1) == 1 && c[0] == 'n')
		reused_calls++;
}
static void reuse_cb(evutil_socket_t fd, short what, void *arg)
{
	int sv[2];
	char c;
	(void)what; (void)arg;
	if (fd != watched_fd)
		CHECK(read(fd, &c, 1) == 1);
	event_del(old_ev);
	close(watched_fd);
	if (reuse_eventfd) {
		sv[0] = eventfd(0, EFD_NONBLOCK);
		sv[1] = -1;
		CHECK(sv[0] >= 0);
	} else {
		pair(sv);
	}
	if (sv[0] != watched_fd) {   /* make the new descriptor take the old number */
		CHECK(dup2(sv[0], watched_fd) == watched_fd);
		close(sv[0]);
	}
	reuse_peer = sv[1];
	reused_ev = event_new(event_get_base(old_ev), watched_fd, EV_READ | EV_PERSIST, reused_cb, NULL);
	CHECK(event_add(reused_ev, NULL) == 0);
	if (reuse_eventfd) {
		uint64_t one = 1;
		CHECK(write(watched_fd, &one, 8) == 8);
	} else {
		CHECK(write(reuse_peer, "n", 1) == 1);
	}
}

static void test_reuse(struct event_base *b)
{
	for (int k = 0; k < 4; k++) {
		int self = k & 1, sv[2], t[2];
		reuse_eventfd = k >> 1;
		/* The old descriptor: a socket, or an eventfd (all eventfds share one inode). */
		if (reuse_eventfd) {
			sv[0] = eventfd(0, EFD_NONBLOCK);
			sv[1] = -1;
		} else {
			pair(sv);
		}
		watched_fd = sv[0];
		pair(t);
		old_ev = event_new(b, sv[0], EV_READ | EV_PERSIST, self ? reuse_cb : count_cb, NULL);
		struct event *trigger = event_new(b, t[0], EV_READ, reuse_cb, NULL);
		EQ(event_add(old_ev, NULL), 0);
		EQ(event_add(trigger, NULL), 0);
		EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);   /* the idle descriptor's request is in */
		if (!self)
			EQ(write(t[1], "t", 1), 1);
		else if (reuse_eventfd) {
			uint64_t one = 1;
			EQ(write(sv[0], &one, 8), 8);
		} else
			EQ(write(sv[1], "o", 1), 1);
		reused_calls = 0;
		for (int i = 0; i < 10 && reused_calls == 0; i++) {
			struct timeval tv = { 0, 200000 };   /* a lost report fails, not hangs */
			event_base_loopexit(b, &tv);
			EQ(event_base_loop(b, EVLOOP_ONCE), 0);
		}
		EQ(reused_calls, 1);
		event_free(old_ev);
		event_free(trigger);
		event_free(reused_ev);
		close(sv[0]);   /* the number now held by the new descriptor */
		if (sv[1] >= 0)
			close(sv[1]);
		if (reuse_peer >= 0)
			close(reuse_peer);
		close(t[0]);
		close(t[1]);
	}
}

/* Another thread adds an event and makes its descriptor readable while the loop waits with no
 * timeout: the base's notification must interrupt the wait. */
struct waker { struct event_base *b; struct event *ev; int fd; };
static void *waker_main(void *arg)
{
	struct waker *w = arg;
	usleep(50000);
	CHECK(event_add(w->ev, NULL) == 0);
	CHECK(write(w->fd, "t", 1) == 1);
	return NULL;
}

static void test_thread(void)
{
	struct event_base *b = event_base_new();
	OK(strcmp(event_base_get_method(b), expected) == 0);
	int sv[2];
	pair(sv);
	struct waker w = { b, event_new(b, sv[0], EV_READ, count_cb, NULL), sv[1] };
	struct event *keep = event_new(b, -1, EV_PERSIST, count_cb, NULL);
	struct timeval far = { 3600, 0 };
	EQ(event_add(keep, &far), 0);   /* keeps the loop waiting */
	pthread_t t;
	ncalls = 0;
	CHECK(pthread_create(&t, NULL, waker_main, &w) == 0);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	pthread_join(t, NULL);
	for (int i = 0; i < 10 && ncalls == 0; i++)
		EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(ncalls, 1);
	EQ(last_what, EV_READ);
	event_free(w.ev);
	event_free(keep);
	event_base_free(b);
	close(sv[0]);
	close(sv[1]);
}

static void test_two_bases(void)
{
	struct event_base *b1 = event_base_new(), *b2 = event_base_new();
	int s1[2], s2[2];
	pair(s1);
	pair(s2);
	struct event *e1 = event_new(b1, s1[0], EV_READ, count_cb, NULL);
	struct event *e2 = event_new(b2, s2[0], EV_READ, count_cb, NULL);
	EQ(event_add(e1, NULL), 0);
	EQ(event_add(e2, NULL), 0);
	ncalls = 0;
	EQ(write(s2[1], "2", 1), 1);
	EQ(event_base_loop(b1, EVLOOP_NONBLOCK), 0);
	EQ(ncalls, 0);
	EQ(event_base_loop(b2, EVLOOP_ONCE), 0);
	EQ(ncalls, 1);
	EQ(write(s1[1], "1", 1), 1);
	EQ(event_base_loop(b1, EVLOOP_ONCE), 0);
	EQ(ncalls, 2);
	event_free(e1);
	event_free(e2);
	event_base_free(b1);
	event_base_free(b2);
	close(s1[0]); close(s1[1]); close(s2[0]); close(s2[1]);
}

/* fork(): the child's event_reinit() gives it its own backend; both processes then see their
 * own readiness, level-triggered, and the parent's base is unharmed. */
static void test_fork(void)
{
	struct event_base *b = event_base_new();
	int sv[2];
	pair(sv);
	struct event *e = event_new(b, sv[0], EV_READ | EV_PERSIST, read_one_cb, NULL);
	EQ(event_add(e, NULL), 0);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	fflush(NULL);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		CHECK(event_reinit(b) == 0);
		CHECK(strcmp(event_base_get_method(b), expected) == 0);
		ncalls = 0;
		CHECK(write(sv[1], "cc", 2) == 2);
		for (int i = 0; i < 10 && ncalls < 2; i++)
			CHECK(event_base_loop(b, EVLOOP_ONCE) == 0);
		CHECK(ncalls == 2);
		event_free(e);
		event_base_free(b);
		_exit(0);
	}
	int status;
	CHECK(waitpid(pid, &status, 0) == pid);
	OK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ncalls = 0;
	EQ(write(sv[1], "p", 1), 1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(ncalls, 1);
	event_free(e);
	event_base_free(b);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	CHECK(evthread_use_pthreads() == 0);
	setenv("EVENT_IOURING", "1", 1);
#ifdef EVENT_RS_HAVE_IO_URING
	expected = kernel_has_uring() ? "io_uring" : "epoll";
#else
	expected = "epoll";   /* libevent has no io_uring backend */
#endif
	test_choice();
	struct event_base *b = event_base_new();
	OK(strcmp(event_base_get_method(b), expected) == 0);
	test_level_edge(b);
	test_timeout_signal(b);
	test_reuse(b);
	event_base_free(b);
	/* Valgrind (3.19) runs io_uring_enter holding its one lock: while the loop waits no other
	 * thread of the program runs, so no thread can wake it. Not so outside valgrind. */
	if (!RUNNING_ON_VALGRIND || strcmp(expected, "io_uring") != 0)
		test_thread();
	test_two_bases();
	test_fork();
	printf("core_iouring: %d checks passed (%s)\n", checks, expected);
	return 0;
}
