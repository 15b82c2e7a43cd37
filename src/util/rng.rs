//! Secure random bytes, straight from the kernel's generator (getrandom(2)): the same source the
//! system's libevent ends up using, since it is built on the C library's arc4random. Like that
//! build, it needs no seeding, has no urandom file to configure, and takes extra entropy from
//! programs without needing it.
use std::io;

/// Fills `buf` with random bytes from the kernel, falling back to /dev/urandom where the
/// system call does not exist. The kernel's generator blocks only until first seeded at boot.
pub fn fill(buf: &mut [u8]) -> io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        let rest = &mut buf[done..];
        // SAFETY: rest is a valid writable region of rest.len() bytes.
        let n = unsafe { libc::getrandom(rest.as_mut_ptr() as *mut libc::c_void, rest.len(), 0) };
        if n >= 0 {
            done += n as usize;
            continue;
        }
        let err = io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::ENOSYS) => return fill_from_file(rest),
            _ => return Err(err),
        }
    }
    Ok(())
}

fn fill_from_file(buf: &mut [u8]) -> io::Result<()> {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")?.read_exact(buf)
}

/// Random bytes for the library and for evutil_secure_rng_get_bytes(). Without any source of
/// randomness the process cannot be trusted with keys or DNS ids, so it stops, as the C
/// library's arc4random does.
pub fn get_bytes(buf: &mut [u8]) {
    if let Err(e) = fill(buf) {
        crate::core::log::errx(0xdeaddead_u32 as libc::c_int, &format!("no source of random bytes: {e}"));
    }
}

/// Whether random bytes can be had: evutil_secure_rng_init()'s answer.
pub fn ready() -> bool {
    fill(&mut [0u8; 1]).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn bytes_differ() {
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        super::get_bytes(&mut a);
        super::get_bytes(&mut b);
        assert_ne!(a, b);
        assert!(super::ready());
        super::get_bytes(&mut []);
    }
}
