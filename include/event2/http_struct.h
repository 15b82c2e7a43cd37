/* event_rs: the public fields of struct evhttp_request (libevent 2.1.12's event2/http_struct.h).
 * Programs read these fields directly (req->evcon, req->input_headers, ...): the layout is
 * libevent's, 216 bytes on x86-64. The library's private state follows these fields. */
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

struct evhttp_request {
#if defined(TAILQ_ENTRY)
	TAILQ_ENTRY(evhttp_request) next;
#else
	struct {
		struct evhttp_request *tqe_next;
		struct evhttp_request **tqe_prev;
	} next;
#endif

	/* the connection the request travels on (NULL once it is gone) */
	struct evhttp_connection *evcon;
	int flags;
/* the request owns its connection and frees it */
#define EVHTTP_REQ_OWN_CONNECTION 0x0001
/* the request came through a proxy (absolute URI for a host we do not serve) */
#define EVHTTP_PROXY_REQUEST 0x0002
/* the program owns the request (evhttp_request_own) and frees it */
#define EVHTTP_USER_OWNED 0x0004
/* the request is used by a running callback: free it afterwards */
#define EVHTTP_REQ_DEFER_FREE 0x0008
/* the request is to be freed once its callback returns */
#define EVHTTP_REQ_NEEDS_FREE 0x0010

	struct evkeyvalq *input_headers;
	struct evkeyvalq *output_headers;

	/* the peer's address and port */
	char *remote_host;
	ev_uint16_t remote_port;

	/* evhttp_request_get_host()'s answer, when it had to be computed */
	char *host_cache;

	enum evhttp_request_kind kind;
	enum evhttp_cmd_type type;

	size_t headers_size;
	size_t body_size;

	char *uri;			/* the request target */
	struct evhttp_uri *uri_elems;	/* the target, parsed */

	char major;			/* HTTP version */
	char minor;

	int response_code;
	char *response_code_line;	/* the reason phrase */

	struct evbuffer *input_buffer;	/* the body read */
	ev_int64_t ntoread;
	unsigned chunked:1,		/* the body is chunked */
	    userdone:1;			/* the program has sent all of its reply */

	struct evbuffer *output_buffer;	/* the body to send */

	/* the request's callback and its argument */
	void (*cb)(struct evhttp_request *, void *);
	void *cb_arg;

	/* called for each chunk of the body read, when set */
	void (*chunk_cb)(struct evhttp_request *, void *);

	/* called once the headers are read; a negative return closes the connection */
	int (*header_cb)(struct evhttp_request *, void *);

	/* called when the request fails */
	void (*error_cb)(enum evhttp_request_error, void *);

	/* called when the request has been sent and completed */
	void (*on_complete_cb)(struct evhttp_request *, void *);
	void *on_complete_cb_arg;
};

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_HTTP_STRUCT_H_INCLUDED_ */
