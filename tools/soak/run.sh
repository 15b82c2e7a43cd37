#!/usr/bin/env bash
# make soak: an echo server (bufferevents on an evconnlistener) and an evhttp server, built
# against event_rs (and against the system's libevent, side by side), each holding SOAK_CONNS
# concurrent connections from tools/soak/soak_client.c for SOAK_SECS seconds, in rounds.
# Clients connect, send, half-close and reset at random; every byte that comes back is checked
# against what was sent (soak_client.c). After each round, once the clients are gone, the
# server's open descriptors and RSS (after malloc_trim, on SIGUSR1) are recorded. It fails when
#   - a client saw a byte lost, added or reordered, or any unexpected error;
#   - the server does not return to the descriptors it had before the first round;
#   - the server's RSS after a round exceeds its RSS after the warm-up round (the first) by
#     more than SOAK_RSS_SLACK_KB (default 4096) plus 10 %;
#   - (SOAK_VALGRIND=1, the default) valgrind reports an error or a definite leak in a short
#     run of our servers with SOAK_VG_CONNS connections.
# Speeds are printed, never asserted.
#   SOAK_SECS=120 SOAK_ROUNDS=4 SOAK_CONNS=10000 SOAK_DELAY_MS=2000 (pause between a
#   connection's chunks, at most)  SOAK_LIBEVENT=1  SOAK_VALGRIND=1 SOAK_VG_CONNS=200
#   SOAK_VG_SECS=15  SOAK_ONLY=echo|http
set -u
cd "$(dirname "$0")/../.."
SECS=${SOAK_SECS:-120}
ROUNDS=${SOAK_ROUNDS:-4}
CONNS=${SOAK_CONNS:-10000}
DELAY=${SOAK_DELAY_MS:-2000}
SLACK=${SOAK_RSS_SLACK_KB:-4096}
MODES=${SOAK_ONLY:-echo http}
out=build/soak
mkdir -p "$out"
unset LD_PRELOAD LD_LIBRARY_PATH
status=0

# Descriptors: each side needs one per connection plus a few.
need=$((CONNS + 100))
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$need" ]; then
  CONNS=$((hard - 100))
  echo "soak: the hard limit on open files is $hard (ulimit -Hn): running with $CONNS connections instead of ${SOAK_CONNS:-10000}"
  need=$hard
fi
ulimit -Sn "$need" || { echo "soak: cannot raise the open file limit to $need"; exit 1; }

CFLAGS="-O2 -g -Wall -Wextra"
cc $CFLAGS -o $out/soak_client tools/soak/soak_client.c || exit 1
cc $CFLAGS -Iinclude -o $out/server-event_rs tools/soak/soak_server.c \
  -Lbuild/lib -levent_rs -Wl,-rpath,"$PWD/build/lib" || exit 1
impls="event_rs"
if [ "${SOAK_LIBEVENT:-1}" = 1 ]; then
  if cc $CFLAGS $(pkg-config --cflags libevent 2>/dev/null) -o $out/server-libevent \
       tools/soak/soak_server.c $(pkg-config --libs libevent 2>/dev/null) 2>$out/libevent-build.log; then
    impls="event_rs libevent"
  else
    echo "soak: could not build against the system's libevent (see $out/libevent-build.log); ours only"
  fi
fi

fds_of() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
rss_of() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# Starts a server ($@: command); sets $spid and $sport.
start_server() {
  local portfile=$out/port.$$
  rm -f "$portfile"
  "$@" >"$portfile" &
  spid=$!
  sport=""
  for _ in $(seq 1 600); do
    sport=$(head -n 1 "$portfile" 2>/dev/null)
    [ -n "$sport" ] && break
    kill -0 "$spid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$portfile"
  [ -n "$sport" ]
}

# Stops the server; returns its exit status.
stop_server() {
  kill -TERM "$spid" 2>/dev/null
  wait "$spid"
}

# Waits until the server holds $1 descriptors (its connections are closed), 60 s at most.
settle() {
  for _ in $(seq 1 600); do
    [ "$(fds_of "$spid")" -le "$1" ] && return 0
    sleep 0.1
  done
  return 1
}

soak() { # impl mode
  local impl=$1 mode=$2 round per=$((SECS / ROUNDS)) base warm="" fail=""
  [ "$per" -ge 1 ] || per=1
  if ! start_server "$out/server-$impl" "$mode"; then
    echo "soak: $impl $mode server did not start"; status=1; return
  fi
  sleep 0.2
  kill -USR1 "$spid"; sleep 1
  base=$(fds_of "$spid")
  echo
  echo "$impl, $mode: $CONNS concurrent connections, $ROUNDS rounds of ${per}s; server at start: $base fds, $(rss_of "$spid") KiB RSS"
  printf '%5s %8s %9s %7s %10s %6s %8s %10s %10s %12s\n' round opened verified resets "MB checked" peak "conn/s" "peak fds" "fds after" "RSS KiB"
  for round in $(seq 1 "$ROUNDS"); do
    local peakfds=0 t0 t1 line rc
    t0=$(date +%s.%N)
    "$out/soak_client" "$mode" "$sport" "$CONNS" "$per" "$round" "$DELAY" >"$out/client.out" 2>"$out/client-$impl-$mode-$round.err" &
    local cpid=$!
    while kill -0 "$cpid" 2>/dev/null; do
      local f; f=$(fds_of "$spid")
      [ "$f" -gt "$peakfds" ] && peakfds=$f
      sleep 1
    done
    wait "$cpid"; rc=$?
    t1=$(date +%s.%N)
    line=$(cat "$out/client.out")
    settle "$base" || fail="$fail round $round: the server still holds $(fds_of "$spid") fds (had $base) 60 s after its clients left;"
    kill -USR1 "$spid"; sleep 1 # the server trims its heap: RSS is then memory in use
    local fds rss; fds=$(fds_of "$spid"); rss=$(rss_of "$spid")
    [ -n "$warm" ] || warm=$rss
    v() { echo "$line" | sed -n "s/.*\b$1=\([0-9]*\).*/\1/p"; }
    printf '%5s %8s %9s %7s %10s %6s %8s %10s %10s %12s\n' "$round" "$(v opened)" "$(v verified)" "$(v resets)" \
      "$(awk -v b="$(v bytes)" 'BEGIN{printf "%.0f", b/1048576}')" "$(v peak)" \
      "$(awk -v n="$(v opened)" -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", n/(b-a)}')" "$peakfds" "$fds" "$rss"
    if [ $rc -ne 0 ] || [ -z "$line" ]; then
      fail="$fail round $round: client errors (first ones: $(head -n 3 "$out/client-$impl-$mode-$round.err" | tr '\n' ' '));"
    fi
    if [ "$round" -gt 1 ] && [ "$rss" -gt $((warm + SLACK + warm / 10)) ]; then
      fail="$fail round $round: RSS $rss KiB grew beyond the warm-up round's $warm KiB + $SLACK KiB + 10 %;"
    fi
    kill -0 "$spid" 2>/dev/null || { fail="$fail the server died;"; break; }
  done
  stop_server || fail="$fail the server exited with status $? on SIGTERM;"
  if [ -n "$fail" ]; then
    echo "soak: $impl $mode FAILED:$fail"
    status=1
  else
    echo "soak: $impl $mode ok: no byte lost or reordered; fds back to $base after every round; RSS within bound (warm-up $warm KiB + $SLACK KiB + 10 %)"
  fi
}

for impl in $impls; do
  for mode in $MODES; do
    soak "$impl" "$mode"
  done
done

if [ "${SOAK_VALGRIND:-1}" = 1 ]; then
  VGC=${SOAK_VG_CONNS:-200}
  VGS=${SOAK_VG_SECS:-15}
  if ! command -v valgrind >/dev/null; then
    echo "soak: valgrind missing (tools/deps.sh installs it)"; status=1
  fi
  for mode in $MODES; do
    command -v valgrind >/dev/null || break
    log=$out/valgrind-$mode.log
    echo
    echo "valgrind, event_rs $mode: $VGC connections for ${VGS}s"
    if ! start_server valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
         --log-file="$log" "$out/server-event_rs" "$mode"; then
      echo "soak: the server did not start under valgrind (see $log)"; status=1; continue
    fi
    "$out/soak_client" "$mode" "$sport" "$VGC" "$VGS" 7 500 >"$out/client.out" 2>"$out/client-valgrind-$mode.err"
    rc=$?
    echo "  client: $(cat "$out/client.out")"
    stop_server; vrc=$?
    if [ $rc -ne 0 ]; then
      echo "soak: valgrind $mode: client errors: $(head -n 3 "$out/client-valgrind-$mode.err")"; status=1
    elif [ $vrc -ne 0 ]; then
      echo "soak: valgrind $mode: the server exited with status $vrc (99: valgrind errors, see $log)"
      head -n 30 "$log"; status=1
    else
      echo "  valgrind: no error, no definite leak"
    fi
  done
fi
rm -f "$out/client.out"
exit $status
