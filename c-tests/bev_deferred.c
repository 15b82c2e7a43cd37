/* Deferred callbacks (BEV_OPT_DEFER_CALLBACKS, BEV_TRIG_DEFER_CALLBACKS, pairs): they run from
 * the loop after the operation that triggered them has returned, in libevent's order
 * (connected, read, write, other events), with the errno of the moment they were triggered.
 * compare-output: the order of callbacks must be libevent's. */
#include "bev_common.h"

static char log_[512];

static void note(const char *what)
{
	strcat(log_, what);
	strcat(log_, " ");
}

static void rd(struct bufferevent *bev, void *arg) { (void)bev; (void)arg; note("read"); }
static void wr(struct bufferevent *bev, void *arg) { (void)bev; (void)arg; note("write"); }
static void evcb(struct bufferevent *bev, short what, void *arg)
{
	char buf[64];
	(void)bev;
	snprintf(buf, sizeof(buf), "event:0x%x", what);
	note(buf);
	if (what & BEV_EVENT_ERROR) {
		snprintf(buf, sizeof(buf), "errno:%s", errno == ECONNREFUSED ? "ECONNREFUSED" : "other");
		note(buf);
	}
	if (arg)
		*(int *)arg = 1;
}

static void show(const char *title)
{
	printf("%s: %s\n", title, log_);
	log_[0] = 0;
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	stream_pair(sv);

	/* A deferring bufferevent: triggers return before any callback runs. */
	struct bufferevent *d = bufferevent_socket_new(base, sv[0], BEV_OPT_DEFER_CALLBACKS);
	bufferevent_setcb(d, rd, wr, evcb, NULL);
	bufferevent_trigger_event(d, BEV_EVENT_EOF, 0);
	bufferevent_trigger(d, EV_READ | EV_WRITE, 0);
	note("returned");
	event_base_loop(base, EVLOOP_NONBLOCK);
	show("defer option");

	/* A plain one: at once, unless the trigger asks to defer. */
	struct bufferevent *p = bufferevent_socket_new(base, sv[1], 0);
	bufferevent_setcb(p, rd, wr, evcb, NULL);
	bufferevent_trigger(p, EV_READ, 0);
	note("returned");
	bufferevent_trigger(p, EV_WRITE, BEV_TRIG_DEFER_CALLBACKS);
	bufferevent_trigger_event(p, BEV_EVENT_ERROR, BEV_TRIG_DEFER_CALLBACKS);
	note("returned");
	event_base_loop(base, EVLOOP_NONBLOCK);
	show("trigger options");

	/* Triggers respect the watermarks unless told to ignore them. */
	bufferevent_setwatermark(p, EV_READ, 10, 0);
	bufferevent_trigger(p, EV_READ, 0);
	bufferevent_trigger(p, EV_READ, BEV_TRIG_IGNORE_WATERMARKS);
	show("watermarks");

	/* Data read by a deferring bufferevent: its read callback after the read event. */
	bufferevent_enable(d, EV_READ);
	CHECK(write(sv[1], "abc", 3) == 3);
	int spins = 0;
	while (!strstr(log_, "read") && spins++ < 1000)
		event_base_loop(base, EVLOOP_ONCE);
	show("deferred read");
	bufferevent_free(d);
	bufferevent_free(p);
	close(sv[0]);
	close(sv[1]);

	/* A refused connect, deferred: errno is still ECONNREFUSED in the callback. */
	int done = 0;
	struct sockaddr_in nobody = loopback_addr(closed_port());
	d = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS | BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(d, rd, wr, evcb, &done);
	CHECK_EQ(bufferevent_socket_connect(d, (struct sockaddr *)&nobody, sizeof(nobody)), 0);
	note("returned");
	errno = 0;
	run_until(base, &done);
	show("refused");
	bufferevent_free(d);

	/* Pairs always defer: a write does not reach the partner's callback before it returns. */
	struct bufferevent *pair[2];
	CHECK_EQ(bufferevent_pair_new(base, 0, pair), 0);
	bufferevent_setcb(pair[1], rd, NULL, evcb, NULL);
	bufferevent_enable(pair[1], EV_READ);
	bufferevent_write(pair[0], "x", 1);
	note("returned");
	event_base_loop(base, EVLOOP_NONBLOCK);
	show("pair");
	/* Flushing with BEV_FINISHED tells the partner of an end of file. */
	bufferevent_flush(pair[0], EV_WRITE, BEV_FINISHED);
	note("returned");
	event_base_loop(base, EVLOOP_NONBLOCK);
	show("pair finished");
	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);

	/* UNLOCK_CALLBACKS needs DEFER_CALLBACKS. */
	CHECK(bufferevent_socket_new(base, -1, BEV_OPT_UNLOCK_CALLBACKS) == NULL);
	d = bufferevent_socket_new(base, -1, BEV_OPT_UNLOCK_CALLBACKS | BEV_OPT_DEFER_CALLBACKS);
	CHECK(d != NULL);
	bufferevent_setcb(d, rd, wr, evcb, NULL);
	bufferevent_trigger(d, EV_READ, 0);
	note("returned");
	event_base_loop(base, EVLOOP_NONBLOCK);
	show("unlock callbacks");
	bufferevent_free(d);

	event_base_free(base);
	return 0;
}
