//! Integer parsing with the C library's exact rules (glibc's strtoll, strtoul, atoi and scanf's
//! `%u`), on byte strings. libevent leans on these functions in several places (evutil_strtoll
//! is strtoll; ports go through atoi; dotted quads through sscanf), and a program can observe
//! every corner of them: where parsing stops, what an overflow gives, whether errno changes.

/// How a C integer parse ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    /// The magnitude read, saturated at `u64::MAX` (see `overflow`).
    pub magnitude: u64,
    pub negative: bool,
    /// More digits than fit in 64 bits.
    pub overflow: bool,
    /// Bytes consumed, counting leading whitespace, sign and any "0x" prefix; 0 when no digit
    /// was read (C then reports the start of the string as the end pointer), except for the
    /// "0x" with no hex digit after it, where C points at the 'x' (`end` = 1 past the '0').
    pub end: usize,
    /// At least one digit was read (a "0x" prefix alone does not count).
    pub any: bool,
}

/// The C locale's isspace().
pub fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn digit_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u32),
        b'a'..=b'z' => Some((b - b'a') as u32 + 10),
        b'A'..=b'Z' => Some((b - b'A') as u32 + 10),
        _ => None,
    }
}

/// The scan shared by the strto* family. `base` must be 0 or 2..=36 (callers check).
/// Only the first `s.len()` bytes are looked at; a NUL byte ends the string as in C.
pub fn scan(s: &[u8], base: u32) -> Parsed {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while is_c_space(at(i)) {
        i += 1;
    }
    let mut negative = false;
    if at(i) == b'-' || at(i) == b'+' {
        negative = at(i) == b'-';
        i += 1;
    }
    let mut base = base;
    let mut prefix_at = None;
    if (base == 0 || base == 16) && at(i) == b'0' && (at(i + 1) | 0x20) == b'x' {
        prefix_at = Some(i);
        i += 2;
        base = 16;
    } else if base == 0 {
        base = if at(i) == b'0' { 8 } else { 10 };
    }
    let mut magnitude: u64 = 0;
    let mut overflow = false;
    let mut any = false;
    while let Some(d) = digit_value(at(i)).filter(|&d| d < base) {
        any = true;
        match magnitude.checked_mul(base as u64).and_then(|m| m.checked_add(d as u64)) {
            Some(m) if !overflow => magnitude = m,
            _ => {
                overflow = true;
                magnitude = u64::MAX;
            }
        }
        i += 1;
    }
    let end = match (any, prefix_at) {
        (true, _) => i,
        // "0x" then no hex digit: the number is the "0", and parsing stops at the 'x'.
        (false, Some(p)) => p + 1,
        (false, None) => 0,
    };
    Parsed { magnitude, negative, overflow, end, any }
}

/// What strtoll() returns: the value, where it stopped, and whether it set errno to ERANGE.
/// `None` for an invalid base (C sets EINVAL and leaves the end pointer alone).
pub fn strtoll(s: &[u8], base: i32) -> Option<(i64, usize, bool)> {
    if !(base == 0 || (2..=36).contains(&base)) {
        return None;
    }
    let p = scan(s, base as u32);
    let limit = if p.negative { i64::MIN.unsigned_abs() } else { i64::MAX as u64 };
    if p.overflow || p.magnitude > limit {
        return Some((if p.negative { i64::MIN } else { i64::MAX }, p.end, true));
    }
    let v = if p.negative { (p.magnitude as i64).wrapping_neg() } else { p.magnitude as i64 };
    Some((v, p.end, false))
}

/// What strtol() returns on this platform (long is 64 bits).
pub fn strtol(s: &[u8], base: i32) -> Option<(i64, usize, bool)> {
    strtoll(s, base)
}

/// What strtoul() returns: a '-' negates in unsigned arithmetic; too many digits give
/// ULONG_MAX with ERANGE.
pub fn strtoul(s: &[u8], base: i32) -> Option<(u64, usize, bool)> {
    if !(base == 0 || (2..=36).contains(&base)) {
        return None;
    }
    let p = scan(s, base as u32);
    if p.overflow {
        return Some((u64::MAX, p.end, true));
    }
    let v = if p.negative { p.magnitude.wrapping_neg() } else { p.magnitude };
    Some((v, p.end, false))
}

/// atoi(): `(int)strtol(s, NULL, 10)`, truncation included.
pub fn atoi(s: &[u8]) -> i32 {
    strtol(s, 10).map_or(0, |(v, _, _)| v as i32)
}

/// One `%u` conversion of sscanf(): leading whitespace skipped, a sign allowed, at least one
/// decimal digit required; the value is strtoul's, stored into an unsigned int. Returns the
/// value and the bytes consumed, or `None` on a matching failure.
pub fn scanf_u(s: &[u8]) -> Option<(u32, usize)> {
    let (v, end, _) = strtoul(s, 10)?;
    if end == 0 {
        return None;
    }
    Some((v as u32, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn c_strtoll(s: &str, base: i32) -> (i64, usize, i32) {
        let c = CString::new(s).unwrap();
        let mut end: *mut libc::c_char = std::ptr::null_mut();
        // SAFETY: errno is thread-local; c is a valid C string and end a valid out-pointer.
        unsafe {
            *libc::__errno_location() = 0;
            let v = libc::strtoll(c.as_ptr(), &mut end, base);
            (v, end.offset_from(c.as_ptr()) as usize, *libc::__errno_location())
        }
    }

    fn c_strtoul(s: &str, base: i32) -> (u64, usize, i32) {
        let c = CString::new(s).unwrap();
        let mut end: *mut libc::c_char = std::ptr::null_mut();
        // SAFETY: as in c_strtoll.
        unsafe {
            *libc::__errno_location() = 0;
            let v = libc::strtoul(c.as_ptr(), &mut end, base);
            (v, end.offset_from(c.as_ptr()) as usize, *libc::__errno_location())
        }
    }

    /// Differential check against the C library on many strings made of the characters that
    /// matter to these parsers.
    #[test]
    fn agrees_with_libc() {
        let alphabet = b" \t+-0123456789aAfFxXzZ9";
        let mut seed: u64 = 0x1234_5678_9abc_def0;
        let mut inputs: Vec<String> = [
            "",
            "0",
            "-0",
            "0x",
            "0X",
            "0xg",
            "-0x",
            "  0x1f",
            "077",
            "08",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551615",
            "18446744073709551616",
            "-18446744073709551615",
            "99999999999999999999999",
            "  -",
            "+",
            "zz",
            "ZZ",
            "0b101",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for _ in 0..4000 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let len = (seed >> 59) as usize;
            let mut s = String::new();
            let mut x = seed;
            for _ in 0..len {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                s.push(alphabet[(x >> 58) as usize % alphabet.len()] as char);
            }
            inputs.push(s);
        }
        for s in &inputs {
            for base in [0, 2, 8, 10, 16, 36] {
                let (cv, cend, cerr) = c_strtoll(s, base);
                let (v, end, range) = strtoll(s.as_bytes(), base).unwrap();
                assert_eq!((v, end, range), (cv, cend, cerr == libc::ERANGE), "strtoll({s:?}, {base})");
                let (cv, cend, cerr) = c_strtoul(s, base);
                let (v, end, range) = strtoul(s.as_bytes(), base).unwrap();
                assert_eq!((v, end, range), (cv, cend, cerr == libc::ERANGE), "strtoul({s:?}, {base})");
            }
        }
        assert!(strtoll(b"1", 1).is_none());
        assert!(strtoll(b"1", 37).is_none());
        assert!(strtoll(b"1", -1).is_none());
    }

    #[test]
    fn atoi_truncates_like_c() {
        assert_eq!(atoi(b"4294967376"), 80);
        assert_eq!(atoi(b" +80x"), 80);
        assert_eq!(atoi(b"99999999999999999999"), -1);
        assert_eq!(atoi(b""), 0);
    }

    #[test]
    fn scanf_u_rules() {
        assert_eq!(scanf_u(b" 12."), Some((12, 3)));
        assert_eq!(scanf_u(b"-4294967295"), Some((1, 11)));
        assert_eq!(scanf_u(b"4294967296"), Some((0, 10)));
        assert_eq!(scanf_u(b"+"), None);
        assert_eq!(scanf_u(b"."), None);
    }
}
