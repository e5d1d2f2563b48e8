#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leaseguardd's binding store, in the QEMU guest (run.sh store N...), as
# root from the repository, with leaseguard.ko not loaded:
#
#   store_bench.sh N
#   store_bench.sh -d DB N
#
# 1. Write: snoop_bench -k N creates N bindings (one IA_NA each) at the
#    generator's full rate while leaseguardd (routes off, store-delay 1)
#    writes them to its store. Every 0.5 s: the kernel's bindings, the
#    store's rows and leaseguardd's pending changes; the backlog is the
#    kernel's less the store's. Figures: bindings/s written (the N over the
#    time from the first binding until the store has all N), the commit
#    latency (p50/p99 of the last 1024 commits, max) from leaseguardd's
#    control socket, the largest backlog, and the backlog at the end of
#    each tenth of the run (does it grow?).
# 2. Restore (a simulated reboot): leaseguardd stopped (SIGTERM: it
#    commits), the module reloaded, acc0 made access again with room for N,
#    leaseguardd started: the time until its reconcile line says the N
#    bindings are restored, until the kernel has them all, and until the
#    store has written them back (pending 0); leaseguardd's VmRSS and
#    VmHWM per binding.
# -d DB: the restore alone, from DB (store_fill.sh DB N made it, on the
# host: writing a million rows in the guest takes too long), into acc0, a
# dummy access interface of a namespace of its own.
#
# Prints "bench store" lines; never passes or fails on them.
set -u

cd "$(dirname "$0")/../.."
ROOT=$PWD
LGD=${LGD:-$ROOT/agent/leaseguardd/leaseguardd}
LGCTL=${LGCTL:-$ROOT/agent/lgctl/lgctl}
FILL=
if [[ ${1:-} == -d ]]; then
	FILL=${2:?usage: store_bench.sh [-d DB] N}
	shift 2
fi
N=${1:?usage: store_bench.sh [-d DB] N}
DIR=$(mktemp -d /tmp/lg-storebench.XXXXXX)
NS=
LGDPID=

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
cleanup() {
	set +e
	[[ -n $LGDPID ]] && kill -9 "$LGDPID" 2>/dev/null
	[[ -n $NS ]] && ip netns del "$NS" 2>/dev/null
	for ns in $(ip netns list | awk '/^lgb[rc][0-9]/ { print $1 }'); do
		ip netns del "$ns"
	done
	rmmod leaseguard 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT

cat >"$DIR/lgd.conf" <<EOF
log-level info
routes no
relay-id 00:02:00:00:00:09:6c:67
control-socket $DIR/lgd.sock
store $DIR/bindings.db
store-delay 1
EOF

# Bounded: leaseguardd answers between two commits, not during one.
lgd_status() { timeout 20 $LGCTL -j daemon show socket "$DIR/lgd.sock" | jq -r "$1"; }
rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$LGDPID/status"; }

# The sampler, in R: "t kernel rows" every 0.5 s until $DIR/stop: the
# kernel's count (lgctl), and the rows committed, read from the file (a
# WAL reader does not wait for the writer; leaseguardd's control socket
# waits while it commits or drains a burst of events).
sampler() {
	ip netns exec "$NS" python3 - "$1" "$DIR" "$LGCTL" <<'PY'
import json, os, sqlite3, subprocess, sys, time
t0, d, lgctl = float(sys.argv[1]), sys.argv[2], sys.argv[3]
out = open(d + "/samples", "a")
db = None
while not os.path.exists(d + "/stop"):
    try:
        k = json.loads(subprocess.run([lgctl, "-j", "stats"], capture_output=True).stdout)["bindings"]
    except Exception:
        k = "?"
    try:
        if db is None:
            db = sqlite3.connect(d + "/bindings.db", timeout=0.2)
        r = db.execute("SELECT count(*) FROM binding").fetchone()[0]
    except Exception:
        r = "?"
    print("%.2f %s %s" % (time.time() - t0, k, r), file=out, flush=True)
    time.sleep(0.5)
PY
}

insmod kmod/leaseguard.ko || exit 1

write() {
# 1. Write.
# snoop_bench -x: leaseguardd started in R once R exists, before the first
# binding; the PID and R's name come back in files.
cat >"$DIR/start.sh" <<EOF
#!/bin/bash
echo "\$LG_NS_R" >"$DIR/ns"
"$LGD" -c "$DIR/lgd.conf" >>"$DIR/lgd.log" 2>&1 &
echo \$! >"$DIR/pid"
for i in \$(seq 200); do
	grep -q "store $DIR/bindings.db: .* in the kernel" "$DIR/lgd.log" && exit 0
	sleep 0.1
done
echo "leaseguardd did not start" >&2
exit 1
EOF
chmod +x "$DIR/start.sh"
# The sampler starts with the first binding: snoop_bench settles first.
(
	while [[ ! -s $DIR/pid ]]; do sleep 0.1; done
	NS=$(cat "$DIR/ns")
	sampler "$(cat "$DIR/t0")"
) &
SAMPLER=$!
echo "$(now)" >"$DIR/t0"
selftests/bench/snoop_bench -k -x "echo \$(date +%s.%N) >$DIR/t0; $DIR/start.sh" "$N" |
	tee "$DIR/snoop.out" | grep -E '^bench snoop n=[0-9]+ (create_per_s|n=)' || true
NS=$(cat "$DIR/ns" 2>/dev/null)
LGDPID=$(cat "$DIR/pid" 2>/dev/null)
if [[ -z $NS || -z $LGDPID ]]; then
	echo "bench store n=$N FAIL snoop_bench or leaseguardd did not start"
	cat "$DIR/lgd.log"
	exit 1
fi
t0=$(cat "$DIR/t0")
K=$(ip netns exec "$NS" $LGCTL -j stats | jq -r .bindings)
# Until the store has them all (or 10 minutes).
for i in $(seq 6000); do
	r=$(lgd_status '"\(.store.rows) \(.store.pending)"')
	[[ $r == "$K 0" ]] && break
	sleep 0.1
done
t_done=$(now)
touch "$DIR/stop"
wait "$SAMPLER"
create_s=$(awk '/^bench snoop n=[0-9]+ n=|create_s=/ { for (i = 1; i <= NF; i++) if ($i ~ /^create_s=/) { sub("create_s=", "", $i); print $i; exit } }' "$DIR/snoop.out")
lgd_status '.store' >"$DIR/status.json"
write_s=$(awk -v a="$t0" -v b="$t_done" 'BEGIN { printf "%.2f", b - a }')
# t0 is before snoop_bench's settle(): the first sample with a binding is
# the start of the stream.
# the start of the stream (within the sampling's 0.5 s).
read -r first_t <<<"$(awk '$2 ~ /^[0-9]+$/ && $2 > 0 { print $1; exit }' "$DIR/samples")"
first_t=${first_t:-0}
stream_s=$(awk -v a="$first_t" -v b="$write_s" 'BEGIN { printf "%.2f", b - a }')
rows=$(jq -r .rows "$DIR/status.json")
echo "bench store n=$N write kernel=$K rows=$rows create_s=${create_s:-?} store_all_after_s=$stream_s" \
     "written_per_s=$(awk -v n="$rows" -v s="$stream_s" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }')" \
     "commits=$(jq -r .commits "$DIR/status.json") committed=$(jq -r .committed "$DIR/status.json")" \
     "commit_p50_us=$(jq -r .commit_p50_us "$DIR/status.json")" \
     "commit_p99_us=$(jq -r .commit_p99_us "$DIR/status.json")" \
     "commit_max_us=$(jq -r .commit_max_us "$DIR/status.json")" \
     "errors=$(jq -r .errors "$DIR/status.json")"
# The backlog (kernel - store rows) over time: max, and at each tenth.
awk -v n="$N" '
	$2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ {
		b = $2 - $3; if (b > max) { max = b; maxt = $1 }
		t[++k] = $1; bl[k] = b
	}
	END {
		line = sprintf("bench store n=%d backlog samples=%d max=%d at_s=%s", n, k, max, maxt)
		for (i = 1; i <= 10; i++) {
			j = int(k * i / 10); if (j < 1) j = 1
			line = line sprintf(" t%.1f=%d", t[j], bl[j])
		}
		print line
	}' "$DIR/samples"
echo "bench store n=$N write rss_kb=$(rss VmRSS) hwm_kb=$(rss VmHWM)" \
     "rss_per_binding=$(awk -v a="$(rss VmRSS)" -v n="$K" 'BEGIN { printf "%.0f", a * 1024 / n }')" \
     "db_bytes=$(stat -c %s "$DIR/bindings.db") wal_bytes=$(stat -c %s "$DIR/bindings.db-wal" 2>/dev/null || echo 0)"

kill -TERM "$LGDPID"
while kill -0 "$LGDPID" 2>/dev/null; do sleep 0.1; done
LGDPID=
rmmod leaseguard || exit 1
insmod kmod/leaseguard.ko || exit 1
}

if [[ -n $FILL ]]; then
	# The store as another boot left it; a namespace with acc0.
	NS=lgstore$$
	ip netns add "$NS" || exit 1
	ip -n "$NS" link add acc0 type dummy || exit 1
	ip -n "$NS" link set acc0 up || exit 1
	cp "$FILL" "$DIR/bindings.db" || exit 1
	K=$N
	echo "# store_bench: restore of $N from $FILL ($(stat -c %s "$FILL") bytes)"
else
	write
fi

# 2. Restore.
ip netns exec "$NS" $LGCTL config set max-bindings "$N" || exit 1
ip netns exec "$NS" $LGCTL link set dev acc0 role access max-bindings "$N" || exit 1
: >"$DIR/lgd.log"
sync
echo 3 >/proc/sys/vm/drop_caches
t0=$(now)
ip netns exec "$NS" "$LGD" -c "$DIR/lgd.conf" >>"$DIR/lgd.log" 2>&1 &
LGDPID=$!
# Its store lines as they come, with the time since the start: a restore
# that outlasts the guest's time limit still says how far it got.
tail -n +1 -f "$DIR/lgd.log" 2>/dev/null | while read -r line; do
	case $line in
	*"bindings in it"*|*"reconciled in"*|*resync*|*lost*|*err:*)
		echo "# [$(elapsed "$t0" "$(now)") s] $line" ;;
	esac
done &
TAILPID=$!
t_line= t_kernel= t_durable=
# The reconcile is given LG_STORE_BENCH_LIMIT s (default 400); the
# store's catching up after it (a write of each restored binding),
# LG_STORE_BENCH_WAIT s more (default 240): a million rows take longer.
limit_s=${LG_STORE_BENCH_LIMIT:-400}
wait_s=${LG_STORE_BENCH_WAIT:-240}
while awk -v a="$t0" -v b="${t_line:-$t0}" -v c="$(now)" -v l="$limit_s" -v w="$wait_s" \
	'BEGIN { exit !(b == a ? c - a < l : c - b < w) }'; do
	if [[ -z $t_line ]] && grep -q "bindings in it.* restored" "$DIR/lgd.log"; then
		t_line=$(now)
		echo "# reconciled after $(elapsed "$t0" "$t_line") s"
	fi
	# nsenter: no remount of /sys, as "ip netns exec" does (slow in TCG).
	if [[ -z $t_kernel ]] &&
	   [[ $(nsenter --net=/run/netns/"$NS" $LGCTL -j stats | jq -r .bindings) == "$K" ]]; then
		t_kernel=$(now)
		echo "# the kernel has all $K after $(elapsed "$t0" "$t_kernel") s"
	fi
	if [[ -n $t_kernel ]]; then
		r=$(lgd_status '"\(.store.rows) \(.store.pending)"')
		[[ $r == "$K 0" ]] && { t_durable=$(now); break; }
	fi
	kill -0 "$LGDPID" 2>/dev/null || break
	sleep 0.5
done
kill "$TAILPID" 2>/dev/null
echo "bench store n=$N restore" \
     "reconciled_s=$([[ -n $t_line ]] && elapsed "$t0" "$t_line" || echo -1)" \
     "kernel_all_s=$([[ -n $t_kernel ]] && elapsed "$t0" "$t_kernel" || echo -1)" \
     "store_again_s=$([[ -n $t_durable ]] && elapsed "$t0" "$t_durable" || echo -1)" \
     "kernel_bindings=$(ip netns exec "$NS" $LGCTL -j stats | jq -r .bindings)" \
     "store_rows=$(lgd_status .store.rows) store_pending=$(lgd_status .store.pending)" \
     "rss_kb=$(rss VmRSS) hwm_kb=$(rss VmHWM)" \
     "rss_per_binding=$(awk -v a="$(rss VmRSS)" -v n="$K" 'BEGIN { printf "%.0f", a * 1024 / n }')" \
     "hwm_per_binding=$(awk -v a="$(rss VmHWM)" -v n="$K" 'BEGIN { printf "%.0f", a * 1024 / n }')"
grep -E "err|warn" "$DIR/lgd.log" | head -5 | sed 's/^/# /'
exit 0
