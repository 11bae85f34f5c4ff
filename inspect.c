/*
 * inspect.c: pidone --inspect. What /proc says of the PID namespace pidone
 * runs in, for someone whose container will not stop: the process tree,
 * the process groups and sessions, what each process does with the signals
 * that stop containers, and findings in plain words. It needs no pidone as
 * PID 1, and no heap: one fixed table on the stack.
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

/* Everything inspect knows, and how it prints. */
struct view {
	struct proc t[MAXPROC];
	int n, total;		/* kept, and seen: more when the table is full */
	int tsv, found;
	pid_t self, group;	/* this process; the command's process group */
};

/* The signals that stop, interrupt or reach a container's processes. */
static const unsigned char common[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM,
	SIGUSR1, SIGUSR2, SIGWINCH, SIGCHLD };

/* Keep one process of the walk; kernel threads are nobody's concern here. */
static int
collect(const struct pinfo *p, void *arg)
{
	struct view *v = arg;
	struct proc *e = &v->t[v->n];
	char *s;

	if (p->flags & PF_KTHREAD)
		return 0;
	if (v->total++ >= MAXPROC)
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
	v->n++;
	return 0;
}

/* The table entry of pid, or NULL. */
static struct proc *
lookup(struct view *v, pid_t pid)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (v->t[i].f.p.pid == pid)
			return &v->t[i];
	return NULL;
}

/* Append s to the line at *n, never past its end. */
static void
add(char *line, size_t *n, const char *s)
{
	while (*s != '\0' && *n < 767)
		line[(*n)++] = *s++;
	line[*n] = '\0';
}

/* Append sep, then v right-aligned in width columns. */
static void
num(char *line, size_t *n, char sep, long v, int width)
{
	char b[24];
	int len = fmt(b, sizeof(b), "%ld", v);

	line[(*n)++] = sep;
	while (len++ < width)
		line[(*n)++] = ' ';
	add(line, n, b);
}

/* Append the PID, PPID, PGID, SID, TPGID and state, each after sep. */
static void
ids(char *line, size_t *n, const struct pinfo *p, char sep, int width)
{
	const pid_t id[5] = { p->pid, p->ppid, p->pgid, p->sid, p->tpgid };
	int i;

	for (i = 0; i < 5; i++)
		num(line, n, sep, id[i], width);
	line[(*n)++] = sep;
	line[(*n)++] = p->state;
	line[(*n)++] = sep;
	line[*n] = '\0';
}

/*
 * Append the signals of mask: with all set, the common ones by name; then
 * the real-time ones, as ranges (RTMIN..RTMAX); sep between items.
 */
static void
sigs(char *line, size_t *n, uint64_t mask, int all, const char *sep)
{
	const char *s = "";
	size_t i;
	int a, b;

	for (i = 0; all && i < sizeof(common); i++)
		if (mask & BIT(common[i])) {
			add(line, n, s);
			add(line, n, sig_name(common[i]));
			s = sep;
		}
	for (a = 32; a < NSIG; a = b + 1) {
		for (b = a; b < NSIG && (mask & BIT(b)); b++)
			;
		if (b == a)
			continue;
		add(line, n, s);
		add(line, n, sig_name(a));
		if (b - 1 > a) {
			add(line, n, "..");
			add(line, n, sig_name(b - 1));
		}
		s = sep;
	}
	if (*s == '\0' && all)
		add(line, n, "-");
}

/* Print one process of the tree and, below it, its children. */
static void
tree(struct view *v, struct proc *e, int depth)
{
	char line[768];
	size_t n = 0;
	int i;

	e->done = 1;
	ids(line, &n, &e->f.p, ' ', 5);
	for (i = 1; i < depth && i < 16; i++)
		add(line, &n, "   ");
	add(line, &n, depth > 0 ? "\\_ " : "");
	add(line, &n, e->cmd);
	say(1, "%s", line);
	for (i = 0; i < v->n; i++)
		if (!v->t[i].done && v->t[i].f.p.ppid == e->f.p.pid)
			tree(v, &v->t[i], depth + 1);
}

/*
 * One process's row: its place, then what it does with each signal: b
 * blocked, i ignored, c caught, w waited for (sigwaitinfo, signalfd), -
 * none of these, ? none that /proc shows, and what it waits for unknown.
 */
static void
row(const struct view *v, const struct proc *e)
{
	char line[768];
	const uint64_t *m = e->f.mask;
	size_t n = 0, i;
	int k;

	if (v->tsv) {
		add(line, &n, "proc");
		ids(line, &n, &e->f.p, '\t', 0);
		for (k = 0; k < 3; k++) {
			sigs(line, &n, m[k], 1, ",");
			add(line, &n, "\t");
		}
		add(line, &n, e->f.p.comm);
		add(line, &n, "\t");
		add(line, &n, e->cmd);
		add(line, &n, "\t");
		if (e->f.waits_known)
			sigs(line, &n, m[3], 1, ",");
		else
			add(line, &n, "?");
		say(1, "%s", line);
		return;
	}
	num(line, &n, ' ', e->f.p.pid, 5);
	line[n++] = ' ';
	for (i = 0; i < sizeof(common); i++) {
		size_t start = n;

		for (k = 0; k < 4; k++)
			if (m[k] & BIT(common[i]))
				line[n++] = "bicw"[k];
		if (n == start)
			line[n++] = e->f.waits_known ? '-' : '?';
		while (n < start + 6)
			line[n++] = ' ';
	}
	for (k = 0; k < 4; k++)
		if (m[k] >> 31) {
			line[n++] = "bicw"[k];
			line[n++] = ':';
			sigs(line, &n, m[k], 0, ",");
			line[n++] = ' ';
		}
	while (line[n - 1] == ' ')
		n--;
	line[n] = '\0';
	say(1, "%s", line);
}

/* Print one finding: the process, a stable kind, a related number, advice. */
static void
finding(struct view *v, const struct proc *e, const char *kind, long other,
    const char *text)
{
	v->found++;
	if (v->tsv)
		say(1, "find\t%d\t%s\t%ld\t%s", e ? (int)e->f.p.pid : 0, kind,
		    other, text);
	else if (e != NULL)
		say(1, "  pid %d (%s): %s", (int)e->f.p.pid, e->f.p.comm, text);
	else
		say(1, "  %s", text);
}

/* Every finding about one process, from judge.c, printed. */
static void
judge_one(struct view *v, const struct proc *e)
{
	struct finding out[JUDGE_MAX];
	const struct proc *pp = lookup(v, e->f.p.ppid);
	struct scene sc = { v->self, v->group, pp ? pp->f.p.comm : "?" };
	int i, n = judge(&e->f, &sc, out);

	for (i = 0; i < n; i++)
		finding(v, e, out[i].kind, out[i].other, out[i].text);
}

/*
 * The command's process group: that of PID 1's oldest live child, the one
 * pidone forwards signals to. 0 when PID 1 has no such child.
 */
static pid_t
command_group(const struct view *v)
{
	const struct proc *best = NULL;
	int i;

	for (i = 0; i < v->n; i++) {
		const struct proc *e = &v->t[i];

		if (e->f.p.ppid == 1 && e->f.p.state != 'Z' && e->f.p.pid != v->self &&
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
groups(struct view *v)
{
	char line[768];
	int i, j, k;

	for (i = 0; i < v->n; i++) {
		if (!v->t[i].done)
			continue;
		say(1, "  session %d%s", (int)v->t[i].f.p.sid, v->t[i].f.p.sid ?
		    "" : " (outside this PID namespace)");
		for (k = i; k < v->n; k++) {
			const struct pinfo *g = &v->t[k].f.p;
			size_t n;

			if (!v->t[k].done || g->sid != v->t[i].f.p.sid)
				continue;
			n = (size_t)fmt(line, sizeof(line), "    group %d%s:",
			    (int)g->pgid, g->pgid == v->group && v->group > 0 ?
			    " (the command's)" : "");
			for (j = k; j < v->n; j++)
				if (v->t[j].done && v->t[j].f.p.pgid == g->pgid &&
				    v->t[j].f.p.sid == g->sid) {
					v->t[j].done = 0;
					if (n > 700) {
						say(1, "%s", line);
						n = 0;
						add(line, &n, "     ");
					}
					num(line, &n, ' ', v->t[j].f.p.pid, 0);
				}
			say(1, "%s", line);
		}
	}
}

/*
 * The cgroup's counters inspect reports: the v2 file, which is also the
 * name it reports, then the v1 file and the controller.
 */
static const struct {
	char key[16], v1[24], ctl[8];
} counters[] = {
	{ "pids.current", "pids.current", "pids" },
	{ "pids.max", "pids.max", "pids" },
	{ "memory.current", "memory.usage_in_bytes", "memory" },
	{ "memory.max", "memory.limit_in_bytes", "memory" },
};

/*
 * The cgroup's counters, where readable, into v (-1 where not), and
 * printed: rows of TSV, or one line each of text.
 */
static void
cgroup(const struct view *w, int64_t v[4])
{
	char num[24];
	size_t i;

	if (!w->tsv)
		say(1, "\ncgroup:");
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		if (cgroup_read(counters[i].ctl, counters[i].v1, counters[i].key,
		    &v[i]) < 0) {
			v[i] = -1;
			continue;
		}
		if (v[i] == CGROUP_MAX)
			fmt(num, sizeof(num), "max");
		else
			fmt(num, sizeof(num), "%lld", (long long)v[i]);
		say(1, w->tsv ? "cgroup\t%s\t%s" : "  %s %s", counters[i].key,
		    num);
	}
}

/*
 * Findings about the whole: each live parent that leaves zombies, with
 * their count, and a cgroup near its pids.max.
 */
static void
judge_all(struct view *v, const int64_t cg[4])
{
	struct finding x;
	int i, j, count;

	for (i = 0; i < v->n; i++) {
		for (count = 0, j = 0; j < v->n; j++)
			count += v->t[j].f.p.state == 'Z' &&
			    v->t[j].f.p.ppid == v->t[i].f.p.pid;
		if (v->t[i].f.p.state != 'Z' &&
		    judge_zombies(v->t[i].f.p.pid, v->t[i].f.p.comm, count, &x))
			finding(v, &v->t[i], x.kind, x.other, x.text);
	}
	if (cg[0] >= 0 && cg[1] >= 0 && judge_pids(cg[0], cg[1], &x))
		finding(v, NULL, x.kind, x.other, x.text);
}

/* Print the whole report: tree, groups, signals, then findings. */
static void
report(struct view *v)
{
	char text[96];
	int64_t cg[4];
	int i;

	if (v->tsv) {
		say(1, "#proc\tpid\tppid\tpgid\tsid\ttpgid\tstate\tblocked\t"
		    "ignored\tcaught\tcomm\tcmdline\twaited");
		say(1, "#find\tpid\tkind\tother\ttext");
		say(1, "#cgroup\tkey\tvalue");
	} else {
		say(1, "   PID  PPID  PGID   SID TPGID S COMMAND");
		for (i = 0; i < v->n; i++)
			if (lookup(v, v->t[i].f.p.ppid) == NULL)
				tree(v, &v->t[i], 0);
		say(1, "\nsessions and groups:");
		groups(v);
		say(1, "\nsignals (b blocked, i ignored, c caught, w waited for, "
		    "- default, ? unknown):\n"
		    "   PID HUP   INT   QUIT  TERM  USR1  USR2  WINCH CHLD  "
		    "real-time");
	}
	for (i = 0; i < v->n; i++)
		row(v, &v->t[i]);
	cgroup(v, cg);
	if (!v->tsv)
		say(1, "\nfindings:");
	if (v->total > v->n) {
		fmt(text, sizeof(text), "only the first %d of %d processes "
		    "are shown", v->n, v->total);
		finding(v, NULL, "truncated", v->total, text);
	}
	for (i = 0; i < v->n; i++)
		judge_one(v, &v->t[i]);
	judge_all(v, cg);
	if (v->found == 0 && !v->tsv)
		say(1, "  none");
}

/*
 * pidone --inspect. /proc must be this namespace's own, or every number
 * would belong to another: /proc/self names this process's PID there. A
 * report that could not be written whole is a failure (exit 111).
 */
int
inspect_main(int tsv)
{
	struct view v;
	pid_t self;

	memset(&v, 0, sizeof(v));
	v.tsv = tsv;
	v.self = getpid();
	if ((self = proc_self()) != v.self) {
		warn(self < 0 ? "/proc/self: %s" : "/proc: %s", self < 0 ?
		    errstr(errno) : "belongs to another PID namespace");
		return EXIT_SYSTEM;
	}
	if (proc_each(collect, &v) < 0) {
		warn("/proc: %s", errstr(errno));
		return EXIT_SYSTEM;
	}
	v.group = command_group(&v);
	report(&v);
	if (out_error() != 0) {
		warn("stdout: %s", errstr(out_error()));
		return EXIT_SYSTEM;
	}
	return 0;
}
