#!/usr/bin/env bash
# Runs the unit tests of the pure data structures under Miri, which reports undefined behaviour
# (use after free, out-of-bounds access, aliasing violations, leaks) in their unsafe code:
# the timer heap, the active queues, the event maps, evbuffer chains and chain lists, and the
# evbuffer model checker (one seeded sequence, and the fuzz-input test).
# Modules that make system calls Miri cannot run are not selected; their data structures have
# tests of their own here. Installs the nightly toolchain's miri component when missing.
#   MIRI_FILTERS="core::heap:: ..."   other test name filters
set -u
cd "$(dirname "$0")/.."
filters=${MIRI_FILTERS:-"core::heap:: core::queue:: core::evmap:: buffer::chain buffer::model::"}
min_tests=${MIRI_MIN_TESTS:-11} # fewer means a filter no longer matches (a renamed module)

if ! command -v rustup >/dev/null 2>&1; then
  echo "miri: rustup not found, skipped (Miri comes as a rustup component of the nightly toolchain)"
  exit 0
fi
if ! cargo +nightly miri --version >/dev/null 2>&1; then
  echo "miri: installing the nightly toolchain's miri and rust-src components"
  if rustup toolchain list | grep -q '^nightly'; then
    rustup component add miri rust-src --toolchain nightly
  else
    rustup toolchain install nightly --profile minimal --component miri,rust-src
  fi || { echo "miri: could not install Miri"; exit 1; }
fi

mkdir -p build
log=build/miri.log
start=$(date +%s)
# shellcheck disable=SC2086 # the filters are separate words
cargo +nightly miri test --quiet --lib -- $filters >"$log" 2>&1
rc=$?
secs=$(($(date +%s) - start))
passed=$(sed -n 's/^test result: .* \([0-9][0-9]*\) passed.*/\1/p' "$log" | tail -n 1)
if [ $rc -ne 0 ]; then
  echo "miri: FAILED after ${secs}s (see $log)"
  grep -A 25 -m 1 -E '^error|panicked' "$log"
  exit 1
fi
if [ "${passed:-0}" -lt "$min_tests" ]; then
  echo "miri: only ${passed:-0} tests ran (expected at least $min_tests): check the filters"
  exit 1
fi
echo "miri: ${passed} tests without undefined behaviour in ${secs}s (filters: $filters)"
