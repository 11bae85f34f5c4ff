/*
 * child.c: everything between vfork and exec, and nothing else.
 *
 * The rule: the vfork child borrows pidone's memory and stack until it execs
 * or exits, so from vfork to exec it runs one straight line of
 * async-signal-safe calls, reads only what the parent made ready in a struct
 * spawn, and writes nothing but its own new stack frames: no static or
 * global variable, no heap, nothing of the parent's (errno aside, which the
 * parent sets anew before it reads it). It prints nothing, since a message
 * would need pidone's output state and an unblocked SIGPIPE could kill it
 * mid-message: it sends exec's errno to the parent over a close-on-exec
 * pipe, as musl's posix_spawn and git's run-command do, and ends in _exit.
 * The parent then says what failed and chooses the exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "child.h"
#include "out.h"
#include "parse.h"
#include "pidone.h"
#include "signals.h"

/* The exit status for a command that could not run: 127 not found, else 126. */
int
child_code(int err)
{
	return err == ENOENT || err == ENOTDIR ? EXIT_NOTFOUND : EXIT_NOEXEC;
}

/*
 * Run path with argv's arguments. An executable without "#!" that the
 * kernel cannot run (ENOEXEC) is a shell script, as POSIX asks of execvp:
 * /bin/sh runs it, with its argument vector built here, on this stack.
 * Returns exec's errno.
 */
static int
run(const char *path, char **argv, char **envp)
{
	int argc = 0, i;

	execve(path, argv, envp);
	if (errno != ENOEXEC)
		return errno;
	while (argv[argc] != NULL)
		argc++;
	{
		char *sh[argc + 2];

		sh[0] = "sh";
		sh[1] = (char *)path;
		for (i = 1; i <= argc; i++)
			sh[i + 1] = argv[i];
		execve("/bin/sh", sh, envp);
	}
	return ENOEXEC;
}

/*
 * Run argv as execvp would: a name with a slash as it is, others from each
 * directory of PATH in turn (an empty entry is the current one; no PATH,
 * the default one). Returns the errno to report: EACCES if some candidate
 * was found but not runnable, as POSIX asks, else the last error. No heap.
 * A name with a slash takes the same path as a PATH of one empty entry,
 * so that run is called from one place only.
 */
static int
search(char **argv, char **envp)
{
	const char *path = env_value(envp, "PATH"), *dir, *end;
	size_t len = strlen(argv[0]), n;
	char buf[4096];
	int e = ENOENT, eacces = 0;

	if (len == 0)
		return ENOENT;
	if (*parse_find(argv[0], '/') != '\0')
		path = "";
	else if (path == NULL)
		path = "/usr/local/bin:/bin:/usr/bin";
	for (dir = path; ; dir = end + 1) {
		end = parse_find(dir, ':');
		n = (size_t)(end - dir);
		/* dir, a slash if dir is not empty, the name and its NUL. */
		if (n + (n > 0) + len + 1 <= sizeof(buf)) {
			memcpy(buf, dir, n);
			buf[n] = '/';
			memcpy(buf + n + (n > 0), argv[0], len + 1);
			e = run(buf, argv, envp);
			eacces |= e == EACCES;
			if (e != ENOENT && e != ENOTDIR && e != EACCES)
				return e;
		} else
			e = ENAMETOOLONG;
		if (*end == '\0')
			return eacces ? EACCES : e;
	}
}

/*
 * Socket activation: LISTEN_PID named pidone, so it must name the command,
 * or the command's library refuses the sockets. The child cannot allocate:
 * the environment is copied onto its own stack with that one entry
 * replaced, then searched and exec'd from there.
 */
static int
search_listen(const struct spawn *s)
{
	int envc = 0, i;
	char var[40];

	while (s->envp[envc] != NULL)
		envc++;
	/* fmt is out.c's own: no lock, no heap, safe here. */
	fmt(var, sizeof(var), "LISTEN_PID=%d", (int)getpid());
	{
		char *env[envc + 1];

		for (i = 0; i <= envc; i++)
			env[i] = i == s->listen_at ? var : s->envp[i];
		return search(s->argv, env);
	}
}

/*
 * The child's straight line: its own process group, the terminal when the
 * parent gave it (SIGTTOU is still blocked, so a group outside the
 * foreground is not stopped), the mask pidone was started with, exec; on
 * failure exec's errno to the parent, and _exit.
 */
static void
child_main(const struct spawn *s, int report)
{
	int e;

	setpgid(0, 0);
	if (s->tty)
		tcsetpgrp(0, getpid());
	sig_restore(s->mask);
	e = s->listen_at < 0 ? search(s->argv, s->envp) : search_listen(s);
	while (write(report, &e, sizeof(e)) < 0 && errno == EINTR)
		;
	_exit(child_code(e));
}

/*
 * In the parent, before vfork: find a LISTEN_PID that names pidone, as
 * systemd's socket activation and podman set it for the process they
 * start, for the child to rewrite.
 */
void
child_prepare(struct spawn *s)
{
	const char *v = env_value(s->envp, "LISTEN_PID");
	int i;

	s->listen_at = -1;
	if (v == NULL || parse_number(v, INT32_MAX) != getpid())
		return;
	for (i = 0; s->listen_at < 0; i++)
		if (strncmp(s->envp[i], "LISTEN_PID=", 11) == 0)
			s->listen_at = i;
}

/*
 * Start the command. The parent resumes once the child has exec'd or
 * exited; *err is then 0, or the errno of the exec that failed (the child
 * has exited, and is reaped as usual). Returns the child's PID, or -1 with
 * errno when no child could be made.
 */
pid_t
child_start(const struct spawn *s, int *err)
{
	int fd[2], e;
	ssize_t n;
	pid_t pid;

	*err = 0;
	if (pipe2(fd, O_CLOEXEC) < 0)
		return -1;
	pid = vfork();
	if (pid == 0)
		child_main(s, fd[1]);
	e = errno;
	close(fd[1]);
	if (pid > 0)
		while ((n = read(fd[0], err, sizeof(*err))) < 0 && errno == EINTR)
			;
	close(fd[0]);
	errno = e;
	return pid;
}

/*
 * The exec helper's exec, in place, with no child: the mask the helper was
 * started with, then exec. Returns only on failure, with signals blocked
 * again so that the caller's message cannot die of SIGPIPE; the errno.
 */
int
child_exec_here(const struct spawn *s)
{
	sigset_t ignore;
	int e;

	sig_restore(s->mask);
	e = search(s->argv, s->envp);
	sig_block_all(&ignore);
	return e;
}
