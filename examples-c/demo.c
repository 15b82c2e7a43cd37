/* A first look at event_rs: a ping-pong over a socketpair, a periodic timer and a signal,
 * all on one event_base. Run it with `make demo`. */
#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct pingpong {
	int fds[2];
	int rounds;
	struct event *ev[2];
};

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct pingpong *pp = arg;
	char buf[16];
	ssize_t n = read(fd, buf, sizeof(buf));
	(void)what;
	if (n <= 0)
		return;
	if (++pp->rounds < 10000) {
		/* answer: the peer end becomes readable */
		if (write(fd, buf, (size_t)n) < 0)
			perror("write");
	} else {
		event_del(pp->ev[0]);
		event_del(pp->ev[1]);
	}
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	int *ticks = arg;
	(void)fd; (void)what;
	printf("tick %d\n", ++*ticks);
}

static void raise_usr1(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	raise(SIGUSR1);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	printf("got signal %d, leaving the loop\n", (int)sig);
	event_base_loopbreak(arg);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct pingpong pp = { .rounds = 0 };
	struct timeval period = { 0, 20000 };
	int ticks = 0;

	printf("event_rs %s, method %s\n", event_get_version(), event_base_get_method(base));
	socketpair(AF_UNIX, SOCK_STREAM, 0, pp.fds);
	pp.ev[0] = event_new(base, pp.fds[0], EV_READ | EV_PERSIST, on_readable, &pp);
	pp.ev[1] = event_new(base, pp.fds[1], EV_READ | EV_PERSIST, on_readable, &pp);
	event_add(pp.ev[0], NULL);
	event_add(pp.ev[1], NULL);
	if (write(pp.fds[0], "ping", 4) != 4)
		return 1;

	struct event *tick = event_new(base, -1, EV_PERSIST, on_tick, &ticks);
	event_add(tick, &period);
	struct event *sig = evsignal_new(base, SIGUSR1, on_signal, base);
	event_add(sig, NULL);

	/* 110 ms from now, a signal arrives; its event ends the loop */
	struct timeval later = { 0, 110000 };
	event_base_once(base, -1, EV_TIMEOUT, raise_usr1, NULL, &later);
	event_base_dispatch(base);

	printf("%d ping-pong rounds, %d ticks\n", pp.rounds, ticks);
	event_free(pp.ev[0]);
	event_free(pp.ev[1]);
	event_free(tick);
	event_free(sig);
	event_base_free(base);
	close(pp.fds[0]);
	close(pp.fds[1]);
	return 0;
}
