# Tests of what users install: the Debian package (make deb) and the
# FROM scratch image of Containerfile, built with podman and with Docker,
# copied into a busybox image by a multi-stage build and run as its
# ENTRYPOINT, with runc and with crun. `make check` builds dist/ and the
# package first.

TOP="$TESTS/.."
DEB_ARCH=$(dpkg --print-architecture)

# The package installs into a clean root with dpkg --root (an empty dpkg
# database, nothing else: no chroot needs building, since pidone is static
# and the package has no maintainer scripts), runs from its /usr/bin,
# and removes cleanly. lintian finds no error in it.
test_deb() {
	local deb root rc
	need_root
	need_cmd dpkg lintian chroot unshare
	deb=$(ls "$TOP"/dist/pidone_*_"$DEB_ARCH".deb 2>/dev/null | tail -n 1)
	[ -n "$deb" ] || fail "no package in dist/: run make deb (make check does)"
	lintian --fail-on error "$deb" >lintian.log 2>&1 || { cat lintian.log; fail "lintian"; }
	cat lintian.log
	root=$PWD/root
	mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
	: >"$root/var/lib/dpkg/status"
	dpkg --root="$root" --log=/dev/null -i "$deb" >dpkg.log 2>&1 || { cat dpkg.log; fail "dpkg -i"; }
	dpkg --root="$root" -L pidone >files
	for f in /usr/bin/pidone /usr/share/man/man1/pidone.1.gz \
	    /usr/share/doc/pidone/copyright /usr/share/doc/pidone/changelog.gz; do
		assert_grep "^$f\$" files "package lists $f"
		[ -s "$root$f" ] || fail "$f not installed"
	done
	zcat "$root/usr/share/man/man1/pidone.1.gz" >man
	assert_grep '^\.Os pidone [0-9]+\.[0-9]+\.[0-9]+$' man "man page has the version"
	assert_grep '^License: Expat$' "$root/usr/share/doc/pidone/copyright" "licence"
	# The root holds nothing but the package: pidone runs there as PID 1,
	# with itself as the command.
	chroot "$root" /usr/bin/pidone --version >version
	assert_grep '^pidone [0-9]' version "pidone --version in the root"
	rc=0; unshare --pid --fork chroot "$root" /usr/bin/pidone -- /usr/bin/pidone --bogus 2>err || rc=$?
	assert_eq 100 "$rc" "exit status of the command through pidone in the root"
	dpkg --root="$root" --log=/dev/null -r pidone >>dpkg.log 2>&1 || { cat dpkg.log; fail "dpkg -r"; }
	[ ! -e "$root/usr/bin/pidone" ] || fail "dpkg -r left /usr/bin/pidone"
}

# A busybox root without pidone, as a tarball to import.
rootfs_tar() {
	bash "$TESTS/mkrootfs.sh" rootfs >mkrootfs.log 2>&1 || {
		[ $? = 77 ] && skip "$(cut -c7- mkrootfs.log)"
		cat mkrootfs.log; fail "mkrootfs.sh"
	}
	rm rootfs/sbin/pidone
	tar -C rootfs -cf rootfs.tar .
	# The second stage: the busybox image plus /pidone from the first.
	mkdir ctx
	cat >ctx/Containerfile <<-EOF
	FROM $1pidone-test-init AS init
	FROM $1pidone-test-busybox
	COPY --from=init /pidone /pidone
	ENTRYPOINT ["/pidone", "--"]
	CMD ["sh", "-c", "ps -o pid,comm >/tmp/ps; cat /tmp/ps; sleep 1 & exit 3"]
	EOF
}

# saw_pidone_as_pid1 LOG RUNTIME: the container's ps saw pidone as PID 1.
saw_pidone_as_pid1() {
	assert_grep '^ +1 pidone$' "$1" "$2: PID 1 of the container"
}

# Podman with its own storage (removed with the test's folder), cgroupfs and
# explicit ulimits (the host's hard RLIMIT_NOFILE is below podman's default).
podman_() {
	podman --root "$WORK/storage" --runroot "$WORK/runroot" \
		--cgroup-manager=cgroupfs --storage-driver=vfs "$@"
}

test_image_podman() {
	local rc run="run --rm --network=none --ulimit nofile=1024:1024 --ulimit nproc=4096:4096"
	need_root
	need_cmd podman runc crun unshare
	WORK=$PWD
	[ -x "$TOP/dist/pidone-$DEB_ARCH" ] || fail "no dist/pidone-$DEB_ARCH: run make dist"
	trap 'podman_ rm -af >/dev/null 2>&1; podman_ rmi -af >/dev/null 2>&1' EXIT
	rootfs_tar localhost/
	podman_ import rootfs.tar localhost/pidone-test-busybox >import.log 2>&1 ||
		{ cat import.log; fail "podman import"; }
	(cd "$TOP" && podman_ build -q --build-arg ARCH="$DEB_ARCH" \
		-t localhost/pidone-test-init -f Containerfile .) >build.log 2>&1 ||
		{ cat build.log; fail "podman build Containerfile"; }
	# FROM scratch: the image is pidone alone.
	podman_ image inspect --format '{{len .RootFS.Layers}} {{.Size}}' \
		localhost/pidone-test-init >inspect
	assert_eq "1" "$(cut -d' ' -f1 inspect)" "layers of the pidone image"
	[ "$(cut -d' ' -f2 inspect)" -lt 65536 ] || fail "pidone image of $(cut -d' ' -f2 inspect) bytes"
	podman_ build -q -t localhost/pidone-test-app -f ctx/Containerfile ctx >>build.log 2>&1 ||
		{ cat build.log; fail "multi-stage podman build"; }
	rc=0; timeout 120 bash -c "WORK=$WORK; $(declare -f podman_); podman_ $run --runtime=runc localhost/pidone-test-app" >runc.log 2>&1 || rc=$?
	assert_eq 3 "$rc" "podman with runc: exit status"
	saw_pidone_as_pid1 runc.log "podman, runc"
	# crun refuses hybrid cgroups: run it where /sys/fs/cgroup is cgroup2
	# alone (a private mount namespace), and manage no cgroups.
	rc=0; timeout 120 unshare -m --propagation private bash -c "
		umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup || exit 90
		WORK=$WORK; $(declare -f podman_); podman_ $run --runtime=crun --cgroups=disabled localhost/pidone-test-app" >crun.log 2>&1 || rc=$?
	assert_eq 3 "$rc" "podman with crun: exit status"
	saw_pidone_as_pid1 crun.log "podman, crun"
}

# Docker: a dockerd of the test's own (its own data, exec root, socket and
# pid file; no iptables, no bridge), in a private mount namespace where
# /sys/fs/cgroup is cgroup2 alone, so that both runc and crun can run.
test_image_docker() {
	local d=$PWD/docker rc i
	need_root
	need_cmd dockerd docker runc crun unshare
	[ -x "$TOP/dist/pidone-$DEB_ARCH" ] || fail "no dist/pidone-$DEB_ARCH: run make dist"
	mkdir -p "$d"
	export DOCKER_HOST=unix://$d/docker.sock DOCKER_BUILDKIT=0
	unshare -m --propagation private bash -c "
		umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup || exit 90
		exec dockerd --data-root '$d/data' --exec-root '$d/exec' \
			--pidfile '$d/dockerd.pid' -H '$DOCKER_HOST' \
			--iptables=false --bridge=none --add-runtime crun=/usr/bin/crun \
			--exec-opt native.cgroupdriver=cgroupfs \
			--init-path '$TOP/dist/pidone-$DEB_ARCH'" >"$d/log" 2>&1 &
	DOCKERD=$!
	trap 'docker rm -f $(docker ps -aq) >/dev/null 2>&1; kill $DOCKERD 2>/dev/null;
		for i in $(seq 1 200); do kill -0 $DOCKERD 2>/dev/null || break; sleep 0.1; done;
		kill -KILL $DOCKERD 2>/dev/null; rm -rf "'"$d"'"' EXIT
	for i in $(seq 1 600); do
		docker info >/dev/null 2>&1 && break
		kill -0 $DOCKERD 2>/dev/null || { cat "$d/log"; fail "dockerd exited"; }
		sleep 0.1
	done
	docker info >info 2>&1 || { cat "$d/log"; fail "dockerd did not start in 60 s"; }
	rootfs_tar ""
	docker import rootfs.tar pidone-test-busybox >import.log 2>&1 ||
		{ cat import.log; fail "docker import"; }
	mkdir init && cp "$TOP/Containerfile" init/
	mkdir init/dist && cp "$TOP/dist/pidone-$DEB_ARCH" init/dist/
	docker build -q --build-arg ARCH="$DEB_ARCH" -t pidone-test-init -f init/Containerfile init >build.log 2>&1 ||
		{ cat build.log; fail "docker build Containerfile"; }
	docker build -q -t pidone-test-app -f ctx/Containerfile ctx >>build.log 2>&1 ||
		{ cat build.log; fail "multi-stage docker build"; }
	rc=0; timeout 120 docker run --rm --network=none pidone-test-app >runc.log 2>&1 || rc=$?
	assert_eq 3 "$rc" "docker with runc: exit status"
	saw_pidone_as_pid1 runc.log "docker, runc"
	# docker run --init with --init-path: pidone runs as /sbin/docker-init.
	rc=0; timeout 120 docker run --rm --network=none --init pidone-test-busybox \
		sh -c 'ps -o pid,comm; exit 4' >init.log 2>&1 || rc=$?
	assert_eq 4 "$rc" "docker run --init: exit status"
	assert_grep '^ +1 docker-init$' init.log "docker-init is PID 1"
	assert_grep "Init Binary: $TOP/dist/pidone-$DEB_ARCH" info "docker info: the init"
	# dockerd runs INIT --version and expects tini's format; it shows what
	# it made of pidone's answer.
	grep -i 'init version' info || true
	# crun: Docker asks it for a RLIMIT_MEMLOCK this machine's hard limit
	# does not allow, and crun (unlike runc) fails on it; say so if it
	# does, and check the run if it works.
	rc=0; timeout 120 docker run --rm --network=none --runtime=crun pidone-test-app >crun.log 2>&1 || rc=$?
	if [ "$rc" = 125 ] && grep -q 'setrlimit (RLIM_MEMLOCK): Operation not permitted' crun.log; then
		echo "NOTE: docker with crun cannot start containers here: crun's setrlimit(RLIMIT_MEMLOCK) fails (EPERM) under this dockerd"
	else
		assert_eq 3 "$rc" "docker with crun: exit status"
		saw_pidone_as_pid1 crun.log "docker, crun"
	fi
}
