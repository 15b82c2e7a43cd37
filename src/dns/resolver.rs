//! An evdns_base: its nameservers, its queries (in flight, or waiting for room), its options,
//! search list and hosts entries, all behind one lock.
//!
//! How a lookup goes, as in libevent: a query gets a random transaction id, its name's letters
//! a random case (when randomize-case is on), and a nameserver picked round-robin among those
//! that are up; it is sent over UDP and a timer armed. An answer must come from the
//! nameserver's address and carry our id and our question; then the result is delivered. A
//! timeout (or a SERVFAIL, which libevent treats alike) sends the query again, to the next
//! nameserver, until `attempts` sends were made; then DNS_ERR_TIMEOUT. A nameserver that
//! times out too often is marked down and probed (a query for google.com) on a backing-off
//! timer until it answers. With a search list, a name with fewer dots than `ndots` is tried
//! with each search domain, then alone; a name with more is tried alone first.
//!
//! Results go to the program through a deferred call (`ev::defer`), so no lock is held and no
//! internal state is borrowed when it runs.
use super::config::{self, ResolvLine};
use super::ev::{self, OwnedEvent};
use super::getaddrinfo::{self, Gai};
use super::log::{self, Pending};
use super::wire::{self, Answer};
use crate::core::base::{EventBase, CURRENT_BASE};
use crate::core::event::{EV_PERSIST, EV_READ, EV_WRITE};
use crate::core::time::Micros;
use crate::util::addr::{self, SockAddr};
use crate::util::rng;
use libc::{c_char, c_int, c_short, c_void, sockaddr, sockaddr_storage, socklen_t};
use parking_lot::Mutex;
use std::collections::{HashMap, VecDeque};
use std::ffi::CStr;
use std::mem::size_of;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

// Error codes given to callbacks (event2/dns.h).
pub const ERR_NONE: c_int = 0;
pub const ERR_FORMAT: c_int = 1;
pub const ERR_SERVERFAILED: c_int = 2;
pub const ERR_NOTEXIST: c_int = 3;
pub const ERR_NOTIMPL: c_int = 4;
pub const ERR_REFUSED: c_int = 5;
pub const ERR_TRUNCATED: c_int = 65;
pub const ERR_UNKNOWN: c_int = 66;
pub const ERR_TIMEOUT: c_int = 67;
pub const ERR_SHUTDOWN: c_int = 68;
pub const ERR_CANCEL: c_int = 69;
pub const ERR_NODATA: c_int = 70;

// Result kinds given to callbacks.
pub const KIND_A: c_char = 1;
pub const KIND_PTR: c_char = 2;
pub const KIND_AAAA: c_char = 3;
/// libevent 2.2's DNS_CNAME: the canonical name, given as a `char **` like DNS_PTR's.
pub const KIND_CNAME: c_char = 4;

pub const QUERY_NO_SEARCH: c_int = 1;
// libevent 2.2's lookup flags.
pub const QUERY_USEVC: c_int = 0x02;
pub const QUERY_IGNTC: c_int = 0x04;
pub const CNAME_CALLBACK: c_int = 0x80;

// resolv.conf parsing flags.
pub const OPTION_SEARCH: c_int = 1;
pub const OPTION_NAMESERVERS: c_int = 2;
pub const OPTION_MISC: c_int = 4;
pub const OPTION_HOSTSFILE: c_int = 8;
pub const OPTIONS_ALL: c_int = 15;
pub const OPTION_NAMESERVERS_NO_DEFAULT: c_int = 16;

// evdns_base_new flags.
pub const BASE_INITIALIZE_NAMESERVERS: c_int = 1;
pub const BASE_DISABLE_WHEN_INACTIVE: c_int = 0x8000;
pub const BASE_NAMESERVERS_NO_DEFAULT: c_int = 0x10000;
/// libevent 2.2's EVDNS_BASE_NO_CACHE.
pub const BASE_NO_CACHE: c_int = 0x10;

const MAX_PROBE_TIMEOUT: Micros = 3600 * 1_000_000;
const PROBE_BACKOFF: i64 = 3;
/// How long a TCP connection to a nameserver stays open with no query on it.
const VC_IDLE_TIMEOUT: Micros = 10_000_000;
const PROBE_NAME: &[u8] = b"google.com";

/// A hasher for the maps keyed by our own ids (sequential keys, random transaction ids): a
/// multiply-and-fold, much cheaper than SipHash, which guards against keys an attacker picks.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }

    fn write_u16(&mut self, v: u16) {
        self.write_u64(v as u64);
    }

    fn write_u32(&mut self, v: u32) {
        self.write_u64(v as u64);
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

pub type IdMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<IdHasher>>;

pub fn err_to_string(err: c_int) -> &'static CStr {
    match err {
        ERR_NONE => c"no error",
        ERR_FORMAT => c"misformatted query",
        ERR_SERVERFAILED => c"server failed",
        ERR_NOTEXIST => c"name does not exist",
        ERR_NOTIMPL => c"query not implemented",
        ERR_REFUSED => c"refused",
        ERR_TRUNCATED => c"reply truncated or ill-formed",
        ERR_UNKNOWN => c"unknown",
        ERR_TIMEOUT => c"request timed out",
        ERR_SHUTDOWN => c"dns subsystem shut down",
        ERR_CANCEL => c"dns request canceled",
        ERR_NODATA => c"no records in the reply",
        _ => c"[Unknown error code]",
    }
}

/// The program's result callback: (result, kind, count, ttl, addresses, arg).
pub type ResultFn = unsafe extern "C" fn(c_int, c_char, c_int, c_int, *mut c_void, *mut c_void);

/// A socket address as the program gave it (any family, up to sockaddr_storage's size).
#[derive(Clone, Copy)]
pub struct RawAddr {
    pub ss: sockaddr_storage,
    pub len: socklen_t,
}

impl RawAddr {
    /// # Safety
    /// `sa` is readable for `len` bytes, `len` at most the size of sockaddr_storage.
    pub unsafe fn from_raw(sa: *const sockaddr, len: usize) -> RawAddr {
        let mut ss: sockaddr_storage = std::mem::zeroed();
        ptr::copy_nonoverlapping(sa as *const u8, &mut ss as *mut sockaddr_storage as *mut u8, len);
        RawAddr { ss, len: len as socklen_t }
    }

    pub fn from_sockaddr(a: &SockAddr) -> RawAddr {
        // SAFETY: a SockAddr is a complete sockaddr_in or sockaddr_in6.
        unsafe { RawAddr::from_raw(a.as_ptr(), a.socklen()) }
    }

    pub fn as_ptr(&self) -> *const sockaddr {
        &self.ss as *const sockaddr_storage as *const sockaddr
    }

    pub fn family(&self) -> c_int {
        self.ss.ss_family as c_int
    }

    fn as_v4(&self) -> Option<&libc::sockaddr_in> {
        // SAFETY: sockaddr_storage is larger than and aligned for sockaddr_in.
        (self.family() == libc::AF_INET).then(|| unsafe { &*(self.as_ptr() as *const libc::sockaddr_in) })
    }

    fn as_v6(&self) -> Option<&libc::sockaddr_in6> {
        // SAFETY: as above, for sockaddr_in6.
        (self.family() == libc::AF_INET6).then(|| unsafe { &*(self.as_ptr() as *const libc::sockaddr_in6) })
    }

    pub fn port(&self) -> u16 {
        if let Some(s) = self.as_v4() {
            u16::from_be(s.sin_port)
        } else if let Some(s) = self.as_v6() {
            u16::from_be(s.sin6_port)
        } else {
            0
        }
    }

    pub fn set_port(&mut self, port: u16) {
        match self.family() {
            // SAFETY: the family says which structure the storage holds.
            libc::AF_INET => unsafe {
                (*(&mut self.ss as *mut sockaddr_storage as *mut libc::sockaddr_in)).sin_port = port.to_be()
            },
            libc::AF_INET6 => unsafe {
                (*(&mut self.ss as *mut sockaddr_storage as *mut libc::sockaddr_in6)).sin6_port = port.to_be()
            },
            _ => {}
        }
    }

    fn is_loopback(&self) -> bool {
        if let Some(s) = self.as_v4() {
            u32::from_be(s.sin_addr.s_addr) >> 24 == 127
        } else if let Some(s) = self.as_v6() {
            s.sin6_addr.s6_addr == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        } else {
            false
        }
    }

    /// Equal family and address, and port when asked (evutil_sockaddr_cmp's rules).
    pub fn same(&self, other: &RawAddr, with_port: bool) -> bool {
        // SAFETY: both are complete storages, whatever their family.
        unsafe { addr::sockaddr_cmp(self.as_ptr(), other.as_ptr(), with_port) == 0 }
    }

    /// `1.2.3.4:53`, `[::1]:53`, as libevent writes addresses in its messages.
    pub fn text(&self) -> String {
        if let Some(s) = self.as_v4() {
            format!("{}:{}", crate::util::inet::ntop4(s.sin_addr.s_addr.to_ne_bytes()), u16::from_be(s.sin_port))
        } else if let Some(s) = self.as_v6() {
            format!("[{}]:{}", crate::util::inet::ntop6(s.sin6_addr.s6_addr), u16::from_be(s.sin6_port))
        } else {
            format!("<addr with family {}>", self.family())
        }
    }
}

/// The handle a program holds for a lookup (`struct evdns_request`). It stays allocated until
/// the lookup's callback has returned (or, with no callback to come, until the lookup ends);
/// `done` is set once cancelling can no longer change anything.
pub struct ReqHandle {
    dns: *const DnsBase,
    query: AtomicU32,
    done: AtomicBool,
}

/// Who learns a query's result.
#[derive(Clone, Copy)]
pub enum Owner {
    /// The program, through its callback, after which `handle` is released.
    User { cb: Option<ResultFn>, arg: *mut c_void, handle: *mut ReqHandle },
    /// A nameserver's probe.
    Probe { ns: u32 },
    /// One half of an evdns_getaddrinfo.
    Gai { id: u32, v6: bool },
}

/// The search list (copied on write, so lookups under way keep the list they started with).
#[derive(Clone)]
pub struct SearchList {
    pub ndots: i32,
    pub domains: Vec<Vec<u8>>,
}

impl Default for SearchList {
    fn default() -> Self {
        SearchList { ndots: 1, domains: Vec::new() }
    }
}

struct Search {
    list: Arc<SearchList>,
    orig: Vec<u8>,
    /// -1: the name alone is being tried first; else the domain being tried.
    index: isize,
}

fn dots(name: &[u8]) -> i32 {
    name.iter().filter(|&&b| b == b'.').count() as i32
}

fn with_domain(name: &[u8], domain: &[u8]) -> Option<Vec<u8>> {
    let last = *name.last()?;
    let mut n = name.to_vec();
    if last != b'.' {
        n.push(b'.');
    }
    n.extend_from_slice(domain);
    Some(n)
}

struct Query {
    owner: Owner,
    qtype: u16,
    name: Vec<u8>,
    packet: Vec<u8>,
    trans_id: u16,
    ns: Option<u32>,
    inflight: bool,
    tx_count: i32,
    reissue_count: i32,
    transmit_me: bool,
    timer: OwnedEvent,
    search: Option<Search>,
    /// Keep the first CNAME target (evdns_getaddrinfo with AI_CANONNAME).
    pub want_cname: bool,
    /// The lookup's flags (DNS_QUERY_USEVC, DNS_QUERY_IGNTC, DNS_CNAME_CALLBACK).
    flags: c_int,
    /// Asked over the nameserver's TCP connection (USEVC, or after a truncated answer).
    tcp: bool,
    /// Over TCP because a UDP answer came back truncated: if TCP fails, the result is
    /// DNS_ERR_TRUNCATED, what a lookup without TCP gets.
    via_tc: bool,
    /// The TCP connection failed: the timer, fired at once, decides what comes next.
    tcp_failed: bool,
    /// The end of the reply's CNAME chain (DNS_CNAME_CALLBACK).
    canon: Option<Vec<u8>>,
}

/// A TCP connection to a nameserver (RFC 7766): messages with a 2-byte length in front,
/// several queries in flight at once, kept open until idle.
struct Vc {
    fd: c_int,
    io: Option<OwnedEvent>,
    connected: bool,
    writing: bool,
    out: Vec<u8>,
    inbuf: Vec<u8>,
}

impl Drop for Vc {
    fn drop(&mut self) {
        // The event goes before the socket it watches.
        drop(self.io.take());
        if self.fd >= 0 {
            // SAFETY: the connection's own socket, closed once.
            unsafe { libc::close(self.fd) };
        }
    }
}

struct Nameserver {
    id: u32,
    addr: RawAddr,
    socket: c_int,
    /// Readiness of the socket: reading always (unless the base is inactive), writing after
    /// a send would have blocked.
    io: OwnedEvent,
    reading: bool,
    writing: bool,
    probe_timer: OwnedEvent,
    up: bool,
    failed_times: i32,
    timedout: i32,
    choked: bool,
    inflight: u32,
    probe: Option<u32>,
    vc: Option<Vc>,
    /// Closes the TCP connection once no query uses it.
    vc_idle: OwnedEvent,
}

pub struct Options {
    pub timeout: Micros,
    pub max_retransmits: i32,
    pub max_reissues: i32,
    pub max_ns_timeouts: i32,
    pub max_inflight: i32,
    pub randomize_case: bool,
    pub allow_skew: Micros,
    pub probe_initial: Micros,
    pub outgoing: Option<RawAddr>,
    pub so_rcvbuf: c_int,
    pub so_sndbuf: c_int,
    /// libevent 2.2's udp-size: the UDP payload advertised (EDNS0) and read; unset, no OPT
    /// record is sent (2.1's queries) and 512 bytes are expected.
    pub udp_size: Option<u16>,
    pub probe_backoff: i64,
    pub max_probe_timeout: Micros,
}

struct HostEntry {
    name: Vec<u8>,
    addr: SockAddr,
}

pub struct State {
    me: *const DnsBase,
    pub event_base: *mut EventBase,
    ns: Vec<Nameserver>,
    head: usize,
    good: u32,
    queries: IdMap<u32, Query>,
    by_trans: IdMap<u16, u32>,
    waiting: VecDeque<u32>,
    inflight: i32,
    pub opts: Options,
    search: Option<Arc<SearchList>>,
    hosts: Vec<HostEntry>,
    disable_when_inactive: bool,
    pub gai: IdMap<u32, Gai>,
    next_key: u32,
    pub log: Pending,
    /// EVDNS_BASE_NO_CACHE.
    pub no_cache: bool,
    pub cache: super::cache::Cache,
}

// SAFETY: the raw pointers in the state (the base, events, program callbacks and their
// arguments) are only used with the base's lock held, or handed to the reactor, which is
// itself thread-safe once threads are enabled; libevent shares the same objects across threads.
unsafe impl Send for State {}

/// `struct evdns_base`.
pub struct DnsBase {
    state: Mutex<State>,
}

/// A result on its way to the program's callback.
pub struct Delivery {
    cb: ResultFn,
    arg: *mut c_void,
    result: c_int,
    kind: c_char,
    ttl: u32,
    data: Option<Answer>,
    handle: *mut ReqHandle,
    canon: Option<Vec<u8>>,
}

/// A name as a C string (a NUL inside a label ends it), as libevent hands names out.
fn c_name(name: &[u8]) -> Vec<u8> {
    let mut text: Vec<u8> = name.iter().copied().take_while(|&b| b != 0).collect();
    text.push(0);
    text
}

/// The deferred call that gives a result to the program, then releases the handle.
///
/// # Safety
/// Run once by the reactor, `arg` being the `Box<Delivery>` that `deliver` scheduled.
unsafe extern "C" fn run_delivery(_fd: c_int, _what: c_short, arg: *mut c_void) {
    // SAFETY: scheduled by `deliver` with a leaked Box<Delivery>, run once.
    let d = Box::from_raw(arg as *mut Delivery);
    if let (Some(canon), Some(_)) = (&d.canon, &d.data) {
        // DNS_CNAME_CALLBACK: the canonical name first, so the address callback stays the
        // lookup's last call (the one after which a program frees what it passed).
        let text = c_name(canon);
        let p: *const c_char = text.as_ptr() as *const c_char;
        (d.cb)(ERR_NONE, KIND_CNAME, 1, d.ttl as c_int, &p as *const *const c_char as *mut c_void, d.arg);
    }
    match &d.data {
        Some(Answer::A(list)) => {
            (d.cb)(ERR_NONE, KIND_A, list.len() as c_int, d.ttl as c_int, list.as_ptr() as *mut c_void, d.arg)
        }
        Some(Answer::Aaaa(list)) => {
            (d.cb)(ERR_NONE, KIND_AAAA, list.len() as c_int, d.ttl as c_int, list.as_ptr() as *mut c_void, d.arg)
        }
        Some(Answer::Ptr(name)) => {
            // A PTR result is a pointer to the name (libevent passes a char **), a C string: a
            // NUL inside a label ends it.
            let text = c_name(name);
            let p: *const c_char = text.as_ptr() as *const c_char;
            (d.cb)(ERR_NONE, KIND_PTR, 1, d.ttl as c_int, &p as *const *const c_char as *mut c_void, d.arg)
        }
        None => (d.cb)(d.result, d.kind, 0, d.ttl as c_int, ptr::null_mut(), d.arg),
    }
    free_handle(d.handle);
}

fn free_handle(h: *mut ReqHandle) {
    if !h.is_null() {
        // SAFETY: handles come from Box::into_raw in `resolve` and are released once, here.
        drop(unsafe { Box::from_raw(h) });
    }
}

fn kind_of(qtype: u16) -> c_char {
    match qtype {
        wire::TYPE_AAAA => KIND_AAAA,
        wire::TYPE_PTR => KIND_PTR,
        _ => KIND_A,
    }
}

impl DnsBase {
    /// evdns_base_new. `event_base` NULL means the current base of event_init().
    pub fn new(event_base: *mut EventBase, flags: c_int) -> *mut DnsBase {
        let event_base = if event_base.is_null() { CURRENT_BASE.load(Ordering::Acquire) } else { event_base };
        if !rng::ready() {
            log::emit(log::WARN, "Unable to seed random number generator; DNS can't be secure.");
            return ptr::null_mut();
        }
        // NULL when the program's malloc refuses the base, as libevent answers.
        let Some(dns) = crate::core::mem::try_box(DnsBase {
            state: Mutex::new(State {
                me: ptr::null(),
                event_base,
                ns: Vec::new(),
                head: 0,
                good: 0,
                queries: IdMap::default(),
                by_trans: IdMap::default(),
                waiting: VecDeque::new(),
                inflight: 0,
                opts: Options {
                    timeout: 5_000_000,
                    max_retransmits: 3,
                    max_reissues: 1,
                    max_ns_timeouts: 3,
                    max_inflight: 64,
                    randomize_case: true,
                    allow_skew: 3_000_000,
                    probe_initial: 10_000_000,
                    outgoing: None,
                    so_rcvbuf: 0,
                    so_sndbuf: 0,
                    udp_size: None,
                    probe_backoff: PROBE_BACKOFF,
                    max_probe_timeout: MAX_PROBE_TIMEOUT,
                },
                search: None,
                hosts: Vec::new(),
                disable_when_inactive: false,
                gai: IdMap::default(),
                next_key: 0,
                log: Pending::default(),
                no_cache: flags & BASE_NO_CACHE != 0,
                cache: Default::default(),
            }),
        }) else {
            return ptr::null_mut();
        };
        let dns = Box::into_raw(dns);
        // SAFETY: dns was just allocated and is not shared yet.
        let this = unsafe { &*dns };
        let mut flags = flags;
        this.with(|s| {
            s.me = dns;
            if flags & !(BASE_INITIALIZE_NAMESERVERS | BASE_DISABLE_WHEN_INACTIVE | BASE_NAMESERVERS_NO_DEFAULT | BASE_NO_CACHE) != 0 {
                s.log.push(log::WARN, "Unrecognized flag passed to evdns_base_new(). Assuming you meant EVDNS_BASE_INITIALIZE_NAMESERVERS.".into());
                flags = BASE_INITIALIZE_NAMESERVERS;
            }
        });
        if flags & BASE_INITIALIZE_NAMESERVERS != 0 {
            let mut opts = OPTIONS_ALL;
            if flags & BASE_NAMESERVERS_NO_DEFAULT != 0 {
                opts |= OPTION_NAMESERVERS_NO_DEFAULT;
            }
            // Any trouble with the file makes the base fail (libevent 2.1.12 checks for a
            // non-zero result, so a file without nameservers fails too unless defaults are off).
            if this.with(|s| s.resolv_conf_parse(opts, Some(c"/etc/resolv.conf"))) != 0 {
                // SAFETY: dns is ours and unused elsewhere.
                unsafe { DnsBase::free(dns, false) };
                return ptr::null_mut();
            }
        }
        if flags & BASE_DISABLE_WHEN_INACTIVE != 0 {
            // Set after the configuration, as libevent does: nameservers read from the file
            // keep listening until their first request is over.
            this.with(|s| s.disable_when_inactive = true);
        }
        dns
    }

    /// Runs `f` with the lock held, then writes the messages it left.
    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let (r, msgs) = {
            let mut s = self.state.lock();
            let r = f(&mut s);
            (r, s.log.take())
        };
        msgs.emit();
        r
    }

    /// evdns_base_free: ends every lookup (reporting DNS_ERR_SHUTDOWN when `fail_requests`),
    /// closes the nameservers' sockets, then releases the base.
    ///
    /// # Safety
    /// `dns` is a live base, not used by the caller afterwards.
    pub unsafe fn free(dns: *mut DnsBase, fail_requests: bool) {
        let _ = super::GLOBAL_BASE.compare_exchange(dns, ptr::null_mut(), Ordering::AcqRel, Ordering::Acquire);
        let (events, sockets) = (*dns).with(|s| s.teardown(fail_requests));
        // No lock is held now: wait for any of our callbacks running in another thread.
        for e in &events {
            e.del_and_wait();
        }
        drop(events);
        for fd in sockets {
            libc::close(fd);
        }
        drop(Box::from_raw(dns));
    }

    /// Starts a lookup for the program; NULL when it cannot start (no callback will come).
    pub fn resolve(
        &self,
        qtype: u16,
        name: &[u8],
        flags: c_int,
        cb: Option<ResultFn>,
        arg: *mut c_void,
        reverse: bool,
    ) -> *mut ReqHandle {
        let handle =
            Box::into_raw(Box::new(ReqHandle { dns: self, query: AtomicU32::new(0), done: AtomicBool::new(false) }));
        let started = self.with(|s| {
            s.log.debug(|| {
                format!(
                    "Resolve requested for {}{}",
                    String::from_utf8_lossy(name),
                    if reverse { " (reverse)" } else { "" }
                )
            });
            let owner = Owner::User { cb, arg, handle };
            let id = if reverse {
                s.start_plain(owner, qtype, name, flags)
            } else {
                s.start_lookup(owner, qtype, name, flags)
            };
            if let Some(id) = id {
                // SAFETY: the handle is not shared yet.
                unsafe { (*handle).query.store(id, Ordering::Relaxed) };
            }
            id.is_some()
        });
        if started {
            handle
        } else {
            free_handle(handle);
            ptr::null_mut()
        }
    }

    /// evdns_cancel_request: the callback then runs with DNS_ERR_CANCEL. Nothing happens once
    /// the lookup's result is on its way (or when called from its callback).
    ///
    /// # Safety
    /// `handle` is a handle returned by `resolve` whose callback has not returned yet.
    pub unsafe fn cancel(dns: *const DnsBase, handle: *mut ReqHandle) {
        if (*handle).done.load(Ordering::Acquire) {
            return;
        }
        let dns = if dns.is_null() { (*handle).dns } else { dns };
        let id = (*handle).query.load(Ordering::Relaxed);
        (*dns).with(|s| {
            let ours =
                matches!(s.queries.get(&id), Some(Query { owner: Owner::User { handle: h, .. }, .. }) if *h == handle);
            if ours {
                s.complete(id, ERR_CANCEL, 0, None);
            }
        });
    }
}

impl State {
    pub(super) fn key(&mut self) -> u32 {
        // Keys identify queries, nameservers and getaddrinfo lookups in callbacks (as the
        // timers' fd), so they stay positive ints and unique among live objects.
        loop {
            self.next_key = if self.next_key >= i32::MAX as u32 { 1 } else { self.next_key + 1 };
            let k = self.next_key;
            if !self.queries.contains_key(&k) && !self.gai.contains_key(&k) && !self.ns.iter().any(|n| n.id == k) {
                return k;
            }
        }
    }

    pub(super) fn arg(&self) -> *mut c_void {
        self.me as *mut c_void
    }

    fn ns_index(&self, id: u32) -> Option<usize> {
        self.ns.iter().position(|n| n.id == id)
    }

    // ---- nameservers --------------------------------------------------------------------

    pub fn count_nameservers(&self) -> c_int {
        self.ns.len() as c_int
    }

    /// The `idx`th nameserver from the round-robin position (libevent's list order: the first
    /// added, then the others newest first, rotated as requests pick them).
    pub fn nameserver_addr(&self, idx: c_int) -> Option<RawAddr> {
        if self.ns.is_empty() || idx >= self.ns.len() as c_int {
            return None;
        }
        let i = (self.head + idx.max(0) as usize) % self.ns.len();
        Some(self.ns[i].addr)
    }

    /// The UDP socket of the `idx`th nameserver, in `nameserver_addr`'s order; -1 for none.
    pub fn nameserver_fd(&self, idx: c_int) -> c_int {
        if self.ns.is_empty() || idx < 0 || idx >= self.ns.len() as c_int {
            return -1;
        }
        self.ns[(self.head + idx as usize) % self.ns.len()].socket
    }

    /// Adds a nameserver: 0, or libevent's codes (3 already there, 2 too long or the socket
    /// could not be bound or watched, 1 no socket, -SO_RCVBUF / -SO_SNDBUF).
    pub fn add_nameserver(&mut self, addr: &RawAddr) -> c_int {
        if self.ns.iter().any(|n| n.addr.same(addr, true)) {
            return 3;
        }
        if addr.len as usize > size_of::<sockaddr_storage>() {
            self.log.debug(|| format!("Addrlen {} too long.", addr.len));
            return 2;
        }
        let err = match self.open_socket(addr) {
            Ok(fd) => match self.start_nameserver(addr, fd) {
                Ok(()) => return 0,
                Err(e) => {
                    // SAFETY: fd is the socket just opened, not used anywhere else.
                    unsafe { libc::close(fd) };
                    e
                }
            },
            Err(e) => e,
        };
        self.log.push(log::WARN, format!("Unable to add nameserver {}: error {err}", addr.text()));
        err
    }

    fn open_socket(&mut self, addr: &RawAddr) -> Result<c_int, c_int> {
        // SAFETY: plain socket creation.
        let fd = unsafe { libc::socket(addr.family(), libc::SOCK_DGRAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC, 0) };
        if fd < 0 {
            return Err(1);
        }
        let fail = |e: c_int| {
            // SAFETY: fd is ours.
            unsafe { libc::close(fd) };
            Err(e)
        };
        if let Some(out) = self.opts.outgoing {
            if !addr.is_loopback() {
                // SAFETY: out is a complete address of out.len bytes.
                if unsafe { libc::bind(fd, out.as_ptr(), out.len) } < 0 {
                    self.log.push(log::WARN, "Couldn't bind to outgoing address".into());
                    return fail(2);
                }
            }
        }
        for (opt, value, name) in
            [(libc::SO_RCVBUF, self.opts.so_rcvbuf, "SO_RCVBUF"), (libc::SO_SNDBUF, self.opts.so_sndbuf, "SO_SNDBUF")]
        {
            if value != 0 {
                // SAFETY: value is an int, passed by address with its size.
                let r = unsafe {
                    libc::setsockopt(
                        fd,
                        libc::SOL_SOCKET,
                        opt,
                        &value as *const c_int as *const c_void,
                        size_of::<c_int>() as socklen_t,
                    )
                };
                if r != 0 {
                    self.log.push(log::WARN, format!("Couldn't set {name} to {value}"));
                    return fail(-opt);
                }
            }
        }
        Ok(fd)
    }

    fn start_nameserver(&mut self, addr: &RawAddr, fd: c_int) -> Result<(), c_int> {
        let id = self.key();
        // SAFETY: the events point to this base, which outlives them (teardown removes them).
        let (io, probe_timer, vc_idle) = unsafe {
            (
                OwnedEvent::new(self.event_base, fd, EV_READ | EV_PERSIST, nameserver_io_cb, self.arg()),
                OwnedEvent::new(self.event_base, id as c_int, 0, probe_timer_cb, self.arg()),
                OwnedEvent::new(self.event_base, id as c_int, 0, vc_idle_cb, self.arg()),
            )
        };
        let reading = !self.disable_when_inactive;
        if reading && !io.add(None) {
            return Err(2);
        }
        let ns = Nameserver {
            id,
            addr: *addr,
            socket: fd,
            io,
            reading,
            writing: false,
            probe_timer,
            up: true,
            failed_times: 0,
            timedout: 0,
            choked: false,
            inflight: 0,
            probe: None,
            vc: None,
            vc_idle,
        };
        self.log.debug(|| format!("Added nameserver {} as {id}", addr.text()));
        // A new server goes right after the round-robin position, as in libevent's ring.
        if self.ns.is_empty() {
            self.ns.push(ns);
            self.head = 0;
        } else {
            self.ns.insert(self.head + 1, ns);
        }
        self.good += 1;
        Ok(())
    }

    /// evdns_base_nameserver_add: an IPv4 address in network order, port 53.
    pub fn add_nameserver_v4(&mut self, addr: u32) -> c_int {
        let mut a = RawAddr::from_sockaddr(&SockAddr::V4(libc::sockaddr_in {
            sin_family: libc::AF_INET as libc::sa_family_t,
            sin_port: 53u16.to_be(),
            sin_addr: libc::in_addr { s_addr: addr },
            sin_zero: [0; 8],
        }));
        a.len = size_of::<libc::sockaddr_in>() as socklen_t;
        self.add_nameserver(&a)
    }

    /// evdns_base_nameserver_ip_add: `addr`, `addr:port`, `[v6]:port`; port 53 by default.
    pub fn add_nameserver_text(&mut self, text: &[u8]) -> c_int {
        let Some(sa) = addr::parse_sockaddr_port(text) else {
            self.log.push(log::WARN, format!("Unable to parse nameserver address {}", String::from_utf8_lossy(text)));
            return 4;
        };
        let mut a = RawAddr::from_sockaddr(&sa);
        if a.port() == 0 {
            a.set_port(53);
        }
        self.add_nameserver(&a)
    }

    /// Picks the next nameserver that is up, round-robin; when all are down, the next one.
    fn pick(&mut self) -> Option<u32> {
        let n = self.ns.len();
        if n == 0 {
            return None;
        }
        if self.good == 0 {
            self.head = (self.head + 1) % n;
            return Some(self.ns[self.head].id);
        }
        for _ in 0..n {
            let i = self.head;
            self.head = (self.head + 1) % n;
            if self.ns[i].up {
                return Some(self.ns[i].id);
            }
        }
        let i = self.head;
        self.head = (self.head + 1) % n;
        Some(self.ns[i].id)
    }

    /// evdns_base_clear_nameservers_and_suspend: every nameserver goes; queries in flight wait,
    /// ahead of those already waiting, for evdns_base_resume().
    pub fn clear_and_suspend(&mut self) {
        let probes: Vec<u32> = self.ns.iter().filter_map(|n| n.probe).collect();
        for p in probes {
            // Not `finish`: that would send waiting queries to the servers about to go.
            self.discard(p);
        }
        let servers = std::mem::take(&mut self.ns);
        for mut n in servers {
            n.io.del();
            n.probe_timer.del();
            n.vc_idle.del();
            drop(n.vc.take());
            // SAFETY: the socket is the nameserver's own; its event is gone.
            unsafe { libc::close(n.socket) };
        }
        self.head = 0;
        self.good = 0;
        let mut moved: Vec<u32> = self.queries.iter().filter(|(_, q)| q.inflight).map(|(&id, _)| id).collect();
        moved.sort_unstable();
        for &id in moved.iter().rev() {
            let q = self.queries.get_mut(&id).expect("listed above");
            q.timer.del();
            q.inflight = false;
            q.ns = None;
            q.tx_count = 0;
            q.reissue_count = 0;
            q.transmit_me = false;
            q.tcp = q.flags & QUERY_USEVC != 0;
            q.via_tc = false;
            q.tcp_failed = false;
            self.waiting.push_front(id);
        }
        self.by_trans.clear();
        self.inflight = 0;
    }

    pub fn resume(&mut self) {
        self.pump();
    }

    /// Marks a nameserver down, arms its probe timer, and moves its queries not yet sent to
    /// another server.
    fn ns_failed(&mut self, id: u32, why: &str) {
        let Some(i) = self.ns_index(id) else { return };
        if !self.ns[i].up {
            return;
        }
        self.log.push(log::MSG, format!("Nameserver {} has failed: {why}", self.ns[i].addr.text()));
        self.good -= 1;
        if self.good == 0 {
            self.log.push(log::MSG, "All nameservers have failed".into());
        }
        let n = &mut self.ns[i];
        n.up = false;
        n.failed_times = 1;
        if !n.probe_timer.add(Some(self.opts.probe_initial)) {
            let t = n.addr.text();
            self.log.push(log::WARN, format!("Error from libevent when adding timer event for {t}"));
        }
        if self.good == 0 {
            return;
        }
        let unsent: Vec<u32> = self
            .queries
            .iter()
            .filter(|(_, q)| q.inflight && q.tx_count == 0 && q.ns == Some(id))
            .map(|(&k, _)| k)
            .collect();
        for q in unsent {
            let to = self.pick();
            self.swap_ns(q, to);
        }
    }

    fn ns_up(&mut self, id: u32) {
        let Some(i) = self.ns_index(id) else { return };
        if self.ns[i].up {
            return;
        }
        self.log.push(log::MSG, format!("Nameserver {} is back up", self.ns[i].addr.text()));
        self.ns[i].probe_timer.del();
        if let Some(p) = self.ns[i].probe.take() {
            self.finish(p);
        }
        let n = &mut self.ns[i];
        n.up = true;
        n.failed_times = 0;
        n.timedout = 0;
        self.good += 1;
    }

    fn send_probe(&mut self, id: u32) {
        let Some(i) = self.ns_index(id) else { return };
        if self.ns[i].probe.is_some() {
            return;
        }
        self.log.debug(|| format!("Sending probe to {}", self.ns[i].addr.text()));
        let Some(q) = self.new_query(Owner::Probe { ns: id }, wire::TYPE_A, PROBE_NAME) else { return };
        self.ns[i].probe = Some(q);
        // A probe goes to its server now, whatever the limit on queries in flight.
        self.make_inflight(q, id);
        self.transmit(q);
    }

    fn probe_done(&mut self, id: u32, result: c_int) {
        let Some(i) = self.ns_index(id) else { return };
        self.ns[i].probe = None;
        if result == ERR_NONE || result == ERR_NOTEXIST {
            self.ns_up(id);
            return;
        }
        let n = &mut self.ns[i];
        n.probe_timer.del();
        if n.up {
            return;
        }
        let (factor, max) = (self.opts.probe_backoff, self.opts.max_probe_timeout);
        let mut t = self.opts.probe_initial;
        let mut k = n.failed_times;
        while k > 0 && t < max {
            t = t.saturating_mul(factor);
            k -= 1;
        }
        n.failed_times += 1;
        n.probe_timer.add(Some(t.min(max)));
    }

    fn set_reading(&mut self, i: usize, on: bool) {
        let n = &mut self.ns[i];
        if n.reading == on {
            return;
        }
        n.reading = on;
        if on {
            n.io.add(None);
        } else {
            n.io.del();
            n.probe_timer.del();
        }
    }

    fn set_writing(&mut self, i: usize, on: bool) {
        let (base, arg) = (self.event_base, self.arg());
        let n = &mut self.ns[i];
        if n.writing == on {
            return;
        }
        n.writing = on;
        let what = EV_READ | EV_PERSIST | if on { EV_WRITE } else { 0 };
        // SAFETY: same base and argument as when the event was made.
        unsafe { n.io.reassign(base, n.socket, what, nameserver_io_cb, arg) };
        if n.reading || on {
            n.io.add(None);
        }
    }

    // ---- queries ------------------------------------------------------------------------

    /// A query with its packet built, placed nowhere yet. `None` when the name cannot be sent
    /// (256 characters or more, a label over 63).
    fn new_query(&mut self, owner: Owner, qtype: u16, name: &[u8]) -> Option<u32> {
        let packet = self.build_packet(name, qtype)?;
        let id = self.key();
        // SAFETY: the timer points to this base, which outlives it.
        let timer = unsafe { OwnedEvent::new(self.event_base, id as c_int, 0, query_timeout_cb, self.arg()) };
        self.queries.insert(
            id,
            Query {
                owner,
                qtype,
                name: name.to_vec(),
                packet,
                trans_id: 0,
                ns: None,
                inflight: false,
                tx_count: 0,
                reissue_count: 0,
                transmit_me: false,
                timer,
                search: None,
                want_cname: false,
                flags: 0,
                tcp: false,
                via_tc: false,
                tcp_failed: false,
                canon: None,
            },
        );
        Some(id)
    }

    fn build_packet(&self, name: &[u8], qtype: u16) -> Option<Vec<u8>> {
        if name.len() > wire::MAX_NAME {
            return None;
        }
        let mut sent = name.to_vec();
        if self.opts.randomize_case {
            // The 0x20 trick: a reply must echo our random mix of cases.
            let mut bits = vec![0u8; sent.len().div_ceil(8)];
            rng::get_bytes(&mut bits);
            for (i, c) in sent.iter_mut().enumerate() {
                if c.is_ascii_alphabetic() {
                    *c =
                        if bits[i / 8] & (1 << (i % 8)) != 0 { c.to_ascii_lowercase() } else { c.to_ascii_uppercase() };
                }
            }
        }
        let mut packet = wire::build_query(0, &sent, qtype).ok()?;
        if let Some(size) = self.opts.udp_size {
            wire::add_opt(&mut packet, size);
        }
        Some(packet)
    }

    /// Records a lookup's flags on its query (before it is submitted).
    fn set_query_flags(&mut self, id: u32, flags: c_int) {
        if let Some(q) = self.queries.get_mut(&id) {
            q.flags = flags;
            q.tcp = flags & QUERY_USEVC != 0;
        }
    }

    fn pick_trans_id(&self) -> u16 {
        loop {
            let mut b = [0u8; 2];
            rng::get_bytes(&mut b);
            let id = u16::from_ne_bytes(b);
            if id != 0xffff && !self.by_trans.contains_key(&id) {
                return id;
            }
        }
    }

    /// A lookup with the search list (unless `flags` says not to).
    pub fn start_lookup(&mut self, owner: Owner, qtype: u16, name: &[u8], flags: c_int) -> Option<u32> {
        let list = match &self.search {
            Some(l) if flags & QUERY_NO_SEARCH == 0 && !l.domains.is_empty() => l.clone(),
            _ => return self.start_plain(owner, qtype, name, flags),
        };
        let (first, index) =
            if dots(name) >= list.ndots { (name.to_vec(), -1) } else { (with_domain(name, &list.domains[0])?, 0) };
        let id = self.new_query(owner, qtype, &first)?;
        self.queries.get_mut(&id).expect("just made").search = Some(Search { list, orig: name.to_vec(), index });
        self.set_query_flags(id, flags);
        self.submit(id);
        Some(id)
    }

    /// A lookup of exactly this name.
    pub fn start_plain(&mut self, owner: Owner, qtype: u16, name: &[u8], flags: c_int) -> Option<u32> {
        let id = self.new_query(owner, qtype, name)?;
        self.set_query_flags(id, flags);
        self.submit(id);
        Some(id)
    }

    pub fn set_want_cname(&mut self, id: u32) {
        if let Some(q) = self.queries.get_mut(&id) {
            q.want_cname = true;
        }
    }

    /// Sends the query now if there is room in flight and a nameserver, else queues it. (Only
    /// a query leaving the queue, in `pump`, sends the others that wait to be sent again.)
    fn submit(&mut self, id: u32) {
        if self.inflight < self.opts.max_inflight {
            if let Some(ns) = self.pick() {
                self.make_inflight(id, ns);
                self.transmit(id);
                return;
            }
        }
        self.waiting.push_back(id);
    }

    fn make_inflight(&mut self, id: u32, ns: u32) {
        let tid = self.pick_trans_id();
        let q = self.queries.get_mut(&id).expect("live query");
        q.trans_id = tid;
        wire::set_id(&mut q.packet, tid);
        q.inflight = true;
        q.ns = Some(ns);
        self.by_trans.insert(tid, id);
        self.inflight += 1;
        if let Some(i) = self.ns_index(ns) {
            self.ns[i].inflight += 1;
            if self.ns[i].inflight == 1 && self.disable_when_inactive {
                self.set_reading(i, true);
            }
        }
    }

    /// Moves waiting queries in flight while there is room and a nameserver. After each, as
    /// libevent does, every query in flight that waits to be sent (held back by a full socket,
    /// or given to another server after a refusal) is sent, its timeout started afresh: so a
    /// lookup ending (cancelled, answered) that lets a queued one go also sends those.
    fn pump(&mut self) {
        while self.inflight < self.opts.max_inflight && !self.waiting.is_empty() {
            let Some(ns) = self.pick() else { return };
            let id = self.waiting.pop_front().expect("not empty");
            self.make_inflight(id, ns);
            self.transmit(id);
            self.transmit_pending();
        }
    }

    /// Sends a query to its nameserver and arms its timeout. A send that would block waits
    /// for the socket to be writable; a failed one counts as sent (the timeout will retry).
    fn transmit(&mut self, id: u32) {
        let Some(q) = self.queries.get_mut(&id) else { return };
        q.transmit_me = true;
        let Some(ns) = q.ns else { return };
        let tcp = q.tcp;
        let Some(i) = self.ns_index(ns) else { return };
        if tcp {
            let q = &self.queries[&id];
            let mut framed = Vec::with_capacity(q.packet.len() + 2);
            framed.extend_from_slice(&(q.packet.len() as u16).to_be_bytes());
            framed.extend_from_slice(&q.packet);
            let sent = self.vc_send(i, &framed);
            let timeout = if sent { self.opts.timeout } else { 0 };
            let q = self.queries.get_mut(&id).expect("still live");
            q.tcp_failed = !sent;
            q.timer.add(Some(timeout));
            q.tx_count += 1;
            q.transmit_me = false;
            self.ns[i].vc_idle.del();
            return;
        }
        if self.ns[i].choked {
            return;
        }
        let q = &self.queries[&id];
        let n = &self.ns[i];
        // SAFETY: the packet and the address are complete and alive for the call.
        let r = unsafe {
            libc::sendto(n.socket, q.packet.as_ptr() as *const c_void, q.packet.len(), 0, n.addr.as_ptr(), n.addr.len)
        };
        let err = std::io::Error::last_os_error();
        if r < 0 && matches!(err.raw_os_error(), Some(libc::EAGAIN) | Some(libc::EINTR)) {
            self.ns[i].choked = true;
            self.set_writing(i, true);
            return;
        }
        if r < 0 {
            self.ns_failed(ns, &err.to_string_c());
        }
        let timeout = self.opts.timeout;
        let q = self.queries.get_mut(&id).expect("still live");
        self.log.debug(|| format!("Setting timeout for request {id}, sent to nameserver {ns}"));
        if !q.timer.add(Some(timeout)) {
            self.log.push(log::WARN, format!("Error from libevent when adding timer for request {id}"));
        }
        q.tx_count += 1;
        q.transmit_me = false;
    }

    /// Sends the queries in flight that wait to be sent; whether anything was tried. Only
    /// those in flight are looked at (at most max-inflight and the probes), not the queue.
    fn transmit_pending(&mut self) -> bool {
        let mut due: Vec<u32> =
            self.by_trans.values().copied().filter(|k| self.queries.get(k).is_some_and(|q| q.transmit_me)).collect();
        due.sort_unstable();
        for &id in &due {
            self.transmit(id);
        }
        !due.is_empty()
    }

    fn swap_ns(&mut self, id: u32, to: Option<u32>) {
        let Some(q) = self.queries.get_mut(&id) else { return };
        let from = q.ns;
        if from == to || !q.inflight {
            return;
        }
        q.ns = to;
        for (ns, up) in [(from, false), (to, true)] {
            if let Some(i) = ns.and_then(|n| self.ns_index(n)) {
                if up {
                    self.ns[i].inflight += 1;
                    if self.disable_when_inactive {
                        self.set_reading(i, true);
                    }
                } else {
                    self.ns[i].inflight = self.ns[i].inflight.saturating_sub(1);
                }
            }
        }
    }

    /// Takes a query out of flight or out of the queue (its timer stopped).
    fn unplace(&mut self, id: u32) {
        let Some(q) = self.queries.get_mut(&id) else { return };
        q.timer.del();
        if q.inflight {
            q.inflight = false;
            let (tid, ns, tcp) = (q.trans_id, q.ns, q.tcp);
            self.by_trans.remove(&tid);
            self.inflight -= 1;
            if let Some(i) = ns.and_then(|n| self.ns_index(n)) {
                self.ns[i].inflight = self.ns[i].inflight.saturating_sub(1);
                if self.ns[i].inflight == 0 && self.disable_when_inactive {
                    self.set_reading(i, false);
                }
            }
            if let (true, Some(ns)) = (tcp, ns) {
                self.vc_maybe_idle(ns);
            }
        } else {
            self.waiting.retain(|&w| w != id);
        }
    }

    /// Removes a query, reporting nothing and leaving its room empty.
    fn discard(&mut self, id: u32) -> Option<Query> {
        self.unplace(id);
        self.queries.remove(&id)
    }

    /// Ends a query without reporting anything; the freed room goes to waiting queries.
    fn finish(&mut self, id: u32) -> Option<Query> {
        let q = self.discard(id)?;
        if let Owner::User { handle, .. } = q.owner {
            // SAFETY: the handle lives until its callback returns, which has not happened yet.
            unsafe { (*handle).done.store(true, Ordering::Release) };
        }
        self.pump();
        Some(q)
    }

    /// Ends a query and reports its result to whoever asked.
    fn complete(&mut self, id: u32, result: c_int, ttl: u32, answer: Option<Answer>) {
        let Some(q) = self.finish(id) else { return };
        match q.owner {
            Owner::User { cb, arg, handle } => match cb {
                Some(cb) => {
                    let canon = if result == ERR_NONE { q.canon } else { None };
                    let d = Delivery {
                        cb,
                        arg,
                        result,
                        kind: if answer.is_some() { kind_of(q.qtype) } else { 0 },
                        ttl,
                        data: answer,
                        handle,
                        canon,
                    };
                    self.deliver(d);
                }
                None => free_handle(handle),
            },
            Owner::Probe { ns } => {
                if result != ERR_CANCEL {
                    self.probe_done(ns, result);
                }
            }
            Owner::Gai { id: g, v6 } => getaddrinfo::on_result(self, g, v6, result, ttl, answer),
        }
    }

    fn deliver(&mut self, d: Delivery) {
        let raw = Box::into_raw(Box::new(d));
        // SAFETY: raw stays valid until run_delivery takes it back.
        if !unsafe { ev::defer(self.event_base, run_delivery, raw as *mut c_void) } {
            self.log.push(log::WARN, "evdns: could not schedule a callback".into());
            // SAFETY: not scheduled, so still ours.
            let d = unsafe { Box::from_raw(raw) };
            free_handle(d.handle);
        }
    }

    /// Drops a query no one will hear about (a getaddrinfo half no longer needed).
    pub fn drop_query(&mut self, id: u32) {
        self.finish(id);
    }

    /// Tries the next name of a search; false when there is none left.
    fn search_next(&mut self, id: u32) -> bool {
        let Some(q) = self.queries.get_mut(&id) else { return false };
        let Some(s) = q.search.as_mut() else { return false };
        s.index += 1;
        let next = if s.index as usize >= s.list.domains.len() {
            // All domains tried: the name alone, unless it was tried first.
            if dots(&s.orig) >= s.list.ndots {
                return false;
            }
            let name = std::mem::take(&mut s.orig);
            q.search = None;
            self.log.debug(|| format!("Search: trying raw query {}", String::from_utf8_lossy(&name)));
            name
        } else {
            let Some(name) = with_domain(&s.orig, &s.list.domains[s.index as usize]) else { return false };
            let i = s.index;
            self.log.debug(|| format!("Search: now trying {} ({i})", String::from_utf8_lossy(&name)));
            name
        };
        let qtype = q.qtype;
        let Some(packet) = self.build_packet(&next, qtype) else { return false };
        // libevent submits the next name while the last still counts in flight, then ends the
        // last: with no room then, the next name waits behind the queue, which moves on.
        let room = self.inflight < self.opts.max_inflight;
        self.unplace(id);
        let q = self.queries.get_mut(&id).expect("still live");
        q.packet = packet;
        q.name = next;
        q.tcp = q.flags & QUERY_USEVC != 0;
        q.via_tc = false;
        q.tcp_failed = false;
        q.canon = None;
        q.tx_count = 0;
        q.reissue_count = 0;
        q.transmit_me = false;
        q.ns = None;
        // Only the first name of a lookup may report its canonical name (as in libevent).
        q.want_cname = false;
        if room {
            self.submit(id);
        } else {
            self.waiting.push_back(id);
        }
        self.pump();
        true
    }

    fn on_timeout(&mut self, id: u32) {
        let Some(q) = self.queries.get_mut(&id) else { return };
        if q.tcp_failed {
            q.tcp_failed = false;
            if q.via_tc {
                // No TCP: the truncated answer's error, as without TCP.
                self.complete(id, ERR_TRUNCATED, 0, None);
                return;
            }
        }
        let q = &self.queries[&id];
        self.log.debug(|| format!("Request {id} timed out"));
        let (ns, tx) = (q.ns, q.tx_count);
        if tx >= self.opts.max_retransmits {
            self.log.debug(|| format!("Giving up on request {id}; tx_count=={tx}"));
            self.complete(id, ERR_TIMEOUT, 0, None);
            if let Some(ns) = ns {
                self.ns_failed(ns, "request timed out.");
            }
            return;
        }
        self.log.debug(|| format!("Retransmitting request {id}; tx_count=={tx}"));
        q.timer.del();
        // Every query moves on round-robin, a probe too (as in libevent: its retries may go to
        // another server, and its final timeout marks the last one it went to down).
        let to = self.pick();
        self.swap_ns(id, to);
        self.transmit(id);
        let Some(ns) = self.queries.get(&id).and_then(|q| q.ns) else { return };
        if let Some(i) = self.ns_index(ns) {
            self.ns[i].timedout += 1;
            if self.ns[i].timedout > self.opts.max_ns_timeouts {
                self.ns[i].timedout = 0;
                self.ns_failed(ns, "request timed out.");
            }
        }
    }

    /// Reads every datagram waiting on a nameserver's socket.
    fn on_readable(&mut self, fd: c_int) {
        let size = wire::MAX_PACKET.max(self.opts.udp_size.unwrap_or(0) as usize);
        let mut buf = vec![0u8; size];
        loop {
            let Some(i) = self.ns.iter().position(|n| n.socket == fd) else { return };
            // SAFETY: zeroed storage is a valid address buffer.
            let mut from: sockaddr_storage = unsafe { std::mem::zeroed() };
            let mut fromlen = size_of::<sockaddr_storage>() as socklen_t;
            // SAFETY: buf and from are writable for the sizes given.
            let r = unsafe {
                libc::recvfrom(
                    fd,
                    buf.as_mut_ptr() as *mut c_void,
                    buf.len(),
                    libc::MSG_DONTWAIT,
                    &mut from as *mut sockaddr_storage as *mut sockaddr,
                    &mut fromlen,
                )
            };
            if r < 0 {
                let err = std::io::Error::last_os_error();
                if !matches!(err.raw_os_error(), Some(libc::EAGAIN) | Some(libc::EINTR)) {
                    let id = self.ns[i].id;
                    self.ns_failed(id, &err.to_string_c());
                }
                return;
            }
            let src = RawAddr { ss: from, len: fromlen };
            if !src.same(&self.ns[i].addr, false) {
                self.log.push(
                    log::WARN,
                    format!("Address mismatch on received DNS packet.  Apparent source was {}", src.text()),
                );
                return;
            }
            self.ns[i].timedout = 0;
            self.handle_packet(&buf[..r as usize], None);
        }
    }

    fn on_writable(&mut self, fd: c_int) {
        let Some(i) = self.ns.iter().position(|n| n.socket == fd) else { return };
        self.ns[i].choked = false;
        if !self.transmit_pending() {
            if let Some(i) = self.ns.iter().position(|n| n.socket == fd) {
                self.set_writing(i, false);
            }
        }
    }

    /// A reply, read from UDP (`via` None) or from the TCP connection to nameserver `via`.
    fn handle_packet(&mut self, pkt: &[u8], via: Option<u32>) {
        let mut r = wire::Reader::new(pkt);
        let Some(h) = r.header() else { return };
        let Some(&id) = self.by_trans.get(&h.id) else { return };
        if h.flags & wire::FLAG_QR == 0 {
            return;
        }
        let q = &self.queries[&id];
        // An answer comes the way its query went (over TCP, from that server's connection).
        if q.tcp != via.is_some() || (via.is_some() && q.ns != via) {
            return;
        }
        let tc = h.flags & wire::FLAG_TC != 0;
        if tc && !q.tcp && q.flags & QUERY_IGNTC == 0 {
            self.retry_over_tcp(id);
            return;
        }
        let lenient = tc && q.flags & QUERY_IGNTC != 0;
        let owner = q.owner;
        let canon = q.flags & CNAME_CALLBACK != 0 && matches!(owner, Owner::User { .. });
        let want_cname = q.want_cname && getaddrinfo::wants_cname(self, owner);
        let sent = wire::Sent {
            query: &q.packet,
            qtype: q.qtype,
            exact_case: !self.opts.randomize_case,
            want_cname,
            canon,
            lenient,
        };
        let parsed = wire::parse_reply(pkt, &h, &sent);
        if let (Some(name), Owner::Gai { id: g, .. }) = (parsed.cname, owner) {
            getaddrinfo::note_cname(self, g, name);
        }
        if let Some(q) = self.queries.get_mut(&id) {
            q.canon = parsed.canon;
        }
        let mut flags = h.flags;
        if lenient && parsed.reply.as_ref().is_some_and(|r| r.answer.is_some()) {
            // DNS_QUERY_IGNTC: the records that arrived are the answer.
            flags &= !wire::FLAG_TC;
        }
        self.handle_reply(id, flags, parsed.reply);
    }

    /// A truncated UDP answer: the query goes again, over TCP, to the same nameserver.
    fn retry_over_tcp(&mut self, id: u32) {
        let Some(q) = self.queries.get_mut(&id) else { return };
        self.log.debug(|| format!("Truncated answer for request {id}: asking again over TCP"));
        q.timer.del();
        q.tcp = true;
        q.via_tc = true;
        q.tx_count = 0;
        self.transmit(id);
    }

    // ---- TCP connections to nameservers ------------------------------------------------

    /// Queues a framed message on the nameserver's connection, opening it if needed. False
    /// when no connection could be opened.
    fn vc_send(&mut self, i: usize, framed: &[u8]) -> bool {
        if self.ns[i].vc.is_none() && !self.vc_open(i) {
            return false;
        }
        let vc = self.ns[i].vc.as_mut().expect("open");
        vc.out.extend_from_slice(framed);
        self.vc_interest(i, true);
        true
    }

    fn vc_open(&mut self, i: usize) -> bool {
        let addr = self.ns[i].addr;
        // SAFETY: plain socket creation.
        let fd =
            unsafe { libc::socket(addr.family(), libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC, 0) };
        if fd < 0 {
            return false;
        }
        let mut vc = Vc { fd, io: None, connected: false, writing: false, out: Vec::new(), inbuf: Vec::new() };
        if let Some(out) = self.opts.outgoing {
            let mut local = out;
            local.set_port(0);
            // SAFETY: local is a complete address of local.len bytes. A failed bind leaves
            // the kernel to pick the source, as for any TCP connection.
            if !addr.is_loopback() && unsafe { libc::bind(fd, local.as_ptr(), local.len) } < 0 {
                self.log.push(log::WARN, "Couldn't bind the TCP connection to the outgoing address".into());
            }
        }
        // SAFETY: the nameserver's address is complete, of addr.len bytes.
        let r = unsafe { libc::connect(fd, addr.as_ptr(), addr.len) };
        if r < 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EINPROGRESS) {
            let t = addr.text();
            self.log.debug(|| format!("Could not connect to nameserver {t} over TCP"));
            return false;
        }
        vc.connected = r == 0;
        // SAFETY: the event points to this base, which outlives it (teardown removes it).
        vc.io = Some(unsafe { OwnedEvent::new(self.event_base, fd, EV_READ | EV_PERSIST, vc_io_cb, self.arg()) });
        self.ns[i].vc = Some(vc);
        let t = addr.text();
        self.log.debug(|| format!("Opened a TCP connection to nameserver {t}"));
        self.vc_interest(i, true);
        true
    }

    /// Watches the connection for reading, and for writing when `write`.
    fn vc_interest(&mut self, i: usize, write: bool) {
        let (base, arg) = (self.event_base, self.arg());
        let Some(vc) = self.ns[i].vc.as_mut() else { return };
        let Some(io) = vc.io.as_ref() else { return };
        if vc.writing == write && io.is_pending(EV_READ) {
            return;
        }
        vc.writing = write;
        let what = EV_READ | EV_PERSIST | if write { EV_WRITE } else { 0 };
        // SAFETY: same base and argument as when the event was made.
        unsafe { io.reassign(base, vc.fd, what, vc_io_cb, arg) };
        io.add(None);
    }

    fn vc_index(&self, fd: c_int) -> Option<usize> {
        self.ns.iter().position(|n| n.vc.as_ref().is_some_and(|v| v.fd == fd))
    }

    fn on_vc_event(&mut self, fd: c_int, what: c_short) {
        let Some(i) = self.vc_index(fd) else { return };
        if what & EV_WRITE != 0 && !self.vc_flush(i) {
            return;
        }
        if what & EV_READ != 0 {
            self.vc_read(i);
        }
    }

    /// Writes what is queued (the connection completed first); false when it failed.
    fn vc_flush(&mut self, i: usize) -> bool {
        let Some(vc) = self.ns[i].vc.as_mut() else { return false };
        if !vc.connected {
            let mut err: c_int = 0;
            let mut len = size_of::<c_int>() as socklen_t;
            // SAFETY: err is an int, passed with its size.
            let r = unsafe {
                libc::getsockopt(
                    vc.fd,
                    libc::SOL_SOCKET,
                    libc::SO_ERROR,
                    &mut err as *mut c_int as *mut c_void,
                    &mut len,
                )
            };
            if r < 0 || err != 0 {
                self.vc_fail(i, "could not connect");
                return false;
            }
            vc.connected = true;
        }
        while !vc.out.is_empty() {
            // SAFETY: out is readable for its length.
            let n = unsafe { libc::send(vc.fd, vc.out.as_ptr() as *const c_void, vc.out.len(), libc::MSG_NOSIGNAL) };
            if n < 0 {
                if matches!(std::io::Error::last_os_error().raw_os_error(), Some(libc::EAGAIN) | Some(libc::EINTR)) {
                    return true;
                }
                self.vc_fail(i, "write failed");
                return false;
            }
            vc.out.drain(..n as usize);
        }
        self.vc_interest(i, false);
        true
    }

    /// Reads what arrived and handles each complete message.
    fn vc_read(&mut self, i: usize) {
        let id = self.ns[i].id;
        let mut chunk = [0u8; 4096];
        loop {
            let Some(vc) = self.ns[i].vc.as_mut() else { return };
            // SAFETY: chunk is writable for its length.
            let n = unsafe { libc::recv(vc.fd, chunk.as_mut_ptr() as *mut c_void, chunk.len(), libc::MSG_DONTWAIT) };
            if n == 0 {
                self.vc_fail(i, "connection closed");
                return;
            }
            if n < 0 {
                if matches!(std::io::Error::last_os_error().raw_os_error(), Some(libc::EAGAIN) | Some(libc::EINTR)) {
                    break;
                }
                self.vc_fail(i, "read failed");
                return;
            }
            vc.inbuf.extend_from_slice(&chunk[..n as usize]);
            // Whole messages out of what arrived (a message may come in pieces).
            loop {
                let Some(vc) = self.ns[i].vc.as_mut() else { return };
                if vc.inbuf.len() < 2 {
                    break;
                }
                let len = u16::from_be_bytes([vc.inbuf[0], vc.inbuf[1]]) as usize;
                if vc.inbuf.len() < 2 + len {
                    break;
                }
                let msg: Vec<u8> = vc.inbuf.drain(..2 + len).skip(2).collect();
                self.handle_packet(&msg, Some(id));
            }
        }
    }

    /// Closes the connection; its queries try again at once (their timers fire now).
    fn vc_fail(&mut self, i: usize, why: &str) {
        let id = self.ns[i].id;
        let t = self.ns[i].addr.text();
        self.log.debug(|| format!("TCP connection to nameserver {t}: {why}"));
        drop(self.ns[i].vc.take());
        self.ns[i].vc_idle.del();
        for q in self.queries.values_mut() {
            if q.tcp && q.inflight && q.ns == Some(id) && q.tx_count > 0 {
                q.tcp_failed = true;
                q.timer.add(Some(0));
            }
        }
    }

    /// Arms the idle timer when no query is left on the nameserver's connection.
    fn vc_maybe_idle(&mut self, ns: u32) {
        let Some(i) = self.ns_index(ns) else { return };
        if self.ns[i].vc.is_none() {
            return;
        }
        if !self.queries.values().any(|q| q.tcp && q.inflight && q.ns == Some(ns)) {
            self.ns[i].vc_idle.add(Some(VC_IDLE_TIMEOUT));
        }
    }

    fn on_vc_idle(&mut self, ns: u32) {
        let Some(i) = self.ns_index(ns) else { return };
        if self.queries.values().any(|q| q.tcp && q.inflight && q.ns == Some(ns)) {
            return;
        }
        let t = self.ns[i].addr.text();
        self.log.debug(|| format!("Closing the idle TCP connection to nameserver {t}"));
        drop(self.ns[i].vc.take());
    }

    fn handle_reply(&mut self, id: u32, flags: u16, reply: Option<wire::Reply>) {
        let parsed = reply.is_some();
        let (ttl, answer) = match reply {
            Some(r) => (r.ttl, r.answer),
            None => (0, None),
        };
        let (ns, reissue_count) = {
            let q = &self.queries[&id];
            (q.ns, q.reissue_count)
        };
        if flags & (wire::FLAG_TC | wire::RCODE_MASK) == 0 && answer.is_some() {
            self.forget_probe(id);
            self.complete(id, ERR_NONE, ttl, answer);
            if let Some(ns) = ns {
                self.ns_up(ns);
            }
            return;
        }
        let rcode = (flags & wire::RCODE_MASK) as c_int;
        let error = if flags & wire::FLAG_TC != 0 {
            ERR_TRUNCATED
        } else if rcode != 0 {
            if rcode <= 5 {
                rcode
            } else {
                ERR_UNKNOWN
            }
        } else if parsed {
            ERR_NODATA
        } else {
            ERR_UNKNOWN
        };
        match error {
            ERR_NOTIMPL | ERR_REFUSED => {
                // A server that refuses is treated as broken: try another once.
                if reissue_count < self.opts.max_reissues {
                    if let Some(ns) = ns {
                        self.ns_failed(
                            ns,
                            &format!("Bad response {error} ({})", err_to_string(error).to_string_lossy()),
                        );
                    }
                    if self.reissue(id) {
                        return;
                    }
                }
            }
            ERR_SERVERFAILED => {
                // Some servers say SERVFAIL for "confused by this query": retry as for a timeout.
                if let Some(i) = ns.and_then(|n| self.ns_index(n)) {
                    let t = self.ns[i].addr.text();
                    self.log.debug(|| {
                        format!("Got a SERVERFAILED from nameserver at {t}; will allow the request to time out.")
                    });
                }
                self.on_timeout(id);
                return;
            }
            _ => {
                // Any other answer shows the server is working.
                self.forget_probe(id);
                if let Some(ns) = ns {
                    self.ns_up(ns);
                }
            }
        }
        let q = &self.queries[&id];
        if q.search.is_some() && q.qtype != wire::TYPE_PTR && self.search_next(id) {
            return;
        }
        self.complete(id, error, ttl, None);
    }

    /// When the query is its server's probe, the server no longer waits for it (so marking the
    /// server up does not cancel the query being answered).
    fn forget_probe(&mut self, id: u32) {
        if let Some(Query { owner: Owner::Probe { ns }, .. }) = self.queries.get(&id) {
            if let Some(i) = self.ns_index(*ns) {
                if self.ns[i].probe == Some(id) {
                    self.ns[i].probe = None;
                }
            }
        }
    }

    /// Gives the query to another nameserver after a refusal; false when there is no other.
    /// As in libevent it is not sent at once: it waits, its timeout still running, for the
    /// next send of queued queries (`pump`), a writable socket, or that timeout (which sends
    /// it to the server picked then).
    fn reissue(&mut self, id: u32) -> bool {
        let last = self.queries[&id].ns;
        let to = self.pick();
        self.swap_ns(id, to);
        if to == last {
            return false;
        }
        let q = self.queries.get_mut(&id).expect("live");
        q.reissue_count += 1;
        q.tx_count = 0;
        q.transmit_me = true;
        true
    }

    // ---- options, search list, hosts ---------------------------------------------------

    /// One option, as evdns_base_set_option() and resolv.conf's "options" set it: -1 for a
    /// malformed value; 0 otherwise, including for unknown names and for options that the
    /// parsing `flags` leave alone.
    pub fn set_option(&mut self, name: &[u8], val: &[u8], flags: c_int) -> c_int {
        let is = |opt: &[u8]| config::option_matches(name, opt);
        let text = String::from_utf8_lossy(val).into_owned();
        if is(b"ndots:") {
            let n = config::int_value(val);
            if n == -1 {
                return -1;
            }
            if flags & OPTION_SEARCH == 0 {
                return 0;
            }
            self.log.debug(|| format!("Setting ndots to {n}"));
            Arc::make_mut(self.search.get_or_insert_with(Default::default)).ndots = n;
        } else if is(b"timeout:") {
            let Some(t) = config::seconds_value(val) else { return -1 };
            if flags & OPTION_MISC == 0 {
                return 0;
            }
            self.log.debug(|| format!("Setting timeout to {text}"));
            self.opts.timeout = t;
        } else if is(b"getaddrinfo-allow-skew:") {
            let Some(t) = config::seconds_value(val) else { return -1 };
            if flags & OPTION_MISC == 0 {
                return 0;
            }
            self.log.debug(|| format!("Setting getaddrinfo-allow-skew to {text}"));
            self.opts.allow_skew = t;
        } else if is(b"max-timeouts:") {
            let n = config::int_value_clipped(val, 1, 255);
            if n == -1 {
                return -1;
            }
            if flags & OPTION_MISC == 0 {
                return 0;
            }
            self.log.debug(|| format!("Setting maximum allowed timeouts to {n}"));
            self.opts.max_ns_timeouts = n;
        } else if is(b"max-inflight:") {
            let n = config::int_value_clipped(val, 1, 65000);
            if n == -1 {
                return -1;
            }
            if flags & OPTION_MISC == 0 {
                return 0;
            }
            self.log.debug(|| format!("Setting maximum inflight requests to {n}"));
            self.opts.max_inflight = n;
        } else if is(b"attempts:") {
            let n = config::int_value(val);
            if n == -1 {
                return -1;
            }
            if flags & OPTION_MISC == 0 {
                return 0;
            }
            let n = n.min(255);
            self.log.debug(|| format!("Setting retries to {n}"));
            self.opts.max_retransmits = n;
        } else if is(b"randomize-case:") {
            let n = config::int_value(val);
            if n == -1 {
                return -1;
            }
            if flags & OPTION_MISC == 0 {
                return 0;
            }
            self.opts.randomize_case = n != 0;
        } else if is(b"bind-to:") {
            // Applies to nameservers added afterwards, as in libevent.
            if flags & OPTION_NAMESERVERS == 0 {
                return 0;
            }
            let Some(sa) = addr::parse_sockaddr_port(val) else { return -1 };
            self.opts.outgoing = Some(RawAddr::from_sockaddr(&sa));
        } else if is(b"initial-probe-timeout:") {
            let Some(t) = config::seconds_value(val) else { return -1 };
            let t = if t > MAX_PROBE_TIMEOUT { MAX_PROBE_TIMEOUT + t % 1_000_000 } else { t };
            if flags & OPTION_MISC == 0 {
                return 0;
            }
            self.log.debug(|| format!("Setting initial probe timeout to {text}"));
            self.opts.probe_initial = t;
        } else if is(b"udp-size:") {
            // libevent 2.2: an EDNS0 payload size, 512 to 65535 bytes.
            let n = config::int_value(val);
            if n == -1 {
                return -1;
            }
            if flags & OPTION_MISC == 0 {
                return 0;
            }
            let n = n.clamp(wire::MAX_UDP_REPLY as i32, 65535);
            self.log.debug(|| format!("Setting udp-size to {n}"));
            self.opts.udp_size = Some(n as u16);
        } else if is(b"probe-backoff-factor:") {
            // libevent 2.2: how much longer each probe of a failed nameserver waits.
            let n = config::int_value(val);
            if n < 1 {
                return -1;
            }
            if flags & OPTION_MISC == 0 {
                return 0;
            }
            self.log.debug(|| format!("Setting probe-backoff-factor to {n}"));
            self.opts.probe_backoff = n.min(1000) as i64;
        } else if is(b"max-probe-timeout:") {
            // libevent 2.2: the longest wait between probes.
            let Some(t) = config::seconds_value(val) else { return -1 };
            if flags & OPTION_MISC == 0 {
                return 0;
            }
            self.log.debug(|| format!("Setting max-probe-timeout to {text}"));
            self.opts.max_probe_timeout = t;
        } else if is(b"so-rcvbuf:") || is(b"so-sndbuf:") {
            let n = config::int_value(val);
            if n == -1 {
                return -1;
            }
            if flags & OPTION_MISC == 0 {
                return 0;
            }
            if is(b"so-rcvbuf:") {
                self.log.debug(|| format!("Setting SO_RCVBUF to {text}"));
                self.opts.so_rcvbuf = n;
            } else {
                self.log.debug(|| format!("Setting SO_SNDBUF to {text}"));
                self.opts.so_sndbuf = n;
            }
        }
        0
    }

    /// The search list emptied, and ndots back to 1.
    pub fn search_clear(&mut self) {
        self.search = Some(Arc::new(SearchList::default()));
    }

    /// Adds a domain (leading dots dropped) in front of the search list, as libevent does.
    pub fn search_add(&mut self, domain: &[u8]) {
        let start = domain.iter().position(|&b| b != b'.').unwrap_or(domain.len());
        let list = Arc::make_mut(self.search.get_or_insert_with(Default::default));
        list.domains.insert(0, domain[start..].to_vec());
    }

    pub fn search_ndots(&mut self, ndots: i32) {
        Arc::make_mut(self.search.get_or_insert_with(Default::default)).ndots = ndots;
    }

    fn search_from_hostname(&mut self) {
        self.search_clear();
        let mut buf = [0u8; 256];
        // SAFETY: buf is writable for its length.
        if unsafe { libc::gethostname(buf.as_mut_ptr() as *mut c_char, buf.len()) } != 0 {
            return;
        }
        let host = config::until_nul(&buf);
        if let Some(dot) = host.iter().position(|&b| b == b'.') {
            let domain = host[dot..].to_vec();
            self.search_add(&domain);
        }
    }

    /// evdns_base_resolv_conf_parse: 0, or 1 (no file: defaults used), 2 (unreadable), 6 (no
    /// nameserver in the file: 127.0.0.1 added).
    pub fn resolv_conf_parse(&mut self, flags: c_int, file: Option<&CStr>) -> c_int {
        let shown = file.map_or("(null)".into(), |f| f.to_string_lossy().into_owned());
        self.log.debug(|| format!("Parsing resolv.conf file {shown}"));
        let add_default = flags & OPTION_NAMESERVERS != 0 && flags & OPTION_NAMESERVERS_NO_DEFAULT == 0;
        if flags & OPTION_HOSTSFILE != 0 {
            self.load_hosts(Some(c"/etc/hosts"));
        }
        let text = match file.map(read_file) {
            Some(Ok(t)) => t,
            Some(Err(ReadError::Missing)) | None => {
                if flags & OPTION_SEARCH != 0 {
                    self.search_from_hostname();
                }
                if add_default {
                    self.add_nameserver_text(b"127.0.0.1");
                }
                return 1;
            }
            Some(Err(ReadError::Unreadable)) => return 2,
        };
        for line in config::resolv_lines(&text) {
            match line {
                ResolvLine::Nameserver(a) if flags & OPTION_NAMESERVERS != 0 => {
                    self.add_nameserver_text(a);
                }
                ResolvLine::Domain(d) if flags & OPTION_SEARCH != 0 => {
                    self.search_clear();
                    self.search_add(d);
                }
                ResolvLine::Search(list) if flags & OPTION_SEARCH != 0 => {
                    self.search_clear();
                    for d in list.iter().rev() {
                        self.search_add(d);
                    }
                }
                ResolvLine::Options(opts) => {
                    for (name, val) in opts {
                        self.set_option(name, val, flags);
                    }
                }
                _ => {}
            }
        }
        let mut err = 0;
        if self.ns.is_empty() && add_default {
            self.add_nameserver_text(b"127.0.0.1");
            err = 6;
        }
        if flags & OPTION_SEARCH != 0 && self.search.as_ref().is_none_or(|s| s.domains.is_empty()) {
            self.search_from_hostname();
        }
        err
    }

    /// evdns_base_load_hosts: adds the file's entries; without a file (or when it cannot be
    /// read), entries for localhost. 0, or -1 when the file could not be read.
    pub fn load_hosts(&mut self, file: Option<&CStr>) -> c_int {
        match file.map(read_file) {
            Some(Ok(text)) => {
                for (addr, name) in config::hosts_file(&text) {
                    self.hosts.push(HostEntry { name, addr });
                }
                0
            }
            other => {
                for (a, n) in config::hosts_file(b"127.0.0.1 localhost\n::1 localhost") {
                    self.hosts.push(HostEntry { name: n, addr: a });
                }
                if other.is_some() {
                    -1
                } else {
                    0
                }
            }
        }
    }

    pub fn clear_hosts(&mut self) {
        self.hosts.clear();
    }

    /// The addresses the hosts entries give `name` (case ignored), in file order; `None` when
    /// no entry names it.
    pub fn hosts_lookup(&self, name: &[u8]) -> Option<Vec<SockAddr>> {
        let found: Vec<SockAddr> =
            self.hosts.iter().filter(|e| e.name.eq_ignore_ascii_case(name)).map(|e| e.addr).collect();
        (!found.is_empty()).then_some(found)
    }

    // ---- teardown ----------------------------------------------------------------------

    /// Empties the base for evdns_base_free: returns its events (to be removed with no lock
    /// held) and its sockets (to be closed after).
    fn teardown(&mut self, fail: bool) -> (Vec<OwnedEvent>, Vec<c_int>) {
        let mut events = Vec::new();
        let mut order: Vec<u32> = self.waiting.iter().copied().collect();
        let queued: std::collections::HashSet<u32> = order.iter().copied().collect();
        let mut rest: Vec<u32> = self.queries.keys().copied().filter(|k| !queued.contains(k)).collect();
        rest.sort_unstable();
        order.extend(rest);
        self.waiting.clear();
        self.by_trans.clear();
        self.inflight = 0;
        for id in order {
            let Some(q) = self.queries.remove(&id) else { continue };
            if let Owner::User { cb, arg, handle } = q.owner {
                // SAFETY: the handle is alive until its callback returns.
                unsafe { (*handle).done.store(true, Ordering::Release) };
                match (fail, cb) {
                    (true, Some(cb)) => self.deliver(Delivery {
                        cb,
                        arg,
                        result: ERR_SHUTDOWN,
                        kind: 0,
                        ttl: 0,
                        data: None,
                        handle,
                        canon: None,
                    }),
                    _ => free_handle(handle),
                }
            }
            events.push(q.timer);
        }
        events.extend(getaddrinfo::teardown(self, fail));
        let mut sockets = Vec::new();
        for mut n in std::mem::take(&mut self.ns) {
            events.push(n.io);
            events.push(n.probe_timer);
            events.push(n.vc_idle);
            sockets.push(n.socket);
            if let Some(mut vc) = n.vc.take() {
                events.extend(vc.io.take());
                sockets.push(std::mem::replace(&mut vc.fd, -1));
            }
        }
        self.cache.clear();
        self.good = 0;
        self.search = None;
        self.hosts.clear();
        (events, sockets)
    }
}

enum ReadError {
    Missing,
    Unreadable,
}

fn read_file(path: &CStr) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    use std::os::unix::ffi::OsStrExt;
    let p = std::ffi::OsStr::from_bytes(path.to_bytes());
    let mut f = std::fs::File::open(p).map_err(|_| ReadError::Missing)?;
    let mut text = Vec::new();
    f.read_to_end(&mut text).map_err(|_| ReadError::Unreadable)?;
    Ok(text)
}

trait CText {
    fn to_string_c(&self) -> String;
}

impl CText for std::io::Error {
    /// The C library's text for the error (strerror), as libevent's messages carry it.
    fn to_string_c(&self) -> String {
        let code = self.raw_os_error().unwrap_or(0);
        // SAFETY: strerror returns a valid static or thread-local C string.
        unsafe { CStr::from_ptr(libc::strerror(code)) }.to_string_lossy().into_owned()
    }
}

// ---- the reactor's callbacks ------------------------------------------------------------

/// # Safety
/// `arg` is the DnsBase that made the event, alive while the event is pending.
unsafe fn base_of<'a>(arg: *mut c_void) -> &'a DnsBase {
    &*(arg as *const DnsBase)
}

/// # Safety (for the three callbacks below)
/// Run by the reactor; `arg` is the DnsBase that made the event, alive while it is pending.
unsafe extern "C" fn nameserver_io_cb(fd: c_int, what: c_short, arg: *mut c_void) {
    base_of(arg).with(|s| {
        if what & EV_WRITE != 0 {
            s.on_writable(fd);
        }
        if what & EV_READ != 0 {
            s.on_readable(fd);
        }
    });
}

unsafe extern "C" fn query_timeout_cb(key: c_int, _what: c_short, arg: *mut c_void) {
    base_of(arg).with(|s| s.on_timeout(key as u32));
}

unsafe extern "C" fn probe_timer_cb(key: c_int, _what: c_short, arg: *mut c_void) {
    base_of(arg).with(|s| s.send_probe(key as u32));
}

unsafe extern "C" fn vc_io_cb(fd: c_int, what: c_short, arg: *mut c_void) {
    base_of(arg).with(|s| s.on_vc_event(fd, what));
}

unsafe extern "C" fn vc_idle_cb(key: c_int, _what: c_short, arg: *mut c_void) {
    base_of(arg).with(|s| s.on_vc_idle(key as u32));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_names() {
        assert_eq!(with_domain(b"www", b"a.b").unwrap(), b"www.a.b");
        assert_eq!(with_domain(b"www.", b"a.b").unwrap(), b"www.a.b");
        assert!(with_domain(b"", b"a.b").is_none());
        assert_eq!(dots(b"a.b.c"), 2);
    }

    #[test]
    fn error_strings() {
        assert_eq!(err_to_string(ERR_TIMEOUT), c"request timed out");
        assert_eq!(err_to_string(1000), c"[Unknown error code]");
    }
}
