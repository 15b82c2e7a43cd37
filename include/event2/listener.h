/* event_rs: connection listeners (libevent 2.1.12's event2/listener.h). */
#ifndef EVENT2_LISTENER_H_INCLUDED_
#define EVENT2_LISTENER_H_INCLUDED_

#include <event2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

#include <event2/event.h>

struct sockaddr;
struct evconnlistener;

/* Called with each accepted connection: the new socket, the peer's address and its length. */
typedef void (*evconnlistener_cb)(struct evconnlistener *, evutil_socket_t, struct sockaddr *, int socklen, void *);
/* Called when accept() fails with an error that retrying will not cure (EMFILE, ...). */
typedef void (*evconnlistener_errorcb)(struct evconnlistener *, void *);

/* Options for evconnlistener_new() and evconnlistener_new_bind(). */
#define LEV_OPT_LEAVE_SOCKETS_BLOCKING (1u<<0)
#define LEV_OPT_CLOSE_ON_FREE (1u<<1)
#define LEV_OPT_CLOSE_ON_EXEC (1u<<2)
#define LEV_OPT_REUSEABLE (1u<<3)
#define LEV_OPT_THREADSAFE (1u<<4)
#define LEV_OPT_DISABLED (1u<<5)
#define LEV_OPT_DEFERRED_ACCEPT (1u<<6)
#define LEV_OPT_REUSEABLE_PORT (1u<<7)
#define LEV_OPT_BIND_IPV6ONLY (1u<<8)
/* libevent 2.2: the IPv6 listener takes IPv4 connections too (IPV6_V6ONLY off, whatever the
 * system's default); wins over LEV_OPT_BIND_IPV6ONLY. */
#define LEV_OPT_BIND_IPV4_AND_IPV6 (1u<<9)

#include <event2/gen/listener.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_LISTENER_H_INCLUDED_ */
