// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection for the module's own allocations (a debug kernel's
 * CONFIG_FAULT_INJECTION; Documentation/testing.rst). failslab cannot aim
 * at them: its task filter fails only allocations in task context, and
 * most of ours run in softirq; it has no stack filter on x86_64. So each
 * allocation of what a namespace keeps, and each insert into a table that
 * may allocate, asks lg_should_fail() first. The attribute is set from
 * debugfs, /sys/kernel/debug/fail_leaseguard/ (probability, interval,
 * times, verbose: Documentation/fault-injection/fault-injection.rst).
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>

#include "leaseguard.h"

static DECLARE_FAULT_ATTR(lg_fail_attr);
static struct dentry *lg_fail_dir;

bool lg_should_fail(void)
{
	return should_fail(&lg_fail_attr, 1);
}

void lg_fault_init(void)
{
	/* A stack dump per fault would fail the VM runs that look for one. */
	lg_fail_attr.verbose = 0;
	lg_fail_dir = fault_create_debugfs_attr("fail_leaseguard", NULL,
						&lg_fail_attr);
}

void lg_fault_exit(void)
{
	if (!IS_ERR_OR_NULL(lg_fail_dir))
		debugfs_remove_recursive(lg_fail_dir);
}
