/* event_rs: the HTTP server and client, URIs and encodings (libevent 2.1.12's event2/http.h).
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
#define HTTP_OK 200
#define HTTP_NOCONTENT 204
#define HTTP_MOVEPERM 301
#define HTTP_MOVETEMP 302
#define HTTP_NOTMODIFIED 304
#define HTTP_BADREQUEST 400
#define HTTP_NOTFOUND 404
#define HTTP_BADMETHOD 405
#define HTTP_ENTITYTOOLARGE 413
#define HTTP_EXPECTATIONFAILED 417
#define HTTP_INTERNAL 500
#define HTTP_NOTIMPLEMENTED 501
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
	EVHTTP_REQ_PATCH = 1 << 8
};

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

#include <event2/gen/http.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_HTTP_H_INCLUDED_ */
