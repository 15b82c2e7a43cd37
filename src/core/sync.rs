//! Locks and condition variables, through the callbacks a program installs with
//! evthread_set_lock_callbacks() (or ours, from evthread_use_pthreads()). Before threading is
//! enabled every lock is NULL and every operation on it is free: the single-threaded path
//! (one base per thread, as memcached runs) pays nothing.
use libc::{c_int, c_uint, c_ulong, c_void, timeval};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};

pub const LOCKTYPE_RECURSIVE: c_uint = 1;
pub const LOCKTYPE_READWRITE: c_uint = 2;
pub const MODE_WRITE: c_uint = 0x04;
pub const MODE_READ: c_uint = 0x08;
pub const MODE_TRY: c_uint = 0x10;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct LockCallbacks {
    pub lock_api_version: c_int,
    pub supported_locktypes: c_uint,
    pub alloc: Option<unsafe extern "C" fn(c_uint) -> *mut c_void>,
    pub free: Option<unsafe extern "C" fn(*mut c_void, c_uint)>,
    pub lock: Option<unsafe extern "C" fn(c_uint, *mut c_void) -> c_int>,
    pub unlock: Option<unsafe extern "C" fn(c_uint, *mut c_void) -> c_int>,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CondCallbacks {
    pub condition_api_version: c_int,
    pub alloc_condition: Option<unsafe extern "C" fn(c_uint) -> *mut c_void>,
    pub free_condition: Option<unsafe extern "C" fn(*mut c_void)>,
    pub signal_condition: Option<unsafe extern "C" fn(*mut c_void, c_int) -> c_int>,
    pub wait_condition: Option<unsafe extern "C" fn(*mut c_void, *mut c_void, *const timeval) -> c_int>,
}

pub type IdFn = unsafe extern "C" fn() -> c_ulong;

// Installed once, early, and never freed: readers only need an atomic load. A table the
// program removed is kept in RETIRED_* (another thread may still be reading it) and reused
// by the next installation.
static LOCKS: AtomicPtr<LockCallbacks> = AtomicPtr::new(ptr::null_mut());
static CONDS: AtomicPtr<CondCallbacks> = AtomicPtr::new(ptr::null_mut());
static RETIRED_LOCKS: AtomicPtr<LockCallbacks> = AtomicPtr::new(ptr::null_mut());
static RETIRED_CONDS: AtomicPtr<CondCallbacks> = AtomicPtr::new(ptr::null_mut());
static ID_FN: AtomicUsize = AtomicUsize::new(0);

fn install<T: Copy>(cur: &AtomicPtr<T>, retired: &AtomicPtr<T>, table: &T) {
    let slot = retired.swap(ptr::null_mut(), Ordering::AcqRel);
    let p = if slot.is_null() {
        Box::into_raw(Box::new(*table))
    } else {
        // SAFETY: a retired table is ours (from Box::into_raw) and no longer installed.
        unsafe { *slot = *table };
        slot
    };
    cur.store(p, Ordering::Release);
}

fn uninstall<T>(cur: &AtomicPtr<T>, retired: &AtomicPtr<T>) {
    let old = cur.swap(ptr::null_mut(), Ordering::AcqRel);
    if !old.is_null() {
        retired.store(old, Ordering::Release);
    }
}

fn locks() -> Option<&'static LockCallbacks> {
    // SAFETY: the pointer is either null or a leaked Box that is never freed.
    unsafe { LOCKS.load(Ordering::Acquire).as_ref() }
}

fn conds() -> Option<&'static CondCallbacks> {
    // SAFETY: as for locks().
    unsafe { CONDS.load(Ordering::Acquire).as_ref() }
}

pub fn threads_enabled() -> bool {
    locks().is_some()
}

/// A table of four callbacks, compared by their addresses.
trait Callbacks: Copy {
    /// "lock" or "condition", in libevent's messages.
    const KIND: &'static str;
    fn addrs(&self) -> [Option<usize>; 4];
}

impl Callbacks for LockCallbacks {
    const KIND: &'static str = "lock";
    fn addrs(&self) -> [Option<usize>; 4] {
        [
            self.alloc.map(|f| f as usize),
            self.free.map(|f| f as usize),
            self.lock.map(|f| f as usize),
            self.unlock.map(|f| f as usize),
        ]
    }
}

impl Callbacks for CondCallbacks {
    const KIND: &'static str = "condition";
    fn addrs(&self) -> [Option<usize>; 4] {
        [
            self.alloc_condition.map(|f| f as usize),
            self.free_condition.map(|f| f as usize),
            self.signal_condition.map(|f| f as usize),
            self.wait_condition.map(|f| f as usize),
        ]
    }
}

/// Installs a table; None removes it. Changing an installed table is refused, as libevent
/// refuses it (locks made with the old functions would be freed by the new ones); a table
/// missing a function is refused too.
fn set_table<T: Callbacks>(new: Option<&T>, cur: &AtomicPtr<T>, retired: &AtomicPtr<T>) -> c_int {
    // SAFETY: as for locks(): null or a table that is never freed.
    let old = unsafe { cur.load(Ordering::Acquire).as_ref() };
    match (new, old) {
        (None, old) => {
            if old.is_some() {
                // libevent's words, its spelling included: programs may match the log.
                crate::core::log::warnx(&format!(
                    "Trying to disable {} functions after they have been set up will probaby not work.",
                    T::KIND
                ));
            }
            uninstall(cur, retired);
            0
        }
        (Some(new), Some(old)) => {
            if new.addrs() == old.addrs() {
                return 0;
            }
            crate::core::log::warnx(&format!("Can't change {} callbacks once they have been initialized.", T::KIND));
            -1
        }
        (Some(new), None) => {
            if new.addrs().contains(&None) {
                return -1;
            }
            install(cur, retired, new);
            0
        }
    }
}

/// With lock debugging on, a table set afterwards becomes the real one under the debug locks.
pub fn set_lock_callbacks(cbs: Option<&LockCallbacks>) -> c_int {
    if DEBUGGING.load(Ordering::Acquire) {
        return set_table(cbs, &REAL_LOCKS, &RETIRED_REAL_LOCKS);
    }
    set_table(cbs, &LOCKS, &RETIRED_LOCKS)
}

pub fn set_cond_callbacks(cbs: Option<&CondCallbacks>) -> c_int {
    if !DEBUGGING.load(Ordering::Acquire) {
        return set_table(cbs, &CONDS, &RETIRED_CONDS);
    }
    let r = set_table(cbs, &REAL_CONDS, &RETIRED_REAL_CONDS);
    // SAFETY: null or a table that is never freed, as for conds().
    match unsafe { REAL_CONDS.load(Ordering::Acquire).as_ref() } {
        Some(real) => install_debug_conds(real),
        None => uninstall(&CONDS, &RETIRED_CONDS),
    }
    r
}

pub fn set_id_fn(f: Option<IdFn>) {
    ID_FN.store(f.map_or(0, |p| p as usize), Ordering::Release);
}

pub fn thread_id() -> c_ulong {
    match ID_FN.load(Ordering::Acquire) {
        // SAFETY: pthread_self has no preconditions.
        0 => unsafe { libc::pthread_self() as c_ulong },
        // SAFETY: stored from a valid IdFn.
        f => unsafe { std::mem::transmute::<usize, IdFn>(f)() },
    }
}

/// A recursive lock, or NULL when threading is off.
pub fn lock_new() -> *mut c_void {
    match locks() {
        // SAFETY: the program's alloc callback, called as its contract says.
        Some(l) => unsafe { (l.alloc.unwrap())(LOCKTYPE_RECURSIVE) },
        None => ptr::null_mut(),
    }
}

/// Frees a lock made by `lock_new` (nothing to do when NULL).
///
/// # Safety
/// `lock` is NULL or came from `lock_new`; no thread holds it, and it is not used afterwards.
pub unsafe fn lock_free(lock: *mut c_void) {
    if let (false, Some(l)) = (lock.is_null(), locks()) {
        (l.free.unwrap())(lock, LOCKTYPE_RECURSIVE);
    }
}

/// Takes `lock` (recursive); costs nothing when it is NULL, as every lock is with threading off.
///
/// # Safety
/// `lock` is NULL or a live lock from `lock_new`.
#[inline]
pub unsafe fn lock(lock: *mut c_void) {
    if !lock.is_null() {
        if let Some(l) = locks() {
            (l.lock.unwrap())(0, lock);
        }
    }
}

/// Releases one level of the recursive `lock`; nothing to do when it is NULL.
///
/// # Safety
/// `lock` is NULL or a live lock from `lock_new` that this thread holds.
#[inline]
pub unsafe fn unlock(lock: *mut c_void) {
    if !lock.is_null() {
        if let Some(l) = locks() {
            (l.unlock.unwrap())(0, lock);
        }
    }
}

/// Takes `lock` if no other thread holds it; true when taken (always, when threading is off).
///
/// # Safety
/// As for `lock`.
pub unsafe fn try_lock(lock: *mut c_void) -> bool {
    if lock.is_null() {
        return true;
    }
    match locks() {
        Some(l) => (l.lock.unwrap())(MODE_TRY, lock) == 0,
        None => true,
    }
}

pub fn cond_new() -> *mut c_void {
    match conds() {
        // SAFETY: the program's alloc_condition callback.
        Some(c) => unsafe { (c.alloc_condition.unwrap())(0) },
        None => ptr::null_mut(),
    }
}

/// Frees a condition made by `cond_new` (nothing to do when NULL).
///
/// # Safety
/// `cond` is NULL or came from `cond_new`; no thread waits on it, and it is not used afterwards.
pub unsafe fn cond_free(cond: *mut c_void) {
    if let (false, Some(c)) = (cond.is_null(), conds()) {
        (c.free_condition.unwrap())(cond);
    }
}

/// Wakes one waiter on `cond`, or every waiter when `broadcast`.
///
/// # Safety
/// `cond` is NULL or a live condition from `cond_new`.
pub unsafe fn cond_signal(cond: *mut c_void, broadcast: bool) {
    if let (false, Some(c)) = (cond.is_null(), conds()) {
        (c.signal_condition.unwrap())(cond, broadcast as c_int);
    }
}

/// Waits on `cond`, releasing `lock` meanwhile; returns at once when `cond` is NULL.
///
/// # Safety
/// `cond` is NULL or a live condition from `cond_new`; `lock` is a live lock from `lock_new`
/// that this thread holds exactly once (a recursive hold is not released by the wait).
pub unsafe fn cond_wait(cond: *mut c_void, lock: *mut c_void) {
    if let (false, Some(c)) = (cond.is_null(), conds()) {
        (c.wait_condition.unwrap())(cond, lock, ptr::null());
    }
}

// ---- evthread_use_pthreads(): recursive pthread mutexes and pthread condition variables.

/// `EVTHREAD_PTHREAD_PRIO_INHERIT` (libevent 2.2's evthread_use_pthreads_with_flags).
pub const PTHREAD_PRIO_INHERIT_FLAG: c_int = 0x01;
/// The locks made from now on use priority inheritance.
static PRIO_INHERIT: AtomicBool = AtomicBool::new(false);

unsafe extern "C" fn pt_lock_alloc(locktype: c_uint) -> *mut c_void {
    let m = Box::into_raw(Box::new(std::mem::zeroed::<libc::pthread_mutex_t>()));
    let mut attr: libc::pthread_mutexattr_t = std::mem::zeroed();
    libc::pthread_mutexattr_init(&mut attr);
    if locktype & LOCKTYPE_RECURSIVE != 0 {
        libc::pthread_mutexattr_settype(&mut attr, libc::PTHREAD_MUTEX_RECURSIVE);
    }
    if PRIO_INHERIT.load(Ordering::Relaxed) {
        libc::pthread_mutexattr_setprotocol(&mut attr, libc::PTHREAD_PRIO_INHERIT);
    }
    libc::pthread_mutex_init(m, &attr);
    libc::pthread_mutexattr_destroy(&mut attr);
    m as *mut c_void
}

unsafe extern "C" fn pt_lock_free(lock: *mut c_void, _locktype: c_uint) {
    let m = lock as *mut libc::pthread_mutex_t;
    libc::pthread_mutex_destroy(m);
    drop(Box::from_raw(m));
}

unsafe extern "C" fn pt_lock(mode: c_uint, lock: *mut c_void) -> c_int {
    let m = lock as *mut libc::pthread_mutex_t;
    if mode & MODE_TRY != 0 {
        libc::pthread_mutex_trylock(m)
    } else {
        libc::pthread_mutex_lock(m)
    }
}

unsafe extern "C" fn pt_unlock(_mode: c_uint, lock: *mut c_void) -> c_int {
    libc::pthread_mutex_unlock(lock as *mut libc::pthread_mutex_t)
}

unsafe extern "C" fn pt_cond_alloc(_condtype: c_uint) -> *mut c_void {
    let c = Box::into_raw(Box::new(std::mem::zeroed::<libc::pthread_cond_t>()));
    libc::pthread_cond_init(c, ptr::null());
    c as *mut c_void
}

unsafe extern "C" fn pt_cond_free(cond: *mut c_void) {
    let c = cond as *mut libc::pthread_cond_t;
    libc::pthread_cond_destroy(c);
    drop(Box::from_raw(c));
}

unsafe extern "C" fn pt_cond_signal(cond: *mut c_void, broadcast: c_int) -> c_int {
    let c = cond as *mut libc::pthread_cond_t;
    if broadcast != 0 {
        libc::pthread_cond_broadcast(c)
    } else {
        libc::pthread_cond_signal(c)
    }
}

unsafe extern "C" fn pt_cond_wait(cond: *mut c_void, lock: *mut c_void, tv: *const timeval) -> c_int {
    let c = cond as *mut libc::pthread_cond_t;
    let m = lock as *mut libc::pthread_mutex_t;
    if tv.is_null() {
        return libc::pthread_cond_wait(c, m);
    }
    let mut now: libc::timespec = std::mem::zeroed();
    libc::clock_gettime(libc::CLOCK_REALTIME, &mut now);
    let mut ns = now.tv_nsec + (*tv).tv_usec * 1000;
    let mut deadline = libc::timespec { tv_sec: now.tv_sec + (*tv).tv_sec + ns / 1_000_000_000, tv_nsec: 0 };
    ns %= 1_000_000_000;
    deadline.tv_nsec = ns;
    match libc::pthread_cond_timedwait(c, m, &deadline) {
        libc::ETIMEDOUT => 1,
        0 => 0,
        _ => -1,
    }
}

unsafe extern "C" fn pt_id() -> c_ulong {
    libc::pthread_self() as c_ulong
}

pub fn use_pthreads() -> c_int {
    use_pthreads_with_flags(0)
}

/// evthread_use_pthreads_with_flags() (libevent 2.2): with EVTHREAD_PTHREAD_PRIO_INHERIT the
/// mutexes use priority inheritance; other bits are ignored, as in libevent. -1 when the system
/// refuses such a mutex.
pub fn use_pthreads_with_flags(flags: c_int) -> c_int {
    let inherit = flags & PTHREAD_PRIO_INHERIT_FLAG != 0;
    if inherit {
        // SAFETY: an attribute object initialised, used and destroyed here.
        let ok = unsafe {
            let mut attr: libc::pthread_mutexattr_t = std::mem::zeroed();
            libc::pthread_mutexattr_init(&mut attr);
            let r = libc::pthread_mutexattr_setprotocol(&mut attr, libc::PTHREAD_PRIO_INHERIT);
            libc::pthread_mutexattr_destroy(&mut attr);
            r == 0
        };
        if !ok {
            return -1;
        }
    }
    PRIO_INHERIT.store(inherit, Ordering::Relaxed);
    let locks = LockCallbacks {
        lock_api_version: 1,
        supported_locktypes: LOCKTYPE_RECURSIVE,
        alloc: Some(pt_lock_alloc),
        free: Some(pt_lock_free),
        lock: Some(pt_lock),
        unlock: Some(pt_unlock),
    };
    let conds = CondCallbacks {
        condition_api_version: 1,
        alloc_condition: Some(pt_cond_alloc),
        free_condition: Some(pt_cond_free),
        signal_condition: Some(pt_cond_signal),
        wait_condition: Some(pt_cond_wait),
    };
    if set_lock_callbacks(Some(&locks)) != 0 {
        return -1;
    }
    set_cond_callbacks(Some(&conds));
    set_id_fn(Some(pt_id));
    0
}

// ---- evthread_enable_lock_debugging(): every lock checks that it is released by its holder.
// The debug locks work on their own, as libevent's do: with no lock callbacks installed they
// only keep the checks (threading counts as enabled, so BEV_OPT_THREADSAFE and base locks
// exist), and callbacks installed afterwards become the real locks under them.

struct DebugLock {
    /// The real lock, or NULL when no callbacks were installed when it was made.
    inner: *mut c_void,
    locktype: c_uint,
    holder: c_ulong,
    count: u32,
}

static DEBUGGING: AtomicBool = AtomicBool::new(false);
// The real tables under the debug ones (null: none installed).
static REAL_LOCKS: AtomicPtr<LockCallbacks> = AtomicPtr::new(ptr::null_mut());
static RETIRED_REAL_LOCKS: AtomicPtr<LockCallbacks> = AtomicPtr::new(ptr::null_mut());
static REAL_CONDS: AtomicPtr<CondCallbacks> = AtomicPtr::new(ptr::null_mut());
static RETIRED_REAL_CONDS: AtomicPtr<CondCallbacks> = AtomicPtr::new(ptr::null_mut());

fn real() -> Option<&'static LockCallbacks> {
    // SAFETY: null or a table that is never freed, as for locks().
    unsafe { REAL_LOCKS.load(Ordering::Acquire).as_ref() }
}

unsafe extern "C" fn dbg_alloc(locktype: c_uint) -> *mut c_void {
    let inner = match real() {
        // SAFETY: the program's alloc callback, called as its contract says.
        Some(r) => unsafe { (r.alloc.unwrap())(locktype | LOCKTYPE_RECURSIVE) },
        None => ptr::null_mut(),
    };
    Box::into_raw(Box::new(DebugLock { inner, locktype, holder: 0, count: 0 })) as *mut c_void
}

unsafe extern "C" fn dbg_free(lock: *mut c_void, _locktype: c_uint) {
    // SAFETY: our locks are DebugLocks from dbg_alloc, freed once.
    let l = unsafe { Box::from_raw(lock as *mut DebugLock) };
    if l.count != 0 {
        crate::core::log::errx(0xdeaddead_u32 as c_int, "lock debugging: freeing a lock that is held");
    }
    if let (false, Some(r)) = (l.inner.is_null(), real()) {
        // SAFETY: inner came from this table's alloc.
        unsafe { (r.free.unwrap())(l.inner, l.locktype | LOCKTYPE_RECURSIVE) };
    }
}

unsafe extern "C" fn dbg_lock(mode: c_uint, lock: *mut c_void) -> c_int {
    let l = lock as *mut DebugLock;
    // SAFETY: a live DebugLock; the real lock (if any) is taken before its fields are touched.
    unsafe {
        let r = match ((*l).inner.is_null(), real()) {
            (false, Some(real)) => (real.lock.unwrap())(mode, (*l).inner),
            _ => 0,
        };
        if r == 0 {
            if (*l).count > 0 && (*l).locktype & LOCKTYPE_RECURSIVE == 0 {
                crate::core::log::errx(0xdeaddead_u32 as c_int, "lock debugging: a non-recursive lock taken twice");
            }
            (*l).holder = thread_id();
            (*l).count += 1;
        }
        r
    }
}

unsafe extern "C" fn dbg_unlock(mode: c_uint, lock: *mut c_void) -> c_int {
    let l = lock as *mut DebugLock;
    // SAFETY: a live DebugLock that this thread should hold; its fields change before the real
    // lock is released.
    unsafe {
        if (*l).count == 0 || (*l).holder != thread_id() {
            crate::core::log::errx(
                0xdeaddead_u32 as c_int,
                "lock debugging: releasing a lock this thread does not hold",
            );
        }
        (*l).count -= 1;
        match ((*l).inner.is_null(), real()) {
            (false, Some(real)) => (real.unlock.unwrap())(mode, (*l).inner),
            _ => 0,
        }
    }
}

unsafe extern "C" fn dbg_cond_wait(cond: *mut c_void, lock: *mut c_void, tv: *const timeval) -> c_int {
    let l = lock as *mut DebugLock;
    // SAFETY: the caller holds the DebugLock `lock` once; the wait releases its real lock, so
    // the hold is cleared for the wait and restored after it.
    unsafe {
        let count = std::mem::replace(&mut (*l).count, 0);
        let r = match REAL_CONDS.load(Ordering::Acquire).as_ref() {
            Some(c) => (c.wait_condition.unwrap())(cond, (*l).inner, tv),
            None => 0,
        };
        (*l).count = count;
        (*l).holder = thread_id();
        r
    }
}

fn debug_locks() -> LockCallbacks {
    LockCallbacks {
        lock_api_version: 1,
        supported_locktypes: LOCKTYPE_RECURSIVE | LOCKTYPE_READWRITE,
        alloc: Some(dbg_alloc),
        free: Some(dbg_free),
        lock: Some(dbg_lock),
        unlock: Some(dbg_unlock),
    }
}

/// Shows the program's condition table with the debug wait in front of its wait.
fn install_debug_conds(real: &CondCallbacks) {
    let mut w = *real;
    w.wait_condition = Some(dbg_cond_wait);
    uninstall(&CONDS, &RETIRED_CONDS);
    install(&CONDS, &RETIRED_CONDS, &w);
}

/// Wraps the installed lock callbacks, or stands alone when there are none (call it before
/// making locks; libevent says the same).
pub fn enable_lock_debugging() {
    if DEBUGGING.swap(true, Ordering::AcqRel) {
        return;
    }
    if let Some(cur) = locks() {
        install(&REAL_LOCKS, &RETIRED_REAL_LOCKS, cur);
    }
    uninstall(&LOCKS, &RETIRED_LOCKS);
    install(&LOCKS, &RETIRED_LOCKS, &debug_locks());
    if let Some(c) = conds() {
        install(&REAL_CONDS, &RETIRED_REAL_CONDS, c);
        install_debug_conds(c);
    }
}
