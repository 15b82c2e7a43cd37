//! Text configuration: resolv.conf lines, hosts-file lines and option values, read with
//! libevent's rules (which are not quite the C library's: only spaces and tabs separate
//! tokens, so a "\r" stays part of a token; a NUL byte ends the file).
//!
//! These functions only parse; `resolver` applies the results to a base.
use crate::util::addr::{self, SockAddr};
use crate::util::num;
use std::ffi::CString;

/// The text of a file as libevent uses it: up to the first NUL byte.
pub fn until_nul(text: &[u8]) -> &[u8] {
    match text.iter().position(|&b| b == 0) {
        Some(i) => &text[..i],
        None => text,
    }
}

fn tokens(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|&b| b == b' ' || b == b'\t').filter(|t| !t.is_empty())
}

/// One meaningful line of resolv.conf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolvLine<'a> {
    /// "nameserver ADDR" (only the first token after the keyword counts).
    Nameserver(&'a [u8]),
    /// "domain NAME": the search list becomes this one domain.
    Domain(&'a [u8]),
    /// "search A B ...": the search list becomes these domains, in order (possibly none).
    Search(Vec<&'a [u8]>),
    /// "options a:1 b": each option's name (with its colon and value, as written) and the
    /// value after the first colon ("" without one).
    Options(Vec<(&'a [u8], &'a [u8])>),
}

/// The directives of a resolv.conf text, in file order. Unknown keywords, comments, and
/// keywords without their argument are skipped.
pub fn resolv_lines(text: &[u8]) -> Vec<ResolvLine<'_>> {
    let mut out = Vec::new();
    for line in until_nul(text).split(|&b| b == b'\n') {
        let mut t = tokens(line);
        let Some(keyword) = t.next() else { continue };
        match keyword {
            b"nameserver" => {
                if let Some(a) = t.next() {
                    out.push(ResolvLine::Nameserver(a));
                }
            }
            b"domain" => {
                if let Some(d) = t.next() {
                    out.push(ResolvLine::Domain(d));
                }
            }
            b"search" => out.push(ResolvLine::Search(t.collect())),
            b"options" => out.push(ResolvLine::Options(
                t.map(|opt| match opt.iter().position(|&b| b == b':') {
                    Some(c) => (opt, &opt[c + 1..]),
                    None => (opt, &b""[..]),
                })
                .collect(),
            )),
            _ => {}
        }
    }
    out
}

/// The entries of one hosts-file line: its address and each name after it. A '#' starts a
/// comment, even inside a name (the part before it still counts). An address with a port, or
/// one that does not parse, makes the line count for nothing.
pub fn hosts_line(line: &[u8]) -> Vec<(SockAddr, Vec<u8>)> {
    let mut t = tokens(line);
    let Some(addr_text) = t.next() else { return Vec::new() };
    if addr_text[0] == b'#' {
        return Vec::new();
    }
    let Some(sa) = addr::parse_sockaddr_port(addr_text) else { return Vec::new() };
    let port = match sa {
        SockAddr::V4(s) => s.sin_port,
        SockAddr::V6(s) => s.sin6_port,
    };
    if port != 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for name in t {
        match name.iter().position(|&b| b == b'#') {
            Some(0) => break,
            Some(h) => {
                out.push((sa, name[..h].to_vec()));
                break;
            }
            None => out.push((sa, name.to_vec())),
        }
    }
    out
}

/// The entries of a hosts file, in file order.
pub fn hosts_file(text: &[u8]) -> Vec<(SockAddr, Vec<u8>)> {
    until_nul(text).split(|&b| b == b'\n').flat_map(hosts_line).collect()
}

/// Whether `given` names the option `name` (which ends with a colon): "timeout",
/// "timeout:" and "timeout:anything" all name "timeout:". Case matters.
pub fn option_matches(given: &[u8], name: &[u8]) -> bool {
    let n = name.len();
    if given.len() == n || given.len() + 1 == n {
        name.starts_with(given)
    } else if given.len() > n {
        given.starts_with(name)
    } else {
        false
    }
}

/// An integer option value: decimal, the whole text (leading blanks and a sign allowed, as
/// strtol reads them), cut to an int. -1 means malformed, so "-1" itself is refused.
pub fn int_value(s: &[u8]) -> i32 {
    // strtol stops at the first byte it cannot use (at the start when there is no digit, so
    // an empty text reads as 0 and a blank one is refused); the value is then cut to an int.
    match num::strtol(s, 10) {
        Some((v, end, _)) if end == s.len() => v as i32,
        _ => -1,
    }
}

/// As `int_value`, clipped to `min..=max` (-1 still means malformed).
pub fn int_value_clipped(s: &[u8], min: i32, max: i32) -> i32 {
    match int_value(s) {
        -1 => -1,
        v => v.clamp(min, max),
    }
}

/// A duration option in seconds ("2.5"), as strtod reads it, whole text: microseconds, or
/// `None` when malformed, negative, or under a millisecond. An infinite value is the longest
/// timeout there is; NaN is refused.
pub fn seconds_value(s: &[u8]) -> Option<i64> {
    let c = CString::new(s).ok()?;
    let mut end: *mut libc::c_char = std::ptr::null_mut();
    // SAFETY: c is a valid C string; end receives a pointer into it.
    let d = unsafe { libc::strtod(c.as_ptr(), &mut end) };
    // SAFETY: strtod leaves end inside the string (at its NUL when all was read).
    if unsafe { *end } != 0 || d.is_nan() || d < 0.0 {
        return None;
    }
    let secs = d.trunc().min(i32::MAX as f64) as i64;
    let usec = ((d - d.trunc()) * 1_000_000.0) as i64;
    if secs == 0 && usec < 1000 {
        return None;
    }
    Some(secs * 1_000_000 + usec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolv_conf() {
        let text = b"# comment\nnameserver 127.0.0.5\nnameserver\n  nameserver\t10.0.0.1  extra\nsearch a.b c.d\ndomain x.y\noptions ndots:2 timeout:1.5 rotate attempts\nnameserver 1.2.3.4\r\nsearch\nbogus line\n\0nameserver 9.9.9.9\n";
        let lines = resolv_lines(text);
        assert_eq!(
            lines,
            vec![
                ResolvLine::Nameserver(b"127.0.0.5"),
                ResolvLine::Nameserver(b"10.0.0.1"),
                ResolvLine::Search(vec![b"a.b", b"c.d"]),
                ResolvLine::Domain(b"x.y"),
                ResolvLine::Options(vec![
                    (&b"ndots:2"[..], &b"2"[..]),
                    (b"timeout:1.5", b"1.5"),
                    (b"rotate", b""),
                    (b"attempts", b"")
                ]),
                ResolvLine::Nameserver(b"1.2.3.4\r"),
                ResolvLine::Search(vec![]),
            ]
        );
    }

    fn show(entries: Vec<(SockAddr, Vec<u8>)>) -> Vec<String> {
        entries
            .into_iter()
            .map(|(a, n)| {
                let a = match a {
                    SockAddr::V4(s) => crate::util::inet::ntop4(s.sin_addr.s_addr.to_ne_bytes()),
                    SockAddr::V6(s) => crate::util::inet::ntop6(s.sin6_addr.s6_addr),
                };
                format!("{a} {}", String::from_utf8_lossy(&n))
            })
            .collect()
    }

    #[test]
    fn hosts() {
        let text = b"# comment\n10.0.0.1 h1 alias1 # c\n10.0.0.2\th2\n::5 h1 h6\n1.2.3.4:80 bad\n  10.0.0.3 h3#x y\n10.0.0.4 #h4\n10.0.0.5 H5\r\nbogus name\n[::6] six\n10.0.0.6 h6";
        assert_eq!(
            show(hosts_file(text)),
            [
                "10.0.0.1 h1",
                "10.0.0.1 alias1",
                "10.0.0.2 h2",
                "::5 h1",
                "::5 h6",
                "10.0.0.3 h3",
                "10.0.0.5 H5\r",
                "::6 six",
                "10.0.0.6 h6"
            ]
        );
    }

    #[test]
    fn options() {
        assert!(option_matches(b"timeout", b"timeout:"));
        assert!(option_matches(b"timeout:", b"timeout:"));
        assert!(option_matches(b"timeout:junk", b"timeout:"));
        assert!(!option_matches(b"timeoutx", b"timeout:"));
        assert!(!option_matches(b"TIMEOUT:", b"timeout:"));
        assert!(!option_matches(b"time", b"timeout:"));
        assert_eq!(int_value(b"3"), 3);
        assert_eq!(int_value(b" 3"), 3);
        assert_eq!(int_value(b"3x"), -1);
        assert_eq!(int_value(b"0x10"), -1);
        assert_eq!(int_value(b""), 0);
        assert_eq!(int_value(b"-2"), -2);
        assert_eq!(int_value(b"-1"), -1);
        assert_eq!(int_value_clipped(b"0", 1, 255), 1);
        assert_eq!(int_value_clipped(b"999", 1, 255), 255);
        assert_eq!(seconds_value(b"2.5"), Some(2_500_000));
        assert_eq!(seconds_value(b" 1"), Some(1_000_000));
        assert_eq!(seconds_value(b"1 "), None);
        assert_eq!(seconds_value(b"0"), None);
        assert_eq!(seconds_value(b"0.0005"), None);
        assert_eq!(seconds_value(b"0.001"), Some(1000));
        assert_eq!(seconds_value(b"-1"), None);
        assert_eq!(seconds_value(b"1e3"), Some(1_000_000_000));
        assert!(seconds_value(b"inf").is_some());
        assert_eq!(seconds_value(b"nan"), None);
        assert_eq!(seconds_value(b"x"), None);
    }
}
