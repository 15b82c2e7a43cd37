//! Exports of <ev.h>: the libev 4.33 API, with libev's ABI (the program's watcher structs are
//! read at the offsets of the system's <ev.h>). Each function checks its pointers (a NULL loop
//! or watcher does nothing, where libev would crash), then calls src/libev.
#![allow(non_camel_case_types)]
// The safety contract of each export is its C documentation (libev's <ev.h>).
#![allow(clippy::missing_safety_doc)]
use crate::libev::alloc;
use crate::libev::evloop::{self, st, supported_backends, EvLoop, LoopCb};
use crate::libev::simple::{self, Table};
use crate::libev::watcher::*;
use crate::libev::{asyncw, child, embed, io, once, pending, periodic, run, signal, stat, timer};
use libc::{c_char, c_int, c_long, c_uint, c_void};

pub type ev_tstamp = Tstamp;
pub type ev_loop_callback = LoopCb;
pub type ev_io = Io;
pub type ev_timer = Timer;
pub type ev_periodic = Periodic;
pub type ev_signal = Signal;
pub type ev_child = Child;
pub type ev_stat = Stat;
pub type ev_idle = Idle;
pub type ev_prepare = Prepare;
pub type ev_check = Check;
pub type ev_fork = Fork;
pub type ev_cleanup = Cleanup;
pub type ev_embed = Embed;
pub type ev_async = Async;

/// Runs `f` when both pointers are set.
#[inline]
unsafe fn with<T>(lp: *mut EvLoop, w: *mut T, f: impl FnOnce(*mut EvLoop, *mut T)) {
    if !lp.is_null() && !w.is_null() {
        f(lp, w)
    }
}

// ---- versions, backends, time

#[no_mangle]
pub extern "C" fn ev_version_major() -> c_int {
    4
}

#[no_mangle]
pub extern "C" fn ev_version_minor() -> c_int {
    33
}

#[no_mangle]
pub extern "C" fn ev_supported_backends() -> c_uint {
    supported_backends()
}

#[no_mangle]
pub extern "C" fn ev_recommended_backends() -> c_uint {
    supported_backends()
}

#[no_mangle]
pub extern "C" fn ev_embeddable_backends() -> c_uint {
    EVBACKEND_EPOLL
}

#[no_mangle]
pub extern "C" fn ev_time() -> ev_tstamp {
    evloop::wall_now()
}

#[no_mangle]
pub extern "C" fn ev_sleep(delay: ev_tstamp) {
    run::sleep_for(delay)
}

#[no_mangle]
pub extern "C" fn ev_set_allocator(cb: Option<unsafe extern "C" fn(*mut c_void, c_long) -> *mut c_void>) {
    alloc::set_allocator(cb)
}

#[no_mangle]
pub extern "C" fn ev_set_syserr_cb(cb: Option<unsafe extern "C" fn(*const c_char)>) {
    alloc::set_syserr(cb)
}

// ---- loops

#[no_mangle]
pub unsafe extern "C" fn ev_default_loop(flags: c_uint) -> *mut EvLoop {
    evloop::default_loop_get(flags)
}

#[no_mangle]
pub unsafe extern "C" fn ev_loop_new(flags: c_uint) -> *mut EvLoop {
    evloop::new_loop(flags, false)
}

#[no_mangle]
pub unsafe extern "C" fn ev_loop_destroy(lp: *mut EvLoop) {
    if !lp.is_null() {
        evloop::destroy(lp)
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_loop_fork(lp: *mut EvLoop) {
    if !lp.is_null() {
        st(lp).postfork = true;
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_backend(lp: *mut EvLoop) -> c_uint {
    if lp.is_null() { 0 } else { st(lp).backend }
}

#[no_mangle]
pub unsafe extern "C" fn ev_now(lp: *mut EvLoop) -> ev_tstamp {
    if lp.is_null() { 0.0 } else { st(lp).rt_now }
}

#[no_mangle]
pub unsafe extern "C" fn ev_now_update(lp: *mut EvLoop) {
    if !lp.is_null() {
        run::now_update(lp)
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_suspend(lp: *mut EvLoop) {
    ev_now_update(lp)
}

#[no_mangle]
pub unsafe extern "C" fn ev_resume(lp: *mut EvLoop) {
    if !lp.is_null() {
        run::resume(lp)
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_run(lp: *mut EvLoop, flags: c_int) -> c_int {
    if lp.is_null() { 0 } else { run::run(lp, flags) }
}

#[no_mangle]
pub unsafe extern "C" fn ev_break(lp: *mut EvLoop, how: c_int) {
    if !lp.is_null() {
        st(lp).done = how;
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_ref(lp: *mut EvLoop) {
    if !lp.is_null() {
        st(lp).activecnt += 1;
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_unref(lp: *mut EvLoop) {
    if !lp.is_null() {
        st(lp).activecnt -= 1;
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_iteration(lp: *mut EvLoop) -> c_uint {
    if lp.is_null() { 0 } else { st(lp).iteration }
}

#[no_mangle]
pub unsafe extern "C" fn ev_depth(lp: *mut EvLoop) -> c_uint {
    if lp.is_null() { 0 } else { st(lp).depth }
}

#[no_mangle]
pub unsafe extern "C" fn ev_verify(lp: *mut EvLoop) {
    if !lp.is_null() {
        st(lp).verify()
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_set_io_collect_interval(lp: *mut EvLoop, interval: ev_tstamp) {
    if !lp.is_null() {
        st(lp).io_blocktime = interval;
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_set_timeout_collect_interval(lp: *mut EvLoop, interval: ev_tstamp) {
    if !lp.is_null() {
        st(lp).timeout_blocktime = interval;
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_set_userdata(lp: *mut EvLoop, data: *mut c_void) {
    if !lp.is_null() {
        st(lp).userdata = data;
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_userdata(lp: *mut EvLoop) -> *mut c_void {
    if lp.is_null() { std::ptr::null_mut() } else { st(lp).userdata }
}

#[no_mangle]
pub unsafe extern "C" fn ev_set_invoke_pending_cb(lp: *mut EvLoop, invoke_pending_cb: ev_loop_callback) {
    if !lp.is_null() {
        st(lp).invoke_cb = invoke_pending_cb;
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_set_loop_release_cb(
    lp: *mut EvLoop,
    release: Option<unsafe extern "C" fn(*mut EvLoop)>,
    acquire: Option<unsafe extern "C" fn(*mut EvLoop)>,
) {
    if !lp.is_null() {
        let mut s = st(lp);
        s.release_cb = release;
        s.acquire_cb = acquire;
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_pending_count(lp: *mut EvLoop) -> c_uint {
    if lp.is_null() { 0 } else { st(lp).pending_count() }
}

#[no_mangle]
pub unsafe extern "C" fn ev_invoke_pending(lp: *mut EvLoop) {
    if !lp.is_null() {
        pending::invoke_pending(lp)
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_once(lp: *mut EvLoop, fd: c_int, events: c_int, timeout: ev_tstamp, cb: Option<unsafe extern "C" fn(c_int, *mut c_void)>, arg: *mut c_void) {
    if !lp.is_null() {
        once::once(lp, fd, events, timeout, cb, arg)
    }
}

// ---- any watcher

#[no_mangle]
pub unsafe extern "C" fn ev_feed_event(lp: *mut EvLoop, w: *mut c_void, revents: c_int) {
    with(lp, w as *mut Watcher, |lp, w| st(lp).feed(w, revents))
}

#[no_mangle]
pub unsafe extern "C" fn ev_feed_fd_event(lp: *mut EvLoop, fd: c_int, revents: c_int) {
    if !lp.is_null() {
        io::feed_fd(lp, fd, revents)
    }
}

#[no_mangle]
pub extern "C" fn ev_feed_signal(signum: c_int) {
    signal::feed_signal(signum)
}

#[no_mangle]
pub unsafe extern "C" fn ev_feed_signal_event(lp: *mut EvLoop, signum: c_int) {
    if !lp.is_null() {
        signal::feed_signal_event(lp, signum)
    }
}

#[no_mangle]
pub unsafe extern "C" fn ev_invoke(lp: *mut EvLoop, w: *mut c_void, revents: c_int) {
    with(lp, w as *mut Watcher, |lp, w| pending::invoke(lp, w, revents))
}

#[no_mangle]
pub unsafe extern "C" fn ev_clear_pending(lp: *mut EvLoop, w: *mut c_void) -> c_int {
    if lp.is_null() || w.is_null() {
        return 0;
    }
    st(lp).clear_pending(w as *mut Watcher)
}

// ---- watchers

#[no_mangle]
pub unsafe extern "C" fn ev_io_start(lp: *mut EvLoop, w: *mut ev_io) {
    with(lp, w, |lp, w| io::start(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_io_stop(lp: *mut EvLoop, w: *mut ev_io) {
    with(lp, w, |lp, w| io::stop(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_timer_start(lp: *mut EvLoop, w: *mut ev_timer) {
    with(lp, w, |lp, w| timer::start(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_timer_stop(lp: *mut EvLoop, w: *mut ev_timer) {
    with(lp, w, |lp, w| timer::stop(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_timer_again(lp: *mut EvLoop, w: *mut ev_timer) {
    with(lp, w, |lp, w| timer::again(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_timer_remaining(lp: *mut EvLoop, w: *mut ev_timer) -> ev_tstamp {
    if lp.is_null() || w.is_null() {
        return 0.0;
    }
    timer::remaining(lp, w)
}

#[no_mangle]
pub unsafe extern "C" fn ev_periodic_start(lp: *mut EvLoop, w: *mut ev_periodic) {
    with(lp, w, |lp, w| periodic::start(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_periodic_stop(lp: *mut EvLoop, w: *mut ev_periodic) {
    with(lp, w, |lp, w| periodic::stop(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_periodic_again(lp: *mut EvLoop, w: *mut ev_periodic) {
    with(lp, w, |lp, w| periodic::again(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_signal_start(lp: *mut EvLoop, w: *mut ev_signal) {
    with(lp, w, |lp, w| signal::start(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_signal_stop(lp: *mut EvLoop, w: *mut ev_signal) {
    with(lp, w, |lp, w| signal::stop(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_child_start(lp: *mut EvLoop, w: *mut ev_child) {
    with(lp, w, |lp, w| child::start(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_child_stop(lp: *mut EvLoop, w: *mut ev_child) {
    with(lp, w, |lp, w| child::stop(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_stat_start(lp: *mut EvLoop, w: *mut ev_stat) {
    with(lp, w, |lp, w| stat::start(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_stat_stop(lp: *mut EvLoop, w: *mut ev_stat) {
    with(lp, w, |lp, w| stat::stop(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_stat_stat(lp: *mut EvLoop, w: *mut ev_stat) {
    with(lp, w, |_, w| stat::refresh(w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_idle_start(lp: *mut EvLoop, w: *mut ev_idle) {
    with(lp, w, |lp, w| simple::idle_start(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_idle_stop(lp: *mut EvLoop, w: *mut ev_idle) {
    with(lp, w, |lp, w| simple::idle_stop(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_prepare_start(lp: *mut EvLoop, w: *mut ev_prepare) {
    with(lp, w, |lp, w| simple::start(lp, w, Table::Prepare))
}

#[no_mangle]
pub unsafe extern "C" fn ev_prepare_stop(lp: *mut EvLoop, w: *mut ev_prepare) {
    with(lp, w, |lp, w| simple::stop(lp, w, Table::Prepare))
}

#[no_mangle]
pub unsafe extern "C" fn ev_check_start(lp: *mut EvLoop, w: *mut ev_check) {
    with(lp, w, |lp, w| simple::start(lp, w, Table::Check))
}

#[no_mangle]
pub unsafe extern "C" fn ev_check_stop(lp: *mut EvLoop, w: *mut ev_check) {
    with(lp, w, |lp, w| simple::stop(lp, w, Table::Check))
}

#[no_mangle]
pub unsafe extern "C" fn ev_fork_start(lp: *mut EvLoop, w: *mut ev_fork) {
    with(lp, w, |lp, w| simple::start(lp, w, Table::Fork))
}

#[no_mangle]
pub unsafe extern "C" fn ev_fork_stop(lp: *mut EvLoop, w: *mut ev_fork) {
    with(lp, w, |lp, w| simple::stop(lp, w, Table::Fork))
}

#[no_mangle]
pub unsafe extern "C" fn ev_cleanup_start(lp: *mut EvLoop, w: *mut ev_cleanup) {
    with(lp, w, |lp, w| simple::start(lp, w, Table::Cleanup))
}

#[no_mangle]
pub unsafe extern "C" fn ev_cleanup_stop(lp: *mut EvLoop, w: *mut ev_cleanup) {
    with(lp, w, |lp, w| simple::stop(lp, w, Table::Cleanup))
}

#[no_mangle]
pub unsafe extern "C" fn ev_embed_start(lp: *mut EvLoop, w: *mut ev_embed) {
    with(lp, w, |lp, w| embed::start(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_embed_stop(lp: *mut EvLoop, w: *mut ev_embed) {
    with(lp, w, |lp, w| embed::stop(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_embed_sweep(lp: *mut EvLoop, w: *mut ev_embed) {
    with(lp, w, |_, w| embed::sweep(w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_async_start(lp: *mut EvLoop, w: *mut ev_async) {
    with(lp, w, |lp, w| asyncw::start(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_async_stop(lp: *mut EvLoop, w: *mut ev_async) {
    with(lp, w, |lp, w| asyncw::stop(lp, w))
}

#[no_mangle]
pub unsafe extern "C" fn ev_async_send(lp: *mut EvLoop, w: *mut ev_async) {
    with(lp, w, |lp, w| asyncw::send(lp, w))
}
