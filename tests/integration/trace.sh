# The -v trace: every signal pidone receives (who sent it, how, where it
# went), every reap, the command's start and pidone's exit decision.

# pidone as PID 1 and session leader, as container runtimes start it.
trace_pid1() {
	unshare --pid --fork --mount-proc setsid "$PIDONE" "$@"
}

trace_need() {
	need_root
	need_cmd unshare setsid
	[ -x "$HELPERS/insp_sig" ] || skip "needs tests/helpers/insp_sig (make check)"
}

# trace_bg ARGS...: trace_pid1 in the background, stderr to trace; sets
# upid (unshare) and p1 (pidone, seen from outside), once pidone waits.
trace_bg() {
	local i
	unshare --pid --fork --mount-proc setsid "$PIDONE" "$@" 2>trace &
	upid=$!
	trap 'kill -KILL $upid 2>/dev/null' EXIT
	for i in $(seq 1 200); do
		# children ends with no newline: read fails, yet sets p1.
		read -r p1 </proc/$upid/task/$upid/children 2>/dev/null
		[ -n "$p1" ] && break
		sleep 0.05
	done
	[ -n "$p1" ] || fail "pidone did not start"
	wait_sigwait "$p1"
}

# got_lines N: wait (20 s at most) until the command has written at least N
# lines to got, one per signal its traps caught.
got_lines() {
	local i
	for i in $(seq 1 400); do
		[ "$(wc -l <got 2>/dev/null || echo 0)" -ge "$1" ] && return 0
		sleep 0.05
	done
	fail "the command caught fewer than $1 signals: $(cat got 2>/dev/null)"
}

# Signals sent from known PIDs inside the namespace, by kill(2) and by
# sigqueue(3): the trace names each sender's PID and how, and the command's
# process group they were forwarded to.
test_trace_sender_inside() {
	trace_need
	cat >cmd.sh <<-EOF
	trap 'echo USR1 >>got' USR1
	trap 'echo USR2 >>got' USR2
	echo \$\$ >cmd
	$HELPERS/insp_sig send kill USR1 1 >s1
	$HELPERS/insp_sig send queue USR2 1 >s2
	# At least two lines, and a deadline: a count that overshot or a
	# signal that was lost must end the test, not hang it.
	i=0
	until [ "\$(wc -l <got 2>/dev/null || echo 0)" -ge 2 ]; do
		i=\$((i + 1)); [ \$i -lt 1000 ] || exit 99; sleep 0.02
	done
	EOF
	trace_pid1 -v -- bash cmd.sh 2>trace || fail "pidone exited $?"
	cmd=$(cat cmd) s1=$(cat s1) s2=$(cat s2)
	assert_grep "^pidone: started $cmd: pgid $cmd sid 1 foreground -1\$" trace "start"
	assert_grep "^pidone: signal USR1\(10\) from pid $s1 uid 0 by kill: forwarded as USR1\(10\) to -$cmd\$" \
		trace "USR1 sent with kill"
	assert_grep "^pidone: signal USR2\(12\) from pid $s2 uid 0 by sigqueue: forwarded as USR2\(12\) to -$cmd\$" \
		trace "USR2 sent with sigqueue"
	assert_grep "^pidone: signal CHLD\(17\) from pid [0-9]+ uid 0 by kernel: used by pidone: reaping\$" \
		trace "SIGCHLD"
	assert_grep "^pidone: reaped $cmd \(command\): exited 0\$" trace "the command's reap"
	assert_grep "^pidone: exiting 0: command exited 0\$" trace "exit decision"
	assert_no_grep "^[^p]|^p[^i]" trace "lines without the pidone: prefix"
}

# A signal from outside the namespace has sender PID 0. With -c and
# --rewrite, the trace shows the rewritten signal, the single PID it went
# to, and a signal the rewrite dropped.
test_trace_outside_rewrite_single() {
	trace_need
	cat >cmd.sh <<-EOF
	trap 'echo HUP >>got' HUP
	trap 'echo USR2 >>got' USR2
	echo \$\$ >cmd.tmp; mv cmd.tmp cmd
	i=0
	until [ -e done ]; do
		i=\$((i + 1)); [ \$i -lt 1500 ] || exit 99; sleep 0.02
	done
	EOF
	trace_bg -v -c -r HUP:USR2 -r USR1:0 -- bash cmd.sh
	wait_for cmd
	# One signal at a time: two USR2 pending at once would merge.
	kill -USR1 "$p1"
	kill -HUP "$p1"
	got_lines 1
	kill -USR2 "$p1"
	got_lines 2
	touch done
	wait_exit $upid || fail "pidone exited $?"
	cmd=$(cat cmd)
	assert_eq "USR2 USR2" "$(echo $(cat got))" "what the command received"
	assert_grep "^pidone: signal USR1\(10\) from pid 0 uid 0 by kill: dropped by rewrite\$" \
		trace "USR1 dropped"
	assert_grep "^pidone: signal HUP\(1\) from pid 0 uid 0 by kill: forwarded as USR2\(12\) to $cmd\$" \
		trace "HUP rewritten to USR2, to the command's PID only"
	assert_grep "^pidone: signal USR2\(12\) from pid 0 uid 0 by kill: forwarded as USR2\(12\) to $cmd\$" \
		trace "USR2"
}

# Each reap: an orphan killed by a signal, then the command's own exit
# status; the exit decision with and without -e; -vv set-up details.
test_trace_reaps_and_exit() {
	trace_need
	cat >cmd.sh <<-'EOF'
	echo $$ >cmd
	( bash -c 'echo $$ >orph.tmp; mv orph.tmp orph; kill -TERM $$' & )
	i=0
	until [ -s orph ]; do i=$((i + 1)); [ $i -lt 1000 ] || exit 98; sleep 0.02; done
	while [ -e /proc/$(cat orph) ]; do
		i=$((i + 1)); [ $i -lt 2000 ] || exit 99; sleep 0.02
	done
	exit 3
	EOF
	trace_pid1 -vv -- bash cmd.sh 2>trace
	assert_eq 3 "$?" "pidone's exit status"
	cmd=$(cat cmd) orph=$(cat orph)
	assert_grep "^pidone: pidone is pid 1 pgid 1 sid 1\$" trace "-vv: pidone's group"
	assert_grep "^pidone: terminal: none\$" trace "-vv: no terminal"
	assert_grep "^pidone: started $cmd: pgid $cmd sid 1 foreground -1\$" trace "start"
	assert_grep "^pidone: reaped $orph \(orphan\): killed by TERM\(15\)\$" trace "the orphan's reap"
	assert_grep "^pidone: reaped $cmd \(command\): exited 3\$" trace "the command's reap"
	assert_grep "^pidone: exiting 3: command exited 3\$" trace "exit decision"
	trace_pid1 -v -e 3 -- sh -c 'exit 3' 2>trace
	assert_eq 0 "$?" "pidone's exit status with -e 3"
	assert_grep "^pidone: exiting 0: command exited 3, expected \(-e\)\$" trace "exit decision with -e"
}

# Pause mode: TERM from outside ends it, and the trace says so.
test_trace_pause() {
	trace_need
	trace_bg -v -P
	kill -TERM "$p1"
	wait_exit $upid || fail "pidone exited $?"
	assert_grep "^pidone: signal TERM\(15\) from pid 0 uid 0 by kill: used by pidone: shutting down\$" \
		trace "TERM"
	assert_grep "^pidone: exiting 0: pause ended\$" trace "exit decision"
}

# Without -v, a run says nothing at all.
test_trace_silent() {
	trace_need
	# No child to be killed by the forwarded USR1: bash would report it.
	trace_pid1 -- bash -c 'trap "exit 0" USR1; kill -USR1 1
		while :; do :; done' 2>trace
	assert_eq 0 "$?" "exit status"
	assert_eq "" "$(cat trace)" "stderr without -v"
}
