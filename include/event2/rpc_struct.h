/* event_rs: the structures of the RPC API that programs see (libevent 2.1.12's
 * event2/rpc_struct.h): the status handed to a client's callback, and the description of a
 * registered RPC, which evrpc_register_rpc() takes filled in by the program. */
#ifndef EVENT2_RPC_STRUCT_H_INCLUDED_
#define EVENT2_RPC_STRUCT_H_INCLUDED_

#ifdef __cplusplus
extern "C" {
#endif

struct evhttp_request;
struct evbuffer;
struct evrpc_base;
struct evrpc_req_generic;

/* How an RPC ended, given to the client's callback. */
struct evrpc_status {
#define EVRPC_STATUS_ERR_NONE		0
#define EVRPC_STATUS_ERR_TIMEOUT	1	/* no reply: the pool's timeout, or no connection */
#define EVRPC_STATUS_ERR_BADPAYLOAD	2	/* the reply could not be unmarshalled */
#define EVRPC_STATUS_ERR_UNSTARTED	3	/* the request was never sent */
#define EVRPC_STATUS_ERR_HOOKABORTED	4	/* an input hook terminated the reply */
	int error;
	/* the HTTP reply, when there was one (headers, response code) */
	struct evhttp_request *http_req;
};

/* A registered RPC: its name and the functions that make, read and write its request and
 * reply objects. The library frees it, and its uri, with free() when it is unregistered. */
struct evrpc {
	/* the base's list of RPCs (the library's) */
#if defined(TAILQ_ENTRY)
	TAILQ_ENTRY(evrpc) next;
#else
	struct {
		struct evrpc *tqe_next;
		struct evrpc **tqe_prev;
	} next;
#endif

	/* the name: the RPC answers at "/.rpc.<uri>" */
	const char *uri;

	void *(*request_new)(void *);
	void *request_new_arg;
	void (*request_free)(void *);
	/* fills a new request object from the POST body; -1 on failure */
	int (*request_unmarshal)(void *, struct evbuffer *);

	void *(*reply_new)(void *);
	void *reply_new_arg;
	void (*reply_free)(void *);
	/* 0 when every required field of the reply is set */
	int (*reply_complete)(void *);
	void (*reply_marshal)(struct evbuffer *, void *);

	/* the program's callback for each request, and its argument */
	void (*cb)(struct evrpc_req_generic *, void *);
	void *cb_arg;

	/* the base the RPC is registered with */
	struct evrpc_base *base;
};

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_RPC_STRUCT_H_INCLUDED_ */
