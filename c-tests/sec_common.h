/* Helpers of the sec_*.c regression tests (published libevent vulnerabilities and crashes).
 * A call that crashes or misbehaves on the installed libevent 2.1.12 runs in a forked child:
 * that outcome is accepted only when the library is libevent, never on event_rs. */
#ifndef C_TESTS_SEC_COMMON_H
#define C_TESTS_SEC_COMMON_H
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* 1 on event_rs, which alone exports event_rs_version (src/capi/event.rs), 0 on libevent. */
static int on_event_rs(void)
{
	return dlsym(RTLD_DEFAULT, "event_rs_version") != NULL;
}

/* Runs fn(arg) in a child process: its exit code, or 128 + the signal that killed it. */
static int in_child(int (*fn)(void *), void *arg)
{
	int st;
	pid_t pid;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(fn(arg));
	CHECK(waitpid(pid, &st, 0) == pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A child's status: 0 (safe and right) is required of event_rs; on libevent a known
 * vulnerability may show instead, and is reported on stderr. */
static void expect_safe(const char *what, int status)
{
	if (status == 0)
		return;
	if (on_event_rs()) {
		fprintf(stderr, "%s: child status %d on event_rs\n", what, status);
		exit(1);
	}
	/* Said only on request: the output is compared with event_rs's. */
	if (getenv("SEC_VERBOSE"))
		fprintf(stderr, "%s: libevent 2.1.12 is affected (%s %d)\n", what,
	    status > 128 ? "killed by signal" : "exit code", status > 128 ? status - 128 : status);
}

#endif
