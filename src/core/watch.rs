//! Prepare and check watchers (libevent 2.2's event2/watch.h): program callbacks that the loop
//! runs just before the backend waits (prepare, which may read how long the wait can last) and
//! just after it returns, before timers and callbacks are processed (check).
//!
//! The base keeps each kind in a list ordered by a sequence number given at creation, so that
//! watchers run in the order they were added. A pass walks the list by number rather than by
//! pointer: it copies out the next watcher's callback with the base locked, unlocks, calls it,
//! locks again and looks for the first watcher numbered after it. A callback may therefore free
//! its own watcher, free others, or add new ones (which run in the same pass, as appended ones
//! do in libevent) without the pass ever touching freed memory.
use crate::core::base::EventBase;
use crate::core::sync;
use crate::core::time::{self, Micros};
use libc::{c_int, c_void, timeval};

pub type PrepareFn = unsafe extern "C" fn(*mut Evwatch, *const PrepareInfo, *mut c_void);
pub type CheckFn = unsafe extern "C" fn(*mut Evwatch, *const CheckInfo, *mut c_void);

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Prepare,
    Check,
}

#[derive(Clone, Copy)]
enum Callback {
    Prepare(PrepareFn),
    Check(CheckFn),
}

/// `struct evwatch` (opaque to programs).
pub struct Evwatch {
    base: *mut EventBase,
    seq: u64,
    cb: Callback,
    arg: *mut c_void,
}

/// `struct evwatch_prepare_cb_info` (opaque): the timeout of the wait about to start.
pub struct PrepareInfo {
    timeout: Option<timeval>,
}

/// `struct evwatch_check_cb_info` (opaque, and empty, as in libevent).
pub struct CheckInfo {
    _unused: u8,
}

/// A base's watchers, each list in the order of creation.
#[derive(Default)]
pub struct Watchers {
    next_seq: u64,
    prepare: Vec<*mut Evwatch>,
    check: Vec<*mut Evwatch>,
}

impl Watchers {
    fn list(&mut self, kind: Kind) -> &mut Vec<*mut Evwatch> {
        match kind {
            Kind::Prepare => &mut self.prepare,
            Kind::Check => &mut self.check,
        }
    }

    pub fn is_empty(&self, kind: Kind) -> bool {
        match kind {
            Kind::Prepare => self.prepare.is_empty(),
            Kind::Check => self.check.is_empty(),
        }
    }

    /// The first watcher of `kind` numbered after `after` (None: from the start), with what
    /// calling it needs.
    ///
    /// # Safety
    /// The listed watchers are live.
    unsafe fn next(&mut self, kind: Kind, after: Option<u64>) -> Option<(*mut Evwatch, u64, Callback, *mut c_void)> {
        let list = self.list(kind);
        let i = match after {
            None => 0,
            Some(s) => list.partition_point(|&w| (*w).seq <= s),
        };
        let w = *list.get(i)?;
        Some((w, (*w).seq, (*w).cb, (*w).arg))
    }

    /// Frees every watcher (the base is being freed).
    ///
    /// # Safety
    /// The listed watchers are live and not used afterwards.
    pub unsafe fn free_all(&mut self) {
        for w in self.prepare.drain(..).chain(self.check.drain(..)) {
            drop(Box::from_raw(w));
        }
    }
}

/// evwatch_prepare_new() / evwatch_check_new(): NULL when the allocator refuses.
///
/// # Safety
/// `base` is live; no borrow of it is held.
unsafe fn new(base: *mut EventBase, cb: Callback, arg: *mut c_void) -> *mut Evwatch {
    let kind = match cb {
        Callback::Prepare(_) => Kind::Prepare,
        Callback::Check(_) => Kind::Check,
    };
    EventBase::with_lock(base, |b| {
        let seq = b.watchers.next_seq;
        let Some(w) = crate::core::mem::try_box(Evwatch { base, seq, cb, arg }) else {
            return std::ptr::null_mut();
        };
        let list = b.watchers.list(kind);
        if list.try_reserve(1).is_err() {
            return std::ptr::null_mut();
        }
        b.watchers.next_seq += 1;
        let w = Box::into_raw(w);
        b.watchers.list(kind).push(w);
        w
    })
}

/// # Safety
/// As for `new`.
pub unsafe fn prepare_new(base: *mut EventBase, cb: PrepareFn, arg: *mut c_void) -> *mut Evwatch {
    new(base, Callback::Prepare(cb), arg)
}

/// # Safety
/// As for `new`.
pub unsafe fn check_new(base: *mut EventBase, cb: CheckFn, arg: *mut c_void) -> *mut Evwatch {
    new(base, Callback::Check(cb), arg)
}

/// # Safety
/// `w` is a live watcher.
pub unsafe fn base_of(w: *mut Evwatch) -> *mut EventBase {
    (*w).base
}

/// evwatch_free(): takes the watcher off its base's list and frees it. Safe from the watcher's
/// own callback: the pass that called it no longer reads the watcher.
///
/// # Safety
/// `w` is a live watcher whose base is live; no borrow of the base is held; `w` is not used
/// afterwards.
pub unsafe fn free(w: *mut Evwatch) {
    let base = (*w).base;
    let kind = match (*w).cb {
        Callback::Prepare(_) => Kind::Prepare,
        Callback::Check(_) => Kind::Check,
    };
    EventBase::with_lock(base, |b| {
        let list = b.watchers.list(kind);
        if let Some(i) = list.iter().position(|&x| x == w) {
            list.remove(i);
        }
        drop(Box::from_raw(w));
    });
}

/// evwatch_prepare_get_timeout(): 1 and the timeout when the wait has one, 0 when it may last
/// for ever.
pub fn prepare_timeout(info: &PrepareInfo, out: &mut timeval) -> c_int {
    match info.timeout {
        Some(t) => {
            *out = t;
            1
        }
        None => 0,
    }
}

/// Runs every watcher of `kind`, in order, with the base unlocked during each call. For prepare
/// watchers, `timeout` is the wait about to start (None: no limit).
///
/// # Safety
/// `base` is live, its lock held once by this thread (the loop's), and no borrow of it is held.
pub unsafe fn run(base: *mut EventBase, kind: Kind, timeout: Option<Micros>) {
    let prepare = PrepareInfo { timeout: timeout.map(time::from_us) };
    let check = CheckInfo { _unused: 0 };
    let lock = (*base).lock;
    let mut after = None;
    // Each lookup borrows the base only for its own statement: the callbacks below may re-enter.
    while let Some((w, seq, cb, arg)) = (*base).watchers.next(kind, after) {
        after = Some(seq);
        sync::unlock(lock);
        match cb {
            Callback::Prepare(f) => f(w, &prepare, arg),
            Callback::Check(f) => f(w, &check, arg),
        }
        sync::lock(lock);
    }
}
