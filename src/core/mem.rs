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

/// Allocates with the program's malloc if one is installed; malloc(0) gives NULL, as libevent's
/// does.
///
/// # Safety
/// An installed malloc behaves as malloc(3); the block is released with this module's `free`.
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

/// `malloc` of `count * size` zeroed bytes; NULL on overflow.
///
/// # Safety
/// As for `malloc`.
pub unsafe fn calloc(count: size_t, size: size_t) -> *mut c_void {
    let Some(n) = count.checked_mul(size) else { return std::ptr::null_mut() };
    let p = malloc(n);
    if !p.is_null() {
        std::ptr::write_bytes(p as *mut u8, 0, n);
    }
    p
}

/// Resizes a block with the program's realloc if one is installed.
///
/// # Safety
/// `p` is NULL or a live block from this module, made under the allocator installed now; after
/// success only the result is used.
pub unsafe fn realloc(p: *mut c_void, n: size_t) -> *mut c_void {
    match REALLOC.load(Ordering::Acquire) {
        0 => libc::realloc(p, n),
        // SAFETY: stored from a valid ReallocFn.
        f => std::mem::transmute::<usize, ReallocFn>(f)(p, n),
    }
}

/// Releases a block with the program's free if one is installed; NULL is ignored.
///
/// # Safety
/// `p` is NULL or a live block from this module, made under the allocator installed now; it is
/// not used afterwards.
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

/// A copy of `s` that the program may release with its own free(); NULL for NULL.
///
/// # Safety
/// `s` is NULL or a NUL-terminated string.
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
