/* evrpc when things go wrong: the pool's timeout (EVRPC_STATUS_ERR_TIMEOUT, also for a
 * connection refused), the server answering a request whose client gave up, a request
 * that cannot be marshalled by the server (bad payload, 503), requests queued while every
 * connection is busy and handed to a connection added later, evrpc_pool_remove_connection,
 * and evrpc_pool_free with requests still queued and in flight (their callbacks never run).
 * compare-output, check-preload: the printed outcomes must equal libevent's. */
#include "rpc_common.h"
#include <unistd.h>

static struct evrpc_base *rpc_base;
static EVRPC_STRUCT(Echo) *stalled;

static void answer_stalled(evutil_socket_t fd, short w, void *arg)
{
	(void)fd; (void)w; (void)arg;
	printf("server answers the stalled request\n");
	echo_cb(stalled, NULL);
	stalled = NULL;
	stop_one();
}

/* "stall" is answered 1.5 s later, after the client's timeout of 1 s. */
static void server_cb(EVRPC_STRUCT(Echo) *rpc, void *arg)
{
	(void)arg;
	printf("server: \"%s\"\n", rpc->request->text);
	if (strcmp(rpc->request->text, "stall") == 0) {
		struct timeval tv = { 1, 500000 };
		stalled = rpc;
		event_base_once(base, -1, EV_TIMEOUT, answer_stalled, NULL, &tv);
		return;
	}
	echo_cb(rpc, NULL);
}

/* A request marshal that writes what the server cannot read. */
static void bad_marshal(struct evbuffer *b, void *q)
{
	(void)q;
	evbuffer_add(b, "\x05\x01x", 3);
}

static int closed_port(void)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&sin, &sl) == 0);
	close(fd);
	return ntohs(sin.sin_port);
}

static void timeouts(void)
{
	struct evrpc_pool *pool = evrpc_pool_new(NULL);
	struct evhttp_connection *refused;

	evrpc_pool_set_timeout(pool, 1);
	evrpc_pool_add_connection(pool, new_connection());
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("stall", 1), answer_new(), echo_done,
	    "stalled"), 0);
	run(1, "timeout");
	/* The same pool goes on: a new request after the server's late answer. */
	run(1, "late answer");
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("after", 2), answer_new(), echo_done,
	    "after the timeout"), 0);
	run(1, "after");
	evrpc_pool_free(pool);

	pool = evrpc_pool_new(NULL);
	refused = evhttp_connection_base_new(base, NULL, "127.0.0.1", closed_port());
	evrpc_pool_add_connection(pool, refused);
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("nobody", 3), answer_new(), echo_done,
	    "refused"), 0);
	run(1, "refused");
	evrpc_pool_free(pool);
}

static void bad_request(void)
{
	struct evrpc_pool *pool = evrpc_pool_new(NULL);
	evrpc_pool_add_connection(pool, new_connection());
	CHECK_EQ(evrpc_send_request_generic(pool, make_question("bad", 0), answer_new(),
	    (void (*)(struct evrpc_status *, void *, void *, void *))echo_done, "bad request",
	    "Echo", bad_marshal, (void (*)(void *))answer_clear,
	    (int (*)(void *, struct evbuffer *))answer_unmarshal), 0);
	run(1, "bad request");
	evrpc_pool_free(pool);
}

static int answered;

static void counted_done(struct evrpc_status *status, struct question *q, struct answer *a, void *arg)
{
	(void)arg;
	CHECK_EQ(status->error, EVRPC_STATUS_ERR_NONE);
	CHECK_EQ(a->number, 2 * q->number);
	answered++;
	question_free(q);
	answer_free(a);
	stop_one();
}

static void queueing(void)
{
	struct evrpc_pool *pool = evrpc_pool_new(NULL);
	struct evhttp_connection *first = new_connection(), *second = new_connection();
	int i;

	/* One connection: the first request goes out, two wait; a second connection added
	 * takes the next one at once. */
	evrpc_pool_add_connection(pool, first);
	for (i = 1; i <= 3; i++)
		CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("queued", i), answer_new(),
		    counted_done, NULL), 0);
	evrpc_pool_add_connection(pool, second);
	run(3, "queued");
	printf("queued: %d answered\n", answered);

	/* Without the first connection, everything goes through the second. */
	evrpc_pool_remove_connection(pool, first);
	evhttp_connection_free(first);
	CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, make_question("second", 4), answer_new(),
	    counted_done, NULL), 0);
	run(1, "second");
	printf("after remove_connection: %d answered\n", answered);
	evrpc_pool_free(pool);
}

static void forgotten(struct evrpc_status *status, struct question *q, struct answer *a, void *arg)
{
	(void)status; (void)q; (void)a; (void)arg;
	CHECK(!"a callback ran for a request dropped by evrpc_pool_free");
}

/* Freed with one request in flight and two queued: no callback runs. */
static void free_busy_pool(void)
{
	struct evrpc_pool *pool = evrpc_pool_new(NULL);
	struct question *q[3];
	struct answer *a[3];
	struct timeval tv = { 0, 100000 };
	int i;

	evrpc_pool_add_connection(pool, new_connection());
	for (i = 0; i < 3; i++) {
		q[i] = make_question("dropped", i);
		a[i] = answer_new();
		CHECK_EQ(EVRPC_MAKE_REQUEST(Echo, pool, q[i], a[i], forgotten, NULL), 0);
	}
	evrpc_pool_free(pool);
	/* Let the server see the connection go. */
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
	for (i = 0; i < 3; i++) {
		question_free(q[i]);
		answer_free(a[i]);
	}
	printf("pool freed while busy\n");
}

int main(void)
{
	start_server();
	rpc_base = evrpc_init(http);
	CHECK_EQ(EVRPC_REGISTER(rpc_base, Echo, question, answer, server_cb, NULL), 0);
	timeouts();
	bad_request();
	queueing();
	free_busy_pool();
	evrpc_free(rpc_base);
	evhttp_free(http);
	event_base_free(base);
	printf("done\n");
	return 0;
}
