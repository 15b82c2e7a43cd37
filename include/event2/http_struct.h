/** @file
 * The public fields of `struct evhttp_request` (libevent 2.1.12's `event2/http_struct.h`).
 * Programs may read these fields directly (req->evcon, req->input_headers, ...): the layout is
 * libevent's, 216 bytes on x86-64, and the library's private state follows them, so a request
 * is only ever made by the library (evhttp_request_new()). New code should prefer the
 * evhttp_request_get_ calls of `event2/http.h`. The fields belong to the library: change them
 * only through the calls. */
#ifndef EVENT2_HTTP_STRUCT_H_INCLUDED_
#define EVENT2_HTTP_STRUCT_H_INCLUDED_

#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <event2/util.h>
#include <event2/http.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A request and its reply, on a server (made by the library for each request it reads) or a
 * client (evhttp_request_new()). See `event2/http.h` for who frees it. */
struct evhttp_request {
#if defined(TAILQ_ENTRY)
	TAILQ_ENTRY(evhttp_request) next;	/**< the library's link in its connection's queue */
#else
	/** the library's link in its connection's queue */
	struct {
		struct evhttp_request *tqe_next;
		struct evhttp_request **tqe_prev;
	} next;
#endif

	/** the connection the request travels on (NULL once it is gone) */
	struct evhttp_connection *evcon;
	int flags;	/**< the EVHTTP_REQ_ and EVHTTP_ flags below */
/** flags: the request owns its connection and frees it */
#define EVHTTP_REQ_OWN_CONNECTION 0x0001
/** flags: the request came through a proxy (an absolute URI for a host the server does not
 * serve) */
#define EVHTTP_PROXY_REQUEST 0x0002
/** flags: the program owns the request (evhttp_request_own()) and frees it */
#define EVHTTP_USER_OWNED 0x0004
/** flags: the request is used by a running callback: a free is finished after it returns */
#define EVHTTP_REQ_DEFER_FREE 0x0008
/** flags: the request is to be freed once that callback returns */
#define EVHTTP_REQ_NEEDS_FREE 0x0010

	struct evkeyvalq *input_headers;	/**< the headers received (evhttp_request_get_input_headers()) */
	struct evkeyvalq *output_headers;	/**< the headers to send (evhttp_request_get_output_headers()) */

	char *remote_host;	/**< the peer's address, as a string */
	ev_uint16_t remote_port;	/**< the peer's port */

	/** evhttp_request_get_host()'s answer, when it had to be computed */
	char *host_cache;

	enum evhttp_request_kind kind;	/**< whether it holds a request or a response now */
	enum evhttp_cmd_type type;	/**< the method */

	size_t headers_size;	/**< the size of the head read so far */
	size_t body_size;	/**< the size of the body read so far */

	char *uri;			/**< the request target */
	struct evhttp_uri *uri_elems;	/**< the target, parsed (server requests) */

	char major;			/**< HTTP major version */
	char minor;			/**< HTTP minor version */

	int response_code;		/**< the reply's status */
	char *response_code_line;	/**< the reason phrase */

	struct evbuffer *input_buffer;	/**< the body read */
	ev_int64_t ntoread;		/**< body bytes still to read (-1 when unknown) */
	unsigned chunked:1,		/**< the body is chunked */
	    userdone:1;			/**< the program has sent all of its reply */

	struct evbuffer *output_buffer;	/**< the body to send */

	/** the request's callback (evhttp_request_new(), or the server's) */
	void (*cb)(struct evhttp_request *, void *);
	void *cb_arg;	/**< the last argument of cb and of the three callbacks below */

	/** called for each piece of the body read, when set (evhttp_request_set_chunked_cb()) */
	void (*chunk_cb)(struct evhttp_request *, void *);

	/** called once the head is read; a negative return closes the connection
	 * (evhttp_request_set_header_cb()) */
	int (*header_cb)(struct evhttp_request *, void *);

	/** called when the request fails (evhttp_request_set_error_cb()) */
	void (*error_cb)(enum evhttp_request_error, void *);

	/** called when the reply has been written (evhttp_request_set_on_complete_cb()) */
	void (*on_complete_cb)(struct evhttp_request *, void *);
	void *on_complete_cb_arg;	/**< its last argument */
};

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_HTTP_STRUCT_H_INCLUDED_ */
