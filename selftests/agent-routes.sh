#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leaseguardd turns bindings into access routes, and only touches its own.
#
#   sub (dhclient -6 -N -P) --+-- (acc0) rtr: leaseguard.ko, dhcrelay, leaseguardd (up0) -- srv: Kea
#   nbr (macvlan on sub's) --/   (acc0 a shared, N:1 segment from step 5)
#
# The story: a stale route of ours is cleaned up at start while somebody
# else's route is left alone; a lease brings a /128 and a /56 via the
# subscriber's link-local; a restart takes them over without a single
# route change; a reload with another metric moves them; a neighbour who
# asks for the subscriber's IAs in its own name (its DUID and IAIDs) moves
# nothing (RFC 7513), while the subscriber's own move to a new MAC is
# followed; a release removes them; a module reload under the running
# daemon keeps the routes for family-grace, and the daemon applies the
# declared configuration again, restores the bindings from its store
# (origin restored; not one route changes) and routes new bindings, with
# no manual step; a hand change of a declared setting is reverted as
# drift; the family gone past the grace takes our routes, and a daemon
# started without the module waits for it, then restores the bindings
# and their routes; a broken configuration keeps the daemon from
# starting.

set -e
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $LG_ROOT/kmod/leaseguard.ko ]] || skip_all "kmod/leaseguard.ko is not built"
for bin in kea-dhcp6 dhcrelay dhclient; do
	command -v $bin >/dev/null || skip_all "$bin is not installed"
done
LGD=${LG_LGD:-$LG_ROOT/agent/leaseguardd/leaseguardd}	# LG_LGD: another build
[[ -x $LGD ]] || skip_all "agent/leaseguardd/leaseguardd is not built"

cleanup() {
	set +e
	lgd_stop
	[[ -n ${MONPID:-} ]] && kill "$MONPID" 2>/dev/null
	dhcp_cleanup
	ip netns del nbr 2>/dev/null
	topology_down
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

# Our routes, as "ip" prints them (protocol 200), sorted.
our_routes() { ip -n rtr -6 route show proto 200 | sed 's/ *$//' | sort; }

LGDPID=
lgd_start() {
	local conf=$1
	# Its own binding store: /var is shared by the stories of a VM run.
	printf '# [rtr] leaseguardd -c %s -o store=%s &\n' "$conf" "$DIR/bindings.db" >&2
	ip netns exec rtr "$LGD" -c "$conf" -o "store=$DIR/bindings.db" \
		>>"$DIR/leaseguardd.log" 2>&1 &
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
# leaseguardd's binding store (store-delay 1 s): both, committed.
store_is() {
	"$LGCTL" -j daemon show | jq -e "$1" >/dev/null
}
check "the binding store holds both bindings (lgctl daemon show)" \
	wait_for -t 10 store_is ".store.path == \"$DIR/bindings.db\" and .store.state == \"open\" and .store.rows == 2 and .store.pending == 0 and .store.errors == 0"

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
check "the same module: nothing restored, the kernel's bindings written" \
	grep -q "store $DIR/bindings.db: 2 bindings in it, 2 in the kernel (same module instance): 0 restored, 2 written, 0 dropped" \
	"$DIR/leaseguardd.log"

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

# ask NS IFACE TYPE DUID IAID ADDR PREFIX/LEN: a client message of TYPE (3
# REQUEST, 5 RENEW) for IA_NA IAID with ADDR and IA_PD IAID with PREFIX,
# Kea's Server-Id, from NS's link-local to All_DHCP_Relay_Agents_and_Servers;
# prints the type of the answer (7: REPLY), or "none" after 5 s.
ask() {
	nsx "$1" python3 -c '
import ipaddress, os, socket, struct, sys
ifn, mtype, duid, iaid, na, pd = sys.argv[1:7]
def opt(code, data): return struct.pack("!HH", code, len(data)) + data
def hexb(s): return bytes.fromhex(s.replace(":", ""))
pfx, plen = pd.split("/")
ia = lambda c, sub: opt(c, struct.pack("!III", int(iaid), 0, 0) + sub)
msg = (bytes([int(mtype)]) + os.urandom(3) + opt(1, hexb(duid)) +
       opt(2, hexb("00:03:00:01:02:00:00:00:0f:02")) + opt(8, bytes(2)) +
       ia(3, opt(5, ipaddress.IPv6Address(na).packed + bytes(8))) +
       ia(25, opt(26, bytes(8) + bytes([int(plen)]) +
                  ipaddress.IPv6Address(pfx).packed)))
idx = socket.if_nametoindex(ifn)
ll = [l.split()[0] for l in open("/proc/net/if_inet6")
      if l.split()[5] == ifn and l.split()[3] == "20"][0]
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((str(ipaddress.IPv6Address(bytes.fromhex(ll))), 546, 0, idx))
s.settimeout(5)
s.sendto(msg, ("ff02::1:2", 547, 0, idx))
try:
    while True:
        d = s.recv(4096)
        if d[1:4] == msg[1:4]:
            print(d[0])
            break
except socket.timeout:
    print("none")' "${@:2}"
}
# The subscriber's bindings: "IA MAC LINK-LOCAL" lines.
anchors() {
	ip netns exec rtr "$LGCTL" -j binding show dev acc0 |
		jq -r '.[] | "\(.ia_type) \(.client_mac) \(.client_lladdr)"' | sort
}
conflicts() { ip netns exec rtr "$LGCTL" -j stats | jq .anchor_conflicts; }
ping_sub() { ip netns exec sub ping -6 -c 1 -W 5 -I 2001:db8:1::1000 2001:db8:f::2 >/dev/null 2>&1; }

step "5. A neighbour on the shared segment asks for the subscriber's IAs in its own name."
n ip netns add nbr
nsx nbr sysctl -qw net.ipv6.conf.default.accept_dad=0 \
	net.ipv6.conf.default.router_solicitations=0
n ip -n sub link add nb0 link eth0 address 02:00:00:00:01:03 type macvlan mode bridge
n ip -n sub link set nb0 netns nbr
n ip -n nbr link set nb0 up
nsx rtr "$LGCTL" link set dev acc0 savi enforce anchor mac
duid=$(ip netns exec rtr "$LGCTL" -j binding show dev acc0 | jq -r '.[0].client_duid')
iaid=$(ip netns exec rtr "$LGCTL" -j binding show dev acc0 | jq -r '.[0].iaid')
mine="ia_na 02:00:00:00:01:02 fe80::ff:fe00:102
ia_pd 02:00:00:00:01:02 fe80::ff:fe00:102"
check_eq "the subscriber's bindings, anchored to it" "$mine" "$(anchors)"
check "under savi enforce, anchor mac, the subscriber reaches the server" ping_sub
c0=$(conflicts) k=0
for t in "5 RENEW" "3 REQUEST"; do
	read -r type name <<<"$t"
	check_eq "the neighbour's $name with the subscriber's DUID and IAID: Kea answers through the relay" \
		7 "$(ask nbr nb0 "$type" "$duid" "$iaid" 2001:db8:1::1000 2001:db8:100::/56)"
	k=$((k + 2))	# a probe for each binding, a verdict each
	wait_for -t 20 atleast $k grep -c "its client 02:00:00:00:01:02 fe80::ff:fe00:102 answers" \
		"$DIR/leaseguardd.log" || true
	check_eq "after the $name: the bindings are still the subscriber's (MAC, link-local)" \
		"$mine" "$(anchors)"
	check_eq "after the $name: the routes did not move" "${want//1024/2048}" "$(our_routes)"
	check "after the $name: the subscriber still reaches the server" ping_sub
done
check "both IAs of both requests were counted as anchor conflicts" \
	test "$(conflicts)" -ge $((c0 + 4))
check "leaseguardd probed the subscriber and refused the neighbour" \
	grep -q "a request from 02:00:00:00:01:03 fe80::ff:fe00:103, not its client" \
	"$DIR/leaseguardd.log"
n ip netns del nbr

step "6. The subscriber moves to a new MAC and link-local: its bindings follow."
client_stop sub eth0
# It announces its addresses (unsolicited NAs), as a host that changes MAC may.
nsx sub sysctl -qw net.ipv6.conf.eth0.ndisc_notify=1
n ip -n sub link set eth0 address 06:00:00:00:01:02	# IAID: the last 4 octets
n ip -n sub addr add fe80::400:ff:fe00:102/64 dev eth0 nodad
n ip -n sub addr del fe80::ff:fe00:102/64 dev eth0
# Its DUID stays (the lease file's); its lease is asked for anew.
n sed -i -n '/^default-duid/p' "$LG_DHCP_DIR/dhclient-sub-eth0.leases"
client_start sub eth0
wait_for -t 30 grep -q "does not answer: moved to 06:00:00:00:01:02" "$DIR/leaseguardd.log" || true
check_eq "the bindings moved to the new MAC and link-local" \
	"ia_na 06:00:00:00:01:02 fe80::400:ff:fe00:102
ia_pd 06:00:00:00:01:02 fe80::400:ff:fe00:102" "$(anchors)"
wait_for -t 10 sh -c "ip -n rtr -6 route show proto 200 | grep -q 'via fe80::400:ff:fe00:102'" || true
moved=${want//1024/2048}
check_eq "the prefix's route follows it" \
	"${moved//fe80::ff:fe00:102/fe80::400:ff:fe00:102}" "$(our_routes)"
check "under anchor mac, the subscriber reaches the server from its new MAC" ping_sub

step "7. A release takes them away."
client_release sub eth0
wait_for -t 20 sh -c "[ -z \"\$(ip -n rtr -6 route show proto 200)\" ]" || true
check_eq "no route of ours left" "" "$(our_routes)"
check "nor a binding in the store" wait_for -t 10 store_is ".store.rows == 0 and .store.pending == 0"
check "the static route is still there" \
	sh -c "ip -n rtr -6 route show 2001:db8:99::/48 | grep -q 'via fe80::99'"

# The daemon's control socket: its "status" lines.
lgd_status() {
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect("/run/leaseguard/leaseguardd.sock")
s.sendall(b"status\n")
sys.stdout.write(s.makefile().read())'
}
status_has() { lgd_status | grep -q -- "$1"; }
acc0() {
	ip netns exec rtr "$LGCTL" -j link show dev acc0 |
		jq -c 'if type == "array" then .[0] else . end |
			{role, savi, anchor, savi_entries}'
}
decl='{"role":"access","savi":"enforce","anchor":"mac","savi_entries":1}'
applied() { grep -c "declared configuration applied" "$DIR/leaseguardd.log" || true; }
has_route() { ip -n rtr -6 route show proto 200 | grep -q "^$1 "; }

step "8. rmmod; insmod under a running daemon: routes kept, configuration and bindings back, no manual step."
cat >>"$DIR/lgd.conf" <<EOF
family-grace 30
config-drift revert
interface acc0 role access
interface acc0 savi enforce
interface acc0 anchor mac
interface acc0 savi-static 2001:db8:77::/48
interface up0 role upstream
interface dum0 role upstream
EOF
a0=$(applied)
n kill -HUP "$LGDPID"
wait_for -t 10 atleast $((a0 + 1)) applied || true
check_eq "SIGHUP applied the declaration (and its static entry)" "$decl" "$(acc0)"
n sed -i -n '/^default-duid/p' "$LG_DHCP_DIR/dhclient-sub-eth0.leases"
client_start sub eth0
wait_for -t 20 sh -c "[ \"\$(ip -n rtr -6 route show proto 200 | wc -l)\" = 2 ]" || true
before=$(our_routes)
check_eq "a binding and its two routes" 2 "$(wc -l <<<"$before")"
# The subscriber's bindings as the kernel has them: what a restore keeps.
held() {
	ip netns exec rtr "$LGCTL" -j binding show dev acc0 |
		jq -r '.[] | "\(.ia_type) \(.iaid) \(.client_duid) \(.client_mac) \(.client_lladdr) \(.server_addr) \([.leases[].addr] | join(","))"' | sort
}
origins() {
	ip netns exec rtr "$LGCTL" -j binding show dev acc0 |
		jq -r '[.[].origin] | sort | join(" ")'
}
sub_addr=$(ip netns exec rtr "$LGCTL" -j binding show dev acc0 |
	jq -r '.[] | select(.ia_type == "ia_na") | .leases[0].addr')
ping_sub_now() {
	ip netns exec sub ping -6 -c 1 -W 5 -I "$sub_addr" 2001:db8:f::2 >/dev/null 2>&1
}
check "under savi enforce the subscriber ($sub_addr) reaches the server" ping_sub_now
bindings0=$(held)
check_eq "the kernel has its two bindings, snooped" "snooped snooped" "$(origins)"
check "both in the store, committed" \
	wait_for -t 10 store_is ".store.rows == 2 and .store.pending == 0"
# Any change of our routes from here to the restore is a failure.
ip -n rtr monitor route >"$DIR/monitor8" 2>&1 &
MONPID=$!
a0=$(applied)
t0=$(date +%s%N)
n rmmod leaseguard
wait_for -t 10 grep -q "leaseguard family gone" "$DIR/leaseguardd.log" || true
check "the daemon saw the family go" grep -q "leaseguard family gone" "$DIR/leaseguardd.log"
check "status: family gone" status_has "^family state=gone"
check "status: configuration not applied" status_has "^config state=not-applied"
check "the store kept its rows: the family's loss is no deletion" \
	store_is ".store.rows == 2 and .store.pending == 0"
sleep 1
check_eq "during the grace the routes stay" "$before" "$(our_routes)"
t1=$(date +%s%N)
n insmod "$LG_ROOT/kmod/leaseguard.ko"
t2=$(date +%s%N)
wait_for -t 20 grep -q "leaseguard family back" "$DIR/leaseguardd.log" || true
t3=$(date +%s%N)
echo "# rmmod to insmod $(((t1 - t0) / 1000000)) ms; insmod $(((t2 - t1) / 1000000)) ms; then the family back, configured and restored in $(((t3 - t2) / 1000000)) ms"
sed -n '/leaseguard family gone/,$p' "$DIR/leaseguardd.log" |
	grep -E "family|store|sync|declared|could not|restor" | sed 's/^/# lgd: /'
check "the declaration was applied again" atleast $((a0 + 1)) applied
check_eq "leaseguardd gave acc0 its role, SAVI mode, anchor and entry again" \
	"$decl" "$(acc0)"
check_eq "and up0 its role" upstream \
	"$(ip netns exec rtr "$LGCTL" -j link show dev up0 | jq -r 'if type == "array" then .[0] else . end | .role')"
check "status: family up" status_has "^family state=up"
check "status: configuration applied" status_has "^config state=applied"
check "the store restored both: the kernel lost its bindings" grep -q \
	"store $DIR/bindings.db: 2 bindings in it, 0 in the kernel (the kernel lost its bindings): 2 restored, 0 written, 0 dropped, 0 kept unrestored" \
	"$DIR/leaseguardd.log"
check_eq "the kernel has them back as they were (IA, IAID, DUID, MAC, link-local, server, leases)" \
	"$bindings0" "$(held)"
check_eq "with their origin: restored" "restored restored" "$(origins)"
check "lgctl daemon show: 2 restored, none refused" \
	store_is ".store.restored == 2 and .store.refused == 0"
check "under savi enforce, through its restored binding, the subscriber reaches the server" \
	ping_sub_now
wait_for -t 10 store_is ".store.pending == 0" || true
check_eq "the store has them again, origin restored (2), from their notifications" \
	"2 2 2" "$(python3 -c 'import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*), MIN(origin), MAX(origin) FROM binding").fetchone()
print(*r)' "$DIR/bindings.db")"
kill "$MONPID"; wait "$MONPID" 2>/dev/null || true; MONPID=
check_eq "the routes are the same" "$before" "$(our_routes)"
check_eq "ip monitor saw no route change through the reload and the restore" "" \
	"$(cat "$DIR/monitor8")"
check_eq "no route was added again: the kept ones are reconciled, not re-added (\"File exists\")" "" \
	"$(sed -n '/leaseguard family gone/,$p' "$DIR/leaseguardd.log" | grep "route add")"
check "the sync after the restore kept both" grep -q \
	"sync: 2 bindings; routes: 2 kept, 0 added, 0 removed" "$DIR/leaseguardd.log"
# Learned after the reload: a new client (a DUID of its own) asks.
n ip netns add nbr
nsx nbr sysctl -qw net.ipv6.conf.default.accept_dad=0 \
	net.ipv6.conf.default.router_solicitations=0
n ip -n sub link add nb0 link eth0 address 02:00:00:00:01:03 type macvlan mode bridge
n ip -n sub link set nb0 netns nbr
n ip -n nbr link set nb0 up
check_eq "a new client's REQUEST after the reload is answered" 7 \
	"$(ask nbr nb0 3 00:03:00:01:02:00:00:00:01:03 7 2001:db8:1::1800 2001:db8:142::/56)"
addr=$(ip netns exec rtr "$LGCTL" -j binding show dev acc0 |
	jq -r '.[] | select(.client_mac == "02:00:00:00:01:03" and .ia_type == "ia_na") | .leases[0].addr')
check "the kernel learned its binding" test -n "$addr"
wait_for -t 10 has_route "$addr" || true
check "the binding learned after the reload got its route ($addr)" has_route "$addr"
n ip netns del nbr

step "9. A hand change of a declared setting is drift, and is reverted; a declared interface is set when it appears."
nsx rtr "$LGCTL" link set dev acc0 savi monitor
wait_for -t 10 grep -q "configuration drift on interface acc0" "$DIR/leaseguardd.log" || true
check "the drift is logged" grep -q \
	"configuration drift on interface acc0: savi monitor (declared enforce): reverted" \
	"$DIR/leaseguardd.log"
check_eq "acc0 is back to the declaration" "$decl" "$(acc0)"
check "status counts it" status_has " drifts=1 reverts=1 "
check "status: dum0 is declared, absent" status_has "^interface name=dum0 ifindex=0 state=absent"
n ip -n rtr link add dum0 type dummy
wait_for -t 10 grep -q "declared interface dum0 appeared" "$DIR/leaseguardd.log" || true
check_eq "a declared interface gets its configuration when it appears" upstream \
	"$(ip netns exec rtr "$LGCTL" -j link show dev dum0 | jq -r 'if type == "array" then .[0] else . end | .role')"
check "status: dum0 applied" status_has "^interface name=dum0 ifindex=[1-9][0-9]* state=applied"
n ip -n rtr link del dum0

step "10. The family gone past a short grace takes our routes; a start without it waits, then restores."
n sed -i 's/^family-grace 30/family-grace 2/' "$DIR/lgd.conf"
n kill -HUP "$LGDPID"
wait_for -t 10 sh -c "[ \$(grep -c 'reloaded' '$DIR/leaseguardd.log') -ge 3 ]" || true
before10=$(our_routes)
n10=$(ip netns exec rtr "$LGCTL" -j binding show | jq length)
echo "# $n10 bindings, $(wc -l <<<"$before10") routes of ours"
wait_for -t 10 store_is ".store.rows == $n10 and .store.pending == 0" || true
n rmmod leaseguard
wait_for -t 10 grep -q "family-grace over" "$DIR/leaseguardd.log" || true
check "past the grace, the daemon says it removes our routes" \
	grep -q "family not back within family-grace (2 s): removing our routes" "$DIR/leaseguardd.log"
check "and how many" grep -q \
	"family-grace over: $(wc -l <<<"$before10") routes of ours removed" "$DIR/leaseguardd.log"
check_eq "no route of ours left" "" "$(our_routes)"
check "the store still has the $n10 bindings" \
	store_is ".store.rows == $n10 and .store.pending == 0"
lgd_stop
printf '# [rtr] leaseguardd -c %s -o store=%s &  (no module)\n' "$DIR/lgd.conf" "$DIR/bindings.db" >&2
ip netns exec rtr "$LGD" -c "$DIR/lgd.conf" -o "store=$DIR/bindings.db" >"$DIR/wait.log" 2>&1 &
LGDPID=$!
wait_for -t 10 grep -q "waiting for it" "$DIR/wait.log" || true
check "without the module the daemon waits, loudly" grep -q \
	"warning: the leaseguard family is not there (is leaseguard.ko loaded?): waiting for it" \
	"$DIR/wait.log"
check "and keeps running" kill -0 "$LGDPID"
n insmod "$LG_ROOT/kmod/leaseguard.ko"
wait_for -t 10 grep -q "sync:" "$DIR/wait.log" || true
check "the module came: configuration applied" \
	grep -q "declared configuration applied" "$DIR/wait.log"
check_eq "acc0 as declared" "$decl" "$(acc0)"
check "the store restored the $n10 bindings" grep -q \
	"store $DIR/bindings.db: $n10 bindings in it, 0 in the kernel (the kernel lost its bindings): $n10 restored, 0 written, 0 dropped, 0 kept unrestored" \
	"$DIR/wait.log"
# The restored bindings' notifications, read between the restore's
# batches, lay their routes; the sync after finds them (kept) or lays
# what is left (added): together, all of them and nothing removed.
check_eq "the restore and the sync laid their routes again" \
	"$n10 $(wc -l <<<"$before10") 0" \
	"$(sed -n 's/.*sync: \([0-9]*\) bindings; routes: \([0-9]*\) kept, \([0-9]*\) added, \([0-9]*\) removed.*/\1 \2 \3 \4/p' "$DIR/wait.log" |
		tail -n 1 | awk '{ print $1, $2 + $3, $4 }')"
check_eq "our routes as before the module went" "$before10" "$(our_routes)"
check "the subscriber reaches the server again" ping_sub_now

step "11. A broken configuration keeps the daemon from starting."
lgd_stop
printf 'route-table main\nroute-protocol 3\n' >"$DIR/bad.conf"
check_fails "exit 1" 1 ip netns exec rtr "$LGD" -c "$DIR/bad.conf"
check "the error names file, line and reason" sh -c \
	"ip netns exec rtr '$LGD' -c '$DIR/bad.conf' 2>&1 | grep -q 'bad.conf:2: \"route-protocol 3\": route-protocol is 5 to 255'"
check_fails "an unknown key too" 1 "$LGD" -o colour=blue -t

dhcp_cleanup
n rmmod leaseguard
tap_done
