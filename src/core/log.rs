//! Library messages: sent to the program's log callback when it set one, else to stderr as
//! libevent prints them ("[warn] ..."), and fatal errors through the fatal callback.
use libc::{c_char, c_int};
use std::ffi::CString;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

pub const DEBUG: c_int = 0;
pub const MSG: c_int = 1;
pub const WARN: c_int = 2;
pub const ERR: c_int = 3;

pub type LogCb = unsafe extern "C" fn(c_int, *const c_char);
pub type FatalCb = unsafe extern "C" fn(c_int);

static LOG_CB: AtomicUsize = AtomicUsize::new(0);
static FATAL_CB: AtomicUsize = AtomicUsize::new(0);
static DEBUG_MASK: AtomicU32 = AtomicU32::new(0);

pub fn set_log_callback(cb: Option<LogCb>) {
    LOG_CB.store(cb.map_or(0, |f| f as usize), Ordering::Release);
}

pub fn set_fatal_callback(cb: Option<FatalCb>) {
    FATAL_CB.store(cb.map_or(0, |f| f as usize), Ordering::Release);
}

pub fn set_debug_mask(mask: u32) {
    DEBUG_MASK.store(mask, Ordering::Relaxed);
}

pub fn debug_enabled() -> bool {
    DEBUG_MASK.load(Ordering::Relaxed) != 0
}

pub fn log(severity: c_int, msg: &str) {
    let text = CString::new(msg.replace('\0', "")).unwrap_or_default();
    match LOG_CB.load(Ordering::Acquire) {
        0 => {
            let name = match severity {
                DEBUG => "debug",
                MSG => "msg",
                WARN => "warn",
                ERR => "err",
                _ => "???",
            };
            let line = CString::new(format!("[{name}] {}\n", text.to_string_lossy())).unwrap_or_default();
            write_stderr(&line);
        }
        f => {
            // SAFETY: the value was stored from a valid LogCb by set_log_callback.
            let cb: LogCb = unsafe { std::mem::transmute::<usize, LogCb>(f) };
            // SAFETY: the callback receives a valid NUL-terminated string for the call's duration.
            unsafe { cb(severity, text.as_ptr()) };
        }
    }
}

/// Writes through C's stderr, as libevent does (so a program's own stdio buffering and
/// redirections apply); Miri has no C stdio, so std's stderr there (tools/miri.sh).
fn write_stderr(line: &std::ffi::CStr) {
    #[cfg(miri)]
    eprint!("{}", line.to_string_lossy());
    #[cfg(not(miri))]
    {
        extern "C" {
            static mut stderr: *mut libc::FILE;
        }
        // SAFETY: glibc's stderr is a valid FILE for the process's lifetime, initialised
        // before any user code runs; line is a C string.
        unsafe { libc::fputs(line.as_ptr(), stderr) };
    }
}

/// A warning with the C library's text for the current errno appended, as event_warn() writes
/// it ("fcntl(3, F_GETFL): Bad file descriptor"). errno is left as it was, for the caller.
pub fn warn(msg: &str) {
    // SAFETY: errno is thread-local and always readable and writable.
    let code = unsafe { *libc::__errno_location() };
    log(WARN, &format!("{msg}: {}", strerror(code)));
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = code };
}

fn strerror(code: c_int) -> String {
    let mut buf = [0 as c_char; 256];
    // SAFETY: buf is writable for its length; the XSI strerror_r always NUL-terminates it.
    unsafe {
        libc::strerror_r(code, buf.as_mut_ptr(), buf.len());
        std::ffi::CStr::from_ptr(buf.as_ptr()).to_string_lossy().into_owned()
    }
}

/// `warn` for a failed allocation ("evhttp_new_object: calloc: Cannot allocate memory"): the
/// text is put together on the stack, since the allocator has just refused.
pub fn warn_no_alloc(msg: &str) {
    // SAFETY: errno is thread-local and always readable.
    let code = unsafe { *libc::__errno_location() };
    let mut err = [0 as c_char; 128];
    // SAFETY: err is writable for its length; the XSI strerror_r always NUL-terminates it.
    let err = unsafe {
        libc::strerror_r(code, err.as_mut_ptr(), err.len());
        std::ffi::CStr::from_ptr(err.as_ptr())
    };
    let mut line = [0u8; 512];
    let mut n = 0;
    let cb = LOG_CB.load(Ordering::Acquire);
    let (pre, post): (&[u8], &[u8]) = if cb == 0 { (b"[warn] ", b"\n") } else { (b"", b"") };
    let parts = [pre, msg.as_bytes(), b": ", err.to_bytes(), post];
    for p in parts {
        // Cut to fit, keeping the NUL (libevent truncates long messages too).
        let k = p.len().min(line.len() - 1 - n);
        line[n..n + k].copy_from_slice(&p[..k]);
        n += k;
    }
    let text = line.as_ptr() as *const c_char;
    match cb {
        // SAFETY: line is NUL-terminated (its last byte was never written).
        0 => write_stderr(unsafe { std::ffi::CStr::from_ptr(text) }),
        f => {
            // SAFETY: stored from a valid LogCb by set_log_callback.
            let cb: LogCb = unsafe { std::mem::transmute::<usize, LogCb>(f) };
            // SAFETY: the callback gets a NUL-terminated string valid for the call.
            unsafe { cb(WARN, text) };
        }
    }
    // SAFETY: as above; the caller may still look at errno.
    unsafe { *libc::__errno_location() = code };
}

pub fn warnx(msg: &str) {
    log(WARN, msg);
}

pub fn msgx(msg: &str) {
    log(MSG, msg);
}

pub fn debugx(msg: impl FnOnce() -> String) {
    if debug_enabled() {
        log(DEBUG, &msg());
    }
}

/// An unrecoverable misuse: logs, calls the fatal callback, then ends the process.
pub fn errx(code: c_int, msg: &str) -> ! {
    log(ERR, msg);
    match FATAL_CB.load(Ordering::Acquire) {
        0 => {}
        f => {
            // SAFETY: stored from a valid FatalCb.
            let cb: FatalCb = unsafe { std::mem::transmute::<usize, FatalCb>(f) };
            // SAFETY: plain C callback taking an int.
            unsafe { cb(code) };
        }
    }
    // libevent aborts on its internal "abort" code and exits otherwise.
    if code == 0xdeaddead_u32 as c_int {
        std::process::abort();
    }
    std::process::exit(code);
}
