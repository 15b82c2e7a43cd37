//! The pending queues: one per priority, filled by ev_feed_event() (and by the loop for every
//! event it detects), emptied by ev_invoke_pending(). Within a priority the most recently
//! queued watcher runs first, as in libev; a higher priority always runs before a lower one,
//! even when it is queued by a callback while lower ones wait.
use crate::libev::evloop::{st, EvLoop, Pending, State};
use crate::libev::watcher::*;
use libc::{c_int, c_uint};

impl State {
    /// Queues `w` with `revents`, or adds `revents` to its queued events.
    pub unsafe fn feed(&mut self, w: *mut Watcher, revents: c_int) {
        let pri = abs_priority(w);
        let queue = &mut self.pendings[pri];
        let i = (*w).pending as usize;
        if i >= 1 && i <= queue.len() && queue[i - 1].w == w {
            queue[i - 1].events |= revents;
        } else {
            queue.push(Pending { w, events: revents });
            (*w).pending = queue.len() as c_int;
        }
        self.pendingpri = NUMPRI - 1;
    }

    /// Takes `w` out of its queue (its entry stays, emptied, so the indices of the others
    /// hold). Returns the events it had.
    pub unsafe fn clear_pending(&mut self, w: *mut Watcher) -> c_int {
        let i = (*w).pending as usize;
        if i == 0 {
            return 0;
        }
        (*w).pending = 0;
        let queue = &mut self.pendings[abs_priority(w)];
        if i <= queue.len() && queue[i - 1].w == w {
            let ev = queue[i - 1].events;
            queue[i - 1].w = std::ptr::null_mut();
            return ev;
        }
        0
    }

    pub fn pending_count(&self) -> c_uint {
        self.pendings.iter().map(|q| q.len() as c_uint).sum()
    }
}

/// Calls every queued watcher, highest priority first. The state is borrowed only to take
/// the next entry; the callback runs with nothing borrowed and may do anything to any
/// watcher (including freeing its own), or run the loop again.
pub unsafe fn invoke_pending(lp: *mut EvLoop) {
    st(lp).pendingpri = NUMPRI;
    loop {
        st(lp).pendingpri -= 1;
        loop {
            let next = {
                let mut s = st(lp);
                let pri = s.pendingpri;
                s.pendings[pri].pop()
            };
            let Some(p) = next else { break };
            if p.w.is_null() {
                continue;
            }
            (*p.w).pending = 0;
            if let Some(cb) = (*p.w).cb {
                cb(lp, p.w, p.events);
            }
        }
        if st(lp).pendingpri == 0 {
            break;
        }
    }
}

/// What the loop does where libev says EV_INVOKE_PENDING: the program's replacement from
/// ev_set_invoke_pending_cb(), or ev_invoke_pending().
pub unsafe fn invoke_hook(lp: *mut EvLoop) {
    let cb = st(lp).invoke_cb;
    match cb {
        Some(f) => f(lp),
        None => invoke_pending(lp),
    }
}

/// ev_invoke(): calls the watcher's callback now, whatever its state.
pub unsafe fn invoke(lp: *mut EvLoop, w: *mut Watcher, revents: c_int) {
    if let Some(cb) = (*w).cb {
        cb(lp, w, revents);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::libev::evloop::{destroy, new_loop};
    use std::cell::RefCell;

    thread_local! {
        static ORDER: RefCell<Vec<(usize, c_int)>> = const { RefCell::new(Vec::new()) };
    }

    unsafe extern "C" fn record(_lp: *mut EvLoop, w: *mut Watcher, revents: c_int) {
        ORDER.with(|o| o.borrow_mut().push(((*w).data as usize, revents)));
    }

    fn watcher(id: usize, priority: c_int) -> Watcher {
        Watcher { active: 0, pending: 0, priority, data: id as *mut libc::c_void, cb: Some(record) }
    }

    #[test]
    fn priority_then_newest_first_and_cleared_entries_skipped() {
        // SAFETY: the loop is made and destroyed here; the watchers outlive their use.
        unsafe {
            let lp = new_loop(0, false);
            assert!(!lp.is_null());
            let mut ws = [watcher(0, 0), watcher(1, 2), watcher(2, 0), watcher(3, -2), watcher(4, 0)];
            for w in ws.iter_mut() {
                st(lp).feed(w, 1);
            }
            st(lp).feed(&mut ws[2], 2);
            assert_eq!(st(lp).pending_count(), 5);
            assert_eq!(st(lp).clear_pending(&mut ws[4]), 1);
            assert_eq!(ws[4].pending, 0);
            invoke_pending(lp);
            let order = ORDER.with(|o| o.take());
            assert_eq!(order, vec![(1, 1), (2, 3), (0, 1), (3, 1)]);
            assert_eq!(st(lp).pending_count(), 0);
            destroy(lp);
        }
    }
}
