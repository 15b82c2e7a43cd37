/** @file
 * libevent 1.x's HTTP header: includes `event.h` and the HTTP headers of `event2/` (http.h,
 * http_struct.h, http_compat.h). New code includes `event2/http.h` instead. */
#ifndef EVENT1_EVHTTP_H_INCLUDED_
#define EVENT1_EVHTTP_H_INCLUDED_

#include <event.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/http_compat.h>

#endif /* EVENT1_EVHTTP_H_INCLUDED_ */
