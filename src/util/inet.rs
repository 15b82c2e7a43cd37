//! Text <-> binary IP addresses, with libevent's own rules rather than the C library's: the
//! released libevent parses and prints addresses itself, and programs see the differences
//! (a dotted quad is read as sscanf("%u.%u.%u.%u") reads it, so "01.2.3.4" and " 1.2.3.4" are
//! accepted; an IPv6 address may end in a lone ':'; scope ids after '%' are names or numbers).
use super::num;

/// A dotted quad as `sscanf(s, "%u.%u.%u.%u%c")` accepts it: exactly four conversions, nothing
/// after the last one, each value at most 255 once stored in an unsigned int.
pub fn pton4(s: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut pos = 0;
    for (k, byte) in out.iter_mut().enumerate() {
        if k > 0 {
            if s.get(pos) != Some(&b'.') {
                return None;
            }
            pos += 1;
        }
        let (v, used) = num::scanf_u(&s[pos..])?;
        *byte = u8::try_from(v).ok()?;
        pos += used;
    }
    (pos == s.len()).then_some(out)
}

/// An IPv6 address: up to eight groups of at most four hex digits (read as strtol reads them,
/// so a group may be written "0x12"), one "::" gap, and an optional dotted quad at the end.
pub fn pton6(s: &[u8]) -> Option<[u8; 16]> {
    let mut words = [0u16; 8];
    let mut set_words = 0usize;
    let dot = s.iter().position(|&b| b == b'.');
    // End of the hex groups: the start of the trailing dotted quad, if any.
    let eow = match dot {
        None => s.len(),
        Some(0) => return None,
        Some(d) => {
            let mut e = d;
            while e > 0 && s[e - 1].is_ascii_digit() {
                e -= 1;
            }
            let v4 = pton4(&s[e..])?;
            words[6] = u16::from_be_bytes([v4[0], v4[1]]);
            words[7] = u16::from_be_bytes([v4[2], v4[3]]);
            set_words += 2;
            e
        }
    };

    let mut i = 0usize;
    let mut gap: Option<usize> = None;
    let mut p = 0usize;
    while p < eow {
        if i > 7 {
            return None;
        }
        let c = s[p];
        if c.is_ascii_hexdigit() {
            let (v, used, _) = num::strtol(&s[p..], 16)?;
            if used == 0 || used > 4 || !(0..=0xffff).contains(&v) {
                return None;
            }
            words[i] = v as u16;
            i += 1;
            set_words += 1;
            p += used;
            if p != eow && s.get(p) != Some(&b':') {
                return None;
            }
            p += 1;
        } else if c == b':' && i > 0 && gap.is_none() {
            gap = Some(i);
            p += 1;
        } else if c == b':' && i == 0 && s.get(p + 1) == Some(&b':') && gap.is_none() {
            gap = Some(0);
            p += 2;
        } else {
            return None;
        }
    }

    match gap {
        _ if set_words > 8 => return None,
        Some(_) if set_words == 8 => return None,
        None if set_words < 8 => return None,
        None => {}
        Some(at) => {
            // Groups written after the gap move to the end (before the dotted quad).
            let after = i - at;
            let gap_len = 8 - set_words;
            words.copy_within(at..at + after, at + gap_len);
            words[at..at + gap_len].fill(0);
        }
    }
    let mut out = [0u8; 16];
    for (k, w) in words.iter().enumerate() {
        out[2 * k..2 * k + 2].copy_from_slice(&w.to_be_bytes());
    }
    Some(out)
}

/// The outcome of parsing an address that may carry an IPv6 scope ("fe80::1%eth0").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scoped {
    /// 1 parsed, 0 malformed, -1 unknown family (evutil_inet_pton's return values).
    pub result: i32,
    /// The scope's interface index; set even when the address before '%' is malformed.
    pub index: u32,
}

/// IPv6 with an optional "%scope": an interface name, else a decimal number as strtoul reads
/// it. `lookup` maps an interface name to its index (0 when unknown).
pub fn pton6_scoped(s: &[u8], lookup: impl FnOnce(&[u8]) -> u32) -> (Scoped, Option<[u8; 16]>) {
    let Some(pct) = s.iter().position(|&b| b == b'%') else {
        let a = pton6(s);
        return (Scoped { result: a.is_some() as i32, index: 0 }, a);
    };
    let zone = &s[pct + 1..];
    let mut index = lookup(zone);
    if index == 0 {
        match num::strtoul(zone, 10) {
            Some((v, used, _)) if used == zone.len() => index = v as u32,
            _ => return (Scoped { result: 0, index: 0 }, None),
        }
    }
    let a = pton6(&s[..pct]);
    (Scoped { result: a.is_some() as i32, index }, a)
}

/// A dotted quad, as "%d.%d.%d.%d" prints it.
pub fn ntop4(a: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
}

/// An IPv6 address in libevent's spelling: lower-case hex, the longest run of two or more zero
/// groups (the first, on a tie) written "::", and a dotted quad for IPv4-mapped ("::ffff:a.b.c.d")
/// and IPv4-compatible ("::a.b.c.d", when neither of the last two groups is zero) addresses.
pub fn ntop6(a: [u8; 16]) -> String {
    let mut w = [0u16; 8];
    for (k, word) in w.iter_mut().enumerate() {
        *word = u16::from_be_bytes([a[2 * k], a[2 * k + 1]]);
    }
    if w[..5].iter().all(|&x| x == 0) && ((w[5] == 0 && w[6] != 0 && w[7] != 0) || w[5] == 0xffff) {
        let quad = ntop4([a[12], a[13], a[14], a[15]]);
        return if w[5] == 0 { format!("::{quad}") } else { format!("::{:x}:{quad}", w[5]) };
    }

    let (mut best_at, mut best_len) = (None, 0);
    let mut k = 0;
    while k < 8 {
        if w[k] == 0 {
            let start = k;
            while k < 8 && w[k] == 0 {
                k += 1;
            }
            if k - start > best_len {
                best_at = Some(start);
                best_len = k - start;
            }
        } else {
            k += 1;
        }
    }
    if best_len <= 1 {
        best_at = None;
    }

    let mut out = String::with_capacity(40);
    let mut k = 0;
    while k < 8 {
        if Some(k) == best_at {
            out.push_str(if k == 0 { "::" } else { ":" });
            k += best_len;
            continue;
        }
        out.push_str(&format!("{:x}", w[k]));
        if k != 7 {
            out.push(':');
        }
        k += 1;
    }
    out
}

/// Puts an address's text into a C buffer of `len` bytes as evutil_inet_ntop does; false when
/// it does not fit. The two families differ at the edge, as in libevent: IPv4 text is printed
/// as snprintf prints (truncated, and failing, when it needs all `len` bytes), while IPv6 text
/// fails only when longer than `len`, and at exactly `len` is written truncated by one byte.
///
/// # Safety
/// `dst` must be valid for writes of `len` bytes.
pub unsafe fn write_ntop(v6: bool, text: &str, dst: *mut libc::c_char, len: usize) -> bool {
    let fits = if v6 { text.len() <= len } else { text.len() < len };
    if fits || !v6 {
        // SAFETY: the caller guarantees len writable bytes.
        unsafe { super::strings::copy_to_c_buffer(dst, len, text.as_bytes()) };
    }
    fits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn six(s: &str) -> Option<String> {
        pton6(s.as_bytes()).map(ntop6)
    }

    #[test]
    fn dotted_quads() {
        assert_eq!(pton4(b"1.2.3.4"), Some([1, 2, 3, 4]));
        assert_eq!(pton4(b"01.2.3.4"), Some([1, 2, 3, 4]));
        assert_eq!(pton4(b" 1. 2.+3.4"), Some([1, 2, 3, 4]));
        assert_eq!(pton4(b"4294967296.1.1.1"), Some([0, 1, 1, 1]));
        assert_eq!(pton4(b"-4294967295.1.1.1"), Some([1, 1, 1, 1]));
        for bad in ["1.2.3.4 ", "1.2.3", "1.2.3.256", "1 .2.3.4", "", "1.2.3.4.5", "a.b.c.d", "1.2.3.-1"] {
            assert_eq!(pton4(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn ipv6_as_libevent_reads_it() {
        assert_eq!(six("::").as_deref(), Some("::"));
        assert_eq!(six("1::").as_deref(), Some("1::"));
        assert_eq!(six("1::2:").as_deref(), Some("1::2"));
        assert_eq!(six("0x12::1").as_deref(), Some("12::1"));
        assert_eq!(six("::ffff:1.2.3.4").as_deref(), Some("::ffff:1.2.3.4"));
        assert_eq!(six("1:2:3:4:5:6:1.2.3.4").as_deref(), Some("1:2:3:4:5:6:102:304"));
        assert_eq!(six("1::2:3:4:5:6:7").as_deref(), Some("1:0:2:3:4:5:6:7"));
        assert_eq!(six("::2:3:4:5:6:7:8").as_deref(), Some("0:2:3:4:5:6:7:8"));
        for bad in [
            ":",
            ":1::2",
            "1:::2",
            "12345::",
            "1:2:3:4:5:6:7:8:9",
            "::1.2.3",
            ".1.2.3.4",
            "1::-1",
            "1:: 2",
            "::00001",
            "1:2:3:4:5:6:7:8::",
            "1.2.3.4",
            "::1%1",
            "1:2:3:4:5:6:7",
            "::ab1.2.3.4",
        ] {
            assert_eq!(six(bad), None, "{bad}");
        }
    }

    #[test]
    fn ipv6_spelling() {
        let mut a = [0u8; 16];
        assert_eq!(ntop6(a), "::");
        a[15] = 1;
        assert_eq!(ntop6(a), "::1");
        a[14] = 1;
        assert_eq!(ntop6(a), "::101");
        a[13] = 1;
        assert_eq!(ntop6(a), "::0.1.1.1");
        a[10] = 0xff;
        a[11] = 0xff;
        assert_eq!(ntop6(a), "::ffff:0.1.1.1");
        let b = [0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1];
        assert_eq!(ntop6(b), "1:0:0:1::1");
        let c = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(ntop6(c), "fe80::");
    }

    #[test]
    fn scopes() {
        let lo = |n: &[u8]| if n == b"lo" { 1 } else { 0 };
        assert_eq!(pton6_scoped(b"::1%lo", lo).0, Scoped { result: 1, index: 1 });
        assert_eq!(pton6_scoped(b"::1%", lo).0, Scoped { result: 1, index: 0 });
        assert_eq!(pton6_scoped(b"::1% 7", lo).0, Scoped { result: 1, index: 7 });
        assert_eq!(pton6_scoped(b"::1%-1", lo).0, Scoped { result: 1, index: u32::MAX });
        assert_eq!(pton6_scoped(b"::1%99999999999", lo).0, Scoped { result: 1, index: 1215752191 });
        assert_eq!(pton6_scoped(b"::1%x", lo).0, Scoped { result: 0, index: 0 });
        assert_eq!(pton6_scoped(b"1.2.3.4%5", lo).0, Scoped { result: 0, index: 5 });
    }
}
