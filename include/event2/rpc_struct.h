/** @file
 * event_rs: the structures of the RPC API that programs see (libevent 2.1.12's
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

/** How an RPC ended, given to the client's callback; valid only during the callback. */
struct evrpc_status {
#define EVRPC_STATUS_ERR_NONE		0	/**< the reply arrived and was unmarshalled */
#define EVRPC_STATUS_ERR_TIMEOUT	1	/**< no reply: the pool's timeout, or the connection failed */
#define EVRPC_STATUS_ERR_BADPAYLOAD	2	/**< the reply could not be unmarshalled */
#define EVRPC_STATUS_ERR_UNSTARTED	3	/**< the request was never sent (no connection, an output hook terminated it) */
#define EVRPC_STATUS_ERR_HOOKABORTED	4	/**< an input hook terminated the reply */
	int error;	/**< one of the EVRPC_STATUS_ERR_* values */
	/** the HTTP reply, when there was one (headers, response code); the library's */
	struct evhttp_request *http_req;
};

/** A registered RPC: its name and the functions that make, read and write its request and
 * reply objects. The library frees it, and its uri, with free() (or the function given to
 * event_set_mem_functions()) when it is unregistered. */
struct evrpc {
	/** the base's list of RPCs (the library's) */
#if defined(TAILQ_ENTRY)
	TAILQ_ENTRY(evrpc) next;
#else
	struct {
		struct evrpc *tqe_next;
		struct evrpc **tqe_prev;
	} next;
#endif

	/** the name: the RPC answers at "/.rpc." followed by it */
	const char *uri;

	void *(*request_new)(void *);	/**< makes a request object, given request_new_arg */
	void *request_new_arg;		/**< the argument of request_new */
	void (*request_free)(void *);	/**< frees a request object */
	/** fills a new request object from the POST body; -1 on failure */
	int (*request_unmarshal)(void *, struct evbuffer *);

	void *(*reply_new)(void *);	/**< makes a reply object, given reply_new_arg */
	void *reply_new_arg;		/**< the argument of reply_new */
	void (*reply_free)(void *);	/**< frees a reply object */
	/** 0 when every required field of the reply is set */
	int (*reply_complete)(void *);
	void (*reply_marshal)(struct evbuffer *, void *); /**< writes a reply object to a buffer */

	/** the program's callback for each request (set by evrpc_register_rpc()) */
	void (*cb)(struct evrpc_req_generic *, void *);
	void *cb_arg;	/**< the callback's argument */

	/** the base the RPC is registered with (set by evrpc_register_rpc()) */
	struct evrpc_base *base;
};

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_RPC_STRUCT_H_INCLUDED_ */
