//! evdns: the asynchronous resolver, the DNS server ports, and evdns_getaddrinfo.
//!
//! - `wire`: the message format (decoding is bounds-checked; hostile packets are just refused);
//! - `config`: resolv.conf, hosts files and option values, as text;
//! - `resolver`: an evdns_base (nameservers, queries, retries, search lists, probes);
//! - `getaddrinfo`: evdns_getaddrinfo on top of the resolver; `cache`: 2.2's response cache;
//! - `server`: evdns server ports (UDP, and 2.2's TCP ports on a listener);
//! - `ev`: the reactor events the module owns; `log`: evdns_set_log_fn.
//!
//! Re-entrancy: each base and port keeps its state behind its own lock, which is never held
//! while user code runs. Results reach the program through callbacks the event loop runs later
//! (libevent's deferred callbacks), so a callback may cancel requests, free the base or close
//! the port; messages for the log callback are gathered while locked and written after.
pub mod cache;
pub mod config;
pub mod ev;
pub mod getaddrinfo;
pub mod log;
pub mod resolver;
pub mod server;
pub mod wire;

pub use resolver::DnsBase;

use std::sync::atomic::AtomicPtr;

/// The base of the deprecated calls (evdns_init(), evdns_resolve_ipv4(), ...).
pub static GLOBAL_BASE: AtomicPtr<DnsBase> = AtomicPtr::new(std::ptr::null_mut());
