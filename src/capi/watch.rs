//! Exports of event2/watch.h (libevent 2.2's API on the 2.1 ABI): prepare and check watchers.
//! NULL arguments get NULL, -1 or nothing, where libevent would dereference them.
#![allow(non_camel_case_types)]
use crate::core::base::EventBase;
use crate::core::watch::{self, CheckFn, Evwatch, PrepareFn, PrepareInfo};
use libc::{c_int, c_void, timeval};
use std::ptr;

pub type evwatch_prepare_cb = Option<PrepareFn>;
pub type evwatch_check_cb = Option<CheckFn>;

/// libevent 2.2 API: adds a prepare watcher, which the loop calls in each iteration just before
/// it waits for events.
/// @param base the base.
/// @param callback called with the watcher, an `info` and `arg`, with the base unlocked; `info`
/// (valid only during the call) gives the coming wait's timeout through
/// evwatch_prepare_get_timeout().
/// @param arg passed to `callback`.
/// @return the watcher, freed by evwatch_free() or with the base; NULL when `base` or
/// `callback` is NULL.
#[no_mangle]
pub unsafe extern "C" fn evwatch_prepare_new(
    base: *mut EventBase,
    callback: evwatch_prepare_cb,
    arg: *mut c_void,
) -> *mut Evwatch {
    match (base.is_null(), callback) {
        // SAFETY: a non-NULL base is the program's live base.
        (false, Some(cb)) => unsafe { watch::prepare_new(base, cb, arg) },
        _ => ptr::null_mut(),
    }
}

/// libevent 2.2 API: adds a check watcher, which the loop calls in each iteration just after the
/// wait for events ends, before timers are processed and callbacks run.
/// @param base the base.
/// @param callback called with the watcher, an `info` (empty for now) and `arg`, with the base
/// unlocked.
/// @param arg passed to `callback`.
/// @return the watcher, freed by evwatch_free() or with the base; NULL when `base` or
/// `callback` is NULL.
#[no_mangle]
pub unsafe extern "C" fn evwatch_check_new(
    base: *mut EventBase,
    callback: evwatch_check_cb,
    arg: *mut c_void,
) -> *mut Evwatch {
    match (base.is_null(), callback) {
        // SAFETY: a non-NULL base is the program's live base.
        (false, Some(cb)) => unsafe { watch::check_new(base, cb, arg) },
        _ => ptr::null_mut(),
    }
}

/// libevent 2.2 API.
/// @param watcher the watcher.
/// @return the base it belongs to; NULL when `watcher` is NULL.
#[no_mangle]
pub unsafe extern "C" fn evwatch_base(watcher: *mut Evwatch) -> *mut EventBase {
    if watcher.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a non-NULL watcher is live.
    unsafe { watch::base_of(watcher) }
}

/// libevent 2.2 API: removes a watcher and frees it; allowed from any watcher's callback,
/// including its own. event_base_free() frees the watchers left.
/// @param watcher the watcher, not used afterwards; NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn evwatch_free(watcher: *mut Evwatch) {
    if !watcher.is_null() {
        // SAFETY: a non-NULL watcher is live, and so is its base; the program lets go of it.
        unsafe { watch::free(watcher) }
    }
}

/// libevent 2.2 API: from a prepare callback, tells how long the coming wait may last.
/// @param info the information the callback received.
/// @param timeout receives the longest wait when there is one.
/// @return 1 when the wait has a limit (stored in `*timeout`); 0 when it may last for ever; -1
/// when an argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn evwatch_prepare_get_timeout(info: *const PrepareInfo, timeout: *mut timeval) -> c_int {
    // SAFETY: non-NULL pointers are the info the loop passed and the program's timeval.
    match unsafe { (info.as_ref(), timeout.as_mut()) } {
        (Some(i), Some(t)) => watch::prepare_timeout(i, t),
        _ => -1,
    }
}
