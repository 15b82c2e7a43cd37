#!/usr/bin/env bash
# Runs the notes' programs (../shared/seed-programs) on the library, compiled against our headers
# and with LD_PRELOAD, and real programs: ../shared/realprogs (memcached) and tmux.
set -u
cd "$(dirname "$0")/.."
seeds=../shared/seed-programs/check.sh
lib=$PWD/build/lib
# The programs whose APIs the library implements so far.
supported=n0-methods,n0-evbuffer-readline,n0-echo-event-server,n0-bufferevent-upper-server,n0-bufferevent-client,n0-signal-exit,n1-xevent-server,n1-hello-bufferevent-server,n1-stdin-client,n4-libev-stdin-timeout
fail=0
if [ -d ../shared ]; then
  echo "== seed programs, source (-levent_rs)"
  $seeds --only "$supported" --cflags "-I$PWD/include" --libs "-L$lib -levent_rs -Wl,-rpath,$lib" || fail=1
  echo "== seed programs, LD_PRELOAD=libevent_rs.so"
  $seeds --only "$supported" --preload "$lib/libevent_rs.so" || fail=1
  echo "== memcached on the library (by soname folder, then LD_PRELOAD of the sonamed file)"
  ../shared/realprogs/memcached-check.sh --libdir "$lib" || fail=1
  ../shared/realprogs/memcached-check.sh --preload "$lib/libevent-2.1.so.7" || fail=1
else
  echo "== seed programs and memcached: skipped (they come from ../shared, which is not beside this checkout)"
fi
echo "== tmux on the library (LD_PRELOAD)"
./tools/check-tmux.sh || fail=1
[ $fail = 0 ]
