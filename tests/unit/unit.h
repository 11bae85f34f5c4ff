/* pidone unit tests: one Check suite per source file. */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>

Suite *parse_suite(void);
Suite *out_suite(void);
Suite *signals_suite(void);
Suite *proc_suite(void);
Suite *child_suite(void);
Suite *pgrp_suite(void);
Suite *judge_suite(void);
Suite *opts_suite(void);
Suite *init_suite(void);

#endif
