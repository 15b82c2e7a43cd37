/* evrpc called back from its own callbacks: a client callback sending the next RPC, a
 * server callback unregistering its RPC and freeing the evrpc_base after answering. Then,
 * on event_rs only, what libevent does not survive (it reads the freed object on return):
 * the pool freed from a completion callback with a request still queued, from an output hook
 * and from an input hook, and the evrpc_base freed from an input hook and while a request is
 * paused in one (libevent leaves that request unanswered; ours answers 503). Those parts print
 * nothing, so both libraries print the same.
 * compare-output, check-preload. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_DEFAULT */
#endif
#include "rpc_common.h"
#include <dlfcn.h>

static struct evrpc_base *rpc_base;
static struct evrpc_pool *pool;

/* event_rs also carries libev's API; libevent does not. */
static int on_event_rs(void)
{
	return dlsym(RTLD_DEFAULT, "ev_version_major") != NULL;
}

static struct evrpc_pool *new_pool(void)
{
	struct evrpc_pool *p = evrpc_pool_new(NULL);
	evrpc_pool_add_connection(p, new_connection());
	return p;
}

/* ---- safe on both libraries */

static int chained;

static void chain_done(struct evrpc_status *status, struct question *q, struct answer *a, void *arg)
{
	(void)arg;
	printf("chain %u: %s %s %u\n", q->number, error_name(status->error), a->text, a->number);
	if (q->number < 3)
		CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("chain", q->number + 1),
		    answer_new(), chain_done, NULL), 0);
	chained++;
	question_free(q);
	answer_free(a);
	stop_one();
}

static void last_cb(EVRPC_STRUCT(Echo) *rpc, void *arg)
{
	(void)arg;
	echo_cb(rpc, NULL);
	printf("server: unregister %d\n", EVRPC_UNREGISTER(rpc_base, Echo));
	evrpc_free(rpc_base);
	rpc_base = NULL;
}

/* ---- event_rs only */

static void free_pool_done(struct evrpc_status *status, struct question *q, struct answer *a, void *arg)
{
	(void)arg;
	CHECK_EQ(status->error, EVRPC_STATUS_ERR_NONE);
	CHECK(q->number == 1);
	question_free(q);
	answer_free(a);
	evrpc_pool_free(pool); /* the second request is still queued: dropped */
	pool = NULL;
	stop_one();
}

static void never(struct evrpc_status *status, struct question *q, struct answer *a, void *arg)
{
	(void)status; (void)q; (void)a; (void)arg;
	CHECK(!"the callback of a request dropped with its pool ran");
}

static int free_pool_hook(void *ctx, struct evhttp_request *req, struct evbuffer *buf, void *arg)
{
	(void)ctx; (void)req; (void)buf; (void)arg;
	evrpc_pool_free(pool);
	pool = NULL;
	stop_one();
	return EVRPC_CONTINUE;
}

static int free_base_hook(void *ctx, struct evhttp_request *req, struct evbuffer *buf, void *arg)
{
	(void)ctx; (void)req; (void)buf; (void)arg;
	evrpc_free(rpc_base);
	rpc_base = NULL;
	return EVRPC_CONTINUE;
}

static int pause_hook(void *ctx, struct evhttp_request *req, struct evbuffer *buf, void *arg)
{
	(void)ctx; (void)req; (void)buf; (void)arg;
	return EVRPC_PAUSE;
}

static void free_base_later(evutil_socket_t fd, short w, void *arg)
{
	(void)fd; (void)w; (void)arg;
	evrpc_free(rpc_base); /* the paused request is answered 503 */
	rpc_base = NULL;
}

static void http_done(struct evhttp_request *req, void *arg)
{
	(void)arg;
	CHECK(req != NULL && evhttp_request_get_response_code(req) == 503);
	stop_one();
}

static void only_on_event_rs(void)
{
	struct question *q;
	struct answer *a;
	struct evhttp_connection *evcon;
	struct evbuffer *body;
	struct evhttp_request *req;
	struct timeval tv = { 0, 100000 };

	rpc_base = evrpc_init(http);
	CHECK_EQ(EVRPC_REGISTER(rpc_base, Echo, question, answer, echo_cb, NULL), 0);

	/* From the completion callback, another request queued behind. */
	pool = new_pool();
	q = make_question("second", 2);
	a = answer_new();
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("first", 1), answer_new(), free_pool_done, NULL), 0);
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, q, a, never, NULL), 0);
	run(1, "pool freed in its callback");
	CHECK(pool == NULL);
	question_free(q);
	answer_free(a);

	/* From an output hook (the request is dropped before it leaves) and from an input
	 * hook (the reply is dropped). */
	pool = new_pool();
	CHECK(evrpc_add_hook(pool, EVRPC_OUTPUT, free_pool_hook, NULL) != NULL);
	q = make_question("out", 3);
	a = answer_new();
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, q, a, never, NULL), 0);
	run(1, "pool freed in an output hook");
	question_free(q);
	answer_free(a);

	pool = new_pool();
	CHECK(evrpc_add_hook(pool, EVRPC_INPUT, free_pool_hook, NULL) != NULL);
	q = make_question("in", 4);
	a = answer_new();
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, q, a, never, NULL), 0);
	run(1, "pool freed in an input hook");
	question_free(q);
	answer_free(a);

	/* The server's base freed by its own input hook: the request is answered 503. */
	CHECK(evrpc_add_hook(rpc_base, EVRPC_INPUT, free_base_hook, NULL) != NULL);
	evcon = new_connection();
	req = evhttp_request_new(http_done, NULL);
	body = evhttp_request_get_output_buffer(req);
	question_marshal(body, q = make_question("base", 5));
	question_free(q);
	CHECK_EQ(evhttp_make_request(evcon, req, EVHTTP_REQ_POST, "/.rpc.Echo"), 0);
	run(1, "base freed in an input hook");
	CHECK(rpc_base == NULL);

	/* A base freed with a request paused in a hook. */
	rpc_base = evrpc_init(http);
	CHECK_EQ(EVRPC_REGISTER(rpc_base, Echo, question, answer, echo_cb, NULL), 0);
	CHECK(evrpc_add_hook(rpc_base, EVRPC_INPUT, pause_hook, NULL) != NULL);
	req = evhttp_request_new(http_done, NULL);
	question_marshal(evhttp_request_get_output_buffer(req), q = make_question("paused", 6));
	question_free(q);
	CHECK_EQ(evhttp_make_request(evcon, req, EVHTTP_REQ_POST, "/.rpc.Echo"), 0);
	CHECK_EQ(event_base_once(base, -1, EV_TIMEOUT, free_base_later, NULL, &tv), 0);
	run(1, "base freed with a paused request");
	CHECK(rpc_base == NULL);
	evhttp_connection_free(evcon);
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

int main(void)
{
	start_server();
	rpc_base = evrpc_init(http);
	CHECK_EQ(EVRPC_REGISTER(rpc_base, Echo, question, answer, echo_cb, NULL), 0);

	pool = new_pool();
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("chain", 1), answer_new(), chain_done, NULL), 0);
	run(3, "chain");
	CHECK_EQ(chained, 3);

	CHECK_EQ(EVRPC_UNREGISTER(rpc_base, Echo), 0);
	CHECK_EQ(EVRPC_REGISTER(rpc_base, Echo, question, answer, last_cb, NULL), 0);
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("last", 9), answer_new(), echo_done, "last"), 0);
	run(1, "last");
	CHECK(rpc_base == NULL);
	evrpc_pool_free(pool);

	if (on_event_rs())
		only_on_event_rs();

	evhttp_free(http);
	event_base_free(base);
	printf("done\n");
	return 0;
}
