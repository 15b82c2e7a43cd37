//! Signals: a handler writes the signal number into a socketpair that the receiving base
//! watches with an internal event; the loop then runs the signal's events as many times as it
//! arrived. Each signal goes to the base that most recently added an event for it or started
//! its loop with one (libevent sends every signal to the last such base; routing per signal
//! keeps that for one base and lets several bases, or libev loops, watch different signals).
//!
//! With EVENT_BASE_FLAG_USE_SIGNALFD (libevent 2.2) a base takes its signals from a signalfd
//! instead: each watched signal is blocked (in the thread that adds its first event, and in the
//! thread that runs the loop) so that it stays pending, and the signalfd, watched by an internal
//! event, hands the pending ones over. No handler is installed and nothing else routes them, so
//! several bases may each watch their own signals. Other threads of the program must block
//! these signals too (threads created afterwards inherit the mask), or the kernel may deliver
//! them there, with their default action. When the last event of a signal goes, the occurrences
//! still pending are discarded (as the socketpair path drops bytes nobody waits for) and the
//! signal is unblocked again, unless it was blocked before. If the kernel refuses a signalfd the
//! base uses the handler and socketpair, and says "sigaction" (event_base_get_signal_method).
use crate::core::base::EventBase;
use crate::core::event::*;
use crate::core::evmap::SignalMap;
use libc::{c_int, c_short, c_void};
use std::sync::atomic::{AtomicI32, AtomicPtr, Ordering};

pub const NSIG: usize = 65;

/// `EVENT_BASE_FLAG_USE_SIGNALFD`, libevent 2.2's value.
pub const FLAG_USE_SIGNALFD: c_int = 0x80;

/// The write end of the owning base's socketpair (-1: no owner).
static OWNER_FD: AtomicI32 = AtomicI32::new(-1);
static OWNER: AtomicPtr<EventBase> = AtomicPtr::new(std::ptr::null_mut());
/// Per signal: the write end of the pair of the base that receives it (-1: the owner's).
static SIG_FD: [AtomicI32; NSIG] = [const { AtomicI32::new(-1) }; NSIG];

/// Per-base signal state.
pub struct SignalState {
    pair: [c_int; 2],
    ev: *mut Event,
    /// The handler each signal had before this base installed its own.
    old: Vec<Option<Box<libc::sigaction>>>,
    /// Signals whose handler this base installed.
    pub n_added: usize,
    /// The signalfd (-1: none yet) and its internal event.
    sfd: c_int,
    sfd_ev: *mut Event,
    /// The kernel refused a signalfd: this base uses handlers even with FLAG_USE_SIGNALFD.
    sfd_failed: bool,
    /// The signals the signalfd reads, and those of them that were blocked before we blocked them.
    sfd_mask: libc::sigset_t,
    was_blocked: libc::sigset_t,
}

fn empty_set() -> libc::sigset_t {
    // SAFETY: sigemptyset initialises the set it is given.
    unsafe {
        let mut s: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut s);
        s
    }
}

fn one_signal(sig: c_int) -> libc::sigset_t {
    let mut s = empty_set();
    // SAFETY: s is an initialised set; an out-of-range sig only fails.
    unsafe { libc::sigaddset(&mut s, sig) };
    s
}

fn has(set: &libc::sigset_t, sig: c_int) -> bool {
    // SAFETY: set is an initialised set.
    unsafe { libc::sigismember(set, sig) == 1 }
}

impl Default for SignalState {
    fn default() -> Self {
        SignalState {
            pair: [-1, -1],
            ev: std::ptr::null_mut(),
            old: (0..NSIG).map(|_| None).collect(),
            n_added: 0,
            sfd: -1,
            sfd_ev: std::ptr::null_mut(),
            sfd_failed: false,
            sfd_mask: empty_set(),
            was_blocked: empty_set(),
        }
    }
}

/// Reads what the signalfd holds and activates the events of each signal that came.
unsafe extern "C" fn on_signalfd_readable(fd: c_int, _what: c_short, arg: *mut c_void) {
    let base = arg as *mut EventBase;
    let mut counts = [0u32; NSIG];
    let mut buf: [libc::signalfd_siginfo; 16] = std::mem::zeroed();
    let size = std::mem::size_of::<libc::signalfd_siginfo>();
    loop {
        let n = libc::read(fd, buf.as_mut_ptr() as *mut c_void, size * buf.len());
        if n <= 0 {
            break;
        }
        for info in &buf[..n as usize / size] {
            if (info.ssi_signo as usize) < NSIG {
                counts[info.ssi_signo as usize] += 1;
            }
        }
    }
    EventBase::with_lock(base, |b| {
        for (sig, &n) in counts.iter().enumerate() {
            if n > 0 {
                b.activate_signal(sig as c_int, n.min(c_short::MAX as u32) as c_short);
            }
        }
    });
}

extern "C" fn on_signal(sig: c_int) {
    // SAFETY: only async-signal-safe calls: errno access and send(2).
    unsafe {
        let saved = *libc::__errno_location();
        let mut fd = SIG_FD.get(sig as usize).map_or(-1, |f| f.load(Ordering::Relaxed));
        if fd < 0 {
            fd = OWNER_FD.load(Ordering::Relaxed);
        }
        if fd >= 0 {
            let b = sig as u8;
            libc::send(fd, &b as *const u8 as *const c_void, 1, libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL);
        }
        *libc::__errno_location() = saved;
    }
}

/// Reports `sig` to the owning base as if the process had received it (async-signal-safe).
pub fn deliver(sig: c_int) {
    on_signal(sig)
}

/// Reads the signal numbers written by the handler and activates their events.
unsafe extern "C" fn on_pair_readable(fd: c_int, _what: c_short, arg: *mut c_void) {
    let base = arg as *mut EventBase;
    let mut counts = [0u32; NSIG];
    let mut buf = [0u8; 1024];
    loop {
        let n = libc::recv(fd, buf.as_mut_ptr() as *mut c_void, buf.len(), 0);
        if n <= 0 {
            break;
        }
        for &s in &buf[..n as usize] {
            if (s as usize) < NSIG {
                counts[s as usize] += 1;
            }
        }
    }
    EventBase::with_lock(base, |b| {
        for (sig, &n) in counts.iter().enumerate() {
            if n > 0 {
                b.activate_signal(sig as c_int, n.min(c_short::MAX as u32) as c_short);
            }
        }
    });
}

impl SignalState {
    /// Makes `base` the one that receives the signals it has events for (and the others).
    pub fn take_ownership(&self, base: *mut EventBase, sigmap: &SignalMap) {
        let prev = OWNER.swap(base, Ordering::AcqRel);
        if !prev.is_null() && prev != base {
            crate::core::log::debugx(|| format!("signals now go to event_base {base:p} instead of {prev:p}"));
        }
        OWNER_FD.store(self.pair[1], Ordering::Release);
        for (sig, list) in sigmap.lists.iter().enumerate() {
            if !list.head.is_null() {
                SIG_FD[sig].store(self.pair[1], Ordering::Release);
            }
        }
    }

    /// Installs the handler for `sig` (the first event for it on this base).
    ///
    /// # Safety
    /// `b` is a live base at its final address with its lock held (the handler's route and the
    /// owner pointer refer to it until `close`); `sig` is in 0..NSIG.
    pub unsafe fn install(b: &mut EventBase, sig: c_int) -> c_int {
        if b.flags & FLAG_USE_SIGNALFD != 0 && !b.sig.sfd_failed {
            match Self::install_signalfd(b, sig) {
                Some(r) => return r,
                None => b.sig.sfd_failed = true,
            }
        }
        if b.sig.pair[0] < 0 && Self::open(b) < 0 {
            return -1;
        }
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_signal as *const () as usize;
        sa.sa_flags = libc::SA_RESTART;
        libc::sigfillset(&mut sa.sa_mask);
        let mut old: Box<libc::sigaction> = Box::new(std::mem::zeroed());
        if libc::sigaction(sig, &sa, &mut *old) < 0 {
            crate::core::log::warn("sigaction");
            return -1;
        }
        b.sig.old[sig as usize] = Some(old);
        b.sig.n_added += 1;
        let owner = OWNER.load(Ordering::Acquire);
        let me = b as *mut EventBase;
        // libevent warns whenever another base has signals; here only a base watching this
        // very signal loses it, but programs may rely on the warning, so it stays.
        if !owner.is_null() && owner != me && (*owner).sig.n_added > 0 {
            crate::core::log::warnx(&format!("Added a signal to event base {me:p} with signals already added to event_base {owner:p}.  Only one can have signals at a time with the {} backend.  The base with the most recently added signal or the most recent event_base_loop() call gets preference; do not rely on this behavior in future Libevent versions.", b.method().to_string_lossy()));
        }
        b.sig.take_ownership(me, &b.sigmap);
        0
    }

    /// The signalfd path of `install`: blocks `sig` and adds it to the signalfd (made at the
    /// first signal). None when the kernel has no signalfd for us (the caller falls back to a
    /// handler), else 0 or -1.
    unsafe fn install_signalfd(b: &mut EventBase, sig: c_int) -> Option<c_int> {
        // sigaction refuses these two; so does this path (a signalfd would just never see them).
        if sig == libc::SIGKILL || sig == libc::SIGSTOP || sig <= 0 {
            return Some(-1);
        }
        let set = one_signal(sig);
        let mut before = empty_set();
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut before);
        let st = &mut b.sig;
        if has(&before, sig) {
            libc::sigaddset(&mut st.was_blocked, sig);
        } else {
            libc::sigdelset(&mut st.was_blocked, sig);
        }
        libc::sigaddset(&mut st.sfd_mask, sig);
        let fd = libc::signalfd(st.sfd, &st.sfd_mask, libc::SFD_NONBLOCK | libc::SFD_CLOEXEC);
        if fd < 0 {
            libc::sigdelset(&mut st.sfd_mask, sig);
            if !has(&st.was_blocked, sig) {
                libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
            }
            if st.sfd < 0 {
                return None;
            }
            crate::core::log::warn("signalfd");
            return Some(-1);
        }
        if st.sfd < 0 {
            st.sfd = fd;
            let ev = b.new_internal_event(fd, on_signalfd_readable);
            b.sig.sfd_ev = ev;
        }
        Some(0)
    }

    /// "signalfd" when this base takes its signals from a signalfd, else "sigaction".
    pub fn method(&self, flags: c_int) -> &'static std::ffi::CStr {
        if flags & FLAG_USE_SIGNALFD != 0 && !self.sfd_failed {
            c"signalfd"
        } else {
            c"sigaction"
        }
    }

    /// The loop starts: the base receives its signals (see `take_ownership`); with a signalfd,
    /// they are blocked in the loop's thread too.
    pub fn loop_starting(&self, base: *mut EventBase, sigmap: &SignalMap) {
        if self.n_added > 0 {
            self.take_ownership(base, sigmap);
        }
        if self.sfd >= 0 {
            // SAFETY: blocking an initialised set in this thread.
            unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &self.sfd_mask, std::ptr::null_mut()) };
        }
    }

    /// The signalfd path of `restore`: true when `sig` went through the signalfd.
    unsafe fn restore_signalfd(&mut self, sig: c_int) -> bool {
        if !has(&self.sfd_mask, sig) {
            return false;
        }
        libc::sigdelset(&mut self.sfd_mask, sig);
        if self.sfd >= 0 {
            libc::signalfd(self.sfd, &self.sfd_mask, libc::SFD_NONBLOCK | libc::SFD_CLOEXEC);
        }
        if !has(&self.was_blocked, sig) {
            // What is still pending was for the events just removed: unblocking must not deliver
            // it with the default action.
            let set = one_signal(sig);
            let zero = libc::timespec { tv_sec: 0, tv_nsec: 0 };
            while libc::sigtimedwait(&set, std::ptr::null_mut(), &zero) == sig {}
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        }
        true
    }

    /// Restores the handler `sig` had before (the last event for it on this base is gone).
    ///
    /// # Safety
    /// `sig` is in 0..NSIG, and no event of this base watches it any more.
    pub unsafe fn restore(&mut self, sig: c_int) {
        if self.restore_signalfd(sig) {
            return;
        }
        if self.pair[1] >= 0 {
            let _ = SIG_FD[sig as usize].compare_exchange(self.pair[1], -1, Ordering::AcqRel, Ordering::Acquire);
        }
        if let Some(old) = self.old[sig as usize].take() {
            libc::sigaction(sig, &*old, std::ptr::null_mut());
            self.n_added -= 1;
        }
    }

    unsafe fn open(b: &mut EventBase) -> c_int {
        let mut pair = [-1; 2];
        if libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
            pair.as_mut_ptr(),
        ) < 0
        {
            crate::core::log::warn("socketpair");
            return -1;
        }
        b.sig.pair = pair;
        b.sig.ev = b.new_internal_event(pair[0], on_pair_readable);
        0
    }

    /// Closes the pair; with `restore_handlers` (base freed) also puts back every handler, which
    /// `reinit` after fork() keeps.
    ///
    /// # Safety
    /// `b` is live with its lock held (or unshared, as while freed); `b.sig.ev` is NULL or its live
    /// internal event. With `restore_handlers`, no event of `b` watches a signal any more.
    pub unsafe fn close(b: &mut EventBase, restore_handlers: bool) {
        if !b.sig.ev.is_null() {
            b.free_internal_event(b.sig.ev);
            b.sig.ev = std::ptr::null_mut();
        }
        if restore_handlers {
            Self::close_signalfd(b);
        }
        let me = b as *mut EventBase;
        if OWNER.load(Ordering::Acquire) == me {
            OWNER_FD.store(-1, Ordering::Release);
            OWNER.store(std::ptr::null_mut(), Ordering::Release);
        }
        if b.sig.pair[1] >= 0 {
            for f in &SIG_FD {
                let _ = f.compare_exchange(b.sig.pair[1], -1, Ordering::AcqRel, Ordering::Acquire);
            }
        }
        for fd in b.sig.pair {
            if fd >= 0 {
                libc::close(fd);
            }
        }
        b.sig.pair = [-1, -1];
        if restore_handlers {
            for sig in 1..NSIG {
                b.sig.restore(sig as c_int);
            }
        }
    }

    /// Closes the signalfd and frees its event (the signals stay blocked and in the mask).
    unsafe fn close_signalfd(b: &mut EventBase) {
        if !b.sig.sfd_ev.is_null() {
            b.free_internal_event(b.sig.sfd_ev);
            b.sig.sfd_ev = std::ptr::null_mut();
        }
        if b.sig.sfd >= 0 {
            libc::close(b.sig.sfd);
            b.sig.sfd = -1;
        }
    }

    /// After fork(): a new pair, so parent and child no longer share one.
    ///
    /// # Safety
    /// `b` is a live base at its final address, with its lock held.
    pub unsafe fn reinit(b: &mut EventBase) -> c_int {
        // A new signalfd too, with the same signals (the child inherited the blocked mask).
        if b.sig.sfd >= 0 {
            Self::close_signalfd(b);
            let fd = libc::signalfd(-1, &b.sig.sfd_mask, libc::SFD_NONBLOCK | libc::SFD_CLOEXEC);
            if fd < 0 {
                return -1;
            }
            b.sig.sfd = fd;
            let ev = b.new_internal_event(fd, on_signalfd_readable);
            b.sig.sfd_ev = ev;
        }
        if b.sig.pair[0] < 0 {
            return 0;
        }
        let owned = std::ptr::eq(OWNER.load(Ordering::Acquire), b);
        Self::close(b, false);
        if Self::open(b) < 0 {
            return -1;
        }
        if owned {
            let me = b as *mut EventBase;
            b.sig.take_ownership(me, &b.sigmap);
        }
        0
    }
}
