//! ev_stat: polls the path with lstat() every `interval` seconds (a persistent core timer) and
//! queues the watcher when what lstat() reports changed. No inotify: changes are seen at the
//! next poll, which libev allows.
use crate::core::event as core_ev;
use crate::libev::evloop::{st, EvLoop};
use crate::libev::hook::{self, to_us, Hook, Kind};
use crate::libev::watcher::*;

/// Used when the program gives no interval, and the smallest one accepted.
const DEFAULT_INTERVAL: Tstamp = 5.0;
const MIN_INTERVAL: Tstamp = 0.1;

/// ev_stat_stat(): refreshes `attr`; a missing file reads as st_nlink 0.
pub unsafe fn refresh(w: *mut Stat) {
    if (*w).path.is_null() || libc::lstat((*w).path, &mut (*w).attr) < 0 {
        // Nothing else is known about a missing path: no stale or uninitialised fields.
        (*w).attr = std::mem::zeroed();
        (*w).attr.st_nlink = 0;
    } else if (*w).attr.st_nlink == 0 {
        (*w).attr.st_nlink = 1;
    }
}

fn differs(a: &libc::stat, b: &libc::stat) -> bool {
    a.st_dev != b.st_dev
        || a.st_ino != b.st_ino
        || a.st_mode != b.st_mode
        || a.st_nlink != b.st_nlink
        || a.st_uid != b.st_uid
        || a.st_gid != b.st_gid
        || a.st_rdev != b.st_rdev
        || a.st_size != b.st_size
        || a.st_atime != b.st_atime
        || a.st_mtime != b.st_mtime
        || a.st_ctime != b.st_ctime
}

pub unsafe fn start(lp: *mut EvLoop, w: *mut Stat) {
    let ww = w as *mut Watcher;
    if (*ww).active != 0 {
        return;
    }
    refresh(w);
    if (*w).interval < MIN_INTERVAL && (*w).interval != 0.0 {
        (*w).interval = MIN_INTERVAL;
    }
    let every = if (*w).interval != 0.0 { (*w).interval } else { DEFAULT_INTERVAL };
    let mut s = st(lp);
    s.start_watcher(ww);
    let h = s.new_hook(lp, ww, Kind::Stat);
    hook::assign(h, s.base, -1, core_ev::EV_PERSIST);
    hook::add(h, Some(to_us(every)), false);
}

pub unsafe fn stop(lp: *mut EvLoop, w: *mut Stat) {
    st(lp).stop_hooked(w as *mut Watcher, |_| {});
}

/// The polling timer fired: compare, and keep in `prev` what `attr` was before a change.
pub unsafe fn on_poll(lp: *mut EvLoop, h: *mut Hook) {
    let w = (*h).w as *mut Stat;
    let before = (*w).attr;
    refresh(w);
    if differs(&before, &(*w).attr) {
        (*w).prev = before;
        st(lp).feed(w as *mut Watcher, EV_STAT);
    }
}
