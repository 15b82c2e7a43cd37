/* event_rs: the DNS server's view of a query, which server callbacks read directly. The
 * layout is libevent's. */
#ifndef EVENT2_DNS_STRUCT_H_INCLUDED_
#define EVENT2_DNS_STRUCT_H_INCLUDED_

#include <event2/event-config.h>
#include <sys/types.h>
#include <sys/time.h>
#include <event2/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A query received by a server port. The library owns it until
 * evdns_server_request_respond() or evdns_server_request_drop(). */
struct evdns_server_request {
	int flags;      /* the query's RD and CD bits; the reply's flags are built from these */
	int nquestions;
	struct evdns_server_question **questions;
};

/* One question: its type, its class, and the name (NUL-terminated, stored in place). */
struct evdns_server_question {
	int type;
#ifdef __cplusplus
	int dns_question_class;
#else
	/* Read it as dns_question_class; "class" is the old name, kept for C programs. */
	int class;
#define dns_question_class class
#endif
	char name[1];
};

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_DNS_STRUCT_H_INCLUDED_ */
