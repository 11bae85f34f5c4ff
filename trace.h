/* trace.h: the words of the trace (trace.c). */
#ifndef TRACE_H
#define TRACE_H

#include <signal.h>

const char *describe(int status);
void trace_signal(const siginfo_t *si, const char *what, int to, pid_t target);

#endif
