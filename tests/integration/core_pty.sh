# Integration tests of pidone on a pseudo-terminal: an interactive shell
# under it reads the terminal and Ctrl-C reaches it; Ctrl-Z does not hang it;
# started in the background from an interactive bash it leaves the terminal
# alone; its exec helper never writes to a terminal it was not given.
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

def wait_path(path, timeout=30):
    """Wait until the file path exists: a state the test can see."""
    end = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > end:
            sys.exit("timed out waiting for %s; terminal: %r" % (path, seen))
        time.sleep(0.05)

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

# bash_session SCRIPT: run SCRIPT against an interactive bash, with job
# control, on a new pseudo-terminal; bash's exit status ends up in rc.
bash_session() {
	need_cmd bash
	session shell "$1" bash --norc --noprofile -i
}

# background_keeps_terminal RUNNER: a pidone started in the background from
# an interactive bash must leave the terminal to bash, which goes on
# reading commands while the job runs, and does not exit. Under unshare,
# getpgrp() and tcgetpgrp() both read 0, as the groups lie outside the new
# namespace; 0.1.0 took those equal zeros for "the terminal is mine" and
# gave the terminal to its command, so bash could read no more.
background_keeps_terminal() {
	cat >steps.py <<EOF
expect(b"$ ")
type(b"$1 $PIDONE sh -c ': >started; exec sleep 3' &\n")
expect(b"$ ", 2)
# The command runs: pidone has done whatever it does with the terminal.
wait_path("started")
type(b"echo alive-\$((6*7))\n")
expect(b"alive-42", timeout=10)
type(b"wait; echo rc-\$?\n")
expect(b"rc-0", timeout=20)
type(b"exit 0\n")
EOF
	bash_session steps.py
	assert_eq 0 "$(cat rc)" "bash's exit status"
}

test_pty_background_keeps_terminal_pid1() {
	need_root
	background_keeps_terminal "unshare --pid --fork --mount-proc"
}

test_pty_background_keeps_terminal_child() {
	background_keeps_terminal ""
}

# foreground_from_bash RUNNER: started in the foreground from an
# interactive bash, pidone gives its command the terminal: a shell under it
# reads a typed line, and Ctrl-C reaches a cat under it, which dies of it
# (status 130); bash gets the terminal back each time.
foreground_from_bash() {
	cat >steps.py <<EOF
expect(b"$ ")
type(b"$1 $PIDONE sh -c 'read l; echo got-\$l'\n")
type(b"typed\n")
expect(b"got-typed")
expect(b"$ ", 2)
type(b"$1 $PIDONE sh -c 'echo cat-\$((40+2)); exec cat'\n")
# Typed before bash has given the terminal back its echo, a line would
# not be echoed: wait until the command runs.
expect(b"cat-42")
type(b"ping-1\n")
expect(b"ping-1", 2)          # the terminal echo, and cat
type(b"\x03")
expect(b"$ ", 3)
type(b"echo rc-\$?\n")
expect(b"rc-130")
type(b"exit 0\n")
EOF
	bash_session steps.py
	assert_eq 0 "$(cat rc)" "bash's exit status"
}

test_pty_foreground_from_bash_pid1() {
	need_root
	foreground_from_bash "unshare --pid --fork --mount-proc"
}

test_pty_foreground_from_bash_child() {
	foreground_from_bash ""
}

# The exec helper started with fd 2 closed on a terminal: its trace must
# not reach the terminal (0.1.0 opened /dev/tty, which landed on the free fd
# 2, and wrote its -v lines there), and the command must find fd 2 closed.
test_pty_exec_helper_stderr_closed() {
	[ -x "$HELPERS/sigstate" ] || fail "missing $HELPERS/sigstate: run make check"
	cat >steps.py <<EOF
expect(b"$ ")
type(b"$PIDONE -x -v -- true 2>&-; echo rc-\$?\n")
expect(b"rc-0")
type(b"$PIDONE -x -- $HELPERS/sigstate 2>&- | grep -c ' 2\\\\b'; echo end-of-\$((6*7))\n")
expect(b"end-of-42")
type(b"exit 0\n")
EOF
	bash_session steps.py
	assert_eq 0 "$(cat rc)" "bash's exit status"
	assert_no_grep 'pidone: exec' screen "trace lines on the terminal"
	# The terminal's own escapes (bash's bracketed paste) may start a line.
	tr -d '\r' <screen | sed 's/\x1b\[[?0-9;]*[a-zA-Z]//g' >plain
	assert_grep '^0$' plain "lines of sigstate that show fd 2 open"
}
