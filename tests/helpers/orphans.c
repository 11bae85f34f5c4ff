/*
 * orphans: make orphans for the reaping tests.
 *
 *   orphans N          N grandchildren that exit at once
 *   orphans -h N       N grandchildren that pause until killed
 *
 * Each is double-forked: the middle child exits (and is reaped here), so
 * the grandchild is reparented to the nearest subreaper or PID 1. With -h
 * it prints each grandchild's PID on stdout once the grandchild is
 * running, and exits when all are printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int hold = argc > 1 && strcmp(argv[1], "-h") == 0;
	long i, n = argc > 1 + hold ? atol(argv[1 + hold]) : -1;
	int fds[2];
	pid_t pid, mid;

	if (n < 0) {
		fprintf(stderr, "usage: orphans [-h] N\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (pipe(fds) < 0) {
			perror("pipe");
			return 1;
		}
		if ((mid = fork()) < 0) {
			perror("fork");
			return 1;
		}
		if (mid == 0) {
			if ((pid = fork()) < 0)
				_exit(1);
			if (pid == 0 && hold) {
				/* Say "running", then wait to be killed. */
				close(fds[0]);
				pid = getpid();
				if (write(fds[1], &pid, sizeof(pid)) < 0)
					_exit(1);
				close(fds[1]);
				for (;;)
					pause();
			}
			_exit(0);
		}
		close(fds[1]);
		if (waitpid(mid, NULL, 0) < 0) {
			perror("waitpid");
			return 1;
		}
		if (hold) {
			if (read(fds[0], &pid, sizeof(pid)) != sizeof(pid)) {
				fprintf(stderr, "orphans: grandchild lost\n");
				return 1;
			}
			printf("%d\n", (int)pid);
		}
		close(fds[0]);
	}
	return 0;
}
