/* compare-output: corners: invalid enum values, a buffer moved into itself, callbacks removed
 * by function (including NULL ones and evbuffer_setcb's), reserved space then plain adds,
 * over-long search lengths, copyout_from with a NULL position. */
#include "buffer_common.h"

static void old_cb(struct evbuffer *b, size_t o, size_t n, void *arg)
{
	(void)b; (void)arg;
	printf("  old_cb %zu -> %zu\n", o, n);
}

int main(void)
{
	struct evbuffer *b = evbuffer_new();
	struct evbuffer_ptr p;
	struct evbuffer_iovec v[2];
	char out[32];
	int r;

	evbuffer_add(b, "abcdef", 6);
	r = evbuffer_ptr_set(b, &p, 2, EVBUFFER_PTR_SET);
	printf("set: %d pos=%zd\n", r, (ssize_t)p.pos);
	r = evbuffer_ptr_set(b, &p, 0, (enum evbuffer_ptr_how)5);
	printf("bad how, 0: %d pos=%zd\n", r, (ssize_t)p.pos);
	r = evbuffer_ptr_set(b, &p, 1, (enum evbuffer_ptr_how)5);
	printf("bad how, 1: %d pos=%zd\n", r, (ssize_t)p.pos);
	printf("readln bad style: %s\n", evbuffer_readln(b, NULL, (enum evbuffer_eol_style)9) ? "line" : "NULL");
	evbuffer_ptr_set(b, &p, 1, EVBUFFER_PTR_SET);
	p = evbuffer_search(b, "cd", (size_t)-1, &p);
	printf("search with a huge length: %zd\n", (ssize_t)p.pos);
	printf("copyout_from NULL: %zd\n", (ssize_t)evbuffer_copyout_from(b, NULL, out, 4));
	printf("self moves: add %d prepend %d remove %d ref %d\n", evbuffer_add_buffer(b, b),
	    evbuffer_prepend_buffer(b, b), evbuffer_remove_buffer(b, b, 3), evbuffer_add_buffer_reference(b, b));
	dump("b", b);
	printf("pullup 6: %s, 7: %s\n", evbuffer_pullup(b, 6) ? "ok" : "NULL", evbuffer_pullup(b, 7) ? "ok" : "NULL");

	printf("remove_cb by function\n");
	evbuffer_add_cb(b, NULL, "null");
	printf("  NULL cb: %d, again: %d\n", evbuffer_remove_cb(b, NULL, "null"), evbuffer_remove_cb(b, NULL, "null"));
	evbuffer_setcb(b, old_cb, "o");
	evbuffer_add(b, "g", 1);
	printf("  setcb entry by its function: %d\n", evbuffer_remove_cb(b, (evbuffer_cb_func)(void (*)(void))old_cb, "o"));
	evbuffer_add(b, "h", 1);

	printf("reserve, then add before committing\n");
	evbuffer_drain(b, 100);
	r = evbuffer_reserve_space(b, 100, v, 2);
	printf("  reserved %d, contig=%zu extents=%d\n", r, evbuffer_get_contiguous_space(b), evbuffer_peek(b, -1, NULL, NULL, 0));
	evbuffer_add(b, "xyz", 3);
	memcpy(v[0].iov_base, "QQ", 2);
	v[0].iov_len = 2;
	printf("  commit after add: %d\n", evbuffer_commit_space(b, v, 1));
	dump("b", b);
	printf("expand 0: %d\n", evbuffer_expand(b, 0));
	evbuffer_free(b);
	return 0;
}
