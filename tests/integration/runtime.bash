# Shared by the runtime_*.sh tests (sourced, not run by tests/run): a busybox
# root filesystem, OCI bundles, podman and crun set-ups, a terminal driver,
# and clean-up that always runs, so that reruns start from nothing.
# crun refuses the machines' hybrid cgroup layout, so it runs in a private
# mount namespace with a pure cgroup2 mount; podman needs explicit ulimits,
# as the host's hard limit of open files is below podman's default.

RT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RT_NAME=pidone-rt-$$
RT_CLEAN=()

# Run the clean-up commands, newest first, once.
rt_cleanup() {
	local i
	for ((i = ${#RT_CLEAN[@]} - 1; i >= 0; i--)); do
		eval "${RT_CLEAN[i]}" >/dev/null 2>&1
	done
	RT_CLEAN=()
}

# rt_on_exit COMMAND: run COMMAND (a string) when the test ends, however.
rt_on_exit() {
	RT_CLEAN+=("$1")
	trap rt_cleanup EXIT
	trap 'exit 143' TERM INT HUP
}

# What every runtime test needs: root, a static pidone, a static busybox.
rt_need() {
	need_root
	need_cmd "$@"
	need_static
}

# rt_rootfs [DIR]: the busybox root filesystem with /sbin/pidone.
rt_rootfs() {
	local out rc
	out=$("$TESTS/mkrootfs.sh" "${1:-$PWD/rootfs}" 2>&1)
	rc=$?
	[ $rc -eq 77 ] && skip "${out#SKIP: }"
	[ $rc -eq 0 ] || fail "mkrootfs.sh: $out"
}

# rt_bundle DIR ARG...: an OCI bundle in DIR (rootfs ./rootfs, made here)
# whose process is ARG..., without a terminal and with a writable root, so
# the processes inside can leave files in DIR/rootfs/tmp for the test.
rt_bundle() {
	local dir=$1
	shift
	need_cmd runc python3
	mkdir -p "$dir"
	[ -d "$dir/rootfs" ] || rt_rootfs "$dir/rootfs"
	rm -f "$dir/config.json"
	runc spec --bundle "$dir" || fail "runc spec failed"
	python3 - "$dir/config.json" "$@" <<'EOF' || fail "cannot edit config.json"
import json, sys
path, args = sys.argv[1], sys.argv[2:]
c = json.load(open(path))
c["process"]["terminal"] = False
c["process"]["args"] = args
c["root"]["readonly"] = False
c["hostname"] = "pidone-rt"
json.dump(c, open(path, "w"), indent=1)
EOF
}

# rt_poll SECONDS COMMAND...: run COMMAND until it succeeds; fail if it never
# does. Only a bound on waiting: no test asserts on how long anything took.
rt_poll() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "timed out after ${secs}s waiting for: $*"
}

# rt_files FILE...: all of FILE... exist.
rt_files() {
	local f
	for f; do [ -e "$f" ] || return 1; done
}

# rt_cgroup2 FUNCTION [ARG...]: run FUNCTION (of the sourcing test file) in a
# private mount namespace whose /sys/fs/cgroup is a plain cgroup2 mount, as
# crun needs here. The function's exit status (pass, fail, skip) is ours.
rt_cgroup2() {
	need_cmd unshare mount umount
	unshare -m --propagation private bash -c '
		umount -R /sys/fs/cgroup 2>/dev/null
		mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null ||
			{ echo "SKIP: cannot mount cgroup2 for crun"; exit 77; }
		source "$TESTS/lib.sh"; source "$0"; cd "$1" || exit 1; shift
		"$@"' "$RT_SELF" "$PWD" "$@"
}

# rt_crun ARG...: crun without cgroup management (inside rt_cgroup2).
rt_crun() { crun --cgroup-manager=disabled "$@"; }

# rt_crun_start NAME ARG...: a detached crun container running ARG..., its
# removal queued; waits until its process runs.
rt_crun_start() {
	local name=$1
	shift
	need_cmd crun
	rt_bundle "$PWD/$name" "$@"
	rt_on_exit "crun --cgroup-manager=disabled delete -f $name"
	rt_crun run -d --bundle "$PWD/$name" "$name" </dev/null \
		>"$PWD/$name.out" 2>&1 || { cat "$PWD/$name.out"; fail "crun run -d failed"; }
	rt_poll 20 rt_running crun "$name"
}

# rt_runc_start NAME ARG...: the same with runc.
rt_runc_start() {
	local name=$1
	shift
	rt_bundle "$PWD/$name" "$@"
	rt_on_exit "runc delete -f $name"
	runc run -d --bundle "$PWD/$name" "$name" </dev/null \
		>"$PWD/$name.out" 2>&1 || { cat "$PWD/$name.out"; fail "runc run -d failed"; }
	rt_poll 20 rt_running runc "$name"
}

# rt_running RUNTIME NAME: the container's state is "running".
rt_running() {
	local r=$1
	[ "$r" = crun ] && r="crun --cgroup-manager=disabled"
	$r state "$2" 2>/dev/null | grep -q '"status": *"running"'
}

# rt_state_pid RUNTIME NAME: the host PID of the container's process 1.
rt_state_pid() {
	local r=$1
	[ "$r" = crun ] && r="crun --cgroup-manager=disabled"
	$r state "$2" | python3 -c 'import json, sys; print(json.load(sys.stdin)["pid"])'
}

# rt_podman RUNTIME ARG...: podman with the cgroupfs manager, which works on
# these machines whatever runs as their init.
rt_podman() {
	local r=$1
	shift
	podman --cgroup-manager=cgroupfs --runtime="$r" "$@"
}

# rt_podman_run RUNTIME [OPTION...] -- COMMAND...: podman run with pidone as
# the init (on the per-test rootfs), the ulimits this host needs, and for
# crun no cgroups. With --rootfs, podman takes all after the path as the
# command, so the options come first.
rt_podman_run() {
	local r=$1 opts=() extra=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	need_cmd podman "$r"
	[ "$r" = crun ] && extra=(--cgroups=disabled)
	[ -d "$PWD/rootfs" ] || rt_rootfs
	rt_podman "$r" run --network=none --ulimit nofile=1024:1024 \
		--ulimit nproc=4096:4096 "${extra[@]}" --init \
		--init-path "$PIDONE" "${opts[@]}" --rootfs "$PWD/rootfs" "$@"
}

# rt_podman_start RUNTIME NAME ARG...: a detached podman container, removal
# queued; waits until it runs.
rt_podman_start() {
	local r=$1 name=$2
	shift 2
	rt_on_exit "podman --cgroup-manager=cgroupfs --runtime=$r rm -f -t 0 $name"
	rt_podman_run "$r" -d --name "$name" -- "$@" >"$PWD/$name.out" 2>&1 ||
		{ cat "$PWD/$name.out"; fail "podman run -d failed"; }
	rt_poll 30 rt_podman_running "$r" "$name"
}

rt_podman_running() {
	[ "$(rt_podman "$1" inspect -f '{{.State.Running}}' "$2" 2>/dev/null)" = true ]
}

# rt_psline FILE COMM: the "pid pgid sid" of the process named COMM in the
# output of ps -o pid,pgid,sid,comm saved in FILE.
rt_psline() {
	awk -v c="$2" '$4 == c { print $1, $2, $3 }' "$1" | tail -n 1
}

# rt_assert_leader FILE COMM WHAT: COMM leads its own group and session.
rt_assert_leader() {
	local pid pgid sid
	read -r pid pgid sid <<<"$(rt_psline "$1" "$2")"
	[ -n "$pid" ] && [ "$pgid" = "$pid" ] && [ "$sid" = "$pid" ] ||
		{ cat "$1"; fail "$3: expected PGID = SID = PID, got pid '$pid' pgid '$pgid' sid '$sid'"; }
}

# The shell run on a terminal by the terminal tests: it prints what
# /proc/self/stat says of its group, session and the terminal's foreground
# group (tpgid), then reads a line from the terminal.
RT_TTY_SH='read -r pid comm st ppid pgrp sess ttynr tpgid rest < /proc/self/stat
echo "stat pid=$pid pgid=$pgrp sid=$sess tpgid=$tpgid"
echo READY
read -r line
echo "got:$line"'

# on_pty COMMAND...: run COMMAND as the leader of a new session whose
# controlling terminal is a new pseudo-terminal; once it prints READY, type
# $PTY_INPUT (default "hello" and Enter). Prints what the terminal showed;
# exits with COMMAND's status (128+N if killed), or 124 if it hangs, for
# instance stopped by SIGTTIN because it read from the background.
on_pty() {
	need_cmd python3
	python3 - "$@" <<'EOF'
import os, sys, select, time, fcntl, termios, subprocess
inp = os.environ.get("PTY_INPUT", "hello\n").encode()
m, s = os.openpty()
def pre():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
p = subprocess.Popen(sys.argv[1:], stdin=s, stdout=s, stderr=s,
                     preexec_fn=pre, close_fds=True)
os.close(s)
out, sent, quiet = b"", False, 0
deadline = time.time() + float(os.environ.get("PTY_TIMEOUT", "30"))
while time.time() < deadline:
    r, _, _ = select.select([m], [], [], 0.1)
    if r:
        try:
            d = os.read(m, 4096)
        except OSError:
            d = b""
        if not d:
            break
        out += d
        quiet = 0
    elif p.poll() is not None:
        quiet += 1
        if quiet > 5:
            break
    if not sent and b"READY" in out:
        os.write(m, inp)
        sent = True
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
try:
    p.wait(timeout=max(deadline - time.time(), 0.1))
except subprocess.TimeoutExpired:
    p.kill()
    p.wait()
    print("on_pty: timed out")
    sys.exit(124)
sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)
EOF
}

# rt_assert_fg FILE WHAT: the shell of RT_TTY_SH, as FILE shows, led its own
# process group, that group was the terminal's foreground, and it read the
# line typed.
rt_assert_fg() {
	local pid pgid tpgid
	pid=$(sed -n 's/^stat pid=\([0-9]*\) .*/\1/p' "$1")
	pgid=$(sed -n 's/^stat .* pgid=\([0-9-]*\) .*/\1/p' "$1")
	tpgid=$(sed -n 's/^stat .* tpgid=\([0-9-]*\)$/\1/p' "$1")
	[ -n "$pid" ] && [ "$pgid" = "$pid" ] && [ "$tpgid" = "$pid" ] ||
		{ cat "$1"; fail "$2: expected pid = pgid = tpgid, got '$pid' '$pgid' '$tpgid'"; }
	assert_grep '^got:hello$' "$1" "$2: read from the terminal"
}
