/* Unit tests for init.c: options, environment, codes, durations, exit status. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "unit.h"
#include "pidone.h"

#define MAXARGS 16

static struct opts o;
static char *argv[MAXARGS];
static int argc;

/* Parse the NULL-terminated words as pidone's command line. */
static int
parse(const char *first, ...)
{
	va_list ap;
	const char *a;

	opts_init(&o);
	argc = 0;
	argv[argc++] = "pidone";
	va_start(ap, first);
	for (a = first; a != NULL && argc < MAXARGS - 1; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return opts_parse(&o, argc, argv);
}

/* Apply the NULL-terminated NAME=VALUE words as pidone's environment. */
static int
env(const char *first, ...)
{
	static char *envp[MAXARGS];
	va_list ap;
	const char *e;
	int n = 0;

	va_start(ap, first);
	for (e = first; e != NULL && n < MAXARGS - 1; e = va_arg(ap, const char *))
		envp[n++] = (char *)e;
	va_end(ap);
	envp[n] = NULL;
	return opts_env(&o, envp);
}

static int
expects(int code)
{
	return (o.expect[code / 8] >> (code % 8)) & 1;
}

START_TEST(defaults)
{
	int s;

	opts_init(&o);
	ck_assert_int_eq(o.mode, MODE_INIT);
	ck_assert_int_eq(o.single, 0);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_int_eq(o.grace_ms, GRACE_DEFAULT_MS);
	for (s = 0; s < NSIG; s++)
		ck_assert_int_eq(o.rewrite[s], s);
	for (s = 0; s < 256; s++)
		ck_assert(!expects(s));
}
END_TEST

/* Options end at the first non-option: the command's own stay its own. */
START_TEST(no_permutation)
{
	ck_assert_int_eq(parse("ls", "-l", NULL), 0);
	ck_assert_ptr_eq(o.argv, argv + 1);
	ck_assert_str_eq(o.argv[0], "ls");
	ck_assert_str_eq(o.argv[1], "-l");
	ck_assert_ptr_null(o.argv[2]);
	ck_assert_int_eq(o.single, 0);
	ck_assert_int_eq(parse("-v", "sh", "-c", "-v", NULL), 0);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert_str_eq(o.argv[0], "sh");
	ck_assert_str_eq(o.argv[2], "-v");
	/* A lone "-" is a command name, not an option. */
	ck_assert_int_eq(parse("-", "x", NULL), 0);
	ck_assert_str_eq(o.argv[0], "-");
}
END_TEST

START_TEST(double_dash)
{
	ck_assert_int_eq(parse("--", "ls", "-l", NULL), 0);
	ck_assert_str_eq(o.argv[0], "ls");
	ck_assert_str_eq(o.argv[1], "-l");
	ck_assert_int_eq(parse("-c", "--", "-v", NULL), 0);
	ck_assert_int_eq(o.single, 1);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_str_eq(o.argv[0], "-v");
	ck_assert_int_eq(parse("--", "--", NULL), 0);
	ck_assert_str_eq(o.argv[0], "--");
	ck_assert_int_eq(parse("--", NULL), EXIT_USAGE);
}
END_TEST

START_TEST(clusters)
{
	ck_assert_int_eq(parse("-vvc", "true", NULL), 0);
	ck_assert_int_eq(o.verbose, 2);
	ck_assert_int_eq(o.single, 1);
	ck_assert_int_eq(parse("-cg", "true", NULL), 0);
	ck_assert_int_eq(o.single, 0);
	ck_assert_int_eq(parse("-swW", "true", NULL), 0);
	ck_assert_int_eq(o.subreaper, 1);
	ck_assert_int_eq(o.warn_reap, 1);
	ck_assert_int_eq(o.wait_all, 1);
	/* A value ends a cluster: the rest of the word, or the next word. */
	ck_assert_int_eq(parse("-e143", "true", NULL), 0);
	ck_assert(expects(143));
	ck_assert_int_eq(parse("-ve", "143", "true", NULL), 0);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert(expects(143));
	ck_assert_int_eq(parse("-cpTERM", "true", NULL), 0);
	ck_assert_int_eq(o.single, 1);
	ck_assert_int_eq(o.pdeath, SIGTERM);
	ck_assert_int_eq(parse("-v", "-v", "-v", "true", NULL), 0);
	ck_assert_int_eq(o.verbose, 3);
}
END_TEST

START_TEST(long_forms)
{
	ck_assert_int_eq(parse("--single-child", "--verbose", "--warn-reap",
	    "--subreaper", "--wait-all", "x", NULL), 0);
	ck_assert_int_eq(o.single, 1);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert_int_eq(o.warn_reap, 1);
	ck_assert_int_eq(o.subreaper, 1);
	ck_assert_int_eq(o.wait_all, 1);
	ck_assert_int_eq(parse("--single-child", "--process-group", "x", NULL),
	    0);
	ck_assert_int_eq(o.single, 0);
	ck_assert_int_eq(parse("--grace=500ms", "x", NULL), 0);
	ck_assert_int_eq(o.grace_ms, 500);
	ck_assert_int_eq(parse("--grace", "2m", "x", NULL), 0);
	ck_assert_int_eq(o.grace_ms, 120000);
	ck_assert_int_eq(parse("-G", "0", "x", NULL), 0);
	ck_assert_int_eq(o.grace_ms, 0);
	ck_assert_int_eq(parse("--expect=0", "--expect", "255", "x", NULL), 0);
	ck_assert(expects(0));
	ck_assert(expects(255));
	ck_assert(!expects(1));
	ck_assert_int_eq(parse("--pdeath-signal=sigkill", "x", NULL), 0);
	ck_assert_int_eq(o.pdeath, SIGKILL);
	ck_assert_int_eq(parse("--rewrite=TERM:QUIT", "-r", "HUP:0",
	    "-rRTMIN+1:USR1", "x", NULL), 0);
	ck_assert_int_eq(o.rewrite[SIGTERM], SIGQUIT);
	ck_assert_int_eq(o.rewrite[SIGHUP], 0);
	ck_assert_int_eq(o.rewrite[SIGRTMIN + 1], SIGUSR1);
	ck_assert_int_eq(o.rewrite[SIGINT], SIGINT);
	ck_assert_int_eq(parse("-e", "3", "-e", "4", "x", NULL), 0);
	ck_assert(expects(3) && expects(4) && !expects(5));
}
END_TEST

START_TEST(modes)
{
	ck_assert_int_eq(parse("-h", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_HELP);
	ck_assert_int_eq(parse("--help", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_HELP);
	ck_assert_int_eq(parse("-V", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_VERSION);
	ck_assert_int_eq(parse("--version", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_VERSION);
	ck_assert_int_eq(parse("-l", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_LICENSE);
	ck_assert_int_eq(parse("--license", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_LICENSE);
	ck_assert_int_eq(parse("-P", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_PAUSE);
	ck_assert_int_eq(parse("-x", "--setsid", "--", "sh", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_EXEC);
	ck_assert_int_eq(o.exec_how, EXEC_SETSID);
	ck_assert_int_eq(parse("--exec", "--setpgid", "sh", NULL), 0);
	ck_assert_int_eq(o.exec_how, EXEC_SETPGID);
	ck_assert_int_eq(parse("-i", "--format=tsv", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_INSPECT);
	ck_assert_int_eq(o.tsv, 1);
	ck_assert_int_eq(parse("--inspect", "--format", "text", NULL), 0);
	ck_assert_int_eq(o.tsv, 0);
}
END_TEST

/* Every bad command line is a usage error, exit code 100. */
START_TEST(bad_input)
{
	static const char *bad[][4] = {
		{ NULL }, { "-c", NULL }, { "-v", "--", NULL }, { "-z", "x", NULL },
		{ "-vz", "x", NULL }, { "--nope", "x", NULL },
		{ "--single", "x", NULL }, { "--help=1", NULL },
		{ "--single-child=1", "x", NULL }, { "-e", NULL },
		{ "--expect", NULL }, { "-e", "256", "x" }, { "-e", "-1", "x" },
		{ "-e", "abc", "x" }, { "-e", "", "x" }, { "-e1000", "x", NULL },
		{ "--expect=", "x", NULL }, { "-p", NULL }, { "-p", "NOPE", "x" },
		{ "-p", "0", "x" }, { "-p", "65", "x" }, { "-r", "TERM", "x" },
		{ "-r", ":TERM", "x" }, { "-r", "TERM:", "x" },
		{ "-r", "KILL:TERM", "x" }, { "-r", "STOP:TERM", "x" },
		{ "-r", "TERM:NOPE", "x" }, { "--rewrite", NULL },
		{ "-G", "5h", "x" }, { "-G", "-1", "x" }, { "--grace=", "x", NULL },
		{ "-G", NULL }, { "--format=xml", "-i", NULL },
		{ "-P", "sleep", NULL }, { "-i", "ls", NULL }, { "-x", NULL },
	};
	size_t i;
	int j;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		opts_init(&o);
		argc = 0;
		argv[argc++] = "pidone";
		for (j = 0; j < 4 && bad[i][j] != NULL; j++)
			argv[argc++] = (char *)bad[i][j];
		argv[argc] = NULL;
		ck_assert_msg(opts_parse(&o, argc, argv) == EXIT_USAGE,
		    "case %zu (%s %s) not a usage error", i,
		    bad[i][0] ? bad[i][0] : "", bad[i][0] && bad[i][1] ?
		    bad[i][1] : "");
	}
}
END_TEST

START_TEST(environment)
{
	opts_init(&o);
	ck_assert_int_eq(env("TINI_SUBREAPER=", NULL), 0);
	ck_assert_int_eq(o.subreaper, 1);
	opts_init(&o);
	ck_assert_int_eq(env("PIDONE_SUBREAPER=1", NULL), 0);
	ck_assert_int_eq(o.subreaper, 1);
	opts_init(&o);
	ck_assert_int_eq(env("PIDONE_SUBREAPER=0", NULL), 0);
	ck_assert_int_eq(o.subreaper, 0);
	opts_init(&o);
	ck_assert_int_eq(env("TINI_SUBREAPERX=1", "XTINI_SUBREAPER=1",
	    "TINI_SUBREAPE=1", "PATH=/bin", NULL), 0);
	ck_assert_int_eq(o.subreaper, 0);

	opts_init(&o);
	ck_assert_int_eq(env("DUMB_INIT_SETSID=0", NULL), 0);
	ck_assert_int_eq(o.single, 1);
	opts_init(&o);
	ck_assert_int_eq(env("DUMB_INIT_SETSID=1", NULL), 0);
	ck_assert_int_eq(o.single, 0);
	opts_init(&o);
	o.single = 1;
	ck_assert_int_eq(env("TINI_KILL_PROCESS_GROUP=1", NULL), 0);
	ck_assert_int_eq(o.single, 0);
	opts_init(&o);
	ck_assert_int_eq(env("PIDONE_SINGLE_CHILD=1", NULL), 0);
	ck_assert_int_eq(o.single, 1);
	ck_assert_int_eq(env("PIDONE_SINGLE_CHILD=0", NULL), 0);
	ck_assert_int_eq(o.single, 0);
	ck_assert_int_eq(env("PIDONE_SINGLE_CHILD=", NULL), 0);
	ck_assert_int_eq(o.single, 0);

	/* tini's verbosity 1 is its quiet default; each level above is a -v. */
	opts_init(&o);
	ck_assert_int_eq(env("TINI_VERBOSITY=3", NULL), 0);
	ck_assert_int_eq(o.verbose, 2);
	ck_assert_int_eq(env("TINI_VERBOSITY=1", NULL), 0);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_int_eq(env("TINI_VERBOSITY=0", NULL), 0);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_int_eq(env("TINI_VERBOSITY=x", NULL), EXIT_USAGE);
	ck_assert_int_eq(env("TINI_VERBOSITY=", NULL), EXIT_USAGE);
	opts_init(&o);
	ck_assert_int_eq(env("PIDONE_VERBOSE=2", NULL), 0);
	ck_assert_int_eq(o.verbose, 2);
	ck_assert_int_eq(env("PIDONE_VERBOSE=-1", NULL), EXIT_USAGE);

	opts_init(&o);
	ck_assert_int_eq(env("PIDONE_GRACE=500ms", NULL), 0);
	ck_assert_int_eq(o.grace_ms, 500);
	ck_assert_int_eq(env("PIDONE_GRACE=soon", NULL), EXIT_USAGE);
	ck_assert_int_eq(env("PIDONE_WAIT_ALL=1", NULL), 0);
	ck_assert_int_eq(o.wait_all, 1);
	ck_assert_int_eq(env("PIDONE_WAIT_ALL=0", NULL), 0);
	ck_assert_int_eq(o.wait_all, 0);
	opts_init(&o);
	ck_assert_int_eq(env(NULL), 0);
	ck_assert_int_eq(opts_env(&o, NULL), 0);
}
END_TEST

/* The command line overrides the environment (main applies it second). */
START_TEST(command_line_wins)
{
	char *envp[] = { "DUMB_INIT_SETSID=0", "PIDONE_VERBOSE=3", NULL };
	char *av[] = { "pidone", "-g", "true", NULL };

	opts_init(&o);
	ck_assert_int_eq(opts_env(&o, envp), 0);
	ck_assert_int_eq(opts_parse(&o, 3, av), 0);
	ck_assert_int_eq(o.single, 0);
	ck_assert_int_eq(o.verbose, 3);
}
END_TEST

START_TEST(codes)
{
	char buf[8];
	int i;

	for (i = 0; i <= 255; i++) {
		snprintf(buf, sizeof(buf), "%d", i);
		ck_assert_int_eq(parse_code(buf), i);
	}
	ck_assert_int_eq(parse_code("007"), 7);
	ck_assert_int_eq(parse_code("256"), -1);
	ck_assert_int_eq(parse_code("1000"), -1);
	ck_assert_int_eq(parse_code("99999999999999999999"), -1);
	ck_assert_int_eq(parse_code(""), -1);
	ck_assert_int_eq(parse_code("-1"), -1);
	ck_assert_int_eq(parse_code("+1"), -1);
	ck_assert_int_eq(parse_code("1a"), -1);
	ck_assert_int_eq(parse_code(" 1"), -1);
	ck_assert_int_eq(parse_code("1 "), -1);
	ck_assert_int_eq(parse_code("0x1"), -1);
}
END_TEST

START_TEST(durations)
{
	ck_assert_int_eq(parse_duration("3"), 3000);
	ck_assert_int_eq(parse_duration("3s"), 3000);
	ck_assert_int_eq(parse_duration("500ms"), 500);
	ck_assert_int_eq(parse_duration("2m"), 120000);
	ck_assert_int_eq(parse_duration("0"), 0);
	ck_assert_int_eq(parse_duration("0ms"), 0);
	ck_assert_int_eq(parse_duration("86400"), 86400000L);
	ck_assert_int_eq(parse_duration("86400s"), 86400000L);
	ck_assert_int_eq(parse_duration("1440m"), 86400000L);
	ck_assert_int_eq(parse_duration("86400000ms"), 86400000L);
	ck_assert_int_eq(parse_duration("86401"), -1);
	ck_assert_int_eq(parse_duration("1441m"), -1);
	ck_assert_int_eq(parse_duration("86400001ms"), -1);
	ck_assert_int_eq(parse_duration("99999999999999999999ms"), -1);
	ck_assert_int_eq(parse_duration(""), -1);
	ck_assert_int_eq(parse_duration("s"), -1);
	ck_assert_int_eq(parse_duration("ms"), -1);
	ck_assert_int_eq(parse_duration("-1"), -1);
	ck_assert_int_eq(parse_duration("1.5s"), -1);
	ck_assert_int_eq(parse_duration("3h"), -1);
	ck_assert_int_eq(parse_duration("3S"), -1);
	ck_assert_int_eq(parse_duration("3 s"), -1);
	ck_assert_int_eq(parse_duration(" 3"), -1);
	ck_assert_int_eq(parse_duration("3sec"), -1);
	ck_assert_int_eq(parse_duration("3mss"), -1);
}
END_TEST

START_TEST(exit_status)
{
	int i;

	opts_init(&o);
	for (i = 0; i <= 255; i++)
		ck_assert_int_eq(exit_code(&o, W_EXITCODE(i, 0)), i);
	for (i = 1; i < NSIG; i++) {
		if (i == SIGSTOP)
			continue;
		ck_assert_int_eq(exit_code(&o, W_EXITCODE(0, i)), 128 + i);
		ck_assert_int_eq(exit_code(&o, W_EXITCODE(0, i) | WCOREFLAG),
		    128 + i);
	}
}
END_TEST

START_TEST(expect_codes)
{
	ck_assert_int_eq(parse("-e", "143", "-e3", "x", NULL), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(0, SIGTERM)), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(143, 0)), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(3, 0)), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(4, 0)), 4);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(0, SIGINT)), 130);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(0, 0)), 0);
	ck_assert_int_eq(parse("-e0", "-e255", "x", NULL), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(255, 0)), 0);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(254, 0)), 254);
	ck_assert_int_eq(exit_code(&o, W_EXITCODE(1, 0)), 1);
}
END_TEST

Suite *
init_suite(void)
{
	Suite *s = suite_create("init");
	TCase *t = tcase_create("options");

	tcase_add_test(t, defaults);
	tcase_add_test(t, no_permutation);
	tcase_add_test(t, double_dash);
	tcase_add_test(t, clusters);
	tcase_add_test(t, long_forms);
	tcase_add_test(t, modes);
	tcase_add_test(t, bad_input);
	suite_add_tcase(s, t);
	t = tcase_create("environment");
	tcase_add_test(t, environment);
	tcase_add_test(t, command_line_wins);
	suite_add_tcase(s, t);
	t = tcase_create("status");
	tcase_add_test(t, codes);
	tcase_add_test(t, durations);
	tcase_add_test(t, exit_status);
	tcase_add_test(t, expect_codes);
	suite_add_tcase(s, t);
	return s;
}
