/** @file
 * event_rs: the deprecated evbuffer calls of libevent 1.x (libevent 2.1.12's
 * event2/buffer_compat.h), kept for old programs; new code uses event2/buffer.h. */
#ifndef EVENT2_BUFFER_COMPAT_H_INCLUDED_
#define EVENT2_BUFFER_COMPAT_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/buffer.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The callback of evbuffer_setcb(): called after each change of the buffer's length with the
 * buffer, the length before and after the change, and the callback's argument. */
typedef void (*evbuffer_cb)(struct evbuffer *buffer, size_t old_len, size_t new_len, void *arg);

/** Deprecated: the number of bytes in buffer `x` (evbuffer_get_length()). */
#define EVBUFFER_LENGTH(x) evbuffer_get_length(x)
/** Deprecated: the whole contents of buffer `x`, made contiguous (evbuffer_pullup() of -1, so
 * it copies when the bytes span blocks); NULL for an empty buffer. */
#define EVBUFFER_DATA(x) evbuffer_pullup((x), -1)

#include <event2/gen/buffer_compat.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_BUFFER_COMPAT_H_INCLUDED_ */
