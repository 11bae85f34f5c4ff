/*
 * driver.c: starts each init as PID 1 of a fresh PID and mount namespace
 * (what `unshare --pid --fork --mount-proc` does: private mounts, a new
 * /proc) or as a plain child, and times it with CLOCK_MONOTONIC. Targets are
 * interleaved round by round, in an order shuffled every round, so that
 * machine noise hits them alike. Raw results go to stdout as TSV; bench/
 * report.py turns them into medians and ratios.
 *
 *   driver startup SPEC ROUNDS CMD...        INIT CMD vs CMD
 *   driver reap SPEC HELPER ROUNDS N MODE B  MODE: piled or made
 *   driver signal SPEC HELPER COUNT [CPU]    kill(init) to handler and back
 *   driver idle SPEC HELPER SECONDS          wake-ups and memory
 *
 * SPEC has one target a line: SETUP<TAB>NAME<TAB>ARG..., SETUP "ns" or
 * "child", ARG... the init's argv before the command (none: no init).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXT 16
#define MAXARG 16

struct target {
	char setup[8];
	char name[32];
	char *argv[MAXARG + 8];
	int nargs;		/* init's own args; 0 means no init */
	pid_t pid;		/* the process we started (the init) */
	int ctl, out;		/* our ends of the pipes */
};

static struct target tg[MAXT];
static int nt;
static int failed;	/* some measurement went wrong: exit 1 at the end */

/* Give up on a failed system call: only ever before measuring. */
static void
die(const char *what)
{
	fprintf(stderr, "driver: %s: %s\n", what, strerror(errno));
	exit(111);
}

/* The clock every time here is read from. */
static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * The order of the targets in round r: a fresh shuffle every round (seeded
 * by r, so a run can be repeated), so that no target always follows the
 * same one and inherits what its run left behind.
 */
static struct target *
nth(int r, int i)
{
	static int order[MAXT], round = -1000000;
	unsigned int seed = (unsigned int)r * 2654435761u + 1;
	int j, k, tmp;

	if (r != round) {
		round = r;
		for (j = 0; j < nt; j++)
			order[j] = j;
		for (j = nt - 1; j > 0; j--) {
			k = (int)(rand_r(&seed) % (unsigned int)(j + 1));
			tmp = order[j];
			order[j] = order[k];
			order[k] = tmp;
		}
	}
	return &tg[order[i]];
}

/* Read the SPEC file into tg[]. */
static void
load(const char *path)
{
	char line[1024], *p, *f;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		die(path);
	while (nt < MAXT && fgets(line, sizeof(line), fp) != NULL) {
		struct target *t = &tg[nt];
		int i = 0;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		for (p = line; (f = strsep(&p, "\t")) != NULL; i++) {
			if (i == 0)
				snprintf(t->setup, sizeof(t->setup), "%s", f);
			else if (i == 1)
				snprintf(t->name, sizeof(t->name), "%s", f);
			else if (*f != '\0' && t->nargs < MAXARG)
				t->argv[t->nargs++] = strdup(f);
		}
		nt++;
	}
	fclose(fp);
}

/* argv for t running cmd (cmd is NULL-terminated); static storage. */
static char **
full_argv(struct target *t, char **cmd)
{
	static char *av[MAXARG + 16];
	int i, n = 0;

	for (i = 0; i < t->nargs; i++)
		av[n++] = t->argv[i];
	for (i = 0; cmd[i] != NULL && n < MAXARG + 15; i++)
		av[n++] = cmd[i];
	av[n] = NULL;
	return av;
}

/*
 * Start argv in a new PID and mount namespace with its own /proc (ns) or as
 * a plain child. keep[] are fds the child must keep across exec. Standard
 * input and output are /dev/null; standard error is kept unless quiet.
 */
static pid_t
start(int ns, char **argv, const int *keep, int nkeep, int quiet)
{
	pid_t pid;
	int i, null;

	if (ns)
		pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS |
		    SIGCHLD, 0, 0, 0, 0);
	else
		pid = fork();
	if (pid < 0)
		die("clone");
	if (pid > 0)
		return pid;
	if (ns && (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    NULL) < 0))
		_exit(112);
	null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	dup2(null, 1);
	if (quiet)
		dup2(null, 2);
	for (i = 0; i < nkeep; i++)
		fcntl(keep[i], F_SETFD, 0);
	execv(argv[0], argv);
	_exit(127);
}

/* Wait for pid to exit; its status. */
static int
reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	return st;
}

/* Read one byte from fd within ms; the byte, or -1. */
static int
get(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char c;

	if (poll(&p, 1, ms) != 1 || read(fd, &c, 1) != 1)
		return -1;
	return c;
}

/* Start t with helper MODE ARGS..., pipes set up; -1 if it did not answer. */
static int
start_helper(struct target *t, const char *helper, const char *mode,
    const char *a1, const char *a2)
{
	int ctl[2], out[2], keep[2];
	char c[16], o[16];
	char *cmd[8] = { (char *)helper, (char *)mode, c, o, (char *)a1,
	    (char *)a2, NULL };

	if (pipe2(ctl, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
		die("pipe");
	snprintf(c, sizeof(c), "%d", ctl[0]);
	snprintf(o, sizeof(o), "%d", out[1]);
	if (a1 == NULL)
		cmd[4] = NULL;
	keep[0] = ctl[0];
	keep[1] = out[1];
	t->pid = start(strcmp(t->setup, "ns") == 0, full_argv(t, cmd), keep, 2,
	    0);
	close(ctl[0]);
	close(out[1]);
	t->ctl = ctl[1];
	t->out = out[0];
	if (get(t->out, 10000) != 'r') {
		fprintf(stderr, "driver: %s: helper did not start\n", t->name);
		failed = 1;
		return -1;
	}
	return 0;
}

/* Tell the helper to exit and wait for the init to follow. */
static void
stop_helper(struct target *t)
{
	close(t->ctl);
	close(t->out);
	reap(t->pid);
}

/*
 * INIT CMD and CMD alone ("direct") in each set-up, round after round, in
 * a shuffled order; five rounds of warm-up first.
 */
static int
cmd_startup(int rounds, char **cmd)
{
	int r, i;

	for (r = -5; r < rounds; r++) {
		for (i = 0; i < nt; i++) {
			struct target *t = nth(r, i);
			long long t0, t1;
			pid_t pid;
			int st;

			t0 = now_ns();
			pid = start(strcmp(t->setup, "ns") == 0,
			    full_argv(t, cmd), NULL, 0, 1);
			st = reap(pid);
			t1 = now_ns();
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
				fprintf(stderr, "driver: %s: %s run failed\n",
				    t->name, t->setup);
				failed = 1;
			}
			if (r >= 0)
				printf("startup\t%s\t%s\t%d\t%lld\t%d\n",
				    t->setup, t->name, r, t1 - t0,
				    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		}
	}
	return 0;
}

/* Read the small file /proc/PID/NAME into buf, NUL-terminated; its length,
 * or -1. */
static int
proc_read(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	n = (int)read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Field of /proc/PID/stat: the state letter. */
static char
state_of(pid_t pid)
{
	char buf[512], *p;

	if (proc_read(pid, "stat", buf, sizeof(buf)) < 0)
		return '?';
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' ? p[2] : '?';
}

/* CPU time pid has run, in ns, from /proc/PID/schedstat. */
static long long
cpu_of(pid_t pid)
{
	char buf[128];

	if (proc_read(pid, "schedstat", buf, sizeof(buf)) < 0)
		return -1;
	return atoll(buf);
}

/*
 * Number of children pid has, up to a few: the head of
 * /proc/PID/task/PID/children. Reading only the head keeps it cheap.
 */
static int
children_head(int fd, char *buf, size_t size)
{
	int n, i, c = 0;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	n = (int)read(fd, buf, size);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++)
		c += buf[i] == ' ';
	return n == (int)size ? 1000 : c;
}

/* Count all children (for the check that the zombies did pile up). */
static long
children_all(pid_t pid)
{
	char path[64], buf[65536];
	long c = 0;
	int fd, n, i;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid,
	    (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	while ((n = (int)read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			c += buf[i] == ' ';
	close(fd);
	return c;
}

/* Sleep us microseconds, however often interrupted. */
static void
sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * One reap run. piled: the init is stopped with SIGSTOP, N orphans become
 * its zombies, and the clock runs from SIGCONT until it has no child but
 * the helper. made: the clock runs from "go" until the same point, while
 * the helper makes them. The children file is polled every 100 us.
 */
static int
reap_one(struct target *t, const char *helper, long n, int piled,
    const char *batch, int r)
{
	char ns[24], path[64], head[64];
	long long t0, t1, c0, c1;
	long seen = -1;
	int fd, k;

	snprintf(ns, sizeof(ns), "%ld", n);
	if (start_helper(t, helper, "orphans", ns, batch) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)t->pid,
	    (int)t->pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		die(path);
	if (piled) {
		kill(t->pid, SIGSTOP);
		for (k = 0; state_of(t->pid) != 'T' && k < 100000; k++)
			sleep_us(50);
	}
	c0 = cpu_of(t->pid);
	t0 = now_ns();
	if (write(t->ctl, "g", 1) != 1 || get(t->out, 120000) != 'd') {
		fprintf(stderr, "driver: %s: helper failed\n", t->name);
		failed = 1;
		return -1;
	}
	if (piled) {
		seen = children_all(t->pid) - 1;
		c0 = cpu_of(t->pid);
		t0 = now_ns();
		kill(t->pid, SIGCONT);
	}
	while (children_head(fd, head, sizeof(head)) > 1)
		sleep_us(100);
	t1 = now_ns();
	c1 = cpu_of(t->pid);
	close(fd);
	stop_helper(t);
	printf("reap\t%s\t%s\t%d\t%ld\t%lld\t%lld\t%ld\n", piled ? "piled" :
	    "made", t->name, r, n, t1 - t0, c1 - c0, seen);
	fflush(stdout);
	return 0;
}

/* Reap runs, one per target per round, in a shuffled order. */
static int
cmd_reap(const char *helper, int rounds, long n, const char *mode,
    const char *batch)
{
	int r, i;

	for (r = 0; r < rounds; r++)
		for (i = 0; i < nt; i++)
			reap_one(nth(r, i), helper, n,
			    strcmp(mode, "piled") == 0, batch, r);
	return 0;
}

/*
 * All targets run at once, each with a helper whose SIGUSR1 handler writes
 * a byte back. One signal per target per round: kill() on the init (on the
 * helper itself when there is no init), then block until the byte arrives.
 */
static int
cmd_signal(const char *helper, int count, int cpu)
{
	int r, i, c;

	/*
	 * Pinned, the round trip is the work done on one CPU, without the
	 * cost of waking another one, which depends on where the scheduler
	 * happened to put each init for the whole run.
	 */
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			die("sched_setaffinity");
	}
	for (i = 0; i < nt; i++)
		if (start_helper(&tg[i], helper, "sig", NULL, NULL) < 0)
			return 1;
	for (r = -200; r < count; r++) {
		for (i = 0; i < nt; i++) {
			struct target *t = nth(r, i);
			long long t0, t1;

			t0 = now_ns();
			kill(t->pid, SIGUSR1);
			c = get(t->out, 2000);
			t1 = now_ns();
			if (c != 's') {
				fprintf(stderr, "driver: %s: no answer to "
				    "signal %d\n", t->name, r);
				failed = 1;
				continue;
			}
			if (r >= 0)
				printf("signal\t%s\t%s\t%d\t%lld\n",
				    cpu >= 0 ? "pinned" : "free", t->name, r,
				    t1 - t0);
		}
	}
	for (i = 0; i < nt; i++)
		stop_helper(&tg[i]);
	return 0;
}

/* Value in kB or count of "Name:" in /proc/PID/status; -1 if absent. */
static long
status_field(pid_t pid, const char *name)
{
	char buf[8192], *p;

	if (proc_read(pid, "status", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; (p = strstr(p, name)) != NULL; p++)
		if ((p == buf || p[-1] == '\n') && p[strlen(name)] == ':')
			return atol(p + strlen(name) + 1);
	return -1;
}

/* All targets idle at once with a sleeping helper, for SECONDS. */
static int
cmd_idle(const char *helper, int seconds)
{
	long v0[MAXT], n0[MAXT];
	int i;

	for (i = 0; i < nt; i++)
		if (start_helper(&tg[i], helper, "sleep", NULL, NULL) < 0)
			return 1;
	sleep_us(500000);
	for (i = 0; i < nt; i++) {
		v0[i] = status_field(tg[i].pid, "voluntary_ctxt_switches");
		n0[i] = status_field(tg[i].pid, "nonvoluntary_ctxt_switches");
	}
	sleep_us(seconds * 1000000L);
	for (i = 0; i < nt; i++) {
		pid_t p = tg[i].pid;

		printf("idle\t%s\t%d\t%ld\t%ld\t%ld\t%ld\n", tg[i].name,
		    seconds, status_field(p, "voluntary_ctxt_switches") - v0[i],
		    status_field(p, "nonvoluntary_ctxt_switches") - n0[i],
		    status_field(p, "VmRSS"), status_field(p, "VmHWM"));
	}
	for (i = 0; i < nt; i++)
		stop_helper(&tg[i]);
	return 0;
}

int
main(int argc, char **argv)
{
	/* Precise sleeps for polling the children file. */
	prctl(PR_SET_TIMERSLACK, 1UL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 5 && strcmp(argv[1], "startup") == 0) {
		load(argv[2]);
		return cmd_startup(atoi(argv[3]), argv + 4) || failed;
	}
	if (argc == 8 && strcmp(argv[1], "reap") == 0) {
		load(argv[2]);
		return cmd_reap(argv[3], atoi(argv[4]), atol(argv[5]), argv[6],
		    argv[7]) || failed;
	}
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "signal") == 0) {
		load(argv[2]);
		return cmd_signal(argv[3], atoi(argv[4]),
		    argc == 6 ? atoi(argv[5]) : -1) || failed;
	}
	if (argc == 5 && strcmp(argv[1], "idle") == 0) {
		load(argv[2]);
		return cmd_idle(argv[3], atoi(argv[4])) || failed;
	}
	fprintf(stderr, "usage: driver startup|reap|signal|idle SPEC ...\n");
	return 100;
}
