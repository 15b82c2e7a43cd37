/* Several nameservers: round-robin, retries moving to the next server when one is silent, a
 * REFUSED answer sending the query to another server, every server silent (the retries, then
 * a timeout), the limit of queries in flight (the others wait, in order), and a server marked
 * down after a timeout that a probe (a query for google.com) brings back.
 * compare-output: the printed lines must equal the system's libevent's. */
#include "dns_test.h"

enum mode { ANSWER, SILENT, REFUSE, HOLD };

struct server {
	const char *label;
	int port;
	enum mode mode;
	struct evdns_server_port *port_obj;
	struct evdns_server_request *held[8];
	int nheld;
};

static struct event_base *base;
static struct server s1 = { "S1" }, s2 = { "S2" };
static char seen[512];
static int done, probes;

static void server_cb(struct evdns_server_request *req, void *arg)
{
	struct server *s = arg;
	char name[256];
	int i;
	snprintf(name, sizeof name, "%s", req->questions[0]->name);
	for (i = 0; name[i]; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	snprintf(seen + strlen(seen), sizeof seen - strlen(seen), " %s:%s", s->label, name);
	if (!strcmp(name, "google.com"))
		probes++;
	switch (s->mode) {
	case ANSWER:
		evdns_server_request_add_a_reply(req, req->questions[0]->name, 1, "\1\2\3\4", 60);
		evdns_server_request_respond(req, 0);
		break;
	case SILENT:
		evdns_server_request_drop(req);
		break;
	case REFUSE:
		evdns_server_request_respond(req, DNS_ERR_REFUSED);
		break;
	case HOLD:
		CHECK(s->nheld < 8);
		s->held[s->nheld++] = req;
		break;
	}
}

static void start_server(struct server *s)
{
	int fd = udp_socket(&s->port);
	s->port_obj = evdns_add_server_port_with_base(base, fd, 0, server_cb, s);
	CHECK(s->port_obj != NULL);
}

static void result_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	(void)type; (void)count; (void)ttl; (void)addresses;
	printf("  %s -> %d; seen:%s\n", (const char *)arg, result, seen);
	seen[0] = 0;
	done++;
}

static void lookup(struct evdns_base *dns, const char *name)
{
	done = 0;
	CHECK(evdns_base_resolve_ipv4(dns, name, DNS_QUERY_NO_SEARCH, result_cb, (void *)name) != NULL);
	run_until(base, &done);
}

static struct evdns_base *new_dns(int two, const char *attempts, const char *probe)
{
	struct evdns_base *dns = evdns_base_new(base, 0);
	CHECK(dns != NULL);
	CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(s1.port)), 0);
	if (two)
		CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(s2.port)), 0);
	CHECK_EQ(evdns_base_set_option(dns, "timeout:", "0.5"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "attempts:", attempts), 0);
	CHECK_EQ(evdns_base_set_option(dns, "initial-probe-timeout:", probe), 0);
	seen[0] = 0;
	return dns;
}

int main(void)
{
	struct evdns_base *dns;
	int i;

	base = event_base_new();
	evdns_set_log_fn(quiet_log);
	start_server(&s1);
	start_server(&s2);

	printf("round-robin\n");
	dns = new_dns(1, "3", "3600");
	lookup(dns, "one.test");
	lookup(dns, "two.test");
	lookup(dns, "three.test");
	lookup(dns, "four.test");
	evdns_base_free(dns, 0);

	printf("S1 silent: retries go to S2\n");
	s1.mode = SILENT;
	dns = new_dns(1, "3", "3600");
	lookup(dns, "one.test");
	lookup(dns, "two.test");
	evdns_base_free(dns, 0);

	printf("S1 refuses: the query goes to S2\n");
	s1.mode = REFUSE;
	dns = new_dns(1, "3", "3600");
	lookup(dns, "refused.test");
	evdns_base_free(dns, 0);

	printf("both silent: three sends, then a timeout\n");
	s1.mode = SILENT;
	s2.mode = SILENT;
	dns = new_dns(1, "3", "3600");
	lookup(dns, "nobody.test");
	evdns_base_free(dns, 0);

	printf("one query in flight at a time\n");
	s1.mode = HOLD;
	s2.mode = ANSWER;
	dns = new_dns(0, "3", "3600");
	CHECK_EQ(evdns_base_set_option(dns, "max-inflight:", "1"), 0);
	done = 0;
	CHECK(evdns_base_resolve_ipv4(dns, "first.test", 0, result_cb, "first") != NULL);
	CHECK(evdns_base_resolve_ipv4(dns, "second.test", 0, result_cb, "second") != NULL);
	CHECK(evdns_base_resolve_ipv4(dns, "third.test", 0, result_cb, "third") != NULL);
	for (i = 0; i < 3; i++) {
		while (s1.nheld == 0)
			event_base_loop(base, EVLOOP_ONCE);
		printf("  held by S1: %s\n", seen);
		seen[0] = 0;
		CHECK_EQ(s1.nheld, 1);
		evdns_server_request_add_a_reply(s1.held[0], s1.held[0]->questions[0]->name, 1, "\1\2\3\4", 60);
		evdns_server_request_respond(s1.held[0], 0);
		s1.nheld = 0;
		while (done < i + 1)
			event_base_loop(base, EVLOOP_ONCE);
	}
	evdns_base_free(dns, 0);

	printf("a silent server is marked down, then probed back up\n");
	s1.mode = SILENT;
	dns = new_dns(0, "1", "0.3");
	lookup(dns, "lost.test");
	s1.mode = ANSWER;
	probes = 0;
	while (probes == 0)
		event_base_loop(base, EVLOOP_ONCE);
	run_ready(base);
	printf("  probe seen:%s\n", seen);
	seen[0] = 0;
	lookup(dns, "back.test");
	evdns_base_free(dns, 0);

	evdns_close_server_port(s1.port_obj);
	evdns_close_server_port(s2.port_obj);
	event_base_free(base);
	return 0;
}
