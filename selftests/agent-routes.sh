#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leaseguardd turns bindings into access routes, and only touches its own.
#
#   sub (dhclient -6 -N -P) -- (acc0) rtr: leaseguard.ko, dhcrelay, leaseguardd (up0) -- srv: Kea
#
# The story: a stale route of ours is cleaned up at start while somebody
# else's route is left alone; a lease brings a /128 and a /56 via the
# subscriber's link-local; a restart takes them over without a single
# route change; a reload with another metric moves them; a release removes
# them; a broken configuration keeps the daemon from starting.

set -e
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $LG_ROOT/kmod/leaseguard.ko ]] || skip_all "kmod/leaseguard.ko is not built"
for bin in kea-dhcp6 dhcrelay dhclient; do
	command -v $bin >/dev/null || skip_all "$bin is not installed"
done
LGD=$LG_ROOT/agent/leaseguardd
[[ -x $LGD ]] || skip_all "agent/leaseguardd is not built"

cleanup() {
	set +e
	lgd_stop
	[[ -n ${MONPID:-} ]] && kill "$MONPID" 2>/dev/null
	dhcp_cleanup
	topology_down
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

# Our routes, as "ip" prints them (protocol 200), sorted.
our_routes() { ip -n rtr -6 route show proto 200 | sed 's/ *$//' | sort; }

LGDPID=
lgd_start() {
	local conf=$1
	printf '# [rtr] leaseguardd -c %s &\n' "$conf" >&2
	ip netns exec rtr "$LGD" -c "$conf" >>"$DIR/leaseguardd.log" 2>&1 &
	LGDPID=$!
	wait_for -t 20 grep -q "sync:" "$DIR/leaseguardd.log"
}
lgd_stop() {
	[[ -n $LGDPID ]] || return 0
	kill "$LGDPID" 2>/dev/null
	wait "$LGDPID" 2>/dev/null || true
	LGDPID=
}
syncs() { grep -c "sync:" "$DIR/leaseguardd.log" || true; }

step "The module, the router, Kea and the relay."
n insmod "$LG_ROOT/kmod/leaseguard.ko"
topology_up
nsx rtr "$LGCTL" link set dev acc0 role access
nsx rtr "$LGCTL" link set dev up0 role upstream
DIR=$(dhcp_tmpdir)
kea_start 600 300
relay_start acc0
cat >"$DIR/lgd.conf" <<EOF
# access routes in the main table, protocol 200, metric 1024
log-level debug
route-metric 1024
EOF
check "the configuration checks out" "$LGD" -c "$DIR/lgd.conf" -t

step "1. At start, a stale route of ours goes; somebody else's stays."
n ip -n rtr route add 2001:db8:5555::/64 dev acc0 proto 200 metric 1024
n ip -n rtr route add 2001:db8:99::/48 via fe80::99 dev acc0 proto static
lgd_start "$DIR/lgd.conf"
check_eq "no route of ours without a binding" "" "$(our_routes)"
check "the static route is still there" \
	sh -c "ip -n rtr -6 route show 2001:db8:99::/48 | grep -q 'via fe80::99'"

step "2. A lease brings its routes."
client_start sub eth0
want="2001:db8:100::/56 via fe80::ff:fe00:102 dev acc0 metric 1024 pref medium
2001:db8:1::1000 dev acc0 metric 1024 pref medium"
wait_for -t 20 sh -c "[ \"\$(ip -n rtr -6 route show proto 200 | wc -l)\" = 2 ]" || true
check_eq "a /128 for the address, the /56 via the subscriber's link-local" \
	"$want" "$(our_routes)"
check "the subscriber is reachable through them" \
	sh -c "ip netns exec srv ping -6 -c 1 -W 5 2001:db8:1::1000 >/dev/null"

step "3. A restart with the bindings present changes no route."
ip -n rtr monitor route >"$DIR/monitor" 2>&1 &
MONPID=$!
lgd_stop
before=$(syncs)
lgd_start "$DIR/lgd.conf"
wait_for -t 20 sh -c "[ \$(grep -c 'sync:' '$DIR/leaseguardd.log') -gt $before ]" || true
sleep 1
kill "$MONPID"; MONPID=
check_eq "the routes are the same" "$want" "$(our_routes)"
check_eq "ip monitor saw no route change during the restart" "" "$(cat "$DIR/monitor")"
check "the second start kept both" grep -q "routes: 2 kept, 0 added, 0 removed" "$DIR/leaseguardd.log"

step "4. SIGHUP with another metric moves them."
sed -i 's/^route-metric 1024/route-metric 2048/' "$DIR/lgd.conf"
n kill -HUP "$LGDPID"
wait_for -t 20 sh -c "ip -n rtr -6 route show proto 200 | grep -q 'metric 2048'" || true
wait_for -t 10 sh -c "! ip -n rtr -6 route show proto 200 | grep -q 'metric 1024'" || true
check_eq "the routes, now at metric 2048" "${want//1024/2048}" "$(our_routes)"
echo "route-metric lots" >>"$DIR/lgd.conf"
n kill -HUP "$LGDPID"
wait_for -t 20 grep -q "configuration rejected" "$DIR/leaseguardd.log" || true
check "a broken reload is refused, naming the line" \
	grep -q "lgd.conf:4: \"route-metric lots\"" "$DIR/leaseguardd.log"
check "and the daemon keeps running" kill -0 "$LGDPID"
check_eq "with its routes" "${want//1024/2048}" "$(our_routes)"
sed -i '$d' "$DIR/lgd.conf"

step "5. A release takes them away."
client_release sub eth0
wait_for -t 20 sh -c "[ -z \"\$(ip -n rtr -6 route show proto 200)\" ]" || true
check_eq "no route of ours left" "" "$(our_routes)"
check "the static route is still there" \
	sh -c "ip -n rtr -6 route show 2001:db8:99::/48 | grep -q 'via fe80::99'"

step "6. A broken configuration keeps the daemon from starting."
lgd_stop
printf 'route-table main\nroute-protocol 3\n' >"$DIR/bad.conf"
check_fails "exit 1" 1 ip netns exec rtr "$LGD" -c "$DIR/bad.conf"
check "the error names file, line and reason" sh -c \
	"ip netns exec rtr '$LGD' -c '$DIR/bad.conf' 2>&1 | grep -q 'bad.conf:2: \"route-protocol 3\": route-protocol is 5 to 255'"
check_fails "an unknown key too" 1 "$LGD" -o colour=blue -t

dhcp_cleanup
n rmmod leaseguard
tap_done
