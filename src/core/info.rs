//! `EVENT_RS_INFO`: one line on stderr at the first event base (or libev loop, which makes one)
//! of the process, naming what really runs: event_rs's version, the file it was loaded from,
//! the backend and the features in use. It lets an operator see that a service runs on
//! event_rs; `event_get_version()` keeps answering libevent's version for compatibility.
use crate::core::{debug, sync};
use std::ffi::{c_void, CStr};
use std::sync::Once;

static ONCE: Once = Once::new();

/// Called by every base creation with the base's method; writes the line for the first base
/// only, and only when `EVENT_RS_INFO` is set and neither empty nor "0". The variable is read
/// even under `EVENT_BASE_FLAG_IGNORE_ENV`: it changes nothing in how the library behaves.
pub fn announce(method: &CStr) {
    ONCE.call_once(|| {
        match std::env::var_os("EVENT_RS_INFO") {
            Some(v) if !v.is_empty() && v != "0" => {}
            _ => return,
        }
        // SAFETY: dladdr fills `dl` for an address inside a loaded object (this function's);
        // dli_fname, when not null, is a C string owned by the dynamic linker.
        let path = unsafe {
            let mut dl: libc::Dl_info = std::mem::zeroed();
            if libc::dladdr(announce as *const c_void, &mut dl) != 0 && !dl.dli_fname.is_null() {
                CStr::from_ptr(dl.dli_fname).to_string_lossy().into_owned()
            } else {
                "?".to_string()
            }
        };
        // OpenSSL is loaded only when a program uses it (src/bufferevent/ossl.rs): named when it
        // is in the process, not loaded for this line.
        let ssl = if crate::bufferevent::ossl::loaded() {
            // SAFETY: OpenSSL is loaded; OpenSSL_version returns a static C string.
            unsafe {
                CStr::from_ptr(crate::bufferevent::ossl::OpenSSL_version(crate::bufferevent::ossl::OPENSSL_VERSION))
            }
            .to_string_lossy()
            .into_owned()
        } else {
            "OpenSSL not loaded".to_string()
        };
        let on = |b: bool| if b { "on" } else { "off" };
        let line = format!(
            "[event_rs] event_rs {} (libevent 2.1.12-stable and libev 4.33 APIs) loaded from {}: \
             backend {}, threads {}, debug mode {}, {}\n",
            env!("CARGO_PKG_VERSION"),
            path,
            method.to_string_lossy(),
            on(sync::threads_enabled()),
            on(debug::enabled()),
            ssl,
        );
        // SAFETY: writes the bytes of `line` to descriptor 2; a failed write is ignored.
        unsafe { libc::write(2, line.as_ptr() as *const c_void, line.len()) };
    });
}
