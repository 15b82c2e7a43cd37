/** @file
 * event_rs: evbuffer, the byte queue for network I/O (libevent 2.1.12's event2/buffer.h).
 *
 * An evbuffer holds bytes in a list of blocks: bytes are added at the end and taken from the
 * front, and whole blocks move between buffers without being copied. The types and constants
 * are libevent's, with the same layouts; the prototypes are generated from the Rust exports
 * (event2/gen/buffer.h), except the two printf functions declared here.
 *
 * Ownership: the program frees the buffers it makes with evbuffer_free(); the buffers of a
 * bufferevent belong to it. Memory given by reference stays the program's until its cleanup
 * function runs.
 *
 * Threads: a buffer has no lock at first and must then be used by one thread at a time. After
 * evbuffer_enable_locking() (or in a bufferevent made with BEV_OPT_THREADSAFE) every call takes
 * the buffer's lock, so calls from several threads do not interleave; evbuffer_lock() makes a
 * sequence of calls one step. Callbacks run with the lock held.
 *
 * Where libevent crashes on a NULL buffer, or NULL data with a non-zero length, these calls
 * return their failure value (-1, 0 or NULL). */
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

/** A position in a buffer, set by evbuffer_ptr_set() and the search functions. Here it is an
 * offset from the front: adding bytes at the end keeps it, but after bytes are removed from the
 * front it names another byte (or none), so set it again. The calls refuse a position of another
 * buffer. 24 bytes, as in libevent. */
struct evbuffer_ptr {
	ev_ssize_t pos; /**< the offset from the front; -1 for "not found" */
	/** the library's (where in the blocks); programs must not rely on it */
	struct {
		void *chain;
		size_t pos_in_chain;
	} internal_;
};

/** An extent of memory (base and length) for evbuffer_reserve_space(), evbuffer_commit_space(),
 * evbuffer_peek() and evbuffer_add_iovec(): the system's struct iovec here, so an array of them
 * can be passed to readv() and writev() as is. */
#define evbuffer_iovec iovec
#define EVBUFFER_IOVEC_IS_NATIVE_

/** Flag of evbuffer_set_flags(): the buffer's bytes go to a descriptor (a bufferevent's output),
 * so evbuffer_add_file() may send them with sendfile() rather than read them into memory. */
#define EVBUFFER_FLAG_DRAINS_TO_FD 1

/** What ends a line, for evbuffer_readln() and evbuffer_search_eol(). */
enum evbuffer_eol_style {
	EVBUFFER_EOL_ANY,	/**< any run of CR and LF characters, in any order and number */
	EVBUFFER_EOL_CRLF,	/**< LF, or CR LF (a CR alone is part of the line) */
	EVBUFFER_EOL_CRLF_STRICT, /**< exactly CR LF */
	EVBUFFER_EOL_LF,	/**< exactly LF */
	EVBUFFER_EOL_NUL	/**< a NUL byte */
};

/** How evbuffer_ptr_set() reads its position argument. */
enum evbuffer_ptr_how {
	EVBUFFER_PTR_SET,	/**< an offset from the front of the buffer */
	EVBUFFER_PTR_ADD	/**< a number of bytes to move the position forward */
};

/** Called when a buffer no longer needs memory given by evbuffer_add_reference(): `data` and
 * `datalen` are as given (for evbuffer_add_reference_with_offset(), `datalen` is offset plus
 * length) and `extra` is the cleanup argument. It may run in any thread that drops the last
 * reference, and must not use the buffer. */
typedef void (*evbuffer_ref_cleanup_cb)(const void *data, size_t datalen, void *extra);

/** A part of a file that buffers can hold without reading it into memory until needed
 * (evbuffer_file_segment_new()); reference counted, so several buffers may share it. */
struct evbuffer_file_segment;
/** @name Flags of evbuffer_file_segment_new() */
/**@{*/
#define EVBUF_FS_CLOSE_ON_FREE    0x01 /**< the segment owns the descriptor: closed when the segment is freed */
#define EVBUF_FS_DISABLE_MMAP     0x02 /**< read the file into memory rather than map it */
#define EVBUF_FS_DISABLE_SENDFILE 0x04 /**< never send the bytes with sendfile(); they are loaded at once */
#define EVBUF_FS_DISABLE_LOCKING  0x08 /**< accepted for compatibility: a segment is always safe to share between threads here */
/**@}*/
/** Called when a file segment is freed (evbuffer_file_segment_add_cleanup_cb()), with the
 * segment, its flags and the callback's argument; the descriptor is still open at that time
 * (closed afterwards with EVBUF_FS_CLOSE_ON_FREE). */
typedef void (*evbuffer_file_segment_cleanup_cb)(struct evbuffer_file_segment const *seg, int flags, void *arg);

/** What changed in a buffer, as passed to an evbuffer_cb_func. 24 bytes. */
struct evbuffer_cb_info {
	size_t orig_size;	/**< the length before the changes */
	size_t n_added;		/**< the bytes added since the callback last ran */
	size_t n_deleted;	/**< the bytes removed since the callback last ran */
};
/** A callback of evbuffer_add_cb(), run after the buffer's length changes (with the buffer's
 * lock held): `info` tells what changed and `arg` is the callback's argument. It may change the
 * buffer, and may remove itself. */
typedef void (*evbuffer_cb_func)(struct evbuffer *buffer, const struct evbuffer_cb_info *info, void *arg);
/** The handle of a buffer callback (evbuffer_add_cb()); the buffer owns it. */
struct evbuffer_cb_entry;
/** Flag of evbuffer_cb_set_flags(): the callback runs (set when it is added). */
#define EVBUFFER_CB_ENABLED 1

/** Appends text formatted as by printf() to the end of the buffer, in one addition.
 * @param buf the buffer.
 * @param fmt the format, followed by its arguments.
 * @return the number of bytes added, or -1 when `buf` or `fmt` is NULL, the text is INT_MAX bytes
 * or longer, the end is frozen or memory runs out. */
EVENT2_EXPORT_SYMBOL
int evbuffer_add_printf(struct evbuffer *buf, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
;
/** As evbuffer_add_printf(), with the arguments as a va_list (which is left unused: the call
 * works on a copy).
 * @param buf the buffer.
 * @param fmt the format.
 * @param ap the arguments.
 * @return the number of bytes added, or -1. */
EVENT2_EXPORT_SYMBOL
int evbuffer_add_vprintf(struct evbuffer *buf, const char *fmt, va_list ap)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 0)))
#endif
;

/* The functions (documented at each prototype), among them libevent 2.2's
 * evbuffer_set_max_read(), evbuffer_get_max_read() and evbuffer_add_reference_with_offset(). */
#include <event2/gen/buffer.h>

#ifdef __cplusplus
}
#endif

#endif /* EVENT2_BUFFER_H_INCLUDED_ */
