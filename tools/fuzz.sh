#!/usr/bin/env bash
# Runs each cargo-fuzz target of fuzz/ for a bounded time, starting from the seed corpus
# fuzz/corpus/<target>/ (committed, read only: new inputs go to build/fuzz-corpus/<target>/).
#   tools/fuzz.sh [seconds]        default 60 per target
# Installs cargo-fuzz (crates.io) when missing. Builds with the stable toolchain through
# RUSTC_BOOTSTRAP=1 (the sanitizer flags are unstable). A crash fails the run; its input is
# kept in build/fuzz-artifacts/<target>/ to be turned into a regression test.
set -u
cd "$(dirname "$0")/.."
secs=${1:-60}
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install --locked --quiet cargo-fuzz || { echo "fuzz: could not install cargo-fuzz"; exit 1; }
fi
mkdir -p build
root=$PWD
cd fuzz
echo "fuzz: building the targets"
RUSTC_BOOTSTRAP=1 cargo fuzz build >"$root/build/fuzz-build.log" 2>&1 \
  || { echo "fuzz: build FAILED (see build/fuzz-build.log)"; tail -n 30 "$root/build/fuzz-build.log"; exit 1; }
for t in $(ls fuzz_targets | sed 's/\.rs$//'); do
  work="$root/build/fuzz-corpus/$t" art="$root/build/fuzz-artifacts/$t/"
  mkdir -p "$work" "$art" "corpus/$t"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" "$work" "corpus/$t" -- -max_total_time="$secs" \
    -rss_limit_mb=4096 -artifact_prefix="$art" >"$root/build/fuzz-$t.log" 2>&1 \
    || { echo "fuzz: $t FAILED (see build/fuzz-$t.log; the input is in build/fuzz-artifacts/$t/)"
         tail -n 30 "$root/build/fuzz-$t.log"; exit 1; }
  runs=$(grep -oE '^Done [0-9]+ runs' "$root/build/fuzz-$t.log" | tail -n 1 | grep -oE '[0-9]+')
  echo "fuzz: $t: ${runs:-?} runs in ${secs}s, no crash"
done
