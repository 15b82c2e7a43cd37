//! The RPC client: an evrpc_pool holds connections and a queue of requests. A request goes
//! out on a connection with nothing queued on it (else it waits in the pool's queue): it is
//! marshalled into a POST to `/.rpc.<name>`, the output hooks run, and it is sent, with the
//! pool's timeout running. The reply goes through the input hooks and is unmarshalled, and
//! the program's callback gets the status: ERR_NONE, ERR_TIMEOUT (no reply: timeout or
//! connection failure), ERR_BADPAYLOAD, ERR_UNSTARTED (never sent) or ERR_HOOKABORTED.
//! Then the next queued request goes out.
//!
//! A callback or hook may free the pool (evrpc_pool_free): the pool is held while the
//! library calls out, and freed when the outermost call returns. Requests still queued,
//! paused or in flight then are dropped without their callbacks, as libevent drops the
//! queued ones.
use super::ffi::{self, event, event_base, evhttp_connection, evhttp_request};
use super::hooks::{self, Hooks, Meta, Step, CONTINUE, INPUT, OUTPUT, PAUSE, TERMINATE};
use super::server::{MarshalFn, UnmarshalFn};
use libc::{c_char, c_int, c_short, c_void, timeval};
use std::collections::VecDeque;
use std::ffi::{CStr, CString};
use std::ptr;

/// struct evrpc_status (rpc_struct.h).
#[repr(C)]
pub struct Status {
    pub error: c_int,
    pub http_req: *mut evhttp_request,
}

pub const ERR_NONE: c_int = 0;
pub const ERR_TIMEOUT: c_int = 1;
pub const ERR_BADPAYLOAD: c_int = 2;
pub const ERR_UNSTARTED: c_int = 3;
pub const ERR_HOOKABORTED: c_int = 4;

pub type DoneCb = unsafe extern "C" fn(*mut Status, *mut c_void, *mut c_void, *mut c_void);
pub type ClearFn = unsafe extern "C" fn(*mut c_void);

/// struct evrpc_pool (opaque to programs).
#[repr(C)]
pub struct Pool {
    /// first: evrpc_add_hook takes a pool as `void *`
    hooks: Hooks,
    base: *mut event_base,
    connections: Vec<*mut evhttp_connection>,
    /// seconds; 0 or less: none
    timeout: c_int,
    queue: VecDeque<*mut Request>,
    /// requests taken from the queue and not finished: being sent, paused or in flight
    active: Vec<*mut Request>,
    held: u32,
    freed: bool,
}

/// Where a request taken from the queue stands.
#[derive(Clone, Copy, PartialEq)]
enum Stage {
    /// its HTTP request is made but not handed to evhttp (the output hooks run or paused)
    Sending,
    /// evhttp has its HTTP request
    InFlight,
    /// the reply is in (the input hooks run or paused)
    Replied,
}

/// struct evrpc_request_wrapper (opaque to programs, but hooks get it as their context).
#[repr(C)]
pub struct Request {
    /// first, as in a server request: the hook context starts with its meta data
    hook_meta: *mut Meta,
    pool: *mut Pool,
    evcon: *mut evhttp_connection,
    req: *mut evhttp_request,
    timer: *mut event,
    stage: Stage,
    name: CString,
    cb: Option<DoneCb>,
    cb_arg: *mut c_void,
    request: *mut c_void,
    reply: *mut c_void,
    request_marshal: Option<MarshalFn>,
    reply_clear: Option<ClearFn>,
    reply_unmarshal: Option<UnmarshalFn>,
}

/// Runs `f` with the pool held: freed by evrpc_pool_free meanwhile, it goes when `f` returns.
unsafe fn hold<R>(pool: *mut Pool, f: impl FnOnce() -> R) -> R {
    (*pool).held += 1;
    let r = f();
    (*pool).held -= 1;
    if (*pool).held == 0 && (*pool).freed {
        destroy(pool);
    }
    r
}

/// evrpc_pool_new: `base` may be NULL (the connections keep their own).
pub fn new_pool(base: *mut event_base) -> *mut Pool {
    Box::into_raw(Box::new(Pool {
        hooks: Hooks::default(),
        base,
        connections: Vec::new(),
        timeout: -1,
        queue: VecDeque::new(),
        active: Vec::new(),
        held: 0,
        freed: false,
    }))
}

/// evrpc_pool_free: drops the requests (without callbacks), frees the connections and hooks.
///
/// # Safety
/// `pool` is live.
pub unsafe fn free_pool(pool: *mut Pool) {
    (*pool).freed = true;
    if (*pool).held == 0 {
        destroy(pool);
    }
}

unsafe fn destroy(pool: *mut Pool) {
    let p = &mut *pool;
    for r in p.queue.drain(..).chain(p.active.drain(..)) {
        let req = (*r).req;
        match (*r).stage {
            // evhttp drops a cancelled request without its callback.
            Stage::InFlight => ffi::evhttp_cancel_request(req),
            Stage::Sending if !req.is_null() => ffi::evhttp_request_free(req),
            Stage::Replied if !req.is_null() && ffi::evhttp_request_is_owned(req) != 0 => ffi::evhttp_request_free(req),
            Stage::Sending | Stage::Replied => {}
        }
        free_request(r);
    }
    for evcon in std::mem::take(&mut p.connections) {
        ffi::evhttp_connection_free(evcon);
    }
    drop(Box::from_raw(pool));
}

/// evrpc_pool_add_connection: the connection takes the pool's base if it has none, and the
/// pool's timeout if it has none of its own; the first queued request goes out on it.
///
/// # Safety
/// `pool` and `evcon` are live; `evcon` is a client connection.
pub unsafe fn add_connection(pool: *mut Pool, evcon: *mut evhttp_connection) {
    if ffi::connection_is_incoming(evcon) {
        return;
    }
    (*pool).connections.push(evcon);
    if !(*pool).base.is_null() && ffi::evhttp_connection_get_base(evcon).is_null() {
        ffi::evhttp_connection_set_base(evcon, (*pool).base);
    }
    if !ffi::connection_has_timeout(evcon) {
        ffi::evhttp_connection_set_timeout(evcon, (*pool).timeout);
    }
    if let Some(r) = (*pool).queue.pop_front() {
        hold(pool, || {
            if !send_on(evcon, r) {
                schedule(pool);
            }
        })
    }
}

/// evrpc_pool_remove_connection: the pool forgets the connection (the program keeps it).
///
/// # Safety
/// `pool` is live.
pub unsafe fn remove_connection(pool: *mut Pool, evcon: *mut evhttp_connection) {
    (*pool).connections.retain(|&c| c != evcon);
}

/// evrpc_pool_set_timeout: for the pool's connections too.
///
/// # Safety
/// `pool` is live.
pub unsafe fn set_timeout(pool: *mut Pool, secs: c_int) {
    for &evcon in &(*pool).connections {
        ffi::evhttp_connection_set_timeout(evcon, secs);
    }
    (*pool).timeout = secs;
}

/// The functions that turn a request and its reply into bytes and back.
pub struct Codec {
    pub request_marshal: Option<MarshalFn>,
    pub reply_clear: Option<ClearFn>,
    pub reply_unmarshal: Option<UnmarshalFn>,
}

/// evrpc_make_request_ctx: a request not yet sent.
///
/// # Safety
/// `name` is a C string.
pub unsafe fn new_request(
    pool: *mut Pool,
    request: *mut c_void,
    reply: *mut c_void,
    name: *const c_char,
    codec: Codec,
    cb: Option<DoneCb>,
    cb_arg: *mut c_void,
) -> *mut Request {
    Box::into_raw(Box::new(Request {
        hook_meta: ptr::null_mut(),
        pool,
        evcon: ptr::null_mut(),
        req: ptr::null_mut(),
        timer: ptr::null_mut(),
        stage: Stage::Sending,
        name: CStr::from_ptr(name).to_owned(),
        cb,
        cb_arg,
        request,
        reply,
        request_marshal: codec.request_marshal,
        reply_clear: codec.reply_clear,
        reply_unmarshal: codec.reply_unmarshal,
    }))
}

/// evrpc_make_request: queues the request and sends what can go. A pool without a
/// connection fails it at once (ERR_UNSTARTED; libevent asserts).
///
/// # Safety
/// `r` is from new_request, with a live pool.
pub unsafe fn make_request(r: *mut Request) -> c_int {
    let pool = (*r).pool;
    if (*pool).connections.is_empty() {
        hold(pool, || unstarted(r));
        return -1;
    }
    (*pool).queue.push_back(r);
    hold(pool, || schedule(pool));
    0
}

/// Calls the program's callback of a request that is never sent.
///
/// # Safety
/// `cb` is the program's callback (or None).
pub unsafe fn fail_unstarted(cb: Option<DoneCb>, request: *mut c_void, reply: *mut c_void, arg: *mut c_void) {
    let mut status = Status { error: ERR_UNSTARTED, http_req: ptr::null_mut() };
    if let Some(cb) = cb {
        cb(&mut status, request, reply, arg);
    }
}

/// Sends the first queued request if a connection is idle (and, if it fails before leaving,
/// the next: libevent would leave them queued until something else finishes).
unsafe fn schedule(pool: *mut Pool) {
    while !(*pool).freed {
        let Some(&evcon) = (*pool).connections.iter().find(|&&c| ffi::connection_is_idle(c)) else { return };
        let Some(r) = (*pool).queue.pop_front() else { return };
        if send_on(evcon, r) {
            return;
        }
    }
}

/// Makes the HTTP request and runs the output hooks: false when the request failed before
/// leaving (its callback has run).
unsafe fn send_on(evcon: *mut evhttp_connection, r: *mut Request) -> bool {
    let pool = (*r).pool;
    (*pool).active.push(r);
    (*r).stage = Stage::Sending;
    (*r).evcon = evcon;
    (*r).req = ffi::evhttp_request_new(Some(reply_cb), r as *mut c_void);
    if (*r).req.is_null() {
        unstarted(r);
        return false;
    }
    if let Some(marshal) = (*r).request_marshal {
        marshal(ffi::evhttp_request_get_output_buffer((*r).req), (*r).request);
    }
    let mut res = CONTINUE;
    if (*pool).hooks.any(OUTPUT) {
        hooks::associate(ptr::addr_of_mut!((*r).hook_meta), evcon);
        let buf = ffi::evhttp_request_get_output_buffer((*r).req);
        res = hooks::run(ptr::addr_of_mut!((*pool).hooks), OUTPUT, r as *mut c_void, (*r).req, buf);
        if (*pool).freed {
            return true; // dropped with the pool
        }
    }
    match res {
        PAUSE => {
            (*pool).hooks.pause(r as *mut c_void, Step::ClientSend);
            true
        }
        _ => start(r, res),
    }
}

/// After the output hooks: hands the HTTP request to evhttp, with the pool's timeout.
unsafe fn start(r: *mut Request, res: c_int) -> bool {
    if res == TERMINATE {
        unstarted(r);
        return false;
    }
    let pool = (*r).pool;
    if (*pool).timeout > 0 {
        let base = if (*pool).base.is_null() { ffi::evhttp_connection_get_base((*r).evcon) } else { (*pool).base };
        (*r).timer = ffi::event_new(base, -1, 0, Some(timeout_cb), r as *mut c_void);
        if !(*r).timer.is_null() {
            let tv = timeval { tv_sec: (*pool).timeout as _, tv_usec: 0 };
            ffi::event_add((*r).timer, &tv);
        }
    }
    let mut uri = b"/.rpc.".to_vec();
    uri.extend_from_slice((*r).name.as_bytes());
    let uri = CString::new(uri).unwrap_or_default();
    (*r).stage = Stage::InFlight;
    // The reply callback may run before this returns (a connection failing at once).
    if ffi::evhttp_make_request((*r).evcon, (*r).req, ffi::EVHTTP_REQ_POST, uri.as_ptr()) == -1 {
        (*r).stage = Stage::Sending; // not queued on the connection: ours to free
        unstarted(r);
        return false;
    }
    true
}

/// The pool's timeout: the request is cancelled and finishes with ERR_TIMEOUT.
unsafe extern "C" fn timeout_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let r = arg as *mut Request;
    hold((*r).pool, || {
        // Cancelled, evhttp drops the request without calling reply_cb.
        ffi::evhttp_cancel_request((*r).req);
        (*r).req = ptr::null_mut();
        (*r).stage = Stage::Replied;
        finish(r, CONTINUE);
    })
}

/// evhttp's callback of the HTTP request: the reply, or NULL when none came.
unsafe extern "C" fn reply_cb(req: *mut evhttp_request, arg: *mut c_void) {
    let r = arg as *mut Request;
    let pool = (*r).pool;
    hold(pool, || {
        if !(*r).timer.is_null() {
            ffi::event_del((*r).timer);
        }
        (*r).req = req;
        (*r).stage = Stage::Replied;
        let mut res = CONTINUE;
        if !req.is_null() && (*pool).hooks.any(INPUT) {
            hooks::associate(ptr::addr_of_mut!((*r).hook_meta), (*r).evcon);
            let buf = ffi::evhttp_request_get_input_buffer(req);
            res = hooks::run(ptr::addr_of_mut!((*pool).hooks), INPUT, r as *mut c_void, req, buf);
            if (*pool).freed {
                return; // dropped with the pool (evhttp frees the HTTP request)
            }
            if res == PAUSE {
                // evhttp frees the request when this returns unless it is owned.
                ffi::evhttp_request_own(req);
                (*pool).hooks.pause(r as *mut c_void, Step::ClientReply);
                return;
            }
        }
        finish(r, res)
    })
}

/// After the input hooks: unmarshals the reply and calls the program; then the next request.
unsafe fn finish(r: *mut Request, res: c_int) {
    let pool = (*r).pool;
    let req = (*r).req;
    let mut status = Status { error: ERR_NONE, http_req: req };
    if req.is_null() {
        status.error = ERR_TIMEOUT;
    } else if res == TERMINATE {
        status.error = ERR_HOOKABORTED;
    } else {
        let buf = ffi::evhttp_request_get_input_buffer(req);
        if (*r).reply_unmarshal.is_none_or(|f| f((*r).reply, buf) == -1) {
            status.error = ERR_BADPAYLOAD;
        }
    }
    if status.error != ERR_NONE {
        if let Some(clear) = (*r).reply_clear {
            clear((*r).reply);
        }
    }
    forget(r);
    if let Some(cb) = (*r).cb {
        cb(&mut status, (*r).request, (*r).reply, (*r).cb_arg);
    }
    free_request(r);
    if !req.is_null() && ffi::evhttp_request_is_owned(req) != 0 {
        ffi::evhttp_request_free(req);
    }
    schedule(pool);
}

/// Fails a request that never left: ERR_UNSTARTED.
unsafe fn unstarted(r: *mut Request) {
    if (*r).stage == Stage::Sending && !(*r).req.is_null() {
        ffi::evhttp_request_free((*r).req);
    }
    if !(*r).timer.is_null() {
        ffi::event_del((*r).timer);
    }
    forget(r);
    fail_unstarted((*r).cb, (*r).request, (*r).reply, (*r).cb_arg);
    free_request(r);
}

/// Continues a request paused by one of the pool's hooks.
///
/// # Safety
/// `r` is a client request that was paused at `step`.
pub unsafe fn resume(r: *mut Request, step: Step, res: c_int) {
    let pool = (*r).pool;
    hold(pool, || {
        if step == Step::ClientSend {
            if !start(r, res) {
                schedule(pool);
            }
        } else {
            finish(r, res);
        }
    })
}

/// Takes a request off the pool's list of active ones.
unsafe fn forget(r: *mut Request) {
    let active = &mut (*(*r).pool).active;
    if let Some(i) = active.iter().position(|&x| x == r) {
        active.swap_remove(i);
    }
}

unsafe fn free_request(r: *mut Request) {
    let r = Box::from_raw(r);
    hooks::free_meta(r.hook_meta);
    if !r.timer.is_null() {
        ffi::event_free(r.timer);
    }
}

// ---- accessors

/// # Safety
/// `r` is a live request.
pub unsafe fn pool(r: *mut Request) -> *mut Pool {
    (*r).pool
}

/// # Safety
/// `r` is a live request not yet sent.
pub unsafe fn set_pool(r: *mut Request, pool: *mut Pool) {
    (*r).pool = pool;
}

/// # Safety
/// `r` is a live request.
pub unsafe fn set_cb(r: *mut Request, cb: Option<DoneCb>, arg: *mut c_void) {
    (*r).cb = cb;
    (*r).cb_arg = arg;
}
