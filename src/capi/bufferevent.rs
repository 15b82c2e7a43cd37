//! Exports of event2/bufferevent.h.
//!
//! libevent dereferences a NULL bufferevent (or group); these return the function's failure
//! value instead (-1, NULL, 0), or do nothing.
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]
use crate::buffer::Evbuffer;
use crate::bufferevent::filter::FilterFn;
use crate::bufferevent::ratelim::{self, Group, TokenBucketCfg};
use crate::bufferevent::{self as bev, filter, pair, socket, Bev, DataCb, EventCb};
use crate::core::base::EventBase;
use crate::dns::resolver::DnsBase;
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

/// Makes a bufferevent over a socket. It reads into its input buffer and writes its output
/// buffer to the socket once enabled for `EV_WRITE` (the default) or `EV_READ` (not enabled at
/// first).
/// @param base the base whose loop drives it; NULL means the current base of the 1.x calls
/// (`event_init()`'s).
/// @param fd a non-blocking socket (see `evutil_make_socket_nonblocking()`), or -1 to set one
/// later with `bufferevent_socket_connect()` or `bufferevent_setfd()`.
/// @param options `BEV_OPT_*` flags.
/// @return the bufferevent, which the caller frees with `bufferevent_free()`; NULL on failure
/// (bad options, `BEV_OPT_THREADSAFE` without `evthread_use_pthreads()`, memory exhausted).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_new(base: *mut EventBase, fd: evutil_socket_t, options: c_int) -> *mut Bev {
    // SAFETY: base is the program's live base (or NULL for event_init's).
    unsafe { socket::new(base, fd, options) }
}

/// Releases the program's bufferevent: its callbacks are cleared at once and none runs after this
/// returns; its events leave the loop. The memory (and, with `BEV_OPT_CLOSE_ON_FREE`, the socket,
/// the underlying bufferevent or the SSL object) goes when the last reference does: another
/// thread or a pending callback may still hold one. Bytes still in the output are not sent. NULL
/// does nothing.
/// @param bufev the bufferevent, which the program must not use afterwards.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_free(bufev: *mut Bev) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live and the program gives up its reference.
        unsafe { bev::free(b) }
    }
}

/// Makes two bufferevents connected in memory: what is written to one arrives in the other's
/// input. Their callbacks always run deferred, from the loop, as in libevent.
/// @param base the base of both.
/// @param options `BEV_OPT_*` flags for both; with `BEV_OPT_THREADSAFE` they share one lock.
/// @param pair receives the two bufferevents, each freed with `bufferevent_free()`.
/// @return 0, or -1 on failure (`pair` is NULL, bad options, memory exhausted).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_pair_new(
    base: *mut EventBase,
    options: c_int,
    pair: event_rs_bufferevent_pair_,
) -> c_int {
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

/// The other end of a pair.
/// @param bufev one end of a pair.
/// @return the partner, or NULL when it has been freed, `bufev` is not a pair, or NULL. The
/// caller does not get a reference.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_pair_get_partner(bufev: *mut Bev) -> *mut Bev {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) if std::ptr::eq(unsafe { (*b).be_ops }, &bev::PAIR_OPS) => unsafe { pair::partner_of(b) },
        _ => ptr::null_mut(),
    }
}

/// Makes a bufferevent layered on `underlying`: bytes read by `underlying` pass through
/// `input_filter` into the new input buffer, and bytes written go through `output_filter` into
/// `underlying`'s output. The new bufferevent takes over `underlying`'s callbacks and holds a
/// reference to it.
/// @param underlying the bufferevent below, which the program keeps using only through the
/// filter.
/// @param input_filter moves (and transforms) bytes from `underlying`'s input into the new input;
/// NULL copies them unchanged.
/// @param output_filter the same for the new output into `underlying`'s output; NULL copies.
/// @param options `BEV_OPT_*` flags; with `BEV_OPT_CLOSE_ON_FREE`, freeing the filter frees
/// `underlying` as well.
/// @param free_context called with `ctx` when the filter bufferevent is freed; may be NULL.
/// @param ctx the filters' argument.
/// @return the new bufferevent, or NULL on failure (NULL `underlying`, bad options, memory).
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

/// Starts connecting the socket bufferevent to an address; `BEV_EVENT_CONNECTED` (or
/// `BEV_EVENT_ERROR`) reaches the event callback when it is done. Reading and writing wait for the
/// connection.
/// @param bufev a socket bufferevent; when it has no socket yet, a non-blocking one of the
/// address's family is made (closed on free only with `BEV_OPT_CLOSE_ON_FREE`).
/// @param addr the address, or NULL when the socket is already connecting.
/// @param socklen the length of `addr`.
/// @return 0 when the connect started (or was refused at once: the error is then reported to the
/// event callback from the loop), -1 on failure (another kind of bufferevent, no socket could be
/// made, NULL).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_connect(bufev: *mut Bev, addr: *const sockaddr, socklen: c_int) -> c_int {
    match live(bufev) {
        // SAFETY: bufev is live; addr, when not NULL, points at socklen bytes.
        Some(b) => unsafe { socket::connect(b, addr, socklen) },
        None => -1,
    }
}

/// Resolves a host name and connects to its first address, as `bufferevent_socket_connect()`.
/// A failed lookup reports `BEV_EVENT_ERROR`, with the error kept for
/// `bufferevent_socket_get_dns_error()`.
/// @param bufev a socket bufferevent.
/// @param evdns_base the resolver to use, asynchronously; NULL resolves now with the system's
/// getaddrinfo (which blocks).
/// @param family `AF_INET`, `AF_INET6` or `AF_UNSPEC`.
/// @param hostname the name or address; NULL means the loopback address.
/// @param port the port.
/// @return 0 when the lookup started, -1 on failure (bad family or port, NULL `bufev`, a lookup
/// that failed at once).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_connect_hostname(
    bufev: *mut Bev,
    evdns_base: *mut DnsBase,
    family: c_int,
    hostname: *const c_char,
    port: c_int,
) -> c_int {
    match live(bufev) {
        // SAFETY: bufev is live; evdns_base NULL or live; hostname NULL (getaddrinfo's
        // loopback) or a C string.
        Some(b) => unsafe { socket::connect_hostname(b, evdns_base, family, hostname, port) },
        None => -1,
    }
}

/// libevent 2.2 (on the 2.1 ABI): as `bufferevent_socket_connect_hostname()`, with the program's
/// hints for the lookup.
/// @param bufev a socket bufferevent.
/// @param evdns_base the resolver, or NULL for getaddrinfo.
/// @param hints_in the hints: `ai_family` (`AF_INET`, `AF_INET6` or `AF_UNSPEC`), `ai_flags`,
/// `ai_socktype` and `ai_protocol` are used.
/// @param hostname the name or address; NULL means the loopback address.
/// @param port the port.
/// @return 0 when the lookup started, -1 on failure (also for NULL `hints_in`).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_connect_hostname_hints(
    bufev: *mut Bev,
    evdns_base: *mut DnsBase,
    hints_in: *const addrinfo,
    hostname: *const c_char,
    port: c_int,
) -> c_int {
    // SAFETY: non-NULL hints are the program's addrinfo.
    match (live(bufev), unsafe { hints_in.as_ref() }) {
        // SAFETY: bufev is live; evdns_base NULL or live; hostname NULL or a C string.
        (Some(b), Some(h)) => unsafe { socket::connect_hostname_hints(b, evdns_base, h, hostname, port) },
        _ => -1,
    }
}

/// The error of the last failed lookup of `bufferevent_socket_connect_hostname()`.
/// @param bufev the bufferevent.
/// @return an `EVUTIL_EAI_*` code (see `evutil_gai_strerror()`), or 0 when the last lookup did
/// not fail, or for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_socket_get_dns_error(bufev: *mut Bev) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { socket::dns_error(b) },
        None => 0,
    }
}

/// Moves a socket bufferevent to another base. Its events must not be pending (disable it first).
/// @param base the new base.
/// @param bufev the bufferevent.
/// @return 0, or -1 for another kind of bufferevent or a NULL argument.
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

/// The base of a bufferevent.
/// @param bufev the bufferevent.
/// @return the base, or NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_base(bufev: *mut Bev) -> *mut EventBase {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::get_base(b) },
        None => ptr::null_mut(),
    }
}

/// Sets the priority of the bufferevent's events (for a socket or OpenSSL bufferevent).
/// @param bufev the bufferevent.
/// @param pri a priority of its base, from 0 to `event_base_get_npriorities()` minus 1.
/// @return 0, or -1 for a bad priority, another kind of bufferevent, or NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_priority_set(bufev: *mut Bev, pri: c_int) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { socket::priority_set(b, pri) },
        None => -1,
    }
}

/// The priority of the bufferevent's events.
/// @param bufev the bufferevent.
/// @return the priority (the base's middle one unless set), or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_priority(bufev: *const Bev) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::get_priority(b) },
        None => -1,
    }
}

/// Gives a socket bufferevent (or a filter over one) another descriptor. Callbacks, buffers and
/// enabled directions are kept; the old descriptor is not closed. A running
/// `bufferevent_socket_connect_hostname()` lookup is cancelled.
/// @param bufev the bufferevent.
/// @param fd the new socket, or -1 for none.
/// @return 0, or -1 for a pair or NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_setfd(bufev: *mut Bev, fd: evutil_socket_t) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::setfd(b, fd) },
        None => -1,
    }
}

/// libevent 2.2 (on the 2.1 ABI): as `bufferevent_setfd()`, but the descriptor the bufferevent had
/// is closed first (whatever its options; not when it is `fd` itself).
/// @param bufev the bufferevent.
/// @param fd the new socket.
/// @return 0, or -1 for a pair, a filter over nothing, or NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_replacefd(bufev: *mut Bev, fd: evutil_socket_t) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::replacefd(b, fd) },
        None => -1,
    }
}

/// The descriptor of a socket or OpenSSL socket bufferevent (or of the one under a filter).
/// @param bufev the bufferevent.
/// @return the descriptor, or -1 when it has none (a pair, NULL).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_getfd(bufev: *mut Bev) -> evutil_socket_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::getfd(b) },
        None => -1,
    }
}

/// The bufferevent under a filter or an OpenSSL filter bufferevent.
/// @param bufev the bufferevent.
/// @return the underlying bufferevent (no reference is given), or NULL for other kinds and NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_underlying(bufev: *mut Bev) -> *mut Bev {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::get_underlying(b) },
        None => ptr::null_mut(),
    }
}

// ---- callbacks and state

/// Sets the three callbacks and their argument, replacing the old ones.
/// @param bufev the bufferevent; NULL does nothing.
/// @param readcb called when the input reaches its low-water mark (any data, by default); NULL:
/// none.
/// @param writecb called when the output drains to its low-water mark (empty, by default); NULL:
/// none.
/// @param eventcb called with `BEV_EVENT_*` flags on a connection, end of file, error or
/// timeout; NULL: none.
/// @param cbarg the argument of the three callbacks.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_setcb(
    bufev: *mut Bev,
    readcb: bufferevent_data_cb,
    writecb: bufferevent_data_cb,
    eventcb: bufferevent_event_cb,
    cbarg: *mut c_void,
) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { bev::setcb(b, readcb, writecb, eventcb, cbarg) }
    }
}

/// Reads the callbacks and their argument.
/// @param bufev the bufferevent; NULL does nothing.
/// @param readcb_ptr receives the read callback, if not NULL.
/// @param writecb_ptr receives the write callback, if not NULL.
/// @param eventcb_ptr receives the event callback, if not NULL.
/// @param cbarg_ptr receives the argument, if not NULL.
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

/// Starts reading (`EV_READ`) and/or writing (`EV_WRITE`). A direction held back by a watermark,
/// rate limit or connect in progress starts when that ends.
/// @param bufev the bufferevent.
/// @param event `EV_READ`, `EV_WRITE` or both.
/// @return 0, or -1 on failure (a closed descriptor, NULL).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_enable(bufev: *mut Bev, event: c_short) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::enable(b, event) },
        None => -1,
    }
}

/// Stops reading and/or writing; the buffers keep their bytes.
/// @param bufev the bufferevent.
/// @param event `EV_READ`, `EV_WRITE` or both.
/// @return 0, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_disable(bufev: *mut Bev, event: c_short) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::disable(b, event) },
        None => -1,
    }
}

/// The directions enabled by the program.
/// @param bufev the bufferevent.
/// @return `EV_READ` and/or `EV_WRITE` bits, 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_enabled(bufev: *mut Bev) -> c_short {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::get_enabled(b) },
        None => 0,
    }
}

/// Sets the read and write timeouts: when a direction is enabled and nothing moves for that long,
/// the event callback gets `BEV_EVENT_TIMEOUT` with `BEV_EVENT_READING` or `BEV_EVENT_WRITING`, and
/// that direction is disabled.
/// @param bufev the bufferevent.
/// @param timeout_read the read timeout, or NULL for none.
/// @param timeout_write the write timeout, or NULL for none.
/// @return 0, or -1 on failure. A negative timeout fires at once (libevent asserts).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_set_timeouts(
    bufev: *mut Bev,
    timeout_read: *const timeval,
    timeout_write: *const timeval,
) -> c_int {
    match live(bufev) {
        // SAFETY: bufev is live; each timeval is NULL or readable.
        Some(b) => unsafe { bev::set_timeouts(b, timeout_read.as_ref(), timeout_write.as_ref()) },
        None => -1,
    }
}

/// Sets the watermarks of the input (`EV_READ`) and/or output (`EV_WRITE`). The read callback runs
/// when the input holds at least the read low mark; reading stops while it holds the read high
/// mark (0: no limit). The write callback runs when the output drains to the write low mark.
/// @param bufev the bufferevent; NULL does nothing.
/// @param events `EV_READ`, `EV_WRITE` or both.
/// @param lowmark the low-water mark.
/// @param highmark the high-water mark (0: none).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_setwatermark(bufev: *mut Bev, events: c_short, lowmark: size_t, highmark: size_t) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { bev::setwatermark(b, events, lowmark, highmark) }
    }
}

/// Reads the watermarks of one direction.
/// @param bufev the bufferevent.
/// @param events exactly one of `EV_READ` or `EV_WRITE`.
/// @param lowmark receives the low mark, if not NULL.
/// @param highmark receives the high mark, if not NULL.
/// @return 0, or -1 when `events` is not a single direction or `bufev` is NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_getwatermark(
    bufev: *mut Bev,
    events: c_short,
    lowmark: *mut size_t,
    highmark: *mut size_t,
) -> c_int {
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

/// Takes the bufferevent's lock (recursive), which guards it and its buffers; does nothing
/// without `BEV_OPT_THREADSAFE`, or for NULL.
/// @param bufev the bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_lock(bufev: *mut Bev) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { bev::lock(b) }
    }
}

/// Releases the lock taken by `bufferevent_lock()`.
/// @param bufev the bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_unlock(bufev: *mut Bev) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live and locked by this thread.
        unsafe { bev::unlock(b) }
    }
}

/// Takes a reference, which keeps the memory of the bufferevent valid after `bufferevent_free()`
/// until `bufferevent_decref()`.
/// @param bufev the bufferevent.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_incref(bufev: *mut Bev) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { bev::incref(b) }
    }
}

/// Drops a reference taken with `bufferevent_incref()`.
/// @param bufev the bufferevent.
/// @return 1 when that was the last reference (the bufferevent is being freed), 0 otherwise, -1
/// for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_decref(bufev: *mut Bev) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live and the program gives up one reference.
        Some(b) => unsafe { bev::decref(b) },
        None => -1,
    }
}

// ---- data

/// Appends a copy of `size` bytes to the output, which is sent as the transport allows.
/// @param bufev the bufferevent.
/// @param data the bytes.
/// @param size their number.
/// @return 0, or -1 on failure (memory, NULL `bufev`, or NULL `data` with bytes).
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

/// Moves all the bytes of `buf` to the output (`buf` is left empty).
/// @param bufev the bufferevent.
/// @param buf the buffer to empty.
/// @return 0, or -1 on failure.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_write_buffer(bufev: *mut Bev, buf: *mut Evbuffer) -> c_int {
    // SAFETY: both are live when not NULL.
    match (live(bufev), unsafe { buf.as_ref() }) {
        // SAFETY: both are live when not NULL.
        (Some(b), Some(buf)) => unsafe { bev::write_buffer(b, buf) },
        _ => -1,
    }
}

/// Takes up to `size` bytes from the front of the input.
/// @param bufev the bufferevent.
/// @param data the destination.
/// @param size the most bytes to take.
/// @return the number of bytes taken (0 when the input is empty, or on a NULL argument).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_read(bufev: *mut Bev, data: *mut c_void, size: size_t) -> size_t {
    let Some(b) = live(bufev) else { return 0 };
    if size == 0 || data.is_null() {
        return 0;
    }
    // SAFETY: bufev is live; data points at size writable bytes.
    unsafe { bev::read(b, std::slice::from_raw_parts_mut(data as *mut u8, size)) }
}

/// Moves all the bytes of the input to the end of `buf`.
/// @param bufev the bufferevent.
/// @param buf the buffer to add to.
/// @return 0, or -1 on failure.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_read_buffer(bufev: *mut Bev, buf: *mut Evbuffer) -> c_int {
    // SAFETY: both are live when not NULL.
    match (live(bufev), unsafe { buf.as_ref() }) {
        // SAFETY: both are live when not NULL.
        (Some(b), Some(buf)) => unsafe { bev::read_buffer(b, buf) },
        _ => -1,
    }
}

/// The input buffer, where read bytes arrive; it belongs to the bufferevent (do not free it) and
/// lives as long as it does.
/// @param bufev the bufferevent.
/// @return the buffer, or NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_input(bufev: *mut Bev) -> *mut Evbuffer {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { (*b).input },
        None => ptr::null_mut(),
    }
}

/// The output buffer, whose bytes are sent; it belongs to the bufferevent (do not free it).
/// @param bufev the bufferevent.
/// @return the buffer, or NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_output(bufev: *mut Bev) -> *mut Evbuffer {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { (*b).output },
        None => ptr::null_mut(),
    }
}

/// Asks the transport to move what it holds: for a filter, runs the filters in `mode`
/// (`BEV_FINISHED` tells them no more data comes); for a pair, moves the output across. Socket and
/// OpenSSL bufferevents have nothing to flush.
/// @param bufev the bufferevent.
/// @param iotype `EV_READ`, `EV_WRITE` or both.
/// @param mode `BEV_NORMAL`, `BEV_FLUSH` or `BEV_FINISHED`.
/// @return for a filter, 1 when bytes were filtered and 0 when none were; 0 for the other kinds;
/// -1 on failure (a pair whose partner is gone, NULL).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_flush(bufev: *mut Bev, iotype: c_short, mode: BufferEventFlushMode) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { bev::flush(b, iotype, mode) },
        None => -1,
    }
}

/// Runs the read and/or write callback as if data had moved, when the buffer is past its
/// watermark (or always, with `BEV_TRIG_IGNORE_WATERMARKS`).
/// @param bufev the bufferevent; NULL does nothing.
/// @param iotype `EV_READ`, `EV_WRITE` or both.
/// @param options `BEV_TRIG_*` flags (`BEV_TRIG_DEFER_CALLBACKS`: from the loop).
#[no_mangle]
pub unsafe extern "C" fn bufferevent_trigger(bufev: *mut Bev, iotype: c_short, options: c_int) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { bev::trigger(b, iotype, options) }
    }
}

/// Runs the event callback with `what`, as if that had happened.
/// @param bufev the bufferevent; NULL does nothing.
/// @param what `BEV_EVENT_*` flags.
/// @param options `BEV_TRIG_DEFER_CALLBACKS` to run it from the loop, or 0.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_trigger_event(bufev: *mut Bev, what: c_short, options: c_int) {
    if let Some(b) = live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        unsafe { bev::trigger_event(b, what, options) }
    }
}

// ---- rate limits

/// Makes a rate-limit configuration: each tick adds `rate` bytes of credit to a bucket holding
/// at most `burst`.
/// @param read_rate bytes read per tick.
/// @param read_burst the most bytes read at once.
/// @param write_rate bytes written per tick.
/// @param write_burst the most bytes written at once.
/// @param tick_len the tick; NULL means one second.
/// @return the configuration, which the caller frees with `ev_token_bucket_cfg_free()`; NULL
/// when a rate is 0, a rate exceeds its burst, or a value exceeds `EV_RATE_LIMIT_MAX`.
#[no_mangle]
pub unsafe extern "C" fn ev_token_bucket_cfg_new(
    read_rate: size_t,
    read_burst: size_t,
    write_rate: size_t,
    write_burst: size_t,
    tick_len: *const timeval,
) -> *mut TokenBucketCfg {
    // SAFETY: tick_len is NULL or readable.
    ratelim::cfg_new(read_rate, read_burst, write_rate, write_burst, unsafe { tick_len.as_ref() })
}

/// Frees a configuration. No bufferevent may still use it (`bufferevent_set_rate_limit()` keeps
/// a pointer); groups have their own copies. NULL does nothing.
/// @param cfg the configuration.
#[no_mangle]
pub unsafe extern "C" fn ev_token_bucket_cfg_free(cfg: *mut TokenBucketCfg) {
    if !cfg.is_null() {
        // SAFETY: cfg came from ev_token_bucket_cfg_new.
        unsafe { ratelim::cfg_free(cfg) }
    }
}

/// Limits the bufferevent's reading and writing with a token bucket.
/// @param bufev the bufferevent.
/// @param cfg the configuration, which is not copied: it must outlive its use here; NULL removes
/// the limit.
/// @return 0, or -1 for NULL `bufev`.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_set_rate_limit(bufev: *mut Bev, cfg: *mut TokenBucketCfg) -> c_int {
    match live(bufev) {
        // SAFETY: bufev is live; cfg is NULL or a live configuration.
        Some(b) => unsafe { ratelim::set_rate_limit(b, cfg) },
        None => -1,
    }
}

/// The configuration set by `bufferevent_set_rate_limit()`.
/// @param bufev the bufferevent.
/// @return the configuration (still the program's), or NULL when there is none.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_token_bucket_cfg(bufev: *const Bev) -> *const TokenBucketCfg {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_cfg(b) },
        None => ptr::null(),
    }
}

/// Makes a group of bufferevents that share one bucket; each member gets a fair share of it.
/// @param base the base whose timer refills the bucket each tick.
/// @param cfg the configuration, copied.
/// @return the group, which the caller frees with `bufferevent_rate_limit_group_free()`; NULL on
/// failure.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_new(
    base: *mut EventBase,
    cfg: *const TokenBucketCfg,
) -> *mut Group {
    // SAFETY: base is live; cfg is a live configuration.
    match (base.is_null(), unsafe { cfg.as_ref() }) {
        // SAFETY: base is live; cfg is a live configuration.
        (false, Some(cfg)) => unsafe { ratelim::group_new(base, cfg) },
        _ => ptr::null_mut(),
    }
}

/// Changes a group's rates (copying `cfg`); the credit is kept up to the new bursts.
/// @param group the group.
/// @param cfg the new configuration.
/// @return 0, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_set_cfg(group: *mut Group, cfg: *const TokenBucketCfg) -> c_int {
    // SAFETY: group and cfg are live when not NULL.
    match (group.is_null(), unsafe { cfg.as_ref() }) {
        // SAFETY: group and cfg are live when not NULL.
        (false, Some(cfg)) => unsafe { ratelim::group_set_cfg(group, cfg) },
        _ => -1,
    }
}

/// Sets the least a member may move at once, however many members share the bucket (64 bytes
/// by default; 0 turns the minimum off). It is never more than one tick's rate.
/// @param group the group.
/// @param share the minimum, in bytes.
/// @return 0, or -1 for a share above `EV_SSIZE_MAX` or NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_set_min_share(group: *mut Group, share: size_t) -> c_int {
    if group.is_null() {
        return -1;
    }
    // SAFETY: group is live.
    unsafe { ratelim::group_set_min_share(group, share) }
}

/// Frees a group. Its members must have left it: a group that still has members is refused with
/// a warning (libevent asserts). NULL does nothing.
/// @param group the group.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_free(group: *mut Group) {
    if !group.is_null() {
        // SAFETY: group is live and the program gives it up.
        unsafe { ratelim::group_free(group) }
    }
}

/// Makes the bufferevent a member of a group (leaving its previous group).
/// @param bufev the bufferevent.
/// @param group the group.
/// @return 0, or -1 on failure (NULL, memory).
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

/// Takes the bufferevent out of its group (nothing when it has none).
/// @param bufev the bufferevent.
/// @return 0, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_remove_from_rate_limit_group(bufev: *mut Bev) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::remove_from_group(b, true) },
        None => -1,
    }
}

/// Sets the most one read of the transport takes in (16384 by default for sockets).
/// @param bufev the bufferevent.
/// @param size the limit; 0 or above `EV_SSIZE_MAX` restores the default.
/// @return 0, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_set_max_single_read(bufev: *mut Bev, size: size_t) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::set_max_single(b, size, false) },
        None => -1,
    }
}

/// Sets the most one write to the transport sends (16384 by default).
/// @param bufev the bufferevent.
/// @param size the limit; 0 or above `EV_SSIZE_MAX` restores the default.
/// @return 0, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_set_max_single_write(bufev: *mut Bev, size: size_t) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::set_max_single(b, size, true) },
        None => -1,
    }
}

/// The limit set by `bufferevent_set_max_single_read()`.
/// @param bufev the bufferevent.
/// @return the limit, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_max_single_read(bufev: *mut Bev) -> ev_ssize_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_max_single(b, false) },
        None => -1,
    }
}

/// The limit set by `bufferevent_set_max_single_write()`.
/// @param bufev the bufferevent.
/// @return the limit, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_max_single_write(bufev: *mut Bev) -> ev_ssize_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_max_single(b, true) },
        None => -1,
    }
}

/// The credit left in the bufferevent's own read bucket.
/// @param bufev the bufferevent.
/// @return the credit (negative after overuse), `EV_SSIZE_MAX` without a rate limit, -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_read_limit(bufev: *mut Bev) -> ev_ssize_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_limit(b, false) },
        None => -1,
    }
}

/// The credit left in the bufferevent's own write bucket.
/// @param bufev the bufferevent.
/// @return the credit, `EV_SSIZE_MAX` without a rate limit, -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_write_limit(bufev: *mut Bev) -> ev_ssize_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_limit(b, true) },
        None => -1,
    }
}

/// The most the bufferevent would read now: the single-read limit, bounded by its bucket and its
/// share of its group's.
/// @param bufev the bufferevent.
/// @return the number of bytes, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_max_to_read(bufev: *mut Bev) -> ev_ssize_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_max_to(b, false) },
        None => -1,
    }
}

/// The most the bufferevent would write now (as `bufferevent_get_max_to_read()`).
/// @param bufev the bufferevent.
/// @return the number of bytes, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_get_max_to_write(bufev: *mut Bev) -> ev_ssize_t {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::get_max_to(b, true) },
        None => -1,
    }
}

/// The credit left in a group's read bucket.
/// @param group the group.
/// @return the credit, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_get_read_limit(group: *mut Group) -> ev_ssize_t {
    if group.is_null() {
        return -1;
    }
    // SAFETY: group is live.
    unsafe { ratelim::group_get_limit(group, false) }
}

/// The credit left in a group's write bucket.
/// @param group the group.
/// @return the credit, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_get_write_limit(group: *mut Group) -> ev_ssize_t {
    if group.is_null() {
        return -1;
    }
    // SAFETY: group is live.
    unsafe { ratelim::group_get_limit(group, true) }
}

/// Takes credit from the bufferevent's read bucket (a negative amount adds credit); reading stops
/// while the credit is 0 or less, and resumes when it is positive again.
/// @param bufev the bufferevent.
/// @param decr the number of bytes.
/// @return 0, or -1 when the bufferevent has no rate limit, or on failure.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_decrement_read_limit(bufev: *mut Bev, decr: ev_ssize_t) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::decrement_limit(b, decr, false) },
        None => -1,
    }
}

/// As `bufferevent_decrement_read_limit()`, for the write bucket.
/// @param bufev the bufferevent.
/// @param decr the number of bytes.
/// @return 0, or -1 when the bufferevent has no rate limit, or on failure.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_decrement_write_limit(bufev: *mut Bev, decr: ev_ssize_t) -> c_int {
    match live(bufev) {
        // SAFETY: a non-NULL bufferevent is live.
        Some(b) => unsafe { ratelim::decrement_limit(b, decr, true) },
        None => -1,
    }
}

/// Takes credit from a group's read bucket (negative: adds), suspending or resuming the members.
/// @param group the group.
/// @param decr the number of bytes.
/// @return 0, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_decrement_read(group: *mut Group, decr: ev_ssize_t) -> c_int {
    if group.is_null() {
        return -1;
    }
    // SAFETY: group is live.
    unsafe { ratelim::group_decrement(group, decr, false) }
}

/// As `bufferevent_rate_limit_group_decrement_read()`, for the write bucket.
/// @param group the group.
/// @param decr the number of bytes.
/// @return 0, or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_decrement_write(group: *mut Group, decr: ev_ssize_t) -> c_int {
    if group.is_null() {
        return -1;
    }
    // SAFETY: group is live.
    unsafe { ratelim::group_decrement(group, decr, true) }
}

/// The bytes the group's members read and wrote since it was made or last reset.
/// @param group the group; NULL does nothing.
/// @param total_read_out receives the bytes read, if not NULL.
/// @param total_written_out receives the bytes written, if not NULL.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_get_totals(
    group: *mut Group,
    total_read_out: *mut ev_uint64_t,
    total_written_out: *mut ev_uint64_t,
) {
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

/// Sets the group's totals back to 0.
/// @param group the group; NULL does nothing.
#[no_mangle]
pub unsafe extern "C" fn bufferevent_rate_limit_group_reset_totals(group: *mut Group) {
    if !group.is_null() {
        // SAFETY: group is live.
        unsafe { ratelim::group_reset_totals(group) }
    }
}
