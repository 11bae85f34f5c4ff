/*
 * die: end by signal SIG (a number), as the exit-status tests need.
 * The signal's default action is restored and the signal unblocked first,
 * and the process is made non-dumpable so that no core file is written.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int sig = argc > 1 ? atoi(argv[1]) : 0;
	unsigned long dfl[4] = { 0 };	/* the kernel's sigaction: SIG_DFL */
	unsigned long none = 0;

	if (sig <= 0) {
		fprintf(stderr, "usage: die SIG\n");
		return 2;
	}
	prctl(PR_SET_DUMPABLE, 0);
	/* Raw calls: the C library refuses signals 32 and 33, its own. */
	syscall(SYS_rt_sigaction, sig, dfl, NULL, 8);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8);
	syscall(SYS_kill, getpid(), sig);
	for (;;)
		pause();
}
