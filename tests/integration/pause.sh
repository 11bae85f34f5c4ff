# Pause mode (-P): pidone as the process 1 of a pod's shared PID namespace,
# with no command. Also: an idle pidone makes no wake-ups.

source "$TESTS/grace-lib.sh"

# switches PID: voluntary context switches of PID so far.
switches() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status"; }

# children PID: the comm of each child of PID, on one line.
children() { ps --ppid "$1" -o stat=,comm= | tr -s ' \n' '  '; }

# in_ns COMMAND: run a shell command inside pidone's PID namespace, as a
# process that pidone did not start (as a runtime's exec would).
in_ns() { nsenter -t "$p1" -p -- sh -c "cd '$PWD' && $1"; }

# Orphans made by other processes in the namespace are reparented to
# pidone and reaped, and SIGTERM ends pause mode with status 0.
test_pause_reaps_orphans_and_exits_0_on_term() {
	need_root
	need_cmd nsenter
	start_pid1 -P
	in_ns "$REC -l 1000 o1.log & $REC -l 1000 o2.log & for i in \$(seq 1 20); do sleep 0.2 & done"
	ready o1.log o2.log
	[ "$(children "$p1" | grep -o grace_rec | wc -l)" = 2 ] || fail "orphans not adopted: $(children "$p1")"
	for _ in $(seq 1 100); do
		[ -z "$(children "$p1" | tr -d ' ')" ] && break
		sleep 0.05
	done
	assert_eq "" "$(children "$p1" | tr -d ' ')" "children left (zombies show as Z)"
	assert_eq "1 1" "$(count '^done$' o1.log) $(count '^done$' o2.log)" "orphans finished"
	kill -TERM "$p1"
	wait_exit "$ns"
	assert_eq 0 $? "exit status on TERM"
	# start_pid1 returned once pidone waits for signals: sent any sooner,
	# the INT would find PID 1 without a handler, and the kernel drops it.
	start_pid1 -P
	kill -INT "$p1"
	wait_exit "$ns"
	assert_eq 0 $? "exit status on INT"
}

# Idle, pidone sleeps in sigwaitinfo with no timeout: over two seconds its
# count of voluntary context switches does not move. In pause mode, and
# with a command running.
test_idle_makes_no_wakeups() {
	need_root
	local a b
	# start_pid1 returns once pidone sleeps in sigwaitinfo: the idle
	# state the two-second window measures.
	start_pid1 -P
	a=$(switches "$p1"); sleep 2; b=$(switches "$p1")
	assert_eq "$a" "$b" "pause mode: voluntary context switches"
	kill -TERM "$p1"; wait_exit "$ns"
	start_pid1 -- sleep 1000
	# And the command is sleep already, so its start sends nothing more.
	child_cmd=
	for _ in $(seq 1 400); do
		read -r child_cmd </proc/$p1/task/$p1/children 2>/dev/null
		[ -n "$child_cmd" ] && [ "$(cat /proc/$child_cmd/comm 2>/dev/null)" = sleep ] && break
		sleep 0.05
	done
	[ "$(cat /proc/$child_cmd/comm 2>/dev/null)" = sleep ] || fail "the command never became sleep"
	wait_sigwait "$p1"
	a=$(switches "$p1"); sleep 2; b=$(switches "$p1")
	assert_eq "$a" "$b" "with a command: voluntary context switches"
	kill -TERM "$p1"; wait_exit "$ns"
	assert_eq 143 $? "exit status of the command killed by TERM"
}

# SIGTERM in pause mode gives what is left the grace period: a process
# that writes records finishes them, one that ignores SIGTERM is killed,
# and pidone still exits 0.
test_pause_term_graces_the_rest() {
	need_root
	need_cmd nsenter
	start_pid1 -P -v -G 1s
	in_ns "$REC rec.log & $REC -i ig.log &"
	ready rec.log ig.log
	kill -TERM "$p1"
	wait_exit "$ns"
	assert_eq 0 $? "exit status"
	complete rec.log
	assert_eq "1 0" "$(count '^term$' ig.log) $(count '^done$' ig.log)" "ignorer: SIGTERMs, finished"
	assert_grep '^pidone: grace: sending KILL to [0-9]+ \(grace_rec\)$' err "trace"
}

# A real pod: an image made by podman import from a busybox root holding
# the static pidone, with ENTRYPOINT pidone -P, is the infra image of a pod
# sharing its PID namespace. A container in the pod sees pidone as PID 1;
# the orphans it leaves are adopted and reaped; stopping the pod ends
# pidone with status 0.
test_pause_in_podman_pod() {
	need_root
	need_cmd podman runc
	"$TESTS/mkrootfs.sh" rootfs >mk.log 2>&1
	case $? in 0) ;; 77) skip "$(cut -c7- mk.log)" ;; *) cat mk.log; fail "mkrootfs" ;; esac
	# On these machines crun refuses the hybrid cgroup layout, so runc;
	# cgroupfs, as there is no systemd; and ulimits below the host's hard
	# limit of open files, which is lower than podman's default.
	cat >containers.conf <<-EOF
	[containers]
	default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
	[engine]
	cgroup_manager = "cgroupfs"
	runtime = "runc"
	EOF
	export CONTAINERS_CONF=$PWD/containers.conf
	local name=pidone-pod-$$ infra
	trap "podman pod rm -f $name >/dev/null 2>&1; podman rmi -f localhost/$name:latest >/dev/null 2>&1" EXIT
	tar -C rootfs -c . | podman import --change 'ENTRYPOINT ["/sbin/pidone","-P"]' - "localhost/$name:latest" >/dev/null ||
		fail "podman import"
	podman pod create --name "$name" --share pid,ipc,uts --infra-image "localhost/$name:latest" >/dev/null ||
		fail "podman pod create"
	podman pod start "$name" >/dev/null || fail "podman pod start"
	podman run --rm --pod "$name" --network=none --entrypoint /bin/sh "localhost/$name:latest" -c '
		echo "pid1 $(cat /proc/1/comm) $(tr "\0" " " < /proc/1/cmdline)"
		for i in 1 2 3; do (sleep 2 &); done
		sleep 0.3; echo BEFORE; ps -o pid,ppid,stat,comm
		sleep 3; echo AFTER; ps -o pid,ppid,stat,comm' >out 2>&1
	assert_eq 0 $? "podman run"
	assert_grep '^pid1 pidone /sbin/pidone -P $' out "PID 1 in the pod"
	assert_eq 3 "$(sed -n '/^BEFORE/,/^AFTER/p' out | awk '$2 == 1 && $4 == "sleep"' | wc -l)" "orphans adopted by PID 1"
	assert_eq 0 "$(sed -n '/^AFTER/,$p' out | awk '$3 ~ /Z/' | wc -l)" "zombies left"
	assert_eq 0 "$(sed -n '/^AFTER/,$p' out | awk '$4 == "sleep"' | wc -l)" "orphans left"
	infra=$(podman pod inspect "$name" --format '{{.InfraContainerID}}')
	podman pod stop "$name" >/dev/null || fail "podman pod stop"
	assert_eq "0 exited" "$(podman inspect "$infra" --format '{{.State.ExitCode}} {{.State.Status}}')" "infra exit"
}
