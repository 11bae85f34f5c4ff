# make dist: pidone for every architecture Debian 12 can cross-compile to,
# as dist/pidone-ARCH (Debian's architecture names), each a static PIE with
# no interpreter, and dist/SHA256SUMS. Everything comes from Debian's
# packages (make deps): the cross gcc, and musl-dev:ARCH for its libc.a and
# rcrt1.o. Debian 12 has no riscv64 musl, so make deps builds it from
# Debian's musl source package; without it riscv64 links static glibc.

ARCHES = amd64 arm64 armhf i386 ppc64el s390x riscv64

# The cross gcc's triplet, musl's triplet, and the largest page size the
# architecture's kernels use. arm64 and ppc64el kernels run with 64 KiB
# pages (Debian's ppc64el kernel does); armhf binaries also run on arm64
# kernels (compat), so they get the same. x86, s390x and riscv64 kernels
# only have 4 KiB base pages.
GNU_amd64 = x86_64-linux-gnu
GNU_arm64 = aarch64-linux-gnu
GNU_armhf = arm-linux-gnueabihf
GNU_i386 = i686-linux-gnu
GNU_ppc64el = powerpc64le-linux-gnu
GNU_s390x = s390x-linux-gnu
GNU_riscv64 = riscv64-linux-gnu
MUSL_amd64 = x86_64-linux-musl
MUSL_arm64 = aarch64-linux-musl
MUSL_armhf = arm-linux-musleabihf
MUSL_i386 = i386-linux-musl
MUSL_ppc64el = powerpc64le-linux-musl
MUSL_s390x = s390x-linux-musl
MUSL_riscv64 = riscv64-linux-musl
PAGE_amd64 = 4096
PAGE_arm64 = 65536
PAGE_armhf = 65536
PAGE_i386 = 4096
PAGE_ppc64el = 65536
PAGE_s390x = 4096
PAGE_riscv64 = 4096

# musl for riscv64, built by make deps (deps-musl) from Debian's source.
RISCV64_MUSL = /usr/local/lib/riscv64-linux-musl

build/riscv64-linux-musl.specs: tools/musl-specs
	mkdir -p build
	tools/musl-specs $(RISCV64_MUSL)/include $(RISCV64_MUSL)/lib > $@.tmp
	mv $@.tmp $@

# musl if its libc.a is there, else static glibc (the libc column of
# dist/LIBC and README's table says which).
musl_lib = $(if $(filter riscv64,$(1)),$(RISCV64_MUSL)/lib,/usr/lib/$(MUSL_$(1)))
libc_of = $(if $(wildcard $(call musl_lib,$(1))/libc.a),musl,glibc)

DIST_DEPS = qemu-user-static binfmt-support dpkg-dev devscripts \
	$(foreach a,$(filter-out amd64,$(ARCHES)),gcc-$(GNU_$(a))) \
	$(foreach a,arm64 armhf i386 ppc64el s390x,musl-dev:$(a) check:$(a)) \
	$(foreach a,arm64 armhf i386 ppc64el s390x riscv64,libc6-dev-$(a)-cross)

# The later -z max-page-size wins over the one in LDFLAGS (the host's).
# build/ARCH/pidone.elf keeps its symbols, so the tests can see which
# functions check the canary; the release is that file stripped, then
# sstripped.
define dist_arch
build/$(1)/pidone.elf: $(SRC) $(HDR) Makefile mk/dist.mk mk/relro.ld build/commit \
		$(if $(filter musl,$(call libc_of,$(1))),build/$(MUSL_$(1)).specs)
	mkdir -p build/$(1)
	$(GNU_$(1))-gcc $(if $(filter musl,$(call libc_of,$(1))),-specs=build/$(MUSL_$(1)).specs) \
		$(filter-out $(X86_FLAGS),$(CFLAGS)) \
		$(call x86,$(GNU_$(1)),$(call libc_of,$(1))) \
		$(filter-out -s $(RELRO_LD),$(LDFLAGS)) \
		$(if $(filter musl,$(call libc_of,$(1))),$(RELRO_LD)) \
		-Wl,-z,max-page-size=$(PAGE_$(1)) -o $$@ $(SRC)

dist/pidone-$(1): build/$(1)/pidone.elf tools/sstrip
	mkdir -p dist
	$(GNU_$(1))-strip -s -o $$@ build/$(1)/pidone.elf
	tools/sstrip $$@

# The Check unit tests for ARCH, static, with Debian's check:ARCH and glibc
# (run under qemu-user by tests/integration/arch.sh).
build/$(1)/check_pidone: $(SRC) $(HDR) $(UNIT) tests/unit/unit.h
	mkdir -p build/$(1)
	$(GNU_$(1))-gcc $(filter-out -I/%,$(TEST_CFLAGS)) -Dmain=pidone_main -static \
		-o $$@ $(SRC) $(UNIT) -lcheck -lsubunit -lm -lrt -pthread
endef
$(foreach a,$(ARCHES),$(eval $(call dist_arch,$(a))))

dist: $(ARCHES:%=dist/pidone-%)
	printf '%s\n' $(foreach a,$(ARCHES),"$(a) $(call libc_of,$(a))") > dist/LIBC
	cd dist && sha256sum $(ARCHES:%=pidone-%) > SHA256SUMS

# The architectures with Debian's check:ARCH installed (none for riscv64).
UNIT_ARCHES = $(foreach a,$(ARCHES),$(if $(wildcard /usr/lib/$(subst i686,i386,$(GNU_$(a)))/libcheck.a),$(a)))
dist-unit: $(UNIT_ARCHES:%=build/%/check_pidone)

check: dist dist-unit

# Foreign architectures, and the deb-src line apt-get source needs.
deps-arch:
	for a in arm64 armhf i386 ppc64el s390x; do dpkg --add-architecture $$a; done
	test -e /etc/apt/sources.list.d/debian-src.sources || \
		printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' \
		'Suites: bookworm' 'Components: main' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' \
		> /etc/apt/sources.list.d/debian-src.sources

# musl for riscv64 from Debian's own source package (about a minute).
deps-musl: $(RISCV64_MUSL)/lib/libc.a
$(RISCV64_MUSL)/lib/libc.a:
	rm -rf build/musl-src && mkdir -p build/musl-src
	cd build/musl-src && apt-get source -qq musl
	cd build/musl-src/musl-*/ && ./configure --prefix=$(RISCV64_MUSL) \
		--target=riscv64-linux-gnu CC=riscv64-linux-gnu-gcc \
		--disable-shared >/dev/null && $(MAKE) -s && $(MAKE) -s install
	rm -rf build/musl-src

.PHONY: dist dist-unit deps-arch deps-musl
