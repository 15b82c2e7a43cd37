/* Configuration: adding nameservers every way (and their order in
 * evdns_base_get_nameserver_addr), option values accepted and refused, resolv.conf files and
 * their return codes, evdns_base_new's flags, the error strings, and what a base keeps in the
 * event loop with and without EVDNS_BASE_DISABLE_WHEN_INACTIVE.
 * compare-output: the printed lines must equal the system's libevent's. */
#include "dns_test.h"

static char conf[64];

static void show_nameservers(struct evdns_base *dns)
{
	int i;
	printf("  %d nameservers:", evdns_base_count_nameservers(dns));
	for (i = 0; i < 8; i++) {
		struct sockaddr_storage ss;
		char buf[64];
		int r = evdns_base_get_nameserver_addr(dns, i, (struct sockaddr *)&ss, sizeof ss);
		if (r < 0)
			break;
		if (ss.ss_family == AF_INET)
			printf(" %s:%d", inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, buf, sizeof buf),
			    ntohs(((struct sockaddr_in *)&ss)->sin_port));
		else
			printf(" [%s]:%d", inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, buf, sizeof buf),
			    ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
		printf("(%d)", r);
	}
	printf("\n");
}

static void parse(struct event_base *base, const char *text, int flags)
{
	struct evdns_base *dns = evdns_base_new(base, 0);
	const char *file = conf;
	int r;
	if (text) {
		FILE *f = fopen(conf, "w");
		CHECK(f != NULL);
		fputs(text, f);
		fclose(f);
	} else {
		file = "/nonexistent/resolv.conf";
	}
	r = evdns_base_resolv_conf_parse(dns, flags, file);
	printf("resolv.conf flags %d, %s -> %d\n", flags, text ? "file" : "missing", r);
	show_nameservers(dns);
	evdns_base_free(dns, 0);
}

static uint16_t fixed_id(void) { return 7; }
static void fixed_bytes(char *p, size_t n) { memset(p, 7, n); }

static int lookups_done;
static void result_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	(void)type; (void)count; (void)ttl; (void)addresses;
	printf("  %s: %d\n", (const char *)arg, result);
	lookups_done++;
}

static void server_cb(struct evdns_server_request *req, void *arg)
{
	(void)arg;
	evdns_server_request_add_a_reply(req, req->questions[0]->name, 1, "\1\2\3\4", 60);
	evdns_server_request_respond(req, 0);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct evdns_base *dns;
	struct sockaddr_in sin;
	struct sockaddr_storage ss;
	int i;
	static const char *opts[][2] = {
		{ "timeout:", "2.5" }, { "timeout", "x" }, { "timeout:", "0" }, { "timeout:", "0.0005" },
		{ "timeout:", "0.001" }, { "timeout:", "-1" }, { "timeout:", " 1" }, { "timeout:", "1 " },
		{ "timeout:", "1e3" }, { "timeout:junk", "1" }, { "timeoutx", "1" }, { "TIMEOUT:", "x" },
		{ "attempts:", "-1" }, { "attempts:", "-2" }, { "attempts", "3x" }, { "attempts", "" },
		{ "attempts:", " 1" }, { "attempts:", "0x10" }, { "attempts:", "1000" }, { "ndots:", "2" },
		{ "ndots:", "-1" }, { "max-timeouts:", "0" }, { "max-timeouts:", "999" }, { "max-inflight:", "-1" },
		{ "max-inflight:", "0" }, { "bind-to:", "nonsense" }, { "bind-to:", "127.0.0.1" },
		{ "so-rcvbuf:", "x" }, { "so-rcvbuf:", "-1" }, { "so-sndbuf:", "65536" },
		{ "initial-probe-timeout:", "5000" }, { "initial-probe-timeout:", "0" }, { "randomize-case:", "0" },
		{ "randomize-case:", "yes" }, { "getaddrinfo-allow-skew:", "1" }, { "getaddrinfo-allow-skew:", "" },
		{ "bogus:", "1" }, { "", "1" },
	};

	snprintf(conf, sizeof conf, "/tmp/event_rs_dns_config.%d", (int)getpid());
	evdns_set_log_fn(quiet_log);

	printf("error strings:\n");
	for (i = -1; i < 72; i++)
		if (strcmp(evdns_err_to_string(i), "[Unknown error code]"))
			printf("  %d: %s\n", i, evdns_err_to_string(i));
	printf("  1000: %s\n", evdns_err_to_string(1000));

	printf("adding nameservers:\n");
	dns = evdns_base_new(base, 0);
	CHECK(dns != NULL);
	printf("  ip_add 127.0.0.1:1001 -> %d\n", evdns_base_nameserver_ip_add(dns, "127.0.0.1:1001"));
	printf("  ip_add 127.0.0.2:1002 -> %d\n", evdns_base_nameserver_ip_add(dns, "127.0.0.2:1002"));
	printf("  ip_add 127.0.0.3 -> %d\n", evdns_base_nameserver_ip_add(dns, "127.0.0.3"));
	printf("  ip_add 127.0.0.1:1001 again -> %d\n", evdns_base_nameserver_ip_add(dns, "127.0.0.1:1001"));
	printf("  ip_add 127.0.0.3:53 (the same) -> %d\n", evdns_base_nameserver_ip_add(dns, "127.0.0.3:53"));
	printf("  ip_add bogus -> %d\n", evdns_base_nameserver_ip_add(dns, "bogus"));
	printf("  ip_add 1.2.3.4:0 -> %d\n", evdns_base_nameserver_ip_add(dns, "1.2.3.4:0"));
	printf("  ip_add [::1]:99 -> %d\n", evdns_base_nameserver_ip_add(dns, "[::1]:99"));
	printf("  nameserver_add 127.0.0.4 -> %d\n", evdns_base_nameserver_add(dns, htonl(0x7f000004)));
	sockaddr_lo(&sin, 0);
	sin.sin_addr.s_addr = htonl(0x7f000009);
	printf("  sockaddr_add 127.0.0.9 port 0 -> %d\n", evdns_base_nameserver_sockaddr_add(dns, (struct sockaddr *)&sin, sizeof sin, 0));
	sin.sin_addr.s_addr = htonl(0x7f00000a);
	printf("  sockaddr_add, length 200 -> %d\n", evdns_base_nameserver_sockaddr_add(dns, (struct sockaddr *)&sin, 200, 0));
	show_nameservers(dns);
	printf("  get addr with 4 bytes -> %d\n", evdns_base_get_nameserver_addr(dns, 0, (struct sockaddr *)&ss, 4));
	printf("  get addr 99 -> %d\n", evdns_base_get_nameserver_addr(dns, 99, (struct sockaddr *)&ss, sizeof ss));
	printf("  get addr -1 -> %d\n", evdns_base_get_nameserver_addr(dns, -1, (struct sockaddr *)&ss, sizeof ss));
	printf("  clear_and_suspend -> %d\n", evdns_base_clear_nameservers_and_suspend(dns));
	show_nameservers(dns);
	printf("  resume -> %d\n", evdns_base_resume(dns));

	printf("options:\n");
	for (i = 0; i < (int)(sizeof opts / sizeof opts[0]); i++)
		printf("  %s = \"%s\" -> %d\n", opts[i][0], opts[i][1], evdns_base_set_option(dns, opts[i][0], opts[i][1]));
	/* No effect since libevent 2.0.4; they must still be callable. */
	evdns_set_transaction_id_fn(fixed_id);
	evdns_set_random_bytes_fn(fixed_bytes);
	evdns_set_transaction_id_fn(NULL);
	evdns_set_random_bytes_fn(NULL);
	evdns_base_free(dns, 0);

	printf("resolv.conf:\n");
	parse(base, "nameserver 127.0.0.5\nnameserver 127.0.0.6:99\nsearch a.b c.d\noptions ndots:2 timeout:1 attempts:4 rotate\n", DNS_OPTIONS_ALL);
	parse(base, "# nothing\n", DNS_OPTIONS_ALL);
	parse(base, "", DNS_OPTION_NAMESERVERS | DNS_OPTION_NAMESERVERS_NO_DEFAULT);
	parse(base, "", DNS_OPTION_SEARCH);
	parse(base, "nameserver 127.0.0.5\n", DNS_OPTION_SEARCH | DNS_OPTION_MISC);
	parse(base, NULL, DNS_OPTIONS_ALL);
	parse(base, NULL, DNS_OPTION_NAMESERVERS | DNS_OPTION_NAMESERVERS_NO_DEFAULT);
	parse(base, NULL, DNS_OPTION_SEARCH);
	parse(base, "nameserver bogus\nnameserver\n  nameserver\t127.0.0.7  extra\n#nameserver 127.0.0.8\n"
	      "nameserver 127.0.0.9\r\nnameserver [::1]:5353\noptions timeout:x\n", DNS_OPTION_NAMESERVERS);
	parse(base, "nameserver 127.0.0.5\nnameserver 127.0.0.5\nnameserver 127.0.0.6\0nameserver 127.0.0.7\n", DNS_OPTION_NAMESERVERS);
	dns = evdns_base_new(base, 0);
	printf("resolv.conf a directory -> %d\n", evdns_base_resolv_conf_parse(dns, DNS_OPTIONS_ALL, "/tmp"));
	show_nameservers(dns);
	printf("resolv.conf NULL -> %d\n", evdns_base_resolv_conf_parse(dns, DNS_OPTIONS_ALL, NULL));
	show_nameservers(dns);
	evdns_base_free(dns, 0);
	unlink(conf);

	printf("evdns_base_new flags:\n");
	dns_warnings = 0;
	dns = evdns_base_new(base, 0x40);
	printf("  unknown flag: %d warning(s)\n", dns_warnings);
	if (dns)
		evdns_base_free(dns, 0);

	printf("events kept in the loop:\n");
	{
		int fd, port, k;
		struct evdns_server_port *server;
		fd = udp_socket(&port);
		server = evdns_add_server_port_with_base(base, fd, 0, server_cb, NULL);
		printf("  server port: %d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
		for (k = 0; k < 2; k++) {
			int flags = k ? EVDNS_BASE_DISABLE_WHEN_INACTIVE : 0;
			dns = evdns_base_new(base, flags);
			CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(port)), 0);
			printf("  flags %x, idle: %d\n", flags, event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
			lookups_done = 0;
			CHECK(evdns_base_resolve_ipv4(dns, "x.test", 0, result_cb, "lookup") != NULL);
			printf("  flags %x, lookup sent: %d\n", flags, event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
			run_until(base, &lookups_done);
			printf("  flags %x, after it: %d\n", flags, event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
			evdns_base_free(dns, 0);
			printf("  freed: %d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
		}
		evdns_close_server_port(server);
		printf("  port closed: %d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	}
	event_base_free(base);
	return 0;
}
