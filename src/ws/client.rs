//! The WebSocket client (an event_rs extension): connects to a `ws://` or `wss://` URI, sends
//! the opening handshake with a random key, checks the server's "101 Switching Protocols" and
//! its Sec-WebSocket-Accept, then runs the session of src/ws/conn.rs in the client role.
use super::conn::{self, MsgCb, Phase, WsConn, MAX_REPLY_HEAD};
use super::proto;
use crate::bufferevent::ossl;
use crate::http::ffi::{self, bufferevent, evdns_base, event_base};
use crate::http::uri::Uri;
use libc::{c_int, c_void};
use std::ffi::CString;
use std::ptr;

extern "C" {
    fn bufferevent_openssl_socket_new(
        base: *mut event_base,
        fd: c_int,
        ssl: *mut ossl::SSL,
        state: c_int,
        options: c_int,
    ) -> *mut bufferevent;
}

/// What a URI names: TLS or not, the host to connect to, the port, the Host header's value and
/// the request target.
struct Target {
    tls: bool,
    host: CString,
    port: u16,
    host_header: String,
    path: String,
}

fn target(uri: &[u8]) -> Option<Target> {
    let u = Uri::parse(uri, 0)?;
    let scheme = u.scheme.as_ref()?.to_bytes().to_ascii_lowercase();
    let tls = match &scheme[..] {
        b"ws" => false,
        b"wss" => true,
        _ => return None,
    };
    let raw_host = u.host.as_ref()?.to_str().ok()?;
    if raw_host.is_empty() {
        return None;
    }
    let bare = raw_host.trim_start_matches('[').trim_end_matches(']');
    let default_port = if tls { 443 } else { 80 };
    let port = if u.port < 0 { default_port } else { u16::try_from(u.port).ok()? };
    let literal6 = bare.contains(':');
    let shown = if literal6 { format!("[{bare}]") } else { bare.to_string() };
    let host_header = if port == default_port { shown } else { format!("{shown}:{port}") };
    let mut path = u.path.as_ref().and_then(|p| p.to_str().ok()).unwrap_or("").to_string();
    if path.is_empty() {
        path.push('/');
    }
    if let Some(q) = u.query.as_ref().and_then(|q| q.to_str().ok()) {
        path.push('?');
        path.push_str(q);
    }
    if path.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return None;
    }
    Some(Target { tls, host: CString::new(bare).ok()?, port, host_header, path })
}

/// An SSL object that checks the server's certificate against the system's trust store (or
/// SSL_CERT_FILE / SSL_CERT_DIR) and the host name, and sends the name (SNI).
unsafe fn client_ssl(host: &CString) -> *mut ossl::SSL {
    if !ossl::available() {
        return ptr::null_mut();
    }
    let ctx = ossl::SSL_CTX_new(ossl::TLS_client_method());
    if ctx.is_null() {
        return ptr::null_mut();
    }
    ossl::SSL_CTX_set_default_verify_paths(ctx);
    ossl::SSL_CTX_set_verify(ctx, ossl::SSL_VERIFY_PEER, None);
    let ssl = ossl::SSL_new(ctx);
    ossl::SSL_CTX_free(ctx);
    if ssl.is_null() {
        return ssl;
    }
    let param = ossl::SSL_get0_param(ssl);
    let is_ip = host.to_str().is_ok_and(|h| h.parse::<std::net::IpAddr>().is_ok());
    let ok = if is_ip {
        ossl::X509_VERIFY_PARAM_set1_ip_asc(param, host.as_ptr()) == 1
    } else {
        ossl::SSL_ctrl(
            ssl,
            ossl::SSL_CTRL_SET_TLSEXT_HOSTNAME,
            ossl::TLSEXT_NAMETYPE_host_name as _,
            host.as_ptr() as *mut c_void,
        );
        ossl::X509_VERIFY_PARAM_set1_host(param, host.as_ptr(), host.as_bytes().len()) == 1
    };
    if !ok {
        ossl::SSL_free(ssl);
        return ptr::null_mut();
    }
    ssl
}

/// evws_connect: a new bufferevent (an OpenSSL one for wss://) to the URI's host.
///
/// # Safety
/// `base` is a live event base; `dns` NULL or a live evdns base.
pub unsafe fn connect(
    base: *mut event_base,
    dns: *mut evdns_base,
    uri: &[u8],
    cb: Option<MsgCb>,
    arg: *mut c_void,
) -> *mut WsConn {
    let Some(t) = target(uri) else { return ptr::null_mut() };
    let bev = if t.tls {
        let ssl = client_ssl(&t.host);
        if ssl.is_null() {
            return ptr::null_mut();
        }
        let b = bufferevent_openssl_socket_new(
            base,
            -1,
            ssl,
            1, /* BUFFEREVENT_SSL_CONNECTING */
            ffi::BEV_OPT_CLOSE_ON_FREE,
        );
        if b.is_null() {
            ossl::SSL_free(ssl);
        }
        b
    } else {
        ffi::bufferevent_socket_new(base, -1, ffi::BEV_OPT_CLOSE_ON_FREE)
    };
    if bev.is_null() {
        return ptr::null_mut();
    }
    start(bev, dns, t, cb, arg)
}

/// evws_connect_bufferevent: the program's unconnected socket-mode bufferevent (plain, or
/// OpenSSL in the connecting state), which the session owns from now on, freed on failure.
///
/// # Safety
/// `bev` is a live bufferevent nobody else will use; `dns` NULL or a live evdns base.
pub unsafe fn connect_bufferevent(
    bev: *mut bufferevent,
    dns: *mut evdns_base,
    uri: &[u8],
    cb: Option<MsgCb>,
    arg: *mut c_void,
) -> *mut WsConn {
    let Some(t) = target(uri) else {
        ffi::bufferevent_free(bev);
        return ptr::null_mut();
    };
    start(bev, dns, t, cb, arg)
}

unsafe fn start(
    bev: *mut bufferevent,
    dns: *mut evdns_base,
    t: Target,
    cb: Option<MsgCb>,
    arg: *mut c_void,
) -> *mut WsConn {
    let mut nonce = [0u8; 16];
    crate::util::rng::get_bytes(&mut nonce);
    let key = proto::base64(&nonce);
    let head = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {}\r\nSec-WebSocket-Version: 13\r\n\r\n",
        t.path, t.host_header, key
    );
    // Written now, sent once connected.
    let out = ffi::bufferevent_get_output(bev);
    ffi::evbuffer_add(out, head.as_ptr() as *const c_void, head.len());
    let c = conn::new(bev, true, cb, arg);
    (*c).expect_accept = proto::accept_for(key.as_bytes());
    if ffi::bufferevent_socket_connect_hostname(bev, dns, libc::AF_UNSPEC, t.host.as_ptr(), t.port as c_int) != 0 {
        // Nothing was reported yet: the program gets NULL, and no callback.
        (*c).on_close = None;
        conn::free(c);
        return ptr::null_mut();
    }
    c
}

/// Reads the server's reply to the handshake. False when more bytes are needed or the session
/// ended (a refused or malformed reply ends it, with close code 1006).
///
/// # Safety
/// `c` is a live client session in its handshake.
pub unsafe fn read_reply(c: *mut WsConn) -> bool {
    let inbuf = ffi::bufferevent_get_input((*c).bev);
    let avail = ffi::evbuffer_get_length(inbuf);
    let n = avail.min(MAX_REPLY_HEAD);
    if n == 0 {
        return false;
    }
    let p = ffi::evbuffer_pullup(inbuf, n as isize);
    if p.is_null() {
        conn::free(c);
        return false;
    }
    let bytes = std::slice::from_raw_parts(p, n);
    let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
        if n >= MAX_REPLY_HEAD {
            conn::free(c);
        }
        return false;
    };
    let ok = reply_ok(&bytes[..end], (*c).expect_accept.as_bytes());
    ffi::evbuffer_drain(inbuf, end + 4);
    if !ok {
        conn::free(c);
        return false;
    }
    (*c).phase = Phase::Open;
    if let Some(cb) = (*c).on_open {
        cb(c, (*c).open_arg);
    }
    true
}

/// Whether an HTTP head (without its final empty line) accepts the upgrade.
fn reply_ok(head: &[u8], accept: &[u8]) -> bool {
    let mut lines = head.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let Some(status) = lines.next() else { return false };
    let mut parts = status.split(|&b| b == b' ');
    let (Some(version), Some(code)) = (parts.next(), parts.next()) else { return false };
    if !version.starts_with(b"HTTP/1.") || code != b"101" {
        return false;
    }
    let (mut upgrade, mut connection, mut accepted) = (false, false, false);
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else { return false };
        let (name, value) = (line[..colon].trim_ascii(), line[colon + 1..].trim_ascii());
        if name.eq_ignore_ascii_case(b"upgrade") {
            upgrade |= proto::has_token(value, b"websocket");
        } else if name.eq_ignore_ascii_case(b"connection") {
            connection |= proto::has_token(value, b"upgrade");
        } else if name.eq_ignore_ascii_case(b"sec-websocket-accept") {
            accepted = value == accept;
        } else if name.eq_ignore_ascii_case(b"sec-websocket-extensions") {
            // None was offered: a server may not impose one.
            return false;
        }
    }
    upgrade && connection && accepted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let t = target(b"ws://example.com/chat?room=1").unwrap();
        assert_eq!(
            (t.tls, t.port, t.host_header.as_str(), t.path.as_str()),
            (false, 80, "example.com", "/chat?room=1")
        );
        let t = target(b"wss://[::1]:8443").unwrap();
        assert_eq!(
            (t.tls, t.port, t.host.to_str().unwrap(), t.host_header.as_str(), t.path.as_str()),
            (true, 8443, "::1", "[::1]:8443", "/")
        );
        assert!(target(b"http://example.com/").is_none());
        assert!(target(b"ws:///nohost").is_none());
    }

    #[test]
    fn replies() {
        let acc = b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
        let good = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
        assert!(reply_ok(good, acc));
        assert!(!reply_ok(good, b"xxx"));
        assert!(!reply_ok(b"HTTP/1.1 200 OK\r\nUpgrade: websocket", acc));
        assert!(!reply_ok(b"garbage", acc));
    }
}
