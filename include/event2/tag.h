/* event_rs: tagged binary fields in evbuffers (libevent 2.1.12's event2/tag.h).
 * A field is a tag, a length and a payload; integers are written by nibbles. The function
 * prototypes are generated from the library (event2/gen/tag.h). */
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
