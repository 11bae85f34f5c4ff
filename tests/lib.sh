# Shared helpers for the integration tests; sourced by tests/run.
# $PIDONE is the built binary, $HELPERS the folder of compiled test helpers.

# End the test: failed, with a reason.
fail() { echo "FAIL: $*"; exit 1; }

# End the test: skipped, with the reason the machine cannot run it.
skip() { echo "SKIP: $*"; exit 77; }

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

# assert_grep PATTERN FILE WHAT: FILE has a line matching the ERE PATTERN.
assert_grep() {
	grep -Eq -- "$1" "$2" || { echo "--- $2:"; cat "$2"; fail "$3: no line matches /$1/"; }
}

# assert_no_grep PATTERN FILE WHAT
assert_no_grep() {
	! grep -Eq -- "$1" "$2" || { echo "--- $2:"; cat "$2"; fail "$3: a line matches /$1/"; }
}

need_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }
need_cmd() { for c; do command -v "$c" >/dev/null 2>&1 || skip "needs $c"; done; }

# pidone_static: $PIDONE has no program interpreter (no PT_INTERP header),
# so it runs in a container root that has no C library. readelf says so
# exactly; file(1) is the fallback.
pidone_static() {
	if command -v readelf >/dev/null 2>&1; then
		readelf -lW "$PIDONE" 2>/dev/null | grep -q '^ *LOAD' &&
			! readelf -lW "$PIDONE" 2>/dev/null | grep -qw INTERP
	else
		file -L "$PIDONE" | grep -q 'statically linked'
	fi
}

# need_static: skip a test that copies or bind-mounts $PIDONE into a root
# without a C library (runc, crun, podman), when $PIDONE is dynamic, as the
# sanitized build is. tests/run counts these skips apart (see
# PIDONE_STATIC_SKIPS there), with this exact reason.
need_static() { pidone_static || skip "needs a static pidone"; }

# Run pidone as PID 1 of a new PID namespace (with its own /proc).
pid1() {
	unshare --pid --fork --mount-proc "$PIDONE" "$@"
}

# wait_for FILE [SECONDS]: wait until FILE exists and is not empty.
wait_for() {
	local i
	for i in $(seq 1 $(( ${2:-10} * 20 ))); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	fail "timed out waiting for $1"
}

# wait_sigwait PID [SECONDS]: wait until PID sleeps in sigwaitinfo or
# sigtimedwait, which pidone reaches only after it has blocked every signal.
# A signal sent to a freshly started PID 1 before that moment finds the
# default disposition, which the kernel ignores for a namespace's init: it
# is lost, and a test waiting for its effect would wait for ever. Root can
# read /proc/PID/wchan of any process.
wait_sigwait() {
	local i
	for i in $(seq 1 $(( ${2:-20} * 20 ))); do
		case $(cat "/proc/$1/wchan" 2>/dev/null) in
		do_sigtimedwait*) return 0 ;;
		esac
		[ -e "/proc/$1" ] || fail "process $1 exited before it waited for signals"
		sleep 0.05
	done
	fail "process $1 never waited for signals (wchan: $(cat "/proc/$1/wchan" 2>/dev/null))"
}

# wait_exit PID [SECONDS]: wait (30 s at most) for PID, a child of this
# shell, to exit, and return its exit status as wait does. Bash reaps its
# children as they exit, so kill -0 fails once PID is gone.
wait_exit() {
	local i
	for i in $(seq 1 $(( ${2:-30} * 20 ))); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$1" 2>/dev/null && fail "process $1 did not exit within ${2:-30} s"
	wait "$1"
}

# pids_cgroup MAX: a new pids cgroup limited to MAX processes, in the v1
# hierarchy where it is mounted (/sys/fs/cgroup/pids, as on these machines)
# or in cgroup v2 with the pids controller enabled for the root's children;
# sets PIDS_CG. The caller removes it.
pids_cgroup() {
	local base
	need_root
	if [ -e /sys/fs/cgroup/pids/cgroup.procs ] &&
	    grep -q '^cgroup /sys/fs/cgroup/pids cgroup .*pids' /proc/mounts; then
		base=/sys/fs/cgroup/pids
	elif grep -qw pids /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
		base=/sys/fs/cgroup
		grep -qw pids "$base/cgroup.subtree_control" ||
			echo +pids >"$base/cgroup.subtree_control" ||
			skip "cannot enable the cgroup v2 pids controller"
	else
		skip "no cgroup pids controller"
	fi
	PIDS_CG=$base/pidone-test-$$
	mkdir "$PIDS_CG" || fail "cannot make $PIDS_CG"
	echo "$1" >"$PIDS_CG/pids.max" || fail "cannot set pids.max"
}
