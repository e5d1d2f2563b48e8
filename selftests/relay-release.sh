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
# 1, 2, 4 and 8 s apart, then the binding is bound again (or, with
# release-fallback, the next server gets the request, with its DUID, and
# answers); a dropped request
# is retransmitted after about a second, bogus replies are ignored and
# counted, and the real reply deletes the binding and its routes, after
# which source validation drops the old address. Then each trigger in turn:
# the subscriber's link goes down; it stops answering neighbor
# solicitations; its DUID is bound on another interface ("moved"), which
# releases nothing while it still answers at its old place (RFC 7513:
# another subscriber can replay its DUID) and releases it once it does
# not; and it is replaced by another client on a single-subscriber
# interface.
#
# Along the way, "lgctl binding release" waits for each binding's outcome
# (leaseguardd's, on its control socket): refused with the status's name,
# timed out after the four transmissions, NoBinding, Success (exit 0, the
# others 1), "-j" for jq, "not sent" where the trigger is not enabled,
# "nowait" at once, and without leaseguardd a line that says nobody will
# send the request. "lgctl -s link show" has a line per counter group.

set -e
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $LG_ROOT/kmod/leaseguard.ko ]] || skip_all "kmod/leaseguard.ko is not built"
for bin in kea-dhcp6 dhcrelay dhclient jq; do
	command -v $bin >/dev/null || skip_all "$bin is not installed"
done
LGD=$LG_ROOT/agent/leaseguardd/leaseguardd
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
# lgctl ARGS... socket OUR-DAEMON'S: "binding release" waits on it.
lgs() { lg "$@" socket "$DIR/lgd.sock"; }
# release_lines OUTCOME [DEV]: what "binding release" prints for each binding
# of JSON (sorted by ID) that ended so.
release_lines() {
	jq -r --arg o "$1" --arg d "${2:-acc0}" \
		'sort_by(.id)[] | "binding \(.id) \($d) \(.ia_type) iaid \(.iaid): \($o)"' <<<"$JSON"
}
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
rs_stop() {
	[[ -z ${DIR:-} ]] || { _dhcp_kill release-server; _dhcp_kill release-server2; }
}
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
state() { bindings "$@" | jq -r '[.[].state] | unique | join(" ")'; }

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
store $DIR/bindings.db
interface * release all
interface * release-server $RELEASE_SERVER
interface * link-down-hold 2
interface * unreachable-hold 2
interface acc0 single-subscriber yes
interface acc2 release moved
EOF
check "the configuration checks out" "$LGD" -c "$DIR/lgd.conf" -t
printf '# [rtr] leaseguardd -c %s &\n' "$DIR/lgd.conf"
ip netns exec rtr "$LGD" -c "$DIR/lgd.conf" >"$DIR/lgd.log" 2>&1 &
LGDPID=$!
wait_for -t 20 grep -q "sync:" "$DIR/lgd.log"

step "0. lgctl -s link show: a line per counter group, under the link."
n ip -n rtr link add lgs0 index 40 type veth peer name lgs1
lg link set dev lgs0 role access
check_eq "a new access link's counters, all 0" "$(lg link show dev lgs0)
    rx: packets 0 bytes 0
    dhcp6: snooped 0 bindings-limited 0
    savi: passed 0 monitored 0
    savi drop: source 0 unspecified 0 mac 0
    savi miss: sent 0 repeated 0 limited 0
    shield drop: server 0 release 0 hidden 0
    release-forward: drop 0
    mcast: reports 0 query-drop 0 groups-limited 0 sources-limited 0
    mcast host: limited 0
    mcast ssm: asm-ignored 0
    mcast forward: passed 0 drop 0" "$(lg -s link show dev lgs0)"
check_eq "-j: the same flat stats object as before" \
	"rx_packets rx_bytes dhcp6_snooped bindings_limited savi_passed savi_drop_source savi_drop_unspecified savi_drop_mac savi_monitored shield_drop_server shield_drop_release shield_drop_hidden release_fwd_drop mc_reports mc_query_drop mc_groups_limited mc_sources_limited mc_fwd_passed mc_fwd_drop mc_host_limited mc_ssm_asm_ignored savi_miss_sent savi_miss_repeated savi_miss_limited" \
	"$(lg -j -s link show dev lgs0 | jq -r '.[0].stats | keys_unsorted | join(" ")')"
n ip -n rtr link del lgs0

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
rc=0
OUT=$(lgs binding release dev acc0) || rc=$?
check_eq "lgctl waits, and prints each binding refused with the status's name" \
	"$(release_lines "refused (NotAllowed, status 10), stays bound")" "$OUT"
check_eq "and exits 1" 1 "$rc"
wait_for is 1 rs_rx
wait_for is 2 counter refused
wait_for is bound state
check "the daemon says why" grep -q "refused the release (NotAllowed)" "$DIR/lgd.log"
check_eq "the routes stay" 2 "$(ip -n rtr -6 route show proto 200 | wc -l)"

step "3. A silent server: 4 transmissions, 1, 2, 4, 8 s apart (+-10% each), then bound again."
rs_start --silent
# lgctl waits (in the background) while the story goes on
printf '# [+] lgctl -j binding release dev acc0 wait socket %s &\n' "$DIR/lgd.sock"
(
	rc=0
	lgs -j binding release dev acc0 wait >"$DIR/wait3.json" 2>"$DIR/wait3.err" || rc=$?
	echo $rc >"$DIR/wait3.rc"
) &
WAIT3=$!
wait_for atleast 1 rs_rx
check_eq "lgctl release show lists the request" \
	"$(rs_field 1 xid) 2" \
	"$(lg -j release show socket "$DIR/lgd.sock" | jq -r '.requests[0] | "\(.xid) \(.count)"')"
check_eq "the bindings are releasing (admin)" "releasing" "$(state)"
wait_for -t 40 is 2 counter timed_out
check_eq "four transmissions" 4 "$(rs_rx)"
check_eq "one transaction-id" 1 "$(grep '^rx ' "$DIR/rs.log" | tr ' ' '\n' | grep '^xid=' | sort -u | wc -l)"
t1=$(rs_field 1 t) t2=$(rs_field 2 t) t3=$(rs_field 3 t) t4=$(rs_field 4 t)
# RT1 = IRT(1 +- 0.1), RTn = RTn-1 (2 +- 0.1): late by scheduling, never early,
# but the server stamps each request when it reads it, and a first request read
# late makes the gap look short (899.8 ms once in CI): 50 ms of slack for that.
check "RT1 is 0.9..1.1 s (-0.05 +0.3)" \
	awk -v a="$t1" -v b="$t2" 'BEGIN { d = b - a; exit !(d >= 850 && d <= 1400) }'
check "RT2 is 1.9..2.1 RT1" \
	awk -v a="$t1" -v b="$t2" -v c="$t3" 'BEGIN { r = (c - b) / (b - a); exit !(r >= 1.75 && r <= 2.3) }'
check "RT3 is 1.9..2.1 RT2" \
	awk -v a="$t2" -v b="$t3" -v c="$t4" 'BEGIN { r = (c - b) / (b - a); exit !(r >= 1.75 && r <= 2.3) }'
wait_for is bound state
check_eq "nothing outstanding" 0 "$(lg -j release show socket "$DIR/lgd.sock" | jq '.requests | length')"
wait $WAIT3
check_eq "the waiting lgctl exits 1" "1" "$(cat "$DIR/wait3.rc")"
check_eq "-j: both timed out after 4 transmissions, stay bound, no status" \
	"$(jq -c '[sort_by(.id)[] | [.id, "acc0", .ia_type, "timed-out", 4, false, null]]' <<<"$JSON")" \
	"$(jq -c '[.[] | [.id, .ifname, .ia_type, .outcome, .attempts, .cleared, .status]]' "$DIR/wait3.json")"
check "-j: the transaction-id the server saw, and its address" \
	jq -e --arg x "$(rs_field 1 xid)" --arg s $RELEASE_SERVER \
	'all(.xid == $x and .server == $s)' "$DIR/wait3.json"
check_eq "nothing on stderr" "" "$(cat "$DIR/wait3.err")"

step "4. One request dropped, bogus replies, then NoBinding per IA: the bindings go."
rs_start --drop 1 --bogus --ia-status 3
rc=0
OUT=$(lgs binding release dev acc0) || rc=$?
check_eq "lgctl prints each binding released, NoBinding" \
	"$(release_lines "released (NoBinding)")" "$OUT"
check_eq "and exits 1: the server had nothing to release" 1 "$rc"
wait_for is 2 rs_rx
check "RT1 again 0.9..1.1 s (-0.05 +0.3)" \
	awk -v a="$(rs_field 1 t)" -v b="$(rs_field 2 t)" 'BEGIN { d = b - a; exit !(d >= 850 && d <= 1400) }'
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
check_eq "-s link show: the drops on their line, as -j counts them" \
	"$(lg -j link show dev acc0 | jq -r '.[0].stats | "    savi drop: source \(.savi_drop_source) unspecified \(.savi_drop_unspecified) mac \(.savi_drop_mac)"')" \
	"$(lg -s link show dev acc0 | grep '^    savi drop:')"
check_eq "-s link show: a counter line per group, each within 80 columns" "11 0" \
	"$(lg -s link show dev acc0 | tail -n +2 | awk 'length > 80 { long++ } END { print NR, long + 0 }')"

# relearn: the client, stopped and started, gets its leases again from Kea
relearn() {
	client_stop sub eth0
	client_start sub eth0
	wait_for is 2 nbindings
}

step "7. Success: lgctl prints it for each binding and exits 0; -j; nowait."
rs_start
relearn
JSON=$(bindings)
rc=0
OUT=$(lgs binding release dev acc0) || rc=$?
check_eq "each binding released, Success" \
	"$(release_lines "released (Success)")" "$OUT"
check_eq "exit 0" 0 "$rc"
check_eq "the bindings are gone" 0 "$(nbindings)"
relearn
JSON=$(bindings)
rc=0
OUT=$(lgs -j binding release dev acc0) || rc=$?
check_eq "-j: an array of {id, outcome, status, status_code...}, exit 0" \
	"0 $(jq -c '[sort_by(.id)[] | [.id, "acc0", .ia_type, .iaid, "released", "Success", 0, 1]]' <<<"$JSON")" \
	"$rc $(jq -c '[.[] | [.id, .ifname, .ia_type, .iaid, .outcome, .status, .status_code, .attempts]]' <<<"$OUT")"
relearn
# The server answers only what comes 5 s after the first request: the
# fourth transmission, 7 s on, whether the two bindings went in one
# request or two. Started before, so that no step of the story races the
# retransmissions (a debug kernel takes up to 3 s to run lgctl once).
rs_start --drop-for 5
t0=$(date +%s%N)
rc=0
OUT=$(lg binding release dev acc0 nowait 2>&1) || rc=$?
t1=$(date +%s%N)
answered=$(grep -c '^tx .*kind=reply' "$DIR/rs.log" || true)
check_eq "nowait: exit 0, prints nothing" "0 " "$rc $OUT"
check_eq "nowait: returns before the outcome (no reply yet, after $(((t1 - t0) / 1000000)) ms)" \
	0 "$answered"
wait_for is 0 nbindings
check "the release went on without lgctl: dropped first, then answered" \
	eval '(($(grep -c "^drop " "$DIR/rs.log") >= 1 &&
		$(grep -c "^tx .*kind=reply" "$DIR/rs.log") >= 1))'

step "7b. release-fallback: the lease's server is silent, the list's next answers."
ALT_SERVER=2001:db8:f::4 ALT_SID=00030001020000000f04
n ip -n srv addr add $ALT_SERVER/64 dev eth0 nodad
rs_start --silent
: >"$DIR/rs2.log"
# -s: it answers only a request with its own DUID as the Server Identifier
_dhcp_bg release-server2 srv "$DIR/rs2.out" "$RS" -a $ALT_SERVER -s $ALT_SID \
	-o "$DIR/rs2.log"
wait_for grep -qs '^ready' "$DIR/rs2.log"
# the lease's server listed too (the same line on both routers): skipped;
# acc0, which has lines of its own above: a "*" line here would not reach it
echo "interface acc0 release-fallback $RELEASE_SERVER,$ALT_SERVER=$ALT_SID" >>"$DIR/lgd.conf"
reloads=$(grep -c "reloaded" "$DIR/lgd.log" || true)
n kill -HUP $LGDPID
wait_for atleast $((reloads + 1)) grep -c "reloaded" "$DIR/lgd.log"
relearn
JSON=$(bindings)
rc=0
OUT=$(lgs binding release dev acc0) || rc=$?
check_eq "each binding released (Success), exit 0" \
	"0 $(release_lines "released (Success)")" "$rc $OUT"
check_eq "the lease's server got its four transmissions, no more" 4 "$(rs_rx)"
RX2=$(grep '^rx ' "$DIR/rs2.log" | head -n 1 | tr ' ' '\n' | sed -n 's/^hex=//p')
check_eq "the second server got the request once, with its DUID" \
	"1 $ALT_SID" "$(grep -c '^rx ' "$DIR/rs2.log") $(opt_get "${RX2:8}" 2)"
check "with another transaction-id" \
	[ "$(rs_field 1 xid)" != "$(grep '^rx ' "$DIR/rs2.log" | tr ' ' '\n' | sed -n 's/^xid=//p')" ]
check_eq "counted: alternate, alternate_replies" "1 1" \
	"$(counter alternate) $(counter alternate_replies)"
check "the log says which server answered" grep -q \
	"RELEASE-REQUEST-REPLY xid [0-9a-f]* from the alternate server $ALT_SERVER: Success" \
	"$DIR/lgd.log"
_dhcp_kill release-server2

step "8. link-down: the subscriber's link goes down for longer than 2 s."
rs_start
relearn
n ip -n sub link set eth0 down
wait_for -t 20 is 0 nbindings
check "released for link-down" grep -q "acc0 has been down for 2 s" "$DIR/lgd.log"
n ip -n sub link set eth0 up

step "9. unreachable: the subscriber stops answering for longer than 2 s."
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

step "10. moved: sub's DUID bound on acc2 while sub still answers on acc0 moves nothing."
relearn
DUID=$(client_duid sub eth0)
SUBLL=$(bindings | jq -r '.[0] | "\(.client_mac) \(.client_lladdr)"')
grep '^default-duid' "$DIR/dhclient-sub-eth0.leases" | tail -n 1 >"$DIR/dhclient-sub2-eth0.leases"
rx0=$(rs_rx)
# sub2 replays sub's DUID on acc2 (a subscriber who learned it)
client_start sub2 eth0
check_eq "sub2 has sub's DUID" "$DUID" "$(client_duid sub2 eth0)"
wait_for is 2 nbindings acc2
stays() { grep -c "its client $SUBLL answers there: it stays" "$DIR/lgd.log" || true; }
wait_for -t 20 atleast 2 stays || true
check "leaseguardd probed sub at acc0, and it answered, for each binding" atleast 2 stays
check_eq "sub's bindings on acc0 stay bound" "2 bound" "$(nbindings) $(state)"
check_eq "no RELEASE-REQUEST was sent" "$rx0" "$(rs_rx)"
check_eq "sub's routes stay" 2 "$(ip -n rtr -6 route show proto 200 dev acc0 | wc -l)"
check "the log names both sides" grep -q \
	"its client $SUBLL answers there: it stays; the same DUID on acc2 from .* is not a move" \
	"$DIR/lgd.log"
check_eq "a real answer, not the probe's 15 s timeout" 0 \
	"$(grep -c "no verdict" "$DIR/lgd.log" || true)"
check "the unreachable trigger's entry for sub is managed again" sh -c \
	"ip -n rtr -6 neigh show dev acc0 | grep '^${SUBLL#* } ' | grep -q managed"

step "10b. moved: once sub no longer answers on acc0, its DUID bound on acc2 releases it there."
# The unreachable trigger off on acc0: the probe's verdict alone decides.
echo "interface acc0 release admin,link-down,replaced,moved" >>"$DIR/lgd.conf"
reloads=$(grep -c "reloaded" "$DIR/lgd.log" || true)
n kill -HUP $LGDPID
wait_for atleast $((reloads + 1)) grep -c "reloaded" "$DIR/lgd.log"
client_release sub2 eth0
wait_for is 0 nbindings acc2
n ip -n sub addr flush dev eth0 scope link	# sub has left
client_start sub2 eth0
wait_for -t 20 is 0 nbindings
check_eq "the bindings on acc2 stay" 2 "$(nbindings acc2)"
check "released as moved after the probe failed" grep -q \
	"its client $SUBLL does not answer: it moved to acc2" "$DIR/lgd.log"
n ip -n sub link set eth0 down	# its link-local back
n ip -n sub link set eth0 up
client_stop sub2 eth0
JSON=$(bindings acc2)
rc=0
OUT=$(lgs binding release dev acc2) || rc=$?
check_eq "acc2 does not enable admin: lgctl says so for each binding" \
	"$(release_lines "not sent (release admin is not enabled on acc2), stays bound" acc2)" "$OUT"
check_eq "and exits 1" 1 "$rc"
wait_for is bound state acc2
check_eq "the bindings on acc2 stay" 2 "$(nbindings acc2)"

step "11. replaced: a new client on single-subscriber acc0 releases the old one."
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

step "12. Every request carried our Relay-Id; the daemon logged no error."
check_eq "no error" "" "$(grep ': err: ' "$DIR/lgd.log" || true)"

step "13. Without leaseguardd, lgctl says that nobody will send the request."
n kill $LGDPID
wait $LGDPID || true
LGDPID=
JSON=$(bindings)
rc=0
OUT=$(lgs binding release dev acc0 2>"$DIR/err14") || rc=$?
check_eq "exit 0, nothing on stdout" "0 " "$rc $OUT"
check_eq "one line on stderr" \
	"lgctl: the bindings are marked releasing, but nobody will send their RELEASE-REQUEST: leaseguardd is not running at $DIR/lgd.sock (No such file or directory)" \
	"$(cat "$DIR/err14")"
check_eq "the bindings are marked releasing" releasing "$(state)"
rc=0
lgs binding release dev acc0 wait 2>/dev/null || rc=$?
check_eq "with \"wait\": exit 1" 1 "$rc"

tap_done
