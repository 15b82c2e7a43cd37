//! Exports of event2/ws.h: libevent 2.2's WebSocket server calls, and event_rs's client
//! (evws_connect, evws_connect_bufferevent, evws_connection_set_opencb,
//! evws_connection_get_close_code). Arguments are checked and handed to src/ws.
#![allow(non_camel_case_types)]
use crate::http::request::Request;
use crate::ws::{client, conn, server, proto};
use libc::{c_char, c_int, c_uchar, c_void, size_t};
use std::ffi::CStr;
use std::ptr;

pub type EvwsConnection = crate::ws::WsConn;
pub type EvhttpRequest = Request;
pub type EventBase = crate::http::ffi::event_base;
pub type Bufferevent = crate::http::ffi::bufferevent;
pub type HttpDnsBase = crate::http::ffi::evdns_base;

#[no_mangle]
pub unsafe extern "C" fn evws_new_session(req: *mut EvhttpRequest, cb: Option<unsafe extern "C" fn(*mut EvwsConnection, c_int, *const c_uchar, size_t, *mut c_void)>, arg: *mut c_void, options: c_int) -> *mut EvwsConnection {
    let _ = options; // no option is defined (libevent 2.2 defines none either)
    if req.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a live, unanswered request of an evhttp server (the caller's contract).
    server::new_session(req, cb, arg)
}

#[no_mangle]
pub unsafe extern "C" fn evws_send_text(evws: *mut EvwsConnection, packet_str: *const c_char) {
    if evws.is_null() || packet_str.is_null() {
        return;
    }
    // SAFETY: a live session and a C string.
    conn::send(evws, proto::OP_TEXT, CStr::from_ptr(packet_str).to_bytes())
}

#[no_mangle]
pub unsafe extern "C" fn evws_send_binary(evws: *mut EvwsConnection, packet_data: *const c_char, packet_len: size_t) {
    if evws.is_null() || (packet_data.is_null() && packet_len > 0) {
        return;
    }
    let data: &[u8] = if packet_len == 0 { &[] } else { std::slice::from_raw_parts(packet_data as *const u8, packet_len) };
    // SAFETY: a live session; packet_len readable bytes at packet_data.
    conn::send(evws, proto::OP_BINARY, data)
}

#[no_mangle]
pub unsafe extern "C" fn evws_close(evws: *mut EvwsConnection, reason: u16) {
    if !evws.is_null() {
        // SAFETY: a live session.
        conn::close(evws, reason)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evws_connection_set_closecb(evws: *mut EvwsConnection, cb: Option<unsafe extern "C" fn(*mut EvwsConnection, *mut c_void)>, arg: *mut c_void) {
    if let Some(c) = evws.as_mut() {
        c.on_close = cb;
        c.close_arg = arg;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evws_connection_free(evws: *mut EvwsConnection) {
    if !evws.is_null() {
        // SAFETY: a live session (possibly inside one of its callbacks).
        conn::free(evws)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evws_connection_get_bufferevent(evws: *mut EvwsConnection) -> *mut Bufferevent {
    evws.as_ref().map_or(ptr::null_mut(), |c| c.bev)
}

// ---- event_rs extensions

#[no_mangle]
pub unsafe extern "C" fn evws_send_message(evws: *mut EvwsConnection, type_: c_int, data: *const c_void, len: size_t) {
    let op = match type_ {
        1 => proto::OP_TEXT,   // WS_TEXT_FRAME
        2 => proto::OP_BINARY, // WS_BINARY_FRAME
        _ => return,
    };
    if evws.is_null() || (data.is_null() && len > 0) {
        return;
    }
    let bytes: &[u8] = if len == 0 { &[] } else { std::slice::from_raw_parts(data as *const u8, len) };
    // SAFETY: a live session; len readable bytes at data.
    conn::send(evws, op, bytes)
}

#[no_mangle]
pub unsafe extern "C" fn evws_connect(base: *mut EventBase, dnsbase: *mut HttpDnsBase, uri: *const c_char, options: c_int, cb: Option<unsafe extern "C" fn(*mut EvwsConnection, c_int, *const c_uchar, size_t, *mut c_void)>, arg: *mut c_void) -> *mut EvwsConnection {
    let _ = options; // reserved
    if base.is_null() || uri.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a live base, NULL or a live evdns base, and a C string.
    client::connect(base, dnsbase, CStr::from_ptr(uri).to_bytes(), cb, arg)
}

#[no_mangle]
pub unsafe extern "C" fn evws_connect_bufferevent(bev: *mut Bufferevent, dnsbase: *mut HttpDnsBase, uri: *const c_char, options: c_int, cb: Option<unsafe extern "C" fn(*mut EvwsConnection, c_int, *const c_uchar, size_t, *mut c_void)>, arg: *mut c_void) -> *mut EvwsConnection {
    let _ = options; // reserved
    if bev.is_null() {
        return ptr::null_mut();
    }
    if uri.is_null() {
        // SAFETY: the program handed the bufferevent over.
        crate::http::ffi::bufferevent_free(bev);
        return ptr::null_mut();
    }
    // SAFETY: a bufferevent the program hands over, NULL or a live evdns base, a C string.
    client::connect_bufferevent(bev, dnsbase, CStr::from_ptr(uri).to_bytes(), cb, arg)
}

#[no_mangle]
pub unsafe extern "C" fn evws_connection_set_opencb(evws: *mut EvwsConnection, cb: Option<unsafe extern "C" fn(*mut EvwsConnection, *mut c_void)>, arg: *mut c_void) {
    if let Some(c) = evws.as_mut() {
        c.on_open = cb;
        c.open_arg = arg;
    }
}

#[no_mangle]
pub unsafe extern "C" fn evws_connection_get_close_code(evws: *mut EvwsConnection) -> c_int {
    evws.as_ref().map_or(-1, |c| c.close_code as c_int)
}
