/* Timers: add `n` timers with random timeouts, re-add each with a new random timeout (which
 * moves it in the heap), delete every other one, then run the loop until the rest have fired.
 * Timeouts are below 1 ms, so the run measures the heap work, not sleeping.
 *   bench_timers [n=100000]
 * prints the whole time in milliseconds. */
#include "bench.h"
#include <event2/event.h>
#include <event2/event_struct.h>

static long fired;

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	fired++;
}

static struct timeval random_tv(void)
{
	struct timeval tv = { 0, rng() % 1000 };
	return tv;
}

int main(int argc, char **argv)
{
	long n = arg_or(argc, argv, 1, 100000), i;
	struct event_base *base = event_base_new();
	struct event *ev = calloc(n, sizeof *ev);
	struct timeval tv;
	double t0;

	if (!base || !ev)
		die("setup");
	for (i = 0; i < n; i++)
		evtimer_assign(&ev[i], base, timer_cb, NULL);

	t0 = now_s();
	for (i = 0; i < n; i++) {
		tv = random_tv();
		evtimer_add(&ev[i], &tv);
	}
	for (i = 0; i < n; i++) {
		tv = random_tv();
		evtimer_add(&ev[i], &tv);
	}
	for (i = 0; i < n; i += 2)
		evtimer_del(&ev[i]);
	event_base_dispatch(base);
	printf("%.2f\n", (now_s() - t0) * 1e3);

	if (fired != n / 2)
		die("wrong number of timers fired");
	event_base_free(base);
	free(ev);
	return 0;
}
