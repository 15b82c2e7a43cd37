# event_rs: libevent 2.1.12 in Rust, as a C library.
#   make           build build/lib/libevent_rs.{so,a} and the libevent-named libraries beside it
#   make demo      build, then run a small C program on the library
#   make test      every test (installs what they need on a fresh machine); the C tests
#                  again on the io_uring backend where the kernel allows (tools/iouring-tests.sh);
#                  thread tests also under ThreadSanitizer (tools/tsan.sh)
#   make bench     benchmarks against the system's libevent, as ratios
#   make fuzz      the cargo-fuzz targets (fuzz/) for FUZZ_SECS seconds
#   make install PREFIX=/usr/local   /   make uninstall PREFIX=...

PREFIX ?= /usr/local
CC ?= cc
CARGO ?= cargo
LIBDIR := build/lib
RSLIB := target/release/libevent_rs.a
SO := $(LIBDIR)/libevent_rs.so
SONAMES := libevent-2.1.so.7 libevent_core-2.1.so.7 libevent_extra-2.1.so.7 \
           libevent_pthreads-2.1.so.7 libevent_openssl-2.1.so.7
CFLAGS_US := -Iinclude
LIBS_US := -L$(LIBDIR) -levent_rs -Wl,-rpath,$(abspath $(LIBDIR))

.PHONY: all lib demo test bench examples install uninstall clean fuzz FORCE

all: lib

lib: $(SO) $(addprefix $(LIBDIR)/,$(SONAMES))

$(RSLIB): FORCE
	@./tools/deps.sh build
	$(CARGO) build --release --quiet

# The shared library is linked here rather than by cargo so that exports.map decides exactly
# which symbols are public (the C API, including the C shim's variadic functions). It needs
# libssl and libcrypto for the OpenSSL bufferevents: a program's SSL objects and ours come from
# the same, system, OpenSSL.
$(SO): $(RSLIB) exports.map
	@mkdir -p $(LIBDIR)
	$(CC) -shared -o $@.tmp -Wl,-soname,libevent_rs.so -Wl,--whole-archive $(RSLIB) \
	  -Wl,--no-whole-archive -Wl,--gc-sections -Wl,--version-script=exports.map \
	  -lssl -lcrypto -lpthread -ldl -lm
	mv $@.tmp $@
	cp $(RSLIB) $(LIBDIR)/libevent_rs.a

# libevent's sonames: each a tiny library that needs libevent_rs.so (found beside it), so a
# process loading several of them still has one copy of the library's state.
$(LIBDIR)/%.so.7: $(SO)
	$(CC) -shared -o $@ -x c /dev/null -Wl,-soname,$*.so.7 -Wl,--no-as-needed \
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
	$(CARGO) test --release --quiet
	$(MAKE) lib examples
	./c-tests/run.sh
	./tools/iouring-tests.sh
	./c-tests/check-headers.sh
	./tools/tsan.sh
	./tools/check-examples.sh
	./tools/check-install.sh
	./tools/check-programs.sh
	mkdir -p build && ./tools/fuzz.sh 20

# The fuzz targets of fuzz/ for a while (installs cargo-fuzz if needed).
fuzz: FORCE
	mkdir -p build && FUZZ_INSTALL=1 ./tools/fuzz.sh $${FUZZ_SECS:-300}

bench: lib
	./benches/run.sh

install: lib
	./tools/install.sh install "$(PREFIX)"

uninstall:
	./tools/install.sh uninstall "$(PREFIX)"

clean:
	$(CARGO) clean
	rm -rf build
