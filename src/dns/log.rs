//! evdns's messages: to the program's evdns_set_log_fn() callback when it set one (every
//! message, debug ones included, as libevent does, cut to 511 bytes), else to the library's
//! log (where debug messages need event_enable_debug_logging()).
use crate::core::log;
use libc::{c_char, c_int};
use std::ffi::CString;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const DEBUG: c_int = log::DEBUG;
pub const MSG: c_int = log::MSG;
pub const WARN: c_int = log::WARN;

pub type LogFn = unsafe extern "C" fn(c_int, *const c_char);

static LOG_FN: AtomicUsize = AtomicUsize::new(0);

pub fn set_log_fn(f: Option<LogFn>) {
    LOG_FN.store(f.map_or(0, |f| f as usize), Ordering::Release);
}

/// Whether a message of this severity goes anywhere (so debug text is only built when read).
pub fn wanted(severity: c_int) -> bool {
    severity != DEBUG || LOG_FN.load(Ordering::Acquire) != 0 || log::debug_enabled()
}

/// Writes a message now. Callers hold no lock: the callback may call back into the library.
pub fn emit(severity: c_int, msg: &str) {
    match LOG_FN.load(Ordering::Acquire) {
        0 => {
            if severity != DEBUG || log::debug_enabled() {
                log::log(severity, msg);
            }
        }
        f => {
            let mut bytes: Vec<u8> = msg.bytes().filter(|&b| b != 0).collect();
            bytes.truncate(511);
            let text = CString::new(bytes).unwrap_or_default();
            // SAFETY: stored from a valid LogFn by set_log_fn.
            let cb: LogFn = unsafe { std::mem::transmute::<usize, LogFn>(f) };
            // SAFETY: a C callback receiving a flag and a C string valid for the call.
            unsafe { cb((severity == WARN) as c_int, text.as_ptr()) };
        }
    }
}

/// Messages gathered while a lock is held, written once it is released.
#[derive(Default)]
pub struct Pending(Vec<(c_int, String)>);

impl Pending {
    pub fn push(&mut self, severity: c_int, msg: String) {
        self.0.push((severity, msg));
    }

    pub fn debug(&mut self, msg: impl FnOnce() -> String) {
        if wanted(DEBUG) {
            self.0.push((DEBUG, msg()));
        }
    }

    pub fn take(&mut self) -> Pending {
        Pending(std::mem::take(&mut self.0))
    }

    pub fn emit(self) {
        for (severity, msg) in self.0 {
            emit(severity, &msg);
        }
    }
}
