//! `struct ev_loop`: one core event base plus the libev bookkeeping around it (pending queues,
//! the tables of started watchers, the loop's clocks).
//!
//! The state sits in a RefCell and is borrowed only for short stretches that never include a
//! user callback: every function that calls back into the program takes the raw loop pointer
//! and borrows again afterwards (the callback may have started, stopped or freed anything).
//! The few fields another thread may touch (ev_async_send) are atomics outside the RefCell.
use crate::core::base::{DelMode, EventBase};
use crate::core::config::{EventConfig, FLAG_IGNORE_ENV, FLAG_NOLOCK};
use crate::core::time;
use crate::libev::alloc;
use crate::libev::hook::{Hook, Kind};
use crate::libev::watcher::*;
use libc::{c_int, c_uint, c_void, pid_t};
use std::cell::{RefCell, RefMut};
use std::ffi::CString;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

pub type LoopCb = Option<unsafe extern "C" fn(*mut EvLoop)>;

extern "C" {
    /// The default loop, read by the inline ev_default_loop_uc_() of <ev.h>. Defined in
    /// src/shim/ev.c so that every access goes through the GOT and lands on the program's
    /// copy of the variable when it has one (a copy relocation in a non-PIC executable).
    static mut ev_default_loop_ptr: *mut c_void;
}

pub fn default_loop() -> *mut EvLoop {
    // SAFETY: a plain pointer-sized read of a variable only this module writes.
    unsafe { ptr::addr_of!(ev_default_loop_ptr).read_volatile() as *mut EvLoop }
}

fn set_default_loop(lp: *mut EvLoop) {
    // SAFETY: as above; libev's default loop is not thread-safe either.
    unsafe { ptr::addr_of_mut!(ev_default_loop_ptr).write_volatile(lp as *mut c_void) }
}

/// State another thread may touch: ev_async_send() sets the flag and writes the eventfd.
pub struct Shared {
    pub async_pending: AtomicBool,
    pub async_fd: AtomicI32,
}

pub struct EvLoop {
    pub shared: Shared,
    pub st: RefCell<State>,
    /// The allocator this struct came from.
    pub allocator: usize,
}

/// One queued callback: `w` is null once ev_clear_pending() (or a stop) removed it.
#[derive(Clone, Copy)]
pub struct Pending {
    pub w: *mut Watcher,
    pub events: c_int,
}

pub struct State {
    pub base: *mut EventBase,
    pub flags: c_uint,
    pub backend: c_uint,
    pub is_default: bool,
    /// Monotonic time (timers) and wall-clock time (ev_now, periodics), in seconds, as of
    /// the last time update; their difference, to notice wall-clock jumps.
    pub mn_now: Tstamp,
    pub rt_now: Tstamp,
    pub rtmn_diff: Tstamp,
    /// When (monotonic) the wall clock was last read.
    pub wall_checked: Tstamp,
    pub depth: c_uint,
    pub iteration: c_uint,
    /// EVBREAK_* requested by ev_break().
    pub done: c_int,
    /// Started watchers plus ev_ref() minus ev_unref(): ev_run returns when it drops to 0.
    pub activecnt: c_int,
    pub postfork: bool,
    /// The pid checked each iteration with EVFLAG_FORKCHECK (0: not checked).
    pub curpid: pid_t,
    pub userdata: *mut c_void,
    pub invoke_cb: LoopCb,
    pub release_cb: LoopCb,
    pub acquire_cb: LoopCb,
    pub io_blocktime: Tstamp,
    pub timeout_blocktime: Tstamp,
    pub pendings: [Vec<Pending>; NUMPRI],
    /// The priority ev_invoke_pending() is working on; feeding resets it to the highest, so
    /// a callback that queues a higher-priority watcher has it run next.
    pub pendingpri: usize,
    pub prepares: Vec<*mut Watcher>,
    pub checks: Vec<*mut Watcher>,
    pub forks: Vec<*mut Watcher>,
    pub cleanups: Vec<*mut Watcher>,
    pub idles: [Vec<*mut Watcher>; NUMPRI],
    pub idleall: usize,
    pub asyncs: Vec<*mut Watcher>,
    pub childs: Vec<*mut Watcher>,
    /// Watchers served by a core event (io, timer, periodic, signal, stat, embed): slot i
    /// holds the hook of the watcher whose `active` is i + 1.
    pub hooks: Vec<*mut Hook>,
    pub free_slots: Vec<usize>,
    /// Hooks of stopped watchers, kept for reuse.
    pub spare: Vec<*mut Hook>,
    /// How many embed watchers are started (their loops are looked at before each poll).
    pub embeds: usize,
    /// How many io hooks are always ready (the loop then never blocks).
    pub always_ready: usize,
    /// Timers, periodics and embeds whose core event fired during the current poll, in the
    /// order the core ran them; handled after the poll.
    pub fired: Vec<(*mut Hook, *mut Watcher)>,
    pub scratch: Vec<(*mut Hook, *mut Watcher)>,
    /// Internal hooks: SIGCHLD on the default loop, the eventfd that ev_async_send() writes.
    pub child_hook: *mut Hook,
    pub async_hook: *mut Hook,
    /// The internal timer that ends a poll after at most MAX_BLOCKTIME, and when it is due
    /// (0: not armed).
    pub wakeup_hook: *mut Hook,
    pub wakeup_at: Tstamp,
}

/// Borrows the loop's state. The guard must be dropped before any user callback runs.
#[inline]
pub unsafe fn st<'a>(lp: *const EvLoop) -> RefMut<'a, State> {
    (*lp).st.borrow_mut()
}

pub fn mono_now() -> Tstamp {
    time::monotonic_us() as f64 * 1e-6
}

pub fn wall_now() -> Tstamp {
    time::wallclock_us() as f64 * 1e-6
}

/// The backends libev knows that the core provides, in libev's order of preference.
const BACKENDS: [(u32, &std::ffi::CStr); 3] =
    [(EVBACKEND_EPOLL, c"epoll"), (EVBACKEND_POLL, c"poll"), (EVBACKEND_SELECT, c"select")];

pub fn supported_backends() -> c_uint {
    EVBACKEND_EPOLL | EVBACKEND_POLL | EVBACKEND_SELECT
}

/// Makes a loop; NULL when none of the requested backends can be had.
pub unsafe fn new_loop(mut flags: c_uint, is_default: bool) -> *mut EvLoop {
    if flags & EVFLAG_NOENV == 0 && libc::getuid() == libc::geteuid() && libc::getgid() == libc::getegid() {
        if let Some(v) = std::env::var_os("LIBEV_FLAGS") {
            flags = v.to_str().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(0) as c_uint;
        }
    }
    let mut wanted = flags & EVBACKEND_MASK;
    if wanted == 0 {
        wanted = supported_backends();
    }
    let mut cfg = EventConfig { flags: FLAG_IGNORE_ENV | FLAG_NOLOCK, ..EventConfig::default() };
    for (bit, name) in BACKENDS {
        if wanted & bit == 0 {
            cfg.avoid.push(CString::from(name));
        }
    }
    if wanted & supported_backends() == 0 {
        return ptr::null_mut();
    }
    let base = EventBase::new(Some(&cfg));
    if base.is_null() {
        return ptr::null_mut();
    }
    // Refused descriptors become watcher events here, not log messages.
    (*base).backend.set_quiet(true);
    let backend = BACKENDS.iter().find(|(_, n)| *n == (*base).backend.name()).map_or(0, |(b, _)| *b);
    let allocator = alloc::current();
    let lp = alloc::alloc::<EvLoop>(allocator);
    ptr::write(
        lp,
        EvLoop {
            allocator,
            shared: Shared { async_pending: AtomicBool::new(false), async_fd: AtomicI32::new(-1) },
            st: RefCell::new(State {
                base,
                flags,
                backend,
                is_default,
                mn_now: 0.0,
                rt_now: 0.0,
                rtmn_diff: 0.0,
                wall_checked: 0.0,
                depth: 0,
                iteration: 0,
                done: EVBREAK_CANCEL,
                activecnt: 0,
                postfork: false,
                curpid: if flags & EVFLAG_FORKCHECK != 0 { libc::getpid() } else { 0 },
                userdata: ptr::null_mut(),
                invoke_cb: None,
                release_cb: None,
                acquire_cb: None,
                io_blocktime: 0.0,
                timeout_blocktime: 0.0,
                pendings: Default::default(),
                pendingpri: 0,
                prepares: Vec::new(),
                checks: Vec::new(),
                forks: Vec::new(),
                cleanups: Vec::new(),
                idles: Default::default(),
                idleall: 0,
                asyncs: Vec::new(),
                childs: Vec::new(),
                hooks: Vec::new(),
                free_slots: Vec::new(),
                spare: Vec::new(),
                always_ready: 0,
                embeds: 0,
                fired: Vec::new(),
                scratch: Vec::new(),
                child_hook: ptr::null_mut(),
                async_hook: ptr::null_mut(),
                wakeup_hook: ptr::null_mut(),
                wakeup_at: 0.0,
            }),
        },
    );
    st(lp).time_update();
    lp
}

/// ev_default_loop(): made on first use; it alone reaps children (SIGCHLD).
pub unsafe fn default_loop_get(flags: c_uint) -> *mut EvLoop {
    let lp = default_loop();
    if !lp.is_null() {
        return lp;
    }
    let lp = new_loop(flags, true);
    if lp.is_null() {
        return lp;
    }
    crate::libev::child::install(lp);
    set_default_loop(lp);
    lp
}

/// ev_loop_destroy(): runs the cleanup watchers, then frees the loop and its base. Watchers
/// still started stay as they are in the program's memory (nothing refers to them any more).
pub unsafe fn destroy(lp: *mut EvLoop) {
    let has_cleanups = !st(lp).cleanups.is_empty();
    if has_cleanups {
        crate::libev::simple::queue_all(lp, crate::libev::simple::Table::Cleanup, EV_CLEANUP);
        crate::libev::pending::invoke_hook(lp);
    }
    if default_loop() == lp {
        set_default_loop(ptr::null_mut());
    }
    let mut s = st(lp);
    // The base drops every core event first; then the hooks holding them can go.
    EventBase::free(s.base, false);
    s.base = ptr::null_mut();
    let fd = (*lp).shared.async_fd.swap(-1, Ordering::AcqRel);
    if fd >= 0 {
        libc::close(fd);
    }
    let mut all: Vec<*mut Hook> = s.hooks.drain(..).filter(|h| !h.is_null()).collect();
    all.append(&mut s.spare);
    all.extend([s.child_hook, s.async_hook, s.wakeup_hook].into_iter().filter(|h| !h.is_null()));
    for h in all {
        drop(Box::from_raw(h));
    }
    drop(s);
    let allocator = (*lp).allocator;
    ptr::drop_in_place(lp);
    alloc::free(allocator, lp);
}

impl State {
    /// Reads both clocks. Returns true when the wall clock moved against the monotonic one
    /// (a clock jump), which moves every periodic watcher.
    /// The wall clock is read at most every half second; in between it is derived from the
    /// monotonic one (as libev does), which is what a jump is measured against.
    pub fn time_update(&mut self) -> bool {
        self.mn_now = mono_now();
        if self.rtmn_diff != 0.0 && self.mn_now - self.wall_checked < 0.5 {
            self.rt_now = self.mn_now + self.rtmn_diff;
            return false;
        }
        self.wall_checked = self.mn_now;
        self.rt_now = wall_now();
        let diff = self.rt_now - self.mn_now;
        let jumped = self.rtmn_diff != 0.0 && (diff - self.rtmn_diff).abs() > 1e-3;
        self.rtmn_diff = diff;
        jumped
    }

    /// What starting any watcher does: clamp its priority, count it.
    pub unsafe fn start_watcher(&mut self, w: *mut Watcher) {
        adjust_priority(w);
        self.activecnt += 1;
    }

    pub unsafe fn stop_watcher(&mut self, w: *mut Watcher) {
        self.activecnt -= 1;
        (*w).active = 0;
    }

    /// ev_TYPE_stop() of a watcher served by a core hook (io, timer, periodic, signal, stat,
    /// embed): unqueue it; if it was started, release its hook, let `also` do what the type
    /// needs, and count it stopped.
    pub unsafe fn stop_hooked(&mut self, w: *mut Watcher, also: impl FnOnce(&mut State)) {
        self.clear_pending(w);
        if (*w).active == 0 {
            return;
        }
        self.release_hook(w);
        also(self);
        self.stop_watcher(w);
    }

    /// Adds `w` to one of the plain watcher tables; `active` becomes its index + 1.
    pub unsafe fn table_add(table: &mut Vec<*mut Watcher>, w: *mut Watcher) {
        table.push(w);
        (*w).active = table.len() as c_int;
    }

    /// Removes `w` from a table, moving the last entry into its place.
    pub unsafe fn table_remove(table: &mut Vec<*mut Watcher>, w: *mut Watcher) {
        let mut i = (*w).active as usize;
        if i == 0 || i > table.len() || table[i - 1] != w {
            // Not where its index says: look for it (a program that copied a started watcher).
            match table.iter().position(|&x| x == w) {
                Some(p) => i = p + 1,
                None => return,
            }
        }
        let last = table.pop().expect("table holds the watcher");
        if i - 1 < table.len() {
            table[i - 1] = last;
            (*last).active = i as c_int;
        }
    }

    /// A hook for a started watcher: `active` becomes its slot + 1.
    pub unsafe fn new_hook(&mut self, lp: *mut EvLoop, w: *mut Watcher, kind: Kind) -> *mut Hook {
        let h = self.spare.pop().unwrap_or_else(|| Box::into_raw(Box::new(Hook::empty())));
        (*h).lp = lp;
        (*h).w = w;
        (*h).kind = kind;
        (*h).always_ready = false;
        let slot = match self.free_slots.pop() {
            Some(i) => {
                self.hooks[i] = h;
                i
            }
            None => {
                self.hooks.push(h);
                self.hooks.len() - 1
            }
        };
        (*h).slot = slot;
        (*w).active = slot as c_int + 1;
        h
    }

    /// The hook of a started hooked watcher, or null.
    pub unsafe fn hook_of(&self, w: *mut Watcher) -> *mut Hook {
        let i = (*w).active as usize;
        if i >= 1 && i <= self.hooks.len() {
            let h = self.hooks[i - 1];
            if !h.is_null() && (*h).w == w {
                return h;
            }
        }
        self.hooks.iter().copied().find(|&h| !h.is_null() && (*h).w == w).unwrap_or(ptr::null_mut())
    }

    /// True while `h` still serves `w` (checked after anything could have run).
    pub unsafe fn hook_serves(&self, h: *mut Hook, w: *mut Watcher) -> bool {
        let slot = (*h).slot;
        slot < self.hooks.len() && self.hooks[slot] == h && (*h).w == w
    }

    /// Takes the core event of `w` away and keeps its hook for reuse.
    pub unsafe fn release_hook(&mut self, w: *mut Watcher) {
        let h = self.hook_of(w);
        if h.is_null() {
            return;
        }
        if !self.base.is_null() {
            EventBase::with_lock(self.base, |b| b.del(ptr::addr_of_mut!((*h).ev), DelMode::NoBlock));
        }
        if (*h).always_ready {
            (*h).always_ready = false;
            self.always_ready -= 1;
        }
        self.hooks[(*h).slot] = ptr::null_mut();
        self.free_slots.push((*h).slot);
        (*h).w = ptr::null_mut();
        self.spare.push(h);
    }

    /// Every hooked watcher of one kind.
    pub unsafe fn hooks_of(&self, kind: Kind) -> Vec<*mut Hook> {
        self.hooks.iter().copied().filter(|&h| !h.is_null() && (*h).kind == kind).collect()
    }

    /// ev_verify(): every table agrees with the indices the watchers hold; aborts otherwise.
    pub unsafe fn verify(&self) {
        for (pri, q) in self.pendings.iter().enumerate() {
            for (i, p) in q.iter().enumerate() {
                if !p.w.is_null() && ((*p.w).pending as usize != i + 1 || abs_priority(p.w) != pri) {
                    alloc::fatal("libev: pending watcher not on pending queue");
                }
            }
        }
        for (i, &h) in self.hooks.iter().enumerate() {
            if !h.is_null() && (*(*h).w).active as usize != i + 1 {
                alloc::fatal("libev: active index mismatch");
            }
        }
        let tables = [&self.prepares, &self.checks, &self.forks, &self.cleanups, &self.asyncs, &self.childs];
        for table in tables.into_iter().chain(self.idles.iter()) {
            for (i, &w) in table.iter().enumerate() {
                if (*w).active as usize != i + 1 {
                    alloc::fatal("libev: active index mismatch");
                }
            }
        }
    }
}
