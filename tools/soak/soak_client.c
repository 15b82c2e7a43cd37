/* The soak test's load generator: plain sockets and epoll, no libevent, so that it does not
 * share a bug with the server it checks.
 *   soak_client echo|http PORT CONNS SECS SEED [MAX_DELAY_MS]
 * Keeps CONNS connections open to 127.0.0.1:PORT for SECS seconds, opening a new one whenever
 * one ends; then opens no more and lets the open ones finish (their delays cut short).
 * Each connection follows a random plan drawn from its seed: how many bytes (echo) or requests
 * (http), in chunks sent after random delays of up to MAX_DELAY_MS, and how it ends:
 *   half-close  shutdown(SHUT_WR) once everything is sent (echo) or answered (http); the
 *               server must send what is left and close
 *   close       a plain close once everything came back (http: the last request says
 *               "Connection: close" and the server closes after answering)
 *   reset       close with SO_LINGER 0 at a random point, possibly mid-message
 * Every byte received is compared with the byte sent at the same offset of the connection's
 * stream (a function of seed and offset), so a byte lost, duplicated or reordered is reported
 * with its connection and offset. Prints one line of counts; exits 1 on any error. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

enum { END_HALFCLOSE, END_CLOSE, END_RESET };
enum { CONNECTING, ACTIVE, WAITING, DRAINING };

struct conn {
	int fd, state, end, mode_out; /* mode_out: EPOLLOUT registered */
	uint32_t gen;
	uint64_t seed, rng;
	/* echo: the stream's bytes sent and received; http: body bytes */
	uint64_t total, sent, recvd, chunk_end, reset_at;
	/* http */
	int reqs_left, last;
	char hdr[160];
	int hdr_len, hdr_sent;
	uint64_t body_len, body_start, resp_body_left;
	char resp[1024];
	int resp_len, in_body, shut;
};

static int http_mode, port, nconns, max_delay = 2000;
static int ep;
static struct conn *cs;
static int *free_ix, nfree;
static long long opened, verified, resets, bytes_ok, errors, connect_retry, open_now, peak;
static int draining;

/* A tiny timer heap of (when, conn, generation). */
struct timer { int64_t when; int ix; uint32_t gen; };
static struct timer *th;
static int nth, cap_th;

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

static uint64_t rnd(struct conn *c, uint64_t n)
{
	c->rng = mix(c->rng);
	return n ? c->rng % n : 0;
}

/* The connection's byte stream: a function of the seed and the offset. */
static void stream(uint64_t seed, uint64_t off, unsigned char *out, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint64_t w = mix(seed ^ (off >> 3));
		for (unsigned b = off & 7; b < 8 && i < n; b++, i++, off++)
			out[i] = (unsigned char)(w >> (8 * b));
	}
}

static void fail(struct conn *c, const char *what, uint64_t off)
{
	if (errors++ < 10)
		fprintf(stderr, "soak_client: conn seed %llu: %s at offset %llu (%s)\n",
		    (unsigned long long)c->seed, what, (unsigned long long)off, strerror(errno));
}

static void timer_add(int ix, int64_t when)
{
	if (nth == cap_th) {
		cap_th = cap_th ? 2 * cap_th : 1024;
		th = realloc(th, cap_th * sizeof *th);
		if (!th)
			abort();
	}
	int i = nth++;
	struct timer t = { when, ix, cs[ix].gen };
	while (i > 0 && th[(i - 1) / 2].when > when) {
		th[i] = th[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	th[i] = t;
}

static struct timer timer_pop(void)
{
	struct timer top = th[0], last = th[--nth];
	int i = 0;
	for (;;) {
		int k = 2 * i + 1;
		if (k >= nth)
			break;
		if (k + 1 < nth && th[k + 1].when < th[k].when)
			k++;
		if (last.when <= th[k].when)
			break;
		th[i] = th[k];
		i = k;
	}
	if (nth)
		th[i] = last;
	return top;
}

static void want_out(struct conn *c, int on)
{
	struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.u32 = (uint32_t)(c - cs) };
	if (c->mode_out == on)
		return;
	c->mode_out = on;
	epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void conn_close(struct conn *c, int reset)
{
	if (reset) {
		struct linger l = { 1, 0 };
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
		resets++;
	}
	close(c->fd);
	c->fd = -1;
	c->gen++;
	free_ix[nfree++] = (int)(c - cs);
	open_now--;
}

static void done_ok(struct conn *c)
{
	verified++;
	conn_close(c, 0);
}

static int64_t delay(struct conn *c)
{
	return draining ? 0 : (int64_t)rnd(c, (uint64_t)max_delay + 1);
}

/* Schedules the next chunk or request, or ends the plan. */
static void next_step(struct conn *c);

static void http_request(struct conn *c)
{
	/* Bodies mostly small, now and then up to 64 KB. */
	c->body_len = rnd(c, 4) ? rnd(c, 2048) : rnd(c, 65536);
	c->last = --c->reqs_left == 0;
	c->hdr_len = snprintf(c->hdr, sizeof c->hdr,
	    "POST /echo HTTP/1.1\r\nHost: soak\r\nContent-Length: %llu\r\n%s\r\n",
	    (unsigned long long)c->body_len, c->last && c->end == END_CLOSE ? "Connection: close\r\n" : "");
	c->hdr_sent = 0;
	c->body_start = c->sent;
	c->chunk_end = c->sent + c->body_len;
	c->resp_len = c->in_body = 0;
	c->state = ACTIVE;
}

static void next_step(struct conn *c)
{
	if (!http_mode) {
		if (c->sent < c->total) {
			c->chunk_end = c->sent + 1 + rnd(c, c->total - c->sent);
			c->state = WAITING;
			timer_add((int)(c - cs), now_ms() + delay(c));
			return;
		}
		c->state = DRAINING;
		if (c->end == END_RESET) { /* everything sent before the reset point */
			conn_close(c, 1);
			return;
		}
		if (c->end == END_HALFCLOSE && !c->shut) {
			shutdown(c->fd, SHUT_WR);
			c->shut = 1;
		}
		if (c->end == END_CLOSE && c->recvd == c->total)
			done_ok(c);
		return;
	}
	if (c->reqs_left > 0) {
		c->state = WAITING;
		timer_add((int)(c - cs), now_ms() + delay(c));
		return;
	}
	c->state = DRAINING; /* every answer in: wait for the server's close */
	if (c->end == END_RESET) {
		conn_close(c, 1);
		return;
	}
	if (c->end == END_HALFCLOSE && !c->shut) {
		shutdown(c->fd, SHUT_WR);
		c->shut = 1;
	}
}

static int conn_open(void)
{
	static unsigned src;
	struct sockaddr_in sa = { .sin_family = AF_INET }, from = { .sin_family = AF_INET };
	int one = 1, ix, fd;
	struct conn *c;
	struct epoll_event ev = { .events = EPOLLOUT };

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		connect_retry++;
		return -1;
	}
	/* Spread over source addresses 127.0.0.1-16 so that the ephemeral ports last. */
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
	from.sin_addr.s_addr = htonl(0x7f000001 + (src++ % 16));
	bind(fd, (struct sockaddr *)&from, sizeof from);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS) {
		close(fd);
		connect_retry++; /* EADDRNOTAVAIL: no port free right now */
		return -1;
	}
	ix = free_ix[--nfree];
	c = &cs[ix];
	uint32_t gen = c->gen;
	memset(c, 0, sizeof *c);
	c->gen = gen;
	c->fd = fd;
	c->seed = mix(((uint64_t)rand() << 31) ^ (uint64_t)rand() ^ ((uint64_t)opened << 40));
	c->rng = c->seed;
	c->state = CONNECTING;
	c->mode_out = 1;
	unsigned r = (unsigned)rnd(c, 100);
	c->end = r < 60 ? END_HALFCLOSE : r < 80 ? END_CLOSE : END_RESET;
	if (http_mode) {
		c->reqs_left = 1 + (int)rnd(c, 4);
	} else {
		/* Mostly a few KB, now and then up to 512 KB (the server stops reading at 256 KB). */
		c->total = rnd(c, 8) ? rnd(c, 8192) : rnd(c, 512 * 1024);
	}
	c->reset_at = rnd(c, (http_mode ? 8192 : c->total) + 1);
	ev.data.u32 = (uint32_t)ix;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	opened++;
	if (++open_now > peak)
		peak = open_now;
	return 0;
}

/* Writes what the current step allows. */
static void conn_write(struct conn *c)
{
	unsigned char buf[65536];
	for (;;) {
		ssize_t n;
		if (http_mode && c->hdr_sent < c->hdr_len) {
			n = send(c->fd, c->hdr + c->hdr_sent, c->hdr_len - c->hdr_sent, MSG_NOSIGNAL);
			if (n > 0) {
				c->hdr_sent += (int)n;
				continue;
			}
		} else {
			uint64_t want = c->chunk_end - c->sent;
			if (c->end == END_RESET && c->sent + want > c->reset_at)
				want = c->reset_at - c->sent;
			if (want == 0)
				break;
			if (want > sizeof buf)
				want = sizeof buf;
			stream(c->seed, c->sent, buf, want);
			n = send(c->fd, buf, want, MSG_NOSIGNAL);
			if (n > 0) {
				c->sent += n;
				continue;
			}
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			want_out(c, 1);
			return;
		}
		fail(c, "send failed", c->sent);
		conn_close(c, 0);
		return;
	}
	want_out(c, 0);
	if (c->end == END_RESET && c->sent >= c->reset_at) {
		conn_close(c, 1);
		return;
	}
	if (!http_mode)
		next_step(c); /* the chunk is out; http waits for the answer */
}

/* Parses the response head in c->resp; returns the bytes of body it already holds, or -1. */
static int http_head(struct conn *c)
{
	char *end = memmem(c->resp, c->resp_len, "\r\n\r\n", 4), *cl;
	if (!end)
		return c->resp_len >= (int)sizeof c->resp - 1 ? -2 : -1;
	*end = 0;
	if (strncmp(c->resp, "HTTP/1.1 200 ", 13) != 0)
		return -2;
	cl = strcasestr(c->resp, "\r\nContent-Length:");
	if (!cl || strtoull(cl + 17, NULL, 10) != c->body_len)
		return -2;
	c->in_body = 1;
	c->resp_body_left = c->body_len;
	return c->resp_len - (int)(end + 4 - c->resp);
}

static int check_bytes(struct conn *c, const unsigned char *p, size_t n)
{
	unsigned char want[65536];
	stream(c->seed, c->recvd, want, n);
	if (memcmp(p, want, n) != 0) {
		size_t i = 0;
		while (p[i] == want[i])
			i++;
		fail(c, "wrong byte (lost or reordered)", c->recvd + i);
		conn_close(c, 0);
		return -1;
	}
	c->recvd += n;
	bytes_ok += n;
	return 0;
}

static void conn_read(struct conn *c)
{
	unsigned char buf[65536];
	for (;;) {
		ssize_t n = recv(c->fd, buf, sizeof buf, 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			fail(c, "recv failed", c->recvd);
			conn_close(c, 0);
			return;
		}
		if (n == 0) {
			/* The server closed: right only once everything came back. */
			int complete = http_mode ? c->state == DRAINING && c->end != END_RESET
			                         : c->recvd == c->total && c->end == END_HALFCLOSE && c->shut;
			if (complete)
				done_ok(c);
			else {
				errno = 0;
				fail(c, "early end of file", c->recvd);
				conn_close(c, 0);
			}
			return;
		}
		if (!http_mode) {
			if (c->recvd + n > c->sent) {
				errno = 0;
				fail(c, "more bytes than sent", c->recvd);
				conn_close(c, 0);
				return;
			}
			if (check_bytes(c, buf, n) < 0)
				return;
			if (c->end == END_CLOSE && c->state == DRAINING && c->recvd == c->total) {
				done_ok(c);
				return;
			}
			continue;
		}
		/* http: the head into c->resp, then the body checked against the stream */
		unsigned char *p = buf;
		while (n > 0) {
			if (!c->in_body) {
				int k = (int)sizeof c->resp - 1 - c->resp_len;
				if (k > n)
					k = (int)n;
				memcpy(c->resp + c->resp_len, p, k);
				c->resp_len += k;
				int have = http_head(c);
				if (have == -2) {
					errno = 0;
					fail(c, "bad response head", c->recvd);
					conn_close(c, 0);
					return;
				}
				if (have == -1) {
					p += k;
					n -= k;
					continue;
				}
				/* `have` body bytes already copied into resp: re-read them from p */
				p += k - have;
				n -= k - have;
			}
			uint64_t k = (uint64_t)n < c->resp_body_left ? (uint64_t)n : c->resp_body_left;
			if (c->recvd + k > c->sent) {
				errno = 0;
				fail(c, "more body than sent", c->recvd);
				conn_close(c, 0);
				return;
			}
			if (check_bytes(c, p, k) < 0)
				return;
			p += k;
			n -= k;
			c->resp_body_left -= k;
			if (c->resp_body_left == 0) {
				c->in_body = 0;
				c->resp_len = 0;
				if (n > 0) {
					errno = 0;
					fail(c, "bytes after the response", c->recvd);
					conn_close(c, 0);
					return;
				}
				next_step(c);
				if (c->fd < 0)
					return;
			}
		}
	}
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	struct epoll_event evs[512];
	int64_t stop, deadline;
	if (argc < 6) {
		fprintf(stderr, "usage: soak_client echo|http PORT CONNS SECS SEED [MAX_DELAY_MS]\n");
		return 2;
	}
	http_mode = strcmp(argv[1], "http") == 0;
	port = atoi(argv[2]);
	nconns = atoi(argv[3]);
	stop = now_ms() + 1000LL * atoi(argv[4]);
	srand((unsigned)atoi(argv[5]));
	if (argc > 6)
		max_delay = atoi(argv[6]);
	signal(SIGPIPE, SIG_IGN);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	cs = calloc(nconns, sizeof *cs);
	free_ix = malloc(nconns * sizeof *free_ix);
	for (int i = 0; i < nconns; i++)
		free_ix[nfree++] = nconns - 1 - i;
	deadline = stop + 120000; /* the open connections then have two minutes to finish */

	while (open_now > 0 || !draining) {
		int64_t t = now_ms();
		if (!draining && t >= stop)
			draining = 1;
		if (draining && t >= deadline) {
			fprintf(stderr, "soak_client: %lld connections did not finish\n", open_now);
			errors += open_now;
			break;
		}
		/* Open connections up to the target, a few hundred at a time (the listen backlog). */
		for (int k = 0; !draining && nfree > 0 && k < 200; k++)
			if (conn_open() < 0)
				break;
		int timeout = 50;
		while (nth > 0 && th[0].when <= t) {
			struct timer tm = timer_pop();
			struct conn *c = &cs[tm.ix];
			if (c->gen != tm.gen || c->fd < 0)
				continue; /* ended since */
			if (http_mode)
				http_request(c);
			else
				c->state = ACTIVE;
			conn_write(c);
		}
		if (nth > 0 && th[0].when - t < timeout)
			timeout = (int)(th[0].when - t);
		if (draining) /* cut the delays short */
			for (int i = 0; i < nth; i++)
				th[i].when = t;
		int n = epoll_wait(ep, evs, 512, timeout);
		for (int i = 0; i < n; i++) {
			struct conn *c = &cs[evs[i].data.u32];
			if (c->fd < 0)
				continue;
			if (c->state == CONNECTING) {
				int err = 0;
				socklen_t len = sizeof err;
				getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
				if (err) {
					errno = err;
					fail(c, "connect failed", 0);
					conn_close(c, 0);
					continue;
				}
				next_step(c); /* schedules the first chunk or request */
				if (c->fd < 0)
					continue;
				want_out(c, 0);
				continue;
			}
			if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				conn_read(c);
			if (c->fd >= 0 && (evs[i].events & EPOLLOUT) && c->state == ACTIVE)
				conn_write(c);
		}
	}
	printf("opened=%lld verified=%lld resets=%lld bytes=%lld peak=%lld retries=%lld errors=%lld\n",
	    opened, verified, resets, bytes_ok, peak, connect_retry, errors);
	return errors ? 1 : 0;
}
