/* event_rs: the deprecated DNS calls, which act on one global evdns_base (made by
 * evdns_init() on the current event base of event_init()). */
#ifndef EVENT2_DNS_COMPAT_H_INCLUDED_
#define EVENT2_DNS_COMPAT_H_INCLUDED_

#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <event2/util.h>
#include <event2/visibility.h>
/* The callback types the calls take. */
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
