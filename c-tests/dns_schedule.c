/* The retry and probe schedule, as seen by fake nameservers that record each query's arrival:
 * a query sent `attempts` times one timeout apart, then DNS_ERR_TIMEOUT; a server marked down
 * after more than max-timeouts timeouts in a row (a probe shows it) or when a lookup gives
 * up; probes (google.com, type A) after initial-probe-timeout, then backing off x3, until one
 * is answered; a probe's retries moving round-robin like any query's (and its last timeout
 * marking that server down); a query refused by one server waiting, its timeout running, and
 * sent to the next one when a cancel lets a queued query go, its timeout restarted then.
 * Times are checked with lower bounds (a timer never fires early) and loose upper bounds; the
 * orders come from timers' deadlines, not from the machine's speed.
 * compare-output: the printed lines must equal the system's libevent's. */
#include "dns_test.h"
#include <sys/time.h>

enum mode { SILENT, REFUSE, NXDOMAIN };

struct fake {
	const char *label;
	int fd, port;
	enum mode mode;
	struct event *ev;
};

struct arrival {
	double t;
	const struct fake *at;
	char name[64];
	int type, id;
};

static struct event_base *base;
static struct fake s1 = { "S1" }, s2 = { "S2" };
static struct arrival seen[64];
static int nseen, done, result, failed_msgs, up_msgs;
static double t_done;

static double now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

/* Reads one query from a raw socket: its id, lower-cased name and type; -1 when none. */
static int read_query(struct fake *f, struct arrival *a, unsigned char *pkt, int *len, struct sockaddr_in *from)
{
	socklen_t fl = sizeof *from;
	int n = (int)recvfrom(f->fd, pkt, 512, 0, (struct sockaddr *)from, &fl), p = 12, o = 0;
	if (n < 12)
		return -1;
	while (p < n && pkt[p] && o < 60) {
		int l = pkt[p++];
		while (l-- > 0 && p < n && o < 62)
			a->name[o++] = (char)tolower(pkt[p++]);
		a->name[o++] = '.';
	}
	a->name[o ? o - 1 : 0] = 0;
	p++;
	CHECK(p + 4 <= n);
	a->type = pkt[p] << 8 | pkt[p + 1];
	a->id = pkt[0] << 8 | pkt[1];
	a->at = f;
	a->t = now();
	*len = p + 4;
	return 0;
}

/* Records every query waiting on the fake's socket; answers it as the fake's mode says (the
 * question echoed, so the 0x20 case mix matches). */
static void fake_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fake *f = arg;
	unsigned char pkt[512];
	struct sockaddr_in from;
	int len;
	(void)fd; (void)what;
	for (;;) {
		struct arrival a;
		if (read_query(f, &a, pkt, &len, &from) < 0)
			return;
		CHECK(nseen < 64);
		seen[nseen++] = a;
		if (f->mode == SILENT)
			continue;
		pkt[2] |= 0x80;
		pkt[3] = (unsigned char)((pkt[3] & 0xf0) | (f->mode == REFUSE ? 5 : 3));
		CHECK_EQ(sendto(f->fd, pkt, len, 0, (struct sockaddr *)&from, sizeof from), len);
	}
}

static void start_fake(struct fake *f)
{
	f->fd = udp_socket(&f->port);
	f->ev = event_new(base, f->fd, EV_READ | EV_PERSIST, fake_cb, f);
	CHECK(f->ev != NULL);
	CHECK_EQ(event_add(f->ev, NULL), 0);
}

/* Counts the library's "Nameserver ... has failed" and "... is back up" messages. */
static void count_msgs(int is_warning, const char *msg)
{
	(void)is_warning;
	if (strstr(msg, "has failed"))
		failed_msgs++;
	if (strstr(msg, "is back up"))
		up_msgs++;
}

/* Runs the loop until *counter reaches n (60 s guard, as run_until). */
static void wait_count(const int *counter, int n)
{
	double start = now();
	while (*counter < n) {
		CHECK(now() - start < 60);
		event_base_loop(base, EVLOOP_ONCE);
	}
}

static void result_cb(int res, char type, int count, int ttl, void *addresses, void *arg)
{
	(void)type; (void)count; (void)ttl; (void)addresses; (void)arg;
	result = res;
	t_done = now();
	done++;
}

static struct evdns_base *new_dns(int two, const char *timeout, const char *attempts, const char *probe)
{
	struct evdns_base *dns = evdns_base_new(base, 0);
	CHECK(dns != NULL);
	CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(s1.port)), 0);
	if (two)
		CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(s2.port)), 0);
	CHECK_EQ(evdns_base_set_option(dns, "timeout:", timeout), 0);
	CHECK_EQ(evdns_base_set_option(dns, "attempts:", attempts), 0);
	CHECK_EQ(evdns_base_set_option(dns, "initial-probe-timeout:", probe), 0);
	nseen = done = failed_msgs = up_msgs = 0;
	return dns;
}

static void wait_seen(int n)
{
	wait_count(&nseen, n);
}

/* "S1 r.test A", with probes told apart by their transaction ids (`first_probe`: the id of
 * the first probe seen). */
static void print_arrival(const struct arrival *a, int first_probe)
{
	const char *which = "";
	if (!strcmp(a->name, "google.com"))
		which = a->id == first_probe ? " (first probe)" : " (another probe)";
	printf("  %s %s %s%s\n", a->at->label, a->name, a->type == 1 ? "A" : "?", which);
}

static void check_gap(const char *what, double gap, double expected)
{
	/* A timer fires at its deadline or later: never well before it; on a loaded machine it
	 * may be late, so the upper bound is loose. */
	if (gap < expected * 0.8 || gap > expected + 5) {
		fprintf(stderr, "%s: %.3f s, expected about %.3f s\n", what, gap, expected);
		exit(1);
	}
}

/* One silent server, timeout 0.2, attempts 3: three sends 0.2 s apart, DNS_ERR_TIMEOUT 0.2 s
 * after the last. */
static void retries(void)
{
	struct evdns_base *dns = new_dns(0, "0.2", "3", "3600");
	int i;
	printf("a silent server: the query is sent 'attempts' times, then times out\n");
	s1.mode = SILENT;
	CHECK(evdns_base_resolve_ipv4(dns, "r.test", DNS_QUERY_NO_SEARCH, result_cb, NULL) != NULL);
	run_until(base, &done);
	run_ready(base);
	CHECK_EQ(result, DNS_ERR_TIMEOUT);
	CHECK_EQ(nseen, 3);
	for (i = 0; i < nseen; i++)
		print_arrival(&seen[i], -1);
	for (i = 1; i < nseen; i++) {
		CHECK_EQ(seen[i].id, seen[0].id);
		check_gap("between two sends", seen[i].t - seen[i - 1].t, 0.2);
	}
	check_gap("from the last send to the timeout", t_done - seen[2].t, 0.2);
	printf("  -> %d\n", result);
	evdns_base_free(dns, 0);
}

/* timeout 0.2, attempts 2, initial-probe-timeout 0.1: after the lookup gives up, a probe
 * 0.1 s later, sent twice; the next 0.3 s after that one gave up, the next 0.9 s after. The
 * third is answered (NXDOMAIN is an answer): the server is up, a lookup reaches it. */
static void probe_backoff(void)
{
	struct evdns_base *dns = new_dns(0, "0.2", "2", "0.1");
	double expected[3] = { 0.1, 0.3, 0.9 };
	int i, first;
	printf("a failed server is probed, backing off, until a probe is answered\n");
	s1.mode = SILENT;
	CHECK(evdns_base_resolve_ipv4(dns, "lost.test", DNS_QUERY_NO_SEARCH, result_cb, NULL) != NULL);
	run_until(base, &done);
	CHECK_EQ(result, DNS_ERR_TIMEOUT);
	wait_seen(2 + 2 + 2 + 1);
	s1.mode = NXDOMAIN;
	wait_seen(2 + 2 + 2 + 2);
	first = seen[2].id;
	for (i = 0; i < nseen; i++)
		print_arrival(&seen[i], first);
	check_gap("from the timeout to the first probe", seen[2].t - t_done, expected[0]);
	for (i = 0; i < 2; i++) {
		const struct arrival *last = &seen[3 + 2 * i], *next = &seen[4 + 2 * i];
		CHECK_EQ(last->id, seen[2 + 2 * i].id);
		CHECK(next->id != last->id);
		check_gap("from a probe sent to its retry", last->t - seen[2 + 2 * i].t, 0.2);
		/* The probe gave up one timeout after its last send; the next one comes later. */
		check_gap("from a probe's last send to the next probe", next->t - last->t, 0.2 + expected[i + 1]);
	}
	/* The answered probe brings the server back: a lookup goes to it, no more probes. */
	wait_count(&up_msgs, 1);
	done = 0;
	nseen = 0;
	CHECK(evdns_base_resolve_ipv4(dns, "back.test", DNS_QUERY_NO_SEARCH, result_cb, NULL) != NULL);
	run_until(base, &done);
	CHECK_EQ(result, DNS_ERR_NOTEXIST);
	CHECK_EQ(nseen, 1);
	print_arrival(&seen[0], first);
	printf("  -> %d\n", result);
	evdns_base_free(dns, 0);
}

/* attempts 4, timeout 0.2, initial-probe-timeout 0.1. With max-timeouts 1, the second timeout
 * in a row marks the server down: its probe (0.1 s later) comes before the query's next
 * retry (0.2 s later), and before the lookup times out. With the default 3, the four sends
 * are not enough: the server goes down when the lookup gives up, and the probe comes after. */
static void max_timeouts(const char *max)
{
	struct evdns_base *dns = new_dns(0, "0.2", "4", "0.1");
	int i, probe = max ? 3 : 4;
	printf("max-timeouts %s\n", max ? max : "(default)");
	if (max)
		CHECK_EQ(evdns_base_set_option(dns, "max-timeouts:", max), 0);
	s1.mode = SILENT;
	CHECK(evdns_base_resolve_ipv4(dns, "slow.test", DNS_QUERY_NO_SEARCH, result_cb, NULL) != NULL);
	run_until(base, &done);
	CHECK_EQ(result, DNS_ERR_TIMEOUT);
	wait_seen(5);
	for (i = 0; i < 5; i++)
		print_arrival(&seen[i], seen[probe].id);
	CHECK(!strcmp(seen[probe].name, "google.com"));
	printf("  the probe came %s the lookup timed out\n", seen[probe].t < t_done ? "before" : "after");
	evdns_base_free(dns, 0);
}

/* Two silent servers, timeout 0.2, attempts 3, initial-probe-timeout 0.1. The lookup goes
 * S1, S2, S1 and marks S1 down; S1's probe goes to S1, then its retries to S2 (the only
 * server up), whose timeout then marks S2 down: S2 gets a probe of its own. */
static void probe_moves(void)
{
	struct evdns_base *dns = new_dns(1, "0.2", "3", "0.1");
	int i;
	printf("a probe's retries go round-robin like any query's\n");
	s1.mode = s2.mode = SILENT;
	CHECK(evdns_base_resolve_ipv4(dns, "two.test", DNS_QUERY_NO_SEARCH, result_cb, NULL) != NULL);
	run_until(base, &done);
	CHECK_EQ(result, DNS_ERR_TIMEOUT);
	wait_seen(3 + 3 + 1);
	for (i = 0; i < 7; i++)
		print_arrival(&seen[i], seen[3].id);
	evdns_base_free(dns, 0);
}

/* S1 refuses, S2 is silent; timeout 1, at most 2 queries in flight. "a" is refused by S1
 * (which is marked down) and given to S2 but not sent; "b" goes to S2, "c" waits. Cancelling
 * "b" sends "c", and with it "a", whose timeout starts again then. */
static struct evdns_request *req_b;
static double t_cancel;
static int cancelled;

/* Prints the names of the queries waiting on the fake's socket, reading them. */
static void drain(struct fake *f)
{
	unsigned char pkt[512];
	struct sockaddr_in from;
	int len;
	struct arrival a;
	while (read_query(f, &a, pkt, &len, &from) == 0)
		printf(" %s", a.name);
	printf("\n");
}

static void cancel_b(evutil_socket_t fd, short what, void *arg)
{
	int i;
	(void)fd; (void)what; (void)arg;
	/* S2's socket is read by hand here: what reached it before the cancel (recorded, or
	 * still in the socket)... */
	event_del(s2.ev);
	printf("  at S2 before the cancel:");
	for (i = 0; i < nseen; i++)
		if (seen[i].at == &s2)
			printf(" %s", seen[i].name);
	drain(&s2);
	t_cancel = now();
	evdns_cancel_request(NULL, req_b);
	/* ...and what is there now was sent by it. */
	printf("  at S2 right after it:");
	drain(&s2);
	event_add(s2.ev, NULL);
	cancelled = 1;
}

static void cancel_sends_waiting(void)
{
	struct evdns_base *dns = new_dns(1, "1", "3", "3600");
	struct timeval later = { 0, 500000 };
	int i;
	printf("a cancel lets a queued query go, and resends a refused one\n");
	s1.mode = REFUSE;
	s2.mode = SILENT;
	CHECK_EQ(evdns_base_set_option(dns, "max-inflight:", "2"), 0);
	CHECK(evdns_base_resolve_ipv4(dns, "a.test", DNS_QUERY_NO_SEARCH, result_cb, NULL) != NULL);
	wait_count(&failed_msgs, 1);
	CHECK_EQ(nseen, 1);
	print_arrival(&seen[0], -1);
	req_b = evdns_base_resolve_ipv4(dns, "b.test", DNS_QUERY_NO_SEARCH, result_cb, NULL);
	CHECK(req_b != NULL);
	CHECK(evdns_base_resolve_ipv4(dns, "c.test", DNS_QUERY_NO_SEARCH, result_cb, NULL) != NULL);
	/* The cancel's timer is due before a.test's timeout (1 s after its send), whatever the
	 * machine's load: timers run in the order of their deadlines. */
	CHECK_EQ(event_base_once(base, -1, EV_TIMEOUT, cancel_b, NULL, &later), 0);
	run_until(base, &cancelled);
	/* a.test and c.test are sent again one timeout after the cancel, not after a.test's
	 * first send. */
	nseen = 0;
	wait_seen(2);
	/* Their timeouts end together: either may come first. */
	if (strcmp(seen[0].name, seen[1].name) > 0) {
		struct arrival t = seen[0];
		seen[0] = seen[1];
		seen[1] = t;
	}
	for (i = 0; i < 2; i++) {
		print_arrival(&seen[i], -1);
		check_gap("from the cancel to a retry", seen[i].t - t_cancel, 1.0);
	}
	evdns_base_free(dns, 0);
}

int main(void)
{
	base = event_base_new();
	CHECK(base != NULL);
	evdns_set_log_fn(count_msgs);
	start_fake(&s1);
	start_fake(&s2);
	retries();
	probe_backoff();
	max_timeouts("1");
	max_timeouts(NULL);
	probe_moves();
	cancel_sends_waiting();
	event_free(s1.ev);
	event_free(s2.ev);
	close(s1.fd);
	close(s2.fd);
	event_base_free(base);
	return 0;
}
