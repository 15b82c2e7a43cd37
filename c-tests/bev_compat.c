/* The 1.x bufferevent calls, as old programs use them: event_init(), bufferevent_new() on the
 * current base, bufferevent_base_set(), bufferevent_settimeout(), the EVBUFFER_* names, and the
 * public fields read directly. compare-output. */
#include <event.h>
#include "bev_common.h"

static void rd(struct bufferevent *bev, void *arg)
{
	char buf[32];
	int n = evbuffer_remove(EVBUFFER_INPUT(bev), buf, sizeof(buf) - 1);
	buf[n] = 0;
	printf("read: %s (enabled 0x%x)\n", buf, bev->enabled);
	evbuffer_add(EVBUFFER_OUTPUT(bev), "pong", 4);
	*(int *)arg += 1;
}

static void wr(struct bufferevent *bev, void *arg)
{
	(void)arg;
	printf("write: output %zu\n", evbuffer_get_length(bev->output));
}

static void err(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	printf("error: %s%s%s%s\n", what & EVBUFFER_READ ? "read " : "", what & EVBUFFER_WRITE ? "write " : "",
	    what & EVBUFFER_EOF ? "eof " : "", what & EVBUFFER_TIMEOUT ? "timeout" : "");
	*(int *)arg += 1;
}

int main(void)
{
	struct event_base *base = event_init();
	int sv[2];
	stream_pair(sv);
	int reads = 0;
	struct bufferevent *bev = bufferevent_new(sv[0], rd, wr, err, &reads);
	CHECK(bev != NULL);
	printf("base before base_set: %s\n", bev->ev_base == NULL ? "NULL" : "set");
	CHECK_EQ(bufferevent_base_set(base, bev), 0);
	CHECK(bev->ev_base == base);
	CHECK(bufferevent_get_base(bev) == base);
	bufferevent_settimeout(bev, 1, 0);
	printf("timeouts: %ld %ld\n", (long)bev->timeout_read.tv_sec, (long)bev->timeout_write.tv_sec);
	bufferevent_enable(bev, EV_READ);
	CHECK(write(sv[1], "ping", 4) == 4);
	while (!reads)
		event_loop(EVLOOP_ONCE);
	char buf[8];
	int n = -1;
	for (int i = 0; i < 100 && n < 0; i++) {
		event_loop(EVLOOP_NONBLOCK);
		n = (int)read(sv[1], buf, sizeof(buf));
		if (n < 0)
			usleep(1000);
	}
	printf("peer got %d bytes\n", n);
	/* The read timeout of settimeout(). */
	int errors = 0;
	bufferevent_setcb(bev, rd, NULL, err, &errors);
	while (!errors)
		event_loop(EVLOOP_ONCE);
	bufferevent_free(bev);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
