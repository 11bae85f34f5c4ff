# Tests of the release binaries of every architecture (make dist), run here
# through qemu-user-static and binfmt_misc (i386 runs natively on x86-64):
# what the ELF file says about hardening, pidone as PID 1 of a new PID
# namespace, the Check unit tests built for that architecture, and that two
# builds of the same sources give the same bytes. `make check` builds
# dist/ and build/ARCH/check_pidone first.
#
# What qemu-user 7.2 cannot do, and so what these tests do not ask of it:
#  - PR_SET_CHILD_SUBREAPER: qemu returns EINVAL, so pidone as a plain
#    child (not PID 1) cannot reap orphans: only PID 1 is tested here.
#  - /proc/self and /proc/PID of the emulated process show qemu's state:
#    its stat has PGID 0 (unit test proc:stat_self), its SigBlk is qemu's
#    host mask, in which real-time signals sit at other numbers than the
#    guest's (child:exec_mask reads bit 42 for guest signal 40), so
#    --inspect and the /proc-reading unit tests are not run under qemu.
#  - real-time signal numbers differ between host and guest: a command
#    killed by the host's signal 40 is reported to the emulated pidone as
#    killed by 38, so pidone exits 166, not 168 (forwarding is unaffected:
#    qemu translates both ways).
#  - one guest real-time signal, 63, has no host signal to live on:
#    sigprocmask cannot block it (runtime:block_all).
# The unit tests that read such /proc state (listed in unit below) are the
# only failures accepted under qemu; on
# amd64 and i386, which run natively, every unit test must pass. riscv64
# has no unit tests: Debian 12 has no check:riscv64 (and no riscv64
# architecture) to link them with.

# Re-use core.sh's helpers (start_pid1, finish, forward_all, ...), not its
# tests.
source "$TESTS/integration/core.sh"
unset -f $(declare -F | awk '$3 ~ /^test_/ { print $3 }')

ARCHES="amd64 arm64 armhf i386 ppc64el s390x riscv64"

# Per architecture: the binutils prefix, the qemu binfmt handler, the page
# size the binary must be aligned to, and the stack-clash probe gcc emits
# in frames larger than the guard (none: gcc 12 has no stack-clash
# protection for 32-bit Arm or for RISC-V; it came to RISC-V in gcc 14).
arch_info() {
	case $1 in
	amd64) TRIPLET=x86_64-linux-gnu QEMU= PAGE=0x1000 PROBE='orq +\$0x0,\(%rsp\)' ;;
	arm64) TRIPLET=aarch64-linux-gnu QEMU=qemu-aarch64 PAGE=0x10000 PROBE='str\s+xzr, \[sp, #1024\]' ;;
	armhf) TRIPLET=arm-linux-gnueabihf QEMU=qemu-arm PAGE=0x10000 PROBE= ;;
	i386) TRIPLET=i686-linux-gnu QEMU= PAGE=0x1000 PROBE='orl +\$0x0,\(%esp\)' ;;
	ppc64el) TRIPLET=powerpc64le-linux-gnu QEMU=qemu-ppc64le PAGE=0x10000 PROBE='stdu\s+r1,-4096\(r1\)' ;;
	s390x) TRIPLET=s390x-linux-gnu QEMU=qemu-s390x PAGE=0x1000 PROBE='cg\s+%r0,4088\(%r15\)' ;;
	riscv64) TRIPLET=riscv64-linux-gnu QEMU=qemu-riscv64 PAGE=0x1000 PROBE= ;;
	esac
	BIN="$TESTS/../dist/pidone-$1"
	ELF="$TESTS/../build/$1/pidone.elf"
	[ -x "$BIN" ] && [ -f "$ELF" ] || fail "no $BIN: run make dist (make check does)"
}

# use_arch ARCH: PIDONE is ARCH's binary, and this machine runs it: the
# binfmt_misc handler is mounted and enabled (named: a bare --enable would
# turn on every handler installed).
use_arch() {
	arch_info "$1"
	PIDONE=$BIN
	if [ -n "$QEMU" ]; then
		need_root
		need_cmd update-binfmts
		[ -x "/usr/bin/$QEMU-static" ] || fail "no /usr/bin/$QEMU-static: run make deps"
		mountpoint -q /proc/sys/fs/binfmt_misc ||
			mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc ||
			skip "cannot mount binfmt_misc"
		grep -qx enabled "/proc/sys/fs/binfmt_misc/$QEMU" 2>/dev/null ||
			update-binfmts --enable "$QEMU" || fail "update-binfmts --enable $QEMU"
	fi
	"$PIDONE" --version >version 2>&1 || { cat version; fail "$1 binary does not run"; }
	assert_grep '^pidone [0-9]' version "$1: --version"
}

# elf_facts ARCH: the release binary is a static PIE with no interpreter,
# RELRO and BIND_NOW, aligned for the architecture's largest pages; its
# code checks stack canaries and probes large frames; it is the symbol-
# carrying build/ARCH/pidone.elf, stripped and sstripped.
elf_facts() {
	local a=$1 n
	arch_info "$a"
	need_cmd readelf "$TRIPLET-objdump" "$TRIPLET-strip"
	readelf -hlW "$BIN" >hdr
	readelf -dW "$BIN" >dyn
	assert_grep 'Type: +DYN ' hdr "$a: ELF type"
	assert_no_grep 'INTERP' hdr "$a: program interpreter"
	assert_grep '^ +GNU_RELRO ' hdr "$a: RELRO segment"
	assert_grep '\(FLAGS\) +BIND_NOW' dyn "$a: BIND_NOW"
	assert_grep '\(FLAGS_1\) +Flags: NOW PIE' dyn "$a: NOW PIE"
	assert_no_grep '\(NEEDED\)' dyn "$a: shared libraries"
	awk '$1 == "LOAD" { print $NF }' hdr | sort -u >align
	assert_eq "$PAGE" "$(cat align)" "$a: alignment of every LOAD segment"
	echo "$a: $(stat -c %s "$BIN") bytes"
	# The x86-64 binary's budget: 32 KiB, hardening included. The file
	# grows a page at a time (RELRO ends on a page), so a few bytes too
	# many show here as 36 KiB.
	[ "$a" != amd64 ] || [ "$(stat -c %s "$BIN")" -le 32768 ] ||
		fail "amd64: $(stat -c %s "$BIN") bytes, over the 32 KiB budget"
	"$TRIPLET-objdump" -d "$ELF" >dis
	n=$(grep -cE '<__stack_chk_fail' dis)
	[ "$n" -ge 10 ] || fail "$a: $n calls of __stack_chk_fail: no stack protector"
	echo "$a: $n canary checks"
	if [ -n "$PROBE" ]; then
		assert_grep "$PROBE" dis "$a: stack-clash probe"
		echo "$a: $(grep -cE "$PROBE" dis) stack-clash probes"
	else
		echo "$a: NOTE: gcc 12 cannot probe stack frames on this architecture"
	fi
	# Natively run binaries show their own mappings (qemu-user's /proc
	# shows qemu's).
	[ -n "$QEMU" ] || relro_applied "$BIN"
	"$TRIPLET-strip" -s -o stripped "$ELF"
	"$TESTS/../tools/sstrip" stripped
	cmp stripped "$BIN" || fail "$a: dist binary is not build/$a/pidone.elf stripped"
	# hardening-check reads sections and a dynamic loader's view: it
	# misreads a static PIE (no PT_INTERP, no sections). Shown, not trusted.
	if command -v hardening-check >/dev/null; then
		echo "hardening-check on build/$a/pidone.elf says:"
		hardening-check "$ELF" 2>&1 | sed 's/^/    /' || true
	fi
}

# relro_applied BIN: BIN, running, has made its GNU_RELRO range read-only:
# every page of it lies in a mapping of BIN without write permission. musl
# relocates a static PIE itself and leaves those pages writable; pidone
# applies the header itself at start (harden.c). The pages are those whole
# ones the range covers, as loaders round them: its end is page-aligned.
relro_applied() {
	local bin=$1 pid base lo hi vaddr size page start end perm off path ok=0
	need_cmd readelf
	read -r vaddr size <<<"$(readelf -lW "$bin" | awk '$1 == "GNU_RELRO" { print $3, $6 }')"
	[ -n "$vaddr" ] || fail "$bin: no GNU_RELRO header"
	"$bin" sleep 60 &
	pid=$!
	wait_sigwait $pid
	page=$(getconf PAGESIZE)
	# The load base: where the mapping of the file's first page starts.
	base=$(awk -v f="$(readlink -f "$bin")" '$6 == f && $3 == "00000000" { split($1, a, "-"); print a[1]; exit }' /proc/$pid/maps)
	[ -n "$base" ] || { kill $pid; fail "$bin: no mapping of the file at offset 0"; }
	lo=$(( (0x$base + vaddr) / page * page ))
	hi=$(( (0x$base + vaddr + size) / page * page ))
	[ $hi -gt $lo ] || { kill $pid; fail "$bin: GNU_RELRO covers no whole page"; }
	while read -r range perm off _ _ path; do
		start=$((0x${range%-*})) end=$((0x${range#*-}))
		[ $start -lt $hi ] && [ $end -gt $lo ] || continue
		echo "relro pages $(printf %x $lo)-$(printf %x $hi) lie in: $range $perm"
		case $perm in
		r-*) ok=1 ;;
		*) kill $pid; fail "$bin: its RELRO pages are writable ($range $perm)" ;;
		esac
	done </proc/$pid/maps
	kill $pid
	wait $pid 2>/dev/null
	[ $ok = 1 ] || fail "$bin: no mapping holds its RELRO pages"
}

# The pidone under test, whichever C library it was built with.
test_relro_applied() {
	relro_applied "$PIDONE"
}

# as_pid1 ARCH: exit status, death by signal, forwarding to the group,
# orphans reaped, and the grace period for leftovers, with ARCH's pidone
# as PID 1 of a new PID namespace.
as_pid1() {
	local a=$1 rc code sig
	use_arch "$a"
	need_helpers die sigrec orphans grace_rec
	for code in 0 1 7 100 255; do
		rc=0; pid1 sh -c "exit $code" || rc=$?
		assert_eq "$code" "$rc" "$a: exit status"
	done
	# Under qemu a real-time signal's number in the wait status is qemu's
	# translation (the host's 40 reaches the guest as 38), so only the
	# native binaries are asked about 40.
	for sig in 1 2 9 11 15 ${QEMU:-40}; do
		[ "$sig" = "$QEMU" ] && continue
		rc=0; pid1 "$HELPERS/die" "$sig" 2>/dev/null || rc=$?
		assert_eq $((128 + sig)) "$rc" "$a: command killed by signal $sig"
	done
	# Every signal core.sh forwards, and the highest real-time ones.
	FORWARDED="$FORWARDED 63 64"
	forward_all pid1
	group_gets_all
	rm -f pidone.out pidone.err cmd grandchild
	FINISHED= UNSHARE= PIDONE_PID=
	orphans_pid1 300 "$a"
	# A leftover that ends on TERM finishes its work in the grace period.
	pid1 -G 10s -- sh -c "setsid -f $HELPERS/grace_rec -t 5 left.log; until grep -q ready left.log 2>/dev/null; do sleep 0.01; done; exit 5" 2>err
	assert_eq 5 $? "$a: exit status with a leftover"
	assert_eq 1 "$(grep -c '^term$' left.log)" "$a: SIGTERMs the leftover received"
	assert_eq 20 "$(grep -c '^record ' left.log)" "$a: records the leftover wrote"
	assert_eq 1 "$(grep -c '^done$' left.log)" "$a: the leftover finished"
	# One that ignores TERM is killed when the grace period ends.
	pid1 -v -G 300ms -- sh -c "$HELPERS/grace_rec -i ig.log & until grep -q ready ig.log 2>/dev/null; do sleep 0.01; done; exit 7" 2>err
	assert_eq 7 $? "$a: exit status with a leftover that ignores TERM"
	assert_eq 1 "$(grep -c '^term$' ig.log)" "$a: SIGTERMs received"
	assert_eq 0 "$(grep -c '^done$' ig.log)" "$a: a process that ignores TERM finished"
	assert_grep '^pidone: grace: sending KILL to [0-9]+ \(grace_rec\)$' err "$a: KILL at the end of grace"
}

# unit ARCH: the Check unit tests built for ARCH; under qemu, only the
# ones that read what qemu cannot show (see the top of this file) may fail.
unit() {
	local a=$1 t="$TESTS/../build/$1/check_pidone" allowed=""
	use_arch "$a"
	[ -x "$t" ] || fail "no $t: run make dist-unit (make check does)"
	# Each reads /proc of the emulated process, which shows qemu's state:
	# its stat (stat_self, walk), its host signal masks (block_all, masks,
	# exact_mask, exec_here_fails) and the host system call it sleeps in
	# (waits_sigwait).
	[ -n "$QEMU" ] && allowed="runtime:block_all start:exact_mask read:stat_self
		read:walk read:masks start:exec_here_fails waits:waits_sigwait"
	CK_FORK=yes "$t" >unit.log 2>&1
	grep -E '^[0-9]+%: Checks' unit.log || { cat unit.log; fail "$a: no Check summary"; }
	grep -E '^[^ ]+:[0-9]+:[FE]:' unit.log | cut -d: -f4,5 | sort -u >failed || true
	for f in $(cat failed); do
		case " $(echo $allowed) " in
		*" $f "*) echo "$a: $f fails under qemu, as expected" ;;
		*) cat unit.log; fail "$a: unit test $f failed" ;;
		esac
	done
	# As many as the native amd64 build runs: none left out.
	assert_eq "$(CK_FORK=yes "$TESTS/../build/amd64/check_pidone" 2>&1 |
		sed -n 's/.*Checks: \([0-9]*\),.*/\1/p')" \
		"$(sed -n 's/.*Checks: \([0-9]*\),.*/\1/p' unit.log)" "$a: unit tests run"
}

for a in $ARCHES; do
	eval "test_${a}_elf() { elf_facts $a; }"
	eval "test_${a}_pid1() { as_pid1 $a; }"
	[ "$a" = riscv64 ] || eval "test_${a}_unit() { unit $a; }"
done

# Two builds of the same sources, in folders of different names and
# depths, at different times, give the same bytes: no time stamps, no
# build paths.
test_reproducible() {
	local top="$TESTS/.." d
	need_cmd make sha256sum
	for d in one deeper/second; do
		mkdir -p "$d/src"
		(cd "$top" && cp -r Makefile mk tools man *.c *.h "$OLDPWD/$d/src/")
		# The copy has no .git: name the commit --version carries.
		make -s -C "$d/src" dist COMMIT="$(git -C "$top" rev-parse --short=12 HEAD 2>/dev/null)" \
			>"$d.log" 2>&1 || { cat "$d.log"; fail "make dist in $d"; }
	done
	cmp one/src/dist/SHA256SUMS deeper/second/src/dist/SHA256SUMS ||
		{ diff one/src/dist/SHA256SUMS deeper/second/src/dist/SHA256SUMS; fail "two builds differ"; }
	grep -c pidone- one/src/dist/SHA256SUMS | grep -qx 7 || fail "not 7 binaries"
	cmp one/src/dist/SHA256SUMS "$top/dist/SHA256SUMS" ||
		fail "the tree's dist/ differs from a fresh build of its sources"
	! grep -l "$PWD" one/src/dist/pidone-* || fail "a build path in a binary"
}
