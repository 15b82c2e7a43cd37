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

#[no_mangle]
pub unsafe extern "C" fn evrpc_init(server: *mut Evhttp) -> *mut EvrpcBase {
    if server.is_null() {
        return ptr::null_mut();
    }
    server::new(server)
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_free(base: *mut EvrpcBase) {
    if !base.is_null() {
        // SAFETY: a live base; freed now or when the library's call out returns.
        server::free(base)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_register_rpc(base: *mut EvrpcBase, rpc: *mut Evrpc, cb: Option<unsafe extern "C" fn(*mut EvrpcReqGeneric, *mut c_void)>, cb_arg: *mut c_void) -> c_int {
    if base.is_null() || rpc.is_null() || (*rpc).uri.is_null() {
        return -1;
    }
    // SAFETY: a live base and the program's filled-in struct evrpc.
    server::register(base, rpc, cb, cb_arg);
    0
}

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

#[no_mangle]
pub unsafe extern "C" fn evrpc_unregister_rpc(base: *mut EvrpcBase, name: *const c_char) -> c_int {
    if base.is_null() || name.is_null() {
        return -1;
    }
    // SAFETY: a live base and a C string.
    server::unregister(base, name)
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_request_done(req: *mut EvrpcReqGeneric) {
    if !req.is_null() {
        // SAFETY: a request the RPC's callback got, not done yet.
        server::done(req)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_get_request(req: *mut EvrpcReqGeneric) -> *mut c_void {
    req.as_ref().map_or(ptr::null_mut(), |r| r.request)
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_get_reply(req: *mut EvrpcReqGeneric) -> *mut c_void {
    req.as_ref().map_or(ptr::null_mut(), |r| r.reply)
}

// ---- client

#[no_mangle]
pub unsafe extern "C" fn evrpc_pool_new(base: *mut EventBase) -> *mut EvrpcPool {
    client::new_pool(base)
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_pool_free(pool: *mut EvrpcPool) {
    if !pool.is_null() {
        // SAFETY: a live pool; freed now or when the library's call out returns.
        client::free_pool(pool)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_pool_add_connection(pool: *mut EvrpcPool, evcon: *mut EvhttpConnection) {
    if !pool.is_null() && !evcon.is_null() {
        // SAFETY: a live pool and connection.
        client::add_connection(pool, evcon)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_pool_remove_connection(pool: *mut EvrpcPool, evcon: *mut EvhttpConnection) {
    if !pool.is_null() {
        // SAFETY: a live pool.
        client::remove_connection(pool, evcon)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_pool_set_timeout(pool: *mut EvrpcPool, timeout_in_secs: c_int) {
    if !pool.is_null() {
        // SAFETY: a live pool.
        client::set_timeout(pool, timeout_in_secs)
    }
}

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

#[no_mangle]
pub unsafe extern "C" fn evrpc_make_request(ctx: *mut EvrpcRequestWrapper) -> c_int {
    if ctx.is_null() || client::pool(ctx).is_null() {
        return -1;
    }
    // SAFETY: a request from evrpc_make_request_ctx, with a live pool.
    client::make_request(ctx)
}

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

#[no_mangle]
pub unsafe extern "C" fn evrpc_request_get_pool(ctx: *mut EvrpcRequestWrapper) -> *mut EvrpcPool {
    if ctx.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a live request.
    client::pool(ctx)
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_request_set_pool(ctx: *mut EvrpcRequestWrapper, pool: *mut EvrpcPool) {
    if !ctx.is_null() {
        // SAFETY: a live request, not sent yet.
        client::set_pool(ctx, pool)
    }
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_request_set_cb(ctx: *mut EvrpcRequestWrapper, cb: Option<unsafe extern "C" fn(*mut EvrpcStatus, *mut c_void, *mut c_void, *mut c_void)>, cb_arg: *mut c_void) {
    if !ctx.is_null() {
        // SAFETY: a live request.
        client::set_cb(ctx, cb, cb_arg)
    }
}

// ---- hooks (on a base or a pool)

#[no_mangle]
pub unsafe extern "C" fn evrpc_add_hook(vbase: *mut c_void, hook_type: EvrpcHookType, cb: Option<unsafe extern "C" fn(*mut c_void, *mut EvhttpRequest, *mut Evbuffer, *mut c_void) -> c_int>, cb_arg: *mut c_void) -> *mut c_void {
    let (false, Some(cb)) = (vbase.is_null(), cb) else { return ptr::null_mut() };
    // SAFETY: an evrpc_base or evrpc_pool: both start with their hooks.
    (*(vbase as *mut hooks::Hooks)).add(hook_type, cb, cb_arg)
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_remove_hook(vbase: *mut c_void, hook_type: EvrpcHookType, handle: *mut c_void) -> c_int {
    if vbase.is_null() {
        return 0;
    }
    // SAFETY: an evrpc_base or evrpc_pool: both start with their hooks.
    (*(vbase as *mut hooks::Hooks)).remove(hook_type, handle) as c_int
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_resume_request(vbase: *mut c_void, ctx: *mut c_void, res: EvrpcHookResult) -> c_int {
    if vbase.is_null() {
        return -1;
    }
    // SAFETY: an evrpc_base or evrpc_pool; ctx is only used once found paused there.
    hooks::resume(vbase, ctx, res)
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_hook_add_meta(ctx: *mut c_void, key: *const c_char, data: *const c_void, data_size: size_t) {
    if ctx.is_null() || key.is_null() || (data.is_null() && data_size > 0) {
        return;
    }
    let data = if data_size == 0 { &[][..] } else { std::slice::from_raw_parts(data as *const u8, data_size) };
    // SAFETY: a hook context; `data` holds data_size bytes.
    hooks::add_meta(ctx, CStr::from_ptr(key), data)
}

#[no_mangle]
pub unsafe extern "C" fn evrpc_hook_find_meta(ctx: *mut c_void, key: *const c_char, data: *mut *mut c_void, data_size: *mut size_t) -> c_int {
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

#[no_mangle]
pub unsafe extern "C" fn evrpc_hook_get_connection(ctx: *mut c_void) -> *mut EvhttpConnection {
    if ctx.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a hook context.
    hooks::connection(ctx)
}
