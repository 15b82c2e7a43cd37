/** @file
 * WebSocket (RFC 6455) sessions, with libevent 2.2's `event2/ws.h` names, prototypes and
 * constants on the 2.1 ABI, plus a client that no libevent has (marked "event_rs extension").
 * The function prototypes and their documentation are generated from the library
 * (`event2/gen/ws.h`).
 *
 * Server: in an evhttp request callback, evws_new_session(req, on_msg, arg, 0) answers a
 * request that asks for a WebSocket upgrade ("101 Switching Protocols" with the
 * Sec-WebSocket-Accept of its key, plus any headers the program added to the request's output
 * headers) and returns the session; any other request is answered 400 and NULL is returned.
 * The request is finished either way: do not use it afterwards.
 *
 * Sessions (both roles):
 *  - on_msg gets each whole message: type WS_TEXT_FRAME (checked UTF-8) or WS_BINARY_FRAME,
 *    fragments already joined, and a trailing NUL after the len bytes. The bytes live until the
 *    callback returns.
 *  - pings are answered with pongs; a close frame from the peer is answered (its code echoed)
 *    and the session ends.
 *  - a frame the protocol forbids ends the session with a close frame: WS_CR_PROTO_ERR (1002)
 *    for reserved bits, unknown opcodes, control frames over 125 bytes or fragmented, a wrong
 *    masking (a client's frames must be masked, a server's must not), bad continuations or a
 *    bad close frame; 1007 for text that is not UTF-8; WS_CR_DATA_TOO_BIG (1009) for a message
 *    over 10 MiB (as libevent 2.2).
 *  - evws_close(evws, reason) sends a close frame (with no code for WS_CR_NONE) and waits for
 *    the peer's (10 s at most); later sends are ignored.
 *  - the close callback runs exactly once when the session ends, for whatever reason (close
 *    handshake, error, peer gone, evws_connection_free); the session is freed right after it
 *    returns. evws_connection_free() ends a session at once (no close frame) and may be called
 *    from any of its callbacks.
 *
 * Threads: a session is not locked; use it only from the thread that runs its base's loop.
 */
#ifndef EVENT2_WS_H_INCLUDED_
#define EVENT2_WS_H_INCLUDED_

#include <event2/util.h>
#include <event2/visibility.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct evws_connection;
struct evhttp_request;
struct bufferevent;
struct event_base;
struct evdns_base;

/* Close codes, for evws_close() and from evws_connection_get_close_code() (which may also
 * give other RFC 6455 codes: 1005, 1006, 1007, ...). */
#define WS_CR_NONE 0 /**< evws_close(): send a close frame without a code */
#define WS_CR_NORMAL 1000 /**< normal closure */
#define WS_CR_PROTO_ERR 1002 /**< protocol error: a frame the protocol forbids */
#define WS_CR_DATA_TOO_BIG 1009 /**< a message over 10 MiB */

/* Message types, the `type` of a ws_on_msg_cb and of evws_send_message(). */
#define WS_TEXT_FRAME 0x1 /**< a text message (UTF-8) */
#define WS_BINARY_FRAME 0x2 /**< a binary message */

/** The message callback (evws_new_session(), evws_connect()): called with the session, the
 * message's type (WS_TEXT_FRAME or WS_BINARY_FRAME), its bytes (followed by a NUL, valid until
 * the callback returns) and length, and the session's argument. */
typedef void (*ws_on_msg_cb)(struct evws_connection *, int type, const unsigned char *, size_t, void *);
/** The close callback (evws_connection_set_closecb()): runs once, when the session ends, with
 * the session and its argument; the session is freed after it returns. */
typedef void (*ws_on_close_cb)(struct evws_connection *, void *);

/** event_rs extension: the open callback of a client session
 * (evws_connection_set_opencb()), called with the session and its argument once the opening
 * handshake succeeded. The client: evws_connect() and evws_connect_bufferevent() open a
 * session, evws_send_message() sends a message of either type with its length (both roles),
 * evws_connection_get_close_code() tells why a session ended. */
typedef void (*ws_on_open_cb)(struct evws_connection *, void *);

#include <event2/gen/ws.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_WS_H_INCLUDED_ */
