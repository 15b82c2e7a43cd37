/** @file
 * The libevent 1.x name of the DNS API: includes `<event.h>` and the three DNS headers
 * (`<event2/dns.h>`, `<event2/dns_compat.h>`, `<event2/dns_struct.h>`). New code includes
 * `<event2/dns.h>` instead.
 */
#ifndef EVENT1_EVDNS_H_INCLUDED_
#define EVENT1_EVDNS_H_INCLUDED_

#include <event.h>
#include <event2/dns.h>
#include <event2/dns_compat.h>
#include <event2/dns_struct.h>

#endif /* EVENT1_EVDNS_H_INCLUDED_ */
