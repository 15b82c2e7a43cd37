/* event_rs: the 1.x name for event2/util.h. */
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
