//! The reactor driven as a C program drives it: through the exported `extern "C"` functions of
//! event2/event.h and event2/thread.h, over socketpairs, timers, signals and threads.
//!
//! These tests make system calls, so they live outside the modules `tools/miri.sh` selects.
//! No test asserts a duration: timers are checked for order and counts only, and a watchdog
//! thread ends the process (a failure, not a hang) if a test runs for minutes.
//!
//! Every base here is made after `evthread_use_pthreads()` (see `support::init`): threads are a
//! process-wide switch, and the thread tests share the process with the others.
#![allow(clippy::missing_safety_doc)]

use crate::capi::event::*;
use crate::capi::thread::evthread_use_pthreads;
use crate::core::base::EventBase;
use crate::core::event::Event;
use libc::{c_int, c_short, c_void, timeval};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use support::*;

/// What the tests share with `bufferevent::tests`: bases with a watchdog, closure events,
/// socketpairs.
pub(crate) mod support {
    use super::*;
    use std::marker::PhantomData;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::panic::AssertUnwindSafe;
    use std::sync::{mpsc, Once};
    use std::thread::JoinHandle;
    use std::time::Duration;

    // The values of event2/event.h, which C programs compile in.
    pub(crate) const EV_TIMEOUT: c_short = 0x01;
    pub(crate) const EV_READ: c_short = 0x02;
    pub(crate) const EV_WRITE: c_short = 0x04;
    pub(crate) const EV_SIGNAL: c_short = 0x08;
    pub(crate) const EV_PERSIST: c_short = 0x10;
    pub(crate) const EV_ET: c_short = 0x20;
    pub(crate) const EV_CLOSED: c_short = 0x80;
    pub(crate) const EVLOOP_ONCE: c_int = 0x01;
    pub(crate) const EVLOOP_NONBLOCK: c_int = 0x02;
    pub(crate) const EVLOOP_NO_EXIT_ON_EMPTY: c_int = 0x04;
    pub(crate) const EV_FEATURE_ET: c_int = 0x01;
    pub(crate) const EV_FEATURE_EARLY_CLOSE: c_int = 0x08;
    pub(crate) const EVENT_BASE_FLAG_IGNORE_ENV: c_int = 0x02;

    /// Enables threads once for the whole test process, before any base is made.
    pub(crate) fn init() {
        static ONCE: Once = Once::new();
        ONCE.call_once(|| assert_eq!(evthread_use_pthreads(), 0));
    }

    pub(crate) fn tv(ms: i64) -> timeval {
        timeval { tv_sec: ms / 1000, tv_usec: (ms % 1000) * 1000 }
    }

    /// Ends the process with a message if the test is still running after two minutes: a test
    /// whose loop never stops fails instead of hanging `cargo test`. Never a time assertion.
    pub(crate) struct Watchdog {
        tx: Option<mpsc::Sender<()>>,
        thread: Option<JoinHandle<()>>,
    }

    impl Watchdog {
        pub(crate) fn new() -> Watchdog {
            let name = std::thread::current().name().unwrap_or("?").to_string();
            let (tx, rx) = mpsc::channel::<()>();
            let thread = std::thread::spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_secs(120)) {
                    eprintln!("watchdog: test {name} still running after 120 s; aborting");
                    std::process::abort();
                }
            });
            Watchdog { tx: Some(tx), thread: Some(thread) }
        }
    }

    impl Drop for Watchdog {
        fn drop(&mut self) {
            drop(self.tx.take());
            if let Some(t) = self.thread.take() {
                let _ = t.join();
            }
        }
    }

    /// A base from event_base_new(), freed on drop, with a watchdog for the test.
    pub(crate) struct Base {
        ptr: *mut EventBase,
        _watchdog: Watchdog,
    }

    impl Base {
        pub(crate) fn new() -> Base {
            init();
            let ptr = event_base_new();
            assert!(!ptr.is_null());
            Base { ptr, _watchdog: Watchdog::new() }
        }

        /// A base on the backend `method` ("epoll", "poll", "select"), whatever the environment
        /// says; None when the system has no such backend.
        pub(crate) fn with_method(method: &str) -> Option<Base> {
            init();
            let cfg = event_config_new();
            assert!(!cfg.is_null());
            // SAFETY: cfg is the live config made above, freed once at the end; the names are
            // NUL-terminated literals.
            let ptr = unsafe {
                for other in [c"epoll", c"poll", c"select"] {
                    if other.to_bytes() != method.as_bytes() {
                        assert_eq!(event_config_avoid_method(cfg, other.as_ptr()), 0);
                    }
                }
                assert_eq!(event_config_set_flag(cfg, EVENT_BASE_FLAG_IGNORE_ENV), 0);
                let ptr = event_base_new_with_config(cfg);
                event_config_free(cfg);
                ptr
            };
            (!ptr.is_null()).then(|| Base { ptr, _watchdog: Watchdog::new() })
        }

        pub(crate) fn raw(&self) -> *mut EventBase {
            self.ptr
        }

        /// event_base_loop(); callbacks of this base's events run inside.
        pub(crate) fn run(&self, flags: c_int) -> c_int {
            // SAFETY: the base is live (freed only on drop).
            let r = unsafe { event_base_loop(self.ptr, flags) };
            rethrow_callback_panic();
            r
        }

        pub(crate) fn dispatch(&self) -> c_int {
            self.run(0)
        }

        /// One pass of the loop that does not wait.
        pub(crate) fn poll_once(&self) -> c_int {
            self.run(EVLOOP_ONCE | EVLOOP_NONBLOCK)
        }

        pub(crate) fn method(&self) -> String {
            // SAFETY: the base is live; the name is a static NUL-terminated string.
            unsafe { std::ffi::CStr::from_ptr(event_base_get_method(self.ptr)) }.to_string_lossy().into_owned()
        }

        pub(crate) fn features(&self) -> c_int {
            // SAFETY: the base is live.
            unsafe { event_base_get_features(self.ptr) }
        }

        pub(crate) fn loopbreak(&self) {
            // SAFETY: the base is live.
            assert_eq!(unsafe { event_base_loopbreak(self.ptr) }, 0);
        }

        pub(crate) fn loopexit(&self, ms: Option<i64>) {
            let t = ms.map(tv);
            // SAFETY: the base is live; the timeval is read during the call.
            assert_eq!(
                unsafe { event_base_loopexit(self.ptr, t.as_ref().map_or(std::ptr::null(), |t| t as *const timeval)) },
                0
            );
        }

        pub(crate) fn got_break(&self) -> bool {
            // SAFETY: the base is live.
            unsafe { event_base_got_break(self.ptr) != 0 }
        }

        pub(crate) fn got_exit(&self) -> bool {
            // SAFETY: the base is live.
            unsafe { event_base_got_exit(self.ptr) != 0 }
        }

        /// An event whose callback is `f`; freed (event_free) when the returned handle drops.
        pub(crate) fn event(&self, fd: c_int, events: c_short, f: impl FnMut(&Fired<'_>) + 'static) -> Ev<'_> {
            let slot =
                Box::into_raw(Box::new(Slot { ev: Cell::new(std::ptr::null_mut()), f: RefCell::new(Box::new(f)) }));
            // SAFETY: the base is live; slot stays allocated until the Ev drops, after event_free.
            let ev = unsafe { event_new(self.ptr, fd, events, Some(trampoline), slot as *mut c_void) };
            assert!(!ev.is_null());
            // SAFETY: slot is the live box made above.
            unsafe { (*slot).ev.set(ev) };
            Ev { ev, slot, _base: PhantomData }
        }
    }

    impl Drop for Base {
        fn drop(&mut self) {
            // SAFETY: made by event_base_new; the Ev handles borrowing it are gone.
            unsafe { event_base_free(self.ptr) }
        }
    }

    type Callback = Box<dyn FnMut(&Fired<'_>)>;

    struct Slot {
        ev: Cell<*mut Event>,
        f: RefCell<Callback>,
    }

    extern "C" fn trampoline(fd: c_int, what: c_short, arg: *mut c_void) {
        // SAFETY: arg is the Slot of an Ev, which outlives its event (event_free runs first);
        // the loop never runs a callback inside another one, so the RefCell is free.
        let slot = unsafe { &*(arg as *const Slot) };
        let fired = Fired { fd, what, ev: slot.ev.get(), _life: PhantomData };
        guarded(fired.base(), || (slot.f.borrow_mut())(&fired));
    }

    /// Runs a callback's body. A panic must not unwind into the library (that aborts the whole
    /// test process): it is kept, the loop of `base` is stopped, and Base::run panics with it on
    /// the test's thread.
    pub(crate) fn guarded(base: *mut EventBase, f: impl FnOnce()) {
        if let Err(p) = std::panic::catch_unwind(AssertUnwindSafe(f)) {
            PANIC.with(|c| {
                c.borrow_mut().get_or_insert(p);
            });
            // SAFETY: the base runs the callback, so it is live.
            unsafe { event_base_loopbreak(base) };
        }
    }

    thread_local! {
        static PANIC: RefCell<Option<Box<dyn std::any::Any + Send>>> = const { RefCell::new(None) };
    }

    /// Panics again with what a callback of this thread's loop panicked with, if it did.
    pub(crate) fn rethrow_callback_panic() {
        if let Some(p) = PANIC.with(|c| c.borrow_mut().take()) {
            std::panic::resume_unwind(p);
        }
    }

    /// What a closure event's callback receives: its descriptor, the EV_* bits that happened,
    /// and the calls a callback makes on its own event and base. Lives only during the call.
    pub(crate) struct Fired<'a> {
        pub(crate) fd: c_int,
        pub(crate) what: c_short,
        ev: *mut Event,
        _life: PhantomData<&'a ()>,
    }

    impl Fired<'_> {
        fn base(&self) -> *mut EventBase {
            // SAFETY: the event is live during its callback.
            unsafe { event_get_base(self.ev) }
        }

        pub(crate) fn add(&self, ms: Option<i64>) -> c_int {
            let t = ms.map(tv);
            // SAFETY: the event is live during its callback; the timeval is read during the call.
            unsafe { event_add(self.ev, t.as_ref().map_or(std::ptr::null(), |t| t as *const timeval)) }
        }

        pub(crate) fn del(&self) -> c_int {
            // SAFETY: the event is live during its callback.
            unsafe { event_del(self.ev) }
        }

        pub(crate) fn active(&self, res: c_short) {
            // SAFETY: the event is live during its callback.
            unsafe { event_active(self.ev, res as c_int, 0) }
        }

        pub(crate) fn pending(&self, what: c_short) -> c_short {
            // SAFETY: the event is live during its callback.
            unsafe { event_pending(self.ev, what, std::ptr::null_mut()) as c_short }
        }

        pub(crate) fn loopbreak(&self) {
            // SAFETY: the base runs this callback, so it is live.
            assert_eq!(unsafe { event_base_loopbreak(self.base()) }, 0);
        }

        pub(crate) fn loopexit(&self) {
            // SAFETY: the base runs this callback, so it is live.
            assert_eq!(unsafe { event_base_loopexit(self.base(), std::ptr::null()) }, 0);
        }
    }

    /// A closure event, freed on drop.
    pub(crate) struct Ev<'b> {
        ev: *mut Event,
        slot: *mut Slot,
        _base: PhantomData<&'b Base>,
    }

    impl Ev<'_> {
        pub(crate) fn raw(&self) -> *mut Event {
            self.ev
        }

        pub(crate) fn add(&self, ms: Option<i64>) -> c_int {
            let t = ms.map(tv);
            // SAFETY: the event is live until drop; the timeval is read during the call.
            unsafe { event_add(self.ev, t.as_ref().map_or(std::ptr::null(), |t| t as *const timeval)) }
        }

        pub(crate) fn del(&self) -> c_int {
            // SAFETY: the event is live.
            unsafe { event_del(self.ev) }
        }

        pub(crate) fn active(&self, res: c_short) {
            // SAFETY: the event is live.
            unsafe { event_active(self.ev, res as c_int, 0) }
        }

        pub(crate) fn pending(&self, what: c_short) -> c_short {
            // SAFETY: the event is live; no timeval is asked for.
            unsafe { event_pending(self.ev, what, std::ptr::null_mut()) as c_short }
        }

        pub(crate) fn set_priority(&self, pri: c_int) -> c_int {
            // SAFETY: the event is live.
            unsafe { event_priority_set(self.ev, pri) }
        }
    }

    impl Drop for Ev<'_> {
        fn drop(&mut self) {
            // SAFETY: made by event_new in Base::event and freed only here; the slot is the
            // callback's argument, released after the event is gone.
            unsafe {
                event_free(self.ev);
                drop(Box::from_raw(self.slot));
            }
        }
    }

    /// A pointer handed to another thread; the test keeps what it points at alive until the
    /// thread is joined.
    pub(crate) struct Shared<T>(pub(crate) *mut T);
    impl<T> Clone for Shared<T> {
        fn clone(&self) -> Self {
            *self
        }
    }
    impl<T> Copy for Shared<T> {}
    // SAFETY: the library's bases and events are shareable once threads are enabled (init); the
    // tests join every thread before freeing what it uses.
    unsafe impl<T> Send for Shared<T> {}

    /// Runs the base's loop in a new thread until it returns (gives the loop's result), and
    /// returns once that loop has run a callback: a loopbreak made before the loop starts would
    /// be forgotten (event_base_loop clears it, as libevent's does).
    pub(crate) fn spawn_loop(base: &Base, flags: c_int) -> std::thread::JoinHandle<c_int> {
        let started = AtomicUsize::new(0);
        let arg = &started as *const AtomicUsize as *mut c_void;
        // SAFETY: the base is live; `started` outlives the callback, which runs before this
        // function returns.
        assert_eq!(unsafe { event_base_once(base.raw(), -1, EV_TIMEOUT, Some(count), arg, std::ptr::null()) }, 0);
        let b = Shared(base.raw());
        let thread = std::thread::spawn(move || {
            let b = b;
            // SAFETY: the base outlives the thread (joined before the Base drops).
            unsafe { event_base_loop(b.0, flags) }
        });
        wait_until(|| started.load(Ordering::SeqCst) == 1);
        thread
    }

    /// A callback for thread tests: counts in an AtomicUsize.
    pub(crate) extern "C" fn count(_fd: c_int, _what: c_short, arg: *mut c_void) {
        // SAFETY: arg is an AtomicUsize the test keeps alive until the loop's thread is joined.
        unsafe { &*(arg as *const AtomicUsize) }.fetch_add(1, Ordering::SeqCst);
    }

    /// Waits (politely) until `cond` holds; the watchdog ends a test that never gets there.
    pub(crate) fn wait_until(cond: impl Fn() -> bool) {
        while !cond() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    /// A non-blocking AF_UNIX stream socketpair.
    pub(crate) fn socketpair() -> (OwnedFd, OwnedFd) {
        let mut fds = [-1; 2];
        // SAFETY: fds has room for the two descriptors.
        let r = unsafe {
            libc::socketpair(
                libc::AF_UNIX,
                libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                0,
                fds.as_mut_ptr(),
            )
        };
        assert_eq!(r, 0, "socketpair: {}", std::io::Error::last_os_error());
        // SAFETY: both descriptors were just opened and are owned by nobody else.
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
    }

    /// Writes all of `data` (small enough for the socket's buffer).
    pub(crate) fn send(fd: &impl AsRawFd, data: &[u8]) {
        // SAFETY: data is readable for its length.
        let n = unsafe { libc::write(fd.as_raw_fd(), data.as_ptr() as *const c_void, data.len()) };
        assert_eq!(n, data.len() as isize, "write: {}", std::io::Error::last_os_error());
    }

    /// Reads what is there (non-blocking): the bytes, or None at end of file, or an empty
    /// vector when nothing is waiting.
    pub(crate) fn recv(fd: &impl AsRawFd, max: usize) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; max];
        // SAFETY: buf is writable for its length.
        let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr() as *mut c_void, max) };
        match n {
            0 => None,
            n if n < 0 => {
                let e = std::io::Error::last_os_error();
                assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock, "read: {e}");
                Some(Vec::new())
            }
            n => {
                buf.truncate(n as usize);
                Some(buf)
            }
        }
    }
}

/// A shared log the callbacks append to.
fn shared_log<T: 'static>() -> Rc<RefCell<Vec<T>>> {
    Rc::new(RefCell::new(Vec::new()))
}

// ---- I/O events

#[test]
fn read_event_fires_once_when_data_arrives() {
    let base = Base::new();
    let (a, b) = socketpair();
    let seen = shared_log();
    let s = seen.clone();
    let ev = base.event(std::os::fd::AsRawFd::as_raw_fd(&a), EV_READ, move |f| s.borrow_mut().push((f.fd, f.what)));
    assert_eq!(ev.add(None), 0);
    assert_eq!(ev.pending(EV_READ | EV_WRITE), EV_READ);
    assert_eq!(base.poll_once(), 0);
    assert!(seen.borrow().is_empty(), "no data yet");
    send(&b, b"x");
    // A non-persistent event is removed before its callback: the loop then has nothing left.
    assert_eq!(base.dispatch(), 1);
    assert_eq!(*seen.borrow(), vec![(std::os::fd::AsRawFd::as_raw_fd(&a), EV_READ)]);
    assert_eq!(ev.pending(EV_READ), 0);
}

#[test]
fn write_event_fires_on_a_writable_socket() {
    let base = Base::new();
    let (a, _b) = socketpair();
    let what = Rc::new(Cell::new(0));
    let w = what.clone();
    let ev = base.event(std::os::fd::AsRawFd::as_raw_fd(&a), EV_WRITE, move |f| w.set(f.what));
    assert_eq!(ev.add(None), 0);
    assert_eq!(base.dispatch(), 1);
    assert_eq!(what.get(), EV_WRITE);
}

#[test]
fn persistent_read_event_fires_until_deleted_from_its_callback() {
    let base = Base::new();
    let (a, b) = socketpair();
    send(&b, b"abcde");
    let got = shared_log();
    let g = got.clone();
    let ev = base.event(std::os::fd::AsRawFd::as_raw_fd(&a), EV_READ | EV_PERSIST, move |f| {
        // One byte a callback: level-triggered, the event fires again while bytes remain.
        let byte = recv(&BorrowedFd(f.fd), 1).expect("not at end of file");
        g.borrow_mut().extend(byte);
        assert_eq!(f.pending(EV_READ), EV_READ, "a persistent event stays pending");
        if g.borrow().len() == 5 {
            assert_eq!(f.del(), 0);
        }
    });
    assert_eq!(ev.add(None), 0);
    assert_eq!(base.dispatch(), 1);
    assert_eq!(*got.borrow(), b"abcde");
    assert_eq!(ev.pending(EV_READ), 0);
}

/// A descriptor number borrowed for `recv`/`send`.
struct BorrowedFd(c_int);
impl std::os::fd::AsRawFd for BorrowedFd {
    fn as_raw_fd(&self) -> c_int {
        self.0
    }
}

/// Counts the callbacks of a persistent read event that never reads, over three loop passes,
/// then after one more byte arrives.
fn unread_callbacks(base: &Base, events: c_short) -> (usize, usize) {
    let (a, b) = socketpair();
    send(&b, b"abc");
    let n = Rc::new(Cell::new(0));
    let c = n.clone();
    let ev = base.event(std::os::fd::AsRawFd::as_raw_fd(&a), events, move |_| c.set(c.get() + 1));
    assert_eq!(ev.add(None), 0);
    for _ in 0..3 {
        base.poll_once();
    }
    let before = n.get();
    send(&b, b"d");
    base.poll_once();
    (before, n.get())
}

#[test]
fn edge_triggered_event_fires_once_per_arrival() {
    let base = Base::new();
    if base.features() & EV_FEATURE_ET == 0 {
        eprintln!("{}: no EV_ET, skipped", base.method());
        return;
    }
    assert_eq!(unread_callbacks(&base, EV_READ | EV_PERSIST | EV_ET), (1, 2));
    // Level-triggered: every pass while the bytes stay unread.
    assert_eq!(unread_callbacks(&base, EV_READ | EV_PERSIST), (3, 4));
}

#[test]
fn closed_event_reports_the_peer_closing() {
    let base = Base::new();
    if base.features() & EV_FEATURE_EARLY_CLOSE == 0 {
        eprintln!("{}: no EV_CLOSED, skipped", base.method());
        return;
    }
    let (a, b) = socketpair();
    let what = Rc::new(Cell::new(0));
    let w = what.clone();
    let ev = base.event(std::os::fd::AsRawFd::as_raw_fd(&a), EV_CLOSED, move |f| w.set(f.what));
    assert_eq!(ev.add(None), 0);
    assert_eq!(base.poll_once(), 0);
    assert_eq!(what.get(), 0, "the peer is still open");
    drop(b);
    assert_eq!(base.dispatch(), 1);
    assert_ne!(what.get() & EV_CLOSED, 0);
}

#[test]
fn io_and_timers_work_on_every_backend() {
    for method in ["epoll", "poll", "select"] {
        let Some(base) = Base::with_method(method) else {
            eprintln!("{method}: not available, skipped");
            continue;
        };
        assert_eq!(base.method(), method);
        let (a, b) = socketpair();
        let got = shared_log();
        let g = got.clone();
        let reader = base.event(std::os::fd::AsRawFd::as_raw_fd(&a), EV_READ | EV_PERSIST, move |f| {
            match recv(&BorrowedFd(f.fd), 16) {
                Some(bytes) => g.borrow_mut().extend(bytes),
                None => {
                    f.del();
                }
            }
        });
        let writer_fd = std::os::fd::AsRawFd::as_raw_fd(&b);
        let sent = Rc::new(Cell::new(0));
        let s = sent.clone();
        let writer = base.event(writer_fd, EV_WRITE | EV_PERSIST, move |f| {
            send(&BorrowedFd(f.fd), &[b'0' + s.get()]);
            s.set(s.get() + 1);
            if s.get() == 5 {
                f.del();
                // SAFETY: shutting down the writing side of a descriptor the test owns.
                unsafe { libc::shutdown(f.fd, libc::SHUT_WR) };
            }
        });
        let ticks = Rc::new(Cell::new(0));
        let t = ticks.clone();
        let timer = base.event(-1, 0, move |f| {
            assert_eq!(f.what, EV_TIMEOUT);
            t.set(t.get() + 1);
        });
        assert_eq!(reader.add(None), 0);
        assert_eq!(writer.add(None), 0);
        assert_eq!(timer.add(Some(1)), 0);
        assert_eq!(base.dispatch(), 1, "{method}");
        assert_eq!(*got.borrow(), b"01234", "{method}");
        assert_eq!(ticks.get(), 1, "{method}");
    }
}

#[test]
fn event_in_program_memory_works_and_needs_no_free() {
    #[repr(C, align(16))]
    struct Storage([u8; 256]);
    assert!(event_get_struct_event_size() <= std::mem::size_of::<Storage>());
    let base = Base::new();
    let mut storage = Storage([0; 256]);
    let ev = storage.0.as_mut_ptr() as *mut Event;
    let hits = Cell::new(0);
    extern "C" fn hit(_fd: c_int, what: c_short, arg: *mut c_void) {
        // SAFETY: arg is the test's Cell, alive while the loop runs.
        let hits = unsafe { &*(arg as *const Cell<c_short>) };
        hits.set(hits.get() + what);
    }
    // SAFETY: storage is large and aligned enough for an event, and stays in place until the
    // event is deleted; hits outlives the loop.
    unsafe {
        assert_eq!(event_assign(ev, base.raw(), -1, 0, Some(hit), &hits as *const Cell<c_short> as *mut c_void), 0);
        assert_eq!(event_initialized(ev), 1);
        assert_eq!(event_add(ev, &tv(0)), 0);
        assert_eq!(event_pending(ev, EV_TIMEOUT, std::ptr::null_mut()), EV_TIMEOUT as c_int);
    }
    assert_eq!(base.dispatch(), 1);
    assert_eq!(hits.get(), EV_TIMEOUT);
    // SAFETY: as above.
    unsafe {
        event_active(ev, EV_WRITE as c_int, 0);
        assert_eq!(event_del(ev), 0, "deleting an active event");
    }
    assert_eq!(base.dispatch(), 1);
    assert_eq!(hits.get(), EV_TIMEOUT, "a deleted event does not run");
}

// ---- timers

#[test]
fn timers_fire_in_deadline_order() {
    let base = Base::new();
    let order = shared_log();
    let evs: Vec<_> = [30, 0, 20, 10, 5]
        .into_iter()
        .map(|ms| {
            let o = order.clone();
            let ev = base.event(-1, 0, move |f| {
                assert_eq!(f.what, EV_TIMEOUT);
                o.borrow_mut().push(ms)
            });
            assert_eq!(ev.add(Some(ms)), 0);
            ev
        })
        .collect();
    assert_eq!(base.dispatch(), 1);
    assert_eq!(*order.borrow(), vec![0, 5, 10, 20, 30]);
    drop(evs);
}

#[test]
fn adding_a_pending_timer_again_moves_its_deadline() {
    let base = Base::new();
    let order = shared_log();
    let (o1, o2) = (order.clone(), order.clone());
    let first = base.event(-1, 0, move |_| o1.borrow_mut().push("first"));
    let second = base.event(-1, 0, move |_| o2.borrow_mut().push("second"));
    assert_eq!(first.add(Some(1)), 0);
    assert_eq!(second.add(Some(20)), 0);
    assert_eq!(first.add(Some(60)), 0);
    assert_eq!(base.dispatch(), 1);
    assert_eq!(*order.borrow(), vec!["second", "first"]);
}

#[test]
fn persistent_timer_rearms_until_deleted_from_its_callback() {
    let base = Base::new();
    let n = Rc::new(Cell::new(0));
    let c = n.clone();
    let ev = base.event(-1, EV_PERSIST, move |f| {
        assert_eq!(f.what, EV_TIMEOUT);
        assert_eq!(f.pending(EV_TIMEOUT), EV_TIMEOUT, "re-armed before the callback");
        c.set(c.get() + 1);
        if c.get() == 5 {
            assert_eq!(f.del(), 0);
            assert_eq!(f.pending(EV_TIMEOUT), 0);
        }
    });
    assert_eq!(ev.add(Some(1)), 0);
    assert_eq!(base.dispatch(), 1);
    assert_eq!(n.get(), 5);
}

#[test]
fn running_timer_adds_itself_again() {
    let base = Base::new();
    let n = Rc::new(Cell::new(0));
    let c = n.clone();
    let ev = base.event(-1, 0, move |f| {
        assert_eq!(f.pending(EV_TIMEOUT), 0, "a one-shot timer is removed before its callback");
        c.set(c.get() + 1);
        if c.get() < 4 {
            assert_eq!(f.add(Some(1)), 0);
        }
    });
    assert_eq!(ev.add(Some(0)), 0);
    assert_eq!(base.dispatch(), 1);
    assert_eq!(n.get(), 4);
}

#[test]
fn event_freed_from_its_own_callback() {
    let base = Base::new();
    extern "C" fn free_self(_fd: c_int, _what: c_short, arg: *mut c_void) {
        // SAFETY: arg is the event itself (event_self_cbarg), made by event_new and freed once,
        // here; nothing uses it afterwards.
        unsafe { event_free(arg as *mut Event) };
    }
    // SAFETY: the base is live; the events are freed by their own callbacks.
    unsafe {
        for flags in [0, EV_PERSIST] {
            let ev = event_new(base.raw(), -1, flags, Some(free_self), event_self_cbarg());
            assert!(!ev.is_null());
            assert_eq!(event_add(ev, &tv(1)), 0);
        }
    }
    // The loop ends when both are gone (a persistent timer would otherwise run forever).
    assert_eq!(base.dispatch(), 1);
}

#[test]
fn callback_frees_another_active_event_which_then_never_runs() {
    let base = Base::new();
    struct Pair {
        victim: Cell<*mut Event>,
        ran: RefCell<Vec<&'static str>>,
    }
    extern "C" fn killer(_fd: c_int, _what: c_short, arg: *mut c_void) {
        // SAFETY: arg is the test's Pair, alive while the loop runs; victim is a live event
        // from event_new, freed once, here.
        unsafe {
            let p = &*(arg as *const Pair);
            p.ran.borrow_mut().push("killer");
            event_free(p.victim.replace(std::ptr::null_mut()));
        }
    }
    extern "C" fn victim(_fd: c_int, _what: c_short, arg: *mut c_void) {
        // SAFETY: arg is the test's Pair, alive while the loop runs.
        unsafe { &*(arg as *const Pair) }.ran.borrow_mut().push("victim");
    }
    let p = Pair { victim: Cell::new(std::ptr::null_mut()), ran: RefCell::new(Vec::new()) };
    let arg = &p as *const Pair as *mut c_void;
    // SAFETY: the base is live and p outlives the loop; the victim is pending (timer) and
    // active at once when the killer runs.
    let k = unsafe {
        let k = event_new(base.raw(), -1, 0, Some(killer), arg);
        let v = event_new(base.raw(), -1, EV_PERSIST, Some(victim), arg);
        assert!(!k.is_null() && !v.is_null());
        p.victim.set(v);
        assert_eq!(event_add(v, &tv(10_000)), 0);
        event_active(k, EV_TIMEOUT as c_int, 0);
        event_active(v, EV_TIMEOUT as c_int, 0);
        k
    };
    assert_eq!(base.dispatch(), 1, "the freed victim's timer is gone too");
    assert_eq!(*p.ran.borrow(), vec!["killer"]);
    // SAFETY: k is not pending (it ran once) and was made by event_new.
    unsafe { event_free(k) };
}

#[test]
fn deleted_timer_never_fires_and_can_be_freed() {
    let base = Base::new();
    let n = Rc::new(Cell::new(0));
    let c = n.clone();
    let ev = base.event(-1, 0, move |_| c.set(c.get() + 1));
    assert_eq!(ev.del(), 0, "deleting an event never added is not an error");
    assert_eq!(ev.add(Some(0)), 0);
    let mut when = tv(0);
    // SAFETY: the event is live; when is writable.
    assert_eq!(unsafe { event_pending(ev.raw(), EV_TIMEOUT, &mut when) }, EV_TIMEOUT as c_int);
    assert!(when.tv_sec > 0, "the deadline is on the wall clock");
    assert_eq!(ev.del(), 0);
    assert_eq!(ev.pending(EV_TIMEOUT), 0);
    drop(ev);
    assert_eq!(base.dispatch(), 1);
    assert_eq!(n.get(), 0);
}

// ---- event_active

#[test]
fn event_active_runs_an_event_never_added_and_ors_results() {
    let base = Base::new();
    let seen = shared_log();
    let s = seen.clone();
    let ev = base.event(-1, EV_READ | EV_WRITE, move |f| s.borrow_mut().push(f.what));
    ev.active(EV_READ);
    ev.active(EV_WRITE);
    assert_eq!(ev.pending(EV_READ | EV_WRITE | EV_TIMEOUT), EV_READ | EV_WRITE, "active counts as pending");
    assert_eq!(base.dispatch(), 1);
    assert_eq!(*seen.borrow(), vec![EV_READ | EV_WRITE]);
}

#[test]
fn event_activated_from_its_callback_runs_again() {
    let base = Base::new();
    let n = Rc::new(Cell::new(0));
    let c = n.clone();
    let ev = base.event(-1, 0, move |f| {
        c.set(c.get() + 1);
        if c.get() < 3 {
            f.active(EV_TIMEOUT);
        }
    });
    ev.active(EV_TIMEOUT);
    assert_eq!(base.dispatch(), 1);
    assert_eq!(n.get(), 3);
}

// ---- priorities

#[test]
fn higher_priority_callbacks_run_first() {
    let base = Base::new();
    // SAFETY: the base is live and has no active event.
    unsafe {
        assert_eq!(event_base_priority_init(base.raw(), 3), 0);
        assert_eq!(event_base_get_npriorities(base.raw()), 3);
    }
    let order = shared_log();
    let evs: Vec<_> = [2, 0, 1, 2, 0]
        .into_iter()
        .enumerate()
        .map(|(i, pri)| {
            let o = order.clone();
            let ev = base.event(-1, 0, move |_| o.borrow_mut().push((pri, i)));
            // SAFETY: the event is live.
            assert_eq!(unsafe { event_get_priority(ev.raw()) }, 1, "the default is the middle");
            assert_eq!(ev.set_priority(pri), 0);
            ev
        })
        .collect();
    assert_eq!(evs[0].set_priority(3), -1);
    for ev in &evs {
        ev.active(EV_TIMEOUT);
    }
    assert_eq!(evs[0].set_priority(1), -1, "an active event keeps its priority");
    assert_eq!(base.dispatch(), 1);
    assert_eq!(*order.borrow(), vec![(0, 1), (0, 4), (1, 2), (2, 0), (2, 3)]);
}

#[test]
fn lower_priority_waits_while_a_higher_one_stays_busy() {
    let base = Base::new();
    // SAFETY: the base is live and has no event.
    assert_eq!(unsafe { event_base_priority_init(base.raw(), 2) }, 0);
    let order = shared_log();
    let (o1, o2) = (order.clone(), order.clone());
    let busy = base.event(-1, 0, move |f| {
        o1.borrow_mut().push("high");
        if o1.borrow().len() < 4 {
            f.active(EV_TIMEOUT);
        }
    });
    let low = base.event(-1, 0, move |_| o2.borrow_mut().push("low"));
    assert_eq!(busy.set_priority(0), 0);
    assert_eq!(low.set_priority(1), 0);
    low.active(EV_TIMEOUT);
    busy.active(EV_TIMEOUT);
    assert_eq!(base.dispatch(), 1);
    assert_eq!(*order.borrow(), vec!["high", "high", "high", "high", "low"]);
}

// ---- stopping the loop

/// Three events made active in order; the first calls `stop`.
fn three_active(base: &Base, stop: fn(&Fired<'_>)) -> (Rc<RefCell<Vec<i32>>>, Vec<Ev<'_>>) {
    let order = shared_log();
    let evs: Vec<_> = (1..=3)
        .map(|i| {
            let o = order.clone();
            let ev = base.event(-1, 0, move |f| {
                o.borrow_mut().push(i);
                if i == 1 {
                    stop(f);
                }
            });
            ev.active(EV_TIMEOUT);
            ev
        })
        .collect();
    (order, evs)
}

#[test]
fn loopbreak_stops_right_after_the_running_callback() {
    let base = Base::new();
    let (order, _evs) = three_active(&base, |f| f.loopbreak());
    assert_eq!(base.dispatch(), 0);
    assert_eq!(*order.borrow(), vec![1]);
    assert!(base.got_break());
    assert!(!base.got_exit());
    // The next loop resets the flag and runs what was left.
    assert_eq!(base.dispatch(), 1);
    assert_eq!(*order.borrow(), vec![1, 2, 3]);
    assert!(!base.got_break());
}

#[test]
fn loopexit_lets_the_active_callbacks_run_first() {
    let base = Base::new();
    let (order, _evs) = three_active(&base, |f| f.loopexit());
    assert_eq!(base.dispatch(), 0);
    assert_eq!(*order.borrow(), vec![1, 2, 3]);
    assert!(base.got_exit());
    assert!(!base.got_break());
}

#[test]
fn loopexit_with_a_delay_ends_a_busy_loop() {
    let base = Base::new();
    let ticks = Rc::new(Cell::new(0));
    let t = ticks.clone();
    let ev = base.event(-1, EV_PERSIST, move |_| t.set(t.get() + 1));
    assert_eq!(ev.add(Some(1)), 0);
    base.loopexit(Some(20));
    assert_eq!(base.dispatch(), 0);
    assert!(base.got_exit());
    assert!(ticks.get() >= 1, "the 1 ms timer is due before the 20 ms exit");
    assert_eq!(ev.pending(EV_TIMEOUT), EV_TIMEOUT, "still pending after the loop");
}

#[test]
fn loop_flags_once_nonblock_and_no_exit_on_empty() {
    let base = Base::new();
    assert_eq!(base.dispatch(), 1, "nothing to wait for");
    assert_eq!(base.poll_once(), 1);
    // NO_EXIT_ON_EMPTY waits even with no event: a loopexit timer ends it.
    base.loopexit(Some(1));
    assert_eq!(base.run(EVLOOP_NO_EXIT_ON_EMPTY), 0);
    assert!(base.got_exit());
    // ONCE: one pass of callbacks, even when one activates another.
    let n = Rc::new(Cell::new(0));
    let c = n.clone();
    let ev = base.event(-1, EV_PERSIST, move |_| c.set(c.get() + 1));
    assert_eq!(ev.add(Some(0)), 0);
    assert_eq!(base.run(EVLOOP_ONCE), 0);
    assert_eq!(n.get(), 1);
    // NONBLOCK: a timer not yet due does not run, and the loop does not wait for it.
    assert_eq!(ev.add(Some(3_600_000)), 0);
    assert_eq!(base.run(EVLOOP_NONBLOCK), 0);
    assert_eq!(n.get(), 1);
}

// ---- event_base_once

#[test]
fn base_once_runs_timer_and_io_callbacks_once() {
    let base = Base::new();
    let (a, b) = socketpair();
    let seen: RefCell<Vec<(c_int, c_short)>> = RefCell::new(Vec::new());
    extern "C" fn record(fd: c_int, what: c_short, arg: *mut c_void) {
        // SAFETY: arg is the test's log, alive while the loop runs.
        unsafe { &*(arg as *const RefCell<Vec<(c_int, c_short)>>) }.borrow_mut().push((fd, what));
    }
    let arg = &seen as *const RefCell<Vec<(c_int, c_short)>> as *mut c_void;
    let afd = std::os::fd::AsRawFd::as_raw_fd(&a);
    // SAFETY: the base is live; seen outlives the loop; the timevals are read during the calls.
    unsafe {
        assert_eq!(event_base_once(base.raw(), -1, EV_TIMEOUT, Some(record), arg, &tv(5)), 0);
        assert_eq!(event_base_once(base.raw(), afd, EV_READ, Some(record), arg, std::ptr::null()), 0);
        assert_eq!(event_base_once(base.raw(), -1, EV_TIMEOUT | EV_PERSIST, Some(record), arg, &tv(0)), -1);
        assert_eq!(event_base_once(base.raw(), libc::SIGUSR2, EV_SIGNAL, Some(record), arg, &tv(0)), -1);
        assert_eq!(event_base_once(base.raw(), -1, EV_TIMEOUT, None, arg, &tv(0)), -1);
    }
    send(&b, b"!");
    assert_eq!(base.dispatch(), 1, "both once-events are gone after running");
    let mut seen = seen.into_inner();
    seen.sort();
    assert_eq!(seen, vec![(-1, EV_TIMEOUT), (afd, EV_READ)]);
    // One that never runs is freed with the base.
    // SAFETY: as above; the callback cannot run after this test's loop.
    assert_eq!(
        unsafe { event_base_once(base.raw(), afd, EV_WRITE, Some(record), std::ptr::null_mut(), &tv(3_600_000)) },
        0
    );
}

// ---- signals

#[test]
fn signal_event_runs_once_per_raised_signal() {
    let base = Base::new();
    let n = Rc::new(Cell::new(0));
    let c = n.clone();
    let ev = base.event(libc::SIGUSR1, EV_SIGNAL | EV_PERSIST, move |f| {
        assert_eq!((f.fd, f.what), (libc::SIGUSR1, EV_SIGNAL));
        c.set(c.get() + 1);
        if c.get() == 2 {
            assert_eq!(f.del(), 0);
        }
    });
    assert_eq!(ev.add(None), 0);
    assert_eq!(ev.pending(EV_SIGNAL), EV_SIGNAL);
    // With the handler installed, raise() runs it in this thread before returning: each of the
    // two signals is counted, and the callback runs once for each.
    // SAFETY: raising a signal the base now handles.
    unsafe {
        assert_eq!(libc::raise(libc::SIGUSR1), 0);
    }
    // SAFETY: as above.
    unsafe {
        assert_eq!(libc::raise(libc::SIGUSR1), 0);
    }
    assert_eq!(base.dispatch(), 1);
    assert_eq!(n.get(), 2);
}

// ---- threads

#[test]
fn event_active_from_another_thread_wakes_a_blocked_loop() {
    let base = Base::new();
    let n = Arc::new(AtomicUsize::new(0));
    // SAFETY: the base is live; n outlives the loop's thread.
    let ev = unsafe { event_new(base.raw(), -1, 0, Some(count), Arc::as_ptr(&n) as *mut c_void) };
    assert!(!ev.is_null());
    let looping = spawn_loop(&base, EVLOOP_NO_EXIT_ON_EMPTY);
    // SAFETY: ev is live until freed below, after the join; event_active is thread-safe.
    unsafe { event_active(ev, EV_TIMEOUT as c_int, 0) };
    wait_until(|| n.load(Ordering::SeqCst) == 1);
    base.loopbreak();
    assert_eq!(looping.join().unwrap(), 0);
    assert!(base.got_break());
    // SAFETY: ev ran and is no longer active; the loop's thread is gone.
    unsafe { event_free(ev) };
}

#[test]
fn event_add_from_another_thread_wakes_a_blocked_loop() {
    let base = Base::new();
    let (a, b) = socketpair();
    let n = Arc::new(AtomicUsize::new(0));
    let arg = Arc::as_ptr(&n) as *mut c_void;
    // SAFETY: the base is live; n outlives the loop's thread.
    let (timer, reader) = unsafe {
        (
            event_new(base.raw(), -1, 0, Some(count), arg),
            event_new(base.raw(), std::os::fd::AsRawFd::as_raw_fd(&a), EV_READ, Some(count), arg),
        )
    };
    assert!(!timer.is_null() && !reader.is_null());
    let looping = spawn_loop(&base, EVLOOP_NO_EXIT_ON_EMPTY);
    // A timer due at once, from this thread, while the loop may sleep with no timeout at all.
    // SAFETY: the events are live until freed after the join; event_add is thread-safe.
    assert_eq!(unsafe { event_add(timer, &tv(0)) }, 0);
    wait_until(|| n.load(Ordering::SeqCst) == 1);
    // A descriptor the loop is not watching yet.
    // SAFETY: as above.
    assert_eq!(unsafe { event_add(reader, std::ptr::null()) }, 0);
    send(&b, b"x");
    wait_until(|| n.load(Ordering::SeqCst) == 2);
    base.loopbreak();
    assert_eq!(looping.join().unwrap(), 0);
    // SAFETY: neither is pending any longer; the loop's thread is gone.
    unsafe {
        event_free(timer);
        event_free(reader);
    }
}

#[test]
fn event_del_from_another_thread_stops_a_pending_event() {
    let base = Base::new();
    let (a, b) = socketpair();
    let n = Arc::new(AtomicUsize::new(0));
    let arg = Arc::as_ptr(&n) as *mut c_void;
    // SAFETY: the base is live; n outlives the loop's thread.
    let reader =
        unsafe { event_new(base.raw(), std::os::fd::AsRawFd::as_raw_fd(&a), EV_READ | EV_PERSIST, Some(count), arg) };
    assert!(!reader.is_null());
    // SAFETY: reader is live until freed at the end.
    assert_eq!(unsafe { event_add(reader, std::ptr::null()) }, 0);
    let looping = spawn_loop(&base, EVLOOP_NO_EXIT_ON_EMPTY);
    // SAFETY: event_del is thread-safe; reader stays live.
    assert_eq!(unsafe { event_del(reader) }, 0);
    send(&b, b"x");
    base.loopbreak();
    assert_eq!(looping.join().unwrap(), 0);
    // The byte is still there: a pass of the loop on this thread must not run the callback.
    assert_eq!(base.poll_once(), 1, "no event left");
    assert_eq!(n.load(Ordering::SeqCst), 0);
    // SAFETY: reader is not pending; the loop's thread is gone.
    unsafe { event_free(reader) };
}

#[test]
fn event_del_from_another_thread_waits_for_the_running_callback() {
    let base = Base::new();
    struct Gate {
        entered: AtomicUsize,
        finished: AtomicUsize,
        del_called: AtomicBool,
    }
    extern "C" fn slow(_fd: c_int, _what: c_short, arg: *mut c_void) {
        // SAFETY: arg is the test's Gate, alive until the loop's thread is joined.
        let g = unsafe { &*(arg as *const Gate) };
        if g.entered.fetch_add(1, Ordering::SeqCst) == 0 {
            wait_until(|| g.del_called.load(Ordering::SeqCst));
            // event_del is now (about to be) waiting in the other thread; it must keep
            // waiting until this returns, however long that takes.
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        g.finished.fetch_add(1, Ordering::SeqCst);
    }
    let gate = Gate { entered: AtomicUsize::new(0), finished: AtomicUsize::new(0), del_called: AtomicBool::new(false) };
    // SAFETY: the base is live; gate outlives the loop's thread.
    let ev = unsafe { event_new(base.raw(), -1, EV_PERSIST, Some(slow), &gate as *const Gate as *mut c_void) };
    assert!(!ev.is_null());
    // SAFETY: ev is live until freed at the end.
    assert_eq!(unsafe { event_add(ev, &tv(0)) }, 0);
    let looping = spawn_loop(&base, EVLOOP_NO_EXIT_ON_EMPTY);
    wait_until(|| gate.entered.load(Ordering::SeqCst) > 0);
    gate.del_called.store(true, Ordering::SeqCst);
    // SAFETY: thread-safe; ev stays live.
    assert_eq!(unsafe { event_del(ev) }, 0);
    // No callback of the event is running now, and none starts again.
    let runs = gate.finished.load(Ordering::SeqCst);
    assert_eq!(gate.entered.load(Ordering::SeqCst), runs, "event_del returned while the callback ran");
    base.loopbreak();
    assert_eq!(looping.join().unwrap(), 0);
    assert_eq!(gate.entered.load(Ordering::SeqCst), runs, "a deleted timer ran again");
    // SAFETY: ev is not pending; the loop's thread is gone.
    unsafe { event_free(ev) };
}

#[test]
fn callbacks_scheduled_from_many_threads_all_run() {
    let base = Base::new();
    let n = Arc::new(AtomicUsize::new(0));
    let looping = spawn_loop(&base, EVLOOP_NO_EXIT_ON_EMPTY);
    let b = Shared(base.raw());
    let arg = Shared(Arc::as_ptr(&n) as *mut AtomicUsize);
    let schedulers: Vec<_> = (0..3)
        .map(|_| {
            std::thread::spawn(move || {
                let (b, arg) = (b, arg);
                for i in 0..200 {
                    let t = tv(i % 3);
                    // SAFETY: the base and counter outlive this thread (joined below).
                    let r = unsafe { event_base_once(b.0, -1, EV_TIMEOUT, Some(count), arg.0 as *mut c_void, &t) };
                    assert_eq!(r, 0);
                }
            })
        })
        .collect();
    for s in schedulers {
        s.join().unwrap();
    }
    wait_until(|| n.load(Ordering::SeqCst) == 600);
    base.loopbreak();
    assert_eq!(looping.join().unwrap(), 0);
    assert_eq!(base.poll_once(), 1, "every once-event is gone");
}
