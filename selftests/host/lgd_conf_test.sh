#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leaseguardd.conf's grammar for what the daemon declares to the kernel
# (agent/leaseguardd/conf.c: interface roles, SAVI, static entries, the
# namespace's settings, the IGMP/MLD proxy) and for the family's life
# (family-grace, config-drift), for the failover partner (partner,
# partner-listen, partner-key, partner-identity, partner-dead-interval,
# partner-queue, node-id) and the server pair (release-fallback),
# through "leaseguardd -t": every good line
# is taken, every bad one refused naming file, line and reason. Then the
# daemon without the module (no leaseguard family in a namespace of its
# own): it waits for it, loudly, and says so on the control socket.
set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
LGD=${LGD:-$LG_ROOT/agent/leaseguardd/leaseguardd}
[[ -x $LGD ]] || skip_all "agent/leaseguardd/leaseguardd is not built"

TMP=$(mktemp -d)
PID=
trap '[[ -n $PID ]] && kill "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT

# good LINE...: the file of these lines checks out.
good() {
	printf '%s\n' "$@" >"$TMP/good.conf"
	check "takes: $*" "$LGD" -t -c "$TMP/good.conf" >/dev/null
}
# bad LINE WHY: refused, with "FILE:1: "LINE": WHY" (or "FILE: WHY"
# for what only the whole file says: then LINE may be several lines).
bad() {
	local out
	printf '%s\n' "$1" >"$TMP/bad.conf"
	out=$("$LGD" -t -c "$TMP/bad.conf" 2>&1)
	check_eq "refuses: ${1//$'\n'/; }" \
		"leaseguardd: err: $TMP/bad.conf$2" "$out"
}

good "family-grace 0" "family-grace 86400" "config-drift keep" \
	"config-drift revert"
good "interface acc0 role access" "interface acc0 savi enforce" \
	"interface acc0 anchor mac" "interface acc0 shield off" \
	"interface acc0 trust-release on" "interface acc0 release-forward off" \
	"interface acc0 max-bindings 1000" \
	"interface acc0 savi-static 2001:db8:7::/48" \
	"interface acc0 savi-static ::/0,wide" \
	"interface up0 role upstream" "interface old0 role none" \
	"interface old1 role unmanaged"
# "*" gives the named interfaces after it their defaults, as for release.
good "interface * savi enforce" "interface * role access" \
	"interface acc1 release admin" "interface acc1 savi-static 2001:db8:1::/64"
good "interface acc0 role access" "interface acc0 savi-static 2001:db8::/48" \
	"interface acc0 savi-static none"
good "ns-max-bindings 5000" "release-request-type 200" \
	"release-reply-type 201" "ns-max-bindings unmanaged" "ns-miss-rate 0" \
	"ns-miss-rate unmanaged" "interface acc0 miss-rate 100000"
good "mcast igmp enable on" "mcast igmp upstream up0" "mcast igmp version 2" \
	"mcast mld enable off" "mcast mld upstream none" "mcast mld version 1" \
	"mcast mld robustness 7" "mcast mld query-interval 31744" \
	"mcast mld query-response-interval 100" \
	"mcast mld last-member-interval 25500" "mcast mld last-member-count 1" \
	"mcast mld max-groups 65536" "mcast mld max-groups-host 1" \
	"mcast mld max-sources 256" "mcast mld ns-max-groups 1048576" \
	"mcast mld ns-max-sources 16777216" "mcast igmp enable unmanaged"

bad "family-grace 86401" ':1: "family-grace 86401": family-grace is 0 to 86400 seconds'
bad "family-grace -1" ':1: "family-grace -1": family-grace is 0 to 86400 seconds'
bad "config-drift ignore" ':1: "config-drift ignore": config-drift is revert or keep'
bad "interface acc0 role router" ':1: "interface acc0 role router": role is unmanaged, access, upstream or none'
bad "interface acc0 savi strict" ':1: "interface acc0 savi strict": savi is off, monitor or enforce'
bad "interface acc0 anchor duid" ':1: "interface acc0 anchor duid": anchor is none or mac'
bad "interface acc0 shield maybe" ':1: "interface acc0 shield maybe": shield is on or off'
bad "interface acc0 max-bindings 0" ':1: "interface acc0 max-bindings 0": max-bindings is 1 to 16777216'
bad "interface acc0 savi-static 2001:db8::1/48" ':1: "interface acc0 savi-static 2001:db8::1/48": savi-static: host bits set'
bad "interface acc0 savi-static 2000::/16" ':1: "interface acc0 savi-static 2000::/16": savi-static: a prefix shorter than /32 needs ",wide"'
bad "interface acc0 savi-static 2001:db8::/129" ':1: "interface acc0 savi-static 2001:db8::/129": savi-static is "none" or PREFIX/LEN[,wide]'
bad "interface acc0 savi-static 2001:db8::/48,narrow" ':1: "interface acc0 savi-static 2001:db8::/48,narrow": savi-static is "none" or PREFIX/LEN[,wide]'
bad "interface * savi-static 2001:db8::/48" ':1: "interface * savi-static 2001:db8::/48": savi-static is for a named interface'
bad "interface acc0 role access
interface acc0 savi-static 2001:db8::/48
interface acc0 savi-static 2001:db8::/48" ':3: "interface acc0 savi-static 2001:db8::/48": savi-static: declared twice'
bad "interface acc0 savi-static 2001:db8::/48" ': interface acc0: savi-static needs role access'
bad "interface up0 role upstream
interface up0 savi-static 2001:db8::/48" ': interface up0: savi-static needs role access'
bad "ns-miss-rate 100001" ':1: "ns-miss-rate 100001": ns-miss-rate is unmanaged or 0 to 100000'
bad "interface acc0 miss-rate -1" ':1: "interface acc0 miss-rate -1": miss-rate is 0 to 100000'
bad "ns-max-bindings 0" ':1: "ns-max-bindings 0": ns-max-bindings is unmanaged or 1 to 16777216'
bad "release-request-type 37" ':1: "release-request-type 37": a release message type is unmanaged or 38 to 255'
bad "release-request-type 240
release-reply-type 240" ': release-request-type and release-reply-type must differ'
bad "mcast pim enable on" ':1: "mcast pim enable on": mcast igmp|mld KEY VALUE: igmp or mld'
bad "mcast mld enable" ':1: "mcast mld enable": mcast igmp|mld KEY VALUE: four words'
bad "mcast mld version 3" ':1: "mcast mld version 3": version is 1 to 2, or unmanaged'
bad "mcast igmp version 4" ':1: "mcast igmp version 4": version is 1 to 3, or unmanaged'
bad "mcast igmp query-response-interval 99" ':1: "mcast igmp query-response-interval 99": query-response-interval is 100 to 3174400, or unmanaged'
bad "mcast igmp colour blue" ':1: "mcast igmp colour blue": unknown mcast key'
# release-fallback: the servers a release goes to when the lease's does
# not answer, each with its DUID if given; a fifth word is refused.
good "interface * release-fallback 2001:db8:f::2=00:03:00:01:02:00:00:00:0f:02,2001:db8:e::2=00030001020000000f03" \
	"interface acc0 release-fallback fd00::53" "interface acc1 release-fallback none"
bad "interface acc0 release-fallback 2001:db8::1 2001:db8::2" ':1: "interface acc0 release-fallback 2001:db8::1 2001:db8::2": interface NAME KEY VALUE: one value only'
bad "interface acc0 release-fallback ff02::1:2" ':1: "interface acc0 release-fallback ff02::1:2": release-fallback: ff02::1:2 is a multicast address (a release waits for one server at a time)'
bad "interface acc0 release-fallback 2001:db8::1,2001:db8::1" ':1: "interface acc0 release-fallback 2001:db8::1,2001:db8::1": release-fallback: 2001:db8::1 is given twice'
bad "interface acc0 release-fallback 2001:db8::1=xyz" ':1: "interface acc0 release-fallback 2001:db8::1=xyz": release-fallback is "none" or a comma list of at most 4 ADDR or ADDR=DUID (an IPv6 address; the server'"'"'s DUID in hex, 3 to 130 octets)'
bad "mcast igmp version 2 3" ':1: "mcast igmp version 2 3": mcast igmp|mld KEY VALUE: four words'

# The failover partner's keys (selftests/unit/lgd_conf_test has every
# value; here the daemon's messages end to end).
good "partner 2001:db8::2" "partner-listen 2001:db8::1" \
	"partner-key /etc/leaseguard/partner.key" "partner-identity pair-7" \
	"partner-dead-interval 1.5" "partner-queue 1024" \
	"node-id 0123456789abcdef0123456789abcdef"
good "partner [2001:db8::2]:4700" "partner-listen [::]:4701"
good "partner 192.0.2.2:4700" "partner-listen 192.0.2.1" "node-id auto"
good "partner none" "partner-listen none" "partner-dead-interval 60" \
	"partner-queue 16777216"
# Without a partner, the others are checked all the same.
bad "partner-queue 100" ':1: "partner-queue 100": partner-queue is 1024 to 16777216 changes'
bad "partner 2001:db8::2
partner router2" ':2: "partner router2": partner is "none" or a numeric IPv6 or IPv4 address, [IPV6]:PORT or IPV4:PORT (PORT 1 to 65535)'
bad "partner [2001:db8::2]:0" ':1: "partner [2001:db8::2]:0": partner is "none" or a numeric IPv6 or IPv4 address, [IPV6]:PORT or IPV4:PORT (PORT 1 to 65535)'
bad "partner ::" ':1: "partner ::": partner: not the unspecified address (the partner is one router)'
bad "partner ff02::12" ':1: "partner ff02::12": partner: not a multicast address'
bad "partner 224.0.0.18:4647" ':1: "partner 224.0.0.18:4647": partner: not a multicast address'
bad "partner fe80::2" ':1: "partner fe80::2": partner: not a link-local address (it needs an interface: give a global or unique local one)'
bad "partner-listen everywhere" ':1: "partner-listen everywhere": partner-listen is any, none, or a numeric IPv6 or IPv4 address, [IPV6]:PORT or IPV4:PORT (PORT 1 to 65535)'
bad "partner-listen ff02::1" ':1: "partner-listen ff02::1": partner-listen: not a multicast address'
bad "partner-key partner.key" ':1: "partner-key partner.key": partner-key is an absolute path of at most 255 characters'
bad "partner-identity $(printf 'i%.0s' {1..129})" ":1: \"partner-identity $(printf 'i%.0s' {1..129})\": partner-identity is 1 to 128 printable ASCII characters without spaces"
bad "partner-identity pair 7" ':1: "partner-identity pair 7": one value only'
bad "partner-dead-interval 0.5" ':1: "partner-dead-interval 0.5": partner-dead-interval is 1 to 60 seconds, at most 3 decimals (e.g. 1.5)'
bad "partner-dead-interval 1.0001" ':1: "partner-dead-interval 1.0001": partner-dead-interval is 1 to 60 seconds, at most 3 decimals (e.g. 1.5)'
bad "partner-dead-interval 61" ':1: "partner-dead-interval 61": partner-dead-interval is 1 to 60 seconds, at most 3 decimals (e.g. 1.5)'
bad "node-id 0123456789abcdef" ':1: "node-id 0123456789abcdef": node-id is "auto" or 32 hex digits (16 octets)'
bad "node-id 00000000000000000000000000000000" ':1: "node-id 00000000000000000000000000000000": node-id: all zeros is not a node id'
bad "partner 192.0.2.2
partner-listen 2001:db8::1" ': partner-listen 2001:db8::1 is IPv6 and partner 192.0.2.2 is IPv4: give both of one family, or partner-listen any'
bad "partner 2001:db8::2
partner-listen 0.0.0.0" ': partner-listen 0.0.0.0 is IPv4 and partner 2001:db8::2 is IPv6: give both of one family, or partner-listen any'
bad "partner 2001:db8::1
partner-listen [2001:db8::1]:4647" ': partner and partner-listen are both 2001:db8::1 port 4647: the partner is the other router'
check "-o takes the partner's keys" \
	sh -c "\"$LGD\" -t -c /dev/null -o partner=[2001:db8::2]:4700 -o partner-dead-interval=2.5 >/dev/null"
check_fails "-o refuses a bad partner key" 1 \
	"$LGD" -t -c /dev/null -o partner-queue=0

check "-o takes an interface declaration" \
	sh -c "\"$LGD\" -t -c /dev/null -o \"interface=acc0 role access\" -o family-grace=5 >/dev/null"
check_fails "-o refuses a bad one" 1 \
	"$LGD" -t -c /dev/null -o "interface=acc0 role banana"

# Without the family (a namespace of our own has none unless the module
# is loaded): the daemon waits for it instead of exiting.
if ! unshare -rn true 2>/dev/null; then
	ok "# SKIP no unprivileged network namespace for the wait"
elif grep -qw '^leaseguard' /proc/modules 2>/dev/null; then
	ok "# SKIP leaseguard.ko is loaded here: the family is there"
else
	# A store of its own: not the host's /var/lib/leaseguard.
	printf '%s\n' "control-socket $TMP/lgd.sock" "family-grace 1" \
		"interface acc0 role access" "store $TMP/bindings.db" \
		>"$TMP/wait.conf"
	unshare -rn "$LGD" -c "$TMP/wait.conf" >"$TMP/wait.log" 2>&1 &
	PID=$!
	wait_for -t 10 test -S "$TMP/lgd.sock" || true
	wait_for -t 10 grep -q "not back within family-grace" "$TMP/wait.log" || true
	check "without the module the daemon waits, loudly" grep -q \
		"warning: the leaseguard family is not there (is leaseguard.ko loaded?): waiting for it; the declared configuration is not applied" \
		"$TMP/wait.log"
	check "and keeps running" kill -0 "$PID"
	status=$(python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"status\n")
sys.stdout.write(s.makefile().read())' "$TMP/lgd.sock")
	check_eq "status: the family absent, past its grace; nothing applied; the store open" \
		"store path=$TMP/bindings.db state=open rows=0
recover state=on rate=20 negative-ttl=30 servers=0 in-flight=0 events=0 queries=0 sent=0 answers=0 restored=0 exists=0 refused=0 timed-out=0 rate-limited=0 negative-cached=0 duplicates=0 discarded=0 errors=0
family state=absent id=0 grace=1 grace-left-ms=-1 routes-held=0 ups=0 downs=0 expiries=1 lost=0
config state=not-applied drift-policy=revert interfaces=1 applied=0 absent=0 failed=0 drift-kept=0 applies=0 drifts=0 reverts=0 failures=0
interface name=acc0 ifindex=0 state=not-applied" \
		"$(sed 's/ since-ms=[0-9]*//; s/^\(store .* rows=[0-9]*\) .*/\1/' <<<"$status")"
	# The controller's notification, as the kernel sends it when the
	# module registers the family (here forged: unicast to the daemon's
	# socket that joined nlctrl's "notify" group, sequence 0). The
	# daemon reads it and tries to follow the family, which is not there.
	nsenter --preserve-credentials -U -n -t "$PID" python3 -c '
import socket, struct
def attr(t, d):
    a = struct.pack("=HH", 4 + len(d), t) + d
    return a + bytes(-len(a) % 4)
body = struct.pack("=BBH", 1, 2, 0) + attr(1, struct.pack("=H", 99)) + \
       attr(2, b"leaseguard\0")
msg = struct.pack("=IHHII", 16 + len(body), 16, 0, 0, 0) + body
for l in open("/proc/net/netlink").read().splitlines()[1:]:
    f = l.split()
    if int(f[1]) == 16 and int(f[3], 16) & (1 << 15):
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
        s.sendto(msg, (int(f[2]), 0))'
	wait_for -t 10 grep -q "could not take it up" "$TMP/wait.log" || true
	check "CTRL_CMD_NEWFAMILY of leaseguard is heard" grep -q \
		"generic netlink controller: family leaseguard registered (id 99)" \
		"$TMP/wait.log"
	check "and acted on (the family is not really there: try again later)" \
		grep -q "leaseguard family 99: could not take it up" "$TMP/wait.log"
	kill "$PID"
	wait "$PID" 2>/dev/null
	PID=
fi

tap_done
