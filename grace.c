/*
 * grace.c: the end of a run. When the command is gone, whatever else is
 * left gets SIGTERM and a grace period to finish, then SIGKILL, so that
 * helpers and daemons are not killed mid-write by the kernel's tear-down.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pidone.h"
#include "signals.h"

/* What a walk over /proc is after: which signal, and whether to send it. */
struct sweep {
	int sig;	/* 0 only counts */
	int pid1;
	int count;
};

/*
 * One process of the walk. As PID 1 every other process in the namespace
 * is ours to end; otherwise only pidone's own descendants are, never
 * anything outside its tree. Zombies are left to the reaping.
 */
static int
sweep_one(const struct pinfo *p, void *arg)
{
	struct sweep *s = arg;
	char name[16];

	if (p->pid == getpid() || p->state == 'Z' ||
	    (!s->pid1 && !proc_descends(p->pid, getpid())))
		return 0;
	s->count++;
	if (s->sig != 0) {
		note(1, "pidone: grace: sending %s to %d (%s)",
		    sig_name(s->sig, name), (int)p->pid, p->comm);
		if (!s->pid1)
			kill(p->pid, s->sig);
	}
	return 0;
}

/* Count (sig 0) or signal the processes left; returns how many there were. */
static int
sweep(int pid1, int sig)
{
	struct sweep s = { sig, pid1, 0 };

	if (pid1 && sig == 0)
		return kill(-1, 0) == 0;
	if (verbosity >= 1 || !pid1)
		proc_each(sweep_one, &s);
	/* As PID 1, one kill(-1) reaches every process, even those /proc hid. */
	if (pid1 && kill(-1, sig) == 0 && s.count == 0)
		s.count = 1;
	return s.count;
}

/* True while any process other than pidone is left for it to end. */
int
others_left(int pid1)
{
	return sweep(pid1, 0) > 0;
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
			note(1, "pidone: reaped %d (orphan) in shutdown",
			    (int)pid);
}

/* Milliseconds on the monotonic clock. */
static long
now_ms(void)
{
	struct timespec ts;

	/* The raw call: libc's vDSO lookup costs more bytes than it saves. */
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * Wait until nothing is left or the deadline passes, reaping as children
 * exit. Processes that are not pidone's children (an exec session) send no
 * SIGCHLD, so the wait looks again every 10 ms: this only runs at the end.
 * Signals that arrive meanwhile do not cut the grace period short.
 */
static int
wait_gone(int pid1, long deadline)
{
	siginfo_t si;
	char name[16];
	long left;
	int sig;

	for (;;) {
		reap_rest();
		if (!others_left(pid1))
			return 1;
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		sig = sig_wait(&si, left < 10 ? left : 10);
		if (sig > 0 && sig != SIGCHLD)
			note(1, "pidone: signal %s(%d) from pid %d: ignored "
			    "during shutdown", sig_name(sig, name), sig,
			    (int)si.si_pid);
	}
}

/*
 * SIGTERM to everything left, a grace period to finish, then SIGKILL for
 * what did not. A grace of 0 leaves them to the kernel, as other inits do.
 */
void
shutdown_others(const struct opts *o, int pid1)
{
	long start;

	reap_rest();
	if (o->grace_ms <= 0 || !others_left(pid1))
		return;
	start = now_ms();
	note(1, "pidone: grace: %ld ms for the processes left", o->grace_ms);
	sweep(pid1, SIGTERM);
	if (wait_gone(pid1, start + o->grace_ms)) {
		note(1, "pidone: grace: all gone after %ld ms",
		    now_ms() - start);
		return;
	}
	say(2, "pidone: grace period of %ld ms over: sending KILL to what is "
	    "left", o->grace_ms);
	sweep(pid1, SIGKILL);
	wait_gone(pid1, now_ms() + 1000);
}
