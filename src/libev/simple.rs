//! The watchers the loop itself raises, with no core event behind them: ev_prepare (before
//! each poll), ev_check (after it), ev_idle (when nothing else is pending), ev_fork (after
//! ev_loop_fork), ev_cleanup (in ev_loop_destroy). Each kind is a table of watchers.
use crate::libev::evloop::{st, EvLoop, State};
use crate::libev::watcher::*;
use libc::c_int;

#[derive(Clone, Copy)]
pub enum Table {
    Prepare,
    Check,
    Fork,
    Cleanup,
}

fn table(s: &mut State, t: Table) -> &mut Vec<*mut Watcher> {
    match t {
        Table::Prepare => &mut s.prepares,
        Table::Check => &mut s.checks,
        Table::Fork => &mut s.forks,
        Table::Cleanup => &mut s.cleanups,
    }
}

pub unsafe fn start(lp: *mut EvLoop, w: *mut Watcher, t: Table) {
    if (*w).active != 0 {
        return;
    }
    let mut s = st(lp);
    s.start_watcher(w);
    State::table_add(table(&mut s, t), w);
    if let Table::Cleanup = t {
        // Cleanup watchers never keep a loop running.
        s.activecnt -= 1;
    }
}

pub unsafe fn stop(lp: *mut EvLoop, w: *mut Watcher, t: Table) {
    let mut s = st(lp);
    s.clear_pending(w);
    if (*w).active == 0 {
        return;
    }
    if let Table::Cleanup = t {
        s.activecnt += 1;
    }
    State::table_remove(table(&mut s, t), w);
    s.stop_watcher(w);
}

/// Queues every watcher of a table with `revents`, in table order (so the last one runs
/// first, as in libev).
pub unsafe fn queue_all(lp: *mut EvLoop, t: Table, revents: c_int) {
    let mut s = st(lp);
    for i in 0..table(&mut s, t).len() {
        let w = table(&mut s, t)[i];
        s.feed(w, revents);
    }
}

pub unsafe fn idle_start(lp: *mut EvLoop, w: *mut Idle) {
    if (*w).active != 0 {
        return;
    }
    let mut s = st(lp);
    s.start_watcher(w);
    let pri = abs_priority(w);
    State::table_add(&mut s.idles[pri], w);
    s.idleall += 1;
}

pub unsafe fn idle_stop(lp: *mut EvLoop, w: *mut Idle) {
    let mut s = st(lp);
    s.clear_pending(w);
    if (*w).active == 0 {
        return;
    }
    let pri = abs_priority(w);
    State::table_remove(&mut s.idles[pri], w);
    s.idleall -= 1;
    s.stop_watcher(w);
}

/// After a poll: the idle watchers of the highest priority that has any are queued, unless
/// something of that priority or above is already pending.
pub unsafe fn idle_reify(lp: *mut EvLoop) {
    let mut s = st(lp);
    if s.idleall == 0 {
        return;
    }
    for pri in (0..NUMPRI).rev() {
        if !s.pendings[pri].is_empty() {
            break;
        }
        if !s.idles[pri].is_empty() {
            for i in 0..s.idles[pri].len() {
                let w = s.idles[pri][i];
                s.feed(w, EV_IDLE);
            }
            break;
        }
    }
}
