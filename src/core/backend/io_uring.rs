//! io_uring: readiness through poll requests on a ring, opt-in (`EVENT_IOURING` in the
//! environment, or `EVENT_BASE_FLAG_IO_URING`).
//!
//! Interest changes do not reach the kernel one system call at a time, as epoll_ctl does: they
//! are queued here and written to the submission queue in `prepare`, and the one
//! `io_uring_enter` of `run` both submits them and waits. A loop iteration therefore costs one
//! system call, whatever changed.
//!
//! Level-triggered interest (what libevent programs use almost always) is a one-shot poll
//! request, armed again after each report: a multishot poll only reports the kernel's wake-ups,
//! so data left unread after a callback would never be reported again, where epoll reports it
//! on every wait. The re-arm rides in the next `io_uring_enter`, so it costs no system call.
//! `EV_ET` interest is a multishot poll, which reports wake-ups as epoll's EPOLLET does, and is
//! only armed again when the kernel ends it (a completion without IORING_CQE_F_MORE).
//!
//! Each descriptor has two requests, one for reading (with EV_CLOSED) and one for writing, so
//! that a bufferevent turning its write interest on and off does not disturb its read request.
//! Each direction has a generation, carried in the request's user_data with the descriptor and
//! the direction: a change of interest cancels the request in flight and starts one of the
//! next generation, so completions of a cancelled request (or one on a descriptor closed and
//! reused since) are recognised and dropped.
//!
//! A request holds its file open. When the base re-announces interest (it dropped to nothing
//! and came back, so the number may have been closed and reused: `may_have_moved`), the
//! file's identity (device, inode) tells whether the requests in flight on a socket or pipe
//! still watch the right file: while they hold it, its inode cannot be given to another one.
use crate::core::event::{EV_CLOSED, EV_ET, EV_READ, EV_WRITE};
use io_uring::{cqueue, opcode, squeue, types, IoUring};
use libc::{c_int, c_short};

const EV_IO_ANY: c_short = EV_READ | EV_WRITE | EV_CLOSED;
/// user_data of a cancellation: its completion carries nothing to report.
const REMOVE_TAG: u64 = 1 << 63;
const GEN_MASK: u32 = 0x7fff_ffff;
const SQ_ENTRIES: u32 = 256;
const CQ_ENTRIES: u32 = 4096;

#[derive(Default, Clone, Copy)]
struct Dir {
    gen: u32,
    /// A poll request of this generation is in the kernel.
    armed: bool,
}

#[derive(Default, Clone, Copy)]
struct FdState {
    /// The interest the base asked for (EV_READ|EV_WRITE|EV_CLOSED|EV_ET).
    mask: c_short,
    /// The watched file's identity (st_dev, st_ino).
    ident: (u64, u64),
    /// Reading (EV_READ|EV_CLOSED) and writing.
    dirs: [Dir; 2],
    /// In `arm`, waiting for the next prepare.
    queued: bool,
    /// The interest dropped to nothing and came back since the last apply: the number may
    /// name another file now (`may_have_moved`).
    suspect: bool,
}

/// The part of `mask` that direction `d`'s request watches (EV_ET goes with each).
fn dir_mask(mask: c_short, d: usize) -> c_short {
    let m = if d == 0 { mask & (EV_READ | EV_CLOSED) } else { mask & EV_WRITE };
    if m != 0 {
        m | (mask & EV_ET)
    } else {
        0
    }
}

fn ident(fd: c_int) -> Result<((u64, u64), libc::mode_t), c_int> {
    // SAFETY: st is written by fstat before it is read.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: plain system call on a caller's descriptor number, into st.
    if unsafe { libc::fstat(fd, &mut st) } < 0 {
        return Err(errno());
    }
    Ok(((st.st_dev, st.st_ino), st.st_mode & libc::S_IFMT))
}

pub struct Uring {
    /// None while a wait has it (between prepare and complete).
    ring: Option<IoUring>,
    fds: Vec<FdState>,
    /// Descriptors whose poll request is to be (re)started at the next prepare.
    arm: Vec<c_int>,
    /// user_data of poll requests to cancel at the next prepare.
    removes: Vec<u64>,
    /// An epoll set used only to ask the kernel whether a descriptor that is neither a socket
    /// nor a pipe can be polled at all, so that event_add fails where epoll's would (a regular
    /// file, a closed descriptor). Made on first need.
    probe_ep: c_int,
    /// As Epoll::quiet: refusals are the caller's to report.
    pub quiet: bool,
}

pub struct UringWait {
    ring: IoUring,
}

const DIR_BIT: u64 = 1 << 31;

fn user_data(fd: c_int, d: usize, gen: u32) -> u64 {
    ((gen as u64) << 32) | if d == 1 { DIR_BIT } else { 0 } | fd as u32 as u64
}

fn poll_mask(mask: c_short) -> u32 {
    let mut e = 0u32;
    if mask & EV_READ != 0 {
        e |= libc::POLLIN as u32;
    }
    if mask & EV_WRITE != 0 {
        e |= libc::POLLOUT as u32;
    }
    if mask & EV_CLOSED != 0 {
        e |= libc::POLLRDHUP as u32;
    }
    e
}

fn errno() -> c_int {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn set_errno(e: c_int) {
    // SAFETY: errno is this thread's.
    unsafe { *libc::__errno_location() = e };
}

impl Drop for Uring {
    fn drop(&mut self) {
        if self.probe_ep >= 0 {
            // SAFETY: probe_ep is ours and closed once.
            unsafe { libc::close(self.probe_ep) };
        }
    }
}

impl Uring {
    /// A ring with what this backend needs, or why the kernel cannot give one.
    pub fn new() -> Result<Uring, String> {
        // COOP_TASKRUN (5.19): completions are posted when the loop next enters the ring rather
        // than by interrupting the process at each wake-up; the loop enters once per iteration
        // anyway. TASKRUN_FLAG tells the crate when posted work waits for an enter.
        let ring = IoUring::builder()
            .setup_cqsize(CQ_ENTRIES)
            .setup_coop_taskrun()
            .setup_taskrun_flag()
            .build(SQ_ENTRIES)
            .or_else(|_| IoUring::builder().setup_cqsize(CQ_ENTRIES).build(SQ_ENTRIES))
            .map_err(|e| format!("io_uring_setup: {e}"))?;
        let p = ring.params();
        // EXT_ARG (5.11): the wait's timeout in the enter call itself. Resource tagging came
        // with 5.13, as did multishot poll, which no flag announces. NODROP (5.5): completions
        // are never lost when the completion queue is full.
        if !p.is_feature_ext_arg() || !p.is_feature_resource_tagging() || !p.is_feature_nodrop() {
            return Err(
                "the kernel's io_uring lacks EXT_ARG, NODROP or multishot poll (Linux 5.13 or later needed)".into()
            );
        }
        let mut probe = io_uring::Probe::new();
        if ring.submitter().register_probe(&mut probe).is_err()
            || !probe.is_supported(opcode::PollAdd::CODE)
            || !probe.is_supported(opcode::PollRemove::CODE)
        {
            return Err("the kernel's io_uring refuses poll requests".into());
        }
        Ok(Uring {
            ring: Some(ring),
            fds: Vec::new(),
            arm: Vec::new(),
            removes: Vec::new(),
            probe_ep: -1,
            quiet: false,
        })
    }

    /// Whether the kernel can poll `fd` (Err: the errno epoll_ctl would give), and its identity.
    fn pollable(&mut self, fd: c_int) -> Result<(u64, u64), c_int> {
        let (id, kind) = ident(fd)?;
        if kind == libc::S_IFSOCK || kind == libc::S_IFIFO {
            return Ok(id);
        }
        if self.probe_ep < 0 {
            // SAFETY: plain system call.
            self.probe_ep = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
            if self.probe_ep < 0 {
                return Ok(id); // cannot ask: let the poll request tell
            }
        }
        let mut ev = libc::epoll_event { events: libc::EPOLLIN as u32, u64: 0 };
        // SAFETY: ev is a valid epoll_event for the calls.
        if unsafe { libc::epoll_ctl(self.probe_ep, libc::EPOLL_CTL_ADD, fd, &mut ev) } < 0 {
            let e = errno();
            // Already in the probe set: a descriptor number reused without a removal.
            if e != libc::EEXIST {
                return Err(e);
            }
        }
        // SAFETY: as above.
        unsafe { libc::epoll_ctl(self.probe_ep, libc::EPOLL_CTL_DEL, fd, &mut ev) };
        Ok(id)
    }

    fn refuse(&self, op: &str, fd: c_int, old: c_short, new: c_short, e: c_int) -> c_int {
        if !self.quiet {
            set_errno(e);
            crate::core::log::warn(&format!("Epoll {op}({}) on fd {fd} failed. Old events were {old}; read change was {}; write change was {}; close change was {}",
                poll_mask(new) | if new & EV_ET != 0 { libc::EPOLLET as u32 } else { 0 },
                (new & EV_READ != 0) as i32, (new & EV_WRITE != 0) as i32, (new & EV_CLOSED != 0) as i32));
        }
        set_errno(e);
        -1
    }

    /// The base's interest in `fd` dropped to nothing and came back before this backend heard
    /// of it: the descriptor may have been closed and its number reused, while the requests in
    /// flight hold the old file. The next apply checks.
    pub fn may_have_moved(&mut self, fd: c_int) {
        if let Some(st) = self.fds.get_mut(fd as usize) {
            st.suspect = true;
        }
    }

    /// Changes the interest in `fd` from `old` to `new`; takes effect at the next wait.
    pub fn apply(&mut self, fd: c_int, old: c_short, new: c_short) -> c_int {
        if fd < 0 {
            set_errno(libc::EBADF);
            return -1;
        }
        let fdu = fd as usize;
        if self.fds.len() <= fdu {
            self.fds.resize(fdu + 1, FdState::default());
        }
        let mut moved = false;
        if new & EV_IO_ANY != 0 {
            if old & EV_IO_ANY == 0 {
                match self.pollable(fd) {
                    Ok(id) => {
                        moved = self.fds[fdu].ident != id || self.fds[fdu].mask != 0;
                        self.fds[fdu].ident = id;
                    }
                    Err(e) => return self.refuse("ADD", fd, old, new, e),
                }
            } else if std::mem::take(&mut self.fds[fdu].suspect) {
                // Re-announced: the same file, or another one under the same number. Sockets
                // and pipes each have an inode of their own; other descriptors may share one
                // (every eventfd and timerfd is the one anonymous inode), so they are re-armed.
                match ident(fd) {
                    Ok((id, kind))
                        if id == self.fds[fdu].ident && (kind == libc::S_IFSOCK || kind == libc::S_IFIFO) =>
                    {
                        if old == new {
                            return 0;
                        }
                    }
                    Ok((id, _)) => {
                        moved = true;
                        self.fds[fdu].ident = id;
                    }
                    Err(e) => return self.refuse("MOD", fd, old, new, e),
                }
            }
        }
        self.fds[fdu].suspect = false;
        let st = &mut self.fds[fdu];
        let mut want = false;
        for d in 0..2 {
            let (was, will) = (dir_mask(st.mask, d), dir_mask(new, d));
            if was != will || moved || will == 0 {
                let dir = &mut st.dirs[d];
                if dir.armed {
                    self.removes.push(user_data(fd, d, dir.gen));
                    dir.armed = false;
                }
                dir.gen = dir.gen.wrapping_add(1) & GEN_MASK;
            }
            want |= will != 0 && !st.dirs[d].armed;
        }
        st.mask = new;
        if want && !st.queued {
            st.queued = true;
            self.arm.push(fd);
        }
        0
    }

    /// Writes the queued cancellations and poll requests to the submission queue.
    pub fn prepare(&mut self) -> UringWait {
        let mut ring = self.ring.take().expect("one wait at a time on a base");
        for ud in self.removes.drain(..) {
            push(&mut ring, &opcode::PollRemove::new(ud).build().user_data(ud | REMOVE_TAG));
        }
        for &fd in &self.arm {
            let st = &mut self.fds[fd as usize];
            st.queued = false;
            for d in 0..2 {
                let m = dir_mask(st.mask, d);
                let dir = &mut st.dirs[d];
                if m & EV_IO_ANY == 0 || dir.armed {
                    continue;
                }
                dir.armed = true;
                let sqe = opcode::PollAdd::new(types::Fd(fd), poll_mask(m))
                    .multi(m & EV_ET != 0)
                    .build()
                    .user_data(user_data(fd, d, dir.gen));
                push(&mut ring, &sqe);
            }
        }
        self.arm.clear();
        UringWait { ring }
    }

    pub fn complete(&mut self, w: UringWait, _n: c_int, out: &mut Vec<(c_int, c_short)>) {
        let mut ring = w.ring;
        for cqe in ring.completion() {
            let ud = cqe.user_data();
            if ud & REMOVE_TAG != 0 {
                continue;
            }
            let (fd, d, gen) = ((ud & (DIR_BIT - 1)) as c_int, (ud & DIR_BIT != 0) as usize, (ud >> 32) as u32);
            let Some(st) = self.fds.get_mut(fd as usize) else { continue };
            if st.dirs[d].gen != gen {
                continue; // a cancelled request's last word
            }
            let res = cqe.result();
            if !cqueue::more(cqe.flags()) {
                st.dirs[d].armed = false;
                // An error (the descriptor was closed under its request) ends reporting, as
                // epoll stops reporting a closed descriptor; a change of interest re-arms it.
                if res >= 0 && dir_mask(st.mask, d) != 0 && !st.queued {
                    st.queued = true;
                    self.arm.push(fd);
                }
            }
            if res <= 0 {
                continue;
            }
            let what = res;
            let mut ev: c_short = 0;
            if what & (libc::POLLHUP | libc::POLLERR) as c_int != 0 {
                ev = EV_READ | EV_WRITE;
            } else {
                if what & libc::POLLIN as c_int != 0 {
                    ev |= EV_READ;
                }
                if what & libc::POLLOUT as c_int != 0 {
                    ev |= EV_WRITE;
                }
            }
            if what & libc::POLLRDHUP as c_int != 0 {
                ev |= EV_CLOSED;
            }
            if ev != 0 {
                out.push((fd, ev | EV_ET));
            }
        }
        // A ring made by a reinit during the wait (another thread) wins; the old one is closed.
        if self.ring.is_none() {
            self.ring = Some(ring);
        }
    }
}

/// Queues one request, submitting what is queued when the submission queue is full.
fn push(ring: &mut IoUring, sqe: &squeue::Entry) {
    for _ in 0..64 {
        // SAFETY: poll requests carry only numbers, no pointer to memory that must outlive them.
        if unsafe { ring.submission().push(sqe) }.is_ok() {
            return;
        }
        if let Err(e) = ring.submit() {
            if e.raw_os_error() != Some(libc::EINTR) && e.raw_os_error() != Some(libc::EAGAIN) {
                break;
            }
        }
    }
    crate::core::log::warnx("io_uring: the submission queue stays full; a poll request was dropped");
}

impl UringWait {
    /// Submits the queued requests and waits for a completion, all in one io_uring_enter.
    pub fn run(&mut self, timeout_ms: c_int) -> c_int {
        let to_submit = self.ring.submission().len() as u32;
        let sub = self.ring.submitter();
        let r = if timeout_ms < 0 {
            sub.submit_and_wait(1)
        } else if timeout_ms == 0 {
            // SAFETY: no argument pointer; GETEVENTS with min_complete 0 only runs the pending
            // completions' work, so that they are in the queue when complete() looks.
            unsafe { sub.enter::<libc::sigset_t>(to_submit, 0, io_uring::EnterFlags::GETEVENTS.bits(), None) }
        } else {
            let ts =
                types::Timespec::new().sec((timeout_ms / 1000) as u64).nsec(((timeout_ms % 1000) * 1_000_000) as u32);
            let args = types::SubmitArgs::new().timespec(&ts);
            sub.submit_with_args(1, &args)
        };
        match r {
            Ok(_) => 0,
            Err(e) => match e.raw_os_error() {
                // The timeout passed, or the completion queue is full (complete() drains it).
                Some(libc::ETIME) | Some(libc::EBUSY) | Some(libc::EAGAIN) => 0,
                Some(code) => {
                    set_errno(code);
                    -1
                }
                None => -1,
            },
        }
    }
}
