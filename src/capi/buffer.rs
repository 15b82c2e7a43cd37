//! Exports of event2/buffer.h (evbuffer_add_printf and evbuffer_add_vprintf are C variadics:
//! they live in src/shim/buffer.c).
//!
//! libevent dereferences whatever it is given; where it would crash on a NULL buffer or NULL
//! data with a non-zero length, these return the function's failure value instead.
//!
//! Every function here is `unsafe extern "C"`: its pointer arguments carry the C API's contract
//! (a buffer from evbuffer_new not yet freed, memory of the stated length, ...). The helpers
//! `buf`, `bytes` and `bytes_mut` turn such pointers into references under that contract.
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]
use crate::buffer::callbacks::{CbEntry, CbFunc};
use crate::buffer::chain::RefCleanup;
use crate::buffer::{self, Evbuffer, EvbufferIovec, EvbufferPtr, FileSegment, SegCleanup};
use crate::core::base::EventBase;
use libc::{c_char, c_int, c_uchar, c_uint, c_void};

pub type ev_ssize_t = isize;
pub type ev_off_t = i64;
pub type ev_uint64_t = u64;
pub type ev_uint32_t = u32;
pub type evutil_socket_t = c_int;
pub type EvbufferEolStyle = c_int;
pub type EvbufferPtrHow = c_int;
pub type evbuffer_ref_cleanup_cb = Option<RefCleanup>;
pub type evbuffer_file_segment_cleanup_cb = Option<SegCleanup>;
pub type evbuffer_cb_func = Option<CbFunc>;

unsafe fn buf<'a>(p: *const Evbuffer) -> Option<&'a Evbuffer> {
    // SAFETY: a non-NULL evbuffer pointer came from evbuffer_new and is not yet freed (the
    // caller's contract).
    unsafe { p.as_ref() }
}

/// The `n` bytes at `p`; `None` for NULL, and for a length no object can have (more than
/// EV_SSIZE_MAX: libevent fails those calls too, and a Rust slice cannot be that long).
unsafe fn bytes<'a>(p: *const c_void, n: usize) -> Option<&'a [u8]> {
    if n == 0 {
        return Some(&[]);
    }
    if p.is_null() || n > isize::MAX as usize {
        return None;
    }
    // SAFETY: the caller promises `n` readable bytes at `p`.
    Some(unsafe { std::slice::from_raw_parts(p as *const u8, n) })
}

/// Room for what `b` can give out of `n` bytes at `p`: the copying calls take at most the
/// buffer's length, so a larger `n` (even SIZE_MAX) is cut to it, and the slice never claims
/// memory the caller did not promise.
unsafe fn out_bytes<'a>(b: &Evbuffer, p: *mut c_void, n: usize) -> Option<&'a mut [u8]> {
    if p.is_null() && n != 0 {
        return None;
    }
    // SAFETY: the caller promises `n` writable bytes at `p`, and this is no more.
    unsafe { bytes_mut(p, n.min(b.len())) }
}

unsafe fn bytes_mut<'a>(p: *mut c_void, n: usize) -> Option<&'a mut [u8]> {
    if n == 0 {
        return Some(&mut []);
    }
    if p.is_null() {
        return None;
    }
    // SAFETY: the caller promises `n` writable bytes at `p`.
    Some(unsafe { std::slice::from_raw_parts_mut(p as *mut u8, n) })
}

fn rc(r: Result<(), ()>) -> c_int {
    if r.is_ok() { 0 } else { -1 }
}

#[no_mangle]
pub extern "C" fn evbuffer_new() -> *mut Evbuffer {
    // NULL when the program's malloc refuses, silently as in libevent.
    crate::core::mem::try_box(Evbuffer::new()).map_or(std::ptr::null_mut(), Box::into_raw)
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_free(buf: *mut Evbuffer) {
    if !buf.is_null() {
        // SAFETY: the pointer came from evbuffer_new (Box::into_raw); the program gives up its
        // reference (a pending deferred callback run may hold another).
        unsafe { Evbuffer::decref(buf) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_enable_locking(buf: *mut Evbuffer, lock: *mut c_void) -> c_int {
    match self::buf(buf) {
        Some(b) => b.enable_locking(lock),
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_lock(buf: *mut Evbuffer) {
    if let Some(b) = self::buf(buf) {
        b.acquire();
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_unlock(buf: *mut Evbuffer) {
    if let Some(b) = self::buf(buf) {
        b.release();
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_set_flags(buf: *mut Evbuffer, flags: ev_uint64_t) -> c_int {
    match self::buf(buf) {
        Some(b) => {
            b.set_flags(flags);
            0
        }
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_clear_flags(buf: *mut Evbuffer, flags: ev_uint64_t) -> c_int {
    match self::buf(buf) {
        Some(b) => {
            b.clear_flags(flags);
            0
        }
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_get_length(buf: *const Evbuffer) -> usize {
    self::buf(buf).map_or(0, |b| b.len())
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_get_contiguous_space(buf: *const Evbuffer) -> usize {
    self::buf(buf).map_or(0, |b| b.contiguous_space())
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_expand(buf: *mut Evbuffer, datlen: usize) -> c_int {
    self::buf(buf).map_or(-1, |b| rc(b.expand(datlen)))
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_reserve_space(buf: *mut Evbuffer, size: ev_ssize_t, vec: *mut EvbufferIovec, n_vec: c_int) -> c_int {
    let Some(b) = self::buf(buf) else { return -1 };
    if n_vec < 1 || vec.is_null() {
        return -1;
    }
    // SAFETY: the caller provides n_vec iovecs at vec.
    let vecs = unsafe { std::slice::from_raw_parts_mut(vec, n_vec as usize) };
    b.reserve_space(size, vecs)
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_commit_space(buf: *mut Evbuffer, vec: *mut EvbufferIovec, n_vecs: c_int) -> c_int {
    let Some(b) = self::buf(buf) else { return -1 };
    let vecs: &[EvbufferIovec] = if n_vecs <= 0 {
        &[]
    } else if vec.is_null() {
        return -1;
    } else {
        // SAFETY: the caller provides n_vecs iovecs at vec.
        unsafe { std::slice::from_raw_parts(vec, n_vecs as usize) }
    };
    rc(b.commit_space(vecs))
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_add(buf: *mut Evbuffer, data: *const c_void, datlen: usize) -> c_int {
    match (self::buf(buf), bytes(data, datlen)) {
        (Some(b), Some(d)) => rc(b.add(d)),
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_remove(buf: *mut Evbuffer, data: *mut c_void, datlen: usize) -> c_int {
    let Some(b) = self::buf(buf) else { return -1 };
    match out_bytes(b, data, datlen) {
        Some(d) => b.remove(d) as c_int,
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_copyout(buf: *mut Evbuffer, data_out: *mut c_void, datlen: usize) -> ev_ssize_t {
    let Some(b) = self::buf(buf) else { return -1 };
    match out_bytes(b, data_out, datlen) {
        Some(d) => b.copyout(d),
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_copyout_from(
    buf: *mut Evbuffer,
    pos: *const EvbufferPtr,
    data_out: *mut c_void,
    datlen: usize,
) -> ev_ssize_t {
    let Some(b) = self::buf(buf) else { return -1 };
    let Some(d) = out_bytes(b, data_out, datlen) else { return -1 };
    // SAFETY: a non-NULL pos points at a struct evbuffer_ptr.
    match unsafe { pos.as_ref() } {
        Some(p) => b.copyout_from(p, d),
        None => b.copyout(d),
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_remove_buffer(src: *mut Evbuffer, dst: *mut Evbuffer, datlen: usize) -> c_int {
    match (self::buf(src), self::buf(dst)) {
        (Some(s), Some(d)) => s.remove_buffer(d, datlen),
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_readln(buffer: *mut Evbuffer, n_read_out: *mut usize, eol_style: EvbufferEolStyle) -> *mut c_char {
    let r = self::buf(buffer).and_then(|b| b.readln(eol_style));
    if !n_read_out.is_null() {
        // SAFETY: a non-NULL n_read_out points at a size_t.
        unsafe { *n_read_out = r.map_or(0, |(_, n)| n) };
    }
    r.map_or(std::ptr::null_mut(), |(p, _)| p as *mut c_char)
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_buffer(outbuf: *mut Evbuffer, inbuf: *mut Evbuffer) -> c_int {
    match (self::buf(outbuf), self::buf(inbuf)) {
        (Some(o), Some(i)) => rc(o.add_buffer(i)),
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_buffer_reference(outbuf: *mut Evbuffer, inbuf: *mut Evbuffer) -> c_int {
    match (self::buf(outbuf), self::buf(inbuf)) {
        (Some(o), Some(i)) => rc(o.add_buffer_reference(i)),
        _ => -1,
    }
}

/// libevent 2.2: bytes `offset..offset + datlen` of `data` as a reference; the cleanup gets
/// `data` and `offset + datlen`. -1 for a NULL buffer, or NULL data with bytes to add.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_reference_with_offset(
    outbuf: *mut Evbuffer,
    data: *const c_void,
    offset: usize,
    datlen: usize,
    cleanupfn: evbuffer_ref_cleanup_cb,
    cleanupfn_arg: *mut c_void,
) -> c_int {
    let Some(b) = self::buf(outbuf) else { return -1 };
    if data.is_null() && datlen > 0 {
        return -1;
    }
    // SAFETY: the program keeps data valid until the cleanup runs (the function's contract).
    rc(unsafe { b.add_reference_with_offset(data as *const u8, offset, datlen, cleanupfn, cleanupfn_arg) })
}

/// libevent 2.2: the most one evbuffer_read (and so one read of a bufferevent) takes in;
/// 4096 by default. 0, more than INT_MAX or a NULL buffer: -1.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_set_max_read(buf: *mut Evbuffer, max: usize) -> c_int {
    let Some(b) = self::buf(buf) else { return -1 };
    rc(b.set_max_read(max))
}

/// libevent 2.2: see evbuffer_set_max_read; 0 for a NULL buffer.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_get_max_read(buf: *mut Evbuffer) -> usize {
    self::buf(buf).map_or(0, |b| b.max_read())
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_reference(
    outbuf: *mut Evbuffer,
    data: *const c_void,
    datlen: usize,
    cleanupfn: evbuffer_ref_cleanup_cb,
    cleanupfn_arg: *mut c_void,
) -> c_int {
    let Some(b) = self::buf(outbuf) else { return -1 };
    if data.is_null() && datlen > 0 {
        return -1;
    }
    // SAFETY: the program keeps data valid until the cleanup runs (the function's contract).
    rc(unsafe { b.add_reference(data as *const u8, datlen, cleanupfn, cleanupfn_arg) })
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_file(outbuf: *mut Evbuffer, fd: c_int, offset: ev_off_t, length: ev_off_t) -> c_int {
    self::buf(outbuf).map_or(-1, |b| rc(b.add_file(fd, offset, length)))
}

#[no_mangle]
pub extern "C" fn evbuffer_file_segment_new(fd: c_int, offset: ev_off_t, length: ev_off_t, flags: c_uint) -> *mut FileSegment {
    buffer::file_segment_new(fd, offset, length, flags)
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_file_segment_free(seg: *mut FileSegment) {
    if !seg.is_null() {
        // SAFETY: the segment came from evbuffer_file_segment_new and the caller gives up one
        // reference.
        unsafe { buffer::file_segment_free(seg) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_file_segment_add_cleanup_cb(seg: *mut FileSegment, cb: evbuffer_file_segment_cleanup_cb, arg: *mut c_void) {
    // SAFETY: a non-NULL segment is live while the caller holds its reference.
    if let Some(s) = unsafe { seg.as_ref() } {
        s.set_cleanup(cb, arg);
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_file_segment(buf: *mut Evbuffer, seg: *mut FileSegment, offset: ev_off_t, length: ev_off_t) -> c_int {
    match (self::buf(buf), seg.is_null()) {
        // SAFETY: the segment came from evbuffer_file_segment_new and is referenced by the caller.
        (Some(b), false) => rc(unsafe { b.add_file_segment(seg, offset, length) }),
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_drain(buf: *mut Evbuffer, len: usize) -> c_int {
    self::buf(buf).map_or(-1, |b| rc(b.drain(len)))
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_write(buffer: *mut Evbuffer, fd: evutil_socket_t) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.write(fd))
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_write_atmost(buffer: *mut Evbuffer, fd: evutil_socket_t, howmuch: ev_ssize_t) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.write_atmost(fd, howmuch))
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_read(buffer: *mut Evbuffer, fd: evutil_socket_t, howmuch: c_int) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.read(fd, howmuch))
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_search(buffer: *mut Evbuffer, what: *const c_char, len: usize, start: *const EvbufferPtr) -> EvbufferPtr {
    evbuffer_search_range(buffer, what, len, start, std::ptr::null())
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_search_range(
    buffer: *mut Evbuffer,
    what: *const c_char,
    len: usize,
    start: *const EvbufferPtr,
    end: *const EvbufferPtr,
) -> EvbufferPtr {
    let Some(b) = self::buf(buffer) else { return EvbufferPtr::NOT_FOUND };
    // A NULL pattern of non-zero length finds nothing; a huge length is "empty", as libevent
    // answers it with the start position.
    let pat = if len > isize::MAX as usize { Some(&[][..]) } else { bytes(what as *const c_void, len) };
    let Some(pat) = pat else { return EvbufferPtr::NOT_FOUND };
    // SAFETY: non-NULL positions point at struct evbuffer_ptr values.
    b.search_range(pat, unsafe { start.as_ref() }, unsafe { end.as_ref() })
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_ptr_set(buffer: *mut Evbuffer, ptr: *mut EvbufferPtr, position: usize, how: EvbufferPtrHow) -> c_int {
    // SAFETY: a non-NULL ptr points at a struct evbuffer_ptr.
    match (self::buf(buffer), unsafe { ptr.as_mut() }) {
        (Some(b), Some(p)) => b.ptr_set(p, position, how),
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_search_eol(
    buffer: *mut Evbuffer,
    start: *mut EvbufferPtr,
    eol_len_out: *mut usize,
    eol_style: EvbufferEolStyle,
) -> EvbufferPtr {
    // SAFETY: a non-NULL start points at a struct evbuffer_ptr.
    let start = unsafe { start.as_ref() };
    let (p, n) = match self::buf(buffer) {
        Some(b) => b.search_eol(start, eol_style),
        None => (EvbufferPtr::NOT_FOUND, 0),
    };
    if !eol_len_out.is_null() {
        // SAFETY: a non-NULL eol_len_out points at a size_t.
        unsafe { *eol_len_out = n };
    }
    p
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_peek(
    buffer: *mut Evbuffer,
    len: ev_ssize_t,
    start_at: *mut EvbufferPtr,
    vec_out: *mut EvbufferIovec,
    n_vec: c_int,
) -> c_int {
    let Some(b) = self::buf(buffer) else { return -1 };
    let vecs: &mut [EvbufferIovec] = if n_vec <= 0 || vec_out.is_null() {
        &mut []
    } else {
        // SAFETY: the caller provides n_vec iovecs at vec_out.
        unsafe { std::slice::from_raw_parts_mut(vec_out, n_vec as usize) }
    };
    // SAFETY: a non-NULL start_at points at a struct evbuffer_ptr.
    b.peek(len, unsafe { start_at.as_ref() }, vecs)
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_cb(buffer: *mut Evbuffer, cb: evbuffer_cb_func, cbarg: *mut c_void) -> *mut CbEntry {
    self::buf(buffer).map_or(std::ptr::null_mut(), |b| b.add_cb(cb, cbarg))
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_remove_cb_entry(buffer: *mut Evbuffer, ent: *mut CbEntry) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.remove_cb_entry(ent))
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_remove_cb(buffer: *mut Evbuffer, cb: evbuffer_cb_func, cbarg: *mut c_void) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.remove_cb(cb, cbarg))
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_cb_set_flags(buffer: *mut Evbuffer, cb: *mut CbEntry, flags: ev_uint32_t) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.cb_flags(cb, flags, true))
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_cb_clear_flags(buffer: *mut Evbuffer, cb: *mut CbEntry, flags: ev_uint32_t) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.cb_flags(cb, flags, false))
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_pullup(buf: *mut Evbuffer, size: ev_ssize_t) -> *mut c_uchar {
    self::buf(buf).map_or(std::ptr::null_mut(), |b| b.pullup(size))
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_prepend(buf: *mut Evbuffer, data: *const c_void, size: usize) -> c_int {
    match (self::buf(buf), bytes(data, size)) {
        (Some(b), Some(d)) => rc(b.prepend(d)),
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_prepend_buffer(dst: *mut Evbuffer, src: *mut Evbuffer) -> c_int {
    match (self::buf(dst), self::buf(src)) {
        (Some(d), Some(s)) => rc(d.prepend_buffer(s)),
        _ => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_freeze(buf: *mut Evbuffer, at_front: c_int) -> c_int {
    match self::buf(buf) {
        Some(b) => {
            b.freeze(at_front != 0);
            0
        }
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_unfreeze(buf: *mut Evbuffer, at_front: c_int) -> c_int {
    match self::buf(buf) {
        Some(b) => {
            b.unfreeze(at_front != 0);
            0
        }
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_defer_callbacks(buffer: *mut Evbuffer, base: *mut EventBase) -> c_int {
    match self::buf(buffer) {
        // SAFETY: a non-NULL base came from event_base_new and outlives the buffer's callbacks.
        Some(b) => unsafe { b.defer_callbacks(base) },
        None => -1,
    }
}

#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_iovec(buffer: *mut Evbuffer, vec: *mut EvbufferIovec, n_vec: c_int) -> usize {
    let Some(b) = self::buf(buffer) else { return 0 };
    let vecs: &[EvbufferIovec] = if n_vec <= 0 || vec.is_null() {
        &[]
    } else {
        // SAFETY: the caller provides n_vec iovecs at vec.
        unsafe { std::slice::from_raw_parts(vec, n_vec as usize) }
    };
    // SAFETY: each iovec describes readable memory (the function's contract).
    unsafe { b.add_iovec(vecs) }
}
