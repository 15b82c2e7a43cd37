//! ev_periodic: wall-clock times (absolute, every `interval` from `offset`, or chosen by a
//! reschedule callback). Each is a core timer at the monotonic instant that corresponds to
//! its wall-clock time; a wall-clock jump moves them all.
use crate::libev::evloop::{st, EvLoop};
use crate::libev::hook::{self, Hook, Kind};
use crate::libev::watcher::*;

/// The smallest interval used to find the next multiple (a tiny one would take for ever).
const MIN_INTERVAL: Tstamp = 1.0 / 8192.0;

/// The first `offset + k * interval` strictly after `now`.
fn next_after(offset: Tstamp, interval: Tstamp, now: Tstamp) -> Tstamp {
    let step = interval.max(MIN_INTERVAL);
    let mut at = offset + step * ((now - offset) / step).floor();
    while at <= now {
        let next = at + interval;
        if next == at {
            // Beyond the precision of a double: settle for now.
            return now;
        }
        at = next;
    }
    at
}

/// Where the watcher fires next, seen from wall-clock time `now`. Runs the program's
/// reschedule callback, so no borrow of the loop may be held.
unsafe fn schedule(w: *mut Periodic, now: Tstamp) {
    if let Some(cb) = (*w).reschedule_cb {
        (*w).at = cb(w, now);
    } else if (*w).interval > 0.0 {
        (*w).at = next_after((*w).offset, (*w).interval, now);
    } else {
        (*w).at = (*w).offset;
    }
}

/// Arms the hook for the watcher's wall-clock time, through the loop's current clocks.
unsafe fn arm(h: *mut Hook, w: *mut Periodic, mn_now: Tstamp, rt_now: Tstamp) {
    hook::arm_at(h, (*w).at - rt_now + mn_now);
}

pub unsafe fn start(lp: *mut EvLoop, w: *mut Periodic) {
    let ww = w as *mut Watcher;
    if (*ww).active != 0 {
        return;
    }
    if (*w).reschedule_cb.is_none() && (*w).interval < 0.0 {
        crate::libev::alloc::fatal("libev: ev_periodic_start called with negative interval value");
    }
    let now = st(lp).rt_now;
    schedule(w, now);
    let mut s = st(lp);
    s.start_watcher(ww);
    let h = s.new_hook(lp, ww, Kind::Periodic);
    hook::assign(h, s.base, -1, 0);
    arm(h, w, s.mn_now, s.rt_now);
}

pub unsafe fn stop(lp: *mut EvLoop, w: *mut Periodic) {
    st(lp).stop_hooked(w as *mut Watcher, |_| {});
}

pub unsafe fn again(lp: *mut EvLoop, w: *mut Periodic) {
    stop(lp, w);
    start(lp, w);
}

/// After a poll: the periodics whose core timer fired. Each is rescheduled (or stopped when
/// it has no interval), then all are queued, earliest to run first.
pub unsafe fn reify(lp: *mut EvLoop) {
    let (mut fired, mut due) = {
        let mut s = st(lp);
        if s.fired.is_empty() {
            return;
        }
        (std::mem::take(&mut s.fired), std::mem::take(&mut s.scratch))
    };
    for &(h, w) in &fired {
        if (*h).kind != Kind::Periodic || !st(lp).hook_serves(h, w) {
            continue;
        }
        let p = w as *mut Periodic;
        let (mn_now, rt_now) = {
            let s = st(lp);
            (s.mn_now, s.rt_now)
        };
        if (*p).at > rt_now {
            // The wall clock lags the monotonic one since the hook was armed: not yet.
            arm(h, p, mn_now, rt_now);
            continue;
        }
        if (*p).reschedule_cb.is_some() || (*p).interval > 0.0 {
            schedule(p, rt_now);
            if st(lp).hook_serves(h, w) {
                arm(h, p, mn_now, rt_now);
            }
        } else {
            let mut s = st(lp);
            s.release_hook(w);
            s.stop_watcher(w);
        }
        due.push((h, w));
    }
    let mut s = st(lp);
    for &(_, w) in due.iter().rev() {
        s.feed(w, EV_PERIODIC);
    }
    due.clear();
    s.scratch = due;
    fired.retain(|&(h, _)| (*h).kind != Kind::Periodic);
    // Anything fired meanwhile (nothing should) stays queued after what was there.
    fired.append(&mut s.fired);
    s.fired = fired;
}

/// The wall clock jumped (or the loop resumed): every periodic is scheduled afresh.
pub unsafe fn reschedule_all(lp: *mut EvLoop) {
    let hooks = st(lp).hooks_of(Kind::Periodic);
    for h in hooks {
        let w = (*h).w;
        if w.is_null() {
            continue;
        }
        let p = w as *mut Periodic;
        let (mn_now, rt_now) = {
            let s = st(lp);
            (s.mn_now, s.rt_now)
        };
        if (*p).reschedule_cb.is_some() || (*p).interval > 0.0 {
            schedule(p, rt_now);
        }
        if st(lp).hook_serves(h, w) {
            arm(h, p, mn_now, rt_now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::next_after;

    #[test]
    fn next_multiple_is_strictly_after_now() {
        assert_eq!(next_after(0.0, 10.0, 25.0), 30.0);
        assert_eq!(next_after(0.0, 10.0, 30.0), 40.0);
        assert_eq!(next_after(5.0, 10.0, 4.0), 5.0);
        assert_eq!(next_after(3.0, 0.5, 3.2), 3.5);
        // An interval below a double's resolution at this magnitude settles for now.
        assert_eq!(next_after(0.0, 1e-300, 1e9), 1e9);
    }
}
