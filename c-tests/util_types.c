/* The ev_* integer types and limits, socket and error macros, and constants of event2/util.h.
 * compare-output: sizes and values must equal the system's headers'. */
#include <event2/util.h>
#include <evutil.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "check.h"

struct with_offset { char c; ev_uint64_t v; };

#define SHOW_TYPE(t) printf("%-14s size %zu signed %d\n", #t, sizeof(t), (t)-1 < (t)0)
#define SHOW_INT(x) printf("%-22s %lld\n", #x, (long long)(x))
#define SHOW_UINT(x) printf("%-22s %llu\n", #x, (unsigned long long)(x))

int main(void)
{
	SHOW_TYPE(ev_uint64_t); SHOW_TYPE(ev_int64_t); SHOW_TYPE(ev_uint32_t); SHOW_TYPE(ev_int32_t);
	SHOW_TYPE(ev_uint16_t); SHOW_TYPE(ev_int16_t); SHOW_TYPE(ev_uint8_t); SHOW_TYPE(ev_int8_t);
	SHOW_TYPE(ev_uintptr_t); SHOW_TYPE(ev_intptr_t); SHOW_TYPE(ev_ssize_t); SHOW_TYPE(ev_off_t);
	SHOW_TYPE(ev_socklen_t); SHOW_TYPE(evutil_socket_t);
	SHOW_UINT(EV_UINT64_MAX); SHOW_INT(EV_INT64_MAX); SHOW_INT(EV_INT64_MIN);
	SHOW_UINT(EV_UINT32_MAX); SHOW_INT(EV_INT32_MAX); SHOW_INT(EV_INT32_MIN);
	SHOW_UINT(EV_UINT16_MAX); SHOW_INT(EV_INT16_MAX); SHOW_INT(EV_INT16_MIN);
	SHOW_UINT(EV_UINT8_MAX); SHOW_INT(EV_INT8_MAX); SHOW_INT(EV_INT8_MIN);
	SHOW_UINT(EV_SIZE_MAX); SHOW_INT(EV_SSIZE_MAX); SHOW_INT(EV_SSIZE_MIN);
	SHOW_INT(EVUTIL_INVALID_SOCKET);
	SHOW_INT(EV_MONOT_PRECISE); SHOW_INT(EV_MONOT_FALLBACK);
	SHOW_INT(EVUTIL_EAI_ADDRFAMILY); SHOW_INT(EVUTIL_EAI_AGAIN); SHOW_INT(EVUTIL_EAI_BADFLAGS);
	SHOW_INT(EVUTIL_EAI_FAIL); SHOW_INT(EVUTIL_EAI_FAMILY); SHOW_INT(EVUTIL_EAI_MEMORY);
	SHOW_INT(EVUTIL_EAI_NODATA); SHOW_INT(EVUTIL_EAI_NONAME); SHOW_INT(EVUTIL_EAI_SERVICE);
	SHOW_INT(EVUTIL_EAI_SOCKTYPE); SHOW_INT(EVUTIL_EAI_SYSTEM); SHOW_INT(EVUTIL_EAI_CANCEL);
	SHOW_INT(EVUTIL_AI_PASSIVE); SHOW_INT(EVUTIL_AI_CANONNAME); SHOW_INT(EVUTIL_AI_NUMERICHOST);
	SHOW_INT(EVUTIL_AI_NUMERICSERV); SHOW_INT(EVUTIL_AI_V4MAPPED); SHOW_INT(EVUTIL_AI_ALL);
	SHOW_INT(EVUTIL_AI_ADDRCONFIG);
	SHOW_INT(evutil_offsetof(struct with_offset, v));
	SHOW_INT(sizeof(struct evutil_addrinfo));

	errno = EPIPE;
	CHECK_EQ(EVUTIL_SOCKET_ERROR(), EPIPE);
	EVUTIL_SET_SOCKET_ERROR(EINTR);
	CHECK_EQ(errno, EINTR);
	CHECK_EQ(evutil_socket_geterror(0), EINTR);
	printf("%s\n", evutil_socket_error_to_string(ECONNREFUSED));
	return 0;
}
