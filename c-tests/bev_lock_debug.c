/* evthread_enable_lock_debugging() on its own, without evthread_use_pthreads(): the debug
 * locks work by themselves, so BEV_OPT_THREADSAFE bufferevents, bases and rate-limit groups
 * are made and run. A rate-limited transfer in the manner of libevent's rate-limit sample:
 * 30 connections in a group limited to 30,000 B/s, each limited to 1,000 B/s, the group with a
 * minimum share and drained by hand; every byte arrives in order and no limit is exceeded by
 * more than half (how slow the machine is does not matter). Then pthreads installed after the
 * debugging become the real locks under the debug ones. */
#include "bev_common.h"
#include <event2/thread.h>

#define NCONN 30
#define CONN_RATE 1000
#define GROUP_RATE 30000
#define RUN_MS 1500

struct conn { struct bufferevent *w, *r; size_t got; unsigned char next; int bad; };

static void sink_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	unsigned char buf[4096];
	size_t n;
	while ((n = bufferevent_read(bev, buf, sizeof(buf))) > 0) {
		for (size_t i = 0; i < n; i++)
			if (buf[i] != c->next++)
				c->bad = 1;
		c->got += n;
	}
}

static double now_ms(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0;
}

int main(void)
{
	evthread_enable_lock_debugging();
	struct event_base *base = event_base_new();
	CHECK(base != NULL);
	struct conn conns[NCONN];
	static unsigned char data[8192];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)i;

	struct timeval sec = { 1, 0 };
	struct ev_token_bucket_cfg *conn_cfg = ev_token_bucket_cfg_new(CONN_RATE, CONN_RATE, CONN_RATE, CONN_RATE, &sec);
	struct ev_token_bucket_cfg *group_cfg = ev_token_bucket_cfg_new(GROUP_RATE, GROUP_RATE, GROUP_RATE, GROUP_RATE, &sec);
	CHECK(conn_cfg != NULL && group_cfg != NULL);
	struct bufferevent_rate_limit_group *g = bufferevent_rate_limit_group_new(base, group_cfg);
	CHECK(g != NULL);
	CHECK_EQ(bufferevent_rate_limit_group_set_min_share(g, 64), 0);
	for (int i = 0; i < NCONN; i++) {
		int sv[2];
		stream_pair(sv);
		struct conn *c = &conns[i];
		memset(c, 0, sizeof *c);
		c->w = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE | BEV_OPT_THREADSAFE);
		c->r = bufferevent_socket_new(base, sv[1], BEV_OPT_CLOSE_ON_FREE | BEV_OPT_THREADSAFE);
		CHECK(c->w != NULL && c->r != NULL);
		CHECK_EQ(bufferevent_set_rate_limit(c->w, conn_cfg), 0);
		CHECK_EQ(bufferevent_add_to_rate_limit_group(c->w, g), 0);
		bufferevent_setcb(c->r, sink_read, NULL, NULL, c);
		CHECK_EQ(bufferevent_enable(c->r, EV_READ), 0);
		CHECK_EQ(bufferevent_write(c->w, data, sizeof data), 0);
	}
	/* Drain the group's write bucket by hand: the first second's burst is spent. */
	CHECK_EQ(bufferevent_rate_limit_group_decrement_write(g, GROUP_RATE / 2), 0);
	CHECK(bufferevent_rate_limit_group_get_write_limit(g) <= GROUP_RATE / 2);

	double t0 = now_ms();
	run_for(base, RUN_MS);
	double secs = (now_ms() - t0) / 1000.0;
	size_t total = 0;
	for (int i = 0; i < NCONN; i++) {
		CHECK_EQ(conns[i].bad, 0);
		CHECK(conns[i].got > 0);               /* every connection moved */
		/* one burst plus the rate, with half again as tolerance */
		CHECK(conns[i].got <= (size_t)((CONN_RATE + CONN_RATE * secs) * 1.5));
		total += conns[i].got;
	}
	CHECK(total <= (size_t)((GROUP_RATE / 2 + GROUP_RATE * secs) * 1.5));
	printf("moved %zu bytes over %d connections in %.2f s\n", total, NCONN, secs);

	ev_uint64_t r_total, w_total;
	bufferevent_rate_limit_group_get_totals(g, &r_total, &w_total);
	CHECK_EQ(w_total, total);
	for (int i = 0; i < NCONN; i++) {
		CHECK_EQ(bufferevent_remove_from_rate_limit_group(conns[i].w), 0);
		bufferevent_free(conns[i].w);
		bufferevent_free(conns[i].r);
	}
	bufferevent_rate_limit_group_free(g);
	ev_token_bucket_cfg_free(conn_cfg);
	ev_token_bucket_cfg_free(group_cfg);
	event_base_free(base);

	/* Real locks installed now sit under the debug ones. */
	CHECK_EQ(evthread_use_pthreads(), 0);
	base = event_base_new();
	CHECK(base != NULL);
	struct bufferevent *pair[2];
	CHECK_EQ(bufferevent_pair_new(base, BEV_OPT_THREADSAFE, pair), 0);
	struct conn c;
	memset(&c, 0, sizeof c);
	bufferevent_setcb(pair[1], sink_read, NULL, NULL, &c);
	CHECK_EQ(bufferevent_enable(pair[1], EV_READ), 0);
	CHECK_EQ(bufferevent_write(pair[0], data, 100), 0);
	run_for(base, 50);
	CHECK_EQ(c.got, 100);
	CHECK_EQ(c.bad, 0);
	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);
	event_base_free(base);
	return 0;
}
