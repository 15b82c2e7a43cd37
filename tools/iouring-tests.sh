#!/usr/bin/env bash
# make test's second pass: every C test again with EVENT_IOURING=1, so that event_rs's bases use
# the io_uring backend (the system libevent builds ignore the variable), where the kernel gives
# this process a ring; otherwise says why and passes.
# Without valgrind: valgrind (3.19) runs io_uring_enter holding its global lock, so while a
# loop waits no other thread of the program runs, and every test that wakes a loop from
# another thread hangs. The first pass runs every test under valgrind on epoll, and
# core_iouring runs under valgrind on io_uring there.
set -u
cd "$(dirname "$0")/.."
mkdir -p build
probe=build/iouring-probe
printf '#include <event2/event.h>\n#include <stdio.h>\nint main(void){struct event_base*b=event_base_new();if(!b)return 1;puts(event_base_get_method(b));event_base_free(b);return 0;}\n' |
  gcc -Iinclude -x c -o "$probe" - -Lbuild/lib -levent_rs -Wl,-rpath,"$PWD/build/lib" || exit 1
method=$(EVENT_IOURING=1 "$probe" 2>build/iouring-probe.err)
if [ "$method" != io_uring ]; then
  echo "c-tests on io_uring: skipped (this kernel gives no usable ring: $(tr '\n' ' ' <build/iouring-probe.err))"
  exit 0
fi
echo "c-tests on io_uring (EVENT_IOURING=1, the method event_base_new() picks here: $method)"
EVENT_IOURING=1 VALGRIND=0 ./c-tests/run.sh "$@"
