/* bufferevent_socket_connect_hostname with an evdns base, answered by an evdns server port in
 * this process: a name that resolves (the write made before the answer waits, then goes
 * out), a name that does not (ERROR, the DNS error kept), a numeric host (answered at once),
 * a bufferevent freed from its own error callback, and one freed while its lookup is still
 * running (no callback, no connect, nothing leaked); bufferevent_setfd while the lookup runs
 * cancels it, as libevent's does (evhttp resets a connection that way): a late answer then
 * connects nothing.
 * compare-output check-preload */
#include "bev_common.h"
#include <event2/dns.h>
#include <event2/dns_struct.h>
#include <strings.h>

static struct evdns_server_request *slow_req, *late_req;

static void dns_answer(struct evdns_server_request *req, void *arg)
{
	struct in_addr lo;
	(void)arg;
	lo.s_addr = htonl(0x7f000001);
	CHECK_EQ(req->nquestions, 1);
	const char *name = req->questions[0]->name;
	if (!strcasecmp(name, "echo.test")) {
		CHECK_EQ(evdns_server_request_add_a_reply(req, name, 1, &lo, 60), 0);
		CHECK_EQ(evdns_server_request_respond(req, 0), 0);
	} else if (!strcasecmp(name, "slow.test")) {
		slow_req = req; /* never answered */
	} else if (!strcasecmp(name, "late.test")) {
		late_req = req; /* answered after the bufferevent's setfd */
	} else {
		CHECK_EQ(evdns_server_request_respond(req, DNS_ERR_NOTEXIST), 0);
	}
}

static struct bufferevent *accepted;
static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)sa; (void)socklen; (void)arg;
	accepted = bufferevent_socket_new(evconnlistener_get_base(lev), fd, BEV_OPT_CLOSE_ON_FREE);
	CHECK(accepted != NULL);
	bufferevent_enable(accepted, EV_READ);
}

static int freed_in_cb;
static void free_on_error(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	printf("event 0x%x, dns error %d; freeing from the callback\n", what, bufferevent_socket_get_dns_error(bev));
	bufferevent_free(bev);
	freed_in_cb = 1;
}

static void quiet(int severity, const char *msg) { (void)severity; (void)msg; }

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	event_set_log_callback(quiet);
	struct event_base *base = event_base_new();

	/* The name server. */
	struct sockaddr_in ns = loopback_addr(0);
	socklen_t len = sizeof(ns);
	int ufd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(ufd >= 0 && bind(ufd, (struct sockaddr *)&ns, sizeof(ns)) == 0);
	CHECK(getsockname(ufd, (struct sockaddr *)&ns, &len) == 0);
	evutil_make_socket_nonblocking(ufd);
	struct evdns_server_port *port = evdns_add_server_port_with_base(base, ufd, 0, dns_answer, NULL);
	CHECK(port != NULL);
	char nsaddr[32];
	snprintf(nsaddr, sizeof(nsaddr), "127.0.0.1:%d", ntohs(ns.sin_port));
	struct evdns_base *dns = evdns_base_new(base, 0);
	CHECK(dns != NULL);
	CHECK_EQ(evdns_base_nameserver_ip_add(dns, nsaddr), 0);

	/* The server to connect to. */
	struct sockaddr_in any = loopback_addr(0);
	struct evconnlistener *lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1, (struct sockaddr *)&any, sizeof(any));
	CHECK(lev != NULL);
	struct sockaddr_in sin;
	len = sizeof(sin);
	CHECK(getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&sin, &len) == 0);
	int tport = ntohs(sin.sin_port);

	/* --- a name that resolves: the write waits for the lookup and the connect. */
	struct seen s = {0};
	struct bufferevent *b = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(b, seen_read, seen_write, seen_event, &s);
	bufferevent_enable(b, EV_READ | EV_WRITE);
	CHECK_EQ(bufferevent_socket_connect_hostname(b, dns, AF_INET, "echo.test", tport), 0);
	CHECK_EQ(bufferevent_write(b, "hello", 5), 0);
	CHECK_EQ(s.events, 0);
	run_until(base, &s.events);
	printf("echo.test: event 0x%x, dns error %d, fd %s\n", s.last_what, bufferevent_socket_get_dns_error(b),
	    bufferevent_getfd(b) >= 0 ? "set" : "none");
	CHECK(accepted != NULL);
	char buf[16] = {0};
	while (evbuffer_get_length(bufferevent_get_input(accepted)) < 5)
		CHECK(event_base_loop(base, EVLOOP_ONCE) >= 0);
	CHECK_EQ((int)bufferevent_read(accepted, buf, sizeof(buf)), 5);
	printf("server got \"%s\"\n", buf);
	bufferevent_free(b);
	bufferevent_free(accepted);
	accepted = NULL;

	/* --- a name that does not resolve. */
	memset(&s, 0, sizeof(s));
	b = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(b, NULL, NULL, seen_event, &s);
	CHECK_EQ(bufferevent_socket_connect_hostname(b, dns, AF_INET, "missing.test", tport), 0);
	run_until(base, &s.events);
	printf("missing.test: event 0x%x, dns error %d (%s)\n", s.last_what, bufferevent_socket_get_dns_error(b),
	    evutil_gai_strerror(bufferevent_socket_get_dns_error(b)));
	bufferevent_free(b);

	/* --- bad arguments are refused before any lookup. */
	b = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	CHECK_EQ(bufferevent_socket_connect_hostname(b, dns, AF_UNIX, "echo.test", tport), -1);
	CHECK_EQ(bufferevent_socket_connect_hostname(b, dns, AF_INET, "echo.test", 0), -1);

	/* --- a numeric host: no query, the connect starts. */
	memset(&s, 0, sizeof(s));
	bufferevent_setcb(b, NULL, NULL, seen_event, &s);
	bufferevent_enable(b, EV_READ | EV_WRITE);
	CHECK_EQ(bufferevent_socket_connect_hostname(b, dns, AF_INET, "127.0.0.1", tport), 0);
	run_until(base, &s.events);
	printf("127.0.0.1: event 0x%x, dns error %d\n", s.last_what, bufferevent_socket_get_dns_error(b));
	bufferevent_free(b);
	run_for(base, 20);
	if (accepted) {
		bufferevent_free(accepted);
		accepted = NULL;
	}

	/* --- freed from its own error callback. */
	b = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(b, NULL, NULL, free_on_error, NULL);
	CHECK_EQ(bufferevent_socket_connect_hostname(b, dns, AF_UNSPEC, "missing.test", tport), 0);
	run_until(base, &freed_in_cb);

	/* --- freed while the lookup runs: no callback, no connection. */
	memset(&s, 0, sizeof(s));
	b = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(b, seen_read, seen_write, seen_event, &s);
	bufferevent_enable(b, EV_READ | EV_WRITE);
	CHECK_EQ(bufferevent_socket_connect_hostname(b, dns, AF_INET, "slow.test", tport), 0);
	int asked = 0;
	while (!slow_req && asked++ < 100)
		run_for(base, 10);
	CHECK(slow_req != NULL);
	bufferevent_free(b);
	run_for(base, 50);
	printf("freed while resolving: %d events, %s\n", s.events, accepted ? "connected" : "no connection");
	CHECK_EQ(evdns_server_request_drop(slow_req), 0);

	/* --- setfd(-1) while the lookup runs: the lookup is cancelled, its answer unused. */
	memset(&s, 0, sizeof(s));
	b = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(b, seen_read, seen_write, seen_event, &s);
	bufferevent_enable(b, EV_READ | EV_WRITE);
	CHECK_EQ(bufferevent_socket_connect_hostname(b, dns, AF_INET, "late.test", tport), 0);
	asked = 0;
	while (!late_req && asked++ < 100)
		run_for(base, 10);
	CHECK(late_req != NULL);
	CHECK_EQ(bufferevent_setfd(b, -1), 0);
	run_for(base, 20);
	{
		struct in_addr lo;
		lo.s_addr = htonl(0x7f000001);
		CHECK_EQ(evdns_server_request_add_a_reply(late_req, late_req->questions[0]->name, 1, &lo, 60), 0);
		CHECK_EQ(evdns_server_request_respond(late_req, 0), 0);
	}
	run_for(base, 50);
	printf("setfd while resolving: %d events, %s, dns error %d\n", s.events, accepted ? "connected" : "no connection",
	    bufferevent_socket_get_dns_error(b));
	bufferevent_free(b);

	evdns_base_free(dns, 1);
	run_for(base, 20);
	CHECK_EQ(s.events, 0);
	CHECK(accepted == NULL);
	evdns_close_server_port(port);
	evconnlistener_free(lev);
	event_base_free(base);
	close(ufd);
	printf("ok\n");
	return 0;
}
