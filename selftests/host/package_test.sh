#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages, end to end (Documentation/packaging.rst):
#
#   1. make deb (into a temporary directory): leaseguard, leaseguard-dkms,
#      leaseguard-kea-hook, and what each holds (dpkg-deb -c, conffiles);
#   2. lintian on the three: any E: fails, W: are printed;
#   3. dkms add + build of the packaged source against the installed 6.1
#      headers, in a throwaway DKMS tree;
#   4. installs the three on this host (dpkg; DKMS builds and installs the
#      module in the postinst), checks the module and the unit
#      (systemd-analyze verify);
#   5. one VM boot runs selftests/installed.sh: the demo's story with the
#      installed files only;
#   6. purges the three (also when something failed) and checks that the
#      host is as it was.
#
# Needs root, dkms, debhelper, dh-dkms, lintian (make deps). Prints the time
# of each step and the packages' sizes.

set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
source "$REPO/selftests/lib.sh"

PKGS=(leaseguard leaseguard-dkms leaseguard-kea-hook)

[[ $(id -u) -eq 0 ]] || skip_all "not root: the test installs and purges packages"
for tool in dkms dh dh_dkms dpkg-buildpackage lintian systemd-analyze; do
	command -v $tool >/dev/null || skip_all "$tool is missing (make deps)"
done
krel=$("$REPO/scripts/kernel-release" 2>/dev/null) ||
	skip_all "no Debian 6.1 kernel with headers installed (make deps)"
# Never purge what someone else installed.
present=$(dpkg-query -W -f '${Package} ${db:Status-Status}\n' "${PKGS[@]}" 2>/dev/null |
	awk '$2 != "not-installed" { print $1 }')
[[ -z $present ]] || skip_all "already on this host: $present (dpkg --purge it first)"
compgen -G '/usr/src/leaseguard-*' >/dev/null &&
	skip_all "/usr/src/leaseguard-* exists (dkms remove it first)"
[[ -e /var/lib/dkms/leaseguard ]] && skip_all "dkms already knows leaseguard (dkms remove it first)"

version=$(dpkg-parsechangelog -l "$REPO/debian/changelog" -S Version)
T=$(mktemp -d /tmp/lg-pkg.XXXXXX)
DEBS=$T/deb
had_mok=$(ls /var/lib/dkms/mok.key /var/lib/dkms/mok.pub 2>/dev/null)
installed=

purge() {
	local left
	DEBIAN_FRONTEND=noninteractive dpkg --purge "${PKGS[@]}" >"$T/purge.log" 2>&1
	# The prerm removes the module from DKMS; if it did not, do it here.
	if [[ -e /var/lib/dkms/leaseguard ]]; then
		echo "# dkms still knew leaseguard after the purge: dkms remove" >&2
		dkms remove "leaseguard/$version" --all >>"$T/purge.log" 2>&1
		left=1
	fi
	installed=
	return ${left:-0}
}

# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
	[[ -z $installed ]] || purge
	# dkms made a signing key on its first build: it was not there before.
	[[ -n $had_mok ]] || rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
	rm -rf "$T"
}
trap cleanup EXIT

times=()
timed() {	# timed NAME COMMAND...: runs COMMAND, notes its wall time
	local name=$1 start=$SECONDS rc=0
	shift
	"$@" || rc=$?
	times+=("$name $((SECONDS - start))s")
	return $rc
}

# in_deb DEB PATH: DEB holds PATH (as dpkg-deb -c lists it, without "./").
in_deb() { grep -qxF "./$2" "$T/$1.list"; }

step "1. make deb"
rc=0
timed "make deb" make -C "$REPO" deb DEB_OUT="$DEBS" >"$T/make-deb.log" 2>&1 || rc=$?
check_eq "make deb exits 0" 0 $rc
[[ $rc -eq 0 ]] || { tail -n 30 "$T/make-deb.log" | sed 's/^/#   /'; }
declare -A deb
deb[leaseguard]=$DEBS/leaseguard_${version}_amd64.deb
deb[leaseguard-dkms]=$DEBS/leaseguard-dkms_${version}_all.deb
deb[leaseguard-kea-hook]=$DEBS/leaseguard-kea-hook_${version}_amd64.deb
sizes=()
for p in "${PKGS[@]}"; do
	if [[ -f ${deb[$p]} ]]; then
		ok "built ${deb[$p]##*/}"
		dpkg-deb -c "${deb[$p]}" | awk '{ print $6 }' >"$T/$p.list"
		sizes+=("${deb[$p]##*/} $(($(stat -c %s "${deb[$p]}") / 1024)) KiB")
	else
		not_ok "built ${deb[$p]##*/}"
		: >"$T/$p.list"
	fi
done
[[ -f ${deb[leaseguard]} && -f ${deb[leaseguard-dkms]} && -f ${deb[leaseguard-kea-hook]} ]] || {
	tap_done
	exit 1
}
check_eq "the version is debian/changelog's" "$version" \
	"$(dpkg-deb -f "${deb[leaseguard]}" Version)"
check "the module was not compiled by the package build" \
	bash -c "! grep -q 'M=.*/kmod' '$DEBS/build.log'"
check "no object or module in the packages" \
	bash -c "! grep -hE '\\.(o|ko)\$' '$T'/*.list"

# leaseguard
for f in usr/sbin/lgctl usr/sbin/leaseguardd lib/systemd/system/leaseguardd.service \
	lib/systemd/system/leaseguard-metrics.service lib/systemd/system/leaseguard-metrics.timer \
	usr/share/doc/leaseguard/metrics.rst.gz \
	etc/leaseguard/leaseguardd.conf etc/iproute2/rt_protos.d/leaseguard.conf; do
	check "leaseguard has /$f" in_deb leaseguard "$f"
done
for rst in "$REPO"/Documentation/man/*.rst; do
	[[ -e $rst ]] || continue
	page=${rst##*/}
	page=${page%.rst}
	check "leaseguard has the man page $page" \
		in_deb leaseguard "usr/share/man/man${page##*.}/$page.gz"
done
if [[ -e $REPO/dist/bash-completion/lgctl ]]; then
	check "leaseguard has lgctl's bash completion" \
		in_deb leaseguard usr/share/bash-completion/completions/lgctl
else
	ok "lgctl's bash completion # SKIP dist/bash-completion/lgctl does not exist yet"
fi
# keepalived's notify script where the example configuration names it,
# and the drop-in an example only: not active where it lies.
check "leaseguard has keepalived's notify script, executable" \
	bash -c "dpkg-deb -c '${deb[leaseguard]}' | grep -E '^-rwxr-xr-x .* ./usr/lib/leaseguard/leaseguard-notify\$' >/dev/null"
for f in keepalived.conf keepalived.service.d-leaseguard.conf; do
	check "leaseguard has the example $f" \
		in_deb leaseguard "usr/share/doc/leaseguard/examples/keepalived/$f"
done
check "the example keepalived.conf names the installed notify script" \
	bash -c "dpkg-deb --fsys-tarfile '${deb[leaseguard]}' | tar -xO ./usr/share/doc/leaseguard/examples/keepalived/keepalived.conf | grep -F 'notify \"/usr/lib/leaseguard/leaseguard-notify\"' >/dev/null"
check "no keepalived drop-in is active" \
	bash -c "! grep -q 'systemd/system/keepalived.service.d/' '$T/leaseguard.list'"
check "keepalived is suggested, not a dependency" \
	bash -c "dpkg-deb -f '${deb[leaseguard]}' Suggests | grep -qw keepalived && ! dpkg-deb -f '${deb[leaseguard]}' Depends | grep -qw keepalived"
conffiles=$(dpkg-deb -I "${deb[leaseguard]}" conffiles 2>/dev/null)
check_eq "leaseguard's conffiles" \
	"$(printf '%s\n' /etc/iproute2/rt_protos.d/leaseguard.conf /etc/leaseguard/leaseguardd.conf)" \
	"$(sort <<<"$conffiles")"
check "leaseguard depends on libsqlite3-0 (leaseguardd's binding store)" \
	bash -c "dpkg-deb -f '${deb[leaseguard]}' Depends | grep -q 'libsqlite3-0'"
check "leaseguard depends on libssl3 (leaseguardd's partner channel)" \
	bash -c "dpkg-deb -f '${deb[leaseguard]}' Depends | grep -q 'libssl3'"
check "leaseguard enables the unit (postinst)" \
	bash -c "dpkg-deb -I '${deb[leaseguard]}' postinst | grep -q 'deb-systemd-helper.*enable.*leaseguardd.service'"
check "... but not the metrics timer, the operator's choice (enabled only if it was)" \
	bash -c "dpkg-deb -I '${deb[leaseguard]}' postinst | grep -q \"debian-installed 'leaseguard-metrics.timer'\""

# leaseguard-dkms
src=usr/src/leaseguard-$version
for f in "$src/dkms.conf" "$src/kmod/Kbuild" "$src/kmod/main.c" \
	"$src/uapi/linux/leaseguard.h" etc/modules-load.d/leaseguard.conf; do
	check "leaseguard-dkms has /$f" in_deb leaseguard-dkms "$f"
done
check_eq "leaseguard-dkms ships every source of kmod/" \
	"$(cd "$REPO/kmod" && printf '%s\n' Kbuild ./*.[ch] | sed 's|^\./||' | grep -v '\.mod\.c$' | sort)" \
	"$(sed -n "s|^\./$src/kmod/||p" "$T/leaseguard-dkms.list" | grep . | sort)"
dpkg-deb -x "${deb[leaseguard-dkms]}" "$T/root"
check "its dkms.conf names version $version" \
	grep -qx "PACKAGE_VERSION=\"$version\"" "$T/root/$src/dkms.conf"
check "leaseguard-dkms depends on dkms" \
	bash -c "dpkg-deb -f '${deb[leaseguard-dkms]}' Depends | grep -q '^dkms'"
check "its postinst runs DKMS" \
	bash -c "dpkg-deb -I '${deb[leaseguard-dkms]}' postinst | grep -q common.postinst"

# leaseguard-kea-hook: in the directory Kea's own hooks are in.
hookdir=$(dpkg -L kea-dhcp6-server kea-common 2>/dev/null | grep -m1 '/kea/hooks$')
check "leaseguard-kea-hook has $hookdir/libdhcp_release_request.so" \
	in_deb leaseguard-kea-hook "${hookdir#/}/libdhcp_release_request.so"
check "leaseguard-kea-hook depends on libssl3 (TLS to the HA peers)" \
	bash -c "dpkg-deb -f '${deb[leaseguard-kea-hook]}' Depends | grep -q 'libssl3'"

step "2. lintian"
timed lintian lintian "${deb[@]}" >"$T/lintian.log" 2>&1
errors=$(grep -c '^E: ' "$T/lintian.log")
check_eq "lintian: no error" 0 "$errors"
grep -E '^(E|W): ' "$T/lintian.log" | sed 's/^/# lintian: /'
grep -qE '^[EW]: ' "$T/lintian.log" || echo "# lintian: no error, no warning"

step "3. dkms build of the packaged source against $krel, in a throwaway tree"
dkmsargs=(-m leaseguard -v "$version" --sourcetree "$T/root/usr/src" --dkmstree "$T/dkms")
mkdir -p "$T/dkms"
rc=0
# shellcheck disable=SC2016 # bash -c expands them
timed "dkms build" bash -c 'k=$1; shift; dkms add "$@" && dkms build "$@" -k "$k"' \
	dkms "$krel" "${dkmsargs[@]}" >"$T/dkms.log" 2>&1 || rc=$?
check_eq "dkms add + build exit 0" 0 "$rc"
[[ $rc -eq 0 ]] || tail -n 30 "$T/dkms.log" | sed 's/^/#   /'
ko=$T/dkms/leaseguard/$version/$krel/x86_64/module/leaseguard.ko
vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
check_eq "it built leaseguard.ko for $krel" "$krel" "${vermagic%% *}"

step "4. install on this host"
# The packages must not be seen by another test run's VM (the module's
# generic netlink alias would autoload the DKMS-built one there): this test
# holds the VM lock of selftests/vm/run.sh from before the install until
# after the purge, and runs its own VM under a private lock (below).
exec {vmlock}>/tmp/lg-vm.lock
if ! flock -n "$vmlock"; then
	echo "# waiting for the VM run that holds /tmp/lg-vm.lock"
	flock -w 1800 "$vmlock" || echo "# still held after 30 min; going on"
fi
installed=1
rc=0
timed "dpkg -i (with the DKMS build)" \
	env DEBIAN_FRONTEND=noninteractive dpkg -i "${deb[@]}" >"$T/install.log" 2>&1 || rc=$?
check_eq "dpkg -i of the three exits 0" 0 "$rc"
[[ $rc -eq 0 ]] || tail -n 30 "$T/install.log" | sed 's/^/#   /'
for p in "${PKGS[@]}"; do
	check_eq "$p is installed" "install ok installed" \
		"$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null)"
done
check "dkms status: leaseguard/$version installed for $krel" \
	bash -c "dkms status -m leaseguard -v '$version' -k '$krel' | grep -q ': installed'"
dko=/lib/modules/$krel/updates/dkms/leaseguard.ko
vermagic=$(modinfo -F vermagic "$dko" 2>/dev/null)
check_eq "modinfo $dko: vermagic" "$krel" "${vermagic%% *}"
check_eq "modinfo -k $krel -n leaseguard finds it" "$dko" \
	"$(modinfo -k "$krel" -n leaseguard 2>/dev/null)"
check "the module loads at boot (modules-load.d)" \
	grep -qx leaseguard /etc/modules-load.d/leaseguard.conf
check "the unit is enabled" \
	test -L /etc/systemd/system/multi-user.target.wants/leaseguardd.service
# Documentation=man: pages are checked too when the package has them.
verify=(systemd-analyze verify)
in_deb leaseguard usr/share/man/man8/leaseguardd.8.gz || verify+=(--man=no)
rc=0
"${verify[@]}" /lib/systemd/system/leaseguardd.service >"$T/verify.log" 2>&1 || rc=$?
check_eq "${verify[*]} leaseguardd.service" "0 " "$rc $(grep leaseguardd "$T/verify.log")"
sed 's/^/#   /' "$T/verify.log"

step "5. the installed packages in the VM (selftests/installed.sh)"
start=$SECONDS
: >"$T/vm.lock"
# run.sh's own flock, on a file of its own in a mount namespace of its own:
# the real lock is this test's until the purge.
# shellcheck disable=SC2016 # for bash -c
unshare -m bash -c 'mount --bind "$1" /tmp/lg-vm.lock && shift && exec "$@"' vm \
	"$T/vm.lock" "$REPO/selftests/vm/run.sh" --timeout 600 -- \
	"$REPO/selftests/installed.sh" 2>&1 | sed 's/^/    /'
rc=${PIPESTATUS[0]}
times+=("VM $((SECONDS - start))s")
check_eq "the demo's story with the installed packages (VM exit status)" 0 "$rc"

step "6. purge"
rc=0
timed purge purge || rc=$?
check_eq "dpkg --purge left nothing for dkms remove" 0 "$rc"
left=$(dpkg-query -W -f '${Package} ${db:Status-Status}\n' "${PKGS[@]}" 2>/dev/null |
	awk '$2 != "not-installed"')
check_eq "no leaseguard package is left (dpkg -l)" "" "$left"
check_eq "nothing is left" "" "$(ls -d /usr/src/leaseguard-* "$dko" /var/lib/dkms/leaseguard \
	/etc/leaseguard /etc/modules-load.d/leaseguard.conf /etc/iproute2/rt_protos.d/leaseguard.conf \
	/etc/systemd/system/multi-user.target.wants/leaseguardd.service \
	/lib/systemd/system/leaseguardd.service /usr/sbin/lgctl 2>/dev/null)"
check "modinfo -k $krel no longer finds leaseguard" \
	bash -c "! modinfo -k '$krel' -n leaseguard >/dev/null 2>&1"

exec {vmlock}>&-	# the VM lock: the packages are gone

printf -v t '%s, ' "${times[@]}"
echo "# times: ${t%, }"
printf -v t '%s, ' "${sizes[@]}"
echo "# sizes: ${t%, }"
tap_done
