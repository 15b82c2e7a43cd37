#![no_main]
//! evutil_inet_pton and evutil_parse_sockaddr_port (the Rust functions behind them) over
//! arbitrary text: never a panic; every address libc's inet_pton reads is read the same; what
//! is read prints as text that libc and we read back to the same bytes.
use event_rs::util::{addr, inet};
use libfuzzer_sys::fuzz_target;
use std::ffi::CString;

extern "C" {
    // Not in the libc crate: the system's own (glibc's) inet_pton.
    fn inet_pton(af: libc::c_int, src: *const libc::c_char, dst: *mut libc::c_void) -> libc::c_int;
}

fn libc_pton<const N: usize>(af: libc::c_int, s: &[u8]) -> Option<[u8; N]> {
    let c = CString::new(s).ok()?;
    let mut out = [0u8; N];
    // SAFETY: a C string and a buffer of the address family's size.
    let r = unsafe { inet_pton(af, c.as_ptr(), out.as_mut_ptr() as *mut libc::c_void) };
    (r == 1).then_some(out)
}

fuzz_target!(|data: &[u8]| {
    if data.contains(&0) {
        return; // the C functions see text up to the first NUL
    }
    let v4 = inet::pton4(data);
    if let Some(a) = libc_pton::<4>(libc::AF_INET, data) {
        assert_eq!(v4, Some(a), "libc reads this IPv4 address");
    }
    if let Some(a) = v4 {
        let text = inet::ntop4(a);
        assert_eq!(inet::pton4(text.as_bytes()), Some(a));
        assert_eq!(libc_pton::<4>(libc::AF_INET, text.as_bytes()), Some(a));
    }
    let v6 = inet::pton6(data);
    if let Some(a) = libc_pton::<16>(libc::AF_INET6, data) {
        assert_eq!(v6, Some(a), "libc reads this IPv6 address");
    }
    if let Some(a) = v6 {
        let text = inet::ntop6(a);
        assert_eq!(inet::pton6(text.as_bytes()), Some(a));
        assert_eq!(libc_pton::<16>(libc::AF_INET6, text.as_bytes()), Some(a));
    }
    let _ = addr::parse_sockaddr_port(data);
});
