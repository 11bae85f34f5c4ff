/*
 * cgroup.c: what pidone's cgroup allows and holds, for --inspect: the
 * pids and memory controllers' counters, in the v1 layout (a hierarchy per
 * controller, /sys/fs/cgroup/pids) or the v2 one (one hierarchy), as the
 * container sees them. /proc/self/cgroup gives the cgroup's path; inside a
 * cgroup namespace, or where the runtime mounted only the container's own
 * cgroup, the files lie at the mount's root instead.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "out.h"
#include "parse.h"

/*
 * The path of pidone's cgroup for controller ctl (v1), or for the unified
 * hierarchy when ctl is "": the third field of its /proc/self/cgroup line.
 * Returns 0, or -1 when there is no such line.
 */
static int
cgroup_path(const char *ctl, char *path, size_t size)
{
	char buf[2048], *line, *next, *f;
	size_t len = strlen(ctl);
	ssize_t n;
	int fd = openat(AT_FDCWD, "/proc/self/cgroup", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (line = buf; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if ((f = strchr(line, ':')) == NULL)
			continue;
		f++;
		if (strncmp(f, ctl, len) == 0 && f[len] == ':') {
			fmt(path, size, "%s", f + len + 1);
			return 0;
		}
	}
	return -1;
}

/* Read a whole number, or "max", from path into *value; 0, or -1. */
static int
read_value(const char *path, int64_t *value)
{
	char buf[32], *f;
	ssize_t n;
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if ((f = strchr(buf, '\n')) != NULL)
		*f = '\0';
	/* v1 states "no limit" as a huge number: the same thing as max. */
	if (strcmp(buf, "max") == 0 || strlen(buf) >= 19) {
		*value = CGROUP_MAX;
		return 0;
	}
	return (*value = parse_number(buf, INT64_MAX / 10)) < 0 ? -1 : 0;
}

/*
 * The value of a counter of pidone's cgroup: file v1 of the controller
 * that key names before its dot (v1 layout), or else key itself (v2
 * layout); each at the cgroup's path, then at the mount's root. In v2 the
 * controller's part of the path is empty, which leaves a harmless "//".
 * Returns 0, or -1 when none can be read.
 */
int
cgroup_read(const char *key, const char *v1, int64_t *value)
{
	char ctl[16], rel[1024], path[1200];
	int i;

	fmt(ctl, sizeof(ctl), "%s", key);
	*strchr(ctl, '.') = '\0';
	for (i = 0; i < 4; i++) {
		const char *c = i < 2 ? ctl : "";

		if (i % 2 == 0 && cgroup_path(c, rel, sizeof(rel)) < 0) {
			i++;
			continue;
		}
		fmt(path, sizeof(path), "/sys/fs/cgroup/%s%s/%s", c,
		    i % 2 ? "" : rel, i < 2 ? v1 : key);
		if (read_value(path, value) == 0)
			return 0;
	}
	return -1;
}
