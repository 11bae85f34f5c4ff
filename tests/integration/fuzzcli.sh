# Random command lines and environments against the real binary
# (fuzz/cli.py): never a signal death, only documented exit statuses, and
# exactly one line on stderr for bad input. A fixed seed, so that a failure
# reproduces; make fuzz-cli runs many more with a fresh one.

test_random_command_lines() {
	[ -x /usr/bin/python3 ] || skip "needs /usr/bin/python3"
	/usr/bin/python3 "$TESTS/../fuzz/cli.py" "$PIDONE" 4000 20261201 >out 2>&1 ||
		{ cat out; fail "a random command line broke a rule"; }
	assert_grep '^cli: 4000 passed, 0 failed$' out "summary"
}
