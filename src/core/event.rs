//! `struct event`: the program owns its 128 bytes (event_assign() on its own memory), so all of
//! an event's state lives inside them, at the offsets libevent's headers give the public fields.
//! The library points at an event only while it is added or active.
use crate::core::base::EventBase;
use libc::{c_int, c_short, c_void, timeval};

pub const EV_TIMEOUT: c_short = 0x01;
pub const EV_READ: c_short = 0x02;
pub const EV_WRITE: c_short = 0x04;
pub const EV_SIGNAL: c_short = 0x08;
pub const EV_PERSIST: c_short = 0x10;
pub const EV_ET: c_short = 0x20;
pub const EV_FINALIZE: c_short = 0x40;
pub const EV_CLOSED: c_short = 0x80;
pub const EV_IO: c_short = EV_READ | EV_WRITE | EV_CLOSED;

// Where the event is (the ev_flags bits of libevent's headers).
pub const LIST_TIMEOUT: c_short = 0x01;
pub const LIST_INSERTED: c_short = 0x02;
pub const LIST_SIGNAL: c_short = 0x04;
pub const LIST_ACTIVE: c_short = 0x08;
pub const LIST_INTERNAL: c_short = 0x10;
pub const LIST_ACTIVE_LATER: c_short = 0x20;
pub const LIST_FINALIZING: c_short = 0x40;
pub const LIST_INIT: c_short = 0x80;

// How the callback is invoked (libevent's closure numbers).
pub const CLOSURE_EVENT: u8 = 0;
pub const CLOSURE_SIGNAL: u8 = 1;
pub const CLOSURE_PERSIST: u8 = 2;
pub const CLOSURE_FINALIZE: u8 = 5;
pub const CLOSURE_FINALIZE_FREE: u8 = 6;

pub type EventCallbackFn = unsafe extern "C" fn(c_int, c_short, *mut c_void);
pub type FinalizeFn = unsafe extern "C" fn(*mut Event, *mut c_void);

#[repr(C)]
pub struct Event {
    // event_callback part (40 bytes)
    pub active_next: *mut Event, // @0
    pub active_prev: *mut Event, // @8
    pub flags: c_short,          // @16
    pub pri: u8,                 // @18
    pub closure: u8,             // @19
    _pad0: u32,
    /// The callback: an EventCallbackFn, or a FinalizeFn once finalizing.
    pub cb: usize, // @24
    pub arg: *mut c_void, // @32
    /// Index in the timer heap, -1 when not there.
    pub heap_idx: c_int, // @40
    _pad1: c_int,
    /// The interval of a persistent event's timeout, in microseconds (0: none).
    pub persist_us: i64, // @48
    pub fd: c_int, // @56
    _pad2: c_int,
    pub base: *mut EventBase, // @64
    // the list of events on the same fd or signal
    pub list_next: *mut Event, // @72
    pub list_prev: *mut Event, // @80
    /// Signal deliveries still to report, and where the running signal loop counts them.
    pub ncalls: c_short, // @88
    _pad3: [u8; 6],
    pub pncalls: *mut c_short, // @96
    pub events: c_short,       // @104
    pub res: c_short,          // @106
    _pad4: c_int,
    /// The absolute deadline on the monotonic clock, when LIST_TIMEOUT is set.
    pub timeout: timeval, // @112
}

const _: () = assert!(std::mem::size_of::<Event>() == 128);

impl Event {
    /// Sets up the event's 128 bytes as event_assign() does; nothing else refers to them.
    ///
    /// # Safety
    /// `this` points at a writable, aligned `Event` that is on no list of any base; `cb` is 0 or
    /// the address of an `EventCallbackFn`.
    pub unsafe fn assign(
        this: *mut Event,
        base: *mut EventBase,
        fd: c_int,
        events: c_short,
        cb: usize,
        arg: *mut c_void,
        pri: u8,
    ) {
        std::ptr::write_bytes(this as *mut u8, 0, std::mem::size_of::<Event>());
        let e = &mut *this;
        e.base = base;
        e.fd = fd;
        e.events = events;
        e.cb = cb;
        e.arg = arg;
        e.flags = LIST_INIT;
        e.heap_idx = -1;
        e.pri = pri;
        e.closure = if events & EV_SIGNAL != 0 {
            CLOSURE_SIGNAL
        } else if events & EV_PERSIST != 0 {
            CLOSURE_PERSIST
        } else {
            CLOSURE_EVENT
        };
    }

    /// What event_pending() reports before masking: the kinds it is added for, its pending
    /// result when active, and EV_TIMEOUT while a timeout is armed.
    pub fn pending_flags(&self) -> c_short {
        let mut flags = 0;
        if self.flags & LIST_INSERTED != 0 {
            flags |= self.events & (EV_IO | EV_SIGNAL);
        }
        if self.flags & (LIST_ACTIVE | LIST_ACTIVE_LATER) != 0 {
            flags |= self.res;
        }
        if self.flags & LIST_TIMEOUT != 0 {
            flags |= EV_TIMEOUT;
        }
        flags
    }

    #[inline]
    pub fn callback(&self) -> Option<EventCallbackFn> {
        // SAFETY: cb holds 0 or a function pointer stored from an EventCallbackFn.
        (self.cb != 0).then(|| unsafe { std::mem::transmute::<usize, EventCallbackFn>(self.cb) })
    }
}
