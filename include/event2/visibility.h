/* event_rs: symbol visibility for the public API (all of it is exported). */
#ifndef EVENT2_VISIBILITY_H_INCLUDED_
#define EVENT2_VISIBILITY_H_INCLUDED_

#include <event2/event-config.h>

#define EVENT2_EXPORT_SYMBOL
#define EVENT2_CORE_EXPORT_SYMBOL
#define EVENT2_EXTRA_EXPORT_SYMBOL
#define EVENT2_PTHREADS_EXPORT_SYMBOL
#define EVENT2_OPENSSL_EXPORT_SYMBOL

#endif
