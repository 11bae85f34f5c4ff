#!/usr/bin/python3
"""Random command lines against the real pidone binary.

cli.py PIDONE COUNT [SEED]: run PIDONE COUNT times with random arguments and
environment drawn from its own grammar (options, values good and bad, signal
names, durations, variables) and random bytes, the command always `true` or
`false`, so that nothing else runs. It checks what a user would see:
pidone never dies of a signal; it exits with a documented status (0 or 1,
the command's; 100 bad input; 111; 127) within a deadline; a status of 100
comes with exactly one line on stderr, ending "(see pidone --help)". Pause
mode (-P) and the exec helper's terminal games are left out: -P waits for a
signal by design. Prints "N passed, N failed" and exits non-zero on a
failure, after printing the command line that broke.
"""
import os, random, subprocess, sys, tempfile

pidone, count = sys.argv[1], int(sys.argv[2])
# The only commands a random line can find: true and false.
bindir = tempfile.mkdtemp(prefix="pidone-cli.")
for c in ("true", "false"):
    os.symlink("/bin/" + c, os.path.join(bindir, c))
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)

SIGS = ["TERM", "SIGTERM", "term", "15", "0", "65", "RTMIN", "RTMIN+3",
        "RTMAX-1", "rtmax-30", "RTMIN+31", "KILL", "STOP", "CHLD", "IOT",
        "BOGUS", "", "SIG", "-1", "99999999999999999999"]
DURS = ["0", "3", "3s", "500ms", "2m", "86400", "86401", "4294968", "1h",
        "", "-1", "1.5", "000000000000000000000000003", "ms"]
CODES = ["0", "143", "255", "256", "-1", "x", "", "007"]
OPTS = ["-c", "-g", "-s", "-v", "-vv", "-w", "-W", "-x", "--setsid",
        "--setpgid", "-i", "--format=tsv", "--format=text", "--format=json",
        "-h", "-V", "-l", "--help", "--version", "--license", "--bogus",
        "-Z", "-", "--", "--help=1", "--single-child", "--process-group",
        "--subreaper", "--wait-all", "--verbose", "--warn-reap", "--exec",
        "--inspect"]
VALUED = {"-p": SIGS, "--pdeath-signal": SIGS, "-e": CODES,
          "--expect": CODES, "-G": DURS, "--grace": DURS, "-D": DURS,
          "--drain": DURS, "-r": None, "--rewrite": None}
VARS = {"PIDONE_GRACE": DURS, "PIDONE_DRAIN": DURS, "PIDONE_VERBOSE": CODES,
        "PIDONE_EXPECT": CODES, "PIDONE_PDEATH_SIGNAL": SIGS,
        "PIDONE_REWRITE": None, "PIDONE_SINGLE_CHILD": ["0", "1", "", "yes"],
        "PIDONE_WAIT_ALL": ["0", "1"], "PIDONE_SUBREAPER": ["0", "1"],
        "PIDONE_WARN_REAP": ["0", "1"], "TINI_VERBOSITY": CODES,
        "TINI_SUBREAPER": [""], "DUMB_INIT_SETSID": ["0", "1"]}


def junk():
    n = rng.randint(0, 12)
    return bytes(rng.choice(b"\n\t -:,=01SIGTERMabc\x01\x7f\xff")
                 for _ in range(n)).decode("latin-1")


def value(choices):
    if choices is None:
        choices = [a + ":" + b for a in SIGS[:8] for b in SIGS[:6]] + [
            "TERM", ":", "TERM:", "KILL:TERM", "TERM:USR1, INT:0"]
    return rng.choice(choices) if rng.random() < 0.85 else junk()


def command_line():
    args = []
    for _ in range(rng.randint(0, 6)):
        r = rng.random()
        if r < 0.45:
            args.append(rng.choice(OPTS))
        elif r < 0.9:
            opt = rng.choice(list(VALUED))
            v = value(VALUED[opt])
            if opt.startswith("--") and rng.random() < 0.5:
                args.append(opt + "=" + v)
            elif rng.random() < 0.3 and not opt.startswith("--"):
                args.append(opt + v)
            else:
                args += [opt, v]
        else:
            args.append(junk())
    if rng.random() < 0.9:
        args += ["--", rng.choice(["true", "false"])]
    env = {"PATH": bindir}
    for _ in range(rng.randint(0, 3)):
        name = rng.choice(list(VARS))
        env[name] = value(VARS[name])
    return args, env


def check(args, env):
    try:
        p = subprocess.run([pidone] + args, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=10)
    except subprocess.TimeoutExpired:
        return "no exit within 10 s"
    except ValueError:
        return None  # a NUL byte: no such command line can exist
    rc, err = p.returncode, p.stderr
    if rc < 0:
        return "killed by signal %d" % -rc
    if rc not in (0, 1, 100, 111, 127):
        return "exit status %d" % rc
    if rc == 100 and (err.count(b"\n") != 1 or
                      not err.endswith(b"(see pidone --help)\n")):
        return "status 100 with stderr %r" % err
    return None


passed = failed = 0
for _ in range(count):
    args, env = command_line()
    if "-P" in args or "--pause" in args:
        continue
    why = check(args, env)
    if why is None:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s: pidone %r with %r" % (why, args, env))
        if failed >= 5:
            break
for c in ("true", "false"):
    os.unlink(os.path.join(bindir, c))
os.rmdir(bindir)
print("cli: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
