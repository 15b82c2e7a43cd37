//! ev_io: a persistent core read/write event per started watcher.
use crate::core::event as core_ev;
use crate::libev::alloc::fatal;
use crate::libev::evloop::{st, EvLoop};
use crate::libev::hook::{self, Hook, Kind};
use crate::libev::watcher::*;
use libc::{c_int, c_short};

/// libev's EV_READ/EV_WRITE to the core's bits.
fn to_core(events: c_int) -> c_short {
    let mut e = 0;
    if events & EV_READ != 0 {
        e |= core_ev::EV_READ;
    }
    if events & EV_WRITE != 0 {
        e |= core_ev::EV_WRITE;
    }
    e
}

fn from_core(what: c_short) -> c_int {
    let mut e = 0;
    if what & core_ev::EV_READ != 0 {
        e |= EV_READ;
    }
    if what & core_ev::EV_WRITE != 0 {
        e |= EV_WRITE;
    }
    e
}

pub unsafe fn start(lp: *mut EvLoop, w: *mut Io) {
    let ww = w as *mut Watcher;
    if (*ww).active != 0 {
        return;
    }
    if (*w).fd < 0 {
        fatal("libev: ev_io_start called with negative fd");
    }
    if (*w).events & !(EV_IOFDSET | EV_READ | EV_WRITE) != 0 {
        fatal("libev: ev_io_start called with illegal event mask");
    }
    let mut s = st(lp);
    s.start_watcher(ww);
    (*w).events &= !EV_IOFDSET;
    let h = s.new_hook(lp, ww, Kind::Io);
    hook::assign(h, s.base, (*w).fd, to_core((*w).events) | core_ev::EV_PERSIST);
    if hook::add(h, None, false) < 0 {
        let err = std::io::Error::last_os_error().raw_os_error();
        if err == Some(libc::EPERM) {
            // Not pollable (a regular file): ready whenever asked, as libev's epoll backend
            // treats it.
            (*h).always_ready = true;
            s.always_ready += 1;
        } else {
            // A bad descriptor: the watcher stops and hears of the error.
            s.release_hook(ww);
            s.stop_watcher(ww);
            s.feed(ww, EV_ERROR | EV_READ | EV_WRITE);
        }
    }
}

/// After a poll: the watchers of descriptors the backend refused are ready.
pub unsafe fn feed_always_ready(lp: *mut EvLoop) {
    let mut s = st(lp);
    if s.always_ready == 0 {
        return;
    }
    for h in s.hooks_of(Kind::Io) {
        if (*h).always_ready {
            let w = (*h).w as *mut Io;
            let ev = (*w).events & (EV_READ | EV_WRITE);
            if ev != 0 {
                s.feed(w as *mut Watcher, ev);
            }
        }
    }
}

pub unsafe fn stop(lp: *mut EvLoop, w: *mut Io) {
    st(lp).stop_hooked(w as *mut Watcher, |_| {});
}

/// The core saw the descriptor ready: queue the watcher for what it asked.
pub unsafe fn on_ready(lp: *mut EvLoop, h: *mut Hook, what: c_short) {
    let w = (*h).w as *mut Io;
    let ev = (*w).events & from_core(what);
    if ev != 0 {
        st(lp).feed(w as *mut Watcher, ev);
    }
}

/// ev_feed_fd_event(): every io watcher of `fd` gets what it asked of `revents`.
pub unsafe fn feed_fd(lp: *mut EvLoop, fd: c_int, revents: c_int) {
    let mut s = st(lp);
    for h in s.hooks_of(Kind::Io) {
        let w = (*h).w as *mut Io;
        if (*w).fd == fd && (*w).events & revents != 0 {
            let ev = (*w).events & revents;
            s.feed(w as *mut Watcher, ev);
        }
    }
}
