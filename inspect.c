/*
 * inspect.c: pidone --inspect. What /proc says of the PID namespace pidone
 * runs in, for someone whose container will not stop: the process tree,
 * the process groups and sessions, what each process does with the signals
 * that stop containers, and findings in plain words. It needs no pidone as
 * PID 1, and no heap: one fixed table.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "inspect.h"
#include "judge.h"
#include "out.h"
#include "pidone.h"
#include "proc.h"
#include "signals.h"

#define MAXPROC 400
#define PF_KTHREAD 0x00200000UL
#define BIT(sig) ((uint64_t)1 << ((sig) - 1))

/* One process, as /proc showed it. */
struct proc {
	struct facts f;			/* what judging may use */
	char cmd[120];
	char done;			/* already printed in the tree */
};

/*
 * Everything inspect knows, and how it prints. The line being built, and
 * the scratch for a number and for findings, live here rather than in the
 * functions' frames: a function with a local array needs a stack canary.
 */
struct view {
	struct proc t[MAXPROC];
	int n, total;		/* kept, and seen: more when the table is full */
	int tsv, found;
	pid_t self, group;	/* this process; the command's process group */
	int64_t cg[4];		/* the cgroup's counters, -1 where unreadable */
	struct finding out[JUDGE_MAX];
	char num[24];
	size_t len;		/* of line */
	char line[768];
};

/*
 * The one view: in .bss, which takes no bytes of the file and no memory
 * until --inspect touches it, and which every function reaches without a
 * pointer passed along (100 KB on the stack took 350 bytes more code:
 * stack-clash probes, and long offsets from the stack pointer).
 */
static struct view v __attribute__((section(".bss.inspect")));

/* The signals that stop, interrupt or reach a container's processes. */
static const unsigned char common[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM,
	SIGUSR1, SIGUSR2, SIGWINCH, SIGCHLD };

/* Keep one process of the walk; kernel threads are nobody's concern here. */
static int
collect(const struct pinfo *p, void *arg)
{
	struct proc *e = &v.t[v.n];
	char *s;

	(void)arg;
	if (p->flags & PF_KTHREAD)
		return 0;
	if (v.total++ >= MAXPROC)
		return 0;
	e->f.p = *p;
	/* A name may hold any byte: keep rows one line of TSV fields. */
	for (s = e->f.p.comm; *s != '\0'; s++)
		if ((unsigned char)*s < ' ')
			*s = '?';
	proc_masks(p->pid, e->f.mask);
	e->f.waits_known = proc_waits(p->pid, &e->f.mask[M_WAITED]) == 0;
	proc_cmdline(p->pid, e->cmd, sizeof(e->cmd));
	if (e->cmd[0] == '\0')
		fmt(e->cmd, sizeof(e->cmd), "[%s]", p->comm);
	v.n++;
	return 0;
}

/* The table entry of pid, or NULL. */
static struct proc *
lookup(pid_t pid)
{
	int i;

	for (i = 0; i < v.n; i++)
		if (v.t[i].f.p.pid == pid)
			return &v.t[i];
	return NULL;
}

/* Append c to the line, never past its end. */
static void
putch(char c)
{
	if (v.len < sizeof(v.line) - 1)
		v.line[v.len++] = c;
	v.line[v.len] = '\0';
}

/* Append s to the line. */
static void
put(const char *s)
{
	while (*s != '\0')
		putch(*s++);
}

/* Print the line, and start the next. */
static void
flush(void)
{
	say(1, "%s", v.line);
	v.len = 0;
	v.line[0] = '\0';
}

/* Append sep, then x right-aligned in width columns. */
static void
num(char sep, long x, int width)
{
	int len = fmt(v.num, sizeof(v.num), "%lld", (long long)x);

	putch(sep);
	while (len++ < width)
		putch(' ');
	put(v.num);
}

/* Append the PID, PPID, PGID, SID, TPGID and state, each after sep. */
static void
ids(const struct pinfo *p, char sep, int width)
{
	num(sep, p->pid, width);
	num(sep, p->ppid, width);
	num(sep, p->pgid, width);
	num(sep, p->sid, width);
	num(sep, p->tpgid, width);
	putch(sep);
	putch(p->state);
	putch(sep);
}

/*
 * Append the signals of mask, comma-separated: with all set, the common
 * ones by name, or "-" for none; then the real-time ones, as ranges
 * (RTMIN..RTMAX).
 */
static void
sigs(uint64_t mask, int all)
{
	const char *s = "";
	size_t i;
	int a, b;

	for (i = 0; all && i < sizeof(common); i++)
		if (mask & BIT(common[i])) {
			put(s);
			put(sig_name(common[i]));
			s = ",";
		}
	for (a = 32; a < NSIG; a = b + 1) {
		for (b = a; b < NSIG && (mask & BIT(b)); b++)
			;
		if (b == a)
			continue;
		put(s);
		put(sig_name(a));
		if (b - 1 > a) {
			put("..");
			put(sig_name(b - 1));
		}
		s = ",";
	}
	if (*s == '\0' && all)
		put("-");
}

/* Print one process of the tree and, below it, its children. */
static void
tree(struct proc *e, int depth)
{
	int i;

	e->done = 1;
	ids(&e->f.p, ' ', 5);
	for (i = 1; i < depth && i < 16; i++)
		put("   ");
	put(depth > 0 ? "\\_ " : "");
	put(e->cmd);
	flush();
	for (i = 0; i < v.n; i++)
		if (!v.t[i].done && v.t[i].f.p.ppid == e->f.p.pid)
			tree(&v.t[i], depth + 1);
}

/*
 * One process's row: its place, then what it does with each signal: b
 * blocked, i ignored, c caught, w waited for (sigwaitinfo, signalfd), -
 * none of these, ? none that /proc shows, and what it waits for unknown.
 */
static void
row(const struct proc *e)
{
	const uint64_t *m = e->f.mask;
	size_t i, start;
	int k;

	if (v.tsv) {
		put("proc");
		ids(&e->f.p, '\t', 0);
		for (k = 0; k < 3; k++) {
			sigs(m[k], 1);
			putch('\t');
		}
		put(e->f.p.comm);
		putch('\t');
		put(e->cmd);
		putch('\t');
		if (e->f.waits_known)
			sigs(m[M_WAITED], 1);
		else
			putch('?');
		flush();
		return;
	}
	num(' ', e->f.p.pid, 5);
	putch(' ');
	for (i = 0; i < sizeof(common); i++) {
		start = v.len;
		for (k = 0; k < 4; k++)
			if (m[k] & BIT(common[i]))
				putch("bicw"[k]);
		if (v.len == start)
			putch(e->f.waits_known ? '-' : '?');
		while (v.len < start + 6)
			putch(' ');
	}
	for (k = 0; k < 4; k++)
		if (m[k] >> 31) {
			putch("bicw"[k]);
			putch(':');
			sigs(m[k], 0);
			putch(' ');
		}
	while (v.line[v.len - 1] == ' ')
		v.len--;
	v.line[v.len] = '\0';
	flush();
}

/* Print one finding: the process, a stable kind, a related number, advice. */
static void
finding(const struct proc *e, const struct finding *x)
{
	v.found++;
	if (v.tsv)
		say(1, "find\t%d\t%s\t%lld\t%s", e ? (int)e->f.p.pid : 0, x->kind,
		    (long long)x->other, x->text);
	else if (e != NULL)
		say(1, "  pid %d (%s): %s", (int)e->f.p.pid, e->f.p.comm, x->text);
	else
		say(1, "  %s", x->text);
}

/*
 * Every finding about one process, from judge.c, printed: its own, and
 * those about the zombies among its children.
 */
static void
judge_one(const struct proc *e)
{
	const struct proc *pp = lookup(e->f.p.ppid);
	struct scene sc = { v.self, v.group, pp ? pp->f.p.comm : "?", 0 };
	int i, n;

	for (i = 0; i < v.n; i++)
		sc.zombies += v.t[i].f.p.state == 'Z' &&
		    v.t[i].f.p.ppid == e->f.p.pid;
	n = judge(&e->f, &sc, v.out);
	for (i = 0; i < n; i++)
		finding(e, &v.out[i]);
}

/*
 * The command's process group: that of PID 1's oldest live child, the one
 * pidone forwards signals to. 0 when PID 1 has no such child.
 */
static pid_t
command_group(void)
{
	const struct proc *best = NULL;
	int i;

	for (i = 0; i < v.n; i++) {
		const struct proc *e = &v.t[i];

		if (e->f.p.ppid == 1 && e->f.p.state != 'Z' &&
		    e->f.p.pid != v.self &&
		    (best == NULL || e->f.p.start < best->f.p.start))
			best = e;
	}
	return best ? best->f.p.pgid : 0;
}

/*
 * List each session, and below it its process groups with their members,
 * marking each process listed (done, left set by the tree, goes back to 0).
 */
static void
groups(void)
{
	int i, j, k;

	for (i = 0; i < v.n; i++) {
		if (!v.t[i].done)
			continue;
		say(1, "  session %d%s", (int)v.t[i].f.p.sid, v.t[i].f.p.sid ?
		    "" : " (outside this PID namespace)");
		for (k = i; k < v.n; k++) {
			const struct pinfo *g = &v.t[k].f.p;

			if (!v.t[k].done || g->sid != v.t[i].f.p.sid)
				continue;
			v.len = (size_t)fmt(v.line, sizeof(v.line),
			    "    group %d%s:", (int)g->pgid, g->pgid == v.group &&
			    v.group > 0 ? " (the command's)" : "");
			for (j = k; j < v.n; j++)
				if (v.t[j].done && v.t[j].f.p.pgid == g->pgid &&
				    v.t[j].f.p.sid == g->sid) {
					v.t[j].done = 0;
					if (v.len > 700) {
						flush();
						put("     ");
					}
					num(' ', v.t[j].f.p.pid, 0);
				}
			flush();
		}
	}
}

/*
 * The cgroup's counters inspect reports: the v2 file, which is also the
 * name it reports and names the controller before its dot, then the v1
 * file.
 */
static const struct {
	char key[15], v1[22];
} counters[] = {
	{ "pids.current", "pids.current" },
	{ "pids.max", "pids.max" },
	{ "memory.current", "memory.usage_in_bytes" },
	{ "memory.max", "memory.limit_in_bytes" },
};

/*
 * The cgroup's counters, where readable, into v.cg (-1 where not), and
 * printed: rows of TSV, or one line each of text.
 */
static void
cgroup(void)
{
	size_t i;

	if (!v.tsv)
		say(1, "\ncgroup:");
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		if (cgroup_read(counters[i].key, counters[i].v1, &v.cg[i]) < 0) {
			v.cg[i] = -1;
			continue;
		}
		if (v.cg[i] == CGROUP_MAX)
			fmt(v.num, sizeof(v.num), "max");
		else
			fmt(v.num, sizeof(v.num), "%lld", (long long)v.cg[i]);
		say(1, v.tsv ? "cgroup\t%s\t%s" : "  %s %s", counters[i].key,
		    v.num);
	}
}

/* Print the whole report: tree, groups, signals, then findings. */
static void
report(void)
{
	int i;

	if (v.tsv) {
		say(1, "#proc\tpid\tppid\tpgid\tsid\ttpgid\tstate\tblocked\t"
		    "ignored\tcaught\tcomm\tcmdline\twaited");
		say(1, "#find\tpid\tkind\tother\ttext");
		say(1, "#cgroup\tkey\tvalue");
	} else {
		say(1, "   PID  PPID  PGID   SID TPGID S COMMAND");
		for (i = 0; i < v.n; i++)
			if (lookup(v.t[i].f.p.ppid) == NULL)
				tree(&v.t[i], 0);
		say(1, "\nsessions and groups:");
		groups();
		say(1, "\nsignals (b blocked, i ignored, c caught, w waited for, "
		    "- default, ? unknown):\n"
		    "   PID HUP   INT   QUIT  TERM  USR1  USR2  WINCH CHLD  "
		    "real-time");
	}
	for (i = 0; i < v.n; i++)
		row(&v.t[i]);
	cgroup();
	if (!v.tsv)
		say(1, "\nfindings:");
	if (v.total > v.n) {
		v.out[0].kind = "truncated";
		v.out[0].other = v.total;
		fmt(v.out[0].text, sizeof(v.out[0].text), "only the first %d "
		    "of %d processes are shown", v.n, v.total);
		finding(NULL, &v.out[0]);
	}
	for (i = 0; i < v.n; i++)
		judge_one(&v.t[i]);
	if (v.cg[0] >= 0 && v.cg[1] >= 0 && judge_pids(v.cg[0], v.cg[1],
	    &v.out[0]))
		finding(NULL, &v.out[0]);
	if (v.found == 0 && !v.tsv)
		say(1, "  none");
}

/*
 * pidone --inspect. /proc must be this namespace's own, or every number
 * would belong to another: /proc/self names this process's PID there. A
 * report that could not be written whole is a failure (exit 111). Called
 * once, with the view as the program started: all zero.
 */
int
inspect_main(int tsv)
{
	pid_t self;

	v.tsv = tsv;
	v.self = getpid();
	if ((self = proc_self()) != v.self) {
		warn(self < 0 ? "/proc/self: %s" : "/proc: %s", self < 0 ?
		    errstr(errno) : "belongs to another PID namespace");
		return EXIT_SYSTEM;
	}
	if (proc_each(collect, NULL) < 0) {
		warn("/proc: %s", errstr(errno));
		return EXIT_SYSTEM;
	}
	v.group = command_group();
	report();
	if (out_error() != 0) {
		warn("stdout: %s", errstr(out_error()));
		return EXIT_SYSTEM;
	}
	return 0;
}
