/* An evhttp "hello" server for wrk (run.sh does the measuring): binds 127.0.0.1 on a free port,
 * prints the port on stdout, and serves until killed. */
#include "bench.h"
#include <signal.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/http.h>

static void hello(struct evhttp_request *req, void *arg)
{
	struct evbuffer *out = evhttp_request_get_output_buffer(req);
	(void)arg;
	evbuffer_add(out, "Hello, world!\n", 14);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/plain");
	evhttp_send_reply(req, HTTP_OK, "OK", NULL);
}

int main(void)
{
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;

	signal(SIGPIPE, SIG_IGN); /* wrk closes connections with replies in flight */
	raise_nofile(4096);
	if (!(base = event_base_new()) || !(http = evhttp_new(base)))
		die("evhttp_new");
	evhttp_set_gencb(http, hello, NULL);
	if (!(sock = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) ||
	    getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&sin, &len) != 0)
		die("bind");
	printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	event_base_dispatch(base);
	return 0;
}
