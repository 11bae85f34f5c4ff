# Integration tests of pidone on a pseudo-terminal: an interactive shell
# under it reads the terminal and Ctrl-C reaches it; Ctrl-Z does not hang it.
# A Python script drives the terminal (Debian's python3, its pty module).

# session HOW SCRIPT ARGS...: run SCRIPT (the steps, in Python) on a new
# pseudo-terminal against pidone ARGS as PID 1 (HOW=pid1) or a plain child
# (HOW=child), or against ARGS alone (HOW=shell); the exit status ends up
# in the file rc.
session() {
	need_cmd unshare
	[ -x /usr/bin/python3 ] || skip "needs /usr/bin/python3"
	[ "$1" = pid1 ] && need_root
	cat >session.py <<'EOF'
import os, pty, select, sys, time

how, pidone, steps = sys.argv[1], sys.argv[2], sys.argv[3]
pid, fd = pty.fork()
if pid == 0:
    os.environ.update(PS1="$ ", ENV="")
    cmd = sys.argv[4:] if how == "shell" else [pidone] + sys.argv[4:]
    if how == "pid1":
        cmd = ["unshare", "--pid", "--fork", "--mount-proc"] + cmd
    os.execvp(cmd[0], cmd)
seen = b""

def expect(what, count=1, timeout=30):
    """Read the terminal until what has appeared count times."""
    global seen
    end = time.monotonic() + timeout
    while seen.count(what) < count:
        left = end - time.monotonic()
        if left <= 0:
            sys.exit("timed out waiting for %r in %r" % (what, seen))
        if select.select([fd], [], [], left)[0]:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if not data:
                sys.exit("terminal closed waiting for %r in %r" % (what, seen))
            seen += data

def type(what):
    os.write(fd, what)

exec(open(steps).read())
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status))
sys.stderr.write(seen.decode(errors="replace"))
EOF
	/usr/bin/python3 session.py "$1" "$PIDONE" "$2" "${@:3}" >rc 2>screen ||
		{ cat rc screen; fail "terminal session failed"; }
}

# The shell reads what is typed, runs it, and a cat it becomes dies of
# Ctrl-C: pidone exits 130.
SHELL_STEPS='
expect(b"$ ")
type(b"echo pty-$((6*7))\n")
expect(b"pty-42")
type(b"read line; echo got-$line\n")
type(b"typed\n")
expect(b"got-typed")
type(b"exec cat\n")
type(b"ping\n")
expect(b"ping", 2)          # the terminal echo, and cat
type(b"\x03")
'

test_pty_interactive_shell_pid1() {
	echo "$SHELL_STEPS" >steps.py
	session pid1 steps.py sh -i
	assert_eq 130 "$(cat rc)" "exit status after Ctrl-C"
}

test_pty_interactive_shell_child() {
	echo "$SHELL_STEPS" >steps.py
	session child steps.py sh -i
	assert_eq 130 "$(cat rc)" "exit status after Ctrl-C"
}

# Ctrl-Z stops a command that has no shell above it but pidone as PID 1:
# pidone says so and resumes it, and it goes on reading the terminal.
test_pty_ctrl_z_pid1() {
	cat >steps.py <<'EOF'
type(b"ping\n")
expect(b"ping", 2)
type(b"\x1a")
expect(b"pidone: command stopped by TSTP with nothing to resume it: sending CONT")
type(b"pong\n")
expect(b"pong", 2)
type(b"\x03")
EOF
	session pid1 steps.py cat
	assert_eq 130 "$(cat rc)" "exit status after Ctrl-C"
}

# Not PID 1, under a shell with job control: Ctrl-Z stops pidone too, so the
# shell gets its prompt back; fg resumes pidone, which gives the command the
# terminal again and resumes it.
test_pty_ctrl_z_job_control() {
	cat >steps.py <<EOF
expect(b"$ ")
type(b"$PIDONE cat\n")
type(b"ping\n")
expect(b"ping", 2)
type(b"\x1a")
expect(b"$ ", 2)
type(b"echo at-\$((6*7))\n")
expect(b"at-42")
type(b"fg\n")
type(b"pong\n")
expect(b"pong", 2)
type(b"\x03")
expect(b"$ ", 4)
type(b"echo rc-\$?\n")
expect(b"rc-1")
type(b"exit\n")
EOF
	session shell steps.py sh -i
	assert_grep "rc-130" screen "pidone's exit status after fg and Ctrl-C"
}
