#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leaseguard snoops real DHCPv6: its bindings agree with Kea's lease file.
#
#   sub  (eth0) ---- (acc0, access) \
#   sub2 (eth0) ---- (acc1, access) -- rtr: dhcrelay -6 -I -- (up0, upstream) ---- (eth0) srv: kea-dhcp6
#   sub3 (eth0) ---- (acc2, access) /       leaseguard.ko
#
#   dhclient -6 -N -P in each subscriber (IA_NA + IA_PD), relayed by rtr to
#   Kea in srv (2001:db8:f::2). Access link N: 2001:db8:N::/64, addresses
#   from 2001:db8:N::1000, /56 prefixes from 2001:db8:N00::/40.
#
# The story: a subscriber gets an address and a prefix, and `lgctl binding
# show` lists exactly Kea's leases; a renewal moves the expiry of the same
# bindings; a RELEASE removes them; a client that goes away silently loses
# them at the end of the valid lifetime; three subscribers on three access
# interfaces are kept apart; and `lgctl monitor` saw every one of these
# changes.

set -e
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $LG_ROOT/kmod/leaseguard.ko ]] || skip_all "kmod/leaseguard.ko is not built"
for bin in kea-dhcp6 dhcrelay dhclient jq; do
	command -v $bin >/dev/null || skip_all "$bin is not installed"
done

VALID=20	# Kea's valid (= preferred) lifetime: the expiry comes soon
T1=2		# and the renewal sooner

cleanup() {
	set +e
	dhcp_cleanup		# the clients, the relay, Kea and the monitor
	topology_del_subscribers
	topology_down
	rmmod leaseguard 2>/dev/null
}
trap cleanup EXIT

lg() { nsx rtr "$LGCTL" "$@"; }
bindings() { ip netns exec rtr "$LGCTL" -j binding show; }

# Kea's live leases as "TYPE ADDR/PLEN IAID DUID VALID", sorted (a lease
# Kea has reclaimed or that has run out is not one).
kea_lines() {
	kea_leases | awk -v now="$(date +%s)" \
		'$7 == "default" && $6 > now { print $1, $2, $3, $4, $5 }'
}

# The bindings in the same form: one line per lease.
binding_lines() {
	bindings | jq -r '.[] | . as $b | .leases[] |
		"\(if $b.ia_type == "ia_na" then "NA" elif $b.ia_type == "ia_pd"
		   then "PD" else $b.ia_type end) \(.addr)/\(.plen) \($b.iaid) \($b.client_duid) \(.valid)"' |
		LC_ALL=C sort
}

# One field of the binding of NS's client of IA type ia_na|ia_pd.
bfield() {
	bindings | jq -r --arg d "$(client_duid "$1" eth0)" --arg t "$2" \
		"[.[] | select(.client_duid == \$d and .ia_type == \$t)] |
		 if length == 1 then .[0] | $3 else \"\(length) bindings\" end"
}

# The monitor's events, as jq sees them: mon JQ_FILTER.
MON=
mon() { jq -r "$@" "$MON"; }
mon_count() { jq -s "[.[] | select($1)] | length" "$MON"; }
mon_has() { (($(mon_count "$1") >= ${2:-1})); }

# The monitor has joined the bindings group: one of its netlink sockets has
# a group set (Groups, as seen from its namespace).
_monitor_up() {
	local pid ino
	_dhcp_alive monitor || return 125
	pid=$(<"$LG_DHCP_DIR/monitor.bgpid")
	for ino in $(find "/proc/$pid/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null |
		     tr -dc '0-9\n'); do
		awk -v ino="$ino" '$10 == ino && $2 == 16 && $4 != "00000000" { f = 1 }
			END { exit !f }' "/proc/$pid/net/netlink" && return 0
	done
	return 1
}

lladdr_of() {
	ip -n "$1" -j -6 addr show dev eth0 scope link |
		jq -r '.[0].addr_info[] | select(.scope == "link") | .local'
}

echo "# The module, and the router with three access links."
n insmod "$LG_ROOT/kmod/leaseguard.ko"
topology_up
topology_add_subscriber sub2 acc1 2
topology_add_subscriber sub3 acc2 3
lg link set dev acc0 role access
lg link set dev acc1 role access
lg link set dev acc2 role access
lg link set dev up0 role upstream
check_eq "roles" "10: acc0 role access
11: up0 role upstream
12: acc1 role access
13: acc2 role access" "$(lg link show)"

echo "# The monitor listens before the first client asks."
dhcp_tmpdir >/dev/null
MON=$LG_DHCP_DIR/monitor.json
_dhcp_bg monitor rtr "$MON" "$LGCTL" -j monitor bindings
wait_for _monitor_up || _dhcp_fail "lgctl monitor did not subscribe" "$MON"

echo "# Kea (valid ${VALID}s, T1 ${T1}s) and the relay on the three access links."
kea_start $VALID $T1
relay_start acc0 acc1 acc2
check_eq "no binding yet" "[]" "$(bindings | jq -c .)"

# ---------------------------------------------------------------------------
echo "# 1. A subscriber gets an address and a prefix: the bindings are Kea's leases."
client_start sub eth0
duid=$(client_duid sub eth0)
check_eq "the subscriber's DUID-LL" "00:03:00:01:02:00:00:00:01:02" "$duid"
check_eq "Kea leased an address and a prefix" \
	"NA 2001:db8:1::1000/128 258 $duid $VALID
PD 2001:db8:100::/56 258 $duid $VALID" "$(kea_lines)"
check_eq "binding show equals Kea's leases" "$(kea_lines)" "$(binding_lines)"
check_eq "one binding per IA" "2" "$(bindings | jq length)"
for t in ia_na ia_pd; do
	check_eq "$t: on acc0" "10 acc0" "$(bfield sub $t '"\(.ifindex) \(.ifname)"')"
	check_eq "$t: bound" "bound" "$(bfield sub $t .state)"
	check_eq "$t: one lease" "1" "$(bfield sub $t '.leases | length')"
	check_eq "$t: client MAC is the subscriber's" "02:00:00:00:01:02" \
		"$(bfield sub $t .client_mac)"
	check_eq "$t: client link-local is the subscriber's" "fe80::ff:fe00:102" \
		"$(bfield sub $t .client_lladdr)"
	check_eq "$t: the subscriber's link-local, as ip shows it" \
		"$(lladdr_of sub)" "$(bfield sub $t .client_lladdr)"
	check_eq "$t: server address is Kea's (from the RELAY-REPL)" "2001:db8:f::2" \
		"$(bfield sub $t .server_addr)"
	check_eq "$t: server DUID is Kea's server-id" "00:03:00:01:02:00:00:00:0f:02" \
		"$(bfield sub $t .server_duid)"
	check_eq "$t: the relay's Interface-Id, 4 octets" "4" \
		"$(bfield sub $t '.interface_id // "" | split(":") | length')"
	check_eq "$t: preferred = valid = Kea's" "$VALID $VALID" \
		"$(bfield sub $t '"\(.leases[0].preferred) \(.leases[0].valid)"')"
done
kea_na_exp=$(kea_leases | awk '$1 == "NA" { print $6 }')
b_na_exp=$(bfield sub ia_na '.leases[0].expires')
check "the address expires when Kea's lease does (±2 s: $b_na_exp vs $kea_na_exp)" \
	test $((b_na_exp - kea_na_exp)) -ge -2 -a $((b_na_exp - kea_na_exp)) -le 2
na_id=$(bfield sub ia_na .id)
pd_id=$(bfield sub ia_pd .id)
pd_exp=$(bfield sub ia_pd '.leases[0].expires')
check "the two bindings have different IDs ($na_id, $pd_id)" test "$na_id" != "$pd_id"
wait_for -t 10 mon_has '.event == "new"' 2 || true
check_eq "the monitor saw both created" "new $na_id ia_na
new $pd_id ia_pd" "$(mon -s '.[] | select(.event == "new") | "\(.event) \(.binding.id) \(.binding.ia_type)"' | sort -k2n)"

# ---------------------------------------------------------------------------
echo "# 2. At T1 the subscriber renews: the same bindings expire later."
client_renew sub eth0
check_eq "same binding IDs after the renewal" "$na_id $pd_id" \
	"$(bfield sub ia_na .id) $(bfield sub ia_pd .id)"
na_exp2=$(bfield sub ia_na '.leases[0].expires')
pd_exp2=$(bfield sub ia_pd '.leases[0].expires')
check "the address expires later ($b_na_exp -> $na_exp2)" test "$na_exp2" -gt "$b_na_exp"
check "the prefix expires later ($pd_exp -> $pd_exp2)" test "$pd_exp2" -gt "$pd_exp"
check "updated moved past created" \
	test "$(bfield sub ia_na .updated)" -gt "$(bfield sub ia_na .created)"
check_eq "binding show still equals Kea's leases" "$(kea_lines)" "$(binding_lines)"
wait_for -t 10 mon_has ".event == \"upd\" and .binding.id == $pd_id" || true
for id in $na_id $pd_id; do
	check "the monitor saw binding $id updated, expiring later" mon_has \
		".event == \"upd\" and .binding.id == $id and .binding.leases[0].expires > $b_na_exp"
done

# ---------------------------------------------------------------------------
echo "# 3. The subscriber releases both: the bindings go with Kea's leases."
client_release sub eth0
check_eq "Kea has no lease left" "" "$(kea_lines)"
check_eq "no binding left" "[]" "$(bindings | jq -c .)"
wait_for -t 10 mon_has '.event == "del"' 2 || true
check_eq "the monitor saw both deleted by the client's release" \
	"del $na_id ia_na client-release
del $pd_id ia_pd client-release" \
	"$(mon -s '.[] | select(.event == "del") | "\(.event) \(.binding.id) \(.binding.ia_type) \(.reason)"' | sort -k2n)"
check_eq "stats: 2 created, 2 deleted, 0 now" "2 2 0" \
	"$(lg -j stats | jq -r '"\(.bindings_created) \(.bindings_deleted) \(.bindings)"')"

# ---------------------------------------------------------------------------
echo "# 4. A subscriber that goes away silently loses its bindings at expiry."
expired_before=$(lg -j stats | jq .leases_expired)
client_start sub eth0
check_eq "binding show equals Kea's leases again" "$(kea_lines)" "$(binding_lines)"
na_id4=$(bfield sub ia_na .id)
pd_id4=$(bfield sub ia_pd .id)
check "new bindings, new IDs ($na_id4, $pd_id4 after $na_id, $pd_id)" \
	test "$na_id4" -gt "$pd_id" -a "$pd_id4" -gt "$pd_id" -a "$na_id4" != "$pd_id4"
client_stop sub eth0
check_eq "the bindings stay until they expire" "2" "$(bindings | jq length)"
echo "# (waiting up to $((VALID + 10))s for the valid lifetime to end)" >&2
wait_for -t $((VALID + 10)) mon_has '.event == "del" and .reason == "expired"' 2 || true
check_eq "the monitor saw both expire" "del $na_id4 ia_na expired
del $pd_id4 ia_pd expired" \
	"$(mon -s '.[] | select(.event == "del" and .reason == "expired") | "\(.event) \(.binding.id) \(.binding.ia_type) \(.reason)"' | sort -k2n)"
check_eq "no binding left" "[]" "$(bindings | jq -c .)"
check_eq "stats: leases_expired counts both leases" "$((expired_before + 2))" \
	"$(lg -j stats | jq .leases_expired)"

# ---------------------------------------------------------------------------
echo "# 5. Three subscribers on three access links are kept apart."
client_start sub eth0
client_start sub2 eth0
client_start sub3 eth0
check_eq "Kea leased each from its own link's pools" \
	"NA 2001:db8:1::1000/128 258 $(client_duid sub eth0) $VALID
NA 2001:db8:2::1000/128 514 $(client_duid sub2 eth0) $VALID
NA 2001:db8:3::1000/128 770 $(client_duid sub3 eth0) $VALID
PD 2001:db8:100::/56 258 $(client_duid sub eth0) $VALID
PD 2001:db8:200::/56 514 $(client_duid sub2 eth0) $VALID
PD 2001:db8:300::/56 770 $(client_duid sub3 eth0) $VALID" "$(kea_lines)"
check_eq "binding show equals Kea's leases" "$(kea_lines)" "$(binding_lines)"
for s in "sub 10 acc0 1" "sub2 12 acc1 2" "sub3 13 acc2 3"; do
	read -r ns ifx ifn i <<<"$s"
	check_eq "$ns: both bindings on $ifn ($ifx)" "ia_na $ifx $ifn
ia_pd $ifx $ifn" "$(bindings | jq -r --arg d "$(client_duid "$ns" eth0)" \
		'.[] | select(.client_duid == $d) | "\(.ia_type) \(.ifindex) \(.ifname)"' | sort)"
	check_eq "$ns: binding show dev $ifn lists only its client" \
		"$(client_duid "$ns" eth0) $(client_duid "$ns" eth0)" \
		"$(ip netns exec rtr "$LGCTL" -j binding show dev "$ifn" | jq -r '.[].client_duid' | paste -sd ' ')"
	check_eq "$ns: client MAC and link-local" \
		"$(printf '02:00:00:00:%02x:02' "$i") $(lladdr_of "$ns")" \
		"$(bfield "$ns" ia_na '"\(.client_mac) \(.client_lladdr)"')"
done
check_eq "link show counts each link's bindings" "acc0 2 acc1 2 acc2 2" \
	"$(lg -j link show | jq -r '.[] | select(.role == "access") | "\(.ifname) \(.bindings)"' | paste -sd ' ')"

# ---------------------------------------------------------------------------
echo "# 6. The monitor saw every change."
wait_for -t 10 mon_has '.event == "new"' 10 || true
check_eq "new: one per binding created (2 + 2 + 6)" 10 "$(mon_count '.event == "new"')"
check_eq "new: ten distinct IDs" 10 \
	"$(mon -s '[.[] | select(.event == "new") | .binding.id] | unique | length')"
check "upd: at least one per renewed binding" mon_has '.event == "upd"' 2
check_eq "del: 2 released, 2 expired, nothing else" "client-release 2
expired 2" "$(mon -s '[.[] | select(.event == "del") | .reason] | group_by(.) | .[] | "\(.[0]) \(length)"')"
check_eq "no other event" 0 "$(mon_count '.event != "new" and .event != "upd" and .event != "del"')"
check_eq "every upd is of a binding the monitor saw created" "[]" \
	"$(mon -sc '([.[] | select(.event == "new") | .binding.id]) as $n |
		[.[] | select(.event == "upd") | .binding.id | select(. as $i | $n | index($i) | not)] | unique')"

echo "# The clients stop; the module unloads with bindings present."
dhcp_cleanup
n rmmod leaseguard
check "module is gone" sh -c '! grep -qw leaseguard /proc/modules'

tap_done
