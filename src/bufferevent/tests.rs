//! Bufferevents driven as a C program drives them: through the exported `extern "C"` functions
//! of event2/bufferevent.h and event2/buffer.h, over socketpairs, pairs and filters, with the
//! loop of `core::tests`' bases (watchdog, callback panics reported on the test's thread).
//!
//! These tests make system calls, so they live outside the modules `tools/miri.sh` selects.
#![allow(clippy::missing_safety_doc)]

use crate::buffer::Evbuffer;
use crate::bufferevent::Bev;
use crate::capi::buffer::{evbuffer_add, evbuffer_copyout, evbuffer_drain, evbuffer_get_length, evbuffer_remove};
use crate::capi::bufferevent::*;
use crate::capi::event::event_base_loopbreak;
use crate::core::base::EventBase;
use crate::core::tests::support::*;
use libc::{c_int, c_short, c_void};
use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::os::fd::{AsRawFd, IntoRawFd};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

// The values of event2/bufferevent.h.
const BEV_EVENT_READING: c_short = 0x01;
const BEV_EVENT_WRITING: c_short = 0x02;
const BEV_EVENT_EOF: c_short = 0x10;
const BEV_EVENT_ERROR: c_short = 0x20;
const BEV_EVENT_TIMEOUT: c_short = 0x40;
const BEV_OPT_CLOSE_ON_FREE: c_int = 1 << 0;
const BEV_OPT_THREADSAFE: c_int = 1 << 1;
const BEV_OPT_DEFER_CALLBACKS: c_int = 1 << 2;
const BEV_TRIG_IGNORE_WATERMARKS: c_int = 1 << 16;
const BEV_TRIG_DEFER_CALLBACKS: c_int = BEV_OPT_DEFER_CALLBACKS;
const BEV_FINISHED: c_int = 2;
const BEV_OK: c_int = 0;
const BEV_NEED_MORE: c_int = 1;

type DataFn = Box<dyn FnMut(&BevRef<'_>)>;
type EventFn = Box<dyn FnMut(&BevRef<'_>, c_short)>;

/// The closures of one bufferevent, and whether a callback freed it.
#[derive(Default)]
struct Cbs {
    read: RefCell<Option<DataFn>>,
    write: RefCell<Option<DataFn>>,
    event: RefCell<Option<EventFn>>,
    freed: Cell<bool>,
}

/// A bufferevent the test owns: freed on drop unless a callback (or a filter over it) freed it.
struct Bufev<'b> {
    bev: *mut Bev,
    cbs: Box<Cbs>,
    _base: PhantomData<&'b Base>,
}

impl<'b> Bufev<'b> {
    fn wrap(bev: *mut Bev) -> Bufev<'b> {
        assert!(!bev.is_null());
        Bufev { bev, cbs: Box::default(), _base: PhantomData }
    }

    fn socket(base: &'b Base, fd: c_int, options: c_int) -> Bufev<'b> {
        // SAFETY: the base is live; fd is an open non-blocking socket (or -1).
        Bufev::wrap(unsafe { bufferevent_socket_new(base.raw(), fd, options) })
    }

    fn pair(base: &'b Base, options: c_int) -> (Bufev<'b>, Bufev<'b>) {
        let mut p = [std::ptr::null_mut(); 2];
        // SAFETY: the base is live; p has room for the two bufferevents.
        assert_eq!(unsafe { bufferevent_pair_new(base.raw(), options, p.as_mut_ptr()) }, 0);
        (Bufev::wrap(p[0]), Bufev::wrap(p[1]))
    }

    /// The handle callbacks and tests use.
    fn r(&self) -> BevRef<'_> {
        BevRef { bev: self.bev, cbs: &self.cbs }
    }

    fn install(&self) {
        let arg = &*self.cbs as *const Cbs as *mut c_void;
        let read: Option<unsafe extern "C" fn(*mut Bev, *mut c_void)> =
            self.cbs.read.borrow().is_some().then_some(on_read);
        let write: Option<unsafe extern "C" fn(*mut Bev, *mut c_void)> =
            self.cbs.write.borrow().is_some().then_some(on_write);
        let event: Option<unsafe extern "C" fn(*mut Bev, c_short, *mut c_void)> =
            self.cbs.event.borrow().is_some().then_some(on_event);
        // SAFETY: the bufferevent is live; the Cbs box outlives it (freed after it on drop).
        unsafe { bufferevent_setcb(self.bev, read, write, event, arg) }
    }

    fn on_read(&self, f: impl FnMut(&BevRef<'_>) + 'static) {
        *self.cbs.read.borrow_mut() = Some(Box::new(f));
        self.install();
    }

    fn on_write(&self, f: impl FnMut(&BevRef<'_>) + 'static) {
        *self.cbs.write.borrow_mut() = Some(Box::new(f));
        self.install();
    }

    fn on_event(&self, f: impl FnMut(&BevRef<'_>, c_short) + 'static) {
        *self.cbs.event.borrow_mut() = Some(Box::new(f));
        self.install();
    }
}

impl Drop for Bufev<'_> {
    fn drop(&mut self) {
        if !self.cbs.freed.get() {
            // SAFETY: the bufferevent is live (nobody freed it) and freed once, here; its
            // callbacks are cleared by the free, before the Cbs box goes.
            unsafe { bufferevent_free(self.bev) };
        }
    }
}

/// A bufferevent during a callback or a test: the calls on it.
struct BevRef<'a> {
    bev: *mut Bev,
    cbs: &'a Cbs,
}

impl BevRef<'_> {
    fn live(&self) -> *mut Bev {
        assert!(!self.cbs.freed.get(), "bufferevent used after bufferevent_free");
        self.bev
    }

    fn write(&self, data: &[u8]) {
        // SAFETY: a live bufferevent; data is readable for its length.
        assert_eq!(unsafe { bufferevent_write(self.live(), data.as_ptr() as *const c_void, data.len()) }, 0);
    }

    /// Everything in the input buffer, removed.
    fn take(&self) -> Vec<u8> {
        // SAFETY: a live bufferevent's input buffer.
        take_all(unsafe { bufferevent_get_input(self.live()) })
    }

    fn input_len(&self) -> usize {
        // SAFETY: a live bufferevent's input buffer.
        unsafe { evbuffer_get_length(bufferevent_get_input(self.live())) }
    }

    fn output_len(&self) -> usize {
        // SAFETY: a live bufferevent's output buffer.
        unsafe { evbuffer_get_length(bufferevent_get_output(self.live())) }
    }

    fn enable(&self, what: c_short) {
        // SAFETY: a live bufferevent.
        assert_eq!(unsafe { bufferevent_enable(self.live(), what) }, 0);
    }

    fn watermark(&self, what: c_short, low: usize, high: usize) {
        // SAFETY: a live bufferevent.
        unsafe { bufferevent_setwatermark(self.live(), what, low, high) }
    }

    fn loopbreak(&self) {
        // SAFETY: a live bufferevent and its live base.
        assert_eq!(unsafe { event_base_loopbreak(bufferevent_get_base(self.live())) }, 0);
    }

    /// bufferevent_free(); the owning Bufev will not free it again.
    fn free(&self) {
        // SAFETY: a live bufferevent, freed once (the flag stops every later use).
        unsafe { bufferevent_free(self.live()) };
        self.cbs.freed.set(true);
    }
}

/// Removes and returns everything in `buf`.
fn take_all(buf: *mut Evbuffer) -> Vec<u8> {
    // SAFETY: buf is a live evbuffer (the callers pass a live bufferevent's, or a filter's
    // buffers during the filter call); v is writable for its length.
    unsafe {
        let mut v = vec![0u8; evbuffer_get_length(buf)];
        let n = evbuffer_remove(buf, v.as_mut_ptr() as *mut c_void, v.len());
        assert_eq!(n, v.len() as c_int);
        v
    }
}

fn add(buf: *mut Evbuffer, data: &[u8]) {
    // SAFETY: buf is a live evbuffer (see take_all); data is readable for its length.
    assert_eq!(unsafe { evbuffer_add(buf, data.as_ptr() as *const c_void, data.len()) }, 0);
}

/// The base of a bufferevent, for `guarded` (no reference held, nothing checked).
fn base_of(bev: *mut Bev) -> *mut EventBase {
    // SAFETY: the library calls back only with a live bufferevent.
    unsafe { bufferevent_get_base(bev) }
}

extern "C" fn on_read(bev: *mut Bev, arg: *mut c_void) {
    // SAFETY: arg is the Cbs box of a Bufev, alive while its bufferevent is.
    let cbs = unsafe { &*(arg as *const Cbs) };
    guarded(base_of(bev), || {
        if let Some(f) = cbs.read.borrow_mut().as_mut() {
            f(&BevRef { bev, cbs })
        }
    });
}

extern "C" fn on_write(bev: *mut Bev, arg: *mut c_void) {
    // SAFETY: as in on_read.
    let cbs = unsafe { &*(arg as *const Cbs) };
    guarded(base_of(bev), || {
        if let Some(f) = cbs.write.borrow_mut().as_mut() {
            f(&BevRef { bev, cbs })
        }
    });
}

extern "C" fn on_event(bev: *mut Bev, what: c_short, arg: *mut c_void) {
    // SAFETY: as in on_read.
    let cbs = unsafe { &*(arg as *const Cbs) };
    guarded(base_of(bev), || {
        if let Some(f) = cbs.event.borrow_mut().as_mut() {
            f(&BevRef { bev, cbs }, what)
        }
    });
}

fn shared<T: Default + 'static>() -> Rc<RefCell<T>> {
    Rc::new(RefCell::new(T::default()))
}

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 % 251) as u8).collect()
}

// ---- socket bufferevents

#[test]
fn socket_bufferevents_carry_a_large_transfer_and_a_reply() {
    let base = Base::new();
    let (x, y) = socketpair();
    let a = Bufev::socket(&base, x.into_raw_fd(), BEV_OPT_CLOSE_ON_FREE);
    let b = Bufev::socket(&base, y.into_raw_fd(), BEV_OPT_CLOSE_ON_FREE);
    let payload = pattern(300_000);
    let got = shared::<Vec<u8>>();
    let reply = shared::<Vec<u8>>();
    let drained = Rc::new(Cell::new(0));
    let total = payload.len();
    let g = got.clone();
    b.on_read(move |bev| {
        g.borrow_mut().extend(bev.take());
        if g.borrow().len() == total {
            bev.write(b"done");
        }
    });
    let r = reply.clone();
    a.on_read(move |bev| {
        r.borrow_mut().extend(bev.take());
        if r.borrow().len() == 4 {
            bev.loopbreak();
        }
    });
    let d = drained.clone();
    a.on_write(move |bev| {
        assert_eq!(bev.output_len(), 0, "the default low watermark is 0");
        d.set(d.get() + 1);
    });
    a.r().enable(EV_READ);
    b.r().enable(EV_READ);
    a.r().write(&payload);
    assert_eq!(base.dispatch(), 0);
    assert!(*got.borrow() == payload, "the bytes arrive whole and in order");
    assert_eq!(*reply.borrow(), b"done");
    assert!(drained.get() >= 1);
}

#[test]
fn read_low_watermark_holds_the_read_callback_back() {
    let base = Base::new();
    let (x, peer) = socketpair();
    let b = Bufev::socket(&base, x.as_raw_fd(), 0);
    let lens = shared::<Vec<usize>>();
    let l = lens.clone();
    b.on_read(move |bev| {
        l.borrow_mut().push(bev.input_len());
        bev.loopbreak();
    });
    b.r().watermark(EV_READ, 10, 0);
    b.r().enable(EV_READ);
    send(&peer, b"12345");
    for _ in 0..3 {
        base.poll_once();
    }
    assert!(lens.borrow().is_empty(), "5 bytes are below the low watermark");
    send(&peer, b"67890");
    assert_eq!(base.dispatch(), 0);
    assert_eq!(*lens.borrow(), vec![10]);
    assert_eq!(b.r().take(), b"1234567890");
}

#[test]
fn read_high_watermark_suspends_reading_until_drained() {
    let base = Base::new();
    let (x, peer) = socketpair();
    let b = Bufev::socket(&base, x.as_raw_fd(), 0);
    let lens = shared::<Vec<usize>>();
    let l = lens.clone();
    b.on_read(move |bev| {
        l.borrow_mut().push(bev.input_len());
        bev.loopbreak();
    });
    b.r().watermark(EV_READ, 0, 8);
    b.r().enable(EV_READ);
    let payload = pattern(20);
    send(&peer, &payload);
    let mut got = Vec::new();
    while got.len() < payload.len() {
        assert_eq!(base.dispatch(), 0);
        // Left undrained, the input stays at the mark: nothing more is read.
        for _ in 0..3 {
            base.poll_once();
        }
        assert!(b.r().input_len() <= 8);
        got.extend(b.r().take());
    }
    assert_eq!(got, payload);
    assert!(lens.borrow().iter().all(|&n| n <= 8), "{:?}", lens.borrow());
    assert!(lens.borrow().len() >= 3);
}

#[test]
fn write_callback_runs_when_the_output_falls_to_its_low_watermark() {
    let base = Base::new();
    let (x, peer) = socketpair();
    let a = Bufev::socket(&base, x.as_raw_fd(), 0);
    let seen = shared::<Vec<usize>>();
    let s = seen.clone();
    a.on_write(move |bev| {
        s.borrow_mut().push(bev.output_len());
        bev.loopbreak();
    });
    a.r().watermark(EV_WRITE, 100, 0);
    a.r().write(&pattern(5000));
    assert_eq!(base.dispatch(), 0);
    assert_eq!(seen.borrow().len(), 1);
    assert!(seen.borrow()[0] <= 100);
    // The bytes did reach the peer.
    let mut n = 0;
    while let Some(v) = recv(&peer, 65536) {
        if v.is_empty() {
            break;
        }
        n += v.len();
    }
    assert!(n >= 4900);
}

#[test]
fn peer_close_brings_the_data_then_eof() {
    let base = Base::new();
    let (x, peer) = socketpair();
    let b = Bufev::socket(&base, x.as_raw_fd(), 0);
    let log = shared::<Vec<String>>();
    let (l1, l2) = (log.clone(), log.clone());
    b.on_read(move |bev| l1.borrow_mut().push(String::from_utf8(bev.take()).unwrap()));
    b.on_event(move |bev, what| {
        l2.borrow_mut().push(format!("event {what:#x}"));
        bev.loopbreak();
    });
    b.r().enable(EV_READ);
    send(&peer, b"bye");
    drop(peer);
    assert_eq!(base.dispatch(), 0);
    assert_eq!(*log.borrow(), vec!["bye".to_string(), format!("event {:#x}", BEV_EVENT_EOF | BEV_EVENT_READING)]);
}

#[test]
fn writing_to_a_closed_peer_reports_a_write_error() {
    let base = Base::new();
    let (x, peer) = socketpair();
    drop(peer);
    let a = Bufev::socket(&base, x.as_raw_fd(), 0);
    let what = Rc::new(Cell::new(0));
    let w = what.clone();
    a.on_event(move |bev, e| {
        w.set(e);
        bev.loopbreak();
    });
    a.r().write(b"into the void");
    assert_eq!(base.dispatch(), 0);
    assert_eq!(what.get(), BEV_EVENT_ERROR | BEV_EVENT_WRITING);
}

#[test]
fn read_timeout_reaches_the_event_callback() {
    let base = Base::new();
    let (x, _peer) = socketpair();
    let b = Bufev::socket(&base, x.as_raw_fd(), 0);
    let what = Rc::new(Cell::new(0));
    let w = what.clone();
    b.on_event(move |_, e| w.set(e));
    b.r().enable(EV_READ);
    // SAFETY: a live bufferevent; the timeval is read during the call.
    assert_eq!(unsafe { bufferevent_set_timeouts(b.bev, &tv(5), std::ptr::null()) }, 0);
    // The timeout disables reading: the loop then has nothing left.
    assert_eq!(base.dispatch(), 1);
    assert_eq!(what.get(), BEV_EVENT_TIMEOUT | BEV_EVENT_READING);
    // SAFETY: a live bufferevent.
    assert_eq!(unsafe { bufferevent_get_enabled(b.bev) } & EV_READ, 0);
}

/// A socket bufferevent with BEV_OPT_CLOSE_ON_FREE that frees itself from the callback `free_in`
/// ("read" or "event"); then its socket must be closed and nothing of it left in the loop.
fn freed_from_callback(options: c_int, free_in: &'static str) {
    let base = Base::new();
    let (x, peer) = socketpair();
    let b = Bufev::socket(&base, x.into_raw_fd(), options | BEV_OPT_CLOSE_ON_FREE);
    let calls = shared::<Vec<&'static str>>();
    let (c1, c2) = (calls.clone(), calls.clone());
    b.on_read(move |bev| {
        c1.borrow_mut().push("read");
        if free_in == "read" {
            bev.free();
        } else {
            bev.take();
        }
    });
    b.on_event(move |bev, what| {
        assert_eq!(what, BEV_EVENT_EOF | BEV_EVENT_READING);
        c2.borrow_mut().push("event");
        bev.free();
    });
    b.r().enable(EV_READ);
    send(&peer, b"data");
    if free_in == "event" {
        // SAFETY: shutting down the writing side of the test's own socket: EOF for b.
        assert_eq!(unsafe { libc::shutdown(peer.as_raw_fd(), libc::SHUT_WR) }, 0);
    }
    assert_eq!(base.dispatch(), 1, "nothing of the freed bufferevent is left");
    let want: &[&str] = if free_in == "read" { &["read"] } else { &["read", "event"] };
    assert_eq!(*calls.borrow(), want);
    assert!(b.cbs.freed.get());
    assert_eq!(recv(&peer, 16), None, "the socket was closed with the bufferevent");
}

#[test]
fn bufferevent_freed_from_its_read_callback() {
    freed_from_callback(0, "read");
}

#[test]
fn bufferevent_freed_from_its_event_callback() {
    freed_from_callback(0, "event");
}

#[test]
fn bufferevent_freed_from_its_deferred_read_callback() {
    freed_from_callback(BEV_OPT_DEFER_CALLBACKS, "read");
}

#[test]
fn bufferevent_freed_from_its_deferred_event_callback() {
    freed_from_callback(BEV_OPT_DEFER_CALLBACKS, "event");
}

#[test]
fn deferred_callbacks_run_from_the_loop_not_from_the_call() {
    let base = Base::new();
    for options in [0, BEV_OPT_DEFER_CALLBACKS] {
        let (x, _peer) = socketpair();
        let b = Bufev::socket(&base, x.as_raw_fd(), options);
        let calls = shared::<Vec<String>>();
        let (c1, c2) = (calls.clone(), calls.clone());
        b.on_read(move |_| c1.borrow_mut().push("read".into()));
        b.on_event(move |_, what| c2.borrow_mut().push(format!("event {what:#x}")));
        // SAFETY: a live bufferevent.
        unsafe {
            bufferevent_trigger(b.bev, EV_READ, BEV_TRIG_IGNORE_WATERMARKS);
            bufferevent_trigger_event(b.bev, BEV_EVENT_EOF | BEV_EVENT_READING, 0);
        }
        let now = calls.borrow().len();
        base.poll_once();
        let later = calls.borrow().len();
        if options == 0 {
            assert_eq!((now, later), (2, 2), "immediate");
        } else {
            assert_eq!((now, later), (0, 2), "deferred");
        }
        assert_eq!(
            *calls.borrow(),
            vec!["read".to_string(), format!("event {:#x}", BEV_EVENT_EOF | BEV_EVENT_READING)]
        );
        // A deferred trigger asked for by the caller, on a bufferevent without the option.
        if options == 0 {
            // SAFETY: a live bufferevent.
            unsafe { bufferevent_trigger(b.bev, EV_READ, BEV_TRIG_IGNORE_WATERMARKS | BEV_TRIG_DEFER_CALLBACKS) };
            assert_eq!(calls.borrow().len(), 2);
            base.poll_once();
            assert_eq!(calls.borrow().len(), 3);
        }
    }
}

#[test]
fn deferred_socket_bufferevents_echo() {
    let base = Base::new();
    let (x, y) = socketpair();
    let a = Bufev::socket(&base, x.into_raw_fd(), BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
    let b = Bufev::socket(&base, y.into_raw_fd(), BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
    b.on_read(|bev| {
        let data = bev.take();
        bev.write(&data);
    });
    let got = shared::<Vec<u8>>();
    let g = got.clone();
    let payload = pattern(50_000);
    let total = payload.len();
    a.on_read(move |bev| {
        g.borrow_mut().extend(bev.take());
        if g.borrow().len() == total {
            bev.loopbreak();
        }
    });
    a.r().enable(EV_READ);
    b.r().enable(EV_READ);
    a.r().write(&payload);
    assert_eq!(base.dispatch(), 0);
    assert!(*got.borrow() == payload);
}

#[test]
fn threadsafe_bufferevent_written_from_another_thread() {
    let base = Base::new();
    let (x, peer) = socketpair();
    let a = Bufev::socket(&base, x.as_raw_fd(), BEV_OPT_THREADSAFE);
    a.r().enable(EV_READ);
    let looping = spawn_loop(&base, EVLOOP_NO_EXIT_ON_EMPTY);
    a.r().write(b"from the test's thread");
    let mut got = Vec::new();
    while got.len() < 22 {
        match recv(&peer, 64) {
            Some(v) if v.is_empty() => std::thread::sleep(std::time::Duration::from_millis(1)),
            Some(v) => got.extend(v),
            None => panic!("unexpected end of file"),
        }
    }
    assert_eq!(got, b"from the test's thread");
    // And the other way: the loop's thread reads, this one looks under the bufferevent's lock.
    send(&peer, b"back");
    wait_until(|| {
        // SAFETY: a live bufferevent; its lock makes the look safe against the loop's thread.
        unsafe { bufferevent_lock(a.bev) };
        let n = a.r().input_len();
        // SAFETY: locked just above.
        unsafe { bufferevent_unlock(a.bev) };
        n == 4
    });
    base.loopbreak();
    assert_eq!(looping.join().unwrap(), 0);
    assert_eq!(a.r().take(), b"back");
}

// ---- pairs

#[test]
fn pair_carries_bytes_and_finished_flush_brings_eof() {
    let base = Base::new();
    let (a, b) = Bufev::pair(&base, 0);
    // SAFETY: live bufferevents.
    unsafe {
        assert_eq!(bufferevent_pair_get_partner(a.bev), b.bev);
        assert_eq!(bufferevent_pair_get_partner(b.bev), a.bev);
    }
    let log = shared::<Vec<String>>();
    let (l1, l2, l3) = (log.clone(), log.clone(), log.clone());
    b.on_read(move |bev| {
        let data = bev.take();
        l1.borrow_mut().push(format!("b read {}", String::from_utf8_lossy(&data)));
        bev.write(b"pong");
    });
    b.on_event(move |bev, what| {
        l3.borrow_mut().push(format!("b event {what:#x}"));
        bev.loopbreak();
    });
    a.on_read(move |bev| {
        let data = bev.take();
        l2.borrow_mut().push(format!("a read {}", String::from_utf8_lossy(&data)));
        bev.loopbreak();
    });
    a.r().enable(EV_READ);
    b.r().enable(EV_READ);
    a.r().write(b"ping");
    assert!(log.borrow().is_empty(), "pair callbacks are always deferred");
    assert_eq!(base.dispatch(), 0);
    assert_eq!(*log.borrow(), vec!["b read ping", "a read pong"]);
    // SAFETY: a live bufferevent.
    assert_eq!(unsafe { bufferevent_flush(a.bev, EV_WRITE, BEV_FINISHED) }, 0);
    assert_eq!(base.dispatch(), 0);
    assert_eq!(log.borrow().last().unwrap(), &format!("b event {:#x}", BEV_EVENT_EOF | BEV_EVENT_READING));
    // As in libevent, the partner link goes when the freed end's last reference does: here,
    // a deferred callback of `a` still holds one until the loop runs it.
    drop(a);
    base.poll_once();
    // SAFETY: b is live; its partner is gone.
    assert!(unsafe { bufferevent_pair_get_partner(b.bev) }.is_null());
}

#[test]
fn pair_respects_the_readers_high_watermark() {
    let base = Base::new();
    let (a, b) = Bufev::pair(&base, 0);
    let got = shared::<Vec<usize>>();
    let g = got.clone();
    b.on_read(move |bev| {
        g.borrow_mut().push(bev.input_len());
        bev.take();
        bev.loopbreak();
    });
    b.r().watermark(EV_READ, 0, 4);
    b.r().enable(EV_READ);
    a.r().write(b"0123456789");
    let mut rounds = 0;
    while got.borrow().iter().sum::<usize>() < 10 {
        assert_eq!(base.dispatch(), 0);
        rounds += 1;
        assert!(rounds < 100);
    }
    assert!(got.borrow().iter().all(|&n| n <= 4), "{:?}", got.borrow());
    assert_eq!(got.borrow().iter().sum::<usize>(), 10);
}

#[test]
fn pair_end_freed_from_its_own_callback() {
    let base = Base::new();
    let (a, b) = Bufev::pair(&base, 0);
    let n = Rc::new(Cell::new(0));
    let c = n.clone();
    b.on_read(move |bev| {
        c.set(c.get() + 1);
        bev.free();
    });
    b.r().enable(EV_READ);
    a.r().write(b"x");
    a.r().write(b"y");
    assert_eq!(base.dispatch(), 1);
    assert_eq!(n.get(), 1);
    // SAFETY: a is live; its partner is gone.
    assert!(unsafe { bufferevent_pair_get_partner(a.bev) }.is_null());
}

// ---- filters

/// Moves everything from `src` to `dst` through `f`.
fn transform(src: *mut Evbuffer, dst: *mut Evbuffer, f: impl Fn(u8) -> u8) -> c_int {
    let data = take_all(src);
    let out: Vec<u8> = data.into_iter().map(f).collect();
    add(dst, &out);
    BEV_OK
}

extern "C" fn upper(src: *mut Evbuffer, dst: *mut Evbuffer, _limit: isize, _mode: c_int, ctx: *mut c_void) -> c_int {
    // SAFETY: ctx is the test's call counter, alive while the filter is.
    unsafe { &*(ctx as *const AtomicUsize) }.fetch_add(1, Ordering::SeqCst);
    transform(src, dst, |c| c.to_ascii_uppercase())
}

extern "C" fn rot13(src: *mut Evbuffer, dst: *mut Evbuffer, _limit: isize, _mode: c_int, _ctx: *mut c_void) -> c_int {
    transform(src, dst, |c| match c {
        b'a'..=b'z' => (c - b'a' + 13) % 26 + b'a',
        b'A'..=b'Z' => (c - b'A' + 13) % 26 + b'A',
        _ => c,
    })
}

/// Passes whole lines only (filters take from `src`; they never put bytes back in it).
extern "C" fn lines(src: *mut Evbuffer, dst: *mut Evbuffer, _limit: isize, _mode: c_int, _ctx: *mut c_void) -> c_int {
    // SAFETY: the filter's source buffer, live during the call; v is writable for its length.
    let data = unsafe {
        let mut v = vec![0u8; evbuffer_get_length(src)];
        assert_eq!(evbuffer_copyout(src, v.as_mut_ptr() as *mut c_void, v.len()), v.len() as isize);
        v
    };
    match data.iter().rposition(|&c| c == b'\n') {
        Some(end) => {
            // SAFETY: as above; the bytes are there.
            assert_eq!(unsafe { evbuffer_drain(src, end + 1) }, 0);
            add(dst, &data[..=end]);
            BEV_OK
        }
        None => BEV_NEED_MORE,
    }
}

#[test]
fn filter_transforms_both_ways_and_frees_its_underlying() {
    let base = Base::new();
    let (under, far) = Bufev::pair(&base, 0);
    let calls = AtomicUsize::new(0);
    extern "C" fn free_ctx(ctx: *mut c_void) {
        // SAFETY: ctx is the test's counter, alive while the filter is.
        unsafe { &*(ctx as *const AtomicUsize) }.fetch_add(1000, Ordering::SeqCst);
    }
    // SAFETY: under is live; with CLOSE_ON_FREE the filter owns it from now on; the counter
    // outlives the filter.
    let filt = Bufev::wrap(unsafe {
        bufferevent_filter_new(
            under.bev,
            Some(upper),
            Some(rot13),
            BEV_OPT_CLOSE_ON_FREE,
            Some(free_ctx),
            &calls as *const AtomicUsize as *mut c_void,
        )
    });
    under.cbs.freed.set(true);
    // SAFETY: a live filter.
    assert_eq!(unsafe { bufferevent_get_underlying(filt.bev) }, under.bev);
    let got = shared::<Vec<u8>>();
    let g = got.clone();
    filt.on_read(move |bev| {
        g.borrow_mut().extend(bev.take());
        bev.loopbreak();
    });
    let back = shared::<Vec<u8>>();
    let bk = back.clone();
    far.on_read(move |bev| {
        bk.borrow_mut().extend(bev.take());
        bev.loopbreak();
    });
    filt.r().enable(EV_READ);
    far.r().enable(EV_READ);
    far.r().write(b"hello");
    assert_eq!(base.dispatch(), 0);
    assert_eq!(*got.borrow(), b"HELLO");
    assert!(calls.load(Ordering::SeqCst) >= 1);
    filt.r().write(b"Uryyb, jbeyq");
    assert_eq!(base.dispatch(), 0);
    assert_eq!(*back.borrow(), b"Hello, world");
    // The memory (and the context) goes from the loop, once no callback can be running.
    drop(filt);
    base.poll_once();
    assert!(calls.load(Ordering::SeqCst) >= 1000, "free_context ran");
    // SAFETY: far is live; the filter took its partner with it.
    assert!(unsafe { bufferevent_pair_get_partner(far.bev) }.is_null());
}

#[test]
fn filter_needing_more_input_holds_bytes_back() {
    let base = Base::new();
    let (under, far) = Bufev::pair(&base, 0);
    // SAFETY: under is live and owned by the filter from now on (CLOSE_ON_FREE).
    let filt = Bufev::wrap(unsafe {
        bufferevent_filter_new(under.bev, Some(lines), None, BEV_OPT_CLOSE_ON_FREE, None, std::ptr::null_mut())
    });
    under.cbs.freed.set(true);
    let got = shared::<Vec<Vec<u8>>>();
    let g = got.clone();
    filt.on_read(move |bev| {
        g.borrow_mut().push(bev.take());
        bev.loopbreak();
    });
    filt.r().enable(EV_READ);
    far.r().write(b"ab");
    for _ in 0..3 {
        base.poll_once();
    }
    assert!(got.borrow().is_empty(), "no whole line yet");
    far.r().write(b"c\nde");
    assert_eq!(base.dispatch(), 0);
    assert_eq!(*got.borrow(), vec![b"abc\n".to_vec()]);
    far.r().write(b"f\n");
    assert_eq!(base.dispatch(), 0);
    assert_eq!(got.borrow()[1], b"def\n");
    // Nothing is held back any more: another pass reports nothing.
    base.poll_once();
    assert_eq!(got.borrow().len(), 2);
}
