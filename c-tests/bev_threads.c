/* Thread-safe bufferevents (evthread_use_pthreads + BEV_OPT_THREADSAFE): another thread writes
 * while the loop sends and receives; bufferevent_lock() makes a group of calls atomic; pairs
 * and filters share their lock; unlocked deferred callbacks; a free from another thread. */
#include <event2/thread.h>
#include <pthread.h>
#include "bev_common.h"

#define MSGS 2000
#define MSG 100

static struct bufferevent *writer;
static volatile int writer_done;

static void *write_thread(void *arg)
{
	(void)arg;
	unsigned char msg[MSG];
	for (int i = 0; i < MSGS; i++) {
		for (int j = 0; j < MSG; j++)
			msg[j] = (unsigned char)(i + j);
		/* Two writes that must not be split by another thread's: under the lock. */
		bufferevent_lock(writer);
		CHECK_EQ(bufferevent_write(writer, msg, MSG / 2), 0);
		CHECK_EQ(bufferevent_write(writer, msg + MSG / 2, MSG / 2), 0);
		bufferevent_unlock(writer);
		if (i % 100 == 0)
			usleep(1000);
	}
	writer_done = 1;
	return NULL;
}

struct count { size_t got; int done; };

static void reader_cb(struct bufferevent *bev, void *arg)
{
	struct count *c = arg;
	unsigned char buf[4096];
	size_t n;
	while ((n = bufferevent_read(bev, buf, sizeof(buf))) > 0) {
		for (size_t k = 0; k < n; k++) {
			size_t pos = c->got + k;
			CHECK_EQ(buf[k], (unsigned char)(pos / MSG + pos % MSG));
		}
		c->got += n;
	}
	if (c->got == (size_t)MSGS * MSG)
		c->done = 1;
}

static pthread_t loop_thread;

static void *free_thread(void *arg)
{
	bufferevent_free(arg);
	return NULL;
}

int main(void)
{
	CHECK_EQ(evthread_use_pthreads(), 0);
	struct event_base *base = event_base_new();
	loop_thread = pthread_self();
	int sv[2];
	stream_pair(sv);
	writer = bufferevent_socket_new(base, sv[0], BEV_OPT_THREADSAFE | BEV_OPT_CLOSE_ON_FREE);
	CHECK(writer != NULL);
	struct bufferevent *reader = bufferevent_socket_new(base, sv[1], BEV_OPT_THREADSAFE | BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	struct count c = {0, 0};
	bufferevent_setcb(reader, reader_cb, NULL, NULL, &c);
	bufferevent_enable(reader, EV_READ);
	pthread_t t;
	CHECK(pthread_create(&t, NULL, write_thread, NULL) == 0);
	double t0 = now_s();
	while (!c.done) {
		struct timeval tv = { 0, 50000 };
		event_base_loopexit(base, &tv);
		event_base_dispatch(base);
		CHECK(now_s() - t0 < 60);
	}
	pthread_join(t, NULL);
	CHECK(writer_done);

	/* Freed from another thread while the loop is idle. */
	CHECK(pthread_create(&t, NULL, free_thread, writer) == 0);
	pthread_join(t, NULL);
	bufferevent_free(reader);
	run_for(base, 20);

	/* Pairs share one lock; a filter over a thread-safe bufferevent uses its lock. */
	struct bufferevent *pair[2];
	CHECK_EQ(bufferevent_pair_new(base, BEV_OPT_THREADSAFE, pair), 0);
	bufferevent_lock(pair[0]);
	bufferevent_lock(pair[1]);
	bufferevent_write(pair[0], "x", 1);
	bufferevent_unlock(pair[1]);
	bufferevent_unlock(pair[0]);
	struct bufferevent *f = bufferevent_filter_new(pair[1], NULL, NULL, BEV_OPT_THREADSAFE | BEV_OPT_CLOSE_ON_FREE, NULL, NULL);
	CHECK(f != NULL);
	struct seen fs = {0};
	bufferevent_setcb(f, seen_read, NULL, NULL, &fs);
	bufferevent_enable(f, EV_READ);
	bufferevent_enable(pair[1], EV_READ);
	run_until(base, &fs.reads);
	bufferevent_free(f);
	bufferevent_free(pair[0]);
	run_for(base, 10);

	/* Deferred callbacks with the lock released. */
	struct bufferevent *u = bufferevent_socket_new(base, -1, BEV_OPT_THREADSAFE | BEV_OPT_DEFER_CALLBACKS | BEV_OPT_UNLOCK_CALLBACKS);
	CHECK(u != NULL);
	bufferevent_free(u);
	run_for(base, 10);

	event_base_free(base);
	printf("bev_threads: ok\n");
	return 0;
}
