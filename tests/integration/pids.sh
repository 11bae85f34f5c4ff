# PID exhaustion in pidone --inspect: under a real pids cgroup with a small
# limit, a parent that never reaps fills it with zombies; the report must
# give the cgroup's pids.current and pids.max, name that parent with its
# count of zombies, and say the cgroup is near its limit.

PIDS_CG=

# pids_cleanup: kill what is left in the test's cgroup and remove it.
pids_cleanup() {
	local i p
	[ -n "$PIDS_CG" ] && [ -d "$PIDS_CG" ] || return 0
	for i in $(seq 1 200); do
		for p in $(cat "$PIDS_CG/cgroup.procs" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		rmdir "$PIDS_CG" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "cannot remove $PIDS_CG"
}
trap pids_cleanup EXIT
trap 'exit 143' TERM

# in_cgroup COMMAND...: run COMMAND inside the test's cgroup.
in_cgroup() {
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$PIDS_CG" "$@"
}

# tsv_value FILE KEY: the value of the row "cgroup KEY VALUE" in FILE.
tsv_value() {
	awk -F'\t' -v k="$2" '$1 == "cgroup" && $2 == k { print $3 }' "$1"
}

test_inspect_pids_near_limit() {
	local T=$'\t' cur zpar n f
	need_cmd unshare bash
	[ -x "$HELPERS/zombies" ] || fail "missing $HELPERS/zombies: run make check"
	pids_cgroup 40
	mkfifo tick
	# In the cgroup: unshare, pidone, bash, the zombies' parent and its 34
	# zombies are 38 processes, with --inspect 39, of 40. The waits use
	# bash's builtins only (read -t), so nothing else needs a process.
	cat >scene.sh <<-EOF
	exec 9<>tick
	$PIDONE --inspect --format=tsv >before.tsv; echo \$? >rc.before
	$HELPERS/zombies 34 zom 2>zom.err &
	n=0
	while [ ! -s zom ] && [ \$n -lt 600 ]; do read -t 0.05 -u 9; n=\$((n + 1)); done
	$PIDONE --inspect --format=tsv >near.tsv; echo \$? >rc.near
	$PIDONE --inspect >near.txt
	EOF
	in_cgroup unshare --pid --fork --mount-proc "$PIDONE" -G 0 -- bash scene.sh ||
		fail "pidone exited $?"
	cat zom zom.err
	grep -Ev '^proc|zombie not reaped' near.tsv
	read -r zpar n <zom || fail "the zombies' parent never got ready"
	assert_eq 34 "$n" "zombies made (fork failed early?)"
	assert_eq 0 "$(cat rc.before)" "exit status of the first --inspect"
	assert_eq 0 "$(cat rc.near)" "exit status of --inspect near the limit"
	for f in before.tsv near.tsv; do
		assert_eq "#cgroup${T}key${T}value" "$(sed -n 3p "$f")" "$f: the third header line"
		assert_eq 40 "$(tsv_value "$f" pids.max)" "$f: pids.max"
		# Memory, where it is readable: a number or max.
		awk -F'\t' '$1 == "cgroup" && $2 ~ /^memory\./ && $3 !~ /^([0-9]+|max)$/ { exit 1 }' "$f" ||
			fail "$f: a memory row that is not a number or max"
	done
	# Before: a few processes, nothing to report.
	cur=$(tsv_value before.tsv pids.current)
	[ -n "$cur" ] && [ "$cur" -ge 3 ] && [ "$cur" -le 8 ] ||
		fail "before.tsv: pids.current '$cur', expected the 4 processes running"
	assert_no_grep "^find${T}[0-9]+${T}(zombies|pids-near-limit)${T}" before.tsv \
		"findings with the cgroup far from its limit"
	# Near the limit: the count, the parent and its zombies, the finding.
	cur=$(tsv_value near.tsv pids.current)
	[ -n "$cur" ] && [ "$cur" -ge 36 ] && [ "$cur" -le 40 ] ||
		fail "near.tsv: pids.current '$cur', expected 39 (36..40)"
	assert_grep "^find${T}$zpar${T}zombies${T}34${T}." near.tsv \
		"the parent that leaves 34 zombies unreaped"
	assert_eq 1 "$(grep -c "^find${T}[0-9]*${T}zombies${T}" near.tsv)" \
		"parents reported for leaving zombies"
	assert_grep "^find${T}0${T}pids-near-limit${T}40${T}." near.tsv \
		"the cgroup near its pids limit"
	assert_grep "$zpar" near.txt "the text report names the zombies' parent"
}
