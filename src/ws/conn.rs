//! One WebSocket session over a bufferevent: reads frames into messages (fragments joined,
//! text checked as UTF-8, a cap on the size), answers pings and the close handshake, sends
//! frames (masked by a client), and ends with the program's close callback.
//!
//! Lifetime: every entry from the bufferevent or the loop holds the session `busy`; a session
//! ended meanwhile (by a callback calling evws_connection_free, or by the library) is torn down
//! at once (close callback, bufferevent) and its memory released when the outermost entry
//! returns. No Rust reference into the session is alive while a program's callback runs:
//! the code works through the raw pointer and re-checks `dead` after each callback.
use super::proto::{self, Head, HeadError};
use crate::http::ffi::{self, bufferevent, evbuffer, event, event_base};
use libc::{c_int, c_short, c_void, size_t, timeval};
use std::ptr;

pub type MsgCb = unsafe extern "C" fn(*mut WsConn, c_int, *const u8, size_t, *mut c_void);
pub type CloseCb = unsafe extern "C" fn(*mut WsConn, *mut c_void);
pub type OpenCb = unsafe extern "C" fn(*mut WsConn, *mut c_void);

extern "C" {
    fn evbuffer_remove(b: *mut evbuffer, data: *mut c_void, len: size_t) -> c_int;
    fn bufferevent_openssl_get_ssl(bev: *mut bufferevent) -> *mut c_void;
}

/// How long a closing session waits for the peer (its close frame, then its end of the
/// connection) before dropping it.
const CLOSE_WAIT_SECS: i64 = 10;
/// The longest HTTP head a client accepts in the handshake's reply.
pub const MAX_REPLY_HEAD: usize = 16 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// client only: connecting, then waiting for the "101 Switching Protocols"
    Handshake,
    Open,
    /// our close frame is out; waiting for the peer's
    CloseSent,
    /// the close handshake is over or the session failed: flush, half-close, read to the end
    Finishing,
}

pub struct WsConn {
    pub bev: *mut bufferevent,
    pub base: *mut event_base,
    /// a client masks what it sends and refuses masked frames; a server the reverse
    pub client: bool,
    pub phase: Phase,
    pub on_msg: Option<MsgCb>,
    pub msg_arg: *mut c_void,
    pub on_close: Option<CloseCb>,
    pub close_arg: *mut c_void,
    pub on_open: Option<OpenCb>,
    pub open_arg: *mut c_void,
    /// the frame being read, and how much of its payload has been read
    head: Option<Head>,
    got: u64,
    /// the data message being assembled (its opcode), and how much of it is checked UTF-8
    msg: Vec<u8>,
    msg_op: Option<u8>,
    utf8_ok: usize,
    /// the payload of the control frame being read
    ctl: Vec<u8>,
    /// the current frame's payload is read and dropped (data frames after our close)
    skip: bool,
    /// the close code: the peer's, else the one we failed the session with, else 1006
    pub close_code: u16,
    half_closed: bool,
    /// client: the Sec-WebSocket-Accept the server must send
    pub expect_accept: String,
    /// runs the reader on the next loop turn (bytes that came with the handshake)
    kick: *mut event,
    busy: u32,
    dead: bool,
    close_cb_done: bool,
}

/// A session over `bev`, which it owns from now on (callbacks set, reading enabled).
///
/// # Safety
/// `bev` is a live bufferevent nobody else will use.
pub unsafe fn new(bev: *mut bufferevent, client: bool, on_msg: Option<MsgCb>, arg: *mut c_void) -> *mut WsConn {
    let base = ffi::bufferevent_get_base(bev);
    let c = Box::into_raw(Box::new(WsConn {
        bev,
        base,
        client,
        phase: if client { Phase::Handshake } else { Phase::Open },
        on_msg,
        msg_arg: arg,
        on_close: None,
        close_arg: ptr::null_mut(),
        on_open: None,
        open_arg: ptr::null_mut(),
        head: None,
        got: 0,
        msg: Vec::new(),
        msg_op: None,
        utf8_ok: 0,
        ctl: Vec::new(),
        skip: false,
        close_code: proto::CR_ABNORMAL,
        half_closed: false,
        expect_accept: String::new(),
        kick: ptr::null_mut(),
        busy: 0,
        dead: false,
        close_cb_done: false,
    }));
    (*c).kick = ffi::event_new(base, -1, 0, Some(kick_cb), c as *mut c_void);
    ffi::bufferevent_set_timeouts(bev, ptr::null(), ptr::null());
    ffi::bufferevent_setcb(bev, Some(read_cb), Some(write_cb), Some(event_cb), c as *mut c_void);
    ffi::bufferevent_enable(bev, ffi::EV_READ | ffi::EV_WRITE);
    c
}

/// Reads what is already buffered on the next loop turn (never from inside the caller).
///
/// # Safety
/// `c` is a live session.
pub unsafe fn read_soon(c: *mut WsConn) {
    if !(*c).kick.is_null() && ffi::evbuffer_get_length(ffi::bufferevent_get_input((*c).bev)) > 0 {
        ffi::event_active((*c).kick, ffi::EV_READ as c_int, 1);
    }
}

/// Runs `f` with the session held; releases it afterwards if it ended meanwhile.
unsafe fn hold(c: *mut WsConn, f: impl FnOnce()) {
    (*c).busy += 1;
    f();
    (*c).busy -= 1;
    if (*c).busy == 0 && (*c).dead {
        release(c);
    }
}

unsafe fn release(c: *mut WsConn) {
    if !(*c).kick.is_null() {
        ffi::event_free((*c).kick);
    }
    drop(Box::from_raw(c));
}

/// evws_connection_free, and the end of every session: the close callback (once), then the
/// bufferevent and its socket; the memory once no entry of the session runs.
///
/// # Safety
/// `c` is a live session (a second call while the first is pending is ignored).
pub unsafe fn free(c: *mut WsConn) {
    if (*c).dead {
        return;
    }
    (*c).dead = true;
    (*c).busy += 1;
    if !(*c).close_cb_done {
        (*c).close_cb_done = true;
        if let Some(cb) = (*c).on_close {
            cb(c, (*c).close_arg);
        }
    }
    if !(*c).kick.is_null() {
        ffi::event_del((*c).kick);
    }
    if !(*c).bev.is_null() {
        ffi::bufferevent_setcb((*c).bev, None, None, None, ptr::null_mut());
        ffi::bufferevent_free((*c).bev);
        (*c).bev = ptr::null_mut();
    }
    (*c).msg = Vec::new();
    (*c).busy -= 1;
    if (*c).busy == 0 {
        release(c);
    }
}

// ---- sending

unsafe fn output(c: *mut WsConn) -> *mut evbuffer {
    ffi::bufferevent_get_output((*c).bev)
}

unsafe fn input(c: *mut WsConn) -> *mut evbuffer {
    ffi::bufferevent_get_input((*c).bev)
}

/// Queues one final frame (masked by a client).
unsafe fn put_frame(c: *mut WsConn, opcode: u8, payload: &[u8]) {
    let out = output(c);
    if (*c).client {
        let mut mask = [0u8; 4];
        crate::util::rng::get_bytes(&mut mask);
        let head = proto::encode_head(opcode, payload.len(), Some(mask));
        let mut body = payload.to_vec();
        proto::apply_mask(&mut body, mask, 0);
        ffi::evbuffer_add(out, head.as_ptr() as *const c_void, head.len());
        ffi::evbuffer_add(out, body.as_ptr() as *const c_void, body.len());
    } else {
        let head = proto::encode_head(opcode, payload.len(), None);
        ffi::evbuffer_add(out, head.as_ptr() as *const c_void, head.len());
        ffi::evbuffer_add(out, payload.as_ptr() as *const c_void, payload.len());
    }
}

/// evws_send_text / evws_send_binary: one message, in one frame. Ignored once the session is
/// closing or ended.
///
/// # Safety
/// `c` is a live session (possibly ended inside a callback).
pub unsafe fn send(c: *mut WsConn, opcode: u8, payload: &[u8]) {
    if (*c).dead || (*c).phase != Phase::Open {
        return;
    }
    put_frame(c, opcode, payload);
}

fn close_payload(code: u16) -> Vec<u8> {
    if code == 0 {
        Vec::new()
    } else {
        code.to_be_bytes().to_vec()
    }
}

/// evws_close: sends a close frame (with `code` unless it is WS_CR_NONE) and waits for the
/// peer's; the session then ends by itself. A client still in its handshake ends now.
///
/// # Safety
/// `c` is a live session.
pub unsafe fn close(c: *mut WsConn, code: u16) {
    if (*c).dead {
        return;
    }
    match (*c).phase {
        Phase::Handshake => free(c),
        Phase::Open => {
            put_frame(c, proto::OP_CLOSE, &close_payload(code));
            (*c).phase = Phase::CloseSent;
            let t = timeval { tv_sec: CLOSE_WAIT_SECS, tv_usec: 0 };
            ffi::bufferevent_set_timeouts((*c).bev, &t, &t);
        }
        _ => {}
    }
}

/// Fails the session (RFC 6455 7.1.7): a close frame with `code` if none was sent yet, then
/// the end of the connection.
unsafe fn fail(c: *mut WsConn, code: u16) {
    if (*c).phase == Phase::Open {
        put_frame(c, proto::OP_CLOSE, &close_payload(code));
        (*c).close_code = code;
    } else if (*c).phase == Phase::Handshake {
        free(c);
        return;
    }
    finish(c);
}

/// The close handshake is over (or the session failed): flush what is queued, then half-close
/// and read (dropping it) until the peer closes its side, within CLOSE_WAIT_SECS. Reading on
/// keeps a peer that is still sending (a message over the cap) from getting a reset that would
/// lose our close frame. Without a plain socket (TLS, pairs) the session ends once flushed.
unsafe fn finish(c: *mut WsConn) {
    (*c).phase = Phase::Finishing;
    (*c).msg = Vec::new();
    (*c).head = None;
    let t = timeval { tv_sec: CLOSE_WAIT_SECS, tv_usec: 0 };
    ffi::bufferevent_set_timeouts((*c).bev, &t, &t);
    ffi::bufferevent_enable((*c).bev, ffi::EV_READ | ffi::EV_WRITE);
    if ffi::evbuffer_get_length(output(c)) == 0 {
        half_close(c);
    }
}

unsafe fn half_close(c: *mut WsConn) {
    if (*c).half_closed {
        return;
    }
    (*c).half_closed = true;
    let fd = ffi::bufferevent_getfd((*c).bev);
    if fd < 0 || !bufferevent_openssl_get_ssl((*c).bev).is_null() {
        // No socket to half-close (a pair or filter bufferevent), or one under TLS, where
        // OpenSSL still writes (close_notify) after the close frame: the end is now.
        free(c);
        return;
    }
    libc::shutdown(fd, libc::SHUT_WR);
}

// ---- bufferevent callbacks

unsafe extern "C" fn kick_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let c = arg as *mut WsConn;
    hold(c, || {
        if !(*c).dead {
            read_input(c)
        }
    })
}

unsafe extern "C" fn read_cb(_bev: *mut bufferevent, arg: *mut c_void) {
    let c = arg as *mut WsConn;
    hold(c, || {
        if !(*c).dead {
            read_input(c)
        }
    })
}

unsafe extern "C" fn write_cb(_bev: *mut bufferevent, arg: *mut c_void) {
    let c = arg as *mut WsConn;
    hold(c, || {
        if !(*c).dead && (*c).phase == Phase::Finishing && ffi::evbuffer_get_length(output(c)) == 0 {
            half_close(c);
        }
    })
}

unsafe extern "C" fn event_cb(_bev: *mut bufferevent, what: c_short, arg: *mut c_void) {
    let c = arg as *mut WsConn;
    hold(c, || {
        if (*c).dead {
            return;
        }
        if what & (ffi::BEV_EVENT_EOF | ffi::BEV_EVENT_ERROR | ffi::BEV_EVENT_TIMEOUT) != 0 {
            // Whatever was still buffered is read first: a close frame may be in it.
            if what & ffi::BEV_EVENT_EOF != 0 && (*c).phase != Phase::Finishing {
                read_input(c);
                if (*c).dead {
                    return;
                }
            }
            free(c);
        }
    })
}

// ---- reading

/// Reads frames while whole heads and payload bytes are buffered.
unsafe fn read_input(c: *mut WsConn) {
    loop {
        if (*c).dead {
            return;
        }
        let inbuf = input(c);
        match (*c).phase {
            Phase::Handshake => {
                if !super::client::read_reply(c) || (*c).dead || (*c).phase == Phase::Handshake {
                    return;
                }
                continue;
            }
            Phase::Finishing => {
                ffi::evbuffer_drain(inbuf, usize::MAX);
                return;
            }
            Phase::Open | Phase::CloseSent => {}
        }
        let avail = ffi::evbuffer_get_length(inbuf);
        let Some(h) = (*c).head else {
            if avail < 2 {
                return;
            }
            let n = avail.min(14);
            let p = ffi::evbuffer_pullup(inbuf, n as isize);
            if p.is_null() {
                return fail(c, proto::CR_PROTO_ERR);
            }
            let head = match proto::parse_head(std::slice::from_raw_parts(p, n)) {
                Ok(h) => h,
                Err(HeadError::Short(_)) => return,
                Err(HeadError::BadLength) => {
                    fail(c, proto::CR_PROTO_ERR);
                    continue;
                }
            };
            if let Err(code) = check_head(c, &head) {
                fail(c, code);
                continue;
            }
            ffi::evbuffer_drain(inbuf, head.size);
            (*c).head = Some(head);
            (*c).got = 0;
            (*c).skip = head.opcode < 8 && (*c).phase == Phase::CloseSent;
            if head.opcode >= 8 {
                (*c).ctl.clear();
            } else if head.opcode != proto::OP_CONT {
                (*c).msg_op = Some(head.opcode);
            }
            continue;
        };
        let remaining = h.len - (*c).got;
        let n = (remaining.min(avail as u64)) as usize;
        if n > 0 {
            let target = if h.opcode >= 8 {
                &mut (*c).ctl
            } else if (*c).skip {
                ffi::evbuffer_drain(inbuf, n);
                (*c).got += n as u64;
                if (*c).got == h.len {
                    (*c).head = None;
                }
                continue;
            } else {
                &mut (*c).msg
            };
            let start = target.len();
            target.resize(start + n, 0);
            evbuffer_remove(inbuf, target[start..].as_mut_ptr() as *mut c_void, n);
            if let Some(mask) = h.mask {
                proto::apply_mask(&mut target[start..], mask, (*c).got);
            }
            (*c).got += n as u64;
        }
        if (*c).got < h.len {
            return;
        }
        (*c).head = None;
        if (*c).skip {
            (*c).skip = false;
            continue;
        }
        match h.opcode {
            proto::OP_CLOSE => close_frame(c),
            proto::OP_PING => {
                if (*c).phase == Phase::Open {
                    let payload = std::mem::take(&mut (*c).ctl);
                    put_frame(c, proto::OP_PONG, &payload);
                }
            }
            proto::OP_PONG => {}
            _ => data_frame(c, h.fin),
        }
    }
}

/// Whether a frame head is acceptable here; else the close code to fail with.
unsafe fn check_head(c: *mut WsConn, h: &Head) -> Result<(), u16> {
    if h.rsv != 0 || h.mask.is_some() == (*c).client {
        return Err(proto::CR_PROTO_ERR);
    }
    match h.opcode {
        proto::OP_CLOSE | proto::OP_PING | proto::OP_PONG => {
            if !h.fin || h.len > 125 {
                return Err(proto::CR_PROTO_ERR);
            }
        }
        proto::OP_CONT => {
            if (*c).msg_op.is_none() {
                return Err(proto::CR_PROTO_ERR);
            }
        }
        proto::OP_TEXT | proto::OP_BINARY => {
            if (*c).msg_op.is_some() {
                return Err(proto::CR_PROTO_ERR);
            }
        }
        _ => return Err(proto::CR_PROTO_ERR),
    }
    if h.opcode < 8 && (*c).phase == Phase::Open && ((*c).msg.len() as u64).saturating_add(h.len) > proto::MAX_MESSAGE {
        return Err(proto::CR_DATA_TOO_BIG);
    }
    Ok(())
}

/// A data frame is read: checks the text so far, and hands over a whole message.
unsafe fn data_frame(c: *mut WsConn, fin: bool) {
    if (*c).msg_op == Some(proto::OP_TEXT) {
        let from = (*c).utf8_ok;
        match std::str::from_utf8(&(&(*c).msg)[from..]) {
            Ok(_) => (*c).utf8_ok = (*c).msg.len(),
            Err(e) => {
                if e.error_len().is_some() || fin {
                    return fail(c, proto::CR_BAD_DATA);
                }
                (*c).utf8_ok = from + e.valid_up_to();
            }
        }
    }
    if !fin {
        return;
    }
    let op = (*c).msg_op.take().unwrap_or(proto::OP_BINARY);
    let mut m = std::mem::take(&mut (*c).msg);
    (*c).utf8_ok = 0;
    let len = m.len();
    // NUL-terminated, so a text message can be used as a C string.
    m.push(0);
    if let Some(cb) = (*c).on_msg {
        cb(c, op as c_int, m.as_ptr(), len, (*c).msg_arg);
    }
}

/// The peer's close frame: checked, answered (unless ours went first), then the end.
unsafe fn close_frame(c: *mut WsConn) {
    let p = std::mem::take(&mut (*c).ctl);
    let code = match p.len() {
        0 => proto::CR_NO_STATUS,
        1 => return fail(c, proto::CR_PROTO_ERR),
        _ => {
            let code = u16::from_be_bytes([p[0], p[1]]);
            if !proto::close_code_ok(code) {
                return fail(c, proto::CR_PROTO_ERR);
            }
            if std::str::from_utf8(&p[2..]).is_err() {
                return fail(c, proto::CR_BAD_DATA);
            }
            code
        }
    };
    (*c).close_code = code;
    if (*c).phase == Phase::Open {
        let echo = if code == proto::CR_NO_STATUS { 0 } else { code };
        put_frame(c, proto::OP_CLOSE, &close_payload(echo));
    }
    finish(c);
}
