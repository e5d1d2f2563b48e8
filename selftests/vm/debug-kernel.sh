#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the debug kernel of "make check-debug" from Debian's
# linux-source-6.1 tarball, and leaseguard.ko against it.
#
#   debug-kernel.sh kernel   build (or reuse) the kernel; prints its O= dir
#   debug-kernel.sh module   build kmod/ against it into build/debug/leaseguard.ko
#
# The config is allnoconfig plus selftests/vm/debug.config, merged with the
# tarball's own scripts/kconfig/merge_config.sh; an option of the fragment
# that did not get its value fails the build. The tree is extracted once
# into build/kdebug/src, and each kernel is built in build/kdebug/obj-KEY,
# KEY a hash of the fragment and the tarball's identity: a second run with
# the same inputs builds nothing. Compiling runs under "nice -n 19"
# (DEBUG_JOBS, default 2, jobs): a cold build took 21 minutes on two
# cores. The kernel sources are never in git (build/ is ignored).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
fragment=$here/debug.config
dir=${LG_DEBUG_BUILD:-$root/build/kdebug}
jobs=${DEBUG_JOBS:-2}
tarball=${LG_KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
kmake=(nice -n 19 make ARCH=x86_64 -s)

die() {
	echo "debug-kernel: $*" >&2
	exit 1
}

say() {
	echo "debug-kernel: $*" >&2
}

[[ -r $tarball ]] || die "cannot read $tarball (make deps installs linux-source-6.1)"
for tool in flex bison bc gcc; do
	command -v "$tool" >/dev/null || die "$tool not found (make deps)"
done
[[ -e /usr/include/libelf.h ]] || die "libelf-dev is not installed (make deps)"

# The tarball's identity: Debian's package version, its size and mtime
# (hashing 140 MB on every run would cost seconds for nothing).
identity=$(
	dpkg-query -W -f='${Package} ${Version}\n' linux-source-6.1 2>/dev/null || true
	stat -L -c '%n %s %Y' "$tarball"
)
key=$({ echo "$identity"; cat "$fragment"; } | sha256sum | cut -c1-16)
src=$dir/src
obj=$dir/obj-$key

mkdir -p "$dir"
exec 8>"$dir/.lock"
flock 8

extract() {
	if [[ -f $src/.lg-extracted && $(<"$src/.lg-extracted") == "$identity" ]]; then
		return
	fi
	say "extracting $tarball into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	nice -n 19 tar -xf "$tarball" -C "$src.tmp" --strip-components=1
	echo "$identity" >"$src.tmp/.lg-extracted"
	mv "$src.tmp" "$src"
}

# Every CONFIG_X=V and "# CONFIG_X is not set" of the fragment, as asked.
check_config() {
	local line sym bad=0

	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF -- "$line" "$obj/.config" && continue
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			grep -q "^$sym=" "$obj/.config" || continue
			;;
		*) continue ;;
		esac
		sym=${line#\# }
		sym=${sym%%[= ]*}
		echo "debug-kernel: asked for \"$line\", got:" \
			"$(grep -E "^(# )?${sym}[= ]" "$obj/.config" || echo "no $sym at all")" >&2
		bad=1
	done <"$fragment"
	return $bad
}

build_kernel() {
	local start log=$dir/build-$key.log

	if [[ -f $obj/.lg-built && -f $obj/arch/x86/boot/bzImage ]]; then
		return
	fi
	extract
	say "configuring $obj (allnoconfig + $(basename "$fragment"))"
	rm -rf "$obj"
	mkdir -p "$obj"
	# merge_config.sh -n: allnoconfig with the fragment as KCONFIG_ALLCONFIG.
	# It only warns about values it could not set; check_config makes
	# that fatal.
	(cd "$src" && ARCH=x86_64 scripts/kconfig/merge_config.sh -n -O "$obj" "$fragment") \
		>"$dir/config-$key.log" 2>&1 ||
		{ tail -n 20 "$dir/config-$key.log" >&2; die "merge_config.sh failed"; }
	check_config || die "the config lacks options of $fragment (see above)"

	say "building $obj with $jobs jobs (log: $log)"
	start=$SECONDS
	if ! "${kmake[@]}" -C "$src" O="$obj" -j"$jobs" all >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "the kernel build failed; log in $log"
	fi
	echo "built in $((SECONDS - start)) s with $jobs jobs" >"$obj/.lg-built"
	say "kernel built in $((SECONDS - start)) s"
}

# Copies FILE into DIR only if it differs: what changed gets a new mtime
# and is rebuilt, what did not is not.
sync_file() {
	cmp -s "$1" "$2/${1##*/}" || cp "$1" "$2/"
}

# kmod/ is copied so that the debug objects never mix with the normal
# build's in kmod/ (M= builds in the source directory). The copy is this
# tree's own (build/debug/mod), even when the kernel is shared through
# LG_DEBUG_BUILD: another tree's files must never be linked in.
build_module() {
	local mod=$root/build/debug/mod out=$root/build/debug f

	[[ -f $obj/.lg-built ]] || die "no debug kernel in $obj (run: $0 kernel)"
	mkdir -p "$mod/kmod" "$mod/uapi/linux" "$out"
	for f in "$mod"/kmod/*.[ch]; do
		[[ -e $f && ! -e $root/kmod/${f##*/} ]] && rm -f "$f"
	done
	for f in "$root"/kmod/Kbuild "$root"/kmod/*.[ch]; do
		sync_file "$f" "$mod/kmod"
	done
	rm -f "$mod"/kmod/*.mod.c
	sync_file "$root/uapi/linux/leaseguard.h" "$mod/uapi/linux"
	"${kmake[@]}" -C "$obj" M="$mod/kmod" -j"$jobs" modules >&2 ||
		die "leaseguard.ko does not build against $obj"
	cp "$mod/kmod/leaseguard.ko" "$out/leaseguard.ko"
	echo "$out/leaseguard.ko"
}

case "${1:-}" in
kernel)
	build_kernel
	echo "$obj"
	;;
module)
	build_module
	;;
*)
	echo "usage: $0 kernel|module" >&2
	exit 2
	;;
esac
