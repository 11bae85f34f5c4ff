/*
 * fds.c: the descriptors pidone holds. The standard three are made sure of
 * before pidone opens anything; once the command has its copies, whatever
 * else pidone inherited is closed, since PID 1 lives as long as the
 * container and must hold nothing open that belongs to the command.
 */
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fds.h"
#include "out.h"

/*
 * Make sure descriptors 0, 1 and 2 are open before pidone opens anything,
 * so that nothing it opens lands there and is taken for standard input,
 * output or error. A closed one gets /dev/null (or, without it, the root
 * directory as a placeholder), close-on-exec, so that the command finds it
 * closed, as it was given.
 */
void
fds_open(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (dup2(fd, fd) < 0 &&
		    openat(AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC) < 0)
			openat(AT_FDCWD, "/", O_RDONLY | O_CLOEXEC);
}

/* Close the descriptors from lo to hi, both included. */
static void
close_from(unsigned lo, unsigned hi)
{
	unsigned fd;

	if (lo > hi)
		return;
#ifdef SYS_close_range
	/* musl has no wrapper, and glibc only since 2.34. */
	if (syscall(SYS_close_range, lo, hi, 0) == 0)
		return;
#endif
	/* Before Linux 5.9: each one, up to the descriptor limit (prlimit:
	 * musl's getrlimit adds a fallback for kernels older than that). */
	if (hi > 65535) {
		/* Static: a local whose address is taken costs a canary. */
		static struct rlimit rl;

		hi = prlimit(0, RLIMIT_NOFILE, NULL, &rl) == 0 && rl.rlim_cur > 0 &&
		    rl.rlim_cur <= 65536 ? (unsigned)rl.rlim_cur - 1 : 65535;
	}
	for (fd = lo; fd <= hi; fd++)
		close((int)fd);
}

/*
 * Close every descriptor above 2 that pidone inherited, now that the
 * command holds its own copies: a listening socket the command closes then
 * stops accepting, and a pipe's reader sees EOF when the command's side
 * closes. pidone's own copy of stderr, if it made one, stays.
 */
void
fds_close_inherited(void)
{
	int keep = out_fd();

	if (keep > 2) {
		close_from(3, (unsigned)keep - 1);
		close_from((unsigned)keep + 1, ~0U);
	} else
		close_from(3, ~0U);
}
