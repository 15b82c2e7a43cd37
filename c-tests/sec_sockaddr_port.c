/* CVE-2016-10196: evutil_parse_sockaddr_port copied a bracketed address into a 128-byte stack
 * buffer without checking its length (a stack overflow before 2.1.6). Bracketed addresses of
 * every length around the buffer's size and far past it, with and without a port and a
 * closing bracket, each in a heap block of exactly its size (so valgrind sees any read past
 * it), and evutil_inet_pton on the same texts. compare-output: libevent 2.1.12's answers. */
#include <event2/util.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

static void try_parse(const char *label, size_t n, const char *text)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	int len = (int)sizeof ss, r;
	char *copy = malloc(strlen(text) + 1);
	unsigned char a6[16];
	CHECK(copy != NULL);
	strcpy(copy, text);
	memset(&ss, 0x55, sizeof ss);
	r = evutil_parse_sockaddr_port(copy, (struct sockaddr *)&ss, &len);
	printf("%s %zu: %d", label, n, r);
	if (r == 0) {
		char buf[64];
		CHECK_EQ(ss.ss_family, AF_INET6);
		CHECK_EQ(len, (int)sizeof *sin6);
		printf(" %s port %d", evutil_inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof buf), ntohs(sin6->sin6_port));
	}
	/* The same text without its brackets, as an address. */
	if (copy[0] == '[') {
		char *end = strchr(copy, ']');
		if (end)
			*end = 0;
		printf(" pton %d", evutil_inet_pton(AF_INET6, copy + 1, a6));
	}
	/* A destination too small for an IPv6 address. */
	len = (int)sizeof(struct sockaddr_in);
	printf(" small %d\n", evutil_parse_sockaddr_port(text, (struct sockaddr *)&ss, &len));
	free(copy);
}

int main(void)
{
	static const size_t lens[] = { 0, 1, 2, 38, 39, 40, 45, 46, 47, 63, 64, 65, 126, 127, 128, 129,
		130, 200, 255, 256, 257, 1000, 4096, 65536, 1 << 20 };
	size_t i;
	for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		size_t n = lens[i];
		char *t = malloc(n + 16), *hex = malloc(n + 16);
		CHECK(t != NULL && hex != NULL);
		/* n characters of an address-like text: "::" then hex digits and colons. */
		memset(hex, 0, n + 16);
		if (n >= 2)
			memcpy(hex, "::", 2);
		for (size_t k = 2; k < n; k++)
			hex[k] = (k % 5 == 1) ? ':' : "0123456789abcdef"[k % 16];
		snprintf(t, n + 16, "[%s]:80", hex);
		try_parse("bracket+port", n, t);
		snprintf(t, n + 16, "[%s]", hex);
		try_parse("bracket", n, t);
		snprintf(t, n + 16, "[%s", hex);
		try_parse("unclosed", n, t);
		/* A valid address padded with leading zeros up to n characters. */
		memset(hex, '0', n);
		hex[n] = 0;
		if (n >= 3)
			memcpy(hex + n - 3, "::1", 3);
		snprintf(t, n + 16, "[%s]:65535", hex);
		try_parse("zeros", n, t);
		free(t);
		free(hex);
	}
	try_parse("valid", 0, "[::ffff:1.2.3.4]:8080");
	try_parse("valid", 1, "[fe80::1]:1");
	try_parse("empty", 0, "[]:80");
	try_parse("bracket only", 0, "[");
	try_parse("port past 65535", 0, "[::1]:65536");
	return 0;
}
