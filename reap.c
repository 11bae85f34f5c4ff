/*
 * reap.c: the one reap loop, for the main loop and the end of a run alike
 * (where the kernel releases most children itself: grace.c).
 * One SIGCHLD may stand for many exits, and a pending SIGCHLD is never lost
 * while this runs, so every wake-up reaps until waitpid says 0 or ECHILD.
 */
#include <errno.h>
#include <sys/wait.h>

#include "reap.h"

/*
 * Call fn for each child that has changed state, with waitpid's extra
 * flags (WUNTRACED for stops), until none is left to report. Returns 0,
 * or -1 when pidone has no child at all.
 */
int
reap_each(int flags, void (*fn)(pid_t pid, int status, void *arg), void *arg)
{
	int st;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &st, WNOHANG | flags);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0)
			return pid < 0 ? -1 : 0;
		fn(pid, st, arg);
	}
}
