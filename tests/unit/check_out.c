/* Unit tests for out.c: the formatter, truncation, and writing it all out. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "out.h"

/* These tests hand fmt formats that printf's checks (out.h) would refuse:
 * an empty one, a NULL string, unknown conversions, a trailing %. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wformat-overflow"
#endif

static char buf[256];

#define FMT_EQ(want, ...) do { \
	int n_ = fmt(buf, sizeof(buf), __VA_ARGS__); \
	ck_assert_str_eq(buf, want); \
	ck_assert_int_eq(n_, (int)strlen(want)); \
} while (0)

/* Each conversion pidone uses prints what printf would, at its extremes. */
START_TEST(conversions)
{
	FMT_EQ("", "");
	FMT_EQ("plain text", "plain text");
	FMT_EQ("a b", "%s %s", "a", "b");
	FMT_EQ("(null)", "%s", (char *)NULL);
	FMT_EQ("x", "%c", 'x');
	FMT_EQ("0 7 -7", "%d %d %d", 0, 7, -7);
	FMT_EQ("2147483647 -2147483648", "%d %d", INT_MAX, INT_MIN);
	FMT_EQ("100%", "100%%");
	FMT_EQ("pid 42: TERM(15)", "pid %d: %s(%d)", 42, "TERM", 15);
}
END_TEST

/* %lld takes 64 bits on every target, including both extremes. */
START_TEST(long_long)
{
	FMT_EQ("9223372036854775807", "%lld", (long long)INT64_MAX);
	FMT_EQ("-9223372036854775808", "%lld", (long long)INT64_MIN);
	FMT_EQ("-1 0 1", "%lld %lld %lld", -1LL, 0LL, 1LL);
	FMT_EQ("86400000 ms", "%lld ms", (long long)86400000);
}
END_TEST

/* Unknown conversions print their letter; a trailing % prints nothing. */
START_TEST(odd_formats)
{
	FMT_EQ("abc", "abc%");
	FMT_EQ("q", "%q");
	FMT_EQ("q", "%lq", 0L);
	FMT_EQ("a", "a%l", 5L);
}
END_TEST

/* A small buffer keeps what fits and its NUL; the length needed is returned. */
START_TEST(truncation)
{
	char small[8];

	memset(small, 'Z', sizeof(small));
	ck_assert_int_eq(fmt(small, 4, "hello"), 5);
	ck_assert_str_eq(small, "hel");
	ck_assert_int_eq(small[4], 'Z');
	ck_assert_int_eq(fmt(small, 1, "hello %d", 12345), 11);
	ck_assert_str_eq(small, "");
	ck_assert_int_eq(small[1], 'e');
	ck_assert_int_eq(fmt(NULL, 0, "%s %d", "none", 3), 6);
	ck_assert_int_eq(fmt(small, sizeof(small), "1234567"), 7);
	ck_assert_str_eq(small, "1234567");
	ck_assert_int_eq(fmt(small, sizeof(small), "12345678"), 8);
	ck_assert_str_eq(small, "1234567");
	ck_assert_int_eq(fmt(small, sizeof(small), "%d", -1234567890), 11);
	ck_assert_str_eq(small, "-123456");
}
END_TEST

/* Read everything from fd into a malloc'd buffer; its length in *len. */
static char *
slurp(int fd, size_t *len)
{
	size_t cap = 1 << 16;
	char *s = malloc(cap);
	ssize_t n;

	*len = 0;
	while ((n = read(fd, s + *len, cap - *len)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && (*len += (size_t)n) == cap)
			s = realloc(s, cap *= 2);
	return s;
}

/* say writes whole lines, cuts long ones keeping the newline; note obeys -v. */
START_TEST(say_lines)
{
	char *got, big[2000];
	int fds[2];
	size_t len;

	ck_assert_int_eq(pipe(fds), 0);
	say(fds[1], "pidone: %s: %d", "cannot", 3);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	say(fds[1], "%s", big);
	/* note() writes to stderr, at or above the verbosity asked for. */
	dup2(fds[1], 2);
	verbosity = 0;
	note(1, "hidden");
	verbosity = 1;
	note(1, "shown %d", 1);
	close(fds[1]);
	close(2);
	got = slurp(fds[0], &len);
	/* The long line is cut to 1022 bytes and still ends in a newline. */
	ck_assert_uint_eq(len, 18 + 1023 + 16);
	ck_assert(memcmp(got, "pidone: cannot: 3\n", 18) == 0);
	ck_assert_int_eq(got[18], 'x');
	ck_assert_int_eq(got[18 + 1021], 'x');
	ck_assert_int_eq(got[18 + 1022], '\n');
	/* note() prefixes what it says with "pidone: ". */
	ck_assert(memcmp(got + 18 + 1023, "pidone: shown 1\n", 16) == 0);
	free(got);
}
END_TEST

/* write_all reports a bad descriptor, and an empty write is no write. */
START_TEST(write_errors)
{
	errno = 0;
	ck_assert_int_eq(write_all(-1, "x", 1), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(write_all(1, "", 0), 0);
}
END_TEST

/* A failed write to stdout is remembered: the first error, not a later one. */
START_TEST(stdout_error)
{
	int full = open("/dev/full", O_WRONLY), fds[2];

	ck_assert_int_ge(full, 0);
	ck_assert_int_eq(out_error(), 0);
	ck_assert_int_eq(pipe(fds), 0);
	say(fds[1], "fine");
	ck_assert_int_eq(out_error(), 0);
	say(full, "lost");
	ck_assert_int_eq(out_error(), ENOSPC);
	close(fds[1]);
	say(fds[1], "bad descriptor");
	ck_assert_int_eq(out_error(), ENOSPC);
	close(full);
	close(fds[0]);
}
END_TEST

static void
on_alarm(int sig)
{
	(void)sig;
}

/*
 * Writes interrupted by a signal (no SA_RESTART) return short or fail with
 * EINTR; write_all must still deliver every byte, in order, to a slow reader.
 */
START_TEST(write_interrupted)
{
	enum { SIZE = 1 << 20 };
	struct itimerval every = { { 0, 500 }, { 0, 500 } }, off = { { 0, 0 },
	    { 0, 0 } };
	struct sigaction sa;
	char *data = malloc(SIZE);
	int fds[2], i, st;
	pid_t pid;

	for (i = 0; i < SIZE; i++)
		data[i] = (char)(i * 7 + i / 251);
	ck_assert_int_eq(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		char chunk[4096];
		size_t total = 0;
		ssize_t n;

		close(fds[1]);
		while ((n = read(fds[0], chunk, sizeof(chunk))) > 0) {
			if (memcmp(chunk, data + total, (size_t)n) != 0)
				_exit(2);
			total += (size_t)n;
			usleep(200);
		}
		_exit(total == SIZE ? 0 : 3);
	}
	close(fds[0]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &every, NULL);
	ck_assert_int_eq(write_all(fds[1], data, SIZE), SIZE);
	setitimer(ITIMER_REAL, &off, NULL);
	close(fds[1]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	free(data);
}
END_TEST

/* Control characters become '?'; other bytes, UTF-8 included, stay. */
START_TEST(value_control)
{
	char v[32];

	ck_assert_str_eq(out_value("a\tb\nc\x7f" "d\x1b", v, sizeof(v)),
	    "a?b?c?d?");
	ck_assert_str_eq(out_value("caf\xc3\xa9", v, sizeof(v)), "caf\xc3\xa9");
	ck_assert_str_eq(out_value("", v, sizeof(v)), "");
	ck_assert_ptr_eq(out_value("x", v, sizeof(v)), v);
}
END_TEST

/* A value too long for the buffer is cut and ends in "..."; one that fits is whole. */
START_TEST(value_long)
{
	char v[16], big[300];

	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	out_value(big, v, sizeof(v));
	ck_assert_uint_eq(strlen(v), sizeof(v) - 1);
	ck_assert_str_eq(v, "yyyyyyyyyyyy...");
	ck_assert_str_eq(out_value("123456789012345", v, sizeof(v)),
	    "123456789012345");
	ck_assert_str_eq(out_value("1234567890123456", v, sizeof(v)),
	    "123456789012...");
}
END_TEST

/* errstr speaks as the C libraries do, and numbers any error it lacks. */
START_TEST(error_strings)
{
	ck_assert_str_eq(errstr(EPERM), "Operation not permitted");
	ck_assert_str_eq(errstr(EMFILE), "Too many open files");
	ck_assert_str_eq(errstr(ENOSPC), "No space left on device");
	ck_assert_str_eq(errstr(ENOENT), "No such file or directory");
	ck_assert_str_eq(errstr(EACCES), "Permission denied");
	ck_assert_str_eq(errstr(9999), "error 9999");
	ck_assert_str_eq(errstr(-3), "error -3");
	ck_assert_str_eq(errstr(0), "error 0");
}
END_TEST

Suite *
out_suite(void)
{
	Suite *s = suite_create("out");
	TCase *t = tcase_create("fmt");

	tcase_add_test(t, conversions);
	tcase_add_test(t, long_long);
	tcase_add_test(t, odd_formats);
	tcase_add_test(t, truncation);
	suite_add_tcase(s, t);
	t = tcase_create("write");
	tcase_add_test(t, say_lines);
	tcase_add_test(t, write_errors);
	tcase_add_test(t, stdout_error);
	tcase_add_test(t, write_interrupted);
	suite_add_tcase(s, t);
	t = tcase_create("text");
	tcase_add_test(t, value_control);
	tcase_add_test(t, value_long);
	tcase_add_test(t, error_strings);
	suite_add_tcase(s, t);
	return s;
}
