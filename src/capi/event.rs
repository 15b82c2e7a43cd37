//! Exports of event2/event.h: bases, configs, events, the loop.
#![allow(non_camel_case_types)]
use crate::core::base::{loopexit_cb, DelMode, EventBase};
use crate::core::config::EventConfig;
use crate::core::event::*;
use crate::core::run::run_loop;
use crate::core::{backend, debug, ev, log, mem, time};
use libc::{c_char, c_int, c_short, c_uint, c_void, size_t, timeval, FILE};
use std::ffi::CStr;
use std::ptr;

pub type evutil_socket_t = c_int;
pub type ev_uint32_t = u32;
pub type event_callback_fn = Option<EventCallbackFn>;
pub type event_finalize_callback_fn = Option<FinalizeFn>;
pub type event_log_cb = Option<log::LogCb>;
pub type event_fatal_cb = Option<log::FatalCb>;
pub type event_base_foreach_event_cb =
    Option<unsafe extern "C" fn(*const EventBase, *const Event, *mut c_void) -> c_int>;

/// libevent's debug mask, exported as data in libevent too.
#[no_mangle]
pub static mut event_debug_logging_mask_: u32 = 0;

/// Runs `f` on the base with its lock held; `err` when the base is NULL.
unsafe fn locked<R>(base: *mut EventBase, err: R, f: impl FnOnce(&mut EventBase) -> R) -> R {
    if base.is_null() {
        return err;
    }
    EventBase::with_lock(base, f)
}

// ---- bases and configs

/// Creates an event base with the default configuration: the first backend of the preference
/// order (epoll, then poll, then select) that works, skipping those disabled by the
/// `EVENT_NOEPOLL`, `EVENT_NOPOLL` and `EVENT_NOSELECT` environment variables. The base can be
/// shared between threads only when threads were enabled (evthread_use_pthreads()) before.
/// @return a new base, which the caller frees with event_base_free(); NULL when no backend
/// works or memory runs out.
#[no_mangle]
pub extern "C" fn event_base_new() -> *mut EventBase {
    ev::base_new_default()
}

/// Creates an event base as `cfg` asks: backends avoided, features required, flags.
/// @param cfg a configuration from event_config_new(), or NULL for the defaults; it is only read,
/// and the caller may free it right after the call.
/// @return a new base (free it with event_base_free()), or NULL when no backend fits the
/// configuration or memory runs out.
#[no_mangle]
pub unsafe extern "C" fn event_base_new_with_config(cfg: *const EventConfig) -> *mut EventBase {
    ev::base_new(cfg.as_ref())
}

/// Frees a base: deletes every event still added or active, runs the finalizers of events
/// being finalized, frees the event_base_once() events that never ran, closes the base's own
/// descriptors and restores signal handlers. Events the program allocated stay its memory (it
/// frees them itself afterwards); their descriptors are not closed.
/// @param base the base to free, or NULL for the base of event_init(). No loop may be running
/// on it, and no other thread may use it.
#[no_mangle]
pub unsafe extern "C" fn event_base_free(base: *mut EventBase) {
    ev::base_free(base, true)
}

/// As event_base_free(), except that the callbacks of events being finalized
/// (event_finalize(), event_free_finalize()) are not run.
/// @param base the base to free, or NULL for the base of event_init().
#[no_mangle]
pub unsafe extern "C" fn event_base_free_nofinalize(base: *mut EventBase) {
    ev::base_free(base, false)
}

/// Re-creates a base's kernel state in a child process after fork: a new backend (epoll set),
/// new signal descriptors and wake-up descriptor, to which every added event is announced again.
/// Call it in the child before using the base there.
/// @param base the inherited base.
/// @return 0 on success, -1 on failure or when `base` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_reinit(base: *mut EventBase) -> c_int {
    locked(base, -1, |b| b.reinit())
}

/// Names the backend a base uses: "epoll", "poll" or "select" ("epoll (with changelist)" when
/// EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST was asked for).
/// @param base the base.
/// @return a static string (do not free it), or NULL when `base` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_method(base: *const EventBase) -> *const c_char {
    match base.as_ref() {
        Some(b) => b.method().as_ptr(),
        None => ptr::null(),
    }
}

/// libevent 2.2 API: how a base receives signals.
/// @param eb the base.
/// @return the static string "signalfd" (EVENT_BASE_FLAG_USE_SIGNALFD and the kernel gave one) or
/// "sigaction" (a handler that writes to a socketpair); NULL when `eb` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_signal_method(eb: *const EventBase) -> *const c_char {
    match eb.as_ref() {
        Some(b) => b.sig.method(b.flags).as_ptr(),
        None => ptr::null(),
    }
}

struct MethodList([*const c_char; 4]);
// SAFETY: the pointers are to immutable static C strings.
unsafe impl Sync for MethodList {}
static METHOD_LIST: MethodList =
    MethodList([backend::METHODS[0].as_ptr(), backend::METHODS[1].as_ptr(), backend::METHODS[2].as_ptr(), ptr::null()]);

/// Lists the backends this library has, in order of preference, whether or not the environment
/// disables them.
/// @return a static NULL-terminated array of static strings: do not modify or free it.
#[no_mangle]
pub extern "C" fn event_get_supported_methods() -> *mut *const c_char {
    METHOD_LIST.0.as_ptr() as *mut *const c_char
}

/// Tells what a base's backend can do.
/// @param base the base.
/// @return a bit mask of `enum event_method_feature` values (EV_FEATURE_ET and so on); 0 when
/// `base` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_features(base: *const EventBase) -> c_int {
    base.as_ref().map_or(0, |b| b.features())
}

/// Reads the monotonic clock, which does not follow changes of the wall clock: always the
/// precise CLOCK_MONOTONIC here (libevent reads the coarse one unless the base has
/// EVENT_BASE_FLAG_PRECISE_TIMER), never the loop's cached time.
/// @param base a base (only checked for NULL).
/// @param tp where the time goes.
/// @return 0, or -1 when `base` or `tp` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_gettime_monotonic(base: *mut EventBase, tp: *mut timeval) -> c_int {
    if base.is_null() || tp.is_null() {
        return -1;
    }
    *tp = time::from_us(time::monotonic_us());
    0
}

/// Counts a base's events of the kinds asked for, adding the counts of each kind.
/// @param base the base.
/// @param kinds a mask of EVENT_BASE_COUNT_ACTIVE, EVENT_BASE_COUNT_VIRTUAL and
/// EVENT_BASE_COUNT_ADDED. As in libevent, ADDED counts list memberships: an event waiting for
/// both a descriptor and a timeout, or added and active at once, counts more than once.
/// @return the sum; 0 when `base` is NULL. Internal events are not counted.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_num_events(base: *mut EventBase, kinds: c_uint) -> c_int {
    if base.is_null() {
        return 0;
    }
    ev::num_events(base, kinds)
}

/// The largest value each count of event_base_get_num_events() has reached since the base was
/// made or the maximum was last cleared, summed over `kinds`.
/// @param base the base.
/// @param kinds a mask of EVENT_BASE_COUNT_ACTIVE, EVENT_BASE_COUNT_VIRTUAL and
/// EVENT_BASE_COUNT_ADDED.
/// @param clear non-zero to reset the maxima of those kinds after reading them.
/// @return the sum; 0 when `base` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_max_events(base: *mut EventBase, kinds: c_uint, clear: c_int) -> c_int {
    if base.is_null() {
        return 0;
    }
    ev::max_events(base, kinds, clear != 0)
}

/// Creates an empty base configuration, for event_base_new_with_config().
/// @return a configuration that the caller frees with event_config_free(); NULL when out of
/// memory.
#[no_mangle]
pub extern "C" fn event_config_new() -> *mut EventConfig {
    mem::try_box(EventConfig::default()).map_or(ptr::null_mut(), Box::into_raw)
}

/// Frees a configuration. Bases made from it are not affected.
/// @param cfg the configuration, or NULL (then nothing happens).
#[no_mangle]
pub unsafe extern "C" fn event_config_free(cfg: *mut EventConfig) {
    if !cfg.is_null() {
        drop(Box::from_raw(cfg));
    }
}

/// Excludes a backend by name from the bases made with this configuration. May be called
/// several times.
/// @param cfg the configuration.
/// @param method a backend name such as "epoll" or "select"; it is copied.
/// @return 0, or -1 when an argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_config_avoid_method(cfg: *mut EventConfig, method: *const c_char) -> c_int {
    let (Some(cfg), false) = (cfg.as_mut(), method.is_null()) else { return -1 };
    cfg.avoid.push(CStr::from_ptr(method).to_owned());
    0
}

/// Makes bases from this configuration use only a backend with all of the given features
/// (replacing an earlier requirement). event_base_new_with_config() fails when none has them.
/// @param cfg the configuration.
/// @param feature a mask of `enum event_method_feature` values.
/// @return 0, or -1 when `cfg` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_config_require_features(cfg: *mut EventConfig, feature: c_int) -> c_int {
    let Some(cfg) = cfg.as_mut() else { return -1 };
    cfg.require_features = feature;
    0
}

/// Adds flags to a configuration; each call adds to those set before.
/// @param cfg the configuration.
/// @param flag one or more `enum event_base_config_flag` values.
/// @return 0, or -1 when `cfg` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_config_set_flag(cfg: *mut EventConfig, flag: c_int) -> c_int {
    let Some(cfg) = cfg.as_mut() else { return -1 };
    cfg.flags |= flag;
    0
}

/// Accepted and ignored: the hint is for libevent's Windows IOCP backend only.
/// @param cfg the configuration.
/// @param _cpus the number of processors the program expects to use.
/// @return 0, or -1 when `cfg` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_config_set_num_cpus_hint(cfg: *mut EventConfig, _cpus: c_int) -> c_int {
    // Only IOCP (Windows) uses the hint.
    if cfg.is_null() {
        -1
    } else {
        0
    }
}

/// Bounds how long the loop runs callbacks before looking for new events again, so that a flood
/// of low-priority callbacks cannot delay high-priority ones too long.
/// @param cfg the configuration.
/// @param max_interval after this much time running callbacks, check for events; NULL for no limit.
/// @param max_callbacks after this many callbacks, check for events; negative for no limit.
/// @param min_priority the limits apply to events of this priority and numerically above
/// (lower urgency); negative is read as 0 (all). The default is 1.
/// @return 0, or -1 when `cfg` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_config_set_max_dispatch_interval(
    cfg: *mut EventConfig,
    max_interval: *const timeval,
    max_callbacks: c_int,
    min_priority: c_int,
) -> c_int {
    let Some(cfg) = cfg.as_mut() else { return -1 };
    cfg.max_dispatch = max_interval.as_ref().map(time::to_us);
    cfg.max_callbacks = if max_callbacks >= 0 { max_callbacks } else { c_int::MAX };
    cfg.limit_after_prio = min_priority.max(0);
    0
}

/// Sets how many priorities a base has (1 by default). Events made afterwards get the middle
/// priority, `npriorities` / 2; 0 is the most urgent, and a priority's callbacks all run before
/// any of a lower one.
/// @param base the base.
/// @param npriorities from 1 to EVENT_MAX_PRIORITIES - 1.
/// @return 0; -1 when `base` is NULL, the number is out of range or an event is active.
#[no_mangle]
pub unsafe extern "C" fn event_base_priority_init(base: *mut EventBase, npriorities: c_int) -> c_int {
    locked(base, -1, |b| b.set_priorities(npriorities))
}

/// @param base the base, or NULL for the base of event_init().
/// @return how many priorities the base has; 0 when there is no base.
#[no_mangle]
pub unsafe extern "C" fn event_base_get_npriorities(base: *mut EventBase) -> c_int {
    ev::npriorities(base)
}

/// Gets a marker for a timeout duration that many events share. A timeval equal to the one
/// returned, given to event_add(), stands for `duration`. This library keeps all timers in one
/// heap, so the marker is accepted for compatibility and brings no speed-up.
/// @param base the base.
/// @param duration the duration; it is copied.
/// @return a pointer owned by the base, valid until the base is freed (the same one for equal
/// durations); NULL when an argument is NULL or the base already has 256 of them.
#[no_mangle]
pub unsafe extern "C" fn event_base_init_common_timeout(
    base: *mut EventBase,
    duration: *const timeval,
) -> *const timeval {
    if duration.is_null() {
        return ptr::null();
    }
    locked(base, ptr::null(), |b| b.init_common_timeout(duration))
}

// ---- the loop

/// Runs the event loop: waits for events and runs the callbacks of active events, by priority,
/// until told to stop or until no event is left.
/// @param base the base.
/// @param flags 0 or a mask of EVLOOP_ONCE, EVLOOP_NONBLOCK and EVLOOP_NO_EXIT_ON_EMPTY.
/// @return 0 when stopped by event_base_loopexit(), event_base_loopbreak() or a flag; 1 when
/// no event was left (pending or active); -1 on a backend error, a NULL base, or when a loop
/// already runs on this base (in any thread).
#[no_mangle]
pub unsafe extern "C" fn event_base_loop(base: *mut EventBase, flags: c_int) -> c_int {
    if base.is_null() {
        return -1;
    }
    run_loop(base, flags)
}

/// Runs the event loop until no event is left or the loop is stopped: event_base_loop() with no
/// flags, with the same return values.
/// @param base the base.
#[no_mangle]
pub unsafe extern "C" fn event_base_dispatch(base: *mut EventBase) -> c_int {
    event_base_loop(base, 0)
}

/// Asks the loop to stop once a delay has passed. When it stops, the callbacks already active
/// in that iteration still run, then event_base_loop() returns 0. Thread-safe when threads are
/// enabled.
/// @param base the base.
/// @param tv the delay; NULL (or zero) to stop after the current iteration.
/// @return 0, or -1 on failure (a NULL base).
#[no_mangle]
pub unsafe extern "C" fn event_base_loopexit(base: *mut EventBase, tv: *const timeval) -> c_int {
    event_base_once(base, -1, EV_TIMEOUT, Some(loopexit_cb), base as *mut c_void, tv)
}

/// Stops the loop as soon as the running callback returns: the remaining active callbacks are
/// not run in this iteration. Wakes the loop when called from another thread.
/// @param base the base.
/// @return 0, or -1 when `base` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_base_loopbreak(base: *mut EventBase) -> c_int {
    if base.is_null() {
        return -1;
    }
    ev::loopbreak(base);
    0
}

/// Makes the running loop go back to looking for new events as soon as the current callback
/// returns, as `continue` would; the callbacks left run later. Without a running loop it
/// has no effect.
/// @param base the base.
/// @return 0, or -1 when `base` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_base_loopcontinue(base: *mut EventBase) -> c_int {
    if base.is_null() {
        return -1;
    }
    ev::loopcontinue(base);
    0
}

/// @param base the base.
/// @return 1 when the last loop (or the current one) was stopped by event_base_loopexit(), else
/// 0. The next event_base_loop() resets it.
#[no_mangle]
pub unsafe extern "C" fn event_base_got_exit(base: *mut EventBase) -> c_int {
    locked(base, 0, |b| b.gotterm as c_int)
}

/// @param base the base.
/// @return 1 when the last loop (or the current one) was stopped by event_base_loopbreak(),
/// else 0. The next event_base_loop() resets it.
#[no_mangle]
pub unsafe extern "C" fn event_base_got_break(base: *mut EventBase) -> c_int {
    locked(base, 0, |b| b.brk as c_int)
}

/// Runs a callback once, when a descriptor is ready or a timeout passes, without the program
/// making an event: the library allocates it and frees it after the callback (or with the base,
/// if it never runs). The program cannot delete that event.
/// @param base the base.
/// @param fd the descriptor, or -1 for a timer only.
/// @param events EV_READ, EV_WRITE, EV_CLOSED and/or EV_TIMEOUT; EV_SIGNAL and EV_PERSIST are
/// refused.
/// @param cb the callback, called as for event_new().
/// @param arg its last argument.
/// @param tv the timeout, or NULL; a timer with a NULL or zero timeout runs in the next iteration.
/// @return 0, or -1 when `base` or `cb` is NULL or the events are refused.
#[no_mangle]
pub unsafe extern "C" fn event_base_once(
    base: *mut EventBase,
    fd: evutil_socket_t,
    events: c_short,
    cb: event_callback_fn,
    arg: *mut c_void,
    tv: *const timeval,
) -> c_int {
    let (Some(cb), false) = (cb, base.is_null()) else { return -1 };
    ev::once(base, fd, events, cb, arg, tv.as_ref())
}

/// @param base the base.
/// @return the event whose callback is running, when called from the loop's own thread; NULL
/// otherwise (no callback running, another thread, a NULL base).
#[no_mangle]
pub unsafe extern "C" fn event_base_get_running_event(base: *mut EventBase) -> *mut Event {
    if base.is_null() {
        return ptr::null_mut();
    }
    ev::running_event(base)
}

/// Reads the wall-clock time cheaply: in a callback, the time the loop cached when the current
/// iteration's wait ended; otherwise, or with EVENT_BASE_FLAG_NO_CACHE_TIME, the current time.
/// @param base the base, or NULL for the base of event_init().
/// @param tv where the time goes.
/// @return 0, or -1 when `tv` is NULL or the clock fails.
#[no_mangle]
pub unsafe extern "C" fn event_base_gettimeofday_cached(base: *mut EventBase, tv: *mut timeval) -> c_int {
    let Some(tv) = tv.as_mut() else { return -1 };
    ev::gettimeofday_cached(base, tv)
}

/// Refreshes the cached time of a running loop (for a long callback); nothing happens when the
/// loop is not running.
/// @param base the base, or NULL for the base of event_init().
/// @return 0, or -1 when there is no base.
#[no_mangle]
pub unsafe extern "C" fn event_base_update_cache_time(base: *mut EventBase) -> c_int {
    ev::update_cache_time(base)
}

/// Writes a readable list of a base's added and active events to `output`, for debugging; the
/// format may change.
/// @param base the base.
/// @param output an open stream; nothing is written when it or `base` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_base_dump_events(base: *mut EventBase, output: *mut FILE) {
    if output.is_null() {
        return;
    }
    locked(base, (), |b| b.dump(output))
}

/// Calls `f` for each of the program's events in a base: added, waiting for a timeout, or active.
/// The base stays locked meanwhile: `f` must not add, delete, activate or free events.
/// @param base the base.
/// @param f called with the base, an event and `arg`; returning non-zero stops the walk.
/// @param arg passed to `f`.
/// @return the last non-zero result of `f`, 0 when every event was visited, -1 when `base` or
/// `f` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_base_foreach_event(
    base: *mut EventBase,
    f: event_base_foreach_event_cb,
    arg: *mut c_void,
) -> c_int {
    let (Some(f), false) = (f, base.is_null()) else { return -1 };
    // SAFETY: f is the program's function, called as event_base_foreach_event documents.
    ev::foreach_event(base, |e| unsafe { f(base, e, arg) })
}

/// Activates the events added on a descriptor as if the backend had reported it ready.
/// @param base the base.
/// @param fd the descriptor.
/// @param events EV_READ, EV_WRITE and/or EV_CLOSED: the events waiting for any of these run with
/// those bits. With EV_TIMEOUT, as in libevent 2.1.12, only the events on `fd` waiting for a
/// timeout are activated (as timed out) and the other bits are ignored.
#[no_mangle]
pub unsafe extern "C" fn event_base_active_by_fd(base: *mut EventBase, fd: evutil_socket_t, events: c_short) {
    if !base.is_null() {
        ev::active_by_fd(base, fd, events)
    }
}

/// Activates the events of a signal as if it had arrived once.
/// @param base the base.
/// @param sig the signal number; out of range numbers are ignored.
#[no_mangle]
pub unsafe extern "C" fn event_base_active_by_signal(base: *mut EventBase, sig: c_int) {
    if !base.is_null() {
        ev::active_by_signal(base, sig)
    }
}

// ---- events

/// A marker to pass as the `arg` of event_new() or event_assign(): the callback then receives
/// the event itself as its argument.
/// @return a constant pointer that is only compared, never dereferenced.
#[no_mangle]
pub extern "C" fn event_self_cbarg() -> *mut c_void {
    ev::self_cbarg()
}

/// Sets up an event in memory the program owns (a `struct event` from event2/event_struct.h,
/// or event_get_struct_event_size() bytes). The memory must stay valid, and in place, while the
/// event is added or active; it must not be assigned again while so.
/// @param ev the event.
/// @param base its base; NULL for the base of event_init().
/// @param fd a descriptor, a signal number with EV_SIGNAL, or -1 for a timer or user event.
/// @param events a mask of EV_READ, EV_WRITE, EV_CLOSED, EV_SIGNAL, EV_PERSIST, EV_ET, EV_FINALIZE.
/// @param cb called with `fd`, the EV_* bits that happened and `arg` (see event_callback_fn);
/// may be NULL.
/// @param arg passed to `cb`, or event_self_cbarg() to pass the event itself.
/// @return 0, or -1 when `ev` is NULL or EV_SIGNAL is combined with I/O events.
#[no_mangle]
pub unsafe extern "C" fn event_assign(
    ev: *mut Event,
    base: *mut EventBase,
    fd: evutil_socket_t,
    events: c_short,
    cb: event_callback_fn,
    arg: *mut c_void,
) -> c_int {
    if ev.is_null() {
        return -1;
    }
    ev::assign(ev, base, fd, events, cb, arg)
}

/// Allocates and sets up an event, as event_assign() does (see it for the arguments). The event
/// is not yet pending: event_add() it.
/// @return the event, which the caller frees with event_free(); NULL when out of memory or the
/// arguments are refused.
#[no_mangle]
pub unsafe extern "C" fn event_new(
    base: *mut EventBase,
    fd: evutil_socket_t,
    events: c_short,
    cb: event_callback_fn,
    arg: *mut c_void,
) -> *mut Event {
    ev::new(base, fd, events, cb, arg)
}

/// Deletes an event (as event_del(), waiting for its callback if another thread runs it) and
/// frees it. Only for events from event_new(); NULL is ignored.
/// @param ev the event, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn event_free(ev: *mut Event) {
    if !ev.is_null() {
        ev::free(ev)
    }
}

/// Tells debug mode (event_enable_debug_mode()) that program-owned event memory is no longer an
/// event, before it is freed or reused; it also clears the event's initialized mark. The event
/// must not be added or active.
/// @param ev the event; NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn event_debug_unassign(ev: *mut Event) {
    if !ev.is_null() {
        ev::unassign(ev)
    }
}

/// Deletes an event without waiting for a callback another thread may be running, and calls
/// `cb` from the loop once no callback of the event runs any more; from then on the program may
/// free or reuse the event. Until then, event_add() fails on it and event_del() does nothing.
/// @param _flags reserved, ignored (pass 0).
/// @param ev the event.
/// @param cb called with the event and its callback's argument; may be NULL.
/// @return 0, or -1 when `ev` is NULL or has no base.
#[no_mangle]
pub unsafe extern "C" fn event_finalize(_flags: c_uint, ev: *mut Event, cb: event_finalize_callback_fn) -> c_int {
    if ev.is_null() {
        return -1;
    }
    ev::finalize(ev, cb, false)
}

/// As event_finalize(), and the library frees the event (from event_new()) after `cb` has run.
/// @param _flags reserved, ignored (pass 0).
/// @param ev the event.
/// @param cb called before the free; may be NULL.
/// @return 0, or -1 when `ev` is NULL or has no base.
#[no_mangle]
pub unsafe extern "C" fn event_free_finalize(_flags: c_uint, ev: *mut Event, cb: event_finalize_callback_fn) -> c_int {
    if ev.is_null() {
        return -1;
    }
    ev::finalize(ev, cb, true)
}

/// Makes an event pending: its callback runs when what it waits for happens or the timeout
/// passes. Adding a pending event again only changes its timeout. Thread-safe when threads are
/// enabled (the loop is woken).
/// @param ev the event.
/// @param tv the timeout from now, or a common timeout; NULL for none (an existing timeout is
/// kept).
/// @return 0; -1 when `ev` is NULL, has no base, is being finalized, or the backend or the signal
/// machinery refuses it. Unlike libevent: a descriptor that is not open and is beyond the limit of
/// open files (or 2^20) fails with every backend, and a timeout too large for the clock's
/// arithmetic never fires (libevent's fires at once).
#[no_mangle]
pub unsafe extern "C" fn event_add(ev: *mut Event, tv: *const timeval) -> c_int {
    if ev.is_null() {
        return -1;
    }
    ev::add(ev, tv.as_ref())
}

/// Removes an event's timeout, leaving it pending for its descriptor or signal (a persistent
/// event's periodic timeout is forgotten too).
/// @param ev the event.
/// @return 0, or -1 when `ev` is NULL or has no base.
#[no_mangle]
pub unsafe extern "C" fn event_remove_timer(ev: *mut Event) -> c_int {
    if ev.is_null() {
        return -1;
    }
    ev::remove_timer(ev)
}

unsafe fn del(e: *mut Event, mode: DelMode) -> c_int {
    if e.is_null() {
        return -1;
    }
    ev::del(e, mode)
}

/// Makes an event neither pending nor active: its callback will not run unless re-added. When
/// another thread's loop is running this event's callback, waits for it to return (unless the
/// event has EV_FINALIZE), so that the caller may then free what the callback uses.
/// @param ev the event; deleting an event that is not pending is not an error.
/// @return 0, or -1 when `ev` is NULL or has no base.
#[no_mangle]
pub unsafe extern "C" fn event_del(ev: *mut Event) -> c_int {
    del(ev, DelMode::AutoBlock)
}

/// As event_del(), but never waits for a callback running in another thread.
/// @param ev the event.
/// @return 0, or -1 when `ev` is NULL or has no base.
#[no_mangle]
pub unsafe extern "C" fn event_del_noblock(ev: *mut Event) -> c_int {
    del(ev, DelMode::NoBlock)
}

/// As event_del(), but waits for a callback running in another thread even when the event has
/// EV_FINALIZE.
/// @param ev the event.
/// @return 0, or -1 when `ev` is NULL or has no base.
#[no_mangle]
pub unsafe extern "C" fn event_del_block(ev: *mut Event) -> c_int {
    del(ev, DelMode::Block)
}

/// Makes an event active, as if what it waits for had happened; it need not be pending. An
/// active event's callback runs in the loop's next pass; activating it again ORs `res` in.
/// Thread-safe when threads are enabled (the loop is woken).
/// @param ev the event (ignored with a warning when NULL or without a base).
/// @param res the bits its callback receives (EV_READ, EV_TIMEOUT...).
/// @param ncalls for a signal event, how many times the callback runs; ignored otherwise.
#[no_mangle]
pub unsafe extern "C" fn event_active(ev: *mut Event, res: c_int, ncalls: c_short) {
    if ev.is_null() {
        log::warnx("event_active: event has no event_base set.");
        return;
    }
    ev::activate(ev, res as c_short, ncalls)
}

/// Tells whether an event is pending or active for the given kinds.
/// @param ev the event.
/// @param events a mask of EV_TIMEOUT, EV_READ, EV_WRITE, EV_CLOSED and EV_SIGNAL.
/// @param tv if not NULL and EV_TIMEOUT is asked for and pending, receives when the timeout
/// expires, on the wall clock.
/// @return the bits of `events` for which the event is pending or active; 0 when `ev` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_pending(ev: *const Event, events: c_short, tv: *mut timeval) -> c_int {
    if ev.is_null() {
        return 0;
    }
    ev::pending(ev, events, tv.as_mut())
}

/// @param ev the event: memory that is zeroed or was set up by event_assign() or event_new().
/// @return 1 when the event was set up (and not unassigned by event_debug_unassign()), else 0.
#[no_mangle]
pub unsafe extern "C" fn event_initialized(ev: *const Event) -> c_int {
    match ev.as_ref() {
        Some(e) => (e.flags & LIST_INIT != 0) as c_int,
        None => 0,
    }
}

/// @param ev the event.
/// @return its descriptor or signal number, as assigned; -1 when `ev` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_get_fd(ev: *const Event) -> evutil_socket_t {
    ev.as_ref().map_or(-1, |e| e.fd)
}

/// @param ev the event.
/// @return its base; NULL when `ev` is NULL or it has none.
#[no_mangle]
pub unsafe extern "C" fn event_get_base(ev: *const Event) -> *mut EventBase {
    ev.as_ref().map_or(ptr::null_mut(), |e| e.base)
}

/// @param ev the event.
/// @return the events it was assigned (EV_READ, EV_PERSIST...); 0 when `ev` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_get_events(ev: *const Event) -> c_short {
    ev.as_ref().map_or(0, |e| e.events)
}

/// @param ev the event.
/// @return its callback; NULL when `ev` is NULL or it has none.
#[no_mangle]
pub unsafe extern "C" fn event_get_callback(ev: *const Event) -> event_callback_fn {
    ev.as_ref().and_then(|e| e.callback())
}

/// @param ev the event.
/// @return its callback's argument (the event itself with event_self_cbarg()); NULL when `ev`
/// is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_get_callback_arg(ev: *const Event) -> *mut c_void {
    ev.as_ref().map_or(ptr::null_mut(), |e| e.arg)
}

/// @param ev the event.
/// @return its priority; -1 when `ev` is NULL.
#[no_mangle]
pub unsafe extern "C" fn event_get_priority(ev: *const Event) -> c_int {
    ev.as_ref().map_or(-1, |e| e.pri as c_int)
}

/// Reads back everything event_assign() set, in one call; each output pointer may be NULL to
/// skip that value. Nothing is written when `ev` is NULL.
/// @param ev the event.
/// @param base_out its base.
/// @param fd_out its descriptor or signal number.
/// @param events_out its events.
/// @param callback_out its callback.
/// @param arg_out its callback's argument.
#[no_mangle]
pub unsafe extern "C" fn event_get_assignment(
    ev: *const Event,
    base_out: *mut *mut EventBase,
    fd_out: *mut evutil_socket_t,
    events_out: *mut c_short,
    callback_out: *mut event_callback_fn,
    arg_out: *mut *mut c_void,
) {
    let Some(e) = ev.as_ref() else { return };
    if let Some(p) = base_out.as_mut() {
        *p = e.base;
    }
    if let Some(p) = fd_out.as_mut() {
        *p = e.fd;
    }
    if let Some(p) = events_out.as_mut() {
        *p = e.events;
    }
    if let Some(p) = callback_out.as_mut() {
        *p = e.callback();
    }
    if let Some(p) = arg_out.as_mut() {
        *p = e.arg;
    }
}

/// @return the size of `struct event` in this library, which is the size event2/event_struct.h
/// declares (and libevent 2.1.12's on this platform).
#[no_mangle]
pub extern "C" fn event_get_struct_event_size() -> size_t {
    std::mem::size_of::<Event>()
}

/// Changes an event's priority (0 is the most urgent), for its next activation.
/// @param ev the event.
/// @param pri from 0 to the base's number of priorities minus 1.
/// @return 0; -1 when `ev` is NULL, active, without a base, or `pri` is out of range.
#[no_mangle]
pub unsafe extern "C" fn event_priority_set(ev: *mut Event, pri: c_int) -> c_int {
    if ev.is_null() {
        return -1;
    }
    ev::set_priority(ev, pri)
}

/// Moves an event that is neither pending nor active to another base (for 1.x programs that set
/// events up with event_set()); its priority becomes the base's default.
/// @param base the new base.
/// @param ev the event.
/// @return 0; -1 when an argument is NULL or the event is pending or active.
#[no_mangle]
pub unsafe extern "C" fn event_base_set(base: *mut EventBase, ev: *mut Event) -> c_int {
    if base.is_null() || ev.is_null() {
        return -1;
    }
    ev::set_base(base, ev)
}

// ---- versions, logging, memory, debugging

/// @return always the static string "2.1.12-stable", libevent's version, for compatibility; see
/// event_rs_version() to tell the libraries apart.
#[no_mangle]
pub extern "C" fn event_get_version() -> *const c_char {
    c"2.1.12-stable".as_ptr()
}

/// @return always 0x02010c00 (libevent 2.1.12), as LIBEVENT_VERSION_NUMBER.
#[no_mangle]
pub extern "C" fn event_get_version_number() -> ev_uint32_t {
    0x02010c00
}

/// Not in libevent: the one symbol that only event_rs exports, so that a program can tell which
/// of the two libraries it runs on (for instance by looking the name up with dlsym and
/// RTLD_DEFAULT).
/// @return a static string starting with "event_rs".
#[no_mangle]
pub extern "C" fn event_rs_version() -> *const c_char {
    c"event_rs 2.1.12".as_ptr()
}

/// Sends the library's messages to `cb` rather than to standard error (as `[warn] text` lines).
/// Process-wide: set it before other threads use the library.
/// @param cb called with an EVENT_LOG_* severity and the message (valid only during the call);
/// it must not call into the library. NULL restores standard error.
#[no_mangle]
pub extern "C" fn event_set_log_callback(cb: event_log_cb) {
    log::set_log_callback(cb)
}

/// Sets what is called on an unrecoverable error (such as a misuse caught by debug mode) before
/// the process ends; if `cb` returns, the process exits (or aborts, for an internal error).
/// @param cb called with an error code; NULL for none.
#[no_mangle]
pub extern "C" fn event_set_fatal_callback(cb: event_fatal_cb) {
    log::set_fatal_callback(cb)
}

/// Turns debug messages (severity EVENT_LOG_DEBUG) on or off; they are off by default.
/// @param which EVENT_DBG_ALL or EVENT_DBG_NONE; it is also stored in event_debug_logging_mask_.
#[no_mangle]
pub unsafe extern "C" fn event_enable_debug_logging(which: ev_uint32_t) {
    event_debug_logging_mask_ = which;
    log::set_debug_mask(which)
}

/// Makes the library track which events are set up, so that misuse (adding an event never
/// assigned, assigning an added one) ends the process with a clear message rather than
/// corrupting state. Costs time and memory. Must be called before any base or event is made and
/// only once: otherwise the process ends with a fatal error.
#[no_mangle]
pub extern "C" fn event_enable_debug_mode() {
    debug::enable()
}

/// Makes the library allocate all its memory through the program's functions. Call it before
/// any other library call, and keep the functions valid while the library holds memory.
/// Unlike libevent, the program's functions also serve every internal allocation; when they
/// refuse memory, the calls that libevent lets fail return NULL or -1 only if the first block
/// of the call was refused: a later refusal ends the process.
/// @param malloc_fn used as malloc; NULL for the C library's.
/// @param realloc_fn used as realloc; NULL for the C library's.
/// @param free_fn used as free; NULL for the C library's.
#[no_mangle]
pub extern "C" fn event_set_mem_functions(
    malloc_fn: Option<unsafe extern "C" fn(size_t) -> *mut c_void>,
    realloc_fn: Option<unsafe extern "C" fn(*mut c_void, size_t) -> *mut c_void>,
    free_fn: Option<unsafe extern "C" fn(*mut c_void)>,
) {
    mem::set_functions(malloc_fn, realloc_fn, free_fn)
}

/// Releases the library's global state at the end of a program, after every base and event is
/// freed; here that is the debug-mode table (debug mode is turned off). Optional.
#[no_mangle]
pub extern "C" fn libevent_global_shutdown() {
    debug::shutdown();
}
