/* CVE-2014-6272: evbuffer sizes near SIZE_MAX and EV_SSIZE_MAX. libevent before 2.0.22/2.1.4
 * added the new length to the old one without an overflow check, so a huge length made a
 * small chain that was then written past its end. Each call here must fail with -1 (NULL for
 * pullup), leave the buffer as it was, and the buffer must work afterwards.
 * compare-output: every printed answer is libevent 2.1.12's.
 * evbuffer_prepend with a huge length is still unsafe in 2.1.12: when the first chain has room
 * in front, it first copies that many bytes from data + datlen - room (far outside `data`),
 * then fails. That part runs in a child (sec_common.h): on event_rs it must fail cleanly. */
#include <event2/buffer.h>
#include <event2/util.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "sec_common.h"

static const size_t sizes[] = {
	SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 3, SIZE_MAX - 64,
	(size_t)EV_SSIZE_MAX + 1, (size_t)EV_SSIZE_MAX, (size_t)EV_SSIZE_MAX - 1,
	(size_t)EV_SSIZE_MAX - 3, (size_t)EV_SSIZE_MAX - 64,
};
#define NSIZES (sizeof sizes / sizeof sizes[0])

/* The buffer still holds `prefix` and takes, gives back and drains more bytes. */
static void check_intact(struct evbuffer *b, const char *prefix)
{
	char out[64];
	size_t n = strlen(prefix);
	CHECK_EQ(evbuffer_get_length(b), n);
	CHECK_EQ(evbuffer_add(b, "tail", 4), 0);
	CHECK_EQ(evbuffer_copyout(b, out, sizeof out), n + 4);
	CHECK(memcmp(out, prefix, n) == 0 && memcmp(out + n, "tail", 4) == 0);
	CHECK_EQ(evbuffer_drain(b, 4), 0);
	CHECK_EQ(evbuffer_get_length(b), n);
	/* back to exactly `prefix` */
	evbuffer_drain(b, evbuffer_get_length(b));
	evbuffer_add(b, prefix, n);
}

static size_t prepend_size;
static int front_room;

/* evbuffer_prepend(huge) on a buffer whose first chain has free room in front (after a drain)
 * or is empty (libevent makes one for an add of 0 bytes): 0 when it fails and changes nothing. */
static int prepend_child(void *arg)
{
	static const char data[8] = "payload";
	struct evbuffer *b = evbuffer_new();
	char out[16];
	(void)arg;
	if (front_room) {
		evbuffer_add(b, "xxxabc", 6);
		evbuffer_drain(b, 3);
	} else {
		evbuffer_add(b, "", 0);
	}
	if (evbuffer_prepend(b, data, prepend_size) != -1)
		return 2;
	if (evbuffer_get_length(b) != (front_room ? 3u : 0u))
		return 3;
	if (front_room && (evbuffer_copyout(b, out, sizeof out) != 3 || memcmp(out, "abc", 3) != 0))
		return 4;
	evbuffer_free(b);
	return 0;
}

int main(void)
{
	/* A few bytes of real data: calls that trust the length would read past them. */
	static const char data[8] = "payload";
	const char *prefixes[] = { "", "abc" };
	unsigned p, i;

	for (p = 0; p < 2; p++) {
		struct evbuffer *b = evbuffer_new();
		evbuffer_add(b, prefixes[p], strlen(prefixes[p]));
		for (i = 0; i < NSIZES; i++) {
			struct evbuffer_iovec v[2];
			size_t n = sizes[i];
			int r_add = evbuffer_add(b, data, n);
			check_intact(b, prefixes[p]);
			int r_exp = evbuffer_expand(b, n);
			check_intact(b, prefixes[p]);
			int r_res1 = evbuffer_reserve_space(b, (ev_ssize_t)n, v, 1);
			check_intact(b, prefixes[p]);
			int r_res2 = evbuffer_reserve_space(b, (ev_ssize_t)n, v, 2);
			check_intact(b, prefixes[p]);
			int pull_null = evbuffer_pullup(b, (ev_ssize_t)n) == NULL;
			check_intact(b, prefixes[p]);
			printf("prefix %u size %#zx: add %d expand %d reserve1 %d reserve2 %d pullup %s\n",
			    p, n, r_add, r_exp, r_res1, r_res2, pull_null ? "NULL" : "data");
			CHECK_EQ(r_add, -1);
			CHECK_EQ(r_exp, -1);
		}
		/* Reserving a negative size fails too. */
		{
			struct evbuffer_iovec v[1];
			printf("prefix %u reserve -1: %d\n", p, evbuffer_reserve_space(b, -1, v, 1));
			check_intact(b, prefixes[p]);
		}
		printf("prefix %u printf small: %d\n", p, evbuffer_add_printf(b, "%d-%s", 42, "x"));
		evbuffer_free(b);
	}

	for (front_room = 0; front_room < 2; front_room++) {
		for (i = 0; i < NSIZES; i++) {
			char what[96];
			prepend_size = sizes[i];
			snprintf(what, sizeof what, "evbuffer_prepend(%#zx), %s first chain", sizes[i],
			    front_room ? "drained" : "empty");
			expect_safe(what, in_child(prepend_child, NULL));
		}
	}

	/* Moving between buffers: a huge evbuffer_remove or copyout takes what is there. */
	{
		struct evbuffer *a = evbuffer_new(), *b = evbuffer_new();
		char out[16];
		evbuffer_add(a, "0123456789", 10);
		printf("copyout huge: %d\n", (int)evbuffer_copyout(a, out, SIZE_MAX));
		printf("remove_buffer huge: %d\n", evbuffer_remove_buffer(a, b, SIZE_MAX));
		printf("lengths %zu %zu\n", evbuffer_get_length(a), evbuffer_get_length(b));
		printf("drain huge: %d\n", evbuffer_drain(b, SIZE_MAX));
		printf("length %zu\n", evbuffer_get_length(b));
		evbuffer_free(a);
		evbuffer_free(b);
	}
	return 0;
}
