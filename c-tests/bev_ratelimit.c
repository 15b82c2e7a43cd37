/* Rate limits: a bufferevent's write and read buckets, and a group's, hold the configured rate
 * (measured: the achieved rate must not exceed it by more than half; how slow the machine is
 * does not matter). Plus the accessors, decrements, totals and single-operation caps. */
#include "bev_common.h"

#define RATE 25000 /* bytes per tick */
#define TICK_MS 100
#define TOTAL 300000

struct sink { size_t got; int done; size_t want; };

static void sink_read(struct bufferevent *bev, void *arg)
{
	struct sink *s = arg;
	char buf[16384];
	size_t n;
	while ((n = bufferevent_read(bev, buf, sizeof(buf))) > 0)
		s->got += n;
	if (s->got >= s->want)
		s->done = 1;
}

/* Bytes per second the configuration allows, after the first tick's worth. */
static double allowed(void) { return RATE * (1000.0 / TICK_MS); }

static void check_rate(const char *what, double seconds, size_t bytes, size_t burst)
{
	double rate = (bytes - burst) / seconds;
	printf("%s: %.0f bytes/s (limit %.0f)\n", what, rate, allowed());
	CHECK(rate > 0);
	CHECK(rate <= allowed() * 1.5);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval tick = { 0, TICK_MS * 1000 };
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(RATE, RATE, RATE, RATE, &tick);
	CHECK(cfg != NULL);
	CHECK(ev_token_bucket_cfg_new(0, 10, 10, 10, NULL) == NULL);
	CHECK(ev_token_bucket_cfg_new(10, 5, 10, 10, NULL) == NULL);
	CHECK(ev_token_bucket_cfg_new(10, 10, 10, 5, NULL) == NULL);

	/* --- the write side. */
	int sv[2];
	stream_pair(sv);
	struct bufferevent *w = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *r = bufferevent_socket_new(base, sv[1], BEV_OPT_CLOSE_ON_FREE);
	CHECK_EQ(bufferevent_get_write_limit(w), EV_SSIZE_MAX);
	CHECK(bufferevent_get_token_bucket_cfg(w) == NULL);
	CHECK_EQ(bufferevent_set_rate_limit(w, cfg), 0);
	CHECK(bufferevent_get_token_bucket_cfg(w) == cfg);
	CHECK_EQ(bufferevent_get_write_limit(w), RATE);
	CHECK_EQ(bufferevent_get_read_limit(w), RATE);
	/* The bucket replaces the single-write cap (as libevent does). */
	CHECK_EQ(bufferevent_get_max_to_write(w), RATE);
	struct sink s = { 0, 0, TOTAL };
	bufferevent_setcb(r, sink_read, NULL, NULL, &s);
	bufferevent_enable(r, EV_READ);
	static char big[TOTAL];
	double t0 = now_s();
	bufferevent_write(w, big, sizeof(big));
	run_until(base, &s.done);
	check_rate("write limit", now_s() - t0, TOTAL, RATE);
	bufferevent_free(w);
	bufferevent_free(r);

	/* --- the read side. */
	stream_pair(sv);
	int sz = 1 << 20;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	w = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	r = bufferevent_socket_new(base, sv[1], BEV_OPT_CLOSE_ON_FREE);
	CHECK_EQ(bufferevent_set_rate_limit(r, cfg), 0);
	s = (struct sink){ 0, 0, TOTAL };
	bufferevent_setcb(r, sink_read, NULL, NULL, &s);
	bufferevent_enable(r, EV_READ);
	t0 = now_s();
	bufferevent_write(w, big, sizeof(big));
	run_until(base, &s.done);
	check_rate("read limit", now_s() - t0, TOTAL, RATE);

	/* Decrementing the bucket by hand, and the single-operation caps. */
	ev_ssize_t before = bufferevent_get_read_limit(r);
	CHECK_EQ(bufferevent_decrement_read_limit(r, 100), 0);
	CHECK(bufferevent_get_read_limit(r) <= before - 100 + RATE);
	CHECK_EQ(bufferevent_set_rate_limit(r, NULL), 0);
	CHECK(bufferevent_get_token_bucket_cfg(r) == NULL);
	CHECK_EQ(bufferevent_get_read_limit(r), EV_SSIZE_MAX);
	CHECK_EQ(bufferevent_get_max_single_read(r), 16384);
	CHECK_EQ(bufferevent_set_max_single_read(r, 1000), 0);
	CHECK_EQ(bufferevent_get_max_single_read(r), 1000);
	CHECK_EQ(bufferevent_get_max_to_read(r), 1000);
	CHECK_EQ(bufferevent_set_max_single_read(r, 0), 0);
	CHECK_EQ(bufferevent_get_max_single_read(r), 16384);
	CHECK_EQ(bufferevent_set_max_single_write(r, 77), 0);
	CHECK_EQ(bufferevent_get_max_single_write(r), 77);
	CHECK_EQ(bufferevent_get_max_to_write(r), 77);
	bufferevent_free(w);
	bufferevent_free(r);

	/* --- a group of two writers shares one bucket. */
	struct bufferevent_rate_limit_group *g = bufferevent_rate_limit_group_new(base, cfg);
	CHECK(g != NULL);
	CHECK_EQ(bufferevent_rate_limit_group_get_write_limit(g), RATE);
	CHECK_EQ(bufferevent_rate_limit_group_set_min_share(g, 1000), 0);
	struct bufferevent *ws[2], *rs[2];
	struct sink sinks[2] = { { 0, 0, TOTAL / 2 }, { 0, 0, TOTAL / 2 } };
	for (int i = 0; i < 2; i++) {
		stream_pair(sv);
		ws[i] = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
		rs[i] = bufferevent_socket_new(base, sv[1], BEV_OPT_CLOSE_ON_FREE);
		CHECK_EQ(bufferevent_add_to_rate_limit_group(ws[i], g), 0);
		CHECK_EQ(bufferevent_add_to_rate_limit_group(ws[i], g), 0); /* again: no change */
		bufferevent_setcb(rs[i], sink_read, NULL, NULL, &sinks[i]);
		bufferevent_enable(rs[i], EV_READ);
	}
	/* The even share of each member. */
	CHECK_EQ(bufferevent_get_max_to_write(ws[0]), RATE / 2);
	t0 = now_s();
	for (int i = 0; i < 2; i++)
		bufferevent_write(ws[i], big, TOTAL / 2);
	while (!(sinks[0].done && sinks[1].done))
		run_until(base, sinks[0].done ? &sinks[1].done : &sinks[0].done);
	check_rate("group write limit", now_s() - t0, TOTAL, RATE);
	ev_uint64_t total_read = 1, total_written = 0;
	bufferevent_rate_limit_group_get_totals(g, &total_read, &total_written);
	CHECK_EQ(total_written, TOTAL);
	CHECK_EQ(total_read, 0);
	bufferevent_rate_limit_group_reset_totals(g);
	bufferevent_rate_limit_group_get_totals(g, &total_read, &total_written);
	CHECK_EQ(total_written, 0);
	/* Group decrements and a new configuration. */
	ev_ssize_t gl = bufferevent_rate_limit_group_get_read_limit(g);
	CHECK_EQ(bufferevent_rate_limit_group_decrement_read(g, 10), 0);
	CHECK_EQ(bufferevent_rate_limit_group_get_read_limit(g), gl - 10);
	CHECK_EQ(bufferevent_rate_limit_group_decrement_write(g, -10), 0);
	struct ev_token_bucket_cfg *small = ev_token_bucket_cfg_new(100, 100, 100, 100, &tick);
	CHECK_EQ(bufferevent_rate_limit_group_set_cfg(g, small), 0);
	CHECK(bufferevent_rate_limit_group_get_read_limit(g) <= 100);
	CHECK_EQ(bufferevent_rate_limit_group_set_cfg(NULL, small), -1);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(bufferevent_remove_from_rate_limit_group(ws[i]), 0);
		bufferevent_free(ws[i]);
		bufferevent_free(rs[i]);
	}
	bufferevent_rate_limit_group_free(g);
	run_for(base, 10);
	ev_token_bucket_cfg_free(small);
	ev_token_bucket_cfg_free(cfg);
	event_base_free(base);
	printf("bev_ratelimit: ok\n");
	return 0;
}
