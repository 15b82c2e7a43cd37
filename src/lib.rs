//! event_rs: libevent 2.1.12 rewritten in Rust, exported as a C library.
//!
//! `core` is the reactor, `libev` the libev API on top of it, `buffer` the evbuffer byte
//! queue, `dns` evdns, `http` evhttp, `rpc` evtag and evrpc, `util` the evutil helpers;
//! `capi` is the thin `extern "C"` surface, one file per public header.
// Failures carry no detail: the C API answers them all with libevent's -1 or NULL.
#![allow(clippy::result_unit_err)]
pub mod buffer;
pub mod bufferevent;
pub mod capi;
pub mod core;
pub mod dns;
pub mod http;
pub mod libev;
pub mod listener;
pub mod rpc;
#[cfg(test)]
mod test_rng;
pub mod util;
pub mod ws;
