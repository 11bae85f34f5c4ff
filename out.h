/* out.h: the output layer (out.c, a leaf). */
#ifndef OUT_H
#define OUT_H

#include <stddef.h>
#include <sys/types.h>

extern int verbosity;

ssize_t write_all(int fd, const void *buf, size_t len);
/* printf's checks of the arguments; vfmt knows %s, %c, %d, %lld, %%. */
#define OUT_FORMAT(i) __attribute__((format(printf, i, i + 1)))
int fmt(char *buf, size_t size, const char *f, ...) OUT_FORMAT(3);
void say(int fd, const char *f, ...) OUT_FORMAT(2);
void warn(const char *f, ...) OUT_FORMAT(1);
int out_error(void);
void out_stderr_nonblock(void);
void out_flush_lost(void);
int out_fd(void);
const char *out_value(const char *s, char *buf, size_t size);
const char *errstr(int e);

/* warn(), at verbosity level and above only: pidone's trace. */
#define note(level, ...) \
	do { \
		if (verbosity >= (level)) \
			warn(__VA_ARGS__); \
	} while (0)

#endif
