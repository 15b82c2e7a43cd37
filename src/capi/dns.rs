//! Exports of event2/dns.h: the resolver, evdns_getaddrinfo and server ports, with libevent
//! 2.2's additions (DNS over TCP, TCP server ports, the cache, nameserver sockets).
//!
//! Where libevent would crash on a NULL base, request or string, these return the function's
//! failure value instead (-1, NULL, or nothing); everything else behaves as libevent 2.1.12.
#![allow(non_camel_case_types)]
// The safety contract of each export is its C documentation (libevent's header).
#![allow(clippy::missing_safety_doc)]
use crate::core::base::EventBase;
use crate::listener::Listener;
use crate::dns::getaddrinfo::{self, GaiHandle};
use crate::dns::resolver::{self, DnsBase, RawAddr, ReqHandle};
use crate::dns::server::{self, ServerPort, ServerRequest};
use crate::dns::{log, wire};
use libc::{addrinfo, c_char, c_int, c_uint, c_ulong, c_void, in6_addr, in_addr, size_t, sockaddr};
use std::ffi::CStr;
use std::mem::size_of;
use std::ptr;

pub type evutil_socket_t = c_int;
pub type ev_socklen_t = libc::socklen_t;
pub type ev_uint16_t = u16;
pub type evdns_callback_type = Option<resolver::ResultFn>;
pub type evdns_getaddrinfo_cb = Option<getaddrinfo::GaiFn>;
pub type evdns_request_callback_fn_type = Option<server::RequestFn>;
pub type evdns_debug_log_fn_type = Option<log::LogFn>;
/// libevent 2.2's `enum evdns_server_option` (declared in the generated header).
pub type ServerOption = c_int;

/// The bytes of a C string, or `None` for NULL.
unsafe fn text<'a>(s: *const c_char) -> Option<&'a [u8]> {
    // SAFETY: the caller passes NULL or a C string that outlives the result.
    (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_bytes())
}

/// Runs `f` on the base's state; `err` when the base is NULL.
unsafe fn with<R>(base: *mut DnsBase, err: R, f: impl FnOnce(&mut resolver::State) -> R) -> R {
    // SAFETY: a non-NULL base is a live evdns_base (the C contract).
    match unsafe { base.as_ref() } {
        Some(b) => b.with(f),
        None => err,
    }
}

// ---- bases ---------------------------------------------------------------------------------

#[no_mangle]
pub unsafe extern "C" fn evdns_base_new(event_base: *mut EventBase, initialize_nameservers: c_int) -> *mut DnsBase {
    DnsBase::new(event_base, initialize_nameservers)
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_free(base: *mut DnsBase, fail_requests: c_int) {
    if !base.is_null() {
        // SAFETY: a live base, not used by the caller afterwards.
        unsafe { DnsBase::free(base, fail_requests != 0) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_clear_host_addresses(base: *mut DnsBase) {
    with(base, (), |s| s.clear_hosts())
}

#[no_mangle]
pub extern "C" fn evdns_err_to_string(err: c_int) -> *const c_char {
    resolver::err_to_string(err).as_ptr()
}

// ---- nameservers ---------------------------------------------------------------------------

/// `address` is an IPv4 address in network order; the port is 53.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_nameserver_add(base: *mut DnsBase, address: c_ulong) -> c_int {
    with(base, -1, |s| s.add_nameserver_v4(address as u32))
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_count_nameservers(base: *mut DnsBase) -> c_int {
    with(base, 0, |s| s.count_nameservers())
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_clear_nameservers_and_suspend(base: *mut DnsBase) -> c_int {
    with(base, -1, |s| {
        s.clear_and_suspend();
        0
    })
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_resume(base: *mut DnsBase) -> c_int {
    with(base, -1, |s| {
        s.resume();
        0
    })
}

/// A NULL string cannot be parsed (4).
#[no_mangle]
pub unsafe extern "C" fn evdns_base_nameserver_ip_add(base: *mut DnsBase, ip_as_string: *const c_char) -> c_int {
    // SAFETY: NULL or a C string.
    let Some(t) = (unsafe { text(ip_as_string) }) else { return 4 };
    with(base, -1, |s| s.add_nameserver_text(t))
}

/// The address is used as given (no default port). Too long an address gives 2.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_nameserver_sockaddr_add(base: *mut DnsBase, sa: *const sockaddr, len: ev_socklen_t, flags: c_uint) -> c_int {
    let _ = flags;
    if sa.is_null() {
        return -1;
    }
    let keep = (len as usize).min(size_of::<libc::sockaddr_storage>());
    // SAFETY: sa holds len bytes, of which at most sockaddr_storage's size are read.
    let mut a = unsafe { RawAddr::from_raw(sa, keep) };
    a.len = len;
    with(base, -1, |s| s.add_nameserver(&a))
}

/// The address's length when written to `sa`; -1 for no such nameserver; the needed length
/// (more than `len`) when `sa` is too small.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_get_nameserver_addr(base: *mut DnsBase, idx: c_int, sa: *mut sockaddr, len: ev_socklen_t) -> c_int {
    let Some(a) = with(base, None, |s| s.nameserver_addr(idx)) else { return -1 };
    if a.len > len || sa.is_null() {
        return a.len as c_int;
    }
    // SAFETY: sa holds len >= a.len bytes.
    unsafe { ptr::copy_nonoverlapping(a.as_ptr() as *const u8, sa as *mut u8, a.len as usize) };
    a.len as c_int
}

/// libevent 2.2: the UDP socket of the `idx`th nameserver (the order of
/// evdns_base_get_nameserver_addr), or -1.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_get_nameserver_fd(base: *mut DnsBase, idx: c_int) -> c_int {
    with(base, -1, |s| s.nameserver_fd(idx))
}

// ---- lookups -------------------------------------------------------------------------------

unsafe fn resolve(base: *mut DnsBase, qtype: u16, name: *const c_char, flags: c_int, cb: evdns_callback_type, arg: *mut c_void) -> *mut ReqHandle {
    // SAFETY: NULL or a C string.
    let (Some(b), Some(n)) = (unsafe { base.as_ref() }, unsafe { text(name) }) else { return ptr::null_mut() };
    b.resolve(qtype, n, flags, cb, arg, false)
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_resolve_ipv4(base: *mut DnsBase, name: *const c_char, flags: c_int, callback: evdns_callback_type, ptr: *mut c_void) -> *mut ReqHandle {
    resolve(base, wire::TYPE_A, name, flags, callback, ptr)
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_resolve_ipv6(base: *mut DnsBase, name: *const c_char, flags: c_int, callback: evdns_callback_type, ptr: *mut c_void) -> *mut ReqHandle {
    resolve(base, wire::TYPE_AAAA, name, flags, callback, ptr)
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_resolve_reverse(base: *mut DnsBase, r#in: *const in_addr, flags: c_int, callback: evdns_callback_type, ptr: *mut c_void) -> *mut ReqHandle {
    // SAFETY: NULL or a valid in_addr.
    let (Some(b), Some(a)) = (unsafe { base.as_ref() }, unsafe { r#in.as_ref() }) else { return ptr::null_mut() };
    b.resolve(wire::TYPE_PTR, &wire::reverse_name_v4(a.s_addr.to_ne_bytes()), flags, callback, ptr, true)
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_resolve_reverse_ipv6(base: *mut DnsBase, r#in: *const in6_addr, flags: c_int, callback: evdns_callback_type, ptr: *mut c_void) -> *mut ReqHandle {
    // SAFETY: NULL or a valid in6_addr.
    let (Some(b), Some(a)) = (unsafe { base.as_ref() }, unsafe { r#in.as_ref() }) else { return ptr::null_mut() };
    b.resolve(wire::TYPE_PTR, &wire::reverse_name_v6(a.s6_addr), flags, callback, ptr, true)
}

/// `base` may be NULL (the request's own base is used). A NULL request is ignored.
#[no_mangle]
pub unsafe extern "C" fn evdns_cancel_request(base: *mut DnsBase, req: *mut ReqHandle) {
    if !req.is_null() {
        // SAFETY: a handle whose callback has not returned (the C contract).
        unsafe { DnsBase::cancel(base, req) };
    }
}

// ---- configuration -------------------------------------------------------------------------

#[no_mangle]
pub unsafe extern "C" fn evdns_base_set_option(base: *mut DnsBase, option: *const c_char, val: *const c_char) -> c_int {
    // SAFETY: NULL or C strings.
    let (Some(o), Some(v)) = (unsafe { text(option) }, unsafe { text(val) }) else { return -1 };
    with(base, -1, |s| s.set_option(o, v, resolver::OPTIONS_ALL))
}

/// A NULL file name is a missing file (1, defaults applied).
#[no_mangle]
pub unsafe extern "C" fn evdns_base_resolv_conf_parse(base: *mut DnsBase, flags: c_int, filename: *const c_char) -> c_int {
    // SAFETY: NULL or a C string.
    let f = (!filename.is_null()).then(|| unsafe { CStr::from_ptr(filename) });
    with(base, -1, |s| s.resolv_conf_parse(flags, f))
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_load_hosts(base: *mut DnsBase, hosts_fname: *const c_char) -> c_int {
    // SAFETY: NULL or a C string.
    let f = (!hosts_fname.is_null()).then(|| unsafe { CStr::from_ptr(hosts_fname) });
    with(base, -1, |s| s.load_hosts(f))
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_search_clear(base: *mut DnsBase) {
    with(base, (), |s| s.search_clear())
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_search_add(base: *mut DnsBase, domain: *const c_char) {
    // SAFETY: NULL or a C string.
    if let Some(d) = unsafe { text(domain) } {
        with(base, (), |s| s.search_add(d))
    }
}

#[no_mangle]
pub unsafe extern "C" fn evdns_base_search_ndots_set(base: *mut DnsBase, ndots: c_int) {
    with(base, (), |s| s.search_ndots(ndots))
}

#[no_mangle]
pub extern "C" fn evdns_set_log_fn(r#fn: evdns_debug_log_fn_type) {
    log::set_log_fn(r#fn)
}

/// Has no effect, as in libevent since 2.0.4: transaction ids come from the secure generator.
#[no_mangle]
pub extern "C" fn evdns_set_transaction_id_fn(r#fn: Option<unsafe extern "C" fn() -> ev_uint16_t>) {
    let _ = r#fn;
}

/// Has no effect, as in libevent since 2.0.4.
#[no_mangle]
pub extern "C" fn evdns_set_random_bytes_fn(r#fn: Option<unsafe extern "C" fn(*mut c_char, size_t)>) {
    let _ = r#fn;
}

// ---- evdns_getaddrinfo ---------------------------------------------------------------------

/// A NULL callback starts nothing (NULL is returned).
#[no_mangle]
pub unsafe extern "C" fn evdns_getaddrinfo(
    dns_base: *mut DnsBase,
    nodename: *const c_char,
    servname: *const c_char,
    hints_in: *const addrinfo,
    cb: evdns_getaddrinfo_cb,
    arg: *mut c_void,
) -> *mut GaiHandle {
    let Some(cb) = cb else { return ptr::null_mut() };
    // SAFETY: the C contract: NULL or valid strings, hints and base.
    unsafe { getaddrinfo::getaddrinfo(dns_base, nodename, servname, hints_in, cb, arg) }
}

/// A NULL request is ignored.
#[no_mangle]
pub unsafe extern "C" fn evdns_getaddrinfo_cancel(req: *mut GaiHandle) {
    if !req.is_null() {
        // SAFETY: a request whose callback has not run (the C contract).
        unsafe { getaddrinfo::cancel(req) };
    }
}

// ---- the cache (libevent 2.2) -----------------------------------------------------------

/// Keeps `res`'s addresses for `nodename`, `ttl` seconds; evdns_getaddrinfo then answers the
/// name from them (and keeps its own answers from then on). Nothing for NULL arguments or a
/// base made with EVDNS_BASE_NO_CACHE.
#[no_mangle]
pub unsafe extern "C" fn evdns_cache_write(dns_base: *mut DnsBase, nodename: *mut c_char, res: *mut addrinfo, ttl: c_int) {
    // SAFETY: NULL or a C string.
    let Some(n) = (unsafe { text(nodename) }) else { return };
    // SAFETY: res is NULL or a list the program owns, read during the call only.
    with(dns_base, (), |s| unsafe { getaddrinfo::cache_write(s, n, res, ttl) })
}

/// 0 with a new list (free it with evutil_freeaddrinfo()) in `*res`, or -1 when the cache has
/// no fresh answer for `nodename` of the hints' family.
#[no_mangle]
pub unsafe extern "C" fn evdns_cache_lookup(base: *mut DnsBase, nodename: *const c_char, hints: *mut addrinfo, port: ev_uint16_t, res: *mut *mut addrinfo) -> c_int {
    // SAFETY: NULL or a C string.
    let Some(n) = (unsafe { text(nodename) }) else { return -1 };
    // SAFETY: hints NULL or valid; res NULL or writable (the C contract).
    with(base, -1, |s| unsafe { getaddrinfo::cache_lookup(s, n, hints, port, res) })
}

// ---- server ports --------------------------------------------------------------------------

#[no_mangle]
pub unsafe extern "C" fn evdns_add_server_port_with_base(base: *mut EventBase, socket: evutil_socket_t, flags: c_int, callback: evdns_request_callback_fn_type, user_data: *mut c_void) -> *mut ServerPort {
    // SAFETY: base is NULL or a live base (the C contract); the socket becomes the port's.
    unsafe { ServerPort::new(base, socket, flags, callback, user_data) }
}

/// libevent 2.2: a server port answering the TCP connections of `listener` (which becomes
/// the port's); NULL when `flags` is not 0 or `listener` is NULL.
#[no_mangle]
pub unsafe extern "C" fn evdns_add_server_port_with_listener(base: *mut EventBase, listener: *mut Listener, flags: c_int, callback: evdns_request_callback_fn_type, user_data: *mut c_void) -> *mut ServerPort {
    // SAFETY: base NULL or live; listener NULL or live, now the port's (the C contract).
    unsafe { ServerPort::with_listener(base, listener, flags, callback, user_data) }
}

/// libevent 2.2: EVDNS_SOPT_TCP_MAX_CLIENTS (0: no limit; beyond it connections wait in the
/// listener's backlog) or EVDNS_SOPT_TCP_IDLE_TIMEOUT (seconds, 0: none) of a TCP port: 0, or -1 for
/// another option, a UDP port or a NULL one.
#[no_mangle]
pub unsafe extern "C" fn evdns_server_port_set_option(port: *mut ServerPort, option: ServerOption, value: size_t) -> c_int {
    // SAFETY: NULL or a live port.
    match unsafe { port.as_ref() } {
        Some(p) => p.set_option(option, value),
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evdns_close_server_port(port: *mut ServerPort) {
    if !port.is_null() {
        // SAFETY: a live port, closed once (the C contract).
        unsafe { ServerPort::close(port) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_set_flags(req: *mut ServerRequest, flags: c_int) {
    if !req.is_null() {
        // SAFETY: a live request.
        unsafe { server::set_flags(req, flags) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_add_reply(
    req: *mut ServerRequest,
    section: c_int,
    name: *const c_char,
    r#type: c_int,
    dns_class: c_int,
    ttl: c_int,
    datalen: c_int,
    is_name: c_int,
    data: *const c_char,
) -> c_int {
    if req.is_null() {
        return -1;
    }
    // SAFETY: a live request; C strings and data of datalen bytes (the C contract).
    unsafe { server::add_reply(req, section, name, r#type, dns_class, ttl, datalen, is_name != 0, data) }
}

#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_add_a_reply(req: *mut ServerRequest, name: *const c_char, n: c_int, addrs: *const c_void, ttl: c_int) -> c_int {
    evdns_server_request_add_reply(req, server::ANSWER_SECTION, name, wire::TYPE_A as c_int, wire::CLASS_INET as c_int, ttl, n.wrapping_mul(4), 0, addrs as *const c_char)
}

#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_add_aaaa_reply(req: *mut ServerRequest, name: *const c_char, n: c_int, addrs: *const c_void, ttl: c_int) -> c_int {
    evdns_server_request_add_reply(req, server::ANSWER_SECTION, name, wire::TYPE_AAAA as c_int, wire::CLASS_INET as c_int, ttl, n.wrapping_mul(16), 0, addrs as *const c_char)
}

/// The record's name is built from `in` when given, else `inaddr_name` (-1 when both are NULL).
#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_add_ptr_reply(req: *mut ServerRequest, r#in: *mut in_addr, inaddr_name: *const c_char, hostname: *const c_char, ttl: c_int) -> c_int {
    if req.is_null() {
        return -1;
    }
    // SAFETY: NULL or a valid in_addr; a live request and C strings (the C contract).
    unsafe { server::add_ptr_reply(req, r#in.as_ref().map(|a| a.s_addr.to_ne_bytes()), inaddr_name, hostname, ttl) }
}

#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_add_cname_reply(req: *mut ServerRequest, name: *const c_char, cname: *const c_char, ttl: c_int) -> c_int {
    evdns_server_request_add_reply(req, server::ANSWER_SECTION, name, wire::TYPE_CNAME as c_int, wire::CLASS_INET as c_int, ttl, -1, 1, cname)
}

#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_respond(req: *mut ServerRequest, err: c_int) -> c_int {
    if req.is_null() {
        return -1;
    }
    // SAFETY: a live request (the C contract).
    unsafe { server::respond(req, err) }
}

#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_drop(req: *mut ServerRequest) -> c_int {
    if req.is_null() {
        return -1;
    }
    // SAFETY: a live request, not used afterwards.
    unsafe { server::drop_request(req) };
    0
}

#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_get_requesting_addr(req: *mut ServerRequest, sa: *mut sockaddr, addr_len: c_int) -> c_int {
    if req.is_null() || sa.is_null() {
        return -1;
    }
    // SAFETY: a live request; sa holds addr_len bytes.
    unsafe { server::requesting_addr(req, sa, addr_len) }
}
