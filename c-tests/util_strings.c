/* evutil strings and numbers: snprintf/vsnprintf truncation, strtoll (range, bases, end
 * pointers, errno), ASCII case-insensitive compares, RFC 1123 dates, gai_strerror.
 * compare-output: what is printed must equal the system's libevent's. */
#include <event2/util.h>
#include <evutil.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "check.h"

static int via_v(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int r;
	va_start(ap, fmt);
	r = evutil_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return r;
}

static void strtoll_case(const char *s, int base)
{
	char *end = NULL;
	ev_int64_t v;
	errno = 0;
	v = evutil_strtoll(s, &end, base);
	printf("strtoll('%s', %d) = %lld, end +%ld, errno %s\n", s, base, (long long)v,
	    end ? (long)(end - s) : -1L, errno == ERANGE ? "ERANGE" : errno == EINVAL ? "EINVAL" : errno ? "other" : "0");
}

int main(void)
{
	char buf[32];
	int r;

	/* snprintf: full length returned, always terminated, 0 for an empty buffer. */
	memset(buf, 'x', sizeof buf);
	r = evutil_snprintf(buf, sizeof buf, "%s-%d-%05.1f", "abc", 42, 3.14159);
	CHECK_EQ(r, 12);
	CHECK(strcmp(buf, "abc-42-003.1") == 0);
	printf("snprintf full: %d '%s'\n", r, buf);
	memset(buf, 'x', sizeof buf);
	r = evutil_snprintf(buf, 5, "hello %d", 12345);
	CHECK_EQ(r, 11);
	CHECK(strcmp(buf, "hell") == 0);
	CHECK(buf[5] == 'x');
	memset(buf, 'x', sizeof buf);
	r = evutil_snprintf(buf, 1, "hello");
	CHECK_EQ(r, 5);
	CHECK(buf[0] == 0 && buf[1] == 'x');
	memset(buf, 'x', sizeof buf);
	r = evutil_snprintf(buf, 0, "hello");
	CHECK_EQ(r, 0);
	CHECK(buf[0] == 'x');
	r = evutil_snprintf(NULL, 0, "hello %d", 1);
	CHECK_EQ(r, 0);
	r = evutil_snprintf(buf, sizeof buf, "%s", "");
	CHECK_EQ(r, 0);
	CHECK(buf[0] == 0);
	memset(buf, 'x', sizeof buf);
	r = via_v(buf, 8, "%d/%d/%d", 100, 200, 300);
	CHECK_EQ(r, 11);
	CHECK(strcmp(buf, "100/200") == 0);
	r = via_v(buf, 0, "%d", 1);
	CHECK_EQ(r, 0);
	r = via_v(buf, sizeof buf, "%c%c%%", 'a', 'b');
	CHECK_EQ(r, 3);
	CHECK(strcmp(buf, "ab%") == 0);
	printf("snprintf ok\n");

	/* strtoll: the C library's, through and through. */
	strtoll_case("0", 10);
	strtoll_case("12345", 10);
	strtoll_case("  -42xyz", 10);
	strtoll_case("+7", 0);
	strtoll_case("0x1F", 0);
	strtoll_case("0x1F", 16);
	strtoll_case("1F", 16);
	strtoll_case("0x", 16);
	strtoll_case("0xg", 0);
	strtoll_case("017", 0);
	strtoll_case("089", 0);
	strtoll_case("101102", 2);
	strtoll_case("zz", 36);
	strtoll_case("9223372036854775807", 10);
	strtoll_case("-9223372036854775808", 10);
	/* out of range */
	strtoll_case("9223372036854775808", 10);
	strtoll_case("-9223372036854775809", 10);
	strtoll_case("99999999999999999999999999", 10);
	strtoll_case("-99999999999999999999999999", 0);
	strtoll_case("0x8000000000000000", 0);
	strtoll_case("18446744073709551616", 10);
	/* no number */
	strtoll_case("", 10);
	strtoll_case("   ", 10);
	strtoll_case("-", 10);
	strtoll_case("+ 1", 10);
	strtoll_case("abc", 10);
	/* bases that do not exist */
	strtoll_case("10", 1);
	strtoll_case("10", 37);
	strtoll_case("10", -2);
	CHECK_EQ(evutil_strtoll("123", NULL, 10), 123);
	errno = 0;
	CHECK(evutil_strtoll("99999999999999999999", NULL, 10) == EV_INT64_MAX);
	CHECK_EQ(errno, ERANGE);
	errno = 0;
	CHECK(evutil_strtoll("-99999999999999999999", NULL, 10) == EV_INT64_MIN);
	CHECK_EQ(errno, ERANGE);

	/* ASCII-only case folding; bytes past 0x7f compare as signed chars. */
	CHECK_EQ(evutil_ascii_strcasecmp("Content-Length", "content-length"), 0);
	CHECK_EQ(evutil_ascii_strcasecmp("abc", "ABD"), -1);
	CHECK_EQ(evutil_ascii_strcasecmp("abd", "ABC"), 1);
	CHECK_EQ(evutil_ascii_strcasecmp("ab", "abc"), -1);
	CHECK_EQ(evutil_ascii_strcasecmp("", ""), 0);
	CHECK_EQ(evutil_ascii_strcasecmp("@", "`"), -1);
	CHECK_EQ(evutil_ascii_strcasecmp("[", "{"), -1);
	CHECK_EQ(evutil_ascii_strcasecmp("Z", "z"), 0);
	printf("casecmp high: %d %d %d\n", evutil_ascii_strcasecmp("a", "\xe9"),
	    evutil_ascii_strcasecmp("\xc9", "\xe9"), evutil_ascii_strcasecmp("\xff", "\x01"));
	CHECK_EQ(evutil_ascii_strncasecmp("HOST: x", "host: y", 6), 0);
	CHECK_EQ(evutil_ascii_strncasecmp("HOST: x", "host: y", 7), -1);
	CHECK_EQ(evutil_ascii_strncasecmp("abc", "xyz", 0), 0);
	CHECK_EQ(evutil_ascii_strncasecmp("ab", "AB", 100), 0);
	{
		/* Not NUL-terminated within n: only n bytes are read. */
		char a[3] = {'G', 'E', 'T'}, b[3] = {'g', 'e', 't'};
		CHECK_EQ(evutil_ascii_strncasecmp(a, b, 3), 0);
	}

	/* RFC 1123 dates. */
	{
		struct tm tm;
		char date[64];
		memset(&tm, 0, sizeof tm);
		tm.tm_year = 94; tm.tm_mon = 10; tm.tm_mday = 6; tm.tm_wday = 0;
		tm.tm_hour = 8; tm.tm_min = 49; tm.tm_sec = 37;
		r = evutil_date_rfc1123(date, sizeof date, &tm);
		printf("date %d '%s'\n", r, date);
		CHECK(strcmp(date, "Sun, 06 Nov 1994 08:49:37 GMT") == 0);
		memset(date, 'x', sizeof date);
		r = evutil_date_rfc1123(date, 10, &tm);
		printf("date truncated %d '%s'\n", r, date);
		r = evutil_date_rfc1123(date, 0, &tm);
		CHECK_EQ(r, 0);
		tm.tm_year = 8100; tm.tm_mon = 11; tm.tm_mday = 31; tm.tm_wday = 6;
		tm.tm_hour = 23; tm.tm_min = 59; tm.tm_sec = 60;
		r = evutil_date_rfc1123(date, sizeof date, &tm);
		printf("date %d '%s'\n", r, date);
		tm.tm_year = -1905;
		r = evutil_date_rfc1123(date, sizeof date, &tm);
		printf("date %d '%s'\n", r, date);
		/* NULL: the current time, in the same shape. */
		r = evutil_date_rfc1123(date, sizeof date, NULL);
		CHECK_EQ(r, 29);
		CHECK(strlen(date) == 29 && strcmp(date + 25, " GMT") == 0 && date[3] == ',');
	}

	/* getaddrinfo error strings. */
	{
		int codes[] = {0, EVUTIL_EAI_ADDRFAMILY, EVUTIL_EAI_AGAIN, EVUTIL_EAI_BADFLAGS,
			EVUTIL_EAI_FAIL, EVUTIL_EAI_FAMILY, EVUTIL_EAI_MEMORY, EVUTIL_EAI_NODATA,
			EVUTIL_EAI_NONAME, EVUTIL_EAI_SERVICE, EVUTIL_EAI_SOCKTYPE, EVUTIL_EAI_SYSTEM,
			EVUTIL_EAI_CANCEL, -12, -100, -101, -907, 1, 12345, INT_MIN};
		unsigned k;
		for (k = 0; k < sizeof codes / sizeof codes[0]; k++)
			printf("gai %d: %s\n", codes[k], evutil_gai_strerror(codes[k]));
	}
	return 0;
}
