/*
 * pgrp.c: process groups, sessions and the controlling terminal, for the
 * command pidone starts and for the exec helper, which repairs the group of
 * a process injected into a running container.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
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
	return isatty(0) && tcgetpgrp(0) == getpgrp();
}

/*
 * Make pgrp the terminal's foreground group. SIGTTOU must be blocked, or a
 * caller outside the foreground would be stopped; pidone blocks everything.
 */
void
tty_give(pid_t pgrp)
{
	if (tcsetpgrp(0, pgrp) < 0)
		note(2, "pidone: cannot give the terminal to group %d: %s",
		    (int)pgrp, strerror(errno));
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
 * Restore the mask pidone was started with and run argv, never returning.
 * A failed exec is reported from here, where errno is known, and ends the
 * process with 127 (not found) or 126 (found, not runnable) as shells do.
 */
void
child_exec(char **argv, const sigset_t *mask)
{
	int e;

	sigprocmask(SIG_SETMASK, mask, NULL);
	execvp(argv[0], argv);
	e = errno;
	say(2, "pidone: cannot run %s: %s", argv[0], strerror(e));
	_exit(e == ENOENT || e == ENOTDIR ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

/* Read one "Name:\tvalue" line of /proc/self/status into buf. */
static void
status_line(const char *name, char *buf, size_t size)
{
	char st[4096], *p, *end;
	ssize_t n = 0;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	size_t len = strlen(name);

	fmt(buf, size, "?");
	if (fd < 0)
		return;
	n = read(fd, st, sizeof(st) - 1);
	close(fd);
	if (n <= 0)
		return;
	st[n] = '\0';
	for (p = st; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, name, len) == 0 && p[len] == ':') {
			p += len + 1;
			while (*p == '\t' || *p == ' ')
				p++;
			end = strchr(p, '\n');
			if (end != NULL)
				*end = '\0';
			fmt(buf, size, "%s", p);
			return;
		}
}

/* Report, at -v, the group and session the exec helper found or made. */
static void
exec_report(const char *when)
{
	char nspgid[64], nssid[64];

	if (verbosity < 1)
		return;
	status_line("NSpgid", nspgid, sizeof(nspgid));
	status_line("NSsid", nssid, sizeof(nssid));
	say(2, "pidone: exec: %s: pid %d pgid %d sid %d NSpgid %s NSsid %s",
	    when, (int)getpid(), (int)getpgrp(), (int)getsid(0), nspgid, nssid);
}

/*
 * Exec-helper mode: give the calling process a process group (and session)
 * of its own, then exec the command in place. A session leader (runc exec,
 * crun 1.20+) is left alone. Without a controlling terminal, setsid() gives
 * PGID = SID = PID, as runc does. With one (exec -t), whose session lies
 * outside the container, a new group made the terminal's foreground keeps
 * the terminal usable, so job control and Ctrl-C work.
 */
int
exec_helper(const struct opts *o, const sigset_t *mask)
{
	pid_t pid = getpid();
	enum exec_how how = o->exec_how;
	int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	sigset_t ttou;

	exec_report("found");
	if (how == EXEC_AUTO) {
		if (getsid(0) == pid) {
			note(1, "pidone: exec: already a session leader: "
			    "nothing to do");
			goto run;
		}
		how = tty >= 0 ? EXEC_SETPGID : EXEC_SETSID;
	}
	if (how == EXEC_SETSID) {
		if (setsid() < 0)
			say(2, "pidone: setsid: %s", strerror(errno));
		else
			note(1, "pidone: exec: made a new session");
	} else {
		if (setpgid(0, 0) < 0)
			say(2, "pidone: setpgid: %s", strerror(errno));
		else if (tty >= 0) {
			sigemptyset(&ttou);
			sigaddset(&ttou, SIGTTOU);
			sigprocmask(SIG_BLOCK, &ttou, NULL);
			if (tcsetpgrp(tty, pid) < 0)
				say(2, "pidone: tcsetpgrp: %s", strerror(errno));
			else
				note(1, "pidone: exec: new process group, "
				    "made the terminal's foreground");
		} else
			note(1, "pidone: exec: new process group");
	}
	exec_report("now");
run:
	if (tty >= 0)
		close(tty);
	child_exec(o->argv, mask);
	return EXIT_NOEXEC;
}
