//! evbuffer: the byte queue under bufferevents and HTTP (event2/buffer.h).
//!
//! `Evbuffer` is the object C programs hold a pointer to. Its state is split in two cells:
//! `Inner`, the chains (mutated only inside `with`, which never calls program code), and the
//! callback list, walked through raw pointers so that callbacks may re-enter the buffer.
//! Every operation takes the buffer's lock (a no-op unless locking was enabled), changes the
//! chains, releases chains whose cleanup calls the program, then runs the callbacks, in the
//! order libevent does.
pub mod callbacks;
pub mod chain;
mod chains;
mod deferred;
mod file;
pub mod inner;
mod io;
#[cfg(any(test, feature = "model"))]
pub mod model;
pub mod search;
pub mod shim;

use crate::core::{log, mem, sync};
use callbacks::{CbEntry, CbFunc, CbList, CbObsolete, CB_ENABLED, CB_NODEFER};
use chain::{RefCleanup, Shared};
pub use file::{FileSegment, SegCleanup, FS_CLOSE_ON_FREE, FS_DISABLE_LOCKING, FS_DISABLE_MMAP, FS_DISABLE_SENDFILE};
use inner::Inner;
use libc::{c_int, c_uint, c_void};
use std::cell::{Cell, UnsafeCell};
use std::sync::Arc;

/// `EVBUFFER_FLAG_DRAINS_TO_FD`: file segments added to the buffer may be sent with sendfile.
pub const FLAG_DRAINS_TO_FD: u32 = 1;

/// `struct evbuffer_ptr`: 24 bytes, `pos` then libevent's `internal_.chain` and
/// `internal_.pos_in_chain`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct EvbufferPtr {
    pub pos: isize,
    pub chain: *mut c_void,
    pub pos_in_chain: usize,
}

impl EvbufferPtr {
    pub const NOT_FOUND: EvbufferPtr = EvbufferPtr { pos: -1, chain: std::ptr::null_mut(), pos_in_chain: 0 };
}

/// `struct evbuffer_iovec`, which is `struct iovec` on this platform.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct EvbufferIovec {
    pub iov_base: *mut c_void,
    pub iov_len: usize,
}

impl Default for EvbufferIovec {
    fn default() -> Self {
        EvbufferIovec { iov_base: std::ptr::null_mut(), iov_len: 0 }
    }
}

/// `struct evbuffer_cb_info`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CbInfo {
    pub orig_size: usize,
    pub n_added: usize,
    pub n_deleted: usize,
}

pub type Res = Result<(), ()>;

pub struct Evbuffer {
    inner: UnsafeCell<Inner>,
    cbs: UnsafeCell<CbList>,
    lock: Cell<*mut c_void>,
    own_lock: Cell<bool>,
    /// References: the program's, plus one while a deferred callback run is pending.
    refcnt: Cell<u32>,
    /// The event that runs deferred callbacks (NULL unless evbuffer_defer_callbacks).
    deferred: Cell<*mut crate::core::event::Event>,
    deferred_pending: Cell<bool>,
    /// The most one `read` takes in (libevent 2.2's evbuffer_set_max_read).
    max_read: Cell<usize>,
}

// SAFETY: concurrent use is only allowed after evbuffer_enable_locking(), and then every access
// to the cells happens with the buffer's lock held.
unsafe impl Send for Evbuffer {}
// SAFETY: as above.
unsafe impl Sync for Evbuffer {}

impl Default for Evbuffer {
    fn default() -> Self {
        Evbuffer::new()
    }
}

impl Evbuffer {
    pub fn new() -> Evbuffer {
        Evbuffer {
            inner: UnsafeCell::new(Inner::new()),
            cbs: UnsafeCell::new(CbList::default()),
            lock: Cell::new(std::ptr::null_mut()),
            own_lock: Cell::new(false),
            refcnt: Cell::new(1),
            deferred: Cell::new(std::ptr::null_mut()),
            deferred_pending: Cell::new(false),
            max_read: Cell::new(io::DEFAULT_MAX_READ),
        }
    }

    pub fn as_ptr(&self) -> *mut Evbuffer {
        self as *const Evbuffer as *mut Evbuffer
    }

    /// `evbuffer_set_max_read` (libevent 2.2): 0 and more than INT_MAX are refused.
    pub fn set_max_read(&self, max: usize) -> Res {
        if max == 0 || max > c_int::MAX as usize {
            return Err(());
        }
        self.locked(|| self.max_read.set(max));
        Ok(())
    }

    pub fn max_read(&self) -> usize {
        self.locked(|| self.max_read.get())
    }

    // ---- locking and the two cells ----------------------------------------------------------

    #[inline]
    pub fn acquire(&self) {
        // SAFETY: the lock, when set, came from the lock callbacks or the program.
        unsafe { sync::lock(self.lock.get()) };
    }

    #[inline]
    pub fn release(&self) {
        // SAFETY: as for acquire.
        unsafe { sync::unlock(self.lock.get()) };
    }

    #[inline]
    fn locked<R>(&self, f: impl FnOnce() -> R) -> R {
        self.acquire();
        let r = f();
        self.release();
        r
    }

    /// Runs `f` on both buffers with both locked, the lower address first.
    fn locked2<R>(&self, other: &Evbuffer, f: impl FnOnce() -> R) -> R {
        let (a, b) = if (self as *const Evbuffer) < (other as *const Evbuffer) { (self, other) } else { (other, self) };
        a.acquire();
        if !std::ptr::eq(a, b) {
            b.acquire();
        }
        let r = f();
        if !std::ptr::eq(a, b) {
            b.release();
        }
        a.release();
        r
    }

    /// Gives `f` the chains. `f` must not call program code (nothing in Inner does), so no
    /// other borrow of the cell can arise while it runs.
    #[inline]
    pub fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        // SAFETY: callers hold the lock (or the buffer is single-threaded) and no other borrow of
        // the cell is live: borrows never outlast these closures and program code never runs
        // inside them.
        let r = f(unsafe { &mut *self.inner.get() });
        self.bury();
        r
    }

    fn with2<R>(&self, other: &Evbuffer, f: impl FnOnce(&mut Inner, &mut Inner) -> R) -> R {
        debug_assert!(!std::ptr::eq(self, other));
        // SAFETY: as for `with`; the two cells belong to distinct buffers.
        let r = f(unsafe { &mut *self.inner.get() }, unsafe { &mut *other.inner.get() });
        self.bury();
        other.bury();
        r
    }

    /// Releases the chains whose cleanup runs program code, now that no borrow is held.
    #[inline]
    fn bury(&self) {
        // SAFETY: reads the length; no borrow of the cell is live.
        if unsafe { (*self.inner.get()).graveyard.is_none() } {
            return;
        }
        self.bury_slow();
    }

    #[inline(never)]
    fn bury_slow(&self) {
        // SAFETY: a short borrow that ends before the chains are dropped.
        let dead = unsafe { (*self.inner.get()).graveyard.take() };
        drop(dead);
    }

    /// Tells the callbacks what changed since they last ran (libevent's
    /// `evbuffer_invoke_callbacks_`).
    #[inline(always)]
    pub fn invoke_callbacks(&self) {
        // SAFETY: reading whether the list is empty; walks never hold a reference into it.
        if unsafe { (*self.cbs.get()).is_empty() } {
            // Nobody to tell (and nothing to defer): forget the counts, as libevent does.
            // SAFETY: a short exclusive borrow; no other borrow of the cell is live here.
            let b = unsafe { &mut *self.inner.get() };
            b.n_add = 0;
            b.n_del = 0;
            return;
        }
        self.invoke_watched();
    }

    #[inline(never)]
    fn invoke_watched(&self) {
        if self.schedule_deferred() {
            // The deferred run will want the counters: only NODEFER callbacks run now.
            if let Some(info) = self.take_info(false) {
                self.run_selected(&info, CB_NODEFER | CB_ENABLED, CB_NODEFER | CB_ENABLED);
            }
        } else if let Some(info) = self.take_info(true) {
            self.run_selected(&info, CB_ENABLED, CB_ENABLED);
        }
    }

    #[inline]
    fn op<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        self.locked(|| {
            let r = self.with(f);
            self.invoke_callbacks();
            r
        })
    }

    // ---- basic queries and changes ------------------------------------------------------------

    pub fn len(&self) -> usize {
        self.locked(|| self.with(|b| b.total))
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn contiguous_space(&self) -> usize {
        self.locked(|| self.with(|b| b.contiguous_space()))
    }

    pub fn expand(&self, datlen: usize) -> Res {
        self.locked(|| self.with(|b| b.expand_singlechain(datlen).map(|_| ()).ok_or(())))
    }

    #[inline]
    pub fn add(&self, data: &[u8]) -> Res {
        self.op(|b| b.add(data))
    }

    pub fn prepend(&self, data: &[u8]) -> Res {
        self.op(|b| b.prepend(data))
    }

    #[inline]
    pub fn drain(&self, len: usize) -> Res {
        self.op(|b| b.drain(len))
    }

    pub fn copyout(&self, out: &mut [u8]) -> isize {
        self.locked(|| self.with(|b| b.copyout(None, out)))
    }

    /// `evbuffer_copyout_from`: -1 for a position that is not in this buffer.
    pub fn copyout_from(&self, pos: &EvbufferPtr, out: &mut [u8]) -> isize {
        if pos.pos < 0 || out.len() > (isize::MAX - pos.pos) as usize {
            return -1;
        }
        self.locked(|| {
            self.with(|b| {
                let p = pos.pos as usize;
                if !pos.chain.is_null() && b.ptr_offset(pos) != Some(p) {
                    return -1;
                }
                b.copyout(Some(p), out)
            })
        })
    }

    /// `evbuffer_remove`: copies out then drains; -1 if the front is frozen.
    pub fn remove(&self, out: &mut [u8]) -> isize {
        self.locked(|| {
            let n = self.with(|b| b.copyout(None, out));
            if n > 0 && self.drain(n as usize).is_err() {
                return -1;
            }
            n
        })
    }

    pub fn pullup(&self, size: isize) -> *mut u8 {
        self.locked(|| self.with(|b| b.pullup(size)).unwrap_or(std::ptr::null_mut()))
    }

    pub fn freeze(&self, at_front: bool) {
        self.locked(|| self.with(|b| if at_front { b.freeze_start = true } else { b.freeze_end = true }))
    }

    pub fn unfreeze(&self, at_front: bool) {
        self.locked(|| self.with(|b| if at_front { b.freeze_start = false } else { b.freeze_end = false }))
    }

    pub fn set_flags(&self, flags: u64) {
        self.locked(|| self.with(|b| b.flags |= flags as u32))
    }

    pub fn clear_flags(&self, flags: u64) {
        self.locked(|| self.with(|b| b.flags &= !(flags as u32)))
    }

    /// `evbuffer_enable_locking`: with no lock given, allocates one, which fails (-1) unless
    /// the program set up threading; a buffer that already has a lock refuses.
    pub fn enable_locking(&self, lock: *mut c_void) -> c_int {
        if !self.lock.get().is_null() {
            return -1;
        }
        if lock.is_null() {
            let l = sync::lock_new();
            if l.is_null() {
                return -1;
            }
            self.lock.set(l);
            self.own_lock.set(true);
        } else {
            self.lock.set(lock);
            self.own_lock.set(false);
        }
        0
    }

    // ---- two buffers ---------------------------------------------------------------------------

    pub fn add_buffer(&self, src: &Evbuffer) -> Res {
        self.take_all(src, false)
    }

    pub fn prepend_buffer(&self, src: &Evbuffer) -> Res {
        self.take_all(src, true)
    }

    /// Moves everything in `src` to this buffer's end, or its front; either side's freeze on
    /// the ends involved refuses the move.
    #[inline(always)]
    fn take_all(&self, src: &Evbuffer, front: bool) -> Res {
        if std::ptr::eq(self, src) {
            return Ok(());
        }
        self.locked2(src, || {
            let r = self.with2(src, |d, s| {
                if s.total == 0 {
                    return Ok(());
                }
                if (if front { d.freeze_start } else { d.freeze_end }) || s.freeze_start {
                    return Err(());
                }
                if front {
                    d.prepend_all(s);
                } else {
                    d.append_all(s);
                }
                Ok(())
            });
            src.invoke_callbacks();
            self.invoke_callbacks();
            r
        })
    }

    /// `evbuffer_remove_buffer(self, dst, datlen)`: moves whole chains, copies the rest.
    pub fn remove_buffer(&self, dst: &Evbuffer, datlen: usize) -> c_int {
        if datlen == 0 || std::ptr::eq(self, dst) {
            return 0;
        }
        self.locked2(dst, || {
            let frozen = self.with2(dst, |s, d| d.freeze_end || s.freeze_start);
            if frozen {
                return -1;
            }
            let total = self.with(|s| s.total);
            if datlen >= total {
                let _ = dst.add_buffer(self);
                return total as c_int;
            }
            let moved = self.with2(dst, |s, d| {
                let whole = d.take_whole_chains(s, datlen);
                let rest = datlen - whole;
                let _ = d.add(&s.chains[0].data()[..rest]);
                let _ = s.drain(rest);
                s.n_del += whole;
                whole + rest
            });
            dst.invoke_callbacks();
            self.invoke_callbacks();
            moved as c_int
        })
    }

    pub fn add_buffer_reference(&self, src: &Evbuffer) -> Res {
        self.locked2(src, || {
            if std::ptr::eq(self, src) {
                return if self.with(|b| b.total) == 0 { Ok(()) } else { Err(()) };
            }
            let r = self.with2(src, |d, s| {
                if s.total == 0 {
                    return Ok(());
                }
                if d.freeze_end || s.has_unreferenceable() {
                    return Err(());
                }
                d.reference_all(s)
            });
            self.invoke_callbacks();
            r
        })
    }

    // ---- adding without copying -------------------------------------------------------------

    /// `evbuffer_add_reference`. On failure the cleanup is not called, as in libevent.
    ///
    /// # Safety
    /// `data..data+len` must stay valid and unchanged until the cleanup runs.
    pub unsafe fn add_reference(
        &self,
        data: *const u8,
        len: usize,
        cleanup: Option<RefCleanup>,
        arg: *mut c_void,
    ) -> Res {
        self.add_reference_with_offset(data, 0, len, cleanup, arg)
    }

    /// `evbuffer_add_reference_with_offset` (libevent 2.2): the buffer gets bytes
    /// `offset..offset + len` of `data`; the cleanup gets `data` and `offset + len`.
    ///
    /// # Safety
    /// `data..data+offset+len` must stay valid and unchanged until the cleanup runs.
    pub unsafe fn add_reference_with_offset(
        &self,
        data: *const u8,
        offset: usize,
        len: usize,
        cleanup: Option<RefCleanup>,
        arg: *mut c_void,
    ) -> Res {
        self.op(|b| {
            let Some(whole) = offset.checked_add(len) else { return Err(()) };
            if b.freeze_end || len > usize::MAX - b.total {
                return Err(());
            }
            // Both allocations are checked first: once made, a dropped reference would run the
            // cleanup, which a failed call must not.
            if !mem::arc_fits::<Shared>() || b.chains.try_reserve_one().is_err() {
                return Err(());
            }
            b.add_reference(Arc::new(Shared::UserRef { ptr: data, len: whole, cleanup, arg }), offset, len)
        })
    }

    /// `evbuffer_add_iovec`: the bytes added (each vector is one evbuffer_add).
    ///
    /// # Safety
    /// Each vector must describe readable memory.
    pub unsafe fn add_iovec(&self, vecs: &[EvbufferIovec]) -> usize {
        self.locked(|| {
            let want = vecs.iter().fold(0usize, |a, v| a.wrapping_add(v.iov_len));
            if self.with(|b| b.expand_fast(want, 2)).is_err() {
                return 0;
            }
            let mut res = 0usize;
            for v in vecs {
                if v.iov_base.is_null() && v.iov_len > 0 {
                    break;
                }
                let s = if v.iov_len == 0 {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(v.iov_base as *const u8, v.iov_len)
                };
                if self.add(s).is_err() {
                    break;
                }
                res += v.iov_len;
            }
            res
        })
    }

    pub fn reserve_space(&self, size: isize, vecs: &mut [EvbufferIovec]) -> c_int {
        self.locked(|| self.with(|b| b.reserve(size, vecs)))
    }

    pub fn commit_space(&self, vecs: &[EvbufferIovec]) -> Res {
        self.op(|b| b.commit(vecs))
    }

    /// `evbuffer_peek`; a start that names no byte of this buffer gives 0 extents.
    pub fn peek(&self, len: isize, start: Option<&EvbufferPtr>, vecs: &mut [EvbufferIovec]) -> c_int {
        if start.is_some_and(|s| s.chain.is_null()) {
            return 0;
        }
        self.locked(|| {
            self.with(|b| {
                let at = match start {
                    Some(s) => match b.ptr_offset(s) {
                        Some(p) => {
                            let (i, o) = b.locate(p);
                            Some((i, o, p))
                        }
                        None => return 0,
                    },
                    None => None,
                };
                b.peek(len, at, vecs)
            })
        })
    }

    // ---- lines and search ---------------------------------------------------------------------

    pub fn ptr_set(&self, p: &mut EvbufferPtr, position: usize, how: c_int) -> c_int {
        self.locked(|| self.with(|b| b.ptr_set(p, position, how)))
    }

    pub fn search_range(&self, what: &[u8], start: Option<&EvbufferPtr>, end: Option<&EvbufferPtr>) -> EvbufferPtr {
        self.locked(|| self.with(|b| b.search_range(what, start, end)))
    }

    pub fn search_eol(&self, start: Option<&EvbufferPtr>, style: c_int) -> (EvbufferPtr, usize) {
        if start.is_some_and(|s| s.chain.is_null()) {
            return (EvbufferPtr::NOT_FOUND, 0);
        }
        self.locked(|| self.with(|b| b.search_eol(start, style)))
    }

    /// `evbuffer_readln`: a NUL-terminated line from the allocator C frees with (NULL when
    /// there is no complete line), and its length. The line and its end are drained separately,
    /// so callbacks see two changes, as with libevent.
    pub fn readln(&self, style: c_int) -> Option<(*mut u8, usize)> {
        self.locked(|| {
            let (n, extra) = self.with(|b| if b.freeze_start { None } else { b.find_eol(0, style) })?;
            // SAFETY: plain allocation through the program's allocator.
            let line = unsafe { mem::malloc(n + 1) } as *mut u8;
            if line.is_null() {
                log::warnx("evbuffer_readln: out of memory");
                return None;
            }
            // SAFETY: line has n+1 writable bytes.
            let out = unsafe { std::slice::from_raw_parts_mut(line, n + 1) };
            out[n] = 0;
            // SAFETY: reading whether the list is empty; walks hold no reference into it.
            if unsafe { (*self.cbs.get()).is_empty() } {
                // Nobody watches: take the line and its end in one go.
                self.with(|b| {
                    b.copy_range(0, &mut out[..n]);
                    let _ = b.drain(n + extra);
                    b.n_add = 0;
                    b.n_del = 0;
                });
                return Some((line, n));
            }
            // The line is removed (one change for the callbacks), then its end (another).
            if n > 0 {
                self.with(|b| {
                    b.copy_range(0, &mut out[..n]);
                    let _ = b.drain(n);
                });
                self.invoke_callbacks();
            }
            let _ = self.with(|b| b.drain(extra));
            self.invoke_callbacks();
            Some((line, n))
        })
    }

    /// `evbuffer_find`: a pointer to the first occurrence, made contiguous.
    pub fn find(&self, what: &[u8]) -> *mut u8 {
        self.locked(|| {
            let p = self.with(|b| b.search_range(what, None, None));
            if p.pos < 0 {
                return std::ptr::null_mut();
            }
            let s = self.pullup(p.pos + what.len() as isize);
            if s.is_null() {
                s
            } else {
                s.wrapping_add(p.pos as usize)
            }
        })
    }

    // ---- printf support for the C shim --------------------------------------------------------

    /// Room for at least `want` bytes at the end, for vsnprintf to write into.
    pub fn printf_space(&self, want: usize) -> Option<(*mut u8, usize)> {
        self.locked(|| {
            self.with(|b| {
                if b.freeze_end {
                    return None;
                }
                let i = b.expand_singlechain(want)?;
                Some((b.chains[i].space_ptr(), b.chains[i].space()))
            })
        })
    }

    /// Counts `n` bytes written at `at` (from printf_space) as data and runs the callbacks.
    pub fn printf_commit(&self, at: *mut u8, n: usize) -> Res {
        self.op(|b| {
            let i = (0..b.chains.len()).rev().find(|&i| b.chains[i].space_ptr() == at).ok_or(())?;
            if n > b.chains[i].space() {
                return Err(());
            }
            b.commit_at(i, n);
            Ok(())
        })
    }

    // ---- callbacks ------------------------------------------------------------------------------

    fn with_cbs<R>(&self, f: impl FnOnce(&mut CbList) -> R) -> R {
        // SAFETY: callers hold the lock; walks of the list hold no reference into it (they use
        // raw pointers), and `f` calls no program code, so this borrow is the only one.
        f(unsafe { &mut *self.cbs.get() })
    }

    pub fn add_cb(&self, f: Option<CbFunc>, arg: *mut c_void) -> *mut CbEntry {
        self.locked(|| self.with_cbs(|c| c.add(f, arg)))
    }

    pub fn remove_cb_entry(&self, e: *mut CbEntry) -> c_int {
        self.locked(|| if self.with_cbs(|c| c.remove(e)) { 0 } else { -1 })
    }

    pub fn remove_cb(&self, f: Option<CbFunc>, arg: *mut c_void) -> c_int {
        self.locked(|| if self.with_cbs(|c| c.remove_matching(f, arg)) { 0 } else { -1 })
    }

    pub fn cb_flags(&self, e: *mut CbEntry, flags: u32, set: bool) -> c_int {
        self.locked(|| if self.with_cbs(|c| c.set_flags(e, flags, set)) { 0 } else { -1 })
    }

    /// `evbuffer_setcb`: replaces every callback with one obsolete-style callback (or none).
    /// Err when the allocator refuses the new entry: the old ones are gone all the same, as in
    /// libevent.
    pub fn setcb(&self, f: Option<CbObsolete>, arg: *mut c_void) -> Res {
        self.locked(|| {
            self.with_cbs(|c| {
                c.remove_all();
                match f {
                    Some(f) if c.add_obsolete(f, arg).is_null() => Err(()),
                    _ => Ok(()),
                }
            })
        })
    }

    // ---- files ------------------------------------------------------------------------------------

    /// `evbuffer_add_file_segment`. As in libevent, a failure after the segment was loaded
    /// releases one reference to the segment (the caller's).
    ///
    /// # Safety
    /// `seg` must come from `file_segment_new` and hold at least one reference.
    pub unsafe fn add_file_segment(&self, seg: *const FileSegment, offset: i64, length: i64) -> Res {
        self.add_segment(seg, offset, length).map_err(|_| ())
    }

    /// Err(true) when the segment could not be loaded (no reference released), Err(false) when
    /// the buffer refused it (the caller's reference was released).
    unsafe fn add_segment(&self, seg: *const FileSegment, offset: i64, length: i64) -> Result<(), bool> {
        let s = &*seg;
        let r = self.locked(|| {
            let sendfile = self.with(|b| b.flags & FLAG_DRAINS_TO_FD != 0);
            if !sendfile && s.materialize().is_err() {
                return Err(true);
            }
            let r = self.with(|b| {
                if b.freeze_end || offset < 0 {
                    return Err(false);
                }
                let len = s.len() as i64;
                let length = if length < 0 {
                    if offset > len {
                        return Err(false);
                    }
                    len - offset
                } else {
                    length
                };
                if offset > len || length > len - offset {
                    return Err(false);
                }
                // SAFETY: the caller's reference keeps the segment alive; this adds the chain's.
                let arc = unsafe {
                    Arc::increment_strong_count(seg);
                    Arc::from_raw(seg)
                };
                b.add_file_chain(arc, offset as usize, length as usize, sendfile && s.can_sendfile());
                Ok(())
            });
            if r.is_ok() {
                self.invoke_callbacks();
            }
            r
        });
        if r == Err(false) {
            file_segment_free(seg);
        }
        r
    }

    /// `evbuffer_add_file`: the segment owns `fd` and closes it when done.
    pub fn add_file(&self, fd: c_int, offset: i64, length: i64) -> Res {
        let Some(seg) = FileSegment::new(fd, offset, length, FS_CLOSE_ON_FREE) else { return Err(()) };
        let seg = Arc::into_raw(Arc::new(seg));
        // SAFETY: seg was just made and holds our reference.
        unsafe {
            match self.add_segment(seg, 0, length) {
                Ok(()) => {
                    file_segment_free(seg);
                    Ok(())
                }
                Err(true) => {
                    // libevent leaks the segment here and so leaves the fd open: keep the fd
                    // open, without the leak.
                    (*seg).keep_fd();
                    file_segment_free(seg);
                    Err(())
                }
                Err(false) => Err(()),
            }
        }
    }
}

/// Creates a file segment; the pointer is what C holds (one reference).
pub fn file_segment_new(fd: c_int, offset: i64, length: i64, flags: c_uint) -> *mut FileSegment {
    match FileSegment::new(fd, offset, length, flags) {
        Some(s) => Arc::into_raw(Arc::new(s)) as *mut FileSegment,
        None => std::ptr::null_mut(),
    }
}

/// Drops one reference; the last one unmaps, closes (if asked) and calls the cleanup.
///
/// # Safety
/// `seg` must come from `file_segment_new` and hold a reference.
pub unsafe fn file_segment_free(seg: *const FileSegment) {
    Arc::decrement_strong_count(seg);
}

impl Drop for Evbuffer {
    fn drop(&mut self) {
        self.acquire();
        let inner = std::mem::take(self.inner.get_mut());
        drop(inner);
        self.cbs.get_mut().remove_all();
        let ev = self.deferred.replace(std::ptr::null_mut());
        if !ev.is_null() {
            // SAFETY: the event made by defer_callbacks; no run is pending (it would hold a
            // reference), though this may be the run itself finishing.
            unsafe { crate::core::ev::free(ev) };
        }
        self.release();
        if self.own_lock.get() {
            // SAFETY: the lock was allocated by lock_new for this buffer.
            unsafe { sync::lock_free(self.lock.get()) };
        }
    }
}
