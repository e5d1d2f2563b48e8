#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leaseguardd's binding store across a simulated reboot, with many
# bindings, and across kill -9 in a stream of new ones:
#
#   sub: eth0 2001:db8:1::2 -- acc0 :rtr: up0 -- eth0 2001:db8:f::2 :srv
#   rtr: leaseguard.ko, acc0 access, savi enforce; leaseguardd (routes on,
#        store $DIR/bindings.db, store-delay 1)
#
# 1. A simulated reboot: N bindings (LG_REBOOT_N, default 10000; binding_fill:
#    batched LG_CMD_BINDING_NEW, as DHCP snooping of 10,000 dhclients would
#    take minutes under TCG), one of them sub's 2001:db8:1::2, plus 50 that
#    live 20 s; committed; kill -9 leaseguardd, rmmod, the 50 expire,
#    insmod, acc0 access and savi enforce again (as the boot would), start.
#    Every unexpired binding is back (same addresses), with its route, and
#    the 50 are not (nor their routes); sub pings srv throughout (every
#    0.25 s), and the only pings lost are those sent between the module's
#    enforce and leaseguardd's restore.
# 2. kill -9 at a random moment during a stream of 1000 bindings a second
#    (twice): every binding the store had committed is restored after a
#    reload; the window (bindings the kernel had made at the kill but the
#    store had not committed) is printed, and is at most store-delay's
#    worth of the stream, plus two seconds (the commit, the events' wait).
set -u

source "$(dirname "$0")/lib.sh"
LGD=$LG_ROOT/agent/leaseguardd/leaseguardd
FILL=$LG_ROOT/selftests/binding_fill
N=${LG_REBOOT_N:-10000}
[[ -x $LGD ]] || skip_all "agent/leaseguardd/leaseguardd is not built"
[[ -x $FILL ]] || skip_all "selftests/binding_fill is not built"
[[ $(id -u) -eq 0 ]] || skip_all "needs root"
command -v jq >/dev/null || skip_all "jq is not installed"
python3 -c "import sqlite3" 2>/dev/null || skip_all "python3 has no sqlite3"
[[ ! -d /sys/module/leaseguard ]] || skip_all "leaseguard is loaded already"

DIR=$(mktemp -d /tmp/lg-reboot.XXXXXX)
LGDPID=
PINGPID=
cleanup() {
	set +e
	[[ -n $PINGPID ]] && kill "$PINGPID" 2>/dev/null
	[[ -n $LGDPID ]] && kill -9 "$LGDPID" 2>/dev/null && wait "$LGDPID" 2>/dev/null
	topology_down
	rmmod leaseguard 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT

now() { date +%s.%N; }
# What the boot's configuration does: acc0 access, enforce, room for all.
module_up() {
	n insmod "$LG_ROOT/kmod/leaseguard.ko" || exit 1
	nsx rtr "$LGCTL" config set max-bindings 100000
	nsx rtr "$LGCTL" link set dev acc0 role access max-bindings 100000 savi enforce
}
lgd_start() {
	printf '# [rtr] leaseguardd -c %s &\n' "$DIR/lgd.conf" >&2
	ip netns exec rtr "$LGD" -c "$DIR/lgd.conf" >>"$DIR/lgd.log" 2>&1 &
	LGDPID=$!
	wait_for -t 120 atleast "$1" grep -c "store $DIR/bindings.db: .* in the kernel" "$DIR/lgd.log"
}
lgd_kill9() { kill -9 "$LGDPID"; wait "$LGDPID" 2>/dev/null; LGDPID=; }
reconciled() { grep -o "[0-9]* bindings in it.*" "$DIR/lgd.log" | tail -n 1; }
status() { "$LGCTL" -j daemon show socket "$DIR/lgd.sock" | jq -r "$1"; }
sql() { python3 -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print(" ".join(map(str, r)))' "$DIR/bindings.db" "$1"; }
# The kernel's bindings' addresses, sorted; the store's; our routes'.
k_addrs() { ip netns exec rtr "$LGCTL" -j binding show dev acc0 | jq -r '.[].leases[].addr' | sort; }
s_addrs() {
	python3 -c 'import ipaddress, sqlite3, sys
for (a,) in sqlite3.connect(sys.argv[1]).execute("SELECT addr FROM lease"):
    print(ipaddress.IPv6Address(a))' "$DIR/bindings.db" | sort
}
r_addrs() { ip -n rtr -6 route show proto 200 | awk '{ sub("/128", "", $1); print $1 }' | sort; }
committed() { [[ $(status .store.pending) == 0 && $(status .store.rows) == "$1" ]]; }

step "0. The topology, the module (acc0 access, enforce), leaseguardd."
topology_up
module_up
cat >"$DIR/lgd.conf" <<EOF
log-level info
relay-id 00:02:00:00:00:09:6c:67
control-socket $DIR/lgd.sock
store $DIR/bindings.db
store-delay 1
EOF
lgd_start 1

step "1. A simulated reboot with $N bindings."
t=$SECONDS
nsx rtr "$FILL" -v 3600 acc0 "$N" || exit 1
wait_for -t 120 committed "$N"
wait_for -t 120 is "$N" sh -c "ip -n rtr -6 route show proto 200 | wc -l"
# The 50 that end during the reboot, once the N are in: their 20 s are
# not spent waiting for the N (the debug kernel took longer than that).
nsx rtr "$FILL" -f 1000001 -v 20 -p 2001:db8:2:: acc0 50 || exit 1
t_short=$(date +%s)
wait_for -t 15 committed $((N + 50))
wait_for -t 15 is $((N + 50)) sh -c "ip -n rtr -6 route show proto 200 | wc -l"
echo "# $((N + 50)) bindings made, committed and routed in $((SECONDS - t)) s"
k_addrs >"$DIR/before"
grep -v '^2001:db8:2::' "$DIR/before" >"$DIR/want"
check_eq "the kernel had them all" $((N + 50)) "$(wc -l <"$DIR/before")"

# sub pings srv through rtr throughout, from 2001:db8:1::2 (binding 2).
ip netns exec sub ping -6 -n -D -O -i 0.25 -W 1 2001:db8:f::2 >"$DIR/ping" 2>&1 &
PINGPID=$!
wait_for -t 10 grep -q "icmp_seq=.* time=" "$DIR/ping"

lgd_kill9
t_out=$(now)
n rmmod leaseguard
# The 50 end while the module is out (and the routes stay: nobody runs).
while [[ $(date +%s) -le $((t_short + 21)) ]]; do sleep 0.5; done
t_enforce=$(now)
module_up
t=$SECONDS
lgd_start 2
wait_for -t 60 grep -q "bindings in it.* restored" "$DIR/lgd.log"
t_restored=$(now)
echo "# leaseguardd reconciled $N bindings in $((SECONDS - t)) s"
check_eq "the store restored the unexpired, dropped the expired" \
	"$((N + 50)) bindings in it, 0 in the kernel (the kernel lost its bindings): $N restored, 0 written, 50 dropped, 0 kept unrestored" \
	"$(grep -o "[0-9]* bindings in it.*restored.*" "$DIR/lgd.log" | sed -n 2p)"
check_eq "every unexpired binding is back, the expired ones are not" \
	"$(cat "$DIR/want")" "$(k_addrs)"
wait_for -t 120 is "$(cat "$DIR/want")" r_addrs
check_eq "their routes: the unexpired ones', not the expired ones'" \
	"$(cat "$DIR/want")" "$(r_addrs)"
wait_for -t 120 committed "$N"
check_eq "the store: the unexpired ones" "$(cat "$DIR/want")" "$(s_addrs)"
check_eq "restored ones are origin restored in the store" "$N" \
	"$(sql "SELECT count(*) FROM binding WHERE origin = 2")"

# Pings: those lost were sent between enforce and the restore.
sleep 2
kill -INT "$PINGPID"; wait "$PINGPID" 2>/dev/null; PINGPID=
python3 - "$DIR/ping" "$t_enforce" "$t_restored" >"$DIR/pingcheck" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
t_enf, t_res = float(sys.argv[2]), float(sys.argv[3])
answered, noans = set(), {}
for l in lines:
    m = re.match(r"\[(\d+\.\d+)\] (.*)", l)
    if not m:
        continue
    t, rest = float(m.group(1)), m.group(2)
    s = re.search(r"icmp_seq=(\d+)", rest)
    if not s:
        continue
    seq = int(s.group(1))
    if "time=" in rest:
        answered.add(seq)
    elif "no answer yet" in rest:
        # Printed as the next one goes: it was sent 0.25 s before.
        noans.setdefault(seq, t - 0.25)
lost = sorted(s for s in noans if s not in answered)
last = max(answered | set(noans)) if noans or answered else 0
outside = [s for s in lost if not t_enf - 0.5 <= noans[s] <= t_res + 0.5]
print("sent %d lost %d window %.2f outside %d after %d" % (
    last, len(lost), t_res - t_enf, len(outside),
    len([s for s in lost if noans[s] > t_res + 0.5])))
PY
cat "$DIR/pingcheck" | sed 's/^/# ping: /'
check_eq "no ping lost outside the module's absence (enforce to restore)" \
	0 "$(awk '{ print $8 }' "$DIR/pingcheck")"
check "some pings went through before and after" \
	grep -q "icmp_seq=.* time=" "$DIR/ping"

step "2. kill -9 during a stream of new bindings (1000/s), twice."
for round in 1 2; do
	made=$DIR/made.$round
	first=$((2000000 + round * 100000))
	ip netns exec rtr "$FILL" -f "$first" -r 1000 -o "$made" \
		-p "2001:db8:$((2 + round))::" acc0 8000 >"$DIR/fill.$round" 2>&1 &
	fillpid=$!
	# A random moment 2 to 5 s in.
	sleep "$((2 + RANDOM % 3)).$((RANDOM % 10))"
	read -r k_kill _ <"$made"
	lgd_kill9
	read -r k_after _ <"$made"
	kill "$fillpid" 2>/dev/null; wait "$fillpid" 2>/dev/null
	s_addrs >"$DIR/committed.$round"
	c=$(grep -c "^2001:db8:$((2 + round))::" "$DIR/committed.$round")
	echo "# round $round: the kernel had made $k_kill-$k_after of the stream at the kill, the store had committed $c: $((k_kill - c)) to $((k_after - c)) not committed (store-delay 1 s, 1000/s)"
	# store-delay (1 s) of the stream, plus 2 s: under TCG a commit of a
	# second's bindings takes up to 1.5 s, and the events wait meanwhile.
	check "round $round: lost at most store-delay + 2 s of the stream" \
		test $((k_kill - c)) -le 3000
	n rmmod leaseguard
	module_up
	lgd_start $((round + 2))
	wait_for -t 60 grep -c "bindings in it.* restored" "$DIR/lgd.log" >/dev/null
	check_eq "round $round: every committed binding is restored" "" \
		"$(comm -23 "$DIR/committed.$round" <(k_addrs))"
	wait_for -t 120 committed "$(wc -l <"$DIR/committed.$round")"
done

lgd_kill9
topology_down
n rmmod leaseguard
tap_done
