#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module unload with a configured interface in a namespace and a listener on
# every group: unregistering the netdevice notifier replays
# NETDEV_UNREGISTER for every device, and the module must not answer the
# replay by tearing configurations down one by one and notifying through
# a family that is already gone (its group IDs may belong to another
# family by then). Kprobe events, named here, keep their names in the
# trace after the module's symbols are gone:
#
#   lg/ntf    leaseguard:lg_nl_notify_link   (a configuration notification)
#   lg/unreg  genl_unregister_family
#
# The story: one notification fires while the module lives (the probe
# works), then rmmod; no lg/ntf may follow lg/unreg.
#
# LG_KO names the module to load (default kmod/leaseguard.ko).

set -e
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

KO=${LG_KO:-$LG_ROOT/kmod/leaseguard.ko}
[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $KO ]] || skip_all "$KO is not built"
T=/sys/kernel/tracing
[[ -e $T/kprobe_events ]] || mount -t tracefs tracefs $T 2>/dev/null || true
[[ -e $T/kprobe_events ]] || skip_all "no tracefs with kprobe events"

MONPID=
cleanup() {
	set +e
	[[ -n $MONPID ]] && kill "$MONPID" 2>/dev/null && wait "$MONPID" 2>/dev/null
	echo 0 >$T/tracing_on
	echo 0 >$T/events/lg/enable 2>/dev/null
	echo >$T/kprobe_events
	ip netns del lgunl 2>/dev/null
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

n insmod "$KO"
n ip netns add lgunl
nsx lgunl ip link add lgunl0 type dummy
nsx lgunl "$LGCTL" link set dev lgunl0 role access
nsx lgunl "$LGCTL" monitor all >/dev/null 2>&1 &
MONPID=$!
sleep 0.5

echo 0 >$T/tracing_on
echo >$T/trace
n sh -c "echo 'p:lg/ntf leaseguard:lg_nl_notify_link' >$T/kprobe_events"
n sh -c "echo 'p:lg/unreg genl_unregister_family' >>$T/kprobe_events"
echo 1 >$T/events/lg/enable
echo 1 >$T/tracing_on

nsx lgunl "$LGCTL" link set dev lgunl0 role upstream
n rmmod leaseguard
echo 0 >$T/tracing_on
events=$(grep -oE ' (ntf|unreg): ' $T/trace | tr -d ': ' | paste -sd ' ' -)
echo "# events in order: $events"

check "the probe saw the notification of a live change" \
	grep -q '^ntf' <<<"$events"
check_eq "rmmod unregistered the family once" 1 "$(grep -o unreg <<<"$events" | wc -l)"
check_eq "no notification after the family is gone" "" \
	"$(sed -n 's/.*unreg//p' <<<"$events" | grep -o ntf || true)"
tap_done
