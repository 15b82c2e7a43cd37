//! Which events watch each descriptor and each signal, and the interest the backend must hold
//! for each descriptor. Changes are batched: the backend hears of them once, before the next
//! wait, so an event deleted and added again in one callback costs at most one epoll_ctl.
use crate::core::backend::Backend;
use crate::core::event::*;
use libc::{c_int, c_short};
use std::ptr;

/// The events of one descriptor or one signal: a doubly linked list through the events.
pub struct EventList {
    pub head: *mut Event,
}

impl Default for EventList {
    fn default() -> Self {
        EventList { head: ptr::null_mut() }
    }
}

impl EventList {
    /// Newest first, as libevent orders them (it decides which callback runs first).
    unsafe fn push_front(&mut self, ev: *mut Event) {
        (*ev).list_prev = ptr::null_mut();
        (*ev).list_next = self.head;
        if !self.head.is_null() {
            (*self.head).list_prev = ev;
        }
        self.head = ev;
    }

    unsafe fn remove(&mut self, ev: *mut Event) {
        let (next, prev) = ((*ev).list_next, (*ev).list_prev);
        if prev.is_null() {
            self.head = next;
        } else {
            (*prev).list_next = next;
        }
        if !next.is_null() {
            (*next).list_prev = prev;
        }
        (*ev).list_next = ptr::null_mut();
        (*ev).list_prev = ptr::null_mut();
    }

    /// Appends the list's events to `out`, newest first.
    ///
    /// # Safety
    /// The list's events are live.
    pub unsafe fn collect(&self, out: &mut Vec<*mut Event>) {
        let mut e = self.head;
        while !e.is_null() {
            out.push(e);
            e = (*e).list_next;
        }
    }
}

#[derive(Default)]
pub struct FdSlot {
    pub events: EventList,
    nread: u16,
    nwrite: u16,
    nclose: u16,
    /// The interest the backend holds now.
    registered: c_short,
    /// In the change list.
    dirty: bool,
    /// The interest dropped to nothing since the last flush: the descriptor may have been
    /// closed and its number reused, so re-announce it even if the interest looks unchanged.
    reannounce: bool,
}

impl FdSlot {
    fn wanted(&self) -> c_short {
        let mut m = 0;
        if self.nread > 0 {
            m |= EV_READ;
        }
        if self.nwrite > 0 {
            m |= EV_WRITE;
        }
        if self.nclose > 0 {
            m |= EV_CLOSED;
        }
        // SAFETY: events in the list are live while added.
        if m != 0 && !self.events.head.is_null() && unsafe { (*self.events.head).events } & EV_ET != 0 {
            m |= EV_ET;
        }
        m
    }
}

/// libevent's map holds descriptors below this: past it, its event_add() fails.
const MAX_FD: c_int = 1 << 27;
/// Below this and the process's hard limit of open files, a descriptor number sizes the table
/// whether or not it is open (libevent's poll backend reports a closed one as ready).
const CHEAP_FD: libc::rlim_t = 1 << 20;

/// Whether the descriptor table may grow to hold `fd`. The table costs memory in proportion to
/// the largest number, so a number the program makes up (INT_MAX) must not size it: past
/// libevent's bound the answer is no, as in libevent; above the cheap range only an open
/// descriptor is taken, for which the kernel already holds a table as large. A refusal sets
/// errno to EBADF (libev's io watchers tell it from a file epoll refuses).
fn may_grow_to(backend: &mut Backend, fd: c_int, events: c_short) -> bool {
    // Below every process's default limit the table is small: no system call needed.
    if fd < 1024 {
        return true;
    }
    if fd < MAX_FD {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: a valid out-parameter.
        let known = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0;
        if known && (fd as libc::rlim_t) < lim.rlim_max.min(CHEAP_FD) {
            return true;
        }
        // SAFETY: F_GETFD only reads the descriptor's flags.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } >= 0 {
            return true;
        }
        // Not open: epoll refuses it, and says so as in libevent. (poll and select would take
        // it, at the price of a table as large as the number.)
        if matches!(backend, Backend::Epoll(_)) {
            backend.apply(fd, 0, events & (EV_READ | EV_WRITE | EV_CLOSED));
        }
    }
    set_errno(libc::EBADF);
    false
}

fn set_errno(e: c_int) {
    // SAFETY: errno is this thread's.
    unsafe { *libc::__errno_location() = e };
}

#[derive(Default)]
pub struct IoMap {
    pub slots: Vec<FdSlot>,
    changes: Vec<c_int>,
}

impl IoMap {
    /// Adds an I/O event. Returns -1 on failure, 1 when the backend's interest changes.
    ///
    /// # Safety
    /// `ev` is live, on no descriptor list, and stays live until `del`; the list's events are
    /// live.
    pub unsafe fn add(&mut self, backend: &mut Backend, ev: *mut Event) -> c_int {
        let fd = (*ev).fd;
        if fd < 0 {
            return 0;
        }
        let fdu = fd as usize;
        if self.slots.len() <= fdu {
            if !may_grow_to(backend, fd, (*ev).events) {
                return -1;
            }
            self.slots.resize_with(fdu + 1, FdSlot::default);
        }
        let slot = &mut self.slots[fdu];
        let what = (*ev).events;
        if !slot.events.head.is_null() && ((*slot.events.head).events & EV_ET) != (what & EV_ET) {
            crate::core::log::warnx(&format!("Tried to mix edge-triggered and non-edge-triggered events on fd {fd}"));
            return -1;
        }
        let (r, w, c) = (
            slot.nread + (what & EV_READ != 0) as u16,
            slot.nwrite + (what & EV_WRITE != 0) as u16,
            slot.nclose + (what & EV_CLOSED != 0) as u16,
        );
        if r == u16::MAX || w == u16::MAX || c == u16::MAX {
            crate::core::log::warnx(&format!("Too many events reading or writing on fd {fd}"));
            return -1;
        }
        let old = slot.wanted();
        (slot.nread, slot.nwrite, slot.nclose) = (r, w, c);
        slot.events.push_front(ev);
        let new = slot.wanted();
        if new == old {
            return 0;
        }
        if slot.registered == 0 && !slot.dirty {
            // A descriptor the backend does not know: tell it now, so that a descriptor it
            // refuses (a regular file, a closed fd) fails this event_add as in libevent.
            if backend.apply(fd, 0, new) < 0 {
                slot.events.remove(ev);
                slot.nread -= (what & EV_READ != 0) as u16;
                slot.nwrite -= (what & EV_WRITE != 0) as u16;
                slot.nclose -= (what & EV_CLOSED != 0) as u16;
                return -1;
            }
            slot.registered = new;
        } else {
            self.mark(fdu);
        }
        1
    }

    /// Removes an I/O event. Returns 1 when the backend's interest changes.
    ///
    /// # Safety
    /// `ev` was linked by a successful `add`, with `fd` and `events` unchanged since; the list's
    /// events are live.
    pub unsafe fn del(&mut self, ev: *mut Event) -> c_int {
        let fd = (*ev).fd;
        if fd < 0 || fd as usize >= self.slots.len() {
            return 0;
        }
        let fdu = fd as usize;
        let slot = &mut self.slots[fdu];
        let what = (*ev).events;
        let old = slot.wanted();
        slot.nread -= (what & EV_READ != 0) as u16;
        slot.nwrite -= (what & EV_WRITE != 0) as u16;
        slot.nclose -= (what & EV_CLOSED != 0) as u16;
        slot.events.remove(ev);
        let new = slot.wanted();
        if new == old {
            return 0;
        }
        if new == 0 {
            slot.reannounce = true;
        }
        self.mark(fdu);
        1
    }

    fn mark(&mut self, fdu: usize) {
        let slot = &mut self.slots[fdu];
        if !slot.dirty {
            slot.dirty = true;
            self.changes.push(fdu as c_int);
        }
    }

    /// Tells the backend every change since the last flush: one call per descriptor.
    pub fn flush(&mut self, backend: &mut Backend) {
        // The list is emptied but keeps its storage: most loop iterations change something.
        let mut changes = std::mem::take(&mut self.changes);
        for &fd in &changes {
            let slot = &mut self.slots[fd as usize];
            slot.dirty = false;
            let new = slot.wanted();
            let force = std::mem::take(&mut slot.reannounce) && new != 0;
            if new == slot.registered && !force {
                continue;
            }
            if force {
                backend.may_have_moved(fd);
            }
            let ok = backend.apply(fd, slot.registered, new) == 0;
            slot.registered = if ok { new } else { 0 };
        }
        changes.clear();
        self.changes = changes;
    }

    /// After fork(): the backend is new, so every interest is announced again.
    pub fn reannounce_all(&mut self, backend: &mut Backend) {
        self.changes.clear();
        for (fd, slot) in self.slots.iter_mut().enumerate() {
            slot.dirty = false;
            slot.reannounce = false;
            let new = slot.wanted();
            slot.registered = 0;
            if new != 0 && backend.apply(fd as c_int, 0, new) == 0 {
                slot.registered = new;
            }
        }
    }

    pub fn events_on(&self, fd: c_int) -> *mut Event {
        if fd < 0 {
            return ptr::null_mut();
        }
        self.slots.get(fd as usize).map_or(ptr::null_mut(), |s| s.events.head)
    }
}

/// Events per signal number.
pub struct SignalMap {
    pub lists: Vec<EventList>,
}

impl Default for SignalMap {
    fn default() -> Self {
        SignalMap { lists: (0..crate::core::signal::NSIG).map(|_| EventList::default()).collect() }
    }
}

impl SignalMap {
    /// Links a signal event; returns true when it is the first for its signal.
    ///
    /// # Safety
    /// `ev` is live, on no signal list, with `fd` in 0..NSIG; it stays live until `del`.
    pub unsafe fn add(&mut self, ev: *mut Event) -> bool {
        let list = &mut self.lists[(*ev).fd as usize];
        let first = list.head.is_null();
        list.push_front(ev);
        first
    }

    /// Unlinks a signal event; returns true when it was the last for its signal.
    ///
    /// # Safety
    /// `ev` was linked by `add`, with `fd` unchanged since; the list's events are live.
    pub unsafe fn del(&mut self, ev: *mut Event) -> bool {
        let list = &mut self.lists[(*ev).fd as usize];
        list.remove(ev);
        list.head.is_null()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Boxed: the maps keep pointers to the events, which must not move as the Vec grows.
    #[allow(clippy::vec_box)]
    fn events(n: usize) -> Vec<Box<Event>> {
        // SAFETY: an all-zero event is a valid "not initialised" one.
        (0..n).map(|_| Box::new(unsafe { std::mem::zeroed::<Event>() })).collect()
    }

    fn list(l: &EventList) -> Vec<*mut Event> {
        let mut v = Vec::new();
        // SAFETY: the test's events outlive the lists.
        unsafe { l.collect(&mut v) };
        v
    }

    #[test]
    fn io_map_counts_interest_and_batches_changes() {
        // The poll backend keeps its set in memory, so Miri runs this (tools/miri.sh).
        let mut backend = Backend::Poll(Default::default());
        let mut evs = events(4);
        let what = [EV_READ, EV_WRITE, EV_READ | EV_PERSIST, EV_CLOSED];
        for (e, w) in evs.iter_mut().zip(what) {
            e.fd = 5;
            e.events = w;
        }
        let p: Vec<*mut Event> = evs.iter_mut().map(|e| &mut **e as *mut Event).collect();
        let mut m = IoMap::default();
        // SAFETY: the events are live and each is added once before it is deleted.
        unsafe {
            assert_eq!(m.add(&mut backend, p[0]), 1); // unknown descriptor: told at once
            assert_eq!((m.slots[5].registered, m.slots[5].dirty), (EV_READ, false));
            assert_eq!(m.add(&mut backend, p[2]), 0); // same interest
            assert_eq!(m.add(&mut backend, p[1]), 1);
            assert_eq!(m.add(&mut backend, p[3]), 1);
            assert_eq!(list(&m.slots[5].events), [p[3], p[1], p[2], p[0]]); // newest first
            assert_eq!(m.events_on(5), p[3]);
            assert!(m.slots[5].dirty && m.changes == [5]);
            m.flush(&mut backend);
            assert_eq!(m.slots[5].registered, EV_READ | EV_WRITE | EV_CLOSED);
            assert!(m.changes.is_empty() && !m.slots[5].dirty);
            assert_eq!(m.del(p[2]), 0); // p[0] still reads
            assert_eq!(m.del(p[0]), 1);
            assert_eq!(m.del(p[1]), 1);
            assert_eq!(m.del(p[3]), 1);
            assert!(m.slots[5].reannounce && m.events_on(5).is_null());
            assert_eq!(m.changes, [5]); // one change for the four deletions
            m.flush(&mut backend);
            assert_eq!(m.slots[5].registered, 0);
            // Mixing edge- and level-triggered events on one descriptor is refused.
            let (e0, e1) = (p[0], p[1]);
            (*e0).events = EV_READ | EV_ET;
            assert_eq!(m.add(&mut backend, p[0]), 1);
            assert_eq!(m.add(&mut backend, p[1]), -1);
            assert_eq!(list(&m.slots[5].events), [p[0]]);
            assert_eq!(m.del(p[0]), 1);
            m.reannounce_all(&mut backend);
            assert_eq!(m.slots[5].registered, 0);
            // Negative descriptors are ignored; a far one grows the table.
            (*e1).fd = -1;
            assert_eq!(m.add(&mut backend, p[1]), 0);
            assert!(m.events_on(-1).is_null() && m.events_on(1000).is_null());
            (*e1).fd = 300;
            assert_eq!(m.add(&mut backend, p[1]), 1);
            assert_eq!(m.events_on(300), p[1]);
            assert_eq!(m.del(p[1]), 1);
        }
        drop(evs);
    }

    #[test]
    fn signal_map_links_newest_first() {
        let mut evs = events(3);
        for (i, e) in evs.iter_mut().enumerate() {
            e.fd = if i < 2 { 10 } else { 2 };
        }
        let p: Vec<*mut Event> = evs.iter_mut().map(|e| &mut **e as *mut Event).collect();
        let mut m = SignalMap::default();
        // SAFETY: the events are live; each is added once, then deleted.
        unsafe {
            assert!(m.add(p[0]));
            assert!(!m.add(p[1]));
            assert!(m.add(p[2]));
            assert_eq!(list(&m.lists[10]), [p[1], p[0]]);
            assert!(!m.del(p[1]));
            assert_eq!(list(&m.lists[10]), [p[0]]);
            assert!(m.del(p[0]));
            assert!(m.del(p[2]));
        }
        assert!(m.lists.iter().all(|l| l.head.is_null()));
        drop(evs);
    }
}
