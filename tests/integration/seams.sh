# Where pidone meets what starts it: socket activation (LISTEN_PID), the
# descriptors it inherits, the drain delay before a stop, and every option
# from the environment. Uses core.sh's helpers (start_pid1, start_child,
# finish, wait_line, child_of, bad) without running its tests again here.
source "$(dirname "${BASH_SOURCE[0]}")/core.sh"
unset -f $(declare -F | awk '$3 ~ /^test_/ { print $3 }')

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# ask PORT: connect to 127.0.0.1:PORT, send a line, print the line that
# comes back; "refused" if the connection is refused, "timeout" if nothing
# comes within 20 s, "closed" if it is closed without a word.
ask() {
	python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.settimeout(20)
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"hello\n")
    data = b""
    while not data.endswith(b"\n"):
        d = s.recv(256)
        if not d:
            break
        data += d
    print(data.decode().strip() or "closed")
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("timeout")
EOF
}

# ask_until_listening PORT: ask until the port is listened on (20 s).
ask_until_listening() {
	local i a
	for i in $(seq 1 200); do
		a=$(ask "$1")
		[ "$a" != refused ] && { echo "$a"; return 0; }
		sleep 0.1
	done
	fail "nothing listened on port $1"
}

# fds_only_std PID: PID's descriptors are 0, 1 and 2, and at most one more
# on the same file as its stderr; otherwise prints the others, returns 1.
fds_only_std() {
	local fd n t err extra=0 bad=""
	err=$(readlink "/proc/$1/fd/2") || return 1
	for fd in /proc/"$1"/fd/*; do
		n=${fd##*/}
		case $n in 0|1|2) continue ;; esac
		t=$(readlink "$fd") || continue
		if [ "$t" = "$err" ] && [ $extra = 0 ]; then
			extra=1
			continue
		fi
		bad="$bad $n->$t"
	done
	[ -z "$bad" ] && return 0
	echo "$bad"
	return 1
}

# wait_fds_only_std PID WHAT: wait (10 s) until fds_only_std PID holds.
wait_fds_only_std() {
	local i left
	for i in $(seq 1 200); do
		left=$(fds_only_std "$1") && return 0
		sleep 0.05
	done
	ls -l "/proc/$1/fd"
	fail "$2: pidone still holds descriptors it inherited:$left"
}

# field NAME LINE: the value of NAME=VALUE in a line of words.
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# --- socket activation ------------------------------------------------------

# systemd-socket-activate execs pidone with LISTEN_PID = pidone's PID:
# the server under it sees LISTEN_PID = its own PID, LISTEN_FDS and
# LISTEN_FDNAMES as they were, the listening socket as descriptor 3, and
# answers on it. pidone itself keeps no copy of the socket.
test_socket_activation() {
	local port a pid
	need_cmd systemd-socket-activate python3
	need_helpers lserve
	port=$(free_port)
	bg pidone systemd-socket-activate -l "127.0.0.1:$port" --fdname=web \
		"$PIDONE" -v -- "$HELPERS/lserve" -a "$PWD/log"
	UNSHARE=$BG PIDONE_PID=$BG
	a=$(ask_until_listening "$port")
	echo "answer: $a"
	wait_line '^ready$' log
	cat log
	pid=$(field pid "$a")
	[ -n "$pid" ] || fail "no answer from the server: '$a'"
	[ "$pid" != "$PIDONE_PID" ] || fail "the server is pidone itself"
	assert_eq "$pid" "$(field LISTEN_PID "$a")" "LISTEN_PID the server saw (its PID is $pid; pidone's $PIDONE_PID)"
	assert_eq 1 "$(field LISTEN_FDS "$a")" "LISTEN_FDS the server saw"
	assert_grep "^env pid=$pid LISTEN_PID=$pid LISTEN_FDS=1 LISTEN_FDNAMES=web$" log \
		"the server's environment"
	assert_grep '^fd3 listening$' log "descriptor 3 of the server"
	a=$(ask "$port")
	assert_eq "answer 2 pid=$pid LISTEN_PID=$pid LISTEN_FDS=1" "$a" "a second request"
	wait_fds_only_std "$PIDONE_PID" "socket activation"
	kill -TERM "$PIDONE_PID"
	finish 143
	assert_grep '^got TERM at ' log "the server stopped by TERM"
}

# The same with pidone as PID 1 of a PID namespace, told LISTEN_PID=1 as
# podman tells a container's process 1.
test_socket_activation_pid1() {
	local port a pid
	need_root
	need_cmd systemd-socket-activate python3 unshare env
	need_helpers lserve
	port=$(free_port)
	bg pidone systemd-socket-activate -l "127.0.0.1:$port" \
		"$(command -v unshare)" --pid --fork --mount-proc \
		"$(command -v env)" LISTEN_PID=1 \
		"$PIDONE" -v -- "$HELPERS/lserve" -a "$PWD/log"
	UNSHARE=$BG
	a=$(ask_until_listening "$port")
	echo "answer: $a"
	child_of "$UNSHARE" || fail "unshare exited: $(cat pidone.err)"
	PIDONE_PID=$CHILD
	wait_line '^ready$' log
	cat log
	pid=$(field pid "$a")
	[ -n "$pid" ] && [ "$pid" != 1 ] || fail "no answer from a child of PID 1: '$a'"
	assert_eq "$pid" "$(field LISTEN_PID "$a")" "LISTEN_PID the server saw (its PID is $pid in the namespace)"
	assert_eq 1 "$(field LISTEN_FDS "$a")" "LISTEN_FDS the server saw"
	assert_grep '^fd3 listening$' log "descriptor 3 of the server"
	wait_fds_only_std "$PIDONE_PID" "socket activation as PID 1"
	kill -TERM "$PIDONE_PID"
	finish 143
}

# A LISTEN_PID that is not pidone's is not pidone's business: it passes
# unchanged, as does everything else.
test_socket_activation_other_pid() {
	local got
	got=$(LISTEN_PID=999999 LISTEN_FDS=2 LISTEN_FDNAMES=a:b "$PIDONE" \
		sh -c 'echo "$LISTEN_PID $LISTEN_FDS $LISTEN_FDNAMES"') ||
		fail "pidone exited $?"
	assert_eq "999999 2 a:b" "$got" "the variables the command saw"
}

# --- descriptors pidone inherits ----------------------------------------------

# A listening socket handed to pidone (descriptor 3, by
# systemd-socket-activate) and to the command: once the command closes its
# copy, nobody holds it and a connection is refused. (A pidone that kept
# its copy would let connections into a backlog that nobody reads.)
test_fd_listener_released() {
	local port a
	need_cmd systemd-socket-activate python3
	port=$(free_port)
	bg pidone systemd-socket-activate -l "127.0.0.1:$port" "$PIDONE" -v -- \
		sh -c 'exec 3<&-; echo closed >"$0"; exec sleep 100000' "$PWD/closed"
	UNSHARE=$BG PIDONE_PID=$BG
	# The first connection starts pidone; it is never answered.
	python3 - "$port" <<'EOF' || fail "cannot connect to start pidone"
import socket, sys, time
for i in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5).close()
        sys.exit(0)
    except ConnectionRefusedError:
        time.sleep(0.1)
sys.exit(1)
EOF
	wait_for closed 20
	child_of "$PIDONE_PID" || fail "pidone exited"
	wait_line sleep "/proc/$CHILD/comm"
	wait_fds_only_std "$PIDONE_PID" "the listening socket"
	a=$(ask "$port")
	assert_eq refused "$a" "a connection once the command closed its copy"
	assert_eq S "$(status_of "$PIDONE_PID" State)" "pidone's state"
	kill -TERM "$PIDONE_PID"
	finish 143
}

# The write end of a pipe passed through pidone: when the command closes
# its copy, the reader sees end-of-file at once, while pidone still runs.
test_fd_pipe_eof() {
	local i
	mkfifo fifo
	( cat fifo >/dev/null; echo eof >eof ) &
	"$PIDONE" -v -- sh -c 'exec 3>&-; echo closed >"$0"; exec sleep 100000' \
		"$PWD/closed" >pidone.out 2>pidone.err 3>fifo &
	UNSHARE=$! PIDONE_PID=$!
	wait_for closed 20
	# The reader gets end-of-file while pidone and the command still run.
	for i in $(seq 1 200); do
		[ -s eof ] && break
		sleep 0.05
	done
	[ -s eof ] || { ls -l "/proc/$PIDONE_PID/fd"; fail "no end-of-file on the pipe: pidone holds its write end"; }
	kill -0 "$PIDONE_PID" && [ "$(status_of "$PIDONE_PID" State)" = S ] ||
		fail "pidone is no longer running"
	child_of "$PIDONE_PID" || fail "the command is gone"
	wait_fds_only_std "$PIDONE_PID" "the pipe"
	kill -TERM "$PIDONE_PID"
	finish 143
}

# --- drain delay ---------------------------------------------------------------

# The drain delay of the tests that wait it out: long enough that a request
# made once pidone has said it holds TERM is served within it, on a loaded
# machine and with a slow (sanitized) pidone.
DRAIN_MS=5000

# drain_served HOW...: start lserve under pidone -v (HOW: a start_ function
# and options or settings for a $DRAIN_MS drain), send TERM, and check that
# a request made during the delay is answered, that the server gets TERM
# only after that answer and no sooner than $DRAIN_MS after it was sent,
# and that pidone traced it.
drain_served() {
	local port t0 tans tterm a
	need_cmd python3
	need_helpers lserve
	"$@" "$HELPERS/lserve" "$PWD/log"
	wait_line '^ready$' log
	port=$(sed -n 's/^port //p' log)
	a=$(ask "$port")
	assert_eq "answer 1" "$(echo "$a" | cut -d' ' -f1,2)" "an answer before the stop"
	t0=$(date +%s%N)
	kill -TERM "$PIDONE_PID"
	wait_line "^pidone: drain: holding TERM for $DRAIN_MS ms\$" pidone.err
	a=$(ask "$port")
	assert_eq "answer 2" "$(echo "$a" | cut -d' ' -f1,2)" "an answer during the drain delay"
	wait_line '^got TERM at [0-9]+$' log 60
	finish 143
	cat log pidone.err
	tans=$(sed -n 's/^answered 2 at //p' log)
	tterm=$(sed -n 's/^got TERM at //p' log)
	[ "$tans" -gt "$t0" ] || fail "the second request was answered before TERM was sent"
	[ "$tterm" -gt "$tans" ] || fail "the server got TERM before it answered the second request"
	[ $(( (tterm - t0) / 1000000 )) -ge $((DRAIN_MS - 100)) ] ||
		fail "the server got TERM $(( (tterm - t0) / 1000000 )) ms after pidone, within the $DRAIN_MS ms delay"
	assert_grep '^pidone: drain: over: forwarding TERM$' pidone.err "trace at the end of the delay"
	[ "$(grep -n 'drain: holding' pidone.err | cut -d: -f1)" -lt \
		"$(grep -n 'drain: over' pidone.err | cut -d: -f1)" ] ||
		fail "the trace's lines out of order"
	assert_eq 1 "$(grep -c '^got ' log)" "signals the server got"
}

test_drain_holds_first_term() { drain_served start_child -v -D 5s --; }
test_drain_holds_first_term_pid1() { drain_served start_pid1 -v --drain=5000ms --; }
test_drain_env() {
	PIDONE_DRAIN=5s drain_served start_child -v --
}

# drain_ended_early SIG NAME: a second signal SIG during a long delay ends
# it at once; the server gets the held TERM first.
drain_ended_early() {
	need_helpers lserve
	start_child -v -D 10m -- "$HELPERS/lserve" "$PWD/log"
	wait_line '^ready$' log
	kill -TERM "$PIDONE_PID"
	wait_line '^pidone: drain: holding TERM for 600000 ms$' pidone.err
	assert_no_grep '^got ' log "signals to the server during the delay"
	kill -s "$1" "$PIDONE_PID"
	wait_line '^got ' log 30
	finish 143
	cat log pidone.err
	assert_eq TERM "$(sed -n 's/^got \([A-Z]*\) .*/\1/p' log | head -n 1)" \
		"the first signal the server got"
	assert_grep "^pidone: drain: ended early by $2$" pidone.err "trace"
}

test_drain_ended_by_term() { drain_ended_early TERM 'TERM\(15\)'; }
test_drain_ended_by_int() { drain_ended_early INT 'INT\(2\)'; }

test_drain_bad_value() {
	local see=" \(see pidone --help\)"
	bad 100 "bad duration: bogus$see" -D bogus true
	bad 100 "bad duration: 5h$see" --drain=5h true
	bad 100 "option needs a value: -D$see" -D
	PIDONE_DRAIN=bogus bad 100 "PIDONE_DRAIN: bad duration: bogus$see" true
	PIDONE_DRAIN=-1 bad 100 "PIDONE_DRAIN: bad duration: -1$see" true
}

# --- every option from the environment ---------------------------------------

# PIDONE_REWRITE: FROM:TO pairs, separated by spaces or commas, as -r.
test_env_rewrite() {
	need_helpers sigrec
	PIDONE_REWRITE='TERM:USR1,HUP:0 40:RTMIN+8' start_pid1 \
		"$HELPERS/sigrec" "$PWD/cmd"
	wait_line "^ready" cmd
	kill -TERM "$PIDONE_PID"
	wait_line "^USR1 pid=1$" cmd
	kill -40 "$PIDONE_PID"
	wait_line "^RTMIN\+8 pid=1$" cmd
	kill -HUP "$PIDONE_PID"
	kill -INT "$PIDONE_PID"
	wait_line "^INT pid=1$" cmd
	kill -USR2 "$PIDONE_PID"
	finish 0
	assert_no_grep "^(HUP|TERM) " cmd "signals rewritten away"
}

# PIDONE_EXPECT: codes, separated by spaces or commas, as -e.
test_env_expect() {
	local rc
	need_helpers die
	rc=0; PIDONE_EXPECT=143 "$PIDONE" "$HELPERS/die" 15 || rc=$?
	assert_eq 0 "$rc" "PIDONE_EXPECT=143, killed by TERM"
	rc=0; PIDONE_EXPECT=143 "$PIDONE" "$HELPERS/die" 2 || rc=$?
	assert_eq 130 "$rc" "PIDONE_EXPECT=143, killed by INT"
	for code in 3 4 7; do
		rc=0; PIDONE_EXPECT='3,4 7' "$PIDONE" sh -c "exit $code" || rc=$?
		assert_eq 0 "$rc" "PIDONE_EXPECT='3,4 7', exit $code"
	done
	rc=0; PIDONE_EXPECT='3,4 7' "$PIDONE" sh -c 'exit 5' || rc=$?
	assert_eq 5 "$rc" "PIDONE_EXPECT='3,4 7', exit 5"
	# As PID 1: the Java case, TERM sent to pidone.
	PIDONE_EXPECT=143 start_pid1 sleep 100000
	child_of "$PIDONE_PID" || fail "pidone exited early"
	wait_line sleep "/proc/$CHILD/comm"
	kill -TERM "$PIDONE_PID"
	finish 0
}

# PIDONE_WARN_REAP=1: as -w, each orphan reaped is reported. The command
# makes 5 orphans that wait, kills them, and waits until each is gone from
# /proc (reaped by pidone, their subreaper) before it exits.
WARN_REAP_CMD='"$0" -h 5 >"$1" || exit 2
pids=$(cat "$1")
kill $pids
for p in $pids; do
	n=0
	while [ -e /proc/$p ]; do
		n=$((n + 1)); [ $n -lt 600 ] || exit 3
		sleep 0.05
	done
done'

test_env_warn_reap() {
	need_helpers orphans
	PIDONE_WARN_REAP=1 "$PIDONE" -- sh -c "$WARN_REAP_CMD" "$HELPERS/orphans" \
		"$PWD/pids" 2>err || fail "pidone exited $?"
	cat err
	assert_eq 5 "$(grep -Ec '^pidone: reaped [0-9]+ \(orphan\): killed by TERM\(15\)$' err)" \
		"orphans reported"
	PIDONE_WARN_REAP=0 "$PIDONE" -- sh -c "$WARN_REAP_CMD" "$HELPERS/orphans" \
		"$PWD/pids" 2>err || fail "pidone exited $?"
	assert_no_grep 'reaped' err "PIDONE_WARN_REAP=0"
}

# The variables that 0.1 read already, each as its flag: PIDONE_SINGLE_CHILD
# (-c), PIDONE_SUBREAPER (-s, accepted), PIDONE_VERBOSE (-v), PIDONE_GRACE (-G),
# PIDONE_WAIT_ALL (-W).
test_env_other_options() {
	local rc
	need_helpers sigrec
	# -c: only the command gets the signal, not its group.
	PIDONE_SINGLE_CHILD=1 start_child "$HELPERS/sigrec" "$PWD/cmd" "$PWD/gc"
	wait_line "^ready" cmd
	wait_line "^ready" gc
	kill -HUP "$PIDONE_PID"
	wait_line "^HUP pid=$PIDONE_PID$" cmd
	kill -USR2 "$PIDONE_PID"
	finish 0
	assert_no_grep "^HUP " gc "PIDONE_SINGLE_CHILD=1: the grandchild's signals"
	# -v: the trace. -s: a plain pidone is a subreaper anyway, and as PID 1
	# it changes nothing a process can see; it is accepted, and quiet.
	need_root
	PIDONE_VERBOSE=1 pid1 true 2>err || fail "exit $?"
	assert_grep '^pidone: started [0-9]+' err "PIDONE_VERBOSE=1 traces"
	PIDONE_SUBREAPER=1 pid1 true 2>err || fail "PIDONE_SUBREAPER=1: exit $?"
	[ -s err ] && { cat err; fail "PIDONE_SUBREAPER=1 printed on stderr"; }
	# -G: the grace period's length, in its warning.
	PIDONE_GRACE=300ms pid1 sh -c 'trap "" TERM; sleep 100000 & exit 7' 2>err
	rc=$?
	cat err
	assert_eq 7 "$rc" "PIDONE_GRACE=300ms, exit status"
	assert_grep '^pidone: grace period of 300 ms over: sending KILL to what is left$' \
		err "PIDONE_GRACE=300ms"
	# -W: pidone waits for the command's background job before it exits.
	rc=0; PIDONE_WAIT_ALL=1 "$PIDONE" sh -c '(sleep 1; echo late >"$0") & exit 4' \
		"$PWD/late" || rc=$?
	assert_eq 4 "$rc" "PIDONE_WAIT_ALL=1, exit status"
	assert_grep '^late$' late "PIDONE_WAIT_ALL=1: the background job finished"
}

# A bad value in any variable: exit 100 and one line that names it.
test_env_bad_values() {
	local see=" \(see pidone --help\)"
	PIDONE_GRACE=bogus bad 100 "PIDONE_GRACE: bad duration: bogus$see" true
	PIDONE_DRAIN=1x bad 100 "PIDONE_DRAIN: bad duration: 1x$see" true
	PIDONE_EXPECT=256 bad 100 "PIDONE_EXPECT: exit code not in 0..255: 256$see" true
	PIDONE_EXPECT=x bad 100 "PIDONE_EXPECT: exit code not in 0..255: x$see" true
	PIDONE_REWRITE=TERM bad 100 "PIDONE_REWRITE: rewrite is not FROM:TO: TERM$see" true
	PIDONE_REWRITE=KILL:TERM bad 100 "PIDONE_REWRITE: cannot rewrite signal: KILL:TERM$see" true
	PIDONE_REWRITE=TERM:BOGUS bad 100 "PIDONE_REWRITE: unknown signal to rewrite to: TERM:BOGUS$see" true
	PIDONE_VERBOSE=x bad 100 "PIDONE_VERBOSE: [^:]+: x$see" true
}
