/* event_rs: bufferevents over OpenSSL (libevent 2.1.12's event2/bufferevent_ssl.h).
 *
 * An SSL bufferevent reads and writes plain text in its buffers and TLS records on its
 * transport: a socket (bufferevent_openssl_socket_new) or another bufferevent
 * (bufferevent_openssl_filter_new). Link with libssl and libcrypto as well. */
#ifndef EVENT2_BUFFEREVENT_SSL_H_INCLUDED_
#define EVENT2_BUFFEREVENT_SSL_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event-config.h>
#include <event2/bufferevent.h>
#include <event2/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* OpenSSL's SSL type. */
struct ssl_st;

/* Where the SSL object stands when the bufferevent is made: OPEN has completed its handshake;
 * CONNECTING (a client) and ACCEPTING (a server) handshake first, and report
 * BEV_EVENT_CONNECTED when done. */
enum bufferevent_ssl_state {
	BUFFEREVENT_SSL_OPEN = 0,
	BUFFEREVENT_SSL_CONNECTING = 1,
	BUFFEREVENT_SSL_ACCEPTING = 2
};

/* bufferevent_openssl_get_allow_dirty_shutdown / _set_: whether a transport that ends without
 * the peer's close_notify is reported as BEV_EVENT_EOF (allowed) or BEV_EVENT_ERROR (the
 * default). bufferevent_get_openssl_error: the OpenSSL error codes kept from the last failure,
 * most recent first, then 0. */
/* libevent 2.2 (on the 2.1 ABI): bufferevent_ssl_get_flags / _set_flags / _clear_flags read,
 * add and remove these flags of an OpenSSL bufferevent, returning the flags before (get: the
 * flags), or EV_UINT64_MAX for another kind of bufferevent or when no known flag is given.
 * DIRTY_SHUTDOWN is bufferevent_openssl_set_allow_dirty_shutdown's setting; with BATCH_WRITE
 * each write pass makes one SSL_write of the output's first bytes (so one record and one write
 * to the transport), rather than one per chunk of the output. (2.2's Mbed TLS bufferevents are
 * not provided.) */
#define BUFFEREVENT_SSL_DIRTY_SHUTDOWN 1
#define BUFFEREVENT_SSL_BATCH_WRITE 2

#include <event2/gen/bufferevent_ssl.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_BUFFEREVENT_SSL_H_INCLUDED_ */
