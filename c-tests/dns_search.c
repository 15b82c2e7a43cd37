/* Search domains and ndots: the names tried, in order, for names with fewer and more dots
 * than ndots, a trailing dot, DNS_QUERY_NO_SEARCH, AAAA and PTR lookups, which errors move on
 * to the next domain (NXDOMAIN, NODATA) and which do not (SERVFAIL), search_clear, and the
 * search, domain and options lines of resolv.conf.
 * compare-output: the printed lines must equal the system's libevent's. */
#include "dns_test.h"

static struct event_base *base;
static int done;
static char seen[1024];
static char conf[64];

static void server_cb(struct evdns_server_request *req, void *arg)
{
	char name[256];
	int i;
	(void)arg;
	snprintf(name, sizeof name, "%s", req->questions[0]->name);
	for (i = 0; name[i]; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	snprintf(seen + strlen(seen), sizeof seen - strlen(seen), " %s", name);
	if (!strcmp(name, "found.one.test") || !strcmp(name, "x.y") || !strcmp(name, "www.d.test")) {
		if (req->questions[0]->type == EVDNS_TYPE_A)
			evdns_server_request_add_a_reply(req, req->questions[0]->name, 1, "\1\2\3\4", 60);
		else
			evdns_server_request_add_aaaa_reply(req, req->questions[0]->name, 1, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\1", 60);
		evdns_server_request_respond(req, 0);
	} else if (!strncmp(name, "nodata.two.test", 15)) {
		evdns_server_request_respond(req, 0);
	} else if (!strncmp(name, "servfail.", 9)) {
		evdns_server_request_respond(req, DNS_ERR_SERVERFAILED);
	} else if (strstr(name, ".in-addr.arpa")) {
		evdns_server_request_add_ptr_reply(req, NULL, req->questions[0]->name, "ptr.example", 60);
		evdns_server_request_respond(req, 0);
	} else {
		evdns_server_request_respond(req, DNS_ERR_NOTEXIST);
	}
}

static void result_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	(void)type; (void)count; (void)ttl; (void)addresses;
	printf("%-18s -> %-2d tried:%s\n", (const char *)arg, result, seen);
	done = 1;
}

static void lookup(struct evdns_base *dns, const char *name, int flags, int v6)
{
	struct evdns_request *r;
	seen[0] = 0;
	done = 0;
	if (v6)
		r = evdns_base_resolve_ipv6(dns, name, flags, result_cb, (void *)name);
	else
		r = evdns_base_resolve_ipv4(dns, name, flags, result_cb, (void *)name);
	CHECK(r != NULL);
	run_until(base, &done);
}

static void write_conf(const char *text)
{
	FILE *f = fopen(conf, "w");
	CHECK(f != NULL);
	fputs(text, f);
	fclose(f);
}

static struct evdns_base *new_base(int port)
{
	struct evdns_base *dns = evdns_base_new(base, 0);
	CHECK(dns != NULL);
	CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(port)), 0);
	CHECK_EQ(evdns_base_set_option(dns, "timeout:", "1"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "attempts:", "1"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "initial-probe-timeout:", "3600"), 0);
	return dns;
}

int main(void)
{
	int port, fd;
	struct evdns_server_port *server;
	struct evdns_base *dns;

	snprintf(conf, sizeof conf, "/tmp/event_rs_dns_search.%d", (int)getpid());
	base = event_base_new();
	fd = udp_socket(&port);
	server = evdns_add_server_port_with_base(base, fd, 0, server_cb, NULL);
	evdns_set_log_fn(quiet_log);
	dns = new_base(port);

	printf("-- no search list\n");
	lookup(dns, "www", 0, 0);

	printf("-- search_add one.test, then two.test (the last added is tried first)\n");
	evdns_base_search_add(dns, "one.test");
	evdns_base_search_add(dns, "two.test");
	lookup(dns, "www", 0, 0);
	lookup(dns, "found", 0, 0);
	lookup(dns, "found", 0, 1);
	lookup(dns, "www.abc", 0, 0);
	lookup(dns, "x.y", 0, 0);
	lookup(dns, "www", DNS_QUERY_NO_SEARCH, 0);
	lookup(dns, "nodata", 0, 0);
	lookup(dns, "servfail", 0, 0);
	CHECK(evdns_base_resolve_ipv4(dns, "", 0, result_cb, "") == NULL);
	{
		struct in_addr in;
		inet_pton(AF_INET, "192.0.2.1", &in);
		seen[0] = 0;
		done = 0;
		CHECK(evdns_base_resolve_reverse(dns, &in, 0, result_cb, "reverse") != NULL);
		run_until(base, &done);
	}

	printf("-- ndots 3\n");
	evdns_base_search_ndots_set(dns, 3);
	lookup(dns, "www.abc", 0, 0);
	lookup(dns, "www.abc.", 0, 0);
	lookup(dns, "x.y", 0, 0);
	lookup(dns, "a.b.c.d", 0, 0);

	printf("-- a domain with leading dots\n");
	evdns_base_search_add(dns, "..dots.test");
	lookup(dns, "www", 0, 0);

	printf("-- search_clear (ndots back to 1)\n");
	evdns_base_search_clear(dns);
	lookup(dns, "www", 0, 0);
	evdns_base_search_add(dns, "two.test");
	lookup(dns, "x.y", 0, 0);
	lookup(dns, "found.one", 0, 0);

	printf("-- options ndots:2 set with the search list\n");
	CHECK_EQ(evdns_base_set_option(dns, "ndots:", "2"), 0);
	lookup(dns, "x.y", 0, 0);
	evdns_base_free(dns, 0);

	printf("-- resolv.conf: search, then options\n");
	write_conf("search two.test one.test\noptions ndots:2\n");
	dns = new_base(port);
	CHECK_EQ(evdns_base_resolv_conf_parse(dns, DNS_OPTION_SEARCH | DNS_OPTION_MISC, conf), 0);
	lookup(dns, "x.y", 0, 0);
	lookup(dns, "found", 0, 0);
	evdns_base_free(dns, 0);

	printf("-- resolv.conf: options, then search (which resets ndots)\n");
	write_conf("options ndots:2\nsearch two.test one.test\n");
	dns = new_base(port);
	CHECK_EQ(evdns_base_resolv_conf_parse(dns, DNS_OPTION_SEARCH | DNS_OPTION_MISC, conf), 0);
	lookup(dns, "x.y", 0, 0);
	evdns_base_free(dns, 0);

	printf("-- resolv.conf: search then domain (the last line wins)\n");
	write_conf("search one.test two.test\ndomain d.test\n");
	dns = new_base(port);
	CHECK_EQ(evdns_base_resolv_conf_parse(dns, DNS_OPTION_SEARCH, conf), 0);
	lookup(dns, "www", 0, 0);
	evdns_base_free(dns, 0);

	printf("-- resolv.conf read without DNS_OPTION_SEARCH\n");
	write_conf("search one.test two.test\n");
	dns = new_base(port);
	CHECK_EQ(evdns_base_resolv_conf_parse(dns, DNS_OPTION_MISC, conf), 0);
	lookup(dns, "www", 0, 0);
	evdns_base_free(dns, 0);

	unlink(conf);
	evdns_close_server_port(server);
	event_base_free(base);
	return 0;
}
