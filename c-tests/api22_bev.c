/* libevent 2.2's bufferevent additions: bufferevent_replacefd (the old descriptor closed;
 * callbacks, buffers and enabled directions kept; a filter passes it down; a pair refuses) and
 * bufferevent_socket_connect_hostname_hints (the hints' family used; bad hints refused).
 * needs: event_rs */
#include "bev_common.h"
#include <netdb.h>

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

static char got[256];
static size_t ngot;
static void collect(struct bufferevent *bev, void *arg)
{
	struct seen *s = arg;
	s->reads++;
	ngot += evbuffer_remove(bufferevent_get_input(bev), got + ngot, sizeof got - 1 - ngot);
}

static void read_all(int fd, char *out, size_t n)
{
	size_t done = 0;
	double start = now_s();
	while (done < n) {
		ssize_t r = read(fd, out + done, n - done);
		if (r > 0)
			done += (size_t)r;
		else if (r < 0 && errno == EAGAIN && now_s() - start < 10)
			usleep(1000);
		else
			{ fprintf(stderr, "read_all: r=%zd errno=%d done=%zu\n", r, errno, done); CHECK(!"read_all: short"); }
	}
}

static void test_replacefd(void)
{
	struct event_base *base = event_base_new();
	int a[2], b[2];
	stream_pair(a);
	stream_pair(b);
	struct seen s = { 0 };
	struct bufferevent *bev = bufferevent_socket_new(base, a[0], 0);
	bufferevent_setcb(bev, collect, seen_write, seen_event, &s);
	OK(bufferevent_enable(bev, EV_READ | EV_WRITE) == 0);
	/* Something waiting in each buffer. */
	OK(write(a[1], "one", 3) == 3);
	run_until(base, &s.reads);
	OK(ngot == 3 && memcmp(got, "one", 3) == 0);
	OK(bufferevent_disable(bev, EV_WRITE) == 0);
	OK(bufferevent_write(bev, "kept", 4) == 0);
	OK(write(b[1], "two", 3) == 3);

	/* Replaced: a[0] is closed (without BEV_OPT_CLOSE_ON_FREE), even so. */
	EQ(bufferevent_replacefd(bev, b[0]), 0);
	OK(!fd_is_open(a[0]));
	EQ(bufferevent_getfd(bev), b[0]);
	EQ(bufferevent_get_enabled(bev), EV_READ);
	OK(bufferevent_get_input(bev) != NULL);
	EQ(evbuffer_get_length(bufferevent_get_output(bev)), 4);
	/* The same read callback gets the new socket's data. */
	s.reads = 0;
	run_until(base, &s.reads);
	OK(ngot == 6 && memcmp(got, "onetwo", 6) == 0);
	/* The kept output goes to the new socket once writing is enabled. */
	s.writes = 0;
	OK(bufferevent_enable(bev, EV_WRITE) == 0);
	run_until(base, &s.writes);
	char out[4];
	read_all(b[1], out, 4);
	OK(memcmp(out, "kept", 4) == 0);
	EQ(s.events, 0);

	/* The same descriptor again: not closed. */
	EQ(bufferevent_replacefd(bev, b[0]), 0);
	OK(fd_is_open(b[0]));
	/* -1: the old one closed, no new one. */
	EQ(bufferevent_replacefd(bev, -1), 0);
	OK(!fd_is_open(b[0]));
	EQ(bufferevent_getfd(bev), -1);
	bufferevent_free(bev);
	close(a[1]);
	close(b[1]);

	/* A filter passes the new descriptor to the bufferevent under it. */
	int c[2], d[2];
	stream_pair(c);
	stream_pair(d);
	struct bufferevent *under = bufferevent_socket_new(base, c[0], BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *filt = bufferevent_filter_new(under, NULL, NULL, BEV_OPT_CLOSE_ON_FREE, NULL, NULL);
	EQ(bufferevent_replacefd(filt, d[0]), 0);
	OK(!fd_is_open(c[0]));
	EQ(bufferevent_getfd(under), d[0]);
	bufferevent_free(filt);
	event_base_loop(base, EVLOOP_NONBLOCK); /* the teardown finishes in the loop */
	OK(!fd_is_open(d[0]));
	close(c[1]);
	close(d[1]);

	/* A pair has no descriptor; NULL is refused. */
	struct bufferevent *pair[2];
	OK(bufferevent_pair_new(base, 0, pair) == 0);
	int e[2];
	stream_pair(e);
	EQ(bufferevent_replacefd(pair[0], e[0]), -1);
	OK(fd_is_open(e[0]));
	EQ(bufferevent_replacefd(NULL, e[0]), -1);
	OK(fd_is_open(e[0]));
	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);
	close(e[0]);
	close(e[1]);
	event_base_free(base);
}

static void test_connect_hostname_hints(void)
{
	struct event_base *base = event_base_new();
	int port, lfd = listen_loopback(&port);
	struct evutil_addrinfo hints;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	hints.ai_flags = AI_NUMERICHOST;

	struct seen s = { 0 };
	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, NULL, seen_event, &s);
	EQ(bufferevent_socket_connect_hostname_hints(bev, NULL, &hints, "127.0.0.1", port), 0);
	run_until(base, &s.events);
	EQ(s.last_what, BEV_EVENT_CONNECTED);
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	OK(getsockname(bufferevent_getfd(bev), (struct sockaddr *)&ss, &len) == 0);
	EQ(ss.ss_family, AF_INET);
	bufferevent_free(bev);

	/* The hints' flags are used: AI_NUMERICHOST refuses a name (an error, reported with the
	 * lookup's code). */
	memset(&s, 0, sizeof s);
	bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, NULL, seen_event, &s);
	EQ(bufferevent_socket_connect_hostname_hints(bev, NULL, &hints, "localhost", port), 0);
	run_until(base, &s.events);
	OK(s.last_what & BEV_EVENT_ERROR);
	OK(bufferevent_socket_get_dns_error(bev) != 0);
	bufferevent_free(bev);

	/* Refused: NULL hints, a family other than INET/INET6/UNSPEC, a bad port, NULL bev. */
	bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	EQ(bufferevent_socket_connect_hostname_hints(bev, NULL, NULL, "127.0.0.1", port), -1);
	hints.ai_family = AF_UNIX;
	EQ(bufferevent_socket_connect_hostname_hints(bev, NULL, &hints, "127.0.0.1", port), -1);
	hints.ai_family = AF_UNSPEC;
	EQ(bufferevent_socket_connect_hostname_hints(bev, NULL, &hints, "127.0.0.1", 0), -1);
	EQ(bufferevent_socket_connect_hostname_hints(bev, NULL, &hints, "127.0.0.1", 65536), -1);
	EQ(bufferevent_socket_connect_hostname_hints(NULL, NULL, &hints, "127.0.0.1", port), -1);
	bufferevent_free(bev);
	close(lfd);
	event_base_free(base);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_replacefd();
	test_connect_hostname_hints();
	printf("api22_bev: %d checks\n", checks);
	return 0;
}
