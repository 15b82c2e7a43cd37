//! URIs after RFC 3986 as libevent reads them (evhttp_uri_*): scheme, userinfo, host, port,
//! path, query and fragment, each checked against its production, or taken loosely with
//! EVHTTP_URI_NONCONFORMANT.
use super::{is_subdelim, is_unreserved};
use std::ffi::CString;

/// EVHTTP_URI_NONCONFORMANT: path, query and fragment are whatever lies between the separators.
pub const NONCONFORMANT: u32 = 0x01;
/// EVHTTP_URI_HOST_STRIP_BRACKETS (2.2): an IPv6 host is given without its brackets, and
/// written back with them.
pub const HOST_STRIP_BRACKETS: u32 = 0x04;
/// EVHTTP_URI_UNIX_SOCKET (2.2): "scheme://unix:/path/to/socket:/path?query" names a
/// Unix-domain socket in place of the host.
pub const UNIX_SOCKET: u32 = 0x08;

/// A parsed URI (`struct evhttp_uri`, opaque to programs). Absent parts are None; a port of
/// -1 means none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Uri {
    pub flags: u32,
    pub scheme: Option<CString>,
    pub userinfo: Option<CString>,
    pub host: Option<CString>,
    pub port: i32,
    pub path: Option<CString>,
    pub query: Option<CString>,
    pub fragment: Option<CString>,
    /// the Unix-domain socket's path (EVHTTP_URI_UNIX_SOCKET)
    pub unixsocket: Option<CString>,
}

extern "C" {
    fn inet_pton(af: libc::c_int, src: *const libc::c_char, dst: *mut libc::c_void) -> libc::c_int;
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Path,
    Query,
    Fragment,
}

fn cstr(b: &[u8]) -> CString {
    // Callers pass bytes cut from a C string: no NUL inside.
    CString::new(b).unwrap_or_default()
}

fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
pub fn scheme_ok(s: &[u8]) -> bool {
    match s.split_first() {
        Some((f, rest)) => {
            f.is_ascii_alphabetic()
                && rest.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
        }
        None => false,
    }
}

/// userinfo = *( unreserved / pct-encoded / sub-delims / ":" )
pub fn userinfo_ok(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if is_unreserved(c) || is_subdelim(c) || c == b':' {
            i += 1;
        } else if c == b'%' && i + 2 < s.len() && s[i + 1].is_ascii_hexdigit() && s[i + 2].is_ascii_hexdigit() {
            i += 3;
        } else {
            return false;
        }
    }
    true
}

/// reg-name (or an IPv4 address) = *( unreserved / pct-encoded / sub-delims ).
pub fn regname_ok(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if is_unreserved(c) || is_subdelim(c) {
            i += 1;
        } else if c == b'%' && at(s, i + 1).is_ascii_hexdigit() && at(s, i + 2).is_ascii_hexdigit() {
            i += 3;
        } else {
            return false;
        }
    }
    true
}

/// An IP-literal in brackets: "[" IPv6address "]" or "[v" 1*HEXDIG "." 1*(unreserved /
/// sub-delims / ":") "]".
pub fn bracket_addr_ok(s: &[u8]) -> bool {
    if s.len() < 3 || s[0] != b'[' || s[s.len() - 1] != b']' {
        return false;
    }
    let inner = &s[1..s.len() - 1];
    if inner[0] == b'v' {
        let rest = &inner[1..];
        let digits = rest.iter().take_while(|c| c.is_ascii_hexdigit()).count();
        if digits == 0 || rest.get(digits) != Some(&b'.') {
            return false;
        }
        rest[digits + 1..].iter().all(|&c| is_unreserved(c) || is_subdelim(c) || c == b':')
    } else {
        // The system's inet_pton decides, as it does for libevent.
        if inner.len() >= 64 {
            return false;
        }
        let Ok(text) = CString::new(inner) else { return false };
        let mut addr = [0u8; 16];
        // SAFETY: a NUL-terminated string and a 16-byte buffer, as inet_pton(AF_INET6) needs.
        unsafe { inet_pton(libc::AF_INET6, text.as_ptr(), addr.as_mut_ptr() as *mut libc::c_void) == 1 }
    }
}

/// Where a path, query or fragment starting at `s[0]` ends: the first byte its production does
/// not allow (or the end).
pub fn end_of_part(s: &[u8], part: Part, flags: u32) -> usize {
    if flags & NONCONFORMANT != 0 {
        let stop: &[u8] = match part {
            Part::Path => b"#?",
            Part::Query => b"#",
            Part::Fragment => b"",
        };
        return s.iter().position(|c| stop.contains(c)).unwrap_or(s.len());
    }
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if is_unreserved(c) || is_subdelim(c) || matches!(c, b':' | b'@' | b'/') {
            i += 1;
        } else if c == b'%' && at(s, i + 1).is_ascii_hexdigit() && at(s, i + 2).is_ascii_hexdigit() {
            i += 3;
        } else if c == b'?' && part != Part::Path {
            i += 1;
        } else {
            return i;
        }
    }
    i
}

/// A port: digits only, at most 65535.
fn parse_port(s: &[u8]) -> Option<i32> {
    let mut n: i32 = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + (c - b'0') as i32;
        if n > 65535 {
            return None;
        }
    }
    Some(n)
}

/// `authority = [ userinfo "@" ] host [ ":" port ]`. `s` is the text between "//" and the
/// path.
fn parse_authority(uri: &mut Uri, s: &[u8]) -> Option<()> {
    if s.is_empty() {
        uri.host = Some(CString::default());
        return Some(());
    }
    let (mut host_start, mut end) = (0, s.len());
    if let Some(at_) = s.iter().position(|&c| c == b'@') {
        if !userinfo_ok(&s[..at_]) {
            return None;
        }
        uri.userinfo = Some(cstr(&s[..at_]));
        host_start = at_ + 1;
    }
    // An optional ":port" at the end; an empty port means none.
    let digits = s[host_start..].iter().rev().take_while(|c| c.is_ascii_digit()).count();
    let colon = end - digits;
    if colon > host_start && s[colon - 1] == b':' {
        uri.port = if digits == 0 { -1 } else { parse_port(&s[colon..end])? };
        end = colon - 1;
    }
    let host = &s[host_start..end];
    if host.len() >= 2 && host[0] == b'[' && host[host.len() - 1] == b']' {
        if !bracket_addr_ok(host) {
            return None;
        }
    } else {
        if !regname_ok(host) {
            return None;
        }
    }
    if uri.flags & HOST_STRIP_BRACKETS != 0 && host.first() == Some(&b'[') {
        uri.host = Some(cstr(&host[1..host.len() - 1]));
    } else {
        uri.host = Some(cstr(host));
    }
    Some(())
}

/// With no scheme, the first segment of a path may not hold a ':'.
fn path_matches_noscheme(p: &[u8]) -> bool {
    for &c in p {
        if c == b':' {
            return false;
        }
        if c == b'/' {
            return true;
        }
    }
    true
}

impl Uri {
    /// evhttp_uri_new: every part absent, no port.
    pub fn new() -> Self {
        Uri { port: -1, ..Default::default() }
    }

    /// evhttp_uri_parse_with_flags: a URI or a relative reference; None when it is invalid.
    /// `src` is the C string's bytes (no NUL).
    pub fn parse(src: &[u8], flags: u32) -> Option<Uri> {
        let mut uri = Uri { flags, port: -1, ..Default::default() };
        let mut p = src;

        // 1. scheme ":"
        if let Some(colon) = p.iter().position(|&c| c == b':') {
            if scheme_ok(&p[..colon]) {
                uri.scheme = Some(cstr(&p[..colon]));
                p = &p[colon + 1..];
            }
        }
        // 2. "//" authority
        let got_authority = p.starts_with(b"//");
        let unix = flags & UNIX_SOCKET != 0 && got_authority && p[2..].starts_with(b"unix:");
        if unix {
            // "unix:" path ":" — the socket's path ends at the next ':'.
            let rest = &p[7..];
            let colon = rest.iter().position(|&c| c == b':')?;
            if colon == 0 {
                return None;
            }
            uri.unixsocket = Some(cstr(&rest[..colon]));
            p = &rest[colon + 1..];
        } else if got_authority {
            p = &p[2..];
            let end = p.iter().position(|&c| matches!(c, b'?' | b'#' | b'/')).unwrap_or(p.len());
            parse_authority(&mut uri, &p[..end])?;
            p = &p[end..];
        }
        // 3. path, then "?" query, then "#" fragment
        let pe = end_of_part(p, Part::Path, flags);
        let path = &p[..pe];
        p = &p[pe..];
        let mut query = None;
        let mut fragment = None;
        if p.first() == Some(&b'?') {
            p = &p[1..];
            let qe = end_of_part(p, Part::Query, flags);
            query = Some(&p[..qe]);
            p = &p[qe..];
        }
        if p.first() == Some(&b'#') {
            p = &p[1..];
            let fe = end_of_part(p, Part::Fragment, flags);
            fragment = Some(&p[..fe]);
            p = &p[fe..];
        }
        if !p.is_empty() {
            return None;
        }
        if !got_authority && path.starts_with(b"//") {
            return None;
        }
        if got_authority && !path.is_empty() && path[0] != b'/' {
            return None;
        }
        if uri.scheme.is_none() && !path_matches_noscheme(path) {
            return None;
        }
        uri.path = Some(cstr(path));
        uri.query = query.map(cstr);
        uri.fragment = fragment.map(cstr);
        Some(uri)
    }

    /// The target of a CONNECT request: an authority alone ("host:port"), with an empty path.
    pub fn parse_authority(src: &[u8]) -> Option<Uri> {
        let mut uri = Uri { port: -1, ..Default::default() };
        let end = src.iter().position(|&c| matches!(c, b'?' | b'#' | b'/')).unwrap_or(src.len());
        parse_authority(&mut uri, &src[..end])?;
        uri.path = Some(CString::default());
        Some(uri)
    }

    /// evhttp_uri_join's text: None when a host is set with a path that is neither empty nor
    /// absolute (it could not be read back).
    pub fn join(&self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        if let Some(s) = &self.scheme {
            out.extend_from_slice(s.as_bytes());
            out.push(b':');
        }
        if let Some(u) = &self.unixsocket {
            out.extend_from_slice(b"//unix:");
            out.extend_from_slice(u.as_bytes());
            out.push(b':');
            if let Some(p) = &self.path {
                if !p.as_bytes().is_empty() && p.as_bytes()[0] != b'/' {
                    return None;
                }
            }
        } else if let Some(h) = &self.host {
            out.extend_from_slice(b"//");
            if let Some(u) = &self.userinfo {
                out.extend_from_slice(u.as_bytes());
                out.push(b'@');
            }
            if self.flags & HOST_STRIP_BRACKETS != 0 && h.as_bytes().contains(&b':') {
                out.push(b'[');
                out.extend_from_slice(h.as_bytes());
                out.push(b']');
            } else {
                out.extend_from_slice(h.as_bytes());
            }
            if self.port >= 0 {
                out.extend_from_slice(format!(":{}", self.port).as_bytes());
            }
            if let Some(p) = &self.path {
                if !p.as_bytes().is_empty() && p.as_bytes()[0] != b'/' {
                    return None;
                }
            }
        }
        if let Some(p) = &self.path {
            out.extend_from_slice(p.as_bytes());
        }
        if let Some(q) = &self.query {
            out.push(b'?');
            out.extend_from_slice(q.as_bytes());
        }
        if let Some(f) = &self.fragment {
            out.push(b'#');
            out.extend_from_slice(f.as_bytes());
        }
        Some(out)
    }

    // Setters: None clears the part; a value its production refuses is an error (Err) and
    // leaves the URI unchanged.

    pub fn set_scheme(&mut self, v: Option<&[u8]>) -> Result<(), ()> {
        if v.is_some_and(|s| !scheme_ok(s)) {
            return Err(());
        }
        self.scheme = v.map(cstr);
        Ok(())
    }

    pub fn set_userinfo(&mut self, v: Option<&[u8]>) -> Result<(), ()> {
        if v.is_some_and(|s| !userinfo_ok(s)) {
            return Err(());
        }
        self.userinfo = v.map(cstr);
        Ok(())
    }

    pub fn set_host(&mut self, v: Option<&[u8]>) -> Result<(), ()> {
        if let Some(h) = v {
            let ok = if h.first() == Some(&b'[') {
                bracket_addr_ok(h)
            } else if self.flags & HOST_STRIP_BRACKETS != 0 && h.contains(&b':') {
                bracket_addr_ok(&[b"[", h, b"]"].concat())
            } else {
                regname_ok(h)
            };
            if !ok {
                return Err(());
            }
        }
        self.host = v.map(cstr);
        Ok(())
    }

    /// evhttp_uri_set_unixsocket: any path without NUL or ':' (which would end it).
    pub fn set_unixsocket(&mut self, v: Option<&[u8]>) -> Result<(), ()> {
        if v.is_some_and(|s| s.is_empty() || s.contains(&b':')) {
            return Err(());
        }
        self.unixsocket = v.map(cstr);
        Ok(())
    }

    pub fn set_port(&mut self, port: i32) -> Result<(), ()> {
        if port < -1 {
            return Err(());
        }
        self.port = port;
        Ok(())
    }

    fn part_ok(&self, v: Option<&[u8]>, part: Part) -> bool {
        v.is_none_or(|s| end_of_part(s, part, self.flags) == s.len())
    }

    pub fn set_path(&mut self, v: Option<&[u8]>) -> Result<(), ()> {
        if !self.part_ok(v, Part::Path) {
            return Err(());
        }
        self.path = v.map(cstr);
        Ok(())
    }

    pub fn set_query(&mut self, v: Option<&[u8]>) -> Result<(), ()> {
        if !self.part_ok(v, Part::Query) {
            return Err(());
        }
        self.query = v.map(cstr);
        Ok(())
    }

    pub fn set_fragment(&mut self, v: Option<&[u8]>) -> Result<(), ()> {
        if !self.part_ok(v, Part::Fragment) {
            return Err(());
        }
        self.fragment = v.map(cstr);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(c: &Option<CString>) -> Option<&str> {
        c.as_ref().map(|x| x.to_str().unwrap())
    }

    #[test]
    fn full_uri() {
        let u = Uri::parse(b"http://user:pw@www.example.com:8080/a/b?x=1&y#frag", 0).unwrap();
        assert_eq!(s(&u.scheme), Some("http"));
        assert_eq!(s(&u.userinfo), Some("user:pw"));
        assert_eq!(s(&u.host), Some("www.example.com"));
        assert_eq!(u.port, 8080);
        assert_eq!(s(&u.path), Some("/a/b"));
        assert_eq!(s(&u.query), Some("x=1&y"));
        assert_eq!(s(&u.fragment), Some("frag"));
        assert_eq!(u.join().unwrap(), b"http://user:pw@www.example.com:8080/a/b?x=1&y#frag");
    }

    #[test]
    fn odd_ones() {
        assert!(
            Uri::parse(b"http://[::1]:80/", 0).is_some_and(|u| u.host.unwrap().as_bytes() == b"[::1]" && u.port == 80)
        );
        assert!(Uri::parse(b"http://[::1/", 0).is_none());
        assert!(Uri::parse(b"http://[v7.x]/", 0).is_some());
        assert!(Uri::parse(b"http://host:99999/", 0).is_none());
        assert_eq!(Uri::parse(b"http://host:/", 0).unwrap().port, -1);
        assert!(Uri::parse(b"//x/y", 0).is_some());
        assert_eq!(Uri::parse(b"", 0).unwrap().path.unwrap().as_bytes(), b"");
        assert!(Uri::parse(b"a:b:c", 0).is_some());
        assert!(Uri::parse(b"1a:b", 0).is_none());
        assert!(Uri::parse(b"/a b", 0).is_none());
        assert!(Uri::parse(b"/a b", NONCONFORMANT).is_some());
        assert!(Uri::parse(b"/a?b#c#d", 0).is_none());
        assert!(Uri::parse(b"/a?b#c#d", NONCONFORMANT).is_some_and(|u| u.fragment.unwrap().as_bytes() == b"c#d"));
        assert!(Uri::parse(b"http://%4", 0).is_none());
        assert!(Uri::parse(b"http://x%41/", 0).is_some());
    }

    #[test]
    fn unix_and_brackets() {
        let u = Uri::parse(b"http://unix:/tmp/s.sock:/a/b?x=1", UNIX_SOCKET).unwrap();
        assert_eq!(s(&u.unixsocket), Some("/tmp/s.sock"));
        assert_eq!(u.host, None);
        assert_eq!(s(&u.path), Some("/a/b"));
        assert_eq!(s(&u.query), Some("x=1"));
        assert_eq!(u.join().unwrap(), b"http://unix:/tmp/s.sock:/a/b?x=1");
        assert!(Uri::parse(b"http://unix:/tmp/s.sock", UNIX_SOCKET).is_none());
        assert_eq!(s(&Uri::parse(b"http://unix:/tmp/s.sock:/", 0).unwrap().host), Some("unix"));
        let v = Uri::parse(b"http://[::1]:8080/", HOST_STRIP_BRACKETS).unwrap();
        assert_eq!(s(&v.host), Some("::1"));
        assert_eq!(v.join().unwrap(), b"http://[::1]:8080/");
    }

    #[test]
    fn setters() {
        let mut u = Uri::new();
        assert!(u.set_scheme(Some(b"1x")).is_err());
        assert!(u.set_host(Some(b"a b")).is_err());
        assert!(u.set_host(Some(b"[::1]")).is_ok());
        assert!(u.set_port(-2).is_err());
        assert!(u.set_path(Some(b"nope")).is_ok());
        assert!(u.join().is_none());
        assert!(u.set_path(Some(b"/x y")).is_err());
        assert!(u.set_query(Some(b"a?b")).is_ok());
        assert!(u.set_fragment(Some(b"a#b")).is_err());
    }
}
