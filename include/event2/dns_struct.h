/** @file
 * The DNS server's view of a query: the structures a server port's callback
 * (evdns_request_callback_fn_type) reads directly. The layout is libevent's.
 */
#ifndef EVENT2_DNS_STRUCT_H_INCLUDED_
#define EVENT2_DNS_STRUCT_H_INCLUDED_

#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <event2/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A query received by a server port. The library owns it (and its questions) until
 * evdns_server_request_respond() succeeds or evdns_server_request_drop() is called; the
 * program reads these fields and must not change them except through the evdns calls.
 * The library allocates more than these fields (the rest is private). */
struct evdns_server_request {
	int flags;      /**< the query's header bits kept for the reply (RD and CD); the reply's flags are built from these */
	int nquestions; /**< how many entries `questions` has (usually 1) */
	struct evdns_server_question **questions; /**< the questions, in the order of the query */
};

/** One question of a query: its type, its class, and the name (a NUL-terminated string
 * stored in place: the struct is allocated with room for it). */
struct evdns_server_question {
	int type;       /**< the record type asked: EVDNS_TYPE_* or EVDNS_QTYPE_* */
#ifdef __cplusplus
	int dns_question_class; /**< the class asked, usually EVDNS_CLASS_INET */
#else
	/** The class asked, usually EVDNS_CLASS_INET. Read it as dns_question_class; "class" is
	 * the old name, kept for C programs. */
	int class;
/** The portable name of the question's class field (`class` is a keyword in C++). */
#define dns_question_class class
#endif
	char name[1];   /**< the name asked, without the final dot */
};

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_DNS_STRUCT_H_INCLUDED_ */
