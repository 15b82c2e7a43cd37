//! evdns_getaddrinfo: numeric names and the hosts entries are answered at once, through the
//! callback, before the call returns; other names become an A and an AAAA lookup (as the
//! family asks), run side by side. When one half answers, the other gets `getaddrinfo-allow-
//! skew` more time; then whatever arrived is reported, IPv4 addresses first. Errors follow
//! libevent's mapping (NXDOMAIN is EAI_NONAME, an answer without addresses EAI_NODATA, any
//! other failure EAI_FAIL).
//!
//! The two halves report to this module directly, with the base's lock held (they are not the
//! program's callbacks); only the final result goes to the program, deferred, with no lock.
use super::ev::{self, OwnedEvent};
use super::log;
use super::resolver::{self, DnsBase, Owner, State};
use super::wire::{self, Answer};
use crate::core::mem;
use crate::util::addr::{self, SockAddr};
use crate::util::inet;
use libc::{addrinfo, c_char, c_int, c_short, c_void, socklen_t};
use std::ffi::CStr;
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};

pub const EAI_CANCEL: c_int = addr::EAI_CANCEL;
/// glibc's EAI_NODATA (declared only with _GNU_SOURCE), which libevent's build uses.
pub const EAI_NODATA: c_int = -5;

pub type GaiFn = unsafe extern "C" fn(c_int, *mut addrinfo, *mut c_void);

/// `struct evdns_getaddrinfo_request`: valid until its callback has returned.
pub struct GaiHandle {
    dns: *const DnsBase,
    id: u32,
    done: AtomicBool,
}

/// A lookup under way.
pub struct Gai {
    handle: *mut GaiHandle,
    cb: GaiFn,
    arg: *mut c_void,
    hints: addrinfo,
    port: u16,
    v4: Option<u32>,
    v6: Option<u32>,
    got4: Vec<SockAddr>,
    got6: Vec<SockAddr>,
    pending_error: c_int,
    cname: Option<Vec<u8>>,
    timer: OwnedEvent,
    /// The name asked (the cache's key), the smallest TTL of the answers, and the halves
    /// that answered (the families an entry written to the cache covers).
    name: Vec<u8>,
    ttl: u32,
    answered4: bool,
    answered6: bool,
}

/// What the numeric part of getaddrinfo found.
enum Numeric {
    Done(*mut addrinfo),
    Fail(c_int),
    /// A name to resolve, with the port found.
    Resolve(u16),
}

/// Fills in the socket type from the protocol and the other way round.
fn infer_protocols(h: &mut addrinfo) {
    if h.ai_protocol == 0 && h.ai_socktype != 0 {
        if h.ai_socktype == libc::SOCK_DGRAM {
            h.ai_protocol = libc::IPPROTO_UDP;
        } else if h.ai_socktype == libc::SOCK_STREAM {
            h.ai_protocol = libc::IPPROTO_TCP;
        }
    }
    if h.ai_socktype == 0 && h.ai_protocol != 0 {
        match h.ai_protocol {
            libc::IPPROTO_UDP => h.ai_socktype = libc::SOCK_DGRAM,
            libc::IPPROTO_TCP | libc::IPPROTO_SCTP => h.ai_socktype = libc::SOCK_STREAM,
            _ => {}
        }
    }
}

fn protocol_name(proto: c_int) -> Option<std::ffi::CString> {
    let known: Option<&CStr> = match proto {
        0 => return None,
        libc::IPPROTO_TCP => Some(c"tcp"),
        libc::IPPROTO_UDP => Some(c"udp"),
        libc::IPPROTO_SCTP => Some(c"sctp"),
        _ => None,
    };
    if let Some(k) = known {
        return Some(k.to_owned());
    }
    // SAFETY: getprotobynumber returns NULL or a valid entry (static storage).
    unsafe {
        let e = libc::getprotobynumber(proto);
        (!e.is_null() && !(*e).p_name.is_null()).then(|| CStr::from_ptr((*e).p_name).to_owned())
    }
}

/// A port: a decimal number 0..=65535 (as strtol reads it, then cut to an int), else a
/// service name unless AI_NUMERICSERV.
fn service_port(serv: &CStr, h: &addrinfo) -> Option<u16> {
    let text = serv.to_bytes();
    if let Some((v, end, _)) = crate::util::num::strtol(text, 10) {
        let n = v as i32;
        if (0..=65535).contains(&n) && !text.is_empty() && end == text.len() {
            return Some(n as u16);
        }
    }
    if h.ai_flags & libc::AI_NUMERICSERV == 0 {
        let proto = protocol_name(h.ai_protocol);
        // SAFETY: both are C strings (or NULL for any protocol); the entry is read at once.
        unsafe {
            let e = libc::getservbyname(serv.as_ptr(), proto.as_ref().map_or(ptr::null(), |p| p.as_ptr()));
            if !e.is_null() {
                return Some(u16::from_be((*e).s_port as u16));
            }
        }
    }
    None
}

fn v4(octets: [u8; 4], port: u16) -> SockAddr {
    // SAFETY: all-zero is a valid sockaddr_in.
    let mut s: libc::sockaddr_in = unsafe { std::mem::zeroed() };
    s.sin_family = libc::AF_INET as libc::sa_family_t;
    s.sin_port = port.to_be();
    s.sin_addr.s_addr = u32::from_ne_bytes(octets);
    SockAddr::V4(s)
}

fn v6(octets: [u8; 16], port: u16, scope: u32) -> SockAddr {
    // SAFETY: all-zero is a valid sockaddr_in6.
    let mut s: libc::sockaddr_in6 = unsafe { std::mem::zeroed() };
    s.sin6_family = libc::AF_INET6 as libc::sa_family_t;
    s.sin6_port = port.to_be();
    s.sin6_addr.s6_addr = octets;
    s.sin6_scope_id = scope;
    SockAddr::V6(s)
}

/// The result list for these addresses (each may give two entries, for TCP and UDP, when the
/// hints name no socket type). NULL for no address; `Err` when out of memory.
fn build_list(addrs: &[SockAddr], hints: &addrinfo) -> Result<*mut addrinfo, ()> {
    let mut head: *mut addrinfo = ptr::null_mut();
    for a in addrs {
        // SAFETY: a is a complete address of its length.
        let ai = unsafe { addr::new_addrinfo(a.as_ptr(), a.socklen() as socklen_t, hints) };
        if ai.is_null() {
            // SAFETY: head is a list we built.
            unsafe { addr::freeaddrinfo(head) };
            return Err(());
        }
        // SAFETY: both are lists we own.
        head = unsafe { addr::append_addrinfo(head, ai) };
    }
    Ok(head)
}

/// The result list for hosts-file addresses. As in libevent, the port is set on the first
/// entry made for each address only: when the hints name no socket type, the UDP entry that
/// follows the TCP one keeps port 0.
fn hosts_list(addrs: &[SockAddr], hints: &addrinfo, port: u16) -> Result<*mut addrinfo, ()> {
    let mut head: *mut addrinfo = ptr::null_mut();
    for a in addrs {
        let first = build_list(std::slice::from_ref(a), hints);
        let Ok(ai) = first else {
            // SAFETY: head is a list we built.
            unsafe { addr::freeaddrinfo(head) };
            return Err(());
        };
        // SAFETY: ai is a fresh non-empty list whose address block holds a complete `a`.
        unsafe {
            let sa = (*ai).ai_addr;
            match a {
                SockAddr::V4(_) => (*(sa as *mut libc::sockaddr_in)).sin_port = port.to_be(),
                SockAddr::V6(_) => (*(sa as *mut libc::sockaddr_in6)).sin6_port = port.to_be(),
            }
            head = addr::append_addrinfo(head, ai);
        }
    }
    Ok(head)
}

/// The part of getaddrinfo that needs no lookup: no name, or a numeric one.
fn numeric(node: Option<&[u8]>, serv: Option<&CStr>, h: &mut addrinfo) -> Numeric {
    if node.is_none() && serv.is_none() {
        return Numeric::Fail(libc::EAI_NONAME);
    }
    if ![libc::AF_UNSPEC, libc::AF_INET, libc::AF_INET6].contains(&h.ai_family) {
        return Numeric::Fail(libc::EAI_FAMILY);
    }
    infer_protocols(h);
    let port = match serv {
        Some(s) => match service_port(s, h) {
            Some(p) => p,
            None => return Numeric::Fail(libc::EAI_NONAME),
        },
        None => 0,
    };
    let passive = h.ai_flags & libc::AI_PASSIVE != 0;
    let Some(node) = node else {
        // No name: the "any" address to bind to, or loopback to connect to; IPv4 first.
        let mut addrs = Vec::new();
        if h.ai_family != libc::AF_INET6 {
            addrs.push(v4(if passive { [0; 4] } else { [127, 0, 0, 1] }, port));
        }
        if h.ai_family != libc::AF_INET {
            let mut a = [0u8; 16];
            if !passive {
                a[15] = 1;
            }
            addrs.push(v6(a, port, 0));
        }
        return match build_list(&addrs, h) {
            Ok(l) => Numeric::Done(l),
            Err(()) => Numeric::Fail(libc::EAI_MEMORY),
        };
    };
    let mut found = None;
    if h.ai_family != libc::AF_INET {
        if let (scoped, Some(a)) = inet::pton6_scoped(node, addr::interface_index) {
            if scoped.result == 1 {
                found = Some(v6(a, port, scoped.index));
            }
        }
    }
    if found.is_none() && h.ai_family != libc::AF_INET6 {
        found = inet::pton4(node).map(|a| v4(a, port));
    }
    if let Some(a) = found {
        return match build_list(&[a], h) {
            Ok(l) => Numeric::Done(l),
            Err(()) => Numeric::Fail(libc::EAI_MEMORY),
        };
    }
    if h.ai_flags & libc::AI_NUMERICHOST != 0 {
        return Numeric::Fail(libc::EAI_NONAME);
    }
    Numeric::Resolve(port)
}

/// With AI_ADDRCONFIG and no family, the family of the host's only kind of configured
/// address (loopback, link-local and similar addresses not counted).
fn adjust_for_addrconfig(h: &mut addrinfo) {
    if h.ai_flags & libc::AI_ADDRCONFIG == 0 || h.ai_family != libc::AF_UNSPEC {
        return;
    }
    let (mut has4, mut has6) = (false, false);
    let mut list: *mut libc::ifaddrs = ptr::null_mut();
    // SAFETY: getifaddrs fills list, freed below; each entry's address is NULL or complete.
    unsafe {
        if libc::getifaddrs(&mut list) != 0 {
            return;
        }
        let mut i = list;
        while !i.is_null() {
            let sa = (*i).ifa_addr;
            if !sa.is_null() {
                match (*sa).sa_family as c_int {
                    libc::AF_INET => {
                        let a = u32::from_be((*(sa as *const libc::sockaddr_in)).sin_addr.s_addr);
                        let local = a == 0 || a >> 24 == 127 || a >> 16 == 0xa9fe || a >> 28 == 0xe;
                        has4 |= !local;
                    }
                    libc::AF_INET6 => {
                        let a = (*(sa as *const libc::sockaddr_in6)).sin6_addr.s6_addr;
                        let local = a[..8] == [0; 8]
                            || a[0] & 0xfe == 0xfc
                            || (a[0] == 0xfe && a[1] & 0x80 == 0x80)
                            || a[0] == 0xff;
                        has6 |= !local;
                    }
                    _ => {}
                }
            }
            i = (*i).ifa_next;
        }
        libc::freeifaddrs(list);
    }
    if has4 && !has6 {
        h.ai_family = libc::AF_INET;
    } else if has6 && !has4 {
        h.ai_family = libc::AF_INET6;
    }
}

/// evdns_getaddrinfo. `dns` NULL means the deprecated global base.
///
/// # Safety
/// `node` and `serv` are NULL or C strings, `hints` NULL or a valid addrinfo, `dns` NULL or a
/// live base.
pub unsafe fn getaddrinfo(
    dns: *mut DnsBase,
    node: *const c_char,
    serv: *const c_char,
    hints: *const addrinfo,
    cb: GaiFn,
    arg: *mut c_void,
) -> *mut GaiHandle {
    let dns = if dns.is_null() { super::GLOBAL_BASE.load(Ordering::Acquire) } else { dns };
    if dns.is_null() {
        log::emit(log::WARN, "Call to getaddrinfo_async with no evdns_base configured.");
        cb(libc::EAI_FAIL, ptr::null_mut(), arg);
        return ptr::null_mut();
    }
    if !hints.is_null() && (*hints).ai_flags & libc::AI_NUMERICHOST != 0 {
        // Nothing to resolve: the C library answers (through evutil_getaddrinfo).
        let mut res = ptr::null_mut();
        let err = addr::getaddrinfo(node, serv, hints, &mut res);
        cb(err, res, arg);
        return ptr::null_mut();
    }
    let mut h: addrinfo = if hints.is_null() { std::mem::zeroed() } else { ptr::read(hints) };
    h.ai_addr = ptr::null_mut();
    h.ai_canonname = ptr::null_mut();
    h.ai_next = ptr::null_mut();
    adjust_for_addrconfig(&mut h);
    let node_text = (!node.is_null()).then(|| CStr::from_ptr(node).to_bytes());
    let serv_text = (!serv.is_null()).then(|| CStr::from_ptr(serv));
    let port = match numeric(node_text, serv_text, &mut h) {
        Numeric::Done(list) => {
            cb(0, list, arg);
            return ptr::null_mut();
        }
        Numeric::Fail(e) => {
            cb(e, ptr::null_mut(), arg);
            return ptr::null_mut();
        }
        Numeric::Resolve(p) => p,
    };
    let name = node_text.expect("a name to resolve");
    let d = &*dns;
    // The hosts entries answer, even with an empty list when they only have the other family.
    let from_hosts = d.with(|s| s.hosts_lookup(name)).map(|found| {
        let f = h.ai_family;
        let fitting: Vec<SockAddr> = found
            .into_iter()
            .filter(|a| !matches!((a, f), (SockAddr::V4(_), libc::AF_INET6) | (SockAddr::V6(_), libc::AF_INET)))
            .collect();
        hosts_list(&fitting, &h, port)
    });
    match from_hosts {
        Some(Ok(list)) => {
            cb(0, list, arg);
            return ptr::null_mut();
        }
        Some(Err(())) => {
            cb(libc::EAI_MEMORY, ptr::null_mut(), arg);
            return ptr::null_mut();
        }
        None => {}
    }
    // libevent 2.2's cache answers next, as the hosts entries do.
    match d.with(|s| from_cache(s, name, &h, port)) {
        Some(Ok(list)) => {
            cb(0, list, arg);
            return ptr::null_mut();
        }
        Some(Err(())) => {
            cb(libc::EAI_MEMORY, ptr::null_mut(), arg);
            return ptr::null_mut();
        }
        None => {}
    }
    let handle = Box::into_raw(Box::new(GaiHandle { dns, id: 0, done: AtomicBool::new(false) }));
    let started = d.with(|s| start(s, handle, name, &h, port, cb, arg));
    match started {
        Some(id) => {
            // SAFETY: the handle is not shared with the program yet; the lookup reads only
            // its address until it ends.
            (*handle).id = id;
            handle
        }
        None => {
            drop(Box::from_raw(handle));
            cb(libc::EAI_FAIL, ptr::null_mut(), arg);
            ptr::null_mut()
        }
    }
}

fn start(
    s: &mut State,
    handle: *mut GaiHandle,
    name: &[u8],
    h: &addrinfo,
    port: u16,
    cb: GaiFn,
    arg: *mut c_void,
) -> Option<u32> {
    let id = s.key();
    // SAFETY: the timer points to this base, which outlives it (teardown removes it).
    let timer = unsafe { OwnedEvent::new(s.event_base, id as c_int, 0, skew_timeout_cb, s.arg()) };
    s.gai.insert(
        id,
        Gai {
            handle,
            cb,
            arg,
            hints: *h,
            port,
            v4: None,
            v6: None,
            got4: Vec::new(),
            got6: Vec::new(),
            pending_error: 0,
            cname: None,
            timer,
            name: name.to_vec(),
            ttl: u32::MAX,
            answered4: false,
            answered6: false,
        },
    );
    let want_cname = h.ai_flags & libc::AI_CANONNAME != 0;
    let shown = String::from_utf8_lossy(name).into_owned();
    let mut halves = [None, None];
    for (i, (qtype, is_v6)) in [(wire::TYPE_A, false), (wire::TYPE_AAAA, true)].into_iter().enumerate() {
        let skip = if is_v6 { libc::AF_INET } else { libc::AF_INET6 };
        if h.ai_family == skip {
            continue;
        }
        s.log.debug(|| format!("Sending request for {shown} on ipv{} as {id}", if is_v6 { 6 } else { 4 }));
        halves[i] = s.start_lookup(Owner::Gai { id, v6: is_v6 }, qtype, name, 0);
        if let (Some(q), true) = (halves[i], want_cname) {
            s.set_want_cname(q);
        }
    }
    if halves == [None, None] {
        s.gai.remove(&id);
        return None;
    }
    let g = s.gai.get_mut(&id).expect("inserted above");
    g.v4 = halves[0];
    g.v6 = halves[1];
    Some(id)
}

/// Whether a half of this lookup should still read a CNAME target.
pub fn wants_cname(s: &State, owner: Owner) -> bool {
    matches!(owner, Owner::Gai { id, .. } if s.gai.get(&id).is_some_and(|g| g.cname.is_none()))
}

pub fn note_cname(s: &mut State, id: u32, name: Vec<u8>) {
    if let Some(g) = s.gai.get_mut(&id) {
        g.cname.get_or_insert(name);
    }
}

fn to_gai_error(result: c_int) -> c_int {
    match result {
        resolver::ERR_NONE => 0,
        resolver::ERR_NOTEXIST => libc::EAI_NONAME,
        _ => libc::EAI_FAIL,
    }
}

/// A half's result.
pub fn on_result(s: &mut State, id: u32, is_v6: bool, result: c_int, ttl: u32, answer: Option<Answer>) {
    let skew = s.opts.allow_skew;
    let Some(g) = s.gai.get_mut(&id) else { return };
    if result == resolver::ERR_NONE {
        g.ttl = g.ttl.min(ttl);
        if is_v6 {
            g.answered6 = true
        } else {
            g.answered4 = true
        };
    }
    if is_v6 {
        g.v6 = None
    } else {
        g.v4 = None
    };
    let other_pending = if is_v6 { g.v4.is_some() } else { g.v6.is_some() };
    let port = g.port;
    let addrs: Vec<SockAddr> = match answer {
        Some(Answer::A(l)) => l.into_iter().map(|a| v4(a, port)).collect(),
        Some(Answer::Aaaa(l)) => l.into_iter().map(|a| v6(a, port, 0)).collect(),
        _ => Vec::new(),
    };
    let err = if result == resolver::ERR_NONE && addrs.is_empty() { EAI_NODATA } else { to_gai_error(result) };
    if err != 0 {
        if other_pending {
            // The other half may still succeed: give it the skew time.
            g.pending_error = err;
            g.timer.add(Some(skew));
            return;
        }
        let outcome = if !g.got4.is_empty() || !g.got6.is_empty() { 0 } else { err };
        conclude(s, id, outcome);
        return;
    }
    if is_v6 {
        g.got6 = addrs
    } else {
        g.got4 = addrs
    };
    if other_pending {
        g.timer.add(Some(skew));
        return;
    }
    conclude(s, id, 0);
}

/// The skew time ran out: report what arrived, dropping the half still out.
fn on_skew_timeout(s: &mut State, id: u32) {
    let Some(g) = s.gai.get(&id) else { return };
    let outcome = if !g.got4.is_empty() || !g.got6.is_empty() {
        0
    } else if g.pending_error != 0 {
        g.pending_error
    } else {
        libc::EAI_AGAIN
    };
    conclude(s, id, outcome);
}

/// Ends the lookup with `outcome` (0: the addresses received), the callback deferred.
fn conclude(s: &mut State, id: u32, outcome: c_int) {
    if let Some(timer) = finish(s, id, Some(outcome)) {
        drop(timer);
    }
}

/// Removes the lookup; with an outcome, schedules the program's callback, else releases the
/// handle. Returns the lookup's timer (to be removed by the caller).
fn finish(s: &mut State, id: u32, outcome: Option<c_int>) -> Option<OwnedEvent> {
    let g = s.gai.remove(&id)?;
    g.timer.del();
    for q in [g.v4, g.v6].into_iter().flatten() {
        s.drop_query(q);
    }
    // SAFETY: the handle lives until the callback has returned.
    unsafe { (*g.handle).done.store(true, Ordering::Release) };
    let Some(mut result) = outcome else {
        // SAFETY: no callback will come: the handle is released now.
        drop(unsafe { Box::from_raw(g.handle) });
        return Some(g.timer);
    };
    let mut list = ptr::null_mut();
    if result == 0 {
        let mut all = g.got4.clone();
        all.extend_from_slice(&g.got6);
        if s.cache.auto && !s.no_cache && !all.is_empty() && g.ttl != u32::MAX {
            s.cache.write(&g.name, all.clone(), g.answered4, g.answered6, g.ttl as i64);
        }
        match build_list(&all, &g.hints) {
            Ok(l) => {
                list = l;
                if let (false, Some(name)) = (l.is_null(), &g.cname) {
                    // A C string: a NUL inside a label ends it, as libevent's strdup does.
                    let c = std::ffi::CString::new(name.iter().copied().take_while(|&b| b != 0).collect::<Vec<u8>>())
                        .unwrap_or_default();
                    // SAFETY: l is our list's head; the name is released by freeaddrinfo.
                    unsafe { (*l).ai_canonname = mem::strdup(c.as_ptr()) };
                }
            }
            Err(()) => result = libc::EAI_MEMORY,
        }
    }
    let d = Box::into_raw(Box::new(GaiDelivery { cb: g.cb, arg: g.arg, result, list, handle: g.handle }));
    // SAFETY: d stays valid until run_gai_delivery takes it back.
    if !unsafe { ev::defer(s.event_base, run_gai_delivery, d as *mut c_void) } {
        s.log.push(log::WARN, "evdns: could not schedule a callback".into());
        // SAFETY: not scheduled: still ours.
        let d = unsafe { Box::from_raw(d) };
        // SAFETY: our list and handle, never given out.
        unsafe {
            addr::freeaddrinfo(d.list);
            drop(Box::from_raw(d.handle));
        }
    }
    Some(g.timer)
}

/// The answer the cache holds for `name`, as getaddrinfo's list (with `port`); `None` when it
/// has none (or the base has no cache).
fn from_cache(s: &mut State, name: &[u8], h: &addrinfo, port: u16) -> Option<Result<*mut addrinfo, ()>> {
    if s.no_cache {
        return None;
    }
    let addrs = s.cache.lookup(name, h.ai_family)?;
    s.log.debug(|| format!("Answering {} from the cache", String::from_utf8_lossy(name)));
    let addrs: Vec<SockAddr> = addrs.into_iter().map(|a| with_port(a, port)).collect();
    Some(build_list(&addrs, h))
}

fn with_port(a: SockAddr, port: u16) -> SockAddr {
    match a {
        SockAddr::V4(mut s) => {
            s.sin_port = port.to_be();
            SockAddr::V4(s)
        }
        SockAddr::V6(mut s) => {
            s.sin6_port = port.to_be();
            SockAddr::V6(s)
        }
    }
}

/// evdns_cache_write: keeps the IPv4 and IPv6 addresses of `res` for `name`, `ttl` seconds
/// (an entry covering both families); from then on the base's evdns_getaddrinfo also keeps
/// its own answers. Nothing with EVDNS_BASE_NO_CACHE.
///
/// # Safety
/// `res` is NULL or an addrinfo list whose addresses are complete.
pub unsafe fn cache_write(s: &mut State, name: &[u8], res: *const addrinfo, ttl: c_int) {
    if s.no_cache {
        return;
    }
    s.cache.auto = true;
    let mut addrs: Vec<SockAddr> = Vec::new();
    let mut ai = res;
    let mut guard = 0;
    while !ai.is_null() && guard < 4096 {
        let sa = (*ai).ai_addr;
        let len = (*ai).ai_addrlen as usize;
        if !sa.is_null() {
            let a = match (*sa).sa_family as c_int {
                libc::AF_INET if len >= std::mem::size_of::<libc::sockaddr_in>() => {
                    Some(SockAddr::V4(ptr::read_unaligned(sa as *const libc::sockaddr_in)))
                }
                libc::AF_INET6 if len >= std::mem::size_of::<libc::sockaddr_in6>() => {
                    Some(SockAddr::V6(ptr::read_unaligned(sa as *const libc::sockaddr_in6)))
                }
                _ => None,
            };
            if let Some(a) = a.map(|a| with_port(a, 0)) {
                // A list for TCP and UDP names each address twice: keep it once.
                // SAFETY: both are complete addresses.
                if !addrs.iter().any(|b| addr::sockaddr_cmp(a.as_ptr(), b.as_ptr(), true) == 0) {
                    addrs.push(a);
                }
            }
        }
        ai = (*ai).ai_next;
        guard += 1;
    }
    if addrs.is_empty() {
        return;
    }
    s.cache.write(name, addrs, true, true, ttl as i64);
}

/// evdns_cache_lookup: 0 with the list in `*res` (for `hints`, with `port`), or -1.
///
/// # Safety
/// `hints` is NULL or a valid addrinfo; `res` is NULL or writable.
pub unsafe fn cache_lookup(
    s: &mut State,
    name: &[u8],
    hints: *const addrinfo,
    port: u16,
    res: *mut *mut addrinfo,
) -> c_int {
    let mut h: addrinfo = if hints.is_null() { std::mem::zeroed() } else { ptr::read(hints) };
    h.ai_addr = ptr::null_mut();
    h.ai_canonname = ptr::null_mut();
    h.ai_next = ptr::null_mut();
    infer_protocols(&mut h);
    if !res.is_null() {
        *res = ptr::null_mut();
    }
    match from_cache(s, name, &h, port) {
        Some(Ok(list)) if !res.is_null() => {
            *res = list;
            0
        }
        Some(Ok(list)) => {
            addr::freeaddrinfo(list);
            0
        }
        _ => -1,
    }
}

/// evdns_getaddrinfo_cancel: the callback then gets EVUTIL_EAI_CANCEL. Nothing happens once
/// the result is on its way.
///
/// # Safety
/// `h` is a handle from `getaddrinfo` whose callback has not returned yet.
pub unsafe fn cancel(h: *mut GaiHandle) {
    if (*h).done.load(Ordering::Acquire) {
        return;
    }
    let id = (*h).id;
    (*(*h).dns).with(|s| {
        if s.gai.get(&id).is_some_and(|g| g.handle == h) {
            conclude(s, id, EAI_CANCEL);
        }
    });
}

/// Ends every lookup as the base goes: with `fail`, as libevent's shutdown does (what arrived
/// is reported, else EAI_FAIL). Returns their timers.
pub fn teardown(s: &mut State, fail: bool) -> Vec<OwnedEvent> {
    let mut ids: Vec<u32> = s.gai.keys().copied().collect();
    ids.sort_unstable();
    let mut timers = Vec::new();
    for id in ids {
        let outcome = fail.then(|| {
            let g = &s.gai[&id];
            if !g.got4.is_empty() || !g.got6.is_empty() {
                0
            } else {
                libc::EAI_FAIL
            }
        });
        timers.extend(finish(s, id, outcome));
    }
    timers
}

struct GaiDelivery {
    cb: GaiFn,
    arg: *mut c_void,
    result: c_int,
    list: *mut addrinfo,
    handle: *mut GaiHandle,
}

/// The deferred call that gives a result to the program, then releases the handle.
///
/// # Safety
/// Run once by the reactor, `arg` being the `Box<GaiDelivery>` that `finish` scheduled.
unsafe extern "C" fn run_gai_delivery(_fd: c_int, _what: c_short, arg: *mut c_void) {
    // SAFETY: scheduled by `finish` with a leaked Box<GaiDelivery>, run once.
    let d = Box::from_raw(arg as *mut GaiDelivery);
    (d.cb)(d.result, d.list, d.arg);
    drop(Box::from_raw(d.handle));
}

/// # Safety
/// Run by the reactor; `arg` is the DnsBase that made the timer, alive while it is pending.
unsafe extern "C" fn skew_timeout_cb(key: c_int, _what: c_short, arg: *mut c_void) {
    // SAFETY: arg is the DnsBase that made the timer, alive while it is pending.
    (*(arg as *const DnsBase)).with(|s| on_skew_timeout(s, key as u32));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints(family: c_int, socktype: c_int, flags: c_int) -> addrinfo {
        // SAFETY: all-zero is a valid addrinfo.
        let mut h: addrinfo = unsafe { std::mem::zeroed() };
        h.ai_family = family;
        h.ai_socktype = socktype;
        h.ai_flags = flags;
        h
    }

    fn count(list: *mut addrinfo) -> usize {
        let mut n = 0;
        let mut i = list;
        while !i.is_null() {
            n += 1;
            // SAFETY: walking our own list.
            i = unsafe { (*i).ai_next };
        }
        // SAFETY: our list.
        unsafe { addr::freeaddrinfo(list) };
        n
    }

    #[test]
    fn numeric_names() {
        let mut h = hints(libc::AF_UNSPEC, 0, 0);
        match numeric(Some(b"127.0.0.1"), Some(c"80"), &mut h) {
            Numeric::Done(l) => assert_eq!(count(l), 2),
            _ => panic!(),
        }
        let mut h = hints(libc::AF_UNSPEC, libc::SOCK_STREAM, 0);
        match numeric(None, Some(c"80"), &mut h) {
            Numeric::Done(l) => assert_eq!(count(l), 2),
            _ => panic!(),
        }
        assert_eq!(h.ai_protocol, libc::IPPROTO_TCP);
        let mut h = hints(libc::AF_INET, libc::SOCK_STREAM, 0);
        assert!(matches!(numeric(Some(b"::1"), Some(c"80"), &mut h), Numeric::Resolve(80)));
        let mut h = hints(libc::AF_INET, libc::SOCK_STREAM, libc::AI_NUMERICHOST);
        assert!(matches!(numeric(Some(b"example.com"), None, &mut h), Numeric::Fail(libc::EAI_NONAME)));
        let mut h = hints(99, 0, 0);
        assert!(matches!(numeric(Some(b"x"), None, &mut h), Numeric::Fail(libc::EAI_FAMILY)));
        let mut h = hints(0, 0, 0);
        assert!(matches!(numeric(None, None, &mut h), Numeric::Fail(libc::EAI_NONAME)));
        let mut h = hints(0, libc::SOCK_STREAM, libc::AI_NUMERICSERV);
        assert!(matches!(numeric(Some(b"x"), Some(c"http"), &mut h), Numeric::Fail(libc::EAI_NONAME)));
        let mut h = hints(0, libc::SOCK_STREAM, 0);
        assert!(matches!(numeric(Some(b"x"), Some(c"4294967376"), &mut h), Numeric::Resolve(80)));
    }
}
