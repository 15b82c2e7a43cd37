#!/usr/bin/env bash
# Checks `make install` / `make uninstall` end to end, in a temporary prefix: builds and runs a C
# program with `pkg-config --cflags --libs libevent` and one with CMake's find_package(Libevent),
# checks that they use event_rs's headers and library, that libevent's and libev's sonames in
# the install run binaries built against the real libevent and libev on event_rs (also through
# bin/event-rs-run), that EVENT_RS_INFO=1 makes the library name itself once, that install will
# not overwrite files it does not own, and that uninstall leaves the prefix empty.
set -u
cd "$(dirname "$0")/.."
top=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix with space"
work=$tmp/work
mkdir -p "$prefix" "$work"
checks=0

fail() {
  echo "check-install: FAIL ($*)"
  exit 1
}
ok() { checks=$((checks+1)); }

make --no-print-directory -s lib >"$tmp/build.log" 2>&1 || fail "make lib: $(tail -n 3 "$tmp/build.log")"
make --no-print-directory -s install PREFIX="$prefix" >"$tmp/install.log" 2>&1 ||
  fail "make install: $(tail -n 3 "$tmp/install.log")"
lib="$prefix/lib"
for f in lib/libevent_rs.so lib/libevent_rs.a include/event2/util.h include/event2/gen/util.h include/evutil.h \
         lib/event_rs/libevent-2.1.so.7 lib/event_rs/libevent_core-2.1.so.7 lib/event_rs/libev.so.4 \
         lib/cmake/libevent/LibeventConfig.cmake bin/event-rs-run; do
  [ -e "$prefix/$f" ] || fail "$f not installed"
done
ok

# A program on the API: our headers (the generated prototypes are ours alone), our library.
cat >"$work/prog.c" <<'EOF'
#include <event2/event.h>
#include <event2/util.h>
#include <evutil.h>
#include <stdio.h>
#include <string.h>
#ifndef EVENT_RS_GEN_UTIL_H
#error "compiled against another libevent's headers"
#endif
int main(void)
{
	struct sockaddr_storage ss;
	int len = sizeof ss;
	char buf[64];
	struct event_base *base = event_base_new();
	if (!base || evutil_parse_sockaddr_port("[::1]:8080", (struct sockaddr *)&ss, &len) != 0)
		return 1;
	evutil_snprintf(buf, sizeof buf, "%s %d", event_get_version(), len);
	event_base_free(base);
	puts(buf);
	return strcmp(buf, "2.1.12-stable 28") != 0;
}
EOF

# pkg-config: only our .pc files are looked at (not in the environment of later builds: cargo
# finds OpenSSL with pkg-config).
pc_ours() { PKG_CONFIG_LIBDIR="$lib/pkgconfig" PKG_CONFIG_PATH= pkg-config "$@"; }
for pc in libevent_rs libevent libevent_core libevent_extra libevent_pthreads libevent_openssl; do
  libs=$(pc_ours --libs "$pc" | sed "s/ *$//") || fail "pkg-config --libs $pc"
  [ "$libs" = "-L$lib -levent_rs" ] || [ "$libs" = "-L${lib// /\\ } -levent_rs" ] || fail "pkg-config --libs $pc gave '$libs'"
  [ "$(pc_ours --modversion "$pc")" = 2.1.12-stable ] || fail "pkg-config --modversion $pc"
done
pc_ours --atleast-version=2.0.0 libevent || fail "pkg-config --atleast-version=2.0.0 libevent"
# shellcheck disable=SC2046 # word splitting of pkg-config's output is the point
eval "flags=($(pc_ours --cflags --libs libevent))"
cc -Wall -o "$work/prog-pc" "$work/prog.c" "${flags[@]}" 2>"$tmp/cc.log" || fail "cc with pkg-config: $(head -n 3 "$tmp/cc.log")"
LD_LIBRARY_PATH="$lib" ldd "$work/prog-pc" | grep -qF "libevent_rs.so => $lib/libevent_rs.so" ||
  fail "the pkg-config program does not load $lib/libevent_rs.so"
out=$(LD_LIBRARY_PATH="$lib" "$work/prog-pc") || fail "the pkg-config program failed: $out"
# EVENT_RS_INFO: one line naming the library, only when asked for.
LD_LIBRARY_PATH="$lib" "$work/prog-pc" 2>"$tmp/info.log" >/dev/null || fail "prog-pc failed"
[ -s "$tmp/info.log" ] && fail "prog-pc wrote to stderr without EVENT_RS_INFO: $(head -n 2 "$tmp/info.log")"
EVENT_RS_INFO=0 LD_LIBRARY_PATH="$lib" "$work/prog-pc" 2>"$tmp/info.log" >/dev/null || fail "prog-pc failed"
[ -s "$tmp/info.log" ] && fail "prog-pc wrote to stderr with EVENT_RS_INFO=0: $(head -n 2 "$tmp/info.log")"
EVENT_RS_INFO=1 LD_LIBRARY_PATH="$lib" "$work/prog-pc" 2>"$tmp/info.log" >/dev/null || fail "prog-pc failed"
grep -qF "[event_rs] event_rs 2.1.12 " "$tmp/info.log" && grep -qF "loaded from $lib/libevent_rs.so: backend epoll," "$tmp/info.log" ||
  fail "no EVENT_RS_INFO line naming $lib/libevent_rs.so: $(head -n 2 "$tmp/info.log")"

# An OpenSSL bufferevent program, with libevent_openssl's pkg-config name (it links OpenSSL
# itself, as programs using libevent_openssl do).
cat >"$work/sslprog.c" <<'EOF'
#include <event2/event.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/ssl.h>
#include <stdio.h>
#if defined(OURS) && !defined(EVENT_RS_GEN_BUFFEREVENT_SSL_H)
#error "compiled against another libevent's headers"
#endif
int main(void)
{
	struct event_base *base = event_base_new();
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = SSL_new(ctx);
	struct bufferevent *bev = bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	int ok = bev && bufferevent_openssl_get_ssl(bev) == ssl && bufferevent_getfd(bev) == -1 &&
	    bufferevent_get_openssl_error(bev) == 0 && bufferevent_openssl_get_allow_dirty_shutdown(bev) == 0;
	bufferevent_free(bev);
	event_base_free(base);
	SSL_CTX_free(ctx);
	return !ok;
}
EOF
eval "flags=($(pc_ours --cflags --libs libevent_openssl))"
cc -Wall -DOURS -o "$work/sslprog-pc" "$work/sslprog.c" "${flags[@]}" -lssl -lcrypto 2>"$tmp/cc.log" ||
  fail "cc with pkg-config libevent_openssl: $(head -n 3 "$tmp/cc.log")"
LD_LIBRARY_PATH="$lib" ldd "$work/sslprog-pc" | grep -qF "libevent_rs.so => $lib/libevent_rs.so" ||
  fail "the libevent_openssl pkg-config program does not load $lib/libevent_rs.so"
LD_LIBRARY_PATH="$lib" "$work/sslprog-pc" || fail "the libevent_openssl pkg-config program failed"
ok

# CMake: find_package(Libevent) with components, targets and variables; an unknown component
# is reported missing.
if command -v cmake >/dev/null; then
  mkdir -p "$work/cmake"
  cat >"$work/cmake/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.10)
project(event_rs_install_check C)
function(no_such_component)
  find_package(Libevent QUIET COMPONENTS nosuch)
  if(Libevent_FOUND)
    message(FATAL_ERROR "an unknown component was reported found")
  endif()
endfunction()
no_such_component()
find_package(Libevent 2.1 REQUIRED COMPONENTS core extra pthreads openssl)
if(NOT TARGET libevent::core OR NOT TARGET libevent::extra OR NOT TARGET libevent::pthreads
   OR NOT TARGET libevent::openssl)
  message(FATAL_ERROR "targets missing")
endif()
if(NOT LIBEVENT_INCLUDE_DIRS OR NOT LIBEVENT_LIBRARIES)
  message(FATAL_ERROR "LIBEVENT_INCLUDE_DIRS / LIBEVENT_LIBRARIES not set")
endif()
add_executable(prog-targets "$work/prog.c")
target_link_libraries(prog-targets libevent::core libevent::extra libevent::pthreads)
add_executable(prog-vars "$work/prog.c")
target_include_directories(prog-vars PRIVATE \${LIBEVENT_INCLUDE_DIRS})
target_link_libraries(prog-vars \${LIBEVENT_LIBRARIES})
EOF
  cmake -S "$work/cmake" -B "$work/cmake/build" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cmake.log" 2>&1 ||
    fail "cmake configure: $(grep -m 3 -iE 'error|could not' "$tmp/cmake.log")"
  cmake --build "$work/cmake/build" >>"$tmp/cmake.log" 2>&1 || fail "cmake build: $(grep -m 3 -i error "$tmp/cmake.log")"
  for p in prog-targets prog-vars; do
    ldd "$work/cmake/build/$p" | grep -qF "$lib/libevent_rs.so" || fail "$p does not load $lib/libevent_rs.so"
    "$work/cmake/build/$p" >/dev/null || fail "$p failed"
  done
  # LIBEVENT_STATIC_LINK links libevent_rs.a: no shared event library at run time.
  mkdir -p "$work/cmake-static"
  cat >"$work/cmake-static/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.10)
project(event_rs_static_check C)
set(LIBEVENT_STATIC_LINK ON)
find_package(Libevent REQUIRED)
add_executable(prog-static "$work/prog.c")
target_link_libraries(prog-static \${LIBEVENT_LIBRARIES})
EOF
  { cmake -S "$work/cmake-static" -B "$work/cmake-static/build" -DCMAKE_PREFIX_PATH="$prefix" &&
    cmake --build "$work/cmake-static/build"; } >"$tmp/cmake-static.log" 2>&1 ||
    fail "static CMake build: $(grep -m 3 -i error "$tmp/cmake-static.log")"
  ldd "$work/cmake-static/build/prog-static" | grep -q libevent && fail "the static build loads a shared libevent"
  "$work/cmake-static/build/prog-static" >/dev/null || fail "prog-static failed"
  ok
else
  fail "cmake is not installed (tools/deps.sh installs it)"
fi

# libevent's sonames: a program built against the system's libevent runs on event_rs.
if [ -e /usr/include/event2/event.h ]; then
  cat >"$work/sys.c" <<'EOF'
#include <event2/event.h>
#include <event2/util.h>
#include <stdio.h>
int main(void)
{
	char buf[16];
	unsigned char a[16];
	if (evutil_inet_pton(AF_INET6, "::1", a) != 1)
		return 1;
	evutil_snprintf(buf, sizeof buf, "%s", evutil_inet_ntop(AF_INET6, a, buf, sizeof buf));
	return puts(buf) < 0;
}
EOF
  cc -o "$work/sys" "$work/sys.c" -levent || fail "cc against the system's libevent"
  LD_LIBRARY_PATH="$lib/event_rs" ldd "$work/sys" >"$tmp/ldd.log"
  grep -qF "libevent_rs.so => $lib/event_rs/libevent_rs.so" "$tmp/ldd.log" ||
    fail "libevent-2.1.so.7 from the install does not bring in libevent_rs.so: $(grep event "$tmp/ldd.log" | tr '\n' ' ')"
  grep -q "/usr/lib/.*libevent" "$tmp/ldd.log" && fail "the system's libevent is still loaded"
  LD_LIBRARY_PATH="$lib/event_rs" "$work/sys" >/dev/null || fail "the libevent-built program failed on event_rs"
  # And one built against libevent_openssl: its soname is in the folder too.
  if [ -e /usr/include/event2/bufferevent_ssl.h ]; then
    cc -o "$work/sslsys" "$work/sslprog.c" -levent -levent_openssl -lssl -lcrypto || fail "cc against the system's libevent_openssl"
    LD_LIBRARY_PATH="$lib/event_rs" ldd "$work/sslsys" >"$tmp/ldd.log"
    grep -qF "libevent_openssl-2.1.so.7 => $lib/event_rs/libevent_openssl-2.1.so.7" "$tmp/ldd.log" ||
      fail "libevent_openssl-2.1.so.7 is not taken from the install: $(grep event "$tmp/ldd.log" | tr '\n' ' ')"
    grep -q "/usr/lib/.*libevent" "$tmp/ldd.log" && fail "the system's libevent is still loaded by the OpenSSL program"
    LD_LIBRARY_PATH="$lib/event_rs" "$work/sslsys" || fail "the libevent_openssl-built program failed on event_rs"
  fi
  ok
fi

# libev's soname, through the launcher: a program built against the system's libev (and
# libevent) runs on event_rs, as its own /proc/self/maps shows; with EVENT_RS_INFO=1 the
# library names itself once, though the program makes a libevent base and two libev loops.
if [ -e /usr/include/ev.h ] && [ -e /usr/include/event2/event.h ]; then
  cat >"$work/evsys.c" <<'EOF'
#include <ev.h>
#include <event2/event.h>
#include <stdio.h>
#include <string.h>
static void on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)w; (void)revents;
	ev_break(loop, EVBREAK_ALL);
}
int main(void)
{
	struct event_base *base = event_base_new();
	struct ev_loop *loop = ev_default_loop(0), *other = ev_loop_new(0);
	ev_timer t;
	char line[4096];
	FILE *maps;
	if (!base || !loop || !other)
		return 1;
	ev_timer_init(&t, on_timer, 0.001, 0.);
	ev_timer_start(loop, &t);
	ev_run(loop, 0);
	maps = fopen("/proc/self/maps", "r");
	while (maps && fgets(line, sizeof line, maps))
		if (strstr(line, "libev"))
			fputs(strchr(line, '/') ? strchr(line, '/') : line, stdout);
	ev_loop_destroy(other);
	event_base_free(base);
	return 0;
}
EOF
  cc -o "$work/evsys" "$work/evsys.c" -levent -lev || fail "cc against the system's libev"
  EVENT_RS_INFO=1 "$prefix/bin/event-rs-run" "$work/evsys" >"$tmp/maps.log" 2>"$tmp/info.log" ||
    fail "the libev-built program failed through event-rs-run: $(head -n 3 "$tmp/info.log")"
  grep -qF "$lib/libevent_rs.so" "$tmp/maps.log" || fail "libevent_rs.so is not mapped by the libev-built program"
  grep -q "^/usr/lib/.*libev" "$tmp/maps.log" && fail "the system's libev or libevent is still mapped: $(grep '^/usr' "$tmp/maps.log" | sort -u | tr '\n' ' ')"
  [ "$(grep -c '^\[event_rs\] ' "$tmp/info.log")" = 1 ] || fail "EVENT_RS_INFO did not give exactly one line: $(head -n 3 "$tmp/info.log")"
  # A libev loop alone names the library too.
  printf '#include <ev.h>\nint main(void) { return !ev_default_loop(0); }\n' >"$work/evonly.c"
  cc -o "$work/evonly" "$work/evonly.c" -lev || fail "cc against the system's libev"
  EVENT_RS_INFO=1 "$prefix/bin/event-rs-run" "$work/evonly" 2>"$tmp/info.log" || fail "a libev loop failed through event-rs-run"
  grep -qF "loaded from $lib/event_rs/libevent_rs.so: backend epoll," "$tmp/info.log" ||
    fail "no EVENT_RS_INFO line for a libev loop: $(head -n 2 "$tmp/info.log")"
  "$prefix/bin/event-rs-run" "$work/evonly" 2>"$tmp/info.log" && [ ! -s "$tmp/info.log" ] ||
    fail "a libev loop wrote to stderr without EVENT_RS_INFO: $(head -n 2 "$tmp/info.log")"
  "$prefix/bin/event-rs-run" >/dev/null 2>&1 && fail "event-rs-run without a program succeeded"
  ok
fi

# Installing again over our own files is fine; over someone else's it is refused.
make --no-print-directory -s install PREFIX="$prefix" >"$tmp/install2.log" 2>&1 || fail "second make install"
other="$tmp/other"
mkdir -p "$other/include"
echo "/* not ours */" >"$other/include/event.h"
if ./tools/install.sh install "$other" >"$tmp/install3.log" 2>&1; then fail "install overwrote a foreign file"; fi
grep -q "not ours" "$other/include/event.h" || fail "the foreign file was changed"
[ "$(find "$other" -mindepth 1 | wc -l)" = 2 ] || fail "a refused install left files behind"
ok

make --no-print-directory -s uninstall PREFIX="$prefix" >"$tmp/uninstall.log" 2>&1 || fail "make uninstall"
left=$(find "$prefix" -mindepth 1)
[ -z "$left" ] || fail "uninstall left: $(echo "$left" | head -n 5 | tr '\n' ' ')"
make --no-print-directory -s uninstall PREFIX="$prefix" >/dev/null 2>&1 || fail "a second uninstall failed"
ok

cd "$top"
echo "check-install: ok ($checks checks: install, pkg-config (libevent_openssl too), EVENT_RS_INFO, CMake (shared and static), libevent's sonames, libev's through event-rs-run, reinstall/refusal, uninstall)"
