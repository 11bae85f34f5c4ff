#!/usr/bin/python3
"""Turn the driver's raw TSV into medians and paired ratios.

usage: report.py RAW META.json OUT.json OUT.tsv > table.md

RAW is what bench/driver printed; META.json holds the run's settings, the
machine and the binaries. Writes OUT.json (everything) and OUT.tsv (one row
per target) and prints the markdown table and pidone's targets to stdout.
"""
import json
import os
import random
import statistics
import sys
from collections import defaultdict

RAW = {}  # ("signal" or "signal_free", name) -> round trips in µs
PEERS = ["tini", "tini-static", "dumb-init", "catatonit"]
ORDER = ["pidone"] + PEERS + ["bare", "direct"]


LEGEND = """
Each init runs as `INIT -- COMMAND`, as PID 1 of a new PID and mount
namespace with its own /proc (what `unshare --pid --fork --mount-proc`
sets up), driven by bench/driver.c; targets interleave round by round.
tini and catatonit forward signals to the command only, dumb-init (setsid)
and pidone to its process group. As a plain child tini gets `-s`; the others
need no flag. bare is bench/bare.c, the least an init can do (fork, exec,
`waitpid(-1, WNOHANG)` until 0, sigwaitinfo), static musl: the floor.

- start+exit: wall time of `INIT -- /bin/true` minus that of `/bin/true`
  alone in the same set-up and round; median, and median paired ratio.
- reap piled: %(n)d orphans, double-forked, left as zombies while the init
  is stopped with SIGSTOP; the clock runs from SIGCONT until the init has no
  child but the command (/proc/PID/task/PID/children, polled every 100 µs).
  k/s = orphans per second, median over rounds; (x) = bare's time over the
  init's in the same round, > 1 is faster than bare.
- reap while made: the same orphans made one per intermediate child while
  the init runs; the clock runs from the first. The maker sets the pace.
- init CPU per orphan: the init's own CPU time (/proc/PID/schedstat) over
  the same window, which waiting for a CPU on a busy machine does not
  inflate; (x) = the init's over bare's in the same round, < 1 is cheaper.
- signal RTT: kill(SIGUSR1) on the init until the command's handler has
  written a byte back on a pipe; "one CPU": driver, init and command pinned
  to CPU 0; "direct": signalling the command itself, running as PID 1.
- idle wake-ups: voluntary and involuntary context switches of the init over
  %(s)d s, with a command blocked in read(2); memory of the same idle init.
"""


def median(xs):
    return statistics.median(xs) if xs else None


def pct(xs, p):
    """The p-th percentile, nearest rank."""
    if not xs:
        return None
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100.0 * len(xs) + 0.5)) - 1))
    return xs[k]


def iqr(xs):
    if len(xs) < 4:
        return None
    q = statistics.quantiles(xs, n=4)
    return q[2] - q[0]


def boot_diff(a, b, n=300):
    """95% bootstrap interval of median(a) - median(b)."""
    rnd = random.Random(1)
    ds = sorted(statistics.median(rnd.choices(a, k=len(a))) -
                statistics.median(rnd.choices(b, k=len(b)))
                for _ in range(n))
    return ds[int(0.025 * n)], ds[int(0.975 * n) - 1]


def spread(xs):
    """Interquartile range, or the range for fewer than 4 values."""
    if len(xs) < 2:
        return 0.0
    return iqr(xs) if len(xs) >= 4 else max(xs) - min(xs)


def is_static(path):
    """An ELF file without a PT_INTERP program header is static."""
    try:
        with open(path, "rb") as f:
            h = f.read(64)
            if h[:4] != b"\x7fELF" or h[4] != 2:
                return None
            phoff = int.from_bytes(h[32:40], "little")
            phentsize = int.from_bytes(h[54:56], "little")
            phnum = int.from_bytes(h[56:58], "little")
            f.seek(phoff)
            for _ in range(phnum):
                ph = f.read(phentsize)
                if int.from_bytes(ph[0:4], "little") == 3:
                    return False
            return True
    except OSError:
        return None


def load(raw):
    startup = defaultdict(dict)     # (setup, round) -> name -> ns
    reap = defaultdict(dict)        # (mode, round) -> name -> (wall, cpu, n)
    sig = defaultdict(list)         # (pinned|free, name) -> [ns]
    idle = {}
    for line in open(raw):
        f = line.rstrip("\n").split("\t")
        if f[0] == "startup" and f[5] == "0":
            startup[(f[1], int(f[3]))][f[2]] = int(f[4])
        elif f[0] == "reap":
            reap[(f[1], int(f[3]))][f[2]] = (int(f[5]), int(f[6]), int(f[4]),
                                             int(f[7]))
        elif f[0] == "signal":
            sig[(f[1], f[2])].append(int(f[4]))
        elif f[0] == "idle":
            idle[f[1]] = dict(seconds=int(f[2]), voluntary=int(f[3]),
                              nonvoluntary=int(f[4]), vmrss_kb=int(f[5]),
                              vmhwm_kb=int(f[6]))
    return startup, reap, sig, idle


def wins(reap, mode, a, b, i):
    """Rounds of reap MODE where a beat b on field i (0 wall, 1 CPU)."""
    w = n = 0
    for (m, _), runs in reap.items():
        if m == mode and a in runs and b in runs:
            n += 1
            w += runs[a][i] < runs[b][i]
    return w, n


def summarize(meta, startup, reap, sig, idle):
    res = {name: {"name": name} for name in ORDER}
    for name, b in meta["binaries"].items():
        path = os.path.realpath(b["path"])
        res[name].update(path=b["path"], flags=b["flags"],
                         size=os.path.getsize(path), static=is_static(path))
    # Startup: pair each run with the bare command's run of the same round.
    for setup in ("ns", "child"):
        by = defaultdict(lambda: ([], []))
        for (s, _), runs in startup.items():
            if s != setup or "direct" not in runs:
                continue
            d = runs["direct"]
            for name, t in runs.items():
                by[name][0].append((t - d) / 1000.0)
                by[name][1].append(t / d)
        for name, (over, ratio) in by.items():
            res[name]["startup_" + setup] = dict(
                rounds=len(over), overhead_us=median(over),
                overhead_iqr_us=iqr(over), ratio=median(ratio))
    # Reap: wall throughput, and the init's own CPU time per orphan, which
    # the time spent waiting for a CPU on a busy machine does not inflate;
    # each paired with bare's run of the same round.
    for mode in ("piled", "made"):
        by = defaultdict(lambda: ([], [], [], []))
        for (m, _), runs in reap.items():
            if m != mode:
                continue
            b = runs.get("bare")
            for name, (wall, cpu, n, seen) in runs.items():
                by[name][0].append(n / (wall / 1e9))
                by[name][1].append(cpu / n / 1000.0)
                if b:
                    by[name][2].append(b[0] / wall)
                    by[name][3].append(cpu / b[1])
        for name, (rate, cpu, rel, crel) in by.items():
            wall_wins = {o: wins(reap, mode, name, o, 0) for o in by}
            cpu_wins = {o: wins(reap, mode, name, o, 1) for o in by}
            res[name]["reap_" + mode] = dict(
                wall_wins=wall_wins, cpu_wins=cpu_wins,
                per_s_iqr=spread(rate), cpu_us_iqr=spread(cpu),
                runs=len(rate), per_s=median(rate), per_s_best=max(rate),
                vs_bare=median(rel) if rel else None,
                cpu_us_each=median(cpu), cpu_us_best=min(cpu),
                cpu_vs_bare=median(crel) if crel else None)
    for (cpus, name), xs in sig.items():
        d = median(sig.get((cpus, "direct"), []))
        us = [x / 1000.0 for x in xs]
        key = "signal" if cpus == "pinned" else "signal_free"
        RAW[(key, name)] = us
        res[name][key] = dict(
            count=len(xs), median_us=median(us), p99_us=pct(us, 99),
            added_us=(median(xs) - d) / 1000.0 if d else None)
    for name, v in idle.items():
        res[name]["idle"] = v
    return res


def f1(x, fmt="%.1f"):
    return "–" if x is None else fmt % x


def table(meta, res):
    rows = []
    head = ["init (flags)", "size", "static", "start+exit, PID 1: "
            "overhead µs (ratio)", "as plain child", "reap piled: k/s "
            "(vs bare)", "reap while made: k/s (vs bare)",
            "init CPU µs per orphan, piled / made (vs bare)",
            "signal RTT, one CPU, µs: median / p99", "added vs direct µs",
            "signal, any CPU: median (added) µs", "idle wake-ups",
            "VmRSS / VmHWM kB"]
    rows.append("| " + " | ".join(head) + " |")
    rows.append("|" + "---|" * len(head))
    for name in ORDER:
        r = res[name]
        if len(r) == 1:
            continue
        if name == "direct":
            label = "no init (command alone)"
        elif name == "bare":
            label = "bare (waitpid loop, floor)"
        else:
            label = "%s `%s`" % (name, r.get("flags", ""))
        size = "%.1f KiB" % (r["size"] / 1024.0) if "size" in r else "–"
        static = {True: "yes", False: "no"}.get(r.get("static"), "–")

        def st(k):
            s = r.get(k)
            if not s or name == "direct":
                return "0 (1)" if s else "–"
            return "%s (%.2f)" % (f1(s["overhead_us"], "%.0f"), s["ratio"])

        def rp(k):
            s = r.get(k)
            if not s:
                return "–"
            return "%s (%s)" % (f1(s["per_s"] / 1000.0),
                                f1(s["vs_bare"], "%.2f"))
        def cp(k):
            s = r.get(k)
            if not s:
                return "–"
            return "%.2f (%s)" % (s["cpu_us_each"],
                                  f1(s["cpu_vs_bare"], "%.2f"))
        cpu = "%s / %s" % (cp("reap_piled"), cp("reap_made"))
        s = r.get("signal")
        rtt = "%s / %s" % (f1(s["median_us"]), f1(s["p99_us"])) if s else "–"
        added = f1(s["added_us"], "%+.1f") if s else "–"
        s = r.get("signal_free")
        free = "%s (%s)" % (f1(s["median_us"]), f1(s["added_us"], "%+.1f")) \
            if s else "–"
        i = r.get("idle")
        wake = ("%d" % (i["voluntary"] + i["nonvoluntary"])) if i else "–"
        mem = "%d / %d" % (i["vmrss_kb"], i["vmhwm_kb"]) if i else "–"
        rows.append("| " + " | ".join([
            label, size, static, st("startup_ns"), st("startup_child"),
            rp("reap_piled"), rp("reap_made"), cpu, rtt, added,
            free, wake, mem]) + " |")
    return "\n".join(rows)


def targets(res):
    """pidone against 0.2's targets (size with hardening; start-up and
    reaping CPU at the bare loop's floor; forwarding; no idle wake-ups;
    memory), one line each."""
    p = res["pidone"]
    out = []

    def line(ok, text):
        if ok is None:
            ok = "within noise"
        out.append("- %s: %s" % ("met" if ok is True else "MISSED"
                                 if ok is False else ok, text))

    def best(key, sub, fn=min):
        vals = [res[n][key][sub] for n in PEERS
                if key in res[n] and res[n][key][sub] is not None]
        return fn(vals) if vals else None

    def best_name(key, sub, fn=min):
        b = best(key, sub, fn)
        return [n for n in PEERS if key in res[n] and
                res[n][key][sub] == b][0]

    def verdict(ok, w, diff, noise):
        """Missed, but by less than the spread of the runs, or pidone won
        at least 30% of the paired rounds: within noise."""
        if ok:
            return True
        if abs(diff) < noise or (w[1] and w[0] >= 0.3 * w[1]):
            return None
        return False

    line(p["size"] <= 32 * 1024 and p["static"],
         "size <= 32 KiB, static, hardened: %.1f KiB, static %s" %
         (p["size"] / 1024.0, p["static"]))
    b = best("startup_ns", "overhead_us")
    o = p["startup_ns"]["overhead_us"]
    fl = res["bare"]["startup_ns"]["overhead_us"] \
        if "startup_ns" in res.get("bare", {}) else None
    line(fl is not None and o <= fl * 1.1 + 5,
         "startup overhead at the bare loop's floor (within 10%%, or 5 µs of "
         "clock granularity): %.0f µs vs bare %.0f µs; best peer %.0f µs "
         "(pidone %.2f of it)" % (o, fl or 0, b, o / b if b else float("nan")))
    for mode in ("piled", "made"):
        k = "reap_" + mode
        pc = p[k]["cpu_us_each"]
        bn = best_name(k, "cpu_us_each")
        bc = res[bn][k]["cpu_us_each"]
        cb = p[k]["cpu_vs_bare"]
        w = p[k]["cpu_wins"][bn]
        noise = p[k]["cpu_us_iqr"]
        line(verdict(cb is not None and cb <= 1.1, (0, 0),
                     (cb or 0) - 1.1, noise / pc if pc else 0),
             "reap %s, init CPU within 10%% of bare: %.2f µs per orphan, "
             "%.2f of bare; best peer %s %.2f µs, pidone cheaper in %d of "
             "%d rounds; spread (IQR) %.2f µs" %
             (mode, pc, cb or 0, bn, bc, w[0], w[1], noise))
    bn = best_name("signal", "added_us")
    b = res[bn]["signal"]["added_us"]
    a = p["signal"]["added_us"]
    lo, hi = boot_diff(RAW[("signal", "pidone")], RAW[("signal", bn)])
    line(True if hi < 0 else False if lo > 0 else None,
         "forwarding latency below every peer's (one CPU): %+.1f µs over "
         "direct vs best peer %s %+.1f µs (pidone minus it: 95%% interval "
         "%+.2f..%+.2f µs; p99 %.1f vs best peer %.1f µs)" %
         (a, bn, b, lo, hi, p["signal"]["p99_us"], best("signal", "p99_us")))
    if "signal_free" in p:
        b = best("signal_free", "added_us")
        a = p["signal_free"]["added_us"]
        out.append("- not judged: the same on any CPU, where the scheduler's "
                   "placement of each init for the whole run decides: %+.1f "
                   "µs vs best peer %+.1f µs" % (a, b))
    i = p["idle"]
    w = i["voluntary"] + i["nonvoluntary"]
    line(w == 0, "zero idle wake-ups: %d in %d s" % (w, i["seconds"]))
    line(i["vmrss_kb"] <= 100, "VmRSS <= 100 KB: %d kB (VmHWM %d kB)" %
         (i["vmrss_kb"], i["vmhwm_kb"]))
    return "\n".join(out)


def main():
    raw, metapath, outjson, outtsv = sys.argv[1:5]
    meta = json.load(open(metapath))
    res = summarize(meta, *load(raw))
    json.dump(dict(meta=meta, results=[res[n] for n in ORDER]),
              open(outjson, "w"), indent=1)
    with open(outtsv, "w") as f:
        cols = ["name", "flags", "size", "static", "startup_ns_overhead_us",
                "startup_ns_ratio", "startup_child_overhead_us",
                "startup_child_ratio", "reap_piled_per_s",
                "reap_piled_vs_bare", "reap_piled_cpu_us",
                "reap_piled_cpu_vs_bare", "reap_made_per_s",
                "reap_made_vs_bare", "reap_made_cpu_us",
                "reap_made_cpu_vs_bare", "signal_median_us",
                "signal_p99_us", "signal_added_us", "signal_free_median_us",
                "signal_free_added_us", "idle_wakeups",
                "vmrss_kb", "vmhwm_kb"]
        f.write("\t".join(cols) + "\n")
        for n in ORDER:
            r = res[n]
            g = lambda k, s: (r.get(k) or {}).get(s)
            i = r.get("idle") or {}
            vals = [n, r.get("flags"), r.get("size"), r.get("static"),
                    g("startup_ns", "overhead_us"), g("startup_ns", "ratio"),
                    g("startup_child", "overhead_us"),
                    g("startup_child", "ratio"), g("reap_piled", "per_s"),
                    g("reap_piled", "vs_bare"),
                    g("reap_piled", "cpu_us_each"),
                    g("reap_piled", "cpu_vs_bare"), g("reap_made", "per_s"),
                    g("reap_made", "vs_bare"), g("reap_made", "cpu_us_each"),
                    g("reap_made", "cpu_vs_bare"), g("signal", "median_us"),
                    g("signal", "p99_us"), g("signal", "added_us"),
                    g("signal_free", "median_us"),
                    g("signal_free", "added_us"),
                    (i["voluntary"] + i["nonvoluntary"]) if i else None,
                    i.get("vmrss_kb"), i.get("vmhwm_kb")]
            f.write("\t".join("" if v is None else
                              ("%.3f" % v if isinstance(v, float) else str(v))
                              for v in vals) + "\n")
    m = meta
    print("pidone %s benchmark, %s; %s CPUs (%s), Linux %s; load %s -> %s" %
          (m.get("rev", "?"), m["date"], m["nproc"], m["cpu"], m["kernel"],
           m["load_before"], m["load_after"]))
    print("startup: median of %d paired rounds; reap: N=%d orphans, median of"
          " %d rounds piled, %d made; signals: %d per target; idle: %d s\n" %
          (m["startup_rounds"], m["reap_n"], m["reap_rounds"],
           m.get("made_rounds", m["reap_rounds"]),
           m["signal_count"], m["idle_seconds"]))
    print(table(meta, res))
    print(LEGEND % dict(n=m["reap_n"], s=m["idle_seconds"]))
    print("\npidone against 0.2's targets:\n")
    print(targets(res))


if __name__ == "__main__":
    main()
