//! The reactor: event bases, events, timers, signals, the loop, and what they share.
pub mod log;
pub mod mem;
pub mod sync;
