/* libevent 2.2's EVENT_BASE_FLAG_USE_SIGNALFD: signals delivered through a signalfd. The
 * method name; no handler installed; the signal blocked while watched and unblocked (unless it
 * was blocked before) when its last event goes; queued real-time signals counted one by one;
 * several bases with their own signals; fork + event_reinit in the child; a signal pending
 * when its event is deleted is dropped, not delivered with its default action; SIGKILL refused.
 * needs: event_rs */
#include <event2/event.h>
#include <event2/event_struct.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "check.h"

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

static int calls[4];
static void sig_cb(evutil_socket_t sig, short what, void *arg)
{
	int id = (int)(long)arg;
	CHECK(what == EV_SIGNAL);
	(void)sig;
	calls[id]++;
}

static struct event_base *sfd_base(void)
{
	struct event_config *cfg = event_config_new();
	CHECK(event_config_set_flag(cfg, EVENT_BASE_FLAG_USE_SIGNALFD) == 0);
	struct event_base *b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	CHECK(b != NULL);
	return b;
}

static int blocked(int sig)
{
	sigset_t cur;
	CHECK(sigprocmask(SIG_BLOCK, NULL, &cur) == 0);
	return sigismember(&cur, sig);
}

static void *handler_of(int sig)
{
	struct sigaction sa;
	CHECK(sigaction(sig, NULL, &sa) == 0);
	return (void *)sa.sa_handler;
}

static void test_constants(void)
{
#if !defined(EVENT_BASE_FLAG_USE_SIGNALFD) || !defined(EVENT_BASE_FLAG_EPOLL_DISALLOW_TIMERFD)
#error "the 2.2 flags can be tested with #ifdef"
#endif
	EQ(EVENT_BASE_FLAG_USE_SIGNALFD, 0x80);
	EQ(EVENT_BASE_FLAG_EPOLL_DISALLOW_TIMERFD, 0x40);
	struct event_base *plain = event_base_new();
	OK(strcmp(event_base_get_signal_method(plain), "sigaction") == 0);
	event_base_free(plain);
	OK(event_base_get_signal_method(NULL) == NULL);
}

static void test_basic(void)
{
	struct event_base *b = sfd_base();
	OK(strcmp(event_base_get_signal_method(b), "signalfd") == 0);
	memset(calls, 0, sizeof calls);
	OK(!blocked(SIGUSR1));
	struct event *e = evsignal_new(b, SIGUSR1, sig_cb, (void *)0L);
	OK(evsignal_add(e, NULL) == 0);
	/* No handler: the signal is blocked and read from the signalfd. */
	OK(handler_of(SIGUSR1) == (void *)SIG_DFL);
	OK(blocked(SIGUSR1));
	raise(SIGUSR1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[0], 1);
	raise(SIGUSR1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[0], 2);

	/* Real-time signals queue: three sent, three calls. */
	struct event *rt = evsignal_new(b, SIGRTMIN + 1, sig_cb, (void *)1L);
	OK(evsignal_add(rt, NULL) == 0);
	union sigval v = { 0 };
	OK(sigqueue(getpid(), SIGRTMIN + 1, v) == 0);
	OK(sigqueue(getpid(), SIGRTMIN + 1, v) == 0);
	OK(sigqueue(getpid(), SIGRTMIN + 1, v) == 0);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[1], 3);

	/* Deleting the last event unblocks the signal; a signal still pending then is dropped,
	 * not delivered with its default action (which would end this process). */
	raise(SIGUSR1);
	OK(event_del(e) == 0);
	OK(!blocked(SIGUSR1));
	EQ(calls[0], 2);
	/* Added again: works again. */
	OK(evsignal_add(e, NULL) == 0);
	raise(SIGUSR1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[0], 3);

	/* SIGKILL cannot be watched. */
	struct event *k = evsignal_new(b, SIGKILL, sig_cb, (void *)0L);
	EQ(evsignal_add(k, NULL), -1);
	event_free(k);

	/* event_base_active_by_signal still works. */
	event_base_active_by_signal(b, SIGUSR1);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[0], 4);

	event_free(e);
	event_free(rt);
	OK(!blocked(SIGRTMIN + 1));
	event_base_free(b);
}

/* A signal the program had blocked stays blocked after its event goes. */
static void test_was_blocked(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	OK(sigprocmask(SIG_BLOCK, &s, NULL) == 0);
	struct event_base *b = sfd_base();
	struct event *e = evsignal_new(b, SIGUSR2, sig_cb, (void *)0L);
	OK(evsignal_add(e, NULL) == 0);
	memset(calls, 0, sizeof calls);
	raise(SIGUSR2);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[0], 1);
	event_free(e);
	OK(blocked(SIGUSR2));
	/* The base freed with an event still added: the mask goes back too. */
	struct event hup;
	OK(evsignal_assign(&hup, b, SIGHUP, sig_cb, (void *)0L) == 0);
	OK(evsignal_add(&hup, NULL) == 0);
	OK(blocked(SIGHUP));
	event_base_free(b);
	OK(!blocked(SIGHUP));
	OK(blocked(SIGUSR2));
	OK(sigprocmask(SIG_UNBLOCK, &s, NULL) == 0);
}

/* Two bases, each with its own signal, both served; and a plain base beside them. */
static void test_several_bases(void)
{
	struct event_base *a = sfd_base(), *b = sfd_base(), *c = event_base_new();
	struct event *ea = evsignal_new(a, SIGUSR1, sig_cb, (void *)0L);
	struct event *eb = evsignal_new(b, SIGUSR2, sig_cb, (void *)1L);
	struct event *ec = evsignal_new(c, SIGWINCH, sig_cb, (void *)2L);
	OK(evsignal_add(ea, NULL) == 0);
	OK(evsignal_add(eb, NULL) == 0);
	OK(evsignal_add(ec, NULL) == 0);
	memset(calls, 0, sizeof calls);
	raise(SIGUSR2);
	raise(SIGUSR1);
	raise(SIGWINCH);
	EQ(event_base_loop(a, EVLOOP_ONCE), 0);
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(event_base_loop(c, EVLOOP_ONCE), 0);
	EQ(calls[0], 1);
	EQ(calls[1], 1);
	EQ(calls[2], 1);
	event_free(ea);
	event_free(eb);
	event_free(ec);
	event_base_free(a);
	event_base_free(b);
	event_base_free(c);
}

/* After fork, the child's base (reinitialised) receives the child's signals; the parent's
 * still receives its own. */
static void test_fork(void)
{
	struct event_base *b = sfd_base();
	struct event *e = evsignal_new(b, SIGUSR1, sig_cb, (void *)0L);
	OK(evsignal_add(e, NULL) == 0);
	memset(calls, 0, sizeof calls);
	pid_t pid = fork();
	OK(pid >= 0);
	if (pid == 0) {
		if (event_reinit(b) != 0)
			_exit(2);
		if (!blocked(SIGUSR1))
			_exit(3);
		raise(SIGUSR1);
		if (event_base_loop(b, EVLOOP_ONCE) != 0 || calls[0] != 1)
			_exit(4);
		/* And the child's parent signals the parent: */
		kill(getppid(), SIGUSR1);
		event_free(e);
		event_base_free(b);
		_exit(0);
	}
	int status;
	OK(waitpid(pid, &status, 0) == pid);
	OK(WIFEXITED(status));
	EQ(WEXITSTATUS(status), 0);
	/* The child's kill() is pending here now. */
	EQ(event_base_loop(b, EVLOOP_ONCE), 0);
	EQ(calls[0], 1);
	event_free(e);
	event_base_free(b);
}

int main(void)
{
	test_constants();
	test_basic();
	test_was_blocked();
	test_several_bases();
	test_fork();
	printf("api22_signalfd: %d checks\n", checks);
	return 0;
}
