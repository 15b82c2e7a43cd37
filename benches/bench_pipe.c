/* The classic libevent pipe benchmark (test/bench.c), written anew: N descriptors, each with a
 * persistent read event; `active` writers start a chain each, and every read callback reads its
 * byte and forwards one to the next descriptor, until `writes` bytes have been forwarded.
 * The descriptors are both ends of N/2 socketpairs (a byte sent on one end makes the other
 * readable), so N watched descriptors take N open files, not 2N: 10,000 pairs would not fit
 * under a common hard limit of 20,000.
 * Each pass first re-adds every event (event_del + event_assign + event_add), as the classic
 * bench does; unlike it we time the re-add too, since that is where the changelist pays off.
 *   bench_pipe [descriptors=100] [active=10] [writes=1000] [passes=20]
 * prints the mean time of one pass in microseconds. */
#include "bench.h"
#include <sys/socket.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/event_struct.h>

static int nfds, nactive, nwrites;
static int *fds; /* fds[i] and fds[i ^ 1] are the two ends of one socketpair */
static struct event *events;
static long count, fired, writes_left;

static void read_cb(evutil_socket_t fd, short what, void *arg)
{
	long next = (long)(intptr_t)arg + 1;
	char ch;
	(void)what;
	if (recv(fd, &ch, 1, 0) == 1)
		count++;
	if (writes_left > 0) {
		if (next >= nfds)
			next -= nfds;
		if (send(fds[next ^ 1], "e", 1, 0) != 1)
			die("send");
		writes_left--;
		fired++;
	}
}

static void run_pass(struct event_base *base)
{
	int i;
	for (i = 0; i < nfds; i++) {
		if (event_initialized(&events[i]))
			event_del(&events[i]);
		event_assign(&events[i], base, fds[i], EV_READ | EV_PERSIST, read_cb,
		    (void *)(intptr_t)i);
		event_add(&events[i], NULL);
	}
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);

	fired = count = 0;
	writes_left = nwrites;
	for (i = 0; i < nactive; i++, fired++)
		if (send(fds[(i * (nfds / nactive)) ^ 1], "e", 1, 0) != 1)
			die("send");
	do
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	while (count != fired);
}

int main(int argc, char **argv)
{
	struct event_base *base;
	int passes, i;
	double t0;

	nfds = arg_or(argc, argv, 1, 100) & ~1;
	nactive = arg_or(argc, argv, 2, 10);
	nwrites = arg_or(argc, argv, 3, 1000);
	passes = arg_or(argc, argv, 4, 20);
	if (nfds < 2)
		nfds = 2;
	if (nactive > nfds)
		nactive = nfds;
	raise_nofile(nfds + 50);

	fds = calloc(nfds, sizeof *fds);
	events = calloc(nfds, sizeof *events); /* all-zero: not initialised yet */
	if (!fds || !events)
		die("out of memory");
	for (i = 0; i < nfds; i += 2)
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, &fds[i]) != 0)
			die("socketpair");
	if (!(base = event_base_new()))
		die("event_base_new");

	run_pass(base); /* warm-up: first registration of every descriptor */
	t0 = now_s();
	for (i = 0; i < passes; i++)
		run_pass(base);
	printf("%.1f\n", (now_s() - t0) / passes * 1e6);

	for (i = 0; i < nfds; i++)
		event_del(&events[i]);
	event_base_free(base);
	return 0;
}
