/* Runs every unit suite and prints Check's summary line. */
#include <stdlib.h>

#include "unit.h"

/* The sources are built with -Dmain=pidone_main; this main is the runner. */
#undef main

int
main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_add_suite(sr, out_suite());
	srunner_add_suite(sr, signals_suite());
	srunner_add_suite(sr, proc_suite());
	srunner_add_suite(sr, child_suite());
	srunner_add_suite(sr, pgrp_suite());
	srunner_add_suite(sr, judge_suite());
	srunner_add_suite(sr, opts_suite());
	srunner_add_suite(sr, init_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
