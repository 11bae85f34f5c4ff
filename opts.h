/* opts.h: the command line, the environment, help and licence (opts.c). */
#ifndef OPTS_H
#define OPTS_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "pgrp.h"

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
	unsigned set;		/* SET() bits: set on the command line */
	int64_t grace_ms;	/* --grace */
	int64_t drain_ms;	/* --drain: how long the first TERM is held */
	unsigned char expect[32];	/* -e: bit set of codes mapped to 0 */
	unsigned char rewrite[NSIG];	/* -r: signal to deliver instead */
	char **argv;		/* the command, NULL-terminated */
};

/*
 * A field of struct opts as an index of ints, and its bit in o->set: the
 * command line sets it, so that the environment yields.
 */
#define FIELD(f) (offsetof(struct opts, f) / sizeof(int))
#define SET(f) (1u << FIELD(f))

/*
 * Docker and podman stop a container with SIGTERM, then SIGKILL after 10 s:
 * 3 s for the rest leaves the command 7 s of its own shutdown. The period
 * ends as soon as nothing is left, so it costs only what the rest needs.
 */
#define GRACE_DEFAULT_MS 3000

void opts_init(struct opts *o);
int opts_parse(struct opts *o, int argc, char **argv);
int opts_env(struct opts *o, char *const *envp);
int opts_print(const struct opts *o);

#endif
