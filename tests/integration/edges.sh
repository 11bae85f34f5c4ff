# Edge cases of pidone found after 0.1.0: the grace period with a /proc
# pidone cannot use, signals aimed at a PID the kernel has since reused,
# exec failures, scripts without "#!", the working directory, and hostile
# starts: stderr closed, full or unwritable, bad values and an early death
# of the parent. The terminal cases are in core_pty.sh.

source "$TESTS/core-lib.sh"

# --- grace period without a /proc of its own ---------------------------------

# In a new PID namespace without --mount-proc, /proc shows the outer
# namespace, where pidone is not PID 1. pidone must still find what its
# command left (a sleep with an argument no other process has) and send it
# TERM, so it exits long before the 5 s grace period ends and the sleep is
# gone; 0.1.0 waited the whole grace period and sent KILL to nothing it
# could name, leaving the sleep running.
test_grace_foreign_proc() {
	local arg="100.$$$RANDOM" pid start secs rc=0
	need_root
	need_cmd unshare
	start=$(date +%s%N)
	timeout -k 2 20 unshare --pid --fork sh -c \
		"\"\$0\" -v -G 5s -- sh -c 'sleep $arg & exit 0'; echo \$? >rc" \
		"$PIDONE" 2>err || rc=$?
	secs=$(( ($(date +%s%N) - start) / 1000000 ))
	# The sleep, seen from here (the outer namespace), by its argument.
	pid=$(pgrep -xf "sleep $arg")
	[ -n "$pid" ] && kill -KILL $pid
	assert_eq 0 "$rc" "exit status of unshare"
	assert_eq 0 "$(cat rc)" "pidone's exit status"
	[ -z "$pid" ] || { cat err; fail "the command's sleep $arg (PID $pid) outlived pidone"; }
	assert_grep '^pidone: grace: sending TERM to [0-9]+ \(sleep\)$' err "trace of the TERM"
	assert_no_grep 'KILL' err "trace"
	[ "$secs" -lt 4000 ] || { cat err; fail "pidone took $secs ms: it waited out the grace period"; }
}

# As PID 1 with its own /proc, but unable to open it: the command lowers
# pidone's limit of open files to 3 (stdin, stdout, stderr) just before it
# exits. A setsid daemon, outside the command's group, must still get TERM
# (one kill(-1) reaches it without a walk over /proc), not KILL only, and
# pidone must say once why it could not read /proc.
test_grace_proc_unreadable_pid1() {
	need_root
	need_helpers grace_rec
	need_cmd prlimit setsid
	start_pid1 -G 10s -- sh -c "setsid -f $HELPERS/grace_rec daemon.log
		i=0; until grep -q ready daemon.log 2>/dev/null; do
			i=\$((i + 1)); [ \$i -lt 400 ] || exit 3; sleep 0.05; done
		prlimit --pid 1 --nofile=3:3 || exit 4"
	finish 0
	assert_eq 1 "$(grep -c '^term$' daemon.log)" "SIGTERMs the daemon received"
	assert_eq 1 "$(grep -c '^done$' daemon.log)" "the daemon finished its records"
	assert_eq 1 "$(grep -Ec 'grace: .*Too many open files' pidone.err)" \
		"lines saying why /proc could not be read"
}

# --- signals to a reused PID ---------------------------------------------------

# With -c -W, signals go to the command's PID only, and pidone outlives the
# command. Once the command has been reaped its PID is free, and a signal
# sent to pidone must not reach whatever process the kernel gave that PID
# next. Built deterministically in a new PID namespace: the command (PID 2)
# leaves a subshell behind and exits; the subshell waits until PID 2 is
# gone, sets the namespace's last PID to 1 and starts a recorder, which so
# gets PID 2. 0.1.0 sends USR1 to the recorder ("forwarded as USR1(10) to
# 2"); the fix drops it and says so.
test_signal_not_sent_to_reused_pid() {
	local i
	need_root
	need_helpers sigrec
	need_cmd nsenter
	# The subshell leaves the command's process group, whose ID (2) the
	# kernel would otherwise keep in use and never give out again.
	cat >sub.sh <<-EOF
	i=0
	while [ -e /proc/2 ]; do
		i=\$((i + 1)); [ \$i -lt 400 ] || exit 3; sleep 0.05
	done
	echo 1 >/proc/sys/kernel/ns_last_pid || exit 4
	$HELPERS/sigrec "$PWD/rec" &
	wait
	EOF
	start_pid1 -v -c -W -- sh -c 'setsid sh sub.sh & exit 0'
	wait_line '^ready ' rec
	assert_grep '^ready pid=2 ' rec "the recorder got no PID but 2: the set-up failed"
	kill -USR1 "$PIDONE_PID"
	# The positive control: pidone has handled the USR1, whatever it did.
	wait_line '^pidone: signal USR1\(10\) from pid 0 uid 0 by kill: ' pidone.err
	# Stop the recorder from inside the namespace; it records what is
	# pending first, so a USR1 on its way shows up in its log.
	nsenter -t "$PIDONE_PID" -p kill -USR2 2 || fail "could not signal the recorder"
	finish 0
	assert_grep "^USR2 pid=[0-9]+$" rec "the recorder's stop signal"
	assert_no_grep '^USR1 ' rec "signals the process that reused the command's PID got"
}

# --- exec failures -------------------------------------------------------------

# closed_stderr_run ARGS...: run ARGS with stderr a pipe whose reader has
# already closed, SIGPIPE at its default; print the exit status as the
# shell would (128+N for a death by signal N).
closed_stderr_run() {
	python3 - "$@" <<'PY'
import os, signal, subprocess, sys
r, w = os.pipe()
os.close(r)
# restore_signals gives the child the default SIGPIPE Python ignores.
p = subprocess.run(sys.argv[1:], stderr=w, stdin=subprocess.DEVNULL,
                   restore_signals=True, timeout=20)
print(p.returncode if p.returncode >= 0 else 128 - p.returncode)
PY
}

# exec_failure RUNNER...: an exec failure is 127 or 126, never the SIGPIPE
# of writing the message to a stderr nobody reads (0.1.0: 141).
exec_failure() {
	local rc
	need_cmd python3
	echo 'echo hi' >plain && chmod 644 plain
	assert_eq 127 "$(closed_stderr_run "$@" -- /nonexistent)" \
		"exit status, /nonexistent, stderr a closed pipe"
	assert_eq 126 "$(closed_stderr_run "$@" -- ./plain)" \
		"exit status, ./plain not executable, stderr a closed pipe"
	rc=0; "$@" -- /nonexistent 2>err || rc=$?
	assert_eq 127 "$rc" "exit status, /nonexistent"
	assert_eq 1 "$(grep -c '' err)" "lines on stderr, /nonexistent"
	assert_grep '^pidone: cannot run /nonexistent: No such file or directory$' err "message"
	rc=0; "$@" -- ./plain 2>err || rc=$?
	assert_eq 126 "$rc" "exit status, ./plain not executable"
	assert_eq 1 "$(grep -c '' err)" "lines on stderr, ./plain"
}

test_exec_failure_closed_stderr_child() { exec_failure "$PIDONE"; }
test_exec_failure_closed_stderr_pid1() {
	need_root
	exec_failure unshare --pid --fork --mount-proc "$PIDONE"
}

# An executable file without "#!" is a shell script, as execvp and every
# shell run it; 0.1.0 failed with 126 (Exec format error). By path, through
# PATH, and as PID 1.
test_script_without_shebang() {
	local rc
	need_root
	printf 'echo "ran $1"; exit 7\n' >s && chmod 755 s
	rc=0; "$PIDONE" -- ./s x >out 2>err || rc=$?
	assert_eq 7 "$rc" "exit status of ./s"
	assert_eq "ran x" "$(cat out)" "output of ./s"
	rc=0; PATH=$PWD:$PATH "$PIDONE" -- s x >out 2>err || rc=$?
	assert_eq 7 "$rc" "exit status of s found through PATH"
	assert_eq "ran x" "$(cat out)" "output of s found through PATH"
	rc=0; pid1 -- ./s x >out 2>err || rc=$?
	assert_eq 7 "$rc" "exit status of ./s as PID 1"
	assert_eq "ran x" "$(cat out)" "output of ./s as PID 1"
}

# --- working directory ---------------------------------------------------------

# pidone itself runs in /, so that it keeps no directory busy (an unmount
# of the folder it was started in must not fail because of it), while the
# command runs where pidone was started.
cwd_check() {
	need_helpers sigrec
	mkdir here && cd here || fail "set-up"
	"start_$1" "$HELPERS/sigrec" "$PWD/cmd"
	wait_line '^ready' cmd
	child_of "$PIDONE_PID" || fail "pidone has no child"
	assert_eq "$PWD" "$(readlink "/proc/$CHILD/cwd")" "the command's directory"
	assert_eq / "$(readlink "/proc/$PIDONE_PID/cwd")" "pidone's own directory"
	kill -USR2 "$PIDONE_PID"
	finish 0
}

test_cwd_pid1() { cwd_check pid1; }
test_cwd_child() { cwd_check child; }

# --- hostile starts and output -------------------------------------------------

# Started with fd 2 closed, pidone may open something there for itself,
# but the command must find fd 2 closed, as it would without pidone. In
# init mode and in exec-helper mode (-x).
test_stderr_closed_stays_closed() {
	local base got
	need_helpers sigstate
	base=$("$HELPERS/sigstate" 2>&-)
	echo "$base" | grep -Eq '^fds: 0 1( |$)' && ! echo "$base" | grep -Eq '^fds:.* 2( |$)' ||
		fail "the set-up did not close fd 2: $base"
	got=$("$PIDONE" "$HELPERS/sigstate" 2>&-)
	assert_eq "$base" "$got" "the command's state under pidone, fd 2 closed"
	got=$("$PIDONE" -x -- "$HELPERS/sigstate" 2>&-)
	assert_eq "$base" "$got" "the command's state under pidone -x, fd 2 closed"
}

# zombies_of PID: how many children of PID are zombies, in one pass.
zombies_of() {
	local kids
	kids=$(cat "/proc/$1/task/$1/children" 2>/dev/null)
	[ -n "$kids" ] || { echo 0; return; }
	printf '/proc/%s/stat\n' $kids | xargs cat 2>/dev/null |
		awk '{ sub(/.*\) /, ""); if ($1 == "Z") n++ } END { print n + 0 }'
}

# full_stderr_run: pidone -v as PID 1 with stderr a fifo that nobody reads,
# kept open here (fd 3) so that pidone's writes block once it is full. The
# command makes 3000 orphans, whose traces overflow the pipe, then becomes
# a signal recorder. Returns once no orphan is left a zombie (fails after
# 15 s) and USR1 sent to pidone has reached the command, all while the pipe
# is unread: 0.1.0 blocked in write(2), and did neither.
full_stderr_run() {
	local z end
	need_root
	need_helpers orphans sigrec
	mkfifo errp
	exec 3<>errp
	# The fifo has a reader (fd 3 here), so opening it to write does not
	# block. Only this shell holds fd 3: once the test ends the pipe has no
	# reader, and no writer left behind can block on it for ever.
	unshare --pid --fork --mount-proc "$PIDONE" -v -- sh -c \
		'"$0" 3000 || exit 2; exec "$1" "$2"' \
		"$HELPERS/orphans" "$HELPERS/sigrec" "$PWD/cmd" \
		</dev/null >pidone.out 2>errp 3>&- &
	UNSHARE=$!
	child_of "$UNSHARE" || true
	PIDONE_PID=$CHILD
	wait_line '^ready' cmd 30
	# A deadline by the clock: with thousands of zombies one look takes
	# a while.
	end=$((SECONDS + 15))
	while :; do
		z=$(zombies_of "$PIDONE_PID")
		[ "$z" = 0 ] || [ $SECONDS -ge $end ] && break
		sleep 0.1
	done
	assert_eq 0 "$z" "zombies left under pidone after 15 s"
	kill -USR1 "$PIDONE_PID"
	wait_line '^USR1 pid=1$' cmd
}

# drain FILE: what the fifo holds, into FILE, without waiting for more.
drain() {
	dd if=/proc/self/fd/3 iflag=nonblock of="$1" bs=64k 2>/dev/null
}

# The full pipe stays unread to the end: pidone must also exit, with the
# command's status, when the command exits.
test_stderr_full_keeps_working() {
	full_stderr_run
	kill -USR2 "$PIDONE_PID"
	finish 0
	exec 3>&-
}

# The lines pidone could not write are counted, and the count is written
# once stderr has room again: here after the pipe is drained, with the
# trace of the next signal.
test_stderr_full_lost_lines_counted() {
	full_stderr_run
	drain drained
	kill -USR1 "$PIDONE_PID"
	for _ in $(seq 1 200); do
		[ "$(grep -c '^USR1 pid=1$' cmd)" -ge 2 ] && break
		sleep 0.05
	done
	assert_eq 2 "$(grep -c '^USR1 pid=1$' cmd)" "USR1s the command received"
	drain after
	kill -USR2 "$PIDONE_PID"
	finish 0
	drain tail
	exec 3>&-
	cat drained after tail >all
	# One count per time stderr filled up: the pipe may fill again while
	# the test drains it, so at least one, each of some lines.
	[ "$(grep -Ec '^pidone: stderr was full: [0-9]+ lines lost$' all)" -ge 1 ] ||
		fail "no line counts the lost lines"
	assert_no_grep '^pidone: stderr was full: 0 lines lost$' all "a count of none"
}

# pidone --inspect writing to a full device fails, with one line on
# stderr and status 111, rather than reporting success (0.1.0: 0).
test_inspect_to_full_device() {
	local rc=0
	[ -w /dev/full ] || skip "needs /dev/full"
	"$PIDONE" --inspect >/dev/full 2>err || rc=$?
	assert_eq 111 "$rc" "exit status of --inspect >/dev/full"
	assert_eq 1 "$(grep -c '' err)" "lines on stderr"
	assert_grep '^pidone: ' err "message"
}

# A bad value is reported on exactly one line: a newline inside it must
# not split the message, and a long one must not cut off its end.
test_bad_value_one_line() {
	local rc long
	rc=0; "$PIDONE" -G $'1\n2' true 2>err || rc=$?
	assert_eq 100 "$rc" "exit status, -G with a newline"
	assert_eq 1 "$(grep -c '' err)" "lines on stderr, -G with a newline"
	assert_grep '^pidone: bad duration: .*\(see pidone --help\)$' err "message"
	long=$(printf 'x%.0s' $(seq 1 3000))
	rc=0; "$PIDONE" -G "$long" true 2>err || rc=$?
	assert_eq 100 "$rc" "exit status, a 3000-character value"
	assert_eq 1 "$(grep -c '' err)" "lines on stderr, a 3000-character value"
	assert_grep '^pidone: bad duration: x+.*\(see pidone --help\)$' err \
		"message for a 3000-character value"
}

# A bad environment variable that the command line overrides, or that the
# mode does not use, does not fail the run; one that is used still does.
test_bad_env_overridden() {
	local rc
	rc=0; PIDONE_GRACE=bogus "$PIDONE" -G 1 -- true 2>err || rc=$?
	assert_eq 0 "$rc" "PIDONE_GRACE=bogus pidone -G 1 -- true"
	rc=0; PIDONE_GRACE=bogus "$PIDONE" -h >out 2>err || rc=$?
	assert_eq 0 "$rc" "PIDONE_GRACE=bogus pidone -h"
	assert_grep '^usage: pidone ' out "the help"
	rc=0; PIDONE_GRACE=bogus "$PIDONE" -- true 2>err || rc=$?
	assert_eq 100 "$rc" "PIDONE_GRACE=bogus pidone -- true"
	assert_grep '^pidone: PIDONE_GRACE: bad duration: bogus \(see pidone --help\)$' err "message"
}
