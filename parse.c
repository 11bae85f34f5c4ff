/*
 * parse.c: the one way pidone reads a number, a duration or an environment
 * variable. A leaf: it calls nothing of pidone's, so every file may use it.
 * Values are int64_t, wide enough on every target: a long is 32 bits on
 * the 32-bit ones, where milliseconds in it would overflow.
 */
#include <string.h>

#include "parse.h"

/*
 * The one decimal reader: a number at *s, with a '-' first if signed
 * allows it, in 0..max (max >= 0); *s is moved past it.
 * Returns 0, or -1 (and *s as it was) when there is no number there or it
 * is past max.
 */
int
parse_digits(const char **s, int signed_ok, int64_t max, int64_t *v)
{
	const char *p = *s;
	int neg = signed_ok && *p == '-';

	p += neg;
	if (*p < '0' || *p > '9')
		return -1;
	for (*v = 0; *p >= '0' && *p <= '9'; p++) {
		/* Checked before the step, which then cannot overflow. */
		if (*v > max / 10 || *v * 10 > max - (*p - '0'))
			return -1;
		*v = *v * 10 + (*p - '0');
	}
	*v = neg ? -*v : *v;
	*s = p;
	return 0;
}

/*
 * A whole decimal number in 0..max, or -1 for anything else: an empty
 * string, a sign, a space, a number past max.
 */
int64_t
parse_number(const char *s, int64_t max)
{
	int64_t v;

	return parse_digits(&s, 0, max, &v) < 0 || *s != '\0' ? -1 : v;
}

/*
 * A duration, 3, 3s, 500ms or 2m, in milliseconds; -1 if it is not one or
 * is longer than a day. However it is spelt, the same time gives the same
 * number.
 */
int64_t
parse_duration(const char *s)
{
	static const struct {
		char unit[3];
		int32_t ms;
	} units[] = { { "", 1000 }, { "s", 1000 }, { "ms", 1 }, { "m", 60000 } };
	int64_t v;
	size_t i;

	if (parse_digits(&s, 0, DURATION_MAX_MS, &v) < 0)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(s, units[i].unit) == 0)
			return v * units[i].ms > DURATION_MAX_MS ? -1 :
			    v * units[i].ms;
	return -1;
}

/* The value of name in envp, or NULL when it is not set. */
const char *
env_value(char *const *envp, const char *name)
{
	size_t len = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}
