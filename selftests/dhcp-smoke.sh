#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real DHCPv6 daemons in the test topology, without leaseguard:
#
#   sub: dhclient -6 -N -P (eth0) -- (acc0) rtr: dhcrelay -6 (up0) -- (eth0) srv: kea-dhcp6
#
# The subscriber gets an address from the pool and a /56 from the pd-pool,
# Kea's lease file shows exactly those, a renewal keeps them and a RELEASE
# removes them. With LG_DHCP_CAPTURE=1 it also captures on rtr's acc0 and
# up0 and prints each DHCPv6 message as "# vector NAME HEX"
# (selftests/dhcp/capture-vectors.sh makes the test vectors from that).

set -e
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
for bin in kea-dhcp6 dhcrelay dhclient; do
	command -v $bin >/dev/null || skip_all "$bin is not installed"
done
[[ -z ${LG_DHCP_CAPTURE:-} ]] || command -v tcpdump >/dev/null ||
	skip_all "tcpdump is not installed"

cleanup() {
	set +e
	dhcp_cleanup
	topology_down
}
trap cleanup EXIT

# Leases without their expiry time, which moves.
leases() { kea_leases | awk '{ print $1, $2, $3, $4, $5, $7 }'; }
expiry() { kea_leases | awk -v t="$1" '$1 == t { print $6 }'; }
# Kea appends the renewed leases one at a time: the second may come later.
grew() { local e; e=$(expiry "$1"); [[ -n $e ]] && ((e > $2)); }
on_eth0() { ip -n sub -6 -o addr show dev eth0 scope global | awk '{ print $4 }' | sort; }

echo "# Three hosts, two links; the DHCPv6 server and the relay."
topology_up
kea_start 30 2		# valid 30 s, T1 2 s (the renewal comes soon), T2 24 s
relay_start acc0
if [[ -n ${LG_DHCP_CAPTURE:-} ]]; then
	capture_start rtr acc0
	capture_start rtr up0
fi

echo "# The subscriber asks for an address (IA_NA) and a prefix (IA_PD)."
client_start sub eth0
duid=$(client_duid sub eth0)
check_eq "DUID-LL from eth0's MAC" "00:03:00:01:02:00:00:00:01:02" "$duid"
check_eq "the first address of the pool" "2001:db8:1::1000/128" \
	"$(client_lease sub eth0 na)"
check_eq "the first /56 of the pd-pool" "2001:db8:100::/56" \
	"$(client_lease sub eth0 pd)"
check_eq "eth0 has the address as a /128" \
	"2001:db8:1::1000/128 2001:db8:1::2/64" "$(on_eth0 | paste -sd ' ')"
# IAID 258: dhclient takes the last four bytes of the MAC, 00:00:01:02.
check_eq "Kea's leases are exactly those" \
	"NA 2001:db8:1::1000/128 258 $duid 30 default
PD 2001:db8:100::/56 258 $duid 30 default" "$(leases)"
na_expiry=$(expiry NA)
pd_expiry=$(expiry PD)

echo "# At T1 the subscriber renews and keeps both."
client_renew sub eth0
check_eq "same address after the renewal" "2001:db8:1::1000/128" \
	"$(client_lease sub eth0 na)"
check_eq "same prefix after the renewal" "2001:db8:100::/56" \
	"$(client_lease sub eth0 pd)"
check_eq "Kea's leases are unchanged" \
	"NA 2001:db8:1::1000/128 258 $duid 30 default
PD 2001:db8:100::/56 258 $duid 30 default" "$(leases)"
check "Kea extended the address lease" wait_for -t 10 grew NA "$na_expiry"
check "Kea extended the prefix lease" wait_for -t 10 grew PD "$pd_expiry"

echo "# The subscriber releases both."
client_release sub eth0
check_eq "the client saw both released" \
	"RELEASE6 na 2001:db8:1::1000/128
RELEASE6 pd 2001:db8:100::/56" \
	"$(awk '$1 == "RELEASE6" { print $1, $2, $3 }' \
		"$LG_DHCP_DIR/dhclient-sub-eth0.events")"
check_eq "Kea has no lease left" "" "$(kea_leases)"
check_eq "eth0 lost the address" "2001:db8:1::2/64" "$(on_eth0 | paste -sd ' ')"
check "the relay relayed the RELEASE" \
	grep -q 'Relaying Release from fe80::ff:fe00:102 port 546 going up' \
	"$LG_DHCP_DIR/dhcrelay.log"

if [[ -n ${LG_DHCP_CAPTURE:-} ]]; then
	vectors() {
		"$LG_ROOT/selftests/dhcp/capture-vectors.sh" --extract \
			"$LG_DHCP_DIR/rtr-acc0.pcap" "$LG_DHCP_DIR/rtr-up0.pcap"
	}
	# The last one: the REPLY to the RELEASE, as the relay passed it on.
	wait_for -t 10 sh -c "$(declare -f vectors); LG_DHCP_DIR=$LG_DHCP_DIR LG_ROOT=$LG_ROOT vectors | grep -q '^kea-reply-release '"
	capture_stop rtr acc0
	capture_stop rtr up0
	vectors | sed 's/^/# vector /'
	check_eq "all 16 messages captured" 16 "$(vectors | wc -l)"
	echo "# versions: $(dhclient --version 2>&1), $(dhcrelay --version 2>&1)," \
		"Kea $(kea-dhcp6 -v), $(tcpdump --version 2>&1 | head -n 1)"
fi

tap_done
