/*
 * grace.c: the end of a run. When the command is gone, whatever else is
 * left gets SIGTERM and a grace period to finish, then SIGKILL, so that
 * helpers and daemons are not killed mid-write by the kernel's tear-down.
 * The raw system calls here cost fewer bytes than libc's wrappers.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pidone.h"
#include "signals.h"

/* One pass over /proc: which signal, to whom, and who is spared. */
struct sweep {
	int sig;
	int pid1;
	int send;	/* 0 when one kill(-1) sends it after the walk */
	pid_t had;	/* a process group that was sent this signal already */
	int stopped;	/* how many stopped processes the walk saw */
};

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
	char name[16];
	int had;

	if (p->pid == getpid() || p->state == 'Z' ||
	    (!s->pid1 && !proc_descends(p->pid, getpid())))
		return 0;
	had = s->send && s->had != 0 && p->pgid == s->had;
	note(1, "grace: %s %s to %d (%s)", had ? "already sent" :
	    "sending", sig_name(s->sig, name), (int)p->pid, p->comm);
	if (s->send && !had)
		kill(p->pid, s->sig);
	if (p->state == 'T' && s->sig == SIGTERM && s->send)
		kill(p->pid, SIGCONT);
	s->stopped += p->state == 'T';
	return 0;
}

/*
 * Send sig to everything left, but to no process of group had (a group the
 * command's forwarding already gave this signal: a second SIGTERM makes
 * many programs skip their clean shutdown). As PID 1 without such a group,
 * or without a /proc of its own, one kill(-1) reaches every process, even
 * those a walk would miss; the walk before it only names them, and if it
 * saw a stopped process, SIGCONT follows for all, as systemd does.
 */
static void
sweep(int pid1, int sig, pid_t had)
{
	int ours = proc_ours() > 0;
	struct sweep s = { sig, pid1, 1, had, 0 };

	s.send = !(pid1 && (had == 0 || sig == SIGKILL || !ours));
	if (ours)
		proc_each(sweep_one, &s);
	if (!s.send) {
		kill(-1, sig);
		if (sig == SIGTERM && s.stopped > 0)
			kill(-1, SIGCONT);
	}
}

/*
 * What is left besides pidone: 2 when it still has children (their ends
 * come as SIGCHLD), 1 when only processes that are not its children are
 * (as PID 1: sessions a runtime's exec injected), 0 when nothing is. A
 * subreaper's descendants all have a child of pidone among their
 * ancestors, since orphans are reparented to it.
 */
static int
others_left(int pid1)
{
	siginfo_t si;

	if (syscall(SYS_waitid, P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT,
	    NULL) == 0)
		return 2;
	return pid1 && kill(-1, 0) == 0;
}

/* Reap whatever has exited, quietly but for the trace. */
static void
reap_rest(void)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0 ||
	    (pid < 0 && errno == EINTR))
		if (pid > 0)
			note(1, "grace: reaped %d", (int)pid);
}

/* Milliseconds on the monotonic clock. */
static long
now_ms(void)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * Wait until nothing is left or the deadline passes, reaping as children
 * exit. Only this wait may poll: processes that are not pidone's children
 * send it no SIGCHLD, so while only they are left it looks every 10 ms.
 * Signals that arrive meanwhile, SIGTERM and SIGINT too, are ignored: a
 * second SIGTERM from an impatient runtime must not cut short the clean
 * shutdown it asked for, and SIGKILL from outside always wins anyway.
 * Returns 1 when everything is gone.
 */
static int
wait_gone(int pid1, long deadline)
{
	siginfo_t si;
	char name[16];
	long left;
	int sig, kind;

	for (;;) {
		reap_rest();
		if ((kind = others_left(pid1)) == 0)
			return 1;
		if ((left = deadline - now_ms()) <= 0)
			return 0;
		sig = sig_wait(&si, kind == 1 && left > 10 ? 10 : left);
		if (sig <= 0 || sig == SIGCHLD)
			continue;
		note(1, "grace: %s from pid %d: ignored",
		    sig_name(sig, name), (int)si.si_pid);
	}
}

/*
 * SIGTERM to everything left, a grace period to finish, then SIGKILL for
 * what did not. A grace of 0 leaves them to the kernel, as other inits do.
 * had is the command's process group if it was sent SIGTERM already, or 0.
 */
void
shutdown_others(const struct opts *o, int pid1, pid_t had)
{
	long start;

	reap_rest();
	if (o->grace_ms <= 0 || !others_left(pid1))
		return;
	start = now_ms();
	note(1, "grace: %ld ms for the processes left", o->grace_ms);
	sweep(pid1, SIGTERM, had);
	if (wait_gone(pid1, start + o->grace_ms)) {
		note(1, "grace: all gone after %ld ms",
		    now_ms() - start);
		return;
	}
	warn("grace period of %ld ms over: sending KILL to what is "
	    "left", o->grace_ms);
	sweep(pid1, SIGKILL, 0);
	wait_gone(pid1, now_ms() + 1000);
}
