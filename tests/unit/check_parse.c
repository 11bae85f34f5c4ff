/* Unit tests for parse.c: whole numbers, durations, environment lookups. */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "parse.h"

/* The largest max parse_number is documented to take without overflow. */
#define BIG_MAX (DURATION_MAX_MS * 1000)

/* Every number from 0 to max is read as itself, and max + 1 is refused. */
START_TEST(number_bounds)
{
	char buf[32];
	int i;

	for (i = 0; i <= 255; i++) {
		snprintf(buf, sizeof(buf), "%d", i);
		ck_assert_int_eq(parse_number(buf, 255), i);
	}
	ck_assert_int_eq(parse_number("0", 0), 0);
	ck_assert_int_eq(parse_number("1", 0), -1);
	ck_assert_int_eq(parse_number("256", 255), -1);
	ck_assert_int_eq(parse_number("1000", 255), -1);
	snprintf(buf, sizeof(buf), "%lld", (long long)BIG_MAX);
	ck_assert_int_eq(parse_number(buf, BIG_MAX), BIG_MAX);
	snprintf(buf, sizeof(buf), "%lld", (long long)BIG_MAX + 1);
	ck_assert_int_eq(parse_number(buf, BIG_MAX), -1);
}
END_TEST

/* Only bare digits are a number: no sign, no space, no other base. */
START_TEST(number_shape)
{
	static const char *bad[] = {
		"", "-1", "+1", "-0", " 1", "1 ", "1a", "0x1", "1.0", "1e3",
		"\t1", "1\n", "１",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_number(bad[i], 255) == -1,
		    "parse_number(\"%s\") accepted", bad[i]);
	/* Leading zeros do not change the value, however many there are. */
	ck_assert_int_eq(parse_number("007", 255), 7);
	ck_assert_int_eq(parse_number("000000000000000000000000000255", 255),
	    255);
	ck_assert_int_eq(parse_number("00", 255), 0);
}
END_TEST

/* A 30-digit number is refused, not wrapped around into a small one. */
START_TEST(number_huge)
{
	ck_assert_int_eq(parse_number("123456789012345678901234567890",
	    BIG_MAX), -1);
	ck_assert_int_eq(parse_number("99999999999999999999", 255), -1);
	/* 2^64 + 5 would read as 5 if the value wrapped. */
	ck_assert_int_eq(parse_number("18446744073709551621", BIG_MAX), -1);
}
END_TEST

/*
 * The one reader under them: it stops at the first non-digit and says
 * where; a '-' only when signed numbers are allowed; past max is refused
 * and leaves the pointer where it was.
 */
START_TEST(digits_reader)
{
	const char *s = "-12 345x", *t;
	int64_t v;

	t = s;
	ck_assert_int_eq(parse_digits(&t, 0, 1000, &v), -1);
	ck_assert_ptr_eq(t, s);
	ck_assert_int_eq(parse_digits(&t, 1, 1000, &v), 0);
	ck_assert_int_eq(v, -12);
	ck_assert_str_eq(t, " 345x");
	t++;
	ck_assert_int_eq(parse_digits(&t, 0, 1000, &v), 0);
	ck_assert_int_eq(v, 345);
	ck_assert_str_eq(t, "x");
	t = "1001";
	ck_assert_int_eq(parse_digits(&t, 0, 1000, &v), -1);
	ck_assert_str_eq(t, "1001");
	t = "-";
	ck_assert_int_eq(parse_digits(&t, 1, 1000, &v), -1);
	t = "922337203685477580";
	ck_assert_int_eq(parse_digits(&t, 0, INT64_MAX / 10, &v), 0);
	ck_assert(v == INT64_C(922337203685477580));
	t = "9223372036854775808";
	ck_assert_int_eq(parse_digits(&t, 0, INT64_MAX / 10, &v), -1);
}
END_TEST

/* The same time gives the same milliseconds however it is spelt. */
START_TEST(duration_spellings)
{
	ck_assert_int_eq(parse_duration("3"), 3000);
	ck_assert_int_eq(parse_duration("3s"), 3000);
	ck_assert_int_eq(parse_duration("3000ms"), 3000);
	ck_assert_int_eq(parse_duration("2m"), 120000);
	ck_assert_int_eq(parse_duration("120"), 120000);
	ck_assert_int_eq(parse_duration("120s"), 120000);
	ck_assert_int_eq(parse_duration("120000ms"), 120000);
	ck_assert_int_eq(parse_duration("500ms"), 500);
	ck_assert_int_eq(parse_duration("03s"), 3000);
}
END_TEST

/* Zero is a duration in every unit: no grace period at all. */
START_TEST(duration_zero)
{
	ck_assert_int_eq(parse_duration("0"), 0);
	ck_assert_int_eq(parse_duration("0s"), 0);
	ck_assert_int_eq(parse_duration("0ms"), 0);
	ck_assert_int_eq(parse_duration("0m"), 0);
}
END_TEST

/* A day is the longest duration, in every unit; a millisecond more is not. */
START_TEST(duration_day)
{
	ck_assert_int_eq(parse_duration("86400"), DURATION_MAX_MS);
	ck_assert_int_eq(parse_duration("86400s"), DURATION_MAX_MS);
	ck_assert_int_eq(parse_duration("1440m"), DURATION_MAX_MS);
	ck_assert_int_eq(parse_duration("86400000ms"), DURATION_MAX_MS);
	ck_assert_int_eq(parse_duration("86400001ms"), -1);
	ck_assert_int_eq(parse_duration("86401"), -1);
	ck_assert_int_eq(parse_duration("86401s"), -1);
	ck_assert_int_eq(parse_duration("1441m"), -1);
}
END_TEST

/*
 * 4294968 s is 4294968000 ms, just past 2^32: a 32-bit product wrapped to
 * 704 ms. It must be refused as longer than a day, in any unit that reaches it.
 */
START_TEST(duration_overflow)
{
	ck_assert_int_eq(parse_duration("4294968"), -1);
	ck_assert_int_eq(parse_duration("4294968s"), -1);
	ck_assert_int_eq(parse_duration("71583m"), -1);
	ck_assert_int_eq(parse_duration("99999999999999999999ms"), -1);
	ck_assert_int_eq(parse_duration("123456789012345678901234567890"), -1);
	/* As milliseconds the same digits are about 72 minutes: fine. */
	ck_assert_int_eq(parse_duration("4294968ms"), 4294968);
}
END_TEST

/* Units other than ms, s and m, and anything around the digits, are refused. */
START_TEST(duration_bad)
{
	static const char *bad[] = {
		"", "s", "ms", "m", "-1", "+1", "1.5s", "3h", "3d", "3S", "3M",
		"3MS", "3 s", " 3", "3 ", "3sec", "3mss", "3us", "3ns", "3sm",
		"s3", "0x10", "3\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_duration(bad[i]) == -1,
		    "parse_duration(\"%s\") accepted", bad[i]);
}
END_TEST

/* env_value finds a whole name only, first match, any value after the '='. */
START_TEST(env_lookup)
{
	char *envp[] = {
		"PATHX=no", "XPATH=no", "PATH", "PAT=no", "PATH=/bin:/usr/bin",
		"PATH=second", "EMPTY=", "EQ=a=b", NULL,
	};

	ck_assert_str_eq(env_value(envp, "PATH"), "/bin:/usr/bin");
	ck_assert_str_eq(env_value(envp, "EMPTY"), "");
	ck_assert_str_eq(env_value(envp, "EQ"), "a=b");
	ck_assert_str_eq(env_value(envp, "PATHX"), "no");
	ck_assert_ptr_null(env_value(envp, "PA"));
	ck_assert_ptr_null(env_value(envp, "HOME"));
	ck_assert_ptr_null(env_value(envp, "ATH"));
	ck_assert_ptr_null(env_value(NULL, "PATH"));
}
END_TEST

/* parse_find: the first such character, or the string's end. */
START_TEST(find_char)
{
	const char *s = "a:b:c";

	ck_assert_ptr_eq(parse_find(s, ':'), s + 1);
	ck_assert_ptr_eq(parse_find(s + 2, ':'), s + 3);
	ck_assert_ptr_eq(parse_find(s, '/'), s + 5);
	ck_assert_ptr_eq(parse_find("", ':'), parse_find("", ':'));
	ck_assert_int_eq(*parse_find("", ':'), '\0');
	ck_assert_ptr_eq(parse_find(s, 'a'), s);
}
END_TEST

Suite *
parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *t = tcase_create("number");

	tcase_add_test(t, number_bounds);
	tcase_add_test(t, number_shape);
	tcase_add_test(t, number_huge);
	tcase_add_test(t, digits_reader);
	suite_add_tcase(s, t);
	t = tcase_create("duration");
	tcase_add_test(t, duration_spellings);
	tcase_add_test(t, duration_zero);
	tcase_add_test(t, duration_day);
	tcase_add_test(t, duration_overflow);
	tcase_add_test(t, duration_bad);
	suite_add_tcase(s, t);
	t = tcase_create("env");
	tcase_add_test(t, env_lookup);
	tcase_add_test(t, find_char);
	suite_add_tcase(s, t);
	return s;
}
