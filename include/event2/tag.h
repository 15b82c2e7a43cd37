/** @file
 * event_rs: tagged binary fields in evbuffers (libevent 2.1.12's event2/tag.h), the encoding
 * event_rpcgen.py's marshalling functions use.
 *
 * A field is a tag (base 128, 1 to 5 bytes), the payload's length (an integer) and the payload.
 * Integers are written by nibbles: the count of nibbles, then the digits. The marshal functions
 * append to a buffer; the unmarshal functions consume from its front and fail (-1) on a field
 * that is bad or not all there yet. The format is libevent's, byte for byte.
 *
 * The functions use only the buffers they are given: threads as for those (event2/buffer.h).
 * Where libevent crashes on a NULL buffer or output pointer, these do nothing or return -1. The
 * function prototypes are generated from the library (event2/gen/tag.h). */
#ifndef EVENT2_TAG_H_INCLUDED_
#define EVENT2_TAG_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <event2/util.h>

#ifdef __cplusplus
extern "C" {
#endif

struct evbuffer;

#include <event2/gen/tag.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_TAG_H_INCLUDED_ */
