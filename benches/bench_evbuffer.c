/* evbuffer operations, one per run:
 *   bench_evbuffer adds|readln|search|addbuf|io
 * prints the time of the measured part in milliseconds. Buffers are filled in 4 KB pieces
 * where the layout matters, so lines and matches straddle chains as they do in real I/O. */
#include "bench.h"
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/util.h>

#define MB (1024 * 1024)

/* Appends `total` bytes of `src` (repeating it) in pieces of at most 4096 bytes. */
static void fill(struct evbuffer *b, const char *src, size_t srclen, size_t total)
{
	while (total > 0) {
		size_t n = total < 4096 ? total : 4096;
		if (n > srclen)
			n = srclen;
		evbuffer_add(b, src, n);
		src += n;
		srclen -= n;
		total -= n;
		if (srclen == 0)
			break;
	}
}

/* 1M adds of 16 bytes, then drains of 100 bytes until empty; four rounds. */
static double bench_adds(void)
{
	struct evbuffer *b = evbuffer_new();
	double t0 = now_s();
	int round, i;
	for (round = 0; round < 4; round++) {
		for (i = 0; i < 1000000; i++)
			evbuffer_add(b, "0123456789abcdef", 16);
		while (evbuffer_get_length(b) > 0)
			evbuffer_drain(b, 100);
	}
	t0 = now_s() - t0;
	evbuffer_free(b);
	return t0;
}

/* 16 MB of short CRLF lines, read back with evbuffer_readln. */
static double bench_readln(void)
{
	struct evbuffer *b = evbuffer_new();
	size_t total = 16 * MB, len = 0, n, lines = 0;
	char *text = malloc(total), *line;
	double t0;
	while (len + 32 < total) /* lines of 4..20 characters */
		len += sprintf(text + len, "line %u\r\n", (unsigned)(rng() % 1000000000u));
	fill(b, text, len, len);
	t0 = now_s();
	while ((line = evbuffer_readln(b, &n, EVBUFFER_EOL_CRLF)) != NULL) {
		lines++;
		free(line);
	}
	t0 = now_s() - t0;
	if (lines < 500000 || evbuffer_get_length(b) != 0)
		die("readln: wrong result");
	evbuffer_free(b);
	free(text);
	return t0;
}

/* Every occurrence of a 12-byte needle in 16 MB of random letters, found by evbuffer_search,
 * four times over; the needle's first letter is common, so memchr alone cannot skip ahead. */
static double bench_search(void)
{
	static const char needle[] = "hello world!";
	struct evbuffer *b = evbuffer_new();
	size_t total = 16 * MB, i, found = 0;
	int round;
	char *text = malloc(total);
	struct evbuffer_ptr p;
	double t0;
	for (i = 0; i < total; i++)
		text[i] = 'a' + rng() % 26;
	for (i = 1000; i + sizeof needle < total; i += 65536 + 7)
		memcpy(text + i, needle, sizeof needle - 1);
	fill(b, text, total, total);
	t0 = now_s();
	for (round = 0; round < 4; round++) {
		p = evbuffer_search(b, needle, sizeof needle - 1, NULL);
		while (p.pos != -1) {
			found++;
			evbuffer_ptr_set(b, &p, 1, EVBUFFER_PTR_ADD);
			p = evbuffer_search(b, needle, sizeof needle - 1, &p);
		}
	}
	t0 = now_s() - t0;
	if (found != 4 * ((total - 1000 - sizeof needle) / (65536 + 7) + 1))
		die("search: wrong number of matches");
	evbuffer_free(b);
	free(text);
	return t0;
}

/* Data moving between buffers as in a proxy: small adds move whole into `mid` with
 * evbuffer_add_buffer, and leave it in 3000-byte slices with evbuffer_remove_buffer. */
static double bench_addbuf(void)
{
	struct evbuffer *in = evbuffer_new(), *mid = evbuffer_new(), *out = evbuffer_new();
	char data[512];
	double t0;
	int i;
	memset(data, 'x', sizeof data);
	t0 = now_s();
	for (i = 0; i < 1000000; i++) {
		evbuffer_add(in, data, 64 + i % 448);
		evbuffer_add_buffer(mid, in);
		if (evbuffer_get_length(mid) > 64 * 1024) {
			while (evbuffer_get_length(mid) > 3000)
				evbuffer_remove_buffer(mid, out, 3000);
			evbuffer_add_buffer(in, out); /* back to the start: all moves, no copies */
			evbuffer_drain(in, evbuffer_get_length(in));
		}
	}
	t0 = now_s() - t0;
	evbuffer_free(in);
	evbuffer_free(mid);
	evbuffer_free(out);
	return t0;
}

/* 256 MB through a socketpair: evbuffer_write from one buffer, evbuffer_read into another. */
static double bench_io(void)
{
	struct evbuffer *out = evbuffer_new(), *in = evbuffer_new();
	size_t total = 256 * (size_t)MB, sent = 0, got = 0;
	static char block[64 * 1024];
	int sv[2];
	double t0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		die("socketpair");
	evutil_make_socket_nonblocking(sv[0]);
	evutil_make_socket_nonblocking(sv[1]);
	memset(block, 'y', sizeof block);
	t0 = now_s();
	while (got < total) {
		if (sent < total && evbuffer_get_length(out) < sizeof block) {
			evbuffer_add(out, block, sizeof block);
			sent += sizeof block;
		}
		if (evbuffer_get_length(out) > 0 && evbuffer_write(out, sv[0]) < 0 &&
		    errno != EAGAIN)
			die("evbuffer_write");
		int n = evbuffer_read(in, sv[1], -1);
		if (n > 0)
			got += n;
		evbuffer_drain(in, evbuffer_get_length(in));
	}
	t0 = now_s() - t0;
	evbuffer_free(out);
	evbuffer_free(in);
	close(sv[0]);
	close(sv[1]);
	return t0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	double t;
	if (!strcmp(m, "adds")) t = bench_adds();
	else if (!strcmp(m, "readln")) t = bench_readln();
	else if (!strcmp(m, "search")) t = bench_search();
	else if (!strcmp(m, "addbuf")) t = bench_addbuf();
	else if (!strcmp(m, "io")) t = bench_io();
	else die("usage: bench_evbuffer adds|readln|search|addbuf|io");
	printf("%.2f\n", t * 1e3);
	return 0;
}
