/*
 * init.c: pidone's options, the command it starts, the main loop, reaping
 * and the exit status. main() reads as an outline of a run.
 */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pidone.h"
#include "pgrp.h"
#include "signals.h"

#ifndef VERSION
#define VERSION PIDONE_VERSION_DEFAULT
#endif

/* What the main loop knows about the command. */
struct run {
	pid_t cmd;		/* the command's PID, 0 in pause mode */
	pid_t target;		/* where signals go: PID, or -PGID */
	int status;		/* its wait status, once exited */
	int exited;
	int nochild;		/* the last reap found no child at all */
	int pid1;
	pid_t self;		/* pidone's PID */
	int tty;		/* pidone gave it the terminal */
	int asked_stop;		/* a stop signal was forwarded on request */
	pid_t had_term;		/* its group, once SIGTERM was forwarded to it */
};

/* The man page's SYNOPSIS; help() adds every option by name. */
static const char usage[] =
"usage: pidone [-cgsvwW] [-p SIG] [-e CODE] [-r FROM:TO] [-G DURATION]\n"
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
 * The long options, NUL-separated, and at the same index in lcode each
 * one's code: its short form, or a control character where it has none.
 * Those in needarg take a value. Strings rather than a table of structs:
 * no padding, no pointers.
 */
static const char lname[] =
    "single-child\0process-group\0subreaper\0pdeath-signal\0expect\0"
    "rewrite\0grace\0wait-all\0pause\0exec\0setsid\0setpgid\0inspect\0"
    "format\0verbose\0warn-reap\0help\0version\0license\0";
static const char lcode[] = "cgsperGWPx\1\2i\3vwhVl";
static const char needarg[] = "perG\3";

/* Report bad input in one line, with a pointer to --help. */
static int
bad(const char *what, const char *value)
{
	warn(value ? "%s: %s (see pidone --help)" : "%s (see pidone --help)",
	    what, value);
	return EXIT_USAGE;
}

/* Parse a whole decimal number in 0..max; -1 on anything else. */
long
parse_number(const char *s, long max)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	return v;
}

/* Parse an exit code, a whole number in 0..255; -1 otherwise. */
int
parse_code(const char *s)
{
	return (int)parse_number(s, 255);
}

/* Parse 3, 3s, 500ms or 2m into milliseconds, at most a day; -1 if bad. */
long
parse_duration(const char *s)
{
	long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (*p - '0')) > 86400000L)
			return -1;
	if (strcmp(p, "ms") == 0)
		;
	else if (*p == '\0' || strcmp(p, "s") == 0)
		v *= 1000;
	else if (strcmp(p, "m") == 0)
		v *= 60000;
	else
		return -1;
	return v > 86400000L ? -1 : v;
}

/* Apply one option; value is its argument or NULL. */
static int
apply(struct opts *o, int code, const char *value)
{
	int a, b;
	long d;

	switch (code) {
	case 'c': o->single = 1; break;
	case 'g': o->single = 0; break;
	case 's': o->subreaper = 1; break;
	case 'v': o->verbose++; break;
	case 'w': o->warn_reap = 1; break;
	case 'W': o->wait_all = 1; break;
	case 'P': o->mode = MODE_PAUSE; break;
	case 'x': o->mode = MODE_EXEC; break;
	case 'i': o->mode = MODE_INSPECT; break;
	case 'h': o->mode = MODE_HELP; break;
	case 'V': o->mode = MODE_VERSION; break;
	case 'l': o->mode = MODE_LICENSE; break;
	case 1: o->exec_how = EXEC_SETSID; break;
	case 2: o->exec_how = EXEC_SETPGID; break;
	case 3:
		if (strcmp(value, "tsv") != 0 && strcmp(value, "text") != 0)
			return bad("unknown format", value);
		o->tsv = value[0] == 't' && value[1] == 's';
		break;
	case 'p':
		if ((a = sig_number(value)) <= 0)
			return bad("unknown signal", value);
		o->pdeath = a;
		break;
	case 'e':
		if ((a = parse_code(value)) < 0)
			return bad("exit code not in 0..255", value);
		o->expect[a / 8] |= (unsigned char)(1u << (a % 8));
		break;
	case 'r':
		if (parse_rewrite(value, &a, &b) < 0)
			return bad(a == 3 ? "rewrite is not FROM:TO" : a == 1 ?
			    "cannot rewrite signal" : "unknown signal to rewrite to",
			    value);
		o->rewrite[a] = (unsigned char)b;
		break;
	case 'G':
		if ((d = parse_duration(value)) < 0)
			return bad("bad duration", value);
		o->grace_ms = d;
		break;
	}
	return 0;
}

/* The code of the long option name[0..len), or 0 if there is none. */
static int
find_long(const char *name, size_t len)
{
	const char *s = lname;
	int i;

	for (i = 0; *s != '\0'; s += strlen(s) + 1, i++)
		if (strlen(s) == len && strncmp(s, name, len) == 0)
			return lcode[i];
	return 0;
}

/* Parse one long option at argv[*i]. */
static int
parse_long(struct opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '=');
	int code = find_long(a, eq ? (size_t)(eq - a) : strlen(a));
	int arg = code != 0 && strchr(needarg, code) != NULL;

	if (code == 0)
		return bad("unknown option", argv[*i]);
	if (!arg && eq != NULL)
		return bad("option takes no value", argv[*i]);
	if (arg && eq == NULL && *i + 1 >= argc)
		return bad("option needs a value", argv[*i]);
	return apply(o, code, arg ? (eq ? eq + 1 : argv[++*i]) : NULL);
}

/* Parse one cluster of short options at argv[*i], such as -vvc or -e143. */
static int
parse_short(struct opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i] + 1;
	char opt[3] = "-?";
	int r;

	for (; *a != '\0'; a++) {
		opt[1] = *a;
		if (*a < 32 || strchr(lcode, *a) == NULL)
			return bad("unknown option", opt);
		if (strchr(needarg, *a) == NULL) {
			if ((r = apply(o, *a, NULL)) != 0)
				return r;
			continue;
		}
		if (a[1] != '\0')
			return apply(o, *a, a + 1);
		if (*i + 1 >= argc)
			return bad("option needs a value", opt);
		return apply(o, *a, argv[++*i]);
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

/* Value of name in envp, or NULL. */
const char *
env_value(char **envp, const char *name)
{
	size_t len = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}

/* A boolean variable: on unless empty or 0. */
static int
on(const char *v)
{
	return *v != '\0' && strcmp(v, "0") != 0;
}

/*
 * Settings from the environment, with the meaning tini and dumb-init give
 * their variables, then pidone's own. The command line overrides them all.
 */
int
opts_env(struct opts *o, char **envp)
{
	const char *v;
	long n;

	/* tini's variables count when set at all; pidone's are 1 or 0. */
	if (env_value(envp, "TINI_SUBREAPER") != NULL)
		o->subreaper = 1;
	if ((v = env_value(envp, "PIDONE_SUBREAPER")) != NULL)
		o->subreaper = on(v);
	if (env_value(envp, "TINI_KILL_PROCESS_GROUP") != NULL)
		o->single = 0;
	if ((v = env_value(envp, "DUMB_INIT_SETSID")) != NULL && strcmp(v, "0") == 0)
		o->single = 1;
	if ((v = env_value(envp, "PIDONE_SINGLE_CHILD")) != NULL)
		o->single = on(v);
	/* tini's levels: 1 (its default) warns, 2 informs, 3 debugs. */
	if ((v = env_value(envp, "TINI_VERBOSITY")) != NULL) {
		if ((n = parse_code(v)) < 0)
			return bad("bad value of TINI_VERBOSITY", v);
		o->verbose = n > 1 ? (int)n - 1 : 0;
	}
	if ((v = env_value(envp, "PIDONE_VERBOSE")) != NULL) {
		if ((n = parse_code(v)) < 0)
			return bad("bad value of PIDONE_VERBOSE", v);
		o->verbose = (int)n;
	}
	if ((v = env_value(envp, "PIDONE_GRACE")) != NULL) {
		if ((n = parse_duration(v)) < 0)
			return bad("bad value of PIDONE_GRACE", v);
		o->grace_ms = n;
	}
	if ((v = env_value(envp, "PIDONE_WAIT_ALL")) != NULL)
		o->wait_all = on(v);
	return 0;
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
		if (strcmp(a, "--") == 0) {
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

/* pidone's exit code for the command's wait status, after -e. */
int
exit_code(const struct opts *o, int status)
{
	int code = WIFEXITED(status) ? WEXITSTATUS(status) :
	    WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;

	if (code > 255)
		code = 255;
	if (o->expect[code / 8] & (1u << (code % 8)))
		return 0;
	return code;
}

/* Describe a wait status for the trace: "exited 3" or "killed by TERM(15)". */
static const char *
describe(int status, char *buf, size_t size)
{
	char name[16];

	if (WIFEXITED(status))
		fmt(buf, size, "exited %d", WEXITSTATUS(status));
	else
		fmt(buf, size, "killed by %s(%d)%s",
		    sig_name(WTERMSIG(status), name), WTERMSIG(status),
		    WCOREDUMP(status) ? ", core dumped" : "");
	return buf;
}

/*
 * The command stopped. Ctrl-Z at a container's terminal stops it with
 * nobody to resume it, and the container hangs: resume it, and say so.
 * When pidone is not PID 1 and gave the command its terminal, pass the stop
 * up instead, so the user's shell gets its terminal and its job control.
 * A stop that was asked for (SIGSTOP, or a stop signal forwarded to it) is
 * left alone: whoever asked can resume it.
 */
static void
stopped(const struct opts *o, struct run *r, int sig)
{
	char name[16];

	sig_name(sig, name);
	if (sig == SIGSTOP || r->asked_stop) {
		note(1, "command stopped by %s: left stopped", name);
		return;
	}
	if (!r->pid1 && r->tty) {
		note(1, "command stopped by %s: stopping too", name);
		tty_give(getpgrp());
		kill(getpid(), SIGSTOP);
		tty_give(r->cmd);
	} else if (sig != SIGTSTP && !r->tty) {
		warn("command stopped by %s and pidone has no "
		    "terminal to give it: left stopped", name);
		return;
	} else {
		if (r->tty)
			tty_give(r->cmd);
		warn("command stopped by %s with nothing to resume "
		    "it: sending CONT", name);
	}
	kill(o->single ? r->cmd : -r->cmd, SIGCONT);
}

/*
 * Reap every child that has changed state, until none is left to reap: one
 * SIGCHLD may stand for many exits. Returns when waitpid says 0 or ECHILD.
 */
static void
reap(const struct opts *o, struct run *r)
{
	char how[48];
	int st;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &st, WNOHANG | WUNTRACED);
		if (pid < 0 && errno == EINTR)
			continue;
		r->nochild = pid < 0;
		if (pid <= 0)
			return;
		if (WIFSTOPPED(st)) {
			if (pid == r->cmd && !r->exited)
				stopped(o, r, WSTOPSIG(st));
			continue;
		}
		if (pid == r->cmd && !r->exited) {
			r->status = st;
			r->exited = 1;
			note(1, "reaped %d (command): %s", (int)pid,
			    describe(st, how, sizeof(how)));
		} else if (verbosity >= 1 || o->warn_reap)
			warn("reaped %d (orphan): %s", (int)pid,
			    describe(st, how, sizeof(how)));
	}
}

/* Say, at -v, which signal came from whom and what became of it. */
static void
trace_signal(const siginfo_t *si, const char *what, int to, pid_t target)
{
	char name[16], fwd[48];

	if (verbosity < 1)
		return;
	if (to > 0)
		fmt(fwd, sizeof(fwd), "forwarded as %s(%d) to %d",
		    sig_name(to, name), to, (int)target);
	warn("signal %s(%d) from pid %d uid %u by %s: %s",
	    sig_name(si->si_signo, name), si->si_signo, (int)si->si_pid,
	    (unsigned)si->si_uid, sig_how(si), to > 0 ? fwd : what);
}

/* Forward one received signal to the command, keeping track of stops. */
static void
forward(const struct opts *o, struct run *r, const siginfo_t *si)
{
	int to = sig_forward(o, si->si_signo, r->target);

	if (to < 0) {
		trace_signal(si, errno == ESRCH ? "dropped: nobody left to "
		    "forward it to" : "dropped: kill failed", 0, 0);
		return;
	}
	if (to == 0) {
		trace_signal(si, "dropped by rewrite", 0, 0);
		return;
	}
	if (to == SIGTERM && r->target < 0)
		r->had_term = -r->target;
	if (to == SIGTSTP || to == SIGTTIN || to == SIGTTOU || to == SIGSTOP)
		r->asked_stop = 1;
	else if (to == SIGCONT)
		r->asked_stop = 0;
	trace_signal(si, NULL, to, r->target);
}

/*
 * Wait for signals, with no timeout: reap on SIGCHLD, forward the rest.
 * Returns when the command has exited (and, with -W, every child too), or
 * when TERM or INT arrives in pause mode or once the command is gone.
 */
static void
loop(const struct opts *o, struct run *r)
{
	siginfo_t si;
	int sig;

	for (;;) {
		if (r->exited && (!o->wait_all || r->nochild))
			return;
		sig = sig_wait(&si, -1);
		if (sig == SIGCHLD) {
			trace_signal(&si, "used by pidone: reaping", 0, 0);
			reap(o, r);
		} else if (si.si_pid == r->self)
			/* The kernel's answer to pidone's own act, such as
			 * SIGPIPE for a write to a closed stderr: not the
			 * command's to receive. */
			trace_signal(&si, "dropped: caused by pidone", 0, 0);
		else if (r->cmd == 0 || r->exited) {
			if (sig == SIGTERM || sig == SIGINT) {
				trace_signal(&si, "used by pidone: shutting down",
				    0, 0);
				return;
			}
			if (r->cmd != 0)
				forward(o, r, &si);
			else
				trace_signal(&si, "ignored: no command", 0, 0);
		} else
			forward(o, r, &si);
	}
}

/* Start the command in a process group of its own; -1 if fork failed. */
static int
spawn(const struct opts *o, struct run *r, const sigset_t *mask)
{
	pid_t pid;

	r->tty = tty_owned();
	/*
	 * vfork: the child only sets its group, its terminal and its mask
	 * before exec or _exit, all safe while it borrows pidone's memory, and
	 * it starts faster than a copy of pidone would.
	 */
	pid = vfork();
	if (pid < 0) {
		warn("fork: %s", errstr(errno));
		return -1;
	}
	if (pid == 0) {
		child_isolate(r->tty);
		child_exec(o->argv, mask);
	}
	/* Also here, so that signals forwarded at once find the group. */
	setpgid(pid, pid);
	r->cmd = pid;
	r->target = o->single ? pid : -pid;
	note(1, "started %d: pgid %d sid %d foreground %d", (int)pid,
	    (int)getpgid(pid), (int)getsid(pid), r->tty ? (int)tcgetpgrp(0) : -1);
	note(2, "pidone is pid %d pgid %d sid %d", (int)getpid(),
	    (int)getpgrp(), (int)getsid(0));
	if (r->tty)
		note(2, "terminal: handed to group %d", (int)pid);
	else if (tcgetpgrp(0) >= 0)
		note(2, "terminal: not ours, its foreground is group %d",
		    (int)tcgetpgrp(0));
	else
		note(2, "terminal: none");
	return 0;
}

/* Print one of the fixed texts to stdout, where it was asked for. */
static int
print(const char *s)
{
	return write_all(1, s, strlen(s)) < 0 ? EXIT_SYSTEM : 0;
}

/* --help: the synopsis, then every option from the parser's own list. */
static int
help(void)
{
	const char *s = lname;
	int i;

	print(usage);
	for (i = 0; *s != '\0'; s += strlen(s) + 1, i++)
		if (lcode[i] >= 32)
			say(1, "  -%c, --%s", lcode[i], s);
		else
			say(1, "      --%s", s);
	return print("See pidone(1).\n");
}

int
main(int argc, char **argv, char **envp)
{
	struct opts o;
	struct run r;
	sigset_t mask;
	char how[48];
	int rc;

	opts_init(&o);
	if ((rc = opts_env(&o, envp)) != 0 ||
	    (rc = opts_parse(&o, argc, argv)) != 0)
		return rc;
	verbosity = o.verbose;
	switch (o.mode) {
	case MODE_HELP: return help();
	case MODE_VERSION: return print("pidone " VERSION "\n");
	case MODE_LICENSE: return print(license);
	case MODE_INSPECT: return inspect_main(&o);
	case MODE_EXEC:
		sig_current(&mask);
		return exec_helper(&o, &mask);
	default: break;
	}

	memset(&r, 0, sizeof(r));
	sig_block_all(&mask);
	r.self = getpid();
	r.pid1 = r.self == 1;
	if (!r.pid1 || o.subreaper) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
			warn("cannot become a subreaper: %s",
			    errstr(errno));
		else if (!r.pid1)
			note(1, "not PID 1: became a child subreaper");
	}
	if (o.pdeath != 0 && prctl(PR_SET_PDEATHSIG, o.pdeath) < 0)
		warn("cannot set the parent-death signal: %s",
		    errstr(errno));
	if (o.mode == MODE_INIT && spawn(&o, &r, &mask) < 0)
		return EXIT_SYSTEM;

	/* From here on pidone may not bail: it waits, forwards and reaps. */
	loop(&o, &r);
	shutdown_others(&o, r.pid1, r.had_term);
	/* Hand the terminal back, unless pidone's group lies outside the
	 * namespace (it reads 0): then the shell outside takes it back. */
	if (r.tty && getpgrp() > 0) {
		tty_give(getpgrp());
		note(2, "terminal: taken back");
	}
	rc = r.cmd == 0 ? 0 : exit_code(&o, r.status);
	if (r.cmd == 0)
		note(1, "exiting 0: pause ended");
	else
		note(1, "exiting %d: command %s%s", rc,
		    describe(r.status, how, sizeof(how)),
		    rc == 0 && r.status != 0 ? ", expected (-e)" : "");
	return rc;
}
