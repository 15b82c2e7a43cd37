/* WebSocket echo, for run.sh's "ws" rows (event2/ws.h, so built against event_rs only: it is
 * not a bench_*.c, which run.sh also builds against the system's libevent 2.1, which has no
 * WebSocket). Both ends are event_rs: the client is the same program for both servers.
 *   ws_echo server
 *       an evhttp server on 127.0.0.1, any free port (printed on the first line), that makes
 *       every request a WebSocket session echoing each message back with its type
 *   ws_echo client PORT CONNS MSGS SIZE WINDOW msgs|mb
 *       opens CONNS sessions to ws://127.0.0.1:PORT/ (evws_connect); once all are open, each
 *       sends MSGS binary messages of SIZE bytes, at most WINDOW of them unanswered at a time,
 *       and checks every echo; prints echoed messages per second ("msgs") or megabytes (10^6)
 *       echoed per second ("mb"), by the wall clock: the server is another process, so the
 *       client's CPU time would not measure it */
#include "bench.h"
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/ws.h>

static struct event_base *base;

static void echo(struct evws_connection *evws, int type, const unsigned char *data, size_t len, void *arg)
{
	(void)arg;
	evws_send_message(evws, type, data, len);
}

static void upgrade(struct evhttp_request *req, void *arg)
{
	(void)arg;
	evws_new_session(req, echo, NULL, 0); /* NULL: not an upgrade, answered 400 */
}

static int server(void)
{
	struct evhttp *http = evhttp_new(base);
	struct evhttp_bound_socket *sock;
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	if (!http)
		die("evhttp_new");
	evhttp_set_gencb(http, upgrade, NULL);
	sock = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	if (!sock || getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&sin, &slen) != 0)
		die("bind");
	printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	event_base_dispatch(base); /* until killed */
	return 0;
}

struct conn {
	struct evws_connection *evws;
	long sent, echoed;
	int closed;
};

static struct conn *conns;
static int nconns, opened, finished, closed;
static long msgs, window;
static size_t size;
static unsigned char *payload;
static double t0, t1;

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void send_one(struct conn *c)
{
	evws_send_message(c->evws, WS_BINARY_FRAME, payload, size);
	c->sent++;
}

static void on_open(struct evws_connection *evws, void *arg)
{
	int i;
	long j;
	(void)evws; (void)arg;
	if (++opened < nconns)
		return;
	t0 = wall(); /* all open: the measured part starts */
	for (i = 0; i < nconns; i++)
		for (j = 0; j < window && j < msgs; j++)
			send_one(&conns[i]);
}

static void on_msg(struct evws_connection *evws, int type, const unsigned char *data, size_t len, void *arg)
{
	struct conn *c = arg;
	(void)evws;
	if (type != WS_BINARY_FRAME || len != size || memcmp(data, payload, size) != 0)
		die("wrong echo");
	if (++c->echoed > msgs)
		die("more echoes than messages");
	if (c->sent < msgs)
		send_one(c);
	else if (c->echoed == msgs && ++finished == nconns) {
		t1 = wall();
		for (int i = 0; i < nconns; i++)
			evws_close(conns[i].evws, WS_CR_NORMAL); /* a clean end for the server too */
	}
}

static void on_close(struct evws_connection *evws, void *arg)
{
	struct conn *c = arg;
	(void)evws;
	if (c->echoed < msgs) {
		fprintf(stderr, "bench: session closed early (code %d)\n", evws_connection_get_close_code(evws));
		exit(1);
	}
	c->closed = 1;
	if (++closed == nconns)
		event_base_loopbreak(base);
}

static int client(int argc, char **argv)
{
	char uri[64];
	int i;
	if (argc != 8 || (strcmp(argv[7], "msgs") && strcmp(argv[7], "mb")))
		die("usage: ws_echo client PORT CONNS MSGS SIZE WINDOW msgs|mb");
	snprintf(uri, sizeof uri, "ws://127.0.0.1:%d/", atoi(argv[2]));
	nconns = atoi(argv[3]);
	msgs = atol(argv[4]);
	size = (size_t)atol(argv[5]);
	window = atol(argv[6]);
	if (nconns < 1 || msgs < 1 || window < 1)
		die("CONNS, MSGS and WINDOW must be positive");
	raise_nofile(nconns + 64);
	payload = malloc(size + 1);
	conns = calloc(nconns, sizeof *conns);
	if (!payload || !conns)
		die("out of memory");
	for (size_t k = 0; k < size; k++)
		payload[k] = (unsigned char)rng();
	for (i = 0; i < nconns; i++) {
		conns[i].evws = evws_connect(base, NULL, uri, 0, on_msg, &conns[i]);
		if (!conns[i].evws)
			die("evws_connect");
		evws_connection_set_opencb(conns[i].evws, on_open, &conns[i]);
		evws_connection_set_closecb(conns[i].evws, on_close, &conns[i]);
	}
	event_base_dispatch(base);
	if (finished != nconns)
		die("not every session finished");
	if (!strcmp(argv[7], "msgs"))
		printf("%.0f\n", nconns * (double)msgs / (t1 - t0));
	else
		printf("%.1f\n", nconns * (double)msgs * size / 1e6 / (t1 - t0));
	event_base_free(base);
	free(conns);
	free(payload);
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	if (!base)
		die("event_base_new");
	if (argc >= 2 && !strcmp(argv[1], "server"))
		return server();
	if (argc >= 2 && !strcmp(argv[1], "client"))
		return client(argc, argv);
	die("usage: ws_echo server | ws_echo client PORT CONNS MSGS SIZE WINDOW msgs|mb");
	return 2;
}
