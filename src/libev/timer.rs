//! ev_timer: relative timers on the monotonic clock, each a one-shot core timer that the loop
//! re-arms for repeating watchers after it fires.
use crate::libev::alloc::fatal;
use crate::libev::evloop::{st, EvLoop};
use crate::libev::hook::{self, Kind};
use crate::libev::watcher::*;

pub unsafe fn start(lp: *mut EvLoop, w: *mut Timer) {
    let ww = w as *mut Watcher;
    if (*ww).active != 0 {
        return;
    }
    if (*w).repeat < 0.0 {
        fatal("libev: ev_timer_start called with negative timer repeat value");
    }
    let mut s = st(lp);
    (*w).at += s.mn_now;
    s.start_watcher(ww);
    let h = s.new_hook(lp, ww, Kind::Timer);
    hook::assign(h, s.base, -1, 0);
    hook::arm_at(h, (*w).at);
}

pub unsafe fn stop(lp: *mut EvLoop, w: *mut Timer) {
    // A stopped timer remembers how long it had left.
    st(lp).stop_hooked(w as *mut Watcher, |s| (*w).at -= s.mn_now);
}

/// ev_timer_again(): restart a repeating timer from now, stop a non-repeating one.
pub unsafe fn again(lp: *mut EvLoop, w: *mut Timer) {
    let ww = w as *mut Watcher;
    let mut s = st(lp);
    s.clear_pending(ww);
    if (*ww).active != 0 {
        if (*w).repeat > 0.0 {
            (*w).at = s.mn_now + (*w).repeat;
            let h = s.hook_of(ww);
            if !h.is_null() {
                hook::arm_at(h, (*w).at);
            }
        } else {
            drop(s);
            stop(lp, w);
        }
    } else if (*w).repeat > 0.0 {
        (*w).at = (*w).repeat;
        drop(s);
        start(lp, w);
    }
}

pub unsafe fn remaining(lp: *mut EvLoop, w: *mut Timer) -> Tstamp {
    let s = st(lp);
    (*w).at - if (*w).w.active != 0 { s.mn_now } else { 0.0 }
}

/// After a poll: the timers whose core event fired. Repeating ones move on by their repeat
/// (not before now), the others stop; all are queued so the earliest runs first.
pub unsafe fn reify(lp: *mut EvLoop) {
    let mut s = st(lp);
    if s.fired.is_empty() {
        return;
    }
    let mut fired = std::mem::take(&mut s.fired);
    let mut due = std::mem::take(&mut s.scratch);
    for &(h, w) in &fired {
        if (*h).kind != Kind::Timer || !s.hook_serves(h, w) {
            continue;
        }
        let t = w as *mut Timer;
        if (*t).repeat > 0.0 {
            (*t).at += (*t).repeat;
            if (*t).at < s.mn_now {
                (*t).at = s.mn_now;
            }
            hook::arm_at(h, (*t).at);
        } else {
            s.release_hook(w);
            (*t).at -= s.mn_now;
            s.stop_watcher(w);
        }
        due.push((h, w));
    }
    for &(_, w) in due.iter().rev() {
        s.feed(w, EV_TIMER);
    }
    due.clear();
    s.scratch = due;
    // Periodics and embeds stay for their own passes.
    fired.retain(|&(h, _)| (*h).kind != Kind::Timer);
    s.fired = fired;
}

/// ev_resume(): timers do not count the time the loop was suspended.
pub unsafe fn shift_all(lp: *mut EvLoop, delta: Tstamp) {
    let s = st(lp);
    for h in s.hooks_of(Kind::Timer) {
        let t = (*h).w as *mut Timer;
        (*t).at += delta;
        hook::arm_at(h, (*t).at);
    }
}
