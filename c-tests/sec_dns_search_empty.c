/* CVE-2016-10197: with a search list configured, search_make_new read the byte before an
 * empty host name (base_name[base_len - 1] with base_len 0), an out-of-bounds read before
 * 2.1.6. Lookups of "", ".", "..", and names of one character go through the search list to a
 * fake nameserver in this process that answers NXDOMAIN and records the names asked.
 * compare-output: the calls' results, callbacks and the names queried are libevent 2.1.12's. */
#include "dns_test.h"

static struct event_base *base;
static struct evdns_base *dns;
static int done, cb_result, cb_count;

static void fake_ns_cb(evutil_socket_t fd, short what, void *arg)
{
	unsigned char q[1500];
	struct sockaddr_in from;
	socklen_t fl = sizeof from;
	int n, i;
	char name[300];
	(void)what; (void)arg;
	while ((n = recvfrom(fd, q, sizeof q, 0, (struct sockaddr *)&from, &fl)) >= 12) {
		/* The question's name, printed as text (queries are well-formed: no pointers). */
		int at = 12, o = 0;
		while (at < n && q[at] && o < 280) {
			int l = q[at++];
			if (o)
				name[o++] = '.';
			for (i = 0; i < l && at < n; i++)
				name[o++] = (char)q[at++];
		}
		name[o] = 0;
		printf("  asked \"%s\" type %d\n", name, at + 2 < n ? q[at + 2] : -1);
		q[2] = 0x81;
		q[3] = 0x83; /* NXDOMAIN */
		sendto(fd, q, n, 0, (struct sockaddr *)&from, fl);
	}
}

static void result_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	(void)type; (void)ttl; (void)addresses; (void)arg;
	cb_result = result;
	cb_count = count;
	done = 1;
}

static void lookup(const char *name, int ipv6, int flags)
{
	struct evdns_request *req;
	done = 0;
	/* A heap copy of exactly the name's size: valgrind sees a read before or after it. */
	char *copy = malloc(strlen(name) + 1);
	CHECK(copy != NULL);
	strcpy(copy, name);
	printf("resolve_%s(\"%s\", %s):\n", ipv6 ? "ipv6" : "ipv4", name, flags ? "NO_SEARCH" : "search");
	req = ipv6 ? evdns_base_resolve_ipv6(dns, copy, flags, result_cb, NULL)
	           : evdns_base_resolve_ipv4(dns, copy, flags, result_cb, NULL);
	free(copy);
	if (req == NULL && !done) {
		printf("  no request\n");
		return;
	}
	run_until(base, &done);
	printf("  result %d (%s) count %d\n", cb_result, evdns_err_to_string(cb_result), cb_count);
}

int main(void)
{
	static const char *names[] = { "", ".", "..", "a", "a.", ".a" };
	int port, fd;
	size_t i;
	struct event *ev;

	base = event_base_new();
	evdns_set_log_fn(quiet_log);
	fd = udp_socket(&port);
	ev = event_new(base, fd, EV_READ | EV_PERSIST, fake_ns_cb, NULL);
	event_add(ev, NULL);
	dns = evdns_base_new(base, 0);
	CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(port)), 0);
	CHECK_EQ(evdns_base_set_option(dns, "initial-probe-timeout:", "3600"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "randomize-case:", "0"), 0);
	evdns_base_search_add(dns, "example.com");
	evdns_base_search_add(dns, "b");
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		lookup(names[i], 0, 0);
		lookup(names[i], 1, 0);
		lookup(names[i], 0, DNS_QUERY_NO_SEARCH);
	}
	/* ndots higher than any name's dots: every name goes through the list first. */
	evdns_base_search_ndots_set(dns, 5);
	lookup("", 0, 0);
	lookup("x.y", 0, 0);
	/* An empty search domain. */
	evdns_base_search_clear(dns);
	evdns_base_search_add(dns, "");
	lookup("", 0, 0);
	lookup("h", 0, 0);

	evdns_base_free(dns, 0);
	event_free(ev);
	close(fd);
	event_base_free(base);
	return 0;
}
