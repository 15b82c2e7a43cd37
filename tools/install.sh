#!/usr/bin/env bash
# Installs event_rs under a prefix, and removes exactly that again.
#   tools/install.sh install PREFIX       (make install PREFIX=...)
#   tools/install.sh uninstall PREFIX     (make uninstall PREFIX=...)
# DESTDIR, if set, is put in front of every path written (for packaging); the files themselves
# name PREFIX. FORCE=1 lets install replace files it did not install (they are then removed by
# uninstall like the rest). For a package the layout can be moved, with paths relative to
# PREFIX: INSTALL_LIBDIR (LIB, default lib), INSTALL_INCLUDEDIR (default include) and
# INSTALL_DEVDIR (DEV, default LIB: where libevent's pkg-config and CMake names go;
# tools/deb.sh puts them in the private folder, so that they do not clash with libevent-dev).
#
# What goes where (LIB = PREFIX/lib, DEV = LIB by default):
#   LIB/libevent_rs.so, LIB/libevent_rs.a      the library (link with -levent_rs)
#   LIB/event_rs/libevent-2.1.so.7 ...         libevent's sonames and libev's (libev.so.4), each
#                                              a stub needing libevent_rs.so: put this folder
#                                              first in LD_LIBRARY_PATH to run binaries built
#                                              against libevent or libev. Kept out of LIB itself
#                                              so that ldconfig does not move every libevent
#                                              program of the system onto event_rs behind its back.
#   PREFIX/bin/event-rs-run                    runs one program with that LD_LIBRARY_PATH
#   PREFIX/include/...                         the headers, as laid out in include/
#   LIB/pkgconfig/libevent_rs.pc               -levent_rs
#   DEV/pkgconfig/*.pc                         libevent, libevent_core, libevent_extra,
#                                              libevent_pthreads, libevent_openssl (all -levent_rs)
#   DEV/cmake/libevent/LibeventConfig*.cmake   find_package(Libevent): libevent::core, ::extra,
#                                              ::pthreads, ::openssl, LIBEVENT_INCLUDE_DIRS,
#                                              LIBEVENT_LIBRARIES
#   PREFIX/share/event_rs/install-manifest.txt what was installed: files, links, and the
#                                              directories install created
set -eu
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 install|uninstall PREFIX" >&2; exit 2; }
[ $# = 2 ] || usage
action=$1
prefix=$2
[ -n "$prefix" ] || usage
case "$prefix" in /*) ;; *) prefix=$(realpath -m -- "$prefix") ;; esac
prefix=${prefix%/}
[ -n "$prefix" ] || { echo "install: refusing to use / as the prefix" >&2; exit 2; }
root="${DESTDIR:-}$prefix"

version=2.1.12
libdir=${INSTALL_LIBDIR:-lib}
incdir=${INSTALL_INCLUDEDIR:-include}
devdir=${INSTALL_DEVDIR:-$libdir}
for d in "$libdir" "$incdir" "$devdir"; do
  case "$d" in /*|*..*|*\ *|'') echo "install: INSTALL_*DIR must be a plain path under the prefix: '$d'" >&2; exit 2;; esac
done
manifest_rel=share/event_rs/install-manifest.txt
manifest="$root/$manifest_rel"
# Linking the static library also needs what Rust's standard library uses, and libdl: OpenSSL
# (the OpenSSL bufferevents) is loaded with dlopen on first use, by either library.
static_libs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

# --- install ---------------------------------------------------------------------------------
stage=""
trap '[ -z "$stage" ] || rm -rf "$stage"' EXIT

# Everything to install is first laid out in $stage, exactly as it will be under the prefix.
build_stage() {
  local lib=build/lib so
  [ -f "$lib/libevent_rs.so" ] && [ -f "$lib/libevent_rs.a" ] ||
    { echo "install: build/lib/libevent_rs.{so,a} missing: run make first" >&2; exit 1; }
  local L="$stage/$libdir" D="$stage/$devdir"
  mkdir -p "$L/event_rs" "$L/pkgconfig" "$D/pkgconfig" "$D/cmake/libevent" "$stage/$incdir" "$stage/bin"
  cp "$lib/libevent_rs.so" "$lib/libevent_rs.a" "$L/"
  # The debug information, which the library names (.gnu_debuglink): gdb finds it beside it.
  [ -f "$lib/libevent_rs.so.debug" ] && cp "$lib/libevent_rs.so.debug" "$L/"
  for so in "$lib"/*.so.[0-9]*; do
    [ -f "$so" ] && cp "$so" "$L/event_rs/"
  done
  # The stubs find libevent_rs.so beside themselves ($ORIGIN).
  ln -s ../libevent_rs.so "$L/event_rs/libevent_rs.so"
  cp -R include/. "$stage/$incdir/"

  # The launcher names the stubs' folder, single-quoted for sh.
  local sq="'\\''" dir="$prefix/$libdir/event_rs"
  cat >"$stage/bin/event-rs-run" <<EOF
#!/bin/sh
# event-rs-run PROGRAM [ARGS...]: runs PROGRAM, built against libevent 2.1 (libevent-2.1.so.7
# and the other sonames) or libev 4 (libev.so.4), on event_rs instead: the folder holding
# event_rs's libraries of those sonames goes first in LD_LIBRARY_PATH. The programs it starts
# inherit the variable. Set-user-ID programs ignore it (the loader does).
# Check a running process with: grep libevent_rs /proc/PID/maps
dir='${dir//\'/$sq}'
if [ \$# = 0 ]; then
  echo "usage: event-rs-run PROGRAM [ARGS...]" >&2
  exit 2
fi
LD_LIBRARY_PATH="\$dir\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
exec "\$@"
EOF

  local pc name desc pc_prefix=${prefix// /\\ }
  for name in libevent_rs libevent libevent_core libevent_extra libevent_pthreads libevent_openssl; do
    case $name in
      libevent_rs) desc="libevent $version rewritten in Rust (event_rs)"; pc="$L/pkgconfig/$name.pc";;
      *) desc="$name API of libevent $version, provided by event_rs"; pc="$D/pkgconfig/$name.pc";;
    esac
    cat >"$pc" <<EOF
prefix=$pc_prefix
exec_prefix=\${prefix}
libdir=\${prefix}/$libdir
includedir=\${prefix}/$incdir

Name: $name
Description: $desc
Version: $version-stable
Requires:
Conflicts:
Libs: -L\${libdir} -levent_rs
Libs.private: $static_libs
Cflags: -I\${includedir}
EOF
  done

  # From the CMake folder back up to the prefix.
  local up="" part
  for part in ${devdir//\// } cmake libevent; do up+="/.."; done

  cat >"$D/cmake/libevent/LibeventConfigVersion.cmake" <<EOF
# find_package(Libevent [version]) for event_rs: libevent $version's API. Any 2.x request up to
# $version is satisfied, as libevent's own configuration accepts.
set(PACKAGE_VERSION "$version")
if(PACKAGE_FIND_VERSION_MAJOR EQUAL 2 AND NOT PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION VERSION_EQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
else()
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
endif()
if(NOT CMAKE_SIZEOF_VOID_P STREQUAL "" AND NOT CMAKE_SIZEOF_VOID_P STREQUAL "8")
  set(PACKAGE_VERSION "\${PACKAGE_VERSION} (64-bit)")
  set(PACKAGE_VERSION_UNSUITABLE TRUE)
endif()
EOF

  cat >"$D/cmake/libevent/LibeventConfig.cmake" <<EOF
# find_package(Libevent) for event_rs, libevent $version rewritten in Rust, as one library.
# Like libevent's own configuration it defines, for the components asked for (all of them by
# default), the imported targets libevent::core, libevent::extra, libevent::pthreads and
# libevent::openssl (all the one library libevent_rs), and LIBEVENT_INCLUDE_DIRS,
# LIBEVENT_LIBRARIES (the targets), LIBEVENT_SHARED_LIBRARIES or LIBEVENT_STATIC_LIBRARIES. Set
# LIBEVENT_STATIC_LINK to link libevent_rs.a.
get_filename_component(_event_rs_prefix "\${CMAKE_CURRENT_LIST_DIR}$up" ABSOLUTE)
set(LIBEVENT_VERSION "$version")
set(LIBEVENT_INCLUDE_DIRS "\${_event_rs_prefix}/$incdir")
set(_event_rs_components core extra pthreads openssl)

if(NOT TARGET libevent::core)
  if(LIBEVENT_STATIC_LINK)
    add_library(libevent::core STATIC IMPORTED)
    set_target_properties(libevent::core PROPERTIES
      IMPORTED_LOCATION "\${_event_rs_prefix}/$libdir/libevent_rs.a"
      INTERFACE_LINK_LIBRARIES "ssl;crypto;gcc_s;util;rt;pthread;m;dl")
  else()
    add_library(libevent::core SHARED IMPORTED)
    set_target_properties(libevent::core PROPERTIES
      IMPORTED_LOCATION "\${_event_rs_prefix}/$libdir/libevent_rs.so"
      IMPORTED_SONAME "libevent_rs.so")
  endif()
  set_target_properties(libevent::core PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "\${LIBEVENT_INCLUDE_DIRS}")
  foreach(_event_rs_c extra pthreads openssl)
    add_library(libevent::\${_event_rs_c} INTERFACE IMPORTED)
    set_target_properties(libevent::\${_event_rs_c} PROPERTIES INTERFACE_LINK_LIBRARIES libevent::core)
  endforeach()
endif()

set(_event_rs_wanted \${Libevent_FIND_COMPONENTS})
if(NOT _event_rs_wanted)
  set(_event_rs_wanted \${_event_rs_components})
endif()
set(LIBEVENT_LIBRARIES "")
foreach(_event_rs_c IN LISTS _event_rs_wanted)
  list(FIND _event_rs_components "\${_event_rs_c}" _event_rs_at)
  if(_event_rs_at LESS 0)
    set(Libevent_\${_event_rs_c}_FOUND FALSE)
    if(Libevent_FIND_REQUIRED_\${_event_rs_c})
      set(Libevent_FOUND FALSE)
      set(Libevent_NOT_FOUND_MESSAGE "event_rs provides no libevent component '\${_event_rs_c}'")
    endif()
  else()
    set(Libevent_\${_event_rs_c}_FOUND TRUE)
    list(APPEND LIBEVENT_LIBRARIES "libevent::\${_event_rs_c}")
  endif()
endforeach()
if(LIBEVENT_STATIC_LINK)
  set(LIBEVENT_STATIC_LIBRARIES \${LIBEVENT_LIBRARIES})
else()
  set(LIBEVENT_SHARED_LIBRARIES \${LIBEVENT_LIBRARIES})
endif()
if(NOT DEFINED Libevent_FOUND OR Libevent_FOUND)
  set(LIBEVENT_FOUND TRUE)
endif()
unset(_event_rs_prefix)
unset(_event_rs_wanted)
unset(_event_rs_at)
unset(_event_rs_c)
EOF
}

# The entries of the previous manifest, if any: those files may be replaced without FORCE.
previous_entries() {
  [ -f "$manifest" ] && cat "$manifest" || true
}

install_all() {
  stage=$(mktemp -d)
  build_stage
  local prev rel kind conflicts="" created="" list
  prev=$(previous_entries)
  list=$(cd "$stage" && find . -mindepth 1 \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort)

  # Refuse to overwrite what someone else installed (a real libevent's headers, say).
  while read -r rel; do
    if { [ -e "$root/$rel" ] || [ -L "$root/$rel" ]; } && ! grep -qxF -e "f $rel" -e "l $rel" <<<"$prev"; then
      conflicts+="  $root/$rel"$'\n'
    fi
  done <<<"$list"
  if [ -n "$conflicts" ] && [ "${FORCE:-0}" != 1 ]; then
    printf 'install: these files exist and were not installed by event_rs (FORCE=1 replaces them):\n%s' "$conflicts" >&2
    exit 1
  fi

  # Directories: those missing now will be created and recorded; those a previous install
  # created stay recorded.
  local dirs
  dirs=$( (cd "$stage" && find . -mindepth 1 -type d | sed 's|^\./||'; echo share; echo share/event_rs) | LC_ALL=C sort -u)
  mkdir -p "$root"
  while read -r rel; do
    if [ ! -d "$root/$rel" ]; then
      mkdir -p "$root/$rel"
      created+="d $rel"$'\n'
    elif grep -qxF "d $rel" <<<"$prev"; then
      created+="d $rel"$'\n'
    fi
  done <<<"$dirs"

  local new_manifest="$manifest.new" mode n=0
  : >"$new_manifest"
  while read -r rel; do
    if [ -L "$stage/$rel" ]; then
      rm -f -- "$root/$rel"
      ln -s "$(readlink "$stage/$rel")" "$root/$rel"
      echo "l $rel" >>"$new_manifest"
    else
      case "$rel" in *.so|*.so.[0-9]*|bin/*) mode=755;; *) mode=644;; esac
      # Replace rather than write in place: a running program may have the old library mapped.
      install -m "$mode" "$stage/$rel" "$root/$rel.tmp.$$"
      mv -f -- "$root/$rel.tmp.$$" "$root/$rel"
      echo "f $rel" >>"$new_manifest"
    fi
    n=$((n+1))
  done <<<"$list"
  # Files a previous install put there that this one no longer has.
  while read -r kind rel; do
    case "$kind" in f|l) grep -qxF "$rel" <<<"$list" || rm -f -- "$root/$rel" ;; esac
  done <<<"$prev"
  printf '%s' "$created" >>"$new_manifest"
  echo "f $manifest_rel" >>"$new_manifest"
  mv -f -- "$new_manifest" "$manifest"
  echo "installed $n files under $root (manifest: $manifest_rel)"
  case "$prefix" in
    /usr|/usr/local) echo "note: run ldconfig so that programs find libevent_rs.so";;
    *) echo "note: programs need $prefix/$libdir in their run path (-Wl,-rpath) or LD_LIBRARY_PATH";;
  esac
}

uninstall() {
  if [ ! -f "$manifest" ]; then
    echo "uninstall: nothing to do, no $manifest_rel under $root"
    return 0
  fi
  local kind rel n=0 dirs=""
  while read -r kind rel; do
    case "$kind" in
      f|l) rm -f -- "$root/$rel"; n=$((n+1)) ;;
      d) dirs="$rel"$'\n'"$dirs" ;;
    esac
  done <"$manifest"
  # Created directories, deepest first, and only when nothing else was put in them.
  while read -r rel; do
    [ -n "$rel" ] && [ -d "$root/$rel" ] && rmdir --ignore-fail-on-non-empty -- "$root/$rel"
  done < <(printf '%s' "$dirs" | LC_ALL=C sort -r)
  echo "uninstalled $n files from $root"
}

case "$action" in
  install) install_all ;;
  uninstall) uninstall ;;
  *) usage ;;
esac
