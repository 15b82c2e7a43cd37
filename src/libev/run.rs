//! ev_run(): libev's iteration on top of the core loop. Each iteration: fork watchers (after
//! ev_loop_fork), prepare watchers, then one poll of the core base (which feeds io, signal and
//! child watchers, and records the timers that fired), then timers, periodics, idle and check
//! watchers are queued, and everything pending runs, highest priority first.
use crate::core::base::EventBase;
use crate::core::run::{run_loop, LOOP_NONBLOCK, LOOP_NO_EXIT_ON_EMPTY, LOOP_ONCE};
use crate::libev::evloop::{st, EvLoop};
use crate::libev::hook::{self, Hook, Kind};
use crate::libev::pending::invoke_hook;
use crate::libev::simple::{self, Table};
use crate::libev::watcher::*;
use crate::libev::{alloc, asyncw, embed, io, periodic, timer};
use libc::c_int;

/// The longest a poll blocks, as in libev: a loop wakes up (running its prepare and check
/// watchers, returning from EVRUN_ONCE) at least this often.
const MAX_BLOCKTIME: Tstamp = 59.743;

pub unsafe fn run(lp: *mut EvLoop, flags: c_int) -> c_int {
    {
        let mut s = st(lp);
        s.depth += 1;
        s.done = EVBREAK_CANCEL;
    }
    // Whatever is already queued runs first (a nested run keeps the order intact).
    invoke_hook(lp);
    loop {
        let (forked, has_forks, has_prepares) = {
            let mut s = st(lp);
            if s.curpid != 0 && libc::getpid() != s.curpid {
                s.curpid = libc::getpid();
                s.postfork = true;
            }
            (s.postfork, !s.forks.is_empty(), !s.prepares.is_empty())
        };
        if forked && has_forks {
            simple::queue_all(lp, Table::Fork, EV_FORK);
            invoke_hook(lp);
        }
        if has_prepares {
            simple::queue_all(lp, Table::Prepare, EV_PREPARE);
            invoke_hook(lp);
        }
        if st(lp).done != EVBREAK_CANCEL {
            break;
        }
        if st(lp).postfork {
            reinit_after_fork(lp);
        }
        embed::prepare(lp);
        poll(lp, flags);
        io::feed_always_ready(lp);
        timer::reify(lp);
        periodic::reify(lp);
        embed::reify(lp);
        simple::idle_reify(lp);
        if !st(lp).checks.is_empty() {
            simple::queue_all(lp, Table::Check, EV_CHECK);
        }
        invoke_hook(lp);
        let s = st(lp);
        if s.activecnt == 0 || s.done != EVBREAK_CANCEL || flags & (EVRUN_ONCE | EVRUN_NOWAIT) != 0 {
            break;
        }
    }
    let mut s = st(lp);
    if s.done == EVBREAK_ONE {
        s.done = EVBREAK_CANCEL;
    }
    s.depth -= 1;
    s.activecnt
}

/// One wait in the core base: not at all with EVRUN_NOWAIT, idle watchers, or nothing that
/// keeps the loop alive; otherwise until an event or the first timer. The program's release
/// and acquire callbacks bracket it.
unsafe fn poll(lp: *mut EvLoop, flags: c_int) {
    let prev_mn = st(lp).mn_now;
    // The time again, so that callback processing does not shorten the wait.
    now_update(lp);
    let (base, nowait, release, now, blocktime) = {
        let mut s = st(lp);
        let nowait = flags & EVRUN_NOWAIT != 0 || s.idleall > 0 || s.activecnt == 0 || s.always_ready > 0;
        s.iteration = s.iteration.wrapping_add(1);
        (s.base, nowait, s.release_cb, s.mn_now, s.io_blocktime)
    };
    if !nowait && blocktime > 0.0 {
        // ev_set_io_collect_interval(): let events gather, but never past the next timer.
        let mut sleep = blocktime - (now - prev_mn);
        if let Some(us) = EventBase::with_lock(base, |b| b.next_timeout()) {
            sleep = sleep.min(us as f64 * 1e-6);
        }
        sleep_for(sleep);
    }
    if !nowait {
        arm_wakeup(lp);
    }
    if let Some(f) = release {
        f(lp);
    }
    let core_flags = LOOP_ONCE | LOOP_NO_EXIT_ON_EMPTY | if nowait { LOOP_NONBLOCK } else { 0 };
    let r = run_loop(base, core_flags);
    let acquire = st(lp).acquire_cb;
    if let Some(f) = acquire {
        f(lp);
    }
    if r < 0 {
        alloc::syserr(c"(libev) error while polling");
    }
    now_update(lp);
}

/// Makes sure the internal wake-up timer is armed (it is re-armed only after it fired, so a
/// blocking poll never lasts longer than MAX_BLOCKTIME and costs no timer work otherwise).
unsafe fn arm_wakeup(lp: *mut EvLoop) {
    let mut s = st(lp);
    if s.wakeup_at != 0.0 {
        return;
    }
    if s.wakeup_hook.is_null() {
        let h = Box::into_raw(Box::new(Hook::empty()));
        (*h).lp = lp;
        (*h).kind = Kind::Wakeup;
        hook::assign(h, s.base, -1, 0);
        s.wakeup_hook = h;
    }
    s.wakeup_at = s.mn_now + MAX_BLOCKTIME;
    hook::arm_at(s.wakeup_hook, s.wakeup_at);
}

/// ev_now_update(): reads the clocks; when the wall clock jumped, the periodics move.
pub unsafe fn now_update(lp: *mut EvLoop) {
    let jumped = st(lp).time_update();
    if jumped {
        periodic::reschedule_all(lp);
    }
}

/// ev_resume(): timers skip the time the loop was suspended; periodics are recomputed.
pub unsafe fn resume(lp: *mut EvLoop) {
    let before = st(lp).mn_now;
    now_update(lp);
    let delta = st(lp).mn_now - before;
    timer::shift_all(lp, delta);
    periodic::reschedule_all(lp);
}

/// ev_loop_fork() was called (or EVFLAG_FORKCHECK saw a new pid): new kernel state.
unsafe fn reinit_after_fork(lp: *mut EvLoop) {
    let base = {
        let mut s = st(lp);
        s.postfork = false;
        s.base
    };
    if EventBase::with_lock(base, |b| b.reinit()) < 0 {
        alloc::syserr(c"(libev) error re-creating the event loop after fork");
    }
    asyncw::after_fork(lp);
    embed::after_fork(lp);
}

/// ev_sleep(): at least `delay` seconds, through interruptions.
pub fn sleep_for(delay: Tstamp) {
    if delay <= 0.0 {
        return;
    }
    let mut ts = libc::timespec {
        tv_sec: delay.trunc() as libc::time_t,
        tv_nsec: ((delay - delay.trunc()) * 1e9).ceil() as libc::c_long,
    };
    if ts.tv_nsec >= 1_000_000_000 {
        ts.tv_sec += 1;
        ts.tv_nsec -= 1_000_000_000;
    }
    let mut rem = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: valid timespecs.
    while unsafe { libc::nanosleep(&ts, &mut rem) } < 0
        && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR)
    {
        ts = rem;
    }
}
