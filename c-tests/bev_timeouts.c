/* Bufferevent timeouts: a read timeout fires (READING|TIMEOUT) and disables reading; enabling
 * again re-arms it; data arriving in time pushes it back; a write timeout fires when the
 * output cannot drain; changing timeouts adjusts pending events; the 1.x settimeout; pairs'
 * timeouts. No durations are asserted, only what fired and in which order. */
#include "bev_common.h"
#include <event2/bufferevent_compat.h>

static void drain_all(struct bufferevent *bev, void *arg)
{
	struct seen *s = arg;
	s->reads++;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	stream_pair(sv);
	struct seen s = {0};
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], 0);
	bufferevent_setcb(bev, drain_all, NULL, seen_event, &s);
	struct timeval tv = { 0, 50000 };
	CHECK_EQ(bufferevent_set_timeouts(bev, &tv, NULL), 0);
	bufferevent_enable(bev, EV_READ);

	/* Fires once, and reading is off afterwards. */
	run_until(base, &s.events);
	CHECK_EQ(s.last_what, BEV_EVENT_READING | BEV_EVENT_TIMEOUT);
	CHECK(!(bufferevent_get_enabled(bev) & EV_READ));
	CHECK(!event_pending(&bev->ev_read, EV_READ | EV_TIMEOUT, NULL));
	run_for(base, 150);
	CHECK_EQ(s.events, 1);

	/* Enabling again re-arms it. */
	bufferevent_enable(bev, EV_READ);
	CHECK(event_pending(&bev->ev_read, EV_TIMEOUT, NULL));
	run_until(base, &s.events);
	s.events = 0;
	CHECK_EQ(s.last_what, BEV_EVENT_READING | BEV_EVENT_TIMEOUT);

	/* Data arriving within the timeout keeps it from firing. */
	bufferevent_enable(bev, EV_READ);
	for (int i = 0; i < 6; i++) {
		CHECK(write(sv[1], "x", 1) == 1);
		run_for(base, 20);
	}
	CHECK_EQ(s.events, 0);
	CHECK_EQ(s.reads, 6);
	run_until(base, &s.events);
	CHECK_EQ(s.last_what, BEV_EVENT_READING | BEV_EVENT_TIMEOUT);

	/* Clearing the timeout of a pending event takes its timer away, keeping the event. */
	s.events = 0;
	bufferevent_enable(bev, EV_READ);
	CHECK(event_pending(&bev->ev_read, EV_TIMEOUT, NULL));
	CHECK_EQ(bufferevent_set_timeouts(bev, NULL, NULL), 0);
	CHECK(!event_pending(&bev->ev_read, EV_TIMEOUT, NULL));
	CHECK(event_pending(&bev->ev_read, EV_READ, NULL));
	run_for(base, 150);
	CHECK_EQ(s.events, 0);
	/* ... and setting one on a pending event arms it. */
	CHECK_EQ(bufferevent_set_timeouts(bev, &tv, NULL), 0);
	CHECK(event_pending(&bev->ev_read, EV_TIMEOUT, NULL));
	run_until(base, &s.events);
	CHECK_EQ(s.last_what, BEV_EVENT_READING | BEV_EVENT_TIMEOUT);

	/* A write timeout: fill the socket so the output cannot drain. */
	s.events = 0;
	int small = 4096;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	CHECK_EQ(bufferevent_set_timeouts(bev, NULL, &tv), 0);
	static char big[1 << 20];
	bufferevent_write(bev, big, sizeof(big));
	run_until(base, &s.events);
	CHECK_EQ(s.last_what, BEV_EVENT_WRITING | BEV_EVENT_TIMEOUT);
	CHECK(!(bufferevent_get_enabled(bev) & EV_WRITE));
	CHECK(evbuffer_get_length(bufferevent_get_output(bev)) > 0);
	/* The 1.x call: whole seconds, 0 for none. */
	bufferevent_settimeout(bev, 7, 0);
	CHECK_EQ(bev->timeout_read.tv_sec, 7);
	CHECK_EQ(bev->timeout_write.tv_sec, 0);
	CHECK_EQ(bev->timeout_write.tv_usec, 0);
	bufferevent_free(bev);
	close(sv[0]);
	close(sv[1]);

	/* Pairs have timeouts too: reading with nothing coming, writing with nobody reading. */
	struct bufferevent *pair[2];
	CHECK_EQ(bufferevent_pair_new(base, 0, pair), 0);
	struct seen p0 = {0}, p1 = {0};
	bufferevent_setcb(pair[0], drain_all, NULL, seen_event, &p0);
	bufferevent_setcb(pair[1], drain_all, NULL, seen_event, &p1);
	bufferevent_set_timeouts(pair[0], &tv, NULL);
	bufferevent_enable(pair[0], EV_READ);
	run_until(base, &p0.events);
	CHECK_EQ(p0.last_what, BEV_EVENT_READING | BEV_EVENT_TIMEOUT);
	CHECK(!(bufferevent_get_enabled(pair[0]) & EV_READ));
	/* pair[1] is not reading: pair[0]'s write sits in its output until the write timeout. */
	p0.events = 0;
	bufferevent_write(pair[0], "hello", 5);
	bufferevent_set_timeouts(pair[0], NULL, &tv); /* arms: there is output waiting */
	run_until(base, &p0.events);
	CHECK_EQ(p0.last_what, BEV_EVENT_WRITING | BEV_EVENT_TIMEOUT);
	CHECK_EQ(p1.events, 0);
	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);

	event_base_free(base);
	printf("bev_timeouts: ok\n");
	return 0;
}
