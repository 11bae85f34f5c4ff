/* signals.h: masks, the wait, names and forwarding (signals.c). */
#ifndef SIGNALS_H
#define SIGNALS_H

#include <signal.h>
#include <stdint.h>

int sig_number(const char *s);
const char *sig_name(int sig);
int parse_rewrite(const char *s, int *from, int *to);
const char *sig_how(const siginfo_t *si);

void sig_block_all(sigset_t *saved);
void sig_restore(const sigset_t *mask);
void sig_autoreap(void);
void sig_alarm(int64_t ms);
int64_t sig_alarm_left(void);
int sig_alarmed(const siginfo_t *si);
int sig_wait(siginfo_t *si, int64_t timeout_ms);
int sig_forward(const unsigned char *rewrite, int sig, pid_t target);

#endif
