/** @file
 * event_rs: the 1.x bufferevent names (libevent 2.1.12's event2/bufferevent_compat.h), kept for
 * old programs; new code uses event2/bufferevent.h. */
#ifndef EVENT2_BUFFEREVENT_COMPAT_H_INCLUDED_
#define EVENT2_BUFFEREVENT_COMPAT_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/bufferevent.h>

#ifdef __cplusplus
extern "C" {
#endif

#define evbuffercb bufferevent_data_cb	/**< the 1.x name of the read and write callback type */
#define everrorcb bufferevent_event_cb	/**< the 1.x name of the event callback type */

/** @name The 1.x names of the BEV_EVENT_* bits */
/**@{*/
#define EVBUFFER_READ BEV_EVENT_READING		/**< BEV_EVENT_READING */
#define EVBUFFER_WRITE BEV_EVENT_WRITING	/**< BEV_EVENT_WRITING */
#define EVBUFFER_EOF BEV_EVENT_EOF		/**< BEV_EVENT_EOF */
#define EVBUFFER_ERROR BEV_EVENT_ERROR		/**< BEV_EVENT_ERROR */
#define EVBUFFER_TIMEOUT BEV_EVENT_TIMEOUT	/**< BEV_EVENT_TIMEOUT */
/**@}*/

/** The input buffer of bufferevent `x` (bufferevent_get_input()). */
#define EVBUFFER_INPUT(x) bufferevent_get_input(x)
/** The output buffer of bufferevent `x` (bufferevent_get_output()). */
#define EVBUFFER_OUTPUT(x) bufferevent_get_output(x)

#include <event2/gen/bufferevent_compat.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_BUFFEREVENT_COMPAT_H_INCLUDED_ */
