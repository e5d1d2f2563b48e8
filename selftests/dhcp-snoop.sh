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
# interfaces are kept apart; `lgctl monitor` saw every one of these
# changes; and in enforce mode a subscriber's packets pass only from what
# it was leased, until it releases it.

set -e
source "$(dirname "$0")/lib.sh"

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -e $LG_ROOT/kmod/leaseguard.ko ]] || skip_all "kmod/leaseguard.ko is not built"
for bin in kea-dhcp6 dhcrelay dhclient jq; do
	command -v $bin >/dev/null || skip_all "$bin is not installed"
done

VALID=20	# Kea's valid (= preferred) lifetime: the expiry comes soon
T1=5		# and the renewal sooner

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

# snap: takes a snapshot of the bindings: $B, the JSON, and $BT, the same
# as text, for awk (ip netns exec and jq are slow under TCG: query the
# snapshot, not the router, and with awk). One line per lease:
#
#   L TYPE ADDR/PLEN IAID DUID VALID     (as kea_lines)
#
# and one per binding, with the fields in $BT_COLS:
#
#   B DUID IA_TYPE ID IFINDEX IFNAME ...
B='' BT=''
BT_COLS="duid ia_type id ifindex ifname state leases client_mac client_lladdr
	server_addr server_duid interface_id preferred valid expires updated created"
snap() {
	B=$(bindings)
	BT=$(jq -r '.[] | . as $b |
		(.leases[] | "L \(if $b.ia_type == "ia_na" then "NA"
				  elif $b.ia_type == "ia_pd" then "PD"
				  else $b.ia_type end) \(.addr)/\(.plen) \($b.iaid) \($b.client_duid) \(.valid)"),
		"B \(.client_duid) \(.ia_type) \(.id) \(.ifindex) \(.ifname) \(.state) \(.leases | length) \(.client_mac) \(.client_lladdr) \(.server_addr) \(.server_duid) \(.interface_id // "-") \(.leases[0].preferred) \(.leases[0].valid) \(.leases[0].expires) \(.updated) \(.created)"' <<<"$B")
}

# The bindings of the snapshot as kea_lines prints Kea's leases.
binding_lines() { awk '$1 == "L" { $1 = ""; print substr($0, 2) }' <<<"$BT" | LC_ALL=C sort; }

# bfield DUID ia_na|ia_pd FIELD...: those fields (see BT_COLS) of that
# client's binding of that IA type in the snapshot, on one line.
bfield() {
	local d=$1 t=$2; shift 2
	awk -v d="$d" -v t="$t" -v cols="$BT_COLS" -v want="$*" '
	BEGIN { n = split(cols, c, /[ \t\n]+/); for (i = 1; i <= n; i++) col[c[i]] = i + 1
		nw = split(want, w, " ") }
	$1 == "B" && $2 == d && $3 == t {
		found++; line = ""
		for (i = 1; i <= nw; i++) line = line (i > 1 ? " " : "") $(col[w[i]])
	}
	END { print found == 1 ? line : found + 0 " bindings" }' <<<"$BT"
}

# Shows the time since the start with each step of the story.

# The monitor's events, as jq sees them: mon JQ_FILTER.
MON=
mon() { jq -r "$@" "$MON"; }
mon_count() { jq -s "[.[] | select($1)] | length" "$MON"; }
mon_has() { (($(mon_count "$1") >= ${2:-1})); }
# mon_seen N STRING: the monitor wrote at least N lines with STRING (grep:
# cheaper than jq for polling under TCG).
mon_seen() { (($(grep -cF -- "$2" "$MON") >= $1)); }

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

step "The module, and the router with three access links."
n insmod "$LG_ROOT/kmod/leaseguard.ko"
topology_up
topology_add_subscriber sub2 acc1 2
topology_add_subscriber sub3 acc2 3
lg link set dev acc0 role access
lg link set dev acc1 role access
lg link set dev acc2 role access
lg link set dev up0 role upstream
check_eq "roles" "10 acc0 access
11 up0 upstream
12 acc1 access
13 acc2 access" "$(lg -j link show | jq -r '.[] | "\(.ifindex) \(.ifname) \(.role)"')"

step "The monitor listens before the first client asks."
dhcp_tmpdir >/dev/null
MON=$LG_DHCP_DIR/monitor.json
_dhcp_bg monitor rtr "$MON" "$LGCTL" -j monitor bindings
wait_for _monitor_up || _dhcp_fail "lgctl monitor did not subscribe" "$MON"

step "Kea (valid ${VALID}s, T1 ${T1}s) and the relay on the three access links."
kea_start $VALID $T1
relay_start acc0 acc1 acc2
check_eq "no binding yet" "[]" "$(bindings | jq -c .)"

# ---------------------------------------------------------------------------
step "1. A subscriber gets an address and a prefix: the bindings are Kea's leases."
client_start sub eth0
duid=$(client_duid sub eth0)
check_eq "the subscriber's DUID-LL" "00:03:00:01:02:00:00:00:01:02" "$duid"
check_eq "Kea leased an address and a prefix" \
	"NA 2001:db8:1::1000/128 258 $duid $VALID
PD 2001:db8:100::/56 258 $duid $VALID" "$(kea_lines)"
kea_exp() { kea_leases | awk -v t="$1" '$1 == t { print $6 }'; }
kea_na_exp1=$(kea_exp NA)	# the client renews every T1: Kea's expiry
snap				# before and after the snapshot
kea_na_exp2=$(kea_exp NA)
check_eq "binding show equals Kea's leases" "$(kea_lines)" "$(binding_lines)"
check_eq "one binding per IA" "ia_na ia_pd" \
	"$(awk '$1 == "B" { print $3 }' <<<"$BT" | sort | paste -sd ' ')"
check_eq "the subscriber's link-local, as ip shows it" "fe80::ff:fe00:102" \
	"$(lladdr_of sub)"
for t in ia_na ia_pd; do
	check_eq "$t: where, from whom, through which relay and server" \
		"10 acc0 bound 1 02:00:00:00:01:02 fe80::ff:fe00:102 2001:db8:f::2 00:03:00:01:02:00:00:00:0f:02 $VALID $VALID" \
		"$(bfield "$duid" $t ifindex ifname state leases client_mac client_lladdr \
			server_addr server_duid preferred valid)"
	iid=$(bfield "$duid" $t interface_id)
	check "$t: the relay's Interface-Id, 4 octets ($iid)" \
		eval '[[ $iid =~ ^[0-9a-f]{2}(:[0-9a-f]{2}){3}$ ]]'
done
check_eq "both bindings have the same Interface-Id" \
	"$(bfield "$duid" ia_na interface_id)" "$(bfield "$duid" ia_pd interface_id)"
read -r na_id na_exp <<<"$(bfield "$duid" ia_na id expires)"
read -r pd_id pd_exp <<<"$(bfield "$duid" ia_pd id expires)"
check "the address expires when Kea's lease does ($kea_na_exp1 <= $na_exp <= $kea_na_exp2, ±2 s)" \
	test "$na_exp" -ge $((kea_na_exp1 - 2)) -a "$na_exp" -le $((kea_na_exp2 + 2))
check_eq "expires = updated + valid" "$na_exp $pd_exp" \
	"$(bfield "$duid" ia_na updated valid | awk '{ print $1 + $2 }') $(bfield "$duid" ia_pd updated valid | awk '{ print $1 + $2 }')"
check "the two bindings have different IDs ($na_id, $pd_id)" test "$na_id" != "$pd_id"
wait_for -t 10 mon_seen 2 '"event":"new"' || true
check_eq "the monitor saw both created" "new $na_id ia_na
new $pd_id ia_pd" "$(mon -s '.[] | select(.event == "new") | "\(.event) \(.binding.id) \(.binding.ia_type)"' | sort -k2n)"

# ---------------------------------------------------------------------------
step "2. At T1 the subscriber renews: the same bindings expire later."
client_renew sub eth0
snap
check_eq "binding show still equals Kea's leases" "$(kea_lines)" "$(binding_lines)"
read -r na_id2 na_exp2 na_upd na_cre <<<"$(bfield "$duid" ia_na id expires updated created)"
read -r pd_id2 pd_exp2 <<<"$(bfield "$duid" ia_pd id expires)"
check_eq "same binding IDs after the renewal" "$na_id $pd_id" "$na_id2 $pd_id2"
check "the address expires later ($na_exp -> $na_exp2)" test "$na_exp2" -gt "$na_exp"
check "the prefix expires later ($pd_exp -> $pd_exp2)" test "$pd_exp2" -gt "$pd_exp"
check "updated moved past created ($na_cre -> $na_upd)" test "$na_upd" -gt "$na_cre"
wait_for -t 10 mon_seen 2 '"event":"upd"' || true
for id in $na_id $pd_id; do
	check "the monitor saw binding $id updated, expiring later" mon_has \
		".event == \"upd\" and .binding.id == $id and .binding.leases[0].expires > $na_exp"
done

# ---------------------------------------------------------------------------
step "3. The subscriber releases both: the bindings go with Kea's leases."
client_release sub eth0
check_eq "Kea has no lease left" "" "$(kea_lines)"
check_eq "no binding left" "[]" "$(bindings | jq -c .)"
wait_for -t 10 mon_seen 2 '"event":"del"' || true
check_eq "the monitor saw both deleted by the client's release" \
	"del $na_id ia_na client-release
del $pd_id ia_pd client-release" \
	"$(mon -s '.[] | select(.event == "del") | "\(.event) \(.binding.id) \(.binding.ia_type) \(.reason)"' | sort -k2n)"
check_eq "stats: 2 created, 2 deleted, 0 now" "2 2 0" \
	"$(lg -j stats | jq -r '"\(.bindings_created) \(.bindings_deleted) \(.bindings)"')"

# ---------------------------------------------------------------------------
step "4. A subscriber that goes away silently loses its bindings at expiry."
expired_before=$(lg -j stats | jq .leases_expired)
client_start sub eth0
snap
check_eq "binding show equals Kea's leases again" "$(kea_lines)" "$(binding_lines)"
na_id4=$(bfield "$duid" ia_na id)
pd_id4=$(bfield "$duid" ia_pd id)
check "new bindings, new IDs ($na_id4, $pd_id4 after $na_id, $pd_id)" \
	test "$na_id4" -gt "$pd_id" -a "$pd_id4" -gt "$pd_id" -a "$na_id4" != "$pd_id4"
client_stop sub eth0
check_eq "the bindings stay until they expire" "2" "$(bindings | jq length)"
echo "# (waiting up to $((VALID + 10))s for the valid lifetime to end)" >&2
wait_for -t $((VALID + 10)) mon_seen 2 '"reason":"expired"' || true
check_eq "the monitor saw both expire" "del $na_id4 ia_na expired
del $pd_id4 ia_pd expired" \
	"$(mon -s '.[] | select(.event == "del" and .reason == "expired") | "\(.event) \(.binding.id) \(.binding.ia_type) \(.reason)"' | sort -k2n)"
check_eq "no binding left" "[]" "$(bindings | jq -c .)"
check_eq "stats: leases_expired counts both leases" "$((expired_before + 2))" \
	"$(lg -j stats | jq .leases_expired)"

# ---------------------------------------------------------------------------
step "5. Three subscribers on three access links are kept apart."
client_start sub eth0
client_start sub2 eth0
client_start sub3 eth0
step "5b. Each has its two bindings on its own access interface."
duid2=$(client_duid sub2 eth0)
duid3=$(client_duid sub3 eth0)
check_eq "Kea leased each from its own link's pools" \
	"NA 2001:db8:1::1000/128 258 $duid $VALID
NA 2001:db8:2::1000/128 514 $duid2 $VALID
NA 2001:db8:3::1000/128 770 $duid3 $VALID
PD 2001:db8:100::/56 258 $duid $VALID
PD 2001:db8:200::/56 514 $duid2 $VALID
PD 2001:db8:300::/56 770 $duid3 $VALID" "$(kea_lines)"
snap
check_eq "binding show equals Kea's leases" "$(kea_lines)" "$(binding_lines)"
for s in "sub $duid 10 acc0 1" "sub2 $duid2 12 acc1 2" "sub3 $duid3 13 acc2 3"; do
	read -r ns d ifx ifn i <<<"$s"
	check_eq "$ns: both bindings on $ifn, from its MAC and link-local" \
		"$ifx $ifn 02:00:00:00:0$i:02 fe80::ff:fe00:${i}02 / $ifx $ifn 02:00:00:00:0$i:02 fe80::ff:fe00:${i}02" \
		"$(bfield "$d" ia_na ifindex ifname client_mac client_lladdr) / $(bfield "$d" ia_pd ifindex ifname client_mac client_lladdr)"
	check_eq "$ns: binding show dev $ifn lists only its client" "$d $d" \
		"$(ip netns exec rtr "$LGCTL" -j binding show dev "$ifn" | jq -r '.[].client_duid' | paste -sd ' ')"
done
check_eq "three access links, three Interface-Ids, each on both of its bindings" \
	"3 6" "$(awk '$1 == "B" { n++; if (!seen[$13]++) u++ } END { print u + 0, n + 0 }' <<<"$BT")"
check_eq "each client's bindings share their Interface-Id" "3" \
	"$(awk '$1 == "B" { print $2, $13 }' <<<"$BT" | sort -u | wc -l)"
check_eq "link show counts each link's bindings" "acc0 2 acc1 2 acc2 2" \
	"$(lg -j link show | jq -r '.[] | select(.role == "access") | "\(.ifname) \(.bindings)"' | paste -sd ' ')"

# ---------------------------------------------------------------------------
step "6. The monitor saw every change."
wait_for -t 10 mon_seen 10 '"event":"new"' || true
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

# ---------------------------------------------------------------------------
step "7. Source validation: a subscriber may send only from what it was leased."
for l in acc0 acc1 acc2; do lg link set dev $l savi enforce; done
# The delegated prefix, used behind the subscriber (the agent's routes, by hand).
n ip -n sub addr add 2001:db8:100::1/128 dev lo
n ip -n rtr route add 2001:db8:100::/56 via fe80::ff:fe00:102 dev acc0
n ip -n srv route add 2001:db8:100::/40 via 2001:db8:f::1
ping_from() { nsx sub ping -6 -c 1 -W 5 -I "$1" 2001:db8:f::2 >/dev/null 2>&1; }
drops() { lg -j link show dev acc0 | jq ".[0].stats.$1"; }
check "the leased address reaches the server" ping_from 2001:db8:1::1000
check "an address of the delegated prefix reaches the server" ping_from 2001:db8:100::1
d0=$(drops savi_drop_source)
check_fails "the subscriber's unleased static address is dropped" 1 ping_from 2001:db8:1::2
n ip -n sub addr add 2001:db8:2::1000/128 dev lo
check_fails "sub2's leased address, sent from sub, is dropped" 1 ping_from 2001:db8:2::1000
check "both drops were counted" test "$(drops savi_drop_source)" -ge $((d0 + 2))
lg link set dev acc0 savi monitor
m0=$(drops savi_monitored)
check "monitor mode lets the unleased address through" ping_from 2001:db8:1::2
check "and counts it" test "$(drops savi_monitored)" -gt "$m0"
lg link set dev acc0 savi enforce
client_release sub eth0
n ip -n sub addr add 2001:db8:1::1000/128 dev lo	# dhclient removed it
check_fails "after the release the address is dropped again" 1 ping_from 2001:db8:1::1000
check_fails "and so is the prefix" 1 ping_from 2001:db8:100::1
check "sub2 still reaches the server from its lease" \
	nsx sub2 ping -6 -c 1 -W 5 -I 2001:db8:2::1000 2001:db8:f::2

step "The clients stop; the module unloads with bindings present."
dhcp_cleanup
n rmmod leaseguard
check "module is gone" sh -c '! grep -qw leaseguard /proc/modules'

tap_done
