//! Locale-independent string helpers: ASCII case-insensitive comparison, HTTP dates, and
//! copying text into a caller's fixed-size C buffer the way snprintf does.
use libc::{c_char, c_int};
use std::cmp::Ordering;

/// Compares two byte sequences, each ending at its first NUL or after `limit` bytes, ignoring
/// ASCII case only. Bytes compare as C's signed `char`, so a byte >= 0x80 sorts before every
/// ASCII character, as libevent's comparison does on this platform.
pub fn ascii_casecmp_bytes(a: impl IntoIterator<Item = u8>, b: impl IntoIterator<Item = u8>, limit: usize) -> Ordering {
    let mut a = a.into_iter();
    let mut b = b.into_iter();
    for _ in 0..limit {
        let x = a.next().unwrap_or(0).to_ascii_lowercase() as i8;
        let y = b.next().unwrap_or(0).to_ascii_lowercase() as i8;
        match x.cmp(&y) {
            Ordering::Equal if x == 0 => return Ordering::Equal,
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}

/// `ascii_casecmp_bytes` over two Rust strings, without a length limit.
pub fn ascii_casecmp(a: &[u8], b: &[u8]) -> Ordering {
    ascii_casecmp_bytes(a.iter().copied(), b.iter().copied(), usize::MAX)
}

/// The bytes of a C string, read one at a time up to (not including) its NUL: unlike strlen,
/// reads no further than a comparison needs.
///
/// # Safety
/// `p` must be readable up to its NUL or for as many bytes as the consumer takes.
pub unsafe fn c_bytes(p: *const c_char) -> impl Iterator<Item = u8> {
    let mut i = 0usize;
    std::iter::from_fn(move || {
        // SAFETY: the caller guarantees this byte is readable (it precedes the NUL, or is within
        // the count the consumer stops at).
        let b = unsafe { *p.add(i) } as u8;
        i += 1;
        Some(b)
    })
}

pub fn ordering_to_c(o: Ordering) -> c_int {
    match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

/// Copies `text` into a C buffer of `len` bytes as snprintf would: truncated to `len - 1`
/// bytes and NUL-terminated; nothing is written when `len` is 0.
///
/// # Safety
/// `dst` must be valid for writes of `len` bytes.
pub unsafe fn copy_to_c_buffer(dst: *mut c_char, len: usize, text: &[u8]) {
    if len == 0 {
        return;
    }
    let n = text.len().min(len - 1);
    // SAFETY: n + 1 <= len bytes are written, which the caller guarantees.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr() as *const c_char, dst, n);
        *dst.add(n) = 0;
    }
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// An RFC 1123 date as HTTP uses it: "Sun, 06 Nov 1994 08:49:37 GMT". A weekday or month out of
/// range (which libevent would read past its tables for) is written "???".
pub fn date_rfc1123(tm: &libc::tm) -> String {
    let day = usize::try_from(tm.tm_wday).ok().and_then(|d| DAYS.get(d)).unwrap_or(&"???");
    let month = usize::try_from(tm.tm_mon).ok().and_then(|m| MONTHS.get(m)).unwrap_or(&"???");
    format!(
        "{day}, {:02} {month} {:4} {:02}:{:02}:{:02} GMT",
        tm.tm_mday,
        1900i64 + tm.tm_year as i64,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    )
}

/// The current time, broken down in UTC.
pub fn now_utc() -> libc::tm {
    // SAFETY: time(NULL) only returns a value; tm is plain data, and gmtime_r fills it from a
    // valid time_t (it cannot fail for the current time).
    unsafe {
        let t = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        libc::gmtime_r(&t, &mut tm);
        tm
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casecmp() {
        assert_eq!(ascii_casecmp(b"ABC", b"abc"), Ordering::Equal);
        assert_eq!(ascii_casecmp(b"ABC", b"abd"), Ordering::Less);
        assert_eq!(ascii_casecmp(b"abc", b"ab"), Ordering::Greater);
        assert_eq!(ascii_casecmp(b"a", b"\xe9"), Ordering::Greater);
        assert_eq!(ascii_casecmp(b"\xc9", b"\xe9"), Ordering::Less);
        assert_eq!(ascii_casecmp_bytes(b"abcX".iter().copied(), b"ABCy".iter().copied(), 3), Ordering::Equal);
        assert_eq!(ascii_casecmp_bytes(b"x".iter().copied(), b"y".iter().copied(), 0), Ordering::Equal);
    }

    #[test]
    fn dates() {
        // SAFETY: tm is plain data.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        tm.tm_year = 94;
        tm.tm_mon = 10;
        tm.tm_mday = 6;
        tm.tm_hour = 8;
        tm.tm_min = 49;
        tm.tm_sec = 37;
        assert_eq!(date_rfc1123(&tm), "Sun, 06 Nov 1994 08:49:37 GMT");
        tm.tm_year = -1905;
        assert_eq!(date_rfc1123(&tm), "Sun, 06 Nov   -5 08:49:37 GMT");
        tm.tm_wday = 9;
        assert!(date_rfc1123(&tm).starts_with("???,"));
        assert_eq!(date_rfc1123(&now_utc()).len(), 29);
    }
}
