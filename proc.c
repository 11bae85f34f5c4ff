/*
 * proc.c: reading /proc of pidone's PID namespace, without the heap: one
 * process's stat line, and a walk over every process.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pidone.h"

/* Read the next space-separated number at *p into *v; advance *p. */
static int
field(char **p, long *v)
{
	long sign = 1, n = 0;
	char *s = *p;

	while (*s == ' ')
		s++;
	if (*s == '-') {
		sign = -1;
		s++;
	}
	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	*v = sign * n;
	*p = s;
	return 0;
}

/* Read a small /proc/PID/NAME file (PID 0: self) into buf; its length, or -1. */
static ssize_t
slurp(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[40];
	ssize_t n;
	int fd;

	if (pid == 0)
		fmt(path, sizeof(path), "/proc/self/%s", name);
	else
		fmt(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	if ((fd = sys_open(path, O_RDONLY)) < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* Fill p from /proc/PID/stat. Returns 0, or -1 if the process is gone. */
int
proc_stat(pid_t pid, struct pinfo *p)
{
	char buf[512], *open_paren, *close_paren, *s;
	long v[7];
	size_t len;
	int i;

	if (slurp(pid, "stat", buf, sizeof(buf)) <= 0)
		return -1;
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (open_paren == NULL || close_paren == NULL || close_paren[1] == '\0')
		return -1;
	len = (size_t)(close_paren - open_paren - 1);
	if (len >= sizeof(p->comm))
		len = sizeof(p->comm) - 1;
	memcpy(p->comm, open_paren + 1, len);
	p->comm[len] = '\0';
	p->pid = pid;
	p->state = close_paren[2];
	s = close_paren + 3;
	/* ppid pgrp session tty_nr tpgid flags, then 13 more to starttime */
	for (i = 0; i < 19; i++)
		if (field(&s, &v[i < 6 ? i : 6]) < 0)
			return -1;
	p->ppid = (pid_t)v[0];
	p->pgid = (pid_t)v[1];
	p->sid = (pid_t)v[2];
	p->tpgid = (pid_t)v[4];
	p->flags = (unsigned long)v[5];
	p->start = (unsigned long)v[6];
	return 0;
}

/*
 * The SigBlk, SigIgn and SigCgt masks of /proc/PID/status into m[0..2],
 * bit N-1 for signal N. Returns 0, 1 when the process sleeps in sigwaitinfo
 * or sigtimedwait, or -1 if it is gone. In that wait the kernel unblocks the
 * signals waited for, and /proc shows only what stays blocked: count every
 * signal not ignored as blocked then, the mask such a waiter keeps (all, for
 * an init like pidone).
 */
int
proc_masks(pid_t pid, unsigned long long m[3])
{
	static const char *const key[3] = { "SigBlk:", "SigIgn:", "SigCgt:" };
	char buf[4096], *s;
	int i;

	m[0] = m[1] = m[2] = 0;
	if (slurp(pid, "status", buf, sizeof(buf)) <= 0)
		return -1;
	for (s = buf; (s = strchr(s, '\n')) != NULL;)
		for (s++, i = 0; i < 3; i++)
			if (strncmp(s, key[i], 7) == 0)
				for (s += 8; (*s >= '0' && *s <= '9') ||
				    (*s >= 'a' && *s <= 'f'); s++)
					m[i] = m[i] << 4 | (unsigned)(*s <= '9' ?
					    *s - '0' : *s - 'a' + 10);
	if (slurp(pid, "wchan", buf, sizeof(buf)) < 15 ||
	    strncmp(buf, "do_sigtimedwait", 15) != 0)
		return 0;
	m[0] |= ~m[1] & ~(1ULL << (SIGKILL - 1) | 1ULL << (SIGSTOP - 1));
	return 1;
}

/* The value of the "key:" line of /proc/PID/status (PID 0: self), or "?". */
void
proc_status(pid_t pid, const char *key, char *buf, size_t size)
{
	char st[4096], *p, *end;
	size_t len = strlen(key);

	fmt(buf, size, "?");
	if (slurp(pid, "status", st, sizeof(st)) <= 0)
		return;
	for (p = st; p != NULL; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, key, len) == 0 && p[len] == ':') {
			for (p += len + 1; *p == '\t' || *p == ' '; p++)
				;
			if ((end = strchr(p, '\n')) != NULL)
				*end = '\0';
			fmt(buf, size, "%s", p);
			return;
		}
}

/*
 * The command line of pid, its arguments joined by spaces and any control
 * character shown as '?', so that it fits one line or one TSV field. Empty
 * for zombies and kernel threads.
 */
void
proc_cmdline(pid_t pid, char *buf, size_t size)
{
	ssize_t n = slurp(pid, "cmdline", buf, size), i;

	for (i = 0; i < n; i++)
		if ((unsigned char)buf[i] < ' ' || buf[i] == 127)
			buf[i] = buf[i] == '\0' ? ' ' : '?';
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
}

/*
 * Call fn for every process in /proc, in directory order, until it returns
 * non-zero. getdents64 into a stack buffer: opendir would allocate.
 */
int
proc_each(int (*fn)(const struct pinfo *, void *), void *arg)
{
	char buf[4096];
	struct pinfo p;
	long n, off;
	int fd = sys_open("/proc", O_RDONLY | O_DIRECTORY), r = 0;

	if (fd < 0)
		return -1;
	while (r == 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (off = 0; r == 0 && off < n;) {
			struct linux_dirent64 {
				unsigned long long d_ino;
				long long d_off;
				unsigned short d_reclen;
				unsigned char d_type;
				char d_name[];
			} *d = (struct linux_dirent64 *)(buf + off);
			long pid = 0;
			char *s = d->d_name;

			off += d->d_reclen;
			if (field(&s, &pid) < 0 || *s != '\0' || pid <= 0)
				continue;
			if (proc_stat((pid_t)pid, &p) == 0)
				r = fn(&p, arg);
		}
	close(fd);
	return r;
}

/* True when pid is a descendant of ancestor, by the chain of PPid. */
int
proc_descends(pid_t pid, pid_t ancestor)
{
	struct pinfo p;
	int depth;

	for (depth = 0; depth < 4096 && pid > 1; depth++) {
		if (proc_stat(pid, &p) < 0)
			return 0;
		if (p.ppid == ancestor)
			return 1;
		pid = p.ppid;
	}
	return 0;
}

/*
 * Whether /proc is this PID namespace's own, so that its PIDs are ours:
 * 1 if so, 0 if it belongs to another namespace, -1 (errno set) if
 * /proc/self cannot be read. /proc/self names this process's PID there.
 */
int
proc_ours(void)
{
	char link[16], pid[16];
	long n = syscall(SYS_readlinkat, AT_FDCWD, "/proc/self", link,
	    sizeof(link) - 1);

	if (n < 0)
		return -1;
	link[n] = '\0';
	fmt(pid, sizeof(pid), "%d", (int)getpid());
	return strcmp(link, pid) == 0;
}
