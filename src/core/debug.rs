//! event_enable_debug_mode(): remembers which events are set up, so misuse (adding an event
//! that was never assigned, re-assigning an added one) is reported instead of corrupting state.
use crate::core::event::*;
use crate::core::log;
use parking_lot::Mutex;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(false);
/// Once an event or base exists, debug mode can no longer be turned on.
static SOMETHING_CREATED: AtomicBool = AtomicBool::new(false);
static SETUP: Mutex<Option<HashSet<usize>>> = Mutex::new(None);

pub fn enable() {
    if ENABLED.swap(true, Ordering::AcqRel) {
        log::errx(1, "event_enable_debug_mode was called twice!");
    }
    if SOMETHING_CREATED.load(Ordering::Acquire) {
        log::errx(1, "event_enable_debug_mode must be called *before* creating any events or event_bases");
    }
    *SETUP.lock() = Some(HashSet::new());
}

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Records that an event or base exists. Written once: later calls only read, so threads
/// making bases at once do not all write the flag.
pub fn note_created() {
    if !SOMETHING_CREATED.load(Ordering::Relaxed) {
        SOMETHING_CREATED.store(true, Ordering::Relaxed);
    }
}

pub fn note_setup(ev: *mut Event) {
    note_created();
    if enabled() {
        if let Some(set) = SETUP.lock().as_mut() {
            set.insert(ev as usize);
        }
    }
}

pub fn note_teardown(ev: *mut Event) {
    if enabled() {
        if let Some(set) = SETUP.lock().as_mut() {
            set.remove(&(ev as usize));
        }
    }
}

/// Fatal when `ev` was not set up by event_assign()/event_new() (debug mode only).
///
/// # Safety
/// `ev` points at memory readable as an `Event` (its fields are read for the message).
pub unsafe fn assert_setup(ev: *const Event, func: &str) {
    if enabled() && !SETUP.lock().as_ref().is_some_and(|s| s.contains(&(ev as usize))) {
        log::errx(
            0xdeaddead_u32 as i32,
            &format!(
                "{func} called on a non-initialized event {ev:p} (events: 0x{:x}, fd: {}, flags: 0x{:x})",
                (*ev).events,
                (*ev).fd,
                (*ev).flags
            ),
        );
    }
}

/// Fatal when `ev` is added or active (debug mode only).
///
/// # Safety
/// As for `assert_setup`.
pub unsafe fn assert_not_added(ev: *const Event, func: &str) {
    if enabled()
        && SETUP.lock().as_ref().is_some_and(|s| s.contains(&(ev as usize)))
        && (*ev).flags & (LIST_INSERTED | LIST_ACTIVE | LIST_TIMEOUT | LIST_ACTIVE_LATER) != 0
    {
        log::errx(
            0xdeaddead_u32 as i32,
            &format!(
                "{func} called on an already added event {ev:p} (events: 0x{:x}, fd: {}, flags: 0x{:x})",
                (*ev).events,
                (*ev).fd,
                (*ev).flags
            ),
        );
    }
}

pub fn shutdown() {
    *SETUP.lock() = None;
    ENABLED.store(false, Ordering::Release);
}
