//! evhttp: HTTP/1.x server and client, URIs and the helpers of event2/http.h.
//!
//! `headers` is the C-layout header list programs walk with TAILQ_FOREACH, `uri` the URI
//! parser, `encode` the %-encodings and query strings, `parser` the HTTP/1.x message parser as
//! a state machine over bytes. The capi layer (src/capi/http.rs) only converts and forwards.
pub mod conn;
pub mod encode;
pub mod ffi;
#[cfg(any(test, feature = "model"))]
pub mod fuzzing;
pub mod headers;
pub mod parser;
pub mod request;
pub mod server;
pub mod uri;

use crate::core::mem;
use libc::c_char;

/// A copy of `bytes` as a NUL-terminated string in memory the program may release with the
/// allocator set by event_set_mem_functions() (free() by default), as libevent's results are.
/// NULL when the allocation fails.
pub fn c_string(bytes: &[u8]) -> *mut c_char {
    // SAFETY: malloc returns either NULL or a block of bytes.len() + 1 writable bytes.
    unsafe {
        let p = mem::malloc(bytes.len() + 1) as *mut u8;
        if !p.is_null() {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len());
            *p.add(bytes.len()) = 0;
        }
        p as *mut c_char
    }
}

/// ASCII case-insensitive equality, as evutil_ascii_strcasecmp() == 0 (locale-independent).
pub fn eq_ignore_case(a: &[u8], b: &[u8]) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// RFC 3986 unreserved characters: ALPHA / DIGIT / "-" / "." / "_" / "~".
pub fn is_unreserved(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~')
}

/// RFC 3986 sub-delims.
pub fn is_subdelim(c: u8) -> bool {
    matches!(c, b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=')
}
