# The man page lists every message pidone can print, and --help mirrors its
# SYNOPSIS. Checked against the sources, so that a new message cannot be
# added without its line in DIAGNOSTICS.

# Every say()/note() format and every bad() text in the sources has a line
# in the man page's DIAGNOSTICS that starts with its fixed part (up to the
# first conversion).
test_every_message_in_man_page() {
	need_cmd python3
	python3 - "$TESTS/.." <<'PY' || fail "messages missing from man/pidone.1"
import re, sys, os
top = sys.argv[1]
man = open(os.path.join(top, "man/pidone.1")).read()
diag = man[man.index(".Sh DIAGNOSTICS"):man.index(".Sh SEE ALSO")]
lines = [l[len(".It Li "):] for l in diag.splitlines() if l.startswith(".It Li ")]
lit = r'((?:"(?:[^"\\]|\\.)*"\s*)+)'
missing, seen = [], 0
for f in sorted(os.listdir(top)):
    if not f.endswith(".c"):
        continue
    src = open(os.path.join(top, f)).read()
    found = [("say", m) for m in re.findall(r'\bsay\(\s*[^,]+,\s*' + lit, src)]
    found += [("warn", m) for m in re.findall(r'\bwarn\(\s*(?:[^"]*\?\s*)?' + lit, src)]
    found += [("warn", m) for m in re.findall(r'\bnote\(\s*\d\s*,\s*' + lit, src)]
    found += [("bad", m) for m in re.findall(r'\bbad\(\s*' + lit, src)]
    # A message chosen by a condition: both texts of warn(c ? "a" : "b"),
    # and the texts given to a variable named line for note(n, line, ...).
    for a, b in re.findall(r'\bwarn\(\s*[^"(;]*\?\s*' + lit + r'\s*:\s*' + lit, src):
        found += [("warn", a), ("warn", b)]
    found += [("warn", m) for m in re.findall(r'\bline\s*=\s*' + lit + r'\s*;', src)]
    for kind, m in found:
        text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m))
        if kind in ("bad", "warn"):
            text = "pidone: " + text
        fixed = text.split("%")[0]
        # What --inspect prints to standard output is not a diagnostic.
        if not fixed.startswith("pidone: ") or fixed == "pidone: ":
            continue
        seen += 1
        # A bad value from the environment is reported after the
        # variable's name: "pidone: VARIABLE: MESSAGE: VALUE".
        alt = "pidone: VARIABLE: " + fixed[len("pidone: "):] if kind == "bad" else None
        if not any(l.startswith(fixed) or (alt and l.startswith(alt)) for l in lines):
            missing.append(f"{f}: {text}")
print(f"{seen} messages checked")
for m in missing:
    print("not in DIAGNOSTICS:", m)
sys.exit(1 if missing or seen < 30 else 0)
PY
}

# pidone --help prints the SYNOPSIS lines of the man page, option for option.
test_help_mirrors_synopsis() {
	"$PIDONE" --help >help || fail "--help exit $?"
	for opt in -c -g -s -v -w -W -p -e -r -G -D -P -x -i -h -V -l \
		--setsid --setpgid --format; do
		grep -q -- "$opt" help || fail "--help does not mention $opt"
		grep -q -- "$opt\b\|Fl ${opt#-}\b\|Fl \\\\-${opt#--}" "$TESTS/../man/pidone.1" ||
			fail "man page does not mention $opt"
	done
	assert_grep '^usage: pidone \[-cgsvwW\] \[-p SIG\] \[-e CODE\] \[-r FROM:TO\] \[-G DURATION\]' help "synopsis line 1"
	assert_grep '^ +pidone -x \[-v\] \[--setsid \| --setpgid\] \[--\] COMMAND' help "exec synopsis"
}
