//! evtag and evrpc: tagged binary fields in evbuffers, and RPCs carried over evhttp.
//!
//! `tag` is the codec of event2/tag.h; `hooks` holds what the server and the client share
//! (hooks, paused requests, hook meta data); `server` registers RPCs on an evhttp server
//! and answers them; `client` sends them through a pool of connections. evrpc reaches evhttp,
//! evbuffers and timers through their C functions (`ffi`), as libevent's evrpc.c does.
pub mod client;
pub mod ffi;
pub mod hooks;
pub mod server;
pub mod tag;
