//! Exports of event2/rpc.h: the RPC server (src/rpc/server.rs), the client pool
//! (src/rpc/client.rs) and the hooks both have (src/rpc/hooks.rs). libevent crashes or
//! asserts on NULL objects and unknown hook kinds; these return the failure value instead.
#![allow(non_camel_case_types)]
#![allow(clippy::too_many_arguments)]
use crate::rpc::client::{self, Codec};
use crate::rpc::ffi;
use crate::rpc::hooks;
use crate::rpc::server;
use libc::{c_char, c_int, c_void, size_t};
use std::ffi::CStr;
use std::ptr;

pub type EvrpcBase = server::Base;
pub type Evrpc = server::Rpc;
pub type EvrpcReqGeneric = server::Request;
pub type EvrpcPool = client::Pool;
pub type EvrpcRequestWrapper = client::Request;
pub type EvrpcStatus = client::Status;
pub type Evhttp = ffi::evhttp;
pub type EvhttpConnection = ffi::evhttp_connection;
pub type EvhttpRequest = ffi::evhttp_request;
pub type Evbuffer = ffi::evbuffer;
pub type EventBase = ffi::event_base;
pub type EvrpcHookType = c_int;
pub type EvrpcHookResult = c_int;

// The callback types are written out in the signatures, so that the generated prototypes
// read as libevent's.

// ---- server

/// Makes an RPC server on an HTTP server: each registered RPC answers POST requests at
/// the path "/.rpc." followed by its name.
/// @param server the HTTP server, which must outlive the RPC base.
/// @return the base, which the caller frees with `evrpc_free()`; NULL for a NULL server.
#[no_mangle]
pub unsafe extern "C" fn evrpc_init(server: *mut Evhttp) -> *mut EvrpcBase {
    if server.is_null() {
        return ptr::null_mut();
    }
    server::new(server)
}

/// Frees an RPC server: every RPC is unregistered (freeing its `struct evrpc`), its hooks are
/// dropped, and requests paused in a hook are answered with 503. Requests handed to RPC callbacks
/// must have been done before. The HTTP server is not freed. Unlike libevent, it may be called
/// from the base's own callbacks and hooks: the memory goes when they return. NULL does nothing.
/// @param base the RPC base.
#[no_mangle]
pub unsafe extern "C" fn evrpc_free(base: *mut EvrpcBase) {
    if !base.is_null() {
        // SAFETY: a live base; freed now or when the library's call out returns.
        server::free(base)
    }
}

/// Registers an RPC described by a `struct evrpc` the program filled in (the lower-level form of
/// `EVRPC_REGISTER`).
/// @param base the RPC base.
/// @param rpc the description, allocated with malloc (or the allocator given to
/// `event_set_mem_functions()`), with `uri` (the name) a string allocated the same way: the base
/// owns both from now on and frees them when the RPC is unregistered.
/// @param cb called with each request (see `EVRPC_REGISTER`).
/// @param cb_arg the callback's argument.
/// @return 0, or -1 for a NULL `base`, `rpc` or `rpc->uri`.
#[no_mangle]
pub unsafe extern "C" fn evrpc_register_rpc(
    base: *mut EvrpcBase,
    rpc: *mut Evrpc,
    cb: Option<unsafe extern "C" fn(*mut EvrpcReqGeneric, *mut c_void)>,
    cb_arg: *mut c_void,
) -> c_int {
    if base.is_null() || rpc.is_null() || (*rpc).uri.is_null() {
        return -1;
    }
    // SAFETY: a live base and the program's filled-in struct evrpc.
    server::register(base, rpc, cb, cb_arg);
    0
}

/// Registers an RPC from its name and its types' functions; what `EVRPC_REGISTER` expands to.
/// For each request the base makes a request object (`req_new`), fills it from the POST body
/// (`req_unmarshal`), makes a reply object (`rpl_new`) and calls `callback`; after
/// `evrpc_request_done()` it checks the reply (`rpl_complete`), writes it (`rpl_marshal`), sends
/// it and frees both objects. A request that is not a POST with a body, or that cannot be
/// unmarshalled, is answered with 503, as in libevent.
/// @param base the RPC base.
/// @param name the RPC's name (copied).
/// @param callback called with each request and `cbarg`.
/// @param cbarg the callback's argument.
/// @param req_new makes a request object, given `req_new_arg`.
/// @param req_new_arg the argument of `req_new`.
/// @param req_free frees a request object.
/// @param req_unmarshal fills a request object from a buffer; -1 on bad data.
/// @param rpl_new makes a reply object, given `rpl_new_arg`.
/// @param rpl_new_arg the argument of `rpl_new`.
/// @param rpl_free frees a reply object.
/// @param rpl_complete 0 when every required field of the reply is set, -1 otherwise.
/// @param rpl_marshal writes a reply object to a buffer.
/// @return 0, or -1 on failure (NULL `base` or `name`, memory exhausted).
#[no_mangle]
pub unsafe extern "C" fn evrpc_register_generic(
    base: *mut EvrpcBase,
    name: *const c_char,
    callback: Option<unsafe extern "C" fn(*mut EvrpcReqGeneric, *mut c_void)>,
    cbarg: *mut c_void,
    req_new: Option<unsafe extern "C" fn(*mut c_void) -> *mut c_void>,
    req_new_arg: *mut c_void,
    req_free: Option<unsafe extern "C" fn(*mut c_void)>,
    req_unmarshal: Option<unsafe extern "C" fn(*mut c_void, *mut Evbuffer) -> c_int>,
    rpl_new: Option<unsafe extern "C" fn(*mut c_void) -> *mut c_void>,
    rpl_new_arg: *mut c_void,
    rpl_free: Option<unsafe extern "C" fn(*mut c_void)>,
    rpl_complete: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    rpl_marshal: Option<unsafe extern "C" fn(*mut Evbuffer, *mut c_void)>,
) -> c_int {
    if base.is_null() || name.is_null() {
        return -1;
    }
    let fns = Evrpc {
        next: [ptr::null_mut(); 2],
        uri: ptr::null(),
        request_new: req_new,
        request_new_arg: req_new_arg,
        request_free: req_free,
        request_unmarshal: req_unmarshal,
        reply_new: rpl_new,
        reply_new_arg: rpl_new_arg,
        reply_free: rpl_free,
        reply_complete: rpl_complete,
        reply_marshal: rpl_marshal,
        cb: None,
        cb_arg: ptr::null_mut(),
        base: ptr::null_mut(),
    };
    // SAFETY: a live base and a C string.
    server::register_generic(base, name, callback, cbarg, fns)
}

/// Stops serving an RPC and frees its `struct evrpc`.
/// @param base the RPC base.
/// @param name the RPC's name.
/// @return 0, or -1 when no RPC has that name (or on NULL).
#[no_mangle]
pub unsafe extern "C" fn evrpc_unregister_rpc(base: *mut EvrpcBase, name: *const c_char) -> c_int {
    if base.is_null() || name.is_null() {
        return -1;
    }
    // SAFETY: a live base and a C string.
    server::unregister(base, name)
}

/// Sends the reply of a request given to an RPC callback (what `EVRPC_REQUEST_DONE` calls):
/// the output hooks run, then the reply goes out with 200, or 503 when it is not complete (or a
/// hook terminates it); the request and its objects are freed. It may be called later, from another callback of the loop.
/// @param req the request; it must not be used afterwards. NULL does nothing.
#[no_mangle]
pub unsafe extern "C" fn evrpc_request_done(req: *mut EvrpcReqGeneric) {
    if !req.is_null() {
        // SAFETY: a request the RPC's callback got, not done yet.
        server::done(req)
    }
}

/// The request object (the unmarshalled argument) of a server-side request.
/// @param req the request given to the RPC callback.
/// @return the object (the library's: freed when the request is done), or NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn evrpc_get_request(req: *mut EvrpcReqGeneric) -> *mut c_void {
    req.as_ref().map_or(ptr::null_mut(), |r| r.request)
}

/// The reply object of a server-side request, which the callback fills in.
/// @param req the request given to the RPC callback.
/// @return the object (the library's: freed when the request is done), or NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn evrpc_get_reply(req: *mut EvrpcReqGeneric) -> *mut c_void {
    req.as_ref().map_or(ptr::null_mut(), |r| r.reply)
}

// ---- client

/// Makes a pool of HTTP connections that RPC requests are sent over.
/// @param base the base the connections run on; may be NULL when each connection has its own.
/// @return the pool, which the caller frees with `evrpc_pool_free()`.
#[no_mangle]
pub unsafe extern "C" fn evrpc_pool_new(base: *mut EventBase) -> *mut EvrpcPool {
    client::new_pool(base)
}

/// Frees a pool: requests still queued or in flight are dropped without their callbacks, the
/// connections added with `evrpc_pool_add_connection()` are freed, and the hooks are dropped. The
/// request and reply objects stay the program's. Unlike libevent, it may be called from the
/// pool's own callbacks and hooks: the memory goes when they return. NULL does nothing.
/// @param pool the pool.
#[no_mangle]
pub unsafe extern "C" fn evrpc_pool_free(pool: *mut EvrpcPool) {
    if !pool.is_null() {
        // SAFETY: a live pool; freed now or when the library's call out returns.
        client::free_pool(pool)
    }
}

/// Adds an HTTP client connection to the pool, which owns it from now on (it frees it with the
/// pool). The connection takes the pool's base if it has none, and the pool's timeout if it has
/// none of its own; queued requests start going out on it.
/// @param pool the pool.
/// @param evcon the connection (`evhttp_connection_base_new()`); NULL does nothing.
#[no_mangle]
pub unsafe extern "C" fn evrpc_pool_add_connection(pool: *mut EvrpcPool, evcon: *mut EvhttpConnection) {
    if !pool.is_null() && !evcon.is_null() {
        // SAFETY: a live pool and connection.
        client::add_connection(pool, evcon)
    }
}

/// Takes a connection out of the pool, which no longer frees it: the program owns it again.
/// @param pool the pool; NULL does nothing.
/// @param evcon the connection.
#[no_mangle]
pub unsafe extern "C" fn evrpc_pool_remove_connection(pool: *mut EvrpcPool, evcon: *mut EvhttpConnection) {
    if !pool.is_null() {
        // SAFETY: a live pool.
        client::remove_connection(pool, evcon)
    }
}

/// Sets how long a request may wait for its reply before it fails with `EVRPC_STATUS_ERR_TIMEOUT`,
/// for the pool and its connections.
/// @param pool the pool; NULL does nothing.
/// @param timeout_in_secs the timeout in seconds; 0 or less: none.
#[no_mangle]
pub unsafe extern "C" fn evrpc_pool_set_timeout(pool: *mut EvrpcPool, timeout_in_secs: c_int) {
    if !pool.is_null() {
        // SAFETY: a live pool.
        client::set_timeout(pool, timeout_in_secs)
    }
}

/// Makes a client request that is not sent yet (what `EVRPC_MAKE_CTX` expands to), so that its
/// pool or callback can be changed before `evrpc_make_request()`.
/// @param pool the pool to send it through.
/// @param request the request object (the program's; never freed by the library).
/// @param reply the reply object (the program's), filled in when the reply comes.
/// @param rpcname the RPC's name (copied).
/// @param req_marshal writes the request object to a buffer.
/// @param rpl_clear empties the reply object (called when the RPC fails).
/// @param rpl_unmarshal fills the reply object from a buffer; -1 on bad data.
/// @param cb called once with the status, the request, the reply and `cbarg` when the RPC ends.
/// @param cbarg the callback's argument.
/// @return the request, owned by the library once given to `evrpc_make_request()`; NULL for a
/// NULL name.
#[no_mangle]
pub unsafe extern "C" fn evrpc_make_request_ctx(
    pool: *mut EvrpcPool,
    request: *mut c_void,
    reply: *mut c_void,
    rpcname: *const c_char,
    req_marshal: Option<unsafe extern "C" fn(*mut Evbuffer, *mut c_void)>,
    rpl_clear: Option<unsafe extern "C" fn(*mut c_void)>,
    rpl_unmarshal: Option<unsafe extern "C" fn(*mut c_void, *mut Evbuffer) -> c_int>,
    cb: Option<unsafe extern "C" fn(*mut EvrpcStatus, *mut c_void, *mut c_void, *mut c_void)>,
    cbarg: *mut c_void,
) -> *mut EvrpcRequestWrapper {
    if rpcname.is_null() {
        return ptr::null_mut();
    }
    let codec = Codec { request_marshal: req_marshal, reply_clear: rpl_clear, reply_unmarshal: rpl_unmarshal };
    // SAFETY: a C string.
    client::new_request(pool, request, reply, rpcname, codec, cb, cbarg)
}

/// Queues a request from `evrpc_make_request_ctx()` on its pool; it goes out when a connection is
/// free. The callback runs once, from the loop, when the RPC ends; the library frees the request
/// after it.
/// @param ctx the request.
/// @return 0; -1 when `ctx` or its pool is NULL (the request stays the program's), or when the
/// pool has no connection: the callback then runs at once with `EVRPC_STATUS_ERR_UNSTARTED` and
/// the request is freed (libevent asserts).
#[no_mangle]
pub unsafe extern "C" fn evrpc_make_request(ctx: *mut EvrpcRequestWrapper) -> c_int {
    if ctx.is_null() || client::pool(ctx).is_null() {
        return -1;
    }
    // SAFETY: a request from evrpc_make_request_ctx, with a live pool.
    client::make_request(ctx)
}

/// Makes and queues a request in one call; what the function defined by `EVRPC_GENERATE` calls.
/// @param pool the pool.
/// @param request the request object (the program's).
/// @param reply the reply object (the program's).
/// @param cb called once with the outcome.
/// @param cb_arg the callback's argument.
/// @param rpcname the RPC's name.
/// @param req_marshal writes the request object to a buffer.
/// @param rpl_clear empties the reply object.
/// @param rpl_unmarshal fills the reply object from a buffer.
/// @return 0, or -1 when the request could not be queued; the callback has then run with
/// `EVRPC_STATUS_ERR_UNSTARTED`.
#[no_mangle]
pub unsafe extern "C" fn evrpc_send_request_generic(
    pool: *mut EvrpcPool,
    request: *mut c_void,
    reply: *mut c_void,
    cb: Option<unsafe extern "C" fn(*mut EvrpcStatus, *mut c_void, *mut c_void, *mut c_void)>,
    cb_arg: *mut c_void,
    rpcname: *const c_char,
    req_marshal: Option<unsafe extern "C" fn(*mut Evbuffer, *mut c_void)>,
    rpl_clear: Option<unsafe extern "C" fn(*mut c_void)>,
    rpl_unmarshal: Option<unsafe extern "C" fn(*mut c_void, *mut Evbuffer) -> c_int>,
) -> c_int {
    if pool.is_null() || rpcname.is_null() {
        // SAFETY: the program's callback, told the request never started.
        client::fail_unstarted(cb, request, reply, cb_arg);
        return -1;
    }
    let ctx = evrpc_make_request_ctx(pool, request, reply, rpcname, req_marshal, rpl_clear, rpl_unmarshal, cb, cb_arg);
    evrpc_make_request(ctx)
}

/// The pool of a client request.
/// @param ctx the request.
/// @return the pool, or NULL.
#[no_mangle]
pub unsafe extern "C" fn evrpc_request_get_pool(ctx: *mut EvrpcRequestWrapper) -> *mut EvrpcPool {
    if ctx.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a live request.
    client::pool(ctx)
}

/// Changes the pool of a client request not sent yet.
/// @param ctx the request; NULL does nothing.
/// @param pool the pool.
#[no_mangle]
pub unsafe extern "C" fn evrpc_request_set_pool(ctx: *mut EvrpcRequestWrapper, pool: *mut EvrpcPool) {
    if !ctx.is_null() {
        // SAFETY: a live request, not sent yet.
        client::set_pool(ctx, pool)
    }
}

/// Changes the callback of a client request.
/// @param ctx the request; NULL does nothing.
/// @param cb the callback.
/// @param cb_arg its argument.
#[no_mangle]
pub unsafe extern "C" fn evrpc_request_set_cb(
    ctx: *mut EvrpcRequestWrapper,
    cb: Option<unsafe extern "C" fn(*mut EvrpcStatus, *mut c_void, *mut c_void, *mut c_void)>,
    cb_arg: *mut c_void,
) {
    if !ctx.is_null() {
        // SAFETY: a live request.
        client::set_cb(ctx, cb, cb_arg)
    }
}

// ---- hooks (on a base or a pool)

/// Adds a hook to a server (`struct evrpc_base`) or a pool: input hooks see each incoming request
/// (server) or reply (pool) before it is unmarshalled, output hooks each outgoing reply (server) or
/// request (pool) after it is marshalled. Hooks run in the order added; each gets the request
/// context, the HTTP request, the buffer (which it may change) and `cb_arg`, and returns an
/// `enum EVRPC_HOOK_RESULT`.
/// @param vbase an `evrpc_base` or an `evrpc_pool`.
/// @param hook_type `EVRPC_INPUT` or `EVRPC_OUTPUT`.
/// @param cb the hook.
/// @param cb_arg its argument.
/// @return a handle for `evrpc_remove_hook()` (the library's), or NULL for a NULL argument or an
/// unknown type (libevent asserts).
#[no_mangle]
pub unsafe extern "C" fn evrpc_add_hook(
    vbase: *mut c_void,
    hook_type: EvrpcHookType,
    cb: Option<unsafe extern "C" fn(*mut c_void, *mut EvhttpRequest, *mut Evbuffer, *mut c_void) -> c_int>,
    cb_arg: *mut c_void,
) -> *mut c_void {
    let (false, Some(cb)) = (vbase.is_null(), cb) else { return ptr::null_mut() };
    // SAFETY: an evrpc_base or evrpc_pool: both start with their hooks.
    (*(vbase as *mut hooks::Hooks)).add(hook_type, cb, cb_arg)
}

/// Removes a hook added with `evrpc_add_hook()`.
/// @param vbase the `evrpc_base` or `evrpc_pool`.
/// @param hook_type the type it was added with.
/// @param handle the handle.
/// @return 1 when it was removed, 0 when there was no such hook.
#[no_mangle]
pub unsafe extern "C" fn evrpc_remove_hook(vbase: *mut c_void, hook_type: EvrpcHookType, handle: *mut c_void) -> c_int {
    if vbase.is_null() {
        return 0;
    }
    // SAFETY: an evrpc_base or evrpc_pool: both start with their hooks.
    (*(vbase as *mut hooks::Hooks)).remove(hook_type, handle) as c_int
}

/// Continues a request that a hook paused (`EVRPC_PAUSE`).
/// @param vbase the `evrpc_base` or `evrpc_pool` of the hook.
/// @param ctx the request context the hook was given.
/// @param res `EVRPC_CONTINUE` to go on, `EVRPC_TERMINATE` to end it (a server answers 503; a
/// client's callback gets `EVRPC_STATUS_ERR_HOOKABORTED`, or `EVRPC_STATUS_ERR_UNSTARTED` when the
/// request had not left).
/// @return 0, or -1 when the request is not paused there (or on NULL).
#[no_mangle]
pub unsafe extern "C" fn evrpc_resume_request(vbase: *mut c_void, ctx: *mut c_void, res: EvrpcHookResult) -> c_int {
    if vbase.is_null() {
        return -1;
    }
    // SAFETY: an evrpc_base or evrpc_pool; ctx is only used once found paused there.
    hooks::resume(vbase, ctx, res)
}

/// Attaches a named block of data to a request, for its other hooks (and, on a server, for the
/// output hooks of its reply). Key and data are copied.
/// @param ctx the request context a hook was given.
/// @param key the name.
/// @param data the bytes.
/// @param data_size their number.
#[no_mangle]
pub unsafe extern "C" fn evrpc_hook_add_meta(
    ctx: *mut c_void,
    key: *const c_char,
    data: *const c_void,
    data_size: size_t,
) {
    if ctx.is_null() || key.is_null() || (data.is_null() && data_size > 0) {
        return;
    }
    let data = if data_size == 0 { &[][..] } else { std::slice::from_raw_parts(data as *const u8, data_size) };
    // SAFETY: a hook context; `data` holds data_size bytes.
    hooks::add_meta(ctx, CStr::from_ptr(key), data)
}

/// Finds data attached with `evrpc_hook_add_meta()` (the first added under that name).
/// @param ctx the request context a hook was given.
/// @param key the name.
/// @param data receives a pointer to the library's copy, valid while the request lives.
/// @param data_size receives its size.
/// @return 0, or -1 when there is no such data.
#[no_mangle]
pub unsafe extern "C" fn evrpc_hook_find_meta(
    ctx: *mut c_void,
    key: *const c_char,
    data: *mut *mut c_void,
    data_size: *mut size_t,
) -> c_int {
    if ctx.is_null() || key.is_null() {
        return -1;
    }
    // SAFETY: a hook context and a C string.
    let Some((p, n)) = hooks::find_meta(ctx, key) else { return -1 };
    if !data.is_null() {
        *data = p;
    }
    if !data_size.is_null() {
        *data_size = n;
    }
    0
}

/// The HTTP connection a request came in on or goes out over.
/// @param ctx the request context a hook was given.
/// @return the connection, or NULL when it is not known yet (or for NULL).
#[no_mangle]
pub unsafe extern "C" fn evrpc_hook_get_connection(ctx: *mut c_void) -> *mut EvhttpConnection {
    if ctx.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a hook context.
    hooks::connection(ctx)
}
