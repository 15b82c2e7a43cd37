/* Freeing bufferevents: from inside their own read, write and event callbacks (socket, with
 * and without deferred callbacks, and pairs), with deferred callbacks still pending, with extra
 * references; BEV_OPT_CLOSE_ON_FREE closes the socket exactly once. Valgrind checks that no
 * freed memory is touched. */
#include "bev_common.h"

static int calls_after_free;
static int freed;

static void free_in_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	CHECK(!freed);
	freed = 1;
	bufferevent_free(bev);
	/* Still usable until the callback returns? No: but nothing else may call us. */
}

static void free_in_write(struct bufferevent *bev, void *arg)
{
	(void)arg;
	CHECK(!freed);
	freed = 1;
	bufferevent_free(bev);
}

static void free_in_event(struct bufferevent *bev, short what, void *arg)
{
	(void)arg;
	CHECK(!freed);
	CHECK(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR));
	freed = 1;
	bufferevent_free(bev);
}

static void never_read(struct bufferevent *bev, void *arg) { (void)bev; (void)arg; calls_after_free++; }
static void never_event(struct bufferevent *bev, short what, void *arg) { (void)bev; (void)what; (void)arg; calls_after_free++; }

/* The peer of a freed CLOSE_ON_FREE bufferevent sees the end of the stream. */
static void expect_peer_eof(struct event_base *base, int peer)
{
	char c;
	for (int i = 0; i < 500; i++) {
		ssize_t n = read(peer, &c, 1);
		if (n == 0)
			return;
		CHECK(n > 0 || errno == EAGAIN);
		run_for(base, 2);
	}
	CHECK(!"peer saw no EOF");
}

static void scenario(struct event_base *base, int options, int which)
{
	int sv[2];
	stream_pair(sv);
	freed = 0;
	calls_after_free = 0;
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], options | BEV_OPT_CLOSE_ON_FREE);
	switch (which) {
	case 0: /* read */
		bufferevent_setcb(bev, free_in_read, NULL, never_event, NULL);
		bufferevent_enable(bev, EV_READ);
		CHECK(write(sv[1], "data", 4) == 4);
		break;
	case 1: /* write: enabling an idle writer calls it */
		bufferevent_setcb(bev, never_read, free_in_write, never_event, NULL);
		bufferevent_write(bev, "out", 3);
		break;
	case 2: /* event: EOF */
		bufferevent_setcb(bev, never_read, NULL, free_in_event, NULL);
		bufferevent_enable(bev, EV_READ);
		shutdown(sv[1], SHUT_WR);
		break;
	}
	run_until(base, &freed);
	run_for(base, 20);
	CHECK_EQ(calls_after_free, 0);
	CHECK(!fd_is_open(sv[0]));
	expect_peer_eof(base, sv[1]);
	close(sv[1]);
}

static void pair_free_in_read(struct bufferevent *bev, void *arg)
{
	*(int *)arg += 1;
	bufferevent_free(bev);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	struct event_base *base = event_base_new();
	for (int which = 0; which < 3; which++) {
		scenario(base, 0, which);
		scenario(base, BEV_OPT_DEFER_CALLBACKS, which);
	}

	/* CLOSE_ON_FREE closes once, when the loop lets go of the bufferevent; a descriptor that
	 * reuses the number afterwards is left alone. */
	int sv[2];
	stream_pair(sv);
	int fd = sv[0];
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_enable(bev, EV_READ);
	bufferevent_free(bev);
	run_for(base, 10);
	CHECK(!fd_is_open(fd));
	int again[2];
	stream_pair(again);
	CHECK(again[0] == fd || again[1] == fd);
	run_for(base, 20);
	CHECK(fd_is_open(fd));
	close(again[0]);
	close(again[1]);
	close(sv[1]);

	/* Without CLOSE_ON_FREE the descriptor stays the program's. */
	stream_pair(sv);
	bev = bufferevent_socket_new(base, sv[0], 0);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	bufferevent_free(bev);
	run_for(base, 10);
	CHECK(fd_is_open(sv[0]));
	close(sv[0]);
	close(sv[1]);

	/* Extra references keep it alive; the last decref frees it (and returns 1). */
	stream_pair(sv);
	bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_incref(bev);
	bufferevent_free(bev);
	run_for(base, 10);
	CHECK(fd_is_open(sv[0]));
	CHECK(bufferevent_get_input(bev) != NULL);
	bufferevent_incref(bev);
	CHECK_EQ(bufferevent_decref(bev), 0);
	CHECK_EQ(bufferevent_decref(bev), 1);
	run_for(base, 10);
	CHECK(!fd_is_open(sv[0]));
	close(sv[1]);

	/* Freed with deferred callbacks pending: none of them runs. */
	stream_pair(sv);
	calls_after_free = 0;
	bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	bufferevent_setcb(bev, never_read, never_read, never_event, NULL);
	bufferevent_trigger(bev, EV_READ | EV_WRITE, BEV_TRIG_IGNORE_WATERMARKS);
	bufferevent_trigger_event(bev, BEV_EVENT_EOF, 0);
	bufferevent_free(bev);
	run_for(base, 20);
	CHECK_EQ(calls_after_free, 0);
	close(sv[1]);

	/* A pair whose side frees itself in its read callback; the partner goes on alone. */
	struct bufferevent *pair[2];
	CHECK_EQ(bufferevent_pair_new(base, 0, pair), 0);
	int reads = 0;
	bufferevent_setcb(pair[1], pair_free_in_read, NULL, NULL, &reads);
	bufferevent_enable(pair[1], EV_READ);
	bufferevent_write(pair[0], "ping", 4);
	run_until(base, &reads);
	run_for(base, 10);
	CHECK_EQ(reads, 1);
	CHECK(bufferevent_pair_get_partner(pair[0]) == NULL);
	CHECK_EQ(bufferevent_write(pair[0], "more", 4), 0);
	run_for(base, 10);
	bufferevent_free(pair[0]);

	/* Freed, then the base freed without the loop running again: nothing leaks, the socket
	 * is closed. */
	stream_pair(sv);
	bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_write(bev, "never sent", 10);
	bufferevent_free(bev);
	event_base_free(base);
	CHECK(!fd_is_open(sv[0]));
	close(sv[1]);
	printf("bev_free: ok\n");
	return 0;
}
