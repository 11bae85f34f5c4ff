/*
 * signals.c: everything pidone knows about signals. Masks, the one place it
 * waits, the name table shared by parsing and tracing, and forwarding with
 * rewriting.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "out.h"
#include "parse.h"
#include "signals.h"

/*
 * The names kill -l prints, without the SIG prefix, then aliases (accepted
 * on input, never printed): the numbers, and in the same order the names,
 * NUL-separated, as in out.c's errno table: no padding, no pointers.
 */
static const unsigned char signums[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
	SIGKILL, SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
#ifdef SIGSTKFLT
	SIGSTKFLT,
#endif
	SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGXCPU,
	SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGIO,
#ifdef SIGPWR
	SIGPWR,
#endif
	SIGSYS, SIGABRT, SIGIO, SIGCHLD,
};
static const char signames[] =
	"HUP\0INT\0QUIT\0ILL\0TRAP\0ABRT\0BUS\0FPE\0"
	"KILL\0USR1\0SEGV\0USR2\0PIPE\0ALRM\0TERM\0"
#ifdef SIGSTKFLT
	"STKFLT\0"
#endif
	"CHLD\0CONT\0STOP\0TSTP\0TTIN\0TTOU\0URG\0XCPU\0"
	"XFSZ\0VTALRM\0PROF\0WINCH\0IO\0"
#ifdef SIGPWR
	"PWR\0"
#endif
	"SYS\0IOT\0POLL\0CLD";

/*
 * Real-time signals are named as kill -l, glibc and Docker name them, with
 * RTMIN at 34, whatever the C library pidone is built with: musl keeps 32..34
 * for itself and would call 35 RTMIN. A name must mean one signal.
 */
#define RT_MIN 34
#define RT_MAX (NSIG - 1)

/*
 * Fill set with every signal. sigfillset leaves out those the C library
 * keeps for itself (musl: 32..34), and an unblocked 34 would kill pidone,
 * or as PID 1 be lost, instead of reaching the command.
 */
static void
fill(sigset_t *set)
{
	memset(set, 0xff, sizeof(*set));
}

/* c in lower case, when it is an ASCII letter. */
static int
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Compare case-insensitively; return the length of prefix p matched in s. */
static size_t
prefix(const char *s, const char *p)
{
	size_t i;

	for (i = 0; p[i] != '\0'; i++)
		if (lower(s[i]) != lower(p[i]))
			return 0;
	return i;
}

/*
 * Signal number of TERM, SIGTERM, term, 15, RTMIN+3 or RTMAX-1. "0" gives 0,
 * which callers accept only where it means "no signal". -1 if unknown.
 */
int
sig_number(const char *s)
{
	const char *n = signames;
	size_t i;
	int64_t off;

	if (s[0] >= '0' && s[0] <= '9')
		return (int)parse_number(s, NSIG - 1);
	s += prefix(s, "SIG");
	if (prefix(s, "RTMIN") || prefix(s, "RTMAX")) {
		int max = prefix(s, "RTMAX") != 0;

		if (s[5] == '\0')
			return max ? RT_MAX : RT_MIN;
		if (s[5] != (max ? '-' : '+'))
			return -1;
		off = parse_number(s + 6, RT_MAX - RT_MIN);
		if (off < 0)
			return -1;
		return (int)(max ? RT_MAX - off : RT_MIN + off);
	}
	for (i = 0; i < sizeof(signums); i++, n += strlen(n) + 1)
		if (prefix(s, n) && s[strlen(n)] == '\0')
			return signums[i];
	return -1;
}

/*
 * Name of sig as kill -l prints it (TERM, RTMIN+2), or its number. A name
 * that is not in the table is made in one of two buffers used in turn, so
 * that one message may name two signals, and no caller needs a buffer.
 */
const char *
sig_name(int sig)
{
	static char bufs[2][16];
	static int which;
	char *buf = bufs[which ^= 1];
	const char *n = signames;
	size_t i;

	for (i = 0; i < sizeof(signums); i++, n += strlen(n) + 1)
		if (signums[i] == sig)
			return n;
	if (sig >= RT_MIN && sig <= RT_MAX) {
		if (sig - RT_MIN <= RT_MAX - sig)
			fmt(buf, 16, sig == RT_MIN ? "RTMIN" : "RTMIN+%d",
			    sig - RT_MIN);
		else
			fmt(buf, 16, sig == RT_MAX ? "RTMAX" : "RTMAX-%d",
			    RT_MAX - sig);
	} else
		fmt(buf, 16, "%d", sig);
	return buf;
}

/*
 * Parse FROM:TO for --rewrite. FROM must be a signal pidone forwards (not
 * KILL or STOP, which it never receives, nor CHLD, which it keeps);
 * TO may be 0, meaning drop. Returns 0, or -1 with the part that was wrong
 * in *from (1 for FROM, 2 for TO, 3 for the shape).
 */
int
parse_rewrite(const char *s, int *from, int *to)
{
	char left[32];
	const char *colon = parse_find(s, ':');
	size_t len;

	if (*colon == '\0' || (len = (size_t)(colon - s)) >= sizeof(left) ||
	    len == 0 || colon[1] == '\0') {
		*from = 3;
		return -1;
	}
	memcpy(left, s, len);
	left[len] = '\0';
	*from = sig_number(left);
	*to = sig_number(colon + 1);
	if (*from <= 0 || *from == SIGKILL || *from == SIGSTOP ||
	    *from == SIGCHLD) {
		*from = 1;
		return -1;
	}
	if (*to < 0) {
		*from = 2;
		return -1;
	}
	return 0;
}

/* How a signal was sent, from its siginfo, in a word for the trace. */
const char *
sig_how(const siginfo_t *si)
{
	switch (si->si_code) {
	case SI_USER:
		return "kill";
	case SI_QUEUE:
		return "sigqueue";
	case SI_TKILL:
		return "tkill";
	case SI_KERNEL:
		switch (si->si_signo) {
		case SIGINT: case SIGQUIT: case SIGTSTP: case SIGHUP:
		case SIGWINCH: case SIGTTIN: case SIGTTOU: case SIGCONT:
			return "terminal";
		}
		return "kernel";
	}
	return si->si_code > 0 ? "kernel" : "other";
}

/*
 * Set the whole signal mask, the raw call being the portable way here:
 * glibc's and musl's sigprocmask leave out the signals they keep for
 * themselves (32..34), and an unblocked 34 would kill pidone, or as PID 1
 * be lost, instead of reaching the command. The kernel's set is NSIG / 8
 * bytes on every architecture. Async-signal-safe, for the vfork child.
 */
static void
setmask(const sigset_t *set, sigset_t *old)
{
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, set, old, NSIG / 8);
}

/*
 * Block every signal and remember the mask pidone was started with, for the
 * command. Blocked signals stay pending for sig_wait, even those the kernel
 * would drop for a PID 1 with the default action, and even the fault signals
 * when they come from kill(2): a real fault is still fatal, as it would be.
 */
void
sig_block_all(sigset_t *saved)
{
	sigset_t all;

	fill(&all);
	sigemptyset(saved);
	setmask(&all, saved);
}

/* Set the mask back to one saved by sig_block_all. */
void
sig_restore(const sigset_t *mask)
{
	setmask(mask, NULL);
}

/*
 * From now on the kernel releases pidone's children as they exit
 * (SA_NOCLDWAIT), for the end of a run. SIGCHLD still comes, and since it
 * stays blocked it is queued rather than dropped as ignored, so sig_wait
 * still wakes. Where the flag is not honoured (qemu-user drops it), the
 * children become zombies as before, for the caller to reap.
 */
void
sig_autoreap(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);
}

/*
 * Arm the alarm to ring in ms milliseconds, or disarm it (0). Deadlines are
 * kept by the kernel's timer rather than by reading a clock: its SIGALRM,
 * blocked like every signal, ends the wait in sig_wait, and sig_alarmed
 * tells it from any other. An unarmed alarm costs an idle pidone nothing.
 */
void
sig_alarm(int64_t ms)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)(ms / 1000);
	it.it_value.tv_usec = (suseconds_t)(ms % 1000 * 1000);
	setitimer(ITIMER_REAL, &it, NULL);
}

/* Milliseconds before the alarm rings; 0 when it is not armed. */
int64_t
sig_alarm_left(void)
{
	struct itimerval it;

	if (getitimer(ITIMER_REAL, &it) < 0)
		return 0;
	return (int64_t)it.it_value.tv_sec * 1000 + it.it_value.tv_usec / 1000;
}

/*
 * Whether si is the alarm that rang: a SIGALRM from the kernel (SI_KERNEL),
 * which no process can send, unlike a SIGALRM sent with kill(2), and with
 * the alarm now spent, so that one left pending from an earlier alarm is
 * not taken for the one armed since.
 */
int
sig_alarmed(const siginfo_t *si)
{
	return si->si_signo == SIGALRM && si->si_code == SI_KERNEL &&
	    sig_alarm_left() == 0;
}

/*
 * Wait for the next signal, with no timeout when timeout_ms < 0, so that an
 * idle pidone is never woken. Returns the signal, or 0 on timeout.
 */
int
sig_wait(siginfo_t *si, int64_t timeout_ms)
{
	sigset_t all;
	struct timespec ts;
	int sig;

	fill(&all);
	ts.tv_sec = (time_t)(timeout_ms / 1000);
	ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
	for (;;) {
		sig = timeout_ms < 0 ? sigwaitinfo(&all, si) :
		    sigtimedwait(&all, si, &ts);
		if (sig > 0)
			return sig;
		if (errno == EAGAIN)
			return 0;
		/* EINTR: woken by SIGCONT after a SIGSTOP; wait on. */
	}
}

/*
 * Send sig, after rewriting by the table rewrite (NSIG entries), to target
 * (a PID, or -PGID). Returns the signal delivered, 0 when the rewrite drops
 * it, or -1 with errno from kill(2).
 */
int
sig_forward(const unsigned char *rewrite, int sig, pid_t target)
{
	int to = sig < NSIG ? rewrite[sig] : sig;

	if (to == 0)
		return 0;
	if (kill(target, to) < 0)
		return -1;
	return to;
}
