/** @file
 * Deprecated DNS calls from libevent 1.x, which act on one global resolver (an evdns_base made
 * by evdns_init() on the current event base of event_init(), or by the first call that
 * configures it). New code uses the evdns_base_* calls of `<event2/dns.h>`; a program mixing
 * both can reach the global resolver through evdns_get_global_base().
 *
 * Where libevent crashes when there is no global resolver, these calls fail (-1) or do nothing.
 * They are as thread-safe as the evdns_base_* calls they forward to, except evdns_init() and
 * evdns_shutdown(), which replace the global resolver and must not race with the others.
 */
#ifndef EVENT2_DNS_COMPAT_H_INCLUDED_
#define EVENT2_DNS_COMPAT_H_INCLUDED_

#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <event2/util.h>
#include <event2/visibility.h>
/* The callback types and constants the calls take. */
#include <event2/dns.h>

#ifdef __cplusplus
extern "C" {
#endif

struct evdns_base;
struct evdns_server_port;
struct in_addr;
struct in6_addr;

#include <event2/gen/dns_compat.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_DNS_COMPAT_H_INCLUDED_ */
