/* Memory of an evhttp server, as the reliability probes measure it (the process's RSS):
 *   bench_httpmem fresh                  KB of RSS of a process with a base and an evhttp
 *                                        server bound to a port, after one loop pass
 *   bench_httpmem idle [conns=2000]      bytes of RSS growth per idle keep-alive connection:
 *                                        plain-socket clients, one request served on each
 *   bench_httpmem pipeline [reqs=200000] KB of peak RSS (VmHWM) of the server while a client
 *                                        (a child process) pipelines that many GETs on one
 *                                        connection and reads none of the replies
 * Prints one number; lower is better. */
#include "bench.h"
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/buffer.h>

static struct event_base *base;
static long served, target;

static long status_kb(const char *key)
{
	char line[256];
	long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		die("/proc/self/status");
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = atol(line + n + 1);
	fclose(f);
	return v;
}

static void on_request(struct evhttp_request *req, void *arg)
{
	struct evbuffer *body = evbuffer_new();
	(void)arg;
	evbuffer_add(body, "hello\n", 6);
	evhttp_send_reply(req, 200, "OK", body);
	evbuffer_free(body);
	if (++served >= target)
		event_base_loopbreak(base);
}

static int start_server(struct evhttp **out)
{
	struct evhttp *http = evhttp_new(base);
	struct evhttp_bound_socket *bound;
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	if (!http)
		die("evhttp_new");
	evhttp_set_gencb(http, on_request, NULL);
	bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	if (!bound)
		die("bind");
	if (getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sin, &len) != 0)
		die("getsockname");
	*out = http;
	return ntohs(sin.sin_port);
}

static int connect_to(int port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0)
		die("connect");
	return fd;
}

static const char request[] = "GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n";

static void bench_fresh(void)
{
	struct evhttp *http;
	start_server(&http);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("%ld\n", status_kb("VmRSS"));
}

static void bench_idle(long nconns)
{
	struct evhttp *http;
	int port = start_server(&http), *fds, i;
	long before;
	raise_nofile(2 * nconns + 64);
	fds = calloc(nconns, sizeof *fds);
	/* One connection and request first, so what every server allocates once (the first
	 * connection's code paths, the allocator's arenas) is not counted per connection. */
	target = 1;
	fds[0] = connect_to(port);
	if (write(fds[0], request, sizeof request - 1) < 0)
		die("write");
	event_base_dispatch(base);
	before = status_kb("VmRSS");
	/* In batches the listener's backlog holds, each served before the next connects. */
	for (i = 1; i < nconns; i++) {
		fds[i] = connect_to(port);
		if (write(fds[i], request, sizeof request - 1) < 0)
			die("write");
		if (i % 64 == 0 || i == nconns - 1) {
			target = i + 1;
			event_base_dispatch(base);
		}
	}
	/* The last replies out, then the connections sit idle. */
	for (i = 0; i < 10; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	printf("%ld\n", (status_kb("VmRSS") - before) * 1024 / (nconns - 1));
}

/* The pipelined run ends when the server has served every request, or has served none for
 * a while (a server may stop reading while its replies cannot be written). */
static long last_served, still;
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	if (served == last_served && ++still >= 5)
		event_base_loopbreak(base);
	if (served != last_served)
		still = 0;
	last_served = served;
}

static void bench_pipeline(long nreqs)
{
	struct evhttp *http;
	int port = start_server(&http), fd;
	struct timeval tick = {0, 100000};
	pid_t child;
	target = nreqs;
	event_add(event_new(base, -1, EV_PERSIST, on_tick, NULL), &tick);
	fd = connect_to(port);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		/* The client: every request written, no reply read, until killed. */
		size_t n = sizeof request - 1;
		char *all = malloc(n * 1000);
		long i, j;
		for (j = 0; j < 1000; j++)
			memcpy(all + j * n, request, n);
		for (i = 0; i < nreqs; i += 1000) {
			size_t len = n * (nreqs - i < 1000 ? nreqs - i : 1000), off = 0;
			while (off < len) {
				ssize_t w = write(fd, all + off, len - off);
				if (w <= 0)
					_exit(1);
				off += w;
			}
		}
		pause();
		_exit(0);
	}
	close(fd);
	event_base_dispatch(base);
	fprintf(stderr, "served %ld\n", served);
	printf("%ld\n", status_kb("VmHWM"));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	if (!base)
		die("event_base_new");
	if (!strcmp(mode, "fresh"))
		bench_fresh();
	else if (!strcmp(mode, "idle"))
		bench_idle(arg_or(argc, argv, 2, 2000));
	else if (!strcmp(mode, "pipeline"))
		bench_pipeline(arg_or(argc, argv, 2, 200000));
	else
		die("usage: bench_httpmem fresh|idle [conns]|pipeline [requests]");
	return 0;
}
