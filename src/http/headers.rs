//! The header list of event2/keyvalq_struct.h: a BSD TAILQ of `struct evkeyval`, laid out as
//! libevent's so programs can walk it with TAILQ_FOREACH and keep one on their own stack.
//! Entries and their strings come from the library allocator (mm_malloc in libevent), since
//! evhttp_clear_headers() may release lists that evhttp_parse_query() filled.
use super::{c_string, eq_ignore_case};
use crate::core::mem;
use libc::{c_char, c_int, c_void};
use std::ffi::CStr;
use std::ptr;

/// `struct evkeyval`: TAILQ_ENTRY(evkeyval) next; char *key; char *value; (32 bytes).
#[repr(C)]
pub struct EvKeyVal {
    pub next: *mut EvKeyVal,
    pub prev: *mut *mut EvKeyVal,
    pub key: *mut c_char,
    pub value: *mut c_char,
}

/// `struct evkeyvalq`: TAILQ_HEAD(evkeyvalq, evkeyval) (16 bytes).
#[repr(C)]
pub struct EvKeyValQ {
    pub first: *mut EvKeyVal,
    pub last: *mut *mut EvKeyVal,
}

/// TAILQ_INIT.
///
/// # Safety
/// `h` points to writable memory for a list head.
pub unsafe fn init(h: *mut EvKeyValQ) {
    (*h).first = ptr::null_mut();
    (*h).last = ptr::addr_of_mut!((*h).first);
}

/// A new list head from the library allocator, initialised (NULL when out of memory).
pub fn new_list() -> *mut EvKeyValQ {
    // SAFETY: a fresh block of the right size, initialised before use.
    unsafe {
        let h = mem::malloc(std::mem::size_of::<EvKeyValQ>()) as *mut EvKeyValQ;
        if !h.is_null() {
            init(h);
        }
        h
    }
}

/// Clears and releases a list made by new_list().
///
/// # Safety
/// `h` is NULL or a list head from new_list() holding valid entries.
pub unsafe fn free_list(h: *mut EvKeyValQ) {
    if !h.is_null() {
        clear(h);
        mem::free(h as *mut c_void);
    }
}

/// The entries of a list, in order. The next pointer is read before an entry is yielded, so
/// the caller may unlink and free the yielded entry.
///
/// # Safety
/// `h` is a valid, initialised list for as long as the iterator is used.
pub unsafe fn iter(h: *const EvKeyValQ) -> impl Iterator<Item = *mut EvKeyVal> {
    let mut cur = if h.is_null() { ptr::null_mut() } else { (*h).first };
    std::iter::from_fn(move || {
        if cur.is_null() {
            return None;
        }
        let e = cur;
        // SAFETY: `e` is a live entry of the list (the caller's contract).
        cur = unsafe { (*e).next };
        Some(e)
    })
}

unsafe fn bytes<'a>(s: *const c_char) -> &'a [u8] {
    if s.is_null() {
        b""
    } else {
        CStr::from_ptr(s).to_bytes()
    }
}

/// The key of an entry.
///
/// # Safety
/// `e` is a live entry.
pub unsafe fn key<'a>(e: *const EvKeyVal) -> &'a [u8] {
    bytes((*e).key)
}

/// The value of an entry.
///
/// # Safety
/// `e` is a live entry.
pub unsafe fn value<'a>(e: *const EvKeyVal) -> &'a [u8] {
    bytes((*e).value)
}

/// The first entry whose key equals `key` ignoring ASCII case.
///
/// # Safety
/// `h` is NULL or a valid list.
pub unsafe fn find_entry(h: *const EvKeyValQ, key_: &[u8]) -> *mut EvKeyVal {
    iter(h).find(|&e| eq_ignore_case(key(e), key_)).unwrap_or(ptr::null_mut())
}

/// evhttp_find_header: the value of the first matching header, or NULL.
///
/// # Safety
/// `h` is NULL or a valid list.
pub unsafe fn find(h: *const EvKeyValQ, key_: &[u8]) -> *const c_char {
    let e = find_entry(h, key_);
    if e.is_null() {
        ptr::null()
    } else {
        (*e).value
    }
}

/// Like find(), as bytes.
///
/// # Safety
/// `h` is NULL or a valid list; the result lives until the entry is removed.
pub unsafe fn find_bytes<'a>(h: *const EvKeyValQ, key_: &[u8]) -> Option<&'a [u8]> {
    let e = find_entry(h, key_);
    if e.is_null() {
        None
    } else {
        Some(value(e))
    }
}

/// How many headers are called `key`.
///
/// # Safety
/// `h` is NULL or a valid list.
pub unsafe fn count(h: *const EvKeyValQ, key_: &[u8]) -> usize {
    iter(h).filter(|&e| eq_ignore_case(key(e), key_)).count()
}

/// TAILQ_REMOVE, then the entry and its strings are released.
///
/// # Safety
/// `e` is a live entry of `h`.
pub unsafe fn remove_entry(h: *mut EvKeyValQ, e: *mut EvKeyVal) {
    if (*e).next.is_null() {
        (*h).last = (*e).prev;
    } else {
        (*(*e).next).prev = (*e).prev;
    }
    *(*e).prev = (*e).next;
    mem::free((*e).key as *mut c_void);
    mem::free((*e).value as *mut c_void);
    mem::free(e as *mut c_void);
}

/// evhttp_remove_header: removes the first matching header; 0, or -1 when there is none.
///
/// # Safety
/// `h` is a valid list.
pub unsafe fn remove(h: *mut EvKeyValQ, key_: &[u8]) -> c_int {
    let e = find_entry(h, key_);
    if e.is_null() {
        return -1;
    }
    remove_entry(h, e);
    0
}

/// evhttp_clear_headers: every entry is unlinked and released; the head stays usable.
///
/// # Safety
/// `h` is a valid list.
pub unsafe fn clear(h: *mut EvKeyValQ) {
    for e in iter(h) {
        mem::free((*e).key as *mut c_void);
        mem::free((*e).value as *mut c_void);
        mem::free(e as *mut c_void);
    }
    init(h);
}

/// Appends a header without checking its characters (evhttp_add_header_internal); -1 when out
/// of memory.
///
/// # Safety
/// `h` is a valid list.
pub unsafe fn add_unchecked(h: *mut EvKeyValQ, key_: &[u8], value_: &[u8]) -> c_int {
    let e = mem::calloc(1, std::mem::size_of::<EvKeyVal>()) as *mut EvKeyVal;
    if e.is_null() {
        return -1;
    }
    (*e).key = c_string(key_);
    (*e).value = c_string(value_);
    if (*e).key.is_null() || (*e).value.is_null() {
        mem::free((*e).key as *mut c_void);
        mem::free((*e).value as *mut c_void);
        mem::free(e as *mut c_void);
        return -1;
    }
    (*e).next = ptr::null_mut();
    (*e).prev = (*h).last;
    *(*h).last = e;
    (*h).last = ptr::addr_of_mut!((*e).next);
    0
}

/// A header value may not hold CR or LF: it could end the header and inject another (libevent
/// 2.1.12 refuses them all, folded continuations included).
pub fn value_is_valid(v: &[u8]) -> bool {
    !v.iter().any(|&c| c == b'\r' || c == b'\n')
}

/// evhttp_add_header: refuses a key or a value holding CR or LF; 0 on success, -1 otherwise.
///
/// # Safety
/// `h` is a valid list.
pub unsafe fn add(h: *mut EvKeyValQ, key_: &[u8], value_: &[u8]) -> c_int {
    if key_.iter().any(|&c| c == b'\r' || c == b'\n') || !value_is_valid(value_) {
        return -1;
    }
    add_unchecked(h, key_, value_)
}

/// The last entry (TAILQ_LAST), or NULL.
///
/// # Safety
/// `h` is a valid list.
pub unsafe fn last(h: *const EvKeyValQ) -> *mut EvKeyVal {
    if (*h).first.is_null() {
        return ptr::null_mut();
    }
    // `last` points at the final entry's `next` field, the entry's first member.
    (*h).last as *mut EvKeyVal
}

/// Appends a continuation line to the last header's value, joined by one space; -1 when the
/// list is empty or memory runs out.
///
/// # Safety
/// `h` is a valid list.
pub unsafe fn append_to_last(h: *mut EvKeyValQ, more: &[u8]) -> c_int {
    let e = last(h);
    if e.is_null() {
        return -1;
    }
    let mut v = value(e).to_vec();
    v.push(b' ');
    v.extend_from_slice(more);
    let nv = c_string(&v);
    if nv.is_null() {
        return -1;
    }
    mem::free((*e).value as *mut c_void);
    (*e).value = nv;
    0
}

/// A list owned by Rust code (tests, the fuzz target, transient parsing), freed on drop.
pub struct OwnedList(pub *mut EvKeyValQ);

impl OwnedList {
    pub fn new() -> Self {
        let h = new_list();
        assert!(!h.is_null(), "out of memory");
        OwnedList(h)
    }
    pub fn pairs(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        // SAFETY: the list is owned and valid.
        unsafe { iter(self.0).map(|e| (key(e).to_vec(), value(e).to_vec())).collect() }
    }
    pub fn find(&self, k: &[u8]) -> Option<Vec<u8>> {
        // SAFETY: the list is owned and valid.
        unsafe { find_bytes(self.0, k).map(|v| v.to_vec()) }
    }
}

impl Default for OwnedList {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for OwnedList {
    fn drop(&mut self) {
        // SAFETY: the list was made by new_list() and is released once.
        unsafe { free_list(self.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_libevents() {
        assert_eq!(std::mem::size_of::<EvKeyVal>(), 32);
        assert_eq!(std::mem::size_of::<EvKeyValQ>(), 16);
    }

    #[test]
    fn add_find_remove_clear() {
        let l = OwnedList::new();
        unsafe {
            assert_eq!(add(l.0, b"Host", b"a"), 0);
            assert_eq!(add(l.0, b"X", b"1"), 0);
            assert_eq!(add(l.0, b"host", b"b"), 0);
            assert_eq!(l.find(b"HOST").unwrap(), b"a");
            assert_eq!(remove(l.0, b"hOsT"), 0);
            assert_eq!(l.find(b"host").unwrap(), b"b");
            assert_eq!(remove(l.0, b"nope"), -1);
            assert_eq!(add(l.0, b"Bad\r", b"x"), -1);
            assert_eq!(add(l.0, b"K", b"a\r\nb"), -1);
            assert_eq!(add(l.0, b"K", b"a\r\n b"), -1);
            assert_eq!(add(l.0, b"K", b"a b"), 0);
            assert_eq!(add(l.0, b"K2", b"a\r\n"), -1);
            assert_eq!(append_to_last(l.0, b"more"), 0);
            assert_eq!(l.pairs().last().unwrap().1, b"a b more");
            assert_eq!(count(l.0, b"k"), 1);
            clear(l.0);
            assert!(l.pairs().is_empty());
            assert_eq!(append_to_last(l.0, b"x"), -1);
            assert_eq!(add(l.0, b"A", b""), 0);
            assert_eq!(l.pairs(), vec![(b"A".to_vec(), b"".to_vec())]);
        }
    }
}
