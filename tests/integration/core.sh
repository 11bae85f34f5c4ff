# Integration tests of pidone's core: exit status, reaping, forwarding,
# rewriting, what the command inherits, stops, idling and bad input. Each
# runs pidone as PID 1 of a new PID namespace, as a plain child, or both.

# The signals whose default action ends a process (kill -l numbers), minus
# CHLD CONT STOP TSTP TTIN TTOU URG WINCH.
DEADLY="1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 24 25 26 27 29 30 31 $(seq -s ' ' 32 64)"

# The signals forwarded in the forwarding tests: those the issue names, a
# real-time signal, the lowest real-time one (34, which a C library may keep
# for itself), fault signals sent with kill, and the stop signals, which
# must not stop pidone.
FORWARDED="TERM INT HUP USR1 40 34 SEGV ABRT BUS QUIT WINCH TSTP TTIN TTOU CONT"

source "$TESTS/core-lib.sh"

# --- exit status ------------------------------------------------------------

# exit_codes RUNNER: every exit code 0..255 comes back unchanged.
exit_codes() {
	local i rc
	for i in $(seq 0 255); do
		rc=0
		"$@" sh -c "exit $i" || rc=$?
		[ "$rc" = "$i" ] || fail "command exited $i, pidone $rc"
	done
}

# deadly_signals RUNNER: death by signal N is exit code 128+N.
deadly_signals() {
	local sig rc
	need_helpers die
	for sig in $DEADLY; do
		rc=0
		"$@" "$HELPERS/die" "$sig" 2>err || rc=$?
		[ "$rc" = $((128 + sig)) ] ||
			fail "command killed by signal $sig: pidone exited $rc"
	done
}

plain() { "$PIDONE" "$@"; }

test_exit_codes_pid1() { need_root; exit_codes pid1; }
test_exit_codes_child() { exit_codes plain; }
test_deadly_signals_pid1() { need_root; deadly_signals pid1; }
test_deadly_signals_child() { deadly_signals plain; }

# -e CODE maps CODE, including 128+N, to 0; others pass unchanged.
test_expect_codes() {
	local run rc
	need_root
	need_helpers die
	for run in plain pid1; do
		rc=0; $run -e 143 "$HELPERS/die" 15 || rc=$?
		assert_eq 0 "$rc" "$run -e 143, killed by TERM"
		rc=0; $run -e143 "$HELPERS/die" 2 || rc=$?
		assert_eq 130 "$rc" "$run -e143, killed by INT"
		rc=0; $run -e 3 --expect=4 sh -c 'exit 3' || rc=$?
		assert_eq 0 "$rc" "$run -e 3 --expect=4, exit 3"
		rc=0; $run -e 3 --expect=4 sh -c 'exit 4' || rc=$?
		assert_eq 0 "$rc" "$run -e 3 --expect=4, exit 4"
		rc=0; $run -e 3 --expect=4 sh -c 'exit 5' || rc=$?
		assert_eq 5 "$rc" "$run -e 3 --expect=4, exit 5"
		rc=0; $run -e 255 sh -c 'exit 255' || rc=$?
		assert_eq 0 "$rc" "$run -e 255, exit 255"
	done
	# The Java case: TERM sent to pidone, the command dies of it, 0.
	start_pid1 -e 143 sleep 100000
	child_of "$PIDONE_PID" || fail "pidone exited early"
	wait_line sleep "/proc/$CHILD/comm"
	kill -TERM "$PIDONE_PID"
	finish 0
}

# --- reaping ----------------------------------------------------------------

# reported N: shell code for the command: wait (60 s at most, then exit 3)
# until pidone.err reports N orphans reaped. The command outlives them all,
# so none is left to the grace period, where the kernel releases pidone's
# children as they exit and none is reported.
reported() {
	printf 'n=0; until [ "$(grep -Ec "^pidone: reaped [0-9]+ \\(orphan\\): exited 0\\$" pidone.err)" = %s ]; do n=$((n + 1)); [ $n -lt 1200 ] || exit 3; sleep 0.05; done; ' "$1"
}

# orphans_pid1 N [LABEL]: N orphans, each reparented to pidone as PID 1
# and reaped: pidone reports every one, and none is left a zombie.
orphans_pid1() {
	start_pid1 -w sh -c '
		"$0" '"$1"' || exit 2
		'"$(reported "$1")"'
		n=0
		while grep -qs "^State:[[:space:]]*Z" /proc/[0-9]*/status; do
			n=$((n + 1))
			[ $n -lt 1200 ] || exit 3
			sleep 0.05
		done
		echo no zombies' "$HELPERS/orphans"
	finish 0
	assert_grep "^no zombies$" pidone.out "${2:+$2: }zombie check"
	assert_eq "$1" "$(grep -Ec '^pidone: reaped [0-9]+ \(orphan\): exited 0$' pidone.err)" \
		"${2:+$2: }orphans reaped by pidone"
}

test_orphans_reaped_pid1() {
	need_helpers orphans
	orphans_pid1 10000
}

# The same as a plain child, a subreaper: no zombie of pidone's is left.
test_orphans_reaped_child() {
	need_helpers orphans
	start_child -w sh -c '
		"$0" 10000 || exit 2
		'"$(reported 10000)"'
		n=0
		while cat /proc/[0-9]*/status 2>/dev/null | awk -v p="$PPID" "
			/^State:/ { z = \$2 == \"Z\" }
			/^PPid:/ && z && \$2 == p { found = 1 }
			END { exit !found }"; do
			n=$((n + 1))
			[ $n -lt 1200 ] || exit 3
			sleep 0.05
		done
		echo no zombies' "$HELPERS/orphans"
	finish 0
	assert_grep "^no zombies$" pidone.out "zombie check"
	assert_eq 10000 "$(grep -Ec '^pidone: reaped [0-9]+ \(orphan\): exited 0$' pidone.err)" \
		"orphans reaped by pidone"
}

# Not PID 1, pidone becomes a subreaper: the command's orphans become its
# children and are reaped when they exit.
test_orphans_reaped_subreaper() {
	local pid n
	need_helpers orphans
	start_child -v sh -c '"$0" -h 20 >pids && echo >done && exec sleep 100000' \
		"$HELPERS/orphans"
	wait_for done 30
	assert_eq 20 "$(wc -l <pids)" "orphans started"
	assert_grep "^pidone: not PID 1: became a child subreaper$" pidone.err \
		"subreaper note"
	for pid in $(cat pids); do
		assert_eq "$PIDONE_PID" "$(status_of "$pid" PPid)" "parent of orphan $pid"
		kill -TERM "$pid"
	done
	for pid in $(cat pids); do
		for n in $(seq 1 400); do
			[ -e "/proc/$pid" ] || break
			sleep 0.05
		done
		[ -e "/proc/$pid" ] && fail "orphan $pid not reaped: state $(status_of "$pid" State)"
	done
	kill -TERM "$PIDONE_PID"
	finish 143
	assert_eq 20 "$(grep -Ec '^pidone: reaped [0-9]+ \(orphan\): killed by TERM\(15\)$' pidone.err)" \
		"orphans reported reaped"
}

# --- forwarding -------------------------------------------------------------

# forward_all FROM OPTIONS...: start sigrec under pidone with a grandchild,
# send each of $FORWARDED to pidone and wait until the command records it.
# FROM is pid1 or child; sets SENDER, the PID the recorders should see.
forward_all() {
	local how=$1 sig
	shift
	need_helpers sigrec
	"start_$how" "$@" "$HELPERS/sigrec" "$PWD/cmd" "$PWD/grandchild"
	wait_line "^ready" cmd
	wait_line "^ready" grandchild
	[ "$how" = pid1 ] && SENDER=1 || SENDER=$PIDONE_PID
	for sig in $FORWARDED; do
		kill -s "$sig" "$PIDONE_PID"
		wait_line "^$(name_of "$sig") pid=$SENDER$" cmd
	done
	assert_eq S "$(status_of "$PIDONE_PID" State)" "pidone's state"
	kill -s USR2 "$PIDONE_PID"
	finish 0
	assert_grep "^USR2 pid=$SENDER$" cmd "stop signal"
}

# group_gets_all: both recorders saw every signal, from pidone.
group_gets_all() {
	local sig
	for sig in $FORWARDED; do
		assert_grep "^$(name_of "$sig") pid=$SENDER$" grandchild \
			"$(name_of "$sig") to the grandchild"
	done
}

# only_command_gets: the grandchild saw nothing from pidone.
only_command_gets() {
	assert_grep "^USR2 pid=[0-9]+$" grandchild "the command's own stop signal"
	assert_no_grep "^[^ ]+ pid=$SENDER$" grandchild "signals to the grandchild"
}

test_forward_group_pid1() { forward_all pid1; group_gets_all; }
test_forward_group_child() { forward_all child; group_gets_all; }
test_forward_single_pid1() { forward_all pid1 -c; only_command_gets; }
test_forward_single_child() { forward_all child --single-child; only_command_gets; }
test_forward_single_env() {
	DUMB_INIT_SETSID=0 forward_all child
	only_command_gets
}
test_forward_single_env_pidone() {
	PIDONE_SINGLE_CHILD=1 forward_all pid1
	only_command_gets
}

# -p SIG: pidone gets SIG when its parent dies, and passes it on.
test_pdeath_signal() {
	local i p
	need_helpers sigrec
	sh -c '"$1" -p USR1 "$2" "$3" >/dev/null 2>&1 </dev/null & echo $! >pid
		i=0; while [ ! -s "$3" ]; do
			i=$((i + 1)); [ $i -lt 400 ] || exit 1; sleep 0.05; done' sh \
		"$PIDONE" "$HELPERS/sigrec" "$PWD/cmd"
	p=$(cat pid)
	PIDONE_PID=$p
	wait_line "^USR1 pid=$p$" cmd
	kill -USR2 "$p"
	# It exits; its new parent may be slow to reap it.
	for i in $(seq 1 1200); do
		[ -e "/proc/$p" ] && [ "$(status_of "$p" State)" != Z ] || break
		sleep 0.05
	done
	[ -e "/proc/$p" ] && [ "$(status_of "$p" State)" != Z ] &&
		fail "pidone did not exit"
	FINISHED=1
	assert_grep "^USR2 pid=$p$" cmd "stop signal"
}

# -r FROM:TO delivers TO instead, TO 0 drops FROM, and names are those of
# kill -l (RTMIN+2 is the same signal to bash and to pidone).
test_rewrite() {
	need_helpers sigrec
	start_pid1 -r TERM:USR1 --rewrite=HUP:0 -r 40:RTMIN+8 \
		-rRTMIN+2:WINCH "$HELPERS/sigrec" "$PWD/cmd"
	wait_line "^ready" cmd
	kill -TERM "$PIDONE_PID"
	wait_line "^USR1 pid=1$" cmd
	kill -s RTMIN+2 "$PIDONE_PID"
	wait_line "^WINCH pid=1$" cmd
	kill -40 "$PIDONE_PID"
	wait_line "^RTMIN\+8 pid=1$" cmd
	# HUP (1) is dropped; INT (2), sent after it, shows it was handled.
	kill -HUP "$PIDONE_PID"
	kill -INT "$PIDONE_PID"
	wait_line "^INT pid=1$" cmd
	kill -USR2 "$PIDONE_PID"
	finish 0
	assert_no_grep "^(HUP|TERM|RTMIN\+2|RTMIN\+6) " cmd "signals rewritten away"
}

# --- what the command inherits ----------------------------------------------

# The command's blocked and ignored signals and open descriptors are those
# pidone was started with: compared with the same start without pidone.
test_inherited_state() {
	local setup base got
	need_root
	need_helpers sigstate
	setup="$HELPERS/sigstate -b 10 -b 34 -b 40 -i 12 -i 3 -i 41 -f 7 -f 9 --"
	base=$($setup "$HELPERS/sigstate")
	echo "$base" | grep -q "^SigBlk:	0000008200000200$" ||
		fail "the set-up did not block 10, 34, 40: $base"
	echo "$base" | grep -Eq "^fds: 0 1 2( [0-9]+)* 7( [0-9]+)* 9( |$)" ||
		fail "the set-up did not open 7 and 9: $base"
	got=$($setup "$PIDONE" "$HELPERS/sigstate")
	assert_eq "$base" "$got" "state of the command of a plain pidone"
	base=$($setup unshare --pid --fork --mount-proc "$HELPERS/sigstate")
	got=$($setup unshare --pid --fork --mount-proc "$PIDONE" "$HELPERS/sigstate")
	assert_eq "$base" "$got" "state of the command of pidone as PID 1"
	# And with nothing blocked or ignored, nothing is.
	got=$("$HELPERS/sigstate" -- unshare --pid --fork --mount-proc \
		"$PIDONE" "$HELPERS/sigstate")
	echo "$got" | grep -q "^SigBlk:	0000000000000000$" ||
		fail "the command has signals blocked: $got"
}

# --- stops --------------------------------------------------------------------

# A command that stops itself with TSTP, not through pidone, is resumed with
# a message on stderr, as PID 1 and as a plain child without a terminal.
test_stopped_command_resumed() {
	local how
	for how in pid1 child; do
		rm -f resumed
		FINISHED=
		"start_$how" sh -c 'kill -TSTP $$; echo yes >resumed'
		finish 0
		assert_grep "^yes$" resumed "$how: command resumed"
		assert_grep "^pidone: command stopped by TSTP with nothing to resume it: sending CONT$" \
			pidone.err "$how: message"
	done
}

# A command stopped by SIGSTOP is left stopped: whoever stopped it resumes it.
test_sigstop_stays_stopped() {
	local i
	start_pid1 -v sh -c 'kill -STOP $$; echo yes >resumed'
	child_of "$PIDONE_PID" || fail "pidone exited early"
	wait_line "^pidone: command stopped by STOP: left stopped$" pidone.err
	# Give a wrong resume every chance to happen before looking.
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(status_of "$CHILD" State)" = T ] || fail "command no longer stopped"
		[ -e resumed ] && fail "command resumed"
		sleep 0.1
	done
	kill -CONT "$CHILD"
	finish 0
	assert_grep "^yes$" resumed "command resumed by hand"
	assert_no_grep "sending CONT" pidone.err "pidone's message"
}

# --- idling -------------------------------------------------------------------

# idle RUNNER: pidone waiting for a command that does nothing is never woken.
idle() {
	local before after
	"start_$1" sleep 100000
	child_of "$PIDONE_PID" || fail "pidone exited early"
	wait_line sleep "/proc/$CHILD/comm"
	# The state measured: pidone asleep in sigwaitinfo.
	wait_sigwait "$PIDONE_PID"
	before=$(status_of "$PIDONE_PID" voluntary_ctxt_switches)
	sleep 3
	after=$(status_of "$PIDONE_PID" voluntary_ctxt_switches)
	[ -n "$before" ] || fail "no voluntary_ctxt_switches for $PIDONE_PID"
	assert_eq "$before" "$after" "pidone's voluntary context switches over 3 s"
	kill -TERM "$PIDONE_PID"
	finish 143
}

test_idle_no_wakeups_pid1() { idle pid1; }
test_idle_no_wakeups_child() { idle child; }

# --- command line -------------------------------------------------------------

# Options end at the command: pidone ls -l runs ls -l.
test_no_permutation() {
	local rc
	mkdir d && echo data >d/file && cd d || fail "set-up"
	ls -l >../want
	"$PIDONE" ls -l >../got
	cmp ../want ../got || fail "pidone ls -l differs from ls -l"
	"$PIDONE" -- ls -l >../got
	cmp ../want ../got || fail "pidone -- ls -l differs from ls -l"
	rc=0; "$PIDONE" -c -- sh -c 'exit 7' || rc=$?
	assert_eq 7 "$rc" "pidone -c -- sh"
	rc=0; "$PIDONE" sh -c 'exit 9' -v || rc=$?
	assert_eq 9 "$rc" "an option after the command"
}

test_help_version_license() {
	local opt
	for opt in -h --help -V --version -l --license; do
		"$PIDONE" "$opt" >out 2>err || fail "$opt exited $?"
		[ -s out ] || fail "$opt printed nothing on stdout"
		[ -s err ] && { cat err; fail "$opt printed on stderr"; }
		case $opt in
		-h|--help) assert_grep "^usage: pidone " out "$opt" ;;
		-V|--version) assert_grep "^pidone [0-9]+\.[0-9]+" out "$opt" ;;
		*) assert_grep "MIT License" out "$opt" ;;
		esac
	done
}

# bad EXPECTED-CODE MESSAGE-ERE ARGS...: pidone ARGS fails with that code and
# that one line on stderr, and prints nothing on stdout.
bad() {
	local code=$1 msg=$2 rc=0
	shift 2
	"$PIDONE" "$@" >out 2>err || rc=$?
	[ "$rc" = "$code" ] || { cat err; fail "pidone $*: exit $rc, expected $code"; }
	assert_eq 1 "$(wc -l <err)" "lines on stderr for pidone $*"
	assert_grep "^pidone: $msg$" err "message for pidone $*"
	[ -s out ] && fail "pidone $* printed on stdout"
	return 0
}

test_bad_input() {
	local see=" \(see pidone --help\)"
	bad 100 "no command given$see"
	bad 100 "no command given$see" -c --
	bad 100 "unknown option: -z$see" -z true
	bad 100 "unknown option: -z$see" -vz true
	bad 100 "unknown option: --nope$see" --nope true
	bad 100 "option takes no value: --help=1$see" --help=1
	bad 100 "option needs a value: -e$see" -e
	bad 100 "option needs a value: --rewrite$see" --rewrite
	bad 100 "exit code not in 0..255: 256$see" -e 256 true
	bad 100 "exit code not in 0..255: -1$see" --expect=-1 true
	bad 100 "exit code not in 0..255: x$see" -ex true
	bad 100 "unknown signal: NOPE$see" -p NOPE true
	bad 100 "rewrite is not FROM:TO: TERM$see" -r TERM true
	bad 100 "rewrite is not FROM:TO: :INT$see" -r :INT true
	bad 100 "cannot rewrite signal: KILL:TERM$see" -r KILL:TERM true
	bad 100 "cannot rewrite signal: BOGUS:TERM$see" -r BOGUS:TERM true
	bad 100 "unknown signal to rewrite to: TERM:BOGUS$see" -r TERM:BOGUS true
	bad 100 "bad duration: 5h$see" -G 5h true
	TINI_VERBOSITY=x bad 100 "TINI_VERBOSITY: not a number in 0..255: x$see" true
	PIDONE_GRACE=5h bad 100 "PIDONE_GRACE: bad duration: 5h$see" true
	PIDONE_REWRITE="TERM:HUP KILL:INT" bad 100 "PIDONE_REWRITE: cannot rewrite signal: KILL:INT$see" true
	bad 127 "cannot run no-such-command-here: No such file or directory" \
		no-such-command-here
	bad 127 "cannot run /no/such/dir/cmd: No such file or directory" \
		/no/such/dir/cmd
	echo "echo hi" >plain && chmod 644 plain
	bad 126 "cannot run ./plain: Permission denied" ./plain
	mkdir dir
	bad 126 "cannot run ./dir: Permission denied" ./dir
}

# Exec failures as PID 1: the same codes and messages.
test_bad_command_pid1() {
	local rc
	need_root
	echo "echo hi" >plain && chmod 644 plain
	rc=0; pid1 no-such-command-here 2>err || rc=$?
	assert_eq 127 "$rc" "not found"
	assert_grep "^pidone: cannot run no-such-command-here: No such file or directory$" err "not found"
	rc=0; pid1 ./plain 2>err || rc=$?
	assert_eq 126 "$rc" "not executable"
	assert_grep "^pidone: cannot run ./plain: Permission denied$" err "not executable"
}

# The verbosity variables of tini and of pidone.
test_environment() {
	TINI_VERBOSITY=3 "$PIDONE" true 2>err || fail "exit $?"
	assert_grep "^pidone: started [0-9]+" err "TINI_VERBOSITY=3 traces"
	assert_grep "^pidone: pidone is pid" err "TINI_VERBOSITY=3 is -vv"
	TINI_VERBOSITY=1 "$PIDONE" true 2>err || fail "exit $?"
	[ -s err ] && { cat err; fail "TINI_VERBOSITY=1 is quiet"; }
	PIDONE_VERBOSE=1 "$PIDONE" true 2>err || fail "exit $?"
	assert_grep "^pidone: started [0-9]+" err "PIDONE_VERBOSE=1 traces"
}

# The kernel's SIGPIPE for pidone's own write to a closed stderr is not
# forwarded: the command would die of a signal meant for pidone. And pidone
# stops writing there, rather than raising SIGPIPE after SIGPIPE.
test_own_sigpipe_not_forwarded() {
	local p rc=0
	need_helpers sigrec
	mkfifo errpipe
	# The reader takes pidone's first line (the subreaper note) and goes.
	head -n 1 errpipe >first &
	"$PIDONE" -v -- "$HELPERS/sigrec" "$PWD/cmd" 2>errpipe &
	p=$!
	PIDONE_PID=$p
	wait_for cmd
	wait_for first
	kill -USR1 "$p"
	wait_line "^USR1 pid=$p$" cmd
	kill -USR2 "$p"
	wait_exit "$p" || rc=$?
	FINISHED=1
	assert_eq 0 "$rc" "pidone's exit status"
	assert_grep "subreaper" first "pidone's first line"
	assert_no_grep "^PIPE" cmd "signals the command saw"
	# pidone was not busy raising SIGPIPE: it idled in sigwaitinfo.
}
