//! Bufferevents: an input and an output evbuffer over a transport, with callbacks when data
//! arrives, when the output drains, and when something happens to the transport.
//!
//! `Bev` is the object C programs point at. Its first 392 bytes are libevent's public
//! `struct bufferevent` (old programs read `bev->input`, `bev->enabled`, ... directly); the
//! library's own state follows. Everything here works through raw pointers and takes no Rust
//! reference that outlives a statement, because user callbacks run in the middle of these
//! operations and may change any public field, re-enter the bufferevent, or free it.
//!
//! Lifetime: a reference count. The program holds one; every operation that may call the
//! program holds another while it runs, and a scheduled deferred callback holds one. When the
//! count reaches zero the bufferevent leaves the loop at once, and the loop releases its memory
//! (closing the socket for `BEV_OPT_CLOSE_ON_FREE`) once any callback running now has returned,
//! as libevent's finalizers do.
//!
//! Locking: with `BEV_OPT_THREADSAFE` each bufferevent has a recursive lock (shared with its
//! evbuffers), held during its operations and, as in libevent, during the callbacks it runs
//! directly; `BEV_OPT_UNLOCK_CALLBACKS` releases it around deferred callbacks. The base lock is
//! never held while a callback runs.
pub mod filter;
pub mod ossl;
pub mod pair;
pub mod ratelim;
pub mod socket;
pub mod ssl;

#[cfg(test)]
mod tests;

use crate::buffer::callbacks::{CbEntry, CB_ENABLED, CB_NODEFER};
use crate::buffer::{CbInfo, Evbuffer};
use crate::core::base::{DelMode, EventBase};
use crate::core::event::*;
use crate::core::{ev, log, mem, sync};
use libc::{c_char, c_int, c_short, c_void, timeval};
use std::ptr;

pub const BEV_EVENT_READING: c_short = 0x01;
pub const BEV_EVENT_WRITING: c_short = 0x02;
pub const BEV_EVENT_EOF: c_short = 0x10;
pub const BEV_EVENT_ERROR: c_short = 0x20;
pub const BEV_EVENT_TIMEOUT: c_short = 0x40;
pub const BEV_EVENT_CONNECTED: c_short = 0x80;

pub const BEV_OPT_CLOSE_ON_FREE: c_int = 1 << 0;
pub const BEV_OPT_THREADSAFE: c_int = 1 << 1;
pub const BEV_OPT_DEFER_CALLBACKS: c_int = 1 << 2;
pub const BEV_OPT_UNLOCK_CALLBACKS: c_int = 1 << 3;

pub const BEV_TRIG_IGNORE_WATERMARKS: c_int = 1 << 16;

pub const BEV_NORMAL: c_int = 0;
pub const BEV_FLUSH: c_int = 1;
pub const BEV_FINISHED: c_int = 2;

// Why reading or writing is held back, whatever the program enabled.
pub const SUSPEND_WM: u16 = 0x01;
pub const SUSPEND_BW: u16 = 0x02;
pub const SUSPEND_BW_GROUP: u16 = 0x04;
pub const SUSPEND_LOOKUP: u16 = 0x08;
pub const SUSPEND_FILT_READ: u16 = 0x10;

/// libevent's default cap on one read or write of a socket bufferevent.
pub const MAX_SINGLE_DEFAULT: isize = 16384;

pub type DataCb = unsafe extern "C" fn(*mut Bev, *mut c_void);
pub type EventCb = unsafe extern "C" fn(*mut Bev, c_short, *mut c_void);

/// What `be_ops` points at: libevent's ops table starts with the type's name, and programs only
/// ever compare the pointer; here it also tells the kinds apart.
#[repr(C)]
pub struct Ops {
    pub type_name: *const c_char,
}
// SAFETY: the only field points at a static C string.
unsafe impl Sync for Ops {}

pub static SOCKET_OPS: Ops = Ops { type_name: c"socket".as_ptr() };
pub static PAIR_OPS: Ops = Ops { type_name: c"pair_elt".as_ptr() };
pub static FILTER_OPS: Ops = Ops { type_name: c"filter".as_ptr() };
pub static SSL_OPS: Ops = Ops { type_name: c"ssl".as_ptr() };

/// `struct event_watermark`.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct Watermark {
    pub low: usize,
    pub high: usize,
}

/// The transport behind a bufferevent.
pub enum Kind {
    Socket,
    Pair(pair::PairState),
    Filter(Box<filter::FilterState>),
    Ssl(Box<ssl::SslState>),
}

#[repr(C)]
pub struct Bev {
    // ---- libevent's public struct bufferevent, field for field
    pub ev_base: *mut EventBase,
    pub be_ops: *const Ops,
    pub ev_read: Event,
    pub ev_write: Event,
    pub input: *mut Evbuffer,
    pub output: *mut Evbuffer,
    pub wm_read: Watermark,
    pub wm_write: Watermark,
    pub readcb: Option<DataCb>,
    pub writecb: Option<DataCb>,
    pub errorcb: Option<EventCb>,
    pub cbarg: *mut c_void,
    pub timeout_read: timeval,
    pub timeout_write: timeval,
    pub enabled: c_short,
    // ---- the library's own state
    pub p: Private,
}

const _: () = assert!(std::mem::offset_of!(Bev, ev_read) == 16);
const _: () = assert!(std::mem::offset_of!(Bev, input) == 272);
const _: () = assert!(std::mem::offset_of!(Bev, readcb) == 320);
const _: () = assert!(std::mem::offset_of!(Bev, timeout_read) == 352);
const _: () = assert!(std::mem::offset_of!(Bev, enabled) == 384);
const _: () = assert!(std::mem::offset_of!(Bev, p) == 392);

pub struct Private {
    pub lock: *mut c_void,
    pub own_lock: bool,
    pub refcnt: c_int,
    pub options: c_int,
    pub readcb_pending: bool,
    pub writecb_pending: bool,
    pub eventcb_pending: c_short,
    pub errno_pending: c_int,
    pub read_suspended: u16,
    pub write_suspended: u16,
    /// A socket connect() is in progress.
    pub connecting: bool,
    /// A read saw ECONNREFUSED while connecting: the next write event reports it.
    pub connection_refused: bool,
    pub dns_error: c_int,
    /// The input callback that applies the read high-water mark, once one was set.
    pub read_wm_cb: *mut CbEntry,
    /// Runs the deferred callbacks from the loop: made the first time something is deferred
    /// (most socket bufferevents never need it).
    pub deferred: *mut Event,
    pub max_single_read: isize,
    pub max_single_write: isize,
    pub rate: *mut ratelim::RateLimit,
    /// connect_hostname's evdns lookup while it runs (bufferevent_free cancels it).
    pub lookup: *mut crate::dns::getaddrinfo::GaiHandle,
    pub kind: Kind,
}

fn errno() -> c_int {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn set_errno(e: c_int) {
    // SAFETY: errno is this thread's.
    unsafe { *libc::__errno_location() = e };
}

pub fn timerisset(tv: &timeval) -> bool {
    tv.tv_sec != 0 || tv.tv_usec != 0
}

/// Adds one of the bufferevent's events the way libevent's bufferevents do
/// (`bufferevent_add_event_`): a cleared timeval means "no timeout".
///
/// # Safety
/// `ev` is one of the bufferevent's assigned events; its base is alive.
pub unsafe fn add_event(ev: *mut Event, tv: &timeval) -> c_int {
    ev::add(ev, if timerisset(tv) { Some(tv) } else { None })
}

/// The input buffer of `b`: a shared borrow, enough for every evbuffer operation.
///
/// # Safety
/// `b` is a live bufferevent; the borrow must not outlive it.
pub unsafe fn input<'a>(b: *mut Bev) -> &'a Evbuffer {
    &*(*b).input
}

/// # Safety
/// As for `input`.
pub unsafe fn output<'a>(b: *mut Bev) -> &'a Evbuffer {
    &*(*b).output
}

// ---- creation ---------------------------------------------------------------------------------

/// Allocates a bufferevent with its buffers and its options checked
/// (`bufferevent_init_common_`); the caller sets up the transport (and ev_read/ev_write).
///
/// # Safety
/// `base` is NULL or alive.
pub unsafe fn new_common(base: *mut EventBase, ops: &'static Ops, kind: Kind, options: c_int) -> *mut Bev {
    if options & (BEV_OPT_DEFER_CALLBACKS | BEV_OPT_UNLOCK_CALLBACKS) == BEV_OPT_UNLOCK_CALLBACKS {
        log::warnx("UNLOCK_CALLBACKS requires DEFER_CALLBACKS");
        return ptr::null_mut();
    }
    // Each block may be refused by the program's malloc: then NULL, as libevent answers, and
    // whatever was made is dropped.
    let (Some(input), Some(output)) = (mem::try_box(Evbuffer::new()), mem::try_box(Evbuffer::new())) else {
        return ptr::null_mut();
    };
    let Some(b) = mem::try_box(Bev {
        ev_base: base,
        be_ops: ops,
        // SAFETY (both): an all-zero event is a valid "not initialised" one.
        ev_read: std::mem::zeroed(),
        ev_write: std::mem::zeroed(),
        // Set below, once the bufferevent's own block was given.
        input: ptr::null_mut(),
        output: ptr::null_mut(),
        wm_read: Watermark::default(),
        wm_write: Watermark::default(),
        readcb: None,
        writecb: None,
        errorcb: None,
        cbarg: ptr::null_mut(),
        timeout_read: timeval { tv_sec: 0, tv_usec: 0 },
        timeout_write: timeval { tv_sec: 0, tv_usec: 0 },
        // libevent starts with writing enabled.
        enabled: EV_WRITE,
        p: Private {
            lock: ptr::null_mut(),
            own_lock: false,
            refcnt: 1,
            options,
            readcb_pending: false,
            writecb_pending: false,
            eventcb_pending: 0,
            errno_pending: 0,
            read_suspended: 0,
            write_suspended: 0,
            connecting: false,
            connection_refused: false,
            dns_error: 0,
            read_wm_cb: ptr::null_mut(),
            deferred: ptr::null_mut(),
            max_single_read: MAX_SINGLE_DEFAULT,
            max_single_write: MAX_SINGLE_DEFAULT,
            rate: ptr::null_mut(),
            lookup: ptr::null_mut(),
            kind,
        },
    }) else {
        return ptr::null_mut();
    };
    let b = Box::into_raw(b);
    (*b).input = Box::into_raw(input);
    (*b).output = Box::into_raw(output);
    if options & BEV_OPT_THREADSAFE != 0 && enable_locking(b, ptr::null_mut()) < 0 {
        drop(Box::from_raw((*b).input));
        drop(Box::from_raw((*b).output));
        drop(Box::from_raw(b));
        return ptr::null_mut();
    }
    b
}

/// Gives `b` a lock (the given one, its underlying bufferevent's, or a new one), shares it with
/// its buffers, and passes it down to an underlying bufferevent that has none.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn enable_locking(b: *mut Bev, lock: *mut c_void) -> c_int {
    if !(*b).p.lock.is_null() {
        return -1;
    }
    let under = get_underlying(b);
    let (lock, own) = if !lock.is_null() {
        (lock, false)
    } else if !under.is_null() && !(*under).p.lock.is_null() {
        ((*under).p.lock, false)
    } else {
        let l = sync::lock_new();
        if l.is_null() {
            return -1;
        }
        (l, true)
    };
    (*b).p.lock = lock;
    (*b).p.own_lock = own;
    input(b).enable_locking(lock);
    output(b).enable_locking(lock);
    if !under.is_null() && (*under).p.lock.is_null() {
        enable_locking(under, lock);
    }
    0
}

// ---- locks and references ---------------------------------------------------------------------

/// # Safety
/// `b` is a live bufferevent.
#[inline]
pub unsafe fn lock(b: *mut Bev) {
    sync::lock((*b).p.lock)
}

/// # Safety
/// `b` is a live bufferevent whose lock this thread holds.
#[inline]
pub unsafe fn unlock(b: *mut Bev) {
    sync::unlock((*b).p.lock)
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn incref_and_lock(b: *mut Bev) {
    lock(b);
    (*b).p.refcnt += 1;
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn incref(b: *mut Bev) {
    incref_and_lock(b);
    unlock(b);
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn decref(b: *mut Bev) -> c_int {
    lock(b);
    decref_and_unlock(b) as c_int
}

/// Drops a reference (the lock is held) and releases the lock. The last reference takes the
/// bufferevent off the loop and hands it to a finalizer; true then.
///
/// # Safety
/// `b` is a live bufferevent whose lock this thread holds; after `true` it must not be used.
pub unsafe fn decref_and_unlock(b: *mut Bev) -> bool {
    if (*b).p.refcnt <= 0 {
        unlock(b);
        return false;
    }
    (*b).p.refcnt -= 1;
    if (*b).p.refcnt > 0 {
        unlock(b);
        return false;
    }
    match (*b).p.kind {
        Kind::Socket => {}
        Kind::Pair(_) => pair::unlink(b),
        Kind::Filter(_) => filter::unlink(b),
        Kind::Ssl(_) => ssl::unlink(b),
    }
    // Nothing of the bufferevent stays on the loop; the memory goes once the callback that may
    // be running now (this bufferevent's own, typically) has returned: ev_read carries the
    // finalizer, as in libevent. The others leave their lists without waiting for another
    // thread's callback: the finalizer runs after it anyway.
    ev::del(ptr::addr_of_mut!((*b).ev_write), DelMode::NoBlock);
    if !(*b).p.deferred.is_null() {
        ev::del((*b).p.deferred, DelMode::NoBlock);
    }
    if !(*b).p.rate.is_null() {
        ratelim::cancel_refill(b);
    }
    let rd = ptr::addr_of_mut!((*b).ev_read);
    if (*rd).base.is_null() {
        unlock(b);
        destroy(b);
    } else {
        ev::finalize(rd, Some(finalize_cb), false);
        unlock(b);
    }
    true
}

unsafe extern "C" fn finalize_cb(_ev: *mut Event, arg: *mut c_void) {
    destroy(arg as *mut Bev);
}

/// Releases everything: the transport's resources, the buffers, the rate limits, the memory;
/// then the reference held on an underlying bufferevent.
unsafe fn destroy(b: *mut Bev) {
    lock(b);
    let under = get_underlying(b);
    match (*b).p.kind {
        Kind::Socket => socket::destruct(b),
        Kind::Pair(_) => pair::destruct(b),
        Kind::Filter(_) => filter::destruct(b),
        Kind::Ssl(_) => ssl::destruct(b),
    }
    drop(Box::from_raw((*b).input));
    drop(Box::from_raw((*b).output));
    if !(*b).p.rate.is_null() {
        ratelim::destroy(b);
    }
    unlock(b);
    if (*b).p.own_lock {
        sync::lock_free((*b).p.lock);
    }
    ev::teardown(ptr::addr_of_mut!((*b).ev_read));
    ev::teardown(ptr::addr_of_mut!((*b).ev_write));
    if !(*b).p.deferred.is_null() {
        ev::teardown((*b).p.deferred);
        drop(Box::from_raw((*b).p.deferred));
    }
    drop(Box::from_raw(b));
    if !under.is_null() {
        decref(under);
    }
}

/// bufferevent_free(): no callback runs after this returns.
///
/// # Safety
/// `b` is a live bufferevent the program owns a reference to.
pub unsafe fn free(b: *mut Bev) {
    if matches!((*b).p.kind, Kind::Socket) {
        socket::cancel_lookup(b);
    }
    lock(b);
    setcb(b, None, None, None, ptr::null_mut());
    decref_and_unlock(b);
}

// ---- callbacks --------------------------------------------------------------------------------

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn setcb(
    b: *mut Bev,
    readcb: Option<DataCb>,
    writecb: Option<DataCb>,
    eventcb: Option<EventCb>,
    arg: *mut c_void,
) {
    lock(b);
    (*b).readcb = readcb;
    (*b).writecb = writecb;
    (*b).errorcb = eventcb;
    (*b).cbarg = arg;
    unlock(b);
}

/// The event that runs the deferred callbacks, made on first use on the base of the
/// bufferevent's events, at the middle priority (or the socket's).
unsafe fn deferred_event(b: *mut Bev) -> *mut Event {
    if (*b).p.deferred.is_null() {
        // SAFETY: all-zero is a "not initialised" event, assigned at once.
        let d = Box::into_raw(Box::new(std::mem::zeroed::<Event>()));
        ev::assign(d, (*b).ev_read.base, -1, 0, Some(deferred_cb), b as *mut c_void);
        if (*b).ev_read.flags & LIST_INIT != 0 && matches!((*b).p.kind, Kind::Socket | Kind::Ssl(_)) {
            (*d).pri = (*b).ev_read.pri;
        }
        (*b).p.deferred = d;
    }
    (*b).p.deferred
}

/// Schedules the deferred callbacks; the schedule holds a reference.
unsafe fn schedule_deferred(b: *mut Bev) {
    let d = deferred_event(b);
    if (*d).base.is_null() {
        // No loop to defer to (a 1.x bufferevent before bufferevent_base_set): run them now.
        incref(b);
        deferred_cb(-1, 0, b as *mut c_void);
        return;
    }
    if ev::schedule_deferred(d) {
        (*b).p.refcnt += 1;
    }
}

/// The read callback, now or from the loop (`bufferevent_run_readcb_`).
///
/// # Safety
/// `b` is a live bufferevent whose lock this thread holds, with a reference held.
pub unsafe fn run_readcb(b: *mut Bev, options: c_int) {
    let Some(cb) = (*b).readcb else { return };
    if ((*b).p.options | options) & BEV_OPT_DEFER_CALLBACKS != 0 {
        (*b).p.readcb_pending = true;
        schedule_deferred(b);
    } else {
        cb(b, (*b).cbarg);
        inbuf_wm_check(b);
    }
}

/// After a read callback that left the input at or above the high-water mark (so reading is
/// suspended), libevent 2.1 calls the read callback again, deferred, until the program drains
/// it: a program that takes one message per callback does not stall.
unsafe fn inbuf_wm_check(b: *mut Bev) {
    if (*b).wm_read.high != 0 && (*b).enabled & EV_READ != 0 && input(b).len() >= (*b).wm_read.high {
        trigger(b, EV_READ, BEV_OPT_DEFER_CALLBACKS);
    }
}

/// # Safety
/// As for `run_readcb`.
pub unsafe fn run_writecb(b: *mut Bev, options: c_int) {
    let Some(cb) = (*b).writecb else { return };
    if ((*b).p.options | options) & BEV_OPT_DEFER_CALLBACKS != 0 {
        (*b).p.writecb_pending = true;
        schedule_deferred(b);
    } else {
        cb(b, (*b).cbarg);
    }
}

/// The event callback; a deferred one sees the errno of the moment it was scheduled.
///
/// # Safety
/// As for `run_readcb`.
pub unsafe fn run_eventcb(b: *mut Bev, what: c_short, options: c_int) {
    let Some(cb) = (*b).errorcb else { return };
    if ((*b).p.options | options) & BEV_OPT_DEFER_CALLBACKS != 0 {
        (*b).p.eventcb_pending |= what;
        (*b).p.errno_pending = errno();
        schedule_deferred(b);
    } else {
        cb(b, what, (*b).cbarg);
    }
}

/// Calls the read and write callbacks when the buffers are past their low watermarks
/// (`bufferevent_trigger_nolock_`).
///
/// # Safety
/// As for `run_readcb`.
pub unsafe fn trigger_nolock(b: *mut Bev, iotype: c_short, options: c_int) {
    let ignore = options & BEV_TRIG_IGNORE_WATERMARKS != 0;
    if iotype & EV_READ != 0 && (ignore || input(b).len() >= (*b).wm_read.low) {
        run_readcb(b, options);
    }
    if iotype & EV_WRITE != 0 && (ignore || output(b).len() <= (*b).wm_write.low) {
        run_writecb(b, options);
    }
}

/// Calls the event callback from the deferred runner, unlocked around it if asked.
unsafe fn deferred_eventcb(b: *mut Bev, what: c_short, unlocked: bool) {
    if let Some(cb) = (*b).errorcb {
        let arg = (*b).cbarg;
        if unlocked {
            unlock(b);
        }
        cb(b, what, arg);
        if unlocked {
            lock(b);
        }
    }
}

unsafe fn deferred_data(b: *mut Bev, cb: DataCb, unlocked: bool) {
    let arg = (*b).cbarg;
    if unlocked {
        unlock(b);
    }
    cb(b, arg);
    if unlocked {
        lock(b);
    }
}

/// Runs what was deferred: a pending "connected" first, then read, write and other events.
/// Each callback is looked up afresh: the one before may have changed or cleared them.
unsafe extern "C" fn deferred_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let b = arg as *mut Bev;
    lock(b);
    let unlocked = (*b).p.options & BEV_OPT_UNLOCK_CALLBACKS != 0;
    if (*b).p.eventcb_pending & BEV_EVENT_CONNECTED != 0 && (*b).errorcb.is_some() {
        (*b).p.eventcb_pending &= !BEV_EVENT_CONNECTED;
        deferred_eventcb(b, BEV_EVENT_CONNECTED, unlocked);
    }
    if (*b).p.readcb_pending {
        if let Some(cb) = (*b).readcb {
            (*b).p.readcb_pending = false;
            deferred_data(b, cb, unlocked);
            inbuf_wm_check(b);
        }
    }
    if (*b).p.writecb_pending {
        if let Some(cb) = (*b).writecb {
            (*b).p.writecb_pending = false;
            deferred_data(b, cb, unlocked);
        }
    }
    if (*b).p.eventcb_pending != 0 && (*b).errorcb.is_some() {
        let what = (*b).p.eventcb_pending;
        let err = (*b).p.errno_pending;
        (*b).p.eventcb_pending = 0;
        (*b).p.errno_pending = 0;
        set_errno(err);
        deferred_eventcb(b, what, unlocked);
    }
    decref_and_unlock(b);
}

// ---- enabling and suspending ------------------------------------------------------------------

/// The transport's enable: start reading/writing what `what` says.
unsafe fn ops_enable(b: *mut Bev, what: c_short) -> c_int {
    match (*b).p.kind {
        Kind::Socket => socket::enable(b, what),
        Kind::Pair(_) => pair::enable(b, what),
        Kind::Filter(_) => filter::enable(b, what),
        Kind::Ssl(_) => ssl::enable(b, what),
    }
}

unsafe fn ops_disable(b: *mut Bev, what: c_short) -> c_int {
    match (*b).p.kind {
        Kind::Socket => socket::disable(b, what),
        Kind::Pair(_) => pair::disable(b, what),
        Kind::Filter(_) => filter::disable(b, what),
        Kind::Ssl(_) => ssl::disable(b, what),
    }
}

/// bufferevent_enable(): every bit is remembered (EV_CLOSED too); reading or writing starts
/// unless suspended.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn enable(b: *mut Bev, what: c_short) -> c_int {
    incref_and_lock(b);
    let mut act = what;
    if (*b).p.read_suspended != 0 {
        act &= !EV_READ;
    }
    if (*b).p.write_suspended != 0 {
        act &= !EV_WRITE;
    }
    (*b).enabled |= what;
    let mut r = 0;
    if act & (EV_READ | EV_WRITE) != 0 {
        if matches!((*b).p.kind, Kind::Socket | Kind::Ssl(_)) && !socket::fd_usable(b, act) {
            // libevent's epoll_ctl fails right away on a closed descriptor.
            r = -1;
        } else if ops_enable(b, act) < 0 {
            r = -1;
        }
    }
    decref_and_unlock(b);
    r
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn disable(b: *mut Bev, what: c_short) -> c_int {
    lock(b);
    (*b).enabled &= !what;
    let r = if ops_disable(b, what) < 0 { -1 } else { 0 };
    unlock(b);
    r
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn get_enabled(b: *mut Bev) -> c_short {
    lock(b);
    let e = (*b).enabled;
    unlock(b);
    e
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn suspend_read(b: *mut Bev, why: u16) {
    lock(b);
    if (*b).p.read_suspended == 0 {
        ops_disable(b, EV_READ);
    }
    (*b).p.read_suspended |= why;
    unlock(b);
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn unsuspend_read(b: *mut Bev, why: u16) {
    lock(b);
    (*b).p.read_suspended &= !why;
    if (*b).p.read_suspended == 0 && (*b).enabled & EV_READ != 0 {
        ops_enable(b, EV_READ);
    }
    unlock(b);
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn suspend_write(b: *mut Bev, why: u16) {
    lock(b);
    if (*b).p.write_suspended == 0 {
        ops_disable(b, EV_WRITE);
    }
    (*b).p.write_suspended |= why;
    unlock(b);
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn unsuspend_write(b: *mut Bev, why: u16) {
    lock(b);
    (*b).p.write_suspended &= !why;
    if (*b).p.write_suspended == 0 && (*b).enabled & EV_WRITE != 0 {
        ops_enable(b, EV_WRITE);
    }
    unlock(b);
}

// ---- watermarks -------------------------------------------------------------------------------

/// bufferevent_setwatermark(): a read high-water mark stops reading while the input holds that
/// much, and reading resumes once the program drains below it.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn setwatermark(b: *mut Bev, events: c_short, low: usize, high: usize) {
    lock(b);
    if events & EV_WRITE != 0 {
        (*b).wm_write = Watermark { low, high };
    }
    if events & EV_READ != 0 {
        (*b).wm_read = Watermark { low, high };
        let inb = input(b);
        if high != 0 {
            if (*b).p.read_wm_cb.is_null() {
                (*b).p.read_wm_cb = inb.add_cb(Some(inbuf_wm_cb), b as *mut c_void);
            }
            inb.cb_flags((*b).p.read_wm_cb, CB_ENABLED | CB_NODEFER, true);
            if inb.len() >= high {
                suspend_read(b, SUSPEND_WM);
            } else {
                unsuspend_read(b, SUSPEND_WM);
            }
        } else {
            if !(*b).p.read_wm_cb.is_null() {
                inb.cb_flags((*b).p.read_wm_cb, CB_ENABLED, false);
            }
            unsuspend_read(b, SUSPEND_WM);
        }
    }
    unlock(b);
}

/// bufferevent_getwatermark(): exactly one of EV_READ or EV_WRITE.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn getwatermark(b: *mut Bev, events: c_short) -> Option<Watermark> {
    lock(b);
    let r = if events == EV_WRITE {
        Some((*b).wm_write)
    } else if events == EV_READ {
        Some((*b).wm_read)
    } else {
        None
    };
    unlock(b);
    r
}

unsafe extern "C" fn inbuf_wm_cb(buf: *mut Evbuffer, _info: *const CbInfo, arg: *mut c_void) {
    let b = arg as *mut Bev;
    if (*buf).len() >= (*b).wm_read.high {
        suspend_read(b, SUSPEND_WM);
    } else {
        unsuspend_read(b, SUSPEND_WM);
    }
}

// ---- timeouts ---------------------------------------------------------------------------------

/// bufferevent_set_timeouts(): NULL clears a timeout; events already pending get the new one.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn set_timeouts(b: *mut Bev, tv_read: Option<&timeval>, tv_write: Option<&timeval>) -> c_int {
    lock(b);
    let zero = timeval { tv_sec: 0, tv_usec: 0 };
    (*b).timeout_read = *tv_read.unwrap_or(&zero);
    (*b).timeout_write = *tv_write.unwrap_or(&zero);
    let r = match (*b).p.kind {
        Kind::Socket => socket::adj_timeouts(b),
        Kind::Ssl(ref s) if s.underlying.is_null() => socket::adj_timeouts(b),
        _ => generic_adj_timeouts(b),
    };
    unlock(b);
    r
}

/// Pairs and filters: their ev_read/ev_write are plain timers (no descriptor) that report a
/// timeout when nothing moved for that long.
///
/// # Safety
/// `b` is a freshly made bufferevent.
pub unsafe fn init_generic_timeouts(b: *mut Bev) {
    let base = (*b).ev_base;
    ev::assign(ptr::addr_of_mut!((*b).ev_read), base, -1, EV_FINALIZE, Some(generic_read_timeout), b as *mut c_void);
    ev::assign(ptr::addr_of_mut!((*b).ev_write), base, -1, EV_FINALIZE, Some(generic_write_timeout), b as *mut c_void);
}

unsafe extern "C" fn generic_read_timeout(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let b = arg as *mut Bev;
    incref_and_lock(b);
    disable(b, EV_READ);
    run_eventcb(b, BEV_EVENT_TIMEOUT | BEV_EVENT_READING, 0);
    decref_and_unlock(b);
}

unsafe extern "C" fn generic_write_timeout(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let b = arg as *mut Bev;
    incref_and_lock(b);
    disable(b, EV_WRITE);
    run_eventcb(b, BEV_EVENT_TIMEOUT | BEV_EVENT_WRITING, 0);
    decref_and_unlock(b);
}

/// Restarts the read timer of a pair or filter, if it has a read timeout.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn reset_generic_read_timeout(b: *mut Bev) {
    let tv = (*b).timeout_read;
    if timerisset(&tv) {
        ev::add(ptr::addr_of_mut!((*b).ev_read), Some(&tv));
    }
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn reset_generic_write_timeout(b: *mut Bev) {
    let tv = (*b).timeout_write;
    if timerisset(&tv) {
        ev::add(ptr::addr_of_mut!((*b).ev_write), Some(&tv));
    }
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn del_generic_read_timeout(b: *mut Bev) {
    ev::del(ptr::addr_of_mut!((*b).ev_read), DelMode::NoBlock);
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn del_generic_write_timeout(b: *mut Bev) {
    ev::del(ptr::addr_of_mut!((*b).ev_write), DelMode::NoBlock);
}

/// Arms or clears the timers of a pair or filter after the timeouts changed.
unsafe fn generic_adj_timeouts(b: *mut Bev) -> c_int {
    let (tr, tw) = ((*b).timeout_read, (*b).timeout_write);
    let r1 = if (*b).enabled & EV_READ != 0 && (*b).p.read_suspended == 0 && timerisset(&tr) {
        ev::add(ptr::addr_of_mut!((*b).ev_read), Some(&tr))
    } else {
        ev::del(ptr::addr_of_mut!((*b).ev_read), DelMode::NoBlock)
    };
    let r2 = if (*b).enabled & EV_WRITE != 0 && (*b).p.write_suspended == 0 && timerisset(&tw) && !output(b).is_empty()
    {
        ev::add(ptr::addr_of_mut!((*b).ev_write), Some(&tw))
    } else {
        ev::del(ptr::addr_of_mut!((*b).ev_write), DelMode::NoBlock)
    };
    if r1 < 0 || r2 < 0 {
        -1
    } else {
        0
    }
}

// ---- data -------------------------------------------------------------------------------------

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn write(b: *mut Bev, data: &[u8]) -> c_int {
    if output(b).add(data).is_err() {
        -1
    } else {
        0
    }
}

/// # Safety
/// `b` is a live bufferevent, `buf` a live evbuffer.
pub unsafe fn write_buffer(b: *mut Bev, buf: &Evbuffer) -> c_int {
    if output(b).add_buffer(buf).is_err() {
        -1
    } else {
        0
    }
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn read(b: *mut Bev, out: &mut [u8]) -> usize {
    input(b).remove(out) as usize
}

/// # Safety
/// `b` is a live bufferevent, `buf` a live evbuffer.
pub unsafe fn read_buffer(b: *mut Bev, buf: &Evbuffer) -> c_int {
    if buf.add_buffer(input(b)).is_err() {
        -1
    } else {
        0
    }
}

/// bufferevent_flush(): what it means depends on the transport.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn flush(b: *mut Bev, iotype: c_short, mode: c_int) -> c_int {
    lock(b);
    let r = match (*b).p.kind {
        // libevent 2.1's OpenSSL bufferevent has no flush either.
        Kind::Socket | Kind::Ssl(_) => 0,
        Kind::Pair(_) => pair::flush(b, iotype, mode),
        Kind::Filter(_) => filter::flush(b, iotype, mode),
    };
    unlock(b);
    r
}

/// bufferevent_trigger(): the data callbacks as if data had moved.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn trigger(b: *mut Bev, iotype: c_short, options: c_int) {
    incref_and_lock(b);
    trigger_nolock(b, iotype, options);
    decref_and_unlock(b);
}

/// bufferevent_trigger_event(): the event callback with `what`.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn trigger_event(b: *mut Bev, what: c_short, options: c_int) {
    incref_and_lock(b);
    run_eventcb(b, what, options);
    decref_and_unlock(b);
}

// ---- the transport's descriptor and the layer below -------------------------------------------

/// bufferevent_getfd(): a socket's descriptor, a filter's underlying one, else -1.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn getfd(b: *mut Bev) -> c_int {
    lock(b);
    let fd = match (*b).p.kind {
        Kind::Socket => (*b).ev_read.fd,
        Kind::Pair(_) => -1,
        Kind::Filter(ref f) => {
            if f.underlying.is_null() {
                -1
            } else {
                getfd(f.underlying)
            }
        }
        Kind::Ssl(_) => ssl::getfd(b),
    };
    unlock(b);
    fd
}

/// bufferevent_setfd(): sockets (and filters over one) only; -1 otherwise.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn setfd(b: *mut Bev, fd: c_int) -> c_int {
    lock(b);
    let r = match (*b).p.kind {
        Kind::Socket => {
            socket::setfd(b, fd);
            0
        }
        Kind::Pair(_) => -1,
        Kind::Filter(ref f) => {
            if f.underlying.is_null() {
                -1
            } else {
                setfd(f.underlying, fd)
            }
        }
        Kind::Ssl(_) => ssl::setfd(b, fd),
    };
    unlock(b);
    r
}

/// bufferevent_replacefd() (libevent 2.2): as setfd, but the descriptor the bufferevent had is
/// closed first (whatever its options, as in libevent; not when it is `fd` itself). Callbacks,
/// buffers and what was enabled are kept. -1 for a pair, or a filter over nothing.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn replacefd(b: *mut Bev, fd: c_int) -> c_int {
    lock(b);
    let r = match (*b).p.kind {
        Kind::Pair(_) => -1,
        Kind::Filter(ref f) => {
            if f.underlying.is_null() {
                -1
            } else {
                replacefd(f.underlying, fd)
            }
        }
        Kind::Socket | Kind::Ssl(_) => {
            let old = getfd(b);
            if old >= 0 && old != fd && libc::close(old) != 0 {
                -1
            } else {
                setfd(b, fd)
            }
        }
    };
    unlock(b);
    r
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn get_underlying(b: *mut Bev) -> *mut Bev {
    match (*b).p.kind {
        Kind::Filter(ref f) => f.underlying,
        Kind::Ssl(ref s) => s.underlying,
        _ => ptr::null_mut(),
    }
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn get_base(b: *mut Bev) -> *mut EventBase {
    lock(b);
    let base = (*b).ev_base;
    unlock(b);
    base
}

/// bufferevent_get_priority(): the events' priority, or the base's middle one.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn get_priority(b: *mut Bev) -> c_int {
    if (*b).ev_read.flags & LIST_INIT != 0 {
        (*b).ev_read.pri as c_int
    } else {
        let base = ev::or_current((*b).ev_base);
        base.as_ref().map_or(0, |bb| (bb.queues.len() / 2) as c_int)
    }
}
