#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the leaseguard test VM; run.sh starts it, see README.md.
#
#   stage 1 (/init in the initramfs): load the 9p modules, mount the host
#           root read-only over 9p, switch_root into it.
#   stage 2 (this same file, read from the host root): mount the writable
#           places, run the command of the run directory, write its status
#           and the kernel log back to the host, power off.
#
# Everything here calls /bin/busybox by full name: in stage 2 the root is
# the host's, which has busybox-static but none of its applet links.

bb=/bin/busybox

arg() {
	# arg NAME: value of "NAME=..." on the kernel command line
	for word in $($bb cat /proc/cmdline); do
		case "$word" in
		"$1="*) echo "${word#*=}"; return ;;
		esac
	done
}

die() {
	echo "lg-vm: $*"
	$bb sync
	$bb poweroff -f
	# Unreachable unless ACPI is missing; -no-reboot makes QEMU exit.
	$bb reboot -f
}

stage1() {
	$bb mount -t proc proc /proc
	$bb mount -t devtmpfs dev /dev
	exec </dev/null >/dev/console 2>&1

	# Modules in load order; none when the kernel has them built in.
	while read -r mod; do
		$bb insmod "/modules/$mod.ko" || die "insmod $mod failed"
	done </modules/order

	$bb mkdir -p /newroot
	$bb mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 \
		hostroot /newroot || die "cannot mount the host root"
	$bb mount --move /dev /newroot/dev
	init=$(arg lg.init)
	$bb umount /proc
	# If this exec fails, PID 1 exits and the kernel panics: run.sh
	# reports that as a splat.
	exec $bb switch_root /newroot $bb sh "$init" stage2
}

mount_tmpfs() {
	for dir in "$@"; do
		if [ -d "$dir" ] && [ ! -L "$dir" ]; then
			$bb mount -t tmpfs -o mode=0755 tmpfs "$dir"
		fi
	done
}

stage2() {
	$bb mount -t proc proc /proc
	$bb mount -t sysfs sys /sys
	$bb mkdir -p /dev/pts /dev/shm
	$bb mount -t devpts -o mode=0620,ptmxmode=0666 devpts /dev/pts
	$bb mount -t tmpfs -o mode=1777 shm /dev/shm
	[ -d /sys/kernel/debug ] && $bb mount -t debugfs debugfs /sys/kernel/debug

	mount_tmpfs /run /var/tmp /var/lib /var/log /var/cache /var/run /root
	$bb chmod 1777 /var/tmp
	$bb mkdir -p /run/netns /run/kea /run/lock /var/lib/dhcp /var/lib/kea

	# /tmp is the host's /tmp plus a tmpfs on top, so that files a test
	# prepared there on the host are visible and writes stay in the guest.
	$bb mkdir -p /run/.lg-tmp/upper /run/.lg-tmp/work
	if ! { { $bb grep -qw overlay /proc/filesystems ||
		/sbin/modprobe -q overlay; } &&
		$bb mount -t overlay -o lowerdir=/tmp,upperdir=/run/.lg-tmp/upper,workdir=/run/.lg-tmp/work \
			overlay /tmp; }; then
		echo "lg-vm: no overlayfs, /tmp is an empty tmpfs"
		$bb mount -t tmpfs -o mode=1777 tmpfs /tmp
	fi

	# run.sh's hot commands and their libraries (lg.hot, a cpio): in a
	# tmpfs laid over /usr, so that their execs read memory, not 9p.
	hot=$(arg lg.hot)
	if [ -n "$hot" ]; then
		{ $bb mkdir -p /run/.lg-hot && cd /run/.lg-hot &&
			$bb cpio -id <"$hot" 2>/dev/null && cd / &&
			$bb mount -t overlay -o ro,lowerdir=/run/.lg-hot/usr:/usr \
				overlay /usr; } ||
			echo "lg-vm: the hot commands are not in a tmpfs: exec over 9p"
		cd /
	fi

	dir=$(arg lg.dir)
	$bb mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 \
		result "$dir" || die "cannot mount the result share on $dir"

	# run.sh --kmod: the module built for this kernel, where tests look.
	bind=$(arg lg.bind)
	if [ -n "$bind" ]; then
		$bb mount --bind "${bind%%:*}" "${bind#*:}" ||
			die "cannot bind ${bind%%:*} on ${bind#*:}"
	fi

	$bb hostname leaseguard-vm
	$bb ip link set lo up
	echo "7 4 1 7" >/proc/sys/kernel/printk

	# A kmemleak kernel (make check-debug): what boot left unreferenced is
	# not the command's; scan it now and forget it.
	kmemleak=/sys/kernel/debug/kmemleak
	if [ -w "$kmemleak" ]; then
		echo scan >"$kmemleak"
		echo clear >"$kmemleak"
	fi

	echo "lg-vm: running the command" >/dev/kmsg
	cd /
	$bb env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root TERM=dumb LANG=C.UTF-8 \
		/bin/bash "$dir/cmd.sh" </dev/null >"$dir/output" 2>&1
	status=$?
	echo "lg-vm: command exited with $status" >/dev/kmsg

	$bb dmesg >"$dir/dmesg"
	if [ -w "$kmemleak" ]; then
		# Two scans a few seconds apart (as netdev's CI does): kmemleak
		# reports only objects seen unreferenced twice, and an RCU or
		# workqueue free still in flight at the first is done by then.
		echo scan >"$kmemleak"
		$bb sleep 5
		echo scan >"$kmemleak"
		$bb cat "$kmemleak" >>"$dir/dmesg"
	fi
	echo "$status" >"$dir/status"
	$bb sync
	$bb poweroff -f
	$bb reboot -f
}

if [ "$1" = stage2 ]; then
	stage2
else
	stage1
fi
