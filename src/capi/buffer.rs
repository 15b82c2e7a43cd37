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
    if r.is_ok() {
        0
    } else {
        -1
    }
}

/// Makes an empty buffer, without a lock and without callbacks.
/// @return the new buffer, which the caller frees with `evbuffer_free()`; NULL when memory runs
/// out (no message is logged).
#[no_mangle]
pub extern "C" fn evbuffer_new() -> *mut Evbuffer {
    // NULL when the program's malloc refuses, silently as in libevent.
    crate::core::mem::try_box(Evbuffer::new()).map_or(std::ptr::null_mut(), Box::into_raw)
}

/// Releases the program's buffer and the bytes in it. Each referenced block's cleanup function
/// runs, and each file segment loses its reference. When a deferred callback run is still
/// pending, the memory goes once that run is over. NULL does nothing.
/// @param buf the buffer, which must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_free(buf: *mut Evbuffer) {
    if !buf.is_null() {
        // SAFETY: the pointer came from evbuffer_new (Box::into_raw); the program gives up its
        // reference (a pending deferred callback run may hold another).
        unsafe { Evbuffer::decref(buf) };
    }
}

/// Gives the buffer a lock, so that several threads may use it.
/// @param buf the buffer.
/// @param lock a lock made by the program's locking callbacks (shared, for example with a
/// bufferevent, and not freed by the buffer), or NULL for a new recursive lock that the buffer
/// owns and frees.
/// @return 0; -1 when `buf` is NULL, when the buffer has a lock already, or when `lock` is NULL
/// and no locking was set up (`evthread_use_pthreads()`).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_enable_locking(buf: *mut Evbuffer, lock: *mut c_void) -> c_int {
    match self::buf(buf) {
        Some(b) => b.enable_locking(lock),
        None => -1,
    }
}

/// Takes the buffer's lock, so that a sequence of calls runs as one step for other threads. The
/// lock is recursive; each call is matched by `evbuffer_unlock()`. Does nothing on a buffer
/// without a lock or on NULL.
/// @param buf the buffer.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_lock(buf: *mut Evbuffer) {
    if let Some(b) = self::buf(buf) {
        b.acquire();
    }
}

/// Releases the lock taken by `evbuffer_lock()`. Does nothing on a buffer without a lock or on
/// NULL.
/// @param buf the buffer.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_unlock(buf: *mut Evbuffer) {
    if let Some(b) = self::buf(buf) {
        b.release();
    }
}

/// Sets flags of the buffer (ORs them in). The one flag is `EVBUFFER_FLAG_DRAINS_TO_FD`.
/// @param buf the buffer.
/// @param flags the flags to set; unknown bits are kept but mean nothing.
/// @return 0, or -1 when `buf` is NULL.
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

/// Clears flags of the buffer set by `evbuffer_set_flags()`.
/// @param buf the buffer.
/// @param flags the flags to clear.
/// @return 0, or -1 when `buf` is NULL.
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

/// The number of bytes stored in the buffer.
/// @param buf the buffer.
/// @return the length; 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_get_length(buf: *const Evbuffer) -> usize {
    self::buf(buf).map_or(0, |b| b.len())
}

/// The number of bytes at the front of the buffer that lie in one block of memory, which
/// `evbuffer_pullup()` of that many bytes returns without copying.
/// @param buf the buffer.
/// @return the length of the first block; 0 for an empty buffer or NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_get_contiguous_space(buf: *const Evbuffer) -> usize {
    self::buf(buf).map_or(0, |b| b.contiguous_space())
}

/// Makes room so that `datlen` more bytes can be added at the end in one contiguous block
/// without allocating again. The length of the buffer does not change.
/// @param buf the buffer.
/// @param datlen the number of bytes to make room for.
/// @return 0, or -1 when memory runs out or `buf` is NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_expand(buf: *mut Evbuffer, datlen: usize) -> c_int {
    self::buf(buf).map_or(-1, |b| rc(b.expand(datlen)))
}

/// Lends the program free space at the end of the buffer to write into directly, without
/// copying: at least `size` bytes spread over at most `n_vec` extents (a single extent when
/// `n_vec` is 1). The bytes count only once `evbuffer_commit_space()` commits them; no other
/// change may be made to the buffer in between.
/// @param buf the buffer.
/// @param size the number of bytes wanted.
/// @param vec the program's array that receives the extents.
/// @param n_vec the number of entries in `vec`, at least 1.
/// @return the number of extents filled in, or -1 (NULL `buf` or `vec`, `n_vec` below 1, the end
/// frozen, memory exhausted).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_reserve_space(
    buf: *mut Evbuffer,
    size: ev_ssize_t,
    vec: *mut EvbufferIovec,
    n_vec: c_int,
) -> c_int {
    let Some(b) = self::buf(buf) else { return -1 };
    if n_vec < 1 || vec.is_null() {
        return -1;
    }
    // SAFETY: the caller provides n_vec iovecs at vec.
    let vecs = unsafe { std::slice::from_raw_parts_mut(vec, n_vec as usize) };
    b.reserve_space(size, vecs)
}

/// Adds to the buffer the bytes the program wrote into space from `evbuffer_reserve_space()`.
/// The program may lower the `iov_len` of the extents (to commit fewer bytes), but must pass
/// the same `iov_base` pointers, in order.
/// @param buf the buffer.
/// @param vec the extents, as reserved, with their lengths set to the bytes written.
/// @param n_vecs the number of extents to commit; 0 or less commits nothing.
/// @return 0, or -1 when an extent does not match the space reserved (other base, larger
/// length: the buffer changed since), the end is frozen, or `buf` (or `vec`, with `n_vecs` above
/// 0) is NULL. Nothing is committed then.
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

/// Appends a copy of `datlen` bytes at `data` to the end of the buffer.
/// @param buf the buffer.
/// @param data the bytes to copy; may be NULL when `datlen` is 0.
/// @param datlen the number of bytes.
/// @return 0, or -1 when memory runs out, the end is frozen, `buf` is NULL, or `data` is NULL
/// (or `datlen` larger than `EV_SSIZE_MAX`) with bytes to add.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add(buf: *mut Evbuffer, data: *const c_void, datlen: usize) -> c_int {
    match (self::buf(buf), bytes(data, datlen)) {
        (Some(b), Some(d)) => rc(b.add(d)),
        _ => -1,
    }
}

/// Copies up to `datlen` bytes from the front of the buffer into `data` and drains them.
/// @param buf the buffer.
/// @param data the destination, of at least `datlen` bytes (or as many as the buffer holds).
/// @param datlen the most bytes to take.
/// @return the number of bytes taken (0 for an empty buffer), or -1 when the front is frozen,
/// `buf` is NULL or `data` is NULL with bytes to take.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_remove(buf: *mut Evbuffer, data: *mut c_void, datlen: usize) -> c_int {
    let Some(b) = self::buf(buf) else { return -1 };
    match out_bytes(b, data, datlen) {
        Some(d) => b.remove(d) as c_int,
        _ => -1,
    }
}

/// Copies up to `datlen` bytes from the front of the buffer into `data`, leaving the buffer
/// unchanged.
/// @param buf the buffer.
/// @param data_out the destination, of at least `datlen` bytes (or as many as the buffer holds).
/// @param datlen the most bytes to copy.
/// @return the number of bytes copied, or -1 when `buf` is NULL or `data_out` is NULL with
/// bytes to copy.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_copyout(buf: *mut Evbuffer, data_out: *mut c_void, datlen: usize) -> ev_ssize_t {
    let Some(b) = self::buf(buf) else { return -1 };
    match out_bytes(b, data_out, datlen) {
        Some(d) => b.copyout(d),
        _ => -1,
    }
}

/// As `evbuffer_copyout()`, from the position `pos` rather than the front.
/// @param buf the buffer.
/// @param pos a position in this buffer (from `evbuffer_ptr_set()` or a search); NULL is the
/// front.
/// @param data_out the destination, of at least `datlen` bytes.
/// @param datlen the most bytes to copy.
/// @return the number of bytes copied (0 at the end), or -1 when `pos` is not a valid position
/// of this buffer or a pointer is NULL.
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

/// Moves up to `datlen` bytes from the front of `src` to the end of `dst`, without copying
/// whole blocks.
/// @param src the buffer to take from.
/// @param dst the buffer to add to.
/// @param datlen the most bytes to move.
/// @return the number of bytes moved (0 when `src` and `dst` are the same buffer), or -1 when
/// the front of `src` or the end of `dst` is frozen, or either is NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_remove_buffer(src: *mut Evbuffer, dst: *mut Evbuffer, datlen: usize) -> c_int {
    match (self::buf(src), self::buf(dst)) {
        (Some(s), Some(d)) => s.remove_buffer(d, datlen),
        _ => -1,
    }
}

/// Takes one line from the front of the buffer: the bytes before the first end of line in the
/// style given, which are drained together with the end of line.
/// @param buffer the buffer.
/// @param n_read_out if not NULL, receives the length of the line (0 when none is returned).
/// @param eol_style what ends a line (`enum evbuffer_eol_style`).
/// @return the line without its end of line, NUL-terminated, allocated with the program's
/// allocator (`event_set_mem_functions()`, else malloc): the caller frees it. NULL when no
/// complete line is in the buffer, the front is frozen, memory runs out or `buffer` is NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_readln(
    buffer: *mut Evbuffer,
    n_read_out: *mut usize,
    eol_style: EvbufferEolStyle,
) -> *mut c_char {
    let r = self::buf(buffer).and_then(|b| b.readln(eol_style));
    if !n_read_out.is_null() {
        // SAFETY: a non-NULL n_read_out points at a size_t.
        unsafe { *n_read_out = r.map_or(0, |(_, n)| n) };
    }
    r.map_or(std::ptr::null_mut(), |(p, _)| p as *mut c_char)
}

/// Moves all the bytes of `inbuf` to the end of `outbuf`, without copying them; `inbuf` is
/// left empty. Both buffers' callbacks run.
/// @param outbuf the buffer to add to.
/// @param inbuf the buffer to empty.
/// @return 0 (also when both are the same buffer, or `inbuf` is empty), or -1 when the end of
/// `outbuf` or the front of `inbuf` is frozen, or either is NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_buffer(outbuf: *mut Evbuffer, inbuf: *mut Evbuffer) -> c_int {
    match (self::buf(outbuf), self::buf(inbuf)) {
        (Some(o), Some(i)) => rc(o.add_buffer(i)),
        _ => -1,
    }
}

/// Appends the bytes of `inbuf` to `outbuf` by reference: no byte is copied, `inbuf` is not
/// changed, and the blocks are shared until both buffers have let go of them. The shared bytes
/// must not be changed through `inbuf` while `outbuf` holds them.
/// @param outbuf the buffer to add to.
/// @param inbuf the buffer whose bytes are referenced.
/// @return 0, or -1 when the end of `outbuf` is frozen, `inbuf` holds bytes that cannot be shared
/// again (added by reference from another buffer, or from a file), both are the same non-empty
/// buffer, or either is NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_buffer_reference(outbuf: *mut Evbuffer, inbuf: *mut Evbuffer) -> c_int {
    match (self::buf(outbuf), self::buf(inbuf)) {
        (Some(o), Some(i)) => rc(o.add_buffer_reference(i)),
        _ => -1,
    }
}

/// libevent 2.2 (on the 2.1 ABI): as `evbuffer_add_reference()`, for the bytes
/// `offset` to `offset + datlen` of `data`.
/// @param outbuf the buffer.
/// @param data the start of the program's memory, which must stay valid and unchanged until the
/// cleanup runs.
/// @param offset where the referenced bytes start in `data`.
/// @param datlen the number of bytes.
/// @param cleanupfn called when the buffer no longer needs the bytes, with `data`,
/// `offset + datlen` and `cleanupfn_arg`; may be NULL.
/// @param cleanupfn_arg the cleanup's argument.
/// @return 0, or -1 when `outbuf` is NULL, `data` is NULL with bytes to add, the end is frozen or
/// memory runs out.
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

/// libevent 2.2 (on the 2.1 ABI): sets the most bytes one `evbuffer_read()` takes in, and so the
/// most a socket bufferevent reads at a time (within `bufferevent_set_max_single_read()`). The
/// default is 4096, as in libevent 2.1.
/// @param buf the buffer.
/// @param max the limit, from 1 to INT_MAX.
/// @return 0, or -1 when `max` is 0 or above INT_MAX, or `buf` is NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_set_max_read(buf: *mut Evbuffer, max: usize) -> c_int {
    let Some(b) = self::buf(buf) else { return -1 };
    rc(b.set_max_read(max))
}

/// libevent 2.2 (on the 2.1 ABI): the limit set by `evbuffer_set_max_read()`.
/// @param buf the buffer.
/// @return the limit (4096 unless changed), or 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_get_max_read(buf: *mut Evbuffer) -> usize {
    self::buf(buf).map_or(0, |b| b.max_read())
}

/// Appends the program's memory to the buffer without copying it.
/// @param outbuf the buffer.
/// @param data the bytes, which must stay valid and unchanged until the cleanup runs.
/// @param datlen the number of bytes.
/// @param cleanupfn called once the buffer (and every buffer sharing the bytes) no longer needs
/// them, with `data`, `datlen` and `cleanupfn_arg`; it may free `data`. May be NULL.
/// @param cleanupfn_arg the cleanup's argument.
/// @return 0, or -1 when `outbuf` is NULL, `data` is NULL with bytes to add, the end is frozen or
/// memory runs out (the cleanup does not run then).
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

/// Appends `length` bytes of the file `fd` from `offset`, read when they are needed: sent with
/// sendfile when the buffer has `EVBUFFER_FLAG_DRAINS_TO_FD`, else mapped or read into memory.
/// The buffer owns `fd` on success and closes it when the bytes are gone.
/// @param outbuf the buffer.
/// @param fd an open file, whose descriptor the buffer takes.
/// @param offset where the bytes start in the file.
/// @param length the number of bytes (-1: to the end of the file).
/// @return 0, or -1 on failure. The descriptor stays open when the file cannot be examined or
/// read, or the range is bad; when the buffer refuses the bytes (frozen end) it is closed, as
/// in libevent.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_file(
    outbuf: *mut Evbuffer,
    fd: c_int,
    offset: ev_off_t,
    length: ev_off_t,
) -> c_int {
    self::buf(outbuf).map_or(-1, |b| rc(b.add_file(fd, offset, length)))
}

/// Makes a file segment: `length` bytes of file `fd` from `offset`, which `evbuffer_add_file_segment()`
/// can add to several buffers without reading the file again.
/// @param fd an open file; it must stay open while the segment lives, unless the segment owns it.
/// @param offset where the bytes start.
/// @param length the number of bytes (-1: to the end of the file).
/// @param flags `EVBUF_FS_*` flags.
/// @return the segment, holding one reference for the caller (`evbuffer_file_segment_free()`),
/// or NULL on failure (a bad `fd`, offset or length, or memory exhausted).
#[no_mangle]
pub extern "C" fn evbuffer_file_segment_new(
    fd: c_int,
    offset: ev_off_t,
    length: ev_off_t,
    flags: c_uint,
) -> *mut FileSegment {
    buffer::file_segment_new(fd, offset, length, flags)
}

/// Gives up the caller's reference to a segment. It is freed, its cleanup callback runs and (with
/// `EVBUF_FS_CLOSE_ON_FREE`) its descriptor is closed, once no buffer uses it either. NULL does
/// nothing.
/// @param seg the segment.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_file_segment_free(seg: *mut FileSegment) {
    if !seg.is_null() {
        // SAFETY: the segment came from evbuffer_file_segment_new and the caller gives up one
        // reference.
        unsafe { buffer::file_segment_free(seg) };
    }
}

/// Sets the function called when the segment is freed (replacing any earlier one).
/// @param seg the segment; NULL does nothing.
/// @param cb called with the segment, its flags and `arg` when it is freed; may be NULL.
/// @param arg the callback's argument.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_file_segment_add_cleanup_cb(
    seg: *mut FileSegment,
    cb: evbuffer_file_segment_cleanup_cb,
    arg: *mut c_void,
) {
    // SAFETY: a non-NULL segment is live while the caller holds its reference.
    if let Some(s) = unsafe { seg.as_ref() } {
        s.set_cleanup(cb, arg);
    }
}

/// Appends bytes of a file segment to the buffer, which takes its own reference to the segment.
/// @param buf the buffer.
/// @param seg the segment, from `evbuffer_file_segment_new()`.
/// @param offset where the bytes start, within the segment.
/// @param length the number of bytes (-1: to the end of the segment).
/// @return 0, or -1 on failure. As in libevent, when the range is outside the segment or the end
/// is frozen, the failure also gives up one reference of the caller's (as
/// `evbuffer_file_segment_free()` would); when the file cannot be read, or a pointer is NULL, none.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_file_segment(
    buf: *mut Evbuffer,
    seg: *mut FileSegment,
    offset: ev_off_t,
    length: ev_off_t,
) -> c_int {
    match (self::buf(buf), seg.is_null()) {
        // SAFETY: the segment came from evbuffer_file_segment_new and is referenced by the caller.
        (Some(b), false) => rc(unsafe { b.add_file_segment(seg, offset, length) }),
        _ => -1,
    }
}

/// Removes bytes from the front of the buffer without copying them; more than the buffer holds
/// empties it.
/// @param buf the buffer.
/// @param len the number of bytes.
/// @return 0, or -1 when the front is frozen or `buf` is NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_drain(buf: *mut Evbuffer, len: usize) -> c_int {
    self::buf(buf).map_or(-1, |b| rc(b.drain(len)))
}

/// Writes as much of the buffer as the descriptor takes, and drains what was written.
/// @param buffer the buffer.
/// @param fd a socket (or other descriptor).
/// @return the number of bytes written; -1 on a write error (errno tells which: EAGAIN for a
/// full socket), and for an empty buffer, a frozen front or NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_write(buffer: *mut Evbuffer, fd: evutil_socket_t) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.write(fd))
}

/// As `evbuffer_write()`, writing at most `howmuch` bytes.
/// @param buffer the buffer.
/// @param fd the descriptor.
/// @param howmuch the most bytes to write; negative means the whole buffer.
/// @return the number of bytes written, or -1.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_write_atmost(
    buffer: *mut Evbuffer,
    fd: evutil_socket_t,
    howmuch: ev_ssize_t,
) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.write_atmost(fd, howmuch))
}

/// Reads from a descriptor into the end of the buffer.
/// @param buffer the buffer.
/// @param fd the descriptor.
/// @param howmuch the most bytes to read; a negative value means as many as are waiting, within
/// the buffer's `evbuffer_get_max_read()` limit.
/// @return the number of bytes read, 0 at end of file, or -1 with errno set (also for a frozen
/// end or NULL).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_read(buffer: *mut Evbuffer, fd: evutil_socket_t, howmuch: c_int) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.read(fd, howmuch))
}

/// Finds the first occurrence of `len` bytes at `what` in the buffer.
/// @param buffer the buffer.
/// @param what the bytes to find.
/// @param len their number.
/// @param start where to start searching; NULL is the front.
/// @return the position of the match, or a position with `pos` set to -1 when there is none (or
/// on a NULL argument).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_search(
    buffer: *mut Evbuffer,
    what: *const c_char,
    len: usize,
    start: *const EvbufferPtr,
) -> EvbufferPtr {
    evbuffer_search_range(buffer, what, len, start, std::ptr::null())
}

/// As `evbuffer_search()`, for a match that ends at or before `end`.
/// @param buffer the buffer.
/// @param what the bytes to find.
/// @param len their number.
/// @param start where to start searching; NULL is the front.
/// @param end where a match must end by; NULL is the end of the buffer.
/// @return the position of the match, or one with `pos` -1.
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

/// Sets a position in the buffer.
/// @param buffer the buffer.
/// @param ptr the position to set.
/// @param position the offset from the front (`EVBUFFER_PTR_SET`), or the number of bytes to
/// move `ptr` forward (`EVBUFFER_PTR_ADD`).
/// @param how `EVBUFFER_PTR_SET` or `EVBUFFER_PTR_ADD`.
/// @return 0; -1 when the result would be past the end of the buffer (`ptr->pos` is then -1), or
/// a pointer is NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_ptr_set(
    buffer: *mut Evbuffer,
    ptr: *mut EvbufferPtr,
    position: usize,
    how: EvbufferPtrHow,
) -> c_int {
    // SAFETY: a non-NULL ptr points at a struct evbuffer_ptr.
    match (self::buf(buffer), unsafe { ptr.as_mut() }) {
        (Some(b), Some(p)) => b.ptr_set(p, position, how),
        _ => -1,
    }
}

/// Finds the next end of line, without changing the buffer.
/// @param buffer the buffer.
/// @param start where to start; NULL is the front.
/// @param eol_len_out if not NULL, receives the length of the end of line found (0 for none).
/// @param eol_style what ends a line (`enum evbuffer_eol_style`).
/// @return the position of the end of line, or one with `pos` -1 when there is none.
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

/// Shows where the bytes of the buffer lie in memory, without copying or changing anything. The
/// extents stay valid until the buffer is next changed.
/// @param buffer the buffer.
/// @param len the number of bytes to cover; negative: the whole buffer.
/// @param start_at where to start; NULL is the front.
/// @param vec_out receives up to `n_vec` extents; may be NULL to only count them.
/// @param n_vec the number of entries in `vec_out`.
/// @return the number of extents needed to cover `len` bytes, which may be more than `n_vec`;
/// 0 when `start_at` is not in the buffer, -1 for a NULL buffer.
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

/// Adds a callback run after each change of the buffer's length (immediately, or from the event
/// loop after `evbuffer_defer_callbacks()`).
/// @param buffer the buffer.
/// @param cb called with the buffer, what changed and `cbarg`.
/// @param cbarg the callback's argument.
/// @return a handle for `evbuffer_remove_cb_entry()` and the flag calls, owned by the buffer
/// (freed when removed or with the buffer); NULL on failure.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_add_cb(
    buffer: *mut Evbuffer,
    cb: evbuffer_cb_func,
    cbarg: *mut c_void,
) -> *mut CbEntry {
    self::buf(buffer).map_or(std::ptr::null_mut(), |b| b.add_cb(cb, cbarg))
}

/// Removes a callback added by `evbuffer_add_cb()`.
/// @param buffer the buffer.
/// @param ent the handle, invalid afterwards.
/// @return 0, or -1 when `ent` is not a callback of this buffer.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_remove_cb_entry(buffer: *mut Evbuffer, ent: *mut CbEntry) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.remove_cb_entry(ent))
}

/// Removes the callback added with this function and argument (the first one, if several).
/// @param buffer the buffer.
/// @param cb the function.
/// @param cbarg the argument.
/// @return 0, or -1 when there is no such callback.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_remove_cb(buffer: *mut Evbuffer, cb: evbuffer_cb_func, cbarg: *mut c_void) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.remove_cb(cb, cbarg))
}

/// Sets flags of a callback: `EVBUFFER_CB_ENABLED` turns it on again.
/// @param buffer the buffer.
/// @param cb the handle from `evbuffer_add_cb()`.
/// @param flags the flags.
/// @return 0, or -1 when `cb` is not a callback of this buffer.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_cb_set_flags(buffer: *mut Evbuffer, cb: *mut CbEntry, flags: ev_uint32_t) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.cb_flags(cb, flags, true))
}

/// Clears flags of a callback: clearing `EVBUFFER_CB_ENABLED` turns it off without removing it.
/// @param buffer the buffer.
/// @param cb the handle from `evbuffer_add_cb()`.
/// @param flags the flags.
/// @return 0, or -1 when `cb` is not a callback of this buffer.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_cb_clear_flags(buffer: *mut Evbuffer, cb: *mut CbEntry, flags: ev_uint32_t) -> c_int {
    self::buf(buffer).map_or(-1, |b| b.cb_flags(cb, flags, false))
}

/// Makes the first `size` bytes contiguous in memory (copying when they span blocks) and returns
/// them. The pointer stays valid until the buffer is next changed.
/// @param buf the buffer.
/// @param size the number of bytes; negative: the whole buffer.
/// @return the first byte, or NULL when the buffer holds fewer than `size` bytes, `size` is 0,
/// the buffer is empty, memory runs out, or `buf` is NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_pullup(buf: *mut Evbuffer, size: ev_ssize_t) -> *mut c_uchar {
    self::buf(buf).map_or(std::ptr::null_mut(), |b| b.pullup(size))
}

/// Inserts a copy of `size` bytes at `data` at the front of the buffer.
/// @param buf the buffer.
/// @param data the bytes; may be NULL when `size` is 0.
/// @param size their number.
/// @return 0, or -1 when the front is frozen, memory runs out or a pointer is NULL. Unlike
/// libevent 2.1.12, a size larger than any allocation fails without reading `data` (see
/// SECURITY.md).
#[no_mangle]
pub unsafe extern "C" fn evbuffer_prepend(buf: *mut Evbuffer, data: *const c_void, size: usize) -> c_int {
    match (self::buf(buf), bytes(data, size)) {
        (Some(b), Some(d)) => rc(b.prepend(d)),
        _ => -1,
    }
}

/// Moves all the bytes of `src` to the front of `dst`, without copying; `src` is left empty.
/// @param dst the buffer to add to.
/// @param src the buffer to empty.
/// @return 0, or -1 when the front of `dst` or of `src` is frozen, or either is NULL.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_prepend_buffer(dst: *mut Evbuffer, src: *mut Evbuffer) -> c_int {
    match (self::buf(dst), self::buf(src)) {
        (Some(d), Some(s)) => rc(d.prepend_buffer(s)),
        _ => -1,
    }
}

/// Freezes one end of the buffer: the calls that add at the end (back frozen) or that take from the
/// front (front frozen) fail until `evbuffer_unfreeze()`. A bufferevent freezes the ends of its
/// buffers that only it may change.
/// @param buf the buffer.
/// @param at_front nonzero for the front, 0 for the end.
/// @return 0, or -1 when `buf` is NULL.
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

/// Undoes `evbuffer_freeze()` for one end.
/// @param buf the buffer.
/// @param at_front nonzero for the front, 0 for the end.
/// @return 0, or -1 when `buf` is NULL.
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

/// Makes the buffer's callbacks run from the base's event loop (with the middle priority)
/// rather than inside the call that changed the buffer; the changes in between are added up.
/// @param buffer the buffer.
/// @param base the base whose loop runs them; it must outlive the buffer.
/// @return 0, or -1 when either is NULL or memory runs out.
#[no_mangle]
pub unsafe extern "C" fn evbuffer_defer_callbacks(buffer: *mut Evbuffer, base: *mut EventBase) -> c_int {
    match self::buf(buffer) {
        // SAFETY: a non-NULL base came from event_base_new and outlives the buffer's callbacks.
        Some(b) => unsafe { b.defer_callbacks(base) },
        None => -1,
    }
}

/// Appends copies of the bytes of several extents, growing the buffer once for all of them.
/// @param buffer the buffer.
/// @param vec the extents.
/// @param n_vec their number.
/// @return the number of bytes added, which is less than the total when an extent is NULL with a
/// length or memory runs out; 0 for a NULL buffer.
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
