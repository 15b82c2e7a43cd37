//! ev_signal: a persistent core signal event per started watcher (the core installs the
//! handler with the first and restores the previous one after the last).
use crate::core::event as core_ev;
use crate::core::signal::NSIG;
use crate::libev::alloc::fatal;
use crate::libev::evloop::{st, EvLoop};
use crate::libev::hook::{self, Kind};
use crate::libev::watcher::*;
use libc::c_int;

pub unsafe fn start(lp: *mut EvLoop, w: *mut Signal) {
    let ww = w as *mut Watcher;
    if (*ww).active != 0 {
        return;
    }
    let sig = (*w).signum;
    if sig <= 0 || sig as usize >= NSIG {
        fatal("libev: ev_signal_start called with illegal signal number");
    }
    let mut s = st(lp);
    s.start_watcher(ww);
    let h = s.new_hook(lp, ww, Kind::Signal);
    hook::assign(h, s.base, sig, core_ev::EV_SIGNAL | core_ev::EV_PERSIST);
    hook::add(h, None, false);
    if s.flags & EVFLAG_NOSIGMASK == 0 {
        // libev makes sure a watched signal can be delivered.
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
    }
}

pub unsafe fn stop(lp: *mut EvLoop, w: *mut Signal) {
    st(lp).stop_hooked(w as *mut Watcher, |_| {});
}

/// ev_feed_signal_event(): queue every watcher of `sig` in this loop now.
pub unsafe fn feed_signal_event(lp: *mut EvLoop, sig: c_int) {
    let mut s = st(lp);
    for h in s.hooks_of(Kind::Signal) {
        let w = (*h).w;
        if (*(w as *mut Signal)).signum == sig {
            s.feed(w, EV_SIGNAL);
        }
    }
}

/// ev_feed_signal(): as if the process received `sig` (async-signal-safe).
pub fn feed_signal(sig: c_int) {
    if sig > 0 && (sig as usize) < NSIG {
        crate::core::signal::deliver(sig);
    }
}
