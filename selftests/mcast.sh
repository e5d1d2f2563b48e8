#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The IGMP/MLD proxy end to end: hosts join with real sockets (their own
# kernels send the reports), leaseguard keeps each access interface's state,
# leaseguardd queries, merges the state on the upstream interface (whose
# kernel then reports upstream) and routes multicast down to who wants it.
#
#   sub  (mctool) -- acc0 \
#                          rtr: leaseguard.ko, leaseguardd -- up0 -- srv (mctool send,
#   sub2 (mctool) -- acc1 /                                            tcpdump)
#
# The story: a source-specific join shows up as INCLUDE on acc0 and as an
# INCLUDE filter on up0, and only that source's packets reach sub; an
# any-source join on acc1 makes the merged state EXCLUDE({}) and brings the
# other source to sub2 only; sub leaving is queried and forgotten; an
# IGMPv2 host runs its group in v2 compatibility; a host that goes silent
# times out; MLDv2 and MLDv1 do the same for IPv6; the group limit holds;
# the state as YANG validates, and a broken copy does not; stopping the
# daemon leaves upstream.

set -e
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $LG_ROOT/kmod/leaseguard.ko ]] || skip_all "kmod/leaseguard.ko is not built"
LGD=$LG_ROOT/agent/leaseguardd/leaseguardd
MCTOOL=$LG_ROOT/selftests/mctool
[[ -x $LGD ]] || skip_all "agent/leaseguardd/leaseguardd is not built"
[[ -x $MCTOOL ]] || skip_all "selftests/mctool is not built"
command -v tcpdump >/dev/null || skip_all "tcpdump is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"
YANG_CHECK=$LG_ROOT/selftests/host/yang_check.sh

LGDPID=
MONPID=
JOINS=()
cleanup() {
	set +e
	local p
	[[ -n $MONPID ]] && kill "$MONPID" 2>/dev/null
	for p in "${JOINS[@]}"; do
		kill "$p" 2>/dev/null
	done
	[[ -n $LGDPID ]] && kill "$LGDPID" 2>/dev/null && wait "$LGDPID"
	dhcp_cleanup
	topology_del_subscribers
	topology_down
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

dhcp_tmpdir >/dev/null	# sets LG_DHCP_DIR here, not in a subshell
DIR=$LG_DHCP_DIR

# join NS NAME ARGS...: mctool join in NS, output in $DIR/NAME.out; waits
# for "joined". The pid is in JOIN_PID and JOINS.
join() {
	local ns=$1 name=$2
	shift 2
	printf '# [%s] mctool join %s &\n' "$ns" "$*" >&2
	ip netns exec "$ns" "$MCTOOL" join "$@" >"$DIR/$name.out" 2>&1 &
	JOIN_PID=$!
	JOINS+=("$JOIN_PID")
	wait_for grep -q '^joined' "$DIR/$name.out"
}
# Stops a join: the host leaves the group.
leave() { kill "$1"; wait "$1" 2>/dev/null || true; }

# send SRC GROUP COUNT: from srv, from address SRC, 100 ms apart.
send() {
	nsx srv "$MCTOOL" send -i eth0 -g "$2" -S "$1" -n "$3" -w 100 >/dev/null
}

# The state of acc IF in the kernel, a line a group:
#   GROUP MODE vCOMPAT SRC[,SRC...]     (SRC! : excluded)
groups() {
	ip netns exec rtr "$LGCTL" -j mcast show dev "$1" |
		jq -r '.groups[] | "\(.group) \(.filter_mode) v\(.compat_version) " +
			([.sources[] | .addr + (if .forward then "" else "!" end)] |
			 join(","))' | sed 's/ $//'
}
group_of() { groups "$1" | grep "^$2 " || true; }
no_group() { [[ -z $(group_of "$1" "$2") ]]; }
not() { ! "$@"; }

# up0's memberships (the kernel's host side, as leaseguardd set it).
upstream_has() { ip -n rtr maddr show dev up0 | grep -qw "$1"; }
# up0's source filters: "GROUP SOURCE INC EXC" (IPv4, /proc/net/mcfilter).
mcfilter() {
	ip netns exec rtr perl -ane 'next unless $F[1] eq "up0";
		my ($g, $s) = map { join ".", unpack "C4", pack "N", hex } @F[2, 3];
		print "$g $s $F[4] $F[5]\n"' /proc/net/mcfilter
}
# proxy_has FAMILY JQ: leaseguardd's side ("lgctl -j mcast proxy") of
# FAMILY satisfies the jq expression JQ.
proxy_has() {
	ip netns exec rtr "$LGCTL" -j mcast proxy socket "$DIR/lgd.sock" |
		jq -e ".[] | select(.family == \"$1\") | $2" >/dev/null
}
# What a capture holds, as tcpdump -v prints it; heard CAPTURE REGEX;
# heard_n CAPTURE REGEX: how many lines match.
pcap() { tcpdump -r "$DIR/$1.pcap" -n -vv 2>/dev/null; }
heard() { pcap "$1" | grep -q -- "$2"; }
heard_n() { pcap "$1" | grep -c -- "$2" || true; }
# Datagrams from SRC to GROUP in a capture.
seen() { pcap "$1" | grep -c "$2\.[0-9]* > $3\.5001:" || true; }
stat_of() {
	ip netns exec rtr "$LGCTL" -j stats | jq -r "[.. | .$1? // empty] | add // 0"
}

step "The module, the router with two access links, a sender upstream."
n insmod "$LG_ROOT/kmod/leaseguard.ko"
topology_up
topology_add_subscriber sub2 acc1 2
n ip -n rtr addr add 10.0.0.1/24 dev up0
n ip -n rtr addr add 10.1.0.1/24 dev acc0
n ip -n rtr addr add 10.2.0.1/24 dev acc1
n ip -n srv addr add 10.0.0.2/24 dev eth0
n ip -n srv addr add 10.0.0.3/24 dev eth0
n ip -n srv addr add 2001:db8:f::3/64 dev eth0 nodad
n ip -n sub addr add 10.1.0.2/24 dev eth0
n ip -n sub2 addr add 10.2.0.2/24 dev eth0
nsx rtr "$LGCTL" link set dev acc0 role access
nsx rtr "$LGCTL" link set dev acc1 role access
nsx rtr "$LGCTL" link set dev up0 role upstream
# GMI = 2 * 4 s + 2 s = 10 s; LMQT = 2 * 500 ms.
for f in igmp mld; do
	check "$f: enabled, upstream up0, short timers" \
		ip netns exec rtr "$LGCTL" mcast set $f enable on upstream up0 \
		robustness 2 query-interval 4 query-response-interval 2000 \
		last-member-interval 500 last-member-count 2
done
ip netns exec rtr "$LGCTL" monitor mcast >"$DIR/monitor.out" 2>&1 &
MONPID=$!
# MLD comes behind a Hop-by-Hop header, which "icmp6" does not look past.
capture_start srv eth0 igmp or ip6
capture_start sub eth0 igmp or ip6 or udp port 5001
capture_start sub2 eth0 igmp or ip6 or udp port 5001
cat >"$DIR/lgd.conf" <<EOF
log-level debug
control-socket $DIR/lgd.sock
store $DIR/bindings.db
EOF
printf '# [rtr] leaseguardd -c %s &\n' "$DIR/lgd.conf" >&2
ip netns exec rtr "$LGD" -c "$DIR/lgd.conf" >>"$DIR/leaseguardd.log" 2>&1 &
LGDPID=$!
wait_for -t 20 grep -q "sync:" "$DIR/leaseguardd.log"

step "1. A source-specific join: INCLUDE on acc0, an INCLUDE filter on up0."
join sub ssm -i eth0 -g 239.3.3.3 -m include -s 10.0.0.2 -q
SSM=$JOIN_PID
check "acc0 has 239.3.3.3 INCLUDE(10.0.0.2), version 3" \
	wait_for is "239.3.3.3 include v3 10.0.0.2" group_of acc0 239.3.3.3
check "up0 includes 10.0.0.2 for 239.3.3.3" \
	wait_for is "239.3.3.3 10.0.0.2 1 0" mcfilter
check "srv heard up0 ask for 239.3.3.3 from 10.0.0.2" \
	wait_for heard srv-eth0 'gaddr 239.3.3.3 [a-z_]* { 10.0.0.2 }'

step "2. Only the wanted source reaches sub."
send 10.0.0.2 239.3.3.3 5
send 10.0.0.3 239.3.3.3 5
check "sub's link carried 10.0.0.2's packets" \
	wait_for atleast 5 seen sub-eth0 10.0.0.2 239.3.3.3
check_eq "and none of 10.0.0.3's" 0 "$(seen sub-eth0 10.0.0.3 239.3.3.3)"

step "3. An any-source join on acc1: merged EXCLUDE({}); 10.0.0.3 to sub2 only."
join sub2 asm -i eth0 -g 239.3.3.3 -q
ASM=$JOIN_PID
check "acc1 has 239.3.3.3 EXCLUDE({})" \
	wait_for is "239.3.3.3 exclude v3" group_of acc1 239.3.3.3
check "up0 has no source filter left for 239.3.3.3 (EXCLUDE({}))" \
	wait_for is "" mcfilter
check "up0 is still a member of 239.3.3.3" upstream_has 239.3.3.3
send 10.0.0.3 239.3.3.3 5
check "sub2's link carried 10.0.0.3's packets" \
	wait_for atleast 5 seen sub2-eth0 10.0.0.3 239.3.3.3
check_eq "sub's link still none of them" 0 "$(seen sub-eth0 10.0.0.3 239.3.3.3)"
check "lgctl mcast proxy: IGMP proxies on up0 and routes" \
	proxy_has igmp '.enable and .active and .upstream == "up0" and .routing'
check "with 239.3.3.3 joined upstream and its (S,G) entries" \
	proxy_has igmp '.upstream_groups >= 1 and .joins >= 1 and .mfc >= 1 and
			.mfc_adds >= 1 and .upcalls >= 1 and .vifs >= 2'
check "its queries counted, no errors" \
	proxy_has igmp '.queries >= 1 and .query_errors == 0 and
			.upstream_errors == 0 and .mfc_errors == 0'
nsx rtr "$LGCTL" mcast proxy socket "$DIR/lgd.sock" >"$DIR/proxy.txt"
check "the text says the same" \
	grep -q "^igmp: enabled, upstream up0, version 3: proxying" "$DIR/proxy.txt"

step "4. sub leaves: a group-and-source query, then acc0 forgets the group."
leave "$SSM"
check "acc0's group is gone" wait_for -t 15 no_group acc0 239.3.3.3
check "sub heard a query for 239.3.3.3 and 10.0.0.2" \
	heard sub-eth0 'igmp query v3 .*\[gaddr 239.3.3.3 { 10.0.0.2 }\]'
check "leaseguardd sent it" \
	grep -q "query.*239.3.3.3.*acc0\|acc0.*239.3.3.3.*query" "$DIR/leaseguardd.log"
check "acc1 keeps its own" is "239.3.3.3 exclude v3" group_of acc1 239.3.3.3
leave "$ASM"
check "no access interface wants 239.3.3.3: up0 leaves it" \
	wait_for -t 20 not upstream_has 239.3.3.3

step "5. An IGMPv2 host: EXCLUDE({}) in v2 compatibility; its leave is queried."
nsx sub sysctl -qw net.ipv4.conf.eth0.force_igmp_version=2
join sub v2 -i eth0 -g 239.1.1.1 -q
V2=$JOIN_PID
check "acc0 has 239.1.1.1 EXCLUDE({}), compatibility v2" \
	wait_for is "239.1.1.1 exclude v2" group_of acc0 239.1.1.1
check "up0 joined 239.1.1.1" wait_for upstream_has 239.1.1.1
leave "$V2"
check "the leave ends it within the last member query time" \
	wait_for -t 10 no_group acc0 239.1.1.1
nsx sub sysctl -qw net.ipv4.conf.eth0.force_igmp_version=0

step "6. A host that stops answering queries times out."
join sub2 quiet -i eth0 -g 239.9.9.9 -q
QUIET=$JOIN_PID
check "acc1 has 239.9.9.9" wait_for is "239.9.9.9 exclude v3" group_of acc1 239.9.9.9
n ip netns exec sub2 nft add table inet mute
n ip netns exec sub2 nft add chain inet mute out '{ type filter hook output priority 0; }'
n ip netns exec sub2 nft add rule inet mute out meta l4proto igmp drop
check "the general queries go unanswered: gone after the membership interval" \
	wait_for -t 30 no_group acc1 239.9.9.9
check "the kernel says it expired" \
	wait_for grep -q "group-del acc1 239.9.9.9.*reason expired" "$DIR/monitor.out"
n ip netns exec sub2 nft delete table inet mute
leave "$QUIET"

step "7. MLDv2: the same for IPv6."
join sub ssm6 -i eth0 -g ff3e::1:1 -m include -s 2001:db8:f::2 -q
SSM6=$JOIN_PID
check "acc0 has ff3e::1:1 INCLUDE(2001:db8:f::2), version 2" \
	wait_for is "ff3e::1:1 include v2 2001:db8:f::2" group_of acc0 ff3e::1:1
check "srv heard up0 ask for ff3e::1:1 from 2001:db8:f::2" \
	wait_for heard srv-eth0 'gaddr ff3e::1:1 [a-z_]* { 2001:db8:f::2 }'
send 2001:db8:f::2 ff3e::1:1 5
send 2001:db8:f::3 ff3e::1:1 5
check "sub's link carried 2001:db8:f::2's packets" \
	wait_for atleast 5 seen sub-eth0 2001:db8:f::2 ff3e::1:1
check_eq "and none of 2001:db8:f::3's" 0 "$(seen sub-eth0 2001:db8:f::3 ff3e::1:1)"
leave "$SSM6"
check "acc0 forgets ff3e::1:1" wait_for -t 15 no_group acc0 ff3e::1:1

step "8. An MLDv1 host: EXCLUDE({}) in v1 compatibility."
nsx sub2 sysctl -qw net.ipv6.conf.eth0.force_mld_version=1
join sub2 v1 -i eth0 -g ff1e::2:2 -q
V1=$JOIN_PID
check "acc1 has ff1e::2:2 EXCLUDE({}), compatibility v1" \
	wait_for is "ff1e::2:2 exclude v1" group_of acc1 ff1e::2:2
check "up0 joined ff1e::2:2" wait_for upstream_has ff1e::2:2
leave "$V1"
check "its done ends it" wait_for -t 10 no_group acc1 ff1e::2:2
nsx sub2 sysctl -qw net.ipv6.conf.eth0.force_mld_version=0

step "9. The per-interface group limit holds."
check "max-groups 1" ip netns exec rtr "$LGCTL" mcast set igmp max-groups 1
join sub lim1 -i eth0 -g 239.5.5.1 -q
L1=$JOIN_PID
join sub lim2 -i eth0 -g 239.5.5.2 -q
L2=$JOIN_PID
check "the first group is there" wait_for is "239.5.5.1 exclude v3" group_of acc0 239.5.5.1
check "the second is refused and counted" wait_for atleast 1 stat_of mc_groups_limited
check "and not there" no_group acc0 239.5.5.2

step "10. The state as ietf-igmp-mld-proxy: valid, and a broken copy is not."
ip netns exec rtr "$LGCTL" mcast show --yang >"$DIR/state.json"
check "--yang lists 239.5.5.1 under igmp-proxy" \
	jq -e '.. | objects | select(has("group-address")) |
		select(."group-address" == "239.5.5.1")' "$DIR/state.json"
check "yanglint validates it" "$YANG_CHECK" "$DIR/state.json"
sed 's/"filter-mode": "exclude"/"filter-mode": "bogus"/' "$DIR/state.json" \
	>"$DIR/broken.json"
check_fails "yanglint rejects a bogus filter-mode" 1 "$YANG_CHECK" "$DIR/broken.json"
leave "$L1"
leave "$L2"
n ip netns exec rtr "$LGCTL" mcast set igmp max-groups 256

step "11. The querier asked all along; stopping the daemon leaves upstream."
check "sub heard IGMP general queries" \
	atleast 2 heard_n sub-eth0 '> 224.0.0.1: igmp query v3'
check "and MLD general queries" \
	atleast 2 heard_n sub-eth0 'multicast listener query v2 .*gaddr :: '
join sub last -i eth0 -g 239.7.7.7 -q
check "up0 joined 239.7.7.7" wait_for upstream_has 239.7.7.7
check "a SIGHUP changes nothing" kill -HUP "$LGDPID"
check "up0 is still in 239.7.7.7" wait_for upstream_has 239.7.7.7
kill "$LGDPID"
wait "$LGDPID" || true
LGDPID=
check "up0 left it with the daemon" wait_for not upstream_has 239.7.7.7
check "no error in leaseguardd's log" not grep -q ": err: " "$DIR/leaseguardd.log"
check "it logged its counters at stop" \
	grep -q "IGMP counters: joins=[1-9].* mfc-errors=0" "$DIR/leaseguardd.log"

if ((_tap_failed)); then
	tail -n 150 "$DIR/leaseguardd.log" | sed 's/^/# leaseguardd: /'
	for c in srv-eth0 sub-eth0 sub2-eth0; do
		pcap $c | sed "s/^/# $c: /"
	done
	mcfilter | sed 's/^/# mcfilter: /'
	ip -n rtr mroute show | sed 's/^/# mroute: /'
	ip -n rtr -6 mroute show | sed 's/^/# mroute6: /'
fi
tap_done
