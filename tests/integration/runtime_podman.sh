# podman run --init --init-path pidone, with runc and with crun: pidone is
# process 1, the command leads a process group of its own, exit codes pass
# through, and podman stop ends a shell with background jobs at once.
source "$(dirname "${BASH_SOURCE[0]}")/runtime.bash"
RT_SELF=${BASH_SOURCE[0]}

# podman_init RUNTIME: what the command sees, and the exit codes.
podman_init() {
	local r=$1 name=$RT_NAME-init rc want cmd
	rt_on_exit "podman --cgroup-manager=cgroupfs rm -f -t 0 $name"
	rt_podman_run "$r" --rm --name "$name" -- /bin/sh -c \
		'ps -o pid,pgid,sid,comm; /run/podman-init --version; exit 5' \
		>out 2>err
	rc=$?
	cat out err
	assert_eq 5 "$rc" "exit status of podman run (sh exits 5)"
	assert_grep '^pidone [0-9]' out "/run/podman-init is pidone"
	assert_eq "1 1 1" "$(rt_psline out podman-init)" "pidone's pid, pgid, sid"
	read -r pid pgid sid <<<"$(rt_psline out sh)"
	[ -n "$pid" ] && [ "$pid" != 1 ] && [ "$pgid" = "$pid" ] ||
		fail "the command's process group: pid '$pid' pgid '$pgid'"
	for want in 3 130 137 143; do
		case $want in
		130) cmd='kill -INT $$' ;;
		137) cmd='kill -KILL $$' ;;
		143) cmd='kill -TERM $$' ;;
		*) cmd="exit $want" ;;
		esac
		rt_podman_run "$r" --rm --name "$name" -- /bin/sh -c "$cmd"
		assert_eq "$want" "$?" "exit status of podman run sh -c '$cmd'"
	done
}

# podman_stop RUNTIME: podman stop sends TERM to pidone, which forwards it
# to the whole group: the shell and its background jobs end at once, and the
# exit code is TERM's (143), not KILL's (137) after the 60-second timeout.
podman_stop() {
	local r=$1 name=$RT_NAME-stop start secs code
	rt_podman_start "$r" "$name" /bin/sh -c 'sleep 1000 & sleep 1000 & wait'
	rt_poll 30 eval '[ "$(rt_podman '"$r"' exec '"$name"' ps -o comm |
		grep -c "^sleep")" = 2 ]'
	start=$(date +%s)
	rt_podman "$r" stop -t 60 "$name" || fail "podman stop failed"
	secs=$(( $(date +%s) - start ))
	code=$(rt_podman "$r" inspect -f '{{.State.ExitCode}}' "$name")
	echo "podman stop took ${secs}s; exit code $code"
	assert_eq 143 "$code" "exit code after podman stop"
	[ "$secs" -lt 30 ] || fail "podman stop took ${secs}s of its 60s timeout"
}

test_podman_runc_init() {
	rt_need podman runc
	rt_rootfs
	podman_init runc
}

test_podman_crun_init() {
	rt_need podman crun
	rt_rootfs
	rt_cgroup2 podman_init crun
}

test_podman_runc_stop() {
	rt_need podman runc
	rt_rootfs
	podman_stop runc
}

test_podman_crun_stop() {
	rt_need podman crun
	rt_rootfs
	rt_cgroup2 podman_stop crun
}
