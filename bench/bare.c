/*
 * bare.c: the least an init can do, as the benchmark's floor. Start the
 * command, then reap with waitpid(-1, WNOHANG) until 0, sleep in
 * sigwaitinfo for the next SIGCHLD, and exit when the command has. No
 * options, no forwarding, no messages.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	sigset_t chld, old;
	pid_t cmd, pid;
	int st, done = 0, code = 0;

	if (argc < 2)
		return 100;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	cmd = fork();
	if (cmd == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		execv(argv[1], argv + 1);
		_exit(127);
	}
	for (;;) {
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			if (pid == cmd) {
				done = 1;
				code = WIFEXITED(st) ? WEXITSTATUS(st) : 1;
			}
		if (done)
			return code;
		sigwaitinfo(&chld, NULL);
	}
}
