/* compare-output: add, prepend, remove, copyout, drain, pullup, expand, and the chain shapes
 * they leave (extents, first chain), including empty buffers and over-long requests. */
#include "buffer_common.h"

int main(void)
{
	struct evbuffer *b = evbuffer_new();
	char big[10000], out[20000];
	int i, r;
	ev_ssize_t n;

	dump("new", b);
	CHECK_EQ(evbuffer_drain(b, 10), 0);          /* draining an empty buffer is fine */
	CHECK_EQ(evbuffer_remove(b, out, 10), 0);
	CHECK_EQ(evbuffer_copyout(b, out, 10), 0);
	CHECK(evbuffer_pullup(b, -1) == NULL);
	CHECK(evbuffer_pullup(b, 0) == NULL);
	CHECK_EQ(evbuffer_add(b, "", 0), 0);
	dump("add0", b);
	CHECK_EQ(evbuffer_prepend(b, "", 0), 0);

	CHECK_EQ(evbuffer_add(b, "hello", 5), 0);
	CHECK_EQ(evbuffer_add(b, " world", 6), 0);
	dump("two adds", b);
	CHECK_EQ(evbuffer_prepend(b, ">> ", 3), 0);
	dump("prepend", b);
	n = evbuffer_copyout(b, out, 4);
	CHECK_EQ(n, 4);
	CHECK(memcmp(out, ">> h", 4) == 0);
	r = evbuffer_remove(b, out, 3);
	CHECK_EQ(r, 3);
	dump("remove3", b);
	CHECK_EQ(evbuffer_drain(b, 1000), 0);      /* more than the length: drains all */
	dump("drain all", b);

	/* Growth: many small adds, then a large one, then partial drains. */
	for (i = 0; i < 300; i++) {
		char line[32];
		int k = snprintf(line, sizeof line, "line %d;", i);
		evbuffer_add(b, line, (size_t)k);
	}
	dump("300 adds", b);
	fill(big, sizeof big, 'a');
	evbuffer_add(b, big, sizeof big);
	dump("big add", b);
	evbuffer_drain(b, 1500);
	dump("drain 1500", b);
	evbuffer_prepend(b, big, 3000);
	dump("prepend 3000", b);
	r = evbuffer_remove(b, out, sizeof out);
	printf("remove all: %d\n", r);
	dump("after", b);

	/* pullup across chains. */
	for (i = 0; i < 5; i++) evbuffer_add(b, big, 1000);
	dump("5x1000", b);
	CHECK(evbuffer_pullup(b, 6000) == NULL);     /* more than there is */
	{
		unsigned char *p = evbuffer_pullup(b, 2500);
		CHECK(p != NULL);
		CHECK(memcmp(p, big, 1000) == 0 && memcmp(p + 1000, big, 1000) == 0);
	}
	dump("pullup 2500", b);
	{
		unsigned char *p = evbuffer_pullup(b, -1);
		CHECK(p != NULL);
		CHECK(memcmp(p + 4000, big, 1000) == 0);
	}
	dump("pullup -1", b);
	evbuffer_drain(b, 4999);
	dump("drain 4999", b);
	evbuffer_drain(b, 1);

	/* expand then adds fit in one chain. */
	CHECK_EQ(evbuffer_expand(b, 5000), 0);
	dump("expand 5000", b);
	evbuffer_add(b, big, 4000);
	evbuffer_add(b, big, 900);
	dump("after expand adds", b);
	evbuffer_drain(b, 100);
	evbuffer_add(b, big, 50);
	dump("drain+add", b);
	CHECK_EQ(evbuffer_expand(b, (size_t)-1), -1);
	CHECK_EQ(evbuffer_add(b, big, (size_t)-1), -1);   /* size_t overflow with the length */
	CHECK_EQ(evbuffer_prepend(b, big, (size_t)-1), -1);
	dump("after refused huge", b);

	/* copyout_from with positions */
	{
		struct evbuffer_ptr p;
		CHECK_EQ(evbuffer_ptr_set(b, &p, 10, EVBUFFER_PTR_SET), 0);
		n = evbuffer_copyout_from(b, &p, out, 20);
		printf("copyout_from 10: %zd [", (ssize_t)n); show_bytes((unsigned char *)out, (size_t)n); printf("]\n");
		CHECK_EQ(evbuffer_ptr_set(b, &p, evbuffer_get_length(b), EVBUFFER_PTR_SET), 0);
		n = evbuffer_copyout_from(b, &p, out, 20);
		printf("copyout_from end: %zd\n", (ssize_t)n);
		CHECK_EQ(evbuffer_ptr_set(b, &p, 4845, EVBUFFER_PTR_SET), 0);
		n = evbuffer_copyout_from(b, &p, out, 20);
		printf("copyout_from near end: %zd\n", (ssize_t)n);
	}

	/* Freezing. */
	evbuffer_freeze(b, 0);
	CHECK_EQ(evbuffer_add(b, "x", 1), -1);
	CHECK_EQ(evbuffer_add(b, "", 0), -1);
	CHECK_EQ(evbuffer_prepend(b, "x", 1), 0);
	CHECK_EQ(evbuffer_drain(b, 1), 0);
	evbuffer_unfreeze(b, 0);
	evbuffer_freeze(b, 1);
	CHECK_EQ(evbuffer_prepend(b, "x", 1), -1);
	CHECK_EQ(evbuffer_prepend(b, "", 0), 0);
	CHECK_EQ(evbuffer_drain(b, 1), -1);
	CHECK_EQ(evbuffer_remove(b, out, 1), -1);
	CHECK_EQ(evbuffer_copyout(b, out, 1), -1);
	CHECK_EQ(evbuffer_copyout(b, out, 0), 0);
	CHECK_EQ(evbuffer_add(b, "y", 1), 0);
	CHECK(evbuffer_pullup(b, 10) != NULL);       /* pullup ignores freezing */
	evbuffer_unfreeze(b, 1);
	dump("after freeze", b);
	evbuffer_free(b);

	/* An empty buffer frozen at the front still drains "successfully". */
	b = evbuffer_new();
	evbuffer_freeze(b, 1);
	CHECK_EQ(evbuffer_drain(b, 5), 0);
	evbuffer_free(b);

#ifdef EVENT_RS_GEN_BUFFER_H
	/* Bad input answered without a crash (libevent itself would dereference NULL here). */
	CHECK_EQ(evbuffer_add(NULL, "x", 1), -1);
	b = evbuffer_new();
	CHECK_EQ(evbuffer_add(b, NULL, 5), -1);
	CHECK_EQ(evbuffer_add(b, NULL, 0), 0);
	CHECK_EQ(evbuffer_remove(b, NULL, 5), -1);
	CHECK_EQ(evbuffer_get_length(NULL), 0);
	CHECK_EQ(evbuffer_drain(NULL, 1), -1);
	CHECK(evbuffer_pullup(NULL, -1) == NULL);
	CHECK(evbuffer_readln(NULL, NULL, EVBUFFER_EOL_ANY) == NULL);
	CHECK_EQ(evbuffer_add_buffer(b, NULL), -1);
	evbuffer_free(NULL);
	evbuffer_free(b);
#endif
	return 0;
}
