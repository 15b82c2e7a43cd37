//! Exports of event2/util.h (and <evutil.h>). evutil_snprintf and evutil_vsnprintf are C
//! variadics, defined in src/shim/util.c.
//!
//! Where libevent would crash on a NULL argument, these return the function's failure value
//! instead (documented per function); everything else behaves as libevent 2.1.12 does.
#![allow(non_camel_case_types)]
// The safety contract of each export is its C documentation (libevent's header).
#![allow(clippy::missing_safety_doc)]
use crate::core::mem;
use crate::util::strings::{ascii_casecmp_bytes, c_bytes, ordering_to_c};
use crate::util::time::MonotonicTimer;
use crate::util::{addr, inet, rng, socket, strings};
use libc::{addrinfo, c_char, c_int, c_uint, c_void, sockaddr, timeval, tm};
use std::ffi::CStr;
use std::ptr;

pub type evutil_socket_t = c_int;
pub type ev_int64_t = i64;

fn set_errno(code: c_int) {
    // SAFETY: errno is thread-local and always writable.
    unsafe { *libc::__errno_location() = code };
}

/// 0 on success, -1 with errno set on failure: the C convention for the socket helpers.
fn status(r: std::io::Result<()>) -> c_int {
    if r.is_ok() {
        0
    } else {
        -1
    }
}

/// The bytes of a C string, or `None` for NULL.
///
/// # Safety
/// `s` is NULL or a NUL-terminated string that outlives the result.
unsafe fn bytes<'a>(s: *const c_char) -> Option<&'a [u8]> {
    // SAFETY: per the contract above.
    (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_bytes())
}

// ---- sockets -------------------------------------------------------------------------------

/// The system's socketpair. A NULL `sv` fails with EFAULT, as the kernel would. Declared by
/// hand in util.h, whose `sv[2]` cbindgen cannot write.
#[no_mangle]
pub unsafe extern "C" fn evutil_socketpair(
    d: c_int,
    r#type: c_int,
    protocol: c_int,
    sv: *mut evutil_socket_t,
) -> c_int {
    if sv.is_null() {
        set_errno(libc::EFAULT);
        return -1;
    }
    // SAFETY: the caller passes room for two descriptors.
    status(socket::socketpair(d, r#type, protocol, unsafe { &mut *(sv as *mut [evutil_socket_t; 2]) }))
}

/// Puts a descriptor in non-blocking mode (O_NONBLOCK), as the library's sockets must be.
/// @param sock the descriptor.
/// @return 0, or -1 with errno set (a bad descriptor).
#[no_mangle]
pub unsafe extern "C" fn evutil_make_socket_nonblocking(sock: evutil_socket_t) -> c_int {
    status(socket::make_nonblocking(sock))
}

/// Marks a descriptor close-on-exec (FD_CLOEXEC), so that programs run by exec do not inherit it.
/// @param sock the descriptor.
/// @return 0, or -1 with errno set.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_socket_closeonexec(sock: evutil_socket_t) -> c_int {
    status(socket::make_closeonexec(sock))
}

/// Sets SO_REUSEADDR on a listening socket, so that its address can be bound again at once after
/// it closes. Call it before binding.
/// @param sock the socket.
/// @return 0, or -1 with errno set.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_listen_socket_reuseable(sock: evutil_socket_t) -> c_int {
    status(socket::make_reuseable(sock))
}

/// Sets SO_REUSEPORT, so that several sockets that all set it can listen on the same port (the
/// kernel spreads connections between them). Call it before binding.
/// @param sock the socket.
/// @return 0, or -1 with errno set.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_listen_socket_reuseable_port(sock: evutil_socket_t) -> c_int {
    status(socket::make_reuseable_port(sock))
}

/// Sets IPV6_V6ONLY, so that an IPv6 listener takes IPv6 connections only (not IPv4-mapped
/// ones). Call it before binding.
/// @param sock an IPv6 socket.
/// @return 0, or -1 with errno set.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_listen_socket_ipv6only(sock: evutil_socket_t) -> c_int {
    status(socket::make_ipv6only(sock))
}

/// libevent 2.2 API: clears IPV6_V6ONLY, so that an IPv6 listener takes IPv4 connections too
/// (as IPv4-mapped addresses), whatever the system's default. Call it before binding.
/// @param sock an IPv6 socket.
/// @return 0, or -1 with errno set.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_listen_socket_not_ipv6only(sock: evutil_socket_t) -> c_int {
    status(socket::make_not_ipv6only(sock))
}

/// libevent 2.2 API: turns TCP keepalive on or off. On with a positive timeout, the first probe
/// goes after `timeout` idle seconds, then one every `timeout` / 3 seconds (at least 1), and the
/// connection is dropped after 3 unanswered probes.
/// @param sock a TCP socket.
/// @param on non-zero for on.
/// @param timeout in seconds; 0 or less keeps the system's timings.
/// @return 0, or -1 with errno set (a bad descriptor, a socket that is not TCP).
#[no_mangle]
pub unsafe extern "C" fn evutil_set_tcp_keepalive(sock: evutil_socket_t, on: c_int, timeout: c_int) -> c_int {
    status(socket::set_tcp_keepalive(sock, on != 0, timeout))
}

/// Sets TCP_DEFER_ACCEPT on a listening socket: a connection is reported only once the client
/// has sent data.
/// @param sock the listening socket.
/// @return 0, or -1 with errno set.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_tcp_listen_socket_deferred(sock: evutil_socket_t) -> c_int {
    status(socket::make_tcp_listen_deferred(sock))
}

/// Closes a socket (EVUTIL_CLOSESOCKET is the same).
/// @param sock the socket.
/// @return 0, or -1 with errno set.
#[no_mangle]
pub unsafe extern "C" fn evutil_closesocket(sock: evutil_socket_t) -> c_int {
    status(socket::close(sock))
}

// ---- addresses -----------------------------------------------------------------------------

/// Resolves a host and service with the system's resolver (blocking), as getaddrinfo does; no
/// hints means any family, socket type and protocol.
/// @param nodename a host name or address, or NULL.
/// @param servname a service name or port, or NULL.
/// @param hints_in the wanted family, socket type, protocol and EVUTIL_AI_* flags, or NULL.
/// @param res receives the list of results, which the caller frees with evutil_freeaddrinfo().
/// @return 0, or an EVUTIL_EAI_* code (see evutil_gai_strerror()); EVUTIL_EAI_FAIL when `res`
/// is NULL.
#[no_mangle]
pub unsafe extern "C" fn evutil_getaddrinfo(
    nodename: *const c_char,
    servname: *const c_char,
    hints_in: *const addrinfo,
    res: *mut *mut addrinfo,
) -> c_int {
    if res.is_null() {
        return libc::EAI_FAIL;
    }
    // SAFETY: the C caller passes NULL or valid strings and hints, and a writable `res`.
    unsafe { addr::getaddrinfo(nodename, servname, hints_in, res) }
}

/// Frees a result list from evutil_getaddrinfo() or from evdns_getaddrinfo()'s callback,
/// whichever allocated it.
/// @param ai the list's head; NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn evutil_freeaddrinfo(ai: *mut addrinfo) {
    // SAFETY: `ai` is NULL or a list from evutil_getaddrinfo / evdns_getaddrinfo.
    unsafe { addr::freeaddrinfo(ai) }
}

/// @param err an EVUTIL_EAI_* code (from evutil_getaddrinfo() or evdns_getaddrinfo()).
/// @return a static message in English for it: do not free it.
#[no_mangle]
pub unsafe extern "C" fn evutil_gai_strerror(err: c_int) -> *const c_char {
    addr::gai_strerror(err).as_ptr()
}

/// Writes an IPv4 or IPv6 address as text ("192.0.2.1", "2001:db8::1").
/// @param af AF_INET or AF_INET6.
/// @param src the address: a `struct in_addr` or a `struct in6_addr`.
/// @param dst where the NUL-terminated text goes.
/// @param len its size in bytes.
/// @return `dst`; NULL when the family is another, the text does not fit, or `src` or `dst` is
/// NULL.
#[no_mangle]
pub unsafe extern "C" fn evutil_inet_ntop(
    af: c_int,
    src: *const c_void,
    dst: *mut c_char,
    len: usize,
) -> *const c_char {
    if src.is_null() || dst.is_null() {
        return ptr::null();
    }
    let text = match af {
        // SAFETY: an AF_INET source is a 4-byte in_addr.
        libc::AF_INET => inet::ntop4(unsafe { ptr::read_unaligned(src as *const [u8; 4]) }),
        // SAFETY: an AF_INET6 source is a 16-byte in6_addr.
        libc::AF_INET6 => inet::ntop6(unsafe { ptr::read_unaligned(src as *const [u8; 16]) }),
        _ => return ptr::null(),
    };
    // SAFETY: dst holds len bytes.
    if unsafe { inet::write_ntop(af == libc::AF_INET6, &text, dst, len) } {
        dst
    } else {
        ptr::null()
    }
}

/// Writes `octets` to `dst` and returns 1.
///
/// # Safety
/// `dst` must hold `octets.len()` bytes.
unsafe fn store(dst: *mut c_void, octets: &[u8]) -> c_int {
    // SAFETY: per the contract above.
    unsafe { ptr::copy_nonoverlapping(octets.as_ptr(), dst as *mut u8, octets.len()) };
    1
}

/// Reads an IPv4 address in dotted-quad form or an IPv6 address in text form.
/// @param af AF_INET or AF_INET6.
/// @param src the text.
/// @param dst receives a `struct in_addr` or `struct in6_addr`.
/// @return 1 on success; 0 when the text is malformed or `src` or `dst` is NULL; -1 for
/// another family.
#[no_mangle]
pub unsafe extern "C" fn evutil_inet_pton(af: c_int, src: *const c_char, dst: *mut c_void) -> c_int {
    if af != libc::AF_INET && af != libc::AF_INET6 {
        return -1;
    }
    // SAFETY: src is NULL or a C string.
    let Some(text) = (unsafe { bytes(src) }) else { return 0 };
    if dst.is_null() {
        return 0;
    }
    match af {
        // SAFETY: dst is an in_addr.
        libc::AF_INET => inet::pton4(text).map_or(0, |a| unsafe { store(dst, &a) }),
        // SAFETY: dst is an in6_addr.
        _ => inet::pton6(text).map_or(0, |a| unsafe { store(dst, &a) }),
    }
}

/// As evutil_inet_pton(), but an IPv6 address may end in a scope: an interface name or number
/// after a percent sign (fe80::1 on eth0, say).
/// @param af AF_INET or AF_INET6.
/// @param src the text.
/// @param dst receives the address.
/// @param indexp if not NULL, receives the scope's interface index (0 without a scope).
/// @return 1 on success; 0 when malformed, or when the scope is neither an interface's name nor a
/// number; -1 for another family.
#[no_mangle]
pub unsafe extern "C" fn evutil_inet_pton_scope(
    af: c_int,
    src: *const c_char,
    dst: *mut c_void,
    indexp: *mut c_uint,
) -> c_int {
    if !indexp.is_null() {
        // SAFETY: a non-NULL indexp points to an unsigned int.
        unsafe { *indexp = 0 };
    }
    if af != libc::AF_INET6 {
        // SAFETY: forwarded arguments.
        return unsafe { evutil_inet_pton(af, src, dst) };
    }
    // SAFETY: src is NULL or a C string.
    let Some(text) = (unsafe { bytes(src) }) else { return 0 };
    if dst.is_null() {
        return 0;
    }
    let (scoped, octets) = inet::pton6_scoped(text, addr::interface_index);
    if !indexp.is_null() {
        // SAFETY: as above.
        unsafe { *indexp = scoped.index };
    }
    match octets {
        // SAFETY: dst is an in6_addr.
        Some(a) => unsafe { store(dst, &a) },
        None => scoped.result,
    }
}

/// Reads an address with an optional port: `1.2.3.4`, `1.2.3.4:80`, `::1`, `[::1]` or
/// `[::1]:80`. Without a port, the port is 0; a port must be 1 to 65535.
/// @param ip_as_string the text.
/// @param out receives a `struct sockaddr_in` or `struct sockaddr_in6`.
/// @param outlen the size of `out` on entry; on success, the size written.
/// @return 0, or -1 when the text is malformed, `out` is too small, or an argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn evutil_parse_sockaddr_port(
    ip_as_string: *const c_char,
    out: *mut sockaddr,
    outlen: *mut c_int,
) -> c_int {
    if out.is_null() || outlen.is_null() {
        return -1;
    }
    // SAFETY: the string is NULL or a C string.
    let Some(text) = (unsafe { bytes(ip_as_string) }) else { return -1 };
    match addr::parse_sockaddr_port(text) {
        // SAFETY: out holds *outlen bytes, and outlen is a valid int.
        Some(sa) if unsafe { sa.write_to(out, &mut *outlen) } => 0,
        _ => -1,
    }
}

/// Orders two socket addresses: by family, then address, then (if asked) port, as libevent does.
/// @param sa1 the first address.
/// @param sa2 the second; NULL sorts before any address.
/// @param include_port non-zero to compare the ports too.
/// @return negative, 0 or positive as `sa1` sorts before, with or after `sa2`. Two addresses of a
/// family other than IPv4 and IPv6 always compare as 1.
#[no_mangle]
pub unsafe extern "C" fn evutil_sockaddr_cmp(sa1: *const sockaddr, sa2: *const sockaddr, include_port: c_int) -> c_int {
    match (sa1.is_null(), sa2.is_null()) {
        (true, true) => 0,
        (true, false) => -1,
        (false, true) => 1,
        // SAFETY: both point to complete socket addresses of their family.
        (false, false) => unsafe { addr::sockaddr_cmp(sa1, sa2, include_port != 0) },
    }
}

// ---- strings and numbers -------------------------------------------------------------------

/// Reads a 64-bit signed integer as the C library's strtoll does, errno included (ERANGE when out
/// of range, EINVAL for a bad base).
/// @param s the text; NULL reads as no number.
/// @param endptr if not NULL, receives where the reading stopped (NULL for a NULL `s`).
/// @param base 2 to 36, or 0 to read the base from the prefix.
/// @return the value; 0 when there is no number.
#[no_mangle]
pub unsafe extern "C" fn evutil_strtoll(s: *const c_char, endptr: *mut *mut c_char, base: c_int) -> ev_int64_t {
    // SAFETY: s is NULL or a C string.
    let Some(text) = (unsafe { bytes(s) }) else {
        if !endptr.is_null() {
            // SAFETY: endptr is writable.
            unsafe { *endptr = ptr::null_mut() };
        }
        return 0;
    };
    let Some((value, end, out_of_range)) = crate::util::num::strtoll(text, base) else {
        set_errno(libc::EINVAL);
        return 0;
    };
    if out_of_range {
        set_errno(libc::ERANGE);
    }
    if !endptr.is_null() {
        // SAFETY: end <= the string's length; endptr is writable.
        unsafe { *endptr = s.add(end) as *mut c_char };
    }
    value
}

/// Compares two strings ignoring the case of ASCII letters only, whatever the locale; NULL
/// reads as "".
/// @param str1 the first string.
/// @param str2 the second string.
/// @return negative, 0 or positive as `str1` sorts before, with or after `str2`.
#[no_mangle]
pub unsafe extern "C" fn evutil_ascii_strcasecmp(str1: *const c_char, str2: *const c_char) -> c_int {
    // SAFETY: both are NULL (replaced by "") or C strings, read no further than their NULs.
    unsafe { evutil_ascii_strncasecmp(str1, str2, usize::MAX) }
}

/// As evutil_ascii_strcasecmp(), over at most `n` bytes (the strings need no NUL within them).
/// @param str1 the first string.
/// @param str2 the second string.
/// @param n the most bytes compared.
/// @return negative, 0 or positive.
#[no_mangle]
pub unsafe extern "C" fn evutil_ascii_strncasecmp(str1: *const c_char, str2: *const c_char, n: usize) -> c_int {
    let or_empty = |p: *const c_char| if p.is_null() { c"".as_ptr() } else { p };
    // SAFETY: each is a C string or readable for n bytes; the comparison stops at a NUL or n.
    let (a, b) = unsafe { (c_bytes(or_empty(str1)), c_bytes(or_empty(str2))) };
    ordering_to_c(ascii_casecmp_bytes(a, b, n))
}

/// Writes a date in the form HTTP uses ("Sun, 06 Nov 1994 08:49:37 GMT"), cut to fit `datelen`
/// and NUL-terminated.
/// @param date the buffer.
/// @param datelen its size.
/// @param tm the date, in UTC; NULL for now.
/// @return the length of the whole text (the buffer was too small when it is not below `datelen`);
/// 0 when `date` is NULL or `datelen` is 0.
#[no_mangle]
pub unsafe extern "C" fn evutil_date_rfc1123(date: *mut c_char, datelen: usize, tm: *const tm) -> c_int {
    // SAFETY: tm is NULL or a valid struct tm.
    let text = match unsafe { tm.as_ref() } {
        Some(t) => strings::date_rfc1123(t),
        None => strings::date_rfc1123(&strings::now_utc()),
    };
    if date.is_null() || datelen == 0 {
        return 0;
    }
    // SAFETY: date holds datelen bytes.
    unsafe { strings::copy_to_c_buffer(date, datelen, text.as_bytes()) };
    text.len() as c_int
}

// ---- time ----------------------------------------------------------------------------------

/// Allocates a monotonic timer (through the library's allocator). It reads the wall clock until
/// evutil_configure_monotonic_time() configures it.
/// @return the timer, freed with evutil_monotonic_timer_free(); NULL when out of memory.
#[no_mangle]
pub unsafe extern "C" fn evutil_monotonic_timer_new() -> *mut MonotonicTimer {
    // SAFETY: zeroed memory is a valid MonotonicTimer.
    unsafe { mem::calloc(1, std::mem::size_of::<MonotonicTimer>()) as *mut MonotonicTimer }
}

/// Frees a timer from evutil_monotonic_timer_new().
/// @param timer the timer; NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn evutil_monotonic_timer_free(timer: *mut MonotonicTimer) {
    // SAFETY: the timer came from evutil_monotonic_timer_new.
    unsafe { mem::free(timer as *mut c_void) }
}

/// Chooses the clock a timer reads: the coarse monotonic clock by default (cheapest, a few
/// milliseconds of resolution), the precise one with EV_MONOT_PRECISE, or with EV_MONOT_FALLBACK
/// the wall clock adjusted so that it never goes back.
/// @param timer the timer.
/// @param flags 0 or a mask of EV_MONOT_PRECISE and EV_MONOT_FALLBACK.
/// @return 0, or -1 when `timer` is NULL.
#[no_mangle]
pub unsafe extern "C" fn evutil_configure_monotonic_time(timer: *mut MonotonicTimer, flags: c_int) -> c_int {
    // SAFETY: timer is NULL or from evutil_monotonic_timer_new.
    match unsafe { timer.as_mut() } {
        Some(t) => {
            t.configure(flags);
            0
        }
        None => -1,
    }
}

/// Reads a timer's clock. Only differences between readings are meaningful.
/// @param timer the timer.
/// @param tp receives the time.
/// @return 0; -1 when an argument is NULL or the clock cannot be read.
#[no_mangle]
pub unsafe extern "C" fn evutil_gettime_monotonic(timer: *mut MonotonicTimer, tp: *mut timeval) -> c_int {
    // SAFETY: timer is NULL or from evutil_monotonic_timer_new; tp is NULL or writable.
    let (Some(t), Some(out)) = (unsafe { timer.as_mut() }, unsafe { tp.as_mut() }) else { return -1 };
    match t.now() {
        Some(now) => {
            *out = now;
            0
        }
        None => -1,
    }
}

// ---- randomness ----------------------------------------------------------------------------

/// Checks that secure random bytes are available; there is nothing to seed, since the bytes come
/// from the kernel's generator (getrandom), as in the system's libevent built on arc4random.
/// @return 0, or -1 when the kernel gives no random bytes.
#[no_mangle]
pub unsafe extern "C" fn evutil_secure_rng_init() -> c_int {
    if rng::ready() {
        0
    } else {
        -1
    }
}

/// Kept for compatibility: there is no device file to choose, since the bytes come from the
/// kernel's generator (as in the system's libevent built on arc4random).
/// @param fname ignored.
/// @return -1 always.
#[no_mangle]
pub unsafe extern "C" fn evutil_secure_rng_set_urandom_device_file(fname: *mut c_char) -> c_int {
    let _ = fname;
    -1
}

/// Fills a buffer with cryptographically secure random bytes from the kernel. Thread-safe. When
/// the system gives none the process ends, as the C library's arc4random does.
/// @param buf the buffer; NULL is ignored.
/// @param n its size in bytes.
#[no_mangle]
pub unsafe extern "C" fn evutil_secure_rng_get_bytes(buf: *mut c_void, n: usize) {
    if buf.is_null() || n == 0 {
        return;
    }
    // SAFETY: the caller passes n writable bytes.
    rng::get_bytes(unsafe { std::slice::from_raw_parts_mut(buf as *mut u8, n) });
}

/// Kept for compatibility and ignored: the kernel's generator needs no extra entropy.
/// @param dat the bytes.
/// @param datlen their number.
#[no_mangle]
pub unsafe extern "C" fn evutil_secure_rng_add_bytes(dat: *const c_char, datlen: usize) {
    let _ = (dat, datlen);
}
