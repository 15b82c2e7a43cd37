/* Bad input gets libevent's answer: options that cannot be honoured, connects that cannot
 * start, NULL where libevent checks for it, operations a kind of bufferevent does not have,
 * writes to a socket the program closed, the socket of a freed CLOSE_ON_FREE bufferevent. */
#include "bev_common.h"

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	struct event_base *base = event_base_new();

	/* Options: THREADSAFE without threading set up; UNLOCK_CALLBACKS without DEFER. */
	CHECK(bufferevent_socket_new(base, -1, BEV_OPT_THREADSAFE) == NULL);
	CHECK(bufferevent_socket_new(base, -1, BEV_OPT_UNLOCK_CALLBACKS) == NULL);
	struct bufferevent *pair[2];
	CHECK_EQ(bufferevent_pair_new(base, BEV_OPT_THREADSAFE, pair), -1);

	/* NULL where libevent checks. */
	CHECK(bufferevent_filter_new(NULL, NULL, NULL, 0, NULL, NULL) == NULL);
	struct timeval tick = { 1, 0 };
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(10, 10, 10, 10, &tick);
	CHECK_EQ(bufferevent_rate_limit_group_set_cfg(NULL, cfg), -1);
	struct bufferevent_rate_limit_group *g = bufferevent_rate_limit_group_new(base, cfg);
	CHECK_EQ(bufferevent_rate_limit_group_set_cfg(g, NULL), -1);
	bufferevent_rate_limit_group_free(g);
	ev_token_bucket_cfg_free(cfg);

	struct bufferevent *b = bufferevent_socket_new(base, -1, 0);
	CHECK(b != NULL);
	CHECK_EQ(bufferevent_getfd(b), -1);
	CHECK_EQ(bufferevent_socket_connect(b, NULL, 0), -1);
	bufferevent_getcb(b, NULL, NULL, NULL, NULL);
	CHECK_EQ(bufferevent_getwatermark(b, EV_READ, NULL, NULL), 0);
	CHECK_EQ(bufferevent_getwatermark(b, 0, NULL, NULL), -1);
	CHECK_EQ(bufferevent_set_timeouts(b, NULL, NULL), 0);
	CHECK_EQ(bufferevent_write(b, NULL, 0), 0);
	char c;
	CHECK_EQ(bufferevent_read(b, &c, 1), 0);
	CHECK_EQ(bufferevent_read(b, &c, 0), 0);
	/* The input belongs to the bufferevent's reader, the output's front to its writer. */
	CHECK_EQ(evbuffer_add(bufferevent_get_input(b), "x", 1), -1);
	CHECK_EQ(bufferevent_write(b, "abc", 3), 0);
	CHECK_EQ(evbuffer_drain(bufferevent_get_output(b), 1), -1);
	CHECK_EQ(evbuffer_get_length(bufferevent_get_output(b)), 3);
	/* Arguments connect_hostname refuses before resolving. */
	CHECK_EQ(bufferevent_socket_connect_hostname(b, NULL, AF_UNIX, "127.0.0.1", 80), -1);
	CHECK_EQ(bufferevent_socket_connect_hostname(b, NULL, AF_INET, "127.0.0.1", -1), -1);
	/* A socket of the wrong family for the address. */
	int s6 = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (s6 >= 0) {
		CHECK_EQ(bufferevent_setfd(b, s6), 0);
		struct sockaddr_in sin = loopback_addr(9);
		CHECK_EQ(bufferevent_socket_connect(b, (struct sockaddr *)&sin, sizeof(sin)), -1);
		CHECK_EQ(bufferevent_getfd(b), s6);
		CHECK_EQ(bufferevent_setfd(b, -1), 0);
		close(s6);
	}
	bufferevent_free(b);

	/* What pairs and filters do not have. */
	CHECK_EQ(bufferevent_pair_new(base, 0, pair), 0);
	CHECK_EQ(bufferevent_setfd(pair[0], 3), -1);
	CHECK_EQ(bufferevent_priority_set(pair[0], 0), -1);
	CHECK_EQ(bufferevent_base_set(base, pair[0]), -1);
	CHECK(bufferevent_get_underlying(pair[0]) == NULL);
	struct bufferevent *f = bufferevent_filter_new(pair[0], NULL, NULL, 0, NULL, NULL);
	CHECK_EQ(bufferevent_getfd(f), -1);
	CHECK_EQ(bufferevent_priority_set(f, 0), -1);
	CHECK(bufferevent_pair_get_partner(f) == NULL);
	bufferevent_free(f);
	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);

	/* A socket the program closed behind the bufferevent's back: writes are accepted and go
	 * nowhere, no callback runs, nothing crashes. */
	int sv[2];
	stream_pair(sv);
	struct seen s = {0};
	b = bufferevent_socket_new(base, sv[0], 0);
	bufferevent_setcb(b, seen_read, seen_write, seen_event, &s);
	close(sv[0]);
	CHECK_EQ(bufferevent_enable(b, EV_READ), -1);
	CHECK_EQ(bufferevent_write(b, "lost", 4), 0);
	run_for(base, 30);
	CHECK_EQ(s.reads + s.writes + s.events, 0);
	bufferevent_free(b);
	close(sv[1]);

	/* After a CLOSE_ON_FREE bufferevent is gone, its socket is closed: writing to the old
	 * descriptor fails with EBADF. */
	stream_pair(sv);
	b = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_write(b, "bye", 3);
	run_for(base, 10);
	bufferevent_free(b);
	run_for(base, 10);
	CHECK(write(sv[0], "x", 1) == -1 && errno == EBADF);
	char got[8];
	CHECK_EQ(read(sv[1], got, sizeof(got)), 3);
	CHECK_EQ(read(sv[1], got, sizeof(got)), 0);
	close(sv[1]);

	event_base_free(base);
	printf("bev_badinput: ok\n");
	return 0;
}
