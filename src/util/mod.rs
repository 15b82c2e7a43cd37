//! evutil: sockets, addresses, strings, time and randomness (event2/util.h).
//!
//! Each module works on Rust types (byte slices, `io::Result`) so the rest of the library can
//! use it directly; `capi::util` adapts it to libevent's C signatures.
pub mod addr;
pub mod inet;
pub mod num;
pub mod rng;
pub mod socket;
pub mod strings;
pub mod time;
