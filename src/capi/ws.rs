//! Exports of event2/ws.h: libevent 2.2's WebSocket server calls, and event_rs's client
//! (evws_connect, evws_connect_bufferevent, evws_connection_set_opencb,
//! evws_connection_get_close_code). Arguments are checked and handed to src/ws.
#![allow(non_camel_case_types)]
use crate::http::request::Request;
use crate::ws::{client, conn, proto, server};
use libc::{c_char, c_int, c_uchar, c_void, size_t};
use std::ffi::CStr;
use std::ptr;

pub type EvwsConnection = crate::ws::WsConn;
pub type EvhttpRequest = Request;
pub type EventBase = crate::http::ffi::event_base;
pub type Bufferevent = crate::http::ffi::bufferevent;
pub type HttpDnsBase = crate::http::ffi::evdns_base;

/// libevent 2.2: turns a server request into a WebSocket session. A GET request that asks for
/// a WebSocket upgrade (version 13, a valid key) is answered "101 Switching Protocols" with its
/// Sec-WebSocket-Accept and the headers the program added to the request's output headers; any
/// other request is answered 400. The request is finished either way: do not use it afterwards.
/// @param req a request handed to a server callback, not yet answered
/// @param cb called for each message received (see ws_on_msg_cb)
/// @param arg the last argument of the session's message callback
/// @param options 0 (no option is defined, as in libevent 2.2)
/// @return the session, which owns the connection's bufferevent and socket and is freed after
/// its close callback; NULL when the request was refused.
#[no_mangle]
pub unsafe extern "C" fn evws_new_session(
    req: *mut EvhttpRequest,
    cb: Option<unsafe extern "C" fn(*mut EvwsConnection, c_int, *const c_uchar, size_t, *mut c_void)>,
    arg: *mut c_void,
    options: c_int,
) -> *mut EvwsConnection {
    let _ = options; // no option is defined (libevent 2.2 defines none either)
    if req.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a live, unanswered request of an evhttp server (the caller's contract).
    server::new_session(req, cb, arg)
}

/// libevent 2.2: sends a C string as one text message (one frame). Ignored while the opening
/// handshake is not done and once the session is closing. Text holding U+0000 goes with
/// evws_send_message().
/// @param evws the session
/// @param packet_str the text, which should be UTF-8 (the peer checks it)
#[no_mangle]
pub unsafe extern "C" fn evws_send_text(evws: *mut EvwsConnection, packet_str: *const c_char) {
    if evws.is_null() || packet_str.is_null() {
        return;
    }
    // SAFETY: a live session and a C string.
    conn::send(evws, proto::OP_TEXT, CStr::from_ptr(packet_str).to_bytes())
}

/// libevent 2.2: sends bytes as one binary message (one frame). Ignored while the opening
/// handshake is not done and once the session is closing.
/// @param evws the session
/// @param packet_data the bytes (may be NULL when `packet_len` is 0)
/// @param packet_len how many
#[no_mangle]
pub unsafe extern "C" fn evws_send_binary(evws: *mut EvwsConnection, packet_data: *const c_char, packet_len: size_t) {
    if evws.is_null() || (packet_data.is_null() && packet_len > 0) {
        return;
    }
    let data: &[u8] =
        if packet_len == 0 { &[] } else { std::slice::from_raw_parts(packet_data as *const u8, packet_len) };
    // SAFETY: a live session; packet_len readable bytes at packet_data.
    conn::send(evws, proto::OP_BINARY, data)
}

/// libevent 2.2: starts the closing handshake: sends a close frame and waits (10 s at most) for
/// the peer's, then the session ends (close callback, then freed). Later sends are ignored. On a
/// client session whose opening handshake is not done, ends it at once.
/// @param evws the session
/// @param reason the close code (WS_CR_NORMAL, ...), or WS_CR_NONE for a close frame without
/// one
#[no_mangle]
pub unsafe extern "C" fn evws_close(evws: *mut EvwsConnection, reason: u16) {
    if !evws.is_null() {
        // SAFETY: a live session.
        conn::close(evws, reason)
    }
}

/// libevent 2.2: sets the callback that runs exactly once when the session ends, for whatever
/// reason (closing handshake, protocol error, peer gone, evws_connection_free()); the session is
/// freed right after it returns. evws_connection_get_close_code() tells why.
/// @param evws the session
/// @param cb called with the session and `arg`, or NULL to remove it
/// @param arg its last argument
#[no_mangle]
pub unsafe extern "C" fn evws_connection_set_closecb(
    evws: *mut EvwsConnection,
    cb: Option<unsafe extern "C" fn(*mut EvwsConnection, *mut c_void)>,
    arg: *mut c_void,
) {
    if let Some(c) = evws.as_mut() {
        c.on_close = cb;
        c.close_arg = arg;
    }
}

/// libevent 2.2: ends a session at once, without a close frame: its close callback runs, then
/// its bufferevent and socket are freed. It may be called from the session's own callbacks.
/// @param evws the session (NULL is ignored)
#[no_mangle]
pub unsafe extern "C" fn evws_connection_free(evws: *mut EvwsConnection) {
    if !evws.is_null() {
        // SAFETY: a live session (possibly inside one of its callbacks).
        conn::free(evws)
    }
}

/// libevent 2.2.
/// @param evws the session
/// @return its bufferevent, owned by the session (do not free it or change its callbacks); NULL
/// for NULL.
#[no_mangle]
pub unsafe extern "C" fn evws_connection_get_bufferevent(evws: *mut EvwsConnection) -> *mut Bufferevent {
    evws.as_ref().map_or(ptr::null_mut(), |c| c.bev)
}

// ---- event_rs extensions

/// event_rs extension: sends one message of either type with its length, so that a text may hold
/// U+0000 (which evws_send_text() would cut at). Works in both roles; ignored while the opening
/// handshake is not done and once the session is closing.
/// @param evws the session
/// @param type_ WS_TEXT_FRAME or WS_BINARY_FRAME (anything else is ignored)
/// @param data the bytes (may be NULL when `len` is 0)
/// @param len how many
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

/// event_rs extension: opens a WebSocket client session. Connects to the URI ("ws://" or
/// "wss://", the latter over TLS checking the server's certificate against the system's trust
/// store, or SSL_CERT_FILE and SSL_CERT_DIR, and its host name), sends the opening handshake with
/// a random key and checks the server's Sec-WebSocket-Accept. Frames this side sends are masked.
/// Set the session's open and close callbacks before returning to the loop.
/// @param base the base whose loop runs the session
/// @param dnsbase the resolver, or NULL for the system's
/// @param uri "ws://host:port/path?query" (the port is optional)
/// @param options 0 (reserved)
/// @param cb called for each message received (see ws_on_msg_cb)
/// @param arg the last argument of the message callback
/// @return the session, or NULL for a bad URI or when the connection cannot be started. A failed
/// connection or handshake later runs the close callback (close code 1006).
#[no_mangle]
pub unsafe extern "C" fn evws_connect(
    base: *mut EventBase,
    dnsbase: *mut HttpDnsBase,
    uri: *const c_char,
    options: c_int,
    cb: Option<unsafe extern "C" fn(*mut EvwsConnection, c_int, *const c_uchar, size_t, *mut c_void)>,
    arg: *mut c_void,
) -> *mut EvwsConnection {
    let _ = options; // reserved
    if base.is_null() || uri.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a live base, NULL or a live evdns base, and a C string.
    client::connect(base, dnsbase, CStr::from_ptr(uri).to_bytes(), cb, arg)
}

/// event_rs extension: like evws_connect(), over the program's bufferevent, for instance one from
/// `bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_CONNECTING,
/// BEV_OPT_CLOSE_ON_FREE)` for a TLS set up by the program.
/// @param bev an unconnected socket bufferevent; the session owns it (it is freed when NULL is
/// returned)
/// @param dnsbase the resolver, or NULL for the system's
/// @param uri the URI, as for evws_connect()
/// @param options 0 (reserved)
/// @param cb the message callback
/// @param arg its last argument
/// @return the session, or NULL.
#[no_mangle]
pub unsafe extern "C" fn evws_connect_bufferevent(
    bev: *mut Bufferevent,
    dnsbase: *mut HttpDnsBase,
    uri: *const c_char,
    options: c_int,
    cb: Option<unsafe extern "C" fn(*mut EvwsConnection, c_int, *const c_uchar, size_t, *mut c_void)>,
    arg: *mut c_void,
) -> *mut EvwsConnection {
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

/// event_rs extension: sets the callback that runs when a client session's opening handshake
/// succeeds; messages sent before are dropped. A connection or handshake that fails runs the
/// close callback instead.
/// @param evws the session
/// @param cb called with the session and `arg`, or NULL to remove it
/// @param arg its last argument
#[no_mangle]
pub unsafe extern "C" fn evws_connection_set_opencb(
    evws: *mut EvwsConnection,
    cb: Option<unsafe extern "C" fn(*mut EvwsConnection, *mut c_void)>,
    arg: *mut c_void,
) {
    if let Some(c) = evws.as_mut() {
        c.on_open = cb;
        c.open_arg = arg;
    }
}

/// event_rs extension, for both roles, best called in the close callback.
/// @param evws the session
/// @return the code of the peer's close frame (1005 when it had none), else the code this side
/// ended the session with, else 1006 (the connection ended without a close frame); -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn evws_connection_get_close_code(evws: *mut EvwsConnection) -> c_int {
    evws.as_ref().map_or(-1, |c| c.close_code as c_int)
}
