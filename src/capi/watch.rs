//! Exports of event2/watch.h (libevent 2.2's API on the 2.1 ABI): prepare and check watchers.
//! NULL arguments get NULL, -1 or nothing, where libevent would dereference them.
#![allow(non_camel_case_types)]
use crate::core::base::EventBase;
use crate::core::watch::{self, CheckFn, Evwatch, PrepareFn, PrepareInfo};
use libc::{c_int, c_void, timeval};
use std::ptr;

pub type evwatch_prepare_cb = Option<PrepareFn>;
pub type evwatch_check_cb = Option<CheckFn>;

#[no_mangle]
pub unsafe extern "C" fn evwatch_prepare_new(base: *mut EventBase, callback: evwatch_prepare_cb, arg: *mut c_void) -> *mut Evwatch {
    match (base.is_null(), callback) {
        // SAFETY: a non-NULL base is the program's live base.
        (false, Some(cb)) => unsafe { watch::prepare_new(base, cb, arg) },
        _ => ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn evwatch_check_new(base: *mut EventBase, callback: evwatch_check_cb, arg: *mut c_void) -> *mut Evwatch {
    match (base.is_null(), callback) {
        // SAFETY: a non-NULL base is the program's live base.
        (false, Some(cb)) => unsafe { watch::check_new(base, cb, arg) },
        _ => ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn evwatch_base(watcher: *mut Evwatch) -> *mut EventBase {
    if watcher.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a non-NULL watcher is live.
    unsafe { watch::base_of(watcher) }
}

#[no_mangle]
pub unsafe extern "C" fn evwatch_free(watcher: *mut Evwatch) {
    if !watcher.is_null() {
        // SAFETY: a non-NULL watcher is live, and so is its base; the program lets go of it.
        unsafe { watch::free(watcher) }
    }
}

/// 1 and the wait's timeout in `*timeout`, or 0 when the wait has none; -1 for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn evwatch_prepare_get_timeout(info: *const PrepareInfo, timeout: *mut timeval) -> c_int {
    // SAFETY: non-NULL pointers are the info the loop passed and the program's timeval.
    match unsafe { (info.as_ref(), timeout.as_mut()) } {
        (Some(i), Some(t)) => watch::prepare_timeout(i, t),
        _ => -1,
    }
}

