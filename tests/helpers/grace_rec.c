/*
 * grace_rec: a process that has work to finish when it is told to stop.
 *
 * usage: grace_rec [-i] [-l MS] [-n RECORDS] [-t MS] [-x CODE] LOG
 *
 * Appends "ready PID PGID SID" to LOG, then waits. On each SIGTERM it
 * appends "term"; then, unless -i (ignore SIGTERM), it appends RECORDS
 * lines "record K" (default 20), one every -t MS (default 15), then "done",
 * and exits CODE (default 0). With -l it also ends by itself after MS,
 * appending "done". A SIGTERM that arrives while it writes is logged as
 * "term" after "done", so the log counts every SIGTERM it was sent.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int logfd;

/* Append one line to the log with a single write. */
static void
logline(const char *fmt, long a, long b, long c)
{
	char line[96];
	int n = snprintf(line, sizeof(line), fmt, a, b, c);

	if (write(logfd, line, (size_t)n) != n)
		_exit(3);
}

/* Sleep ms milliseconds, whatever signal arrives. */
static void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0)
		;
}

int
main(int argc, char **argv)
{
	long life = -1, records = 20, every = 15, code = 0, k;
	int ignore = 0, c;
	sigset_t term;
	struct timespec ts;

	while ((c = getopt(argc, argv, "il:n:t:x:")) != -1)
		switch (c) {
		case 'i': ignore = 1; break;
		case 'l': life = atol(optarg); break;
		case 'n': records = atol(optarg); break;
		case 't': every = atol(optarg); break;
		case 'x': code = atol(optarg); break;
		default: return 2;
		}
	if (optind + 1 != argc)
		return 2;
	logfd = open(argv[optind], O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (logfd < 0)
		return 2;
	/* SIGTERM is taken synchronously, so that none is ever missed. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	logline("ready %ld %ld %ld\n", (long)getpid(), (long)getpgrp(),
	    (long)getsid(0));
	ts.tv_sec = life / 1000;
	ts.tv_nsec = (life % 1000) * 1000000L;
	for (;;) {
		c = life < 0 ? sigwaitinfo(&term, NULL) :
		    sigtimedwait(&term, NULL, &ts);
		if (c < 0 && life >= 0) {
			logline("done\n", 0, 0, 0);
			return (int)code;
		}
		if (c != SIGTERM)
			continue;
		logline("term\n", 0, 0, 0);
		if (ignore)
			continue;
		for (k = 1; k <= records; k++) {
			pause_ms(every);
			logline("record %ld\n", k, 0, 0);
		}
		logline("done\n", 0, 0, 0);
		ts.tv_sec = ts.tv_nsec = 0;
		if (sigtimedwait(&term, NULL, &ts) == SIGTERM)
			logline("term\n", 0, 0, 0);
		return (int)code;
	}
}
