/* The layout of struct event (event2/event_struct.h) as programs see it: size, alignment and
 * the offsets of the fields programs touch, plus what event_assign()/event_add() leave in them.
 * compare-output: both builds must print exactly the same lines. */
#include <event2/event.h>
#include <event2/event_struct.h>
#include <stddef.h>
#include <stdalign.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "check.h"

static int checks;
#define SHOW(label, val, expected) do { long long v_ = (long long)(val); \
	printf("%-44s %lld\n", label, v_); CHECK_EQ(v_, expected); checks++; } while (0)

static int seen_res;
static void cb(evutil_socket_t fd, short what, void *arg)
{
	struct event *ev = arg;
	(void)fd;
	seen_res = ev->ev_res;
	CHECK_EQ(what, ev->ev_res);
}

int main(void)
{
	SHOW("sizeof(struct event)", sizeof(struct event), 128);
	SHOW("alignof(struct event)", alignof(struct event), 8);
	SHOW("sizeof(struct event_callback)", sizeof(struct event_callback), 40);
	SHOW("event_get_struct_event_size()", event_get_struct_event_size(), 128);
	SHOW("offsetof(event, ev_evcallback)", offsetof(struct event, ev_evcallback), 0);
	SHOW("offsetof(event, ev_evcallback.evcb_active_next)",
	     offsetof(struct event, ev_evcallback.evcb_active_next), 0);
	SHOW("offsetof(event, ev_evcallback.evcb_flags)", offsetof(struct event, ev_evcallback.evcb_flags), 16);
	SHOW("offsetof(event, ev_evcallback.evcb_pri)", offsetof(struct event, ev_evcallback.evcb_pri), 18);
	SHOW("offsetof(event, ev_evcallback.evcb_closure)", offsetof(struct event, ev_evcallback.evcb_closure), 19);
	SHOW("offsetof(event, ev_evcallback.evcb_cb_union)", offsetof(struct event, ev_evcallback.evcb_cb_union), 24);
	SHOW("offsetof(event, ev_evcallback.evcb_arg)", offsetof(struct event, ev_evcallback.evcb_arg), 32);
	SHOW("offsetof(event, ev_timeout_pos)", offsetof(struct event, ev_timeout_pos), 40);
	SHOW("offsetof(event, ev_fd)", offsetof(struct event, ev_fd), 56);
	SHOW("offsetof(event, ev_base)", offsetof(struct event, ev_base), 64);
	SHOW("offsetof(event, ev_)", offsetof(struct event, ev_), 72);
	SHOW("offsetof(event, ev_.ev_io.ev_timeout)", offsetof(struct event, ev_.ev_io.ev_timeout), 88);
	SHOW("offsetof(event, ev_.ev_signal.ev_ncalls)", offsetof(struct event, ev_.ev_signal.ev_ncalls), 88);
	SHOW("offsetof(event, ev_.ev_signal.ev_pncalls)", offsetof(struct event, ev_.ev_signal.ev_pncalls), 96);
	SHOW("offsetof(event, ev_events)", offsetof(struct event, ev_events), 104);
	SHOW("offsetof(event, ev_res)", offsetof(struct event, ev_res), 106);
	SHOW("offsetof(event, ev_timeout)", offsetof(struct event, ev_timeout), 112);
	SHOW("sizeof(ev_timeout)", sizeof(((struct event *)0)->ev_timeout), 16);
	SHOW("EVLIST_INIT", EVLIST_INIT, 0x80);
	SHOW("EVLIST_ALL", EVLIST_ALL, 0xff);

	/* An event embedded in a caller's struct, between other fields. */
	struct holder { char before; struct event ev; char after; } h;
	SHOW("offsetof(holder, ev)", offsetof(struct holder, ev), 8);
	SHOW("sizeof(holder)", sizeof(struct holder), 144);

	/* What event_assign() leaves in the public fields programs read directly. */
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	struct event_base *base = event_base_new();
	CHECK(base != NULL);
	memset(&h, 0, sizeof h);
	SHOW("zeroed: event_initialized", event_initialized(&h.ev), 0);
	CHECK_EQ(event_assign(&h.ev, base, sv[0], EV_READ | EV_PERSIST, cb, &h.ev), 0);
	CHECK(h.ev.ev_fd == sv[0]);
	CHECK(h.ev.ev_base == base);
	CHECK(h.ev.ev_evcallback.evcb_arg == &h.ev);
	CHECK(h.ev.ev_evcallback.evcb_cb_union.evcb_callback == cb);
	checks += 4;
	SHOW("assigned: ev_events", h.ev.ev_events, EV_READ | EV_PERSIST);
	SHOW("assigned: evcb_flags & EVLIST_INIT", h.ev.ev_evcallback.evcb_flags & EVLIST_INIT, EVLIST_INIT);
	SHOW("assigned: evcb_flags & ~EVLIST_INIT", h.ev.ev_evcallback.evcb_flags & ~EVLIST_INIT, 0);
	SHOW("assigned: event_initialized", event_initialized(&h.ev), 1);
	SHOW("neighbours untouched", h.before == 0 && h.after == 0, 1);

	struct timeval tv = { 10, 0 };
	CHECK_EQ(event_add(&h.ev, &tv), 0);
	SHOW("added: evcb_flags & EVLIST_INSERTED", h.ev.ev_evcallback.evcb_flags & EVLIST_INSERTED, EVLIST_INSERTED);
	SHOW("added: evcb_flags & EVLIST_TIMEOUT", h.ev.ev_evcallback.evcb_flags & EVLIST_TIMEOUT, EVLIST_TIMEOUT);
	CHECK_EQ(write(sv[1], "x", 1), 1);
	CHECK_EQ(event_base_loop(base, EVLOOP_ONCE), 0);
	SHOW("after callback: ev_res", seen_res, EV_READ);
	SHOW("after callback: evcb_flags & EVLIST_ACTIVE", h.ev.ev_evcallback.evcb_flags & EVLIST_ACTIVE, 0);
	CHECK_EQ(event_del(&h.ev), 0);
	SHOW("deleted: evcb_flags", h.ev.ev_evcallback.evcb_flags, EVLIST_INIT);
	SHOW("deleted: ev_events", h.ev.ev_events, EV_READ | EV_PERSIST);

	/* event_new() gives the same shape. */
	struct event *ev = event_new(base, -1, EV_TIMEOUT, cb, NULL);
	CHECK(ev != NULL);
	CHECK(ev->ev_fd == -1 && ev->ev_base == base);
	checks++;
	SHOW("event_new: ev_events", ev->ev_events, EV_TIMEOUT);
	SHOW("event_new: evcb_flags", ev->ev_evcallback.evcb_flags, EVLIST_INIT);
	event_free(ev);
	event_base_free(base);
	close(sv[0]);
	close(sv[1]);
	fprintf(stderr, "core_layout: %d checks passed\n", checks);
	return 0;
}
