//! Positions and searching: `evbuffer_ptr_set`, `evbuffer_search(_range)`, `evbuffer_search_eol`
//! and the byte scans under them (memchr/memmem per chain, then the matches that straddle a
//! chain boundary).
//!
//! An `evbuffer_ptr` keeps its offset in `pos`; `internal_.chain` holds a token naming the
//! buffer it belongs to (NULL at the end of the buffer and for "not found", as libevent's chain
//! pointer is). A pointer from another buffer, or one left past the end, finds nothing.
use super::inner::Inner;
use super::EvbufferPtr;
use libc::c_void;

pub const EOL_ANY: i32 = 0;
pub const EOL_CRLF: i32 = 1;
pub const EOL_CRLF_STRICT: i32 = 2;
pub const EOL_LF: i32 = 3;
pub const EOL_NUL: i32 = 4;

pub const PTR_SET: i32 = 0;
pub const PTR_ADD: i32 = 1;

impl Inner {
    fn token(&self) -> *mut c_void {
        self as *const Inner as *mut c_void
    }

    /// A pointer at offset `pos` (0..=total).
    pub fn ptr_at(&self, pos: usize) -> EvbufferPtr {
        if pos >= self.total {
            return EvbufferPtr { pos: pos as isize, chain: std::ptr::null_mut(), pos_in_chain: 0 };
        }
        let (_, o) = self.locate(pos);
        EvbufferPtr { pos: pos as isize, chain: self.token(), pos_in_chain: o }
    }

    /// The offset a pointer names inside this buffer, if it names a byte of it.
    pub fn ptr_offset(&self, p: &EvbufferPtr) -> Option<usize> {
        if p.chain != self.token() || p.pos < 0 || p.pos as usize >= self.total {
            return None;
        }
        Some(p.pos as usize)
    }

    pub fn ptr_set(&self, p: &mut EvbufferPtr, position: usize, how: i32) -> i32 {
        let target = match how {
            PTR_SET => position,
            PTR_ADD => {
                if p.pos < 0 || usize::MAX - position < p.pos as usize {
                    return -1;
                }
                if p.chain.is_null() && position == 0 {
                    return 0;
                }
                if p.chain != self.token() {
                    *p = EvbufferPtr::NOT_FOUND;
                    return -1;
                }
                p.pos as usize + position
            }
            _ => {
                // libevent walks from no chain at all: only a zero move "succeeds".
                if position == 0 {
                    p.chain = std::ptr::null_mut();
                    p.pos_in_chain = 0;
                    return 0;
                }
                *p = EvbufferPtr::NOT_FOUND;
                return -1;
            }
        };
        if target > self.total {
            *p = EvbufferPtr::NOT_FOUND;
            return -1;
        }
        *p = self.ptr_at(target);
        0
    }

    /// First offset >= `from` holding `byte`.
    pub fn find_byte(&self, from: usize, byte: u8) -> Option<usize> {
        let (mut i, mut o) = self.locate(from);
        while i < self.chains.len() {
            let d = &self.chains[i].data()[o..];
            if let Some(k) = memchr(byte, d) {
                return Some(self.chain_offset(i) + o + k);
            }
            i += 1;
            o = 0;
        }
        None
    }

    /// First offset >= `from` holding '\r' or '\n'.
    fn find_cr_or_lf(&self, from: usize) -> Option<usize> {
        let (mut i, mut o) = self.locate(from);
        while i < self.chains.len() {
            let d = &self.chains[i].data()[o..];
            let lf = memchr(b'\n', d);
            let cr = memchr(b'\r', &d[..lf.unwrap_or(d.len())]);
            if let Some(k) = cr.or(lf) {
                return Some(self.chain_offset(i) + o + k);
            }
            i += 1;
            o = 0;
        }
        None
    }

    /// How many bytes from `from` on are '\r' or '\n'.
    fn span_crlf(&self, from: usize) -> usize {
        let (mut i, mut o) = self.locate(from);
        let mut n = 0;
        while i < self.chains.len() {
            let d = &self.chains[i].data()[o..];
            let k = d.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
            n += k;
            if k < d.len() {
                break;
            }
            i += 1;
            o = 0;
        }
        n
    }

    pub fn byte_at(&self, pos: usize) -> u8 {
        let (i, o) = self.locate(pos);
        self.chains[i].data()[o]
    }

    /// Whether `what` occurs at offset `q` (possibly across chains).
    pub fn matches_at(&self, q: usize, what: &[u8]) -> bool {
        if q + what.len() > self.total {
            return false;
        }
        let (mut i, mut o) = self.locate(q);
        let mut rest = what;
        while !rest.is_empty() {
            let d = &self.chains[i].data()[o..];
            let k = d.len().min(rest.len());
            if d[..k] != rest[..k] {
                return false;
            }
            rest = &rest[k..];
            i += 1;
            o = 0;
        }
        true
    }

    /// First offset q >= from with what at q and q + len <= limit.
    pub fn find(&self, from: usize, what: &[u8], limit: usize) -> Option<usize> {
        let len = what.len();
        let limit = limit.min(self.total);
        if len == 0 || limit < len || from > limit - len {
            return None;
        }
        let max_q = limit - len;
        let (mut i, mut o) = self.locate(from);
        while i < self.chains.len() {
            let coff = self.chain_offset(i);
            if coff + o > max_q {
                return None;
            }
            let d = self.chains[i].data();
            let end = d.len().min(max_q + len - coff);
            let seg = &d[o..end];
            if let Some(k) = memmem(seg, what) {
                return Some(coff + o + k);
            }
            // Matches that start in this chain and end in a later one.
            let mut k = seg.len().saturating_sub(len - 1);
            while k < seg.len() {
                let Some(j) = memchr(what[0], &seg[k..]) else { break };
                let q = coff + o + k + j;
                if q > max_q {
                    return None;
                }
                if self.matches_at(q, what) {
                    return Some(q);
                }
                k += j + 1;
            }
            i += 1;
            o = 0;
        }
        None
    }

    pub fn search_range(&self, what: &[u8], start: Option<&EvbufferPtr>, end: Option<&EvbufferPtr>) -> EvbufferPtr {
        let pos = match start {
            Some(s) => *s,
            None => EvbufferPtr {
                pos: 0,
                chain: if self.chains.is_empty() { std::ptr::null_mut() } else { self.token() },
                pos_in_chain: 0,
            },
        };
        if what.is_empty() || what.len() > isize::MAX as usize {
            return pos;
        }
        let from = match start {
            Some(s) => match self.ptr_offset(s) {
                Some(p) => p,
                None => return EvbufferPtr::NOT_FOUND,
            },
            None => 0,
        };
        let limit = match end {
            Some(e) if e.pos < 0 => return EvbufferPtr::NOT_FOUND,
            Some(e) => e.pos as usize,
            None => self.total,
        };
        match self.find(from, what, limit) {
            Some(q) => self.ptr_at(q),
            None => EvbufferPtr::NOT_FOUND,
        }
    }

    /// `evbuffer_search_eol`: where the first end of line is, and its length.
    pub fn search_eol(&self, start: Option<&EvbufferPtr>, style: i32) -> (EvbufferPtr, usize) {
        let from = match start {
            Some(s) => match self.ptr_offset(s) {
                Some(p) => p,
                None => return (EvbufferPtr::NOT_FOUND, 0),
            },
            None => 0,
        };
        match self.find_eol(from, style) {
            Some((q, n)) => (self.ptr_at(q), n),
            None => (EvbufferPtr::NOT_FOUND, 0),
        }
    }

    /// Offset and length of the first end of line at or after `from`.
    pub fn find_eol(&self, from: usize, style: i32) -> Option<(usize, usize)> {
        match style {
            EOL_ANY => self.find_cr_or_lf(from).map(|q| (q, self.span_crlf(q))),
            EOL_CRLF_STRICT => self.find(from, b"\r\n", self.total).map(|q| (q, 2)),
            EOL_CRLF => self.find_byte(from, b'\n').map(|q| {
                if q > from && self.byte_at(q - 1) == b'\r' {
                    (q - 1, 2)
                } else {
                    (q, 1)
                }
            }),
            EOL_LF => self.find_byte(from, b'\n').map(|q| (q, 1)),
            EOL_NUL => self.find_byte(from, 0).map(|q| (q, 1)),
            _ => None,
        }
    }
}

pub fn memchr(b: u8, hay: &[u8]) -> Option<usize> {
    if hay.is_empty() {
        return None;
    }
    // SAFETY: memchr reads at most hay.len() bytes of hay.
    let p = unsafe { libc::memchr(hay.as_ptr() as *const c_void, b as i32, hay.len()) };
    if p.is_null() {
        None
    } else {
        Some(p as usize - hay.as_ptr() as usize)
    }
}

pub fn memmem(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() == 1 {
        return memchr(needle[0], hay);
    }
    if hay.len() < needle.len() {
        return None;
    }
    // Miri cannot call glibc's memmem: the same search, slowly, so the callers stay checked.
    #[cfg(miri)]
    let p = hay
        .windows(needle.len())
        .position(|w| w == needle)
        .map_or(std::ptr::null_mut(), |i| hay[i..].as_ptr() as *mut c_void);
    // SAFETY: glibc's memmem reads within both slices.
    #[cfg(not(miri))]
    let p = unsafe {
        libc::memmem(hay.as_ptr() as *const c_void, hay.len(), needle.as_ptr() as *const c_void, needle.len())
    };
    if p.is_null() {
        None
    } else {
        Some(p as usize - hay.as_ptr() as usize)
    }
}
