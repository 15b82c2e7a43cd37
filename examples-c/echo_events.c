/* An echo server on raw events: one persistent read event per connection, no bufferevents.
 *   echo_events PORT
 * Each client gets back what it sends. The server keeps a count of bytes per connection and
 * prints it when the client goes away. */
#include <event2/event.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct conn {
	struct event *ev;
	size_t bytes;
};

static void on_client(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));
	(void)what;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		printf("connection %d closed after %zu bytes\n", (int)fd, c->bytes);
		fflush(stdout);
		event_free(c->ev);
		close(fd);
		free(c);
		return;
	}
	c->bytes += (size_t)n;
	/* Loopback clients read what they send: a short blocking-style loop is enough here. */
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(fd, buf + off, (size_t)(n - off));
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			break;
		if (w > 0)
			off += w;
	}
}

static void on_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct event_base *base = arg;
	(void)what;
	int fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		return;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	struct conn *c = calloc(1, sizeof(*c));
	c->ev = event_new(base, fd, EV_READ | EV_PERSIST, on_client, c);
	event_add(c->ev, NULL);
	printf("connection %d accepted\n", fd);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 9901;
	struct event_base *base = event_base_new();
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(lfd, 64) < 0) {
		perror("echo_events: bind/listen");
		return 1;
	}
	struct event *accept_ev = event_new(base, lfd, EV_READ | EV_PERSIST, on_accept, base);
	event_add(accept_ev, NULL);
	printf("echo_events listening on %d\n", port);
	fflush(stdout);
	event_base_dispatch(base);
	event_free(accept_ev);
	close(lfd);
	event_base_free(base);
	return 0;
}
