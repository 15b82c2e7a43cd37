//! Exports of event2/event_compat.h: the 1.x calls on the "current" base of event_init().
use crate::capi::event::*;
use crate::core::base::{EventBase, CURRENT_BASE};
use crate::core::event::Event;
use libc::{c_char, c_int, c_short, c_void, timeval};
use std::sync::atomic::Ordering;

fn current() -> *mut EventBase {
    CURRENT_BASE.load(Ordering::Acquire)
}

#[no_mangle]
pub extern "C" fn event_init() -> *mut EventBase {
    let base = event_base_new();
    CURRENT_BASE.store(base, Ordering::Release);
    base
}

#[no_mangle]
pub unsafe extern "C" fn event_dispatch() -> c_int {
    event_loop(0)
}

#[no_mangle]
pub unsafe extern "C" fn event_loop(flags: c_int) -> c_int {
    event_base_loop(current(), flags)
}

#[no_mangle]
pub unsafe extern "C" fn event_loopexit(tv: *const timeval) -> c_int {
    event_base_loopexit(current(), tv)
}

#[no_mangle]
pub unsafe extern "C" fn event_loopbreak() -> c_int {
    event_base_loopbreak(current())
}

#[no_mangle]
pub unsafe extern "C" fn event_once(fd: evutil_socket_t, events: c_short, cb: event_callback_fn, arg: *mut c_void, tv: *const timeval) -> c_int {
    event_base_once(current(), fd, events, cb, arg, tv)
}

#[no_mangle]
pub unsafe extern "C" fn event_get_method() -> *const c_char {
    event_base_get_method(current())
}

#[no_mangle]
pub unsafe extern "C" fn event_priority_init(npriorities: c_int) -> c_int {
    event_base_priority_init(current(), npriorities)
}

#[no_mangle]
pub unsafe extern "C" fn event_set(ev: *mut Event, fd: evutil_socket_t, events: c_short, cb: event_callback_fn, arg: *mut c_void) {
    event_assign(ev, current(), fd, events, cb, arg);
}
