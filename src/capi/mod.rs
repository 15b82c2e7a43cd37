//! The `extern "C"` surface, one file per public header: argument checks as libevent makes
//! them, pointer conversion, and a call into the core. No logic lives here.
//! build.rs turns each file into the prototypes of `include/event2/gen/<file>.h`.
// The safety contract of each export is libevent's documentation of that function.
#![allow(clippy::missing_safety_doc)]
pub mod buffer;
pub mod buffer_compat;
pub mod bufferevent;
pub mod bufferevent_compat;
pub mod bufferevent_ssl;
pub mod dns;
pub mod dns_compat;
pub mod ev;
pub mod event;
pub mod event_compat;
pub mod http;
pub mod http_compat;
pub mod listener;
pub mod rpc;
pub mod tag;
pub mod thread;
pub mod util;
pub mod watch;
pub mod ws;
