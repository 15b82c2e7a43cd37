/* evtag: the exact bytes of every encoder (integers by nibbles, tags by 7-bit groups,
 * timevals as two integers), and each marshal function read back by its unmarshal pair,
 * through the peek/length helpers, and with the wrong tag (what is consumed then).
 * compare-output: every byte and return value must equal libevent's. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/tag.h>
#include <event2/tag_compat.h>
#include <string.h>
#include <sys/time.h>
#include "check.h"

/* Prints the buffer's bytes in hex (and leaves them in place). */
static void hex(const char *what, struct evbuffer *b)
{
	size_t i, n = evbuffer_get_length(b);
	unsigned char *p = evbuffer_pullup(b, -1);
	printf("%s (%zu):", what, n);
	for (i = 0; i < n && i < 48; i++)
		printf(" %02x", p[i]);
	printf("%s\n", n > 48 ? " ..." : "");
}

static const ev_uint64_t values[] = {
	0, 1, 0xf, 0x10, 0x12, 0xff, 0x100, 0x1234, 0xfff, 0xffff, 0x10000, 0x123456,
	0x12345678, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000ULL, 0xfedcba987ULL, 0x123456789abcdef0ULL, 0x7fffffffffffffffULL,
	0xffffffffffffffffULL,
};
#define NVALUES (sizeof(values) / sizeof(values[0]))

static const ev_uint32_t tags[] = { 0, 1, 0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000,
	0xfffffff, 0x10000000, 0xffffffff };
#define NTAGS (sizeof(tags) / sizeof(tags[0]))

static void encoders(void)
{
	struct evbuffer *b = evbuffer_new();
	char name[64];
	size_t i;

	for (i = 0; i < NVALUES; i++) {
		if (values[i] <= 0xffffffff) {
			evtag_encode_int(b, (ev_uint32_t)values[i]);
			snprintf(name, sizeof(name), "encode_int %llx", (unsigned long long)values[i]);
			hex(name, b);
			evbuffer_drain(b, evbuffer_get_length(b));
			encode_int(b, (ev_uint32_t)values[i]); /* tag_compat.h */
			evbuffer_drain(b, evbuffer_get_length(b));
		}
		evtag_encode_int64(b, values[i]);
		snprintf(name, sizeof(name), "encode_int64 %llx", (unsigned long long)values[i]);
		hex(name, b);
		evbuffer_drain(b, evbuffer_get_length(b));
		encode_int64(b, values[i]);
		evbuffer_drain(b, evbuffer_get_length(b));
	}
	for (i = 0; i < NTAGS; i++) {
		evtag_marshal(b, tags[i], "ab", 2);
		snprintf(name, sizeof(name), "marshal tag %x", tags[i]);
		hex(name, b);
		evbuffer_drain(b, evbuffer_get_length(b));
	}
	evtag_marshal(b, 3, NULL, 0);
	hex("marshal empty", b);
	evbuffer_drain(b, evbuffer_get_length(b));
	{
		char big[300];
		memset(big, 'x', sizeof(big));
		evtag_marshal(b, 9, big, sizeof(big));
		printf("marshal 300 bytes: length %zu\n", evbuffer_get_length(b));
		evbuffer_drain(b, 290);
		hex("  its last 13", b);
		evbuffer_drain(b, evbuffer_get_length(b));
	}
	evtag_marshal_int(b, 5, 0x1234);
	hex("marshal_int 5 1234", b);
	evbuffer_drain(b, evbuffer_get_length(b));
	evtag_marshal_int64(b, 0x81, 0x123456789abcdef0ULL);
	hex("marshal_int64 81 123456789abcdef0", b);
	evbuffer_drain(b, evbuffer_get_length(b));
	evtag_marshal_string(b, 7, "hello");
	hex("marshal_string 7 hello", b);
	evbuffer_drain(b, evbuffer_get_length(b));
	evtag_marshal_string(b, 7, "");
	hex("marshal_string 7 \"\"", b);
	evbuffer_drain(b, evbuffer_get_length(b));
	{
		struct timeval tv = { 1700000000, 999999 };
		evtag_marshal_timeval(b, 2, &tv);
		hex("marshal_timeval 2 1700000000.999999", b);
		evbuffer_drain(b, evbuffer_get_length(b));
		tv.tv_sec = 0; tv.tv_usec = 0;
		evtag_marshal_timeval(b, 2, &tv);
		hex("marshal_timeval 2 0.0", b);
		evbuffer_drain(b, evbuffer_get_length(b));
	}
	{
		struct evbuffer *data = evbuffer_new();
		evbuffer_add(data, "payload", 7);
		evtag_marshal_buffer(b, 0x100, data);
		hex("marshal_buffer 100 payload", b);
		printf("  source left: %zu\n", evbuffer_get_length(data));
		evbuffer_free(data);
		evbuffer_drain(b, evbuffer_get_length(b));
	}
	evbuffer_free(b);
}

static void round_trips(void)
{
	struct evbuffer *b = evbuffer_new();
	size_t i;

	for (i = 0; i < NVALUES; i++) {
		ev_uint32_t v32 = 0xdeadbeef;
		ev_uint64_t v64 = 0xdeadbeef;
		int r;
		if (values[i] <= 0xffffffff) {
			evtag_marshal_int(b, (ev_uint32_t)i, (ev_uint32_t)values[i]);
			r = evtag_unmarshal_int(b, (ev_uint32_t)i, &v32);
			printf("int %llx: r=%d got %x left %zu\n", (unsigned long long)values[i], r, v32,
			    evbuffer_get_length(b));
			CHECK(r >= 0 && v32 == values[i]);
		}
		evtag_marshal_int64(b, (ev_uint32_t)i, values[i]);
		r = evtag_unmarshal_int64(b, (ev_uint32_t)i, &v64);
		printf("int64 %llx: r=%d got %llx left %zu\n", (unsigned long long)values[i], r,
		    (unsigned long long)v64, evbuffer_get_length(b));
		CHECK(r >= 0 && v64 == values[i]);
	}
	for (i = 0; i < NTAGS; i++) {
		ev_uint32_t tag = 0, len = 0;
		char out[4] = "";
		evtag_marshal(b, tags[i], "xyz", 3);
		CHECK(evtag_peek(b, &tag) > 0);
		CHECK_EQ(tag, tags[i]);
		printf("tag %x: peek=%d", tags[i], evtag_peek(b, &tag));
		CHECK_EQ(evtag_peek_length(b, &len), 0);
		printf(" peek_length=%u", len);
		CHECK_EQ(evtag_payload_length(b, &len), 0);
		printf(" payload_length=%u", len);
		CHECK_EQ(evtag_unmarshal_fixed(b, tags[i], out, 3), 0);
		CHECK(memcmp(out, "xyz", 3) == 0);
		printf(" fixed ok, left %zu\n", evbuffer_get_length(b));
	}
	{
		char *s = NULL;
		evtag_marshal_string(b, 11, "a string");
		CHECK_EQ(evtag_unmarshal_string(b, 11, &s), 0);
		printf("string: \"%s\" left %zu\n", s, evbuffer_get_length(b));
		free(s);
		evtag_marshal_string(b, 11, "");
		CHECK_EQ(evtag_unmarshal_string(b, 11, &s), 0);
		printf("empty string: \"%s\" left %zu\n", s, evbuffer_get_length(b));
		free(s);
	}
	{
		struct timeval in[] = { {0, 0}, {1, 1}, {1700000000, 999999}, {0xffffffffL, 0} }, out;
		for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
			evtag_marshal_timeval(b, 4, &in[i]);
			CHECK_EQ(evtag_unmarshal_timeval(b, 4, &out), 0);
			printf("timeval %ld.%06ld -> %ld.%06ld left %zu\n", (long)in[i].tv_sec,
			    (long)in[i].tv_usec, (long)out.tv_sec, (long)out.tv_usec, evbuffer_get_length(b));
		}
	}
	{
		struct evbuffer *dst = evbuffer_new();
		ev_uint32_t tag = 0;
		evtag_marshal(b, 0x4000, "abcdef", 6);
		evtag_marshal(b, 1, "g", 1);
		printf("unmarshal: %d", evtag_unmarshal(b, &tag, dst));
		printf(" tag %x dst %zu left %zu\n", tag, evbuffer_get_length(dst), evbuffer_get_length(b));
		printf("unmarshal_header: %d", evtag_unmarshal_header(b, &tag));
		printf(" tag %x left %zu\n", tag, evbuffer_get_length(b));
		evbuffer_drain(b, 1);
		evtag_marshal(b, 2, "hij", 3);
		evtag_marshal_int(b, 3, 42);
		printf("consume: %d left %zu\n", evtag_consume(b), evbuffer_get_length(b));
		printf("consume: %d left %zu\n", evtag_consume(b), evbuffer_get_length(b));
		printf("consume empty: %d\n", evtag_consume(b));
		evbuffer_free(dst);
	}
	{
		/* A nested message: a buffer of tagged fields marshalled as one field. */
		struct evbuffer *inner = evbuffer_new(), *got = evbuffer_new();
		ev_uint32_t tag = 0, v = 0;
		char *s = NULL;
		evtag_marshal_int(inner, 1, 77);
		evtag_marshal_string(inner, 2, "inner");
		evtag_marshal_buffer(b, 9, inner);
		hex("nested", b);
		CHECK(evtag_unmarshal(b, &tag, got) > 0);
		CHECK_EQ(tag, 9);
		CHECK(evtag_unmarshal_int(got, 1, &v) >= 0);
		CHECK_EQ(v, 77);
		CHECK_EQ(evtag_unmarshal_string(got, 2, &s), 0);
		CHECK(strcmp(s, "inner") == 0);
		CHECK_EQ(evbuffer_get_length(got), 0);
		free(s);
		evbuffer_free(inner);
		evbuffer_free(got);
	}
	CHECK_EQ(evbuffer_get_length(b), 0);
	evbuffer_free(b);
}

/* The wrong tag: what each reader returns and what it leaves. */
static void wrong_tags(void)
{
	struct evbuffer *b = evbuffer_new();
	ev_uint32_t v32;
	ev_uint64_t v64;
	struct timeval tv;
	char *s = NULL, fixed[3];

	evtag_marshal_int(b, 1, 300);
	printf("unmarshal_int wrong tag: %d", evtag_unmarshal_int(b, 2, &v32));
	hex(" left", b);
	evbuffer_drain(b, evbuffer_get_length(b));

	evtag_marshal_int64(b, 1, 300);
	printf("unmarshal_int64 wrong tag: %d", evtag_unmarshal_int64(b, 2, &v64));
	hex(" left", b);
	evbuffer_drain(b, evbuffer_get_length(b));

	evtag_marshal_string(b, 1, "abc");
	printf("unmarshal_string wrong tag: %d", evtag_unmarshal_string(b, 2, &s));
	hex(" left", b);
	evbuffer_drain(b, evbuffer_get_length(b));

	evtag_marshal(b, 1, "abc", 3);
	printf("unmarshal_fixed wrong tag: %d", evtag_unmarshal_fixed(b, 2, fixed, 3));
	hex(" left", b);
	evbuffer_drain(b, evbuffer_get_length(b));

	evtag_marshal(b, 1, "abc", 3);
	printf("unmarshal_fixed wrong length: %d", evtag_unmarshal_fixed(b, 1, fixed, 2));
	hex(" left", b);
	evbuffer_drain(b, evbuffer_get_length(b));

	tv.tv_sec = 5; tv.tv_usec = 6;
	evtag_marshal_timeval(b, 1, &tv);
	evtag_marshal_int(b, 3, 3);
	printf("unmarshal_timeval wrong tag: %d", evtag_unmarshal_timeval(b, 2, &tv));
	hex(" left", b);
	evbuffer_drain(b, evbuffer_get_length(b));

	/* An int field whose payload is longer than the integer in it. */
	evbuffer_add(b, "\x01\x03\x05\xaa\xbb", 5);
	evtag_marshal_int(b, 2, 9);
	printf("unmarshal_int padded payload: %d", evtag_unmarshal_int(b, 1, &v32));
	printf(" value %u", v32);
	hex(" left", b);
	evbuffer_drain(b, evbuffer_get_length(b));
	evbuffer_add(b, "\x01\x03\x05\xaa\xbb", 5);
	printf("unmarshal_int64 padded payload: %d", evtag_unmarshal_int64(b, 1, &v64));
	printf(" value %llu\n", (unsigned long long)v64);
	evbuffer_drain(b, evbuffer_get_length(b));

	/* A timeval payload with bytes after the two integers. */
	evbuffer_add(b, "\x01\x04\x05\x06\x07\x08", 6);
	printf("unmarshal_timeval padded payload: %d", evtag_unmarshal_timeval(b, 1, &tv));
	printf(" value %ld.%ld", (long)tv.tv_sec, (long)tv.tv_usec);
	hex(" left", b);
	evbuffer_drain(b, evbuffer_get_length(b));

	/* A string with a NUL inside: the whole payload is copied. */
	evtag_marshal(b, 1, "a\0b", 3);
	CHECK_EQ(evtag_unmarshal_string(b, 1, &s), 0);
	printf("string with NUL: %d %d %d %d\n", s[0], s[1], s[2], s[3]);
	free(s);

	evbuffer_free(b);
}

int main(void)
{
	evtag_init();
	encoders();
	round_trips();
	wrong_tags();
	printf("done\n");
	return 0;
}
