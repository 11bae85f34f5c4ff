/* Unit tests for signals.c: the name table, rewriting, forwarding, waiting. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "pidone.h"
#include "signals.h"

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
		ck_assert_str_eq(sig_name(names[i].num, buf), names[i].name);
}
END_TEST

START_TEST(numbers)
{
	char buf[16];

	ck_assert_int_eq(sig_number("0"), 0);
	ck_assert_int_eq(sig_number("1"), 1);
	ck_assert_int_eq(sig_number("15"), 15);
	ck_assert_int_eq(sig_number("015"), 15);
	snprintf(buf, sizeof(buf), "%d", NSIG - 1);
	ck_assert_int_eq(sig_number(buf), NSIG - 1);
	snprintf(buf, sizeof(buf), "%d", NSIG);
	ck_assert_int_eq(sig_number(buf), -1);
	ck_assert_int_eq(sig_number("99999999999999999999"), -1);
}
END_TEST

/* Real-time signals are numbered as kill -l, glibc and Docker do. */
START_TEST(realtime)
{
	int span = SIGRTMAX - SIGRTMIN;
	char buf[32];

	ck_assert_int_eq(SIGRTMIN, 34);
	ck_assert_int_eq(sig_number("RTMIN"), SIGRTMIN);
	ck_assert_int_eq(sig_number("SIGRTMIN"), SIGRTMIN);
	ck_assert_int_eq(sig_number("rtmin"), SIGRTMIN);
	ck_assert_int_eq(sig_number("RTMIN+0"), SIGRTMIN);
	ck_assert_int_eq(sig_number("RTMIN+1"), SIGRTMIN + 1);
	ck_assert_int_eq(sig_number("sigrtmin+3"), SIGRTMIN + 3);
	ck_assert_int_eq(sig_number("RTMAX"), SIGRTMAX);
	ck_assert_int_eq(sig_number("RTMAX"), NSIG - 1);
	ck_assert_int_eq(sig_number("RTMAX-0"), SIGRTMAX);
	ck_assert_int_eq(sig_number("RTMAX-1"), SIGRTMAX - 1);
	ck_assert_int_eq(sig_number("SigRtMax-2"), SIGRTMAX - 2);
	snprintf(buf, sizeof(buf), "RTMIN+%d", span);
	ck_assert_int_eq(sig_number(buf), SIGRTMAX);
	snprintf(buf, sizeof(buf), "RTMIN+%d", span + 1);
	ck_assert_int_eq(sig_number(buf), -1);
	snprintf(buf, sizeof(buf), "RTMAX-%d", span);
	ck_assert_int_eq(sig_number(buf), SIGRTMIN);
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

/* sig_name gives back a name sig_number reads as the same signal. */
START_TEST(round_trip)
{
	char buf[16];
	int sig;

	for (sig = 1; sig < NSIG; sig++) {
		sig_name(sig, buf);
		ck_assert_msg(sig_number(buf) == sig, "%d printed as %s, read "
		    "back as %d", sig, buf, sig_number(buf));
	}
}
END_TEST

/* Names as bash's kill -l prints them. */
START_TEST(names_as_kill_l)
{
	char buf[16];

	ck_assert_str_eq(sig_name(SIGRTMIN, buf), "RTMIN");
	ck_assert_str_eq(sig_name(SIGRTMIN + 1, buf), "RTMIN+1");
	ck_assert_str_eq(sig_name(SIGRTMIN + 15, buf), "RTMIN+15");
	ck_assert_str_eq(sig_name(SIGRTMAX - 14, buf), "RTMAX-14");
	ck_assert_str_eq(sig_name(SIGRTMAX - 1, buf), "RTMAX-1");
	ck_assert_str_eq(sig_name(SIGRTMAX, buf), "RTMAX");
	ck_assert_str_eq(sig_name(0, buf), "0");
	ck_assert_str_eq(sig_name(NSIG, buf), "65");
	ck_assert_str_eq(sig_name(-1, buf), "-1");
	ck_assert_str_eq(sig_name(1000, buf), "1000");
}
END_TEST

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
	ck_assert_int_eq(from, SIGRTMIN + 2);
	ck_assert_int_eq(to, SIGRTMAX);
	ck_assert_int_eq(parse_rewrite("INT:KILL", &from, &to), 0);
	ck_assert_int_eq(to, SIGKILL);
	ck_assert_int_eq(parse_rewrite("64:1", &from, &to), 0);
	ck_assert_int_eq(from, 64);
	ck_assert_int_eq(to, 1);
}
END_TEST

START_TEST(rewrite_bad)
{
	/* What is wrong: 1 FROM, 2 TO, 3 the shape. */
	static const struct {
		const char *s;
		int part;
	} bad[] = {
		{ "TERM", 3 }, { "", 3 }, { ":", 3 }, { ":INT", 3 },
		{ "TERM:", 3 }, { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:INT", 3 },
		{ "KILL:TERM", 1 }, { "STOP:TERM", 1 }, { "SIGKILL:0", 1 },
		{ "9:1", 1 }, { "19:1", 1 }, { "CHLD:TERM", 1 }, { "0:TERM", 1 }, { "FOO:TERM", 1 },
		{ "65:TERM", 1 }, { "-1:TERM", 1 }, { "TERM:FOO", 2 },
		{ "TERM:65", 2 }, { "TERM:INT:HUP", 2 }, { "TERM: INT", 2 },
		{ "TERM:-1", 2 },
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

/* Blocking everything leaves every signal but KILL and STOP blocked. */
START_TEST(block_all)
{
	sigset_t before, saved, now;
	int sig;

	sigemptyset(&before);
	sigaddset(&before, SIGUSR1);
	sigaddset(&before, SIGRTMIN + 3);
	sigprocmask(SIG_SETMASK, &before, NULL);
	sig_block_all(&saved);
	ck_assert(sigismember(&saved, SIGUSR1));
	ck_assert(sigismember(&saved, SIGRTMIN + 3));
	ck_assert(!sigismember(&saved, SIGTERM));
	sigprocmask(SIG_SETMASK, NULL, &now);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && (sig < 32 || sig > 33))
			ck_assert_msg(sigismember(&now, sig), "%d not blocked",
			    sig);
}
END_TEST

/* sig_wait returns the pending signal with its sender; 0 on a timeout. */
START_TEST(wait_and_timeout)
{
	siginfo_t si;
	sigset_t saved;

	sig_block_all(&saved);
	ck_assert_int_eq(sig_wait(&si, 1), 0);
	kill(getpid(), SIGUSR1);
	ck_assert_int_eq(sig_wait(&si, -1), SIGUSR1);
	ck_assert_int_eq(si.si_pid, getpid());
	kill(getpid(), SIGRTMIN + 5);
	ck_assert_int_eq(sig_wait(&si, 1000), SIGRTMIN + 5);
	ck_assert_int_eq(sig_wait(&si, 0), 0);
}
END_TEST

/* Forwarding applies the rewrite; TO 0 sends nothing. */
START_TEST(forward)
{
	struct opts o;
	siginfo_t si;
	sigset_t saved;
	pid_t gone;

	opts_init(&o);
	sig_block_all(&saved);
	o.rewrite[SIGUSR1] = SIGUSR2;
	o.rewrite[SIGHUP] = 0;
	ck_assert_int_eq(sig_forward(&o, SIGUSR1, getpid()), SIGUSR2);
	ck_assert_int_eq(sig_wait(&si, 1000), SIGUSR2);
	ck_assert_int_eq(sig_forward(&o, SIGHUP, getpid()), 0);
	/* A group of its own, so that the group signal reaches nobody else. */
	setpgid(0, 0);
	ck_assert_int_eq(getpgrp(), getpid());
	ck_assert_int_eq(sig_forward(&o, SIGTERM, -getpgrp()), SIGTERM);
	ck_assert_int_eq(sig_wait(&si, 1000), SIGTERM);
	/* The dropped HUP never came. */
	ck_assert_int_eq(sig_wait(&si, 0), 0);
	if ((gone = fork()) == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	errno = 0;
	ck_assert_int_eq(sig_forward(&o, SIGTERM, gone), -1);
	ck_assert_int_eq(errno, ESRCH);
}
END_TEST

Suite *
signals_suite(void)
{
	Suite *s = suite_create("signals");
	TCase *t = tcase_create("names");

	tcase_add_loop_test(t, every_name, 0, NNAMES);
	tcase_add_test(t, numbers);
	tcase_add_test(t, realtime);
	tcase_add_test(t, garbage);
	tcase_add_test(t, round_trip);
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
	tcase_add_test(t, forward);
	suite_add_tcase(s, t);
	return s;
}
