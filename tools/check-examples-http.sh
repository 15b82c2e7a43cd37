#!/usr/bin/env bash
# Scripted checks of the example programs in examples-c/, each built on our library and on the
# system's libevent (same behaviour expected).   tools/check-examples-http.sh (run by check-examples.sh)
set -u
cd "$(dirname "$0")/.."
out=build/examples-check
mkdir -p "$out"
pass=0 fail=0
ok() { echo "$1: ok"; pass=$((pass+1)); }
bad() { echo "$1: FAIL ($2)"; fail=$((fail+1)); }

# http_server: GET and POST routes, and the close callback of a client that leaves early.
check_http_server() { # BIN NAME
  local bin=$1 name=$2 log=$out/$2.log port pid body
  "$bin" >"$log" 2>&1 & pid=$!
  for _ in $(seq 50); do port=$(head -n1 "$log" 2>/dev/null | grep -x '[0-9]*'); [ -n "$port" ] && break; sleep 0.1; done
  if [ -z "${port:-}" ]; then bad "$name" "no port printed"; kill $pid 2>/dev/null; return; fi
  body=$(curl -s --max-time 5 "http://127.0.0.1:$port/hello")
  [ "$body" = "hello, world" ] || { bad "$name" "GET /hello gave [$body]"; kill $pid; return; }
  body=$(curl -s --max-time 5 -d 'name=Ada+Lovelace&lang=C%2B%2B' "http://127.0.0.1:$port/form")
  [ "$body" = $'name=Ada Lovelace\nlang=C++' ] || { bad "$name" "POST /form gave [$body]"; kill $pid; return; }
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X PUT "http://127.0.0.1:$port/hello")
  [ "$code" = 501 ] || { bad "$name" "PUT gave $code, not 501"; kill $pid; return; }
  curl -s --max-time 0.5 "http://127.0.0.1:$port/slow" >/dev/null 2>&1
  sleep 0.3
  grep -q "client left" "$log" || { bad "$name" "no close callback after the client left"; kill $pid; return; }
  body=$(curl -s --max-time 5 "http://127.0.0.1:$port/slow")
  [ "$body" = "sorry for the wait" ] || { bad "$name" "GET /slow gave [$body]"; kill $pid; return; }
  kill $pid 2>/dev/null; wait $pid 2>/dev/null
  ok "$name"
}

if gcc -O1 -Wall -o "$out/http_server.sys" examples-c/http_server.c -levent 2>"$out/build.sys.log"; then
  check_http_server "$out/http_server.sys" "http_server (libevent)"
else bad "http_server (libevent)" "build: $(grep -m1 error "$out/build.sys.log")"; fi
if gcc -O1 -Wall -Iinclude -o "$out/http_server.rs" examples-c/http_server.c -Lbuild/lib -levent_rs -Wl,-rpath,"$PWD/build/lib" 2>"$out/build.rs.log"; then
  check_http_server "$out/http_server.rs" "http_server (event_rs)"
else bad "http_server (event_rs)" "build: $(grep -m1 -E 'error|undefined' "$out/build.rs.log")"; fi

echo "examples: $pass passed, $fail failed"
[ $fail = 0 ]
