//! `struct evhttp_request`: libevent's public fields at libevent's offsets (216 bytes, read
//! directly by programs: req->evcon, req->input_headers, ...), then the state of event_rs's
//! streamed bodies, which programs never see (they only get pointers from evhttp_request_new
//! and the library). The reading state lives in the connection.
use super::conn::Connection;
use super::ffi::{self, evbuffer};
use super::headers::{self, EvKeyValQ};
use super::uri::Uri;
use crate::core::mem;
use libc::{c_char, c_int, c_uint, c_void, size_t};
use std::ptr;

pub type RequestCb = unsafe extern "C" fn(*mut Request, *mut c_void);
pub type HeaderCb = unsafe extern "C" fn(*mut Request, *mut c_void) -> c_int;
pub type ErrorCb = unsafe extern "C" fn(c_uint, *mut c_void);
/// A streamed body begins (the head is read): 0 to read it, else an HTTP status to refuse it.
pub type BodyStartCb = unsafe extern "C" fn(*mut Request, *mut c_void) -> c_int;
/// A piece of a streamed body was read (it is in the buffer).
pub type BodyCb = unsafe extern "C" fn(*mut Request, *mut evbuffer, *mut c_void);
/// What a client wrote of a streamed request body is out on the connection.
pub type DrainedCb = unsafe extern "C" fn(*mut Request, *mut c_void);

/// A client's streamed request body (evhttp_make_request_chunked).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum Upload {
    /// the body is req->output_buffer, sent whole
    No = 0,
    /// pieces are coming (chunked, or raw up to a Content-Length the program set)
    Open = 1,
    /// evhttp_request_end_chunked was called
    Ended = 2,
}

// req->flags
pub const OWN_CONNECTION: c_int = 0x0001;
pub const PROXY_REQUEST: c_int = 0x0002;
pub const USER_OWNED: c_int = 0x0004;
pub const DEFER_FREE: c_int = 0x0008;
pub const NEEDS_FREE: c_int = 0x0010;

// enum evhttp_request_kind
pub const KIND_REQUEST: c_uint = 0;
pub const KIND_RESPONSE: c_uint = 1;

// enum evhttp_request_error
pub const ERR_TIMEOUT: c_uint = 0;
pub const ERR_EOF: c_uint = 1;
pub const ERR_INVALID_HEADER: c_uint = 2;
pub const ERR_BUFFER_ERROR: c_uint = 3;
pub const ERR_REQUEST_CANCEL: c_uint = 4;
pub const ERR_DATA_TOO_LONG: c_uint = 5;

const BIT_CHUNKED: c_uint = 1;
const BIT_USERDONE: c_uint = 2;

#[repr(C)]
pub struct Request {
    pub tqe_next: *mut Request,
    pub tqe_prev: *mut *mut Request,
    pub evcon: *mut Connection,
    pub flags: c_int,
    pub input_headers: *mut EvKeyValQ,
    pub output_headers: *mut EvKeyValQ,
    pub remote_host: *mut c_char,
    pub remote_port: u16,
    pub host_cache: *mut c_char,
    pub kind: c_uint,
    pub type_: c_uint,
    pub headers_size: size_t,
    pub body_size: size_t,
    pub uri: *mut c_char,
    pub uri_elems: *mut Uri,
    pub major: c_char,
    pub minor: c_char,
    pub response_code: c_int,
    pub response_code_line: *mut c_char,
    pub input_buffer: *mut evbuffer,
    pub ntoread: i64,
    /// chunked:1, userdone:1 (bit-fields, in this order from the lowest bit)
    pub bits: c_uint,
    pub output_buffer: *mut evbuffer,
    pub cb: Option<RequestCb>,
    pub cb_arg: *mut c_void,
    pub chunk_cb: Option<RequestCb>,
    pub header_cb: Option<HeaderCb>,
    pub error_cb: Option<ErrorCb>,
    pub on_complete_cb: Option<RequestCb>,
    pub on_complete_cb_arg: *mut c_void,
    // ---- event_rs only, past libevent's 216 bytes (all-zero is their initial state)
    pub body_start_cb: Option<BodyStartCb>,
    pub body_cb: Option<BodyCb>,
    pub body_cb_arg: *mut c_void,
    /// evhttp_request_pause_body was called
    pub body_paused: bool,
    /// the program left more than BODY_HELD_MAX bytes unread: reading waits for a resume
    pub body_held: bool,
    pub upload: Upload,
    /// chunked framing for the streamed upload (else raw bytes up to its Content-Length)
    pub upload_chunked: bool,
    pub drained_cb: Option<DrainedCb>,
    pub drained_cb_arg: *mut c_void,
    /// the method was recognised by the program's evhttp_ext_method callback
    pub ext_method: bool,
}

/// The public part keeps libevent 2.1.12's size and offsets.
const _: () = assert!(std::mem::offset_of!(Request, body_start_cb) == 216);

/// A streamed body's bytes the program may leave unconsumed in the buffer before the server
/// stops reading the connection (until evhttp_request_resume_body).
pub const BODY_HELD_MAX: usize = 256 * 1024;

impl Request {
    /// evhttp_request_new: empty header lists and buffers; a response until it is sent.
    pub fn new(cb: Option<RequestCb>, arg: *mut c_void) -> *mut Request {
        // SAFETY: all-zero is a valid Request (NULL pointers, None callbacks, zero numbers).
        let mut r: Box<Request> = unsafe { Box::new(std::mem::zeroed()) };
        r.kind = KIND_RESPONSE;
        r.input_headers = headers::new_list();
        r.output_headers = headers::new_list();
        // SAFETY: evbuffer_new has no preconditions.
        unsafe {
            r.input_buffer = ffi::evbuffer_new();
            r.output_buffer = ffi::evbuffer_new();
        }
        r.cb = cb;
        r.cb_arg = arg;
        let p = Box::into_raw(r);
        // SAFETY: p is the request just made.
        unsafe {
            if (*p).input_headers.is_null()
                || (*p).output_headers.is_null()
                || (*p).input_buffer.is_null()
                || (*p).output_buffer.is_null()
            {
                (*p).flags = 0;
                free(p);
                return ptr::null_mut();
            }
        }
        p
    }

    pub fn chunked(&self) -> bool {
        self.bits & BIT_CHUNKED != 0
    }
    pub fn set_chunked(&mut self, on: bool) {
        self.bits = if on { self.bits | BIT_CHUNKED } else { self.bits & !BIT_CHUNKED };
    }
    pub fn userdone(&self) -> bool {
        self.bits & BIT_USERDONE != 0
    }
    pub fn set_userdone(&mut self, on: bool) {
        self.bits = if on { self.bits | BIT_USERDONE } else { self.bits & !BIT_USERDONE };
    }

    /// Whether the version is at least major.minor.
    pub fn version_at_least(&self, major: i32, minor: i32) -> bool {
        (self.major as i32, self.minor as i32) >= (major, minor)
    }

    /// Replaces a string field with a copy of `v`.
    pub fn set_string(field: &mut *mut c_char, v: Option<&[u8]>) {
        // SAFETY: string fields hold NULL or memory from the library allocator.
        unsafe { mem::free(*field as *mut c_void) };
        *field = v.map_or(ptr::null_mut(), super::c_string);
    }
}

/// evhttp_request_free: releases the request now, or after the callback using it returns
/// (DEFER_FREE).
///
/// # Safety
/// `r` is a live request made by Request::new.
pub unsafe fn free(r: *mut Request) {
    if (*r).flags & DEFER_FREE != 0 {
        (*r).flags |= NEEDS_FREE;
        return;
    }
    let q = &mut *r;
    for s in [q.remote_host, q.uri, q.response_code_line, q.host_cache] {
        mem::free(s as *mut c_void);
    }
    if !q.uri_elems.is_null() {
        drop(Box::from_raw(q.uri_elems));
    }
    headers::free_list(q.input_headers);
    headers::free_list(q.output_headers);
    if !q.input_buffer.is_null() {
        ffi::evbuffer_free(q.input_buffer);
    }
    if !q.output_buffer.is_null() {
        ffi::evbuffer_free(q.output_buffer);
    }
    drop(Box::from_raw(r));
}

/// Frees the request unless the program owns it (evhttp_request_own).
///
/// # Safety
/// As free().
pub unsafe fn free_auto(r: *mut Request) {
    if (*r).flags & USER_OWNED == 0 {
        free(r);
    }
}

/// evhttp_request_get_host: the host of an absolute request URI, else the Host header without
/// its port.
///
/// # Safety
/// `r` is a live request.
pub unsafe fn host(r: *mut Request) -> *const c_char {
    let q = &mut *r;
    if !q.host_cache.is_null() {
        return q.host_cache;
    }
    if let Some(u) = q.uri_elems.as_ref() {
        if let Some(h) = &u.host {
            return h.as_ptr();
        }
    }
    let h = headers::find(q.input_headers, b"Host");
    if h.is_null() {
        return h;
    }
    let b = std::ffi::CStr::from_ptr(h).to_bytes();
    let digits = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    let colon = b.len() - digits;
    if colon >= 2 && b[colon - 1] == b':' {
        Request::set_string(&mut q.host_cache, Some(&b[..colon - 1]));
        return q.host_cache;
    }
    h
}

/// The reason phrase libevent gives a status code when the program gives none.
pub fn reason_phrase(code: c_int) -> &'static str {
    const INFO: &[&str] = &["Continue", "Switching Protocols"];
    const SUCCESS: &[&str] = &[
        "OK",
        "Created",
        "Accepted",
        "Non-Authoritative Information",
        "No Content",
        "Reset Content",
        "Partial Content",
    ];
    // libevent's table skips 306, so its seventh entry answers for 306.
    const REDIRECT: &[&str] = &[
        "Multiple Choices",
        "Moved Permanently",
        "Found",
        "See Other",
        "Not Modified",
        "Use Proxy",
        "Temporary Redirect",
    ];
    const CLIENT: &[&str] = &[
        "Bad Request",
        "Unauthorized",
        "Payment Required",
        "Forbidden",
        "Not Found",
        "Method Not Allowed",
        "Not Acceptable",
        "Proxy Authentication Required",
        "Request Time-out",
        "Conflict",
        "Gone",
        "Length Required",
        "Precondition Failed",
        "Request Entity Too Large",
        "Request-URI Too Large",
        "Unsupported Media Type",
        "Requested range not satisfiable",
        "Expectation Failed",
    ];
    const SERVER: &[&str] = &[
        "Internal Server Error",
        "Not Implemented",
        "Bad Gateway",
        "Service Unavailable",
        "Gateway Time-out",
        "HTTP Version not supported",
    ];
    const CLASSES: [(&str, &[&str]); 5] = [
        ("Informational", INFO),
        ("Success", SUCCESS),
        ("Redirection", REDIRECT),
        ("Client Error", CLIENT),
        ("Server Error", SERVER),
    ];
    let class = code / 100 - 1;
    if !(0..5).contains(&class) {
        return "Unknown Status Class";
    }
    let (name, list) = CLASSES[class as usize];
    list.get((code % 100) as usize).copied().unwrap_or(name)
}

/// evhttp_response_code_: the request becomes a response with this status.
///
/// # Safety
/// `r` is a live request; `reason` NULL or a C string.
pub unsafe fn set_response(r: *mut Request, code: c_int, reason: Option<&[u8]>) {
    let q = &mut *r;
    q.kind = KIND_RESPONSE;
    q.response_code = code;
    let reason = reason.unwrap_or_else(|| reason_phrase(code).as_bytes());
    Request::set_string(&mut q.response_code_line, Some(reason));
}
