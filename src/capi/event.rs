//! Exports of event2/event.h: bases, configs, events, the loop.
#![allow(non_camel_case_types)]
use crate::core::base::{loopexit_cb, DelMode, EventBase, CURRENT_BASE};
use crate::core::config::EventConfig;
use crate::core::event::*;
use crate::core::run::run_loop;
use crate::core::{backend, debug, log, mem, sync, time};
use libc::{c_char, c_int, c_short, c_uint, c_void, size_t, timeval, FILE};
use std::ffi::CStr;
use std::ptr;
use std::sync::atomic::Ordering;

pub type evutil_socket_t = c_int;
pub type ev_uint32_t = u32;
pub type event_callback_fn = Option<EventCallbackFn>;
pub type event_finalize_callback_fn = Option<FinalizeFn>;
pub type event_log_cb = Option<log::LogCb>;
pub type event_fatal_cb = Option<log::FatalCb>;
pub type event_base_foreach_event_cb = Option<unsafe extern "C" fn(*const EventBase, *const Event, *mut c_void) -> c_int>;

/// libevent's debug mask, exported as data in libevent too.
#[no_mangle]
pub static mut event_debug_logging_mask_: u32 = 0;

/// Runs `f` on the base with its lock held; `err` when the base is NULL.
unsafe fn locked<R>(base: *mut EventBase, err: R, f: impl FnOnce(&mut EventBase) -> R) -> R {
    if base.is_null() {
        return err;
    }
    EventBase::with_lock(base, f)
}

fn current_base() -> *mut EventBase {
    CURRENT_BASE.load(Ordering::Acquire)
}

/// A relative timeout from the program: NULL means none.
unsafe fn timeout_of(b: &EventBase, tv: *const timeval) -> Option<i64> {
    tv.as_ref().map(|t| b.timeout_us(t))
}

// ---- bases and configs

#[no_mangle]
pub extern "C" fn event_base_new() -> *mut EventBase {
    debug::note_created();
    // libevent makes a default configuration first: when the program's malloc fails, that is
    // what fails, silently.
    match mem::try_box(EventConfig::default()) {
        Some(cfg) => EventBase::new(Some(&cfg)),
        None => ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn event_base_new_with_config(cfg: *const EventConfig) -> *mut EventBase {
    debug::note_created();
    EventBase::new(cfg.as_ref())
}

#[no_mangle]
pub unsafe extern "C" fn event_base_free(base: *mut EventBase) {
    free_base(base, true)
}

#[no_mangle]
pub unsafe extern "C" fn event_base_free_nofinalize(base: *mut EventBase) {
    free_base(base, false)
}

unsafe fn free_base(base: *mut EventBase, run_finalizers: bool) {
    let base = if base.is_null() { current_base() } else { base };
    if base.is_null() {
        log::warnx("event_base_free: no base to free");
        return;
    }
    EventBase::free(base, run_finalizers);
}

#[no_mangle]
pub unsafe extern "C" fn event_reinit(base: *mut EventBase) -> c_int {
    locked(base, -1, |b| b.reinit())
}

#[no_mangle]
pub unsafe extern "C" fn event_base_get_method(base: *const EventBase) -> *const c_char {
    match base.as_ref() {
        Some(b) => b.method().as_ptr(),
        None => ptr::null(),
    }
}

/// libevent 2.2: how the base receives signals, "signalfd" (EVENT_BASE_FLAG_USE_SIGNALFD) or
/// "sigaction" (a handler writing to a socketpair); NULL for a NULL base.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_signal_method(eb: *const EventBase) -> *const c_char {
    match eb.as_ref() {
        Some(b) => b.sig.method(b.flags).as_ptr(),
        None => ptr::null(),
    }
}

struct MethodList([*const c_char; 4]);
// SAFETY: the pointers are to immutable static C strings.
unsafe impl Sync for MethodList {}
static METHOD_LIST: MethodList = MethodList([
    backend::METHODS[0].as_ptr(),
    backend::METHODS[1].as_ptr(),
    backend::METHODS[2].as_ptr(),
    ptr::null(),
]);

#[no_mangle]
pub extern "C" fn event_get_supported_methods() -> *mut *const c_char {
    METHOD_LIST.0.as_ptr() as *mut *const c_char
}

#[no_mangle]
pub unsafe extern "C" fn event_base_get_features(base: *const EventBase) -> c_int {
    base.as_ref().map_or(0, |b| b.features())
}

#[no_mangle]
pub unsafe extern "C" fn event_gettime_monotonic(base: *mut EventBase, tp: *mut timeval) -> c_int {
    if base.is_null() || tp.is_null() {
        return -1;
    }
    *tp = time::from_us(time::monotonic_us());
    0
}

#[no_mangle]
pub unsafe extern "C" fn event_base_get_num_events(base: *mut EventBase, kinds: c_uint) -> c_int {
    locked(base, 0, |b| {
        let mut n = 0;
        if kinds & 1 != 0 {
            n += b.event_count_active;
        }
        if kinds & 2 != 0 {
            n += b.virtual_count;
        }
        if kinds & 4 != 0 {
            n += b.event_count;
        }
        n as c_int
    })
}

#[no_mangle]
pub unsafe extern "C" fn event_base_get_max_events(base: *mut EventBase, kinds: c_uint, clear: c_int) -> c_int {
    locked(base, 0, |b| {
        let mut n = 0;
        if kinds & 1 != 0 {
            n += b.max_active;
            if clear != 0 {
                b.max_active = 0;
            }
        }
        if kinds & 2 != 0 {
            n += b.max_virtual;
            if clear != 0 {
                b.max_virtual = 0;
            }
        }
        if kinds & 4 != 0 {
            n += b.max_count;
            if clear != 0 {
                b.max_count = 0;
            }
        }
        n as c_int
    })
}

#[no_mangle]
pub extern "C" fn event_config_new() -> *mut EventConfig {
    mem::try_box(EventConfig::default()).map_or(ptr::null_mut(), Box::into_raw)
}

#[no_mangle]
pub unsafe extern "C" fn event_config_free(cfg: *mut EventConfig) {
    if !cfg.is_null() {
        drop(Box::from_raw(cfg));
    }
}

#[no_mangle]
pub unsafe extern "C" fn event_config_avoid_method(cfg: *mut EventConfig, method: *const c_char) -> c_int {
    let (Some(cfg), false) = (cfg.as_mut(), method.is_null()) else { return -1 };
    cfg.avoid.push(CStr::from_ptr(method).to_owned());
    0
}

#[no_mangle]
pub unsafe extern "C" fn event_config_require_features(cfg: *mut EventConfig, feature: c_int) -> c_int {
    let Some(cfg) = cfg.as_mut() else { return -1 };
    cfg.require_features = feature;
    0
}

#[no_mangle]
pub unsafe extern "C" fn event_config_set_flag(cfg: *mut EventConfig, flag: c_int) -> c_int {
    let Some(cfg) = cfg.as_mut() else { return -1 };
    cfg.flags |= flag;
    0
}

#[no_mangle]
pub unsafe extern "C" fn event_config_set_num_cpus_hint(cfg: *mut EventConfig, _cpus: c_int) -> c_int {
    // Only IOCP (Windows) uses the hint.
    if cfg.is_null() { -1 } else { 0 }
}

#[no_mangle]
pub unsafe extern "C" fn event_config_set_max_dispatch_interval(cfg: *mut EventConfig, max_interval: *const timeval, max_callbacks: c_int, min_priority: c_int) -> c_int {
    let Some(cfg) = cfg.as_mut() else { return -1 };
    cfg.max_dispatch = max_interval.as_ref().map(time::to_us);
    cfg.max_callbacks = if max_callbacks >= 0 { max_callbacks } else { c_int::MAX };
    cfg.limit_after_prio = min_priority.max(0);
    0
}

#[no_mangle]
pub unsafe extern "C" fn event_base_priority_init(base: *mut EventBase, npriorities: c_int) -> c_int {
    locked(base, -1, |b| b.set_priorities(npriorities))
}

#[no_mangle]
pub unsafe extern "C" fn event_base_get_npriorities(base: *mut EventBase) -> c_int {
    let base = if base.is_null() { current_base() } else { base };
    locked(base, 0, |b| b.queues.len() as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn event_base_init_common_timeout(base: *mut EventBase, duration: *const timeval) -> *const timeval {
    if duration.is_null() {
        return ptr::null();
    }
    locked(base, ptr::null(), |b| b.init_common_timeout(duration))
}

// ---- the loop

#[no_mangle]
pub unsafe extern "C" fn event_base_loop(base: *mut EventBase, flags: c_int) -> c_int {
    if base.is_null() {
        return -1;
    }
    run_loop(base, flags)
}

#[no_mangle]
pub unsafe extern "C" fn event_base_dispatch(base: *mut EventBase) -> c_int {
    event_base_loop(base, 0)
}

#[no_mangle]
pub unsafe extern "C" fn event_base_loopexit(base: *mut EventBase, tv: *const timeval) -> c_int {
    event_base_once(base, -1, EV_TIMEOUT, Some(loopexit_cb), base as *mut c_void, tv)
}

#[no_mangle]
pub unsafe extern "C" fn event_base_loopbreak(base: *mut EventBase) -> c_int {
    locked(base, -1, |b| {
        b.brk = true;
        b.wake();
        0
    })
}

#[no_mangle]
pub unsafe extern "C" fn event_base_loopcontinue(base: *mut EventBase) -> c_int {
    locked(base, -1, |b| {
        b.cont = true;
        0
    })
}

#[no_mangle]
pub unsafe extern "C" fn event_base_got_exit(base: *mut EventBase) -> c_int {
    locked(base, 0, |b| b.gotterm as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn event_base_got_break(base: *mut EventBase) -> c_int {
    locked(base, 0, |b| b.brk as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn event_base_once(base: *mut EventBase, fd: evutil_socket_t, events: c_short, cb: event_callback_fn, arg: *mut c_void, tv: *const timeval) -> c_int {
    let Some(cb) = cb else { return -1 };
    locked(base, -1, |b| b.once(fd, events, cb, arg, tv.as_ref()))
}

#[no_mangle]
pub unsafe extern "C" fn event_base_get_running_event(base: *mut EventBase) -> *mut Event {
    locked(base, ptr::null_mut(), |b| {
        let ev = b.current_event;
        if b.in_loop_thread() && !ev.is_null() && (*ev).flags & LIST_INIT != 0 { ev } else { ptr::null_mut() }
    })
}

#[no_mangle]
pub unsafe extern "C" fn event_base_gettimeofday_cached(base: *mut EventBase, tv: *mut timeval) -> c_int {
    if tv.is_null() {
        return -1;
    }
    let base = if base.is_null() { current_base() } else { base };
    if base.is_null() {
        return libc::gettimeofday(tv, ptr::null_mut());
    }
    locked(base, -1, |b| {
        if b.cache == 0 {
            libc::gettimeofday(tv, ptr::null_mut())
        } else {
            *tv = time::from_us(b.cache + b.clock_diff);
            0
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn event_base_update_cache_time(base: *mut EventBase) -> c_int {
    let base = if base.is_null() { current_base() } else { base };
    locked(base, -1, |b| {
        if b.running_loop {
            b.update_cache();
        }
        0
    })
}

#[no_mangle]
pub unsafe extern "C" fn event_base_dump_events(base: *mut EventBase, output: *mut FILE) {
    if output.is_null() {
        return;
    }
    locked(base, (), |b| b.dump(output))
}

#[no_mangle]
pub unsafe extern "C" fn event_base_foreach_event(base: *mut EventBase, f: event_base_foreach_event_cb, arg: *mut c_void) -> c_int {
    let Some(f) = f else { return -1 };
    if base.is_null() {
        return -1;
    }
    // As in libevent the lock is held (the callback must not add or delete events), but no
    // Rust borrow of the base is: the list is collected first.
    let lock = (*base).lock;
    sync::lock(lock);
    let evs = (*base).all_events();
    let mut r = 0;
    for ev in evs {
        r = f(base, ev, arg);
        if r != 0 {
            break;
        }
    }
    sync::unlock(lock);
    r
}

#[no_mangle]
pub unsafe extern "C" fn event_base_active_by_fd(base: *mut EventBase, fd: evutil_socket_t, events: c_short) {
    // As in libevent 2.1.12 (and 2.2): with EV_TIMEOUT, the events on `fd` waiting for a
    // timeout are activated (in the timer heap's order), and the I/O bits are ignored.
    locked(base, (), |b| {
        if events & EV_TIMEOUT != 0 {
            let timers: Vec<_> = (0..b.heap.len()).map(|i| b.heap.get(i)).filter(|&ev| (*ev).fd == fd).collect();
            for ev in timers {
                b.activate(ev, EV_TIMEOUT, 1);
            }
        } else {
            b.activate_fd(fd, events & EV_IO);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn event_base_active_by_signal(base: *mut EventBase, sig: c_int) {
    locked(base, (), |b| b.activate_signal(sig, 1))
}

// ---- events

static SELF_CBARG: u8 = 0;

#[no_mangle]
pub extern "C" fn event_self_cbarg() -> *mut c_void {
    &SELF_CBARG as *const u8 as *mut c_void
}

#[no_mangle]
pub unsafe extern "C" fn event_assign(ev: *mut Event, base: *mut EventBase, fd: evutil_socket_t, events: c_short, cb: event_callback_fn, arg: *mut c_void) -> c_int {
    if ev.is_null() {
        return -1;
    }
    let base = if base.is_null() { current_base() } else { base };
    let arg = if arg == event_self_cbarg() { ev as *mut c_void } else { arg };
    debug::assert_not_added(ev, "event_assign");
    if events & EV_SIGNAL != 0 && events & EV_IO != 0 {
        log::warnx("event_assign: EV_SIGNAL is not compatible with EV_READ, EV_WRITE or EV_CLOSED");
        return -1;
    }
    let pri = base.as_ref().map_or(0, |b| b.default_pri());
    Event::assign(ev, base, fd, events, cb.map_or(0, |f| f as usize), arg, pri);
    debug::note_setup(ev);
    0
}

#[no_mangle]
pub unsafe extern "C" fn event_new(base: *mut EventBase, fd: evutil_socket_t, events: c_short, cb: event_callback_fn, arg: *mut c_void) -> *mut Event {
    // One malloc block that owns nothing else: programs release it with free() after event_del().
    let ev = mem::malloc(std::mem::size_of::<Event>()) as *mut Event;
    if ev.is_null() {
        return ptr::null_mut();
    }
    if event_assign(ev, base, fd, events, cb, arg) < 0 {
        mem::free(ev as *mut c_void);
        return ptr::null_mut();
    }
    ev
}

#[no_mangle]
pub unsafe extern "C" fn event_free(ev: *mut Event) {
    if ev.is_null() {
        return;
    }
    // No debug-mode check, as in libevent: a finalized event (torn down) may be freed.
    event_del(ev);
    debug::note_teardown(ev);
    mem::free(ev as *mut c_void);
}

#[no_mangle]
pub unsafe extern "C" fn event_debug_unassign(ev: *mut Event) {
    if ev.is_null() {
        return;
    }
    debug::assert_not_added(ev, "event_debug_unassign");
    debug::note_teardown(ev);
    (*ev).flags &= !LIST_INIT;
}

unsafe fn finalize(ev: *mut Event, cb: event_finalize_callback_fn, closure: u8) -> c_int {
    if ev.is_null() {
        return -1;
    }
    let base = (*ev).base;
    if base.is_null() {
        log::warnx("event_finalize: event has no event_base set.");
        return -1;
    }
    EventBase::with_lock(base, |b| {
        b.del(ev, DelMode::EvenIfFinalizing);
        (*ev).closure = closure;
        (*ev).cb = cb.map_or(0, |f| f as usize);
        b.activate(ev, EV_FINALIZE, 1);
        (*ev).flags |= LIST_FINALIZING;
    });
    0
}

#[no_mangle]
pub unsafe extern "C" fn event_finalize(_flags: c_uint, ev: *mut Event, cb: event_finalize_callback_fn) -> c_int {
    finalize(ev, cb, CLOSURE_FINALIZE)
}

#[no_mangle]
pub unsafe extern "C" fn event_free_finalize(_flags: c_uint, ev: *mut Event, cb: event_finalize_callback_fn) -> c_int {
    finalize(ev, cb, CLOSURE_FINALIZE_FREE)
}

#[no_mangle]
pub unsafe extern "C" fn event_add(ev: *mut Event, tv: *const timeval) -> c_int {
    if ev.is_null() {
        return -1;
    }
    let base = (*ev).base;
    if base.is_null() {
        log::warnx("event_add: event has no event_base set.");
        return -1;
    }
    debug::assert_setup(ev, "event_add");
    log::debugx(|| format!("event_add: event: {ev:p} (fd {}), {}{}{}{}call {:#x}", (*ev).fd,
        if (*ev).events & EV_READ != 0 { "EV_READ " } else { " " },
        if (*ev).events & EV_WRITE != 0 { "EV_WRITE " } else { " " },
        if (*ev).events & EV_CLOSED != 0 { "EV_CLOSED " } else { " " },
        if tv.is_null() { "" } else { "EV_TIMEOUT " }, (*ev).cb));
    EventBase::with_lock(base, |b| {
        let t = timeout_of(b, tv);
        b.add(ev, t, false)
    })
}

#[no_mangle]
pub unsafe extern "C" fn event_remove_timer(ev: *mut Event) -> c_int {
    if ev.is_null() || (*ev).base.is_null() {
        return -1;
    }
    debug::assert_setup(ev, "event_remove_timer");
    EventBase::with_lock((*ev).base, |b| {
        if (*ev).flags & LIST_TIMEOUT != 0 {
            b.remove_timeout(ev);
            (*ev).persist_us = 0;
        }
        0
    })
}

unsafe fn del(ev: *mut Event, mode: DelMode, name: &str) -> c_int {
    if ev.is_null() {
        return -1;
    }
    let base = (*ev).base;
    if base.is_null() {
        log::warnx(&format!("{name}: event has no event_base set."));
        return -1;
    }
    // No debug-mode check, as in libevent: event_free() deletes a finalized (torn down) event.
    log::debugx(|| format!("{name}: {ev:p} (fd {}), callback {:#x}", (*ev).fd, (*ev).cb));
    // An event on no list needs nothing from its base (which may already be freed), unless
    // another thread may be running its callback. With threads, the loop's thread changes the
    // flags under the base lock, so they are read only under it.
    if !sync::threads_enabled() && (*ev).flags & (LIST_INSERTED | LIST_TIMEOUT | LIST_ACTIVE | LIST_ACTIVE_LATER | LIST_FINALIZING) == 0 {
        return 0;
    }
    let lock = (*base).lock;
    sync::lock(lock);
    let r = EventBase::del_waiting(base, ev, mode);
    sync::unlock(lock);
    r
}

#[no_mangle]
pub unsafe extern "C" fn event_del(ev: *mut Event) -> c_int {
    del(ev, DelMode::AutoBlock, "event_del")
}

#[no_mangle]
pub unsafe extern "C" fn event_del_noblock(ev: *mut Event) -> c_int {
    del(ev, DelMode::NoBlock, "event_del_noblock")
}

#[no_mangle]
pub unsafe extern "C" fn event_del_block(ev: *mut Event) -> c_int {
    del(ev, DelMode::Block, "event_del_block")
}

#[no_mangle]
pub unsafe extern "C" fn event_active(ev: *mut Event, res: c_int, ncalls: c_short) {
    if ev.is_null() || (*ev).base.is_null() {
        log::warnx("event_active: event has no event_base set.");
        return;
    }
    debug::assert_setup(ev, "event_active");
    EventBase::with_lock((*ev).base, |b| b.activate(ev, res as c_short, ncalls))
}

#[no_mangle]
pub unsafe extern "C" fn event_pending(ev: *const Event, events: c_short, tv: *mut timeval) -> c_int {
    if ev.is_null() {
        return 0;
    }
    if (*ev).base.is_null() {
        log::warnx("event_pending: event has no event_base set.");
        return 0;
    }
    debug::assert_setup(ev, "event_pending");
    let wanted = events & (EV_TIMEOUT | EV_IO | EV_SIGNAL);
    // Under the base lock, as in libevent: the loop's thread changes these fields under it.
    EventBase::with_lock((*ev).base, |b| {
        let flags = (*ev).pending_flags();
        if !tv.is_null() && flags & wanted & EV_TIMEOUT != 0 {
            *tv = b.wall_of(time::to_us(&(*ev).timeout));
        }
        (flags & wanted) as c_int
    })
}

#[no_mangle]
pub unsafe extern "C" fn event_initialized(ev: *const Event) -> c_int {
    match ev.as_ref() {
        Some(e) => (e.flags & LIST_INIT != 0) as c_int,
        None => 0,
    }
}

#[no_mangle]
pub unsafe extern "C" fn event_get_fd(ev: *const Event) -> evutil_socket_t {
    ev.as_ref().map_or(-1, |e| e.fd)
}

#[no_mangle]
pub unsafe extern "C" fn event_get_base(ev: *const Event) -> *mut EventBase {
    ev.as_ref().map_or(ptr::null_mut(), |e| e.base)
}

#[no_mangle]
pub unsafe extern "C" fn event_get_events(ev: *const Event) -> c_short {
    ev.as_ref().map_or(0, |e| e.events)
}

#[no_mangle]
pub unsafe extern "C" fn event_get_callback(ev: *const Event) -> event_callback_fn {
    ev.as_ref().and_then(|e| e.callback())
}

#[no_mangle]
pub unsafe extern "C" fn event_get_callback_arg(ev: *const Event) -> *mut c_void {
    ev.as_ref().map_or(ptr::null_mut(), |e| e.arg)
}

#[no_mangle]
pub unsafe extern "C" fn event_get_priority(ev: *const Event) -> c_int {
    ev.as_ref().map_or(-1, |e| e.pri as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn event_get_assignment(
    ev: *const Event,
    base_out: *mut *mut EventBase,
    fd_out: *mut evutil_socket_t,
    events_out: *mut c_short,
    callback_out: *mut event_callback_fn,
    arg_out: *mut *mut c_void,
) {
    let Some(e) = ev.as_ref() else { return };
    if let Some(p) = base_out.as_mut() {
        *p = e.base;
    }
    if let Some(p) = fd_out.as_mut() {
        *p = e.fd;
    }
    if let Some(p) = events_out.as_mut() {
        *p = e.events;
    }
    if let Some(p) = callback_out.as_mut() {
        *p = e.callback();
    }
    if let Some(p) = arg_out.as_mut() {
        *p = e.arg;
    }
}

#[no_mangle]
pub extern "C" fn event_get_struct_event_size() -> size_t {
    std::mem::size_of::<Event>()
}

#[no_mangle]
pub unsafe extern "C" fn event_priority_set(ev: *mut Event, pri: c_int) -> c_int {
    let Some(e) = ev.as_mut() else { return -1 };
    if e.flags & LIST_ACTIVE != 0 || pri < 0 || e.base.is_null() || pri >= (*e.base).queues.len() as c_int {
        return -1;
    }
    e.pri = pri as u8;
    0
}

#[no_mangle]
pub unsafe extern "C" fn event_base_set(base: *mut EventBase, ev: *mut Event) -> c_int {
    let (Some(b), Some(e)) = (base.as_ref(), ev.as_mut()) else { return -1 };
    // Only an event on no list may move to another base.
    if e.flags != LIST_INIT {
        return -1;
    }
    debug::assert_setup(ev, "event_base_set");
    e.base = base;
    e.pri = b.default_pri();
    0
}

// ---- versions, logging, memory, debugging

#[no_mangle]
pub extern "C" fn event_get_version() -> *const c_char {
    c"2.1.12-stable".as_ptr()
}

#[no_mangle]
pub extern "C" fn event_get_version_number() -> ev_uint32_t {
    0x02010c00
}

/// Not in libevent: the one symbol only event_rs exports, so that a program (and the
/// c-tests/sec_*.c tests, looking the name up with dlsym and RTLD_DEFAULT) can tell which of
/// the two libraries it runs on.
#[no_mangle]
pub extern "C" fn event_rs_version() -> *const c_char {
    c"event_rs 2.1.12".as_ptr()
}

#[no_mangle]
pub extern "C" fn event_set_log_callback(cb: event_log_cb) {
    log::set_log_callback(cb)
}

#[no_mangle]
pub extern "C" fn event_set_fatal_callback(cb: event_fatal_cb) {
    log::set_fatal_callback(cb)
}

#[no_mangle]
pub unsafe extern "C" fn event_enable_debug_logging(which: ev_uint32_t) {
    event_debug_logging_mask_ = which;
    log::set_debug_mask(which)
}

#[no_mangle]
pub extern "C" fn event_enable_debug_mode() {
    debug::enable()
}

#[no_mangle]
pub extern "C" fn event_set_mem_functions(
    malloc_fn: Option<unsafe extern "C" fn(size_t) -> *mut c_void>,
    realloc_fn: Option<unsafe extern "C" fn(*mut c_void, size_t) -> *mut c_void>,
    free_fn: Option<unsafe extern "C" fn(*mut c_void)>,
) {
    mem::set_functions(malloc_fn, realloc_fn, free_fn)
}

#[no_mangle]
pub extern "C" fn libevent_global_shutdown() {
    debug::shutdown();
}
