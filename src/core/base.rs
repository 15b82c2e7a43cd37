//! The event base: every table of the reactor, and the operations on them that run with the
//! base lock held (the `&mut self` methods here never call user code).
use crate::core::backend::{self, Backend};
use crate::core::config::*;
use crate::core::event::*;
use crate::core::evmap::{IoMap, SignalMap};
use crate::core::heap::TimerHeap;
use crate::core::queue::Queue;
use crate::core::signal::{SignalState, NSIG};
use crate::core::sync;
use crate::core::time::{self, Micros};
use crate::core::watch::Watchers;
use crate::core::{log, mem};
use libc::{c_int, c_short, c_ulong, c_void, timeval};
use std::ffi::CStr;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

/// The base made by event_init(), used by the 1.x calls.
pub static CURRENT_BASE: AtomicPtr<EventBase> = AtomicPtr::new(ptr::null_mut());

pub const MAX_PRIORITIES: c_int = 256;
const MAX_COMMON_TIMEOUTS: usize = 256;
// A common timeout is a timeval whose tv_usec carries a tag and an index above the microseconds.
const COMMON_MAGIC: i64 = 0x5000_0000;
const COMMON_MASK: i64 = 0xf000_0000u32 as i64;
const COMMON_IDX_MASK: i64 = 0x0ff0_0000;
const COMMON_IDX_SHIFT: u32 = 20;
const MICROS_MASK: i64 = 0x000f_ffff;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum DelMode {
    /// Wait for a running callback of the event in another thread, unless it is EV_FINALIZE.
    AutoBlock,
    Block,
    NoBlock,
    EvenIfFinalizing,
}

/// An event_base_once() event and what to call.
#[repr(C)]
pub struct Once {
    ev: Event,
    cb: EventCallbackFn,
    arg: *mut c_void,
}

pub struct EventBase {
    pub lock: *mut c_void,
    pub backend: Backend,
    pub io: IoMap,
    pub sigmap: SignalMap,
    pub sig: SignalState,
    pub heap: TimerHeap,
    pub queues: Vec<Queue>,
    pub event_count: u32,
    pub event_count_active: u32,
    pub virtual_count: u32,
    pub max_count: u32,
    pub max_active: u32,
    pub max_virtual: u32,
    pub running_loop: bool,
    pub gotterm: bool,
    pub brk: bool,
    pub cont: bool,
    pub running_priority: c_int,
    pub current_event: *mut Event,
    pub current_waiters: c_int,
    pub current_cond: *mut c_void,
    pub owner: c_ulong,
    /// Monotonic time cached for this loop iteration (0: none).
    pub cache: Micros,
    /// Wall clock minus monotonic clock, as of the last cache update.
    pub clock_diff: Micros,
    pub flags: c_int,
    pub max_dispatch: Option<Micros>,
    pub max_callbacks: c_int,
    pub limit_after_prio: c_int,
    /// Boxed: programs keep the addresses event_base_init_common_timeout returned.
    #[allow(clippy::vec_box)]
    common: Vec<Box<timeval>>,
    notify_fd: c_int,
    notify_ev: *mut Event,
    notify_pending: bool,
    onces: Vec<*mut Once>,
    /// Scratch for the backend's results, kept to avoid an allocation per wait.
    pub ready: Vec<(c_int, c_short)>,
    /// Deferred callbacks (bufferevents') activated during this loop iteration: past a bound
    /// the next ones wait for the following iteration, so they cannot starve I/O.
    pub n_deferreds_queued: u32,
    /// Prepare and check watchers (event2/watch.h).
    pub watchers: Watchers,
}

fn env_allows(name: &CStr) -> bool {
    let var = format!("EVENT_NO{}\0", name.to_string_lossy().to_uppercase());
    // SAFETY: var is NUL-terminated.
    unsafe { libc::getenv(var.as_ptr() as *const libc::c_char).is_null() }
}

fn env_set(var: &CStr) -> bool {
    // SAFETY: var is a C string.
    unsafe { !libc::getenv(var.as_ptr()).is_null() }
}

// The base's block comes from malloc, which is only trusted with a pointer's alignment.
const _: () = assert!(std::mem::align_of::<EventBase>() <= std::mem::align_of::<usize>());

impl EventBase {
    pub fn new(cfg: Option<&EventConfig>) -> *mut EventBase {
        let default = EventConfig::default();
        let cfg = cfg.unwrap_or(&default);
        let use_env = cfg.flags & FLAG_IGNORE_ENV == 0;
        // The base itself comes from the program's allocator (event_set_mem_functions), first,
        // as libevent's does: when that fails nothing else was made.
        // SAFETY: a block of the size of a base; ptr::write fills it below.
        let base = unsafe { mem::malloc(std::mem::size_of::<EventBase>()) } as *mut EventBase;
        if base.is_null() {
            log::warn_no_alloc("event_base_new_with_config: calloc");
            return ptr::null_mut();
        }
        let mut chosen = None;
        // io_uring only when asked for. EVENT_BASE_FLAG_IO_URING asks outright; EVENT_IOURING in
        // the environment (not read with EVENT_BASE_FLAG_IGNORE_ENV) asks for it in epoll's
        // place: where epoll is out (avoided, or EVENT_NOEPOLL) the method is libevent's. Like
        // any method it yields to event_config_avoid_method("io_uring"), the required features
        // and EVENT_NOIO_URING. Where the kernel refuses a ring, one line says why and the
        // usual choice follows.
        let avoided = |m: &CStr| cfg.avoid.iter().any(|a| a.as_c_str() == m);
        let asked = cfg.flags & FLAG_IO_URING != 0
            || (use_env
                && env_set(c"EVENT_IOURING")
                && !avoided(backend::METHODS[0])
                && env_allows(backend::METHODS[0]));
        if asked
            && !avoided(backend::IO_URING)
            && backend::features_of(backend::IO_URING) & cfg.require_features == cfg.require_features
            && (!use_env || env_allows(backend::IO_URING))
        {
            match backend::io_uring::Uring::new() {
                Ok(u) => chosen = Some(Backend::Uring(u)),
                Err(why) => log::warnx(&format!("io_uring unavailable ({why}): using the next method")),
            }
        }
        for name in backend::METHODS {
            if chosen.is_some() {
                break;
            }
            if cfg.avoid.iter().any(|a| a.as_c_str() == name)
                || backend::features_of(name) & cfg.require_features != cfg.require_features
                || (use_env && !env_allows(name))
            {
                continue;
            }
            if let Some(b) = Backend::new(name) {
                chosen = Some(b);
                break;
            }
        }
        let Some(mut backend) = chosen else {
            log::warnx("event_base_new_with_config: no event mechanism available");
            // SAFETY: the block from mem::malloc above, never written.
            unsafe { mem::free(base as *mut c_void) };
            return ptr::null_mut();
        };
        // libevent reads this one even with EVENT_BASE_FLAG_IGNORE_ENV.
        if env_set(c"EVENT_SHOW_METHOD") {
            log::msgx(&format!("libevent using: {}", backend.name().to_string_lossy()));
        }
        let mut flags = cfg.flags;
        if use_env && env_set(c"EVENT_PRECISE_TIMER") {
            flags |= FLAG_PRECISE_TIMER;
        }
        if use_env && env_set(c"EVENT_EPOLL_USE_CHANGELIST") {
            flags |= FLAG_EPOLL_USE_CHANGELIST;
        }
        if flags & FLAG_PRECISE_TIMER != 0 && flags & FLAG_EPOLL_DISALLOW_TIMERFD == 0 {
            backend.use_precise_timer();
        }
        let threaded = sync::threads_enabled() && cfg.flags & FLAG_NOLOCK == 0;
        // SAFETY: base is a block of the right size and alignment (malloc's), written once.
        unsafe {
            ptr::write(
                base,
                EventBase {
                    lock: if threaded { sync::lock_new() } else { ptr::null_mut() },
                    backend,
                    io: IoMap::default(),
                    sigmap: SignalMap::default(),
                    sig: SignalState::default(),
                    heap: TimerHeap::default(),
                    queues: vec![Queue::default()],
                    event_count: 0,
                    event_count_active: 0,
                    virtual_count: 0,
                    max_count: 0,
                    max_active: 0,
                    max_virtual: 0,
                    running_loop: false,
                    gotterm: false,
                    brk: false,
                    cont: false,
                    running_priority: -1,
                    current_event: ptr::null_mut(),
                    current_waiters: 0,
                    current_cond: if threaded { sync::cond_new() } else { ptr::null_mut() },
                    owner: 0,
                    cache: 0,
                    clock_diff: time::wallclock_us() - time::monotonic_us(),
                    flags,
                    max_dispatch: cfg.max_dispatch,
                    max_callbacks: cfg.max_callbacks,
                    limit_after_prio: cfg.limit_after_prio,
                    common: Vec::new(),
                    notify_fd: -1,
                    notify_ev: ptr::null_mut(),
                    notify_pending: false,
                    onces: Vec::new(),
                    ready: Vec::new(),
                    n_deferreds_queued: 0,
                    watchers: Watchers::default(),
                },
            )
        };
        if threaded {
            // SAFETY: base was just created and is not shared yet.
            unsafe { (*base).make_notifiable() };
        }
        // SAFETY: base is live and fully written.
        crate::core::info::announce(unsafe { (*base).method() });
        base
    }

    /// Runs `f` with the base lock held.
    ///
    /// # Safety
    /// `base` is live, and no other reference into it is alive during the call: `f` reaches the
    /// base only through its argument (no nested `with_lock` on it).
    pub unsafe fn with_lock<R>(base: *mut EventBase, f: impl FnOnce(&mut EventBase) -> R) -> R {
        let lock = (*base).lock;
        sync::lock(lock);
        let r = f(&mut *base);
        sync::unlock(lock);
        r
    }

    pub fn method(&self) -> &'static CStr {
        match self.backend {
            // Changes are always batched here; the flag only shows in the name, as in libevent.
            Backend::Epoll(_) if self.flags & FLAG_EPOLL_USE_CHANGELIST != 0 => c"epoll (with changelist)",
            _ => self.backend.name(),
        }
    }

    pub fn features(&self) -> c_int {
        backend::features_of(self.backend.name())
    }

    // ---- time

    /// The current monotonic time: the loop's cached value when there is one.
    pub fn now(&mut self) -> Micros {
        if self.cache != 0 {
            return self.cache;
        }
        time::monotonic_us()
    }

    pub fn update_cache(&mut self) {
        self.cache = 0;
        if self.flags & FLAG_NO_CACHE_TIME == 0 {
            self.cache = time::monotonic_us();
            self.clock_diff = time::wallclock_us() - self.cache;
        }
    }

    pub fn wall_of(&self, mono: Micros) -> timeval {
        time::from_us(mono.saturating_add(time::wallclock_us() - time::monotonic_us()))
    }

    /// The length of a timeout given to event_add(): common timeouts carry an index.
    pub fn timeout_us(&self, tv: &timeval) -> Micros {
        if let Some(i) = self.common_index(tv) {
            let c = &self.common[i];
            return c.tv_sec.saturating_mul(1_000_000).saturating_add(c.tv_usec & MICROS_MASK);
        }
        time::to_us(tv)
    }

    fn common_index(&self, tv: &timeval) -> Option<usize> {
        if tv.tv_usec & COMMON_MASK != COMMON_MAGIC {
            return None;
        }
        let i = ((tv.tv_usec & COMMON_IDX_MASK) >> COMMON_IDX_SHIFT) as usize;
        (i < self.common.len()).then_some(i)
    }

    /// event_base_init_common_timeout(): the tagged timeval standing for `duration` (the same one
    /// for equal durations), valid as long as the base; NULL when all 256 are taken.
    ///
    /// # Safety
    /// `duration` points at a readable timeval.
    pub unsafe fn init_common_timeout(&mut self, duration: *const timeval) -> *const timeval {
        let mut d = *duration;
        if self.common_index(&d).is_some() {
            return duration;
        }
        // libevent carries whole seconds out of tv_usec above 1000000 (and asserts on a negative
        // one); the microseconds must fit below the tag.
        if d.tv_usec > 1_000_000 || d.tv_usec < 0 {
            d.tv_sec = d.tv_sec.saturating_add(d.tv_usec.div_euclid(1_000_000));
            d.tv_usec = d.tv_usec.rem_euclid(1_000_000);
        }
        for c in &self.common {
            if c.tv_sec == d.tv_sec && c.tv_usec & MICROS_MASK == d.tv_usec {
                return &**c;
            }
        }
        if self.common.len() >= MAX_COMMON_TIMEOUTS {
            log::warnx(&format!("event_base_init_common_timeout: Too many common timeouts already in use; we only support {MAX_COMMON_TIMEOUTS} per event_base"));
            return ptr::null();
        }
        let idx = self.common.len() as i64;
        self.common.push(Box::new(timeval {
            tv_sec: d.tv_sec,
            tv_usec: d.tv_usec | COMMON_MAGIC | (idx << COMMON_IDX_SHIFT),
        }));
        &**self.common.last().unwrap()
    }

    // ---- counters (each list membership of a non-internal event counts, as in libevent)

    fn count_in(&mut self, ev: *mut Event) {
        // SAFETY: ev is a live event of this base.
        if unsafe { (*ev).flags } & LIST_INTERNAL == 0 {
            self.event_count += 1;
            self.max_count = self.max_count.max(self.event_count);
        }
    }

    fn count_out(&mut self, ev: *mut Event) {
        // SAFETY: as above.
        if unsafe { (*ev).flags } & LIST_INTERNAL == 0 {
            self.event_count -= 1;
        }
    }

    pub fn have_events(&self) -> bool {
        self.virtual_count > 0 || self.event_count > 0
    }

    // ---- queues

    unsafe fn insert_timeout(&mut self, ev: *mut Event, when: Micros) {
        self.count_in(ev);
        (*ev).flags |= LIST_TIMEOUT;
        (*ev).timeout = time::from_us(when);
        self.heap.push(when, ev);
    }

    /// Takes `ev` off the timer heap, leaving it otherwise added.
    ///
    /// # Safety
    /// `ev` is a live event of this base with LIST_TIMEOUT set.
    pub unsafe fn remove_timeout(&mut self, ev: *mut Event) {
        self.count_out(ev);
        (*ev).flags &= !LIST_TIMEOUT;
        self.heap.remove(ev);
    }

    unsafe fn insert_active(&mut self, ev: *mut Event) {
        if (*ev).flags & LIST_ACTIVE != 0 {
            return;
        }
        self.count_in(ev);
        (*ev).flags |= LIST_ACTIVE;
        self.event_count_active += 1;
        self.max_active = self.max_active.max(self.event_count_active);
        let pri = ((*ev).pri as usize).min(self.queues.len() - 1);
        self.queues[pri].push_back(ev);
    }

    /// Takes `ev` off its active queue.
    ///
    /// # Safety
    /// `ev` is a live event of this base with LIST_ACTIVE set, its priority unchanged since it was
    /// queued.
    pub unsafe fn remove_active(&mut self, ev: *mut Event) {
        self.count_out(ev);
        (*ev).flags &= !LIST_ACTIVE;
        self.event_count_active -= 1;
        let pri = ((*ev).pri as usize).min(self.queues.len() - 1);
        self.queues[pri].remove(ev);
    }

    pub fn set_priorities(&mut self, n: c_int) -> c_int {
        if self.event_count_active > 0 || !(1..MAX_PRIORITIES).contains(&n) {
            return -1;
        }
        self.queues.resize_with(n as usize, Queue::default);
        0
    }

    // ---- add / del / activate, with the lock held

    /// event_add: `timeout` is relative, or absolute on the monotonic clock when `absolute`.
    ///
    /// # Safety
    /// `ev` is a live event assigned to this base; it stays live and in place while added.
    pub unsafe fn add(&mut self, ev: *mut Event, timeout: Option<Micros>, absolute: bool) -> c_int {
        let e = &mut *ev;
        if e.flags & LIST_FINALIZING != 0 {
            return -1;
        }
        let mut res = 0;
        let mut notify = false;
        if e.events & (EV_IO | EV_SIGNAL) != 0 && e.flags & (LIST_INSERTED | LIST_ACTIVE | LIST_ACTIVE_LATER) == 0 {
            res = if e.events & EV_SIGNAL != 0 { self.signal_add(ev) } else { self.io.add(&mut self.backend, ev) };
            if res != -1 {
                self.count_in(ev);
                (*ev).flags |= LIST_INSERTED;
            }
            if res == 1 {
                notify = true;
                res = 0;
            }
        }
        if res != -1 {
            if let Some(t) = timeout {
                let e = &mut *ev;
                if e.closure == CLOSURE_PERSIST && !absolute {
                    e.persist_us = t;
                }
                if e.flags & LIST_TIMEOUT != 0 {
                    self.remove_timeout(ev);
                }
                // Re-arming an event whose timeout already fired cancels that activation.
                if (*ev).flags & LIST_ACTIVE != 0 && (*ev).res & EV_TIMEOUT != 0 {
                    if (*ev).events & EV_SIGNAL != 0 && (*ev).ncalls != 0 && !(*ev).pncalls.is_null() {
                        *(*ev).pncalls = 0;
                    }
                    self.remove_active(ev);
                }
                let when = if absolute { t } else { self.now().saturating_add(t) };
                self.insert_timeout(ev, when);
                if self.heap.is_top(ev) {
                    notify = true;
                }
            }
        }
        if res != -1 && notify {
            self.wake();
        }
        res
    }

    unsafe fn signal_add(&mut self, ev: *mut Event) -> c_int {
        let sig = (*ev).fd;
        if sig < 0 || sig as usize >= NSIG {
            return -1;
        }
        if self.sigmap.add(ev) && SignalState::install(self, sig) < 0 {
            self.sigmap.del(ev);
            return -1;
        }
        1
    }

    /// event_del with the lock held, never waiting for a running callback (see `del_waiting`).
    ///
    /// # Safety
    /// `ev` is a live event whose base is NULL or this one.
    pub unsafe fn del(&mut self, ev: *mut Event, mode: DelMode) -> c_int {
        if (*ev).base.is_null() {
            return -1;
        }
        if mode != DelMode::EvenIfFinalizing && (*ev).flags & LIST_FINALIZING != 0 {
            return 0;
        }
        let e = &mut *ev;
        if e.events & EV_SIGNAL != 0 && e.ncalls != 0 && !e.pncalls.is_null() {
            *e.pncalls = 0;
        }
        if e.flags & LIST_TIMEOUT != 0 {
            self.remove_timeout(ev);
        }
        if (*ev).flags & LIST_ACTIVE != 0 {
            self.remove_active(ev);
        }
        let mut notify = false;
        if (*ev).flags & LIST_INSERTED != 0 {
            self.count_out(ev);
            (*ev).flags &= !LIST_INSERTED;
            if (*ev).events & EV_SIGNAL != 0 {
                if self.sigmap.del(ev) {
                    self.sig.restore((*ev).fd);
                }
                notify = true;
            } else if self.io.del(ev) == 1 {
                notify = true;
            }
            if !self.have_events() && self.event_count_active == 0 {
                notify = true;
            }
        }
        if notify {
            self.wake();
        }
        0
    }

    /// event_del with the lock held. When another thread is running this event's callback,
    /// waits for it to finish (so the caller may then free what the callback uses). The event
    /// is taken off its lists before the wait, so the loop cannot start its callback again
    /// while this thread waits for the lock; the wait releases the lock, so it works on the raw
    /// base, and deletes again afterwards in case the running callback added the event back.
    ///
    /// # Safety
    /// `base` is live and its lock is held by this thread exactly once; no borrow of it is held;
    /// `ev` is as for `del`.
    pub unsafe fn del_waiting(base: *mut EventBase, ev: *mut Event, mode: DelMode) -> c_int {
        let may_wait = mode != DelMode::NoBlock && (mode == DelMode::Block || (*ev).events & EV_FINALIZE == 0);
        loop {
            let r = (*base).del(ev, mode);
            let b = &*base;
            if !may_wait || r != 0 || b.current_event != ev || b.in_loop_thread() || b.current_cond.is_null() {
                return r;
            }
            (*base).current_waiters += 1;
            sync::cond_wait((*base).current_cond, (*base).lock);
        }
    }

    /// Queues `ev` to run with result `res` (or-ed in when already active); `ncalls` is how many
    /// times a signal event's callback runs. A finalizing event is left alone.
    ///
    /// # Safety
    /// `ev` is a live event of this base; it stays live while active.
    pub unsafe fn activate(&mut self, ev: *mut Event, res: c_short, ncalls: c_short) {
        let e = &mut *ev;
        if e.flags & LIST_FINALIZING != 0 {
            return;
        }
        if e.flags & LIST_ACTIVE != 0 {
            e.res |= res;
            return;
        }
        e.res = res;
        if (e.pri as c_int) < self.running_priority {
            self.cont = true;
        }
        if e.events & EV_SIGNAL != 0 {
            e.ncalls = ncalls;
            e.pncalls = ptr::null_mut();
        }
        self.insert_active(ev);
        self.wake();
    }

    /// Activates the events of `fd` that wait for any of `what`.
    ///
    /// # Safety
    /// The events added on `fd` are live.
    pub unsafe fn activate_fd(&mut self, fd: c_int, what: c_short) {
        let mut ev = self.io.events_on(fd);
        while !ev.is_null() {
            let next = (*ev).list_next;
            if (*ev).events & what & !EV_ET != 0 {
                self.activate(ev, (*ev).events & what, 1);
            }
            ev = next;
        }
    }

    /// Activates every event of signal `sig`, each to run `ncalls` times.
    ///
    /// # Safety
    /// The events added for `sig` are live.
    pub unsafe fn activate_signal(&mut self, sig: c_int, ncalls: c_short) {
        if sig < 0 || sig as usize >= NSIG {
            return;
        }
        let mut ev = self.sigmap.lists[sig as usize].head;
        while !ev.is_null() {
            let next = (*ev).list_next;
            self.activate(ev, EV_SIGNAL, ncalls);
            ev = next;
        }
    }

    /// Moves every timer that is due to the active queues.
    ///
    /// # Safety
    /// The events in the timer heap are live.
    pub unsafe fn process_timeouts(&mut self) {
        if self.heap.is_empty() {
            return;
        }
        let now = self.now();
        while let Some((when, ev)) = self.heap.top() {
            if when > now {
                break;
            }
            self.del(ev, DelMode::NoBlock);
            self.activate(ev, EV_TIMEOUT, 1);
        }
    }

    /// How long the backend may wait: until the first timer, or for ever (None).
    pub fn next_timeout(&mut self) -> Option<Micros> {
        let (when, _) = self.heap.top()?;
        Some(when.saturating_sub(self.now()).max(0))
    }

    // ---- threads

    pub fn in_loop_thread(&self) -> bool {
        !self.running_loop || self.owner == sync::thread_id()
    }

    pub fn wake(&mut self) {
        if self.notify_fd >= 0 && self.running_loop && !self.notify_pending && self.owner != sync::thread_id() {
            self.notify_pending = true;
            let one: u64 = 1;
            // SAFETY: writing 8 bytes to our eventfd.
            unsafe { libc::write(self.notify_fd, &one as *const u64 as *const c_void, 8) };
        }
    }

    /// Opens the eventfd through which other threads wake the loop, watched by an internal event;
    /// 0 when the base already has one.
    ///
    /// # Safety
    /// `self` is a live base at its final address (the internal event refers to it), its lock held.
    pub unsafe fn make_notifiable(&mut self) -> c_int {
        if self.notify_fd >= 0 {
            return 0;
        }
        let fd = libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC);
        if fd < 0 {
            return -1;
        }
        self.notify_fd = fd;
        self.notify_ev = self.new_internal_event(fd, on_notify);
        0
    }

    fn close_notify(&mut self) {
        if self.notify_fd >= 0 {
            // SAFETY: the internal event and the fd are ours.
            unsafe {
                self.free_internal_event(self.notify_ev);
                libc::close(self.notify_fd);
            }
            self.notify_fd = -1;
            self.notify_ev = ptr::null_mut();
        }
    }

    // ---- internal events (signal pair, thread notification)

    /// A boxed, persistent read event on `fd`, added but not counted (the signal pair, the
    /// notification fd); its callback gets the base as argument.
    ///
    /// # Safety
    /// `self` is at its final address and outlives the event, which only `free_internal_event`
    /// releases; `cb` takes its argument to be this base.
    pub unsafe fn new_internal_event(&mut self, fd: c_int, cb: EventCallbackFn) -> *mut Event {
        let ev = Box::into_raw(Box::new(std::mem::zeroed::<Event>()));
        Event::assign(ev, self, fd, EV_READ | EV_PERSIST, cb as usize, self as *mut EventBase as *mut c_void, 0);
        (*ev).flags |= LIST_INTERNAL;
        self.add(ev, None, false);
        ev
    }

    /// Deletes and frees an internal event, telling the backend at once, so that its descriptor can
    /// be closed next.
    ///
    /// # Safety
    /// `ev` came from `new_internal_event` on this base and is not used afterwards.
    pub unsafe fn free_internal_event(&mut self, ev: *mut Event) {
        self.del(ev, DelMode::NoBlock);
        self.io.flush(&mut self.backend);
        drop(Box::from_raw(ev));
    }

    // ---- event_base_once

    /// event_base_once(): a one-shot event that the base allocates, and frees once it has run (or
    /// with the base).
    ///
    /// # Safety
    /// `self` is a live base at its final address (the event refers to it); `cb` may be called with
    /// `arg` from the loop.
    pub unsafe fn once(
        &mut self,
        fd: c_int,
        events: c_short,
        cb: EventCallbackFn,
        arg: *mut c_void,
        tv: Option<&timeval>,
    ) -> c_int {
        if events & (EV_SIGNAL | EV_PERSIST) != 0 {
            return -1;
        }
        let o = Box::into_raw(Box::new(Once { ev: std::mem::zeroed(), cb, arg }));
        let ev = ptr::addr_of_mut!((*o).ev);
        let mut activate_now = false;
        if events & (EV_TIMEOUT | EV_SIGNAL | EV_IO) == EV_TIMEOUT {
            Event::assign(ev, self, -1, 0, once_cb as *const () as usize, o as *mut c_void, self.default_pri());
            activate_now = tv.is_none_or(|t| t.tv_sec == 0 && t.tv_usec == 0);
        } else if events & EV_IO != 0 {
            Event::assign(
                ev,
                self,
                fd,
                events & EV_IO,
                once_cb as *const () as usize,
                o as *mut c_void,
                self.default_pri(),
            );
        } else {
            drop(Box::from_raw(o));
            return -1;
        }
        let res = if activate_now {
            self.activate(ev, EV_TIMEOUT, 1);
            0
        } else {
            self.add(ev, tv.map(|t| self.timeout_us(t)), false)
        };
        if res != 0 {
            drop(Box::from_raw(o));
            return res;
        }
        self.onces.push(o);
        0
    }

    fn forget_once(&mut self, o: *mut Once) -> bool {
        match self.onces.iter().position(|&x| x == o) {
            Some(i) => {
                self.onces.swap_remove(i);
                true
            }
            None => false,
        }
    }

    pub fn default_pri(&self) -> u8 {
        (self.queues.len() / 2) as u8
    }

    // ---- introspection

    /// Every non-internal event the base knows: added ones, then timers, then active ones.
    ///
    /// # Safety
    /// The base's events are live. The pointers stay valid only while nothing deletes or frees
    /// those events.
    pub unsafe fn all_events(&self) -> Vec<*mut Event> {
        let mut v = Vec::new();
        for slot in &self.io.slots {
            slot.events.collect(&mut v);
        }
        for list in &self.sigmap.lists {
            list.collect(&mut v);
        }
        for i in 0..self.heap.len() {
            let ev = self.heap.get(i);
            if (*ev).flags & LIST_INSERTED == 0 {
                v.push(ev);
            }
        }
        let mut active = Vec::new();
        for q in &self.queues {
            q.collect(&mut active);
        }
        v.extend(active.into_iter().filter(|&e| (*e).flags & (LIST_INSERTED | LIST_TIMEOUT) == 0));
        v.retain(|&e| (*e).flags & LIST_INTERNAL == 0);
        v
    }

    /// event_base_dump_events(): writes the added and the active events to `out`.
    ///
    /// # Safety
    /// `out` is an open, writable FILE; the base's events are live.
    pub unsafe fn dump(&self, out: *mut libc::FILE) {
        let mut text = String::from("Inserted events:\n");
        for ev in self.all_events() {
            let e = &*ev;
            if e.flags & (LIST_INSERTED | LIST_TIMEOUT) == 0 {
                continue;
            }
            let kind = if e.events & EV_SIGNAL != 0 { "sig" } else { "fd " };
            text += &format!(
                "  {ev:p} [{kind} {}]{}{}{}{}{}{}",
                e.fd,
                if e.events & EV_READ != 0 { " Read" } else { "" },
                if e.events & EV_WRITE != 0 { " Write" } else { "" },
                if e.events & EV_CLOSED != 0 { " EOF" } else { "" },
                if e.events & EV_SIGNAL != 0 { " Signal" } else { "" },
                if e.events & EV_PERSIST != 0 { " Persist" } else { "" },
                if e.events & EV_ET != 0 { " ET" } else { "" }
            );
            if e.flags & LIST_TIMEOUT != 0 {
                let tv = self.wall_of(time::to_us(&e.timeout));
                text += &format!(" Timeout={}.{:06}", tv.tv_sec, tv.tv_usec);
            }
            text.push('\n');
        }
        text += "Active events:\n";
        for (pri, q) in self.queues.iter().enumerate() {
            let mut v = Vec::new();
            q.collect(&mut v);
            for ev in v {
                let e = &*ev;
                if e.flags & LIST_INTERNAL != 0 {
                    continue;
                }
                let kind = if e.events & EV_SIGNAL != 0 { "sig" } else { "fd " };
                text += &format!(
                    "  {ev:p} [{kind} {}, priority={pri}]{}{}{}{}{} active\n",
                    e.fd,
                    if e.res & EV_READ != 0 { " Read" } else { "" },
                    if e.res & EV_WRITE != 0 { " Write" } else { "" },
                    if e.res & EV_CLOSED != 0 { " EOF" } else { "" },
                    if e.res & EV_SIGNAL != 0 { " Signal" } else { "" },
                    if e.res & EV_TIMEOUT != 0 { " Timeout" } else { "" }
                );
            }
        }
        let c = std::ffi::CString::new(text).unwrap_or_default();
        libc::fputs(c.as_ptr(), out);
    }

    // ---- fork and free

    /// event_reinit() after fork(): a new backend, signal pair and notification fd, to which every
    /// added event is announced again.
    ///
    /// # Safety
    /// `self` is a live base at its final address, its lock held; its events are live.
    pub unsafe fn reinit(&mut self) -> c_int {
        let had_notify = self.notify_fd >= 0;
        // The old backend (an epoll set) is shared with the other process: the new one comes
        // first, so that removing the internal events below never touches the old one.
        if !self.backend.reinit() {
            return -1;
        }
        self.close_notify();
        if SignalState::reinit(self) < 0 {
            return -1;
        }
        // Everything still wanted (the new signal pair's event included) goes to the new
        // backend.
        self.io.reannounce_all(&mut self.backend);
        if had_notify && self.make_notifiable() < 0 {
            return -1;
        }
        0
    }

    /// Frees the base: deletes every event, runs pending finalizers when asked, closes the
    /// base's descriptors and restores signal handlers. User-owned events stay valid memory.
    ///
    /// # Safety
    /// `base` is live, with no loop running on it, no other thread using it and no borrow of it
    /// held; its events are live. It is not used afterwards.
    pub unsafe fn free(base: *mut EventBase, run_finalizers: bool) {
        let _ = CURRENT_BASE.compare_exchange(base, ptr::null_mut(), Ordering::AcqRel, Ordering::Acquire);
        let b = &mut *base;
        b.close_notify();
        for ev in b.all_events() {
            if (*ev).flags & LIST_FINALIZING == 0 {
                b.del(ev, DelMode::EvenIfFinalizing);
            }
        }
        // Whatever is still active: finalizers run (outside any borrow of the base), the rest
        // are dropped.
        loop {
            let b = &mut *base;
            let Some(ev) = b.queues.iter().map(|q| q.head).find(|h| !h.is_null()) else { break };
            b.remove_active(ev);
            if (*ev).flags & LIST_FINALIZING != 0 && run_finalizers {
                run_finalizer(ev);
            } else if (*ev).flags & LIST_INTERNAL == 0
                && (*ev).cb == once_cb as *const () as usize
                && b.forget_once((*ev).arg as *mut Once)
            {
                drop(Box::from_raw((*ev).arg as *mut Once));
            }
        }
        let b = &mut *base;
        for o in std::mem::take(&mut b.onces) {
            drop(Box::from_raw(o));
        }
        SignalState::close(b, true);
        b.watchers.free_all();
        sync::cond_free(b.current_cond);
        sync::lock_free(b.lock);
        ptr::drop_in_place(base);
        mem::free(base as *mut c_void);
    }
}

/// Runs a finalizer callback (the event is off every list); frees the event after it for
/// event_free_finalize().
///
/// # Safety
/// `ev` is live and off every list, its `cb` is 0 or a `FinalizeFn`; with CLOSURE_FINALIZE_FREE
/// it came from `mem::malloc` and is not used afterwards. No borrow of its base is held.
pub unsafe fn run_finalizer(ev: *mut Event) {
    let free_after = (*ev).closure == CLOSURE_FINALIZE_FREE;
    // Before the callback, as in libevent: the callback may set the memory up again
    // (event_assign) or free it (event_free), which debug mode must then allow.
    crate::core::debug::note_teardown(ev);
    if (*ev).cb != 0 {
        // SAFETY: while finalizing, cb holds the FinalizeFn given to event_finalize().
        let f: FinalizeFn = std::mem::transmute::<usize, FinalizeFn>((*ev).cb);
        f(ev, (*ev).arg);
    }
    if free_after {
        mem::free(ev as *mut c_void);
    }
}

unsafe extern "C" fn on_notify(fd: c_int, _what: c_short, arg: *mut c_void) {
    let mut n: u64 = 0;
    libc::read(fd, &mut n as *mut u64 as *mut c_void, 8);
    EventBase::with_lock(arg as *mut EventBase, |b| b.notify_pending = false);
}

unsafe extern "C" fn once_cb(fd: c_int, what: c_short, arg: *mut c_void) {
    let o = arg as *mut Once;
    let base = (*o).ev.base;
    EventBase::with_lock(base, |b| b.forget_once(o));
    let (cb, uarg) = ((*o).cb, (*o).arg);
    drop(Box::from_raw(o));
    cb(fd, what, uarg);
}

/// The event_base_loopexit() callback: makes the loop stop after the current iteration.
///
/// # Safety
/// `arg` is a live base, of which no borrow is held.
pub unsafe extern "C" fn loopexit_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    EventBase::with_lock(arg as *mut EventBase, |b| b.gotterm = true);
}
