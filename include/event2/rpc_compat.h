/** @file
 * event_rs: the older, variadic forms of the EVTAG_ accessor macros (libevent 2.1.12's
 * event2/rpc_compat.h), for GNU C compilers. Included before or after event2/rpc.h (evrpc.h
 * includes both), they replace its EVTAG_ASSIGN() and EVTAG_GET(). */
#ifndef EVENT2_RPC_COMPAT_H_INCLUDED_
#define EVENT2_RPC_COMPAT_H_INCLUDED_

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(__STRICT_ANSI__)
#undef EVTAG_ASSIGN
#undef EVTAG_GET
#undef EVTAG_ADD
/** Sets field `member` of `msg`, passing the remaining arguments (the value, and a length for
 * byte arrays) to its assign function; 0, or -1 on failure. */
#define EVTAG_ASSIGN(msg, member, args...) (*(msg)->base->member##_assign)(msg, ## args)
/** Reads field `member` of `msg` (or an element of an array field: offset, then the place for
 * the value); 0, or -1 when it is not set. */
#define EVTAG_GET(msg, member, args...) (*(msg)->base->member##_get)(msg, ## args)
/** Appends to array field `member` of `msg` (with the value, for arrays of values); the new
 * element, or NULL on failure. */
#define EVTAG_ADD(msg, member, args...) (*(msg)->base->member##_add)(msg, ## args)
#endif
/** The old name of EVTAG_ARRAY_LEN(): the number of elements of array field `member`. */
#define EVTAG_LEN(msg, member) ((msg)->member##_length)

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_RPC_COMPAT_H_INCLUDED_ */
