/* A 1 GiB upload streamed through a handler that hashes it as it arrives (http_stream_body.c
 * with STREAM_MB 1024): the hashes must match and the process (client and server in one loop)
 * must stay under 64 MB of peak RSS, far below the body. needs: event_rs (our extension).
 * no-valgrind: 1 GiB is too slow under valgrind; http_stream_body runs the same code on 16 MiB
 * there. */
#define STREAM_MB 1024
#define STREAM_ONLY_BIG 1
#define STREAM_MAX_RSS_KB (64 * 1024)
#include "http_stream_body.c"
