#!/usr/bin/env bash
# Runs the thread tests under ThreadSanitizer: the library built on nightly with
# -Zsanitizer=thread (std rebuilt the same way, so every access is seen), the C tests compiled
# -fsanitize=thread and linked with rustc's TSan runtime (gcc 12's libtsan is older than the
# instrumentation rustc emits). Any report fails the run.
#   tools/tsan.sh [test ...]      default: every c-tests/*thread*.c and bev_lock_debug
# Without the nightly toolchain it says so and succeeds; it installs nightly's rust-src.
set -u
cd "$(dirname "$0")/.."
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "tsan: no nightly toolchain, skipped"; exit 0
fi
rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src' ||
  rustup component add rust-src --toolchain nightly >/dev/null || { echo "tsan: cannot install rust-src"; exit 1; }
host=$(rustc +nightly -vV | sed -n 's/^host: //p')
sysroot=$(rustc +nightly --print sysroot)
rt=$(ls "$sysroot"/lib/rustlib/"$host"/lib/librustc-nightly_rt.tsan.a 2>/dev/null)
[ -n "$rt" ] || { echo "tsan: nightly has no TSan runtime"; exit 1; }
out=build/tsan
mkdir -p "$out"
echo "tsan: building the library with -Zsanitizer=thread (the first build also builds std)"
RUSTFLAGS="-Zsanitizer=thread" cargo +nightly build --quiet -Zbuild-std=std,panic_abort \
  --target "$host" --release --target-dir target/tsan || { echo "tsan: build failed"; exit 1; }
gcc -shared -o "$out/libevent_rs.so" -Wl,-soname,libevent_rs.so \
  -Wl,--whole-archive "target/tsan/$host/release/libevent_rs.a" -Wl,--no-whole-archive \
  -Wl,--gc-sections -Wl,--version-script=exports.map -lssl -lcrypto -lpthread -ldl -lm || exit 1
names=("$@")
if [ ${#names[@]} = 0 ]; then
  for f in c-tests/*thread*.c c-tests/bev_lock_debug.c; do names+=("$(basename "$f" .c)"); done
fi
fail=0
for n in "${names[@]}"; do
  if ! gcc -O1 -g -fsanitize=thread -D_GNU_SOURCE -Wno-deprecated-declarations -Iinclude \
         -c -o "$out/$n.o" "c-tests/$n.c" ||
     ! gcc -o "$out/$n" "$out/$n.o" -Wl,--whole-archive "$rt" -Wl,--no-whole-archive \
         -L"$out" -levent_rs -Wl,-rpath,"$PWD/$out" -lpthread -ldl -lm -lstdc++; then
    echo "$n: FAIL (build)"; fail=1; continue
  fi
  if ! TSAN_OPTIONS="halt_on_error=1 exitcode=66" timeout 600 "$out/$n" >"$out/$n.log" 2>&1; then
    echo "$n: FAIL ($(grep -m1 -E 'WARNING: ThreadSanitizer|check failed' "$out/$n.log" || tail -n1 "$out/$n.log"))"
    fail=1; continue
  fi
  echo "$n: ok under ThreadSanitizer"
done
exit $fail
