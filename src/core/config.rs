//! event_config: how a program asks for a particular base.
use crate::core::time::Micros;
use libc::c_int;
use std::ffi::CString;

pub const FLAG_NOLOCK: c_int = 0x01;
pub const FLAG_IGNORE_ENV: c_int = 0x02;
pub const FLAG_NO_CACHE_TIME: c_int = 0x08;
pub const FLAG_EPOLL_USE_CHANGELIST: c_int = 0x10;
pub const FLAG_PRECISE_TIMER: c_int = 0x20;
/// libevent 2.2: precise timers without a timerfd (epoll's waits stay in milliseconds).
pub const FLAG_EPOLL_DISALLOW_TIMERFD: c_int = 0x40;
/// Ours (EVENT_BASE_FLAG_IO_URING): the io_uring backend, where the kernel gives one. Far from
/// libevent's flags (2.2 takes 0x40 and 0x80).
pub const FLAG_IO_URING: c_int = 0x10000;

pub struct EventConfig {
    pub avoid: Vec<CString>,
    pub require_features: c_int,
    pub flags: c_int,
    /// Longest time to run callbacks before checking for new events (None: no limit).
    pub max_dispatch: Option<Micros>,
    pub max_callbacks: c_int,
    /// Priorities below this one (numerically) are never limited.
    pub limit_after_prio: c_int,
}

impl Default for EventConfig {
    fn default() -> Self {
        EventConfig {
            avoid: Vec::new(),
            require_features: 0,
            flags: 0,
            max_dispatch: None,
            max_callbacks: c_int::MAX,
            limit_after_prio: 1,
        }
    }
}
