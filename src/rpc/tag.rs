//! evtag: tagged fields in evbuffers, byte for byte as libevent writes and reads them.
//!
//! A field is `tag`, `length`, `payload`. The tag is a little-endian base-128 number (7 bits a
//! byte, high bit = more follows; at most 5 bytes and 32 bits). Integers, lengths included,
//! are written by nibbles: the high nibble of the first byte holds the count of nibbles
//! minus one, then come the nibbles, least significant first, low half of a byte before its
//! high half (0x1234 is `34 32 10`). A timeval is two such integers, seconds and
//! microseconds, each cut to 32 bits.
//!
//! The decoders work on the first bytes of a buffer (`WINDOW` of them cover every header
//! and integer) and say how many bytes the reader consumes, which is not always all it read:
//! like libevent, a reader that fails after a good tag has consumed the tag (and the length
//! once read), and a timeval reader consumes its whole field whatever it finds inside.
use super::ffi::{self, evbuffer};
use crate::core::mem;
use libc::{c_char, c_int, c_void, timeval};

/// Bytes enough for any header (5 + 5) followed by two integers (5 + 5).
pub const WINDOW: usize = 20;
/// Nibbles in the largest 32-bit and 64-bit integers.
pub const NIBBLES_32: usize = 8;
pub const NIBBLES_64: usize = 16;

/// A few encoded bytes: a header, an integer, or a whole small field.
#[derive(Default)]
pub struct Encoded {
    bytes: [u8; 32],
    len: usize,
}

impl Encoded {
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Appends `n` in the nibble format (1 to 9 bytes).
    pub fn int(mut self, n: u64) -> Self {
        let out = &mut self.bytes[self.len..];
        out[..9].fill(0);
        // Nibble k (k >= 1, least significant first) lives in byte k / 2: the low half when
        // k is odd, the high half when it is even. Nibble 0 is the count.
        let mut k = 1;
        let mut v = n;
        while v != 0 {
            let nibble = (v & 0xf) as u8;
            out[k / 2] |= if k % 2 == 1 { nibble } else { nibble << 4 };
            v >>= 4;
            k += 1;
        }
        let count = k.saturating_sub(2) as u8;
        out[0] |= count << 4;
        self.len += k.div_ceil(2);
        self
    }

    /// Appends `tag` in base 128 (1 to 5 bytes).
    pub fn tag(mut self, tag: u32) -> Self {
        let mut t = tag;
        loop {
            let mut byte = (t & 0x7f) as u8;
            t >>= 7;
            if t != 0 {
                byte |= 0x80;
            }
            self.bytes[self.len] = byte;
            self.len += 1;
            if t == 0 {
                return self;
            }
        }
    }

    /// A field header: the tag, then the payload's length.
    pub fn header(tag: u32, len: u32) -> Self {
        Self::default().tag(tag).int(len as u64)
    }

    /// A whole field whose payload is an encoded integer (or two, for a timeval).
    pub fn field(tag: u32, payload: Encoded) -> Self {
        let mut e = Self::header(tag, payload.len as u32);
        e.bytes[e.len..e.len + payload.len].copy_from_slice(payload.as_slice());
        e.len += payload.len;
        e
    }
}

/// The tag at the start of `b` and its size; None when it is cut short or over 32 bits.
pub fn decode_tag(b: &[u8]) -> Option<(u32, usize)> {
    let mut tag = 0u32;
    for (i, &byte) in b.iter().take(5).enumerate() {
        let bits = (byte & 0x7f) as u32;
        if i == 4 && bits > 0xf {
            return None;
        }
        tag |= bits << (7 * i);
        if byte & 0x80 == 0 {
            return Some((tag, i + 1));
        }
    }
    None
}

/// The integer of at most `max_nibbles` nibbles at the start of `b` and its size.
pub fn decode_int(b: &[u8], max_nibbles: usize) -> Option<(u64, usize)> {
    let nibbles = (*b.first()? >> 4) as usize + 1;
    let size = nibbles / 2 + 1;
    if nibbles > max_nibbles || size > b.len() {
        return None;
    }
    let value = (1..=nibbles).rev().fold(0u64, |v, k| {
        let byte = b[k / 2];
        v << 4 | (if k % 2 == 1 { byte & 0xf } else { byte >> 4 }) as u64
    });
    Some((value, size))
}

/// A field's header as read from the front of a buffer.
#[derive(Debug, PartialEq)]
pub struct Header {
    pub tag: u32,
    pub len: u32,
    /// bytes of the tag and the length
    pub size: usize,
}

/// The header at the start of `w`, the first bytes of a buffer of `total` bytes, whose
/// payload must be all there. On failure, the bytes libevent has consumed by then: the tag
/// once it is read, and the length too once that is read.
pub fn header(w: &[u8], total: usize) -> Result<Header, usize> {
    let (tag, t) = decode_tag(w).ok_or(0usize)?;
    let (len, l) = decode_int(&w[t..], NIBBLES_32).ok_or(t)?;
    if ((total - t - l) as u64) < len || len > i32::MAX as u64 {
        return Err(t + l);
    }
    Ok(Header { tag, len: len as u32, size: t + l })
}

/// What a reader of a whole field does: its result and the bytes it consumes.
#[derive(Debug, PartialEq)]
pub struct Read<T> {
    pub value: Option<T>,
    pub consumed: usize,
}

impl<T> Read<T> {
    fn fail(consumed: usize) -> Self {
        Read { value: None, consumed }
    }
}

/// evtag_unmarshal_int(64): checks the tag before reading the length; the integer may run
/// past its payload only as far as libevent lets it (its size must not exceed the length).
/// The value comes with its encoded size, which is what libevent returns.
pub fn read_int(w: &[u8], total: usize, need_tag: u32, max_nibbles: usize) -> Read<(u64, usize)> {
    let Some((tag, t)) = decode_tag(w) else { return Read::fail(0) };
    if tag != need_tag {
        return Read::fail(t);
    }
    let Some((len, l)) = decode_int(&w[t..], NIBBLES_32) else { return Read::fail(t) };
    let len = len as usize;
    if total - t - l < len {
        return Read::fail(t + l);
    }
    let consumed = t + l + len;
    match decode_int(&w[t + l..], max_nibbles) {
        Some((v, size)) if size <= len => Read { value: Some((v, size)), consumed },
        _ => Read::fail(consumed),
    }
}

/// evtag_unmarshal_timeval: a whole field is consumed once its header is read, good or not.
pub fn read_timeval(w: &[u8], total: usize, need_tag: u32) -> Read<(u32, u32)> {
    let h = match header(w, total) {
        Ok(h) => h,
        Err(consumed) => return Read::fail(consumed),
    };
    let consumed = h.size + h.len as usize;
    let p = &w[h.size..];
    let value = (h.tag == need_tag)
        .then(|| decode_int(p, NIBBLES_32))
        .flatten()
        .and_then(|(sec, a)| decode_int(&p[a..], NIBBLES_32).map(|(usec, b)| (sec, usec, a + b)))
        .filter(|&(_, _, size)| size <= h.len as usize)
        .map(|(sec, usec, _)| (sec as u32, usec as u32));
    Read { value, consumed }
}

// ---- on evbuffers

/// The first bytes of `buf` (up to WINDOW) and its whole length.
unsafe fn window(buf: *mut evbuffer) -> ([u8; WINDOW], usize, usize) {
    let mut w = [0u8; WINDOW];
    let n = ffi::evbuffer_copyout(buf, w.as_mut_ptr() as *mut c_void, WINDOW).max(0) as usize;
    (w, n, ffi::evbuffer_get_length(buf))
}

unsafe fn add(buf: *mut evbuffer, bytes: &[u8]) {
    ffi::evbuffer_add(buf, bytes.as_ptr() as *const c_void, bytes.len());
}

/// Appends the bytes of `e` to `buf`.
///
/// # Safety
/// `buf` is a live evbuffer.
pub unsafe fn put(buf: *mut evbuffer, e: Encoded) {
    add(buf, e.as_slice())
}

/// evtag_marshal: a header and `data`.
///
/// # Safety
/// `buf` is a live evbuffer; `data` holds `len` readable bytes.
pub unsafe fn marshal(buf: *mut evbuffer, tag: u32, data: *const u8, len: u32) {
    put(buf, Encoded::header(tag, len));
    if len > 0 {
        ffi::evbuffer_add(buf, data as *const c_void, len as usize);
    }
}

/// evtag_marshal_buffer: moves all of `data` into `buf` as one field.
///
/// # Safety
/// Both are live evbuffers.
pub unsafe fn marshal_buffer(buf: *mut evbuffer, tag: u32, data: *mut evbuffer) {
    put(buf, Encoded::header(tag, ffi::evbuffer_get_length(data) as u32));
    ffi::evbuffer_add_buffer(buf, data);
}

/// evtag_marshal_timeval: seconds and microseconds, each cut to 32 bits.
///
/// # Safety
/// `buf` is a live evbuffer.
pub unsafe fn marshal_timeval(buf: *mut evbuffer, tag: u32, tv: &timeval) {
    let payload = Encoded::default().int(tv.tv_sec as u32 as u64).int(tv.tv_usec as u32 as u64);
    put(buf, Encoded::field(tag, payload))
}

/// evtag_peek: the tag and its size, nothing consumed.
///
/// # Safety
/// `buf` is a live evbuffer.
pub unsafe fn peek(buf: *mut evbuffer) -> Option<(u32, usize)> {
    let (w, n, _) = window(buf);
    decode_tag(&w[..n])
}

/// The tag's size, the length's size and the length, nothing consumed (the payload need not
/// be there yet).
///
/// # Safety
/// `buf` is a live evbuffer.
pub unsafe fn peek_lengths(buf: *mut evbuffer) -> Option<(usize, usize, u32)> {
    let (w, n, _) = window(buf);
    let (_, t) = decode_tag(&w[..n])?;
    let (len, l) = decode_int(&w[t..n], NIBBLES_32)?;
    Some((t, l, len as u32))
}

/// evtag_unmarshal_header: consumes the header. Its tag once read (libevent hands it out even
/// when the rest fails), and the payload's length when the whole field is there.
///
/// # Safety
/// `buf` is a live evbuffer.
pub unsafe fn unmarshal_header(buf: *mut evbuffer) -> (Option<u32>, Option<u32>) {
    let (w, n, total) = window(buf);
    match header(&w[..n], total) {
        Ok(h) => {
            ffi::evbuffer_drain(buf, h.size);
            (Some(h.tag), Some(h.len))
        }
        Err(consumed) => {
            ffi::evbuffer_drain(buf, consumed);
            (decode_tag(&w[..n]).map(|(tag, _)| tag), None)
        }
    }
}

/// Consumes a header that must carry `need_tag`: the payload's length.
unsafe fn header_with_tag(buf: *mut evbuffer, need_tag: u32) -> Option<u32> {
    match unmarshal_header(buf) {
        (Some(tag), len) if tag == need_tag => len,
        _ => None,
    }
}

/// evtag_unmarshal: moves the next field's payload to `dst`. Its tag as for
/// unmarshal_header, and its length.
///
/// # Safety
/// Both are live evbuffers.
pub unsafe fn unmarshal(src: *mut evbuffer, dst: *mut evbuffer) -> (Option<u32>, Option<u32>) {
    match unmarshal_header(src) {
        (tag, Some(len)) if ffi::evbuffer_remove_buffer(src, dst, len as usize) != len as c_int => (tag, None),
        r => r,
    }
}

/// evtag_consume: drops the next field.
///
/// # Safety
/// `buf` is a live evbuffer.
pub unsafe fn consume(buf: *mut evbuffer) -> bool {
    unmarshal_header(buf).1.map(|len| ffi::evbuffer_drain(buf, len as usize)).is_some()
}

/// evtag_unmarshal_int and _int64: the value and its encoded size.
///
/// # Safety
/// `buf` is a live evbuffer.
pub unsafe fn unmarshal_int(buf: *mut evbuffer, need_tag: u32, max_nibbles: usize) -> Option<(u64, usize)> {
    let (w, n, total) = window(buf);
    let r = read_int(&w[..n], total, need_tag, max_nibbles);
    ffi::evbuffer_drain(buf, r.consumed);
    r.value
}

/// evtag_unmarshal_timeval.
///
/// # Safety
/// `buf` is a live evbuffer.
pub unsafe fn unmarshal_timeval(buf: *mut evbuffer, need_tag: u32) -> Option<timeval> {
    let (w, n, total) = window(buf);
    let r = read_timeval(&w[..n], total, need_tag);
    ffi::evbuffer_drain(buf, r.consumed);
    r.value.map(|(sec, usec)| timeval { tv_sec: sec as _, tv_usec: usec as _ })
}

/// evtag_unmarshal_fixed: a payload of exactly `out.len()` bytes, copied out.
///
/// # Safety
/// `buf` is a live evbuffer.
pub unsafe fn unmarshal_fixed(buf: *mut evbuffer, need_tag: u32, out: &mut [u8]) -> bool {
    match header_with_tag(buf, need_tag) {
        Some(len) if len as usize == out.len() => {
            ffi::evbuffer_remove(buf, out.as_mut_ptr() as *mut c_void, out.len());
            true
        }
        _ => false,
    }
}

/// evtag_unmarshal_string: the payload as a NUL-terminated string the program frees (with
/// the allocator of event_set_mem_functions); NULL when the field is bad or memory is short.
///
/// # Safety
/// `buf` is a live evbuffer.
pub unsafe fn unmarshal_string(buf: *mut evbuffer, need_tag: u32) -> *mut c_char {
    let Some(len) = header_with_tag(buf, need_tag) else { return std::ptr::null_mut() };
    let len = len as usize;
    let s = mem::malloc(len + 1) as *mut c_char;
    if !s.is_null() {
        ffi::evbuffer_remove(buf, s as *mut c_void, len);
        *s.add(len) = 0;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Rng;

    /// Mostly small numbers, with every bit width represented.
    fn number(rng: &mut Rng) -> u64 {
        let bits = rng.below(65);
        if bits == 64 {
            rng.next()
        } else {
            rng.next() & ((1u64 << bits) - 1)
        }
    }

    fn int(n: u64) -> Vec<u8> {
        Encoded::default().int(n).as_slice().to_vec()
    }

    fn tag(t: u32) -> Vec<u8> {
        Encoded::default().tag(t).as_slice().to_vec()
    }

    #[test]
    fn integers_as_libevent_writes_them() {
        // Taken from the system's libevent (c-tests/tag_basic prints them).
        let cases: &[(u64, &[u8])] = &[
            (0, &[0x00]),
            (0xf, &[0x0f]),
            (0x10, &[0x10, 0x10]),
            (0xff, &[0x1f, 0xf0]),
            (0x100, &[0x20, 0x01]),
            (0x1234, &[0x34, 0x32, 0x10]),
            (0x12345678, &[0x78, 0x76, 0x54, 0x32, 0x10]),
            (0x80000000, &[0x70, 0x00, 0x00, 0x00, 0x80]),
            (0xfedcba987, &[0x87, 0x89, 0xab, 0xcd, 0xef]),
            (u64::MAX, &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0]),
        ];
        for &(n, bytes) in cases {
            assert_eq!(int(n), bytes, "{n:#x}");
            assert_eq!(decode_int(bytes, NIBBLES_64), Some((n, bytes.len())));
        }
        assert_eq!(tag(0x7f), [0x7f]);
        assert_eq!(tag(0x80), [0x80, 0x01]);
        assert_eq!(tag(u32::MAX), [0xff, 0xff, 0xff, 0xff, 0x0f]);
        let tv = Encoded::field(2, Encoded::default().int(1700000000).int(999999));
        assert_eq!(tv.as_slice(), [0x02, 0x08, 0x70, 0x01, 0xf3, 0x55, 0x60, 0x4f, 0x32, 0x4f]);
    }

    #[test]
    fn random_round_trips() {
        let mut rng = Rng(0x9e3779b97f4a7c15);
        for _ in 0..100_000 {
            let n = number(&mut rng);
            let mut bytes = int(n);
            let size = bytes.len();
            bytes.extend_from_slice(&[0xff, 0x00]);
            assert_eq!(decode_int(&bytes, NIBBLES_64), Some((n, size)));
            let fits = n <= u32::MAX as u64;
            assert_eq!(decode_int(&bytes, NIBBLES_32).is_some(), fits, "{n:#x}");

            let t = number(&mut rng) as u32;
            let mut bytes = tag(t);
            let size = bytes.len();
            bytes.push(0x80);
            assert_eq!(decode_tag(&bytes), Some((t, size)));
        }
    }

    #[test]
    fn truncated_encodings_are_refused() {
        let mut rng = Rng(42);
        for _ in 0..10_000 {
            let n = number(&mut rng);
            let bytes = int(n);
            for cut in 0..bytes.len() {
                assert_eq!(decode_int(&bytes[..cut], NIBBLES_64), None);
            }
            let t = tag(number(&mut rng) as u32);
            for cut in 0..t.len() {
                assert_eq!(decode_tag(&t[..cut]), None);
            }
        }
    }

    #[test]
    fn tags_over_32_bits_are_refused() {
        assert_eq!(decode_tag(&[0xff, 0xff, 0xff, 0xff, 0x10]), None);
        assert_eq!(decode_tag(&[0x80, 0x80, 0x80, 0x80, 0x8f, 0x00]), None);
        assert_eq!(decode_tag(&[0x80, 0x80, 0x80, 0x80, 0x0f]), Some((0xf000_0000, 5)));
    }

    #[test]
    fn fields_and_what_a_failed_read_consumes() {
        let field = Encoded::field(0x81, Encoded::default().int(0x1234));
        let f = field.as_slice();
        assert_eq!(f, [0x81, 0x01, 0x03, 0x34, 0x32, 0x10]);
        assert_eq!(header(f, f.len()), Ok(Header { tag: 0x81, len: 3, size: 3 }));
        assert_eq!(read_int(f, f.len(), 0x81, NIBBLES_32), Read { value: Some((0x1234, 3)), consumed: 6 });
        // The wrong tag: only the tag is consumed.
        assert_eq!(read_int(f, f.len(), 0x82, NIBBLES_32), Read::fail(2));
        // Every prefix fails, having consumed the tag (and length) once read.
        for cut in 0..f.len() {
            let want = match cut {
                0 | 1 => 0,
                2 => 2,
                _ => 3,
            };
            assert_eq!(header(&f[..cut], cut), Err(want), "cut {cut}");
            assert_eq!(read_int(&f[..cut], cut, 0x81, NIBBLES_32), Read::fail(want), "cut {cut}");
        }
        // An integer longer than its payload: the payload is consumed, the read fails.
        let bad = [0x01, 0x01, 0x30, 0x00, 0x00];
        assert_eq!(read_int(&bad, bad.len(), 1, NIBBLES_32), Read::fail(3));
        // A 64-bit integer in a 32-bit read.
        let big = Encoded::field(1, Encoded::default().int(1 << 32));
        let b = big.as_slice();
        assert_eq!(read_int(b, b.len(), 1, NIBBLES_32), Read::fail(b.len()));
        assert_eq!(read_int(b, b.len(), 1, NIBBLES_64).value, Some((1 << 32, 5)));
    }

    #[test]
    fn timevals() {
        let f = Encoded::field(4, Encoded::default().int(5).int(6));
        let s = f.as_slice();
        assert_eq!(read_timeval(s, s.len(), 4), Read { value: Some((5, 6)), consumed: 4 });
        // The wrong tag still consumes the field.
        assert_eq!(read_timeval(s, s.len(), 3), Read::fail(4));
        // Microseconds missing from the payload.
        let short = [0x04, 0x01, 0x05, 0x06];
        assert_eq!(read_timeval(&short, short.len(), 4), Read::fail(3));
        for cut in 0..s.len() {
            assert_eq!(read_timeval(&s[..cut], cut, 4).value, None);
        }
    }

    #[test]
    fn random_fields_read_back_or_fail_within_bounds() {
        let mut rng = Rng(7);
        for _ in 0..20_000 {
            let len = rng.below(12);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let h = header(&bytes, bytes.len());
            match h {
                Ok(h) => assert!(h.size + h.len as usize <= bytes.len()),
                Err(c) => assert!(c <= bytes.len()),
            }
            let r = read_int(&bytes, bytes.len(), bytes.first().map_or(0, |b| (b & 0x7f) as u32), NIBBLES_64);
            assert!(r.consumed <= bytes.len());
            assert!(read_timeval(&bytes, bytes.len(), 1).consumed <= bytes.len());
        }
    }
}
