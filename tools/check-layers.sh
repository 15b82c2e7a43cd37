#!/bin/bash
# The layering rule of docs/ARCHITECTURE.md: src/capi/ is the C boundary and nothing below it
# reaches back up. Fails when
#   1. a module outside src/capi/ names `capi` (crate::capi::..., super::capi, use crate::{capi});
#      comments aside, and src/lib.rs, which declares the module;
#   2. a module outside src/capi/ declares, in an `extern "C" { ... }` block, a function or
#      static that this library itself exports (a name matching exports.map's patterns): the
#      crate would be calling itself through the C ABI instead of through its Rust API.
set -euo pipefail
cd "$(dirname "$0")/.."

# Files still allowed to import the library's own exports (rule 2), to be removed (issue 11):
# HTTP and RPC call the C API through a second set of opaque types, and the WebSocket code is
# built on HTTP's (src/http/ffi.rs).
ALLOW_FILES="src/http/ffi.rs src/rpc/ffi.rs src/ws/client.rs src/ws/conn.rs"
# Single names allowed (file:name): libev's default-loop pointer is a variable of the C shim
# (src/shim/ev.c), so that a non-PIC program's copy relocation is honoured; not a Rust export.
ALLOW_NAMES="src/libev/evloop.rs:ev_default_loop_ptr"

fail=0
# Test modules named tests.rs drive the library through its C API on purpose, as a C program
# would: they are not part of the layers.
files=$(find src -name '*.rs' -not -path 'src/capi/*' -not -name tests.rs | sort)

# 1. References to the capi module, with // comments stripped.
for f in $files; do
  awk -v f="$f" '
    { line = $0; sub(/\/\/.*/, "", line) }
    f == "src/lib.rs" && line ~ /^[[:space:]]*pub mod capi;[[:space:]]*$/ { next }
    line ~ /(^|[^A-Za-z0-9_])capi([^A-Za-z0-9_]|$)/ { printf "%s:%d: reaches into capi: %s\n", f, NR, $0; bad = 1 }
    END { exit bad }' "$f" || fail=1
done

# 2. extern "C" imports of the library's own exports.
patterns=$(sed -n '/global:/,/local:/p' exports.map | sed 's/global://; s/local:.*//' | tr ';' '\n' |
  sed 's/[[:space:]]//g; /^$/d; s/\*/.*/g; s/^/^/; s/$/$/' | paste -sd'|')
for f in $files; do
  case " $ALLOW_FILES " in *" $f "*) continue ;; esac
  names=$(awk '
    { line = $0; sub(/\/\/.*/, "", line) }
    !inblk && line ~ /extern[[:space:]]+"C"[[:space:]]*\{/ { inblk = 1; depth = 0 }
    inblk {
      if (match(line, /fn[[:space:]]+[A-Za-z_][A-Za-z0-9_]*/)) { s = substr(line, RSTART, RLENGTH); sub(/fn[[:space:]]+/, "", s); print NR ":" s }
      else if (match(line, /static[[:space:]]+(mut[[:space:]]+)?[A-Za-z_][A-Za-z0-9_]*/)) { s = substr(line, RSTART, RLENGTH); sub(/static[[:space:]]+(mut[[:space:]]+)?/, "", s); print NR ":" s }
      depth += gsub(/\{/, "{", line) - gsub(/\}/, "}", line)
      if (depth <= 0) inblk = 0
    }' "$f")
  for entry in $names; do
    name=${entry#*:}
    case " $ALLOW_NAMES " in *" $f:$name "*) continue ;; esac
    if [[ $name =~ $patterns ]]; then
      echo "$f:${entry%%:*}: imports the library's own export $name through extern \"C\"; call the Rust API"
      fail=1
    fi
  done
done

if [ $fail -ne 0 ]; then
  echo "check-layers: FAILED (see docs/ARCHITECTURE.md, Layers)"
  exit 1
fi
echo "check-layers: ok"
