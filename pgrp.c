/*
 * pgrp.c: process groups, sessions and the controlling terminal, for the
 * command pidone starts and for the exec helper, which repairs the group of
 * a process injected into a running container.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "child.h"
#include "out.h"
#include "pgrp.h"
#include "proc.h"

/*
 * True when standard input is a terminal whose foreground group is known to
 * be ours: only then is the terminal pidone's to hand to the command.
 * Across a PID namespace, getpgrp() and tcgetpgrp() both read 0 when the
 * groups they name lie outside it, whether or not they are the same group:
 * equal numbers prove nothing there. The kernel still knows: with SIGTTIN
 * blocked, as it is in pidone, a read of no bytes fails with EIO from a
 * background group and returns 0 from the foreground one.
 */
int
tty_owned(void)
{
	pid_t fg = tcgetpgrp(0), pg = getpgrp();
	char none;

	if (fg < 0)
		return 0;
	if (pg > 0)
		return fg == pg;
	return fg == 0 && read(0, &none, 0) == 0;
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
 * The controlling terminal on a new descriptor, or -1 when there is none;
 * the caller closes it before the exec.
 * /dev/tty says so directly (ENXIO: no terminal). A container without that
 * node still shows it: TIOCGSID answers only on one's controlling terminal.
 */
static int
ctty_open(void)
{
	int fd = openat(AT_FDCWD, "/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC), i;
	pid_t sid;

	if (fd >= 0 || errno == ENXIO)
		return fd;
	/* The ioctl itself: tcgetsid() is only this, and nothing else in
	 * pidone calls it. */
	for (i = 0; i <= 2; i++)
		if (ioctl(i, TIOCGSID, &sid) >= 0)
			return dup(i);
	return -1;
}

/*
 * Report, at -v, the group and session the exec helper found or made, and
 * the terminal's foreground group (-1: no terminal), as "started" does in
 * init mode. The NS lines of /proc/self/status say the same from the
 * innermost namespace: 0 there means the group or session lies outside
 * the container, -1 that /proc could not tell.
 */
static void
exec_report(const char *when, int tty)
{
	int level;

	if (verbosity < 1)
		return;
	level = proc_ns_level();
	warn("exec: %s: pid %d pgid %d sid %d NSpgid %d NSsid %d foreground %d",
	    when, (int)getpid(), (int)getpgrp(), (int)getsid(0),
	    (int)proc_ns_id(0, "NSpgid", level),
	    (int)proc_ns_id(0, "NSsid", level),
	    tty < 0 ? -1 : (int)tcgetpgrp(tty));
}

/*
 * Lead a new session, as runc exec does. A process group leader cannot, and
 * only a fork would help; the helper stays in place, so it says so instead.
 */
static void
new_session(int forced)
{
	pid_t pid = getpid();
	int leader = getpgrp() == pid;

	if (getsid(0) == pid)
		note(1, "exec: already a session leader: nothing to do");
	else if (leader && !forced)
		note(1, "exec: already a process group leader: "
		    "nothing to do");
	else if (leader || setsid() < 0)
		warn("exec: cannot start a session: %s", leader ?
		    "already a process group leader" : errstr(errno));
	else
		note(1, "exec: started a new session");
}

/*
 * Lead a new process group in the same session, and make it the terminal's
 * foreground so that reads work and Ctrl-C reaches it. SIGTTOU is blocked
 * (exec_helper blocks every signal), or a caller in the background would
 * be stopped by the hand-over.
 */
static void
new_group(int tty)
{
	pid_t pid = getpid();

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
 * The caller blocks every signal first, SIGTTOU for new_group, keeping in
 * s->mask the mask the helper was started with: the exec restores it, and
 * a signal that came meanwhile is delivered then, before the exec.
 * Returns only when the exec failed: the exit status, after saying why.
 */
int
exec_helper(enum exec_how how, const struct spawn *s)
{
	int tty = ctty_open(), e;

	exec_report("found", tty);
	/* By default a session leader goes to new_session, which leaves it
	 * alone; so does a process without a terminal, to start one. */
	if (how == EXEC_SETPGID ||
	    (how == EXEC_AUTO && tty >= 0 && getsid(0) != getpid()))
		new_group(tty);
	else
		new_session(how == EXEC_SETSID);
	exec_report("now", tty);
	if (tty >= 0)
		close(tty);
	e = child_exec_here(s);
	warn("cannot run %s: %s", s->argv[0], errstr(e));
	return child_code(e);
}
