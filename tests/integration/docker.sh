# Docker with pidone as its init: each test starts a private dockerd (its
# own data and exec roots and socket, no iptables, no bridge) whose
# --init-path is pidone, and stops it by PID when the test ends, however.
# Images come from a busybox root filesystem imported locally: no registry.
source "$(dirname "${BASH_SOURCE[0]}")/runtime.bash"

# dk_start: a private dockerd, ready to answer; sets DK (its folder),
# DK_PID, DOCKER_HOST, and queues its stop.
dk_start() {
	rt_need dockerd docker tar
	DK=$PWD/dk
	mkdir -p "$DK"
	dockerd --data-root "$DK/data" --exec-root "$DK/exec" \
		--pidfile "$DK/dockerd.pid" -H "unix://$DK/docker.sock" \
		--iptables=false --bridge=none --init-path "$PIDONE" \
		>"$DK/log" 2>&1 </dev/null &
	DK_PID=$!
	rt_on_exit dk_stop
	export DOCKER_HOST=unix://$DK/docker.sock DOCKER_BUILDKIT=0
	rt_poll 60 docker version
}

# dk_stop: remove the containers, stop dockerd (TERM, then KILL after 20 s),
# and unmount whatever it left under its folder.
dk_stop() {
	local i m
	[ -n "${DK_PID:-}" ] || return 0
	docker ps -aq | xargs -r docker rm -f -t 0
	kill -TERM "$DK_PID"
	for i in $(seq 1 200); do
		kill -0 "$DK_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$DK_PID" 2>/dev/null
	wait "$DK_PID"
	for m in $(awk -v d="$DK/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r); do
		umount -l "$m"
	done
	DK_PID=
}

# dk_image NAME: NAME:test, an image of the busybox root filesystem (with
# /sbin/pidone and the test helpers in /usr/bin).
dk_image() {
	[ -d "$PWD/rootfs" ] || rt_rootfs
	tar -C "$PWD/rootfs" -c . | docker import - "$1:test" >/dev/null ||
		fail "docker import failed"
}

# dk_commit: set DK_COMMIT to the commit pidone --version names ("pidone V
# - git.COMMIT"); built from git, the version line must name one, 12 hex
# digits.
dk_commit() {
	local v
	v=$("$PIDONE" --version) || fail "pidone --version exited $?"
	echo "pidone --version: $v"
	if git -C "$TESTS/.." rev-parse --short=12 HEAD >/dev/null 2>&1; then
		echo "$v" | grep -Eq '^pidone [0-9]+\.[0-9]+\.[0-9]+ - git\.[0-9a-f]{12}$' ||
			fail "built from git, --version must read 'pidone VERSION - git.COMMIT': $v"
	fi
	DK_COMMIT=${v##* - git.}
}

# dk_code NAME: the exit code docker recorded for container NAME.
dk_code() { docker inspect -f '{{.State.ExitCode}}' "$1"; }

# dk_nozombies: a shell loop, run in a container, that waits (30 s at most)
# until no process there is a zombie, then prints "no zombies".
DK_NOZOMBIES='n=0
while grep -qs "^State:[[:space:]]*Z" /proc/[0-9]*/status; do
	n=$((n + 1)); [ $n -lt 300 ] || { echo zombies left; ps -o pid,ppid,stat,comm; exit 3; }
	sleep 0.1
done
echo no zombies'

# docker info reports pidone's commit as the init version, and the daemon,
# which runs "pidone --version" for it, could parse that line.
test_docker_info_init_version() {
	local want got
	dk_start
	dk_commit
	want=$DK_COMMIT
	got=$(docker info --format '{{.InitBinary}} {{.InitCommit.ID}}') ||
		fail "docker info failed"
	echo "docker info: $got"
	assert_eq "$PIDONE $want" "$got" "init binary and its commit, as docker info shows them"
	docker info 2>/dev/null | grep -i 'init version' >info
	assert_grep "init version: $want$" info "docker info's init version"
	assert_no_grep "failed to parse" "$DK/log" "the daemon's log"
}

# docker run --init: pidone is /sbin/docker-init, PID 1; exit codes and
# signal deaths (128+N) come back through docker run; orphans are reaped.
test_docker_run_init() {
	local rc code
	dk_start
	dk_image pidone-bb
	docker run --rm --init --network=none pidone-bb:test sh -c \
		'tr "\0" " " </proc/1/cmdline; echo; /sbin/docker-init --version; exit 7' \
		>out 2>err
	rc=$?
	cat out err
	assert_eq 7 "$rc" "docker run --init sh -c 'exit 7'"
	assert_grep '^/sbin/docker-init -- sh -c ' out "process 1 is docker's init"
	assert_grep "^pidone [0-9]" out "/sbin/docker-init is pidone"
	for code in 0 1 100 255; do
		rc=0; docker run --rm --init --network=none pidone-bb:test \
			sh -c "exit $code" || rc=$?
		assert_eq "$code" "$rc" "docker run --init sh -c 'exit $code'"
	done
	# Signal deaths: TERM 143, KILL 137, USR1 (10) 138 from the die helper.
	rc=0; docker run --rm --init --network=none pidone-bb:test \
		sh -c 'kill -TERM $$' || rc=$?
	assert_eq 143 "$rc" "the command killed by TERM"
	rc=0; docker run --rm --init --network=none pidone-bb:test \
		sh -c 'kill -KILL $$' || rc=$?
	assert_eq 137 "$rc" "the command killed by KILL"
	rc=0; docker run --rm --init --network=none pidone-bb:test die 10 || rc=$?
	assert_eq 138 "$rc" "the command killed by USR1"
	# 200 orphans, reparented to pidone (PID 1), are all reaped.
	rc=0; docker run --rm --init --network=none pidone-bb:test \
		sh -c "orphans 200 || exit 2; $DK_NOZOMBIES" >out 2>&1 || rc=$?
	cat out
	assert_eq 0 "$rc" "the orphans' container"
	assert_grep '^no zombies$' out "zombies in the container"
}

# docker stop sends TERM to pidone, which forwards it: a command that traps
# TERM exits through its trap (status 42, which only the trap gives), well
# before docker's KILL after -t seconds (which would record 137).
test_docker_stop_trap() {
	local name=pidone-dk-stop start secs code
	dk_start
	dk_image pidone-bb
	docker run -d --init --network=none --name "$name" pidone-bb:test sh -c \
		'trap "echo got TERM >/tmp/trap; exit 42" TERM
		echo ready >/tmp/ready
		while :; do sleep 1 & wait $!; done' >/dev/null ||
		fail "docker run -d failed"
	rt_poll 30 docker exec "$name" test -s /tmp/ready
	start=$(date +%s)
	docker stop -t 20 "$name" >/dev/null || fail "docker stop failed"
	secs=$(( $(date +%s) - start ))
	code=$(dk_code "$name")
	echo "docker stop took ${secs}s; exit code $code"
	docker logs "$name"
	assert_eq 42 "$code" "exit code after docker stop (the TERM trap's)"
	[ "$secs" -lt 15 ] || fail "docker stop took ${secs}s: TERM was not delivered"
}

# An image built from the imported busybox one with the classic builder,
# COPY pidone /pidone and ENTRYPOINT ["/pidone", "--"]: pidone is PID 1,
# exit codes and signal deaths pass through, signals sent to the container
# reach the command, and docker stop ends it with TERM (143).
test_docker_build_entrypoint() {
	local rc name=pidone-dk-ep
	[ -x "$HELPERS/sigrec" ] || fail "missing $HELPERS/sigrec: run make check"
	dk_start
	dk_image pidone-bb
	mkdir ctx && cp "$PIDONE" ctx/pidone || fail "set-up"
	cat >ctx/Dockerfile <<'EOF'
FROM pidone-bb:test
COPY pidone /pidone
ENTRYPOINT ["/pidone", "--"]
CMD ["sh", "-c", "exit 3"]
EOF
	docker build -q -t pidone-ep:test ctx >build.out 2>&1 ||
		{ cat build.out; fail "docker build failed"; }
	rc=0; docker run --rm --network=none pidone-ep:test || rc=$?
	assert_eq 3 "$rc" "the image's default command, exit 3"
	rc=0; docker run --rm --network=none pidone-ep:test sh -c \
		'case $(tr "\0" " " </proc/1/cmdline) in "/pidone -- sh -c "*) exit 9 ;; esac; exit 90' \
		|| rc=$?
	assert_eq 9 "$rc" "pidone as PID 1 of the image, the command exits 9"
	rc=0; docker run --rm --network=none pidone-ep:test sh -c 'kill -INT $$' || rc=$?
	assert_eq 130 "$rc" "the command killed by INT"
	# Signals sent to the container arrive at the command, from PID 1.
	docker run -d --network=none --name "$name" pidone-ep:test \
		sigrec /tmp/cmd >/dev/null || fail "docker run -d failed"
	rt_poll 30 docker exec "$name" grep -q '^ready' /tmp/cmd
	docker kill -s HUP "$name" >/dev/null || fail "docker kill -s HUP"
	rt_poll 30 docker exec "$name" grep -q '^HUP pid=1$' /tmp/cmd
	docker kill -s USR2 "$name" >/dev/null || fail "docker kill -s USR2"
	rt_poll 30 eval "[ \"\$(docker inspect -f '{{.State.Running}}' $name)\" = false ]"
	assert_eq 0 "$(dk_code "$name")" "sigrec's exit after USR2"
	docker rm "$name" >/dev/null
	# docker stop: TERM, forwarded; the command dies of it.
	docker run -d --network=none --name "$name" pidone-ep:test \
		sleep 100000 >/dev/null || fail "docker run -d failed"
	rt_poll 30 docker exec "$name" sh -c 'grep -q sleep /proc/[0-9]*/comm'
	docker stop -t 20 "$name" >/dev/null || fail "docker stop failed"
	assert_eq 143 "$(dk_code "$name")" "exit code after docker stop"
}
