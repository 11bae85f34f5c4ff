/* parse.h: numbers, durations and the environment (parse.c, a leaf). */
#ifndef PARSE_H
#define PARSE_H

#include <stdint.h>

/* The longest duration pidone takes: a day, in milliseconds. */
#define DURATION_MAX_MS INT64_C(86400000)

int parse_digits(const char **s, int signed_ok, int64_t max, int64_t *v);
int64_t parse_number(const char *s, int64_t max);
int64_t parse_duration(const char *s);
const char *env_value(char *const *envp, const char *name);
char *parse_find(const char *s, int c);

#endif
