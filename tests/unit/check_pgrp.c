/*
 * Unit tests for pgrp.c, in forked children: the exec path's exit codes and
 * mask, the child's process group, the terminal checks without a terminal.
 * proc.c's parsing is tested here too, as the other half of "processes".
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "pidone.h"
#include "pgrp.h"

/* Run child_exec(argv) in a child with stderr to errfile; its wait status. */
static int
exec_status(char **argv, const char *errfile)
{
	sigset_t none;
	pid_t pid;
	int st, fd;

	sigemptyset(&none);
	if ((pid = fork()) == 0) {
		fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		child_exec(argv, &none);
		_exit(99);	/* child_exec never returns */
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

/* The first line of path, without its newline. */
static const char *
first_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f != NULL) {
		if (fgets(buf, (int)size, f) != NULL)
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
	return buf;
}

START_TEST(exec_not_found)
{
	char *a[] = { "pidone-no-such-command-here", NULL };
	char *b[] = { "/nonexistent/dir/cmd", NULL };
	char *c[] = { "/etc/passwd/cmd", NULL };
	char err[] = "/tmp/pidone-unit-err.XXXXXX", line[256];
	int st, fd = mkstemp(err);

	close(fd);
	st = exec_status(a, err);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 127);
	ck_assert_str_eq(first_line(err, line, sizeof(line)),
	    "pidone: cannot run pidone-no-such-command-here: "
	    "No such file or directory");
	st = exec_status(b, err);
	ck_assert_int_eq(WEXITSTATUS(st), 127);
	st = exec_status(c, err);
	ck_assert_int_eq(WEXITSTATUS(st), 127);
	ck_assert_str_eq(first_line(err, line, sizeof(line)),
	    "pidone: cannot run /etc/passwd/cmd: Not a directory");
	unlink(err);
}
END_TEST

START_TEST(exec_not_runnable)
{
	char dir[] = "/tmp/pidone-unit-dir.XXXXXX", path[64], line[256];
	char err[] = "/tmp/pidone-unit-err.XXXXXX";
	char *a[] = { path, NULL }, *b[] = { dir, NULL };
	int st, fd = mkstemp(err);

	close(fd);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/plain", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	/* Not executable, even for root. */
	st = exec_status(a, err);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 126);
	first_line(err, line, sizeof(line));
	ck_assert_msg(strstr(line, "pidone: cannot run ") == line &&
	    strstr(line, ": Permission denied") != NULL, "message: %s", line);
	/* A directory. */
	st = exec_status(b, err);
	ck_assert_int_eq(WEXITSTATUS(st), 126);
	unlink(path);
	rmdir(dir);
	unlink(err);
}
END_TEST

/* The command gets exactly the mask it is given, whatever the caller's. */
START_TEST(exec_mask)
{
	char *argv[] = { "grep", "^SigBlk:", "/proc/self/status", NULL };
	char line[128];
	sigset_t mask, all;
	int fds[2], st;
	pid_t pid;
	FILE *f;

	ck_assert_int_eq(pipe(fds), 0);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR2);	/* 12: bit 11 */
	sigaddset(&mask, SIGRTMIN + 6);	/* 40: bit 39 */
	if ((pid = fork()) == 0) {
		sigfillset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		dup2(fds[1], 1);
		child_exec(argv, &mask);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	fclose(f);
	waitpid(pid, &st, 0);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_str_eq(line, "SigBlk:\t0000008000000800\n");
}
END_TEST

START_TEST(isolate)
{
	pid_t pid;
	int st;

	if ((pid = fork()) == 0) {
		child_isolate(0);
		_exit(getpgrp() == getpid() ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_int_ne(getpgrp(), pid);
}
END_TEST

/* Without a terminal on stdin, pidone owns none and giving one is harmless. */
START_TEST(no_terminal)
{
	int fd = open("/dev/null", O_RDONLY);

	dup2(fd, 0);
	ck_assert_int_eq(tty_owned(), 0);
	tty_give(getpgrp());
	ck_assert_int_eq(tty_owned(), 0);
}
END_TEST

START_TEST(stat_self)
{
	struct pinfo p;

	ck_assert_int_eq(proc_stat(getpid(), &p), 0);
	ck_assert_int_eq(p.pid, getpid());
	ck_assert_int_eq(p.ppid, getppid());
	ck_assert_int_eq(p.pgid, getpgrp());
	ck_assert_int_eq(p.sid, getsid(0));
	ck_assert_int_eq(p.state, 'R');
	ck_assert_int_eq(proc_descends(getpid(), getppid()), 1);
	ck_assert_int_eq(proc_descends(getppid(), getpid()), 0);
}
END_TEST

/* A command name with spaces and parentheses, and a zombie's state. */
START_TEST(stat_odd_comm)
{
	struct pinfo p;
	pid_t pid;
	int fds[2];
	char c;

	ck_assert_int_eq(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		int fd = open("/proc/self/comm", O_WRONLY);

		close(fds[0]);
		if (fd < 0 || write(fd, "a) (b c) x", 10) != 10)
			_exit(1);
		close(fd);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &c, 1), 1);
	close(fds[0]);
	/* Once it is a zombie, its name stays. */
	do
		ck_assert_int_eq(proc_stat(pid, &p), 0);
	while (p.state != 'Z');
	ck_assert_str_eq(p.comm, "a) (b c) x");
	ck_assert_int_eq(p.ppid, getpid());
	ck_assert_int_eq(proc_descends(pid, getpid()), 1);
	waitpid(pid, NULL, 0);
	ck_assert_int_eq(proc_stat(pid, &p), -1);
}
END_TEST

/* The walk finds this process and its parent, with their details. */
static int
find(const struct pinfo *p, void *arg)
{
	int *seen = arg;

	if (p->pid == getpid() && p->ppid == getppid())
		seen[0]++;
	if (p->pid == getppid())
		seen[1]++;
	return 0;
}

static int
stop_at_first(const struct pinfo *p, void *arg)
{
	(void)p;
	++*(int *)arg;
	return 7;
}

START_TEST(walk)
{
	int seen[2] = { 0, 0 }, calls = 0;

	ck_assert_int_eq(proc_each(find, seen), 0);
	ck_assert_int_eq(seen[0], 1);
	ck_assert_int_eq(seen[1], 1);
	ck_assert_int_eq(proc_each(stop_at_first, &calls), 7);
	ck_assert_int_eq(calls, 1);
}
END_TEST

Suite *
pgrp_suite(void)
{
	Suite *s = suite_create("pgrp");
	TCase *t = tcase_create("child");

	tcase_add_test(t, exec_not_found);
	tcase_add_test(t, exec_not_runnable);
	tcase_add_test(t, exec_mask);
	tcase_add_test(t, isolate);
	tcase_add_test(t, no_terminal);
	suite_add_tcase(s, t);
	t = tcase_create("proc");
	tcase_add_test(t, stat_self);
	tcase_add_test(t, stat_odd_comm);
	tcase_add_test(t, walk);
	suite_add_tcase(s, t);
	return s;
}
