/* compare-output: evbuffer_defer_callbacks: callbacks run from the loop, once for many changes;
 * NODEFER callbacks (flag 2, as bufferevents set it) still run at once; freeing the buffer
 * while a run is pending still runs it, then frees. */
#include "buffer_common.h"
#include <event2/event.h>

static void cb(struct evbuffer *b, const struct evbuffer_cb_info *i, void *arg)
{
	printf("  cb %s: orig=%zu +%zu -%zu len=%zu\n", (const char *)arg, i->orig_size, i->n_added,
	    i->n_deleted, evbuffer_get_length(b));
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct evbuffer *b = evbuffer_new();
	struct evbuffer_cb_entry *now;

	CHECK_EQ(evbuffer_defer_callbacks(b, base), 0);
	evbuffer_add_cb(b, cb, "deferred");
	now = evbuffer_add_cb(b, cb, "nodefer");
	evbuffer_cb_set_flags(b, now, 2);
	printf("three changes\n");
	evbuffer_add(b, "hello", 5);
	evbuffer_add(b, "abc", 3);
	evbuffer_drain(b, 2);
	printf("loop\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("loop again (nothing)\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("change, then a nested change from the loop\n");
	evbuffer_remove_cb_entry(b, now);
	evbuffer_add(b, "x", 1);
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("free while pending\n");
	evbuffer_add(b, "yz", 2);
	evbuffer_free(b);
	printf("  freed; loop\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("free with nothing pending\n");
	b = evbuffer_new();
	evbuffer_defer_callbacks(b, base);
	evbuffer_add(b, "q", 1);
	evbuffer_free(b);
	event_base_loop(base, EVLOOP_NONBLOCK);
	b = evbuffer_new();
	evbuffer_defer_callbacks(b, base);
	evbuffer_add_cb(b, cb, "late");
	evbuffer_free(b);
	event_base_free(base);
	printf("done\n");
	return 0;
}
