#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo's story (scripts/demo) told with the installed packages only,
# inside the test VM: selftests/host/package_test.sh installs leaseguard,
# leaseguard-dkms and leaseguard-kea-hook on the host, whose root the VM
# mounts, then runs this. Nothing from the build tree is used but lib.sh's
# helpers (topology, Kea, dhcrelay, dhclient):
#
#   - modprobe leaseguard: the module DKMS built, from updates/dkms;
#   - /usr/sbin/lgctl;
#   - leaseguardd, started as the installed unit's ExecStart= line says,
#     in rtr, reading /etc/leaseguard/leaseguardd.conf (the VM's root is
#     read-only: a file under /tmp is bind-mounted over it);
#   - Kea loading the hook from Kea's hook directory;
#   - the man pages and the bash completion, where the package has them.
#
#   sub (dhclient) --- acc0 [ rtr: leaseguard, dhcrelay, leaseguardd ] up0 --- srv (Kea + hook)
set -u -o pipefail
cd "$(dirname "$0")/.." || exit 1
export LGCTL=/usr/sbin/lgctl
source selftests/lib.sh

UNIT=/lib/systemd/system/leaseguardd.service
CONF=/etc/leaseguard/leaseguardd.conf
RELAY_ID=00:02:00:00:00:09:6c:67
krel=$(uname -r)

for tool in kea-dhcp6 dhcrelay dhclient; do
	command -v $tool >/dev/null || skip_all "$tool is missing (make deps)"
done
[[ -x $LGCTL && -r $UNIT && -r $CONF ]] ||
	skip_all "leaseguard is not installed (selftests/host/package_test.sh installs it)"

lgd=
bound=
cleanup() {
	set +e
	[[ -n $lgd ]] && kill "$lgd" 2>/dev/null && wait "$lgd"
	dhcp_cleanup
	topology_down
	[[ -n $bound ]] && umount "$CONF"
	grep -q '^leaseguard ' /proc/modules && rmmod leaseguard
}
trap cleanup EXIT

step "the DKMS-built module"
n modprobe leaseguard
check "modprobe leaseguard loaded it" test -d /sys/module/leaseguard
ko=$(modinfo -n leaseguard 2>/dev/null)
check_eq "modprobe finds it in updates/dkms" \
	"/lib/modules/$krel/updates/dkms/leaseguard.ko" "$ko"
check_eq "the loaded module is that file (srcversion)" \
	"$(modinfo -F srcversion "$ko" 2>/dev/null)" \
	"$(cat /sys/module/leaseguard/srcversion 2>/dev/null)"

lg() { ip netns exec rtr "$LGCTL" "$@"; }
nbindings() { lg -j binding show dev acc0 | jq length; }
nkea() { kea_leases | grep -c . || true; }
nroutes() { ip -n rtr -6 route show proto 200 | grep -c . || true; }

step "the installed lgctl"
check "lgctl version talks to the module" "$LGCTL" version
topology_up 2>/dev/null
check "lgctl link set acc0 role access" lg link set dev acc0 role access
check "lgctl link set up0 role upstream" lg link set dev up0 role upstream

step "Kea with the hook from its installed path"
hooks=(/usr/lib/*/kea/hooks/libdhcp_release_request.so)
hook=${hooks[0]}
check "the hook is in Kea's hook directory" test -e "$hook"
dhcp_tmpdir >/dev/null
dir=$LG_DHCP_DIR
LG_KEA_HOOKS="{ \"library\": \"$hook\",
  \"parameters\": { \"trusted-relays\": [ { \"relay-id\": \"$RELAY_ID\" } ] } }" \
	kea_start 600 300 2>/dev/null
check "Kea loaded it" grep -q RELEASE_REQUEST_LOADED "$dir/kea.log"
relay_start acc0 2>/dev/null

step "leaseguardd as the unit starts it"
exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
check_eq "the unit's ExecStart" /usr/sbin/leaseguardd "$exec_start"
# The packaged configuration, with this test's Relay-Id and trigger.
{
	cat "$CONF"
	echo "relay-id $RELAY_ID"
	echo "interface acc0 release admin"
	# Not /var/lib/leaseguard: /var is shared by the stories of a VM run.
	echo "store $dir/bindings.db"
} >"$dir/leaseguardd.conf"
n mount --bind "$dir/leaseguardd.conf" "$CONF" && bound=1
# The unit's ExecStartPre= check, then ExecStart= itself.
pre=$(sed -n 's/^ExecStartPre=\(\/usr\/sbin\/leaseguardd .*\)/\1/p' "$UNIT")
# shellcheck disable=SC2086 # the unit's command line, split as systemd does
check "ExecStartPre=$pre accepts the configuration" $pre
# shellcheck disable=SC2086
ip netns exec rtr $exec_start >"$dir/lgd.log" 2>&1 &
lgd=$!
check "leaseguardd started and synced" wait_for -t 20 grep -q "sync:" "$dir/lgd.log"
check "its control socket is the default one" \
	wait_for -t 10 test -S /run/leaseguard/leaseguardd.sock

step "a subscriber binds"
client_start sub eth0 2>/dev/null
na=$(client_lease sub eth0 na)
pd=$(client_lease sub eth0 pd)
check "dhclient got an address" test -n "$na"
check "dhclient got a prefix" test -n "$pd"
check "leaseguard learned both leases" wait_for -t 10 is 2 nbindings
check "... the address dhclient got" sh -c \
	"ip netns exec rtr '$LGCTL' binding show dev acc0 | grep -qF '${na%/*}'"
check "leaseguardd routed the delegated prefix via the client" wait_for -t 20 sh -c \
	"ip -n rtr -6 route show proto 200 | grep -q '^${pd%/*}/.* via '"
check "leaseguardd routed the address" wait_for -t 20 sh -c \
	"ip -n rtr -6 route show proto 200 | grep -q '^${na%/*} '"
ip -n rtr -6 route show proto 200 | sed 's/^/#   /'
check_eq "Kea holds two leases" 2 "$(nkea)"

step "an administrator's release reaches Kea through the hook"
check "lgctl binding release dev acc0" lg binding release dev acc0
check "the bindings are gone" wait_for -t 30 is 0 nbindings
check "Kea dropped the leases" wait_for -t 10 is 0 nkea
check "leaseguardd saw the server's release" \
	grep -q 'released by the server' "$dir/lgd.log"
check "its routes are gone" wait_for -t 10 is 0 nroutes
check "lgctl release show talks to leaseguardd on the default socket" \
	lg release show

step "the manual pages and the completion"
page=$(man -w lgctl 2>/dev/null)
if [[ -e /usr/share/man/man8/lgctl.8.gz ]]; then
	check_eq "man -w lgctl finds the installed page" /usr/share/man/man8/lgctl.8.gz "$page"
	check "man -l renders it" sh -c \
		"MANWIDTH=80 man -l /usr/share/man/man8/lgctl.8.gz 2>/dev/null | grep -q lgctl"
	check "man leaseguardd.conf renders" sh -c \
		"man 5 leaseguardd.conf 2>/dev/null | grep -q leaseguardd"
else
	ok "man lgctl # SKIP the package has no man pages"
fi
comp=/usr/share/bash-completion/completions/lgctl
if [[ -e $comp ]]; then
	check "the bash completion defines lgctl's" \
		bash -c "source '$comp' && complete -p lgctl >/dev/null"
else
	ok "bash completion # SKIP the package has none"
fi

step "stop"
kill "$lgd"
rc=0
wait "$lgd" || rc=$?
lgd=
check_eq "leaseguardd exits 0 on SIGTERM" 0 "$rc"
[[ $_tap_failed -eq 0 ]] || sed 's/^/# lgd: /' "$dir/lgd.log" | tail -n 30
tap_done
