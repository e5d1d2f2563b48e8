#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two leaseguardd of a router pair, without DHCP: what one router's module
# learns reaches the other's module, and only the MASTER routes, queries
# (MLD) and forwards multicast onto the access segment.
#
#   r1: leaseguard.ko, acc0 (access)    r2: the same
#       sync0 2001:db8:5::1  ------------  sync0 2001:db8:5::2
#       acc1 ------- sub (br0: a subscriber, mctool, tcpdump) ------- acc1
#       up0  ------- srv (br0: a sender, 2001:db8:7::9) ------------- up0
#   x:  a third host, routed to r1's sync address through r1 (2001:db8:6::3)
#
# Bindings are made with lgctl binding add, origin leasequery (what the
# router learns, as a snooped one), and one with the default origin
# restored (an administrator's, sent on as well; not what leaseguardd's
# store restores, which store-restore.sh covers). The
# whole pair with keepalived, Kea and DHCP is failover.sh. The DHCPv6
# server (2001:db8:f::2, behind a dummy srv0) never answers: a release
# stays in flight.

set -e -u -o pipefail
source "$(dirname "$0")/lib.sh"

KO=${LG_KO:-$LG_ROOT/kmod/leaseguard.ko}
LGD=${LG_LGD:-$LG_ROOT/agent/leaseguardd/leaseguardd}
MCTOOL=$LG_ROOT/selftests/mctool
[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $KO ]] || skip_all "$KO is not built"
[[ -x $LGD ]] || skip_all "$LGD is not built"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v nft >/dev/null || skip_all "nft is not installed"
command -v tcpdump >/dev/null || skip_all "tcpdump is not installed"
[[ -x $MCTOOL ]] || skip_all "selftests/mctool is not built"

DIR=$(mktemp -d)
declare -A PID=()
cleanup() {
	set +e
	for r in "${!PID[@]}"; do kill "${PID[$r]}" 2>/dev/null; done
	wait 2>/dev/null
	for ns in r1 r2 x sub srv; do ip netns del $ns 2>/dev/null; done
	rmmod leaseguard 2>/dev/null
	if [[ ${LG_PAIR_LOG:-0} == 1 ]]; then tail -n 40 "$DIR"/*.log; fi
	rm -rf "$DIR"
}
trap cleanup EXIT

lg() { local r=$1; shift; nsx "$r" "$LGCTL" "$@"; }
ps_of() { ip netns exec "$1" "$LGCTL" -j partner show socket "$DIR/$1/ctl.sock"; }
pfield() { ps_of "$1" | jq -r "$2"; }
role() { nsx "$1" "$LGCTL" partner role "$2" socket "$DIR/$1/ctl.sock"; }
origins() { ip netns exec "$1" "$LGCTL" -j binding show | jq -r '[.[] | "\(.iaid):\(.origin)"] | sort | join(" ")'; }
routes() { ip -n "$1" -6 route show proto 200 | sort | paste -sd ' '; }
state_of() { ip netns exec "$1" "$LGCTL" -j binding show | jq -r ".[] | select(.iaid == $2) | .state"; }
id_of() { ip netns exec "$1" "$LGCTL" -j binding show | jq -r ".[] | select(.iaid == $2) | .id"; }
rel() { ip netns exec "$1" "$LGCTL" -j release show socket "$DIR/$1/ctl.sock" | jq -r "$2"; }
add() {	# add ROUTER IAID ADDR [replace]
	ip netns exec "$1" "$LGCTL" binding add ${4:-} dev acc0 duid "00:03:00:01:02:00:00:00:00:$(printf %02x "$2")" \
		ia na iaid "$2" lladdr "fe80::$2" server 2001:db8:f::2 server-duid 00:03:00:01:02:00:00:00:00:53 origin leasequery \
		lease "$3" preferred 300 valid 600 >/dev/null
}

start_lgd() {	# start_lgd ROUTER [KEYFILE]
	local r=$1 key=${2:-$DIR/partner.key} me peer
	me=2001:db8:5::${r#r}
	peer=2001:db8:5::$((3 - ${r#r}))
	mkdir -p "$DIR/$r"
	cat >"$DIR/$r/lgd.conf" <<-EOF
	log-level info
	control-socket $DIR/$r/ctl.sock
	store $DIR/$r/bindings.db
	partner $peer
	partner-listen $me
	partner-key $key
	node-id 0000000000000000000000000000000${r#r}
	EOF
	printf '# [%s] leaseguardd -c %s &\n' "$r" "$DIR/$r/lgd.conf" >&2
	ip netns exec "$r" "$LGD" -c "$DIR/$r/lgd.conf" >>"$DIR/$r.log" 2>&1 &
	PID[$r]=$!
	wait_for -t 10 test -S "$DIR/$r/ctl.sock"
}
stop_lgd() { kill "${PID[$1]}"; wait "${PID[$1]}" 2>/dev/null || true; unset "PID[$1]"; }

# Multicast on the shared access segment, as sub sees it (tcpdump).
pcap() { tcpdump -r "$DIR/sub.pcap" -n -tt 2>/dev/null; }
ll() { ip -n "$1" -6 -br addr show dev acc1 scope link | awk '{ sub("/.*", "", $3); print $3 }'; }
# queries_from ROUTER: MLD general queries from ROUTER's acc1; the first's time.
queries_from() { pcap | grep -c "IP6 $(ll "$1") > ff02::1: HBH ICMP6, multicast listener query v2 \[gaddr ::\]" || true; }
first_query_from() { pcap | grep "IP6 $(ll "$1") > ff02::1: HBH ICMP6, multicast listener query" | head -n 1 | cut -d' ' -f1; }
# The datagrams from srv to ff0e::7:7 that reached the segment.
delivered() { pcap | grep -c "IP6 2001:db8:7::9\.[0-9]* > ff0e::7:7\.5001: UDP" || true; }
send() { nsx srv "$MCTOOL" send -i br0 -g ff0e::7:7 -S 2001:db8:7::9 -n "$1" -w 50 >/dev/null; }
proxy() { ip netns exec "$1" "$LGCTL" -j mcast proxy socket "$DIR/$1/ctl.sock" | jq -r ".[] | select(.family == \"mld\") | $2"; }
# ROUTER's (S,G) entry: its outgoing interfaces ("" if none).
sg() { ip -n "$1" -6 mroute show | grep -E '\(2001:db8:7::9, ?ff0e::7:7\)'; }
oifs() { sg "$1" | grep -o 'Oifs: [a-z0-9 ]*' | sed 's/Oifs: //; s/ *$//' || true; }

n insmod "$KO"
for r in r1 r2 x sub srv; do n ip netns add $r; done
n ip link add sync0 netns r1 type veth peer name sync0 netns r2
for r in r1 r2; do
	nsx $r sysctl -qw net.ipv6.conf.all.accept_dad=0
	nsx $r sysctl -qw net.ipv6.conf.default.accept_dad=0
	nsx $r ip link set lo up
	nsx $r ip link add acc0 type dummy
	nsx $r ip link set acc0 up
	nsx $r ip link add srv0 type dummy
	nsx $r ip addr add 2001:db8:f::1/64 dev srv0 nodad
	nsx $r ip link set srv0 up
	nsx $r ip addr add 2001:db8:5::${r#r}/64 dev sync0 nodad
	nsx $r ip link set sync0 up
	lg $r link set dev acc0 role access
done
# x: a stranger with a route to r1's sync address, through r1.
n ip link add xs1 netns x type veth peer name xs2 netns r1
nsx x sysctl -qw net.ipv6.conf.all.accept_dad=0
nsx x ip link set lo up
nsx x ip addr add 2001:db8:6::3/64 dev xs1 nodad
nsx x ip link set xs1 up
nsx x ip -6 route add 2001:db8:5::/64 via 2001:db8:6::1
nsx r1 ip addr add 2001:db8:6::1/64 dev xs2 nodad
nsx r1 ip link set xs2 up
# sub and srv: a bridge each, one port to each router (acc1, up0).
for ns in sub srv; do
	nsx $ns sysctl -qw net.ipv6.conf.all.accept_dad=0
	nsx $ns sysctl -qw net.ipv6.conf.default.accept_dad=0
	nsx $ns ip link set lo up
	nsx $ns ip link add br0 type bridge mcast_snooping 0
	nsx $ns ip link set br0 up
done
nsx srv ip addr add 2001:db8:7::9/64 dev br0 nodad
for r in r1 r2; do
	n ip link add acc1 netns $r type veth peer name $r netns sub
	n ip link add up0 netns $r type veth peer name $r netns srv
	for ns in sub srv; do nsx $ns ip link set $r master br0 up; done
	nsx $r ip link set acc1 up
	nsx $r ip link set up0 up
	lg $r link set dev acc1 role access
	lg $r link set dev up0 role upstream
	lg $r mcast set mld enable on upstream up0
done
wait_for -t 10 sh -c "[ -n \"\$(ip -n r1 -6 addr show dev acc1 scope link)\" ] && [ -n \"\$(ip -n r2 -6 addr show dev acc1 scope link)\" ]"
ip netns exec sub tcpdump -i br0 -n -U --immediate-mode -Z root -w "$DIR/sub.pcap" ip6 \
	>"$DIR/tcpdump.log" 2>&1 &
PID[tcpdump]=$!
wait_for -t 15 grep -q "listening on" "$DIR/tcpdump.log"
umask 077
openssl rand -hex 32 >"$DIR/partner.key"
openssl rand -hex 32 >"$DIR/other.key"

step "1. Both start; neither is told its role: both wait as backups."
start_lgd r1
start_lgd r2
wait_for -t 10 is synced pfield r1 .partner.state
wait_for -t 10 is synced pfield r2 .partner.state
check_eq "r1 says its role is unknown" unknown "$(pfield r1 .local.role)"
check "r1's log says it routes nothing until told" \
	grep -q "role unknown until keepalived says" "$DIR/r1.log"
check_eq "r2 knows r1's node id" 00000000000000000000000000000001 \
	"$(pfield r2 .partner.peer_node_id)"
check_eq "no MLD query from either while the roles are unknown" "0 0" \
	"$(queries_from r1) $(queries_from r2)"
check_eq "r1's proxy says it is passive" true "$(proxy r1 .passive)"

step "2. keepalived makes r1 the MASTER, r2 the BACKUP."
role r1 master
role r2 backup
check_eq "r1: master" master "$(pfield r1 .local.role)"
check_eq "r2: backup" backup "$(pfield r2 .local.role)"

step "2b. Multicast: only the MASTER queries, and forwards onto the segment."
check "the MASTER's MLD query reaches the segment" wait_for -t 5 atleast 1 queries_from r1
check_eq "the BACKUP sends none" 0 "$(queries_from r2)"
check_eq "r2's proxy: passive, nothing sent" "true 0" "$(proxy r2 '"\(.passive) \(.queries)"')"
check_eq "r1's proxy: not passive" false "$(proxy r1 .passive)"
ip netns exec sub "$MCTOOL" join -i br0 -g ff0e::7:7 -q >"$DIR/join.out" 2>&1 &
PID[join]=$!
wait_for -t 10 grep -q '^joined' "$DIR/join.out"
check "both routers heard sub join ff0e::7:7" wait_for -t 10 sh -c \
	"for r in r1 r2; do ip netns exec \$r '$LGCTL' -j mcast show dev acc1 | jq -e '.groups | any(.group == \"ff0e::7:7\")' >/dev/null || exit 1; done"
send 5
check "5 datagrams from upstream reach sub" wait_for -t 5 is 5 delivered
sleep 0.3	# a duplicate would come as late
check_eq "once each: the BACKUP forwards none" 5 "$(delivered)"
check_eq "r1's entry goes out on acc1" acc1 "$(oifs r1)"
check "r2 has the entry too (no upcall a packet)" \
	sg r2
check_eq "r2's entry goes nowhere" "" "$(oifs r2)"
check "r2 keeps its upstream membership, for a quick takeover" \
	sh -c "ip -n r2 -6 maddr show dev up0 | grep -qw ff0e::7:7"

step "3. r1 learns two subscribers: r2's module has them, origin synced."
add r1 1 2001:db8:1::1
add r1 2 2001:db8:1::2
wait_for -t 5 is "1:synced 2:synced" origins r2
check_eq "r1 keeps them as it learned them" "1:leasequery 2:leasequery" "$(origins r1)"
check_eq "r1 routes them" "2001:db8:1::1 dev acc0 metric 1024 pref medium 2001:db8:1::2 dev acc0 metric 1024 pref medium" \
	"$(routes r1)"
check_eq "r2, the backup, routes neither" "" "$(routes r2)"
check_eq "r2 made 2 bindings from the partner" 2 "$(pfield r2 .local.made)"
check_eq "r2 sent nothing back (echoes kept back)" 0 "$(pfield r2 .local.sent_updates)"
# What is left goes in whole seconds: r2's lease may end a second early.
ends() { ip netns exec "$1" "$LGCTL" -j binding show | jq -c '[.[] | .leases[0].expires] | sort'; }
check "r2's leases end when r1's do, within a second (what is left was sent)" \
	jq -en --argjson a "$(ends r1)" --argjson b "$(ends r2)" \
	'[$a, $b | length] == [2, 2] and ([range(2)] | all(($a[.] - $b[.]) | (. >= 0 and . <= 1)))'
check_eq "the server-transaction time came with them" \
	"$(ip netns exec r1 "$LGCTL" -j binding show | jq -c '[.[] | .replied] | sort')" \
	"$(ip netns exec r2 "$LGCTL" -j binding show | jq -c '[.[] | .replied] | sort')"

step "4. r2's module enforces for r1's subscribers: a binding of its own there conflicts."
rc=0
ip netns exec r2 "$LGCTL" binding add dev acc0 duid 00:03:00:01:02:00:00:00:00:99 ia na iaid 9 \
	lladdr fe80::9 server 2001:db8:f::2 lease 2001:db8:1::1 preferred 300 valid 600 \
	>/dev/null 2>"$DIR/err" || rc=$?
check "r2 refuses another client the synced address" test "$rc" -ne 0
check "the refusal says the address is another binding's" \
	grep -q "another binding on the interface holds this lease" "$DIR/err"

step "5. A subscriber released on r1 is gone on r2."
id=$(ip netns exec r1 "$LGCTL" -j binding show | jq -r '.[] | select(.iaid == 2) | .id')
lg r1 binding del id "$id"
wait_for -t 5 is "1:synced" origins r2
check_eq "r1 sent one delete" 1 "$(pfield r1 .local.sent_deletes)"
check_eq "r1's route of it is gone" "2001:db8:1::1 dev acc0 metric 1024 pref medium" "$(routes r1)"

step "5b. An administrator's binding on r1 (origin restored) crosses; deleted, it goes."
ip netns exec r1 "$LGCTL" binding add dev acc0 duid 00:03:00:01:02:00:00:00:00:08 ia na iaid 8 \
	lladdr fe80::8 server 2001:db8:f::2 lease 2001:db8:1::8 preferred 300 valid 600 >/dev/null
check "r2 holds it, origin synced" wait_for -t 5 is "1:synced 8:synced" origins r2
check_eq "r1 holds it as made" "1:leasequery 8:restored" "$(origins r1)"
lg r1 binding del id "$(id_of r1 8)"
check "deleted on r1, it is gone on r2" wait_for -t 5 is "1:synced" origins r2
check_eq "r1 sent its delete" 2 "$(pfield r1 .local.sent_deletes)"
check_eq "r2 sent nothing back" 0 "$(pfield r2 .local.sent_updates)"

step "6. Takeover: r2 becomes the MASTER and routes r1's subscriber at once."
role r1 backup
t0=$(date +%s.%N)
role r2 master
wait_for -t 5 is "2001:db8:1::1 dev acc0 metric 1024 pref medium" routes r2
check_eq "r1, now backup, removed its routes" "" "$(routes r1)"
check "r2's log gives the takeover's time" grep -q "takeover: .* routes installed in [0-9]* ms" "$DIR/r2.log"
check_eq "r2 counts one takeover" 1 "$(pfield r2 .local.takeovers)"

step "6b. The new MASTER queries at once and forwards; the old one neither."
check "r2's first MLD query reaches the segment" wait_for -t 5 atleast 1 queries_from r2
ms=$(awk -v a="$t0" -v b="$(first_query_from r2)" 'BEGIN { printf "%d", (b - a) * 1000 }')
echo "# the takeover's first MLD general query came after $ms ms"
check "within a second of the role" test "$ms" -lt 1000
q1=$(queries_from r1)
send 5
check "5 more datagrams reach sub" wait_for -t 5 is 10 delivered
sleep 0.3
check_eq "once each: r1 forwards no more" 10 "$(delivered)"
check_eq "r2's entry goes out on acc1" acc1 "$(oifs r2)"
check_eq "r1's entry goes nowhere" "" "$(oifs r1)"
check_eq "r1 sent no query since it stood down" "$q1" "$(queries_from r1)"
check_eq "r1's proxy says passive" true "$(proxy r1 .passive)"

step "7. What the new MASTER learns goes back to r1."
add r2 3 2001:db8:1::3
wait_for -t 5 is "1:leasequery 3:synced" origins r1

step "7a. A release in flight crosses; at takeover the new MASTER sends it."
sent=$(pfield r1 .local.sent_updates)
lg r2 binding release id "$(id_of r2 3)" nowait
wait_for -t 5 is releasing state_of r1 3
check_eq "r2, the master, has a RELEASE-REQUEST of it out" 3 \
	"$(rel r2 '.requests[0].bindings[0].iaid')"
check_eq "r1, the backup, marked its copy and sent nothing" 0 "$(rel r1 .stats.requests)"
check_eq "r1 took the partner's release" 1 "$(pfield r1 .local.releases)"
check_eq "r1 did not send the echo back" "$sent" "$(pfield r1 .local.sent_updates)"
role r2 backup
role r1 master
wait_for -t 5 is 3 rel r1 '.requests[0].bindings[0].iaid'
check_eq "r1 sent a request of its own" 1 "$(rel r1 .stats.requests)"
check "r1's counts its transmissions from the first (RFC 8415 section 15)" \
	test "$(rel r1 '.requests[0].attempt')" -le 2
check_eq "r2 stopped sending it" 0 "$(rel r2 '.requests | length')"
check "r2's log says so" grep -q "no longer the master: 1 releases in flight left to the partner" "$DIR/r2.log"
check_eq "r2 still holds it releasing, for a takeover back" releasing "$(state_of r2 3)"
# The end: what ends it on the master ends it on the backup.
lg r1 binding del id "$(id_of r1 3)"
wait_for -t 5 is "" id_of r2 3
check_eq "r1's request went with the binding" 0 "$(rel r1 '.requests | length')"
role r1 backup
role r2 master
add r2 3 2001:db8:1::3
wait_for -t 5 is "1:leasequery 3:synced" origins r1
check_eq "r2 sends no release it did not have" 1 "$(rel r2 .stats.requests)"

step "8. r2's leaseguardd restarts: its role is remembered, the tables meet again."
stop_lgd r2
start_lgd r2
check_eq "r2 is master again without keepalived's word" master "$(pfield r2 .local.role)"
wait_for -t 10 is synced pfield r2 .partner.state
check_eq "r2 still routes" "2001:db8:1::1 dev acc0 metric 1024 pref medium 2001:db8:1::3 dev acc0 metric 1024 pref medium" \
	"$(routes r2)"
check "r1 got a bulk from the restarted r2" test "$(pfield r1 .sync.bulks_received)" -ge 1

step "9. Partition: the sync link drops everything; both change; then heal."
for r in r1 r2; do
	nsx $r nft -f - <<-EOF
	table inet cut { chain in { type filter hook input priority 0; tcp dport 4647 drop; tcp sport 4647 drop; }; }
	EOF
done
# Down, then trying again every 200 ms and more (connecting): either.
lost() { [[ $(pfield r1 .partner.state) =~ ^(down|connecting)$ ]]; }
wait_for -t 10 lost
add r1 4 2001:db8:1::4
add r2 5 2001:db8:1::5
# The same subscriber's lease renewed on r2 (newer) and deleted on r1 (older).
id=$(ip netns exec r1 "$LGCTL" -j binding show | jq -r '.[] | select(.iaid == 1) | .id')
lg r1 binding del id "$id"
sleep 0.1
add r2 1 2001:db8:1::1 replace
for r in r1 r2; do nsx $r nft delete table inet cut; done
wait_for -t 15 is synced pfield r1 .partner.state
wait_for -t 10 is "$(origins r1 | tr ' ' '\n' | cut -d: -f1 | paste -sd ' ')" \
	sh -c "ip netns exec r2 '$LGCTL' -j binding show | jq -r '[.[] | .iaid | tostring] | sort | join(\" \")'"
check_eq "both routers hold the same subscribers" \
	"$(ip netns exec r1 "$LGCTL" -j binding show | jq -c '[.[] | .iaid] | sort')" \
	"$(ip netns exec r2 "$LGCTL" -j binding show | jq -c '[.[] | .iaid] | sort')"
check "each side's change crossed (4 on r2, 5 on r1)" sh -c \
	"ip netns exec r2 '$LGCTL' -j binding show | jq -e 'any(.[]; .iaid == 4)' >/dev/null &&
	 ip netns exec r1 '$LGCTL' -j binding show | jq -e 'any(.[]; .iaid == 5)' >/dev/null"

step "10. A wrong key is refused, once in the log; a stranger is refused."
stop_lgd r2
start_lgd r2 "$DIR/other.key"
wait_for -t 10 atleast 1 pfield r1 .connection.hs_key
sleep 2		# more attempts, each refused
check "r1 refused more than one handshake" test "$(pfield r1 .connection.hs_key)" -ge 2
check_eq "r1 logged the key's failure once" 1 "$(grep -c "pre-shared key differs" "$DIR/r1.log" || true)"
check_eq "no binding crossed with the wrong key" down "$(pfield r2 .partner.state)"
stop_lgd r2
check_fails "x cannot get in: r1 closes it before TLS" 1 \
	sh -c "ip netns exec x timeout 3 openssl s_client -connect '[2001:db8:5::1]:4647' -psk $(cat "$DIR/partner.key") -psk_identity leaseguard -tls1_3 </dev/null 2>&1 | grep -q 'Cipher is TLS_AES'"
check "r1 counted the stranger" test "$(pfield r1 .connection.refused)" -ge 1

tap_done
