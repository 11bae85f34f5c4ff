# Shell helpers for core.sh and edges.sh: starting pidone as PID 1 or as a
# plain child, waiting for it, and reading what its processes show in /proc.

# need_helpers NAME...: the compiled test helpers (make check builds them).
need_helpers() {
	local h
	for h; do
		[ -x "$HELPERS/$h" ] || fail "missing $HELPERS/$h: run make check"
	done
}

# bg NAME ARGS...: run ARGS in the background, output to NAME.out and
# NAME.err; sets BG to its PID.
bg() {
	local name=$1
	shift
	"$@" >"$name.out" 2>"$name.err" &
	BG=$!
}

# child_of PID: set CHILD to PID's first child, waiting for it to appear.
# Returns 1, CHILD empty, if PID has already exited.
child_of() {
	local i
	for i in $(seq 1 400); do
		CHILD=$(cat "/proc/$1/task/$1/children" 2>/dev/null)
		CHILD=${CHILD%% *}
		[ -n "$CHILD" ] && return 0
		[ "$(status_of "$1" State)" = Z ] || [ ! -e "/proc/$1" ] &&
			return 1
		sleep 0.05
	done
	fail "process $1 started no child"
}

# cleanup: on a failed test, end the pidone it started and the command's
# process groups, so that nothing is left running.
cleanup() {
	local c
	[ -n "${PIDONE_PID:-}" ] && [ -z "${FINISHED:-}" ] || return 0
	c=$(cat "/proc/$PIDONE_PID/task/$PIDONE_PID/children" 2>/dev/null)
	kill -KILL "$PIDONE_PID" 2>/dev/null
	for c in $c; do
		kill -KILL -- "-$c" 2>/dev/null
	done
}
trap cleanup EXIT
trap 'exit 1' TERM

# start_pid1 ARGS...: pidone ARGS as PID 1 in the background; sets UNSHARE
# (the unshare process, whose exit status is pidone's) and PIDONE_PID (the
# PID of pidone as this shell sees it). Output in pidone.out, pidone.err.
start_pid1() {
	need_root
	need_cmd unshare
	bg pidone unshare --pid --fork --mount-proc "$PIDONE" "$@"
	UNSHARE=$BG
	child_of "$UNSHARE" || true
	PIDONE_PID=$CHILD
}

# start_child ARGS...: pidone ARGS as a plain child of this shell.
start_child() {
	bg pidone "$PIDONE" "$@"
	UNSHARE=$BG
	PIDONE_PID=$BG
}

# finish EXPECTED: wait (a minute at most) for the pidone started last to
# exit; assert its exit status.
finish() {
	local rc=0 i
	for i in $(seq 1 1200); do
		kill -0 "$UNSHARE" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$UNSHARE" 2>/dev/null && { cat pidone.err; fail "pidone did not exit"; }
	wait "$UNSHARE" || rc=$?
	FINISHED=1
	[ "$rc" = "$1" ] || { cat pidone.err; fail "pidone exited $rc, expected $1"; }
}

# wait_line ERE FILE [SECONDS]: wait until FILE has a line matching ERE.
wait_line() {
	local i
	for i in $(seq 1 $(( ${3:-20} * 20 ))); do
		grep -Eq -- "$1" "$2" 2>/dev/null && return 0
		# pidone gone: the line will never come.
		[ -n "${UNSHARE:-}" ] && ! kill -0 "$UNSHARE" 2>/dev/null &&
			! grep -Eq -- "$1" "$2" 2>/dev/null && break
		sleep 0.05
	done
	echo "--- $2:"; cat "$2" 2>/dev/null
	echo "--- pidone.err:"; cat pidone.err 2>/dev/null
	fail "waiting for /$1/ in $2: timed out or pidone exited"
}

# status_of PID FIELD: one field of /proc/PID/status.
status_of() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}

# name_of SIG: the name kill -l gives a signal name or number, with its
# "+" escaped for a regular expression.
name_of() {
	local n
	case $1 in
	[0-9]*) n=$(kill -l "$1") ;;
	*) n=$(kill -l "$(kill -l "$1")") ;;
	esac
	echo "${n/+/\\+}"
}
