#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RFC 5007 LEASEQUERY answered by a real kea-dhcp6 with the hook, on the
# host: two network namespaces and a veth pair, leases put in Kea with
# lease6-add (lease_cmds), queries sent by selftests/host/lq_client (the
# agent's codec, as leaseguardd will send them) and every reply checked.
# Then a RELEASE-REQUEST (host/release_client) through the same hook, whose
# reply goes out the same way, and the released client is gone for
# LEASEQUERY too. No kernel module, no VM.
#
#   netns lgqcPID (requestor)          netns lgqsPID (server)
#  +---------------------------+     +-------------------------------------+
#  | eth0  2001:db8:f::1/64    |-----| eth0  2001:db8:f::2/64              |
#  |       2001:db8:f::9/64    |     | kea-dhcp6 on [2001:db8:f::2]:547    |
#  | lq_client [f::1]:547      |     |  + libdhcp_release_request.so       |
#  +---------------------------+     |  + libdhcp_lease_cmds.so            |
#                                    | links 2001:db8:1::/64 (PD 2001:db8: |
#                                    |  100::/40 by /56), 2001:db8:2::/64  |
#                                    +-------------------------------------+
#
# The trusted requestor is relay-id 00:02:00:00:00:09:6c:67 from
# 2001:db8:f::1; 2001:db8:f::9 is not trusted. Stops by itself within
# 120 s. Needs root (ip netns); skips without kea-dhcp6 or the built hook.
set -e -u -o pipefail

if [[ -z ${LG_LQ_TIMED:-} ]]; then
	LG_LQ_TIMED=1 exec timeout -k 5 120 bash "$0" "$@"
fi

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/lib.sh
source "$HERE/../lib.sh"
CLIENT=$HERE/lq_client
HOOK=$LG_ROOT/kea/libdhcp_release_request.so
LEASE_CMDS=/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so
CLI=lgqc$$
SRV=lgqs$$

skip() { echo "ok 1 # SKIP $*"; echo "1..1"; exit "$KSFT_SKIP"; }

[[ $EUID -eq 0 ]] || skip "needs root for ip netns"
command -v kea-dhcp6 >/dev/null || skip "kea-dhcp6 is not installed"
command -v ip >/dev/null || skip "ip (iproute2) is not installed"
for bin in jq python3; do
	command -v $bin >/dev/null || skip "$bin is not installed"
done
[[ -f $LEASE_CMDS ]] || skip "Kea's lease_cmds hook is not installed"
[[ -f $HOOK ]] || skip "the Kea hook is not built (kea-dev is not installed)"
for prog in "$CLIENT" "$HERE/release_client"; do
	if [[ ! -x $prog ]]; then
		echo "Bail out! $prog is not built (make -C selftests)"
		exit 1
	fi
done

cleanup() {
	kea_stop
	ip netns del "$CLI" 2>/dev/null || true
	ip netns del "$SRV" 2>/dev/null || true
	[[ -z ${LG_DHCP_DIR:-} || -n ${LG_LQ_KEEP:-} ]] || rm -rf "$LG_DHCP_DIR"
}
trap cleanup EXIT
trap 'echo "# interrupted (time is up?)"; exit 124' TERM INT

REQUESTOR=00:02:00:00:00:09:6c:67
A=00:01:00:01:0a:0a:0a:0a		# an address and a /56 on link 1
B=00:01:00:01:0b:0b:0b:0b		# an address on link 2
C=00:01:00:01:0c:0c:0c:0c		# an address on each link
D=00:01:00:01:0d:0d:0d:0d		# an expired and a declined lease

step "two namespaces, one veth"
for ns in "$CLI" "$SRV"; do
	n ip netns add "$ns"
	n ip -n "$ns" link set lo up
done
n ip -n "$CLI" link add eth0 type veth peer name eth0 netns "$SRV"
n ip -n "$CLI" addr add 2001:db8:f::1/64 dev eth0 nodad
n ip -n "$CLI" addr add 2001:db8:f::9/64 dev eth0 nodad
n ip -n "$SRV" addr add 2001:db8:f::2/64 dev eth0 nodad
n ip -n "$CLI" link set eth0 up
n ip -n "$SRV" link set eth0 up
# Kea opens no socket on an interface that is not running yet.
link_running() { ip -n "$SRV" link show eth0 | grep -q 'LOWER_UP'; }
wait_for -t 10 link_running || { echo "Bail out! the veth pair is not up"; exit 1; }

step "kea-dhcp6 with the hook and lease_cmds, keeping relay information"
dhcp_tmpdir >/dev/null
# kea_start's configuration, and "store-extended-info" (the relays of each
# client's last message, for LQ_RELAY_DATA).
LG_KEA_NS=$SRV LG_DHCP_LINKS="1 2" LG_DHCP_SERVER=2001:db8:f::2 \
LG_KEA_HOOKS="{ \"library\": \"$LEASE_CMDS\" },
    { \"library\": \"$HOOK\", \"parameters\": { \"trusted-relays\": [
        { \"relay-id\": \"$REQUESTOR\", \"address\": \"2001:db8:f::1\" } ] } }" \
	kea_config 600 300 480 |
	sed 's/"Dhcp6": {/"Dhcp6": { "store-extended-info": true,/' \
	>"$LG_DHCP_DIR/kea-dhcp6.conf"
: >"$LG_DHCP_DIR/kea.log"
_dhcp_bg kea "$SRV" "$LG_DHCP_DIR/kea.out" env KEA_PIDFILE_DIR="$LG_DHCP_DIR" \
	KEA_LOCKFILE_DIR="$LG_DHCP_DIR" kea-dhcp6 -c "$LG_DHCP_DIR/kea-dhcp6.conf"
wait_for _kea_up || {
	_dhcp_fail "kea-dhcp6 did not start" "$LG_DHCP_DIR/kea.out"
	echo "Bail out! kea-dhcp6 did not start"
	exit 1
}
check "the hook says it answers leasequery" \
	grep -q "RELEASE_REQUEST_LOADED.*leasequery answered" "$LG_DHCP_DIR/kea.log"

# lease6_add ADDR DUID SUBNET [TYPE PLEN] [EXTRA JSON]: a lease in Kea,
# preferred 300 s, valid 600 s, renewed now (unless EXTRA says otherwise).
lease6_add() {
	local args
	args="{ \"ip-address\": \"$1\", \"duid\": \"$2\", \"iaid\": 7,
		\"subnet-id\": $3, \"preferred-lft\": 300, \"valid-lft\": 600,
		\"type\": \"${4:-IA_NA}\", \"prefix-len\": ${5:-128} ${6:-} }"
	kea_cmd lease6-add "$args" | jq -r .result
}

step "leases: A on link 1 (address and /56), B on 2, C on both, D gone"
added=$(lease6_add 2001:db8:1::1000 $A 1
	lease6_add 2001:db8:100:: $A 1 IA_PD 56
	lease6_add 2001:db8:2::1000 $B 2
	lease6_add 2001:db8:1::1001 $C 1
	lease6_add 2001:db8:2::1001 $C 2
	lease6_add 2001:db8:1::1002 $D 1 IA_NA 128 ", \"expire\": $(($(date +%s) - 10))"
	lease6_add 2001:db8:1::1003 $D 1 IA_NA 128 ", \"state\": 1")
check_eq "Kea took the seven leases" "0 0 0 0 0 0 0" "$(paste -sd ' ' <<<"$added")"

# lq [-b ADDR] [-r DUID] [-l LINK] QUERY...: the reply, its lifetimes
# rounded to tens and a CLT_TIME under 5 s as ~0 (a second or two pass
# between lease6-add and the query).
lq() {
	nsx "$CLI" "$CLIENT" -b 2001:db8:f::1 -w 2000 "$@" | awk '{
		for (i = 1; i <= NF; i++) {
			if (split($i, kv, "=") != 2 || kv[2] !~ /^[0-9]+$/)
				continue
			if (kv[1] == "preferred" || kv[1] == "valid")
				$i = kv[1] "=~" int((kv[2] + 5) / 10) * 10
			else if (kv[1] == "clt_time" && kv[2] < 5)
				$i = "clt_time=~0"
		}
		print }'
}

step "QUERY_BY_ADDRESS"
check_eq "A's address: A's Client Data, all its leases on the link" \
"status=Success text=Success
client=$A clt_time=~0
lease=2001:db8:1::1000 preferred=~300 valid=~600
prefix=2001:db8:100::/56 preferred=~300 valid=~600" \
	"$(lq -r $REQUESTOR -l 2001:db8:1::1 2001:db8:f::2 address 2001:db8:1::1000)"
check_eq "an address in A's delegated prefix: A" \
"status=Success text=Success
client=$A clt_time=~0
lease=2001:db8:1::1000 preferred=~300 valid=~600
prefix=2001:db8:100::/56 preferred=~300 valid=~600" \
	"$(lq -r $REQUESTOR 2001:db8:f::2 address 2001:db8:100:ab::1)"
check_eq "IA_NA and IA_PD in the ORO: the IAIDs too" \
"status=Success text=Success
client=$A clt_time=~0
lease=2001:db8:1::1000 preferred=~300 valid=~600 iaid=7
prefix=2001:db8:100::/56 preferred=~300 valid=~600 iaid=7" \
	"$(lq -i -r $REQUESTOR 2001:db8:f::2 address 2001:db8:1::1000)"
check_eq "A's address asked on link 2: no Client Data" \
	"status=Success text=bound on another link" \
	"$(lq -r $REQUESTOR -l 2001:db8:2::1 2001:db8:f::2 address 2001:db8:1::1000)"
check_eq "an unleased address of a pool: no binding" \
	"status=Success text=no binding" \
	"$(lq -r $REQUESTOR 2001:db8:f::2 address 2001:db8:1::1fff)"
check_eq "an expired lease is not bound" \
	"status=Success text=no binding" \
	"$(lq -r $REQUESTOR 2001:db8:f::2 address 2001:db8:1::1002)"
check_eq "a declined lease is not bound" \
	"status=Success text=no binding" \
	"$(lq -r $REQUESTOR 2001:db8:f::2 address 2001:db8:1::1003)"
check_eq "an address of no subnet: NotConfigured" \
	"status=NotConfigured text=address not in a configured subnet" \
	"$(lq -r $REQUESTOR 2001:db8:f::2 address 2001:db8:77::1)"
check_eq "a link-address of no subnet: NotConfigured" \
	"status=NotConfigured text=no link for 2001:db8:99::1" \
	"$(lq -r $REQUESTOR -l 2001:db8:99::1 2001:db8:f::2 address 2001:db8:1::1000)"

# tcpdump's own DHCPv6 dissector reads the exchange independently of the
# codec: the query and the reply as RFC 5007 lays them out.
if command -v tcpdump >/dev/null; then
	nsx "$CLI" timeout 10 tcpdump -i eth0 -n -vv -s0 -c 2 -l udp port 547 \
		>"$LG_DHCP_DIR/tcpdump.txt" 2>/dev/null &
	dump=$!
	sleep 1
	lq -i -r $REQUESTOR -l 2001:db8:1::1 2001:db8:f::2 address 2001:db8:1::1000 >/dev/null
	wait $dump || true
	# What follows the xid (and the requestor's DUID-EN, which tcpdump
	# does not decode), lifetimes and CLT_TIME as ~.
	decoded() {
		sed -n "s/.* dhcp6 $1 (xid=[0-9a-f]* (client-ID ?) //p" \
			"$LG_DHCP_DIR/tcpdump.txt" |
			sed -E 's/pltime:[0-9]+ vltime:[0-9]+/pltime:~ vltime:~/g;
				s/Clt-time [0-9]+/Clt-time ~/'
	}
	check_eq "tcpdump reads the LEASEQUERY" \
		"(Lease-query by-address 2001:db8:1::1 (IA_ADDR 2001:db8:1::1000 pltime:~ vltime:~) (option-request IA_NA IA_PD)))" \
		"$(decoded leasequery)"
	check_eq "tcpdump reads the LEASEQUERY-REPLY" \
		"(server-ID hwaddr type 1 020000000f02) (status-code Success) (LQ-client-data (client-ID hwaddr/time type 1 time 168430090 ) (IA_ADDR 2001:db8:1::1000 pltime:~ vltime:~) (IA_PD-prefix 2001:db8:100::/56 pltime:~ vltime:~) (IA_NA IAID:7 T1:0 T2:0 (IA_ADDR 2001:db8:1::1000 pltime:~ vltime:~)) (IA_PD IAID:7 T1:0 T2:0 (IA_PD-prefix 2001:db8:100::/56 pltime:~ vltime:~)) (Clt-time ~)))" \
		"$(decoded leasequery-reply)"
else
	ok "tcpdump reads the LEASEQUERY # SKIP tcpdump is not installed"
	ok "tcpdump reads the LEASEQUERY-REPLY # SKIP tcpdump is not installed"
	lq -i -r $REQUESTOR 2001:db8:f::2 address 2001:db8:1::1000 >/dev/null
fi
step "QUERY_BY_CLIENTID"
check_eq "B, on one link: its Client Data" \
"status=Success text=Success
client=$B clt_time=~0
lease=2001:db8:2::1000 preferred=~300 valid=~600" \
	"$(lq -r $REQUESTOR 2001:db8:f::2 client-id $B)"
check_eq "C, on two links: the links (LQ_CLIENT_LINK)" \
"status=Success text=client on 2 links
link=2001:db8:1::
link=2001:db8:2::" \
	"$(lq -r $REQUESTOR 2001:db8:f::2 client-id $C)"
check_eq "C asked again on link 2: that link's lease" \
"status=Success text=Success
client=$C clt_time=~0
lease=2001:db8:2::1001 preferred=~300 valid=~600" \
	"$(lq -r $REQUESTOR -l 2001:db8:2:: 2001:db8:f::2 client-id $C)"
check_eq "D, whose leases are expired and declined: no binding" \
	"status=Success text=no binding" \
	"$(lq -r $REQUESTOR 2001:db8:f::2 client-id $D)"

step "refusals and errors"
check_eq "an untrusted address: NotAllowed" \
	"status=NotAllowed text=NotAllowed" \
	"$(lq -b 2001:db8:f::9 -r $REQUESTOR 2001:db8:f::2 address 2001:db8:1::1000)"
check_eq "an untrusted relay-id from the trusted address: NotAllowed" \
	"status=NotAllowed text=NotAllowed" \
	"$(lq -r 00:02:00:00:00:09:6c:68 2001:db8:f::2 address 2001:db8:1::1000)"
check_eq "query-type 3 (RFC 5460's, not this server's): UnknownQueryType" \
	"status=UnknownQueryType text=UnknownQueryType" \
	"$(lq -r $REQUESTOR 2001:db8:f::2 type 3)"
# LEASEQUERY, xid 0a0b0c, CLIENTID (the requestor), and no LQ_QUERY.
NOQUERY=0e0a0b0c00010008$(tr -d : <<<$REQUESTOR)
check_eq "no LQ_QUERY: MalformedQuery" \
	"status=MalformedQuery text=MalformedQuery" \
	"$(lq 2001:db8:f::2 hex "$NOQUERY")"
check_eq "a truncated LEASEQUERY: no answer" "no reply" \
	"$(lq -w 500 2001:db8:f::2 hex "${NOQUERY:0:20}")"
check_eq "for another server: no answer" "no reply" \
	"$(lq -w 500 2001:db8:f::2 hex "${NOQUERY}0002000a0003000102000000ff02")"

step "a RELEASE-REQUEST through the same hook, then LEASEQUERY again"
# RELEASE-REQUEST (240), xid aabbcc: Kea's Server-Id, the requestor's DUID
# as Relay-Id, and a Client Data naming B alone: all of B's leases.
RR=f0aabbcc0002000a00030001020000000f0200350008$(tr -d : <<<$REQUESTOR)
RR+=002d000c00010008$(tr -d : <<<$B)
check_eq "Kea releases B (RELEASE-REQUEST-REPLY, Success)" \
	"from=2001:db8:f::2 port=547 hex=f1aabbcc0002000a00030001020000000f02000d0009000053756363657373" \
	"$(nsx "$CLI" "$HERE/release_client" -b 2001:db8:f::1 -P 547 -n 1 -w 2000 \
		2001:db8:f::2 547 "$RR")"
check_eq "B asked again: no binding" "status=Success text=no binding" \
	"$(lq -r $REQUESTOR 2001:db8:f::2 client-id $B)"
check_eq "pkt6-release-request-reply-sent" 1 \
	"$(kea_stat pkt6-release-request-reply-sent)"

step "a client of Kea's own, through a relay: the relay data"
# A REQUEST from E (DUID-LL 02:00:00:00:00:bc, IA_NA 1) in the RELAY-FORW
# of a relay on link 1 (link-address 2001:db8:1::1, Interface-Id "acc0"),
# sent by the requestor's address as that relay would. Kea leases E an
# address (D's expired 2001:db8:1::1002, the first free one) and keeps the
# relay's part of the message.
E=00:03:00:01:02:00:00:00:00:bc
REQUEST=031122330001000a$(tr -d : <<<$E)0002000a00030001020000000f02
REQUEST+=0003000c000000010000000000000000
RELAY=0c0020010db8000100000000000000000001fe8000000000000000000000000000bc
RELAY+=00120004616363300009$(printf %04x $((${#REQUEST} / 2)))$REQUEST
check_eq "Kea answers E's relayed REQUEST (a RELAY-REPL)" \
	"from=2001:db8:f::2 port=547 hex=0d00" \
	"$(nsx "$CLI" "$HERE/release_client" -b 2001:db8:f::1 -P 547 -n 1 \
		-w 2000 2001:db8:f::2 547 "$RELAY" | cut -c1-36)"
check_eq "E's lease with its IAID and the relay data (RFC 5007 4.1.2.4)" \
"status=Success text=Success
client=$E clt_time=~0
lease=2001:db8:1::1002 preferred=~600 valid=~600 iaid=1
relay_data peer=fe80::bc msg=0c0020010db8000100000000000000000001fe8000000000000000000000000000bc0012000461636330" \
	"$(lq -i -o 47 -r $REQUESTOR 2001:db8:f::2 client-id $E)"
check_eq "not asked for, no relay data" \
"status=Success text=Success
client=$E clt_time=~0
lease=2001:db8:1::1002 preferred=~600 valid=~600" \
	"$(lq -r $REQUESTOR 2001:db8:f::2 client-id $E)"

step "Kea's statistics and log"
check_eq "pkt6-leasequery-received" 23 "$(kea_stat pkt6-leasequery-received)"
check_eq "pkt6-leasequery-reply-sent" 21 "$(kea_stat pkt6-leasequery-reply-sent)"
check_eq "pkt6-leasequery-refused" 2 "$(kea_stat pkt6-leasequery-refused)"
check_eq "pkt6-leasequery-discarded" 2 "$(kea_stat pkt6-leasequery-discarded)"
check_eq "each answer logged" 21 \
	"$(grep -cE 'LEASEQUERY_(ANSWERED|REFUSED)' "$LG_DHCP_DIR/kea.log")"
check_eq "Kea's leases: not B's (released), E's instead of D's expired one" 6 \
	"$(kea_cmd lease6-get-all | jq '.arguments.leases | length')"
check "Kea is alive" kill -0 "$(<"$LG_DHCP_DIR/kea.bgpid")"

tap_done
