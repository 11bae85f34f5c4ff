/*
 * trace.c: the words of pidone's trace (-v) for what it saw: a signal, who
 * sent it and what became of it; a wait status.
 */
#include <sys/wait.h>

#include "out.h"
#include "signals.h"
#include "trace.h"

/*
 * Describe a wait status for the trace: "exited 3" or "killed by TERM(15)",
 * in a buffer of trace.c's that the next call reuses.
 */
const char *
describe(int status)
{
	static char buf[48];

	if (WIFEXITED(status))
		fmt(buf, sizeof(buf), "exited %d", WEXITSTATUS(status));
	else
		fmt(buf, sizeof(buf), "killed by %s(%d)%s",
		    sig_name(WTERMSIG(status)), WTERMSIG(status),
		    WCOREDUMP(status) ? ", core dumped" : "");
	return buf;
}

/* Say, at -v, which signal came from whom and what became of it. */
void
trace_signal(const siginfo_t *si, const char *what, int to, pid_t target)
{
	char fwd[48];

	if (verbosity < 1)
		return;
	if (to > 0)
		fmt(fwd, sizeof(fwd), "forwarded as %s(%d) to %d",
		    sig_name(to), to, (int)target);
	warn("signal %s(%d) from pid %d uid %lld by %s: %s",
	    sig_name(si->si_signo), si->si_signo, (int)si->si_pid,
	    (long long)si->si_uid, sig_how(si), to > 0 ? fwd : what);
}

