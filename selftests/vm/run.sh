#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run one command as root in a throwaway QEMU guest that boots the host's
# Debian 6.1 kernel (or --kernel's), and fail if the kernel log shows a splat.
#
#   host                              guest (TCG, panic_on_warn=1)
#   /                  --9p, ro-->    /   (+ tmpfs on /run /root /var/...,
#   .build/run.XXXXXX  --9p, rw-->    same path: cmd.sh, output, status, dmesg
#   console.log       <--ttyS0--     kernel console
#
# Exit status: the command's own; 124 on timeout; 125 if the kernel log
# shows a splat (WARN, BUG, Oops, lockdep, panic...); 126 if the guest
# died without reporting a status. See README.md.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$here/.build
timeout=600
mem=1024
smp=2
krel=${KREL:-}
kernel=${LG_VM_KERNEL:-}
kmod=
append=()

readonly EXIT_TIMEOUT=124 EXIT_SPLAT=125 EXIT_NO_STATUS=126

# Lines of a kernel log that fail a run.
splat_re='WARNING:|BUG:|kernel BUG|Oops|Call Trace|general protection fault'
splat_re+='|possible recursive locking|circular locking dependency'
splat_re+='|inconsistent lock state|suspicious RCU usage|irq lock inversion'
splat_re+='|DEBUG_LOCKS_WARN_ON|non-static key|bad unlock balance|held lock freed'
splat_re+='|refcount_t:|list_add corruption|list_del corruption|UBSAN:|KASAN:'
splat_re+='|kmemleak: [0-9]+ new suspected|unreferenced object|Kernel panic'
splat_re+='|INFO: rcu|detected stalls? on CPU|blocked for more than|ODEBUG:'
splat_re+='|soft lockup|hard LOCKUP'

# Modules the initramfs needs to mount the host root, in load order.
modules=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev
	virtio_pci netfs fscache 9pnet 9pnet_virtio 9p)

usage() {
	cat <<EOF
Usage: $0 [--timeout SEC] [--mem MB] [--smp N] [--kernel-release KREL]
          [--kernel BZIMAGE] [--kmod DIR] [--append PARAM]... -- COMMAND [ARGS...]

Runs COMMAND as root with bash in a QEMU guest booting the host's 6.1
kernel, in the current directory. Exit status: COMMAND's, 124 on timeout,
125 on a kernel splat, 126 if the guest reported nothing.

--kernel boots BZIMAGE (or \$LG_VM_KERNEL), a kernel with virtio-pci and
9p built in, instead; --kmod DIR shows DIR as kmod/ of the current
directory in the guest (leaseguard.ko built for that kernel); --append
adds a kernel parameter.
EOF
	exit "${1:-2}"
}

die() {
	echo "vm: $*" >&2
	exit 2
}

while [[ $# -gt 0 ]]; do
	case "$1" in
	--timeout) timeout=${2:?}; shift 2 ;;
	--mem) mem=${2:?}; shift 2 ;;
	--smp) smp=${2:?}; shift 2 ;;
	--kernel-release) krel=${2:?}; shift 2 ;;
	--kernel) kernel=${2:?}; shift 2 ;;
	--kmod) kmod=${2:?}; shift 2 ;;
	--append) append+=("${2:?}"); shift 2 ;;
	-h|--help) usage 0 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
[[ $# -gt 0 ]] || usage
for n in "$timeout" "$mem" "$smp"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || die "not a positive number: $n"
done

if [[ -n $kernel ]]; then
	# A kernel of our own (make check-debug): everything built in.
	[[ -r $kernel ]] || die "cannot read $kernel"
	kernel=$(realpath "$kernel")
	krel=
	modules=()
else
	# The newest Debian 6.1 kernel with headers and an image (or $KREL).
	[[ -n $krel ]] || krel=$("$here/../../scripts/kernel-release") ||
		die "no Debian 6.1 kernel installed (make deps)"

	kernel=/boot/vmlinuz-$krel
	[[ -r $kernel ]] || die "cannot read $kernel (it is root-only on Debian)"
	[[ -d /lib/modules/$krel ]] || die "no /lib/modules/$krel"
fi
if [[ -n $kmod ]]; then
	[[ -d $kmod ]] || die "--kmod: no directory $kmod"
	kmod=$(realpath "$kmod")
	[[ $kmod$PWD != *[[:space:]:]* ]] || die "--kmod: no spaces or colons in paths"
fi
for tool in qemu-system-x86_64 cpio gzip timeout; do
	command -v "$tool" >/dev/null || die "$tool not found"
done
[[ -x /bin/busybox ]] || die "/bin/busybox not found; apt-get install busybox-static"
[[ $here != *[[:space:],]* ]] || die "cannot run from a path with spaces or commas: $here"

# Build the initramfs (busybox, the 9p modules, init.sh) unless a cached one
# was built from the same inputs.
build_initramfs() {
	local out=$build/initramfs-${krel:-builtin}.cpio.gz
	local stamp=$out.inputs inputs stage mod ko

	inputs=$({
		echo "$krel ${modules[*]}"
		sha256sum /bin/busybox "$here/init.sh" ${krel:+"/lib/modules/$krel/modules.dep"}
	})
	if [[ -f $out && -f $stamp && $(<"$stamp") == "$inputs" ]]; then
		echo "$out"
		return
	fi

	stage=$(mktemp -d "$build/initramfs.XXXXXX")
	mkdir -p "$stage"/{bin,dev,proc,modules}
	cp /bin/busybox "$stage/bin/busybox"
	cp "$here/init.sh" "$stage/init"
	for mod in "${modules[@]}"; do
		ko=$(find "/lib/modules/$krel/kernel" -name "$mod.ko*" -print -quit)
		[[ -n $ko ]] || continue	# built in
		case "$ko" in
		*.ko) cp "$ko" "$stage/modules/$mod.ko" ;;
		*.ko.xz) xz -dc "$ko" >"$stage/modules/$mod.ko" ;;
		*.ko.zst) zstd -qdc "$ko" >"$stage/modules/$mod.ko" ;;
		*.ko.gz) gzip -dc "$ko" >"$stage/modules/$mod.ko" ;;
		*) die "cannot unpack $ko" ;;
		esac
		echo "$mod" >>"$stage/modules/order"
	done
	touch "$stage/modules/order"
	(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --owner=0:0 --quiet) | gzip -1 >"$stage.cpio.gz"
	# Renames keep concurrent runs from seeing a half-written image.
	mv -f "$stage.cpio.gz" "$out"
	echo "$inputs" >"$stamp.$$" && mv -f "$stamp.$$" "$stamp"
	rm -rf "$stage"
	echo "$out"
}

# The commands the tests run most, and the libraries they load: packed
# here into a cpio that init.sh unpacks to a tmpfs and lays over /usr.
# Over 9p (cache=none keeps nothing) every exec reads the binary and
# each library from the host again: an "ip -n NS link show" costs about
# 2 s of a busy host's TCG guest, and 0.5 s from tmpfs. Long-lived
# daemons started once a test gain little and are left out. LG_VM_HOT=0
# boots without it.
hot_commands=(bash ip jq awk sed grep sysctl sleep cat ping timeout mktemp
	wc sort paste tr head tail date seq stat rm mkdir cp mv ls pgrep pkill
	kill chmod cut uniq tee xargs readlink dirname basename od nft tcpdump
	dhclient dhcrelay kea-dhcp6 kea-ctrl-agent openssl sqlite3 insmod
	rmmod modprobe flock touch ln env true false id ss)
build_hot() {
	local files list key out

	files=$(for c in "${hot_commands[@]}"; do
		p=$(command -v "$c") && [[ $p == /* ]] && readlink -f "$p"
	done)
	# shellcheck disable=SC2086 # a path a word
	list=$({ echo "$files"; ldd $files 2>/dev/null |
		awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }'; } |
		xargs readlink -f | grep '^/usr/' | LC_ALL=C sort -u)
	# shellcheck disable=SC2086
	key=$(stat -c '%n %s %Y' $list | sha256sum | cut -c1-16)
	out=$build/hot-$key.cpio
	if [[ ! -f $out ]]; then
		rm -f "$build"/hot-*.cpio
		(cd / && echo "$list" | sed 's|^/||' | cpio -o -H newc --quiet) >"$out.$$"
		mv -f "$out.$$" "$out"
	fi
	echo "$out"
}

# One VM at a time: two TCG guests on two cores time each other out.
exec 9>/tmp/lg-vm.lock
if ! flock -n 9; then
	echo "vm: waiting for the VM run that holds /tmp/lg-vm.lock"
	flock 9
fi

mkdir -p "$build"
initramfs=$(build_initramfs)
hot=
[[ ${LG_VM_HOT:-1} == 0 ]] || hot=$(build_hot)

run=$(mktemp -d "$build/run.XXXXXX")
qemu_pid=
tail_pid=
keep_run=

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	[[ -z $qemu_pid ]] || kill "$qemu_pid" 2>/dev/null || true
	[[ -z $tail_pid ]] || kill "$tail_pid" 2>/dev/null || true
	[[ -n $keep_run || -n ${LG_VM_KEEP:-} ]] || rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

{
	echo "cd -- $(printf %q "$PWD") || exit 1"
	printf '%q ' "$@"
	echo
} >"$run/cmd.sh"
: >"$run/output"

# QEMU splits its options at commas, and ",," is a literal one.
qarg() {
	printf '%s' "${1//,/,,}"
}

cmdline=(
	console=ttyS0 panic_on_warn=1 panic=-1
	lg.init="$here/init.sh" lg.dir="$run"
	${kmod:+lg.bind="$kmod:$PWD/kmod"}
	${hot:+lg.hot="$hot"}
	${append[@]+"${append[@]}"}
)

echo "vm: kernel ${krel:-$kernel}, timeout ${timeout}s, $smp cpus, ${mem}M"
start=$SECONDS

timeout --kill-after=10 "$timeout" \
	qemu-system-x86_64 \
	-nodefaults -no-user-config -display none -monitor none -no-reboot \
	-machine pc -accel tcg,thread=multi -cpu max -smp "$smp" -m "$mem" \
	-nic none \
	-kernel "$kernel" -initrd "$initramfs" -append "${cmdline[*]}" \
	-serial "file:$(qarg "$run/console.log")" \
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=hostroot \
	-fsdev "local,id=result,path=$(qarg "$run"),security_model=none" \
	-device virtio-9p-pci,fsdev=result,mount_tag=result \
	</dev/null &
qemu_pid=$!

tail -n +1 -s 0.2 -f --pid="$qemu_pid" "$run/output" &
tail_pid=$!

rc=0
wait "$qemu_pid" || rc=$?
qemu_pid=
wait "$tail_pid" || true
tail_pid=

elapsed=$((SECONDS - start))

# Prints the first log that matches splat_re, with context.
find_splat() {
	local log

	for log in "$run/console.log" "$run/dmesg"; do
		[[ -f $log ]] || continue
		if grep -qE "$splat_re" "$log"; then
			echo "vm: kernel log shows a splat ($log):"
			grep -E -B 5 -A 30 "$splat_re" "$log" | head -n 300
			return 0
		fi
	done
	return 1
}

if find_splat >&2; then
	keep_run=1
	echo "vm: FAIL: kernel log shows a splat; logs kept in $run" >&2
	exit "$EXIT_SPLAT"
fi
if [[ $rc -eq 124 || $rc -eq 137 ]]; then
	keep_run=1
	echo "vm: FAIL: timed out after ${timeout}s; console log in $run/console.log" >&2
	exit "$EXIT_TIMEOUT"
fi
if [[ ! -s $run/status ]]; then
	keep_run=1
	{
		echo "vm: FAIL: guest reported no status (qemu exit $rc); last console lines:"
		tail -n 30 "$run/console.log" 2>/dev/null || true
		echo "vm: logs kept in $run"
	} >&2
	exit "$EXIT_NO_STATUS"
fi
status=$(<"$run/status")
echo "vm: command exited with $status after ${elapsed}s" >&2
exit "$status"
