#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two access routers as a pair under keepalived (issue 21;
# Documentation/failover.rst, "Running a pair with keepalived").
#
#               netns sw: bridges bracc and brup
#   sub eth0 -- bracc --+-- acc0 r1 up0 --+-- brup -- eth0 srv (Kea)
#                       `-- acc0 r2 up0 --'
#                        r1 sync0 ==== sync0 r2  (the partner link, a veth)
#
# Each router runs leaseguard (per namespace: acc0 access under savi
# enforce, up0 upstream), leaseguardd with its own configuration and
# store, and keepalived with dist/keepalived's example, made its own
# (acc0 for eth1, up0 for eth0, the round's advert_int, our notify
# configuration). The MASTER relays: the notify script starts dhcrelay
# there and stops it elsewhere. The subscriber's gateway is the virtual
# fe80::1; Kea's routes to the subscribers go via the virtual
# 2001:db8:f::1.
#
# The story, for each advert_int of LG_FAILOVER_ADVERTS (1, 0.5 and 0.1
# s): r1 MASTER, the subscriber leased (first round) and pinging through
# it; r1's access link goes down (carrier lost, from the switch's side)
# and r2 takes over; r1 comes back and stays BACKUP; keepalived on r2 is
# killed with SIGKILL and r1 takes over, while r2 keeps the virtual
# addresses and its relay until what the systemd drop-in does (the
# notify's STOP, a restart) cleans up. Takeover times and the pings'
# gaps are printed, never pass/fail.
#
# With the binding sync (LG_FAILOVER_SYNC=1, the default) r2 knows the
# subscriber before any takeover: its pings resume through r2 with no
# DHCPv6 exchange, and r2 drops a spoofed source at once. A last round
# then SIGKILLs r1's keepalived and leaseguardd together, brings r1 back
# as a new box that r2 resyncs whole, and has the subscriber renew and
# release through r2: Kea and both routers agree. LG_FAILOVER_SYNC=0 runs
# the pair without a partner link, the way it was before the sync: r2
# does not know the subscriber and drops its packets after the takeover
# (savi enforce): checked.
set -u

source "$(dirname "$0")/lib.sh"
[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $LG_ROOT/kmod/leaseguard.ko ]] || skip_all "kmod/leaseguard.ko is not built"
for bin in keepalived kea-dhcp6 dhcrelay dhclient jq python3 flock; do
	command -v $bin >/dev/null || skip_all "$bin is not installed"
done
LGD=$LG_ROOT/agent/leaseguardd/leaseguardd
[[ -x $LGD ]] || skip_all "leaseguardd is not built"
[[ ! -d /sys/module/leaseguard ]] || skip_all "leaseguard is loaded already"

LG_FAILOVER_SYNC=${LG_FAILOVER_SYNC:-1}
LG_FAILOVER_ADVERTS=${LG_FAILOVER_ADVERTS:-1 0.5 0.1}
NOSYNC="no partner link (LG_FAILOVER_SYNC=0)"
NOTIFY=$LG_ROOT/dist/keepalived/leaseguard-notify
KCONF=$LG_ROOT/dist/keepalived/keepalived.conf
SRV=$LG_DHCP_SERVER	# Kea, 2001:db8:f::2
# keepalived's pid files: /run, a tmpfs in the VM.
RUN=/run/lg-failover
ROUTERS="r1 r2"

declare -A LGDPID
cleanup() {
	set +e
	local r
	for r in $ROUTERS; do
		kad_stop "$r"
		[[ -n ${LGDPID[$r]:-} ]] && kill "${LGDPID[$r]}" && wait "${LGDPID[$r]}"
		relay_kill "$r"
	done
	# shellcheck disable=SC2046 # one pid a word
	kill $(jobs -p) 2>/dev/null
	dhcp_cleanup
	for r in sw sub r1 r2 srv; do ip netns del $r 2>/dev/null; done
	rm -rf "$RUN"
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

lg() { local r=$1; shift; ip netns exec "$r" "$LGCTL" "$@"; }
nbindings() { lg "$1" -j binding show dev acc0 | jq length; }
savi_drops() { lg "$1" -j link show dev acc0 | jq '.[0].stats.savi_drop_source'; }
# The access VIP's addresses on router R's acc0 (none: empty).
vips() { ip -n "$1" -6 -o addr show dev acc0 | awk '$4 ~ /^(fe80::1|2001:db8:1::1)\// { print $4 }' | sort | paste -sd ' '; }

# ---------------------------------------------------------------------------
step "The network: a subscriber, two routers on one access bridge, Kea upstream."
for ns in sw sub r1 r2 srv; do
	n ip netns add $ns
	nsx $ns sysctl -qw net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
	n ip -n $ns link set lo up
done
# No multicast snooping: VRRP's ff02::12 and DHCPv6's ff02::1:2 reach
# every port, as on a plain access switch.
# (Not "up": a keyword of ip link.)
for br in bracc brup; do
	n ip -n sw link add $br type bridge mcast_snooping 0
	n ip -n sw link set $br up
done
# port NS IFACE MAC BRIDGE PORT: IFACE in NS, on BRIDGE through a veth
# whose other end in sw is PORT.
port() {
	n ip -n "$1" link add "$2" address "$3" type veth peer name "$5" netns sw
	n ip -n sw link set "$5" master "$4" up
	n ip -n "$1" link set "$2" up
}
port sub eth0 02:00:00:00:01:02 bracc suba
port r1 acc0 02:00:00:00:01:11 bracc r1a
port r2 acc0 02:00:00:00:01:12 bracc r2a
port r1 up0 02:00:00:00:0f:11 brup r1u
port r2 up0 02:00:00:00:0f:12 brup r2u
port srv eth0 02:00:00:00:0f:02 brup srvu
n ip -n r1 link add sync0 type veth peer name sync0 netns r2
for r in $ROUTERS; do
	i=${r#r}
	nsx $r sysctl -qw net.ipv6.conf.all.forwarding=1
	n ip -n $r addr add 2001:db8:1::1$i/64 dev acc0
	n ip -n $r addr add 2001:db8:f::1$i/64 dev up0
	n ip -n $r addr add fd00:21::$i/64 dev sync0
	n ip -n $r link set sync0 up
done
n ip -n srv addr add $SRV/64 dev eth0
# The subscribers' addresses and delegated prefixes, via the pair's VIP.
n ip -n srv route add 2001:db8:1::/64 via 2001:db8:f::1
n ip -n srv route add 2001:db8:100::/40 via 2001:db8:f::1
n ip -n sub route add default via fe80::1 dev eth0

step "leaseguard in each router, Kea upstream, leaseguardd in each router."
n insmod "$LG_ROOT/kmod/leaseguard.ko"
dhcp_tmpdir >/dev/null
DIR=$LG_DHCP_DIR
kea_start 3600
mkdir -p "$RUN"
if [[ $LG_FAILOVER_SYNC == 1 ]]; then
	(umask 077; openssl rand -hex 32 >"$DIR/partner.key")
fi
for r in $ROUTERS; do
	i=${r#r}
	mkdir -p "$DIR/$r" "$RUN/$r"
	# recover-rate 0: a binding r2 lacks must come from the sync, not
	# from a LEASEQUERY (recover.sh's story).
	cat >"$DIR/$r/lgd.conf" <<EOF
relay-id 00:02:00:00:00:09:72:3$i
control-socket $DIR/$r/lgd.sock
store $DIR/$r/bindings.db
recover-rate 0
interface acc0 role access
interface acc0 savi enforce
interface up0 role upstream
EOF
	if [[ $LG_FAILOVER_SYNC == 1 ]]; then
		cat >>"$DIR/$r/lgd.conf" <<EOF
node-id $(printf '%032x' "$i")
partner fd00:21::$((3 - i))
partner-key $DIR/partner.key
EOF
	fi
	# What the notify script runs there: our lgctl, this router's
	# leaseguardd, its relay (the MASTER's).
	cat >"$DIR/$r/notify.conf" <<EOF
LGCTL=$LGCTL
LGCTL_SOCKET=$DIR/$r/lgd.sock
RELAY_ARGS="-6 -I -l acc0 -u $SRV%up0"
RELAY_PIDFILE=$RUN/$r/dhcrelay.pid
LOG_FILE=$DIR/$r/notify.log
EOF
	: >"$DIR/$r/notify.log"
	printf '# [%s] leaseguardd -c %s &\n' $r "$DIR/$r/lgd.conf" >&2
	ip netns exec $r "$LGD" -c "$DIR/$r/lgd.conf" >>"$DIR/$r/lgd.log" 2>&1 &
	LGDPID[$r]=$!
done
for r in $ROUTERS; do
	wait_for -t 20 grep -q "sync:" "$DIR/$r/lgd.log" ||
		_dhcp_fail "leaseguardd in $r did not start" "$DIR/$r/lgd.log"
	check_eq "$r: leaseguardd declared acc0 access, savi enforce" "access enforce" \
		"$(lg $r -j link show dev acc0 | jq -r '.[0] | "\(.role) \(.savi)"')"
done

# kad_start R ADVERT: keepalived in R with the example configuration,
# made R's (acc0 for eth1, up0 for eth0, advert_int ADVERT, the notify
# script with R's configuration), its pid files in $RUN/R.
kad_start() {
	local r=$1 adv=$2
	sed -e 's/\beth1\b/acc0/g' -e 's/\beth0\b/up0/g' \
		-e "s/advert_int 0.5/advert_int $adv/" \
		-e "s|notify \"/usr/lib/leaseguard/leaseguard-notify\"|notify \"$NOTIFY -c $DIR/$r/notify.conf\"|" \
		"$KCONF" >"$DIR/$r/keepalived.conf"
	printf '# [%s] keepalived -n -l -G -P -i %s -f %s ... &\n' $r $r "$DIR/$r/keepalived.conf" >&2
	ip netns exec $r keepalived -n -l -G -P -i $r -f "$DIR/$r/keepalived.conf" \
		-p "$RUN/$r/keepalived.pid" -r "$RUN/$r/vrrp.pid" \
		</dev/null >>"$DIR/$r/keepalived.log" 2>&1 &
	echo $! >"$RUN/$r/keepalived.bgpid"
}
# kad_stop R [SIGNAL]: stops R's keepalived (TERM: it removes its VIPs
# and runs the notify's STOP), and waits for it.
kad_stop() {
	local f=$RUN/$1/keepalived.bgpid pid
	[[ -s $f ]] || return 0
	pid=$(<"$f")
	rm -f "$f"
	kill -"${2:-TERM}" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}
# state R: R's last state, as its notify script logged it.
state() { awk '$3 == "GROUP" { s = $5 } END { print s }' "$DIR/$1/notify.log"; }
states() { echo "$(state r1) $(state r2)"; }
relay_up() { [[ -s $RUN/$1/dhcrelay.pid ]] && kill -0 "$(<"$RUN/$1/dhcrelay.pid")" 2>/dev/null; }
# relays: the routers whose relay runs ("r1", "r1 r2"...). The notify
# script logs a transition first and starts or stops the relay after:
# wait_for is ... relays.
relays() { local r l=(); for r in $ROUTERS; do relay_up $r && l+=("$r"); done; echo "${l[*]}"; }
relay_kill() { relay_up "$1" && kill "$(<"$RUN/$1/dhcrelay.pid")"; rm -f "$RUN/$1/dhcrelay.pid"; }

# watch_vip R: from now, one shell in R polls its addresses (every 20 ms,
# no process of its own but sleep) and writes in $DIR/vip.t when the
# access VIP 2001:db8:1::1 appears, in microseconds since the epoch
# ("none" after 30 s). Returns once it polls.
watch_vip() {
	rm -f "$DIR/vip.t" "$DIR/vip.ready"
	ip netns exec "$1" bash -c '
		: >"$1.ready"
		end=$(( ${EPOCHREALTIME/./} + 30000000 ))
		while (( ${EPOCHREALTIME/./} < end )); do
			while read -r a _; do
				if [[ $a == 20010db8000100000000000000000001 ]]; then
					echo "${EPOCHREALTIME/./}" >"$1.t"
					exit 0
				fi
			done </proc/net/if_inet6
			sleep 0.02
		done
		echo none >"$1.t"' watch "$DIR/vip" &
	WATCH=$!
	wait_for -t 10 test -e "$DIR/vip.ready"
}
# takeover_ms T0: the VIP's arrival after T0 (us), in ms (after a wait
# "$WATCH", outside the $(...): a subshell cannot wait for it).
takeover_ms() {
	local t1
	t1=$(<"$DIR/vip.t")
	[[ $t1 == none ]] && { echo none; return; }
	echo $(( (t1 - $1) / 1000 ))
}

# ping_start [REPLIES]: the subscriber pings Kea from its leased address
# every 0.1 s, with timestamps (-D), until ping_stop; returns after
# REPLIES replies (3), or after its first echo request with 0.
ping_start() {
	: >"$DIR/ping.out"
	ip netns exec sub ping -6 -D -n -i 0.1 -W 1 -I "$NA" "$SRV" >"$DIR/ping.out" 2>&1 &
	PING=$!
	# (ping's stdout, a file, is flushed at its replies: none before the
	# first reply.)
	if [[ ${1:-3} -eq 0 ]]; then sleep 1; return; fi
	wait_for -t 10 atleast "${1:-3}" grep -c "bytes from" "$DIR/ping.out"
}
ping_stop() { kill -INT "$PING" 2>/dev/null; wait "$PING" 2>/dev/null; }
# replies_after T0: how many replies came after T0 (us since the epoch).
replies_after() {
	awk -v t0="$1" '/bytes from/ && match($0, /^\[[0-9.]+\]/) {
		if (substr($0, 2, RLENGTH - 2) * 1e6 >= t0) n++ } END { print n + 0 }' "$DIR/ping.out"
}
# ping_gap T0: the replies' gap across T0, in ms (the last reply before
# it to the first after), and the echo requests lost; "none" if no reply
# came after T0. With no reply before T0, from T0 to the first after.
ping_gap() {
	awk -v t0="$1" '/bytes from/ && match($0, /^\[[0-9.]+\]/) {
		t = substr($0, 2, RLENGTH - 2) * 1e6
		s = $0; sub(/.*icmp_seq=/, "", s); s += 0
		if (t < t0) { last = t; ls = s } else if (!first) { first = t; fs = s } }
		END { if (!first) print "none"
		      else if (!last) printf "%d ms from the failure to the first reply (none before)\n", (first - t0) / 1000
		      else printf "%d ms, %d lost\n", (first - last) / 1000, fs - ls - 1 }' "$DIR/ping.out"
}

# round_start ADVERT: keepalived in r1, MASTER, then in r2, BACKUP.
round_start() {
	local r
	for r in $ROUTERS; do
		kad_start $r "$1"
		if [[ $r == r1 ]]; then
			wait_for -t 20 is MASTER state r1 ||
				_dhcp_fail "r1 is not MASTER" "$DIR/r1/keepalived.log"
		else
			wait_for -t 20 is BACKUP state r2 ||
				_dhcp_fail "r2 is not BACKUP" "$DIR/r2/keepalived.log"
		fi
	done
	check_eq "r1 MASTER, r2 BACKUP" "MASTER BACKUP" "$(state r1) $(state r2)"
	check_eq "the VIPs on r1 only" "2001:db8:1::1/64 fe80::1/64|" "$(vips r1)|$(vips r2)"
	wait_for -t 10 is r1 relays
	check_eq "only the MASTER relays" "r1" "$(relays)"
}

round=0
for ADV in $LG_FAILOVER_ADVERTS; do
round=$((round + 1))
# ---------------------------------------------------------------------------
step "$round.1. advert_int $ADV: keepalived in r1 (MASTER) and r2 (BACKUP)."
if ((round == 1)); then
	for r in $ROUTERS; do
		sed -e 's/\beth1\b/acc0/g' -e 's/\beth0\b/up0/g' "$KCONF" >"$DIR/$r/check.conf"
		check "$r: the example configuration, made $r's, passes keepalived -t" \
			ip netns exec $r keepalived -t -i $r -f "$DIR/$r/check.conf"
	done
fi
round_start "$ADV"
check "no SECURITY VIOLATION: keepalived runs the notify script" \
	bash -c "! grep -h 'SECURITY VIOLATION' '$DIR'/r?/keepalived.log"

if ((round == 1)); then
	step "$round.2. The subscriber leases an address and a prefix through r1's relay."
	client_start sub eth0
	NA=$(client_lease sub eth0 na); NA=${NA%/128}
	PD=$(client_lease sub eth0 pd)
	check "leased $NA and $PD" test -n "$NA" -a -n "$PD"
	wait_for -t 10 is 2 nbindings r1
	check_eq "r1 snooped both" 2 "$(nbindings r1)"
	check "from $NA, under savi enforce, it reaches Kea through r1" \
		ip netns exec sub ping -6 -c 1 -W 2 -I "$NA" "$SRV"
	# Two relays would each forward every Solicit: Kea got as many as
	# the client sent (dhclient -v logs each).
	check_eq "one relay relayed: Kea got the client's Solicits and Requests, once each" \
		"$(grep -c "XMT: Solicit" "$DIR/dhclient-sub-eth0.log") $(grep -c "XMT: Request" "$DIR/dhclient-sub-eth0.log")" \
		"$(kea_stat pkt6-solicit-received) $(kea_stat pkt6-request-received)"
	if [[ $LG_FAILOVER_SYNC == 1 ]]; then
		wait_for -t 10 is 2 nbindings r2
		check_eq "r2 knows both bindings before any takeover (the sync)" 2 "$(nbindings r2)"
		check_eq "r2, the BACKUP, routes none of them (the MASTER's job)" 0 \
			"$(ip -n r2 -6 route show proto 200 | wc -l)"
	else
		check_eq "r2 knows nothing of the subscriber (no sync yet)" 0 "$(nbindings r2)"
		tap_skip "r2 knows both bindings before any takeover (the sync)" "$NOSYNC"
		tap_skip "r2, the BACKUP, routes none of them (the MASTER's job)" "$NOSYNC"
	fi
else
	check "the subscriber reaches Kea through r1" \
		ip netns exec sub ping -6 -c 1 -W 2 -I "$NA" "$SRV"
fi

# ---------------------------------------------------------------------------
step "$round.3. r1's access link goes down (carrier lost): r2 takes over."
ping_start
D0=$(savi_drops r2)
K0=$(kea_stat pkt6-received)
watch_vip r2
n ip -n sw link set r1a down
T0=${EPOCHREALTIME/./}
wait "$WATCH"
MS=$(takeover_ms "$T0")
echo "# advert_int $ADV, link down: r2 holds the VIP $MS ms after r1's carrier went"
wait_for -t 10 is MASTER state r2
wait_for -t 10 is FAULT state r1
check_eq "r2 MASTER, r1 FAULT" "MASTER FAULT" "$(state r2) $(state r1)"
check_eq "the VIPs moved to r2" "|2001:db8:1::1/64 fe80::1/64" "$(vips r1)|$(vips r2)"
wait_for -t 10 is r2 relays
check_eq "only the MASTER relays: r2" "r2" "$(relays)"
check "the notify script told r2's leaseguardd: lgctl partner role master" \
	grep -q "GROUP LEASEGUARD MASTER" "$DIR/r2/notify.log"
if [[ $LG_FAILOVER_SYNC == 1 ]]; then
	wait_for -t 10 atleast 1 replies_after "$T0"
	GAP=$(ping_gap "$T0")
	echo "# advert_int $ADV, link down: the subscriber's pings through r2 resumed after a gap of $GAP (takeover $MS ms)"
	check "its pings resume through r2" test "$GAP" != none
	check_eq "no DHCPv6 exchange in between" "$K0" "$(kea_stat pkt6-received)"
	check_eq "r2, MASTER, routes the delegated prefix" 1 \
		"$(ip -n r2 -6 route show proto 200 | grep -c "^$PD ")"
	check "r2's leaseguardd logged the takeover's routes" \
		grep -q "takeover: 2 bindings, routes installed in" "$DIR/r2/lgd.log"
	SPOOF=2001:db8:1::bad
	n ip -n sub addr add $SPOOF/128 dev eth0 nodad
	D1=$(savi_drops r2)
	check_fails "a spoofed source is dropped by r2" 1 \
		ip netns exec sub ping -6 -c 1 -W 1 -I $SPOOF "$SRV"
	check "at once, by its SAVI (drop counted)" test "$(savi_drops r2)" -gt "$D1"
	n ip -n sub addr del $SPOOF/128 dev eth0
else
	# Long enough for pings after the takeover (the VIP's unsolicited
	# NAs go out with it): each one reaches r2 and is dropped.
	sleep 2
	echo "# advert_int $ADV, link down: no reply since r1's link went ($(ping_gap "$T0")): r2 does not know the subscriber"
	check_eq "r2 drops the subscriber's packets (no binding there): no reply" 0 "$(replies_after "$T0")"
	check "... counted by r2's SAVI ($D0 -> $(savi_drops r2))" test "$(savi_drops r2)" -gt "$D0"
	tap_skip "its pings resume through r2" "$NOSYNC"
	tap_skip "no DHCPv6 exchange in between" "$NOSYNC"
	tap_skip "r2, MASTER, routes the delegated prefix" "$NOSYNC"
	tap_skip "r2's leaseguardd logged the takeover's routes" "$NOSYNC"
	tap_skip "a spoofed source is dropped by r2" "$NOSYNC"
	tap_skip "at once, by its SAVI (drop counted)" "$NOSYNC"
fi
ping_stop

step "$round.4. r1's link comes back: r1 BACKUP (nopreempt), r2 stays MASTER."
n ip -n sw link set r1a up
wait_for -t 20 is BACKUP state r1
check_eq "r2 MASTER, r1 BACKUP" "MASTER BACKUP" "$(state r2) $(state r1)"
check_eq "the VIPs stay on r2" "|2001:db8:1::1/64 fe80::1/64" "$(vips r1)|$(vips r2)"
wait_for -t 10 is r2 relays
check_eq "only the MASTER relays: r2" "r2" "$(relays)"

# ---------------------------------------------------------------------------
step "$round.5. keepalived on r2 is killed (SIGKILL, both processes): r1 takes over."
# r1 snooped the subscriber's lease: it passes its packets, as r2 will
# once the sync is in. Until then r2, MASTER, drops them: no reply
# before the kill.
if [[ $LG_FAILOVER_SYNC == 1 ]]; then ping_start 3; else ping_start 0; fi
K0=$(kea_stat pkt6-received)
watch_vip r1
T0=${EPOCHREALTIME/./}
kill -KILL "$(<"$RUN/r2/vrrp.pid")" "$(<"$RUN/r2/keepalived.pid")"
wait "$WATCH"
MS=$(takeover_ms "$T0")
echo "# advert_int $ADV, SIGKILL: r1 holds the VIP $MS ms after the kill"
kad_stop r2	# reaped
wait_for -t 10 is MASTER state r1
wait_for -t 10 atleast 1 replies_after "$T0"
GAP=$(ping_gap "$T0")
echo "# advert_int $ADV, SIGKILL: the subscriber's pings through r1 resumed after a gap of $GAP (takeover $MS ms)"
ping_stop
check "its pings resume through r1, which knows it" test "$GAP" != none
check_eq "no DHCPv6 exchange in between" "$K0" "$(kea_stat pkt6-received)"
check_eq "r1 MASTER" MASTER "$(state r1)"
check_eq "r2 still holds the VIPs: a SIGKILLed keepalived removes nothing" \
	"2001:db8:1::1/64 fe80::1/64|2001:db8:1::1/64 fe80::1/64" "$(vips r1)|$(vips r2)"
wait_for -t 10 is "r1 r2" relays
check_eq "and no notify ran there: both relay" "r1 r2" "$(relays)"

step "$round.6. What the systemd drop-in does: ExecStopPost (the notify's STOP), then Restart."
nsx r2 "$NOTIFY" -c "$DIR/r2/notify.conf" GROUP LEASEGUARD STOP 0
check_eq "ExecStopPost stopped r2's relay" "r1" "$(relays)"
kad_start r2 "$ADV"
wait_for -t 20 is BACKUP state r2
check_eq "restarted, r2 is BACKUP" BACKUP "$(state r2)"
check_eq "and removed its stale VIPs as it started" "2001:db8:1::1/64 fe80::1/64|" \
	"$(vips r1)|$(vips r2)"

step "$round.7. Both stop (SIGTERM), and the drop-in's ExecStopPost runs: no VIP, no relay left."
# keepalived's own STOP notify on a SIGTERMed MASTER did not always get
# to stop the relay in the VM (the first run: r1's outlived it), so the
# drop-in's ExecStopPost, which runs after every stop, is what makes sure.
kad_stop r1
kad_stop r2
for r in $ROUTERS; do
	nsx $r "$NOTIFY" -c "$DIR/$r/notify.conf" GROUP LEASEGUARD STOP 0
done
check_eq "no VIP" "|" "$(vips r1)|$(vips r2)"
check_eq "no relay" "" "$(relays)"
done

# ---------------------------------------------------------------------------
# With the sync: the master dies whole, comes back as a new box, and the
# subscriber's renewal and release go through the new master.
if [[ $LG_FAILOVER_SYNC == 1 ]]; then
ADV=${LG_FAILOVER_ADVERTS##* }
round=$((round + 1))
# table R: R's bindings as the pair must agree on them.
table() {
	lg "$1" -j binding show dev acc0 |
		jq -c '[.[] | "\(.client_duid) \(.ia_type) \(.iaid) \(.state) \([.leases[].addr] | join(","))"] | sort'
}
replied() { lg "$1" -j binding show dev acc0 | jq -c '[.[] | .replied] | sort'; }
kea_expire() { kea_leases | awk -v a="$NA/128" '$1 == "NA" && $2 == a { print $6 }'; }

step "$round.1. advert_int $ADV: r1 MASTER; its keepalived and leaseguardd are SIGKILLed at once."
round_start "$ADV"
ping_start
K0=$(kea_stat pkt6-received)
takeovers() { grep -c "takeover: 2 bindings, routes installed in" "$DIR/r2/lgd.log"; }
N0=$(takeovers)
watch_vip r2
T0=${EPOCHREALTIME/./}
kill -KILL "$(<"$RUN/r1/vrrp.pid")" "$(<"$RUN/r1/keepalived.pid")" "${LGDPID[r1]}"
wait "$WATCH"
MS=$(takeover_ms "$T0")
echo "# advert_int $ADV, keepalived and leaseguardd SIGKILLed: r2 holds the VIP $MS ms after the kill"
kad_stop r1	# reaped
wait "${LGDPID[r1]}" 2>/dev/null
LGDPID[r1]=
wait_for -t 10 is MASTER state r2
wait_for -t 10 atleast $((N0 + 1)) takeovers
# r1's forwarding plane lives on (its kernel still validates and routes):
# what counts is that the subscriber never waits for a DHCPv6 exchange.
wait_for -t 10 atleast 1 replies_after "$T0"
GAP=$(ping_gap "$T0")
echo "# advert_int $ADV, keepalived and leaseguardd SIGKILLed: the pings' gap: $GAP (takeover $MS ms)"
ping_stop
check "its pings go on" test "$GAP" != none
check_eq "no DHCPv6 exchange in between" "$K0" "$(kea_stat pkt6-received)"
check_eq "r2 MASTER" MASTER "$(state r2)"
check_eq "r2's leaseguardd logged the takeover's routes" $((N0 + 1)) "$(takeovers)"
check_eq "r2 routes the delegated prefix" 1 \
	"$(ip -n r2 -6 route show proto 200 | grep -c "^$PD ")"

step "$round.2. r1 comes back as a new box (no binding, route, store or role of its own): r2 resyncs it whole."
# What systemd's drop-in runs for the dead keepalived (the notify's
# STOP: no relay), then what a new box lacks.
nsx r1 "$NOTIFY" -c "$DIR/r1/notify.conf" GROUP LEASEGUARD STOP 0
for vip in "fe80::1/64 dev acc0" "2001:db8:1::1/64 dev acc0" \
	"fe80::1/64 dev up0" "2001:db8:f::1/64 dev up0"; do
	# shellcheck disable=SC2086 # an address and a device
	n ip -n r1 addr del $vip
done
n ip -n r1 -6 route flush proto 200
lg r1 binding del all
rm -f "$DIR/r1/bindings.db" "$DIR/r1/bindings.db-wal" "$DIR/r1/bindings.db-shm" "$DIR/r1/role"
check_eq "r1 is empty: no binding, no route of ours" "0 0" \
	"$(nbindings r1) $(ip -n r1 -6 route show proto 200 | wc -l)"
printf '# [r1] leaseguardd -c %s &\n' "$DIR/r1/lgd.conf" >&2
ip netns exec r1 "$LGD" -c "$DIR/r1/lgd.conf" >>"$DIR/r1/lgd.log" 2>&1 &
LGDPID[r1]=$!
kad_start r1 "$ADV"
wait_for -t 20 is BACKUP state r1
check_eq "r2 MASTER, r1 BACKUP (nopreempt)" "MASTER BACKUP" "$(state r2) $(state r1)"
wait_for -t 20 is 2 nbindings r1
check_eq "r1 has r2's table again" "$(table r2)" "$(table r1)"
check_eq "as synced bindings" '["synced","synced"]' \
	"$(lg r1 -j binding show dev acc0 | jq -c '[.[] | .origin]')"
check_eq "and routes none (BACKUP)" 0 "$(ip -n r1 -6 route show proto 200 | wc -l)"

step "$round.3. The subscriber's renewal goes through r2 (dhclient restarted: a Rebind); r1's copy follows."
E0=$(kea_expire)
R0=$(replied r2)
_dhcp_kill dhclient-sub-eth0
client_start sub eth0
check_eq "the subscriber kept its address" "$NA" "$(client_lease sub eth0 na | sed 's|/128$||')"
check "Kea extended the lease ($E0 -> $(kea_expire))" test "$(kea_expire)" -gt "$E0"
wait_for -t 10 eval '[[ $(replied r2) != "$R0" ]]'
check "r2 snooped the renewal (a newer server transaction)" test "$(replied r2)" != "$R0"
wait_for -t 10 eval '[[ $(replied r1) == "$(replied r2)" ]]'
check_eq "r1's copy has the same server transaction" "$(replied r2)" "$(replied r1)"
check_eq "and the same table" "$(table r2)" "$(table r1)"

step "$round.4. The subscriber releases through r2: Kea, r2 and r1 let both leases go."
client_release sub eth0
wait_for -t 10 is 0 nbindings r2
wait_for -t 10 is 0 nbindings r1
check_eq "Kea has no lease left" "" "$(kea_leases)"
check_eq "r2 and r1 hold no binding" "0 0" "$(nbindings r2) $(nbindings r1)"
check_eq "and r2 routes none" 0 "$(ip -n r2 -6 route show proto 200 | wc -l)"
kad_stop r1
kad_stop r2
for r in $ROUTERS; do
	nsx $r "$NOTIFY" -c "$DIR/$r/notify.conf" GROUP LEASEGUARD STOP 0
done
fi

step "The end: every leaseguardd ran throughout."
for r in $ROUTERS; do
	check "$r: leaseguardd still runs" kill -0 "${LGDPID[$r]}"
done

tap_done
