/** @file
 * event_rs: libevent 2.1.12's event2/util.h (evutil): portable integer types, socket helpers,
 * address resolution and parsing, string, time and random-number helpers.
 *
 * These functions keep no state between calls (except the secure random generator, which is
 * thread-safe) and may be called from any thread. Where libevent would crash on a NULL
 * argument, they return their failure value instead, as documented with each.
 */
#ifndef EVENT2_UTIL_H_INCLUDED_
#define EVENT2_UTIL_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event-config.h>

#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>
#include <sys/types.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <netdb.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fixed-width integers under libevent's names: ev_uint64_t is uint64_t, and so on;
 * ev_uintptr_t and ev_intptr_t hold a pointer, ev_ssize_t is ssize_t, ev_socklen_t is
 * socklen_t. */
#define ev_uint64_t uint64_t
#define ev_int64_t int64_t
#define ev_uint32_t uint32_t
#define ev_int32_t int32_t
#define ev_uint16_t uint16_t
#define ev_int16_t int16_t
#define ev_uint8_t uint8_t
#define ev_int8_t int8_t
#define ev_uintptr_t uintptr_t
#define ev_intptr_t intptr_t
#define ev_ssize_t ssize_t
/* off_t is 64 bits here; libevent spells its own type as the fixed-width one. */
#define ev_off_t ev_int64_t
#define ev_socklen_t socklen_t

/* The limits of those types, under libevent's names (EV_SIZE_MAX and EV_SSIZE_MAX / MIN are
 * those of size_t and ssize_t, 64 bits here). */
#define EV_UINT64_MAX UINT64_MAX
#define EV_INT64_MAX INT64_MAX
#define EV_INT64_MIN INT64_MIN
#define EV_UINT32_MAX UINT32_MAX
#define EV_INT32_MAX INT32_MAX
#define EV_INT32_MIN INT32_MIN
#define EV_UINT16_MAX UINT16_MAX
#define EV_INT16_MAX INT16_MAX
#define EV_INT16_MIN INT16_MIN
#define EV_UINT8_MAX UINT8_MAX
#define EV_INT8_MAX INT8_MAX
#define EV_INT8_MIN INT8_MIN
#define EV_SIZE_MAX EV_UINT64_MAX
#define EV_SSIZE_MAX EV_INT64_MAX
#define EV_SSIZE_MIN ((-EV_SSIZE_MAX) - 1)

/** A socket: a file descriptor on this platform (an int). */
#define evutil_socket_t int
#define EVUTIL_INVALID_SOCKET -1 /**< The value of no socket. */

/* Socket errors: errno on this platform. */
#define EVUTIL_SOCKET_ERROR() (errno) /**< The last socket error of this thread (errno). */
#define EVUTIL_SET_SOCKET_ERROR(errcode) do { errno = (errcode); } while (0) /**< Sets the socket error (errno). */
#define evutil_socket_geterror(sock) (errno) /**< The last error of a socket's operations: errno. */
#define evutil_socket_error_to_string(errcode) (strerror(errcode)) /**< An error's message (strerror). */
#define EVUTIL_CLOSESOCKET(s) evutil_closesocket(s) /**< Closes a socket. */

/* Flags for evutil_configure_monotonic_time(). */
#define EV_MONOT_PRECISE 1 /**< Read the precise monotonic clock rather than the coarse one. */
#define EV_MONOT_FALLBACK 2 /**< Read the wall clock, adjusted so that it never goes back. */

/* Arithmetic on struct timeval (the C library's macros). */
#define evutil_timeradd(tvp, uvp, vvp) timeradd((tvp), (uvp), (vvp)) /**< `*vvp` = `*tvp` + `*uvp`. */
#define evutil_timersub(tvp, uvp, vvp) timersub((tvp), (uvp), (vvp)) /**< `*vvp` = `*tvp` - `*uvp`. */
#define evutil_timerclear(tvp) timerclear(tvp) /**< Sets a time to zero. */
#define evutil_timerisset(tvp) timerisset(tvp) /**< Non-zero when a time is not zero. */
/** Compares two times with a comparison operator given as `cmp` (such as `<` or `>=`). */
#define evutil_timercmp(tvp, uvp, cmp) \
	(((tvp)->tv_sec == (uvp)->tv_sec) ? ((tvp)->tv_usec cmp (uvp)->tv_usec) : ((tvp)->tv_sec cmp (uvp)->tv_sec))
#define evutil_offsetof(type, field) offsetof(type, field) /**< The offset of a field in a structure. */
#define evutil_gettimeofday(tv, tz) gettimeofday((tv), (tz)) /**< The wall-clock time (gettimeofday). */

/* getaddrinfo under libevent's names: the system's structure, and the system's error codes
 * and flags where <netdb.h> declares them (some only with _GNU_SOURCE); libevent's own numbers
 * otherwise, as its header does. */
/** evutil_getaddrinfo()'s result and hints: the system's `struct addrinfo`. */
#define evutil_addrinfo addrinfo
/** Error of evutil_getaddrinfo(): the host has no address of the family asked for. */
#ifdef EAI_ADDRFAMILY
#define EVUTIL_EAI_ADDRFAMILY EAI_ADDRFAMILY
#else
#define EVUTIL_EAI_ADDRFAMILY -901
#endif
/** Error of evutil_getaddrinfo(): a temporary failure of the name server: try again later. */
#ifdef EAI_AGAIN
#define EVUTIL_EAI_AGAIN EAI_AGAIN
#else
#define EVUTIL_EAI_AGAIN -902
#endif
/** Error of evutil_getaddrinfo(): invalid flags in the hints. */
#ifdef EAI_BADFLAGS
#define EVUTIL_EAI_BADFLAGS EAI_BADFLAGS
#else
#define EVUTIL_EAI_BADFLAGS -903
#endif
/** Error of evutil_getaddrinfo(): a failure of the name server that trying again will not cure. */
#ifdef EAI_FAIL
#define EVUTIL_EAI_FAIL EAI_FAIL
#else
#define EVUTIL_EAI_FAIL -904
#endif
/** Error of evutil_getaddrinfo(): the address family is not supported. */
#ifdef EAI_FAMILY
#define EVUTIL_EAI_FAMILY EAI_FAMILY
#else
#define EVUTIL_EAI_FAMILY -905
#endif
/** Error of evutil_getaddrinfo(): out of memory. */
#ifdef EAI_MEMORY
#define EVUTIL_EAI_MEMORY EAI_MEMORY
#else
#define EVUTIL_EAI_MEMORY -906
#endif
/** Error of evutil_getaddrinfo(): the host exists but has no address. */
#if defined(EAI_NODATA) && (!defined(EAI_NONAME) || EAI_NODATA != EAI_NONAME)
#define EVUTIL_EAI_NODATA EAI_NODATA
#else
#define EVUTIL_EAI_NODATA -907
#endif
/** Error of evutil_getaddrinfo(): the host or service is unknown, or neither was given. */
#ifdef EAI_NONAME
#define EVUTIL_EAI_NONAME EAI_NONAME
#else
#define EVUTIL_EAI_NONAME -908
#endif
/** Error of evutil_getaddrinfo(): the service is not available for the socket type asked for. */
#ifdef EAI_SERVICE
#define EVUTIL_EAI_SERVICE EAI_SERVICE
#else
#define EVUTIL_EAI_SERVICE -909
#endif
/** Error of evutil_getaddrinfo(): the socket type is not supported. */
#ifdef EAI_SOCKTYPE
#define EVUTIL_EAI_SOCKTYPE EAI_SOCKTYPE
#else
#define EVUTIL_EAI_SOCKTYPE -910
#endif
/** Error of evutil_getaddrinfo(): a system error: see errno. */
#ifdef EAI_SYSTEM
#define EVUTIL_EAI_SYSTEM EAI_SYSTEM
#else
#define EVUTIL_EAI_SYSTEM -911
#endif
#define EVUTIL_EAI_CANCEL -90001 /**< The asynchronous lookup was cancelled (evdns_getaddrinfo_cancel()). */

/* Flags of the hints' ai_flags for evutil_getaddrinfo(): the system's values, or
 * libevent's own where <netdb.h> lacks one. */
/** Flag of evutil_getaddrinfo(): without a host, give the wildcard address, for a socket that will listen. */
#ifdef AI_PASSIVE
#define EVUTIL_AI_PASSIVE AI_PASSIVE
#else
#define EVUTIL_AI_PASSIVE 0x1000
#endif
/** Flag of evutil_getaddrinfo(): put the host's canonical name in the first result's ai_canonname. */
#ifdef AI_CANONNAME
#define EVUTIL_AI_CANONNAME AI_CANONNAME
#else
#define EVUTIL_AI_CANONNAME 0x2000
#endif
/** Flag of evutil_getaddrinfo(): the host must be a numeric address: no name lookup. */
#ifdef AI_NUMERICHOST
#define EVUTIL_AI_NUMERICHOST AI_NUMERICHOST
#else
#define EVUTIL_AI_NUMERICHOST 0x4000
#endif
/** Flag of evutil_getaddrinfo(): the service must be a port number: no service lookup. */
#ifdef AI_NUMERICSERV
#define EVUTIL_AI_NUMERICSERV AI_NUMERICSERV
#else
#define EVUTIL_AI_NUMERICSERV 0x8000
#endif
/** Flag of evutil_getaddrinfo(): with AF_INET6 and no IPv6 address, give the IPv4 addresses as IPv4-mapped IPv6 ones. */
#ifdef AI_V4MAPPED
#define EVUTIL_AI_V4MAPPED AI_V4MAPPED
#else
#define EVUTIL_AI_V4MAPPED 0x10000
#endif
/** Flag of evutil_getaddrinfo(): with EVUTIL_AI_V4MAPPED, give both the IPv6 addresses and the mapped IPv4 ones. */
#ifdef AI_ALL
#define EVUTIL_AI_ALL AI_ALL
#else
#define EVUTIL_AI_ALL 0x20000
#endif
/** Flag of evutil_getaddrinfo(): only the families for which this host has an address configured. */
#ifdef AI_ADDRCONFIG
#define EVUTIL_AI_ADDRCONFIG AI_ADDRCONFIG
#else
#define EVUTIL_AI_ADDRCONFIG 0x40000
#endif

struct sockaddr;
struct evutil_addrinfo;
/** A monotonic clock reader. Opaque; made by evutil_monotonic_timer_new(), freed by
 * evutil_monotonic_timer_free(). */
struct evutil_monotonic_timer;
struct tm;

/** Formats text into a buffer as snprintf does, always NUL-terminated when `buflen` is not 0.
 * @param buf the buffer.
 * @param buflen its size; 0 writes nothing.
 * @param format a printf format, followed by its arguments.
 * @return the length of the whole text (the text was cut when it is not below `buflen`); 0
 * when `buflen` is 0; negative on a formatting error. */
int evutil_snprintf(char *buf, size_t buflen, const char *format, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 3, 4)))
#endif
	;
/** As evutil_snprintf(), with the arguments as a va_list.
 * @param buf the buffer.
 * @param buflen its size.
 * @param format the format.
 * @param ap the arguments.
 * @return as evutil_snprintf(). */
int evutil_vsnprintf(char *buf, size_t buflen, const char *format, va_list ap)
#ifdef __GNUC__
	__attribute__((format(printf, 3, 0)))
#endif
	;

/** Makes a pair of connected sockets, as socketpair does (the array parameter is libevent's
 * spelling).
 * @param d the family, AF_UNIX (AF_LOCAL) on this platform.
 * @param type SOCK_STREAM or SOCK_DGRAM, possibly with SOCK_NONBLOCK or SOCK_CLOEXEC.
 * @param protocol 0.
 * @param sv receives the two sockets, which the caller closes with evutil_closesocket().
 * @return 0, or -1 with errno set (EFAULT when `sv` is NULL). */
int evutil_socketpair(int d, int type, int protocol, evutil_socket_t sv[2]);

#include <event2/gen/util.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_UTIL_H_INCLUDED_ */
