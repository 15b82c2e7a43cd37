#!/usr/bin/env bash
# Builds examples-c/ (make examples) and drives each program over loopback with
# tools/check-examples.py: the raw-event echo server, the listener + bufferevent line server,
# the stdin client, the clean shutdown on SIGINT/SIGTERM, and the transforming proxy with its
# backpressure. Also runs them against the system's libevent when --system is given.
# Then tools/check-examples-http.sh: the evhttp server example, on both libraries. After every
# scripted client, each server must still answer; our builds run under valgrind (VALGRIND=0
# skips it).
# ws_chat (WebSocket, 2.2's ws.h: ours only) is checked through its protocol by tools/check-ws.sh.
#   tools/check-examples.sh [--system] [--only NAME[,NAME]]
set -u
cd "$(dirname "$0")/.."
bin=build/examples
args=() only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --system)
      bin=build/examples-system; mkdir -p "$bin"
      for f in examples-c/*.c; do
        # ws_chat uses 2.2's ws.h, which libevent 2.1.12 lacks: ours only
        grep -q "needs: event_rs" "$f" && continue
        gcc -O2 -Wall -o "$bin/$(basename "$f" .c)" "$f" -levent || exit 1
      done
      shift ;;
    --only) args+=(--only "$2"); only=$2; shift 2 ;;
    *) echo "check-examples.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ "$bin" = build/examples ] && { make -s examples >/dev/null || exit 1; }
# Our build runs under valgrind (VALGRIND=0 skips it), as the C tests do.
if [ "$bin" = build/examples ] && [ "${VALGRIND:-1}" != 0 ] && command -v valgrind >/dev/null; then
  args+=(--valgrind)
fi
rc=0
python3 tools/check-examples.py --bin "$bin" "${args[@]}" || rc=1
if [ -z "$only" ] || [[ ",$only," == *",http_server,"* ]]; then
  ./tools/check-examples-http.sh || rc=1
fi
exit $rc
