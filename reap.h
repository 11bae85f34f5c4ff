/* reap.h: the one reap loop (reap.c). */
#ifndef REAP_H
#define REAP_H

#include <sys/types.h>

int reap_each(int flags, void (*fn)(pid_t pid, int status, void *arg),
    void *arg);

#endif
