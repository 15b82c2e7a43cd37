/* event_rs: the evutil functions Rust cannot define (C variadics). */
#include <event2/util.h>
#include <stdio.h>

/* As vsnprintf, but the result is always NUL-terminated, and a zero-sized buffer gives 0
 * rather than the length the text would need (libevent's contract). */
int
evutil_vsnprintf(char *buf, size_t buflen, const char *format, va_list ap)
{
	int n;
	if (buflen == 0)
		return 0;
	n = vsnprintf(buf, buflen, format, ap);
	buf[buflen - 1] = '\0';
	return n;
}

int
evutil_snprintf(char *buf, size_t buflen, const char *format, ...)
{
	va_list ap;
	int n;
	va_start(ap, format);
	n = evutil_vsnprintf(buf, buflen, format, ap);
	va_end(ap);
	return n;
}
