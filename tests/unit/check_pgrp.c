/* Unit tests for pgrp.c: the exec helper's failures, and no terminal. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "pgrp.h"

/*
 * Run exec_helper for argv in a child with stderr to errfile and no
 * terminal; the child exits with what exec_helper returned. Its status.
 */
static int
helper_status(char **argv, const char *errfile)
{
	char *envp[] = { "PATH=/nonexistent:/bin:/usr/bin", NULL };
	sigset_t none;
	struct spawn sp = { argv, envp, &none, 0, -1 };
	pid_t pid;
	int st = -1, fd;

	sigemptyset(&none);
	if ((pid = fork()) == 0) {
		fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		_exit(exec_helper(EXEC_AUTO, &sp));
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

/* A command not found: 127, and a message naming it and why. */
START_TEST(exec_not_found)
{
	char *a[] = { "pidone-no-such-command-here", NULL };
	char *b[] = { "/nonexistent/dir/cmd", NULL };
	char *c[] = { "/etc/passwd/cmd", NULL };
	char err[] = "/tmp/pidone-unit-err.XXXXXX", line[256];
	int st, fd = mkstemp(err);

	close(fd);
	st = helper_status(a, err);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 127);
	ck_assert_str_eq(first_line(err, line, sizeof(line)),
	    "pidone: cannot run pidone-no-such-command-here: "
	    "No such file or directory");
	st = helper_status(b, err);
	ck_assert_int_eq(WEXITSTATUS(st), 127);
	st = helper_status(c, err);
	ck_assert_int_eq(WEXITSTATUS(st), 127);
	ck_assert_str_eq(first_line(err, line, sizeof(line)),
	    "pidone: cannot run /etc/passwd/cmd: Not a directory");
	unlink(err);
}
END_TEST

/* A file that is not executable (even for root), or a directory: 126. */
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
	st = helper_status(a, err);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 126);
	first_line(err, line, sizeof(line));
	ck_assert_msg(strstr(line, "pidone: cannot run ") == line &&
	    strstr(line, ": Permission denied") != NULL, "message: %s", line);
	st = helper_status(b, err);
	ck_assert_int_eq(WEXITSTATUS(st), 126);
	unlink(path);
	rmdir(dir);
	unlink(err);
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

Suite *
pgrp_suite(void)
{
	Suite *s = suite_create("pgrp");
	TCase *t = tcase_create("exec helper");

	tcase_add_test(t, exec_not_found);
	tcase_add_test(t, exec_not_runnable);
	tcase_add_test(t, no_terminal);
	suite_add_tcase(s, t);
	return s;
}
