/*
 * out.c: pidone's whole output layer, a leaf that calls nothing of
 * pidone's. A printf-like formatter small enough that the static binary
 * needs no stdio; one write helper that copes with EINTR and short writes so
 * that no call site has to; and the rule that tracing never stops the init:
 * a line that stderr cannot take at once is dropped and counted, never
 * waited for, so a full pipe cannot stop PID 1 reaping and forwarding.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "out.h"

int verbosity;

/* All zero at start, so that they take no bytes of the file: */
static int errcopy;		/* pidone's own copy of stderr, or 0: fd 2 */
static int errsock;		/* stderr is a socket: send without waiting */
static int gone;		/* stderr's reader has gone */
static int outerr;		/* errno of the first failed write to stdout */
static unsigned long lost;	/* lines stderr could not take, not yet told */
static int nonblock;		/* make stderr non-blocking at the next line */

static void nonblock_setup(void);

/* Write all of buf, retrying after EINTR and short writes. */
ssize_t
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t left = len;

	while (left > 0) {
		ssize_t n = fd == out_fd() && errsock ?
		    send(fd, p, left, MSG_DONTWAIT | MSG_NOSIGNAL) :
		    write(fd, p, left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		left -= (size_t)n;
	}
	return (ssize_t)len;
}

/* Append one character, keeping room for the terminating NUL. */
static void
put(char *buf, size_t size, size_t *n, char c)
{
	if (*n + 1 < size)
		buf[*n] = c;
	(*n)++;
}

/* Append an unsigned number in decimal, from its highest digit down. */
static void
putnum(char *buf, size_t size, size_t *n, unsigned long long v)
{
	unsigned long long d = 1;

	while (v / d >= 10)
		d *= 10;
	for (; d > 0; d /= 10)
		put(buf, size, n, (char)('0' + v / d % 10));
}

/*
 * Format into buf: %s, %c, %d (an int), %lld (a long long) and %%, the
 * conversions pidone uses; any other number is cast to long long for %lld.
 * Returns the length it needed.
 */
static int
vfmt(char *buf, size_t size, const char *f, va_list ap)
{
	size_t n = 0;

	for (; *f != '\0'; f++) {
		int lng = 0;
		long long sv;
		const char *s;

		if (*f != '%') {
			put(buf, size, &n, *f);
			continue;
		}
		while (*++f == 'l')
			lng++;
		switch (*f) {
		case 's':
			for (s = va_arg(ap, const char *), s = s ? s : "(null)";
			    *s != '\0'; s++)
				put(buf, size, &n, *s);
			break;
		case 'c':
			put(buf, size, &n, (char)va_arg(ap, int));
			break;
		case 'd':
			sv = lng ? va_arg(ap, long long) : va_arg(ap, int);
			if (sv < 0)
				put(buf, size, &n, '-');
			putnum(buf, size, &n, sv < 0 ?
			    -(unsigned long long)sv : (unsigned long long)sv);
			break;
		case '\0':
			f--;
			break;
		default:
			put(buf, size, &n, *f);
		}
	}
	if (size > 0)
		buf[n < size ? n : size - 1] = '\0';
	return (int)n;
}

/* Format into buf like snprintf, with the conversions vfmt knows. */
int
fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vfmt(buf, size, f, ap);
	va_end(ap);
	return n;
}

/*
 * Write one line to stderr, or count it lost if stderr cannot take it now.
 * Once a write has found the reader gone (EPIPE), write no more there: each
 * write would raise another SIGPIPE for pidone to wait on and report.
 */
static void
err_line(const char *line, size_t n)
{
	char msg[80];
	size_t m;

	/* Nothing to write: no setup for it (pidone's quiet exit). */
	if (line == NULL && lost == 0)
		return;
	if (nonblock)
		nonblock_setup();
	if (gone)
		return;
	if (lost > 0) {
		m = (size_t)fmt(msg, sizeof(msg), "pidone: stderr was full: "
		    "%lld lines lost\n", (long long)lost);
		if (write_all(out_fd(), msg, m) < 0) {
			lost += line != NULL;
			gone = errno == EPIPE;
			return;
		}
		lost = 0;
	}
	if (line != NULL && write_all(out_fd(), line, n) < 0) {
		lost += errno == EAGAIN || errno == EWOULDBLOCK;
		gone = errno == EPIPE;
	}
}

/*
 * Format one line after prefix and write it with a single write(2), so that
 * lines from pidone and from the command do not interleave mid-line.
 */
static void
vsay(int fd, const char *prefix, const char *f, va_list ap)
{
	char line[1024];
	size_t n = strlen(prefix);
	int len;

	memcpy(line, prefix, n);
	len = vfmt(line + n, sizeof(line) - 1 - n, f, ap);
	n += (size_t)len < sizeof(line) - 2 - n ? (size_t)len :
	    sizeof(line) - 2 - n;
	line[n++] = '\n';
	if (fd == 2)
		err_line(line, n);
	else if (write_all(fd, line, n) < 0 && outerr == 0)
		outerr = errno;
}

/* Write one formatted line to fd; a newline is added. */
void
say(int fd, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsay(fd, "", f, ap);
	va_end(ap);
}

/*
 * Write one diagnostic line to stderr, after "pidone: ": the prefix every
 * message has is stored once, not in each of them.
 */
void
warn(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsay(2, "pidone: ", f, ap);
	va_end(ap);
}

/* The errno of the first write to standard output that failed, or 0. */
int
out_error(void)
{
	return outerr;
}

/*
 * Write to stderr without ever waiting, from its first line on: the setup
 * is made then, so that a quiet pidone pays nothing for it.
 */
void
out_stderr_nonblock(void)
{
	nonblock = 1;
}

/*
 * Give stderr a description of pidone's own that never blocks. O_NONBLOCK
 * on fd 2 itself would change the open file the command shares, so a pipe
 * or a terminal is opened anew through /proc; a socket, which cannot be,
 * is written with MSG_DONTWAIT. A file, which can seek, takes a line at
 * once and keeps its offset shared.
 */
static void
nonblock_setup(void)
{
	int type, fd;
	socklen_t len = sizeof(type);

	nonblock = 0;
	if (getsockopt(2, SOL_SOCKET, SO_TYPE, &type, &len) == 0)
		errsock = 1;
	else if (lseek(2, 0, SEEK_CUR) < 0 && errno == ESPIPE &&
	    (fd = openat(AT_FDCWD, "/proc/self/fd/2", O_WRONLY | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC)) >= 0)
		errcopy = fd;
}

/* The descriptor diagnostics go to: 2, or pidone's own copy of it. */
int
out_fd(void)
{
	return errcopy ? errcopy : 2;
}

/* Tell, if stderr now takes it, how many lines it could not take. */
void
out_flush_lost(void)
{
	err_line(NULL, 0);
}

/*
 * A value from outside, fit to quote in a one-line message: control
 * characters shown as '?', and cut, with "...", to the size of buf, so
 * that the message's own ending is never lost.
 */
const char *
out_value(const char *s, char *buf, size_t size)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < size; i++)
		buf[i] = (unsigned char)s[i] < ' ' || s[i] == 127 ? '?' : s[i];
	buf[i] = '\0';
	if (s[i] != '\0' && size > 4)
		memcpy(buf + size - 4, "...", 4);
	return buf;
}

/*
 * The reason for errno e, in the words of the C libraries, for the errors
 * pidone can meet; libc's table of every message would be the largest
 * thing in the binary. Keyed by the errno names, whose numbers differ
 * between architectures. Any other error reads "error N".
 */
const char *
errstr(int e)
{
	/* Two parallel tables, numbers and texts in the same order, so that
	 * the texts need no pointers (nor, in a static PIE, relocations). */
	static const int nums[] = {
		EPERM, ENOENT, ESRCH, EIO, E2BIG, ENOEXEC, EBADF, ECHILD,
		EAGAIN, ENOMEM, EACCES, ENOTDIR, EISDIR, EINVAL, ENFILE, EMFILE,
		ENOTTY, ETXTBSY, ENOSPC, EPIPE, ENAMETOOLONG, ENOSYS, ELOOP,
	};
	static const char texts[] =
	    "Operation not permitted\0No such file or directory\0"
	    "No such process\0I/O error\0"
	    "Argument list too long\0Exec format error\0Bad file descriptor\0"
	    "No child process\0Resource temporarily unavailable\0"
	    "Out of memory\0Permission denied\0Not a directory\0"
	    "Is a directory\0Invalid argument\0Too many open files in system\0"
	    "Too many open files\0Not a tty\0Text file busy\0"
	    "No space left on device\0Broken pipe\0Filename too long\0"
	    "Function not implemented\0Symbolic link loop";
	static char unknown[24];
	const char *s = texts;
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++, s += strlen(s) + 1)
		if (nums[i] == e)
			return s;
	fmt(unknown, sizeof(unknown), "error %d", e);
	return unknown;
}
