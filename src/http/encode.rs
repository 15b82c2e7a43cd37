//! %-encoding and decoding, query strings and HTML escaping (evhttp_uriencode and friends).
use super::headers::{self, EvKeyValQ};
use super::is_unreserved;
use super::uri::Uri;

/// evhttp_uriencode: every byte but the RFC 3986 unreserved ones becomes %XX (upper-case hex);
/// a space becomes '+' when `space_to_plus`.
pub fn uriencode(s: &[u8], space_to_plus: bool) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        if is_unreserved(c) {
            out.push(c);
        } else if space_to_plus && c == b' ' {
            out.push(b'+');
        } else {
            out.extend_from_slice(&[b'%', HEX[(c >> 4) as usize], HEX[(c & 15) as usize]]);
        }
    }
    out
}

/// When '+' turns into a space while decoding.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Plus {
    /// never (evhttp_uridecode with decode_plus 0)
    Keep,
    /// always (query values, evhttp_uridecode with decode_plus 1)
    Space,
    /// only after the first '?' (evhttp_decode_uri, kept for compatibility)
    AfterQuestionMark,
}

fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

/// Decodes %XX escapes (two hex digits; a '%' not followed by them stays as it is) and '+'
/// as `plus` says.
pub fn decode(s: &[u8], plus: Plus) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut plus_is_space = plus == Plus::Space;
    let mut i = 0;
    while i < s.len() {
        let mut c = s[i];
        if c == b'?' {
            if plus == Plus::AfterQuestionMark {
                plus_is_space = true;
            }
        } else if c == b'+' && plus_is_space {
            c = b' ';
        } else if c == b'%' && i + 2 < s.len() && s[i + 1].is_ascii_hexdigit() && s[i + 2].is_ascii_hexdigit() {
            c = (hex(s[i + 1]) << 4) | hex(s[i + 2]);
            i += 2;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// evhttp_htmlescape: & < > " ' become entities.
pub fn htmlescape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        match c {
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\'' => out.extend_from_slice(b"&#039;"),
            b'&' => out.extend_from_slice(b"&amp;"),
            _ => out.push(c),
        }
    }
    out
}

/// Splits a query string into (key, decoded value) pairs: "k=v" items joined by '&'. Keys stay
/// encoded, as libevent leaves them. An item without '=' or with an empty key makes the whole
/// query invalid (None). An empty query gives no pairs.
pub fn split_query(q: &[u8]) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut out = Vec::new();
    if q.is_empty() {
        return Some(out);
    }
    let mut rest = q;
    loop {
        let (item, next) = match rest.iter().position(|&c| c == b'&') {
            Some(p) => (&rest[..p], Some(&rest[p + 1..])),
            None => (rest, None),
        };
        let eq = item.iter().position(|&c| c == b'=')?;
        let (k, v) = (&item[..eq], &item[eq + 1..]);
        if k.is_empty() {
            return None;
        }
        out.push((k.to_vec(), decode(v, Plus::Space)));
        match next {
            // A trailing '&' ends the query.
            Some(n) if !n.is_empty() => rest = n,
            _ => break,
        }
    }
    Some(out)
}

/// evhttp_parse_query_str / evhttp_parse_query: (re)initialises `h` and fills it; on error it
/// is left empty and -1 returned. With `whole_uri` the query is taken from a parsed URI.
///
/// # Safety
/// `h` points to writable memory for a list head (its previous content is not released, as
/// in libevent).
pub unsafe fn parse_query_into(s: &[u8], h: *mut EvKeyValQ, whole_uri: bool) -> i32 {
    headers::init(h);
    let owned_uri;
    let query: &[u8] = if whole_uri {
        match Uri::parse(s, 0) {
            Some(u) => {
                owned_uri = u;
                owned_uri.query.as_deref().map_or(b"", |q| q.to_bytes())
            }
            None => return -1,
        }
    } else {
        s
    };
    let Some(pairs) = split_query(query) else { return -1 };
    for (k, v) in pairs {
        // Keys and values go in unchecked, as libevent's internal add does.
        if headers::add_unchecked(h, &k, &v) != 0 {
            headers::clear(h);
            return -1;
        }
    }
    0
}

/// EVHTTP_URI_QUERY_NONCONFORMANT: a key without '=' has an empty value; empty keys (and
/// "&&") are skipped rather than refused.
pub const QUERY_NONCONFORMANT: u32 = 0x01;
/// EVHTTP_URI_QUERY_LAST_VAL: a key given again replaces its earlier value.
pub const QUERY_LAST_VAL: u32 = 0x02;

/// evhttp_parse_query_str_flags: a query string (no '?') into `h`, values decoded ('+' is a
/// space); -1 (and an empty list) when it is malformed.
///
/// # Safety
/// `h` is writable memory for a list head.
pub unsafe fn parse_query_flags(q: &[u8], h: *mut EvKeyValQ, flags: u32) -> i32 {
    if flags & (QUERY_NONCONFORMANT | QUERY_LAST_VAL) == 0 {
        return parse_query_into(q, h, false);
    }
    headers::init(h);
    let items: Vec<&[u8]> = q.split(|&c| c == b'&').collect();
    for (i, &item) in items.iter().enumerate() {
        if item.is_empty() && i + 1 == items.len() {
            // A trailing '&' ends the query, as without flags.
            break;
        }
        let (k, v) = match item.iter().position(|&c| c == b'=') {
            Some(eq) => (&item[..eq], &item[eq + 1..]),
            None if flags & QUERY_NONCONFORMANT != 0 => (item, &b""[..]),
            None => {
                headers::clear(h);
                return -1;
            }
        };
        if k.is_empty() {
            if flags & QUERY_NONCONFORMANT != 0 {
                continue;
            }
            headers::clear(h);
            return -1;
        }
        if flags & QUERY_LAST_VAL != 0 {
            while headers::remove(h, k) == 0 {}
        }
        if headers::add_unchecked(h, k, &decode(v, Plus::Space)) != 0 {
            headers::clear(h);
            return -1;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode() {
        assert_eq!(uriencode(b"a b&c~", false), b"a%20b%26c~");
        assert_eq!(uriencode(b"a b", true), b"a+b");
        assert_eq!(uriencode(b"\0\xff", false), b"%00%FF");
        assert_eq!(decode(b"a+b%20c%zz%4", Plus::Keep), b"a+b c%zz%4");
        assert_eq!(decode(b"a+b?c+d", Plus::AfterQuestionMark), b"a+b?c d");
        assert_eq!(decode(b"a+b", Plus::Space), b"a b");
        assert_eq!(decode(b"%41", Plus::Keep), b"A");
        assert_eq!(decode(b"%4", Plus::Keep), b"%4");
        assert_eq!(htmlescape(b"<a href='x'>&\"</a>"), b"&lt;a href=&#039;x&#039;&gt;&amp;&quot;&lt;/a&gt;");
    }

    #[test]
    fn queries() {
        let q = split_query(b"q=test&s=some+thing").unwrap();
        assert_eq!(q, vec![(b"q".to_vec(), b"test".to_vec()), (b"s".to_vec(), b"some thing".to_vec())]);
        assert!(split_query(b"a").is_none());
        assert!(split_query(b"=b").is_none());
        assert!(split_query(b"a=1&&b=2").is_none());
        assert_eq!(split_query(b"a=1&").unwrap().len(), 1);
        assert_eq!(split_query(b"a=").unwrap(), vec![(b"a".to_vec(), b"".to_vec())]);
        assert_eq!(split_query(b"a=b=c").unwrap(), vec![(b"a".to_vec(), b"b=c".to_vec())]);
    }
}
