#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The fault-injection pass of make check-debug: selftests/fault_inject.c
# (which says what it does) with the module loaded, then rmmod. Only a
# kernel built with fault injection has it: on another (Debian's, in make
# check) it skips at once and loads nothing. kmemleak, KASAN and the rest
# are the VM runner's (selftests/vm/run.sh).
#
# LG_KO names the module (default kmod/leaseguard.ko); LG_FAULT_SECONDS,
# LG_FAULT_PROBABILITY and LG_FAULT_SEED go to the program.

set -u
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

KO=${LG_KO:-$LG_ROOT/kmod/leaseguard.ko}
[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -d /sys/kernel/debug/failslab || -d /sys/kernel/debug/fail_page_alloc ]] ||
	skip_all "the kernel has no fault injection (make check-debug has)"
[[ -e $KO ]] || skip_all "$KO is not built"
[[ -x $LG_ROOT/selftests/fault_inject ]] || skip_all "selftests/fault_inject is not built"

n insmod "$KO" || exit 1
if [[ ! -d /sys/kernel/debug/fail_leaseguard ]]; then
	echo "# $KO has no /sys/kernel/debug/fail_leaseguard: built for another kernel?"
	rmmod leaseguard
	exit 1
fi
"$LG_ROOT/selftests/fault_inject"
rc=$?
n rmmod leaseguard || rc=1
exit $rc
