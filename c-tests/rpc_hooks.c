/* evrpc hooks on both sides: input and output hooks of the server (evrpc_base) and of the
 * client (evrpc_pool) that continue, terminate, or pause and are resumed later from a timer
 * (with CONTINUE or TERMINATE); a hook that changes the payload; hook meta data carried from
 * one hook to the next; evrpc_hook_get_connection; evrpc_remove_hook; evrpc_resume_request
 * on a request that is not paused. Which hooks run after a resumed pause is libevent's
 * (the later hooks of the same list are skipped).
 * compare-output, check-preload: the printed sequence must equal libevent's. */
#include "rpc_common.h"

static struct evrpc_base *rpc_base;
static struct evrpc_pool *pool;
static struct evhttp_connection *client_conn;
static const char *mode; /* what the hooks do in this scenario */

struct resume { void *vbase; void *ctx; enum EVRPC_HOOK_RESULT res; };
static struct resume later;

static void resume_cb(evutil_socket_t fd, short w, void *arg)
{
	(void)fd; (void)w; (void)arg;
	printf("  resume %s: %d\n", later.res == EVRPC_CONTINUE ? "CONTINUE" : "TERMINATE",
	    evrpc_resume_request(later.vbase, later.ctx, later.res));
	CHECK_EQ(evrpc_resume_request(later.vbase, later.ctx, later.res), -1);
}

/* Pauses the request: resumed from a timer with CONTINUE, or TERMINATE when the mode ends so. */
static int pause_request(void *vbase, void *ctx)
{
	struct timeval tv = { 0, 20000 };
	later.vbase = vbase;
	later.ctx = ctx;
	later.res = strstr(mode, "then-terminate") ? EVRPC_TERMINATE : EVRPC_CONTINUE;
	CHECK_EQ(event_base_once(base, -1, EV_TIMEOUT, resume_cb, NULL, &tv), 0);
	return EVRPC_PAUSE;
}

/* What a hook named `who` answers in this mode. */
static int decide(const char *who, void *vbase, void *ctx)
{
	char want[64];
	snprintf(want, sizeof(want), "%s pause", who);
	if (strncmp(mode, want, strlen(want)) == 0)
		return pause_request(vbase, ctx);
	snprintf(want, sizeof(want), "%s terminate", who);
	if (strcmp(mode, want) == 0)
		return EVRPC_TERMINATE;
	return EVRPC_CONTINUE;
}

static void show_meta(void *ctx, const char *key)
{
	void *data = NULL;
	size_t len = 0;
	if (evrpc_hook_find_meta(ctx, key, &data, &len) == 0)
		printf(" meta %s=%.*s", key, (int)len, (const char *)data);
	else
		printf(" no meta %s", key);
}

/* ---- server hooks */

static int server_in_a(void *ctx, struct evhttp_request *req, struct evbuffer *buf, void *arg)
{
	const char *h = evhttp_find_header(evhttp_request_get_input_headers(req), "X-Hook");
	CHECK(arg == (void *)"A");
	CHECK(evrpc_hook_get_connection(ctx) == evhttp_request_get_connection(req));
	CHECK(buf == evhttp_request_get_input_buffer(req));
	printf("  server in A: %zu bytes, X-Hook %s", evbuffer_get_length(buf), h ? h : "(none)");
	show_meta(ctx, "server");
	printf("\n");
	evrpc_hook_add_meta(ctx, "server", "from-A", 6);
	evrpc_hook_add_meta(ctx, "server", "second", 6); /* found: the first one added */
	return decide("server-in", rpc_base, ctx);
}

static int server_in_b(void *ctx, struct evhttp_request *req, struct evbuffer *buf, void *arg)
{
	(void)req; (void)buf; (void)arg;
	printf("  server in B:");
	show_meta(ctx, "server");
	printf("\n");
	return EVRPC_CONTINUE;
}

static int server_out_c(void *ctx, struct evhttp_request *req, struct evbuffer *buf, void *arg)
{
	(void)arg;
	CHECK(evrpc_hook_get_connection(ctx) == evhttp_request_get_connection(req));
	printf("  server out C: %zu bytes", evbuffer_get_length(buf));
	show_meta(ctx, "server");
	show_meta(ctx, "client");
	printf("\n");
	if (strcmp(mode, "server-out corrupt") == 0)
		evbuffer_add(buf, "\x07\x01x", 3);
	return decide("server-out", rpc_base, ctx);
}

/* ---- client hooks */

static int client_out_d(void *ctx, struct evhttp_request *req, struct evbuffer *buf, void *arg)
{
	(void)arg;
	CHECK(evrpc_hook_get_connection(ctx) == client_conn);
	CHECK(buf == evhttp_request_get_output_buffer(req));
	printf("  client out D: %zu bytes", evbuffer_get_length(buf));
	show_meta(ctx, "client");
	printf("\n");
	evrpc_hook_add_meta(ctx, "client", "from-D", 6);
	evhttp_add_header(evhttp_request_get_output_headers(req), "X-Hook", "D");
	return decide("client-out", pool, ctx);
}

static int client_in_e(void *ctx, struct evhttp_request *req, struct evbuffer *buf, void *arg)
{
	(void)arg;
	CHECK(evrpc_hook_get_connection(ctx) == client_conn);
	CHECK(buf == evhttp_request_get_input_buffer(req));
	printf("  client in E: http %d, %zu bytes", evhttp_request_get_response_code(req),
	    evbuffer_get_length(buf));
	show_meta(ctx, "client");
	printf("\n");
	return decide("client-in", pool, ctx);
}

static void server_cb(EVRPC_STRUCT(Echo) *rpc, void *arg)
{
	(void)arg;
	printf("  server callback\n");
	echo_cb(rpc, NULL);
}

static void scenario(const char *m)
{
	mode = m;
	printf("%s\n", m);
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("hooked", 1), answer_new(), echo_done,
	    "  done"), 0);
	run(1, m);
}

int main(void)
{
	void *a, *b, *c, *d, *e;
	start_server();
	rpc_base = evrpc_init(http);
	CHECK_EQ(EVRPC_REGISTER(rpc_base, Echo, question, answer, server_cb, NULL), 0);
	pool = evrpc_pool_new(NULL);
	client_conn = new_connection();
	evrpc_pool_add_connection(pool, client_conn);

	a = evrpc_add_hook(rpc_base, EVRPC_INPUT, server_in_a, "A");
	b = evrpc_add_hook(rpc_base, EVRPC_INPUT, server_in_b, NULL);
	c = evrpc_add_hook(rpc_base, EVRPC_OUTPUT, server_out_c, NULL);
	d = evrpc_add_hook(pool, EVRPC_OUTPUT, client_out_d, NULL);
	e = evrpc_add_hook(pool, EVRPC_INPUT, client_in_e, NULL);
	CHECK(a && b && c && d && e);

	scenario("all continue");
	scenario("server-in pause");
	scenario("server-in pause then-terminate");
	scenario("server-in terminate");
	scenario("server-out pause");
	scenario("server-out pause then-terminate");
	scenario("server-out terminate");
	scenario("server-out corrupt");
	scenario("client-out pause");
	scenario("client-out pause then-terminate");
	scenario("client-out terminate");
	scenario("client-in pause");
	scenario("client-in pause then-terminate");
	scenario("client-in terminate");

	CHECK_EQ(evrpc_resume_request(rpc_base, a, EVRPC_CONTINUE), -1);
	CHECK_EQ(evrpc_resume_request(pool, NULL, EVRPC_CONTINUE), -1);

	CHECK_EQ(evrpc_remove_hook(rpc_base, EVRPC_OUTPUT, a), 0); /* wrong list */
	CHECK_EQ(evrpc_remove_hook(rpc_base, EVRPC_INPUT, a), 1);
	CHECK_EQ(evrpc_remove_hook(rpc_base, EVRPC_INPUT, a), 0);
	CHECK_EQ(evrpc_remove_hook(pool, EVRPC_OUTPUT, d), 1);
	scenario("A and D removed");
	CHECK_EQ(evrpc_remove_hook(rpc_base, EVRPC_INPUT, b), 1);
	CHECK_EQ(evrpc_remove_hook(pool, EVRPC_INPUT, e), 1);
	scenario("only C left");

	/* Hooks still on the base and the pool are freed with them. */
	evrpc_pool_free(pool);
	evrpc_free(rpc_base);
	evhttp_free(http);
	event_base_free(base);
	printf("done\n");
	return 0;
}
