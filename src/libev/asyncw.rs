//! ev_async: wake-ups from other threads. ev_async_send() marks the watcher, and writes the
//! loop's eventfd unless a wake-up is already on its way; the loop's internal hook on that
//! eventfd then queues every marked watcher.
use crate::core::base::{DelMode, EventBase};
use crate::core::event as core_ev;
use crate::libev::evloop::{st, EvLoop, State};
use crate::libev::hook::{self, Hook, Kind};
use crate::libev::watcher::*;
use libc::{c_int, c_void};
use std::sync::atomic::{AtomicI32, Ordering};

unsafe fn sent_flag<'a>(w: *mut Async) -> &'a AtomicI32 {
    // SAFETY (caller): w is a live watcher; `sent` is an aligned int that other threads only
    // touch atomically (through this function).
    AtomicI32::from_ptr(std::ptr::addr_of_mut!((*w).sent))
}

/// Makes the loop's eventfd and its hook, once. False when the eventfd cannot be had (the
/// caller reports it, with the state no longer borrowed: the report may call the program).
unsafe fn ensure_wakeup(lp: *mut EvLoop, s: &mut State) -> bool {
    if !s.async_hook.is_null() {
        return true;
    }
    let fd = libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC);
    if fd < 0 {
        return false;
    }
    let h = Box::into_raw(Box::new(Hook::empty()));
    (*h).lp = lp;
    (*h).kind = Kind::AsyncFd;
    hook::assign(h, s.base, fd, core_ev::EV_READ | core_ev::EV_PERSIST);
    hook::add(h, None, false);
    s.async_hook = h;
    (*lp).shared.async_fd.store(fd, Ordering::Release);
    true
}

fn wakeup_failed() {
    crate::libev::alloc::syserr(c"(libev) error creating signal/async pipe");
}

pub unsafe fn start(lp: *mut EvLoop, w: *mut Async) {
    let ww = w as *mut Watcher;
    if (*ww).active != 0 {
        return;
    }
    sent_flag(w).store(0, Ordering::Release);
    let mut s = st(lp);
    if !ensure_wakeup(lp, &mut s) {
        drop(s);
        wakeup_failed();
        return;
    }
    s.start_watcher(ww);
    State::table_add(&mut s.asyncs, ww);
}

pub unsafe fn stop(lp: *mut EvLoop, w: *mut Async) {
    let ww = w as *mut Watcher;
    let mut s = st(lp);
    s.clear_pending(ww);
    if (*ww).active == 0 {
        return;
    }
    State::table_remove(&mut s.asyncs, ww);
    s.stop_watcher(ww);
}

/// ev_async_send(): callable from any thread (and from signal handlers).
pub unsafe fn send(lp: *mut EvLoop, w: *mut Async) {
    sent_flag(w).store(1, Ordering::SeqCst);
    let shared = &(*lp).shared;
    if !shared.async_pending.swap(true, Ordering::SeqCst) {
        let fd = shared.async_fd.load(Ordering::Acquire);
        if fd >= 0 {
            let one: u64 = 1;
            libc::write(fd, &one as *const u64 as *const c_void, 8);
        }
    }
}

/// The eventfd became readable: drain it, then queue the marked watchers.
pub unsafe fn on_wake(lp: *mut EvLoop, fd: c_int) {
    let mut n: u64 = 0;
    libc::read(fd, &mut n as *mut u64 as *mut c_void, 8);
    // Cleared before the scan: a send that comes after it writes the eventfd again.
    (*lp).shared.async_pending.store(false, Ordering::SeqCst);
    let mut s = st(lp);
    for i in (0..s.asyncs.len()).rev() {
        let w = s.asyncs[i] as *mut Async;
        if sent_flag(w).swap(0, Ordering::AcqRel) != 0 {
            s.feed(w as *mut Watcher, EV_ASYNC);
        }
    }
}

/// After fork (and after the core's reinit): a fresh eventfd, so parent and child no longer share one; then a wake-up, in
/// case a send was lost with the old one.
pub unsafe fn after_fork(lp: *mut EvLoop) {
    let mut s = st(lp);
    let old = std::mem::replace(&mut s.async_hook, std::ptr::null_mut());
    if old.is_null() {
        return;
    }
    // Out of the (new) backend while the descriptor is still open, then closed.
    EventBase::with_lock(s.base, |b| {
        b.del(std::ptr::addr_of_mut!((*old).ev), DelMode::NoBlock);
        b.io.flush(&mut b.backend);
    });
    let fd = (*lp).shared.async_fd.swap(-1, Ordering::AcqRel);
    if fd >= 0 {
        libc::close(fd);
    }
    drop(Box::from_raw(old));
    if !ensure_wakeup(lp, &mut s) {
        drop(s);
        wakeup_failed();
        return;
    }
    (*lp).shared.async_pending.store(false, Ordering::SeqCst);
    let fd = (*lp).shared.async_fd.load(Ordering::Acquire);
    if fd >= 0 {
        let one: u64 = 1;
        libc::write(fd, &one as *const u64 as *const c_void, 8);
    }
}
