//! Filtering bufferevents: a layer over another bufferevent ("underlying") that passes the
//! bytes each way through the program's filter functions. The filter takes over the underlying
//! bufferevent's callbacks, holds a reference on it, and keeps it from reading until the filter
//! itself is enabled for reading.
use super::*;
use crate::buffer::callbacks::CbFunc;

pub type FilterFn = unsafe extern "C" fn(*mut Evbuffer, *mut Evbuffer, isize, c_int, *mut c_void) -> c_int;
pub type FreeContextFn = unsafe extern "C" fn(*mut c_void);

pub const BEV_OK: c_int = 0;
pub const BEV_NEED_MORE: c_int = 1;
pub const BEV_ERROR: c_int = 2;

pub struct FilterState {
    pub underlying: *mut Bev,
    outbuf_cb: *mut CbEntry,
    inbuf_cb: *mut CbEntry,
    got_eof: bool,
    free_context: Option<FreeContextFn>,
    process_in: FilterFn,
    process_out: FilterFn,
    context: *mut c_void,
}

unsafe fn state<'a>(b: *mut Bev) -> &'a mut FilterState {
    match (*b).p.kind {
        Kind::Filter(ref mut s) => s,
        _ => unreachable!("a filter operation on another kind of bufferevent"),
    }
}

/// The filter used for a direction the program gave none for: moves the bytes unchanged.
unsafe extern "C" fn null_filter(
    src: *mut Evbuffer,
    dst: *mut Evbuffer,
    limit: isize,
    _mode: c_int,
    _ctx: *mut c_void,
) -> c_int {
    let n = if limit < 0 { usize::MAX } else { limit as usize };
    if (*src).remove_buffer(&*dst, n) >= 0 {
        BEV_OK
    } else {
        BEV_ERROR
    }
}

/// bufferevent_filter_new().
///
/// # Safety
/// `under` is a live bufferevent.
pub unsafe fn new(
    under: *mut Bev,
    input_filter: Option<FilterFn>,
    output_filter: Option<FilterFn>,
    options: c_int,
    free_context: Option<FreeContextFn>,
    ctx: *mut c_void,
) -> *mut Bev {
    let st = FilterState {
        underlying: under,
        outbuf_cb: ptr::null_mut(),
        inbuf_cb: ptr::null_mut(),
        got_eof: false,
        free_context,
        process_in: input_filter.unwrap_or(null_filter),
        process_out: output_filter.unwrap_or(null_filter),
        context: ctx,
    };
    let b = new_common((*under).ev_base, &FILTER_OPS, Kind::Filter(Box::new(st)), options & !BEV_OPT_THREADSAFE);
    if b.is_null() {
        return b;
    }
    if options & BEV_OPT_THREADSAFE != 0 {
        enable_locking(b, ptr::null_mut());
    }
    setcb(under, Some(under_readcb), Some(under_writecb), Some(under_eventcb), b as *mut c_void);
    state(b).outbuf_cb = output(b).add_cb(Some(outbuf_cb as CbFunc), b as *mut c_void);
    // Drained below the high-water mark while the underlying still holds data: go on.
    let ib = input(b).add_cb(Some(inbuf_cb as CbFunc), b as *mut c_void);
    input(b).cb_flags(ib, CB_ENABLED, false);
    state(b).inbuf_cb = ib;
    init_generic_timeouts(b);
    incref(under);
    super::enable(under, EV_READ | EV_WRITE);
    suspend_read(under, SUSPEND_FILT_READ);
    b
}

fn mode_of(got_eof: bool) -> c_int {
    if got_eof {
        BEV_FINISHED
    } else {
        BEV_NORMAL
    }
}

unsafe fn readbuf_full(b: *mut Bev, mode: c_int) -> bool {
    mode == BEV_NORMAL && (*b).wm_read.high != 0 && input(b).len() >= (*b).wm_read.high
}

unsafe fn under_writebuf_full(b: *mut Bev, mode: c_int) -> bool {
    let u = state(b).underlying;
    mode == BEV_NORMAL && (*u).wm_write.high != 0 && output(u).len() >= (*u).wm_write.high
}

/// Runs the input filter while it makes progress and there is room; sets `processed`.
unsafe fn process_input(b: *mut Bev, mode: c_int, processed: &mut bool) -> c_int {
    if mode == BEV_NORMAL && ((*b).enabled & EV_READ == 0 || readbuf_full(b, mode)) {
        return BEV_OK;
    }
    let u = state(b).underlying;
    let mut res;
    loop {
        let limit = if mode == BEV_NORMAL && (*b).wm_read.high != 0 {
            (*b).wm_read.high as isize - input(b).len() as isize
        } else {
            -1
        };
        let f = state(b).process_in;
        let ctx = state(b).context;
        res = f((*u).input, (*b).input, limit, mode, ctx);
        if res == BEV_OK {
            *processed = true;
        }
        if res != BEV_OK || (*b).enabled & EV_READ == 0 || input(u).is_empty() || readbuf_full(b, mode) {
            break;
        }
    }
    if *processed {
        reset_generic_read_timeout(b);
    }
    res
}

/// Runs the output filter while there is output and room below; calls the write callback.
unsafe fn process_output(b: *mut Bev, mode: c_int, processed: &mut bool) -> c_int {
    if mode == BEV_NORMAL && ((*b).enabled & EV_WRITE == 0 || under_writebuf_full(b, mode) || output(b).is_empty()) {
        return BEV_OK;
    }
    let u = state(b).underlying;
    let cb = state(b).outbuf_cb;
    // What the filter adds below must not bring us back here.
    output(b).cb_flags(cb, CB_ENABLED, false);
    let mut res;
    loop {
        let mut any = false;
        loop {
            let limit = if mode == BEV_NORMAL && (*u).wm_write.high != 0 {
                (*u).wm_write.high as isize - output(u).len() as isize
            } else {
                -1
            };
            let f = state(b).process_out;
            let ctx = state(b).context;
            res = f((*b).output, (*u).output, limit, mode, ctx);
            if res == BEV_OK {
                any = true;
                *processed = true;
            }
            if res != BEV_OK || (*b).enabled & EV_WRITE == 0 || output(b).is_empty() || under_writebuf_full(b, mode) {
                break;
            }
        }
        let mut again = false;
        if any {
            trigger_nolock(b, EV_WRITE, 0);
            again =
                res == BEV_OK && (*b).enabled & EV_WRITE != 0 && !output(b).is_empty() && !under_writebuf_full(b, mode);
        }
        if !again {
            break;
        }
    }
    output(b).cb_flags(cb, CB_ENABLED, true);
    if *processed {
        reset_generic_write_timeout(b);
    }
    res
}

/// The program added to the filter's output: filter it down if we may.
unsafe extern "C" fn outbuf_cb(_buf: *mut Evbuffer, info: *const CbInfo, arg: *mut c_void) {
    let b = arg as *mut Bev;
    if (*info).n_added > 0 {
        let mut any = false;
        incref_and_lock(b);
        process_output(b, BEV_NORMAL, &mut any);
        decref_and_unlock(b);
    }
}

/// The program drained the filter's input: pull what waits in the underlying input.
unsafe extern "C" fn inbuf_cb(_buf: *mut Evbuffer, _info: *const CbInfo, arg: *mut c_void) {
    let b = arg as *mut Bev;
    incref_and_lock(b);
    let mode = mode_of(state(b).got_eof);
    if !readbuf_full(b, mode) {
        let ib = state(b).inbuf_cb;
        input(b).cb_flags(ib, CB_ENABLED, false);
        let u = state(b).underlying;
        if !u.is_null() && !input(u).is_empty() {
            read_nolock(u, b);
        }
    }
    decref_and_unlock(b);
}

unsafe fn read_nolock(u: *mut Bev, b: *mut Bev) {
    if (*b).p.refcnt <= 0 {
        return;
    }
    let mode = mode_of(state(b).got_eof);
    let mut any = false;
    process_input(b, mode, &mut any);
    if any {
        trigger_nolock(b, EV_READ, 0);
        if !input(u).is_empty() && readbuf_full(b, mode) {
            // Data is left below and our input is full: resume when the program drains it.
            let ib = state(b).inbuf_cb;
            input(b).cb_flags(ib, CB_ENABLED, true);
        }
    }
}

/// The underlying bufferevent read something.
unsafe extern "C" fn under_readcb(u: *mut Bev, arg: *mut c_void) {
    let b = arg as *mut Bev;
    incref_and_lock(b);
    read_nolock(u, b);
    decref_and_unlock(b);
}

/// The underlying bufferevent's output drained enough to take more.
unsafe extern "C" fn under_writecb(_u: *mut Bev, arg: *mut c_void) {
    let b = arg as *mut Bev;
    incref_and_lock(b);
    if (*b).p.refcnt > 1 {
        let mut any = false;
        process_output(b, BEV_NORMAL, &mut any);
    }
    decref_and_unlock(b);
}

/// Something happened below: all we can do is tell our own event callback.
unsafe extern "C" fn under_eventcb(_u: *mut Bev, what: c_short, arg: *mut c_void) {
    let b = arg as *mut Bev;
    incref_and_lock(b);
    if (*b).p.refcnt > 1 {
        run_eventcb(b, what, 0);
    }
    decref_and_unlock(b);
}

/// # Safety
/// `b` is a live filter bufferevent.
pub unsafe fn enable(b: *mut Bev, what: c_short) -> c_int {
    if what & EV_WRITE != 0 {
        reset_generic_write_timeout(b);
    }
    if what & EV_READ != 0 {
        reset_generic_read_timeout(b);
        unsuspend_read(state(b).underlying, SUSPEND_FILT_READ);
    }
    0
}

/// # Safety
/// `b` is a live filter bufferevent.
pub unsafe fn disable(b: *mut Bev, what: c_short) -> c_int {
    if what & EV_WRITE != 0 {
        del_generic_write_timeout(b);
    }
    if what & EV_READ != 0 {
        del_generic_read_timeout(b);
        suspend_read(state(b).underlying, SUSPEND_FILT_READ);
    }
    0
}

/// bufferevent_flush() on a filter: runs the filters in the given mode, then flushes below.
/// Returns whether anything was filtered.
///
/// # Safety
/// `b` is a live filter bufferevent whose lock is held.
pub unsafe fn flush(b: *mut Bev, iotype: c_short, mode: c_int) -> c_int {
    let mut any = false;
    incref_and_lock(b);
    if iotype & EV_READ != 0 {
        process_input(b, mode, &mut any);
    }
    if iotype & EV_WRITE != 0 {
        process_output(b, mode, &mut any);
    }
    let u = state(b).underlying;
    super::flush(u, iotype, mode);
    decref_and_unlock(b);
    any as c_int
}

/// The filter's last reference went.
///
/// # Safety
/// `b` is a filter bufferevent whose last reference just went.
pub unsafe fn unlink(b: *mut Bev) {
    release_underlying(b, state(b).underlying, under_eventcb);
}

/// What a bufferevent stacked on `u` (a filter, an OpenSSL one in filter mode) does when its
/// last reference goes: with BEV_OPT_CLOSE_ON_FREE `u` is freed too; otherwise `u` loses the
/// callbacks we set on it (`our_eventcb` tells them apart) and is free to read again.
///
/// # Safety
/// `b` is such a bufferevent whose last reference just went; `u` is NULL or its live underlying.
pub unsafe fn release_underlying(b: *mut Bev, u: *mut Bev, our_eventcb: EventCb) {
    if u.is_null() {
        return;
    }
    if (*b).p.options & BEV_OPT_CLOSE_ON_FREE != 0 {
        if (*u).p.refcnt < 2 {
            log::warnx("BEV_OPT_CLOSE_ON_FREE set on an bufferevent with too few references");
        } else {
            free(u);
        }
    } else {
        if (*u).errorcb.map(|f| f as usize) == Some(our_eventcb as usize) {
            setcb(u, None, None, None, ptr::null_mut());
        }
        unsuspend_read(u, SUSPEND_FILT_READ);
    }
}

/// Releases the program's context and our callbacks on the buffers.
///
/// # Safety
/// `b` is a filter bufferevent being destroyed.
pub unsafe fn destruct(b: *mut Bev) {
    let (free_context, ctx, ib, ob) = {
        let st = state(b);
        (st.free_context, st.context, st.inbuf_cb, st.outbuf_cb)
    };
    if let Some(f) = free_context {
        f(ctx);
    }
    if !ib.is_null() {
        input(b).remove_cb_entry(ib);
    }
    if !ob.is_null() {
        output(b).remove_cb_entry(ob);
    }
}
