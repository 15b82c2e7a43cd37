//! Process-wide settings of the libev API: the allocator a program may install with
//! ev_set_allocator(), and the handler of system-call errors from ev_set_syserr_cb().
use libc::{c_char, c_long, c_void};
use std::ffi::CStr;
use std::sync::atomic::{AtomicUsize, Ordering};

/// realloc-like: (NULL, n) allocates, (p, 0) frees and returns NULL.
pub type AllocFn = unsafe extern "C" fn(*mut c_void, c_long) -> *mut c_void;
pub type SyserrFn = unsafe extern "C" fn(*const c_char);

static ALLOCATOR: AtomicUsize = AtomicUsize::new(0);
static SYSERR: AtomicUsize = AtomicUsize::new(0);

pub fn set_allocator(f: Option<AllocFn>) {
    ALLOCATOR.store(f.map_or(0, |f| f as usize), Ordering::Release);
}

pub fn set_syserr(f: Option<SyserrFn>) {
    SYSERR.store(f.map_or(0, |f| f as usize), Ordering::Release);
}

/// Writes `msg` to stderr and aborts: what libev does when a program breaks one of its rules
/// (its assertions are compiled in on the systems we mirror).
pub fn fatal(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::abort()
}

/// The allocator in use now (0: the C library's), to give a block back to the one that made it
/// even when the program installs another meanwhile.
pub fn current() -> usize {
    ALLOCATOR.load(Ordering::Acquire)
}

unsafe fn call_with(f: usize, p: *mut c_void, size: usize) -> *mut c_void {
    match f {
        0 if size == 0 => {
            libc::free(p);
            std::ptr::null_mut()
        }
        0 => libc::realloc(p, size),
        f => {
            // SAFETY: the value was stored from an AllocFn by set_allocator().
            let f: AllocFn = std::mem::transmute::<usize, AllocFn>(f);
            f(p, size as c_long)
        }
    }
}

/// Memory for one `T` from `allocator` (see current()); aborts when there is none, as libev
/// does.
pub unsafe fn alloc<T>(allocator: usize) -> *mut T {
    let size = std::mem::size_of::<T>();
    let p = call_with(allocator, std::ptr::null_mut(), size);
    if p.is_null() {
        fatal(&format!("libev: cannot allocate {size} bytes, aborting."));
    }
    p as *mut T
}

/// Gives memory from alloc() back to the allocator that made it.
pub unsafe fn free<T>(allocator: usize, p: *mut T) {
    call_with(allocator, p as *mut c_void, 0);
}

/// Reports a failed system call: through the program's handler when it set one, else as
/// libev does (the message with errno's text, then abort).
pub fn syserr(msg: &CStr) {
    match SYSERR.load(Ordering::Acquire) {
        0 => {
            // SAFETY: msg is a C string.
            unsafe { libc::perror(msg.as_ptr()) };
            std::process::abort()
        }
        f => {
            // SAFETY: stored from a SyserrFn by set_syserr(); msg is a C string.
            unsafe { std::mem::transmute::<usize, SyserrFn>(f)(msg.as_ptr()) }
        }
    }
}
