//! Exports of <ev.h>: the libev 4.33 API, with libev's ABI (the program's watcher structs are
//! read at the offsets of the system's <ev.h>). Each function checks its pointers (a NULL loop
//! or watcher does nothing, where libev would crash), then calls src/libev.
#![allow(non_camel_case_types)]
// The safety contract of each export is its C documentation (libev's <ev.h>).
#![allow(clippy::missing_safety_doc)]
use crate::libev::alloc;
use crate::libev::evloop::{self, st, supported_backends, EvLoop, LoopCb};
use crate::libev::simple::{self, Table};
use crate::libev::watcher::*;
use crate::libev::{asyncw, child, embed, io, once, pending, periodic, run, signal, stat, timer};
use libc::{c_char, c_int, c_long, c_uint, c_void};

pub type ev_tstamp = Tstamp;
pub type ev_loop_callback = LoopCb;
pub type ev_io = Io;
pub type ev_timer = Timer;
pub type ev_periodic = Periodic;
pub type ev_signal = Signal;
pub type ev_child = Child;
pub type ev_stat = Stat;
pub type ev_idle = Idle;
pub type ev_prepare = Prepare;
pub type ev_check = Check;
pub type ev_fork = Fork;
pub type ev_cleanup = Cleanup;
pub type ev_embed = Embed;
pub type ev_async = Async;

/// Runs `f` when both pointers are set.
#[inline]
unsafe fn with<T>(lp: *mut EvLoop, w: *mut T, f: impl FnOnce(*mut EvLoop, *mut T)) {
    if !lp.is_null() && !w.is_null() {
        f(lp, w)
    }
}

// ---- versions, backends, time

/// The major version of the libev API this library provides: 4.
/// @return 4 (compare with EV_VERSION_MAJOR to check the header matches).
#[no_mangle]
pub extern "C" fn ev_version_major() -> c_int {
    4
}

/// The minor version of the libev API this library provides: 33.
/// @return 33.
#[no_mangle]
pub extern "C" fn ev_version_minor() -> c_int {
    33
}

/// The backends a loop can use here: EVBACKEND_EPOLL, EVBACKEND_POLL and EVBACKEND_SELECT (libev's
/// Linux aio and io_uring backends are not offered).
/// @return a mask of EVBACKEND_* bits.
#[no_mangle]
pub extern "C" fn ev_supported_backends() -> c_uint {
    supported_backends()
}

/// The backends chosen when a loop's flags name none: the same as ev_supported_backends().
/// @return a mask of EVBACKEND_* bits.
#[no_mangle]
pub extern "C" fn ev_recommended_backends() -> c_uint {
    supported_backends()
}

/// The backends whose loops an ev_embed watcher can serve: EVBACKEND_EPOLL.
/// @return a mask of EVBACKEND_* bits.
#[no_mangle]
pub extern "C" fn ev_embeddable_backends() -> c_uint {
    EVBACKEND_EPOLL
}

/// The current wall-clock time (what `gettimeofday` gives), in seconds. Thread-safe.
/// @return seconds since the epoch, with fractions.
#[no_mangle]
pub extern "C" fn ev_time() -> ev_tstamp {
    evloop::wall_now()
}

/// Sleeps for `delay` seconds (at least), resuming after signals. Thread-safe.
/// @param delay seconds; 0 or less returns at once.
#[no_mangle]
pub extern "C" fn ev_sleep(delay: ev_tstamp) {
    run::sleep_for(delay)
}

/// Sets the realloc-like function the library uses for loops and ev_once() records: called with
/// (NULL, size) to allocate and (block, 0) to free. Process-wide; call it before making any loop
/// (a block goes back to the allocator that made it). When it returns NULL for an allocation, the
/// library prints a message and aborts, as libev does.
/// @param cb the allocator; NULL for the C library's.
#[no_mangle]
pub extern "C" fn ev_set_allocator(cb: Option<unsafe extern "C" fn(*mut c_void, c_long) -> *mut c_void>) {
    alloc::set_allocator(cb)
}

/// Sets what happens when a system call the loop depends on fails (polling, the eventfd of
/// ev_async, recreating the backend after a fork): `cb` receives a message and the loop goes on
/// after it returns. Process-wide. Without one, the message is printed with `perror` and the
/// process aborts, as libev does.
/// @param cb the handler; NULL for the default.
#[no_mangle]
pub extern "C" fn ev_set_syserr_cb(cb: Option<unsafe extern "C" fn(*const c_char)>) {
    alloc::set_syserr(cb)
}

// ---- loops

/// The default loop, made on the first call: the only one that watches SIGCHLD, and so the one
/// for ev_child watchers. Later calls return it whatever their flags. Not thread-safe: make it
/// before starting threads that use it.
/// @param flags EVFLAG_* bits, plus EVBACKEND_* bits to restrict the backend (none: any). The
/// LIBEV_FLAGS environment variable replaces them unless EVFLAG_NOENV is given or the program runs
/// setuid or setgid.
/// @return the loop; NULL when none of the requested backends is available.
#[no_mangle]
pub unsafe extern "C" fn ev_default_loop(flags: c_uint) -> *mut EvLoop {
    evloop::default_loop_get(flags)
}

/// Makes a new loop (it does not reap children: see ev_default_loop()).
/// @param flags EVFLAG_* and EVBACKEND_* bits, as for ev_default_loop().
/// @return the loop, to free with ev_loop_destroy(); NULL when none of the requested backends is
/// available.
#[no_mangle]
pub unsafe extern "C" fn ev_loop_new(flags: c_uint) -> *mut EvLoop {
    evloop::new_loop(flags, false)
}

/// Frees a loop (the default one included): its ev_cleanup watchers run first, then its backend
/// and internal descriptors go. Watchers still started are left as they are in the program's
/// memory (they are the program's to free). A NULL loop is ignored.
/// @param lp the loop; not to be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn ev_loop_destroy(lp: *mut EvLoop) {
    if !lp.is_null() {
        evloop::destroy(lp)
    }
}

/// Tells a loop that the process forked: at its next iteration it recreates its kernel state and
/// runs its ev_fork watchers. Call it in the process that goes on using the loop after `fork`
/// (EVFLAG_FORKCHECK makes the loop notice by itself).
/// @param lp the loop (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_loop_fork(lp: *mut EvLoop) {
    if !lp.is_null() {
        st(lp).postfork = true;
    }
}

/// The backend a loop uses.
/// @param lp the loop.
/// @return one EVBACKEND_* bit; 0 for a NULL loop.
#[no_mangle]
pub unsafe extern "C" fn ev_backend(lp: *mut EvLoop) -> c_uint {
    if lp.is_null() {
        0
    } else {
        st(lp).backend
    }
}

/// The loop's idea of the current wall-clock time: the time of its last update (taken around each
/// wait), which callbacks should use as "now" for timers.
/// @param lp the loop.
/// @return seconds since the epoch; 0 for a NULL loop.
#[no_mangle]
pub unsafe extern "C" fn ev_now(lp: *mut EvLoop) -> ev_tstamp {
    if lp.is_null() {
        0.0
    } else {
        st(lp).rt_now
    }
}

/// Reads the clocks again, so that ev_now() is current (useful after a long callback); a jump of
/// the wall clock reschedules the ev_periodic watchers.
/// @param lp the loop (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_now_update(lp: *mut EvLoop) {
    if !lp.is_null() {
        run::now_update(lp)
    }
}

/// Marks the start of a pause (the process about to be stopped, say): with ev_resume(), timers do
/// not count the time in between. Here it only updates the loop's time.
/// @param lp the loop (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_suspend(lp: *mut EvLoop) {
    ev_now_update(lp)
}

/// Ends a pause begun with ev_suspend(): ev_timer watchers are moved by the time that passed,
/// ev_periodic watchers are scheduled again from the wall clock.
/// @param lp the loop (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_resume(lp: *mut EvLoop) {
    if !lp.is_null() {
        run::resume(lp)
    }
}

/// Runs the loop: waits for events and calls the callbacks of the watchers they concern, by
/// priority, until no started watcher (nor ev_ref()) keeps it alive or ev_break() is called. It may
/// be called again from a callback (ev_depth() counts the levels).
/// @param lp the loop.
/// @param flags 0; EVRUN_NOWAIT to handle what is ready without waiting; EVRUN_ONCE to wait once.
/// @return non-zero when watchers still keep the loop alive (their count); 0 for a NULL loop.
#[no_mangle]
pub unsafe extern "C" fn ev_run(lp: *mut EvLoop, flags: c_int) -> c_int {
    if lp.is_null() {
        0
    } else {
        run::run(lp, flags)
    }
}

/// Asks ev_run() to return once the current callbacks are done.
/// @param lp the loop (NULL is ignored).
/// @param how EVBREAK_ONE (the innermost ev_run()), EVBREAK_ALL (every level) or EVBREAK_CANCEL
/// (withdraws a break not yet acted on).
#[no_mangle]
pub unsafe extern "C" fn ev_break(lp: *mut EvLoop, how: c_int) {
    if !lp.is_null() {
        st(lp).done = how;
    }
}

/// Counts one more reference on the loop, which keeps ev_run() running as a started watcher does.
/// @param lp the loop (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_ref(lp: *mut EvLoop) {
    if !lp.is_null() {
        st(lp).activecnt += 1;
    }
}

/// Takes a reference away, typically right after starting a watcher that should not keep the loop
/// running by itself; undo with ev_ref() before stopping that watcher.
/// @param lp the loop (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_unref(lp: *mut EvLoop) {
    if !lp.is_null() {
        st(lp).activecnt -= 1;
    }
}

/// How many times the loop has polled (waited or checked for events), from 0; it wraps around.
/// @param lp the loop.
/// @return the count; 0 for a NULL loop.
#[no_mangle]
pub unsafe extern "C" fn ev_iteration(lp: *mut EvLoop) -> c_uint {
    if lp.is_null() {
        0
    } else {
        st(lp).iteration
    }
}

/// How many ev_run() calls are running on the loop, nested ones included (1 inside a callback of a
/// plain ev_run()).
/// @param lp the loop.
/// @return the depth; 0 for a NULL loop.
#[no_mangle]
pub unsafe extern "C" fn ev_depth(lp: *mut EvLoop) -> c_uint {
    if lp.is_null() {
        0
    } else {
        st(lp).depth
    }
}

/// Checks the loop's internal tables against the watchers; prints a message and aborts on a
/// mismatch (a watcher moved or freed while started, usually).
/// @param lp the loop (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_verify(lp: *mut EvLoop) {
    if !lp.is_null() {
        st(lp).verify()
    }
}

/// Lets I/O events gather before each wait returns: the loop sleeps up to `interval` seconds
/// (never past the next timer) before polling, trading latency for fewer iterations.
/// @param lp the loop (NULL is ignored).
/// @param interval seconds; 0 (the default) for none.
#[no_mangle]
pub unsafe extern "C" fn ev_set_io_collect_interval(lp: *mut EvLoop, interval: ev_tstamp) {
    if !lp.is_null() {
        st(lp).io_blocktime = interval;
    }
}

/// Accepted for compatibility; has no effect here (timers are not batched), which libev's contract
/// allows, as the interval is only a hint.
/// @param lp the loop (NULL is ignored).
/// @param interval seconds.
#[no_mangle]
pub unsafe extern "C" fn ev_set_timeout_collect_interval(lp: *mut EvLoop, interval: ev_tstamp) {
    if !lp.is_null() {
        st(lp).timeout_blocktime = interval;
    }
}

/// Attaches a pointer of the program's to the loop, for ev_userdata().
/// @param lp the loop (NULL is ignored).
/// @param data any pointer; the library never reads it.
#[no_mangle]
pub unsafe extern "C" fn ev_set_userdata(lp: *mut EvLoop, data: *mut c_void) {
    if !lp.is_null() {
        st(lp).userdata = data;
    }
}

/// The pointer given to ev_set_userdata().
/// @param lp the loop.
/// @return the pointer; NULL when none was set or the loop is NULL.
#[no_mangle]
pub unsafe extern "C" fn ev_userdata(lp: *mut EvLoop) -> *mut c_void {
    if lp.is_null() {
        std::ptr::null_mut()
    } else {
        st(lp).userdata
    }
}

/// Replaces what the loop does when callbacks are due: `invoke_pending_cb` is called instead of
/// ev_invoke_pending() (to run them in another thread, say; it should end up calling
/// ev_invoke_pending()).
/// @param lp the loop (NULL is ignored).
/// @param invoke_pending_cb the replacement; NULL for ev_invoke_pending().
#[no_mangle]
pub unsafe extern "C" fn ev_set_invoke_pending_cb(lp: *mut EvLoop, invoke_pending_cb: ev_loop_callback) {
    if !lp.is_null() {
        st(lp).invoke_cb = invoke_pending_cb;
    }
}

/// Sets two functions called around each wait of ev_run(): `release` just before (to unlock the
/// program's mutex guarding the loop, say) and `acquire` right after.
/// @param lp the loop (NULL is ignored).
/// @param release called before waiting, or NULL.
/// @param acquire called after waiting, or NULL.
#[no_mangle]
pub unsafe extern "C" fn ev_set_loop_release_cb(
    lp: *mut EvLoop,
    release: Option<unsafe extern "C" fn(*mut EvLoop)>,
    acquire: Option<unsafe extern "C" fn(*mut EvLoop)>,
) {
    if !lp.is_null() {
        let mut s = st(lp);
        s.release_cb = release;
        s.acquire_cb = acquire;
    }
}

/// How many watcher callbacks are queued and not yet run.
/// @param lp the loop.
/// @return the count (entries removed by ev_clear_pending() count until the queues run); 0 for a
/// NULL loop.
#[no_mangle]
pub unsafe extern "C" fn ev_pending_count(lp: *mut EvLoop) -> c_uint {
    if lp.is_null() {
        0
    } else {
        st(lp).pending_count()
    }
}

/// Runs the queued callbacks now, highest priority first (within a priority, the last queued
/// first). Meant for the function given to ev_set_invoke_pending_cb().
/// @param lp the loop (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_invoke_pending(lp: *mut EvLoop) {
    if !lp.is_null() {
        pending::invoke_pending(lp)
    }
}

/// Calls `cb` once, when `fd` is ready for `events` or after `timeout` seconds, whichever comes
/// first, without a watcher of the program's (the library allocates and frees its own).
/// @param lp the loop (NULL: nothing happens).
/// @param fd a descriptor, or -1 for none.
/// @param events EV_READ and/or EV_WRITE.
/// @param timeout seconds, or a negative value for none. With neither a descriptor nor a timeout,
/// `cb` is never called.
/// @param cb receives what happened (EV_READ, EV_WRITE, EV_TIMER, EV_ERROR) and `arg`.
/// @param arg passed to `cb`.
#[no_mangle]
pub unsafe extern "C" fn ev_once(
    lp: *mut EvLoop,
    fd: c_int,
    events: c_int,
    timeout: ev_tstamp,
    cb: Option<unsafe extern "C" fn(c_int, *mut c_void)>,
    arg: *mut c_void,
) {
    if !lp.is_null() {
        once::once(lp, fd, events, timeout, cb, arg)
    }
}

// ---- any watcher

/// Queues a watcher's callback with `revents` as if the events had happened; the watcher needs not
/// be started. Queued twice before running, it runs once with both events.
/// @param lp the loop (NULL is ignored).
/// @param w any watcher (NULL is ignored).
/// @param revents the events its callback receives.
#[no_mangle]
pub unsafe extern "C" fn ev_feed_event(lp: *mut EvLoop, w: *mut c_void, revents: c_int) {
    with(lp, w as *mut Watcher, |lp, w| st(lp).feed(w, revents))
}

/// Queues every started ev_io watcher of `fd` that waits for some of `revents`, as if the
/// descriptor were ready.
/// @param lp the loop (NULL is ignored).
/// @param fd the descriptor.
/// @param revents EV_READ and/or EV_WRITE.
#[no_mangle]
pub unsafe extern "C" fn ev_feed_fd_event(lp: *mut EvLoop, fd: c_int, revents: c_int) {
    if !lp.is_null() {
        io::feed_fd(lp, fd, revents)
    }
}

/// Acts as if the process had received `signum`: the loop watching it wakes up and runs its
/// ev_signal watchers. Async-signal-safe and thread-safe (for a signal handler the program
/// installed itself).
/// @param signum the signal; an invalid number is ignored.
#[no_mangle]
pub extern "C" fn ev_feed_signal(signum: c_int) {
    signal::feed_signal(signum)
}

/// Queues this loop's started ev_signal watchers of `signum` now.
/// @param lp the loop (NULL is ignored).
/// @param signum the signal.
#[no_mangle]
pub unsafe extern "C" fn ev_feed_signal_event(lp: *mut EvLoop, signum: c_int) {
    if !lp.is_null() {
        signal::feed_signal_event(lp, signum)
    }
}

/// Calls a watcher's callback now, with `revents`, whatever its state.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
/// @param revents the events passed.
#[no_mangle]
pub unsafe extern "C" fn ev_invoke(lp: *mut EvLoop, w: *mut c_void, revents: c_int) {
    with(lp, w as *mut Watcher, |lp, w| pending::invoke(lp, w, revents))
}

/// Takes a watcher's callback out of the queue, if it was queued.
/// @param lp the loop.
/// @param w the watcher.
/// @return the events it was queued with; 0 when it was not queued or an argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn ev_clear_pending(lp: *mut EvLoop, w: *mut c_void) -> c_int {
    if lp.is_null() || w.is_null() {
        return 0;
    }
    st(lp).clear_pending(w as *mut Watcher)
}

// ---- watchers

/// Starts an ev_io watcher: its callback receives EV_READ and/or EV_WRITE while the descriptor is
/// ready (level-triggered). Starting a started watcher does nothing. A negative descriptor or
/// other event bits abort the process, as libev's checks do. A descriptor the backend refuses
/// (one not open, say) stops the watcher and queues it with EV_ERROR, EV_READ and EV_WRITE, as
/// libev does; deliberate difference: so does a number no process can have, on which libev
/// crashes. A regular file is always ready.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_io_init or ev_io_set; it must stay in place while started.
#[no_mangle]
pub unsafe extern "C" fn ev_io_start(lp: *mut EvLoop, w: *mut ev_io) {
    with(lp, w, |lp, w| io::start(lp, w))
}

/// Stops an ev_io watcher and drops its queued callback. Stopping a stopped one does nothing.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored); the program may free it afterwards.
#[no_mangle]
pub unsafe extern "C" fn ev_io_stop(lp: *mut EvLoop, w: *mut ev_io) {
    with(lp, w, |lp, w| io::stop(lp, w))
}

/// Starts an ev_timer watcher: it fires `after` seconds from ev_now(), on the monotonic clock,
/// then every `repeat` seconds when that is positive (else it stops itself). A negative repeat
/// aborts the process. Deliberate difference: a NaN delay fires at once (libev's loop then waits
/// for ever).
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_timer_init or ev_timer_set.
#[no_mangle]
pub unsafe extern "C" fn ev_timer_start(lp: *mut EvLoop, w: *mut ev_timer) {
    with(lp, w, |lp, w| timer::start(lp, w))
}

/// Stops an ev_timer watcher and drops its queued callback; the watcher keeps the time it had left
/// (see ev_timer_remaining()).
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_timer_stop(lp: *mut EvLoop, w: *mut ev_timer) {
    with(lp, w, |lp, w| timer::stop(lp, w))
}

/// Restarts a repeating timer `repeat` seconds from now (starting it if stopped); a timer with no
/// repeat is stopped. The cheap way to push back an inactivity timeout.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_timer_again(lp: *mut EvLoop, w: *mut ev_timer) {
    with(lp, w, |lp, w| timer::again(lp, w))
}

/// The time until a started timer fires; for a stopped one, the delay it would start with.
/// @param lp the loop.
/// @param w the watcher.
/// @return seconds; 0 when an argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn ev_timer_remaining(lp: *mut EvLoop, w: *mut ev_timer) -> ev_tstamp {
    if lp.is_null() || w.is_null() {
        return 0.0;
    }
    timer::remaining(lp, w)
}

/// Starts an ev_periodic watcher: it fires at a wall-clock time (`offset` when `interval` is 0;
/// the next `offset + k * interval` otherwise; or what `reschedule_cb` returns), following jumps of
/// the wall clock. A negative interval without a callback aborts the process.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_periodic_init or ev_periodic_set.
#[no_mangle]
pub unsafe extern "C" fn ev_periodic_start(lp: *mut EvLoop, w: *mut ev_periodic) {
    with(lp, w, |lp, w| periodic::start(lp, w))
}

/// Stops an ev_periodic watcher and drops its queued callback.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_periodic_stop(lp: *mut EvLoop, w: *mut ev_periodic) {
    with(lp, w, |lp, w| periodic::stop(lp, w))
}

/// Stops and starts an ev_periodic watcher again, taking changed fields into account.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_periodic_again(lp: *mut EvLoop, w: *mut ev_periodic) {
    with(lp, w, |lp, w| periodic::again(lp, w))
}

/// Starts an ev_signal watcher: its callback runs from the loop after the signal arrives (several
/// arrivals may give one call). The signal is unblocked in the calling thread unless the loop has
/// EVFLAG_NOSIGMASK; the library's handler replaces the previous one until the last watcher of that
/// signal stops. An invalid signal number aborts the process.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_signal_init or ev_signal_set.
#[no_mangle]
pub unsafe extern "C" fn ev_signal_start(lp: *mut EvLoop, w: *mut ev_signal) {
    with(lp, w, |lp, w| signal::start(lp, w))
}

/// Stops an ev_signal watcher and drops its queued callback.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_signal_stop(lp: *mut EvLoop, w: *mut ev_signal) {
    with(lp, w, |lp, w| signal::stop(lp, w))
}

/// Starts an ev_child watcher: when a child whose pid matches (0: any) changes state, the default
/// loop reaps it and runs the callback with `rpid` and `rstatus` set. Stopped and continued
/// children are reported only when the watcher was set with `trace`. Only the default loop reaps
/// children.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_child_init or ev_child_set.
#[no_mangle]
pub unsafe extern "C" fn ev_child_start(lp: *mut EvLoop, w: *mut ev_child) {
    with(lp, w, |lp, w| child::start(lp, w))
}

/// Stops an ev_child watcher and drops its queued callback.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_child_stop(lp: *mut EvLoop, w: *mut ev_child) {
    with(lp, w, |lp, w| child::stop(lp, w))
}

/// Starts an ev_stat watcher: the path is checked with `lstat` every `interval` seconds (5 when
/// 0, at least 0.1) and the callback runs when what it reports changed (`prev` then holds the old
/// attributes, `attr` the new). Deliberate difference: no inotify, so a change is seen at the next
/// check only (libev uses inotify on Linux when it can).
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_stat_init or ev_stat_set; `path` must stay valid.
#[no_mangle]
pub unsafe extern "C" fn ev_stat_start(lp: *mut EvLoop, w: *mut ev_stat) {
    with(lp, w, |lp, w| stat::start(lp, w))
}

/// Stops an ev_stat watcher and drops its queued callback.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_stat_stop(lp: *mut EvLoop, w: *mut ev_stat) {
    with(lp, w, |lp, w| stat::stop(lp, w))
}

/// Reads the path's attributes into `attr` now (`st_nlink` 0 when the path does not exist),
/// without reporting a change.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_stat_stat(lp: *mut EvLoop, w: *mut ev_stat) {
    with(lp, w, |_, w| stat::refresh(w))
}

/// Starts an ev_idle watcher: its callback runs at each iteration in which nothing of its priority
/// or higher is pending; while one is started the loop polls without waiting.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_idle_init.
#[no_mangle]
pub unsafe extern "C" fn ev_idle_start(lp: *mut EvLoop, w: *mut ev_idle) {
    with(lp, w, |lp, w| simple::idle_start(lp, w))
}

/// Stops an ev_idle watcher and drops its queued callback.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_idle_stop(lp: *mut EvLoop, w: *mut ev_idle) {
    with(lp, w, |lp, w| simple::idle_stop(lp, w))
}

/// Starts an ev_prepare watcher: its callback runs at each iteration, just before the loop waits.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_prepare_init.
#[no_mangle]
pub unsafe extern "C" fn ev_prepare_start(lp: *mut EvLoop, w: *mut ev_prepare) {
    with(lp, w, |lp, w| simple::start(lp, w, Table::Prepare))
}

/// Stops an ev_prepare watcher and drops its queued callback.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_prepare_stop(lp: *mut EvLoop, w: *mut ev_prepare) {
    with(lp, w, |lp, w| simple::stop(lp, w, Table::Prepare))
}

/// Starts an ev_check watcher: its callback runs at each iteration, right after the loop waited.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_check_init.
#[no_mangle]
pub unsafe extern "C" fn ev_check_start(lp: *mut EvLoop, w: *mut ev_check) {
    with(lp, w, |lp, w| simple::start(lp, w, Table::Check))
}

/// Stops an ev_check watcher and drops its queued callback.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_check_stop(lp: *mut EvLoop, w: *mut ev_check) {
    with(lp, w, |lp, w| simple::stop(lp, w, Table::Check))
}

/// Starts an ev_fork watcher: its callback runs at the first iteration after ev_loop_fork() (or
/// after EVFLAG_FORKCHECK noticed a fork), before the loop recreates its kernel state.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_fork_init.
#[no_mangle]
pub unsafe extern "C" fn ev_fork_start(lp: *mut EvLoop, w: *mut ev_fork) {
    with(lp, w, |lp, w| simple::start(lp, w, Table::Fork))
}

/// Stops an ev_fork watcher and drops its queued callback.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_fork_stop(lp: *mut EvLoop, w: *mut ev_fork) {
    with(lp, w, |lp, w| simple::stop(lp, w, Table::Fork))
}

/// Starts an ev_cleanup watcher: its callback runs in ev_loop_destroy(), before the loop goes. It
/// does not keep the loop running.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_cleanup_init.
#[no_mangle]
pub unsafe extern "C" fn ev_cleanup_start(lp: *mut EvLoop, w: *mut ev_cleanup) {
    with(lp, w, |lp, w| simple::start(lp, w, Table::Cleanup))
}

/// Stops an ev_cleanup watcher and drops its queued callback.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_cleanup_stop(lp: *mut EvLoop, w: *mut ev_cleanup) {
    with(lp, w, |lp, w| simple::stop(lp, w, Table::Cleanup))
}

/// Starts an ev_embed watcher: the loop `other` (which must use an embeddable backend, see
/// ev_embeddable_backends(); otherwise the process aborts) is served from this one. When it has
/// events, the watcher's callback runs (and should call ev_embed_sweep()), or, with a NULL
/// callback, the other loop is swept automatically.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_embed_init or ev_embed_set.
#[no_mangle]
pub unsafe extern "C" fn ev_embed_start(lp: *mut EvLoop, w: *mut ev_embed) {
    with(lp, w, |lp, w| embed::start(lp, w))
}

/// Stops an ev_embed watcher and drops its queued callback.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_embed_stop(lp: *mut EvLoop, w: *mut ev_embed) {
    with(lp, w, |lp, w| embed::stop(lp, w))
}

/// Runs the embedded loop once without waiting (ev_run() with EVRUN_NOWAIT on `other`).
/// @param lp the embedding loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_embed_sweep(lp: *mut EvLoop, w: *mut ev_embed) {
    with(lp, w, |_, w| embed::sweep(w))
}

/// Starts an ev_async watcher, which ev_async_send() can then wake from any thread. The loop makes
/// its eventfd on the first one; when that fails the ev_set_syserr_cb() handler is called and the
/// watcher stays stopped.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher, set with ev_async_init.
#[no_mangle]
pub unsafe extern "C" fn ev_async_start(lp: *mut EvLoop, w: *mut ev_async) {
    with(lp, w, |lp, w| asyncw::start(lp, w))
}

/// Stops an ev_async watcher and drops its queued callback.
/// @param lp the loop (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_async_stop(lp: *mut EvLoop, w: *mut ev_async) {
    with(lp, w, |lp, w| asyncw::stop(lp, w))
}

/// Wakes the loop and queues the watcher's callback with EV_ASYNC. Safe from any thread and from
/// signal handlers; several sends before the callback runs give one call (see ev_async_pending).
/// @param lp the loop the watcher was started on (NULL is ignored).
/// @param w the watcher (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn ev_async_send(lp: *mut EvLoop, w: *mut ev_async) {
    with(lp, w, |lp, w| asyncw::send(lp, w))
}
