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
