/* libevent 2.2's client and URI additions on the 2.1 ABI, against our own server in the same
 * loop: evhttp_connection_base_bufferevent_unix_new, evhttp_connection_base_bufferevent_reuse_new
 * (a socket the program connected), evhttp_connection_set_ext_method_cmp and the WebDAV
 * methods, the connect/read/write timeouts (a reply that never comes fails with
 * EVREQ_HTTP_TIMEOUT), EVHTTP_URI_UNIX_SOCKET and evhttp_uri_{get,set}_unixsocket,
 * EVHTTP_URI_HOST_STRIP_BRACKETS, evhttp_parse_query_str_flags, and the new constants.
 * needs: event_rs (2.2 API). No duration is asserted. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include "check.h"

#define EXT_PURGE (1u << 16)

static struct event_base *base;
static struct evhttp *http;
static int port;
static char unix_path[108];
static int code, errors, last_error;
static char body[256];

static int ext_cmp(struct evhttp_ext_method *m)
{
	if (m->method && strcmp(m->method, "PURGE") == 0) {
		m->type = EXT_PURGE;
		return 0;
	}
	if (!m->method && m->type == EXT_PURGE) {
		m->method = "PURGE";
		return 0;
	}
	return -1;
}

static void gencb(struct evhttp_request *req, void *arg)
{
	struct evbuffer *reply;
	(void)arg;
	if (strcmp(evhttp_request_get_uri(req), "/never") == 0)
		return; /* no reply: the client's read timeout fires (evhttp_free frees the request) */
	reply = evbuffer_new();
	evbuffer_add_printf(reply, "cmd=%u", (unsigned)evhttp_request_get_command(req));
	evhttp_send_reply(req, HTTP_OK, "OK", reply);
	evbuffer_free(reply);
}

static void done(struct evhttp_request *req, void *arg)
{
	(void)arg;
	code = req ? evhttp_request_get_response_code(req) : 0;
	body[0] = 0;
	if (req) {
		struct evbuffer *in = evhttp_request_get_input_buffer(req);
		size_t n = evbuffer_get_length(in);
		if (n >= sizeof(body))
			n = sizeof(body) - 1;
		evbuffer_remove(in, body, n);
		body[n] = 0;
	}
	event_base_loopbreak(base);
}

static void on_error(enum evhttp_request_error e, void *arg)
{
	(void)arg;
	errors++;
	last_error = (int)e;
}

static void request(struct evhttp_connection *evcon, enum evhttp_cmd_type type, const char *uri)
{
	struct evhttp_request *req = evhttp_request_new(done, NULL);
	evhttp_request_set_error_cb(req, on_error);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host", "localhost");
	code = -1;
	CHECK(evhttp_make_request(evcon, req, type, uri) == 0);
	event_base_dispatch(base);
}

static void check_uris(void)
{
	struct evhttp_uri *u;
	struct evkeyvalq q;
	struct evkeyval *kv;
	char buf[256];
	int n;

	u = evhttp_uri_parse_with_flags("http://unix:/run/app.sock:/a/b?x=1", EVHTTP_URI_UNIX_SOCKET);
	CHECK(u);
	CHECK(strcmp(evhttp_uri_get_unixsocket(u), "/run/app.sock") == 0);
	CHECK(evhttp_uri_get_host(u) == NULL);
	CHECK(strcmp(evhttp_uri_get_path(u), "/a/b") == 0);
	CHECK(strcmp(evhttp_uri_get_query(u), "x=1") == 0);
	CHECK(strcmp(evhttp_uri_join(u, buf, sizeof(buf)), "http://unix:/run/app.sock:/a/b?x=1") == 0);
	CHECK(evhttp_uri_set_unixsocket(u, "/tmp/other") == 0);
	CHECK(strcmp(evhttp_uri_join(u, buf, sizeof(buf)), "http://unix:/tmp/other:/a/b?x=1") == 0);
	CHECK(evhttp_uri_set_unixsocket(u, "bad:path") == -1);
	CHECK(evhttp_uri_set_unixsocket(NULL, "/x") == -1);
	evhttp_uri_free(u);
	CHECK(evhttp_uri_parse_with_flags("http://unix:/no/end", EVHTTP_URI_UNIX_SOCKET) == NULL);
	u = evhttp_uri_parse("http://unix:/run/app.sock:/a"); /* without the flag: host "unix" */
	CHECK(u && strcmp(evhttp_uri_get_host(u), "unix") == 0 && evhttp_uri_get_unixsocket(u) == NULL);
	evhttp_uri_free(u);

	u = evhttp_uri_parse_with_flags("http://[::1]:8080/p", EVHTTP_URI_HOST_STRIP_BRACKETS);
	CHECK(u && strcmp(evhttp_uri_get_host(u), "::1") == 0 && evhttp_uri_get_port(u) == 8080);
	CHECK(strcmp(evhttp_uri_join(u, buf, sizeof(buf)), "http://[::1]:8080/p") == 0);
	CHECK(evhttp_uri_set_host(u, "fe80::2") == 0);
	CHECK(strcmp(evhttp_uri_join(u, buf, sizeof(buf)), "http://[fe80::2]:8080/p") == 0);
	CHECK(evhttp_uri_set_host(u, "not:an:address:x") == -1);
	evhttp_uri_free(u);
	u = evhttp_uri_parse("http://[::1]:8080/p");
	CHECK(u && strcmp(evhttp_uri_get_host(u), "[::1]") == 0);
	evhttp_uri_free(u);

	CHECK(evhttp_parse_query_str_flags("a=1&b&&c=x+y&a=4", &q, 0) == -1);
	CHECK(TAILQ_EMPTY(&q));
	CHECK(evhttp_parse_query_str_flags("a=1&b&&c=x+y&a=4&", &q, EVHTTP_URI_QUERY_NONCONFORMANT) == 0);
	n = 0;
	buf[0] = 0;
	TAILQ_FOREACH(kv, &q, next) {
		n++;
		strcat(buf, kv->key); strcat(buf, "="); strcat(buf, kv->value); strcat(buf, ";");
	}
	CHECK(strcmp(buf, "a=1;b=;c=x y;a=4;") == 0);
	evhttp_clear_headers(&q);
	CHECK(evhttp_parse_query_str_flags("a=1&b&c=3&a=4", &q, EVHTTP_URI_QUERY_NONCONFORMANT | EVHTTP_URI_QUERY_LAST_VAL) == 0);
	buf[0] = 0;
	TAILQ_FOREACH(kv, &q, next) {
		strcat(buf, kv->key); strcat(buf, "="); strcat(buf, kv->value); strcat(buf, ";");
	}
	CHECK(strcmp(buf, "b=;c=3;a=4;") == 0);
	evhttp_clear_headers(&q);
	CHECK(evhttp_parse_query_str_flags("a=1&b", &q, EVHTTP_URI_QUERY_LAST_VAL) == -1);
	CHECK(evhttp_parse_query_str_flags("a=1&a=2", &q, EVHTTP_URI_QUERY_LAST_VAL) == 0);
	CHECK(strcmp(evhttp_find_header(&q, "a"), "2") == 0);
	evhttp_clear_headers(&q);
	CHECK(evhttp_parse_query_str_flags("x=%41", &q, 0) == 0);
	CHECK(strcmp(evhttp_find_header(&q, "x"), "A") == 0);
	evhttp_clear_headers(&q);
}

static void check_constants(void)
{
	CHECK_EQ(HTTP_CONTINUE, 100); CHECK_EQ(HTTP_SWITCH_PROTOCOLS, 101); CHECK_EQ(HTTP_PROCESSING, 102);
	CHECK_EQ(HTTP_EARLYHINTS, 103); CHECK_EQ(HTTP_CREATED, 201); CHECK_EQ(HTTP_ACCEPTED, 202);
	CHECK_EQ(HTTP_NONAUTHORITATIVE, 203); CHECK_EQ(HTTP_UNAUTHORIZED, 401); CHECK_EQ(HTTP_PAYMENTREQUIRED, 402);
	CHECK_EQ(HTTP_FORBIDDEN, 403); CHECK_EQ(HTTP_BADGATEWAY, 502);
	/* 2.1's values unchanged, 2.2's after them, all within evhttp_set_allowed_methods' 16 bits */
	CHECK_EQ(EVHTTP_REQ_GET, 1); CHECK_EQ(EVHTTP_REQ_PATCH, 256);
	CHECK_EQ(EVHTTP_REQ_PROPFIND, 1 << 9); CHECK_EQ(EVHTTP_REQ_PROPPATCH, 1 << 10); CHECK_EQ(EVHTTP_REQ_MKCOL, 1 << 11);
	CHECK_EQ(EVHTTP_REQ_LOCK, 1 << 12); CHECK_EQ(EVHTTP_REQ_UNLOCK, 1 << 13); CHECK_EQ(EVHTTP_REQ_COPY, 1 << 14);
	CHECK_EQ(EVHTTP_REQ_MOVE, 1 << 15); CHECK_EQ(EVHTTP_REQ_MAX, EVHTTP_REQ_MOVE);
	CHECK_EQ(EVHTTP_METHOD_HAS_BODY, 1);
	CHECK_EQ(EVHTTP_URI_QUERY_NONCONFORMANT, 1); CHECK_EQ(EVHTTP_URI_QUERY_LAST_VAL, 2);
	CHECK_EQ(EVHTTP_URI_HOST_STRIP_BRACKETS, 4); CHECK_EQ(EVHTTP_URI_UNIX_SOCKET, 8);
	CHECK_EQ(sizeof(struct evhttp_ext_method), 16);
}

int main(void)
{
	struct evhttp_bound_socket *bound;
	struct evconnlistener *ul;
	struct sockaddr_un sun;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct evhttp_connection *evcon;
	struct timeval short_tv = { 0, 50000 }, long_tv = { 10, 0 };
	char *peer;
	ev_uint16_t peer_port;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	check_constants();
	check_uris();

	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_gencb(http, gencb, NULL);
	evhttp_set_ext_method_cmp(http, ext_cmp);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_PROPFIND);
	bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	CHECK(bound);
	CHECK(getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sin, &len) == 0);
	port = ntohs(sin.sin_port);
	snprintf(unix_path, sizeof(unix_path), "/tmp/event_rs-http22c-%d.sock", (int)getpid());
	unlink(unix_path);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, unix_path);
	ul = evconnlistener_new_bind(base, NULL, NULL, LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&sun, sizeof(sun));
	CHECK(ul && evhttp_bind_listener(http, ul));

	/* Over a Unix-domain socket, twice on one connection. */
	evcon = evhttp_connection_base_bufferevent_unix_new(base, NULL, unix_path);
	CHECK(evcon);
	request(evcon, EVHTTP_REQ_GET, "/u");
	CHECK_EQ(code, 200);
	CHECK(strcmp(body, "cmd=1") == 0);
	request(evcon, EVHTTP_REQ_PROPFIND, "/u");
	CHECK_EQ(code, 200);
	CHECK(strcmp(body, "cmd=512") == 0);
	evhttp_connection_free(evcon);
	CHECK(evhttp_connection_base_bufferevent_unix_new(base, NULL, NULL) == NULL);

	/* Over a socket the program connected. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	evutil_make_socket_nonblocking(fd);
	evcon = evhttp_connection_base_bufferevent_reuse_new(base, NULL, bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE));
	CHECK(evcon);
	evhttp_connection_get_peer(evcon, &peer, &peer_port);
	CHECK(strcmp(peer, "127.0.0.1") == 0);
	CHECK_EQ(peer_port, port);
	request(evcon, EVHTTP_REQ_GET, "/r1");
	CHECK_EQ(code, 200);
	request(evcon, EVHTTP_REQ_GET, "/r2");
	CHECK_EQ(code, 200);

	/* An extension method named by the connection's callback. */
	evhttp_connection_set_ext_method_cmp(evcon, ext_cmp);
	request(evcon, (enum evhttp_cmd_type)EXT_PURGE, "/p");
	CHECK_EQ(code, 200);
	CHECK(strcmp(body, "cmd=65536") == 0);
	/* Not allowed on the server. */
	request(evcon, EVHTTP_REQ_MKCOL, "/m");
	CHECK_EQ(code, 501);
	evhttp_connection_free(evcon);

	/* Timeouts: connect and write ones that do not fire, a read one that does. */
	evcon = evhttp_connection_base_new(base, NULL, "127.0.0.1", (ev_uint16_t)port);
	evhttp_connection_set_connect_timeout_tv(evcon, &long_tv);
	evhttp_connection_set_write_timeout_tv(evcon, &long_tv);
	evhttp_connection_set_read_timeout_tv(evcon, &long_tv);
	request(evcon, EVHTTP_REQ_GET, "/t");
	CHECK_EQ(code, 200);
	evhttp_connection_set_read_timeout_tv(evcon, &short_tv);
	errors = 0;
	request(evcon, EVHTTP_REQ_GET, "/never");
	CHECK_EQ(code, 0);
	CHECK_EQ(errors, 1);
	CHECK_EQ(last_error, EVREQ_HTTP_TIMEOUT);
	evhttp_connection_set_read_timeout_tv(evcon, NULL); /* back to the default */
	request(evcon, EVHTTP_REQ_GET, "/t");
	CHECK_EQ(code, 200);
	evhttp_connection_free(evcon);

	evhttp_free(http);
	unlink(unix_path);
	event_base_free(base);
	printf("ok\n");
	return 0;
}
