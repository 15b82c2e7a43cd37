#!/usr/bin/env bash
# The Debian package's round trip (make deb, then dpkg -i / dpkg --purge) on this machine:
#   - builds build/event-rs_*.deb (tools/deb.sh);
#   - installs it, runs a program built against the system's libevent through event-rs-run and
#     checks in /proc/PID/maps that it has libevent_rs.so and not the system's libevent; the
#     same program started without the launcher still has the system's libevent; a libev
#     program through the launcher has libevent_rs.so; a program built with
#     `pkg-config libevent_rs` and one with CMake (Libevent_DIR=the private folder) run;
#   - removes it and checks that every file it installed is gone, that dpkg no longer lists it,
#     and that the system's libevent packages verify (dpkg --verify) as before.
# Needs root (or sudo). Skipped, saying so, off Debian or when event-rs is already installed
# (it is not this check's to remove).
set -u
cd "$(dirname "$0")/.."
SUDO=""
tmp=$(mktemp -d)
pid=""
installed=""
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null
  # A failed check does not leave the package installed.
  [ -z "$installed" ] || $SUDO dpkg --purge event-rs >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "check-deb: FAIL ($*)"
  exit 1
}
checks=0
ok() { checks=$((checks+1)); }

command -v dpkg-deb >/dev/null || { echo "check-deb: skipped (not a Debian system)"; exit 0; }
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || fail "neither root nor sudo: dpkg -i needs one"
  SUDO=sudo
fi
if dpkg-query -W -f '${Status}' event-rs 2>/dev/null | grep -q "installed"; then
  echo "check-deb: skipped (the event-rs package is installed on this machine; this check does not remove it)"
  exit 0
fi
# dpkg waits for no one: retry while another apt or dpkg holds its lock.
dpkg_do() {
  local i
  for i in $(seq 1 60); do
    $SUDO dpkg "$@" >"$tmp/dpkg.log" 2>&1 && return 0
    grep -qi "lock" "$tmp/dpkg.log" || return 1
    sleep 2
  done
  return 1
}

make --no-print-directory -s deb >"$tmp/deb.log" 2>&1 || fail "make deb: $(tail -n 3 "$tmp/deb.log")"
deb=$(ls build/event-rs_*.deb | head -n 1)
triplet=$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH)
priv=/usr/lib/$triplet/event_rs
libevent_pkgs=$(dpkg-query -W -f '${Package} ${Status}\n' 'libevent-*' 2>/dev/null | awk '/ installed$/ { print $1 }')
[ -n "$libevent_pkgs" ] || fail "no libevent package installed (tools/deps.sh installs libevent-dev)"
# shellcheck disable=SC2086 # a list of package names
dpkg --verify $libevent_pkgs >"$tmp/verify-before.log" 2>&1
sysfiles=$(dpkg -L $libevent_pkgs | while read -r f; do [ -f "$f" ] && echo "$f"; done)
# shellcheck disable=SC2086
md5sum $sysfiles >"$tmp/sys-md5-before.log"

# A program built against the real libevent that stays up until its standard input closes.
cat >"$tmp/sys.c" <<'EOF'
#include <event2/event.h>
#include <stdio.h>
#include <unistd.h>
static void on_read(evutil_socket_t fd, short what, void *arg)
{
	char buf[64];
	(void)what;
	if (read(fd, buf, sizeof buf) <= 0)
		event_base_loopbreak(arg);
}
int main(void)
{
	struct event_base *base = event_base_new();
	struct event *ev = event_new(base, 0, EV_READ | EV_PERSIST, on_read, base);
	if (!base || !ev || event_add(ev, NULL) != 0)
		return 1;
	printf("ready %s\n", event_base_get_method(base));
	fflush(stdout);
	event_base_dispatch(base);
	event_free(ev);
	event_base_free(base);
	return 0;
}
EOF
cc -o "$tmp/sys" "$tmp/sys.c" -levent || fail "cc against the system's libevent"

# Starts $tmp/sys (with the given command in front), waits for its "ready", and leaves its
# maps in $tmp/maps; closing its input ends it.
maps_of() {
  mkfifo "$tmp/in"
  "$@" "$tmp/sys" <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  exec 3>"$tmp/in"
  local i
  for i in $(seq 1 600); do
    grep -q ready "$tmp/out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -q ready "$tmp/out" || fail "$* $tmp/sys did not start: $(head -n 3 "$tmp/err")"
  cp "/proc/$pid/maps" "$tmp/maps"
  exec 3>&-
  wait "$pid" || fail "$* $tmp/sys failed: $(head -n 3 "$tmp/err")"
  pid=""
  rm -f "$tmp/in"
}

installed=1
dpkg_do -i "$deb" || fail "dpkg -i $deb: $(tail -n 5 "$tmp/dpkg.log")"
dpkg -L event-rs >"$tmp/files" 2>&1 || fail "dpkg -L event-rs after install"
for f in /usr/bin/event-rs-run "$priv/libevent-2.1.so.7" "$priv/libev.so.4" "/usr/lib/$triplet/libevent_rs.so" \
         /usr/include/event_rs/event2/event.h "/usr/lib/$triplet/pkgconfig/libevent_rs.pc"; do
  [ -e "$f" ] || fail "$f not installed by the package"
done
dpkg --verify event-rs >"$tmp/verify.log" 2>&1 || fail "dpkg --verify event-rs: $(head -n 3 "$tmp/verify.log")"
ok

maps_of env EVENT_RS_INFO=1 event-rs-run
grep -q "/libevent_rs.so" "$tmp/maps" || fail "event-rs-run: libevent_rs.so not in /proc/PID/maps"
grep -q "/libevent-2.1.so.7.0" "$tmp/maps" && fail "event-rs-run: the system's libevent is mapped too"
grep -qF "loaded from $priv/libevent_rs.so" "$tmp/err" || fail "event-rs-run: no EVENT_RS_INFO line naming $priv: $(head -n 2 "$tmp/err")"
maps_of env
grep -q "/libevent_rs.so" "$tmp/maps" && fail "without the launcher the program runs on event_rs: the package changed the system's libevent"
grep -q "/libevent-2.1.so.7.0" "$tmp/maps" || fail "without the launcher the system's libevent is not mapped"
ok

if [ -e /usr/include/ev.h ]; then
  cat >"$tmp/ev.c" <<'EOF'
#include <ev.h>
#include <stdio.h>
#include <string.h>
static void on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)w; (void)revents;
	ev_break(loop, EVBREAK_ALL);
}
int main(void)
{
	struct ev_loop *loop = ev_default_loop(0);
	ev_timer t;
	char line[4096];
	int ours = 0;
	FILE *maps;
	ev_timer_init(&t, on_timer, 0.001, 0.);
	ev_timer_start(loop, &t);
	ev_run(loop, 0);
	maps = fopen("/proc/self/maps", "r");
	while (maps && fgets(line, sizeof line, maps))
		ours |= strstr(line, "/libevent_rs.so") != NULL;
	return !ours;
}
EOF
  cc -o "$tmp/ev" "$tmp/ev.c" -lev || fail "cc against the system's libev"
  event-rs-run "$tmp/ev" || fail "a libev program through event-rs-run does not have libevent_rs.so mapped"
  "$tmp/ev" && fail "a libev program without the launcher has libevent_rs.so mapped"
  ok
fi

# Building against the package: pkg-config libevent_rs, and CMake with libevent's name.
cat >"$tmp/prog.c" <<'EOF'
#include <event2/event.h>
#include <string.h>
#ifndef EVENT_RS_GEN_UTIL_H
#error "not event_rs's headers"
#endif
int main(void)
{
	struct event_base *base = event_base_new();
	int ok = base && strcmp(event_get_version(), "2.1.12-stable") == 0;
	event_base_free(base);
	return !ok;
}
EOF
# shellcheck disable=SC2046 # pkg-config's flags are words
cc -o "$tmp/prog" "$tmp/prog.c" $(pkg-config --cflags --libs libevent_rs) 2>"$tmp/cc.log" ||
  fail "cc with pkg-config libevent_rs: $(head -n 3 "$tmp/cc.log")"
"$tmp/prog" || fail "the pkg-config libevent_rs program failed"
ldd "$tmp/prog" | grep -qE "=> (/usr)?/lib/$triplet/libevent_rs.so " || fail "the pkg-config program does not load the package's library"
if command -v cmake >/dev/null; then
  mkdir -p "$tmp/cmake"
  cat >"$tmp/cmake/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.10)
project(event_rs_deb_check C)
find_package(Libevent 2.1 REQUIRED COMPONENTS core extra)
add_executable(prog "$tmp/prog.c")
target_link_libraries(prog libevent::core libevent::extra)
EOF
  { cmake -S "$tmp/cmake" -B "$tmp/cmake/build" -DLibevent_DIR="$priv/cmake/libevent" &&
    cmake --build "$tmp/cmake/build"; } >"$tmp/cmake.log" 2>&1 || fail "CMake with Libevent_DIR=$priv/cmake/libevent: $(grep -m 3 -i error "$tmp/cmake.log")"
  "$tmp/cmake/build/prog" || fail "the CMake-built program failed"
fi
ok

dpkg_do --purge event-rs || fail "dpkg --purge event-rs: $(tail -n 5 "$tmp/dpkg.log")"
installed=""
dpkg -L event-rs >/dev/null 2>&1 && fail "dpkg still lists event-rs after --purge"
left=""
while read -r f; do
  [ -d "$f" ] && [ ! -L "$f" ] && continue # directories shared with other packages stay
  { [ -e "$f" ] || [ -L "$f" ]; } && left+=" $f"
done <"$tmp/files"
[ -z "$left" ] || fail "left behind after --purge:$left"
for d in "$priv" /usr/include/event_rs /usr/share/doc/event-rs; do
  [ -e "$d" ] && fail "$d left behind after --purge"
done
hash -r; command -v event-rs-run >/dev/null && fail "event-rs-run still found after --purge"
# shellcheck disable=SC2086
dpkg --verify $libevent_pkgs >"$tmp/verify-after.log" 2>&1
cmp -s "$tmp/verify-before.log" "$tmp/verify-after.log" || fail "dpkg --verify of the system's libevent changed: $(head -n 3 "$tmp/verify-after.log")"
md5sum -c --quiet "$tmp/sys-md5-before.log" >/dev/null 2>&1 || fail "the system's libevent files changed"
ok

echo "check-deb: ok ($checks checks: $(basename "$deb") ($(du -k "$deb" | cut -f 1) KiB) installed, libevent program through event-rs-run (maps, EVENT_RS_INFO) and without it, libev program, pkg-config and CMake builds, purge leaves nothing, system libevent verified)"
