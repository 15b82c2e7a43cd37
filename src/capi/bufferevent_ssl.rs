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

/// Makes an OpenSSL bufferevent that runs TLS over another bufferevent (a filter).
/// @param base the base; NULL takes the current base of the 1.x calls.
/// @param underlying the bufferevent that carries the TLS records; the new one takes over its
/// callbacks and holds a reference to it.
/// @param ssl the SSL object, set up by the program (context, host name, ...). With
/// `BEV_OPT_CLOSE_ON_FREE` the bufferevent owns it (freed with `SSL_free`, also when the call
/// fails), and frees `underlying` as well; without it the program frees both after the
/// bufferevent.
/// @param state where the handshake stands (`enum bufferevent_ssl_state`).
/// @param options `BEV_OPT_*` flags.
/// @return the bufferevent, or NULL on failure (NULL `ssl`, a bad state, memory).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_openssl_filter_new(
    base: *mut EventBase,
    underlying: *mut Bev,
    ssl: *mut SSL,
    state: BufferEventSslState,
    options: c_int,
) -> *mut Bev {
    if ssl.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: base is NULL or the program's; underlying is NULL or live; ssl is a live SSL.
    unsafe { ssl::filter_new(base, underlying, ssl, state, options) }
}

/// Makes an OpenSSL bufferevent that runs TLS over a socket.
/// @param base the base; NULL takes the current base of the 1.x calls.
/// @param fd the socket, or -1 to use the one of the SSL object's BIO (or to connect later with
/// `bufferevent_socket_connect()`).
/// @param ssl the SSL object. With `BEV_OPT_CLOSE_ON_FREE` the bufferevent owns it (freed with
/// `SSL_free`, also when the call fails) and closes the socket; without it the program frees
/// both after the bufferevent.
/// @param state where the handshake stands (`enum bufferevent_ssl_state`).
/// @param options `BEV_OPT_*` flags.
/// @return the bufferevent, or NULL on failure.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_openssl_socket_new(
    base: *mut EventBase,
    fd: evutil_socket_t,
    ssl: *mut SSL,
    state: BufferEventSslState,
    options: c_int,
) -> *mut Bev {
    if ssl.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: base is NULL or the program's; ssl is a live SSL.
    unsafe { ssl::socket_new(base, fd, ssl, state, options) }
}

/// Whether a transport that ends without the peer's TLS close_notify counts as a clean end.
/// @param bev an OpenSSL bufferevent.
/// @return 1 when allowed (reported as `BEV_EVENT_EOF`), 0 when not (`BEV_EVENT_ERROR`, the
/// default); -1 for another kind of bufferevent or NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_openssl_get_allow_dirty_shutdown(bev: *mut Bev) -> c_int {
    if bev.is_null() {
        return -1;
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::get_allow_dirty_shutdown(bev) }
}

/// Sets whether an end without close_notify is reported as `BEV_EVENT_EOF` (allowed) or
/// `BEV_EVENT_ERROR`. Unlike libevent 2.1.12 with OpenSSL 3, an allowed dirty shutdown is an end of
/// file in socket mode too.
/// @param bev an OpenSSL bufferevent; others (and NULL) are left alone.
/// @param allow_dirty_shutdown nonzero to allow it.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_openssl_set_allow_dirty_shutdown(bev: *mut Bev, allow_dirty_shutdown: c_int) {
    if !bev.is_null() {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { ssl::set_allow_dirty_shutdown(bev, allow_dirty_shutdown != 0) }
    }
}

/// The SSL object of an OpenSSL bufferevent, to query (peer certificate, cipher, ...).
/// @param bufev the bufferevent.
/// @return the SSL object (still owned as set at creation), or NULL for another kind or NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_openssl_get_ssl(bufev: *mut Bev) -> *mut SSL {
    if bufev.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::get_ssl(bufev) }
}

/// Starts a new TLS handshake (TLS 1.2 and older); `BEV_EVENT_CONNECTED` is reported again when
/// it completes.
/// @param bev an OpenSSL bufferevent.
/// @return 0, or -1 when OpenSSL refuses (TLS 1.3), for another kind of bufferevent, or NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_ssl_renegotiate(bev: *mut Bev) -> c_int {
    if bev.is_null() {
        return -1;
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::renegotiate(bev) }
}

/// Takes the next OpenSSL error code kept from the bufferevent's last failures (the most recent
/// first). The codes are read with `ERR_error_string` and friends.
/// @param bev an OpenSSL bufferevent.
/// @return the code, or 0 when none is left (and for another kind of bufferevent or NULL).
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

/// libevent 2.2 (on the 2.1 ABI): the `BUFFEREVENT_SSL_*` flags of an OpenSSL bufferevent.
/// @param bev the bufferevent.
/// @return the flags, or `EV_UINT64_MAX` for another kind of bufferevent or NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_ssl_get_flags(bev: *mut Bev) -> ev_uint64_t {
    if bev.is_null() {
        return u64::MAX;
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::get_flags(bev) }
}

/// libevent 2.2 (on the 2.1 ABI): adds `BUFFEREVENT_SSL_*` flags.
/// @param bev an OpenSSL bufferevent.
/// @param flags the flags to add; unknown bits are ignored.
/// @return the flags before the change, or `EV_UINT64_MAX` for another kind of bufferevent, NULL,
/// or when `flags` holds no known flag.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_ssl_set_flags(bev: *mut Bev, flags: ev_uint64_t) -> ev_uint64_t {
    if bev.is_null() {
        return u64::MAX;
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::change_flags(bev, flags, true) }
}

/// libevent 2.2 (on the 2.1 ABI): removes `BUFFEREVENT_SSL_*` flags.
/// @param bev an OpenSSL bufferevent.
/// @param flags the flags to remove; unknown bits are ignored.
/// @return the flags before the change, or `EV_UINT64_MAX` for another kind of bufferevent, NULL,
/// or when `flags` holds no known flag.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_ssl_clear_flags(bev: *mut Bev, flags: ev_uint64_t) -> ev_uint64_t {
    if bev.is_null() {
        return u64::MAX;
    }
    // SAFETY: a non-NULL bufferevent is live.
    unsafe { ssl::change_flags(bev, flags, false) }
}
