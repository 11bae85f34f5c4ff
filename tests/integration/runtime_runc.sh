# pidone as process 1 of a runc container: exit codes pass through, runc
# kill reaches the command's whole process group, orphans are reaped.
source "$(dirname "${BASH_SOURCE[0]}")/runtime.bash"
RT_SELF=${BASH_SOURCE[0]}

# The container's exit status is the command's, including 128+N for a
# command killed by signal N.
test_runc_exit_codes() {
	local want cmd name rc i=0
	rt_need runc python3
	rt_rootfs "$PWD/b/rootfs"
	for want in 0 3 255 129 137 143; do
		case $want in
		129) cmd='kill -HUP $$' ;;
		137) cmd='kill -KILL $$' ;;
		143) cmd='kill -TERM $$' ;;
		*) cmd="exit $want" ;;
		esac
		name=$RT_NAME-exit$((i++))
		rt_bundle "$PWD/b" /sbin/pidone -- /bin/sh -c "$cmd"
		rt_on_exit "runc delete -f $name"
		runc run --bundle "$PWD/b" "$name" </dev/null >out 2>&1
		rc=$?
		cat out
		assert_eq "$want" "$rc" "exit status of a container running sh -c '$cmd'"
	done
}

# runc kill signals pidone, which forwards to the command's whole group:
# the top shell and three background shells (each with a sleep of its own)
# all see the HUP. The top shell waits for them and exits 7 to say so.
test_runc_kill_group() {
	local name=$RT_NAME-kill rc n
	rt_need runc python3
	rt_rootfs "$PWD/b/rootfs"
	cat >b/rootfs/group.sh <<'EOF'
for n in 1 2 3; do
	sh -c 'trap "echo HUP > /tmp/hup.$0; exit 0" HUP
		sleep 1000 & echo > /tmp/ready.$0; wait' $n &
done
trap 'echo HUP > /tmp/hup.0' HUP
echo > /tmp/ready.0
wait
wait
exit 7
EOF
	rt_bundle "$PWD/b" /sbin/pidone -v -- /bin/sh /group.sh
	rt_on_exit "runc delete -f $name"
	runc run --bundle "$PWD/b" "$name" </dev/null >out 2>err &
	rt_poll 30 rt_files b/rootfs/tmp/ready.{0,1,2,3}
	runc exec "$name" /bin/ps -o pid,pgid,sid,comm >ps.txt
	cat ps.txt
	runc kill "$name" HUP || fail "runc kill failed"
	wait $!
	rc=$?
	cat err
	assert_eq 7 "$rc" "exit status after every member handled HUP"
	for n in 0 1 2 3; do
		[ -e "b/rootfs/tmp/hup.$n" ] || fail "group member $n never got HUP"
	done
}

# Orphans reparented to pidone are reaped: five background jobs of subshells
# outlive their parents, wait until they are pidone's, and exit. pidone -w
# reports each; ps then shows no zombie (Z) at all.
test_runc_orphans_reaped() {
	local name=$RT_NAME-orph rc
	rt_need runc python3
	rt_rootfs "$PWD/b/rootfs"
	cat >b/rootfs/orphans.sh <<'EOF'
orphan() {
	while read -r pid comm state ppid rest </proc/self/stat &&
	    [ "$ppid" != 1 ]; do :; done
}
for i in 1 2 3 4 5; do (orphan &); done
echo > /tmp/spawned
exec sleep 1000
EOF
	rt_bundle "$PWD/b" /sbin/pidone -w -- /bin/sh /orphans.sh
	rt_on_exit "runc delete -f $name"
	runc run --bundle "$PWD/b" "$name" </dev/null >out 2>err &
	rt_poll 30 rt_files b/rootfs/tmp/spawned
	rt_poll 30 eval '[ "$(grep -c orphan err)" -ge 5 ]'
	rt_poll 30 eval 'runc exec '"$name"' /bin/ps -o pid,stat,comm >ps.txt &&
		! grep -Eq "^ *[0-9]+ +Z" ps.txt && ! grep -q " sh$" ps.txt'
	cat err ps.txt
	assert_eq 5 "$(grep -c orphan err)" "orphans pidone -w reported reaping"
	assert_no_grep '^ *[0-9]+ +Z' ps.txt "zombies left in the container"
	runc kill "$name" TERM
	wait $!
	rc=$?
	assert_eq 143 "$rc" "exit status after TERM"
}
