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
    if r.is_ok() { 0 } else { -1 }
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
pub unsafe extern "C" fn evutil_socketpair(d: c_int, r#type: c_int, protocol: c_int, sv: *mut evutil_socket_t) -> c_int {
    if sv.is_null() {
        set_errno(libc::EFAULT);
        return -1;
    }
    // SAFETY: the caller passes room for two descriptors.
    status(socket::socketpair(d, r#type, protocol, unsafe { &mut *(sv as *mut [evutil_socket_t; 2]) }))
}

#[no_mangle]
pub unsafe extern "C" fn evutil_make_socket_nonblocking(sock: evutil_socket_t) -> c_int {
    status(socket::make_nonblocking(sock))
}

#[no_mangle]
pub unsafe extern "C" fn evutil_make_socket_closeonexec(sock: evutil_socket_t) -> c_int {
    status(socket::make_closeonexec(sock))
}

#[no_mangle]
pub unsafe extern "C" fn evutil_make_listen_socket_reuseable(sock: evutil_socket_t) -> c_int {
    status(socket::make_reuseable(sock))
}

#[no_mangle]
pub unsafe extern "C" fn evutil_make_listen_socket_reuseable_port(sock: evutil_socket_t) -> c_int {
    status(socket::make_reuseable_port(sock))
}

#[no_mangle]
pub unsafe extern "C" fn evutil_make_listen_socket_ipv6only(sock: evutil_socket_t) -> c_int {
    status(socket::make_ipv6only(sock))
}

/// libevent 2.2: IPV6_V6ONLY off, so that an IPv6 listener takes IPv4 connections too.
#[no_mangle]
pub unsafe extern "C" fn evutil_make_listen_socket_not_ipv6only(sock: evutil_socket_t) -> c_int {
    status(socket::make_not_ipv6only(sock))
}

/// libevent 2.2: SO_KEEPALIVE on (`on` non-zero) or off; when on with `timeout` > 0 seconds,
/// TCP_KEEPIDLE = timeout, TCP_KEEPINTVL = timeout / 3 (at least 1), TCP_KEEPCNT = 3. 0 on
/// success, -1 with errno set (a bad descriptor, a socket that is not TCP).
#[no_mangle]
pub unsafe extern "C" fn evutil_set_tcp_keepalive(sock: evutil_socket_t, on: c_int, timeout: c_int) -> c_int {
    status(socket::set_tcp_keepalive(sock, on != 0, timeout))
}

#[no_mangle]
pub unsafe extern "C" fn evutil_make_tcp_listen_socket_deferred(sock: evutil_socket_t) -> c_int {
    status(socket::make_tcp_listen_deferred(sock))
}

#[no_mangle]
pub unsafe extern "C" fn evutil_closesocket(sock: evutil_socket_t) -> c_int {
    status(socket::close(sock))
}

// ---- addresses -----------------------------------------------------------------------------

/// A NULL `res` gives EVUTIL_EAI_FAIL.
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

/// NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn evutil_freeaddrinfo(ai: *mut addrinfo) {
    // SAFETY: `ai` is NULL or a list from evutil_getaddrinfo / evdns_getaddrinfo.
    unsafe { addr::freeaddrinfo(ai) }
}

#[no_mangle]
pub unsafe extern "C" fn evutil_gai_strerror(err: c_int) -> *const c_char {
    addr::gai_strerror(err).as_ptr()
}

/// NULL `src` or `dst` gives NULL.
#[no_mangle]
pub unsafe extern "C" fn evutil_inet_ntop(af: c_int, src: *const c_void, dst: *mut c_char, len: usize) -> *const c_char {
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
    if unsafe { inet::write_ntop(af == libc::AF_INET6, &text, dst, len) } { dst } else { ptr::null() }
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

/// A NULL `src` or `dst` is a malformed address (0).
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

/// As evutil_inet_pton, also accepting an IPv6 scope ("%eth0" or "%2"), whose interface
/// index goes to `*indexp` (0 without one). A NULL `indexp` is allowed.
#[no_mangle]
pub unsafe extern "C" fn evutil_inet_pton_scope(af: c_int, src: *const c_char, dst: *mut c_void, indexp: *mut c_uint) -> c_int {
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

/// NULL for any argument is a parse failure (-1).
#[no_mangle]
pub unsafe extern "C" fn evutil_parse_sockaddr_port(ip_as_string: *const c_char, out: *mut sockaddr, outlen: *mut c_int) -> c_int {
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

/// NULL sorts before any address.
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

/// The C library's strtoll, errno included. A NULL string reads as no number (0, `*endptr` =
/// NULL).
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

/// Case-insensitive in ASCII only. NULL reads as "".
#[no_mangle]
pub unsafe extern "C" fn evutil_ascii_strcasecmp(str1: *const c_char, str2: *const c_char) -> c_int {
    // SAFETY: both are NULL (replaced by "") or C strings, read no further than their NULs.
    unsafe { evutil_ascii_strncasecmp(str1, str2, usize::MAX) }
}

/// As evutil_ascii_strcasecmp, over at most `n` bytes (the strings need no NUL within them).
#[no_mangle]
pub unsafe extern "C" fn evutil_ascii_strncasecmp(str1: *const c_char, str2: *const c_char, n: usize) -> c_int {
    let or_empty = |p: *const c_char| if p.is_null() { c"".as_ptr() } else { p };
    // SAFETY: each is a C string or readable for n bytes; the comparison stops at a NUL or n.
    let (a, b) = unsafe { (c_bytes(or_empty(str1)), c_bytes(or_empty(str2))) };
    ordering_to_c(ascii_casecmp_bytes(a, b, n))
}

/// "Sun, 06 Nov 1994 08:49:37 GMT" for `tm` (the current time when NULL), written as snprintf
/// writes; returns the full length, or 0 when `datelen` is 0 or `date` is NULL.
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

/// A new, unconfigured timer (it reads the wall clock until configured), from the library's
/// allocator; NULL when out of memory.
#[no_mangle]
pub unsafe extern "C" fn evutil_monotonic_timer_new() -> *mut MonotonicTimer {
    // SAFETY: zeroed memory is a valid MonotonicTimer.
    unsafe { mem::calloc(1, std::mem::size_of::<MonotonicTimer>()) as *mut MonotonicTimer }
}

/// NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn evutil_monotonic_timer_free(timer: *mut MonotonicTimer) {
    // SAFETY: the timer came from evutil_monotonic_timer_new.
    unsafe { mem::free(timer as *mut c_void) }
}

/// A NULL timer gives -1.
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

/// A NULL timer or `tp` gives -1.
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

#[no_mangle]
pub unsafe extern "C" fn evutil_secure_rng_init() -> c_int {
    if rng::ready() { 0 } else { -1 }
}

/// Always -1: the generator reads the kernel's, with no device file to choose (as in the
/// system's libevent, built on arc4random).
#[no_mangle]
pub unsafe extern "C" fn evutil_secure_rng_set_urandom_device_file(fname: *mut c_char) -> c_int {
    let _ = fname;
    -1
}

/// NULL `buf` is ignored.
#[no_mangle]
pub unsafe extern "C" fn evutil_secure_rng_get_bytes(buf: *mut c_void, n: usize) {
    if buf.is_null() || n == 0 {
        return;
    }
    // SAFETY: the caller passes n writable bytes.
    rng::get_bytes(unsafe { std::slice::from_raw_parts_mut(buf as *mut u8, n) });
}

/// Accepted and not needed: the kernel's generator is seeded already.
#[no_mangle]
pub unsafe extern "C" fn evutil_secure_rng_add_bytes(dat: *const c_char, datlen: usize) {
    let _ = (dat, datlen);
}
