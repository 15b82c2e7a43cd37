//! `struct evhttp_connection`: one HTTP connection over a bufferevent, incoming (the server
//! reads requests and writes replies) or outgoing (the client writes requests and reads
//! replies). The flow follows libevent's: the same states, the same moments at which callbacks
//! run, the same decisions on keep-alive and errors.
//!
//! Re-entrancy: every entry from the bufferevent or the loop holds the connection `busy`; a
//! connection freed meanwhile (by a callback, or by the library) is torn down at once (close
//! callback, requests, bufferevent, socket) but its memory is released only when the outermost
//! entry returns. After a user callback the code returns or re-checks `dead`.
use super::encode;
use super::ffi::{self, bufferevent, evbuffer, evdns_base, event, event_base};
use super::headers;
use super::parser::{self, Event, Framing, Kind, MessageParser, Phase};
use super::request::{self, Request};
use super::server::{self, Evhttp};
use super::uri::{self, Uri};
use libc::{c_char, c_int, c_short, c_void, sockaddr, sockaddr_storage, socklen_t, timeval};
use std::collections::VecDeque;
use std::ffi::{CStr, CString};
use std::ptr;

pub type CloseCb = unsafe extern "C" fn(*mut Connection, *mut c_void);
pub type ChunkSentCb = unsafe extern "C" fn(*mut Connection, *mut c_void);

// evcon->flags (public ones are in http.h)
pub const CON_INCOMING: c_int = 0x0001;
pub const CON_OUTGOING: c_int = 0x0002;
pub const CON_CLOSEDETECT: c_int = 0x0004;
pub const CON_REUSE_CONNECTED_ADDR: c_int = 0x0008;
pub const CON_READ_ON_WRITE_ERROR: c_int = 0x0010;
pub const CON_LINGERING_CLOSE: c_int = 0x0020;
pub const CON_PUBLIC_FLAGS_END: c_int = 0x100000;
pub const CON_AUTOFREE: c_int = CON_PUBLIC_FLAGS_END;
/// reading the reply after a write error (READ_ON_WRITE_ERROR); a second write error fails
const CON_READING_ERROR: c_int = CON_AUTOFREE << 1;

const HTTP_CONNECT_TIMEOUT: i64 = 45;
const HTTP_READ_TIMEOUT: i64 = 50;
const HTTP_WRITE_TIMEOUT: i64 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Disconnected,
    Connecting,
    Idle,
    ReadingFirstline,
    ReadingHeaders,
    ReadingBody,
    ReadingTrailer,
    Writing,
}

/// What to do once the output has been written.
#[derive(Clone, Copy)]
enum WriteDone {
    Nothing,
    /// the server's reply is out: next request or close
    SendDone,
    /// the "100 Continue" is out
    ContinueDone,
    /// the client's request is out: read the reply
    RequestSent,
    /// evhttp_send_reply_chunk_with_cb
    User(ChunkSentCb, *mut c_void),
}

pub struct Connection {
    pub bufev: *mut bufferevent,
    pub fd: c_int,
    pub address: CString,
    pub port: u16,
    pub bind_address: Option<CString>,
    pub bind_port: u16,
    pub http_server: *mut Evhttp,
    pub base: *mut event_base,
    pub dns_base: *mut evdns_base,
    pub requests: VecDeque<*mut Request>,
    pub state: State,
    pub flags: c_int,
    pub max_headers_size: u64,
    pub max_body_size: u64,
    /// evhttp_connection_set_{connect,read,write}_timeout_tv (None: the default)
    pub timeout_connect: Option<timeval>,
    pub timeout_read: Option<timeval>,
    pub timeout_write: Option<timeval>,
    /// evhttp_connection_set_ext_method_cmp (or the server's)
    pub ext_method_cmp: Option<server::ExtMethodCb>,
    /// a connection to a Unix-domain socket at this path
    pub unix_path: Option<CString>,
    pub retry_cnt: c_int,
    pub retry_max: c_int,
    pub initial_retry_timeout: timeval,
    retry_ev: *mut event,
    read_more_ev: *mut event,
    pub closecb: Option<CloseCb>,
    pub closecb_arg: *mut c_void,
    write_done: WriteDone,
    pub ai_family: c_int,
    /// the peer's address (evhttp_connection_get_addr)
    pub conn_address: sockaddr_storage,
    parser: MessageParser,
    /// while lingering on a too-large body: bytes still to drain before answering 413
    lingering: Option<u64>,
    /// the peer is gone (READ_ON_WRITE_ERROR): what is buffered is all there will be
    input_ended: bool,
    busy: u32,
    dead: bool,
}

/// Runs `f` with the connection held busy; releases it afterwards if it was freed meanwhile.
unsafe fn hold<R>(c: *mut Connection, f: impl FnOnce() -> R) -> R {
    (*c).busy += 1;
    let r = f();
    (*c).busy -= 1;
    if (*c).busy == 0 && (*c).dead {
        release(c);
    }
    r
}

unsafe fn release(c: *mut Connection) {
    let cc = &mut *c;
    if !cc.retry_ev.is_null() {
        ffi::event_free(cc.retry_ev);
    }
    if !cc.read_more_ev.is_null() {
        ffi::event_free(cc.read_more_ev);
    }
    drop(Box::from_raw(c));
}

fn tv(sec: i64) -> timeval {
    timeval { tv_sec: sec, tv_usec: 0 }
}

unsafe fn front(c: *mut Connection) -> *mut Request {
    (*c).requests.front().copied().unwrap_or(ptr::null_mut())
}

unsafe fn remove_request(c: *mut Connection, r: *mut Request) {
    if let Some(i) = (*c).requests.iter().position(|&x| x == r) {
        (*c).requests.remove(i);
    }
}

unsafe fn input(c: *mut Connection) -> *mut evbuffer {
    ffi::bufferevent_get_input((*c).bufev)
}

unsafe fn output(c: *mut Connection) -> *mut evbuffer {
    ffi::bufferevent_get_output((*c).bufev)
}

unsafe fn add_bytes(b: *mut evbuffer, data: &[u8]) {
    ffi::evbuffer_add(b, data.as_ptr() as *const c_void, data.len());
}

unsafe fn cstr_bytes<'a>(p: *const c_char) -> &'a [u8] {
    if p.is_null() {
        b""
    } else {
        CStr::from_ptr(p).to_bytes()
    }
}

pub fn connected(c: &Connection) -> bool {
    !matches!(c.state, State::Disconnected | State::Connecting)
}

/// evhttp_connection_base_bufferevent_new: a connection over `bev` (a new socket bufferevent
/// when NULL) to address:port.
///
/// # Safety
/// `bev` is NULL or a bufferevent without callbacks the program still needs.
pub unsafe fn new(
    base: *mut event_base,
    dns: *mut evdns_base,
    mut bev: *mut bufferevent,
    address: &[u8],
    port: u16,
) -> *mut Connection {
    if bev.is_null() {
        bev = ffi::bufferevent_socket_new(base, -1, ffi::BEV_OPT_CLOSE_ON_FREE);
        if bev.is_null() {
            return ptr::null_mut();
        }
    }
    let c = Box::into_raw(Box::new(Connection {
        bufev: bev,
        fd: -1,
        address: CString::new(address).unwrap_or_default(),
        port,
        bind_address: None,
        bind_port: 0,
        http_server: ptr::null_mut(),
        base,
        dns_base: dns,
        requests: VecDeque::new(),
        state: State::Disconnected,
        flags: 0,
        max_headers_size: u64::MAX,
        max_body_size: u64::MAX,
        timeout_connect: None,
        timeout_read: None,
        timeout_write: None,
        ext_method_cmp: None,
        unix_path: None,
        retry_cnt: 0,
        retry_max: 0,
        initial_retry_timeout: tv(2),
        retry_ev: ptr::null_mut(),
        read_more_ev: ptr::null_mut(),
        closecb: None,
        closecb_arg: ptr::null_mut(),
        write_done: WriteDone::Nothing,
        ai_family: libc::AF_UNSPEC,
        // SAFETY: an all-zero sockaddr_storage is an unspecified address.
        conn_address: std::mem::zeroed(),
        parser: MessageParser::new(Kind::Request, u64::MAX, u64::MAX),
        lingering: None,
        input_ended: false,
        busy: 0,
        dead: false,
    }));
    if !base.is_null() && ffi::bufferevent_get_base(bev) != base {
        ffi::bufferevent_base_set(base, bev);
    }
    if (*c).base.is_null() {
        (*c).base = ffi::bufferevent_get_base(bev);
    }
    set_callbacks(c, true, true);
    c
}

/// Reads the input again on the next loop turn (not recursively now). The event is made the
/// first time a connection needs it: most never do, and it is 128 bytes each.
unsafe fn read_more_later(c: *mut Connection) {
    if (*c).read_more_ev.is_null() {
        (*c).read_more_ev = ffi::event_new((*c).base, -1, 0, Some(deferred_read_cb), c as *mut c_void);
        if (*c).read_more_ev.is_null() {
            return;
        }
    }
    ffi::event_active((*c).read_more_ev, ffi::EV_READ as c_int, 1);
}

unsafe fn set_callbacks(c: *mut Connection, read: bool, write: bool) {
    ffi::bufferevent_setcb(
        (*c).bufev,
        if read { Some(read_cb) } else { None },
        if write { Some(write_cb) } else { None },
        Some(event_cb),
        c as *mut c_void,
    );
}

/// evhttp_connection_set_timeout_tv: both directions; None restores the client's defaults.
///
/// # Safety
/// `c` is a live connection.
pub unsafe fn set_timeout(c: *mut Connection, t: Option<timeval>) {
    (*c).timeout_connect = t;
    (*c).timeout_read = t;
    (*c).timeout_write = t;
    match t {
        Some(t) => {
            ffi::bufferevent_set_timeouts((*c).bufev, &t, &t);
        }
        None => {
            let (r, w) = (tv(HTTP_READ_TIMEOUT), tv(HTTP_WRITE_TIMEOUT));
            ffi::bufferevent_set_timeouts((*c).bufev, &r, &w);
        }
    }
}

/// Whether the program gave the connection a timeout of its own.
pub fn has_timeout(c: &Connection) -> bool {
    c.timeout_connect.is_some() || c.timeout_read.is_some() || c.timeout_write.is_some()
}

/// Which of a connection's timeouts a setter changes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Timeout {
    Connect,
    Read,
    Write,
}

/// evhttp_connection_set_{connect,read,write}_timeout_tv: one timeout (None, or zero, for the
/// default), in force at once when its phase is the current one.
///
/// # Safety
/// `c` is a live connection.
pub unsafe fn set_one_timeout(c: *mut Connection, which: Timeout, t: Option<timeval>) {
    let t = t.filter(|t| t.tv_sec != 0 || t.tv_usec != 0);
    match which {
        Timeout::Connect => (*c).timeout_connect = t,
        Timeout::Read => (*c).timeout_read = t,
        Timeout::Write => (*c).timeout_write = t,
    }
    if (*c).bufev.is_null() {
        return;
    }
    match ((*c).state, which) {
        (State::Connecting, Timeout::Connect) => apply_connect_timeout(c),
        (State::Connecting, _) | (_, Timeout::Connect) => {}
        _ => apply_rw_timeouts(c),
    }
}

/// The server's separate read and write timeouts for an accepted connection.
///
/// # Safety
/// `c` is a live connection.
pub unsafe fn set_rw_timeouts(c: *mut Connection, r: Option<timeval>, w: Option<timeval>) {
    (*c).timeout_read = r;
    (*c).timeout_write = w;
    apply_rw_timeouts(c);
}

unsafe fn apply_connect_timeout(c: *mut Connection) {
    let t = (*c).timeout_connect.unwrap_or(tv(HTTP_CONNECT_TIMEOUT));
    ffi::bufferevent_set_timeouts((*c).bufev, &t, &t);
}

/// The read and write timeouts once connected: the program's, else (on a client) libevent's
/// defaults; an accepted connection has none unless given.
unsafe fn apply_rw_timeouts(c: *mut Connection) {
    let incoming = (*c).flags & CON_INCOMING != 0;
    let pick = |t: Option<timeval>, d: i64| t.or(if incoming { None } else { Some(tv(d)) });
    let (r, w) = (pick((*c).timeout_read, HTTP_READ_TIMEOUT), pick((*c).timeout_write, HTTP_WRITE_TIMEOUT));
    ffi::bufferevent_set_timeouts(
        (*c).bufev,
        r.as_ref().map_or(ptr::null(), |t| t),
        w.as_ref().map_or(ptr::null(), |t| t),
    );
}

/// evhttp_connection_free: the close callback (when connected), the queued requests, the
/// bufferevent and the socket go now; the memory once no callback of the connection runs.
///
/// # Safety
/// `c` is a live connection (a second free while the first is pending is ignored).
pub unsafe fn free(c: *mut Connection) {
    if (*c).dead {
        return;
    }
    (*c).dead = true;
    (*c).busy += 1;
    if (*c).fd != -1 && connected(&*c) {
        if let Some(cb) = (*c).closecb {
            cb(c, (*c).closecb_arg);
        }
    }
    while let Some(r) = (*c).requests.pop_front() {
        request::free_auto(r);
    }
    if !(*c).http_server.is_null() {
        server::forget_connection((*c).http_server, c);
        (*c).http_server = ptr::null_mut();
    }
    if !(*c).retry_ev.is_null() {
        ffi::event_del((*c).retry_ev);
    }
    if !(*c).read_more_ev.is_null() {
        ffi::event_del((*c).read_more_ev);
    }
    if !(*c).bufev.is_null() {
        if (*c).fd == -1 {
            (*c).fd = ffi::bufferevent_getfd((*c).bufev);
        }
        // Our bufferevents close their socket when freed; one from the program may not, and
        // libevent then closes it here: it cannot tell from outside, so neither do we, and the
        // shutdown below tells the peer either way.
        ffi::bufferevent_setcb((*c).bufev, None, None, None, ptr::null_mut());
        if (*c).fd != -1 {
            libc::shutdown((*c).fd, libc::SHUT_WR);
        }
        ffi::bufferevent_free((*c).bufev);
        (*c).bufev = ptr::null_mut();
    }
    (*c).busy -= 1;
    if (*c).busy == 0 {
        release(c);
    }
}

// ---- bufferevent callbacks

unsafe extern "C" fn deferred_read_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let c = arg as *mut Connection;
    if !(*c).dead && !(*c).bufev.is_null() {
        read_cb((*c).bufev, arg);
    }
}

unsafe extern "C" fn read_cb(_bev: *mut bufferevent, arg: *mut c_void) {
    let c = arg as *mut Connection;
    hold(c, || {
        if (*c).dead {
            return;
        }
        if !(*c).read_more_ev.is_null() {
            ffi::event_del((*c).read_more_ev);
        }
        match (*c).state {
            State::ReadingFirstline | State::ReadingHeaders | State::ReadingBody | State::ReadingTrailer => {
                read_input(c)
            }
            State::Idle => reset(c),
            // libevent aborts here; data arriving while a reply is pending just waits.
            _ => {}
        }
    })
}

unsafe extern "C" fn write_cb(_bev: *mut bufferevent, arg: *mut c_void) {
    let c = arg as *mut Connection;
    hold(c, || {
        if (*c).dead {
            return;
        }
        match (*c).write_done {
            WriteDone::Nothing => {}
            WriteDone::SendDone => send_done(c),
            WriteDone::ContinueDone => {
                ffi::bufferevent_disable((*c).bufev, ffi::EV_WRITE);
            }
            WriteDone::RequestSent => request_sent(c),
            WriteDone::User(cb, arg) => cb(c, arg),
        }
    })
}

unsafe extern "C" fn event_cb(bev: *mut bufferevent, what: c_short, arg: *mut c_void) {
    let c = arg as *mut Connection;
    hold(c, || {
        if (*c).dead {
            return;
        }
        if (*c).state == State::Connecting {
            connect_event(c, bev, what);
        } else {
            error_event(c, bev, what);
        }
    })
}

unsafe fn error_event(c: *mut Connection, bev: *mut bufferevent, what: c_short) {
    let req = front(c);
    if (*c).fd == -1 {
        (*c).fd = ffi::bufferevent_getfd(bev);
    }
    if (*c).state == State::ReadingBody && !req.is_null() {
        let until_close = (*c).parser.body.as_ref().is_some_and(|b| b.framing == Framing::UntilClose);
        if until_close && what == (ffi::BEV_EVENT_READING | ffi::BEV_EVENT_EOF) {
            // A body that runs to the end of the connection is complete.
            (*c).parser.at_eof();
            connection_done(c);
            return;
        }
    }
    if (*c).flags & CON_CLOSEDETECT != 0 {
        // An idle persistent client connection: the server closed it.
        (*c).flags &= !CON_CLOSEDETECT;
        reset(c);
        if (*c).requests.is_empty() && (*c).flags & CON_OUTGOING != 0 && (*c).flags & CON_AUTOFREE != 0 {
            free(c);
        }
        return;
    }
    if req.is_null() {
        // Nothing to report to: an idle connection went away.
        if (*c).flags & CON_INCOMING != 0 {
            free(c);
        } else {
            reset(c);
        }
        return;
    }
    if what & ffi::BEV_EVENT_TIMEOUT != 0 {
        fail(c, request::ERR_TIMEOUT);
    } else if what & (ffi::BEV_EVENT_EOF | ffi::BEV_EVENT_ERROR) != 0 {
        if (*c).flags & CON_READ_ON_WRITE_ERROR != 0 {
            if what & ffi::BEV_EVENT_WRITING != 0 {
                read_on_write_error(c, req);
                return;
            }
            if what & ffi::BEV_EVENT_READING != 0 && ffi::evbuffer_get_length(input(c)) > 0 {
                // The peer answered, then went away: read its answer, then stop.
                (*c).input_ended = true;
                if (*c).state == State::Writing {
                    read_on_write_error(c, req);
                } else {
                    read_more_later(c);
                }
                return;
            }
        }
        fail(c, request::ERR_EOF);
    } else if what == ffi::BEV_EVENT_CONNECTED {
    } else {
        fail(c, request::ERR_BUFFER_ERROR);
    }
}

/// EVHTTP_CON_READ_ON_WRITE_ERROR: the request could not be written, but the peer may have
/// answered before closing (a 413 or 417 to a large upload): forget the rest of the request and
/// read the reply. The flag stays set for the connection's next requests.
unsafe fn read_on_write_error(c: *mut Connection, req: *mut Request) {
    if (*c).flags & CON_READING_ERROR != 0 {
        (*c).flags &= !CON_READING_ERROR;
        fail(c, request::ERR_EOF);
        return;
    }
    ffi::bufferevent_disable((*c).bufev, ffi::EV_WRITE);
    ffi::evbuffer_drain(output(c), usize::MAX);
    (*req).kind = request::KIND_RESPONSE;
    start_read(c);
    (*c).flags |= CON_READING_ERROR;
}

// ---- reading messages

/// Starts reading the next message (the request on a server, the reply on a client).
///
/// # Safety
/// `c` is a live connection with a request queued.
pub unsafe fn start_read(c: *mut Connection) {
    ffi::bufferevent_disable((*c).bufev, ffi::EV_WRITE);
    ffi::bufferevent_enable((*c).bufev, ffi::EV_READ);
    (*c).state = State::ReadingFirstline;
    let kind = if (*c).flags & CON_INCOMING != 0 { Kind::Request } else { Kind::Response };
    (*c).parser = MessageParser::new(kind, (*c).max_headers_size, (*c).max_body_size);
    (*c).lingering = None;
    set_callbacks(c, true, true);
    // Bytes already here (pipelined) are read on the next loop turn, not recursively now.
    if ffi::evbuffer_get_length(input(c)) > 0 {
        read_more_later(c);
    }
}

unsafe fn read_input(c: *mut Connection) {
    loop {
        let req = front(c);
        if req.is_null() || (*c).dead {
            return;
        }
        if body_waits(c, req) {
            ffi::bufferevent_disable((*c).bufev, ffi::EV_READ);
            return;
        }
        let inp = input(c);
        let avail = ffi::evbuffer_get_length(inp);
        if let Some(left) = (*c).lingering {
            let n = (avail as u64).min(left) as usize;
            ffi::evbuffer_drain(inp, n);
            (*c).lingering = Some(left - n as u64);
            if left == n as u64 {
                fail(c, request::ERR_DATA_TOO_LONG);
            }
            return;
        }
        let bytes: &[u8] = if (*c).parser.wants_bytes() && avail > 0 {
            let p = ffi::evbuffer_pullup(inp, -1);
            if p.is_null() {
                &[]
            } else {
                std::slice::from_raw_parts(p, avail)
            }
        } else {
            &[]
        };
        let (used, ev) = (*c).parser.step(bytes, avail, (*req).input_headers);
        if used > 0 {
            ffi::evbuffer_drain(inp, used);
        }
        (*req).headers_size = (*c).parser.headers_size as usize;
        (*c).state = match (*c).parser.phase {
            Phase::FirstLine => State::ReadingFirstline,
            Phase::Headers | Phase::HeadDone => State::ReadingHeaders,
            Phase::Body | Phase::Done => State::ReadingBody,
            Phase::Trailer => State::ReadingTrailer,
        };
        match ev {
            Event::NeedMore if (*c).input_ended => {
                // Nothing more will come: a reply read to the close is complete, others are cut.
                if (*c).parser.at_eof() {
                    connection_done(c);
                } else {
                    fail(c, request::ERR_EOF);
                }
                return;
            }
            Event::NeedMore => return,
            Event::FirstLine => {
                if !took_first_line(c, req) {
                    fail(c, request::ERR_INVALID_HEADER);
                    return;
                }
            }
            Event::HeadDone => {
                if !head_done(c, req) {
                    return;
                }
            }
            Event::Data { n, chunk_end } => {
                ffi::evbuffer_remove_buffer(inp, (*req).input_buffer, n);
                if let Some(b) = &(*c).parser.body {
                    (*req).body_size = b.body_size as usize;
                    (*req).ntoread = b.ntoread;
                }
                let chunked = (*req).chunked();
                if let (Some(cb), true) = ((*req).body_cb, (*c).flags & CON_INCOMING != 0) {
                    // A streamed body: the piece goes to the program now.
                    let arg = (*req).body_cb_arg;
                    let buf = (*req).input_buffer;
                    if run_guarded(c, req, || cb(req, buf, arg)).is_none() || front(c) != req {
                        return;
                    }
                    if ffi::evbuffer_get_length((*req).input_buffer) > request::BODY_HELD_MAX {
                        (*req).body_held = true;
                    }
                    continue;
                }
                if let Some(cb) = (*req).chunk_cb {
                    if !chunked || chunk_end {
                        (*req).flags |= request::DEFER_FREE;
                        cb(req, (*req).cb_arg);
                        if (*c).dead {
                            // The callback freed the connection, and the request with it.
                            (*req).flags &= !request::DEFER_FREE;
                            if (*req).flags & request::NEEDS_FREE != 0 {
                                (*req).flags &= !request::NEEDS_FREE;
                                request::free(req);
                            }
                            return;
                        }
                        ffi::evbuffer_drain((*req).input_buffer, usize::MAX);
                        (*req).flags &= !request::DEFER_FREE;
                        if (*req).flags & request::NEEDS_FREE != 0 {
                            // Cancelled from its chunk callback.
                            (*req).flags &= !request::NEEDS_FREE;
                            remove_request(c, req);
                            request::free_auto(req);
                            reset(c);
                            return;
                        }
                    }
                }
            }
            Event::Done => {
                ffi::bufferevent_disable((*c).bufev, ffi::EV_READ);
                connection_done(c);
                return;
            }
            Event::Error(e) => {
                let err = match e {
                    parser::Error::FirstLine(_)
                    | parser::Error::Headers(_)
                    | parser::Error::Framing
                    | parser::Error::ChunkSize => request::ERR_INVALID_HEADER,
                    parser::Error::Body(_) | parser::Error::Trailer(_) => request::ERR_DATA_TOO_LONG,
                };
                if let (parser::Error::Body(parser::Status::TooLong), Some(b)) = (e, &(*c).parser.body) {
                    if let Framing::Length(_) = b.framing {
                        lingering_fail(c, b.ntoread.max(0) as u64);
                        return;
                    }
                }
                fail(c, err);
                return;
            }
        }
    }
}

/// Fills the request from its first line; false when the target cannot be parsed.
unsafe fn took_first_line(c: *mut Connection, req: *mut Request) -> bool {
    if let (Some(cmp), Some(rl)) = ((*c).ext_method_cmp, &(*c).parser.request) {
        if rl.method == parser::REQ_UNKNOWN {
            // The program's callback may know the method; it runs with nothing borrowed.
            let name = rl.name.clone();
            if let Some((t, flags)) = server::ext_method_by_name(cmp, &name) {
                if (*c).dead {
                    return true;
                }
                if let Some(rl) = (*c).parser.request.as_mut() {
                    rl.method = t;
                }
                (*c).parser.method_has_body = Some(flags & server::METHOD_HAS_BODY != 0);
                (*req).ext_method = true;
            }
        }
    }
    let p = &(*c).parser;
    if let Some(rl) = &p.request {
        (*req).type_ = rl.method;
        (*req).major = rl.major as c_char;
        (*req).minor = rl.minor as c_char;
        Request::set_string(&mut (*req).uri, Some(&rl.uri));
        let parsed = if rl.method == parser::REQ_CONNECT {
            uri::Uri::parse_authority(&rl.uri)
        } else {
            Uri::parse(&rl.uri, uri::NONCONFORMANT)
        };
        let Some(u) = parsed else { return false };
        // An absolute URI naming a host we do not serve is a proxy request.
        let is_http = u
            .scheme
            .as_ref()
            .is_some_and(|s| s.as_bytes().eq_ignore_ascii_case(b"http") || s.as_bytes().eq_ignore_ascii_case(b"https"));
        let foreign = match (&u.host, is_http) {
            (Some(h), true) => {
                !(*c).http_server.is_null() && server::find_vhost((*c).http_server, h.as_bytes()).is_none()
            }
            _ => false,
        };
        if foreign {
            (*req).flags |= request::PROXY_REQUEST;
        }
        if !(*req).uri_elems.is_null() {
            drop(Box::from_raw((*req).uri_elems));
        }
        (*req).uri_elems = Box::into_raw(Box::new(u));
    } else if let Some(sl) = &p.status {
        (*req).major = sl.major as c_char;
        (*req).minor = sl.minor as c_char;
        (*req).response_code = sl.code;
        Request::set_string(&mut (*req).response_code_line, Some(&sl.reason));
    }
    true
}

/// The head is read: header callback, body framing, Expect. False when reading stops here.
unsafe fn head_done(c: *mut Connection, req: *mut Request) -> bool {
    if let Some(hcb) = (*req).header_cb {
        if hcb(req, (*req).cb_arg) < 0 {
            if !(*c).dead {
                fail(c, request::ERR_EOF);
            }
            return false;
        }
        if (*c).dead || front(c) != req {
            return false;
        }
    }
    let incoming = (*c).flags & CON_INCOMING != 0;
    if !incoming && (*req).response_code == 100 {
        // "100 Continue": send the body held back, then read the real reply.
        ffi::evbuffer_add_buffer(output(c), (*req).output_buffer);
        headers::clear((*req).input_headers);
        start_write(c);
        return false;
    }
    let framing = match (*c).parser.framing((*req).input_headers, (*req).type_) {
        Ok(f) => f,
        Err(_) => {
            fail(c, request::ERR_INVALID_HEADER);
            return false;
        }
    };
    (*req).set_chunked(framing == Framing::Chunked);
    (*req).ntoread = match framing {
        Framing::Length(n) => n as i64,
        Framing::None => 0,
        _ => -1,
    };
    if framing == Framing::None {
        (*c).parser.begin_body(Framing::None);
        (*c).parser.phase = Phase::Done;
        connection_done(c);
        return false;
    }
    (*c).state = State::ReadingBody;
    let streamed = incoming && (*req).body_cb.is_some();
    if streamed {
        if let Some(start) = (*req).body_start_cb {
            let arg = (*req).body_cb_arg;
            let Some(code) = run_guarded(c, req, || start(req, arg)) else { return false };
            if front(c) != req {
                return false;
            }
            if code != 0 {
                // The program refuses the body: answer now (without reading it), then close.
                let code = if (100..600).contains(&code) { code } else { 400 };
                ffi::bufferevent_disable((*c).bufev, ffi::EV_READ);
                (*c).state = State::Writing;
                send_error(req, code, None);
                return false;
            }
        }
    }
    if incoming && (*req).version_at_least(1, 1) {
        if let Some(expect) = headers::find_bytes((*req).input_headers, b"Expect") {
            if expect.eq_ignore_ascii_case(b"100-continue") {
                if let Framing::Length(n) = framing {
                    if n > (*c).max_body_size {
                        lingering_fail(c, n);
                        return false;
                    }
                }
                if ffi::evbuffer_get_length(input(c)) == 0 {
                    send_continue(c, req);
                }
            } else {
                send_error(req, 417, None);
                return false;
            }
        }
    }
    (*c).parser.stream = (*req).chunk_cb.is_some() || streamed;
    (*c).parser.stream_pieces = streamed;
    (*c).parser.begin_body(framing);
    true
}

/// Whether a streamed body waits for the program (paused, or too much left unread).
unsafe fn body_waits(c: *mut Connection, req: *mut Request) -> bool {
    (*c).flags & CON_INCOMING != 0
        && (*req).body_cb.is_some()
        && ((*req).body_paused || (*req).body_held)
        && (*c).parser.phase == Phase::Body
}

/// evhttp_request_pause_body: the server stops reading the request's body (and the socket).
///
/// # Safety
/// `req` is a live request.
pub unsafe fn pause_body(req: *mut Request) {
    (*req).body_paused = true;
    let c = (*req).evcon;
    if !c.is_null()
        && !(*c).dead
        && front(c) == req
        && (*c).state == State::ReadingBody
        && (*c).flags & CON_INCOMING != 0
    {
        ffi::bufferevent_disable((*c).bufev, ffi::EV_READ);
    }
}

/// evhttp_request_resume_body: reading goes on (bytes already received are handed over on the
/// next loop turn). Still waits while the program leaves more than BODY_HELD_MAX bytes unread.
///
/// # Safety
/// `req` is a live request.
pub unsafe fn resume_body(req: *mut Request) {
    (*req).body_paused = false;
    (*req).body_held = ffi::evbuffer_get_length((*req).input_buffer) > request::BODY_HELD_MAX;
    let c = (*req).evcon;
    if c.is_null() || (*c).dead || front(c) != req || (*c).flags & CON_INCOMING == 0 || (*req).body_held {
        return;
    }
    if matches!((*c).state, State::ReadingBody | State::ReadingTrailer) {
        ffi::bufferevent_enable((*c).bufev, ffi::EV_READ);
        // Even with nothing buffered: the body may be complete, waiting to be finished.
        ffi::event_active((*c).read_more_ev, ffi::EV_READ as c_int, 1);
    }
}

unsafe fn send_continue(c: *mut Connection, req: *mut Request) {
    ffi::bufferevent_enable((*c).bufev, ffi::EV_WRITE);
    let line = format!("HTTP/{}.{} 100 Continue\r\n\r\n", (*req).major, (*req).minor);
    add_bytes(output(c), line.as_bytes());
    (*c).write_done = WriteDone::ContinueDone;
    set_callbacks(c, true, true);
}

/// A body larger than allowed: answer 413 now, or (lingering close) after reading it.
unsafe fn lingering_fail(c: *mut Connection, remaining: u64) {
    if (*c).flags & CON_LINGERING_CLOSE != 0 && remaining > 0 {
        (*c).lingering = Some(remaining);
        read_input(c);
    } else {
        fail(c, request::ERR_DATA_TOO_LONG);
    }
}

/// A whole message is read: the server hands the request to the program; the client hands
/// over the reply and goes on with the next request.
unsafe fn connection_done(c: *mut Connection) {
    let req = front(c);
    if req.is_null() {
        return;
    }
    let outgoing = (*c).flags & CON_OUTGOING != 0;
    let mut free_evcon = false;
    if outgoing {
        let need_close = request_wants_close(req);
        remove_request(c, req);
        (*req).evcon = ptr::null_mut();
        (*c).state = State::Idle;
        if need_close {
            reset(c);
        }
        if !(*c).requests.is_empty() {
            if !connected(&*c) {
                connect(c);
            } else {
                dispatch(c);
            }
        } else if !need_close {
            start_detectclose(c);
        } else if (*c).flags & CON_AUTOFREE != 0 {
            free_evcon = true;
        }
    } else {
        (*c).state = State::Writing;
    }
    if let Some(cb) = (*req).cb {
        cb(req, (*req).cb_arg);
    }
    if outgoing {
        request::free_auto(req);
    }
    if free_evcon && !(*c).dead && (*c).requests.is_empty() {
        free(c);
    }
}

/// evhttp_connection_fail_: on a server, answer 400/413 or drop the connection; on a client,
/// report the error and go on with the next request.
///
/// # Safety
/// `c` is a live connection with a request queued.
pub unsafe fn fail(c: *mut Connection, error: libc::c_uint) {
    let req = front(c);
    if req.is_null() {
        return;
    }
    ffi::bufferevent_disable((*c).bufev, ffi::EV_READ | ffi::EV_WRITE);
    if (*c).flags & CON_INCOMING != 0 {
        if incoming_fail(req, error) {
            free(c);
        }
        return;
    }
    let error_cb = (*req).error_cb;
    let arg = (*req).cb_arg;
    let cb = if error != request::ERR_REQUEST_CANCEL { (*req).cb } else { None };
    remove_request(c, req);
    request::free_auto(req);
    reset(c);
    if !(*c).requests.is_empty() {
        connect(c);
    } else if (*c).flags & CON_OUTGOING != 0 && (*c).flags & CON_AUTOFREE != 0 {
        free(c);
    }
    if let Some(ecb) = error_cb {
        ecb(error, arg);
    }
    if let Some(cb) = cb {
        cb(ptr::null_mut(), arg);
    }
}

/// A failed incoming request: true when the connection is simply to be dropped.
unsafe fn incoming_fail(req: *mut Request, error: libc::c_uint) -> bool {
    (*req).response_code = if error == request::ERR_DATA_TOO_LONG { 413 } else { 400 };
    match error {
        request::ERR_TIMEOUT | request::ERR_EOF => {
            if !(*req).userdone() {
                // The program still holds the request: it survives the connection, and its
                // reply later only frees it.
                let c = (*req).evcon;
                remove_request(c, req);
                (*req).evcon = ptr::null_mut();
            }
            true
        }
        _ => {
            Request::set_string(&mut (*req).uri, None);
            if !(*req).uri_elems.is_null() {
                drop(Box::from_raw((*req).uri_elems));
                (*req).uri_elems = ptr::null_mut();
            }
            if let Some(cb) = (*req).cb {
                cb(req, (*req).cb_arg);
            }
            false
        }
    }
}

// ---- writing

/// Writes the output, then runs `done`; reading stays on to notice a close, without a read
/// callback (bytes that arrive wait for the next request).
unsafe fn write_buffer(c: *mut Connection, done: WriteDone) {
    (*c).write_done = done;
    set_callbacks(c, false, true);
    ffi::bufferevent_enable((*c).bufev, ffi::EV_READ | ffi::EV_WRITE);
}

unsafe fn start_write(c: *mut Connection) {
    ffi::bufferevent_disable((*c).bufev, ffi::EV_WRITE);
    ffi::bufferevent_enable((*c).bufev, ffi::EV_READ);
    (*c).state = State::Writing;
    write_buffer(c, WriteDone::RequestSent);
}

fn response_has_body(req: &Request) -> bool {
    parser::response_has_body(req.response_code, req.type_)
}

unsafe fn is_connection_close(flags: c_int, h: *const headers::EvKeyValQ) -> bool {
    if flags & request::PROXY_REQUEST != 0 {
        !headers::find_bytes(h, b"Proxy-Connection").is_some_and(|v| v.eq_ignore_ascii_case(b"keep-alive"))
    } else {
        headers::find_bytes(h, b"Connection").is_some_and(|v| v.eq_ignore_ascii_case(b"close"))
    }
}

unsafe fn request_wants_close(req: *mut Request) -> bool {
    if (*req).type_ == parser::REQ_CONNECT {
        return false;
    }
    is_connection_close((*req).flags, (*req).input_headers) || is_connection_close((*req).flags, (*req).output_headers)
}

unsafe fn is_keepalive(h: *const headers::EvKeyValQ) -> bool {
    headers::find_bytes(h, b"Connection").is_some_and(|v| v.len() >= 10 && v[..10].eq_ignore_ascii_case(b"keep-alive"))
}

/// "Thu, 01 Jan 1970 00:00:00 GMT"
fn http_date() -> String {
    // SAFETY: time() and gmtime_r() with valid pointers.
    unsafe {
        let t = libc::time(ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        libc::gmtime_r(&t, &mut tm);
        const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        format!(
            "{}, {:02} {} {:4} {:02}:{:02}:{:02} GMT",
            DAYS[tm.tm_wday as usize % 7],
            tm.tm_mday,
            MONTHS[tm.tm_mon as usize % 12],
            tm.tm_year + 1900,
            tm.tm_hour,
            tm.tm_min,
            tm.tm_sec
        )
    }
}

/// Writes the first line and headers (adding those libevent adds), then the body.
unsafe fn make_header(c: *mut Connection, req: *mut Request) {
    let out = output(c);
    let q = &mut *req;
    let oh = q.output_headers;
    if q.kind == request::KIND_REQUEST {
        headers::remove(oh, b"Proxy-Connection");
        let method: Vec<u8> = match parser::method_name(q.type_) {
            Some(m) => m.as_bytes().to_vec(),
            None => (*c)
                .ext_method_cmp
                .and_then(|cmp| server::ext_method_by_type(cmp, q.type_))
                .unwrap_or_else(|| b"NULL".to_vec()),
        };
        add_bytes(out, &method);
        let line = format!(" {} HTTP/{}.{}\r\n", String::from_utf8_lossy(cstr_bytes(q.uri)), q.major, q.minor);
        add_bytes(out, line.as_bytes());
        if (q.type_ == parser::REQ_POST || q.type_ == parser::REQ_PUT)
            && q.upload == request::Upload::No
            && headers::find(oh, b"Content-Length").is_null()
        {
            let n = ffi::evbuffer_get_length(q.output_buffer).to_string();
            headers::add(oh, b"Content-Length", n.as_bytes());
        }
    } else {
        let keepalive = is_keepalive(q.input_headers);
        let line = format!("HTTP/{}.{} {} ", q.major, q.minor, q.response_code);
        add_bytes(out, line.as_bytes());
        add_bytes(out, cstr_bytes(q.response_code_line));
        add_bytes(out, b"\r\n");
        if q.major == 1 {
            if q.minor >= 1 && headers::find(oh, b"Date").is_null() {
                headers::add(oh, b"Date", http_date().as_bytes());
            }
            if q.minor == 0 && keepalive {
                headers::add(oh, b"Connection", b"keep-alive");
            }
            if (q.minor >= 1 || keepalive)
                && response_has_body(q)
                && headers::find(oh, b"Transfer-Encoding").is_null()
                && headers::find(oh, b"Content-Length").is_null()
            {
                let n = ffi::evbuffer_get_length(q.output_buffer).to_string();
                headers::add(oh, b"Content-Length", n.as_bytes());
            }
        }
        if response_has_body(q) && headers::find(oh, b"Content-Type").is_null() {
            if let Some(ct) = (*c).http_server.as_ref().and_then(|h| h.default_content_type.as_ref()) {
                headers::add(oh, b"Content-Type", ct.as_bytes());
            }
        }
        if is_connection_close(q.flags, q.input_headers) {
            headers::remove(oh, b"Connection");
            if q.flags & request::PROXY_REQUEST == 0 {
                headers::add(oh, b"Connection", b"close");
            }
            headers::remove(oh, b"Proxy-Connection");
        }
    }
    for e in headers::iter(oh) {
        add_bytes(out, headers::key(e));
        add_bytes(out, b": ");
        add_bytes(out, headers::value(e));
        add_bytes(out, b"\r\n");
    }
    add_bytes(out, b"\r\n");
    let expecting = q.kind == request::KIND_REQUEST
        && q.version_at_least(1, 1)
        && headers::find_bytes(oh, b"Expect").is_some_and(|v| v.eq_ignore_ascii_case(b"100-continue"));
    if q.kind == request::KIND_RESPONSE && !response_has_body(q) && q.type_ != parser::REQ_CONNECT {
        // HEAD, 1xx, 204 and 304 replies have no body (libevent sends it anyway, which breaks
        // the framing of the next reply on a persistent connection). After a CONNECT reply
        // the bytes are the tunnel's: they are sent, as libevent does.
        ffi::evbuffer_drain(q.output_buffer, usize::MAX);
    } else if !expecting && ffi::evbuffer_get_length(q.output_buffer) > 0 {
        ffi::evbuffer_add_buffer(out, q.output_buffer);
    }
}

/// evhttp_send: queues the whole reply.
unsafe fn send(req: *mut Request, databuf: *mut evbuffer) {
    let c = (*req).evcon;
    if c.is_null() {
        request::free(req);
        return;
    }
    if front(c) != req {
        return;
    }
    (*req).set_userdone(true);
    if !databuf.is_null() {
        ffi::evbuffer_add_buffer((*req).output_buffer, databuf);
    }
    make_header(c, req);
    write_buffer(c, WriteDone::SendDone);
}

/// evhttp_send_reply.
///
/// # Safety
/// `req` is a live request; `databuf` NULL or a buffer.
pub unsafe fn send_reply(req: *mut Request, code: c_int, reason: Option<&[u8]>, databuf: *mut evbuffer) {
    request::set_response(req, code, reason);
    send(req, databuf);
}

/// An HTML page sent with "Connection: close" (errors and the default 404).
unsafe fn send_page(req: *mut Request, databuf: *mut evbuffer, content_type: Option<Vec<u8>>) {
    if (*req).major == 0 || (*req).minor == 0 {
        (*req).major = 1;
        (*req).minor = 1;
    }
    if (*req).kind != request::KIND_RESPONSE {
        request::set_response(req, 200, Some(b"OK"));
    }
    headers::clear((*req).output_headers);
    headers::add((*req).output_headers, b"Content-Type", content_type.as_deref().unwrap_or(b"text/html"));
    headers::add((*req).output_headers, b"Connection", b"close");
    send(req, databuf);
}

/// evhttp_send_error: a small HTML page naming the error; the connection closes after it.
///
/// # Safety
/// `req` is a live request.
pub unsafe fn send_error(req: *mut Request, code: c_int, reason: Option<&[u8]>) {
    let reason: Vec<u8> = reason.map_or_else(|| request::reason_phrase(code).as_bytes().to_vec(), |r| r.to_vec());
    request::set_response(req, code, Some(&reason));
    let buf = ffi::evbuffer_new();
    if buf.is_null() {
        if !(*req).evcon.is_null() {
            free((*req).evcon);
        }
        return;
    }
    // 2.2's evhttp_set_errorcb: the program may write the page (a negative result asks for
    // the default one); a Content-Type it sets is kept.
    let c = (*req).evcon;
    let h = if c.is_null() { ptr::null_mut() } else { (*c).http_server };
    let mut custom = false;
    if let Some((cb, arg)) = h.as_ref().and_then(|h| h.errorcb.map(|cb| (cb, h.errorcb_arg))) {
        let creason = CString::new(reason.clone()).unwrap_or_default();
        let r = hold(c, || run_guarded(c, req, || cb(req, buf, code, creason.as_ptr(), arg)));
        match r {
            None => {
                ffi::evbuffer_free(buf);
                return;
            }
            Some(r) => custom = r >= 0,
        }
        if (*req).evcon.is_null() || (*c).dead {
            ffi::evbuffer_free(buf);
            return;
        }
    }
    if !custom {
        ffi::evbuffer_drain(buf, usize::MAX);
        let r = String::from_utf8_lossy(&reason);
        let page = format!("<HTML><HEAD>\n<TITLE>{code} {r}</TITLE>\n</HEAD><BODY>\n<H1>{r}</H1>\n</BODY></HTML>\n");
        add_bytes(buf, page.as_bytes());
        send_page(req, buf, None);
    } else {
        let ct = headers::find_bytes((*req).output_headers, b"Content-Type").map(|v| v.to_vec());
        send_page(req, buf, ct);
    }
    ffi::evbuffer_free(buf);
}

/// The default reply when no callback matches: 404 with the (escaped) URI.
///
/// # Safety
/// `req` is a live request.
pub unsafe fn send_not_found(req: *mut Request) {
    let escaped = encode::htmlescape(cstr_bytes((*req).uri));
    let page = format!(
        "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL {} was not found on this server.</p></body></html>\n",
        String::from_utf8_lossy(&escaped)
    );
    let buf = ffi::evbuffer_new();
    if buf.is_null() {
        return;
    }
    request::set_response(req, 404, Some(b"Not Found"));
    add_bytes(buf, page.as_bytes());
    send_page(req, buf, None);
    ffi::evbuffer_free(buf);
}

/// evhttp_send_reply_start: chunked on HTTP/1.1 when no length was given.
///
/// # Safety
/// `req` is a live request.
pub unsafe fn send_reply_start(req: *mut Request, code: c_int, reason: Option<&[u8]>) {
    let c = (*req).evcon;
    if c.is_null() {
        return;
    }
    request::set_response(req, code, reason);
    let chunked = headers::find((*req).output_headers, b"Content-Length").is_null()
        && (*req).version_at_least(1, 1)
        && response_has_body(&*req);
    if chunked {
        headers::add((*req).output_headers, b"Transfer-Encoding", b"chunked");
    }
    (*req).set_chunked(chunked);
    make_header(c, req);
    write_buffer(c, WriteDone::Nothing);
}

/// evhttp_send_reply_chunk(_with_cb): one chunk (nothing for an empty buffer).
///
/// # Safety
/// `req` is a live request, `databuf` a buffer.
pub unsafe fn send_reply_chunk(req: *mut Request, databuf: *mut evbuffer, cb: Option<ChunkSentCb>, arg: *mut c_void) {
    let c = (*req).evcon;
    if c.is_null() || databuf.is_null() {
        return;
    }
    let n = ffi::evbuffer_get_length(databuf);
    if n == 0 || !response_has_body(&*req) {
        return;
    }
    let out = output(c);
    if (*req).chunked() {
        add_bytes(out, format!("{n:x}\r\n").as_bytes());
    }
    ffi::evbuffer_add_buffer(out, databuf);
    if (*req).chunked() {
        add_bytes(out, b"\r\n");
    }
    write_buffer(c, cb.map_or(WriteDone::Nothing, |f| WriteDone::User(f, arg)));
}

/// evhttp_send_reply_end.
///
/// # Safety
/// `req` is a live request.
pub unsafe fn send_reply_end(req: *mut Request) {
    let c = (*req).evcon;
    if c.is_null() {
        request::free(req);
        return;
    }
    (*req).set_userdone(true);
    if (*req).chunked() {
        add_bytes(output(c), b"0\r\n\r\n");
        write_buffer(c, WriteDone::SendDone);
        (*req).set_chunked(false);
    } else if ffi::evbuffer_get_length(output(c)) == 0 {
        hold(c, || send_done(c));
    } else {
        write_buffer(c, WriteDone::SendDone);
    }
}

/// The reply is written: next request on a persistent connection, else close.
unsafe fn send_done(c: *mut Connection) {
    let req = front(c);
    if req.is_null() {
        return;
    }
    (*c).requests.pop_front();
    (*req).evcon = ptr::null_mut();
    if let Some(cb) = (*req).on_complete_cb {
        cb(req, (*req).on_complete_cb_arg);
    }
    let need_close =
        (!(*req).version_at_least(1, 1) && !is_keepalive((*req).input_headers)) || request_wants_close(req);
    request::free(req);
    if (*c).dead {
        return;
    }
    if need_close {
        free(c);
        return;
    }
    if !server::new_request_on(c) {
        free(c);
    }
}

// ---- the server side

/// A new incoming connection on `fd` from `sa`, for `http`.
///
/// # Safety
/// `http` is a live server; `fd` an accepted socket; `sa` its peer address.
pub unsafe fn accept(
    http: *mut Evhttp,
    fd: c_int,
    sa: *const sockaddr,
    salen: socklen_t,
    bev: *mut bufferevent,
    host: &[u8],
    port: u16,
) -> *mut Connection {
    let c = new((*http).base, ptr::null_mut(), bev, host, port);
    if c.is_null() {
        return c;
    }
    (*c).max_headers_size = (*http).max_headers_size;
    (*c).max_body_size = (*http).max_body_size;
    if (*http).flags & server::SERVER_LINGERING_CLOSE != 0 {
        (*c).flags |= CON_LINGERING_CLOSE;
    }
    (*c).flags |= CON_INCOMING;
    (*c).state = State::ReadingFirstline;
    (*c).fd = fd;
    let n = (salen as usize).min(std::mem::size_of::<sockaddr_storage>());
    ptr::copy_nonoverlapping(sa as *const u8, &mut (*c).conn_address as *mut _ as *mut u8, n);
    if ffi::bufferevent_setfd((*c).bufev, fd) != 0
        || ffi::bufferevent_enable((*c).bufev, ffi::EV_READ) != 0
        || ffi::bufferevent_disable((*c).bufev, ffi::EV_WRITE) != 0
    {
        free(c);
        return ptr::null_mut();
    }
    c
}

/// Queues a fresh request on a server connection and starts reading it.
///
/// # Safety
/// `c` is a live incoming connection.
pub unsafe fn new_server_request(c: *mut Connection, cb: request::RequestCb, arg: *mut c_void) -> bool {
    let req = Request::new(Some(cb), arg);
    if req.is_null() {
        return false;
    }
    Request::set_string(&mut (*req).remote_host, Some((*c).address.as_bytes()));
    (*req).remote_port = (*c).port;
    (*req).evcon = c;
    (*req).flags |= request::OWN_CONNECTION;
    // Not shown to the program yet: a client leaving now frees it with the connection.
    (*req).set_userdone(true);
    (*req).kind = request::KIND_REQUEST;
    (*c).requests.push_back(req);
    if !(*c).http_server.is_null() && (*(*c).http_server).newreqcb.is_some() {
        // 2.2's evhttp_set_newreqcb: the program sees the request before it is read (to set
        // its header or body callbacks), and may refuse it.
        let alive = run_guarded(c, req, || server::run_newreqcb((*c).http_server, req));
        match alive {
            Some(true) => {}
            Some(false) => return false,
            None => return true,
        }
    }
    start_read(c);
    true
}

/// Runs a program's callback about request `req` of connection `c` (the caller holds `c`):
/// a free of the request from inside is finished afterwards. None when the connection or the
/// request went away meanwhile (a freed request takes its connection with it); else the
/// callback's result.
unsafe fn run_guarded<R>(c: *mut Connection, req: *mut Request, f: impl FnOnce() -> R) -> Option<R> {
    let had = (*req).flags & request::DEFER_FREE;
    (*req).flags |= request::DEFER_FREE;
    let r = f();
    (*req).flags = ((*req).flags & !request::DEFER_FREE) | had;
    let freed = (*req).flags & request::NEEDS_FREE != 0 && had == 0;
    if freed {
        (*req).flags &= !request::NEEDS_FREE;
        remove_request(c, req);
        (*req).evcon = ptr::null_mut();
        request::free(req);
        if !(*c).dead {
            free(c);
        }
        return None;
    }
    if (*c).dead {
        return None;
    }
    Some(r)
}

/// evhttp_set_max_connections: a connection past the limit is answered 503 at once, without
/// reading its request, and closed.
///
/// # Safety
/// `c` is a live incoming connection, held by the caller.
pub unsafe fn refuse_busy(c: *mut Connection) {
    let req = Request::new(Some(server::handle_request), (*c).http_server as *mut c_void);
    if req.is_null() {
        free(c);
        return;
    }
    Request::set_string(&mut (*req).remote_host, Some((*c).address.as_bytes()));
    (*req).remote_port = (*c).port;
    (*req).evcon = c;
    (*req).flags |= request::OWN_CONNECTION;
    (*req).kind = request::KIND_REQUEST;
    (*c).requests.push_back(req);
    (*c).state = State::Writing;
    ffi::bufferevent_enable((*c).bufev, ffi::EV_READ);
    send_error(req, 503, None);
}

// ---- the client side

/// evhttp_connection_reset_: closes the socket and forgets buffered data.
unsafe fn reset(c: *mut Connection) {
    if (*c).bufev.is_null() {
        return;
    }
    ffi::bufferevent_setcb((*c).bufev, None, None, None, ptr::null_mut());
    ffi::bufferevent_disable((*c).bufev, ffi::EV_READ | ffi::EV_WRITE);
    if (*c).fd == -1 {
        (*c).fd = ffi::bufferevent_getfd((*c).bufev);
    }
    ffi::bufferevent_setfd((*c).bufev, -1);
    if (*c).fd != -1 {
        if connected(&*c) {
            if let Some(cb) = (*c).closecb {
                cb(c, (*c).closecb_arg);
            }
        }
        libc::shutdown((*c).fd, libc::SHUT_WR);
        libc::close((*c).fd);
        (*c).fd = -1;
    }
    if (*c).bufev.is_null() {
        return;
    }
    ffi::evbuffer_drain(output(c), usize::MAX);
    ffi::evbuffer_drain(input(c), usize::MAX);
    (*c).state = State::Disconnected;
    (*c).flags &= !CON_READING_ERROR;
    (*c).input_ended = false;
}

unsafe fn start_detectclose(c: *mut Connection) {
    (*c).flags |= CON_CLOSEDETECT;
    ffi::bufferevent_enable((*c).bufev, ffi::EV_READ);
}

unsafe fn stop_detectclose(c: *mut Connection) {
    (*c).flags &= !CON_CLOSEDETECT;
    ffi::bufferevent_disable((*c).bufev, ffi::EV_READ);
}

/// Sends the first queued request on a connected, idle connection.
unsafe fn dispatch(c: *mut Connection) {
    let req = front(c);
    if req.is_null() {
        return;
    }
    stop_detectclose(c);
    (*c).input_ended = false;
    (*c).state = State::Writing;
    make_header(c, req);
    write_buffer(c, WriteDone::RequestSent);
}

/// The request is written: read the reply. A streamed body still open instead tells the
/// program that what it wrote is out (it writes the next piece).
unsafe fn request_sent(c: *mut Connection) {
    let req = front(c);
    if req.is_null() || ffi::evbuffer_get_length(output(c)) > 0 {
        return;
    }
    if (*req).upload == request::Upload::Open {
        if let Some(cb) = (*req).drained_cb {
            let arg = (*req).drained_cb_arg;
            (*req).flags |= request::DEFER_FREE;
            cb(req, arg);
            (*req).flags &= !request::DEFER_FREE;
            if (*req).flags & request::NEEDS_FREE != 0 {
                // Cancelled (or freed) from its own callback.
                (*req).flags &= !request::NEEDS_FREE;
                if !(*c).dead {
                    remove_request(c, req);
                    (*req).evcon = ptr::null_mut();
                    reset(c);
                }
                request::free_auto(req);
            }
        }
        return;
    }
    (*req).kind = request::KIND_RESPONSE;
    start_read(c);
}

fn bind_local(addr: Option<&CString>, port: u16) -> c_int {
    server::bind_socket(addr.map(|a| a.as_bytes()), port, false)
}

/// evhttp_connection_connect_: starts connecting (resolving the name when needed).
///
/// # Safety
/// `c` is a live outgoing connection.
pub unsafe fn connect(c: *mut Connection) -> c_int {
    if (*c).state == State::Connecting {
        return 0;
    }
    let old = (*c).state;
    reset(c);
    (*c).flags |= CON_OUTGOING;
    if (*c).unix_path.is_some() {
        // A Unix-domain socket: nothing to bind, nothing to resolve.
        if ffi::bufferevent_setfd((*c).bufev, -1) != 0 {
            return -1;
        }
    } else if (*c).bind_address.is_some() || (*c).bind_port != 0 {
        (*c).fd = bind_local((*c).bind_address.as_ref(), (*c).bind_port);
        if (*c).fd == -1 || ffi::bufferevent_setfd((*c).bufev, (*c).fd) != 0 {
            return -1;
        }
    } else if ffi::bufferevent_setfd((*c).bufev, -1) != 0 {
        return -1;
    }
    ffi::bufferevent_setcb((*c).bufev, None, None, Some(event_cb), c as *mut c_void);
    apply_connect_timeout(c);
    if ffi::bufferevent_enable((*c).bufev, ffi::EV_WRITE) != 0 {
        return -1;
    }
    (*c).state = State::Connecting;
    let fam = (*c).conn_address.ss_family as c_int;
    let ret = if let Some(path) = &(*c).unix_path {
        match unix_addr(path.as_bytes()) {
            Some((sun, len)) => {
                ffi::bufferevent_socket_connect((*c).bufev, &sun as *const _ as *const sockaddr, len as c_int)
            }
            None => -1,
        }
    } else if (*c).flags & CON_REUSE_CONNECTED_ADDR != 0 && (fam == libc::AF_INET || fam == libc::AF_INET6) {
        let len = if fam == libc::AF_INET {
            std::mem::size_of::<libc::sockaddr_in>()
        } else {
            std::mem::size_of::<libc::sockaddr_in6>()
        };
        ffi::bufferevent_socket_connect((*c).bufev, &(*c).conn_address as *const _ as *const sockaddr, len as c_int)
    } else {
        ffi::bufferevent_socket_connect_hostname(
            (*c).bufev,
            (*c).dns_base,
            (*c).ai_family,
            (*c).address.as_ptr(),
            (*c).port as c_int,
        )
    };
    if ret < 0 {
        (*c).state = old;
        connect_cleanup(c);
    }
    0
}

/// The address of a Unix-domain socket; None when the path does not fit.
fn unix_addr(path: &[u8]) -> Option<(libc::sockaddr_un, usize)> {
    // SAFETY: an all-zero sockaddr_un is valid.
    let mut sun: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    if path.is_empty() || path.len() >= sun.sun_path.len() {
        return None;
    }
    sun.sun_family = libc::AF_UNIX as libc::sa_family_t;
    for (d, &b) in sun.sun_path.iter_mut().zip(path) {
        *d = b as c_char;
    }
    Some((sun, std::mem::size_of::<libc::sa_family_t>() + path.len() + 1))
}

/// evhttp_connection_base_bufferevent_unix_new: a client connection to the Unix-domain
/// socket at `path`.
///
/// # Safety
/// As new().
pub unsafe fn new_unix(base: *mut event_base, bev: *mut bufferevent, path: &[u8]) -> *mut Connection {
    if unix_addr(path).is_none() {
        return ptr::null_mut();
    }
    let c = new(base, ptr::null_mut(), bev, path, 0);
    if !c.is_null() {
        (*c).unix_path = Some(CString::new(path).unwrap_or_default());
    }
    c
}

/// evhttp_connection_base_bufferevent_reuse_new: a client connection over a bufferevent whose
/// socket is already connected; requests go out on it at once. Should it close, the next
/// request connects again to the same peer.
///
/// # Safety
/// `bev` is a socket bufferevent with a connected socket, whose callbacks the connection takes.
pub unsafe fn new_reused(base: *mut event_base, dns: *mut evdns_base, bev: *mut bufferevent) -> *mut Connection {
    let fd = ffi::bufferevent_getfd(bev);
    if fd < 0 {
        return ptr::null_mut();
    }
    // SAFETY: an all-zero sockaddr_storage is an unspecified address.
    let mut ss: sockaddr_storage = std::mem::zeroed();
    let mut len = std::mem::size_of::<sockaddr_storage>() as socklen_t;
    if libc::getpeername(fd, &mut ss as *mut _ as *mut sockaddr, &mut len) != 0 {
        return ptr::null_mut();
    }
    let (name, port, unix) = match ss.ss_family as c_int {
        libc::AF_UNIX => {
            let un = &*(&ss as *const _ as *const libc::sockaddr_un);
            let p: Vec<u8> = un.sun_path.iter().take_while(|&&b| b != 0).map(|&b| b as u8).collect();
            (p, 0, true)
        }
        _ => {
            let mut host = [0 as c_char; 1025];
            let mut serv = [0 as c_char; 32];
            if libc::getnameinfo(
                &ss as *const _ as *const sockaddr,
                len,
                host.as_mut_ptr(),
                host.len() as socklen_t,
                serv.as_mut_ptr(),
                serv.len() as socklen_t,
                libc::NI_NUMERICHOST | libc::NI_NUMERICSERV,
            ) != 0
            {
                return ptr::null_mut();
            }
            let port = CStr::from_ptr(serv.as_ptr()).to_str().ok().and_then(|p| p.parse().ok()).unwrap_or(0);
            (CStr::from_ptr(host.as_ptr()).to_bytes().to_vec(), port, false)
        }
    };
    let c = new(base, dns, bev, &name, port);
    if c.is_null() {
        return c;
    }
    if unix && !name.is_empty() {
        (*c).unix_path = Some(CString::new(name).unwrap_or_default());
    }
    (*c).conn_address = ss;
    (*c).fd = fd;
    (*c).flags |= CON_OUTGOING;
    (*c).state = State::Idle;
    apply_rw_timeouts(c);
    start_detectclose(c);
    c
}

unsafe fn connect_event(c: *mut Connection, bev: *mut bufferevent, what: c_short) {
    if (*c).fd == -1 {
        (*c).fd = ffi::bufferevent_getfd(bev);
    }
    if what & ffi::BEV_EVENT_CONNECTED == 0 {
        if *libc::__errno_location() == libc::ECONNREFUSED || what & ffi::BEV_EVENT_TIMEOUT != 0 {
            connect_cleanup(c);
        } else {
            (*c).state = State::Disconnected;
            error_event(c, bev, what);
        }
        return;
    }
    let mut err: c_int = 0;
    let mut len = std::mem::size_of::<c_int>() as socklen_t;
    if (*c).fd == -1
        || libc::getsockopt((*c).fd, libc::SOL_SOCKET, libc::SO_ERROR, &mut err as *mut c_int as *mut c_void, &mut len)
            != 0
        || err != 0
    {
        connect_cleanup(c);
        return;
    }
    let mut salen = std::mem::size_of::<sockaddr_storage>() as socklen_t;
    libc::getpeername((*c).fd, &mut (*c).conn_address as *mut _ as *mut sockaddr, &mut salen);
    (*c).retry_cnt = 0;
    (*c).state = State::Idle;
    set_callbacks(c, true, true);
    apply_rw_timeouts(c);
    dispatch(c);
}

unsafe extern "C" fn retry_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let c = arg as *mut Connection;
    hold(c, || {
        if !(*c).dead {
            (*c).state = State::Disconnected;
            connect(c);
        }
    })
}

/// The connection could not be made: retry later (doubling the delay), or fail every queued
/// request.
unsafe fn connect_cleanup(c: *mut Connection) {
    reset(c);
    if (*c).retry_max < 0 || (*c).retry_cnt < (*c).retry_max {
        let mut t = (*c).initial_retry_timeout;
        for _ in 0..(*c).retry_cnt {
            t.tv_usec *= 2;
            if t.tv_usec > 1_000_000 {
                t.tv_usec -= 1_000_000;
                t.tv_sec += 1;
            }
            t.tv_sec *= 2;
            if t.tv_sec > 3600 {
                t = tv(3600);
            }
        }
        if (*c).retry_ev.is_null() {
            (*c).retry_ev = ffi::event_new((*c).base, -1, 0, Some(retry_cb), c as *mut c_void);
        }
        ffi::event_add((*c).retry_ev, &t);
        (*c).retry_cnt += 1;
        return;
    }
    let failed: Vec<*mut Request> = (*c).requests.drain(..).collect();
    for r in failed {
        (*r).evcon = ptr::null_mut();
        // As libevent 2.1.12 (evhttp_connection_cb_cleanup): only the request callback runs
        // here, the error callback does not.
        if let Some(cb) = (*r).cb {
            cb(r, (*r).cb_arg);
        }
        request::free_auto(r);
    }
    if !(*c).dead && (*c).requests.is_empty() && (*c).flags & CON_AUTOFREE != 0 {
        free(c);
    }
}

/// evhttp_make_request: queues the request; connects or sends it when its turn comes.
///
/// # Safety
/// `c` is a live connection, `req` a request not queued elsewhere.
pub unsafe fn make_request(c: *mut Connection, req: *mut Request, type_: libc::c_uint, uri: &[u8]) -> c_int {
    (*req).kind = request::KIND_REQUEST;
    (*req).type_ = type_;
    Request::set_string(&mut (*req).uri, Some(uri));
    if (*req).major == 0 && (*req).minor == 0 {
        (*req).major = 1;
        (*req).minor = 1;
    }
    (*req).evcon = c;
    (*c).requests.push_back(req);
    if (*c).retry_cnt != 0 {
        return 0;
    }
    if !connected(&*c) {
        let r = hold(c, || connect(c));
        if r != 0 {
            remove_request(c, req);
        }
        return r;
    }
    if front(c) == req {
        hold(c, || dispatch(c));
    }
    0
}

/// evhttp_make_request_chunked: the request goes out with its head, its body follows as the
/// program writes it (write_chunk), chunked unless the program set a Content-Length.
///
/// # Safety
/// As make_request.
pub unsafe fn make_request_chunked(c: *mut Connection, req: *mut Request, type_: libc::c_uint, uri: &[u8]) -> c_int {
    (*req).upload = request::Upload::Open;
    let oh = (*req).output_headers;
    (*req).upload_chunked = headers::find(oh, b"Content-Length").is_null();
    if (*req).upload_chunked {
        headers::remove(oh, b"Transfer-Encoding");
        headers::add(oh, b"Transfer-Encoding", b"chunked");
    }
    // What the program put in the output buffer before is the body's first piece.
    let first = ffi::evbuffer_new();
    if first.is_null() {
        request::free_auto(req);
        return -1;
    }
    ffi::evbuffer_add_buffer(first, (*req).output_buffer);
    if (*req).upload_chunked {
        // Chunks are HTTP/1.1.
        (*req).major = 1;
        (*req).minor = 1;
    }
    let r = make_request(c, req, type_, uri);
    if r == 0 {
        write_chunk(req, first);
    }
    ffi::evbuffer_free(first);
    r
}

/// Where the next bytes of a streamed upload go: the connection's output once the head is
/// out, else the request's buffer (sent after the head).
unsafe fn upload_target(req: *mut Request) -> (*mut evbuffer, *mut Connection) {
    let c = (*req).evcon;
    if !c.is_null() && !(*c).dead && front(c) == req && (*c).state == State::Writing && !(*c).bufev.is_null() {
        (output(c), c)
    } else {
        ((*req).output_buffer, ptr::null_mut())
    }
}

/// evhttp_request_write_chunk: one piece of a streamed upload (an empty buffer sends nothing).
/// -1 when the request is not a streamed upload still open.
///
/// # Safety
/// `req` is a live request, `databuf` a buffer.
pub unsafe fn write_chunk(req: *mut Request, databuf: *mut evbuffer) -> c_int {
    if (*req).upload != request::Upload::Open {
        return -1;
    }
    let n = ffi::evbuffer_get_length(databuf);
    if n == 0 {
        return 0;
    }
    let (out, c) = upload_target(req);
    if (*req).upload_chunked {
        add_bytes(out, format!("{n:x}\r\n").as_bytes());
    }
    ffi::evbuffer_add_buffer(out, databuf);
    if (*req).upload_chunked {
        add_bytes(out, b"\r\n");
    }
    if !c.is_null() {
        write_buffer(c, WriteDone::RequestSent);
    }
    0
}

/// evhttp_request_end_chunked: the streamed upload is complete; the reply is read once it is
/// out.
///
/// # Safety
/// `req` is a live request.
pub unsafe fn end_chunked(req: *mut Request) -> c_int {
    if (*req).upload != request::Upload::Open {
        return -1;
    }
    (*req).upload = request::Upload::Ended;
    let (out, c) = upload_target(req);
    if (*req).upload_chunked {
        add_bytes(out, b"0\r\n\r\n");
    }
    if !c.is_null() {
        write_buffer(c, WriteDone::RequestSent);
        if ffi::evbuffer_get_length(out) == 0 {
            hold(c, || request_sent(c));
        }
    }
    0
}

/// evhttp_cancel_request: the request in progress resets its connection; a queued one just
/// leaves the queue.
///
/// # Safety
/// `req` is a live request.
pub unsafe fn cancel(req: *mut Request) {
    let c = (*req).evcon;
    if !c.is_null() {
        if front(c) == req {
            if (*req).flags & request::DEFER_FREE != 0 {
                // Cancelled from its own chunk callback: finished when the callback returns.
                (*req).flags |= request::NEEDS_FREE;
                return;
            }
            hold(c, || fail(c, request::ERR_REQUEST_CANCEL));
            return;
        }
        remove_request(c, req);
    }
    request::free_auto(req);
}

/// evhttp_connection_get_addr.
pub fn addr(c: &Connection) -> *const sockaddr {
    &c.conn_address as *const _ as *const sockaddr
}

/// Runs a program's call on the connection with the connection held (so it is not released
/// under the library's feet).
///
/// # Safety
/// `c` is a live connection.
pub unsafe fn with<R>(c: *mut Connection, f: impl FnOnce() -> R) -> R {
    hold(c, f)
}

/// A C string copy for the library allocator, used for evhttp_connection_get_peer.
pub fn address_ptr(c: &Connection) -> *mut c_char {
    c.address.as_ptr() as *mut c_char
}

/// A protocol switch (WebSocket, src/ws): takes the bufferevent of the connection that read
/// server request `req`, then frees the request and the connection without touching the
/// bufferevent, as libevent 2.2 does when a session starts. NULL (and nothing freed) when the
/// request has no live connection.
///
/// # Safety
/// `req` is a live server request.
pub unsafe fn take_bufferevent(req: *mut Request) -> *mut bufferevent {
    let c = (*req).evcon;
    if c.is_null() || (*c).dead || (*c).bufev.is_null() || (*c).flags & CON_INCOMING == 0 {
        return ptr::null_mut();
    }
    let bev = (*c).bufev;
    remove_request(c, req);
    (*req).evcon = ptr::null_mut();
    ffi::bufferevent_setcb(bev, None, None, None, ptr::null_mut());
    (*c).bufev = ptr::null_mut();
    (*c).closecb = None;
    (*c).fd = -1;
    free(c);
    request::free(req);
    bev
}
