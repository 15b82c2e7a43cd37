//! The RPC server: an evrpc_base registers each RPC as the evhttp callback of
//! `/.rpc.<name>`. A request must be a POST with a body; the input hooks run on it, the
//! request object is made and unmarshalled, an empty reply made, and the RPC's callback
//! called. When the program calls evrpc_request_done, the reply must be complete; it is
//! marshalled, the output hooks run on it, and it is sent as 200 OK. Any failure answers 503.
//!
//! A hook or callback may free the base (evrpc_free): the base is held while the library
//! calls out, and freed when the outermost call returns.
use super::ffi::{self, evbuffer, evhttp, evhttp_request};
use super::hooks::{self, Hooks, Meta, Step, CONTINUE, INPUT, OUTPUT, PAUSE, TERMINATE};
use crate::core::mem;
use libc::{c_char, c_int, c_void};
use std::ffi::CString;
use std::ptr;

pub type NewFn = unsafe extern "C" fn(*mut c_void) -> *mut c_void;
pub type FreeFn = unsafe extern "C" fn(*mut c_void);
pub type UnmarshalFn = unsafe extern "C" fn(*mut c_void, *mut evbuffer) -> c_int;
pub type CompleteFn = unsafe extern "C" fn(*mut c_void) -> c_int;
pub type MarshalFn = unsafe extern "C" fn(*mut evbuffer, *mut c_void);
pub type RpcCb = unsafe extern "C" fn(*mut Request, *mut c_void);

/// struct evrpc (rpc_struct.h): programs may fill one in for evrpc_register_rpc, and it is
/// released with free() (with its uri) when unregistered, as libevent does.
#[repr(C)]
pub struct Rpc {
    /// TAILQ_ENTRY(evrpc): unused (the base keeps its own list)
    pub next: [*mut c_void; 2],
    pub uri: *const c_char,
    pub request_new: Option<NewFn>,
    pub request_new_arg: *mut c_void,
    pub request_free: Option<FreeFn>,
    pub request_unmarshal: Option<UnmarshalFn>,
    pub reply_new: Option<NewFn>,
    pub reply_new_arg: *mut c_void,
    pub reply_free: Option<FreeFn>,
    pub reply_complete: Option<CompleteFn>,
    pub reply_marshal: Option<MarshalFn>,
    pub cb: Option<RpcCb>,
    pub cb_arg: *mut c_void,
    pub base: *mut Base,
}

/// struct evrpc_req_generic, laid out as EVRPC_STRUCT(name) that programs read.
#[repr(C)]
pub struct Request {
    pub hook_meta: *mut Meta,
    pub request: *mut c_void,
    pub reply: *mut c_void,
    pub rpc: *mut Rpc,
    pub http_req: *mut evhttp_request,
    pub rpc_data: *mut evbuffer,
}

const _: () = assert!(std::mem::size_of::<Rpc>() == 120 && std::mem::size_of::<Request>() == 48);

/// struct evrpc_base (opaque to programs).
#[repr(C)]
pub struct Base {
    /// first: evrpc_add_hook takes a base as `void *`
    hooks: Hooks,
    http: *mut evhttp,
    rpcs: Vec<*mut Rpc>,
    /// calls out in progress; evrpc_free waits for them
    held: u32,
    freed: bool,
}

/// `/.rpc.<name>`
unsafe fn path(name: *const c_char) -> CString {
    let mut p = b"/.rpc.".to_vec();
    p.extend_from_slice(std::ffi::CStr::from_ptr(name).to_bytes());
    CString::new(p).unwrap_or_default()
}

/// Runs `f` with the base held: freed by evrpc_free meanwhile, it goes when `f` returns.
unsafe fn hold<R>(base: *mut Base, f: impl FnOnce() -> R) -> R {
    (*base).held += 1;
    let r = f();
    (*base).held -= 1;
    if (*base).held == 0 && (*base).freed {
        destroy(base);
    }
    r
}

/// evrpc_init.
pub fn new(http: *mut evhttp) -> *mut Base {
    Box::into_raw(Box::new(Base { hooks: Hooks::default(), http, rpcs: Vec::new(), held: 0, freed: false }))
}

/// evrpc_free: unregisters every RPC, drops the hooks, and answers the requests paused in a
/// hook with 503. Requests given to RPC callbacks and not done yet must be done before (as
/// libevent requires).
///
/// # Safety
/// `base` is live.
pub unsafe fn free(base: *mut Base) {
    (*base).freed = true;
    if (*base).held == 0 {
        destroy(base);
    }
}

unsafe fn destroy(base: *mut Base) {
    for (ctx, _) in (*base).hooks.take_paused() {
        fail(ctx as *mut Request);
    }
    while let Some(&rpc) = (*base).rpcs.first() {
        unregister(base, (*rpc).uri);
    }
    drop(Box::from_raw(base));
}

/// evrpc_register_rpc: the RPC answers at `/.rpc.<uri>` from now on.
///
/// # Safety
/// `base` is live; `rpc` is a filled-in struct evrpc from malloc, its uri a malloc'd string.
pub unsafe fn register(base: *mut Base, rpc: *mut Rpc, cb: Option<RpcCb>, arg: *mut c_void) {
    (*rpc).base = base;
    (*rpc).cb = cb;
    (*rpc).cb_arg = arg;
    (*base).rpcs.push(rpc);
    let p = path((*rpc).uri);
    ffi::evhttp_set_cb((*base).http, p.as_ptr(), Some(request_cb), rpc as *mut c_void);
}

/// evrpc_register_generic: a struct evrpc made here (with the allocator the program may
/// have set, since unregistering frees it like one of the program's) from `fns`, which holds
/// the RPC's functions; its other fields are set here.
///
/// # Safety
/// `base` is live, `name` a C string.
pub unsafe fn register_generic(
    base: *mut Base,
    name: *const c_char,
    cb: Option<RpcCb>,
    arg: *mut c_void,
    fns: Rpc,
) -> c_int {
    let rpc = mem::calloc(1, std::mem::size_of::<Rpc>()) as *mut Rpc;
    if rpc.is_null() {
        return -1;
    }
    let uri = mem::strdup(name);
    if uri.is_null() {
        mem::free(rpc as *mut c_void);
        return -1;
    }
    rpc.write(Rpc { next: [ptr::null_mut(); 2], uri, cb: None, cb_arg: ptr::null_mut(), base, ..fns });
    register(base, rpc, cb, arg);
    0
}

/// evrpc_unregister_rpc: -1 when no RPC has that name.
///
/// # Safety
/// `base` is live, `name` a C string.
pub unsafe fn unregister(base: *mut Base, name: *const c_char) -> c_int {
    let Some(i) = (*base).rpcs.iter().position(|&r| libc::strcmp((*r).uri, name) == 0) else { return -1 };
    let rpc = (*base).rpcs.remove(i);
    let p = path((*rpc).uri);
    ffi::evhttp_del_cb((*base).http, p.as_ptr());
    mem::free((*rpc).uri as *mut c_void);
    mem::free(rpc as *mut c_void);
    0
}

/// The evhttp callback of every RPC.
unsafe extern "C" fn request_cb(req: *mut evhttp_request, arg: *mut c_void) {
    let rpc = arg as *mut Rpc;
    let base = (*rpc).base;
    if ffi::evhttp_request_get_command(req) != ffi::EVHTTP_REQ_POST
        || ffi::evbuffer_get_length(ffi::evhttp_request_get_input_buffer(req)) == 0
    {
        ffi::evhttp_send_error(req, ffi::HTTP_SERVUNAVAIL, ptr::null());
        return;
    }
    let r = Box::into_raw(Box::new(Request {
        hook_meta: ptr::null_mut(),
        request: ptr::null_mut(),
        reply: ptr::null_mut(),
        rpc,
        http_req: req,
        rpc_data: ptr::null_mut(),
    }));
    hold(base, || {
        let res = run_hooks(base, r, INPUT, ffi::evhttp_request_get_input_buffer(req));
        if res == PAUSE {
            (*base).hooks.pause(r as *mut c_void, Step::ServerRequest);
        } else {
            call(r, res);
        }
    })
}

/// Runs the base's hooks of one kind on a request, if it has any.
unsafe fn run_hooks(base: *mut Base, r: *mut Request, kind: c_int, buf: *mut evbuffer) -> c_int {
    if !(*base).hooks.any(kind) {
        return CONTINUE;
    }
    let req = (*r).http_req;
    hooks::associate(ptr::addr_of_mut!((*r).hook_meta), ffi::evhttp_request_get_connection(req));
    hooks::run(ptr::addr_of_mut!((*base).hooks), kind, r as *mut c_void, req, buf)
}

/// After the input hooks: the request object, the empty reply, the RPC's callback.
unsafe fn call(r: *mut Request, res: c_int) {
    let rpc = (*r).rpc;
    if res == TERMINATE || (*(*rpc).base).freed {
        return fail(r);
    }
    let (Some(new_req), Some(unmarshal), Some(new_reply), Some(cb)) =
        ((*rpc).request_new, (*rpc).request_unmarshal, (*rpc).reply_new, (*rpc).cb)
    else {
        return fail(r);
    };
    (*r).request = new_req((*rpc).request_new_arg);
    if (*r).request.is_null() || unmarshal((*r).request, ffi::evhttp_request_get_input_buffer((*r).http_req)) == -1 {
        return fail(r);
    }
    (*r).reply = new_reply((*rpc).reply_new_arg);
    if (*r).reply.is_null() {
        return fail(r);
    }
    // The callback owns the request now: it calls evrpc_request_done, maybe later.
    cb(r, (*rpc).cb_arg)
}

/// evrpc_request_done: checks, marshals and sends the reply (after the output hooks).
///
/// # Safety
/// `r` is a request given to an RPC callback, not done yet.
pub unsafe fn done(r: *mut Request) {
    let rpc = (*r).rpc;
    let base = (*rpc).base;
    hold(base, || {
        let (Some(complete), Some(marshal)) = ((*rpc).reply_complete, (*rpc).reply_marshal) else { return fail(r) };
        if complete((*r).reply) == -1 {
            return fail(r);
        }
        (*r).rpc_data = ffi::evbuffer_new();
        if (*r).rpc_data.is_null() {
            return fail(r);
        }
        marshal((*r).rpc_data, (*r).reply);
        let res = run_hooks(base, r, OUTPUT, (*r).rpc_data);
        if res == PAUSE {
            (*base).hooks.pause(r as *mut c_void, Step::ServerReply);
        } else {
            send(r, res);
        }
    })
}

/// After the output hooks: 200 OK with the marshalled reply.
unsafe fn send(r: *mut Request, res: c_int) {
    if res == TERMINATE {
        return fail(r);
    }
    let req = (*r).http_req;
    let headers = ffi::evhttp_request_get_output_headers(req);
    if ffi::evhttp_find_header(headers, c"Content-Type".as_ptr()).is_null() {
        ffi::evhttp_add_header(headers, c"Content-Type".as_ptr(), c"application/octet-stream".as_ptr());
    }
    ffi::evhttp_send_reply(req, ffi::HTTP_OK, c"OK".as_ptr(), (*r).rpc_data);
    free_request(r);
}

/// Continues a request paused by one of the base's hooks.
///
/// # Safety
/// `r` is a server request that was paused at `step`.
pub unsafe fn resume(r: *mut Request, step: Step, res: c_int) {
    hold((*(*r).rpc).base, || if step == Step::ServerRequest { call(r, res) } else { send(r, res) })
}

/// Drops the request and answers 503.
unsafe fn fail(r: *mut Request) {
    let req = (*r).http_req;
    free_request(r);
    ffi::evhttp_send_error(req, ffi::HTTP_SERVUNAVAIL, ptr::null());
}

unsafe fn free_request(r: *mut Request) {
    let r = Box::from_raw(r);
    let rpc = r.rpc;
    hooks::free_meta(r.hook_meta);
    if let (false, Some(f)) = (r.request.is_null(), (*rpc).request_free) {
        f(r.request);
    }
    if let (false, Some(f)) = (r.reply.is_null(), (*rpc).reply_free) {
        f(r.reply);
    }
    if !r.rpc_data.is_null() {
        ffi::evbuffer_free(r.rpc_data);
    }
}
