/* event_rs: the libev 4.33 API (<ev.h>), served by event_rs's reactor.
 *
 * Watchers are structs the program owns; the library reads and writes them at the offsets
 * of libev's own header in its default configuration: several loops (EV_MULTIPLICITY),
 * priorities -2..2, a `void *data` in every watcher, `double` timestamps. A program built
 * against either header therefore runs on either library. That configuration is fixed here:
 * the knobs libev offers to change watcher layouts (EV_COMMON, EV_CB_DECLARE, EV_TSTAMP_T,
 * other priority ranges, a single loop) are refused.
 *
 * libev's EV_READ, EV_WRITE, EV_TIMER... differ from libevent's EV_* values: a source file
 * includes either this header or <event.h>/<event2/event.h>, not both. */
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

#ifdef __cplusplus
# define EV_CPP(x) x
# if __cplusplus >= 201103L
#  define EV_NOEXCEPT noexcept
# else
#  define EV_NOEXCEPT
# endif
#else
# define EV_CPP(x)
# define EV_NOEXCEPT
#endif
#define EV_THROW EV_NOEXCEPT

#ifdef __cplusplus
extern "C" {
#endif

/* ---- configuration (what the library was built with) */

#ifndef EV_COMPAT3
# define EV_COMPAT3 1
#endif
#define EV_FEATURES 0x7f
#define EV_FEATURE_CODE     ((EV_FEATURES) & 1)
#define EV_FEATURE_DATA     ((EV_FEATURES) & 2)
#define EV_FEATURE_CONFIG   ((EV_FEATURES) & 4)
#define EV_FEATURE_API      ((EV_FEATURES) & 8)
#define EV_FEATURE_WATCHERS ((EV_FEATURES) & 16)
#define EV_FEATURE_BACKENDS ((EV_FEATURES) & 32)
#define EV_FEATURE_OS       ((EV_FEATURES) & 64)

#ifndef EV_MINPRI
# define EV_MINPRI -2
#endif
#ifndef EV_MAXPRI
# define EV_MAXPRI 2
#endif
/* Switches, with the values libev's header gives them (non-zero: on). */
#ifndef EV_MULTIPLICITY
# define EV_MULTIPLICITY EV_FEATURE_CONFIG
#endif
#define EV_PERIODIC_ENABLE EV_FEATURE_WATCHERS
#define EV_STAT_ENABLE EV_FEATURE_WATCHERS
#define EV_PREPARE_ENABLE EV_FEATURE_WATCHERS
#define EV_CHECK_ENABLE EV_FEATURE_WATCHERS
#define EV_IDLE_ENABLE EV_FEATURE_WATCHERS
#define EV_FORK_ENABLE EV_FEATURE_WATCHERS
#define EV_CLEANUP_ENABLE EV_FEATURE_WATCHERS
#define EV_SIGNAL_ENABLE EV_FEATURE_WATCHERS
#define EV_CHILD_ENABLE EV_FEATURE_WATCHERS
#define EV_ASYNC_ENABLE EV_FEATURE_WATCHERS
#define EV_EMBED_ENABLE EV_FEATURE_WATCHERS
#define EV_IO_ENABLE 1
#define EV_WALK_ENABLE 0
#ifndef EV_PROTOTYPES
# define EV_PROTOTYPES 1
#endif

#define EV_VERSION_MAJOR 4
#define EV_VERSION_MINOR 33

/* Timestamps: seconds, as a double. */
typedef double ev_tstamp;

#ifndef EV_ATOMIC_T
# define EV_ATOMIC_T sig_atomic_t volatile
#endif

/* ---- the loop argument of every call */

struct ev_loop;
#define EV_P  struct ev_loop *loop
#define EV_P_ EV_P,
#define EV_A  loop
#define EV_A_ EV_A,
#define EV_DEFAULT_UC  ev_default_loop_uc_ ()
#define EV_DEFAULT_UC_ EV_DEFAULT_UC,
#define EV_DEFAULT  ev_default_loop (0)
#define EV_DEFAULT_ EV_DEFAULT,

#if __STDC_VERSION__ >= 199901L || __GNUC__ >= 3
# define EV_INLINE static inline
#else
# define EV_INLINE static
#endif
#define EV_API_DECL extern

/* ---- event bits: what a watcher waits for, and what its callback receives */

enum {
	EV_UNDEF    = (int)0xFFFFFFFF, /* never a valid mask */
	EV_NONE     = 0x00,
	EV_READ     = 0x01,            /* ev_io: readable */
	EV_WRITE    = 0x02,            /* ev_io: writable */
	EV__IOFDSET = 0x80,            /* private: set by ev_io_set() */
	EV_IO       = EV_READ,
	EV_TIMER    = 0x00000100,      /* ev_timer expired */
#if EV_COMPAT3
	EV_TIMEOUT  = EV_TIMER,
#endif
	EV_PERIODIC = 0x00000200,      /* ev_periodic reached its time */
	EV_SIGNAL   = 0x00000400,      /* signal received */
	EV_CHILD    = 0x00000800,      /* child changed state */
	EV_STAT     = 0x00001000,      /* file attributes changed */
	EV_IDLE     = 0x00002000,      /* nothing else to do */
	EV_PREPARE  = 0x00004000,      /* the loop is about to wait */
	EV_CHECK    = 0x00008000,      /* the loop has waited */
	EV_EMBED    = 0x00010000,      /* an embedded loop has events */
	EV_FORK     = 0x00020000,      /* the loop runs again after a fork */
	EV_CLEANUP  = 0x00040000,      /* the loop is being destroyed */
	EV_ASYNC    = 0x00080000,      /* ev_async_send() was called */
	EV_CUSTOM   = 0x01000000,      /* free for the program's own use */
	EV_ERROR    = (int)0x80000000  /* something went wrong (the watcher was stopped) */
};

/* ---- watchers
 * Fields marked private belong to the library; "ro" ones may be read at any time and
 * changed only while the watcher is stopped; "rw" ones may be changed at any time. */

#define EV_COMMON void *data;
#define EV_CB_DECLARE(type) void (*cb)(EV_P_ struct type *w, int revents);
#define EV_CB_INVOKE(watcher, revents) (watcher)->cb (EV_A_ (watcher), (revents))
#define EV_CB(type, name) void name (EV_P_ struct ev_ ## type *w, int revents)
#define EV_DECL_PRIORITY int priority;

/* What every watcher starts with. */
#define EV_WATCHER(type)                                                              \
	int active;             /* private: non-zero while started */                 \
	int pending;            /* private: non-zero while its callback is queued */  \
	EV_DECL_PRIORITY        /* private: use ev_priority()/ev_set_priority() */     \
	EV_COMMON               /* rw: the program's pointer */                        \
	EV_CB_DECLARE (type)    /* private: use ev_cb()/ev_set_cb() */

#define EV_WATCHER_LIST(type)                                                         \
	EV_WATCHER (type)                                                              \
	struct ev_watcher_list *next; /* private */

#define EV_WATCHER_TIME(type)                                                         \
	EV_WATCHER (type)                                                              \
	ev_tstamp at;           /* private */

typedef struct ev_watcher {
	EV_WATCHER (ev_watcher)
} ev_watcher;

typedef struct ev_watcher_list {
	EV_WATCHER_LIST (ev_watcher_list)
} ev_watcher_list;

typedef struct ev_watcher_time {
	EV_WATCHER_TIME (ev_watcher_time)
} ev_watcher_time;

/* A descriptor becoming readable and/or writable (EV_READ, EV_WRITE). */
typedef struct ev_io {
	EV_WATCHER_LIST (ev_io)
	int fd;                 /* ro */
	int events;             /* ro */
} ev_io;

/* A delay on the monotonic clock, optionally repeating (EV_TIMER). */
typedef struct ev_timer {
	EV_WATCHER_TIME (ev_timer)
	ev_tstamp repeat;       /* rw */
} ev_timer;

/* A wall-clock time: absolute, every interval from an offset, or computed (EV_PERIODIC). */
typedef struct ev_periodic {
	EV_WATCHER_TIME (ev_periodic)
	ev_tstamp offset;       /* rw */
	ev_tstamp interval;     /* rw */
	ev_tstamp (*reschedule_cb)(struct ev_periodic *w, ev_tstamp now) EV_NOEXCEPT; /* rw */
} ev_periodic;

/* A signal (EV_SIGNAL). */
typedef struct ev_signal {
	EV_WATCHER_LIST (ev_signal)
	int signum;             /* ro */
} ev_signal;

/* A child process changing state, seen through SIGCHLD on the default loop (EV_CHILD). */
typedef struct ev_child {
	EV_WATCHER_LIST (ev_child)
	int flags;              /* private */
	int pid;                /* ro: the child, or 0 for any */
	int rpid;               /* rw: the pid that changed */
	int rstatus;            /* rw: its status, for the <sys/wait.h> macros */
} ev_child;

/* A path whose attributes change (EV_STAT); st_nlink 0 means it does not exist. */
typedef struct stat ev_statdata;

typedef struct ev_stat {
	EV_WATCHER_LIST (ev_stat)
	ev_timer timer;         /* private */
	ev_tstamp interval;     /* ro */
	const char *path;       /* ro */
	ev_statdata prev;       /* ro: the attributes before the last change */
	ev_statdata attr;       /* ro: the current attributes */
	int wd;                 /* private */
} ev_stat;

/* The loop has nothing else to do (EV_IDLE). */
typedef struct ev_idle {
	EV_WATCHER (ev_idle)
} ev_idle;

/* Before the loop waits (EV_PREPARE). */
typedef struct ev_prepare {
	EV_WATCHER (ev_prepare)
} ev_prepare;

/* After the loop waited (EV_CHECK). */
typedef struct ev_check {
	EV_WATCHER (ev_check)
} ev_check;

/* The loop runs in a new process after ev_loop_fork() (EV_FORK). */
typedef struct ev_fork {
	EV_WATCHER (ev_fork)
} ev_fork;

/* The loop is being destroyed (EV_CLEANUP). */
typedef struct ev_cleanup {
	EV_WATCHER (ev_cleanup)
} ev_cleanup;

/* Another (epoll) loop served inside this one (EV_EMBED; a NULL callback sweeps it). */
typedef struct ev_embed {
	EV_WATCHER (ev_embed)
	struct ev_loop *other;  /* ro */
	ev_io io;               /* private */
	ev_prepare prepare;     /* private */
	ev_check check;         /* unused */
	ev_timer timer;         /* unused */
	ev_periodic periodic;   /* unused */
	ev_idle idle;           /* unused */
	ev_fork fork;           /* private */
	ev_cleanup cleanup;     /* unused */
} ev_embed;

/* A wake-up from any thread through ev_async_send() (EV_ASYNC). */
typedef struct ev_async {
	EV_WATCHER (ev_async)
	EV_ATOMIC_T sent;       /* private */
} ev_async;

#define ev_async_pending(w) (+(w)->sent)

/* Room for any watcher. */
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

enum {
	EVFLAG_AUTO      = 0x00000000U,
	EVFLAG_NOENV     = 0x01000000U, /* ignore LIBEV_FLAGS */
	EVFLAG_FORKCHECK = 0x02000000U, /* notice a fork by itself, at each iteration */
	EVFLAG_NOINOTIFY = 0x00100000U,
#if EV_COMPAT3
	EVFLAG_NOSIGFD   = 0,
#endif
	EVFLAG_SIGNALFD  = 0x00200000U,
	EVFLAG_NOSIGMASK = 0x00400000U, /* leave the signal mask alone */
	EVFLAG_NOTIMERFD = 0x00800000U
};

enum {
	EVBACKEND_SELECT   = 0x00000001U,
	EVBACKEND_POLL     = 0x00000002U,
	EVBACKEND_EPOLL    = 0x00000004U,
	EVBACKEND_KQUEUE   = 0x00000008U,
	EVBACKEND_DEVPOLL  = 0x00000010U,
	EVBACKEND_PORT     = 0x00000020U,
	EVBACKEND_LINUXAIO = 0x00000040U,
	EVBACKEND_IOURING  = 0x00000080U,
	EVBACKEND_ALL      = 0x000000FFU,
	EVBACKEND_MASK     = 0x0000FFFFU
};

/* ev_run() flags and ev_break() levels. */
enum {
	EVRUN_NOWAIT = 1,  /* poll without waiting */
	EVRUN_ONCE   = 2   /* wait once, then return */
};

enum {
	EVBREAK_CANCEL = 0, /* undo an ev_break() */
	EVBREAK_ONE    = 1, /* leave the innermost ev_run() */
	EVBREAK_ALL    = 2  /* leave every ev_run() */
};

typedef void (*ev_loop_callback)(EV_P);

/* The default loop, once made: what EV_DEFAULT_UC reads. */
extern struct ev_loop *ev_default_loop_ptr;

EV_INLINE struct ev_loop *
ev_default_loop_uc_ (void) EV_NOEXCEPT
{
	return ev_default_loop_ptr;
}

EV_INLINE int
ev_is_default_loop (EV_P) EV_NOEXCEPT
{
	return EV_A == EV_DEFAULT_UC;
}

/* ---- setting watchers up (the arguments other than the watcher are evaluated once) */

#define ev_priority(ev)          (+(((ev_watcher *)(void *)(ev))->priority))
#define ev_set_priority(ev, pri) (((ev_watcher *)(void *)(ev))->priority = (pri))
#define ev_is_pending(ev)        (0 + ((ev_watcher *)(void *)(ev))->pending)
#define ev_is_active(ev)         (0 + ((ev_watcher *)(void *)(ev))->active)
#define ev_periodic_at(ev)       (+((ev_watcher_time *)(ev))->at)

/* The callback, through memmove so that the typed and the generic views do not alias. */
#define ev_cb_(ev) (ev)->cb
#define ev_cb(ev) (memmove (&ev_cb_ (ev), &((ev_watcher *)(ev))->cb, sizeof (ev_cb_ (ev))), (ev)->cb)
#ifndef ev_set_cb
# define ev_set_cb(ev, cb_) (ev_cb_ (ev) = (cb_), memmove (&((ev_watcher *)(ev))->cb, &ev_cb_ (ev), sizeof (ev_cb_ (ev))))
#endif

#define ev_init(ev, cb_) do {                                \
	((ev_watcher *)(void *)(ev))->active =               \
	((ev_watcher *)(void *)(ev))->pending = 0;           \
	ev_set_priority ((ev), 0);                           \
	ev_set_cb ((ev), cb_);                               \
} while (0)

#define ev_io_set(ev, fd_, events_)           do { (ev)->fd = (fd_); (ev)->events = (events_) | EV__IOFDSET; } while (0)
#define ev_io_modify(ev, events_)             do { (ev)->events = ((ev)->events & EV__IOFDSET) | (events_); } while (0)
#define ev_timer_set(ev, after_, repeat_)     do { ((ev_watcher_time *)(ev))->at = (after_); (ev)->repeat = (repeat_); } while (0)
#define ev_periodic_set(ev, ofs_, ival_, rcb_) do { (ev)->offset = (ofs_); (ev)->interval = (ival_); (ev)->reschedule_cb = (rcb_); } while (0)
#define ev_signal_set(ev, signum_)            do { (ev)->signum = (signum_); } while (0)
#define ev_child_set(ev, pid_, trace_)        do { (ev)->pid = (pid_); (ev)->flags = !!(trace_); } while (0)
#define ev_stat_set(ev, path_, interval_)     do { (ev)->path = (path_); (ev)->interval = (interval_); (ev)->wd = -2; } while (0)
#define ev_embed_set(ev, other_)              do { (ev)->other = (other_); } while (0)
/* These watchers have nothing to set. */
#define ev_idle_set(ev)
#define ev_prepare_set(ev)
#define ev_check_set(ev)
#define ev_fork_set(ev)
#define ev_cleanup_set(ev)
#define ev_async_set(ev)

#define ev_io_init(ev, cb, fd, events)           do { ev_init ((ev), (cb)); ev_io_set ((ev), (fd), (events)); } while (0)
#define ev_timer_init(ev, cb, after, repeat)     do { ev_init ((ev), (cb)); ev_timer_set ((ev), (after), (repeat)); } while (0)
#define ev_periodic_init(ev, cb, ofs, ival, rcb) do { ev_init ((ev), (cb)); ev_periodic_set ((ev), (ofs), (ival), (rcb)); } while (0)
#define ev_signal_init(ev, cb, signum)           do { ev_init ((ev), (cb)); ev_signal_set ((ev), (signum)); } while (0)
#define ev_child_init(ev, cb, pid, trace)        do { ev_init ((ev), (cb)); ev_child_set ((ev), (pid), (trace)); } while (0)
#define ev_stat_init(ev, cb, path, interval)     do { ev_init ((ev), (cb)); ev_stat_set ((ev), (path), (interval)); } while (0)
#define ev_embed_init(ev, cb, other)             do { ev_init ((ev), (cb)); ev_embed_set ((ev), (other)); } while (0)
#define ev_idle_init(ev, cb)                     do { ev_init ((ev), (cb)); ev_idle_set ((ev)); } while (0)
#define ev_prepare_init(ev, cb)                  do { ev_init ((ev), (cb)); ev_prepare_set ((ev)); } while (0)
#define ev_check_init(ev, cb)                    do { ev_init ((ev), (cb)); ev_check_set ((ev)); } while (0)
#define ev_fork_init(ev, cb)                     do { ev_init ((ev), (cb)); ev_fork_set ((ev)); } while (0)
#define ev_cleanup_init(ev, cb)                  do { ev_init ((ev), (cb)); ev_cleanup_set ((ev)); } while (0)
#define ev_async_init(ev, cb)                    do { ev_init ((ev), (cb)); ev_async_set ((ev)); } while (0)

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
struct ev_loop *ev_default_loop (unsigned int flags = 0);
struct ev_loop *ev_loop_new (unsigned int flags = 0);
int ev_run (struct ev_loop *loop, int flags = 0);
void ev_break (struct ev_loop *loop, int how = EVBREAK_ONE);
#endif

/* Names from before libev 4. */
#if EV_COMPAT3
# define EVLOOP_NONBLOCK EVRUN_NOWAIT
# define EVLOOP_ONESHOT  EVRUN_ONCE
# define EVUNLOOP_CANCEL EVBREAK_CANCEL
# define EVUNLOOP_ONE    EVBREAK_ONE
# define EVUNLOOP_ALL    EVBREAK_ALL
EV_INLINE void ev_loop (EV_P_ int flags) { ev_run (EV_A_ flags); }
EV_INLINE void ev_unloop (EV_P_ int how) { ev_break (EV_A_ how); }
EV_INLINE void ev_default_destroy (void) { ev_loop_destroy (EV_DEFAULT); }
EV_INLINE void ev_default_fork (void) { ev_loop_fork (EV_DEFAULT); }
EV_INLINE unsigned int ev_loop_count (EV_P) { return ev_iteration (EV_A); }
EV_INLINE unsigned int ev_loop_depth (EV_P) { return ev_depth (EV_A); }
EV_INLINE void ev_loop_verify (EV_P) { ev_verify (EV_A); }
#else
typedef struct ev_loop ev_loop;
#endif

#ifdef __cplusplus
}
#endif
#endif /* EV_PROTOTYPES */

#endif /* EV_H_ */
