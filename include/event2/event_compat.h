/** @file
 * event_rs: libevent 1.x's calls (libevent 2.1.12's event2/event_compat.h), kept for old
 * programs. Most act on the "current" base, the one event_init() made last: a process-wide
 * variable, so these calls do not suit programs with several threads or bases. New code uses
 * the event_base_*() functions of event2/event.h.
 */
#ifndef EVENT2_EVENT_COMPAT_H_INCLUDED_
#define EVENT2_EVENT_COMPAT_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <event2/util.h>

#ifdef __cplusplus
extern "C" {
#endif

struct event;
struct event_base;

#define evtimer_set(ev, cb, arg) event_set((ev), -1, 0, (cb), (arg)) /**< 1.x: sets up a timer on the current base. */
#define evsignal_set(ev, x, cb, arg) event_set((ev), (x), EV_SIGNAL|EV_PERSIST, (cb), (arg)) /**< 1.x: sets up a signal event for signal `x` on the current base. */

/* 1.x names of the evtimer_* macros of event2/event.h. */
#define timeout_add(ev, tv) event_add((ev), (tv)) /**< 1.x: starts a timer (evtimer_add). */
#define timeout_set(ev, cb, arg) event_set((ev), -1, 0, (cb), (arg)) /**< 1.x: sets up a timer on the current base (evtimer_set). */
#define timeout_del(ev) event_del(ev) /**< 1.x: stops a timer (evtimer_del). */
#define timeout_pending(ev, tv) event_pending((ev), EV_TIMEOUT, (tv)) /**< 1.x: evtimer_pending. */
#define timeout_initialized(ev) event_initialized(ev) /**< 1.x: evtimer_initialized. */

/* 1.x names of the evsignal_* macros of event2/event.h. */
#define signal_add(ev, tv) event_add((ev), (tv)) /**< 1.x: evsignal_add. */
#define signal_set(ev, x, cb, arg) event_set((ev), (x), EV_SIGNAL|EV_PERSIST, (cb), (arg)) /**< 1.x: evsignal_set. */
#define signal_del(ev) event_del(ev) /**< 1.x: evsignal_del. */
#define signal_pending(ev, tv) event_pending((ev), EV_SIGNAL, (tv)) /**< 1.x: evsignal_pending. */
#define signal_initialized(ev) event_initialized(ev) /**< 1.x: evsignal_initialized. */

#ifndef EVENT_FD
#define EVENT_FD(ev) ((int)event_get_fd(ev)) /**< 1.x: an event's descriptor (event_get_fd()). */
#define EVENT_SIGNAL(ev) event_get_signal(ev) /**< 1.x: a signal event's signal number (event_get_signal). */
#endif

#include <event2/gen/event_compat.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_EVENT_COMPAT_H_INCLUDED_ */
