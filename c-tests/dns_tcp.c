/* libevent 2.2's DNS over TCP, against evdns server ports in the process: one on a UDP socket
 * and one on a listener bound to the same port number. A truncated UDP answer is asked again
 * over TCP (one connection, reused), DNS_QUERY_USEVC asks over TCP at once, DNS_QUERY_IGNTC
 * takes the truncated answer, udp-size lets the answer come whole over UDP, CNAME chains with
 * DNS_CNAME_CALLBACK, the TCP port's options (a client limit that queues, an idle timeout that
 * closes, junk refused), the nameserver's socket, the new options, resolv.conf's error codes.
 * needs: event_rs (libevent 2.1.12 has none of this) */
#include "dns_test.h"
#include <event2/listener.h>
#include <sys/stat.h>

#if !defined(DNS_QUERY_USEVC) || !defined(DNS_QUERY_IGNTC) || !defined(DNS_CNAME_CALLBACK) || \
    !defined(DNS_CNAME) || !defined(EVDNS_BASE_NO_CACHE) || !defined(EVDNS_ERROR_NONE) || \
    !defined(EVDNS_ERROR_NO_NAMESERVERS_CONFIGURED)
#error "libevent 2.2's dns.h macros are missing"
#endif

static struct event_base *base;
static int udp_queries, tcp_queries, tcp_sources[16], n_sources;
static int done, result, count, cname_calls, calls;
static char cname[256];
static unsigned char first_addr[4];

static void server_cb(struct evdns_server_request *req, void *arg)
{
	const char *name = req->questions[0]->name;
	unsigned char a[4] = { 7, 7, 7, 7 };
	int i;
	if (arg == &tcp_queries) {
		struct sockaddr_storage ss;
		int port;
		tcp_queries++;
		CHECK(evdns_server_request_get_requesting_addr(req, (struct sockaddr *)&ss, sizeof ss) > 0);
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		for (i = 0; i < n_sources && tcp_sources[i] != port; i++)
			;
		if (i == n_sources && n_sources < 16)
			tcp_sources[n_sources++] = port;
	} else {
		udp_queries++;
	}
	if (!strcasecmp(name, "big.example")) {
		/* 1 address, then enough to go past 512 bytes. */
		char txt[60];
		memset(txt, 'x', sizeof txt);
		evdns_server_request_add_a_reply(req, name, 1, a, 300);
		for (i = 0; i < 12; i++)
			evdns_server_request_add_reply(req, EVDNS_ADDITIONAL_SECTION, "pad.example", EVDNS_TYPE_TXT, 1, 300, sizeof txt, 0, txt);
	} else if (!strcasecmp(name, "chain.example")) {
		unsigned char e[4] = { 1, 2, 3, 4 };
		evdns_server_request_add_cname_reply(req, name, "mid.example", 300);
		evdns_server_request_add_cname_reply(req, "mid.example", "end.example", 300);
		evdns_server_request_add_a_reply(req, "end.example", 1, e, 300);
	} else {
		evdns_server_request_add_a_reply(req, name, 1, a, 300);
	}
	CHECK_EQ(evdns_server_request_respond(req, 0), 0);
}

static void lookup_cb(int res, char type, int n, int ttl, void *addrs, void *arg)
{
	(void)ttl; (void)arg;
	calls++;
	if (type == DNS_CNAME) {
		/* Before the addresses, as a char ** like DNS_PTR's. */
		CHECK_EQ(done, 0);
		CHECK_EQ(res, DNS_ERR_NONE);
		CHECK_EQ(n, 1);
		snprintf(cname, sizeof cname, "%s", *(char **)addrs);
		cname_calls++;
		return;
	}
	result = res;
	count = n;
	if (res == DNS_ERR_NONE && n > 0) {
		CHECK_EQ(type, DNS_IPv4_A);
		memcpy(first_addr, addrs, 4);
	}
	done = 1;
}

static int lookup(struct evdns_base *dns, const char *name, int flags)
{
	done = 0; result = -1; count = 0; cname_calls = 0; calls = 0; cname[0] = 0;
	CHECK(evdns_base_resolve_ipv4(dns, name, flags, lookup_cb, NULL) != NULL);
	run_until(base, &done);
	return result;
}

static int tcp_connect(int port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(fd >= 0);
	sockaddr_lo(&sin, port);
	CHECK_EQ(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	CHECK_EQ(evutil_make_socket_nonblocking(fd), 0);
	return fd;
}

/* A query for `name`, with its 2-byte length, sent in two pieces (the server must put the
 * message together). */
static void send_framed_query(int fd, const char *name, int id)
{
	unsigned char q[300];
	int n = 0, len;
	const char *p = name;
	q[n++] = 0; q[n++] = 0; /* length, filled below */
	q[n++] = id >> 8; q[n++] = id & 0xff; q[n++] = 1; q[n++] = 0;
	q[n++] = 0; q[n++] = 1; q[n++] = 0; q[n++] = 0; q[n++] = 0; q[n++] = 0; q[n++] = 0; q[n++] = 0;
	while (*p) {
		const char *dot = strchr(p, '.');
		int l = dot ? (int)(dot - p) : (int)strlen(p);
		q[n++] = l;
		memcpy(q + n, p, l);
		n += l;
		p += l + (dot ? 1 : 0);
	}
	q[n++] = 0; q[n++] = 0; q[n++] = 1; q[n++] = 0; q[n++] = 1;
	len = n - 2;
	q[0] = len >> 8; q[1] = len & 0xff;
	CHECK_EQ(send(fd, q, 5, 0), 5);
	run_ready(base);
	CHECK_EQ(send(fd, q + 5, n - 5, 0), n - 5);
}

/* Reads one framed answer if it is there; its id, or -1 for nothing yet, -2 for EOF. */
static int read_framed_answer(int fd)
{
	static unsigned char buf[70000];
	static int have;
	int r, len;
	for (;;) {
		r = recv(fd, buf + have, sizeof buf - have, 0);
		if (r == 0)
			return -2;
		if (r < 0)
			break;
		have += r;
	}
	if (have < 2)
		return -1;
	len = buf[0] << 8 | buf[1];
	if (have < 2 + len)
		return -1;
	CHECK(len >= 12);
	CHECK(buf[4] & 0x80); /* a reply */
	r = buf[2] << 8 | buf[3];
	memmove(buf, buf + 2 + len, have - 2 - len);
	have -= 2 + len;
	return r;
}

static int wait_answer(int fd)
{
	int i, r = -1;
	for (i = 0; i < 6000 && r == -1; i++) {
		run_for(base, 10);
		r = read_framed_answer(fd);
	}
	return r;
}

static struct evconnlistener *listen_on(int *port)
{
	struct sockaddr_in sin;
	struct evconnlistener *l;
	socklen_t len = sizeof sin;
	sockaddr_lo(&sin, *port);
	l = evconnlistener_new_bind(base, NULL, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 16, (struct sockaddr *)&sin, sizeof sin);
	CHECK(l != NULL);
	CHECK_EQ(getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return l;
}

static void check_options(void)
{
	struct evdns_base *dns = evdns_base_new(base, 0);
	CHECK(dns != NULL);
	CHECK_EQ(evdns_base_set_option(dns, "udp-size:", "4096"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "udp-size", "100"), 0); /* raised to 512 */
	CHECK_EQ(evdns_base_set_option(dns, "udp-size:", "big"), -1);
	CHECK_EQ(evdns_base_set_option(dns, "probe-backoff-factor:", "2"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "probe-backoff-factor:", "0"), -1);
	CHECK_EQ(evdns_base_set_option(dns, "probe-backoff-factor:", "x"), -1);
	CHECK_EQ(evdns_base_set_option(dns, "max-probe-timeout:", "60"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "max-probe-timeout:", "-1"), -1);
	CHECK_EQ(evdns_base_set_option(dns, "so-rcvbuf:", "65536"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "so-sndbuf:", "65536"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "so-sndbuf:", "lots"), -1);
	evdns_base_free(dns, 0);
}

static void check_resolv_conf_codes(void)
{
	char dir[] = "/tmp/dns_tcp_XXXXXX", file[300];
	FILE *f;
	struct evdns_base *dns = evdns_base_new(base, 0);
	CHECK(dns != NULL);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(file, sizeof file, "%s/missing", dir);
	CHECK_EQ(evdns_base_resolv_conf_parse(dns, DNS_OPTION_MISC, file), EVDNS_ERROR_FAILED_TO_OPEN_FILE);
	CHECK_EQ(evdns_base_resolv_conf_parse(dns, DNS_OPTION_MISC, dir), EVDNS_ERROR_FAILED_TO_STAT_FILE);
	snprintf(file, sizeof file, "%s/resolv.conf", dir);
	f = fopen(file, "w");
	CHECK(f != NULL);
	fputs("options timeout:2\n", f);
	fclose(f);
	CHECK_EQ(evdns_base_resolv_conf_parse(dns, DNS_OPTION_NAMESERVERS, file), EVDNS_ERROR_NO_NAMESERVERS_CONFIGURED);
	f = fopen(file, "w");
	CHECK(f != NULL);
	fputs("nameserver 127.0.0.1:1053\n", f);
	fclose(f);
	CHECK_EQ(evdns_base_resolv_conf_parse(dns, DNS_OPTION_NAMESERVERS, file), EVDNS_ERROR_NONE);
	unlink(file);
	rmdir(dir);
	evdns_base_free(dns, 0);
}

int main(void)
{
	struct evdns_server_port *udp_port, *tcp_port, *small_port;
	struct evconnlistener *lev;
	struct evdns_base *dns;
	int port = 0, udp_fd, fd, type;
	socklen_t len;

	base = event_base_new();
	CHECK(base != NULL);
	evdns_set_log_fn(quiet_log);
	udp_fd = udp_socket(&port);
	udp_port = evdns_add_server_port_with_base(base, udp_fd, 0, server_cb, &udp_queries);
	CHECK(udp_port != NULL);
	lev = listen_on(&port);
	CHECK(evdns_add_server_port_with_listener(base, lev, 1, server_cb, NULL) == NULL);
	tcp_port = evdns_add_server_port_with_listener(base, lev, 0, server_cb, &tcp_queries);
	CHECK(tcp_port != NULL);
	CHECK_EQ(evdns_server_port_set_option(udp_port, EVDNS_SOPT_TCP_MAX_CLIENTS, 1), -1);
	CHECK_EQ(evdns_server_port_set_option(tcp_port, (enum evdns_server_option)99, 1), -1);

	dns = evdns_base_new(base, 0);
	CHECK(dns != NULL);
	CHECK_EQ(evdns_base_get_nameserver_fd(dns, 0), -1);
	CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(port)), 0);
	CHECK_EQ(evdns_base_set_option(dns, "initial-probe-timeout", "3600"), 0);

	/* The nameserver's UDP socket. */
	fd = evdns_base_get_nameserver_fd(dns, 0);
	CHECK(fd >= 0);
	len = sizeof type;
	CHECK_EQ(getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len), 0);
	CHECK_EQ(type, SOCK_DGRAM);
	CHECK_EQ(evdns_base_get_nameserver_fd(dns, 1), -1);
	CHECK_EQ(evdns_base_get_nameserver_fd(dns, -1), -1);

	/* A small answer: UDP only. */
	CHECK_EQ(lookup(dns, "a.example", 0), DNS_ERR_NONE);
	CHECK_EQ(udp_queries, 1);
	CHECK_EQ(tcp_queries, 0);

	/* Truncated over UDP: asked again over TCP, the whole answer comes. */
	CHECK_EQ(lookup(dns, "big.example", 0), DNS_ERR_NONE);
	CHECK_EQ(count, 1);
	CHECK_EQ(first_addr[0], 7);
	CHECK_EQ(udp_queries, 2);
	CHECK_EQ(tcp_queries, 1);
	CHECK_EQ(n_sources, 1);
	/* Again: the same connection. */
	CHECK_EQ(lookup(dns, "big.example", 0), DNS_ERR_NONE);
	CHECK_EQ(udp_queries, 3);
	CHECK_EQ(tcp_queries, 2);
	CHECK_EQ(n_sources, 1);

	/* DNS_QUERY_USEVC: TCP only. */
	CHECK_EQ(lookup(dns, "v.example", DNS_QUERY_USEVC), DNS_ERR_NONE);
	CHECK_EQ(count, 1);
	CHECK_EQ(udp_queries, 3);
	CHECK_EQ(tcp_queries, 3);
	CHECK_EQ(n_sources, 1);

	/* DNS_QUERY_IGNTC: the truncated answer's address, no TCP. */
	CHECK_EQ(lookup(dns, "big.example", DNS_QUERY_IGNTC), DNS_ERR_NONE);
	CHECK_EQ(count, 1);
	CHECK_EQ(first_addr[0], 7);
	CHECK_EQ(udp_queries, 4);
	CHECK_EQ(tcp_queries, 3);

	/* CNAME chains: the end of the chain, in a call before the addresses'. */
	CHECK_EQ(lookup(dns, "chain.example", DNS_CNAME_CALLBACK), DNS_ERR_NONE);
	CHECK_EQ(cname_calls, 1);
	CHECK_EQ(calls, 2);
	CHECK(!strcmp(cname, "end.example"));
	CHECK_EQ(first_addr[0], 1);
	CHECK_EQ(lookup(dns, "chain.example", 0), DNS_ERR_NONE);
	CHECK_EQ(cname_calls, 0);
	CHECK_EQ(calls, 1);
	CHECK_EQ(lookup(dns, "chain.example", DNS_CNAME_CALLBACK | DNS_QUERY_USEVC), DNS_ERR_NONE);
	CHECK(!strcmp(cname, "end.example"));
	/* No CNAME, no CNAME call. */
	CHECK_EQ(lookup(dns, "a.example", DNS_CNAME_CALLBACK), DNS_ERR_NONE);
	CHECK_EQ(cname_calls, 0);

	/* udp-size: the server may answer up to that size over UDP; no truncation, no TCP. */
	CHECK_EQ(evdns_base_set_option(dns, "udp-size:", "4096"), 0);
	udp_queries = tcp_queries = 0;
	CHECK_EQ(lookup(dns, "big.example", 0), DNS_ERR_NONE);
	CHECK_EQ(udp_queries, 1);
	CHECK_EQ(tcp_queries, 0);
	evdns_base_free(dns, 0);

	/* The TCP port's idle timeout closes a silent client. */
	CHECK_EQ(evdns_server_port_set_option(tcp_port, EVDNS_SOPT_TCP_IDLE_TIMEOUT, 1), 0);
	fd = tcp_connect(port);
	CHECK_EQ(wait_answer(fd), -2);
	close(fd);

	/* At most one client: a second one waits in the backlog until the first goes. */
	{
		int small = 0, a, b;
		struct evconnlistener *l2 = listen_on(&small);
		small_port = evdns_add_server_port_with_listener(base, l2, 0, server_cb, &tcp_queries);
		CHECK(small_port != NULL);
		CHECK_EQ(evdns_server_port_set_option(small_port, EVDNS_SOPT_TCP_MAX_CLIENTS, 1), 0);
		tcp_queries = 0;
		a = tcp_connect(small);
		send_framed_query(a, "one.example", 0x1111);
		CHECK_EQ(wait_answer(a), 0x1111);
		b = tcp_connect(small);
		send_framed_query(b, "two.example", 0x2222);
		run_for(base, 300);
		CHECK_EQ(read_framed_answer(b), -1);
		CHECK_EQ(tcp_queries, 1);
		/* Two more on the open connection: both answered, in order. */
		send_framed_query(a, "three.example", 0x3333);
		send_framed_query(a, "four.example", 0x4444);
		CHECK_EQ(wait_answer(a), 0x3333);
		CHECK_EQ(wait_answer(a), 0x4444);
		close(a);
		CHECK_EQ(wait_answer(b), 0x2222);
		CHECK_EQ(tcp_queries, 4);
		close(b);
		evdns_close_server_port(small_port);
	}

	/* Junk over TCP (an empty message, a short one, a length never completed) harms nothing:
	 * the port answers the next client. */
	{
		char junk[120];
		memset(junk, 0xff, sizeof junk);
		fd = tcp_connect(port);
		CHECK_EQ(send(fd, "\0\0\0\5hello", 9, 0), 9);
		CHECK_EQ(send(fd, junk, sizeof junk, 0), (int)sizeof junk);
		run_for(base, 50);
		close(fd);
		fd = tcp_connect(port);
		send_framed_query(fd, "after.example", 0x5555);
		CHECK_EQ(wait_answer(fd), 0x5555);
		close(fd);
	}

	check_options();
	check_resolv_conf_codes();

	evdns_close_server_port(tcp_port);
	evdns_close_server_port(udp_port);
	event_base_free(base);
	printf("ok\n");
	return 0;
}
