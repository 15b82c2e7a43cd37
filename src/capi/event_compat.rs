//! Exports of event2/event_compat.h: the 1.x calls on the "current" base of event_init().
use crate::capi::event::*;
use crate::core::base::{EventBase, CURRENT_BASE};
use crate::core::event::Event;
use libc::{c_char, c_int, c_short, c_void, timeval};
use std::sync::atomic::Ordering;

fn current() -> *mut EventBase {
    CURRENT_BASE.load(Ordering::Acquire)
}

/// libevent 1.x: creates a base (as event_base_new()) and makes it the current base, which the
/// other 1.x calls and NULL base arguments use. The current base is process-wide: not for
/// programs with several threads or bases.
/// @return the base (free it with event_base_free(), which also clears the current base); NULL
/// on failure, where libevent ends the process.
#[no_mangle]
pub extern "C" fn event_init() -> *mut EventBase {
    let base = event_base_new();
    CURRENT_BASE.store(base, Ordering::Release);
    base
}

/// libevent 1.x: event_base_dispatch() on the current base (event_init()).
/// @return as event_base_loop(); -1 when there is no current base.
#[no_mangle]
pub unsafe extern "C" fn event_dispatch() -> c_int {
    event_loop(0)
}

/// libevent 1.x: event_base_loop() on the current base (event_init()).
/// @param flags as for event_base_loop().
/// @return as event_base_loop(); -1 when there is no current base.
#[no_mangle]
pub unsafe extern "C" fn event_loop(flags: c_int) -> c_int {
    event_base_loop(current(), flags)
}

/// libevent 1.x: event_base_loopexit() on the current base (event_init()).
/// @param tv the delay, or NULL.
/// @return 0, or -1 when there is no current base.
#[no_mangle]
pub unsafe extern "C" fn event_loopexit(tv: *const timeval) -> c_int {
    event_base_loopexit(current(), tv)
}

/// libevent 1.x: event_base_loopbreak() on the current base (event_init()).
/// @return 0, or -1 when there is no current base.
#[no_mangle]
pub unsafe extern "C" fn event_loopbreak() -> c_int {
    event_base_loopbreak(current())
}

/// libevent 1.x: event_base_once() on the current base (event_init()); see it for the
/// arguments.
/// @return 0, or -1 on failure or when there is no current base.
#[no_mangle]
pub unsafe extern "C" fn event_once(
    fd: evutil_socket_t,
    events: c_short,
    cb: event_callback_fn,
    arg: *mut c_void,
    tv: *const timeval,
) -> c_int {
    event_base_once(current(), fd, events, cb, arg, tv)
}

/// libevent 1.x: event_base_get_method() of the current base (event_init()).
/// @return a static string; NULL when there is no current base.
#[no_mangle]
pub unsafe extern "C" fn event_get_method() -> *const c_char {
    event_base_get_method(current())
}

/// libevent 1.x: event_base_priority_init() on the current base (event_init()).
/// @param npriorities the number of priorities.
/// @return 0, or -1 on failure or when there is no current base.
#[no_mangle]
pub unsafe extern "C" fn event_priority_init(npriorities: c_int) -> c_int {
    event_base_priority_init(current(), npriorities)
}

/// libevent 1.x: event_assign() on the current base (event_init()); see it for the arguments.
/// Failures are not reported. Without a current base the event has none: give it one with
/// event_base_set() before adding it.
#[no_mangle]
pub unsafe extern "C" fn event_set(
    ev: *mut Event,
    fd: evutil_socket_t,
    events: c_short,
    cb: event_callback_fn,
    arg: *mut c_void,
) {
    event_assign(ev, current(), fd, events, cb, arg);
}
