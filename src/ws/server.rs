//! The server's opening handshake (libevent 2.2's evws_new_session): checks that an evhttp
//! request asks for a WebSocket upgrade, answers "101 Switching Protocols" with the
//! Sec-WebSocket-Accept computed from its key, and takes its connection's bufferevent for a
//! session. A request that is no valid upgrade is answered 400 (with "Sec-WebSocket-Version: 13"
//! when the version was wrong).
use super::conn::{self, MsgCb, WsConn};
use super::proto;
use crate::http::conn as hconn;
use crate::http::ffi;
use crate::http::headers;
use crate::http::request::Request;
use libc::c_void;
use std::ptr;

/// evws_new_session. The request is finished either way (the program must not use it again).
///
/// # Safety
/// `req` is a live request of an evhttp server, not yet answered.
pub unsafe fn new_session(req: *mut Request, cb: Option<MsgCb>, arg: *mut c_void) -> *mut WsConn {
    let h = (*req).input_headers;
    let has = |name: &[u8], token: &[u8]| {
        headers::iter(h)
            .any(|e| headers::key(e).eq_ignore_ascii_case(name) && proto::has_token(headers::value(e), token))
    };
    let key = headers::find_bytes(h, b"Sec-WebSocket-Key").map(|k| k.trim_ascii().to_vec());
    let version_ok = headers::find_bytes(h, b"Sec-WebSocket-Version").is_some_and(|v| v.trim_ascii() == b"13");
    let key_ok = key.as_deref().and_then(proto::base64_decoded_len) == Some(16);
    let is_get = (*req).type_ == 1; // EVHTTP_REQ_GET
    if !is_get || !has(b"Upgrade", b"websocket") || !has(b"Connection", b"upgrade") || !key_ok || !version_ok {
        // Not evhttp_send_error, which drops the headers: RFC 6455 4.4 wants the version named.
        let out = (*req).output_headers;
        if !version_ok {
            headers::add(out, b"Sec-WebSocket-Version", b"13");
        }
        headers::add(out, b"Connection", b"close");
        headers::add(out, b"Content-Type", b"text/plain");
        let body = ffi::evbuffer_new();
        if !body.is_null() {
            let text = b"not a WebSocket upgrade\n";
            ffi::evbuffer_add(body, text.as_ptr() as *const c_void, text.len());
        }
        hconn::send_reply(req, 400, None, body);
        if !body.is_null() {
            ffi::evbuffer_free(body);
        }
        return ptr::null_mut();
    }
    let mut head = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n",
        proto::accept_for(key.as_deref().unwrap_or_default())
    )
    .into_bytes();
    // Headers the program added (a subprotocol, cookies), except the ones the upgrade sets.
    for e in headers::iter((*req).output_headers) {
        let k = headers::key(e);
        if [&b"Upgrade"[..], b"Connection", b"Sec-WebSocket-Accept", b"Content-Length", b"Transfer-Encoding"]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(k))
        {
            continue;
        }
        head.extend_from_slice(k);
        head.extend_from_slice(b": ");
        head.extend_from_slice(headers::value(e));
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    let bev = hconn::take_bufferevent(req);
    if bev.is_null() {
        return ptr::null_mut();
    }
    ffi::evbuffer_add(ffi::bufferevent_get_output(bev), head.as_ptr() as *const c_void, head.len());
    let c = conn::new(bev, false, cb, arg);
    conn::read_soon(c);
    c
}
