/* Unit tests for init.c (built with -Dmain=pidone_main): the exit status. */
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "opts.h"

/* Linux's wait status layout, which glibc names and musl does not. */
#ifndef W_EXITCODE
#define W_EXITCODE(ret, sig) ((ret) << 8 | (sig))
#endif
#ifndef W_STOPCODE
#define W_STOPCODE(sig) ((sig) << 8 | 0x7f)
#endif
#ifndef WCOREFLAG
#define WCOREFLAG 0x80
#endif

/* Not static in init.c, and declared in no header: init.c exports nothing. */
int exit_code(const struct opts *o, int status);
void parent_death(int sig, pid_t parent);

/* Mark code as expected, as -e CODE does. */
static void
expect(struct opts *o, int code)
{
	o->expect[code / 8] |= (unsigned char)(1u << (code % 8));
}

/*
 * The parent-death signal: with the parent pidone started under, it is
 * only asked for; with a parent that is not the current one (it died before
 * the request, and pidone was adopted), it is sent at once, as the kernel
 * would have sent it. Each case in a child, whose pending USR1 is read.
 */
START_TEST(parent_gone_before_pdeath)
{
	int round;

	for (round = 0; round < 2; round++) {
		pid_t pid = fork();
		int st;

		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			sigset_t usr1, pending;
			int sig = 0;

			sigemptyset(&usr1);
			sigaddset(&usr1, SIGUSR1);
			sigprocmask(SIG_BLOCK, &usr1, NULL);
			parent_death(SIGUSR1, round == 0 ? getppid() :
			    getppid() + 100000);
			sigpending(&pending);
			if (prctl(PR_GET_PDEATHSIG, &sig) < 0 || sig != SIGUSR1)
				_exit(3);
			_exit(sigismember(&pending, SIGUSR1) ? 1 : 0);
		}
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		ck_assert(WIFEXITED(st));
		ck_assert_int_eq(WEXITSTATUS(st), round == 0 ? 0 : 1);
	}
}
END_TEST

/* An exit status is passed on as it is, every one of 0..255. */
START_TEST(exit_status)
{
	struct opts o;
	int i;

	opts_init(&o);
	for (i = 0; i <= 255; i++)
		ck_assert_int_eq(exit_code(&o, W_EXITCODE(i, 0)), i);
}
END_TEST

/* A death by signal N gives 128 + N, with or without a core dump. */
START_TEST(signal_deaths)
{
	struct opts o;
	int i;

	opts_init(&o);
	for (i = 1; i < NSIG; i++) {
		if (i == SIGSTOP)
			continue;	/* 0x137f would read as a stop */
		ck_assert_int_eq(exit_code(&o, W_EXITCODE(0, i)), 128 + i);
		ck_assert_int_eq(exit_code(&o, W_EXITCODE(0, i) | WCOREFLAG),
		    128 + i);
	}
}
END_TEST

/* Codes given with -e become 0, whether from an exit or a signal death. */
START_TEST(expect_codes)
{
	struct opts o;

	opts_init(&o);
	expect(&o, 143);
	expect(&o, 3);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(0, SIGTERM)), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(143, 0)), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(3, 0)), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(4, 0)), 4);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(0, SIGINT)), 130);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(0, 0)), 0);
	opts_init(&o);
	expect(&o, 0);
	expect(&o, 255);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(255, 0)), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(254, 0)), 254);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(1, 0)), 1);
}
END_TEST

/* -e as parsed from a command line reaches exit_code the same way. */
START_TEST(expect_parsed)
{
	char *argv[] = { "pidone", "-e", "143", "-e3", "x", NULL };
	struct opts o;

	opts_init(&o);
	ck_assert_int_eq(opts_parse(&o, 5, argv), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(0, SIGTERM)), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(3, 0)), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(0, SIGKILL)), 137);
}
END_TEST

/* A status that is neither an exit nor a death (a stop) gives 1. */
START_TEST(other_status)
{
	struct opts o;

	opts_init(&o);
	ck_assert_int_eq(exit_code(&o, W_STOPCODE(SIGTSTP)), 1);
}
END_TEST

Suite *
init_suite(void)
{
	Suite *s = suite_create("init");
	TCase *t = tcase_create("status");

	tcase_add_test(t, exit_status);
	tcase_add_test(t, parent_gone_before_pdeath);
	tcase_add_test(t, signal_deaths);
	tcase_add_test(t, expect_codes);
	tcase_add_test(t, expect_parsed);
	tcase_add_test(t, other_status);
	suite_add_tcase(s, t);
	return s;
}
