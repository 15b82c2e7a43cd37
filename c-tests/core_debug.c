/* Debugging and logs: log callback and the default logger, debug logging, the fatal callback
 * (fatal errors only in forked children), custom memory functions, debug mode with
 * event_debug_unassign and with finalizers, libevent_global_shutdown. Anything global that
 * must come before the first base (memory functions, debug mode) runs in a fresh child
 * process. */
#include <event2/event.h>
#include <event2/event_struct.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
#include "check.h"

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

static int nlog, nsev[4], last_sev;
static char last_msg[512];
static void logcb(int sev, const char *msg)
{
	nlog++;
	if (sev >= 0 && sev < 4) nsev[sev]++;
	last_sev = sev;
	snprintf(last_msg, sizeof last_msg, "%s", msg);
}
static void clear_log(void) { nlog = 0; memset(nsev, 0, sizeof nsev); last_sev = -1; last_msg[0] = 0; }

static void cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

/* ---- a child process: run fn, report its exit ---- */
static int run_child(void (*fn)(void), int *sig)
{
	fflush(NULL);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		alarm(60);
		fn();
		_exit(0);
	}
	int st;
	CHECK(waitpid(pid, &st, 0) == pid);
	*sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- custom memory functions ---- */
#define MAXBLK 4096
static void *blk[MAXBLK];
static size_t blksz[MAXBLK];
static long n_malloc, n_realloc, n_free, live;
static int find(void *p) { for (int i = 0; i < MAXBLK; i++) if (blk[i] == p) return i; return -1; }
static void track(void *p, size_t n) { int i = find(NULL); if (i < 0) _exit(90); blk[i] = p; blksz[i] = n; live++; }
static void untrack(void *p) { int i = find(p); if (i < 0) _exit(91); blk[i] = NULL; live--; }
static void *my_malloc(size_t n) { void *p = malloc(n); if (p) { n_malloc++; track(p, n); } return p; }
static void *my_realloc(void *old, size_t n)
{
	if (old) untrack(old);
	void *p = realloc(old, n);
	n_realloc++;
	if (p) track(p, n);
	else if (old) track(old, 0);
	return p;
}
static void my_free(void *p) { if (p) { untrack(p); n_free++; } free(p); }

static void child_mem(void)
{
	event_set_mem_functions(my_malloc, my_realloc, my_free);
	event_set_log_callback(logcb);
	struct event_base *b = event_base_new();
	if (!b) _exit(10);
	if (n_malloc == 0 || live == 0) _exit(23);   /* the base is allocated through them */
	long before = live, mallocs = n_malloc;
	struct event *e = event_new(b, -1, 0, cb, NULL);
	if (!e) _exit(11);
	int i = find(e);
	if (i < 0) _exit(12);                       /* the event is a block from our malloc */
	if (blksz[i] < sizeof(struct event)) _exit(13);
	if (n_malloc != mallocs + 1) _exit(14);     /* one block */
	event_free(e);
	if (find(e) >= 0) _exit(15);                /* freed through our free */
	if (live != before) _exit(16);
	/* some churn: timers, I/O, once events; everything comes back when the base goes */
	struct event *t[50];
	struct timeval tv = { 0, 1000 };
	for (int k = 0; k < 50; k++) {
		t[k] = evtimer_new(b, cb, NULL);
		if (event_add(t[k], &tv) != 0) _exit(17);
	}
	if (event_base_once(b, -1, EV_TIMEOUT, cb, NULL, &tv) != 0) _exit(18);
	if (event_base_dispatch(b) != 1) _exit(19);
	for (int k = 0; k < 50; k++) event_free(t[k]);
	event_base_free(b);
	libevent_global_shutdown();
	if (live != 0) _exit(20);                   /* nothing of ours is left */
	if (n_free == 0) _exit(21);
	if (nlog != 0) _exit(22);
}

/* ---- debug mode ---- */
static int fatal_err;
static void fatal_cb(int err)
{
	fatal_err = err;
	/* report what the log said just before */
	_exit(last_sev == EVENT_LOG_ERR && last_msg[0] ? (err == 1 ? 41 : (err == (int)0xdeaddead ? 42 : 43)) : 44);
}
static struct event_base *gb;        /* globals keep them reachable when a child ends early */
static struct event gev, *gnew;
static void debug_setup(int with_fatal)
{
	event_set_log_callback(logcb);
	if (with_fatal) event_set_fatal_callback(fatal_cb);
	event_enable_debug_mode();
	gb = event_base_new();
	if (!gb) _exit(9);
}
static void child_debug_ok(void)
{
	debug_setup(1);
	struct timeval tv = { 10, 0 };
	/* correct use goes through without complaint */
	if (event_assign(&gev, gb, -1, 0, cb, NULL) != 0) _exit(10);
	if (event_add(&gev, &tv) != 0 || event_del(&gev) != 0) _exit(11);
	if (event_assign(&gev, gb, -1, EV_PERSIST, cb, NULL) != 0) _exit(12);  /* not added: fine */
	event_active(&gev, EV_TIMEOUT, 0);
	if (event_base_loop(gb, EVLOOP_NONBLOCK) != 1) _exit(13);
	event_debug_unassign(&gev);
	if (event_initialized(&gev)) _exit(14);
	/* the memory can be assigned again after unassign */
	if (event_assign(&gev, gb, -1, 0, cb, NULL) != 0) _exit(15);
	event_debug_unassign(&gev);
	gnew = event_new(gb, -1, 0, cb, NULL);
	if (event_add(gnew, &tv) != 0) _exit(16);
	event_free(gnew);
	event_base_free(gb);
	if (nsev[EVENT_LOG_WARN] || nsev[EVENT_LOG_ERR]) _exit(17);
}
static void child_debug_twice(void)         { event_set_log_callback(logcb); event_set_fatal_callback(fatal_cb); event_enable_debug_mode(); event_enable_debug_mode(); }
static void child_debug_late(void)          { event_set_log_callback(logcb); event_set_fatal_callback(fatal_cb); gb = event_base_new(); event_enable_debug_mode(); }
static void child_add_uninit(void)          { debug_setup(1); memset(&gev, 0, sizeof gev); gev.ev_base = gb; event_add(&gev, NULL); }
static void child_add_uninit_nofatal(void)  { debug_setup(0); memset(&gev, 0, sizeof gev); gev.ev_base = gb; event_add(&gev, NULL); }
static void child_assign_added(void)
{
	debug_setup(1);
	struct timeval tv = { 10, 0 };
	event_assign(&gev, gb, -1, 0, cb, NULL);
	event_add(&gev, &tv);
	event_assign(&gev, gb, -1, 0, cb, NULL);
}
static void child_unassign_added(void)
{
	debug_setup(1);
	struct timeval tv = { 10, 0 };
	event_assign(&gev, gb, -1, 0, cb, NULL);
	event_add(&gev, &tv);
	event_debug_unassign(&gev);
}
static void child_add_after_unassign(void)
{
	debug_setup(1);
	struct timeval tv = { 10, 0 };
	event_assign(&gev, gb, -1, 0, cb, NULL);
	event_debug_unassign(&gev);
	event_add(&gev, &tv);
}
static void child_active_uninit(void)       { debug_setup(1); memset(&gev, 0, sizeof gev); gev.ev_base = gb; event_active(&gev, EV_READ, 0); }

/* Finalizers in debug mode: the event is torn down just before its finalize callback, so the
 * callback may set the memory up again or free it, and event_del()/event_free() of a finalized
 * event are allowed; any other use of it is still caught. */
static int nfinal, ntimer;
static void timer_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; ntimer++; }
static void fin_reassign(struct event *ev, void *arg)
{
	(void)arg;
	nfinal++;
	struct timeval tv = { 0, 1000 };
	if (event_assign(ev, gb, -1, 0, timer_cb, NULL) != 0) _exit(50);
	if (event_add(ev, &tv) != 0) _exit(51);
}
static void fin_free(struct event *ev, void *arg) { (void)arg; nfinal++; event_free(ev); }
static void fin_nop(struct event *ev, void *arg) { (void)ev; (void)arg; nfinal++; }
static void child_finalize_reassign(void)
{
	debug_setup(1);
	gnew = event_new(gb, -1, 0, cb, NULL);
	event_assign(&gev, gb, -1, 0, cb, NULL);
	if (event_finalize(0, gnew, fin_reassign) != 0 || event_finalize(0, &gev, fin_reassign) != 0) _exit(10);
	if (event_base_dispatch(gb) != 1) _exit(11);     /* finalizers, then the two timers */
	if (nfinal != 2 || ntimer != 2) _exit(12);
	if (event_del(gnew) != 0 || event_del(&gev) != 0) _exit(13);
	event_free(gnew);
	event_base_free(gb);
	if (nsev[EVENT_LOG_WARN] || nsev[EVENT_LOG_ERR]) _exit(14);
}
static void child_finalize_free(void)
{
	debug_setup(1);
	gnew = event_new(gb, -1, 0, cb, NULL);
	if (event_finalize(0, gnew, fin_nop) != 0) _exit(10);
	if (event_base_dispatch(gb) != 1 || nfinal != 1) _exit(11);
	if (event_del(gnew) != 0 || event_del_noblock(gnew) != 0 || event_del_block(gnew) != 0) _exit(12);
	event_free(gnew);
	/* freed by the callback itself, and by event_free_finalize */
	gnew = event_new(gb, -1, 0, cb, NULL);
	if (event_finalize(0, gnew, fin_free) != 0) _exit(13);
	if (event_base_dispatch(gb) != 1 || nfinal != 2) _exit(14);
	gnew = event_new(gb, -1, 0, cb, NULL);
	if (event_free_finalize(0, gnew, fin_nop) != 0) _exit(15);
	if (event_base_dispatch(gb) != 1 || nfinal != 3) _exit(16);
	event_base_free(gb);
	if (nsev[EVENT_LOG_WARN] || nsev[EVENT_LOG_ERR]) _exit(17);
}
static void child_add_after_finalize(void)
{
	debug_setup(1);
	struct timeval tv = { 10, 0 };
	gnew = event_new(gb, -1, 0, cb, NULL);
	event_finalize(0, gnew, fin_nop);
	event_base_dispatch(gb);
	event_add(gnew, &tv);
}

static void test_children(void)
{
	int sig;
	EQ(run_child(child_mem, &sig), 0);             /* else: the _exit code in child_mem */
	EQ(sig, 0);
	EQ(run_child(child_debug_ok, &sig), 0);
	EQ(run_child(child_debug_twice, &sig), 41);        /* fatal callback, err 1, after an ERR log */
	EQ(run_child(child_debug_late, &sig), 41);
	EQ(run_child(child_add_uninit, &sig), 42);         /* debug-mode assertion: EVENT_ERR_ABORT_ */
	run_child(child_add_uninit_nofatal, &sig);
	EQ(sig, SIGABRT);                                  /* without a fatal callback: abort() */
	EQ(run_child(child_assign_added, &sig), 42);
	EQ(run_child(child_unassign_added, &sig), 42);
	EQ(run_child(child_add_after_unassign, &sig), 42);
	EQ(run_child(child_active_uninit, &sig), 42);
	EQ(run_child(child_finalize_reassign, &sig), 0);
	EQ(run_child(child_finalize_free, &sig), 0);
	EQ(run_child(child_add_after_finalize, &sig), 42);
}

/* ---- logs in this process ---- */
static void test_logs(void)
{
	event_set_log_callback(logcb);
	clear_log();
	struct event *e = event_new(NULL, -1, 0, cb, NULL);
	EQ(event_add(e, NULL), -1);
	EQ(nlog, 1);
	EQ(last_sev, EVENT_LOG_WARN);
	OK(strlen(last_msg) > 0);

	/* debug logging: EVENT_LOG_DEBUG messages while enabled, none after */
	struct event_base *b = event_base_new();
	struct event *t = evtimer_new(b, cb, NULL);
	struct timeval tv = { 10, 0 };
	clear_log();
	EQ(event_add(t, &tv), 0);
	EQ(nlog, 0);
	event_enable_debug_logging(EVENT_DBG_ALL);
	EQ(event_del(t), 0);
	EQ(event_add(t, &tv), 0);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	OK(nsev[EVENT_LOG_DEBUG] >= 1);
	EQ(nsev[EVENT_LOG_WARN] + nsev[EVENT_LOG_ERR], 0);
	event_enable_debug_logging(EVENT_DBG_NONE);
	clear_log();
	EQ(event_del(t), 0);
	EQ(event_add(t, &tv), 0);
	EQ(event_base_loop(b, EVLOOP_NONBLOCK), 0);
	EQ(nlog, 0);

	/* without a callback, messages go to stderr */
	event_set_log_callback(NULL);
	fflush(stderr);
	char path[] = "/tmp/core_debug_stderr_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	unlink(path);
	int saved = dup(2);
	CHECK(dup2(fd, 2) == 2);
	EQ(event_add(e, NULL), -1);
	fflush(stderr);
	CHECK(dup2(saved, 2) == 2);
	close(saved);
	off_t len = lseek(fd, 0, SEEK_END);
	OK(len > 0);
	close(fd);
	EQ(nlog, 0);                                   /* our callback is no longer called */

	event_set_log_callback(logcb);
	event_free(e);                                 /* warns: no base */
	EQ(nsev[EVENT_LOG_WARN], 1);
	event_free(t);
	event_base_free(b);
	event_set_log_callback(NULL);
}

int main(void)
{
	test_children();             /* first: they need a process where libevent was never used */
	test_logs();
	libevent_global_shutdown();
	printf("core_debug: %d checks passed\n", checks);
	return 0;
}
