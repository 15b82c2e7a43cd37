//! The C API that evtag and evrpc sit on, as libevent's own evrpc.c does: evbuffers, evhttp
//! and timer events are reached through their public functions.
#![allow(non_camel_case_types)]
use libc::{c_char, c_int, c_uint, c_void, size_t, ssize_t};

pub use crate::http::ffi::{
    evbuffer, evbuffer_add, evbuffer_add_buffer, evbuffer_drain, evbuffer_free, evbuffer_get_length, evbuffer_new,
    evbuffer_remove_buffer, event, event_add, event_base, event_del, event_free, event_new,
};

pub enum evhttp {}
pub enum evhttp_request {}
pub enum evhttp_connection {}
pub enum evkeyvalq {}

pub type request_cb = Option<unsafe extern "C" fn(*mut evhttp_request, *mut c_void)>;

pub const EVHTTP_REQ_POST: c_uint = 1 << 1;
pub const HTTP_OK: c_int = 200;
pub const HTTP_SERVUNAVAIL: c_int = 503;

extern "C" {
    pub fn evbuffer_copyout(b: *mut evbuffer, out: *mut c_void, len: size_t) -> ssize_t;
    pub fn evbuffer_remove(b: *mut evbuffer, out: *mut c_void, len: size_t) -> c_int;

    pub fn evhttp_set_cb(http: *mut evhttp, path: *const c_char, cb: request_cb, arg: *mut c_void) -> c_int;
    pub fn evhttp_del_cb(http: *mut evhttp, path: *const c_char) -> c_int;
    pub fn evhttp_send_error(req: *mut evhttp_request, code: c_int, reason: *const c_char);
    pub fn evhttp_send_reply(req: *mut evhttp_request, code: c_int, reason: *const c_char, body: *mut evbuffer);
    pub fn evhttp_find_header(headers: *const evkeyvalq, key: *const c_char) -> *const c_char;
    pub fn evhttp_add_header(headers: *mut evkeyvalq, key: *const c_char, value: *const c_char) -> c_int;

    pub fn evhttp_request_new(cb: request_cb, arg: *mut c_void) -> *mut evhttp_request;
    pub fn evhttp_request_free(req: *mut evhttp_request);
    pub fn evhttp_request_own(req: *mut evhttp_request);
    pub fn evhttp_request_is_owned(req: *mut evhttp_request) -> c_int;
    pub fn evhttp_request_get_command(req: *const evhttp_request) -> c_uint;
    pub fn evhttp_request_get_connection(req: *mut evhttp_request) -> *mut evhttp_connection;
    pub fn evhttp_request_get_input_buffer(req: *mut evhttp_request) -> *mut evbuffer;
    pub fn evhttp_request_get_output_buffer(req: *mut evhttp_request) -> *mut evbuffer;
    pub fn evhttp_request_get_output_headers(req: *mut evhttp_request) -> *mut evkeyvalq;
    pub fn evhttp_make_request(
        evcon: *mut evhttp_connection,
        req: *mut evhttp_request,
        cmd: c_uint,
        uri: *const c_char,
    ) -> c_int;
    pub fn evhttp_cancel_request(req: *mut evhttp_request);

    pub fn evhttp_connection_free(evcon: *mut evhttp_connection);
    pub fn evhttp_connection_get_base(evcon: *mut evhttp_connection) -> *mut event_base;
    pub fn evhttp_connection_set_base(evcon: *mut evhttp_connection, base: *mut event_base);
    pub fn evhttp_connection_set_timeout(evcon: *mut evhttp_connection, secs: c_int);
}

// Two facts about a connection that libevent's evrpc reads from the struct itself and that no
// public function tells: whether requests are queued on it, and whether the program set its
// timeout. Our connections are always ours, so they are read from the evhttp module.

/// No request is queued or running on the connection (it can take the next RPC).
///
/// # Safety
/// `evcon` is a live connection.
pub unsafe fn connection_is_idle(evcon: *mut evhttp_connection) -> bool {
    (*(evcon as *mut crate::http::conn::Connection)).requests.is_empty()
}

/// The connection has a timeout of its own (evhttp_connection_set_timeout).
///
/// # Safety
/// `evcon` is a live connection.
pub unsafe fn connection_has_timeout(evcon: *mut evhttp_connection) -> bool {
    crate::http::conn::has_timeout(&*(evcon as *mut crate::http::conn::Connection))
}

/// The connection belongs to a server (it was accepted, not made by the program).
///
/// # Safety
/// `evcon` is a live connection.
pub unsafe fn connection_is_incoming(evcon: *mut evhttp_connection) -> bool {
    !(*(evcon as *mut crate::http::conn::Connection)).http_server.is_null()
}
