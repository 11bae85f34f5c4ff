/*
 * parse.c: the one way pidone reads a number, a duration or an environment
 * variable. A leaf: it calls nothing of pidone's, so every file may use it.
 * Values are int64_t, wide enough on every target: a long is 32 bits on
 * the 32-bit ones, where milliseconds in it would overflow.
 */
#include <string.h>

#include "parse.h"

/* A number read, and where its digits end (NULL when there is none). */
struct num {
	const char *end;
	int64_t v;
};

/*
 * The one decimal reader: a number at s, with a '-' first if signed
 * allows it, in 0..max (max >= 0). Both results come back in registers:
 * a caller's locals passed by address would cost it a stack canary.
 */
static struct num
digits(const char *p, int signed_ok, int64_t max)
{
	struct num n = { NULL, 0 };
	int neg = signed_ok && *p == '-';

	p += neg;
	if (*p < '0' || *p > '9')
		return n;
	for (; *p >= '0' && *p <= '9'; p++) {
		/* Checked before the step, which then cannot overflow. */
		if (n.v > max / 10 || n.v * 10 > max - (*p - '0'))
			return n;
		n.v = n.v * 10 + (*p - '0');
	}
	n.v = neg ? -n.v : n.v;
	n.end = p;
	return n;
}

/*
 * A number at *s as digits() reads it; *s is moved past it.
 * Returns 0, or -1 (and *s as it was) when there is no number there or it
 * is past max.
 */
int
parse_digits(const char **s, int signed_ok, int64_t max, int64_t *v)
{
	struct num n = digits(*s, signed_ok, max);

	if (n.end == NULL)
		return -1;
	*s = n.end;
	*v = n.v;
	return 0;
}

/*
 * A whole decimal number in 0..max, or -1 for anything else: an empty
 * string, a sign, a space, a number past max.
 */
int64_t
parse_number(const char *s, int64_t max)
{
	struct num n = digits(s, 0, max);

	return n.end == NULL || *n.end != '\0' ? -1 : n.v;
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
	struct num n = digits(s, 0, DURATION_MAX_MS);
	size_t i;

	if (n.end == NULL)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(n.end, units[i].unit) == 0)
			return n.v * units[i].ms > DURATION_MAX_MS ? -1 :
			    n.v * units[i].ms;
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

/*
 * The first c in s, or the NUL that ends s (strchrnul). A plain loop:
 * musl's, made for long strings, is 250 bytes, and pidone's are short.
 */
char *
parse_find(const char *s, int c)
{
	while (*s != '\0' && *s != c)
		s++;
	return (char *)s;
}
