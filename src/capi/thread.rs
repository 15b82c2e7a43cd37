//! Exports of event2/thread.h.
use crate::core::base::EventBase;
use crate::core::sync::{self, CondCallbacks, LockCallbacks};
use libc::{c_int, c_ulong};

#[no_mangle]
pub unsafe extern "C" fn evthread_set_lock_callbacks(cbs: *const LockCallbacks) -> c_int {
    sync::set_lock_callbacks(cbs.as_ref())
}

#[no_mangle]
pub unsafe extern "C" fn evthread_set_condition_callbacks(cbs: *const CondCallbacks) -> c_int {
    sync::set_cond_callbacks(cbs.as_ref())
}

#[no_mangle]
pub extern "C" fn evthread_set_id_callback(id_fn: Option<unsafe extern "C" fn() -> c_ulong>) {
    sync::set_id_fn(id_fn)
}

#[no_mangle]
pub extern "C" fn evthread_use_pthreads() -> c_int {
    sync::use_pthreads()
}

/// libevent 2.2: evthread_use_pthreads(), with priority-inheriting mutexes when `flags` has
/// EVTHREAD_PTHREAD_PRIO_INHERIT.
#[no_mangle]
pub extern "C" fn evthread_use_pthreads_with_flags(flags: c_int) -> c_int {
    sync::use_pthreads_with_flags(flags)
}

#[no_mangle]
pub extern "C" fn evthread_enable_lock_debugging() {
    sync::enable_lock_debugging()
}

/// The misspelled name libevent kept for compatibility.
#[no_mangle]
pub extern "C" fn evthread_enable_lock_debuging() {
    sync::enable_lock_debugging()
}

#[no_mangle]
pub unsafe extern "C" fn evthread_make_base_notifiable(base: *mut EventBase) -> c_int {
    if base.is_null() {
        return -1;
    }
    EventBase::with_lock(base, |b| b.make_notifiable())
}
