//! Exports of event2/dns_compat.h: the deprecated calls on one global evdns_base, which
//! evdns_init() makes on the current event base of event_init().
//!
//! As in libevent, the calls that configure the resolver (nameserver_add, nameserver_ip_add,
//! set_option, resolv_conf_parse) make the global base when there is none yet; the others
//! fail (where libevent would crash) without one.
#![allow(clippy::missing_safety_doc)]
use crate::capi::dns::*;
use crate::dns::resolver::DnsBase;
use crate::dns::server::ServerPort;
use crate::dns::GLOBAL_BASE;
use libc::{c_char, c_int, c_ulong, c_void, in6_addr, in_addr};
use std::ptr;
use std::sync::atomic::Ordering;

fn global() -> *mut DnsBase {
    GLOBAL_BASE.load(Ordering::Acquire)
}

/// The global base, made (with no configuration) when missing.
fn global_or_new() -> *mut DnsBase {
    let b = global();
    if !b.is_null() {
        return b;
    }
    let b = DnsBase::new(ptr::null_mut(), 0);
    GLOBAL_BASE.store(b, Ordering::Release);
    b
}

/// Deprecated: makes the global resolver, on the current base of event_init(), with the
/// nameservers of /etc/resolv.conf (as evdns_base_new() with EVDNS_BASE_INITIALIZE_NAMESERVERS).
/// A global resolver made before is replaced, not freed. Use evdns_base_new().
/// @return 0; -1 when the resolver cannot be made.
#[no_mangle]
pub extern "C" fn evdns_init() -> c_int {
    let b = DnsBase::new(ptr::null_mut(), 1);
    if b.is_null() {
        return -1;
    }
    GLOBAL_BASE.store(b, Ordering::Release);
    0
}

/// The global resolver of evdns_init() (or of the first configuring call), for the evdns_base_*
/// calls.
/// @return the resolver, still owned by the library (evdns_shutdown() frees it); NULL when none.
#[no_mangle]
pub extern "C" fn evdns_get_global_base() -> *mut DnsBase {
    global()
}

/// Deprecated: frees the global resolver, as evdns_base_free() does, and sets the log callback of
/// evdns_set_log_fn() back to none, as libevent does.
/// @param fail_requests non-zero to report unfinished lookups with DNS_ERR_SHUTDOWN.
#[no_mangle]
pub unsafe extern "C" fn evdns_shutdown(fail_requests: c_int) {
    let b = GLOBAL_BASE.swap(ptr::null_mut(), Ordering::AcqRel);
    evdns_base_free(b, fail_requests);
    evdns_set_log_fn(None);
}

/// Deprecated: evdns_base_nameserver_add() on the global resolver, made (without configuration)
/// when there is none yet.
/// @param address an IPv4 address in network byte order; port 53.
/// @return the codes of evdns_base_nameserver_add().
#[no_mangle]
pub unsafe extern "C" fn evdns_nameserver_add(address: c_ulong) -> c_int {
    evdns_base_nameserver_add(global_or_new(), address)
}

/// Deprecated: evdns_base_count_nameservers() on the global resolver.
/// @return the number of nameservers; 0 without a global resolver.
#[no_mangle]
pub unsafe extern "C" fn evdns_count_nameservers() -> c_int {
    evdns_base_count_nameservers(global())
}

/// Deprecated: evdns_base_clear_nameservers_and_suspend() on the global resolver.
/// @return 0; -1 without a global resolver (where libevent crashes).
#[no_mangle]
pub unsafe extern "C" fn evdns_clear_nameservers_and_suspend() -> c_int {
    evdns_base_clear_nameservers_and_suspend(global())
}

/// Deprecated: evdns_base_resume() on the global resolver.
/// @return 0; -1 without a global resolver (where libevent crashes).
#[no_mangle]
pub unsafe extern "C" fn evdns_resume() -> c_int {
    evdns_base_resume(global())
}

/// Deprecated: evdns_base_nameserver_ip_add() on the global resolver, made (without
/// configuration) when there is none yet.
/// @param ip_as_string "address" or "address:port" (IPv6 in brackets with a port).
/// @return the codes of evdns_base_nameserver_ip_add().
#[no_mangle]
pub unsafe extern "C" fn evdns_nameserver_ip_add(ip_as_string: *const c_char) -> c_int {
    evdns_base_nameserver_ip_add(global_or_new(), ip_as_string)
}

fn started(r: *mut crate::dns::resolver::ReqHandle) -> c_int {
    if r.is_null() {
        -1
    } else {
        0
    }
}

/// Deprecated: evdns_base_resolve_ipv4() on the global resolver; the lookup cannot be cancelled.
/// @param name the name to look up.
/// @param flags DNS_QUERY_* flags.
/// @param callback receives the result, once, from the loop.
/// @param ptr passed to the callback.
/// @return 0 when started; -1 otherwise (no global resolver, NULL name), with no callback.
#[no_mangle]
pub unsafe extern "C" fn evdns_resolve_ipv4(
    name: *const c_char,
    flags: c_int,
    callback: evdns_callback_type,
    ptr: *mut c_void,
) -> c_int {
    started(evdns_base_resolve_ipv4(global(), name, flags, callback, ptr))
}

/// Deprecated: evdns_base_resolve_ipv6() on the global resolver.
/// @param name the name to look up.
/// @param flags DNS_QUERY_* flags.
/// @param callback receives the result, once, from the loop.
/// @param ptr passed to the callback.
/// @return 0 when started; -1 otherwise, with no callback.
#[no_mangle]
pub unsafe extern "C" fn evdns_resolve_ipv6(
    name: *const c_char,
    flags: c_int,
    callback: evdns_callback_type,
    ptr: *mut c_void,
) -> c_int {
    started(evdns_base_resolve_ipv6(global(), name, flags, callback, ptr))
}

/// Deprecated: evdns_base_resolve_reverse() on the global resolver.
/// @param in the IPv4 address.
/// @param flags DNS_QUERY_* flags.
/// @param callback receives the result, once, from the loop.
/// @param ptr passed to the callback.
/// @return 0 when started; -1 otherwise, with no callback.
#[no_mangle]
pub unsafe extern "C" fn evdns_resolve_reverse(
    r#in: *const in_addr,
    flags: c_int,
    callback: evdns_callback_type,
    ptr: *mut c_void,
) -> c_int {
    started(evdns_base_resolve_reverse(global(), r#in, flags, callback, ptr))
}

/// Deprecated: evdns_base_resolve_reverse_ipv6() on the global resolver.
/// @param in the IPv6 address.
/// @param flags DNS_QUERY_* flags.
/// @param callback receives the result, once, from the loop.
/// @param ptr passed to the callback.
/// @return 0 when started; -1 otherwise, with no callback.
#[no_mangle]
pub unsafe extern "C" fn evdns_resolve_reverse_ipv6(
    r#in: *const in6_addr,
    flags: c_int,
    callback: evdns_callback_type,
    ptr: *mut c_void,
) -> c_int {
    started(evdns_base_resolve_reverse_ipv6(global(), r#in, flags, callback, ptr))
}

/// Deprecated: evdns_base_set_option() on the global resolver, made (without configuration) when
/// there is none yet.
/// @param option the option's name, such as "timeout:".
/// @param val its value, as text.
/// @param flags ignored, as in libevent.
/// @return 0, or -1 for a malformed value.
#[no_mangle]
pub unsafe extern "C" fn evdns_set_option(option: *const c_char, val: *const c_char, flags: c_int) -> c_int {
    let _ = flags;
    evdns_base_set_option(global_or_new(), option, val)
}

/// Deprecated: evdns_base_resolv_conf_parse() on the global resolver, made (without
/// configuration) when there is none yet.
/// @param flags DNS_OPTION_* bits.
/// @param filename the file.
/// @return the codes of evdns_base_resolv_conf_parse().
#[no_mangle]
pub unsafe extern "C" fn evdns_resolv_conf_parse(flags: c_int, filename: *const c_char) -> c_int {
    evdns_base_resolv_conf_parse(global_or_new(), flags, filename)
}

/// Deprecated: evdns_base_search_clear() on the global resolver (nothing without one).
#[no_mangle]
pub unsafe extern "C" fn evdns_search_clear() {
    evdns_base_search_clear(global())
}

/// Deprecated: evdns_base_search_add() on the global resolver (nothing without one).
/// @param domain the domain to search.
#[no_mangle]
pub unsafe extern "C" fn evdns_search_add(domain: *const c_char) {
    evdns_base_search_add(global(), domain)
}

/// Deprecated: evdns_base_search_ndots_set() on the global resolver (nothing without one).
/// @param ndots the number of dots.
#[no_mangle]
pub unsafe extern "C" fn evdns_search_ndots_set(ndots: c_int) {
    evdns_base_search_ndots_set(global(), ndots)
}

/// Deprecated: evdns_add_server_port_with_base() on the current base of event_init().
/// @param socket a bound, non-blocking UDP socket, which the port owns.
/// @param flags must be 0.
/// @param callback called from the loop for each query.
/// @param user_data passed to `callback`.
/// @return the port, to close with evdns_close_server_port(); NULL on failure.
#[no_mangle]
pub unsafe extern "C" fn evdns_add_server_port(
    socket: evutil_socket_t,
    flags: c_int,
    callback: evdns_request_callback_fn_type,
    user_data: *mut c_void,
) -> *mut ServerPort {
    evdns_add_server_port_with_base(ptr::null_mut(), socket, flags, callback, user_data)
}
