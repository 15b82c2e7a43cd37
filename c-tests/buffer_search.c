/* compare-output: evbuffer_search / _range, evbuffer_ptr_set, evbuffer_find, evbuffer_peek,
 * with matches across chains, starts past the end, "not found" pointers and empty patterns. */
#include "buffer_common.h"

static struct evbuffer *chained(const char **pieces, int n)
{
	struct evbuffer *b = evbuffer_new();
	int i;
	for (i = 0; i < n; i++)
		evbuffer_add_reference(b, pieces[i], strlen(pieces[i]), NULL, NULL);
	return b;
}

int main(void)
{
	const char *pieces[] = { "abcab", "cabx", "y", "zab", "", "cxyz" };
	const char *pats[] = { "abc", "a", "cab", "xyz", "bcabx", "zabcx", "q", "xyzq", "abcabcabxyzabcxyz", "" };
	struct evbuffer *b = chained(pieces, 6);
	struct evbuffer_ptr p, e, r;
	size_t i, st;
	int k;

	printf("len=%zu extents=%d\n", evbuffer_get_length(b), evbuffer_peek(b, -1, NULL, NULL, 0));
	for (i = 0; i < sizeof pats / sizeof pats[0]; i++) {
		r = evbuffer_search(b, pats[i], strlen(pats[i]), NULL);
		printf("search '%s': %zd\n", pats[i], (ssize_t)r.pos);
		/* every occurrence, walking with PTR_ADD */
		printf("  all:");
		if (strlen(pats[i]) == 0) { printf("\n"); continue; }
		r = evbuffer_search(b, pats[i], strlen(pats[i]), NULL);
		while (r.pos >= 0) {
			printf(" %zd", (ssize_t)r.pos);
			if (evbuffer_ptr_set(b, &r, 1, EVBUFFER_PTR_ADD) < 0) { printf(" (add failed)"); break; }
			r = evbuffer_search(b, pats[i], strlen(pats[i]), &r);
		}
		printf("\n");
		for (st = 0; st <= 19; st += 3) {
			size_t en;
			if (evbuffer_ptr_set(b, &p, st, EVBUFFER_PTR_SET) < 0) { printf("  set %zu fails\n", st); continue; }
			for (en = 0; en <= 19; en += 4) {
				if (evbuffer_ptr_set(b, &e, en, EVBUFFER_PTR_SET) < 0) continue;
				r = evbuffer_search_range(b, pats[i], strlen(pats[i]), &p, &e);
				printf(" [%zu,%zu):%zd", st, en, (ssize_t)r.pos);
			}
			r = evbuffer_search_range(b, pats[i], strlen(pats[i]), &p, NULL);
			printf(" [%zu,-):%zd\n", st, (ssize_t)r.pos);
		}
	}

	/* ptr_set edge cases */
	k = evbuffer_ptr_set(b, &p, 18, EVBUFFER_PTR_SET);
	printf("set 18 (the end): %d pos=%zd\n", k, (ssize_t)p.pos);
	k = evbuffer_ptr_set(b, &p, 0, EVBUFFER_PTR_ADD);
	printf("add 0 at end: %d pos=%zd\n", k, (ssize_t)p.pos);
	r = evbuffer_search(b, "a", 1, &p);
	printf("search from end: %zd\n", (ssize_t)r.pos);
	r = evbuffer_search(b, "", 0, &p);
	printf("empty search from end: %zd\n", (ssize_t)r.pos);
	k = evbuffer_ptr_set(b, &p, 1, EVBUFFER_PTR_ADD);
	printf("add 1 at end: %d pos=%zd\n", k, (ssize_t)p.pos);
	k = evbuffer_ptr_set(b, &p, 1, EVBUFFER_PTR_ADD);
	printf("add to not-found: %d pos=%zd\n", k, (ssize_t)p.pos);
	r = evbuffer_search(b, "a", 1, &p);
	printf("search from not-found: %zd\n", (ssize_t)r.pos);
	r = evbuffer_search(b, "", 0, &p);
	printf("empty search from not-found: %zd\n", (ssize_t)r.pos);
	k = evbuffer_ptr_set(b, &p, 19, EVBUFFER_PTR_SET);
	printf("set past end: %d pos=%zd\n", k, (ssize_t)p.pos);
	k = evbuffer_ptr_set(b, &p, (size_t)-1, EVBUFFER_PTR_SET);
	printf("set huge: %d pos=%zd\n", k, (ssize_t)p.pos);
	evbuffer_ptr_set(b, &p, 5, EVBUFFER_PTR_SET);
	k = evbuffer_ptr_set(b, &p, (size_t)-1, EVBUFFER_PTR_ADD);
	printf("add huge: %d pos=%zd\n", k, (ssize_t)p.pos);
	evbuffer_ptr_set(b, &p, 5, EVBUFFER_PTR_SET);
	k = evbuffer_ptr_set(b, &p, 13, EVBUFFER_PTR_ADD);
	printf("add to end: %d pos=%zd\n", k, (ssize_t)p.pos);
	evbuffer_ptr_set(b, &p, 5, EVBUFFER_PTR_SET);
	k = evbuffer_ptr_set(b, &p, 14, EVBUFFER_PTR_ADD);
	printf("add past end: %d pos=%zd\n", k, (ssize_t)p.pos);
	evbuffer_ptr_set(b, &e, 5, EVBUFFER_PTR_SET);
	evbuffer_ptr_set(b, &p, 18, EVBUFFER_PTR_SET);
	r = evbuffer_search_range(b, "a", 1, &e, &p);
	printf("range to end ptr: %zd\n", (ssize_t)r.pos);
	p.pos = -1; p.internal_.chain = NULL;
	r = evbuffer_search_range(b, "a", 1, &e, &p);
	printf("range to not-found ptr: %zd\n", (ssize_t)r.pos);
	r = evbuffer_search_range(b, "", 0, &e, &p);
	printf("empty range search: %zd\n", (ssize_t)r.pos);

	/* peek */
	{
		struct evbuffer_iovec v[8];
		int j, n2;
		size_t st2;
		ev_ssize_t lens[] = { -1, 0, 1, 5, 6, 9, 12, 18, 100 };
		for (st2 = 0; st2 <= 18; st2 += 2) {
			struct evbuffer_ptr *sp = NULL;
			if (st2 > 0) { evbuffer_ptr_set(b, &p, st2 - 1, EVBUFFER_PTR_SET); sp = &p; }
			printf("peek from %s%zu:", sp ? "" : "NULL/", sp ? st2 - 1 : 0);
			for (j = 0; j < (int)(sizeof lens / sizeof lens[0]); j++) {
				int nv;
				for (nv = 0; nv <= 3; nv += 3) {
					int m;
					memset(v, 0, sizeof v);
					n2 = evbuffer_peek(b, lens[j], sp, nv ? v : NULL, nv);
					printf(" %zd/%d=%d", (ssize_t)lens[j], nv, n2);
					if (nv) {
						printf("(");
						for (m = 0; m < n2 && m < nv; m++) { show_bytes(v[m].iov_base, v[m].iov_len); printf(m + 1 < n2 && m + 1 < nv ? "|" : ""); }
						printf(")");
					}
				}
			}
			printf("\n");
		}
	}

	/* find (pulls up) */
	{
		unsigned char *f = evbuffer_find(b, (const unsigned char *)"yzab", 4);
		printf("find yzab: %s off=%zd\n", f ? "yes" : "no", f ? (ssize_t)(f - evbuffer_pullup(b, -1)) : (ssize_t)-1);
		printf("after find extents=%d\n", evbuffer_peek(b, -1, NULL, NULL, 0));
		f = evbuffer_find(b, (const unsigned char *)"nope", 4);
		printf("find nope: %s\n", f ? "yes" : "no");
		f = evbuffer_find(b, (const unsigned char *)"", 0);
		printf("find empty: %s\n", f ? "yes" : "no");
	}
	evbuffer_free(b);

	/* empty buffer */
	b = evbuffer_new();
	r = evbuffer_search(b, "a", 1, NULL);
	printf("empty buffer search: %zd\n", (ssize_t)r.pos);
	r = evbuffer_search(b, "", 0, NULL);
	printf("empty buffer empty search: %zd\n", (ssize_t)r.pos);
	k = evbuffer_ptr_set(b, &p, 0, EVBUFFER_PTR_SET);
	printf("empty set 0: %d; peek=%d\n", k, evbuffer_peek(b, -1, &p, NULL, 0));
	printf("empty peek=%d\n", evbuffer_peek(b, -1, NULL, NULL, 0));
	evbuffer_free(b);

	/* big buffer: many chains, a pattern at the end */
	b = evbuffer_new();
	{
		char chunk[700];
		for (k = 0; k < 1000; k++) { fill(chunk, sizeof chunk, 'a'); evbuffer_add(b, chunk, sizeof chunk); }
		evbuffer_add(b, "NEEDLE", 6);
		r = evbuffer_search(b, "NEEDLE", 6, NULL);
		printf("big: len=%zu needle at %zd\n", evbuffer_get_length(b), (ssize_t)r.pos);
		r = evbuffer_search(b, "xyzab", 5, NULL);
		printf("big: first xyzab at %zd\n", (ssize_t)r.pos);
	}
#ifdef EVENT_RS_GEN_BUFFER_H
	/* A pointer from another buffer finds nothing here rather than reading the other one. */
	{
		struct evbuffer *o = evbuffer_new();
		evbuffer_add(o, "abcdef", 6);
		evbuffer_ptr_set(o, &p, 2, EVBUFFER_PTR_SET);
		r = evbuffer_search(b, "a", 1, &p);
		CHECK_EQ(r.pos, -1);
		CHECK_EQ(evbuffer_copyout_from(b, &p, (char[4]){0}, 1), -1);
		evbuffer_free(o);
	}
#endif
	evbuffer_free(b);
	return 0;
}
