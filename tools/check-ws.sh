#!/usr/bin/env bash
# WebSocket conformance (event2/ws.h) against the Python `websockets` package from PyPI, as the
# client of our server (examples-c/ws_chat) and as the server for our client (tools/ws-client.c):
# see tools/check-ws.py. Installs what it needs: websockets into build/venv, the openssl tool
# (test certificates for wss://) when missing.   tools/check-ws.sh   (make test runs it)
set -eu
cd "$(dirname "$0")/.."
venv=build/venv
if ! "$venv/bin/python" -c 'import websockets.sync.server' 2>/dev/null; then
  python3 -m venv "$venv" 2>/dev/null || {
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$venv"; }
  "$venv/bin/pip" install -q 'websockets>=13'
fi
if ! command -v openssl >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get install -y -qq openssl >/dev/null
fi
make -s lib examples >/dev/null
gcc -O1 -Wall -Iinclude -o build/ws-client tools/ws-client.c -Lbuild/lib -levent_rs -Wl,-rpath,"$PWD/build/lib"
echo "ws: websockets $("$venv/bin/python" -c 'import websockets; print(websockets.__version__)')"
exec timeout 900 "$venv/bin/python" tools/check-ws.py --chat build/examples/ws_chat --client build/ws-client
