/** @file
 * The HTTP/1.x server and client, URIs, query strings and encodings: libevent 2.1.12's
 * `event2/http.h`, with libevent 2.2's additions on the 2.1 ABI (same names, prototypes and
 * values, marked "libevent 2.2") and event_rs's streamed bodies (marked "event_rs
 * extension"). The function prototypes and their documentation are generated from the
 * library (`event2/gen/http.h`).
 *
 * Objects: `struct evhttp` is a server (evhttp_new()), `struct evhttp_bound_socket` one of its
 * listening sockets, `struct evhttp_connection` one HTTP connection (accepted by a server, or
 * a client's from evhttp_connection_base_new()), `struct evhttp_request` a request and its
 * reply (fields in `event2/http_struct.h`), `struct evhttp_uri` a parsed URI and
 * `struct evkeyvalq` a list of headers or query parameters (`event2/keyvalq_struct.h`).
 *
 * Ownership: a server frees its connections and bound sockets; a server request is freed by
 * the library once its reply is written, a client request after its callback returns (unless
 * the program calls evhttp_request_own()). Strings returned by the encoding calls are the
 * caller's to free; the other strings returned belong to their object.
 *
 * Threads: no evhttp object is locked, as in libevent. Use a server, its connections and
 * requests (and a client connection and its requests) only from the thread that runs their
 * base's loop. The encoding, query and URI calls touch only their arguments and may run in any
 * thread on objects no other thread uses.
 *
 * Where event_rs deliberately differs from libevent 2.1.12 (chunk sizes must be plain hex,
 * chunk extensions accepted, unknown methods typed `1 << 16`, a reply with two different
 * Content-Length values refused, no body on HEAD, 1xx, 204 and 304 replies), the README's
 * "Deliberate differences" section and the calls concerned say so. */
#ifndef EVENT2_HTTP_H_INCLUDED_
#define EVENT2_HTTP_H_INCLUDED_

#include <event2/util.h>
#include <event2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

struct evbuffer;
struct event_base;
struct bufferevent;
struct evhttp_connection;
struct evhttp;
struct evhttp_request;
struct evkeyvalq;
struct evhttp_bound_socket;
struct evconnlistener;
struct evdns_base;
struct evhttp_uri;
struct sockaddr;

/* HTTP status codes, for evhttp_send_reply() and evhttp_send_error() and to compare with
 * evhttp_request_get_response_code(). Those marked 2.2 are libevent 2.2's additions; any other
 * number may be used as well. */
#define HTTP_CONTINUE 100 /**< 100 Continue (2.2) */
#define HTTP_SWITCH_PROTOCOLS 101 /**< 101 Switching Protocols (2.2) */
#define HTTP_PROCESSING 102 /**< 102 Processing (2.2) */
#define HTTP_EARLYHINTS 103 /**< 103 Early Hints (2.2) */
#define HTTP_OK 200 /**< 200 OK */
#define HTTP_CREATED 201 /**< 201 Created (2.2) */
#define HTTP_ACCEPTED 202 /**< 202 Accepted (2.2) */
#define HTTP_NONAUTHORITATIVE 203 /**< 203 Non-Authoritative Information (2.2) */
#define HTTP_NOCONTENT 204 /**< 204 No Content: the reply has no body */
#define HTTP_MOVEPERM 301 /**< 301 Moved Permanently */
#define HTTP_MOVETEMP 302 /**< 302 Found (moved temporarily) */
#define HTTP_NOTMODIFIED 304 /**< 304 Not Modified: the reply has no body */
#define HTTP_BADREQUEST 400 /**< 400 Bad Request: the server's answer to a malformed request */
#define HTTP_UNAUTHORIZED 401 /**< 401 Unauthorized (2.2) */
#define HTTP_PAYMENTREQUIRED 402 /**< 402 Payment Required (2.2) */
#define HTTP_FORBIDDEN 403 /**< 403 Forbidden (2.2) */
#define HTTP_NOTFOUND 404 /**< 404 Not Found: the server's answer when no callback takes a request */
#define HTTP_BADMETHOD 405 /**< 405 Method Not Allowed */
#define HTTP_ENTITYTOOLARGE 413 /**< 413: the server's answer to a body over evhttp_set_max_body_size() */
#define HTTP_EXPECTATIONFAILED 417 /**< 417: the server's answer to an Expect other than 100-continue */
#define HTTP_INTERNAL 500 /**< 500 Internal Server Error */
#define HTTP_NOTIMPLEMENTED 501 /**< 501: the server's answer to a method it does not serve */
#define HTTP_BADGATEWAY 502 /**< 502 Bad Gateway (2.2) */
#define HTTP_SERVUNAVAIL 503 /**< 503: the server's answer past evhttp_set_max_connections() */

/** evhttp_set_flags(): a request whose body is over evhttp_set_max_body_size() is read to its
 * end before the 413 is sent (a client still sending would otherwise see a reset instead of
 * the answer). */
#define EVHTTP_SERVER_LINGERING_CLOSE 0x0001

/** evhttp_connection_set_flags(): reconnect to the address the first connection reached,
 * without resolving the host name again. */
#define EVHTTP_CON_REUSE_CONNECTED_ADDR 0x0008
/** evhttp_connection_set_flags(): when sending a request fails, read the reply the server may
 * have sent before closing (a 413 or 417 to a large upload) instead of failing at once. */
#define EVHTTP_CON_READ_ON_WRITE_ERROR 0x0010
/** Set by the server on its connections when it has EVHTTP_SERVER_LINGERING_CLOSE; not
 * accepted by evhttp_connection_set_flags(). */
#define EVHTTP_CON_LINGERING_CLOSE 0x0020
/** The first bit past the public connection flags (the library's own flags start here). */
#define EVHTTP_CON_PUBLIC_FLAGS_END 0x100000

/** evhttp_uri_parse_with_flags(), evhttp_uri_set_flags(): take path, query and fragment as
 * whatever lies between their separators, without checking their characters. */
#define EVHTTP_URI_NONCONFORMANT 0x01
/** evhttp_parse_query_str_flags() (libevent 2.2): a key without `=` gets an empty value and
 * empty keys are skipped, instead of failing the parse. */
#define EVHTTP_URI_QUERY_NONCONFORMANT 0x01
/** evhttp_parse_query_str_flags() (libevent 2.2): a repeated key keeps only its last value. */
#define EVHTTP_URI_QUERY_LAST_VAL 0x02
/** evhttp_uri_parse_with_flags() (libevent 2.2): an IPv6 host in brackets is given without
 * them (evhttp_uri_get_host()), and written back with them (evhttp_uri_join()). */
#define EVHTTP_URI_HOST_STRIP_BRACKETS 0x04
/** evhttp_uri_parse_with_flags() (libevent 2.2): "http://unix:/path/to/socket:/uri" names a
 * Unix-domain socket (evhttp_uri_get_unixsocket()) instead of a host. */
#define EVHTTP_URI_UNIX_SOCKET 0x08

/** The function evhttp_foreach_bound_socket() calls for each listening socket, with its
 * argument. */
typedef void evhttp_bound_socket_foreach_fn(struct evhttp_bound_socket *, void *);

/** Request methods (evhttp_make_request(), evhttp_request_get_command()); their values are
 * single bits, so that they also form the mask of evhttp_set_allowed_methods(). A server gives
 * a method it does not know the type `1 << 16`, past the mask's 16 bits (libevent 2.1 used
 * `1 << 15`, which 2.2 gives to EVHTTP_REQ_MOVE), so it is always answered 501 unless an
 * extension method callback names it. */
enum evhttp_cmd_type {
	EVHTTP_REQ_GET = 1 << 0,	/**< GET */
	EVHTTP_REQ_POST = 1 << 1,	/**< POST */
	EVHTTP_REQ_HEAD = 1 << 2,	/**< HEAD: the reply has no body */
	EVHTTP_REQ_PUT = 1 << 3,	/**< PUT */
	EVHTTP_REQ_DELETE = 1 << 4,	/**< DELETE */
	EVHTTP_REQ_OPTIONS = 1 << 5,	/**< OPTIONS */
	EVHTTP_REQ_TRACE = 1 << 6,	/**< TRACE */
	EVHTTP_REQ_CONNECT = 1 << 7,	/**< CONNECT: the target is an authority, host:port */
	EVHTTP_REQ_PATCH = 1 << 8,	/**< PATCH */
	/* WebDAV (libevent 2.2). Like every method, served only when evhttp_set_allowed_methods()
	 * allows it. */
	EVHTTP_REQ_PROPFIND = 1 << 9,	/**< PROPFIND (WebDAV, 2.2) */
	EVHTTP_REQ_PROPPATCH = 1 << 10,	/**< PROPPATCH (WebDAV, 2.2) */
	EVHTTP_REQ_MKCOL = 1 << 11,	/**< MKCOL (WebDAV, 2.2) */
	EVHTTP_REQ_LOCK = 1 << 12,	/**< LOCK (WebDAV, 2.2) */
	EVHTTP_REQ_UNLOCK = 1 << 13,	/**< UNLOCK (WebDAV, 2.2) */
	EVHTTP_REQ_COPY = 1 << 14,	/**< COPY (WebDAV, 2.2) */
	EVHTTP_REQ_MOVE = 1 << 15	/**< MOVE (WebDAV, 2.2) */
};
/** The largest named method (libevent 2.2). */
#define EVHTTP_REQ_MAX EVHTTP_REQ_MOVE

/** evhttp_ext_method flag (libevent 2.2): requests with this method may carry a body. */
#define EVHTTP_METHOD_HAS_BODY 0x0001
/** Extension methods (libevent 2.2): what evhttp_set_ext_method_cmp() and
 * evhttp_connection_set_ext_method_cmp() callbacks fill in. The callback is asked in two ways.
 * On a server, for a method it does not know, with `method` set: fill in `type` (and `flags`)
 * and return 0 if the method is yours. On a client, for a request type it cannot name, with
 * `method` NULL and `type` set: point `method` at a string that stays valid and return 0. Any
 * other return means "unknown" (501 on a server). A type past EVHTTP_REQ_MAX (bits 16 and up)
 * is allowed by the callback alone, since evhttp_set_allowed_methods() takes 16 bits on the
 * 2.1 ABI. */
struct evhttp_ext_method {
	const char *method;	/**< the method's name, as sent on the request line */
	ev_uint32_t type;	/**< its type: an enum evhttp_cmd_type value or a bit past them */
	ev_uint16_t flags;	/**< EVHTTP_METHOD_HAS_BODY when the request may carry a body */
};
/** The extension method callback (libevent 2.2): see `struct evhttp_ext_method`; 0 when it
 * knows the method, anything else when it does not. */
typedef int (*evhttp_ext_method_cb)(struct evhttp_ext_method *);
#define EVENT_RS_HTTP_EXT_METHOD_CB 1

/** Whether a request object currently holds a request (being sent or read) or a response
 * (`kind` in `struct evhttp_request`). */
enum evhttp_request_kind {
	EVHTTP_REQUEST,	/**< a request */
	EVHTTP_RESPONSE	/**< a response */
};

/** Why a client request failed: the argument of its error callback
 * (evhttp_request_set_error_cb()). */
enum evhttp_request_error {
	EVREQ_HTTP_TIMEOUT,	/**< a connect, read or write timeout expired */
	EVREQ_HTTP_EOF,	/**< the connection closed or failed before the reply was complete, or a header callback refused it */
	EVREQ_HTTP_INVALID_HEADER,	/**< the reply's head was malformed or too large */
	EVREQ_HTTP_BUFFER_ERROR,	/**< another failure reported by the connection's bufferevent */
	EVREQ_HTTP_REQUEST_CANCEL,	/**< evhttp_cancel_request() */
	EVREQ_HTTP_DATA_TOO_LONG	/**< the reply's body was over evhttp_connection_set_max_body_size() */
};

/** event_rs extension (libevent 2.1 and 2.2 have none of it): streamed bodies; defined when
 * the calls below are there.
 *
 * Server: evhttp_request_set_body_cb() hands a request's body to the program as it arrives,
 * instead of collecting it whole; evhttp_request_pause_body() and evhttp_request_resume_body()
 * control the flow (the server also stops reading by itself while more than 256 KiB are left
 * unconsumed).
 *
 * Client: evhttp_make_request_chunked() sends a request whose body the program produces piece
 * by piece, with evhttp_request_write_chunk() (best from the evhttp_request_set_drained_cb()
 * callback, so that one piece at most is buffered) and evhttp_request_end_chunked(). */
#define EVENT_RS_HTTP_STREAMED_BODIES 1

#include <event2/gen/http.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_HTTP_H_INCLUDED_ */
