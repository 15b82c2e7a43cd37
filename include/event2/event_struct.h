/** @file
 * event_rs: the layout of `struct event`, for programs that embed events in their own
 * structures and set them up with event_assign() (libevent 2.1.12's event2/event_struct.h).
 *
 * The size (128 bytes on x86-64, as event_get_struct_event_size() says) and the places of the
 * fields are libevent's, so programs built against libevent's header run unchanged. The
 * fields are the library's own state: read an event through the event_get_*() functions, and
 * never write a field. Including this header ties a program to this layout.
 */
#ifndef EVENT2_EVENT_STRUCT_H_INCLUDED_
#define EVENT2_EVENT_STRUCT_H_INCLUDED_

#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <event2/util.h>
#include <event2/keyvalq_struct.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bits of an event's flags (ev_evcallback.evcb_flags): where the event currently is. */
#define EVLIST_TIMEOUT 0x01 /**< Waiting for its timeout. */
#define EVLIST_INSERTED 0x02 /**< Added for its descriptor or signal. */
#define EVLIST_SIGNAL 0x04 /**< Unused (kept from libevent's list of bits). */
#define EVLIST_ACTIVE 0x08 /**< Active: its callback is waiting to run. */
#define EVLIST_INTERNAL 0x10 /**< One of the library's own events, not counted or listed. */
#define EVLIST_ACTIVE_LATER 0x20 /**< To be made active in the next iteration (unused here). */
#define EVLIST_FINALIZING 0x40 /**< Being finalized (event_finalize()). */
#define EVLIST_INIT 0x80 /**< Set up by event_assign() or event_new(). */
#define EVLIST_ALL 0xff /**< Every bit above. */

/* Queue links (the BSD sys/queue.h macros), defined here for the structures below when the
 * program has not defined them, and undefined again at the end of this header. */
#ifndef TAILQ_ENTRY
#define EVENT_RS_DEFINED_TQENTRY_
#define TAILQ_ENTRY(type) struct { struct type *tqe_next; struct type **tqe_prev; }
#endif
#ifndef TAILQ_HEAD
#define EVENT_RS_DEFINED_TQHEAD_
#define TAILQ_HEAD(name, type) struct name { struct type *tqh_first; struct type **tqh_last; }
#endif
#ifndef LIST_ENTRY
#define EVENT_RS_DEFINED_LISTENTRY_
#define LIST_ENTRY(type) struct { struct type *le_next; struct type **le_prev; }
#endif
#ifndef LIST_HEAD
#define EVENT_RS_DEFINED_LISTHEAD_
#define LIST_HEAD(name, type) struct name { struct type *lh_first; }
#endif

struct event;
struct event_base;

/** The part of an event that the loop queues and calls: the active-queue links, the flags
 * (EVLIST_* bits), the priority, how the callback is called, the callback and its argument.
 * Private state: only the layout is public. */
struct event_callback {
	TAILQ_ENTRY(event_callback) evcb_active_next;
	short evcb_flags;
	ev_uint8_t evcb_pri;
	ev_uint8_t evcb_closure;
	union {
		void (*evcb_callback)(evutil_socket_t, short, void *);
		void (*evcb_selfcb)(struct event_callback *, void *);
		void (*evcb_evfinalize)(struct event *, void *);
		void (*evcb_cbfinalize)(struct event_callback *, void *);
	} evcb_cb_union;
	void *evcb_arg;
};

/** An event, in libevent 2.1.12's layout. Private state except for its size and layout:
 * ev_fd, ev_base, ev_events and ev_res hold what libevent's do (the descriptor or signal, the
 * base, the events asked for, the events that happened), ev_timeout a deadline on the
 * monotonic clock. Set it up with event_assign(); keep it in place while added or active. */
struct event {
	struct event_callback ev_evcallback;
	union {
		TAILQ_ENTRY(event) ev_next_with_common_timeout;
		int min_heap_idx;
	} ev_timeout_pos;
	evutil_socket_t ev_fd;
	struct event_base *ev_base;
	union {
		struct {
			LIST_ENTRY(event) ev_io_next;
			struct timeval ev_timeout;
		} ev_io;
		struct {
			LIST_ENTRY(event) ev_signal_next;
			short ev_ncalls;
			short *ev_pncalls;
		} ev_signal;
	} ev_;
	short ev_events;
	short ev_res;
	struct timeval ev_timeout;
};

/** A list of events (`struct event_list`), as libevent's header declares; unused by the API. */
TAILQ_HEAD(event_list, event);
/** A list of events (`struct event_dlist`), as libevent's header declares; unused by the API. */
LIST_HEAD(event_dlist, event);

#ifdef EVENT_RS_DEFINED_TQENTRY_
#undef TAILQ_ENTRY
#undef EVENT_RS_DEFINED_TQENTRY_
#endif
#ifdef EVENT_RS_DEFINED_TQHEAD_
#undef TAILQ_HEAD
#undef EVENT_RS_DEFINED_TQHEAD_
#endif
#ifdef EVENT_RS_DEFINED_LISTENTRY_
#undef LIST_ENTRY
#undef EVENT_RS_DEFINED_LISTENTRY_
#endif
#ifdef EVENT_RS_DEFINED_LISTHEAD_
#undef LIST_HEAD
#undef EVENT_RS_DEFINED_LISTHEAD_
#endif

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_EVENT_STRUCT_H_INCLUDED_ */
