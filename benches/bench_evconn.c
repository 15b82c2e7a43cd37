/* libev's API (built against the system's libev and against event_rs's ev.h): a TCP server
 * and its clients on one loop over loopback, a new connection for every request, as
 * shadowsocks-libev opens a tunnel per request:
 *   bench_evconn conns [connections=20000] [concurrent=8]  connections per second: the
 *        client connects (non-blocking, an ev_io for the connect), sends a request and waits
 *        for the reply; the server accepts (an ev_io on the listener), starts an ev_io and an
 *        ev_timer (the idle timeout) for the connection, replies and closes; the client
 *        closes and opens the next connection
 *   bench_evconn mem  KB of RSS of a process with the default loop, a listener's ev_io, an
 *        ev_timer and an ev_signal started, after one loop pass
 * Prints one number. needs: -lev (run.sh builds it against the system's libev and ours). */
#include "bench.h"
#include <stddef.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <ev.h>

struct conn {
	ev_io io;
	ev_timer timer;
};

static struct ev_loop *loop;
static struct sockaddr_in addr;
static long target, started, finished;
static const char req[] = "GET / HTTP/1.0\r\n\r\n";
static const char reply[] = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok";

static void nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void conn_free(struct conn *c)
{
	ev_io_stop(loop, &c->io);
	ev_timer_stop(loop, &c->timer);
	close(c->io.fd);
	free(c);
}

static void server_timeout(struct ev_loop *l, ev_timer *w, int revents)
{
	(void)l; (void)revents;
	conn_free((struct conn *)((char *)w - offsetof(struct conn, timer)));
}

static void server_read(struct ev_loop *l, ev_io *w, int revents)
{
	struct conn *c = (struct conn *)w;
	char buf[256];
	ssize_t n = read(w->fd, buf, sizeof buf);
	(void)l; (void)revents;
	if (n < 0 && errno == EAGAIN)
		return;
	if (n > 0 && write(w->fd, reply, sizeof reply - 1) < 0)
		die("server write");
	conn_free(c);
}

static void on_accept(struct ev_loop *l, ev_io *w, int revents)
{
	(void)revents;
	for (;;) {
		int fd = accept(w->fd, NULL, NULL);
		struct conn *c;
		if (fd < 0)
			return;
		nonblock(fd);
		c = malloc(sizeof *c);
		ev_io_init(&c->io, server_read, fd, EV_READ);
		ev_timer_init(&c->timer, server_timeout, 10., 0.);
		ev_io_start(l, &c->io);
		ev_timer_start(l, &c->timer);
	}
}

static void client_start(void);

static void client_read(struct ev_loop *l, ev_io *w, int revents)
{
	char buf[256];
	ssize_t n = read(w->fd, buf, sizeof buf);
	(void)revents;
	if (n < 0 && errno == EAGAIN)
		return;
	if (n > 0)
		return; /* the server closes after its reply: wait for the end */
	ev_io_stop(l, w);
	close(w->fd);
	free(w);
	if (++finished >= target)
		ev_break(l, EVBREAK_ALL);
	else if (started < target)
		client_start();
}

static void client_connected(struct ev_loop *l, ev_io *w, int revents)
{
	int fd = w->fd;
	(void)revents;
	ev_io_stop(l, w);
	if (write(fd, req, sizeof req - 1) != sizeof req - 1)
		die("client write");
	ev_io_init(w, client_read, fd, EV_READ);
	ev_io_start(l, w);
}

static void client_start(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ev_io *w = malloc(sizeof *w);
	if (fd < 0)
		die("socket");
	nonblock(fd);
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 && errno != EINPROGRESS)
		die("connect");
	started++;
	ev_io_init(w, client_connected, fd, EV_WRITE);
	ev_io_start(loop, w);
}

static int listener(void)
{
	socklen_t len = sizeof addr;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 1024) != 0)
		die("listen");
	getsockname(fd, (struct sockaddr *)&addr, &len);
	nonblock(fd);
	return fd;
}

static void on_signal(struct ev_loop *l, ev_signal *w, int revents)
{
	(void)w; (void)revents;
	ev_break(l, EVBREAK_ALL);
}

static long rss_kb(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f || fscanf(f, "%ld %ld", &pages, &rss) != 2)
		die("/proc/self/statm");
	fclose(f);
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	static ev_io accept_w;
	static ev_timer idle;
	static ev_signal sig;
	double t0;
	long i, conc;
	signal(SIGPIPE, SIG_IGN);
	loop = ev_default_loop(0);
	if (!loop)
		die("ev_default_loop");
	ev_io_init(&accept_w, on_accept, listener(), EV_READ);
	ev_io_start(loop, &accept_w);
	if (!strcmp(mode, "mem")) {
		ev_timer_init(&idle, server_timeout, 60., 0.);
		ev_timer_start(loop, &idle);
		ev_signal_init(&sig, on_signal, SIGUSR2);
		ev_signal_start(loop, &sig);
		ev_run(loop, EVRUN_NOWAIT);
		printf("%ld\n", rss_kb());
		return 0;
	}
	if (strcmp(mode, "conns"))
		die("usage: bench_evconn conns [connections] [concurrent] | mem");
	target = arg_or(argc, argv, 2, 20000);
	conc = arg_or(argc, argv, 3, 8);
	t0 = now_s();
	for (i = 0; i < conc && started < target; i++)
		client_start();
	ev_run(loop, 0);
	printf("%.0f\n", finished / (now_s() - t0));
	return 0;
}
