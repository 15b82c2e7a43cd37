/** @file
 * event_rs: prepare and check watchers (libevent 2.2's event2/watch.h, on the 2.1 ABI).
 *
 * A prepare watcher runs in the event loop just before it waits for events, a check watcher
 * just after the wait returns and before timers and callbacks are processed. Watchers of each
 * kind run in the order they were added, with the base unlocked; a watcher may free itself (or
 * another) from its callback. event_base_free() frees the watchers left. Watchers do not count
 * as events: a loop with nothing but watchers returns at once. */
#ifndef EVENT2_WATCH_H_INCLUDED_
#define EVENT2_WATCH_H_INCLUDED_

#include <event2/visibility.h>
#include <event2/event-config.h>
#include <sys/time.h>

#ifdef __cplusplus
extern "C" {
#endif

struct event_base;
/** A prepare or check watcher. Opaque; made by evwatch_prepare_new() or evwatch_check_new(),
 * freed by evwatch_free() or with its base. */
struct evwatch;
/** Opaque: what a prepare watcher is told, valid during its callback only (read it with
 * evwatch_prepare_get_timeout()). */
struct evwatch_prepare_cb_info;
/** Opaque, and empty for now: what a check watcher is told. */
struct evwatch_check_cb_info;

/** A prepare watcher's callback, as cb(watcher, info, arg), run just before the loop waits. */
typedef void (*evwatch_prepare_cb)(struct evwatch *, const struct evwatch_prepare_cb_info *, void *);
/** A check watcher's callback, as cb(watcher, info, arg), run just after the wait. */
typedef void (*evwatch_check_cb)(struct evwatch *, const struct evwatch_check_cb_info *, void *);
#define EVENT_RS_WATCH_TYPES_ /* the generated prototypes need not repeat these */

#include <event2/gen/watch.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_WATCH_H_INCLUDED_ */
