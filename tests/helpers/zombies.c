/*
 * zombies: a parent that never reaps, for the PID-limit tests.
 *
 *   zombies N FILE
 *
 * Forks N children that exit at once and never waits for them. Once all N
 * are zombies it writes "PID N" (its own PID, the count) to FILE, whole,
 * by rename, and then waits until it is killed. A fork that fails is
 * reported on stderr and ends the forking: FILE then says how many there are.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Whether process pid is a zombie, from /proc/PID/stat. */
static int
is_zombie(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' && p[2] == 'Z';
}

int
main(int argc, char **argv)
{
	struct timespec ms = { 0, 1000000 };
	char tmp[4096];
	pid_t *kids;
	long n, i, made = 0;
	FILE *f;

	if (argc != 3 || (n = atol(argv[1])) < 1) {
		fprintf(stderr, "usage: zombies N FILE\n");
		return 2;
	}
	if ((kids = calloc((size_t)n, sizeof(*kids))) == NULL)
		return 1;
	/* Ignoring CHLD would let the kernel reap them: keep the default. */
	signal(SIGCHLD, SIG_DFL);
	for (i = 0; i < n; i++, made++) {
		if ((kids[i] = fork()) < 0) {
			perror("zombies: fork");
			break;
		}
		if (kids[i] == 0)
			_exit(0);
	}
	for (i = 0; i < made; i++)
		while (!is_zombie(kids[i]))
			nanosleep(&ms, NULL);
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
	if ((f = fopen(tmp, "w")) == NULL ||
	    fprintf(f, "%d %ld\n", (int)getpid(), made) < 0 ||
	    fclose(f) != 0 || rename(tmp, argv[2]) < 0) {
		perror(argv[2]);
		return 1;
	}
	for (;;)
		pause();
}
