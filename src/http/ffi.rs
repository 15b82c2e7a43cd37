//! The C API that evhttp sits on, as libevent's own http.c does: evbuffers, bufferevents,
//! listeners and events are reached through their public functions, so a bufferevent from the
//! program (evhttp_set_bevcb, evhttp_connection_base_bufferevent_new) works like ours.
#![allow(non_camel_case_types)]
use libc::{c_char, c_int, c_short, c_void, size_t, sockaddr, ssize_t, timeval};

/// Opaque handles.
pub enum evbuffer {}
pub enum bufferevent {}
pub enum evconnlistener {}
pub enum event {}
pub enum event_base {}
pub enum evdns_base {}

pub type bev_data_cb = Option<unsafe extern "C" fn(*mut bufferevent, *mut c_void)>;
pub type bev_event_cb = Option<unsafe extern "C" fn(*mut bufferevent, c_short, *mut c_void)>;
pub type listener_cb = Option<unsafe extern "C" fn(*mut evconnlistener, c_int, *mut sockaddr, c_int, *mut c_void)>;
pub type event_cb = Option<unsafe extern "C" fn(c_int, c_short, *mut c_void)>;

// The constants come from the modules that own them.
pub use crate::bufferevent::{
    BEV_EVENT_CONNECTED, BEV_EVENT_EOF, BEV_EVENT_ERROR, BEV_EVENT_READING, BEV_EVENT_TIMEOUT, BEV_EVENT_WRITING,
    BEV_OPT_CLOSE_ON_FREE,
};
pub use crate::core::event::{EV_READ, EV_TIMEOUT, EV_WRITE};
pub use crate::listener::{LEV_OPT_CLOSE_ON_EXEC, LEV_OPT_CLOSE_ON_FREE, LEV_OPT_REUSEABLE};

extern "C" {
    pub fn evbuffer_new() -> *mut evbuffer;
    pub fn evbuffer_free(b: *mut evbuffer);
    pub fn evbuffer_get_length(b: *const evbuffer) -> size_t;
    pub fn evbuffer_add(b: *mut evbuffer, data: *const c_void, len: size_t) -> c_int;
    pub fn evbuffer_add_buffer(dst: *mut evbuffer, src: *mut evbuffer) -> c_int;
    pub fn evbuffer_remove_buffer(src: *mut evbuffer, dst: *mut evbuffer, len: size_t) -> c_int;
    pub fn evbuffer_drain(b: *mut evbuffer, len: size_t) -> c_int;
    pub fn evbuffer_pullup(b: *mut evbuffer, size: ssize_t) -> *mut u8;

    pub fn bufferevent_socket_new(base: *mut event_base, fd: c_int, options: c_int) -> *mut bufferevent;
    pub fn bufferevent_socket_connect(bev: *mut bufferevent, sa: *const sockaddr, socklen: c_int) -> c_int;
    pub fn bufferevent_socket_connect_hostname(
        bev: *mut bufferevent,
        dns: *mut evdns_base,
        family: c_int,
        host: *const c_char,
        port: c_int,
    ) -> c_int;
    pub fn bufferevent_setcb(bev: *mut bufferevent, r: bev_data_cb, w: bev_data_cb, e: bev_event_cb, arg: *mut c_void);
    pub fn bufferevent_setfd(bev: *mut bufferevent, fd: c_int) -> c_int;
    pub fn bufferevent_getfd(bev: *mut bufferevent) -> c_int;
    pub fn bufferevent_enable(bev: *mut bufferevent, what: c_short) -> c_int;
    pub fn bufferevent_disable(bev: *mut bufferevent, what: c_short) -> c_int;
    pub fn bufferevent_get_enabled(bev: *mut bufferevent) -> c_short;
    pub fn bufferevent_get_input(bev: *mut bufferevent) -> *mut evbuffer;
    pub fn bufferevent_get_output(bev: *mut bufferevent) -> *mut evbuffer;
    pub fn bufferevent_set_timeouts(bev: *mut bufferevent, r: *const timeval, w: *const timeval) -> c_int;
    pub fn bufferevent_free(bev: *mut bufferevent);
    pub fn bufferevent_get_base(bev: *mut bufferevent) -> *mut event_base;
    pub fn bufferevent_base_set(base: *mut event_base, bev: *mut bufferevent) -> c_int;

    pub fn evconnlistener_new(
        base: *mut event_base,
        cb: listener_cb,
        arg: *mut c_void,
        flags: u32,
        backlog: c_int,
        fd: c_int,
    ) -> *mut evconnlistener;
    pub fn evconnlistener_free(l: *mut evconnlistener);
    pub fn evconnlistener_set_cb(l: *mut evconnlistener, cb: listener_cb, arg: *mut c_void);
    pub fn evconnlistener_get_fd(l: *mut evconnlistener) -> c_int;
    pub fn evconnlistener_get_base(l: *mut evconnlistener) -> *mut event_base;

    pub fn event_new(base: *mut event_base, fd: c_int, what: c_short, cb: event_cb, arg: *mut c_void) -> *mut event;
    pub fn event_free(ev: *mut event);
    pub fn event_add(ev: *mut event, tv: *const timeval) -> c_int;
    pub fn event_del(ev: *mut event) -> c_int;
    pub fn event_active(ev: *mut event, res: c_int, ncalls: c_short);
    pub fn event_base_new() -> *mut event_base;
}
