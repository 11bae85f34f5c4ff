/* child.h: from vfork to exec (child.c). */
#ifndef CHILD_H
#define CHILD_H

#include <signal.h>
#include <sys/types.h>

/* Everything the child needs, made ready by the parent before vfork. */
struct spawn {
	char **argv;		/* the command, NULL-terminated */
	char **envp;		/* its environment */
	const sigset_t *mask;	/* the signal mask pidone was started with */
	int tty;		/* make its group the terminal's foreground */
	int listen_at;		/* index in envp of a LISTEN_PID naming pidone, or -1 */
};

void child_prepare(struct spawn *s);
pid_t child_start(const struct spawn *s, int *err);
int child_exec_here(const struct spawn *s);
int child_code(int err);

#endif
