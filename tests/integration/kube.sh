# Pods with podman kube play, from the manifests in examples/: pidone under
# each command of a pod sharing one PID namespace, and pidone -P as the
# pod's PID 1 (its infra container). Each test uses its own podman storage
# and a containers.conf with what this kind of host needs (explicit
# ulimits, cgroupfs, runc), and removes its pods however it ends. Images
# are made locally: no registry is reachable.
source "$(dirname "${BASH_SOURCE[0]}")/runtime.bash"

EXAMPLES=$TESTS/../examples

# kb ARG...: podman on the test's own storage.
kb() { podman --root "$KB/storage" --runroot "$KB/run" "$@"; }

# kb_setup [INFRA-IMAGE]: storage, containers.conf (with that infra image),
# and localhost/pidone-busybox:latest, a busybox image holding /pidone.
kb_setup() {
	rt_need podman runc tar
	KB=$PWD/kube
	mkdir -p "$KB" data
	{
		echo '[containers]'
		echo 'default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]'
		echo '[engine]'
		echo 'cgroup_manager = "cgroupfs"'
		echo 'runtime = "runc"'
		[ -n "${1:-}" ] && echo "infra_image = \"$1\""
	} >"$KB/containers.conf"
	export CONTAINERS_CONF=$KB/containers.conf
	rt_on_exit kb_cleanup
	rt_rootfs
	cp "$PIDONE" rootfs/pidone || fail "cannot copy pidone"
	tar -C rootfs -c . | kb import --change 'ENV PATH=/usr/bin:/bin:/sbin' \
		- localhost/pidone-busybox:latest >/dev/null ||
		fail "podman import failed"
}

kb_cleanup() {
	local m
	kb pod rm -f -a -t 0
	kb rm -f -a -t 0
	for m in $(awk -v d="$KB/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r); do
		umount -l "$m"
	done
}

# kb_manifest NAME: examples/NAME here, its data folder this test's data.
kb_manifest() {
	sed "s|/tmp/pidone-example-data|$PWD/data|" "$EXAMPLES/$1" >"$1" ||
		fail "no examples/$1"
}

# kb_inspect CONTAINER: pidone --inspect --format=tsv run in CONTAINER, to
# insp.tsv; fails if it cannot run.
kb_inspect() {
	kb exec "$1" /pidone --inspect --format=tsv >insp.tsv 2>insp.err
}

# kb_find_orphan CONTAINER PARENT: wait (30 s) until inspect, run in
# CONTAINER, shows a "sleep 1" whose parent is PARENT (an orphan, since
# the shell that started it has exited); sets ORPHAN to its PID.
kb_find_orphan() {
	local i
	for i in $(seq 1 60); do
		kb_inspect "$1"
		ORPHAN=$(awk -F'\t' -v p="$2" '$1 == "proc" && $3 == p &&
			$11 == "sleep" && $12 == "sleep 1" { print $2; exit }' insp.tsv)
		[ -n "$ORPHAN" ] && return 0
		sleep 0.5
	done
	cat insp.tsv insp.err
	fail "no orphan of $2 seen"
}

# kb_reaped CONTAINER PID: wait (30 s) until PID has gone from the pod's
# /proc: reaped, not a zombie.
kb_reaped() {
	local i
	for i in $(seq 1 300); do
		kb exec "$1" /bin/test -e "/proc/$2" || return 0
		sleep 0.1
	done
	kb exec "$1" /bin/cat "/proc/$2/status"
	fail "orphan $2 not reaped"
}

# examples/pod-shared-pid.yaml: the orphans the worker's shell leaves are
# pidone's (a subreaper) and reaped; pidone --inspect in the app container
# sees the worker container's processes; podman stop ends the containers
# through TERM, the app's trap writing its data, well within the timeout;
# kube down removes the pod.
test_kube_shared_pid() {
	local wpid start secs
	kb_setup
	kb_manifest pod-shared-pid.yaml
	kb kube play pod-shared-pid.yaml >play.out 2>&1 ||
		{ cat play.out; fail "podman kube play failed"; }
	rt_poll 30 test -s data/started
	rt_poll 30 kb_inspect pidone-shared-app
	cat insp.tsv
	# The worker's pidone, seen from the app container.
	wpid=$(awk -F'\t' '$1 == "proc" && $11 == "pidone" &&
		index($12, "(sleep 1 &)") { print $2 }' insp.tsv)
	[ -n "$wpid" ] || fail "inspect in the app container does not see the worker's pidone"
	awk -F'\t' -v p="$wpid" '$1 == "proc" && $3 == p && $11 == "sh" { f = 1 }
		END { exit !f }' insp.tsv ||
		fail "inspect in the app container does not see the worker's shell"
	awk -F'\t' '$1 == "proc" && $11 == "pidone" && index($12, "/data/stopped") { f = 1 }
		END { exit !f }' insp.tsv || fail "inspect does not see the app's own pidone"
	kb_find_orphan pidone-shared-app "$wpid"
	echo "orphan $ORPHAN of the worker's pidone $wpid"
	kb_reaped pidone-shared-app "$ORPHAN"
	# podman 4.3's kube down kills every container at once (KILL, timeout
	# 0), and its pod stop stops the infra container (catatonit, PID 1) at
	# the same time as the others, which ends the PID namespace with KILL
	# for all: stop the containers first, each pidone forwarding TERM.
	start=$(date +%s)
	kb stop -t 10 pidone-shared-app pidone-shared-worker >stop.out 2>&1 ||
		{ cat stop.out; fail "podman stop failed"; }
	secs=$(( $(date +%s) - start ))
	echo "podman stop took ${secs}s"
	assert_grep '^stopped at [0-9]+$' data/stopped "the app's TERM trap wrote its data"
	assert_eq 0 "$(kb inspect -f '{{.State.ExitCode}}' pidone-shared-app)" \
		"the app's exit code (its trap's exit 0)"
	assert_eq 143 "$(kb inspect -f '{{.State.ExitCode}}' pidone-shared-worker)" \
		"the worker's exit code (its shell killed by TERM)"
	[ "$secs" -lt 10 ] || fail "podman stop took ${secs}s, to its KILL timeout"
	kb kube down pod-shared-pid.yaml >down.out 2>&1 ||
		{ cat down.out; fail "podman kube down failed"; }
	[ -z "$(kb ps -aq)" ] || fail "containers left after kube down"
}

# examples/pod-pidone-infra.yaml with the image of examples/Containerfile
# as the infra image: pidone -P is the pod's PID 1, the orphans of a
# container without an init of its own are its children, and reaped, and
# podman pod stop ends the pod through TERM, the app's trap writing its data.
test_kube_pidone_infra() {
	local cmdline
	kb_setup localhost/pidone:latest
	mkdir ctx && cp "$PIDONE" ctx/pidone || fail "set-up"
	kb build -q -t localhost/pidone:latest -f "$EXAMPLES/Containerfile" ctx \
		>build.out 2>&1 || { cat build.out; fail "podman build of examples/Containerfile failed"; }
	kb_manifest pod-pidone-infra.yaml
	kb kube play pod-pidone-infra.yaml >play.out 2>&1 ||
		{ cat play.out; fail "podman kube play failed"; }
	rt_poll 30 kb_inspect pidone-infra-app
	cmdline=$(kb exec pidone-infra-app /bin/cat /proc/1/cmdline | tr '\0' ' ')
	assert_eq "/pidone -P " "$cmdline" "the pod's PID 1"
	kb_find_orphan pidone-infra-app 1
	echo "orphan $ORPHAN of PID 1"
	kb_reaped pidone-infra-app "$ORPHAN"
	# podman pod stop: TERM to every container at once, the infra too;
	# pidone -P, PID 1, gives the rest of the pod TERM and its grace period
	# before it exits, so the app's trap writes its data.
	kb pod stop pidone-infra >stop.out 2>&1 ||
		{ cat stop.out; fail "podman pod stop failed"; }
	assert_grep '^stopped at [0-9]+$' data/stopped "the app's TERM trap wrote its data"
	assert_eq 0 "$(kb inspect -f '{{.State.ExitCode}}' pidone-infra-app)" \
		"the app's exit code (its trap's exit 0)"
	kb kube down pod-pidone-infra.yaml >down.out 2>&1 ||
		{ cat down.out; fail "podman kube down failed"; }
	[ -z "$(kb ps -aq)" ] || fail "containers left after kube down"
}
