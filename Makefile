# pidone: a minimal init for containers.
VERSION = 0.1.0
PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
DESTDIR =

# musl-gcc gives the smallest static binary; static glibc is the fallback.
CC = $(shell command -v musl-gcc >/dev/null 2>&1 && echo musl-gcc || echo gcc)
# -Oz where the compiler has it (gcc 12+, clang), else -Os.
OPT = $(shell $(CC) -Oz -x c -c -o /dev/null /dev/null 2>/dev/null && echo -Oz || echo -Os)
CFLAGS = -std=c99 -D_GNU_SOURCE $(OPT) -fno-pie -Wall -Wextra -Wshadow \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-stack-protector -DVERSION=\"$(VERSION)\"
LDFLAGS = -static -no-pie -s -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,norelro -Wl,-z,noseparate-code \
	-Wl,-z,common-page-size=16 -Wl,-z,max-page-size=4096
ifeq ($(CI),true)
CFLAGS += -Werror
endif

HOSTCC = cc

# The tests link with the system compiler and Check.
TEST_CC = gcc
TEST_CFLAGS = -std=c99 -D_GNU_SOURCE -g -O0 -Wall -Wextra -I. \
	-DVERSION=\"$(VERSION)\" $(shell pkg-config --cflags check 2>/dev/null)
TEST_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

SRC = init.c signals.c pgrp.c out.c proc.c grace.c inspect.c
HDR = pidone.h signals.h pgrp.h
UNIT = tests/unit/check_signals.c tests/unit/check_init.c \
	tests/unit/check_pgrp.c tests/unit/check_out.c tests/unit/main.c

# Debian packages that the build, the tests and the benchmarks use.
DEPS = build-essential musl-tools check pkg-config file procps util-linux \
	python3 busybox-static runc crun podman tini dumb-init catatonit

all: pidone

pidone: $(SRC) $(HDR) Makefile tools/sstrip
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

check: pidone tests/unit/check_pidone $(HELPERS)
	tests/unit/check_pidone
	tests/run

install: pidone
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1
	cp -f pidone $(DESTDIR)$(PREFIX)/bin/pidone
	chmod 755 $(DESTDIR)$(PREFIX)/bin/pidone
	sed 's/VERSION/$(VERSION)/g' man/pidone.1 \
		> $(DESTDIR)$(MANPREFIX)/man1/pidone.1
	chmod 644 $(DESTDIR)$(MANPREFIX)/man1/pidone.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pidone $(DESTDIR)$(MANPREFIX)/man1/pidone.1

deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEPS)

clean:
	rm -f pidone tools/sstrip tests/unit/check_pidone $(HELPERS)

.PHONY: all check deps install uninstall clean

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
