#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Both sides of the relay-initiated release with real daemons: leaseguardd
# sends the RELEASE-REQUEST, and Kea answers it with leaseguard's hook
# (kea/libdhcp_release_request.so).
#
#   sub  (dhclient) -- acc0 \
#                            rtr: leaseguard.ko, dhcrelay, leaseguardd -- up0 -- srv: Kea + hook
#   sub2 (dhclient) -- acc2 /
#
# The story: an administrator releases a subscriber, and Kea itself lets the
# leases go (the lease file, its statistics), answers Success, and the
# router drops the binding and the routes. The reply to a second release is
# lost on the way back: the relay retransmits, Kea answers NoBinding, and
# the relay takes that as done. A request that comes through an
# intermediate relay is answered only when Kea lists that relay, and a
# subscriber's forgery that a relay trusted by its address forwards is
# refused: address trust is for unrelayed requests. A subscriber's own
# relayed release that the router cannot check whole (fragmented, too
# long, too deep, malformed) never leaves its access link. A relay Kea
# does not trust gets NotAllowed, or nothing, as Kea is configured. Broken
# and forged requests are dropped and logged, no lease touched. Through all
# of it Kea keeps serving clients.

set -e
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $LG_ROOT/kmod/leaseguard.ko ]] || skip_all "kmod/leaseguard.ko is not built"
for bin in kea-dhcp6 dhcrelay dhclient jq nft python3; do
	command -v $bin >/dev/null || skip_all "$bin is not installed"
done
LGD=$LG_ROOT/agent/leaseguardd/leaseguardd
HOOK=$LG_ROOT/kea/libdhcp_release_request.so
RC=$LG_ROOT/selftests/host/release_client
[[ -x $LGD && -x $RC ]] || skip_all "leaseguardd or release_client is not built"
[[ -e $HOOK ]] || skip_all "the Kea hook is not built (kea-dev is not installed)"

cleanup() {
	set +e
	[[ -n ${LGDPID:-} ]] && kill "$LGDPID" 2>/dev/null && wait "$LGDPID"
	dhcp_cleanup
	topology_del_subscribers
	topology_down
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

RELAY_ID=00:02:00:00:00:09:6c:67	# DUID-EN: enterprise 9, identifier "lg"
KEA_DUID=00:03:00:01:02:00:00:00:0f:02	# lib.sh's server-id, DUID-LL

lg() { ip netns exec rtr "$LGCTL" "$@"; }
bindings() { lg -j binding show dev "${1:-acc0}"; }
nbindings() { bindings "$@" | jq length; }
state() { bindings "$@" | jq -r '[.[].state] | unique | join(" ")'; }
counter() { lg -j release show socket "$DIR/lgd.sock" | jq ".stats.$1"; }
# kea_of DUID: Kea's leases of a client ("TYPE ADDR/PLEN" lines).
kea_of() { kea_leases | awk -v d="$1" '$4 == d { print $1, $2 }'; }
nkea_of() { kea_of "$1" | grep -c . || true; }
hook_stat() { kea_stat "pkt6-release-request-$1"; }

# Hand-made messages, in hex: a request's Server-Id (Kea's) and Relay-Id
# (ours), a Client Data for a DUID, and a RELAY-FORW around a message.
hexlen() { printf %04x $(( ${#1} / 2 )); }
REQ_OPTS="0002000a$(tr -d : <<<"$KEA_DUID")00350008$(tr -d : <<<"$RELAY_ID")"
client_data() {
	local id
	id="0001$(hexlen "$(tr -d : <<<"$1")")$(tr -d : <<<"$1")"
	echo "002d$(hexlen "$id")$id"
}
relay_forw() {	# HOP LINK_HEX PEER_HEX MSG_HEX
	echo "0c$1$2$3""0009$(hexlen "$4")$4"
}

# Kea's lease_cmds hook, when installed: lease6-get asks Kea itself.
LEASE_CMDS=""
for f in /usr/lib/*/kea/hooks/libdhcp_lease_cmds.so; do
	[[ -e $f ]] && LEASE_CMDS=$f
done

# hook PARAMETERS: (re)starts Kea with the hook given these parameters.
# Leases survive in the lease file.
hook() {
	local cmds=""
	[[ -z $LEASE_CMDS ]] || cmds="{ \"library\": \"$LEASE_CMDS\" }, "
	kea_stop
	LG_KEA_HOOKS="$cmds{ \"library\": \"$HOOK\", \"parameters\": $1 }" \
		kea_start 600 300
	check "Kea loaded the hook: $1" grep -q RELEASE_REQUEST_LOADED "$DIR/kea.log"
}

# kea_has ADDR: whether Kea has the address leased: lease6-get on its
# control socket with lease_cmds, else its lease file.
kea_has() {
	if [[ -n $LEASE_CMDS ]]; then
		[[ $(kea_cmd lease6-get "{\"ip-address\": \"$1\"}" | jq .result) == 0 ]]
	else
		kea_leases | awk -v a="$1/128" '$1 == "NA" && $2 == a { f = 1 } END { exit !f }'
	fi
}

step "The module, the router with two access links, Kea with the hook, the relay."
n insmod "$LG_ROOT/kmod/leaseguard.ko"
topology_up
topology_add_subscriber sub2 acc2 2
for l in acc0 acc2; do
	lg link set dev $l role access
done
lg link set dev up0 role upstream
dhcp_tmpdir >/dev/null
DIR=$LG_DHCP_DIR
TRUSTED="{ \"trusted-relays\": [ { \"relay-id\": \"$RELAY_ID\" } ] }"
# A misspelt parameter fails Kea's configuration: Kea does not start.
LG_KEA_HOOKS="{ \"library\": \"$HOOK\", \"parameters\": { \"trusted-relay\": [] } }" \
	kea_config 600 300 480 >"$DIR/kea-bad.conf"
check_fails "Kea refuses a misspelt parameter" 1 \
	ip netns exec srv env KEA_PIDFILE_DIR="$DIR" KEA_LOCKFILE_DIR="$DIR" \
	timeout 20 kea-dhcp6 -c "$DIR/kea-bad.conf"
check "and the hook says which" grep -q \
	"RELEASE_REQUEST_LOAD_FAILED release-request hook not loaded: unknown parameter 'trusted-relay'" \
	"$DIR/kea.log"
# An assigned message type (3 is REQUEST: no client would get a lease).
LG_KEA_HOOKS="{ \"library\": \"$HOOK\", \"parameters\": { \"release-request-type\": 3 } }" \
	kea_config 600 300 480 >"$DIR/kea-bad.conf"
check_fails "Kea refuses release-request-type 3" 1 \
	ip netns exec srv env KEA_PIDFILE_DIR="$DIR" KEA_LOCKFILE_DIR="$DIR" \
	timeout 20 kea-dhcp6 -c "$DIR/kea-bad.conf"
check "and the hook says why" grep -q \
	"RELEASE_REQUEST_LOAD_FAILED release-request hook not loaded: 'release-request-type' is an unassigned DHCPv6 message type, 38 to 255 (1 to 37 are assigned), not 3" \
	"$DIR/kea.log"
hook "$TRUSTED"
relay_start acc0 acc2
cat >"$DIR/lgd.conf" <<EOF
relay-id $RELAY_ID
control-socket $DIR/lgd.sock
store $DIR/bindings.db
interface * release all
EOF
printf '# [rtr] leaseguardd -c %s &\n' "$DIR/lgd.conf"
ip netns exec rtr "$LGD" -c "$DIR/lgd.conf" >"$DIR/lgd.log" 2>&1 &
LGDPID=$!
wait_for -t 20 grep -q "sync:" "$DIR/lgd.log"

step "1. Two subscribers, each with an address and a prefix from Kea."
client_start sub eth0
client_start sub2 eth0
SUB=$(client_duid sub eth0)
SUB2=$(client_duid sub2 eth0)
wait_for is 2 nbindings acc0
wait_for is 2 nbindings acc2
wait_for is 4 eval 'ip -n rtr -6 route show proto 200 | wc -l'
check_eq "Kea has sub's two leases" 2 "$(nkea_of "$SUB")"
check_eq "subnet 1 counts one address" 1 "$(kea_stat 'subnet[1].assigned-nas')"
check_eq "the binding's server is Kea" "$KEA_DUID" \
	"$(bindings | jq -r '[.[].server_duid] | unique | join(" ")')"

step "2. The administrator releases sub: Kea lets the leases go, the router the binding."
OUT=$(n lg binding release dev acc0 socket "$DIR/lgd.sock") && rc=0 || rc=$?
check_eq "lgctl waits for the outcome: exit 0" 0 "$rc"
check_eq "... and says Success for both" 2 "$(grep -c 'released (Success)' <<<"$OUT")"
wait_for is 0 nbindings acc0
check_eq "Kea has none of sub's leases" 0 "$(nkea_of "$SUB")"
check_eq "released by the server: Success, twice" 2 \
	"$(grep -c 'released by the server: Success' "$DIR/lgd.log")"
check_eq "subnet 1: no address assigned" 0 "$(kea_stat 'subnet[1].assigned-nas')"
check_eq "subnet 1: no prefix assigned" 0 "$(kea_stat 'subnet[1].assigned-pds')"
check_eq "one request received, one reply sent" "1 1" \
	"$(hook_stat received) $(hook_stat reply-sent)"
check "Kea's log names the leases" grep -q \
	"RELEASE_REQUEST_LEASE_RELEASED duid=\[$SUB\]: prefix" "$DIR/kea.log"
check "and the request" grep -q \
	"RELEASE_REQUEST_PROCESSED RELEASE-REQUEST from 2001:db8:f::1 on eth0, relay-id $RELAY_ID (xid 0x[0-9a-f]*): 1 clients, 2 leases released, 0 clients failed" \
	"$DIR/kea.log"
check_eq "Kea's core never saw it as unknown" "" \
	"$(grep DHCP6_UNKNOWN_MSG_RECEIVED "$DIR/kea.log" || true)"
check_eq "no route of sub's left" 2 "$(ip -n rtr -6 route show proto 200 | wc -l)"
check_eq "sub2 untouched, at Kea and on the router" "2 bound" \
	"$(nkea_of "$SUB2") $(state acc2)"

step "3. Kea's reply is lost; the retransmission gets NoBinding; the relay is done."
client_stop sub eth0
client_start sub eth0
wait_for is 2 nbindings acc0
check_eq "sub is back at Kea" 2 "$(nkea_of "$SUB")"
# srv drops its own RELEASE-REQUEST-REPLYs (type 241, UDP 547 to 547).
n ip netns exec srv nft -f - <<EOF
table inet lg_drop {
	chain out {
		type filter hook output priority 0;
		udp sport 547 udp dport 547 @th,64,8 241 counter drop
	}
}
EOF
n lg binding release dev acc0 nowait
wait_for is 0 nkea_of "$SUB"
check_eq "the bindings wait for the reply" releasing "$(state)"
n ip netns exec srv nft delete table inet lg_drop
wait_for is 0 nbindings acc0
check "Kea got the request again" atleast 3 hook_stat received
check "and answered the second NoBinding" grep -q \
	"RELEASE_REQUEST_NO_BINDING duid=\[$SUB\]" "$DIR/kea.log"
check_eq "the relay took NoBinding as done" 2 \
	"$(grep -c 'released by the server: NoBinding' "$DIR/lgd.log")"

step "3b. Through an intermediate relay: refused unless Kea lists it; then RELAY-FORW in, RELAY-REPL out."
# rtr plays an intermediate relay in front of a relay at fe80::1.
FE80_1=fe800000000000000000000000000001
ZERO=00000000000000000000000000000000
REQ="f0abcdef${REQ_OPTS}$(client_data 00:01:00:01:de:ad:be:ef)"
check "not listed: no answer" ip netns exec rtr "$RC" -b 2001:db8:f::1 \
	-n 0 -w 2000 2001:db8:f::2 547 "$(relay_forw 00 $ZERO $FE80_1 "$REQ")"
check "Kea's log says why" grep -q \
	"RELEASE_REQUEST_REFUSED .*relay-id $RELAY_ID, relayed by 2001:db8:f::1, not a trusted intermediate relay, through 1 relay): dropped" \
	"$DIR/kea.log"
# Listed; and rtr's address trusted too, for 3c.
RTR_ADDR='{ "address": "2001:db8:f::1" }'
hook "{ \"trusted-relays\": [ { \"relay-id\": \"$RELAY_ID\" }, $RTR_ADDR ], \"trusted-intermediate-relays\": [ $RTR_ADDR ] }"
ANSWER=$(ip netns exec rtr "$RC" -b 2001:db8:f::1 -n 1 -w 5000 2001:db8:f::2 547 \
	"$(relay_forw 00 $ZERO $FE80_1 "$REQ")" | sed -n 's/.*hex=//p')
check_eq "a RELAY-REPL with the RELAY-FORW's hop-count, link and peer" \
	"0d00$ZERO$FE80_1" "${ANSWER:0:68}"
REPLY=${ANSWER:76}
check_eq "around a RELEASE-REQUEST-REPLY with the request's xid" f1abcdef "${REPLY:0:8}"
check "answering NoBinding for that unknown client" grep -q \
	"RELEASE_REQUEST_PROCESSED .*through 1 relay (xid 0xabcdef): 1 clients, 0 leases released, 1 clients failed" \
	"$DIR/kea.log"

step "3c. A subscriber's forgery, relayed by a relay trusted by its address: refused."
# The attack: sub2 asks for its own leases' release (or anyone's) with a
# Relay-Id of its choosing, and a relay whose address Kea trusts forwards
# it in a RELAY-FORW as it would any client message. The relay's address
# vouches for what it sends, not for what it relays.
SUB2_ADDR=$(kea_of "$SUB2" | awk '$1 == "NA" { sub("/128", "", $2); print $2 }')
check "Kea has sub2's address ${SUB2_ADDR:-?}${LEASE_CMDS:+ (lease6-get)}" kea_has "$SUB2_ADDR"
FORGERY="f0000bad0002000a$(tr -d : <<<"$KEA_DUID")0035$(hexlen "$(tr -d : <<<"$SUB2")")$(tr -d : <<<"$SUB2")$(client_data "$SUB2")"
FE80_B=fe80000000000000000000000000000b
check "no answer to the forgery" ip netns exec rtr "$RC" -b 2001:db8:f::1 \
	-n 0 -w 2000 2001:db8:f::2 547 \
	"$(relay_forw 00 20010db8000200000000000000000001 $FE80_B "$FORGERY")"
check "Kea refused it: a relayed request needs a trusted relay-id" grep -q \
	"RELEASE_REQUEST_REFUSED .*relay-id $SUB2, not a trusted relay (a relayed request needs a trusted relay-id; an address alone is trusted only unrelayed), through 1 relay): dropped" \
	"$DIR/kea.log"
check "Kea still has sub2's address${LEASE_CMDS:+ (lease6-get)}" kea_has "$SUB2_ADDR"
check_eq "and both of sub2's leases" 2 "$(nkea_of "$SUB2")"
check_eq "sub2 is still bound on the router" bound "$(state acc2)"
check_eq "counted as refused" 1 "$(hook_stat refused)"

step "3d. A subscriber's relayed release the router cannot check whole: dropped at acc0."
# sub asks for sub2's release, wrapped in its own RELAY-FORWs with the
# router's Relay-Id, sent as any client sends: to ff02::1:2 on its link.
# Every leaseguard setting is at its default. The shield drops a relayed
# release it can read; these are the ones it cannot read whole, which
# it drops as well (RFC 7610 section 5) instead of letting them through.
shield_drops() {
	lg -j -s link show dev acc0 |
		jq '.[0].stats | .shield_drop_release + .shield_drop_hidden'
}
HIDDEN=$(lg -j -s link show dev acc0 | jq '.[0].stats.shield_drop_hidden')
attack() {	# WHAT HEX: sub sends it; the router must drop it
	local before received
	before=$(shield_drops)
	received=$(hook_stat received)
	check "$1: no answer" ip netns exec sub "$RC" -n 0 -w 500 \
		ff02::1:2%eth0 547 "$2"
	check_eq "$1: dropped at acc0, counted" $((before + 1)) "$(shield_drops)"
	check_eq "$1: Kea never saw it" "$received" "$(hook_stat received)"
}
# nest N HEX: HEX in N RELAY-FORWs
nest() {
	local i m=$2
	for ((i = 0; i < $1; i++)); do
		m=$(relay_forw 00 $ZERO $FE80_B "$m")
	done
	echo "$m"
}
RR="f0000bad${REQ_OPTS}$(client_data "$SUB2")"
PAD="fff0$(printf %04x 2100)$(printf '00%.0s' {1..2100})"
attack "fragmented (2,1xx bytes: the sender's kernel cuts it at 1500)" \
	"$(relay_forw 00 $ZERO $FE80_B "$RR")$PAD"
ip -n sub link set eth0 mtu 4000
ip -n rtr link set acc0 mtu 4000
attack "whole but over 2048 bytes" "$(relay_forw 00 $ZERO $FE80_B "$RR")$PAD"
ip -n sub link set eth0 mtu 1500
ip -n rtr link set acc0 mtu 1500
attack "10 relay layers" "$(nest 10 "$RR")"
attack "32 relay layers" "$(nest 32 "$RR")"
attack "a Relay-Id of 2 bytes" "$(relay_forw 00 $ZERO $FE80_B "$RR")00350002abcd"
attack "junk after the last option" "$(relay_forw 00 $ZERO $FE80_B "$RR")ffffff"
check "five of them as unchecked (the other may reach the shield reassembled)" \
	atleast $((HIDDEN + 5)) eval "lg -j -s link show dev acc0 | jq '.[0].stats.shield_drop_hidden'"
check "the router logs why" bash -c "dmesg | grep -q \
	'acc0: dropped fe80::.*: DHCPv6 message that cannot be checked whole'"
check "Kea still has sub2's address${LEASE_CMDS:+ (lease6-get)}" kea_has "$SUB2_ADDR"
check_eq "and both of sub2's leases" 2 "$(nkea_of "$SUB2")"
check_eq "sub2 is still bound on the router" bound "$(state acc2)"

step "4. A relay Kea does not trust gets NotAllowed."
hook "{ \"untrusted\": \"not-allowed\", \"trusted-relays\": [ { \"relay-id\": \"00:02:00:00:00:09:00:01\" }, { \"address\": \"2001:db8:f::9\" } ] }"
n lg binding release dev acc2 nowait
wait_for is 2 counter refused
wait_for is bound state acc2
check "the relay says why" grep -q "refused the release (NotAllowed)" "$DIR/lgd.log"
check_eq "Kea kept sub2's leases" 2 "$(nkea_of "$SUB2")"
check_eq "Kea counted a refusal, and replied" "1 1" \
	"$(hook_stat refused) $(hook_stat reply-sent)"
check "Kea's log says why" grep -q \
	"RELEASE_REQUEST_REFUSED .*not a trusted relay): replied NotAllowed" "$DIR/kea.log"

step "5. By default, an untrusted relay's request is dropped: no reply at all."
hook "{}"
check "Kea warns that no relay is trusted" grep -q RELEASE_REQUEST_NO_TRUSTED_RELAYS "$DIR/kea.log"
n lg binding release dev acc2 nowait
wait_for atleast 1 hook_stat refused
# At once: on a debug kernel the checks below outlast the retransmissions
# (step 7 sees that they gave up).
check_eq "the relay waits (it retransmits, then gives up)" releasing "$(state acc2)"
check_eq "no reply sent" 0 "$(hook_stat reply-sent)"
check_eq "Kea kept sub2's leases" 2 "$(nkea_of "$SUB2")"
check "Kea's log says dropped" grep -q "RELEASE_REQUEST_REFUSED .*: dropped" "$DIR/kea.log"

step "6. Broken and forged requests: dropped, logged, no lease touched."
# (Kea still trusts no relay, and sub2's release is still retransmitted:
# validation comes first, these are discarded before any trust is asked.)
before=$(kea_leases)
CD=$(client_data "$SUB2")
# truncated: the Client Data says 4 octets more than there are
TRUNC="f0000001${REQ_OPTS}002d$(printf %04x $(( (${#CD} - 8) / 2 + 4 )))${CD:8}"
# forged: another server's DUID
FORGED="f0000002${REQ_OPTS/0f02/0f03}$CD"
# no Relay Identifier
NORELAY="f00000030002000a$(tr -d : <<<"$KEA_DUID")$CD"
for msg in "$TRUNC" "$FORGED" "$NORELAY"; do
	check "no answer to ${msg:0:8}..." ip netns exec rtr "$RC" \
		-b 2001:db8:f::1 -n 0 -w 500 2001:db8:f::2 547 "$msg"
done
wait_for is 3 hook_stat discarded
check "the truncated one: malformed" grep -q \
	"RELEASE_REQUEST_DISCARDED RELEASE-REQUEST from 2001:db8:f::1 on eth0 discarded: malformed (opt_overrun)" "$DIR/kea.log"
check "the forged one: not this server's" grep -q \
	"discarded: Server Identifier 00:03:00:01:02:00:00:00:0f:03 is not this server's" "$DIR/kea.log"
check "the one without Relay Identifier" grep -q \
	"discarded: no Relay Identifier option" "$DIR/kea.log"
check_eq "no lease touched" "$before" "$(kea_leases)"
check_eq "no reply" 0 "$(hook_stat reply-sent)"

step "7. Kea keeps serving: a new client gets its leases."
client_stop sub eth0
rm -f "$DIR/dhclient-sub-eth0.leases"
client_start sub eth0 -D LLT
check_eq "the new client has its leases" 2 "$(nkea_of "$(client_duid sub eth0)")"
wait_for is bound state acc2
check "sub2 is bound again: step 5's release gave up after 4 transmissions" \
	grep -q "no reply after 4 transmissions" "$DIR/lgd.log"
check "Kea is alive" kill -0 "$(<"$DIR/kea.bgpid")"
check_eq "Kea logged no error" "" "$(grep ' ERROR ' "$DIR/kea.log" || true)"
check_eq "leaseguardd logged no error" "" "$(grep ': err: ' "$DIR/lgd.log" || true)"

tap_done
