#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A DHCPv6 server on the access router itself: no relay, no RELAY-REPL.
#
#   netns sub (dhclient -6) --- acc0 [ netns rtr: leaseguard, Kea on acc0 ]
#
# The REPLY that leaves acc0 is Kea's own. leaseguard learns from it just
# as from a relay's, and records the REPLY's source as the server.

set -e
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
for tool in kea-dhcp6 dhclient; do
	command -v $tool >/dev/null || skip_all "$tool is missing"
done

cleanup() {
	set +e
	dhcp_cleanup
	topology_down
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

lg() { ip netns exec rtr "$LGCTL" "$@"; }
bindings_json() { lg -j binding show; }

n insmod "$LG_ROOT/kmod/leaseguard.ko"
topology_up
lg link set dev acc0 role access

echo "# Kea runs in rtr and answers on acc0 directly."
export LG_KEA_NS=rtr LG_KEA_INTERFACES='"acc0"' LG_KEA_SUBNET_IFACE=acc0
kea_start 600
client_start sub eth0

json=$(bindings_json)
check_eq "the bindings equal Kea's leases" \
	"$(kea_leases | awk '{ print ($1 == "NA" ? "ia_na" : "ia_pd"), $2, $3, $4, $5 }' | sort)" \
	"$(jq -r '.[] | "\(.ia_type) \(.leases[0].addr)/\(.leases[0].plen) \(.iaid) \(.client_duid) \(.leases[0].valid)"' <<<"$json" | sort)"
check_eq "the server is Kea's own address on acc0" "fe80::ff:fe00:101" \
	"$(jq -r '[.[].server_addr] | unique | join(" ")' <<<"$json")"
check_eq "no relay, so no Interface-Id" "false" \
	"$(jq '[.[] | has("interface_id")] | any' <<<"$json")"
check_eq "the client's MAC, from its request" "02:00:00:00:01:02" \
	"$(jq -r '[.[].client_mac] | unique | join(" ")' <<<"$json")"

echo "# The subscriber releases; Kea's REPLY confirms, and the bindings go."
client_release sub eth0
wait_for -t 30 sh -c "[ \"\$(ip netns exec rtr '$LGCTL' -j binding show)\" = '[]' ]"
check_eq "no binding is left" "[]" "$(bindings_json)"
check_eq "two were deleted" 2 "$(lg -j stats | jq .bindings_deleted)"

tap_done
