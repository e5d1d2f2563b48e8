// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's clock, alone in its file so that a unit test can link its
 * own and drive the timers (selftests/unit/lgd_release_test.c).
 */
#include <time.h>

#include "lgd.h"

uint64_t lgd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
