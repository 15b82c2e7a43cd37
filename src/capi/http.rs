//! Exports of event2/http.h: header lists, URIs, encodings (and, as they land, the server and
//! client). Arguments are checked as libevent checks them (plus NULL checks where libevent
//! would crash), converted, and handed to src/http.
#![allow(non_camel_case_types)]
use crate::http::c_string;
use crate::http::encode::{self, Plus};
use crate::http::headers::{self, EvKeyValQ};
use crate::http::uri::Uri;
use libc::{c_char, c_int, c_uint, size_t, ssize_t};
use std::ffi::{CStr, CString};
use std::ptr;

pub type ev_ssize_t = ssize_t;
pub type EvhttpUri = Uri;

/// The bytes of a C string; None for NULL.
unsafe fn opt_bytes<'a>(s: *const c_char) -> Option<&'a [u8]> {
    if s.is_null() {
        None
    } else {
        Some(CStr::from_ptr(s).to_bytes())
    }
}

/// The URI of a request to make, or None when an argument is NULL: the request is then freed
/// (unless the program owns it), as libevent does.
unsafe fn request_args<'a>(
    evcon: *mut EvhttpConnection,
    req: *mut EvhttpRequest,
    uri: *const c_char,
) -> Option<&'a [u8]> {
    match (evcon.is_null(), req.is_null(), opt_bytes(uri)) {
        (false, false, Some(u)) => Some(u),
        _ => {
            if !req.is_null() {
                request::free_auto(req);
            }
            None
        }
    }
}

fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |c| c.as_ptr())
}

// ---- header lists

/// Looks up a header by name, ignoring ASCII case.
/// @param headers the list to search (a request's input or output headers, or a parsed query)
/// @param key the header's name
/// @return the value of the first header called `key`, or NULL when there is none (or an
/// argument is NULL). The string belongs to the list: it lives until that header is removed.
#[no_mangle]
pub unsafe extern "C" fn evhttp_find_header(headers: *const EvKeyValQ, key: *const c_char) -> *const c_char {
    let Some(key) = opt_bytes(key) else { return ptr::null() };
    if headers.is_null() {
        return ptr::null();
    }
    // SAFETY: the program passes an initialised list (as libevent requires).
    headers::find(headers, key)
}

/// Removes the first header called `key` (ASCII case ignored) and frees it.
/// @param headers the list to change
/// @param key the header's name
/// @return 0, or -1 when no header has that name (or an argument is NULL).
#[no_mangle]
pub unsafe extern "C" fn evhttp_remove_header(headers: *mut EvKeyValQ, key: *const c_char) -> c_int {
    let Some(key) = opt_bytes(key) else { return -1 };
    if headers.is_null() {
        return -1;
    }
    // SAFETY: an initialised list from the program.
    headers::remove(headers, key)
}

/// Appends a header to a list; the list keeps copies of both strings. A name may appear more
/// than once.
/// @param headers the list to change
/// @param key the header's name
/// @param value its value
/// @return 0, or -1 when the name or the value holds a CR or LF (which could inject another
/// header), when an argument is NULL, or when memory runs out.
#[no_mangle]
pub unsafe extern "C" fn evhttp_add_header(headers: *mut EvKeyValQ, key: *const c_char, value: *const c_char) -> c_int {
    let (Some(key), Some(value)) = (opt_bytes(key), opt_bytes(value)) else { return -1 };
    if headers.is_null() {
        return -1;
    }
    // SAFETY: an initialised list from the program.
    headers::add(headers, key, value)
}

/// Removes and frees every entry of a header list; the list head itself stays, empty and usable.
/// Use it on a list filled by evhttp_parse_query() and friends once done with it.
/// @param headers the list to empty (NULL is ignored)
#[no_mangle]
pub unsafe extern "C" fn evhttp_clear_headers(headers: *mut EvKeyValQ) {
    if !headers.is_null() {
        // SAFETY: an initialised list from the program.
        headers::clear(headers)
    }
}

// ---- encodings

/// Percent-encodes a C string: the same as `evhttp_uriencode(text, -1, 0)`.
/// @param text the text to encode
/// @return a new string the caller frees with the C library's free (or the free function given
/// to event_set_mem_functions()); NULL when `text` is NULL or memory runs out.
#[no_mangle]
pub unsafe extern "C" fn evhttp_encode_uri(text: *const c_char) -> *mut c_char {
    evhttp_uriencode(text, -1, 0)
}

/// Percent-encodes bytes: every byte but the RFC 3986 unreserved ones (letters, digits, `-._~`)
/// becomes `%XX` with upper-case hex digits.
/// @param text the bytes to encode
/// @param size how many bytes to read (NUL bytes included), or a negative value to read `text`
/// as a C string
/// @param space_to_plus non-zero: a space becomes `+` (form encoding) instead of `%20`
/// @return a new string the caller frees with the C library's free (or the
/// event_set_mem_functions() allocator's); NULL when `text` is NULL or memory runs out.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uriencode(text: *const c_char, size: ev_ssize_t, space_to_plus: c_int) -> *mut c_char {
    if text.is_null() {
        return ptr::null_mut();
    }
    let len = if size >= 0 { size as usize } else { libc::strlen(text) };
    // SAFETY: `size` bytes (or the string) are readable, as the caller promises.
    let bytes = std::slice::from_raw_parts(text as *const u8, len);
    c_string(&encode::uriencode(bytes, space_to_plus != 0))
}

/// Decodes the `%XX` escapes of a URI. As in libevent, `+` becomes a space only after the first
/// `?` (in the query); evhttp_uridecode() lets the caller choose.
/// @param uri the text to decode
/// @return a new string the caller frees with the C library's free; NULL when `uri` is NULL or
/// memory runs out.
#[no_mangle]
pub unsafe extern "C" fn evhttp_decode_uri(uri: *const c_char) -> *mut c_char {
    let Some(s) = opt_bytes(uri) else { return ptr::null_mut() };
    c_string(&encode::decode(s, Plus::AfterQuestionMark))
}

/// Decodes `%XX` escapes (two hex digits; any other `%` is kept as it is).
/// @param uri the text to decode
/// @param decode_plus non-zero: every `+` becomes a space; zero: `+` is kept
/// @param size_out if not NULL, receives the decoded length (the result may hold NUL bytes)
/// @return a new string the caller frees with the C library's free; NULL when `uri` is NULL or
/// memory runs out.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uridecode(
    uri: *const c_char,
    decode_plus: c_int,
    size_out: *mut size_t,
) -> *mut c_char {
    let Some(s) = opt_bytes(uri) else { return ptr::null_mut() };
    let out = encode::decode(s, if decode_plus != 0 { Plus::Space } else { Plus::Keep });
    let p = c_string(&out);
    if !p.is_null() && !size_out.is_null() {
        *size_out = out.len();
    }
    p
}

/// Parses the query of a URI (or of a request target such as "/path?a=1&b=2") into a header
/// list: one entry per `key=value` pair, the value decoded (`+` is a space), the key as it is.
/// @param uri the URI; without a query the list stays empty
/// @param headers the list head to fill: it is initialised here (whatever it held is not freed).
/// Free the entries with evhttp_clear_headers().
/// @return 0, or -1 (and an empty list) when the URI cannot be parsed, or a pair has no `=` or
/// an empty key.
#[no_mangle]
pub unsafe extern "C" fn evhttp_parse_query(uri: *const c_char, headers: *mut EvKeyValQ) -> c_int {
    let Some(s) = opt_bytes(uri) else { return -1 };
    if headers.is_null() {
        return -1;
    }
    // SAFETY: `headers` is writable memory for a list head (it is initialised here).
    encode::parse_query_into(s, headers, true)
}

/// Like evhttp_parse_query(), but given the query itself (what follows the `?`).
/// @param uri the query string, e.g. "a=1&b=2"
/// @param headers the list head to fill (initialised here; free with evhttp_clear_headers())
/// @return 0, or -1 (and an empty list) when a pair is malformed.
#[no_mangle]
pub unsafe extern "C" fn evhttp_parse_query_str(uri: *const c_char, headers: *mut EvKeyValQ) -> c_int {
    let Some(s) = opt_bytes(uri) else { return -1 };
    if headers.is_null() {
        return -1;
    }
    // SAFETY: as for evhttp_parse_query.
    encode::parse_query_into(s, headers, false)
}

/// Escapes text for HTML: `&`, `<`, `>`, double and single quotes become character entities.
/// @param html the text to escape
/// @return a new string the caller frees with the C library's free; NULL when `html` is NULL or
/// memory runs out.
#[no_mangle]
pub unsafe extern "C" fn evhttp_htmlescape(html: *const c_char) -> *mut c_char {
    let Some(s) = opt_bytes(html) else { return ptr::null_mut() };
    c_string(&encode::htmlescape(s))
}

// ---- URIs

/// Makes an empty URI (every part absent, no port), to fill with the evhttp_uri_set_ calls and
/// write out with evhttp_uri_join().
/// @return the URI; the caller frees it with evhttp_uri_free().
#[no_mangle]
pub extern "C" fn evhttp_uri_new() -> *mut EvhttpUri {
    Box::into_raw(Box::new(Uri::new()))
}

/// Frees a URI and the strings of its parts.
/// @param uri the URI (NULL is ignored)
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_free(uri: *mut EvhttpUri) {
    if !uri.is_null() {
        // SAFETY: made by Box::into_raw in this file, released once.
        drop(Box::from_raw(uri));
    }
}

/// Sets the EVHTTP_URI_ flags that the setters and evhttp_uri_join() follow afterwards (for
/// instance EVHTTP_URI_HOST_STRIP_BRACKETS, EVHTTP_URI_NONCONFORMANT).
/// @param uri the URI (NULL is ignored)
/// @param flags the new flags, replacing the old ones
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_flags(uri: *mut EvhttpUri, flags: c_uint) {
    if let Some(u) = uri.as_mut() {
        u.flags = flags;
    }
}

/// Parses an absolute URI or a relative reference after RFC 3986. Each part is checked against
/// its grammar, and kept as written (not percent-decoded).
/// @param source_uri the text
/// @param flags EVHTTP_URI_NONCONFORMANT (take path, query and fragment loosely), and the 2.2
/// flags EVHTTP_URI_HOST_STRIP_BRACKETS and EVHTTP_URI_UNIX_SOCKET
/// @return a new URI the caller frees with evhttp_uri_free(), or NULL when the text is invalid
/// or NULL.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_parse_with_flags(source_uri: *const c_char, flags: c_uint) -> *mut EvhttpUri {
    let Some(s) = opt_bytes(source_uri) else { return ptr::null_mut() };
    match Uri::parse(s, flags) {
        Some(u) => Box::into_raw(Box::new(u)),
        None => ptr::null_mut(),
    }
}

/// Parses a URI strictly: evhttp_uri_parse_with_flags() with no flags.
/// @param source_uri the text
/// @return a new URI (free with evhttp_uri_free()), or NULL when it is invalid.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_parse(source_uri: *const c_char) -> *mut EvhttpUri {
    evhttp_uri_parse_with_flags(source_uri, 0)
}

/// Writes a URI out as text, with a terminating NUL.
/// @param uri the URI
/// @param buf where to write
/// @param limit the size of `buf` in bytes
/// @return `buf`, or NULL when the text and its NUL do not fit, when `limit` is 0, or when a
/// host (or Unix socket) is set with a path that is neither empty nor absolute (the text could
/// not be read back).
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_join(uri: *mut EvhttpUri, buf: *mut c_char, limit: size_t) -> *mut c_char {
    let Some(u) = uri.as_ref() else { return ptr::null_mut() };
    if buf.is_null() || limit == 0 {
        return ptr::null_mut();
    }
    let Some(text) = u.join() else { return ptr::null_mut() };
    if text.len() + 1 > limit {
        return ptr::null_mut();
    }
    // SAFETY: the caller gives `limit` writable bytes, and the text and its NUL fit.
    ptr::copy_nonoverlapping(text.as_ptr(), buf as *mut u8, text.len());
    *buf.add(text.len()) = 0;
    buf
}

/// @param uri the URI
/// @return the scheme ("http"), or NULL when absent. The string belongs to the URI: it lives
/// until the part is set again or the URI is freed.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_scheme(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.scheme))
}

/// @param uri the URI
/// @return the user information (what precedes the host and its `@`), or NULL when absent;
/// owned by the URI.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_userinfo(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.userinfo))
}

/// @param uri the URI
/// @return the host, or NULL when the URI has no authority (an empty string is a present but
/// empty host); owned by the URI. An IPv6 address keeps its brackets unless the URI was parsed
/// with EVHTTP_URI_HOST_STRIP_BRACKETS.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_host(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.host))
}

/// @param uri the URI
/// @return the port, or -1 when none is given (or `uri` is NULL).
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_port(uri: *const EvhttpUri) -> c_int {
    uri.as_ref().map_or(-1, |u| u.port)
}

/// @param uri the URI
/// @return the path (possibly empty: a parsed URI always has one), or NULL when absent; owned
/// by the URI.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_path(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.path))
}

/// @param uri the URI
/// @return the query without its `?` (not decoded: see evhttp_parse_query_str()), or NULL when
/// absent; owned by the URI.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_query(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.query))
}

/// @param uri the URI
/// @return the fragment without its leading mark, or NULL when absent; owned by the URI.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_fragment(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.fragment))
}

/// Runs a setter: -1 for a NULL URI or a refused value, else 0.
unsafe fn set(
    uri: *mut EvhttpUri,
    v: *const c_char,
    f: impl FnOnce(&mut Uri, Option<&[u8]>) -> Result<(), ()>,
) -> c_int {
    match uri.as_mut() {
        Some(u) => f(u, opt_bytes(v)).map_or(-1, |_| 0),
        None => -1,
    }
}

/// Sets or removes the scheme. The URI keeps a copy.
/// @param uri the URI
/// @param scheme the new scheme (a letter, then letters, digits, `+`, `-` or `.`), or NULL to
/// remove it
/// @return 0, or -1 when `uri` is NULL or the value is invalid (the URI is then unchanged).
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_scheme(uri: *mut EvhttpUri, scheme: *const c_char) -> c_int {
    set(uri, scheme, Uri::set_scheme)
}

/// Sets or removes the user information. The URI keeps a copy.
/// @param uri the URI
/// @param userinfo the new value, or NULL to remove it
/// @return 0, or -1 when `uri` is NULL or the value holds characters userinfo may not hold.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_userinfo(uri: *mut EvhttpUri, userinfo: *const c_char) -> c_int {
    set(uri, userinfo, Uri::set_userinfo)
}

/// Sets or removes the host. The URI keeps a copy.
/// @param uri the URI
/// @param host a registered name, an IPv4 address or a bracketed IPv6 address (bare, when the
/// URI has EVHTTP_URI_HOST_STRIP_BRACKETS), or NULL to remove it
/// @return 0, or -1 when `uri` is NULL or the host is invalid (the URI is then unchanged).
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_host(uri: *mut EvhttpUri, host: *const c_char) -> c_int {
    set(uri, host, Uri::set_host)
}

/// Sets or removes the port.
/// @param uri the URI
/// @param port the port, or -1 for none
/// @return 0, or -1 when `uri` is NULL or `port` is below -1.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_port(uri: *mut EvhttpUri, port: c_int) -> c_int {
    match uri.as_mut() {
        Some(u) => u.set_port(port).map_or(-1, |_| 0),
        None => -1,
    }
}

/// Sets or removes the path. The URI keeps a copy; it is checked as the URI's flags say
/// (EVHTTP_URI_NONCONFORMANT is lenient).
/// @param uri the URI
/// @param path the new path, or NULL to remove it
/// @return 0, or -1 when `uri` is NULL or the path holds characters a path may not hold.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_path(uri: *mut EvhttpUri, path: *const c_char) -> c_int {
    set(uri, path, Uri::set_path)
}

/// Sets or removes the query. The URI keeps a copy (already encoded: see evhttp_uriencode()).
/// @param uri the URI
/// @param query the query without its `?`, or NULL to remove it
/// @return 0, or -1 when `uri` is NULL or the query is invalid.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_query(uri: *mut EvhttpUri, query: *const c_char) -> c_int {
    set(uri, query, Uri::set_query)
}

/// Sets or removes the fragment. The URI keeps a copy.
/// @param uri the URI
/// @param fragment the fragment without its leading mark, or NULL to remove it
/// @return 0, or -1 when `uri` is NULL or the fragment is invalid.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_fragment(uri: *mut EvhttpUri, fragment: *const c_char) -> c_int {
    set(uri, fragment, Uri::set_fragment)
}

// ---- server

pub type Evhttp = crate::http::server::Evhttp;
pub type EvhttpBoundSocket = crate::http::server::BoundSocket;
pub type EvhttpRequest = crate::http::request::Request;
pub type EvhttpConnection = crate::http::conn::Connection;
pub type EventBase = crate::http::ffi::event_base;
pub type Evbuffer = crate::http::ffi::evbuffer;
pub type Bufferevent = crate::http::ffi::bufferevent;
pub type Evconnlistener = crate::http::ffi::evconnlistener;
pub type HttpDnsBase = crate::http::ffi::evdns_base;
pub type EvhttpCmdType = c_uint;
pub type EvhttpRequestError = c_uint;
pub type ev_uint16_t = u16;
pub type evutil_socket_t = c_int;

use crate::http::conn;
use crate::http::request;
use crate::http::server;
use libc::{c_void, sockaddr, timeval};

/// Makes an HTTP server on a base. It listens nowhere until evhttp_bind_socket() (or another
/// bind call). Defaults: methods GET, POST, HEAD, PUT and DELETE; no size limits; no timeouts;
/// Content-Type "text/html; charset=ISO-8859-1" for replies that set none.
/// @param base the base whose loop runs the server; it must outlive the server
/// @return the server, which the caller frees with evhttp_free(); NULL when memory runs out.
#[no_mangle]
pub unsafe extern "C" fn evhttp_new(base: *mut EventBase) -> *mut Evhttp {
    Evhttp::new(base)
}

/// Frees a server: closes its listening sockets (freeing listeners given with
/// evhttp_bind_listener()), frees its connections (their close callbacks run; requests in
/// progress are freed without their callbacks) and the virtual hosts added to it.
/// @param http the server (NULL is ignored)
#[no_mangle]
pub unsafe extern "C" fn evhttp_free(http: *mut Evhttp) {
    if !http.is_null() {
        // SAFETY: a server from evhttp_new, released once.
        server::free(http)
    }
}

/// Makes the server listen on a new TCP socket (SO_REUSEADDR, backlog 128). May be called
/// several times to listen on several addresses.
/// @param http the server
/// @param address a local address or host name, or NULL for the resolver's first passive
/// address (usually 0.0.0.0)
/// @param port the port, or 0 for one the system picks (see evhttp_bound_socket_get_fd())
/// @return 0, or -1 when the address cannot be resolved, bound or listened on.
#[no_mangle]
pub unsafe extern "C" fn evhttp_bind_socket(http: *mut Evhttp, address: *const c_char, port: ev_uint16_t) -> c_int {
    if evhttp_bind_socket_with_handle(http, address, port).is_null() {
        -1
    } else {
        0
    }
}

/// Like evhttp_bind_socket(), returning a handle on the new socket.
/// @param http the server
/// @param address a local address or host name, or NULL (see evhttp_bind_socket())
/// @param port the port, or 0 for any
/// @return the bound socket (owned by the server, valid until evhttp_del_accept_socket() or
/// evhttp_free()), or NULL on failure.
#[no_mangle]
pub unsafe extern "C" fn evhttp_bind_socket_with_handle(
    http: *mut Evhttp,
    address: *const c_char,
    port: ev_uint16_t,
) -> *mut EvhttpBoundSocket {
    if http.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a live server.
    server::bind(http, opt_bytes(address), port)
}

/// Makes the server accept connections on a socket the program already bound and listened on.
/// The server takes the socket and closes it when done.
/// @param http the server
/// @param fd the listening socket
/// @return 0, or -1 on failure.
#[no_mangle]
pub unsafe extern "C" fn evhttp_accept_socket(http: *mut Evhttp, fd: evutil_socket_t) -> c_int {
    if evhttp_accept_socket_with_handle(http, fd).is_null() {
        -1
    } else {
        0
    }
}

/// Like evhttp_accept_socket(), returning a handle on the socket.
/// @param http the server
/// @param fd the listening socket, which the server then owns
/// @return the bound socket (owned by the server), or NULL on failure.
#[no_mangle]
pub unsafe extern "C" fn evhttp_accept_socket_with_handle(
    http: *mut Evhttp,
    fd: evutil_socket_t,
) -> *mut EvhttpBoundSocket {
    if http.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a live server; the socket is the program's, listening.
    server::accept_socket(http, fd)
}

/// Makes the server accept the connections of an existing listener (TCP or Unix-domain). The
/// server replaces the listener's callback and frees it with evhttp_del_accept_socket() or
/// evhttp_free().
/// @param http the server
/// @param listener the listener, which the server then owns
/// @return the bound socket (owned by the server), or NULL when an argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn evhttp_bind_listener(
    http: *mut Evhttp,
    listener: *mut Evconnlistener,
) -> *mut EvhttpBoundSocket {
    if http.is_null() || listener.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a live server and listener.
    server::bind_listener(http, listener)
}

/// @param bound a bound socket of a server
/// @return its listener (owned by the server: do not free it), or NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn evhttp_bound_socket_get_listener(bound: *mut EvhttpBoundSocket) -> *mut Evconnlistener {
    bound.as_ref().map_or(ptr::null_mut(), |b| b.listener)
}

/// @param bound a bound socket of a server
/// @return its listening socket (owned by the server), or -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn evhttp_bound_socket_get_fd(bound: *mut EvhttpBoundSocket) -> evutil_socket_t {
    match bound.as_ref() {
        // SAFETY: the bound socket's listener is live.
        Some(b) => crate::http::ffi::evconnlistener_get_fd(b.listener),
        None => -1,
    }
}

/// Calls `function` with each socket the server listens on and `argument`. The function may
/// remove the socket it is given (evhttp_del_accept_socket()), but no other.
/// @param http the server
/// @param function the function to call
/// @param argument its last argument
#[no_mangle]
pub unsafe extern "C" fn evhttp_foreach_bound_socket(
    http: *mut Evhttp,
    function: Option<unsafe extern "C" fn(*mut EvhttpBoundSocket, *mut c_void)>,
    argument: *mut c_void,
) {
    let (Some(h), Some(f)) = (http.as_ref(), function) else { return };
    for b in h.sockets.clone() {
        f(b, argument);
    }
}

/// Stops listening on one socket and closes it (freeing its listener); the handle is then
/// invalid. Connections already accepted from it carry on.
/// @param http the server
/// @param bound_socket one of its bound sockets
#[no_mangle]
pub unsafe extern "C" fn evhttp_del_accept_socket(http: *mut Evhttp, bound_socket: *mut EvhttpBoundSocket) {
    if !http.is_null() && !bound_socket.is_null() {
        // SAFETY: a live server and one of its sockets.
        server::del_accept_socket(http, bound_socket)
    }
}

fn size_limit(v: ev_ssize_t) -> u64 {
    if v < 0 {
        u64::MAX
    } else {
        v as u64
    }
}

/// Limits the size of a request's head (request line and headers) for connections accepted
/// afterwards; a larger head is refused with an error reply and the connection closes.
/// @param http the server
/// @param max_headers_size the limit in bytes, or a negative value for none (the default)
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_max_headers_size(http: *mut Evhttp, max_headers_size: ev_ssize_t) {
    if let Some(h) = http.as_mut() {
        h.max_headers_size = size_limit(max_headers_size);
    }
}

/// Limits the size of a request body for connections accepted afterwards. A larger body is
/// answered 413 and the connection closed: at once, or after reading the body with
/// EVHTTP_SERVER_LINGERING_CLOSE. Streamed bodies (evhttp_request_set_body_cb()) count too.
/// @param http the server
/// @param max_body_size the limit in bytes, or a negative value for none (the default)
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_max_body_size(http: *mut Evhttp, max_body_size: ev_ssize_t) {
    if let Some(h) = http.as_mut() {
        h.max_body_size = size_limit(max_body_size);
    }
}

/// Sets the Content-Type added to replies with a body that set none.
/// @param http the server
/// @param content_type the value (copied), or NULL to add none
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_default_content_type(http: *mut Evhttp, content_type: *const c_char) {
    if let Some(h) = http.as_mut() {
        h.default_content_type = opt_bytes(content_type).map(|b| CString::new(b).unwrap_or_default());
    }
}

/// Chooses the request methods the server serves; a request with another method is answered
/// 501 (Not Implemented) without reaching a callback.
/// @param http the server
/// @param methods a mask of EVHTTP_REQ_ values (default: GET, POST, HEAD, PUT, DELETE)
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_allowed_methods(http: *mut Evhttp, methods: ev_uint16_t) {
    if let Some(h) = http.as_mut() {
        h.allowed_methods = methods as u32;
    }
}

/// Routes the requests for one path to a callback. The request's path (without query,
/// percent-decoded) must equal `path` exactly. The callback answers with evhttp_send_reply()
/// (or the other evhttp_send_ calls), now or later; the library frees the request once the
/// reply is out.
/// @param http the server
/// @param path the path, e.g. "/index.html" (copied)
/// @param cb called with the request and `cb_arg`
/// @param cb_arg its last argument
/// @return 0, -1 when the path already has a callback, -2 when an argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_cb(
    http: *mut Evhttp,
    path: *const c_char,
    cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void)>,
    cb_arg: *mut c_void,
) -> c_int {
    let (Some(h), Some(p), Some(cb)) = (http.as_mut(), opt_bytes(path), cb) else { return -2 };
    if h.callbacks.iter().any(|c| c.path.as_bytes() == p) {
        return -1;
    }
    h.callbacks.push(server::PathCb { path: CString::new(p).unwrap_or_default(), cb, arg: cb_arg });
    0
}

/// Removes the callback of a path.
/// @param http the server
/// @param path the path given to evhttp_set_cb()
/// @return 0, or -1 when the path has no callback.
#[no_mangle]
pub unsafe extern "C" fn evhttp_del_cb(http: *mut Evhttp, path: *const c_char) -> c_int {
    let (Some(h), Some(p)) = (http.as_mut(), opt_bytes(path)) else { return -1 };
    match h.callbacks.iter().position(|c| c.path.as_bytes() == p) {
        Some(i) => {
            h.callbacks.remove(i);
            0
        }
        None => -1,
    }
}

/// Sets the callback for requests that no path callback takes. Without one, such requests are
/// answered 404 with a small HTML page.
/// @param http the server
/// @param cb called with the request and `arg`, or NULL to remove it
/// @param arg its last argument
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_gencb(
    http: *mut Evhttp,
    cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void)>,
    arg: *mut c_void,
) {
    if let Some(h) = http.as_mut() {
        h.gencb = cb;
        h.gencb_arg = arg;
    }
}

/// Lets the program make the bufferevent of each accepted connection (for instance an OpenSSL
/// bufferevent with fd -1, for HTTPS). The library sets its socket and frees it with the
/// connection.
/// @param http the server
/// @param cb called with the server's base and `arg`; it returns a new bufferevent, or NULL for
/// a plain socket one. NULL removes the callback.
/// @param arg its last argument
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_bevcb(
    http: *mut Evhttp,
    cb: Option<unsafe extern "C" fn(*mut EventBase, *mut c_void) -> *mut Bufferevent>,
    arg: *mut c_void,
) {
    if let Some(h) = http.as_mut() {
        h.bevcb = cb;
        h.bevcb_arg = arg;
    }
}

/// Adds a virtual host: requests whose host (see evhttp_request_get_host()) matches `pattern` are
/// routed by the callbacks of `vhost` instead. Virtual hosts nest.
/// @param http the server
/// @param pattern a host name pattern, ASCII case ignored, where `*` matches any run of
/// characters
/// @param vhost a server made with evhttp_new() that listens nowhere and is no virtual host yet;
/// `http` owns it from now on (evhttp_free() of `http` frees it)
/// @return 0, or -1 when an argument is NULL or `vhost` does not qualify.
#[no_mangle]
pub unsafe extern "C" fn evhttp_add_virtual_host(
    http: *mut Evhttp,
    pattern: *const c_char,
    vhost: *mut Evhttp,
) -> c_int {
    let (Some(h), Some(p), Some(v)) = (http.as_mut(), opt_bytes(pattern), vhost.as_mut()) else { return -1 };
    if v.vhost_pattern.is_some() || !v.sockets.is_empty() {
        return -1;
    }
    v.vhost_pattern = Some(CString::new(p).unwrap_or_default());
    h.vhosts.push(vhost);
    0
}

/// Removes a virtual host; the program owns `vhost` again and frees it with evhttp_free().
/// @param http the server it was added to
/// @param vhost the virtual host
/// @return 0, or -1 when `vhost` is not a virtual host.
#[no_mangle]
pub unsafe extern "C" fn evhttp_remove_virtual_host(http: *mut Evhttp, vhost: *mut Evhttp) -> c_int {
    let (Some(h), Some(v)) = (http.as_mut(), vhost.as_mut()) else { return -1 };
    if v.vhost_pattern.is_none() {
        return -1;
    }
    h.vhosts.retain(|&x| x != vhost);
    v.vhost_pattern = None;
    0
}

/// Adds another host name that this server object serves: a request for it is routed here even
/// when it is a virtual host of another server. Names are compared ignoring ASCII case.
/// @param http the server (or virtual host)
/// @param alias the host name (copied)
/// @return 0, or -1 when an argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn evhttp_add_server_alias(http: *mut Evhttp, alias: *const c_char) -> c_int {
    let (Some(h), Some(a)) = (http.as_mut(), opt_bytes(alias)) else { return -1 };
    h.aliases.push(CString::new(a).unwrap_or_default());
    0
}

/// Removes an alias added with evhttp_add_server_alias().
/// @param http the server
/// @param alias the host name (ASCII case ignored)
/// @return 0, or -1 when the server has no such alias.
#[no_mangle]
pub unsafe extern "C" fn evhttp_remove_server_alias(http: *mut Evhttp, alias: *const c_char) -> c_int {
    let (Some(h), Some(a)) = (http.as_mut(), opt_bytes(alias)) else { return -1 };
    match h.aliases.iter().position(|x| x.as_bytes().eq_ignore_ascii_case(a)) {
        Some(i) => {
            h.aliases.remove(i);
            0
        }
        None => -1,
    }
}

/// Sets the read and write timeouts of the connections accepted afterwards. A connection that
/// stays idle that long while reading a request or writing a reply is closed. By default there
/// is none.
/// @param http the server
/// @param timeout_in_secs the timeout in seconds; -1 or 0 for none
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_timeout(http: *mut Evhttp, timeout_in_secs: c_int) {
    if timeout_in_secs == -1 {
        evhttp_set_timeout_tv(http, ptr::null());
    } else {
        let t = timeval { tv_sec: timeout_in_secs as _, tv_usec: 0 };
        evhttp_set_timeout_tv(http, &t);
    }
}

/// Like evhttp_set_timeout(), with a finer timeout.
/// @param http the server
/// @param tv the timeout (copied); NULL or zero for none
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_timeout_tv(http: *mut Evhttp, tv: *const timeval) {
    if let Some(h) = http.as_mut() {
        h.timeout_read = tv.as_ref().copied().filter(|t| t.tv_sec != 0 || t.tv_usec != 0);
        h.timeout_write = h.timeout_read;
    }
}

/// Sets the server's flags, replacing the earlier ones.
/// @param http the server
/// @param flags 0 or EVHTTP_SERVER_LINGERING_CLOSE
/// @return 0, or 1 for an unknown flag or a NULL server (as libevent).
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_flags(http: *mut Evhttp, flags: c_int) -> c_int {
    let Some(h) = http.as_mut() else { return 1 };
    let avail = server::SERVER_LINGERING_CLOSE;
    if flags & !avail != 0 {
        return 1;
    }
    h.flags = (h.flags & !avail) | flags;
    0
}

// ---- replies

/// Answers a request with an error: a small HTML page naming the code and reason, with the
/// request's output headers replaced by Content-Type and "Connection: close". The connection
/// closes once it is written, and the library frees the request: do not use it afterwards.
/// With evhttp_set_errorcb() (libevent 2.2), the program may write the page itself.
/// @param req a request handed to a server callback
/// @param error the HTTP status, e.g. HTTP_NOTFOUND
/// @param reason the reason phrase, or NULL for the usual one
#[no_mangle]
pub unsafe extern "C" fn evhttp_send_error(req: *mut EvhttpRequest, error: c_int, reason: *const c_char) {
    if !req.is_null() {
        // SAFETY: a live request from the library.
        conn::send_error(req, error, opt_bytes(reason))
    }
}

/// Answers a request in one go. The library adds what is missing among Date, Content-Length,
/// Content-Type (the server's default) and Connection, then writes the headers and the body. The
/// request is freed once the reply is written (do not use it afterwards); the connection then
/// reads the next request, or closes when the request or the reply asked for it or the client
/// speaks HTTP/1.0 without keep-alive. If the client went away meanwhile, the request is freed
/// at once. Unlike libevent, a reply to HEAD, or with status 1xx, 204 or 304, carries no body
/// even when given one (libevent sends it, breaking the next reply's framing).
/// @param req a request handed to a server callback
/// @param code the HTTP status
/// @param reason the reason phrase, or NULL for the usual one
/// @param databuf the body, whose bytes are moved out of it (the buffer stays the caller's), or
/// NULL to send what the request's output buffer holds
#[no_mangle]
pub unsafe extern "C" fn evhttp_send_reply(
    req: *mut EvhttpRequest,
    code: c_int,
    reason: *const c_char,
    databuf: *mut Evbuffer,
) {
    if !req.is_null() {
        // SAFETY: a live request; databuf NULL or a buffer.
        conn::send_reply(req, code, opt_bytes(reason), databuf)
    }
}

/// Starts a reply whose body follows in pieces (evhttp_send_reply_chunk(), then
/// evhttp_send_reply_end()). The status line and headers go out now. On HTTP/1.1, when the
/// program set no Content-Length, the body is sent chunked; otherwise its bytes go as they are.
/// @param req a request handed to a server callback
/// @param code the HTTP status
/// @param reason the reason phrase, or NULL for the usual one
#[no_mangle]
pub unsafe extern "C" fn evhttp_send_reply_start(req: *mut EvhttpRequest, code: c_int, reason: *const c_char) {
    if !req.is_null() {
        // SAFETY: a live request.
        conn::send_reply_start(req, code, opt_bytes(reason))
    }
}

/// Sends the next piece of a reply started with evhttp_send_reply_start(). An empty buffer sends
/// nothing (an empty chunk would end the body). Ignored once the client has gone.
/// @param req the request
/// @param databuf the bytes to send, moved out of the buffer (which stays the caller's)
#[no_mangle]
pub unsafe extern "C" fn evhttp_send_reply_chunk(req: *mut EvhttpRequest, databuf: *mut Evbuffer) {
    evhttp_send_reply_chunk_with_cb(req, databuf, None, ptr::null_mut())
}

/// Like evhttp_send_reply_chunk(), then calls `cb` (with the connection and `arg`) once
/// everything queued so far has been written to the socket: the moment to produce the next
/// piece without buffering a large body in memory.
/// @param req the request
/// @param databuf the bytes to send, moved out of the buffer
/// @param cb called with the request's connection when the output is written (NULL: none)
/// @param arg its last argument
#[no_mangle]
pub unsafe extern "C" fn evhttp_send_reply_chunk_with_cb(
    req: *mut EvhttpRequest,
    databuf: *mut Evbuffer,
    cb: Option<unsafe extern "C" fn(*mut EvhttpConnection, *mut c_void)>,
    arg: *mut c_void,
) {
    if !req.is_null() {
        // SAFETY: a live request and buffer.
        conn::send_reply_chunk(req, databuf, cb, arg)
    }
}

/// Ends a reply started with evhttp_send_reply_start() (the last, empty, chunk when chunked).
/// Once it is written the library frees the request, and the connection goes on as after
/// evhttp_send_reply(). If the client went away, the request is freed at once.
/// @param req the request
#[no_mangle]
pub unsafe extern "C" fn evhttp_send_reply_end(req: *mut EvhttpRequest) {
    if !req.is_null() {
        // SAFETY: a live request.
        conn::send_reply_end(req)
    }
}

// ---- connections

/// Makes a client connection to an HTTP server. Nothing happens until the first request
/// (evhttp_make_request()): the connection then resolves, connects, and reconnects as needed
/// for later requests.
/// @param base the base whose loop runs the connection
/// @param dnsbase the resolver for `address`, or NULL for the system's getaddrinfo (which
/// blocks the loop while it resolves)
/// @param bev the bufferevent to use, with no socket yet (for instance an OpenSSL one for
/// HTTPS), or NULL for a new socket bufferevent; the connection owns it and frees it
/// @param address the server's host name or address (copied)
/// @param port the server's port
/// @return the connection, which the caller frees with evhttp_connection_free() (or see
/// evhttp_connection_free_on_completion()); NULL when `address` is NULL or the bufferevent
/// cannot be made.
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_base_bufferevent_new(
    base: *mut EventBase,
    dnsbase: *mut HttpDnsBase,
    bev: *mut Bufferevent,
    address: *const c_char,
    port: ev_uint16_t,
) -> *mut EvhttpConnection {
    let Some(a) = opt_bytes(address) else { return ptr::null_mut() };
    // SAFETY: bev is NULL or a bufferevent the program hands over.
    conn::new(base, dnsbase, bev, a, port)
}

/// Makes a client connection over a new socket bufferevent:
/// evhttp_connection_base_bufferevent_new() with `bev` NULL.
/// @param base the base whose loop runs the connection
/// @param dnsbase the resolver, or NULL for the system's (blocking) one
/// @param address the server's host name or address (copied)
/// @param port the server's port
/// @return the connection (free with evhttp_connection_free()), or NULL on failure.
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_base_new(
    base: *mut EventBase,
    dnsbase: *mut HttpDnsBase,
    address: *const c_char,
    port: ev_uint16_t,
) -> *mut EvhttpConnection {
    evhttp_connection_base_bufferevent_new(base, dnsbase, ptr::null_mut(), address, port)
}

/// @param evcon a connection
/// @return its bufferevent, owned by the connection: do not free it, nor change its callbacks.
/// NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_get_bufferevent(evcon: *mut EvhttpConnection) -> *mut Bufferevent {
    evcon.as_ref().map_or(ptr::null_mut(), |c| c.bufev)
}

/// @param evcon a connection
/// @return the server that accepted it, or NULL for a client connection.
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_get_server(evcon: *mut EvhttpConnection) -> *mut Evhttp {
    evcon.as_ref().map_or(ptr::null_mut(), |c| c.http_server)
}

/// @param req a connection (libevent's parameter name)
/// @return the base it runs on, or NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_get_base(req: *mut EvhttpConnection) -> *mut EventBase {
    req.as_ref().map_or(ptr::null_mut(), |c| c.base)
}

/// Chooses the address family used to resolve the server's host name.
/// @param evcon a client connection
/// @param family AF_INET, AF_INET6, or AF_UNSPEC (the default: either)
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_family(evcon: *mut EvhttpConnection, family: c_int) {
    if let Some(c) = evcon.as_mut() {
        c.ai_family = family;
    }
}

/// Sets the client connection's flags, replacing the earlier ones:
/// EVHTTP_CON_REUSE_CONNECTED_ADDR and EVHTTP_CON_READ_ON_WRITE_ERROR (EVHTTP_CON_LINGERING_CLOSE
/// is set by the server on its own connections, not here).
/// @param evcon the connection
/// @param flags the flags
/// @return 0, or 1 for another flag or a NULL connection (as libevent).
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_flags(evcon: *mut EvhttpConnection, flags: c_int) -> c_int {
    let Some(c) = evcon.as_mut() else { return 1 };
    let avail = conn::CON_REUSE_CONNECTED_ADDR | conn::CON_READ_ON_WRITE_ERROR;
    if flags & !avail != 0 || flags > conn::CON_PUBLIC_FLAGS_END {
        return 1;
    }
    c.flags = (c.flags & !avail) | flags;
    0
}

/// Limits the size of a reply's head (status line and headers); a larger one fails the request.
/// @param evcon a client connection
/// @param new_max_headers_size the limit in bytes, or a negative value for none (the default)
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_max_headers_size(
    evcon: *mut EvhttpConnection,
    new_max_headers_size: ev_ssize_t,
) {
    if let Some(c) = evcon.as_mut() {
        c.max_headers_size = size_limit(new_max_headers_size);
    }
}

/// Limits the size of a reply body; a larger one fails the request with EVREQ_HTTP_DATA_TOO_LONG.
/// @param evcon a client connection
/// @param new_max_body_size the limit in bytes, or a negative value for none (the default)
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_max_body_size(
    evcon: *mut EvhttpConnection,
    new_max_body_size: ev_ssize_t,
) {
    if let Some(c) = evcon.as_mut() {
        c.max_body_size = size_limit(new_max_body_size);
    }
}

/// Frees a connection now: its close callback runs (when it is connected), the requests it still
/// holds are freed without their callbacks, and its bufferevent and socket are released. It may
/// be called from the connection's own callbacks: the memory goes once they return.
/// @param evcon the connection (NULL is ignored)
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_free(evcon: *mut EvhttpConnection) {
    if !evcon.is_null() {
        // SAFETY: a live connection; freed at once or when its running callback returns.
        conn::free(evcon)
    }
}

/// Lets the library free a client connection by itself once it has no request left and is
/// closed (a reply that asked to close, the server closing an idle connection, or a failure).
/// @param evcon a client connection
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_free_on_completion(evcon: *mut EvhttpConnection) {
    if let Some(c) = evcon.as_mut() {
        c.flags |= conn::CON_AUTOFREE;
    }
}

/// Binds the client's socket to a local address before connecting.
/// @param evcon a client connection
/// @param address the local address (copied), or NULL for any
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_local_address(evcon: *mut EvhttpConnection, address: *const c_char) {
    if let Some(c) = evcon.as_mut() {
        c.bind_address = opt_bytes(address).map(|a| CString::new(a).unwrap_or_default());
    }
}

/// Binds the client's socket to a local port before connecting.
/// @param evcon a client connection
/// @param port the local port, or 0 for any
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_local_port(evcon: *mut EvhttpConnection, port: ev_uint16_t) {
    if let Some(c) = evcon.as_mut() {
        c.bind_port = port;
    }
}

/// Sets the connection's connect, read and write timeouts to one value. When one expires the
/// request in progress fails with EVREQ_HTTP_TIMEOUT (a connect timeout is retried as
/// evhttp_connection_set_retries() allows). Defaults: 45 s to connect, 50 s to read or write.
/// @param evcon the connection
/// @param timeout_in_secs the timeout in seconds, or -1 for the defaults
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_timeout(evcon: *mut EvhttpConnection, timeout_in_secs: c_int) {
    if timeout_in_secs == -1 {
        evhttp_connection_set_timeout_tv(evcon, ptr::null());
    } else {
        let t = timeval { tv_sec: timeout_in_secs as _, tv_usec: 0 };
        evhttp_connection_set_timeout_tv(evcon, &t);
    }
}

/// Like evhttp_connection_set_timeout(), with a finer timeout.
/// @param evcon the connection
/// @param tv the timeout (copied), or NULL for the defaults
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_timeout_tv(evcon: *mut EvhttpConnection, tv: *const timeval) {
    if !evcon.is_null() {
        // SAFETY: a live connection.
        conn::set_timeout(evcon, tv.as_ref().copied())
    }
}

/// Sets the delay before the first new attempt after a failed connect; it doubles with each
/// attempt, up to an hour.
/// @param evcon a client connection
/// @param tv the delay (copied), or NULL for the default, 2 seconds
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_initial_retry_tv(evcon: *mut EvhttpConnection, tv: *const timeval) {
    if let Some(c) = evcon.as_mut() {
        c.initial_retry_timeout = tv.as_ref().copied().unwrap_or(timeval { tv_sec: 2, tv_usec: 0 });
    }
}

/// Sets how many times a failed connection attempt (refused, or timed out) is retried before the
/// queued requests fail. Requests already sent are not sent again.
/// @param evcon a client connection
/// @param retry_max the number of new attempts (default 0), or -1 for no limit
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_retries(evcon: *mut EvhttpConnection, retry_max: c_int) {
    if let Some(c) = evcon.as_mut() {
        c.retry_max = retry_max;
    }
}

/// Sets a callback for the closing of the connection: it runs each time the connected socket is
/// closed (a client connection may reconnect later) and when the connection is freed while
/// connected.
/// @param evcon the connection
/// @param cb called with the connection and `arg`, or NULL to remove it
/// @param arg its last argument
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_closecb(
    evcon: *mut EvhttpConnection,
    cb: Option<unsafe extern "C" fn(*mut EvhttpConnection, *mut c_void)>,
    arg: *mut c_void,
) {
    if let Some(c) = evcon.as_mut() {
        c.closecb = cb;
        c.closecb_arg = arg;
    }
}

/// Gives the peer's address and port.
/// @param evcon the connection
/// @param address if not NULL, receives the address as a string: the host name or address given
/// at creation for a client, the peer's numeric address for a server connection. It belongs to
/// the connection (do not free it) and lives as long as the connection.
/// @param port if not NULL, receives the port
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_get_peer(
    evcon: *mut EvhttpConnection,
    address: *mut *mut c_char,
    port: *mut ev_uint16_t,
) {
    let Some(c) = evcon.as_ref() else { return };
    if !address.is_null() {
        *address = conn::address_ptr(c);
    }
    if !port.is_null() {
        *port = c.port;
    }
}

/// @param evcon the connection
/// @return the peer's socket address (as much as `struct sockaddr_storage` holds), owned by the
/// connection; all zero (AF_UNSPEC) before a client connection has connected. NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_get_addr(evcon: *mut EvhttpConnection) -> *const sockaddr {
    evcon.as_ref().map_or(ptr::null(), conn::addr)
}

/// Queues a request on a client connection, connecting when needed; requests go out one after
/// another. Set its output headers (Host, for one: it is not added) and output buffer (the body)
/// first. The connection takes the request: the library frees it after its callback returns,
/// unless the callback calls evhttp_request_own().
/// @param evcon the connection
/// @param req a request from evhttp_request_new(), not queued elsewhere
/// @param type_ the method, an EVHTTP_REQ_ value (or a type an extension method callback names)
/// @param uri the request target, e.g. "/path?query" (copied)
/// @return 0, or -1. When an argument is NULL the request has been freed (unless owned); when
/// the connection could not start connecting, the request was not queued and is the caller's to
/// free.
#[no_mangle]
pub unsafe extern "C" fn evhttp_make_request(
    evcon: *mut EvhttpConnection,
    req: *mut EvhttpRequest,
    type_: EvhttpCmdType,
    uri: *const c_char,
) -> c_int {
    let Some(u) = request_args(evcon, req, uri) else { return -1 };
    // SAFETY: a live connection and a request not yet queued.
    conn::make_request(evcon, req, type_, u)
}

/// Cancels a request made with evhttp_make_request(). A request in progress resets its connection
/// (which goes on with the next queued request); its error callback runs with
/// EVREQ_HTTP_REQUEST_CANCEL, its request callback does not. A request still waiting in the queue
/// is just removed. Either way the request is freed (unless owned). It may be called from the
/// request's chunk or drained callback.
/// @param req the request
#[no_mangle]
pub unsafe extern "C" fn evhttp_cancel_request(req: *mut EvhttpRequest) {
    if !req.is_null() {
        // SAFETY: a live request.
        conn::cancel(req)
    }
}

// ---- requests

/// Makes a request for evhttp_make_request(), with empty header lists and buffers. Its callback
/// runs with the reply once it is read (the body in the input buffer); with NULL when the request
/// failed (the error callback says why), or with the request and response code 0 when every
/// connection attempt failed.
/// @param cb called with the request and `arg`
/// @param arg its last argument (also given to the chunk, header and error callbacks)
/// @return the request, or NULL when memory runs out. Once queued it belongs to the connection;
/// a request never queued is freed with evhttp_request_free().
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_new(
    cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void)>,
    arg: *mut c_void,
) -> *mut EvhttpRequest {
    request::Request::new(cb, arg)
}

/// Frees a request: at once, or when the library callback using it returns. For requests the
/// program owns (evhttp_request_own()) or never queued; a server request is freed by its reply.
/// @param req the request (NULL is ignored)
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_free(req: *mut EvhttpRequest) {
    if !req.is_null() {
        // SAFETY: a live request.
        request::free(req)
    }
}

/// Hands the body over piece by piece as it is read, instead of whole: the callback finds each
/// piece (a whole chunk of a chunked body) in the input buffer, which is emptied after it
/// returns. The request callback then runs as usual. The callback gets the request's `arg`.
/// @param req the request
/// @param cb called with the request and `arg`, or NULL to remove it
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_set_chunked_cb(
    req: *mut EvhttpRequest,
    cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void)>,
) {
    if let Some(r) = req.as_mut() {
        r.chunk_cb = cb;
    }
}

/// Sets a callback that runs once the head is read (the reply's on a client, the request's on a
/// server), before the body. It gets the request's `arg`.
/// @param req the request
/// @param cb called with the request and `arg`: 0 to go on, a negative value to drop the
/// connection (the request then fails with EVREQ_HTTP_EOF). NULL removes it.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_set_header_cb(
    req: *mut EvhttpRequest,
    cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void) -> c_int>,
) {
    if let Some(r) = req.as_mut() {
        r.header_cb = cb;
    }
}

/// Sets a callback that says why a client request failed; it runs before the request callback
/// (which then gets NULL) and gets the request's `arg`. As in libevent 2.1.12, it does not run
/// when every connection attempt failed.
/// @param req the request
/// @param cb called with an EVREQ_HTTP_ value and the request's `arg`, or NULL to remove it
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_set_error_cb(
    req: *mut EvhttpRequest,
    cb: Option<unsafe extern "C" fn(EvhttpRequestError, *mut c_void)>,
) {
    if let Some(r) = req.as_mut() {
        r.error_cb = cb;
    }
}

/// Sets a callback that runs when the reply to a server request has been completely written,
/// just before the library frees the request.
/// @param req the request
/// @param cb called with the request and `cb_arg`, or NULL to remove it
/// @param cb_arg its last argument
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_set_on_complete_cb(
    req: *mut EvhttpRequest,
    cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void)>,
    cb_arg: *mut c_void,
) {
    if let Some(r) = req.as_mut() {
        r.on_complete_cb = cb;
        r.on_complete_cb_arg = cb_arg;
    }
}

/// Keeps a request alive after its callback: the library will not free it, the program does with
/// evhttp_request_free(). Typically called in a client request's callback to keep the reply.
/// @param req the request
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_own(req: *mut EvhttpRequest) {
    if let Some(r) = req.as_mut() {
        r.flags |= request::USER_OWNED;
    }
}

/// @param req the request
/// @return 1 when the program owns it (evhttp_request_own()), else 0.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_is_owned(req: *mut EvhttpRequest) -> c_int {
    req.as_ref().map_or(0, |r| (r.flags & request::USER_OWNED != 0) as c_int)
}

/// @param req the request
/// @return its connection, or NULL when it has none (a client request once completed, a server
/// request whose client went away).
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_connection(req: *mut EvhttpRequest) -> *mut EvhttpConnection {
    req.as_ref().map_or(ptr::null_mut(), |r| r.evcon)
}

/// @param req the request
/// @return the request target as received or given (not decoded), owned by the request; NULL
/// when there is none.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_uri(req: *const EvhttpRequest) -> *const c_char {
    req.as_ref().map_or(ptr::null(), |r| r.uri)
}

/// @param req a server request
/// @return its target, parsed (leniently, EVHTTP_URI_NONCONFORMANT), owned by the request; NULL
/// for a client request.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_evhttp_uri(req: *const EvhttpRequest) -> *const EvhttpUri {
    req.as_ref().map_or(ptr::null(), |r| r.uri_elems)
}

/// @param req the request
/// @return its method, an EVHTTP_REQ_ value (for an unknown method on a server, `1 << 16`); 0
/// for NULL.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_command(req: *const EvhttpRequest) -> EvhttpCmdType {
    req.as_ref().map_or(0, |r| r.type_)
}

/// @param req the request
/// @return the reply's status code (on a client, once read), or 0.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_response_code(req: *const EvhttpRequest) -> c_int {
    req.as_ref().map_or(0, |r| r.response_code)
}

/// @param req the request
/// @return the reply's reason phrase, owned by the request, or NULL.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_response_code_line(req: *const EvhttpRequest) -> *const c_char {
    req.as_ref().map_or(ptr::null(), |r| r.response_code_line)
}

/// @param req the request
/// @return the headers received (a server's request headers, a client's reply headers), owned by
/// the request; read them with evhttp_find_header() or TAILQ_FOREACH.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_input_headers(req: *mut EvhttpRequest) -> *mut EvKeyValQ {
    req.as_ref().map_or(ptr::null_mut(), |r| r.input_headers)
}

/// @param req the request
/// @return the headers to send, owned by the request; change them with evhttp_add_header() and
/// evhttp_remove_header() before sending.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_output_headers(req: *mut EvhttpRequest) -> *mut EvKeyValQ {
    req.as_ref().map_or(ptr::null_mut(), |r| r.output_headers)
}

/// @param req the request
/// @return the body received, owned by the request.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_input_buffer(req: *mut EvhttpRequest) -> *mut Evbuffer {
    req.as_ref().map_or(ptr::null_mut(), |r| r.input_buffer)
}

/// @param req the request
/// @return the body to send, owned by the request.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_output_buffer(req: *mut EvhttpRequest) -> *mut Evbuffer {
    req.as_ref().map_or(ptr::null_mut(), |r| r.output_buffer)
}

/// @param req the request
/// @return the host the request is for: the host of an absolute request target, else the Host
/// header without its port; NULL when there is neither. Owned by the request.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_get_host(req: *mut EvhttpRequest) -> *const c_char {
    if req.is_null() {
        return ptr::null();
    }
    // SAFETY: a live request.
    request::host(req)
}

// ---- libevent 2.2's additions

pub type EvhttpExtMethod = crate::http::server::ExtMethod;
pub type evhttp_ext_method_cb = Option<unsafe extern "C" fn(*mut EvhttpExtMethod) -> c_int>;

/// libevent 2.2: like evhttp_set_bevcb(), for the connections accepted on one bound socket only
/// (for instance TLS on one port); it takes precedence over the server's.
/// @param bound the bound socket
/// @param cb called with the server's base and `cbarg`; returns a new bufferevent or NULL. NULL
/// removes it.
/// @param cbarg its last argument
#[no_mangle]
pub unsafe extern "C" fn evhttp_bound_set_bevcb(
    bound: *mut EvhttpBoundSocket,
    cb: Option<unsafe extern "C" fn(*mut EventBase, *mut c_void) -> *mut Bufferevent>,
    cbarg: *mut c_void,
) {
    if let Some(b) = bound.as_mut() {
        b.bevcb = cb;
        b.bevcb_arg = cbarg;
    }
}

/// libevent 2.2: limits how many connections the server holds at once. A connection past the
/// limit is answered 503 at once, without reading its request, and closed.
/// @param http the server
/// @param max_connections the limit, or 0 (or less) for none (the default)
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_max_connections(http: *mut Evhttp, max_connections: c_int) {
    if let Some(h) = http.as_mut() {
        h.max_connections = max_connections.max(0);
    }
}

/// libevent 2.2.
/// @param http the server
/// @return how many connections it holds now (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn evhttp_get_connection_count(http: *mut Evhttp) -> c_int {
    http.as_ref().map_or(0, |h| h.connections.len().min(c_int::MAX as usize) as c_int)
}

/// libevent 2.2: sets the callback that recognises request methods the server does not know (see
/// `struct evhttp_ext_method`). It applies to connections accepted afterwards.
/// @param http the server
/// @param cmp the callback, or NULL to remove it
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_ext_method_cmp(http: *mut Evhttp, cmp: evhttp_ext_method_cb) {
    if let Some(h) = http.as_mut() {
        h.ext_method_cmp = cmp;
    }
}

/// libevent 2.2: sets the callback that names request types the client does not know (see
/// `struct evhttp_ext_method`).
/// @param evcon a client connection
/// @param cmp the callback, or NULL to remove it
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_ext_method_cmp(evcon: *mut EvhttpConnection, cmp: evhttp_ext_method_cb) {
    if let Some(c) = evcon.as_mut() {
        c.ext_method_cmp = cmp;
    }
}

/// libevent 2.2: sets a callback that runs for each request as soon as it is made on a
/// connection, before anything of it is read: the moment to set its header, chunk or body
/// callbacks.
/// @param http the server
/// @param cb called with the request and `arg`; -1 refuses the request (the connection is
/// closed), any other value accepts it. NULL removes it.
/// @param arg its last argument
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_newreqcb(
    http: *mut Evhttp,
    cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void) -> c_int>,
    arg: *mut c_void,
) {
    if let Some(h) = http.as_mut() {
        h.newreqcb = cb;
        h.newreqcb_arg = arg;
    }
}

/// libevent 2.2: lets the program write the error pages the server sends: evhttp_send_error()
/// and the errors the server answers by itself (400, 413, 417, 501, 503; not the default 404).
/// @param http the server
/// @param cb called with the request, a buffer `buf`, the status, the reason phrase and
/// `cbarg`: write the page into `buf` and return 0 to send it (a Content-Type the program put
/// in the request's output headers is kept, else text/html), or -1 for the default page. NULL
/// removes it.
/// @param cbarg its last argument
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_errorcb(
    http: *mut Evhttp,
    cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut Evbuffer, c_int, *const c_char, *mut c_void) -> c_int>,
    cbarg: *mut c_void,
) {
    if let Some(h) = http.as_mut() {
        h.errorcb = cb;
        h.errorcb_arg = cbarg;
    }
}

/// A timeval from the program: NULL or zero means none.
unsafe fn opt_tv(tv: *const timeval) -> Option<timeval> {
    tv.as_ref().copied().filter(|t| t.tv_sec != 0 || t.tv_usec != 0)
}

/// libevent 2.2: sets the read timeout alone for connections accepted afterwards.
/// @param http the server
/// @param tv the timeout (copied), or NULL or zero for none
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_read_timeout_tv(http: *mut Evhttp, tv: *const timeval) {
    if let Some(h) = http.as_mut() {
        h.timeout_read = opt_tv(tv);
    }
}

/// libevent 2.2: sets the write timeout alone for connections accepted afterwards.
/// @param http the server
/// @param tv the timeout (copied), or NULL or zero for none
#[no_mangle]
pub unsafe extern "C" fn evhttp_set_write_timeout_tv(http: *mut Evhttp, tv: *const timeval) {
    if let Some(h) = http.as_mut() {
        h.timeout_write = opt_tv(tv);
    }
}

/// libevent 2.2: makes a client connection to a Unix-domain socket.
/// @param base the base whose loop runs the connection
/// @param bev the bufferevent to use (without a socket), or NULL for a new one; the connection
/// owns it
/// @param path the socket's path (copied)
/// @return the connection (free with evhttp_connection_free()), or NULL when `path` is NULL,
/// empty or too long for a socket address.
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_base_bufferevent_unix_new(
    base: *mut EventBase,
    bev: *mut Bufferevent,
    path: *const c_char,
) -> *mut EvhttpConnection {
    let Some(p) = opt_bytes(path) else { return ptr::null_mut() };
    // SAFETY: bev is NULL or a bufferevent the program hands over.
    conn::new_unix(base, bev, p)
}

/// libevent 2.2: makes a client connection over a bufferevent whose socket is already connected;
/// requests go out on it at once. Should it close, the next request connects again to the same
/// peer.
/// @param base the base whose loop runs the connection
/// @param dnsbase the resolver for later connections, or NULL
/// @param bev a socket bufferevent with a connected socket; the connection owns it and takes its
/// callbacks
/// @return the connection, or NULL when `bev` is NULL or its socket has no peer.
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_base_bufferevent_reuse_new(
    base: *mut EventBase,
    dnsbase: *mut HttpDnsBase,
    bev: *mut Bufferevent,
) -> *mut EvhttpConnection {
    if bev.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a bufferevent over a connected socket, handed over by the program.
    conn::new_reused(base, dnsbase, bev)
}

/// libevent 2.2: sets the connect timeout alone (in force at once if connecting).
/// @param evcon the connection
/// @param tv the timeout (copied), or NULL or zero for the default (45 s)
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_connect_timeout_tv(evcon: *mut EvhttpConnection, tv: *const timeval) {
    if !evcon.is_null() {
        // SAFETY: a live connection.
        conn::set_one_timeout(evcon, conn::Timeout::Connect, tv.as_ref().copied())
    }
}

/// libevent 2.2: sets the read timeout alone (in force at once if connected).
/// @param evcon the connection
/// @param tv the timeout (copied), or NULL or zero for the default (50 s on a client, none on a
/// server connection)
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_read_timeout_tv(evcon: *mut EvhttpConnection, tv: *const timeval) {
    if !evcon.is_null() {
        // SAFETY: a live connection.
        conn::set_one_timeout(evcon, conn::Timeout::Read, tv.as_ref().copied())
    }
}

/// libevent 2.2: sets the write timeout alone (in force at once if connected).
/// @param evcon the connection
/// @param tv the timeout (copied), or NULL or zero for the default (50 s on a client, none on a
/// server connection)
#[no_mangle]
pub unsafe extern "C" fn evhttp_connection_set_write_timeout_tv(evcon: *mut EvhttpConnection, tv: *const timeval) {
    if !evcon.is_null() {
        // SAFETY: a live connection.
        conn::set_one_timeout(evcon, conn::Timeout::Write, tv.as_ref().copied())
    }
}

/// libevent 2.2: evhttp_parse_query_str() with flags.
/// @param uri the query string (what follows the `?`)
/// @param headers the list head to fill (initialised here; free with evhttp_clear_headers())
/// @param flags EVHTTP_URI_QUERY_NONCONFORMANT, EVHTTP_URI_QUERY_LAST_VAL, or 0
/// @return 0, or -1 (and an empty list) when the query is malformed.
#[no_mangle]
pub unsafe extern "C" fn evhttp_parse_query_str_flags(
    uri: *const c_char,
    headers: *mut EvKeyValQ,
    flags: c_uint,
) -> c_int {
    let Some(s) = opt_bytes(uri) else { return -1 };
    if headers.is_null() {
        return -1;
    }
    // SAFETY: `headers` is writable memory for a list head (it is initialised here).
    encode::parse_query_flags(s, headers, flags)
}

/// libevent 2.2.
/// @param uri the URI
/// @return the path of the Unix-domain socket it names (EVHTTP_URI_UNIX_SOCKET), or NULL; owned
/// by the URI.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_get_unixsocket(uri: *const EvhttpUri) -> *const c_char {
    uri.as_ref().map_or(ptr::null(), |u| opt_ptr(&u.unixsocket))
}

/// libevent 2.2: sets or removes the Unix-domain socket a URI names instead of a host.
/// @param uri the URI
/// @param unixsocket the socket's path (copied; not empty, without `:`), or NULL to remove it
/// @return 0, or -1 when `uri` is NULL or the path is invalid.
#[no_mangle]
pub unsafe extern "C" fn evhttp_uri_set_unixsocket(uri: *mut EvhttpUri, unixsocket: *const c_char) -> c_int {
    set(uri, unixsocket, Uri::set_unixsocket)
}

// ---- event_rs extensions: streamed bodies

/// event_rs extension: hands a server request's body to the program as it arrives, instead of
/// collecting it whole. Call it before the body is read: from the evhttp_set_newreqcb() callback
/// or the request's header callback. When the body is complete, the request's usual callback
/// runs, with any bytes left unconsumed in its input buffer. evhttp_set_max_body_size() applies.
/// @param req a server request
/// @param start_cb NULL, or called with the request and `arg` once the head is read and the request
/// has a body, before any of it is read (and before a "100 Continue"): 0 reads it; an HTTP
/// status refuses it (sent with evhttp_send_error(), then the connection closes)
/// @param body_cb called with the request, a buffer and `arg` for each piece read; the buffer is
/// the request's input buffer, holding the new bytes after any left there: consume them with
/// evbuffer_remove() or evbuffer_drain(). It may free the connection.
/// @param arg the callbacks' last argument
/// @return 0, or -1 for a NULL request or a `start_cb` without a `body_cb`.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_set_body_cb(
    req: *mut EvhttpRequest,
    start_cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void) -> c_int>,
    body_cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut Evbuffer, *mut c_void)>,
    arg: *mut c_void,
) -> c_int {
    let Some(r) = req.as_mut() else { return -1 };
    if body_cb.is_none() && start_cb.is_some() {
        return -1;
    }
    r.body_start_cb = start_cb;
    r.body_cb = body_cb;
    r.body_cb_arg = arg;
    0
}

/// event_rs extension: stops reading a streamed body (evhttp_request_set_body_cb()): the server
/// stops reading the connection, so the client's sending backs up, and no body callback runs
/// until evhttp_request_resume_body(). The server also pauses by itself while more than 256 KiB
/// are left unconsumed in the buffer.
/// @param req the server request
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_pause_body(req: *mut EvhttpRequest) {
    if !req.is_null() {
        // SAFETY: a live request.
        conn::pause_body(req)
    }
}

/// event_rs extension: resumes reading a paused streamed body; what was already received is
/// handed over on the next loop turn. Reading still waits while more than 256 KiB are left
/// unconsumed.
/// @param req the server request
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_resume_body(req: *mut EvhttpRequest) {
    if !req.is_null() {
        // SAFETY: a live request.
        conn::resume_body(req)
    }
}

/// event_rs extension: like evhttp_make_request(), but the body is produced piece by piece with
/// evhttp_request_write_chunk() and ended with evhttp_request_end_chunked(). The head goes out
/// with "Transfer-Encoding: chunked" (HTTP/1.1), or with the Content-Length the program set (the
/// pieces must then add up to it). What the output buffer already holds is the first piece. A
/// streamed upload is not sent again on a new connection.
/// @param evcon the connection
/// @param req a request from evhttp_request_new(), not queued elsewhere
/// @param type_ the method, an EVHTTP_REQ_ value
/// @param uri the request target (copied)
/// @return 0, or -1 as for evhttp_make_request().
#[no_mangle]
pub unsafe extern "C" fn evhttp_make_request_chunked(
    evcon: *mut EvhttpConnection,
    req: *mut EvhttpRequest,
    type_: EvhttpCmdType,
    uri: *const c_char,
) -> c_int {
    let Some(u) = request_args(evcon, req, uri) else { return -1 };
    // SAFETY: a live connection and a request not yet queued.
    conn::make_request_chunked(evcon, req, type_, u)
}

/// event_rs extension: for a streamed upload, calls back when everything written so far (the head
/// included) has left the connection's output buffer: the moment to write the next piece. A
/// program that writes only from here never has more than one piece buffered. The callback may
/// cancel the request (evhttp_cancel_request()).
/// @param req the request of evhttp_make_request_chunked()
/// @param cb called with the request and `arg`, or NULL to remove it
/// @param arg its last argument
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_set_drained_cb(
    req: *mut EvhttpRequest,
    cb: Option<unsafe extern "C" fn(*mut EvhttpRequest, *mut c_void)>,
    arg: *mut c_void,
) {
    if let Some(r) = req.as_mut() {
        r.drained_cb = cb;
        r.drained_cb_arg = arg;
    }
}

/// event_rs extension: sends the next piece of a streamed upload; before the connection is up the
/// bytes wait in the request. An empty buffer sends nothing.
/// @param req the request of evhttp_make_request_chunked()
/// @param databuf the bytes, moved out of the buffer (which stays the caller's)
/// @return 0, or -1 when the body is not open (not a streamed upload, or already ended) or an
/// argument is NULL.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_write_chunk(req: *mut EvhttpRequest, databuf: *mut Evbuffer) -> c_int {
    if req.is_null() || databuf.is_null() {
        return -1;
    }
    // SAFETY: a live request and buffer.
    conn::write_chunk(req, databuf)
}

/// event_rs extension: ends a streamed upload (the last, empty, chunk when chunked); the reply is
/// then read and the request's callback runs as usual.
/// @param req the request of evhttp_make_request_chunked()
/// @return 0, or -1 when the body is not open.
#[no_mangle]
pub unsafe extern "C" fn evhttp_request_end_chunked(req: *mut EvhttpRequest) -> c_int {
    if req.is_null() {
        return -1;
    }
    // SAFETY: a live request.
    conn::end_chunked(req)
}
