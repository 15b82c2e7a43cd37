#!/usr/bin/env bash
# Scripted checks of the example programs in examples-c/, each built on our library and on the
# system's libevent (same behaviour expected).   tools/check-examples-http.sh (run by check-examples.sh)
# After every scripted client the server must still answer a simple request. The build on our
# library runs under valgrind (VALGRIND=0 skips it): an invalid access or a definite leak fails.
set -u
cd "$(dirname "$0")/.."
out=build/examples-check
mkdir -p "$out"
pass=0 fail=0
ok() { echo "$1: ok"; pass=$((pass+1)); }
bad() { echo "$1: FAIL ($2)"; fail=$((fail+1)); }
vg=()
if [ "${VALGRIND:-1}" != 0 ] && command -v valgrind >/dev/null; then
  vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite)
fi

# http_server: GET and POST routes, the close callback of a client that leaves early, a /slow
# request answered then the client closing; GET /hello after each.
check_http_server() { # NAME BIN [COMMAND TO RUN IT UNDER...]
  local name=$1 bin=$2 log=$2 port pid body code
  shift 2
  "$@" "$bin" >"$log.out" 2>"$log.err" & pid=$!
  for _ in $(seq 100); do port=$(head -n1 "$log.out" 2>/dev/null | grep -x '[0-9]*'); [ -n "$port" ] && break; sleep 0.1; done
  if [ -z "${port:-}" ]; then bad "$name" "no port printed"; kill $pid 2>/dev/null; wait $pid 2>/dev/null; return; fi
  fail_with() { bad "$name" "$1"; kill $pid 2>/dev/null; wait $pid 2>/dev/null; }
  still_answers() { # what the last client did
    body=$(curl -s --max-time 5 "http://127.0.0.1:$port/hello")
    [ "$body" = "hello, world" ] || { fail_with "no answer to GET /hello after $1 (got [$body])"; return 1; }
  }
  still_answers "starting" || return
  body=$(curl -s --max-time 5 -d 'name=Ada+Lovelace&lang=C%2B%2B' "http://127.0.0.1:$port/form")
  [ "$body" = $'name=Ada Lovelace\nlang=C++' ] || { fail_with "POST /form gave [$body]"; return; }
  still_answers "POST /form" || return
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X PUT "http://127.0.0.1:$port/hello")
  [ "$code" = 501 ] || { fail_with "PUT gave $code, not 501"; return; }
  still_answers "PUT" || return
  curl -s --max-time 0.5 "http://127.0.0.1:$port/slow" >/dev/null 2>&1
  for _ in $(seq 50); do grep -q "client left" "$log.out" && break; sleep 0.1; done
  grep -q "client left" "$log.out" || { fail_with "no close callback after the client left"; return; }
  still_answers "a client leaving /slow early" || return
  body=$(curl -s --max-time 5 "http://127.0.0.1:$port/slow")
  [ "$body" = "sorry for the wait" ] || { fail_with "GET /slow gave [$body]"; return; }
  still_answers "GET /slow answered, then the client closing" || return
  # Two requests on one connection, /slow first: its state must not outlive it.
  body=$(curl -s --max-time 5 "http://127.0.0.1:$port/slow" "http://127.0.0.1:$port/hello")
  [ "$body" = $'sorry for the wait\nhello, world' ] || { fail_with "GET /slow then /hello on one connection gave [$body]"; return; }
  still_answers "GET /slow then /hello on one connection" || return
  kill $pid 2>/dev/null; wait $pid 2>/dev/null
  if grep -qE '^==[0-9]+== ' "$log.err"; then
    bad "$name" "valgrind: $(grep -m2 -E '^==[0-9]+== [A-Z]' "$log.err" | tr '\n' ' ')"; return
  fi
  ok "$name"
}

if gcc -O1 -Wall -o "$out/http_server.sys" examples-c/http_server.c -levent 2>"$out/build.sys.log"; then
  check_http_server "http_server (libevent)" "$out/http_server.sys"
else bad "http_server (libevent)" "build: $(grep -m1 error "$out/build.sys.log")"; fi
if gcc -O1 -g -Wall -Iinclude -o "$out/http_server.rs" examples-c/http_server.c -Lbuild/lib -levent_rs -Wl,-rpath,"$PWD/build/lib" 2>"$out/build.rs.log"; then
  check_http_server "http_server (event_rs${vg:+, valgrind})" "$out/http_server.rs" "${vg[@]}"
else bad "http_server (event_rs)" "build: $(grep -m1 -E 'error|undefined' "$out/build.rs.log")"; fi

echo "examples: $pass passed, $fail failed"
[ $fail = 0 ]
