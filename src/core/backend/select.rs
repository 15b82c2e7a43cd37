//! select(2) with descriptor sets sized to the largest descriptor, so it is not limited to
//! FD_SETSIZE.
use crate::core::event::{EV_READ, EV_WRITE};
use libc::{c_int, c_short};

const BITS: usize = 64;

#[derive(Default)]
pub struct Select {
    read: Vec<u64>,
    write: Vec<u64>,
    maxfd: c_int,
}

pub struct SelectWait {
    nfds: c_int,
    read: Vec<u64>,
    write: Vec<u64>,
}

fn set(v: &mut Vec<u64>, fd: usize, on: bool) {
    if v.len() <= fd / BITS {
        v.resize(fd / BITS + 1, 0);
    }
    if on {
        v[fd / BITS] |= 1 << (fd % BITS);
    } else {
        v[fd / BITS] &= !(1 << (fd % BITS));
    }
}

fn get(v: &[u64], fd: usize) -> bool {
    v.get(fd / BITS).is_some_and(|w| w & (1 << (fd % BITS)) != 0)
}

impl Select {
    pub fn apply(&mut self, fd: c_int, new: c_short) -> c_int {
        if fd < 0 {
            return 0;
        }
        set(&mut self.read, fd as usize, new & EV_READ != 0);
        set(&mut self.write, fd as usize, new & EV_WRITE != 0);
        self.maxfd = self.maxfd.max(fd + 1);
        0
    }

    pub fn prepare(&mut self) -> SelectWait {
        // select(2) overwrites its sets, and fd_set is an array of longs: copies of ours fit it.
        let words = (self.maxfd as usize).div_ceil(BITS).max(1);
        let mut read = self.read.clone();
        let mut write = self.write.clone();
        read.resize(words, 0);
        write.resize(words, 0);
        SelectWait { nfds: self.maxfd, read, write }
    }

    pub fn complete(&mut self, w: SelectWait, n: c_int, out: &mut Vec<(c_int, c_short)>) {
        if n <= 0 {
            return;
        }
        for fd in 0..w.nfds as usize {
            let mut res: c_short = 0;
            if get(&w.read, fd) {
                res |= EV_READ;
            }
            if get(&w.write, fd) {
                res |= EV_WRITE;
            }
            if res != 0 {
                out.push((fd as c_int, res));
            }
        }
    }
}

impl SelectWait {
    pub fn run(&mut self, timeout_ms: c_int) -> c_int {
        let mut tv = libc::timeval { tv_sec: (timeout_ms / 1000) as _, tv_usec: ((timeout_ms % 1000) * 1000) as _ };
        let tvp = if timeout_ms < 0 { std::ptr::null_mut() } else { &mut tv as *mut _ };
        // SAFETY: each set holds at least nfds bits, laid out as fd_set's array of longs.
        unsafe {
            libc::select(
                self.nfds,
                self.read.as_mut_ptr() as *mut libc::fd_set,
                self.write.as_mut_ptr() as *mut libc::fd_set,
                std::ptr::null_mut(),
                tvp,
            )
        }
    }
}
