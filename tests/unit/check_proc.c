/* Unit tests for proc.c: /proc's stat and status, the walk, safe signalling. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "proc.h"

#define BIT(sig) ((uint64_t)1 << ((sig) - 1))

/* Milliseconds on the monotonic clock. */
static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The state letter and start time of pid, read here independently of
 * proc.c: the fields after the last ')' of /proc/PID/stat. 0 if gone.
 */
static char
stat_of(pid_t pid, unsigned long long *start)
{
	char path[64], buf[1024], *s, st = 0;
	FILE *f;
	size_t n;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((s = strrchr(buf, ')')) == NULL)
		return 0;
	st = s[2];
	s += 4;
	/* ppid is field 4; starttime is field 22, the 19th after state. */
	for (i = 0; i < 18; i++)
		s = strchr(s, ' ') + 1;
	if (start != NULL)
		*start = strtoull(s, NULL, 10);
	return st;
}

/* Wait, with a deadline of 3 s, until pid sleeps (state S); 1 if it does. */
static int
wait_asleep(pid_t pid)
{
	int64_t end = now_ms() + 3000;

	while (now_ms() < end) {
		if (stat_of(pid, NULL) == 'S')
			return 1;
		usleep(2000);
	}
	return 0;
}

/* Kill and reap pid; its wait status. */
static int
kill_reap(pid_t pid)
{
	int st = -1;

	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return st;
}

/* This process's name, from /proc/self/comm, read here without proc.c. */
static const char *
my_comm(char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/comm", "r");

	buf[0] = '\0';
	if (f != NULL) {
		if (fgets(buf, (int)size, f) != NULL)
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
	ck_assert_int_gt(strlen(buf), 0);
	return buf;
}

/* The stat of this process: its own IDs, running, and its start time. */
START_TEST(stat_self)
{
	struct pinfo p;
	unsigned long long start;
	char comm[32];

	ck_assert_int_eq(proc_stat(getpid(), &p), 0);
	ck_assert_int_eq(p.pid, getpid());
	ck_assert_int_eq(p.ppid, getppid());
	ck_assert_int_eq(p.pgid, getpgrp());
	ck_assert_int_eq(p.sid, getsid(0));
	ck_assert_int_eq(p.state, 'R');
	ck_assert_str_eq(p.comm, my_comm(comm, sizeof(comm)));
	ck_assert_uint_eq(p.flags & 0x00200000, 0);	/* not PF_KTHREAD */
	stat_of(getpid(), &start);
	ck_assert_uint_eq(p.start, start);
	ck_assert_int_eq(proc_stat(0, &p), 0);
	ck_assert_int_eq(p.ppid, getppid());
}
END_TEST

/*
 * A command name with spaces and parentheses cannot fool the parser: the
 * name runs to the last ')'. The fields after it are the child's, asleep,
 * and stay right once it is a zombie; after reaping it is gone.
 */
START_TEST(stat_odd_comm)
{
	struct pinfo p;
	unsigned long long start;
	int ready[2], hold[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(hold), 0);
	if ((pid = fork()) == 0) {
		close(ready[0]);
		close(hold[1]);
		if (prctl(PR_SET_NAME, "a) (b", 0, 0, 0) < 0 ||
		    write(ready[1], "x", 1) != 1)
			_exit(1);
		while (read(hold[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert(wait_asleep(pid));
	ck_assert_int_eq(proc_stat(pid, &p), 0);
	ck_assert_str_eq(p.comm, "a) (b");
	ck_assert_int_eq(p.pid, pid);
	ck_assert_int_eq(p.ppid, getpid());
	ck_assert_int_eq(p.pgid, getpgrp());
	ck_assert_int_eq(p.sid, getsid(0));
	ck_assert_int_eq(p.state, 'S');
	stat_of(pid, &start);
	ck_assert_uint_eq(p.start, start);
	close(hold[1]);
	/* Once it is a zombie, its name stays; poll with a deadline. */
	{
		int64_t end = now_ms() + 3000;

		do
			ck_assert_int_eq(proc_stat(pid, &p), 0);
		while (p.state != 'Z' && now_ms() < end);
	}
	ck_assert_int_eq(p.state, 'Z');
	ck_assert_str_eq(p.comm, "a) (b");
	ck_assert_int_eq(p.ppid, getpid());
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	ck_assert_int_eq(proc_stat(pid, &p), -1);
}
END_TEST

/* The walk finds this process and its parent, with their details. */
static int
find(const struct pinfo *p, void *arg)
{
	int *seen = arg;

	if (p->pid == getpid() && p->ppid == getppid() && p->state == 'R')
		seen[0]++;
	if (p->pid == getppid())
		seen[1]++;
	if (p->pid == 1)
		seen[2]++;
	return 0;
}

static int
stop_at_first(const struct pinfo *p, void *arg)
{
	(void)p;
	++*(int *)arg;
	return 7;
}

/* proc_each visits every process once, and stops at a non-zero return. */
START_TEST(walk)
{
	int seen[3] = { 0, 0, 0 }, calls = 0;

	ck_assert_int_eq(proc_each(find, seen), 0);
	ck_assert_int_eq(seen[0], 1);
	ck_assert_int_eq(seen[1], 1);
	ck_assert_int_eq(seen[2], 1);
	ck_assert_int_eq(proc_each(stop_at_first, &calls), 7);
	ck_assert_int_eq(calls, 1);
}
END_TEST

/* proc_descends follows PPid upwards: children and grandchildren, not parents. */
START_TEST(descends)
{
	int hold[2];
	pid_t child, grand;
	int64_t end;
	struct pinfo p;
	char c;

	ck_assert_int_eq(pipe(hold), 0);
	if ((child = fork()) == 0) {
		close(hold[1]);
		if (fork() == 0) {
			while (read(hold[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		while (read(hold[0], &c, 1) < 0 && errno == EINTR)
			;
		wait(NULL);
		_exit(0);
	}
	close(hold[0]);
	/* Find the grandchild by its parent, with a deadline. */
	grand = 0;
	for (end = now_ms() + 3000; grand == 0 && now_ms() < end; ) {
		char path[64], line[64];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
		    (int)child, (int)child);
		if ((f = fopen(path, "r")) != NULL) {
			if (fgets(line, sizeof(line), f) != NULL)
				grand = atoi(line);
			fclose(f);
		}
		if (grand == 0)
			usleep(2000);
	}
	ck_assert_int_gt(grand, 0);
	ck_assert_int_eq(proc_stat(grand, &p), 0);
	ck_assert_int_eq(p.ppid, child);
	ck_assert_int_eq(proc_descends(child, getpid()), 1);
	ck_assert_int_eq(proc_descends(grand, getpid()), 1);
	ck_assert_int_eq(proc_descends(grand, child), 1);
	ck_assert_int_eq(proc_descends(getpid(), getppid()), 1);
	ck_assert_int_eq(proc_descends(getppid(), getpid()), 0);
	ck_assert_int_eq(proc_descends(child, grand), 0);
	ck_assert_int_eq(proc_descends(getpid(), child), 0);
	close(hold[1]);
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
}
END_TEST

/* /proc here is this namespace's own: pidone's IDs there are its own. */
START_TEST(namespace)
{
	ck_assert_int_eq(proc_self(), getpid());
	ck_assert_int_eq(proc_ns_level(), 0);
	ck_assert_int_eq(proc_ns_id(0, "NSpid", 0), getpid());
	ck_assert_int_eq(proc_ns_id(getpid(), "NSpid", 0), getpid());
	ck_assert_int_eq(proc_ns_id(0, "NSpgid", 0), getpgrp());
	ck_assert_int_eq(proc_ns_id(0, "NSsid", 0), getsid(0));
	ck_assert_int_eq(proc_ns_id(0, "NSpid", 1), -1);
	ck_assert_int_eq(proc_ns_id(0, "NoSuchKey", 0), -1);
}
END_TEST

/*
 * proc_ns_id gives a numeric line's entry, -1 when there is no such line,
 * entry or process; cmdline is joined.
 */
START_TEST(status_and_cmdline)
{
	char buf[256], raw[256];
	ssize_t n, i;
	int fd;

	ck_assert_int_eq(proc_ns_id(0, "Pid", 0), getpid());
	ck_assert_int_eq(proc_ns_id(0, "NSsid", 0), getsid(0));
	ck_assert_int_eq(proc_ns_id(0, "NSpgid", 0), getpgrp());
	ck_assert_int_eq(proc_ns_id(0, "NoSuchKey", 0), -1);
	ck_assert_int_eq(proc_ns_id(0, "Pid", 1), -1);
	ck_assert_int_eq(proc_ns_id(999999999, "Pid", 0), -1);
	fd = open("/proc/self/cmdline", O_RDONLY);
	n = read(fd, raw, sizeof(raw) - 1);
	close(fd);
	ck_assert_int_gt(n, 0);
	for (i = 0; i < n - 1; i++)
		if (raw[i] == '\0')
			raw[i] = ' ';
	raw[n - 1] = '\0';
	proc_cmdline(getpid(), buf, sizeof(buf));
	ck_assert_str_eq(buf, raw);
}
END_TEST

/* A handler that does nothing: its presence is what SigCgt shows. */
static void
on_signal(int sig)
{
	(void)sig;
}

/* SigBlk, SigIgn and SigCgt of a child that set each one, read from /proc. */
START_TEST(masks)
{
	uint64_t m[3];
	int ready[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(ready), 0);
	if ((pid = fork()) == 0) {
		struct sigaction sa;
		sigset_t set;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_IGN;
		sigaction(SIGUSR2, &sa, NULL);
		sa.sa_handler = SIG_DFL;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		sa.sa_handler = on_signal;
		sigaction(SIGHUP, &sa, NULL);
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_SETMASK, &set, NULL);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_eq(proc_masks(pid, m), 0);
	ck_assert_uint_eq(m[0], BIT(SIGUSR1));
	ck_assert(m[1] & BIT(SIGUSR2));
	ck_assert(m[2] & BIT(SIGHUP));
	ck_assert(!((m[0] | m[1] | m[2]) & BIT(SIGTERM)));
	ck_assert(!(m[1] & BIT(SIGHUP)) && !(m[2] & BIT(SIGUSR2)));
	kill_reap(pid);
	ck_assert_int_eq(proc_masks(pid, m), -1);
	ck_assert_uint_eq(m[0] | m[1] | m[2], 0);
}
END_TEST

/*
 * A child asleep in sigwaitinfo on {USR1, TERM} is seen waiting for exactly
 * those (as root, who may read its syscall and memory); TERM then reaches
 * it through the wait, which it reports as its exit status.
 */
START_TEST(waits_sigwait)
{
	uint64_t set = 0xdead;
	pid_t pid;
	int st, r;

	if ((pid = fork()) == 0) {
		sigset_t w;

		sigemptyset(&w);
		sigaddset(&w, SIGUSR1);
		sigaddset(&w, SIGTERM);
		sigprocmask(SIG_BLOCK, &w, NULL);
		_exit(sigwaitinfo(&w, NULL));
	}
	ck_assert(wait_asleep(pid));
	r = proc_waits(pid, &set);
	if (geteuid() == 0) {
		ck_assert_int_eq(r, 0);
		ck_assert_uint_eq(set, BIT(SIGUSR1) | BIT(SIGTERM));
	} else
		ck_assert(r == -1 || set == (BIT(SIGUSR1) | BIT(SIGTERM)));
	kill(pid, SIGTERM);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), SIGTERM);
}
END_TEST

/* A child reading a signalfd for HUP is seen taking HUP, and gets it there. */
START_TEST(waits_signalfd)
{
	uint64_t set = 0xdead;
	int ready[2], st;
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(ready), 0);
	if ((pid = fork()) == 0) {
		struct signalfd_siginfo si;
		sigset_t w;
		int fd;

		sigemptyset(&w);
		sigaddset(&w, SIGHUP);
		sigprocmask(SIG_BLOCK, &w, NULL);
		if ((fd = signalfd(-1, &w, 0)) < 0 || write(ready[1], "x", 1) != 1)
			_exit(1);
		if (read(fd, &si, sizeof(si)) != sizeof(si))
			_exit(2);
		_exit((int)si.ssi_signo);
	}
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert(wait_asleep(pid));
	if (geteuid() == 0) {
		ck_assert_int_eq(proc_waits(pid, &set), 0);
		ck_assert_uint_eq(set, BIT(SIGHUP));
	}
	kill(pid, SIGHUP);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), SIGHUP);
}
END_TEST

/*
 * What pidone cannot know is -1, as documented: a running process names no
 * system call, and a process that is gone has nothing to read.
 */
START_TEST(waits_unknown)
{
	uint64_t set = 0xdead;
	pid_t pid, gone;
	int64_t end;
	char path[64], line[64] = "";
	FILE *f;

	if ((pid = fork()) == 0)
		for (;;)
			;
	/* Until /proc itself says it runs, within a deadline. */
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	for (end = now_ms() + 3000; now_ms() < end; usleep(1000)) {
		if ((f = fopen(path, "r")) != NULL) {
			if (fgets(line, sizeof(line), f) == NULL)
				line[0] = '\0';
			fclose(f);
		}
		if (strncmp(line, "running", 7) == 0)
			break;
	}
	ck_assert_str_eq(line, "running\n");
	ck_assert_int_eq(proc_waits(pid, &set), -1);
	kill_reap(pid);
	if ((gone = fork()) == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	ck_assert_int_eq(proc_waits(gone, &set), -1);
	ck_assert_uint_eq(set, 0);
}
END_TEST

/*
 * proc_signal sends by (pid, start): the right start time delivers, a wrong
 * one (a PID reused by another process) is refused with ESRCH and delivers
 * nothing, and a zombie or a reaped process is ESRCH too.
 */
START_TEST(signal_by_start)
{
	struct pinfo p;
	pid_t pid, gone;
	int st;

	if ((pid = fork()) == 0) {
		sigset_t w;

		sigemptyset(&w);
		sigaddset(&w, SIGUSR1);
		sigaddset(&w, SIGUSR2);
		sigprocmask(SIG_BLOCK, &w, NULL);
		_exit(sigwaitinfo(&w, NULL));
	}
	ck_assert(wait_asleep(pid));
	ck_assert_int_eq(proc_stat(pid, &p), 0);
	errno = 0;
	ck_assert_int_eq(proc_signal(pid, p.start + 1, SIGUSR2), -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(proc_signal(pid, p.start, SIGUSR1), 0);
	/* Now a zombie until reaped: not to be signalled. */
	{
		int64_t end = now_ms() + 3000;

		while (stat_of(pid, NULL) != 'Z' && now_ms() < end)
			usleep(1000);
	}
	errno = 0;
	ck_assert_int_eq(proc_signal(pid, p.start, SIGUSR1), -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	/* The child's first signal was USR1: USR2 was never delivered. */
	ck_assert_int_eq(WEXITSTATUS(st), SIGUSR1);
	if ((gone = fork()) == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	errno = 0;
	ck_assert_int_eq(proc_signal(gone, 1, SIGTERM), -1);
	ck_assert_int_eq(errno, ESRCH);
}
END_TEST

Suite *
proc_suite(void)
{
	Suite *s = suite_create("proc");
	TCase *t = tcase_create("read");

	tcase_add_test(t, stat_self);
	tcase_add_test(t, stat_odd_comm);
	tcase_add_test(t, walk);
	tcase_add_test(t, descends);
	tcase_add_test(t, namespace);
	tcase_add_test(t, status_and_cmdline);
	tcase_add_test(t, masks);
	suite_add_tcase(s, t);
	t = tcase_create("waits");
	tcase_add_test(t, waits_sigwait);
	tcase_add_test(t, waits_signalfd);
	tcase_add_test(t, waits_unknown);
	suite_add_tcase(s, t);
	t = tcase_create("signal");
	tcase_add_test(t, signal_by_start);
	suite_add_tcase(s, t);
	return s;
}
