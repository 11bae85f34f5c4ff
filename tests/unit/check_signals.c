/*
 * Unit tests for signals.c: the name table, rewriting, masks, waiting and
 * forwarding. Real-time signals are checked against the numbers kill -l,
 * glibc and Docker use (RTMIN is 34), never against SIGRTMIN, which is 35
 * under musl: these tests must pass whichever C library builds them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "out.h"
#include "signals.h"

/* The real-time range as pidone names it, independent of the C library. */
#define RTMIN 34
#define RTMAX (NSIG - 1)
#define BIT(sig) ((uint64_t)1 << ((sig) - 1))

/* Every name pidone accepts, as kill -l prints it, and its number. */
static const struct {
	const char *name;
	int num;
	int printed;	/* sig_name gives this name back (no alias) */
} names[] = {
	{ "HUP", SIGHUP, 1 }, { "INT", SIGINT, 1 }, { "QUIT", SIGQUIT, 1 },
	{ "ILL", SIGILL, 1 }, { "TRAP", SIGTRAP, 1 }, { "ABRT", SIGABRT, 1 },
	{ "BUS", SIGBUS, 1 }, { "FPE", SIGFPE, 1 }, { "KILL", SIGKILL, 1 },
	{ "USR1", SIGUSR1, 1 }, { "SEGV", SIGSEGV, 1 }, { "USR2", SIGUSR2, 1 },
	{ "PIPE", SIGPIPE, 1 }, { "ALRM", SIGALRM, 1 }, { "TERM", SIGTERM, 1 },
	{ "STKFLT", SIGSTKFLT, 1 }, { "CHLD", SIGCHLD, 1 },
	{ "CONT", SIGCONT, 1 }, { "STOP", SIGSTOP, 1 }, { "TSTP", SIGTSTP, 1 },
	{ "TTIN", SIGTTIN, 1 }, { "TTOU", SIGTTOU, 1 }, { "URG", SIGURG, 1 },
	{ "XCPU", SIGXCPU, 1 }, { "XFSZ", SIGXFSZ, 1 },
	{ "VTALRM", SIGVTALRM, 1 }, { "PROF", SIGPROF, 1 },
	{ "WINCH", SIGWINCH, 1 }, { "IO", SIGIO, 1 }, { "PWR", SIGPWR, 1 },
	{ "SYS", SIGSYS, 1 },
	{ "IOT", SIGABRT, 0 }, { "POLL", SIGIO, 0 }, { "CLD", SIGCHLD, 0 },
};
#define NNAMES (int)(sizeof(names) / sizeof(names[0]))

/* s with every letter in lower case, or alternating case when mixed. */
static const char *
recase(const char *s, int mixed, char *buf)
{
	int i;

	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];
		int lower = mixed ? i % 2 : 1;

		buf[i] = lower && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	buf[i] = '\0';
	return buf;
}

/* Each name, with or without SIG, in any case, gives its number and back. */
START_TEST(every_name)
{
	char buf[32], low[32];
	int i = _i;

	ck_assert_int_eq(sig_number(names[i].name), names[i].num);
	snprintf(buf, sizeof(buf), "SIG%s", names[i].name);
	ck_assert_int_eq(sig_number(buf), names[i].num);
	ck_assert_int_eq(sig_number(recase(buf, 0, low)), names[i].num);
	ck_assert_int_eq(sig_number(recase(buf, 1, low)), names[i].num);
	ck_assert_int_eq(sig_number(recase(names[i].name, 0, low)),
	    names[i].num);
	ck_assert_int_eq(sig_number(recase(names[i].name, 1, low)),
	    names[i].num);
	if (names[i].printed)
		ck_assert_str_eq(sig_name(names[i].num), names[i].name);
}
END_TEST

/*
 * bash's kill -l is the oracle: every "N) SIGNAME" it lists must read back
 * as N, and N must print as NAME. bash is built with glibc, so its list has
 * RTMIN at 34 even when this binary is built with musl.
 */
START_TEST(kill_l)
{
	FILE *p = popen("bash -c 'kill -l' 2>/dev/null", "r");
	char word[64];
	int num, seen = 0, rt = 0;

	ck_assert_ptr_nonnull(p);
	while (fscanf(p, " %d) SIG%63s", &num, word) == 2) {
		ck_assert_msg(sig_number(word) == num, "kill -l: %d) %s, "
		    "sig_number gives %d", num, word, sig_number(word));
		ck_assert_str_eq(sig_name(num), word);
		seen++;
		rt += strncmp(word, "RTM", 3) == 0;
		if (strcmp(word, "RTMIN") == 0)
			ck_assert_int_eq(num, 34);
	}
	pclose(p);
	/* 31 standard signals and 31 real-time ones on Linux. */
	ck_assert_int_ge(seen, 62);
	ck_assert_int_eq(rt, RTMAX - RTMIN + 1);
}
END_TEST

/* Numbers: 0 means no signal, NSIG - 1 is the last, NSIG is none. */
START_TEST(numbers)
{
	char buf[16];

	ck_assert_int_eq(sig_number("0"), 0);
	ck_assert_int_eq(sig_number("1"), 1);
	ck_assert_int_eq(sig_number("15"), 15);
	ck_assert_int_eq(sig_number("015"), 15);
	ck_assert_int_eq(sig_number("32"), 32);
	ck_assert_int_eq(sig_number("33"), 33);
	snprintf(buf, sizeof(buf), "%d", NSIG - 1);
	ck_assert_int_eq(sig_number(buf), NSIG - 1);
	snprintf(buf, sizeof(buf), "%d", NSIG);
	ck_assert_int_eq(sig_number(buf), -1);
	ck_assert_int_eq(sig_number("99999999999999999999"), -1);
	ck_assert_str_eq(sig_name(0), "0");
	ck_assert_str_eq(sig_name(NSIG - 1), "RTMAX");
	snprintf(buf, sizeof(buf), "%d", NSIG);
	ck_assert_str_eq(sig_name(NSIG), buf);
	/* 32 and 33 have no name: kill -l leaves them out. */
	ck_assert_str_eq(sig_name(32), "32");
	ck_assert_str_eq(sig_name(33), "33");
	ck_assert_str_eq(sig_name(-1), "-1");
	ck_assert_str_eq(sig_name(1000), "1000");
}
END_TEST

/* Real-time names count from 34, as kill -l, glibc and Docker do. */
START_TEST(realtime)
{
	int span = RTMAX - RTMIN;
	char buf[32];

	ck_assert_int_eq(sig_number("RTMIN"), 34);
	ck_assert_int_eq(sig_number("SIGRTMIN"), 34);
	ck_assert_int_eq(sig_number("rtmin"), 34);
	ck_assert_int_eq(sig_number("RTMIN+0"), 34);
	ck_assert_int_eq(sig_number("RTMIN+1"), 35);
	ck_assert_int_eq(sig_number("sigrtmin+3"), 37);
	ck_assert_int_eq(sig_number("RTMAX"), RTMAX);
	ck_assert_int_eq(sig_number("RTMAX-0"), RTMAX);
	ck_assert_int_eq(sig_number("RTMAX-1"), RTMAX - 1);
	ck_assert_int_eq(sig_number("SigRtMax-2"), RTMAX - 2);
	snprintf(buf, sizeof(buf), "RTMIN+%d", span);
	ck_assert_int_eq(sig_number(buf), RTMAX);
	snprintf(buf, sizeof(buf), "RTMIN+%d", span + 1);
	ck_assert_int_eq(sig_number(buf), -1);
	snprintf(buf, sizeof(buf), "RTMAX-%d", span);
	ck_assert_int_eq(sig_number(buf), RTMIN);
	snprintf(buf, sizeof(buf), "RTMAX-%d", span + 1);
	ck_assert_int_eq(sig_number(buf), -1);
	ck_assert_int_eq(sig_number("RTMIN-1"), -1);
	ck_assert_int_eq(sig_number("RTMAX+1"), -1);
	ck_assert_int_eq(sig_number("RTMIN+"), -1);
	ck_assert_int_eq(sig_number("RTMAX-"), -1);
	ck_assert_int_eq(sig_number("RTMIN+x"), -1);
	ck_assert_int_eq(sig_number("RTMIN+1x"), -1);
	ck_assert_int_eq(sig_number("RTMIN1"), -1);
	ck_assert_int_eq(sig_number("RTMINI"), -1);
	ck_assert_int_eq(sig_number("RTMIN++1"), -1);
}
END_TEST

/* Anything that is not a name or a plain number is unknown: -1. */
START_TEST(garbage)
{
	static const char *bad[] = {
		"", "SIG", "sig", "S", "TER", "TERMS", "TERM ", " TERM",
		"SIGSIGTERM", "SIG15", "-15", "+15", "15x", "1 5", "0x0f",
		"TE RM", "KILL\n", "USR", "USR3", "RT", "RTMI", "SIGRT",
		"USR\x11", "USR\x12", "HUP\x01", "\xc8UP", "\t", "\x80",
		"TERM:INT", "NONE",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(sig_number(bad[i]) == -1,
		    "sig_number(\"%s\") gave %d", bad[i], sig_number(bad[i]));
}
END_TEST

/* Two names made in the same message (real-time, numbers) stay apart. */
START_TEST(two_names)
{
	char line[64];

	fmt(line, sizeof(line), "%s %s", sig_name(35), sig_name(NSIG - 2));
	ck_assert_str_eq(line, "RTMIN+1 RTMAX-1");
	fmt(line, sizeof(line), "%s %s", sig_name(32), sig_name(15));
	ck_assert_str_eq(line, "32 TERM");
}
END_TEST

/* sig_name gives back a name sig_number reads as the same signal. */
START_TEST(round_trip)
{
	const char *buf;
	int sig;

	for (sig = 1; sig < NSIG; sig++) {
		buf = sig_name(sig);
		ck_assert_msg(sig_number(buf) == sig, "%d printed as %s, read "
		    "back as %d", sig, buf, sig_number(buf));
	}
}
END_TEST

/* Real-time names as bash's kill -l prints them, from the nearer end. */
START_TEST(names_as_kill_l)
{
	ck_assert_str_eq(sig_name(34), "RTMIN");
	ck_assert_str_eq(sig_name(35), "RTMIN+1");
	ck_assert_str_eq(sig_name(49), "RTMIN+15");
	ck_assert_str_eq(sig_name(RTMAX - 14), "RTMAX-14");
	ck_assert_str_eq(sig_name(RTMAX - 1), "RTMAX-1");
	ck_assert_str_eq(sig_name(RTMAX), "RTMAX");
}
END_TEST

/* FROM:TO pairs pidone accepts, with names, numbers and drop (0). */
START_TEST(rewrite_good)
{
	int from = -9, to = -9;

	ck_assert_int_eq(parse_rewrite("TERM:INT", &from, &to), 0);
	ck_assert_int_eq(from, SIGTERM);
	ck_assert_int_eq(to, SIGINT);
	ck_assert_int_eq(parse_rewrite("SIGHUP:sigusr1", &from, &to), 0);
	ck_assert_int_eq(from, SIGHUP);
	ck_assert_int_eq(to, SIGUSR1);
	ck_assert_int_eq(parse_rewrite("15:0", &from, &to), 0);
	ck_assert_int_eq(from, 15);
	ck_assert_int_eq(to, 0);
	ck_assert_int_eq(parse_rewrite("RTMIN+2:RTMAX", &from, &to), 0);
	ck_assert_int_eq(from, 36);
	ck_assert_int_eq(to, RTMAX);
	ck_assert_int_eq(parse_rewrite("INT:KILL", &from, &to), 0);
	ck_assert_int_eq(to, SIGKILL);
	ck_assert_int_eq(parse_rewrite("64:1", &from, &to), 0);
	ck_assert_int_eq(from, 64);
	ck_assert_int_eq(to, 1);
}
END_TEST

/* Bad pairs are refused, naming the part that is wrong: 1 FROM, 2 TO, 3 shape. */
START_TEST(rewrite_bad)
{
	static const struct {
		const char *s;
		int part;
	} bad[] = {
		{ "TERM", 3 }, { "", 3 }, { ":", 3 }, { ":INT", 3 },
		{ "TERM:", 3 }, { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:INT", 3 },
		{ "KILL:TERM", 1 }, { "STOP:TERM", 1 }, { "SIGKILL:0", 1 },
		{ "9:1", 1 }, { "19:1", 1 }, { "CHLD:TERM", 1 }, { "0:TERM", 1 },
		{ "FOO:TERM", 1 }, { "65:TERM", 1 }, { "-1:TERM", 1 },
		{ "TERM:FOO", 2 }, { "TERM:65", 2 }, { "TERM:INT:HUP", 2 },
		{ "TERM: INT", 2 }, { "TERM:-1", 2 },
	};
	size_t i;
	int from, to;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		from = to = -9;
		ck_assert_msg(parse_rewrite(bad[i].s, &from, &to) == -1,
		    "parse_rewrite(\"%s\") accepted", bad[i].s);
		ck_assert_msg(from == bad[i].part, "parse_rewrite(\"%s\"): "
		    "part %d, expected %d", bad[i].s, from, bad[i].part);
	}
}
END_TEST

/* The sender's kind, in a word, from si_code and, for the kernel, the signal. */
START_TEST(how)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGTERM;
	si.si_code = SI_USER;
	ck_assert_str_eq(sig_how(&si), "kill");
	si.si_code = SI_QUEUE;
	ck_assert_str_eq(sig_how(&si), "sigqueue");
	si.si_code = SI_TKILL;
	ck_assert_str_eq(sig_how(&si), "tkill");
	si.si_code = SI_KERNEL;
	ck_assert_str_eq(sig_how(&si), "kernel");
	si.si_signo = SIGINT;
	ck_assert_str_eq(sig_how(&si), "terminal");
	si.si_signo = SIGWINCH;
	ck_assert_str_eq(sig_how(&si), "terminal");
	si.si_signo = SIGCHLD;
	si.si_code = CLD_EXITED;
	ck_assert_str_eq(sig_how(&si), "kernel");
	si.si_code = SI_TIMER;
	ck_assert_str_eq(sig_how(&si), "other");
}
END_TEST

/* SigBlk of this process, as the kernel states it. */
static uint64_t
sigblk(void)
{
	char line[256];
	uint64_t m = 0;
	FILE *f = fopen("/proc/self/status", "r");
	int found = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "SigBlk: %" SCNx64, &m) == 1) {
			found = 1;
			break;
		}
	fclose(f);
	ck_assert(found);
	return m;
}

/* Signals 1..64 of a sigset_t, bit N-1 for N, read from its memory. */
static uint64_t
bits(const sigset_t *set)
{
	unsigned long w[8 / sizeof(unsigned long)];
	uint64_t m = 0;
	size_t i;

	memcpy(w, set, sizeof(w));
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		m |= (uint64_t)w[i] << (i * 8 * sizeof(unsigned long));
	return m;
}

/* Set the kernel's mask to m, bypassing the C library's filtering of 32..34. */
static void
raw_setmask(uint64_t m)
{
	sigset_t set;
	unsigned long w[8 / sizeof(unsigned long)];
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		w[i] = (unsigned long)(m >> (i * 8 * sizeof(unsigned long)));
	memcpy(&set, w, sizeof(w));
	ck_assert_int_eq(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL,
	    NSIG / 8), 0);
}

/*
 * Blocking everything blocks every signal but KILL and STOP, 32..34 too
 * (which the C libraries keep for themselves), as /proc states; the mask
 * before is saved whole, and restored whole.
 */
START_TEST(block_all)
{
	uint64_t before = BIT(SIGUSR1) | BIT(32) | BIT(33) | BIT(34) | BIT(37);
	uint64_t all = ~(uint64_t)0 & ~BIT(SIGKILL) & ~BIT(SIGSTOP);
	sigset_t saved, now;

	raw_setmask(before);
	ck_assert_uint_eq(sigblk(), before);
	sig_block_all(&saved);
	ck_assert_uint_eq(bits(&saved), before);
	ck_assert_uint_eq(sigblk(), all);
	sig_block_all(&now);
	ck_assert_uint_eq(bits(&now), all);
	sig_restore(&saved);
	ck_assert_uint_eq(sigblk(), before);
}
END_TEST

/* Milliseconds on the monotonic clock. */
static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* sig_wait returns the pending signal with its sender; 0 after the timeout. */
START_TEST(wait_and_timeout)
{
	siginfo_t si;
	sigset_t saved;
	int64_t t0;

	sig_block_all(&saved);
	t0 = mono_ms();
	ck_assert_int_eq(sig_wait(&si, 300), 0);
	ck_assert_int_ge(mono_ms() - t0, 290);
	ck_assert_int_eq(sig_wait(&si, 0), 0);
	kill(getpid(), SIGUSR1);
	ck_assert_int_eq(sig_wait(&si, -1), SIGUSR1);
	ck_assert_int_eq(si.si_pid, getpid());
	ck_assert_int_eq(si.si_code, SI_USER);
	kill(getpid(), 39);
	ck_assert_int_eq(sig_wait(&si, 1000), 39);
	/* 32..34, which the C libraries keep for themselves, reach pidone too. */
	kill(getpid(), 32);
	ck_assert_int_eq(sig_wait(&si, 1000), 32);
	kill(getpid(), 33);
	ck_assert_int_eq(sig_wait(&si, 1000), 33);
	kill(getpid(), 34);
	ck_assert_int_eq(sig_wait(&si, 1000), 34);
	ck_assert_int_eq(sig_wait(&si, 0), 0);
}
END_TEST

/* With no timeout sig_wait sleeps until a signal comes, from another process. */
START_TEST(wait_forever)
{
	siginfo_t si;
	sigset_t saved;
	pid_t pid, self = getpid();
	int64_t t0;

	sig_block_all(&saved);
	t0 = mono_ms();
	if ((pid = fork()) == 0) {
		usleep(200000);
		kill(self, SIGHUP);
		_exit(0);
	}
	/* The child's exit also raises CHLD; HUP may come first or second. */
	for (;;) {
		ck_assert_int_lt(mono_ms() - t0, 3000);
		if (sig_wait(&si, -1) == SIGHUP)
			break;
		ck_assert_int_eq(si.si_signo, SIGCHLD);
	}
	ck_assert_int_eq(si.si_pid, pid);
	ck_assert_int_ge(mono_ms() - t0, 190);
	waitpid(pid, NULL, 0);
}
END_TEST

/*
 * Forwarding applies the rewrite table: a child records what it received,
 * and it got USR2 for USR1, RTMIN+5 (39) for INT, TERM as TERM (also by
 * group), and nothing for the dropped HUP.
 */
START_TEST(forward)
{
	unsigned char rw[NSIG];
	sigset_t saved;
	siginfo_t si;
	int go[2], got[2], i, st, n;
	unsigned char rec[16];
	pid_t pid, gone;

	for (i = 0; i < NSIG; i++)
		rw[i] = (unsigned char)i;
	rw[SIGUSR1] = SIGUSR2;
	rw[SIGHUP] = 0;
	rw[SIGINT] = 39;
	sig_block_all(&saved);
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(got), 0);
	if ((pid = fork()) == 0) {
		char c;

		setpgid(0, 0);
		close(go[1]);
		close(got[0]);
		/* Everything is blocked: what was sent is pending until now. */
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		while (sig_wait(&si, 200) > 0) {
			c = (char)si.si_signo;
			if (si.si_pid == getppid() && write(got[1], &c, 1) != 1)
				_exit(2);
		}
		_exit(0);
	}
	setpgid(pid, pid);
	close(go[0]);
	close(got[1]);
	ck_assert_int_eq(sig_forward(rw, SIGUSR1, pid), SIGUSR2);
	ck_assert_int_eq(sig_forward(rw, SIGHUP, pid), 0);
	ck_assert_int_eq(sig_forward(rw, SIGINT, pid), 39);
	ck_assert_int_eq(sig_forward(rw, SIGTERM, -pid), SIGTERM);
	close(go[1]);
	n = 0;
	while (n < (int)sizeof(rec) && (i = (int)read(got[0], rec + n,
	    sizeof(rec) - (size_t)n)) > 0)
		n += i;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* Pending signals come out lowest first. */
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(rec[0], SIGUSR2);
	ck_assert_int_eq(rec[1], SIGTERM);
	ck_assert_int_eq(rec[2], 39);
	/* A process that is gone: -1 and ESRCH from kill. */
	if ((gone = fork()) == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	errno = 0;
	ck_assert_int_eq(sig_forward(rw, SIGTERM, gone), -1);
	ck_assert_int_eq(errno, ESRCH);
}
END_TEST

Suite *
signals_suite(void)
{
	Suite *s = suite_create("signals");
	TCase *t = tcase_create("names");

	tcase_add_loop_test(t, every_name, 0, NNAMES);
	tcase_add_test(t, kill_l);
	tcase_add_test(t, numbers);
	tcase_add_test(t, realtime);
	tcase_add_test(t, garbage);
	tcase_add_test(t, round_trip);
	tcase_add_test(t, two_names);
	tcase_add_test(t, names_as_kill_l);
	suite_add_tcase(s, t);
	t = tcase_create("rewrite");
	tcase_add_test(t, rewrite_good);
	tcase_add_test(t, rewrite_bad);
	suite_add_tcase(s, t);
	t = tcase_create("runtime");
	tcase_add_test(t, how);
	tcase_add_test(t, block_all);
	tcase_add_test(t, wait_and_timeout);
	tcase_add_test(t, wait_forever);
	tcase_add_test(t, forward);
	suite_add_tcase(s, t);
	return s;
}
