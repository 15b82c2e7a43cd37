/* evutil addresses: inet_pton/ntop, scopes, parse_sockaddr_port, sockaddr_cmp, with malformed
 * input. compare-output: every line must be what the system's libevent prints. */
#include <event2/util.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "check.h"

static const char *v4s[] = {
	"1.2.3.4", "0.0.0.0", "255.255.255.255", "01.2.3.4", " 1.2.3.4", "1. 2.+3.4",
	"4294967296.1.1.1", "-4294967295.1.1.1", "1.2.3.04",
	/* malformed */
	"", "1.2.3", "1.2.3.4 ", "1.2.3.4.5", "1.2.3.256", "256.1.1.1", "1 .2.3.4", "a.b.c.d",
	"1.2.3.-1", "99999999999999999999.1.1.1", "1.2.3.4x", "1..3.4", ".1.2.3", "::1", NULL,
};

static const char *v6s[] = {
	"::", "::1", "1::", "1::2", "fe80::1", "2001:db8::ff00:42:8329", "1:2:3:4:5:6:7:8",
	"::ffff:1.2.3.4", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1::2:3:4:5:6:7", "1:2:3:4:5:6:7::",
	"::2:3:4:5:6:7:8", "ABCD:EF01::", "0x12::1", "1::2:", "::ffff:0.0.0.0", "::0.0.1.1",
	/* malformed */
	"", ":", ":::", ":1::2", "1:::2", "1::2::3", "12345::", "fffff::", "1:2:3:4:5:6:7:8:9",
	"1:2:3:4:5:6:7", "::1.2.3", ".1.2.3.4", "1.2.3.4", "1::-1", "1:: 2", "::00001",
	"::ffff:1.2.3.256", "::1.2.3.4.5", "g::1", "::1%1", "[::1]", "1:2:3:4:5:6:7:8::", NULL,
};

static const char *scoped[] = {
	"::1", "::1%1", "::1%", "::1% 7", "::1%+7", "::1%-1", "::1%99999999999", "fe80::1%lo",
	/* malformed */
	"::1%x", "::1%5x", "::1%%5", "::1%0x10", "1.2.3.4%5", "fe80::1%no-such-interface-here", NULL,
};

static const char *ports[] = {
	"1.2.3.4", "1.2.3.4:80", "1.2.3.4:65535", "1.2.3.4:1", "1.2.3.4: 80", "1.2.3.4:+80",
	"1.2.3.4:80x", "1.2.3.4:4294967376", "[::1]:8080", "[::1]", "::1", "[::1]x80",
	"[fe80::1%1]:80", "fe80::1%1", "::ffff:10.0.0.1", "[::ffff:10.0.0.1]:443", "01.2.3.4:9",
	/* malformed addresses and ports */
	"", "[", "[]", "[]:80", "[::1", "[::1]:", "[::1]:0", "[::1]:65536", "1.2.3.4:", "1.2.3.4:0",
	"1.2.3.4:-5", "1.2.3.4:65536", "1.2.3.4:x", "1.2.3.4:99999999999", "1.2.3:80",
	"1.2.3.4:80:90", "[1.2.3.4]:80", "localhost:80", "host", ":80", "fe80::1%bogus",
	"300.1.1.1:80", NULL,
};

static void show_sa(const char *label, const struct sockaddr *sa, int len)
{
	char buf[128];
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)sa;
		printf("%s: len %d AF_INET %s port %d\n", label, len,
		    evutil_inet_ntop(AF_INET, &s->sin_addr, buf, sizeof buf), ntohs(s->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)sa;
		printf("%s: len %d AF_INET6 %s port %d scope %u\n", label, len,
		    evutil_inet_ntop(AF_INET6, &s->sin6_addr, buf, sizeof buf), ntohs(s->sin6_port),
		    s->sin6_scope_id);
	} else {
		printf("%s: family %d\n", label, sa->sa_family);
	}
}

int main(void)
{
	char buf[128];
	int i;

	for (i = 0; v4s[i]; i++) {
		unsigned char a[4] = {0xaa, 0xaa, 0xaa, 0xaa};
		int r = evutil_inet_pton(AF_INET, v4s[i], a);
		printf("pton4 '%s' -> %d %s\n", v4s[i], r,
		    r == 1 ? evutil_inet_ntop(AF_INET, a, buf, sizeof buf) : "");
		if (r != 1)
			CHECK(a[0] == 0xaa && a[3] == 0xaa);
	}
	for (i = 0; v6s[i]; i++) {
		unsigned char a[16];
		int r;
		memset(a, 0xaa, sizeof a);
		r = evutil_inet_pton(AF_INET6, v6s[i], a);
		printf("pton6 '%s' -> %d %s\n", v6s[i], r,
		    r == 1 ? evutil_inet_ntop(AF_INET6, a, buf, sizeof buf) : "");
		if (r != 1)
			CHECK(a[0] == 0xaa && a[15] == 0xaa);
	}
	{
		unsigned char a[16];
		CHECK_EQ(evutil_inet_pton(AF_UNIX, "1.2.3.4", a), -1);
		CHECK_EQ(evutil_inet_pton(12345, "::1", a), -1);
	}

	for (i = 0; scoped[i]; i++) {
		unsigned char a[16];
		unsigned idx = 77;
		int r;
		memset(a, 0, sizeof a);
		r = evutil_inet_pton_scope(AF_INET6, scoped[i], a, &idx);
		printf("scope '%s' -> %d index %u %s\n", scoped[i], r,
		    r == 1 || idx ? idx : 0, r == 1 ? evutil_inet_ntop(AF_INET6, a, buf, sizeof buf) : "");
	}
	{
		unsigned char a[16];
		unsigned idx = 77;
		CHECK_EQ(evutil_inet_pton_scope(AF_INET, "10.0.0.1", a, &idx), 1);
		CHECK_EQ(idx, 0);
		idx = 77;
		CHECK_EQ(evutil_inet_pton_scope(AF_INET, "10.0.0.1%1", a, &idx), 0);
		CHECK_EQ(idx, 0);
	}

	/* ntop: every IPv6 spelling rule, and buffers too small. */
	{
		static const unsigned char t6[][16] = {
			{0}, {0,0,0,0,0,0,0,0,0,0,0xff,0xff,1,2,3,4}, {0,0,0,0,0,0,0,0,0,0,0,0,1,2,3,4},
			{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1}, {0,1,0,0,0,0,0,1,0,0,0,0,0,0,0,1},
			{0,1,0,0,0,1,0,0,0,0,0,0,0,1,0,1}, {0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1},
			{0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,1}, {0,0,0,0,0,0,0,0,0,0,0xff,0xfe,1,2,3,4},
			{0,0,0,0,0,0,0,0,0,0,0,0,0xff,0xff,0,0}, {0,0,0,0,0,0,0,0,0,0,0xff,0xff,0,0,0,0},
			{0xfe,0x80,0,0,0,0,0,0,0,0,0,0,0,0,0,0}, {0,1,0,2,0,3,0,4,0,5,0,6,0,7,0,8},
			{0,1,0,0,0,3,0,4,0,5,0,6,0,7,0,8}, {0,0,0,0,0,0,0,0,0,0,0,0,0xab,0xcd,0,1},
			{0,0,0,0,0,0,0,0,0,0,0,0,0,0xcd,0,1}, {0,1,0,0,0,0,0,2,0,0,0,0,0,0,0,3},
			{0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff,0xff},
		};
		unsigned k;
		for (k = 0; k < sizeof t6 / sizeof t6[0]; k++) {
			const char *p = evutil_inet_ntop(AF_INET6, t6[k], buf, sizeof buf);
			printf("ntop6 %s\n", p ? p : "NULL");
		}
	}
	{
		unsigned char one[16] = {0};
		unsigned char quad[4] = {192, 168, 100, 200};
		size_t len;
		one[15] = 1;
		for (len = 0; len <= 5; len++) {
			const char *p;
			memset(buf, 'Z', sizeof buf);
			buf[20] = 0;
			p = evutil_inet_ntop(AF_INET6, one, buf, len);
			printf("ntop6 ::1 into %zu -> %s '%s'\n", len, p ? "ok" : "NULL", buf);
		}
		for (len = 0; len <= 17; len += (len < 13 ? 13 : 1)) {
			const char *p;
			memset(buf, 'Z', sizeof buf);
			buf[20] = 0;
			p = evutil_inet_ntop(AF_INET, quad, buf, len);
			printf("ntop4 into %zu -> %s '%s'\n", len, p ? "ok" : "NULL", buf);
		}
		CHECK(evutil_inet_ntop(AF_UNIX, one, buf, sizeof buf) == NULL);
	}

	for (i = 0; ports[i]; i++) {
		struct sockaddr_storage ss;
		int len = sizeof ss;
		int r;
		memset(&ss, 0x55, sizeof ss);
		r = evutil_parse_sockaddr_port(ports[i], (struct sockaddr *)&ss, &len);
		if (r == 0) {
			show_sa(ports[i], (struct sockaddr *)&ss, len);
			/* The rest of the caller's buffer is cleared. */
			CHECK(((unsigned char *)&ss)[sizeof ss - 1] == 0);
		} else {
			printf("%s: %d (len still %d)\n", ports[i], r, len);
			CHECK_EQ(len, (int)sizeof ss);
		}
	}
	{
		/* The output buffer must be large enough; it is left alone otherwise. */
		struct sockaddr_in sin;
		struct sockaddr_in6 sin6;
		int len = sizeof sin - 1;
		memset(&sin, 0x55, sizeof sin);
		CHECK_EQ(evutil_parse_sockaddr_port("1.2.3.4:5", (struct sockaddr *)&sin, &len), -1);
		CHECK_EQ(len, sizeof sin - 1);
		CHECK_EQ(((unsigned char *)&sin)[0], 0x55);
		len = sizeof sin;
		CHECK_EQ(evutil_parse_sockaddr_port("1.2.3.4:5", (struct sockaddr *)&sin, &len), 0);
		CHECK_EQ(len, sizeof sin);
		len = sizeof sin;
		CHECK_EQ(evutil_parse_sockaddr_port("[::1]:5", (struct sockaddr *)&sin, &len), -1);
		len = sizeof sin6;
		CHECK_EQ(evutil_parse_sockaddr_port("[::1]:5", (struct sockaddr *)&sin6, &len), 0);
		CHECK_EQ(len, sizeof sin6);
		CHECK_EQ(ntohs(sin6.sin6_port), 5);
	}
	{
		/* Address text longer than libevent's 127-byte buffer. */
		char big[300];
		struct sockaddr_storage ss;
		int len = sizeof ss;
		memset(big, '0', sizeof big);
		big[0] = '[';
		strcpy(big + 200, "::1]:80");
		CHECK_EQ(evutil_parse_sockaddr_port(big, (struct sockaddr *)&ss, &len), -1);
		memset(big, '1', 200);
		strcpy(big + 200, ":80");
		CHECK_EQ(evutil_parse_sockaddr_port(big, (struct sockaddr *)&ss, &len), -1);
	}

	/* sockaddr_cmp: signs only (the exact numbers are libevent's business). */
	{
		static const char *order[] = {"1.2.3.4:80", "1.2.3.4:81", "1.2.3.5:80", "5.2.3.4:1",
			"[::1]:80", "[::1]:81", "[::2]:1", "[fe80::1]:1", NULL};
		struct sockaddr_storage a, b;
		int j;
		for (i = 0; order[i]; i++) {
			for (j = 0; order[j]; j++) {
				int la = sizeof a, lb = sizeof b, r0, r1;
				CHECK_EQ(evutil_parse_sockaddr_port(order[i], (struct sockaddr *)&a, &la), 0);
				CHECK_EQ(evutil_parse_sockaddr_port(order[j], (struct sockaddr *)&b, &lb), 0);
				r0 = evutil_sockaddr_cmp((struct sockaddr *)&a, (struct sockaddr *)&b, 0);
				r1 = evutil_sockaddr_cmp((struct sockaddr *)&a, (struct sockaddr *)&b, 1);
				printf("cmp %s %s: %d %d\n", order[i], order[j],
				    (r0 > 0) - (r0 < 0), (r1 > 0) - (r1 < 0));
				if (i == j)
					CHECK(r0 == 0 && r1 == 0);
			}
		}
		{
			struct sockaddr_un_like { unsigned short fam; char path[30]; } u1, u2;
			memset(&u1, 0, sizeof u1);
			memset(&u2, 0, sizeof u2);
			u1.fam = u2.fam = AF_UNIX;
			CHECK(evutil_sockaddr_cmp((struct sockaddr *)&u1, (struct sockaddr *)&u2, 1) > 0);
		}
	}
	return 0;
}
