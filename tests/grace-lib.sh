# Shell helpers for grace.sh and pause.sh, around the grace_rec helper,
# which logs "ready PID PGID SID", then "term" for each SIGTERM, then the
# records it writes before it exits ("record K", then "done").

REC=$HELPERS/grace_rec

# ready LOG...: wait until each LOG says its process is ready for SIGTERM.
ready() {
	local f
	for f; do
		for _ in $(seq 1 200); do
			grep -q '^ready' "$f" 2>/dev/null && break
			sleep 0.05
		done
		grep -q '^ready' "$f" 2>/dev/null || fail "$f: its process never got ready"
	done
}

# count PATTERN LOG: how many lines of LOG match PATTERN.
count() { grep -Ec -- "$1" "$2" 2>/dev/null; }

# complete LOG [TERMS]: LOG holds TERMS "term" lines (default 1), all 20
# records and "done": the process was told to stop and had time to finish.
complete() {
	assert_eq "${2:-1}" "$(count '^term$' "$1")" "$1: SIGTERMs received"
	assert_eq 20 "$(count '^record ' "$1")" "$1: records written"
	assert_eq 1 "$(count '^done$' "$1")" "$1: finished"
}

# end_pid1: kill a pidone start_pid1 left running (the test failed), if
# that PID is still it: a child of its unshare.
end_pid1() {
	[ -n "${p1:-}" ] && grep -Eq "^PPid:[[:space:]]+$ns\$" "/proc/$p1/status" 2>/dev/null &&
		kill -KILL "$p1"
	return 0
}

# start_pid1 ARG...: pidone as PID 1 in the background, stderr to err;
# sets ns (the unshare process) and p1 (pidone's PID on the host), and
# kills that pidone, and so its namespace, when the test ends. Returns once
# pidone waits for signals: one sent earlier, before pidone has blocked
# them, would be dropped by the kernel, as for any PID 1 without a handler.
start_pid1() {
	end_pid1
	unshare --pid --fork --mount-proc "$PIDONE" "$@" 2>err &
	ns=$!
	for _ in $(seq 1 200); do
		p1=$(cat "/proc/$ns/task/$ns/children" 2>/dev/null | cut -d' ' -f1)
		[ -n "$p1" ] && break
		sleep 0.05
	done
	[ -n "$p1" ] || fail "pidone did not start"
	trap end_pid1 EXIT
	wait_sigwait "$p1"
}

# until_ready LOG...: shell code, for a command pidone runs, that waits (20 s
# at most, then exits 99) until each LOG says its process is ready.
until_ready() {
	local f
	for f; do
		printf 'i=0; until grep -q ready %s 2>/dev/null; do i=$((i + 1)); [ $i -lt 2000 ] || exit 99; sleep 0.01; done; ' "$f"
	done
}
