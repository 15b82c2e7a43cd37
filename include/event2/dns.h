/* event_rs: asynchronous DNS: the resolver (evdns_base), evdns_getaddrinfo, and DNS server
 * ports. Results come through callbacks that the event loop runs; the server's request and
 * question structures are in <event2/dns_struct.h>. */
#ifndef EVENT2_DNS_H_INCLUDED_
#define EVENT2_DNS_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Results given to callbacks: 0-5 are the codes of RFC 1035 replies, the others local. */
#define DNS_ERR_NONE 0
#define DNS_ERR_FORMAT 1
#define DNS_ERR_SERVERFAILED 2
#define DNS_ERR_NOTEXIST 3
#define DNS_ERR_NOTIMPL 4
#define DNS_ERR_REFUSED 5
#define DNS_ERR_TRUNCATED 65
#define DNS_ERR_UNKNOWN 66
#define DNS_ERR_TIMEOUT 67
#define DNS_ERR_SHUTDOWN 68
#define DNS_ERR_CANCEL 69
#define DNS_ERR_NODATA 70

/* What a successful callback's addresses are: 4-byte IPv4 addresses, a pointer to the PTR
 * name (a char **), or 16-byte IPv6 addresses. */
#define DNS_IPv4_A 1
#define DNS_PTR 2
#define DNS_IPv6_AAAA 3

/* Lookup flag: do not use the search list. */
#define DNS_QUERY_NO_SEARCH 1
#define DNS_NO_SEARCH DNS_QUERY_NO_SEARCH

/* What evdns_base_resolv_conf_parse() reads. */
#define DNS_OPTION_SEARCH 1
#define DNS_OPTION_NAMESERVERS 2
#define DNS_OPTION_MISC 4
#define DNS_OPTION_HOSTSFILE 8
#define DNS_OPTIONS_ALL (DNS_OPTION_SEARCH | DNS_OPTION_NAMESERVERS | DNS_OPTION_MISC | DNS_OPTION_HOSTSFILE | 0)
/* With DNS_OPTION_NAMESERVERS: no 127.0.0.1 when the file names no nameserver. */
#define DNS_OPTION_NAMESERVERS_NO_DEFAULT 16

/* evdns_base_new() flags. */
#define EVDNS_BASE_INITIALIZE_NAMESERVERS 1
#define EVDNS_BASE_DISABLE_WHEN_INACTIVE 0x8000
#define EVDNS_BASE_NAMESERVERS_NO_DEFAULT 0x10000

/* Server replies: sections, record types and classes, header flags. */
#define EVDNS_ANSWER_SECTION 0
#define EVDNS_AUTHORITY_SECTION 1
#define EVDNS_ADDITIONAL_SECTION 2

#define EVDNS_TYPE_A 1
#define EVDNS_TYPE_NS 2
#define EVDNS_TYPE_CNAME 5
#define EVDNS_TYPE_SOA 6
#define EVDNS_TYPE_PTR 12
#define EVDNS_TYPE_MX 15
#define EVDNS_TYPE_TXT 16
#define EVDNS_TYPE_AAAA 28

#define EVDNS_QTYPE_AXFR 252
#define EVDNS_QTYPE_ALL 255

#define EVDNS_CLASS_INET 1

#define EVDNS_FLAGS_AA 0x400
#define EVDNS_FLAGS_RD 0x080

struct event_base;
struct evdns_base;
struct evdns_request;
struct evdns_server_port;
struct evdns_server_request;
struct evdns_server_question;
struct evdns_getaddrinfo_request;
struct in_addr;
struct in6_addr;
struct sockaddr;

/* A lookup's result: (DNS_ERR_*, DNS_IPv4_A / DNS_PTR / DNS_IPv6_AAAA, count, TTL in
 * seconds, addresses, the argument given with the lookup). */
typedef void (*evdns_callback_type)(int result, char type, int count, int ttl, void *addresses, void *arg);

/* Receives every evdns message when set (is_warning: 1 for warnings). */
typedef void (*evdns_debug_log_fn_type)(int is_warning, const char *msg);

/* A server port's callback, for each query received. */
typedef void (*evdns_request_callback_fn_type)(struct evdns_server_request *, void *);

/* evdns_getaddrinfo()'s result: the getaddrinfo code and the list (free it with
 * evutil_freeaddrinfo()). */
typedef void (*evdns_getaddrinfo_cb)(int result, struct evutil_addrinfo *res, void *arg);

#include <event2/gen/dns.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_DNS_H_INCLUDED_ */
