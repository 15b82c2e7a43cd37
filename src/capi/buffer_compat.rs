//! Exports of event2/buffer_compat.h.
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]
use crate::buffer::callbacks::CbObsolete;
use crate::buffer::search::EOL_ANY;
use crate::buffer::Evbuffer;
use libc::{c_char, c_int, c_uchar, c_void};

pub type evbuffer_cb = Option<CbObsolete>;

/// Deprecated: takes one line from the front of the buffer, as
/// `evbuffer_readln(buffer, NULL, EVBUFFER_EOL_ANY)`.
/// @param buffer the buffer.
/// @return the line without its end of line, NUL-terminated, which the caller frees (with free,
/// or the function given to `event_set_mem_functions()`); NULL when there is no complete line.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_readline(buffer: *mut Evbuffer) -> *mut c_char {
    // SAFETY: a non-NULL buffer came from evbuffer_new.
    match unsafe { buffer.as_ref() }.and_then(|b| b.readln(EOL_ANY)) {
        Some((p, _)) => p as *mut c_char,
        None => std::ptr::null_mut(),
    }
}

/// Deprecated: removes every callback of the buffer (those of `evbuffer_add_cb()` too) and, when
/// `cb` is not NULL, adds `cb` as its only one.
/// @param buffer the buffer.
/// @param cb called after each change with the length before and after it, and `cbarg`; NULL
/// leaves the buffer without callbacks.
/// @param cbarg the callback's argument.
/// @return 0, or -1 when `buffer` is NULL or memory runs out (the old callbacks are gone all the
/// same, as in libevent).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_setcb(buffer: *mut Evbuffer, cb: evbuffer_cb, cbarg: *mut c_void) -> c_int {
    // SAFETY: as above.
    match unsafe { buffer.as_ref() } {
        Some(b) if b.setcb(cb, cbarg).is_ok() => 0,
        _ => -1,
    }
}

/// Deprecated (use `evbuffer_search()`): finds `len` bytes in the buffer and makes the buffer
/// contiguous up to the end of the match.
/// @param buffer the buffer.
/// @param what the bytes to find.
/// @param len their number.
/// @return a pointer to the match inside the buffer, valid until the buffer changes; NULL when
/// there is none (or for an empty pattern, or a NULL pointer).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_find(buffer: *mut Evbuffer, what: *const c_uchar, len: usize) -> *mut c_uchar {
    // SAFETY: as above.
    let Some(b) = (unsafe { buffer.as_ref() }) else { return std::ptr::null_mut() };
    let pat: &[u8] = if len == 0 {
        &[]
    } else if what.is_null() {
        return std::ptr::null_mut();
    } else {
        // SAFETY: the caller promises len readable bytes at what.
        unsafe { std::slice::from_raw_parts(what, len) }
    };
    b.find(pat)
}
