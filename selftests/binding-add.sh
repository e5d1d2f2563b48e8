#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "lgctl binding add" (LG_CMD_BINDING_NEW) as an operator uses it, and the
# origin of a binding wherever lgctl prints one:
#
#   netns lgadd:  lgadd0 (dummy, access)     lgctl -j monitor bindings > $MON
#
# The story: a restored binding is added and shows as such in show, get,
# JSON and the monitor; the same again is refused, "replace" updates it
# in place; another client's lease, a limit and a bad value are refused
# with the kernel's reason; a delegated prefix from a LEASEQUERY lasts
# forever. The C tests (netlink.c, bindings.c) check the kernel's side.
#
# LG_KO names the module to load if it is not (default kmod/leaseguard.ko).

set -e -u -o pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

KO=${LG_KO:-$LG_ROOT/kmod/leaseguard.ko}
NS=lgadd
[[ $(id -u) -eq 0 ]] || skip_all "needs root"
command -v jq >/dev/null || skip_all "jq is not installed"
LOADED=0
if [[ ! -d /sys/module/leaseguard ]]; then
	[[ -e $KO ]] || skip_all "$KO is not built"
	n insmod "$KO"
	LOADED=1
fi

TMP=$(mktemp -d)
MON=$TMP/monitor
MONPID=
cleanup() {
	set +e
	[[ -n $MONPID ]] && kill "$MONPID" 2>/dev/null && wait "$MONPID" 2>/dev/null
	ip netns del $NS 2>/dev/null
	[[ $LOADED -eq 0 ]] || rmmod leaseguard
	rm -rf "$TMP"
}
trap cleanup EXIT

lg() { nsx $NS "$LGCTL" "$@"; }
# lg_rc ARGS...: lgctl's exit code and stderr, as "RC: STDERR"
lg_rc() {
	local rc=0
	printf '# [%s] lgctl %s\n' $NS "$*" >&2
	ip netns exec $NS "$LGCTL" "$@" >/dev/null 2>"$TMP/err" || rc=$?
	echo "$rc: $(cat "$TMP/err")"
}
# Without the seconds to expiry, which tick.
no_expiry() { sed 's/ expires [0-9]*s$//' "$@"; }

DUID=00:03:00:01:02:00:00:00:00:01
CLIENT="dev lgadd0 duid $DUID ia na iaid 1 lladdr fe80::1 server 2001:db8:f::2"

n ip netns add $NS
nsx $NS ip link add lgadd0 type dummy
lg link set dev lgadd0 role access
# ip netns exec execs lgctl: $! is the monitor's PID.
printf '# [%s] lgctl -j monitor bindings &\n' $NS >&2
ip netns exec $NS "$LGCTL" -j monitor bindings >"$MON" 2>&1 &
MONPID=$!
sleep 0.5

step "1. A restored binding: show, get and JSON say so."
t0=$(date +%s)
# shellcheck disable=SC2086
lg binding add $CLIENT mac 02:00:00:00:01:02 server-duid 00:01:00:01:11:22:33:44 \
	interface-id 61:63 lease 2001:db8:1::10 preferred 300 valid 600 >"$TMP/add"
t1=$(date +%s)
id=$(head -n1 "$TMP/add" | cut -d: -f1)
check_eq "add prints the binding: its first line" \
	"$id: lgadd0 ia_na iaid 1 duid $DUID bound restored" "$(head -n1 "$TMP/add")"
check_eq "add prints the lease" "    2001:db8:1::10/128 preferred 300 valid 600" \
	"$(sed -n 2p "$TMP/add" | no_expiry)"
lg binding show >"$TMP/show"
check_eq "show prints what add did" "$(no_expiry "$TMP/add")" "$(no_expiry "$TMP/show")"
check_eq "get -j: origin, lease, anchor, server" \
	"restored 300 600 02:00:00:00:01:02 61:63 00:01:00:01:11:22:33:44" \
	"$(lg -j binding get 2001:db8:1::10 | jq -r '.[0] | "\(.origin) \(.leases[0].preferred) \(.leases[0].valid) \(.client_mac) \(.interface_id) \(.server_duid)"')"
# VALID seconds after the request, which came between t0 and t1.
expires=$(lg -j binding get id "$id" | jq '.[0].leases[0].expires')
check "the lease ends 600 s after the request ($t0 + 600 <= $expires <= $t1 + 600)" \
	test $((t0 + 599)) -le "$expires" -a "$expires" -le $((t1 + 601))

step "2. The same again is refused; replace updates it in place."
# shellcheck disable=SC2086
check_eq "the same key: File exists" \
	"1: lgctl: File exists: leaseguard: the interface has a binding of this IA (replace it?)" \
	"$(lg_rc binding add $CLIENT lease 2001:db8:1::10 valid 600)"
# shellcheck disable=SC2086
lg -j binding add $CLIENT origin synced replace lease 2001:db8:1::20 valid forever >"$TMP/rep"
check_eq "replace: the same ID, synced, its new lease forever" \
	"$id synced 2001:db8:1::20 4294967295 null" \
	"$(jq -r '.[0] | "\(.id) \(.origin) \(.leases[0].addr) \(.leases[0].valid) \(.leases[0].expires)"' "$TMP/rep")"
check_eq "one binding still" 1 "$(lg -j binding show | jq length)"

step "3. What a snooped binding could not have is refused, with the reason."
check_eq "another client's lease: Address already in use" \
	"1: lgctl: Address already in use: another binding on the interface holds this lease" \
	"$(lg_rc binding add dev lgadd0 duid 00:03:00:01:02:00:00:00:00:02 ia na iaid 1 \
		lladdr fe80::2 server 2001:db8:f::2 lease 2001:db8:1::20 valid 60)"
check_eq "a global lladdr: Invalid argument" \
	"1: lgctl: Invalid argument: the client's address is a link-local unicast one" \
	"$(lg_rc binding add dev lgadd0 duid 00:03:00:01:02:00:00:00:00:02 ia na iaid 1 \
		lladdr 2001:db8::2 server 2001:db8:f::2 lease 2001:db8:1::30 valid 60)"
check_eq "a loopback device: not an access interface" \
	"1: lgctl: No such device: not an access interface" \
	"$(lg_rc binding add dev lo duid 00:03:00:01:02:00:00:00:00:02 ia na iaid 1 \
		lladdr fe80::2 server 2001:db8:f::2 lease 2001:db8:1::30 valid 60)"

step "4. A delegated prefix from a LEASEQUERY, then the namespace is full."
lg binding add dev lgadd0 duid 00:03:00:01:02:00:00:00:00:03 ia pd iaid 7 lladdr fe80::3 \
	server 2001:db8:f::2 origin leasequery lease 2001:db8:100::/56 valid forever >"$TMP/pd"
check_eq "the prefix: leasequery" \
	"ia_pd iaid 7 duid 00:03:00:01:02:00:00:00:00:03 bound leasequery" \
	"$(head -n1 "$TMP/pd" | cut -d' ' -f3-)"
check_eq "the prefix lasts forever" \
	"    2001:db8:100::/56 preferred forever valid forever expires forever" \
	"$(sed -n 2p "$TMP/pd")"
lg config set max-bindings 2
check_eq "past the namespace's limit: No space left on device" \
	"1: lgctl: No space left on device: leaseguard: binding limit reached" \
	"$(lg_rc binding add dev lgadd0 duid 00:03:00:01:02:00:00:00:00:04 ia na iaid 1 \
		lladdr fe80::4 server 2001:db8:f::2 lease 2001:db8:1::40 valid 60)"
check_eq "counted in bindings_limited" 1 \
	"$(lg -j stats | jq .bindings_limited)"

step "5. The monitor told each change, with its origin."
sleep 0.2
kill "$MONPID"
wait "$MONPID" 2>/dev/null || true
MONPID=
check_eq "new restored, upd synced, new leasequery" \
	"new restored|upd synced|new leasequery" \
	"$(jq -rs '.[] | "\(.event) \(.binding.origin)"' "$MON" | paste -sd'|')"

tap_done
