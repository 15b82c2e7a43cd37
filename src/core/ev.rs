//! The internal event API: what event2/event.h offers, on `*mut Event` and `*mut EventBase`,
//! for `capi/event.rs` and every subsystem (bufferevents, listeners, evbuffer, evdns) alike, so
//! that there is one route to assigning, adding or deleting an event.
//!
//! Each function takes the base lock itself (none is held on entry, none on return) and has
//! libevent's semantics: debug-mode checks, the warnings of a missing base, the debug log. The
//! C boundary only checks its pointers (NULL events, NULL bases) and converts.
use crate::core::base::{DelMode, EventBase, CURRENT_BASE};
use crate::core::config::EventConfig;
use crate::core::event::*;
use crate::core::time::{self, Micros};
use crate::core::{debug, log, mem, sync};
use libc::{c_int, c_short, c_uint, c_void, timeval};
use std::ptr;
use std::sync::atomic::Ordering;

/// The base a NULL base stands for: event_init()'s (which may be NULL too).
pub fn or_current(base: *mut EventBase) -> *mut EventBase {
    if base.is_null() {
        CURRENT_BASE.load(Ordering::Acquire)
    } else {
        base
    }
}

// ---- events

static SELF_CBARG: u8 = 0;

/// The marker that, as an event's argument, stands for the event itself (event_self_cbarg()).
pub fn self_cbarg() -> *mut c_void {
    &SELF_CBARG as *const u8 as *mut c_void
}

/// event_assign(): `cb` is called with `arg` (the event itself for `self_cbarg()`); the base is
/// event_init()'s when NULL; the priority is the base's middle one. -1 when EV_SIGNAL is
/// combined with I/O events.
///
/// # Safety
/// `ev` points at 128 writable bytes that are on no list of a base.
pub unsafe fn assign(
    ev: *mut Event,
    base: *mut EventBase,
    fd: c_int,
    events: c_short,
    cb: Option<EventCallbackFn>,
    arg: *mut c_void,
) -> c_int {
    let base = or_current(base);
    let arg = if arg == self_cbarg() { ev as *mut c_void } else { arg };
    debug::assert_not_added(ev, "event_assign");
    if events & EV_SIGNAL != 0 && events & EV_IO != 0 {
        log::warnx("event_assign: EV_SIGNAL is not compatible with EV_READ, EV_WRITE or EV_CLOSED");
        return -1;
    }
    let pri = base.as_ref().map_or(0, |b| b.default_pri());
    Event::assign(ev, base, fd, events, cb.map_or(0, |f| f as usize), arg, pri);
    debug::note_setup(ev);
    0
}

/// event_new(): an event in one block of the program's allocator, owning nothing else (programs
/// release it with free() after event_del()). NULL when out of memory or `assign` refuses.
///
/// # Safety
/// As for `assign`'s `base`, `cb` and `arg`.
pub unsafe fn new(
    base: *mut EventBase,
    fd: c_int,
    events: c_short,
    cb: Option<EventCallbackFn>,
    arg: *mut c_void,
) -> *mut Event {
    let ev = mem::malloc(std::mem::size_of::<Event>()) as *mut Event;
    if ev.is_null() {
        return ptr::null_mut();
    }
    if assign(ev, base, fd, events, cb, arg) < 0 {
        mem::free(ev as *mut c_void);
        return ptr::null_mut();
    }
    ev
}

/// event_free(): deletes the event (waiting for its callback in another thread) and frees it.
/// No debug-mode check, as in libevent: a finalized (torn down) event may be freed.
///
/// # Safety
/// `ev` came from `new` and is not used afterwards.
pub unsafe fn free(ev: *mut Event) {
    del(ev, DelMode::AutoBlock);
    debug::note_teardown(ev);
    mem::free(ev as *mut c_void);
}

/// Tells debug mode that the event's memory is about to be released or reused.
pub fn teardown(ev: *mut Event) {
    debug::note_teardown(ev);
}

/// event_debug_unassign(): `teardown`, and the event is no longer initialized.
///
/// # Safety
/// `ev` points at an event's 128 bytes, neither added nor active.
pub unsafe fn unassign(ev: *mut Event) {
    debug::assert_not_added(ev, "event_debug_unassign");
    debug::note_teardown(ev);
    (*ev).flags &= !LIST_INIT;
}

/// event_add() with a relative timeout, or a common timeout (None: none, an existing one is
/// kept). -1 when the event has no base, is being finalized, or the backend refuses it.
///
/// # Safety
/// `ev` was set up by `assign`; its base is alive; the event stays in place while added.
pub unsafe fn add(ev: *mut Event, tv: Option<&timeval>) -> c_int {
    let base = (*ev).base;
    if base.is_null() {
        log::warnx("event_add: event has no event_base set.");
        return -1;
    }
    debug::assert_setup(ev, "event_add");
    log::debugx(|| {
        format!(
            "event_add: event: {ev:p} (fd {}), {}{}{}{}call {:#x}",
            (*ev).fd,
            if (*ev).events & EV_READ != 0 { "EV_READ " } else { " " },
            if (*ev).events & EV_WRITE != 0 { "EV_WRITE " } else { " " },
            if (*ev).events & EV_CLOSED != 0 { "EV_CLOSED " } else { " " },
            if tv.is_none() { "" } else { "EV_TIMEOUT " },
            (*ev).cb
        )
    });
    EventBase::with_lock(base, |b| {
        let t = tv.map(|t| b.timeout_us(t));
        b.add(ev, t, false)
    })
}

/// event_del() (`AutoBlock`), event_del_block() (`Block`), event_del_noblock() (`NoBlock`):
/// makes the event neither pending nor active, waiting as `mode` says for its callback when
/// another thread's loop runs it. -1 when the event has no base.
///
/// # Safety
/// `ev` points at an event's 128 bytes; its base is alive if the event is on any list. No lock
/// of the base is held by the caller.
pub unsafe fn del(ev: *mut Event, mode: DelMode) -> c_int {
    let name = match mode {
        DelMode::AutoBlock | DelMode::EvenIfFinalizing => "event_del",
        DelMode::Block => "event_del_block",
        DelMode::NoBlock => "event_del_noblock",
    };
    let base = (*ev).base;
    if base.is_null() {
        log::warnx(&format!("{name}: event has no event_base set."));
        return -1;
    }
    // No debug-mode check, as in libevent: event_free() deletes a finalized (torn down) event.
    log::debugx(|| format!("{name}: {ev:p} (fd {}), callback {:#x}", (*ev).fd, (*ev).cb));
    // An event on no list needs nothing from its base (which may already be freed), unless
    // another thread may be running its callback. With threads, the loop's thread changes the
    // flags under the base lock, so they are read only under it.
    if !sync::threads_enabled()
        && (*ev).flags & (LIST_INSERTED | LIST_TIMEOUT | LIST_ACTIVE | LIST_ACTIVE_LATER | LIST_FINALIZING) == 0
    {
        return 0;
    }
    let lock = (*base).lock;
    sync::lock(lock);
    let r = EventBase::del_waiting(base, ev, mode);
    sync::unlock(lock);
    r
}

/// event_remove_timer(): the event stays added, without its timeout (a persistent event's
/// periodic timeout is forgotten too). -1 when the event has no base.
///
/// # Safety
/// `ev` was set up by `assign`; its base is alive.
pub unsafe fn remove_timer(ev: *mut Event) -> c_int {
    let base = (*ev).base;
    if base.is_null() {
        return -1;
    }
    debug::assert_setup(ev, "event_remove_timer");
    EventBase::with_lock(base, |b| {
        if (*ev).flags & LIST_TIMEOUT != 0 {
            b.remove_timeout(ev);
            (*ev).persist_us = 0;
        }
        0
    })
}

/// event_pending(): the bits of `events` for which the event is pending or active; with `tv`,
/// when EV_TIMEOUT is asked for and pending, the expiry on the wall clock. Read under the base
/// lock, as in libevent: the loop's thread changes these fields under it.
///
/// # Safety
/// `ev` points at an event's 128 bytes; its base, if set, is alive.
pub unsafe fn pending(ev: *const Event, events: c_short, tv: Option<&mut timeval>) -> c_int {
    let base = (*ev).base;
    if base.is_null() {
        log::warnx("event_pending: event has no event_base set.");
        return 0;
    }
    debug::assert_setup(ev, "event_pending");
    let wanted = events & (EV_TIMEOUT | EV_IO | EV_SIGNAL);
    EventBase::with_lock(base, |b| {
        let flags = (*ev).pending_flags();
        if let Some(tv) = tv {
            if flags & wanted & EV_TIMEOUT != 0 {
                *tv = b.wall_of(time::to_us(&(*ev).timeout));
            }
        }
        (flags & wanted) as c_int
    })
}

/// Whether the event is added for I/O or a signal (not merely active or timed), read under the
/// base lock as `pending`.
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

/// event_active(): the event's callback runs from the loop with `res` (or-ed in when already
/// active), added or not; `ncalls` is how many times for a signal event.
///
/// # Safety
/// `ev` was set up by `assign`; its base is alive; the event stays in place while active.
pub unsafe fn activate(ev: *mut Event, res: c_short, ncalls: c_short) {
    let base = (*ev).base;
    if base.is_null() {
        log::warnx("event_active: event has no event_base set.");
        return;
    }
    debug::assert_setup(ev, "event_active");
    EventBase::with_lock(base, |b| b.activate(ev, res, ncalls))
}

/// event_priority_set(): refused (-1) while the event is active, without a base, or for a
/// priority out of the base's range.
///
/// # Safety
/// `ev` points at an event's 128 bytes; its base, if set, is alive.
pub unsafe fn set_priority(ev: *mut Event, pri: c_int) -> c_int {
    let e = &mut *ev;
    if e.flags & LIST_ACTIVE != 0 || pri < 0 || e.base.is_null() || pri >= (*e.base).queues.len() as c_int {
        return -1;
    }
    e.pri = pri as u8;
    0
}

/// event_base_set(): moves an event on no list to `base`, at its default priority. -1 when the
/// event is pending or active.
///
/// # Safety
/// `base` is a live base; `ev` points at an event's 128 bytes.
pub unsafe fn set_base(base: *mut EventBase, ev: *mut Event) -> c_int {
    // Only an event on no list may move to another base.
    if (*ev).flags != LIST_INIT {
        return -1;
    }
    debug::assert_setup(ev, "event_base_set");
    (*ev).base = base;
    (*ev).pri = (*base).default_pri();
    0
}

/// event_finalize() (`free_after` false), event_free_finalize() (true): takes the event off
/// every list without waiting, and has the loop call `cb(ev, arg)` once the callback now
/// running (if any) has returned, then free the event when asked. -1 when it has no base.
///
/// # Safety
/// `ev` was set up by `assign` (by `new` with `free_after`); its base is alive.
pub unsafe fn finalize(ev: *mut Event, cb: Option<FinalizeFn>, free_after: bool) -> c_int {
    let base = (*ev).base;
    if base.is_null() {
        log::warnx("event_finalize: event has no event_base set.");
        return -1;
    }
    EventBase::with_lock(base, |b| {
        b.del(ev, DelMode::EvenIfFinalizing);
        (*ev).closure = if free_after { CLOSURE_FINALIZE_FREE } else { CLOSURE_FINALIZE };
        (*ev).cb = cb.map_or(0, |f| f as usize);
        b.activate(ev, EV_FINALIZE, 1);
        (*ev).flags |= LIST_FINALIZING;
    });
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

// ---- bases

/// event_base_new_with_config(): NULL when no backend fits or memory runs out.
pub fn base_new(cfg: Option<&EventConfig>) -> *mut EventBase {
    debug::note_created();
    EventBase::new(cfg)
}

/// event_base_new(): libevent makes a default configuration first: when the program's malloc
/// fails, that is what fails, silently.
pub fn base_new_default() -> *mut EventBase {
    debug::note_created();
    match mem::try_box(EventConfig::default()) {
        Some(cfg) => EventBase::new(Some(&cfg)),
        None => ptr::null_mut(),
    }
}

/// event_base_free() (`run_finalizers`) and event_base_free_nofinalize(); NULL frees
/// event_init()'s base.
///
/// # Safety
/// `base` is NULL or a live base on which no loop runs and no other thread works.
pub unsafe fn base_free(base: *mut EventBase, run_finalizers: bool) {
    let base = or_current(base);
    if base.is_null() {
        log::warnx("event_base_free: no base to free");
        return;
    }
    EventBase::free(base, run_finalizers);
}

/// event_base_get_npriorities(): NULL for event_init()'s base; 0 when there is none.
///
/// # Safety
/// `base` is NULL or alive.
pub unsafe fn npriorities(base: *mut EventBase) -> c_int {
    let base = or_current(base);
    if base.is_null() {
        return 0;
    }
    EventBase::with_lock(base, |b| b.queues.len() as c_int)
}

/// event_base_once(): `cb(fd, what, arg)` runs once from the loop, on an event the base owns.
///
/// # Safety
/// `base` is alive; `arg` stays valid for `cb`.
pub unsafe fn once(
    base: *mut EventBase,
    fd: c_int,
    events: c_short,
    cb: EventCallbackFn,
    arg: *mut c_void,
    tv: Option<&timeval>,
) -> c_int {
    EventBase::with_lock(base, |b| b.once(fd, events, cb, arg, tv))
}

/// event_base_get_num_events(): the counts of `kinds` (1 active, 2 virtual, 4 added), summed.
///
/// # Safety
/// `base` is alive.
pub unsafe fn num_events(base: *mut EventBase, kinds: c_uint) -> c_int {
    EventBase::with_lock(base, |b| {
        let mut n = 0;
        if kinds & 1 != 0 {
            n += b.event_count_active;
        }
        if kinds & 2 != 0 {
            n += b.virtual_count;
        }
        if kinds & 4 != 0 {
            n += b.event_count;
        }
        n as c_int
    })
}

/// event_base_get_max_events(): the maxima of `kinds`, summed; `clear` resets them.
///
/// # Safety
/// `base` is alive.
pub unsafe fn max_events(base: *mut EventBase, kinds: c_uint, clear: bool) -> c_int {
    EventBase::with_lock(base, |b| {
        let mut n = 0;
        if kinds & 1 != 0 {
            n += b.max_active;
            if clear {
                b.max_active = 0;
            }
        }
        if kinds & 2 != 0 {
            n += b.max_virtual;
            if clear {
                b.max_virtual = 0;
            }
        }
        if kinds & 4 != 0 {
            n += b.max_count;
            if clear {
                b.max_count = 0;
            }
        }
        n as c_int
    })
}

/// event_base_loopbreak(): the loop stops once the running callback returns (woken if it waits).
///
/// # Safety
/// `base` is alive.
pub unsafe fn loopbreak(base: *mut EventBase) {
    EventBase::with_lock(base, |b| {
        b.brk = true;
        b.wake();
    })
}

/// event_base_loopcontinue(): the running loop looks for new events once the running callback
/// returns.
///
/// # Safety
/// `base` is alive.
pub unsafe fn loopcontinue(base: *mut EventBase) {
    EventBase::with_lock(base, |b| b.cont = true)
}

/// event_base_get_running_event(): the event whose callback runs, seen from the loop's thread;
/// NULL otherwise.
///
/// # Safety
/// `base` is alive.
pub unsafe fn running_event(base: *mut EventBase) -> *mut Event {
    EventBase::with_lock(base, |b| {
        let ev = b.current_event;
        if b.in_loop_thread() && !ev.is_null() && (*ev).flags & LIST_INIT != 0 {
            ev
        } else {
            ptr::null_mut()
        }
    })
}

/// event_base_gettimeofday_cached(): the loop's cached wall-clock time, else the clock's. NULL
/// stands for event_init()'s base, and without one the clock is read.
///
/// # Safety
/// `base` is NULL or alive.
pub unsafe fn gettimeofday_cached(base: *mut EventBase, tv: &mut timeval) -> c_int {
    let base = or_current(base);
    if base.is_null() {
        return libc::gettimeofday(tv, ptr::null_mut());
    }
    EventBase::with_lock(base, |b| {
        if b.cache == 0 {
            libc::gettimeofday(tv, ptr::null_mut())
        } else {
            *tv = time::from_us(b.cache + b.clock_diff);
            0
        }
    })
}

/// event_base_update_cache_time(): refreshes a running loop's cached time. -1 when there is no
/// base (NULL stands for event_init()'s).
///
/// # Safety
/// `base` is NULL or alive.
pub unsafe fn update_cache_time(base: *mut EventBase) -> c_int {
    let base = or_current(base);
    if base.is_null() {
        return -1;
    }
    EventBase::with_lock(base, |b| {
        if b.running_loop {
            b.update_cache();
        }
        0
    })
}

/// The base's cached time if the loop has one, else the clock (event_base_gettimeofday_cached
/// on the monotonic clock: only differences of it are used).
///
/// # Safety
/// `base` is NULL or alive.
pub unsafe fn now_us(base: *mut EventBase) -> Micros {
    if base.is_null() {
        return time::monotonic_us();
    }
    EventBase::with_lock(base, |b| b.now())
}

/// event_base_foreach_event(): `f` for each of the program's events (added, timed, active)
/// until it returns non-zero, which is returned. As in libevent the base lock is held
/// meanwhile (`f` must not add, delete or free events), but no Rust borrow of the base is: the
/// list is collected first.
///
/// # Safety
/// `base` is alive; `f` does not touch the base's event tables.
pub unsafe fn foreach_event(base: *mut EventBase, mut f: impl FnMut(*mut Event) -> c_int) -> c_int {
    let lock = (*base).lock;
    sync::lock(lock);
    let evs = (*base).all_events();
    let mut r = 0;
    for ev in evs {
        r = f(ev);
        if r != 0 {
            break;
        }
    }
    sync::unlock(lock);
    r
}

/// event_base_active_by_fd(): activates the events added on `fd` for `events` (EV_IO bits), as
/// if the backend had reported them. With EV_TIMEOUT, as in libevent 2.1.12 (and 2.2), only the
/// events on `fd` waiting for a timeout are activated (in the timer heap's order), and the I/O
/// bits are ignored.
///
/// # Safety
/// `base` is alive.
pub unsafe fn active_by_fd(base: *mut EventBase, fd: c_int, events: c_short) {
    EventBase::with_lock(base, |b| {
        if events & EV_TIMEOUT != 0 {
            let timers: Vec<_> = (0..b.heap.len()).map(|i| b.heap.get(i)).filter(|&ev| (*ev).fd == fd).collect();
            for ev in timers {
                b.activate(ev, EV_TIMEOUT, 1);
            }
        } else {
            b.activate_fd(fd, events & EV_IO);
        }
    })
}

/// event_base_active_by_signal(): the signal's events run as if it had arrived once.
///
/// # Safety
/// `base` is alive.
pub unsafe fn active_by_signal(base: *mut EventBase, sig: c_int) {
    EventBase::with_lock(base, |b| b.activate_signal(sig, 1))
}
