/** @file
 * event_rs: libevent 1.x's name for event2/util.h, which it includes; it declares nothing of
 * its own.
 */
#ifndef EVENT1_EVUTIL_H_INCLUDED_
#define EVENT1_EVUTIL_H_INCLUDED_

#ifdef __cplusplus
extern "C" {
#endif

#include <event2/util.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT1_EVUTIL_H_INCLUDED_ */
