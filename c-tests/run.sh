#!/usr/bin/env bash
# Builds each c-tests/*.c twice, against our headers and library and against the system's
# libevent, and runs both: a test that fails on the real libevent is a wrong test. Then runs
# our build under valgrind (no invalid access, no definite leak).
#   c-tests/run.sh [name ...]      VALGRIND=0 skips valgrind
# A test whose source contains "compare-output" must print the same on both libraries.
# A test whose source contains "needs: -lev" is a libev test: its system build links the
# system's libev too, and also runs with LD_PRELOAD=build/lib/libevent_rs.so and by soname
# (LD_LIBRARY_PATH=build/lib, where libev.so.4 and libevent's sonames load libevent_rs.so).
# A test whose source contains "check-preload" also runs its system build with that LD_PRELOAD.
# A test whose source contains "needs: -lssl" uses the OpenSSL bufferevents: its system build
# links -levent_openssl -lssl -lcrypto, ours -lssl -lcrypto.
# A test whose source contains "needs: event_rs" tests what libevent 2.1.12 does not have (2.2's
# API on the 2.1 ABI, our extensions): it is built and run against ours only, and says so.
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
  syslibs="-levent -levent_pthreads"; libev=""; ourlibs=""; soname=""
  grep -q "needs: -lev" "$src" && { syslibs="$syslibs -lev"; libev=1; soname=1; }
  grep -q "needs: -lssl" "$src" && { syslibs="$syslibs -levent_openssl -lssl -lcrypto"; ourlibs="-lssl -lcrypto"; }
  grep -q "check-preload" "$src" && libev=1
  if ! gcc $cflags -Iinclude -o "$out/$n.rs" "$src" -Lbuild/lib -levent_rs -Wl,-rpath,"$PWD/build/lib" $ourlibs -lpthread 2>"$out/$n.rs.log"; then
    bad "$n" "build against event_rs: $(grep -m1 -E 'error' "$out/$n.rs.log")"; continue; fi
  sysnote=""
  if grep -q "needs: event_rs" "$src"; then
    sysnote=" (ours only: libevent 2.1.12 lacks this API)"
  elif ! gcc $cflags -o "$out/$n.sys" "$src" $syslibs -lpthread 2>"$out/$n.sys.log"; then
    bad "$n" "build against libevent: $(grep -m1 -E 'error' "$out/$n.sys.log")"; continue; fi
  if [ -z "$sysnote" ] && ! timeout 120 "$out/$n.sys" >"$out/$n.sys.out" 2>&1; then
    bad "$n" "fails on the system's libevent: $(tail -n 3 "$out/$n.sys.out" | tr '\n' ' ')"; continue; fi
  if ! timeout 120 "$out/$n.rs" >"$out/$n.rs.out" 2>&1; then
    bad "$n" "fails on event_rs: $(tail -n 3 "$out/$n.rs.out" | tr '\n' ' ')"; continue; fi
  if grep -q compare-output "$src" && ! diff -u "$out/$n.sys.out" "$out/$n.rs.out" >"$out/$n.diff"; then
    bad "$n" "output differs from libevent's: $(grep -m3 '^[-+][^-+]' "$out/$n.diff" | tr '\n' ' ')"; continue; fi
  if [ -n "$libev" ] && ! LD_PRELOAD="$PWD/build/lib/libevent_rs.so" timeout 120 "$out/$n.sys" >"$out/$n.pre.out" 2>&1; then
    bad "$n" "fails with LD_PRELOAD=libevent_rs.so: $(tail -n 3 "$out/$n.pre.out" | tr '\n' ' ')"; continue; fi
  if [ -n "$libev" ] && grep -q compare-output "$src" && ! diff -u "$out/$n.sys.out" "$out/$n.pre.out" >"$out/$n.diff"; then
    bad "$n" "output differs from the system library's when preloaded: $(grep -m3 '^[-+][^-+]' "$out/$n.diff" | tr '\n' ' ')"; continue; fi
  if [ -n "$soname" ]; then
    LD_LIBRARY_PATH="$PWD/build/lib" ldd "$out/$n.sys" >"$out/$n.ldd" 2>&1
    if ! grep -qF "libev.so.4 => $PWD/build/lib/libev.so.4" "$out/$n.ldd" ||
       ! grep -qF "libevent_rs.so => $PWD/build/lib/libevent_rs.so" "$out/$n.ldd"; then
      bad "$n" "libev.so.4 in build/lib does not bring in libevent_rs.so: $(grep -E 'libev' "$out/$n.ldd" | tr '\n' ' ')"; continue; fi
    if ! LD_LIBRARY_PATH="$PWD/build/lib" timeout 120 "$out/$n.sys" >"$out/$n.so.out" 2>&1; then
      bad "$n" "fails by soname (LD_LIBRARY_PATH=build/lib): $(tail -n 3 "$out/$n.so.out" | tr '\n' ' ')"; continue; fi
    if grep -q compare-output "$src" && ! diff -u "$out/$n.sys.out" "$out/$n.so.out" >"$out/$n.diff"; then
      bad "$n" "output differs from the system library's by soname: $(grep -m3 '^[-+][^-+]' "$out/$n.diff" | tr '\n' ' ')"; continue; fi
  fi
  if [ "${VALGRIND:-1}" != 0 ] && ! grep -q no-valgrind "$src" &&
     ! timeout 600 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite "$out/$n.rs" >"$out/$n.vg.out" 2>&1; then
    bad "$n" "valgrind: $(grep -m2 -E '==[0-9]+== [A-Z]' "$out/$n.vg.out" | tr '\n' ' ')"; continue; fi
  echo "$n: ok$sysnote"; pass=$((pass+1))
done
echo "c-tests: $pass passed, $fail failed"
[ $fail = 0 ]
