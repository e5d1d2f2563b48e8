#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The DHCPv6 snooping benchmark, in the QEMU guest (see README.md):
#
#   selftests/bench/run.sh [-- SNOOP_BENCH_OPTIONS] [N...]
#
# builds snoop_bench, boots the VM with 3 GB, loads the module, runs
# snoop_bench for each N (default: 100000 1000000), unloads the module and
# prints the "bench " lines last. Needs kmod/leaseguard.ko and agent/lgctl
# (make). LG_BENCH_MEM (MB) and LG_BENCH_TIMEOUT (s) override the VM's.
# Exit status: the VM runner's (124 timeout, 125 kernel splat, ...).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
mem=${LG_BENCH_MEM:-3072}
timeout=${LG_BENCH_TIMEOUT:-1800}

opts=()
sizes=()
for a in "$@"; do
	case "$a" in
	-h|--help) sed -n '4,13p' "${BASH_SOURCE[0]}"; exit 0 ;;
	-*) opts+=("$a") ;;
	*) [[ $a =~ ^[1-9][0-9]*$ ]] || { echo "bench: not a size: $a" >&2; exit 2; }
	   sizes+=("$a") ;;
	esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)

for f in kmod/leaseguard.ko agent/lgctl; do
	[[ -e $root/$f ]] || { echo "bench: $f is missing: run make" >&2; exit 2; }
done
make -s -C "$here" snoop_bench

# Each size runs even if an earlier one failed; the module is unloaded last.
cmd="insmod kmod/leaseguard.ko || exit 1; rc=0;"
for n in "${sizes[@]}"; do
	cmd+=" selftests/bench/snoop_bench ${opts[*]} $n || rc=\$?;"
done
cmd+=" rmmod leaseguard; exit \$rc"

log=$(mktemp /tmp/lg-bench.XXXXXX)
trap 'rm -f "$log"' EXIT
cd "$root"
echo "bench: selftests/vm/run.sh --mem $mem --timeout $timeout -- sh -c '$cmd'"
rc=0
selftests/vm/run.sh --mem "$mem" --timeout "$timeout" -- sh -c "$cmd" 2>&1 |
	tee "$log" || rc=${PIPESTATUS[0]}
echo
echo "bench: figures (vm status $rc)"
grep '^bench snoop' "$log" || echo "bench: no figures"
exit "$rc"
