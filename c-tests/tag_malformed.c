/* evtag on input it did not write: every prefix of each kind of field, hand-made bad
 * encodings (tags over 32 bits, integers with too many nibbles, lengths past the end), and
 * random bytes, each given to every reader, also with the bytes spread over one-byte chains.
 * Each reader must return -1 (or what libevent returns) and consume what libevent consumes,
 * never read past the data (valgrind).
 * compare-output: the results and what is left must equal libevent's. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/tag.h>
#include <string.h>
#include <sys/time.h>
#include "check.h"

enum { R_PEEK, R_PEEK_LENGTH, R_PAYLOAD_LENGTH, R_HEADER, R_CONSUME, R_UNMARSHAL, R_INT,
	R_INT64, R_STRING, R_FIXED, R_TIMEVAL, NREADERS };
static const char *const names[NREADERS] = { "peek", "peek_length", "payload_length",
	"header", "consume", "unmarshal", "int", "int64", "string", "fixed", "timeval" };

static unsigned long long hash = 1469598103934665603ULL;
static void mix(unsigned long long v)
{
	hash = (hash ^ v) * 1099511628211ULL;
}

/* A buffer holding `p[0..n)`, in one chain or in one-byte chains. */
static struct evbuffer *make(const unsigned char *p, size_t n, int split)
{
	struct evbuffer *b = evbuffer_new();
	size_t i;
	if (!split)
		evbuffer_add(b, p, n);
	else
		for (i = 0; i < n; i++)
			evbuffer_add_reference(b, p + i, 1, NULL, NULL);
	return b;
}

/* Runs reader `r` (wanting tag `tag`) on a copy of the bytes; describes the result in `out`. */
static int run(int r, const unsigned char *p, size_t n, int split, ev_uint32_t tag,
    char *out, size_t outlen)
{
	struct evbuffer *b = make(p, n, split), *dst = evbuffer_new();
	ev_uint32_t t = 0xabababab, v32 = 0xabababab;
	ev_uint64_t v64 = 0xabababab;
	struct timeval tv = { 7, 7 };
	char *s = NULL, fixed[3] = { 'z', 'z', 'z' };
	int ret = -2;
	unsigned long long value = 0;

	switch (r) {
	case R_PEEK: ret = evtag_peek(b, &t); value = t; break;
	case R_PEEK_LENGTH: ret = evtag_peek_length(b, &v32); value = v32; break;
	case R_PAYLOAD_LENGTH: ret = evtag_payload_length(b, &v32); value = v32; break;
	case R_HEADER: ret = evtag_unmarshal_header(b, &t); value = t; break;
	case R_CONSUME: ret = evtag_consume(b); break;
	case R_UNMARSHAL: ret = evtag_unmarshal(b, &t, dst);
		value = ret >= 0 ? t * 1000ULL + evbuffer_get_length(dst) : 0; break;
	case R_INT: ret = evtag_unmarshal_int(b, tag, &v32); value = ret >= 0 ? v32 : 0; break;
	case R_INT64: ret = evtag_unmarshal_int64(b, tag, &v64); value = ret >= 0 ? v64 : 0; break;
	case R_STRING: ret = evtag_unmarshal_string(b, tag, &s);
		if (ret == 0) { value = strlen(s) + 1000ULL * (unsigned char)s[0]; free(s); }
		break;
	case R_FIXED: ret = evtag_unmarshal_fixed(b, tag, fixed, sizeof(fixed));
		value = ret == 0 ? (unsigned char)fixed[0] : 0; break;
	case R_TIMEVAL: ret = evtag_unmarshal_timeval(b, tag, &tv);
		value = ret == 0 ? (unsigned long long)tv.tv_sec * 1000000 + tv.tv_usec : 0; break;
	}
	if (out)
		snprintf(out, outlen, "%d/%zu/%llx", ret, evbuffer_get_length(b), value);
	mix((unsigned)ret);
	mix(evbuffer_get_length(b));
	mix(value);
	evbuffer_free(b);
	evbuffer_free(dst);
	return ret;
}

static void all_readers(const char *what, const unsigned char *p, size_t n, ev_uint32_t tag)
{
	char one[64], split[64];
	int r;
	printf("%s:", what);
	for (r = 0; r < NREADERS; r++) {
		run(r, p, n, 0, tag, one, sizeof(one));
		run(r, p, n, 1, tag, split, sizeof(split));
		CHECK(strcmp(one, split) == 0);
		printf(" %s=%s", names[r], one);
	}
	printf("\n");
}

static void prefixes(void)
{
	struct evbuffer *b = evbuffer_new();
	struct timeval tv = { 1700000000, 123456 };
	int field;

	for (field = 0; field < 6; field++) {
		unsigned char bytes[64];
		size_t n, len;
		char what[64];
		switch (field) {
		case 0: evtag_marshal_int(b, 0x81, 0x12345678); break;
		case 1: evtag_marshal_int64(b, 0x81, 0x123456789abcdefULL); break;
		case 2: evtag_marshal_string(b, 0x81, "abc"); break;
		case 3: evtag_marshal(b, 0x81, "xyz", 3); break;
		case 4: evtag_marshal_timeval(b, 0x81, &tv); break;
		case 5: evtag_marshal(b, 0x81, "0123456789abcdefghijklmnopqrstuvwxyz", 36); break;
		}
		n = evbuffer_get_length(b);
		CHECK(n <= sizeof(bytes));
		evbuffer_remove(b, bytes, n);
		for (len = 0; len <= n; len++) {
			snprintf(what, sizeof(what), "field %d, %zu of %zu bytes", field, len, n);
			all_readers(what, bytes, len, 0x81);
		}
	}
	evbuffer_free(b);
}

static void bad_encodings(void)
{
	static const struct { const char *what; const char *bytes; size_t n; } cases[] = {
		{ "tag of 5 bytes, last > 15", "\xff\xff\xff\xff\x10\x01\x00", 7 },
		{ "tag of 5 bytes, last 15", "\xff\xff\xff\xff\x0f\x01\x00", 7 },
		{ "tag continued past 5 bytes", "\x80\x80\x80\x80\x8f\x01\x01\x00", 8 },
		{ "tag never ends", "\x80\x80\x80", 3 },
		{ "length of 9 nibbles", "\x01\x80\x00\x00\x00\x01", 6 },
		{ "length of 16 nibbles", "\x01\xf0\x00\x00\x00\x00\x00\x00\x00\x00", 10 },
		{ "length cut short", "\x01\x70\x00", 3 },
		{ "length past the end", "\x01\x05\x61\x62", 4 },
		{ "huge length", "\x01\x7f\xff\xff\xff\xf0\x61", 7 },
		{ "length 0x80000000", "\x01\x70\x00\x00\x00\x80\x61", 7 },
		{ "int of 9 nibbles", "\x01\x05\x80\x00\x00\x00\x01", 7 },
		{ "int longer than its payload", "\x01\x01\x30\x00\x00", 5 },
		{ "int payload empty", "\x01\x00\x01\x01\x05", 5 },
		{ "int64 of 16 nibbles", "\x01\x09\xf0\x00\x00\x00\x00\x00\x00\x00\x01", 11 },
		{ "timeval missing usec", "\x01\x01\x05", 3 },
		{ "timeval longer than payload", "\x01\x02\x05\x20\x01\x01", 6 },
		{ "timeval of 9-nibble seconds", "\x01\x06\x80\x00\x00\x00\x01\x00", 8 },
		{ "zero-length field", "\x01\x00", 2 },
		{ "only a tag", "\x01", 1 },
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		all_readers(cases[i].what, (const unsigned char *)cases[i].bytes, cases[i].n, 1);
}

/* Random bytes, biased towards small tags and lengths so that some parse. */
static void random_bytes(void)
{
	unsigned long long x = 88172645463325252ULL;
	int iter, r;
	for (iter = 1; iter <= 3000; iter++) {
		unsigned char bytes[16];
		size_t n, i;
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		n = x % 14;
		for (i = 0; i < n; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			bytes[i] = (unsigned char)(x >> 24);
			if (i < 3 && (x & 3) != 0)
				bytes[i] &= 0x0f;
		}
		for (r = 0; r < NREADERS; r++) {
			char one[64], split[64];
			run(r, bytes, n, 0, bytes[0] & 0x0f, one, sizeof(one));
			run(r, bytes, n, 1, bytes[0] & 0x0f, split, sizeof(split));
			CHECK(strcmp(one, split) == 0);
		}
		if (iter % 500 == 0)
			printf("random %d: %016llx\n", iter, hash);
	}
}

int main(void)
{
	prefixes();
	bad_encodings();
	random_bytes();
	printf("done\n");
	return 0;
}
