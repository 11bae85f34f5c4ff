/*
 * helper.c: the command every init runs in the benchmark. It talks to the
 * driver over two pipes whose numbers it is given: CTL (driver to helper;
 * end of file means "exit now") and OUT (helper to driver).
 *
 *   helper sig CTL OUT           a SIGUSR1 handler writes one byte to OUT
 *   helper orphans CTL OUT N B   on 'g', make N orphans, B per intermediate
 *   helper sleep CTL OUT         block until CTL closes
 *
 * Each mode writes 'r' to OUT once it is ready.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int out = -1;

/* The whole point of the signal test: answer at once, from the handler. */
static void
on_usr1(int sig)
{
	(void)sig;
	(void)!write(out, "s", 1);
}

/* Block until the driver closes CTL; a byte read is returned, 0 on EOF. */
static int
wait_ctl(int ctl)
{
	char c;
	ssize_t n;

	for (;;) {
		n = read(ctl, &c, 1);
		if (n == 1)
			return c;
		if (n == 0)
			return 0;
	}
}

/* One child that exits at once; vfork returns when it has. */
static pid_t __attribute__((noinline))
zombie(void)
{
	pid_t b = vfork();

	if (b == 0)
		_exit(0);
	return b;
}

/*
 * The intermediate child: vfork count children that exit at once (vfork
 * returns once they have), then exit without reaping them, so that their
 * zombies are reparented to PID 1.
 */
static void
intermediate(long count)
{
	long j;

	for (j = 0; j < count; j++)
		if (zombie() < 0)
			_exit(111);
	_exit(0);
}

/*
 * Make n orphans of init, batch per intermediate child. When waitpid on an
 * intermediate returns, its zombies already belong to the init.
 */
static void
orphans(long n, long batch)
{
	long made;
	pid_t a;

	for (made = 0; made < n; made += batch) {
		if (batch > n - made)
			batch = n - made;
		if ((a = fork()) < 0)
			_exit(111);
		if (a == 0)
			intermediate(batch);
		while (waitpid(a, NULL, 0) < 0)
			;
	}
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	int ctl;

	if (argc < 4)
		return 100;
	ctl = atoi(argv[2]);
	out = atoi(argv[3]);
	if (strcmp(argv[1], "sig") == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGUSR1, &sa, NULL);
		(void)!write(out, "r", 1);
		wait_ctl(ctl);
		return 0;
	}
	if (strcmp(argv[1], "orphans") == 0 && argc == 6) {
		(void)!write(out, "r", 1);
		if (wait_ctl(ctl) != 'g')
			return 0;
		orphans(atol(argv[4]), atol(argv[5]));
		(void)!write(out, "d", 1);
		wait_ctl(ctl);
		return 0;
	}
	if (strcmp(argv[1], "sleep") == 0) {
		(void)!write(out, "r", 1);
		wait_ctl(ctl);
		return 0;
	}
	return 100;
}
