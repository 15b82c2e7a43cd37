#!/usr/bin/env bash
# Builds the Debian package build/event-rs_VERSION_ARCH.deb (make deb) with dpkg-deb, from an
# install tree made by tools/install.sh with DESTDIR and PREFIX=/usr. Laid out so that nothing
# clashes with, or replaces, the system's libevent or libev (their runtime and -dev packages):
#   /usr/lib/TRIPLET/libevent_rs.so, libevent_rs.a          the library (-levent_rs)
#   /usr/lib/TRIPLET/pkgconfig/libevent_rs.pc
#   /usr/include/event_rs/                                 the headers (event2/, ev.h, ...)
#   /usr/lib/TRIPLET/event_rs/                             the private folder: libevent's and
#       libev's sonames (stubs loading libevent_rs.so), and pkgconfig/ and cmake/libevent/
#       with libevent's names for build systems that look for libevent
#   /usr/bin/event-rs-run PROGRAM ARGS...                   runs one program on event_rs
# The private folder is not in the loader's search path: only programs started with it in
# LD_LIBRARY_PATH (event-rs-run does that) run on event_rs.
set -eu
cd "$(dirname "$0")/.."

command -v dpkg-deb >/dev/null || { echo "deb: dpkg-deb is missing (a Debian system is needed)" >&2; exit 1; }
[ -f build/lib/libevent_rs.so ] || { echo "deb: build/lib/libevent_rs.so missing: run make lib first" >&2; exit 1; }
name=event-rs
version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -n 1)
arch=$(dpkg --print-architecture)
triplet=$(gcc -print-multiarch 2>/dev/null || true)
[ -n "$triplet" ] || triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
libdir=lib/$triplet
out=build/${name}_${version}_${arch}.deb
root=$PWD/build/deb/root
rm -rf "$root"
mkdir -p "$root"

DESTDIR=$root INSTALL_LIBDIR=$libdir INSTALL_INCLUDEDIR=include/event_rs INSTALL_DEVDIR=$libdir/event_rs \
  ./tools/install.sh install /usr >/dev/null
# dpkg keeps the list of files: no install manifest (make uninstall must not touch a package).
rm -f "$root/usr/share/event_rs/install-manifest.txt"
rmdir "$root/usr/share/event_rs"
# Debug information stays in the build folder (a -dbgsym package would hold it).
rm -f "$root/usr/$libdir/libevent_rs.so.debug"
strip --strip-unneeded "$root/usr/$libdir/libevent_rs.so" "$root/usr/$libdir/event_rs/"*.so.[0-9]*
strip --strip-debug "$root/usr/$libdir/libevent_rs.a"

doc=$root/usr/share/doc/$name
mkdir -p "$doc"
cat >"$doc/copyright" <<EOF
event_rs $version: libevent 2.1.12's API (and libev 4's) implemented in Rust.
License: $(sed -n 's/^license *= *"\(.*\)"/\1/p' Cargo.toml | head -n 1)
EOF
gzip -9n <docs/GUIDE.md >"$doc/GUIDE.md.gz"

# Depends: the packages holding the libraries libevent_rs.so needs, as the loader finds them
# here; glibc at least at the newest symbol version the library uses.
owner() {
  local p o
  for p in "$1" "$(realpath -- "$1")" "/usr${1#/usr}" "${1#/usr}"; do
    o=$(dpkg -S "$p" 2>/dev/null | head -n 1 | sed 's/[:,].*//')
    [ -n "$o" ] && { echo "$o"; return 0; }
  done
  return 1
}
deps=()
while read -r lib; do
  path=$(ldd build/lib/libevent_rs.so | awk -v l="$lib" '$1 == l && $2 == "=>" { print $3 } $1 ~ "/" l "$" { print $1 }')
  [ -n "$path" ] || { echo "deb: $lib, needed by libevent_rs.so, not found" >&2; exit 1; }
  pkg=$(owner "$path") || { echo "deb: no package holds $path" >&2; exit 1; }
  case "$pkg" in
    libc6) glibc=$(objdump -T build/lib/libevent_rs.so | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
           pkg="libc6 (>= $glibc)";;
    libssl3*) pkg="$pkg (>= 3.0.0)";;
  esac
  printf '%s\n' "${deps[@]}" | grep -qxF "$pkg" || deps+=("$pkg")
done < <(readelf -d build/lib/libevent_rs.so | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
# libssl.so.3 is not NEEDED (the OpenSSL bufferevents dlopen it on first use) but is part of
# the library's API: depend on its package as on the others.
ssl=$(ldconfig -p | awk '$1 == "libssl.so.3" && /x86-64|aarch64|64bit/ { print $NF; exit }')
[ -n "$ssl" ] && pkg=$(owner "$ssl") && { printf '%s\n' "${deps[@]}" | grep -q '^libssl3' || deps+=("$pkg (>= 3.0.0)"); }
depends=$(IFS=,; echo "${deps[*]}" | sed 's/,/, /g')

mkdir -p "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<EOF
Package: $name
Version: $version
Architecture: $arch
Maintainer: ${DEBFULLNAME:-event_rs developers} <${DEBEMAIL:-event-rs@localhost}>
Installed-Size: $(du -sk "$root/usr" | cut -f 1)
Depends: $depends
Section: libs
Priority: optional
Description: libevent 2.1.12 (and libev 4) API implemented in Rust
 event_rs is a C library with libevent 2.1.12's API and ABI, and libev 4's, written in Rust.
 This package holds the library, its headers (/usr/include/event_rs), pkg-config and CMake
 files, and libevent's and libev's sonames in a private folder
 (/usr/lib/$triplet/event_rs) that no program uses unless asked: the system's libevent
 stays in place. "event-rs-run PROGRAM ARGS..." runs one program built against libevent or
 libev on event_rs.
EOF
# ldconfig sees the new library in /usr/lib/TRIPLET (not the private folder: it does not
# descend into it).
echo "activate-noawait ldconfig" >"$root/DEBIAN/triggers"
(cd "$root" && find usr -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"

dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "deb: $out ($(du -k "$out" | cut -f 1) KiB; Depends: $depends)"
