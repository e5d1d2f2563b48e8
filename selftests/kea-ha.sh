#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A relay-initiated release on one Kea of a hot-standby HA pair reaches
# the other. Two kea-dhcp6, each with libdhcp_ha.so and lease_cmds, each
# behind its kea-ctrl-agent (Kea 2.2's HA talks to its partner's agent),
# and leaseguard's hook (kea/libdhcp_release_request.so) on both, which
# takes its peers from HA's own configuration:
#
#   sub (dhclient) -- acc0 rtr (dhcrelay) up0 -- srv:  server1, primary, 2001:db8:f::2
#                              up1 -------- srv2: server2, standby, 2001:db8:e::2
#
# The story: a client gets its address and prefix through the primary, and
# HA copies them to the standby. A RELEASE-REQUEST to the primary releases
# them there, and the hook sends the standby the lease6-bulk-apply with
# "deleted-leases" that HA would send: both servers say the leases are
# gone (lease6-get through each one's control agent). A RELEASE-REQUEST
# to the standby, which HA keeps from serving clients, is answered too,
# and the primary loses the leases. With the standby down, the primary's
# hook queues the deletion and retries; the standby, started again with
# the leases still in its lease file, loses them when the retry gets
# through. The hook is listed before libdhcp_ha.so on the primary and
# after it on the standby: either order works.
#
# Then leaseguardd on rtr, with both servers in its release-fallback list
# (failover.rst, "The server pair"): a client's leases come from the
# primary through the relay, and the primary dies (kea-dhcp6 and its
# agent stopped). An administrator's release goes to the primary four
# times, then to the standby with the standby's DUID; the standby's hook
# releases the leases the primary granted, answers, and queues the
# deletion for the primary. The primary, started again with the leases in
# its lease file, loses them when the queued deletion gets through: HA's
# sync on its restart copies the standby's leases and deletes none, so it
# cannot bring them back.

set -e
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
for bin in kea-dhcp6 kea-ctrl-agent dhcrelay dhclient jq curl; do
	command -v $bin >/dev/null || skip_all "$bin is not installed"
done
HOOK=$LG_ROOT/kea/libdhcp_release_request.so
RC=$LG_ROOT/selftests/host/release_client
[[ -x $RC ]] || skip_all "release_client is not built"
LGD=$LG_ROOT/agent/leaseguardd/leaseguardd	# step 6, with the module
[[ -e $HOOK ]] || skip_all "the Kea hook is not built (kea-dev is not installed)"
HA_LIB="" LEASE_CMDS=""
for f in /usr/lib/*/kea/hooks/libdhcp_ha.so; do [[ -e $f ]] && HA_LIB=$f; done
for f in /usr/lib/*/kea/hooks/libdhcp_lease_cmds.so; do [[ -e $f ]] && LEASE_CMDS=$f; done
[[ -n $HA_LIB && -n $LEASE_CMDS ]] || skip_all "Kea's libdhcp_ha.so or libdhcp_lease_cmds.so is missing"

DIR_A=$(dhcp_tmpdir)		# server1, the relay, the client
DIR_B=$(mktemp -d /tmp/lg-dhcp.XXXXXX)	# server2
chmod 755 "$DIR_B"

cleanup() {
	set +e
	[[ -n ${LGDPID:-} ]] && kill "$LGDPID" 2>/dev/null && wait "$LGDPID"
	LG_DHCP_DIR=$DIR_B dhcp_cleanup
	LG_DHCP_DIR=$DIR_A dhcp_cleanup
	ip netns del srv2 2>/dev/null
	topology_down
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

RELAY_ID=00:02:00:00:00:09:6c:67
DUID1=00:03:00:01:02:00:00:00:0f:02	# server1's server-id (DUID-LL)
DUID2=00:03:00:01:02:00:00:00:0f:03	# server2's
URL1="http://[2001:db8:f::2]:8000/"
URL2="http://[2001:db8:e::2]:8000/"
# The same, for grep's patterns
URL1_RE='http://\[2001:db8:f::2\]:8000/'
URL2_RE='http://\[2001:db8:e::2\]:8000/'

# server 1|2: sets what lib.sh's Kea helpers need for that server.
server() {
	if [[ $1 == 1 ]]; then
		LG_DHCP_DIR=$DIR_A LG_KEA_NS=srv ADDR=2001:db8:f::2 NAME=server1
		LG_KEA_SERVER_ID=020000000f02
	else
		LG_DHCP_DIR=$DIR_B LG_KEA_NS=srv2 ADDR=2001:db8:e::2 NAME=server2
		LG_KEA_SERVER_ID=020000000f03
	fi
	LG_KEA_INTERFACES="\"eth0/$ADDR\""
}

ha_lib() {
	cat <<EOF
{ "library": "$HA_LIB", "parameters": { "high-availability": [ {
    "this-server-name": "$1", "mode": "hot-standby",
    "heartbeat-delay": 2000, "max-response-delay": 6000,
    "max-ack-delay": 2000, "max-unacked-clients": 0, "sync-timeout": 60000,
    "peers": [
        { "name": "server1", "url": "$URL1", "role": "primary", "auto-failover": true },
        { "name": "server2", "url": "$URL2", "role": "standby", "auto-failover": true }
    ] } ] } }
EOF
}

# kea_ha_start 1|2: kea-dhcp6 with lease_cmds, our hook and HA (ours
# first on server1, HA first on server2), and its control agent.
kea_ha_start() {
	local ours ha
	server "$1"
	ours="{ \"library\": \"$HOOK\", \"parameters\": { \"trusted-relays\": [ { \"relay-id\": \"$RELAY_ID\" } ] } }"
	ha=$(ha_lib "$NAME")
	if [[ $1 == 1 ]]; then
		LG_KEA_HOOKS="{ \"library\": \"$LEASE_CMDS\" }, $ours, $ha"
	else
		LG_KEA_HOOKS="{ \"library\": \"$LEASE_CMDS\" }, $ha, $ours"
	fi
	# kea_start empties kea.log: keep what a restarted server logged.
	[[ ! -s $LG_DHCP_DIR/kea.log ]] || cat "$LG_DHCP_DIR/kea.log" >>"$LG_DHCP_DIR/kea-before.log"
	# The agent first, to start while kea-dhcp6 does (it opens kea's
	# socket for each command only): seconds less per start under TCG.
	cat >"$LG_DHCP_DIR/ca.conf" <<EOF
{ "Control-agent": {
    "http-host": "$ADDR", "http-port": 8000,
    "control-sockets": { "dhcp6": { "socket-type": "unix",
                                    "socket-name": "$LG_DHCP_DIR/kea6-ctrl.sock" } },
    "loggers": [ { "name": "kea-ctrl-agent", "severity": "INFO",
                   "output_options": [ { "output": "$LG_DHCP_DIR/ca.log", "flush": true } ] } ]
} }
EOF
	: >"$LG_DHCP_DIR/ca.log"
	_dhcp_bg ca "$LG_KEA_NS" "$LG_DHCP_DIR/ca.out" env KEA_PIDFILE_DIR="$LG_DHCP_DIR" \
		KEA_LOCKFILE_DIR="$LG_DHCP_DIR" kea-ctrl-agent -c "$LG_DHCP_DIR/ca.conf"
	LG_KEA_HOOKS=$LG_KEA_HOOKS kea_start 600 300 480
	wait_for grep -q CTRL_AGENT_HTTP_SERVICE_STARTED "$LG_DHCP_DIR/ca.log" ||
		_dhcp_fail "kea-ctrl-agent did not start" "$LG_DHCP_DIR/ca.log"
	server 1
}

# kea_ha_stop 1|2: the server and its agent.
kea_ha_stop() {
	server "$1"
	_dhcp_kill ca
	_dhcp_kill kea
	server 1
}

# ca 1|2 COMMAND [ARGUMENTS]: a command to server N's kea-dhcp6, through
# its control agent over HTTP, as HA sends its own; prints the answer.
ca() {
	local ns=srv url=$URL1 body
	[[ $1 == 1 ]] || { ns=srv2; url=$URL2; }
	body="{ \"command\": \"$2\", \"service\": [ \"dhcp6\" ]${3:+, \"arguments\": $3} }"
	ip netns exec $ns curl -s -m 5 -H 'Content-Type: application/json' \
		-d "$body" "$url"
}

# ha_state N: server N's HA state (ha-heartbeat).
ha_state() { ca "$1" ha-heartbeat | jq -r '.[0].arguments.state // empty'; }

# has N TYPE ADDR: whether server N has the lease (lease6-get's result 0;
# 3 is "not found").
lease_result() {
	ca "$1" lease6-get "{ \"type\": \"$2\", \"ip-address\": \"$3\" }" | jq '.[0].result'
}
has() { [[ $(lease_result "$@") == 0 ]]; }
hasnt() { [[ $(lease_result "$@") == 3 ]]; }

# A RELEASE-REQUEST for every lease of a DUID, to server N's DUID.
hexlen() { printf %04x $(( ${#1} / 2 )); }
release_request() {	# XID N DUID
	local id sid=00030001020000000f0$(($2 + 1))
	id="0001$(hexlen "$(tr -d : <<<"$3")")$(tr -d : <<<"$3")"
	echo "f0$1""0002000a${sid}00350008$(tr -d : <<<"$RELAY_ID")002d$(hexlen "$id")$id"
}
# release N DUID: sends it from rtr to server N; prints the reply's hex.
release() {
	local dst=2001:db8:f::2
	[[ $1 == 1 ]] || dst=2001:db8:e::2
	ip netns exec rtr "$RC" -b 2001:db8:f::1 -n 1 -w 5000 "$dst" 547 \
		"$(release_request "$(printf %06x $((RANDOM * 7)))" "$1" "$2")" |
		sed -n 's/.*hex=//p'
}

# the client's leases: NA and PD addresses (without /PLEN)
client_leases() {
	NA=$(client_lease sub eth0 na) PD=$(client_lease sub eth0 pd)
	NA=${NA%/*} PD=${PD%/*}
}

# both_gone: neither server has the client's leases; prints how long that
# took (a figure, not a pass/fail).
both_gone() {
	local t0=$SECONDS what=$1
	wait_for -t "${2:-30}" eval 'hasnt 1 IA_NA $NA && hasnt 1 IA_PD $PD && hasnt 2 IA_NA $NA && hasnt 2 IA_PD $PD' &&
		echo "# $what: gone from both servers within $((SECONDS - t0)) s"
}

step "The topology, a second server's namespace behind rtr."
topology_up
n ip netns add srv2
nsx srv2 sysctl -qw net.ipv6.conf.default.router_solicitations=0 \
	net.ipv6.conf.default.accept_dad=0
n ip -n srv2 link set lo up
n ip -n rtr link add up1 address 02:00:00:00:0e:01 type veth \
	peer name eth0 netns srv2 address 02:00:00:00:0e:02
n ip -n rtr addr add 2001:db8:e::1/64 dev up1 nodad
n ip -n srv2 addr add 2001:db8:e::2/64 dev eth0 nodad
n ip -n rtr neigh add 2001:db8:e::2 lladdr 02:00:00:00:0e:02 dev up1 nud permanent
n ip -n srv2 neigh add 2001:db8:e::1 lladdr 02:00:00:00:0e:01 dev eth0 nud permanent
n ip -n rtr link set up1 up
n ip -n srv2 link set eth0 up
n ip -n srv2 route add default via 2001:db8:e::1
n ip -n srv route add 2001:db8:e::/64 via 2001:db8:f::1
# Kea opens no socket on an interface that is not yet running (the
# kernel sets that a moment after "up").
wait_for eval 'ip -n srv2 link show eth0 | grep -q "state UP"'

# kea-ha-tls.sh sources this far: the functions and the topology.
[[ -z ${LG_KEA_HA_SOURCED:-} ]] || return 0

step "1. Two Keas in hot-standby, each with the hook, which takes HA's peers."
kea_ha_start 1
kea_ha_start 2
check "server1's hook sends to server2" grep -q \
	"RELEASE_REQUEST_HA_PEERS releases are sent to the HA peers server2 $URL2_RE (libdhcp_ha.so's peers)" \
	"$DIR_A/kea.log"
check "server2's hook sends to server1" grep -q \
	"RELEASE_REQUEST_HA_PEERS releases are sent to the HA peers server1 $URL1_RE (libdhcp_ha.so's peers)" \
	"$DIR_B/kea.log"
wait_for -t 120 is hot-standby ha_state 1
wait_for -t 120 is hot-standby ha_state 2
echo "# [${SECONDS}s] both in hot-standby"

step "2. A client's leases through the primary; HA copies them to the standby."
server 1
relay_start acc0
client_start sub eth0
SUB=$(client_duid sub eth0)
client_leases
check "server1 has the address $NA" has 1 IA_NA "$NA"
check "and the prefix $PD" has 1 IA_PD "$PD"
check "server2 has the address (HA's lease update)" wait_for has 2 IA_NA "$NA"
check "and the prefix" wait_for has 2 IA_PD "$PD"

step "3. A RELEASE-REQUEST to the primary: both servers let the leases go."
REPLY=$(release 1 "$SUB")
check_eq "server1 answers: a RELEASE-REQUEST-REPLY" f1 "${REPLY:0:2}"
check "server1's hook released 2 leases" grep -q \
	"RELEASE_REQUEST_PROCESSED .*1 clients, 2 leases released, 0 clients failed" "$DIR_A/kea.log"
check "neither server has them (lease6-get through each agent)" both_gone "released at the primary"
check "server1 logged server2's answer" grep -q \
	"RELEASE_REQUEST_HA_SENT HA peer server2 took the released leases: result 0" "$DIR_A/kea.log"
check_eq "Kea's core saw no unknown message" "" \
	"$(grep -h DHCP6_UNKNOWN_MSG_RECEIVED "$DIR_A/kea.log" "$DIR_B/kea.log" || true)"

step "4. A RELEASE-REQUEST to the standby, for leases the primary granted."
client_stop sub eth0
client_start sub eth0
client_leases
check "server2 has the new address $NA" wait_for has 2 IA_NA "$NA"
check_eq "server2 is the standby" hot-standby "$(ha_state 2)"
REPLY=$(release 2 "$SUB")
check_eq "server2 answers: a RELEASE-REQUEST-REPLY" f1 "${REPLY:0:2}"
check "server2's hook released 2 leases" grep -q \
	"RELEASE_REQUEST_PROCESSED .*1 clients, 2 leases released, 0 clients failed" "$DIR_B/kea.log"
check "neither server has them" both_gone "released at the standby"
check "server2 logged server1's answer" grep -q \
	"RELEASE_REQUEST_HA_SENT HA peer server1 took the released leases: result 0" "$DIR_B/kea.log"

step "5. The standby down: the primary queues the deletion, and it gets through later."
client_stop sub eth0
client_start sub eth0
client_leases
check "server2 has the new address $NA" wait_for has 2 IA_NA "$NA"
kea_ha_stop 2
REPLY=$(release 1 "$SUB")
check_eq "server1 answers: a RELEASE-REQUEST-REPLY" f1 "${REPLY:0:2}"
check "server1 has let them go" wait_for eval 'hasnt 1 IA_NA $NA && hasnt 1 IA_PD $PD'
check "server1's hook retries server2" wait_for grep -q \
	"RELEASE_REQUEST_HA_FAILED HA peer server2 ($URL2_RE) did not take the released leases: connect: .*1 commands queued" \
	"$DIR_A/kea.log"
check "server2's lease file still has the address" \
	eval '(server 2; kea_leases) | grep -q "^NA $NA/128 "'
# A retry before it is back (the hook retries 1, 2, 4, 8, 16 s apart).
check "and retries it" wait_for grep -q \
	"RELEASE_REQUEST_HA_FAILED HA peer server2 .*1 commands queued, failure 2," "$DIR_A/kea.log"
T0=$SECONDS
kea_ha_start 2
check "the queued deletion reaches server2" both_gone "queued while the standby was down" 90
echo "# the standby's restart to both gone: $((SECONDS - T0)) s"
check "server1 logged server2 back" grep -q \
	"RELEASE_REQUEST_HA_BACK HA peer server2 answers again" "$DIR_A/kea.log"
check "server1 logged no queue overflow" bash -c "! grep -q RELEASE_REQUEST_HA_QUEUE_FULL $DIR_A/kea.log"
wait_for -t 120 is hot-standby ha_state 1
check "the pair is back in hot-standby" wait_for -t 120 is hot-standby ha_state 2
check_eq "no error in server1's log" "" "$(grep ' ERROR ' "$DIR_A/kea.log" || true)"

step "6. leaseguardd: the primary dies; the release falls back to the standby, whose deletion waits for the primary."
if [[ ! -e $LG_ROOT/kmod/leaseguard.ko || ! -x $LGD ]]; then
	tap_skip "6. release-fallback to the standby" "the module or leaseguardd is not built"
	tap_done
	exit 0
fi
T6=$SECONDS
n insmod "$LG_ROOT/kmod/leaseguard.ko"
cat >"$DIR_A/lgd.conf" <<EOF
relay-id $RELAY_ID
control-socket $DIR_A/lgd.sock
store $DIR_A/bindings.db
interface * release-fallback 2001:db8:f::2=$DUID1,2001:db8:e::2=$DUID2
interface acc0 role access
interface up0 role upstream
interface up1 role upstream
EOF
printf '# [rtr] leaseguardd -c %s &\n' "$DIR_A/lgd.conf"
ip netns exec rtr "$LGD" -c "$DIR_A/lgd.conf" >"$DIR_A/lgd.log" 2>&1 &
LGDPID=$!
wait_for -t 20 grep -q "sync:" "$DIR_A/lgd.log"
lg() { ip netns exec rtr "$LGCTL" "$@"; }
bindings() { lg -j binding show dev acc0; }
counter() { lg -j release show socket "$DIR_A/lgd.sock" | jq ".stats.$1"; }
client_stop sub eth0
client_start sub eth0
client_leases
wait_for is 2 eval 'bindings | jq length'
check_eq "the bindings' server is the primary" "$DUID1" \
	"$(bindings | jq -r '[.[].server_duid] | unique | join(" ")')"
check "server2 has the address (HA's lease update)" wait_for has 2 IA_NA "$NA"
check "and the prefix" wait_for has 2 IA_PD "$PD"
kea_ha_stop 1
T0=$SECONDS
OUT=$(n lg -j binding release dev acc0 socket "$DIR_A/lgd.sock" timeout 60) && rc=0 || rc=$?
echo "# the release took $((SECONDS - T0)) s: $(jq -c '[.[] | {outcome, status, server, attempts, ms}]' <<<"$OUT")"
field() { jq -r "[.[].$1] | unique | join(\" \")" <<<"$OUT"; }
check_eq "both bindings released (Success) by server2, exit 0" \
	"0 2 released Success 2001:db8:e::2" \
	"$rc $(jq length <<<"$OUT") $(field outcome) $(field status) $(field server)"
check "server2's hook released the 2 leases server1 granted" grep -q \
	"RELEASE_REQUEST_PROCESSED RELEASE-REQUEST from 2001:db8:e::1 .*1 clients, 2 leases released, 0 clients failed" \
	"$DIR_B/kea.log"
check "and queues their deletion for server1" wait_for grep -q \
	"RELEASE_REQUEST_HA_FAILED HA peer server1 ($URL1_RE) did not take the released leases: connect: .*1 commands queued" \
	"$DIR_B/kea.log"
check "server1's lease file still has the address" \
	eval 'kea_leases | grep -q "^NA $NA/128 "'
# The primary back at once: the hook's next retry (1, 2, 4, 8 s... after
# the first try) finds it; what leaseguardd says is checked meanwhile.
T1=$SECONDS
kea_ha_start 1
echo "# server1 started again in $((SECONDS - T1)) s"
check_eq "leaseguardd's bindings are gone" 0 "$(bindings | jq length)"
check_eq "counted: alternate 1, alternate_replies 1" \
	"1 1" "$(counter alternate) $(counter alternate_replies)"
check "the log says the primary was silent" grep -q \
	"RELEASE-REQUEST xid [0-9a-f]* to 2001:db8:f::2: no reply after 4 transmissions; 2 bindings go to the alternate server 2001:db8:e::2" \
	"$DIR_A/lgd.log"
check "and that the standby answered" grep -q \
	"RELEASE-REQUEST-REPLY xid [0-9a-f]* from the alternate server 2001:db8:e::2: Success" \
	"$DIR_A/lgd.log"
check "the queued deletion reaches server1" both_gone "queued while the primary was down" 90
echo "# the primary's restart to both gone: $((SECONDS - T1)) s"
check "server2 logged server1 back" grep -q \
	"RELEASE_REQUEST_HA_BACK HA peer server1 answers again" "$DIR_B/kea.log"
check "server1's lease file has lost the address" \
	eval '! kea_leases | grep -q "^NA $NA/128 "'
# What HA did on the primary's restart, and when the deletion came.
grep -h -e HA_STATE_TRANSITION -e HA_SYNC_SUCCESSFUL -e HA_LEASES_SYNC \
	-e "COMMAND_RECEIVED.*lease6-bulk-apply" "$DIR_A/kea.log" | sed 's/^/# server1: /' || true
grep -h -e "HA_STATE_TRANSITION.*PARTNER-DOWN state" -e "HA peer server1" "$DIR_B/kea.log" |
	tail -n 4 | sed 's/^/# server2: /' || true
check_eq "no error in server2's log" "" "$(grep ' ERROR ' "$DIR_B/kea.log" || true)"
echo "# step 6 took $((SECONDS - T6)) s"

tap_done
