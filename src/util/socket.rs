//! Socket options and descriptor flags. Failures leave errno as the system call set it (the C
//! API returns -1 and programs read EVUTIL_SOCKET_ERROR()); the fcntl ones are also logged, as
//! libevent logs them.
use crate::core::log;
use libc::c_int;
use std::io;

fn check(r: c_int) -> io::Result<()> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Fills `fds` as the system call does (which, on Linux, writes the descriptor numbers it
/// picked even when it then fails).
pub fn socketpair(family: c_int, kind: c_int, protocol: c_int, fds: &mut [c_int; 2]) -> io::Result<()> {
    // SAFETY: fds is a valid array of two ints for the kernel to fill.
    check(unsafe { libc::socketpair(family, kind, protocol, fds.as_mut_ptr()) })
}

/// Sets one fcntl flag (O_NONBLOCK through F_GETFL/F_SETFL, FD_CLOEXEC through
/// F_GETFD/F_SETFD), making the second call only when the flag is not already set.
fn set_flag(fd: c_int, get: c_int, set: c_int, flag: c_int, names: (&str, &str)) -> io::Result<()> {
    // SAFETY: fcntl with F_GETFL/F_GETFD takes no pointer argument; a bad fd only fails.
    let flags = unsafe { libc::fcntl(fd, get) };
    if flags < 0 {
        log::warn(&format!("fcntl({fd}, {})", names.0));
        return Err(io::Error::last_os_error());
    }
    if flags & flag == 0 {
        // SAFETY: as above, the third argument is an int.
        if unsafe { libc::fcntl(fd, set, flags | flag) } == -1 {
            log::warn(&format!("fcntl({fd}, {})", names.1));
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

pub fn make_nonblocking(fd: c_int) -> io::Result<()> {
    set_flag(fd, libc::F_GETFL, libc::F_SETFL, libc::O_NONBLOCK, ("F_GETFL", "F_SETFL"))
}

pub fn make_closeonexec(fd: c_int) -> io::Result<()> {
    set_flag(fd, libc::F_GETFD, libc::F_SETFD, libc::FD_CLOEXEC, ("F_GETFD", "F_SETFD"))
}

fn enable_option(fd: c_int, level: c_int, name: c_int) -> io::Result<()> {
    let one: c_int = 1;
    // SAFETY: the option value is a live int of the size given.
    check(unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            &one as *const c_int as *const libc::c_void,
            std::mem::size_of::<c_int>() as libc::socklen_t,
        )
    })
}

/// SO_REUSEADDR: the address can be bound again as soon as the listener closes.
pub fn make_reuseable(fd: c_int) -> io::Result<()> {
    enable_option(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR)
}

/// SO_REUSEPORT: several sockets that all set it may listen on one port.
pub fn make_reuseable_port(fd: c_int) -> io::Result<()> {
    enable_option(fd, libc::SOL_SOCKET, libc::SO_REUSEPORT)
}

/// IPV6_V6ONLY: an IPv6 listener that does not also take IPv4-mapped connections.
pub fn make_ipv6only(fd: c_int) -> io::Result<()> {
    enable_option(fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY)
}

/// IPV6_V6ONLY off (libevent 2.2): an IPv6 listener that also takes IPv4-mapped connections.
pub fn make_not_ipv6only(fd: c_int) -> io::Result<()> {
    set_int(fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, 0)
}

fn set_int(fd: c_int, level: c_int, name: c_int, value: c_int) -> io::Result<()> {
    // SAFETY: the option value is a live int of the size given.
    check(unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            &value as *const c_int as *const libc::c_void,
            std::mem::size_of::<c_int>() as libc::socklen_t,
        )
    })
}

/// TCP keepalive (libevent 2.2's evutil_set_tcp_keepalive): SO_KEEPALIVE on or off; when on
/// with a positive `timeout` (seconds), the first probe goes after `timeout` idle seconds, then
/// one every `timeout / 3` seconds (at least 1), and the peer is dead after 3 unanswered ones.
/// On with a timeout of 0 or less keeps the system's timings.
pub fn set_tcp_keepalive(fd: c_int, on: bool, timeout: c_int) -> io::Result<()> {
    set_int(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE, on as c_int)?;
    if !on || timeout <= 0 {
        return Ok(());
    }
    set_int(fd, libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, timeout)?;
    set_int(fd, libc::IPPROTO_TCP, libc::TCP_KEEPINTVL, (timeout / 3).max(1))?;
    set_int(fd, libc::IPPROTO_TCP, libc::TCP_KEEPCNT, 3)
}

/// TCP_DEFER_ACCEPT: accept() wakes only once the client has sent data.
pub fn make_tcp_listen_deferred(fd: c_int) -> io::Result<()> {
    enable_option(fd, libc::IPPROTO_TCP, libc::TCP_DEFER_ACCEPT)
}

pub fn close(fd: c_int) -> io::Result<()> {
    // SAFETY: closing a descriptor the caller owns; a bad one only fails.
    check(unsafe { libc::close(fd) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_options() {
        let mut fds = [-1; 2];
        socketpair(libc::AF_UNIX, libc::SOCK_STREAM, 0, &mut fds).unwrap();
        let [a, b] = fds;
        make_nonblocking(a).unwrap();
        make_nonblocking(a).unwrap();
        make_closeonexec(a).unwrap();
        // SAFETY: plain fcntl queries on a descriptor we own.
        unsafe {
            assert!(libc::fcntl(a, libc::F_GETFL) & libc::O_NONBLOCK != 0);
            assert!(libc::fcntl(a, libc::F_GETFD) & libc::FD_CLOEXEC != 0);
        }
        assert!(make_tcp_listen_deferred(a).is_err());
        close(a).unwrap();
        close(b).unwrap();
        assert_eq!(close(a).unwrap_err().raw_os_error(), Some(libc::EBADF));

        // SAFETY: creating a socket we close below.
        let s = unsafe { libc::socket(libc::AF_INET6, libc::SOCK_STREAM, 0) };
        if s >= 0 {
            make_reuseable(s).unwrap();
            make_reuseable_port(s).unwrap();
            make_ipv6only(s).unwrap();
            make_tcp_listen_deferred(s).unwrap();
            close(s).unwrap();
        }
    }
}
