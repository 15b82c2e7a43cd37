/** @file
 * The list of key/value pairs evhttp uses for headers and parsed query strings
 * (struct evkeyvalq of struct evkeyval). The list is a BSD `<sys/queue.h>` tail queue;
 * programs read it with TAILQ_FOREACH and change it only through the evhttp_* calls
 * (evhttp_add_header(), evhttp_remove_header(), evhttp_clear_headers()...), which own the
 * entries and their strings.
 */
#ifndef EVENT2_KEYVALQ_STRUCT_H_INCLUDED_
#define EVENT2_KEYVALQ_STRUCT_H_INCLUDED_

#ifdef __cplusplus
extern "C" {
#endif

/* When <sys/queue.h> was not included, the two queue macros the structures need are defined
 * here for this header only (and undefined at its end). */
#ifndef TAILQ_ENTRY
#define EVENT_RS_KV_DEFINED_TQENTRY_
/** The links of one entry of a tail queue (`<sys/queue.h>`'s layout). */
#define TAILQ_ENTRY(type) struct { struct type *tqe_next; struct type **tqe_prev; }
#endif
#ifndef TAILQ_HEAD
#define EVENT_RS_KV_DEFINED_TQHEAD_
/** The head of a tail queue: the first entry and the last entry's next link. */
#define TAILQ_HEAD(name, type) struct name { struct type *tqh_first; struct type **tqh_last; }
#endif

/** One pair: a header line, or a field of a query string. Walk a list with
 * `TAILQ_FOREACH(kv, headers, next)`. The strings are NUL-terminated and belong to the list. */
struct evkeyval {
	TAILQ_ENTRY(evkeyval) next; /**< the links to the neighbouring pairs */
	char *key;                  /**< the name (a header's name as received, case kept) */
	char *value;                /**< the value */
};

/** A list of struct evkeyval, in the order the pairs were added or received
 * (`tqh_first` is the first; empty when NULL). */
TAILQ_HEAD(evkeyvalq, evkeyval);

#ifdef EVENT_RS_KV_DEFINED_TQENTRY_
#undef TAILQ_ENTRY
#undef EVENT_RS_KV_DEFINED_TQENTRY_
#endif
#ifdef EVENT_RS_KV_DEFINED_TQHEAD_
#undef TAILQ_HEAD
#undef EVENT_RS_KV_DEFINED_TQHEAD_
#endif

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_KEYVALQ_STRUCT_H_INCLUDED_ */
