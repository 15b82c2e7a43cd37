//! `struct evhttp`: listening sockets, the callbacks by path, virtual hosts and aliases, and
//! the settings its connections take (timeouts, limits, methods, content type).
use super::conn::{self, Connection};
use super::encode::{self, Plus};
use super::ffi::{self, bufferevent, evconnlistener, event_base};
use super::parser;
use super::request::{self, Request, RequestCb};
use libc::{c_char, c_int, c_void, sockaddr, socklen_t, timeval};
use std::ffi::{CStr, CString};
use std::ptr;

pub const SERVER_LINGERING_CLOSE: c_int = 0x0001;

pub type BevCb = unsafe extern "C" fn(*mut event_base, *mut c_void) -> *mut bufferevent;
/// evhttp_set_newreqcb: -1 refuses the request (its connection is closed).
pub type NewReqCb = unsafe extern "C" fn(*mut Request, *mut c_void) -> c_int;
/// evhttp_set_errorcb: 0 when the callback wrote the page into the buffer.
pub type ErrorPageCb =
    unsafe extern "C" fn(*mut Request, *mut ffi::evbuffer, c_int, *const c_char, *mut c_void) -> c_int;
/// evhttp_ext_method_cb: names an extension method's type, or types its name; 0 when known.
pub type ExtMethodCb = unsafe extern "C" fn(*mut ExtMethod) -> c_int;

/// EVHTTP_METHOD_HAS_BODY
pub const METHOD_HAS_BODY: u16 = 0x0001;

/// `struct evhttp_ext_method` (libevent 2.2).
#[repr(C)]
pub struct ExtMethod {
    pub method: *const c_char,
    pub type_: u32,
    pub flags: u16,
}

/// Asks an extension method callback for the type and flags of a method name.
///
/// # Safety
/// `cb` is the program's callback.
pub unsafe fn ext_method_by_name(cb: ExtMethodCb, name: &[u8]) -> Option<(u32, u16)> {
    let n = CString::new(name).ok()?;
    let mut m = ExtMethod { method: n.as_ptr(), type_: 0, flags: 0 };
    (cb(&mut m) == 0).then_some((m.type_, m.flags))
}

/// Asks an extension method callback for the name of a method type.
///
/// # Safety
/// `cb` is the program's callback.
pub unsafe fn ext_method_by_type(cb: ExtMethodCb, t: u32) -> Option<Vec<u8>> {
    let mut m = ExtMethod { method: ptr::null(), type_: t, flags: 0 };
    if cb(&mut m) != 0 || m.method.is_null() {
        return None;
    }
    Some(CStr::from_ptr(m.method).to_bytes().to_vec())
}

/// `struct evhttp_bound_socket`.
pub struct BoundSocket {
    pub listener: *mut evconnlistener,
    pub http: *mut Evhttp,
    /// evhttp_bound_set_bevcb: this socket's bufferevents (else the server's)
    pub bevcb: Option<BevCb>,
    pub bevcb_arg: *mut c_void,
}

pub struct PathCb {
    pub path: CString,
    pub cb: RequestCb,
    pub arg: *mut c_void,
}

pub struct Evhttp {
    pub base: *mut event_base,
    pub sockets: Vec<*mut BoundSocket>,
    pub connections: Vec<*mut Connection>,
    pub callbacks: Vec<PathCb>,
    pub gencb: Option<RequestCb>,
    pub gencb_arg: *mut c_void,
    pub bevcb: Option<BevCb>,
    pub bevcb_arg: *mut c_void,
    pub vhosts: Vec<*mut Evhttp>,
    pub vhost_pattern: Option<CString>,
    pub aliases: Vec<CString>,
    pub timeout_read: Option<timeval>,
    pub timeout_write: Option<timeval>,
    /// evhttp_set_max_connections (0: no limit)
    pub max_connections: c_int,
    pub newreqcb: Option<NewReqCb>,
    pub newreqcb_arg: *mut c_void,
    pub errorcb: Option<ErrorPageCb>,
    pub errorcb_arg: *mut c_void,
    pub ext_method_cmp: Option<ExtMethodCb>,
    pub max_headers_size: u64,
    pub max_body_size: u64,
    pub default_content_type: Option<CString>,
    pub allowed_methods: u32,
    pub flags: c_int,
}

impl Evhttp {
    pub fn new(base: *mut event_base) -> *mut Evhttp {
        // The server's block first: when the program's malloc refuses it, NULL and libevent's
        // warning.
        let Some(mut h) = crate::core::mem::try_box(Evhttp {
            base,
            sockets: Vec::new(),
            connections: Vec::new(),
            callbacks: Vec::new(),
            gencb: None,
            gencb_arg: ptr::null_mut(),
            bevcb: None,
            bevcb_arg: ptr::null_mut(),
            vhosts: Vec::new(),
            vhost_pattern: None,
            aliases: Vec::new(),
            timeout_read: None,
            timeout_write: None,
            max_connections: 0,
            newreqcb: None,
            newreqcb_arg: ptr::null_mut(),
            errorcb: None,
            errorcb_arg: ptr::null_mut(),
            ext_method_cmp: None,
            max_headers_size: u64::MAX,
            max_body_size: u64::MAX,
            default_content_type: None,
            allowed_methods: parser::REQ_GET
                | parser::REQ_POST
                | parser::REQ_HEAD
                | parser::REQ_PUT
                | parser::REQ_DELETE,
            flags: 0,
        }) else {
            crate::core::log::warn_no_alloc("evhttp_new_object: calloc");
            return ptr::null_mut();
        };
        h.default_content_type = Some(CString::new("text/html; charset=ISO-8859-1").unwrap_or_default());
        Box::into_raw(h)
    }
}

/// evhttp_free: listeners, connections (their close callbacks run), callbacks, virtual hosts.
///
/// # Safety
/// `h` is a live server.
pub unsafe fn free(h: *mut Evhttp) {
    for b in std::mem::take(&mut (*h).sockets) {
        ffi::evconnlistener_free((*b).listener);
        drop(Box::from_raw(b));
    }
    while let Some(&c) = (*h).connections.first() {
        conn::free(c);
        // free() forgets the connection; make sure of it even if it was already dying.
        if (*h).connections.first() == Some(&c) {
            (*h).connections.remove(0);
        }
    }
    for v in std::mem::take(&mut (*h).vhosts) {
        free(v);
    }
    drop(Box::from_raw(h));
}

/// Removes a connection from its server's list (when the connection is freed).
///
/// # Safety
/// `h` is a live server.
pub unsafe fn forget_connection(h: *mut Evhttp, c: *mut Connection) {
    if let Some(i) = (*h).connections.iter().position(|&x| x == c) {
        (*h).connections.remove(i);
    }
}

/// A shell-like pattern ('*' matches any run), ignoring ASCII case.
pub fn pattern_match(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..name.len()).any(|i| pattern_match(rest, &name[i..])),
        Some((&p, rest)) => {
            name.first().is_some_and(|&n| p.eq_ignore_ascii_case(&n)) && pattern_match(rest, &name[1..])
        }
    }
}

unsafe fn find_alias(h: *mut Evhttp, host: &[u8]) -> Option<*mut Evhttp> {
    if (*h).aliases.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(host)) {
        return Some(h);
    }
    (*h).vhosts.iter().find_map(|&v| find_alias(v, host))
}

/// The server object that serves `host`: an alias anywhere in the tree, else the deepest chain
/// of matching virtual-host patterns; None when nothing matches (the root then serves).
///
/// # Safety
/// `h` is a live server.
pub unsafe fn find_vhost(h: *mut Evhttp, host: &[u8]) -> Option<*mut Evhttp> {
    if let Some(a) = find_alias(h, host) {
        return Some(a);
    }
    let mut cur = h;
    let mut found = false;
    loop {
        let next = (*cur)
            .vhosts
            .iter()
            .copied()
            .find(|&v| (*v).vhost_pattern.as_ref().is_some_and(|p| pattern_match(p.as_bytes(), host)));
        match next {
            Some(v) => {
                cur = v;
                found = true;
            }
            None => break,
        }
    }
    found.then_some(cur)
}

/// The callback of every request the server reads (req->cb): checks, routing, or an error.
///
/// # Safety
/// Called by the connection with a live request and its server.
pub unsafe extern "C" fn handle_request(req: *mut Request, arg: *mut c_void) {
    let mut h = arg as *mut Evhttp;
    (*req).set_userdone(false);
    let c = (*req).evcon;
    if !c.is_null() && !(*c).bufev.is_null() {
        ffi::bufferevent_disable((*c).bufev, ffi::EV_READ);
    }
    if (*req).type_ == 0 || (*req).uri.is_null() {
        conn::send_error(req, (*req).response_code, None);
        return;
    }
    // A method the program's extension callback recognised is allowed by the mask when its
    // type is one of the mask's 16 bits, and by the callback alone when it is past them.
    let t = (*req).type_;
    let allowed = if (*req).ext_method && t > 0xffff { true } else { (*h).allowed_methods & t != 0 };
    if !allowed {
        conn::send_error(req, 501, None);
        return;
    }
    let host = request::host(req);
    if !host.is_null() {
        if let Some(v) = find_vhost(h, CStr::from_ptr(host).to_bytes()) {
            h = v;
        }
    }
    if let Some(u) = (*req).uri_elems.as_ref() {
        let path = u.path.as_ref().map_or(&b""[..], |p| p.as_bytes());
        let decoded = encode::decode(path, Plus::Keep);
        if let Some(pc) = (*h).callbacks.iter().find(|pc| pc.path.as_bytes() == &decoded[..]) {
            let (cb, a) = (pc.cb, pc.arg);
            cb(req, a);
            return;
        }
    }
    match (*h).gencb {
        Some(cb) => cb(req, (*h).gencb_arg),
        None => conn::send_not_found(req),
    }
}

/// A fresh request on a server connection (first, or after a reply on a persistent one).
///
/// # Safety
/// `c` is a live incoming connection of a server.
pub unsafe fn new_request_on(c: *mut Connection) -> bool {
    let h = (*c).http_server;
    conn::new_server_request(c, handle_request, h as *mut c_void)
}

/// evhttp_set_newreqcb's call for a request just made: false when the program refuses it.
///
/// # Safety
/// `req` is a live server request of a connection of `h`.
pub unsafe fn run_newreqcb(h: *mut Evhttp, req: *mut Request) -> bool {
    match (*h).newreqcb {
        Some(cb) => cb(req, (*h).newreqcb_arg) != -1,
        None => true,
    }
}

unsafe fn name_of(sa: *const sockaddr, salen: socklen_t) -> Option<(Vec<u8>, u16)> {
    let mut host = [0 as c_char; 1025];
    let mut serv = [0 as c_char; 32];
    let r = libc::getnameinfo(
        sa,
        salen,
        host.as_mut_ptr(),
        host.len() as socklen_t,
        serv.as_mut_ptr(),
        serv.len() as socklen_t,
        libc::NI_NUMERICHOST | libc::NI_NUMERICSERV,
    );
    if r != 0 {
        return None;
    }
    let port = CStr::from_ptr(serv.as_ptr()).to_str().ok()?.parse().unwrap_or(0);
    Some((CStr::from_ptr(host.as_ptr()).to_bytes().to_vec(), port))
}

unsafe extern "C" fn accept_cb(_l: *mut evconnlistener, fd: c_int, sa: *mut sockaddr, salen: c_int, arg: *mut c_void) {
    let b = arg as *mut BoundSocket;
    get_request((*b).http, b, fd, sa, salen as socklen_t);
}

/// Takes an accepted socket: a connection with its first request (or, past the server's
/// connection limit, a 503 reply and the close).
///
/// # Safety
/// `h` is a live server, `b` one of its sockets, `fd` an accepted socket, `sa` its peer.
pub unsafe fn get_request(h: *mut Evhttp, b: *mut BoundSocket, fd: c_int, sa: *const sockaddr, salen: socklen_t) {
    let (host, port) =
        if salen as usize >= std::mem::size_of::<libc::sa_family_t>() && (*sa).sa_family as c_int == libc::AF_UNIX {
            // A Unix-domain peer has no numeric name: it is named by its socket's path, or
            // "unix" when it is unnamed (a client's socket usually is).
            let un = &*(sa as *const libc::sockaddr_un);
            let room = (salen as usize).saturating_sub(std::mem::size_of::<libc::sa_family_t>()).min(un.sun_path.len());
            let path: Vec<u8> = un.sun_path[..room].iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
            (if path.is_empty() { b"unix".to_vec() } else { path }, 0)
        } else {
            match name_of(sa, salen) {
                Some(n) => n,
                None => {
                    libc::close(fd);
                    return;
                }
            }
        };
    let (bevcb, bevcb_arg) = match (*b).bevcb {
        Some(cb) => (Some(cb), (*b).bevcb_arg),
        None => ((*h).bevcb, (*h).bevcb_arg),
    };
    let bev = match bevcb {
        Some(cb) => cb((*h).base, bevcb_arg),
        None => ptr::null_mut(),
    };
    let c = conn::accept(h, fd, sa, salen, bev, &host, port);
    if c.is_null() {
        libc::close(fd);
        return;
    }
    let same = match ((*h).timeout_read, (*h).timeout_write) {
        (Some(r), Some(w)) => r.tv_sec == w.tv_sec && r.tv_usec == w.tv_usec,
        _ => false,
    };
    if same {
        conn::set_timeout(c, (*h).timeout_read);
    } else if (*h).timeout_read.is_some() || (*h).timeout_write.is_some() {
        conn::set_rw_timeouts(c, (*h).timeout_read, (*h).timeout_write);
    }
    (*c).http_server = h;
    (*c).ext_method_cmp = (*h).ext_method_cmp;
    (*h).connections.push(c);
    let over = (*h).max_connections > 0 && (*h).connections.len() > (*h).max_connections as usize;
    conn::with(c, || {
        if over {
            conn::refuse_busy(c);
        } else if !new_request_on(c) {
            conn::free(c);
        }
    });
}

/// A listening socket for address:port (any address when NULL); -1 on failure. With `reuse`,
/// SO_REUSEADDR is set (servers).
pub fn bind_socket(address: Option<&[u8]>, port: u16, reuse: bool) -> c_int {
    // SAFETY: getaddrinfo/socket/bind with valid arguments; the list is freed once.
    unsafe {
        if address.is_none() && port == 0 {
            return new_socket(libc::AF_INET, ptr::null(), 0, false);
        }
        let mut hints: libc::addrinfo = std::mem::zeroed();
        hints.ai_family = libc::AF_UNSPEC;
        hints.ai_socktype = libc::SOCK_STREAM;
        hints.ai_flags = libc::AI_PASSIVE | libc::AI_ADDRCONFIG;
        let host = address.map(|a| CString::new(a).unwrap_or_default());
        let serv = CString::new(port.to_string()).unwrap_or_default();
        let mut res: *mut libc::addrinfo = ptr::null_mut();
        if libc::getaddrinfo(host.as_ref().map_or(ptr::null(), |h| h.as_ptr()), serv.as_ptr(), &hints, &mut res) != 0
            || res.is_null()
        {
            return -1;
        }
        let fd = new_socket((*res).ai_family, (*res).ai_addr, (*res).ai_addrlen, reuse);
        libc::freeaddrinfo(res);
        fd
    }
}

unsafe fn new_socket(family: c_int, addr: *const sockaddr, len: socklen_t, reuse: bool) -> c_int {
    let fd = libc::socket(family, libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC, 0);
    if fd == -1 {
        return -1;
    }
    let on: c_int = 1;
    let sz = std::mem::size_of::<c_int>() as socklen_t;
    libc::setsockopt(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE, &on as *const c_int as *const c_void, sz);
    if reuse {
        libc::setsockopt(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, &on as *const c_int as *const c_void, sz);
    }
    if !addr.is_null() && libc::bind(fd, addr, len) == -1 {
        let e = *libc::__errno_location();
        libc::close(fd);
        *libc::__errno_location() = e;
        return -1;
    }
    fd
}

/// evhttp_bind_listener: the server accepts from this listener.
///
/// # Safety
/// `h` is a live server, `l` a listener.
pub unsafe fn bind_listener(h: *mut Evhttp, l: *mut evconnlistener) -> *mut BoundSocket {
    let b = Box::into_raw(Box::new(BoundSocket { listener: l, http: h, bevcb: None, bevcb_arg: ptr::null_mut() }));
    (*h).sockets.push(b);
    ffi::evconnlistener_set_cb(l, Some(accept_cb), b as *mut c_void);
    b
}

/// evhttp_accept_socket_with_handle: a socket already listening.
///
/// # Safety
/// `h` is a live server.
pub unsafe fn accept_socket(h: *mut Evhttp, fd: c_int) -> *mut BoundSocket {
    let flags = ffi::LEV_OPT_REUSEABLE | ffi::LEV_OPT_CLOSE_ON_EXEC | ffi::LEV_OPT_CLOSE_ON_FREE;
    let l = ffi::evconnlistener_new((*h).base, None, ptr::null_mut(), flags, 0, fd);
    if l.is_null() {
        return ptr::null_mut();
    }
    bind_listener(h, l)
}

/// evhttp_bind_socket_with_handle.
///
/// # Safety
/// `h` is a live server.
pub unsafe fn bind(h: *mut Evhttp, address: Option<&[u8]>, port: u16) -> *mut BoundSocket {
    let fd = bind_socket(address, port, true);
    if fd == -1 {
        return ptr::null_mut();
    }
    if libc::listen(fd, 128) == -1 {
        let e = *libc::__errno_location();
        libc::close(fd);
        *libc::__errno_location() = e;
        return ptr::null_mut();
    }
    let b = accept_socket(h, fd);
    if b.is_null() {
        libc::close(fd);
    }
    b
}

/// evhttp_del_accept_socket: stops listening on this socket and closes it.
///
/// # Safety
/// `h` is a live server, `b` one of its sockets.
pub unsafe fn del_accept_socket(h: *mut Evhttp, b: *mut BoundSocket) {
    if let Some(i) = (*h).sockets.iter().position(|&x| x == b) {
        (*h).sockets.remove(i);
    }
    ffi::evconnlistener_free((*b).listener);
    drop(Box::from_raw(b));
}
