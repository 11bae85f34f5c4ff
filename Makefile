# pidone: a minimal init for containers.
VERSION = 0.2.0
# The commit, for --version (Docker reads it), when built from git.
COMMIT = $(shell git rev-parse --short=12 HEAD 2>/dev/null)
PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
DESTDIR =

# musl gives the smallest static binary. Debian's musl-gcc cannot link a
# static PIE (its -static-pie makes a PIE that needs /lib/ld-musl-*.so.1), so
# gcc runs with a specs file of our own (tools/musl-specs, mk/static-pie.mk)
# that links musl's rcrt1.o with -static -pie --no-dynamic-linker. Static
# glibc (gcc -static-pie) is the fallback when musl-dev is absent.
MUSL = $(shell sed -n 's|.*/usr/lib/\([^/]*\)/musl-gcc.specs.*|\1|p' /usr/bin/musl-gcc 2>/dev/null)
CC = $(if $(MUSL),gcc -specs=build/$(MUSL).specs,gcc)
# -Oz where the compiler has it (gcc 12+, clang), else -Os.
OPT = $(shell $(filter-out -specs=%,$(CC)) -Oz -x c -c -o /dev/null /dev/null 2>/dev/null && echo -Oz || echo -Os)
# Hardened: a position-independent executable (ASLR of the program itself),
# stack canaries in every function with an array or an address taken, and
# stack-clash probes in frames larger than a page. The file prefix map keeps
# the build folder out of the binary, so builds are reproducible. SMALL
# turns off optimisations that cost pidone more bytes than they save (on
# x86-64, 600 bytes in all, measured): sibling calls, since each tail call
# out of a function with a canary repeats the canary's check; hoisting,
# if-conversion, inlining of small functions called more than once, and
# the optimisations gcc calls expensive, which pidone's loops and
# branches, run a few times each, do not repay.
CFLAGS = -std=c99 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 $(OPT) -fPIE -flto -Wall -Wextra -Wshadow \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fstack-protector-strong -fstack-clash-protection \
	$(SMALL) \
	-ffile-prefix-map=$(CURDIR)=. -DVERSION=\"$(VERSION)\" \
	$(if $(COMMIT),-DCOMMIT=\"$(COMMIT)\")
# The largest page size the kernels of this architecture use: segments are
# aligned to it, or the binary cannot be mapped there (mk/dist.mk: arm64,
# armhf and ppc64el kernels use up to 64 KiB pages).
PAGESIZE = $(if $(filter aarch64% arm% ppc64%,$(shell uname -m)),65536,4096)
# A static PIE with no interpreter; RELRO and BIND_NOW; no build ID (it
# would differ with the compiler's path); -z noseparate-code and a small
# common page size keep the file small.
LDFLAGS = -static-pie -s -flto -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,--hash-style=gnu \
	-Wl,-z,relro -Wl,-z,now -Wl,-z,noseparate-code \
	-Wl,-z,common-page-size=16 -Wl,-z,max-page-size=$(PAGESIZE) \
	$(if $(MUSL),$(RELRO_LD))
# With musl: its one .data variable goes with the RELRO data (mk/relro.ld).
RELRO_LD = -Wl,-T,mk/relro.ld
SMALL = -fno-optimize-sibling-calls -fno-move-loop-invariants \
	-fno-caller-saves -fno-if-conversion -fno-ipa-modref \
	-fno-inline-small-functions -fno-expensive-optimizations -fno-tree-slsr
# x86 targets ($(1): uname -m or a GNU triplet; $(2): musl or glibc).
# pidone has no floating point, so no SSE registers: the functions with
# variable arguments no longer save them (200 bytes); and its tables need
# only the ABI's alignment, not 32 bytes for vector loads (80). With musl,
# the canary is read from musl's __stack_chk_guard, which its start-up sets
# from the kernel's random bytes as it sets the thread's copy: the same
# value, in a 7-byte load instead of a 9-byte %fs one, twice in each of
# some 60 functions. glibc keeps no such variable.
x86 = $(if $(filter x86_64% i%86%,$(1)),-mgeneral-regs-only -malign-data=abi \
	$(if $(filter musl,$(2)),-mstack-protector-guard=global))
X86_FLAGS = -mgeneral-regs-only -malign-data=abi -mstack-protector-guard=global
CFLAGS += $(call x86,$(shell uname -m),$(if $(MUSL),musl,glibc))
ifeq ($(CI),true)
CFLAGS += -Werror
endif

HOSTCC = cc

# The tests link with the system compiler and Check.
TEST_CC = gcc
TEST_CFLAGS = -std=c99 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -g -O0 -Wall -Wextra -I. \
	-DVERSION=\"$(VERSION)\" $(shell pkg-config --cflags check 2>/dev/null)
TEST_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

SRC = init.c opts.c child.c pgrp.c grace.c inspect.c judge.c trace.c \
	signals.c proc.c fds.c cgroup.c reap.c harden.c out.c parse.c
HDR = $(filter-out init.h,$(SRC:.c=.h)) pidone.h
UNIT = tests/unit/check_parse.c tests/unit/check_out.c tests/unit/check_signals.c tests/unit/check_proc.c tests/unit/check_child.c tests/unit/check_pgrp.c tests/unit/check_judge.c tests/unit/check_opts.c tests/unit/check_init.c tests/unit/main.c

# Debian packages that the build, the tests and the benchmarks use.
DEPS = build-essential musl-tools check pkg-config file procps util-linux \
	python3 busybox-static runc crun podman tini dumb-init catatonit \
	clang libclang-rt-14-dev docker.io systemd strace $(DIST_DEPS) $(PKG_DEPS)

all: pidone

# The commit --version names, rewritten only when HEAD moves, so that no
# binary names an older commit than the tree it was built from.
build/commit: FORCE
	@mkdir -p build; echo '$(COMMIT)' | cmp -s - $@ || echo '$(COMMIT)' > $@

FORCE:

pidone: $(SRC) $(HDR) Makefile mk/relro.ld tools/sstrip build/commit
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(SRC)
	tools/sstrip $@

# Drops the section headers a static binary never needs (tools/sstrip.c).
tools/sstrip: tools/sstrip.c
	$(HOSTCC) -O2 -Wall -Wextra -o $@ tools/sstrip.c

tests/unit/check_pidone: $(SRC) $(HDR) $(UNIT) tests/unit/unit.h
	$(TEST_CC) $(TEST_CFLAGS) -Dmain=pidone_main -o $@ $(SRC) $(UNIT) \
		$(TEST_LIBS)

tests/helpers/%: tests/helpers/%.c
	$(TEST_CC) -std=c99 -D_GNU_SOURCE -O2 -Wall -Wextra -static -o $@ $<

HELPERS = $(patsubst %.c,%,$(wildcard tests/helpers/*.c))

check: pidone tests/unit/check_pidone $(HELPERS) fuzz/replay
	tests/unit/check_pidone
	fuzz/replay fuzz/corpus
	tests/run

# The fuzz harness (fuzz/fuzz_opts.c) over the parsers: replayed on the seed
# corpus by make check with the system compiler and the sanitizers, and run
# by make fuzz with libFuzzer for FUZZ_TIME seconds.
FUZZ_TIME ?= 60
FUZZ_CFLAGS = -std=c99 -D_GNU_SOURCE -g -O1 -I. -Dmain=pidone_main \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-DVERSION=\"$(VERSION)\"

fuzz/replay: $(SRC) $(HDR) fuzz/fuzz_opts.c fuzz/replay.c
	$(TEST_CC) $(FUZZ_CFLAGS) -o $@ $(SRC) fuzz/fuzz_opts.c fuzz/replay.c

fuzz/fuzz_opts: $(SRC) $(HDR) fuzz/fuzz_opts.c
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $(SRC) fuzz/fuzz_opts.c

# Random command lines against the real binary (fuzz/cli.py), FUZZ_LINES of
# them with a fresh seed, which it prints.
FUZZ_LINES ?= 120000
fuzz-cli: pidone
	seed=$$(date +%s); echo "fuzz-cli: seed $$seed"; \
		python3 fuzz/cli.py ./pidone $(FUZZ_LINES) $$seed

fuzz: fuzz/fuzz_opts
	mkdir -p fuzz/work
	fuzz/fuzz_opts -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
		-max_len=512 fuzz/work fuzz/corpus

install: pidone
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1
	cp -f pidone $(DESTDIR)$(PREFIX)/bin/pidone
	chmod 755 $(DESTDIR)$(PREFIX)/bin/pidone
	sed 's/VERSION/$(VERSION)/g' man/pidone.1 \
		> $(DESTDIR)$(MANPREFIX)/man1/pidone.1
	chmod 644 $(DESTDIR)$(MANPREFIX)/man1/pidone.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pidone $(DESTDIR)$(MANPREFIX)/man1/pidone.1

deps: deps-arch
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
		install -y -qq $(DEPS)
	$(MAKE) deps-musl

clean:
	rm -f pidone tools/sstrip tests/unit/check_pidone $(HELPERS) \
		fuzz/replay fuzz/fuzz_opts
	rm -rf build dist fuzz/work

# Static PIE specs, release binaries for every architecture (make dist),
# the Debian package (make deb) and the FROM scratch image.
include mk/static-pie.mk mk/dist.mk mk/pkg.mk

.PHONY: all check deps install uninstall clean fuzz fuzz-cli FORCE

# Benchmarks against tini, dumb-init and catatonit; not part of check.
bench: pidone
	bench/run

.PHONY: bench

# pidone and its unit tests built with AddressSanitizer and
# UndefinedBehaviorSanitizer (glibc, dynamic), then the unit tests and every
# integration test run against them by tests/sanitize; any sanitizer report
# fails it. Not part of check: the users' test command stays make check.
# The sanitized binary is san/pidone, named pidone because tests find pidone
# among processes by its name. clang: with gcc's separate ASan and UBSan
# runtimes, UBSan ignores UBSAN_OPTIONS=log_path and reports on stderr,
# which the tests capture; clang's ASan runtime carries UBSan and honours it.
SAN_CC = clang
DEPS += clang
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -g -O1

san/pidone: $(SRC) $(HDR) Makefile
	mkdir -p san
	$(SAN_CC) -std=c99 -D_GNU_SOURCE -Wall -Wextra -Wshadow \
		-DVERSION=\"$(VERSION)\" $(SAN_FLAGS) -o $@ $(SRC)

tests/unit/check_pidone-san: $(SRC) $(HDR) $(UNIT) tests/unit/unit.h
	$(SAN_CC) $(TEST_CFLAGS) $(SAN_FLAGS) -Dmain=pidone_main -o $@ $(SRC) \
		$(UNIT) $(TEST_LIBS)

sanitize: san/pidone tests/unit/check_pidone-san $(HELPERS)
	SAN_CC="$(SAN_CC)" SAN_FLAGS="$(SAN_FLAGS)" tests/sanitize

clean-sanitize:
	rm -rf san tests/unit/check_pidone-san

.PHONY: sanitize clean-sanitize

# Only the storms of make bench (bench/storm): orphans, signals, the grace
# period at scale, against the same peers.
bench-storm: pidone
	bench/storm

.PHONY: bench-storm
