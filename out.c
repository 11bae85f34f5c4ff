/*
 * out.c: pidone's whole output layer. A printf-like formatter small enough
 * that the static binary needs no stdio, and one write helper that copes
 * with EINTR and short writes so that no call site has to.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "pidone.h"

int verbosity;
static int closed = -1;		/* a stream whose reader has gone */

/* Write all of buf, retrying after EINTR and short writes. */
ssize_t
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t left = len;

	while (left > 0) {
		ssize_t n = write(fd, p, left);
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

/* Append an unsigned number in decimal. */
static void
putnum(char *buf, size_t size, size_t *n, unsigned long v)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (i > 0)
		put(buf, size, n, tmp[--i]);
}

/*
 * Format into buf: %s, %c, %d, %ld, %u, %lu and %%, the conversions pidone
 * uses. Returns the length it needed.
 */
static int
vfmt(char *buf, size_t size, const char *f, va_list ap)
{
	size_t n = 0;

	for (; *f != '\0'; f++) {
		int lng = 0;
		long sv;
		const char *s;

		if (*f != '%') {
			put(buf, size, &n, *f);
			continue;
		}
		if (*++f == 'l') {
			lng = 1;
			f++;
		}
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
			sv = lng ? va_arg(ap, long) : va_arg(ap, int);
			if (sv < 0)
				put(buf, size, &n, '-');
			putnum(buf, size, &n, sv < 0 ? -(unsigned long)sv :
			    (unsigned long)sv);
			break;
		case 'u':
			putnum(buf, size, &n, lng ? va_arg(ap, unsigned long) :
			    va_arg(ap, unsigned));
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
	/*
	 * Once a write has found the reader gone (EPIPE), write no more to
	 * that stream: each write would raise another SIGPIPE for pidone to
	 * wait on and report, for ever.
	 */
	if (fd != closed && write_all(fd, line, n) < 0 && errno == EPIPE)
		closed = fd;
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

/*
 * The reason for errno e, in the words of the C libraries, for the errors
 * pidone can meet. libc's own table of every message would be the largest
 * thing in the binary; an unlisted error reads "error N".
 */
const char *
errstr(int e)
{
	static const char msgs[] =
	    "\001Operation not permitted\0" "\002No such file or directory\0"
	    "\003No such process\0" "\007Argument list too long\0"
	    "\010Exec format error\0" "\012No child process\0"
	    "\013Resource temporarily unavailable\0" "\014Out of memory\0"
	    "\015Permission denied\0" "\024Not a directory\0"
	    "\025Is a directory\0" "\026Invalid argument\0"
	    "\027Too many open files in system\0"
	    "\030No file descriptors available\0" "\031Not a tty\0"
	    "\032Text file busy\0" "\044Filename too long\0"
	    "\046Function not implemented\0" "\050Symbolic link loop\0";
	static char unknown[24];
	const char *s;

	for (s = msgs; *s != '\0'; s += strlen(s) + 1)
		if ((unsigned char)*s == e)
			return s + 1;
	fmt(unknown, sizeof(unknown), "error %d", e);
	return unknown;
}
