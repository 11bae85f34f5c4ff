/*
 * replay.c: run the fuzz harness over files, without libFuzzer, so that
 * make check replays the seed corpus with any compiler. Each argument is a
 * file or a folder of files; a broken invariant aborts.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The sources are built with -Dmain=pidone_main; this main is the driver. */
#undef main

/* Run one file through the harness; 1 if it was read. */
static int
one(const char *path)
{
	uint8_t buf[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return 0;
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	return 1;
}

int
main(int argc, char **argv)
{
	char path[4096];
	struct dirent *d;
	int i, count = 0;
	DIR *dir;

	for (i = 1; i < argc; i++) {
		if ((dir = opendir(argv[i])) == NULL) {
			count += one(argv[i]);
			continue;
		}
		while ((d = readdir(dir)) != NULL) {
			if (d->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], d->d_name);
			count += one(path);
		}
		closedir(dir);
	}
	printf("replayed %d inputs: no invariant broken\n", count);
	return count > 0 ? 0 : 1;
}
