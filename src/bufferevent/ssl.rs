//! OpenSSL bufferevents (`event2/bufferevent_ssl.h`): the input and output buffers carry the
//! plain text, and an `SSL` object carries the records, in one of two ways:
//!
//! - socket mode: OpenSSL reads and writes the descriptor itself (a socket BIO); ev_read and
//!   ev_write watch the descriptor and run the handshake or move data, by the SSL's state;
//! - filter mode: a BIO of ours reads the records from another bufferevent's input and writes
//!   them to its output; that bufferevent's callbacks drive us, as for a filter, and ev_read and
//!   ev_write are only the read and write timers.
//!
//! As in libevent, a read may need the descriptor writable (a renegotiation, an alert to send)
//! and a write may need it readable: `read_blocked_on_write` and `write_blocked_on_read` record
//! that, and keep the other direction's event on until the operation goes through. Errors
//! become BEV_EVENT_ERROR with OpenSSL's error codes kept for bufferevent_get_openssl_error;
//! a close_notify from the peer is BEV_EVENT_EOF, an end of the transport without one is an
//! error unless the program allowed dirty shutdowns.
//!
//! Everything works through the raw `Bev` pointer: user callbacks run in the middle of these
//! operations (data callbacks, the event callback), and may re-enter or free the bufferevent.
use super::ossl::{self, BIO, BIO_METHOD, SSL};
use super::*;
use crate::buffer::EvbufferIovec;
use libc::{c_long, c_ulong};
use std::sync::OnceLock;

use ossl::{
    BIO_get_shutdown, BIO_number_read, BIO_number_written, BIO_set_shutdown, ERR_peek_error, SSL_clear,
    SSL_has_pending, SSL_renegotiate,
};

/// `enum bufferevent_ssl_state`.
pub const OPEN: c_int = 0;
pub const CONNECTING: c_int = 1;
pub const ACCEPTING: c_int = 2;

// BIO controls (OpenSSL's macros).
const BIO_CTRL_GET_CLOSE: c_int = 8;
const BIO_CTRL_SET_CLOSE: c_int = 9;
const BIO_CTRL_PENDING: c_int = 10;
const BIO_CTRL_DUP: c_int = 12;
const BIO_CTRL_WPENDING: c_int = 13;
const BIO_C_GET_FD: c_int = 105;
/// The BIO type libevent gives its bufferevent BIO: number 57, a source/sink.
const BIO_TYPE_BUFFEREVENT: c_int = 57 | 0x0400;
/// OpenSSL 3's reason for a transport that ended without a close_notify.
const SSL_R_UNEXPECTED_EOF_WHILE_READING: c_int = 294;
const ERR_LIB_SSL: c_int = 20;

/// What one read or write pass did.
const OP_MADE_PROGRESS: u8 = 1;
const OP_BLOCKED: u8 = 2;
const OP_ERR: u8 = 4;

/// How much a read pass asks for when no watermark says otherwise.
const READ_DEFAULT: c_int = 4096;
/// How many error codes are kept for bufferevent_get_openssl_error.
const NUM_ERRORS: usize = 3;

const READ_EVENTS: c_short = EV_READ | EV_PERSIST | EV_FINALIZE;
const WRITE_EVENTS: c_short = EV_WRITE | EV_PERSIST | EV_FINALIZE;

pub struct SslState {
    pub ssl: *mut SSL,
    /// Filter mode: the bufferevent the records go through (we hold a reference on it).
    pub underlying: *mut Bev,
    state: c_int,
    /// The state given at creation: a new descriptor (a reconnect) starts over from it.
    initial_state: c_int,
    allow_dirty_shutdown: bool,
    /// BUFFEREVENT_SSL_BATCH_WRITE (libevent 2.2): one SSL_write per write pass, over the
    /// output's first bytes made contiguous, rather than one per chunk of the output.
    batch_write: bool,
    /// Filter mode with batch_write: a write pass is queued for the loop (holding a reference).
    batch_queued: bool,
    /// A read wants the transport writable.
    read_blocked_on_write: bool,
    /// A write wants the transport readable.
    write_blocked_on_read: bool,
    /// The length of an SSL_write to be retried (OpenSSL wants the same length again), or -1.
    last_write: c_int,
    errors: [c_ulong; NUM_ERRORS],
    n_errors: usize,
    /// The BIO byte counts already charged to the rate limits.
    bio_read: u64,
    bio_written: u64,
}

/// The state of `b` if it is an OpenSSL bufferevent.
///
/// # Safety
/// `b` is a live bufferevent. The borrow must end before any call that may run a user callback
/// (one statement, in practice).
unsafe fn upcast<'a>(b: *mut Bev) -> Option<&'a mut SslState> {
    match (*b).p.kind {
        Kind::Ssl(ref mut s) => Some(s),
        _ => None,
    }
}

/// # Safety
/// `b` is a live OpenSSL bufferevent; as for `upcast`.
unsafe fn st<'a>(b: *mut Bev) -> &'a mut SslState {
    upcast(b).expect("an OpenSSL operation on another kind of bufferevent")
}

/// Takes a reference for a callback from below or from the output buffer, unless the
/// bufferevent is already on its way out.
unsafe fn hold(b: *mut Bev) -> bool {
    if (*b).p.refcnt <= 0 {
        return false;
    }
    incref_and_lock(b);
    true
}

// ---- creation ---------------------------------------------------------------------------------

/// bufferevent_openssl_socket_new(): an SSL that already has a descriptor gives it to us when
/// `fd` is -1, and must not name another one; otherwise a socket BIO over `fd` is set on it.
///
/// # Safety
/// `base` is NULL or alive; `ssl` is a live SSL object.
pub unsafe fn socket_new(base: *mut EventBase, mut fd: c_int, ssl: *mut SSL, state: c_int, options: c_int) -> *mut Bev {
    let bio = ossl::SSL_get_wbio(ssl);
    let have = if bio.is_null() { -1 } else { bio_fd(bio) };
    if have >= 0 {
        if fd < 0 {
            fd = have;
        } else if fd != have {
            return refuse(ssl, options);
        }
        // Closing the descriptor is the bufferevent's decision (BEV_OPT_CLOSE_ON_FREE).
        ossl::BIO_ctrl(bio, BIO_CTRL_SET_CLOSE, 0, ptr::null_mut());
    } else if fd >= 0 {
        let bio = ossl::BIO_new_socket(fd, 0);
        if bio.is_null() {
            return refuse(ssl, options);
        }
        ossl::SSL_set_bio(ssl, bio, bio);
    }
    new_impl(base, ptr::null_mut(), fd, ssl, state, options)
}

/// bufferevent_openssl_filter_new(): the SSL's BIO becomes one over `under`'s buffers.
///
/// # Safety
/// `base` is NULL or alive; `under` is NULL or a live bufferevent; `ssl` is a live SSL.
pub unsafe fn filter_new(
    base: *mut EventBase,
    under: *mut Bev,
    ssl: *mut SSL,
    state: c_int,
    options: c_int,
) -> *mut Bev {
    if under.is_null() {
        return refuse(ssl, options);
    }
    let bio = new_bio(under);
    if bio.is_null() {
        return refuse(ssl, options);
    }
    ossl::SSL_set_bio(ssl, bio, bio);
    new_impl(base, under, -1, ssl, state, options)
}

/// A refused creation: the SSL object was handed over with BEV_OPT_CLOSE_ON_FREE, so it goes.
unsafe fn refuse(ssl: *mut SSL, options: c_int) -> *mut Bev {
    if options & BEV_OPT_CLOSE_ON_FREE != 0 {
        ossl::SSL_free(ssl);
    }
    ptr::null_mut()
}

unsafe fn new_impl(
    base: *mut EventBase,
    under: *mut Bev,
    fd: c_int,
    ssl: *mut SSL,
    state: c_int,
    options: c_int,
) -> *mut Bev {
    let s = SslState {
        ssl,
        underlying: under,
        state,
        initial_state: state,
        allow_dirty_shutdown: false,
        batch_write: false,
        batch_queued: false,
        read_blocked_on_write: false,
        write_blocked_on_read: false,
        last_write: -1,
        errors: [0; NUM_ERRORS],
        n_errors: 0,
        bio_read: 0,
        bio_written: 0,
    };
    let b = new_common(base, &SSL_OPS, Kind::Ssl(Box::new(s)), options & !BEV_OPT_THREADSAFE);
    if b.is_null() {
        return refuse(ssl, options);
    }
    // The output may move between an SSL_write that must be retried and its retry.
    ossl::SSL_ctrl(ssl, ossl::SSL_CTRL_MODE, ossl::SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, ptr::null_mut());
    output(b).add_cb(Some(outbuf_cb), b as *mut c_void);
    if options & BEV_OPT_THREADSAFE != 0 {
        enable_locking(b, ptr::null_mut());
    }
    if under.is_null() {
        assign_events(b, fd);
    } else {
        init_generic_timeouts(b);
        incref(under);
    }
    reset_bio_counts(b);
    if !(OPEN..=ACCEPTING).contains(&state) || start(b, state, fd) < 0 {
        // As libevent: the SSL goes with BEV_OPT_CLOSE_ON_FREE (the descriptor stays open), and
        // freeing the half-made bufferevent frees the underlying one for BEV_OPT_CLOSE_ON_FREE.
        refuse(ssl, options);
        st(b).ssl = ptr::null_mut();
        free(b);
        return ptr::null_mut();
    }
    if !under.is_null() {
        setwatermark(under, EV_READ, 0, 0);
        super::enable(under, EV_READ | EV_WRITE);
        if state == OPEN {
            suspend_read(under, SUSPEND_FILT_READ);
        }
    }
    b
}

/// Socket mode: ev_read and ev_write on `fd`.
unsafe fn assign_events(b: *mut Bev, fd: c_int) {
    let base = (*b).ev_base;
    ev::assign(ptr::addr_of_mut!((*b).ev_read), base, fd, READ_EVENTS, Some(on_readable), b as *mut c_void);
    ev::assign(ptr::addr_of_mut!((*b).ev_write), base, fd, WRITE_EVENTS, Some(on_writable), b as *mut c_void);
}

/// Puts the SSL in `state` over descriptor `fd` (socket mode, -1 for none yet; in filter mode a
/// descriptor goes to the underlying bufferevent).
unsafe fn start(b: *mut Bev, state: c_int, fd: c_int) -> c_int {
    st(b).state = state;
    if state == OPEN {
        return open_callbacks(b, fd);
    }
    let ssl = st(b).ssl;
    if SSL_clear(ssl) == 0 {
        return -1;
    }
    if state == CONNECTING {
        ossl::SSL_set_connect_state(ssl);
    } else {
        ossl::SSL_set_accept_state(ssl);
    }
    handshake_callbacks(b, fd)
}

/// Filter mode: the underlying bufferevent's callbacks become ours (they handshake or move
/// data, by the state).
unsafe fn take_underlying_callbacks(b: *mut Bev, u: *mut Bev) {
    setcb(u, Some(under_readcb), Some(under_writecb), Some(under_eventcb), b as *mut c_void);
}

/// Gets ready to handshake: in socket mode both events wait on the descriptor (whatever the
/// program enabled); in filter mode the underlying bufferevent drives the handshake.
unsafe fn handshake_callbacks(b: *mut Bev, fd: c_int) -> c_int {
    let u = st(b).underlying;
    if !u.is_null() {
        take_underlying_callbacks(b, u);
        if fd < 0 {
            return 0;
        }
        let r = super::setfd(u, fd);
        if r != 0 {
            return r;
        }
        return do_handshake(b);
    }
    let mut r = point_events_at(b, fd);
    if fd >= 0 && (add_read(b) < 0 || add_write(b) < 0) {
        r = -1;
    }
    r
}

/// Open: in socket mode the events move to `fd`, what was pending stays pending; in filter mode
/// the underlying bufferevent drives the data.
unsafe fn open_callbacks(b: *mut Bev, fd: c_int) -> c_int {
    let u = st(b).underlying;
    if !u.is_null() {
        take_underlying_callbacks(b, u);
        return 0;
    }
    point_events_at(b, fd)
}

/// Socket mode: ev_read and ev_write on `fd`, re-added if they were pending.
unsafe fn point_events_at(b: *mut Bev, fd: c_int) -> c_int {
    let (rd, wr) = (ptr::addr_of_mut!((*b).ev_read), ptr::addr_of_mut!((*b).ev_write));
    if (*rd).fd == fd {
        return 0;
    }
    let (rp, wp) = (ev::pending(rd, EV_READ, None) != 0, ev::pending(wr, EV_WRITE, None) != 0);
    ev::del(rd, DelMode::NoBlock);
    ev::del(wr, DelMode::NoBlock);
    assign_events(b, fd);
    if fd < 0 {
        return 0;
    }
    if (rp && add_read(b) < 0) || (wp && add_write(b) < 0) {
        return -1;
    }
    0
}

unsafe fn add_read(b: *mut Bev) -> c_int {
    let tv = (*b).timeout_read;
    add_event(ptr::addr_of_mut!((*b).ev_read), &tv)
}

unsafe fn add_write(b: *mut Bev) -> c_int {
    let tv = (*b).timeout_write;
    add_event(ptr::addr_of_mut!((*b).ev_write), &tv)
}

// ---- the BIO over a bufferevent ---------------------------------------------------------------

/// The BIO method of filter mode, made once for the process.
fn bio_method() -> *mut BIO_METHOD {
    static METHOD: OnceLock<usize> = OnceLock::new();
    *METHOD.get_or_init(|| {
        // SAFETY: a new method table, filled with functions of the right signatures.
        unsafe {
            let m = ossl::BIO_meth_new(BIO_TYPE_BUFFEREVENT, c"bufferevent".as_ptr());
            if !m.is_null() {
                ossl::BIO_meth_set_write(m, Some(bio_write));
                ossl::BIO_meth_set_read(m, Some(bio_read));
                ossl::BIO_meth_set_puts(m, Some(bio_puts));
                ossl::BIO_meth_set_ctrl(m, Some(bio_ctrl));
            }
            m as usize
        }
    }) as *mut BIO_METHOD
}

/// A BIO that reads `under`'s input and writes its output; it never frees `under`.
unsafe fn new_bio(under: *mut Bev) -> *mut BIO {
    let m = bio_method();
    if m.is_null() {
        return ptr::null_mut();
    }
    let bio = ossl::BIO_new(m);
    if !bio.is_null() {
        ossl::BIO_set_init(bio, 1);
        ossl::BIO_set_data(bio, under as *mut c_void);
        BIO_set_shutdown(bio, 0);
    }
    bio
}

unsafe fn bio_under(bio: *mut BIO) -> *mut Bev {
    ossl::BIO_get_data(bio) as *mut Bev
}

/// Records from the underlying input; none there yet is "retry".
unsafe extern "C" fn bio_read(bio: *mut BIO, out: *mut c_char, len: c_int) -> c_int {
    ossl::BIO_clear_retry_flags(bio);
    let u = bio_under(bio);
    if out.is_null() || len <= 0 {
        return 0;
    }
    if u.is_null() {
        return -1;
    }
    let inb = input(u);
    if inb.is_empty() {
        ossl::BIO_set_retry_read(bio);
        return -1;
    }
    inb.remove(std::slice::from_raw_parts_mut(out as *mut u8, len as usize)) as c_int
}

/// Records to the underlying output, no further than its write high-water mark.
unsafe extern "C" fn bio_write(bio: *mut BIO, data: *const c_char, len: c_int) -> c_int {
    ossl::BIO_clear_retry_flags(bio);
    let u = bio_under(bio);
    if u.is_null() {
        return -1;
    }
    if len <= 0 {
        return 0;
    }
    let out = output(u);
    let have = out.len();
    let high = (*u).wm_write.high;
    let mut n = len as usize;
    if high != 0 && high <= have + n {
        if high <= have {
            ossl::BIO_set_retry_write(bio);
            return -1;
        }
        n = high - have;
    }
    if out.add(std::slice::from_raw_parts(data as *const u8, n)).is_err() {
        return -1;
    }
    n as c_int
}

unsafe extern "C" fn bio_puts(bio: *mut BIO, s: *const c_char) -> c_int {
    bio_write(bio, s, libc::strlen(s) as c_int)
}

unsafe extern "C" fn bio_ctrl(bio: *mut BIO, cmd: c_int, num: c_long, _ptr: *mut c_void) -> c_long {
    let u = bio_under(bio);
    match cmd {
        BIO_CTRL_GET_CLOSE => BIO_get_shutdown(bio) as c_long,
        BIO_CTRL_SET_CLOSE => {
            BIO_set_shutdown(bio, num as c_int);
            1
        }
        BIO_CTRL_PENDING => (!u.is_null() && !input(u).is_empty()) as c_long,
        BIO_CTRL_WPENDING => (!u.is_null() && !output(u).is_empty()) as c_long,
        BIO_CTRL_DUP | ossl::BIO_CTRL_FLUSH => 1,
        _ => 0,
    }
}

/// BIO_get_fd(): the descriptor of a socket BIO (other BIOs answer 0 or -1).
unsafe fn bio_fd(bio: *mut BIO) -> c_int {
    ossl::BIO_ctrl(bio, BIO_C_GET_FD, 0, ptr::null_mut()) as c_int
}

// ---- rate limits: what went over the wire ------------------------------------------------------

unsafe fn bio_counts(ssl: *mut SSL) -> (u64, u64) {
    let (r, w) = (ossl::SSL_get_rbio(ssl), ossl::SSL_get_wbio(ssl));
    (if r.is_null() { 0 } else { BIO_number_read(r) }, if w.is_null() { 0 } else { BIO_number_written(w) })
}

/// Starts counting afresh (a new BIO counts from zero).
unsafe fn reset_bio_counts(b: *mut Bev) {
    let (r, w) = bio_counts(st(b).ssl);
    st(b).bio_read = r;
    st(b).bio_written = w;
}

/// Charges the bytes OpenSSL moved since the last time to the rate limits.
unsafe fn charge_rate_limits(b: *mut Bev) {
    let (r, w) = bio_counts(st(b).ssl);
    let s = st(b);
    let (dr, dw) = (r.wrapping_sub(s.bio_read), w.wrapping_sub(s.bio_written));
    s.bio_read = r;
    s.bio_written = w;
    if dw != 0 {
        ratelim::decrement_write(b, dw as isize);
    }
    if dr != 0 {
        ratelim::decrement_read(b, dr as isize);
    }
}

// ---- starting and stopping the directions ------------------------------------------------------

unsafe fn start_reading(b: *mut Bev) -> c_int {
    let u = st(b).underlying;
    if !u.is_null() {
        unsuspend_read(u, SUSPEND_FILT_READ);
        return 0;
    }
    let mut r = add_read(b);
    if r == 0 && st(b).read_blocked_on_write {
        r = add_write(b);
    }
    // What OpenSSL already took from the socket no readiness will announce: after a pause (a
    // high-water mark, a rate limit) read it from the loop. libevent 2.1 waits for the socket
    // here, which at the end of a stream never becomes readable again.
    if r == 0 && st(b).state == OPEN && SSL_has_pending(st(b).ssl) != 0 {
        ev::activate(ptr::addr_of_mut!((*b).ev_read), EV_READ, 1);
    }
    r
}

unsafe fn start_writing(b: *mut Bev) -> c_int {
    let u = st(b).underlying;
    if !u.is_null() {
        if st(b).write_blocked_on_read {
            unsuspend_read(u, SUSPEND_FILT_READ);
        }
        return 0;
    }
    let mut r = add_write(b);
    if r == 0 && st(b).write_blocked_on_read {
        r = add_read(b);
    }
    r
}

unsafe fn stop_reading(b: *mut Bev) {
    if st(b).write_blocked_on_read {
        return;
    }
    let u = st(b).underlying;
    if !u.is_null() {
        suspend_read(u, SUSPEND_FILT_READ);
    } else {
        ev::del(ptr::addr_of_mut!((*b).ev_read), DelMode::NoBlock);
    }
}

unsafe fn stop_writing(b: *mut Bev) {
    if st(b).read_blocked_on_write || !st(b).underlying.is_null() {
        return;
    }
    ev::del(ptr::addr_of_mut!((*b).ev_write), DelMode::NoBlock);
}

/// A read wants the transport writable.
unsafe fn set_rbow(b: *mut Bev) -> c_int {
    if st(b).underlying.is_null() {
        stop_reading(b);
    }
    st(b).read_blocked_on_write = true;
    start_writing(b)
}

/// A write wants the transport readable.
unsafe fn set_wbor(b: *mut Bev) -> c_int {
    if st(b).underlying.is_null() {
        stop_writing(b);
    }
    st(b).write_blocked_on_read = true;
    start_reading(b)
}

unsafe fn clear_rbow(b: *mut Bev) -> c_int {
    st(b).read_blocked_on_write = false;
    if (*b).enabled & EV_WRITE == 0 {
        stop_writing(b);
    }
    if (*b).enabled & EV_READ != 0 {
        return start_reading(b);
    }
    0
}

unsafe fn clear_wbor(b: *mut Bev) -> c_int {
    st(b).write_blocked_on_read = false;
    if (*b).enabled & EV_READ == 0 {
        stop_reading(b);
    }
    if (*b).enabled & EV_WRITE != 0 {
        return start_writing(b);
    }
    0
}

/// The transport's enable (after bufferevent_enable, or an unsuspend).
///
/// # Safety
/// `b` is a live OpenSSL bufferevent whose lock is held.
pub unsafe fn enable(b: *mut Bev, what: c_short) -> c_int {
    let r1 = if what & EV_READ != 0 { start_reading(b) } else { 0 };
    let r2 = if what & EV_WRITE != 0 { start_writing(b) } else { 0 };
    if !st(b).underlying.is_null() {
        if what & EV_READ != 0 {
            reset_generic_read_timeout(b);
        }
        if what & EV_WRITE != 0 {
            reset_generic_write_timeout(b);
        }
        // Data may already wait below, or above.
        if what & EV_READ != 0 {
            consider_reading(b);
        }
        if what & EV_WRITE != 0 {
            consider_writing(b);
        }
    }
    if r1 < 0 || r2 < 0 {
        -1
    } else {
        0
    }
}

/// # Safety
/// `b` is a live OpenSSL bufferevent whose lock is held.
pub unsafe fn disable(b: *mut Bev, what: c_short) -> c_int {
    if what & EV_READ != 0 {
        stop_reading(b);
    }
    if what & EV_WRITE != 0 {
        stop_writing(b);
    }
    if !st(b).underlying.is_null() {
        if what & EV_READ != 0 {
            del_generic_read_timeout(b);
        }
        if what & EV_WRITE != 0 {
            del_generic_write_timeout(b);
        }
    }
    0
}

// ---- handshake, errors ----------------------------------------------------------------------

/// One step of the handshake; when it completes, the program's enabled directions start and it
/// hears BEV_EVENT_CONNECTED. 1 done, 0 waiting, -1 failed.
unsafe fn do_handshake(b: *mut Bev) -> c_int {
    let ssl = st(b).ssl;
    ossl::ERR_clear_error();
    let r = ossl::SSL_do_handshake(ssl);
    charge_rate_limits(b);
    if r == 1 {
        st(b).state = OPEN;
        open_callbacks(b, (*b).ev_read.fd);
        // What the program enabled starts now (data written meanwhile goes out).
        super::enable(b, (*b).enabled);
        run_eventcb(b, BEV_EVENT_CONNECTED, 0);
        return 1;
    }
    let err = ossl::SSL_get_error(ssl, r);
    match err {
        ossl::SSL_ERROR_WANT_WRITE => {
            stop_reading(b);
            start_writing(b)
        }
        ossl::SSL_ERROR_WANT_READ => {
            stop_writing(b);
            start_reading(b)
        }
        _ => {
            conn_closed(b, BEV_EVENT_READING, err, r);
            -1
        }
    }
}

unsafe fn put_error(b: *mut Bev, err: c_ulong) {
    let s = st(b);
    if s.n_errors < NUM_ERRORS {
        s.errors[s.n_errors] = err;
        s.n_errors += 1;
    }
}

/// Whether OpenSSL 3 reported an end of the transport without a close_notify (older versions
/// said SSL_ERROR_SYSCALL with an empty error queue).
fn is_unexpected_eof(e: c_ulong) -> bool {
    ossl::ERR_GET_LIB(e) == ERR_LIB_SSL && ossl::ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING
}

/// The connection ended (`errcode` from SSL_get_error for return value `ret`): keeps the error
/// codes, stops both directions in socket mode, tells the program (EOF or ERROR, with `when`).
/// In filter mode libevent 2.1 leaves the underlying bufferevent reading (what comes next fails
/// again), and so do we.
unsafe fn conn_closed(b: *mut Bev, when: c_short, errcode: c_int, ret: c_int) {
    let ssl = st(b).ssl;
    let mut event = BEV_EVENT_ERROR;
    let mut dirty = false;
    match errcode {
        ossl::SSL_ERROR_ZERO_RETURN => {
            if ossl::SSL_get_shutdown(ssl) & ossl::SSL_RECEIVED_SHUTDOWN != 0 {
                event = BEV_EVENT_EOF;
            } else {
                dirty = true;
            }
        }
        ossl::SSL_ERROR_SYSCALL => {
            dirty = (ret == 0 || ret == -1) && ERR_peek_error() == 0;
            put_error(b, errcode as c_ulong);
        }
        ossl::SSL_ERROR_SSL => {
            dirty = is_unexpected_eof(ERR_peek_error());
            put_error(b, errcode as c_ulong);
        }
        ossl::SSL_ERROR_WANT_X509_LOOKUP => put_error(b, errcode as c_ulong),
        _ => log::warnx(&format!("BUG: Unexpected OpenSSL error code {errcode}")),
    }
    loop {
        let e = ossl::ERR_get_error();
        if e == 0 {
            break;
        }
        put_error(b, e);
    }
    if dirty && st(b).allow_dirty_shutdown {
        event = BEV_EVENT_EOF;
    }
    if st(b).underlying.is_null() {
        stop_reading(b);
        stop_writing(b);
    }
    run_eventcb(b, when | event, 0);
}

// ---- moving data ------------------------------------------------------------------------------

/// SSL_read into the input, `n_to_read` bytes at most (and what the rate limit allows).
unsafe fn do_read(b: *mut Bev, n_to_read: c_int) -> u8 {
    if (*b).p.read_suspended != 0 {
        return 0;
    }
    let n = (n_to_read as isize).min(ratelim::max_to_read(b));
    let mut space = [EvbufferIovec { iov_base: ptr::null_mut(), iov_len: 0 }; 2];
    let nv = input(b).reserve_space(n, &mut space);
    if nv < 0 {
        return OP_ERR;
    }
    let ssl = st(b).ssl;
    let mut result = 0;
    let mut used = 0;
    let mut failure = None;
    for v in space.iter_mut().take(nv as usize) {
        if (*b).p.read_suspended != 0 {
            break;
        }
        ossl::ERR_clear_error();
        let r = ossl::SSL_read(ssl, v.iov_base, v.iov_len.min(c_int::MAX as usize) as c_int);
        if r > 0 {
            result |= OP_MADE_PROGRESS;
            v.iov_len = r as usize;
            used += 1;
            charge_rate_limits(b);
            if st(b).read_blocked_on_write && clear_rbow(b) < 0 {
                result |= OP_ERR;
                break;
            }
        } else {
            let err = ossl::SSL_get_error(ssl, r);
            match err {
                ossl::SSL_ERROR_WANT_READ => {
                    if st(b).read_blocked_on_write && clear_rbow(b) < 0 {
                        result |= OP_ERR;
                    }
                }
                ossl::SSL_ERROR_WANT_WRITE => {
                    if !st(b).read_blocked_on_write && set_rbow(b) < 0 {
                        result |= OP_ERR;
                    }
                }
                _ => failure = Some((err, r)),
            }
            result |= OP_BLOCKED;
            break;
        }
    }
    // What was read goes in before the program can hear of a failure.
    if used > 0 {
        input(b).commit_space(&space[..used]).ok();
        if !st(b).underlying.is_null() {
            reset_generic_read_timeout(b);
        }
    }
    if let Some((err, r)) = failure {
        conn_closed(b, BEV_EVENT_READING, err, r);
    }
    result
}

/// SSL_write from the output: the chunks in front, what the rate limit allows (or exactly the
/// length of a write to be retried).
unsafe fn do_write(b: *mut Bev) -> u8 {
    let last = st(b).last_write;
    let atmost = if last > 0 { last as isize } else { ratelim::max_to_write(b) };
    let mut space = [EvbufferIovec { iov_base: ptr::null_mut(), iov_len: 0 }; 8];
    let n = if st(b).batch_write {
        // One record (or as few as OpenSSL makes of this length), so one write to the transport.
        let len = if atmost < 0 { output(b).len() } else { (atmost as usize).min(output(b).len()) };
        let p = if len == 0 { ptr::null_mut() } else { output(b).pullup(len as isize) };
        if p.is_null() && len > 0 {
            return OP_ERR;
        }
        space[0] = EvbufferIovec { iov_base: p as *mut c_void, iov_len: len };
        1
    } else {
        output(b).peek(atmost, None, &mut space)
    };
    if n < 0 {
        return OP_ERR;
    }
    let ssl = st(b).ssl;
    let mut result = 0;
    let mut written = 0usize;
    let mut failure = None;
    for v in space.iter().take((n as usize).min(space.len())) {
        if (*b).p.write_suspended != 0 {
            break;
        }
        // SSL_write of nothing would say 0, which reads as a failure.
        if v.iov_len == 0 {
            continue;
        }
        let len = v.iov_len.min(c_int::MAX as usize) as c_int;
        ossl::ERR_clear_error();
        let r = ossl::SSL_write(ssl, v.iov_base, len);
        if r > 0 {
            result |= OP_MADE_PROGRESS;
            written += r as usize;
            st(b).last_write = -1;
            charge_rate_limits(b);
            if st(b).write_blocked_on_read && clear_wbor(b) < 0 {
                result |= OP_ERR;
                break;
            }
        } else {
            let err = ossl::SSL_get_error(ssl, r);
            match err {
                ossl::SSL_ERROR_WANT_WRITE => {
                    if st(b).write_blocked_on_read && clear_wbor(b) < 0 {
                        result |= OP_ERR;
                    }
                    st(b).last_write = len;
                }
                ossl::SSL_ERROR_WANT_READ => {
                    if !st(b).write_blocked_on_read && set_wbor(b) < 0 {
                        result |= OP_ERR;
                    }
                    st(b).last_write = len;
                }
                _ => {
                    failure = Some((err, r));
                    st(b).last_write = -1;
                }
            }
            result |= OP_BLOCKED;
            break;
        }
    }
    // What OpenSSL took leaves the output before the program can hear of a failure.
    if written > 0 {
        output(b).drain(written).ok();
    }
    if let Some((err, r)) = failure {
        conn_closed(b, BEV_EVENT_WRITING, err, r);
    }
    if written > 0 {
        if !st(b).underlying.is_null() {
            reset_generic_write_timeout(b);
        }
        // Deferred, as libevent does here: the write callback runs from the loop.
        trigger_nolock(b, EV_WRITE, BEV_OPT_DEFER_CALLBACKS);
    }
    result
}

/// How much a read pass may take: 0 when reading is off or the input is at its high-water mark.
unsafe fn bytes_to_read(b: *mut Bev) -> c_int {
    if st(b).write_blocked_on_read || (*b).enabled & EV_READ == 0 || (*b).p.read_suspended != 0 {
        return 0;
    }
    let mut n = READ_DEFAULT as isize;
    let high = (*b).wm_read.high;
    if high != 0 {
        let have = input(b).len();
        if have >= high {
            return 0;
        }
        n = (high - have).min(c_int::MAX as usize) as isize;
    }
    n.min(ratelim::max_to_read(b)).max(0) as c_int
}

/// The transport is readable: finish a write that waited for that, then read what there is
/// (all OpenSSL holds, once it has a record), and call the read callback.
unsafe fn consider_reading(b: *mut Bev) {
    while st(b).write_blocked_on_read {
        let r = do_write(b);
        if r & (OP_BLOCKED | OP_ERR) != 0 || r & OP_MADE_PROGRESS == 0 {
            break;
        }
    }
    if st(b).write_blocked_on_read {
        return;
    }
    let mut all = 0;
    let mut n = bytes_to_read(b);
    while n > 0 {
        let r = do_read(b, n);
        all |= r;
        if r & (OP_BLOCKED | OP_ERR) != 0 || (*b).p.read_suspended != 0 {
            break;
        }
        // The rest of a record OpenSSL holds will announce itself by no readiness.
        n = ossl::SSL_pending(st(b).ssl);
        // Over a bufferevent, read on while records wait below.
        if n == 0 && !st(b).underlying.is_null() {
            n = bytes_to_read(b);
        }
    }
    if all & OP_MADE_PROGRESS != 0 {
        trigger_nolock(b, EV_READ, 0);
    }
    if st(b).underlying.is_null() && ((*b).p.read_suspended != 0 || (*b).enabled & EV_READ == 0) {
        ev::del(ptr::addr_of_mut!((*b).ev_read), DelMode::NoBlock);
    }
}

/// The transport is writable: finish a read that waited for that, then write the output while
/// writing is on and the layer below has room.
unsafe fn consider_writing(b: *mut Bev) {
    while st(b).read_blocked_on_write {
        let r = do_read(b, 1024);
        if r & OP_MADE_PROGRESS != 0 {
            trigger_nolock(b, EV_READ, 0);
        }
        if r & (OP_BLOCKED | OP_ERR) != 0 || r & OP_MADE_PROGRESS == 0 {
            break;
        }
    }
    if st(b).read_blocked_on_write {
        return;
    }
    let u = st(b).underlying;
    let room_below = || u.is_null() || (*u).wm_write.high == 0 || output(u).len() < (*u).wm_write.high;
    while (*b).enabled & EV_WRITE != 0 && (*b).p.write_suspended == 0 && !output(b).is_empty() && room_below() {
        let r = do_write(b);
        if r & (OP_BLOCKED | OP_ERR) != 0 || r & OP_MADE_PROGRESS == 0 {
            break;
        }
    }
    if u.is_null() && (output(b).is_empty() || (*b).p.write_suspended != 0 || (*b).enabled & EV_WRITE == 0) {
        ev::del(ptr::addr_of_mut!((*b).ev_write), DelMode::NoBlock);
    }
}

// ---- what drives us ---------------------------------------------------------------------------

/// Socket mode: the descriptor is ready for `dir`, or that direction's timer fired (which, as
/// in libevent, leaves it on).
unsafe fn socket_event(b: *mut Bev, what: c_short, dir: c_short) {
    incref_and_lock(b);
    let open = st(b).state == OPEN;
    if what == EV_TIMEOUT {
        let during = if !open {
            0
        } else if dir == EV_READ {
            BEV_EVENT_READING
        } else {
            BEV_EVENT_WRITING
        };
        run_eventcb(b, BEV_EVENT_TIMEOUT | during, 0);
    } else {
        move_data(b, dir);
    }
    decref_and_unlock(b);
}

/// The transport is ready for `dir`: the handshake goes on, or the data moves.
unsafe fn move_data(b: *mut Bev, dir: c_short) {
    if st(b).state != OPEN {
        do_handshake(b);
    } else if dir == EV_READ {
        consider_reading(b);
    } else {
        consider_writing(b);
    }
}

unsafe extern "C" fn on_readable(_fd: c_int, what: c_short, arg: *mut c_void) {
    socket_event(arg as *mut Bev, what, EV_READ);
}

unsafe extern "C" fn on_writable(_fd: c_int, what: c_short, arg: *mut c_void) {
    socket_event(arg as *mut Bev, what, EV_WRITE);
}

/// Filter mode: the underlying bufferevent read something, or its output drained enough.
unsafe fn from_below(b: *mut Bev, dir: c_short) {
    if hold(b) {
        move_data(b, dir);
        decref_and_unlock(b);
    }
}

unsafe extern "C" fn under_readcb(_u: *mut Bev, arg: *mut c_void) {
    from_below(arg as *mut Bev, EV_READ);
}

unsafe extern "C" fn under_writecb(_u: *mut Bev, arg: *mut c_void) {
    from_below(arg as *mut Bev, EV_WRITE);
}

/// Filter mode: an end of file below is a dirty shutdown (no close_notify came through), so an
/// error unless allowed; errors and timeouts pass up; its "connected" means nothing to us.
unsafe extern "C" fn under_eventcb(_u: *mut Bev, what: c_short, arg: *mut c_void) {
    let b = arg as *mut Bev;
    if !hold(b) {
        return;
    }
    let event = if what & BEV_EVENT_EOF != 0 {
        if st(b).allow_dirty_shutdown {
            BEV_EVENT_EOF
        } else {
            BEV_EVENT_ERROR
        }
    } else if what & (BEV_EVENT_TIMEOUT | BEV_EVENT_ERROR) != 0 {
        what
    } else {
        0
    };
    if event != 0 {
        run_eventcb(b, event, 0);
    }
    decref_and_unlock(b);
}

/// The program added to the output: once open, make sure it gets written.
unsafe extern "C" fn outbuf_cb(_buf: *mut Evbuffer, info: *const CbInfo, arg: *mut c_void) {
    let b = arg as *mut Bev;
    if (*info).n_added == 0 || st(b).state != OPEN || !hold(b) {
        return;
    }
    if (*info).orig_size == 0 {
        add_write(b);
    }
    if !st(b).underlying.is_null() {
        if st(b).batch_write {
            queue_batch(b);
        } else {
            consider_writing(b);
        }
    }
    decref_and_unlock(b);
}

/// Filter mode with BUFFEREVENT_SSL_BATCH_WRITE: rather than one SSL_write per addition to the
/// output, one write pass from the loop over all that was added meanwhile.
///
/// # Safety
/// `b` is a live OpenSSL bufferevent in filter mode whose lock is held.
unsafe fn queue_batch(b: *mut Bev) {
    if st(b).batch_queued {
        return;
    }
    let base = (*b).ev_base;
    if base.is_null() {
        consider_writing(b);
        return;
    }
    (*b).p.refcnt += 1; // batch_write_cb's
    st(b).batch_queued = true;
    if EventBase::with_lock(base, |eb| eb.once(-1, EV_TIMEOUT, batch_write_cb, b as *mut c_void, None)) != 0 {
        st(b).batch_queued = false;
        (*b).p.refcnt -= 1;
        consider_writing(b);
    }
}

unsafe extern "C" fn batch_write_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let b = arg as *mut Bev;
    lock(b);
    st(b).batch_queued = false;
    if st(b).state == OPEN {
        consider_writing(b);
    }
    decref_and_unlock(b);
}

// ---- descriptor, teardown ---------------------------------------------------------------------

/// bufferevent_getfd(): the socket, or the underlying bufferevent's.
///
/// # Safety
/// `b` is a live OpenSSL bufferevent.
pub unsafe fn getfd(b: *mut Bev) -> c_int {
    let u = st(b).underlying;
    if u.is_null() {
        (*b).ev_read.fd
    } else {
        (*u).ev_read.fd
    }
}

/// bufferevent_setfd(): a new transport for the SSL (a socket BIO over `fd`, or a fresh BIO
/// over the underlying bufferevent, which gets `fd`), starting over in the state the
/// bufferevent was made in: a reconnect handshakes again.
///
/// # Safety
/// `b` is a live OpenSSL bufferevent whose lock is held.
pub unsafe fn setfd(b: *mut Bev, fd: c_int) -> c_int {
    let (ssl, u) = (st(b).ssl, st(b).underlying);
    let bio = if u.is_null() { ossl::BIO_new_socket(fd, 0) } else { new_bio(u) };
    if bio.is_null() {
        return -1;
    }
    ossl::SSL_set_bio(ssl, bio, bio);
    reset_bio_counts(b);
    let state = st(b).initial_state;
    start(b, state, fd)
}

/// The last reference went: the underlying bufferevent (filter mode) is released as a
/// filter's is.
///
/// # Safety
/// An OpenSSL bufferevent whose last reference just went.
pub unsafe fn unlink(b: *mut Bev) {
    super::filter::release_underlying(b, st(b).underlying, under_eventcb);
}

/// With BEV_OPT_CLOSE_ON_FREE: closes the socket of the SSL's BIO (socket mode) and frees the
/// SSL object.
///
/// # Safety
/// An OpenSSL bufferevent being destroyed.
pub unsafe fn destruct(b: *mut Bev) {
    let ssl = st(b).ssl;
    if (*b).p.options & BEV_OPT_CLOSE_ON_FREE == 0 || ssl.is_null() {
        return;
    }
    if st(b).underlying.is_null() {
        let bio = ossl::SSL_get_wbio(ssl);
        let fd = if bio.is_null() { -1 } else { bio_fd(bio) };
        if fd >= 0 {
            libc::close(fd);
        }
    }
    ossl::SSL_free(ssl);
    st(b).ssl = ptr::null_mut();
}

// ---- the public getters and setters -----------------------------------------------------------

/// bufferevent_openssl_get_ssl(): NULL for another kind of bufferevent.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn get_ssl(b: *mut Bev) -> *mut SSL {
    lock(b);
    let ssl = upcast(b).map_or(ptr::null_mut(), |s| s.ssl);
    unlock(b);
    ssl
}

/// bufferevent_get_openssl_error(): the kept error codes, the most recent first; 0 for none.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn get_error(b: *mut Bev) -> c_ulong {
    lock(b);
    let mut e = 0;
    if let Some(s) = upcast(b) {
        if s.n_errors > 0 {
            s.n_errors -= 1;
            e = s.errors[s.n_errors];
        }
    }
    unlock(b);
    e
}

/// bufferevent_openssl_get_allow_dirty_shutdown(): -1 for another kind of bufferevent.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn get_allow_dirty_shutdown(b: *mut Bev) -> c_int {
    lock(b);
    let r = upcast(b).map_or(-1, |s| s.allow_dirty_shutdown as c_int);
    unlock(b);
    r
}

/// `BUFFEREVENT_SSL_DIRTY_SHUTDOWN` and `BUFFEREVENT_SSL_BATCH_WRITE` (libevent 2.2).
pub const FLAG_DIRTY_SHUTDOWN: u64 = 1;
pub const FLAG_BATCH_WRITE: u64 = 2;

/// bufferevent_ssl_get_flags() (libevent 2.2): the flags, u64::MAX for another kind.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn get_flags(b: *mut Bev) -> u64 {
    lock(b);
    let r = upcast(b).map_or(u64::MAX, |s| s.flags());
    unlock(b);
    r
}

impl SslState {
    fn flags(&self) -> u64 {
        (if self.allow_dirty_shutdown { FLAG_DIRTY_SHUTDOWN } else { 0 })
            | (if self.batch_write { FLAG_BATCH_WRITE } else { 0 })
    }
}

/// bufferevent_ssl_set_flags() / _clear_flags() (libevent 2.2): sets or clears the known
/// flags among `flags`; the flags before, or u64::MAX when `flags` has no known flag or `b` is
/// another kind of bufferevent.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn change_flags(b: *mut Bev, flags: u64, set: bool) -> u64 {
    let flags = flags & (FLAG_DIRTY_SHUTDOWN | FLAG_BATCH_WRITE);
    if flags == 0 {
        return u64::MAX;
    }
    lock(b);
    let old = match upcast(b) {
        Some(s) => {
            let old = s.flags();
            if flags & FLAG_DIRTY_SHUTDOWN != 0 {
                s.allow_dirty_shutdown = set;
            }
            if flags & FLAG_BATCH_WRITE != 0 {
                s.batch_write = set;
            }
            old
        }
        None => u64::MAX,
    };
    unlock(b);
    old
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn set_allow_dirty_shutdown(b: *mut Bev, allow: bool) {
    lock(b);
    if let Some(s) = upcast(b) {
        s.allow_dirty_shutdown = allow;
    }
    unlock(b);
}

/// bufferevent_ssl_renegotiate(): asks OpenSSL for a new handshake and runs it as the first
/// one (BEV_EVENT_CONNECTED when done). OpenSSL refuses to renegotiate TLS 1.3, and then, as in
/// libevent, the "handshake" completes at once (in filter mode, with the next record).
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn renegotiate(b: *mut Bev) -> c_int {
    let Some(s) = upcast(b) else { return -1 };
    let ssl = s.ssl;
    incref_and_lock(b);
    let r = if SSL_renegotiate(ssl) < 0 {
        -1
    } else {
        st(b).state = CONNECTING;
        // Filter mode: ev_read is a timer on -1, and the underlying bufferevent drives.
        if handshake_callbacks(b, (*b).ev_read.fd) < 0 {
            -1
        } else if st(b).underlying.is_null() {
            do_handshake(b)
        } else {
            0
        }
    };
    decref_and_unlock(b);
    r
}
