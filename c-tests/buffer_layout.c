/* compare-output: the layouts and constants of event2/buffer.h match libevent's. */
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <stddef.h>
#include <stdio.h>
#include "check.h"

int main(void)
{
	printf("evbuffer_ptr size=%zu align=%zu pos@%zu chain@%zu pos_in_chain@%zu\n",
	    sizeof(struct evbuffer_ptr), _Alignof(struct evbuffer_ptr),
	    offsetof(struct evbuffer_ptr, pos), offsetof(struct evbuffer_ptr, internal_.chain),
	    offsetof(struct evbuffer_ptr, internal_.pos_in_chain));
	printf("evbuffer_iovec size=%zu iov_base@%zu iov_len@%zu\n", sizeof(struct evbuffer_iovec),
	    offsetof(struct evbuffer_iovec, iov_base), offsetof(struct evbuffer_iovec, iov_len));
	printf("evbuffer_cb_info size=%zu orig_size@%zu n_added@%zu n_deleted@%zu\n",
	    sizeof(struct evbuffer_cb_info), offsetof(struct evbuffer_cb_info, orig_size),
	    offsetof(struct evbuffer_cb_info, n_added), offsetof(struct evbuffer_cb_info, n_deleted));
	printf("eol any=%d crlf=%d strict=%d lf=%d nul=%d\n", EVBUFFER_EOL_ANY, EVBUFFER_EOL_CRLF,
	    EVBUFFER_EOL_CRLF_STRICT, EVBUFFER_EOL_LF, EVBUFFER_EOL_NUL);
	printf("ptr set=%d add=%d sizeof(enum)=%zu\n", EVBUFFER_PTR_SET, EVBUFFER_PTR_ADD, sizeof(enum evbuffer_ptr_how));
	printf("flags drains=%d cb_enabled=%d fs=%d,%d,%d,%d\n", EVBUFFER_FLAG_DRAINS_TO_FD, EVBUFFER_CB_ENABLED,
	    EVBUF_FS_CLOSE_ON_FREE, EVBUF_FS_DISABLE_MMAP, EVBUF_FS_DISABLE_SENDFILE, EVBUF_FS_DISABLE_LOCKING);
	CHECK_EQ(sizeof(struct evbuffer_ptr), 24);
	CHECK_EQ(sizeof(struct evbuffer_iovec), 16);
	CHECK_EQ(sizeof(struct evbuffer_cb_info), 24);
	{
		struct evbuffer *b = evbuffer_new();
		evbuffer_add(b, "abc", 3);
		printf("EVBUFFER_LENGTH=%zu EVBUFFER_DATA=%.3s\n", (size_t)EVBUFFER_LENGTH(b), (char *)EVBUFFER_DATA(b));
		evbuffer_free(b);
	}
	return 0;
}
