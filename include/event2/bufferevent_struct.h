/** @file
 * event_rs: the public fields of struct bufferevent (libevent 2.1.12's layout, 392 bytes).
 * Old programs read them directly; new ones use the accessors of event2/bufferevent.h. The
 * fields are the library's: reading them is safe only with the bufferevent's lock held (or from
 * its loop's thread), and writing them bypasses the library (use the functions). */
#ifndef EVENT2_BUFFEREVENT_STRUCT_H_INCLUDED_
#define EVENT2_BUFFEREVENT_STRUCT_H_INCLUDED_

#ifdef __cplusplus
extern "C" {
#endif

#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <event2/util.h>
#include <event2/event_struct.h>
#include <event2/bufferevent.h>

/** A pair of watermarks (bufferevent_setwatermark()). */
struct event_watermark {
	size_t low;	/**< the low-water mark */
	size_t high;	/**< the high-water mark; 0: none */
};

/** The kind of a bufferevent (socket, pair, filter, OpenSSL): opaque; only the pointer's
 * identity means something. */
struct bufferevent_ops;

/** A bufferevent, as libevent 2.1.12 lays out its public part; the library's own state follows
 * it. Made by the constructors of event2/bufferevent.h, never by the program. */
struct bufferevent {
	struct event_base *ev_base;		/**< the base (bufferevent_get_base()) */
	const struct bufferevent_ops *be_ops;	/**< the kind of transport */
	struct event ev_read;	/**< the read event (for pairs and filters: the read timeout's timer) */
	struct event ev_write;	/**< the write event (for pairs and filters: the write timeout's timer) */
	struct evbuffer *input;	/**< the input buffer (bufferevent_get_input()) */
	struct evbuffer *output; /**< the output buffer (bufferevent_get_output()) */
	struct event_watermark wm_read;	/**< the input's watermarks */
	struct event_watermark wm_write; /**< the output's watermarks */
	bufferevent_data_cb readcb;	/**< the read callback */
	bufferevent_data_cb writecb;	/**< the write callback */
	bufferevent_event_cb errorcb;	/**< the event callback */
	void *cbarg;			/**< the callbacks' argument */
	struct timeval timeout_read;	/**< the read timeout; zero: none */
	struct timeval timeout_write;	/**< the write timeout; zero: none */
	short enabled;			/**< EV_READ and/or EV_WRITE, as enabled by the program */
};

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_BUFFEREVENT_STRUCT_H_INCLUDED_ */
