/*
 * fuzz_opts.c: a libFuzzer harness over everything pidone parses from
 * outside: the command line, the environment, signal names and numbers,
 * durations, rewrite and expect specs, --format. It checks invariants, not
 * only crashes:
 *  - a rejected input gives exit code 100 and exactly one line on stderr,
 *    "pidone: ... (see pidone --help)";
 *  - an accepted one prints nothing, and its settings print back the same:
 *    a duration reparses to the same milliseconds however it is respelt, a
 *    signal's name to the same number, a rewrite to the same pair.
 * The input is split at NUL bytes: "ENV:NAME=VALUE" items go to the
 * environment, the others to the command line after "pidone". fuzz/replay.c
 * runs the same function over the seed corpus in make check.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "opts.h"
#include "out.h"
#include "parse.h"
#include "pidone.h"
#include "signals.h"

#define MAXARGS 64

/* Stop the run: a broken invariant, named for the fuzzer's report. */
#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			static const char m[] = "invariant broken: " #cond "\n"; \
			(void)!write(saved_err, m, sizeof(m) - 1); \
			abort(); \
		} \
	} while (0)

static int saved_err = -1, capture = -1;

/* The sanitizers' reports go to the real stderr, not to the capture. */
void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

/* What a run wrote to stderr, NUL-terminated; its length. */
static size_t
captured(char *buf, size_t size)
{
	ssize_t n = pread(capture, buf, size - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? (size_t)n : 0;
}

/* A duration, respelt in ms and (where whole) in s and m, parses the same. */
static void
check_duration(int64_t ms)
{
	char s[32];

	CHECK(ms >= 0 && ms <= DURATION_MAX_MS);
	fmt(s, sizeof(s), "%lldms", (long long)ms);
	CHECK(parse_duration(s) == ms);
	if (ms % 1000 == 0) {
		fmt(s, sizeof(s), "%lld", (long long)(ms / 1000));
		CHECK(parse_duration(s) == ms);
		fmt(s, sizeof(s), "%llds", (long long)(ms / 1000));
		CHECK(parse_duration(s) == ms);
	}
	if (ms % 60000 == 0) {
		fmt(s, sizeof(s), "%lldm", (long long)(ms / 60000));
		CHECK(parse_duration(s) == ms);
	}
}

/*
 * A signal's printed name, with or without SIG, any case, is the signal;
 * one without a name (32, 33) prints as its number.
 */
static void
check_signal(int sig)
{
	const char *name = sig_name(sig);
	char with[24];
	size_t i;

	CHECK(sig > 0 && sig < NSIG);
	CHECK(sig_number(name) == sig);
	if (name[0] >= '0' && name[0] <= '9')
		return;		/* a number has no SIG form */
	fmt(with, sizeof(with), "sIg%s", name);
	for (i = 3; with[i] != '\0'; i++)
		if (with[i] >= 'A' && with[i] <= 'Z')
			with[i] = (char)(with[i] + 'a' - 'A');
	CHECK(sig_number(with) == sig);
}

/* Every setting of an accepted run prints back as itself. */
static void
check_settings(const struct opts *o)
{
	char spec[40], a[16], b[16];
	int from, to, s;

	check_duration(o->grace_ms);
	check_duration(o->drain_ms);
	if (o->pdeath != 0)
		check_signal(o->pdeath);
	for (s = 1; s < NSIG; s++) {
		if (o->rewrite[s] == s)
			continue;
		if (o->rewrite[s] != 0)
			check_signal(o->rewrite[s]);
		fmt(spec, sizeof(spec), "%s:%s", sig_name(s),
		    o->rewrite[s] ? sig_name(o->rewrite[s]) : "0");
		CHECK(parse_rewrite(spec, &from, &to) == 0);
		CHECK(from == s && to == o->rewrite[s]);
	}
	CHECK(o->verbose >= 0);
	if (o->mode == MODE_INIT || o->mode == MODE_EXEC)
		CHECK(o->argv != NULL && o->argv[0] != NULL);
}

/* Each item alone, through the parsers it could reach. */
static void
check_item(const char *s)
{
	int64_t ms = parse_duration(s);
	int sig = sig_number(s), from, to;

	if (ms >= 0)
		check_duration(ms);
	if (sig > 0)
		check_signal(sig);
	if (parse_rewrite(s, &from, &to) == 0) {
		check_signal(from);
		CHECK(to >= 0 && to < NSIG);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char help[] = "(see pidone --help)\n";
	char buf[4096], err[2048], *argv[MAXARGS + 2], *envp[MAXARGS + 1];
	int argc = 1, envc = 0, rc;
	struct opts o;
	size_t i, n, lines = 0;

	if (capture < 0) {
		capture = memfd_create("stderr", MFD_CLOEXEC);
		saved_err = dup(2);
		if (__sanitizer_set_report_fd != NULL)
			__sanitizer_set_report_fd((void *)(intptr_t)saved_err);
	}
	if (size >= sizeof(buf))
		size = sizeof(buf) - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "pidone";
	for (i = 0; i <= size && argc <= MAXARGS && envc < MAXARGS;
	    i += strlen(buf + i) + 1) {
		if (strncmp(buf + i, "ENV:", 4) == 0)
			envp[envc++] = buf + i + 4;
		else
			argv[argc++] = buf + i;
		check_item(buf + i);
	}
	argv[argc] = NULL;
	envp[envc] = NULL;

	(void)!ftruncate(capture, 0);
	lseek(capture, 0, SEEK_SET);
	dup2(capture, 2);
	opts_init(&o);
	rc = opts_parse(&o, argc, argv);
	if (rc == 0 && o.mode != MODE_HELP && o.mode != MODE_VERSION &&
	    o.mode != MODE_LICENSE)
		rc = opts_env(&o, envp);
	dup2(saved_err, 2);

	n = captured(err, sizeof(err));
	for (i = 0; i < n; i++)
		lines += err[i] == '\n';
	if (rc != 0) {
		CHECK(rc == EXIT_USAGE);
		CHECK(lines == 1 && err[n - 1] == '\n');
		CHECK(strncmp(err, "pidone: ", 8) == 0);
		CHECK(n > sizeof(help) && strcmp(err + n - (sizeof(help) - 1),
		    help) == 0);
	} else {
		CHECK(n == 0);
		check_settings(&o);
	}
	return 0;
}
