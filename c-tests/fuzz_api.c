/* A fuzz of the public API with a fixed seed: thousands of random calls on bufferevent pairs,
 * standalone evbuffers and events (write, read, drain, enable/disable, watermarks, free from a
 * callback, event add/del/active, without timeouts, whose order would follow the clock), each checked against a simple model: every byte a pair
 * carries arrives once and in order (written = read + still queued on either side), an
 * evbuffer holds exactly its model's bytes, an event fires only when added or made active.
 * compare-output: the per-round summaries must match libevent's (same calls, same callbacks). */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "check.h"

static unsigned long long seed = 0x9e3779b97f4a7c15ULL;
static unsigned rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(seed >> 33) % n;
}

static struct event_base *base;

/* ---- bufferevent pairs ---- */
#define NPAIRS 3
struct end {
	struct bufferevent *bev;
	unsigned long long written, consumed; /* bytes this end wrote; bytes it read or drained */
	int reads, events;
	int pair, side;
};
static struct end ends[NPAIRS][2];
static int freed_in_cb, made;

/* The byte at position k of the stream end (p, s) writes. */
static unsigned char stream_byte(int p, int s, unsigned long long k)
{
	return (unsigned char)(k * 31 + p * 7 + s * 101 + (k >> 8));
}

static void free_pair(int p)
{
	bufferevent_free(ends[p][0].bev);
	bufferevent_free(ends[p][1].bev);
	ends[p][0].bev = ends[p][1].bev = NULL;
}

/* The reader at (p, s) takes bytes from its input and checks them against its partner's stream. */
static void take(struct end *e, size_t want, int drain)
{
	struct end *w = &ends[e->pair][1 - e->side];
	struct evbuffer *in = bufferevent_get_input(e->bev);
	unsigned char buf[4096];
	size_t n = evbuffer_get_length(in), i;
	if (want < n)
		n = want;
	if (n > sizeof buf)
		n = sizeof buf;
	if (drain) {
		CHECK_EQ(evbuffer_copyout(in, buf, n), (long long)n);
		CHECK_EQ(evbuffer_drain(in, n), 0);
	} else {
		CHECK_EQ(bufferevent_read(e->bev, buf, n), (long long)n);
	}
	for (i = 0; i < n; i++)
		CHECK_EQ(buf[i], stream_byte(w->pair, w->side, e->consumed + i));
	e->consumed += n;
}

static void read_cb(struct bufferevent *bev, void *arg)
{
	struct end *e = arg;
	(void)bev;
	e->reads++;
	take(e, 1 + rnd(3000), rnd(4) == 0);
	if (rnd(40) == 0) {
		/* Freed from its own callback: the pair is gone; its counts stay in the totals. */
		freed_in_cb++;
		free_pair(e->pair);
	}
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct end *e = arg;
	(void)bev; (void)what;
	e->events++;
}

static unsigned long long total_written, total_consumed;
static void new_pair(int p)
{
	struct bufferevent *pr[2];
	int s;
	for (s = 0; s < 2; s++) {
		total_written += ends[p][s].written;
		total_consumed += ends[p][s].consumed;
	}
	CHECK_EQ(bufferevent_pair_new(base, 0, pr), 0);
	for (s = 0; s < 2; s++) {
		struct end *e = &ends[p][s];
		memset(e, 0, sizeof *e);
		e->bev = pr[s];
		e->pair = p;
		e->side = s;
		bufferevent_setcb(pr[s], read_cb, NULL, event_cb, e);
		bufferevent_enable(pr[s], EV_READ | EV_WRITE);
	}
	made++;
}

/* Nothing lost or duplicated: what one end wrote was read by the other or is still queued. */
static void check_pair(int p)
{
	int s;
	if (!ends[p][0].bev)
		return;
	for (s = 0; s < 2; s++) {
		struct end *w = &ends[p][s], *r = &ends[p][1 - s];
		size_t queued = evbuffer_get_length(bufferevent_get_output(w->bev)) +
		    evbuffer_get_length(bufferevent_get_input(r->bev));
		CHECK_EQ(w->written, r->consumed + queued);
	}
}

static void write_some(struct end *e, size_t n)
{
	unsigned char buf[5000];
	size_t i;
	for (i = 0; i < n; i++)
		buf[i] = stream_byte(e->pair, e->side, e->written + i);
	if (rnd(2)) {
		CHECK_EQ(bufferevent_write(e->bev, buf, n), 0);
	} else {
		struct evbuffer *tmp = evbuffer_new();
		evbuffer_add(tmp, buf, n);
		CHECK_EQ(bufferevent_write_buffer(e->bev, tmp), 0);
		CHECK_EQ(evbuffer_get_length(tmp), 0);
		evbuffer_free(tmp);
	}
	e->written += n;
}

/* ---- evbuffers against byte arrays ---- */
#define NBUFS 3
#define CAP 65536
static struct evbuffer *bufs[NBUFS];
static unsigned char model[NBUFS][CAP];
static size_t mlen[NBUFS];
static unsigned char counter;

static void check_buf(int i)
{
	static unsigned char out[CAP];
	CHECK_EQ(evbuffer_get_length(bufs[i]), mlen[i]);
	CHECK_EQ(evbuffer_copyout(bufs[i], out, CAP), (long long)mlen[i]);
	CHECK(memcmp(out, model[i], mlen[i]) == 0);
}

static void buffer_op(void)
{
	int i = rnd(NBUFS), j = rnd(NBUFS);
	size_t n = rnd(700), k;
	unsigned char data[700], out[700];
	for (k = 0; k < n; k++)
		data[k] = counter++;
	switch (rnd(7)) {
	case 0:
		if (mlen[i] + n > CAP) break;
		CHECK_EQ(evbuffer_add(bufs[i], data, n), 0);
		memcpy(model[i] + mlen[i], data, n);
		mlen[i] += n;
		break;
	case 1:
		if (mlen[i] + n > CAP) break;
		CHECK_EQ(evbuffer_prepend(bufs[i], data, n), 0);
		memmove(model[i] + n, model[i], mlen[i]);
		memcpy(model[i], data, n);
		mlen[i] += n;
		break;
	case 2:
		if (n > mlen[i]) n = mlen[i];
		CHECK_EQ(evbuffer_drain(bufs[i], n), 0);
		memmove(model[i], model[i] + n, mlen[i] - n);
		mlen[i] -= n;
		break;
	case 3:
		k = (size_t)evbuffer_remove(bufs[i], out, n);
		CHECK_EQ(k, n < mlen[i] ? n : mlen[i]);
		CHECK(memcmp(out, model[i], k) == 0);
		memmove(model[i], model[i] + k, mlen[i] - k);
		mlen[i] -= k;
		break;
	case 4: /* move all of j to the end of i */
		if (i == j || mlen[i] + mlen[j] > CAP) break;
		CHECK_EQ(evbuffer_add_buffer(bufs[i], bufs[j]), 0);
		memcpy(model[i] + mlen[i], model[j], mlen[j]);
		mlen[i] += mlen[j];
		mlen[j] = 0;
		break;
	case 5: /* move n bytes of j to the end of i */
		if (i == j || mlen[i] + n > CAP) break;
		k = (size_t)evbuffer_remove_buffer(bufs[j], bufs[i], n);
		CHECK_EQ(k, n < mlen[j] ? n : mlen[j]);
		memcpy(model[i] + mlen[i], model[j], k);
		mlen[i] += k;
		memmove(model[j], model[j] + k, mlen[j] - k);
		mlen[j] -= k;
		break;
	default:
		if (mlen[i] > 0)
			CHECK(evbuffer_pullup(bufs[i], rnd((unsigned)mlen[i]) + 1) != NULL);
		break;
	}
	check_buf(i);
	check_buf(j);
}

/* ---- events ---- */
#define NEVS 4
static struct event *evs[NEVS];
static int ev_fired[NEVS], ev_armed[NEVS];

static void ev_cb(evutil_socket_t fd, short what, void *arg)
{
	int i = (int)(intptr_t)arg;
	(void)fd; (void)what;
	CHECK(ev_armed[i]);
	ev_armed[i] = 0;
	ev_fired[i]++;
	if (rnd(5) == 0) { /* re-armed from its own callback */
		event_active(evs[i], EV_TIMEOUT, 0);
		ev_armed[i] = 1;
	}
}

static void event_op(void)
{
	int i = rnd(NEVS);
	/* No timeouts: equal deadlines read from the clock would make the order vary by run. */
	switch (rnd(3)) {
	case 0: event_active(evs[i], EV_TIMEOUT, 0); ev_armed[i] = 1; break;
	case 1: CHECK_EQ(event_add(evs[i], NULL), 0); break; /* pending, never triggered */
	default: event_del(evs[i]); ev_armed[i] = 0; break;
	}
}

int main(void)
{
	int round, step, p, i;
	base = event_base_new();
	for (p = 0; p < NPAIRS; p++)
		new_pair(p);
	for (i = 0; i < NBUFS; i++)
		bufs[i] = evbuffer_new();
	for (i = 0; i < NEVS; i++)
		evs[i] = event_new(base, -1, 0, ev_cb, (void *)(intptr_t)i);

	for (round = 0; round < 40; round++) {
		for (step = 0; step < 200; step++) {
			struct end *e;
			p = rnd(NPAIRS);
			if (!ends[p][0].bev) {
				new_pair(p);
				continue;
			}
			e = &ends[p][rnd(2)];
			switch (rnd(10)) {
			case 0: case 1: case 2: write_some(e, rnd(5000)); break;
			case 3: take(e, rnd(2000), rnd(2)); break;
			case 4: bufferevent_disable(e->bev, rnd(2) ? EV_READ : EV_WRITE); break;
			case 5: bufferevent_enable(e->bev, rnd(2) ? EV_READ : EV_WRITE); break;
			case 6: bufferevent_setwatermark(e->bev, EV_READ, rnd(3) ? 0 : rnd(100), rnd(2) ? 0 : 100 + rnd(8000)); break;
			case 7: buffer_op(); break;
			case 8: event_op(); break;
			default: event_base_loop(base, EVLOOP_NONBLOCK); break;
			}
			check_pair(p);
		}
		event_base_loop(base, EVLOOP_NONBLOCK);
		for (p = 0; p < NPAIRS; p++)
			check_pair(p);
		{
			unsigned long long w = total_written, c = total_consumed;
			int reads = 0, evn = 0;
			for (p = 0; p < NPAIRS; p++)
				for (i = 0; i < 2; i++) {
					w += ends[p][i].written;
					c += ends[p][i].consumed;
					reads += ends[p][i].reads;
					evn += ends[p][i].events;
				}
			printf("round %d: pairs made %d, freed in callbacks %d, written %llu, read %llu, read callbacks %d, "
			    "event callbacks %d, buffers %zu %zu %zu, events fired %d %d %d %d\n", round, made, freed_in_cb,
			    w, c, reads, evn, mlen[0], mlen[1], mlen[2], ev_fired[0], ev_fired[1], ev_fired[2], ev_fired[3]);
		}
	}
	for (p = 0; p < NPAIRS; p++)
		if (ends[p][0].bev)
			free_pair(p);
	for (i = 0; i < NBUFS; i++)
		evbuffer_free(bufs[i]);
	for (i = 0; i < NEVS; i++)
		event_free(evs[i]);
	event_base_free(base);
	return 0;
}
