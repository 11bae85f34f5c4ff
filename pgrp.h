/* pidone: process groups, sessions, the terminal and the exec helper. */
#ifndef PGRP_H
#define PGRP_H

#include <sys/types.h>

struct opts;

int tty_owned(void);
void tty_give(pid_t pgrp);
void child_isolate(int give_tty);
int exec_helper(const struct opts *o, const sigset_t *mask);
void child_exec(char **argv, const sigset_t *mask);

#endif
