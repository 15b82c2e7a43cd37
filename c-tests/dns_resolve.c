/* The resolver against an evdns server port in the same process: A, AAAA, PTR (v4 and v6),
 * CNAME, NXDOMAIN and NODATA (with their SOA TTLs), SERVFAIL (retried, then a timeout, as
 * libevent does), REFUSED, NOTIMPL, unknown codes, truncation, a server that never answers,
 * more addresses than are kept, TTL corner cases, names that cannot be sent.
 * compare-output: the printed lines must equal the system's libevent's. */
#include "dns_test.h"

static struct event_base *base;
static int queries, done;
static char seen[512];

static void soa(struct evdns_server_request *req, int ttl, unsigned minimum)
{
	unsigned char d[64];
	unsigned v[5] = { 1, 2, 3, 4, 0 };
	int j = 0, i;
	v[4] = minimum;
	memcpy(d + j, "\2ns\7example\0", 12); j += 12;
	memcpy(d + j, "\4host\7example\0", 14); j += 14;
	for (i = 0; i < 5; i++) { unsigned x = htonl(v[i]); memcpy(d + j, &x, 4); j += 4; }
	CHECK_EQ(evdns_server_request_add_reply(req, EVDNS_AUTHORITY_SECTION, "example", EVDNS_TYPE_SOA, EVDNS_CLASS_INET, ttl, j, 0, (char *)d), 0);
}

static void server_cb(struct evdns_server_request *req, void *arg)
{
	char name[256];
	int t, i;
	(void)arg;
	queries++;
	CHECK_EQ(req->nquestions, 1);
	CHECK_EQ(req->questions[0]->dns_question_class, EVDNS_CLASS_INET);
	/* The resolver mixes the case of letters (randomize-case): compare without it. */
	snprintf(name, sizeof name, "%s", req->questions[0]->name);
	for (i = 0; name[i]; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	t = req->questions[0]->type;
	snprintf(seen + strlen(seen), sizeof seen - strlen(seen), " %s/%d", name, t);
	if (!strncmp(name, "a.", 2)) {
		unsigned char v4[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
		unsigned char v6[16] = { 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
		if (t == EVDNS_TYPE_A)
			CHECK_EQ(evdns_server_request_add_a_reply(req, req->questions[0]->name, 2, v4, 300), 0);
		else if (t == EVDNS_TYPE_AAAA)
			CHECK_EQ(evdns_server_request_add_aaaa_reply(req, req->questions[0]->name, 1, v6, 200), 0);
		CHECK_EQ(evdns_server_request_respond(req, 0), 0);
	} else if (!strncmp(name, "many.", 5)) {
		unsigned char a[160];
		for (i = 0; i < 160; i++)
			a[i] = (unsigned char)i;
		evdns_server_request_add_a_reply(req, req->questions[0]->name, 40, a, 100);
		evdns_server_request_respond(req, 0);
	} else if (!strncmp(name, "cname.", 6)) {
		unsigned char a[4] = { 9, 9, 9, 9 };
		evdns_server_request_add_cname_reply(req, req->questions[0]->name, "real.example", 77);
		evdns_server_request_add_a_reply(req, "real.example", 1, a, 300);
		evdns_server_request_respond(req, 0);
	} else if (!strncmp(name, "nx.", 3)) {
		soa(req, 42, 30);
		evdns_server_request_respond(req, DNS_ERR_NOTEXIST);
	} else if (!strncmp(name, "nodata.", 7)) {
		soa(req, 20, 600);
		evdns_server_request_respond(req, 0);
	} else if (!strncmp(name, "rc", 2)) {
		evdns_server_request_respond(req, atoi(name + 2));
	} else if (!strncmp(name, "silent.", 7)) {
		evdns_server_request_drop(req);
	} else if (!strncmp(name, "big.", 4)) {
		char txt[60];
		unsigned char a[4] = { 7, 7, 7, 7 };
		memset(txt, 'x', sizeof txt);
		evdns_server_request_add_a_reply(req, req->questions[0]->name, 1, a, 5);
		for (i = 0; i < 12; i++)
			evdns_server_request_add_reply(req, EVDNS_ADDITIONAL_SECTION, "big.example", EVDNS_TYPE_TXT, 1, 1, sizeof txt, 0, txt);
		evdns_server_request_respond(req, 0);
	} else if (!strncmp(name, "empty.", 6)) {
		/* An A record with no data: an answer with no address. */
		evdns_server_request_add_reply(req, EVDNS_ANSWER_SECTION, req->questions[0]->name, EVDNS_TYPE_A, 1, 9, 0, 0, NULL);
		evdns_server_request_respond(req, 0);
	} else if (!strncmp(name, "ttlmax.", 7) || !strncmp(name, "ttlneg.", 7)) {
		unsigned char a[4] = { 1, 1, 1, 1 };
		evdns_server_request_add_a_reply(req, req->questions[0]->name, 1, a, name[3] == 'm' ? -1 : (int)0x80000000u);
		evdns_server_request_respond(req, 0);
	} else if (strstr(name, ".in-addr.arpa") || strstr(name, ".ip6.arpa")) {
		evdns_server_request_add_ptr_reply(req, NULL, req->questions[0]->name, "host.example", 60);
		evdns_server_request_respond(req, 0);
	} else {
		evdns_server_request_respond(req, DNS_ERR_NOTEXIST);
	}
}

static void result_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	int i;
	printf("%s: %d (%s) type %d count %d ttl %d", (const char *)arg, result, evdns_err_to_string(result), type, count, ttl);
	if (result == DNS_ERR_NONE && type == DNS_IPv4_A) {
		const unsigned char *a = addresses;
		for (i = 0; i < count; i++)
			if (i < 2 || i == count - 1)
				printf(" %d.%d.%d.%d", a[4 * i], a[4 * i + 1], a[4 * i + 2], a[4 * i + 3]);
	} else if (result == DNS_ERR_NONE && type == DNS_IPv6_AAAA) {
		char buf[64];
		for (i = 0; i < count; i++)
			printf(" %s", inet_ntop(AF_INET6, (const char *)addresses + 16 * i, buf, sizeof buf));
	} else if (result == DNS_ERR_NONE && type == DNS_PTR) {
		CHECK_EQ(count, 1);
		printf(" %s", *(char **)addresses);
	} else {
		CHECK(addresses == NULL);
		CHECK_EQ(count, 0);
	}
	printf(" | server saw%s\n", seen);
	done = 1;
}

enum kind { V4, V6, REV4, REV6 };

static void lookup(struct evdns_base *dns, enum kind k, const char *name)
{
	struct evdns_request *r = NULL;
	queries = 0;
	done = 0;
	seen[0] = 0;
	if (k == V4) {
		r = evdns_base_resolve_ipv4(dns, name, 0, result_cb, (void *)name);
	} else if (k == V6) {
		r = evdns_base_resolve_ipv6(dns, name, 0, result_cb, (void *)name);
	} else if (k == REV4) {
		struct in_addr in;
		CHECK_EQ(inet_pton(AF_INET, name, &in), 1);
		r = evdns_base_resolve_reverse(dns, &in, 0, result_cb, (void *)name);
	} else {
		struct in6_addr in6;
		CHECK_EQ(inet_pton(AF_INET6, name, &in6), 1);
		r = evdns_base_resolve_reverse_ipv6(dns, &in6, 0, result_cb, (void *)name);
	}
	CHECK(r != NULL);
	run_until(base, &done);
}

int main(void)
{
	int port, fd;
	struct evdns_server_port *server;
	struct evdns_base *dns;
	char longname[300];

	base = event_base_new();
	fd = udp_socket(&port);
	server = evdns_add_server_port_with_base(base, fd, 0, server_cb, NULL);
	CHECK(server != NULL);
	evdns_set_log_fn(quiet_log);
	dns = evdns_base_new(base, 0);
	CHECK(dns != NULL);
	CHECK_EQ(evdns_base_count_nameservers(dns), 0);
	CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(port)), 0);
	CHECK_EQ(evdns_base_count_nameservers(dns), 1);
	CHECK_EQ(evdns_base_set_option(dns, "timeout:", "1"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "attempts:", "2"), 0);
	/* No probe of a failed server during the test (it would show up at the server). */
	CHECK_EQ(evdns_base_set_option(dns, "initial-probe-timeout", "3600"), 0);

	lookup(dns, V4, "a.example");
	lookup(dns, V6, "a.example");
	lookup(dns, V4, "A.Example.");
	lookup(dns, V4, "many.example");
	lookup(dns, V4, "cname.example");
	lookup(dns, V6, "cname.example");
	lookup(dns, V4, "nx.example");
	lookup(dns, V4, "nodata.example");
	lookup(dns, V4, "empty.example");
	lookup(dns, V4, "ttlmax.example");
	lookup(dns, V4, "ttlneg.example");
	lookup(dns, V4, "rc1.example");
	lookup(dns, V4, "rc2.example");
	lookup(dns, V4, "rc4.example");
	lookup(dns, V4, "rc5.example");
	lookup(dns, V4, "rc9.example");
	lookup(dns, V4, "silent.example");
	lookup(dns, V4, "big.example");
	lookup(dns, V4, "a.example");
	lookup(dns, REV4, "10.1.2.3");
	lookup(dns, REV6, "2001:db8::a:b");

	/* Names that cannot be sent: no lookup, no callback. */
	memset(longname, 'a', sizeof longname);
	longname[299] = 0;
	CHECK(evdns_base_resolve_ipv4(dns, longname, 0, result_cb, NULL) == NULL);
	memset(longname, 'b', 64);
	strcpy(longname + 64, ".example");
	CHECK(evdns_base_resolve_ipv4(dns, longname, 0, result_cb, NULL) == NULL);
	run_ready(base);

	printf("warnings: %s\n", dns_warnings ? "some" : "none");
	evdns_base_free(dns, 0);
	evdns_close_server_port(server);
	event_base_free(base);
	return 0;
}
