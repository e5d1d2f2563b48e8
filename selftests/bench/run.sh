#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks, in the QEMU guest (see README.md):
#
#   selftests/bench/run.sh [snoop|savi|routes|release|mcast|store|sync|all] [N...] [-- OPTIONS...]
#
# snoop:  DHCPv6 snooping, snoop_bench for each N (default 100000 1000000).
# savi:   forwarding with source-address validation, fwd_bench with all the
#         N at once (default 1000 100000 1000000).
# routes: leaseguardd's access routes, routes_bench -n N for each N; by
#         default N = 100000 twice, IA_NA only and with -p (IA_PD too).
# release: the relay-initiated release after an access link goes down,
#         release_bench -n N for each N (default 10000 subscribers, each
#         an IA_NA and an IA_PD), with leaseguardd and release_server.
# mcast:  the IGMP/MLD proxy: report snooping, memory per group and the
#         forwarding filter under ipmr, mcast_bench with all the N at once
#         (groups, default 1000 10000 60000).
# store:  leaseguardd's binding store: written while snoop_bench makes N
#         bindings, then restored after a module reload, store_bench.sh for
#         each N (default 100000 1000000; the VM gets 6 GB). Above 200000
#         the store is made on the host (store_fill.sh), the restore alone
#         measured.
# sync:   the failover pair's sync, sync_bench.sh: the snooping rate with
#         no partner and with one connected, the bindings/s replicated
#         and the lag, with snoop_bench making the first N (default
#         50000) in 4 rounds (off, on, off, on); then the takeover of a
#         backup holding each further N (default 10000 100000). OPTIONS
#         go to the stream (-r ROUNDS).
# all (the default) runs the seven with their default sizes; sizes and
# OPTIONS (passed to the program before the sizes) need one benchmark named.
# Builds the programs, boots the VM with 3 GB (6 GB with store), prints the "bench " lines
# last. snoop and savi need kmod/leaseguard.ko and agent/lgctl/lgctl (make);
# release needs kmod/leaseguard.ko and agent/leaseguardd/leaseguardd, and builds
# selftests/release_server; mcast needs kmod/leaseguard.ko.
# LG_BENCH_MEM (MB) and LG_BENCH_TIMEOUT (s) override the VM's.
# Exit status: the VM runner's (124 timeout, 125 kernel splat, ...).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
mem=${LG_BENCH_MEM:-}

which=all
opts=()
sizes=()
case "${1:-}" in
snoop|savi|routes|release|mcast|store|sync|all) which=$1; shift ;;
esac
while [[ $# -gt 0 ]]; do
	case "$1" in
	-h|--help) sed -n '4,37p' "${BASH_SOURCE[0]}"; exit 0 ;;
	--) shift; opts=("$@"); break ;;
	*) [[ $1 =~ ^[1-9][0-9]*$ ]] || { echo "bench: not a size: $1" >&2; exit 2; }
	   sizes+=("$1") ;;
	esac
	shift
done
if [[ $which == all && ${#sizes[@]}${#opts[@]} != 00 ]]; then
	echo "bench: sizes and options need a benchmark: run.sh snoop|savi|routes|release|mcast|store|sync ..." >&2
	exit 2
fi
case "$which" in
snoop) timeout=${LG_BENCH_TIMEOUT:-1800} ;;
savi) timeout=${LG_BENCH_TIMEOUT:-1800} ;;
routes) timeout=${LG_BENCH_TIMEOUT:-1200} ;;
release) timeout=${LG_BENCH_TIMEOUT:-900} ;;
mcast) timeout=${LG_BENCH_TIMEOUT:-1200} ;;
store) timeout=${LG_BENCH_TIMEOUT:-1200} ;;
sync) timeout=${LG_BENCH_TIMEOUT:-1800} ;;
*) timeout=${LG_BENCH_TIMEOUT:-9600} ;;
esac
# 1M bindings in the store: leaseguardd holds them while it restores.
case "$which" in
store|all) mem=${mem:-6144} ;;
*) mem=${mem:-3072} ;;
esac

case "$which" in
snoop|savi) need=(kmod/leaseguard.ko agent/lgctl/lgctl) ;;
routes) need=() ;;
release) need=(kmod/leaseguard.ko agent/leaseguardd/leaseguardd) ;;
mcast) need=(kmod/leaseguard.ko) ;;
store|sync) need=(kmod/leaseguard.ko agent/lgctl/lgctl agent/leaseguardd/leaseguardd) ;;
*) need=(kmod/leaseguard.ko agent/lgctl/lgctl agent/leaseguardd/leaseguardd) ;;
esac
for f in "${need[@]}"; do
	[[ -e $root/$f ]] ||
		{ echo "bench: $f is missing: run make" >&2; exit 2; }
done
case "$which" in
snoop) progs=(snoop_bench) ;;
savi) progs=(fwd_bench) ;;
routes) progs=(routes_bench) ;;
release) progs=(release_bench) ;;
mcast) progs=(mcast_bench) ;;
store) progs=(snoop_bench) ;;
sync) progs=(snoop_bench sync_watch) ;;
*) progs=(snoop_bench fwd_bench routes_bench release_bench mcast_bench sync_watch) ;;
esac
make -s -C "$here" "${progs[@]}"
if [[ $which == release || $which == all ]]; then
	make -s -C "$root/selftests" release_server
fi
if [[ $which == sync || $which == all ]]; then
	make -s -C "$root/selftests" binding_fill
fi

# Each benchmark (and each size) runs even if an earlier one failed.
cmd="rc=0;"
if [[ $which == snoop || $which == all ]]; then
	snoop_sizes=("${sizes[@]:-}")
	[[ ${#sizes[@]} -gt 0 ]] || snoop_sizes=(100000 1000000)
	cmd+=" insmod kmod/leaseguard.ko || exit 1;"
	for n in "${snoop_sizes[@]}"; do
		cmd+=" selftests/bench/snoop_bench ${opts[*]} $n || rc=\$?;"
	done
	cmd+=" rmmod leaseguard || rc=1;"
fi
if [[ $which == savi || $which == all ]]; then
	savi_sizes=("${sizes[@]:-}")
	[[ ${#sizes[@]} -gt 0 ]] || savi_sizes=(1000 100000 1000000)
	# fwd_bench loads the module itself, after measuring without it.
	cmd+=" selftests/bench/fwd_bench -M kmod/leaseguard.ko ${opts[*]}"
	cmd+=" ${savi_sizes[*]} || rc=\$?;"
	cmd+=" rmmod leaseguard 2>/dev/null;"
fi
if [[ $which == routes || $which == all ]]; then
	# No module: routes_bench makes a namespace of its own.
	if [[ ${#sizes[@]}${#opts[@]} == 00 ]]; then
		cmd+=" selftests/bench/routes_bench -n 100000 || rc=\$?;"
		cmd+=" selftests/bench/routes_bench -p -n 100000 || rc=\$?;"
	else
		for n in "${sizes[@]:-100000}"; do
			cmd+=" selftests/bench/routes_bench ${opts[*]} -n $n || rc=\$?;"
		done
	fi
fi
if [[ $which == release || $which == all ]]; then
	# leaseguardd runs in release_bench's router namespace.
	cmd+=" insmod kmod/leaseguard.ko || exit 1;"
	for n in "${sizes[@]:-10000}"; do
		cmd+=" selftests/bench/release_bench ${opts[*]} -n $n || rc=\$?;"
	done
	cmd+=" rmmod leaseguard || rc=1;"
fi
if [[ $which == mcast || $which == all ]]; then
	mcast_sizes=("${sizes[@]:-}")
	[[ ${#sizes[@]} -gt 0 ]] || mcast_sizes=(1000 10000 60000)
	# mcast_bench loads the module itself, after measuring without it.
	cmd+=" selftests/bench/mcast_bench -M kmod/leaseguard.ko ${opts[*]}"
	cmd+=" ${mcast_sizes[*]} || rc=\$?;"
	cmd+=" rmmod leaseguard 2>/dev/null;"
fi
if [[ $which == store || $which == all ]]; then
	# store_bench.sh loads the module itself, and unloads it.
	store_sizes=("${sizes[@]:-}")
	[[ ${#sizes[@]} -gt 0 ]] || store_sizes=(100000 1000000)
	for n in "${store_sizes[@]}"; do
		if [[ $n -gt 200000 ]]; then
			# Written in the guest it would take over ten minutes:
			# the store is made here, the guest restores it.
			mkdir -p "$root/build/bench"
			"$here/store_fill.sh" "$root/build/bench/store-$n.db" "$n"
			cmd+=" selftests/bench/store_bench.sh -d build/bench/store-$n.db $n || rc=\$?;"
		else
			cmd+=" selftests/bench/store_bench.sh $n || rc=\$?;"
		fi
	done
fi
if [[ $which == sync || $which == all ]]; then
	# sync_bench.sh loads the module itself, and unloads it.
	sync_sizes=("${sizes[@]:-}")
	[[ ${#sizes[@]} -gt 0 ]] || sync_sizes=(50000 10000 100000)
	cmd+=" selftests/bench/sync_bench.sh stream ${opts[*]} ${sync_sizes[0]} || rc=\$?;"
	for n in "${sync_sizes[@]:1}"; do
		cmd+=" selftests/bench/sync_bench.sh takeover $n || rc=\$?;"
	done
fi
cmd+=" exit \$rc"

log=$(mktemp /tmp/lg-bench.XXXXXX)
trap 'rm -f "$log"' EXIT
cd "$root"
echo "bench: selftests/vm/run.sh --mem $mem --timeout $timeout -- sh -c '$cmd'"
rc=0
selftests/vm/run.sh --mem "$mem" --timeout "$timeout" -- sh -c "$cmd" 2>&1 |
	tee "$log" || rc=${PIPESTATUS[0]}
echo
echo "bench: figures (vm status $rc)"
grep -E '^bench (snoop|savi|routes|release|mcast|store|sync)' "$log" || echo "bench: no figures"
exit "$rc"
