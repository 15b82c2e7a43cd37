//! ev_once(): a one-shot wait for a descriptor and/or a timeout, without a watcher of the
//! program's. The record holds an io and a timer watcher; whichever fires first stops both,
//! frees the record, then calls the program.
use crate::libev::evloop::{st, EvLoop};
use crate::libev::watcher::*;
use crate::libev::{alloc, io, timer};
use libc::{c_int, c_void};
use std::ptr;

pub type OnceCb = Option<unsafe extern "C" fn(c_int, *mut c_void)>;

#[repr(C)]
struct OnceRec {
    io: Io,
    to: Timer,
    cb: OnceCb,
    arg: *mut c_void,
    allocator: usize,
}

pub unsafe fn once(lp: *mut EvLoop, fd: c_int, events: c_int, timeout: Tstamp, cb: OnceCb, arg: *mut c_void) {
    let allocator = alloc::current();
    let o = alloc::alloc::<OnceRec>(allocator);
    ptr::write_bytes(o, 0, 1);
    (*o).allocator = allocator;
    (*o).cb = cb;
    (*o).arg = arg;
    (*o).io.wl.w.cb = Some(std::mem::transmute::<
        unsafe extern "C" fn(*mut EvLoop, *mut Io, c_int),
        unsafe extern "C" fn(*mut EvLoop, *mut Watcher, c_int),
    >(on_io));
    (*o).to.w.cb = Some(std::mem::transmute::<
        unsafe extern "C" fn(*mut EvLoop, *mut Timer, c_int),
        unsafe extern "C" fn(*mut EvLoop, *mut Watcher, c_int),
    >(on_timeout));
    if fd >= 0 {
        (*o).io.fd = fd;
        (*o).io.events = events | EV_IOFDSET;
        io::start(lp, ptr::addr_of_mut!((*o).io));
    }
    if timeout >= 0.0 {
        (*o).to.at = timeout;
        (*o).to.repeat = 0.0;
        timer::start(lp, ptr::addr_of_mut!((*o).to));
    }
}

unsafe fn fire(lp: *mut EvLoop, o: *mut OnceRec, revents: c_int) {
    let (cb, arg) = ((*o).cb, (*o).arg);
    io::stop(lp, ptr::addr_of_mut!((*o).io));
    timer::stop(lp, ptr::addr_of_mut!((*o).to));
    alloc::free((*o).allocator, o);
    if let Some(cb) = cb {
        cb(revents, arg);
    }
}

unsafe extern "C" fn on_io(lp: *mut EvLoop, w: *mut Io, revents: c_int) {
    // The io watcher is the record's first field.
    let o = w as *mut OnceRec;
    let extra = st(lp).clear_pending(ptr::addr_of_mut!((*o).to) as *mut Watcher);
    fire(lp, o, revents | extra);
}

unsafe extern "C" fn on_timeout(lp: *mut EvLoop, w: *mut Timer, revents: c_int) {
    let o = (w as *mut u8).sub(std::mem::offset_of!(OnceRec, to)) as *mut OnceRec;
    let extra = st(lp).clear_pending(ptr::addr_of_mut!((*o).io) as *mut Watcher);
    fire(lp, o, revents | extra);
}
