/* evrpc end to end over a real evhttp server on 127.0.0.1: the layouts programs read
 * (struct evrpc, struct evrpc_status, EVRPC_STRUCT), one RPC, several queued on one
 * connection and spread over two, EVRPC_MAKE_CTX with the request accessors, a reply given
 * later from a timer, an incomplete reply, what the server answers to plain HTTP (GET, empty
 * and bad bodies, unknown RPCs), EVRPC_UNREGISTER, and evrpc_register_rpc with the
 * program's own struct evrpc.
 * compare-output, check-preload: the printed outcomes must equal libevent's. */
#include "rpc_common.h"
#include <stddef.h>

static struct evrpc_base *rpc_base;

static void layouts(void)
{
	printf("struct evrpc: size %zu next@%zu uri@%zu request_new@%zu request_new_arg@%zu "
	    "request_free@%zu request_unmarshal@%zu reply_new@%zu reply_new_arg@%zu reply_free@%zu "
	    "reply_complete@%zu reply_marshal@%zu cb@%zu cb_arg@%zu base@%zu\n",
	    sizeof(struct evrpc), offsetof(struct evrpc, next), offsetof(struct evrpc, uri),
	    offsetof(struct evrpc, request_new), offsetof(struct evrpc, request_new_arg),
	    offsetof(struct evrpc, request_free), offsetof(struct evrpc, request_unmarshal),
	    offsetof(struct evrpc, reply_new), offsetof(struct evrpc, reply_new_arg),
	    offsetof(struct evrpc, reply_free), offsetof(struct evrpc, reply_complete),
	    offsetof(struct evrpc, reply_marshal), offsetof(struct evrpc, cb),
	    offsetof(struct evrpc, cb_arg), offsetof(struct evrpc, base));
	printf("struct evrpc_status: size %zu error@%zu http_req@%zu\n", sizeof(struct evrpc_status),
	    offsetof(struct evrpc_status, error), offsetof(struct evrpc_status, http_req));
	printf("EVRPC_STRUCT(Echo): size %zu hook_meta@%zu request@%zu reply@%zu rpc@%zu "
	    "http_req@%zu rpc_data@%zu\n", sizeof(EVRPC_STRUCT(Echo)),
	    offsetof(EVRPC_STRUCT(Echo), hook_meta), offsetof(EVRPC_STRUCT(Echo), request),
	    offsetof(EVRPC_STRUCT(Echo), reply), offsetof(EVRPC_STRUCT(Echo), rpc),
	    offsetof(EVRPC_STRUCT(Echo), http_req), offsetof(EVRPC_STRUCT(Echo), rpc_data));
	printf("EVRPC_INPUT %d EVRPC_OUTPUT %d INPUT %d OUTPUT %d; TERMINATE %d CONTINUE %d PAUSE %d\n",
	    EVRPC_INPUT, EVRPC_OUTPUT, INPUT, OUTPUT, EVRPC_TERMINATE, EVRPC_CONTINUE, EVRPC_PAUSE);
}

static void answer_later(evutil_socket_t fd, short w, void *arg)
{
	EVRPC_STRUCT(Echo) *rpc = arg;
	(void)fd; (void)w;
	rpc->reply->text = strdup("later");
	rpc->reply->number = 1;
	EVRPC_REQUEST_DONE(rpc);
}

/* The server's callback: checks what the program can see of the request, then answers:
 * from a timer for "later", with no text (incomplete) for "incomplete", else an echo. */
static void server_cb(EVRPC_STRUCT(Echo) *rpc, void *arg)
{
	struct evhttp_request *req = EVRPC_REQUEST_HTTP(rpc);
	struct question *q = rpc->request;
	CHECK(arg == (void *)&rpc_base);
	CHECK(req != NULL);
	CHECK_EQ(evhttp_request_get_command(req), EVHTTP_REQ_POST);
	CHECK(evrpc_get_request((struct evrpc_req_generic *)rpc) == rpc->request);
	CHECK(evrpc_get_reply((struct evrpc_req_generic *)rpc) == rpc->reply);
	CHECK(strcmp(rpc->rpc->uri, "Echo") == 0);
	CHECK(rpc->rpc->base == rpc_base);
	CHECK(rpc->rpc->cb_arg == (void *)&rpc_base);
	CHECK(rpc->rpc_data == NULL);
	CHECK(rpc->reply != NULL && rpc->reply->text == NULL);
	if (strcmp(q->text, "spread") != 0)
		printf("server: \"%s\" %u, uri %s\n", q->text, q->number, evhttp_request_get_uri(req));
	if (strcmp(q->text, "later") == 0) {
		struct timeval tv = { 0, 50000 };
		event_base_once(base, -1, EV_TIMEOUT, answer_later, rpc, &tv);
		return;
	}
	if (strcmp(q->text, "incomplete") == 0) {
		EVRPC_REQUEST_DONE(rpc);
		return;
	}
	echo_cb(rpc, NULL);
}

static void register_echo(void)
{
	CHECK_EQ(EVRPC_REGISTER(rpc_base, Echo, question, answer, server_cb, &rpc_base), 0);
}

/* ---- plain HTTP against the RPC server */

static void http_done(struct evhttp_request *req, void *arg)
{
	printf("%s: ", (const char *)arg);
	if (req == NULL) {
		printf("no reply\n");
	} else {
		const char *ct = evhttp_find_header(evhttp_request_get_input_headers(req), "Content-Type");
		printf("%d %s, Content-Type %s\n", evhttp_request_get_response_code(req),
		    evhttp_request_get_response_code_line(req), ct ? ct : "(none)");
	}
	stop_one();
}

static void raw(struct evhttp_connection *evcon, enum evhttp_cmd_type cmd, const char *uri,
    struct evbuffer *body, const char *what)
{
	struct evhttp_request *req = evhttp_request_new(http_done, (void *)what);
	if (body != NULL)
		evbuffer_add_buffer(evhttp_request_get_output_buffer(req), body);
	CHECK_EQ(evhttp_make_request(evcon, req, cmd, uri), 0);
	run(1, what);
}

static void plain_http(void)
{
	struct evhttp_connection *evcon = new_connection();
	struct evbuffer *b = evbuffer_new();
	struct question *q = make_question("raw", 3);

	question_marshal(b, q);
	raw(evcon, EVHTTP_REQ_POST, "/.rpc.Echo", b, "POST good body");
	raw(evcon, EVHTTP_REQ_GET, "/.rpc.Echo", NULL, "GET");
	question_marshal(b, q);
	raw(evcon, EVHTTP_REQ_PUT, "/.rpc.Echo", b, "PUT good body");
	raw(evcon, EVHTTP_REQ_POST, "/.rpc.Echo", NULL, "POST empty body");
	evbuffer_add(b, "\x09\x01z", 3);
	raw(evcon, EVHTTP_REQ_POST, "/.rpc.Echo", b, "POST unknown field");
	evbuffer_add(b, "\x01\x05z", 3);
	raw(evcon, EVHTTP_REQ_POST, "/.rpc.Echo", b, "POST truncated field");
	question_marshal(b, q);
	raw(evcon, EVHTTP_REQ_POST, "/.rpc.Nothing", b, "POST unknown RPC");
	question_free(q);
	evbuffer_free(b);
	evhttp_connection_free(evcon);
}

/* ---- the client */

static void ctx_done(struct evrpc_status *status, void *q, void *a, void *arg)
{
	printf("set_cb callback, arg %s\n", (const char *)arg);
	echo_done(status, q, a, "MAKE_CTX");
}

static void never_called(struct evrpc_status *status, void *q, void *a, void *arg)
{
	(void)status; (void)q; (void)a; (void)arg;
	CHECK(!"the callback replaced by evrpc_request_set_cb ran");
}

static int spread_answers;

static void spread_done(struct evrpc_status *status, struct question *q, struct answer *a, void *arg)
{
	(void)arg;
	CHECK_EQ(status->error, EVRPC_STATUS_ERR_NONE);
	CHECK_EQ(a->number, q->number * 2);
	spread_answers += a->number;
	question_free(q);
	answer_free(a);
	stop_one();
}

static void client(void)
{
	struct evrpc_pool *pool = evrpc_pool_new(NULL), *pool2 = evrpc_pool_new(NULL);
	struct evrpc_request_wrapper *ctx;
	int i;

	evrpc_pool_add_connection(pool, new_connection());

	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("hello", 21), answer_new(),
	    echo_done, "one"), 0);
	run(1, "one");

	/* Queued on the one connection, answered in order. */
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("first", 1), answer_new(), echo_done, "queued 1"), 0);
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("second", 2), answer_new(), echo_done, "queued 2"), 0);
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("third", 3), answer_new(), echo_done, "queued 3"), 0);
	run(3, "queued");

	/* The context made by hand, its pool and callback changed before it is sent. */
	ctx = EVRPC_MAKE_CTX(Echo, question, answer, pool2, make_question("ctx", 5), answer_new(),
	    never_called, NULL);
	CHECK(ctx != NULL);
	CHECK(evrpc_request_get_pool(ctx) == pool2);
	evrpc_request_set_pool(ctx, pool);
	CHECK(evrpc_request_get_pool(ctx) == pool);
	evrpc_request_set_cb(ctx, ctx_done, "ctx-arg");
	CHECK_EQ(evrpc_make_request(ctx), 0);
	run(1, "MAKE_CTX");

	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("later", 0), answer_new(), echo_done, "answered later"), 0);
	run(1, "later");
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("incomplete", 0), answer_new(), echo_done, "incomplete answer"), 0);
	run(1, "incomplete");

	/* Two connections: four RPCs. The completion order on separate connections is not
	 * fixed, so the outcomes are counted rather than printed. */
	evrpc_pool_add_connection(pool2, new_connection());
	evrpc_pool_add_connection(pool2, new_connection());
	for (i = 0; i < 4; i++)
		CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool2, make_question("spread", i), answer_new(),
		    spread_done, NULL), 0);
	run(4, "spread");
	CHECK_EQ(spread_answers, 0 + 2 + 4 + 6);

	/* Unregistered: the server has no such path any more. */
	CHECK_EQ(EVRPC_UNREGISTER(rpc_base, Echo), 0);
	CHECK_EQ(EVRPC_UNREGISTER(rpc_base, Echo), -1);
	CHECK_EQ(evrpc_unregister_rpc(rpc_base, "Nothing"), -1);
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("gone", 0), answer_new(), echo_done, "unregistered"), 0);
	run(1, "unregistered");
	register_echo();
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("back", 4), answer_new(), echo_done, "registered again"), 0);
	run(1, "registered again");

	evrpc_pool_free(pool);
	evrpc_pool_free(pool2);
}

/* evrpc_register_rpc with the program's own struct evrpc: the library frees it (and its
 * uri) with free() when the RPC is unregistered. */
static void own_struct(void)
{
	struct evrpc *rpc = calloc(1, sizeof(*rpc));
	struct evrpc_pool *pool = evrpc_pool_new(NULL);
	rpc->uri = strdup("Own");
	rpc->request_new = question_new_with_arg;
	rpc->request_free = (void (*)(void *))question_free;
	rpc->request_unmarshal = (int (*)(void *, struct evbuffer *))question_unmarshal;
	rpc->reply_new = answer_new_with_arg;
	rpc->reply_free = (void (*)(void *))answer_free;
	rpc->reply_complete = (int (*)(void *))answer_complete;
	rpc->reply_marshal = (void (*)(struct evbuffer *, void *))answer_marshal;
	CHECK_EQ(evrpc_register_rpc(rpc_base, rpc, (void (*)(struct evrpc_req_generic *, void *))echo_cb, NULL), 0);
	CHECK(rpc->base == rpc_base);
	evrpc_pool_add_connection(pool, new_connection());
	CHECK_EQ(evrpc_send_request_generic(pool, make_question("own", 8), answer_new(),
	    (void (*)(struct evrpc_status *, void *, void *, void *))echo_done, "own struct evrpc", "Own",
	    (void (*)(struct evbuffer *, void *))question_marshal, (void (*)(void *))answer_clear,
	    (int (*)(void *, struct evbuffer *))answer_unmarshal), 0);
	run(1, "own");
	CHECK_EQ(evrpc_unregister_rpc(rpc_base, "Own"), 0);
	evrpc_pool_free(pool);
}

int main(void)
{
	layouts();
	start_server();
	rpc_base = evrpc_init(http);
	CHECK(rpc_base != NULL);
	register_echo();
	plain_http();
	client();
	own_struct();
	evrpc_free(rpc_base);
	evhttp_free(http);
	event_base_free(base);
	printf("done\n");
	return 0;
}
