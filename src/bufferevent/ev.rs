//! The event operations that bufferevents and listeners make on the events they embed, with
//! the same effect as the program-facing event_assign/event_add/event_del (the base lock is
//! taken for each, debug mode learns of the events), but without going through the C boundary.
use crate::core::base::{DelMode, EventBase, CURRENT_BASE};
use crate::core::event::*;
use crate::core::time::Micros;
use crate::core::{debug, sync};
use libc::{c_int, c_short, c_void, timeval};
use std::sync::atomic::Ordering;

/// The base a NULL base stands for (event_init's), as event_assign() reads it.
pub fn or_current(base: *mut EventBase) -> *mut EventBase {
    if base.is_null() {
        CURRENT_BASE.load(Ordering::Acquire)
    } else {
        base
    }
}

/// event_assign(): `cb` is called with `arg`; the priority is the base's middle one.
///
/// # Safety
/// `ev` points at 128 writable bytes that are not on any list of a base.
pub unsafe fn assign(ev: *mut Event, base: *mut EventBase, fd: c_int, events: c_short, cb: EventCallbackFn, arg: *mut c_void) {
    let base = or_current(base);
    let pri = base.as_ref().map_or(0, |b| b.default_pri());
    Event::assign(ev, base, fd, events, cb as usize, arg, pri);
    debug::note_setup(ev);
}

/// Forgets an event that will not be used again (its memory is about to be released).
pub fn teardown(ev: *mut Event) {
    debug::note_teardown(ev);
}

/// event_add() with a relative timeout (None: no timeout).
///
/// # Safety
/// `ev` was set up by `assign` and its base is alive.
pub unsafe fn add(ev: *mut Event, tv: Option<&timeval>) -> c_int {
    let base = (*ev).base;
    if base.is_null() {
        return -1;
    }
    EventBase::with_lock(base, |b| {
        let t: Option<Micros> = tv.map(|t| b.timeout_us(t));
        b.add(ev, t, false)
    })
}

/// event_add() the way bufferevents do it: a cleared timeval means "no timeout".
///
/// # Safety
/// As for `add`.
pub unsafe fn add_with_timeout(ev: *mut Event, tv: &timeval) -> c_int {
    if tv.tv_sec == 0 && tv.tv_usec == 0 {
        add(ev, None)
    } else {
        add(ev, Some(tv))
    }
}

/// event_del(): waits for the event's callback when another thread is running it.
///
/// # Safety
/// `ev` was set up by `assign`; its base is alive if the event is on any list.
pub unsafe fn del(ev: *mut Event) -> c_int {
    let base = (*ev).base;
    if base.is_null() {
        return -1;
    }
    // With threads, the flags are read only under the base lock (the loop's thread writes them).
    if !sync::threads_enabled() && (*ev).flags & (LIST_INSERTED | LIST_TIMEOUT | LIST_ACTIVE | LIST_ACTIVE_LATER | LIST_FINALIZING) == 0 {
        return 0;
    }
    EventBase::with_lock(base, |b| b.del(ev, DelMode::AutoBlock))
}

/// event_del_noblock(): never waits for another thread running the callback. Without threads,
/// an event on no list needs nothing from its base (which the program may have freed already);
/// with them, the flags are read only under the base lock.
///
/// # Safety
/// `ev` was set up by `assign`; its base is alive if the event is on any list.
pub unsafe fn del_noblock(ev: *mut Event) {
    let base = (*ev).base;
    if base.is_null() || (!sync::threads_enabled() && (*ev).flags & (LIST_INSERTED | LIST_TIMEOUT | LIST_ACTIVE | LIST_ACTIVE_LATER) == 0) {
        return;
    }
    EventBase::with_lock(base, |b| b.del(ev, DelMode::NoBlock));
}

/// event_pending() for `what`, without the timeout; read under the base lock, which the loop's
/// thread holds when it changes the event's lists.
///
/// # Safety
/// `ev` points at an event's 128 bytes; its base, if set, is alive.
pub unsafe fn pending(ev: *const Event, what: c_short) -> bool {
    let base = (*ev).base;
    if base.is_null() {
        return (*ev).pending_flags() & what != 0;
    }
    EventBase::with_lock(base, |_| (*ev).pending_flags() & what != 0)
}

/// Whether the event is added (for I/O or a signal), read under the base lock as `pending`.
///
/// # Safety
/// As for `pending`.
pub unsafe fn inserted(ev: *const Event) -> bool {
    let base = (*ev).base;
    if base.is_null() {
        return (*ev).flags & LIST_INSERTED != 0;
    }
    EventBase::with_lock(base, |_| (*ev).flags & LIST_INSERTED != 0)
}

/// event_active(): runs the event's callback with `res` from the loop, added or not.
///
/// # Safety
/// `ev` was set up by `assign` and its base is alive.
pub unsafe fn activate(ev: *mut Event, res: c_short) {
    let base = (*ev).base;
    if !base.is_null() {
        EventBase::with_lock(base, |b| b.activate(ev, res, 1));
    }
}

/// event_remove_timer(): keeps the event added, without its timeout.
///
/// # Safety
/// As for `del`.
pub unsafe fn remove_timer(ev: *mut Event) {
    let base = (*ev).base;
    if base.is_null() {
        return;
    }
    EventBase::with_lock(base, |b| {
        if (*ev).flags & LIST_TIMEOUT != 0 {
            b.remove_timeout(ev);
            (*ev).persist_us = 0;
        }
    })
}

/// event_priority_set(): refused while the event is active or for a priority out of range.
///
/// # Safety
/// `ev` was set up by `assign`.
pub unsafe fn set_priority(ev: *mut Event, pri: c_int) -> c_int {
    let e = &mut *ev;
    if e.flags & LIST_ACTIVE != 0 || pri < 0 || e.base.is_null() || pri >= (*e.base).queues.len() as c_int {
        return -1;
    }
    e.pri = pri as u8;
    0
}

/// How many deferred callbacks one loop iteration runs before the rest wait for the next one
/// (libevent's bound), so that callbacks that keep scheduling each other cannot starve I/O.
const MAX_DEFERREDS_QUEUED: u32 = 32;

/// Schedules a deferred callback: active now, or in the next loop iteration once this one has
/// queued enough (as a timer due at once). True when this call scheduled it (it was not yet).
///
/// # Safety
/// `ev` was set up by `assign` (no descriptor, no signal) and its base is alive.
pub unsafe fn schedule_deferred(ev: *mut Event) -> bool {
    let base = (*ev).base;
    if base.is_null() {
        return false;
    }
    EventBase::with_lock(base, |b| {
        if (*ev).flags & (LIST_ACTIVE | LIST_TIMEOUT | LIST_FINALIZING) != 0 {
            return false;
        }
        if b.n_deferreds_queued >= MAX_DEFERREDS_QUEUED {
            b.add(ev, Some(0), false);
        } else {
            b.n_deferreds_queued += 1;
            b.activate(ev, EV_TIMEOUT, 1);
        }
        true
    })
}

/// Takes `ev` off every list and has the loop call `f(ev, arg)` once the callback now running
/// (if any) has returned: event_finalize().
///
/// # Safety
/// `ev` was set up by `assign` and its base is alive.
pub unsafe fn finalize(ev: *mut Event, f: FinalizeFn) {
    let base = (*ev).base;
    EventBase::with_lock(base, |b| {
        b.del(ev, DelMode::EvenIfFinalizing);
        (*ev).closure = CLOSURE_FINALIZE;
        (*ev).cb = f as usize;
        b.activate(ev, EV_FINALIZE, 1);
        (*ev).flags |= LIST_FINALIZING;
    });
}

/// The base's cached time if the loop has one, else the clock (event_base_gettimeofday_cached
/// on the monotonic clock: only differences of it are used).
///
/// # Safety
/// `base` is NULL or alive.
pub unsafe fn now_us(base: *mut EventBase) -> Micros {
    if base.is_null() {
        return crate::core::time::monotonic_us();
    }
    EventBase::with_lock(base, |b| b.now())
}
