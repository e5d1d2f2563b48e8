#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A binding the router lost, recovered on demand (RFC 7513 section 7): the
# kernel tells leaseguardd of a source no binding validates
# (LG_CMD_SAVI_MISS_NTF), leaseguardd asks Kea with an RFC 5007 LEASEQUERY
# (leaseguard's hook answers it), and restores the binding with
# LG_CMD_BINDING_NEW, origin leasequery.
#
#   sub (dhclient) -- acc0  rtr: leaseguard.ko (savi enforce), dhcrelay,
#                           leaseguardd (store off) -- up0 -- srv: Kea + hook
#
# The story: a subscriber leases an address and a prefix through the
# router; the module is reloaded and leaseguardd restarted with no store,
# so the router has forgotten it and drops its packets. Its first pings
# bring its bindings back (both IAs, their IAIDs, its MAC and link-local,
# the relay's Interface-ID), the time printed (target 2 s). A spoofed
# source is answered "no binding", stays dropped, and its next packet
# asks nobody. A flood of random sources costs at most recover-rate
# queries a second.
set -u

source "$(dirname "$0")/lib.sh"
[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $LG_ROOT/kmod/leaseguard.ko ]] || skip_all "kmod/leaseguard.ko is not built"
for bin in kea-dhcp6 dhcrelay dhclient jq python3; do
	command -v $bin >/dev/null || skip_all "$bin is not installed"
done
LGD=$LG_ROOT/agent/leaseguardd/leaseguardd
HOOK=$LG_ROOT/kea/libdhcp_release_request.so
[[ -x $LGD ]] || skip_all "leaseguardd is not built"
[[ -e $HOOK ]] || skip_all "the Kea hook is not built (kea-dev is not installed)"
[[ ! -d /sys/module/leaseguard ]] || skip_all "leaseguard is loaded already"
# The kernel's event: its command ID, as the uapi numbers it.
grep -q "LG_CMD_SAVI_MISS_NTF" "$LG_ROOT/uapi/linux/leaseguard.h" ||
	skip_all "the uapi has no LG_CMD_SAVI_MISS_NTF"

LGDPID=
cleanup() {
	set +e
	[[ -n $LGDPID ]] && kill "$LGDPID" 2>/dev/null && wait "$LGDPID"
	dhcp_cleanup
	topology_down
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

RELAY_ID=00:02:00:00:00:09:6c:67	# DUID-EN: enterprise 9, identifier "lg"
KEA_DUID=00:03:00:01:02:00:00:00:0f:02
RATE=20	# leaseguardd's default

lg() { ip netns exec rtr "$LGCTL" "$@"; }
bindings() { lg -j binding show dev acc0; }
nbindings() { bindings | jq length; }
# rec KEY...: leaseguardd's recovery counters, in one look.
rec() {
	lg -j daemon show socket "$DIR/lgd.sock" |
		jq -r --arg k "$*" '.recover as $r | [$k | split(" ")[] | $r[.] | tostring] | join(" ")'
}
# The LEASEQUERYs Kea got, by its log (a grep, not kea_stat's python:
# slow under QEMU); checked against pkt6-leasequery-received at the end.
lq_received() {
	grep -cE "LEASEQUERY_(ANSWERED|REFUSED|DISCARDED)" "$DIR/kea.log" || true
}

module_up() {
	n insmod "$LG_ROOT/kmod/leaseguard.ko"
	lg link set dev acc0 role access savi enforce
	lg link set dev up0 role upstream
}
lgd_start() {
	printf '# [rtr] leaseguardd -c %s &\n' "$DIR/lgd.conf" >&2
	ip netns exec rtr "$LGD" -c "$DIR/lgd.conf" >>"$DIR/lgd.log" 2>&1 &
	LGDPID=$!
	wait_for -t 20 atleast "$1" grep -c "sync:" "$DIR/lgd.log"
}
lgd_stop() { kill "$LGDPID"; wait "$LGDPID" 2>/dev/null; LGDPID=; }

step "The module (savi enforce), Kea with the hook (extended info), the relay, leaseguardd."
topology_up
module_up
dhcp_tmpdir >/dev/null
DIR=$LG_DHCP_DIR
LG_KEA_HOOKS="{ \"library\": \"$HOOK\", \"parameters\": { \"trusted-relays\": [ { \"relay-id\": \"$RELAY_ID\" } ] } }" \
LG_KEA_GLOBALS='
    "store-extended-info": true,' kea_start 600 300
relay_start acc0
cat >"$DIR/lgd.conf" <<EOF
relay-id $RELAY_ID
control-socket $DIR/lgd.sock
store off
leasequery-server $LG_DHCP_SERVER
recover-rate $RATE
recover-negative-ttl 30
EOF
lgd_start 1

step "1. The subscriber leases an address and a prefix; snooped; it reaches the server."
client_start sub eth0
wait_for is 2 nbindings
NA=$(client_lease sub eth0 na); NA=${NA%/128}
BEFORE=$(bindings | jq -c 'sort_by(.ia_type) | map({ia_type, iaid, client_duid,
	client_lladdr, client_mac, server_duid, interface_id})')
check_eq "both snooped" "snooped snooped" \
	"$(bindings | jq -r '[.[] | .origin // "snooped"] | join(" ")')"
ping_sub() { ip netns exec sub ping -6 -c 1 -W "${1:-2}" -I "$NA" "$LG_DHCP_SERVER" >/dev/null 2>&1; }
check "from $NA, under savi enforce, it reaches the server" ping_sub

step "2. The module is reloaded, leaseguardd restarted with no store: the bindings are gone."
lgd_stop
n rmmod leaseguard
module_up
lgd_start 2
check_eq "no binding left" 0 "$(nbindings)"

step "3. Its first packets bring the bindings back (the issue's target: 2 s)."
Q0=$(lq_received)
# The clock: bash's $EPOCHREALTIME, polled in rtr by one shell (no netns
# switch, no jq per look), started before the first ping.
ip netns exec rtr bash -c 'go=$1; shift
	while [[ ! -e $go ]]; do sleep 0.02; done
	end=$(( ${EPOCHREALTIME/./} + 10000000 ))
	until [[ $("$@") == *leasequery*leasequery* ]]; do
		(( ${EPOCHREALTIME/./} < end )) || break
		sleep 0.02
	done
	echo "${EPOCHREALTIME/./}"' poll "$DIR/go" "$LGCTL" -j binding show dev acc0 >"$DIR/t1" &
POLL=$!
sleep 1
T0=${EPOCHREALTIME/./}
touch "$DIR/go"
ip netns exec sub ping -6 -i 0.2 -c 8 -W 1 -I "$NA" "$LG_DHCP_SERVER" >"$DIR/ping.out" 2>&1 &
PING=$!
wait "$POLL"
MS=$(( ($(cat "$DIR/t1") - T0) / 1000 ))
# A figure, not a verdict (timing targets are benchmarks'): 0.6-0.7 s on
# Debian's kernel in TCG, 2.4 s once on the debug kernel.
echo "# recovered in $MS ms (from the first ping to both bindings seen by lgctl; target 2000 ms)"
wait "$PING"
RECEIVED=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$DIR/ping.out")
check "its first ping was dropped (${RECEIVED:-?} of 8 answered)" \
	test "${RECEIVED:-8}" -lt 8
check_eq "two bindings back" 2 "$(nbindings)"
check "before the poll gave up ($MS ms < 10 s)" test "$MS" -lt 10000
check_eq "both from a LEASEQUERY" "leasequery leasequery" \
	"$(bindings | jq -r '[.[].origin] | join(" ")')"
AFTER=$(bindings | jq -c 'sort_by(.ia_type) | map({ia_type, iaid, client_duid,
	client_lladdr, client_mac, server_duid, interface_id})')
check_eq "the same IAs, IAIDs, DUID, link-local, MAC, server and Interface-ID" \
	"$BEFORE" "$AFTER"
check_eq "one query, one answer, two bindings restored" "1 1 2" \
	"$(rec queries answers restored)"
check_eq "Kea got one LEASEQUERY" 1 $(( $(lq_received) - Q0 ))
check "and the subscriber reaches the server again" ping_sub
check "leaseguardd logged the restore" grep -q \
	"recover: $NA on acc0: binding restored from $LG_DHCP_SERVER (LEASEQUERY)" "$DIR/lgd.log"

step "4. A spoofed source: Kea says no binding; dropped; its next packet asks nobody."
SPOOF=2001:db8:1::bad
n ip -n sub addr add $SPOOF/128 dev eth0 nodad
spoof_ping() { ip netns exec sub ping -6 -c 1 -W 1 -I $SPOOF "$LG_DHCP_SERVER" >/dev/null 2>&1; }
Q0=$(lq_received)
R0=$(rec queries)
check_fails "the spoofed packet is dropped" 1 spoof_ping
wait_for -t 5 is 1 rec refused
check_eq "Kea got one query for it" 1 $(( $(lq_received) - Q0 ))
check_eq "no binding made of it" 2 "$(nbindings)"
# Past the kernel's holddown (LG_MISS_HOLDDOWN_MS): it tells again.
sleep 1.2
check_fails "the second is dropped too" 1 spoof_ping
wait_for -t 5 is 1 rec negative_cached
check_eq "and asked nobody: still one query, ours and Kea's" "1 1" \
	"$(( $(rec queries) - R0 )) $(( $(lq_received) - Q0 ))"

FLOOD=10000
step "5. A flood of $FLOOD random sources: at most recover-rate ($RATE/s) queries."
# The kernel's budgets (10/s from acc0, 100/s in all, by default) far
# above ours, so that ours is what bounds the queries.
lg link set dev acc0 miss-rate 5000
lg config set miss-rate 5000
Q0=$(lq_received)
read -r E0 R0 <<<"$(rec events queries)"
T0=$(date +%s%N)
ip netns exec sub python3 - "$FLOOD" <<'EOF'
import os, socket, struct, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
eth = bytes.fromhex("020000000101" "020000000102" "86dd")
dst = socket.inet_pton(socket.AF_INET6, "2001:db8:f::2")
pfx = socket.inet_pton(socket.AF_INET6, "2001:db8:1::")[:8]
for i in range(int(sys.argv[1])):
    src = pfx + os.urandom(8)
    # IPv6, no next header (59), no payload: a source to validate, no more.
    s.send(eth + struct.pack("!IHBB", 6 << 28, 0, 59, 64) + src + dst)
EOF
T1=$(date +%s%N)
sleep 1
# The budget's window: from the first source to the counters' reading.
read -r E Q L SENT ERR <<<"$(rec events queries rate_limited sent errors)"
T2=$(date +%s%N)
S=$(( (T2 - T0 + 999999999) / 1000000000 ))
E=$((E - E0)) Q=$((Q - R0))
K=$(( $(lq_received) - Q0 ))
echo "# flood: $FLOOD sources in $(( (T1 - T0) / 1000000 )) ms: the kernel told of $E, $Q queries, Kea got $K, rate-limited $L"
check "at most $RATE + $RATE/s x ${S}s queries ($Q)" test "$Q" -le $(( RATE + RATE * S ))
check "many more events than queries: our budget bit ($E > 10 x $Q)" \
	test "$E" -gt $(( 10 * Q ))
check "... and counted them rate-limited ($L)" test "$L" -ge 1
check "Kea got no more than we sent ($K <= $SENT)" test "$K" -le "$SENT"
check "no binding made of them" is 2 nbindings
check "the subscriber is untouched: it reaches the server" ping_sub
check_eq "no error counted" 0 "$ERR"
check_eq "Kea's pkt6-leasequery-received agrees with its log" \
	"$(lq_received)" "$(kea_stat pkt6-leasequery-received)"

tap_done
