/* event_rs: RPCs over HTTP (libevent 2.1.12's event2/rpc.h).
 *
 * An RPC has a name, a request type and a reply type. The types are structures with the
 * functions event_rpcgen.py generates (or the program writes): <type>_new, _new_with_arg,
 * _free, _clear, _complete, _marshal and _unmarshal, the last two with evtag (event2/tag.h).
 *
 *   EVRPC_HEADER(Name, Req, Reply)     declares EVRPC_STRUCT(Name) and the sending function
 *   EVRPC_GENERATE(Name, Req, Reply)   defines the sending function
 *   EVRPC_REGISTER(base, Name, Req, Reply, cb, arg)   serves it on an evrpc_base (evrpc_init)
 *   EVRPC_MAKE_REQUEST(Name, pool, req, reply, cb, arg)   sends it through an evrpc_pool
 *
 * The server's callback gets an EVRPC_STRUCT(Name) *, fills in its reply and answers with
 * EVRPC_REQUEST_DONE(). Hooks (evrpc_add_hook) see and may change the marshalled data on
 * the way in and out, on either side. The function prototypes are generated from the
 * library (event2/gen/rpc.h). */
#ifndef EVENT2_RPC_H_INCLUDED_
#define EVENT2_RPC_H_INCLUDED_

#include <event2/util.h>
#include <event2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Accessors of generated message structures. */
#define EVTAG_HAS(msg, member) ((msg)->member##_set == 1)
#ifndef EVENT2_RPC_COMPAT_H_INCLUDED_
#define EVTAG_ASSIGN(msg, member, value) (*(msg)->base->member##_assign)((msg), (value))
#define EVTAG_ASSIGN_WITH_LEN(msg, member, value, len) \
	(*(msg)->base->member##_assign)((msg), (value), (len))
#define EVTAG_GET(msg, member, pvalue) (*(msg)->base->member##_get)((msg), (pvalue))
#define EVTAG_GET_WITH_LEN(msg, member, pvalue, plen) \
	(*(msg)->base->member##_get)((msg), (pvalue), (plen))
#endif
#define EVTAG_ARRAY_ADD_VALUE(msg, member, value) (*(msg)->base->member##_add)((msg), (value))
#define EVTAG_ARRAY_ADD(msg, member) (*(msg)->base->member##_add)(msg)
#define EVTAG_ARRAY_GET(msg, member, offset, pvalue) \
	(*(msg)->base->member##_get)((msg), (offset), (pvalue))
#define EVTAG_ARRAY_LEN(msg, member) ((msg)->member##_length)

struct evbuffer;
struct event_base;
struct evhttp;
struct evhttp_request;
struct evhttp_connection;
struct evrpc;
struct evrpc_base;
struct evrpc_pool;
struct evrpc_status;
struct evrpc_req_generic;
struct evrpc_request_wrapper;
struct evrpc_hook_meta;

/* The request the server's callback of RPC `rpcname` gets. */
#define EVRPC_STRUCT(rpcname) struct evrpc_req__##rpcname

/* The request structure of an RPC and the prototype of its sending function. */
#define EVRPC_HEADER(rpcname, reqstruct, rplystruct)				\
EVRPC_STRUCT(rpcname) {								\
	struct evrpc_hook_meta *hook_meta;					\
	struct reqstruct *request;						\
	struct rplystruct *reply;						\
	struct evrpc *rpc;							\
	struct evhttp_request *http_req;					\
	struct evbuffer *rpc_data;						\
};										\
EVENT2_EXPORT_SYMBOL								\
int evrpc_send_request_##rpcname(struct evrpc_pool *,				\
    struct reqstruct *, struct rplystruct *,					\
    void (*)(struct evrpc_status *,						\
	struct reqstruct *, struct rplystruct *, void *cbarg),			\
    void *);

/* A request context for evrpc_make_request(), from the RPC's marshalling functions. */
#define EVRPC_MAKE_CTX(rpcname, reqstruct, rplystruct,				\
    pool, request, reply, cb, cbarg)						\
	evrpc_make_request_ctx(pool, request, reply, #rpcname,			\
	    (void (*)(struct evbuffer *, void *))reqstruct##_marshal,		\
	    (void (*)(void *))rplystruct##_clear,				\
	    (int (*)(void *, struct evbuffer *))rplystruct##_unmarshal,	\
	    (void (*)(struct evrpc_status *, void *, void *, void *))cb,	\
	    cbarg)

/* Defines evrpc_send_request_<rpcname>(), declared by EVRPC_HEADER. */
#define EVRPC_GENERATE(rpcname, reqstruct, rplystruct)				\
int evrpc_send_request_##rpcname(struct evrpc_pool *pool,			\
    struct reqstruct *request, struct rplystruct *reply,			\
    void (*cb)(struct evrpc_status *,						\
	struct reqstruct *, struct rplystruct *, void *cbarg),			\
    void *cbarg) {								\
	return evrpc_send_request_generic(pool, request, reply,		\
	    (void (*)(struct evrpc_status *, void *, void *, void *))cb,	\
	    cbarg, #rpcname,							\
	    (void (*)(struct evbuffer *, void *))reqstruct##_marshal,		\
	    (void (*)(void *))rplystruct##_clear,				\
	    (int (*)(void *, struct evbuffer *))rplystruct##_unmarshal);	\
}

/* The HTTP request under a server-side RPC request (headers, peer). */
#define EVRPC_REQUEST_HTTP(rpc_req) (rpc_req)->http_req

/* Sends the reply the server's callback filled in; the request is freed. */
#define EVRPC_REQUEST_DONE(rpc_req) do {					\
	struct evrpc_req_generic *req_ = (struct evrpc_req_generic *)(rpc_req);	\
	evrpc_request_done(req_);						\
} while (0)

/* Serves RPC `name` on `base`: `callback(EVRPC_STRUCT(name) *, cbarg)` for each request. */
#define EVRPC_REGISTER(base, name, request, reply, callback, cbarg)		\
	evrpc_register_generic(base, #name,					\
	    (void (*)(struct evrpc_req_generic *, void *))callback, cbarg,	\
	    (void *(*)(void *))request##_new_with_arg, NULL,			\
	    (void (*)(void *))request##_free,					\
	    (int (*)(void *, struct evbuffer *))request##_unmarshal,		\
	    (void *(*)(void *))reply##_new_with_arg, NULL,			\
	    (void (*)(void *))reply##_free,					\
	    (int (*)(void *))reply##_complete,					\
	    (void (*)(struct evbuffer *, void *))reply##_marshal)

/* Stops serving RPC `name`: 0, or -1 when it was not registered. */
#define EVRPC_UNREGISTER(base, name) evrpc_unregister_rpc((base), #name)

/* Sends RPC `name` through `pool`; `cb(status, request, reply, cbarg)` gets the outcome. */
#define EVRPC_MAKE_REQUEST(name, pool, request, reply, cb, cbarg)		\
	evrpc_send_request_##name((pool), (request), (reply), (cb), (cbarg))

/* Which way a hook works: on what comes in, or on what goes out. */
enum EVRPC_HOOK_TYPE {
	EVRPC_INPUT,
	EVRPC_OUTPUT
};

#ifndef _WIN32
#define INPUT EVRPC_INPUT
#define OUTPUT EVRPC_OUTPUT
#endif

/* What a hook answers: stop the RPC, go on, or wait for evrpc_resume_request(). */
enum EVRPC_HOOK_RESULT {
	EVRPC_TERMINATE = -1,
	EVRPC_CONTINUE = 0,
	EVRPC_PAUSE = 1
};

#include <event2/gen/rpc.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_RPC_H_INCLUDED_ */
