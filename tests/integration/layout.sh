# The layout README.md states: the sources form layers, and no file calls
# a file above its own layer. Each file's functions are declared in a
# header of its own name, so a file's #include lines name every file it
# calls. Also: init.c stays an outline, under 400 lines.

# layer FILE: the layer of a source file (by its base name), as README.md's
# table gives it; empty for a file the table does not know.
layer() {
	awk -F'|' -v f="\`$1.c\`" '$3 ~ f { gsub(/ /, "", $2); print $2 }' \
		"$TESTS/../README.md"
}

test_no_file_calls_upward() {
	local top=$TESTS/.. c base mine h dep theirs bad=0 n=0
	for c in "$top"/*.c; do
		base=$(basename "$c" .c)
		mine=$(layer "$base")
		[ -n "$mine" ] || { echo "$base.c is not in README.md's layout table"; bad=1; continue; }
		for h in $(sed -n 's/^#include "\(.*\)\.h"$/\1/p' "$c"); do
			[ "$h" = "$base" ] || [ "$h" = pidone ] && continue
			theirs=$(layer "$h")
			n=$((n + 1))
			if [ -z "$theirs" ] || [ "$theirs" -ge "$mine" ]; then
				echo "$base.c (layer $mine) includes $h.h (layer ${theirs:-none})"
				bad=1
			fi
		done
	done
	[ $n -gt 10 ] || fail "only $n includes checked: the table was not read"
	[ $bad = 0 ] || fail "a file calls upward, or is missing from the table"
}

# Headers include only what their declarations need: never a .c file's
# worth of calls, so no header may name a header of a higher layer than
# its own file's.
test_headers_follow_layers() {
	local top=$TESTS/.. h base mine dep theirs bad=0
	for h in "$top"/*.h; do
		base=$(basename "$h" .h)
		[ "$base" = pidone ] && continue
		mine=$(layer "$base")
		[ -n "$mine" ] || { echo "$base.h has no source file in the table"; bad=1; continue; }
		for dep in $(sed -n 's/^#include "\(.*\)\.h"$/\1/p' "$h"); do
			theirs=$(layer "$dep")
			[ -n "$theirs" ] && [ "$theirs" -lt "$mine" ] ||
				{ echo "$base.h includes $dep.h"; bad=1; }
		done
	done
	[ $bad = 0 ] || fail "a header includes one of its layer or above"
}

test_init_is_an_outline() {
	local n
	n=$(wc -l <"$TESTS/../init.c")
	[ "$n" -lt 400 ] || fail "init.c has $n lines: move a concern out"
}

# The vfork child's rule: child.c calls nothing that writes pidone's
# state (no heap, nothing of the output layer but fmt).
test_child_path_touches_nothing_shared() {
	local c=$TESTS/../child.c
	# Of the output layer, only fmt: it formats into the caller's buffer,
	# with no state, lock or heap. errstr keeps a buffer of out.c's.
	assert_no_grep '\b(malloc|calloc|realloc|free|printf|fprintf|warn|say|note|errstr|write_all|out_[a-z_]+)\(' \
		"$c" "child.c allocates, prints or uses the output layer's state"
}

# out.c's vfmt knows %s, %c, %d, %lld and %%: printf's checks (the format
# attribute in out.h) see the argument types, this sees the letters. A %u
# or %ld would print its letter and take the next argument for the one
# after it.
test_formats_vfmt_knows() {
	local bad
	bad=$(grep -nE '%[-0-9]*(u|x|X|o|p|f|g|e|i|ld|lu|llu|h[a-z]|z[a-z]|j[a-z])' \
		"$TESTS"/../*.c | grep -v '^[^:]*:[0-9]*: *\*' || true)
	[ -z "$bad" ] || { echo "$bad"; fail "a conversion vfmt does not know"; }
}
