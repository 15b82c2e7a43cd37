//! ev_embed: another loop (epoll-based) served inside this one. Its epoll descriptor is
//! watched here; when it polls readable the embedded loop gets a non-blocking run (or the
//! watcher's callback, when it has one, which then calls ev_embed_sweep()). Before each poll
//! the embedded loop's pending interest changes are handed to its epoll set, so that the
//! descriptor reflects them.
use crate::core::base::EventBase;
use crate::core::event as core_ev;
use crate::libev::alloc::fatal;
use crate::libev::evloop::{st, EvLoop};
use crate::libev::hook::{self, Kind};
use crate::libev::run;
use crate::libev::watcher::*;

pub unsafe fn start(lp: *mut EvLoop, w: *mut Embed) {
    let ww = w as *mut Watcher;
    if (*ww).active != 0 {
        return;
    }
    let other = (*w).other;
    let fd = if other.is_null() { None } else { (*st(other).base).backend.pollable_fd() };
    let Some(fd) = fd else { fatal("libev: loop to be embedded is not embeddable") };
    let mut s = st(lp);
    s.start_watcher(ww);
    s.embeds += 1;
    let h = s.new_hook(lp, ww, Kind::Embed);
    hook::assign(h, s.base, fd, core_ev::EV_READ | core_ev::EV_PERSIST);
    hook::add(h, None, false);
}

pub unsafe fn stop(lp: *mut EvLoop, w: *mut Embed) {
    st(lp).stop_hooked(w as *mut Watcher, |s| s.embeds -= 1);
}

/// ev_embed_sweep(): one non-blocking run of the embedded loop.
pub unsafe fn sweep(w: *mut Embed) {
    if !(*w).other.is_null() {
        run::run((*w).other, EVRUN_NOWAIT);
    }
}

/// Before this loop polls: every embedded loop's epoll set is brought up to date.
pub unsafe fn prepare(lp: *mut EvLoop) {
    let s = st(lp);
    if s.embeds == 0 {
        return;
    }
    for h in s.hooks_of(Kind::Embed) {
        let other = (*((*h).w as *mut Embed)).other;
        let base = st(other).base;
        EventBase::with_lock(base, |b| b.io.flush(&mut b.backend));
    }
}

/// After this loop polled: the embeds whose loop has something, swept or queued.
pub unsafe fn reify(lp: *mut EvLoop) {
    let mut mine = Vec::new();
    {
        let mut s = st(lp);
        if s.embeds == 0 {
            return;
        }
        s.fired.retain(|&(h, w)| {
            if (*h).kind == Kind::Embed {
                mine.push((h, w));
                false
            } else {
                true
            }
        });
    }
    for (h, w) in mine {
        if !st(lp).hook_serves(h, w) {
            continue;
        }
        if (*w).cb.is_none() {
            sweep(w as *mut Embed);
        } else {
            st(lp).feed(w, EV_EMBED);
        }
    }
}

/// This loop forked: so did the embedded ones. Each is re-created (a non-blocking run does
/// it) and watched again through its new epoll descriptor.
pub unsafe fn after_fork(lp: *mut EvLoop) {
    if st(lp).embeds == 0 {
        return;
    }
    let hooks = st(lp).hooks_of(Kind::Embed);
    for h in hooks {
        let w = (*h).w as *mut Embed;
        stop(lp, w);
        if !(*w).other.is_null() {
            st((*w).other).postfork = true;
            run::run((*w).other, EVRUN_NOWAIT);
        }
        start(lp, w);
    }
}
