/* compare-output: evbuffer callbacks: the info they get, their order (newest first), callbacks
 * that drain their own buffer or remove themselves, flags, evbuffer_setcb, and the calls made
 * by two-buffer operations and readln. */
#include "buffer_common.h"

static struct evbuffer_cb_entry *self_entry;
static int drain_depth;

static void cb_print(struct evbuffer *b, const struct evbuffer_cb_info *i, void *arg)
{
	printf("  cb %s: orig=%zu +%zu -%zu len=%zu\n", (const char *)arg, i->orig_size, i->n_added,
	    i->n_deleted, evbuffer_get_length(b));
}

static void cb_drainer(struct evbuffer *b, const struct evbuffer_cb_info *i, void *arg)
{
	(void)arg;
	printf("  drainer: orig=%zu +%zu -%zu depth=%d\n", i->orig_size, i->n_added, i->n_deleted, drain_depth);
	if (evbuffer_get_length(b) > 4 && drain_depth < 3) {
		drain_depth++;
		evbuffer_drain(b, 2);           /* re-enters the callbacks */
		drain_depth--;
	}
}

static void cb_remove_self(struct evbuffer *b, const struct evbuffer_cb_info *i, void *arg)
{
	printf("  remove-self (%s) +%zu -%zu\n", (const char *)arg, i->n_added, i->n_deleted);
	CHECK_EQ(evbuffer_remove_cb_entry(b, self_entry), 0);
}

static void cb_old(struct evbuffer *b, size_t old_len, size_t new_len, void *arg)
{
	(void)b;
	printf("  old-style %s: %zu -> %zu\n", (const char *)arg, old_len, new_len);
}

static void cb_adder(struct evbuffer *b, const struct evbuffer_cb_info *i, void *arg)
{
	(void)i;
	printf("  adder adds a callback\n");
	evbuffer_add_cb(b, cb_print, arg);
}

int main(void)
{
	struct evbuffer *a = evbuffer_new(), *b = evbuffer_new();
	struct evbuffer_cb_entry *e1, *e2, *e3;
	char out[64];
	char *line;

	printf("add with no callbacks\n");
	evbuffer_add(a, "xx", 2);
	e1 = evbuffer_add_cb(a, cb_print, "first");
	e2 = evbuffer_add_cb(a, cb_print, "second");
	printf("add 5\n");
	evbuffer_add(a, "hello", 5);
	printf("add 0 (no call)\n");
	evbuffer_add(a, "", 0);
	printf("prepend 3\n");
	evbuffer_prepend(a, "abc", 3);
	printf("drain 4\n");
	evbuffer_drain(a, 4);
	printf("remove 2\n");
	evbuffer_remove(a, out, 2);
	printf("drain 0 (no call)\n");
	evbuffer_drain(a, 0);
	printf("printf\n");
	evbuffer_add_printf(a, "n=%d\n", 42);
	printf("readln (two calls)\n");
	line = evbuffer_readln(a, NULL, EVBUFFER_EOL_CRLF);
	printf("  line=<%s>\n", line);
	free(line);
	printf("disable second\n");
	CHECK_EQ(evbuffer_cb_clear_flags(a, e2, EVBUFFER_CB_ENABLED), 0);
	evbuffer_add(a, "1", 1);
	CHECK_EQ(evbuffer_cb_set_flags(a, e2, EVBUFFER_CB_ENABLED), 0);
	printf("re-enabled\n");
	evbuffer_add(a, "2", 1);

	printf("two buffers: add_buffer\n");
	evbuffer_add_cb(b, cb_print, "b");
	evbuffer_add(b, "bbbb", 4);
	evbuffer_add_buffer(a, b);
	printf("remove_buffer partial\n");
	evbuffer_remove_buffer(a, b, 3);
	printf("remove_buffer all\n");
	evbuffer_remove_buffer(a, b, 100);
	printf("prepend_buffer\n");
	evbuffer_add(a, "zz", 2);
	evbuffer_prepend_buffer(a, b);
	printf("add_buffer_reference\n");
	evbuffer_add_buffer_reference(b, a);
	printf("reserve/commit\n");
	{
		struct evbuffer_iovec v[2];
		int n = evbuffer_reserve_space(a, 10, v, 2);
		CHECK(n >= 1);
		memcpy(v[0].iov_base, "0123456789", 10);
		v[0].iov_len = 10;
		CHECK_EQ(evbuffer_commit_space(a, v, 1), 0);
	}
	printf("add_iovec (one call per vector)\n");
	{
		struct evbuffer_iovec v[3] = { { "ab", 2 }, { "", 0 }, { "cde", 3 } };
		CHECK_EQ(evbuffer_add_iovec(a, v, 3), 5);
	}

	printf("remove_cb\n");
	CHECK_EQ(evbuffer_remove_cb(a, cb_print, "first"), 0);
	CHECK_EQ(evbuffer_remove_cb(a, cb_print, "nope"), -1);
	CHECK_EQ(evbuffer_remove_cb_entry(a, e2), 0);
	(void)e1;
	evbuffer_add(a, "3", 1);

	printf("a callback that drains its own buffer\n");
	evbuffer_drain(a, evbuffer_get_length(a));
	e3 = evbuffer_add_cb(a, cb_print, "watch");
	evbuffer_add_cb(a, cb_drainer, NULL);
	evbuffer_add(a, "0123456789", 10);
	printf("  final len=%zu\n", evbuffer_get_length(a));
	evbuffer_remove_cb_entry(a, e3);

	printf("a callback that removes itself\n");
	self_entry = evbuffer_add_cb(a, cb_remove_self, "once");
	evbuffer_add(a, "x", 1);
	evbuffer_add(a, "y", 1);

	printf("a callback that adds a callback (not run in the same pass)\n");
	evbuffer_add_cb(a, cb_adder, "added");
	evbuffer_add(a, "z", 1);

	printf("setcb replaces everything\n");
	CHECK_EQ(evbuffer_setcb(a, cb_old, "old"), 0);
	evbuffer_add(a, "abc", 3);
	evbuffer_drain(a, 2);
	CHECK_EQ(evbuffer_setcb(a, NULL, NULL), 0);
	evbuffer_add(a, "q", 1);
	printf("done\n");

	evbuffer_free(a);
	evbuffer_free(b);
	return 0;
}
