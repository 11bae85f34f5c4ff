# pidone --inspect: known situations built in a PID namespace, and the
# findings and TSV rows that must report exactly them.

# pidone as PID 1 and session leader, as container runtimes start it.
insp_pid1() {
	unshare --pid --fork --mount-proc setsid "$PIDONE" "$@"
}

insp_need() {
	need_root
	need_cmd unshare setsid nsenter
	[ -x "$HELPERS/insp_sig" ] || skip "needs tests/helpers/insp_sig (make check)"
}

# The findings of a TSV report, as sorted "PID KIND OTHER" lines.
insp_findings() {
	awk -F'\t' '$1 == "find" { print $2, $3, $4 }' "$1" | sort
}

# Under pidone: a process ignoring TERM (and catching RTMAX-1), one blocking
# INT, one blocking TERM, a zombie whose live parent does not reap it, and a
# setsid daemon. Inspect, from inside the command's group, must report all
# of them, and nothing else.
test_inspect_known_situations() {
	insp_need
	cat >scene.sh <<-EOF
	h=$HELPERS/insp_sig
	\$h hold ign iTERM c63 & \$h hold blk bINT & \$h hold blkterm bTERM &
	\$h zombie zom &
	\$h daemon dmn
	for f in ign blk blkterm zom dmn; do
		i=0
		while [ ! -s \$f ]; do
			i=\$((i + 1)); [ \$i -lt 1000 ] || exit 99; sleep 0.02
		done
	done
	echo \$\$ >cmd
	$PIDONE --inspect --format=tsv >out.tsv; echo \$? >rc.tsv
	$PIDONE --inspect >out.txt; echo \$? >rc.txt
	EOF
	insp_pid1 -G 0 -- bash scene.sh || fail "pidone exited $?"
	assert_eq 0 "$(cat rc.tsv)" "exit status of --inspect --format=tsv"
	assert_eq 0 "$(cat rc.txt)" "exit status of --inspect"
	cmd=$(cat cmd) ign=$(cat ign) blk=$(cat blk) blkterm=$(cat blkterm)
	read -r zpar zom <zom
	dmn=$(cat dmn)
	T=$'\t'
	assert_eq "#proc${T}pid${T}ppid${T}pgid${T}sid${T}tpgid${T}state${T}blocked${T}ignored${T}caught${T}comm${T}cmdline${T}waited" \
		"$(sed -n 1p out.tsv)" "TSV header"
	assert_eq "#find${T}pid${T}kind${T}other${T}text" "$(sed -n 2p out.tsv)" \
		"TSV finding header"
	# pidone itself: PID 1, leader of group and session 1, asleep in
	# sigwaitinfo for every signal. The kernel unblocks what a process waits
	# for while it waits, so SigBlk is empty, and the waited column (read
	# from /proc/1/syscall and /proc/1/mem) names every signal.
	assert_grep "^proc${T}1${T}0${T}1${T}1${T}-1${T}S${T}-${T}-${T}-${T}pidone${T}[^$T]*${T}HUP,INT,QUIT,TERM,USR1,USR2,WINCH,CHLD,[^$T]*RTMAX\$" \
		out.tsv "PID 1 row"
	# bash starts background commands with INT and QUIT ignored.
	assert_grep "^proc${T}$ign${T}$cmd${T}$cmd${T}1${T}-1${T}S${T}-${T}INT,QUIT,TERM${T}RTMAX-1${T}insp_sig${T}$HELPERS/insp_sig hold ign iTERM c63${T}-\$" \
		out.tsv "row of the process ignoring TERM"
	assert_grep "^proc${T}$blk${T}$cmd${T}$cmd${T}1${T}-1${T}S${T}INT${T}INT,QUIT${T}-${T}insp_sig${T}" \
		out.tsv "row of the process blocking INT"
	assert_grep "^proc${T}$zom${T}$zpar${T}$cmd${T}1${T}-1${T}Z${T}" out.tsv \
		"row of the zombie"
	assert_grep "^proc${T}$dmn${T}1${T}$dmn${T}$dmn${T}-1${T}S${T}" out.tsv \
		"row of the setsid daemon"
	printf '%s\n' "$blkterm blocks-term 15" "$dmn outside-group $cmd" \
		"$ign ignores-term 15" "$zom zombie $zpar" "$zpar zombies 1" | sort >want
	insp_findings out.tsv >got
	diff want got || fail "findings differ from the situations built"
	assert_grep "^find${T}$zom${T}zombie${T}$zpar${T}zombie not reaped by its live parent $zpar \(insp_sig\): make it wait for its children, or end it\$" \
		out.tsv "zombie finding text"
	# The text form: tree, groups, signals, the same findings in words.
	assert_grep "^ +$zom +$zpar +$cmd +1 +-1 Z +\\\\_ \[insp_sig\]\$" out.txt "zombie in the tree"
	assert_grep "^  session $dmn\$" out.txt "the daemon's session"
	assert_grep "^    group $dmn: $dmn\$" out.txt "the daemon's group"
	assert_grep "^    group $cmd \(the command's\): $cmd( [0-9]+)+\$" out.txt "the command's group"
	assert_grep "^ +$ign -     i     i     i     -     -     -     -     c:RTMAX-1\$" out.txt \
		"signal row of the process ignoring TERM"
	assert_grep "^ +$blk -     bi    i     -     -     -     -     -\$" out.txt \
		"signal row of the process blocking INT"
	assert_grep "^  pid $ign \(insp_sig\): ignores TERM, so only KILL stops it" out.txt \
		"ignores-term in words"
	assert_grep "^  pid $dmn \(insp_sig\): group $dmn, session $dmn: outside the command's group, so forwarded signals miss it: keep it in that group" \
		out.txt "outside-group in words"
	[ "$(sed -n '/^findings:/,$p' out.txt | grep -c '^  pid ')" = 5 ] ||
		{ cat out.txt; fail "not 5 findings in words"; }
}

# A bare unshare --pid, no pidone: PID 1 and its child have group and
# session 0, and PID 1 handles neither TERM nor INT. Inspect enters like
# crun exec before 1.20 (nsenter), so it too has group and session 0.
test_inspect_bare_namespace() {
	insp_need
	unshare --pid --fork --mount-proc bash -c \
		"$HELPERS/insp_sig hold child & exec $HELPERS/insp_sig hold init" \
		</dev/null >/dev/null 2>&1 &
	upid=$!
	trap 'kill -KILL $upid $ns1 2>/dev/null' EXIT
	wait_for init
	wait_for child
	read -r ns1 </proc/$upid/task/$upid/children
	child=$(cat child)
	assert_eq 1 "$(cat init)" "PID of the bare namespace's init"
	nsenter -t "$ns1" -p -m "$PIDONE" --inspect --format=tsv >out.tsv ||
		fail "inspect exited $?"
	T=$'\t'
	# Started in the background by bash, so INT and QUIT are ignored.
	assert_grep "^proc${T}1${T}0${T}0${T}0${T}-1${T}S${T}-${T}INT,QUIT${T}-${T}insp_sig${T}" out.tsv "PID 1 row"
	assert_grep "^proc${T}$child${T}1${T}0${T}0${T}" out.tsv "child row"
	self=$(awk -F'\t' '$1 == "proc" && $11 == "pidone" { print $2 }' out.tsv)
	[ -n "$self" ] || fail "inspect does not list itself"
	assert_grep "^proc${T}$self${T}0${T}0${T}0${T}" out.tsv "inspect's own row"
	printf '%s\n' "1 outside-ns 0" "1 pid1-drops-term 0" "$child outside-ns 0" \
		"$self outside-ns 0" | sort >want
	insp_findings out.tsv >got
	diff want got || fail "findings differ from the situations built"
	assert_grep "^find${T}$self${T}outside-ns${T}0${T}.*start it with pidone --exec\$" out.tsv \
		"advice for an exec'd process"
	assert_grep "^find${T}1${T}outside-ns${T}0${T}.*make PID 1 a session leader \(setsid\)\$" out.tsv \
		"advice for PID 1"
	nsenter -t "$ns1" -p -m "$PIDONE" --inspect >out.txt || fail "inspect exited $?"
	assert_grep "^  session 0 \(outside this PID namespace\)\$" out.txt "session 0 label"
	assert_grep "^  pid 1 \(insp_sig\): PID 1 neither catches nor blocks TERM or INT, so the kernel drops it: run the command under pidone\$" \
		out.txt "pid1-drops-term in words"
}

# A PID 1 that catches INT but not TERM: podman stop's TERM is still lost.
test_inspect_pid1_catches_int_only() {
	insp_need
	unshare --pid --fork --mount-proc setsid "$HELPERS/insp_sig" hold init cINT \
		</dev/null >/dev/null 2>&1 &
	upid=$!
	trap 'kill -KILL $upid $ns1 2>/dev/null' EXIT
	wait_for init
	read -r ns1 </proc/$upid/task/$upid/children
	nsenter -t "$ns1" -p -m "$PIDONE" --inspect --format=tsv >out.tsv ||
		fail "inspect exited $?"
	T=$'\t'
	assert_grep "^proc${T}1${T}0${T}1${T}1${T}-1${T}S${T}-${T}[^$T]*${T}INT${T}insp_sig${T}" out.tsv "PID 1 row"
	self=$(awk -F'\t' '$1 == "proc" && $11 == "pidone" { print $2 }' out.tsv)
	printf '%s\n' "1 pid1-drops-term 0" "$self outside-ns 0" | sort >want
	insp_findings out.tsv >got
	diff want got || fail "findings differ from the situation built"
	assert_grep "^find${T}1${T}pid1-drops-term${T}0${T}PID 1 neither catches nor blocks TERM, so the kernel drops it: run the command under pidone\$" \
		out.tsv "finding text"
}

# Inspect must refuse a /proc that belongs to another PID namespace.
test_inspect_foreign_proc() {
	need_root
	need_cmd unshare
	unshare --pid --fork "$PIDONE" --inspect >out 2>err
	assert_eq 111 "$?" "exit status"
	assert_eq "pidone: /proc: belongs to another PID namespace" "$(cat err)" "message"
	assert_eq "" "$(cat out)" "standard output"
}

# Inspect takes no command, and --format takes text or tsv only.
test_inspect_usage() {
	"$PIDONE" --inspect true 2>err
	assert_eq 100 "$?" "exit status with a command"
	assert_grep "^pidone: this mode takes no command: true" err "message"
	"$PIDONE" --inspect --format=json 2>err
	assert_eq 100 "$?" "exit status with a bad format"
	assert_grep "^pidone: unknown format: json" err "message"
}

# insp_podman_scene RUNTIME: in a real container under pidone (podman run
# --init), a process ignoring TERM, a setsid daemon and a zombie with a live
# parent; pidone --inspect run by podman exec must report exactly them.
# With crun older than 1.20, the exec'd inspect itself has group and session
# 0, and through pidone --exec it has its own.
insp_podman_scene() {
	local r=$1 name=pidone-insp-$$ extra=() i bug=
	[ "$r" = crun ] && extra=(--cgroups=disabled)
	# crun before 1.20 leaves an exec'd process in group and session 0.
	if [ "$r" = crun ] && ! printf '%s\n' 1.20 "$(crun --version |
		sed -n 's/^crun version //p')" | sort -VC; then
		bug=1
	fi
	"$TESTS/mkrootfs.sh" "$PWD/rootfs" >mk.log 2>&1
	case $? in
	0) ;;
	77) skip "$(sed -n 's/^SKIP: //p' mk.log)" ;;
	*) fail "mkrootfs.sh: $(cat mk.log)" ;;
	esac
	trap "podman --cgroup-manager=cgroupfs rm -f -t 0 $name >/dev/null 2>&1" EXIT
	podman --cgroup-manager=cgroupfs run -d --name "$name" --network=none \
		--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 "${extra[@]}" \
		--runtime="$r" --init --init-path "$PIDONE" --rootfs "$PWD/rootfs" \
		/bin/sh -c 'echo $$ >/tmp/cmd; insp_sig hold /tmp/ign iTERM &
			insp_sig daemon /tmp/dmn; insp_sig zombie /tmp/zom & wait' \
		>/dev/null || fail "podman run failed"
	for i in $(seq 1 200); do
		podman --cgroup-manager=cgroupfs exec "$name" \
			cat /tmp/cmd /tmp/ign /tmp/dmn /tmp/zom >ids 2>/dev/null && break
		sleep 0.05
	done
	[ "$(wc -l <ids)" = 4 ] || fail "the container's processes never started"
	{ read -r cmd; read -r ign; read -r dmn; read -r zpar zom; } <ids
	podman --cgroup-manager=cgroupfs exec "$name" /sbin/pidone --inspect \
		--format=tsv >out.tsv || fail "podman exec pidone --inspect failed"
	podman --cgroup-manager=cgroupfs exec "$name" /sbin/pidone --inspect \
		>out.txt || fail "podman exec pidone --inspect (text) failed"
	podman --cgroup-manager=cgroupfs exec "$name" /sbin/pidone --exec -- \
		/sbin/pidone --inspect --format=tsv >fixed.tsv ||
		fail "podman exec pidone --exec -- pidone --inspect failed"
	cat out.txt
	T=$'\t'
	assert_grep "^proc${T}1${T}0${T}1${T}1${T}-1${T}S${T}-${T}-${T}-${T}podman-init${T}/run/podman-init -- /bin/sh -c [^$T]*${T}HUP,INT,QUIT,TERM,[^$T]*\$" \
		out.tsv "PID 1 is pidone, as podman-init, waiting for every signal"
	assert_grep "^proc${T}$cmd${T}1${T}$cmd${T}1${T}" out.tsv "the command's row"
	self=$(awk -F'\t' '$1 == "proc" && $11 == "pidone" { print $2 }' out.tsv)
	[ -n "$self" ] || fail "inspect does not list itself"
	printf '%s\n' "$ign ignores-term 15" "$dmn outside-group $cmd" \
		"$zom zombie $zpar" "$zpar zombies 1" >want
	[ -n "$bug" ] && echo "$self outside-ns 0" >>want
	sort -o want want
	insp_findings out.tsv >got
	diff want got || fail "findings differ from the situations built"
	assert_grep "^    group $cmd \(the command's\): $cmd $ign" out.txt "the command's group"
	if [ -n "$bug" ]; then
		assert_grep "^proc${T}$self${T}0${T}0${T}0${T}" out.tsv \
			"crun exec leaves inspect with group and session 0"
	else
		assert_grep "^proc${T}$self${T}0${T}$self${T}$self${T}" out.tsv \
			"$r exec gives inspect a session of its own"
	fi
	fixed=$(awk -F'\t' '$1 == "proc" && $11 == "pidone" { print $2 }' fixed.tsv)
	assert_grep "^proc${T}$fixed${T}0${T}$fixed${T}$fixed${T}" fixed.tsv \
		"through pidone --exec, inspect leads its own session"
	assert_no_grep "^find${T}$fixed${T}" fixed.tsv "findings about inspect through --exec"
}

test_inspect_podman_runc() {
	need_root
	need_cmd podman runc file
	need_static
	insp_podman_scene runc
}

# crun needs a pure cgroup2 mount, in a private mount namespace.
test_inspect_podman_crun() {
	need_root
	need_cmd podman crun file unshare
	need_static
	export -f insp_podman_scene insp_findings fail skip assert_grep assert_no_grep
	unshare -m --propagation private bash -c '
		umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup ||
			{ echo "SKIP: cannot mount cgroup2"; exit 77; }
		insp_podman_scene crun'
}

# More processes than the table holds: inspect says how many it left out.
test_inspect_truncated() {
	insp_need
	cat >many.sh <<-EOF
	for i in \$(seq 1 410); do sleep 1000 & done
	$PIDONE --inspect --format=tsv >out.tsv
	EOF
	insp_pid1 -G 0 -- bash many.sh || fail "pidone exited $?"
	T=$'\t'
	# pidone, bash, 410 sleeps and inspect: 413, of which 400 are shown.
	assert_eq 400 "$(grep -c '^proc' out.tsv)" "process rows"
	assert_grep "^find${T}0${T}truncated${T}413${T}only the first 400 of 413 processes are shown\$" \
		out.tsv "truncation finding"
}
