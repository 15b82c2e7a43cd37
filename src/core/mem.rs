//! The program's allocator (event_set_mem_functions()) for everything the library allocates.
//!
//! libevent sends every allocation it makes through the program's functions and answers NULL
//! or -1 when they fail. Here one `#[global_allocator]` does the same for every Rust allocation
//! of the library (buffers' chains, callback entries, bufferevents, bases...): while nothing is
//! installed it is the system allocator, unchanged; once the program installs functions, blocks
//! come from its malloc and go back to its free. The entry points that libevent lets fail
//! allocate fallibly (`try_box`, `Vec::try_reserve`, `Block::new`) and report the failure; an
//! allocation libevent would not make, or could not fail, still aborts if refused.
//!
//! As in libevent, event_set_mem_functions() must come before any other call, and the functions
//! must stay installed while the library holds memory: a block is released by the functions
//! installed at that moment, so one made by the system's malloc and freed after the program
//! installed its own (or the reverse) reaches the wrong free. Blocks the library keeps for the
//! whole process (the first use of a lazily made global, a thread's first use of a thread-local)
//! come from whichever functions were installed then.
//!
//! `malloc`, `realloc`, `free` and `strdup` below hand out blocks C code may release itself
//! (event_new()'s event can be freed with the program's free()).
use libc::{c_char, c_void, size_t};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

pub type MallocFn = unsafe extern "C" fn(size_t) -> *mut c_void;
pub type ReallocFn = unsafe extern "C" fn(*mut c_void, size_t) -> *mut c_void;
pub type FreeFn = unsafe extern "C" fn(*mut c_void);

static MALLOC: AtomicUsize = AtomicUsize::new(0);
static REALLOC: AtomicUsize = AtomicUsize::new(0);
static FREE: AtomicUsize = AtomicUsize::new(0);
/// Some function is installed: the global allocator goes through `raw_*`, not `System`.
static INSTALLED: AtomicBool = AtomicBool::new(false);

pub fn set_functions(m: Option<MallocFn>, r: Option<ReallocFn>, f: Option<FreeFn>) {
    MALLOC.store(m.map_or(0, |p| p as usize), Ordering::Release);
    REALLOC.store(r.map_or(0, |p| p as usize), Ordering::Release);
    FREE.store(f.map_or(0, |p| p as usize), Ordering::Release);
    INSTALLED.store(m.is_some() || r.is_some() || f.is_some(), Ordering::Release);
}

/// The program's malloc, or the C library's when it installed none (as libevent's mm_malloc).
unsafe fn raw_malloc(n: size_t) -> *mut c_void {
    match MALLOC.load(Ordering::Acquire) {
        0 => libc::malloc(n),
        // SAFETY: stored from a valid MallocFn.
        f => std::mem::transmute::<usize, MallocFn>(f)(n),
    }
}

unsafe fn raw_realloc(p: *mut c_void, n: size_t) -> *mut c_void {
    match REALLOC.load(Ordering::Acquire) {
        0 => libc::realloc(p, n),
        // SAFETY: stored from a valid ReallocFn.
        f => std::mem::transmute::<usize, ReallocFn>(f)(p, n),
    }
}

unsafe fn raw_free(p: *mut c_void) {
    match FREE.load(Ordering::Acquire) {
        0 => libc::free(p),
        // SAFETY: stored from a valid FreeFn.
        f => std::mem::transmute::<usize, FreeFn>(f)(p),
    }
}

/// The alignment taken on trust from the program's malloc: a pointer's. (malloc promises more,
/// but wrappers that put a size header before the block often give only this, and libevent's
/// own structures need no more.) Layouts asking for more are over-allocated.
const TRUSTED_ALIGN: usize = std::mem::align_of::<usize>();

/// The library's allocator: the system's until the program installs functions, then those.
pub struct ProgramAlloc;

#[global_allocator]
static GLOBAL: ProgramAlloc = ProgramAlloc;

/// Over-aligned blocks from the program's malloc: `size + align + 7` bytes, the result rounded
/// up to `align` at least 8 bytes in, and the pointer malloc gave stored in the 8 bytes before
/// it, for free.
unsafe fn aligned_alloc(l: Layout) -> *mut u8 {
    let Some(total) = l.size().checked_add(l.align() + 7) else { return std::ptr::null_mut() };
    let raw = raw_malloc(total) as *mut u8;
    if raw.is_null() {
        return raw;
    }
    let at = (raw as usize + 8 + l.align() - 1) & !(l.align() - 1);
    let p = raw.add(at - raw as usize);
    // SAFETY: p - 8 >= raw and p + size <= raw + total, so the header and the block lie inside
    // the allocation; the header may be unaligned if malloc gave less than 8.
    (p.sub(8) as *mut usize).write_unaligned(raw as usize);
    p
}

unsafe fn aligned_free(p: *mut u8) {
    // SAFETY: p came from aligned_alloc, which stored malloc's pointer just before it.
    raw_free((p.sub(8) as *const usize).read_unaligned() as *mut c_void);
}

// SAFETY: blocks come from malloc-like functions that return fresh memory of at least the size
// asked (or NULL); over-aligned layouts are placed by aligned_alloc. Each block is released the
// way it was made, as long as the installed functions do not change in between (the rule above).
unsafe impl GlobalAlloc for ProgramAlloc {
    #[inline]
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        if !INSTALLED.load(Ordering::Relaxed) {
            return System.alloc(l);
        }
        if l.align() <= TRUSTED_ALIGN {
            raw_malloc(l.size()) as *mut u8
        } else {
            aligned_alloc(l)
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        if !INSTALLED.load(Ordering::Relaxed) {
            return System.alloc_zeroed(l);
        }
        let p = self.alloc(l);
        if !p.is_null() {
            std::ptr::write_bytes(p, 0, l.size());
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        if !INSTALLED.load(Ordering::Relaxed) {
            return System.dealloc(p, l);
        }
        if l.align() <= TRUSTED_ALIGN {
            raw_free(p as *mut c_void)
        } else {
            aligned_free(p)
        }
    }

    #[inline]
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        if !INSTALLED.load(Ordering::Relaxed) {
            return System.realloc(p, l, new_size);
        }
        if l.align() <= TRUSTED_ALIGN {
            return raw_realloc(p as *mut c_void, new_size) as *mut u8;
        }
        // The offset to the alignment may differ in a moved block: copy into a new one.
        let q = aligned_alloc(Layout::from_size_align_unchecked(new_size, l.align()));
        if !q.is_null() {
            std::ptr::copy_nonoverlapping(p, q, l.size().min(new_size));
            aligned_free(p);
        }
        q
    }
}

/// `Box::new` that answers None when the allocator refuses, where Box::new would abort.
pub fn try_box<T>(v: T) -> Option<Box<T>> {
    let l = Layout::new::<T>();
    if l.size() == 0 {
        return Some(Box::new(v));
    }
    // SAFETY: the layout has a non-zero size.
    let p = unsafe { std::alloc::alloc(l) } as *mut T;
    if p.is_null() {
        return None;
    }
    // SAFETY: p is a fresh block for one T from the global allocator, as Box expects.
    unsafe {
        p.write(v);
        Some(Box::from_raw(p))
    }
}

/// Whether the allocator grants a block for `Arc::new(v)` of a `T` now (after which it is given
/// back). Arc has no fallible constructor in stable Rust; asking first lets an entry point answer
/// -1 where libevent does when the program's malloc refuses. (A malloc that grants this request
/// and refuses the very next one still ends in an abort.)
pub fn arc_fits<T>() -> bool {
    // Arc's block: the two counts, then the value.
    let Ok((l, _)) = Layout::new::<[usize; 2]>().extend(Layout::new::<T>()) else { return false };
    // SAFETY: the layout has a non-zero size (the counts); the block is released at once.
    unsafe {
        let p = std::alloc::alloc(l);
        if p.is_null() {
            return false;
        }
        std::alloc::dealloc(p, l);
    }
    true
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
    raw_malloc(n)
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
    raw_realloc(p, n)
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
    raw_free(p)
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

#[cfg(test)]
mod tests {
    use super::*;

    // The over-aligned path, on the C library's malloc (installing functions here would change
    // the allocator under the other tests running in parallel).
    #[test]
    fn over_aligned_blocks_are_aligned_usable_and_released() {
        for align in [16, 32, 64, 4096] {
            for size in [1, 15, 100, 5000] {
                let l = Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero layout; the block is written within its size, then released.
                unsafe {
                    let p = aligned_alloc(l);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0);
                    std::ptr::write_bytes(p, 0xa5, size);
                    aligned_free(p);
                }
            }
        }
    }

    #[test]
    fn try_box_gives_a_box() {
        let b = try_box([7u64; 4]).unwrap();
        assert_eq!(*b, [7; 4]);
        assert!(try_box(()).is_some());
        assert!(arc_fits::<[u8; 64]>());
    }
}
