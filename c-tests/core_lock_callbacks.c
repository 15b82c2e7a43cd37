/* evthread_set_lock_callbacks and evthread_set_condition_callbacks: the same table again is accepted, a different one refused with
 * libevent's warning, and removing the table warns once it was set. (Setting a table again
 * after removing one makes libevent assert, so that is not tried.)
 * compare-output */
#include <event2/event.h>
#include <event2/thread.h>
#include <stdio.h>
#include <stdlib.h>

static void log_cb(int severity, const char *msg) { printf("log %d: %s\n", severity, msg); }
static void *lock_alloc(unsigned mode) { (void)mode; return malloc(1); }
static void lock_free(void *lock, unsigned mode) { (void)mode; free(lock); }
static int lock_op(unsigned mode, void *lock) { (void)mode; (void)lock; return 0; }
static int other_op(unsigned mode, void *lock) { (void)mode; (void)lock; return 0; }
static void *cond_alloc(unsigned mode) { (void)mode; return malloc(1); }
static void cond_free(void *c) { free(c); }
static int cond_signal(void *c, int all) { (void)c; (void)all; return 0; }
static int cond_wait(void *c, void *lock, const struct timeval *tv) { (void)c; (void)lock; (void)tv; return 0; }
static int cond_wait2(void *c, void *lock, const struct timeval *tv) { (void)c; (void)lock; (void)tv; return 1; }

int main(void)
{
	struct evthread_lock_callbacks cbs = { EVTHREAD_LOCK_API_VERSION, 0, lock_alloc, lock_free, lock_op, lock_op };
	struct evthread_lock_callbacks same = cbs, other = cbs;
	other.unlock = other_op;
	setvbuf(stdout, NULL, _IONBF, 0);
	event_set_log_callback(log_cb);
	printf("remove before any: %d\n", evthread_set_lock_callbacks(NULL));
	printf("set: %d\n", evthread_set_lock_callbacks(&cbs));
	printf("same again: %d\n", evthread_set_lock_callbacks(&same));
	printf("another: %d\n", evthread_set_lock_callbacks(&other));
	printf("remove: %d\n", evthread_set_lock_callbacks(NULL));

	struct evthread_condition_callbacks conds = { EVTHREAD_CONDITION_API_VERSION, cond_alloc, cond_free, cond_signal, cond_wait };
	struct evthread_condition_callbacks conds2 = conds;
	conds2.wait_condition = cond_wait2;
	printf("conditions set: %d\n", evthread_set_condition_callbacks(&conds));
	printf("same again: %d\n", evthread_set_condition_callbacks(&conds));
	printf("another: %d\n", evthread_set_condition_callbacks(&conds2));
	printf("remove: %d\n", evthread_set_condition_callbacks(NULL));
	return 0;
}
