//! Exports of event2/bufferevent_compat.h: the 1.x bufferevent calls.
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]
use crate::bufferevent::{self as bev, socket, Bev, DataCb, EventCb};
use libc::{c_int, c_void, timeval};
use std::ptr;

pub type evutil_socket_t = c_int;
pub type evbuffercb = Option<DataCb>;
pub type everrorcb = Option<EventCb>;

/// A socket bufferevent on the current base (event_init's), with its callbacks set.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_new(fd: evutil_socket_t, readcb: evbuffercb, writecb: evbuffercb, errorcb: everrorcb, cbarg: *mut c_void) -> *mut Bev {
    // SAFETY: a NULL base means event_init's, as for every 1.x call.
    let b = unsafe { socket::new(ptr::null_mut(), fd, 0) };
    if !b.is_null() {
        // SAFETY: b was just made.
        unsafe { bev::setcb(b, readcb, writecb, errorcb, cbarg) };
    }
    b
}

/// Timeouts in whole seconds; 0 means none.
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
