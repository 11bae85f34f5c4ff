/*
 * cleansig COMMAND [ARG...]: run COMMAND with every signal at its default
 * action and none blocked. tests/run starts each test through it, so that
 * what the tests see of dispositions does not depend on how the suite was
 * started (a background job ignores INT and QUIT, CI harnesses vary).
 * The raw calls reach the signals glibc keeps for itself (32, 33).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

int
main(int argc, char **argv)
{
	struct ksigaction dfl;
	unsigned long none = 0;
	int sig;

	if (argc < 2) {
		fprintf(stderr, "usage: cleansig COMMAND [ARG...]\n");
		return 2;
	}
	memset(&dfl, 0, sizeof(dfl));
	dfl.handler = SIG_DFL;
	for (sig = 1; sig < 65; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, &dfl, NULL, 8);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8);
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
