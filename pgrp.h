/* pgrp.h: process groups, sessions, the terminal, the exec helper (pgrp.c). */
#ifndef PGRP_H
#define PGRP_H

#include <sys/types.h>

#include "child.h"

/* How the exec helper repairs the caller's process group. */
enum exec_how { EXEC_AUTO, EXEC_SETSID, EXEC_SETPGID };

int tty_owned(void);
void tty_give(pid_t pgrp);
int exec_helper(enum exec_how how, const struct spawn *s);

#endif
