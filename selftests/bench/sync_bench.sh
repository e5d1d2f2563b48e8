#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The failover pair's sync (Documentation/failover.rst), in the QEMU guest
# (run.sh sync), as root from the repository, leaseguard.ko not loaded:
#
#   sync_bench.sh stream [-r ROUNDS] N
#   sync_bench.sh takeover N
#
# stream: snoop_bench -q -k N makes N bindings by snooping at the
#   generator's full rate in its router namespace R, where the MASTER's
#   leaseguardd runs (started by snoop_bench -x before the first binding).
#   Rounds alternate: "off", leaseguardd with no partner configured; "on",
#   with a partner connected: a BACKUP leaseguardd in a namespace B of its
#   own (acc0 a dummy, the sync link a veth pair to R). Both have their
#   defaults otherwise (routes, a store). Figures: the snooping rate in
#   each mode (the issue's target: on >= 0.9 of off), and for "on",
#   sync_watch's: bindings/s replicated and the lag (the master's kernel
#   notification to the backup's, p50/p90/p99, and by tenths of the run),
#   with the leaseguardds' CPU seconds and the partner counters.
#   Both routers run in one guest on the same two CPUs: the backup's work
#   (its leaseguardd and its kernel making the bindings) competes with
#   the master's snooping, which two routers would not.
# takeover: a pair in two namespaces M and B (acc0 dummies, the sync
#   link); binding_fill makes N bindings in M (origin leasequery, as
#   learned), the time until B's kernel has them all; then M's leaseguardd
#   is killed (-9) and B is told "lgctl partner role master": its log line
#   "takeover: N bindings, routes installed in T ms", the lgctl command's
#   wall time, and the access routes B then has.
#
# Prints "bench sync" lines; never passes or fails on them.
set -u

cd "$(dirname "$0")/../.."
ROOT=$PWD
LGD=${LGD:-$ROOT/agent/leaseguardd/leaseguardd}
LGCTL=${LGCTL:-$ROOT/agent/lgctl/lgctl}
WATCH=$ROOT/selftests/bench/sync_watch
FILL=$ROOT/selftests/binding_fill
SNOOP=$ROOT/selftests/bench/snoop_bench
MODE=${1:?usage: sync_bench.sh stream [-r ROUNDS] N | takeover N}
shift
ROUNDS=4
if [[ $MODE == stream && ${1:-} == -r ]]; then
	ROUNDS=${2:?}
	shift 2
fi
N=${1:?usage: sync_bench.sh stream [-r ROUNDS] N | takeover N}
DIR=$(mktemp -d /tmp/lg-syncbench.XXXXXX)
declare -a PIDS=()

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# nsenter: no remount of /sys, as "ip netns exec" does (slow under TCG).
nsx() { local ns=$1; shift; nsenter --net=/run/netns/"$ns" "$@"; }
kernel_bindings() { nsx "$1" "$LGCTL" -j stats | jq -r .bindings; }
pshow() { timeout 20 "$LGCTL" -j partner show socket "$1/ctl.sock" | jq -r "$2"; }
# utime + stime of a process, in seconds.
cpu_s() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' \
		"/proc/$1/stat" 2>/dev/null || echo -1
}
kill_all() {
	local p
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	PIDS=()
}
del_netns() {
	local ns
	ip link del sync0r 2>/dev/null
	for ns in $(ip netns list | awk '/^(lgb[rc][0-9]|lgsync)/ { print $1 }'); do
		ip netns del "$ns"
	done
}
cleanup() {
	set +e
	kill_all
	del_netns
	rmmod leaseguard 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT

umask 077
openssl rand -hex 32 >"$DIR/partner.key"

# write_conf DIR [PEER ME [LISTEN]]: a leaseguardd's configuration, its
# defaults (routes, a store) but for its files; with a partner when PEER
# is given, listening on ME (or LISTEN).
write_conf() {
	local d=$1
	mkdir -p "$d"
	cat >"$d/lgd.conf" <<-EOF
	log-level info
	control-socket $d/ctl.sock
	store $d/bindings.db
	EOF
	if [[ $# -gt 1 ]]; then
		cat >>"$d/lgd.conf" <<-EOF
		partner $2
		partner-listen ${4:-$3}
		partner-key $DIR/partner.key
		node-id 0000000000000000000000000000000${3##*:}
		EOF
	fi
}

# start_lgd NS DIR: leaseguardd in NS; its PID in DIR/pid (exec: the
# subshell becomes nsenter, which becomes leaseguardd).
start_lgd() {
	local ns=$1 d=$2 i
	(exec nsenter --net=/run/netns/"$ns" "$LGD" -c "$d/lgd.conf") >>"$d/lgd.log" 2>&1 &
	echo $! >"$d/pid"
	PIDS+=($!)
	for i in $(seq 200); do
		"$LGCTL" daemon show socket "$d/ctl.sock" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "# leaseguardd in $ns did not answer on $d/ctl.sock" >&2
	tail -n 20 "$d/lgd.log" >&2
	return 1
}

role() { "$LGCTL" partner role "$2" socket "$1/ctl.sock" >/dev/null; }

wait_synced() {	# wait_synced DIR SECONDS
	local i
	for i in $(seq $(($2 * 10))); do
		[[ $(pshow "$1" .partner.state 2>/dev/null) == synced ]] && return 0
		sleep 0.1
	done
	echo "# $1: partner not synced after $2 s: $(pshow "$1" .partner.state)" >&2
	return 1
}

# access NS N: acc0 an access interface with room for N, in NS.
access() {
	nsx "$1" "$LGCTL" config set max-bindings "$2" >/dev/null &&
	nsx "$1" "$LGCTL" link set dev acc0 role access max-bindings "$2" >/dev/null
}

# sync_link A B: a veth pair sync0 between namespaces A (::1) and B (::2).
sync_link() {
	ip link add sync0 netns "$1" type veth peer name sync0 netns "$2" || return 1
	ip -n "$1" addr add 2001:db8:5::1/64 dev sync0 nodad &&
	ip -n "$2" addr add 2001:db8:5::2/64 dev sync0 nodad &&
	ip -n "$1" link set sync0 up && ip -n "$2" link set sync0 up
}

# new_ns NAME: a namespace with lo up and acc0, a dummy, up.
new_ns() {
	ip netns add "$1" && ip -n "$1" link set lo up &&
	ip -n "$1" link add acc0 type dummy && ip -n "$1" link set acc0 up
}

partner_figures() {	# partner_figures DIR: the counters that say how it went
	timeout 20 "$LGCTL" -j partner show socket "$1/ctl.sock" |
		jq -r '"sent=\(.sync.sent) received=\(.sync.received) applied=\(.sync.applied) refused=\(.sync.refused) queue_hwm=\(.sync.queue_hwm) overflows=\(.sync.overflows) resent=\(.sync.resent) gaps=\(.sync.gaps) bulks_sent=\(.sync.bulks_sent) bulks_received=\(.sync.bulks_received) made=\(.local.made) sent_updates=\(.local.sent_updates)"' 2>/dev/null ||
		echo "partner=unreadable"
}

insmod kmod/leaseguard.ko || exit 1

# ---- stream ---------------------------------------------------------------

stream_round() {	# stream_round ROUND on|off
	local r=$1 mode=$2 B=lgsyncb$$ md=$DIR/r$1/m bd=$DIR/r$1/b R wpid
	mkdir -p "$DIR/r$r"
	if [[ $mode == on ]]; then
		# The sync link's B end now, its other end into R once R
		# exists. Until then B's sync0 has no carrier and its address
		# stays tentative: B's leaseguardd listens on any address.
		new_ns "$B" || return 1
		ip link add sync0r type veth peer name sync0 netns "$B" &&
		ip -n "$B" addr add 2001:db8:5::2/64 dev sync0 nodad &&
		ip -n "$B" link set sync0 up || return 1
		access "$B" "$N" || return 1
		write_conf "$bd" 2001:db8:5::1 2001:db8:5::2 any
		start_lgd "$B" "$bd" || return 1
		role "$bd" backup || return 1
		write_conf "$md" 2001:db8:5::2 2001:db8:5::1
	else
		write_conf "$md"
	fi
	# Run by snoop_bench in R once R is set up (acc0 access with room
	# for N), before the first binding.
	cat >"$DIR/r$r/start.sh" <<-EOF
	#!/bin/bash
	set -e
	echo "\$LG_NS_R" >"$DIR/r$r/ns"
	$(declare -f nsx start_lgd role wait_synced pshow)
	LGD=$LGD LGCTL=$LGCTL PIDS=()
	if [[ $mode == on ]]; then
		# From the guest's first namespace, where sync0r waits.
		nsenter --net=/proc/1/ns/net ip link set sync0r netns "\$LG_NS_R"
		ip link set sync0r name sync0
		ip addr add 2001:db8:5::1/64 dev sync0 nodad
		ip link set sync0 up
		start_lgd "\$LG_NS_R" $md
		role $md master
		wait_synced $md 30
		wait_synced $bd 30
		$WATCH -i 30 -r $DIR/r$r/ready "\$LG_NS_R" $B $N \
			>$DIR/r$r/watch.out 2>$DIR/r$r/watch.err &
		echo \$! >$DIR/r$r/watch.pid
		for i in \$(seq 100); do [[ -e $DIR/r$r/ready ]] && break; sleep 0.1; done
	else
		start_lgd "\$LG_NS_R" $md
	fi
	EOF
	chmod +x "$DIR/r$r/start.sh"
	"$SNOOP" -q -k -x "$DIR/r$r/start.sh" "$N" >"$DIR/r$r/snoop.out" 2>"$DIR/r$r/snoop.err"
	local rc=$?
	R=$(cat "$DIR/r$r/ns" 2>/dev/null)
	[[ -s $md/pid ]] && PIDS+=("$(cat "$md/pid")")
	if [[ $rc -ne 0 ]]; then
		echo "bench sync n=$N round=$r mode=$mode FAIL snoop_bench status $rc"
		sed 's/^/# /' "$DIR/r$r/snoop.err" "$md/lgd.log" | tail -n 30
		return 1
	fi
	local rate
	rate=$(grep -o 'create_per_s=[0-9]*' "$DIR/r$r/snoop.out" | cut -d= -f2)
	echo "$mode ${rate:-0}" >>"$DIR/rates"
	if [[ $mode == on ]]; then
		wpid=$(cat "$DIR/r$r/watch.pid")
		# sync_watch ends when B has all N, or after 30 s without news.
		# Not our child: gone, or a zombie nobody reaped.
		while [[ $(awk '{ print $3 }' "/proc/$wpid/stat" 2>/dev/null) =~ ^[RSD]$ ]]; do
			sleep 0.5
		done
		sed "s/^bench sync /bench sync n=$N round=$r /" "$DIR/r$r/watch.out"
		sed 's/^/# watch: /' "$DIR/r$r/watch.err"
		echo "bench sync n=$N round=$r master $(partner_figures "$md")"
		echo "bench sync n=$N round=$r backup $(partner_figures "$bd")" \
		     "kernel_bindings=$(kernel_bindings "$B")"
		echo "bench sync n=$N round=$r cpu master_lgd_s=$(cpu_s "$(cat "$md/pid")")" \
		     "backup_lgd_s=$(cpu_s "$(cat "$bd/pid")")"
	else
		echo "bench sync n=$N round=$r cpu master_lgd_s=$(cpu_s "$(cat "$md/pid")")"
	fi
	echo "bench sync n=$N round=$r mode=$mode $(grep '^bench snoop' "$DIR/r$r/snoop.out" | cut -d' ' -f4-)"
	grep -hE "err|warn|resync|lost" "$md/lgd.log" ${bd:+"$bd/lgd.log"} 2>/dev/null |
		head -n 5 | sed 's/^/# /'
	kill_all
	del_netns
}

if [[ $MODE == stream ]]; then
	for r in $(seq "$ROUNDS"); do
		# off, on, off, on: each mode sees the guest as warm as the other.
		if ((r % 2)); then m=off; else m=on; fi
		stream_round "$r" "$m"
	done
	awk -v n="$N" '
		{ v[$1] = v[$1] " " $2; c[$1]++ }
		function med(s,   a, k, i, j, t) {
			k = split(s, a, " ")
			for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
		}
		END {
			off = med(v["off"]); on = med(v["on"])
			lo = substr(v["off"], 2); gsub(/ /, ",", lo)
			lon = substr(v["on"], 2); gsub(/ /, ",", lon)
			printf "bench sync n=%d snoop off_per_s=%.0f on_per_s=%.0f on_vs_off=%.3f rounds_off=%d rounds_on=%d off=%s on=%s\n",
				n, off, on, (off > 0 ? on / off : 0), c["off"], c["on"], lo, lon
		}' "$DIR/rates"
	exit 0
fi

# ---- takeover -------------------------------------------------------------

M=lgsyncm$$ B=lgsyncb$$
md=$DIR/m bd=$DIR/b
new_ns "$M" && new_ns "$B" && sync_link "$M" "$B" || exit 1
access "$M" "$N" && access "$B" "$N" || exit 1
write_conf "$md" 2001:db8:5::2 2001:db8:5::1
write_conf "$bd" 2001:db8:5::1 2001:db8:5::2
start_lgd "$M" "$md" && start_lgd "$B" "$bd" || exit 1
role "$md" master && role "$bd" backup || exit 1
wait_synced "$md" 30 && wait_synced "$bd" 30 || exit 1

t0=$(now)
nsx "$M" "$FILL" -O leasequery acc0 "$N" | sed 's/^/# /'
t_fill=$(now)
t_all=
# B's kernel has them all (or 15 minutes).
for i in $(seq 1800); do
	if [[ $(kernel_bindings "$B") == "$N" ]]; then t_all=$(now); break; fi
	sleep 0.5
done
echo "bench sync n=$N takeover fill_s=$(elapsed "$t0" "$t_fill")" \
     "backup_all_s=$([[ -n $t_all ]] && elapsed "$t0" "$t_all" || echo -1)" \
     "backup_after_fill_s=$([[ -n $t_all ]] && elapsed "$t_fill" "$t_all" || echo -1)" \
     "sync_per_s=$([[ -n $t_all ]] && awk -v n="$N" -v s="$(elapsed "$t0" "$t_all")" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }' || echo 0)" \
     "backup_bindings=$(kernel_bindings "$B")"
echo "bench sync n=$N takeover master $(partner_figures "$md")"
echo "bench sync n=$N takeover backup $(partner_figures "$bd")"
# The master fails; keepalived on B says MASTER.
kill -9 "$(cat "$md/pid")"
sleep 1
t0=$(now)
role "$bd" master
t1=$(now)
line=$(grep -o "takeover: [0-9]* bindings, routes installed in [0-9]* ms" "$bd/lgd.log" | tail -n 1)
routes=$(ip -n "$B" -6 route show proto 200 | wc -l)
echo "bench sync n=$N takeover bindings=$(echo "$line" | awk '{ print $2 }')" \
     "routes_ms=$(echo "$line" | awk '{ print $7 }')" \
     "lgctl_role_s=$(elapsed "$t0" "$t1") routes_now=$routes" \
     "backup_lgd_cpu_s=$(cpu_s "$(cat "$bd/pid")")"
echo "# $line"
grep -hE "err|warn|resync|lost" "$md/lgd.log" "$bd/lgd.log" | head -n 5 | sed 's/^/# /'
exit 0
