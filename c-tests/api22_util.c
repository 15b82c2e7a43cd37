/* libevent 2.2's socket helpers and threads: evutil_set_tcp_keepalive (seen through
 * getsockopt), evutil_make_listen_socket_not_ipv6only, LEV_OPT_BIND_IPV4_AND_IPV6 (an IPv6
 * listener that takes an IPv4 connection), evthread_use_pthreads_with_flags with
 * EVTHREAD_PTHREAD_PRIO_INHERIT (a threaded base woken from another thread).
 * needs: event_rs */
#include "bev_common.h"
#include <event2/thread.h>
#include <event2/util.h>
#include <netinet/tcp.h>
#include <pthread.h>

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

#if !defined(LEV_OPT_BIND_IPV4_AND_IPV6) || !defined(EVTHREAD_PTHREAD_PRIO_INHERIT)
#error "the 2.2 constants can be tested with #ifdef"
#endif

static int opt(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof v;
	CHECK(getsockopt(fd, level, name, &v, &len) == 0);
	return v;
}

static void test_keepalive(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	OK(fd >= 0);
	EQ(opt(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
	EQ(evutil_set_tcp_keepalive(fd, 1, 60), 0);
	OK(opt(fd, SOL_SOCKET, SO_KEEPALIVE) != 0);
	EQ(opt(fd, IPPROTO_TCP, TCP_KEEPIDLE), 60);
	EQ(opt(fd, IPPROTO_TCP, TCP_KEEPINTVL), 20);
	EQ(opt(fd, IPPROTO_TCP, TCP_KEEPCNT), 3);
	/* A short timeout: the interval is at least a second. */
	EQ(evutil_set_tcp_keepalive(fd, 1, 2), 0);
	EQ(opt(fd, IPPROTO_TCP, TCP_KEEPIDLE), 2);
	EQ(opt(fd, IPPROTO_TCP, TCP_KEEPINTVL), 1);
	/* Off. */
	EQ(evutil_set_tcp_keepalive(fd, 0, 60), 0);
	EQ(opt(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
	/* On without a timeout: the system's timings stay. */
	EQ(evutil_set_tcp_keepalive(fd, 1, 0), 0);
	OK(opt(fd, SOL_SOCKET, SO_KEEPALIVE) != 0);
	EQ(opt(fd, IPPROTO_TCP, TCP_KEEPIDLE), 2);
	close(fd);
	/* Bad descriptors: -1, never a crash. */
	EQ(evutil_set_tcp_keepalive(-1, 1, 60), -1);
	EQ(evutil_set_tcp_keepalive(fd, 1, 60), -1);
	int sv[2];
	OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	EQ(evutil_set_tcp_keepalive(sv[0], 1, 60), -1);
	close(sv[0]);
	close(sv[1]);
}

static int accepted;
static void accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len, void *arg)
{
	(void)l; (void)len; (void)arg;
	/* An IPv4 client of an IPv6 socket shows as an IPv4-mapped address. */
	CHECK(sa->sa_family == AF_INET6);
	CHECK(IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)sa)->sin6_addr));
	accepted++;
	close(fd);
}

static void test_dual_stack(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0) {
		printf("api22_util: no IPv6 here, dual-stack checks skipped\n");
		return;
	}
	EQ(evutil_make_listen_socket_ipv6only(fd), 0);
	EQ(opt(fd, IPPROTO_IPV6, IPV6_V6ONLY), 1);
	EQ(evutil_make_listen_socket_not_ipv6only(fd), 0);
	EQ(opt(fd, IPPROTO_IPV6, IPV6_V6ONLY), 0);
	close(fd);
	EQ(evutil_make_listen_socket_not_ipv6only(-1), -1);

	struct event_base *base = event_base_new();
	struct sockaddr_in6 sin6;
	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_any;
	/* Both flags: dual stack wins, as in libevent. */
	struct evconnlistener *l = evconnlistener_new_bind(base, accept_cb, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_BIND_IPV6ONLY | LEV_OPT_BIND_IPV4_AND_IPV6,
	    16, (struct sockaddr *)&sin6, sizeof sin6);
	OK(l != NULL);
	int lfd = evconnlistener_get_fd(l);
	EQ(opt(lfd, IPPROTO_IPV6, IPV6_V6ONLY), 0);
	socklen_t len = sizeof sin6;
	OK(getsockname(lfd, (struct sockaddr *)&sin6, &len) == 0);
	struct sockaddr_in sin = loopback_addr(ntohs(sin6.sin6_port));
	int c = socket(AF_INET, SOCK_STREAM, 0);
	OK(connect(c, (struct sockaddr *)&sin, sizeof sin) == 0);
	run_until(base, &accepted);
	EQ(accepted, 1);
	close(c);
	evconnlistener_free(l);
	event_base_free(base);
}

static struct event_base *tbase;
static struct event *wake_ev;
static int woken;
static void wake_cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; woken = 1; }
static void *poke(void *arg)
{
	(void)arg;
	usleep(20000);
	event_active(wake_ev, EV_READ, 0);
	return NULL;
}

static void test_threads(void)
{
	EQ(evthread_use_pthreads_with_flags(EVTHREAD_PTHREAD_PRIO_INHERIT), 0);
	tbase = event_base_new();
	OK(tbase != NULL);
	wake_ev = event_new(tbase, -1, EV_PERSIST, wake_cb, NULL);
	struct timeval hour = { 3600, 0 };
	OK(event_add(wake_ev, &hour) == 0);
	pthread_t t;
	OK(pthread_create(&t, NULL, poke, NULL) == 0);
	EQ(event_base_loop(tbase, EVLOOP_ONCE), 0);
	EQ(woken, 1);
	pthread_join(t, NULL);
	event_free(wake_ev);
	event_base_free(tbase);
	/* Unknown bits are ignored, as in libevent. */
	EQ(evthread_use_pthreads_with_flags(0x100), 0);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_keepalive();
	test_dual_stack();
	test_threads();
	printf("api22_util: %d checks\n", checks);
	return 0;
}
