//! The core events that serve watchers. A started io, timer, periodic, signal, stat or embed
//! watcher owns one hook: a core `Event` whose callback feeds the watcher into the loop's
//! pending queues (it never calls the program: the loop does that after the poll).
use crate::core::base::EventBase;
use crate::core::event::Event;
use crate::core::time::Micros;
use crate::libev::evloop::{st, EvLoop};
use crate::libev::watcher::*;
use crate::libev::{asyncw, child, io, stat};
use libc::{c_int, c_short, c_void};
use std::ptr;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Io,
    Timer,
    Periodic,
    Signal,
    Stat,
    Embed,
    /// The default loop's SIGCHLD event (internal: holds no watcher).
    ChildSignal,
    /// The eventfd ev_async_send() writes (internal).
    AsyncFd,
    /// The timer that bounds how long a poll may block (internal).
    Wakeup,
}

#[repr(C)]
pub struct Hook {
    pub ev: Event,
    pub lp: *mut EvLoop,
    pub w: *mut Watcher,
    pub kind: Kind,
    /// Index in the loop's hook table (unused by internal hooks).
    pub slot: usize,
    /// An io watcher on a descriptor the backend refuses (a regular file, with epoll): as in
    /// libev it counts as always ready.
    pub always_ready: bool,
}

impl Hook {
    pub fn empty() -> Hook {
        Hook {
            // SAFETY: an all-zero struct event is a valid, unassigned event.
            ev: unsafe { std::mem::zeroed() },
            lp: ptr::null_mut(),
            w: ptr::null_mut(),
            kind: Kind::Io,
            slot: usize::MAX,
            always_ready: false,
        }
    }
}

/// Seconds on the monotonic clock to the core's microseconds, rounded up so a deadline is
/// never met early.
pub fn to_us(t: Tstamp) -> Micros {
    let us = (t * 1e6).ceil();
    if us >= i64::MAX as f64 {
        i64::MAX / 2
    } else if us <= 0.0 {
        0
    } else {
        us as Micros
    }
}

/// Sets up the hook's core event (libevent's event bits) with `on_core` as its callback.
pub unsafe fn assign(h: *mut Hook, base: *mut EventBase, fd: c_int, events: c_short) {
    Event::assign(ptr::addr_of_mut!((*h).ev), base, fd, events, on_core as *const () as usize, h as *mut c_void, 0);
}

/// Adds the core event, with a deadline on the monotonic clock (absolute) or a relative
/// timeout (for persistent polling events).
pub unsafe fn add(h: *mut Hook, timeout: Option<Micros>, absolute: bool) -> c_int {
    let base = (*h).ev.base;
    EventBase::with_lock(base, |b| b.add(ptr::addr_of_mut!((*h).ev), timeout, absolute))
}

/// (Re)arms a timer-like hook for the monotonic time `at` (seconds).
pub unsafe fn arm_at(h: *mut Hook, at: Tstamp) {
    add(h, Some(to_us(at)), true);
}

/// The callback of every hook, run by the core inside its loop with no borrow of the loop
/// state alive; it only records or feeds, the program's callbacks run later.
unsafe extern "C" fn on_core(fd: c_int, what: c_short, arg: *mut c_void) {
    let h = arg as *mut Hook;
    let lp = (*h).lp;
    match (*h).kind {
        Kind::Io => io::on_ready(lp, h, what),
        Kind::Timer | Kind::Periodic | Kind::Embed => {
            let w = (*h).w;
            st(lp).fired.push((h, w));
        }
        Kind::Signal => {
            let w = (*h).w;
            st(lp).feed(w, EV_SIGNAL);
        }
        Kind::Stat => stat::on_poll(lp, h),
        Kind::ChildSignal => child::reap(lp),
        Kind::AsyncFd => asyncw::on_wake(lp, fd),
        Kind::Wakeup => st(lp).wakeup_at = 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::to_us;

    #[test]
    fn deadlines_round_up() {
        assert_eq!(to_us(1.0), 1_000_000);
        assert_eq!(to_us(1.0000001), 1_000_001);
        assert_eq!(to_us(-5.0), 0);
        assert!(to_us(f64::INFINITY) > 0);
    }
}
