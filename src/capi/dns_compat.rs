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

#[no_mangle]
pub extern "C" fn evdns_init() -> c_int {
    let b = DnsBase::new(ptr::null_mut(), 1);
    if b.is_null() {
        return -1;
    }
    GLOBAL_BASE.store(b, Ordering::Release);
    0
}

#[no_mangle]
pub extern "C" fn evdns_get_global_base() -> *mut DnsBase {
    global()
}

/// Frees the global base, and forgets the log callback, as libevent does.
#[no_mangle]
pub unsafe extern "C" fn evdns_shutdown(fail_requests: c_int) {
    let b = GLOBAL_BASE.swap(ptr::null_mut(), Ordering::AcqRel);
    evdns_base_free(b, fail_requests);
    evdns_set_log_fn(None);
}

#[no_mangle]
pub unsafe extern "C" fn evdns_nameserver_add(address: c_ulong) -> c_int {
    evdns_base_nameserver_add(global_or_new(), address)
}

#[no_mangle]
pub unsafe extern "C" fn evdns_count_nameservers() -> c_int {
    evdns_base_count_nameservers(global())
}

#[no_mangle]
pub unsafe extern "C" fn evdns_clear_nameservers_and_suspend() -> c_int {
    evdns_base_clear_nameservers_and_suspend(global())
}

#[no_mangle]
pub unsafe extern "C" fn evdns_resume() -> c_int {
    evdns_base_resume(global())
}

#[no_mangle]
pub unsafe extern "C" fn evdns_nameserver_ip_add(ip_as_string: *const c_char) -> c_int {
    evdns_base_nameserver_ip_add(global_or_new(), ip_as_string)
}

fn started(r: *mut crate::dns::resolver::ReqHandle) -> c_int {
    if r.is_null() { -1 } else { 0 }
}

#[no_mangle]
pub unsafe extern "C" fn evdns_resolve_ipv4(name: *const c_char, flags: c_int, callback: evdns_callback_type, ptr: *mut c_void) -> c_int {
    started(evdns_base_resolve_ipv4(global(), name, flags, callback, ptr))
}

#[no_mangle]
pub unsafe extern "C" fn evdns_resolve_ipv6(name: *const c_char, flags: c_int, callback: evdns_callback_type, ptr: *mut c_void) -> c_int {
    started(evdns_base_resolve_ipv6(global(), name, flags, callback, ptr))
}

#[no_mangle]
pub unsafe extern "C" fn evdns_resolve_reverse(r#in: *const in_addr, flags: c_int, callback: evdns_callback_type, ptr: *mut c_void) -> c_int {
    started(evdns_base_resolve_reverse(global(), r#in, flags, callback, ptr))
}

#[no_mangle]
pub unsafe extern "C" fn evdns_resolve_reverse_ipv6(r#in: *const in6_addr, flags: c_int, callback: evdns_callback_type, ptr: *mut c_void) -> c_int {
    started(evdns_base_resolve_reverse_ipv6(global(), r#in, flags, callback, ptr))
}

/// `flags` is ignored, as in libevent.
#[no_mangle]
pub unsafe extern "C" fn evdns_set_option(option: *const c_char, val: *const c_char, flags: c_int) -> c_int {
    let _ = flags;
    evdns_base_set_option(global_or_new(), option, val)
}

#[no_mangle]
pub unsafe extern "C" fn evdns_resolv_conf_parse(flags: c_int, filename: *const c_char) -> c_int {
    evdns_base_resolv_conf_parse(global_or_new(), flags, filename)
}

#[no_mangle]
pub unsafe extern "C" fn evdns_search_clear() {
    evdns_base_search_clear(global())
}

#[no_mangle]
pub unsafe extern "C" fn evdns_search_add(domain: *const c_char) {
    evdns_base_search_add(global(), domain)
}

#[no_mangle]
pub unsafe extern "C" fn evdns_search_ndots_set(ndots: c_int) {
    evdns_base_search_ndots_set(global(), ndots)
}

/// A port on the current event base of event_init().
#[no_mangle]
pub unsafe extern "C" fn evdns_add_server_port(socket: evutil_socket_t, flags: c_int, callback: evdns_request_callback_fn_type, user_data: *mut c_void) -> *mut ServerPort {
    evdns_add_server_port_with_base(ptr::null_mut(), socket, flags, callback, user_data)
}
