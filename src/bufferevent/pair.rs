//! Bufferevent pairs: two bufferevents whose outputs feed each other's inputs in memory.
//! Callbacks of pairs are always deferred (libevent forces BEV_OPT_DEFER_CALLBACKS), so data
//! written on one side reaches the other side's read callback from the loop, never from inside
//! the write.
use super::*;
use crate::core::base::EventBase;

pub struct PairState {
    pub partner: *mut Bev,
    /// The partner we had before unlinking, to hand it the shared lock when we go.
    pub unlinked_partner: *mut Bev,
}

unsafe fn state<'a>(b: *mut Bev) -> &'a mut PairState {
    match (*b).p.kind {
        Kind::Pair(ref mut s) => s,
        _ => unreachable!("a pair operation on another kind of bufferevent"),
    }
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn partner_of(b: *mut Bev) -> *mut Bev {
    state(b).partner
}

unsafe fn new_one(base: *mut EventBase, options: c_int) -> *mut Bev {
    let b = new_common(
        base,
        &PAIR_OPS,
        Kind::Pair(PairState { partner: ptr::null_mut(), unlinked_partner: ptr::null_mut() }),
        options,
    );
    if b.is_null() {
        return b;
    }
    output(b).add_cb(Some(outbuf_cb), b as *mut c_void);
    init_generic_timeouts(b);
    b
}

/// bufferevent_pair_new(): with BEV_OPT_THREADSAFE the two share one lock.
///
/// # Safety
/// `base` is alive.
pub unsafe fn new(base: *mut EventBase, options: c_int) -> Option<[*mut Bev; 2]> {
    let options = options | BEV_OPT_DEFER_CALLBACKS;
    let a = new_one(base, options);
    if a.is_null() {
        return None;
    }
    let b = new_one(base, options & !BEV_OPT_THREADSAFE);
    if b.is_null() {
        free(a);
        return None;
    }
    if options & BEV_OPT_THREADSAFE != 0 {
        enable_locking(b, (*a).p.lock);
    }
    state(a).partner = b;
    state(b).partner = a;
    for x in [a, b] {
        input(x).freeze(false);
        output(x).freeze(true);
    }
    Some([a, b])
}

/// Locks `b` and its partner, with a reference on each.
unsafe fn hold(b: *mut Bev) {
    incref_and_lock(b);
    let p = state(b).partner;
    if !p.is_null() {
        incref_and_lock(p);
    }
}

unsafe fn release(b: *mut Bev) {
    let p = state(b).partner;
    if !p.is_null() {
        decref_and_unlock(p);
    }
    decref_and_unlock(b);
}

/// Whether `src` has something to give that `dst` will take now.
unsafe fn wants_to_talk(src: *mut Bev, dst: *mut Bev) -> bool {
    (*src).enabled & EV_WRITE != 0
        && (*dst).enabled & EV_READ != 0
        && (*dst).p.read_suspended == 0
        && !output(src).is_empty()
}

/// Moves `src`'s output into `dst`'s input, up to `dst`'s high-water mark unless `ignore_wm`.
unsafe fn transfer(src: *mut Bev, dst: *mut Bev, ignore_wm: bool) {
    let (out, inb) = (output(src), input(dst));
    out.unfreeze(true);
    inb.unfreeze(false);
    let mut moved = true;
    let n;
    if (*dst).wm_read.high != 0 {
        let have = inb.len();
        if have < (*dst).wm_read.high {
            n = (*dst).wm_read.high - have;
            out.remove_buffer(inb, n);
        } else if ignore_wm {
            n = out.len();
            let _ = inb.add_buffer(out);
        } else {
            moved = false;
            n = 0;
        }
    } else {
        n = out.len();
        let _ = inb.add_buffer(out);
    }
    if moved {
        if n > 0 {
            reset_generic_read_timeout(dst);
            if !output(dst).is_empty() {
                reset_generic_write_timeout(dst);
            } else {
                del_generic_write_timeout(dst);
            }
        }
        trigger_nolock(dst, EV_READ, 0);
        trigger_nolock(src, EV_WRITE, 0);
    }
    out.freeze(true);
    inb.freeze(false);
}

unsafe extern "C" fn outbuf_cb(_buf: *mut Evbuffer, info: *const CbInfo, arg: *mut c_void) {
    let b = arg as *mut Bev;
    hold(b);
    let p = state(b).partner;
    if (*info).n_added > (*info).n_deleted && !p.is_null() && wants_to_talk(b, p) {
        transfer(b, p, false);
    }
    release(b);
}

/// # Safety
/// `b` is a live pair bufferevent.
pub unsafe fn enable(b: *mut Bev, what: c_short) -> c_int {
    hold(b);
    if what & EV_READ != 0 {
        reset_generic_read_timeout(b);
    }
    if what & EV_WRITE != 0 && !output(b).is_empty() {
        reset_generic_write_timeout(b);
    }
    let p = state(b).partner;
    // Starting to read: does the other side have something for us? Starting to write: does
    // the other side want it?
    if what & EV_READ != 0 && !p.is_null() && wants_to_talk(p, b) {
        transfer(p, b, false);
    }
    if what & EV_WRITE != 0 && !p.is_null() && wants_to_talk(b, p) {
        transfer(b, p, false);
    }
    release(b);
    0
}

/// # Safety
/// `b` is a live pair bufferevent.
pub unsafe fn disable(b: *mut Bev, what: c_short) -> c_int {
    if what & EV_READ != 0 {
        del_generic_read_timeout(b);
    }
    if what & EV_WRITE != 0 {
        del_generic_write_timeout(b);
    }
    0
}

/// The last reference went: the partner goes on alone (it hears of nothing).
///
/// # Safety
/// `b` is a pair bufferevent whose last reference just went.
pub unsafe fn unlink(b: *mut Bev) {
    let p = state(b).partner;
    if !p.is_null() {
        state(b).unlinked_partner = p;
        state(p).partner = ptr::null_mut();
        state(b).partner = ptr::null_mut();
    }
}

/// The shared lock belongs to whichever side is destroyed last.
///
/// # Safety
/// `b` is a pair bufferevent being destroyed.
pub unsafe fn destruct(b: *mut Bev) {
    let up = state(b).unlinked_partner;
    if !up.is_null() && (*b).p.own_lock {
        (*up).p.own_lock = true;
        (*b).p.own_lock = false;
    }
    state(b).unlinked_partner = ptr::null_mut();
}

/// bufferevent_flush() on a pair: BEV_FLUSH/BEV_FINISHED move everything regardless of
/// watermarks; BEV_FINISHED also tells the partner of an end of file.
///
/// # Safety
/// `b` is a live pair bufferevent whose lock is held.
pub unsafe fn flush(b: *mut Bev, iotype: c_short, mode: c_int) -> c_int {
    if state(b).partner.is_null() {
        return -1;
    }
    if mode == BEV_NORMAL {
        return 0;
    }
    hold(b);
    let p = state(b).partner;
    if iotype & EV_READ != 0 {
        transfer(p, b, true);
    }
    if iotype & EV_WRITE != 0 {
        transfer(b, p, true);
    }
    if mode == BEV_FINISHED {
        let mut what = BEV_EVENT_EOF;
        if iotype & EV_READ != 0 {
            what |= BEV_EVENT_WRITING;
        }
        if iotype & EV_WRITE != 0 {
            what |= BEV_EVENT_READING;
        }
        run_eventcb(p, what, 0);
    }
    release(b);
    0
}
