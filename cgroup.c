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

#include "cgroup.h"
#include "out.h"
#include "parse.h"
#include "proc.h"

/*
 * The path of pidone's cgroup for controller ctl (v1), or for the unified
 * hierarchy when ctl is "": the third field of its /proc/self/cgroup line,
 * which is read into buf. NULL when there is no such line.
 */
static const char *
cgroup_path(const char *ctl, char *buf, size_t size)
{
	char *line, *f;
	size_t len = strlen(ctl);

	slurp_at(AT_FDCWD, "/proc/self/cgroup", buf, size);
	/* Lines of ID:CONTROLLERS:PATH; f at the first colon of each, line at
	 * the newline that ends it, from which the next colon is the next
	 * line's. Only the path found is cut at its newline. */
	for (line = buf; *(f = parse_find(line, ':')) != '\0';
	    line = parse_find(f, '\n')) {
		f++;
		if (strncmp(f, ctl, len) == 0 && f[len] == ':') {
			*parse_find(f, '\n') = '\0';
			return f + len + 1;
		}
	}
	return NULL;
}

/*
 * The value of a counter of pidone's cgroup: file v1 of the controller
 * that key names before its dot (v1 layout), or else key itself (v2
 * layout); each at the cgroup's path, then at the mount's root. In v2 the
 * controller's part of the path is empty, which leaves a harmless "//".
 * A value is a whole number, or "max"; v1 states "no limit" as a huge
 * number, which is the same thing. Returns 0, or -1 when none can be read.
 */
int
cgroup_read(const char *key, const char *v1, int64_t *value)
{
	char ctl[16], buf[2048], path[1200];
	const char *rel = "";
	int i;

	fmt(ctl, sizeof(ctl), "%s", key);
	*parse_find(ctl, '.') = '\0';
	for (i = 0; i < 4; i++) {
		const char *c = i < 2 ? ctl : "";

		if (i % 2 == 0 && (rel = cgroup_path(c, buf, sizeof(buf))) == NULL) {
			i++;
			continue;
		}
		fmt(path, sizeof(path), "/sys/fs/cgroup/%s%s/%s", c,
		    i % 2 ? "" : rel, i < 2 ? v1 : key);
		/* Once open, the path's buffer takes the value. */
		if (slurp_at(AT_FDCWD, path, path, sizeof(path)) <= 0)
			continue;
		*parse_find(path, '\n') = '\0';
		if (strcmp(path, "max") == 0 || strlen(path) >= 19) {
			*value = CGROUP_MAX;
			return 0;
		}
		if ((*value = parse_number(path, INT64_MAX / 10)) >= 0)
			return 0;
	}
	return -1;
}
