#!/usr/bin/env bash
# Installs what the tests and benchmarks need (Debian packages), only when something is missing.
set -eu
pkgs="libevent-dev libssl-dev libev-dev gcc g++ make python3 valgrind pkg-config cmake memcached libmemcached-tools wrk tmux"
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $missing >/dev/null
