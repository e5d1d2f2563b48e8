/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For lgd_genl_test: the family every kernel has, nlctrl, stands in for
 * leaseguard, so that agent/leaseguardd/genl.c runs without the module.
 * Included first (-include): the uapi header's guard keeps this name.
 */
#include <linux/leaseguard.h>
#undef LEASEGUARD_GENL_NAME
#define LEASEGUARD_GENL_NAME	"nlctrl"
