#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (stable toolchain, through RUSTC_BOOTSTRAP) for a while.
#   tools/fuzz.sh [seconds]        default 60; FUZZ_INSTALL=1 installs cargo-fuzz when missing
# Without cargo-fuzz (and without FUZZ_INSTALL=1) it says so and succeeds: the same checker runs
# under `cargo test` (buffer::model) on seeded sequences.
set -u
cd "$(dirname "$0")/.."
secs=${1:-60}
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  if [ "${FUZZ_INSTALL:-0}" = 1 ]; then
    cargo install --quiet cargo-fuzz || { echo "fuzz: could not install cargo-fuzz"; exit 1; }
  else
    echo "fuzz: cargo-fuzz not installed, skipped (FUZZ_INSTALL=1 installs it)"; exit 0
  fi
fi
cd fuzz
for t in $(ls fuzz_targets | sed 's/\.rs$//'); do
  echo "fuzz: $t for ${secs}s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" -- -max_total_time="$secs" -rss_limit_mb=4096 >"../build/fuzz-$t.log" 2>&1 \
    || { echo "fuzz: $t FAILED (see build/fuzz-$t.log)"; tail -n 30 "../build/fuzz-$t.log"; exit 1; }
  grep -E '^Done|#[0-9]+.*DONE' "../build/fuzz-$t.log" | tail -n 1
done
