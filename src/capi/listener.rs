//! Exports of event2/listener.h.
//!
//! libevent dereferences a NULL listener; these return the function's failure value instead.
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]
use crate::core::base::EventBase;
use crate::listener::{AcceptFn, ErrorFn, Listener};
use libc::{c_int, c_uint, c_void, sockaddr};


pub type evutil_socket_t = c_int;
pub type evconnlistener_cb = Option<AcceptFn>;
pub type evconnlistener_errorcb = Option<ErrorFn>;

#[no_mangle]
pub unsafe extern "C" fn evconnlistener_new(base: *mut EventBase, cb: evconnlistener_cb, ptr: *mut c_void, flags: c_uint, backlog: c_int, fd: evutil_socket_t) -> *mut Listener {
    // SAFETY: base is the program's (or NULL for event_init's).
    unsafe { Listener::new(base, cb, ptr, flags, backlog, fd) }
}

#[no_mangle]
pub unsafe extern "C" fn evconnlistener_new_bind(base: *mut EventBase, cb: evconnlistener_cb, ptr: *mut c_void, flags: c_uint, backlog: c_int, sa: *const sockaddr, socklen: c_int) -> *mut Listener {
    // SAFETY: sa, when not NULL, points at socklen bytes (the caller's contract).
    unsafe { Listener::new_bind(base, cb, ptr, flags, backlog, sa, socklen) }
}

#[no_mangle]
pub unsafe extern "C" fn evconnlistener_free(lev: *mut Listener) {
    if !lev.is_null() {
        // SAFETY: a non-NULL listener came from evconnlistener_new and is live.
        unsafe { Listener::free(lev) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn evconnlistener_enable(lev: *mut Listener) -> c_int {
    if lev.is_null() {
        return -1;
    }
    // SAFETY: as above.
    unsafe { Listener::enable(lev) }
}

#[no_mangle]
pub unsafe extern "C" fn evconnlistener_disable(lev: *mut Listener) -> c_int {
    if lev.is_null() {
        return -1;
    }
    // SAFETY: as above.
    unsafe { Listener::disable(lev) }
}

#[no_mangle]
pub unsafe extern "C" fn evconnlistener_get_base(lev: *mut Listener) -> *mut EventBase {
    if lev.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: as above.
    unsafe { Listener::base(lev) }
}

#[no_mangle]
pub unsafe extern "C" fn evconnlistener_get_fd(lev: *mut Listener) -> evutil_socket_t {
    if lev.is_null() {
        return -1;
    }
    // SAFETY: as above.
    unsafe { Listener::fd(lev) }
}

#[no_mangle]
pub unsafe extern "C" fn evconnlistener_set_cb(lev: *mut Listener, cb: evconnlistener_cb, arg: *mut c_void) {
    if !lev.is_null() {
        // SAFETY: as above.
        unsafe { Listener::set_cb(lev, cb, arg) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn evconnlistener_set_error_cb(lev: *mut Listener, errorcb: evconnlistener_errorcb) {
    if !lev.is_null() {
        // SAFETY: as above.
        unsafe { Listener::set_error_cb(lev, errorcb) }
    }
}
