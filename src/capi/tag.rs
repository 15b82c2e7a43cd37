//! Exports of event2/tag.h: tagged fields in evbuffers (src/rpc/tag.rs). libevent crashes on
//! a NULL buffer or output pointer; these do nothing and return -1 instead.
#![allow(non_camel_case_types)]
use crate::buffer::Evbuffer;
use crate::rpc::ffi::evbuffer;
use crate::rpc::tag::{self, Encoded, NIBBLES_32, NIBBLES_64};
use libc::{c_char, c_int, c_void, size_t, timeval};

pub type ev_uint32_t = u32;
pub type ev_uint64_t = u64;

fn b(p: *mut Evbuffer) -> *mut evbuffer {
    p as *mut evbuffer
}

/// Writes `v` through `p` when the program gave a place for it.
unsafe fn set<T>(p: *mut T, v: T) {
    if !p.is_null() {
        *p = v;
    }
}

/// Does nothing: kept because libevent programs call it before using the evtag functions.
#[no_mangle]
pub extern "C" fn evtag_init() {}

// ---- writing

/// Appends an integer in the nibble encoding (a length nibble, then the value's hexadecimal digits
/// packed two to a byte: 1 to 5 bytes), without a tag.
/// @param evbuf the buffer; NULL does nothing.
/// @param number the integer.
#[no_mangle]
pub unsafe extern "C" fn evtag_encode_int(evbuf: *mut Evbuffer, number: ev_uint32_t) {
    if !evbuf.is_null() {
        // SAFETY: a live buffer from the program.
        tag::put(b(evbuf), Encoded::default().int(number as u64))
    }
}

/// As `evtag_encode_int()`, for a 64-bit integer (1 to 9 bytes).
/// @param evbuf the buffer; NULL does nothing.
/// @param number the integer.
#[no_mangle]
pub unsafe extern "C" fn evtag_encode_int64(evbuf: *mut Evbuffer, number: ev_uint64_t) {
    if !evbuf.is_null() {
        // SAFETY: a live buffer from the program.
        tag::put(b(evbuf), Encoded::default().int(number))
    }
}

/// Appends a field: the tag, the payload's length, then `len` bytes of `data`.
/// @param evbuf the buffer; NULL does nothing.
/// @param tag the field's tag.
/// @param data the payload; may be NULL when `len` is 0.
/// @param len the payload's length.
#[no_mangle]
pub unsafe extern "C" fn evtag_marshal(evbuf: *mut Evbuffer, tag: ev_uint32_t, data: *const c_void, len: ev_uint32_t) {
    if !evbuf.is_null() && (len == 0 || !data.is_null()) {
        // SAFETY: a live buffer; `data` holds `len` bytes, as the caller promises.
        tag::marshal(b(evbuf), tag, data as *const u8, len)
    }
}

/// Appends a field whose payload is all of `data`, which is moved (left empty), not copied.
/// @param evbuf the buffer; NULL does nothing.
/// @param tag the field's tag.
/// @param data the payload's buffer; NULL does nothing.
#[no_mangle]
pub unsafe extern "C" fn evtag_marshal_buffer(evbuf: *mut Evbuffer, tag: ev_uint32_t, data: *mut Evbuffer) {
    if !evbuf.is_null() && !data.is_null() {
        // SAFETY: two live buffers from the program.
        tag::marshal_buffer(b(evbuf), tag, b(data))
    }
}

/// Appends a field whose payload is an integer in the nibble encoding.
/// @param evbuf the buffer; NULL does nothing.
/// @param tag the field's tag.
/// @param integer the integer.
#[no_mangle]
pub unsafe extern "C" fn evtag_marshal_int(evbuf: *mut Evbuffer, tag: ev_uint32_t, integer: ev_uint32_t) {
    evtag_marshal_int64(evbuf, tag, integer as u64)
}

/// Appends a field whose payload is a 64-bit integer in the nibble encoding.
/// @param evbuf the buffer; NULL does nothing.
/// @param tag the field's tag.
/// @param integer the integer.
#[no_mangle]
pub unsafe extern "C" fn evtag_marshal_int64(evbuf: *mut Evbuffer, tag: ev_uint32_t, integer: ev_uint64_t) {
    if !evbuf.is_null() {
        // SAFETY: a live buffer from the program.
        tag::put(b(evbuf), Encoded::field(tag, Encoded::default().int(integer)))
    }
}

/// Appends a field whose payload is the bytes of a C string, without its NUL.
/// @param buf the buffer; NULL does nothing.
/// @param tag the field's tag.
/// @param string the string; NULL does nothing.
#[no_mangle]
pub unsafe extern "C" fn evtag_marshal_string(buf: *mut Evbuffer, tag: ev_uint32_t, string: *const c_char) {
    if !string.is_null() {
        evtag_marshal(buf, tag, string as *const c_void, libc::strlen(string) as u32)
    }
}

/// Appends a field whose payload is the seconds then the microseconds of `tv`, each cut to 32
/// bits and in the nibble encoding.
/// @param evbuf the buffer; NULL does nothing.
/// @param tag the field's tag.
/// @param tv the time; NULL does nothing. It is not changed.
#[no_mangle]
pub unsafe extern "C" fn evtag_marshal_timeval(evbuf: *mut Evbuffer, tag: ev_uint32_t, tv: *mut timeval) {
    if let (false, Some(tv)) = (evbuf.is_null(), tv.as_ref()) {
        // SAFETY: a live buffer from the program.
        tag::marshal_timeval(b(evbuf), tag, tv)
    }
}

// ---- reading

/// Reads the tag of the next field, consuming nothing.
/// @param evbuf the buffer.
/// @param ptag receives the tag, if not NULL.
/// @return the number of bytes of the encoded tag, or -1 when the buffer does not start with a
/// whole tag (or is NULL).
#[no_mangle]
pub unsafe extern "C" fn evtag_peek(evbuf: *mut Evbuffer, ptag: *mut ev_uint32_t) -> c_int {
    if evbuf.is_null() {
        return -1;
    }
    // SAFETY: a live buffer from the program.
    let Some((t, size)) = tag::peek(b(evbuf)) else { return -1 };
    set(ptag, t);
    size as c_int
}

/// Reads the size of the next field, consuming nothing; the payload need not have arrived yet.
/// @param evbuf the buffer.
/// @param plength receives the size of the whole field (tag, length and payload), if not NULL.
/// @return 0, or -1 when the buffer does not start with a whole header (or is NULL).
#[no_mangle]
pub unsafe extern "C" fn evtag_peek_length(evbuf: *mut Evbuffer, plength: *mut ev_uint32_t) -> c_int {
    if evbuf.is_null() {
        return -1;
    }
    // SAFETY: a live buffer from the program.
    let Some((t, l, len)) = tag::peek_lengths(b(evbuf)) else { return -1 };
    set(plength, len.wrapping_add((t + l) as u32));
    0
}

/// Reads the payload's length of the next field, consuming nothing.
/// @param evbuf the buffer.
/// @param plength receives the payload's length, if not NULL.
/// @return 0, or -1 when the buffer does not start with a whole header (or is NULL).
#[no_mangle]
pub unsafe extern "C" fn evtag_payload_length(evbuf: *mut Evbuffer, plength: *mut ev_uint32_t) -> c_int {
    if evbuf.is_null() {
        return -1;
    }
    // SAFETY: a live buffer from the program.
    let Some((_, _, len)) = tag::peek_lengths(b(evbuf)) else { return -1 };
    set(plength, len);
    0
}

/// Consumes the header (tag and length) of the next field, leaving its payload at the front.
/// @param evbuf the buffer.
/// @param ptag receives the tag, if not NULL (also when the rest fails, once the tag is read).
/// @return the payload's length, or -1 when the header is bad or the payload is not all there
/// (what was read by then is consumed, as in libevent).
#[no_mangle]
pub unsafe extern "C" fn evtag_unmarshal_header(evbuf: *mut Evbuffer, ptag: *mut ev_uint32_t) -> c_int {
    if evbuf.is_null() {
        return -1;
    }
    // SAFETY: a live buffer from the program.
    let (t, len) = tag::unmarshal_header(b(evbuf));
    if let Some(t) = t {
        set(ptag, t);
    }
    len.map_or(-1, |l| l as c_int)
}

/// Drops the next field, header and payload.
/// @param evbuf the buffer.
/// @return 0, or -1 when the field is bad or not all there (or `evbuf` is NULL).
#[no_mangle]
pub unsafe extern "C" fn evtag_consume(evbuf: *mut Evbuffer) -> c_int {
    // SAFETY: a live buffer from the program.
    if !evbuf.is_null() && tag::consume(b(evbuf)) {
        0
    } else {
        -1
    }
}

/// Consumes the next field and moves its payload to the end of `dst`.
/// @param src the buffer to read.
/// @param ptag receives the tag, if not NULL.
/// @param dst receives the payload.
/// @return the payload's length, or -1 when the field is bad or not all there, or a buffer is
/// NULL.
#[no_mangle]
pub unsafe extern "C" fn evtag_unmarshal(src: *mut Evbuffer, ptag: *mut ev_uint32_t, dst: *mut Evbuffer) -> c_int {
    if src.is_null() || dst.is_null() {
        return -1;
    }
    // SAFETY: two live buffers from the program.
    let (t, len) = tag::unmarshal(b(src), b(dst));
    if let Some(t) = t {
        set(ptag, t);
    }
    len.map_or(-1, |l| l as c_int)
}

/// Consumes a field that must have tag `need_tag` and an integer payload.
/// @param evbuf the buffer.
/// @param need_tag the tag expected.
/// @param pinteger receives the integer, if not NULL.
/// @return the size in bytes of the encoded integer (what libevent 2.1.12 returns), or -1 when
/// the tag differs, the field is bad or not all there, or the integer does not fit 32 bits.
#[no_mangle]
pub unsafe extern "C" fn evtag_unmarshal_int(
    evbuf: *mut Evbuffer,
    need_tag: ev_uint32_t,
    pinteger: *mut ev_uint32_t,
) -> c_int {
    if evbuf.is_null() {
        return -1;
    }
    // SAFETY: a live buffer from the program.
    let Some((v, size)) = tag::unmarshal_int(b(evbuf), need_tag, NIBBLES_32) else { return -1 };
    set(pinteger, v as u32);
    size as c_int
}

/// As `evtag_unmarshal_int()`, for a 64-bit integer.
/// @param evbuf the buffer.
/// @param need_tag the tag expected.
/// @param pinteger receives the integer, if not NULL.
/// @return the size of the encoded integer, or -1.
#[no_mangle]
pub unsafe extern "C" fn evtag_unmarshal_int64(
    evbuf: *mut Evbuffer,
    need_tag: ev_uint32_t,
    pinteger: *mut ev_uint64_t,
) -> c_int {
    if evbuf.is_null() {
        return -1;
    }
    // SAFETY: a live buffer from the program.
    let Some((v, size)) = tag::unmarshal_int(b(evbuf), need_tag, NIBBLES_64) else { return -1 };
    set(pinteger, v);
    size as c_int
}

/// Consumes a field that must have tag `need_tag` and a payload of exactly `len` bytes, copied to
/// `data`.
/// @param src the buffer.
/// @param need_tag the tag expected.
/// @param data receives the payload.
/// @param len the payload's length expected.
/// @return 0, or -1 when the tag or length differs, the field is bad or not all there, or a
/// pointer is NULL.
#[no_mangle]
pub unsafe extern "C" fn evtag_unmarshal_fixed(
    src: *mut Evbuffer,
    need_tag: ev_uint32_t,
    data: *mut c_void,
    len: size_t,
) -> c_int {
    if src.is_null() || (data.is_null() && len > 0) {
        return -1;
    }
    let out: &mut [u8] = if len == 0 {
        &mut []
    } else {
        // SAFETY: the program gives `len` writable bytes at `data`.
        std::slice::from_raw_parts_mut(data as *mut u8, len)
    };
    // SAFETY: a live buffer from the program.
    if tag::unmarshal_fixed(b(src), need_tag, out) {
        0
    } else {
        -1
    }
}

/// Consumes a field that must have tag `need_tag`, and returns its payload as a C string.
/// @param evbuf the buffer.
/// @param need_tag the tag expected.
/// @param pstring receives the string, NUL-terminated and allocated with the program's allocator
/// (`event_set_mem_functions()`, else malloc): the caller frees it.
/// @return 0, or -1 when the tag differs, the field is bad or not all there, memory runs out, or a
/// pointer is NULL.
#[no_mangle]
pub unsafe extern "C" fn evtag_unmarshal_string(
    evbuf: *mut Evbuffer,
    need_tag: ev_uint32_t,
    pstring: *mut *mut c_char,
) -> c_int {
    if evbuf.is_null() || pstring.is_null() {
        return -1;
    }
    // SAFETY: a live buffer from the program.
    let s = tag::unmarshal_string(b(evbuf), need_tag);
    if s.is_null() {
        return -1;
    }
    *pstring = s;
    0
}

/// Consumes a field that must have tag `need_tag` and a time payload (as written by
/// `evtag_marshal_timeval()`).
/// @param evbuf the buffer.
/// @param need_tag the tag expected.
/// @param ptv receives the time, if not NULL.
/// @return 0, or -1 when the tag differs or the field is bad or not all there (the whole field is
/// consumed once its header is read, as in libevent).
#[no_mangle]
pub unsafe extern "C" fn evtag_unmarshal_timeval(
    evbuf: *mut Evbuffer,
    need_tag: ev_uint32_t,
    ptv: *mut timeval,
) -> c_int {
    if evbuf.is_null() {
        return -1;
    }
    // SAFETY: a live buffer from the program.
    let Some(tv) = tag::unmarshal_timeval(b(evbuf), need_tag) else { return -1 };
    set(ptv, tv);
    0
}
