/** @file
 * event_rs: the old names of two evtag encoders (libevent 2.1.12's event2/tag_compat.h). */
#ifndef EVENT2_TAG_COMPAT_H_INCLUDED_
#define EVENT2_TAG_COMPAT_H_INCLUDED_

#include <event2/tag.h>

/** Deprecated name of evtag_encode_int(): appends `number` to `evbuf` in the nibble encoding. */
#define encode_int(evbuf, number) evtag_encode_int((evbuf), (number))
/** Deprecated name of evtag_encode_int64(). */
#define encode_int64(evbuf, number) evtag_encode_int64((evbuf), (number))

#endif /* EVENT2_TAG_COMPAT_H_INCLUDED_ */
