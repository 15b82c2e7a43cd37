/** @file
 * The libev 4.33 API (`<ev.h>`), served by event_rs's reactor.
 *
 * Watchers are structs the program owns; the library reads and writes them at the offsets
 * of libev's own header in its default configuration: several loops (EV_MULTIPLICITY),
 * priorities -2..2, a `void *data` in every watcher, `double` timestamps. A program built
 * against either header therefore runs on either library. That configuration is fixed here:
 * the knobs libev offers to change watcher layouts (EV_COMMON, EV_CB_DECLARE, EV_TSTAMP_T,
 * other priority ranges, a single loop) are refused.
 *
 * libev's EV_READ, EV_WRITE, EV_TIMER... differ from libevent's EV_* values: a source file
 * includes either this header or `<event.h>`/`<event2/event.h>`, not both.
 *
 * Using a watcher: initialise it with ev_TYPE_init() (or ev_init() then ev_TYPE_set()), start
 * it on a loop with ev_TYPE_start(), and stop it with ev_TYPE_stop() before changing its "ro"
 * fields, freeing it or moving it. The library keeps pointers to started watchers; it never
 * frees them. Callbacks receive the loop, the watcher and the events (EV_READ, EV_TIMER...).
 *
 * Threads, as in libev: a loop, and the watchers started on it, belong to one thread at a time
 * (the program's own lock around them is enough; see ev_set_loop_release_cb()). The exceptions
 * are ev_async_send() and ev_feed_signal(), callable from any thread (and signal handlers), and
 * the loop-less calls (ev_time(), ev_sleep(), the version and backend queries). Different loops
 * may run in different threads.
 *
 * Where libev crashes on a NULL loop or watcher, the functions do nothing (or return 0); the
 * rules libev checks with assertions (a negative descriptor, a negative timer repeat...) abort
 * the process as libev does. Deliberate differences are noted at each function.
 */
#ifndef EV_H_
#define EV_H_

#if defined(EV_COMMON) || defined(EV_CB_DECLARE) || defined(EV_TSTAMP_T) || defined(EV_DECL_PRIORITY)
# error "event_rs: <ev.h> has libev's default watcher layout only (EV_COMMON, EV_CB_DECLARE, EV_TSTAMP_T, EV_DECL_PRIORITY cannot be changed)"
#endif
#if (defined(EV_MULTIPLICITY) && !EV_MULTIPLICITY) || (defined(EV_MINPRI) && EV_MINPRI != -2) || (defined(EV_MAXPRI) && EV_MAXPRI != 2)
# error "event_rs: <ev.h> supports several loops and priorities -2..2 only"
#endif

#include <string.h>     /* memmove, used by ev_set_cb() */
#include <signal.h>     /* sig_atomic_t */
#include <sys/stat.h>   /* struct stat, in ev_stat */

/* C++ helpers, as in libev's header. */
#ifdef __cplusplus
# define EV_CPP(x) x              /**< `x` in C++, nothing in C (default arguments) */
# if __cplusplus >= 201103L
#  define EV_NOEXCEPT noexcept    /**< marks the API noexcept in C++11 and later */
# else
#  define EV_NOEXCEPT             /**< nothing before C++11 */
# endif
#else
# define EV_CPP(x)                /**< `x` in C++, nothing in C (default arguments) */
# define EV_NOEXCEPT              /**< marks the API noexcept in C++11 and later; nothing in C */
#endif
#define EV_THROW EV_NOEXCEPT      /**< the old name of EV_NOEXCEPT */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- configuration (what the library was built with) */

#ifndef EV_COMPAT3
/** Non-zero (the default): the names from before libev 4 (ev_loop(), EVLOOP_ONESHOT,
 * EV_TIMEOUT...) are declared too. Define it to 0 before including this header to hide them. */
# define EV_COMPAT3 1
#endif
/** The libev features the library was built with: all of them (libev's EV_FEATURES bits). */
#define EV_FEATURES 0x7f
/* Each feature group of EV_FEATURES, non-zero when present (all are, here). */
#define EV_FEATURE_CODE     ((EV_FEATURES) & 1)   /**< code optimised for speed, not size */
#define EV_FEATURE_DATA     ((EV_FEATURES) & 2)   /**< data structures optimised for speed */
#define EV_FEATURE_CONFIG   ((EV_FEATURES) & 4)   /**< configurable behaviour (several loops) */
#define EV_FEATURE_API      ((EV_FEATURES) & 8)   /**< the full API (ev_suspend(), ev_depth()...) */
#define EV_FEATURE_WATCHERS ((EV_FEATURES) & 16)  /**< every watcher type */
#define EV_FEATURE_BACKENDS ((EV_FEATURES) & 32)  /**< every backend the system has */
#define EV_FEATURE_OS       ((EV_FEATURES) & 64)  /**< OS-specific features (signalfd, inotify in libev) */

#ifndef EV_MINPRI
/** The lowest watcher priority (fixed: another value is refused). */
# define EV_MINPRI -2
#endif
#ifndef EV_MAXPRI
/** The highest watcher priority (fixed: another value is refused). */
# define EV_MAXPRI 2
#endif
/* Switches, with the values libev's header gives them (non-zero: on). */
#ifndef EV_MULTIPLICITY
/** Several loops, each call taking the loop as its first argument (always on). */
# define EV_MULTIPLICITY EV_FEATURE_CONFIG
#endif
#define EV_PERIODIC_ENABLE EV_FEATURE_WATCHERS  /**< ev_periodic watchers exist */
#define EV_STAT_ENABLE EV_FEATURE_WATCHERS      /**< ev_stat watchers exist */
#define EV_PREPARE_ENABLE EV_FEATURE_WATCHERS   /**< ev_prepare watchers exist */
#define EV_CHECK_ENABLE EV_FEATURE_WATCHERS     /**< ev_check watchers exist */
#define EV_IDLE_ENABLE EV_FEATURE_WATCHERS      /**< ev_idle watchers exist */
#define EV_FORK_ENABLE EV_FEATURE_WATCHERS      /**< ev_fork watchers exist */
#define EV_CLEANUP_ENABLE EV_FEATURE_WATCHERS   /**< ev_cleanup watchers exist */
#define EV_SIGNAL_ENABLE EV_FEATURE_WATCHERS    /**< ev_signal watchers exist */
#define EV_CHILD_ENABLE EV_FEATURE_WATCHERS     /**< ev_child watchers exist */
#define EV_ASYNC_ENABLE EV_FEATURE_WATCHERS     /**< ev_async watchers exist */
#define EV_EMBED_ENABLE EV_FEATURE_WATCHERS     /**< ev_embed watchers exist */
#define EV_IO_ENABLE 1                          /**< ev_io watchers exist */
#define EV_WALK_ENABLE 0                        /**< ev_walk() is not provided (libev leaves it off by default too) */
#ifndef EV_PROTOTYPES
/** Non-zero (the default): the functions are declared. Define it to 0 to declare them
 * yourself. */
# define EV_PROTOTYPES 1
#endif

/* The version of the libev API this header describes; ev_version_major() and
 * ev_version_minor() give the library's. */
#define EV_VERSION_MAJOR 4  /**< the major version: 4 */
#define EV_VERSION_MINOR 33 /**< the minor version: 33 */

/** A time or a duration, in seconds, as a double (ev_now(), ev_time(), timer delays). */
typedef double ev_tstamp;

#ifndef EV_ATOMIC_T
/** The type of ev_async's `sent` flag, which other threads and signal handlers set. */
# define EV_ATOMIC_T sig_atomic_t volatile
#endif

/* ---- the loop argument of every call */

struct ev_loop;
/* Shorthands for the loop argument, as in libev: EV_P / EV_P_ declare it as a parameter
 * (alone / followed by more), EV_A / EV_A_ pass it on, EV_DEFAULT / EV_DEFAULT_ pass the
 * default loop (made if needed), EV_DEFAULT_UC / EV_DEFAULT_UC_ pass the default loop that
 * must already exist. */
#define EV_P  struct ev_loop *loop      /**< the loop as the only parameter */
#define EV_P_ EV_P,                     /**< the loop as the first of several parameters */
#define EV_A  loop                      /**< the loop as the only argument */
#define EV_A_ EV_A,                     /**< the loop as the first of several arguments */
#define EV_DEFAULT_UC  ev_default_loop_uc_ ()  /**< the default loop, already made */
#define EV_DEFAULT_UC_ EV_DEFAULT_UC,          /**< the default loop, already made, then more arguments */
#define EV_DEFAULT  ev_default_loop (0)        /**< the default loop, made on first use */
#define EV_DEFAULT_ EV_DEFAULT,                /**< the default loop, made on first use, then more arguments */

#if __STDC_VERSION__ >= 199901L || __GNUC__ >= 3
# define EV_INLINE static inline        /**< how this header declares its inline functions */
#else
# define EV_INLINE static               /**< how this header declares its inline functions */
#endif
#define EV_API_DECL extern              /**< how libev declares its exported variables */

/* ---- event bits: what a watcher waits for, and what its callback receives */

/** The events: what an ev_io watcher waits for, and the `revents` a callback receives. */
enum {
	EV_UNDEF    = (int)0xFFFFFFFF, /**< never a valid mask */
	EV_NONE     = 0x00,            /**< no event */
	EV_READ     = 0x01,            /**< ev_io: readable */
	EV_WRITE    = 0x02,            /**< ev_io: writable */
	EV__IOFDSET = 0x80,            /**< private: set by ev_io_set() */
	EV_IO       = EV_READ,         /**< the event of ev_io watchers, EV_READ's value */
	EV_TIMER    = 0x00000100,      /**< ev_timer expired */
#if EV_COMPAT3
	EV_TIMEOUT  = EV_TIMER,        /**< the old name of EV_TIMER */
#endif
	EV_PERIODIC = 0x00000200,      /**< ev_periodic reached its time */
	EV_SIGNAL   = 0x00000400,      /**< signal received */
	EV_CHILD    = 0x00000800,      /**< child changed state */
	EV_STAT     = 0x00001000,      /**< file attributes changed */
	EV_IDLE     = 0x00002000,      /**< nothing else to do */
	EV_PREPARE  = 0x00004000,      /**< the loop is about to wait */
	EV_CHECK    = 0x00008000,      /**< the loop has waited */
	EV_EMBED    = 0x00010000,      /**< an embedded loop has events */
	EV_FORK     = 0x00020000,      /**< the loop runs again after a fork */
	EV_CLEANUP  = 0x00040000,      /**< the loop is being destroyed */
	EV_ASYNC    = 0x00080000,      /**< ev_async_send() was called */
	EV_CUSTOM   = 0x01000000,      /**< free for the program's own use (ev_feed_event()) */
	EV_ERROR    = (int)0x80000000  /**< something went wrong (the watcher was stopped) */
};

/* ---- watchers
 * Fields marked private belong to the library; "ro" ones may be read at any time and
 * changed only while the watcher is stopped; "rw" ones may be changed at any time. */

/* The pieces of libev's watcher layout (fixed here: defining them beforehand is refused). */
#define EV_COMMON void *data;           /**< the program's field in every watcher */
/** The callback field of a watcher of type `type`. */
#define EV_CB_DECLARE(type) void (*cb)(EV_P_ struct type *w, int revents);
/** Calls a watcher's callback with `revents` (the loop variable `loop` must be in scope). */
#define EV_CB_INVOKE(watcher, revents) (watcher)->cb (EV_A_ (watcher), (revents))
/** Declares a callback function `name` for watchers of type ev_`type` (e.g. EV_CB(io, my_cb)). */
#define EV_CB(type, name) void name (EV_P_ struct ev_ ## type *w, int revents)
#define EV_DECL_PRIORITY int priority;  /**< the priority field of every watcher */

/** What every watcher starts with. */
#define EV_WATCHER(type)                                                              \
	int active;             /* private: non-zero while started */                 \
	int pending;            /* private: non-zero while its callback is queued */  \
	EV_DECL_PRIORITY        /* private: use ev_priority()/ev_set_priority() */     \
	EV_COMMON               /* rw: the program's pointer */                        \
	EV_CB_DECLARE (type)    /* private: use ev_cb()/ev_set_cb() */

/** The start of watchers the library keeps in lists (io, signal, child, stat). */
#define EV_WATCHER_LIST(type)                                                         \
	EV_WATCHER (type)                                                              \
	struct ev_watcher_list *next; /* private */

/** The start of watchers with a due time (timer, periodic). */
#define EV_WATCHER_TIME(type)                                                         \
	EV_WATCHER (type)                                                              \
	ev_tstamp at;           /* private */

/** The part all watchers share: a pointer to any watcher may be used as one (for ev_feed_event(),
 * ev_is_active()...). */
typedef struct ev_watcher {
	EV_WATCHER (ev_watcher)
} ev_watcher;

/** The part all list watchers (io, signal, child, stat) share. */
typedef struct ev_watcher_list {
	EV_WATCHER_LIST (ev_watcher_list)
} ev_watcher_list;

/** The part all timed watchers (timer, periodic) share. */
typedef struct ev_watcher_time {
	EV_WATCHER_TIME (ev_watcher_time)
} ev_watcher_time;

/** A descriptor becoming readable and/or writable (EV_READ, EV_WRITE). */
typedef struct ev_io {
	EV_WATCHER_LIST (ev_io)
	int fd;                 /**< ro: the descriptor */
	int events;             /**< ro: EV_READ and/or EV_WRITE (change with ev_io_modify() while stopped) */
} ev_io;

/** A delay on the monotonic clock, optionally repeating (EV_TIMER). */
typedef struct ev_timer {
	EV_WATCHER_TIME (ev_timer)
	ev_tstamp repeat;       /**< rw: the period after the first expiry, 0 for none (see ev_timer_again()) */
} ev_timer;

/** A wall-clock time: absolute, every interval from an offset, or computed (EV_PERIODIC). */
typedef struct ev_periodic {
	EV_WATCHER_TIME (ev_periodic)
	ev_tstamp offset;       /**< rw: the time (no interval), or the phase of the interval */
	ev_tstamp interval;     /**< rw: the period, 0 for a single time */
	ev_tstamp (*reschedule_cb)(struct ev_periodic *w, ev_tstamp now) EV_NOEXCEPT; /**< rw: returns the next time after `now` (takes precedence), or NULL */
} ev_periodic;

/** A signal (EV_SIGNAL). */
typedef struct ev_signal {
	EV_WATCHER_LIST (ev_signal)
	int signum;             /**< ro: the signal number */
} ev_signal;

/** A child process changing state, seen through SIGCHLD on the default loop (EV_CHILD). */
typedef struct ev_child {
	EV_WATCHER_LIST (ev_child)
	int flags;              /**< private */
	int pid;                /**< ro: the child, or 0 for any */
	int rpid;               /**< rw: the pid that changed */
	int rstatus;            /**< rw: its status, for the `<sys/wait.h>` macros */
} ev_child;

/** The attributes ev_stat reports: a `struct stat` (`st_nlink` 0 when the path does not exist). */
typedef struct stat ev_statdata;

/** A path whose attributes change (EV_STAT). */
typedef struct ev_stat {
	EV_WATCHER_LIST (ev_stat)
	ev_timer timer;         /**< private */
	ev_tstamp interval;     /**< ro: seconds between checks (0: 5 seconds; at least 0.1) */
	const char *path;       /**< ro: the path, not copied: it must stay valid while started */
	ev_statdata prev;       /**< ro: the attributes before the last change */
	ev_statdata attr;       /**< ro: the current attributes */
	int wd;                 /**< private */
} ev_stat;

/** The loop has nothing else to do (EV_IDLE). */
typedef struct ev_idle {
	EV_WATCHER (ev_idle)
} ev_idle;

/** Before the loop waits (EV_PREPARE). */
typedef struct ev_prepare {
	EV_WATCHER (ev_prepare)
} ev_prepare;

/** After the loop waited (EV_CHECK). */
typedef struct ev_check {
	EV_WATCHER (ev_check)
} ev_check;

/** The loop runs in a new process after ev_loop_fork() (EV_FORK). */
typedef struct ev_fork {
	EV_WATCHER (ev_fork)
} ev_fork;

/** The loop is being destroyed (EV_CLEANUP). */
typedef struct ev_cleanup {
	EV_WATCHER (ev_cleanup)
} ev_cleanup;

/** Another (epoll) loop served inside this one (EV_EMBED; a NULL callback sweeps it). */
typedef struct ev_embed {
	EV_WATCHER (ev_embed)
	struct ev_loop *other;  /**< ro: the embedded loop */
	ev_io io;               /**< private */
	ev_prepare prepare;     /**< private */
	ev_check check;         /**< unused */
	ev_timer timer;         /**< unused */
	ev_periodic periodic;   /**< unused */
	ev_idle idle;           /**< unused */
	ev_fork fork;           /**< private */
	ev_cleanup cleanup;     /**< unused */
} ev_embed;

/** A wake-up from any thread through ev_async_send() (EV_ASYNC). */
typedef struct ev_async {
	EV_WATCHER (ev_async)
	EV_ATOMIC_T sent;       /**< private: use ev_async_pending() */
} ev_async;

/** Non-zero when ev_async_send() was called on `w` and its callback has not been queued yet. */
#define ev_async_pending(w) (+(w)->sent)

/** Room for any watcher, for programs that keep watchers of several types in one array. */
union ev_any_watcher {
	struct ev_watcher w;
	struct ev_watcher_list wl;
	struct ev_io io;
	struct ev_timer timer;
	struct ev_periodic periodic;
	struct ev_signal signal;
	struct ev_child child;
	struct ev_stat stat;
	struct ev_idle idle;
	struct ev_prepare prepare;
	struct ev_check check;
	struct ev_fork fork;
	struct ev_cleanup cleanup;
	struct ev_embed embed;
	struct ev_async async;
};

/* ---- loop flags and backends (ev_default_loop, ev_loop_new, ev_backend) */

/** Flags of ev_default_loop() and ev_loop_new(), combined with EVBACKEND_* bits. */
enum {
	EVFLAG_AUTO      = 0x00000000U, /**< the defaults */
	EVFLAG_NOENV     = 0x01000000U, /**< ignore LIBEV_FLAGS */
	EVFLAG_FORKCHECK = 0x02000000U, /**< notice a fork by itself, at each iteration */
	EVFLAG_NOINOTIFY = 0x00100000U, /**< accepted; inotify is never used here */
#if EV_COMPAT3
	EVFLAG_NOSIGFD   = 0,           /**< the old flag asking for no signalfd, now the default (0) */
#endif
	EVFLAG_SIGNALFD  = 0x00200000U, /**< accepted; no effect here (signals are caught with a handler) */
	EVFLAG_NOSIGMASK = 0x00400000U, /**< leave the signal mask alone */
	EVFLAG_NOTIMERFD = 0x00800000U  /**< accepted; no effect here */
};

/** The backends (the kernel interfaces a loop waits with); here select, poll and epoll. */
enum {
	EVBACKEND_SELECT   = 0x00000001U, /**< select() */
	EVBACKEND_POLL     = 0x00000002U, /**< poll() */
	EVBACKEND_EPOLL    = 0x00000004U, /**< Linux epoll (preferred) */
	EVBACKEND_KQUEUE   = 0x00000008U, /**< BSD kqueue: not available */
	EVBACKEND_DEVPOLL  = 0x00000010U, /**< Solaris /dev/poll: not available */
	EVBACKEND_PORT     = 0x00000020U, /**< Solaris event ports: not available */
	EVBACKEND_LINUXAIO = 0x00000040U, /**< Linux aio: not available */
	EVBACKEND_IOURING  = 0x00000080U, /**< libev's io_uring backend: not available */
	EVBACKEND_ALL      = 0x000000FFU, /**< every backend libev knows */
	EVBACKEND_MASK     = 0x0000FFFFU  /**< the bits of a flags word that name backends */
};

/** ev_run() flags. */
enum {
	EVRUN_NOWAIT = 1,  /**< poll without waiting */
	EVRUN_ONCE   = 2   /**< wait once, then return */
};

/** ev_break() levels. */
enum {
	EVBREAK_CANCEL = 0, /**< undo an ev_break() */
	EVBREAK_ONE    = 1, /**< leave the innermost ev_run() */
	EVBREAK_ALL    = 2  /**< leave every ev_run() */
};

/** A function taking a loop, as ev_set_invoke_pending_cb() takes. */
typedef void (*ev_loop_callback)(EV_P);

/** The default loop once made (NULL before): what EV_DEFAULT_UC reads. Defined by the library;
 * the program must not write it. */
extern struct ev_loop *ev_default_loop_ptr;

/** The default loop, which must already exist (made by ev_default_loop()); NULL before. */
EV_INLINE struct ev_loop *
ev_default_loop_uc_ (void) EV_NOEXCEPT
{
	return ev_default_loop_ptr;
}

/** Non-zero when `loop` is the default loop. */
EV_INLINE int
ev_is_default_loop (EV_P) EV_NOEXCEPT
{
	return EV_A == EV_DEFAULT_UC;
}

/* ---- setting watchers up (the arguments other than the watcher are evaluated once) */

/* A watcher's state, for a watcher of any type (`ev` is a pointer to it). */
#define ev_priority(ev)          (+(((ev_watcher *)(void *)(ev))->priority))           /**< its priority, EV_MINPRI..EV_MAXPRI */
#define ev_set_priority(ev, pri) (((ev_watcher *)(void *)(ev))->priority = (pri))      /**< sets its priority, only while it is stopped (out of range: clamped at start) */
#define ev_is_pending(ev)        (0 + ((ev_watcher *)(void *)(ev))->pending)           /**< non-zero while its callback is queued */
#define ev_is_active(ev)         (0 + ((ev_watcher *)(void *)(ev))->active)            /**< non-zero while it is started */
#define ev_periodic_at(ev)       (+((ev_watcher_time *)(ev))->at)                      /**< when a started ev_periodic fires next (wall clock) */

/* The callback, through memmove so that the typed and the generic views do not alias. */
#define ev_cb_(ev) (ev)->cb              /**< private: the callback field of a typed watcher */
/** The callback of a watcher. */
#define ev_cb(ev) (memmove (&ev_cb_ (ev), &((ev_watcher *)(ev))->cb, sizeof (ev_cb_ (ev))), (ev)->cb)
#ifndef ev_set_cb
/** Changes the callback of a watcher (allowed at any time). */
# define ev_set_cb(ev, cb_) (ev_cb_ (ev) = (cb_), memmove (&((ev_watcher *)(ev))->cb, &ev_cb_ (ev), sizeof (ev_cb_ (ev))))
#endif

/** Prepares a watcher of any type: stopped, not pending, priority 0, callback `cb_`. Follow
 * with the type's ev_TYPE_set(), or use ev_TYPE_init(), which does both. Never on a started
 * watcher. */
#define ev_init(ev, cb_) do {                                \
	((ev_watcher *)(void *)(ev))->active =               \
	((ev_watcher *)(void *)(ev))->pending = 0;           \
	ev_set_priority ((ev), 0);                           \
	ev_set_cb ((ev), cb_);                               \
} while (0)

/* Set a stopped watcher's parameters (ev_TYPE_set), keeping its callback and priority. */
#define ev_io_set(ev, fd_, events_)           do { (ev)->fd = (fd_); (ev)->events = (events_) | EV__IOFDSET; } while (0)   /**< descriptor and EV_READ / EV_WRITE */
#define ev_io_modify(ev, events_)             do { (ev)->events = ((ev)->events & EV__IOFDSET) | (events_); } while (0)     /**< new events, same descriptor */
#define ev_timer_set(ev, after_, repeat_)     do { ((ev_watcher_time *)(ev))->at = (after_); (ev)->repeat = (repeat_); } while (0) /**< delay and repeat period (seconds) */
#define ev_periodic_set(ev, ofs_, ival_, rcb_) do { (ev)->offset = (ofs_); (ev)->interval = (ival_); (ev)->reschedule_cb = (rcb_); } while (0) /**< offset, interval, reschedule callback */
#define ev_signal_set(ev, signum_)            do { (ev)->signum = (signum_); } while (0)   /**< signal number */
#define ev_child_set(ev, pid_, trace_)        do { (ev)->pid = (pid_); (ev)->flags = !!(trace_); } while (0) /**< pid (0: any), and whether stops and continues are reported */
#define ev_stat_set(ev, path_, interval_)     do { (ev)->path = (path_); (ev)->interval = (interval_); (ev)->wd = -2; } while (0) /**< path (kept, not copied) and check interval */
#define ev_embed_set(ev, other_)              do { (ev)->other = (other_); } while (0)     /**< the loop to embed */
/* These watchers have nothing to set. */
#define ev_idle_set(ev)          /**< nothing to set */
#define ev_prepare_set(ev)       /**< nothing to set */
#define ev_check_set(ev)         /**< nothing to set */
#define ev_fork_set(ev)          /**< nothing to set */
#define ev_cleanup_set(ev)       /**< nothing to set */
#define ev_async_set(ev)         /**< nothing to set */

/* Prepare a watcher with its callback and parameters (ev_init() then ev_TYPE_set()). */
#define ev_io_init(ev, cb, fd, events)           do { ev_init ((ev), (cb)); ev_io_set ((ev), (fd), (events)); } while (0)               /**< an ev_io on `fd` for `events` */
#define ev_timer_init(ev, cb, after, repeat)     do { ev_init ((ev), (cb)); ev_timer_set ((ev), (after), (repeat)); } while (0)         /**< an ev_timer after `after` seconds, then every `repeat` */
#define ev_periodic_init(ev, cb, ofs, ival, rcb) do { ev_init ((ev), (cb)); ev_periodic_set ((ev), (ofs), (ival), (rcb)); } while (0)   /**< an ev_periodic */
#define ev_signal_init(ev, cb, signum)           do { ev_init ((ev), (cb)); ev_signal_set ((ev), (signum)); } while (0)                 /**< an ev_signal for `signum` */
#define ev_child_init(ev, cb, pid, trace)        do { ev_init ((ev), (cb)); ev_child_set ((ev), (pid), (trace)); } while (0)            /**< an ev_child for `pid` */
#define ev_stat_init(ev, cb, path, interval)     do { ev_init ((ev), (cb)); ev_stat_set ((ev), (path), (interval)); } while (0)         /**< an ev_stat on `path` */
#define ev_embed_init(ev, cb, other)             do { ev_init ((ev), (cb)); ev_embed_set ((ev), (other)); } while (0)                   /**< an ev_embed of `other` */
#define ev_idle_init(ev, cb)                     do { ev_init ((ev), (cb)); ev_idle_set ((ev)); } while (0)                             /**< an ev_idle */
#define ev_prepare_init(ev, cb)                  do { ev_init ((ev), (cb)); ev_prepare_set ((ev)); } while (0)                          /**< an ev_prepare */
#define ev_check_init(ev, cb)                    do { ev_init ((ev), (cb)); ev_check_set ((ev)); } while (0)                            /**< an ev_check */
#define ev_fork_init(ev, cb)                     do { ev_init ((ev), (cb)); ev_fork_set ((ev)); } while (0)                             /**< an ev_fork */
#define ev_cleanup_init(ev, cb)                  do { ev_init ((ev), (cb)); ev_cleanup_set ((ev)); } while (0)                          /**< an ev_cleanup */
#define ev_async_init(ev, cb)                    do { ev_init ((ev), (cb)); ev_async_set ((ev)); } while (0)                            /**< an ev_async */

#ifdef __cplusplus
}
#endif

/* ---- the functions (generated from the library's exports) */
#if EV_PROTOTYPES
#ifdef __cplusplus
extern "C" {
#endif

#include <event2/gen/ev.h>

#ifdef __cplusplus
/* libev's default arguments. */
struct ev_loop *ev_default_loop (unsigned int flags = 0);  /**< ev_default_loop() with flags 0 by default */
struct ev_loop *ev_loop_new (unsigned int flags = 0);      /**< ev_loop_new() with flags 0 by default */
int ev_run (struct ev_loop *loop, int flags = 0);          /**< ev_run() with flags 0 by default */
void ev_break (struct ev_loop *loop, int how = EVBREAK_ONE); /**< ev_break() with EVBREAK_ONE by default */
#endif

/* Names from before libev 4 (with EV_COMPAT3). */
#if EV_COMPAT3
# define EVLOOP_NONBLOCK EVRUN_NOWAIT    /**< the old name of EVRUN_NOWAIT */
# define EVLOOP_ONESHOT  EVRUN_ONCE      /**< the old name of EVRUN_ONCE */
# define EVUNLOOP_CANCEL EVBREAK_CANCEL  /**< the old name of EVBREAK_CANCEL */
# define EVUNLOOP_ONE    EVBREAK_ONE     /**< the old name of EVBREAK_ONE */
# define EVUNLOOP_ALL    EVBREAK_ALL     /**< the old name of EVBREAK_ALL */
EV_INLINE void ev_loop (EV_P_ int flags) { ev_run (EV_A_ flags); }                /**< the old name of ev_run() */
EV_INLINE void ev_unloop (EV_P_ int how) { ev_break (EV_A_ how); }                /**< the old name of ev_break() */
EV_INLINE void ev_default_destroy (void) { ev_loop_destroy (EV_DEFAULT); }        /**< ev_loop_destroy() of the default loop */
EV_INLINE void ev_default_fork (void) { ev_loop_fork (EV_DEFAULT); }              /**< ev_loop_fork() of the default loop */
EV_INLINE unsigned int ev_loop_count (EV_P) { return ev_iteration (EV_A); }       /**< the old name of ev_iteration() */
EV_INLINE unsigned int ev_loop_depth (EV_P) { return ev_depth (EV_A); }           /**< the old name of ev_depth() */
EV_INLINE void ev_loop_verify (EV_P) { ev_verify (EV_A); }                        /**< the old name of ev_verify() */
#else
/** Without EV_COMPAT3, `ev_loop` names the loop type (libev 4's spelling `struct ev_loop` works
 * either way). */
typedef struct ev_loop ev_loop;
#endif

#ifdef __cplusplus
}
#endif
#endif /* EV_PROTOTYPES */

#endif /* EV_H_ */
