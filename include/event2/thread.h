/** @file
 * event_rs: making bases, buffers and bufferevents safe to share between threads (libevent
 * 2.1.12's event2/thread.h).
 *
 * Threads are off until the program enables them, once, at its start, before making any base:
 * usually with evthread_use_pthreads(), or with its own functions through
 * evthread_set_lock_callbacks(), evthread_set_condition_callbacks() and
 * evthread_set_id_callback(). Objects made before that have no lock and must stay in one
 * thread. With threads off, the library takes no lock at all.
 */
#ifndef EVENT2_THREAD_H_INCLUDED_
#define EVENT2_THREAD_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event-config.h>
#include <sys/time.h>

#ifdef __cplusplus
extern "C" {
#endif

struct event_base;

/* Modes passed to the lock and unlock callbacks (0: a plain exclusive lock). */
#define EVTHREAD_WRITE 0x04 /**< Take a read-write lock for writing. */
#define EVTHREAD_READ 0x08 /**< Take a read-write lock for reading. */
#define EVTHREAD_TRY 0x10 /**< Only try: fail at once (non-zero) when another thread holds the lock. */

#define EVTHREAD_LOCK_API_VERSION 1 /**< The lock_api_version of `struct evthread_lock_callbacks`. */
#define EVTHREAD_LOCKTYPE_RECURSIVE 1 /**< A lock the holding thread may take again (and must release as often). */
#define EVTHREAD_LOCKTYPE_READWRITE 2 /**< A lock for several readers or one writer. */

/** The program's lock functions, given to evthread_set_lock_callbacks(). The library asks
 * only for recursive locks; every function must be set. */
struct evthread_lock_callbacks {
	int lock_api_version; /**< EVTHREAD_LOCK_API_VERSION. */
	unsigned supported_locktypes; /**< The EVTHREAD_LOCKTYPE_* bits the functions support. */
	void *(*alloc)(unsigned locktype); /**< Makes a lock of the type asked for (0: a plain one); NULL on failure. */
	void (*free)(void *lock, unsigned locktype); /**< Frees a lock made by alloc, not held. */
	int (*lock)(unsigned mode, void *lock); /**< Takes a lock (EVTHREAD_* mode bits); 0 on success. */
	int (*unlock)(unsigned mode, void *lock); /**< Releases a lock; 0 on success. */
};

#define EVTHREAD_CONDITION_API_VERSION 1 /**< The condition_api_version of `struct evthread_condition_callbacks`. */

/** The program's condition-variable functions, given to evthread_set_condition_callbacks();
 * every function must be set. */
struct evthread_condition_callbacks {
	int condition_api_version; /**< EVTHREAD_CONDITION_API_VERSION. */
	void *(*alloc_condition)(unsigned condtype); /**< Makes a condition (condtype is 0); NULL on failure. */
	void (*free_condition)(void *cond); /**< Frees a condition that no thread waits on. */
	int (*signal_condition)(void *cond, int broadcast); /**< Wakes one waiter, or all when broadcast is non-zero; 0 on success. */
	/** Waits on cond, releasing lock (held once by the caller) meanwhile and taking it again
	 * before returning; timeout is NULL or how long to wait at most. Returns 0 when woken,
	 * 1 on timeout, -1 on error. */
	int (*wait_condition)(void *cond, void *lock, const struct timeval *timeout);
};

#define EVTHREAD_USE_PTHREADS_IMPLEMENTED 1 /**< Defined: evthread_use_pthreads() is available. */

/** libevent 2.2: flag of evthread_use_pthreads_with_flags(): the library's mutexes use priority
 * inheritance (PTHREAD_PRIO_INHERIT). */
#define EVTHREAD_PTHREAD_PRIO_INHERIT 0x01

#include <event2/gen/thread.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_THREAD_H_INCLUDED_ */
