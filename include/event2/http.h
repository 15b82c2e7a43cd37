/* event_rs: the HTTP server and client, URIs and encodings (libevent 2.1.12's event2/http.h),
 * with libevent 2.2's additions on the 2.1 ABI (same names, prototypes and values) and
 * event_rs's streamed bodies (documented at the end).
 * The function prototypes are generated from the library (event2/gen/http.h). */
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

/* Response codes. */
#define HTTP_CONTINUE 100
#define HTTP_SWITCH_PROTOCOLS 101
#define HTTP_PROCESSING 102
#define HTTP_EARLYHINTS 103
#define HTTP_OK 200
#define HTTP_CREATED 201
#define HTTP_ACCEPTED 202
#define HTTP_NONAUTHORITATIVE 203
#define HTTP_NOCONTENT 204
#define HTTP_MOVEPERM 301
#define HTTP_MOVETEMP 302
#define HTTP_NOTMODIFIED 304
#define HTTP_BADREQUEST 400
#define HTTP_UNAUTHORIZED 401
#define HTTP_PAYMENTREQUIRED 402
#define HTTP_FORBIDDEN 403
#define HTTP_NOTFOUND 404
#define HTTP_BADMETHOD 405
#define HTTP_ENTITYTOOLARGE 413
#define HTTP_EXPECTATIONFAILED 417
#define HTTP_INTERNAL 500
#define HTTP_NOTIMPLEMENTED 501
#define HTTP_BADGATEWAY 502
#define HTTP_SERVUNAVAIL 503

/* evhttp_set_flags(): read a whole too-large body before answering 413. */
#define EVHTTP_SERVER_LINGERING_CLOSE 0x0001

/* evhttp_connection_set_flags(). */
#define EVHTTP_CON_REUSE_CONNECTED_ADDR 0x0008
#define EVHTTP_CON_READ_ON_WRITE_ERROR 0x0010
#define EVHTTP_CON_LINGERING_CLOSE 0x0020
#define EVHTTP_CON_PUBLIC_FLAGS_END 0x100000

/* evhttp_uri_parse_with_flags(): take path, query and fragment loosely. */
#define EVHTTP_URI_NONCONFORMANT 0x01
/* evhttp_parse_query_str_flags() (2.2): a key without '=' gets an empty value and empty keys
 * are skipped, instead of failing the parse. */
#define EVHTTP_URI_QUERY_NONCONFORMANT 0x01
/* evhttp_parse_query_str_flags() (2.2): a repeated key keeps only its last value. */
#define EVHTTP_URI_QUERY_LAST_VAL 0x02
/* evhttp_uri_parse_with_flags() (2.2): "[::1]" is read as host "::1" (and joined back with
 * its brackets). */
#define EVHTTP_URI_HOST_STRIP_BRACKETS 0x04
/* evhttp_uri_parse_with_flags() (2.2): "http://unix:/path/to/socket:/uri" names a Unix-domain
 * socket (evhttp_uri_get_unixsocket) instead of a host. */
#define EVHTTP_URI_UNIX_SOCKET 0x08

/* Called by evhttp_foreach_bound_socket() for each listening socket. */
typedef void evhttp_bound_socket_foreach_fn(struct evhttp_bound_socket *, void *);

/* Request methods, also used as a bit mask (evhttp_set_allowed_methods). */
enum evhttp_cmd_type {
	EVHTTP_REQ_GET = 1 << 0,
	EVHTTP_REQ_POST = 1 << 1,
	EVHTTP_REQ_HEAD = 1 << 2,
	EVHTTP_REQ_PUT = 1 << 3,
	EVHTTP_REQ_DELETE = 1 << 4,
	EVHTTP_REQ_OPTIONS = 1 << 5,
	EVHTTP_REQ_TRACE = 1 << 6,
	EVHTTP_REQ_CONNECT = 1 << 7,
	EVHTTP_REQ_PATCH = 1 << 8,
	/* WebDAV (2.2). Like every method, allowed by evhttp_set_allowed_methods(). */
	EVHTTP_REQ_PROPFIND = 1 << 9,
	EVHTTP_REQ_PROPPATCH = 1 << 10,
	EVHTTP_REQ_MKCOL = 1 << 11,
	EVHTTP_REQ_LOCK = 1 << 12,
	EVHTTP_REQ_UNLOCK = 1 << 13,
	EVHTTP_REQ_COPY = 1 << 14,
	EVHTTP_REQ_MOVE = 1 << 15
};
#define EVHTTP_REQ_MAX EVHTTP_REQ_MOVE

/* Extension methods (2.2): evhttp_set_ext_method_cmp() / evhttp_connection_set_ext_method_cmp()
 * install a callback that is asked in two ways. On a server, for a method it does not know,
 * with `method` set: fill in `type` (and `flags`) and return 0 if the method is yours. On a
 * client, for a request type it cannot name, with `method` NULL and `type` set: point `method`
 * at a string that stays valid and return 0. Any other return means "unknown" (501 on a
 * server). A type past EVHTTP_REQ_MAX (bits 16 and up) is allowed by the callback alone,
 * since evhttp_set_allowed_methods() takes 16 bits on the 2.1 ABI. */
#define EVHTTP_METHOD_HAS_BODY 0x0001
struct evhttp_ext_method {
	const char *method;
	ev_uint32_t type;	/* @see enum evhttp_cmd_type */
	ev_uint16_t flags;	/* EVHTTP_METHOD_HAS_BODY: the request may carry a body */
};
typedef int (*evhttp_ext_method_cb)(struct evhttp_ext_method *);
#define EVENT_RS_HTTP_EXT_METHOD_CB 1

/* Whether a request object holds a request or a response. */
enum evhttp_request_kind { EVHTTP_REQUEST, EVHTTP_RESPONSE };

/* Why a request failed (the error callback's argument). */
enum evhttp_request_error {
	EVREQ_HTTP_TIMEOUT,
	EVREQ_HTTP_EOF,
	EVREQ_HTTP_INVALID_HEADER,
	EVREQ_HTTP_BUFFER_ERROR,
	EVREQ_HTTP_REQUEST_CANCEL,
	EVREQ_HTTP_DATA_TOO_LONG
};

/* ---- event_rs extension: streamed bodies (libevent 2.1 and 2.2 have none of these) ----
 * EVENT_RS_HTTP_STREAMED_BODIES is defined when they are there.
 *
 * Server: a request's body handed to the program as it arrives, instead of collected whole.
 *
 *   int evhttp_request_set_body_cb(req, start_cb, body_cb, arg);
 *     Call it before the body is read: from the server's evhttp_set_newreqcb() callback, or
 *     from the request's header callback (evhttp_request_set_header_cb(), which sees the URI
 *     and headers). start_cb (may be NULL) runs once the head is read and the request has a
 *     body, before any of it is read (and before a "100 Continue" is sent): return 0 to read
 *     it, or an HTTP status (e.g. HTTP_ENTITYTOOLARGE) to refuse it, which is sent with
 *     evhttp_send_error() and closes the connection. body_cb runs for each piece read, with
 *     `body` = evhttp_request_get_input_buffer(req) holding the new bytes after any the
 *     program left there: consume them with evbuffer_remove()/evbuffer_drain(). When the body
 *     is complete, the request's usual callback (evhttp_set_cb/gencb) runs, as for any request;
 *     bytes still unconsumed are in its input buffer. evhttp_set_max_body_size() still applies.
 *     Returns 0, or -1 for a NULL request or a start_cb without a body_cb.
 *   void evhttp_request_pause_body(req);  void evhttp_request_resume_body(req);
 *     Flow control: while paused, the server stops reading the connection (the bufferevent's
 *     reading is disabled: the client's sends back up into its own buffers) and no body_cb
 *     runs. The server also stops by itself when the program leaves more than 256 KiB
 *     unconsumed in `body`; resume once it has drained them. Resuming hands over, on the next
 *     loop turn, what was already received. body_cb may free its connection.
 *
 * Client: a request body produced piece by piece.
 *
 *   int evhttp_make_request_chunked(evcon, req, type, uri);
 *     Like evhttp_make_request(), but the body is not given up front: the head goes out with
 *     "Transfer-Encoding: chunked" (HTTP/1.1), or, if the program set a Content-Length
 *     output header, with it (the pieces are then sent as they are and must add up to it).
 *     What the output buffer holds already is the first piece.
 *   void evhttp_request_set_drained_cb(req, cb, arg);
 *     cb(req, arg) runs when everything written so far (the head included) has left the
 *     connection's output buffer: write the next piece from it. A program that writes only
 *     from this callback never has more than one piece buffered, whatever the peer's speed.
 *     The callback may cancel the request (evhttp_cancel_request).
 *   int evhttp_request_write_chunk(req, databuf);
 *     Sends databuf's bytes as the next piece (an empty buffer sends nothing); before the
 *     connection is up they wait in the request. -1 when the body is not open.
 *   int evhttp_request_end_chunked(req);
 *     The body is complete (the last, empty, chunk is sent); the reply is then read and the
 *     request's callback runs as usual. -1 when the body is not open.
 *   A streamed upload is not retried on another connection (evhttp_connection_set_retries).
 */

#define EVENT_RS_HTTP_STREAMED_BODIES 1

#include <event2/gen/http.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_HTTP_H_INCLUDED_ */
