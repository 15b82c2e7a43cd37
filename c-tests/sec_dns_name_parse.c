/* CVE-2016-10195: evdns's name_parse read past the end of a packet when a label's length ran
 * off its end (fixed in 2.1.6). A resolver talks to a fake nameserver in this process that
 * answers with crafted replies: labels running off the end in the question, in the answer's
 * name and in a PTR target, a pointer to such a label, and every cut of good A and PTR
 * replies. Each lookup must end (an error or an answer, never a crash), and the resolver must
 * still answer a good lookup afterwards. compare-output: the results are libevent 2.1.12's. */
#include "dns_test.h"

static struct event_base *base;
static struct evdns_base *dns;
static int done, cb_result, cb_count;
static char cb_name[300];

/* The crafted reply for the current lookup. */
static int scenario, cut;

static const unsigned char a_rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 7, 7, 7, 7 };
static const unsigned char ptr_rr[] = { 0xc0, 12, 0, 12, 0, 1, 0, 0, 0, 60, 0, 9,
	4, 'h', 'o', 's', 't', 2, 'i', 'o', 0 };

static void fake_ns_cb(evutil_socket_t fd, short what, void *arg)
{
	unsigned char q[1500], r[1600];
	struct sockaddr_in from;
	socklen_t fl = sizeof from;
	int n, len;
	(void)what; (void)arg;
	n = recvfrom(fd, q, sizeof q, 0, (struct sockaddr *)&from, &fl);
	if (n < 12)
		return;
	memcpy(r, q, n);
	r[2] = 0x81;
	r[3] = 0x80;
	r[7] = 1; /* one answer */
	len = n;
	switch (scenario) {
	case 0: /* a good answer: A or PTR after the question */
		if (q[n - 3] == 12) {
			memcpy(r + len, ptr_rr, sizeof ptr_rr);
			len += sizeof ptr_rr;
		} else {
			memcpy(r + len, a_rr, sizeof a_rr);
			len += sizeof a_rr;
		}
		if (cut && cut < len)
			len = cut;
		break;
	case 1: /* the answer's name: a 63-byte label with one byte in the packet */
		r[len++] = 63;
		r[len++] = 'a';
		break;
	case 2: /* the answer's name: a label length as the packet's last byte */
		r[len++] = 5;
		break;
	case 3: /* the question's name cut inside its first label (no answer) */
		r[7] = 0;
		len = 12 + 2;
		break;
	case 4: /* the question's first label claims 63 bytes past the end */
		r[7] = 0;
		r[12] = 63;
		len = 12 + 10;
		break;
	case 5: /* the answer's name: a pointer to a label at the end that runs off it */
		r[len++] = 0xc0;
		r[len++] = (unsigned char)(n + 12);
		memcpy(r + len, "\0\1\0\1\0\0\0\x3c\0\4\7\7", 10);
		len += 10;
		r[len++] = 40; /* at n + 12: a label of 40 bytes, 1 present */
		r[len++] = 'z';
		break;
	case 6: /* a PTR target running off the end */
		memcpy(r + len, ptr_rr, 12);
		len += 12;
		r[len++] = 60;
		r[len++] = 'h';
		r[len++] = 'o';
		break;
	case 7: /* a PTR target: a pointer to the packet's last byte, a label length */
		memcpy(r + len, ptr_rr, 12);
		r[len + 11] = 2;
		len += 12;
		r[len++] = 0xc0;
		r[len] = (unsigned char)(len + 1);
		len++;
		r[len++] = 9;
		break;
	case 8: /* the answer's name: labels that add up past 255 characters, then cut */
		while (len < n + 300) {
			r[len++] = 63;
			memset(r + len, 'x', 63);
			len += 63;
		}
		break;
	}
	sendto(fd, r, len, 0, (struct sockaddr *)&from, fl);
}

static void result_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	(void)ttl; (void)arg;
	cb_result = result;
	cb_count = count;
	cb_name[0] = 0;
	if (result == DNS_ERR_NONE && type == DNS_PTR && count > 0)
		snprintf(cb_name, sizeof cb_name, " %s", *(char **)addresses);
	else if (result == DNS_ERR_NONE && type == DNS_IPv4_A && count > 0)
		snprintf(cb_name, sizeof cb_name, " %d.%d.%d.%d", ((unsigned char *)addresses)[0],
		    ((unsigned char *)addresses)[1], ((unsigned char *)addresses)[2], ((unsigned char *)addresses)[3]);
	done = 1;
}

/* One lookup with the given script; prints its outcome. */
static void lookup(int which, int reverse, int cut_at)
{
	struct in_addr ina;
	scenario = which;
	cut = cut_at;
	done = 0;
	if (reverse) {
		ina.s_addr = htonl(0x01020304);
		CHECK(evdns_base_resolve_reverse(dns, &ina, 0, result_cb, NULL) != NULL);
	} else {
		CHECK(evdns_base_resolve_ipv4(dns, "host.example.com", DNS_QUERY_NO_SEARCH, result_cb, NULL) != NULL);
	}
	run_until(base, &done);
	printf("scenario %d%s cut %d: %s count %d%s\n", which, reverse ? " reverse" : "", cut_at,
	    evdns_err_to_string(cb_result), cb_count, cb_name);
}

int main(void)
{
	int port, fd, i;
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

	lookup(0, 0, 0);
	lookup(0, 1, 0);
	for (i = 1; i <= 8; i++) {
		lookup(i, 0, 0);
		lookup(i, 1, 0);
	}
	/* Every cut of the good replies, from just after the header (34 bytes of query + 16 of
	 * A record; 38 bytes of reverse query + 21 of PTR record). */
	for (i = 12; i < 34 + 16; i++)
		lookup(0, 0, i);
	for (i = 12; i < 38 + 21; i++)
		lookup(0, 1, i);
	/* Still working. */
	lookup(0, 0, 0);
	lookup(0, 1, 0);

	evdns_base_free(dns, 0);
	event_free(ev);
	close(fd);
	event_base_free(base);
	return 0;
}
