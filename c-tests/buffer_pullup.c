/* compare-output: the chains evbuffer_pullup leaves (as evbuffer_peek and a later
 * reserve_space see them) match libevent's: pullup of all (-1 and n == length) and of part,
 * over buffers made of owned chains, references, and empty chains left by reserve_space
 * (at the end and between chains with data), then what later adds make of that layout. */
#include "buffer_common.h"

static char big[20000];

/* The extents, as lengths. */
static void layout(const char *what, struct evbuffer *b)
{
	struct evbuffer_iovec v[64];
	int i, n = evbuffer_peek(b, -1, NULL, v, 64);
	printf("  %s: len=%zu contig=%zu n=%d [", what, evbuffer_get_length(b),
	    evbuffer_get_contiguous_space(b), n);
	for (i = 0; i < n && i < 64; i++) printf("%s%zu", i ? " " : "", v[i].iov_len);
	printf("]\n");
}

/* The free space a reserve of `size` over up to 2 extents gets (not committed). */
static void space(const char *what, struct evbuffer *b, size_t size)
{
	struct evbuffer_iovec v[2];
	int i, n = evbuffer_reserve_space(b, (ev_ssize_t)size, v, 2);
	printf("  %s reserve %zu: n=%d [", what, size, n);
	for (i = 0; i < n; i++) printf("%s%zu", i ? " " : "", v[i].iov_len);
	printf("]\n");
}

static void ref_cleanup(const void *data, size_t len, void *arg)
{
	(void)data; (void)len; (void)arg;
}

/* Appends a chain the buffer cannot write into, holding `n` bytes. */
static void add_ref(struct evbuffer *b, size_t n)
{
	CHECK_EQ(evbuffer_add_reference(b, big, n, ref_cleanup, NULL), 0);
}

/* Leaves empty chains at the end: a reserve over 2 extents, nothing committed. */
static void reserve_empty(struct evbuffer *b, size_t n)
{
	struct evbuffer_iovec v[2];
	CHECK(evbuffer_reserve_space(b, (ev_ssize_t)n, v, 2) >= 1);
}

/* Builds a buffer by recipe: a = add, r = reference, e = empty chains at the end, each with the
 * following size. */
static struct evbuffer *build(const char *recipe, const size_t *sizes)
{
	struct evbuffer *b = evbuffer_new();
	size_t k = 0;
	CHECK(b != NULL);
	for (; *recipe; recipe++, k++) {
		if (*recipe == 'a') CHECK_EQ(evbuffer_add(b, big, sizes[k]), 0);
		else if (*recipe == 'r') add_ref(b, sizes[k]);
		else reserve_empty(b, sizes[k]);
	}
	return b;
}

/* Pulls up `n` (-1: all; -2: the length) and checks the bytes, then shows the layout, then
 * what an add of `more` bytes does to it. */
static void case_(const char *name, const char *recipe, const size_t *sizes, ev_ssize_t n, size_t more)
{
	struct evbuffer *b = build(recipe, sizes);
	size_t len = evbuffer_get_length(b), want;
	unsigned char *copy = malloc(len + 1), *p;
	ev_ssize_t asked = n == -2 ? (ev_ssize_t)len : n;

	printf("%s pullup %zd:\n", name, (ssize_t)asked);
	layout("before", b);
	CHECK_EQ(evbuffer_copyout(b, copy, len), (ev_ssize_t)len);
	p = evbuffer_pullup(b, asked);
	want = asked < 0 ? len : (size_t)asked;
	if (want == 0 || want > len) {
		CHECK(p == NULL);
	} else {
		struct evbuffer_iovec v;
		CHECK(p != NULL);
		CHECK(memcmp(p, copy, want) == 0);
		CHECK_EQ(evbuffer_peek(b, -1, NULL, &v, 1) >= 1, 1);
		CHECK(v.iov_base == p && v.iov_len >= want);
	}
	layout("after", b);
	/* The bytes are unchanged. */
	CHECK_EQ(evbuffer_get_length(b), len);
	{
		unsigned char *again = malloc(len + 1);
		CHECK_EQ(evbuffer_copyout(b, again, len), (ev_ssize_t)len);
		CHECK(memcmp(again, copy, len) == 0);
		free(again);
	}
	space("after", b, 3000);
	if (more) {
		CHECK_EQ(evbuffer_add(b, big, more), 0);
		layout("add", b);
		evbuffer_drain(b, len);
		layout("drain", b);
	}
	free(copy);
	evbuffer_free(b);
}

int main(void)
{
	static const size_t lens[] = { 1, 10, 500, 975, 976, 977, 2000, 5000 };
	static const ev_ssize_t ns[] = { -1, -2, 1, 7 };
	char name[64];
	size_t i, j;

	fill(big, sizeof big, 'a');

	/* The case: a reference after some bytes, then empty chains from a reserve. */
	{
		size_t s[] = { 5, 5, 3000 };
		case_("a5 r5 e", "are", s, -1, 100);
		case_("a5 r5 e", "are", s, -2, 100);
		case_("a5 r5 e", "are", s, 8, 100);
		case_("a5 r5 e", "are", s, 10, 2000);
		case_("a5 r5 e", "are", s, 11, 0);
		case_("a5 r5 e", "are", s, 0, 0);
	}
	/* Empty chains between chains with data: a reserve, then the second extent committed. */
	{
		struct evbuffer *b = evbuffer_new();
		struct evbuffer_iovec v[2];
		evbuffer_add(b, big, 5);
		add_ref(b, 5);
		reserve_empty(b, 100);
		CHECK_EQ(evbuffer_reserve_space(b, 3000, v, 2), 2);
		v[0].iov_len = 0;
		v[1].iov_len = 5;
		memcpy(v[1].iov_base, "VWXYZ", 5);
		CHECK_EQ(evbuffer_commit_space(b, v, 2), 0);
		printf("middle empty:\n");
		layout("before", b);
		CHECK(memcmp(evbuffer_pullup(b, 10), "abcdeabcde", 10) == 0);
		layout("pullup 10", b);
		space("pullup 10", b, 3000);
		CHECK(memcmp(evbuffer_pullup(b, -1) + 10, "VWXYZ", 5) == 0);
		layout("pullup -1", b);
		evbuffer_free(b);
	}
	/* Only references: pullup must gather into a new chain. */
	{
		size_t s[] = { 3, 4, 5, 100 };
		case_("r3 r4 r5 e", "rrre", s, -1, 10);
		case_("r3 r4 r5 e", "rrre", s, 7, 10);
		case_("r3 r4 r5 e", "rrre", s, 8, 10);
	}
	/* Committed reserves that leave room, then empty chains. */
	{
		size_t s[] = { 1000, 1000, 6000, 5000 };
		case_("a1000 a1000 r6000 e", "aare", s, -1, 4000);
		case_("a1000 a1000 r6000 e", "aare", s, 2000, 4000);
		case_("a1000 a1000 r6000 e", "aare", s, 1500, 4000);
	}
	/* Every size, pulled up whole and in part, with and without empty chains at the end. */
	for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		for (j = 0; j < sizeof ns / sizeof ns[0]; j++) {
			size_t s[] = { lens[i], lens[i], lens[i] / 2 + 1, 4000 };
			snprintf(name, sizeof name, "a%zu a%zu", s[0], s[1]);
			case_(name, "aa", s, ns[j], 300);
			snprintf(name, sizeof name, "a%zu r%zu e", s[0], s[1]);
			case_(name, "are", s, ns[j], 300);
			snprintf(name, sizeof name, "r%zu a%zu r%zu e", s[0], s[1], s[2]);
			case_(name, "rare", s, ns[j], 300);
			snprintf(name, sizeof name, "a%zu e r%zu e", s[0], s[2]);
			case_(name, "aere", s, ns[j], 300);
		}
	}
	return 0;
}
