/* grace.h: the end of a run (grace.c). */
#ifndef GRACE_H
#define GRACE_H

#include <stdint.h>
#include <sys/types.h>

void grace_end(int pid1, int64_t grace_ms, pid_t had, int reports);

#endif
