/* evconnlistener: a thousand connections accepted, options on the listening and the accepted
 * sockets, enable/disable, a NULL callback, freeing from the callback, backlogs, bad input. */
#include <event2/event.h>
#include <event2/listener.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include "check.h"

static int accepted, last_fd = -1, last_socklen, last_family;
static struct evconnlistener *seen_lev;
static void *seen_arg;

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	accepted++;
	seen_lev = lev;
	seen_arg = arg;
	last_socklen = socklen;
	last_family = sa->sa_family;
	if (last_fd >= 0)
		close(last_fd);
	last_fd = fd;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(0x7f000001);
	return sin;
}

static int port_of(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	CHECK(getsockname(fd, (struct sockaddr *)&sin, &len) == 0);
	return ntohs(sin.sin_port);
}

static int connect_to(int port)
{
	struct sockaddr_in sin = loopback(port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(fd >= 0);
	CHECK(connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	return fd;
}

static void run_until(struct event_base *base, int *counter, int want)
{
	int spins = 0;
	while (*counter < want) {
		CHECK(event_base_loop(base, EVLOOP_ONCE) >= 0);
		CHECK(++spins < 100000);
	}
}

static void free_in_cb(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)sa; (void)socklen;
	close(fd);
	evconnlistener_free(lev);
	*(int *)arg += 1;
}

static void disable_in_cb(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)sa; (void)socklen;
	close(fd);
	evconnlistener_disable(lev);
	*(int *)arg += 1;
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in any = loopback(0);
	int marker = 0;

	/* A thousand connections, in batches that queue up before the loop runs. */
	struct evconnlistener *lev = evconnlistener_new_bind(base, on_accept, &marker,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1, (struct sockaddr *)&any, sizeof(any));
	CHECK(lev != NULL);
	CHECK(evconnlistener_get_base(lev) == base);
	int lfd = evconnlistener_get_fd(lev);
	CHECK(lfd >= 0);
	int port = port_of(lfd);
	int one = 0; socklen_t olen = sizeof(one);
	CHECK(getsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, &olen) == 0 && one);
	CHECK(getsockopt(lfd, SOL_SOCKET, SO_KEEPALIVE, &one, &olen) == 0 && one);
	CHECK(fcntl(lfd, F_GETFL) & O_NONBLOCK);
	for (int batch = 0; batch < 10; batch++) {
		int clients[100];
		for (int i = 0; i < 100; i++)
			clients[i] = connect_to(port);
		run_until(base, &accepted, (batch + 1) * 100);
		for (int i = 0; i < 100; i++)
			close(clients[i]);
	}
	CHECK_EQ(accepted, 1000);
	CHECK(seen_lev == lev && seen_arg == &marker);
	CHECK_EQ(last_family, AF_INET);
	CHECK_EQ(last_socklen, sizeof(struct sockaddr_in));
	/* Accepted sockets are non-blocking unless asked otherwise, and not close-on-exec. */
	CHECK(fcntl(last_fd, F_GETFL) & O_NONBLOCK);
	CHECK(!(fcntl(last_fd, F_GETFD) & FD_CLOEXEC));

	/* Disabled: connections wait in the backlog; enabled again, they are taken. */
	CHECK_EQ(evconnlistener_disable(lev), 0);
	int c = connect_to(port);
	CHECK_EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	CHECK_EQ(accepted, 1000);
	CHECK_EQ(evconnlistener_enable(lev), 0);
	run_until(base, &accepted, 1001);
	close(c);

	/* Setting a NULL callback on a running listener: connections are accepted and dropped. */
	evconnlistener_set_cb(lev, NULL, NULL);
	c = connect_to(port);
	CHECK_EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	CHECK_EQ(accepted, 1001);
	char byte;
	CHECK_EQ(read(c, &byte, 1), 0);
	close(c);
	evconnlistener_set_cb(lev, on_accept, NULL);

	/* CLOSE_ON_FREE closes the listening socket. */
	evconnlistener_free(lev);
	CHECK(fcntl(lfd, F_GETFD) == -1 && errno == EBADF);
	close(last_fd);
	last_fd = -1;

	/* evconnlistener_new on a socket that already listens (backlog 0), without CLOSE_ON_FREE,
	 * with blocking and close-on-exec accepted sockets, starting disabled. */
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK(bind(s, (struct sockaddr *)&any, sizeof(any)) == 0);
	CHECK(listen(s, 16) == 0);
	port = port_of(s);
	lev = evconnlistener_new(base, on_accept, NULL, LEV_OPT_DISABLED | LEV_OPT_LEAVE_SOCKETS_BLOCKING | LEV_OPT_CLOSE_ON_EXEC, 0, s);
	CHECK(lev != NULL);
	CHECK_EQ(evconnlistener_get_fd(lev), s);
	c = connect_to(port);
	CHECK_EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	CHECK_EQ(accepted, 1001);
	evconnlistener_enable(lev);
	run_until(base, &accepted, 1002);
	CHECK(!(fcntl(last_fd, F_GETFL) & O_NONBLOCK));
	CHECK(fcntl(last_fd, F_GETFD) & FD_CLOEXEC);
	close(c);
	evconnlistener_free(lev);
	CHECK(fcntl(s, F_GETFD) != -1);

	/* Made without a callback: treated as disabled until one is set. */
	lev = evconnlistener_new(base, NULL, NULL, 0, 0, s);
	c = connect_to(port);
	CHECK_EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	CHECK_EQ(accepted, 1002);
	evconnlistener_set_cb(lev, on_accept, &marker);
	run_until(base, &accepted, 1003);
	CHECK(seen_arg == &marker);
	close(c);
	evconnlistener_free(lev);

	/* Freed from its own callback; disabled from its own callback (the rest stay queued). */
	int calls = 0;
	lev = evconnlistener_new(base, free_in_cb, &calls, 0, 0, s);
	int c1 = connect_to(port), c2 = connect_to(port), c3 = connect_to(port);
	usleep(10000);
	CHECK_EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	CHECK_EQ(calls, 1);
	CHECK_EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	CHECK_EQ(calls, 1);
	calls = 0;
	lev = evconnlistener_new(base, disable_in_cb, &calls, LEV_OPT_CLOSE_ON_FREE, 0, s);
	CHECK_EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	CHECK_EQ(calls, 1);
	CHECK_EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	CHECK_EQ(calls, 1);
	evconnlistener_enable(lev);
	CHECK_EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	CHECK_EQ(calls, 2);
	evconnlistener_free(lev);
	close(c1);
	close(c2);
	close(c3);
	close(last_fd);

	/* Options of new_bind. */
	struct sockaddr_in6 six;
	memset(&six, 0, sizeof(six));
	six.sin6_family = AF_INET6;
	six.sin6_addr = in6addr_loopback;
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_BIND_IPV6ONLY |
	    LEV_OPT_REUSEABLE_PORT | LEV_OPT_DEFERRED_ACCEPT | LEV_OPT_CLOSE_ON_EXEC, 5, (struct sockaddr *)&six, sizeof(six));
	if (lev) { /* no IPv6 on some machines */
		lfd = evconnlistener_get_fd(lev);
		CHECK(getsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &one, &olen) == 0 && one);
		CHECK(getsockopt(lfd, SOL_SOCKET, SO_REUSEPORT, &one, &olen) == 0 && one);
		CHECK(getsockopt(lfd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &one, &olen) == 0 && one > 0);
		CHECK(fcntl(lfd, F_GETFD) & FD_CLOEXEC);
		evconnlistener_free(lev);
	}

	/* Bad input: backlog 0 for a new socket, no address, an address in use. */
	CHECK(evconnlistener_new_bind(base, on_accept, NULL, 0, 0, (struct sockaddr *)&any, sizeof(any)) == NULL);
	CHECK(evconnlistener_new_bind(base, on_accept, NULL, 0, -1, NULL, 0) == NULL);
	struct sockaddr_in taken = loopback(port);
	CHECK(evconnlistener_new_bind(base, on_accept, NULL, 0, -1, (struct sockaddr *)&taken, sizeof(taken)) == NULL);
	CHECK_EQ(errno, EADDRINUSE);
	/* listen() failing on something that is not a socket. */
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK(evconnlistener_new(base, on_accept, NULL, 0, 10, p[0]) == NULL);
	close(p[0]);
	close(p[1]);
	close(s);

	event_base_free(base);
	printf("listener_accept: ok\n");
	return 0;
}
