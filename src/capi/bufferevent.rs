//! Exports of event2/bufferevent.h.
//!
//! libevent dereferences a NULL bufferevent (or group); these return the function's failure
//! value instead (-1, NULL, 0), or do nothing.
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]
use crate::dns::resolver::DnsBase;
use crate::buffer::Evbuffer;
use crate::bufferevent::filter::FilterFn;
use crate::bufferevent::ratelim::{self, Group, TokenBucketCfg};
use crate::bufferevent::{self as bev, filter, pair, socket, Bev, DataCb, EventCb};
use crate::core::base::EventBase;
use libc::{addrinfo, c_char, c_int, c_short, c_void, size_t, sockaddr, timeval};
use std::ptr;

pub type evutil_socket_t = c_int;
pub type ev_ssize_t = isize;
pub type ev_uint64_t = u64;
pub type bufferevent_data_cb = Option<DataCb>;
pub type bufferevent_event_cb = Option<EventCb>;
pub type bufferevent_filter_cb = Option<FilterFn>;
pub type BufferEventFlushMode = c_int;
/// `struct bufferevent *pair[2]`, through a typedef of the header (cbindgen has no array
/// parameters).
pub type event_rs_bufferevent_pair_ = *mut *mut Bev;

/// The bufferevent behind a program's pointer, or None for NULL.
fn live(b: *const Bev) -> Option<*mut Bev> {
    (!b.is_null()).then_some(b as *mut Bev)
}

// ---- creation and destruction

#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_new(base: *mut EventBase, fd: evutil_socket_t, options: c_int) -> *mut Bev {
    // SAFETY: base is the program's live base (or NULL for event_init's).
    unsafe { socket::new(base, fd, options) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_free(bufev: *mut Bev) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live and the program gives up its reference.
        unsafe { bev::free(b) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_pair_new(base: *mut EventBase, options: c_int, pair: event_rs_bufferevent_pair_) -> c_int {
    if pair.is_null() {
        return -1;
    }
    // SAFETY: base is live; pair points at two writable pointers (the caller's contract).
    match unsafe { pair::new(base, options) } {
        // SAFETY: base is live; pair points at two writable pointers (the caller's contract).
        Some([a, b]) => unsafe {
            *pair = a;
            *pair.add(1) = b;
            0
        },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_pair_get_partner(bufev: *mut Bev) -> *mut Bev {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) if std::ptr::eq(unsafe { (*b).be_ops }, &bev::PAIR_OPS) => unsafe { pair::partner_of(b) },
        _ => ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_filter_new(
    underlying: *mut Bev,
    input_filter: bufferevent_filter_cb,
    output_filter: bufferevent_filter_cb,
    options: c_int,
    free_context: Option<unsafe extern "C" fn(*mut c_void)>,
    ctx: *mut c_void,
) -> *mut Bev {
    match live(underlying) {
        // SAFETY: a non-NULL underlying bufferevent is live.
        Some(u) => unsafe { filter::new(u, input_filter, output_filter, options, free_context, ctx) },
        None => ptr::null_mut(),
    }
}

// ---- sockets

#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_connect(bufev: *mut Bev, addr: *const sockaddr, socklen: c_int) -> c_int {
    match live(bufev) {
        // SAFETY: bufev is live; addr, when not NULL, points at socklen bytes.
        Some(b) => unsafe { socket::connect(b, addr, socklen) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_connect_hostname(bufev: *mut Bev, evdns_base: *mut DnsBase, family: c_int, hostname: *const c_char, port: c_int) -> c_int {
    match live(bufev) {
        // SAFETY: bufev is live; evdns_base NULL or live; hostname NULL (getaddrinfo's
        // loopback) or a C string.
        Some(b) => unsafe { socket::connect_hostname(b, evdns_base, family, hostname, port) },
        None => -1,
    }
}

/// libevent 2.2: connect_hostname with the program's hints (NULL hints: -1).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_connect_hostname_hints(bufev: *mut Bev, evdns_base: *mut DnsBase, hints_in: *const addrinfo, hostname: *const c_char, port: c_int) -> c_int {
    // SAFETY: non-NULL hints are the program's addrinfo.
    match (live(bufev), unsafe { hints_in.as_ref() }) {
        // SAFETY: bufev is live; evdns_base NULL or live; hostname NULL or a C string.
        (Some(b), Some(h)) => unsafe { socket::connect_hostname_hints(b, evdns_base, h, hostname, port) },
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_get_dns_error(bufev: *mut Bev) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { socket::dns_error(b) },
        None => 0,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_base_set(base: *mut EventBase, bufev: *mut Bev) -> c_int {
    if base.is_null() {
        return -1;
    }
    match live(bufev) {
        // SAFETY: both are live.
        Some(b) => unsafe { socket::base_set(base, b) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_base(bufev: *mut Bev) -> *mut EventBase {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::get_base(b) },
        None => ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_priority_set(bufev: *mut Bev, pri: c_int) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { socket::priority_set(b, pri) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_priority(bufev: *const Bev) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::get_priority(b) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_setfd(bufev: *mut Bev, fd: evutil_socket_t) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::setfd(b, fd) },
        None => -1,
    }
}

/// libevent 2.2: as bufferevent_setfd, but closes the descriptor the bufferevent had.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_replacefd(bufev: *mut Bev, fd: evutil_socket_t) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::replacefd(b, fd) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_getfd(bufev: *mut Bev) -> evutil_socket_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::getfd(b) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_underlying(bufev: *mut Bev) -> *mut Bev {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::get_underlying(b) },
        None => ptr::null_mut(),
    }
}

// ---- callbacks and state

#[no_mangle]
pub unsafe extern "C" fn bufferevent_setcb(bufev: *mut Bev, readcb: bufferevent_data_cb, writecb: bufferevent_data_cb, eventcb: bufferevent_event_cb, cbarg: *mut c_void) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { bev::setcb(b, readcb, writecb, eventcb, cbarg) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_getcb(
    bufev: *mut Bev,
    readcb_ptr: *mut bufferevent_data_cb,
    writecb_ptr: *mut bufferevent_data_cb,
    eventcb_ptr: *mut bufferevent_event_cb,
    cbarg_ptr: *mut *mut c_void,
) {
    let Some(b) = live(bufev) else { return };
    // SAFETY: a non-NULL bufferevent is live; each non-NULL out-pointer is writable.
    unsafe {
        bev::lock(b);
        if !readcb_ptr.is_null() {
            *readcb_ptr = (*b).readcb;
        }
        if !writecb_ptr.is_null() {
            *writecb_ptr = (*b).writecb;
        }
        if !eventcb_ptr.is_null() {
            *eventcb_ptr = (*b).errorcb;
        }
        if !cbarg_ptr.is_null() {
            *cbarg_ptr = (*b).cbarg;
        }
        bev::unlock(b);
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_enable(bufev: *mut Bev, event: c_short) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::enable(b, event) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_disable(bufev: *mut Bev, event: c_short) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::disable(b, event) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_enabled(bufev: *mut Bev) -> c_short {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::get_enabled(b) },
        None => 0,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_set_timeouts(bufev: *mut Bev, timeout_read: *const timeval, timeout_write: *const timeval) -> c_int {
    match live(bufev) {
        // SAFETY: bufev is live; each timeval is NULL or readable.
        Some(b) => unsafe { bev::set_timeouts(b, timeout_read.as_ref(), timeout_write.as_ref()) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_setwatermark(bufev: *mut Bev, events: c_short, lowmark: size_t, highmark: size_t) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { bev::setwatermark(b, events, lowmark, highmark) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_getwatermark(bufev: *mut Bev, events: c_short, lowmark: *mut size_t, highmark: *mut size_t) -> c_int {
    let Some(b) = live(bufev) else { return -1 };
    // SAFETY: bufev is live; each out-pointer is NULL or writable.
    match unsafe { bev::getwatermark(b, events) } {
        // SAFETY: bufev is live; each out-pointer is NULL or writable.
        Some(wm) => unsafe {
            if !lowmark.is_null() {
                *lowmark = wm.low;
            }
            if !highmark.is_null() {
                *highmark = wm.high;
            }
            0
        },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_lock(bufev: *mut Bev) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { bev::lock(b) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_unlock(bufev: *mut Bev) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live and locked by this thread.
        unsafe { bev::unlock(b) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_incref(bufev: *mut Bev) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { bev::incref(b) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_decref(bufev: *mut Bev) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live and the program gives up one reference.
        Some(b) => unsafe { bev::decref(b) },
        None => -1,
    }
}

// ---- data

#[no_mangle]
pub unsafe extern "C" fn bufferevent_write(bufev: *mut Bev, data: *const c_void, size: size_t) -> c_int {
    let Some(b) = live(bufev) else { return -1 };
    if size == 0 {
        return 0;
    }
    if data.is_null() {
        return -1;
    }
    // SAFETY: bufev is live; data points at size readable bytes.
    unsafe { bev::write(b, std::slice::from_raw_parts(data as *const u8, size)) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_write_buffer(bufev: *mut Bev, buf: *mut Evbuffer) -> c_int {
    // SAFETY: both are live when not NULL.
    match (live(bufev), unsafe { buf.as_ref() }) {
        // SAFETY: both are live when not NULL.
        (Some(b), Some(buf)) => unsafe { bev::write_buffer(b, buf) },
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_read(bufev: *mut Bev, data: *mut c_void, size: size_t) -> size_t {
    let Some(b) = live(bufev) else { return 0 };
    if size == 0 || data.is_null() {
        return 0;
    }
    // SAFETY: bufev is live; data points at size writable bytes.
    unsafe { bev::read(b, std::slice::from_raw_parts_mut(data as *mut u8, size)) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_read_buffer(bufev: *mut Bev, buf: *mut Evbuffer) -> c_int {
    // SAFETY: both are live when not NULL.
    match (live(bufev), unsafe { buf.as_ref() }) {
        // SAFETY: both are live when not NULL.
        (Some(b), Some(buf)) => unsafe { bev::read_buffer(b, buf) },
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_input(bufev: *mut Bev) -> *mut Evbuffer {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { (*b).input },
        None => ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_output(bufev: *mut Bev) -> *mut Evbuffer {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { (*b).output },
        None => ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_flush(bufev: *mut Bev, iotype: c_short, mode: BufferEventFlushMode) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::flush(b, iotype, mode) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_trigger(bufev: *mut Bev, iotype: c_short, options: c_int) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { bev::trigger(b, iotype, options) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_trigger_event(bufev: *mut Bev, what: c_short, options: c_int) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { bev::trigger_event(b, what, options) }
    }
}

// ---- rate limits

#[no_mangle]
pub unsafe extern "C" fn ev_token_bucket_cfg_new(read_rate: size_t, read_burst: size_t, write_rate: size_t, write_burst: size_t, tick_len: *const timeval) -> *mut TokenBucketCfg {
    // SAFETY: tick_len is NULL or readable.
    ratelim::cfg_new(read_rate, read_burst, write_rate, write_burst, unsafe { tick_len.as_ref() })
}

#[no_mangle]
pub unsafe extern "C" fn ev_token_bucket_cfg_free(cfg: *mut TokenBucketCfg) {
    if !cfg.is_null() {
        // SAFETY: cfg came from ev_token_bucket_cfg_new.
        unsafe { ratelim::cfg_free(cfg) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_set_rate_limit(bufev: *mut Bev, cfg: *mut TokenBucketCfg) -> c_int {
    match live(bufev) {
        // SAFETY: bufev is live; cfg is NULL or a live configuration.
        Some(b) => unsafe { ratelim::set_rate_limit(b, cfg) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_token_bucket_cfg(bufev: *const Bev) -> *const TokenBucketCfg {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_cfg(b) },
        None => ptr::null(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_new(base: *mut EventBase, cfg: *const TokenBucketCfg) -> *mut Group {
    // SAFETY: base is live; cfg is a live configuration.
    match (base.is_null(), unsafe { cfg.as_ref() }) {
        // SAFETY: base is live; cfg is a live configuration.
        (false, Some(cfg)) => unsafe { ratelim::group_new(base, cfg) },
        _ => ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_set_cfg(group: *mut Group, cfg: *const TokenBucketCfg) -> c_int {
    // SAFETY: group and cfg are live when not NULL.
    match (group.is_null(), unsafe { cfg.as_ref() }) {
        // SAFETY: group and cfg are live when not NULL.
        (false, Some(cfg)) => unsafe { ratelim::group_set_cfg(group, cfg) },
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_set_min_share(group: *mut Group, share: size_t) -> c_int {
    if group.is_null() {
        return -1;
    }
    // SAFETY: group is live.
    unsafe { ratelim::group_set_min_share(group, share) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_free(group: *mut Group) {
    if !group.is_null() {
        // SAFETY: group is live and the program gives it up.
        unsafe { ratelim::group_free(group) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_add_to_rate_limit_group(bufev: *mut Bev, group: *mut Group) -> c_int {
    if group.is_null() {
        return -1;
    }
    match live(bufev) {
        // SAFETY: both are live.
        Some(b) => unsafe { ratelim::add_to_group(b, group) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_remove_from_rate_limit_group(bufev: *mut Bev) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::remove_from_group(b, true) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_set_max_single_read(bufev: *mut Bev, size: size_t) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::set_max_single(b, size, false) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_set_max_single_write(bufev: *mut Bev, size: size_t) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::set_max_single(b, size, true) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_max_single_read(bufev: *mut Bev) -> ev_ssize_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_max_single(b, false) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_max_single_write(bufev: *mut Bev) -> ev_ssize_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_max_single(b, true) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_read_limit(bufev: *mut Bev) -> ev_ssize_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_limit(b, false) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_write_limit(bufev: *mut Bev) -> ev_ssize_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_limit(b, true) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_max_to_read(bufev: *mut Bev) -> ev_ssize_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_max_to(b, false) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_max_to_write(bufev: *mut Bev) -> ev_ssize_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_max_to(b, true) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_get_read_limit(group: *mut Group) -> ev_ssize_t {
    if group.is_null() {
        return -1;
    }
    // SAFETY: group is live.
    unsafe { ratelim::group_get_limit(group, false) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_get_write_limit(group: *mut Group) -> ev_ssize_t {
    if group.is_null() {
        return -1;
    }
    // SAFETY: group is live.
    unsafe { ratelim::group_get_limit(group, true) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_decrement_read_limit(bufev: *mut Bev, decr: ev_ssize_t) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::decrement_limit(b, decr, false) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_decrement_write_limit(bufev: *mut Bev, decr: ev_ssize_t) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::decrement_limit(b, decr, true) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_decrement_read(group: *mut Group, decr: ev_ssize_t) -> c_int {
    if group.is_null() {
        return -1;
    }
    // SAFETY: group is live.
    unsafe { ratelim::group_decrement(group, decr, false) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_decrement_write(group: *mut Group, decr: ev_ssize_t) -> c_int {
    if group.is_null() {
        return -1;
    }
    // SAFETY: group is live.
    unsafe { ratelim::group_decrement(group, decr, true) }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_get_totals(group: *mut Group, total_read_out: *mut ev_uint64_t, total_written_out: *mut ev_uint64_t) {
    if group.is_null() {
        return;
    }
    // SAFETY: group is live; each out-pointer is NULL or writable.
    unsafe {
        let (r, w) = ratelim::group_totals(group);
        if !total_read_out.is_null() {
            *total_read_out = r;
        }
        if !total_written_out.is_null() {
            *total_written_out = w;
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_reset_totals(group: *mut Group) {
    if !group.is_null() {
        // SAFETY: group is live.
        unsafe { ratelim::group_reset_totals(group) }
    }
}
