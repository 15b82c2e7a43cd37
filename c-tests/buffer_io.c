/* compare-output: evbuffer_read / _write / _write_atmost over a socketpair, evbuffer_add_file,
 * file segments (mmap, read, sendfile), and evbuffer_add_printf (small, long, refused, huge). */
#include "buffer_common.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int seg_cleanups;
static void seg_cleanup(struct evbuffer_file_segment const *seg, int flags, void *arg)
{
	(void)seg;
	seg_cleanups++;
	printf("  segment cleanup flags=%d arg=%s\n", flags, (const char *)arg);
}

static int tmpfile_with(const char *content, size_t len)
{
	char name[] = "/tmp/evbuf-test-XXXXXX";
	int fd = mkstemp(name);
	CHECK(fd >= 0);
	unlink(name);
	CHECK_EQ(write(fd, content, len), (ssize_t)len);
	return fd;
}

/* Everything the buffer writes, read back from the other end. */
static void drain_to_socket(struct evbuffer *b, int wfd, int rfd, const char *what)
{
	char got[70000];
	size_t total = 0;
	int r;
	while (evbuffer_get_length(b) > 0) {
		r = evbuffer_write(b, wfd);
		if (r <= 0) { printf("  write %d\n", r); break; }
		while (total < sizeof got) {
			ssize_t k = read(rfd, got + total, sizeof got - total);
			if (k <= 0) break;
			total += (size_t)k;
		}
	}
	printf("%s: wrote %zu [", what, total);
	show_bytes((unsigned char *)got, total);
	printf("]\n");
}

int main(void)
{
	int sv[2], r, fd, k;
	char data[20000];
	struct evbuffer *b = evbuffer_new(), *o = evbuffer_new();

	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);

	printf("read\n");
	fill(data, sizeof data, 'a');
	CHECK_EQ(write(sv[0], data, sizeof data), (ssize_t)sizeof data);
	r = evbuffer_read(b, sv[1], -1);
	printf("  read -1: %d\n", r);
	r = evbuffer_read(b, sv[1], 100000);
	printf("  read 100000: %d\n", r);
	r = evbuffer_read(b, sv[1], 10);
	printf("  read 10: %d\n", r);
	r = evbuffer_read(b, sv[1], 0);
	printf("  read 0: %d\n", r);
	evbuffer_freeze(b, 0);
	printf("  frozen: %d\n", evbuffer_read(b, sv[1], 10));
	evbuffer_unfreeze(b, 0);
	while ((r = evbuffer_read(b, sv[1], -1)) > 0)
		printf("  read: %d\n", r);
	printf("  drained socket: %d errno=%s\n", r, errno == EAGAIN ? "EAGAIN" : "other");
	dump("b", b);
	{
		char back[20000];
		CHECK_EQ(evbuffer_copyout(b, back, sizeof back), (ev_ssize_t)sizeof back);
		CHECK(memcmp(back, data, sizeof data) == 0);
	}

	printf("write\n");
	printf("  atmost 100: %d\n", evbuffer_write_atmost(b, sv[0], 100));
	printf("  atmost 0: %d\n", evbuffer_write_atmost(b, sv[0], 0));
	evbuffer_freeze(b, 1);
	printf("  frozen: %d\n", evbuffer_write(b, sv[0]));
	evbuffer_unfreeze(b, 1);
	{
		size_t total = 100;
		char got[20000];
		size_t have = 0;
		while (evbuffer_get_length(b) > 0) {
			r = evbuffer_write(b, sv[0]);
			if (r > 0) total += (size_t)r;
			for (;;) {
				ssize_t x = read(sv[1], got + have, sizeof got - have);
				if (x <= 0) break;
				have += (size_t)x;
			}
		}
		for (;;) {
			ssize_t x = read(sv[1], got + have, sizeof got - have);
			if (x <= 0) break;
			have += (size_t)x;
		}
		printf("  total written %zu, read back %zu, same=%d\n", total, have, memcmp(got, data, have) == 0);
	}
	printf("  empty: %d\n", evbuffer_write(b, sv[0]));
	close(sv[0]);
	printf("  read at EOF: %d\n", evbuffer_read(b, sv[1], -1));
	close(sv[1]);
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);

	printf("add_file\n");
	fd = tmpfile_with("0123456789abcdefghij", 20);
	printf("  whole: %d\n", evbuffer_add_file(b, fd, 0, -1));
	dump("b", b);
	evbuffer_drain(b, 100);
	fd = tmpfile_with("0123456789abcdefghij", 20);
	printf("  from 5, 10 bytes: %d\n", evbuffer_add_file(b, fd, 5, 10));
	fd = tmpfile_with("0123456789abcdefghij", 20);
	printf("  from 15, -1: %d\n", evbuffer_add_file(b, fd, 15, -1));
	dump("b", b);
	fd = tmpfile_with("0123456789abcdefghij", 20);
	evbuffer_freeze(b, 0);
	r = evbuffer_add_file(b, fd, 0, -1);
	printf("  frozen: %d (fd closed: %d)\n", r, fcntl(fd, F_GETFD) < 0);
	evbuffer_unfreeze(b, 0);
	fflush(stdout);
	fd = tmpfile_with("", 0);
	r = evbuffer_add_file(b, fd, 0, -1);
	printf("  empty file: %d (fd closed: %d)\n", r, fcntl(fd, F_GETFD) < 0);
	fflush(stdout);
	close(fd);
	printf("  negative offset: %d\n", evbuffer_add_file(b, 0, -1, 5));
	drain_to_socket(b, sv[0], sv[1], "  file bytes");

	printf("sendfile (DRAINS_TO_FD)\n");
	evbuffer_set_flags(o, EVBUFFER_FLAG_DRAINS_TO_FD);
	evbuffer_add(o, "<head>", 6);
	fd = tmpfile_with("sendfile-content", 16);
	printf("  add: %d\n", evbuffer_add_file(o, fd, 4, 8));
	evbuffer_add(o, "<tail>", 6);
	printf("  len=%zu\n", evbuffer_get_length(o));
	drain_to_socket(o, sv[0], sv[1], "  sent");
	fd = tmpfile_with("0123456789", 10);
	evbuffer_add_file(o, fd, 0, -1);
	printf("  atmost 3 on a sendfile chain: %d left=%zu\n", evbuffer_write_atmost(o, sv[0], 3), evbuffer_get_length(o));
	drain_to_socket(o, sv[0], sv[1], "  rest");
	evbuffer_clear_flags(o, EVBUFFER_FLAG_DRAINS_TO_FD);

	printf("segments\n");
	{
		struct evbuffer_file_segment *seg;
		unsigned flags[] = { 0, EVBUF_FS_DISABLE_MMAP, EVBUF_FS_DISABLE_SENDFILE,
			EVBUF_FS_DISABLE_MMAP | EVBUF_FS_DISABLE_SENDFILE, EVBUF_FS_DISABLE_LOCKING };
		for (k = 0; k < 5; k++) {
			fd = tmpfile_with("segment-data-0123456789", 23);
			seg = evbuffer_file_segment_new(fd, 8, 10, flags[k] | EVBUF_FS_CLOSE_ON_FREE);
			CHECK(seg != NULL);
			evbuffer_file_segment_add_cleanup_cb(seg, seg_cleanup, "s");
			r = evbuffer_add_file_segment(b, seg, 0, -1);
			printf("  flags %u: add %d", flags[k], r);
			r = evbuffer_add_file_segment(o, seg, 2, 3);
			printf(" add part %d", r);
			evbuffer_file_segment_free(seg);   /* the buffers hold it now */
			r = evbuffer_add_file_segment(o, seg, 5, 2);
			printf(" add again %d", r);
			printf(" cleanups=%d\n", seg_cleanups);
			dump("  b", b);
			dump("  o", o);
			evbuffer_drain(b, 100);
			evbuffer_drain(o, 100);
			printf("  drained: cleanups=%d fd closed=%d\n", seg_cleanups, fcntl(fd, F_GETFD) < 0);
		}
		fd = tmpfile_with("xyz", 3);
		seg = evbuffer_file_segment_new(fd, 0, -1, 0);
		evbuffer_file_segment_add_cleanup_cb(seg, seg_cleanup, "kept");
		evbuffer_add_file_segment(b, seg, 0, -1);
		evbuffer_add_file_segment(b, seg, 1, 1);
		evbuffer_file_segment_free(seg);
		printf("  freed while added: cleanups=%d\n", seg_cleanups);
		dump("  b", b);
		evbuffer_drain(b, 3);
		printf("  partly drained: cleanups=%d\n", seg_cleanups);
		evbuffer_drain(b, 1);
		printf("  drained: cleanups=%d fd open=%d\n", seg_cleanups, fcntl(fd, F_GETFD) >= 0);
		close(fd);
		printf("  bad segments: %d %d %d\n", evbuffer_file_segment_new(-1, 0, -1, 0) == NULL,
		    evbuffer_file_segment_new(0, -1, 4, 0) == NULL, evbuffer_file_segment_new(0, 0, -5, 0) == NULL);
	}

	printf("printf\n");
	printf("  small: %d\n", evbuffer_add_printf(o, "%s-%d-%c", "abc", 42, 'z'));
	printf("  empty: %d\n", evbuffer_add_printf(o, "%s", ""));
	printf("  long: %d\n", evbuffer_add_printf(o, "[%5000d]", 7));
	printf("  very long: %d\n", evbuffer_add_printf(o, "%s%100000s|", "ab", ""));
	dump("o", o);
	evbuffer_freeze(o, 0);
	printf("  frozen: %d\n", evbuffer_add_printf(o, "x"));
	evbuffer_unfreeze(o, 0);
	{
		/* A width past INT_MAX: vsnprintf fails (EOVERFLOW) and so does the add. */
		char fmt[32];
		snprintf(fmt, sizeof fmt, "%%%llds", 99999999999LL);
		printf("  huge (overflows int): %d\n", evbuffer_add_printf(o, fmt, "x"));
	}
	printf("  len=%zu\n", evbuffer_get_length(o));

	close(sv[0]);
	close(sv[1]);
	evbuffer_free(b);
	evbuffer_free(o);
	return 0;
}
