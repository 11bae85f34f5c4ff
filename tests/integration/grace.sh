# The end of a run: what happens to the processes left when the command
# exits or pidone is told to stop (grace.c), and --wait-all.

source "$TESTS/grace-lib.sh"

# The command leaves a helper behind that needs 300 ms to write its records
# when told to stop. With the default grace period they are all written.
test_no_data_lost_with_default_grace() {
	need_root
	pid1 -v -- sh -c "$REC rec.log & $(until_ready rec.log)exit 0" 2>err
	assert_eq 0 $? "exit status"
	complete rec.log
	assert_grep '^pidone: grace: sending TERM to [0-9]+ \(grace_rec\)$' err "trace names the process"
	assert_no_grep 'KILL' err "nothing needed KILL"
}

# The same with --grace 0 (and PIDONE_GRACE=0): pidone exits at once, the
# kernel kills the helper without a SIGTERM, and its records are lost.
# The command line overrides the environment.
test_data_lost_with_grace_0() {
	need_root
	local cmd="$REC rec.log & $(until_ready rec.log)exit 0"
	pid1 --grace 0 -- sh -c "$cmd"
	assert_eq 0 $? "exit status"
	assert_eq 0 "$(count '^term$' rec.log)" "--grace 0: SIGTERMs received"
	assert_eq 0 "$(count '^done$' rec.log)" "--grace 0: finished"
	[ "$(count '^record ' rec.log)" -lt 20 ] || fail "--grace 0: all records written"
	rm rec.log
	PIDONE_GRACE=0 pid1 -- sh -c "$cmd"
	assert_eq 0 "$(count '^record ' rec.log)" "PIDONE_GRACE=0: records written"
	rm rec.log
	PIDONE_GRACE=0 pid1 -G 3s -- sh -c "$cmd"
	complete rec.log
}

# A process that ignores SIGTERM is killed when the grace period ends, and
# pidone still exits with the command's status, after -e.
test_term_ignored_killed_at_end_of_grace() {
	need_root
	local cmd="$REC -i ig.log & $(until_ready ig.log)exit 7"
	pid1 -v -G 300ms -- sh -c "$cmd" 2>err
	assert_eq 7 $? "exit status"
	assert_eq 1 "$(count '^term$' ig.log)" "SIGTERMs received"
	assert_eq 0 "$(count '^done$' ig.log)" "finished"
	assert_grep '^pidone: grace period of 300 ms over: sending KILL to what is left$' err "warning"
	assert_grep '^pidone: grace: sending KILL to [0-9]+ \(grace_rec\)$' err "trace names the process"
	rm ig.log
	pid1 -G 300ms -e 7 -- sh -c "$cmd" 2>err
	assert_eq 0 $? "exit status with -e 7"
	assert_eq 1 "$(count '^term$' ig.log)" "-e 7: SIGTERMs received"
}

# The same as a subreaper, where the kernel kills nothing when pidone
# exits: the process is gone afterwards only because pidone killed it.
test_term_ignored_killed_as_subreaper() {
	"$PIDONE" -G 300ms -- sh -c "$REC -i ig.log & $(until_ready ig.log)exit 7" 2>err
	assert_eq 7 $? "exit status"
	local pid
	pid=$(awk '/^ready/ { print $2 }' ig.log)
	assert_eq 1 "$(count '^term$' ig.log)" "SIGTERMs received"
	! kill -0 "$pid" 2>/dev/null || { kill -9 "$pid"; fail "the process outlived pidone"; }
	assert_grep 'sending KILL' err "warning"
}

# docker stop: SIGTERM to pidone while the command and a daemon (setsid,
# so outside the command's process group) run. The command gets it by
# forwarding, the daemon from the grace period; both finish their records.
test_docker_stop_command_and_daemon_finish() {
	need_root
	start_pid1 -v -- sh -c "setsid -f $REC daemon.log; exec $REC cmd.log"
	ready cmd.log daemon.log
	kill -TERM "$p1"
	wait_exit "$ns"
	assert_eq 0 $? "exit status"
	complete cmd.log
	complete daemon.log
	read -r _ pid pgid sid < daemon.log
	assert_eq "$pid $pid" "$pgid $sid" "the daemon leads its own session"
	assert_grep "^pidone: grace: sending TERM to $pid \(grace_rec\)$" err "trace names the daemon"
}

# A process in the command's group got the forwarded SIGTERM already: the
# grace period does not send it a second one (a second SIGTERM makes many
# programs, Go's signal.NotifyContext idiom among them, skip their clean
# shutdown). Its log counts the SIGTERMs it received.
test_stop_sends_no_second_term_to_the_group() {
	need_root
	start_pid1 -v -- sh -c "$REC member.log & exec $REC -n 1 cmd.log"
	ready cmd.log member.log
	kill -TERM "$p1"
	wait_exit "$ns"
	assert_eq 0 $? "exit status"
	complete member.log 1
	assert_grep '^pidone: grace: already sent TERM to [0-9]+ \(grace_rec\)$' err "trace"
}

# A second SIGTERM or SIGINT during the grace period does not cut it short.
test_second_term_does_not_cut_grace() {
	need_root
	start_pid1 -v -- sh -c "setsid -f $REC -t 40 daemon.log; exec $REC -n 0 cmd.log"
	ready cmd.log daemon.log
	kill -TERM "$p1"
	for _ in $(seq 1 500); do
		grep -q '^term' daemon.log && break
		sleep 0.02
	done
	grep -q '^term' daemon.log || fail "the daemon never got the first TERM"
	kill -TERM "$p1"; kill -INT "$p1"
	wait_exit "$ns"
	assert_eq 0 $? "exit status"
	complete daemon.log
	assert_grep '^pidone: grace: (TERM|INT) from pid [0-9]+: ignored$' err "trace"
}

# As a subreaper (not PID 1), only pidone's own descendants are signalled,
# a daemon among them; a sibling process outside its tree is left alone.
test_subreaper_signals_only_its_descendants() {
	"$REC" sibling.log &
	local sib=$!
	trap "kill -9 $sib 2>/dev/null" EXIT
	ready sibling.log
	"$PIDONE" -v -- sh -c "$REC child.log & setsid -f $REC daemon.log; $(until_ready child.log daemon.log)exit 0" 2>err
	assert_eq 0 $? "exit status"
	complete child.log
	complete daemon.log
	assert_eq 0 "$(count '^term' sibling.log)" "SIGTERMs the sibling received"
	kill -0 "$sib" || fail "the sibling is gone"
	assert_no_grep "sending TERM to $sib " err "trace"
}

# --wait-all (and PIDONE_WAIT_ALL=1): pidone stays until the daemon the
# command left has finished by itself, then exits with the command's
# status. Without it the daemon is told to stop instead.
test_wait_all_waits_for_the_rest() {
	need_root
	local cmd="setsid -f $REC -l 1500 late.log; $(until_ready late.log)exit 3"
	pid1 -W -- sh -c "$cmd"
	assert_eq 3 $? "-W: exit status"
	assert_eq "0 1" "$(count '^term$' late.log) $(count '^done$' late.log)" "-W: SIGTERMs, finished"
	rm late.log
	PIDONE_WAIT_ALL=1 pid1 -- sh -c "$cmd"
	assert_eq 3 $? "PIDONE_WAIT_ALL=1: exit status"
	assert_eq "0 1" "$(count '^term$' late.log) $(count '^done$' late.log)" "PIDONE_WAIT_ALL=1: SIGTERMs, finished"
	rm late.log
	pid1 -- sh -c "$cmd"
	assert_eq 3 $? "without -W: exit status"
	assert_eq 1 "$(count '^term$' late.log)" "without -W: SIGTERMs"
}

# --wait-all, then SIGTERM once the command is gone: the rest gets the
# grace period, and pidone exits with the command's status.
test_wait_all_then_term() {
	need_root
	start_pid1 -W -- sh -c "setsid -f $REC long.log; $(until_ready long.log)exit 3"
	ready long.log
	for _ in $(seq 1 200); do
		[ "$(ps --ppid "$p1" -o comm= | tr '\n' ' ')" = "grace_rec " ] && break
		sleep 0.05
	done
	[ "$(ps --ppid "$p1" -o comm= | tr '\n' ' ')" = "grace_rec " ] ||
		fail "pidone's children are not the daemon alone: $(ps --ppid "$p1" -o comm=)"
	kill -TERM "$p1"
	wait_exit "$ns"
	assert_eq 3 $? "exit status"
	complete long.log
}

# A process left stopped cannot act on SIGTERM: the grace period sends it
# SIGCONT after the SIGTERM, and it finishes. As PID 1 and as a subreaper.
test_stopped_process_is_continued() {
	need_root
	local cmd="$REC rec.log & $(until_ready rec.log)kill -STOP \$!; i=0; until grep -q '^State:.*T' /proc/\$!/status; do i=\$((i + 1)); [ \$i -lt 2000 ] || exit 99; sleep 0.01; done; exit 0"
	pid1 -- sh -c "$cmd"
	assert_eq 0 $? "PID 1: exit status"
	complete rec.log
	rm rec.log
	"$PIDONE" -- sh -c "$cmd"
	assert_eq 0 $? "subreaper: exit status"
	complete rec.log
}

# The real docker stop: podman stop on a container whose init is pidone
# (podman run --init --init-path), running a command and a setsid daemon.
# Both finish their records before the container ends, and the container's
# exit status is the command's.
test_podman_stop_command_and_daemon_finish() {
	need_root
	need_cmd podman runc
	need_static
	"$TESTS/mkrootfs.sh" rootfs >mk.log 2>&1
	case $? in 0) ;; 77) skip "$(cut -c7- mk.log)" ;; *) cat mk.log; fail "mkrootfs" ;; esac
	[ -x rootfs/usr/bin/grace_rec ] || fail "grace_rec not built (make tests/helpers/grace_rec)"
	local name=pidone-stop-$$
	trap "podman --cgroup-manager=cgroupfs rm -f $name >/dev/null 2>&1" EXIT
	podman --cgroup-manager=cgroupfs run -d --name "$name" --network=none \
		--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --runtime=runc \
		--init --init-path "$PIDONE" --rootfs "$PWD/rootfs" \
		sh -c 'setsid grace_rec /tmp/daemon.log & exec grace_rec -x 3 /tmp/cmd.log' >/dev/null ||
		fail "podman run"
	ready rootfs/tmp/cmd.log rootfs/tmp/daemon.log
	podman --cgroup-manager=cgroupfs stop -t 10 "$name" >/dev/null || fail "podman stop"
	complete rootfs/tmp/cmd.log
	complete rootfs/tmp/daemon.log
	assert_eq 3 "$(podman --cgroup-manager=cgroupfs inspect "$name" --format '{{.State.ExitCode}}')" "container exit status"
}

# released MODE: in the grace period the kernel releases each of pidone's
# children as it exits, so that no zombie waits for pidone to reap it
# (reaping them one waitpid at a time costs a walk of all its children
# each, quadratic in the processes left). The command leaves 30 processes
# that ignore SIGTERM and exit once ./go exists; pidone is stopped in its
# grace period before they exit, so it can reap nothing: its children must
# vanish all the same, with not one left a zombie. When resumed it must
# still see that they are gone and exit with the command's status. MODE is
# pid1 or child (a subreaper).
released() {
	local n=30 p pid wait kids state zs=0
	[ -x "$HELPERS/storm" ] || fail "missing $HELPERS/storm: run make check"
	wait="i=0; while [ \$i -lt $n ]; do (trap '' TERM; exec $HELPERS/storm wait go 0 ready.\$i) & i=\$((i + 1)); done; until [ \$(ls ready.* 2>/dev/null | wc -l) = $n ]; do sleep 0.01; done; exit 5"
	if [ "$1" = pid1 ]; then
		start_pid1 -v -G 60s -- sh -c "$wait"
		p=$p1
	else
		"$PIDONE" -v -G 60s -- sh -c "$wait" 2>err &
		p=$!
		trap "kill -CONT $p; kill -KILL $p 2>/dev/null" EXIT
	fi
	for _ in $(seq 1 400); do
		grep -q '^pidone: grace: 60000 ms for the processes left$' err && break
		sleep 0.05
	done
	assert_grep '^pidone: grace: 60000 ms for the processes left$' err "grace period begun"
	wait_sigwait "$p"
	kids=$(cat "/proc/$p/task/$p/children")
	assert_eq $n "$(echo $kids | wc -w)" "pidone's children in its grace period"
	kill -STOP "$p"
	for _ in $(seq 1 200); do
		grep -Eq '^State:[[:space:]]+T' "/proc/$p/status" && break
		sleep 0.05
	done
	grep -Eq '^State:[[:space:]]+T' "/proc/$p/status" || fail "pidone did not stop"
	touch go
	# Each child exits: it vanishes, or stays a zombie of pidone's.
	for pid in $kids; do
		for _ in $(seq 1 400); do
			state=$(awk '$1 == "State:" { print $2 }' "/proc/$pid/status" 2>/dev/null)
			[ -z "$state" ] || [ "$state" = Z ] && break
			sleep 0.05
		done
		[ -z "$state" ] || [ "$state" = Z ] || fail "child $pid did not exit: state $state"
		[ "$state" = Z ] && zs=$((zs + 1))
	done
	assert_eq 0 "$zs" "zombies left for a stopped pidone"
	assert_eq "" "$(cat "/proc/$p/task/$p/children")" "pidone's children while it is stopped"
	kill -CONT "$p"
	if [ "$1" = pid1 ]; then
		wait_exit "$ns"
	else
		wait_exit "$p"
	fi
	assert_eq 5 $? "exit status"
	trap - EXIT
	assert_grep '^pidone: grace: all gone after [0-9]+ ms$' err "trace"
	assert_no_grep 'KILL' err "nothing needed KILL"
}

test_grace_children_released_by_the_kernel_pid1() {
	need_root
	released pid1
}

test_grace_children_released_by_the_kernel_child() {
	released child
}
