/* A small evhttp server in the manner of the notes:
 *   GET  /hello          -> "hello, world"
 *   POST /form           -> the form fields of the body, one "key=value" a line
 *   GET  /slow           -> answers after 2 s, unless the client leaves first: then the
 *                           connection's close callback reports it at once (EV_READ is
 *                           re-enabled on the connection's bufferevent to notice the close)
 * It prints its port on the first line of stdout, then one line per event.
 *   usage: http_server [port]      (0 or nothing: any free port) */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slow {
	struct evhttp_request *req;
	struct event *timer;
};

static void hello(struct evhttp_request *req, void *arg)
{
	evbuffer_add_printf(evhttp_request_get_output_buffer(req), "hello, world\n");
	evhttp_send_reply(req, HTTP_OK, "OK", NULL);
}

static void form(struct evhttp_request *req, void *arg)
{
	struct evbuffer *body = evhttp_request_get_input_buffer(req);
	struct evbuffer *out = evhttp_request_get_output_buffer(req);
	size_t n = evbuffer_get_length(body);
	char *uri = malloc(n + 3);
	struct evkeyvalq fields;
	struct evkeyval *kv;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		evhttp_send_error(req, HTTP_BADMETHOD, NULL);
		free(uri);
		return;
	}
	/* As the notes do: the body joined to a URI, parsed as its query. */
	memcpy(uri, "/?", 2);
	evbuffer_remove(body, uri + 2, n);
	uri[n + 2] = '\0';
	if (evhttp_parse_query(uri, &fields) != 0) {
		evhttp_send_error(req, HTTP_BADREQUEST, "Bad form");
		free(uri);
		return;
	}
	TAILQ_FOREACH(kv, &fields, next)
		evbuffer_add_printf(out, "%s=%s\n", kv->key, kv->value);
	evhttp_clear_headers(&fields);
	free(uri);
	printf("form answered\n");
	fflush(stdout);
	evhttp_send_reply(req, HTTP_OK, "OK", NULL);
}

static void slow_done(evutil_socket_t fd, short what, void *arg)
{
	struct slow *s = arg;
	/* The state goes below: the connection must not call client_left with it later (when
	 * this client closes, or at the end of a later request on the same connection). */
	evhttp_connection_set_closecb(evhttp_request_get_connection(s->req), NULL, NULL);
	evbuffer_add_printf(evhttp_request_get_output_buffer(s->req), "sorry for the wait\n");
	evhttp_send_reply(s->req, HTTP_OK, "OK", NULL);
	printf("slow answered\n");
	fflush(stdout);
	event_free(s->timer);
	free(s);
}

static void client_left(struct evhttp_connection *evcon, void *arg)
{
	struct slow *s = arg;
	printf("client left\n");
	fflush(stdout);
	/* The request outlives its connection: replying now only frees it. */
	event_free(s->timer);
	evhttp_send_reply(s->req, HTTP_OK, "OK", NULL);
	free(s);
}

static void slow(struct evhttp_request *req, void *arg)
{
	struct event_base *base = arg;
	struct slow *s = calloc(1, sizeof(*s));
	struct timeval two = { 2, 0 };
	s->req = req;
	s->timer = evtimer_new(base, slow_done, s);
	evtimer_add(s->timer, &two);
	evhttp_connection_set_closecb(req->evcon, client_left, s);
	bufferevent_enable(evhttp_connection_get_bufferevent(req->evcon), EV_READ);
	printf("slow started\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct event_base *base = event_base_new();
	struct evhttp *http = evhttp_new(base);
	struct evhttp_bound_socket *bound;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int port = argc > 1 ? atoi(argv[1]) : 0;

	evhttp_set_cb(http, "/hello", hello, NULL);
	evhttp_set_cb(http, "/form", form, NULL);
	evhttp_set_cb(http, "/slow", slow, base);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
	bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", port);
	if (!bound) {
		fprintf(stderr, "cannot listen on port %d\n", port);
		return 1;
	}
	getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sin, &len);
	printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	event_base_dispatch(base);
	evhttp_free(http);
	event_base_free(base);
	return 0;
}
