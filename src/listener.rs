//! evconnlistener: accepts connections on a listening socket and hands each to a callback.
//!
//! The listener is reference counted so that it can be freed from its own callbacks: the
//! accept loop holds a reference while a callback runs, and whoever drops the last one
//! releases the memory. No Rust reference into the listener is alive during a callback.
use crate::core::base::{DelMode, EventBase};
use crate::core::event::*;
use crate::core::{ev, log, mem, sync};
use libc::{c_int, c_short, c_uint, c_void, sockaddr, socklen_t};
use std::ptr;

pub const LEV_OPT_LEAVE_SOCKETS_BLOCKING: c_uint = 1 << 0;
pub const LEV_OPT_CLOSE_ON_FREE: c_uint = 1 << 1;
pub const LEV_OPT_CLOSE_ON_EXEC: c_uint = 1 << 2;
pub const LEV_OPT_REUSEABLE: c_uint = 1 << 3;
pub const LEV_OPT_THREADSAFE: c_uint = 1 << 4;
pub const LEV_OPT_DISABLED: c_uint = 1 << 5;
pub const LEV_OPT_DEFERRED_ACCEPT: c_uint = 1 << 6;
pub const LEV_OPT_REUSEABLE_PORT: c_uint = 1 << 7;
pub const LEV_OPT_BIND_IPV6ONLY: c_uint = 1 << 8;
/// libevent 2.2: IPV6_V6ONLY off (one IPv6 listener takes IPv4 too); wins over BIND_IPV6ONLY.
pub const LEV_OPT_BIND_IPV4_AND_IPV6: c_uint = 1 << 9;

/// listen()'s backlog when the program asks for "a reasonable default" (-1).
const DEFAULT_BACKLOG: c_int = 128;

pub type AcceptFn = unsafe extern "C" fn(*mut Listener, c_int, *mut sockaddr, c_int, *mut c_void);
pub type ErrorFn = unsafe extern "C" fn(*mut Listener, *mut c_void);

pub struct Listener {
    /// The persistent read event on the listening socket; its 128 bytes must not move, so the
    /// listener lives in a Box for its whole life.
    event: Event,
    cb: Option<AcceptFn>,
    errorcb: Option<ErrorFn>,
    user_data: *mut c_void,
    flags: c_uint,
    refcnt: c_int,
    enabled: bool,
    accept_flags: c_int,
    lock: *mut c_void,
}

impl Listener {
    /// evconnlistener_new(): `backlog` > 0 is passed to listen(), < 0 means the default, 0
    /// means the socket already listens.
    ///
    /// # Safety
    /// `base` is NULL (event_init's base) or alive.
    pub unsafe fn new(
        base: *mut EventBase,
        cb: Option<AcceptFn>,
        ptr_: *mut c_void,
        flags: c_uint,
        backlog: c_int,
        fd: c_int,
    ) -> *mut Listener {
        if backlog != 0 && libc::listen(fd, if backlog > 0 { backlog } else { DEFAULT_BACKLOG }) < 0 {
            return ptr::null_mut();
        }
        let mut accept_flags = 0;
        if flags & LEV_OPT_LEAVE_SOCKETS_BLOCKING == 0 {
            accept_flags |= libc::SOCK_NONBLOCK;
        }
        if flags & LEV_OPT_CLOSE_ON_EXEC != 0 {
            accept_flags |= libc::SOCK_CLOEXEC;
        }
        // NULL when the program's malloc refuses, as libevent answers.
        let Some(lev) = mem::try_box(Listener {
            // SAFETY: all-zero is the "not initialised" event; assign() sets it up below.
            event: std::mem::zeroed(),
            cb,
            errorcb: None,
            user_data: ptr_,
            flags,
            refcnt: 1,
            enabled: false,
            accept_flags,
            lock: ptr::null_mut(),
        }) else {
            return ptr::null_mut();
        };
        let lev = Box::into_raw(lev);
        if flags & LEV_OPT_THREADSAFE != 0 {
            (*lev).lock = sync::lock_new();
        }
        ev::assign(
            ptr::addr_of_mut!((*lev).event),
            base,
            fd,
            EV_READ | EV_PERSIST,
            Some(on_readable),
            lev as *mut c_void,
        );
        if flags & LEV_OPT_DISABLED == 0 {
            Listener::enable(lev);
        }
        lev
    }

    /// evconnlistener_new_bind(): makes, configures and binds the socket, then listens on it.
    ///
    /// # Safety
    /// `sa` is NULL or points at `socklen` readable bytes; `base` as for `new`.
    pub unsafe fn new_bind(
        base: *mut EventBase,
        cb: Option<AcceptFn>,
        ptr_: *mut c_void,
        flags: c_uint,
        backlog: c_int,
        sa: *const sockaddr,
        socklen: c_int,
    ) -> *mut Listener {
        if backlog == 0 {
            return ptr::null_mut();
        }
        let family = if sa.is_null() { libc::AF_UNSPEC } else { (*sa).sa_family as c_int };
        let mut socktype = libc::SOCK_STREAM | libc::SOCK_NONBLOCK;
        if flags & LEV_OPT_CLOSE_ON_EXEC != 0 {
            socktype |= libc::SOCK_CLOEXEC;
        }
        let fd = libc::socket(family, socktype, 0);
        if fd < 0 {
            return ptr::null_mut();
        }
        let ok = set_flag(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE, 1)
            && (flags & LEV_OPT_REUSEABLE == 0 || set_flag(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1))
            && (flags & LEV_OPT_REUSEABLE_PORT == 0 || set_flag(fd, libc::SOL_SOCKET, libc::SO_REUSEPORT, 1))
            // Wake the listener only when the client has sent something (or after a second).
            && (flags & LEV_OPT_DEFERRED_ACCEPT == 0 || set_flag(fd, libc::IPPROTO_TCP, libc::TCP_DEFER_ACCEPT, 1))
            && (flags & LEV_OPT_BIND_IPV6ONLY == 0 || set_flag(fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, 1))
            && (flags & LEV_OPT_BIND_IPV4_AND_IPV6 == 0 || set_flag(fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, 0))
            && (sa.is_null() || libc::bind(fd, sa, socklen as socklen_t) == 0);
        let lev = if ok { Listener::new(base, cb, ptr_, flags, backlog, fd) } else { ptr::null_mut() };
        if lev.is_null() {
            let e = errno();
            libc::close(fd);
            set_errno(e);
        }
        lev
    }

    /// evconnlistener_free(): no callback runs after this; the memory goes when the accept
    /// loop (if it is running a callback of this listener) lets go of it.
    ///
    /// # Safety
    /// `lev` came from `new` and is not used by the program afterwards.
    pub unsafe fn free(lev: *mut Listener) {
        sync::lock((*lev).lock);
        (*lev).cb = None;
        (*lev).errorcb = None;
        Listener::decref_and_unlock(lev);
    }

    /// Drops a reference with the lock held, releasing the lock; true when the listener is gone.
    unsafe fn decref_and_unlock(lev: *mut Listener) -> bool {
        (*lev).refcnt -= 1;
        let lock = (*lev).lock;
        if (*lev).refcnt > 0 {
            sync::unlock(lock);
            return false;
        }
        let evp = ptr::addr_of_mut!((*lev).event);
        ev::del(evp, DelMode::NoBlock);
        if (*lev).flags & LEV_OPT_CLOSE_ON_FREE != 0 {
            libc::close((*evp).fd);
        }
        ev::teardown(evp);
        drop(Box::from_raw(lev));
        sync::unlock(lock);
        sync::lock_free(lock);
        true
    }

    /// # Safety
    /// `lev` is a live listener.
    pub unsafe fn enable(lev: *mut Listener) -> c_int {
        sync::lock((*lev).lock);
        (*lev).enabled = true;
        // Without a callback the listener stays quiet until set_cb() gives it one.
        let r = if (*lev).cb.is_some() { ev::add(ptr::addr_of_mut!((*lev).event), None) } else { 0 };
        sync::unlock((*lev).lock);
        r
    }

    /// # Safety
    /// `lev` is a live listener.
    pub unsafe fn disable(lev: *mut Listener) -> c_int {
        sync::lock((*lev).lock);
        (*lev).enabled = false;
        let r = ev::del(ptr::addr_of_mut!((*lev).event), DelMode::NoBlock);
        sync::unlock((*lev).lock);
        r
    }

    /// # Safety
    /// `lev` is a live listener.
    pub unsafe fn base(lev: *mut Listener) -> *mut EventBase {
        sync::lock((*lev).lock);
        let b = (*lev).event.base;
        sync::unlock((*lev).lock);
        b
    }

    /// # Safety
    /// `lev` is a live listener.
    pub unsafe fn fd(lev: *mut Listener) -> c_int {
        sync::lock((*lev).lock);
        let fd = (*lev).event.fd;
        sync::unlock((*lev).lock);
        fd
    }

    /// # Safety
    /// `lev` is a live listener.
    pub unsafe fn set_cb(lev: *mut Listener, cb: Option<AcceptFn>, arg: *mut c_void) {
        sync::lock((*lev).lock);
        let wake = (*lev).enabled && (*lev).cb.is_none();
        (*lev).cb = cb;
        (*lev).user_data = arg;
        if wake {
            Listener::enable(lev);
        }
        sync::unlock((*lev).lock);
    }

    /// # Safety
    /// `lev` is a live listener.
    pub unsafe fn set_error_cb(lev: *mut Listener, errorcb: Option<ErrorFn>) {
        sync::lock((*lev).lock);
        (*lev).errorcb = errorcb;
        sync::unlock((*lev).lock);
    }
}

fn errno() -> c_int {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn set_errno(e: c_int) {
    // SAFETY: errno is this thread's.
    unsafe { *libc::__errno_location() = e };
}

unsafe fn set_flag(fd: c_int, level: c_int, name: c_int, value: c_int) -> bool {
    libc::setsockopt(
        fd,
        level,
        name,
        &value as *const c_int as *const c_void,
        std::mem::size_of::<c_int>() as socklen_t,
    ) == 0
}

/// The listening socket is readable: accept until it would block, calling the program for each
/// connection with the lock released and a reference held.
unsafe extern "C" fn on_readable(fd: c_int, _what: c_short, arg: *mut c_void) {
    let lev = arg as *mut Listener;
    sync::lock((*lev).lock);
    loop {
        let mut ss: libc::sockaddr_storage = std::mem::zeroed();
        let mut len = std::mem::size_of::<libc::sockaddr_storage>() as socklen_t;
        let nfd = libc::accept4(fd, &mut ss as *mut _ as *mut sockaddr, &mut len, (*lev).accept_flags);
        if nfd < 0 {
            break;
        }
        if len == 0 {
            // Some kernels report a connection with no address (a port scan's); skip it.
            libc::close(nfd);
            continue;
        }
        let Some(cb) = (*lev).cb else {
            libc::close(nfd);
            sync::unlock((*lev).lock);
            return;
        };
        (*lev).refcnt += 1;
        let user = (*lev).user_data;
        sync::unlock((*lev).lock);
        cb(lev, nfd, &mut ss as *mut _ as *mut sockaddr, len as c_int, user);
        sync::lock((*lev).lock);
        if (*lev).refcnt == 1 {
            // Freed by the callback: ours is the last reference.
            Listener::decref_and_unlock(lev);
            return;
        }
        (*lev).refcnt -= 1;
        if !(*lev).enabled {
            sync::unlock((*lev).lock);
            return;
        }
    }
    let err = errno();
    if matches!(err, libc::EAGAIN | libc::EINTR | libc::ECONNABORTED) {
        sync::unlock((*lev).lock);
        return;
    }
    // A real failure (EMFILE, ENFILE, ENOBUFS...): once per readiness, not in a loop here; the
    // program decides (typically it disables the listener until descriptors free up).
    match (*lev).errorcb {
        Some(errorcb) => {
            (*lev).refcnt += 1;
            let user = (*lev).user_data;
            sync::unlock((*lev).lock);
            set_errno(err);
            errorcb(lev, user);
            sync::lock((*lev).lock);
            Listener::decref_and_unlock(lev);
        }
        None => {
            set_errno(err);
            log::warn(&format!("Error from accept() call on fd {fd}"));
            sync::unlock((*lev).lock);
        }
    }
}
