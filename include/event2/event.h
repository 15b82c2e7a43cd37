/** @file
 * event_rs: the core API of libevent 2.1.12's event2/event.h: event bases, events, the loop.
 *
 * A base (`struct event_base`) watches descriptors, signals and timers through a backend
 * (epoll, poll or select) and runs the callbacks of the events that became active when its loop
 * (event_base_dispatch(), event_base_loop()) runs. An event (`struct event`) is set up once
 * (event_new() or event_assign()), made pending with event_add() and no longer pending with
 * event_del().
 *
 * Ownership: what a `*_new()` function returns is freed by the matching `*_free()` function;
 * strings returned by the library are static unless said otherwise.
 *
 * Threads: a base made after threads were enabled (evthread_use_pthreads(), in
 * event2/thread.h) may be used from any thread: event_add(), event_del(), event_active() and
 * the loop-stopping calls wake its loop, which runs in one thread at a time. Otherwise a base
 * and its events must be used from one thread at a time. The process-wide settings
 * (event_set_mem_functions(), event_enable_debug_mode(), the log callbacks) belong at the
 * start of the program, before other threads use the library.
 *
 * A NULL pointer given where libevent would crash gets the function's failure value here
 * (NULL, -1 or 0, as documented with each function).
 */
#ifndef EVENT2_EVENT_H_INCLUDED_
#define EVENT2_EVENT_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <stdio.h>
#include <event2/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An event base: the backend, the events and the loop's state. Opaque; made by
 * event_base_new(), freed by event_base_free(). */
struct event_base;
/** An event. Its layout is in event2/event_struct.h, for programs that embed it; others treat
 * it as opaque and use event_new(). */
struct event;
/** A configuration for event_base_new_with_config(). Opaque; made by event_config_new(),
 * freed by event_config_free(). */
struct event_config;

/* Kinds of event: what event_new() and event_assign() wait for, and what a callback receives
 * in its second argument. */
#define EV_TIMEOUT 0x01 /**< The event's timeout passed (in event_pending(): has a timeout). */
#define EV_READ 0x02 /**< The descriptor is readable (or at end of file). */
#define EV_WRITE 0x04 /**< The descriptor is writable. */
/** The descriptor is a signal number, and the signal arrived. With several bases, each signal
 * goes to the bases that watch it (libevent sends it only to the base that last added a signal
 * event, and warns; the warning is kept). */
#define EV_SIGNAL 0x08
#define EV_PERSIST 0x10 /**< Stays pending after its callback runs; its timeout restarts each time. */
#define EV_ET 0x20 /**< Edge-triggered: reported when readiness appears (backends with EV_FEATURE_ET). */
/** event_del() does not wait for the event's callback running in another thread; for events
 * ended with event_finalize() or event_free_finalize(). */
#define EV_FINALIZE 0x40
#define EV_CLOSED 0x80 /**< The peer closed the connection (backends with EV_FEATURE_EARLY_CLOSE). */

/* Flags of event_base_loop(). */
#define EVLOOP_ONCE 0x01 /**< Wait until some event is active, run the active callbacks, return. */
#define EVLOOP_NONBLOCK 0x02 /**< Do not wait: run the callbacks of what is ready now, return. */
#define EVLOOP_NO_EXIT_ON_EMPTY 0x04 /**< Keep running with no event, until a loopexit or loopbreak. */

/* Kinds of count for event_base_get_num_events() and event_base_get_max_events(). */
#define EVENT_BASE_COUNT_ACTIVE 1U /**< Events whose callbacks are waiting to run. */
#define EVENT_BASE_COUNT_VIRTUAL 2U /**< Virtual events (libevent's internal bookkeeping; 0 here). */
#define EVENT_BASE_COUNT_ADDED 4U /**< Events added to the base (list memberships, see event_base_get_num_events()). */

/* Severities of the messages given to the event_set_log_callback() callback. */
#define EVENT_LOG_DEBUG 0 /**< Debug detail (only with event_enable_debug_logging()). */
#define EVENT_LOG_MSG 1 /**< Information. */
#define EVENT_LOG_WARN 2 /**< Something went wrong; the library goes on. */
#define EVENT_LOG_ERR 3 /**< An unrecoverable error; the process is about to end. */
/* Old names of the severities, from before libevent 2.0.19. */
#define _EVENT_LOG_DEBUG EVENT_LOG_DEBUG
#define _EVENT_LOG_MSG EVENT_LOG_MSG
#define _EVENT_LOG_WARN EVENT_LOG_WARN
#define _EVENT_LOG_ERR EVENT_LOG_ERR

#define EVENT_DBG_ALL 0xffffffffu /**< event_enable_debug_logging(): every debug message. */
#define EVENT_DBG_NONE 0 /**< event_enable_debug_logging(): no debug message (the default). */

#define LIBEVENT_VERSION EVENT__VERSION /**< "2.1.12-stable": the libevent version this library implements. */
#define LIBEVENT_VERSION_NUMBER EVENT__NUMERIC_VERSION /**< 0x02010c00, as event_get_version_number(). */
#define EVENT_MAX_PRIORITIES 256 /**< event_base_priority_init() takes fewer priorities than this. */
#define EVENT_SET_MEM_FUNCTIONS_IMPLEMENTED /**< Defined: event_set_mem_functions() is available. */

/** What a backend can do: event_config_require_features() asks for these bits and
 * event_base_get_features() reports them. */
enum event_method_feature {
	EV_FEATURE_ET = 0x01, /**< Edge-triggered events (EV_ET): epoll. */
	EV_FEATURE_O1 = 0x02, /**< Adding, deleting and reporting one event cost O(1): epoll. */
	EV_FEATURE_FDS = 0x04, /**< Any kind of descriptor, not only sockets and pipes: poll, select. */
	EV_FEATURE_EARLY_CLOSE = 0x08 /**< EV_CLOSED without reading the data first: epoll, poll. */
};

/** Flags of a base, set with event_config_set_flag(). */
enum event_base_config_flag {
	/** No lock for this base even when threads are enabled: use it from one thread only. */
	EVENT_BASE_FLAG_NOLOCK = 0x01,
	/** Ignore the EVENT_NO<METHOD>, EVENT_PRECISE_TIMER and EVENT_EPOLL_USE_CHANGELIST
	 * environment variables (EVENT_SHOW_METHOD and EVENT_RS_INFO, which only print, are still
	 * read). */
	EVENT_BASE_FLAG_IGNORE_ENV = 0x02,
	/** For Windows' IOCP backend; ignored here. */
	EVENT_BASE_FLAG_STARTUP_IOCP = 0x04,
	/** Do not cache the time during an iteration of the loop: each look at the time reads the
	 * clock. */
	EVENT_BASE_FLAG_NO_CACHE_TIME = 0x08,
	/** Accepted; here it only changes the method's name to "epoll (with changelist)": changes
	 * to the epoll set are always batched (a deliberate difference: libevent changes its
	 * behaviour). */
	EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST = 0x10,
	/** Time waits precisely: with epoll, each wait is bounded by a timerfd, to the microsecond
	 * rather than the millisecond (also set by the EVENT_PRECISE_TIMER environment variable). */
	EVENT_BASE_FLAG_PRECISE_TIMER = 0x20,
	/** libevent 2.2 (on the 2.1 ABI): with EVENT_BASE_FLAG_PRECISE_TIMER, epoll makes no
	 * timerfd, and its waits are rounded up to the millisecond. */
	EVENT_BASE_FLAG_EPOLL_DISALLOW_TIMERFD = 0x40,
	/** libevent 2.2: signals come through a signalfd rather than a handler and a socketpair.
	 * The watched signals are blocked in the thread that adds their events and in the loop's
	 * thread; other threads must block them too (threads made afterwards inherit the mask).
	 * event_base_get_signal_method() says "signalfd", or "sigaction" when the kernel refused
	 * one. */
	EVENT_BASE_FLAG_USE_SIGNALFD = 0x80,
	/** event_rs only: use the io_uring backend where the kernel allows it (else the usual
	 * choice, with a log line). The environment variable EVENT_IOURING does the same for a
	 * base made without EVENT_BASE_FLAG_IGNORE_ENV. The value is clear of libevent 2.2's flags. */
	EVENT_BASE_FLAG_IO_URING = 0x10000
};
/* So that a program can test for the 2.2 flags with the preprocessor. */
#define EVENT_BASE_FLAG_EPOLL_DISALLOW_TIMERFD EVENT_BASE_FLAG_EPOLL_DISALLOW_TIMERFD
#define EVENT_BASE_FLAG_USE_SIGNALFD EVENT_BASE_FLAG_USE_SIGNALFD
/** Defined where EVENT_BASE_FLAG_IO_URING is (event_rs's headers), so that a program can test
 * for it with the preprocessor. */
#define EVENT_RS_HAVE_IO_URING 1

/** An event's callback, called from the loop with the base unlocked, as cb(fd, what, arg):
 * the event's descriptor or signal number, the EV_* bits that happened (EV_TIMEOUT, EV_READ,
 * EV_WRITE, EV_CLOSED, EV_SIGNAL), and the argument given when the event was set up. It may
 * add, delete or free any event, its own included. */
typedef void (*event_callback_fn)(evutil_socket_t, short, void *);
/** A finalizer (event_finalize()): called as cb(ev, arg) with the event and its callback's
 * argument, once no callback of the event runs; it may free or reuse the event. */
typedef void (*event_finalize_callback_fn)(struct event *, void *);
/** A log callback (event_set_log_callback()): an EVENT_LOG_* severity and the message, valid
 * only during the call. It must not call into the library. */
typedef void (*event_log_cb)(int severity, const char *msg);
/** A fatal-error callback (event_set_fatal_callback()), given the code the process will exit
 * with. */
typedef void (*event_fatal_cb)(int err);
/** The callback of event_base_foreach_event(), as f(base, event, arg); non-zero stops the
 * walk. It must not add, delete, activate or free events. */
typedef int (*event_base_foreach_event_cb)(const struct event_base *, const struct event *, void *);


/* Timers: events with no descriptor, which only a timeout makes active. */
#define evtimer_assign(ev, b, cb, arg) event_assign((ev), (b), -1, 0, (cb), (arg)) /**< Sets up a timer in program-owned memory. */
#define evtimer_new(b, cb, arg) event_new((b), -1, 0, (cb), (arg)) /**< Allocates a timer; free it with event_free(). */
#define evtimer_add(ev, tv) event_add((ev), (tv)) /**< Starts a timer to run after `tv`. */
#define evtimer_del(ev) event_del(ev) /**< Stops a timer. */
#define evtimer_pending(ev, tv) event_pending((ev), EV_TIMEOUT, (tv)) /**< Non-zero when a timer is pending; its expiry goes to `tv`. */
#define evtimer_initialized(ev) event_initialized(ev) /**< Non-zero when a timer was set up. */

/* Signal events: persistent events on a signal number (see EV_SIGNAL). */
#define evsignal_add(ev, tv) event_add((ev), (tv)) /**< Starts watching the signal (`tv`: optional timeout). */
#define evsignal_assign(ev, b, x, cb, arg) event_assign((ev), (b), (x), EV_SIGNAL|EV_PERSIST, cb, (arg)) /**< Sets up a signal event for signal `x` in program-owned memory. */
#define evsignal_new(b, x, cb, arg) event_new((b), (x), EV_SIGNAL|EV_PERSIST, (cb), (arg)) /**< Allocates a signal event for signal `x`. */
#define evsignal_del(ev) event_del(ev) /**< Stops watching the signal; the old handler is restored when no event watches it. */
#define evsignal_pending(ev, tv) event_pending((ev), EV_SIGNAL, (tv)) /**< Non-zero when the signal event is pending. */
#define evsignal_initialized(ev) event_initialized(ev) /**< Non-zero when the signal event was set up. */

/* User events: events that only the program makes active, with evuser_trigger(). */
#define evuser_new(b, cb, arg) event_new((b), -1, 0, (cb), (arg)) /**< Allocates a user event. */
#define evuser_del(ev) event_del(ev) /**< Cancels a triggered user event that has not run yet. */
#define evuser_pending(ev, tv) event_pending((ev), 0, (tv)) /**< Always 0: a user event waits for nothing. */
#define evuser_initialized(ev) event_initialized(ev) /**< Non-zero when the user event was set up. */
#define evuser_trigger(ev) event_active((ev), 0, 0) /**< Makes the user event's callback run (thread-safe with threads enabled). */

/** The signal number of a signal event (its descriptor field). */
#define event_get_signal(ev) ((int)event_get_fd(ev))

/** The mask last given to event_enable_debug_logging(), exported as data as libevent does;
 * read it, do not write it. */
extern ev_uint32_t event_debug_logging_mask_;

#include <event2/gen/event.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_EVENT_H_INCLUDED_ */
