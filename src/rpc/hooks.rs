//! What the server side (evrpc_base) and the client side (evrpc_pool) share: the input and
//! output hooks, the requests a hook has paused, and the meta data hooks attach to a request.
//!
//! evrpc_add_hook and evrpc_resume_request take either object as a `void *`: both start
//! with a `Hooks`, as libevent's both start with the same lists. A request given to a hook
//! (the `void *ctx`) is a server request (`evrpc_req_generic`) or a client request
//! (`evrpc_request_wrapper`); both start with the pointer to their meta data.
use super::ffi::{evbuffer, evhttp_connection, evhttp_request};
use super::{client, server};
use libc::{c_char, c_int, c_void};
use std::ffi::{CStr, CString};
use std::ptr;

/// A hook: `(ctx, http request, buffer, arg)` -> one of the results below.
pub type HookFn = unsafe extern "C" fn(*mut c_void, *mut evhttp_request, *mut evbuffer, *mut c_void) -> c_int;

/// enum EVRPC_HOOK_TYPE
pub const INPUT: c_int = 0;
pub const OUTPUT: c_int = 1;
/// enum EVRPC_HOOK_RESULT
pub const TERMINATE: c_int = -1;
pub const CONTINUE: c_int = 0;
pub const PAUSE: c_int = 1;

struct Hook {
    cb: HookFn,
    arg: *mut c_void,
}

/// Where a paused request goes on when it is resumed.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Step {
    /// server: unmarshal the request and call the RPC's callback
    ServerRequest,
    /// server: send the marshalled reply
    ServerReply,
    /// client: send the request
    ClientSend,
    /// client: unmarshal the reply and call the program's callback
    ClientReply,
}

/// The hooks are boxed: a hook's address is its handle (evrpc_remove_hook).
#[derive(Default)]
#[allow(clippy::vec_box)]
pub struct Hooks {
    input: Vec<Box<Hook>>,
    output: Vec<Box<Hook>>,
    paused: Vec<(*mut c_void, Step)>,
}

#[allow(clippy::vec_box)]
impl Hooks {
    fn list(&mut self, kind: c_int) -> Option<&mut Vec<Box<Hook>>> {
        match kind {
            INPUT => Some(&mut self.input),
            OUTPUT => Some(&mut self.output),
            _ => None,
        }
    }

    /// evrpc_add_hook: the hook's handle, or NULL for an unknown kind.
    pub fn add(&mut self, kind: c_int, cb: HookFn, arg: *mut c_void) -> *mut c_void {
        let Some(list) = self.list(kind) else { return ptr::null_mut() };
        let hook = Box::new(Hook { cb, arg });
        let handle = &*hook as *const Hook as *mut c_void;
        list.push(hook);
        handle
    }

    /// evrpc_remove_hook: whether the handle was in that list.
    pub fn remove(&mut self, kind: c_int, handle: *mut c_void) -> bool {
        let Some(list) = self.list(kind) else { return false };
        let Some(i) = list.iter().position(|h| ptr::eq(&**h, handle as *const Hook)) else { return false };
        list.remove(i);
        true
    }

    pub fn any(&self, kind: c_int) -> bool {
        !(if kind == INPUT { &self.input } else { &self.output }).is_empty()
    }

    pub fn pause(&mut self, ctx: *mut c_void, step: Step) {
        self.paused.push((ctx, step));
    }

    /// Takes `ctx` off the paused list: where it resumes.
    pub fn unpause(&mut self, ctx: *mut c_void) -> Option<Step> {
        let i = self.paused.iter().position(|&(c, _)| c == ctx)?;
        Some(self.paused.remove(i).1)
    }

    /// Takes every paused request off the list (when the owner is freed).
    pub fn take_paused(&mut self) -> Vec<(*mut c_void, Step)> {
        std::mem::take(&mut self.paused)
    }
}

/// Runs the hooks of one kind in order, until one answers other than CONTINUE: that answer
/// (an answer that is no EVRPC_HOOK_RESULT counts as TERMINATE), or CONTINUE.
///
/// # Safety
/// `hooks` stays live during the calls (its owner is held). No borrow of it is kept while a
/// hook runs: a hook may add or remove hooks (the walk goes on by position).
pub unsafe fn run(
    hooks: *mut Hooks,
    kind: c_int,
    ctx: *mut c_void,
    req: *mut evhttp_request,
    buf: *mut evbuffer,
) -> c_int {
    for i in 0.. {
        let Some((cb, arg)) = (*hooks).list(kind).and_then(|l| l.get(i)).map(|h| (h.cb, h.arg)) else { break };
        match cb(ctx, req, buf, arg) {
            CONTINUE => {}
            PAUSE => return PAUSE,
            _ => return TERMINATE,
        }
    }
    CONTINUE
}

/// evrpc_resume_request: continues a request paused by a hook of `owner` (an evrpc_base or
/// an evrpc_pool); -1 when it is not paused there.
///
/// # Safety
/// `owner` is a live evrpc_base or evrpc_pool.
pub unsafe fn resume(owner: *mut c_void, ctx: *mut c_void, res: c_int) -> c_int {
    let Some(step) = (*(owner as *mut Hooks)).unpause(ctx) else { return -1 };
    match step {
        Step::ServerRequest | Step::ServerReply => server::resume(ctx as *mut server::Request, step, res),
        Step::ClientSend | Step::ClientReply => client::resume(ctx as *mut client::Request, step, res),
    }
    0
}

// ---- meta data

/// The meta data of a request (struct evrpc_hook_meta, private): key/value pairs in the
/// order added, and the connection the request came or goes over.
pub struct Meta {
    pairs: Vec<(CString, Vec<u8>)>,
    pub evcon: *mut evhttp_connection,
}

/// The slot at the start of every hook context.
unsafe fn slot(ctx: *mut c_void) -> *mut *mut Meta {
    ctx as *mut *mut Meta
}

/// Sets the request's connection, making its meta data if it has none.
///
/// # Safety
/// `meta` is a request's meta slot.
pub unsafe fn associate(meta: *mut *mut Meta, evcon: *mut evhttp_connection) {
    if (*meta).is_null() {
        *meta = Box::into_raw(Box::new(Meta { pairs: Vec::new(), evcon: ptr::null_mut() }));
    }
    (**meta).evcon = evcon;
}

/// evrpc_hook_add_meta: a copy of the key and the data.
///
/// # Safety
/// `ctx` is a hook context.
pub unsafe fn add_meta(ctx: *mut c_void, key: &CStr, data: &[u8]) {
    let m = slot(ctx);
    if (*m).is_null() {
        associate(m, ptr::null_mut());
    }
    (**m).pairs.push((key.to_owned(), data.to_vec()));
}

/// evrpc_hook_find_meta: the data first added under `key` (it lives as long as the request).
///
/// # Safety
/// `ctx` is a hook context.
pub unsafe fn find_meta(ctx: *mut c_void, key: *const c_char) -> Option<(*mut c_void, usize)> {
    let m = (*slot(ctx)).as_mut()?;
    let key = CStr::from_ptr(key);
    let (_, data) = m.pairs.iter_mut().find(|(k, _)| k.as_c_str() == key)?;
    Some((data.as_mut_ptr() as *mut c_void, data.len()))
}

/// evrpc_hook_get_connection.
///
/// # Safety
/// `ctx` is a hook context.
pub unsafe fn connection(ctx: *mut c_void) -> *mut evhttp_connection {
    (*slot(ctx)).as_ref().map_or(ptr::null_mut(), |m| m.evcon)
}

/// Frees a request's meta data.
///
/// # Safety
/// `meta` is NULL or from `associate`, and not used again.
pub unsafe fn free_meta(meta: *mut Meta) {
    if !meta.is_null() {
        drop(Box::from_raw(meta));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" fn count(_: *mut c_void, _: *mut evhttp_request, _: *mut evbuffer, arg: *mut c_void) -> c_int {
        *(arg as *mut c_int) += 1;
        CONTINUE
    }

    unsafe extern "C" fn pause(_: *mut c_void, _: *mut evhttp_request, _: *mut evbuffer, _: *mut c_void) -> c_int {
        PAUSE
    }

    unsafe extern "C" fn odd(_: *mut c_void, _: *mut evhttp_request, _: *mut evbuffer, _: *mut c_void) -> c_int {
        7
    }

    #[test]
    fn hooks_run_in_order_until_one_stops() {
        let mut h = Hooks::default();
        let mut n: c_int = 0;
        let arg = &mut n as *mut c_int as *mut c_void;
        let a = h.add(INPUT, count, arg);
        let p = h.add(INPUT, pause, ptr::null_mut());
        h.add(INPUT, count, arg);
        assert!(h.add(2, count, arg).is_null());
        assert!(h.any(INPUT) && !h.any(OUTPUT));
        // SAFETY: `h` outlives the calls; the hooks ignore the null pointers.
        unsafe {
            assert_eq!(run(&mut h, INPUT, ptr::null_mut(), ptr::null_mut(), ptr::null_mut()), PAUSE);
            assert_eq!(n, 1);
            assert!(!h.remove(OUTPUT, p) && h.remove(INPUT, p) && !h.remove(INPUT, p));
            assert_eq!(run(&mut h, INPUT, ptr::null_mut(), ptr::null_mut(), ptr::null_mut()), CONTINUE);
            assert_eq!(n, 3);
            h.remove(INPUT, a);
            h.add(INPUT, odd, ptr::null_mut());
            assert_eq!(run(&mut h, INPUT, ptr::null_mut(), ptr::null_mut(), ptr::null_mut()), TERMINATE);
        }
    }

    #[test]
    fn paused_requests_resume_once() {
        let mut h = Hooks::default();
        let mut two = [0u8; 2];
        let (x, y) = (&mut two[0] as *mut u8 as *mut c_void, &mut two[1] as *mut u8 as *mut c_void);
        h.pause(x, Step::ServerReply);
        h.pause(y, Step::ClientSend);
        assert_eq!(h.unpause(y), Some(Step::ClientSend));
        assert_eq!(h.unpause(y), None);
        assert_eq!(h.take_paused(), vec![(x, Step::ServerReply)]);
        assert_eq!(h.unpause(x), None);
    }

    #[test]
    fn meta_data_first_added_wins() {
        // A hook context: its first field is the meta data pointer.
        let mut ctx: [*mut Meta; 2] = [ptr::null_mut(); 2];
        let c = ctx.as_mut_ptr() as *mut c_void;
        // SAFETY: `ctx` is laid out as a hook context and lives through the calls.
        unsafe {
            assert_eq!(find_meta(c, c"k".as_ptr()), None);
            assert!(connection(c).is_null());
            add_meta(c, c"k", b"one");
            add_meta(c, c"k", b"two");
            add_meta(c, c"empty", b"");
            let (p, n) = find_meta(c, c"k".as_ptr()).unwrap();
            assert_eq!(std::slice::from_raw_parts(p as *const u8, n), b"one");
            assert_eq!(find_meta(c, c"empty".as_ptr()).map(|(_, n)| n), Some(0));
            let mut place = 0u8;
            let evcon = &mut place as *mut u8 as *mut evhttp_connection;
            associate(ctx.as_mut_ptr(), evcon);
            assert_eq!(connection(c), evcon);
            free_meta(ctx[0]);
        }
    }
}
