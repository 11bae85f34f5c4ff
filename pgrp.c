/*
 * pgrp.c: process groups, sessions and the controlling terminal, for the
 * command pidone starts and for the exec helper, which repairs the group of
 * a process injected into a running container.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "pidone.h"
#include "pgrp.h"
#include "signals.h"

/*
 * True when standard input is a terminal whose foreground group is ours:
 * only then is the terminal pidone's to hand to the command.
 */
int
tty_owned(void)
{
	/* tcgetpgrp fails (-1) where standard input is no terminal. */
	return tcgetpgrp(0) == getpgrp();
}

/*
 * Make pgrp the terminal's foreground group. SIGTTOU must be blocked, or a
 * caller outside the foreground would be stopped; pidone blocks everything.
 */
void
tty_give(pid_t pgrp)
{
	if (tcsetpgrp(0, pgrp) < 0)
		note(2, "cannot give the terminal to group %d: %s",
		    (int)pgrp, errstr(errno));
}

/*
 * In the child, between fork and exec: a process group of its own and, when
 * pidone owned the terminal, the terminal's foreground. Async-signal-safe.
 * The parent calls setpgid too, so neither order of the two races.
 */
void
child_isolate(int give_tty)
{
	setpgid(0, 0);
	if (give_tty)
		tcsetpgrp(0, getpid());
}

/*
 * execvp, smaller than libc's: a name with a slash runs as it is, others
 * are looked for in each directory of PATH (an empty entry is the current
 * one). Returns the errno to report: EACCES if some candidate was found but
 * not runnable, as POSIX asks, else the last error. Async-signal-safe: no
 * heap, only execve.
 */
static int
exec_path(char **argv)
{
	const char *path = env_value(environ, "PATH"), *dir, *end;
	size_t len = strlen(argv[0]), n;
	char buf[4096];
	int e = ENOENT, eacces = 0;

	if (len == 0)
		return ENOENT;
	if (strchr(argv[0], '/') != NULL) {
		execve(argv[0], argv, environ);
		return errno;
	}
	if (path == NULL)
		path = "/usr/local/bin:/bin:/usr/bin";
	for (dir = path; ; dir = end + 1) {
		end = strchr(dir, ':');
		n = end ? (size_t)(end - dir) : strlen(dir);
		if (n + len + 2 <= sizeof(buf)) {
			memcpy(buf, dir, n);
			buf[n] = '/';
			memcpy(buf + n + (n > 0), argv[0], len + 1);
			execve(buf, argv, environ);
			e = errno;
			eacces |= e == EACCES;
			if (e != ENOENT && e != ENOTDIR && e != EACCES)
				return e;
		}
		if (end == NULL)
			return eacces ? EACCES : e;
	}
}

/*
 * Restore the mask pidone was started with and run argv, never returning.
 * A failed exec is reported from here, where errno is known, and ends the
 * process with 127 (not found) or 126 (found, not runnable) as shells do.
 */
void
child_exec(char **argv, const sigset_t *mask)
{
	int e;

	sigprocmask(SIG_SETMASK, mask, NULL);
	e = exec_path(argv);
	warn("cannot run %s: %s", argv[0], errstr(e));
	_exit(e == ENOENT || e == ENOTDIR ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

/*
 * The controlling terminal on a new descriptor, or -1 when there is none.
 * /dev/tty says so directly (ENXIO: no terminal). A container without that
 * node still shows it: TIOCGSID answers only on one's controlling terminal.
 */
static int
ctty_open(void)
{
	int fd = sys_open("/dev/tty", O_RDWR | O_NOCTTY), i;

	if (fd >= 0 || errno == ENXIO)
		return fd;
	for (i = 0; i <= 2; i++)
		if (tcgetsid(i) >= 0)
			/* The raw call: libc's fcntl wrapper is large. */
			return (int)syscall(SYS_fcntl, i, F_DUPFD_CLOEXEC, 3);
	return -1;
}

/*
 * Report, at -v, the group and session the exec helper found or made. The
 * NS lines of /proc/self/status say the same from the innermost namespace:
 * 0 there means the group or session lies outside the container.
 */
static void
exec_report(const char *when, int tty)
{
	char nspgid[64], nssid[64], term[48];

	if (verbosity < 1)
		return;
	proc_status(0, "NSpgid", nspgid, sizeof(nspgid));
	proc_status(0, "NSsid", nssid, sizeof(nssid));
	if (tty < 0)
		fmt(term, sizeof(term), "no terminal");
	else
		fmt(term, sizeof(term), "terminal foreground %d",
		    (int)tcgetpgrp(tty));
	warn("exec: %s: pid %d pgid %d sid %d NSpgid %s NSsid %s, %s",
	    when, (int)getpid(), (int)getpgrp(), (int)getsid(0), nspgid, nssid,
	    term);
}

/*
 * Lead a new session, as runc exec does. A process group leader cannot, and
 * only a fork would help; the helper stays in place, so it says so instead.
 */
static void
new_session(int forced)
{
	pid_t pid = getpid();

	if (getsid(0) == pid)
		note(1, "exec: already a session leader: nothing to do");
	else if (getpgrp() == pid && forced)
		warn("exec: cannot start a session: already a "
		    "process group leader");
	else if (getpgrp() == pid)
		note(1, "exec: already a process group leader: "
		    "nothing to do");
	else if (setsid() < 0)
		warn("exec: cannot start a session: %s",
		    errstr(errno));
	else
		note(1, "exec: started a new session");
}

/*
 * Lead a new process group in the same session, and make it the terminal's
 * foreground so that reads work and Ctrl-C reaches it. SIGTTOU is blocked
 * for the hand-over, or a caller in the background would be stopped; the
 * exec restores the mask pidone was started with.
 */
static void
new_group(int tty)
{
	pid_t pid = getpid();
	sigset_t ttou;

	if (getpgrp() == pid)
		note(1, "exec: already a process group leader");
	else if (setpgid(0, 0) < 0) {
		warn("exec: cannot start a process group: %s",
		    errstr(errno));
		return;
	} else
		note(1, "exec: started a new process group");
	if (tty < 0 || tcgetpgrp(tty) == pid)
		return;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, NULL);
	if (tcsetpgrp(tty, pid) < 0)
		warn("exec: cannot give the terminal to group %d: %s",
		    (int)pid, errstr(errno));
	else
		note(1, "exec: made it the terminal's foreground group");
}

/*
 * Exec-helper mode: give the calling process a process group (and session)
 * of its own, then exec the command in place, so nothing stays resident.
 * A session leader (runc exec, crun 1.20+, exec -t) is left alone. Without
 * a controlling terminal, setsid() gives PGID = SID = PID, as runc does.
 * With one whose session lies outside the container, a new group made the
 * terminal's foreground keeps the terminal, so job control and Ctrl-C work.
 */
int
exec_helper(const struct opts *o, const sigset_t *mask)
{
	int tty = ctty_open();

	exec_report("found", tty);
	if (o->exec_how == EXEC_SETSID)
		new_session(1);
	else if (o->exec_how == EXEC_SETPGID)
		new_group(tty);
	else if (getsid(0) == getpid())
		note(1, "exec: already a session leader: nothing to do");
	else if (tty < 0)
		new_session(0);
	else
		new_group(tty);
	exec_report("now", tty);
	if (tty >= 0)
		close(tty);
	child_exec(o->argv, mask);
	return EXIT_NOEXEC;
}
