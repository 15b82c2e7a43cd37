#!/usr/bin/env bash
# make docs: the HTML reference of the C headers (doxygen, docs/Doxyfile, with docs/GUIDE.md
# as its front page) and of the Rust code (cargo doc --no-deps), in build/docs. Fails when
# either prints a warning. Installs doxygen (Debian package) when missing.
set -eu
cd "$(dirname "$0")/.."
./tools/deps.sh docs
out=build/docs
rm -rf "$out"
mkdir -p "$out"

EVENT_RS_VERSION=$(sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -n 1) \
  doxygen docs/Doxyfile >"$out/doxygen.log" 2>&1 || { cat "$out/doxygen.log"; echo "docs: doxygen failed" >&2; exit 1; }
if [ -s "$out/doxygen.log" ]; then
  head -n 20 "$out/doxygen.log"
  echo "docs: doxygen printed warnings ($out/doxygen.log)" >&2
  exit 1
fi

# The same profile as make lib's build, so that the build script's output is reused. Any
# warning fails.
RUSTDOCFLAGS="-D warnings" cargo doc --release --no-deps --quiet 2>"$out/rustdoc.log" ||
  { head -n 30 "$out/rustdoc.log"; echo "docs: cargo doc failed" >&2; exit 1; }
if grep -q "warning" "$out/rustdoc.log"; then
  head -n 30 "$out/rustdoc.log"
  echo "docs: cargo doc printed warnings" >&2
  exit 1
fi
cp -R target/doc "$out/rust"

cat >"$out/index.html" <<'HTML'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>event_rs documentation</title></head>
<body>
<h1>event_rs documentation</h1>
<ul>
<li><a href="html/index.html">C reference</a>: the headers of include/, with the guide as its front page</li>
<li><a href="rust/event_rs/index.html">Rust internals</a>: cargo doc of the event_rs crate</li>
</ul>
</body></html>
HTML
echo "docs: $out/index.html ($(find "$out/html" -name '*.html' | wc -l) pages from the headers, Rust internals in $out/rust)"
