//! Exports of event2/bufferevent_ssl.h (libevent_openssl).
//!
//! libevent dereferences a NULL bufferevent or SSL object; these return the function's failure
//! value instead (NULL, -1, 0), or do nothing. On a bufferevent of another kind they answer as
//! libevent does (NULL, -1, 0).
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]
use crate::bufferevent::{ssl, Bev};
use crate::core::base::EventBase;
use libc::{c_int, c_ulong};
use openssl_sys::SSL;
use std::ptr;

pub type evutil_socket_t = c_int;
/// `enum bufferevent_ssl_state`: an int, so that any value a program passes can be refused.
pub type BufferEventSslState = c_int;

#[no_mangle]
pub unsafe extern "C" fn bufferevent_openssl_filter_new(base: *mut EventBase, underlying: *mut Bev, ssl: *mut SSL, state: BufferEventSslState, options: c_int) -> *mut Bev {
    if ssl.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: base is NULL or the program's; underlying is NULL or live; ssl is a live SSL.
    unsafe { ssl::filter_new(base, underlying, ssl, state, options) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_openssl_socket_new(base: *mut EventBase, fd: evutil_socket_t, ssl: *mut SSL, state: BufferEventSslState, options: c_int) -> *mut Bev {
    if ssl.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: base is NULL or the program's; ssl is a live SSL.
    unsafe { ssl::socket_new(base, fd, ssl, state, options) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_openssl_get_allow_dirty_shutdown(bev: *mut Bev) -> c_int {
    if bev.is_null() {
        return -1;
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::get_allow_dirty_shutdown(bev) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_openssl_set_allow_dirty_shutdown(bev: *mut Bev, allow_dirty_shutdown: c_int) {
    if !bev.is_null() {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { ssl::set_allow_dirty_shutdown(bev, allow_dirty_shutdown != 0) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_openssl_get_ssl(bufev: *mut Bev) -> *mut SSL {
    if bufev.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::get_ssl(bufev) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_ssl_renegotiate(bev: *mut Bev) -> c_int {
    if bev.is_null() {
        return -1;
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::renegotiate(bev) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_openssl_error(bev: *mut Bev) -> c_ulong {
    if bev.is_null() {
        return 0;
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::get_error(bev) }
}

// ---- libevent 2.2 (on the 2.1 ABI); the Mbed TLS functions are not provided.

pub type ev_uint64_t = u64;

/// The BUFFEREVENT_SSL_* flags of an OpenSSL bufferevent; EV_UINT64_MAX for NULL or another kind.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_ssl_get_flags(bev: *mut Bev) -> ev_uint64_t {
    if bev.is_null() {
        return u64::MAX;
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::get_flags(bev) }
}

/// Adds flags; the flags before, or EV_UINT64_MAX (NULL, another kind, no known flag).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_ssl_set_flags(bev: *mut Bev, flags: ev_uint64_t) -> ev_uint64_t {
    if bev.is_null() {
        return u64::MAX;
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::change_flags(bev, flags, true) }
}

/// Removes flags; the flags before, or EV_UINT64_MAX (NULL, another kind, no known flag).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_ssl_clear_flags(bev: *mut Bev, flags: ev_uint64_t) -> ev_uint64_t {
    if bev.is_null() {
        return u64::MAX;
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::change_flags(bev, flags, false) }
}
