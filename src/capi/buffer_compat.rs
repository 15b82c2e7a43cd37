//! Exports of event2/buffer_compat.h.
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]
use crate::buffer::callbacks::CbObsolete;
use crate::buffer::search::EOL_ANY;
use crate::buffer::Evbuffer;
use libc::{c_char, c_int, c_uchar, c_void};

pub type evbuffer_cb = Option<CbObsolete>;

/// `evbuffer_readln(buffer, NULL, EVBUFFER_EOL_ANY)`.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_readline(buffer: *mut Evbuffer) -> *mut c_char {
    // SAFETY: a non-NULL buffer came from evbuffer_new.
    match unsafe { buffer.as_ref() }.and_then(|b| b.readln(EOL_ANY)) {
        Some((p, _)) => p as *mut c_char,
        None => std::ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_setcb(buffer: *mut Evbuffer, cb: evbuffer_cb, cbarg: *mut c_void) -> c_int {
    // SAFETY: as above.
    match unsafe { buffer.as_ref() } {
        Some(b) if b.setcb(cb, cbarg).is_ok() => 0,
        _ => -1,
    }
}

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
