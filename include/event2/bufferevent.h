/* event_rs: buffered I/O over sockets, pairs and filters (libevent 2.1.12's event2/bufferevent.h). */
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

/* What happened, as the event callback's second argument. */
#define BEV_EVENT_READING 0x01
#define BEV_EVENT_WRITING 0x02
#define BEV_EVENT_EOF 0x10
#define BEV_EVENT_ERROR 0x20
#define BEV_EVENT_TIMEOUT 0x40
#define BEV_EVENT_CONNECTED 0x80

struct bufferevent;
struct event_base;
struct evbuffer;
struct sockaddr;
struct evdns_base;
struct ev_token_bucket_cfg;
struct bufferevent_rate_limit_group;

typedef void (*bufferevent_data_cb)(struct bufferevent *bev, void *ctx);
typedef void (*bufferevent_event_cb)(struct bufferevent *bev, short what, void *ctx);

enum bufferevent_options {
	BEV_OPT_CLOSE_ON_FREE = (1<<0),
	BEV_OPT_THREADSAFE = (1<<1),
	BEV_OPT_DEFER_CALLBACKS = (1<<2),
	BEV_OPT_UNLOCK_CALLBACKS = (1<<3)
};

enum bufferevent_flush_mode {
	BEV_NORMAL = 0,
	BEV_FLUSH = 1,
	BEV_FINISHED = 2
};

enum bufferevent_trigger_options {
	BEV_TRIG_IGNORE_WATERMARKS = (1<<16),
	BEV_TRIG_DEFER_CALLBACKS = BEV_OPT_DEFER_CALLBACKS
};

enum bufferevent_filter_result {
	BEV_OK = 0,
	BEV_NEED_MORE = 1,
	BEV_ERROR = 2
};

typedef enum bufferevent_filter_result (*bufferevent_filter_cb)(
    struct evbuffer *src, struct evbuffer *dst, ev_ssize_t dst_limit,
    enum bufferevent_flush_mode mode, void *ctx);

#define EV_RATE_LIMIT_MAX EV_SSIZE_MAX

/* libevent 2.2 (on the 2.1 ABI): bufferevent_replacefd: as bufferevent_setfd (callbacks,
 * buffers and enabled directions kept), but the descriptor the bufferevent had is closed first;
 * -1 for a pair. bufferevent_socket_connect_hostname_hints: bufferevent_socket_connect_hostname
 * with the program's hints (ai_family AF_INET, AF_INET6 or AF_UNSPEC; ai_flags, ai_socktype and
 * ai_protocol are passed on). */
#include <event2/gen/bufferevent.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_BUFFEREVENT_H_INCLUDED_ */
