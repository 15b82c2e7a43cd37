/* compare-output: evbuffer_add_reference (cleanup exactly once), evbuffer_add_buffer_reference,
 * evbuffer_reserve_space / evbuffer_commit_space, evbuffer_add_iovec, moves between buffers. */
#include "buffer_common.h"

static int cleanups[8];

static void cleanup(const void *data, size_t len, void *arg)
{
	int k = (int)(long)arg;
	cleanups[k]++;
	printf("  cleanup %d: len=%zu first=%c\n", k, len, len ? *(const char *)data : '-');
}

int main(void)
{
	static const char r0[] = "reference-zero", r1[] = "ref-one!", r2[] = "two";
	struct evbuffer *a = evbuffer_new(), *b = evbuffer_new(), *c = evbuffer_new();
	struct evbuffer_iovec v[4];
	char out[256];
	int n, k;

	printf("add_reference, partial drains, then all\n");
	evbuffer_add(a, "head:", 5);
	CHECK_EQ(evbuffer_add_reference(a, r0, strlen(r0), cleanup, (void *)0), 0);
	evbuffer_add(a, ":tail", 5);
	dump("a", a);
	evbuffer_drain(a, 8);
	dump("a drained 8", a);
	CHECK_EQ(cleanups[0], 0);
	evbuffer_drain(a, 11);
	printf("  after drain 19: cleanups[0]=%d\n", cleanups[0]);
	CHECK_EQ(cleanups[0], 1);
	evbuffer_drain(a, 100);
	CHECK_EQ(cleanups[0], 1);

	printf("frozen end refuses a reference without calling its cleanup\n");
	evbuffer_freeze(a, 0);
	CHECK_EQ(evbuffer_add_reference(a, r1, 3, cleanup, (void *)1), -1);
	evbuffer_unfreeze(a, 0);
	CHECK_EQ(cleanups[1], 0);

	printf("reference moved to another buffer, then freed with it\n");
	evbuffer_add_reference(a, r1, strlen(r1), cleanup, (void *)1);
	evbuffer_add_buffer(b, a);
	dump("b", b);
	evbuffer_remove(b, out, 3);
	evbuffer_free(b);
	printf("  cleanups[1]=%d\n", cleanups[1]);
	CHECK_EQ(cleanups[1], 1);
	b = evbuffer_new();

	printf("add_buffer_reference shares chains; cleanup waits for both\n");
	evbuffer_add(a, "own-bytes", 9);
	evbuffer_add_reference(a, r2, strlen(r2), cleanup, (void *)2);
	CHECK_EQ(evbuffer_add_buffer_reference(b, a), 0);
	dump("a", a);
	dump("b (shares a)", b);
	evbuffer_add(a, "+more", 5);                 /* a's shared chain is now immutable */
	dump("a after add", a);
	dump("b unchanged", b);
	evbuffer_drain(a, evbuffer_get_length(a));
	printf("  a drained: cleanups[2]=%d\n", cleanups[2]);
	CHECK_EQ(cleanups[2], 0);
	CHECK_EQ(evbuffer_remove(b, out, sizeof out), 12);
	printf("  b drained: cleanups[2]=%d\n", cleanups[2]);
	CHECK_EQ(cleanups[2], 1);
	printf("  referencing a buffer that holds references: %d\n", (evbuffer_add_buffer_reference(b, a), evbuffer_add(a, "q", 1), evbuffer_add_buffer_reference(c, a)));
	printf("  reference of a referencing buffer: %d\n", evbuffer_add_buffer_reference(b, c));
	{
		struct evbuffer *empty = evbuffer_new();
		printf("  self reference: %d; of empty: %d\n", evbuffer_add_buffer_reference(a, a), evbuffer_add_buffer_reference(a, empty));
		evbuffer_free(empty);
	}
	evbuffer_drain(a, 100); evbuffer_drain(b, 100); evbuffer_drain(c, 100);

	printf("zero-length reference\n");
	evbuffer_add_reference(a, r0, 0, cleanup, (void *)3);
	dump("a", a);
	printf("  cleanups[3]=%d\n", cleanups[3]);
	evbuffer_add(a, "later", 5);
	printf("  after an add: cleanups[3]=%d\n", cleanups[3]);
	evbuffer_add_reference(a, r0, 0, cleanup, (void *)4);
	evbuffer_add_reference(a, r0, 4, cleanup, (void *)5);
	printf("  after a second reference: cleanups[4]=%d\n", cleanups[4]);
	dump("a", a);
	evbuffer_free(a);
	printf("  after free: cleanups[3..5]=%d %d %d\n", cleanups[3], cleanups[4], cleanups[5]);
	a = evbuffer_new();

	printf("reserve / commit\n");
	for (k = 1; k <= 3; k++) {
		size_t want[] = { 0, 1, 100, 975, 976, 3000, 10000 };
		size_t w;
		for (w = 0; w < sizeof want / sizeof want[0]; w++) {
			int m;
			n = evbuffer_reserve_space(a, (ev_ssize_t)want[w], v, k);
			printf("  reserve %zu in %d: %d [", want[w], k, n);
			for (m = 0; m < n; m++) printf(" %zu", (size_t)v[m].iov_len);
			printf(" ]\n");
		}
		evbuffer_add(a, "abcdefgh", 8);
	}
	n = evbuffer_reserve_space(a, 2000, v, 2);
	printf("  reserve 2000/2: %d\n", n);
	memset(v[0].iov_base, 'x', v[0].iov_len);
	if (n > 1) { memset(v[1].iov_base, 'y', 10); v[1].iov_len = 10; }
	printf("  commit: %d\n", evbuffer_commit_space(a, v, n));
	dump("a", a);
	n = evbuffer_reserve_space(a, 10, v, 1);
	v[0].iov_len += 1000000;
	printf("  commit too long: %d\n", evbuffer_commit_space(a, v, 1));
	v[0].iov_len = 3;
	v[0].iov_base = (char *)v[0].iov_base + 1;
	printf("  commit wrong pointer: %d\n", evbuffer_commit_space(a, v, 1));
	v[0].iov_base = (char *)v[0].iov_base - 1;
	memcpy(v[0].iov_base, "END", 3);
	printf("  commit right: %d; zero vecs: %d; negative: %d\n", evbuffer_commit_space(a, v, 1), evbuffer_commit_space(a, v, 0), evbuffer_commit_space(a, v, -1));
	printf("  reserve negative: %d %d; zero vecs: %d\n", evbuffer_reserve_space(a, -1, v, 1), evbuffer_reserve_space(a, -5, v, 2), evbuffer_reserve_space(a, 5, v, 0));
	evbuffer_freeze(a, 0);
	printf("  frozen: reserve %d commit %d\n", evbuffer_reserve_space(a, 5, v, 1), evbuffer_commit_space(a, v, 1));
	evbuffer_unfreeze(a, 0);
	dump("a", a);

	printf("add_iovec\n");
	{
		char big[5000];
		struct evbuffer_iovec iv[3];
		fill(big, sizeof big, 'A');
		iv[0].iov_base = big; iv[0].iov_len = 3000;
		iv[1].iov_base = "mid"; iv[1].iov_len = 3;
		iv[2].iov_base = big; iv[2].iov_len = 2000;
		printf("  added %zu\n", evbuffer_add_iovec(c, iv, 3));
		dump("c", c);
		printf("  added %zu (none)\n", evbuffer_add_iovec(c, iv, 0));
		evbuffer_freeze(c, 0);
		printf("  frozen added %zu\n", evbuffer_add_iovec(c, iv, 3));
		evbuffer_unfreeze(c, 0);
	}

	printf("remove_buffer and prepend_buffer shapes\n");
	evbuffer_drain(c, 3000);
	evbuffer_add(b, "0123456789", 10);
	printf("  moved %d\n", evbuffer_remove_buffer(c, b, 1500));
	dump("b", b);
	dump("c", c);
	printf("  moved %d (zero)\n", evbuffer_remove_buffer(c, b, 0));
	printf("  moved %d (self)\n", evbuffer_remove_buffer(c, c, 10));
	printf("  moved %d (all)\n", evbuffer_remove_buffer(c, b, 100000));
	printf("  prepend_buffer %d\n", evbuffer_prepend_buffer(c, b));
	dump("c", c);
	evbuffer_freeze(b, 1);
	evbuffer_add(a, "x", 1);
	printf("  frozen: remove_buffer %d add_buffer %d prepend_buffer %d\n", evbuffer_remove_buffer(b, c, 1), evbuffer_add_buffer(c, b), evbuffer_prepend_buffer(b, a));
	evbuffer_free(a);
	evbuffer_free(b);
	evbuffer_free(c);
	for (k = 0; k < 6; k++) CHECK_EQ(cleanups[k], 1);
	return 0;
}
