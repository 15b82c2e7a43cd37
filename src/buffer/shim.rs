//! Entry points for the C shim (src/shim/buffer.c), which formats evbuffer_add_printf's
//! arguments straight into a chain's free space. Not public: the `rs_` prefix keeps them out
//! of exports.map. The shim holds the buffer's lock across the two calls.
use super::Evbuffer;
use libc::{c_char, c_int};

/// Room for at least `want` bytes at the end of `buf`; NULL when the buffer refuses.
///
/// # Safety
/// `buf` is a live evbuffer and `space` a writable size_t.
#[no_mangle]
pub unsafe extern "C" fn rs_evbuffer_printf_space(buf: *mut Evbuffer, want: usize, space: *mut usize) -> *mut c_char {
    // SAFETY: per the contract above.
    match unsafe { buf.as_ref() }.and_then(|b| b.printf_space(want)) {
        Some((p, n)) => {
            // SAFETY: per the contract above.
            unsafe { *space = n };
            p as *mut c_char
        }
        None => std::ptr::null_mut(),
    }
}

/// Makes the `n` bytes written at `at` part of the data, then runs the callbacks.
///
/// # Safety
/// `buf` is a live evbuffer; `at` came from rs_evbuffer_printf_space on it.
#[no_mangle]
pub unsafe extern "C" fn rs_evbuffer_printf_commit(buf: *mut Evbuffer, at: *mut c_char, n: usize) -> c_int {
    // SAFETY: per the contract above.
    match unsafe { buf.as_ref() }.map(|b| b.printf_commit(at as *mut u8, n)) {
        Some(Ok(())) => 0,
        _ => -1,
    }
}
