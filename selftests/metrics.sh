#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "lgctl -o prometheus stats" with real traffic (Documentation/metrics.rst):
# real Kea (with leaseguard's hook), dhcrelay and dhclient give a subscriber
# its leases, the subscriber sends from an address it was not leased, joins
# an IGMP group with a real socket, and an administrator's release is
# answered by Kea; leaseguardd runs with its control socket.
#
#   sub (dhclient, mctool) -- acc0 [rtr: leaseguard.ko, dhcrelay, leaseguardd] up0 -- srv (Kea + hook)
#
# Each exposition must pass "promtool check metrics" without a word, and
# prometheus_test.sh --lint (samples of a family together, no duplicate);
# the story checks exact values of the series that tell it: 2 bindings
# bound on acc0, the spoofed packets as SAVI drops with reason "source"
# (as many as "lgctl -j stats" says), 1 IGMP group on acc0, leaseguardd
# up, then 1 release request, 1 reply and 2 bindings released; with
# leaseguardd stopped, leaseguard_daemon_up 0 and none of its families,
# still a success. Last, the command of dist/leaseguard-metrics.service
# writes its file whole.

set -e
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $LG_ROOT/kmod/leaseguard.ko ]] || skip_all "kmod/leaseguard.ko is not built"
for bin in kea-dhcp6 dhcrelay dhclient jq promtool; do
	command -v $bin >/dev/null || skip_all "$bin is not installed"
done
LGD=$LG_ROOT/agent/leaseguardd/leaseguardd
MCTOOL=$LG_ROOT/selftests/mctool
HOOK=$LG_ROOT/kea/libdhcp_release_request.so
LINT=$LG_ROOT/selftests/host/prometheus_test.sh
UNIT=$LG_ROOT/dist/leaseguard-metrics.service
[[ -x $LGD && -x $MCTOOL ]] || skip_all "leaseguardd or selftests/mctool is not built"
[[ -e $HOOK ]] || skip_all "the Kea hook is not built (kea-dev is not installed)"

LGDPID=
JOINPID=
cleanup() {
	set +e
	[[ -n $JOINPID ]] && kill "$JOINPID" 2>/dev/null && wait "$JOINPID"
	[[ -n $LGDPID ]] && kill "$LGDPID" 2>/dev/null && wait "$LGDPID"
	dhcp_cleanup
	topology_down
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

RELAY_ID=00:02:00:00:00:09:6c:67	# DUID-EN: enterprise 9, identifier "lg"

lg() { ip netns exec rtr "$LGCTL" "$@"; }
nbindings() { lg -j binding show dev acc0 | jq length; }

# scrape NAME: "lgctl -o prometheus stats" into $DIR/NAME.prom, its exit
# status into $DIR/NAME.rc and stderr into $DIR/NAME.err.
scrape() {
	local rc=0
	printf '# [rtr] lgctl -o prometheus stats socket %s > %s.prom\n' \
		"$DIR/lgd.sock" "$1" >&2
	lg -o prometheus stats socket "$DIR/lgd.sock" >"$DIR/$1.prom" \
		2>"$DIR/$1.err" || rc=$?
	echo "$rc" >"$DIR/$1.rc"
}
# value NAME SERIES: the value of SERIES (name{labels}, exactly) in NAME.
value() { awk -v s="$2" '$1 == s { print $2; f = 1 } END { if (!f) print "none" }' "$DIR/$1.prom"; }
# valid NAME: the scrape succeeded, promtool and lint take it silently.
valid() {
	local name=$1
	check_eq "$name: lgctl exits 0, says nothing on stderr" "0" \
		"$(cat "$DIR/$name.rc")$(cat "$DIR/$name.err")"
	check_eq "$name: promtool check metrics passes, without a word" "exit 0" \
		"$(promtool check metrics <"$DIR/$name.prom" 2>&1; echo "exit $?")"
	check_eq "$name: each family's samples together, no duplicate series" "" \
		"$(bash "$LINT" --lint "$DIR/$name.prom" 2>&1)"
}
# ge VALUE MIN: VALUE is a number, at least MIN.
ge() { [[ $1 =~ ^[0-9]+$ ]] && (($1 >= $2)); }
# json_link KEY: an acc0 counter as "lgctl -j stats" gives it.
json_link() { lg -j stats | jq '.links[] | select(.ifname == "acc0") | .'"$1"; }

step "The module, the router, IGMP on, Kea with leaseguard's hook, the relay, leaseguardd."
n insmod "$LG_ROOT/kmod/leaseguard.ko"
topology_up
n ip -n rtr addr add 10.0.0.1/24 dev up0
n ip -n rtr addr add 10.1.0.1/24 dev acc0
n ip -n srv addr add 10.0.0.2/24 dev eth0
n ip -n sub addr add 10.1.0.2/24 dev eth0
lg link set dev acc0 role access
lg link set dev up0 role upstream
lg link set dev acc0 savi enforce
lg mcast set igmp enable on upstream up0
dhcp_tmpdir >/dev/null
DIR=$LG_DHCP_DIR
LG_KEA_HOOKS="{ \"library\": \"$HOOK\",
  \"parameters\": { \"trusted-relays\": [ { \"relay-id\": \"$RELAY_ID\" } ] } }" \
	kea_start 600 300
relay_start acc0
printf '%s\n' "control-socket $DIR/lgd.sock" "store $DIR/bindings.db" "relay-id $RELAY_ID" \
	"interface acc0 release admin" >"$DIR/lgd.conf"
printf '# [rtr] leaseguardd -c %s &\n' "$DIR/lgd.conf" >&2
ip netns exec rtr "$LGD" -c "$DIR/lgd.conf" >"$DIR/lgd.log" 2>&1 &
LGDPID=$!
wait_for -t 20 grep -q "sync:" "$DIR/lgd.log"

step "1. Before any traffic: leaseguardd up, acc0's series at 0."
scrape idle
valid idle
check_eq "idle: leaseguard_daemon_up 1" 1 "$(value idle leaseguard_daemon_up)"
check_eq "idle: no binding on acc0" 0 \
	"$(value idle 'leaseguard_link_bindings{ifname="acc0",state="bound"}')"
check_eq "idle: no release yet" 0 "$(value idle leaseguard_release_requests_total)"
check_eq "idle: up0 has no binding series (not an access interface)" "none" \
	"$(value idle 'leaseguard_link_bindings{ifname="up0",state="bound"}')"

step "2. A subscriber gets an address and a prefix; sends from an address it was not leased; joins a group."
client_start sub eth0
wait_for is 2 nbindings
NA=$(client_lease sub eth0 na)
check "the leased address passes" \
	ip netns exec sub ping -6 -c 1 -W 5 -I "${NA%/*}" 2001:db8:f::2
check_fails "2001:db8:1::2 was not leased: dropped" 1 \
	ip netns exec sub ping -6 -c 3 -i 0.2 -W 1 -I 2001:db8:1::2 2001:db8:f::2
printf '# [sub] mctool join -i eth0 -g 239.1.1.1 -q &\n' >&2
ip netns exec sub "$MCTOOL" join -i eth0 -g 239.1.1.1 -q >"$DIR/join.out" 2>&1 &
JOINPID=$!
wait_for grep -q '^joined' "$DIR/join.out"
wait_for sh -c "ip netns exec rtr '$LGCTL' -j mcast show dev acc0 | jq -e '.groups | length == 1' >/dev/null"
wait_for sh -c "ip -n rtr maddr show dev up0 | grep -qw 239.1.1.1"

scrape busy
valid busy
check_eq "busy: bindings on acc0 bound = 2" 2 \
	"$(value busy 'leaseguard_link_bindings{ifname="acc0",state="bound"}')"
check_eq "busy: and releasing = 0" 0 \
	"$(value busy 'leaseguard_link_bindings{ifname="acc0",state="releasing"}')"
check_eq "busy: the namespace has 2" 2 "$(value busy leaseguard_bindings)"
DROPS=$(value busy 'leaseguard_link_savi_drops_total{ifname="acc0",reason="source"}')
check "busy: SAVI drops on acc0 with reason source: at least the 3 pings ($DROPS)" \
	ge "$DROPS" 3
check_eq "busy: as many as lgctl -j stats says" "$(json_link savi_drop_source)" "$DROPS"
check_eq "busy: no drop for another reason" "0 0" \
	"$(value busy 'leaseguard_link_savi_drops_total{ifname="acc0",reason="unspecified"}') $(value busy 'leaseguard_link_savi_drops_total{ifname="acc0",reason="mac"}')"
check "busy: the leased address's packets passed" \
	ge "$(value busy 'leaseguard_link_savi_passed_total{ifname="acc0"}')" 1
check_eq "busy: DHCPv6 snooped on acc0, as lgctl -j stats says" "$(json_link dhcp6_snooped)" \
	"$(value busy 'leaseguard_link_dhcp6_snooped_total{ifname="acc0"}')"
check_eq "busy: IGMP groups on acc0 = 1" 1 \
	"$(value busy 'leaseguard_link_mc_groups{ifname="acc0",family="igmp"}')"
check_eq "busy: MLD groups on acc0 = 0" 0 \
	"$(value busy 'leaseguard_link_mc_groups{ifname="acc0",family="mld"}')"
check "busy: reports snooped on acc0" \
	ge "$(value busy 'leaseguard_link_mc_reports_total{ifname="acc0"}')" 1
check_eq "busy: acc0 is an access interface in enforce mode" 1 \
	"$(value busy 'leaseguard_link_info{ifname="acc0",role="access",savi_mode="enforce"}')"
check_eq "busy: leaseguard_daemon_up 1" 1 "$(value busy leaseguard_daemon_up)"
check_eq "busy: leaseguardd proxies IGMP" "1 1" \
	"$(value busy 'leaseguard_mc_proxy_enabled{family="igmp"}') $(value busy 'leaseguard_mc_proxy_active{family="igmp"}')"
check_eq "busy: and joined 239.1.1.1 upstream" 1 \
	"$(value busy 'leaseguard_mc_proxy_upstream_groups{family="igmp"}')"
check "busy: its joins counted" \
	ge "$(value busy 'leaseguard_mc_proxy_joins_total{family="igmp"}')" 1

if command -v valgrind >/dev/null; then
	check_eq "busy: valgrind: the dumps and the control socket's client leak nothing" "exit 0" \
		"$(lg_vg() { ip netns exec rtr valgrind -q --leak-check=full --error-exitcode=99 \
			"$LGCTL" -o prometheus stats socket "$DIR/lgd.sock" 2>&1 >/dev/null; }
		   lg_vg; echo "exit $?")"
fi

step "3. An administrator releases the subscriber; Kea answers Success."
check "lgctl binding release waits for both outcomes: released" \
	lg binding release dev acc0 socket "$DIR/lgd.sock"
wait_for is 0 nbindings
scrape released
valid released
# One request for both, unless leaseguardd read the two bindings' release
# notifications apart (a debug kernel is that slow); relay-release.sh
# tests the grouping itself.
requests=$(value released leaseguard_release_requests_total)
check "released: 1 RELEASE-REQUEST sent (2 if the bindings came apart)" \
	bash -c "[ $requests -ge 1 ] && [ $requests -le 2 ]"
check_eq "released: as many replies accepted" "$requests" \
	"$(value released leaseguard_release_replies_total)"
check_eq "released: both bindings released (Success), none NoBinding" "2 0" \
	"$(value released 'leaseguard_release_bindings_total{outcome="success"}') $(value released 'leaseguard_release_bindings_total{outcome="nobinding"}')"
check_eq "released: none refused, timed out or without a server" "0 0 0" \
	"$(value released 'leaseguard_release_bindings_total{outcome="refused"}') $(value released 'leaseguard_release_bindings_total{outcome="timed_out"}') $(value released 'leaseguard_release_bindings_total{outcome="no_server"}')"
check_eq "released: no reply discarded" "0 0 0 0" \
	"$(for r in malformed xid no_status server_id; do value released "leaseguard_release_replies_discarded_total{reason=\"$r\"}"; done | paste -sd' ')"
check_eq "released: nothing in flight" "0 0" \
	"$(value released leaseguard_release_requests_in_flight) $(value released leaseguard_release_bindings_in_flight)"
check_eq "released: as lgctl release show says" \
	"$(lg -j release show socket "$DIR/lgd.sock" | jq -r '.stats | "\(.requests) \(.retransmissions) \(.released)"')" \
	"$(value released leaseguard_release_requests_total) $(value released leaseguard_release_retransmissions_total) $(value released 'leaseguard_release_bindings_total{outcome="success"}')"
check_eq "released: acc0 has no binding left" 0 \
	"$(value released 'leaseguard_link_bindings{ifname="acc0",state="bound"}')"
check_eq "released: the namespace deleted 2" 2 "$(value released leaseguard_bindings_deleted_total)"

step "4. leaseguardd stopped: its figures go, leaseguard_daemon_up 0, no error."
n kill "$LGDPID"
wait "$LGDPID" || true
LGDPID=
scrape down
valid down
check_eq "down: leaseguard_daemon_up 0" 0 "$(value down leaseguard_daemon_up)"
check_eq "down: none of leaseguardd's families" "" \
	"$(grep -E '^# TYPE leaseguard_(release|mc_proxy)_' "$DIR/down.prom")"
check_eq "down: the kernel's figures stay" 1 \
	"$(value down 'leaseguard_link_mc_groups{ifname="acc0",family="igmp"}')"

step "5. dist/leaseguard-metrics.service's command writes the file whole."
# Its sh -c script, systemd's $$ unescaped, pointed at this namespace, this
# lgctl, this socket and a directory of ours.
mkdir "$DIR/textfile"
sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'\$/\1/p" "$UNIT" | sed 's/\$\$/$/g' |
	sed "s|/usr/sbin/lgctl|$LGCTL|; s|/var/lib/prometheus/node-exporter|$DIR/textfile|; s|stats|stats socket $DIR/lgd.sock|" \
	>"$DIR/unit.sh"
sed 's/^/# unit: /' "$DIR/unit.sh"
# With the unit's capabilities only (CapabilityBoundingSet=, for root).
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT" |
	tr ' ' '\n' | sed -n 's/^CAP_\(.*\)/,+\L\1/p' | tr -d '\n')
check "the unit's command succeeds with its capabilities ($caps)" \
	ip netns exec rtr setpriv --bounding-set=-all"$caps" --inh-caps=-all \
	sh "$DIR/unit.sh"
check_eq "it leaves leaseguard.prom, and no temporary file" "leaseguard.prom" \
	"$(ls "$DIR/textfile")"
check_eq "promtool takes it, without a word" "exit 0" \
	"$(promtool check metrics <"$DIR/textfile/leaseguard.prom" 2>&1; echo "exit $?")"
check_eq "with the figures of the moment" 0 \
	"$(awk '$1 == "leaseguard_daemon_up" { print $2 }' "$DIR/textfile/leaseguard.prom")"

kill "$JOINPID"
wait "$JOINPID" || true
JOINPID=
tap_done
