//! The watcher structs as libev's <ev.h> lays them out in its default configuration (several
//! loops, priorities -2..2, a `void *data` in every watcher, `double` timestamps). Programs
//! own these structs and initialise them with header macros, so the library only ever reads
//! and writes them at these offsets.
//!
//! The private fields keep libev's meaning where a program can observe it: `active` is
//! non-zero while started (here: 1 + the watcher's index in its loop's table for its kind),
//! `pending` is non-zero while queued (1 + its index in the queue of its priority).
use crate::libev::evloop::EvLoop;
use libc::{c_char, c_int, c_void};

pub type Tstamp = f64;

/// Priorities: higher numbers run first.
pub const MINPRI: c_int = -2;
pub const MAXPRI: c_int = 2;
pub const NUMPRI: usize = (MAXPRI - MINPRI + 1) as usize;

// Event bits (libev's values, not libevent's).
pub const EV_NONE: c_int = 0;
pub const EV_READ: c_int = 0x01;
pub const EV_WRITE: c_int = 0x02;
pub const EV_IOFDSET: c_int = 0x80;
pub const EV_TIMER: c_int = 0x100;
pub const EV_PERIODIC: c_int = 0x200;
pub const EV_SIGNAL: c_int = 0x400;
pub const EV_CHILD: c_int = 0x800;
pub const EV_STAT: c_int = 0x1000;
pub const EV_IDLE: c_int = 0x2000;
pub const EV_PREPARE: c_int = 0x4000;
pub const EV_CHECK: c_int = 0x8000;
pub const EV_EMBED: c_int = 0x10000;
pub const EV_FORK: c_int = 0x20000;
pub const EV_CLEANUP: c_int = 0x40000;
pub const EV_ASYNC: c_int = 0x80000;
pub const EV_CUSTOM: c_int = 0x0100_0000;
pub const EV_ERROR: c_int = 0x8000_0000u32 as c_int;

// Loop flags and backends.
pub const EVFLAG_NOENV: u32 = 0x0100_0000;
pub const EVFLAG_FORKCHECK: u32 = 0x0200_0000;
pub const EVFLAG_NOSIGMASK: u32 = 0x0040_0000;
pub const EVBACKEND_SELECT: u32 = 0x01;
pub const EVBACKEND_POLL: u32 = 0x02;
pub const EVBACKEND_EPOLL: u32 = 0x04;
pub const EVBACKEND_MASK: u32 = 0xffff;

// ev_run flags and ev_break levels.
pub const EVRUN_NOWAIT: c_int = 1;
pub const EVRUN_ONCE: c_int = 2;
pub const EVBREAK_CANCEL: c_int = 0;
pub const EVBREAK_ONE: c_int = 1;
pub const EVBREAK_ALL: c_int = 2;

/// Every callback is called as `cb(loop, watcher, revents)`; the watcher's real type varies.
pub type WatcherCb = Option<unsafe extern "C" fn(*mut EvLoop, *mut Watcher, c_int)>;
pub type RescheduleCb = Option<unsafe extern "C" fn(*mut Periodic, Tstamp) -> Tstamp>;

/// The fields every watcher starts with (`ev_watcher`).
#[repr(C)]
pub struct Watcher {
    pub active: c_int,
    pub pending: c_int,
    pub priority: c_int,
    pub data: *mut c_void,
    pub cb: WatcherCb,
}

/// `ev_watcher_list`: a watcher with a private link.
#[repr(C)]
pub struct WatcherList {
    pub w: Watcher,
    pub next: *mut WatcherList,
}

#[repr(C)]
pub struct Io {
    pub wl: WatcherList,
    pub fd: c_int,
    pub events: c_int,
}

#[repr(C)]
pub struct Timer {
    pub w: Watcher,
    /// Before start: the delay; while active: the deadline on the monotonic clock; after stop:
    /// the time that was left.
    pub at: Tstamp,
    pub repeat: Tstamp,
}

#[repr(C)]
pub struct Periodic {
    pub w: Watcher,
    /// The next wall-clock time the watcher fires (ev_periodic_at).
    pub at: Tstamp,
    pub offset: Tstamp,
    pub interval: Tstamp,
    pub reschedule_cb: RescheduleCb,
}

#[repr(C)]
pub struct Signal {
    pub wl: WatcherList,
    pub signum: c_int,
}

#[repr(C)]
pub struct Child {
    pub wl: WatcherList,
    /// Bit 0: also report stopped and continued children.
    pub flags: c_int,
    pub pid: c_int,
    pub rpid: c_int,
    pub rstatus: c_int,
}

#[repr(C)]
pub struct Stat {
    pub wl: WatcherList,
    /// Unused here (libev keeps an internal timer in it); kept for the layout.
    pub timer: Timer,
    pub interval: Tstamp,
    pub path: *const c_char,
    pub prev: libc::stat,
    pub attr: libc::stat,
    pub wd: c_int,
}

/// ev_idle, ev_prepare, ev_check, ev_fork, ev_cleanup: nothing beyond the common fields.
pub type Idle = Watcher;
pub type Prepare = Watcher;
pub type Check = Watcher;
pub type Fork = Watcher;
pub type Cleanup = Watcher;

#[repr(C)]
pub struct Async {
    pub w: Watcher,
    /// Set by ev_async_send (any thread), cleared by the loop: `sig_atomic_t volatile`.
    pub sent: c_int,
}

#[repr(C)]
pub struct Embed {
    pub w: Watcher,
    pub other: *mut EvLoop,
    pub io: Io,
    pub prepare: Prepare,
    pub check: Check,
    pub timer: Timer,
    pub periodic: Periodic,
    pub idle: Idle,
    pub fork: Fork,
    pub cleanup: Cleanup,
}

// The sizes <ev.h> gives on x86-64 (checked against the system's header by a C test too).
const _: () = assert!(std::mem::size_of::<Watcher>() == 32);
const _: () = assert!(std::mem::size_of::<Io>() == 48);
const _: () = assert!(std::mem::size_of::<Timer>() == 48);
const _: () = assert!(std::mem::size_of::<Periodic>() == 64);
const _: () = assert!(std::mem::size_of::<Signal>() == 48);
const _: () = assert!(std::mem::size_of::<Child>() == 56);
const _: () = assert!(std::mem::size_of::<Stat>() == 400);
const _: () = assert!(std::mem::size_of::<Async>() == 40);
const _: () = assert!(std::mem::size_of::<Embed>() == 360);

/// Clamps a watcher's priority into libev's range, as starting a watcher does.
pub unsafe fn adjust_priority(w: *mut Watcher) {
    (*w).priority = (*w).priority.clamp(MINPRI, MAXPRI);
}

/// The index of a watcher's priority in per-priority tables (0 = lowest).
pub unsafe fn abs_priority(w: *const Watcher) -> usize {
    ((*w).priority.clamp(MINPRI, MAXPRI) - MINPRI) as usize
}
