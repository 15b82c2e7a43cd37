/** @file
 * event_rs: bufferevents over OpenSSL (libevent 2.1.12's event2/bufferevent_ssl.h).
 *
 * An SSL bufferevent reads and writes plain text in its buffers and TLS records on its
 * transport: a socket (bufferevent_openssl_socket_new()) or another bufferevent
 * (bufferevent_openssl_filter_new()). Link with libssl and libcrypto as well. The rest of the
 * bufferevent API (callbacks, enable, watermarks, rate limits, free) applies to them as to any
 * bufferevent, with the same thread rules.
 *
 * Deliberate differences from libevent 2.1.12: a dirty shutdown the program allowed is an end
 * of file in socket mode too (libevent with OpenSSL 3 reports an error), and bytes OpenSSL
 * holds are read after a pause (high-water mark, rate limit) without waiting for the socket.
 * Where libevent crashes on a NULL bufferevent or SSL object, these calls fail instead. */
#ifndef EVENT2_BUFFEREVENT_SSL_H_INCLUDED_
#define EVENT2_BUFFEREVENT_SSL_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event-config.h>
#include <event2/bufferevent.h>
#include <event2/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/** OpenSSL's SSL type (SSL, from openssl/ssl.h). */
struct ssl_st;

/** Where the SSL object stands when the bufferevent is made. */
enum bufferevent_ssl_state {
	BUFFEREVENT_SSL_OPEN = 0,	/**< its handshake is complete already */
	BUFFEREVENT_SSL_CONNECTING = 1,	/**< a client: it handshakes first and reports BEV_EVENT_CONNECTED */
	BUFFEREVENT_SSL_ACCEPTING = 2	/**< a server: it handshakes first and reports BEV_EVENT_CONNECTED */
};

/** @name Flags of bufferevent_ssl_get_flags(), _set_flags() and _clear_flags()
 * libevent 2.2 (on the 2.1 ABI); 2.2's Mbed TLS bufferevents are not provided. */
/**@{*/
/** an end without close_notify is an end of file (bufferevent_openssl_set_allow_dirty_shutdown()) */
#define BUFFEREVENT_SSL_DIRTY_SHUTDOWN 1
/** each write pass makes one SSL_write() of the output's first bytes (one record, one write to
 * the transport) rather than one per block of the output */
#define BUFFEREVENT_SSL_BATCH_WRITE 2
/**@}*/

#include <event2/gen/bufferevent_ssl.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_BUFFEREVENT_SSL_H_INCLUDED_ */
