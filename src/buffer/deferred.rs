//! `evbuffer_defer_callbacks`: callbacks run from the event loop instead of inside the call
//! that changed the buffer. As in libevent, a pending run holds a reference to the buffer, so
//! `evbuffer_free` before it runs only drops the program's reference; the callbacks still run
//! (with what changed), then the buffer goes. Callbacks flagged NODEFER still run at once.
use super::callbacks::{CbList, CB_ENABLED, CB_NODEFER};
use super::{CbInfo, Evbuffer};
use crate::core::base::EventBase;
use crate::core::ev;
use libc::{c_int, c_short, c_void};

impl Evbuffer {
    /// Routes this buffer's callbacks through `base` (an internal event at the middle priority,
    /// where libevent puts its deferred callbacks).
    ///
    /// # Safety
    /// `base` must be a live event base that outlives the buffer's pending callbacks.
    pub unsafe fn defer_callbacks(&self, base: *mut EventBase) -> c_int {
        if base.is_null() {
            return -1;
        }
        self.locked(|| {
            let e = ev::new(base, -1, 0, Some(run_deferred), self.as_ptr() as *mut c_void);
            if e.is_null() {
                return -1;
            }
            ev::set_priority(e, ev::npriorities(base) / 2);
            let old = self.deferred.replace(e);
            if !old.is_null() {
                ev::free(old);
            }
            0
        })
    }

    /// Whether callbacks are deferred; if so schedules the deferred run (once), taking a
    /// reference for it.
    pub(super) fn schedule_deferred(&self) -> bool {
        let e = self.deferred.get();
        if e.is_null() {
            return false;
        }
        if !self.deferred_pending.get() {
            self.deferred_pending.set(true);
            self.refcnt.set(self.refcnt.get() + 1);
            // SAFETY: the event was made by defer_callbacks on a base the program keeps alive.
            unsafe { ev::activate(e, 0, 1) };
        }
        true
    }

    /// Takes the counters for a run of the callbacks selected by `mask`/`want`; `clear` resets
    /// them (the deferred run and the immediate run of a non-deferring buffer do).
    pub(super) fn take_info(&self, clear: bool) -> Option<CbInfo> {
        let cbs = self.cbs.get();
        self.with(|b| {
            // SAFETY: reading whether the list is empty; no walk mutates it concurrently.
            if unsafe { (*cbs).is_empty() } {
                b.n_add = 0;
                b.n_del = 0;
                return None;
            }
            if b.n_add == 0 && b.n_del == 0 {
                return None;
            }
            let info = CbInfo {
                orig_size: b.total.wrapping_add(b.n_del).wrapping_sub(b.n_add),
                n_added: b.n_add,
                n_deleted: b.n_del,
            };
            if clear {
                b.n_add = 0;
                b.n_del = 0;
            }
            Some(info)
        })
    }

    pub(super) fn run_selected(&self, info: &CbInfo, mask: u32, want: u32) {
        // SAFETY: the list belongs to this buffer, which outlives the walk (freeing a buffer from
        // its own callback is not supported, as in libevent).
        unsafe { CbList::run(self.cbs.get(), self.as_ptr(), info, mask, want) };
    }

    /// Drops one reference; the last one frees the buffer.
    ///
    /// # Safety
    /// `p` came from `Box::into_raw` and the caller owns one of its references.
    pub unsafe fn decref(p: *mut Evbuffer) {
        let last = {
            let b = &*p;
            b.acquire();
            let n = b.refcnt.get() - 1;
            b.refcnt.set(n);
            b.release();
            n == 0
        };
        if last {
            drop(Box::from_raw(p));
        }
    }
}

unsafe extern "C" fn run_deferred(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let p = arg as *mut Evbuffer;
    {
        // SAFETY: the pending run holds a reference, so the buffer is alive.
        let b = unsafe { &*p };
        b.acquire();
        b.deferred_pending.set(false);
        if let Some(info) = b.take_info(true) {
            b.run_selected(&info, CB_NODEFER | CB_ENABLED, CB_ENABLED);
        }
        b.release();
    }
    // SAFETY: gives back the reference the schedule took.
    unsafe { Evbuffer::decref(p) };
}
