#!/usr/bin/env bash
# make bench: every benches/bench_*.c is built twice, against the system's libevent (libev for a
# program whose source says "needs: -lev") and against event_rs; both builds are run in turn
# (libevent, event_rs, event_rs, libevent, ...) and one table shows the medians and their ratio. Each program times its own measured part and prints
# one number, so process start-up is not measured (HTTP: wrk measures the server).
#   BENCH_ONLY=pipe,timers  only these programs (pipe timers evbuffer echo http http_upload
#                           signal httpmem evconn udp ws)
#   BENCH_REPS=5            runs of each side per row (HTTP: BENCH_HTTP_REPS=3, BENCH_HTTP_SECS=3;
#                           WebSocket: BENCH_WS_REPS=3)
#   BENCH_WALL=1            time with the wall clock rather than the process's CPU time
#   BENCH_RAW=1             also print every run's number (on stderr)
#   BENCH_STAT=best         report each side's best run instead of the median
#   BENCH_TIMEOUT=60        seconds before a run counts as failed
#   BENCH_IOURING=0         no io_uring column
#   BENCH_SYSCALLS=0        no system call counts (strace) for the echo benchmark
#   OURS_CFLAGS / OURS_LIBS build "event_rs" with other flags, e.g. OURS_CFLAGS= OURS_LIBS=-levent
#                           benchmarks the system library against itself (checks the benches)
set -u
cd "$(dirname "$0")/.."
REPS=${BENCH_REPS:-5}
HTTP_REPS=${BENCH_HTTP_REPS:-3}
HTTP_SECS=${BENCH_HTTP_SECS:-3}
WS_REPS=${BENCH_WS_REPS:-3}
ONLY=${BENCH_ONLY:-}
TIMEOUT=${BENCH_TIMEOUT:-60}
OURS_CFLAGS_SET=${OURS_CFLAGS+yes}
OURS_CFLAGS=${OURS_CFLAGS-"-Iinclude"}
OURS_LIBS=${OURS_LIBS-"-Lbuild/lib -levent_rs -Wl,-rpath,$PWD/build/lib"}
unset LD_PRELOAD LD_LIBRARY_PATH # each build must load the library it was linked with
export LC_ALL=C # plain quotes in gcc's messages, which why() quotes
CFLAGS="-O2 -Wall -D_GNU_SOURCE -Werror=implicit-function-declaration"
CLOCK="CPU time (user+sys)"
STAT_NAME=medians; [ "${BENCH_STAT:-median}" = best ] && STAT_NAME="best"
if [ "${BENCH_WALL:-0}" = 1 ]; then CFLAGS="$CFLAGS -DBENCH_WALL_CLOCK"; CLOCK="wall time"; fi
out=build/bench
mkdir -p "$out"

# Installs a missing Debian package, as tools/deps.sh does.
need() {
  dpkg -s "$1" >/dev/null 2>&1 && return 0
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing $1" >&2
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$1" >/dev/null
}
need libevent-dev || { echo "bench: libevent-dev is needed" >&2; exit 1; }
need wrk || echo "bench: wrk missing, HTTP rows will be skipped" >&2

# The Python websockets package in build/venv, installed as tools/check-ws.sh does; fails (for
# the WebSocket rows to be skipped) when python3-venv or pip cannot be had.
venv=build/venv
ws_venv() {
  "$venv/bin/python" -c 'import websockets.asyncio.server' 2>/dev/null && return 0
  echo "installing websockets into $venv" >&2
  { python3 -m venv "$venv" 2>/dev/null || { need python3-venv && python3 -m venv "$venv"; }; } &&
    "$venv/bin/pip" install -q 'websockets>=13' >&2 &&
    "$venv/bin/python" -c 'import websockets.asyncio.server' 2>/dev/null
}

wanted() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }

# One line saying why a build failed: the first missing symbol or compile error.
why() {
  local log=$1 undef
  undef=$(grep -o "undefined reference to \`[^']*'" "$log" | sed "s/.*\`//; s/'//" | sort -u)
  if [ -n "$undef" ]; then
    local n; n=$(echo "$undef" | wc -l)
    echo "$(echo "$undef" | head -1) undefined$([ "$n" -gt 1 ] && echo " (+$((n-1)) more)")"
  elif grep -q "cannot find -levent_rs" "$log"; then echo "no libevent_rs.so"
  elif grep -q "implicit declaration of function" "$log"; then
    echo "$(grep -m1 -o "implicit declaration of function '[^']*'" "$log" | cut -d"'" -f2) not declared"
  else grep -m1 -E "error:" "$log" | sed 's/^.*error: //' | cut -c1-70; fi
}

declare -A skip sysfail
build() {
  local n=$1 src=benches/$1.c
  local syslib=-levent; grep -q "needs: -lev" "$src" && syslib=-lev # libev's API: the system's libev
  if ! gcc $CFLAGS -o "$out/$n.sys" "$src" $syslib 2>"$out/$n.sys.log"; then
    sysfail[$n]="libevent build: $(why "$out/$n.sys.log")"; return; fi
  # Our include/ does not have every header yet, and gcc would quietly take the system's in
  # its place: that build would not be testing our headers at all.
  if [ -z "$OURS_CFLAGS_SET" ]; then
    local foreign
    foreign=$(gcc $CFLAGS $OURS_CFLAGS -M "$src" 2>/dev/null | tr ' ' '\n' |
      grep -E '^/usr/include/(event2/|ev[a-z_]*\.h)' | sed 's|/usr/include/||' | head -3 | tr '\n' ' ')
    if [ -n "$foreign" ]; then skip[$n]="include/ lacks ${foreign% }"; return; fi
  fi
  if ! gcc $CFLAGS $OURS_CFLAGS -o "$out/$n.rs" "$src" $OURS_LIBS 2>"$out/$n.rs.log"; then
    skip[$n]=$(why "$out/$n.rs.log"); fi
}

# Runners set $val to the measured number, or leave it empty and say why in $err.
# run_prog BIN ARGS...: the number the program prints.
val="" err=""
run_prog() {
  local v rc
  val="" err=""
  v=$(timeout $TIMEOUT "$@" 2>"$out/last.err"); rc=$?
  if [ $rc = 124 ]; then err="timeout"; return; fi
  if [ $rc -gt 128 ]; then err="killed by SIG$(kill -l $((rc - 128)))"; return; fi
  if [ $rc != 0 ]; then err="exit $rc: $(head -c 60 "$out/last.err")"; return; fi
  if ! [[ $v =~ ^[0-9]+(\.[0-9]+)?$ ]]; then err="bad output: ${v:0:30}"; return; fi
  val=$v
}

# run_http BIN WRK-ARGS...: requests/s from wrk against the server BIN.
run_http() {
  local bin=$1; shift
  local pid port="" i v rc
  val="" err=""
  rm -f "$out/http.port" # not a stale port from the previous server
  # Under timeout, so a server that ignores the kill below cannot outlive the run.
  timeout $TIMEOUT "$bin" >"$out/http.port" 2>"$out/last.err" & pid=$!
  for i in $(seq 50); do
    port=$(grep -sx '[0-9]*' "$out/http.port"); [ -n "$port" ] && break; sleep 0.1; done
  if [ -z "$port" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    err="server did not start: $(head -c 60 "$out/last.err")"; return; fi
  wrk -t1 -c50 -d"${HTTP_SECS}s" "$@" "http://127.0.0.1:$port/" >"$out/wrk.out" 2>&1
  if ! kill "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null; rc=$?
    err="server died ($( [ $rc -gt 128 ] && echo "SIG$(kill -l $((rc - 128)))" || echo "exit $rc"))"; return; fi
  wait "$pid" 2>/dev/null
  if grep -q "Non-2xx" "$out/wrk.out"; then err="$(grep -o 'Non-2xx.*' "$out/wrk.out")"; return; fi
  v=$(awk '/^Requests\/sec:/ {print $2}' "$out/wrk.out")
  if [ -z "$v" ] || [ "$v" = 0.00 ]; then err="wrk: $(grep -v "^ " "$out/wrk.out" | tail -1 | cut -c1-60)"; return; fi
  val=$v
}

# run_ws SERVER... -- CONNS MSGS SIZE WINDOW msgs|mb: the rate that the WebSocket echo client
# (ws_echo client) measures against the server that SERVER... starts, which prints its port.
run_ws() {
  local srv=() pid port="" i rc
  while [ "$1" != -- ]; do srv+=("$1"); shift; done; shift
  val="" err=""
  rm -f "$out/ws.port"
  timeout $TIMEOUT "${srv[@]}" >"$out/ws.port" 2>"$out/ws.err" & pid=$!
  for i in $(seq 100); do # Python takes a moment to import websockets
    port=$(grep -sx '[0-9]*' "$out/ws.port"); [ -n "$port" ] && break; sleep 0.1; done
  if [ -z "$port" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    err="server did not start: $(tail -1 "$out/ws.err" | head -c 60)"; return; fi
  run_prog "$out/ws_echo" client "$port" "$@"
  if ! kill "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null; rc=$?; val=""
    err="server died ($( [ $rc -gt 128 ] && echo "SIG$(kill -l $((rc - 128)))" || echo "exit $rc"))"; return; fi
  wait "$pid" 2>/dev/null
}

# summary lower|higher: the median of the numbers on stdin, or with BENCH_STAT=best the best one
# (the least disturbed run, steadier when other jobs come and go on the machine).
summary() {
  if [ "${BENCH_STAT:-median}" = best ]; then
    if [ "$1" = lower ]; then sort -g | head -1; else sort -gr | head -1; fi
  else sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; fi
}
fmt() { awk -v v="$1" 'BEGIN {printf (v >= 1000 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f"), v}'; }

# row LABEL lower|higher REPS RUNNER PROGRAM ARGS...
ratio() { awk -v s="$1" -v o="$2" -v b="$3" 'BEGIN {printf "%.2f", (b == "lower") ? s / o : o / s}'; }
row() {
  local label=$1 better=$2 reps=$3 runner=$4 n=$5; shift 5
  wanted "${n#bench_}" || return 0
  if [ -n "${sysfail[$n]:-}" ]; then line "$label" "failed" "-" "" "" "${sysfail[$n]}"; return; fi
  if [ -n "${skip[$n]:-}" ]; then line "$label" "-" "skipped" "" "" "(not built: ${skip[$n]})"; return; fi
  if [ "$runner" = run_http ] && ! command -v wrk >/dev/null; then line "$label" "-" "skipped" "" "" "(wrk not installed)"; return; fi
  local sys=() ours=() uring=() i side sys_err="" ours_err="" uring_err="" nsides=$((2 + URING))
  # Sides take turns in an order that reverses every round (A B C C B A ...), so none always
  # runs first (a warmer cache, a quieter moment). A side that fails once is not run again: a
  # hang would cost $TIMEOUT every time. (stderr: the runners keep what they need; this
  # silences bash's notice of a crashed server.)
  for ((i = 0; i < nsides * reps; i++)); do
    side=$((i % nsides)); (( (i / nsides) % 2 )) && side=$((nsides - 1 - side))
    case $side in
    0) [ -z "$sys_err" ] || continue
       $runner "$out/$n.sys" "$@" 2>/dev/null; [ -n "$val" ] && sys+=("$val") || sys_err=${err:-failed} ;;
    1) [ -z "$ours_err" ] || continue
       $runner "$out/$n.rs" "$@" 2>/dev/null; [ -n "$val" ] && ours+=("$val") || ours_err=${err:-failed} ;;
    2) [ -z "$uring_err" ] || continue
       EVENT_IOURING=1 $runner "$out/$n.rs" "$@" 2>/dev/null; [ -n "$val" ] && uring+=("$val") || uring_err=${err:-failed} ;;
    esac
  done
  [ "${BENCH_RAW:-0}" = 1 ] && echo "  $label: libevent ${sys[*]:-}; event_rs ${ours[*]:-}; io_uring ${uring[*]:-}" >&2
  local ms mo mu c_uring="" c_uring_ratio=""
  [ -z "$sys_err" ] && ms=$(printf '%s\n' "${sys[@]}" | summary "$better")
  [ -z "$ours_err" ] && mo=$(printf '%s\n' "${ours[@]}" | summary "$better")
  [ $URING = 1 ] && [ -z "$uring_err" ] && mu=$(printf '%s\n' "${uring[@]}" | summary "$better")
  if [ -n "$sys_err" ]; then line "$label" "failed" "-" "" "" "libevent: $sys_err"; return; fi
  if [ $URING = 1 ]; then
    if [ -n "$uring_err" ]; then c_uring="failed"; c_uring_ratio="($uring_err)"
    else c_uring=$(fmt "$mu"); c_uring_ratio=$(ratio "$ms" "$mu" "$better"); fi
  fi
  if [ -n "$ours_err" ]; then line "$label" "$(fmt "$ms")" "failed" "-" "$c_uring" "$c_uring_ratio ($ours_err)"
  else line "$label" "$(fmt "$ms")" "$(fmt "$mo")" "$(ratio "$ms" "$mo" "$better")" "$c_uring" "$c_uring_ratio"; fi
}

# pair_row LABEL lower|higher REPS RUNNER "COMMAND A" "COMMAND B" [ARGS...]: two commands (each
# split into words) run alternately as the other rows' sides, `RUNNER COMMAND ARGS`, A in the first
# column and B in the second, ratio as for the other rows (> 1: B is better).
pair_row() {
  local label=$1 better=$2 reps=$3 runner=$4 a=$5 b=$6; shift 6
  local va=() vb=() i ea="" eb=""
  for ((i = 0; i < 2 * reps; i++)); do
    if (( (i + i / 2) % 2 == 0 )); then
      [ -z "$ea" ] || continue
      $runner $a "$@" 2>/dev/null; [ -n "$val" ] && va+=("$val") || ea=${err:-failed}
    else
      [ -z "$eb" ] || continue
      $runner $b "$@" 2>/dev/null; [ -n "$val" ] && vb+=("$val") || eb=${err:-failed}
    fi
  done
  [ "${BENCH_RAW:-0}" = 1 ] && echo "  $label: ${va[*]:-}; ${vb[*]:-}" >&2
  if [ -n "$ea$eb" ]; then line "$label" "failed" "-" "" "" "${ea:-$eb}"; return; fi
  local ma mb
  ma=$(printf '%s\n' "${va[@]}" | summary "$better")
  mb=$(printf '%s\n' "${vb[@]}" | summary "$better")
  line "$label" "$(fmt "$ma")" "$(fmt "$mb")" "$(awk -v s="$ma" -v o="$mb" -v b="$better" \
    'BEGIN {printf "%.2f", (b == "lower") ? s / o : o / s}')"
}

# ours_row LABEL lower|higher REPS PROGRAM "ARGS A" "ARGS B": two modes of event_rs itself, A in
# the first column and B in the second, ratio as for the other rows (> 1: B is better).
ours_row() {
  local label=$1 better=$2 reps=$3 n=$4 a=$5 b=$6
  wanted "${n#bench_}" || return 0
  if [ -n "${skip[$n]:-}" ]; then line "$label" "-" "skipped" "" "" "(not built: ${skip[$n]})"; return; fi
  pair_row "$label" "$better" "$reps" run_prog "$out/$n.rs $a" "$out/$n.rs $b"
}

for f in benches/bench_*.c; do n=$(basename "$f" .c); wanted "${n#bench_}" && build "$n"; done

# The io_uring side only where event_rs really gets an io_uring base here (else it would
# measure epoll a second time): EVENT_SHOW_METHOD names the method the library chose.
URING=0
if [ "${BENCH_IOURING:-1}" != 0 ] &&
   printf '#include <event2/event.h>\n#include <stdio.h>\nint main(void){struct event_base*b=event_base_new();if(!b)return 1;puts(event_base_get_method(b));return 0;}\n' |
     gcc $OURS_CFLAGS -x c -o "$out/method" - $OURS_LIBS 2>/dev/null &&
   [ "$(EVENT_IOURING=1 "$out/method" 2>/dev/null)" = io_uring ]; then
  URING=1
fi
line() { printf '%-38s %12s %12s %6s %12s %6s\n' "$@"; }
line "benchmark" "libevent" "event_rs" "ratio" "io_uring" "ratio"
line "---------" "--------" "--------" "-----" "--------" "-----"
[ $URING = 1 ] || echo "(no io_uring column: $([ "${BENCH_IOURING:-1}" = 0 ] && echo "BENCH_IOURING=0" || echo "event_rs gets no io_uring base here"))"

row "pipe, 100 fds (us/pass)"              lower  "$REPS" run_prog bench_pipe 100 10 1000 40
row "pipe, 1000 fds (us/pass)"             lower  "$REPS" run_prog bench_pipe 1000 10 1000 20
row "pipe, 10000 fds (us/pass)"            lower  "$REPS" run_prog bench_pipe 10000 10 1000 10
row "timers, 100k add/re-add/del/fire (ms)" lower "$REPS" run_prog bench_timers 100000
row "evbuffer, 4M small adds, drains (ms)" lower  "$REPS" run_prog bench_evbuffer adds
row "evbuffer, readln 16 MB (ms)"          lower  "$REPS" run_prog bench_evbuffer readln
row "evbuffer, search 4x16 MB (ms)"        lower  "$REPS" run_prog bench_evbuffer search
row "evbuffer, add_buffer moves (ms)"      lower  "$REPS" run_prog bench_evbuffer addbuf
row "evbuffer, 256 MB socketpair I/O (ms)" lower  "$REPS" run_prog bench_evbuffer io
row "echo, 100 conns (round trips/s)"      higher "$REPS" run_prog bench_echo rtt 100 50000
row "echo, 100 conns (MB/s)"               higher "$REPS" run_prog bench_echo bytes 100 128
row "echo, idle conn memory (bytes, RSS)"  lower  "$REPS" run_prog bench_echo mem 2000
row "http, keep-alive (requests/s)"        higher "$HTTP_REPS" run_http bench_http
row "http, Connection: close (requests/s)" higher "$HTTP_REPS" run_http bench_http -H "Connection: close"
row "http, 3 MB request line (ms)"         lower  "$REPS" run_prog bench_http line uri 3 5
row "http, 3 MB header line (ms)"          lower  "$REPS" run_prog bench_http line header 3 5
row "http, 3 MB reply header, client (ms)" lower  "$REPS" run_prog bench_http line reply 3 5
row "http, 256 MB upload, buffered (MB/s)" higher "$REPS" run_prog bench_http_upload buffered 256
row "http, 256 MB upload, streamed* (MB/s)" higher "$REPS" run_prog bench_http_upload streamed 256
# Signal storm: 200,000 queued real-time signals in bursts of 64. libevent 2.1 has only its
# handler + socketpair; the "signalfd" rows ask for EVENT_BASE_FLAG_USE_SIGNALFD (libevent 2.1
# ignores it), the last one compares event_rs's two paths with each other.
row "signals, sigaction path (ms)"         lower  "$REPS" run_prog bench_signal sigaction 200000
row "signals, signalfd flag (ms)"          lower  "$REPS" run_prog bench_signal signalfd 200000
ours_row "signals: rs socketpair|rs signalfd" lower "$REPS" bench_signal "sigaction 200000" "signalfd 200000"
# Memory as the reliability probes measure it (RSS of the process; KB or bytes, lower is
# better), and the patterns of two real programs: a UDP server re-adding its read event per
# packet (nsd) and a connection per request through libev's API (shadowsocks-libev), the
# libev rows built against the system's libev (the "libevent" column) and against ours.
row "http, fresh server (KB RSS)"          lower  "$REPS" run_prog bench_httpmem fresh
row "http, idle keep-alive conn (bytes RSS)" lower "$REPS" run_prog bench_httpmem idle 2000
row "http, 200k pipelined unread (KB peak)" lower "$REPS" run_prog bench_httpmem pipeline 200000
row "libev, fresh loop (KB RSS)"           lower  "$REPS" run_prog bench_evconn mem
row "libev, conn per request (conns/s)"    higher "$REPS" run_prog bench_evconn conns 20000
row "udp, event re-added per packet (rt/s)" higher "$REPS" run_prog bench_udp readd 200000
row "udp, re-added, EVLOOP_ONCE loop (rt/s)" higher "$REPS" run_prog bench_udp once 200000
row "udp, event_del/event_add per pkt (rt/s)" higher "$REPS" run_prog bench_udp deladd 200000
# System calls per echo round trip (client and server sides together, setup included), counted
# by strace -c -f: what the io_uring backend is for.
syscalls() {
  local bin=$1 n=20000; shift
  "$@" strace -c -f -o "$out/strace.txt" "$bin" rtt 100 $n >/dev/null 2>&1 || { echo "failed"; return; }
  awk -v n=$n '/ total$/ {t=$(NF-2)} $NF ~ /^(epoll_ctl|epoll_wait|io_uring_enter)$/ {w+=$4}
    END {if (t) printf "%.2f (%.2f in epoll_ctl/epoll_wait/io_uring_enter)", t / n, w / n; else print "no count"}' "$out/strace.txt"
}
if wanted echo && [ -z "${sysfail[bench_echo]:-}${skip[bench_echo]:-}" ] && [ "${BENCH_SYSCALLS:-1}" != 0 ]; then
  if need strace; then
    echo "system calls per echo round trip (strace -c -f; bench_echo rtt 100 20000):"
    echo "  libevent:           $(syscalls "$out/bench_echo.sys" env)"
    echo "  event_rs, epoll:    $(syscalls "$out/bench_echo.rs" env -u EVENT_IOURING)"
    [ $URING = 1 ] && echo "  event_rs, io_uring: $(syscalls "$out/bench_echo.rs" env EVENT_IOURING=1)"
  else echo "(no system call counts: strace is not installed)"; fi
fi
# WebSocket echo (event2/ws.h, libevent 2.2's API): libevent 2.1 has no WebSocket, so the first
# column is the Python websockets package's asyncio server (benches/ws_echo_server.py, run by
# build/venv's python) on the same machine. One client drives both servers, benches/ws_echo.c on
# event_rs's evws_connect (built against event_rs only, hence not a bench_*.c): 10 sessions,
# binary messages, 16 unanswered at a time on each; the client's wall-clock rate.
if wanted ws; then
  ws_skip=""
  if ! gcc $CFLAGS $OURS_CFLAGS -o "$out/ws_echo" benches/ws_echo.c $OURS_LIBS 2>"$out/ws_echo.log"; then
    ws_skip="not built: $(why "$out/ws_echo.log")"
  elif ! ws_venv; then ws_skip="no websockets package: python3-venv or pip unavailable"; fi
  ws_row() {
    local label=$1; shift
    if [ -n "$ws_skip" ]; then line "$label" "-" "skipped" "" "" "($ws_skip)"; return; fi
    pair_row "$label" higher "$WS_REPS" run_ws "$venv/bin/python benches/ws_echo_server.py" \
      "$out/ws_echo server" -- "$@"
  }
  ws_row "ws echo, 64 B: websockets|rs (msg/s)"   10 10000 64 16 msgs
  ws_row "ws echo, 16 KiB: websockets|rs (MB/s)"  10 1000 16384 16 mb
fi
echo "ratio > 1: event_rs is better (libevent/event_rs for times and memory, event_rs/libevent"
echo "for rates); io_uring: event_rs with EVENT_IOURING=1, its ratio also against libevent."
echo "${STAT_NAME^} of $REPS runs a side ($HTTP_REPS for HTTP), run alternately (ABC CBA)."
echo "The \"rs socketpair|rs signalfd\" row has event_rs's two signal paths in its columns (ratio > 1:"
echo "signalfd is faster)."
echo "Times and rates are per $CLOCK of the process; HTTP is wrk's wall-clock rate."
wanted ws && echo "\"ws\" rows: libevent 2.1 has no WebSocket, so the first column is the Python websockets
package's echo server (asyncio), the second event_rs's, one event_rs client driving both
(10 sessions, 16 messages in flight each); the client's wall-clock rate, $WS_REPS runs a side."
echo "* streamed: event_rs's streamed bodies against libevent's buffered upload of the same size."
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg): on a shared machine, read"
echo "ratios within about 0.9-1.1 as equal (the pipe rows vary more)."
