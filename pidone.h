/*
 * pidone.h: what every file shares, and the header policy.
 *
 * Each source file X.c has a header X.h that declares what X.c exports and
 * nothing else; a file includes the headers of the files it calls, which
 * must lie below it in the layers README.md lists. This header holds only
 * the exit codes, a protocol documented in pidone(1).
 */
#ifndef PIDONE_H
#define PIDONE_H

enum {
	EXIT_USAGE = 100,	/* bad command line or environment */
	EXIT_SYSTEM = 111,	/* a system call failed before the command ran */
	EXIT_NOEXEC = 126,	/* the command was found but could not run */
	EXIT_NOTFOUND = 127,	/* the command was not found */
};

#endif
