/*
 * proc.c: reading /proc without the heap: one process's stat line and
 * status masks, a walk over every process, and the one safe way to signal
 * a process that the walk chose. /proc may belong to another PID namespace
 * than pidone's (a container started without its own /proc mount): every
 * PID here is in /proc's numbering, and proc_self says where pidone is in
 * it, so callers never mix the two.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "out.h"
#include "parse.h"
#include "proc.h"

/* Read the next whole number at *p, after spaces or tabs (NS* lines),
 * into *v; advance *p. */
static int
field(char **p, int64_t *v)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
	return parse_digits((const char **)p, 1, INT64_MAX / 10, v);
}

/* Read the small file open at fd (or -1) into buf, and close it; its length,
 * or -1. */
static ssize_t
slurp_fd(int fd, char *buf, size_t size)
{
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/*
 * Read the start of the small file name, relative to the directory dir (a
 * descriptor, or AT_FDCWD), into buf, NUL-terminated; its length, or -1.
 * The one file reader: cgroup.c's files too.
 */
ssize_t
slurp_at(int dir, const char *name, char *buf, size_t size)
{
	return slurp_fd(openat(dir, name, O_RDONLY | O_CLOEXEC), buf, size);
}

/*
 * Open /proc/PID/NAME (PID 0: self; NAME "": the directory) with flags,
 * close-on-exec. The one place a /proc path is made.
 */
static int
proc_open(pid_t pid, const char *name, int flags)
{
	char path[48];

	if (pid == 0)
		fmt(path, sizeof(path), "/proc/self/%s", name);
	else
		fmt(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	return openat(AT_FDCWD, path, flags | O_CLOEXEC);
}

/* Read a small /proc/PID/NAME file (PID 0: self) into buf; its length or -1. */
static ssize_t
slurp(pid_t pid, const char *name, char *buf, size_t size)
{
	return slurp_fd(proc_open(pid, name, O_RDONLY), buf, size);
}

/*
 * Call fn(dir, name, arg) for every entry of the directory dir until it
 * returns non-zero; its value, or -1 (errno set) if dir cannot be read.
 * The raw records of getdents64 into a stack buffer, since opendir would
 * allocate; their layout is the kernel's, the same on every architecture.
 */
static int
each_entry(int dir, int (*fn)(int, const char *, void *), void *arg)
{
	struct dirent_k {
		unsigned long long d_ino;
		long long d_off;
		unsigned short d_reclen;
		unsigned char d_type;
		char d_name[];
	} *d;
	long long buf[512];
	long n, off;
	int r = 0;

	while (r == 0 && (n = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0)
		for (off = 0; r == 0 && off < n; off += d->d_reclen) {
			d = (struct dirent_k *)((char *)buf + off);
			r = fn(dir, d->d_name, arg);
		}
	return n < 0 ? -1 : r;
}

/*
 * Read the stat file open at fd (or -1), and close it, into p. Returns 0,
 * or -1 if the process is gone or it is not a stat line.
 */
static int
stat_fd(int fd, pid_t pid, struct pinfo *p)
{
	char buf[512];
	char *open_paren, *close_paren;
	char *s;
	int64_t v[7];
	size_t len;
	int i;

	if (slurp_fd(fd, buf, sizeof(buf)) <= 0)
		return -1;
	open_paren = parse_find(buf, '(');
	close_paren = strrchr(buf, ')');
	if (*open_paren == '\0' || close_paren == NULL || close_paren[1] == '\0')
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
	p->flags = (uint64_t)v[5];
	p->start = (uint64_t)v[6];
	return 0;
}

/* Fill p from /proc/PID/stat. Returns 0, or -1 if the process is gone. */
int
proc_stat(pid_t pid, struct pinfo *p)
{
	return stat_fd(proc_open(pid, "stat", O_RDONLY), pid, p);
}

/*
 * The hexadecimal number at s, as /proc writes it (lower case, no prefix):
 * the masks after "SigBlk:\t" (signal N at bit N-1), addresses after "0x".
 */
static uint64_t
hex(const char *s)
{
	uint64_t m = 0;

	for (; (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'); s++)
		m = m << 4 | (uint64_t)(*s <= '9' ? *s - '0' : *s - 'a' + 10);
	return m;
}

/* The value of the line "key:" in the text of a /proc status file, or NULL. */
static char *
line_of(char *text, const char *key)
{
	size_t len = strlen(key);
	char *p;

	for (p = text; ; p++) {
		if (strncmp(p, key, len) == 0 && p[len] == ':') {
			for (p += len + 1; *p == '\t' || *p == ' '; p++)
				;
			return p;
		}
		if (*(p = parse_find(p, '\n')) == '\0')
			return NULL;
	}
}

/*
 * The SigBlk, SigIgn and SigCgt masks of /proc/PID/status into m[0..2],
 * bit N-1 for signal N, as the kernel states them. Returns 0, or -1 if the
 * process is gone. A process asleep in sigwaitinfo shows the signals it
 * waits for as unblocked: proc_waits tells those.
 */
int
proc_masks(pid_t pid, uint64_t m[3])
{
	static const char key[3][7] = { "SigBlk", "SigIgn", "SigCgt" };
	char buf[4096], *s;
	int i;

	m[0] = m[1] = m[2] = 0;
	if (slurp(pid, "status", buf, sizeof(buf)) <= 0)
		return -1;
	for (i = 0; i < 3; i++)
		if ((s = line_of(buf, key[i])) != NULL)
			m[i] = hex(s);
	return 0;
}

/*
 * The signal set at address addr of pid's memory, as the kernel keeps it:
 * an array of unsigned longs, the lowest signals first. 0, or -1.
 */
static int
read_set(pid_t pid, unsigned long long addr, uint64_t *set)
{
	unsigned long w[8 / sizeof(unsigned long)];
	size_t i;
	int fd;
	ssize_t n;

	if ((fd = proc_open(pid, "mem", O_RDONLY)) < 0)
		return -1;
	n = pread(fd, w, sizeof(w), (off_t)addr);
	close(fd);
	if (n != (ssize_t)sizeof(w))
		return -1;
	for (*set = 0, i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		*set |= (uint64_t)w[i] << (i * 8 * sizeof(unsigned long));
	return 0;
}

/* Whether NR is one of the system calls sigwaitinfo and its kin sleep in. */
static int
is_sigwait(long nr)
{
#ifdef SYS_rt_sigtimedwait
	if (nr == SYS_rt_sigtimedwait)
		return 1;
#endif
#ifdef SYS_rt_sigtimedwait_time64
	if (nr == SYS_rt_sigtimedwait_time64)
		return 1;
#endif
	return 0;
}

/* One entry of /proc/PID/fdinfo: a signalfd's sigmask joins *arg. */
static int
fdinfo_one(int dir, const char *name, void *arg)
{
	char buf[1024], *s;

	if (name[0] != '.' && slurp_at(dir, name, buf, sizeof(buf)) > 0 &&
	    (s = line_of(buf, "sigmask")) != NULL)
		*(uint64_t *)arg |= hex(s);
	return 0;
}

/*
 * The signals pid takes synchronously, into *set: those it sleeps waiting
 * for in sigwaitinfo (the system call /proc/PID/syscall names, and the set
 * at its first argument, in /proc/PID/mem) and those its signalfds read
 * (the sigmask lines of /proc/PID/fdinfo). Returns 0, or -1 when pidone
 * cannot know: these files need the right to trace pid (root, or its owner
 * where ptrace allows), and a running process names no system call.
 */
int
proc_waits(pid_t pid, uint64_t *set)
{
	/* The number, then six arguments, sp and pc in hex: under 160 bytes. */
	char buf[256], *s;
	int64_t nr;
	int dir, r;

	*set = 0;
	if (slurp(pid, "syscall", buf, sizeof(buf)) <= 0 ||
	    strncmp(buf, "running", 7) == 0)
		return -1;
	s = buf;
	if (field(&s, &nr) == 0 && is_sigwait((long)nr)) {
		if (strncmp(s, " 0x", 3) != 0 || read_set(pid, hex(s + 3), set) < 0)
			return -1;
	}
	if ((dir = proc_open(pid, "fdinfo", O_RDONLY | O_DIRECTORY)) < 0)
		return -1;
	r = each_entry(dir, fdinfo_one, set);
	close(dir);
	return r < 0 ? -1 : 0;
}

/*
 * Entry level of the "key:" line of /proc/PID/status (PID 0: self), for
 * NSpid, NSpgid and NSsid: the process's IDs in each PID namespace from
 * /proc's own down to its innermost. -1 where there is no such entry.
 */
pid_t
proc_ns_id(pid_t pid, const char *key, int level)
{
	char st[4096], *s;
	int64_t id = -1;
	int i;

	if (slurp(pid, "status", st, sizeof(st)) <= 0 ||
	    (s = line_of(st, key)) == NULL)
		return -1;
	for (i = 0; i <= level; i++)
		if (field(&s, &id) < 0)
			return -1;
	return (pid_t)id;
}

/*
 * How many PID namespaces lie between /proc's and pidone's own: 0 when
 * /proc is pidone's; the index of pidone's own IDs in NSpid lines.
 */
int
proc_ns_level(void)
{
	int level = 0;

	while (proc_ns_id(0, "NSpid", level + 1) > 0)
		level++;
	return level;
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

/* What proc_each passes each_entry: the caller's function and argument. */
struct walk {
	int (*fn)(const struct pinfo *, void *);
	void *arg;
};

/* One entry of /proc: a process, when its name is a number. */
static int
walk_one(int dir, const char *name, void *arg)
{
	struct walk *w = arg;
	struct pinfo p;
	int64_t pid = parse_number(name, INT32_MAX);

	(void)dir;
	if (pid <= 0 || proc_stat((pid_t)pid, &p) < 0)
		return 0;
	return w->fn(&p, w->arg);
}

/*
 * Call fn for every process in /proc, in directory order, until it returns
 * non-zero; its value, or -1 (errno set) if /proc cannot be read.
 */
int
proc_each(int (*fn)(const struct pinfo *, void *), void *arg)
{
	struct walk w = { fn, arg };
	int fd = openat(AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r, e;

	if (fd < 0)
		return -1;
	r = each_entry(fd, walk_one, &w);
	e = errno;
	close(fd);
	errno = e;
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
 * pidone's PID in /proc's numbering: /proc/self names it. Equal to getpid()
 * when /proc is this PID namespace's own; another number when /proc belongs
 * to an outer namespace; -1 (errno set) when pidone cannot be seen there
 * or /proc cannot be read.
 */
pid_t
proc_self(void)
{
	char link[24];
	int64_t pid;
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);

	if (n < 0)
		return -1;
	link[n] = '\0';
	if ((pid = parse_number(link, INT32_MAX)) <= 0) {
		errno = ESRCH;
		return -1;
	}
	return (pid_t)pid;
}

/*
 * Send sig to the process the walk saw as pid, started at start, through a
 * descriptor of its /proc directory, which is a pidfd: once open it names
 * that process and no other, however PIDs are reused. The start time is
 * checked again after opening, so a PID reused before the open is found
 * out. Kernels before 5.1 have no pidfd_send_signal (no C library wrapped
 * it everywhere then, hence the raw call): there, where /proc is pidone's
 * own, kill(2) follows the check, with the small window the check leaves.
 * Returns 0, or -1 with errno (ESRCH: the process is gone).
 */
int
proc_signal(pid_t pid, uint64_t start, int sig)
{
	struct pinfo p;
	int fd, r = -1;

	if ((fd = proc_open(pid, "", O_RDONLY | O_DIRECTORY)) < 0)
		return errno == ENOENT ? (errno = ESRCH, -1) : -1;
	if (stat_fd(openat(fd, "stat", O_RDONLY | O_CLOEXEC), pid, &p) < 0 ||
	    p.start != start || p.state == 'Z')
		errno = ESRCH;
	else {
#ifdef SYS_pidfd_send_signal
		r = (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
		if (r < 0 && errno == ENOSYS && proc_self() == getpid())
#else
		if (proc_self() == getpid())
#endif
			r = kill(pid, sig);
	}
	close(fd);
	return r;
}
