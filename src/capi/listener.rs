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

/// Makes a listener on a bound socket: each connection it accepts is passed to `cb`.
/// @param base the base whose loop accepts; NULL takes the current base of the 1.x calls.
/// @param cb called with each accepted connection (see `evconnlistener_cb`); NULL: the listener
/// accepts nothing until `evconnlistener_set_cb()` gives one.
/// @param ptr the callbacks' argument.
/// @param flags `LEV_OPT_*` flags.
/// @param backlog passed to listen; a negative value means a reasonable default (128), and 0
/// means the socket listens already.
/// @param fd the bound socket (non-blocking); the listener closes it on
/// free with `LEV_OPT_CLOSE_ON_FREE`.
/// @return the listener, which the caller frees with `evconnlistener_free()`; NULL on failure
/// (listen failed, memory exhausted), leaving `fd` open.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_new(
    base: *mut EventBase,
    cb: evconnlistener_cb,
    ptr: *mut c_void,
    flags: c_uint,
    backlog: c_int,
    fd: evutil_socket_t,
) -> *mut Listener {
    // SAFETY: base is the program's (or NULL for event_init's).
    unsafe { Listener::new(base, cb, ptr, flags, backlog, fd) }
}

/// Makes a non-blocking socket of the address's family, binds it to `sa`, listens on it and makes
/// a listener on it. The socket has SO_KEEPALIVE set, and the options the flags ask for; as in
/// libevent, it is closed on free only with `LEV_OPT_CLOSE_ON_FREE` (which programs normally pass).
/// The socket is `evconnlistener_get_fd()`.
/// @param base the base; NULL takes the current base of the 1.x calls.
/// @param cb called with each accepted connection, or NULL (see `evconnlistener_new()`).
/// @param ptr the callbacks' argument.
/// @param flags `LEV_OPT_*` flags.
/// @param backlog passed to listen; negative means the default (128); 0 is refused.
/// @param sa the address to bind.
/// @param socklen its length.
/// @return the listener, or NULL on failure with errno set (the socket is closed then).
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_new_bind(
    base: *mut EventBase,
    cb: evconnlistener_cb,
    ptr: *mut c_void,
    flags: c_uint,
    backlog: c_int,
    sa: *const sockaddr,
    socklen: c_int,
) -> *mut Listener {
    // SAFETY: sa, when not NULL, points at socklen bytes (the caller's contract).
    unsafe { Listener::new_bind(base, cb, ptr, flags, backlog, sa, socklen) }
}

/// Frees a listener: it stops accepting, no callback runs after this returns, and with
/// `LEV_OPT_CLOSE_ON_FREE` its socket is closed. A callback running in another thread keeps the
/// memory until it returns. NULL does nothing.
/// @param lev the listener.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_free(lev: *mut Listener) {
    if !lev.is_null() {
        // SAFETY: a non-NULL listener came from evconnlistener_new and is live.
        unsafe { Listener::free(lev) }
    }
}

/// Starts accepting again after `evconnlistener_disable()` or `LEV_OPT_DISABLED`.
/// @param lev the listener.
/// @return 0, or -1 on failure (NULL).
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_enable(lev: *mut Listener) -> c_int {
    if lev.is_null() {
        return -1;
    }
    // SAFETY: as above.
    unsafe { Listener::enable(lev) }
}

/// Stops accepting; connections wait in the kernel's backlog.
/// @param lev the listener.
/// @return 0, or -1 on failure (NULL).
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_disable(lev: *mut Listener) -> c_int {
    if lev.is_null() {
        return -1;
    }
    // SAFETY: as above.
    unsafe { Listener::disable(lev) }
}

/// The base of a listener.
/// @param lev the listener.
/// @return the base, or NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_get_base(lev: *mut Listener) -> *mut EventBase {
    if lev.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: as above.
    unsafe { Listener::base(lev) }
}

/// The listening socket.
/// @param lev the listener.
/// @return the socket, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_get_fd(lev: *mut Listener) -> evutil_socket_t {
    if lev.is_null() {
        return -1;
    }
    // SAFETY: as above.
    unsafe { Listener::fd(lev) }
}

/// Replaces the accept callback and its argument (the error callback gets the new argument too).
/// An enabled listener that had no callback starts accepting.
/// @param lev the listener; NULL does nothing.
/// @param cb the new callback, or NULL to stop accepting.
/// @param arg the callbacks' argument.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_set_cb(lev: *mut Listener, cb: evconnlistener_cb, arg: *mut c_void) {
    if !lev.is_null() {
        // SAFETY: as above.
        unsafe { Listener::set_cb(lev, cb, arg) }
    }
}

/// Sets the callback run when accept fails with an error that retrying will not cure (EMFILE,
/// ENFILE, ENOBUFS, ...), with errno set; without one, the error is logged. The listener stays
/// enabled: the callback usually disables it until descriptors free up.
/// @param lev the listener; NULL does nothing.
/// @param errorcb the callback, or NULL.
#[no_mangle]
pub unsafe extern "C" fn evconnlistener_set_error_cb(lev: *mut Listener, errorcb: evconnlistener_errorcb) {
    if !lev.is_null() {
        // SAFETY: as above.
        unsafe { Listener::set_error_cb(lev, errorcb) }
    }
}
