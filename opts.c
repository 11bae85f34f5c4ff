/*
 * opts.c: what pidone is asked to do. The command line, then the
 * environment for what the command line left unset, and the fixed texts
 * (help, version, licence) that those modes print.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "opts.h"
#include "out.h"
#include "parse.h"
#include "pidone.h"
#include "signals.h"

#ifndef VERSION
#define VERSION "0.2.0"
#endif

/*
 * What --version prints. Docker's daemon runs "INIT --version" and reads a
 * commit from a second part "git.COMMIT" after " - ", so that part is there
 * whenever the build knew its commit (from git, through the Makefile).
 */
#ifdef COMMIT
#define VERSION_LINE "pidone " VERSION " - git." COMMIT "\n"
#else
#define VERSION_LINE "pidone " VERSION "\n"
#endif

/* The man page's SYNOPSIS; help() adds every option by name. */
static const char usage[] =
"usage: pidone [-cgsvwW] [-p SIG] [-e CODE] [-r FROM:TO] [-G DURATION]\n"
"              [-D DURATION]\n"
"              [--] COMMAND [ARG...]\n"
"       pidone -P [-v] [-G DURATION]\n"
"       pidone -x [-v] [--setsid | --setpgid] [--] COMMAND [ARG...]\n"
"       pidone -i [--format=text|tsv]\n"
"       pidone -h | -V | -l\n";

static const char license[] =
"MIT License\n"
"\n"
"Copyright (c) 2026 the pidone authors\n"
"\n"
"Permission is hereby granted, free of charge, to any person obtaining a copy\n"
"of this software and associated documentation files (the \"Software\"), to deal\n"
"in the Software without restriction, including without limitation the rights\n"
"to use, copy, modify, merge, publish, distribute, sublicense, and/or sell\n"
"copies of the Software, and to permit persons to whom the Software is\n"
"furnished to do so, subject to the following conditions:\n"
"\n"
"The above copyright notice and this permission notice shall be included in all\n"
"copies or substantial portions of the Software.\n"
"\n"
"THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\n"
"IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\n"
"FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\n"
"AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\n"
"LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\n"
"OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\n"
"SOFTWARE.\n";

/*
 * The long options, NUL-separated, in --help's order; at the same index in
 * optab, what each one does.
 */
static const char lname[] =
    "single-child\0process-group\0subreaper\0pdeath-signal\0expect\0"
    "rewrite\0grace\0wait-all\0pause\0exec\0setsid\0setpgid\0inspect\0"
    "format\0verbose\0warn-reap\0drain\0help\0version\0license\0";

/*
 * Each option's code (its short form, or a control character where it has
 * none), the field of struct opts it sets, as an index of ints (FIELD), and
 * the value it stores there: INC for one more, ARG for an option that takes
 * a value, which apply() parses into the field. Bytes, not a switch: a
 * flag or a mode is a store, and a table of three bytes is smaller than
 * the code for each; no pointers, no padding.
 */
enum { INC = 0xfe, ARG = 0xff };
static const struct {
	char code;
	unsigned char field;
	unsigned char value;
} optab[] = {
	{ 'c', FIELD(single), 1 },
	{ 'g', FIELD(single), 0 },
	{ 's', FIELD(subreaper), 1 },
	{ 'p', FIELD(pdeath), ARG },
	{ 'e', FIELD(expect), ARG },
	{ 'r', FIELD(rewrite), ARG },
	{ 'G', FIELD(grace_ms), ARG },
	{ 'W', FIELD(wait_all), 1 },
	{ 'P', FIELD(mode), MODE_PAUSE },
	{ 'x', FIELD(mode), MODE_EXEC },
	{ 1, FIELD(exec_how), EXEC_SETSID },	/* --setsid */
	{ 2, FIELD(exec_how), EXEC_SETPGID },	/* --setpgid */
	{ 'i', FIELD(mode), MODE_INSPECT },
	{ 3, FIELD(tsv), ARG },			/* --format */
	{ 'v', FIELD(verbose), INC },
	{ 'w', FIELD(warn_reap), 1 },
	{ 'D', FIELD(drain_ms), ARG },
	{ 'h', FIELD(mode), MODE_HELP },
	{ 'V', FIELD(mode), MODE_VERSION },
	{ 'l', FIELD(mode), MODE_LICENSE },
};
#define NOPTS (sizeof(optab) / sizeof(optab[0]))

/* Every field an option sets has its bit in o->set (SET). */
typedef char fields_fit_set[FIELD(rewrite) < 32 ? 1 : -1];

/*
 * The options the environment can set, in the order it is read, since
 * docker run --init, compose's init: true and podman --init pass the init
 * no flags. Each one's variable is PIDONE_ and its long name in capitals,
 * '-' as '_' (env_name()). A flag's is a boolean, on unless empty or 0,
 * but -v's is the count; -r's and -e's are lists of values, separated by
 * spaces or commas; any other's is the flag's value.
 */
static const char envopts[] = "csWwvGDpre";

/* The variable being read, named in messages about its value; or NULL. */
static const char *from_env;

/*
 * Report bad input in one line, with a pointer to --help. The value is shown
 * with control characters as '?' and cut to fit, so that the message stays
 * one whole line whatever was given.
 */
static int
bad(const char *what, const char *value)
{
	/* Static, not on the stack, where an array costs a canary: there is
	 * one message, and then pidone exits. */
	static char shown[80];

	if (value == NULL)
		warn("%s (see pidone --help)", what);
	else	/* "VAR: " first when the value is a variable's */
		warn("%s%s%s: %s (see pidone --help)",
		    from_env != NULL ? from_env : "", from_env != NULL ? ": " : "",
		    what, out_value(value, shown, sizeof(shown)));
	return EXIT_USAGE;
}

/* Parse an exit code, a whole number in 0..255; -1 otherwise. */
static int
parse_code(const char *s)
{
	return (int)parse_number(s, 255);
}

/* The index in optab of the option with code c, or -1. */
static int
find_code(int c)
{
	int i;

	for (i = 0; i < (int)NOPTS; i++)
		if (optab[i].code == c)
			return i;
	return -1;
}

/* The field of o that option i sets. */
static void *
field(struct opts *o, int i)
{
	return (int *)o + optab[i].field;
}

/* Apply option i of optab; value is its argument or NULL. */
static int
apply(struct opts *o, int i, const char *value)
{
	int *f = field(o, i);
	int a, b;
	int64_t d;

	o->set |= 1u << optab[i].field;
	if (optab[i].value == INC)
		++*f;
	else if (optab[i].value != ARG)
		*f = optab[i].value;
	else if (optab[i].code == 3) {
		if (strcmp(value, "tsv") != 0 && strcmp(value, "text") != 0)
			return bad("unknown format", value);
		*f = value[1] == 's';
	} else if (optab[i].code == 'p') {
		if ((*f = sig_number(value)) <= 0)
			return bad("unknown signal", value);
	} else if (optab[i].code == 'e') {
		if ((a = parse_code(value)) < 0)
			return bad("exit code not in 0..255", value);
		o->expect[a / 8] |= (unsigned char)(1u << (a % 8));
	} else if (optab[i].code == 'r') {
		if (parse_rewrite(value, &a, &b) < 0)
			return bad(a == 3 ? "rewrite is not FROM:TO" : a == 1 ?
			    "cannot rewrite signal" : "unknown signal to rewrite to",
			    value);
		o->rewrite[a] = (unsigned char)b;
	} else {	/* -G, -D */
		if ((d = parse_duration(value)) < 0)
			return bad("bad duration", value);
		*(int64_t *)f = d;
	}
	return 0;
}

/* The index in optab of the long option name[0..len), or -1. */
static int
find_long(const char *name, size_t len)
{
	const char *s = lname;
	int i;

	for (i = 0; *s != '\0'; s += strlen(s) + 1, i++)
		if (strncmp(s, name, len) == 0 && s[len] == '\0')
			return i;
	return -1;
}

/*
 * Apply option k, written name on the command line. An option that takes
 * a value has it in val (after '=', or the rest of a cluster), or else in
 * the next word, argv[*i + 1].
 */
static int
take(struct opts *o, int k, const char *name, const char *val, int argc,
    char **argv, int *i)
{
	if (optab[k].value == ARG && val == NULL) {
		if (*i + 1 >= argc)
			return bad("option needs a value", name);
		val = argv[++*i];
	}
	return apply(o, k, val);
}

/* Parse one long option at argv[*i]: --name, --name=value, --name value. */
static int
parse_long(struct opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i] + 2;
	size_t n;
	int k;

	for (n = 0; a[n] != '\0' && a[n] != '='; n++)
		;
	if ((k = find_long(a, n)) < 0)
		return bad("unknown option", argv[*i]);
	if (optab[k].value != ARG && a[n] != '\0')
		return bad("option takes no value", argv[*i]);
	return take(o, k, argv[*i], a[n] != '\0' ? a + n + 1 : NULL, argc,
	    argv, i);
}

/* Parse one cluster of short options at argv[*i], such as -vvc or -e143. */
static int
parse_short(struct opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i] + 1;
	char opt[3] = "-?";
	int k, r;

	for (; *a != '\0'; a++) {
		opt[1] = *a;
		/* The control characters are the codes of long-only options. */
		if (*a < 32 || (k = find_code(*a)) < 0)
			return bad("unknown option", opt);
		/* An option's value ends the cluster. */
		if ((r = take(o, k, opt, a[1] != '\0' ? a + 1 : NULL, argc,
		    argv, i)) != 0 || optab[k].value == ARG)
			return r;
	}
	return 0;
}

/* Defaults: forward to the group, identity rewrite, the default grace. */
void
opts_init(struct opts *o)
{
	int s;

	memset(o, 0, sizeof(*o));
	o->grace_ms = GRACE_DEFAULT_MS;
	for (s = 0; s < NSIG; s++)
		o->rewrite[s] = (unsigned char)s;
}

/* Whether a variable's value is "0". */
static int
zero(const char *v)
{
	return v[0] == '0' && v[1] == '\0';
}

/* A boolean variable: on unless empty or 0. */
static int
on(const char *v)
{
	return *v != '\0' && !zero(v);
}

/* Whether c separates the items of a list value. */
static int
sep(char c)
{
	return c == ' ' || c == ',';
}

/* Apply option i to each item of a list value, separated by spaces or commas. */
static int
apply_list(struct opts *o, int i, const char *v)
{
	char item[64];
	size_t n;
	int r;

	for (;;) {
		while (sep(*v))
			v++;
		if (*v == '\0')
			return 0;
		for (n = 0; v[n] != '\0' && !sep(v[n]); n++)
			;
		if (n >= sizeof(item))
			return bad("value too long", v);
		memcpy(item, v, n);
		item[n] = '\0';
		if ((r = apply(o, i, item)) != 0)
			return r;
		v += n;
	}
}

/*
 * The name of option i's variable: PIDONE_SINGLE_CHILD for --single-child.
 * Built in a static buffer, which from_env then names: a table of the names
 * was larger than the code.
 */
static const char *
env_name(int i)
{
	static char name[sizeof("PIDONE_PDEATH_SIGNAL")];
	const char *s = lname;
	char *p = name + 7;

	memcpy(name, "PIDONE_", 7);
	while (i-- > 0)
		s += strlen(s) + 1;
	for (; *s != '\0' && p < name + sizeof(name) - 1; s++)
		*p++ = *s == '-' ? '_' : (char)(*s - 'a' + 'A');
	*p = '\0';
	return name;
}

/* Option i's variable, set to v. */
static int
apply_env(struct opts *o, int i, const char *v)
{
	int n;

	if (optab[i].code == 'r' || optab[i].code == 'e')
		return apply_list(o, i, v);
	if (optab[i].value == ARG)
		return apply(o, i, v);
	if (optab[i].code != 'v')
		n = on(v);
	else if ((n = parse_code(v)) < 0)
		return bad("not a number in 0..255", v);
	*(int *)field(o, i) = n;
	return 0;
}

/*
 * tini's and dumb-init's variables, with the meaning they give them:
 * tini's count when set at all; tini's verbosity levels are 1 (its
 * default) to warn, 2 to inform, 3 to debug.
 */
static int
env_peers(struct opts *o, char *const *envp, unsigned cmdline)
{
	const char *v;
	int64_t n;

	if (!(cmdline & SET(subreaper)) &&
	    env_value(envp, "TINI_SUBREAPER") != NULL)
		o->subreaper = 1;
	if (!(cmdline & SET(single))) {
		if (env_value(envp, "TINI_KILL_PROCESS_GROUP") != NULL)
			o->single = 0;
		if ((v = env_value(envp, "DUMB_INIT_SETSID")) != NULL &&
		    zero(v))
			o->single = 1;
	}
	if (!(cmdline & SET(verbose)) &&
	    (v = env_value(envp, "TINI_VERBOSITY")) != NULL) {
		from_env = "TINI_VERBOSITY";
		if ((n = parse_code(v)) < 0)
			return bad("not a number in 0..255", v);
		o->verbose = n > 1 ? (int)n - 1 : 0;
	}
	return 0;
}

/*
 * Settings from the environment for what the command line did not set:
 * tini's and dumb-init's variables, then pidone's own, which win. A flag
 * overrides its variable, and a variable it overrides is not read at all,
 * so a bad value there cannot fail the run. A bad value is reported as the
 * flag's would be, after the variable's name.
 */
int
opts_env(struct opts *o, char *const *envp)
{
	unsigned cmdline = o->set;
	const char *v, *c;
	int i, r;

	r = env_peers(o, envp, cmdline);
	for (c = envopts; r == 0 && *c != '\0'; c++) {
		i = find_code(*c);
		from_env = env_name(i);
		if (!(cmdline & 1u << optab[i].field) &&
		    (v = env_value(envp, from_env)) != NULL)
			r = apply_env(o, i, v);
	}
	from_env = NULL;
	o->set = cmdline;	/* apply() marks what it sets; the environment
				 * is not the command line */
	return r;
}

/*
 * Parse the command line. Options end at the first non-option or at "--",
 * so that "pidone ls -l" runs "ls -l" untouched.
 */
int
opts_parse(struct opts *o, int argc, char **argv)
{
	int i, r;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] == '\0')
			break;
		if (a[1] == '-' && a[2] == '\0') {	/* "--" */
			i++;
			break;
		}
		r = a[1] == '-' ? parse_long(o, argc, argv, &i) :
		    parse_short(o, argc, argv, &i);
		if (r != 0)
			return r;
	}
	o->argv = argv + i;
	if (o->mode == MODE_INIT || o->mode == MODE_EXEC) {
		if (argv[i] == NULL)
			return bad("no command given", NULL);
	} else if (argv[i] != NULL && o->mode != MODE_HELP &&
	    o->mode != MODE_VERSION && o->mode != MODE_LICENSE)
		return bad("this mode takes no command", argv[i]);
	return 0;
}

/* Write a fixed text to stdout; the errno of the first failure, kept. */
static void
text(const char *s, int *err)
{
	if (write_all(1, s, strlen(s)) < 0 && *err == 0)
		*err = errno;
}

/* --help: the synopsis, then every option from the parser's own list. */
static void
help(int *err)
{
	const char *s = lname;
	int i;

	text(usage, err);
	for (i = 0; *s != '\0'; s += strlen(s) + 1, i++)
		if (optab[i].code >= 32)
			say(1, "  -%c, --%s", optab[i].code, s);
		else
			say(1, "      --%s", s);
	text("See pidone(1).\n", err);
}

/*
 * Print what -h, -V or -l asked for. A write that fails is an error the
 * user must hear of (exit 111), as for any output asked for.
 */
int
opts_print(const struct opts *o)
{
	int err = 0;

	if (o->mode == MODE_HELP)
		help(&err);
	else
		text(o->mode == MODE_VERSION ? VERSION_LINE : license, &err);
	if (err == 0)
		err = out_error();
	if (err != 0) {
		warn("stdout: %s", errstr(err));
		return EXIT_SYSTEM;
	}
	return 0;
}
