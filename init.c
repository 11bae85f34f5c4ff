/*
 * init.c: the outline of a run. main() parses, blocks every signal, starts
 * the command, waits and reaps and forwards, ends what is left, and exits
 * with the command's status. The layers below it: opts.c (what was asked),
 * child.c (vfork to exec), grace.c (the end), pgrp.c (groups, terminal,
 * exec helper), inspect.c, then proc.c and signals.c, then out.c and
 * parse.c, which call nothing of pidone's.
 */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "fds.h"
#include "grace.h"
#include "harden.h"
#include "inspect.h"
#include "opts.h"
#include "out.h"
#include "pgrp.h"
#include "pidone.h"
#include "reap.h"
#include "signals.h"
#include "trace.h"

/* What the main loop knows about the command. */
struct run {
	pid_t cmd;		/* the command's PID, 0 in pause mode */
	pid_t target;		/* where signals go: PID, or -PGID; 0: nobody */
	int status;		/* its wait status, once exited */
	int exited;
	int noexec;		/* 127 or 126 when its exec failed, else 0 */
	int nochild;		/* the last reap found no child at all */
	int pid1;
	pid_t self;		/* pidone's PID */
	int tty;		/* pidone gave it the terminal */
	int asked_stop;		/* a stop signal was forwarded on request */
	pid_t had_term;		/* its group, once SIGTERM was forwarded to it */
	int drained;		/* the first TERM was held for --drain */
	int draining;		/* it is held now, until the alarm rings */
	siginfo_t held;		/* the TERM held */
};

/* pidone's exit code for the command's wait status, after -e. */
int
exit_code(const struct opts *o, int status)
{
	int code = WIFEXITED(status) ? WEXITSTATUS(status) :
	    WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;

	if (code > 255)
		code = 255;
	if (o->expect[code / 8] & (1u << (code % 8)))
		return 0;
	return code;
}

/*
 * The command stopped. Ctrl-Z at a container's terminal stops it with
 * nobody to resume it, and the container hangs: resume it, and say so.
 * When pidone is not PID 1 and gave the command its terminal, pass the stop
 * up instead, so the user's shell gets its terminal and its job control.
 * A stop that was asked for (SIGSTOP, or a stop signal forwarded to it) is
 * left alone: whoever asked can resume it.
 */
static void
stopped(const struct opts *o, struct run *r, int sig)
{
	const char *name = sig_name(sig);

	if (sig == SIGSTOP || r->asked_stop) {
		note(1, "command stopped by %s: left stopped", name);
		return;
	}
	if (!r->pid1 && r->tty) {
		note(1, "command stopped by %s: stopping too", name);
		tty_give(getpgrp());
		kill(getpid(), SIGSTOP);
		tty_give(r->cmd);
	} else if (sig != SIGTSTP && !r->tty) {
		warn("command stopped by %s and pidone has no "
		    "terminal to give it: left stopped", name);
		return;
	} else {
		if (r->tty)
			tty_give(r->cmd);
		warn("command stopped by %s with nothing to resume "
		    "it: sending CONT", name);
	}
	kill(o->single ? r->cmd : -r->cmd, SIGCONT);
}

/* What reap() hands each child it reaps. */
struct reaping {
	const struct opts *o;
	struct run *r;
};

/* One child that changed state: the command's stop or end, or an orphan. */
static void
reaped(pid_t pid, int st, void *arg)
{
	const struct opts *o = ((struct reaping *)arg)->o;
	struct run *r = ((struct reaping *)arg)->r;

	if (WIFSTOPPED(st)) {
		if (pid == r->cmd && !r->exited)
			stopped(o, r, WSTOPSIG(st));
		return;
	}
	if (pid == r->cmd && !r->exited) {
		/* A reaped PID is nobody's target: it may be reused. A group
		 * stays one while any member is left. */
		r->status = r->noexec ? r->noexec << 8 : st;
		r->exited = 1;
		if (r->target == pid)
			r->target = 0;
		note(1, "reaped %d (command): %s", (int)pid,
		    describe(r->status));
	} else if (verbosity >= 1 || o->warn_reap)
		warn("reaped %d (orphan): %s", (int)pid,
		    describe(st));
}

/* Reap every child that has changed state (reap.c's one loop). */
static void
reap(const struct opts *o, struct run *r)
{
	struct reaping ctx = { o, r };

	r->nochild = reap_each(WUNTRACED, reaped, &ctx) < 0;
}

/* Forward one received signal to the command, keeping track of stops. */
static void
forward(const struct opts *o, struct run *r, const siginfo_t *si)
{
	int to;

	if (r->target == 0) {
		trace_signal(si, "dropped: the command is gone", 0, 0);
		return;
	}
	to = sig_forward(o->rewrite, si->si_signo, r->target);
	if (to < 0) {
		trace_signal(si, errno == ESRCH ? "dropped: nobody left to "
		    "forward it to" : "dropped: kill failed", 0, 0);
		return;
	}
	if (to == 0) {
		trace_signal(si, "dropped by rewrite", 0, 0);
		return;
	}
	if (to == SIGTERM && r->target < 0)
		r->had_term = -r->target;
	if (to == SIGTSTP || to == SIGTTIN || to == SIGTTOU || to == SIGSTOP)
		r->asked_stop = 1;
	else if (to == SIGCONT)
		r->asked_stop = 0;
	trace_signal(si, NULL, to, r->target);
}

/*
 * --drain: hold the command's first TERM, so that it goes on serving while
 * a load balancer stops sending it requests. Returns 1 when sig was taken
 * here: the TERM held, or a TERM or INT that ends the delay early, which
 * forwards the held TERM at once.
 */
static int
drain(const struct opts *o, struct run *r, const siginfo_t *si)
{

	if (r->draining && sig_alarmed(si)) {
		note(1, "drain: over: forwarding TERM");
		r->draining = 0;
		forward(o, r, &r->held);
		return 1;
	}
	if (r->draining && (si->si_signo == SIGTERM ||
	    si->si_signo == SIGINT)) {
		note(1, "drain: ended early by %s(%d)",
		    sig_name(si->si_signo), si->si_signo);
		sig_alarm(0);
		r->draining = 0;
		forward(o, r, &r->held);
		return 1;
	}
	if (si->si_signo != SIGTERM || o->drain_ms <= 0 || r->drained ||
	    r->cmd == 0 || r->exited)
		return 0;
	r->drained = 1;
	r->held = *si;
	r->draining = 1;
	sig_alarm(o->drain_ms);
	note(1, "drain: holding TERM for %lld ms", (long long)o->drain_ms);
	return 1;
}

/*
 * Wait for signals, with no timeout (--drain's delay is the kernel's alarm,
 * one more signal): reap on SIGCHLD, forward the rest. Returns when the
 * command has exited (and, with -W, every child too), or when TERM or INT
 * arrives in pause mode or once the command is gone.
 */
static void
loop(const struct opts *o, struct run *r)
{
	siginfo_t si;
	int sig;

	for (;;) {
		if (r->exited && (!o->wait_all || r->nochild))
			break;
		sig = sig_wait(&si, -1);
		if (sig == SIGCHLD) {
			trace_signal(&si, "used by pidone: reaping", 0, 0);
			reap(o, r);
		} else if (si.si_signo == SIGALRM && si.si_code == SI_KERNEL) {
			/* pidone's own alarm, the drain's: nobody else's. */
			if (!drain(o, r, &si))
				trace_signal(&si, "dropped: a spent alarm of "
				    "pidone's", 0, 0);
		} else if (si.si_pid == r->self)
			/* The kernel's answer to pidone's own act, such as
			 * SIGPIPE for a write to a closed stderr: not the
			 * command's to receive. */
			trace_signal(&si, "dropped: caused by pidone", 0, 0);
		else if (r->cmd == 0 || r->exited) {
			if (sig == SIGTERM || sig == SIGINT) {
				trace_signal(&si, "used by pidone: shutting down",
				    0, 0);
				break;
			}
			if (r->cmd != 0)
				forward(o, r, &si);
			else
				trace_signal(&si, "ignored: no command", 0, 0);
		} else if (!drain(o, r, &si))
			forward(o, r, &si);
	}
	if (r->draining) {
		/* The command ended while its TERM was held. */
		sig_alarm(0);
		r->draining = 0;
	}
}

/*
 * Start the command in a process group of its own, giving it the terminal
 * if that is pidone's. Returns -1, having said why, if no child could be
 * made. A command that could not be exec'd is a child that has exited:
 * pidone says why and reports 127 or 126 when it is reaped.
 */
static int
spawn(const struct opts *o, struct run *r, struct spawn *sp)
{
	pid_t pid;
	int err;

	sp->tty = r->tty = tty_owned();
	child_prepare(sp);
	if ((pid = child_start(sp, &err)) < 0) {
		warn("cannot start the command: %s", errstr(errno));
		return -1;
	}
	r->cmd = pid;
	r->target = o->single ? pid : -pid;
	if (err != 0) {
		warn("cannot run %s: %s", o->argv[0], errstr(err));
		r->noexec = child_code(err);
		return 0;
	}
	note(1, "started %d: pgid %d sid %d foreground %d", (int)pid,
	    (int)getpgid(pid), (int)getsid(pid), r->tty ? (int)tcgetpgrp(0) : -1);
	note(2, "pidone is pid %d pgid %d sid %d", (int)getpid(),
	    (int)getpgrp(), (int)getsid(0));
	if (verbosity < 2)	/* no call for a line that is not printed */
		return 0;
	if (r->tty)
		note(2, "terminal: handed to group %d", (int)pid);
	else if (tcgetpgrp(0) >= 0)
		note(2, "terminal: not ours, its foreground is group %d",
		    (int)tcgetpgrp(0));
	else
		note(2, "terminal: none");
	return 0;
}

/*
 * Ask for sig when the parent dies. The parent may have died already, in
 * which case no signal would ever come: pidone's parent changed since
 * start-up says so, and sig is then sent now, as the kernel would have.
 * (A parent gone before pidone's main ran cannot be told from the process
 * that adopted it.) Not static: the unit tests give it a parent.
 */
void
parent_death(int sig, pid_t parent)
{

	if (sig == 0)
		return;
	if (prctl(PR_SET_PDEATHSIG, sig) < 0)
		warn("cannot set the parent-death signal: %s", errstr(errno));
	else if (getppid() != parent) {
		note(1, "parent %d already gone: sending %s to pidone",
		    (int)parent, sig_name(sig));
		kill(getpid(), sig);
	}
}

/* The end of a run: its trace, and pidone's exit status. */
static int
finish(const struct opts *o, const struct run *r)
{
	int rc;

	if (r->cmd == 0) {
		note(1, "exiting 0: pause ended");
		return 0;
	}
	rc = exit_code(o, r->status);
	note(1, "exiting %d: command %s%s", rc,
	    describe(r->status),
	    rc == 0 && r->status != 0 ? ", expected (-e)" : "");
	return rc;
}

int
main(int argc, char **argv, char **envp)
{
	pid_t parent = getppid();
	struct opts o;
	struct run r;
	sigset_t mask;
	struct spawn sp = { NULL, envp, &mask, 0, -1 };
	int rc;

	harden_relro();
	fds_open();
	opts_init(&o);
	if ((rc = opts_parse(&o, argc, argv)) != 0)
		return rc;
	if (o.mode == MODE_HELP || o.mode == MODE_VERSION ||
	    o.mode == MODE_LICENSE)
		return opts_print(&o);
	if ((rc = opts_env(&o, envp)) != 0)
		return rc;
	verbosity = o.verbose;
	sp.argv = o.argv;
	if (o.mode == MODE_INSPECT)
		return inspect_main(o.tsv);
	if (o.mode == MODE_EXEC) {
		sig_block_all(&mask);
		return exec_helper(o.exec_how, &sp);
	}

	memset(&r, 0, sizeof(r));
	sig_block_all(&mask);
	out_stderr_nonblock();
	r.self = getpid();
	r.pid1 = r.self == 1;
	if (!r.pid1 || o.subreaper) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
			warn("cannot become a subreaper: %s", errstr(errno));
		else if (!r.pid1)
			note(1, "not PID 1: became a child subreaper");
	}
	parent_death(o.pdeath, parent);
	if (o.mode == MODE_INIT && spawn(&o, &r, &sp) < 0)
		return EXIT_SYSTEM;
	fds_close_inherited();
	/* The command starts where pidone was started; pidone itself, which
	 * may live as long as the container, must not hold a mount busy. */
	if (chdir("/") < 0)
		warn("cannot change directory to /: %s", errstr(errno));

	/* From here on pidone may not bail: it waits, forwards and reaps. */
	loop(&o, &r);
	grace_end(r.pid1, o.grace_ms, r.had_term, o.warn_reap);
	/* Hand the terminal back, unless pidone's group lies outside the
	 * namespace (it reads 0): then the shell outside takes it back. */
	if (r.tty && getpgrp() > 0) {
		tty_give(getpgrp());
		note(2, "terminal: taken back");
	}
	rc = finish(&o, &r);
	out_flush_lost();
	return rc;
}
