/* evconnlistener: accept() failing with EMFILE reaches the error callback (with errno set),
 * once per readiness; the program disables the listener and takes the connection later.
 * (no-valgrind: valgrind virtualises the descriptor limit) */
#include <event2/event.h>
#include <event2/listener.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include "check.h"

static int accepted, errors, err_seen;

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)lev; (void)sa; (void)socklen; (void)arg;
	accepted++;
	close(fd);
}

static void on_error(struct evconnlistener *lev, void *arg)
{
	err_seen = EVUTIL_SOCKET_ERROR();
	errors++;
	CHECK(*(int *)arg == 42);
	evconnlistener_disable(lev);
}

static void free_on_error(struct evconnlistener *lev, void *arg)
{
	(void)arg;
	errors++;
	evconnlistener_free(lev);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000001);
	int arg = 42;
	struct evconnlistener *lev = evconnlistener_new_bind(base, on_accept, &arg, LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&sin, sizeof(sin));
	CHECK(lev != NULL);
	evconnlistener_set_error_cb(lev, on_error);
	socklen_t len = sizeof(sin);
	CHECK(getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&sin, &len) == 0);

	int c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&sin, sizeof(sin)) == 0);

	/* Use up every descriptor the process may have. */
	struct rlimit old, lim;
	CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0);
	int top = dup(0);
	CHECK(top >= 0);
	lim.rlim_cur = top + 1;
	lim.rlim_max = old.rlim_max;
	CHECK(setrlimit(RLIMIT_NOFILE, &lim) == 0);
	CHECK(dup(0) == -1 && errno == EMFILE);

	CHECK_EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	CHECK_EQ(errors, 1);
	CHECK_EQ(err_seen, EMFILE);
	CHECK_EQ(accepted, 0);
	/* Disabled by the error callback: nothing more happens. */
	CHECK_EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	CHECK_EQ(errors, 1);

	/* Descriptors free again: the waiting connection is accepted. */
	close(top);
	CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
	evconnlistener_enable(lev);
	CHECK_EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	CHECK_EQ(accepted, 1);
	CHECK_EQ(errors, 1);
	close(c);

	/* Freed from the error callback. */
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	evconnlistener_set_error_cb(lev, free_on_error);
	top = dup(0);
	lim.rlim_cur = top + 1;
	CHECK(setrlimit(RLIMIT_NOFILE, &lim) == 0);
	CHECK_EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	CHECK_EQ(errors, 2);
	close(top);
	CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
	CHECK_EQ(event_base_loop(base, EVLOOP_NONBLOCK), 1);
	close(c);

	event_base_free(base);
	printf("listener_errors: ok\n");
	return 0;
}
