/* The deprecated calls of dns_compat.h and <evdns.h>, on the global evdns_base and the
 * current event base of event_init(): the configuration calls make the global base, lookups
 * of every kind, search settings, suspend and resume, resolv.conf, a server port on the
 * current base, evdns_shutdown (which also forgets the log callback), and evdns_init.
 * compare-output: the printed lines must equal the system's libevent's. */
#include <evdns.h>
#include "dns_test.h"

static int done;

static void event_log(int severity, const char *msg)
{
	printf("  event log %d: %s\n", severity, msg);
}

static void server_cb(struct evdns_server_request *req, void *arg)
{
	int t = req->questions[0]->type;
	(void)arg;
	if (!strcasecmp(req->questions[0]->name, "hold.test")) {
		evdns_server_request_drop(req);
		return;
	}
	if (t == EVDNS_TYPE_A && strncasecmp(req->questions[0]->name, "found.", 6) && strncasecmp(req->questions[0]->name, "a.", 2)) {
		evdns_server_request_respond(req, DNS_ERR_NOTEXIST);
		return;
	}
	if (t == EVDNS_TYPE_A)
		evdns_server_request_add_a_reply(req, req->questions[0]->name, 1, "\1\2\3\4", 60);
	else if (t == EVDNS_TYPE_AAAA)
		evdns_server_request_add_aaaa_reply(req, req->questions[0]->name, 1, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\1", 60);
	else
		evdns_server_request_add_ptr_reply(req, NULL, req->questions[0]->name, "ptr.test", 60);
	evdns_server_request_respond(req, 0);
}

static void result_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	(void)addresses;
	printf("  %s: %d type %d count %d ttl %d\n", (const char *)arg, result, type, count, ttl);
	done++;
}

static void wait_done(int n)
{
	while (done < n)
		event_loop(EVLOOP_ONCE);
}

int main(void)
{
	int fd, port, r;
	char addr[32], conf[64], text[64];
	struct in_addr in;
	struct in6_addr in6;
	struct evdns_server_port *server;
	FILE *f;

	event_set_log_callback(event_log);
	CHECK(event_init() != NULL);
	CHECK(evdns_get_global_base() == NULL);

	fd = udp_socket(&port);
	server = evdns_add_server_port(fd, 0, server_cb, NULL);
	CHECK(server != NULL);
	snprintf(addr, sizeof addr, "127.0.0.1:%d", port);

	printf("configuration makes the global base\n");
	printf("  set_option -> %d\n", evdns_set_option("timeout:", "2", 0));
	CHECK(evdns_get_global_base() != NULL);
	evdns_set_log_fn(quiet_log);
	printf("  set_option attempts -> %d\n", evdns_set_option("attempts:", "1", 12345));
	printf("  set_option probe -> %d\n", evdns_set_option("initial-probe-timeout", "3600", 0));
	r = evdns_nameserver_ip_add(addr);
	printf("  ip_add -> %d, count %d\n", r, evdns_count_nameservers());

	printf("lookups\n");
	done = 0;
	printf("  resolve_ipv4 -> %d\n", evdns_resolve_ipv4("a.test", 0, result_cb, "ipv4"));
	printf("  resolve_ipv6 -> %d\n", evdns_resolve_ipv6("a.test", DNS_NO_SEARCH, result_cb, "ipv6"));
	inet_pton(AF_INET, "192.0.2.7", &in);
	printf("  resolve_reverse -> %d\n", evdns_resolve_reverse(&in, 0, result_cb, "reverse"));
	inet_pton(AF_INET6, "2001:db8::7", &in6);
	printf("  resolve_reverse_ipv6 -> %d\n", evdns_resolve_reverse_ipv6(&in6, 0, result_cb, "reverse ipv6"));
	wait_done(4);

	printf("search\n");
	evdns_search_add("one.test");
	evdns_search_ndots_set(2);
	done = 0;
	evdns_resolve_ipv4("found.x", 0, result_cb, "found.x");
	wait_done(1);
	evdns_search_clear();
	evdns_resolve_ipv4("found", 0, result_cb, "found after search_clear");
	wait_done(2);

	printf("suspend and resume\n");
	r = evdns_nameserver_add(htonl(0x7f000001));
	printf("  nameserver_add 127.0.0.1:53 -> %d, count %d\n", r, evdns_count_nameservers());
	r = evdns_clear_nameservers_and_suspend();
	printf("  clear_nameservers_and_suspend -> %d, count %d\n", r, evdns_count_nameservers());
	done = 0;
	printf("  resolve while suspended -> %d\n", evdns_resolve_ipv4("a.test", 0, result_cb, "after resume"));
	event_loop(EVLOOP_NONBLOCK);
	CHECK_EQ(done, 0);
	snprintf(conf, sizeof conf, "/tmp/event_rs_dns_compat.%d", (int)getpid());
	f = fopen(conf, "w");
	CHECK(f != NULL);
	fprintf(f, "nameserver %s\n", addr);
	fclose(f);
	r = evdns_resolv_conf_parse(DNS_OPTION_NAMESERVERS, conf);
	printf("  resolv_conf_parse -> %d, count %d\n", r, evdns_count_nameservers());
	unlink(conf);
	printf("  resume -> %d\n", evdns_resume());
	wait_done(1);

	printf("shutdown with a lookup outstanding\n");
	done = 0;
	evdns_resolve_ipv4("hold.test", 0, result_cb, "held");
	event_loop(EVLOOP_NONBLOCK);
	evdns_shutdown(1);
	CHECK(evdns_get_global_base() == NULL);
	wait_done(1);

	printf("after shutdown, messages go to the event log again\n");
	snprintf(text, sizeof text, "not-an-address");
	printf("  ip_add -> %d\n", evdns_nameserver_ip_add(text));
	CHECK(evdns_get_global_base() != NULL);
	evdns_shutdown(0);

	/* evdns_init reads the machine's resolv.conf: its result depends on the machine, so it is
	 * not printed, and its nameservers are removed before anything is sent. */
	event_set_log_callback(quiet_log);
	if (evdns_init() == 0) {
		CHECK(evdns_get_global_base() != NULL);
		evdns_clear_nameservers_and_suspend();
		evdns_shutdown(0);
	}
	event_set_log_callback(NULL);

	evdns_close_server_port(server);
	event_base_free(NULL);
	return 0;
}
