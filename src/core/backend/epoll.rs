//! epoll: one epoll_ctl per real change of interest (the base batches changes until it waits).
use crate::core::backend::{wait_ms, MAX_WAIT_US};
use crate::core::event::{EV_CLOSED, EV_ET, EV_READ, EV_WRITE};
use crate::core::time::Micros;
use libc::{c_int, c_short, epoll_event};

const MAX_EVENTS: usize = 4096;

pub struct Epoll {
    epfd: c_int,
    events: Vec<epoll_event>,
    /// Refusals are the caller's to report (libev's loops turn them into watcher events):
    /// no log message, errno left as epoll_ctl set it.
    pub quiet: bool,
    /// With EVENT_BASE_FLAG_PRECISE_TIMER: a timerfd in the epoll set, armed with each wait's
    /// exact timeout, since epoll_wait counts in milliseconds; -1 otherwise.
    timerfd: c_int,
}

pub struct EpollWait {
    epfd: c_int,
    timerfd: c_int,
    events: Vec<epoll_event>,
}

impl Drop for Epoll {
    fn drop(&mut self) {
        // SAFETY: both descriptors are ours and closed once.
        unsafe {
            if self.timerfd >= 0 {
                libc::close(self.timerfd);
            }
            libc::close(self.epfd)
        };
    }
}

fn interest(mask: c_short) -> u32 {
    let mut e = 0u32;
    if mask & EV_READ != 0 {
        e |= libc::EPOLLIN as u32;
    }
    if mask & EV_WRITE != 0 {
        e |= libc::EPOLLOUT as u32;
    }
    if mask & EV_CLOSED != 0 {
        e |= libc::EPOLLRDHUP as u32;
    }
    if mask & EV_ET != 0 {
        e |= libc::EPOLLET as u32;
    }
    e
}

impl Epoll {
    pub fn new() -> Option<Epoll> {
        // SAFETY: plain system call.
        let epfd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        if epfd < 0 {
            return None;
        }
        Some(Epoll { epfd, events: vec![epoll_event { events: 0, u64: 0 }; 32], quiet: false, timerfd: -1 })
    }

    /// Adds the timerfd of precise waits; without one (an old kernel) waits stay in
    /// milliseconds, as in libevent.
    pub fn use_timerfd(&mut self) {
        if self.timerfd >= 0 {
            return;
        }
        // SAFETY: plain system call.
        let fd = unsafe { libc::timerfd_create(libc::CLOCK_MONOTONIC, libc::TFD_NONBLOCK | libc::TFD_CLOEXEC) };
        if fd < 0 {
            return;
        }
        if self.ctl(libc::EPOLL_CTL_ADD, fd, EV_READ) < 0 {
            // SAFETY: fd was just opened here.
            unsafe { libc::close(fd) };
            return;
        }
        self.timerfd = fd;
    }

    pub fn precise(&self) -> bool {
        self.timerfd >= 0
    }

    /// The epoll descriptor: readable while any watched descriptor is ready (libev embeds a
    /// loop in another through it).
    pub fn fd(&self) -> c_int {
        self.epfd
    }

    fn ctl(&self, op: c_int, fd: c_int, mask: c_short) -> c_int {
        let mut ev = epoll_event { events: interest(mask), u64: fd as u64 };
        // SAFETY: ev is a valid epoll_event for the call.
        unsafe { libc::epoll_ctl(self.epfd, op, fd, &mut ev) }
    }

    pub fn apply(&mut self, fd: c_int, old: c_short, new: c_short) -> c_int {
        let errno = || std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        if new & EV_IO_ANY == 0 {
            // The fd may already be closed (EBADF) or gone from the set (ENOENT): nothing to undo.
            if self.ctl(libc::EPOLL_CTL_DEL, fd, 0) < 0 && !matches!(errno(), libc::ENOENT | libc::EBADF | libc::EPERM)
            {
                crate::core::log::warn(&format!(
                    "Epoll DEL({fd}) on fd {fd} failed. Old events were {old}; notify_changes was 0"
                ));
                return -1;
            }
            return 0;
        }
        let (first, second) = if old & EV_IO_ANY == 0 {
            (libc::EPOLL_CTL_ADD, libc::EPOLL_CTL_MOD)
        } else {
            (libc::EPOLL_CTL_MOD, libc::EPOLL_CTL_ADD)
        };
        if self.ctl(first, fd, new) == 0 {
            return 0;
        }
        // ADD of a known fd (EEXIST), or MOD of an fd that was closed and reopened (ENOENT).
        let e = errno();
        let retry =
            (first == libc::EPOLL_CTL_ADD && e == libc::EEXIST) || (first == libc::EPOLL_CTL_MOD && e == libc::ENOENT);
        if retry && self.ctl(second, fd, new) == 0 {
            return 0;
        }
        if self.quiet {
            return -1;
        }
        let op = if first == libc::EPOLL_CTL_ADD { "ADD" } else { "MOD" };
        crate::core::log::warn(&format!("Epoll {op}({}) on fd {fd} failed. Old events were {old}; read change was {}; write change was {}; close change was {}",
            interest(new), (new & EV_READ != 0) as i32, (new & EV_WRITE != 0) as i32, (new & EV_CLOSED != 0) as i32));
        -1
    }

    pub fn prepare(&mut self) -> EpollWait {
        EpollWait { epfd: self.epfd, timerfd: self.timerfd, events: std::mem::take(&mut self.events) }
    }

    pub fn complete(&mut self, w: EpollWait, n: c_int, out: &mut Vec<(c_int, c_short)>) {
        let mut events = w.events;
        for ev in &events[..n.max(0) as usize] {
            if self.timerfd >= 0 && ev.u64 == self.timerfd as u64 {
                // It only ended the wait; arming it again clears it.
                continue;
            }
            let what = ev.events as c_int;
            let mut res: c_short = 0;
            if what & (libc::EPOLLHUP | libc::EPOLLERR) != 0 {
                res = EV_READ | EV_WRITE;
            } else {
                if what & libc::EPOLLIN != 0 {
                    res |= EV_READ;
                }
                if what & libc::EPOLLOUT != 0 {
                    res |= EV_WRITE;
                }
            }
            if what & libc::EPOLLRDHUP != 0 {
                res |= EV_CLOSED;
            }
            if res != 0 {
                out.push((ev.u64 as c_int, res | EV_ET));
            }
        }
        // A full batch means more may be ready: wait for more next time, up to a bound.
        if n as usize == events.len() && events.len() < MAX_EVENTS {
            events.resize(events.len() * 2, epoll_event { events: 0, u64: 0 });
        }
        self.events = events;
    }
}

const EV_IO_ANY: c_short = EV_READ | EV_WRITE | EV_CLOSED;

impl EpollWait {
    pub fn run(&mut self, timeout: Option<Micros>) -> c_int {
        let mut ms = wait_ms(timeout);
        if self.timerfd >= 0 {
            // The timerfd ends the wait: armed with the timeout, or disarmed (a zero value) for
            // none. It cannot expire at once, so a zero timeout is epoll_wait's own.
            let us = timeout.map_or(0, |us| us.clamp(0, MAX_WAIT_US));
            let spec = libc::itimerspec {
                it_interval: libc::timespec { tv_sec: 0, tv_nsec: 0 },
                it_value: libc::timespec { tv_sec: us / 1_000_000, tv_nsec: us % 1_000_000 * 1000 },
            };
            // SAFETY: spec is a valid itimerspec; the old value is not asked for.
            if unsafe { libc::timerfd_settime(self.timerfd, 0, &spec, std::ptr::null_mut()) } == 0 {
                ms = if timeout.is_some() && us == 0 { 0 } else { -1 };
            }
        }
        // SAFETY: the buffer is owned by this wait and its length is passed.
        unsafe { libc::epoll_wait(self.epfd, self.events.as_mut_ptr(), self.events.len() as c_int, ms) }
    }
}
