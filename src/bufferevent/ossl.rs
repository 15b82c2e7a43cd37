//! OpenSSL, loaded when first needed. libevent keeps its OpenSSL bufferevents in a library of
//! their own (libevent_openssl), so a program that does not use them never maps libssl and
//! libcrypto; our one library has them too, and linking OpenSSL would cost every process
//! about 1.7 MB of RSS (the two libraries' relocated data and start-up work), TLS or not.
//! So the library does not link them: the functions below go through pointers that
//! `dlopen("libssl.so.3")` and `dlsym` fill on first use. A program handing us an `SSL *` has
//! libssl loaded already, and dlopen then returns that same copy.
//!
//! Types and constants are openssl-sys's (re-exported); each function here shadows the
//! openssl-sys function of the same name, so the callers read as before.
#![allow(non_snake_case)]

pub use openssl_sys::*;

// (libc::c_int, libc::c_char, libc::size_t and the other C types come with openssl-sys's re-export.)
use std::sync::OnceLock;

/// The OpenSSL major version openssl-sys was built against, whose libssl we load.
const LIBSSL: &std::ffi::CStr = c"libssl.so.3";

macro_rules! dl_functions {
    ($( fn $name:ident($($a:ident: $t:ty),* $(,)?) $(-> $r:ty)?; )*) => {
        struct Fns { $( $name: unsafe extern "C" fn($($t),*) $(-> $r)?, )* }

        fn load(handle: *mut libc::c_void) -> Option<Fns> {
            Some(Fns { $( $name: {
                // SAFETY: `handle` is a live dlopen handle and the name a C string.
                let p = unsafe { libc::dlsym(handle, concat!(stringify!($name), "\0").as_ptr().cast()) };
                if p.is_null() {
                    return None;
                }
                // SAFETY: the symbol is OpenSSL's function of this name, whose C prototype
                // the pointer type spells (as openssl-sys declares it).
                unsafe { std::mem::transmute::<*mut libc::c_void, unsafe extern "C" fn($($t),*) $(-> $r)?>(p) }
            }, )* })
        }

        $(
            /// OpenSSL's function of this name, through the loaded library.
            ///
            /// # Safety
            /// As OpenSSL's function; OpenSSL must be loadable (it is wherever an `SSL *`
            /// exists).
            #[inline]
            pub unsafe fn $name($($a: $t),*) $(-> $r)? { (fns().$name)($($a),*) }
        )*
    };
}

type BioWrite = Option<unsafe extern "C" fn(*mut BIO, *const libc::c_char, libc::c_int) -> libc::c_int>;
type BioRead = Option<unsafe extern "C" fn(*mut BIO, *mut libc::c_char, libc::c_int) -> libc::c_int>;
type BioPuts = Option<unsafe extern "C" fn(*mut BIO, *const libc::c_char) -> libc::c_int>;
type BioCtrl = Option<unsafe extern "C" fn(*mut BIO, libc::c_int, libc::c_long, *mut libc::c_void) -> libc::c_long>;
type VerifyCb = Option<extern "C" fn(libc::c_int, *mut X509_STORE_CTX) -> libc::c_int>;

dl_functions! {
    fn BIO_meth_new(type_: libc::c_int, name: *const libc::c_char) -> *mut BIO_METHOD;
    fn BIO_meth_set_write(m: *mut BIO_METHOD, f: BioWrite) -> libc::c_int;
    fn BIO_meth_set_read(m: *mut BIO_METHOD, f: BioRead) -> libc::c_int;
    fn BIO_meth_set_puts(m: *mut BIO_METHOD, f: BioPuts) -> libc::c_int;
    fn BIO_meth_set_ctrl(m: *mut BIO_METHOD, f: BioCtrl) -> libc::c_int;
    fn BIO_new(m: *const BIO_METHOD) -> *mut BIO;
    fn BIO_new_socket(sock: libc::c_int, close_flag: libc::c_int) -> *mut BIO;
    fn BIO_set_data(a: *mut BIO, data: *mut libc::c_void);
    fn BIO_get_data(a: *mut BIO) -> *mut libc::c_void;
    fn BIO_set_init(a: *mut BIO, init: libc::c_int);
    fn BIO_ctrl(b: *mut BIO, cmd: libc::c_int, larg: libc::c_long, parg: *mut libc::c_void) -> libc::c_long;
    fn BIO_set_flags(b: *mut BIO, flags: libc::c_int);
    fn BIO_clear_flags(b: *mut BIO, flags: libc::c_int);
    fn BIO_number_read(bio: *mut BIO) -> u64;
    fn BIO_number_written(bio: *mut BIO) -> u64;
    fn BIO_get_shutdown(bio: *mut BIO) -> libc::c_int;
    fn BIO_set_shutdown(bio: *mut BIO, shut: libc::c_int);
    fn ERR_clear_error();
    fn ERR_get_error() -> libc::c_ulong;
    fn ERR_peek_error() -> libc::c_ulong;
    fn SSL_CTX_new(method: *const SSL_METHOD) -> *mut SSL_CTX;
    fn SSL_CTX_free(ctx: *mut SSL_CTX);
    fn SSL_CTX_set_default_verify_paths(ctx: *mut SSL_CTX) -> libc::c_int;
    fn SSL_CTX_set_verify(ctx: *mut SSL_CTX, mode: libc::c_int, cb: VerifyCb);
    fn TLS_client_method() -> *const SSL_METHOD;
    fn SSL_new(ctx: *mut SSL_CTX) -> *mut SSL;
    fn SSL_free(ssl: *mut SSL);
    fn SSL_clear(ssl: *mut SSL) -> libc::c_int;
    fn SSL_renegotiate(ssl: *mut SSL) -> libc::c_int;
    fn SSL_has_pending(ssl: *const SSL) -> libc::c_int;
    fn SSL_get0_param(ssl: *mut SSL) -> *mut X509_VERIFY_PARAM;
    fn SSL_ctrl(ssl: *mut SSL, cmd: libc::c_int, larg: libc::c_long, parg: *mut libc::c_void) -> libc::c_long;
    fn SSL_get_wbio(ssl: *const SSL) -> *mut BIO;
    fn SSL_get_rbio(ssl: *const SSL) -> *mut BIO;
    fn SSL_set_bio(ssl: *mut SSL, rbio: *mut BIO, wbio: *mut BIO);
    fn SSL_set_connect_state(s: *mut SSL);
    fn SSL_set_accept_state(s: *mut SSL);
    fn SSL_do_handshake(ssl: *mut SSL) -> libc::c_int;
    fn SSL_get_error(ssl: *const SSL, ret: libc::c_int) -> libc::c_int;
    fn SSL_get_shutdown(ssl: *const SSL) -> libc::c_int;
    fn SSL_read(ssl: *mut SSL, buf: *mut libc::c_void, num: libc::c_int) -> libc::c_int;
    fn SSL_write(ssl: *mut SSL, buf: *const libc::c_void, num: libc::c_int) -> libc::c_int;
    fn SSL_pending(ssl: *const SSL) -> libc::c_int;
    fn X509_VERIFY_PARAM_set1_host(param: *mut X509_VERIFY_PARAM, name: *const libc::c_char, namelen: libc::size_t) -> libc::c_int;
    fn X509_VERIFY_PARAM_set1_ip_asc(param: *mut X509_VERIFY_PARAM, ipasc: *const libc::c_char) -> libc::c_int;
    fn OpenSSL_version(key: libc::c_int) -> *const libc::c_char;
}

static FNS: OnceLock<Option<Fns>> = OnceLock::new();

fn open() -> Option<Fns> {
    // SAFETY: dlopen of a library name; libssl's dependency libcrypto comes with it, and
    // dlsym on libssl's handle finds libcrypto's functions too.
    let handle = unsafe { libc::dlopen(LIBSSL.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    if handle.is_null() {
        return None;
    }
    load(handle)
}

fn fns() -> &'static Fns {
    match FNS.get_or_init(open) {
        Some(f) => f,
        None => crate::core::log::errx(1, "cannot load libssl.so.3 for an OpenSSL bufferevent"),
    }
}

/// Whether OpenSSL can be loaded (loads it).
pub fn available() -> bool {
    FNS.get_or_init(open).is_some()
}

/// Whether OpenSSL is in the process already (does not load it).
pub fn loaded() -> bool {
    if FNS.get().is_some_and(|f| f.is_some()) {
        return true;
    }
    // SAFETY: RTLD_NOLOAD only looks the library up; the handle is closed again at once.
    unsafe {
        let h = libc::dlopen(LIBSSL.as_ptr(), libc::RTLD_NOW | libc::RTLD_NOLOAD);
        if h.is_null() {
            return false;
        }
        libc::dlclose(h);
    }
    true
}

// OpenSSL's BIO retry macros, as functions.
/// # Safety
/// `b` is a live BIO.
pub unsafe fn BIO_set_retry_read(b: *mut BIO) {
    BIO_set_flags(b, BIO_FLAGS_READ | BIO_FLAGS_SHOULD_RETRY)
}

/// # Safety
/// `b` is a live BIO.
pub unsafe fn BIO_set_retry_write(b: *mut BIO) {
    BIO_set_flags(b, BIO_FLAGS_WRITE | BIO_FLAGS_SHOULD_RETRY)
}

/// # Safety
/// `b` is a live BIO.
pub unsafe fn BIO_clear_retry_flags(b: *mut BIO) {
    BIO_clear_flags(b, BIO_FLAGS_RWS | BIO_FLAGS_SHOULD_RETRY)
}
