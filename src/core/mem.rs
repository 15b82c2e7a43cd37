//! Allocation of memory that C code may release: honours event_set_mem_functions(), so that an
//! event from event_new() can be freed with the program's own free().
use libc::{c_char, c_void, size_t};
use std::sync::atomic::{AtomicUsize, Ordering};

pub type MallocFn = unsafe extern "C" fn(size_t) -> *mut c_void;
pub type ReallocFn = unsafe extern "C" fn(*mut c_void, size_t) -> *mut c_void;
pub type FreeFn = unsafe extern "C" fn(*mut c_void);

static MALLOC: AtomicUsize = AtomicUsize::new(0);
static REALLOC: AtomicUsize = AtomicUsize::new(0);
static FREE: AtomicUsize = AtomicUsize::new(0);

pub fn set_functions(m: Option<MallocFn>, r: Option<ReallocFn>, f: Option<FreeFn>) {
    MALLOC.store(m.map_or(0, |p| p as usize), Ordering::Release);
    REALLOC.store(r.map_or(0, |p| p as usize), Ordering::Release);
    FREE.store(f.map_or(0, |p| p as usize), Ordering::Release);
}

/// malloc(0) gives NULL, as libevent's does.
pub unsafe fn malloc(n: size_t) -> *mut c_void {
    if n == 0 {
        return std::ptr::null_mut();
    }
    match MALLOC.load(Ordering::Acquire) {
        0 => libc::malloc(n),
        // SAFETY: stored from a valid MallocFn.
        f => std::mem::transmute::<usize, MallocFn>(f)(n),
    }
}

pub unsafe fn calloc(count: size_t, size: size_t) -> *mut c_void {
    let Some(n) = count.checked_mul(size) else { return std::ptr::null_mut() };
    let p = malloc(n);
    if !p.is_null() {
        std::ptr::write_bytes(p as *mut u8, 0, n);
    }
    p
}

pub unsafe fn realloc(p: *mut c_void, n: size_t) -> *mut c_void {
    match REALLOC.load(Ordering::Acquire) {
        0 => libc::realloc(p, n),
        // SAFETY: stored from a valid ReallocFn.
        f => std::mem::transmute::<usize, ReallocFn>(f)(p, n),
    }
}

pub unsafe fn free(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    match FREE.load(Ordering::Acquire) {
        0 => libc::free(p),
        // SAFETY: stored from a valid FreeFn.
        f => std::mem::transmute::<usize, FreeFn>(f)(p),
    }
}

pub unsafe fn strdup(s: *const c_char) -> *mut c_char {
    if s.is_null() {
        return std::ptr::null_mut();
    }
    let n = libc::strlen(s) + 1;
    let p = malloc(n) as *mut c_char;
    if !p.is_null() {
        std::ptr::copy_nonoverlapping(s, p, n);
    }
    p
}
