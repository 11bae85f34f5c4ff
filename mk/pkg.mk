# make deb: a Debian package of the native pidone (binary in /usr/bin, the
# man page, the licence, the changelog), built with dpkg-deb alone, as
# reproducible as the binary: file times come from SOURCE_DATE_EPOCH, the
# date of packaging/changelog's last entry.
# make image: the FROM scratch image of Containerfile (podman or docker).

DEB_ARCH = $(shell dpkg --print-architecture)
DEB = dist/pidone_$(VERSION)_$(DEB_ARCH).deb
PKG_DEPS = lintian docker.io
EPOCH = $(shell dpkg-parsechangelog -l packaging/changelog -STimestamp)

deb: $(DEB)
$(DEB): pidone man/pidone.1 packaging/changelog packaging/control.in \
		packaging/lintian-overrides mk/pkg.mk
	rm -rf build/deb
	$(MAKE) -s install DESTDIR=$(CURDIR)/build/deb PREFIX=/usr \
		MANPREFIX=/usr/share/man
	mkdir -p build/deb/DEBIAN build/deb/usr/share/doc/pidone
	gzip -9n build/deb/usr/share/man/man1/pidone.1
	gzip -9n < packaging/changelog > build/deb/usr/share/doc/pidone/changelog.gz
	mkdir -p build/deb/usr/share/lintian/overrides
	cp packaging/lintian-overrides build/deb/usr/share/lintian/overrides/pidone
	{ printf '%s\n' 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
		'Upstream-Name: pidone' '' 'Files: *' \
		"Copyright: $$(./pidone --license | sed -n 's/^Copyright (c) //p')" \
		'License: Expat'; ./pidone --license | sed -e '1,/^Copyright/d' \
		-e 's/^$$/./' -e 's/^/ /'; } > build/deb/usr/share/doc/pidone/copyright
	sed -e 's/VERSION/$(VERSION)/' -e 's/ARCH/$(DEB_ARCH)/' \
		-e "s/SIZE/$$(du -sk --exclude=DEBIAN build/deb | cut -f1)/" \
		packaging/control.in > build/deb/DEBIAN/control
	cd build/deb && find usr -type f | LC_ALL=C sort | xargs md5sum > DEBIAN/md5sums
	find build/deb -type d -exec chmod 755 {} +
	chmod 644 build/deb/DEBIAN/control build/deb/DEBIAN/md5sums \
		build/deb/usr/share/doc/pidone/* build/deb/usr/share/man/man1/* \
		build/deb/usr/share/lintian/overrides/pidone
	mkdir -p dist
	SOURCE_DATE_EPOCH=$(EPOCH) dpkg-deb --root-owner-group -Zxz --build build/deb $@

# An image holding only /pidone, for COPY --from=. Built with podman if it
# is there, else docker (tests/integration/pack.sh builds it with both).
IMAGE = pidone:$(VERSION)
image: dist/pidone-$(DEB_ARCH)
	$(shell command -v podman || echo docker) build --build-arg ARCH=$(DEB_ARCH) \
		-t $(IMAGE) -f Containerfile .

.PHONY: deb image
check: deb
