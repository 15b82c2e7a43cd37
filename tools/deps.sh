#!/usr/bin/env bash
# Installs what the tests and benchmarks need (Debian packages, and rustup's clippy and rustfmt), only when
# something is missing.
#   tools/deps.sh build    only what building the library needs (make and make demo run this)
#   tools/deps.sh docs     only doxygen (make docs)
set -eu
build="gcc make pkg-config libssl-dev"
pkgs="$build libevent-dev libev-dev g++ python3 valgrind cmake memcached libmemcached-tools wrk tmux doxygen"
[ "${1:-}" = build ] && pkgs=$build
[ "${1:-}" = docs ] && pkgs=doxygen
# clippy and rustfmt, which make check and make test run, are rustup components.
if [ -z "${1:-}" ] && command -v rustup >/dev/null; then
  cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
  cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
fi
command -v dpkg >/dev/null || exit 0 # not Debian: the packages are the user's to provide
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $missing >/dev/null
