/** @file
 * Asynchronous DNS: the resolver (struct evdns_base), its lookups (evdns_base_resolve_*,
 * evdns_getaddrinfo), and DNS server ports.
 *
 * Results come through callbacks that the event loop runs, never from within the call that
 * started the lookup (except evdns_getaddrinfo(), which answers numeric addresses, hosts
 * entries and cache hits at once). The server's request and question structures are in
 * `<event2/dns_struct.h>`.
 *
 * Threads: a resolver or server port may be used from several threads once threads are
 * enabled (evthread_use_pthreads()) before its event base was made; each call takes the
 * object's lock. Callbacks run in the thread that runs the event loop, with no lock of the
 * library held.
 *
 * Where libevent crashes on a NULL resolver, request or string, these functions return their
 * failure value (-1, NULL or nothing). libevent 2.2's DNS additions (DNS over TCP, TCP server
 * ports, the CNAME callback, the cache, nameserver sockets, new options) are provided on the
 * 2.1 ABI; see each declaration for where the behaviour differs.
 */
#ifndef EVENT2_DNS_H_INCLUDED_
#define EVENT2_DNS_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Results given to callbacks: 0-5 are the codes of RFC 1035 replies, the others local. */
#define DNS_ERR_NONE 0           /**< success */
#define DNS_ERR_FORMAT 1         /**< the nameserver could not read the query */
#define DNS_ERR_SERVERFAILED 2   /**< the nameserver reported a failure */
#define DNS_ERR_NOTEXIST 3       /**< the name does not exist (NXDOMAIN) */
#define DNS_ERR_NOTIMPL 4        /**< the nameserver does not do this kind of query */
#define DNS_ERR_REFUSED 5        /**< the nameserver refused to answer */
#define DNS_ERR_TRUNCATED 65     /**< the reply was truncated or malformed (a truncated UDP reply is asked again over TCP first) */
#define DNS_ERR_UNKNOWN 66       /**< an unknown error */
#define DNS_ERR_TIMEOUT 67       /**< no answer after every attempt */
#define DNS_ERR_SHUTDOWN 68      /**< the resolver was freed with fail_requests set */
#define DNS_ERR_CANCEL 69        /**< the lookup was cancelled */
#define DNS_ERR_NODATA 70        /**< the name exists but has no record of the type asked */

/* What a successful callback's addresses are. */
#define DNS_IPv4_A 1             /**< an array of 4-byte IPv4 addresses, network order */
#define DNS_PTR 2                /**< a `char **` pointing at the name found */
#define DNS_IPv6_AAAA 3          /**< an array of 16-byte IPv6 addresses */
/** libevent 2.2: with DNS_CNAME_CALLBACK, the canonical name (a `char **`, as for DNS_PTR),
 * given in a call of its own just before the call with the addresses. */
#define DNS_CNAME 4

/** Lookup flag: look the name up as given, not through the search list. */
#define DNS_QUERY_NO_SEARCH 1
/** The old name of DNS_QUERY_NO_SEARCH. */
#define DNS_NO_SEARCH DNS_QUERY_NO_SEARCH
/* libevent 2.2's lookup flags (on the 2.1 ABI). Deliberate difference: without
 * DNS_QUERY_IGNTC a truncated UDP answer is asked for again over TCP, as libevent 2.2 does;
 * 2.1.12 reports DNS_ERR_TRUNCATED, which is what happens here when TCP fails. */
#define DNS_QUERY_USEVC 0x02     /**< ask over TCP from the start */
#define DNS_QUERY_IGNTC 0x04     /**< take a truncated UDP answer as it is */
#define DNS_CNAME_CALLBACK 0x80  /**< report the end of the CNAME chain (DNS_CNAME) before the addresses */

/* What evdns_base_resolv_conf_parse() reads from the file. */
#define DNS_OPTION_SEARCH 1      /**< "domain" and "search" lines, and the "ndots:" option */
#define DNS_OPTION_NAMESERVERS 2 /**< "nameserver" lines, and the "bind-to:" option */
#define DNS_OPTION_MISC 4        /**< the other "options" (timeout, attempts...) */
#define DNS_OPTION_HOSTSFILE 8   /**< also load /etc/hosts */
/** Everything: the four DNS_OPTION_* above. */
#define DNS_OPTIONS_ALL (DNS_OPTION_SEARCH | DNS_OPTION_NAMESERVERS | DNS_OPTION_MISC | DNS_OPTION_HOSTSFILE | 0)
/** With DNS_OPTION_NAMESERVERS: add no 127.0.0.1 when the file names no nameserver. */
#define DNS_OPTION_NAMESERVERS_NO_DEFAULT 16

/* evdns_base_resolv_conf_parse()'s results (named in libevent 2.2; the values are 2.1's). */
#define EVDNS_ERROR_NONE 0                       /**< the file was read */
#define EVDNS_ERROR_FAILED_TO_OPEN_FILE 1        /**< no such file: defaults applied */
#define EVDNS_ERROR_FAILED_TO_STAT_FILE 2        /**< the file could not be read */
#define EVDNS_ERROR_FILE_TOO_LARGE 3             /**< not returned here (no size limit) */
#define EVDNS_ERROR_OUT_OF_MEMORY 4              /**< not returned here */
#define EVDNS_ERROR_SHORT_READ_FROM_FILE 5       /**< not returned here (a failed read is EVDNS_ERROR_FAILED_TO_STAT_FILE) */
#define EVDNS_ERROR_NO_NAMESERVERS_CONFIGURED 6  /**< no nameserver in the file: 127.0.0.1 added */

/* evdns_base_new() flags. */
#define EVDNS_BASE_INITIALIZE_NAMESERVERS 1      /**< read /etc/resolv.conf (and /etc/hosts) at once */
#define EVDNS_BASE_DISABLE_WHEN_INACTIVE 0x8000  /**< stop reading the nameservers' sockets while no lookup is under way, so an idle resolver does not keep the loop running */
#define EVDNS_BASE_NAMESERVERS_NO_DEFAULT 0x10000 /**< with EVDNS_BASE_INITIALIZE_NAMESERVERS: no 127.0.0.1 when the file names no nameserver */
/** libevent 2.2: no response cache. Deliberate difference: the cache is off here anyway until
 * the program writes to it with evdns_cache_write(); with this flag it stays off. */
#define EVDNS_BASE_NO_CACHE 0x10

/* Server replies: the section a record goes to (evdns_server_request_add_reply()). */
#define EVDNS_ANSWER_SECTION 0      /**< answers to the question */
#define EVDNS_AUTHORITY_SECTION 1   /**< the zone's authoritative nameservers */
#define EVDNS_ADDITIONAL_SECTION 2  /**< other helpful records (addresses of those nameservers...) */

/* Record types (RFC 1035 and 3596), for questions and replies. */
#define EVDNS_TYPE_A 1        /**< an IPv4 address */
#define EVDNS_TYPE_NS 2       /**< an authoritative nameserver */
#define EVDNS_TYPE_CNAME 5    /**< the canonical name of an alias */
#define EVDNS_TYPE_SOA 6      /**< the start of a zone of authority */
#define EVDNS_TYPE_PTR 12     /**< a name pointer (reverse lookups) */
#define EVDNS_TYPE_MX 15      /**< a mail exchanger */
#define EVDNS_TYPE_TXT 16     /**< text */
#define EVDNS_TYPE_AAAA 28    /**< an IPv6 address */

/* Question types only. */
#define EVDNS_QTYPE_AXFR 252  /**< a zone transfer */
#define EVDNS_QTYPE_ALL 255   /**< every record of the name */

/** The Internet class, the only one in common use. */
#define EVDNS_CLASS_INET 1

/* Reply header bits for evdns_server_request_set_flags(). */
#define EVDNS_FLAGS_AA 0x400  /**< the answer is authoritative */
#define EVDNS_FLAGS_RD 0x080  /**< libevent's value, kept for compatibility; on the wire 0x080 is the RA (recursion available) bit */

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

/** A lookup's result, called once per lookup of evdns_base_resolve_*() from the event loop.
 * @param result DNS_ERR_NONE or another DNS_ERR_* code.
 * @param type DNS_IPv4_A, DNS_IPv6_AAAA, DNS_PTR, or DNS_CNAME (before the addresses' call).
 * @param count how many addresses (1 for a name); 0 on error.
 * @param ttl how long the answer may be kept, in seconds.
 * @param addresses the addresses or a `char **` (see DNS_IPv4_A...); owned by the library and
 *        valid during the call only; NULL on error.
 * @param arg the pointer given with the lookup. */
typedef void (*evdns_callback_type)(int result, char type, int count, int ttl, void *addresses, void *arg);

/** Receives every evdns message once set with evdns_set_log_fn().
 * @param is_warning 1 for a warning, 0 for other messages (debug ones included).
 * @param msg the text, valid during the call only. */
typedef void (*evdns_debug_log_fn_type)(int is_warning, const char *msg);

/** A server port's callback, called from the loop for each query received. The request is
 * the callback's to answer (evdns_server_request_respond()) or drop
 * (evdns_server_request_drop()), now or later; the second argument is the port's user data. */
typedef void (*evdns_request_callback_fn_type)(struct evdns_server_request *, void *);

/** evdns_getaddrinfo()'s result.
 * @param result 0 or a getaddrinfo EAI_* code (EAI_CANCEL after a cancel).
 * @param res the addresses, which the callback owns (free with evutil_freeaddrinfo()); NULL on
 *        error.
 * @param arg the pointer given with the lookup. */
typedef void (*evdns_getaddrinfo_cb)(int result, struct evutil_addrinfo *res, void *arg);

/* libevent 2.2's evdns_server_port_set_option() options (enum evdns_server_option:
 * EVDNS_SOPT_TCP_MAX_CLIENTS, EVDNS_SOPT_TCP_IDLE_TIMEOUT) are declared with the
 * prototypes. */
#include <event2/gen/dns.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_DNS_H_INCLUDED_ */
