//! poll(2): one pollfd per watched descriptor, found through an fd-indexed table.
use crate::core::event::{EV_CLOSED, EV_READ, EV_WRITE};
use libc::{c_int, c_short, pollfd};

#[derive(Default)]
pub struct Poll {
    fds: Vec<pollfd>,
    /// index+1 in `fds` of each descriptor, 0 when not watched
    slot: Vec<usize>,
    spare: Vec<pollfd>,
}

pub struct PollWait {
    fds: Vec<pollfd>,
}

impl Poll {
    pub fn apply(&mut self, fd: c_int, new: c_short) -> c_int {
        if fd < 0 {
            return 0;
        }
        let fdu = fd as usize;
        if self.slot.len() <= fdu {
            self.slot.resize(fdu + 1, 0);
        }
        let mut events: c_short = 0;
        if new & EV_READ != 0 {
            events |= libc::POLLIN;
        }
        if new & EV_WRITE != 0 {
            events |= libc::POLLOUT;
        }
        if new & EV_CLOSED != 0 {
            events |= libc::POLLRDHUP;
        }
        match (self.slot[fdu], events) {
            (0, 0) => {}
            (0, e) => {
                self.fds.push(pollfd { fd, events: e, revents: 0 });
                self.slot[fdu] = self.fds.len();
            }
            (i, 0) => {
                // swap-remove, fixing the index of the descriptor moved into the hole
                self.fds.swap_remove(i - 1);
                if let Some(moved) = self.fds.get(i - 1) {
                    self.slot[moved.fd as usize] = i;
                }
                self.slot[fdu] = 0;
            }
            (i, e) => self.fds[i - 1].events = e,
        }
        0
    }

    /// Threaded bases copy the set so other threads may change it during the wait.
    pub fn prepare(&mut self, _threaded: bool) -> PollWait {
        let mut fds = std::mem::take(&mut self.spare);
        fds.clear();
        fds.extend_from_slice(&self.fds);
        PollWait { fds }
    }

    pub fn complete(&mut self, w: PollWait, n: c_int, out: &mut Vec<(c_int, c_short)>) {
        if n > 0 {
            for p in &w.fds {
                let what = p.revents;
                if what == 0 {
                    continue;
                }
                let mut res: c_short = 0;
                if what & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                    res = EV_READ | EV_WRITE;
                }
                if what & libc::POLLIN != 0 {
                    res |= EV_READ;
                }
                if what & libc::POLLOUT != 0 {
                    res |= EV_WRITE;
                }
                if what & libc::POLLRDHUP != 0 {
                    res |= EV_CLOSED;
                }
                out.push((p.fd, res));
            }
        }
        self.spare = w.fds;
    }
}

impl PollWait {
    pub fn run(&mut self, timeout_ms: c_int) -> c_int {
        // SAFETY: the array is owned by this wait and its length is passed.
        unsafe { libc::poll(self.fds.as_mut_ptr(), self.fds.len() as libc::nfds_t, timeout_ms) }
    }
}
