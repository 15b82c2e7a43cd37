//! Signals: a handler writes the signal number into a socketpair that the receiving base
//! watches with an internal event; the loop then runs the signal's events as many times as it
//! arrived. Each signal goes to the base that most recently added an event for it or started
//! its loop with one (libevent sends every signal to the last such base; routing per signal
//! keeps that for one base and lets several bases, or libev loops, watch different signals).
use crate::core::base::EventBase;
use crate::core::event::*;
use crate::core::evmap::SignalMap;
use libc::{c_int, c_short, c_void};
use std::sync::atomic::{AtomicI32, AtomicPtr, Ordering};

pub const NSIG: usize = 65;

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
}

impl Default for SignalState {
    fn default() -> Self {
        SignalState { pair: [-1, -1], ev: std::ptr::null_mut(), old: (0..NSIG).map(|_| None).collect(), n_added: 0 }
    }
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

    /// Restores the handler `sig` had before (the last event for it on this base is gone).
    ///
    /// # Safety
    /// `sig` is in 0..NSIG, and no event of this base watches it any more.
    pub unsafe fn restore(&mut self, sig: c_int) {
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
        if libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC, 0, pair.as_mut_ptr()) < 0 {
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

    /// After fork(): a new pair, so parent and child no longer share one.
    ///
    /// # Safety
    /// `b` is a live base at its final address, with its lock held.
    pub unsafe fn reinit(b: &mut EventBase) -> c_int {
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
