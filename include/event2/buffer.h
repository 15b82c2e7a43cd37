/* event_rs: evbuffer, the byte queue for network I/O (libevent 2.1.12's event2/buffer.h).
 * The types and constants are libevent's, with the same layouts; the prototypes are generated
 * from the Rust exports (event2/gen/buffer.h), except the two printf variadics declared here. */
#ifndef EVENT2_BUFFER_H_INCLUDED_
#define EVENT2_BUFFER_H_INCLUDED_

#include <event2/visibility.h>

#ifdef __cplusplus
extern "C" {
#endif

#include <event2/event-config.h>
#include <stdarg.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <event2/util.h>

struct evbuffer;
struct event_base;

/* A position in a buffer: pos is the offset; internal_ is the library's and must not be
 * relied on. 24 bytes. */
struct evbuffer_ptr {
	ev_ssize_t pos;
	struct {
		void *chain;
		size_t pos_in_chain;
	} internal_;
};

/* The extents of evbuffer_reserve_space / evbuffer_peek are plain iovecs here. */
#define evbuffer_iovec iovec
#define EVBUFFER_IOVEC_IS_NATIVE_

#define EVBUFFER_FLAG_DRAINS_TO_FD 1

enum evbuffer_eol_style {
	EVBUFFER_EOL_ANY,
	EVBUFFER_EOL_CRLF,
	EVBUFFER_EOL_CRLF_STRICT,
	EVBUFFER_EOL_LF,
	EVBUFFER_EOL_NUL
};

enum evbuffer_ptr_how {
	EVBUFFER_PTR_SET,
	EVBUFFER_PTR_ADD
};

typedef void (*evbuffer_ref_cleanup_cb)(const void *data, size_t datalen, void *extra);

struct evbuffer_file_segment;
#define EVBUF_FS_CLOSE_ON_FREE    0x01
#define EVBUF_FS_DISABLE_MMAP     0x02
#define EVBUF_FS_DISABLE_SENDFILE 0x04
#define EVBUF_FS_DISABLE_LOCKING  0x08
typedef void (*evbuffer_file_segment_cleanup_cb)(struct evbuffer_file_segment const *seg, int flags, void *arg);

/* What changed, as passed to an evbuffer_cb_func. 24 bytes. */
struct evbuffer_cb_info {
	size_t orig_size;
	size_t n_added;
	size_t n_deleted;
};
typedef void (*evbuffer_cb_func)(struct evbuffer *buffer, const struct evbuffer_cb_info *info, void *arg);
struct evbuffer_cb_entry;
#define EVBUFFER_CB_ENABLED 1

EVENT2_EXPORT_SYMBOL
int evbuffer_add_printf(struct evbuffer *buf, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
;
EVENT2_EXPORT_SYMBOL
int evbuffer_add_vprintf(struct evbuffer *buf, const char *fmt, va_list ap)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 0)))
#endif
;

/* libevent 2.2 (on the 2.1 ABI): evbuffer_set_max_read / evbuffer_get_max_read: the most one
 * evbuffer_read takes in (so the most a socket bufferevent reads at a time, within its
 * bufferevent_set_max_single_read), 4096 bytes by default as in 2.1; 0 or more than INT_MAX is
 * refused (-1). evbuffer_add_reference_with_offset: evbuffer_add_reference of bytes
 * offset..offset+datlen of data; the cleanup gets data and offset+datlen. */
#include <event2/gen/buffer.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_BUFFER_H_INCLUDED_ */
