//! The libev 4.33 API (<ev.h>) on the core reactor: each loop owns a core event base, started
//! watchers are served by core events (io, timers, signals), and ev_run() drives the base one
//! poll at a time while keeping libev's own order of callbacks (priorities, pending queues,
//! prepare/check/idle watchers).
//!
//! src/capi/ev.rs is the C boundary; these modules hold the logic.
//!
//! Safety: the `unsafe fn`s here share one contract, libev's: a loop pointer comes from
//! ev_loop_new()/ev_default_loop() and is not destroyed yet; a watcher pointer is a live
//! watcher of the type named, laid out as <ev.h> says, started on that loop if at all. Nothing
//! else is assumed, and no borrow of a loop's state is held while the program's code runs.
#![allow(clippy::missing_safety_doc)]
pub mod alloc;
pub mod asyncw;
pub mod child;
pub mod embed;
pub mod evloop;
pub mod hook;
pub mod io;
pub mod once;
pub mod pending;
pub mod periodic;
pub mod run;
pub mod signal;
pub mod simple;
pub mod stat;
pub mod timer;
pub mod watcher;
