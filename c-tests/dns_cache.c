/* libevent 2.2's response cache, against an evdns server port in the process that counts the
 * queries it gets: off until the program writes to it (so that a 2.1 program sends a packet
 * per lookup, as before); evdns_cache_write()/evdns_cache_lookup(); evdns_getaddrinfo answered
 * from the cache without a packet, then keeping its own answers until their TTL runs out
 * (a 1-second TTL, waited out generously); an IPv4-only answer does not answer both
 * families; EVDNS_BASE_NO_CACHE.
 * needs: event_rs (libevent 2.1.12 has no cache) */
#include "dns_test.h"

static struct event_base *base;
static int queries, done, gai_result;
static struct evutil_addrinfo *gai_res;

static void server_cb(struct evdns_server_request *req, void *arg)
{
	const char *name = req->questions[0]->name;
	unsigned char a[4] = { 10, 0, 0, 1 };
	unsigned char a6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	(void)arg;
	queries++;
	/* "short.*" lives 1 second; the others 300. */
	if (req->questions[0]->type == EVDNS_TYPE_A)
		evdns_server_request_add_a_reply(req, name, 1, a, strncasecmp(name, "short.", 6) ? 300 : 1);
	else if (req->questions[0]->type == EVDNS_TYPE_AAAA)
		evdns_server_request_add_aaaa_reply(req, name, 1, a6, strncasecmp(name, "short.", 6) ? 300 : 1);
	CHECK_EQ(evdns_server_request_respond(req, 0), 0);
}

static void gai_cb(int result, struct evutil_addrinfo *res, void *arg)
{
	(void)arg;
	gai_result = result;
	gai_res = res;
	done = 1;
}

/* evdns_getaddrinfo for `name` (port 80, TCP); the number of packets it cost. The first
 * address's last byte goes to *last. */
static int gai(struct evdns_base *dns, const char *name, int family, int *last)
{
	struct evutil_addrinfo hints;
	int before = queries;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	done = 0;
	gai_res = NULL;
	if (evdns_getaddrinfo(dns, name, "80", &hints, gai_cb, NULL) != NULL)
		run_until(base, &done);
	CHECK(done);
	CHECK_EQ(gai_result, 0);
	CHECK(gai_res != NULL);
	CHECK_EQ(ntohs(((struct sockaddr_in *)gai_res->ai_addr)->sin_port), 80);
	if (last) {
		CHECK_EQ(gai_res->ai_family, AF_INET);
		*last = ((unsigned char *)&((struct sockaddr_in *)gai_res->ai_addr)->sin_addr)[3];
	}
	evutil_freeaddrinfo(gai_res);
	return queries - before;
}

static struct evutil_addrinfo *numeric(const char *ip)
{
	struct evutil_addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_flags = EVUTIL_AI_NUMERICHOST;
	CHECK_EQ(evutil_getaddrinfo(ip, NULL, &hints, &res), 0);
	return res;
}

static struct evdns_base *new_base(int port, int flags)
{
	struct evdns_base *dns = evdns_base_new(base, flags);
	CHECK(dns != NULL);
	CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(port)), 0);
	return dns;
}

int main(void)
{
	struct evdns_server_port *server;
	struct evdns_base *dns;
	struct evutil_addrinfo hints, *res, *ai;
	int port, last = 0, n;

	base = event_base_new();
	CHECK(base != NULL);
	evdns_set_log_fn(quiet_log);
	server = evdns_add_server_port_with_base(base, udp_socket(&port), 0, server_cb, NULL);
	CHECK(server != NULL);

	/* No cache until the program writes to it: every lookup is a packet, as in 2.1. */
	dns = new_base(port, 0);
	CHECK_EQ(gai(dns, "a.example", AF_INET, NULL), 1);
	CHECK_EQ(gai(dns, "a.example", AF_INET, NULL), 1);
	memset(&hints, 0, sizeof hints);
	res = (struct evutil_addrinfo *)1;
	CHECK_EQ(evdns_cache_lookup(dns, "a.example", &hints, 80, &res), -1);
	CHECK(res == NULL);

	/* A written entry answers, with no packet. */
	ai = numeric("10.9.9.9");
	evdns_cache_write(dns, "w.example", ai, 60);
	evutil_freeaddrinfo(ai);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_DGRAM;
	CHECK_EQ(evdns_cache_lookup(dns, "W.Example", &hints, 53, &res), 0);
	CHECK(res != NULL);
	CHECK_EQ(res->ai_family, AF_INET);
	CHECK_EQ(res->ai_socktype, SOCK_DGRAM);
	CHECK(res->ai_next == NULL);
	CHECK_EQ(ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port), 53);
	CHECK_EQ(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr, htonl(0x0a090909));
	evutil_freeaddrinfo(res);
	hints.ai_family = AF_INET6;
	CHECK_EQ(evdns_cache_lookup(dns, "w.example", &hints, 53, &res), -1);
	CHECK_EQ(gai(dns, "w.example", AF_INET, &last), 0);
	CHECK_EQ(last, 9);
	/* NULL hints: any family. */
	CHECK_EQ(evdns_cache_lookup(dns, "w.example", NULL, 0, &res), 0);
	evutil_freeaddrinfo(res);

	/* From now on evdns_getaddrinfo keeps its answers: the second lookup costs nothing. */
	CHECK_EQ(gai(dns, "b.example", AF_INET, &last), 1);
	CHECK_EQ(last, 1);
	CHECK_EQ(gai(dns, "b.example", AF_INET, &last), 0);
	CHECK_EQ(last, 1);
	/* That answer was IPv4 only: a lookup for both families asks (both halves). */
	CHECK_EQ(gai(dns, "b.example", AF_UNSPEC, NULL), 2);
	CHECK_EQ(gai(dns, "b.example", AF_UNSPEC, NULL), 0);
	CHECK_EQ(gai(dns, "b.example", AF_INET6, NULL), 0);

	/* A 1-second TTL: reused at once, asked again once it ran out. */
	CHECK_EQ(gai(dns, "short.example", AF_INET, NULL), 1);
	CHECK_EQ(gai(dns, "short.example", AF_INET, NULL), 0);
	ai = numeric("10.7.7.7");
	evdns_cache_write(dns, "one-second.example", ai, 1);
	evutil_freeaddrinfo(ai);
	CHECK_EQ(evdns_cache_lookup(dns, "one-second.example", NULL, 0, &res), 0);
	evutil_freeaddrinfo(res);
	run_for(base, 2500);
	CHECK_EQ(gai(dns, "short.example", AF_INET, NULL), 1);
	CHECK_EQ(evdns_cache_lookup(dns, "one-second.example", NULL, 0, &res), -1);
	/* A TTL of 0 removes an entry. */
	ai = numeric("10.9.9.8");
	evdns_cache_write(dns, "w.example", ai, 0);
	evutil_freeaddrinfo(ai);
	CHECK_EQ(evdns_cache_lookup(dns, "w.example", NULL, 0, &res), -1);
	/* Bad arguments change nothing. */
	evdns_cache_write(dns, NULL, NULL, 10);
	evdns_cache_write(dns, "x.example", NULL, 10);
	CHECK_EQ(evdns_cache_lookup(dns, NULL, NULL, 0, &res), -1);
	CHECK_EQ(evdns_cache_lookup(NULL, "x.example", NULL, 0, &res), -1);
	evdns_base_free(dns, 0);

	/* EVDNS_BASE_NO_CACHE: writes are ignored and every lookup is a packet. */
	dns = new_base(port, EVDNS_BASE_NO_CACHE);
	ai = numeric("10.9.9.9");
	evdns_cache_write(dns, "w.example", ai, 60);
	evutil_freeaddrinfo(ai);
	CHECK_EQ(evdns_cache_lookup(dns, "w.example", NULL, 0, &res), -1);
	n = gai(dns, "w.example", AF_INET, &last);
	CHECK_EQ(n, 1);
	CHECK_EQ(last, 1);
	CHECK_EQ(gai(dns, "w.example", AF_INET, NULL), 1);
	evdns_base_free(dns, 0);

	evdns_close_server_port(server);
	event_base_free(base);
	printf("ok\n");
	return 0;
}
