/* pidone: shared state, options and the small output layer. */
#ifndef PIDONE_H
#define PIDONE_H

#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#define PIDONE_VERSION_DEFAULT "0.1.0"

/* Exit codes of pidone itself, a protocol documented in pidone(1). */
enum {
	EXIT_USAGE = 100,	/* bad command line or environment */
	EXIT_SYSTEM = 111,	/* a system call failed before the command ran */
	EXIT_NOEXEC = 126,	/* the command was found but could not run */
	EXIT_NOTFOUND = 127,	/* the command was not found */
};

/* How the exec helper repairs the caller's process group. */
enum exec_how { EXEC_AUTO, EXEC_SETSID, EXEC_SETPGID };

/* What pidone is asked to do. */
enum mode { MODE_INIT, MODE_PAUSE, MODE_EXEC, MODE_INSPECT, MODE_HELP,
	MODE_VERSION, MODE_LICENSE };

/* Everything the command line and the environment decide. */
struct opts {
	enum mode mode;
	enum exec_how exec_how;
	int single;		/* forward to the command's PID only */
	int subreaper;		/* asked for explicitly (-s) */
	int verbose;		/* -v count */
	int warn_reap;		/* -w: report orphans reaped */
	int wait_all;		/* -W: stay until no child is left */
	int pdeath;		/* -p: parent-death signal, 0 for none */
	int tsv;		/* --inspect --format=tsv */
	long grace_ms;		/* --grace */
	unsigned char expect[32];	/* -e: bit set of codes mapped to 0 */
	unsigned char rewrite[NSIG];	/* -r: signal to deliver instead */
	char **argv;		/* the command, NULL-terminated */
};

/*
 * Docker and podman stop a container with SIGTERM, then SIGKILL after 10 s:
 * 3 s for the rest leaves the command 7 s of its own shutdown. The period
 * ends as soon as nothing is left, so it costs only what the rest needs.
 */
#define GRACE_DEFAULT_MS 3000L

/* init.c */
int opts_env(struct opts *o, char **envp);
const char *env_value(char **envp, const char *name);
int opts_parse(struct opts *o, int argc, char **argv);
void opts_init(struct opts *o);
int exit_code(const struct opts *o, int status);
long parse_number(const char *s, long max);
int parse_code(const char *s);
long parse_duration(const char *s);

/* out.c: a few bytes of formatting over write(2), no stdio. */
ssize_t write_all(int fd, const void *buf, size_t len);
void say(int fd, const char *fmt, ...);
void warn(const char *fmt, ...);
const char *errstr(int e);
int fmt(char *buf, size_t size, const char *fmt, ...);
extern int verbosity;
#define note(level, ...) do { if (verbosity >= (level)) warn(__VA_ARGS__); } while (0)

/*
 * open(2) with O_CLOEXEC, so the command never inherits what pidone opened,
 * as the raw call: libc's wrapper, with its fallbacks, is larger.
 */
static inline int
sys_open(const char *path, int flags)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags | O_CLOEXEC);
}

/* proc.c: what /proc says of a process. */
struct pinfo {
	pid_t pid, ppid, pgid, sid, tpgid;
	char state;
	char comm[32];
	unsigned long flags;	/* PF_* flags, PF_KTHREAD among them */
	unsigned long start;	/* start time, in clock ticks after boot */
};
int proc_stat(pid_t pid, struct pinfo *p);
int proc_each(int (*fn)(const struct pinfo *, void *), void *arg);
int proc_descends(pid_t pid, pid_t ancestor);
int proc_ours(void);
int proc_masks(pid_t pid, unsigned long long m[3]);
void proc_cmdline(pid_t pid, char *buf, size_t size);
void proc_status(pid_t pid, const char *key, char *buf, size_t size);

/* inspect.c */
int inspect_main(const struct opts *o);

/* grace.c */
void shutdown_others(const struct opts *o, int pid1, pid_t had);

#endif
