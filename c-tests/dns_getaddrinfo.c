/* evdns_getaddrinfo: answers given at once (numeric names, no name, bad arguments, hosts-file
 * entries), and resolved ones (both families, one family missing or silent, NXDOMAIN,
 * SERVFAIL, CNAME as the canonical name, ports and socket types), and cancelling.
 * compare-output: the printed lines must equal the system's libevent's. */
#include "dns_test.h"

static struct event_base *base;
static int done;
static char hosts[64];

static void server_cb(struct evdns_server_request *req, void *arg)
{
	char name[256];
	int i, t = req->questions[0]->type;
	unsigned char v4[4] = { 9, 9, 9, 9 };
	unsigned char v6[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9 };
	(void)arg;
	snprintf(name, sizeof name, "%s", req->questions[0]->name);
	for (i = 0; name[i]; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	if (!strcmp(name, "both.test")) {
		if (t == EVDNS_TYPE_A)
			evdns_server_request_add_a_reply(req, req->questions[0]->name, 1, v4, 300);
		else
			evdns_server_request_add_aaaa_reply(req, req->questions[0]->name, 1, v6, 300);
		evdns_server_request_respond(req, 0);
	} else if (!strcmp(name, "cname.test")) {
		evdns_server_request_add_cname_reply(req, req->questions[0]->name, "real.test", 77);
		if (t == EVDNS_TYPE_A)
			evdns_server_request_add_a_reply(req, "real.test", 1, v4, 300);
		else
			evdns_server_request_add_aaaa_reply(req, "real.test", 1, v6, 300);
		evdns_server_request_respond(req, 0);
	} else if (!strcmp(name, "v4only.test")) {
		if (t == EVDNS_TYPE_A)
			evdns_server_request_add_a_reply(req, req->questions[0]->name, 1, v4, 300);
		evdns_server_request_respond(req, 0);
	} else if (!strcmp(name, "v6only.test")) {
		if (t == EVDNS_TYPE_AAAA)
			evdns_server_request_add_aaaa_reply(req, req->questions[0]->name, 1, v6, 300);
		evdns_server_request_respond(req, 0);
	} else if (!strcmp(name, "v6silent.test")) {
		if (t == EVDNS_TYPE_A) {
			evdns_server_request_add_a_reply(req, req->questions[0]->name, 1, v4, 300);
			evdns_server_request_respond(req, 0);
		} else {
			evdns_server_request_drop(req);
		}
	} else if (!strcmp(name, "v4nx.test")) {
		if (t == EVDNS_TYPE_A) {
			evdns_server_request_respond(req, DNS_ERR_NOTEXIST);
		} else {
			evdns_server_request_add_aaaa_reply(req, req->questions[0]->name, 1, v6, 300);
			evdns_server_request_respond(req, 0);
		}
	} else if (!strcmp(name, "servfail.test")) {
		evdns_server_request_respond(req, DNS_ERR_SERVERFAILED);
	} else if (!strcmp(name, "silent.test")) {
		evdns_server_request_drop(req);
	} else {
		evdns_server_request_respond(req, DNS_ERR_NOTEXIST);
	}
}

static void gai_cb(int result, struct evutil_addrinfo *res, void *arg)
{
	struct evutil_addrinfo *ai;
	printf("  %s: %d (%s)", (const char *)arg, result, evutil_gai_strerror(result));
	for (ai = res; ai; ai = ai->ai_next) {
		char buf[64];
		int port;
		if (ai->ai_family == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, buf, sizeof buf);
			port = ntohs(((struct sockaddr_in *)ai->ai_addr)->sin_port);
		} else {
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, buf, sizeof buf);
			port = ntohs(((struct sockaddr_in6 *)ai->ai_addr)->sin6_port);
		}
		printf(" [%s port %d socktype %d protocol %d addrlen %d flags %x canon %s]", buf, port, ai->ai_socktype,
		    ai->ai_protocol, (int)ai->ai_addrlen, (unsigned)ai->ai_flags, ai->ai_canonname ? ai->ai_canonname : "-");
	}
	printf("\n");
	if (result != 0)
		CHECK(res == NULL);
	if (res)
		evutil_freeaddrinfo(res);
	done = 1;
}

static void gai(struct evdns_base *dns, const char *node, const char *serv, int family, int socktype, int flags, int cancel)
{
	struct evutil_addrinfo h;
	struct evdns_getaddrinfo_request *r;
	memset(&h, 0, sizeof h);
	h.ai_family = family;
	h.ai_socktype = socktype;
	h.ai_flags = flags;
	printf("%s / %s family %d socktype %d flags %x%s\n", node ? node : "NULL", serv ? serv : "NULL", family, socktype, flags, cancel ? " (cancelled)" : "");
	done = 0;
	r = evdns_getaddrinfo(dns, node, serv, &h, gai_cb, (void *)"callback");
	printf("  returned %s\n", r ? "a request" : "NULL");
	if (!r) {
		CHECK(done);
		return;
	}
	CHECK(!done);
	if (cancel)
		evdns_getaddrinfo_cancel(r);
	run_until(base, &done);
}

int main(void)
{
	int port, fd;
	struct evdns_server_port *server;
	struct evdns_base *dns;
	FILE *f;

	snprintf(hosts, sizeof hosts, "/tmp/event_rs_dns_hosts.%d", (int)getpid());
	base = event_base_new();
	fd = udp_socket(&port);
	server = evdns_add_server_port_with_base(base, fd, 0, server_cb, NULL);
	evdns_set_log_fn(quiet_log);
	dns = evdns_base_new(base, 0);
	CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(port)), 0);
	CHECK_EQ(evdns_base_set_option(dns, "timeout:", "1"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "attempts:", "1"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "getaddrinfo-allow-skew:", "1"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "initial-probe-timeout:", "3600"), 0);

	printf("== answered at once\n");
	gai(dns, "127.0.0.1", "80", AF_UNSPEC, 0, 0, 0);
	gai(dns, "::1", "http", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "10.0.0.1", "53", AF_INET6, SOCK_DGRAM, 0, 0);
	gai(dns, NULL, "80", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, NULL, "80", AF_UNSPEC, SOCK_STREAM, EVUTIL_AI_PASSIVE, 0);
	gai(dns, NULL, "80", AF_INET6, 0, EVUTIL_AI_PASSIVE, 0);
	gai(dns, NULL, NULL, AF_UNSPEC, 0, 0, 0);
	gai(dns, "x.test", "no-such-service", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "x.test", "http", AF_UNSPEC, SOCK_STREAM, EVUTIL_AI_NUMERICSERV, 0);
	gai(dns, "x.test", "7", 99, SOCK_STREAM, 0, 0);
	gai(dns, "x.test", "7", AF_UNSPEC, SOCK_STREAM, EVUTIL_AI_NUMERICHOST, 0);
	gai(dns, "1.2.3.4", "7", AF_INET, SOCK_STREAM, EVUTIL_AI_NUMERICHOST, 0);

	printf("== hosts file\n");
	f = fopen(hosts, "w");
	CHECK(f != NULL);
	fputs("# comment\n10.0.0.1 h1 alias1 # c\n10.0.0.2\th2\n::5 h1 h6\n1.2.3.4:80 bad\n"
	      "  10.0.0.3 h3#x y\n10.0.0.4 #h4\n10.0.0.5 H5\r\n10.0.0.6 h6", f);
	fclose(f);
	CHECK_EQ(evdns_base_load_hosts(dns, hosts), 0);
	gai(dns, "h1", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "H1", "7", AF_INET, 0, 0, 0);
	gai(dns, "h2", "7", AF_INET6, SOCK_STREAM, 0, 0);
	gai(dns, "h3", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "alias1", "7", AF_UNSPEC, SOCK_DGRAM, 0, 0);
	gai(dns, "h6", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "h5\r", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "h5", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "y", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "bad", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "localhost", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	CHECK_EQ(evdns_base_load_hosts(dns, "/nonexistent/hosts"), -1);
	gai(dns, "localhost", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	evdns_base_clear_host_addresses(dns);
	CHECK_EQ(evdns_base_load_hosts(dns, NULL), 0);
	gai(dns, "localhost", "7", AF_INET, SOCK_STREAM, 0, 0);
	evdns_base_clear_host_addresses(dns);
	gai(dns, "h1", "7", AF_INET, SOCK_STREAM, 0, 0);
	unlink(hosts);

	printf("== resolved\n");
	gai(dns, "both.test", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "both.test", NULL, AF_INET, 0, 0, 0);
	gai(dns, "both.test", "7", AF_INET6, SOCK_STREAM, 0, 0);
	gai(dns, "cname.test", "7", AF_UNSPEC, SOCK_STREAM, EVUTIL_AI_CANONNAME, 0);
	gai(dns, "cname.test", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "cname.test", NULL, AF_INET, 0, EVUTIL_AI_CANONNAME, 0);
	gai(dns, "v4only.test", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "v6only.test", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "v6silent.test", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "v4nx.test", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "nx.test", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "v4only.test", "7", AF_INET6, SOCK_STREAM, 0, 0);
	gai(dns, "servfail.test", "7", AF_UNSPEC, SOCK_STREAM, 0, 0);
	gai(dns, "silent.test", "7", AF_INET, SOCK_STREAM, 0, 0);
	gai(dns, "::1", "http", AF_INET, SOCK_STREAM, 0, 0);

	printf("== cancelled\n");
	gai(dns, "both.test", "7", AF_UNSPEC, SOCK_STREAM, 0, 1);
	gai(dns, "silent.test", "7", AF_INET, SOCK_STREAM, 0, 1);

	evdns_base_free(dns, 0);
	evdns_close_server_port(server);
	event_base_free(base);
	return 0;
}
