/** @file
 * The deprecated 1.x names of the HTTP API (libevent 2.1.12's `event2/http_compat.h`): calls
 * that use the current base of event_init(). New code uses the calls of `event2/http.h`. */
#ifndef EVENT2_HTTP_COMPAT_H_INCLUDED_
#define EVENT2_HTTP_COMPAT_H_INCLUDED_

#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <event2/util.h>

#ifdef __cplusplus
extern "C" {
#endif

struct evhttp;
struct evhttp_connection;
struct event_base;

/** The 1.x name of evhttp_request_get_uri(). */
#define evhttp_request_uri evhttp_request_get_uri

#if __has_include(<event2/gen/http_compat.h>)
#include <event2/gen/http_compat.h>
#endif

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_HTTP_COMPAT_H_INCLUDED_ */
