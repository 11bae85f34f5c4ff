# The exec helper in real runtimes. crun exec before 1.20 (and podman exec
# on it) leaves the injected process in a group and session outside the
# container: PGID 0 and SID 0 inside. pidone --exec makes it PGID = SID =
# PID, and leaves runc's already-right layout alone. With a terminal, the
# injected process ends in the terminal's foreground group and can read.
source "$(dirname "${BASH_SOURCE[0]}")/runtime.bash"
RT_SELF=${BASH_SOURCE[0]}

PS_ARGS=(/bin/ps -o pid,pgid,sid,comm)

# crun's version is 1.20 or later: it has the fix, the bug cannot show.
crun_fixed() {
	local v
	v=$(crun --version | awk '/^crun version/ { print $3 }')
	[ "$(printf '%s\n1.20\n' "$v" | sort -V | head -n 1)" = 1.20 ]
}

# assert_bug FILE: ps (in FILE) shows the injected process with PGID 0 and
# SID 0, the crun bug the helper repairs; with a fixed crun, a leader.
assert_bug() {
	if crun_fixed; then
		echo "crun $(crun --version | awk 'NR == 1 { print $3 }') has the fix"
		rt_assert_leader "$1" ps "exec without the helper (fixed crun)"
	else
		read -r pid pgid sid <<<"$(rt_psline "$1" ps)"
		[ "$pgid $sid" = "0 0" ] || { cat "$1"; fail "the crun exec bug did \
not reproduce: expected PGID 0 and SID 0, got '$pgid $sid'"; }
	fi
}

# exec_cases EXEC...: EXEC is how to run a command in the container (crun
# exec NAME, podman exec NAME). Without the helper ps shows the bug; with
# it, PGID = SID = PID; --setpgid forces a group only; exec failures give
# 127 and 126 as in init mode.
exec_cases() {
	local rc
	"$@" "${PS_ARGS[@]}" >before.txt || fail "$* ps failed"
	echo "--- $* ps -o pid,pgid,sid,comm"
	cat before.txt
	assert_bug before.txt
	"$@" /sbin/pidone -v --exec "${PS_ARGS[@]}" >after.txt 2>after.err ||
		{ cat after.err; fail "$* pidone --exec ps failed"; }
	echo "--- $* pidone --exec ps -o pid,pgid,sid,comm"
	cat after.txt after.err
	rt_assert_leader after.txt ps "exec with pidone --exec"
	crun_fixed || {
		assert_grep '^pidone: exec: found: pid [0-9]+ pgid 0 sid 0 NSpgid 0 NSsid 0 foreground -1$' \
			after.err "-v reports what the helper found"
		assert_grep '^pidone: exec: started a new session$' after.err \
			"-v reports what the helper did"
		"$@" /sbin/pidone -x --setpgid "${PS_ARGS[@]}" >pgid.txt ||
			fail "$* pidone -x --setpgid ps failed"
		cat pgid.txt
		read -r pid pgid sid <<<"$(rt_psline pgid.txt ps)"
		[ -n "$pid" ] && [ "$pgid" = "$pid" ] && [ "$sid" = 0 ] ||
			fail "--setpgid: expected PGID = PID and SID 0, got '$pid $pgid $sid'"
	}
	"$@" /sbin/pidone -x /nonexistent >out 2>err
	rc=$?
	cat err
	assert_eq 127 "$rc" "pidone -x with a missing command"
	assert_grep '^pidone: .*/nonexistent' err "the missing command is named"
	"$@" /sbin/pidone -x /etc/passwd >out 2>err
	assert_eq 126 "$?" "pidone -x with a command that is not executable"
}

# leader_cases EXEC...: runc exec already makes a session leader; the
# helper sees that and changes nothing.
leader_cases() {
	"$@" "${PS_ARGS[@]}" >before.txt || fail "$* ps failed"
	cat before.txt
	rt_assert_leader before.txt ps "exec without the helper"
	"$@" /sbin/pidone -v --exec "${PS_ARGS[@]}" >after.txt 2>after.err ||
		{ cat after.err; fail "$* pidone --exec ps failed"; }
	cat after.txt after.err
	rt_assert_leader after.txt ps "exec with pidone --exec"
	assert_grep '^pidone: exec: already a session leader: nothing to do$' \
		after.err "the helper leaves a session leader alone"
	assert_no_grep 'started a new' after.err "the helper changed nothing"
}

# tty_cases EXEC...: EXEC runs a command on a terminal (exec -t). The
# shell run through pidone --exec is in the terminal's foreground group
# and reads a typed line.
tty_cases() {
	local rc
	on_pty "$@" /bin/sh -c "$RT_TTY_SH" >plain.txt
	echo "--- without the helper ($?):"
	cat plain.txt
	on_pty "$@" /sbin/pidone -v --exec /bin/sh -c "$RT_TTY_SH" >helped.txt
	rc=$?
	echo "--- with pidone --exec ($rc):"
	cat helped.txt
	assert_eq 0 "$rc" "exit status of the shell on the terminal"
	rt_assert_fg helped.txt "exec -t with pidone --exec"
}

crun_exec() {
	local name=$RT_NAME-cx
	rt_crun_start "$name" /sbin/pidone -- /bin/sleep 1000
	exec_cases rt_crun exec "$name"
}

crun_exec_tty() {
	local name=$RT_NAME-ct
	rt_crun_start "$name" /sbin/pidone -- /bin/sleep 1000
	tty_cases crun --cgroup-manager=disabled exec -t "$name"
}

# The resident alternative: pidone -- COMMAND in an exec session is not
# PID 1, so it becomes a subreaper and runs the command in a new group of
# its own (PGID = PID; the session stays the exec's), forwards signals to
# it and exits with its status.
crun_exec_resident() {
	local name=$RT_NAME-cr rc pid pgid sid
	rt_crun_start "$name" /sbin/pidone -- /bin/sleep 1000
	rt_crun exec "$name" /sbin/pidone -v -- "${PS_ARGS[@]}" >res.txt 2>res.err ||
		{ cat res.err; fail "crun exec pidone -- ps failed"; }
	echo "--- crun exec pidone -- ps -o pid,pgid,sid,comm"
	cat res.txt res.err
	read -r pid pgid sid <<<"$(rt_psline res.txt ps)"
	[ -n "$pid" ] && [ "$pgid" = "$pid" ] ||
		fail "the command under a resident pidone: pid '$pid' pgid '$pgid'"
	assert_grep 'subreaper' res.err "pidone says it is a subreaper"
	rt_crun exec "$name" /sbin/pidone -- /bin/sh -c 'kill -TERM $$'
	assert_eq 143 "$?" "exit status of a resident pidone whose command got TERM"
	# A signal sent to the resident pidone reaches the command's group.
	rt_crun exec "$name" /sbin/pidone -- /bin/sh -c \
		'trap "exit 9" USR1; sleep 1000 & echo > /tmp/res.ready; wait' &
	rt_poll 30 rt_files "$name/rootfs/tmp/res.ready"
	rt_crun exec "$name" "${PS_ARGS[@]}" >ps.txt
	cat ps.txt
	pid=$(awk '$4 == "pidone" && $1 != 1 { print $1 }' ps.txt)
	[ -n "$pid" ] || fail "no resident pidone in the container"
	rt_crun exec "$name" /bin/kill -USR1 "$pid" || fail "kill -USR1 $pid failed"
	wait $!
	assert_eq 9 "$?" "exit status after USR1 sent to the resident pidone"
}

podman_exec() {
	local r=$1 name=$RT_NAME-px
	rt_podman_start "$r" "$name" /bin/sleep 1000
	if [ "$r" = crun ]; then
		exec_cases rt_podman "$r" exec "$name"
	else
		leader_cases rt_podman "$r" exec "$name"
	fi
}

podman_exec_tty() {
	local r=$1 name=$RT_NAME-pt
	rt_podman_start "$r" "$name" /bin/sleep 1000
	tty_cases podman --cgroup-manager=cgroupfs --runtime="$r" exec -it "$name"
}

test_crun_exec() {
	rt_need crun python3
	rt_cgroup2 crun_exec
}

test_crun_exec_resident() {
	rt_need crun python3
	rt_cgroup2 crun_exec_resident
}

test_crun_exec_tty() {
	rt_need crun python3
	rt_cgroup2 crun_exec_tty
}

test_podman_crun_exec() {
	rt_need podman crun
	rt_rootfs
	rt_cgroup2 podman_exec crun
}

test_podman_crun_exec_tty() {
	rt_need podman crun python3
	rt_rootfs
	rt_cgroup2 podman_exec_tty crun
}

test_runc_exec() {
	local name=$RT_NAME-rx
	rt_need runc python3
	rt_runc_start "$name" /sbin/pidone -- /bin/sleep 1000
	leader_cases runc exec "$name"
}

test_runc_exec_tty() {
	local name=$RT_NAME-rt
	rt_need runc python3
	rt_runc_start "$name" /sbin/pidone -- /bin/sleep 1000
	tty_cases runc exec -t "$name"
}

test_podman_runc_exec() {
	rt_need podman runc
	rt_rootfs
	podman_exec runc
}

test_podman_runc_exec_tty() {
	rt_need podman runc python3
	rt_rootfs
	podman_exec_tty runc
}

# A terminal whose session lies outside the container: nsenter into a
# running container from a terminal. The injected shell reads PGID 0 and
# SID 0 and the foreground group (its caller's) 0. pidone --exec gives it a
# new group, made the terminal's foreground: it reads a typed line (also
# with no /dev/tty in the container), and Ctrl-C reaches it (130: SIGINT).
test_nsenter_tty() {
	local name=$RT_NAME-ns pid rc
	rt_need runc python3 nsenter
	rt_runc_start "$name" /sbin/pidone -- /bin/sleep 1000
	pid=$(rt_state_pid runc "$name")
	tty_cases nsenter -t "$pid" -a
	assert_grep '^stat pid=[0-9]+ pgid=0 sid=0 tpgid=0$' plain.txt \
		"without the helper: group, session and foreground outside"
	assert_grep 'found: pid [0-9]+ pgid 0 sid 0 NSpgid 0 NSsid 0 foreground 0' \
		helped.txt "-v reports the terminal's foreground group"
	assert_grep '^pidone: exec: started a new process group$' helped.txt \
		"a new group, not a new session"
	assert_grep "^pidone: exec: made it the terminal's foreground group$" \
		helped.txt "the group got the terminal"
	assert_grep '^stat pid=[0-9]+ pgid=[0-9]+ sid=0 tpgid=' helped.txt \
		"the session (and its terminal) is kept"
	# A container without /dev/tty: the helper finds the terminal on its
	# standard descriptors instead.
	runc exec "$name" /bin/rm -f /dev/tty || fail "cannot remove /dev/tty"
	on_pty nsenter -t "$pid" -a /sbin/pidone -v --exec /bin/sh -c "$RT_TTY_SH" >notty.txt
	cat notty.txt
	rt_assert_fg notty.txt "pidone --exec without /dev/tty"
	PTY_INPUT=$'\003' on_pty nsenter -t "$pid" -a /sbin/pidone --exec \
		/bin/sh -c 'echo READY; exec sleep 1000' >intr.txt
	rc=$?
	cat intr.txt
	assert_eq 130 "$rc" "Ctrl-C ends the command with SIGINT"
}
