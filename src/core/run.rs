//! The loop. The re-entrancy rule lives here: a user callback runs with the base unlocked and
//! no Rust reference into the base alive; everything needed for the call is copied out first,
//! and the base is looked at afresh after it (the callback may have changed anything).
use crate::core::base::{run_finalizer, DelMode, EventBase};
use crate::core::event::*;
use crate::core::log;
use crate::core::sync;
use crate::core::time::Micros;
use crate::core::watch::{self, Kind as WatchKind};
use libc::{c_int, c_short};

pub const LOOP_ONCE: c_int = 0x01;
pub const LOOP_NONBLOCK: c_int = 0x02;
pub const LOOP_NO_EXIT_ON_EMPTY: c_int = 0x04;

/// event_base_loop(): runs callbacks until no event is left or `flags` say stop; 1 when it stopped
/// for lack of events, -1 on a backend error or a second loop on the same base, else 0.
///
/// # Safety
/// `base` is live and stays so until this returns (no callback frees it); no borrow of it is held.
pub unsafe fn run_loop(base: *mut EventBase, flags: c_int) -> c_int {
    let lock = (*base).lock;
    sync::lock(lock);
    let b = &mut *base;
    if b.running_loop {
        log::warnx(
            "event_base_loop: reentrant invocation.  Only one event_base_loop can run on each event_base at once.",
        );
        sync::unlock(lock);
        return -1;
    }
    b.running_loop = true;
    b.cache = 0;
    b.sig.loop_starting(base, &b.sigmap);
    b.owner = sync::thread_id();
    b.gotterm = false;
    b.brk = false;
    let mut ret = 0;
    loop {
        let b = &mut *base;
        b.cont = false;
        b.n_deferreds_queued = 0;
        if b.gotterm || b.brk {
            break;
        }
        let have_active = b.event_count_active > 0;
        let mut timeout = wait_timeout(b, flags);
        if !b.have_events() && !have_active && flags & LOOP_NO_EXIT_ON_EMPTY == 0 {
            ret = 1;
            break;
        }
        if !b.watchers.is_empty(WatchKind::Prepare) {
            watch::run(base, WatchKind::Prepare, timeout);
            // A watcher may have activated an event, added an earlier timer or stopped the loop:
            // the wait must not sleep past that.
            timeout = wait_timeout(&mut *base, flags);
        }
        let b = &mut *base;
        b.cache = 0;
        if wait_for_events(base, timeout) < 0 {
            ret = -1;
            break;
        }
        let b = &mut *base;
        b.update_cache();
        if !b.watchers.is_empty(WatchKind::Check) {
            watch::run(base, WatchKind::Check, None);
        }
        let b = &mut *base;
        b.process_timeouts();
        if b.event_count_active > 0 {
            let n = process_active(base);
            let b = &*base;
            if flags & LOOP_ONCE != 0 && b.event_count_active == 0 && n != 0 {
                break;
            }
        } else if flags & LOOP_NONBLOCK != 0 {
            break;
        }
    }
    let b = &mut *base;
    b.cache = 0;
    b.running_loop = false;
    sync::unlock(lock);
    ret
}

/// How long the next wait may last: not at all with callbacks to run, a non-blocking loop or a
/// stop requested; else until the first timer (None: for ever).
fn wait_timeout(b: &mut EventBase, flags: c_int) -> Option<Micros> {
    if b.event_count_active > 0 || flags & LOOP_NONBLOCK != 0 || b.gotterm || b.brk {
        Some(0)
    } else {
        b.next_timeout()
    }
}

/// Flushes pending interest changes, then waits in the backend with the lock released.
unsafe fn wait_for_events(base: *mut EventBase, timeout: Option<Micros>) -> c_int {
    let b = &mut *base;
    b.io.flush(&mut b.backend);
    let lock = b.lock;
    let mut wait = b.backend.prepare(!lock.is_null());
    sync::unlock(lock);
    let n = wait.run(timeout);
    let err = std::io::Error::last_os_error();
    sync::lock(lock);
    let b = &mut *base;
    let mut ready = std::mem::take(&mut b.ready);
    ready.clear();
    b.backend.complete(wait, n, &mut ready);
    if n < 0 {
        b.ready = ready;
        if err.raw_os_error() == Some(libc::EINTR) {
            return 0;
        }
        log::warn(b.method().to_str().unwrap_or("dispatch"));
        return -1;
    }
    for &(fd, what) in &ready {
        b.activate_fd(fd, what);
    }
    b.ready = ready;
    0
}

/// Runs the highest-priority non-empty queue (lower ones wait for the next iteration, as in
/// libevent). Returns how many non-internal callbacks ran, or -1 on loopbreak.
unsafe fn process_active(base: *mut EventBase) -> c_int {
    let b = &mut *base;
    let endtime = b.max_dispatch.map(|d| {
        b.update_cache();
        b.now().saturating_add(d)
    });
    let (limit_after, maxcb) = (b.limit_after_prio, b.max_callbacks);
    let mut c = 0;
    let nqueues = (*base).queues.len();
    for pri in 0..nqueues {
        if (&(*base).queues)[pri].is_empty() {
            continue;
        }
        (*base).running_priority = pri as c_int;
        c = if (pri as c_int) < limit_after {
            process_queue(base, pri, c_int::MAX, None)
        } else {
            process_queue(base, pri, maxcb, endtime)
        };
        if c != 0 {
            break;
        }
    }
    (*base).running_priority = -1;
    c
}

unsafe fn process_queue(base: *mut EventBase, pri: usize, max: c_int, endtime: Option<Micros>) -> c_int {
    let lock = (*base).lock;
    let mut count = 0;
    loop {
        let b = &mut *base;
        let ev = b.queues[pri].head;
        if ev.is_null() {
            break;
        }
        // A persistent event stays added; any other is removed before its callback, which may
        // then add it again.
        if (*ev).events & EV_PERSIST != 0 || (*ev).flags & LIST_FINALIZING != 0 {
            b.remove_active(ev);
        } else {
            b.del(ev, DelMode::NoBlock);
        }
        if (*ev).flags & LIST_INTERNAL == 0 {
            count += 1;
        }
        b.current_event = ev;
        b.current_waiters = 0;
        match (*ev).closure {
            CLOSURE_FINALIZE | CLOSURE_FINALIZE_FREE => {
                b.current_event = std::ptr::null_mut();
                sync::unlock(lock);
                run_finalizer(ev);
            }
            CLOSURE_SIGNAL => signal_closure(base, ev),
            closure => {
                if closure == CLOSURE_PERSIST {
                    rearm_persistent(b, ev);
                }
                let (cb, fd, res, arg) = ((*ev).callback(), (*ev).fd, (*ev).res, (*ev).arg);
                sync::unlock(lock);
                if let Some(cb) = cb {
                    cb(fd, res, arg);
                }
            }
        }
        sync::lock(lock);
        let b = &mut *base;
        b.current_event = std::ptr::null_mut();
        if b.current_waiters > 0 {
            b.current_waiters = 0;
            sync::cond_signal(b.current_cond, true);
        }
        if b.brk {
            return -1;
        }
        if count >= max {
            return count;
        }
        if let Some(end) = endtime {
            if count > 0 {
                b.update_cache();
                if b.now() >= end {
                    return count;
                }
            }
        }
        if b.cont {
            break;
        }
    }
    count
}

/// A persistent event with a timeout is re-armed before its callback: from its previous
/// deadline when the timeout fired (so periodic timers do not drift), else from now.
unsafe fn rearm_persistent(b: &mut EventBase, ev: *mut Event) {
    let interval = (*ev).persist_us;
    // A negative interval re-arms too, in the past: the event runs on every iteration, as in
    // libevent.
    if interval == 0 {
        return;
    }
    let now = b.now();
    let from = if (*ev).res & EV_TIMEOUT != 0 { crate::core::time::to_us(&(*ev).timeout) } else { now };
    // Saturating: the interval is the program's timeval, possibly huge either way.
    let mut at = from.saturating_add(interval);
    if at < now {
        at = now.saturating_add(interval);
    }
    b.add(ev, Some(at), true);
}

/// Calls a signal event's callback once per arrival; event_del() from the callback stops the
/// remaining calls through `pncalls`, which points at this frame's counter.
unsafe fn signal_closure(base: *mut EventBase, ev: *mut Event) {
    let lock = (*base).lock;
    let mut remaining: c_short = (*ev).ncalls;
    let counter: *mut c_short = &mut remaining;
    if *counter != 0 {
        (*ev).pncalls = counter;
    }
    let (cb, fd, res, arg) = ((*ev).callback(), (*ev).fd, (*ev).res, (*ev).arg);
    sync::unlock(lock);
    while std::ptr::read_volatile(counter) > 0 {
        let left = std::ptr::read_volatile(counter) - 1;
        std::ptr::write_volatile(counter, left);
        (*ev).ncalls = left;
        if left == 0 {
            (*ev).pncalls = std::ptr::null_mut();
        }
        if let Some(cb) = cb {
            cb(fd, res, arg);
        }
        sync::lock(lock);
        let brk = (*base).brk;
        sync::unlock(lock);
        if brk {
            if std::ptr::read_volatile(counter) != 0 {
                (*ev).pncalls = std::ptr::null_mut();
            }
            return;
        }
    }
}
