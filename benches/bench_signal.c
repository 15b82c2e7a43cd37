/* A signal storm: the process sends itself `n` real-time signals (which queue, unlike the
 * standard ones) in bursts of 64, and the loop runs until each burst's callbacks all ran.
 *   bench_signal [sigaction|signalfd] [n=200000]
 * "signalfd" asks for EVENT_BASE_FLAG_USE_SIGNALFD (libevent 2.2's flag, 0x80; libevent 2.1
 * ignores the bit and keeps its handler and socketpair). Prints the whole time in ms. */
#include "bench.h"
#include <event2/event.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define BURST 64

static long got;

static void sig_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)sig; (void)what; (void)arg;
	got++;
}

int main(int argc, char **argv)
{
	int use_fd = argc > 1 && strcmp(argv[1], "signalfd") == 0;
	long n = arg_or(argc, argv, 2, 200000), sent = 0;
	struct event_config *cfg = event_config_new();
	if (use_fd)
		event_config_set_flag(cfg, 0x80); /* EVENT_BASE_FLAG_USE_SIGNALFD */
	struct event_base *base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (!base)
		die("setup");
	int sig = SIGRTMIN;
	struct event *ev = evsignal_new(base, sig, sig_cb, NULL);
	if (!ev || evsignal_add(ev, NULL) != 0)
		die("evsignal_add");
	union sigval v;
	memset(&v, 0, sizeof v);
	pid_t me = getpid();
	double t0 = now_s();
	while (sent < n) {
		for (int i = 0; i < BURST && sent < n; i++, sent++)
			if (sigqueue(me, sig, v) != 0)
				die("sigqueue");
		while (got < sent)
			if (event_base_loop(base, EVLOOP_ONCE) < 0)
				die("loop");
	}
	printf("%.2f\n", (now_s() - t0) * 1e3);
	event_free(ev);
	event_base_free(base);
	return 0;
}
