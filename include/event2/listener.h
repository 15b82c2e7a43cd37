/** @file
 * event_rs: connection listeners (libevent 2.1.12's event2/listener.h).
 *
 * A listener accepts connections on a listening socket from its base's loop and hands each new
 * socket to the program's callback, which owns it from then on (often for
 * bufferevent_socket_new()). With LEV_OPT_THREADSAFE a listener may be used from several
 * threads; otherwise from one at a time. Where libevent crashes on a NULL listener, these calls
 * fail instead. */
#ifndef EVENT2_LISTENER_H_INCLUDED_
#define EVENT2_LISTENER_H_INCLUDED_

#include <event2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

#include <event2/event.h>

struct sockaddr;
struct evconnlistener;

/** Called with each accepted connection: the listener, the new socket (non-blocking unless
 * LEV_OPT_LEAVE_SOCKETS_BLOCKING; the program owns it and closes it), the peer's address and
 * its length (valid only during the call), and the callback's argument. It runs without the
 * listener's lock and may free the listener. */
typedef void (*evconnlistener_cb)(struct evconnlistener *, evutil_socket_t, struct sockaddr *, int socklen, void *);
/** Called with the listener and the callback's argument when accept() fails with an error that
 * retrying will not cure (EMFILE, ENFILE, ...); errno tells which. */
typedef void (*evconnlistener_errorcb)(struct evconnlistener *, void *);

/** @name Options for evconnlistener_new() and evconnlistener_new_bind(), ORed together */
/**@{*/
#define LEV_OPT_LEAVE_SOCKETS_BLOCKING (1u<<0) /**< accepted sockets are left blocking (they are made non-blocking otherwise) */
#define LEV_OPT_CLOSE_ON_FREE (1u<<1)	/**< evconnlistener_free() closes the listening socket */
#define LEV_OPT_CLOSE_ON_EXEC (1u<<2)	/**< the listening socket (new_bind) and accepted sockets are close-on-exec */
#define LEV_OPT_REUSEABLE (1u<<3)	/**< new_bind sets SO_REUSEADDR, so the port can be bound again at once after a restart */
#define LEV_OPT_THREADSAFE (1u<<4)	/**< give the listener a lock (needs evthread_use_pthreads()) */
#define LEV_OPT_DISABLED (1u<<5)	/**< make the listener disabled: it accepts after evconnlistener_enable() */
#define LEV_OPT_DEFERRED_ACCEPT (1u<<6)	/**< new_bind sets TCP_DEFER_ACCEPT: a connection is reported once the client has sent data (for protocols where the client speaks first) */
#define LEV_OPT_REUSEABLE_PORT (1u<<7)	/**< new_bind sets SO_REUSEPORT, so several sockets can listen on the port */
#define LEV_OPT_BIND_IPV6ONLY (1u<<8)	/**< new_bind sets IPV6_V6ONLY: an IPv6 listener takes no IPv4 connections */
/** libevent 2.2: new_bind clears IPV6_V6ONLY, so an IPv6 listener takes IPv4 connections too,
 * whatever the system's default; wins over LEV_OPT_BIND_IPV6ONLY. */
#define LEV_OPT_BIND_IPV4_AND_IPV6 (1u<<9)
/**@}*/

#include <event2/gen/listener.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_LISTENER_H_INCLUDED_ */
