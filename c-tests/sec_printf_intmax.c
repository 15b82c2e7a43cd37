/* evbuffer_add_printf of a text of INT_MAX bytes (CVE-2014-6272's family: sizes at the edge of
 * the int result). libevent 2.1.12 asks for sz + 1 bytes in int arithmetic, which fails: -1,
 * nothing added, no 2 GiB allocation. One byte less would really allocate 2 GiB, so it is not
 * tried. no-valgrind: formatting INT_MAX bytes of padding takes seconds natively, far too long
 * under valgrind (the other sec_ tests cover the buffer code under it).
 * compare-output: libevent 2.1.12's answers. */
#include <event2/buffer.h>
#include <limits.h>
#include <stdio.h>
#include "check.h"

int main(void)
{
	struct evbuffer *b = evbuffer_new();
	evbuffer_add(b, "abc", 3);
	printf("printf INT_MAX bytes: %d\n", evbuffer_add_printf(b, "%*s", INT_MAX, ""));
	printf("length %zu\n", evbuffer_get_length(b));
	printf("printf small: %d\n", evbuffer_add_printf(b, "%d-%s", 42, "x"));
	printf("length %zu\n", evbuffer_get_length(b));
	evbuffer_free(b);
	return 0;
}
