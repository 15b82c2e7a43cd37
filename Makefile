# event_rs: libevent 2.1.12 in Rust, as a C library.
#   make           build build/lib/libevent_rs.{so,a} and the libevent- and libev-named libraries beside it
#   make demo      build, then run a small C program on the library
#   make check     the fast tier: rustfmt, clippy, Rust tests, C tests without valgrind, header checks
#   make test      every test (installs what they need on a fresh machine); the C tests
#                  again on the io_uring backend where the kernel allows (tools/iouring-tests.sh);
#                  thread tests also under ThreadSanitizer (tools/tsan.sh); WebSocket
#                  conformance against Python's websockets (tools/check-ws.sh)
#   make bench     benchmarks against the system's libevent, as ratios
#   make soak      10,000 connections on an echo and an evhttp server for SOAK_SECS, in rounds
#   make fuzz      the cargo-fuzz targets (fuzz/) for FUZZ_SECS seconds
#   make install PREFIX=/usr/local   /   make uninstall PREFIX=...
#   make deb       a Debian package, build/event-rs_VERSION_ARCH.deb (tools/deb.sh)
#   make docs      the HTML reference of the headers (doxygen) and of the Rust code, in build/docs

PREFIX ?= /usr/local
CC ?= cc
CARGO ?= cargo
LIBDIR := build/lib
RSLIB := target/release/libevent_rs.a
SO := $(LIBDIR)/libevent_rs.so
SONAMES := libevent-2.1.so.7 libevent_core-2.1.so.7 libevent_extra-2.1.so.7 \
           libevent_pthreads-2.1.so.7 libevent_openssl-2.1.so.7 libev.so.4
CFLAGS_US := -Iinclude
LIBS_US := -L$(LIBDIR) -levent_rs -Wl,-rpath,$(abspath $(LIBDIR))

.PHONY: all lib demo check test bench soak examples install uninstall clean fuzz deb docs FORCE

all: lib

lib: $(SO) $(addprefix $(LIBDIR)/,$(SONAMES))

$(RSLIB): FORCE
	@./tools/deps.sh build
	$(CARGO) build --release --quiet

# The shared library is linked here rather than by cargo so that exports.map decides exactly
# which symbols are public (the C API, including the C shim's variadic functions). It does not
# link libssl and libcrypto: the OpenSSL bufferevents load them on first use (see
# src/bufferevent/ossl.rs), so a program's SSL objects and ours come from the same, system,
# OpenSSL, and a program without TLS does not pay for OpenSSL in memory. -static-libgcc: the
# few unwinder functions Rust's standard library calls are linked in rather than mapping all
# of libgcc_s.so.1 (100 KB of RSS) in every process.
# Debug information (Cargo.toml's debug = 1) goes to libevent_rs.so.debug beside the library,
# which names it (.gnu_debuglink) for gdb, perf and valgrind: it was never loaded into memory
# (not in a PT_LOAD segment), but it was 8 MB of the 9.6 MB file that every install, package
# and container copies. The symbol table stays, so backtraces name functions without it.
$(SO): $(RSLIB) exports.map
	@mkdir -p $(LIBDIR)
	$(CC) -shared -o $@.tmp -Wl,-soname,libevent_rs.so -Wl,--whole-archive $(RSLIB) \
	  -Wl,--no-whole-archive -Wl,--gc-sections -Wl,--version-script=exports.map \
	  -static-libgcc -lpthread -ldl -lm
	objcopy --only-keep-debug $@.tmp $@.debug
	objcopy --strip-debug --add-gnu-debuglink=$@.debug $@.tmp
	mv $@.tmp $@
	cp $(RSLIB) $(LIBDIR)/libevent_rs.a

# libevent's sonames, and libev's: each a tiny library that needs libevent_rs.so (found beside
# it), so a process loading several of them still has one copy of the library's state.
$(LIBDIR)/%.so.7: $(SO)
	$(CC) -shared -o $@ -x c /dev/null -Wl,-soname,$*.so.7 -Wl,--no-as-needed \
	  -L$(LIBDIR) -levent_rs -Wl,-rpath,'$$ORIGIN' -Wl,--disable-new-dtags

$(LIBDIR)/libev.so.4: $(SO)
	$(CC) -shared -o $@ -x c /dev/null -Wl,-soname,libev.so.4 -Wl,--no-as-needed \
	  -L$(LIBDIR) -levent_rs -Wl,-rpath,'$$ORIGIN' -Wl,--disable-new-dtags

demo: lib
	$(CC) -O2 -Wall $(CFLAGS_US) -o build/demo examples-c/demo.c $(LIBS_US)
	./build/demo

examples: lib
	@mkdir -p build/examples
	for f in examples-c/*.c; do n=$$(basename $$f .c); \
	  $(CC) -O2 -Wall $(CFLAGS_US) -o build/examples/$$n $$f $(LIBS_US) || exit 1; done

test: FORCE
	./tools/deps.sh
	$(CARGO) fmt --check
	$(CARGO) clippy --release --quiet --all-targets -- -D warnings
	$(CARGO) test --release --quiet
	./tools/miri.sh
	$(MAKE) lib examples
	./c-tests/run.sh
	./tools/iouring-tests.sh
	./c-tests/check-headers.sh
	./tools/check-docs.py
	./tools/check-layers.sh
	./tools/tsan.sh
	./tools/check-examples.sh
	./tools/check-ws.sh
	./tools/check-install.sh
	./tools/check-programs.sh
	./tools/check-deb.sh
	./tools/docs.sh
	./tools/fuzz.sh 15

# The fast tier, a few minutes: lints, the Rust tests, the C tests against ours and libevent
# without valgrind, the header checks, the layering check (tools/check-layers.sh).
check: FORCE
	./tools/deps.sh
	$(CARGO) fmt --check
	$(CARGO) clippy --release --quiet --all-targets -- -D warnings
	$(CARGO) test --release --quiet
	$(MAKE) lib
	VALGRIND=0 ./c-tests/run.sh
	./c-tests/check-headers.sh
	./tools/check-docs.py
	./tools/check-layers.sh

# The fuzz targets of fuzz/ for a while (installs cargo-fuzz if needed).
fuzz: FORCE
	./tools/fuzz.sh $${FUZZ_SECS:-300}

bench: lib
	./benches/run.sh

# Not part of test: minutes long. Checks every byte, fds and RSS per round, then valgrind.
soak: lib
	./tools/deps.sh
	nice ./tools/soak/run.sh

install: lib
	./tools/install.sh install "$(PREFIX)"

uninstall:
	./tools/install.sh uninstall "$(PREFIX)"

deb: lib
	./tools/deb.sh

docs: FORCE
	./tools/docs.sh

clean:
	$(CARGO) clean
	rm -rf build
