/* UDP request/response on one event base over loopback, as a DNS server and its load tool:
 *   bench_udp readd  [round trips=200000] [in flight=16]  the server's read event is not
 *                    persistent and is event_add()ed again after each packet
 *   bench_udp once   [round trips=200000] [in flight=16]  the same, with the loop run by
 *                    event_base_loop(EVLOOP_ONCE) calls in a loop, as nsd's server does
 *   bench_udp deladd [round trips=200000] [in flight=16]  a persistent read event,
 *                    event_del()ed and event_add()ed around each packet
 * The client keeps that many queries in flight and sends a new one for each reply. Prints
 * round trips per second; higher is better. */
#include "bench.h"
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <event2/event.h>

static struct event_base *base;
static struct event *server_ev;
static int server_fd, client_fd, deladd, once;
static struct sockaddr_in server_addr;
static long long target, sent, received;
static const struct timeval server_timeout = {30, 0};

static void server_cb(evutil_socket_t fd, short what, void *arg)
{
	char buf[512];
	struct sockaddr_in from;
	socklen_t len = sizeof from;
	ssize_t n;
	(void)what; (void)arg;
	if (deladd)
		event_del(server_ev);
	n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
	if (n > 0) {
		buf[2] |= 0x80; /* the "response" bit, as DNS sets QR */
		sendto(fd, buf, n, 0, (struct sockaddr *)&from, len);
	}
	event_add(server_ev, &server_timeout);
}

static void send_query(void)
{
	char q[40];
	memset(q, 'q', sizeof q);
	memcpy(q, &sent, 2);
	q[2] = 0;
	if (sendto(client_fd, q, sizeof q, 0, (struct sockaddr *)&server_addr, sizeof server_addr) != sizeof q)
		die("sendto");
	sent++;
}

static void client_cb(evutil_socket_t fd, short what, void *arg)
{
	char buf[512];
	(void)what; (void)arg;
	while (recv(fd, buf, sizeof buf, 0) > 0) {
		if (++received >= target) {
			event_base_loopbreak(base);
			return;
		}
		if (sent < target)
			send_query();
	}
}

static int udp_socket(void)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0)
		die("udp socket");
	evutil_make_socket_nonblocking(fd);
	return fd;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long inflight = arg_or(argc, argv, 3, 16), i;
	socklen_t len = sizeof server_addr;
	double t0;
	target = arg_or(argc, argv, 2, 200000);
	if (!strcmp(mode, "deladd"))
		deladd = 1;
	else if (!strcmp(mode, "once"))
		once = 1;
	else if (strcmp(mode, "readd"))
		die("usage: bench_udp readd|once|deladd [round trips] [in flight]");
	base = event_base_new();
	server_fd = udp_socket();
	client_fd = udp_socket();
	getsockname(server_fd, (struct sockaddr *)&server_addr, &len);
	server_ev = event_new(base, server_fd, deladd ? EV_READ | EV_PERSIST : EV_READ, server_cb, NULL);
	event_add(server_ev, &server_timeout);
	event_add(event_new(base, client_fd, EV_READ | EV_PERSIST, client_cb, NULL), NULL);
	t0 = now_s();
	for (i = 0; i < inflight; i++)
		send_query();
	if (once)
		while (received < target)
			event_base_loop(base, EVLOOP_ONCE);
	else
		event_base_dispatch(base);
	printf("%.0f\n", received / (now_s() - t0));
	return 0;
}
