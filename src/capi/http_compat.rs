//! Exports of event2/http_compat.h: the 1.x calls that use the current base.
use super::http::{
    ev_uint16_t, evhttp_bind_socket, evhttp_connection_base_new, evhttp_free, evhttp_new, EventBase, Evhttp,
    EvhttpConnection,
};
use crate::core::base::CURRENT_BASE;
use crate::http::ffi;
use libc::c_char;
use std::ptr;
use std::sync::atomic::Ordering;

fn current_base() -> *mut EventBase {
    CURRENT_BASE.load(Ordering::Acquire) as *mut EventBase
}

/// Deprecated 1.x call: makes a server on the current base (the one event_init() made) and
/// binds it: evhttp_new() then evhttp_bind_socket().
/// @param address the local address, or NULL for any
/// @param port the port
/// @return the server (free with evhttp_free()), or NULL when it cannot be made or bound.
#[no_mangle]
pub unsafe extern "C" fn evhttp_start(address: *const c_char, port: ev_uint16_t) -> *mut Evhttp {
    let http = evhttp_new(current_base());
    if http.is_null() {
        return http;
    }
    if evhttp_bind_socket(http, address, port) == -1 {
        evhttp_free(http);
        return ptr::null_mut();
    }
    http
}

/// Deprecated 1.x call: makes a client connection on the current base (the one event_init()
/// made) with the system's resolver: evhttp_connection_base_new() with a NULL resolver.
/// @param address the server's host name or address (copied)
/// @param port the server's port
/// @return the connection (free with evhttp_connection_free()), or NULL on failure.
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_new(address: *const c_char, port: ev_uint16_t) -> *mut EvhttpConnection {
    evhttp_connection_base_new(current_base(), ptr::null_mut(), address, port)
}

/// Deprecated 1.x call: moves a connection and its bufferevent to another base. Call it before
/// the connection is used.
/// @param evcon the connection (NULL is ignored)
/// @param base the new base
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_base(evcon: *mut EvhttpConnection, base: *mut EventBase) {
    if let Some(c) = evcon.as_mut() {
        c.base = base;
        // SAFETY: the connection's bufferevent is live.
        ffi::bufferevent_base_set(base, c.bufev);
    }
}
