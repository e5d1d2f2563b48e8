#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The relay-initiated release (draft-gandhewar-dhc-v6-relay-initiated-release),
# end to end: real dhclient, dhcrelay and Kea give the leases; leaseguardd
# sends the RELEASE-REQUESTs to a scripted server (selftests/release_server)
# that answers as each step tells it.
#
#   sub  (dhclient) -- acc0 \
#                            rtr: leaseguard.ko, dhcrelay, leaseguardd -- up0 -- srv: Kea (f::2)
#   sub2 (dhclient) -- acc2 /                                                      release_server (f::3)
#
# The story: an administrator's release that the server refuses leaves the
# binding as it was; a server that never answers gets four transmissions,
# 1, 2, 4 and 8 s apart, then the binding is bound again; a dropped request
# is retransmitted after about a second, bogus replies are ignored and
# counted, and the real reply deletes the binding and its routes, after
# which source validation drops the old address. Then each trigger in turn:
# the subscriber's link goes down, the subscriber stops answering neighbor
# solicitations, moves to another interface, and is replaced by another
# client on a single-subscriber interface.

set -e
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $LG_ROOT/kmod/leaseguard.ko ]] || skip_all "kmod/leaseguard.ko is not built"
for bin in kea-dhcp6 dhcrelay dhclient jq; do
	command -v $bin >/dev/null || skip_all "$bin is not installed"
done
LGD=$LG_ROOT/agent/leaseguardd
RS=$LG_ROOT/selftests/release_server
[[ -x $LGD && -x $RS ]] || skip_all "leaseguardd or release_server is not built"

cleanup() {
	set +e
	[[ -n ${LGDPID:-} ]] && kill "$LGDPID" 2>/dev/null && wait "$LGDPID"
	rs_stop
	dhcp_cleanup
	topology_del_subscribers
	topology_down
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

RELEASE_SERVER=2001:db8:f::3
RELAY_ID=0002000000096c67	# DUID-EN: enterprise 9, identifier "lg"

lg() { ip netns exec rtr "$LGCTL" "$@"; }
bindings() { lg -j binding show dev "${1:-acc0}"; }
nbindings() { bindings "$@" | jq length; }

# rs_start ARGS...: the scripted server, answering as ARGS say.
rs_start() {
	rs_stop
	: >"$DIR/rs.log"
	_dhcp_bg release-server srv "$DIR/rs.out" "$RS" -a $RELEASE_SERVER \
		-o "$DIR/rs.log" "$@"
	wait_for grep -qs '^ready' "$DIR/rs.log"
}
rs_stop() { [[ -z ${DIR:-} ]] || _dhcp_kill release-server; }
rs_rx() { grep -c '^rx ' "$DIR/rs.log" || true; }
# rs_field N KEY: KEY of the Nth request the server received.
rs_field() {
	grep '^rx ' "$DIR/rs.log" | sed -n "${1}p" | tr ' ' '\n' |
		sed -n "s/^$2=//p"
}

# The options of a DHCPv6 option list in hex: opt_codes lists their codes,
# opt_get gives the value of the first one with a code.
opt_codes() {
	local h=$1 out=""
	while ((${#h} >= 8)); do
		out+=" $((16#${h:0:4}))"
		h=${h:8+2*16#${h:4:4}}
	done
	echo "${out# }"
}
opt_get() {
	local h=$1 l
	while ((${#h} >= 8)); do
		l=$((2 * 16#${h:4:4}))
		if ((16#${h:0:4} == $2)); then
			echo "${h:8:l}"
			return
		fi
		h=${h:8+l}
	done
}
hex() { tr -d ':' <<<"$1"; }
ip6hex() { python3 -c 'import ipaddress,sys; print(ipaddress.ip_address(sys.argv[1]).packed.hex())' "$1"; }
counter() { lg -j release show socket "$DIR/lgd.sock" | jq ".stats.$1"; }
state() { bindings | jq -r '[.[].state] | unique | join(" ")'; }

step "The module, the router with two access links, Kea, the relay."
n insmod "$LG_ROOT/kmod/leaseguard.ko"
topology_up
topology_add_subscriber sub2 acc2 2
for l in acc0 acc2; do
	lg link set dev $l role access
done
lg link set dev up0 role upstream
lg link set dev acc0 savi enforce
n ip -n srv addr add $RELEASE_SERVER/64 dev eth0 nodad
dhcp_tmpdir >/dev/null
DIR=$LG_DHCP_DIR
kea_start 600 300
relay_start acc0 acc2
cat >"$DIR/lgd.conf" <<EOF
log-level debug
relay-id $RELAY_ID
control-socket $DIR/lgd.sock
interface * release all
interface * release-server $RELEASE_SERVER
interface * link-down-hold 2
interface * unreachable-hold 2
interface acc0 single-subscriber yes
EOF
check "the configuration checks out" "$LGD" -c "$DIR/lgd.conf" -t
printf '# [rtr] leaseguardd -c %s &\n' "$DIR/lgd.conf"
ip netns exec rtr "$LGD" -c "$DIR/lgd.conf" >"$DIR/lgd.log" 2>&1 &
LGDPID=$!
wait_for -t 20 grep -q "sync:" "$DIR/lgd.log"

step "1. A subscriber: two bindings, their routes."
client_start sub eth0
NA=$(client_lease sub eth0 na)
PD=$(client_lease sub eth0 pd)
wait_for is 2 nbindings
wait_for sh -c "ip -n rtr -6 route show proto 200 | grep -q '${PD%/*}'"
JSON=$(bindings)
check_eq "both bound" "bound" "$(state)"

step "2. The server refuses (NotAllowed): the bindings stay, bound."
rs_start --status 10
n lg binding release dev acc0
wait_for is 1 rs_rx
wait_for is 2 counter refused
wait_for is bound state
check "the daemon says why" grep -q "refused the release (NotAllowed)" "$DIR/lgd.log"
check_eq "the routes stay" 2 "$(ip -n rtr -6 route show proto 200 | wc -l)"

step "3. A silent server: 4 transmissions, 1, 2, 4, 8 s apart (+-10% each), then bound again."
rs_start --silent
n lg binding release dev acc0
wait_for atleast 1 rs_rx
check_eq "lgctl release show lists the request" \
	"$(rs_field 1 xid) 2" \
	"$(lg -j release show socket "$DIR/lgd.sock" | jq -r '.requests[0] | "\(.xid) \(.count)"')"
check_eq "the bindings are releasing (admin)" "releasing" "$(state)"
wait_for -t 40 is 2 counter timed_out
check_eq "four transmissions" 4 "$(rs_rx)"
check_eq "one transaction-id" 1 "$(grep '^rx ' "$DIR/rs.log" | tr ' ' '\n' | grep '^xid=' | sort -u | wc -l)"
t1=$(rs_field 1 t) t2=$(rs_field 2 t) t3=$(rs_field 3 t) t4=$(rs_field 4 t)
# RT1 = IRT(1 +- 0.1), RTn = RTn-1 (2 +- 0.1): late by scheduling, never early.
check "RT1 is 0.9..1.1 s (+0.3 late)" \
	awk -v a="$t1" -v b="$t2" 'BEGIN { d = b - a; exit !(d >= 900 && d <= 1400) }'
check "RT2 is 1.9..2.1 RT1" \
	awk -v a="$t1" -v b="$t2" -v c="$t3" 'BEGIN { r = (c - b) / (b - a); exit !(r >= 1.75 && r <= 2.3) }'
check "RT3 is 1.9..2.1 RT2" \
	awk -v a="$t2" -v b="$t3" -v c="$t4" 'BEGIN { r = (c - b) / (b - a); exit !(r >= 1.75 && r <= 2.3) }'
wait_for is bound state
check_eq "nothing outstanding" 0 "$(lg -j release show socket "$DIR/lgd.sock" | jq '.requests | length')"

step "4. One request dropped, bogus replies, then NoBinding per IA: the bindings go."
rs_start --drop 1 --bogus --ia-status 3
n lg binding release dev acc0
wait_for is 2 rs_rx
check "RT1 again 0.9..1.1 s (+0.3 late)" \
	awk -v a="$(rs_field 1 t)" -v b="$(rs_field 2 t)" 'BEGIN { d = b - a; exit !(d >= 900 && d <= 1400) }'
wait_for is 0 nbindings
check_eq "a reply with another xid was discarded" 1 "$(counter discarded_xid)"
check_eq "a reply without Status Code was discarded" 1 "$(counter discarded_no_status)"
check_eq "a malformed reply was discarded" 1 "$(counter discarded_malformed)"
check_eq "two bindings released" 2 "$(counter released)"
check_eq "no route left" "" "$(ip -n rtr -6 route show proto 200)"
check "the daemon survived" kill -0 $LGDPID

step "5. The request, option by option."
REQ=$(rs_field 1 hex)
check_eq "RELEASE-REQUEST, type 240" f0 "${REQ:0:2}"
OPTS=${REQ:8}
check_eq "top level: Server-Id, Relay-Id, Interface-Id, Client Data" \
	"2 53 18 45" "$(opt_codes "$OPTS")"
check_eq "Server Identifier: Kea's DUID" \
	"$(hex "$(jq -r '.[0].server_duid' <<<"$JSON")")" "$(opt_get "$OPTS" 2)"
check_eq "Relay Identifier: ours" "$RELAY_ID" "$(opt_get "$OPTS" 53)"
check_eq "Interface-Id: dhcrelay's, common to the one client" \
	"$(hex "$(jq -r '.[0].interface_id' <<<"$JSON")")" "$(opt_get "$OPTS" 18)"
CD=$(opt_get "$OPTS" 45)
check_eq "Client Data: Client Identifier, then both IAs" "1 3 25" \
	"$(opt_codes "$CD" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')"
check_eq "Client Identifier" "$(hex "$(jq -r '.[0].client_duid' <<<"$JSON")")" \
	"$(opt_get "$CD" 1)"
IANA=$(opt_get "$CD" 3)
IAID_NA=$(printf %08x "$(jq '.[] | select(.ia_type == "ia_na") | .iaid' <<<"$JSON")")
check_eq "IA_NA: IAID, T1 0, T2 0, IAADDR(address, 0, 0)" \
	"${IAID_NA}0000000000000000""00050018$(ip6hex "${NA%/*}")0000000000000000" \
	"$IANA"
IAPD=$(opt_get "$CD" 25)
IAID_PD=$(printf %08x "$(jq '.[] | select(.ia_type == "ia_pd") | .iaid' <<<"$JSON")")
check_eq "IA_PD: IAID, T1 0, T2 0, IAPREFIX(0, 0, plen, prefix)" \
	"${IAID_PD}0000000000000000""001a00190000000000000000$(printf %02x "${PD#*/}")$(ip6hex "${PD%/*}")" \
	"$IAPD"

step "6. After the release, source validation drops the old address."
before=$(lg -j -s link show dev acc0 | jq '.[0].stats.savi_drop_source')
check_fails "a ping from the released address is dropped" 1 \
	ip netns exec sub ping -6 -c 1 -W 1 -I "${NA%/*}" 2001:db8:f::2
check "and counted" [ "$(lg -j -s link show dev acc0 | jq '.[0].stats.savi_drop_source')" -gt "$before" ]

# relearn: the client, stopped and started, gets its leases again from Kea
relearn() {
	client_stop sub eth0
	client_start sub eth0
	wait_for is 2 nbindings
}

step "7. link-down: the subscriber's link goes down for longer than 2 s."
rs_start
relearn
n ip -n sub link set eth0 down
wait_for -t 20 is 0 nbindings
check "released for link-down" grep -q "acc0 has been down for 2 s" "$DIR/lgd.log"
n ip -n sub link set eth0 up

step "8. unreachable: the subscriber stops answering for longer than 2 s."
# How soon a silent client is FAILED: reachable time, then the delay and
# the probes (an operator's tuning; the kernel's defaults take ~40 s).
nsx rtr sysctl -qw net.ipv6.neigh.acc0.base_reachable_time_ms=1000 \
	net.ipv6.neigh.acc0.delay_first_probe_time=1
relearn
check "the client's link-local is a managed neighbor" \
	sh -c "ip -n rtr -6 neigh show dev acc0 | grep '^fe80' | grep -q managed"
n ip -n sub addr flush dev eth0 scope link
wait_for -t 60 is 0 nbindings
check "released as unreachable" grep -q "has not answered for 2 s" "$DIR/lgd.log"
n ip -n sub link set eth0 down
n ip -n sub link set eth0 up

step "9. moved: the same DUID bound on acc2 releases it on acc0."
relearn
DUID=$(client_duid sub eth0)
grep '^default-duid' "$DIR/dhclient-sub-eth0.leases" | tail -n 1 >"$DIR/dhclient-sub2-eth0.leases"
client_start sub2 eth0
check_eq "sub2 has sub's DUID" "$DUID" "$(client_duid sub2 eth0)"
wait_for is 0 nbindings
check_eq "the bindings on acc2 stay" 2 "$(nbindings acc2)"
check "released as moved" grep -q "moved: releasing 2 bindings" "$DIR/lgd.log"
client_stop sub2 eth0

step "10. replaced: a new client on single-subscriber acc0 releases the old one."
relearn
OLD=$(client_duid sub eth0)
client_stop sub eth0
rm -f "$DIR/dhclient-sub-eth0.leases"
client_start sub eth0 -D LLT	# a new DUID (DUID-LLT), the same link-local
old_left() { bindings | jq --arg d "$OLD" '[.[] | select(.client_duid == $d)] | length'; }
wait_for is 0 old_left
check_eq "only the new client's bindings" "$(client_duid sub eth0)" \
	"$(bindings | jq -r '[.[].client_duid] | unique | join(" ")')"
check "released as replaced" grep -q "single-subscriber and has a new client" "$DIR/lgd.log"

step "11. Every request carried our Relay-Id; the daemon logged no error."
check_eq "no error" "" "$(grep ': err: ' "$DIR/lgd.log" || true)"

tap_done
