/* libevent 2.2's evbuffer additions: evbuffer_set_max_read / _get_max_read (4096 by default,
 * as 2.1 reads; raising it makes reads, and a socket bufferevent's read callbacks, bigger),
 * evbuffer_add_reference_with_offset (the bytes from the offset; the cleanup gets the whole
 * block). needs: event_rs */
#include "bev_common.h"
#include <limits.h>

static int checks;
#define OK(c) do { CHECK(c); checks++; } while (0)
#define EQ(a, b) do { CHECK_EQ(a, b); checks++; } while (0)

static char big[65536];

static void fill(int fd, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(fd, big + done, n - done);
		CHECK(w > 0);
		done += (size_t)w;
	}
}

static void test_max_read(void)
{
	struct evbuffer *b = evbuffer_new();
	EQ(evbuffer_get_max_read(b), 4096);
	EQ(evbuffer_set_max_read(b, 0), -1);
	EQ(evbuffer_set_max_read(b, (size_t)INT_MAX + 1), -1);
	EQ(evbuffer_get_max_read(b), 4096);
	EQ(evbuffer_set_max_read(NULL, 100), -1);
	EQ(evbuffer_get_max_read(NULL), 0);

	int sv[2];
	stream_pair(sv);
	int size = 1 << 20;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	fill(sv[0], 40000);
	/* 2.1's bound by default, whatever is asked for. */
	EQ(evbuffer_read(b, sv[1], -1), 4096);
	EQ(evbuffer_read(b, sv[1], 100000), 4096);
	/* Raised: one read takes up to the new bound. */
	EQ(evbuffer_set_max_read(b, 10000), 0);
	EQ(evbuffer_get_max_read(b), 10000);
	EQ(evbuffer_read(b, sv[1], -1), 10000);
	EQ(evbuffer_read(b, sv[1], 500), 500);
	/* Lowered below the default. */
	EQ(evbuffer_set_max_read(b, 100), 0);
	EQ(evbuffer_read(b, sv[1], -1), 100);
	EQ(evbuffer_get_length(b), 4096 * 2 + 10000 + 500 + 100);
	OK(memcmp(evbuffer_pullup(b, -1), big, evbuffer_get_length(b)) == 0);
	evbuffer_free(b);
	close(sv[0]);
	close(sv[1]);
}

/* A socket bufferevent's read callbacks get what one read took. */
static size_t largest;
static size_t total;
static void readcb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	size_t n = evbuffer_get_length(bufferevent_get_input(bev));
	if (n > largest)
		largest = n;
	total += n;
	evbuffer_drain(bufferevent_get_input(bev), n);
}

static size_t largest_read(size_t max_read)
{
	struct event_base *base = event_base_new();
	int sv[2];
	stream_pair(sv);
	int size = 1 << 20;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[1], BEV_OPT_CLOSE_ON_FREE);
	if (max_read)
		CHECK(evbuffer_set_max_read(bufferevent_get_input(bev), max_read) == 0);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	largest = total = 0;
	fill(sv[0], 60000);
	while (total < 60000)
		CHECK(event_base_loop(base, EVLOOP_ONCE) == 0);
	bufferevent_free(bev);
	close(sv[0]);
	event_base_free(base);
	return largest;
}

static void test_bufferevent_reads(void)
{
	EQ(largest_read(0), 4096);
	/* Raised: bigger reads, within the bufferevent's own bound (16384 by default). */
	EQ(largest_read(65536), 16384);
	EQ(largest_read(8000), 8000);
}

static const void *cleaned_data;
static size_t cleaned_len;
static void *cleaned_arg;
static void cleanup(const void *data, size_t len, void *arg)
{
	cleaned_data = data;
	cleaned_len = len;
	cleaned_arg = arg;
}

static void test_reference_with_offset(void)
{
	static const char text[] = "0123456789abcdefghij";
	struct evbuffer *b = evbuffer_new();
	EQ(evbuffer_add_reference_with_offset(b, text, 5, 10, cleanup, (void *)text), 0);
	EQ(evbuffer_get_length(b), 10);
	char out[16] = { 0 };
	EQ(evbuffer_copyout(b, out, sizeof out), 10);
	OK(memcmp(out, "56789abcde", 10) == 0);
	/* A search and a drain work on the referenced bytes. */
	struct evbuffer_ptr p = evbuffer_search(b, "9a", 2, NULL);
	EQ(p.pos, 4);
	evbuffer_drain(b, 3);
	EQ(evbuffer_remove(b, out, 4), 4);
	OK(memcmp(out, "89ab", 4) == 0);
	OK(cleaned_data == NULL);
	evbuffer_free(b);
	/* The cleanup gets the start of the block and the offset plus the length. */
	OK(cleaned_data == text);
	EQ(cleaned_len, 15);
	OK(cleaned_arg == (void *)text);

	/* Moved to another buffer, the reference still cleans up once, at the end. */
	cleaned_data = NULL;
	struct evbuffer *a = evbuffer_new(), *c = evbuffer_new();
	EQ(evbuffer_add_reference_with_offset(a, text, 0, 4, cleanup, NULL), 0);
	EQ(evbuffer_add_buffer(c, a), 0);
	evbuffer_free(a);
	OK(cleaned_data == NULL);
	EQ(evbuffer_remove(c, out, 10), 4);
	OK(memcmp(out, "0123", 4) == 0);
	OK(cleaned_data == text);
	EQ(cleaned_len, 4);
	evbuffer_free(c);

	/* Bad arguments. */
	EQ(evbuffer_add_reference_with_offset(NULL, text, 0, 4, NULL, NULL), -1);
	b = evbuffer_new();
	EQ(evbuffer_add_reference_with_offset(b, NULL, 0, 4, NULL, NULL), -1);
	EQ(evbuffer_add_reference_with_offset(b, text, (size_t)-1, 4, NULL, NULL), -1);
	EQ(evbuffer_get_length(b), 0);
	evbuffer_free(b);
}

int main(void)
{
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)(i * 7 + i / 251);
	test_max_read();
	test_bufferevent_reads();
	test_reference_with_offset();
	printf("api22_buffer: %d checks\n", checks);
	return 0;
}
