#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leaseguard end to end: an access router between a subscriber and a server.
#
#   sub (eth0) ---- (acc0, access) rtr (up0, upstream) ---- (eth0) srv
#
# The router forwards; leaseguard knows which side is which and counts what
# arrives. The topology comes from lib.sh (topology_up), which keeps the
# wire quiet, so that packets can be counted exactly.

set -e
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $LG_ROOT/kmod/leaseguard.ko ]] || skip_all "kmod/leaseguard.ko is not built"

cleanup() {
	set +e
	topology_down
	ip netns del other 2>/dev/null
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

lg() { nsx rtr "$LGCTL" "$@"; }
rx_of() { ip netns exec "$1" "$LGCTL" -j link show dev "$2" | jq -r '.[0].stats.rx_packets'; }

echo "# The module loads and registers its netlink family."
n insmod "$LG_ROOT/kmod/leaseguard.ko"
check "the leaseguard family answers" sh -c "'$LGCTL' stats >/dev/null"

echo "# Three hosts, two links."
topology_up

echo "# The router learns which interface is which."
lg link set dev acc0 role access
lg link set dev up0 role upstream
check_eq "link show lists both interfaces" \
	"10: acc0 role access bindings 0 max-bindings 65536 savi off anchor none shield on trust-release off entries 0 miss-rate 10
11: up0 role upstream" "$(lg link show)"
check_eq "link show dev picks one" "11: up0 role upstream" \
	"$(lg link show dev up0)"
check_eq "JSON names and roles" '["acc0","access"] ["up0","upstream"]' \
	"$(lg -j link show | jq -c '.[] | [.ifname, .role]' | paste -sd ' ')"
check "pretty JSON parses" sh -c "ip netns exec rtr '$LGCTL' -j -p link show | jq -e 'length == 2' >/dev/null"

echo "# What a subscriber sends is counted on the access side, the answers upstream."
nsx sub ping -6 -c 1 -W 5 2001:db8:f::2 >/dev/null
sleep 2		# let the interfaces' own MLD reports pass
acc_before=$(rx_of rtr acc0)
up_before=$(rx_of rtr up0)
nsx sub ping -6 -c 5 -i 0.2 -W 5 2001:db8:f::2 >/dev/null
check_eq "5 echo requests counted on acc0" 5 $(( $(rx_of rtr acc0) - acc_before ))
check_eq "5 echo replies counted on up0" 5 $(( $(rx_of rtr up0) - up_before ))
check "stats show the per-link counters" sh -c \
	"ip netns exec rtr '$LGCTL' -j stats | jq -e '.links | length == 2' >/dev/null"

echo "# Each namespace has its own configuration."
check_eq "srv has none" "" "$(nsx srv "$LGCTL" link show)"

echo "# Only an administrator may change it; anybody may read it."
check_fails "unprivileged set is refused" 1 \
	nsx rtr setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$LGCTL" link set dev acc0 role none
check_eq "unprivileged show works" "11: up0 role upstream" \
	"$(nsx rtr setpriv --reuid=65534 --regid=65534 --clear-groups "$LGCTL" link show dev up0)"

echo "# Subscribers are the administrator's: lgctl says what is missing."
# (not shown: its stderr is what is checked)
nobody() { ip netns exec rtr setpriv --reuid=65534 --regid=65534 --clear-groups "$LGCTL" "$@"; }
check_eq "unprivileged binding show is refused" \
	"lgctl: Operation not permitted (needs CAP_NET_ADMIN) exit 1" \
	"$({ nobody binding show 2>&1; echo " exit $?"; } | paste -sd '' -)"
check_eq "unprivileged savi show is refused" \
	"lgctl: Operation not permitted (needs CAP_NET_ADMIN) exit 1" \
	"$({ nobody savi show 2>&1; echo " exit $?"; } | paste -sd '' -)"
check_eq "unprivileged monitor of bindings is refused" \
	"lgctl: Operation not permitted (needs CAP_NET_ADMIN) exit 1" \
	"$({ nobody monitor bindings 2>&1; echo " exit $?"; } | paste -sd '' -)"

echo "# Bad words get a reason and a meaningful exit code."
check_fails "unknown role is a usage error" 2 lg link set dev acc0 role wizard
check_fails "unknown device is an error" 1 lg link set dev nosuch0 role access
check_eq "config unchanged after the errors" \
	"10: acc0 role access bindings 0 max-bindings 65536 savi off anchor none shield on trust-release off entries 0 miss-rate 10" \
	"$(lg link show dev acc0)"

echo "# A source no binding holds is told to whoever listens (lgctl monitor)."
lg link set dev acc0 savi monitor miss-rate 5
lg config set miss-rate 50
check_eq "link and config show the rates" "5 miss-rate 50" \
	"$(lg -j link show dev acc0 | jq '.[0].miss_rate') $(lg config show | grep miss-rate)"
MON=$(mktemp /tmp/lg-netns-mon.XXXXXX)
for json in "" -j; do
	: >"$MON"
	printf '# [rtr] lgctl %s monitor bindings &\n' "$json" >&2
	ip netns exec rtr "$LGCTL" $json monitor bindings >"$MON" 2>&1 &
	MONPID=$!
	sleep 0.5
	# Two from one source 0.2 s apart, the second inside the holddown
	# (1 s): not told again. One ping, not two: "ip netns exec" alone
	# took over a second on the debug kernel.
	nsx sub ping -6 -c 2 -i 0.2 -W 5 2001:db8:f::2 >/dev/null
	wait_for -t 5 grep -q miss "$MON" || true
	sleep 0.2
	kill $MONPID; wait $MONPID 2>/dev/null || true
	if [[ -z $json ]]; then
		check_eq "the monitor prints the miss once" \
			"miss dev acc0 src 2001:db8:1::2 mac 02:00:00:00:01:02" "$(cat "$MON")"
	else
		check_eq "-j: one object" \
			'{"event":"miss","ifindex":10,"ifname":"acc0","src":"2001:db8:1::2","mac":"02:00:00:00:01:02"}' \
			"$(cat "$MON")"
	fi
	sleep 1.1	# past the holddown
done
rm -f "$MON"
check_eq "counted: 2 sent, 2 repeated" "2 2 0" \
	"$(lg -j link show dev acc0 | jq -r '.[0].stats | "\(.savi_miss_sent) \(.savi_miss_repeated) \(.savi_miss_limited)"')"

echo "# An interface that goes away takes its configuration with it."
n ip -n rtr link del acc0
check_eq "only up0 is left" "11: up0 role upstream" "$(lg link show)"
check_eq "links_gone counts it" 1 "$(lg -j stats | jq .links_gone)"

echo "# A namespace that goes away with configuration in it is freed."
n ip netns add other
nsx other ip link add d0 type dummy
nsx other "$LGCTL" link set dev d0 role access
n ip netns del other

echo "# The module unloads with configuration present (up0)."
n rmmod leaseguard
check "module is gone" sh -c '! grep -qw leaseguard /proc/modules'
check_fails "lgctl says the module is not loaded" 3 lg link show

if [[ -w /sys/kernel/debug/kmemleak ]]; then
	echo scan > /sys/kernel/debug/kmemleak
	check_eq "kmemleak finds nothing" "" "$(cat /sys/kernel/debug/kmemleak)"
else
	echo "# kmemleak is not in this kernel; the VM runner still fails on any splat"
fi

tap_done
