//! Exports of event2/thread.h.
use crate::core::base::EventBase;
use crate::core::sync::{self, CondCallbacks, LockCallbacks};
use libc::{c_int, c_ulong};

/// Installs the functions the library makes its locks with, which enables threads: bases and
/// buffers made afterwards can be shared between threads. Call it before making any base.
/// @param cbs a table with all four functions (it is copied), or NULL to remove the table
/// (with a warning if one was installed: not to be done while locks exist).
/// @return 0; -1 when a function is missing or a different table is already installed
/// (installing the same one again is accepted).
#[no_mangle]
pub unsafe extern "C" fn evthread_set_lock_callbacks(cbs: *const LockCallbacks) -> c_int {
    sync::set_lock_callbacks(cbs.as_ref())
}

/// Installs the functions the library makes its condition variables with (used by event_del()
/// to wait for a callback running in another thread). Call it with
/// evthread_set_lock_callbacks(), before making any base.
/// @param cbs a table with all four functions (it is copied), or NULL to remove the table.
/// @return 0; -1 when a function is missing or a different table is already installed.
#[no_mangle]
pub unsafe extern "C" fn evthread_set_condition_callbacks(cbs: *const CondCallbacks) -> c_int {
    sync::set_cond_callbacks(cbs.as_ref())
}

/// Installs the function that tells threads apart (by default pthread_self's value).
/// @param id_fn returns an id unique to the calling thread; NULL restores the default.
#[no_mangle]
pub extern "C" fn evthread_set_id_callback(id_fn: Option<unsafe extern "C" fn() -> c_ulong>) {
    sync::set_id_fn(id_fn)
}

/// Enables threads with the library's POSIX-threads locks and condition variables (recursive
/// mutexes). Call it once, before making any base or buffer that threads will share.
/// @return 0, or -1 when lock functions of the program's own are already installed.
#[no_mangle]
pub extern "C" fn evthread_use_pthreads() -> c_int {
    sync::use_pthreads()
}

/// libevent 2.2 API: evthread_use_pthreads() with options.
/// @param flags 0, or EVTHREAD_PTHREAD_PRIO_INHERIT for mutexes with priority inheritance;
/// other bits are ignored.
/// @return 0; -1 when the system refuses priority-inheriting mutexes or other lock functions are
/// installed.
#[no_mangle]
pub extern "C" fn evthread_use_pthreads_with_flags(flags: c_int) -> c_int {
    sync::use_pthreads_with_flags(flags)
}

/// Makes every lock check its use: released only by the thread that holds it, a non-recursive
/// lock never taken twice, no lock freed while held; a violation ends the process with a
/// message. Call it before making any base or lock; it wraps the lock functions installed before
/// or after it.
#[no_mangle]
pub extern "C" fn evthread_enable_lock_debugging() {
    sync::enable_lock_debugging()
}

/// The misspelled name of evthread_enable_lock_debugging(), kept for old programs.
#[no_mangle]
pub extern "C" fn evthread_enable_lock_debuging() {
    sync::enable_lock_debugging()
}

/// Lets other threads wake a base's loop (when they add, delete or activate events). A base made
/// after threads were enabled is notifiable already; then this does nothing.
/// @param base the base.
/// @return 0, or -1 when `base` is NULL or the wake-up descriptor (an eventfd) cannot be made.
#[no_mangle]
pub unsafe extern "C" fn evthread_make_base_notifiable(base: *mut EventBase) -> c_int {
    if base.is_null() {
        return -1;
    }
    EventBase::with_lock(base, |b| b.make_notifiable())
}
