//! The callbacks a buffer runs when its length changes (`evbuffer_add_cb`, `evbuffer_setcb`).
//!
//! Entries form a singly linked list, newest first (libevent inserts at the head, so that is
//! the order programs see them run in). A callback may add or remove callbacks, including
//! itself, while the list is being walked: an entry removed during a walk is only marked dead,
//! and stays linked until the outermost walk ends, so a walk can always follow its `next`.
use super::{CbInfo, Evbuffer};
use libc::c_void;

pub const CB_ENABLED: u32 = 1;
pub const CB_NODEFER: u32 = 2;
const CB_OBSOLETE: u32 = 0x0004_0000;
const CB_INTERNAL_FLAGS: u32 = 0xffff_0000;

pub type CbFunc = unsafe extern "C" fn(*mut Evbuffer, *const CbInfo, *mut c_void);
pub type CbObsolete = unsafe extern "C" fn(*mut Evbuffer, usize, usize, *mut c_void);

#[derive(Clone, Copy)]
enum Func {
    New(Option<CbFunc>),
    Obsolete(CbObsolete),
}

pub struct CbEntry {
    next: *mut CbEntry,
    func: Func,
    arg: *mut c_void,
    flags: u32,
    dead: bool,
}

pub struct CbList {
    head: *mut CbEntry,
    walking: u32,
    /// Some entry was marked dead during a walk.
    has_dead: bool,
}

impl Default for CbList {
    fn default() -> Self {
        CbList { head: std::ptr::null_mut(), walking: 0, has_dead: false }
    }
}

impl CbList {
    pub fn is_empty(&self) -> bool {
        self.head.is_null()
    }

    pub fn add(&mut self, f: Option<CbFunc>, arg: *mut c_void) -> *mut CbEntry {
        self.push(Func::New(f), arg, CB_ENABLED)
    }

    pub fn add_obsolete(&mut self, f: CbObsolete, arg: *mut c_void) -> *mut CbEntry {
        self.push(Func::Obsolete(f), arg, CB_ENABLED | CB_OBSOLETE)
    }

    /// NULL when the allocator refuses, as libevent's evbuffer_add_cb answers.
    fn push(&mut self, func: Func, arg: *mut c_void, flags: u32) -> *mut CbEntry {
        let Some(e) = crate::core::mem::try_box(CbEntry { next: self.head, func, arg, flags, dead: false }) else {
            return std::ptr::null_mut();
        };
        let e = Box::into_raw(e);
        self.head = e;
        e
    }

    fn contains(&self, e: *mut CbEntry) -> bool {
        let mut cur = self.head;
        while !cur.is_null() {
            // SAFETY: every linked entry is a live Box owned by this list.
            unsafe {
                if cur == e && !(*cur).dead {
                    return true;
                }
                cur = (*cur).next;
            }
        }
        false
    }

    /// Removes `e`: frees it now, or marks it dead until the current walk ends. `e` may be any
    /// pointer: it is only dereferenced once found in the list.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn remove(&mut self, e: *mut CbEntry) -> bool {
        if !self.contains(e) {
            return false;
        }
        if self.walking > 0 {
            // SAFETY: e is linked, hence live.
            unsafe { (*e).dead = true };
            self.has_dead = true;
        } else {
            self.unlink_where(|x| x == e);
        }
        true
    }

    /// Unlinks and frees every entry `pred` selects.
    fn unlink_where(&mut self, pred: impl Fn(*mut CbEntry) -> bool) {
        let mut link: *mut *mut CbEntry = &mut self.head;
        // SAFETY: link always points at the head field or at a linked entry's next field, and
        // no walk is in progress, so nothing else holds an unlinked entry.
        unsafe {
            while !(*link).is_null() {
                let e = *link;
                if pred(e) {
                    *link = (*e).next;
                    drop(Box::from_raw(e));
                } else {
                    link = &mut (*e).next;
                }
            }
        }
    }

    /// Removes the newest entry with this function and argument. As in libevent, where both
    /// kinds share one pointer, an old-style (evbuffer_setcb) entry matches its function too.
    pub fn remove_matching(&mut self, f: Option<CbFunc>, arg: *mut c_void) -> bool {
        let want = f.map_or(0, |f| f as usize);
        let mut cur = self.head;
        while !cur.is_null() {
            // SAFETY: linked entries are live.
            let (func, a, next, dead) = unsafe { ((*cur).func, (*cur).arg, (*cur).next, (*cur).dead) };
            let addr = match func {
                Func::New(g) => g.map_or(0, |g| g as usize),
                Func::Obsolete(g) => g as usize,
            };
            if addr == want && a == arg && !dead {
                return self.remove(cur);
            }
            cur = next;
        }
        false
    }

    pub fn remove_all(&mut self) {
        if self.walking > 0 {
            let mut cur = self.head;
            while !cur.is_null() {
                // SAFETY: linked entries are live.
                unsafe {
                    (*cur).dead = true;
                    cur = (*cur).next;
                }
            }
            self.has_dead = !self.head.is_null();
        } else {
            self.unlink_where(|_| true);
        }
    }

    /// `e` may be any pointer: it is only dereferenced once found in the list.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn set_flags(&mut self, e: *mut CbEntry, flags: u32, set: bool) -> bool {
        if !self.contains(e) {
            return false;
        }
        let flags = flags & !CB_INTERNAL_FLAGS;
        // SAFETY: e is linked, hence live.
        unsafe {
            if set {
                (*e).flags |= flags;
            } else {
                (*e).flags &= !flags;
            }
        }
        true
    }

    /// Calls every entry whose flags, under `mask`, equal `want`. `list` is only touched through
    /// raw pointers between calls, since the callbacks may change it.
    ///
    /// # Safety
    /// `list` must be the list of `buf`, and both must stay alive during the walk.
    pub unsafe fn run(list: *mut CbList, buf: *mut Evbuffer, info: &CbInfo, mask: u32, want: u32) {
        (*list).walking += 1;
        let mut cur = (*list).head;
        let new_size = info.orig_size + info.n_added - info.n_deleted;
        while !cur.is_null() {
            let (next, func, arg, flags, dead) = ((*cur).next, (*cur).func, (*cur).arg, (*cur).flags, (*cur).dead);
            if !dead && flags & mask == want {
                match func {
                    Func::New(Some(f)) => f(buf, info, arg),
                    Func::New(None) => {}
                    Func::Obsolete(f) => f(buf, info.orig_size, new_size, arg),
                }
            }
            cur = next;
        }
        (*list).walking -= 1;
        if (*list).walking == 0 && (*list).has_dead {
            (*list).has_dead = false;
            (*list).unlink_where(|e| (*e).dead);
        }
    }
}

impl Drop for CbList {
    fn drop(&mut self) {
        self.unlink_where(|_| true);
    }
}
