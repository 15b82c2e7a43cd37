//! Exports of event2/dns.h: the resolver, evdns_getaddrinfo and server ports, with libevent
//! 2.2's additions (DNS over TCP, TCP server ports, the cache, nameserver sockets).
//!
//! Where libevent would crash on a NULL base, request or string, these return the function's
//! failure value instead (-1, NULL, or nothing); everything else behaves as libevent 2.1.12.
#![allow(non_camel_case_types)]
// The safety contract of each export is its C documentation (libevent's header).
#![allow(clippy::missing_safety_doc)]
use crate::core::base::EventBase;
use crate::dns::getaddrinfo::{self, GaiHandle};
use crate::dns::resolver::{self, DnsBase, RawAddr, ReqHandle};
use crate::dns::server::{self, ServerPort, ServerRequest};
use crate::dns::{log, wire};
use crate::listener::Listener;
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

/// Makes a resolver (an evdns_base) whose sockets and timers run on `event_base`.
/// With EVDNS_BASE_INITIALIZE_NAMESERVERS it reads /etc/resolv.conf (and /etc/hosts) at once, and
/// fails when the file is missing or unreadable, or names no nameserver (then 127.0.0.1 would be
/// used) unless EVDNS_BASE_NAMESERVERS_NO_DEFAULT is given. An unknown flag logs a warning and is
/// taken as EVDNS_BASE_INITIALIZE_NAMESERVERS, as libevent does.
/// @param event_base the loop that serves the resolver; NULL for the current base of event_init().
/// @param initialize_nameservers EVDNS_BASE_* flags (0 for a resolver with no nameserver yet).
/// @return the new resolver, to free with evdns_base_free(); NULL on failure (including when the
/// random number generator cannot be seeded or the program's allocator refuses).
#[no_mangle]
pub unsafe extern "C" fn evdns_base_new(event_base: *mut EventBase, initialize_nameservers: c_int) -> *mut DnsBase {
    DnsBase::new(event_base, initialize_nameservers)
}

/// Frees a resolver: its nameserver sockets, search list, hosts entries and cache.
/// Lookups still under way end: with `fail_requests` their callbacks run once more from the loop
/// (DNS_ERR_SHUTDOWN; evdns_getaddrinfo() callbacks get what had arrived, or EAI_FAIL), without it
/// no callback comes. Waits for a callback of this resolver running in another thread. The event
/// base must still exist. A NULL base is ignored.
/// @param base the resolver; not to be used afterwards.
/// @param fail_requests non-zero to report the unfinished lookups.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_free(base: *mut DnsBase, fail_requests: c_int) {
    if !base.is_null() {
        // SAFETY: a live base, not used by the caller afterwards.
        unsafe { DnsBase::free(base, fail_requests != 0) };
    }
}

/// Forgets every hosts entry (read from /etc/hosts or added by evdns_base_load_hosts()).
/// @param base the resolver (NULL: nothing happens).
#[no_mangle]
pub unsafe extern "C" fn evdns_base_clear_host_addresses(base: *mut DnsBase) {
    with(base, (), |s| s.clear_hosts())
}

/// A short English description of a DNS_ERR_* code.
/// @param err a DNS_ERR_* value; others give "`[Unknown error code]`".
/// @return a static string (never freed); thread-safe.
#[no_mangle]
pub extern "C" fn evdns_err_to_string(err: c_int) -> *const c_char {
    resolver::err_to_string(err).as_ptr()
}

// ---- nameservers ---------------------------------------------------------------------------

/// Adds the nameserver at an IPv4 address, port 53, to the resolver's round robin.
/// @param base the resolver.
/// @param address the IPv4 address in network byte order (an `in_addr_t` value).
/// @return 0; 3 when it is already a nameserver; 2 when its socket cannot be bound (option
/// "bind-to:") or watched; 1 when no socket can be made; -SO_RCVBUF or -SO_SNDBUF when that option
/// cannot be set; -1 for a NULL base.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_nameserver_add(base: *mut DnsBase, address: c_ulong) -> c_int {
    with(base, -1, |s| s.add_nameserver_v4(address as u32))
}

/// The number of nameservers the resolver has, whether they answer or are marked down.
/// @param base the resolver.
/// @return the count; 0 for a NULL base.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_count_nameservers(base: *mut DnsBase) -> c_int {
    with(base, 0, |s| s.count_nameservers())
}

/// Removes every nameserver (closing their sockets) and holds the lookups: those already sent go
/// back to the queue, ahead of those waiting, until evdns_base_resume(). Add new nameservers in
/// between to move a resolver to another configuration without failing its lookups.
/// @param base the resolver.
/// @return 0; -1 for a NULL base.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_clear_nameservers_and_suspend(base: *mut DnsBase) -> c_int {
    with(base, -1, |s| {
        s.clear_and_suspend();
        0
    })
}

/// Sends the lookups held since evdns_base_clear_nameservers_and_suspend() to the nameservers the
/// resolver now has (those that still find no room stay queued, as usual).
/// @param base the resolver.
/// @return 0; -1 for a NULL base.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_resume(base: *mut DnsBase) -> c_int {
    with(base, -1, |s| {
        s.resume();
        0
    })
}

/// Adds a nameserver given as text: "192.0.2.1", "192.0.2.1:5353", "2001:db8::1" or
/// "`[2001:db8::1]:5353`"; the port is 53 when none is given.
/// @param base the resolver.
/// @param ip_as_string the address; the string is copied.
/// @return 0; 4 when the text is not an address (a NULL string included); otherwise the codes of
/// evdns_base_nameserver_add().
#[no_mangle]
pub unsafe extern "C" fn evdns_base_nameserver_ip_add(base: *mut DnsBase, ip_as_string: *const c_char) -> c_int {
    // SAFETY: NULL or a C string.
    let Some(t) = (unsafe { text(ip_as_string) }) else { return 4 };
    with(base, -1, |s| s.add_nameserver_text(t))
}

/// Adds a nameserver at a socket address (IPv4 or IPv6), used as given: its port is not defaulted
/// to 53.
/// @param base the resolver.
/// @param sa the address, copied.
/// @param len the size of `sa`.
/// @param flags unused; pass 0.
/// @return 0; 2 when `len` is larger than a `sockaddr_storage`; otherwise the codes of
/// evdns_base_nameserver_add(); -1 for a NULL base or address.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_nameserver_sockaddr_add(
    base: *mut DnsBase,
    sa: *const sockaddr,
    len: ev_socklen_t,
    flags: c_uint,
) -> c_int {
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

/// Copies the address of the `idx`th nameserver (counted from 0 in the resolver's round-robin
/// order, which moves as lookups are sent) into `sa`.
/// @param base the resolver.
/// @param idx which nameserver.
/// @param sa where to write the address.
/// @param len the room at `sa`.
/// @return the address's length when copied; the length needed (more than `len`, nothing copied)
/// when `sa` is too small or NULL; -1 when there is no such nameserver.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_get_nameserver_addr(
    base: *mut DnsBase,
    idx: c_int,
    sa: *mut sockaddr,
    len: ev_socklen_t,
) -> c_int {
    let Some(a) = with(base, None, |s| s.nameserver_addr(idx)) else { return -1 };
    if a.len > len || sa.is_null() {
        return a.len as c_int;
    }
    // SAFETY: sa holds len >= a.len bytes.
    unsafe { ptr::copy_nonoverlapping(a.as_ptr() as *const u8, sa as *mut u8, a.len as usize) };
    a.len as c_int
}

/// libevent 2.2 (on the 2.1 ABI): the UDP socket of the `idx`th nameserver, in the order of
/// evdns_base_get_nameserver_addr(). The socket stays the resolver's: do not close it.
/// @param base the resolver.
/// @param idx which nameserver, from 0.
/// @return the descriptor; -1 when there is no such nameserver or the base is NULL.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_get_nameserver_fd(base: *mut DnsBase, idx: c_int) -> c_int {
    with(base, -1, |s| s.nameserver_fd(idx))
}

// ---- lookups -------------------------------------------------------------------------------

unsafe fn resolve(
    base: *mut DnsBase,
    qtype: u16,
    name: *const c_char,
    flags: c_int,
    cb: evdns_callback_type,
    arg: *mut c_void,
) -> *mut ReqHandle {
    // SAFETY: NULL or a C string.
    let (Some(b), Some(n)) = (unsafe { base.as_ref() }, unsafe { text(name) }) else { return ptr::null_mut() };
    b.resolve(qtype, n, flags, cb, arg, false)
}

/// Looks up the IPv4 addresses (A records) of `name`, trying the search list's domains first when
/// the name has fewer dots than "ndots:" (unless DNS_QUERY_NO_SEARCH). The hosts entries are not
/// read (evdns_getaddrinfo() reads them). The callback runs once, from the event loop, never within
/// this call: with DNS_IPv4_A, the count, the TTL and the addresses (4 bytes each, network order,
/// owned by the library and valid during the call only), or with a DNS_ERR_* code.
/// @param base the resolver.
/// @param name the name to look up (copied).
/// @param flags DNS_QUERY_NO_SEARCH, and libevent 2.2's DNS_QUERY_USEVC, DNS_QUERY_IGNTC and
/// DNS_CNAME_CALLBACK.
/// @param callback receives the result.
/// @param ptr passed to the callback.
/// @return a handle for evdns_cancel_request(), valid until the callback has returned; NULL when
/// the lookup cannot start (a NULL base or name: no callback then).
#[no_mangle]
pub unsafe extern "C" fn evdns_base_resolve_ipv4(
    base: *mut DnsBase,
    name: *const c_char,
    flags: c_int,
    callback: evdns_callback_type,
    ptr: *mut c_void,
) -> *mut ReqHandle {
    resolve(base, wire::TYPE_A, name, flags, callback, ptr)
}

/// Looks up the IPv6 addresses (AAAA records) of `name`, as evdns_base_resolve_ipv4() does; a
/// result has the type DNS_IPv6_AAAA and addresses of 16 bytes each.
/// @param base the resolver.
/// @param name the name to look up (copied).
/// @param flags DNS_QUERY_* and DNS_CNAME_CALLBACK flags, as for evdns_base_resolve_ipv4().
/// @param callback receives the result.
/// @param ptr passed to the callback.
/// @return a handle valid until the callback has returned; NULL when the lookup cannot start.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_resolve_ipv6(
    base: *mut DnsBase,
    name: *const c_char,
    flags: c_int,
    callback: evdns_callback_type,
    ptr: *mut c_void,
) -> *mut ReqHandle {
    resolve(base, wire::TYPE_AAAA, name, flags, callback, ptr)
}

/// Looks up the name of an IPv4 address (a PTR query for its in-addr.arpa name, never through the
/// search list). A result has the type DNS_PTR, a count of 1 and, as `addresses`, a `char **`
/// pointing at the name, which the library owns (valid during the callback only).
/// @param base the resolver.
/// @param in the address (network order).
/// @param flags DNS_QUERY_* flags.
/// @param callback receives the result.
/// @param ptr passed to the callback.
/// @return a handle valid until the callback has returned; NULL when the lookup cannot start.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_resolve_reverse(
    base: *mut DnsBase,
    r#in: *const in_addr,
    flags: c_int,
    callback: evdns_callback_type,
    ptr: *mut c_void,
) -> *mut ReqHandle {
    // SAFETY: NULL or a valid in_addr.
    let (Some(b), Some(a)) = (unsafe { base.as_ref() }, unsafe { r#in.as_ref() }) else { return ptr::null_mut() };
    b.resolve(wire::TYPE_PTR, &wire::reverse_name_v4(a.s_addr.to_ne_bytes()), flags, callback, ptr, true)
}

/// Looks up the name of an IPv6 address (a PTR query for its ip6.arpa name), as
/// evdns_base_resolve_reverse() does for IPv4.
/// @param base the resolver.
/// @param in the address.
/// @param flags DNS_QUERY_* flags.
/// @param callback receives the result.
/// @param ptr passed to the callback.
/// @return a handle valid until the callback has returned; NULL when the lookup cannot start.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_resolve_reverse_ipv6(
    base: *mut DnsBase,
    r#in: *const in6_addr,
    flags: c_int,
    callback: evdns_callback_type,
    ptr: *mut c_void,
) -> *mut ReqHandle {
    // SAFETY: NULL or a valid in6_addr.
    let (Some(b), Some(a)) = (unsafe { base.as_ref() }, unsafe { r#in.as_ref() }) else { return ptr::null_mut() };
    b.resolve(wire::TYPE_PTR, &wire::reverse_name_v6(a.s6_addr), flags, callback, ptr, true)
}

/// Cancels a lookup of evdns_base_resolve_*(): its callback then runs once, from the loop, with
/// DNS_ERR_CANCEL. Nothing happens when the result is already on its way, or when called from the
/// lookup's own callback. The handle must not be used after its callback returned.
/// @param base the resolver, or NULL for the one that started the lookup.
/// @param req the handle (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn evdns_cancel_request(base: *mut DnsBase, req: *mut ReqHandle) {
    if !req.is_null() {
        // SAFETY: a handle whose callback has not returned (the C contract).
        unsafe { DnsBase::cancel(base, req) };
    }
}

// ---- configuration -------------------------------------------------------------------------

/// Sets one option, as an "options" line of resolv.conf would: "ndots:", "timeout:" (seconds,
/// fractions allowed), "attempts:", "max-timeouts:", "max-inflight:", "randomize-case:",
/// "bind-to:" (for nameservers added afterwards), "initial-probe-timeout:",
/// "getaddrinfo-allow-skew:", "so-rcvbuf:", "so-sndbuf:", and libevent 2.2's "udp-size:",
/// "probe-backoff-factor:" and "max-probe-timeout:". The colon may be left out.
/// @param base the resolver.
/// @param option the option's name.
/// @param val its value, as text.
/// @return 0, also for an unknown option (ignored, as in libevent); -1 for a malformed value or a
/// NULL argument.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_set_option(base: *mut DnsBase, option: *const c_char, val: *const c_char) -> c_int {
    // SAFETY: NULL or C strings.
    let (Some(o), Some(v)) = (unsafe { text(option) }, unsafe { text(val) }) else { return -1 };
    with(base, -1, |s| s.set_option(o, v, resolver::OPTIONS_ALL))
}

/// Reads a resolv.conf-style file: "nameserver", "domain", "search" and "options" lines, each
/// family only when `flags` asks for it (DNS_OPTION_*), and /etc/hosts with DNS_OPTION_HOSTSFILE.
/// With DNS_OPTION_NAMESERVERS and no nameserver found, 127.0.0.1 is added (unless
/// DNS_OPTION_NAMESERVERS_NO_DEFAULT); with DNS_OPTION_SEARCH and no search line, the domain of the
/// host name is searched.
/// @param base the resolver.
/// @param flags what to read: DNS_OPTIONS_ALL or DNS_OPTION_* bits.
/// @param filename the file; NULL counts as a missing file.
/// @return EVDNS_ERROR_NONE (0); EVDNS_ERROR_FAILED_TO_OPEN_FILE (defaults then applied);
/// EVDNS_ERROR_FAILED_TO_STAT_FILE (unreadable); EVDNS_ERROR_NO_NAMESERVERS_CONFIGURED (127.0.0.1
/// added); -1 for a NULL base.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_resolv_conf_parse(
    base: *mut DnsBase,
    flags: c_int,
    filename: *const c_char,
) -> c_int {
    // SAFETY: NULL or a C string.
    let f = (!filename.is_null()).then(|| unsafe { CStr::from_ptr(filename) });
    with(base, -1, |s| s.resolv_conf_parse(flags, f))
}

/// Adds the entries of a hosts file (address, then names) to those evdns_getaddrinfo() answers
/// from; entries add up across calls.
/// @param base the resolver.
/// @param hosts_fname the file; NULL adds entries for localhost (127.0.0.1 and ::1) instead.
/// @return 0; -1 when the file cannot be read (localhost entries are then added) or for a NULL
/// base.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_load_hosts(base: *mut DnsBase, hosts_fname: *const c_char) -> c_int {
    // SAFETY: NULL or a C string.
    let f = (!hosts_fname.is_null()).then(|| unsafe { CStr::from_ptr(hosts_fname) });
    with(base, -1, |s| s.load_hosts(f))
}

/// Empties the search list and sets "ndots" back to 1.
/// @param base the resolver (NULL: nothing happens).
#[no_mangle]
pub unsafe extern "C" fn evdns_base_search_clear(base: *mut DnsBase) {
    with(base, (), |s| s.search_clear())
}

/// Puts a domain at the front of the search list (leading dots dropped).
/// @param base the resolver (NULL: nothing happens).
/// @param domain the domain, copied (NULL: nothing happens).
#[no_mangle]
pub unsafe extern "C" fn evdns_base_search_add(base: *mut DnsBase, domain: *const c_char) {
    // SAFETY: NULL or a C string.
    if let Some(d) = unsafe { text(domain) } {
        with(base, (), |s| s.search_add(d))
    }
}

/// Sets how many dots a name needs to be tried as given before the search list's domains.
/// @param base the resolver (NULL: nothing happens).
/// @param ndots the number of dots.
#[no_mangle]
pub unsafe extern "C" fn evdns_base_search_ndots_set(base: *mut DnsBase, ndots: c_int) {
    with(base, (), |s| s.search_ndots(ndots))
}

/// Sends every evdns message (debug ones included, cut to 511 bytes) to `fn` instead of the
/// library's log (event_set_log_callback()). Process-wide; evdns_shutdown() resets it.
/// @param fn receives 1 for a warning, 0 otherwise, and the message (valid during the call); NULL
/// goes back to the library's log.
#[no_mangle]
pub extern "C" fn evdns_set_log_fn(r#fn: evdns_debug_log_fn_type) {
    log::set_log_fn(r#fn)
}

/// Has no effect, as in libevent since 2.0.4: transaction ids come from the library's secure
/// random generator.
/// @param fn ignored.
#[no_mangle]
pub extern "C" fn evdns_set_transaction_id_fn(r#fn: Option<unsafe extern "C" fn() -> ev_uint16_t>) {
    let _ = r#fn;
}

/// Has no effect, as in libevent since 2.0.4: random bytes come from the library's secure random
/// generator.
/// @param fn ignored.
#[no_mangle]
pub extern "C" fn evdns_set_random_bytes_fn(r#fn: Option<unsafe extern "C" fn(*mut c_char, size_t)>) {
    let _ = r#fn;
}

// ---- evdns_getaddrinfo ---------------------------------------------------------------------

/// Resolves a name and a service as getaddrinfo does, without blocking. Numeric addresses, hosts
/// entries and cache hits are answered at once, through the callback, before this returns (NULL is
/// then returned); other names become an A and an AAAA lookup (as `hints` allow), and once one
/// answers the other gets "getaddrinfo-allow-skew:" more time. IPv4 addresses come first.
/// @param dns_base the resolver; NULL for evdns_init()'s global one (EAI_FAIL when there is none).
/// @param nodename the name or address; NULL for a passive or loopback address.
/// @param servname a service name or port number, or NULL.
/// @param hints_in as getaddrinfo's hints (AI_CANONNAME fills the first entry's `ai_canonname`).
/// @param cb receives a getaddrinfo error code (EAI_CANCEL after a cancel) and the list, which the
/// callback owns and frees with evutil_freeaddrinfo().
/// @param arg passed to `cb`.
/// @return a handle for evdns_getaddrinfo_cancel(), valid until the callback has returned; NULL
/// when the callback already ran, or when `cb` is NULL (nothing is started).
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

/// Cancels an evdns_getaddrinfo() lookup: its callback runs with EAI_CANCEL. Nothing happens when
/// the result is already on its way. The handle must not be used after its callback returned.
/// @param req the handle (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn evdns_getaddrinfo_cancel(req: *mut GaiHandle) {
    if !req.is_null() {
        // SAFETY: a request whose callback has not run (the C contract).
        unsafe { getaddrinfo::cancel(req) };
    }
}

// ---- the cache (libevent 2.2) -----------------------------------------------------------

/// libevent 2.2 (on the 2.1 ABI): keeps the addresses of `res` as the answer for `nodename` for
/// `ttl` seconds; evdns_getaddrinfo() then answers that name from them. Deliberate difference: the
/// cache is off until this is first called on the resolver (libevent 2.2 caches by default); from
/// then on evdns_getaddrinfo() also keeps its own answers.
/// @param dns_base the resolver; one made with EVDNS_BASE_NO_CACHE ignores the call.
/// @param nodename the name (copied).
/// @param res the addresses (copied; the list stays the caller's).
/// @param ttl how long they stay valid, in seconds.
#[no_mangle]
pub unsafe extern "C" fn evdns_cache_write(
    dns_base: *mut DnsBase,
    nodename: *mut c_char,
    res: *mut addrinfo,
    ttl: c_int,
) {
    // SAFETY: NULL or a C string.
    let Some(n) = (unsafe { text(nodename) }) else { return };
    // SAFETY: res is NULL or a list the program owns, read during the call only.
    with(dns_base, (), |s| unsafe { getaddrinfo::cache_write(s, n, res, ttl) })
}

/// libevent 2.2 (on the 2.1 ABI): answers a name from the resolver's cache only, with the family
/// and socket type of `hints` and the given port.
/// @param base the resolver.
/// @param nodename the name.
/// @param hints as evdns_getaddrinfo()'s, or NULL.
/// @param port the port of every address, in host order.
/// @param res receives a new list, which the caller frees with evutil_freeaddrinfo().
/// @return 0 with the list in `*res`; -1 when the cache has no fresh answer (or a NULL argument).
#[no_mangle]
pub unsafe extern "C" fn evdns_cache_lookup(
    base: *mut DnsBase,
    nodename: *const c_char,
    hints: *mut addrinfo,
    port: ev_uint16_t,
    res: *mut *mut addrinfo,
) -> c_int {
    // SAFETY: NULL or a C string.
    let Some(n) = (unsafe { text(nodename) }) else { return -1 };
    // SAFETY: hints NULL or valid; res NULL or writable (the C contract).
    with(base, -1, |s| unsafe { getaddrinfo::cache_lookup(s, n, hints, port, res) })
}

// ---- server ports --------------------------------------------------------------------------

/// Serves DNS on a UDP socket: each query received becomes an evdns_server_request given to
/// `callback`, which answers it (now or later) with evdns_server_request_respond() or drops it.
/// @param base the loop; NULL for the current base of event_init().
/// @param socket a bound, non-blocking UDP socket; the port owns it and closes it when freed.
/// @param flags must be 0.
/// @param callback called from the loop for each query.
/// @param user_data passed to `callback`.
/// @return the port, to close with evdns_close_server_port(); NULL when `flags` is not 0 or the
/// socket cannot be watched.
#[no_mangle]
pub unsafe extern "C" fn evdns_add_server_port_with_base(
    base: *mut EventBase,
    socket: evutil_socket_t,
    flags: c_int,
    callback: evdns_request_callback_fn_type,
    user_data: *mut c_void,
) -> *mut ServerPort {
    // SAFETY: base is NULL or a live base (the C contract); the socket becomes the port's.
    unsafe { ServerPort::new(base, socket, flags, callback, user_data) }
}

/// libevent 2.2 (on the 2.1 ABI): serves DNS over the TCP connections that `listener` accepts
/// (each message behind its 2-byte length), as evdns_add_server_port_with_base() does over UDP.
/// @param base the loop; NULL for the listener's.
/// @param listener the listener, which becomes the port's (freed with it; its callback is replaced).
/// @param flags must be 0.
/// @param callback called from the loop for each query.
/// @param user_data passed to `callback`.
/// @return the port; NULL when `flags` is not 0 or `listener` is NULL.
#[no_mangle]
pub unsafe extern "C" fn evdns_add_server_port_with_listener(
    base: *mut EventBase,
    listener: *mut Listener,
    flags: c_int,
    callback: evdns_request_callback_fn_type,
    user_data: *mut c_void,
) -> *mut ServerPort {
    // SAFETY: base NULL or live; listener NULL or live, now the port's (the C contract).
    unsafe { ServerPort::with_listener(base, listener, flags, callback, user_data) }
}

/// libevent 2.2 (on the 2.1 ABI): sets an option of a TCP server port.
/// @param port the port.
/// @param option EVDNS_SOPT_TCP_MAX_CLIENTS (connections served at once, 0 for no limit; beyond it
/// they wait in the listener's backlog) or EVDNS_SOPT_TCP_IDLE_TIMEOUT (seconds a silent client
/// connection is kept, 0 for no limit; 10 by default).
/// @param value the option's value.
/// @return 0; -1 for another option, a UDP port or a NULL one.
#[no_mangle]
pub unsafe extern "C" fn evdns_server_port_set_option(
    port: *mut ServerPort,
    option: ServerOption,
    value: size_t,
) -> c_int {
    // SAFETY: NULL or a live port.
    match unsafe { port.as_ref() } {
        Some(p) => p.set_option(option, value),
        None => -1,
    }
}

/// Closes a server port (NULL is ignored). A UDP port with requests not yet answered keeps reading
/// and calling back until the last is answered or dropped, then goes with its socket; a TCP port
/// stops at once, with its listener and connections (outstanding answers are lost).
/// @param port the port; not to be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn evdns_close_server_port(port: *mut ServerPort) {
    if !port.is_null() {
        // SAFETY: a live port, closed once (the C contract).
        unsafe { ServerPort::close(port) };
    }
}

/// Sets the reply's header bits: EVDNS_FLAGS_AA and EVDNS_FLAGS_RD replace those bits of the
/// request's flags.
/// @param req the request (NULL is ignored).
/// @param flags EVDNS_FLAGS_* bits.
#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_set_flags(req: *mut ServerRequest, flags: c_int) {
    if !req.is_null() {
        // SAFETY: a live request.
        unsafe { server::set_flags(req, flags) };
    }
}

/// Adds a record to the reply of a request.
/// @param req the request.
/// @param section EVDNS_ANSWER_SECTION, EVDNS_AUTHORITY_SECTION or EVDNS_ADDITIONAL_SECTION.
/// @param name the record's owner name (copied).
/// @param type an EVDNS_TYPE_* value.
/// @param dns_class EVDNS_CLASS_INET, usually.
/// @param ttl in seconds.
/// @param datalen the size of `data` (ignored when `is_name`).
/// @param is_name non-zero when `data` is a domain name (a C string, written compressed).
/// @param data the record's data (copied).
/// @return 0; -1 once the reply is built, for an unknown section, a NULL name or request, or
/// non-name data with a `datalen` of 0 or less.
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

/// Adds A records (to the answer section, class IN).
/// @param req the request.
/// @param name the owner name (copied).
/// @param n the number of addresses.
/// @param addrs `n` IPv4 addresses of 4 bytes, network order (copied).
/// @param ttl in seconds.
/// @return 0, or -1 as evdns_server_request_add_reply().
#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_add_a_reply(
    req: *mut ServerRequest,
    name: *const c_char,
    n: c_int,
    addrs: *const c_void,
    ttl: c_int,
) -> c_int {
    evdns_server_request_add_reply(
        req,
        server::ANSWER_SECTION,
        name,
        wire::TYPE_A as c_int,
        wire::CLASS_INET as c_int,
        ttl,
        n.wrapping_mul(4),
        0,
        addrs as *const c_char,
    )
}

/// Adds AAAA records (to the answer section, class IN).
/// @param req the request.
/// @param name the owner name (copied).
/// @param n the number of addresses.
/// @param addrs `n` IPv6 addresses of 16 bytes (copied).
/// @param ttl in seconds.
/// @return 0, or -1 as evdns_server_request_add_reply().
#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_add_aaaa_reply(
    req: *mut ServerRequest,
    name: *const c_char,
    n: c_int,
    addrs: *const c_void,
    ttl: c_int,
) -> c_int {
    evdns_server_request_add_reply(
        req,
        server::ANSWER_SECTION,
        name,
        wire::TYPE_AAAA as c_int,
        wire::CLASS_INET as c_int,
        ttl,
        n.wrapping_mul(16),
        0,
        addrs as *const c_char,
    )
}

/// Adds a PTR record (answer section, class IN) naming `hostname`.
/// @param req the request.
/// @param in an IPv4 address whose in-addr.arpa name is the owner, or NULL.
/// @param inaddr_name the owner name when `in` is NULL.
/// @param hostname the name the record points to (copied).
/// @param ttl in seconds.
/// @return 0; -1 when both `in` and `inaddr_name` are NULL, or as evdns_server_request_add_reply().
#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_add_ptr_reply(
    req: *mut ServerRequest,
    r#in: *mut in_addr,
    inaddr_name: *const c_char,
    hostname: *const c_char,
    ttl: c_int,
) -> c_int {
    if req.is_null() {
        return -1;
    }
    // SAFETY: NULL or a valid in_addr; a live request and C strings (the C contract).
    unsafe { server::add_ptr_reply(req, r#in.as_ref().map(|a| a.s_addr.to_ne_bytes()), inaddr_name, hostname, ttl) }
}

/// Adds a CNAME record (answer section, class IN).
/// @param req the request.
/// @param name the alias (copied).
/// @param cname the canonical name (copied).
/// @param ttl in seconds.
/// @return 0, or -1 as evdns_server_request_add_reply().
#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_add_cname_reply(
    req: *mut ServerRequest,
    name: *const c_char,
    cname: *const c_char,
    ttl: c_int,
) -> c_int {
    evdns_server_request_add_reply(
        req,
        server::ANSWER_SECTION,
        name,
        wire::TYPE_CNAME as c_int,
        wire::CLASS_INET as c_int,
        ttl,
        -1,
        1,
        cname,
    )
}

/// Builds the reply from the records added and sends it; the request is then freed. A reply too
/// large for UDP (512 bytes, or the client's EDNS size) is cut and marked truncated.
/// @param req the request; not to be used after 0 or 1 is returned.
/// @param err the reply's code: DNS_ERR_NONE or another RFC 1035 code, 0 to 15.
/// @return 0 when sent (or handed to the TCP connection); 1 when queued until the socket is
/// writable; -1 when `err` is out of range or the reply cannot be built (the request stays the
/// caller's).
#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_respond(req: *mut ServerRequest, err: c_int) -> c_int {
    if req.is_null() {
        return -1;
    }
    // SAFETY: a live request (the C contract).
    unsafe { server::respond(req, err) }
}

/// Frees a request without answering it.
/// @param req the request; not to be used afterwards.
/// @return 0; -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_drop(req: *mut ServerRequest) -> c_int {
    if req.is_null() {
        return -1;
    }
    // SAFETY: a live request, not used afterwards.
    unsafe { server::drop_request(req) };
    0
}

/// Copies the address of the client that sent the request.
/// @param req the request.
/// @param sa where to write it.
/// @param addr_len the room at `sa`.
/// @return the address's length; -1 when `addr_len` is too small or an argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn evdns_server_request_get_requesting_addr(
    req: *mut ServerRequest,
    sa: *mut sockaddr,
    addr_len: c_int,
) -> c_int {
    if req.is_null() || sa.is_null() {
        return -1;
    }
    // SAFETY: a live request; sa holds addr_len bytes.
    unsafe { server::requesting_addr(req, sa, addr_len) }
}
