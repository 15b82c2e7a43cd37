/* Differential test of the evutil parsers and printers on many generated inputs (a fixed
 * pseudo-random sequence): compare-output makes every line match the system's libevent.
 * Covers evutil_inet_pton/ntop (both families, scopes), evutil_parse_sockaddr_port,
 * evutil_strtoll (values, end pointers, errno) and the ASCII case-insensitive compares. */
#include <event2/util.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "check.h"

static unsigned long long seed = 0x243f6a8885a308d3ULL;
static unsigned rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(seed >> 33) % n;
}

static void random_text(char *out, const char *alphabet, unsigned maxlen)
{
	unsigned len = rnd(maxlen + 1), i, n = strlen(alphabet);
	for (i = 0; i < len; i++)
		out[i] = alphabet[rnd(n)];
	out[len] = 0;
}

/* Something that looks like an IPv6 address: half the time well-formed (groups, one gap, maybe
 * a dotted quad or a scope), otherwise pieces joined at random. */
static void v6ish(char *out)
{
	static const char *pieces[] = {"0", "1", "ff", "ffff", "abcd", "12345", "0x1", "", ":", "1.2.3.4",
		"255.0.0.1", "%1", "%lo", " ", "00000", "f", "10", "::"};
	static const char *groups[] = {"0", "1", "ff", "FFFF", "abcd", "0db8", "fe80", "7", "0x1f", "00000"};
	unsigned n, i;
	out[0] = 0;
	if (rnd(2)) {
		int quad = rnd(4) == 0, gap = rnd(3) ? (int)rnd(8 - 2 * quad) : -1;
		n = 8 - 2 * quad - (gap >= 0 ? 1 + rnd(4) : 0);
		for (i = 0; i < n; i++) {
			if ((int)i == gap)
				strcat(out, i == 0 ? "::" : ":");
			strcat(out, groups[rnd(rnd(6) ? 8 : 10)]);
			if (i + 1 < n || quad)
				strcat(out, ":");
		}
		if (gap >= (int)n)
			strcat(out, n ? ":" : "::");
		if (quad)
			strcat(out, rnd(2) ? "10.0.0.1" : "1.2.3.999");
		if (rnd(6) == 0)
			strcat(out, rnd(2) ? "%1" : "%lo");
		return;
	}
	n = rnd(10);
	if (rnd(4) == 0)
		strcat(out, "::");
	for (i = 0; i < n; i++) {
		strcat(out, pieces[rnd(sizeof pieces / sizeof pieces[0])]);
		if (i + 1 < n)
			strcat(out, rnd(8) == 0 ? "::" : ":");
	}
}

static void v4ish(char *out)
{
	static const char *pieces[] = {"0", "1", "255", "256", "01", " 7", "+3", "-1", "4294967296",
		"", "x", "99", "1000", "10", "192", "168", "4"};
	unsigned n = rnd(3) ? 4 : 3 + rnd(3), i;
	out[0] = 0;
	for (i = 0; i < n; i++) {
		strcat(out, pieces[rnd(2) ? 13 + rnd(4) : rnd(sizeof pieces / sizeof pieces[0])]);
		if (i + 1 < n)
			strcat(out, rnd(10) == 0 ? ".." : ".");
	}
	if (rnd(6) == 0)
		strcat(out, rnd(2) ? " " : "x");
}

static void pton_line(const char *s)
{
	unsigned char a[16];
	char buf[64];
	unsigned idx = 0;
	int r4, r6, rs;
	memset(a, 0, sizeof a);
	r4 = evutil_inet_pton(AF_INET, s, a);
	printf("4 '%s' %d %s", s, r4, r4 == 1 ? evutil_inet_ntop(AF_INET, a, buf, sizeof buf) : "-");
	memset(a, 0, sizeof a);
	r6 = evutil_inet_pton(AF_INET6, s, a);
	printf(" | 6 %d %s", r6, r6 == 1 ? evutil_inet_ntop(AF_INET6, a, buf, sizeof buf) : "-");
	memset(a, 0, sizeof a);
	rs = evutil_inet_pton_scope(AF_INET6, s, a, &idx);
	printf(" | s %d %u %s\n", rs, idx, rs == 1 ? evutil_inet_ntop(AF_INET6, a, buf, sizeof buf) : "-");
}

static void port_line(const char *s)
{
	struct sockaddr_storage ss;
	int len = sizeof ss, r;
	char buf[64];
	memset(&ss, 0, sizeof ss);
	r = evutil_parse_sockaddr_port(s, (struct sockaddr *)&ss, &len);
	if (r != 0) {
		printf("p '%s' %d\n", s, r);
	} else if (ss.ss_family == AF_INET) {
		struct sockaddr_in *sin = (void *)&ss;
		printf("p '%s' %s %d\n", s, evutil_inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf), ntohs(sin->sin_port));
	} else {
		struct sockaddr_in6 *sin6 = (void *)&ss;
		printf("p '%s' [%s] %d %u\n", s, evutil_inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof buf),
		    ntohs(sin6->sin6_port), sin6->sin6_scope_id);
	}
}

int main(void)
{
	static const int bases[] = {0, 0, 2, 8, 10, 10, 10, 16, 16, 36, 1, 37, -1};
	char s[256], t[256], u[300], buf[64];
	int i;

	for (i = 0; i < 1500; i++) {
		v4ish(s);
		pton_line(s);
		v6ish(s);
		pton_line(s);
		random_text(s, "0123456789abcdefABCDEF:.%x -+", 24);
		pton_line(s);
	}

	for (i = 0; i < 1500; i++) {
		const char *ports[] = {"80", "443", "8080", "0", "65535", "65536", " 1", "+2", "-3", "", "x", "4294967376", "7z"};
		const char *port = ports[rnd(sizeof ports / sizeof ports[0])];
		switch (rnd(4)) {
		case 0: v4ish(s); snprintf(u, sizeof u, "%s:%s", s, port); break;
		case 1: v6ish(s); snprintf(u, sizeof u, "[%s]:%s", s, port); break;
		case 2: v6ish(s); snprintf(u, sizeof u, "%s", s); break;
		default: random_text(u, "0123456789ab:.[]% x", 20); break;
		}
		port_line(u);
	}

	for (i = 0; i < 800; i++) {
		unsigned char a[16];
		int k;
		for (k = 0; k < 8; k++) {
			unsigned w = rnd(3) ? 0 : (rnd(4) == 0 ? 0xffff : rnd(0x10000));
			a[2 * k] = w >> 8;
			a[2 * k + 1] = w & 0xff;
		}
		printf("n6 %s\n", evutil_inet_ntop(AF_INET6, a, buf, sizeof buf));
		CHECK_EQ(evutil_inet_pton(AF_INET6, buf, t), 1);
		CHECK(memcmp(a, t, 16) == 0);
	}

	for (i = 0; i < 2500; i++) {
		int base = bases[rnd(sizeof bases / sizeof bases[0])];
		char *end = (char *)0x1;
		ev_int64_t v;
		random_text(s, " \t+-0123456789xXabfzZ", 26);
		if (rnd(5) == 0)
			strcpy(s, rnd(2) ? "9223372036854775808" : "-9223372036854775809");
		errno = 0;
		v = evutil_strtoll(s, &end, base);
		printf("ll '%s' %d -> %lld end %ld errno %d\n", s, base, (long long)v,
		    end == (char *)0x1 ? -1L : (long)(end - s), errno);
	}

	for (i = 0; i < 1500; i++) {
		size_t n = rnd(8);
		int r, rn;
		random_text(s, "aAzZ@[`{\xe9\xc9", 6);
		random_text(t, "aAzZ@[`{\xe9\xc9", 6);
		r = evutil_ascii_strcasecmp(s, t);
		rn = evutil_ascii_strncasecmp(s, t, n);
		printf("cmp %d %d\n", r, rn);
	}
	return 0;
}
