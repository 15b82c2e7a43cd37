/** @file
 * event_rs: buffered I/O over sockets, pairs and filters (libevent 2.1.12's event2/bufferevent.h).
 *
 * A bufferevent joins a transport (a socket, the other end of a pair, a bufferevent below a
 * filter, or TLS in event2/bufferevent_ssl.h) to two evbuffers: what the transport delivers lands
 * in the input buffer and the read callback runs; what the program puts in the output buffer is
 * sent and the write callback runs once it has drained. The event callback reports connections,
 * end of file, errors and timeouts.
 *
 * Ownership: the program frees each bufferevent it makes with bufferevent_free(); the buffers
 * belong to the bufferevent.
 *
 * Threads: without BEV_OPT_THREADSAFE a bufferevent must be used from one thread at a time
 * (normally the one running its base's loop). With it (after evthread_use_pthreads()), every
 * call takes the bufferevent's lock, which its buffers share, and callbacks run with it held.
 *
 * Where libevent crashes on a NULL bufferevent, these calls return their failure value (-1,
 * 0 or NULL) or do nothing. */
#ifndef EVENT2_BUFFEREVENT_H_INCLUDED_
#define EVENT2_BUFFEREVENT_H_INCLUDED_

#include <event2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <event2/util.h>

/** @name What happened: the bits of the event callback's `what` argument */
/**@{*/
#define BEV_EVENT_READING 0x01	/**< it happened while reading */
#define BEV_EVENT_WRITING 0x02	/**< it happened while writing */
#define BEV_EVENT_EOF 0x10	/**< the peer closed the connection (end of file) */
#define BEV_EVENT_ERROR 0x20	/**< an error: errno (EVUTIL_SOCKET_ERROR()) tells which */
#define BEV_EVENT_TIMEOUT 0x40	/**< a timeout of bufferevent_set_timeouts() expired */
#define BEV_EVENT_CONNECTED 0x80 /**< a connect (or TLS handshake) completed */
/**@}*/

struct bufferevent;
struct event_base;
struct evbuffer;
struct sockaddr;
struct evdns_base;
struct ev_token_bucket_cfg;
struct bufferevent_rate_limit_group;

/** The read or write callback: `bev` is the bufferevent and `ctx` the argument given to
 * bufferevent_setcb(). The read callback runs when the input holds at least its low-water mark,
 * the write callback when the output has drained to its low-water mark. A callback may free
 * the bufferevent. */
typedef void (*bufferevent_data_cb)(struct bufferevent *bev, void *ctx);
/** The event callback: `what` is a set of BEV_EVENT_* bits (for example BEV_EVENT_EOF |
 * BEV_EVENT_READING) and `ctx` the argument given to bufferevent_setcb(). After an EOF or
 * ERROR the transport is finished: the program normally frees the bufferevent. */
typedef void (*bufferevent_event_cb)(struct bufferevent *bev, short what, void *ctx);

/** Options of the bufferevent constructors, ORed together. */
enum bufferevent_options {
	/** freeing the bufferevent closes its socket (or frees the underlying bufferevent, or the SSL object) */
	BEV_OPT_CLOSE_ON_FREE = (1<<0),
	/** give it a lock, so that several threads may use it (needs evthread_use_pthreads()) */
	BEV_OPT_THREADSAFE = (1<<1),
	/** run the callbacks from the event loop rather than inside the call that caused them */
	BEV_OPT_DEFER_CALLBACKS = (1<<2),
	/** release the lock while deferred callbacks run (only with BEV_OPT_DEFER_CALLBACKS: alone it is refused) */
	BEV_OPT_UNLOCK_CALLBACKS = (1<<3)
};

/** What a flush (bufferevent_flush()) or a filter is asked to do. */
enum bufferevent_flush_mode {
	BEV_NORMAL = 0,		/**< usual processing: a filter may keep bytes back to batch them */
	BEV_FLUSH = 1,		/**< move everything that can be moved now */
	BEV_FINISHED = 2	/**< as BEV_FLUSH, and no more data will come (a filter may write its trailer) */
};

/** Options of bufferevent_trigger() and bufferevent_trigger_event(). */
enum bufferevent_trigger_options {
	BEV_TRIG_IGNORE_WATERMARKS = (1<<16),	/**< run the callback whatever the watermarks say */
	BEV_TRIG_DEFER_CALLBACKS = BEV_OPT_DEFER_CALLBACKS /**< run it from the event loop */
};

/** What a filter function reports. */
enum bufferevent_filter_result {
	BEV_OK = 0,		/**< it wrote something to the destination */
	BEV_NEED_MORE = 1,	/**< it needs more input before it can write anything */
	BEV_ERROR = 2		/**< it failed: this filtering pass stops (no event is reported, as in libevent) */
};

/** A filter function of bufferevent_filter_new(): moves bytes from `src` to `dst`, transformed
 * as it likes, writing no more than `dst_limit` bytes when that is not negative; `mode` says how
 * eagerly (enum bufferevent_flush_mode) and `ctx` is the filter's argument. It returns an enum
 * bufferevent_filter_result. */
typedef enum bufferevent_filter_result (*bufferevent_filter_cb)(
    struct evbuffer *src, struct evbuffer *dst, ev_ssize_t dst_limit,
    enum bufferevent_flush_mode mode, void *ctx);

/** The largest rate or burst ev_token_bucket_cfg_new() accepts. */
#define EV_RATE_LIMIT_MAX EV_SSIZE_MAX

/* The functions (documented at each prototype), among them libevent 2.2's
 * bufferevent_replacefd() and bufferevent_socket_connect_hostname_hints(). */
#include <event2/gen/bufferevent.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_BUFFEREVENT_H_INCLUDED_ */
