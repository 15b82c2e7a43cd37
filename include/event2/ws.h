/* event_rs: WebSocket (RFC 6455) sessions, with libevent 2.2's event2/ws.h names, prototypes
 * and constants on the 2.1 ABI, plus a client that no libevent has (marked below).
 * The function prototypes are generated from the library (event2/gen/ws.h).
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

/* Close codes (evws_close) */
#define WS_CR_NONE 0
#define WS_CR_NORMAL 1000
#define WS_CR_PROTO_ERR 1002
#define WS_CR_DATA_TOO_BIG 1009

/* Message types (ws_on_msg_cb) */
#define WS_TEXT_FRAME 0x1
#define WS_BINARY_FRAME 0x2

typedef void (*ws_on_msg_cb)(struct evws_connection *, int type, const unsigned char *, size_t, void *);
typedef void (*ws_on_close_cb)(struct evws_connection *, void *);

/* ---- event_rs extension: the WebSocket client (not in any libevent) ----
 *
 * struct evws_connection *evws_connect(struct event_base *base, struct evdns_base *dnsbase,
 *     const char *uri, int options, ws_on_msg_cb on_msg, void *arg);
 *   Connects to uri ("ws://host[:port]/path?query", or "wss://..." over TLS that checks the
 *   server's certificate against the system's trust store, or SSL_CERT_FILE / SSL_CERT_DIR,
 *   and its host name), sends the opening handshake with a random key and checks the server's
 *   Sec-WebSocket-Accept. dnsbase may be NULL (the system's resolver). options: 0 (reserved).
 *   NULL for a bad URI or when the connection cannot be started; otherwise the session, whose
 *   callbacks the program sets before returning to the loop. Frames it sends are masked.
 *
 * struct evws_connection *evws_connect_bufferevent(struct bufferevent *bev,
 *     struct evdns_base *dnsbase, const char *uri, int options, ws_on_msg_cb on_msg, void *arg);
 *   The same over the program's unconnected socket bufferevent (e.g. one from
 *   bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_CONNECTING,
 *   BEV_OPT_CLOSE_ON_FREE) for a TLS set up by the program). The session owns bev; it is freed
 *   when NULL is returned.
 *
 * void evws_send_message(struct evws_connection *evws, int type, const void *data, size_t len);
 *   Sends one message of type WS_TEXT_FRAME or WS_BINARY_FRAME (others are ignored) with its
 *   length: a text may hold U+0000, which evws_send_text (a C string) would cut at. Both roles.
 *
 * void evws_connection_set_opencb(struct evws_connection *evws, ws_on_open_cb cb, void *arg);
 *   cb runs when the handshake succeeded; sends made before it are dropped. A connection or
 *   handshake that fails runs the close callback instead (close code 1006).
 *
 * int evws_connection_get_close_code(struct evws_connection *evws);
 *   For both roles, best read in the close callback: the code of the peer's close frame (1005
 *   when it had none), else the code this side failed the session with, else 1006 (the
 *   connection ended without a close frame).
 */
typedef void (*ws_on_open_cb)(struct evws_connection *, void *);

#include <event2/gen/ws.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_WS_H_INCLUDED_ */
