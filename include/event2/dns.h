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
/* libevent 2.2: with DNS_CNAME_CALLBACK, the canonical name (a char **, like DNS_PTR's),
 * given in a call of its own just before the addresses' call. */
#define DNS_CNAME 4

/* Lookup flag: do not use the search list. */
#define DNS_QUERY_NO_SEARCH 1
#define DNS_NO_SEARCH DNS_QUERY_NO_SEARCH
/* libevent 2.2's lookup flags: ask over TCP; take a truncated UDP answer as it is (without
 * it, a truncated answer is asked for again over TCP, DNS_ERR_TRUNCATED when TCP fails);
 * report the end of the CNAME chain (DNS_CNAME) before the addresses. */
#define DNS_QUERY_USEVC 0x02
#define DNS_QUERY_IGNTC 0x04
#define DNS_CNAME_CALLBACK 0x80

/* What evdns_base_resolv_conf_parse() reads. */
#define DNS_OPTION_SEARCH 1
#define DNS_OPTION_NAMESERVERS 2
#define DNS_OPTION_MISC 4
#define DNS_OPTION_HOSTSFILE 8
#define DNS_OPTIONS_ALL (DNS_OPTION_SEARCH | DNS_OPTION_NAMESERVERS | DNS_OPTION_MISC | DNS_OPTION_HOSTSFILE | 0)
/* With DNS_OPTION_NAMESERVERS: no 127.0.0.1 when the file names no nameserver. */
#define DNS_OPTION_NAMESERVERS_NO_DEFAULT 16

/* evdns_base_resolv_conf_parse()'s results (named in libevent 2.2; the same in 2.1). */
#define EVDNS_ERROR_NONE 0
#define EVDNS_ERROR_FAILED_TO_OPEN_FILE 1
#define EVDNS_ERROR_FAILED_TO_STAT_FILE 2
#define EVDNS_ERROR_FILE_TOO_LARGE 3
#define EVDNS_ERROR_OUT_OF_MEMORY 4
#define EVDNS_ERROR_SHORT_READ_FROM_FILE 5
#define EVDNS_ERROR_NO_NAMESERVERS_CONFIGURED 6

/* evdns_base_new() flags. */
#define EVDNS_BASE_INITIALIZE_NAMESERVERS 1
#define EVDNS_BASE_DISABLE_WHEN_INACTIVE 0x8000
#define EVDNS_BASE_NAMESERVERS_NO_DEFAULT 0x10000
/* libevent 2.2: no response cache. (Here the cache is off anyway until the program writes
 * to it with evdns_cache_write(); with this flag it stays off.) */
#define EVDNS_BASE_NO_CACHE 0x10

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
struct evconnlistener;
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

/* libevent 2.2's evdns_server_port_set_option() options (enum evdns_server_option:
 * EVDNS_SOPT_TCP_MAX_CLIENTS, EVDNS_SOPT_TCP_IDLE_TIMEOUT) are declared with the
 * prototypes. */
#include <event2/gen/dns.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_DNS_H_INCLUDED_ */
