/* Shared by the rpc_* tests: two message types written by hand with evtag (what
 * event_rpcgen.py would generate: _new, _new_with_arg, _free, _clear, _marshal, _unmarshal,
 * _complete), the Echo RPC between them, an evhttp server on 127.0.0.1 (port 0) and a loop
 * runner with a hang guard. Server and client share one event base. */
#ifndef C_TESTS_RPC_COMMON_H
#define C_TESTS_RPC_COMMON_H
#include <event2/event.h>
#include <event2/event_compat.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/tag.h>
#include <event2/rpc.h>
#include <event2/rpc_struct.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <string.h>
#include "check.h"

/* A message: a text (required) and a number. Tags 1 and 2; any other tag is an error. */
#define DEFINE_MESSAGE(name)							\
struct name { char *text; ev_uint32_t number; };				\
static inline struct name *name##_new(void) { return calloc(1, sizeof(struct name)); } \
static inline void *name##_new_with_arg(void *arg) { (void)arg; return name##_new(); } \
static inline void name##_clear(struct name *m) { free(m->text); m->text = NULL; m->number = 0; } \
static inline void name##_free(struct name *m) { name##_clear(m); free(m); }	\
static inline int name##_complete(struct name *m) { return m->text != NULL ? 0 : -1; } \
static inline void name##_marshal(struct evbuffer *b, struct name *m)		\
{									\
	if (m->text != NULL)						\
		evtag_marshal_string(b, 1, m->text);			\
	evtag_marshal_int(b, 2, m->number);				\
}									\
static inline int name##_unmarshal(struct name *m, struct evbuffer *b)		\
{									\
	ev_uint32_t tag;						\
	while (evbuffer_get_length(b) > 0) {				\
		if (evtag_peek(b, &tag) == -1)				\
			return -1;					\
		if (tag == 1) {						\
			free(m->text);					\
			m->text = NULL;					\
			if (evtag_unmarshal_string(b, 1, &m->text) == -1) \
				return -1;				\
		} else if (tag == 2) {					\
			if (evtag_unmarshal_int(b, 2, &m->number) == -1) \
				return -1;				\
		} else							\
			return -1;					\
	}								\
	return name##_complete(m);					\
}

DEFINE_MESSAGE(question)
DEFINE_MESSAGE(answer)

/* Echo: the answer is the question's text and twice its number. */
EVRPC_HEADER(Echo, question, answer)
EVRPC_GENERATE(Echo, question, answer)

static struct event_base *base;
static struct evhttp *http;
static int port;
static int pending; /* completions still expected before the loop stops */

static void stop_one(void)
{
	if (--pending <= 0)
		event_base_loopbreak(base);
}

static void guard_cb(evutil_socket_t fd, short w, void *arg)
{
	(void)fd; (void)w;
	fprintf(stderr, "hang in step %s\n", (const char *)arg);
	exit(1);
}

/* Runs the loop until `n` stop_one() calls in all (some may have come already, from a
 * callback run before the loop), with a hang guard. */
static void run(int n, const char *step)
{
	struct timeval tv = { 20, 0 };
	struct event *g;
	pending += n;
	if (pending <= 0) {
		CHECK_EQ(pending, 0);
		return;
	}
	g = evtimer_new(base, guard_cb, (void *)step);
	evtimer_add(g, &tv);
	event_base_dispatch(base);
	event_free(g);
	CHECK_EQ(pending, 0);
}

/* The base and an HTTP server listening on 127.0.0.1 at a free port. */
static void start_server(void)
{
	struct evhttp_bound_socket *bs;
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	signal(SIGPIPE, SIG_IGN);
	base = event_init(); /* also the current base: a pool made without a base puts its timers there */
	CHECK(base != NULL);
	http = evhttp_new(base);
	CHECK(http != NULL);
	bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	CHECK(bs != NULL);
	CHECK(getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sin, &sl) == 0);
	port = ntohs(sin.sin_port);
}

static struct evhttp_connection *new_connection(void)
{
	struct evhttp_connection *evcon = evhttp_connection_base_new(base, NULL, "127.0.0.1", port);
	CHECK(evcon != NULL);
	return evcon;
}

static struct question *make_question(const char *text, ev_uint32_t number)
{
	struct question *q = question_new();
	q->text = strdup(text);
	q->number = number;
	return q;
}

static const char *error_name(int error)
{
	switch (error) {
	case EVRPC_STATUS_ERR_NONE: return "none";
	case EVRPC_STATUS_ERR_TIMEOUT: return "timeout";
	case EVRPC_STATUS_ERR_BADPAYLOAD: return "badpayload";
	case EVRPC_STATUS_ERR_UNSTARTED: return "unstarted";
	case EVRPC_STATUS_ERR_HOOKABORTED: return "hookaborted";
	}
	return "?";
}

/* Prints an RPC's outcome: its status, the HTTP code when there was a reply, the answer. */
static void print_outcome(const char *what, struct evrpc_status *status, struct answer *a)
{
	printf("%s: %s", what, error_name(status->error));
	if (status->http_req != NULL)
		printf(" http %d", evhttp_request_get_response_code(status->http_req));
	if (a->text != NULL)
		printf(" answer \"%s\" %u", a->text, a->number);
	printf("\n");
}

/* The client's completion callback of most tests: prints, frees, stops one. */
static void echo_done(struct evrpc_status *status, struct question *q, struct answer *a, void *arg)
{
	print_outcome((const char *)arg, status, a);
	question_free(q);
	answer_free(a);
	stop_one();
}

/* The server's Echo: answers at once. */
static void echo_cb(EVRPC_STRUCT(Echo) *rpc, void *arg)
{
	struct question *q = rpc->request;
	struct answer *a = rpc->reply;
	(void)arg;
	a->text = strdup(q->text);
	a->number = q->number * 2;
	EVRPC_REQUEST_DONE(rpc);
}

#endif
