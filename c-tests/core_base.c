/* Bases: creation and configuration, methods and features, environment variables, version,
 * event_reinit() after fork(), priority set-up rules. */
#include <event2/event.h>
#include <event2/event_struct.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "check.h"

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

static int nlog, last_sev;
static char last_msg[512];
static void logcb(int sev, const char *msg)
{
	nlog++;
	last_sev = sev;
	snprintf(last_msg, sizeof last_msg, "%s", msg);
}

static const char *method_of(struct event_base *b) { return b ? event_base_get_method(b) : "NULL"; }

/* The method of a base whose choice would be epoll and that reads the environment: with
 * EVENT_IOURING set, event_rs takes its io_uring backend there instead (libevent ignores it). */
static int is_epoll_choice(struct event_base *b, const char *epoll_name)
{
	return strcmp(method_of(b), epoll_name) == 0 ||
	       (getenv("EVENT_IOURING") && strcmp(method_of(b), "io_uring") == 0);
}

/* A base with the given methods avoided, flags and features; returns its method name or "NULL". */
static struct event_base *make(const char *avoid1, const char *avoid2, const char *avoid3, int flags, int features)
{
	struct event_config *cfg = event_config_new();
	CHECK(cfg != NULL);
	if (avoid1) CHECK_EQ(event_config_avoid_method(cfg, avoid1), 0);
	if (avoid2) CHECK_EQ(event_config_avoid_method(cfg, avoid2), 0);
	if (avoid3) CHECK_EQ(event_config_avoid_method(cfg, avoid3), 0);
	for (int f = 1; f <= EVENT_BASE_FLAG_PRECISE_TIMER; f <<= 1)
		if (flags & f) CHECK_EQ(event_config_set_flag(cfg, f), 0);
	if (features) CHECK_EQ(event_config_require_features(cfg, features), 0);
	struct event_base *b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return b;
}

/* Exercise a base: a read event on a socketpair, a write event, two timers in deadline order. */
static int order[8], norder;
static void rec_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	order[norder++] = (int)(long)arg;
}
static void exercise(struct event_base *b)
{
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	norder = 0;
	struct event *r = event_new(b, sv[0], EV_READ, rec_cb, (void *)1L);
	struct event *w = event_new(b, sv[1], EV_WRITE, rec_cb, (void *)2L);
	struct event *t1 = evtimer_new(b, rec_cb, (void *)3L);
	struct event *t2 = evtimer_new(b, rec_cb, (void *)4L);
	struct timeval tv1 = { 0, 30000 }, tv2 = { 0, 10000 };
	EQ(event_add(r, NULL), 0);
	EQ(event_add(w, NULL), 0);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(norder, 1);
	EQ(order[0], 2);                 /* only the write side is ready */
	EQ(event_add(t1, &tv1), 0);
	EQ(event_add(t2, &tv2), 0);
	CHECK_EQ(write(sv[1], "z", 1), 1);
	EQ(event_base_dispatch(b), 1);   /* runs until no event is left */
	EQ(norder, 4);
	EQ(order[1], 1);
	EQ(order[2], 4);                 /* the 10 ms timer before the 30 ms one */
	EQ(order[3], 3);
	event_free(r); event_free(w); event_free(t1); event_free(t2);
	close(sv[0]); close(sv[1]);
}

static void test_methods(void)
{
	const char **m = event_get_supported_methods();
	OK(m != NULL);
	OK(m[0] && strcmp(m[0], "epoll") == 0);
	OK(m[1] && strcmp(m[1], "poll") == 0);
	OK(m[2] && strcmp(m[2], "select") == 0);
	OK(m[3] == NULL);

	struct event_base *b = event_base_new();
	OK(b != NULL);
	OK(is_epoll_choice(b, "epoll"));
	EQ(event_base_get_features(b), EV_FEATURE_ET | EV_FEATURE_O1 | EV_FEATURE_EARLY_CLOSE);
	exercise(b);
	event_base_free(b);

	b = event_base_new_with_config(NULL);   /* a NULL config means the defaults */
	OK(b != NULL && is_epoll_choice(b, "epoll"));
	event_base_free(b);

	b = make("epoll", NULL, NULL, 0, 0);
	OK(strcmp(method_of(b), "poll") == 0);
	EQ(event_base_get_features(b), EV_FEATURE_FDS | EV_FEATURE_EARLY_CLOSE);
	exercise(b);
	event_base_free(b);

	b = make("epoll", "poll", NULL, 0, 0);
	OK(strcmp(method_of(b), "select") == 0);
	EQ(event_base_get_features(b), EV_FEATURE_FDS);
	exercise(b);
	event_base_free(b);

	b = make("epoll", "nonexistent-method", NULL, 0, 0);   /* unknown names are accepted and ignored */
	OK(strcmp(method_of(b), "poll") == 0);
	event_base_free(b);

	nlog = 0;
	b = make("select", "poll", "epoll", 0, 0);
	OK(b == NULL);
	EQ(nlog, 1);                     /* "no event mechanism available" */
	EQ(last_sev, EVENT_LOG_WARN);

	/* require_features picks the first method that has them all. */
	b = make(NULL, NULL, NULL, 0, EV_FEATURE_ET);
	OK(is_epoll_choice(b, "epoll")); event_base_free(b);
	b = make(NULL, NULL, NULL, 0, EV_FEATURE_O1);
	OK(is_epoll_choice(b, "epoll")); event_base_free(b);
	b = make(NULL, NULL, NULL, 0, EV_FEATURE_EARLY_CLOSE);
	OK(is_epoll_choice(b, "epoll")); event_base_free(b);
	b = make(NULL, NULL, NULL, 0, EV_FEATURE_FDS);
	OK(strcmp(method_of(b), "poll") == 0);
	/* FDS: regular files and /dev/null can be watched */
	int fd = open("/dev/null", O_RDONLY);
	OK(fd >= 0);
	norder = 0;
	struct event *e = event_new(b, fd, EV_READ, rec_cb, (void *)7L);
	EQ(event_add(e, NULL), 0);
	EQ(event_base_dispatch(b), 1);
	EQ(norder, 1);
	EQ(order[0], 7);
	event_free(e);
	event_base_free(b);
	b = make("poll", NULL, NULL, 0, EV_FEATURE_FDS);
	OK(strcmp(method_of(b), "select") == 0); event_base_free(b);
	b = make(NULL, NULL, NULL, 0, EV_FEATURE_ET | EV_FEATURE_FDS);   /* no method has both */
	OK(b == NULL);
	b = make("epoll", NULL, NULL, 0, EV_FEATURE_ET);
	OK(b == NULL);

	/* epoll cannot watch /dev/null: event_add fails with a warning */
	b = event_base_new();
	e = event_new(b, fd, EV_READ, rec_cb, NULL);
	nlog = 0;
	EQ(event_add(e, NULL), -1);
	OK(nlog >= 1 && last_sev == EVENT_LOG_WARN);
	event_free(e);
	event_base_free(b);
	close(fd);
}

static void test_flags(void)
{
	static const int flags[] = { EVENT_BASE_FLAG_NOLOCK, EVENT_BASE_FLAG_IGNORE_ENV,
		EVENT_BASE_FLAG_NO_CACHE_TIME, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST,
		EVENT_BASE_FLAG_PRECISE_TIMER, EVENT_BASE_FLAG_NOLOCK | EVENT_BASE_FLAG_PRECISE_TIMER |
		EVENT_BASE_FLAG_NO_CACHE_TIME | EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST };
	for (unsigned i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		struct event_base *b = make(NULL, NULL, NULL, flags[i], 0);
		OK(b != NULL);
		if (flags[i] & EVENT_BASE_FLAG_IGNORE_ENV)
			OK(strcmp(event_base_get_method(b), "epoll") == 0);
		else if (flags[i] & EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST)
			OK(is_epoll_choice(b, "epoll (with changelist)"));
		else
			OK(is_epoll_choice(b, "epoll"));
		EQ(event_base_get_features(b), EV_FEATURE_ET | EV_FEATURE_O1 | EV_FEATURE_EARLY_CLOSE);
		exercise(b);
		event_base_free(b);
	}
	/* the changelist flag means nothing to poll */
	struct event_base *b = make("epoll", NULL, NULL, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST, 0);
	OK(strcmp(method_of(b), "poll") == 0);
	event_base_free(b);

	struct event_config *cfg = event_config_new();
	struct timeval tv = { 0, 5000 };
	EQ(event_config_set_max_dispatch_interval(cfg, &tv, 10, 1), 0);
	EQ(event_config_set_max_dispatch_interval(cfg, NULL, -1, 0), 0);
	EQ(event_config_set_num_cpus_hint(cfg, 2), 0);
	b = event_base_new_with_config(cfg);
	OK(b != NULL);
	exercise(b);
	event_base_free(b);
	event_config_free(cfg);
}

static void test_env(void)
{
	struct event_base *b;
	setenv("EVENT_NOEPOLL", "1", 1);
	b = event_base_new();
	OK(strcmp(method_of(b), "poll") == 0); event_base_free(b);
	b = make(NULL, NULL, NULL, EVENT_BASE_FLAG_IGNORE_ENV, 0);
	OK(strcmp(method_of(b), "epoll") == 0); event_base_free(b);

	setenv("EVENT_NOPOLL", "yes", 1);
	b = event_base_new();
	OK(strcmp(method_of(b), "select") == 0);
	exercise(b);
	event_base_free(b);
	b = make(NULL, NULL, NULL, EVENT_BASE_FLAG_IGNORE_ENV, 0);
	OK(strcmp(method_of(b), "epoll") == 0); event_base_free(b);

	setenv("EVENT_NOSELECT", "", 1);   /* set, even empty, counts */
	nlog = 0;
	b = event_base_new();
	OK(b == NULL);
	OK(nlog == 1 && last_sev == EVENT_LOG_WARN);
	b = make(NULL, NULL, NULL, EVENT_BASE_FLAG_IGNORE_ENV, 0);
	OK(strcmp(method_of(b), "epoll") == 0); event_base_free(b);

	unsetenv("EVENT_NOEPOLL");
	b = event_base_new();
	OK(is_epoll_choice(b, "epoll")); event_base_free(b);
	unsetenv("EVENT_NOPOLL");
	unsetenv("EVENT_NOSELECT");

	setenv("EVENT_EPOLL_USE_CHANGELIST", "1", 1);
	b = event_base_new();
	OK(is_epoll_choice(b, "epoll (with changelist)")); event_base_free(b);
	b = make(NULL, NULL, NULL, EVENT_BASE_FLAG_IGNORE_ENV, 0);
	OK(strcmp(method_of(b), "epoll") == 0); event_base_free(b);
	unsetenv("EVENT_EPOLL_USE_CHANGELIST");

	/* EVENT_SHOW_METHOD: a message naming the method, at EVENT_LOG_MSG */
	setenv("EVENT_SHOW_METHOD", "1", 1);
	nlog = 0;
	b = make("epoll", NULL, NULL, 0, 0);
	EQ(nlog, 1);
	EQ(last_sev, EVENT_LOG_MSG);
	OK(strstr(last_msg, "poll") != NULL);
	event_base_free(b);
	nlog = 0;
	b = make(NULL, NULL, NULL, EVENT_BASE_FLAG_IGNORE_ENV, 0);
	EQ(nlog, 1);                     /* libevent reads EVENT_SHOW_METHOD even with IGNORE_ENV */
	EQ(last_sev, EVENT_LOG_MSG);
	OK(strstr(last_msg, "epoll") != NULL);
	event_base_free(b);
	unsetenv("EVENT_SHOW_METHOD");
	nlog = 0;
	b = event_base_new();
	EQ(nlog, 0);
	event_base_free(b);
}

static void test_version(void)
{
	OK(strcmp(event_get_version(), "2.1.12-stable") == 0);
	EQ(event_get_version_number(), 0x02010c00);
	EQ(LIBEVENT_VERSION_NUMBER, 0x02010c00);
	OK(strcmp(LIBEVENT_VERSION, "2.1.12-stable") == 0);
}

static int nread_cb;
static void drain_cb(evutil_socket_t fd, short what, void *arg)
{
	char buf[64];
	(void)what; (void)arg;
	if (read(fd, buf, sizeof buf) > 0)
		nread_cb++;
}

static void test_fork(void)
{
	static const int flagsets[] = { 0, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST, -1 };
	for (int k = 0; k < 3; k++) {
		struct event_base *b = flagsets[k] < 0 ? make("epoll", NULL, NULL, 0, 0)
		                                       : make(NULL, NULL, NULL, flagsets[k], 0);
		int a[2], c[2];
		CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, a) == 0);
		CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, c) == 0);
		struct event *before = event_new(b, a[0], EV_READ | EV_PERSIST, drain_cb, NULL);
		EQ(event_add(before, NULL), 0);
		fflush(NULL);
		pid_t pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			/* child: reinit, then both the inherited event and a new one work */
			if (event_reinit(b) != 0) _exit(10);
			struct event *after = event_new(b, c[0], EV_READ | EV_PERSIST, drain_cb, NULL);
			if (event_add(after, NULL) != 0) _exit(11);
			if (write(a[1], "a", 1) != 1 || write(c[1], "c", 1) != 1) _exit(12);
			nread_cb = 0;
			while (nread_cb < 2)
				if (event_base_loop(b, EVLOOP_ONCE) != 0) _exit(13);
			event_free(after);
			event_free(before);
			event_base_free(b);
			_exit(0);
		}
		int status;
		CHECK(waitpid(pid, &status, 0) == pid);
		OK(WIFEXITED(status));
		EQ(WEXITSTATUS(status), 0);
		/* parent: its base still works; the child drained the byte it wrote on a[] */
		nread_cb = 0;
		CHECK_EQ(write(a[1], "p", 1), 1);
		EQ(event_base_loop(b, EVLOOP_ONCE), 0);
		EQ(nread_cb, 1);
		event_free(before);
		event_base_free(b);
		close(a[0]); close(a[1]); close(c[0]); close(c[1]);
	}
}

static void nop_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

static void test_priorities(void)
{
	struct event_base *b = event_base_new();
	EQ(event_base_get_npriorities(b), 1);
	struct event *e1 = evtimer_new(b, nop_cb, NULL);
	EQ(event_get_priority(e1), 0);
	EQ(event_base_priority_init(b, 0), -1);
	EQ(event_base_priority_init(b, -1), -1);
	EQ(event_base_priority_init(b, EVENT_MAX_PRIORITIES), -1);
	EQ(event_base_priority_init(b, EVENT_MAX_PRIORITIES + 1), -1);
	EQ(event_base_get_npriorities(b), 1);
	EQ(event_base_priority_init(b, EVENT_MAX_PRIORITIES - 1), 0);
	EQ(event_base_get_npriorities(b), EVENT_MAX_PRIORITIES - 1);
	EQ(event_base_priority_init(b, 1), 0);
	EQ(event_base_get_npriorities(b), 1);
	EQ(event_base_priority_init(b, 5), 0);
	EQ(event_base_get_npriorities(b), 5);
	/* new events get the middle priority, existing ones keep theirs */
	struct event *e2 = evtimer_new(b, nop_cb, NULL);
	EQ(event_get_priority(e2), 2);
	EQ(event_get_priority(e1), 0);
	EQ(event_priority_set(e2, 4), 0);
	EQ(event_get_priority(e2), 4);
	EQ(event_priority_set(e2, 5), -1);
	EQ(event_priority_set(e2, -1), -1);
	EQ(event_get_priority(e2), 4);
	EQ(event_priority_set(e2, 0), 0);
	/* not while something is active */
	event_active(e1, EV_TIMEOUT, 0);
	EQ(event_base_priority_init(b, 3), -1);
	EQ(event_base_get_npriorities(b), 5);
	EQ(event_priority_set(e1, 1), -1);   /* an active event keeps its priority */
	EQ(event_get_priority(e1), 0);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 1);
	EQ(event_base_priority_init(b, 3), 0);
	EQ(event_priority_set(e1, 1), 0);
	/* events added (not active) do not prevent it */
	struct timeval tv = { 10, 0 };
	EQ(event_add(e2, &tv), 0);
	EQ(event_base_priority_init(b, 4), 0);
	EQ(event_priority_set(e2, 3), 0);   /* a pending, not active, event can change */
	event_free(e1);
	event_free(e2);
	event_base_free(b);
}

int main(void)
{
	event_set_log_callback(logcb);
	unsetenv("EVENT_NOEPOLL"); unsetenv("EVENT_NOPOLL"); unsetenv("EVENT_NOSELECT");
	unsetenv("EVENT_SHOW_METHOD"); unsetenv("EVENT_EPOLL_USE_CHANGELIST");
	test_version();
	test_methods();
	test_flags();
	test_env();
	test_fork();
	test_priorities();
	event_set_log_callback(NULL);
	printf("core_base: %d checks passed\n", checks);
	return 0;
}
