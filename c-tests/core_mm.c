/* compare-output, check-preload: event_set_mem_functions(). The objects the API makes come
 * from the program's malloc and go back to its free; when the program's malloc fails, each
 * constructor and each call that needs memory gives libevent's answer (NULL or -1, and the
 * same warnings), never a crash; once malloc works again everything goes on and is released,
 * down to the last block. The wrappers put a size header before each block, so blocks are
 * aligned to 8 only. */
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <event2/bufferevent.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "check.h"

static int failing;
static long n_malloc, n_failed, live;

/* malloc's answer when failing: NULL with ENOMEM, as the C library gives. */
static void *t_malloc(size_t n)
{
	size_t *p;
	if (failing) {
		n_failed++;
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n + sizeof(size_t));
	CHECK(p != NULL);
	*p = n;
	n_malloc++;
	live++;
	return p + 1;
}

static void *t_realloc(void *old, size_t n)
{
	size_t *p;
	if (!old) return t_malloc(n);
	if (failing) {
		n_failed++;
		errno = ENOMEM;
		return NULL;
	}
	p = realloc((size_t *)old - 1, n + sizeof(size_t));
	CHECK(p != NULL);
	*p = n;
	return p + 1;
}

static void t_free(void *p)
{
	if (!p) return;
	live--;
	free((size_t *)p - 1);
}

static void on_log(int severity, const char *msg)
{
	printf("log %d: %s\n", severity, msg);
}

static int old_cb_calls;
static void old_cb(struct evbuffer *b, size_t before, size_t now, void *arg)
{
	(void)b; (void)before; (void)now; (void)arg;
	old_cb_calls++;
}

static int cb_calls;
static void new_cb(struct evbuffer *b, const struct evbuffer_cb_info *info, void *arg)
{
	(void)b; (void)info; (void)arg;
	cb_calls++;
}

static int cleanups;
static void ref_cleanup(const void *data, size_t len, void *arg)
{
	(void)data; (void)len; (void)arg;
	cleanups++;
}

static void on_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len, void *arg)
{
	(void)l; (void)sa; (void)len; (void)arg;
	close(fd);
}

/* A TCP socket bound to a free loopback port. */
static int bound_socket(void)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0);
	return fd;
}

static long mark_malloc, mark_live;
static void mark(void)
{
	mark_malloc = n_malloc;
	mark_live = live;
}

/* The object was made with the program's malloc; after its free, all of it was given back. */
static void made(const char *what, int ok)
{
	CHECK(ok);
	printf("%s: from the program's malloc %s\n", what, n_malloc > mark_malloc ? "yes" : "no");
	CHECK(n_malloc > mark_malloc);
}

static struct event_base *base;

/* (After the loop ran the finalizers that release bufferevents.) */
static void freed(const char *what)
{
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("%s: all given back %s\n", what, live == mark_live ? "yes" : "no");
	CHECK_EQ(live, mark_live);
}

int main(void)
{
	struct evbuffer *b;
	struct event_config *cfg;
	struct evbuffer_iovec v[2];
	char big[5000];
	long made_before;
	int fd;

	/* libevent's rule: before any other call. */
	event_set_mem_functions(t_malloc, t_realloc, t_free);
	event_set_log_callback(on_log);
	memset(big, 'x', sizeof big);

	/* Everything the API makes comes from the program's malloc. */
	mark();
	base = event_base_new();
	made("event_base_new", base != NULL);
	{
		long live0 = live;
		mark();
		b = evbuffer_new();
		made("evbuffer_new", b != NULL);
		mark();
		CHECK_EQ(evbuffer_add(b, big, 100), 0);
		made("evbuffer_add", 1);
		mark();
		CHECK(evbuffer_add_cb(b, new_cb, NULL) != NULL);
		made("evbuffer_add_cb", 1);
		mark();
		CHECK_EQ(evbuffer_setcb(b, old_cb, NULL), 0);
		made("evbuffer_setcb", 1);
		mark();
		CHECK_EQ(evbuffer_add_reference(b, big, 10, ref_cleanup, NULL), 0);
		made("evbuffer_add_reference", 1);
		CHECK_EQ(evbuffer_add(b, big, sizeof big), 0);
		mark();
		CHECK(evbuffer_pullup(b, -1) != NULL); /* more than the first chain holds */
		made("evbuffer_pullup", 1);
		mark_live = live0;
		evbuffer_free(b);
		freed("evbuffer");
		CHECK_EQ(cleanups, 1);
	}
	{
		struct event *ev;
		mark();
		ev = event_new(base, -1, 0, on_event, NULL);
		made("event_new", ev != NULL);
		event_free(ev);
		freed("event");
	}
	{
		struct event_base *other;
		mark();
		cfg = event_config_new();
		made("event_config_new", cfg != NULL);
		CHECK_EQ(event_config_avoid_method(cfg, "select"), 0);
		other = event_base_new_with_config(cfg);
		CHECK(other != NULL);
		event_base_free(other);
		event_config_free(cfg);
		freed("event_config, event_base_new_with_config");
	}
	{
		struct bufferevent *bev, *pair[2];
		mark();
		bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
		made("bufferevent_socket_new", bev != NULL);
		bufferevent_free(bev);
		freed("bufferevent_socket_new");
		mark();
		made("bufferevent_pair_new", bufferevent_pair_new(base, 0, pair) == 0);
		CHECK_EQ(bufferevent_write(pair[0], "hi", 2), 0);
		bufferevent_free(pair[0]);
		bufferevent_free(pair[1]);
		freed("bufferevent_pair_new");
	}
	{
		struct evconnlistener *l;
		mark();
		/* Disabled: an enabled one would grow the base's table of descriptors, which stays. */
		l = evconnlistener_new(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_DISABLED, -1,
		    bound_socket());
		made("evconnlistener_new", l != NULL);
		evconnlistener_free(l);
		freed("evconnlistener_new");
	}
	{
		struct evhttp *http;
		struct evdns_base *dns;
		mark();
		http = evhttp_new(base);
		made("evhttp_new", http != NULL);
		evhttp_free(http);
		freed("evhttp_new");
		mark();
		dns = evdns_base_new(base, 0);
		made("evdns_base_new", dns != NULL);
		evdns_base_free(dns, 0);
		freed("evdns_base_new");
	}

	/* The program's malloc fails: every call that needs memory says so. */
	b = evbuffer_new();
	CHECK(b != NULL);
	CHECK_EQ(evbuffer_add(b, "abc", 3), 0);
	CHECK(evbuffer_add_cb(b, new_cb, NULL) != NULL);
	cfg = event_config_new();
	CHECK(cfg != NULL);
	fd = bound_socket();
	made_before = n_malloc;
	failing = 1;
	printf("failing:\n");
	printf("evbuffer_new: %s\n", evbuffer_new() ? "made" : "NULL");
	printf("evbuffer_add_cb: %s\n", evbuffer_add_cb(b, new_cb, NULL) ? "made" : "NULL");
	printf("evbuffer_setcb: %d\n", evbuffer_setcb(b, old_cb, NULL));
	printf("evbuffer_setcb NULL: %d\n", evbuffer_setcb(b, NULL, NULL));
	/* Bytes that fit in the chain's room need no memory. */
	printf("evbuffer_add 1: %d\n", evbuffer_add(b, "d", 1));
	printf("evbuffer_add 5000: %d\n", evbuffer_add(b, big, sizeof big));
	printf("evbuffer_prepend 5000: %d\n", evbuffer_prepend(b, big, sizeof big));
	printf("evbuffer_expand 5000: %d\n", evbuffer_expand(b, 5000));
	printf("evbuffer_reserve_space 5000 x1: %d\n", evbuffer_reserve_space(b, 5000, v, 1));
	printf("evbuffer_reserve_space 5000 x2: %d\n", evbuffer_reserve_space(b, 5000, v, 2));
	printf("evbuffer_add_printf 5: %d\n", evbuffer_add_printf(b, "%s", "hello"));
	printf("evbuffer_add_printf 4000: %d\n", evbuffer_add_printf(b, "%4000d", 1));
	printf("evbuffer_add_reference: %d\n", evbuffer_add_reference(b, big, 10, ref_cleanup, NULL));
	printf("event_new: %s\n", event_new(base, -1, 0, on_event, NULL) ? "made" : "NULL");
	printf("event_base_new: %s\n", event_base_new() ? "made" : "NULL");
	printf("event_config_new: %s\n", event_config_new() ? "made" : "NULL");
	printf("event_base_new_with_config: %s\n", event_base_new_with_config(cfg) ? "made" : "NULL");
	printf("bufferevent_socket_new: %s\n", bufferevent_socket_new(base, -1, 0) ? "made" : "NULL");
	{
		struct bufferevent *pair[2] = { NULL, NULL };
		int r = bufferevent_pair_new(base, 0, pair);
		printf("bufferevent_pair_new: %d %s\n", r, pair[0] ? "made" : "NULL");
	}
	printf("evconnlistener_new: %s\n", evconnlistener_new(base, on_accept, NULL, 0, -1, fd) ? "made" : "NULL");
	printf("evhttp_new: %s\n", evhttp_new(base) ? "made" : "NULL");
	printf("evdns_base_new: %s\n", evdns_base_new(base, 0) ? "made" : "NULL");
	failing = 0;
	printf("nothing made while failing: %s, refusals seen: %s\n", n_malloc == made_before ? "yes" : "no",
	    n_failed > 0 ? "yes" : "no");
	CHECK_EQ(n_malloc, made_before);
	CHECK_EQ(cleanups, 1); /* a refused reference is not cleaned up */

	/* malloc works again: the buffer kept its bytes and works, without the callbacks that
	 * evbuffer_setcb removed. */
	{
		unsigned char *p;
		size_t len = evbuffer_get_length(b);
		cb_calls = old_cb_calls = 0;
		CHECK_EQ(evbuffer_add(b, big, sizeof big), 0);
		p = evbuffer_pullup(b, -1);
		printf("after: len %zu, starts \"%.9s\", callbacks run %d %d\n", evbuffer_get_length(b), (char *)p,
		    cb_calls, old_cb_calls);
		CHECK_EQ(evbuffer_get_length(b), len + sizeof big);
	}
	evbuffer_free(b);
	event_config_free(cfg);
	close(fd);
	event_base_free(base);
	libevent_global_shutdown();
	printf("all given back: %s\n", live == 0 ? "yes" : "no");
	CHECK_EQ(live, 0);
	return 0;
}
