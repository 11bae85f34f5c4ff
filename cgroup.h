/* cgroup.h: the limits of pidone's cgroup (cgroup.c). */
#ifndef CGROUP_H
#define CGROUP_H

#include <stdint.h>

/* A value of a cgroup file: a number, or no limit ("max"). */
#define CGROUP_MAX INT64_MAX

int cgroup_read(const char *key, const char *v1, int64_t *value);

#endif
