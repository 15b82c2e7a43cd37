//! The WebSocket wire (RFC 6455) as pure functions: the handshake's key and accept values
//! (SHA-1 and base64, written here), frame headers, masking, and the close codes a peer may
//! send. No I/O: src/ws/conn.rs drives them over a bufferevent.

/// The GUID RFC 6455 appends to the client's key before hashing.
const GUID: &[u8] = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

pub const OP_CONT: u8 = 0x0;
pub const OP_TEXT: u8 = 0x1;
pub const OP_BINARY: u8 = 0x2;
pub const OP_CLOSE: u8 = 0x8;
pub const OP_PING: u8 = 0x9;
pub const OP_PONG: u8 = 0xA;

pub const CR_NORMAL: u16 = 1000;
pub const CR_PROTO_ERR: u16 = 1002;
pub const CR_NO_STATUS: u16 = 1005;
pub const CR_ABNORMAL: u16 = 1006;
pub const CR_BAD_DATA: u16 = 1007;
pub const CR_DATA_TOO_BIG: u16 = 1009;

/// The largest message accepted, as libevent 2.2: 10 MiB.
pub const MAX_MESSAGE: u64 = 10 * 1024 * 1024;

/// SHA-1 (FIPS 180-4) of `data`. Used only for the handshake, where RFC 6455 prescribes it.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i / 20 {
                0 => ((b & c) | (!b & d), 0x5A827999),
                1 => (b ^ c ^ d, 0x6ED9EBA1),
                2 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The number of bytes a base64 text decodes to, when it is well formed.
pub fn base64_decoded_len(s: &[u8]) -> Option<usize> {
    if s.is_empty() || !s.len().is_multiple_of(4) {
        return None;
    }
    let pad = s.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 || !s[..s.len() - pad].iter().all(|c| B64.contains(c)) {
        return None;
    }
    Some(s.len() / 4 * 3 - pad)
}

/// Sec-WebSocket-Accept for a Sec-WebSocket-Key.
pub fn accept_for(key: &[u8]) -> String {
    let mut v = key.to_vec();
    v.extend_from_slice(GUID);
    base64(&sha1(&v))
}

/// Whether a comma-separated header value holds `token` (ASCII case-insensitive).
pub fn has_token(value: &[u8], token: &[u8]) -> bool {
    value.split(|&c| c == b',').any(|t| t.trim_ascii().eq_ignore_ascii_case(token))
}

/// A frame's head, as read off the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub fin: bool,
    /// RSV1..3 as the low three bits
    pub rsv: u8,
    pub opcode: u8,
    pub mask: Option<[u8; 4]>,
    pub len: u64,
    /// bytes the head takes on the wire
    pub size: usize,
}

/// Why a head cannot be read.
#[derive(Debug, PartialEq, Eq)]
pub enum HeadError {
    /// more bytes needed: at least this many in all
    Short(usize),
    /// a length with its top bit set (RFC 6455 5.2)
    BadLength,
}

/// Reads a frame head from the start of `b`.
pub fn parse_head(b: &[u8]) -> Result<Head, HeadError> {
    if b.len() < 2 {
        return Err(HeadError::Short(2));
    }
    let masked = b[1] & 0x80 != 0;
    let short = (b[1] & 0x7f) as u64;
    let ext = match short {
        126 => 2,
        127 => 8,
        _ => 0,
    };
    let size = 2 + ext + if masked { 4 } else { 0 };
    if b.len() < size {
        return Err(HeadError::Short(size));
    }
    let len = match ext {
        2 => u16::from_be_bytes([b[2], b[3]]) as u64,
        8 => {
            let mut x = [0u8; 8];
            x.copy_from_slice(&b[2..10]);
            u64::from_be_bytes(x)
        }
        _ => short,
    };
    if len >> 63 != 0 {
        return Err(HeadError::BadLength);
    }
    let mask = masked.then(|| {
        let m = &b[2 + ext..2 + ext + 4];
        [m[0], m[1], m[2], m[3]]
    });
    Ok(Head { fin: b[0] & 0x80 != 0, rsv: (b[0] >> 4) & 7, opcode: b[0] & 0x0f, mask, len, size })
}

/// The head of a final frame of `len` bytes, masked with `mask` when given.
pub fn encode_head(opcode: u8, len: usize, mask: Option<[u8; 4]>) -> Vec<u8> {
    let mut h = Vec::with_capacity(14);
    h.push(0x80 | opcode);
    let m = if mask.is_some() { 0x80 } else { 0 };
    if len < 126 {
        h.push(m | len as u8);
    } else if len <= 0xffff {
        h.push(m | 126);
        h.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        h.push(m | 127);
        h.extend_from_slice(&(len as u64).to_be_bytes());
    }
    if let Some(k) = mask {
        h.extend_from_slice(&k);
    }
    h
}

/// XORs `data` with the mask, starting at byte `offset` of the frame's payload.
pub fn apply_mask(data: &mut [u8], mask: [u8; 4], offset: u64) {
    let start = (offset % 4) as usize;
    let mut k = [0u8; 4];
    for (i, x) in k.iter_mut().enumerate() {
        *x = mask[(start + i) % 4];
    }
    let word = u32::from_ne_bytes(k);
    let mut chunks = data.chunks_exact_mut(4);
    for c in &mut chunks {
        let v = u32::from_ne_bytes([c[0], c[1], c[2], c[3]]) ^ word;
        c.copy_from_slice(&v.to_ne_bytes());
    }
    for (i, b) in chunks.into_remainder().iter_mut().enumerate() {
        *b ^= k[i];
    }
}

/// Whether a peer may put this code in a close frame (RFC 6455 7.4).
pub fn close_code_ok(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1011 | 3000..=4999)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_vectors() {
        let hex = |d: [u8; 20]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(hex(sha1(b"abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(hex(sha1(long)), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    }

    #[test]
    fn rfc_accept_example() {
        assert_eq!(accept_for(b"dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64_decoded_len(b"dGhlIHNhbXBsZSBub25jZQ=="), Some(16));
        assert_eq!(base64_decoded_len(b"dGhl*HNhbXBsZSBub25jZQ=="), None);
    }

    #[test]
    fn heads_round_trip() {
        for len in [0usize, 1, 125, 126, 65535, 65536, 1 << 24] {
            for mask in [None, Some([1, 2, 3, 4])] {
                let h = encode_head(OP_BINARY, len, mask);
                let p = parse_head(&h).unwrap();
                assert_eq!(
                    (p.fin, p.rsv, p.opcode, p.mask, p.len, p.size),
                    (true, 0, OP_BINARY, mask, len as u64, h.len())
                );
                for cut in 0..h.len() {
                    assert!(matches!(parse_head(&h[..cut]), Err(HeadError::Short(n)) if n > cut));
                }
            }
        }
        let mut bad = encode_head(OP_TEXT, 1 << 20, None);
        bad[2] |= 0x80;
        assert_eq!(parse_head(&bad), Err(HeadError::BadLength));
    }

    #[test]
    fn masking_any_offset() {
        let orig: Vec<u8> = (0..37u8).collect();
        let mask = [0x12, 0x34, 0x56, 0x78];
        let mut whole = orig.clone();
        apply_mask(&mut whole, mask, 0);
        for (i, b) in whole.iter().enumerate() {
            assert_eq!(*b, orig[i] ^ mask[i % 4]);
        }
        let mut parts = orig.clone();
        let (a, b) = parts.split_at_mut(7);
        apply_mask(a, mask, 0);
        apply_mask(b, mask, 7);
        assert_eq!(parts, whole);
    }

    #[test]
    fn tokens_and_codes() {
        assert!(has_token(b"keep-alive, Upgrade", b"upgrade"));
        assert!(!has_token(b"keep-alive", b"upgrade"));
        assert!(close_code_ok(1000) && close_code_ok(4999) && close_code_ok(1011));
        assert!(
            !close_code_ok(1005)
                && !close_code_ok(1006)
                && !close_code_ok(999)
                && !close_code_ok(2000)
                && !close_code_ok(5000)
        );
    }
}
