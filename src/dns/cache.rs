//! libevent 2.2's response cache: the addresses evdns_getaddrinfo found for a name, kept until
//! their TTL runs out, so that asking again sends no packet.
//!
//! Entries come from evdns_cache_write() and, once a program has written one (see
//! `Cache::auto`), from evdns_getaddrinfo's own answers. An entry says which families it
//! covers: an answer to an IPv4-only lookup does not answer a lookup for both families.
use crate::core::time::{monotonic_us, Micros};
use crate::util::addr::SockAddr;
use std::collections::HashMap;

/// Entries kept at most; beyond, expired ones go, then any.
const MAX_ENTRIES: usize = 4096;

struct Entry {
    addrs: Vec<SockAddr>,
    v4: bool,
    v6: bool,
    expires: Micros,
}

#[derive(Default)]
pub struct Cache {
    entries: HashMap<Vec<u8>, Entry>,
    /// evdns_getaddrinfo stores its answers here. libevent 2.2 does so by default; here only
    /// once the program has used evdns_cache_write() on the base, so that a program written
    /// for 2.1 sends the same packets as before (one per lookup).
    pub auto: bool,
}

fn key(name: &[u8]) -> Vec<u8> {
    name.to_ascii_lowercase()
}

impl Cache {
    /// Keeps `addrs` for `name` for `ttl` seconds (replacing what was there); a TTL of 0 or
    /// less removes the entry.
    pub fn write(&mut self, name: &[u8], addrs: Vec<SockAddr>, v4: bool, v6: bool, ttl: i64) {
        let k = key(name);
        if ttl <= 0 {
            self.entries.remove(&k);
            return;
        }
        if self.entries.len() >= MAX_ENTRIES && !self.entries.contains_key(&k) {
            let now = monotonic_us();
            self.entries.retain(|_, e| e.expires > now);
            if self.entries.len() >= MAX_ENTRIES {
                if let Some(victim) = self.entries.keys().next().cloned() {
                    self.entries.remove(&victim);
                }
            }
        }
        let expires = monotonic_us().saturating_add(ttl.min(i32::MAX as i64) * 1_000_000);
        self.entries.insert(k, Entry { addrs, v4, v6, expires });
    }

    /// The addresses kept for `name` of `family` (AF_UNSPEC: both, IPv4 first), when an entry
    /// that covers the family is still fresh and holds some.
    pub fn lookup(&mut self, name: &[u8], family: libc::c_int) -> Option<Vec<SockAddr>> {
        let k = key(name);
        let e = self.entries.get(&k)?;
        if e.expires <= monotonic_us() {
            self.entries.remove(&k);
            return None;
        }
        let (want4, want6) = (family != libc::AF_INET6, family != libc::AF_INET);
        if (want4 && !e.v4) || (want6 && !e.v6) {
            return None;
        }
        let mut out: Vec<SockAddr> =
            e.addrs.iter().copied().filter(|a| matches!(a, SockAddr::V4(_)) && want4).collect();
        out.extend(e.addrs.iter().copied().filter(|a| matches!(a, SockAddr::V6(_)) && want6));
        (!out.is_empty()).then_some(out)
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(last: u8) -> SockAddr {
        // SAFETY: all-zero is a valid sockaddr_in.
        let mut s: libc::sockaddr_in = unsafe { std::mem::zeroed() };
        s.sin_family = libc::AF_INET as libc::sa_family_t;
        s.sin_addr.s_addr = u32::from_ne_bytes([10, 0, 0, last]);
        SockAddr::V4(s)
    }

    #[test]
    fn families_and_expiry() {
        let mut c = Cache::default();
        c.write(b"A.example", vec![v4(1)], true, false, 60);
        assert_eq!(c.lookup(b"a.EXAMPLE", libc::AF_INET).map(|l| l.len()), Some(1));
        assert!(c.lookup(b"a.example", libc::AF_UNSPEC).is_none());
        assert!(c.lookup(b"a.example", libc::AF_INET6).is_none());
        c.write(b"a.example", vec![v4(1), v4(2)], true, true, 60);
        assert_eq!(c.lookup(b"a.example", libc::AF_UNSPEC).map(|l| l.len()), Some(2));
        assert!(c.lookup(b"a.example", libc::AF_INET6).is_none());
        c.write(b"a.example", vec![v4(1)], true, true, 0);
        assert!(c.lookup(b"a.example", libc::AF_INET).is_none());
    }
}
