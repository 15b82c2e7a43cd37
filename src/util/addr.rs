//! Socket addresses: "host:port" parsing, comparison, and getaddrinfo with libevent's
//! conventions (its error strings, and result lists that it may have allocated itself).
use super::{inet, num};
use crate::core::mem;
use libc::{addrinfo, c_char, c_int, c_void, sockaddr, sockaddr_in, sockaddr_in6, socklen_t};
use std::ffi::CStr;
use std::mem::size_of;
use std::ptr;

/// Marks an addrinfo list built by the library (evdns_getaddrinfo, or below) rather than by the
/// C library's getaddrinfo, so that evutil_freeaddrinfo releases it the right way. Never passed
/// to the system's getaddrinfo.
pub const AI_LIBEVENT_ALLOCATED: c_int = 0x8000_0000_u32 as c_int;

/// glibc's code for "no address of the requested family" (declared only with _GNU_SOURCE).
const EAI_ADDRFAMILY: c_int = -9;
/// EVUTIL_EAI_CANCEL: an asynchronous lookup was cancelled.
pub const EAI_CANCEL: c_int = -90001;

/// The longest address text libevent copies aside while splitting "addr:port" (its buffer is
/// 128 bytes, NUL included).
const MAX_ADDR_TEXT: usize = 127;

/// An IPv4 or IPv6 socket address, as evutil_parse_sockaddr_port produces.
#[derive(Clone, Copy)]
pub enum SockAddr {
    V4(sockaddr_in),
    V6(sockaddr_in6),
}

impl SockAddr {
    pub fn socklen(&self) -> usize {
        match self {
            SockAddr::V4(_) => size_of::<sockaddr_in>(),
            SockAddr::V6(_) => size_of::<sockaddr_in6>(),
        }
    }

    pub fn as_ptr(&self) -> *const sockaddr {
        match self {
            SockAddr::V4(a) => a as *const sockaddr_in as *const sockaddr,
            SockAddr::V6(a) => a as *const sockaddr_in6 as *const sockaddr,
        }
    }

    /// Writes the address into a caller's buffer of `*outlen` bytes, which is cleared first, and
    /// sets `*outlen` to the bytes used. False (nothing written) when the buffer is too small.
    ///
    /// # Safety
    /// `out` must be valid for writes of `*outlen` bytes.
    pub unsafe fn write_to(&self, out: *mut sockaddr, outlen: &mut c_int) -> bool {
        let need = self.socklen();
        if *outlen < 0 || (*outlen as usize) < need {
            return false;
        }
        // SAFETY: the caller guarantees `out` holds *outlen bytes, and need <= *outlen.
        unsafe {
            ptr::write_bytes(out as *mut u8, 0, *outlen as usize);
            ptr::copy_nonoverlapping(self.as_ptr() as *const u8, out as *mut u8, need);
        }
        *outlen = need as c_int;
        true
    }
}

fn v4(octets: [u8; 4], port: u16) -> SockAddr {
    // SAFETY: sockaddr_in is plain data; all-zero is a valid value.
    let mut sin: sockaddr_in = unsafe { std::mem::zeroed() };
    sin.sin_family = libc::AF_INET as libc::sa_family_t;
    sin.sin_port = port.to_be();
    sin.sin_addr.s_addr = u32::from_ne_bytes(octets);
    SockAddr::V4(sin)
}

fn v6(octets: [u8; 16], port: u16, scope: u32) -> SockAddr {
    // SAFETY: sockaddr_in6 is plain data; all-zero is a valid value.
    let mut sin6: sockaddr_in6 = unsafe { std::mem::zeroed() };
    sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
    sin6.sin6_port = port.to_be();
    sin6.sin6_addr.s6_addr = octets;
    sin6.sin6_scope_id = scope;
    SockAddr::V6(sin6)
}

/// The index of a network interface by name, 0 when there is none.
pub fn interface_index(name: &[u8]) -> u32 {
    let Ok(c) = std::ffi::CString::new(name) else { return 0 };
    // SAFETY: c is a valid NUL-terminated string.
    unsafe { libc::if_nametoindex(c.as_ptr()) }
}

/// Parses `[v6]:port`, `[v6]`, `v6`, `v4:port` or `v4`. The port is read as atoi() reads it
/// and must then be 1..=65535; without a port, the port is 0. An IPv6 address may name a
/// scope ("fe80::1%eth0").
pub fn parse_sockaddr_port(s: &[u8]) -> Option<SockAddr> {
    let first_colon = s.iter().position(|&b| b == b':');
    let (addr, port, is_v6): (&[u8], Option<&[u8]>, bool) = if s.first() == Some(&b'[') {
        let close = s.iter().position(|&b| b == b']')?;
        let addr = &s[1..close];
        if addr.len() > MAX_ADDR_TEXT {
            return None;
        }
        // Whatever follows "]" other than ":" is ignored, as libevent ignores it.
        let port = (s.get(close + 1) == Some(&b':')).then(|| &s[close + 2..]);
        (addr, port, true)
    } else {
        match first_colon {
            Some(c) if s[c + 1..].contains(&b':') => (s, None, true),
            Some(c) => {
                if c > MAX_ADDR_TEXT {
                    return None;
                }
                (&s[..c], Some(&s[c + 1..]), false)
            }
            None => (s, None, false),
        }
    };
    let port = match port {
        None => 0,
        Some(text) => match num::atoi(text) {
            p @ 1..=65535 => p as u16,
            _ => return None,
        },
    };
    if is_v6 {
        match inet::pton6_scoped(addr, interface_index) {
            (scoped, Some(octets)) if scoped.result == 1 => Some(v6(octets, port, scoped.index)),
            _ => None,
        }
    } else {
        inet::pton4(addr).map(|octets| v4(octets, port))
    }
}

/// Orders two socket addresses: by family, then address, then (if asked) port. Returns the
/// same numbers libevent does: the family difference, the first differing address byte's
/// difference for IPv6, -1/1 for IPv4 (whose address is compared as the integer its network-order
/// bytes make on this machine), the difference of the raw port fields, and 1 for two addresses
/// of another family.
///
/// # Safety
/// Each pointer must point to a socket address complete for its family.
pub unsafe fn sockaddr_cmp(a: *const sockaddr, b: *const sockaddr, include_port: bool) -> c_int {
    // SAFETY: the caller guarantees both point to at least a sockaddr header.
    let (fa, fb) = unsafe { ((*a).sa_family as c_int, (*b).sa_family as c_int) };
    if fa != fb {
        return fa - fb;
    }
    match fa {
        libc::AF_INET => {
            // SAFETY: the family says these are sockaddr_in, complete per the caller's promise.
            let (x, y) = unsafe { (&*(a as *const sockaddr_in), &*(b as *const sockaddr_in)) };
            let (ax, ay) = (x.sin_addr.s_addr, y.sin_addr.s_addr);
            if ax != ay {
                return if ax < ay { -1 } else { 1 };
            }
            if include_port {
                x.sin_port as c_int - y.sin_port as c_int
            } else {
                0
            }
        }
        libc::AF_INET6 => {
            // SAFETY: as above, for sockaddr_in6.
            let (x, y) = unsafe { (&*(a as *const sockaddr_in6), &*(b as *const sockaddr_in6)) };
            let diff = x.sin6_addr.s6_addr.iter().zip(y.sin6_addr.s6_addr.iter()).find(|(p, q)| p != q);
            if let Some((p, q)) = diff {
                return *p as c_int - *q as c_int;
            }
            if include_port {
                x.sin6_port as c_int - y.sin6_port as c_int
            } else {
                0
            }
        }
        _ => 1,
    }
}

/// getaddrinfo() with libevent's defaults: no hints means any family; the library's private
/// flag is never passed on. On Linux the system resolver needs none of libevent's workarounds.
///
/// # Safety
/// `node` and `service` are NULL or C strings; `hints` is NULL or a valid addrinfo; `res` is
/// valid for a write.
pub unsafe fn getaddrinfo(
    node: *const c_char,
    service: *const c_char,
    hints: *const addrinfo,
    res: *mut *mut addrinfo,
) -> c_int {
    // SAFETY: addrinfo is plain data; all-zero is valid (and is AF_UNSPEC, no flags).
    let mut h: addrinfo = unsafe { std::mem::zeroed() };
    if !hints.is_null() {
        // SAFETY: the caller guarantees a valid hints structure.
        h = unsafe { ptr::read(hints) };
    }
    h.ai_flags &= !AI_LIBEVENT_ALLOCATED;
    // SAFETY: the arguments are valid per this function's contract.
    unsafe { libc::getaddrinfo(node, service, &h, res) }
}

/// Allocates one addrinfo (with room for a copy of `sa` in the same block) for a result list
/// the library builds itself; socket type and protocol come from `hints`, except that hints
/// naming neither yield two entries, TCP then UDP, as getaddrinfo does. Released with
/// `freeaddrinfo`. NULL when out of memory.
///
/// # Safety
/// `sa` must be valid for reads of `salen` bytes.
pub unsafe fn new_addrinfo(sa: *const sockaddr, salen: socklen_t, hints: &addrinfo) -> *mut addrinfo {
    if hints.ai_socktype == 0 && hints.ai_protocol == 0 {
        let mut tcp = *hints;
        tcp.ai_socktype = libc::SOCK_STREAM;
        tcp.ai_protocol = libc::IPPROTO_TCP;
        let mut udp = *hints;
        udp.ai_socktype = libc::SOCK_DGRAM;
        udp.ai_protocol = libc::IPPROTO_UDP;
        // SAFETY: forwarded contract.
        let first = unsafe { new_addrinfo(sa, salen, &tcp) };
        if first.is_null() {
            return first;
        }
        // SAFETY: forwarded contract.
        let second = unsafe { new_addrinfo(sa, salen, &udp) };
        if second.is_null() {
            // SAFETY: first is a list we just built.
            unsafe { freeaddrinfo(first) };
            return second;
        }
        // SAFETY: first is a valid node we own.
        unsafe { (*first).ai_next = second };
        return first;
    }
    let head = size_of::<addrinfo>();
    // SAFETY: plain allocation; checked for NULL below.
    let block = unsafe { mem::malloc(head + salen as usize) } as *mut u8;
    if block.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: the block holds an addrinfo followed by salen bytes; sa is readable for salen.
    unsafe {
        ptr::write_bytes(block, 0, head);
        let ai = block as *mut addrinfo;
        let addr = block.add(head) as *mut sockaddr;
        ptr::copy_nonoverlapping(sa as *const u8, addr as *mut u8, salen as usize);
        (*ai).ai_flags = AI_LIBEVENT_ALLOCATED;
        (*ai).ai_family = (*sa).sa_family as c_int;
        (*ai).ai_socktype = hints.ai_socktype;
        (*ai).ai_protocol = hints.ai_protocol;
        (*ai).ai_addrlen = salen;
        (*ai).ai_addr = addr;
        ai
    }
}

/// Appends list `b` to list `a` (either may be NULL) and returns the head.
///
/// # Safety
/// Both are NULL or valid, distinct lists.
pub unsafe fn append_addrinfo(a: *mut addrinfo, b: *mut addrinfo) -> *mut addrinfo {
    if a.is_null() {
        return b;
    }
    let mut last = a;
    // SAFETY: walking a valid list.
    unsafe {
        while !(*last).ai_next.is_null() {
            last = (*last).ai_next;
        }
        (*last).ai_next = b;
    }
    a
}

/// Releases a list from `getaddrinfo` (the C library's) or from `new_addrinfo` (ours).
///
/// # Safety
/// `ai` is NULL or the head of such a list, not used afterwards.
pub unsafe fn freeaddrinfo(ai: *mut addrinfo) {
    if ai.is_null() {
        return;
    }
    // SAFETY: ai is a valid list head.
    if unsafe { (*ai).ai_flags } & AI_LIBEVENT_ALLOCATED == 0 {
        // SAFETY: lists without our mark come from the C library's getaddrinfo.
        unsafe { libc::freeaddrinfo(ai) };
        return;
    }
    let mut node = ai;
    while !node.is_null() {
        // SAFETY: each node is one block from new_addrinfo; the canonical name, when a builder
        // set one, was allocated with mem::strdup.
        unsafe {
            let next = (*node).ai_next;
            mem::free((*node).ai_canonname as *mut c_void);
            mem::free(node as *mut c_void);
            node = next;
        }
    }
}

/// The message for a getaddrinfo error code: libevent's wording for the codes it names, the C
/// library's for the others.
pub fn gai_strerror(err: c_int) -> &'static CStr {
    match err {
        0 => c"No error",
        EAI_CANCEL => c"Request canceled",
        EAI_ADDRFAMILY => c"address family for nodename not supported",
        libc::EAI_AGAIN => c"temporary failure in name resolution",
        libc::EAI_BADFLAGS => c"invalid value for ai_flags",
        libc::EAI_FAIL => c"non-recoverable failure in name resolution",
        libc::EAI_FAMILY => c"ai_family not supported",
        libc::EAI_MEMORY => c"memory allocation failure",
        libc::EAI_NODATA => c"no address associated with nodename",
        libc::EAI_NONAME => c"nodename nor servname provided, or not known",
        libc::EAI_SERVICE => c"servname not supported for ai_socktype",
        libc::EAI_SOCKTYPE => c"ai_socktype not supported",
        libc::EAI_SYSTEM => c"system error",
        // SAFETY: gai_strerror returns a static string for any code.
        _ => unsafe { CStr::from_ptr(libc::gai_strerror(err)) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> Option<String> {
        parse_sockaddr_port(s.as_bytes()).map(|a| match a {
            SockAddr::V4(x) => format!("{}:{}", inet::ntop4(x.sin_addr.s_addr.to_ne_bytes()), u16::from_be(x.sin_port)),
            SockAddr::V6(x) => {
                format!("[{}]:{}%{}", inet::ntop6(x.sin6_addr.s6_addr), u16::from_be(x.sin6_port), x.sin6_scope_id)
            }
        })
    }

    #[test]
    fn parses_like_libevent() {
        assert_eq!(show("1.2.3.4:80").as_deref(), Some("1.2.3.4:80"));
        assert_eq!(show("1.2.3.4:4294967376").as_deref(), Some("1.2.3.4:80"));
        assert_eq!(show("1.2.3.4: +80x").as_deref(), Some("1.2.3.4:80"));
        assert_eq!(show("[::1]x80").as_deref(), Some("[::1]:0%0"));
        assert_eq!(show("::1").as_deref(), Some("[::1]:0%0"));
        assert_eq!(show("[fe80::1%7]:443").as_deref(), Some("[fe80::1]:443%7"));
        for bad in [
            "1.2.3.4:0",
            "[::1]:",
            "",
            "[",
            "[]",
            "1.2.3",
            "1.2.3.4:-5",
            "1.2.3.4:65536",
            "1.2.3.4:80:90",
            "[1.2.3.4]:80",
            "fe80::1%bogus-name-x",
        ] {
            assert!(show(bad).is_none(), "{bad}");
        }
        let long = format!("[{}]:80", "0".repeat(128));
        assert!(show(&long).is_none());
    }

    #[test]
    fn compares_like_libevent() {
        let a = parse_sockaddr_port(b"1.2.3.4:80").unwrap();
        let b = parse_sockaddr_port(b"1.2.3.5:80").unwrap();
        let c = parse_sockaddr_port(b"1.2.3.4:81").unwrap();
        let d = parse_sockaddr_port(b"[::1]:80").unwrap();
        // SAFETY: all four are complete socket addresses.
        unsafe {
            assert_eq!(sockaddr_cmp(a.as_ptr(), b.as_ptr(), true), -1);
            assert_eq!(sockaddr_cmp(a.as_ptr(), c.as_ptr(), false), 0);
            assert_eq!(sockaddr_cmp(a.as_ptr(), c.as_ptr(), true), 80u16.to_be() as i32 - 81u16.to_be() as i32);
            assert_eq!(sockaddr_cmp(a.as_ptr(), d.as_ptr(), true), libc::AF_INET - libc::AF_INET6);
        }
    }

    #[test]
    fn own_lists_are_freed_by_freeaddrinfo() {
        let a = parse_sockaddr_port(b"1.2.3.4:80").unwrap();
        // SAFETY: zeroed hints are valid; the address is complete.
        unsafe {
            let hints: addrinfo = std::mem::zeroed();
            let list = new_addrinfo(a.as_ptr(), a.socklen() as socklen_t, &hints);
            assert!(!list.is_null());
            assert_eq!((*list).ai_socktype, libc::SOCK_STREAM);
            assert_eq!((*(*list).ai_next).ai_socktype, libc::SOCK_DGRAM);
            let list = append_addrinfo(list, new_addrinfo(a.as_ptr(), a.socklen() as socklen_t, &hints));
            freeaddrinfo(list);
        }
    }
}
