//! Reading into and writing from a buffer: readv(2) into the free space of the last chains,
//! writev(2) over the first chains, sendfile(2) for file segments in buffers that drain to a
//! socket.
use super::chain::Mem;
use super::{Evbuffer, EvbufferIovec};
use libc::{c_int, c_void, iovec};

/// libevent 2.1 reads at most this much per call, whatever the caller asks for; libevent 2.2's
/// evbuffer_set_max_read changes it per buffer. (2.2's default is 16 KiB: 2.1's is kept, since
/// programs see it in how much each read callback gets.)
pub const DEFAULT_MAX_READ: usize = 4096;
const NUM_READ_IOVEC: usize = 4;
const NUM_WRITE_IOVEC: usize = 128;

impl Evbuffer {
    /// `evbuffer_read`: up to `howmuch` bytes (negative: as many as are readable, at most the
    /// buffer's max_read, 4096 unless the program changed it).
    pub fn read(&self, fd: c_int, howmuch: c_int) -> c_int {
        self.locked(|| {
            let max_read = self.max_read.get() as c_int;
            let r = self.with(|b| {
                if b.freeze_end {
                    return -1;
                }
                let mut avail: c_int = 0;
                // SAFETY: FIONREAD writes one int; on failure avail is treated as unknown.
                if unsafe { libc::ioctl(fd, libc::FIONREAD, &mut avail) } < 0 {
                    avail = -1;
                }
                if avail <= 0 || avail > max_read {
                    avail = max_read;
                }
                let howmuch = if howmuch < 0 || howmuch > avail { avail } else { howmuch } as usize;
                if b.expand_fast(howmuch, NUM_READ_IOVEC).is_err() {
                    return -1;
                }
                let mut vecs = [EvbufferIovec::default(); NUM_READ_IOVEC];
                let (nv, first) = b.setup_vecs(howmuch, &mut vecs, true);
                // SAFETY: EvbufferIovec has iovec's layout; each vector is free space in a chain
                // the buffer owns.
                let n = unsafe { libc::readv(fd, vecs.as_ptr() as *const iovec, nv as c_int) };
                if n <= 0 {
                    return n as c_int;
                }
                b.commit_read(first, nv, n as usize);
                n as c_int
            });
            self.invoke_callbacks();
            r
        })
    }

    pub fn write(&self, fd: c_int) -> c_int {
        self.write_atmost(fd, -1)
    }

    /// `evbuffer_write_atmost`: -1 when there is nothing to write, as in libevent.
    pub fn write_atmost(&self, fd: c_int, howmuch: isize) -> c_int {
        self.locked(|| {
            let n = self.with(|b| {
                if b.freeze_start {
                    return -1;
                }
                let howmuch = if howmuch < 0 || howmuch as usize > b.total { b.total } else { howmuch as usize };
                if howmuch == 0 {
                    return -1;
                }
                if let Some(c) = b.chains.front().filter(|c| c.is_sendfile()) {
                    let Mem::File { seg, base, .. } = &c.mem else { unreachable!() };
                    let mut off = seg.file_offset() + (*base + c.misalign) as libc::off_t;
                    // SAFETY: sendfile between two fds; `off` is a valid in/out offset. libevent
                    // sends the whole chain here, whatever howmuch says.
                    let r = unsafe { libc::sendfile(fd, seg.fd(), &mut off, c.off) };
                    if r == -1 {
                        let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
                        if e == libc::EAGAIN || e == libc::EINTR {
                            return 0;
                        }
                    }
                    return r as c_int;
                }
                // Left uninitialised: zeroing 128 vectors would cost more than most writes.
                let mut iov = [const { std::mem::MaybeUninit::<iovec>::uninit() }; NUM_WRITE_IOVEC];
                let mut i = 0;
                let mut left = howmuch;
                for c in b.chains.iter() {
                    if i == NUM_WRITE_IOVEC || left == 0 || c.is_sendfile() {
                        break;
                    }
                    let k = c.off.min(left);
                    iov[i].write(iovec { iov_base: c.data_ptr() as *mut c_void, iov_len: k });
                    i += 1;
                    left -= k;
                }
                if i == 0 {
                    return 0;
                }
                // SAFETY: the first i vectors are initialised, each covering readable bytes of a
                // live chain.
                unsafe { libc::writev(fd, iov.as_ptr() as *const iovec, i as c_int) as c_int }
            });
            if n > 0 {
                let _ = self.drain(n as usize);
            }
            n
        })
    }
}
