//! HTTP/1.x messages read as a state machine over bytes: the request or status line, header
//! lines (with obsolete folding), then a body framed by Content-Length, by chunks, or by the end
//! of the connection, then a chunked body's trailer.
//!
//! The parser never owns the input: each step looks at the bytes available (`buf`), says how
//! many it consumed, and what happened. Body bytes are not copied: a `Data(n)` event tells the
//! caller to move the next `n` bytes itself (the server moves them between evbuffers).
//!
//! It follows libevent 2.1.12's reading of messages, but refuses what would let a message be
//! framed two ways (request smuggling): Transfer-Encoding together with Content-Length, a
//! Transfer-Encoding other than "chunked" on a request, several Content-Length values that
//! differ, lengths and chunk sizes that are not plain digits or overflow, whitespace or other
//! non-token bytes in header names, NUL bytes in the head, and a body on HEAD or TRACE.
use super::eq_ignore_case;
use super::headers::{self, EvKeyValQ};

// enum evhttp_cmd_type
pub const REQ_GET: u32 = 1 << 0;
pub const REQ_POST: u32 = 1 << 1;
pub const REQ_HEAD: u32 = 1 << 2;
pub const REQ_PUT: u32 = 1 << 3;
pub const REQ_DELETE: u32 = 1 << 4;
pub const REQ_OPTIONS: u32 = 1 << 5;
pub const REQ_TRACE: u32 = 1 << 6;
pub const REQ_CONNECT: u32 = 1 << 7;
pub const REQ_PATCH: u32 = 1 << 8;
// WebDAV (RFC 4918), libevent 2.2's values: they fit the 16 bits of evhttp_set_allowed_methods.
pub const REQ_PROPFIND: u32 = 1 << 9;
pub const REQ_PROPPATCH: u32 = 1 << 10;
pub const REQ_MKCOL: u32 = 1 << 11;
pub const REQ_LOCK: u32 = 1 << 12;
pub const REQ_UNLOCK: u32 = 1 << 13;
pub const REQ_COPY: u32 = 1 << 14;
pub const REQ_MOVE: u32 = 1 << 15;
/// A method the server does not know: past every bit a program can allow with
/// evhttp_set_allowed_methods (whose mask is 16 bits wide on the 2.1 ABI), so it gets 501.
pub const REQ_UNKNOWN: u32 = 1 << 16;

const METHODS: [(&[u8], u32); 16] = [
    (b"GET", REQ_GET),
    (b"POST", REQ_POST),
    (b"HEAD", REQ_HEAD),
    (b"PUT", REQ_PUT),
    (b"DELETE", REQ_DELETE),
    (b"OPTIONS", REQ_OPTIONS),
    (b"TRACE", REQ_TRACE),
    (b"CONNECT", REQ_CONNECT),
    (b"PATCH", REQ_PATCH),
    (b"PROPFIND", REQ_PROPFIND),
    (b"PROPPATCH", REQ_PROPPATCH),
    (b"MKCOL", REQ_MKCOL),
    (b"LOCK", REQ_LOCK),
    (b"UNLOCK", REQ_UNLOCK),
    (b"COPY", REQ_COPY),
    (b"MOVE", REQ_MOVE),
];

/// The method named exactly (case matters), or REQ_UNKNOWN.
pub fn method_from_name(name: &[u8]) -> u32 {
    METHODS.iter().find(|(n, _)| *n == name).map_or(REQ_UNKNOWN, |&(_, t)| t)
}

/// The name of a method, None for anything else.
pub fn method_name(t: u32) -> Option<&'static str> {
    METHODS.iter().find(|&&(_, m)| m == t).map(|(n, _)| std::str::from_utf8(n).unwrap_or(""))
}

/// Whether a request with this method may carry a body that the server reads. Every WebDAV
/// method may: a framed body is read rather than taken for the next request.
pub fn method_may_have_body(t: u32) -> bool {
    matches!(t, REQ_POST | REQ_PUT | REQ_PATCH | REQ_GET | REQ_DELETE | REQ_OPTIONS | REQ_CONNECT)
        || (REQ_PROPFIND..=REQ_MOVE).contains(&t) && t.is_power_of_two()
}

/// Whether a response with this code to a request with this method has a body (libevent's
/// rule): not a 1xx, 204 or 304 reply, nor one to HEAD or CONNECT (after a CONNECT reply the
/// connection is a tunnel, and its bytes belong to the program).
pub fn response_has_body(code: i32, request_method: u32) -> bool {
    code != 204
        && code != 304
        && !(100..200).contains(&code)
        && request_method != REQ_HEAD
        && request_method != REQ_CONNECT
}

/// How a read went, as libevent names it (enum message_read_status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    AllRead,
    MoreData,
    Corrupted,
    TooLong,
}

/// One line ending in "\n" or "\r\n": (the line without its end, bytes consumed).
pub fn read_line(buf: &[u8]) -> Option<(&[u8], usize)> {
    read_line_from(buf, 0)
}

/// Like read_line(), when the first `scanned` bytes are known to hold no "\n": a long line
/// arriving in many reads is searched once, not from its start after every read.
pub fn read_line_from(buf: &[u8], scanned: usize) -> Option<(&[u8], usize)> {
    let from = scanned.min(buf.len());
    let nl = from + buf[from..].iter().position(|&c| c == b'\n')?;
    let end = if nl > 0 && buf[nl - 1] == b'\r' { nl - 1 } else { nl };
    Some((&buf[..end], nl + 1))
}

/// The part of a line a C string would see: up to the first NUL.
fn c_view(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(p) => &b[..p],
        None => b,
    }
}

/// A decimal number as scanf's %d and atoi read it: leading white space, a sign, digits (at
/// least one). Returns the value (saturated to a C long, then cut to an int) and the rest.
fn scan_int(s: &[u8]) -> Option<(i32, &[u8])> {
    let mut i = s.iter().take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')).count();
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let digits = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let mut v: i64 = 0;
    for &c in &s[i..i + digits] {
        v = v.saturating_mul(10).saturating_add((c - b'0') as i64);
    }
    if neg {
        v = v.saturating_neg();
    }
    Some((v as i32, &s[i + digits..]))
}

/// `HTTP/<major>.<minor>` with nothing after; a major above 1 is refused.
pub fn parse_version(s: &[u8]) -> Option<(i32, i32)> {
    let rest = s.strip_prefix(b"HTTP/")?;
    let (major, rest) = scan_int(rest)?;
    let rest = rest.strip_prefix(b".")?;
    let (minor, rest) = scan_int(rest)?;
    if !rest.is_empty() || major > 1 {
        return None;
    }
    Some((major, minor))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    pub method: u32,
    /// the method as sent (an extension method is looked up by name)
    pub name: Vec<u8>,
    pub uri: Vec<u8>,
    pub major: i32,
    pub minor: i32,
}

/// "METHOD SP request-target SP HTTP/x.y": the method ends at the first space, the version
/// starts after the last one (the target may hold spaces, as libevent allows); trailing spaces
/// are ignored. An unknown method is not an error here: the server answers it with 501.
pub fn parse_request_line(line: &[u8]) -> Option<RequestLine> {
    let mut end = line.len();
    while end > 0 && line[end - 1] == b' ' {
        end -= 1;
    }
    if end < b"GET / HTTP/1.0".len() {
        return None;
    }
    let line = c_view(&line[..end]);
    let sp = line.iter().position(|&c| c == b' ')?;
    let (method, rest) = (&line[..sp], &line[sp + 1..]);
    let last = rest.iter().rposition(|&c| c == b' ')?;
    if last == 0 {
        return None;
    }
    let (uri, version) = (&rest[..last], &rest[last + 1..]);
    let (major, minor) = parse_version(version)?;
    Some(RequestLine { method: method_from_name(method), name: method.to_vec(), uri: uri.to_vec(), major, minor })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub major: i32,
    pub minor: i32,
    pub code: i32,
    pub reason: Vec<u8>,
}

/// "HTTP/x.y SP code [SP reason]"; a code that reads as 0 is refused.
pub fn parse_status_line(line: &[u8]) -> Option<StatusLine> {
    let line = c_view(line);
    let sp = line.iter().position(|&c| c == b' ')?;
    let (version, rest) = (&line[..sp], &line[sp + 1..]);
    let (number, reason) = match rest.iter().position(|&c| c == b' ') {
        Some(p) => (&rest[..p], &rest[p + 1..]),
        None => (rest, &b""[..]),
    };
    let (major, minor) = parse_version(version)?;
    let code = scan_int(number).map_or(0, |(v, _)| v);
    if code == 0 {
        return None;
    }
    Some(StatusLine { major, minor, code, reason: reason.to_vec() })
}

/// RFC 7230 token characters, the only ones allowed in a header name.
fn is_tchar(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c)
}

fn rtrim_lws(mut v: &[u8]) -> &[u8] {
    while let [rest @ .., b' ' | b'\t'] = v {
        v = rest;
    }
    v
}

/// Reads header lines into `h` until the empty line. `size` counts the bytes of the head read
/// so far (lines without their ends) and may not pass `max`; when the head is incomplete, the
/// bytes still waiting count too. `scanned` is how many bytes at the start of `buf` are known
/// to hold no line end; on MoreData it says the same of the bytes left after those consumed.
/// Returns the bytes consumed and the outcome.
///
/// # Safety
/// `h` is a valid header list.
pub unsafe fn read_headers(
    buf: &[u8],
    h: *mut EvKeyValQ,
    size: &mut u64,
    max: u64,
    scanned: &mut usize,
) -> (usize, Status) {
    let mut pos = 0;
    while let Some((line, n)) = read_line_from(&buf[pos..], std::mem::take(scanned)) {
        pos += n;
        *size += line.len() as u64;
        if *size > max {
            return (pos, Status::TooLong);
        }
        if line.is_empty() {
            return (pos, Status::AllRead);
        }
        if line.contains(&0) {
            return (pos, Status::Corrupted);
        }
        if line[0] == b' ' || line[0] == b'\t' {
            // An obsolete folded line continues the previous header's value.
            let start = line.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
            let more = rtrim_lws(&line[start..]);
            if !headers::value_is_valid(more) || headers::append_to_last(h, more) != 0 {
                return (pos, Status::Corrupted);
            }
            continue;
        }
        let Some(colon) = line.iter().position(|&c| c == b':') else { return (pos, Status::Corrupted) };
        let key = &line[..colon];
        if key.is_empty() || !key.iter().all(|&c| is_tchar(c)) {
            return (pos, Status::Corrupted);
        }
        let mut value = &line[colon + 1..];
        while let [b' ', rest @ ..] = value {
            value = rest;
        }
        if headers::add(h, key, rtrim_lws(value)) != 0 {
            return (pos, Status::Corrupted);
        }
    }
    if *size + (buf.len() - pos) as u64 > max {
        return (pos, Status::TooLong);
    }
    *scanned = buf.len() - pos;
    (pos, Status::MoreData)
}

/// How a body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// no body at all
    None,
    /// exactly this many bytes
    Length(u64),
    /// chunks, then a trailer
    Chunked,
    /// everything until the peer closes (responses only)
    UntilClose,
}

/// A Content-Length value: digits only. A number past a signed 64-bit length is read as the
/// largest one, as libevent's strtoll does: a body that long is refused as too large (413)
/// when the body size is limited, and otherwise never ends.
fn parse_length(v: &[u8]) -> Option<u64> {
    if v.is_empty() || !v.iter().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut n: u64 = 0;
    for &c in v {
        n = n.saturating_mul(10).saturating_add((c - b'0') as u64);
    }
    Some(n.min(i64::MAX as u64))
}

/// The one Content-Length of a message: None when absent, Err when any value is malformed or
/// two values differ.
unsafe fn content_length(h: *const EvKeyValQ) -> Result<Option<u64>, ()> {
    let mut found = None;
    for e in headers::iter(h) {
        if eq_ignore_case(headers::key(e), b"Content-Length") {
            let n = parse_length(headers::value(e)).ok_or(())?;
            if found.is_some_and(|f| f != n) {
                return Err(());
            }
            found = Some(n);
        }
    }
    Ok(found)
}

/// Whether the message has a Transfer-Encoding, and whether it is exactly one "chunked".
unsafe fn transfer_encoding(h: *const EvKeyValQ) -> (bool, bool) {
    let n = headers::count(h, b"Transfer-Encoding");
    let chunked = n == 1 && headers::find_bytes(h, b"Transfer-Encoding").is_some_and(|v| eq_ignore_case(v, b"chunked"));
    (n > 0, chunked)
}

/// How a request's body is framed; Err for a head that could be read two ways.
///
/// # Safety
/// `h` is a valid header list.
pub unsafe fn request_framing(method: u32, h: *const EvKeyValQ) -> Result<Framing, ()> {
    request_framing_for(method_may_have_body(method), h)
}

/// request_framing() for a method whose right to a body is known (an extension method's
/// EVHTTP_METHOD_HAS_BODY).
///
/// # Safety
/// `h` is a valid header list.
pub unsafe fn request_framing_for(may_have_body: bool, h: *const EvKeyValQ) -> Result<Framing, ()> {
    let (has_te, chunked) = transfer_encoding(h);
    let length = content_length(h)?;
    if has_te && (length.is_some() || !chunked) {
        return Err(());
    }
    if !may_have_body {
        // A body the server would not read must not be there, or its bytes would be taken
        // for the next request.
        return if has_te || length.unwrap_or(0) > 0 { Err(()) } else { Ok(Framing::None) };
    }
    Ok(match (chunked, length) {
        (true, _) => Framing::Chunked,
        (false, Some(n)) if n > 0 => Framing::Length(n),
        _ => Framing::None,
    })
}

/// The transfer codings of a response, as libevent's client reads them: None without a
/// Transfer-Encoding header, else whether the last coding is "chunked"; Err when "chunked" is
/// followed by another coding (or an empty one), or comes twice. The codings are those of every
/// Transfer-Encoding header, split at commas; a coding's name ends at white space or ';'.
unsafe fn response_codings(h: *const EvKeyValQ) -> Result<Option<bool>, ()> {
    let mut found = false;
    let mut last_chunked = false;
    for e in headers::iter(h) {
        if !eq_ignore_case(headers::key(e), b"Transfer-Encoding") {
            continue;
        }
        found = true;
        for coding in headers::value(e).split(|&c| c == b',') {
            if last_chunked {
                return Err(());
            }
            let start = coding.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
            let name = coding[start..].split(|&c| c == b' ' || c == b'\t' || c == b';').next().unwrap_or(b"");
            last_chunked = eq_ignore_case(name, b"chunked");
        }
    }
    Ok(found.then_some(last_chunked))
}

/// How a response's body is framed (the request's method matters: HEAD has none). A response
/// with both Transfer-Encoding and Content-Length is refused whatever its code, as libevent's
/// client does.
///
/// # Safety
/// `h` is a valid header list.
pub unsafe fn response_framing(code: i32, request_method: u32, h: *const EvKeyValQ) -> Result<Framing, ()> {
    let codings = response_codings(h)?;
    if codings.is_some() && !headers::find(h, b"Content-Length").is_null() {
        return Err(());
    }
    if !response_has_body(code, request_method) {
        return Ok(Framing::None);
    }
    match codings {
        Some(true) => return Ok(Framing::Chunked),
        Some(false) => return Ok(Framing::UntilClose),
        None => {}
    }
    match content_length(h)? {
        Some(n) => Ok(Framing::Length(n)),
        None => match headers::find_bytes(h, b"Connection") {
            // libevent: a persistent connection without a length carries no body.
            Some(c) if !eq_ignore_case(c, b"close") => Ok(Framing::Length(0)),
            _ => Ok(Framing::UntilClose),
        },
    }
}

/// A chunk-size line: hex digits, then nothing, a space (and anything after it, as libevent
/// allows), or a ";" extension (which libevent refuses). A size past a signed 64-bit length is
/// read as the largest one, as libevent's strtoll does.
fn parse_chunk_size(line: &[u8]) -> Option<u64> {
    let digits = line.iter().take_while(|c| c.is_ascii_hexdigit()).count();
    if digits == 0 {
        return None;
    }
    match line.get(digits) {
        None | Some(b' ' | b';') => {}
        _ => return None,
    }
    let mut n: u64 = 0;
    for &c in &line[..digits] {
        n = n.saturating_mul(16).saturating_add((c as char).to_digit(16)? as u64);
    }
    Some(n.min(i64::MAX as u64))
}

/// Whether libevent 2.1.12 reads this line as a chunk size (or skips it, when empty): strtoll
/// in base 16 (white space, a sign, "0x", hex digits, or no digits at all, read as 0), then the
/// end of the line or a space, and not negative. parse_chunk_size() refuses some of these
/// (anything but plain hex digits first): those are refused as framing errors (400), while
/// lines libevent refuses too get libevent's answer (413).
fn libevent_reads_chunk_size(line: &[u8]) -> bool {
    let line = c_view(line);
    let mut i = line.iter().take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')).count();
    let neg = line.get(i) == Some(&b'-');
    if matches!(line.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    if matches!(line.get(i..i + 2), Some(b"0x" | b"0X")) && line.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit()) {
        i += 2;
    }
    let digits = line[i.min(line.len())..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
    // Without digits, strtoll leaves its end pointer at the start of the line.
    let end = if digits == 0 { 0 } else { i + digits };
    let ends_well = matches!(line.get(end), None | Some(b' '));
    let negative = neg && line[i.min(line.len())..i + digits].iter().any(|&c| c != b'0');
    ends_well && !negative
}

/// How a chunk-size line that parse_chunk_size() refuses is refused.
fn refusal(line: &[u8]) -> BodyStep {
    if libevent_reads_chunk_size(line) {
        BodyStep::BadSize
    } else {
        BodyStep::Corrupted
    }
}

/// The longest chunk-size line accepted while waiting for its end.
const MAX_CHUNK_LINE: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkState {
    Size,
    Data,
    DataEnd,
}

/// What one body step found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyStep {
    /// wait for more input
    NeedMore,
    /// the next `n` input bytes are body: move them; `chunk_end` when they end a chunk
    Data { n: usize, chunk_end: bool },
    /// the last chunk was read; the trailer follows (read it with read_headers)
    Trailer,
    /// the body is complete
    Done,
    /// malformed framing
    Corrupted,
    /// a chunk-size line libevent would read, refused as not plain hex digits
    BadSize,
    /// longer than the limit
    TooLong,
}

/// Reads one body; `ntoread` and `body_size` mean what they mean in libevent's request (bytes
/// still expected, -1 for unknown; bytes read so far).
#[derive(Debug, Clone)]
pub struct BodyReader {
    pub framing: Framing,
    pub ntoread: i64,
    pub body_size: u64,
    /// hand a chunk's data over as it arrives rather than whole (streamed bodies)
    pub partial_chunks: bool,
    chunk: ChunkState,
}

impl BodyReader {
    pub fn new(framing: Framing) -> Self {
        let ntoread = match framing {
            Framing::Length(n) => n as i64,
            Framing::None => 0,
            _ => -1,
        };
        BodyReader { framing, ntoread, body_size: 0, partial_chunks: false, chunk: ChunkState::Size }
    }

    /// One step. `buf` holds the available input when a chunk line may be read (otherwise it
    /// may be empty); `avail` is how many bytes are available in all. With `stream`, data is
    /// handed over as it comes (a chunk callback is set); otherwise a sized body is handed
    /// over whole. Returns the bytes consumed by the step itself (never those of Data).
    pub fn step(&mut self, buf: &[u8], avail: usize, max_body: u64, stream: bool) -> (usize, BodyStep) {
        match self.framing {
            Framing::None => (0, BodyStep::Done),
            Framing::Length(total) => {
                if total > max_body {
                    return (0, BodyStep::TooLong);
                }
                if self.ntoread == 0 {
                    return (0, BodyStep::Done);
                }
                if avail == 0 || (!stream && (avail as u64) < self.ntoread as u64) {
                    return (0, BodyStep::NeedMore);
                }
                let n = avail.min(self.ntoread as usize);
                self.ntoread -= n as i64;
                self.body_size += n as u64;
                (0, BodyStep::Data { n, chunk_end: false })
            }
            Framing::UntilClose => {
                if avail == 0 {
                    return (0, BodyStep::NeedMore);
                }
                self.body_size = self.body_size.saturating_add(avail as u64);
                if self.body_size > max_body {
                    return (0, BodyStep::TooLong);
                }
                (0, BodyStep::Data { n: avail, chunk_end: false })
            }
            Framing::Chunked => self.chunk_step(buf, avail, max_body),
        }
    }

    fn chunk_step(&mut self, buf: &[u8], avail: usize, max_body: u64) -> (usize, BodyStep) {
        match self.chunk {
            ChunkState::Size | ChunkState::DataEnd => {
                let Some((line, used)) = read_line(buf) else {
                    let too_long = buf.len() > MAX_CHUNK_LINE;
                    return (0, if too_long { BodyStep::Corrupted } else { BodyStep::NeedMore });
                };
                if self.chunk == ChunkState::DataEnd {
                    // The data of a chunk ends with an empty line (libevent would read any
                    // other line as the next chunk's size).
                    if !line.is_empty() {
                        return (used, refusal(line));
                    }
                    self.chunk = ChunkState::Size;
                    let (more, step) = self.chunk_step(&buf[used..], avail - used, max_body);
                    return (used + more, step);
                }
                // An empty line here is one libevent skips.
                let Some(n) = parse_chunk_size(line).filter(|_| !line.is_empty()) else { return (used, refusal(line)) };
                if self.body_size.checked_add(n).is_none_or(|t| t > max_body) {
                    return (used, BodyStep::TooLong);
                }
                self.body_size += n;
                if n == 0 {
                    self.ntoread = 0;
                    return (used, BodyStep::Trailer);
                }
                self.ntoread = n as i64;
                self.chunk = ChunkState::Data;
                // The chunk's data may be there already.
                let (_, step) = self.chunk_step(&[], avail - used, max_body);
                (used, step)
            }
            ChunkState::Data => {
                if (avail as u64) < self.ntoread as u64 {
                    if self.partial_chunks && avail > 0 {
                        self.ntoread -= avail as i64;
                        return (0, BodyStep::Data { n: avail, chunk_end: false });
                    }
                    return (0, BodyStep::NeedMore);
                }
                let n = self.ntoread as usize;
                self.ntoread = -1;
                self.chunk = ChunkState::DataEnd;
                (0, BodyStep::Data { n, chunk_end: true })
            }
        }
    }
}

/// The kind of message a parser reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Request,
    Response,
}

/// Where a parse failed, so the caller can answer as libevent does (400 for the head, 413
/// for the body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// request or status line malformed or too long
    FirstLine(Status),
    /// header lines malformed or too long
    Headers(Status),
    /// the head frames the body ambiguously or wrongly (Content-Length, Transfer-Encoding)
    Framing,
    /// a chunk-size line that libevent reads but is not plain hex digits (white space first,
    /// a sign, "0x", a blank line): refused as a bad request (400), where the answer to a
    /// chunk libevent refuses too is its 413
    ChunkSize,
    /// body framing malformed or longer than allowed
    Body(Status),
    /// a chunked body's trailer malformed or too long
    Trailer(Status),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    FirstLine,
    Headers,
    /// the head is complete; the caller decides (begin_body) before the body is read
    HeadDone,
    Body,
    Trailer,
    Done,
}

/// What a parser step produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    NeedMore,
    /// the first line is read (see `request` / `status`)
    FirstLine,
    /// all header lines are read; call begin_body()
    HeadDone,
    /// move the next `n` bytes into the body
    Data {
        n: usize,
        chunk_end: bool,
    },
    /// the message is complete
    Done,
    Error(Error),
}

/// A whole message, step by step: the server and client drive one per message, the tests and
/// fuzz targets run one over arbitrary bytes.
pub struct MessageParser {
    pub kind: Kind,
    pub phase: Phase,
    pub max_headers: u64,
    pub max_body: u64,
    pub headers_size: u64,
    pub request: Option<RequestLine>,
    pub status: Option<StatusLine>,
    pub body: Option<BodyReader>,
    /// hand body data over as it arrives (a chunk callback is set)
    pub stream: bool,
    /// also hand a chunk's data over before the whole chunk is there (streamed bodies)
    pub stream_pieces: bool,
    /// whether the request's method may have a body, when an extension method decided it
    pub method_has_body: Option<bool>,
    /// bytes at the start of the unconsumed input already searched for a line end in vain
    scanned: usize,
}

impl MessageParser {
    pub fn new(kind: Kind, max_headers: u64, max_body: u64) -> Self {
        MessageParser {
            kind,
            phase: Phase::FirstLine,
            max_headers,
            max_body,
            headers_size: 0,
            request: None,
            status: None,
            body: None,
            stream: false,
            stream_pieces: false,
            method_has_body: None,
            scanned: 0,
        }
    }

    /// Whether the next step reads lines (and needs the input's bytes in `buf`), or only counts.
    pub fn wants_bytes(&self) -> bool {
        match self.phase {
            Phase::FirstLine | Phase::Headers | Phase::Trailer => true,
            Phase::Body => self.body.as_ref().is_some_and(|b| b.framing == Framing::Chunked),
            _ => false,
        }
    }

    /// One step over the available input; see Event. `h` receives the headers (a trailer is read and dropped, as libevent does).
    ///
    /// # Safety
    /// `h` is a valid header list.
    pub unsafe fn step(&mut self, buf: &[u8], avail: usize, h: *mut EvKeyValQ) -> (usize, Event) {
        match self.phase {
            Phase::FirstLine => {
                let Some((line, used)) = read_line_from(buf, std::mem::take(&mut self.scanned)) else {
                    self.scanned = buf.len();
                    let st = if buf.len() as u64 > self.max_headers { Status::TooLong } else { Status::MoreData };
                    return (
                        0,
                        if st == Status::TooLong { Event::Error(Error::FirstLine(st)) } else { Event::NeedMore },
                    );
                };
                if line.len() as u64 > self.max_headers {
                    return (used, Event::Error(Error::FirstLine(Status::TooLong)));
                }
                self.headers_size = line.len() as u64;
                let ok = match self.kind {
                    Kind::Request => {
                        self.request = parse_request_line(line);
                        self.request.is_some()
                    }
                    Kind::Response => {
                        self.status = parse_status_line(line);
                        self.status.is_some()
                    }
                };
                if !ok {
                    return (used, Event::Error(Error::FirstLine(Status::Corrupted)));
                }
                self.phase = Phase::Headers;
                (used, Event::FirstLine)
            }
            Phase::Headers | Phase::Trailer => {
                let trailer = self.phase == Phase::Trailer;
                // libevent reads a chunked body's trailer and drops it: the request's headers
                // seen by its callback never include trailer fields.
                let mut dropped = EvKeyValQ { first: std::ptr::null_mut(), last: std::ptr::null_mut() };
                let list = if trailer {
                    headers::init(&mut dropped);
                    &mut dropped as *mut EvKeyValQ
                } else {
                    h
                };
                let (used, st) = read_headers(buf, list, &mut self.headers_size, self.max_headers, &mut self.scanned);
                if trailer {
                    headers::clear(list);
                }
                match st {
                    Status::MoreData => (used, Event::NeedMore),
                    Status::AllRead if trailer => {
                        self.phase = Phase::Done;
                        (used, Event::Done)
                    }
                    Status::AllRead => {
                        self.phase = Phase::HeadDone;
                        (used, Event::HeadDone)
                    }
                    st if trailer => (used, Event::Error(Error::Trailer(st))),
                    st => (used, Event::Error(Error::Headers(st))),
                }
            }
            Phase::HeadDone => (0, Event::HeadDone),
            Phase::Body => {
                let Some(b) = self.body.as_mut() else {
                    self.phase = Phase::Done;
                    return (0, Event::Done);
                };
                let (used, st) = b.step(buf, avail, self.max_body, self.stream);
                match st {
                    BodyStep::NeedMore => (used, Event::NeedMore),
                    BodyStep::Data { n, chunk_end } => (used, Event::Data { n, chunk_end }),
                    BodyStep::Trailer => {
                        self.phase = Phase::Trailer;
                        let (more, ev) = self.step(&buf[used.min(buf.len())..], avail - used, h);
                        (used + more, ev)
                    }
                    BodyStep::Done => {
                        self.phase = Phase::Done;
                        (used, Event::Done)
                    }
                    BodyStep::Corrupted => (used, Event::Error(Error::Body(Status::Corrupted))),
                    BodyStep::BadSize => (used, Event::Error(Error::ChunkSize)),
                    BodyStep::TooLong => (used, Event::Error(Error::Body(Status::TooLong))),
                }
            }
            Phase::Done => (0, Event::Done),
        }
    }

    /// The framing the head asks for (for a response, `request_method` is the request's).
    ///
    /// # Safety
    /// `h` is a valid header list.
    pub unsafe fn framing(&self, h: *const EvKeyValQ, request_method: u32) -> Result<Framing, Error> {
        match self.kind {
            Kind::Request => {
                let may = self
                    .method_has_body
                    .unwrap_or_else(|| method_may_have_body(self.request.as_ref().map_or(REQ_UNKNOWN, |r| r.method)));
                request_framing_for(may, h)
            }
            Kind::Response => response_framing(self.status.as_ref().map_or(0, |s| s.code), request_method, h),
        }
        .map_err(|_| Error::Framing)
    }

    /// Starts reading the body framed as `framing`.
    pub fn begin_body(&mut self, framing: Framing) {
        let mut b = BodyReader::new(framing);
        b.partial_chunks = self.stream_pieces;
        self.body = Some(b);
        self.phase = Phase::Body;
    }

    /// The peer closed: a body read until the close is complete, anything else is cut short.
    pub fn at_eof(&mut self) -> bool {
        let complete =
            self.phase == Phase::Body && self.body.as_ref().is_some_and(|b| b.framing == Framing::UntilClose);
        if complete {
            self.phase = Phase::Done;
        }
        complete
    }
}

/// A message parsed whole from a byte string (tests, fuzzing).
#[derive(Debug, Default)]
pub struct Parsed {
    pub request: Option<RequestLine>,
    pub status: Option<StatusLine>,
    pub headers: Vec<(Vec<u8>, Vec<u8>)>,
    pub body: Vec<u8>,
    pub chunks: usize,
    /// bytes left after the message (the next pipelined one)
    pub rest: usize,
}

/// Parses one message from `input`, fed in pieces of `piece` bytes to exercise partial
/// input. `request_method` is used for responses. Err(None) means the input ended first.
pub fn parse_message(
    kind: Kind,
    input: &[u8],
    piece: usize,
    max_headers: u64,
    max_body: u64,
    request_method: u32,
) -> Result<Parsed, Option<Error>> {
    let list = headers::OwnedList::new();
    let mut p = MessageParser::new(kind, max_headers, max_body);
    let mut out = Parsed::default();
    let piece = piece.max(1);
    let mut fed = piece.min(input.len());
    let mut pos = 0;
    loop {
        let buf = &input[pos..fed];
        // SAFETY: the list is owned and valid.
        let (used, ev) = unsafe { p.step(buf, buf.len(), list.0) };
        pos += used;
        match ev {
            Event::NeedMore => {
                if fed == input.len() {
                    if p.at_eof() {
                        break;
                    }
                    return Err(None);
                }
                fed = (fed + piece).min(input.len());
            }
            Event::FirstLine => {}
            Event::HeadDone => {
                // SAFETY: the list is owned and valid.
                let f = unsafe { p.framing(list.0, request_method) }.map_err(Some)?;
                p.begin_body(f);
            }
            Event::Data { n, chunk_end } => {
                out.body.extend_from_slice(&input[pos..pos + n]);
                pos += n;
                out.chunks += chunk_end as usize;
            }
            Event::Done => break,
            Event::Error(e) => return Err(Some(e)),
        }
    }
    out.request = p.request.take();
    out.status = p.status.take();
    out.headers = list.pairs();
    out.rest = input.len() - pos;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: u64 = u64::MAX;

    fn req(s: &[u8]) -> Result<Parsed, Option<Error>> {
        // Every piece size must give the same result.
        let whole = parse_message(Kind::Request, s, s.len(), MAX, MAX, 0);
        for piece in [1, 2, 3, 7] {
            let p = parse_message(Kind::Request, s, piece, MAX, MAX, 0);
            assert_eq!(
                format!("{:?}", p.as_ref().map(|x| (&x.body, &x.headers, x.rest))),
                format!("{:?}", whole.as_ref().map(|x| (&x.body, &x.headers, x.rest))),
                "piece {piece}"
            );
        }
        whole
    }

    #[test]
    fn request_lines() {
        let r = parse_request_line(b"GET /a b HTTP/1.1  ").unwrap();
        assert_eq!((r.method, &r.uri[..], r.major, r.minor), (REQ_GET, &b"/a b"[..], 1, 1));
        assert_eq!(parse_request_line(b"FOO / HTTP/1.0").unwrap().method, REQ_UNKNOWN);
        assert_eq!(parse_request_line(b"get / HTTP/1.0").unwrap().method, REQ_UNKNOWN);
        assert!(parse_request_line(b"GET / HTTP/2.0").is_none());
        assert!(parse_request_line(b"GET / HTTP/1.1x").is_none());
        assert!(parse_request_line(b"GET /").is_none());
        // An empty URI between two spaces: whatever the answer, no panic.
        let _ = parse_request_line(b"GET  HTTP/1.1");
        assert!(parse_request_line(b"GETxxxxxxxxxxxxxxxxx").is_none());
        assert_eq!(parse_version(b"HTTP/ 1.+0"), Some((1, 0)));
        assert_eq!(parse_version(b"HTTP/0.9"), Some((0, 9)));
    }

    #[test]
    fn status_lines() {
        let s = parse_status_line(b"HTTP/1.1 404 Not Found").unwrap();
        assert_eq!((s.code, &s.reason[..]), (404, &b"Not Found"[..]));
        assert_eq!(parse_status_line(b"HTTP/1.0 200").unwrap().reason, b"");
        assert!(parse_status_line(b"HTTP/1.0 abc OK").is_none());
        assert!(parse_status_line(b"HTTP/1.0").is_none());
    }

    #[test]
    fn simple_and_pipelined() {
        let p = req(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!(p.headers, vec![(b"Host".to_vec(), b"x".to_vec())]);
        assert_eq!(p.rest, 19);
        let p = req(b"POST / HTTP/1.0\nContent-Length: 5\n\nhelloEXTRA").unwrap();
        assert_eq!((&p.body[..], p.rest), (&b"hello"[..], 5));
    }

    #[test]
    fn folded_and_trimmed() {
        let p = req(b"GET / HTTP/1.1\r\nX:   a  \r\n  b\t\r\n\tc\r\nY:\r\n\r\n").unwrap();
        assert_eq!(p.headers, vec![(b"X".to_vec(), b"a b c".to_vec()), (b"Y".to_vec(), b"".to_vec())]);
        assert_eq!(req(b"GET / HTTP/1.1\r\n folded\r\n\r\n").unwrap_err(), Some(Error::Headers(Status::Corrupted)));
        assert_eq!(req(b"GET / HTTP/1.1\r\nNoColon\r\n\r\n").unwrap_err(), Some(Error::Headers(Status::Corrupted)));
        assert_eq!(req(b"GET / HTTP/1.1\r\nA b: c\r\n\r\n").unwrap_err(), Some(Error::Headers(Status::Corrupted)));
        assert_eq!(req(b"GET / HTTP/1.1\r\nA: b\rc\r\n\r\n").unwrap_err(), Some(Error::Headers(Status::Corrupted)));
    }

    #[test]
    fn chunked() {
        let p = req(b"POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nT: 1\r\n\r\nNEXT").unwrap();
        assert_eq!((&p.body[..], p.chunks, p.rest), (&b"hello world"[..], 2, 4));
        // The trailer is read and dropped, as libevent does.
        assert_eq!(p.headers, vec![(b"Transfer-Encoding".to_vec(), b"Chunked".to_vec())]);
        // Refused by libevent too: its answer, "too long" (413).
        for bad in
            [&b"5\r\nhelloX\r\n0\r\n\r\n"[..], b"-5\r\nhello\r\n", b"5\t\r\nhello\r\n", b"zz\r\n", b"-\r\n", b"5x\r\n"]
        {
            let mut m = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            m.extend_from_slice(bad);
            assert!(matches!(req(&m), Err(Some(Error::Body(_)))), "{:?}", String::from_utf8_lossy(bad));
        }
        // Read by libevent, refused by us as not plain hex digits.
        for bad in [
            &b"0x5\r\nhello\r\n0\r\n\r\n"[..],
            b" 5 \r\nhello\r\n0\r\n\r\n",
            b"+5\r\nhello\r\n",
            b"\r\n5\r\nhello\r\n0\r\n\r\n",
            b"  \r\n",
            b"-0\r\n",
            b"5\r\nhello5\r\nworld\r\n",
        ] {
            let mut m = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            m.extend_from_slice(bad);
            assert_eq!(req(&m).unwrap_err(), Some(Error::ChunkSize), "{:?}", String::from_utf8_lossy(bad));
        }
        // A size past i64 is the largest one, as strtoll reads it: too long for any limit.
        for huge in [&b"fffffffffffffffff\r\n"[..], b"8000000000000000\r\n"] {
            let mut m = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            m.extend_from_slice(huge);
            assert_eq!(
                parse_message(Kind::Request, &m, 7, MAX, 1 << 40, 0).unwrap_err(),
                Some(Error::Body(Status::TooLong))
            );
            assert_eq!(req(&m).unwrap_err(), None, "waits for the data");
        }
        // Accepted: a space and anything after it (as libevent), an extension (unlike it).
        let p = req(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n3;a=b\r\nabc\r\n0\r\n\r\n")
            .unwrap();
        assert_eq!(p.body, b"helloabc");
    }

    #[test]
    fn smuggling_refused() {
        for head in [
            &b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"[..],
            b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
            b"Transfer-Encoding: gzip\r\n",
            b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
            b"Content-Length: 5\r\nContent-Length: 6\r\n",
            b"Content-Length: -5\r\n",
            b"Content-Length: +5\r\n",
            b"Content-Length: 5 5\r\n",
            b"Content-Length: \r\n",
        ] {
            let mut m = b"POST / HTTP/1.1\r\n".to_vec();
            m.extend_from_slice(head);
            m.extend_from_slice(b"\r\nhello");
            assert_eq!(req(&m).unwrap_err(), Some(Error::Framing), "{:?}", String::from_utf8_lossy(head));
        }
        assert_eq!(
            req(b"POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\nhello").unwrap().body,
            b"hello"
        );
        // A length past i64 is the largest one, as strtoll reads it: too long for any limit.
        let m = b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\nhello";
        assert_eq!(
            parse_message(Kind::Request, m, 7, MAX, 1 << 40, 0).unwrap_err(),
            Some(Error::Body(Status::TooLong))
        );
        assert_eq!(req(b"HEAD / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello").unwrap_err(), Some(Error::Framing));
        assert_eq!(req(b"HEAD / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").unwrap().rest, 0);
    }

    #[test]
    fn limits() {
        let m = b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
        assert!(parse_message(Kind::Request, m, 100, 50, 5, 0).is_ok());
        assert_eq!(parse_message(Kind::Request, m, 100, 50, 4, 0).unwrap_err(), Some(Error::Body(Status::TooLong)));
        assert_eq!(parse_message(Kind::Request, m, 100, 20, 5, 0).unwrap_err(), Some(Error::Headers(Status::TooLong)));
        assert_eq!(
            parse_message(Kind::Request, m, 100, 10, 5, 0).unwrap_err(),
            Some(Error::FirstLine(Status::TooLong))
        );
        let c = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n";
        assert!(parse_message(Kind::Request, c, 5, MAX, 6, 0).is_ok());
        assert_eq!(parse_message(Kind::Request, c, 5, MAX, 5, 0).unwrap_err(), Some(Error::Body(Status::TooLong)));
    }

    #[test]
    fn responses() {
        let r = |s: &[u8], m| parse_message(Kind::Response, s, 3, MAX, MAX, m);
        assert_eq!(r(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", REQ_GET).unwrap().body, b"hi");
        assert_eq!(r(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", REQ_HEAD).unwrap().body, b"");
        assert_eq!(r(b"HTTP/1.0 200 OK\r\n\r\nuntil close", REQ_GET).unwrap().body, b"until close");
        assert_eq!(r(b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n", REQ_GET).unwrap().body, b"");
        assert_eq!(r(b"HTTP/1.1 204 No Content\r\n\r\n", REQ_GET).unwrap().rest, 0);
        assert_eq!(
            r(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", REQ_GET).unwrap().body,
            b"hi"
        );
        // CONNECT's reply has no body: what follows belongs to the tunnel.
        assert_eq!(r(b"HTTP/1.1 200 Connection established\r\n\r\ntunnel", REQ_CONNECT).unwrap().rest, 6);
    }

    #[test]
    fn response_transfer_codings() {
        let r = |te: &[u8], code: &[u8]| {
            let mut m = b"HTTP/1.1 ".to_vec();
            m.extend_from_slice(code);
            m.extend_from_slice(b"\r\n");
            m.extend_from_slice(te);
            m.extend_from_slice(b"\r\n5\r\nhello\r\n0\r\n\r\n");
            parse_message(Kind::Response, &m, 3, MAX, MAX, REQ_GET).map(|p| p.body)
        };
        // With Content-Length: refused, whatever the code.
        for te in [
            &b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"[..],
            b"Content-Length: 5\r\nTransfer-Encoding: gzip\r\n",
            b"transfer-encoding: \r\ncontent-length: 5\r\n",
        ] {
            assert_eq!(r(te, b"200 OK").unwrap_err(), Some(Error::Framing));
            assert_eq!(r(te, b"204 No Content").unwrap_err(), Some(Error::Framing));
        }
        // "chunked" anywhere but last: refused.
        for te in [
            &b"Transfer-Encoding: chunked, gzip\r\n"[..],
            b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
            b"Transfer-Encoding: chunked,\r\n",
            b"Transfer-Encoding: chunked\r\nTransfer-Encoding:\r\n",
        ] {
            assert_eq!(r(te, b"200 OK").unwrap_err(), Some(Error::Framing));
        }
        // Last "chunked": decoded.
        for te in [
            &b"Transfer-Encoding: gzip ,  CHUNKED  \r\n"[..],
            b"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
            b"Transfer-Encoding: chunked;x=1\r\n",
            b"Transfer-Encoding: gzip,,chunked\r\n",
        ] {
            assert_eq!(r(te, b"200 OK").unwrap(), b"hello");
        }
        // Otherwise the body runs to the close.
        assert_eq!(r(b"Transfer-Encoding: xchunked\r\n", b"200 OK").unwrap(), b"5\r\nhello\r\n0\r\n\r\n");
    }

    #[test]
    fn long_lines_in_pieces() {
        let mut m = b"GET /".to_vec();
        m.extend(std::iter::repeat_n(b'u', 5000));
        m.extend_from_slice(b" HTTP/1.1\r\nX: ");
        m.extend(std::iter::repeat_n(b'h', 5000));
        m.extend_from_slice(b"\r\nY: y\r\n\r\n");
        let p = req(&m).unwrap();
        assert_eq!(p.request.unwrap().uri.len(), 5001);
        assert_eq!(p.headers[0].1.len(), 5000);
        assert_eq!(p.headers[1].1, b"y");
    }
}
