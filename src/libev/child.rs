//! ev_child: the default loop watches SIGCHLD from its creation on (as libev does) and, on
//! each, reaps every child that changed state, queueing the watchers of its pid (or of any
//! pid, 0), stopped and continued children only for watchers that asked for them.
use crate::core::event as core_ev;
use crate::libev::evloop::{st, EvLoop, State};
use crate::libev::hook::{self, Hook, Kind};
use crate::libev::watcher::*;

/// Starts the default loop's SIGCHLD event (internal: it keeps no reference on the loop).
pub unsafe fn install(lp: *mut EvLoop) {
    let mut s = st(lp);
    let h = Box::into_raw(Box::new(Hook::empty()));
    (*h).lp = lp;
    (*h).kind = Kind::ChildSignal;
    hook::assign(h, s.base, libc::SIGCHLD, core_ev::EV_SIGNAL | core_ev::EV_PERSIST);
    hook::add(h, None, false);
    s.child_hook = h;
}

pub unsafe fn start(lp: *mut EvLoop, w: *mut Child) {
    let ww = w as *mut Watcher;
    if (*ww).active != 0 {
        return;
    }
    let mut s = st(lp);
    s.start_watcher(ww);
    State::table_add(&mut s.childs, ww);
}

pub unsafe fn stop(lp: *mut EvLoop, w: *mut Child) {
    let ww = w as *mut Watcher;
    let mut s = st(lp);
    s.clear_pending(ww);
    if (*ww).active == 0 {
        return;
    }
    State::table_remove(&mut s.childs, ww);
    s.stop_watcher(ww);
}

pub unsafe fn reap(lp: *mut EvLoop) {
    loop {
        let mut status = 0;
        let pid = libc::waitpid(-1, &mut status, libc::WNOHANG | libc::WUNTRACED | libc::WCONTINUED);
        if pid <= 0 {
            break;
        }
        let traced = libc::WIFSTOPPED(status) || libc::WIFCONTINUED(status);
        let mut s = st(lp);
        for i in (0..s.childs.len()).rev() {
            let w = s.childs[i] as *mut Child;
            if ((*w).pid == pid || (*w).pid == 0) && (!traced || (*w).flags & 1 != 0) {
                (*w).rpid = pid;
                (*w).rstatus = status;
                s.feed(w as *mut Watcher, EV_CHILD);
            }
        }
    }
}
