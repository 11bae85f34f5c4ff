/*
 * judge.c: inspect's findings, as a pure function of what /proc states
 * (SigBlk, SigIgn, SigCgt, State, what a process waits for): no I/O, so
 * that the unit tests can put any situation to it. Where pidone cannot
 * know, the verdict is V_UNKNOWN and no finding is drawn from it.
 */
#include <signal.h>

#include "judge.h"
#include "out.h"

#define BIT(sig) ((uint64_t)1 << ((sig) - 1))

/* Advice that more than one finding gives, as an argument: one copy. */
#define UNDER "run the command under pidone"
#define REAP "make it wait for its children, or end it"

/*
 * What becomes of sig sent to the process. A handler or an ignore decides
 * it. A process asleep in sigwaitinfo shows the signals it waits for as
 * unblocked, so a signal neither blocked nor handled is only known to take
 * the default action when pidone could read what the process waits for.
 */
enum verdict
judge_signal(const struct facts *f, int sig)
{
	if (f->mask[M_CAUGHT] & BIT(sig))
		return V_CAUGHT;
	if (f->mask[M_IGNORED] & BIT(sig))
		return V_IGNORED;
	if (!f->waits_known)
		return V_UNKNOWN;
	if (f->mask[M_WAITED] & BIT(sig))
		return V_WAITED;
	return f->mask[M_BLOCKED] & BIT(sig) ? V_HELD : V_DEFAULT;
}

/* Add one finding to out at *n. */
static struct finding *
add(struct finding *out, int *n, const char *kind, long other)
{
	struct finding *x = &out[(*n)++];

	x->kind = kind;
	x->other = other;
	x->text[0] = '\0';
	return x;
}

/*
 * Every finding about one process, into out; their number. A zombie's only
 * trouble is its parent; a group or session of 0 says more than being
 * outside the command's group.
 */
int
judge(const struct facts *f, const struct scene *sc,
    struct finding out[JUDGE_MAX])
{
	const struct pinfo *p = &f->p;
	enum verdict term = judge_signal(f, SIGTERM), in = judge_signal(f, SIGINT);
	int ns = p->pgid == 0 || p->sid == 0, n = 0;
	struct finding *x;

	if (p->state == 'Z') {
		x = add(out, &n, "zombie", p->ppid);
		fmt(x->text, sizeof(x->text), "zombie not reaped by its live "
		    "parent %d (%s): %s", (int)p->ppid, sc->parent,
		    p->ppid == 1 ? UNDER : REAP);
		return n;
	}
	if (ns || (sc->group > 0 && p->pid != 1 && p->pid != sc->self &&
	    p->pgid != sc->group)) {
		x = add(out, &n, ns ? "outside-ns" : "outside-group",
		    ns ? p->pgid : sc->group);
		fmt(x->text, sizeof(x->text), "group %d, session %d: outside %s,"
		    " so %s signals miss it: %s", (int)p->pgid, (int)p->sid,
		    ns ? "this PID namespace" : "the command's group",
		    ns ? "group" : "forwarded", !ns ? "keep it in that group, "
		    "or let pidone --grace TERM it" : p->pid == 1 ? "make PID 1 "
		    "a session leader (setsid)" : "start it with pidone --exec");
	}
	if (p->pid == 1 && (term == V_DEFAULT || term == V_IGNORED)) {
		x = add(out, &n, "pid1-drops-term", 0);
		fmt(x->text, sizeof(x->text), "PID 1 neither catches nor blocks "
		    "TERM%s, so the kernel drops it: %s", in == V_DEFAULT ||
		    in == V_IGNORED ? " or INT" : "", UNDER);
	}
	if (term == V_IGNORED)
		fmt(add(out, &n, "ignores-term", SIGTERM)->text, sizeof(out[0].text),
		    "ignores TERM, so only KILL stops it (exec keeps it ignored)");
	/* A running process may block TERM for a moment, as shells do while
	 * they fork: only a sleeping one shows the mask it keeps. */
	if (term == V_HELD && p->state != 'R')
		fmt(add(out, &n, "blocks-term", SIGTERM)->text, sizeof(out[0].text),
		    "blocks TERM, and nothing takes it: it stays pending (exec "
		    "keeps the mask)");
	/* Each zombie holds a PID, which counts against the cgroup's pids.max
	 * like any process. PID 1's zombies each have their own finding,
	 * which tells to run under pidone. */
	if (sc->zombies > 0 && p->pid > 1)
		fmt(add(out, &n, "zombies", sc->zombies)->text,
		    sizeof(out[0].text), "leaves %d zombie%s unreaped, each "
		    "holding a PID: %s", sc->zombies, sc->zombies == 1 ? "" : "s",
		    REAP);
	return n;
}

/*
 * A cgroup within 10% of its pids.max: past it every fork fails with
 * EAGAIN. Returns 1 with the finding in x, or 0.
 */
int
judge_pids(int64_t current, int64_t max, struct finding *x)
{
	if (max <= 0 || max == INT64_MAX || current < max - max / 10)
		return 0;
	x->kind = "pids-near-limit";
	x->other = (long)max;
	fmt(x->text, sizeof(x->text), "the cgroup holds %lld of its %lld "
	    "PIDs: at the limit every fork fails",
	    (long long)current, (long long)max);
	return 1;
}
