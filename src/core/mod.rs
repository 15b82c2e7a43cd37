//! The reactor: event bases, events, timers, signals, the loop, and what they share.
pub mod backend;
pub mod base;
pub mod config;
pub mod debug;
pub mod ev;
pub mod event;
pub mod evmap;
pub mod heap;
pub mod info;
pub mod log;
pub mod mem;
pub mod queue;
pub mod run;
pub mod signal;
pub mod sync;
pub mod time;
pub mod watch;

#[cfg(test)]
pub(crate) mod tests;
