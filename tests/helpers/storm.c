/*
 * storm: the load generators and probes of the storm tests (tests/
 * integration/storm.sh) and of the storm benchmark (bench/storm).
 *
 *   storm orphans N [BATCH]    make N orphans as fast as it can: each
 *                              intermediate child vforks BATCH children that
 *                              exit at once, then exits without reaping
 *                              them, so that their zombies go to the init
 *   storm zombies PPID         print how many zombies PPID has now
 *   storm nozombie SECS PPID   wait until PPID has no zombie child; exit 3
 *                              (printing how many are left) after SECS
 *   storm sink OUT             block every signal and count them; on USR2
 *                              write one line "SIGNO COUNT LAST_SENDER" per
 *                              signal seen to OUT (via OUT.tmp, renamed) and
 *                              exit 0; writes OUT.ready first. It raises its
 *                              own RLIMIT_SIGPENDING to the hard limit, so
 *                              that no real-time signal forwarded to it is
 *                              refused while the init's is lower
 *   storm signals PID COUNT SENDERS
 *                              SENDERS processes send COUNT signals to PID
 *                              between them, standard ones with kill(2) and
 *                              real-time ones with sigqueue(3) in turn; a
 *                              full queue (EAGAIN) is retried; prints
 *                              "sent N retries R"
 *   storm leave N end|ignore LOG PIDS EXITFILE CODE
 *                              fork N children that wait for SIGTERM and
 *                              append "term" to LOG when it comes, then exit
 *                              (end) or wait on (ignore); write their PIDs
 *                              to PIDS, the CLOCK_MONOTONIC time in ns to
 *                              EXITFILE, and exit CODE
 *   storm run [-n] [-q MAX] OUT CMD...
 *                              run CMD, as PID 1 of a new PID and mount
 *                              namespace with its own /proc with -n, with
 *                              a soft RLIMIT_SIGPENDING of MAX with -q; write
 *                              "pid P" to OUT.pid at once; when CMD exits,
 *                              before reaping it, write to OUT its exit code
 *                              ("rc"), the time ("end_ns") and the CPU it
 *                              used itself ("ticks" utime+stime from
 *                              /proc/P/stat, "cpu_ns" from schedstat),
 *                              how often it slept ("wakeups", voluntary
 *                              context switches) and when it started
 *                              ("start_ns")
 *   storm fill                 fill standard output, a pipe, until it would
 *                              block, and leave it blocking again
 *   storm wait FILE CODE READY write our PID to READY, wait until FILE
 *                              exists, exit CODE
 *   storm fork                 try to fork: exit 42 with a line on stderr
 *                              if it fails, 1 if it works
 *
 * Files meant for a poller are written whole (write to .tmp, rename).
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Write text to path whole: a poller sees all of it or nothing. */
static void
put(const char *path, const char *text)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL || fputs(text, f) < 0 ||
	    fclose(f) != 0 || rename(tmp, path) != 0) {
		perror(path);
		exit(2);
	}
}

/* A child that exits at once; vfork returns once it has. */
static pid_t __attribute__((noinline))
zombie(void)
{
	pid_t b = vfork();

	if (b == 0)
		_exit(0);
	return b;
}

static int
orphans(long n, long batch)
{
	long made, j;
	pid_t a;

	for (made = 0; made < n; made += batch) {
		if (batch > n - made)
			batch = n - made;
		if ((a = fork()) < 0) {
			perror("storm: fork");
			return 1;
		}
		if (a == 0) {
			for (j = 0; j < batch; j++)
				if (zombie() < 0)
					_exit(1);
			_exit(0);
		}
		if (waitpid(a, &a, 0) < 0 || a != 0) {
			fprintf(stderr, "storm: an intermediate child failed\n");
			return 1;
		}
	}
	return 0;
}

/* Zombie children of ppid, from the stat file of each process. */
static long
zombies(long ppid)
{
	char path[300], buf[512], *p;
	struct dirent *e;
	long n = 0;
	DIR *d = opendir("/proc");
	int fd;
	ssize_t len;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if ((fd = open(path, O_RDONLY)) < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		if ((p = strrchr(buf, ')')) != NULL && p[1] == ' ' &&
		    p[2] == 'Z' && atol(p + 4) == ppid)
			n++;
	}
	closedir(d);
	return n;
}

static int
nozombie(long secs, long ppid)
{
	long long end = now_ns() + secs * 1000000000LL;
	long n;

	while ((n = zombies(ppid)) != 0) {
		if (now_ns() > end) {
			printf("%ld zombies left\n", n);
			return 3;
		}
		nap_ms(50);
	}
	return 0;
}

static int
sink(const char *out)
{
	static long count[65];
	static int last[65];
	char text[8192], ready[4096];
	size_t len = 0;
	siginfo_t si;
	sigset_t all;
	int sig;

	struct rlimit rl;

	/* The kernel checks the target's (soft) limit against the count of
	 * every signal its user has pending, the init's own queue among them:
	 * raised to the hard limit here, and the init's lowered (storm run
	 * -q), an init with a backlog is never refused (EAGAIN) a signal it
	 * forwards, and the count can be exact. */
	if (getrlimit(RLIMIT_SIGPENDING, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_SIGPENDING, &rl);
	}
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	snprintf(ready, sizeof(ready), "%s.ready", out);
	snprintf(text, sizeof(text), "%d\n", (int)getpid());
	put(ready, text);
	for (;;) {
		if ((sig = sigwaitinfo(&all, &si)) <= 0 || sig > 64)
			continue;
		count[sig]++;
		last[sig] = si.si_pid;
		if (sig == SIGUSR2)
			break;
	}
	for (sig = 1; sig <= 64; sig++)
		if (count[sig] > 0 && len < sizeof(text) - 64)
			len += (size_t)snprintf(text + len, sizeof(text) - len,
			    "%d %ld %d\n", sig, count[sig], last[sig]);
	put(out, text);
	return 0;
}

/* Standard signals the storm sends: none that stops, ends a pause, or
 * that the inits keep for themselves (CHLD), and not USR2, the final one. */
static const int std_sigs[] = { SIGUSR1, SIGHUP, SIGWINCH, SIGALRM };

static int
sender(pid_t pid, long count, int id, long *retries)
{
	union sigval v;
	long i;
	int sig;

	for (i = 0; i < count; i++) {
		if (i % 2 == 0) {
			sig = std_sigs[(i / 2 + id) % 4];
			if (kill(pid, sig) < 0)
				return 1;
			continue;
		}
		/* 35..60: real-time, clear of what C libraries keep. */
		sig = 35 + (int)((i / 2 + id) % 26);
		v.sival_int = (int)i;
		while (sigqueue(pid, sig, v) < 0) {
			if (errno != EAGAIN)
				return 1;
			(*retries)++;
			sched_yield();
		}
	}
	return 0;
}

static int
signals(pid_t pid, long count, int senders)
{
	int fds[2], i, st, bad = 0;
	long retries = 0, r, rt = 0, c_i;
	pid_t c;

	if (pipe(fds) < 0)
		return 2;
	for (i = 0; i < senders; i++) {
		if ((c = fork()) < 0)
			return 2;
		if (c == 0) {
			close(fds[0]);
			st = sender(pid, count / senders +
			    (i < count % senders), i, &retries);
			if (write(fds[1], &retries, sizeof(retries)) < 0)
				_exit(2);
			_exit(st);
		}
	}
	close(fds[1]);
	while (read(fds[0], &r, sizeof(r)) == sizeof(r))
		retries += r;
	/* Sender i sends a real-time signal at every odd step. */
	for (i = 0; i < senders; i++) {
		c_i = count / senders + (i < count % senders);
		rt += c_i / 2;
	}
	while ((c = wait(&st)) > 0)
		bad |= !WIFEXITED(st) || WEXITSTATUS(st) != 0;
	printf("sent %ld retries %ld rt %ld\n", count, retries, rt);
	if (bad)
		fprintf(stderr, "storm: a sender failed: target gone?\n");
	return bad;
}

static int
leave(long n, int ignore, const char *log, const char *pids,
    const char *exitfile, int code)
{
	char text[64];
	sigset_t term;
	FILE *f;
	long i;
	pid_t c;
	int fd;

	/* Blocked before the forks: a SIGTERM that comes before a child
	 * waits for it stays pending, so none is missed. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0 ||
	    (f = fopen(pids, "w")) == NULL) {
		perror("storm: leave");
		return 2;
	}
	for (i = 0; i < n; i++) {
		if ((c = fork()) < 0) {
			perror("storm: fork");
			return 2;
		}
		if (c == 0) {
			for (;;) {
				if (sigwaitinfo(&term, NULL) != SIGTERM)
					continue;
				if (write(fd, "term\n", 5) != 5)
					_exit(3);
				if (!ignore)
					_exit(0);
			}
		}
		fprintf(f, "%d\n", (int)c);
	}
	if (fclose(f) != 0)
		return 2;
	snprintf(text, sizeof(text), "%lld\n", now_ns());
	put(exitfile, text);
	return code;
}

/* Fields 14 and 15 of /proc/PID/stat, summed; -1 if unreadable. */
static long
ticks(pid_t pid)
{
	char path[64], buf[1024], *p;
	long ut, stt;
	int fd, i;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || (buf[n] = '\0', p = strrchr(buf, ')')) == NULL)
		return -1;
	/* After ")": field 3 is the state; utime is field 14. */
	for (i = 3, p += 2; i < 14 && p != NULL; i++)
		if ((p = strchr(p, ' ')) != NULL)
			p++;
	if (p == NULL || sscanf(p, "%ld %ld", &ut, &stt) != 2)
		return -1;
	return ut + stt;
}

static long long
schedstat(pid_t pid)
{
	char path[64];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* voluntary_ctxt_switches of /proc/PID/status; -1 if unreadable. */
static long
wakeups(pid_t pid)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static int
run(int ns, long qmax, const char *out, char **cmd)
{
	char path[4096], text[256];
	siginfo_t si;
	long long end, start = now_ns();
	pid_t pid;
	int st;

	if (ns)
		pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS |
		    SIGCHLD, 0, 0, 0, 0);
	else
		pid = fork();
	if (pid < 0) {
		perror("storm: clone");
		return 2;
	}
	if (pid == 0) {
		/* The kernel checks the target's limit when it queues a
		 * real-time signal: this caps the init's queue (and its
		 * command's), whose length each dequeue walks. */
		struct rlimit rl;

		/* The soft limit only, which is what the kernel checks: the
		 * command may raise its own again up to the hard one. */
		if (qmax > 0 && (getrlimit(RLIMIT_SIGPENDING, &rl) < 0 ||
		    (rl.rlim_cur = (rlim_t)qmax) > rl.rlim_max ||
		    setrlimit(RLIMIT_SIGPENDING, &rl) < 0)) {
			perror("storm: setrlimit");
			_exit(112);
		}
		if (ns && (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) <
		    0 || mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV |
		    MS_NOEXEC, NULL) < 0)) {
			perror("storm: mount");
			_exit(112);
		}
		execvp(cmd[0], cmd);
		perror(cmd[0]);
		_exit(127);
	}
	snprintf(path, sizeof(path), "%s.pid", out);
	snprintf(text, sizeof(text), "pid %d\n", (int)pid);
	put(path, text);
	/* WNOWAIT: the zombie's /proc files still give its CPU time. */
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			return 2;
	end = now_ns();
	snprintf(text, sizeof(text), "rc %d\nstart_ns %lld\nend_ns %lld\n"
	    "ticks %ld\ncpu_ns %lld\nwakeups %ld\n", si.si_code == CLD_EXITED ?
	    si.si_status : 128 + si.si_status, start, end, ticks(pid),
	    schedstat(pid), wakeups(pid));
	put(out, text);
	waitpid(pid, &st, 0);
	return 0;
}

static int
fill(void)
{
	static char buf[4096];
	int fl = fcntl(1, F_GETFL);

	/* The flag belongs to the pipe's open file, shared with whoever gets
	 * it next: it is cleared again before we go. */
	if (fl < 0 || fcntl(1, F_SETFL, fl | O_NONBLOCK) < 0)
		return 2;
	while (write(1, buf, sizeof(buf)) > 0 || errno == EINTR)
		;
	while (write(1, buf, 1) > 0 || errno == EINTR)
		;
	if (errno != EAGAIN)
		return 2;
	return fcntl(1, F_SETFL, fl) < 0 ? 2 : 0;
}

static int
waitfile(const char *file, int code, const char *ready)
{
	char text[32];

	snprintf(text, sizeof(text), "%d\n", (int)getpid());
	put(ready, text);
	while (access(file, F_OK) != 0)
		nap_ms(20);
	return code;
}

static int
tryfork(void)
{
	pid_t c = fork();
	int st;

	if (c < 0) {
		fprintf(stderr, "storm: fork: %s\n", strerror(errno));
		return 42;
	}
	if (c == 0)
		_exit(0);
	waitpid(c, &st, 0);
	return 1;
}

int
main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	if (strcmp(m, "orphans") == 0 && (argc == 3 || argc == 4))
		return orphans(atol(argv[2]), argc == 4 ? atol(argv[3]) : 100);
	if (strcmp(m, "zombies") == 0 && argc == 3)
		return printf("%ld\n", zombies(atol(argv[2]))) < 0;
	if (strcmp(m, "nozombie") == 0 && argc == 4)
		return nozombie(atol(argv[2]), atol(argv[3]));
	if (strcmp(m, "sink") == 0 && argc == 3)
		return sink(argv[2]);
	if (strcmp(m, "signals") == 0 && argc == 5)
		return signals((pid_t)atol(argv[2]), atol(argv[3]),
		    atoi(argv[4]) > 0 ? atoi(argv[4]) : 1);
	if (strcmp(m, "leave") == 0 && argc == 8)
		return leave(atol(argv[2]), strcmp(argv[3], "ignore") == 0,
		    argv[4], argv[5], argv[6], atoi(argv[7]));
	if (strcmp(m, "run") == 0 && argc >= 4) {
		int i = 2, ns = 0;
		long q = 0;

		for (; i + 1 < argc && argv[i][0] == '-'; i++)
			if (strcmp(argv[i], "-n") == 0)
				ns = 1;
			else if (strcmp(argv[i], "-q") == 0 && i + 2 < argc)
				q = atol(argv[++i]);
			else
				return 2;
		if (i + 1 >= argc)
			return 2;
		return run(ns, q, argv[i], argv + i + 1);
	}
	if (strcmp(m, "fill") == 0)
		return fill();
	if (strcmp(m, "wait") == 0 && argc == 5)
		return waitfile(argv[2], atoi(argv[3]), argv[4]);
	if (strcmp(m, "fork") == 0)
		return tryfork();
	fprintf(stderr, "usage: see the comment in tests/helpers/storm.c\n");
	return 2;
}
