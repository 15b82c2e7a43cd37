/** @file
 * event_rs: libevent's symbol-visibility markers (its event2/visibility.h). libevent puts them
 * in front of its declarations to export them from its shared libraries; every public function
 * of this library is exported already, so they are defined empty, for programs that use them.
 */
#ifndef EVENT2_VISIBILITY_H_INCLUDED_
#define EVENT2_VISIBILITY_H_INCLUDED_

#include <event2/event-config.h>

/* The markers of libevent's libraries (libevent, _core, _extra, _pthreads, _openssl), all
 * empty here: one library, libevent_rs, exports everything. */
#define EVENT2_EXPORT_SYMBOL
#define EVENT2_CORE_EXPORT_SYMBOL
#define EVENT2_EXTRA_EXPORT_SYMBOL
#define EVENT2_PTHREADS_EXPORT_SYMBOL
#define EVENT2_OPENSSL_EXPORT_SYMBOL

#endif
