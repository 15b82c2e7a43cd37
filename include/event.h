/** @file
 * event_rs: libevent 1.x's all-in-one header, kept for old programs: it includes the core
 * (event2/event.h, event_struct.h, event_compat.h), buffers, bufferevents and tags, with their
 * 1.x compatibility headers, and <evutil.h>. It declares nothing of its own. New code includes
 * the event2/ headers it needs.
 */
#ifndef EVENT1_EVENT_H_INCLUDED_
#define EVENT1_EVENT_H_INCLUDED_

#ifdef __cplusplus
extern "C" {
#endif

#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <stdint.h>
#include <stdarg.h>
#include <evutil.h>

#include <event2/event_struct.h>
#include <event2/event.h>
#include <event2/event_compat.h>
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>
#include <event2/bufferevent_compat.h>
#include <event2/tag.h>
#include <event2/tag_compat.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT1_EVENT_H_INCLUDED_ */
