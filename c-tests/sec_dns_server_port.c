/* The evdns server port on hostile queries. libevent 2.1.12 crashes on any UDP datagram
 * shorter than a DNS header (0 to 11 bytes: its parser's error path uses a request it never
 * allocated); those run in a child (sec_common.h), where event_rs must drop them and still
 * answer a good query. Then, in this process: CVE-2016-10195's labels running off the end of
 * the query, pointers out of it or in a loop, cuts of a good query at every byte, a reply
 * instead of a query, no question, an unknown opcode. Each is followed by a good query that
 * must be answered. compare-output: what reaches the callback and every reply are
 * libevent 2.1.12's (short datagrams excepted, whose outcome is not printed). */
#include "dns_test.h"
#include "sec_common.h"

static struct event_base *base;
static struct evdns_server_port *port;
static int srv_fd, srv_port, cli;
static int calls;
static char last_name[300];

static void server_cb(struct evdns_server_request *req, void *arg)
{
	(void)arg;
	calls++;
	snprintf(last_name, sizeof last_name, "%s", req->nquestions > 0 ? req->questions[0]->name : "(none)");
	if (req->nquestions > 0 && req->questions[0]->type == EVDNS_TYPE_A)
		evdns_server_request_add_a_reply(req, req->questions[0]->name, 1, "\x0a\x00\x00\x01", 60);
	evdns_server_request_respond(req, 0);
}

static const unsigned char good[] = { 0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
	4, 'g', 'o', 'o', 'd', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1 };

/* Sends a datagram, lets the port read it, and returns the length of the reply (-1: none). */
static int send_and_reply(const void *p, size_t n, unsigned char *reply, size_t cap)
{
	struct sockaddr_in srv;
	int r, i;
	sockaddr_lo(&srv, srv_port);
	CHECK_EQ(sendto(cli, p, n, 0, (struct sockaddr *)&srv, sizeof srv), (long long)n);
	/* The datagram is on the loopback once sendto returns: one pass reads it. */
	for (i = 0; i < 3; i++) {
		run_ready(base);
		r = recv(cli, reply, cap, MSG_DONTWAIT);
		if (r >= 0)
			return r;
	}
	return -1;
}

/* A good query after anything: answered with 10.0.0.1. */
static int good_still_answered(void)
{
	unsigned char reply[600];
	int r = send_and_reply(good, sizeof good, reply, sizeof reply);
	return r == (int)sizeof good + 16 && reply[0] == 0xab && reply[1] == 0xcd && (reply[3] & 0x0f) == 0 &&
	    memcmp(reply + r - 4, "\x0a\x00\x00\x01", 4) == 0;
}

static void setup(void)
{
	base = event_base_new();
	srv_fd = udp_socket(&srv_port);
	port = evdns_add_server_port_with_base(base, srv_fd, 0, server_cb, NULL);
	CHECK(port != NULL);
	cli = udp_socket(NULL);
}

static void teardown(void)
{
	evdns_close_server_port(port);
	close(cli);
	event_base_free(base);
}

static size_t short_len;
static int short_child(void *arg)
{
	unsigned char reply[600];
	(void)arg;
	setup();
	send_and_reply(good, short_len, reply, sizeof reply);
	if (calls != 0)
		return 2;
	if (!good_still_answered())
		return 3;
	teardown();
	return 0;
}

static void query(const char *what, const unsigned char *p, size_t n)
{
	unsigned char reply[600];
	int before = calls, r, i;
	last_name[0] = 0;
	r = send_and_reply(p, n, reply, sizeof reply);
	printf("%s (%zu bytes): %s", what, n, calls > before ? "callback" : "no callback");
	if (calls > before)
		printf(" name \"%s\"", last_name);
	if (r >= 0) {
		printf(", reply %d bytes:", r);
		for (i = 0; i < r && i < 64; i++)
			printf(" %02x", reply[i]);
	} else {
		printf(", no reply");
	}
	printf("\n");
	CHECK(good_still_answered());
}

#define Q(what, ...) do { static const unsigned char q_[] = { __VA_ARGS__ }; query(what, q_, sizeof q_); } while (0)
#define HDR(id, f1, f2, qd) (id), (id), (f1), (f2), 0, (qd), 0, 0, 0, 0, 0, 0

int main(void)
{
	size_t i;

	evdns_set_log_fn(quiet_log);
	for (short_len = 0; short_len < 12; short_len++) {
		char what[64];
		snprintf(what, sizeof what, "a %zu-byte datagram to the server port", short_len);
		expect_safe(what, in_child(short_child, NULL));
	}

	setup();
	CHECK(good_still_answered());
	/* CVE-2016-10195: a label length running past the end of the query. */
	Q("label of 63, 1 byte present", HDR(1, 1, 0, 1), 63, 'a');
	Q("label length as the last byte", HDR(2, 1, 0, 1), 3, 'a', 'b', 'c', 9);
	Q("second label running off", HDR(3, 1, 0, 1), 1, 'a', 20, 'b', 'c');
	Q("label then no type", HDR(4, 1, 0, 1), 1, 'a', 0);
	Q("type but no class", HDR(5, 1, 0, 1), 1, 'a', 0, 0, 1, 0);
	Q("pointer to the last byte", HDR(6, 1, 0, 1), 0xc0, 16, 0, 1, 0, 1, 0x3f);
	Q("pointer to a label running off", HDR(7, 1, 0, 1), 0xc0, 18, 0, 1, 0, 1, 1, 'x', 30, 'y');
	Q("pointer past the end", HDR(8, 1, 0, 1), 0xc0, 200, 0, 1, 0, 1);
	Q("pointer loop", HDR(9, 1, 0, 1), 0xc0, 12, 0, 1, 0, 1);
	Q("two pointers in a loop", HDR(10, 1, 0, 1), 1, 'a', 0xc0, 16, 0xc0, 12, 0, 1, 0, 1);
	Q("pointer into the header", HDR(11, 1, 0, 1), 0xc0, 2, 0, 1, 0, 1);
	Q("second question running off", HDR(12, 1, 0, 2), 1, 'a', 0, 0, 1, 0, 1, 40, 'q');
	Q("65535 questions, one present", 0, 13, 1, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1);
	Q("label byte 0x80", HDR(14, 1, 0, 1), 0x80, 'a', 0, 0, 1, 0, 1);
	/* Other malformed queries. */
	Q("header only, one question announced", HDR(20, 1, 0, 1));
	Q("no question", HDR(21, 1, 0, 0));
	Q("a reply, not a query", HDR(22, 0x81, 0x80, 1), 1, 'a', 0, 0, 1, 0, 1);
	Q("opcode 2 (status)", HDR(23, 0x11, 0, 1), 1, 'a', 0, 0, 1, 0, 1);
	Q("opcode 15", HDR(24, 0x79, 0, 1), 1, 'a', 0, 0, 1, 0, 1);
	Q("all header bits", HDR(25, 0x7f, 0xff, 1), 1, 'a', 0, 0, 1, 0, 1);
	/* Every cut of a good query past the header. */
	for (i = 12; i < sizeof good; i++) {
		char what[32];
		snprintf(what, sizeof what, "good query cut at %zu", i);
		query(what, good, i);
	}
	teardown();
	return 0;
}
