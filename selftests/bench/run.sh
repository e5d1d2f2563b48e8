#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks, in the QEMU guest (see README.md):
#
#   selftests/bench/run.sh [snoop|savi|all] [N...] [-- OPTIONS...]
#
# snoop: DHCPv6 snooping, snoop_bench for each N (default 100000 1000000).
# savi:  forwarding with source-address validation, fwd_bench with all the
#        N at once (default 1000 100000 1000000).
# all (the default) runs both with their default sizes; sizes and OPTIONS
# (passed to the program before the sizes) need one benchmark named.
# Builds the programs, boots the VM with 3 GB, prints the "bench " lines
# last. Needs kmod/leaseguard.ko and agent/lgctl (make). LG_BENCH_MEM (MB)
# and LG_BENCH_TIMEOUT (s) override the VM's.
# Exit status: the VM runner's (124 timeout, 125 kernel splat, ...).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
mem=${LG_BENCH_MEM:-3072}

which=all
opts=()
sizes=()
case "${1:-}" in
snoop|savi|all) which=$1; shift ;;
esac
while [[ $# -gt 0 ]]; do
	case "$1" in
	-h|--help) sed -n '4,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
	--) shift; opts=("$@"); break ;;
	*) [[ $1 =~ ^[1-9][0-9]*$ ]] || { echo "bench: not a size: $1" >&2; exit 2; }
	   sizes+=("$1") ;;
	esac
	shift
done
if [[ $which == all && ${#sizes[@]}${#opts[@]} != 00 ]]; then
	echo "bench: sizes and options need a benchmark: run.sh snoop|savi ..." >&2
	exit 2
fi
case "$which" in
snoop) timeout=${LG_BENCH_TIMEOUT:-1800} ;;
savi) timeout=${LG_BENCH_TIMEOUT:-1800} ;;
*) timeout=${LG_BENCH_TIMEOUT:-3600} ;;
esac

for f in kmod/leaseguard.ko agent/lgctl; do
	[[ -e $root/$f ]] || { echo "bench: $f is missing: run make" >&2; exit 2; }
done
make -s -C "$here" snoop_bench fwd_bench

# Each benchmark (and each snoop size) runs even if an earlier one failed.
cmd="rc=0;"
if [[ $which != savi ]]; then
	snoop_sizes=("${sizes[@]:-}")
	[[ ${#sizes[@]} -gt 0 ]] || snoop_sizes=(100000 1000000)
	cmd+=" insmod kmod/leaseguard.ko || exit 1;"
	for n in "${snoop_sizes[@]}"; do
		cmd+=" selftests/bench/snoop_bench ${opts[*]} $n || rc=\$?;"
	done
	cmd+=" rmmod leaseguard || rc=1;"
fi
if [[ $which != snoop ]]; then
	savi_sizes=("${sizes[@]:-}")
	[[ ${#sizes[@]} -gt 0 ]] || savi_sizes=(1000 100000 1000000)
	# fwd_bench loads the module itself, after measuring without it.
	cmd+=" selftests/bench/fwd_bench -M kmod/leaseguard.ko ${opts[*]}"
	cmd+=" ${savi_sizes[*]} || rc=\$?;"
	cmd+=" rmmod leaseguard 2>/dev/null;"
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
grep -E '^bench (snoop|savi)' "$log" || echo "bench: no figures"
exit "$rc"
