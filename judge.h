/* judge.h: inspect's findings, from facts alone (judge.c). */
#ifndef JUDGE_H
#define JUDGE_H

#include <stdint.h>
#include <sys/types.h>

#include "proc.h"

/*
 * The signal masks of a process, in the order of SigBlk, SigIgn and SigCgt
 * in /proc/PID/status (proc_masks fills the first three in place), then
 * what it waits for.
 */
enum { M_BLOCKED, M_IGNORED, M_CAUGHT, M_WAITED };

/* What /proc states of one process, and nothing inferred. */
struct facts {
	struct pinfo p;			/* its IDs and state: R, S, D, T, Z... */
	uint64_t mask[4];		/* by M_*: waited for, in sigwaitinfo or
					   by a signalfd */
	int waits_known;		/* 0: pidone could not read what it waits for */
};

/*
 * Where the process stands: pidone's own PID, the command's group, its
 * parent, and how many of its children are zombies.
 */
struct scene {
	pid_t self, group;
	const char *parent;		/* the parent's name, or "?" */
	int zombies;
};

/* What becomes of a signal sent to the process, as far as /proc tells. */
enum verdict {
	V_CAUGHT,	/* a handler runs */
	V_IGNORED,	/* dropped, by its own choice */
	V_WAITED,	/* taken synchronously: sigwaitinfo, signalfd */
	V_HELD,		/* blocked, and nothing is known to take it */
	V_DEFAULT,	/* the default action (for a PID 1: dropped) */
	V_UNKNOWN,	/* pidone cannot know: no finding is drawn */
};

/* One finding: a stable kind, a related number, advice in words. */
struct finding {
	const char *kind;
	long other;
	char text[256];
};

#define JUDGE_MAX 4

enum verdict judge_signal(const struct facts *f, int sig);
int judge_pids(int64_t current, int64_t max, struct finding *x);
int judge(const struct facts *f, const struct scene *sc,
    struct finding out[JUDGE_MAX]);

#endif
