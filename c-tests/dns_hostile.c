/* Hostile packets, to the resolver and to a server port: wrong ids, short and cut packets,
 * compression loops, pointers out of the packet, lengths past the end, absurd counts, replies
 * from the wrong address, oversized datagrams, then thousands of random and mutated packets.
 * Nothing may crash or leak, and both sides must still work afterwards.
 * (Not sent to the server: datagrams shorter than a DNS header, which crash libevent 2.1.12;
 * src/dns/server.rs tests them.) The fuzz outcomes are printed, not compared with libevent's:
 * a mutation can make a name point into the header, whose id is random, so they vary a little
 * from run to run. */
#include "dns_test.h"

static struct event_base *base;
static int fake_fd, liar_fd, fake_port;
static struct evdns_base *dns;

/* The fake nameserver's script for the current lookup. */
static int scenario;
static int done, last_result, last_count;
static unsigned char last_addr[4];
static unsigned rng = 12345;

static unsigned next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

/* A reply echoing the query's header and question, with `an` A records 7.7.7.7. */
static int good_reply(unsigned char *out, const unsigned char *q, int qlen, int an)
{
	static const unsigned char a[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 7, 7, 7, 7 };
	int len = qlen, i;
	memcpy(out, q, qlen);
	out[2] = 0x81;
	out[3] = 0x80;
	out[6] = (unsigned char)(an >> 8);
	out[7] = (unsigned char)an;
	for (i = 0; i < an; i++) {
		memcpy(out + len, a, sizeof a);
		out[len + 15] = (unsigned char)i;
		len += sizeof a;
	}
	return len;
}

static void reply(int fd, const void *p, int n, const struct sockaddr_in *to)
{
	sendto(fd, p, n, 0, (const struct sockaddr *)to, sizeof *to);
}

static void fake_ns_cb(evutil_socket_t fd, short what, void *arg)
{
	unsigned char q[1500], r[4000];
	struct sockaddr_in from;
	socklen_t fl = sizeof from;
	int n, len, i;
	(void)what; (void)arg;
	n = recvfrom(fd, q, sizeof q, 0, (struct sockaddr *)&from, &fl);
	if (n < 12)
		return;
	len = good_reply(r, q, n, 1);
	switch (scenario) {
	case 0: /* wrong ids first, then the answer */
		for (i = 0; i < 20; i++) {
			r[0] ^= (unsigned char)(i + 1);
			reply(fd, r, len, &from);
			r[0] ^= (unsigned char)(i + 1);
		}
		reply(fd, r, len, &from);
		break;
	case 1: /* too short to have a header, then the answer */
		reply(fd, r, 7, &from);
		reply(fd, r, 0, &from);
		reply(fd, r, len, &from);
		break;
	case 2: /* not a reply (QR clear), then the answer */
		r[2] &= 0x7f;
		reply(fd, r, len, &from);
		r[2] |= 0x80;
		reply(fd, r, len, &from);
		break;
	case 3: /* from another address, then the answer */
		reply(liar_fd, r, len, &from);
		reply(fd, r, len, &from);
		break;
	case 4: /* header only, no question */
		r[5] = 0;
		reply(fd, r, 12, &from);
		break;
	case 5: /* cut inside the answer */
		reply(fd, r, len - 3, &from);
		break;
	case 6: /* answer name: a pointer to itself */
		r[n] = 0xc0;
		r[n + 1] = (unsigned char)n;
		reply(fd, r, len, &from);
		break;
	case 7: /* answer name: a pointer past the end */
		r[n] = 0xff;
		r[n + 1] = 0xff;
		reply(fd, r, len, &from);
		break;
	case 8: /* a record length past the end */
		r[n + 10] = 0x40;
		reply(fd, r, len, &from);
		break;
	case 9: /* an A record of 5 bytes */
		r[n + 11] = 5;
		r[len++] = 9;
		reply(fd, r, len, &from);
		break;
	case 10: /* 65535 answers announced, one present */
		r[6] = r[7] = 0xff;
		reply(fd, r, len, &from);
		break;
	case 11: /* another question */
		r[13] ^= 0x55;
		reply(fd, r, len, &from);
		break;
	case 12: /* 3000 bytes: cut to 1500 when read, the answer still in it */
		memset(r + len, 0xee, 3000 - len);
		reply(fd, r, 3000, &from);
		break;
	case 13: /* 40 answers: 32 kept */
		len = good_reply(r, q, n, 40);
		reply(fd, r, len, &from);
		break;
	case 14: /* a question name made of pointers in a loop, among many questions */
		r[4] = 0x7f;
		r[5] = 0xff;
		r[12] = 0xc0;
		r[13] = 12;
		reply(fd, r, len, &from);
		break;
	default: { /* fuzz: the good reply, mutated */
		int k, flips = 1 + (int)(next_rand() % 6);
		for (k = 0; k < flips; k++) {
			int at = 2 + (int)(next_rand() % (unsigned)(len - 2));
			switch (next_rand() % 4) {
			case 0: r[at] = (unsigned char)next_rand(); break;
			case 1: r[at] = 0xc0; break;
			case 2: r[at] ^= 0xff; break;
			default: r[at] = 0; break;
			}
		}
		if (next_rand() % 3 == 0)
			len = 2 + (int)(next_rand() % (unsigned)(len - 1));
		reply(fd, r, len, &from);
		/* Whatever that did, a second, good reply may follow (a duplicate for the resolver). */
		if (next_rand() % 2) {
			len = good_reply(r, q, n, 1);
			reply(fd, r, len, &from);
		}
	}
	}
}

static void result_cb(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	(void)type; (void)ttl; (void)arg;
	last_result = result;
	last_count = count;
	if (result == DNS_ERR_NONE && count > 0)
		memcpy(last_addr, addresses, 4);
	done = 1;
}

static int lookup(int which)
{
	scenario = which;
	done = 0;
	last_count = -1;
	CHECK(evdns_base_resolve_ipv4(dns, "host.example.com", DNS_QUERY_NO_SEARCH, result_cb, NULL) != NULL);
	run_until(base, &done);
	return last_result;
}

/* ---- the server side ---- */

static int server_calls;
static void server_cb(struct evdns_server_request *req, void *arg)
{
	int i;
	(void)arg;
	server_calls++;
	for (i = 0; i < req->nquestions; i++) {
		CHECK(strlen(req->questions[i]->name) <= 255);
		/* Echo each name back: names read from a hostile packet must be writable again. */
		evdns_server_request_add_cname_reply(req, req->questions[i]->name, req->questions[i]->name, 1);
	}
	if (server_calls % 3 == 0)
		evdns_server_request_drop(req);
	else
		evdns_server_request_respond(req, server_calls % 16);
}

int main(void)
{
	int i, counts[128] = { 0 }, sport, sfd, cli;
	struct event *ev;
	struct evdns_server_port *server;
	struct sockaddr_in srv;
	static const unsigned char query[] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		4, 'h', 'o', 's', 't', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1 };

	base = event_base_new();
	evdns_set_log_fn(quiet_log);
	fake_fd = udp_socket(&fake_port);
	liar_fd = udp_socket_on("127.0.0.2", NULL);
	ev = event_new(base, fake_fd, EV_READ | EV_PERSIST, fake_ns_cb, NULL);
	event_add(ev, NULL);
	dns = evdns_base_new(base, 0);
	CHECK_EQ(evdns_base_nameserver_ip_add(dns, loopback_addr(fake_port)), 0);
	CHECK_EQ(evdns_base_set_option(dns, "timeout:", "0.2"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "attempts:", "2"), 0);
	CHECK_EQ(evdns_base_set_option(dns, "initial-probe-timeout:", "3600"), 0);

	/* Ignored packets, then the real answer. */
	for (i = 0; i <= 3; i++) {
		CHECK_EQ(lookup(i), DNS_ERR_NONE);
		CHECK_EQ(last_count, 1);
		CHECK_EQ(last_addr[3], 0);
	}
	CHECK(dns_warnings > 0); /* the reply from 127.0.0.2 was reported */
	/* A malformed reply with our id ends the lookup (libevent's "unknown"). */
	for (i = 4; i <= 11; i++)
		CHECK_EQ(lookup(i), DNS_ERR_UNKNOWN);
	CHECK_EQ(lookup(12), DNS_ERR_NONE);
	CHECK_EQ(last_count, 1);
	CHECK_EQ(lookup(13), DNS_ERR_NONE);
	CHECK_EQ(last_count, 32);
	CHECK_EQ(lookup(14), DNS_ERR_UNKNOWN);

	/* Mutated replies: any outcome but a crash, and the resolver still answers after. */
	for (i = 0; i < 300; i++) {
		int r = lookup(100);
		CHECK(r >= 0 && r < 128);
		counts[r]++;
		if (r == DNS_ERR_NONE)
			CHECK(last_count >= 0 && last_count <= 32);
	}
	CHECK_EQ(lookup(0), DNS_ERR_NONE);
	printf("resolver fuzz outcomes:");
	for (i = 0; i < 128; i++)
		if (counts[i])
			printf(" %d x%d", i, counts[i]);
	printf("\n");

	/* The server port: queries cut, mutated or random (12 bytes or more). */
	sfd = udp_socket(&sport);
	server = evdns_add_server_port_with_base(base, sfd, 0, server_cb, NULL);
	CHECK(server != NULL);
	sockaddr_lo(&srv, sport);
	cli = udp_socket(NULL);
	for (i = 0; i < 3000; i++) {
		unsigned char p[600];
		int len, k;
		if (i % 3 == 0) {
			len = 12 + (int)(next_rand() % 200);
			for (k = 0; k < len; k++)
				p[k] = (unsigned char)next_rand();
			p[2] &= 0x7f;
			p[4] = 0;
			p[5] = (unsigned char)(next_rand() % 4);
		} else {
			memcpy(p, query, sizeof query);
			len = sizeof query;
			for (k = 0; k < 1 + (int)(next_rand() % 5); k++) {
				int at = 2 + (int)(next_rand() % (sizeof query - 2));
				p[at] = next_rand() % 2 ? 0xc0 : (unsigned char)next_rand();
			}
			if (next_rand() % 4 == 0)
				len = 12 + (int)(next_rand() % (sizeof query - 11));
			if (next_rand() % 4 == 0) {
				memset(p + len, 0xc0, 300);
				len += 300;
			}
		}
		sendto(cli, p, len, 0, (struct sockaddr *)&srv, sizeof srv);
		if (i % 50 == 0)
			run_ready(base);
	}
	run_ready(base);
	/* Drain the replies, then check the port still answers a plain query. */
	{
		unsigned char buf[600];
		int got = 0;
		while (recv(cli, buf, sizeof buf, MSG_DONTWAIT) > 0)
			;
		sendto(cli, query, sizeof query, 0, (struct sockaddr *)&srv, sizeof srv);
		server_calls = 0; /* respond with code 1 to this one */
		for (i = 0; i < 100 && got <= 0; i++) {
			run_ready(base);
			got = recv(cli, buf, sizeof buf, MSG_DONTWAIT);
		}
		CHECK(got >= 12);
		CHECK_EQ(buf[0], 0x12);
		CHECK_EQ(buf[1], 0x34);
		CHECK(buf[2] & 0x80);
	}
	printf("server: still answering\n");

	close(cli);
	evdns_close_server_port(server);
	evdns_base_free(dns, 0);
	event_free(ev);
	close(fake_fd);
	close(liar_fd);
	event_base_free(base);
	return 0;
}
