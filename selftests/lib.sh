# SPDX-License-Identifier: GPL-2.0
# Helpers for leaseguard's shell tests: echoed commands, exact-match checks,
# TAP output. Source it; call tap_done last.

LG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LGCTL=${LGCTL:-$LG_ROOT/agent/lgctl/lgctl}
KSFT_SKIP=4
_tap_n=0
_tap_failed=0
_tap_skipped=0

# Runs a command and shows it (on stderr, so that output can be captured),
# so that a log reads like the story it tells.
n() { printf '# [+] %s\n' "$*" >&2; "$@"; }

# Runs a command in network namespace $1, shown.
nsx() { local ns=$1; shift; printf '# [%s] %s\n' "$ns" "$*" >&2; ip netns exec "$ns" "$@"; }

ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }

not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $*"
}

# tap_skip DESCRIPTION REASON: a check that cannot run yet, as a TAP skip
# ("ok N - DESCRIPTION # SKIP REASON"): selftests/check counts it
# skipped, not passed.
tap_skip() {
	_tap_n=$((_tap_n + 1))
	_tap_skipped=$((_tap_skipped + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [[ "$2" == "$3" ]]; then
		ok "$1"
	else
		not_ok "$1"
		printf '#   expected: %s\n' "$2" | sed '2,$s/^/#             /'
		printf '#   actual:   %s\n' "$3" | sed '2,$s/^/#             /'
	fi
}

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc (failed: $*)"; fi
}

# check_fails DESCRIPTION STATUS COMMAND...: passes when COMMAND exits STATUS.
check_fails() {
	local desc=$1 want=$2 rc=0; shift 2
	"$@" || rc=$?
	check_eq "$desc" "exit $want" "exit $rc"
}

# lgctl_grammar_words LGCTL OBJECT: the words of "lgctl OBJECT help" (its
# Usage lines and the { a | b } choices of its "where" lines), one a line;
# the man page and the completion tests check each is covered.
lgctl_grammar_words() {
	local lgctl=$1 object=$2

	"$lgctl" "$object" help | awk '
		/^Usage:/ { u = 1; w = 0 }
		/^where/ { u = 0; w = 1 }
		/^[^ ]/ && !/^(Usage:|where)/ { u = 0; w = 0 }
		u { print }
		w { s = $0
		    while (match(s, /\{[^}]*\}/)) {
			print substr(s, RSTART, RLENGTH)
			s = substr(s, RSTART + RLENGTH)
		    } }' |
		tr -s ' []{}|(),.\t' '\n' | grep -E '^-{0,2}[a-z][a-z0-9-]*$' | sort -u
}

skip_all() { echo "1..0 # SKIP $*"; exit $KSFT_SKIP; }

tap_done() {
	echo "1..$_tap_n"
	local skipped=""
	((_tap_skipped == 0)) || skipped=", $_tap_skipped skipped"
	echo "# $((_tap_n - _tap_failed - _tap_skipped)) passed, $_tap_failed failed$skipped"
	[[ $_tap_failed -eq 0 ]]
}

# The access router between one subscriber and one server:
#
#   netns sub                  netns rtr (leaseguard)              netns srv
#  +------------------+     +-----------------------------+     +------------------+
#  | eth0             |-----| acc0 (access)  up0 (upstream)|-----| eth0             |
#  | 2001:db8:1::2/64 |     | 2001:db8:1::1  2001:db8:f::1 |     | 2001:db8:f::2/64 |
#  +------------------+     +-----------------------------+     +------------------+
#
# acc0 is ifindex 10 and up0 11 in rtr. Neighbours are static, DAD and
# router solicitation are off: the wire carries only what a test sends (and
# each interface's first MLD reports, over within two seconds of link up).
topology_up() {
	local ns l

	# "ip -n" switches namespace inside ip; "ip netns exec" costs a fork
	# and a remount of /sys, which is slow under TCG.
	for ns in sub rtr srv; do
		n ip netns add $ns
		nsx $ns sysctl -qw net.ipv6.conf.default.router_solicitations=0 \
			net.ipv6.conf.default.accept_dad=0
		n ip -n $ns link set lo up
	done
	n ip -n rtr link add acc0 index 10 address 02:00:00:00:01:01 type veth \
		peer name eth0 netns sub address 02:00:00:00:01:02
	n ip -n rtr link add up0 index 11 address 02:00:00:00:0f:01 type veth \
		peer name eth0 netns srv address 02:00:00:00:0f:02
	nsx rtr sysctl -qw net.ipv6.conf.all.forwarding=1
	n ip -n rtr addr add 2001:db8:1::1/64 dev acc0 nodad
	n ip -n rtr addr add 2001:db8:f::1/64 dev up0 nodad
	n ip -n sub addr add 2001:db8:1::2/64 dev eth0 nodad
	n ip -n srv addr add 2001:db8:f::2/64 dev eth0 nodad
	n ip -n rtr neigh add 2001:db8:1::2 lladdr 02:00:00:00:01:02 dev acc0 nud permanent
	n ip -n rtr neigh add 2001:db8:f::2 lladdr 02:00:00:00:0f:02 dev up0 nud permanent
	n ip -n sub neigh add 2001:db8:1::1 lladdr 02:00:00:00:01:01 dev eth0 nud permanent
	n ip -n srv neigh add 2001:db8:f::1 lladdr 02:00:00:00:0f:01 dev eth0 nud permanent
	for l in "rtr acc0" "rtr up0" "sub eth0" "srv eth0"; do
		# shellcheck disable=SC2086
		n ip -n ${l% *} link set ${l#* } up
	done
	n ip -n sub route add default via 2001:db8:1::1
	n ip -n srv route add 2001:db8:1::/64 via 2001:db8:f::1
}

topology_down() {
	local ns

	for ns in sub rtr srv; do
		ip netns del $ns 2>/dev/null || true
	done
}

# ---------------------------------------------------------------------------
# DHCPv6 daemons in the topology: Kea (kea-dhcp6) in srv, ISC dhcrelay -6 in
# rtr, ISC dhclient -6 (IA_NA + IA_PD) in each subscriber namespace.
#
#   kea_start [VALID [RENEW [REBIND]]]   Kea in srv on eth0 (unicast
#                                        2001:db8:f::2), one subnet per
#                                        access link, memfile leases
#   relay_start [ACC_IF...]              dhcrelay -6 -I in rtr (default acc0)
#   client_start NS IFACE [ARGS...]      dhclient -6 -N -P, waits for BOUND6
#   client_renew NS IFACE                waits for the client's next renewal
#   client_release NS IFACE              dhclient -6 -r: RELEASE, waits for it
#   client_stop NS IFACE                 dhclient -6 -x: stops, no RELEASE
#   kea_leases                           the server's current leases
#   dhcp_cleanup                         stops every daemon (call in the trap)
#
# Access link N (N = 1 for topology_up's acc0, see topology_add_subscriber)
# is 2001:db8:N::/64, with address pool 2001:db8:N::1000-2001:db8:N::1fff
# and prefix pool 2001:db8:N00::/40 delegating /56s (N in hex, 1 to f).
# Kea picks the subnet from the relay's link-address (the global address
# of the access interface the request came in on).
#
# Everything lives in one directory, $LG_DHCP_DIR (dhcp_tmpdir), named by
# daemon: kea-dhcp6.{conf,log,out}, kea-leases6.csv, dhcrelay.log,
# dhclient-NS-IFACE.{conf,leases,pid,log,events}, and *.bgpid for each
# daemon started in the background. Set LG_DHCP_KEEP=1 to keep it.
# ---------------------------------------------------------------------------

LG_DHCP_LINKS=${LG_DHCP_LINKS:-1}	# access links Kea serves (topology_add_subscriber adds)
LG_DHCP_SERVER=${LG_DHCP_SERVER:-2001:db8:f::2}
LG_WAIT_TIMEOUT=${LG_WAIT_TIMEOUT:-30}
LG_DHCLIENT_SCRIPT=$LG_ROOT/selftests/dhcp/dhclient-script

# wait_for [-t SEC] COMMAND...: polls COMMAND (every 0.1 s) until it succeeds;
# fails after SEC seconds (default $LG_WAIT_TIMEOUT), or at once when
# COMMAND exits 125 (there is no point in waiting: a daemon died).
wait_for() {
	local t=$LG_WAIT_TIMEOUT end rc
	if [[ $1 == -t ]]; then t=$2; shift 2; fi
	end=$((SECONDS + t))
	while :; do
		rc=0
		"$@" || rc=$?
		((rc != 0)) || return 0
		if ((rc == 125)); then
			echo "# wait_for: gave up: $*" >&2
			return 1
		fi
		if ((SECONDS >= end)); then
			echo "# wait_for: gave up after ${t}s: $*" >&2
			return 1
		fi
		sleep 0.1
	done
}

# step TEXT: a heading in the TAP output, with the seconds since start.
step() { echo "# [${SECONDS}s] $*"; }
# is VALUE COMMAND...: COMMAND prints VALUE; atleast MIN COMMAND...: it
# prints a number >= MIN. For wait_for, which runs them again each time
# (wait_for [ "$(cmd)" = x ] would compare the first output forever).
is() { local want=$1; shift; [[ $("$@") == "$want" ]]; }
atleast() { local min=$1 v; shift; v=$("$@"); ((v >= min)); }

# dhcp_tmpdir: creates $LG_DHCP_DIR once (short, for the Unix socket path)
# and prints it. Call it as a command at least once (the helpers do): in
# $(...) it cannot set the variable.
dhcp_tmpdir() {
	if [[ -z ${LG_DHCP_DIR:-} || ! -d $LG_DHCP_DIR ]]; then
		LG_DHCP_DIR=$(mktemp -d /tmp/lg-dhcp.XXXXXX)
		chmod 755 "$LG_DHCP_DIR"
	fi
	echo "$LG_DHCP_DIR"
}

# _dhcp_bg NAME NS LOG COMMAND...: starts COMMAND in namespace NS in the
# background, stdout and stderr to LOG, its pid in $LG_DHCP_DIR/NAME.bgpid.
_dhcp_bg() {
	local name=$1 ns=$2 log=$3; shift 3
	printf '# [%s] %s &\n' "$ns" "$*" >&2
	ip netns exec "$ns" "$@" </dev/null >"$log" 2>&1 &
	echo $! >"$LG_DHCP_DIR/$name.bgpid"
}

_dhcp_alive() {
	local f=$LG_DHCP_DIR/$1.bgpid
	[[ -s $f ]] && kill -0 "$(<"$f")" 2>/dev/null
}

# _dhcp_kill NAME [SIGNAL]: stops a background daemon, waits for it (3 s, then
# SIGKILL), and for the children it had (dhclient's script: a script that
# was running must not change the interface after, say, a RELEASE).
_dhcp_kill() {
	local f=$LG_DHCP_DIR/$1.bgpid pid kids k i
	[[ -s $f ]] || return 0
	pid=$(<"$f")
	rm -f "$f"
	kill -STOP "$pid" 2>/dev/null || return 0	# no new children from now
	kids=$(pgrep -P "$pid" || true)
	kill -"${2:-TERM}" "$pid" 2>/dev/null
	kill -CONT "$pid" 2>/dev/null
	for k in "$pid" $kids; do
		for ((i = 0; i < 30; i++)); do
			kill -0 "$k" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$k" 2>/dev/null || true
	done
	wait "$pid" 2>/dev/null || true
}

# _dhcp_fail WHAT LOG: says why a daemon did not come up, with its log.
_dhcp_fail() {
	echo "# $1; last lines of $2:" >&2
	tail -n 25 "$2" 2>/dev/null | sed 's/^/#   /' >&2
	return 1
}

# kea_config VALID RENEW REBIND: prints kea-dhcp6's configuration.
# Kea serves the relay from srv by default; for a server on the router
# itself, set LG_KEA_NS=rtr, LG_KEA_INTERFACES='"acc0"' (Kea's JSON list)
# and LG_KEA_SUBNET_IFACE=acc0 (clients there are not relayed).
# LG_KEA_HOOKS: the entries of "hooks-libraries" (JSON), none by default.
# LG_KEA_GLOBALS: more members of "Dhcp6" (JSON, each with its leading
# newline and trailing comma), e.g. "store-extended-info": true.
# LG_KEA_SERVER_ID: the DUID-LL's link-layer address in hex (020000000f02).
kea_config() {
	local valid=$1 renew=$2 rebind=$3 dir=$LG_DHCP_DIR i sep="" ifkey=""
	local ifaces=${LG_KEA_INTERFACES:-\"eth0/$LG_DHCP_SERVER\"}

	[[ -z ${LG_KEA_SUBNET_IFACE:-} ]] ||
		ifkey=" \"interface\": \"$LG_KEA_SUBNET_IFACE\","
	cat <<EOC
{
"Dhcp6": {
    "interfaces-config": { "interfaces": [ $ifaces ] },
    "server-id": { "type": "LL", "htype": 1, "identifier": "${LG_KEA_SERVER_ID:-020000000f02}",
                   "persist": false },
    "data-directory": "$dir",
    "control-socket": { "socket-type": "unix",
                        "socket-name": "$dir/kea6-ctrl.sock" },
    "lease-database": { "type": "memfile", "persist": true,
                        "name": "$dir/kea-leases6.csv", "lfc-interval": 0 },
    "multi-threading": { "enable-multi-threading": false },
    "hooks-libraries": [ ${LG_KEA_HOOKS:-} ],${LG_KEA_GLOBALS:-}
    "preferred-lifetime": $valid,
    "valid-lifetime": $valid,
    "renew-timer": $renew,
    "rebind-timer": $rebind,
    "option-data": [ { "name": "preference", "data": "255",
                       "always-send": true } ],
    "subnet6": [
EOC
	for i in $LG_DHCP_LINKS; do
		cat <<EOC
	$sep{ "id": $((16#$i)), "subnet": "2001:db8:$i::/64",$ifkey
	  "pools": [ { "pool": "2001:db8:$i::1000-2001:db8:$i::1fff" } ],
	  "pd-pools": [ { "prefix": "2001:db8:${i}00::", "prefix-len": 40,
	                  "delegated-len": 56 } ] }
EOC
		sep=","
	done
	cat <<EOC
    ],
    "loggers": [ { "name": "kea-dhcp6", "severity": "${LG_KEA_SEVERITY:-INFO}",
                   "debuglevel": ${LG_KEA_DEBUGLEVEL:-0},
                   "output_options": [ { "output": "$dir/kea.log",
                                         "flush": true } ] } ]
}
}
EOC
}

# kea_start [VALID [RENEW [REBIND]]]: starts kea-dhcp6 in srv (or in
# $LG_KEA_NS, see kea_config). Lifetimes in
# seconds: valid (= preferred) 3600 by default, T1 = VALID/2, T2 = 4*VALID/5.
# Waits until Kea says it started; fails with its log otherwise.
kea_start() {
	local valid=${1:-3600} renew rebind dir
	renew=${2:-$((valid / 2))}
	rebind=${3:-$((valid * 4 / 5))}
	dhcp_tmpdir >/dev/null
	dir=$LG_DHCP_DIR
	kea_config "$valid" "$renew" "$rebind" >"$dir/kea-dhcp6.conf"
	: >"$dir/kea.log"
	_dhcp_bg kea "${LG_KEA_NS:-srv}" "$dir/kea.out" env KEA_PIDFILE_DIR="$dir" \
		KEA_LOCKFILE_DIR="$dir" kea-dhcp6 -c "$dir/kea-dhcp6.conf"
	wait_for _kea_up || {
		cat "$dir/kea.out" >>"$dir/kea.log"
		_dhcp_fail "kea-dhcp6 did not start" "$dir/kea.log"
	}
}

_kea_up() {
	_dhcp_alive kea || return 125
	grep -q DHCP6_STARTED "$LG_DHCP_DIR/kea.log"
}

kea_stop() { [[ -z ${LG_DHCP_DIR:-} ]] || _dhcp_kill kea; }

# kea_cmd COMMAND [ARGUMENTS]: sends a command (ARGUMENTS a JSON map) to
# Kea's control socket and prints the answer's JSON.
kea_cmd() {
	python3 -c '
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
cmd = {"command": sys.argv[2]}
if len(sys.argv) > 3:
    cmd["arguments"] = json.loads(sys.argv[3])
s.sendall(json.dumps(cmd).encode())
out = b""
while True:
    try:
        json.loads(out)
        break
    except ValueError:
        pass
    b = s.recv(65536)
    if not b:
        break
    out += b
print(out.decode())' "$LG_DHCP_DIR/kea6-ctrl.sock" "$@"
}

# kea_stat NAME: the current value of one of Kea's statistics (0 if none).
kea_stat() {
	kea_cmd statistic-get "{\"name\": \"$1\"}" |
		jq --arg n "$1" '.arguments[$n][0][0] // 0'
}

# kea_leases: the server's current leases, one per line, sorted:
#
#   TYPE ADDR/PLEN IAID DUID VALID EXPIRE STATE
#
# TYPE is NA, TA or PD; IAID decimal; DUID lowercase colon hex as in Kea's
# CSV; VALID the valid lifetime in s; EXPIRE a Unix time; STATE default,
# declined or expired-reclaimed. Memfile appends a row for each change: the
# last row of an address wins, and a row with valid lifetime 0 deletes it.
kea_leases() {
	local f=$LG_DHCP_DIR/kea-leases6.csv
	[[ -f $f ]] || return 0
	awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{
		key = $col["lease_type"] " " $col["address"]
		if ($col["valid_lifetime"] == 0) { delete row[key]; next }
		t = $col["lease_type"]
		t = t == 0 ? "NA" : t == 1 ? "TA" : t == 2 ? "PD" : "type" t
		s = $col["state"]
		s = s == 0 ? "default" : s == 1 ? "declined" : \
		    s == 2 ? "expired-reclaimed" : "state" s
		row[key] = t " " $col["address"] "/" $col["prefix_len"] " " \
			$col["iaid"] " " $col["duid"] " " $col["valid_lifetime"] \
			" " $col["expire"] " " s
	}
	END { for (k in row) print row[k] }' "$f" | LC_ALL=C sort
}

# relay_start [ACC_IF...]: starts dhcrelay -6 in rtr, listening on the
# access interfaces (default acc0) and relaying to Kea over up0. -I: every
# RELAY-FORW carries an Interface-ID, also with one access interface.
relay_start() {
	local dir acc args=()
	dhcp_tmpdir >/dev/null
	dir=$LG_DHCP_DIR
	for acc in "${@:-acc0}"; do args+=(-l "$acc"); done
	_dhcp_bg dhcrelay rtr "$dir/dhcrelay.log" dhcrelay -6 -d -I \
		-pf "$dir/dhcrelay.pid" "${args[@]}" -u "$LG_DHCP_SERVER%up0"
	wait_for _relay_up "${args[-1]}" || _dhcp_fail "dhcrelay did not start" "$dir/dhcrelay.log"
}

# dhcrelay says "Sending on Socket/IF" for the last interface when its
# sockets are bound (grep, not ss in rtr: ip netns exec is slow under TCG).
_relay_up() {
	_dhcp_alive dhcrelay || return 125
	grep -q "^Sending on  *Socket/$1\$" "$LG_DHCP_DIR/dhcrelay.log"
}

relay_stop() { [[ -z ${LG_DHCP_DIR:-} ]] || _dhcp_kill dhcrelay; }

# The files of the client on NS IFACE: _dhcp_client NS IFACE sets $c (the
# path prefix, $LG_DHCP_DIR/dhclient-NS-IFACE) and the dhclient arguments
# they imply in $cargs.
_dhcp_client() {
	local dir
	dhcp_tmpdir >/dev/null
	dir=$LG_DHCP_DIR
	c=$dir/dhclient-$1-$2
	cargs=(-6 -N -P -D LL -v -cf "$c.conf" -lf "$c.leases" -pf "$c.pid"
		-sf "$LG_DHCLIENT_SCRIPT" -e "LG_DHCLIENT_EVENTS=$c.events")
}

# client_start NS IFACE [DHCLIENT_ARGS...]: starts dhclient -6 (IA_NA and
# IA_PD, DUID-LL from IFACE's MAC) in NS, in the foreground (-d) in the
# background. Waits until both are bound. dhclient-script logs to
# $LG_DHCP_DIR/dhclient-NS-IFACE.events one line per event and lease:
#
#   REASON na ADDR/128 VALID PREFERRED     (IA_NA address)
#   REASON pd PREFIX/PLEN VALID PREFERRED  (IA_PD prefix)
#   REASON - - - -                         (PREINIT6 and the like)
#
# REASON is dhclient's (BOUND6, RENEW6, REBIND6, RELEASE6, EXPIRE6, STOP6...);
# for RELEASE6, EXPIRE6 and STOP6 the lease is the old one.
client_start() {
	local ns=$1 ifc=$2 c cargs; shift 2
	_dhcp_client "$ns" "$ifc"
	printf 'timeout %s;\n' "$LG_WAIT_TIMEOUT" >"$c.conf"
	: >"$c.events"
	_dhcp_bg "dhclient-$ns-$ifc" "$ns" "$c.log" \
		dhclient "${cargs[@]}" -d -1 "$@" "$ifc"
	wait_for _client_bound "$ns" "$ifc" ||
		_dhcp_fail "dhclient in $ns on $ifc is not bound" "$c.log"
}

_client_bound() {
	_dhcp_alive "dhclient-$1-$2" || return 125
	[[ $(client_lease "$1" "$2" na) && $(client_lease "$1" "$2" pd) ]]
}

# client_lease NS IFACE na|pd: the client's current address (ADDR/128) or
# delegated prefix, from its event log; empty if it has none.
client_lease() {
	awk -v kind="$3" '
	$2 == kind && $1 ~ /^(BOUND6|RENEW6|REBIND6|REBOOT6|DEPREF6)$/ { cur = $3 }
	$2 == kind && $1 ~ /^(RELEASE6|EXPIRE6|STOP6)$/ && $3 == cur { cur = "" }
	END { if (cur != "") print cur }' "$LG_DHCP_DIR/dhclient-$1-$2.events"
}

# client_duid NS IFACE: the client's DUID from its lease file, in Kea's
# notation (lowercase colon hex).
client_duid() {
	# dhclient writes octal escapes (\ooo), \" and \\, and printable
	# characters: decode them in one pass, left to right.
	perl -ne '$s = $1 if /^default-duid "(.*)";$/;
		END { $s =~ s/\\([0-7]{3}|.)/length($1) == 3 ? chr(oct($1)) : $1/ge;
		      print join(":", map { sprintf "%02x", ord } split //, $s) }' \
		"$LG_DHCP_DIR/dhclient-$1-$2.leases"
}

# client_renew NS IFACE: waits for the client's next renewal (RENEW6 of both
# leases) and checks that it is still bound. dhclient renews at T1: start
# Kea with a short RENEW (kea_start 30 2).
client_renew() {
	local c=$LG_DHCP_DIR/dhclient-$1-$2 before
	before=$(grep -c '^RENEW6 ' "$c.events" || true)
	printf '# [%s] (waiting for dhclient to renew on %s)\n' "$1" "$2" >&2
	wait_for _client_renewed "$c.events" $((before + 2)) ||
		_dhcp_fail "dhclient in $1 on $2 did not renew" "$c.log"
}

_client_renewed() { (($(grep -c '^RENEW6 ' "$1") >= $2)); }

# client_release NS IFACE: stops the running dhclient (SIGTERM, which sends
# nothing), then dhclient -6 -r sends a RELEASE for both leases of its lease
# file, waits for Kea's REPLY and runs the script (RELEASE6).
#
# (dhclient -r would SIGTERM the running one itself, without waiting: a
# renewal in flight could then put the address back after the release.)
client_release() {
	local ns=$1 ifc=$2 c cargs
	_dhcp_client "$ns" "$ifc"
	_dhcp_kill "dhclient-$ns-$ifc"
	nsx "$ns" dhclient "${cargs[@]}" -r "$ifc" >>"$c.log" 2>&1 ||
		_dhcp_fail "dhclient -r in $ns on $ifc failed" "$c.log"
}

# client_stop NS IFACE: stops the client without a RELEASE; dhclient -6 -x
# runs the script (STOP6), which removes the address.
client_stop() {
	local ns=$1 ifc=$2 c cargs
	_dhcp_client "$ns" "$ifc"
	_dhcp_alive "dhclient-$ns-$ifc" || return 0
	_dhcp_kill "dhclient-$ns-$ifc"
	nsx "$ns" dhclient "${cargs[@]}" -x "$ifc" >>"$c.log" 2>&1 || true
}

# dhcp_cleanup: stops every daemon the helpers started and removes
# $LG_DHCP_DIR (unless LG_DHCP_KEEP is set). Safe to call more than once.
dhcp_cleanup() {
	local f
	[[ -n ${LG_DHCP_DIR:-} && -d $LG_DHCP_DIR ]] || return 0
	for f in "$LG_DHCP_DIR"/*.bgpid; do
		[[ -e $f ]] || continue
		f=${f##*/}
		_dhcp_kill "${f%.bgpid}"
	done
	if [[ -n ${LG_DHCP_KEEP:-} ]]; then
		echo "# DHCP logs kept in $LG_DHCP_DIR" >&2
	else
		rm -rf "$LG_DHCP_DIR"
	fi
}

# topology_add_subscriber NAME ACC_IF N: one more subscriber, in netns NAME,
# on its own access link N (2 to 15) to rtr, like topology_up's sub (N = 1):
#
#   NAME eth0 2001:db8:N::2/64 02:00:00:00:0N:02
#   rtr ACC_IF 2001:db8:N::1/64 02:00:00:00:0N:01, ifindex 10 + N
#
# (N in hex in addresses). Kea started afterwards serves the link too, and
# srv routes 2001:db8:N::/64 via rtr. Remove with topology_del_subscribers.
topology_add_subscriber() {
	local ns=$1 acc=$2 i=$3 x
	x=$(printf %x "$i")
	n ip netns add "$ns"
	nsx "$ns" sysctl -qw net.ipv6.conf.default.router_solicitations=0
	nsx "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
	nsx "$ns" ip link set lo up
	n ip -n rtr link add "$acc" index $((10 + i)) \
		address "$(printf '02:00:00:00:%02x:01' "$i")" type veth \
		peer name eth0 netns "$ns" address "$(printf '02:00:00:00:%02x:02' "$i")"
	nsx rtr ip addr add "2001:db8:$x::1/64" dev "$acc" nodad
	nsx "$ns" ip addr add "2001:db8:$x::2/64" dev eth0 nodad
	nsx rtr ip neigh add "2001:db8:$x::2" \
		lladdr "$(printf '02:00:00:00:%02x:02' "$i")" dev "$acc" nud permanent
	nsx "$ns" ip neigh add "2001:db8:$x::1" \
		lladdr "$(printf '02:00:00:00:%02x:01' "$i")" dev eth0 nud permanent
	nsx rtr ip link set "$acc" up
	nsx "$ns" ip link set eth0 up
	nsx "$ns" ip route add default via "2001:db8:$x::1"
	nsx srv ip route add "2001:db8:$x::/64" via 2001:db8:f::1
	LG_DHCP_LINKS="$LG_DHCP_LINKS $x"
	LG_SUBSCRIBERS="${LG_SUBSCRIBERS:-} $ns"
}

# topology_del_subscribers: deletes the namespaces topology_add_subscriber
# made (topology_down deletes only sub, rtr and srv; call both in the trap).
topology_del_subscribers() {
	local ns
	for ns in ${LG_SUBSCRIBERS:-}; do
		ip netns del "$ns" 2>/dev/null || true
	done
	LG_SUBSCRIBERS=
}

# capture_start NS IFACE [FILTER...]: tcpdump in NS on IFACE (default filter:
# DHCPv6) into $LG_DHCP_DIR/NS-IFACE.pcap; waits until it listens.
capture_start() {
	local ns=$1 ifc=$2 dir; shift 2
	dhcp_tmpdir >/dev/null
	dir=$LG_DHCP_DIR
	[[ $# -gt 0 ]] || set -- udp and '(' port 546 or port 547 ')'
	_dhcp_bg "tcpdump-$ns-$ifc" "$ns" "$dir/tcpdump-$ns-$ifc.log" \
		tcpdump -i "$ifc" -n -U --immediate-mode -Z root \
		-w "$dir/$ns-$ifc.pcap" "$@"
	wait_for _capture_up "$ns" "$ifc" ||
		_dhcp_fail "tcpdump in $ns on $ifc did not start" "$dir/tcpdump-$ns-$ifc.log"
}

_capture_up() {
	_dhcp_alive "tcpdump-$1-$2" || return 125
	grep -q 'listening on' "$LG_DHCP_DIR/tcpdump-$1-$2.log"
}

# capture_stop NS IFACE: stops that tcpdump; the pcap stays.
capture_stop() { _dhcp_kill "tcpdump-$1-$2" INT; }
