/* Unit tests for child.c: starting the command, exec errors, PATH search. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "child.h"
#include "pidone.h"
#include "signals.h"

#define BIT(sig) ((uint64_t)1 << ((sig) - 1))

static sigset_t empty;

/* A fresh temporary directory, its path in dir (at least 64 bytes). */
static void
tmpdir(char *dir)
{
	strcpy(dir, "/tmp/pidone-unit-child.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Write text to path with the given mode. */
static void
put_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* The contents of path, up to size - 1 bytes, NUL-terminated. */
static const char *
get_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Start argv with envp and the given mask; wait for it; its wait status. */
static int
run(char **argv, char **envp, const sigset_t *mask, int *err, pid_t *pid)
{
	struct spawn sp = { argv, envp, mask, 0, -1 };
	int st = -1;
	pid_t p;

	*err = -1;
	p = child_start(&sp, err);
	ck_assert_int_gt(p, 0);
	if (pid != NULL)
		*pid = p;
	ck_assert_int_eq(waitpid(p, &st, 0), p);
	return st;
}

/*
 * Socket activation: a LISTEN_PID naming the parent reaches the command as
 * the command's own PID; one naming anybody else passes unchanged; the
 * other variables pass unchanged either way.
 */
START_TEST(listen_pid)
{
	char out[] = "/tmp/pidone-unit-listen.XXXXXX", mine[32], got[128],
	    want[128];
	char *argv[] = { "/bin/sh", "-c",
	    "echo \"$LISTEN_PID $$ $LISTEN_FDS\" >\"$OUT\"", NULL };
	char outvar[64], *envp[] = { "LISTEN_FDS=1", mine, outvar, NULL };
	struct spawn sp = { argv, envp, &empty, 0, -1 };
	int fd = mkstemp(out), err, st;
	pid_t p;

	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(outvar, sizeof(outvar), "OUT=%s", out);
	snprintf(mine, sizeof(mine), "LISTEN_PID=%d", (int)getpid());
	child_prepare(&sp);
	ck_assert_int_eq(sp.listen_at, 1);
	p = child_start(&sp, &err);
	ck_assert_int_gt(p, 0);
	ck_assert_int_eq(err, 0);
	ck_assert_int_eq(waitpid(p, &st, 0), p);
	snprintf(want, sizeof(want), "%d %d 1\n", (int)p, (int)p);
	ck_assert_str_eq(get_file(out, got, sizeof(got)), want);

	snprintf(mine, sizeof(mine), "LISTEN_PID=%d", (int)getpid() + 1);
	child_prepare(&sp);
	ck_assert_int_eq(sp.listen_at, -1);
	p = child_start(&sp, &err);
	ck_assert_int_eq(waitpid(p, &st, 0), p);
	snprintf(want, sizeof(want), "%d %d 1\n", (int)getpid() + 1, (int)p);
	ck_assert_str_eq(get_file(out, got, sizeof(got)), want);
	unlink(out);
}
END_TEST

/* A command not found: ENOENT, and the child exits 127 to be reaped. */
START_TEST(not_found)
{
	char *argv[] = { "pidone-no-such-command-here", NULL };
	char *envp[] = { "PATH=/nonexistent:/bin:/usr/bin", NULL };
	char *abs[] = { "/nonexistent/dir/cmd", NULL };
	char *notdir[] = { "/etc/passwd/cmd", NULL };
	char *empty_name[] = { "", NULL };
	int err, st;

	st = run(argv, envp, &empty, &err, NULL);
	ck_assert_int_eq(err, ENOENT);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 127);
	st = run(abs, envp, &empty, &err, NULL);
	ck_assert_int_eq(err, ENOENT);
	ck_assert_int_eq(WEXITSTATUS(st), 127);
	st = run(notdir, envp, &empty, &err, NULL);
	ck_assert_int_eq(err, ENOTDIR);
	ck_assert_int_eq(WEXITSTATUS(st), 127);
	st = run(empty_name, envp, &empty, &err, NULL);
	ck_assert_int_eq(err, ENOENT);
	ck_assert_int_eq(WEXITSTATUS(st), 127);
}
END_TEST

/* A file without execute permission, even for root, or a directory: EACCES, 126. */
START_TEST(not_runnable)
{
	char dir[64], path[96];
	char *argv[] = { path, NULL }, *dirv[] = { dir, NULL };
	char *envp[] = { NULL };
	int err, st;

	tmpdir(dir);
	snprintf(path, sizeof(path), "%s/plain", dir);
	put_file(path, "echo should not run\n", 0644);
	st = run(argv, envp, &empty, &err, NULL);
	ck_assert_int_eq(err, EACCES);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 126);
	st = run(dirv, envp, &empty, &err, NULL);
	ck_assert_int_eq(err, EACCES);
	ck_assert_int_eq(WEXITSTATUS(st), 126);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* An executable without "#!" runs under /bin/sh, as $0, with its arguments. */
START_TEST(script_without_shebang)
{
	char dir[64], path[96], out[96], text[256], got[256];
	char *argv[] = { path, "a", "b c", NULL };
	char *envp[] = { "PATH=/bin:/usr/bin", NULL };
	int err, st;

	tmpdir(dir);
	snprintf(path, sizeof(path), "%s/script", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(text, sizeof(text), "printf '%%s|' \"$0\" \"$#\" \"$@\" > %s\n",
	    out);
	put_file(path, text, 0755);
	st = run(argv, envp, &empty, &err, NULL);
	ck_assert_int_eq(err, 0);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	snprintf(text, sizeof(text), "%s|2|a|b c|", path);
	ck_assert_str_eq(get_file(out, got, sizeof(got)), text);
	unlink(out);
	unlink(path);
	rmdir(dir);
}
END_TEST

/*
 * The child leads a process group of its own: seen from the parent, before
 * it is reaped, its group is its PID and not the parent's.
 */
START_TEST(own_group)
{
	char *argv[] = { "sleep", "5", NULL };
	char *envp[] = { "PATH=/bin:/usr/bin", NULL };
	struct spawn sp = { argv, envp, &empty, 0, -1 };
	int err = -1, st;
	pid_t pid;

	pid = child_start(&sp, &err);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(err, 0);
	ck_assert_int_eq(getpgid(pid), pid);
	ck_assert_int_ne(getpgrp(), pid);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st));
	ck_assert_int_eq(WTERMSIG(st), SIGKILL);
}
END_TEST

/* A sigset_t holding exactly the signals of m (1..64), 32..34 included. */
static void
raw_set(sigset_t *set, uint64_t m)
{
	unsigned long w[8 / sizeof(unsigned long)];
	size_t i;

	sigemptyset(set);
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		w[i] = (unsigned long)(m >> (i * 8 * sizeof(unsigned long)));
	memcpy(set, w, sizeof(w));
}

/*
 * The command gets exactly the mask it is given, 33 and 40 included,
 * whatever the caller's: a tiny sh prints its own SigBlk line.
 */
START_TEST(exact_mask)
{
	char dir[64], out[96], cmd[256], got[128];
	char *argv[] = { "sh", "-c", cmd, NULL };
	char *envp[] = { "PATH=/bin:/usr/bin", NULL };
	sigset_t mask, saved;
	int err, st;

	tmpdir(dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(cmd, sizeof(cmd), "while read -r k v; do case $k in SigBlk:) "
	    "echo \"$v\";; esac; done < /proc/self/status > %s", out);
	raw_set(&mask, BIT(SIGUSR2) | BIT(33) | BIT(40));
	sig_block_all(&saved);
	st = run(argv, envp, &mask, &err, NULL);
	ck_assert_int_eq(err, 0);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_str_eq(get_file(out, got, sizeof(got)), "0000008100000800\n");
	unlink(out);
	rmdir(dir);
}
END_TEST

/* 127 for not found, 126 for found but not runnable. */
START_TEST(codes)
{
	ck_assert_int_eq(child_code(ENOENT), 127);
	ck_assert_int_eq(child_code(ENOTDIR), 127);
	ck_assert_int_eq(child_code(EACCES), 126);
	ck_assert_int_eq(child_code(ENOEXEC), 126);
	ck_assert_int_eq(child_code(ENAMETOOLONG), EXIT_NOEXEC);
}
END_TEST

/* SigBlk of this process, as the kernel states it. */
static uint64_t
sigblk(void)
{
	char line[256];
	uint64_t m = 0;
	FILE *f = fopen("/proc/self/status", "r");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "SigBlk: %" SCNx64, &m) == 1)
			break;
	fclose(f);
	return m;
}

/* A failed exec in place returns its errno with every signal blocked again. */
START_TEST(exec_here_fails)
{
	char *argv[] = { "pidone-no-such-command-here", NULL };
	char *envp[] = { "PATH=/nonexistent", NULL };
	char *eacces[] = { "/etc/passwd", NULL };
	struct spawn sp = { argv, envp, &empty, 0, -1 };

	ck_assert_int_eq(child_exec_here(&sp), ENOENT);
	ck_assert_uint_eq(sigblk(), ~(uint64_t)0 & ~BIT(SIGKILL) & ~BIT(SIGSTOP));
	sp.argv = eacces;
	ck_assert_int_eq(child_exec_here(&sp), EACCES);
	ck_assert_uint_eq(sigblk(), ~(uint64_t)0 & ~BIT(SIGKILL) & ~BIT(SIGSTOP));
}
END_TEST

/*
 * PATH is searched in order: a file that is not executable in the first
 * directory is passed over, and the command runs from the second.
 */
START_TEST(path_second)
{
	char d1[64], d2[64], p1[96], p2[96], out[96], text[200], env[200];
	char got[64];
	char *argv[] = { "pidone-unit-prog", NULL };
	char *envp[] = { env, NULL };
	int err, st;

	tmpdir(d1);
	tmpdir(d2);
	snprintf(p1, sizeof(p1), "%s/pidone-unit-prog", d1);
	snprintf(p2, sizeof(p2), "%s/pidone-unit-prog", d2);
	snprintf(out, sizeof(out), "%s/out", d2);
	snprintf(text, sizeof(text), "#!/bin/sh\necho first > %s\n", out);
	put_file(p1, text, 0644);
	snprintf(text, sizeof(text), "#!/bin/sh\necho second > %s\n", out);
	put_file(p2, text, 0755);
	snprintf(env, sizeof(env), "PATH=/nonexistent:%s:%s", d1, d2);
	st = run(argv, envp, &empty, &err, NULL);
	ck_assert_int_eq(err, 0);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_str_eq(get_file(out, got, sizeof(got)), "second\n");
	/* Found only where it cannot run: EACCES, as POSIX asks, not ENOENT. */
	snprintf(env, sizeof(env), "PATH=%s:/nonexistent", d1);
	st = run(argv, envp, &empty, &err, NULL);
	ck_assert_int_eq(err, EACCES);
	ck_assert_int_eq(WEXITSTATUS(st), 126);
	unlink(p1);
	unlink(p2);
	unlink(out);
	rmdir(d1);
	rmdir(d2);
}
END_TEST

/* An empty PATH entry, first, last or between, means the current directory. */
START_TEST(path_empty_entry)
{
	static const char *paths[] = {
		"PATH=/nonexistent:", "PATH=:/nonexistent", "PATH=/nonexistent::/x",
	};
	char dir[64], prog[96], out[96], text[200], got[64];
	char *argv[] = { "pidone-unit-here", NULL };
	char *envp[2] = { NULL, NULL };
	int err, st;
	size_t i;

	tmpdir(dir);
	snprintf(prog, sizeof(prog), "%s/pidone-unit-here", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(text, sizeof(text), "#!/bin/sh\necho here > %s\n", out);
	put_file(prog, text, 0755);
	ck_assert_int_eq(chdir(dir), 0);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		unlink(out);
		envp[0] = (char *)paths[i];
		st = run(argv, envp, &empty, &err, NULL);
		ck_assert_msg(err == 0, "%s: err %d", paths[i], err);
		ck_assert_int_eq(WEXITSTATUS(st), 0);
		ck_assert_str_eq(get_file(out, got, sizeof(got)), "here\n");
	}
	/* Without the empty entry, the current directory is not searched. */
	envp[0] = "PATH=/nonexistent";
	st = run(argv, envp, &empty, &err, NULL);
	ck_assert_int_eq(err, ENOENT);
	ck_assert_int_eq(WEXITSTATUS(st), 127);
	ck_assert_int_eq(chdir("/"), 0);
	unlink(out);
	unlink(prog);
	rmdir(dir);
}
END_TEST

Suite *
child_suite(void)
{
	Suite *s = suite_create("child");
	TCase *t = tcase_create("start");

	sigemptyset(&empty);
	tcase_add_test(t, not_found);
	tcase_add_test(t, listen_pid);
	tcase_add_test(t, not_runnable);
	tcase_add_test(t, script_without_shebang);
	tcase_add_test(t, own_group);
	tcase_add_test(t, exact_mask);
	tcase_add_test(t, codes);
	tcase_add_test(t, exec_here_fails);
	suite_add_tcase(s, t);
	t = tcase_create("path");
	tcase_add_test(t, path_second);
	tcase_add_test(t, path_empty_entry);
	suite_add_tcase(s, t);
	return s;
}
