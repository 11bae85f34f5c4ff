# The specs files that make gcc link a true static PIE with musl
# (tools/musl-specs); one per musl triplet, written into build/.

# Debian's musl-dev and musl-dev:ARCH: headers in /usr/include/TRIPLET,
# libc.a and rcrt1.o in /usr/lib/TRIPLET.
build/%.specs: tools/musl-specs
	mkdir -p build
	tools/musl-specs /usr/include/$* /usr/lib/$* > $@.tmp
	mv $@.tmp $@

pidone: $(if $(MUSL),build/$(MUSL).specs)
