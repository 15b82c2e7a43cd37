//! Monotonic time: the clock an evutil_monotonic_timer reads, and the fallback that turns the
//! wall clock into a clock that never runs backwards.
use crate::core::time::{from_us, to_us};
use libc::{c_int, clockid_t, timeval};

/// Ask for the most precise monotonic clock rather than the cheapest.
pub const MONOT_PRECISE: c_int = 1;
/// Use the wall clock, made monotonic, rather than a kernel monotonic clock.
pub const MONOT_FALLBACK: c_int = 2;

/// No kernel clock: the wall clock, adjusted so that it never goes back.
const WALL_CLOCK_ADJUSTED: clockid_t = -1;

/// A monotonic clock. All-zero is a valid, unconfigured timer: like libevent's, it then reads
/// clock 0, which is CLOCK_REALTIME, until configured.
#[repr(C)]
#[derive(Debug, Default)]
pub struct MonotonicTimer {
    clock: clockid_t,
    /// For the wall-clock fallback: how far the wall clock has been seen to step back in
    /// total, added to every reading, and the last time given out (microseconds).
    adjust_us: i64,
    last_us: i64,
}

fn clock_works(clock: clockid_t) -> bool {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: ts is a valid out-parameter.
    unsafe { libc::clock_gettime(clock, &mut ts) == 0 }
}

impl MonotonicTimer {
    /// Picks the clock: the coarse monotonic clock (cheapest, a few milliseconds' resolution)
    /// unless precision or the fallback is asked for, else the precise monotonic clock, else the
    /// adjusted wall clock. Always succeeds.
    pub fn configure(&mut self, flags: c_int) {
        let precise = flags & MONOT_PRECISE != 0;
        let fallback = flags & MONOT_FALLBACK != 0;
        self.clock = if !precise && !fallback && clock_works(libc::CLOCK_MONOTONIC_COARSE) {
            libc::CLOCK_MONOTONIC_COARSE
        } else if !fallback && clock_works(libc::CLOCK_MONOTONIC) {
            libc::CLOCK_MONOTONIC
        } else {
            WALL_CLOCK_ADJUSTED
        };
    }

    /// Reads the clock; `None` (with errno set) if the system call fails.
    pub fn now(&mut self) -> Option<timeval> {
        if self.clock == WALL_CLOCK_ADJUSTED {
            let mut tv = timeval { tv_sec: 0, tv_usec: 0 };
            // SAFETY: tv is a valid out-parameter; a NULL timezone is allowed.
            if unsafe { libc::gettimeofday(&mut tv, std::ptr::null_mut()) } < 0 {
                return None;
            }
            return Some(from_us(self.never_back(to_us(&tv))));
        }
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: ts is a valid out-parameter.
        if unsafe { libc::clock_gettime(self.clock, &mut ts) } == -1 {
            return None;
        }
        Some(timeval { tv_sec: ts.tv_sec, tv_usec: (ts.tv_nsec / 1000) as libc::suseconds_t })
    }

    /// Adds the accumulated adjustment to a wall-clock reading; if the result would still be
    /// earlier than the last time given out, the clock stepped back: the adjustment grows by the
    /// step and the last time is given out again.
    fn never_back(&mut self, wall_us: i64) -> i64 {
        let mut t = wall_us + self.adjust_us;
        if t < self.last_us {
            self.adjust_us += self.last_us - t;
            t = self.last_us;
        }
        self.last_us = t;
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_never_goes_back() {
        let mut t = MonotonicTimer { clock: WALL_CLOCK_ADJUSTED, ..Default::default() };
        assert_eq!(t.never_back(1_000), 1_000);
        assert_eq!(t.never_back(400), 1_000); // stepped back by 600
        assert_eq!(t.never_back(500), 1_100); // keeps counting from there
        assert_eq!(t.never_back(2_000), 2_600);
    }

    #[test]
    fn clocks() {
        for flags in [0, MONOT_PRECISE, MONOT_FALLBACK, MONOT_PRECISE | MONOT_FALLBACK] {
            let mut t = MonotonicTimer::default();
            t.configure(flags);
            let a = t.now().unwrap();
            let b = t.now().unwrap();
            assert!(to_us(&b) >= to_us(&a));
            assert!((0..1_000_000).contains(&a.tv_usec));
        }
        let neg = from_us(-1);
        assert_eq!((neg.tv_sec, neg.tv_usec), (-1, 999_999));
    }
}
