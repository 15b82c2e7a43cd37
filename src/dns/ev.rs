//! The reactor events that evdns owns (socket readiness, request timeouts, probe timers), and
//! the deferred calls that deliver results to the program.
//!
//! An event lives on the heap at a fixed address while the reactor may point to it. Internal
//! callbacks receive the owning base or port as their argument and a key as their "fd" (for
//! timers, whose fd the reactor only passes through), and look the key up under their lock:
//! a callback arriving after its object went away finds nothing and does nothing.
use crate::core::base::{DelMode, EventBase};
use crate::core::ev;
use crate::core::event::{Event, EventCallbackFn, EV_TIMEOUT};
use crate::core::time::{self, Micros};
use libc::{c_int, c_short, c_void};
use std::ptr::NonNull;

pub struct OwnedEvent(NonNull<Event>);

impl OwnedEvent {
    /// An event on `fd` for `what` (0 for a timer, `fd` then being the callback's key).
    ///
    /// # Safety
    /// `base` is NULL (the current base of event_init() is used) or a live event base that
    /// outlives the event; `arg` stays valid for `cb` while the event is pending.
    pub unsafe fn new(
        base: *mut EventBase,
        fd: c_int,
        what: c_short,
        cb: EventCallbackFn,
        arg: *mut c_void,
    ) -> OwnedEvent {
        let ev = Box::into_raw(Box::new(std::mem::zeroed::<Event>()));
        // SAFETY: ev is a fresh, writable event; assign only fails on incompatible flags, which
        // these are not.
        ev::assign(ev, base, fd, what, Some(cb), arg);
        // SAFETY: Box::into_raw never returns NULL.
        OwnedEvent(NonNull::new_unchecked(ev))
    }

    pub fn as_ptr(&self) -> *mut Event {
        self.0.as_ptr()
    }

    /// Adds the event, with a timeout when given. False when the reactor refuses (no base).
    pub fn add(&self, timeout: Option<Micros>) -> bool {
        let tv = timeout.map(time::from_us);
        // SAFETY: the event is ours and assigned.
        unsafe { ev::add(self.as_ptr(), tv.as_ref()) == 0 }
    }

    /// Removes the event without waiting for a callback running in another thread: used with
    /// a lock held, which that callback may be waiting for.
    pub fn del(&self) {
        // SAFETY: the event is ours and assigned.
        unsafe { ev::del(self.as_ptr(), DelMode::NoBlock) };
    }

    /// Removes the event, waiting for its callback if another thread is running it. Only with
    /// no lock held (the object it belongs to is about to be freed).
    pub fn del_and_wait(&self) {
        // SAFETY: as above.
        unsafe { ev::del(self.as_ptr(), DelMode::AutoBlock) };
    }

    pub fn is_pending(&self, what: c_short) -> bool {
        // SAFETY: the event is ours and assigned.
        unsafe { ev::pending(self.as_ptr(), what, None) != 0 }
    }

    /// Assigns the event again (it must not be pending), for other readiness interests.
    ///
    /// # Safety
    /// As for `new`.
    pub unsafe fn reassign(
        &self,
        base: *mut EventBase,
        fd: c_int,
        what: c_short,
        cb: EventCallbackFn,
        arg: *mut c_void,
    ) {
        self.del();
        ev::unassign(self.as_ptr());
        ev::assign(self.as_ptr(), base, fd, what, Some(cb), arg);
    }
}

impl Drop for OwnedEvent {
    fn drop(&mut self) {
        self.del();
        // SAFETY: the event is off every list of the reactor, which keeps no pointer to it; the
        // memory came from Box::into_raw in `new`.
        unsafe {
            ev::unassign(self.as_ptr());
            drop(Box::from_raw(self.as_ptr()));
        }
    }
}

/// Runs `cb(arg)` from the event loop of `base` soon (libevent's deferred callbacks): the
/// caller's locks are released by then. False when the base refuses (the caller then still
/// owns whatever `arg` points to).
///
/// # Safety
/// `base` is a live event base (NULL is refused); `arg` stays valid until `cb`.
pub unsafe fn defer(base: *mut EventBase, cb: EventCallbackFn, arg: *mut c_void) -> bool {
    !base.is_null() && ev::once(base, -1, EV_TIMEOUT, cb, arg, None) == 0
}
