/*
 * sigstate: set up or show a process's signal mask, ignored signals and
 * open file descriptors, for the test that pidone passes them on intact.
 *
 *   sigstate [-b SIG]... [-i SIG]... [-f FD]... -- COMMAND [ARG...]
 *   sigstate
 *
 * The first form blocks exactly the signals given with -b (by number),
 * ignores those given with -i, opens /dev/null as each FD given with -f,
 * and execs COMMAND. The second
 * prints its own "SigBlk:", "SigIgn:" from /proc/self/status and "fds:"
 * with its open descriptors, in the order of /proc/self/fd.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Print this process's state, as /proc sees it. */
static int
show(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	DIR *d;
	struct dirent *e;

	if (f == NULL)
		return 1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "SigBlk:", 7) == 0 ||
		    strncmp(line, "SigIgn:", 7) == 0)
			fputs(line, stdout);
	fclose(f);
	if ((d = opendir("/proc/self/fd")) == NULL)
		return 1;
	printf("fds:");
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
			printf(" %s", e->d_name);
	printf("\n");
	closedir(d);
	return 0;
}

int
main(int argc, char **argv)
{
	sigset_t set;
	int i, fd;

	if (argc == 1)
		return show();
	sigemptyset(&set);
	for (i = 1; i + 1 < argc && strcmp(argv[i], "--") != 0; i += 2) {
		int n = atoi(argv[i + 1]);

		if (strcmp(argv[i], "-b") == 0)
			sigaddset(&set, n);
		else if (strcmp(argv[i], "-i") == 0)
			signal(n, SIG_IGN);
		else if (strcmp(argv[i], "-f") == 0) {
			fd = open("/dev/null", O_RDONLY);
			if (fd < 0 || dup2(fd, n) < 0)
				return 1;
			if (fd != n)
				close(fd);
		} else
			break;
	}
	if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc) {
		fprintf(stderr, "usage: sigstate [-b SIG] [-i SIG] [-f FD] "
		    "-- COMMAND [ARG...]\n");
		return 2;
	}
	sigprocmask(SIG_SETMASK, &set, NULL);
	execvp(argv[i + 1], argv + i + 1);
	perror(argv[i + 1]);
	return 127;
}
