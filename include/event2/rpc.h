/** @file
 * event_rs: RPCs over HTTP (libevent 2.1.12's event2/rpc.h).
 *
 * An RPC has a name, a request type and a reply type. The types are structures with the
 * functions event_rpcgen.py generates (or the program writes): `TYPE_new`, `_new_with_arg`,
 * `_free`, `_clear`, `_complete`, `_marshal` and `_unmarshal`, the last two with evtag
 * (event2/tag.h).
 *
 *     EVRPC_HEADER(Name, Req, Reply)                      declares EVRPC_STRUCT(Name) and the sending function
 *     EVRPC_GENERATE(Name, Req, Reply)                    defines the sending function
 *     EVRPC_REGISTER(base, Name, Req, Reply, cb, arg)     serves it on an evrpc_base (evrpc_init())
 *     EVRPC_MAKE_REQUEST(Name, pool, req, reply, cb, arg) sends it through an evrpc_pool
 *
 * The server's callback gets an EVRPC_STRUCT(Name) pointer, fills in its reply and answers with
 * EVRPC_REQUEST_DONE(). Hooks (evrpc_add_hook()) see and may change the marshalled data on
 * the way in and out, on either side. The function prototypes are generated from the
 * library (event2/gen/rpc.h).
 *
 * Ownership: on the server, the library makes and frees the request and reply objects; on the
 * client, they are the program's, and the library frees only its own request context.
 * Threads: an RPC base or pool, like the evhttp objects under it, is used from the thread that
 * runs its event loop. Unlike libevent, a base or pool may be freed from its own callbacks and
 * hooks, and a pool without connections fails a request (EVRPC_STATUS_ERR_UNSTARTED) where
 * libevent asserts. */
#ifndef EVENT2_RPC_H_INCLUDED_
#define EVENT2_RPC_H_INCLUDED_

#include <event2/util.h>
#include <event2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Accessors of the message structures event_rpcgen.py generates: each goes through the
 * functions of the message's `base` table. They are plain macros, as in libevent. */
/** Whether field `member` of message `msg` is set: nonzero when it is. */
#define EVTAG_HAS(msg, member) ((msg)->member##_set == 1)
#ifndef EVENT2_RPC_COMPAT_H_INCLUDED_
/** Sets field `member` of `msg` to `value` (copied); 0, or -1 on failure. */
#define EVTAG_ASSIGN(msg, member, value) (*(msg)->base->member##_assign)((msg), (value))
/** Sets a byte-array field `member` of `msg` to the `len` bytes at `value`; 0 or -1. */
#define EVTAG_ASSIGN_WITH_LEN(msg, member, value, len) \
	(*(msg)->base->member##_assign)((msg), (value), (len))
/** Reads field `member` of `msg` into `*pvalue` (pointing into the message for strings and
 * structures); 0, or -1 when it is not set. */
#define EVTAG_GET(msg, member, pvalue) (*(msg)->base->member##_get)((msg), (pvalue))
/** Reads a byte-array field `member` of `msg`: its bytes into `*pvalue` and length into
 * `*plen`; 0, or -1 when it is not set. */
#define EVTAG_GET_WITH_LEN(msg, member, pvalue, plen) \
	(*(msg)->base->member##_get)((msg), (pvalue), (plen))
#endif
/** Appends `value` (copied) to array field `member` of `msg`; a pointer to the new element,
 * or NULL on failure. */
#define EVTAG_ARRAY_ADD_VALUE(msg, member, value) (*(msg)->base->member##_add)((msg), (value))
/** Appends a new, empty element to an array field of structures; the element, or NULL. */
#define EVTAG_ARRAY_ADD(msg, member) (*(msg)->base->member##_add)(msg)
/** Reads element `offset` of array field `member` of `msg` into `*pvalue`; 0, or -1 when
 * `offset` is past the end. */
#define EVTAG_ARRAY_GET(msg, member, offset, pvalue) \
	(*(msg)->base->member##_get)((msg), (offset), (pvalue))
/** The number of elements of array field `member` of `msg`. */
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

/** The type of the request the server's callback of RPC `rpcname` gets: its `request` and
 * `reply` fields point at the request and reply objects, `http_req` at the HTTP request. The
 * structure is declared by EVRPC_HEADER(). */
#define EVRPC_STRUCT(rpcname) struct evrpc_req__##rpcname

/** Declares, in a header, the request structure of RPC `rpcname` (EVRPC_STRUCT(rpcname)) and
 * its sending function `evrpc_send_request_rpcname()`, which EVRPC_MAKE_REQUEST() calls.
 * @param rpcname the RPC's name (an identifier).
 * @param reqstruct the request type's structure tag.
 * @param rplystruct the reply type's structure tag. */
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

/** Makes a client request context for evrpc_make_request() (evrpc_make_request_ctx() with the
 * types' marshalling functions), so that its pool or callback can be changed before it is sent.
 * @param rpcname the RPC's name.
 * @param reqstruct the request type's structure tag.
 * @param rplystruct the reply type's structure tag.
 * @param pool the pool.
 * @param request the request object (the program's).
 * @param reply the reply object (the program's).
 * @param cb the callback, as for EVRPC_MAKE_REQUEST().
 * @param cbarg its argument. */
#define EVRPC_MAKE_CTX(rpcname, reqstruct, rplystruct,				\
    pool, request, reply, cb, cbarg)						\
	evrpc_make_request_ctx(pool, request, reply, #rpcname,			\
	    (void (*)(struct evbuffer *, void *))reqstruct##_marshal,		\
	    (void (*)(void *))rplystruct##_clear,				\
	    (int (*)(void *, struct evbuffer *))rplystruct##_unmarshal,	\
	    (void (*)(struct evrpc_status *, void *, void *, void *))cb,	\
	    cbarg)

/** Defines, in one source file, the sending function `evrpc_send_request_rpcname()` declared
 * by EVRPC_HEADER(); it calls evrpc_send_request_generic().
 * @param rpcname the RPC's name.
 * @param reqstruct the request type's structure tag.
 * @param rplystruct the reply type's structure tag. */
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

/** The HTTP request under a server-side RPC request, to read its headers or peer, or to add
 * headers to the reply.
 * @param rpc_req the request given to the RPC's callback. */
#define EVRPC_REQUEST_HTTP(rpc_req) (rpc_req)->http_req

/** Sends the reply the server's callback filled in (evrpc_request_done()); the request and
 * its objects are freed, so `rpc_req` must not be used afterwards.
 * @param rpc_req the request given to the RPC's callback. */
#define EVRPC_REQUEST_DONE(rpc_req) do {					\
	struct evrpc_req_generic *req_ = (struct evrpc_req_generic *)(rpc_req);	\
	evrpc_request_done(req_);						\
} while (0)

/** Serves RPC `name` on an RPC base (evrpc_register_generic() with the types' functions):
 * `callback` is called with an EVRPC_STRUCT(name) pointer and `cbarg` for each request, and
 * answers with EVRPC_REQUEST_DONE().
 * @param base the evrpc_base.
 * @param name the RPC's name.
 * @param request the request type's name (its functions' prefix).
 * @param reply the reply type's name.
 * @param callback the server's callback.
 * @param cbarg its argument.
 * @return 0, or -1 on failure. */
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

/** Stops serving RPC `name` (evrpc_unregister_rpc()).
 * @param base the evrpc_base.
 * @param name the RPC's name.
 * @return 0, or -1 when it was not registered. */
#define EVRPC_UNREGISTER(base, name) evrpc_unregister_rpc((base), #name)

/** Sends RPC `name` through a pool. `cb` is called once, from the loop, with a
 * struct evrpc_status pointer, the request, the reply (filled in when the status is
 * EVRPC_STATUS_ERR_NONE) and `cbarg`. The request and reply objects stay the program's.
 * @param name the RPC's name.
 * @param pool the evrpc_pool.
 * @param request the request object.
 * @param reply the reply object.
 * @param cb the callback.
 * @param cbarg its argument.
 * @return 0, or -1 when the request could not be queued (the callback has then run with
 * EVRPC_STATUS_ERR_UNSTARTED). */
#define EVRPC_MAKE_REQUEST(name, pool, request, reply, cb, cbarg)		\
	evrpc_send_request_##name((pool), (request), (reply), (cb), (cbarg))

/** Which way a hook of evrpc_add_hook() works. */
enum EVRPC_HOOK_TYPE {
	EVRPC_INPUT,	/**< on what comes in: a server's requests, a pool's replies */
	EVRPC_OUTPUT	/**< on what goes out: a server's replies, a pool's requests */
};

#ifndef _WIN32
#define INPUT EVRPC_INPUT	/**< the old name of EVRPC_INPUT */
#define OUTPUT EVRPC_OUTPUT	/**< the old name of EVRPC_OUTPUT */
#endif

/** What a hook returns. */
enum EVRPC_HOOK_RESULT {
	EVRPC_TERMINATE = -1,	/**< end the RPC (as a failure) */
	EVRPC_CONTINUE = 0,	/**< go on to the next hook, then the RPC */
	EVRPC_PAUSE = 1		/**< wait: the program calls evrpc_resume_request() later */
};

#include <event2/gen/rpc.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_RPC_H_INCLUDED_ */
