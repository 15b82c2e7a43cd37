#!/usr/bin/env bash
# Builds each c-tests/*.c twice, against our headers and library and against the system's
# libevent, and runs both: a test that fails on the real libevent is a wrong test. Then runs
# our build under valgrind (no invalid access, no definite leak).
#   c-tests/run.sh [name ...]      VALGRIND=0 skips valgrind
# A test whose source contains "compare-output" must print the same on both libraries.
# A test whose source contains "needs: -lev" is a libev test: its system build links the
# system's libev too, and also runs with LD_PRELOAD=build/lib/libevent_rs.so (binary use).
# A test whose source contains "check-preload" also runs its system build with that LD_PRELOAD.
# A test whose source contains "needs: -lssl" uses the OpenSSL bufferevents: its system build
# links -levent_openssl -lssl -lcrypto, ours -lssl -lcrypto.
# A test whose source contains "needs: event_rs" tests API that libevent 2.1.12 lacks (2.2's
# event2/ws.h, event_rs's extensions): it is built and run against ours only, and says so.
set -u
cd "$(dirname "$0")/.."
out=build/c-tests
mkdir -p "$out"
names=("$@")
if [ ${#names[@]} = 0 ]; then shopt -s nullglob; for f in c-tests/*.c; do names+=("$(basename "$f" .c)"); done; fi
pass=0 fail=0
bad() { echo "$1: FAIL ($2)"; fail=$((fail+1)); }
for n in "${names[@]}"; do
  src=c-tests/$n.c
  cflags="-O1 -g -Wall -Wno-deprecated-declarations -D_GNU_SOURCE"
  syslibs="-levent -levent_pthreads"; libev=""; ourlibs=""
  grep -q "needs: -lev" "$src" && { syslibs="$syslibs -lev"; libev=1; }
  grep -q "needs: -lssl" "$src" && { syslibs="$syslibs -levent_openssl -lssl -lcrypto"; ourlibs="-lssl -lcrypto"; }
  grep -q "check-preload" "$src" && libev=1
  if ! gcc $cflags -Iinclude -o "$out/$n.rs" "$src" -Lbuild/lib -levent_rs -Wl,-rpath,"$PWD/build/lib" $ourlibs -lpthread 2>"$out/$n.rs.log"; then
    bad "$n" "build against event_rs: $(grep -m1 -E 'error' "$out/$n.rs.log")"; continue; fi
  oursonly=""; grep -q "needs: event_rs" "$src" && oursonly=1
  if [ -n "$oursonly" ]; then
    :
  elif ! gcc $cflags -o "$out/$n.sys" "$src" $syslibs -lpthread 2>"$out/$n.sys.log"; then
    bad "$n" "build against libevent: $(grep -m1 -E 'error' "$out/$n.sys.log")"; continue; fi
  if [ -z "$oursonly" ] && ! timeout 120 "$out/$n.sys" >"$out/$n.sys.out" 2>&1; then
    bad "$n" "fails on the system's libevent: $(tail -n 3 "$out/$n.sys.out" | tr '\n' ' ')"; continue; fi
  if ! timeout 120 "$out/$n.rs" >"$out/$n.rs.out" 2>&1; then
    bad "$n" "fails on event_rs: $(tail -n 3 "$out/$n.rs.out" | tr '\n' ' ')"; continue; fi
  if grep -q compare-output "$src" && ! diff -u "$out/$n.sys.out" "$out/$n.rs.out" >"$out/$n.diff"; then
    bad "$n" "output differs from libevent's: $(grep -m3 '^[-+][^-+]' "$out/$n.diff" | tr '\n' ' ')"; continue; fi
  if [ -n "$libev" ] && ! LD_PRELOAD="$PWD/build/lib/libevent_rs.so" timeout 120 "$out/$n.sys" >"$out/$n.pre.out" 2>&1; then
    bad "$n" "fails with LD_PRELOAD=libevent_rs.so: $(tail -n 3 "$out/$n.pre.out" | tr '\n' ' ')"; continue; fi
  if [ -n "$libev" ] && grep -q compare-output "$src" && ! diff -u "$out/$n.sys.out" "$out/$n.pre.out" >"$out/$n.diff"; then
    bad "$n" "output differs from the system library's when preloaded: $(grep -m3 '^[-+][^-+]' "$out/$n.diff" | tr '\n' ' ')"; continue; fi
  if [ "${VALGRIND:-1}" != 0 ] && ! grep -q no-valgrind "$src" &&
     ! timeout 600 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite "$out/$n.rs" >"$out/$n.vg.out" 2>&1; then
    bad "$n" "valgrind: $(grep -m2 -E '==[0-9]+== [A-Z]' "$out/$n.vg.out" | tr '\n' ' ')"; continue; fi
  if [ -n "$oursonly" ]; then echo "$n: ok (ours only: 2.2 API / event_rs extension, not in the system's libevent 2.1.12)"
  else echo "$n: ok"; fi
  pass=$((pass+1))
done
echo "c-tests: $pass passed, $fail failed"
[ $fail = 0 ]
