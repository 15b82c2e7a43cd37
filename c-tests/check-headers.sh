#!/usr/bin/env bash
# Keeps the headers true to the library:
#  1. the generated prototypes (include/event2/gen) are what the build regenerates: committed, unchanged;
#  2. each generated file compiles after the system's libevent headers (no conflicting types);
#     gen/ev.h (libev's API, whose EV_* names clash with libevent's) compiles after the system's
#     libev <ev.h> instead, and our <ev.h> compiles on its own as C and C++;
#  3. every exported function is declared in include/, every generated prototype is exported,
#     and the exports cover libevent's public symbols (printed per library).
set -u
cd "$(dirname "$0")/.."
fail=0
so=build/lib/libevent_rs.so
tsv=abi/libevent-2.1.12-public-symbols.tsv  # the fact list of libevent 2.1.12's public symbols
[ -f "$tsv" ] || { echo "headers: FAIL (no $tsv)"; exit 1; }

if [ -n "$(git status --porcelain -- include/event2/gen)" ]; then
  echo "headers: FAIL (regenerating include/event2/gen changed it; commit the result)"
  git status --short -- include/event2/gen; fail=1
else echo "headers: generated prototypes unchanged"; fi

sys_headers=""
for h in /usr/include/event2/{event,event_struct,event_compat,buffer,buffer_compat,bufferevent,bufferevent_struct,bufferevent_compat,bufferevent_ssl,listener,util,thread,http,http_struct,http_compat,dns,dns_struct,dns_compat,tag,tag_compat,rpc,rpc_struct,rpc_compat}.h; do
  [ -f "$h" ] && sys_headers+="#include <${h#/usr/include/}>"$'\n'
done
for g in include/event2/gen/*.h; do
  [ "$g" = include/event2/gen/ev.h ] && continue
  if ! printf '%s#include "%s"\n' "$sys_headers" "$PWD/$g" | gcc -fsyntax-only -Wall -Werror -x c - 2>build/conflict.log; then
    echo "headers: FAIL ($g conflicts with the system's declarations: $(grep -m1 error build/conflict.log))"; fail=1
  fi
done
[ $fail = 0 ] && echo "headers: generated prototypes agree with the system's libevent headers"

if [ ! -f /usr/include/ev.h ]; then
  echo "headers: FAIL (no /usr/include/ev.h to check gen/ev.h against: install libev-dev)"; fail=1
elif ! printf '#include </usr/include/ev.h>\n#include "%s"\n' "$PWD/include/event2/gen/ev.h" | gcc -fsyntax-only -Wall -Werror -x c - 2>build/conflict.log; then
  echo "headers: FAIL (gen/ev.h conflicts with the system's <ev.h>: $(grep -m1 error build/conflict.log))"; fail=1
elif ! echo '#include <ev.h>' | gcc -fsyntax-only -Wall -Werror -Iinclude -x c - 2>build/conflict.log ||
     ! echo '#include <ev.h>' | g++ -fsyntax-only -Wall -Werror -Iinclude -x c++ - 2>>build/conflict.log; then
  echo "headers: FAIL (include/ev.h does not compile on its own: $(grep -m1 error build/conflict.log))"; fail=1
else echo "headers: gen/ev.h agrees with the system's libev <ev.h>; <ev.h> compiles as C and C++"; fi

exported=$(nm -D --defined-only "$so" | awk '$2 ~ /[TWDBR]/ {print $3}' | sort -u)
# Names in the headers' code, comments left out (documentation names functions too).
code() { perl -0777 -pe 's{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g' "$@"; }
declared=$(code include/*.h include/event2/*.h include/event2/gen/*.h | grep -oE '[A-Za-z_][A-Za-z0-9_]*' | sort -u)
generated=$(code include/event2/gen/*.h | grep -ohE '[A-Za-z_][A-Za-z0-9_]*\(' | tr -d '(' | sort -u)
undeclared=$(comm -23 <(echo "$exported") <(echo "$declared"))
unexported=$(comm -23 <(echo "$generated") <(echo "$exported"))
if [ -n "$undeclared" ]; then echo "headers: FAIL (exported but not declared: $(echo $undeclared))"; fail=1; fi
if [ -n "$unexported" ]; then echo "headers: FAIL (declared but not exported: $(echo $unexported))"; fail=1; fi

for lib in core extra pthreads openssl; do
  want=$(awk -F'\t' -v l=$lib '$2 == l {print $1}' "$tsv" | sort -u)
  have=$(comm -12 <(echo "$want") <(echo "$exported") | grep -c .)
  echo "coverage: libevent_$lib $have/$(echo "$want" | grep -c .) public symbols"
done
[ $fail = 0 ]
