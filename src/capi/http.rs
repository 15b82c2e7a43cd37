//! Exports of event2/http.h: header lists, URIs, encodings (and, as they land, the server and
//! client). Arguments are checked as libevent checks them (plus NULL checks where libevent
//! would crash), converted, and handed to src/http.
#![allow(non_camel_case_types)]
use crate::http::encode::{self, Plus};
use crate::http::headers::{self, EvKeyValQ};
use crate::http::uri::Uri;
use crate::http::c_string;
use libc::{c_char, c_int, c_uint, size_t, ssize_t};
use std::ffi::{CStr, CString};
use std::ptr;

pub type ev_ssize_t = ssize_t;
pub type EvhttpUri = Uri;

/// The bytes of a C string; None for NULL.
unsafe fn opt_bytes<'a>(s: *const c_char) -> Option<&'a [u8]> {
    if s.is_null() {
        None
    } else {
        Some(CStr::from_ptr(s).to_bytes())
    }
}

fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |c| c.as_ptr())
}

// ---- header lists

#[no_mangle]
pub unsafe extern "C" fn evhttp_find_header(headers: *const EvKeyValQ, key: *const c_char) -> *const c_char {
    let Some(key) = opt_bytes(key) else { return ptr::null() };
    if headers.is_null() {
        return ptr::null();
    }
    // SAFETY: the program passes an initialised list (as libevent requires).
    headers::find(headers, key)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_remove_header(headers: *mut EvKeyValQ, key: *const c_char) -> c_int {
    let Some(key) = opt_bytes(key) else { return -1 };
    if headers.is_null() {
        return -1;
    }
    // SAFETY: an initialised list from the program.
    headers::remove(headers, key)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_add_header(headers: *mut EvKeyValQ, key: *const c_char, value: *const c_char) -> c_int {
    let (Some(key), Some(value)) = (opt_bytes(key), opt_bytes(value)) else { return -1 };
    if headers.is_null() {
        return -1;
    }
    // SAFETY: an initialised list from the program.
    headers::add(headers, key, value)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_clear_headers(headers: *mut EvKeyValQ) {
    if !headers.is_null() {
        // SAFETY: an initialised list from the program.
        headers::clear(headers)
    }
}

// ---- encodings

#[no_mangle]
pub unsafe extern "C" fn evhttp_encode_uri(text: *const c_char) -> *mut c_char {
    evhttp_uriencode(text, -1, 0)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uriencode(text: *const c_char, size: ev_ssize_t, space_to_plus: c_int) -> *mut c_char {
    if text.is_null() {
        return ptr::null_mut();
    }
    let len = if size >= 0 { size as usize } else { libc::strlen(text) };
    // SAFETY: `size` bytes (or the string) are readable, as the caller promises.
    let bytes = std::slice::from_raw_parts(text as *const u8, len);
    c_string(&encode::uriencode(bytes, space_to_plus != 0))
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_decode_uri(uri: *const c_char) -> *mut c_char {
    let Some(s) = opt_bytes(uri) else { return ptr::null_mut() };
    c_string(&encode::decode(s, Plus::AfterQuestionMark))
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uridecode(uri: *const c_char, decode_plus: c_int, size_out: *mut size_t) -> *mut c_char {
    let Some(s) = opt_bytes(uri) else { return ptr::null_mut() };
    let out = encode::decode(s, if decode_plus != 0 { Plus::Space } else { Plus::Keep });
    let p = c_string(&out);
    if !p.is_null() && !size_out.is_null() {
        *size_out = out.len();
    }
    p
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_parse_query(uri: *const c_char, headers: *mut EvKeyValQ) -> c_int {
    let Some(s) = opt_bytes(uri) else { return -1 };
    if headers.is_null() {
        return -1;
    }
    // SAFETY: `headers` is writable memory for a list head (it is initialised here).
    encode::parse_query_into(s, headers, true)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_parse_query_str(uri: *const c_char, headers: *mut EvKeyValQ) -> c_int {
    let Some(s) = opt_bytes(uri) else { return -1 };
    if headers.is_null() {
        return -1;
    }
    // SAFETY: as for evhttp_parse_query.
    encode::parse_query_into(s, headers, false)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_htmlescape(html: *const c_char) -> *mut c_char {
    let Some(s) = opt_bytes(html) else { return ptr::null_mut() };
    c_string(&encode::htmlescape(s))
}

// ---- URIs

#[no_mangle]
pub extern "C" fn evhttp_uri_new() -> *mut EvhttpUri {
    Box::into_raw(Box::new(Uri::new()))
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_free(uri: *mut EvhttpUri) {
    if !uri.is_null() {
        // SAFETY: made by Box::into_raw in this file, released once.
        drop(Box::from_raw(uri));
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_flags(uri: *mut EvhttpUri, flags: c_uint) {
    if let Some(u) = uri.as_mut() {
        u.flags = flags;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_parse_with_flags(source_uri: *const c_char, flags: c_uint) -> *mut EvhttpUri {
    let Some(s) = opt_bytes(source_uri) else { return ptr::null_mut() };
    match Uri::parse(s, flags) {
        Some(u) => Box::into_raw(Box::new(u)),
        None => ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_parse(source_uri: *const c_char) -> *mut EvhttpUri {
    evhttp_uri_parse_with_flags(source_uri, 0)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_join(uri: *mut EvhttpUri, buf: *mut c_char, limit: size_t) -> *mut c_char {
    let Some(u) = uri.as_ref() else { return ptr::null_mut() };
    if buf.is_null() || limit == 0 {
        return ptr::null_mut();
    }
    let Some(text) = u.join() else { return ptr::null_mut() };
    if text.len() + 1 > limit {
        return ptr::null_mut();
    }
    // SAFETY: the caller gives `limit` writable bytes, and the text and its NUL fit.
    ptr::copy_nonoverlapping(text.as_ptr(), buf as *mut u8, text.len());
    *buf.add(text.len()) = 0;
    buf
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_scheme(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.scheme))
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_userinfo(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.userinfo))
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_host(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.host))
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_port(uri: *const EvhttpUri) -> c_int {
    uri.as_ref().map_or(-1, |u| u.port)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_path(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.path))
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_query(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.query))
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_fragment(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.fragment))
}

/// Runs a setter: -1 for a NULL URI or a refused value, else 0.
unsafe fn set(uri: *mut EvhttpUri, v: *const c_char, f: impl FnOnce(&mut Uri, Option<&[u8]>) -> Result<(), ()>) -> c_int {
    match uri.as_mut() {
        Some(u) => f(u, opt_bytes(v)).map_or(-1, |_| 0),
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_scheme(uri: *mut EvhttpUri, scheme: *const c_char) -> c_int {
    set(uri, scheme, Uri::set_scheme)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_userinfo(uri: *mut EvhttpUri, userinfo: *const c_char) -> c_int {
    set(uri, userinfo, Uri::set_userinfo)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_host(uri: *mut EvhttpUri, host: *const c_char) -> c_int {
    set(uri, host, Uri::set_host)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_port(uri: *mut EvhttpUri, port: c_int) -> c_int {
    match uri.as_mut() {
        Some(u) => u.set_port(port).map_or(-1, |_| 0),
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_path(uri: *mut EvhttpUri, path: *const c_char) -> c_int {
    set(uri, path, Uri::set_path)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_query(uri: *mut EvhttpUri, query: *const c_char) -> c_int {
    set(uri, query, Uri::set_query)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_fragment(uri: *mut EvhttpUri, fragment: *const c_char) -> c_int {
    set(uri, fragment, Uri::set_fragment)
}

// ---- server

pub type Evhttp = crate::http::server::Evhttp;
pub type EvhttpBoundSocket = crate::http::server::BoundSocket;
pub type EvhttpRequest = crate::http::request::Request;
pub type EvhttpConnection = crate::http::conn::Connection;
pub type EventBase = crate::http::ffi::event_base;
pub type Evbuffer = crate::http::ffi::evbuffer;
pub type Bufferevent = crate::http::ffi::bufferevent;
pub type Evconnlistener = crate::http::ffi::evconnlistener;
pub type HttpDnsBase = crate::http::ffi::evdns_base;
pub type EvhttpCmdType = c_uint;
pub type EvhttpRequestError = c_uint;
pub type ev_uint16_t = u16;
pub type evutil_socket_t = c_int;

use crate::http::conn;
use crate::http::request;
use crate::http::server;
use libc::{c_void, sockaddr, timeval};


#[no_mangle]
pub unsafe extern "C" fn evhttp_new(base: *mut EventBase) -> *mut Evhttp {
    Evhttp::new(base)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_free(http: *mut Evhttp) {
    if !http.is_null() {
        // SAFETY: a server from evhttp_new, released once.
        server::free(http)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_bind_socket(http: *mut Evhttp, address: *const c_char, port: ev_uint16_t) -> c_int {
    if evhttp_bind_socket_with_handle(http, address, port).is_null() { -1 } else { 0 }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_bind_socket_with_handle(http: *mut Evhttp, address: *const c_char, port: ev_uint16_t) -> *mut EvhttpBoundSocket {
    if http.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a live server.
    server::bind(http, opt_bytes(address), port)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_accept_socket(http: *mut Evhttp, fd: evutil_socket_t) -> c_int {
    if evhttp_accept_socket_with_handle(http, fd).is_null() { -1 } else { 0 }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_accept_socket_with_handle(http: *mut Evhttp, fd: evutil_socket_t) -> *mut EvhttpBoundSocket {
    if http.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a live server; the socket is the program's, listening.
    server::accept_socket(http, fd)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_bind_listener(http: *mut Evhttp, listener: *mut Evconnlistener) -> *mut EvhttpBoundSocket {
    if http.is_null() || listener.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a live server and listener.
    server::bind_listener(http, listener)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_bound_socket_get_listener(bound: *mut EvhttpBoundSocket) -> *mut Evconnlistener {
    bound.as_ref().map_or(ptr::null_mut(), |b| b.listener)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_bound_socket_get_fd(bound: *mut EvhttpBoundSocket) -> evutil_socket_t {
    match bound.as_ref() {
        // SAFETY: the bound socket's listener is live.
        Some(b) => crate::http::ffi::evconnlistener_get_fd(b.listener),
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_foreach_bound_socket(http: *mut Evhttp, function: Option<unsafe extern "C" fn(*mut EvhttpBoundSocket, *mut c_void)>, argument: *mut c_void) {
    let (Some(h), Some(f)) = (http.as_ref(), function) else { return };
    for b in h.sockets.clone() {
        f(b, argument);
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_del_accept_socket(http: *mut Evhttp, bound_socket: *mut EvhttpBoundSocket) {
    if !http.is_null() && !bound_socket.is_null() {
        // SAFETY: a live server and one of its sockets.
        server::del_accept_socket(http, bound_socket)
    }
}

fn size_limit(v: ev_ssize_t) -> u64 {
    if v < 0 { u64::MAX } else { v as u64 }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_max_headers_size(http: *mut Evhttp, max_headers_size: ev_ssize_t) {
    if let Some(h) = http.as_mut() {
        h.max_headers_size = size_limit(max_headers_size);
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_max_body_size(http: *mut Evhttp, max_body_size: ev_ssize_t) {
    if let Some(h) = http.as_mut() {
        h.max_body_size = size_limit(max_body_size);
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_default_content_type(http: *mut Evhttp, content_type: *const c_char) {
    if let Some(h) = http.as_mut() {
        h.default_content_type = opt_bytes(content_type).map(|b| CString::new(b).unwrap_or_default());
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_allowed_methods(http: *mut Evhttp, methods: ev_uint16_t) {
    if let Some(h) = http.as_mut() {
        h.allowed_methods = methods as u32;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_cb(http: *mut Evhttp, path: *const c_char, cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void)>, cb_arg: *mut c_void) -> c_int {
    let (Some(h), Some(p), Some(cb)) = (http.as_mut(), opt_bytes(path), cb) else { return -2 };
    if h.callbacks.iter().any(|c| c.path.as_bytes() == p) {
        return -1;
    }
    h.callbacks.push(server::PathCb { path: CString::new(p).unwrap_or_default(), cb, arg: cb_arg });
    0
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_del_cb(http: *mut Evhttp, path: *const c_char) -> c_int {
    let (Some(h), Some(p)) = (http.as_mut(), opt_bytes(path)) else { return -1 };
    match h.callbacks.iter().position(|c| c.path.as_bytes() == p) {
        Some(i) => {
            h.callbacks.remove(i);
            0
        }
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_gencb(http: *mut Evhttp, cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void)>, arg: *mut c_void) {
    if let Some(h) = http.as_mut() {
        h.gencb = cb;
        h.gencb_arg = arg;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_bevcb(http: *mut Evhttp, cb: Option<unsafe extern "C" fn(*mut EventBase, *mut c_void) -> *mut Bufferevent>, arg: *mut c_void) {
    if let Some(h) = http.as_mut() {
        h.bevcb = cb;
        h.bevcb_arg = arg;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_add_virtual_host(http: *mut Evhttp, pattern: *const c_char, vhost: *mut Evhttp) -> c_int {
    let (Some(h), Some(p), Some(v)) = (http.as_mut(), opt_bytes(pattern), vhost.as_mut()) else { return -1 };
    if v.vhost_pattern.is_some() || !v.sockets.is_empty() {
        return -1;
    }
    v.vhost_pattern = Some(CString::new(p).unwrap_or_default());
    h.vhosts.push(vhost);
    0
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_remove_virtual_host(http: *mut Evhttp, vhost: *mut Evhttp) -> c_int {
    let (Some(h), Some(v)) = (http.as_mut(), vhost.as_mut()) else { return -1 };
    if v.vhost_pattern.is_none() {
        return -1;
    }
    h.vhosts.retain(|&x| x != vhost);
    v.vhost_pattern = None;
    0
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_add_server_alias(http: *mut Evhttp, alias: *const c_char) -> c_int {
    let (Some(h), Some(a)) = (http.as_mut(), opt_bytes(alias)) else { return -1 };
    h.aliases.push(CString::new(a).unwrap_or_default());
    0
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_remove_server_alias(http: *mut Evhttp, alias: *const c_char) -> c_int {
    let (Some(h), Some(a)) = (http.as_mut(), opt_bytes(alias)) else { return -1 };
    match h.aliases.iter().position(|x| x.as_bytes().eq_ignore_ascii_case(a)) {
        Some(i) => {
            h.aliases.remove(i);
            0
        }
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_timeout(http: *mut Evhttp, timeout_in_secs: c_int) {
    if timeout_in_secs == -1 {
        evhttp_set_timeout_tv(http, ptr::null());
    } else {
        let t = timeval { tv_sec: timeout_in_secs as _, tv_usec: 0 };
        evhttp_set_timeout_tv(http, &t);
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_timeout_tv(http: *mut Evhttp, tv: *const timeval) {
    if let Some(h) = http.as_mut() {
        h.timeout_read = tv.as_ref().copied().filter(|t| t.tv_sec != 0 || t.tv_usec != 0);
        h.timeout_write = h.timeout_read;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_flags(http: *mut Evhttp, flags: c_int) -> c_int {
    let Some(h) = http.as_mut() else { return 1 };
    let avail = server::SERVER_LINGERING_CLOSE;
    if flags & !avail != 0 {
        return 1;
    }
    h.flags = (h.flags & !avail) | flags;
    0
}

// ---- replies

#[no_mangle]
pub unsafe extern "C" fn evhttp_send_error(req: *mut EvhttpRequest, error: c_int, reason: *const c_char) {
    if !req.is_null() {
        // SAFETY: a live request from the library.
        conn::send_error(req, error, opt_bytes(reason))
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_send_reply(req: *mut EvhttpRequest, code: c_int, reason: *const c_char, databuf: *mut Evbuffer) {
    if !req.is_null() {
        // SAFETY: a live request; databuf NULL or a buffer.
        conn::send_reply(req, code, opt_bytes(reason), databuf)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_send_reply_start(req: *mut EvhttpRequest, code: c_int, reason: *const c_char) {
    if !req.is_null() {
        // SAFETY: a live request.
        conn::send_reply_start(req, code, opt_bytes(reason))
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_send_reply_chunk(req: *mut EvhttpRequest, databuf: *mut Evbuffer) {
    evhttp_send_reply_chunk_with_cb(req, databuf, None, ptr::null_mut())
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_send_reply_chunk_with_cb(req: *mut EvhttpRequest, databuf: *mut Evbuffer, cb: Option<unsafe extern "C" fn(*mut EvhttpConnection, *mut c_void)>, arg: *mut c_void) {
    if !req.is_null() {
        // SAFETY: a live request and buffer.
        conn::send_reply_chunk(req, databuf, cb, arg)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_send_reply_end(req: *mut EvhttpRequest) {
    if !req.is_null() {
        // SAFETY: a live request.
        conn::send_reply_end(req)
    }
}

// ---- connections

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_base_bufferevent_new(base: *mut EventBase, dnsbase: *mut HttpDnsBase, bev: *mut Bufferevent, address: *const c_char, port: ev_uint16_t) -> *mut EvhttpConnection {
    let Some(a) = opt_bytes(address) else { return ptr::null_mut() };
    // SAFETY: bev is NULL or a bufferevent the program hands over.
    conn::new(base, dnsbase, bev, a, port)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_base_new(base: *mut EventBase, dnsbase: *mut HttpDnsBase, address: *const c_char, port: ev_uint16_t) -> *mut EvhttpConnection {
    evhttp_connection_base_bufferevent_new(base, dnsbase, ptr::null_mut(), address, port)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_get_bufferevent(evcon: *mut EvhttpConnection) -> *mut Bufferevent {
    evcon.as_ref().map_or(ptr::null_mut(), |c| c.bufev)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_get_server(evcon: *mut EvhttpConnection) -> *mut Evhttp {
    evcon.as_ref().map_or(ptr::null_mut(), |c| c.http_server)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_get_base(req: *mut EvhttpConnection) -> *mut EventBase {
    req.as_ref().map_or(ptr::null_mut(), |c| c.base)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_family(evcon: *mut EvhttpConnection, family: c_int) {
    if let Some(c) = evcon.as_mut() {
        c.ai_family = family;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_flags(evcon: *mut EvhttpConnection, flags: c_int) -> c_int {
    let Some(c) = evcon.as_mut() else { return 1 };
    let avail = conn::CON_REUSE_CONNECTED_ADDR | conn::CON_READ_ON_WRITE_ERROR;
    if flags & !avail != 0 || flags > conn::CON_PUBLIC_FLAGS_END {
        return 1;
    }
    c.flags = (c.flags & !avail) | flags;
    0
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_max_headers_size(evcon: *mut EvhttpConnection, new_max_headers_size: ev_ssize_t) {
    if let Some(c) = evcon.as_mut() {
        c.max_headers_size = size_limit(new_max_headers_size);
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_max_body_size(evcon: *mut EvhttpConnection, new_max_body_size: ev_ssize_t) {
    if let Some(c) = evcon.as_mut() {
        c.max_body_size = size_limit(new_max_body_size);
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_free(evcon: *mut EvhttpConnection) {
    if !evcon.is_null() {
        // SAFETY: a live connection; freed at once or when its running callback returns.
        conn::free(evcon)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_free_on_completion(evcon: *mut EvhttpConnection) {
    if let Some(c) = evcon.as_mut() {
        c.flags |= conn::CON_AUTOFREE;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_local_address(evcon: *mut EvhttpConnection, address: *const c_char) {
    if let Some(c) = evcon.as_mut() {
        c.bind_address = opt_bytes(address).map(|a| CString::new(a).unwrap_or_default());
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_local_port(evcon: *mut EvhttpConnection, port: ev_uint16_t) {
    if let Some(c) = evcon.as_mut() {
        c.bind_port = port;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_timeout(evcon: *mut EvhttpConnection, timeout_in_secs: c_int) {
    if timeout_in_secs == -1 {
        evhttp_connection_set_timeout_tv(evcon, ptr::null());
    } else {
        let t = timeval { tv_sec: timeout_in_secs as _, tv_usec: 0 };
        evhttp_connection_set_timeout_tv(evcon, &t);
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_timeout_tv(evcon: *mut EvhttpConnection, tv: *const timeval) {
    if !evcon.is_null() {
        // SAFETY: a live connection.
        conn::set_timeout(evcon, tv.as_ref().copied())
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_initial_retry_tv(evcon: *mut EvhttpConnection, tv: *const timeval) {
    if let Some(c) = evcon.as_mut() {
        c.initial_retry_timeout = tv.as_ref().copied().unwrap_or(timeval { tv_sec: 2, tv_usec: 0 });
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_retries(evcon: *mut EvhttpConnection, retry_max: c_int) {
    if let Some(c) = evcon.as_mut() {
        c.retry_max = retry_max;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_closecb(evcon: *mut EvhttpConnection, cb: Option<unsafe extern "C" fn(*mut EvhttpConnection, *mut c_void)>, arg: *mut c_void) {
    if let Some(c) = evcon.as_mut() {
        c.closecb = cb;
        c.closecb_arg = arg;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_get_peer(evcon: *mut EvhttpConnection, address: *mut *mut c_char, port: *mut ev_uint16_t) {
    let Some(c) = evcon.as_ref() else { return };
    if !address.is_null() {
        *address = conn::address_ptr(c);
    }
    if !port.is_null() {
        *port = c.port;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_get_addr(evcon: *mut EvhttpConnection) -> *const sockaddr {
    evcon.as_ref().map_or(ptr::null(), conn::addr)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_make_request(evcon: *mut EvhttpConnection, req: *mut EvhttpRequest, type_: EvhttpCmdType, uri: *const c_char) -> c_int {
    let (false, false, Some(u)) = (evcon.is_null(), req.is_null(), opt_bytes(uri)) else {
        if !req.is_null() {
            request::free_auto(req);
        }
        return -1;
    };
    // SAFETY: a live connection and a request not yet queued.
    conn::make_request(evcon, req, type_, u)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_cancel_request(req: *mut EvhttpRequest) {
    if !req.is_null() {
        // SAFETY: a live request.
        conn::cancel(req)
    }
}

// ---- requests

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_new(cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void)>, arg: *mut c_void) -> *mut EvhttpRequest {
    request::Request::new(cb, arg)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_free(req: *mut EvhttpRequest) {
    if !req.is_null() {
        // SAFETY: a live request.
        request::free(req)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_set_chunked_cb(req: *mut EvhttpRequest, cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void)>) {
    if let Some(r) = req.as_mut() {
        r.chunk_cb = cb;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_set_header_cb(req: *mut EvhttpRequest, cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void) -> c_int>) {
    if let Some(r) = req.as_mut() {
        r.header_cb = cb;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_set_error_cb(req: *mut EvhttpRequest, cb: Option<unsafe extern "C" fn(EvhttpRequestError, *mut c_void)>) {
    if let Some(r) = req.as_mut() {
        r.error_cb = cb;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_set_on_complete_cb(req: *mut EvhttpRequest, cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void)>, cb_arg: *mut c_void) {
    if let Some(r) = req.as_mut() {
        r.on_complete_cb = cb;
        r.on_complete_cb_arg = cb_arg;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_own(req: *mut EvhttpRequest) {
    if let Some(r) = req.as_mut() {
        r.flags |= request::USER_OWNED;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_is_owned(req: *mut EvhttpRequest) -> c_int {
    req.as_ref().map_or(0, |r| (r.flags & request::USER_OWNED != 0) as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_connection(req: *mut EvhttpRequest) -> *mut EvhttpConnection {
    req.as_ref().map_or(ptr::null_mut(), |r| r.evcon)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_uri(req: *const EvhttpRequest) -> *const c_char {
    req.as_ref().map_or(ptr::null(), |r| r.uri)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_evhttp_uri(req: *const EvhttpRequest) -> *const EvhttpUri {
    req.as_ref().map_or(ptr::null(), |r| r.uri_elems)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_command(req: *const EvhttpRequest) -> EvhttpCmdType {
    req.as_ref().map_or(0, |r| r.type_)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_response_code(req: *const EvhttpRequest) -> c_int {
    req.as_ref().map_or(0, |r| r.response_code)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_response_code_line(req: *const EvhttpRequest) -> *const c_char {
    req.as_ref().map_or(ptr::null(), |r| r.response_code_line)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_input_headers(req: *mut EvhttpRequest) -> *mut EvKeyValQ {
    req.as_ref().map_or(ptr::null_mut(), |r| r.input_headers)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_output_headers(req: *mut EvhttpRequest) -> *mut EvKeyValQ {
    req.as_ref().map_or(ptr::null_mut(), |r| r.output_headers)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_input_buffer(req: *mut EvhttpRequest) -> *mut Evbuffer {
    req.as_ref().map_or(ptr::null_mut(), |r| r.input_buffer)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_output_buffer(req: *mut EvhttpRequest) -> *mut Evbuffer {
    req.as_ref().map_or(ptr::null_mut(), |r| r.output_buffer)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_host(req: *mut EvhttpRequest) -> *const c_char {
    if req.is_null() {
        return ptr::null();
    }
    // SAFETY: a live request.
    request::host(req)
}

// ---- libevent 2.2's additions

pub type EvhttpExtMethod = crate::http::server::ExtMethod;
pub type evhttp_ext_method_cb = Option<unsafe extern "C" fn(*mut EvhttpExtMethod) -> c_int>;

#[no_mangle]
pub unsafe extern "C" fn evhttp_bound_set_bevcb(bound: *mut EvhttpBoundSocket, cb: Option<unsafe extern "C" fn(*mut EventBase, *mut c_void) -> *mut Bufferevent>, cbarg: *mut c_void) {
    if let Some(b) = bound.as_mut() {
        b.bevcb = cb;
        b.bevcb_arg = cbarg;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_max_connections(http: *mut Evhttp, max_connections: c_int) {
    if let Some(h) = http.as_mut() {
        h.max_connections = max_connections.max(0);
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_get_connection_count(http: *mut Evhttp) -> c_int {
    http.as_ref().map_or(0, |h| h.connections.len().min(c_int::MAX as usize) as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_ext_method_cmp(http: *mut Evhttp, cmp: evhttp_ext_method_cb) {
    if let Some(h) = http.as_mut() {
        h.ext_method_cmp = cmp;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_ext_method_cmp(evcon: *mut EvhttpConnection, cmp: evhttp_ext_method_cb) {
    if let Some(c) = evcon.as_mut() {
        c.ext_method_cmp = cmp;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_newreqcb(http: *mut Evhttp, cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void) -> c_int>, arg: *mut c_void) {
    if let Some(h) = http.as_mut() {
        h.newreqcb = cb;
        h.newreqcb_arg = arg;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_errorcb(http: *mut Evhttp, cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut Evbuffer, c_int, *const c_char, *mut c_void) -> c_int>, cbarg: *mut c_void) {
    if let Some(h) = http.as_mut() {
        h.errorcb = cb;
        h.errorcb_arg = cbarg;
    }
}

/// A timeval from the program: NULL or zero means none.
unsafe fn opt_tv(tv: *const timeval) -> Option<timeval> {
    tv.as_ref().copied().filter(|t| t.tv_sec != 0 || t.tv_usec != 0)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_read_timeout_tv(http: *mut Evhttp, tv: *const timeval) {
    if let Some(h) = http.as_mut() {
        h.timeout_read = opt_tv(tv);
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_set_write_timeout_tv(http: *mut Evhttp, tv: *const timeval) {
    if let Some(h) = http.as_mut() {
        h.timeout_write = opt_tv(tv);
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_base_bufferevent_unix_new(base: *mut EventBase, bev: *mut Bufferevent, path: *const c_char) -> *mut EvhttpConnection {
    let Some(p) = opt_bytes(path) else { return ptr::null_mut() };
    // SAFETY: bev is NULL or a bufferevent the program hands over.
    conn::new_unix(base, bev, p)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_base_bufferevent_reuse_new(base: *mut EventBase, dnsbase: *mut HttpDnsBase, bev: *mut Bufferevent) -> *mut EvhttpConnection {
    if bev.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a bufferevent over a connected socket, handed over by the program.
    conn::new_reused(base, dnsbase, bev)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_connect_timeout_tv(evcon: *mut EvhttpConnection, tv: *const timeval) {
    if !evcon.is_null() {
        // SAFETY: a live connection.
        conn::set_one_timeout(evcon, conn::Timeout::Connect, tv.as_ref().copied())
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_read_timeout_tv(evcon: *mut EvhttpConnection, tv: *const timeval) {
    if !evcon.is_null() {
        // SAFETY: a live connection.
        conn::set_one_timeout(evcon, conn::Timeout::Read, tv.as_ref().copied())
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_write_timeout_tv(evcon: *mut EvhttpConnection, tv: *const timeval) {
    if !evcon.is_null() {
        // SAFETY: a live connection.
        conn::set_one_timeout(evcon, conn::Timeout::Write, tv.as_ref().copied())
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_parse_query_str_flags(uri: *const c_char, headers: *mut EvKeyValQ, flags: c_uint) -> c_int {
    let Some(s) = opt_bytes(uri) else { return -1 };
    if headers.is_null() {
        return -1;
    }
    // SAFETY: `headers` is writable memory for a list head (it is initialised here).
    encode::parse_query_flags(s, headers, flags)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_unixsocket(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.unixsocket))
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_unixsocket(uri: *mut EvhttpUri, unixsocket: *const c_char) -> c_int {
    set(uri, unixsocket, Uri::set_unixsocket)
}

// ---- event_rs extensions: streamed bodies

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_set_body_cb(
    req: *mut EvhttpRequest,
    start_cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void) -> c_int>,
    body_cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut Evbuffer, *mut c_void)>,
    arg: *mut c_void,
) -> c_int {
    let Some(r) = req.as_mut() else { return -1 };
    if body_cb.is_none() && start_cb.is_some() {
        return -1;
    }
    r.body_start_cb = start_cb;
    r.body_cb = body_cb;
    r.body_cb_arg = arg;
    0
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_pause_body(req: *mut EvhttpRequest) {
    if !req.is_null() {
        // SAFETY: a live request.
        conn::pause_body(req)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_resume_body(req: *mut EvhttpRequest) {
    if !req.is_null() {
        // SAFETY: a live request.
        conn::resume_body(req)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_make_request_chunked(evcon: *mut EvhttpConnection, req: *mut EvhttpRequest, type_: EvhttpCmdType, uri: *const c_char) -> c_int {
    let (false, false, Some(u)) = (evcon.is_null(), req.is_null(), opt_bytes(uri)) else {
        if !req.is_null() {
            request::free_auto(req);
        }
        return -1;
    };
    // SAFETY: a live connection and a request not yet queued.
    conn::make_request_chunked(evcon, req, type_, u)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_set_drained_cb(req: *mut EvhttpRequest, cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void)>, arg: *mut c_void) {
    if let Some(r) = req.as_mut() {
        r.drained_cb = cb;
        r.drained_cb_arg = arg;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_write_chunk(req: *mut EvhttpRequest, databuf: *mut Evbuffer) -> c_int {
    if req.is_null() || databuf.is_null() {
        return -1;
    }
    // SAFETY: a live request and buffer.
    conn::write_chunk(req, databuf)
}

#[no_mangle]
pub unsafe extern "C" fn evhttp_request_end_chunked(req: *mut EvhttpRequest) -> c_int {
    if req.is_null() {
        return -1;
    }
    // SAFETY: a live request.
    conn::end_chunked(req)
}
