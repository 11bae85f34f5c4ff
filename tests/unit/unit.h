/* pidone unit tests: one Check suite per source file. */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>

Suite *signals_suite(void);
Suite *init_suite(void);
Suite *pgrp_suite(void);
Suite *out_suite(void);

#endif
