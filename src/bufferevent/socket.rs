//! Socket bufferevents: ev_read and ev_write watch the descriptor; reads fill the input buffer
//! (up to the high-water mark and the rate limit), writes drain the output buffer, and a
//! connect() in progress is finished by the first write event.
use super::*;
use crate::core::base::EventBase;
use crate::dns::getaddrinfo::{self, GaiHandle};
use crate::dns::resolver::DnsBase;
use libc::{sockaddr, socklen_t};

const READ_EVENTS: c_short = EV_READ | EV_PERSIST | EV_FINALIZE;
const WRITE_EVENTS: c_short = EV_WRITE | EV_PERSIST | EV_FINALIZE;

/// bufferevent_socket_new(): `fd` may be -1, for a later connect or setfd.
///
/// # Safety
/// `base` is NULL (event_init's) or alive.
pub unsafe fn new(base: *mut EventBase, fd: c_int, options: c_int) -> *mut Bev {
    let b = new_common(base, &SOCKET_OPS, Kind::Socket, options);
    if b.is_null() {
        return b;
    }
    output(b).set_flags(crate::buffer::FLAG_DRAINS_TO_FD as u64);
    ev::assign(ptr::addr_of_mut!((*b).ev_read), base, fd, READ_EVENTS, Some(on_readable), b as *mut c_void);
    ev::assign(ptr::addr_of_mut!((*b).ev_write), base, fd, WRITE_EVENTS, Some(on_writable), b as *mut c_void);
    output(b).add_cb(Some(outbuf_cb), b as *mut c_void);
    // Only the bufferevent itself adds to its input and takes from its output.
    input(b).freeze(false);
    output(b).freeze(true);
    b
}

/// Data was added to the output: start writing if the program enabled it.
unsafe extern "C" fn outbuf_cb(_buf: *mut Evbuffer, info: *const CbInfo, arg: *mut c_void) {
    let b = arg as *mut Bev;
    if (*info).n_added > 0
        && (*b).enabled & EV_WRITE != 0
        && ev::pending(ptr::addr_of!((*b).ev_write), EV_WRITE, None) == 0
        && (*b).p.write_suspended == 0
    {
        let tv = (*b).timeout_write;
        add_event(ptr::addr_of_mut!((*b).ev_write), &tv);
    }
}

/// Whether adding the events in `what` can work: libevent's epoll_ctl refuses a closed
/// descriptor at once, where our batched changes would only fail later, silently.
///
/// # Safety
/// `b` is a live socket bufferevent.
pub unsafe fn fd_usable(b: *mut Bev, what: c_short) -> bool {
    let fd = (*b).ev_read.fd;
    let new_read = what & EV_READ != 0 && !ev::inserted(ptr::addr_of!((*b).ev_read));
    let new_write = what & EV_WRITE != 0 && !ev::inserted(ptr::addr_of!((*b).ev_write));
    if fd < 0 || !(new_read || new_write) {
        return true;
    }
    libc::fcntl(fd, libc::F_GETFD) != -1
}

/// # Safety
/// `b` is a live socket bufferevent.
pub unsafe fn enable(b: *mut Bev, what: c_short) -> c_int {
    if what & EV_READ != 0 {
        let tv = (*b).timeout_read;
        if add_event(ptr::addr_of_mut!((*b).ev_read), &tv) == -1 {
            return -1;
        }
    }
    if what & EV_WRITE != 0 {
        let tv = (*b).timeout_write;
        if add_event(ptr::addr_of_mut!((*b).ev_write), &tv) == -1 {
            return -1;
        }
    }
    0
}

/// # Safety
/// `b` is a live socket bufferevent.
pub unsafe fn disable(b: *mut Bev, what: c_short) -> c_int {
    if what & EV_READ != 0 && ev::del(ptr::addr_of_mut!((*b).ev_read), DelMode::NoBlock) == -1 {
        return -1;
    }
    // A connect in progress keeps its write event: it is how the connect finishes.
    if what & EV_WRITE != 0 && !(*b).p.connecting && ev::del(ptr::addr_of_mut!((*b).ev_write), DelMode::NoBlock) == -1 {
        return -1;
    }
    0
}

/// Gives pending events the new timeouts (or takes their timeouts away).
///
/// # Safety
/// `b` is a live socket bufferevent.
pub unsafe fn adj_timeouts(b: *mut Bev) -> c_int {
    let mut r = 0;
    for (e, tv, what) in [
        (ptr::addr_of_mut!((*b).ev_read), (*b).timeout_read, EV_READ),
        (ptr::addr_of_mut!((*b).ev_write), (*b).timeout_write, EV_WRITE),
    ] {
        if ev::pending(e, what, None) != 0 {
            if timerisset(&tv) {
                if ev::add(e, Some(&tv)) < 0 {
                    r = -1;
                }
            } else {
                ev::remove_timer(e);
            }
        }
    }
    r
}

/// Closes the socket for BEV_OPT_CLOSE_ON_FREE, once, when the memory goes.
///
/// # Safety
/// `b` is a socket bufferevent being destroyed.
pub unsafe fn destruct(b: *mut Bev) {
    let fd = (*b).ev_read.fd;
    if (*b).p.options & BEV_OPT_CLOSE_ON_FREE != 0 && fd >= 0 {
        libc::close(fd);
    }
}

/// Moves the bufferevent to another descriptor (events re-made, what was enabled re-enabled).
/// A connect_hostname lookup still running is cancelled, as in libevent 2.1.12: evhttp resets
/// a connection with setfd(-1), and its next connect must not take the old lookup's answer.
///
/// # Safety
/// `b` is a live socket bufferevent whose lock is held.
pub unsafe fn setfd(b: *mut Bev, fd: c_int) {
    cancel_lookup(b);
    ev::del(ptr::addr_of_mut!((*b).ev_read), DelMode::NoBlock);
    ev::del(ptr::addr_of_mut!((*b).ev_write), DelMode::NoBlock);
    // As libevent 2.1 does here, the buffers are left unfrozen until the next read or write.
    input(b).unfreeze(false);
    output(b).unfreeze(true);
    let base = (*b).ev_base;
    ev::assign(ptr::addr_of_mut!((*b).ev_read), base, fd, READ_EVENTS, Some(on_readable), b as *mut c_void);
    ev::assign(ptr::addr_of_mut!((*b).ev_write), base, fd, WRITE_EVENTS, Some(on_writable), b as *mut c_void);
    if fd >= 0 {
        super::enable(b, (*b).enabled);
    }
}

/// bufferevent_priority_set(): sockets and OpenSSL bufferevents only.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn priority_set(b: *mut Bev, pri: c_int) -> c_int {
    lock(b);
    let r = if !matches!((*b).p.kind, Kind::Socket | Kind::Ssl(_))
        || ev::set_priority(ptr::addr_of_mut!((*b).ev_read), pri) < 0
        || ev::set_priority(ptr::addr_of_mut!((*b).ev_write), pri) < 0
    {
        -1
    } else {
        let d = (*b).p.deferred;
        if !d.is_null() && (*d).flags & LIST_ACTIVE == 0 {
            (*d).pri = pri as u8;
        }
        0
    };
    unlock(b);
    r
}

/// bufferevent_base_set(): sockets only; their events must not be pending.
///
/// # Safety
/// `b` is a live bufferevent; `base` is alive.
pub unsafe fn base_set(base: *mut EventBase, b: *mut Bev) -> c_int {
    lock(b);
    let r = if !matches!((*b).p.kind, Kind::Socket) {
        -1
    } else {
        (*b).ev_base = base;
        let mut r = 0;
        for e in [ptr::addr_of_mut!((*b).ev_read), ptr::addr_of_mut!((*b).ev_write), (*b).p.deferred] {
            if e.is_null() {
                continue;
            }
            if (*e).flags != LIST_INIT {
                r = -1;
                break;
            }
            (*e).base = base;
            (*e).pri = (*base).default_pri();
        }
        r
    };
    unlock(b);
    r
}

fn retriable(e: c_int) -> bool {
    e == libc::EAGAIN || e == libc::EINTR
}

/// The descriptor is readable, or the read timeout fired.
unsafe extern "C" fn on_readable(fd: c_int, what: c_short, arg: *mut c_void) {
    let b = arg as *mut Bev;
    incref_and_lock(b);
    read_ready(b, fd, what);
    decref_and_unlock(b);
}

unsafe fn read_ready(b: *mut Bev, fd: c_int, what: c_short) {
    let mut event = BEV_EVENT_READING;
    if what == EV_TIMEOUT {
        fail(b, EV_READ, event | BEV_EVENT_TIMEOUT, errno());
        return;
    }
    let inb = input(b);
    // Read no further than the high-water mark, nor more than the rate limit allows.
    let mut howmuch: isize = -1;
    if (*b).wm_read.high != 0 {
        howmuch = (*b).wm_read.high as isize - inb.len() as isize;
        if howmuch <= 0 {
            suspend_read(b, SUSPEND_WM);
            return;
        }
    }
    let readmax = ratelim::max_to_read(b);
    if howmuch < 0 || howmuch > readmax {
        howmuch = readmax;
    }
    if (*b).p.read_suspended != 0 {
        return;
    }
    inb.unfreeze(false);
    let res = inb.read(fd, howmuch.min(c_int::MAX as isize) as c_int);
    let err = errno();
    inb.freeze(false);
    if res == -1 {
        if retriable(err) {
            return;
        }
        if err == libc::ECONNREFUSED {
            // A connect refused at once on some systems: reported by the write event.
            (*b).p.connection_refused = true;
            return;
        }
        event |= BEV_EVENT_ERROR;
    } else if res == 0 {
        event |= BEV_EVENT_EOF;
    }
    if res <= 0 {
        fail(b, EV_READ, event, err);
        return;
    }
    ratelim::decrement_read(b, res as isize);
    trigger_nolock(b, EV_READ, 0);
}

/// Stops the direction that failed and tells the program, with errno as the failure left it.
unsafe fn fail(b: *mut Bev, dir: c_short, what: c_short, err: c_int) {
    super::disable(b, dir);
    set_errno(err);
    run_eventcb(b, what, 0);
}

/// Whether a connect in progress finished: 1 yes, 0 not yet, -1 failed (errno says why).
unsafe fn finished_connecting(fd: c_int) -> c_int {
    let mut e: c_int = 0;
    let mut len = std::mem::size_of::<c_int>() as socklen_t;
    if libc::getsockopt(fd, libc::SOL_SOCKET, libc::SO_ERROR, &mut e as *mut c_int as *mut c_void, &mut len) < 0 {
        return -1;
    }
    if e != 0 {
        if e == libc::EINTR || e == libc::EINPROGRESS {
            return 0;
        }
        set_errno(e);
        return -1;
    }
    1
}

/// The descriptor is writable (or a connect finished), or the write timeout fired.
unsafe extern "C" fn on_writable(fd: c_int, what: c_short, arg: *mut c_void) {
    let b = arg as *mut Bev;
    incref_and_lock(b);
    write_ready(b, fd, what);
    decref_and_unlock(b);
}

unsafe fn write_ready(b: *mut Bev, fd: c_int, what: c_short) {
    let mut event = BEV_EVENT_WRITING;
    let mut connected = false;
    let wev = ptr::addr_of_mut!((*b).ev_write);
    if what == EV_TIMEOUT {
        fail(b, EV_WRITE, event | BEV_EVENT_TIMEOUT, errno());
        return;
    }
    if (*b).p.connecting {
        let mut c = finished_connecting(fd);
        if (*b).p.connection_refused {
            (*b).p.connection_refused = false;
            set_errno(libc::ECONNREFUSED);
            c = -1;
        }
        if c == 0 {
            return;
        }
        (*b).p.connecting = false;
        if c < 0 {
            let err = errno();
            ev::del(wev, DelMode::NoBlock);
            ev::del(ptr::addr_of_mut!((*b).ev_read), DelMode::NoBlock);
            set_errno(err);
            run_eventcb(b, BEV_EVENT_ERROR, 0);
            return;
        }
        connected = true;
        run_eventcb(b, BEV_EVENT_CONNECTED, 0);
        if (*b).enabled & EV_WRITE == 0 || (*b).p.write_suspended != 0 {
            ev::del(wev, DelMode::NoBlock);
            return;
        }
    }
    let atmost = ratelim::max_to_write(b);
    if (*b).p.write_suspended != 0 {
        return;
    }
    let out = output(b);
    let mut res = 0;
    if !out.is_empty() {
        out.unfreeze(true);
        res = out.write_atmost(fd, atmost);
        let err = errno();
        out.freeze(true);
        if res == -1 {
            if retriable(err) {
                if out.is_empty() {
                    ev::del(wev, DelMode::NoBlock);
                }
                return;
            }
            event |= BEV_EVENT_ERROR;
        } else if res == 0 {
            // A zero-byte write: libevent reports it as an end of file.
            event |= BEV_EVENT_EOF;
        }
        if res <= 0 {
            fail(b, EV_WRITE, event, err);
            return;
        }
        ratelim::decrement_write(b, res as isize);
    }
    if out.is_empty() {
        ev::del(wev, DelMode::NoBlock);
    }
    // The write callback runs when the output is at or below its low-water mark, also after
    // an enable with nothing to write (libevent does that too), but not for the bare
    // completion of a connect.
    if res != 0 || !connected {
        trigger_nolock(b, EV_WRITE, 0);
    }
}

/// connect() on `*fd` (made when -1): 0 in progress, 1 connected, 2 refused at once, -1 failed.
unsafe fn start_connect(fd: &mut c_int, sa: *const sockaddr, socklen: c_int) -> c_int {
    let mut made = false;
    if *fd < 0 {
        *fd = libc::socket((*sa).sa_family as c_int, libc::SOCK_STREAM | libc::SOCK_NONBLOCK, 0);
        if *fd < 0 {
            return -1;
        }
        made = true;
    }
    if libc::connect(*fd, sa, socklen as socklen_t) == 0 {
        return 1;
    }
    let e = errno();
    if e == libc::EINTR || e == libc::EINPROGRESS {
        return 0;
    }
    if e == libc::ECONNREFUSED {
        return 2;
    }
    if made {
        libc::close(*fd);
        *fd = -1;
        set_errno(e);
    }
    -1
}

/// bufferevent_socket_connect(): with no descriptor yet, makes a non-blocking socket of the
/// address's family. A NULL address means the descriptor is already connecting.
///
/// # Safety
/// `b` is a live bufferevent; `sa` is NULL or points at `socklen` bytes.
pub unsafe fn connect(b: *mut Bev, sa: *const sockaddr, socklen: c_int) -> c_int {
    incref_and_lock(b);
    let r = connect_locked(b, sa, socklen);
    decref_and_unlock(b);
    r
}

unsafe fn connect_locked(b: *mut Bev, sa: *const sockaddr, socklen: c_int) -> c_int {
    let mut fd = getfd(b);
    let mut own = false;
    if fd < 0 {
        if sa.is_null() {
            return -1;
        }
        fd = libc::socket((*sa).sa_family as c_int, libc::SOCK_STREAM | libc::SOCK_NONBLOCK, 0);
        if fd < 0 {
            return -1;
        }
        own = true;
    }
    let mut r = 0;
    if !sa.is_null() {
        r = start_connect(&mut fd, sa, socklen);
        if r < 0 {
            if own {
                let e = errno();
                libc::close(fd);
                set_errno(e);
            }
            return -1;
        }
    }
    let err = errno();
    super::setfd(b, fd);
    match r {
        0 => {
            if enable(b, EV_WRITE) == 0 {
                (*b).p.connecting = true;
                return 0;
            }
            -1
        }
        1 => {
            // Connected at once: the write event finishes it like any other connect.
            (*b).p.connecting = true;
            trigger_nolock(b, EV_WRITE, BEV_OPT_DEFER_CALLBACKS);
            0
        }
        _ => {
            // Refused at once: reported from the loop, as the program expects a callback.
            set_errno(err);
            run_eventcb(b, BEV_EVENT_ERROR, BEV_OPT_DEFER_CALLBACKS);
            super::disable(b, EV_WRITE | EV_READ);
            0
        }
    }
}

/// `lookup` while evdns_getaddrinfo has not returned: its callback may run before it does.
const LOOKUP_STARTING: *mut GaiHandle = ptr::dangling_mut();

/// bufferevent_socket_connect_hostname(). Without an evdns base the name is resolved now, with
/// getaddrinfo(); with one, by evdns, and the connect starts when the answer comes. Reading
/// and writing wait for the lookup either way.
///
/// # Safety
/// `b` is a live bufferevent; `dns` NULL or a live evdns base; `hostname` NULL (the loopback
/// address, as getaddrinfo reads it) or a C string.
pub unsafe fn connect_hostname(
    b: *mut Bev,
    dns: *mut DnsBase,
    family: c_int,
    hostname: *const c_char,
    port: c_int,
) -> c_int {
    let mut hints: libc::addrinfo = std::mem::zeroed();
    hints.ai_family = family;
    hints.ai_protocol = libc::IPPROTO_TCP;
    hints.ai_socktype = libc::SOCK_STREAM;
    connect_hostname_hints(b, dns, &hints, hostname, port)
}

/// bufferevent_socket_connect_hostname_hints() (libevent 2.2): as connect_hostname, with the
/// program's hints for the lookup (their family must be AF_INET, AF_INET6 or AF_UNSPEC).
///
/// # Safety
/// As for `connect_hostname`; `hints` is a live addrinfo (only its hint fields are read).
pub unsafe fn connect_hostname_hints(
    b: *mut Bev,
    dns: *mut DnsBase,
    hints_in: &libc::addrinfo,
    hostname: *const c_char,
    port: c_int,
) -> c_int {
    let family = hints_in.ai_family;
    if family != libc::AF_INET && family != libc::AF_INET6 && family != libc::AF_UNSPEC {
        return -1;
    }
    if !(1..=65535).contains(&port) {
        return -1;
    }
    let mut hints: libc::addrinfo = std::mem::zeroed();
    hints.ai_flags = hints_in.ai_flags;
    hints.ai_family = family;
    hints.ai_socktype = hints_in.ai_socktype;
    hints.ai_protocol = hints_in.ai_protocol;
    let portbuf = std::ffi::CString::new(port.to_string()).unwrap_or_default();
    lock(b);
    (*b).p.dns_error = 0;
    suspend_write(b, SUSPEND_LOOKUP);
    suspend_read(b, SUSPEND_LOOKUP);
    (*b).p.refcnt += 1;
    if dns.is_null() {
        unlock(b);
        let mut ai: *mut libc::addrinfo = ptr::null_mut();
        let result = libc::getaddrinfo(hostname, portbuf.as_ptr(), &hints, &mut ai);
        lookup_done(result, ai, b as *mut c_void);
        return 0;
    }
    (*b).p.lookup = LOOKUP_STARTING;
    (*b).p.refcnt += 1; // this call's own: a numeric answer runs the callback at once
    unlock(b);
    // No lock is held here: the callback may run now, or on the dns base's thread.
    let h = getaddrinfo::getaddrinfo(dns, hostname, portbuf.as_ptr(), &hints, lookup_done, b as *mut c_void);
    lock(b);
    if (*b).p.lookup == LOOKUP_STARTING {
        (*b).p.lookup = h;
    }
    decref_and_unlock(b);
    0
}

/// The lookup's answer: connect to its first address, or report the failure. Drops the
/// reference connect_hostname took, and the answer.
unsafe extern "C" fn lookup_done(result: c_int, ai: *mut libc::addrinfo, arg: *mut c_void) {
    let b = arg as *mut Bev;
    lock(b);
    (*b).p.lookup = ptr::null_mut();
    unsuspend_write(b, SUSPEND_LOOKUP);
    unsuspend_read(b, SUSPEND_LOOKUP);
    if result == getaddrinfo::EAI_CANCEL {
        (*b).p.dns_error = result;
    } else if result != 0 || ai.is_null() {
        (*b).p.dns_error = if result != 0 { result } else { libc::EAI_FAIL };
        run_eventcb(b, BEV_EVENT_ERROR, 0);
    } else if connect(b, (*ai).ai_addr, (*ai).ai_addrlen as c_int) < 0 {
        run_eventcb(b, BEV_EVENT_ERROR, 0);
    }
    crate::util::addr::freeaddrinfo(ai);
    decref_and_unlock(b);
}

/// bufferevent_free() and setfd(): a lookup still running is cancelled (its callback, which
/// evdns runs later from the loop, then only drops its reference), so the bufferevent does not
/// connect after the program let it go or gave it another socket. The lock (recursive) keeps
/// the handle valid: the callback clears it first.
///
/// # Safety
/// `b` is a live socket bufferevent.
pub unsafe fn cancel_lookup(b: *mut Bev) {
    lock(b);
    let h = (*b).p.lookup;
    if !h.is_null() && h != LOOKUP_STARTING {
        getaddrinfo::cancel(h);
    }
    unlock(b);
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn dns_error(b: *mut Bev) -> c_int {
    lock(b);
    let e = (*b).p.dns_error;
    unlock(b);
    e
}
