/* Helpers for the buffer_* tests: print a buffer's observable state (length, first-chain
 * length, number of extents, contents) so compare-output tests diff it against libevent. */
#ifndef C_TESTS_BUFFER_COMMON_H
#define C_TESTS_BUFFER_COMMON_H
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

static void show_bytes(const unsigned char *p, size_t n)
{
	size_t i;
	for (i = 0; i < n && i < 80; i++) {
		if (p[i] == '\r') printf("\\r");
		else if (p[i] == '\n') printf("\\n");
		else if (p[i] == 0) printf("\\0");
		else if (p[i] < 32 || p[i] > 126) printf("\\x%02x", p[i]);
		else putchar(p[i]);
	}
	if (n > 80) printf("...(%zu)", n);
}

static void dump(const char *what, struct evbuffer *b)
{
	size_t len = evbuffer_get_length(b);
	unsigned char *tmp = malloc(len + 1);
	ev_ssize_t n = evbuffer_copyout(b, tmp, len);
	printf("%s: len=%zu contig=%zu extents=%d copyout=%zd [", what, len,
	    evbuffer_get_contiguous_space(b), evbuffer_peek(b, -1, NULL, NULL, 0), (ssize_t)n);
	if (n > 0) show_bytes(tmp, (size_t)n);
	printf("]\n");
	free(tmp);
}

static void fill(char *p, size_t n, char base)
{
	size_t i;
	for (i = 0; i < n; i++) p[i] = (char)(base + (i % 26));
}
#endif
