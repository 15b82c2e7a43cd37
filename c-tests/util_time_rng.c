/* evutil monotonic timers and the secure RNG: clocks never go back, timers come from the
 * allocator set with event_set_mem_functions, random bytes look random. No durations asserted. */
#include <event2/util.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check.h"

static int mallocs, frees;
static void *my_malloc(size_t n) { mallocs++; return malloc(n); }
static void *my_realloc(void *p, size_t n) { return realloc(p, n); }
static void my_free(void *p) { if (p) frees++; free(p); }

static void check_clock(struct evutil_monotonic_timer *t)
{
	struct timeval prev, now;
	int i;
	CHECK_EQ(evutil_gettime_monotonic(t, &prev), 0);
	for (i = 0; i < 2000; i++) {
		CHECK_EQ(evutil_gettime_monotonic(t, &now), 0);
		CHECK(now.tv_usec >= 0 && now.tv_usec < 1000000);
		CHECK(!evutil_timercmp(&now, &prev, <));
		prev = now;
	}
}

int main(void)
{
	struct evutil_monotonic_timer *t;
	struct timeval tv;
	time_t before;
	unsigned char a[64], b[64], *big;
	int flags[] = {0, EV_MONOT_PRECISE, EV_MONOT_FALLBACK, EV_MONOT_PRECISE | EV_MONOT_FALLBACK, 0x100};
	unsigned k;
	size_t i, nonzero;

	event_set_mem_functions(my_malloc, my_realloc, my_free);

	t = evutil_monotonic_timer_new();
	CHECK(t != NULL);
	CHECK(mallocs >= 1);
	/* Before it is configured, a timer reads the wall clock. */
	before = time(NULL);
	CHECK_EQ(evutil_gettime_monotonic(t, &tv), 0);
	CHECK(tv.tv_sec >= before && tv.tv_sec <= time(NULL) + 1);
	for (k = 0; k < sizeof flags / sizeof flags[0]; k++) {
		CHECK_EQ(evutil_configure_monotonic_time(t, flags[k]), 0);
		check_clock(t);
	}
	evutil_monotonic_timer_free(t);
	CHECK(frees >= 1);
	evutil_monotonic_timer_free(NULL);

	CHECK_EQ(evutil_secure_rng_init(), 0);
	CHECK_EQ(evutil_secure_rng_init(), 0);
	/* This libevent is built on arc4random: there is no device file to pick. */
	CHECK_EQ(evutil_secure_rng_set_urandom_device_file("/dev/urandom"), -1);
	evutil_secure_rng_add_bytes("some entropy", 12);
	evutil_secure_rng_add_bytes(NULL, 0);
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	evutil_secure_rng_get_bytes(a, sizeof a);
	evutil_secure_rng_get_bytes(b, sizeof b);
	CHECK(memcmp(a, b, sizeof a) != 0);
	evutil_secure_rng_get_bytes(a, 0);
	big = malloc(1 << 20);
	memset(big, 0, 1 << 20);
	evutil_secure_rng_get_bytes(big, 1 << 20);
	for (i = 0, nonzero = 0; i < (1 << 20); i++)
		nonzero += big[i] != 0;
	CHECK(nonzero > (1 << 20) / 2);
	free(big);

	/* The timeval macros. */
	{
		struct timeval x = {1, 900000}, y = {2, 200000}, z;
		evutil_timeradd(&x, &y, &z);
		CHECK(z.tv_sec == 4 && z.tv_usec == 100000);
		evutil_timersub(&x, &y, &z);
		CHECK(z.tv_sec == -1 && z.tv_usec == 700000);
		CHECK(evutil_timercmp(&x, &y, <) && evutil_timercmp(&y, &x, >=) && !evutil_timercmp(&x, &y, ==));
		CHECK(evutil_timerisset(&x));
		evutil_timerclear(&x);
		CHECK(!evutil_timerisset(&x));
		CHECK_EQ(evutil_gettimeofday(&z, NULL), 0);
		CHECK(z.tv_sec >= before);
	}
	printf("ok\n");
	return 0;
}
