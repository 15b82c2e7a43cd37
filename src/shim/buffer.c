/* evbuffer_add_printf / evbuffer_add_vprintf: C variadics, which stable Rust cannot define.
 * Formats straight into the buffer's free space, growing it once when the text is longer, as
 * libevent does (so the callbacks see one addition of the whole text). */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <event2/buffer.h>

char *rs_evbuffer_printf_space(struct evbuffer *buf, size_t want, size_t *space);
int rs_evbuffer_printf_commit(struct evbuffer *buf, char *at, size_t n);

int evbuffer_add_vprintf(struct evbuffer *buf, const char *fmt, va_list ap)
{
	size_t want = 64, space = 0;
	int result = -1;
	if (buf == NULL || fmt == NULL)
		return -1;
	evbuffer_lock(buf);
	for (;;) {
		char *at = rs_evbuffer_printf_space(buf, want, &space);
		va_list aq;
		int sz;
		if (at == NULL)
			break;
		va_copy(aq, ap);
		sz = vsnprintf(at, space, fmt, aq);
		va_end(aq);
		if (sz < 0)
			break;
		if ((size_t)sz < space) {
			if (rs_evbuffer_printf_commit(buf, at, (size_t)sz) == 0)
				result = sz;
			break;
		}
		/* libevent asks for sz + 1 bytes in int arithmetic: a text of INT_MAX bytes fails. */
		if (sz == INT_MAX)
			break;
		want = (size_t)sz + 1;
	}
	evbuffer_unlock(buf);
	return result;
}

int evbuffer_add_printf(struct evbuffer *buf, const char *fmt, ...)
{
	int res;
	va_list ap;
	va_start(ap, fmt);
	res = evbuffer_add_vprintf(buf, fmt, ap);
	va_end(ap);
	return res;
}
