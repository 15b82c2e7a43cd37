/* evutil sockets: socketpair, non-blocking and close-on-exec flags, listener options, close,
 * and the errors (with libevent's log messages) on bad descriptors.
 * compare-output: the printed lines must equal the system's libevent's. */
#include <event2/util.h>
#include <event2/event.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "check.h"

static void log_cb(int severity, const char *msg)
{
	printf("log %d: %s\n", severity, msg);
}

static int opt(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof v;
	CHECK_EQ(getsockopt(fd, level, name, &v, &len), 0);
	return v;
}

int main(void)
{
	evutil_socket_t sv[2];
	char c = 0;
	int fd, r;

	event_set_log_callback(log_cb);

	CHECK_EQ(evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK(sv[0] >= 0 && sv[1] >= 0 && sv[0] != sv[1]);
	CHECK_EQ(write(sv[0], "x", 1), 1);
	CHECK_EQ(read(sv[1], &c, 1), 1);
	CHECK_EQ(c, 'x');

	CHECK_EQ(fcntl(sv[1], F_GETFL) & O_NONBLOCK, 0);
	CHECK_EQ(evutil_make_socket_nonblocking(sv[1]), 0);
	CHECK(fcntl(sv[1], F_GETFL) & O_NONBLOCK);
	CHECK_EQ(evutil_make_socket_nonblocking(sv[1]), 0); /* already: still fine */
	CHECK_EQ(read(sv[1], &c, 1), -1);
	CHECK(EVUTIL_SOCKET_ERROR() == EAGAIN || EVUTIL_SOCKET_ERROR() == EWOULDBLOCK);
	printf("would block: %s\n", evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	EVUTIL_SET_SOCKET_ERROR(ECONNRESET);
	CHECK_EQ(errno, ECONNRESET);
	CHECK_EQ(evutil_socket_geterror(sv[1]), ECONNRESET);

	CHECK_EQ(fcntl(sv[0], F_GETFD) & FD_CLOEXEC, 0);
	CHECK_EQ(evutil_make_socket_closeonexec(sv[0]), 0);
	CHECK(fcntl(sv[0], F_GETFD) & FD_CLOEXEC);
	CHECK_EQ(evutil_make_socket_closeonexec(sv[0]), 0);

	/* TCP_DEFER_ACCEPT means nothing to a UNIX socket. */
	errno = 0;
	r = evutil_make_tcp_listen_socket_deferred(sv[0]);
	printf("deferred on unix socket: %d %s\n", r, r ? strerror(errno) : "");

	CHECK_EQ(evutil_closesocket(sv[0]), 0);
	CHECK_EQ(EVUTIL_CLOSESOCKET(sv[1]), 0);
	CHECK_EQ(fcntl(sv[0], F_GETFD), -1);

	/* socketpair with impossible arguments. */
	errno = 0;
	sv[0] = sv[1] = -7;
	r = evutil_socketpair(AF_INET, SOCK_STREAM, 0, sv);
	printf("socketpair AF_INET: %d %s (%d %d)\n", r, strerror(errno), sv[0], sv[1]);
	errno = 0;
	r = evutil_socketpair(AF_UNIX, 12345, 0, sv);
	printf("socketpair bad type: %d %s\n", r, strerror(errno));

	/* Listener options on a TCP socket. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(fd >= 0);
	CHECK_EQ(opt(fd, SOL_SOCKET, SO_REUSEADDR), 0);
	CHECK_EQ(evutil_make_listen_socket_reuseable(fd), 0);
	CHECK_EQ(opt(fd, SOL_SOCKET, SO_REUSEADDR), 1);
	CHECK_EQ(evutil_make_listen_socket_reuseable_port(fd), 0);
	CHECK_EQ(opt(fd, SOL_SOCKET, SO_REUSEPORT), 1);
	CHECK_EQ(evutil_make_tcp_listen_socket_deferred(fd), 0);
	CHECK(opt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT) > 0);
	errno = 0;
	r = evutil_make_listen_socket_ipv6only(fd);
	printf("ipv6only on IPv4 socket: %d %s\n", r, r ? strerror(errno) : "");
	CHECK_EQ(evutil_closesocket(fd), 0);

	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd >= 0) {
		CHECK_EQ(evutil_make_listen_socket_ipv6only(fd), 0);
		CHECK_EQ(opt(fd, IPPROTO_IPV6, IPV6_V6ONLY), 1);
		CHECK_EQ(evutil_closesocket(fd), 0);
	}

	/* Bad descriptors: -1 with errno EBADF; the fcntl ones are logged as libevent logs them. */
	{
		int bad[] = {-1, 1000000};
		unsigned k;
		for (k = 0; k < 2; k++) {
			int b = bad[k];
			errno = 0; r = evutil_make_socket_nonblocking(b); printf("nonblocking(%d): %d errno %d\n", b, r, errno);
			errno = 0; r = evutil_make_socket_closeonexec(b); printf("closeonexec(%d): %d errno %d\n", b, r, errno);
			errno = 0; r = evutil_make_listen_socket_reuseable(b); printf("reuseable(%d): %d errno %d\n", b, r, errno);
			errno = 0; r = evutil_make_listen_socket_reuseable_port(b); printf("reuseable_port(%d): %d errno %d\n", b, r, errno);
			errno = 0; r = evutil_make_listen_socket_ipv6only(b); printf("ipv6only(%d): %d errno %d\n", b, r, errno);
			errno = 0; r = evutil_make_tcp_listen_socket_deferred(b); printf("deferred(%d): %d errno %d\n", b, r, errno);
			errno = 0; r = evutil_closesocket(b); printf("closesocket(%d): %d errno %d\n", b, r, errno);
		}
	}
	/* Not a socket: the fcntl helpers work on any descriptor, the socket options do not. */
	{
		int p[2];
		CHECK_EQ(pipe(p), 0);
		CHECK_EQ(evutil_make_socket_nonblocking(p[0]), 0);
		CHECK_EQ(evutil_make_socket_closeonexec(p[0]), 0);
		errno = 0;
		r = evutil_make_listen_socket_reuseable(p[0]);
		printf("reuseable on a pipe: %d %s\n", r, strerror(errno));
		close(p[0]);
		close(p[1]);
	}
	return 0;
}
