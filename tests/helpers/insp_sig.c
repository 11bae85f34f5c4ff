/*
 * insp_sig: known situations for the inspect and trace tests.
 *
 *   insp_sig hold FILE [bSIG|iSIG|cSIG]...  block, ignore or catch each SIG,
 *                                           write our PID to FILE, then wait
 *   insp_sig zombie FILE    fork a child that exits, never reap it; once it
 *                           is a zombie write "PARENT CHILD" to FILE and wait
 *   insp_sig daemon FILE    fork a child that calls setsid, writes its PID
 *                           to FILE and waits; the parent exits at once
 *   insp_sig send kill|queue SIG PID
 *                           print our PID, then send SIG to PID with
 *                           kill(2) or sigqueue(3); SIG is ignored first, so
 *                           that a copy forwarded back to us is harmless
 *
 * SIG is a number or one of HUP INT QUIT TERM USR1 USR2 WINCH CHLD. FILE is
 * written whole, by rename, so a reader never sees half of it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct { const char *name; int num; } names[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "TERM", SIGTERM }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "WINCH", SIGWINCH }, { "CHLD", SIGCHLD },
};

static int
signum(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].num;
	if (atoi(s) > 0)
		return atoi(s);
	fprintf(stderr, "insp_sig: unknown signal %s\n", s);
	exit(2);
}

static void
put(const char *file, const char *text)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	if ((f = fopen(tmp, "w")) == NULL || fputs(text, f) < 0 ||
	    fclose(f) != 0 || rename(tmp, file) != 0) {
		perror(file);
		exit(2);
	}
}

static void
caught(int sig)
{
	(void)sig;
}

static void
idle(void)
{
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	char text[64];
	sigset_t set;
	pid_t pid;
	int i;

	if (argc >= 3 && strcmp(argv[1], "hold") == 0) {
		sigemptyset(&set);
		for (i = 3; i < argc; i++) {
			int sig = signum(argv[i] + 1);

			if (argv[i][0] == 'b')
				sigaddset(&set, sig);
			else
				signal(sig, argv[i][0] == 'i' ? SIG_IGN : caught);
		}
		sigprocmask(SIG_BLOCK, &set, NULL);
		snprintf(text, sizeof(text), "%d\n", (int)getpid());
		put(argv[2], text);
		idle();
	}
	if (argc == 3 && strcmp(argv[1], "zombie") == 0) {
		char path[64], st[256], *p;
		FILE *f;

		if ((pid = fork()) == 0)
			_exit(7);
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		for (;;) {
			struct timespec ts = { 0, 10000000 };

			if ((f = fopen(path, "r")) != NULL) {
				p = fgets(st, sizeof(st), f);
				fclose(f);
				if (p && (p = strrchr(st, ')')) && p[2] == 'Z')
					break;
			}
			nanosleep(&ts, NULL);
		}
		snprintf(text, sizeof(text), "%d %d\n", (int)getpid(), (int)pid);
		put(argv[2], text);
		idle();
	}
	if (argc == 3 && strcmp(argv[1], "daemon") == 0) {
		if ((pid = fork()) != 0)
			return pid < 0;
		setsid();
		snprintf(text, sizeof(text), "%d\n", (int)getpid());
		put(argv[2], text);
		idle();
	}
	if (argc == 5 && strcmp(argv[1], "send") == 0) {
		int sig = signum(argv[3]);
		union sigval v = { 0 };

		signal(sig, SIG_IGN);
		printf("%d\n", (int)getpid());
		fflush(stdout);
		pid = atoi(argv[4]);
		return (strcmp(argv[2], "queue") == 0 ? sigqueue(pid, sig, v) :
		    kill(pid, sig)) != 0;
	}
	fprintf(stderr, "usage: see the comment in tests/helpers/insp_sig.c\n");
	return 2;
}
