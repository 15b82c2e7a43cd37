//! evdns server ports: a UDP socket (or, as in libevent 2.2, a listener whose TCP connections
//! carry messages with a 2-byte length in front) whose queries go to the program's callback as
//! `struct evdns_server_request` (laid out as in libevent's dns_struct.h: flags, the number of
//! questions, and the questions, each a type, a class and the name as a C string); the program
//! adds records and responds, or drops the request.
//!
//! A port counts its references: the program's (until evdns_close_server_port), one per
//! request not yet answered, and one while its read callback runs. It is freed, and its socket
//! closed, when the last goes. The read callback holds no lock while the program's callback
//! runs, and its own reference keeps the port alive whatever the callback does (libevent's
//! read loop would go on with a freed port after a callback that closed it and answered).
use super::ev::OwnedEvent;
use super::log;
use super::wire::{self, Question, RData, Record};
use crate::core::base::EventBase;
use crate::core::event::{EV_PERSIST, EV_READ, EV_TIMEOUT, EV_WRITE};
use crate::core::mem;
use crate::core::time::Micros;
use crate::listener::Listener;
use libc::{c_char, c_int, c_short, c_void, sockaddr, sockaddr_storage, socklen_t};
use parking_lot::Mutex;
use std::collections::{HashMap, VecDeque};
use std::mem::size_of;
use std::ptr;

pub const ANSWER_SECTION: c_int = 0;
pub const AUTHORITY_SECTION: c_int = 1;
pub const ADDITIONAL_SECTION: c_int = 2;
pub const FLAGS_AA: c_int = 0x400;
/// EVDNS_FLAGS_RD as libevent's header defines it (0x080, which is the RA bit on the wire).
pub const FLAGS_RD: c_int = 0x080;

pub type RequestFn = unsafe extern "C" fn(*mut ServerRequest, *mut c_void);

/// libevent 2.2's `enum evdns_server_option`.
pub const SOPT_TCP_MAX_CLIENTS: c_int = 0;
pub const SOPT_TCP_IDLE_TIMEOUT: c_int = 1;
/// How long a client connection may stay silent, with nothing outstanding, by default.
const DEFAULT_TCP_IDLE: Micros = 10_000_000;
/// The largest UDP datagram an IPv4 socket sends.
const MAX_UDP_PAYLOAD: usize = 65507;

/// `struct evdns_server_question`: variable-sized (the name follows), allocated with the
/// library's allocator.
#[repr(C)]
pub struct ServerQuestion {
    pub qtype: c_int,
    pub class: c_int,
    pub name: [c_char; 1],
}

/// `struct evdns_server_request`: the fields programs read come first, as in dns_struct.h.
#[repr(C)]
pub struct ServerRequest {
    pub flags: c_int,
    pub nquestions: c_int,
    pub questions: *mut *mut ServerQuestion,
    // Private from here on.
    port: *const ServerPort,
    id: u16,
    from: sockaddr_storage,
    fromlen: socklen_t,
    sections: [Vec<Record>; 3],
    response: Option<Vec<u8>>,
    /// The TCP client the query came from (0: UDP).
    client: u64,
    /// The longest reply that may go back (512 bytes over UDP, or the query's EDNS0 size).
    limit: usize,
}

const _: () = assert!(std::mem::offset_of!(ServerRequest, questions) == 8);

struct PortState {
    refs: u32,
    /// Closed by the program: freed once the requests are done.
    closing: bool,
    /// Answers waiting for the socket to be writable.
    pending: VecDeque<*mut ServerRequest>,
    /// Also watching for writability (answers are waiting).
    writing: bool,
    /// A TCP port's connections, by their own number.
    clients: HashMap<u64, Client>,
    next_client: u64,
    /// EVDNS_SOPT_TCP_MAX_CLIENTS (0: no limit): beyond it, the listener stops accepting and
    /// connections wait in its backlog.
    max_clients: usize,
    /// EVDNS_SOPT_TCP_IDLE_TIMEOUT.
    idle: Micros,
    /// The listener was disabled for the limit on clients.
    paused: bool,
}

/// A TCP client of a port: its socket, the messages read in part, the answers not yet written.
struct Client {
    fd: c_int,
    io: Option<OwnedEvent>,
    from: sockaddr_storage,
    fromlen: socklen_t,
    inbuf: Vec<u8>,
    out: Vec<u8>,
    writing: bool,
    /// Requests not answered or dropped yet.
    outstanding: u32,
    /// The client closed its side: the connection goes once the answers owed are written.
    eof: bool,
}

impl Drop for Client {
    fn drop(&mut self) {
        drop(self.io.take());
        // SAFETY: the client's own socket, closed once, after its event is gone.
        unsafe { libc::close(self.fd) };
    }
}

impl Client {
    fn finished(&self) -> bool {
        self.eof && self.outstanding == 0 && self.out.is_empty()
    }
}

/// `struct evdns_server_port`.
pub struct ServerPort {
    /// The UDP socket (-1 for a TCP port).
    socket: c_int,
    /// A TCP port's listener (NULL for a UDP port), freed with the port.
    listener: *mut Listener,
    event_base: *mut EventBase,
    cb: Option<RequestFn>,
    user_data: *mut c_void,
    ev: OwnedEvent,
    state: Mutex<PortState>,
}

// SAFETY: the raw pointers (base, requests, program data) are used under the port's lock or
// handed to the thread-safe reactor, as libevent shares its ports between threads.
unsafe impl Send for PortState {}

impl ServerPort {
    /// evdns_add_server_port_with_base. NULL when `flags` is not 0 or the event cannot be added.
    ///
    /// # Safety
    /// `base` is NULL (the current base of event_init()) or a live base that outlives the
    /// port; `socket` is a UDP socket the port may close.
    pub unsafe fn new(
        base: *mut EventBase,
        socket: c_int,
        flags: c_int,
        cb: Option<RequestFn>,
        user_data: *mut c_void,
    ) -> *mut ServerPort {
        if flags != 0 {
            return ptr::null_mut();
        }
        let port = Box::into_raw(Box::new(ServerPort {
            socket,
            listener: ptr::null_mut(),
            event_base: base,
            cb,
            user_data,
            // Assigned again below once the port has its address; never added meanwhile.
            ev: OwnedEvent::new(base, socket, 0, port_cb, ptr::null_mut()),
            state: Mutex::new(PortState::new()),
        }));
        // The event points back to the port, which is freed only after the event is removed.
        let p = &*port;
        p.ev.reassign(base, socket, EV_READ | EV_PERSIST, port_cb, port as *mut c_void);
        if !p.ev.add(None) {
            drop(Box::from_raw(port));
            return ptr::null_mut();
        }
        port
    }

    /// evdns_add_server_port_with_listener: a port answering over the listener's TCP
    /// connections. NULL when `flags` is not 0 or there is no listener.
    ///
    /// # Safety
    /// `base` is NULL (the listener's base is used) or a live base; `listener` is a live
    /// listener, which becomes the port's (freed with it).
    pub unsafe fn with_listener(
        base: *mut EventBase,
        listener: *mut Listener,
        flags: c_int,
        cb: Option<RequestFn>,
        user_data: *mut c_void,
    ) -> *mut ServerPort {
        if flags != 0 || listener.is_null() {
            return ptr::null_mut();
        }
        let base = if base.is_null() { Listener::base(listener) } else { base };
        let port = Box::into_raw(Box::new(ServerPort {
            socket: -1,
            listener,
            event_base: base,
            cb,
            user_data,
            // A TCP port has no socket of its own: this event is never added.
            ev: OwnedEvent::new(base, -1, 0, port_cb, ptr::null_mut()),
            state: Mutex::new(PortState::new()),
        }));
        Listener::set_cb(listener, Some(accept_cb), port as *mut c_void);
        port
    }

    /// evdns_server_port_set_option: 0, or -1 for an unknown option or a UDP port.
    pub fn set_option(&self, option: c_int, value: usize) -> c_int {
        if self.listener.is_null() {
            return -1;
        }
        let mut st = self.state.lock();
        match option {
            SOPT_TCP_MAX_CLIENTS => {
                st.max_clients = value;
            }
            SOPT_TCP_IDLE_TIMEOUT => {
                st.idle = (value.min(i32::MAX as usize) as Micros) * 1_000_000;
                let idle = st.idle;
                for c in st.clients.values() {
                    if let Some(io) = &c.io {
                        io.add(idle_timeout(idle));
                    }
                }
            }
            _ => return -1,
        }
        let resume = self.limit_check(&mut st);
        drop(st);
        self.pause_listener(resume);
        0
    }

    /// Whether the listener should now accept (`Some(true)`) or stop (`Some(false)`).
    fn limit_check(&self, st: &mut PortState) -> Option<bool> {
        let full = st.max_clients != 0 && st.clients.len() >= st.max_clients;
        if full != st.paused && !st.closing {
            st.paused = full;
            return Some(!full);
        }
        None
    }

    /// Enables or disables the listener; with no lock of the port held.
    fn pause_listener(&self, accept: Option<bool>) {
        // SAFETY: the listener lives as long as the port.
        unsafe {
            match accept {
                Some(true) => {
                    Listener::enable(self.listener);
                }
                Some(false) => {
                    Listener::disable(self.listener);
                }
                None => {}
            }
        }
    }

    /// Takes a new connection from the listener.
    fn accept(&self, fd: c_int, sa: *const sockaddr, socklen: c_int) {
        let mut st = self.state.lock();
        if st.closing {
            // SAFETY: the accepted socket is ours, unused.
            unsafe { libc::close(fd) };
            return;
        }
        // SAFETY: plain fcntl on the accepted socket; a zeroed storage is a valid address, and
        // at most its size is copied from sa, which holds socklen bytes.
        let (from, fromlen) = unsafe {
            let fl = libc::fcntl(fd, libc::F_GETFL);
            libc::fcntl(fd, libc::F_SETFL, fl | libc::O_NONBLOCK);
            let mut ss: sockaddr_storage = std::mem::zeroed();
            let n = (socklen.max(0) as usize).min(size_of::<sockaddr_storage>());
            if !sa.is_null() {
                ptr::copy_nonoverlapping(sa as *const u8, &mut ss as *mut sockaddr_storage as *mut u8, n);
            }
            (ss, n as socklen_t)
        };
        st.next_client += 1;
        let id = st.next_client;
        // SAFETY: the event points to the port, which outlives its clients.
        let io = unsafe {
            OwnedEvent::new(
                self.event_base,
                fd,
                EV_READ | EV_PERSIST,
                client_cb,
                self as *const ServerPort as *mut c_void,
            )
        };
        io.add(idle_timeout(st.idle));
        st.clients.insert(
            id,
            Client {
                fd,
                io: Some(io),
                from,
                fromlen,
                inbuf: Vec::new(),
                out: Vec::new(),
                writing: false,
                outstanding: 0,
                eof: false,
            },
        );
        let pause = self.limit_check(&mut st);
        drop(st);
        self.pause_listener(pause);
    }

    /// Watches a client for reading (until it closed its side), and writing when answers wait.
    fn client_interest(&self, c: &mut Client, idle: Micros) {
        let Some(io) = c.io.as_ref() else { return };
        let what = if c.eof { 0 } else { EV_READ } | if c.out.is_empty() { 0 } else { EV_WRITE };
        c.writing = !c.out.is_empty();
        // SAFETY: same base and argument as when the event was made.
        unsafe {
            io.reassign(self.event_base, c.fd, what | EV_PERSIST, client_cb, self as *const ServerPort as *mut c_void)
        };
        io.add(idle_timeout(idle));
    }

    /// Writes what a client is owed; false when the connection failed.
    fn client_flush(c: &mut Client) -> bool {
        while !c.out.is_empty() {
            // SAFETY: out is readable for its length.
            let n = unsafe { libc::send(c.fd, c.out.as_ptr() as *const c_void, c.out.len(), libc::MSG_NOSIGNAL) };
            if n < 0 {
                return is_retriable(std::io::Error::last_os_error().raw_os_error().unwrap_or(0));
            }
            c.out.drain(..n as usize);
        }
        true
    }

    /// A client's socket is ready (or idle): reads its queries and writes its answers. The
    /// requests read are returned, for the program's callback (run with no lock held).
    fn client_event(&self, fd: c_int, what: c_short) -> (Vec<*mut ServerRequest>, Option<bool>) {
        let mut reqs = Vec::new();
        let mut st = self.state.lock();
        let idle = st.idle;
        let Some(id) = st.clients.iter().find(|(_, c)| c.fd == fd).map(|(&k, _)| k) else { return (reqs, None) };
        let mut close = false;
        let mut queries = Vec::new();
        {
            let c = st.clients.get_mut(&id).expect("found");
            if what & EV_TIMEOUT != 0 && c.outstanding == 0 && c.out.is_empty() {
                close = true;
            }
            if what & EV_WRITE != 0 && !close && !ServerPort::client_flush(c) {
                close = true;
            }
            if what & EV_READ != 0 && !close {
                let mut chunk = [0u8; 4096];
                loop {
                    // SAFETY: chunk is writable for its length.
                    let n =
                        unsafe { libc::recv(c.fd, chunk.as_mut_ptr() as *mut c_void, chunk.len(), libc::MSG_DONTWAIT) };
                    if n == 0 {
                        c.eof = true;
                        break;
                    }
                    if n < 0 {
                        if !is_retriable(std::io::Error::last_os_error().raw_os_error().unwrap_or(0)) {
                            close = true;
                        }
                        break;
                    }
                    c.inbuf.extend_from_slice(&chunk[..n as usize]);
                    // Whole messages out of what arrived: a message may come in pieces.
                    while c.inbuf.len() >= 2 {
                        let len = u16::from_be_bytes([c.inbuf[0], c.inbuf[1]]) as usize;
                        if c.inbuf.len() < 2 + len {
                            break;
                        }
                        let msg: Vec<u8> = c.inbuf.drain(..2 + len).skip(2).collect();
                        if let Some(q) = wire::parse_query(&msg) {
                            queries.push(q);
                        }
                    }
                }
            }
            if !close && c.finished() {
                close = true;
            }
        }
        if close {
            st.clients.remove(&id);
        } else {
            let c = st.clients.get_mut(&id).expect("found");
            let (from, fromlen) = (c.from, c.fromlen);
            c.outstanding += queries.len() as u32;
            if self.cb.is_some() {
                for q in &queries {
                    // SAFETY: the port is live; the request's reference is counted below.
                    reqs.push(unsafe { new_request(self, q, from, fromlen, id, wire::MAX_TCP_MESSAGE) });
                }
            } else {
                c.outstanding -= queries.len() as u32;
            }
            let want_write = !c.out.is_empty();
            if c.eof || want_write != c.writing {
                self.client_interest(c, idle);
            }
            st.refs += reqs.len() as u32;
        }
        let resume = self.limit_check(&mut st);
        (reqs, resume)
    }

    fn set_interest(&self, st: &mut PortState) {
        let what = EV_READ | if st.writing { EV_WRITE } else { 0 };
        // SAFETY: same base and argument as when the port was made.
        unsafe {
            self.ev.reassign(
                self.event_base,
                self.socket,
                what | EV_PERSIST,
                port_cb,
                self as *const ServerPort as *mut c_void,
            )
        };
        if !self.ev.add(None) {
            log::emit(log::WARN, "Error from libevent when adding event for DNS server");
        }
    }

    /// Drops a reference; frees the port when it was the last.
    ///
    /// # Safety
    /// `port` is live and the caller owns one reference; no lock of the port is held.
    unsafe fn release(port: *const ServerPort) {
        let last = {
            let mut st = (*port).state.lock();
            st.refs -= 1;
            st.refs == 0
        };
        if last {
            let p = Box::from_raw(port as *mut ServerPort);
            p.ev.del_and_wait();
            if p.socket >= 0 {
                libc::close(p.socket);
            }
        }
    }

    /// evdns_close_server_port: drops the program's reference. As in libevent, a port with
    /// requests outstanding goes on reading (and calling the callback) until the last one is
    /// answered or dropped; then it goes, with its socket.
    ///
    /// # Safety
    /// `port` is a live port from `new`, closed once.
    pub unsafe fn close(port: *mut ServerPort) {
        let clients = {
            let mut st = (*port).state.lock();
            st.closing = true;
            std::mem::take(&mut st.clients)
        };
        if !(*port).listener.is_null() {
            // A TCP port stops at once: its listener and connections go (answers to requests
            // still outstanding are then dropped).
            Listener::free((*port).listener);
            drop(clients);
        }
        ServerPort::release(port);
    }

    /// Reads every waiting datagram, handing each query to the program.
    ///
    /// # Safety
    /// `port` is live and the caller holds a reference to it; no lock of it is held.
    unsafe fn read_all(port: *const ServerPort) {
        let p = &*port;
        let mut buf = [0u8; wire::MAX_PACKET];
        loop {
            let mut from: sockaddr_storage = std::mem::zeroed();
            let mut fromlen = size_of::<sockaddr_storage>() as socklen_t;
            let r = libc::recvfrom(
                p.socket,
                buf.as_mut_ptr() as *mut c_void,
                buf.len(),
                libc::MSG_DONTWAIT,
                &mut from as *mut sockaddr_storage as *mut sockaddr,
                &mut fromlen,
            );
            if r < 0 {
                let err = std::io::Error::last_os_error();
                if !matches!(err.raw_os_error(), Some(libc::EAGAIN) | Some(libc::EINTR)) {
                    let code = err.raw_os_error().unwrap_or(0);
                    log::emit(log::WARN, &format!("Error {} ({code}) while reading request.", strerror(code)));
                }
                return;
            }
            let Some(q) = wire::parse_query(&buf[..r as usize]) else { continue };
            let Some(cb) = p.cb else { continue };
            // A reply may use the UDP size the query advertises (EDNS0), else 512 bytes.
            let limit =
                q.udp_size.map_or(wire::MAX_UDP_REPLY, |n| (n as usize).clamp(wire::MAX_UDP_REPLY, MAX_UDP_PAYLOAD));
            let req = new_request(port, &q, from, fromlen, 0, limit);
            p.state.lock().refs += 1;
            cb(req, p.user_data);
        }
    }

    /// Sends the answers that waited for the socket.
    ///
    /// # Safety
    /// `port` is live and the caller holds a reference to it; no lock of it is held.
    unsafe fn flush(port: *const ServerPort) {
        let p = &*port;
        loop {
            let next = p.state.lock().pending.front().copied();
            let Some(req) = next else { break };
            match send(req) {
                Err(e) if is_retriable(e) => return,
                Err(e) => log::emit(
                    log::WARN,
                    &format!("Error {} ({e}) while writing response to port; dropping", strerror(e)),
                ),
                Ok(()) => {}
            }
            free_request(req);
        }
        let mut st = p.state.lock();
        if st.writing {
            st.writing = false;
            p.set_interest(&mut st);
        }
    }
}

/// A client's idle timeout: none for 0.
fn idle_timeout(idle: Micros) -> Option<Micros> {
    (idle > 0).then_some(idle)
}

fn strerror(code: c_int) -> String {
    // SAFETY: strerror returns a valid C string.
    unsafe { std::ffi::CStr::from_ptr(libc::strerror(code)) }.to_string_lossy().into_owned()
}

fn is_retriable(e: c_int) -> bool {
    e == libc::EAGAIN || e == libc::EINTR
}

/// # Safety
/// Run by the reactor; `arg` is the port that made the event, alive while it is pending.
unsafe extern "C" fn port_cb(_fd: c_int, what: c_short, arg: *mut c_void) {
    let port = arg as *const ServerPort;
    {
        // Hold the port while working on it; a port whose last reference went is being
        // freed by another thread, which waits for this callback: leave it alone.
        let mut st = (*port).state.lock();
        if st.refs == 0 {
            return;
        }
        st.refs += 1;
    }
    if what & EV_WRITE != 0 {
        ServerPort::flush(port);
    }
    if what & EV_READ != 0 {
        ServerPort::read_all(port);
    }
    ServerPort::release(port);
}

/// # Safety
/// Run by the listener; `arg` is the port, alive while the listener is.
unsafe extern "C" fn accept_cb(_lev: *mut Listener, fd: c_int, sa: *mut sockaddr, socklen: c_int, arg: *mut c_void) {
    (*(arg as *const ServerPort)).accept(fd, sa, socklen);
}

/// # Safety
/// Run by the reactor; `arg` is the port of the client, alive while the client's event is.
unsafe extern "C" fn client_cb(fd: c_int, what: c_short, arg: *mut c_void) {
    let port = arg as *const ServerPort;
    {
        let mut st = (*port).state.lock();
        if st.refs == 0 {
            return;
        }
        st.refs += 1;
    }
    let p = &*port;
    let (reqs, resume) = p.client_event(fd, what);
    p.pause_listener(resume);
    for req in reqs {
        // Each request holds a reference to the port: the callback may close it.
        if let Some(cb) = p.cb {
            cb(req, p.user_data);
        }
    }
    ServerPort::release(port);
}

/// A request for a parsed query, C-visible part first.
///
/// # Safety
/// `port` is live; the caller counts the request's reference to it.
unsafe fn new_request(
    port: *const ServerPort,
    q: &wire::Query,
    from: sockaddr_storage,
    fromlen: socklen_t,
    client: u64,
    limit: usize,
) -> *mut ServerRequest {
    let n = q.questions.len();
    let questions = mem::calloc(n, size_of::<*mut ServerQuestion>()) as *mut *mut ServerQuestion;
    let mut made = 0;
    if !questions.is_null() {
        for (i, question) in q.questions.iter().enumerate() {
            // The name follows the two ints, NUL-terminated (at least the declared size).
            let bytes = (size_of::<c_int>() * 2 + question.name.len() + 1).max(size_of::<ServerQuestion>());
            let qp = mem::malloc(bytes) as *mut ServerQuestion;
            if qp.is_null() {
                break;
            }
            (*qp).qtype = question.qtype as c_int;
            (*qp).class = question.class as c_int;
            let name = ptr::addr_of_mut!((*qp).name) as *mut u8;
            ptr::copy_nonoverlapping(question.name.as_ptr(), name, question.name.len());
            *name.add(question.name.len()) = 0;
            *questions.add(i) = qp;
            made += 1;
        }
    }
    Box::into_raw(Box::new(ServerRequest {
        flags: q.flags as c_int,
        nquestions: made as c_int,
        questions,
        port,
        id: q.id,
        from,
        fromlen,
        sections: [Vec::new(), Vec::new(), Vec::new()],
        response: None,
        client,
        limit,
    }))
}

impl PortState {
    fn new() -> PortState {
        PortState {
            refs: 1,
            closing: false,
            pending: VecDeque::new(),
            writing: false,
            clients: HashMap::new(),
            next_client: 0,
            max_clients: 0,
            idle: DEFAULT_TCP_IDLE,
            paused: false,
        }
    }
}

/// Releases a request and its reference to the port (which may go with it).
///
/// # Safety
/// `req` is a live request, not used afterwards; no lock of its port is held.
unsafe fn free_request(req: *mut ServerRequest) {
    let r = Box::from_raw(req);
    let port = r.port;
    let resume = {
        let mut st = (*port).state.lock();
        st.pending.retain(|&p| p != req);
        let idle = st.idle;
        let mut gone = false;
        if let Some(c) = st.clients.get_mut(&r.client) {
            c.outstanding = c.outstanding.saturating_sub(1);
            if c.finished() {
                gone = true;
            } else {
                (*port).client_interest(c, idle);
            }
        }
        if gone {
            st.clients.remove(&r.client);
        }
        (*port).limit_check(&mut st)
    };
    (*port).pause_listener(resume);
    for i in 0..r.nquestions.max(0) as usize {
        mem::free(*r.questions.add(i) as *mut c_void);
    }
    mem::free(r.questions as *mut c_void);
    drop(r);
    ServerPort::release(port);
}

/// Sends the request's built response.
///
/// # Safety
/// `req` is a live request of a live port.
unsafe fn send(req: *mut ServerRequest) -> Result<(), c_int> {
    let r = &*req;
    let resp = r.response.as_deref().unwrap_or(&[]);
    let n = libc::sendto(
        (*r.port).socket,
        resp.as_ptr() as *const c_void,
        resp.len(),
        0,
        &r.from as *const sockaddr_storage as *const sockaddr,
        r.fromlen,
    );
    if n < 0 {
        Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    } else {
        Ok(())
    }
}

/// evdns_server_request_add_reply. -1 once the response is built, for an unknown section, a
/// NULL name, or data of a size libevent's allocator refuses (0 bytes, or negative).
///
/// # Safety
/// `req` is a live request; `name` and a name `data` are C strings; other `data` holds
/// `datalen` bytes.
#[allow(clippy::too_many_arguments)]
pub unsafe fn add_reply(
    req: *mut ServerRequest,
    section: c_int,
    name: *const c_char,
    rtype: c_int,
    class: c_int,
    ttl: c_int,
    datalen: c_int,
    is_name: bool,
    data: *const c_char,
) -> c_int {
    let _guard = (*(*req).port).state.lock();
    let r = &mut *req;
    if r.response.is_some() || !(0..=2).contains(&section) || name.is_null() {
        return -1;
    }
    let data = if data.is_null() {
        if is_name {
            RData::Name(Vec::new())
        } else {
            RData::Bytes(Vec::new())
        }
    } else if is_name {
        RData::Name(std::ffi::CStr::from_ptr(data).to_bytes().to_vec())
    } else {
        if datalen <= 0 {
            return -1;
        }
        RData::Bytes(std::slice::from_raw_parts(data as *const u8, datalen as usize).to_vec())
    };
    r.sections[section as usize].push(Record {
        name: std::ffi::CStr::from_ptr(name).to_bytes().to_vec(),
        rtype: rtype as u16,
        class: class as u16,
        ttl: ttl as u32,
        data,
    });
    0
}

/// evdns_server_request_add_ptr_reply: the record's name is the PTR name of `addr` (network
/// order) when given, else `inaddr_name`; -1 when both are missing.
///
/// # Safety
/// As for `add_reply`.
pub unsafe fn add_ptr_reply(
    req: *mut ServerRequest,
    addr: Option<[u8; 4]>,
    inaddr_name: *const c_char,
    hostname: *const c_char,
    ttl: c_int,
) -> c_int {
    let built = addr.map(|a| {
        let mut n = wire::reverse_name_v4(a);
        n.push(0);
        n
    });
    let name = match &built {
        Some(n) => n.as_ptr() as *const c_char,
        None if inaddr_name.is_null() => return -1,
        None => inaddr_name,
    };
    add_reply(req, ANSWER_SECTION, name, wire::TYPE_PTR as c_int, wire::CLASS_INET as c_int, ttl, -1, true, hostname)
}

/// evdns_server_request_set_flags: AA and libevent's "RD" (0x080) are replaced.
///
/// # Safety
/// `req` is a live request.
pub unsafe fn set_flags(req: *mut ServerRequest, flags: c_int) {
    let _guard = (*(*req).port).state.lock();
    (*req).flags = ((*req).flags & !(FLAGS_AA | FLAGS_RD)) | flags;
}

/// evdns_server_request_respond: 0 sent, 1 queued until the socket is writable, -1 when
/// `err` is not a 4-bit code or the response cannot be built (the request then stays).
///
/// # Safety
/// `req` is a live request; it is released unless -1 is returned.
pub unsafe fn respond(req: *mut ServerRequest, err: c_int) -> c_int {
    let port = (*req).port;
    {
        let _guard = (*port).state.lock();
        let r = &mut *req;
        if r.response.is_none() {
            if !(0..=15).contains(&err) {
                return -1;
            }
            let mut questions = Vec::with_capacity(r.nquestions.max(0) as usize);
            for i in 0..r.nquestions.max(0) as usize {
                let q = *r.questions.add(i);
                let name = std::ffi::CStr::from_ptr(ptr::addr_of!((*q).name) as *const c_char).to_bytes().to_vec();
                questions.push(Question { name, qtype: (*q).qtype as u16, class: (*q).class as u16 });
            }
            let flags = (r.flags as u16) | wire::FLAG_QR | err as u16;
            let sections = [&r.sections[0][..], &r.sections[1][..], &r.sections[2][..]];
            match wire::build_reply(r.id, flags, &questions, sections, r.limit) {
                Some(p) => r.response = Some(p),
                None => return -1,
            }
            r.sections = [Vec::new(), Vec::new(), Vec::new()];
        }
    }
    if (*req).client != 0 {
        // Over TCP: behind the answers already owed to that client, length first. A client
        // gone meanwhile gets nothing.
        {
            let mut st = (*port).state.lock();
            if let Some(c) = st.clients.get_mut(&(*req).client) {
                let resp = (*req).response.as_deref().unwrap_or(&[]);
                c.out.extend_from_slice(&(resp.len() as u16).to_be_bytes());
                c.out.extend_from_slice(resp);
                if !ServerPort::client_flush(c) {
                    c.eof = true;
                    c.out.clear();
                }
            }
        }
        free_request(req);
        return 0;
    }
    let queued = !(*port).state.lock().pending.is_empty();
    if !queued {
        match send(req) {
            Ok(()) => {}
            Err(e) if is_retriable(e) => {
                let p = &*port;
                let mut st = p.state.lock();
                st.pending.push_back(req);
                if !st.writing {
                    st.writing = true;
                    p.set_interest(&mut st);
                }
                return 1;
            }
            Err(e) => {
                log::emit(log::WARN, &format!("Error {} ({e}) while writing response to port; dropping", strerror(e)))
            }
        }
        free_request(req);
        return 0;
    }
    // Answers go out in order: behind those already waiting.
    (*port).state.lock().pending.push_back(req);
    1
}

/// evdns_server_request_drop.
///
/// # Safety
/// `req` is a live request, not used afterwards.
pub unsafe fn drop_request(req: *mut ServerRequest) {
    free_request(req);
}

/// evdns_server_request_get_requesting_addr: the sender's address length, or -1 when `len`
/// is too small for it.
///
/// # Safety
/// `req` is a live request; `sa` holds `len` bytes.
pub unsafe fn requesting_addr(req: *mut ServerRequest, sa: *mut sockaddr, len: c_int) -> c_int {
    let r = &*req;
    if len < r.fromlen as c_int {
        return -1;
    }
    ptr::copy_nonoverlapping(&r.from as *const sockaddr_storage as *const u8, sa as *mut u8, r.fromlen as usize);
    r.fromlen as c_int
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ev;
    use crate::core::run::run_loop;
    use crate::core::run::LOOP_NONBLOCK;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static CALLS: AtomicUsize = AtomicUsize::new(0);

    unsafe extern "C" fn answer(req: *mut ServerRequest, _arg: *mut c_void) {
        CALLS.fetch_add(1, Ordering::SeqCst);
        respond(req, 0);
    }

    fn udp(port: u16) -> (c_int, libc::sockaddr_in) {
        // SAFETY: plain socket calls on our own descriptors and structures.
        unsafe {
            let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_NONBLOCK, 0);
            assert!(fd >= 0);
            let mut sin: libc::sockaddr_in = std::mem::zeroed();
            sin.sin_family = libc::AF_INET as libc::sa_family_t;
            sin.sin_addr.s_addr = u32::from_be_bytes([127, 0, 0, 1]).to_be();
            sin.sin_port = port.to_be();
            let len = size_of::<libc::sockaddr_in>() as socklen_t;
            assert_eq!(libc::bind(fd, &sin as *const _ as *const sockaddr, len), 0);
            let mut l = len;
            libc::getsockname(fd, &mut sin as *mut _ as *mut sockaddr, &mut l);
            (fd, sin)
        }
    }

    /// Datagrams shorter than a header (which crash libevent 2.1.12's server) are refused;
    /// the port goes on answering.
    #[test]
    fn short_datagrams_are_refused() {
        // SAFETY: a base, a port and sockets made and released here, on one thread.
        unsafe {
            let base = ev::base_new_default();
            let (sfd, srv) = udp(0);
            let port = ServerPort::new(base, sfd, 0, Some(answer), ptr::null_mut());
            assert!(!port.is_null());
            let (cli, _) = udp(0);
            let query = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01x\x00\x00\x01\x00\x01";
            let to = &srv as *const libc::sockaddr_in as *const sockaddr;
            let tolen = size_of::<libc::sockaddr_in>() as socklen_t;
            for n in 0..12 {
                libc::sendto(cli, query.as_ptr() as *const c_void, n, 0, to, tolen);
            }
            libc::sendto(cli, query.as_ptr() as *const c_void, query.len(), 0, to, tolen);
            let mut reply = [0u8; 512];
            let mut got = -1;
            for _ in 0..200 {
                run_loop(base, LOOP_NONBLOCK);
                got = libc::recv(cli, reply.as_mut_ptr() as *mut c_void, reply.len(), libc::MSG_DONTWAIT);
                if got > 0 {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            assert_eq!(got, query.len() as isize);
            assert_eq!(&reply[..4], b"\x12\x34\x81\x00");
            assert_eq!(CALLS.load(Ordering::SeqCst), 1);
            ServerPort::close(port);
            libc::close(cli);
            ev::base_free(base, true);
        }
    }
}
