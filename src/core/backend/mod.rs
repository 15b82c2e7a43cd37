//! The kernel interfaces that wait for descriptors: epoll (the default), poll and select, and
//! io_uring when asked for (it is not among libevent's methods, so never chosen unasked).
//!
//! The base tells a backend, per descriptor, the old and new interest (`apply`); waiting is
//! split in two so the base lock can be released during the system call: `prepare` moves out
//! everything the call needs, `Wait::run` makes it with no reference to the base, and
//! `complete` turns the kernel's answer into (fd, EV_* bits) pairs.
pub mod epoll;
pub mod io_uring;
pub mod poll;
pub mod select;

use crate::core::time::Micros;
use libc::{c_int, c_short};
use std::ffi::CStr;

/// The longest wait in one system call (libevent's bound for epoll: 35 minutes); the loop
/// then looks at its timers again.
pub const MAX_WAIT_US: Micros = 35 * 60 * 1_000_000;

/// A wait for the kernel in milliseconds, rounded up so a timer is never reported early;
/// -1 waits for ever.
pub fn wait_ms(timeout: Option<Micros>) -> c_int {
    timeout.map_or(-1, |us| ((us.clamp(0, MAX_WAIT_US) + 999) / 1000) as c_int)
}

pub const FEATURE_ET: c_int = 0x01;
pub const FEATURE_O1: c_int = 0x02;
pub const FEATURE_FDS: c_int = 0x04;
pub const FEATURE_EARLY_CLOSE: c_int = 0x08;

/// Method names in libevent's order of preference.
pub const METHODS: [&CStr; 3] = [c"epoll", c"poll", c"select"];
/// The opt-in method, tried before METHODS when the environment or the base's flags ask.
pub const IO_URING: &CStr = c"io_uring";

pub fn features_of(name: &CStr) -> c_int {
    match name.to_bytes() {
        b"epoll" | b"io_uring" => FEATURE_ET | FEATURE_O1 | FEATURE_EARLY_CLOSE,
        b"poll" => FEATURE_FDS | FEATURE_EARLY_CLOSE,
        _ => FEATURE_FDS,
    }
}

// One per base, and one wait per loop iteration, moved rather than allocated: boxing the
// io_uring variants would add an allocation to every wait for a few hundred bytes saved.
#[allow(clippy::large_enum_variant)]
pub enum Backend {
    Epoll(epoll::Epoll),
    Uring(io_uring::Uring),
    Poll(poll::Poll),
    Select(select::Select),
}

#[allow(clippy::large_enum_variant)]
pub enum Wait {
    Epoll(epoll::EpollWait),
    Uring(io_uring::UringWait),
    Poll(poll::PollWait),
    Select(select::SelectWait),
}

impl Backend {
    pub fn new(name: &CStr) -> Option<Backend> {
        match name.to_bytes() {
            b"epoll" => epoll::Epoll::new().map(Backend::Epoll),
            b"io_uring" => io_uring::Uring::new().ok().map(Backend::Uring),
            b"poll" => Some(Backend::Poll(poll::Poll::default())),
            b"select" => Some(Backend::Select(select::Select::default())),
            _ => None,
        }
    }

    /// A descriptor that polls readable when this backend has something to report (epoll).
    pub fn pollable_fd(&self) -> Option<c_int> {
        match self {
            Backend::Epoll(b) => Some(b.fd()),
            _ => None,
        }
    }

    pub fn name(&self) -> &'static CStr {
        match self {
            Backend::Epoll(_) => METHODS[0],
            Backend::Uring(_) => IO_URING,
            Backend::Poll(_) => METHODS[1],
            Backend::Select(_) => METHODS[2],
        }
    }

    /// Changes the interest in `fd` from `old` to `new` (EV_READ|EV_WRITE|EV_CLOSED|EV_ET bits).
    pub fn apply(&mut self, fd: c_int, old: c_short, new: c_short) -> c_int {
        match self {
            Backend::Epoll(b) => b.apply(fd, old, new),
            Backend::Uring(b) => b.apply(fd, old, new),
            Backend::Poll(b) => b.apply(fd, new),
            Backend::Select(b) => b.apply(fd, new),
        }
    }

    /// Said before `apply` when the interest in `fd` dropped to nothing and came back since the
    /// backend last heard of it (the number may name another file now). epoll forgets a closed
    /// file by itself; io_uring's requests hold theirs, so it must check.
    pub fn may_have_moved(&mut self, fd: c_int) {
        if let Backend::Uring(b) = self {
            b.may_have_moved(fd);
        }
    }

    pub fn prepare(&mut self, threaded: bool) -> Wait {
        match self {
            Backend::Epoll(b) => Wait::Epoll(b.prepare()),
            Backend::Uring(b) => Wait::Uring(b.prepare()),
            Backend::Poll(b) => Wait::Poll(b.prepare(threaded)),
            Backend::Select(b) => Wait::Select(b.prepare()),
        }
    }

    pub fn complete(&mut self, w: Wait, n: c_int, out: &mut Vec<(c_int, c_short)>) {
        match (self, w) {
            (Backend::Epoll(b), Wait::Epoll(w)) => b.complete(w, n, out),
            (Backend::Uring(b), Wait::Uring(w)) => b.complete(w, n, out),
            (Backend::Poll(b), Wait::Poll(w)) => b.complete(w, n, out),
            (Backend::Select(b), Wait::Select(w)) => b.complete(w, n, out),
            _ => unreachable!("a wait completes on the backend that prepared it"),
        }
    }

    /// EVENT_BASE_FLAG_PRECISE_TIMER: waits end at the microsecond (epoll then waits on a
    /// timerfd, as libevent's does); poll and select stay at milliseconds.
    pub fn use_precise_timer(&mut self) {
        if let Backend::Epoll(b) = self {
            b.use_timerfd();
        }
    }

    /// Leaves reporting refused descriptors to the caller (see Epoll::quiet).
    pub fn set_quiet(&mut self, quiet: bool) {
        match self {
            Backend::Epoll(b) => b.quiet = quiet,
            Backend::Uring(b) => b.quiet = quiet,
            _ => {}
        }
    }

    /// After fork(): a fresh kernel object; the base then re-applies every interest.
    pub fn reinit(&mut self) -> bool {
        match self {
            Backend::Epoll(old) => match epoll::Epoll::new() {
                Some(mut e) => {
                    e.quiet = old.quiet;
                    if old.precise() {
                        e.use_timerfd();
                    }
                    *self = Backend::Epoll(e);
                    true
                }
                None => false,
            },
            // The ring's memory is shared with the parent: the child's requests go to a new
            // ring, and dropping the old one only unmaps it and closes this process's fd.
            Backend::Uring(old) => match io_uring::Uring::new() {
                Ok(mut u) => {
                    u.quiet = old.quiet;
                    *self = Backend::Uring(u);
                    true
                }
                Err(_) => false,
            },
            Backend::Poll(_) => {
                *self = Backend::Poll(poll::Poll::default());
                true
            }
            Backend::Select(_) => {
                *self = Backend::Select(select::Select::default());
                true
            }
        }
    }
}

impl Wait {
    /// The blocking system call, for at most `timeout` microseconds (None: for ever).
    pub fn run(&mut self, timeout: Option<Micros>) -> c_int {
        match self {
            Wait::Epoll(w) => w.run(timeout),
            Wait::Uring(w) => w.run(wait_ms(timeout)),
            Wait::Poll(w) => w.run(wait_ms(timeout)),
            Wait::Select(w) => w.run(wait_ms(timeout)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_round_up_and_saturate() {
        assert_eq!(wait_ms(None), -1);
        assert_eq!(wait_ms(Some(0)), 0);
        assert_eq!(wait_ms(Some(1)), 1);
        assert_eq!(wait_ms(Some(1000)), 1);
        assert_eq!(wait_ms(Some(1001)), 2);
        assert_eq!(wait_ms(Some(-5)), 0);
        assert_eq!(wait_ms(Some(i64::MIN)), 0);
        assert_eq!(wait_ms(Some(i64::MAX)), (MAX_WAIT_US / 1000) as c_int);
    }
}
