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

#[no_mangle]
pub extern "C" fn evtag_init() {}

// ---- writing

#[no_mangle]
pub unsafe extern "C" fn evtag_encode_int(evbuf: *mut Evbuffer, number: ev_uint32_t) {
    if !evbuf.is_null() {
        // SAFETY: a live buffer from the program.
        tag::put(b(evbuf), Encoded::default().int(number as u64))
    }
}

#[no_mangle]
pub unsafe extern "C" fn evtag_encode_int64(evbuf: *mut Evbuffer, number: ev_uint64_t) {
    if !evbuf.is_null() {
        // SAFETY: a live buffer from the program.
        tag::put(b(evbuf), Encoded::default().int(number))
    }
}

#[no_mangle]
pub unsafe extern "C" fn evtag_marshal(evbuf: *mut Evbuffer, tag: ev_uint32_t, data: *const c_void, len: ev_uint32_t) {
    if !evbuf.is_null() && (len == 0 || !data.is_null()) {
        // SAFETY: a live buffer; `data` holds `len` bytes, as the caller promises.
        tag::marshal(b(evbuf), tag, data as *const u8, len)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evtag_marshal_buffer(evbuf: *mut Evbuffer, tag: ev_uint32_t, data: *mut Evbuffer) {
    if !evbuf.is_null() && !data.is_null() {
        // SAFETY: two live buffers from the program.
        tag::marshal_buffer(b(evbuf), tag, b(data))
    }
}

#[no_mangle]
pub unsafe extern "C" fn evtag_marshal_int(evbuf: *mut Evbuffer, tag: ev_uint32_t, integer: ev_uint32_t) {
    evtag_marshal_int64(evbuf, tag, integer as u64)
}

#[no_mangle]
pub unsafe extern "C" fn evtag_marshal_int64(evbuf: *mut Evbuffer, tag: ev_uint32_t, integer: ev_uint64_t) {
    if !evbuf.is_null() {
        // SAFETY: a live buffer from the program.
        tag::put(b(evbuf), Encoded::field(tag, Encoded::default().int(integer)))
    }
}

#[no_mangle]
pub unsafe extern "C" fn evtag_marshal_string(buf: *mut Evbuffer, tag: ev_uint32_t, string: *const c_char) {
    if !string.is_null() {
        evtag_marshal(buf, tag, string as *const c_void, libc::strlen(string) as u32)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evtag_marshal_timeval(evbuf: *mut Evbuffer, tag: ev_uint32_t, tv: *mut timeval) {
    if let (false, Some(tv)) = (evbuf.is_null(), tv.as_ref()) {
        // SAFETY: a live buffer from the program.
        tag::marshal_timeval(b(evbuf), tag, tv)
    }
}

// ---- reading

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

#[no_mangle]
pub unsafe extern "C" fn evtag_consume(evbuf: *mut Evbuffer) -> c_int {
    // SAFETY: a live buffer from the program.
    if !evbuf.is_null() && tag::consume(b(evbuf)) {
        0
    } else {
        -1
    }
}

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

#[no_mangle]
pub unsafe extern "C" fn evtag_unmarshal_int(evbuf: *mut Evbuffer, need_tag: ev_uint32_t, pinteger: *mut ev_uint32_t) -> c_int {
    if evbuf.is_null() {
        return -1;
    }
    // SAFETY: a live buffer from the program.
    let Some((v, size)) = tag::unmarshal_int(b(evbuf), need_tag, NIBBLES_32) else { return -1 };
    set(pinteger, v as u32);
    size as c_int
}

#[no_mangle]
pub unsafe extern "C" fn evtag_unmarshal_int64(evbuf: *mut Evbuffer, need_tag: ev_uint32_t, pinteger: *mut ev_uint64_t) -> c_int {
    if evbuf.is_null() {
        return -1;
    }
    // SAFETY: a live buffer from the program.
    let Some((v, size)) = tag::unmarshal_int(b(evbuf), need_tag, NIBBLES_64) else { return -1 };
    set(pinteger, v);
    size as c_int
}

#[no_mangle]
pub unsafe extern "C" fn evtag_unmarshal_fixed(src: *mut Evbuffer, need_tag: ev_uint32_t, data: *mut c_void, len: size_t) -> c_int {
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

#[no_mangle]
pub unsafe extern "C" fn evtag_unmarshal_string(evbuf: *mut Evbuffer, need_tag: ev_uint32_t, pstring: *mut *mut c_char) -> c_int {
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

#[no_mangle]
pub unsafe extern "C" fn evtag_unmarshal_timeval(evbuf: *mut Evbuffer, need_tag: ev_uint32_t, ptv: *mut timeval) -> c_int {
    if evbuf.is_null() {
        return -1;
    }
    // SAFETY: a live buffer from the program.
    let Some(tv) = tag::unmarshal_timeval(b(evbuf), need_tag) else { return -1 };
    set(ptv, tv);
    0
}
