/* Cancelling and freeing, including from inside callbacks: evdns_cancel_request before the
 * answer (a late answer is then ignored), from the request's own callback (no effect), of
 * another request; evdns_base_free with and without fail_requests, from a callback, with
 * lookups and getaddrinfo requests outstanding; clear_nameservers_and_suspend and resume;
 * closing the server port from its own callback.
 * compare-output: the printed lines must equal the system's libevent's. */
#include "dns_test.h"

static struct event_base *base;
static int port;
static struct evdns_server_request *held[16];
static int nheld, calls;
static struct evdns_base *dns;
static struct evdns_request *req_a, *req_b;

/* "hold.*" queries wait for the test to answer them; others get 1.2.3.4 at once. */
static void server_cb(struct evdns_server_request *req, void *arg)
{
	(void)arg;
	if (!strncasecmp(req->questions[0]->name, "hold.", 5)) {
		CHECK(nheld < 16);
		held[nheld++] = req;
		return;
	}
	if (req->questions[0]->type == EVDNS_TYPE_A)
		evdns_server_request_add_a_reply(req, req->questions[0]->name, 1, "\1\2\3\4", 60);
	evdns_server_request_respond(req, 0);
}

static void answer_held(void)
{
	int i;
	for (i = 0; i < nheld; i++) {
		if (held[i]->questions[0]->type == EVDNS_TYPE_A)
			evdns_server_request_add_a_reply(held[i], held[i]->questions[0]->name, 1, "\5\6\7\10", 60);
		evdns_server_request_respond(held[i], 0);
	}
	nheld = 0;
}

static void drop_held(void)
{
	int i;
	for (i = 0; i < nheld; i++)
		evdns_server_request_drop(held[i]);
	nheld = 0;
}

/* Results of the current scenario, printed sorted (libevent's shutdown order is its own). */
static char results[16][80];
static int nresults;

static int by_text(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void flush_results(void)
{
	int i;
	qsort(results, nresults, sizeof results[0], by_text);
	for (i = 0; i < nresults; i++)
		printf("  %s\n", results[i]);
	nresults = 0;
}

static void note(const char *label, int result)
{
	CHECK(nresults < 16);
	snprintf(results[nresults++], sizeof results[0], "%s: %d", label, result);
	calls++;
}

static void plain_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	(void)type; (void)count; (void)ttl; (void)addresses;
	note(arg, result);
}

static void cancel_self_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	plain_cb(result, type, count, ttl, addresses, arg);
	evdns_cancel_request(dns, req_a);
	evdns_cancel_request(NULL, req_a);
}

static void cancel_other_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	plain_cb(result, type, count, ttl, addresses, arg);
	evdns_cancel_request(dns, req_b);
}

static int free_fail;
static void free_base_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	plain_cb(result, type, count, ttl, addresses, arg);
	evdns_base_free(dns, free_fail);
	dns = NULL;
}

static void gai_cb(int result, struct evutil_addrinfo *res, void *arg)
{
	note(arg, result);
	if (res)
		evutil_freeaddrinfo(res);
}

static void gai_free_base_cb(int result, struct evutil_addrinfo *res, void *arg)
{
	gai_cb(result, res, arg);
	evdns_base_free(dns, 1);
	dns = NULL;
}

static struct evdns_base *new_dns(void)
{
	struct evdns_base *d = evdns_base_new(base, 0);
	CHECK(d != NULL);
	CHECK_EQ(evdns_base_nameserver_ip_add(d, loopback_addr(port)), 0);
	CHECK_EQ(evdns_base_set_option(d, "initial-probe-timeout:", "3600"), 0);
	return d;
}

static void wait_calls(int n)
{
	static int reached;
	while (calls < n) {
		reached = 0;
		event_base_loop(base, EVLOOP_ONCE);
		if (calls >= n)
			reached = 1;
	}
	(void)reached;
}

/* Runs the loop until the server holds `n` queries. */
static void wait_held(int n)
{
	while (nheld < n)
		event_base_loop(base, EVLOOP_ONCE);
}

/* Closes its own port from the callback of the first query, keeping the requests: the port
 * stays (and reads) until they are answered. */
static struct evdns_server_port *close_me;
static struct evdns_server_request *late[4];
static int nlate;
static void closing_server_cb(struct evdns_server_request *req, void *arg)
{
	(void)arg;
	if (close_me) {
		evdns_close_server_port(close_me);
		close_me = NULL;
	}
	CHECK(nlate < 4);
	late[nlate++] = req;
}

int main(void)
{
	int fd, fd2, port2;
	struct evdns_server_port *server;
	struct evutil_addrinfo hints;

	base = event_base_new();
	fd = udp_socket(&port);
	server = evdns_add_server_port_with_base(base, fd, 0, server_cb, NULL);
	evdns_set_log_fn(quiet_log);
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;

	printf("cancel before the answer; the late answer is ignored\n");
	dns = new_dns();
	req_a = evdns_base_resolve_ipv4(dns, "hold.a", 0, plain_cb, "a");
	wait_held(1);
	evdns_cancel_request(dns, req_a);
	CHECK_EQ(calls, 0); /* the callback is deferred */
	wait_calls(1);
	answer_held();
	run_ready(base);
	run_ready(base);
	flush_results();

	printf("cancel from the request's own callback, and with a NULL base\n");
	calls = 0;
	req_a = evdns_base_resolve_ipv4(dns, "now.a", 0, cancel_self_cb, "self");
	wait_calls(1);
	run_ready(base);
	req_b = evdns_base_resolve_ipv4(dns, "hold.b", 0, plain_cb, "null base");
	wait_held(1);
	evdns_cancel_request(NULL, req_b);
	wait_calls(2);
	drop_held();
	flush_results();

	printf("cancel another request from a callback\n");
	calls = 0;
	req_b = evdns_base_resolve_ipv4(dns, "hold.b", 0, plain_cb, "other");
	req_a = evdns_base_resolve_ipv4(dns, "now.a", 0, cancel_other_cb, "canceller");
	wait_calls(2);
	drop_held();
	flush_results();

	printf("free the base with fail_requests from a callback\n");
	calls = 0;
	evdns_base_resolve_ipv4(dns, "hold.1", 0, plain_cb, "pending 1");
	evdns_base_resolve_ipv6(dns, "hold.2", 0, plain_cb, "pending 2");
	evdns_getaddrinfo(dns, "hold.3", "80", &hints, gai_cb, "pending getaddrinfo");
	wait_held(4);
	free_fail = 1;
	evdns_base_resolve_ipv4(dns, "now.x", 0, free_base_cb, "freer");
	wait_calls(4);
	run_ready(base);
	drop_held();
	flush_results();

	printf("free the base without fail_requests from a callback\n");
	calls = 0;
	dns = new_dns();
	evdns_base_resolve_ipv4(dns, "hold.1", 0, plain_cb, "never 1");
	evdns_getaddrinfo(dns, "hold.2", "80", &hints, gai_cb, "never getaddrinfo");
	wait_held(3);
	free_fail = 0;
	evdns_base_resolve_ipv4(dns, "now.x", 0, free_base_cb, "freer");
	wait_calls(1);
	run_ready(base);
	run_ready(base);
	drop_held();
	flush_results();

	printf("free the base from a getaddrinfo callback\n");
	calls = 0;
	dns = new_dns();
	evdns_base_resolve_ipv4(dns, "hold.1", 0, plain_cb, "pending");
	wait_held(1);
	hints.ai_family = AF_INET;
	evdns_getaddrinfo(dns, "now.x", "80", &hints, gai_free_base_cb, "getaddrinfo freer");
	hints.ai_family = AF_UNSPEC;
	wait_calls(2);
	run_ready(base);
	drop_held();
	flush_results();

	printf("free the base directly, lookups outstanding\n");
	calls = 0;
	dns = new_dns();
	evdns_base_resolve_ipv4(dns, "hold.1", 0, plain_cb, "lookup");
	evdns_getaddrinfo(dns, "hold.2", NULL, &hints, gai_cb, "getaddrinfo");
	wait_held(3);
	evdns_base_free(dns, 1);
	wait_calls(2);
	dns = new_dns();
	evdns_base_resolve_ipv4(dns, "hold.1", 0, plain_cb, "silent lookup");
	evdns_getaddrinfo(dns, "hold.2", NULL, &hints, gai_cb, "silent getaddrinfo");
	wait_held(6);
	evdns_base_free(dns, 0);
	run_ready(base);
	drop_held();
	flush_results();

	printf("suspend, then resume on another server\n");
	calls = 0;
	dns = new_dns();
	evdns_base_resolve_ipv4(dns, "hold.1", 0, plain_cb, "in flight when suspended");
	wait_held(1);
	CHECK_EQ(evdns_base_clear_nameservers_and_suspend(dns), 0);
	CHECK_EQ(evdns_base_count_nameservers(dns), 0);
	CHECK(evdns_base_resolve_ipv4(dns, "now.2", 0, plain_cb, "made while suspended") != NULL);
	drop_held();
	run_ready(base);
	CHECK_EQ(calls, 0);
	fd2 = udp_socket(&port2);
	close_me = evdns_add_server_port_with_base(base, fd2, 0, closing_server_cb, NULL);
	CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(port2)), 0);
	CHECK_EQ(evdns_base_resume(dns), 0);
	while (nlate < 2)
		event_base_loop(base, EVLOOP_ONCE);
	CHECK(close_me == NULL);
	while (nlate > 0) {
		struct evdns_server_request *r = late[--nlate];
		evdns_server_request_add_a_reply(r, r->questions[0]->name, 1, "\11\11\11\11", 60);
		CHECK_EQ(evdns_server_request_respond(r, 0), 0);
	}
	wait_calls(2);
	flush_results();
	/* The closed port went with its last request, and closed its socket. */
	CHECK_EQ(fcntl(fd2, F_GETFD), -1);
	evdns_base_free(dns, 0);

	evdns_close_server_port(server);
	event_base_free(base);
	return 0;
}
