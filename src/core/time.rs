//! Clocks. Deadlines are microseconds on the monotonic clock; programs see wall-clock timevals.
use libc::timeval;

pub type Micros = i64;

pub fn monotonic_us() -> Micros {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: ts is a valid out-parameter.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec * 1_000_000 + ts.tv_nsec / 1000
}

pub fn wallclock_us() -> Micros {
    let mut tv = timeval { tv_sec: 0, tv_usec: 0 };
    // SAFETY: tv is a valid out-parameter.
    unsafe { libc::gettimeofday(&mut tv, std::ptr::null_mut()) };
    to_us(&tv)
}

pub fn to_us(tv: &timeval) -> Micros {
    tv.tv_sec.saturating_mul(1_000_000).saturating_add(tv.tv_usec)
}

pub fn from_us(us: Micros) -> timeval {
    timeval { tv_sec: us.div_euclid(1_000_000), tv_usec: us.rem_euclid(1_000_000) }
}
