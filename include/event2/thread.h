/* event_rs: making bases and buffers safe to share between threads. */
#ifndef EVENT2_THREAD_H_INCLUDED_
#define EVENT2_THREAD_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event-config.h>
#include <sys/time.h>

#ifdef __cplusplus
extern "C" {
#endif

struct event_base;

/* Lock modes passed to the lock and unlock callbacks. */
#define EVTHREAD_WRITE 0x04
#define EVTHREAD_READ 0x08
#define EVTHREAD_TRY 0x10

#define EVTHREAD_LOCK_API_VERSION 1
#define EVTHREAD_LOCKTYPE_RECURSIVE 1
#define EVTHREAD_LOCKTYPE_READWRITE 2

struct evthread_lock_callbacks {
	int lock_api_version;
	unsigned supported_locktypes;
	void *(*alloc)(unsigned locktype);
	void (*free)(void *lock, unsigned locktype);
	int (*lock)(unsigned mode, void *lock);
	int (*unlock)(unsigned mode, void *lock);
};

#define EVTHREAD_CONDITION_API_VERSION 1

struct evthread_condition_callbacks {
	int condition_api_version;
	void *(*alloc_condition)(unsigned condtype);
	void (*free_condition)(void *cond);
	int (*signal_condition)(void *cond, int broadcast);
	int (*wait_condition)(void *cond, void *lock, const struct timeval *timeout);
};

#define EVTHREAD_USE_PTHREADS_IMPLEMENTED 1

/* libevent 2.2: evthread_use_pthreads_with_flags() flag: the library's mutexes use priority
 * inheritance (PTHREAD_PRIO_INHERIT). */
#define EVTHREAD_PTHREAD_PRIO_INHERIT 0x01

#include <event2/gen/thread.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_THREAD_H_INCLUDED_ */
