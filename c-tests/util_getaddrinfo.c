/* evutil_getaddrinfo / evutil_freeaddrinfo / evutil_gai_strerror on numeric and local names,
 * good and bad hints. compare-output: results must equal the system's libevent's. */
#include <event2/util.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "check.h"

static void run(const char *label, const char *node, const char *serv, int family, int socktype,
    int flags, int use_hints)
{
	struct evutil_addrinfo hints, *res = NULL, *ai;
	int r, n = 0;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = socktype;
	hints.ai_flags = flags;
	r = evutil_getaddrinfo(node, serv, use_hints ? &hints : NULL, &res);
	printf("%s: %d (%s)\n", label, r, evutil_gai_strerror(r));
	if (r != 0) {
		CHECK(res == NULL);
		return;
	}
	CHECK(res != NULL);
	for (ai = res; ai; ai = ai->ai_next, n++) {
		char buf[64];
		int port;
		const void *a;
		if (ai->ai_family == AF_INET) {
			a = &((struct sockaddr_in *)ai->ai_addr)->sin_addr;
			port = ntohs(((struct sockaddr_in *)ai->ai_addr)->sin_port);
		} else {
			a = &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
			port = ntohs(((struct sockaddr_in6 *)ai->ai_addr)->sin6_port);
		}
		printf("  %d: family %d socktype %d protocol %d addrlen %d %s port %d canon %s\n", n,
		    ai->ai_family, ai->ai_socktype, ai->ai_protocol, (int)ai->ai_addrlen,
		    evutil_inet_ntop(ai->ai_family, a, buf, sizeof buf), port,
		    ai->ai_canonname ? ai->ai_canonname : "-");
		CHECK_EQ(evutil_sockaddr_cmp(ai->ai_addr, res->ai_addr, 0), 0);
	}
	evutil_freeaddrinfo(res);
}

int main(void)
{
	run("v4 numeric stream", "127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, EVUTIL_AI_NUMERICHOST, 1);
	run("v4 no hints", "127.0.0.1", "8080", 0, 0, 0, 0);
	run("v6 numeric", "::1", "443", AF_INET6, SOCK_DGRAM, EVUTIL_AI_NUMERICHOST | EVUTIL_AI_NUMERICSERV, 1);
	run("passive any", NULL, "80", AF_INET, SOCK_STREAM, EVUTIL_AI_PASSIVE, 1);
	run("passive v6", NULL, "80", AF_INET6, SOCK_STREAM, EVUTIL_AI_PASSIVE, 1);
	run("not passive", NULL, "80", AF_INET, SOCK_STREAM, 0, 1);
	run("canonname", "127.0.0.1", NULL, AF_INET, SOCK_STREAM, EVUTIL_AI_CANONNAME | EVUTIL_AI_NUMERICHOST, 1);
	run("service by name", "127.0.0.1", "http", AF_INET, SOCK_STREAM, 0, 1);
	run("localhost v4", "localhost", "7", AF_INET, SOCK_STREAM, 0, 1);
	run("v4 mapped", "1.2.3.4", "9", AF_INET6, SOCK_STREAM, EVUTIL_AI_V4MAPPED, 1);
	run("libevent's private flag is dropped", "127.0.0.1", "1", AF_INET, SOCK_STREAM, (int)0x80000000, 1);
	/* bad input */
	run("nothing", NULL, NULL, AF_UNSPEC, 0, 0, 1);
	run("named service, numeric only", "127.0.0.1", "http", AF_INET, SOCK_STREAM, EVUTIL_AI_NUMERICSERV, 1);
	run("name, numeric only", "no such host", "80", AF_INET, SOCK_STREAM, EVUTIL_AI_NUMERICHOST, 1);
	run("v6 text, v4 family", "::1", "80", AF_INET, SOCK_STREAM, EVUTIL_AI_NUMERICHOST, 1);
	run("bad family", "127.0.0.1", "80", 12345, SOCK_STREAM, 0, 1);
	run("bad socktype", "127.0.0.1", "80", AF_INET, 12345, 0, 1);
	run("bad flags", "127.0.0.1", "80", AF_INET, SOCK_STREAM, 0x10000000, 1);
	run("bad service", "127.0.0.1", "no-such-service-xyz", AF_INET, SOCK_STREAM, 0, 1);
	run("port too big", "127.0.0.1", "65536", AF_INET, SOCK_STREAM, EVUTIL_AI_NUMERICSERV, 1);
	return 0;
}
