/*
 * sigrec: a signal recorder for the integration tests.
 *
 *   sigrec [-x SIG] OUT [CHILDOUT]
 *
 * Blocks every signal it may and waits for them with sigwaitinfo, appending
 * one line per signal to OUT: "NAME pid=SENDER", NAME as kill -l prints it.
 * It first writes "ready pid=PID pgid=PGID". With CHILDOUT it forks a
 * grandchild (of whoever runs sigrec) in the same process group that records
 * into CHILDOUT the same way. On signal SIG (default USR2; a number) it
 * tells the grandchild to stop too, waits for it, and exits 0. A recorder
 * that is told to stop first records every signal still pending, so that
 * "this signal never came" can be asserted once the recorder has exited.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The name kill -l gives sig: TERM, RTMIN+3, RTMAX-2. */
static const char *
name(int sig, char *buf, size_t size)
{
	const char *n = sig < SIGRTMIN ? sigabbrev_np(sig) : NULL;

	if (n != NULL)
		snprintf(buf, size, "%s", n);
	else if (sig - SIGRTMIN <= SIGRTMAX - sig)
		snprintf(buf, size, sig == SIGRTMIN ? "RTMIN" : "RTMIN+%d",
		    sig - SIGRTMIN);
	else
		snprintf(buf, size, sig == SIGRTMAX ? "RTMAX" : "RTMAX-%d",
		    SIGRTMAX - sig);
	return buf;
}

/* Append one line to path, in one write. */
static void
record(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);

	if (fd < 0 || write(fd, line, strlen(line)) < 0) {
		perror(path);
		exit(2);
	}
	close(fd);
}

/* Record each signal until the stop signal; then record what is pending. */
static void
run(const char *out, int stop, pid_t child)
{
	struct timespec zero = { 0, 0 };
	char line[128], buf[32];
	siginfo_t si;
	sigset_t all;
	int sig, stopping = 0;

	sigfillset(&all);
	snprintf(line, sizeof(line), "ready pid=%d pgid=%d\n", (int)getpid(),
	    (int)getpgrp());
	record(out, line);
	for (;;) {
		sig = stopping ? sigtimedwait(&all, &si, &zero) :
		    sigwaitinfo(&all, &si);
		if (sig < 0 && stopping)
			break;
		if (sig < 0)
			continue;
		snprintf(line, sizeof(line), "%s pid=%d\n",
		    name(sig, buf, sizeof(buf)), (int)si.si_pid);
		record(out, line);
		if (sig == stop && !stopping) {
			stopping = 1;
			if (child > 0) {
				kill(child, stop);
				waitpid(child, NULL, 0);
			}
		}
	}
	exit(0);
}

int
main(int argc, char **argv)
{
	sigset_t all;
	int stop = SIGUSR2, i = 1;
	pid_t child = 0;

	if (argc > 2 && strcmp(argv[1], "-x") == 0) {
		stop = atoi(argv[2]);
		i = 3;
	}
	if (argc - i < 1 || argc - i > 2) {
		fprintf(stderr, "usage: sigrec [-x SIG] OUT [CHILDOUT]\n");
		return 2;
	}
	/* Block before forking, so that no signal is missed by either. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (argv[i + 1] != NULL && (child = fork()) == 0)
		run(argv[i + 1], stop, 0);
	run(argv[i], stop, child);
	return 0;
}
