/* Unit tests for opts.c: the command line, the environment, -h/-V/-l. */
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "opts.h"
#include "pidone.h"

#define MAXARGS 16

static struct opts o;
static char *argv[MAXARGS];
static int argc;

/* Set up argv as pidone's command line from the NULL-terminated words. */
static void
words(va_list ap, const char *first)
{
	const char *a;

	argc = 0;
	argv[argc++] = "pidone";
	for (a = first; a != NULL && argc < MAXARGS - 1; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	argv[argc] = NULL;
}

/* Parse the NULL-terminated words as pidone's command line. */
static int
parse(const char *first, ...)
{
	va_list ap;

	opts_init(&o);
	va_start(ap, first);
	words(ap, first);
	va_end(ap);
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

/*
 * Run fn (opts_parse on argv, or opts_env on env_of) with fd 2 redirected
 * to a temporary file; return its result and what it wrote to stderr in
 * err (NUL-terminated).
 */
static char **env_of;

static int
run_parse(void)
{
	return opts_parse(&o, argc, argv);
}

static int
run_env(void)
{
	return opts_env(&o, env_of);
}

static int
captured(int (*fn)(void), char *err, size_t size)
{
	char path[] = "/tmp/pidone-unit-stderr.XXXXXX";
	int fd = mkstemp(path), saved = dup(2), r;
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(saved, 0);
	unlink(path);
	dup2(fd, 2);
	opts_init(&o);
	r = fn();
	dup2(saved, 2);
	close(saved);
	n = pread(fd, err, size - 1, 0);
	close(fd);
	err[n > 0 ? n : 0] = '\0';
	return r;
}

/* opts_parse on argv, its stderr in err. */
static int
parse_captured(char *err, size_t size)
{
	return captured(run_parse, err, size);
}

/* Defaults: forward to the group, identity rewrite, the default grace. */
START_TEST(defaults)
{
	int s;

	opts_init(&o);
	ck_assert_int_eq(o.mode, MODE_INIT);
	ck_assert_int_eq(o.exec_how, EXEC_AUTO);
	ck_assert_int_eq(o.single, 0);
	ck_assert_int_eq(o.subreaper, 0);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_int_eq(o.wait_all, 0);
	ck_assert_int_eq(o.pdeath, 0);
	ck_assert_uint_eq(o.set, 0);
	ck_assert_int_eq(o.grace_ms, GRACE_DEFAULT_MS);
	ck_assert_int_eq(GRACE_DEFAULT_MS, 3000);
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

/* "--" ends the options; what follows is the command, even "--" itself. */
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

/* Short options cluster; a value ends a cluster: the rest of the word, or the next. */
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
	ck_assert_int_eq(parse("-e143", "true", NULL), 0);
	ck_assert(expects(143));
	ck_assert(!expects(14) && !expects(1));
	ck_assert_str_eq(o.argv[0], "true");
	ck_assert_int_eq(parse("-ve", "143", "true", NULL), 0);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert(expects(143));
	ck_assert_str_eq(o.argv[0], "true");
	ck_assert_int_eq(parse("-cpTERM", "true", NULL), 0);
	ck_assert_int_eq(o.single, 1);
	ck_assert_int_eq(o.pdeath, SIGTERM);
	ck_assert_int_eq(parse("-v", "-v", "-v", "true", NULL), 0);
	ck_assert_int_eq(o.verbose, 3);
	ck_assert_int_eq(parse("-G500ms", "true", NULL), 0);
	ck_assert_int_eq(o.grace_ms, 500);
}
END_TEST

/* Long options take values after '=' or as the next word. */
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
	ck_assert_str_eq(o.argv[0], "x");
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
	/* RTMIN is 34 whatever the C library says. */
	ck_assert_int_eq(o.rewrite[35], SIGUSR1);
	ck_assert_int_eq(o.rewrite[SIGINT], SIGINT);
	ck_assert_int_eq(parse("-e", "3", "-e", "4", "x", NULL), 0);
	ck_assert(expects(3) && expects(4) && !expects(5));
}
END_TEST

/* Each mode has its short and long form; -x and -i take their own options. */
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
	ck_assert_int_eq(parse("--pause", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_PAUSE);
	ck_assert_int_eq(parse("-x", "--setsid", "--", "sh", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_EXEC);
	ck_assert_int_eq(o.exec_how, EXEC_SETSID);
	ck_assert_str_eq(o.argv[0], "sh");
	ck_assert_int_eq(parse("--exec", "--setpgid", "sh", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_EXEC);
	ck_assert_int_eq(o.exec_how, EXEC_SETPGID);
	ck_assert_int_eq(parse("-i", "--format=tsv", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_INSPECT);
	ck_assert_int_eq(o.tsv, 1);
	ck_assert_int_eq(parse("--inspect", "--format", "text", NULL), 0);
	ck_assert_int_eq(o.tsv, 0);
	/* Help, version and licence ignore a command after them. */
	ck_assert_int_eq(parse("-V", "x", NULL), 0);
	ck_assert_int_eq(o.mode, MODE_VERSION);
}
END_TEST

/*
 * Every bad command line is a usage error, exit code 100, told in exactly
 * one line on stderr that starts with "pidone: " and points to --help.
 */
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
		{ "-G", "86401", "x" }, { "-G", "4294968", "x" },
		{ "-G", NULL }, { "--format=xml", "-i", NULL },
		{ "-P", "sleep", NULL }, { "-i", "ls", NULL }, { "-x", NULL },
		{ "-\x01", "x", NULL }, { "-p", "NO\nPE", "x" },
		{ "--nope\nmore", "x", NULL },
	};
	char err[4096];
	size_t i, k;
	int j, r;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		argc = 0;
		argv[argc++] = "pidone";
		for (j = 0; j < 4 && bad[i][j] != NULL; j++)
			argv[argc++] = (char *)bad[i][j];
		argv[argc] = NULL;
		r = parse_captured(err, sizeof(err));
		ck_assert_msg(r == EXIT_USAGE, "case %zu not a usage error: %d",
		    i, r);
		k = strlen(err);
		ck_assert_msg(k > 0 && err[k - 1] == '\n' &&
		    strchr(err, '\n') == err + k - 1, "case %zu: not one line: "
		    "\"%s\"", i, err);
		ck_assert_msg(strncmp(err, "pidone: ", 8) == 0 &&
		    strstr(err, " (see pidone --help)\n") != NULL,
		    "case %zu: message \"%s\"", i, err);
	}
}
END_TEST

/* A long bad value is cut with "..." so that the message keeps its ending. */
START_TEST(bad_long_value)
{
	char value[600], err[4096];

	memset(value, 'A', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	argc = 0;
	argv[argc++] = "pidone";
	argv[argc++] = "-p";
	argv[argc++] = value;
	argv[argc++] = "x";
	argv[argc] = NULL;
	ck_assert_int_eq(parse_captured(err, sizeof(err)), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err, "pidone: unknown signal: AAA"));
	ck_assert_ptr_nonnull(strstr(err, "A... (see pidone --help)\n"));
	ck_assert_uint_lt(strlen(err), 200);
	/* Control characters are shown as '?', keeping it one line. */
	argv[2] = "NO\nPE\r";
	ck_assert_int_eq(parse_captured(err, sizeof(err)), EXIT_USAGE);
	ck_assert_str_eq(err, "pidone: unknown signal: NO?PE? "
	    "(see pidone --help)\n");
}
END_TEST

/* opts_env on envp, its stderr in err. */
static int
env_captured(char **envp, char *err, size_t size)
{
	env_of = envp;
	return captured(run_env, err, size);
}

/* -D and --drain take a duration, as -G does. */
START_TEST(drain_flag)
{
	ck_assert_int_eq(parse("-D", "10s", "x", NULL), 0);
	ck_assert_int_eq(o.drain_ms, 10000);
	ck_assert_int_eq(parse("--drain=250ms", "x", NULL), 0);
	ck_assert_int_eq(o.drain_ms, 250);
	ck_assert_int_eq(parse("x", NULL), 0);
	ck_assert_int_eq(o.drain_ms, 0);
	ck_assert_int_eq(parse("-D", "soon", "x", NULL), EXIT_USAGE);
}
END_TEST

/*
 * Every behaviour option has a variable; lists split at spaces and
 * commas; a bad value is the flag's message after the variable's name, on
 * one line.
 */
START_TEST(every_option_from_env)
{
	char *rw[] = { "PIDONE_REWRITE=TERM:USR1, INT:0,,HUP:RTMIN+2", NULL };
	char *ex[] = { "PIDONE_EXPECT= 3,143 4 ", NULL };
	char *mix[] = { "PIDONE_DRAIN=2m", "PIDONE_WARN_REAP=1",
	    "PIDONE_PDEATH_SIGNAL=hup", "PIDONE_GRACE=0", NULL };
	char *bad1[] = { "PIDONE_GRACE=3x", NULL };
	char *bad2[] = { "PIDONE_EXPECT=3,256", NULL };
	char *bad3[] = { "PIDONE_REWRITE=KILL:TERM", NULL };
	char *bad4[] = { "PIDONE_VERBOSE=lots", NULL };
	char err[512];

	ck_assert_int_eq(env_captured(rw, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(o.rewrite[SIGTERM], SIGUSR1);
	ck_assert_int_eq(o.rewrite[SIGINT], 0);
	ck_assert_int_eq(o.rewrite[SIGHUP], 36);
	ck_assert_int_eq(o.rewrite[SIGQUIT], SIGQUIT);
	ck_assert_int_eq(env_captured(ex, err, sizeof(err)), 0);
	ck_assert(expects(3) && expects(143) && expects(4) && !expects(5));
	ck_assert_int_eq(env_captured(mix, err, sizeof(err)), 0);
	ck_assert_int_eq(o.drain_ms, 120000);
	ck_assert_int_eq(o.warn_reap, 1);
	ck_assert_int_eq(o.pdeath, SIGHUP);
	ck_assert_int_eq(o.grace_ms, 0);
	/* The environment is not the command line: nothing is marked set. */
	ck_assert_uint_eq(o.set, 0);

	ck_assert_int_eq(env_captured(bad1, err, sizeof(err)), EXIT_USAGE);
	ck_assert_str_eq(err, "pidone: PIDONE_GRACE: bad duration: 3x "
	    "(see pidone --help)\n");
	ck_assert_int_eq(env_captured(bad2, err, sizeof(err)), EXIT_USAGE);
	ck_assert_str_eq(err, "pidone: PIDONE_EXPECT: exit code not in "
	    "0..255: 256 (see pidone --help)\n");
	ck_assert_int_eq(env_captured(bad3, err, sizeof(err)), EXIT_USAGE);
	ck_assert_str_eq(err, "pidone: PIDONE_REWRITE: cannot rewrite signal: "
	    "KILL:TERM (see pidone --help)\n");
	ck_assert_int_eq(env_captured(bad4, err, sizeof(err)), EXIT_USAGE);
	ck_assert_str_eq(err, "pidone: PIDONE_VERBOSE: not a number in "
	    "0..255: lots (see pidone --help)\n");
}
END_TEST

/* A rewrite or expect flag overrides the whole variable, bad or not. */
START_TEST(list_flag_wins)
{
	char *envp[] = { "PIDONE_REWRITE=bogus", "PIDONE_EXPECT=bogus",
	    "PIDONE_DRAIN=bogus", NULL };

	ck_assert_int_eq(parse("-r", "TERM:HUP", "-e", "7", "-D", "1",
	    "x", NULL), 0);
	ck_assert_int_eq(opts_env(&o, envp), 0);
	ck_assert_int_eq(o.rewrite[SIGTERM], SIGHUP);
	ck_assert(expects(7));
	ck_assert_int_eq(o.drain_ms, 1000);
}
END_TEST

/* tini's, dumb-init's and pidone's variables, with their own meanings. */
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
	ck_assert_int_eq(env("PIDONE_GRACE=4294968", NULL), EXIT_USAGE);
	ck_assert_int_eq(env("PIDONE_WAIT_ALL=1", NULL), 0);
	ck_assert_int_eq(o.wait_all, 1);
	ck_assert_int_eq(env("PIDONE_WAIT_ALL=0", NULL), 0);
	ck_assert_int_eq(o.wait_all, 0);
	opts_init(&o);
	ck_assert_int_eq(env(NULL), 0);
	ck_assert_int_eq(opts_env(&o, NULL), 0);
	ck_assert_int_eq(o.grace_ms, GRACE_DEFAULT_MS);
}
END_TEST

/* The command line wins over every variable for the same setting. */
START_TEST(command_line_wins)
{
	char *envp[] = { "DUMB_INIT_SETSID=0", "PIDONE_VERBOSE=3",
	    "PIDONE_SUBREAPER=0", "PIDONE_GRACE=9", "PIDONE_WAIT_ALL=0",
	    "PIDONE_SINGLE_CHILD=1", NULL };

	ck_assert_int_eq(parse("-g", "-v", "-s", "-G", "1", "-W", "true",
	    NULL), 0);
	ck_assert_int_eq(opts_env(&o, envp), 0);
	ck_assert_int_eq(o.single, 0);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert_int_eq(o.subreaper, 1);
	ck_assert_int_eq(o.grace_ms, 1000);
	ck_assert_int_eq(o.wait_all, 1);
	/* And what the command line left unset still comes from them. */
	ck_assert_int_eq(parse("true", NULL), 0);
	ck_assert_int_eq(opts_env(&o, envp), 0);
	ck_assert_int_eq(o.single, 1);
	ck_assert_int_eq(o.verbose, 3);
	ck_assert_int_eq(o.grace_ms, 9000);
}
END_TEST

/* A variable a flag overrides is not read at all: its bad value cannot fail. */
START_TEST(overridden_not_read)
{
	ck_assert_int_eq(parse("-G", "1", "true", NULL), 0);
	ck_assert_int_eq(env("PIDONE_GRACE=bogus", NULL), 0);
	ck_assert_int_eq(o.grace_ms, 1000);
	ck_assert_int_eq(parse("-v", "true", NULL), 0);
	ck_assert_int_eq(env("PIDONE_VERBOSE=x", "TINI_VERBOSITY=y", NULL), 0);
	ck_assert_int_eq(o.verbose, 1);
	/* Without the flag the same value is an error. */
	ck_assert_int_eq(parse("true", NULL), 0);
	ck_assert_int_eq(env("PIDONE_GRACE=bogus", NULL), EXIT_USAGE);
}
END_TEST

/* Run opts_print for the given mode with stdout on fd; its result. */
static int
print_to(int fd, enum mode mode)
{
	int saved = dup(1), r;

	opts_init(&o);
	o.mode = mode;
	dup2(fd, 1);
	r = opts_print(&o);
	dup2(saved, 1);
	close(saved);
	return r;
}

/* -h, -V and -l print their text; version carries the build's VERSION. */
START_TEST(print_texts)
{
	char path[] = "/tmp/pidone-unit-stdout.XXXXXX", text[8192];
	int fd = mkstemp(path);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(print_to(fd, MODE_VERSION), 0);
	ck_assert_int_eq(print_to(fd, MODE_HELP), 0);
	ck_assert_int_eq(print_to(fd, MODE_LICENSE), 0);
	n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	ck_assert_int_gt(n, 0);
	text[n] = '\0';
	ck_assert(strncmp(text, "pidone " VERSION, strlen("pidone " VERSION))
	    == 0);
	ck_assert_ptr_nonnull(strstr(text, "\nusage: pidone "));
	ck_assert_ptr_nonnull(strstr(text, "\n  -c, --single-child\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n      --setsid\n"));
	ck_assert_ptr_nonnull(strstr(text, "\nSee pidone(1).\nMIT License\n"));
}
END_TEST

/* A full stdout fails -h, -V and -l with 111 and one line on stderr. */
START_TEST(print_full)
{
	enum mode m[] = { MODE_HELP, MODE_VERSION, MODE_LICENSE };
	char path[] = "/tmp/pidone-unit-stderr.XXXXXX", err[512];
	int full = open("/dev/full", O_WRONLY), fd = mkstemp(path), i;
	ssize_t n;

	ck_assert_int_ge(full, 0);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	dup2(fd, 2);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(print_to(full, m[i]), EXIT_SYSTEM);
	n = pread(fd, err, sizeof(err) - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	ck_assert_str_eq(err, "pidone: stdout: No space left on device\n"
	    "pidone: stdout: No space left on device\n"
	    "pidone: stdout: No space left on device\n");
}
END_TEST

/* A closed stdout fails them too: the output asked for was not given. */
START_TEST(print_closed)
{
	char path[] = "/tmp/pidone-unit-stderr.XXXXXX", err[512];
	int fd = mkstemp(path);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	dup2(fd, 2);
	close(1);
	opts_init(&o);
	o.mode = MODE_VERSION;
	ck_assert_int_eq(opts_print(&o), EXIT_SYSTEM);
	o.mode = MODE_HELP;
	ck_assert_int_eq(opts_print(&o), EXIT_SYSTEM);
	n = pread(fd, err, sizeof(err) - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	ck_assert_str_eq(err, "pidone: stdout: Bad file descriptor\n"
	    "pidone: stdout: Bad file descriptor\n");
}
END_TEST

Suite *
opts_suite(void)
{
	Suite *s = suite_create("opts");
	TCase *t = tcase_create("command line");

	tcase_add_test(t, defaults);
	tcase_add_test(t, no_permutation);
	tcase_add_test(t, double_dash);
	tcase_add_test(t, clusters);
	tcase_add_test(t, long_forms);
	tcase_add_test(t, modes);
	tcase_add_test(t, bad_input);
	tcase_add_test(t, bad_long_value);
	tcase_add_test(t, drain_flag);
	suite_add_tcase(s, t);
	t = tcase_create("environment");
	tcase_add_test(t, environment);
	tcase_add_test(t, command_line_wins);
	tcase_add_test(t, overridden_not_read);
	tcase_add_test(t, every_option_from_env);
	tcase_add_test(t, list_flag_wins);
	suite_add_tcase(s, t);
	t = tcase_create("print");
	tcase_add_test(t, print_texts);
	tcase_add_test(t, print_full);
	tcase_add_test(t, print_closed);
	suite_add_tcase(s, t);
	return s;
}
