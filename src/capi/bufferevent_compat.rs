//! Exports of event2/bufferevent_compat.h: the 1.x bufferevent calls.
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]
use crate::bufferevent::{self as bev, socket, Bev, DataCb, EventCb};
use libc::{c_int, c_void, timeval};
use std::ptr;

pub type evutil_socket_t = c_int;
pub type evbuffercb = Option<DataCb>;
pub type everrorcb = Option<EventCb>;

/// Deprecated (use `bufferevent_socket_new()` and `bufferevent_setcb()`): makes a socket
/// bufferevent on the current base of the 1.x calls (`event_init()`'s), with its callbacks set and
/// no options.
/// @param fd the socket.
/// @param readcb the read callback, or NULL.
/// @param writecb the write callback, or NULL.
/// @param errorcb the event callback, or NULL.
/// @param cbarg the callbacks' argument.
/// @return the bufferevent, which the caller frees with `bufferevent_free()`; NULL on failure.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_new(
    fd: evutil_socket_t,
    readcb: evbuffercb,
    writecb: evbuffercb,
    errorcb: everrorcb,
    cbarg: *mut c_void,
) -> *mut Bev {
    // SAFETY: a NULL base means event_init's, as for every 1.x call.
    let b = unsafe { socket::new(ptr::null_mut(), fd, 0) };
    if !b.is_null() {
        // SAFETY: b was just made.
        unsafe { bev::setcb(b, readcb, writecb, errorcb, cbarg) };
    }
    b
}

/// Deprecated (use `bufferevent_set_timeouts()`): sets the read and write timeouts in whole
/// seconds.
/// @param bufev the bufferevent; NULL does nothing.
/// @param timeout_read the read timeout in seconds; 0 means none.
/// @param timeout_write the write timeout in seconds; 0 means none.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_settimeout(bufev: *mut Bev, timeout_read: c_int, timeout_write: c_int) {
    if bufev.is_null() {
        return;
    }
    let tr = timeval { tv_sec: timeout_read as libc::time_t, tv_usec: 0 };
    let tw = timeval { tv_sec: timeout_write as libc::time_t, tv_usec: 0 };
    // SAFETY: bufev is live.
    unsafe { bev::set_timeouts(bufev, (timeout_read != 0).then_some(&tr), (timeout_write != 0).then_some(&tw)) };
}
