/* A bufferevent echo server and its clients in one process on one event base, over loopback
 * TCP, so everything measured is the library under test:
 *   bench_echo rtt  [conns=100] [round trips=50000]  round trips per second: each client
 *                   sends 64 bytes and waits for the echo before sending again
 *   bench_echo bytes [conns=100] [MB=128]             MB per second echoed: each client keeps
 *                   16 KB in flight and sends back whatever it receives
 *   bench_echo mem  [conns=2000]                      bytes of RSS per idle server connection:
 *                   plain-socket clients, one byte echoed on each, then idle */
#include "bench.h"
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#define MSG 64
#define WINDOW (16 * 1024)

static struct event_base *base;
static struct sockaddr_in addr;
static int mode_rtt, nconns, connected, accepted;
static long long target, done, echoed;
static struct bufferevent **servers;
static char payload[WINDOW];

static void server_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	(void)arg;
	echoed += evbuffer_get_length(in);
	evbuffer_add_buffer(bufferevent_get_output(bev), in);
}

static void server_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev; (void)arg;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		die("server connection lost");
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int len, void *arg)
{
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	(void)l; (void)sa; (void)len; (void)arg;
	if (!bev)
		die("bufferevent_socket_new");
	bufferevent_setcb(bev, server_read, NULL, server_event, NULL);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	servers[accepted++] = bev;
}

static void client_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	(void)arg;
	if (mode_rtt) {
		while (evbuffer_get_length(in) >= MSG) {
			evbuffer_drain(in, MSG);
			if (++done >= target)
				event_base_loopbreak(base);
			else
				bufferevent_write(bev, payload, MSG);
		}
	} else {
		done += evbuffer_get_length(in);
		if (done >= target)
			event_base_loopbreak(base);
		else
			evbuffer_add_buffer(bufferevent_get_output(bev), in);
	}
}

static void client_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev; (void)arg;
	if (what & BEV_EVENT_CONNECTED)
		connected++;
	else
		die("client connection failed");
}

static struct evconnlistener *listen_any(void)
{
	struct evconnlistener *l;
	socklen_t len = sizeof addr;
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE,
	    -1, (struct sockaddr *)&addr, sizeof addr);
	if (!l || getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&addr, &len) != 0)
		die("listen");
	return l;
}

static long rss_bytes(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f || fscanf(f, "%ld %ld", &pages, &rss) != 2)
		die("/proc/self/statm");
	fclose(f);
	return rss * sysconf(_SC_PAGESIZE);
}

/* Bytes the server has echoed but not yet written. */
static size_t unsent(void)
{
	size_t n = 0;
	int i;
	for (i = 0; i < accepted; i++)
		n += evbuffer_get_length(bufferevent_get_output(servers[i]));
	return n;
}

/* Idle memory: clients are plain sockets (they cost no user memory), so the RSS growth is the
 * server side alone: its bufferevents, buffers, events and the backend's bookkeeping. */
static void bench_mem(void)
{
	int *fds = calloc(nconns, sizeof *fds), i;
	char ch;
	long before;
	event_base_loop(base, EVLOOP_NONBLOCK);
	before = rss_bytes();
	for (i = 0; i < nconns; i++) {
		if ((fds[i] = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
		    connect(fds[i], (struct sockaddr *)&addr, sizeof addr) != 0 ||
		    send(fds[i], "x", 1, 0) != 1)
			die("connect");
		if (i % 32 == 31) /* accept as we go: the listen backlog is small */
			event_base_loop(base, EVLOOP_NONBLOCK);
	}
	while (accepted < nconns || echoed < nconns || unsent() > 0)
		event_base_loop(base, EVLOOP_ONCE);
	for (i = 0; i < nconns; i++)
		if (recv(fds[i], &ch, 1, 0) != 1)
			die("recv");
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("%ld\n", (rss_bytes() - before) / nconns);
	for (i = 0; i < nconns; i++)
		close(fds[i]);
}

static void bench_traffic(void)
{
	struct bufferevent **clients = calloc(nconns, sizeof *clients);
	double t0;
	int i;
	for (i = 0; i < nconns; i++) {
		clients[i] = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
		bufferevent_setcb(clients[i], client_read, NULL, client_event, NULL);
		bufferevent_enable(clients[i], EV_READ | EV_WRITE);
		if (bufferevent_socket_connect(clients[i], (struct sockaddr *)&addr, sizeof addr))
			die("bufferevent_socket_connect");
	}
	while (connected < nconns || accepted < nconns)
		event_base_loop(base, EVLOOP_ONCE);

	t0 = now_s();
	for (i = 0; i < nconns; i++)
		bufferevent_write(clients[i], payload, mode_rtt ? MSG : WINDOW);
	event_base_dispatch(base);
	t0 = now_s() - t0;
	if (done < target)
		die("stopped early");
	printf("%.0f\n", mode_rtt ? done / t0 : done / t0 / (1024 * 1024));
	for (i = 0; i < nconns; i++)
		bufferevent_free(clients[i]);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	struct evconnlistener *l;
	int i;

	if (!strcmp(mode, "rtt")) {
		mode_rtt = 1;
		nconns = arg_or(argc, argv, 2, 100);
		target = arg_or(argc, argv, 3, 50000);
	} else if (!strcmp(mode, "bytes")) {
		nconns = arg_or(argc, argv, 2, 100);
		target = arg_or(argc, argv, 3, 128) * 1024 * 1024;
	} else if (!strcmp(mode, "mem")) {
		nconns = arg_or(argc, argv, 2, 2000);
	} else {
		die("usage: bench_echo rtt|bytes|mem [connections] [amount]");
	}
	raise_nofile(2 * (rlim_t)nconns + 50);
	servers = calloc(nconns, sizeof *servers);
	if (!(base = event_base_new()))
		die("event_base_new");
	l = listen_any();
	if (!strcmp(mode, "mem"))
		bench_mem();
	else
		bench_traffic();

	for (i = 0; i < accepted; i++)
		bufferevent_free(servers[i]);
	evconnlistener_free(l);
	event_base_free(base);
	return 0;
}
