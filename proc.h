/* proc.h: what /proc says of processes, and signalling them (proc.c). */
#ifndef PROC_H
#define PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One process, from /proc/PID/stat. PIDs are in /proc's own numbering. */
struct pinfo {
	pid_t pid, ppid, pgid, sid, tpgid;
	char state;
	char comm[32];
	uint64_t flags;		/* PF_* flags, PF_KTHREAD among them */
	uint64_t start;		/* start time, in clock ticks after boot */
};

int proc_stat(pid_t pid, struct pinfo *p);
int proc_each(int (*fn)(const struct pinfo *, void *), void *arg);
int proc_descends(pid_t pid, pid_t ancestor);
pid_t proc_self(void);
int proc_masks(pid_t pid, uint64_t m[3]);
int proc_waits(pid_t pid, uint64_t *set);
void proc_cmdline(pid_t pid, char *buf, size_t size);
int proc_signal(pid_t pid, uint64_t start, int sig);
int proc_ns_level(void);
ssize_t slurp_at(int dir, const char *name, char *buf, size_t size);
pid_t proc_ns_id(pid_t pid, const char *key, int level);

#endif
