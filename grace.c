/*
 * grace.c: the end of a run. When the command is gone, whatever else is
 * left gets SIGTERM and a grace period to finish, then SIGKILL, so that
 * helpers and daemons are not killed mid-write by the kernel's tear-down.
 *
 * As PID 1, everything else in the namespace is pidone's to end, and one
 * kill(-1) reaches it all with no PID to go stale. Otherwise only pidone's
 * own descendants are, found in /proc and signalled each through a pidfd
 * (proc_signal), so that a PID reused since the walk is never hit. /proc may
 * be another namespace's; where pidone truly cannot see what is left, it
 * says so and does not wait for nothing.
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "grace.h"
#include "out.h"
#include "proc.h"
#include "reap.h"
#include "signals.h"

#define PF_KTHREAD 0x00200000

/* One pass over /proc: which signal, to whom, and who is spared. */
struct sweep {
	int sig;
	int pid1;
	int each;	/* signal each process found; else kill(-1) did */
	int ours;	/* /proc is pidone's namespace's own */
	int level;	/* else, the index of pidone's namespace in NS* lines */
	pid_t self;	/* pidone, in /proc's numbering */
	pid_t had;	/* a process group that was sent this signal already */
	int stopped;	/* how many stopped processes the walk saw */
};

/* p's PID, or with pgid its group, in pidone's namespace; -1 outside it. */
static pid_t
ns_id(const struct sweep *s, const struct pinfo *p, int pgid)
{
	if (s->ours)
		return pgid ? p->pgid : p->pid;
	return proc_ns_id(p->pid, pgid ? "NSpgid" : "NSpid", s->level);
}

/*
 * One process of the walk. As PID 1 every other process in the namespace
 * is ours to end; otherwise only pidone's own descendants are, never
 * anything outside its tree. Zombies are left to the reaping. A stopped
 * process cannot act on SIGTERM, so it gets SIGCONT after it.
 */
static int
sweep_one(const struct pinfo *p, void *arg)
{
	struct sweep *s = arg;
	const char *line = "grace: sending %s to %d (%s)";
	pid_t pid;

	if (p->pid == s->self || p->state == 'Z' || (p->flags & PF_KTHREAD))
		return 0;
	pid = ns_id(s, p, 0);
	if (s->pid1 ? pid <= 0 : !proc_descends(p->pid, s->self))
		return 0;
	s->stopped += p->state == 'T';
	if (!s->each)
		;	/* kill(-1) sends it, after the walk */
	else if (s->had != 0 && ns_id(s, p, 1) == s->had)
		line = "grace: already sent %s to %d (%s)";
	else if (proc_signal(p->pid, p->start, s->sig) < 0)
		line = "grace: cannot send %s to %d (%s): %s";
	else if (p->state == 'T' && s->sig == SIGTERM)
		proc_signal(p->pid, p->start, SIGCONT);
	/* One call says any of the three; only "cannot" prints errno's text. */
	note(1, line, sig_name(s->sig), (int)pid, p->comm, errstr(errno));
	return 0;
}

/*
 * Send sig to everything left, but to no process of group had (a group the
 * command's forwarding already gave this signal: a second SIGTERM makes
 * many programs skip their clean shutdown). As PID 1 with no such group,
 * one kill(-1) reaches every process, even those a walk would miss; the
 * walk before it only names them, and SIGCONT follows for all if it saw a
 * stopped one, or could not look. Returns 0, or -1 when pidone could not
 * see what is left and so sent nothing, having said so.
 */
static int
sweep(int pid1, int sig, pid_t had)
{
	struct sweep s = { sig, pid1, 0, 0, 0, 0, had, 0 };
	int walked = -1;

	s.each = !(pid1 && (had == 0 || sig == SIGKILL));
	if ((s.self = proc_self()) > 0) {
		s.ours = s.self == getpid();
		s.level = s.ours ? 0 : proc_ns_level();
		walked = proc_each(sweep_one, &s);
	}
	if (walked < 0) {
		warn(pid1 ? "grace: cannot list the processes left (/proc: %s):"
		    " sending %s to all of them" : "grace: cannot see the "
		    "processes left (/proc: %s): not waiting for them",
		    errstr(errno), sig_name(sig));
		if (!pid1)
			return -1;
		s.each = 0;
	}
	if (!s.each) {
		kill(-1, sig);
		if (sig == SIGTERM && (s.stopped > 0 || walked < 0))
			kill(-1, SIGCONT);
	}
	return 0;
}

/* Whether each orphan reaped is reported (-w), as in the main loop. */
static int warn_reap;

/* One child reaped at the end, said at -v or with -w. */
static void
reaped(pid_t pid, int status, void *arg)
{
	(void)status;
	(void)arg;
	if (verbosity >= 1 || warn_reap)
		warn("grace: reaped %d", (int)pid);
}

/*
 * What is left besides pidone: 2 when it still has children (their ends
 * come as SIGCHLD), 1 when only processes that are not its children are
 * (as PID 1: sessions a runtime's exec injected), 0 when nothing is. A
 * subreaper's descendants all have a child of pidone among their
 * ancestors, since orphans are reparented to it. Each look is reap.c's
 * loop, one walk of pidone's children by the kernel when none has exited,
 * which fails with ECHILD when there are none. A zombie it finds is
 * reaped: one that exited before SA_NOCLDWAIT was set (grace_end), or
 * any, where the flag is lost (qemu-user does not pass it on to the
 * kernel).
 */
static int
others_left(int pid1)
{
	if (reap_each(0, reaped, NULL) == 0)
		return 2;
	return pid1 && kill(-1, 0) == 0;
}

/*
 * Wait until nothing is left or ms pass; the kernel releases children as
 * they exit (grace_end). Only this wait may poll: processes that are not
 * pidone's children send it no SIGCHLD, so while only they are left it
 * looks every 10 ms. Signals that arrive meanwhile, SIGTERM and SIGINT
 * too, are ignored: a second SIGTERM from an impatient runtime must not
 * cut short the clean shutdown it asked for, and SIGKILL from outside
 * always wins anyway. Returns 1 when everything is gone, leaving the
 * alarm armed so that the caller can tell how long it took, 0 when the
 * alarm rang first.
 *
 * Looking costs the kernel a walk of pidone's children, and while they
 * exit one after another each exit wakes pidone: looking at every wake-up
 * would cost wake-ups times children, quadratic again. So after a SIGCHLD
 * it looks only once a millisecond has passed without another.
 */
static int
wait_gone(int pid1, int64_t ms)
{
	siginfo_t si;
	int sig = 0, kind = 0;

	sig_alarm(ms);
	for (;;) {
		if (sig != SIGCHLD && (kind = others_left(pid1)) == 0)
			return 1;
		sig = sig_wait(&si, sig == SIGCHLD ? 1 : kind == 1 ? 10 : -1);
		if (sig > 0 && sig_alarmed(&si))
			return 0;
		if (sig <= 0 || sig == SIGCHLD)
			continue;
		note(1, "grace: %s from pid %d: ignored",
		    sig_name(sig), (int)si.si_pid);
	}
}

/*
 * SIGTERM to everything left, a grace period to finish, then SIGKILL for
 * what did not. A grace of 0 leaves them to the kernel, as other inits do.
 * had is the command's process group if it was sent SIGTERM already, or 0;
 * reports is -w, to report each orphan reaped (those the kernel releases
 * in the grace period are not reaped by pidone, nor reported).
 */
void
grace_end(int pid1, int64_t grace_ms, pid_t had, int reports)
{
	/*
	 * Reaping N children one waitpid(-1) at a time costs N walks of
	 * pidone's list of children, N squared in all. With SA_NOCLDWAIT
	 * the kernel releases each child in the child's own exit instead,
	 * and still sends SIGCHLD (signals.c). Zombies already there stay:
	 * the first look, after the flag so that none slips between, reaps
	 * them. Nothing later needs a child's status: the command's was
	 * taken in the main loop.
	 */
	sig_autoreap();
	warn_reap = reports;
	if (!others_left(pid1) || grace_ms <= 0)
		return;
	note(1, "grace: %lld ms for the processes left", (long long)grace_ms);
	if (sweep(pid1, SIGTERM, had) < 0)
		return;
	if (wait_gone(pid1, grace_ms)) {
		note(1, "grace: all gone after %lld ms",
		    (long long)(grace_ms - sig_alarm_left()));
		return;
	}
	warn("grace period of %lld ms over: sending KILL to what is left",
	    (long long)grace_ms);
	sweep(pid1, SIGKILL, 0);
	wait_gone(pid1, 1000);
}
