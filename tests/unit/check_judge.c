/* Unit tests for judge.c: verdicts and findings from constructed facts. */
#include <signal.h>
#include <string.h>

#include "unit.h"
#include "judge.h"

#define BIT(sig) ((uint64_t)1 << ((sig) - 1))
/* Every signal 1..64, as SigBlk shows for pidone blocking all. */
#define ALL (~(uint64_t)0)

/* A sleeping process in the command's group 10, waits known, nothing set. */
static struct facts
plain(pid_t pid)
{
	struct facts f;

	memset(&f, 0, sizeof(f));
	f.p.pid = pid;
	f.p.ppid = 1;
	f.p.pgid = 10;
	f.p.sid = 10;
	f.p.state = 'S';
	f.waits_known = 1;
	return f;
}

static const struct scene scene = { 5, 10, "pidone", 0 };

/* Index of the finding of kind in out[0..n), or -1. */
static int
find(const struct finding *out, int n, const char *kind)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(out[i].kind, kind) == 0)
			return i;
	return -1;
}

/* A handler decides first, then an ignore, then a wait, then the mask. */
START_TEST(verdicts)
{
	struct facts f = plain(20);

	ck_assert_int_eq(judge_signal(&f, SIGTERM), V_DEFAULT);
	f.mask[M_BLOCKED] = BIT(SIGTERM);
	ck_assert_int_eq(judge_signal(&f, SIGTERM), V_HELD);
	f.mask[M_WAITED] = BIT(SIGTERM);
	ck_assert_int_eq(judge_signal(&f, SIGTERM), V_WAITED);
	f.mask[M_IGNORED] = BIT(SIGTERM);
	ck_assert_int_eq(judge_signal(&f, SIGTERM), V_IGNORED);
	f.mask[M_CAUGHT] = BIT(SIGTERM);
	ck_assert_int_eq(judge_signal(&f, SIGTERM), V_CAUGHT);
	/* Another signal's bits say nothing about TERM. */
	f = plain(20);
	f.mask[M_CAUGHT] = f.mask[M_IGNORED] = ~BIT(SIGTERM);
	f.mask[M_BLOCKED] = f.mask[M_WAITED] = ~BIT(SIGTERM);
	ck_assert_int_eq(judge_signal(&f, SIGTERM), V_DEFAULT);
}
END_TEST

/* Without what it waits for, only a handler or an ignore is certain. */
START_TEST(verdicts_unknown)
{
	struct facts f = plain(20);

	f.waits_known = 0;
	ck_assert_int_eq(judge_signal(&f, SIGTERM), V_UNKNOWN);
	f.mask[M_BLOCKED] = BIT(SIGTERM);
	ck_assert_int_eq(judge_signal(&f, SIGTERM), V_UNKNOWN);
	f.mask[M_IGNORED] = BIT(SIGTERM);
	ck_assert_int_eq(judge_signal(&f, SIGTERM), V_IGNORED);
	f.mask[M_CAUGHT] = BIT(SIGTERM);
	ck_assert_int_eq(judge_signal(&f, SIGTERM), V_CAUGHT);
}
END_TEST

/* A PID 1 in sigwait for CHLD only shows TERM unblocked and unhandled: dropped. */
START_TEST(pid1_drops_term)
{
	struct facts f = plain(1);
	struct finding out[JUDGE_MAX];
	int n, i;

	f.p.ppid = 0;
	f.p.pgid = f.p.sid = 1;
	f.mask[M_WAITED] = BIT(SIGCHLD);
	n = judge(&f, &scene, out);
	ck_assert_int_eq(n, 1);
	i = find(out, n, "pid1-drops-term");
	ck_assert_int_ge(i, 0);
	ck_assert_ptr_nonnull(strstr(out[i].text, "TERM or INT"));
	/* INT caught: the advice names TERM only. */
	f.mask[M_CAUGHT] = BIT(SIGINT);
	n = judge(&f, &scene, out);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_null(strstr(out[0].text, "or INT"));
}
END_TEST

/* When pidone could not read what PID 1 waits for, it draws no finding. */
START_TEST(pid1_unknown)
{
	struct facts f = plain(1);
	struct finding out[JUDGE_MAX];

	f.p.ppid = 0;
	f.p.pgid = f.p.sid = 1;
	f.waits_known = 0;
	ck_assert_int_eq(judge(&f, &scene, out), 0);
}
END_TEST

/* pidone as PID 1 blocks and waits for every signal: nothing to say. */
START_TEST(pid1_pidone)
{
	struct facts f = plain(1);
	struct finding out[JUDGE_MAX];

	f.p.ppid = 0;
	f.p.pgid = f.p.sid = 1;
	f.mask[M_BLOCKED] = ALL & ~BIT(SIGKILL) & ~BIT(SIGSTOP);
	f.mask[M_WAITED] = ALL;
	ck_assert_int_eq(judge(&f, &scene, out), 0);
}
END_TEST

/* TERM blocked and taken by nothing is a finding for a sleeper, not a runner. */
START_TEST(blocks_term)
{
	struct facts f = plain(20);
	struct finding out[JUDGE_MAX];
	int n;

	f.mask[M_BLOCKED] = BIT(SIGTERM);
	n = judge(&f, &scene, out);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(out[0].kind, "blocks-term");
	ck_assert_int_eq(out[0].other, SIGTERM);
	f.p.state = 'R';
	ck_assert_int_eq(judge(&f, &scene, out), 0);
	f.p.state = 'S';
	f.mask[M_WAITED] = BIT(SIGTERM);
	ck_assert_int_eq(judge(&f, &scene, out), 0);
	f.mask[M_WAITED] = 0;
	f.waits_known = 0;
	ck_assert_int_eq(judge(&f, &scene, out), 0);
}
END_TEST

/* A zombie's only finding is its parent, with advice that depends on who that is. */
START_TEST(zombie)
{
	struct facts f = plain(20);
	struct finding out[JUDGE_MAX];
	int n;

	f.p.state = 'Z';
	f.p.ppid = 7;
	f.p.pgid = 0;
	f.mask[M_IGNORED] = BIT(SIGTERM);
	n = judge(&f, &(struct scene){ 5, 10, "sh", 0 }, out);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(out[0].kind, "zombie");
	ck_assert_int_eq(out[0].other, 7);
	ck_assert_str_eq(out[0].text, "zombie not reaped by its live parent 7 "
	    "(sh): make it wait for its children, or end it");
	f.p.ppid = 1;
	n = judge(&f, &(struct scene){ 5, 10, "tini", 0 }, out);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(out[0].text, "zombie not reaped by its live parent 1 "
	    "(tini): run the command under pidone");
}
END_TEST

/* Group or session 0 is outside the namespace; another group is outside the command's. */
START_TEST(outside)
{
	struct facts f = plain(30);
	struct finding out[JUDGE_MAX];
	int n;

	f.p.pgid = 30;
	n = judge(&f, &scene, out);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(out[0].kind, "outside-group");
	ck_assert_int_eq(out[0].other, scene.group);
	ck_assert_ptr_nonnull(strstr(out[0].text, "keep it in that group"));
	f.p.sid = 0;
	n = judge(&f, &scene, out);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(out[0].kind, "outside-ns");
	ck_assert_int_eq(out[0].other, 30);
	ck_assert_ptr_nonnull(strstr(out[0].text, "pidone --exec"));
	/* pidone itself, PID 1, and any process when there is no group: fine. */
	f = plain(5);
	f.p.pgid = 5;
	ck_assert_int_eq(judge(&f, &scene, out), 0);
	f = plain(30);
	f.p.pgid = 30;
	ck_assert_int_eq(judge(&f, &(struct scene){ 5, 0, "?", 0 }, out), 0);
	/* A PID 1 outside the namespace's sessions is told to lead one. */
	f = plain(1);
	f.p.pgid = f.p.sid = 0;
	f.mask[M_CAUGHT] = BIT(SIGTERM);
	n = judge(&f, &scene, out);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(out[0].kind, "outside-ns");
	ck_assert_ptr_nonnull(strstr(out[0].text, "setsid"));
}
END_TEST

/* Ignoring TERM is a finding; a PID 1 ignoring it also drops it. */
START_TEST(ignores_term)
{
	struct facts f = plain(20);
	struct finding out[JUDGE_MAX];
	int n;

	f.mask[M_IGNORED] = BIT(SIGTERM);
	n = judge(&f, &scene, out);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(out[0].kind, "ignores-term");
	ck_assert_int_eq(out[0].other, SIGTERM);
	f = plain(1);
	f.p.pgid = f.p.sid = 0;
	f.mask[M_IGNORED] = BIT(SIGTERM);
	n = judge(&f, &scene, out);
	ck_assert_int_eq(n, 3);
	ck_assert_int_ge(find(out, n, "outside-ns"), 0);
	ck_assert_int_ge(find(out, n, "pid1-drops-term"), 0);
	ck_assert_int_ge(find(out, n, "ignores-term"), 0);
}
END_TEST

/* A live parent leaving zombies: their count; PID 1's have their own findings. */
START_TEST(zombies)
{
	struct facts f = plain(20);
	struct scene sc = scene;
	struct finding out[JUDGE_MAX];
	int n;

	sc.zombies = 3;
	n = judge(&f, &sc, out);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(out[0].kind, "zombies");
	ck_assert_int_eq(out[0].other, 3);
	ck_assert_str_eq(out[0].text, "leaves 3 zombies unreaped, each holding "
	    "a PID: make it wait for its children, or end it");
	sc.zombies = 1;
	n = judge(&f, &sc, out);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_nonnull(strstr(out[0].text, "leaves 1 zombie unreaped"));
	/* Alongside its other findings. */
	f.mask[M_IGNORED] = BIT(SIGTERM);
	n = judge(&f, &sc, out);
	ck_assert_int_eq(n, 2);
	ck_assert_int_ge(find(out, n, "ignores-term"), 0);
	ck_assert_int_ge(find(out, n, "zombies"), 0);
	f = plain(1);
	f.p.ppid = 0;
	f.p.pgid = f.p.sid = 1;
	f.mask[M_CAUGHT] = BIT(SIGTERM) | BIT(SIGINT);
	ck_assert_int_eq(judge(&f, &sc, out), 0);
}
END_TEST

/* A cgroup within 10% of its pids.max, and not below. */
START_TEST(pids_near_limit)
{
	struct finding x;

	ck_assert_int_eq(judge_pids(35, 40, &x), 0);
	ck_assert_int_eq(judge_pids(36, 40, &x), 1);
	ck_assert_str_eq(x.kind, "pids-near-limit");
	ck_assert_int_eq(x.other, 40);
	ck_assert_ptr_nonnull(strstr(x.text, "36 of its 40"));
	ck_assert_int_eq(judge_pids(40, 40, &x), 1);
	ck_assert_int_eq(judge_pids(5000, INT64_MAX, &x), 0);
	ck_assert_int_eq(judge_pids(0, 0, &x), 0);
}
END_TEST

Suite *
judge_suite(void)
{
	Suite *s = suite_create("judge");
	TCase *t = tcase_create("verdict");

	tcase_add_test(t, verdicts);
	tcase_add_test(t, verdicts_unknown);
	suite_add_tcase(s, t);
	t = tcase_create("findings");
	tcase_add_test(t, pid1_drops_term);
	tcase_add_test(t, pid1_unknown);
	tcase_add_test(t, pid1_pidone);
	tcase_add_test(t, blocks_term);
	tcase_add_test(t, zombie);
	tcase_add_test(t, outside);
	tcase_add_test(t, ignores_term);
	tcase_add_test(t, zombies);
	tcase_add_test(t, pids_near_limit);
	suite_add_tcase(s, t);
	return s;
}
