/* evbuffer_enable_locking: refused without threading (NULL lock), then a recursive lock shared
 * by writer and reader threads; callbacks run with the lock held. */
#include "buffer_common.h"
#include <event2/thread.h>
#include <pthread.h>

#define WRITERS 3
#define ADDS 20000

static struct evbuffer *shared;
static size_t cb_calls;

static void count_cb(struct evbuffer *b, const struct evbuffer_cb_info *i, void *arg)
{
	(void)b; (void)i; (void)arg;
	cb_calls++;                    /* the buffer's lock is held: no race */
}

static void *writer(void *arg)
{
	int i;
	(void)arg;
	for (i = 0; i < ADDS; i++)
		CHECK_EQ(evbuffer_add(shared, "0123456789", 10), 0);
	return NULL;
}

static void *reader(void *arg)
{
	size_t got = 0;
	char tmp[64];
	(void)arg;
	while (got < (size_t)WRITERS * ADDS * 10 / 2) {
		int n;
		evbuffer_lock(shared);
		n = evbuffer_remove(shared, tmp, sizeof tmp);
		evbuffer_unlock(shared);
		if (n > 0) got += (size_t)n;
	}
	return (void *)got;
}

int main(void)
{
	pthread_t w[WRITERS], r;
	void *got;
	int i;

	shared = evbuffer_new();
	CHECK_EQ(evbuffer_enable_locking(shared, NULL), -1);  /* no lock functions yet */
	evbuffer_lock(shared);                               /* harmless without a lock */
	evbuffer_unlock(shared);
	CHECK_EQ(evthread_use_pthreads(), 0);
	CHECK_EQ(evbuffer_enable_locking(shared, NULL), 0);
	CHECK_EQ(evbuffer_enable_locking(shared, NULL), -1); /* already has one */
	evbuffer_add_cb(shared, count_cb, NULL);

	/* recursive: a locked buffer can be used by the thread holding the lock */
	evbuffer_lock(shared);
	evbuffer_add(shared, "x", 1);
	evbuffer_drain(shared, 1);
	evbuffer_unlock(shared);

	CHECK_EQ(pthread_create(&r, NULL, reader, NULL), 0);
	for (i = 0; i < WRITERS; i++) CHECK_EQ(pthread_create(&w[i], NULL, writer, NULL), 0);
	for (i = 0; i < WRITERS; i++) pthread_join(w[i], NULL);
	pthread_join(r, &got);
	printf("read %zu, left %zu, total %zu, callbacks %zu\n", (size_t)got, evbuffer_get_length(shared),
	    (size_t)got + evbuffer_get_length(shared), cb_calls);
	CHECK_EQ((size_t)got + evbuffer_get_length(shared), (size_t)WRITERS * ADDS * 10);
	CHECK(cb_calls >= (size_t)WRITERS * ADDS);
	evbuffer_free(shared);
	return 0;
}
