#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lgctl's command line on the host, where the leaseguard module is NOT
# loaded: usage errors, device lookup, the not-loaded hint, and the JSON
# writer (through json_print_test.c and jq).
#
#   lgctl ──netlink──> genl controller: no "leaseguard" family
#
# Exit codes under test: 0 ok, 1 operation failed, 2 usage, 3 no module,
# 4 no partner configured (lgctl partner, against a stand-in leaseguardd).
# Needs: a built agent/lgctl/lgctl (LGCTL overrides), cc, jq; valgrind optional.
#
# Conditions are single-quoted and eval'd by check(), after the command ran.
# shellcheck disable=SC2016,SC2034

set -e -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
AGENT=$HERE/../../agent
LGCTL=${LGCTL:-$AGENT/lgctl/lgctl}
PLAN=208
HINT='lgctl: the leaseguard module is not loaded (try "modprobe leaseguard" or "insmod kmod/leaseguard.ko")'

if [ -d /sys/module/leaseguard ]; then
	echo "# SKIP: leaseguard is loaded here; these tests need it absent"
	exit 4
fi
for tool in jq "${CC:-cc}"; do
	if ! command -v "$tool" >/dev/null; then
		echo "# SKIP: $tool is not installed"
		exit 4
	fi
done

TMP=$(mktemp -d)
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT

n=0
passed=0
failed=0

echo "1..$PLAN"

ok() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		echo "#   $line"
	done
}

# check DESC COND...: one test, passing when the command COND succeeds
check() {
	local desc=$1
	shift
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc" "rc=$rc" "stdout: $(cat "$TMP/out")" \
			"stderr: $(cat "$TMP/err")"
	fi
}

# run ARGS...: lgctl ARGS, stdout in $TMP/out, stderr in $TMP/err, $rc
run() {
	echo "# \$ lgctl $*"
	set +e
	"$LGCTL" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	set -e
}

# expect RC STDOUT STDERR: exactly this exit code and output
expect() {
	[ "$rc" = "$1" ] &&
		[ "$(cat "$TMP/out")" = "$2" ] &&
		[ "$(cat "$TMP/err")" = "$3" ]
}

# fits LINES COLS FILE
fits() {
	awk -v l="$1" -v c="$2" \
		'length > c { bad = 1 } END { exit bad || NR > l || NR == 0 }' "$3"
}

# valid_json_or_empty FILE
valid_json_or_empty() {
	[ ! -s "$1" ] || jq -e . "$1" >/dev/null
}

# has_all FILE STRING...: FILE holds every STRING
has_all() {
	local file=$1 s
	shift
	for s in "$@"; do
		grep -qF -- "$s" "$file" || return 1
	done
}

# each_exits RC STDERR ARGS...: "lgctl ARGS" for each ARGS (split on
# blanks) gives exactly exit code RC, no output and STDERR
each_exits() {
	local want=$1 err=$2 args
	shift 2
	for args in "$@"; do
		# shellcheck disable=SC2086
		run $args
		expect "$want" "" "$err" || return 1
	done
}

if [ ! -x "$LGCTL" ]; then
	echo "Bail out! $LGCTL is not built (make -C agent)"
	echo "# 0 passed, 1 failed"
	exit 1
fi

# --- usage ---------------------------------------------------------------
run help
check "help exits 0, prints to stdout only" \
	eval '[ "$rc" = 0 ] && [ ! -s "$TMP/err" ] && grep -q "^Usage: lgctl " "$TMP/out"'
check "help fits 24 lines of 80 columns" fits 24 80 "$TMP/out"
check "help names the savi object" grep -q "^  savi " "$TMP/out"

run
check "no object: usage on stderr, exit 2" \
	eval '[ "$rc" = 2 ] && [ ! -s "$TMP/out" ] && grep -q "^Usage: lgctl " "$TMP/err"'

run bogus
check "unknown object" expect 2 "" 'Command "bogus" is unknown, try "lgctl help".'

run -x link
check "unknown option" expect 2 "" 'Option "-x" is unknown, try "lgctl help".'

run link bogus
check "unknown link command" \
	expect 2 "" 'Command "bogus" is unknown, try "lgctl link help".'

run link help
check "link help" eval '[ "$rc" = 0 ] && [ "$(head -n1 "$TMP/out")" = "Usage: lgctl link [ show ] [ dev IFNAME ]" ]'

run link set dev lo role
check "link set: role without a value" \
	expect 2 "" 'Argument "role" needs a value, try "lgctl link help".'

run link set dev lo role wizard
check "link set: bad role names the word" \
	expect 2 "" 'Argument "wizard" is wrong: role is access, upstream or none.'

run link set role access
check "link set: dev is required" \
	expect 2 "" 'Argument "dev" is required, try "lgctl link help".'

run link set dev lo
check "link set: nothing to set" \
	expect 2 "" 'Nothing to set, try "lgctl link help".'

run link show dev lo dev lo
check "link show: dev twice" \
	expect 2 "" 'Argument "dev" is given twice, try "lgctl link help".'

run link show bogus
check "link show: unknown argument" \
	expect 2 "" 'Argument "bogus" is unknown, try "lgctl link help".'

run stats bogus
check "unknown stats command" \
	expect 2 "" 'Command "bogus" is unknown, try "lgctl stats help".'

for obj in link stats binding config monitor savi mcast; do
	run "$obj" help
	cp "$TMP/out" "$TMP/help.$obj"
done
check "every OBJECT help: exit 0, its grammar, fits 24 lines of 80 columns" \
	eval '(for obj in link stats binding config monitor savi mcast; do
		grep -q "^Usage: lgctl $obj" "$TMP/help.$obj" &&
		fits 24 80 "$TMP/help.$obj" || exit 1; done)'

run link set dev lo max-bindings 0
check "link set: max-bindings 0" \
	expect 2 "" 'Argument "0" is wrong: max-bindings is 1 to 16777216.'

run link set dev lo max-bindings 16777217
check "link set: max-bindings above the limit" \
	expect 2 "" 'Argument "16777217" is wrong: max-bindings is 1 to 16777216.'

run config set max-bindings -1
check "config set: max-bindings not a number" \
	expect 2 "" 'Argument "-1" is wrong: max-bindings is 1 to 16777216.'

run config set
check "config set: nothing to set" \
	expect 2 "" 'Nothing to set, try "lgctl config help".'

run config bogus
check "unknown config command" \
	expect 2 "" 'Command "bogus" is unknown, try "lgctl config help".'

run binding bogus
check "unknown binding command" \
	expect 2 "" 'Command "bogus" is unknown, try "lgctl binding help".'

run binding show duid 00:01:zz:03
check "binding show: DUID not hex" \
	expect 2 "" 'Argument "00:01:zz:03" is wrong: a DUID is hex octets, like 00:01:00:01:2b:3c:4d:5e.'

run binding show duid 000100012
check "binding show: DUID of an odd number of digits" \
	expect 2 "" 'Argument "000100012" is wrong: a DUID is hex octets, like 00:01:00:01:2b:3c:4d:5e.'

run binding del duid 00:01:02:
check "binding del: DUID with a trailing colon" \
	expect 2 "" 'Argument "00:01:02:" is wrong: a DUID is hex octets, like 00:01:00:01:2b:3c:4d:5e.'

long_duid=$(printf '%0262d' 0)
run binding get duid "$long_duid"
check "binding get: DUID of 131 octets" \
	expect 2 "" "Argument \"$long_duid\" is wrong: a DUID is 3 to 130 octets."

run binding show duid 00:01
check "binding show: DUID of 2 octets" \
	expect 2 "" 'Argument "00:01" is wrong: a DUID is 3 to 130 octets.'

run binding get
check "binding get: nothing to get" \
	expect 2 "" 'Argument ADDR, "id" or "duid" is required, try "lgctl binding help".'

run binding get id 1 duid 000102
check "binding get: two keys" \
	expect 2 "" 'Arguments ADDR, "id" and "duid" do not go together, try "lgctl binding help".'

run binding get id 1x
check "binding get: id not a number" \
	expect 2 "" 'Argument "1x" is wrong: id is a number.'

run binding get 192.0.2.1
check "binding get: not an IPv6 address" \
	expect 2 "" 'Argument "192.0.2.1" is unknown, try "lgctl binding help".'

run binding del
check "binding del: nothing selected" \
	expect 2 "" 'Argument "id", "dev", "duid", "addr" or "all" is required, try "lgctl binding help".'

run binding del all dev x
check "binding del: all with another selector" \
	expect 2 "" 'Argument "all" goes alone, try "lgctl binding help".'

run binding del addr 2001:db8::/64
check "binding del: addr is an address, not a prefix" \
	expect 2 "" 'Argument "2001:db8::/64" is wrong: not an IPv6 address.'

run monitor bogus
check "monitor: unknown group" \
	expect 2 "" 'Argument "bogus" is unknown, try "lgctl monitor help".'

# --- source-address validation, release types: usage --------------------
check "link help names savi, anchor, shield and trust-release" \
	has_all "$TMP/help.link" "savi MODE" "anchor {" "shield {" \
	"trust-release {" "off | monitor | enforce"
check "savi help: add (with wide), del and PREFIX" \
	eval 'grep -qF "lgctl savi add dev IFNAME PREFIX [ wide ]" "$TMP/help.savi" &&
		grep -qF "lgctl savi del dev IFNAME PREFIX" "$TMP/help.savi" &&
		grep -q "^where  PREFIX := ADDR\[/LEN\]" "$TMP/help.savi"'
check "config help names the release types" \
	eval 'grep -q "release-request-type T" "$TMP/help.config" &&
		grep -q "release-reply-type T" "$TMP/help.config"'

run link set dev lo savi strict
check "link set: bad savi mode names the word" \
	expect 2 "" 'Argument "strict" is wrong: savi is off, monitor or enforce.'

run link set dev lo anchor ip
check "link set: bad anchor" \
	expect 2 "" 'Argument "ip" is wrong: anchor is none or mac.'

run link set dev lo shield yes
check "link set: shield is on or off" \
	expect 2 "" 'Argument "yes" is wrong: shield is on or off.'

run link set dev lo trust-release 1
check "link set: trust-release is on or off" \
	expect 2 "" 'Argument "1" is wrong: trust-release is on or off.'

run link set dev lo savi
check "link set: savi without a value" \
	expect 2 "" 'Argument "savi" needs a value, try "lgctl link help".'

run link set dev lo savi off savi enforce
check "link set: savi twice" \
	expect 2 "" 'Argument "savi" is given twice, try "lgctl link help".'

run link set dev nosuchdev0 savi strict
check "link set: a bad savi mode is found before the device is looked up" \
	expect 2 "" 'Argument "strict" is wrong: savi is off, monitor or enforce.'

run savi bogus
check "unknown savi command" \
	expect 2 "" 'Command "bogus" is unknown, try "lgctl savi help".'

run savi add 2001:db8::/32
check "savi add: dev is required" \
	expect 2 "" 'Argument "dev" is required, try "lgctl savi help".'

run savi del dev lo
check "savi del: PREFIX is required" \
	expect 2 "" 'Argument PREFIX is required, try "lgctl savi help".'

run savi add dev lo 2001:db8::zz/64
check "savi add: not an IPv6 prefix" \
	expect 2 "" 'Argument "2001:db8::zz/64" is wrong: not an IPv6 prefix.'

run savi add dev lo 192.0.2.0/24
check "savi add: an IPv4 prefix" \
	expect 2 "" 'Argument "192.0.2.0/24" is wrong: not an IPv6 prefix.'

run savi add dev lo 2001:db8::/129
check "savi add: /129" \
	expect 2 "" 'Argument "2001:db8::/129" is wrong: the prefix length is 0 to 128.'

run savi del dev lo 2001:db8::/
check "savi del: an empty prefix length" \
	expect 2 "" 'Argument "2001:db8::/" is wrong: the prefix length is 0 to 128.'

run savi add dev lo 2001:db8::1/64
check "savi add: host bits set, the prefix meant is named" \
	expect 2 "" 'Argument "2001:db8::1/64" is wrong: host bits are set, the prefix is 2001:db8::/64.'

run savi del dev lo 2001:db8::1/127
check "savi del: the last host bit of a /127" \
	expect 2 "" 'Argument "2001:db8::1/127" is wrong: host bits are set, the prefix is 2001:db8::/127.'

run savi add dev nosuchdev0 2001:db8::1/64
check "savi add: a bad prefix is found before the device is looked up" \
	expect 2 "" 'Argument "2001:db8::1/64" is wrong: host bits are set, the prefix is 2001:db8::/64.'

run savi add dev lo 2001:db8::/32 2001:db9::/32
check "savi add: one PREFIX only" \
	expect 2 "" 'Argument "2001:db9::/32" is unknown, try "lgctl savi help".'

run savi show 2001:db8::/32
check "savi show: takes no PREFIX" \
	expect 2 "" 'Argument "2001:db8::/32" is unknown, try "lgctl savi help".'

run config set release-request-type 37
check "config set: release-request-type 37 is IANA's" \
	expect 2 "" 'Argument "37" is wrong: release-request-type is 38 to 255.'

run config set release-reply-type 256
check "config set: release-reply-type 256" \
	expect 2 "" 'Argument "256" is wrong: release-reply-type is 38 to 255.'

run config set release-request-type 0x26
check "config set: release-request-type not a decimal number" \
	expect 2 "" 'Argument "0x26" is wrong: release-request-type is 38 to 255.'

run config set release-request-type 240 release-reply-type 240
check "config set: equal release types" \
	expect 2 "" 'Argument "240" is wrong: the two release types must differ.'

# --- miss-rate (LG_CMD_SAVI_MISS_NTF's budgets): usage -------------------
run link set dev lo miss-rate 100001
check "link set: miss-rate above the limit" \
	expect 2 "" 'Argument "100001" is wrong: miss-rate is 0 to 100000.'

run config set miss-rate -1
check "config set: miss-rate not a number" \
	expect 2 "" 'Argument "-1" is wrong: miss-rate is 0 to 100000.'

check "link and config help name miss-rate" \
	eval 'grep -q "miss-rate N" "$TMP/help.link" &&
		grep -q "miss-rate R" "$TMP/help.config"'

run monitor help
check "monitor help names the miss event" \
	eval 'grep -q "miss" "$TMP/out"'

# --- binding add (LG_CMD_BINDING_NEW): usage -----------------------------
ADD="dev lo duid 00:03:00:01:02:00:00:00:00:01 ia na iaid 1 lladdr fe80::1 server 2001:db8:f::2"
check "binding help names add, its lease, origin and replace" \
	has_all "$TMP/help.binding" "lgctl binding add dev IFNAME duid DUID ia { na | pd } iaid IAID" \
		"LEASE := lease ADDR[/PLEN] [ preferred TIME ] valid TIME" \
		"[ origin ORIGIN ] [ replace ]" "leasequery | synced"

run binding add
check "binding add: nothing" \
	expect 2 "" 'Argument "dev" is required, try "lgctl binding help".'

# shellcheck disable=SC2086
run binding add $ADD
check "binding add: no lease" \
	expect 2 "" 'Argument "lease" is required, try "lgctl binding help".'

# shellcheck disable=SC2086
run binding add $ADD lease 2001:db8:1::10
check "binding add: a lease without valid" \
	expect 2 "" 'Argument "valid" is required after each "lease", try "lgctl binding help".'

run binding add dev lo valid 60
check "binding add: valid before any lease" \
	expect 2 "" 'Argument "valid" goes after "lease ADDR", try "lgctl binding help".'

# shellcheck disable=SC2086
run binding add $ADD lease 2001:db8:1::10 valid 60 valid 70
check "binding add: valid twice for one lease" \
	expect 2 "" 'Argument "valid" is given twice, try "lgctl binding help".'

run binding add dev lo duid 00:03:00:01 ia na lladdr fe80::1 server 2001:db8:f::2 lease 2001:db8:1::10 valid 60
check "binding add: iaid missing" \
	expect 2 "" 'Argument "iaid" is required, try "lgctl binding help".'

# shellcheck disable=SC2086
run binding add $ADD lease 2001:db8:1::10 valid 0
check "binding add: valid 0" \
	expect 2 "" 'Argument "0" is wrong: valid is 1 to 4294967295 seconds, or "forever".'

# shellcheck disable=SC2086
run binding add $ADD lease 2001:db8:1::10 preferred soon valid 60
check "binding add: preferred not a number" \
	expect 2 "" 'Argument "soon" is wrong: preferred is 0 to 4294967295 seconds, or "forever".'

# shellcheck disable=SC2086
run binding add $ADD lease 2001:db8:100::/129 valid forever
check "binding add: prefix length 129" \
	expect 2 "" 'Argument "2001:db8:100::/129" is wrong: a prefix length is 1 to 128.'

# shellcheck disable=SC2086
run binding add $ADD lease 192.0.2.1 valid 60
check "binding add: an IPv4 lease" \
	expect 2 "" 'Argument "192.0.2.1" is wrong: a lease is an IPv6 address or prefix.'

# shellcheck disable=SC2086
run binding add $ADD lease 2001:db8:1::1 valid 9 lease 2001:db8:1::2 valid 9 lease 2001:db8:1::3 valid 9 lease 2001:db8:1::4 valid 9 lease 2001:db8:1::5 valid 9
check "binding add: five leases" \
	expect 2 "" 'Argument "lease" is wrong: a binding has at most 4 leases.'

run binding add dev lo duid 00:03:00:01 ia ta iaid 1 lladdr fe80::1 server 2001:db8:f::2 lease 2001:db8:1::10 valid 60
check "binding add: ia ta" \
	expect 2 "" 'Argument "ta" is wrong: ia is na or pd.'

# shellcheck disable=SC2086
run binding add $ADD origin snooped lease 2001:db8:1::10 valid 60
check "binding add: origin snooped is the kernel's to say" \
	expect 2 "" 'Argument "snooped" is wrong: origin is restored, leasequery or synced.'

# shellcheck disable=SC2086
run binding add $ADD mac 01:02 lease 2001:db8:1::10 valid 60
check "binding add: a short MAC" \
	expect 2 "" 'Argument "01:02" is wrong: a MAC is 6 hex octets, like 02:00:00:00:01:02.'

# shellcheck disable=SC2086
run binding add $ADD interface-id "$(printf '%066d' 0)" lease 2001:db8:1::10 valid 60
check "binding add: interface-id of 33 octets" \
	expect 2 "" "Argument \"$(printf '%066d' 0)\" is wrong: interface-id is 1 to 32 hex octets."

# shellcheck disable=SC2086
run binding add $ADD replace replace lease 2001:db8:1::10 valid 60
check "binding add: replace twice" \
	expect 2 "" 'Argument "replace" is given twice, try "lgctl binding help".'

run binding add dev nosuchdev0 duid 00:03:00:01 ia pd iaid 1 lladdr fe80::1 server 2001:db8:f::2 lease 2001:db8:100::/56 valid forever
check "binding add: the device is looked up last" \
	expect 1 "" 'Cannot find device "nosuchdev0"'

# shellcheck disable=SC2086
run binding add $ADD mac 02:00:00:00:01:02 server-duid 00:01:00:01:11:22:33:44 interface-id 61:63:63:30 origin leasequery replace lease 2001:db8:1::10 preferred 30 valid 60 lease 2001:db8:1::11 valid forever
check "binding add: the whole grammar parses, then the module is missing" \
	expect 3 "" "$HINT"

# --- relay-initiated release, release-forward: usage ---------------------
check "binding help names release" \
	grep -qF "lgctl binding release { SELECTOR... | all }" "$TMP/help.binding"
check "link help names release-forward" \
	has_all "$TMP/help.link" "release-forward { on | off }"

run binding release
check "binding release: nothing selected" \
	expect 2 "" 'Argument "id", "dev", "duid", "addr" or "all" is required, try "lgctl binding help".'

run binding release all dev x
check "binding release: all with another selector" \
	expect 2 "" 'Argument "all" goes alone, try "lgctl binding help".'

run binding release all all
check "binding release: all twice" \
	expect 2 "" 'Argument "all" is given twice, try "lgctl binding help".'

run binding release id 1 id 2
check "binding release: id twice" \
	expect 2 "" 'Argument "id" is given twice, try "lgctl binding help".'

run binding release id
check "binding release: id without a value" \
	expect 2 "" 'Argument "id" needs a value, try "lgctl binding help".'

run binding release id -1
check "binding release: id not a number" \
	expect 2 "" 'Argument "-1" is wrong: id is a number.'

run binding release duid 00:01
check "binding release: DUID of 2 octets" \
	expect 2 "" 'Argument "00:01" is wrong: a DUID is 3 to 130 octets.'

run binding release addr 2001:db8::zz
check "binding release: addr not an IPv6 address" \
	expect 2 "" 'Argument "2001:db8::zz" is wrong: not an IPv6 address.'

run binding release 2001:db8::1
check "binding release: a bare ADDR is not a selector" \
	expect 2 "" 'Argument "2001:db8::1" is unknown, try "lgctl binding help".'

run binding release dev nosuchdev0 id x
check "binding release: a bad id is found before the device is looked up" \
	expect 2 "" 'Argument "x" is wrong: id is a number.'

check "binding help names wait, nowait, socket and timeout" \
	has_all "$TMP/help.binding" "[ wait | nowait ]" "[ socket PATH ] [ timeout SECONDS ]"

run binding release all wait nowait
check "binding release: wait and nowait" \
	expect 2 "" 'Arguments "wait" and "nowait" do not go together, try "lgctl binding help".'

run binding release all nowait socket /x
check "binding release: nowait with a socket" \
	expect 2 "" 'Arguments "nowait" and "socket" do not go together, try "lgctl binding help".'

run binding release all timeout 0
check "binding release: timeout 0" \
	expect 2 "" 'Argument "0" is wrong: timeout is 1 to 3600 seconds.'

run binding release all timeout
check "binding release: timeout without a value" \
	expect 2 "" 'Argument "timeout" needs a value, try "lgctl binding help".'

run binding release dev lo socket /x timeout 5 socket /y
check "binding release: socket twice" \
	expect 2 "" 'Argument "socket" is given twice, try "lgctl binding help".'

run link set dev lo release-forward yes
check "link set: release-forward is on or off" \
	expect 2 "" 'Argument "yes" is wrong: release-forward is on or off.'

run link set dev lo release-forward
check "link set: release-forward without a value" \
	expect 2 "" 'Argument "release-forward" needs a value, try "lgctl link help".'

run link set dev lo release-forward on release-forward off
check "link set: release-forward twice" \
	expect 2 "" 'Argument "release-forward" is given twice, try "lgctl link help".'

# --- IGMP/MLD proxy: usage ---------------------------------------------
check "mcast help: set, show, --yang" \
	has_all "$TMP/help.mcast" "lgctl mcast set { igmp | mld }" \
	"lgctl mcast show [ igmp | mld ] --yang" "[ upstream { IFNAME | none } ]"

run mcast bogus
check "unknown mcast command" \
	expect 2 "" 'Command "bogus" is unknown, try "lgctl mcast help".'

run mcast set enable on
check "mcast set: the family is required" \
	expect 2 "" 'Argument "igmp" or "mld" is required, try "lgctl mcast help".'

run mcast set igmp
check "mcast set: nothing to set" \
	expect 2 "" 'Nothing to set, try "lgctl mcast help".'

run mcast set igmp mld enable on
check "mcast set: igmp and mld at once" \
	expect 2 "" 'Arguments "igmp" and "mld" do not go together, try "lgctl mcast help".'

run mcast set mld version 3
check "mcast set: MLD version 3" \
	expect 2 "" 'Argument "3" is wrong: the MLD version is 1 to 2.'

run mcast set igmp robustness 8
check "mcast set: robustness 8" \
	expect 2 "" 'Argument "8" is wrong: robustness is 1 to 7.'

run mcast set igmp last-member-interval 99
check "mcast set: last-member-interval below 100 ms" \
	expect 2 "" 'Argument "99" is wrong: last-member-interval is 100 to 25500 ms.'

run mcast set igmp query-interval 10 query-response-interval 10000
check "mcast set: the query response interval not less than the query interval" \
	expect 2 "" 'Argument "10000" is wrong: query-response-interval must be less than query-interval (10000 ms).'

run mcast set igmp enable yes
check "mcast set: enable is on or off" \
	expect 2 "" 'Argument "yes" is wrong: enable is on or off.'

run mcast show group 10.0.0.1
check "mcast show: a unicast group" \
	expect 2 "" 'Argument "10.0.0.1" is wrong: not a multicast address.'

run mcast show mld group 239.1.1.1
check "mcast show: an IPv4 group with mld" \
	expect 2 "" 'Argument "239.1.1.1" is wrong: not an IPv6 multicast address.'

run mcast show --yang dev lo
check "mcast show: --yang goes without dev" \
	expect 2 "" 'Arguments "--yang" and "dev" do not go together, try "lgctl mcast help".'

# --- devices -------------------------------------------------------------
run link set dev nosuchdev0 role access
check "link set: unknown device" expect 1 "" 'Cannot find device "nosuchdev0"'

run link show dev nosuchdev0
check "link show: unknown device" expect 1 "" 'Cannot find device "nosuchdev0"'

run stats dev nosuchdev0
check "stats: unknown device" expect 1 "" 'Cannot find device "nosuchdev0"'

run binding del dev nosuchdev0 duid 00:01:00:01:2b:3c:4d:5e
check "binding del: unknown device" expect 1 "" 'Cannot find device "nosuchdev0"'

run savi add dev nosuchdev0 2001:db8::/48
check "savi add: unknown device" expect 1 "" 'Cannot find device "nosuchdev0"'

run binding release dev nosuchdev0
check "binding release: unknown device" expect 1 "" 'Cannot find device "nosuchdev0"'

run savi show dev nosuchdev0
check "savi show: unknown device" expect 1 "" 'Cannot find device "nosuchdev0"'

run mcast set igmp upstream nosuchdev0
check "mcast set: unknown upstream device" \
	expect 1 "" 'Cannot find device "nosuchdev0"'

run mcast show dev nosuchdev0
check "mcast show: unknown device" expect 1 "" 'Cannot find device "nosuchdev0"'

# --- no module -----------------------------------------------------------
run link show
check "link show: module not loaded" expect 3 "" "$HINT"

run link dev lo
check "link dev lo (show implied): module not loaded" expect 3 "" "$HINT"

run -j link show
check "-j link show: exit 3, stdout empty or valid JSON" \
	eval '[ "$rc" = 3 ] && [ "$(cat "$TMP/err")" = "$HINT" ] && valid_json_or_empty "$TMP/out"'

run -j stats
check "-j stats: exit 3, stdout empty or valid JSON" \
	eval '[ "$rc" = 3 ] && [ "$(cat "$TMP/err")" = "$HINT" ] && valid_json_or_empty "$TMP/out"'

run binding show
check "binding show: module not loaded" expect 3 "" "$HINT"

run binding duid 000100012b3c4d5e
check "binding duid (show implied), DUID without colons: module not loaded" \
	expect 3 "" "$HINT"

run -j binding get id 1
check "-j binding get: exit 3, stdout empty or valid JSON" \
	eval '[ "$rc" = 3 ] && [ "$(cat "$TMP/err")" = "$HINT" ] && valid_json_or_empty "$TMP/out"'

run binding del all
check "binding del all: module not loaded" expect 3 "" "$HINT"

check "binding release: each selector, and all, module not loaded" \
	each_exits 3 "$HINT" "binding release all" "binding release id 7" \
	"binding release dev lo" "binding release duid 000102" \
	"binding release addr 2001:db8::1" \
	"binding release id 7 dev lo duid 000102 addr 2001:db8::1"

run link set dev lo release-forward off
check "link set: release-forward alone is enough, module not loaded" \
	expect 3 "" "$HINT"

run config show
check "config show: module not loaded" expect 3 "" "$HINT"

run config set max-bindings 16777216
check "config set: the limit itself is taken, module not loaded" \
	expect 3 "" "$HINT"

run link set dev lo max-bindings 1
check "link set: max-bindings alone is enough, module not loaded" \
	expect 3 "" "$HINT"

run monitor
check "monitor: module not loaded, nothing printed" expect 3 "" "$HINT"

run -j monitor bindings config
check "-j monitor bindings config: module not loaded" expect 3 "" "$HINT"

run link set dev lo savi enforce anchor mac shield on trust-release off
check "link set: every savi word at once, module not loaded" \
	expect 3 "" "$HINT"

check "link set: each savi word alone is enough, module not loaded" \
	each_exits 3 "$HINT" "link set dev lo savi off" \
	"link set dev lo savi monitor" "link set dev lo anchor none" \
	"link set dev lo shield off" "link set dev lo trust-release on"

run savi show
check "savi show: module not loaded" expect 3 "" "$HINT"

run savi dev lo
check "savi dev lo (show implied): module not loaded" expect 3 "" "$HINT"

run -j savi
check "-j savi: exit 3, stdout empty or valid JSON" \
	eval '[ "$rc" = 3 ] && [ "$(cat "$TMP/err")" = "$HINT" ] && valid_json_or_empty "$TMP/out"'

run savi add dev lo 2001:db8::2/127
check "savi add: a /127 without host bits is taken, module not loaded" \
	expect 3 "" "$HINT"

run savi del dev lo 2001:db8::1
check "savi del: an address alone is a /128, module not loaded" \
	expect 3 "" "$HINT"

run savi add dev lo ::/0
check "savi add: ::/0 goes to the kernel (which wants wide), module not loaded" \
	expect 3 "" "$HINT"

run savi add dev lo wide ::/0
check "savi add: ::/0 wide, in any order, module not loaded" \
	expect 3 "" "$HINT"

run savi del dev lo ::/0 wide
check "savi del: takes no wide" \
	expect 2 "" 'Argument "wide" is unknown, try "lgctl savi help".'

run savi add dev lo 2001:db8::/32 wide wide
check "savi add: wide once" \
	expect 2 "" 'Argument "wide" is unknown, try "lgctl savi help".'

run config set release-request-type 38 release-reply-type 255
check "config set: release types 38 and 255 are taken, module not loaded" \
	expect 3 "" "$HINT"

run config set release-reply-type 241
check "config set: one release type alone, module not loaded" \
	expect 3 "" "$HINT"

run mcast show
check "mcast show: module not loaded" expect 3 "" "$HINT"

check "mcast: show implied, filters, and set at the limits, module not loaded" \
	each_exits 3 "$HINT" "mcast" "mcast igmp" "mcast dev lo" \
	"mcast show mld group ff3e::8000:1" "mcast show igmp --yang" \
	"mcast set igmp enable on upstream none" \
	"mcast set mld version 1 robustness 7 query-interval 31744 query-response-interval 3174400 last-member-interval 25500 last-member-count 1 max-groups 65536 max-sources 256 max-groups-host 65536 ns-max-groups 1048576 ns-max-sources 16777216"

run -j mcast show --yang
check "-j mcast show --yang: exit 3, stdout empty or valid JSON" \
	eval '[ "$rc" = 3 ] && [ "$(cat "$TMP/err")" = "$HINT" ] && valid_json_or_empty "$TMP/out"'

run monitor mcast
check "monitor mcast: module not loaded" expect 3 "" "$HINT"

# --- version, JSON -------------------------------------------------------
run -j -V
cp "$TMP/out" "$TMP/version.json"
check "-j -V is one JSON object" \
	eval '[ "$rc" = 0 ] && jq -e ".name == \"lgctl\" and (.genl_version | type) == \"number\"" "$TMP/out" >/dev/null'

run -p -V
check "-p -V is the same JSON, pretty" \
	eval '[ "$rc" = 0 ] && [ "$(wc -l <"$TMP/out")" -gt 1 ] && [ "$(jq -c . "$TMP/out")" = "$(cat "$TMP/version.json")" ]'

run -V
check "-V in text" expect 0 \
	"lgctl $(jq -r .version "$TMP/version.json") (leaseguard genl version $(jq -r .genl_version "$TMP/version.json"))" ""

# --- the JSON writer -----------------------------------------------------
echo "# \$ cc json_print_test.c ../../agent/lib/json_print.c"
set +e
"${CC:-cc}" -std=gnu11 -O2 -Wall -Wextra -Werror -I"$AGENT/lib" \
	-o "$TMP/json_print_test" "$HERE/json_print_test.c" \
	"$AGENT/lib/json_print.c" 2>"$TMP/err"
rc=$?
set -e
: >"$TMP/out"
check "json_print_test builds" [ "$rc" = 0 ]

"$TMP/json_print_test" json >"$TMP/jt.json" 2>&1 || true
"$TMP/json_print_test" pretty >"$TMP/jt.pretty" 2>&1 || true
"$TMP/json_print_test" text >"$TMP/jt.text" 2>&1 || true
want_json='{"quote":"a\"b","backslash":"a\\b","control":"\b\f\n\r\t\u0001\u001f\u007f","utf8":"é€𝄞|\ufffd|\ufffd\ufffd|\ufffd\ufffd\ufffd|\ufffd\ufffd","empty":"","null":null,"key\"\n":"v","u64":18446744073709551615,"int":-1,"bool":true,"array":[1,2,{}],"nested":{"empty":[]}}'
want_text="quote a\"b backslash a\\b empty '' u64 18446744073709551615 int -1 bool true
1 2text only"
cp "$TMP/jt.json" "$TMP/out"
check "JSON writer: exact escaping, invalid UTF-8 as U+FFFD" \
	eval '[ "$(cat "$TMP/jt.json")" = "$want_json" ]'
check "JSON writer: jq reads the strings back" \
	eval 'jq -e ".quote == \"a\\\"b\" and .backslash == \"a\\\\b\" and .control == \"\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\" and .null == null and .[\"key\\\"\\n\"] == \"v\"" "$TMP/jt.json" >/dev/null'
cp "$TMP/jt.pretty" "$TMP/out"
check "JSON writer: pretty is the same value" \
	eval '[ "$(jq -cS . "$TMP/jt.pretty")" = "$(jq -cS . "$TMP/jt.json")" ]'
cp "$TMP/jt.text" "$TMP/out"
check "JSON writer: text mode uses the formats" \
	eval '[ "$(cat "$TMP/jt.text")" = "$want_text" ]'

# --- IGMP/MLD proxy: the daemon's side ----------------------------------
check "mcast help: proxy" has_all "$TMP/help.mcast" \
	"lgctl mcast proxy [ socket PATH ]"

run mcast proxy socket "$TMP/no-daemon.sock"
check "mcast proxy: no daemon is a failure that says so" \
	expect 1 "" "lgctl: leaseguardd at $TMP/no-daemon.sock: No such file or directory (is leaseguardd running?)"

run mcast proxy socket
check "mcast proxy: socket needs a path" \
	expect 2 "" 'Argument "socket" needs a value, try "lgctl mcast help".'

run mcast proxy sockets /x
check "mcast proxy: unknown argument" \
	expect 2 "" 'Argument "sockets" is unknown, try "lgctl mcast help".'

# --- leaseguardd's own state: lgctl daemon --------------------------------
run daemon help
check "daemon help: its grammar, fits 24 lines of 80 columns" \
	eval 'has_all "$TMP/out" "lgctl daemon [ show ] [ socket PATH ]" && fits 24 80 "$TMP/out"'

run daemon show socket "$TMP/no-daemon.sock"
check "daemon show: no daemon is a failure that says so" \
	expect 1 "" "lgctl: leaseguardd at $TMP/no-daemon.sock: No such file or directory (is leaseguardd running?)"

run daemon show socket
check "daemon show: socket needs a path" \
	expect 2 "" 'Argument "socket" needs a value, try "lgctl daemon help".'

run daemon show sockets /x
check "daemon show: unknown argument" \
	expect 2 "" 'Argument "sockets" is unknown, try "lgctl daemon help".'

# A leaseguardd stand-in: answers "status" once per connection, with a
# kind this lgctl does not know (skipped) before the store's line.
STATUS='family name=leaseguard up=1
store path=/var/lib/leaseguard/bindings.db state=open rows=5000 pending=3 commits=12 committed=5012 last-commit=1800000000 last-commit-us=41000 errors=2 last-error=full set-aside=1 invalid=0 restored=4990 refused=10 written=7 dropped=4'
# Then the proxy's line for "mcast", and a "status" that fails.
MCAST='proxy family=mld enable=1 upstream=up0 version=2 active=1 groups=3 memberships=4 upstream-groups=3 sockets=1 routing=0'
python3 - "$TMP/fake.sock" "status=$STATUS" "status=$STATUS" "mcast=$MCAST" \
	"status=error the store is busy" >"$TMP/fake.log" 2>&1 <<'PY' &
import os, socket, sys
path, answers = sys.argv[1], sys.argv[2:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
for a in answers:
    want, answer = a.split("=", 1)
    c, _ = s.accept()
    cmd = c.makefile().readline().strip()
    c.sendall((answer + "\n" if cmd == want else "error unknown command\n").encode())
    c.close()
PY
FAKE=$!
for _ in $(seq 50); do [ -S "$TMP/fake.sock" ] && break; sleep 0.1; done
run daemon socket "$TMP/fake.sock"
check "daemon: the store as text" expect 0 "store /var/lib/leaseguard/bindings.db: open, 5000 bindings
	pending 3  commits 12 (5012 changes)  last commit 2027-01-15T08:00:00Z (41000 us)
	errors 2 (last: full)  set aside 1  invalid rows 0
	reconcile: restored 4990  refused 10  written 7  dropped 4" ""
run -j daemon show socket "$TMP/fake.sock"
check "daemon -j: the store as JSON, numbers as numbers" \
	eval '[ "$rc" = 0 ] && jq -e ".store.path == \"/var/lib/leaseguard/bindings.db\" and .store.rows == 5000 and .store.pending == 3 and .store.last_commit == 1800000000 and .store.last_error == \"full\" and .store.set_aside == 1 and .store.restored == 4990 and (.family == null)" "$TMP/out" >/dev/null'
run -j mcast proxy socket "$TMP/fake.sock"
check "mcast proxy -j: the proxy's line, numbers as numbers" \
	eval '[ "$rc" = 0 ] && jq -e "length == 1 and .[0].family == \"mld\" and .[0].groups == 3" "$TMP/out" >/dev/null'
run daemon show socket "$TMP/fake.sock"
check "daemon show: leaseguardd's error is said, and fails" \
	expect 1 "" "lgctl: leaseguardd says: the store is busy"
wait "$FAKE" || true
run daemon show socket "$TMP/fake.sock"
check "daemon show: the daemon went away" \
	eval '[ "$rc" = 1 ] && grep -q "is leaseguardd running" "$TMP/err"'

# --- the failover partner: lgctl partner ----------------------------------
run partner help
cp "$TMP/out" "$TMP/help.partner"
check "partner help: its grammar, fits 24 lines of 80 columns" \
	eval 'has_all "$TMP/out" "lgctl partner [ show ] [ socket PATH ]" \
		"lgctl partner role STATE [ socket PATH ]" \
		"STATE := { master | backup | fault | stop }" && fits 24 80 "$TMP/out"'
run help
check "help: partner's exit status 4" \
	has_all "$TMP/out" "4 no failover partner configured"

run partner role bogus
check "partner role: an unknown state is a usage error" \
	expect 2 "" 'Role "bogus" is unknown: STATE is master, backup, fault or stop.'
run partner role
check "partner role: needs a state" \
	expect 2 "" 'Command "role" needs a STATE: master, backup, fault or stop.'
run partner role master sockets /x
check "partner role: unknown argument" \
	expect 2 "" 'Argument "sockets" is unknown, try "lgctl partner help".'
run partner show socket
check "partner show: socket needs a path" \
	expect 2 "" 'Argument "socket" needs a value, try "lgctl partner help".'
run partner show socket "$TMP/no-daemon.sock"
check "partner show: no daemon is a failure that says so" \
	expect 1 "" "lgctl: leaseguardd at $TMP/no-daemon.sock: No such file or directory (is leaseguardd running?)"
run partner role master socket "$TMP/no-daemon.sock"
check "partner role: no daemon is a failure that says so" \
	expect 1 "" "lgctl: leaseguardd at $TMP/no-daemon.sock: No such file or directory (is leaseguardd running?)"

# A leaseguardd stand-in with a partner (a kind this lgctl does not know
# among its lines), then without, then the answers to "role".
PARTNER='local role=master
partner state=synced state-age-ms=192000 node-id=11111111111111111111111111111111 peer=2001:db8::2 port=4647 listen=2001:db8::1 listen-port=4647 connection=[2001:db8::2]:53122 peer-node-id=22222222222222222222222222222222 peer-role=backup peer-version=0.1 last-heartbeat-age-ms=320 last-recv-age-ms=120
future x=1
sync queue=2 queue-hwm=4096 tombstones=3 tombstones-dropped=0 sent=1234 received=1200 applied=1100 refused=1 conflicts-won=5 conflicts-lost=6 duplicates=7 gaps=8 resent=9 bulks-sent=10 bulks-received=11 overflows=12 malformed=13 unknown=14 dead=15
connection attempts=16 reconnects=17 connects-failed=18 connected=19 accepted=20 refused=21 hs-key=22 hs-identity=23 hs-not-tls=24 hs-other=25 duplicates=26 lost=27 bytes-in=123456 bytes-out=234567 backoff-ms=400'
python3 - "$TMP/fakep.sock" "partner=$PARTNER" "partner=$PARTNER" \
	"partner=partner state=none" "partner=partner state=none" \
	"role master=role state=master" "role backup=partner state=none" \
	"role fault=error permission denied: uid 65534 may not change the router's role (root only)" \
	"role stop=" >"$TMP/fakep.log" 2>&1 <<'PY' &
import os, socket, sys
path, answers = sys.argv[1], sys.argv[2:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
for a in answers:
    want, answer = a.split("=", 1)
    c, _ = s.accept()
    cmd = c.makefile().readline().strip()
    if answer:
        answer += "\n"
    c.sendall((answer if cmd == want else "error unknown command\n").encode())
    c.close()
PY
FAKEP=$!
for _ in $(seq 50); do [ -S "$TMP/fakep.sock" ] && break; sleep 0.1; done
run partner socket "$TMP/fakep.sock"
check "partner: our role, the partner, the session, the connection as text" \
	expect 0 "role master
partner 2001:db8::2 port 4647: synced for 3m12s
	connection [2001:db8::2]:53122
	listening on 2001:db8::1 port 4647
	our node 11111111111111111111111111111111
	its node 22222222222222222222222222222222: backup, version 0.1
	last received 120 ms ago, last heartbeat 320 ms ago
sync: queue 2 (high 4096)  tombstones 3 (dropped 0)
	messages sent 1234  received 1200  changes applied 1100  refused 1
	conflicts won 5  lost 6  duplicates 7  gaps 8  resent 9
	bulks sent 10  received 11  overflows 12  malformed 13  unknown 14  dead 15
connection: attempts 16 (reconnects 17)  connects failed 18  backoff 400 ms
	handshakes: connected 19  accepted 20  refused 21  duplicates 26  lost 27
	failed handshakes: key 22  identity 23  not TLS 24  other 25
	bytes in 123456  out 234567" ""
check "partner: the text fits 24 lines of 80 columns" fits 24 80 "$TMP/out"
run -j partner show socket "$TMP/fakep.sock"
check "partner -j: one object per line kind, numbers as numbers" \
	eval '[ "$rc" = 0 ] && jq -e ".local.role == \"master\" and .partner.state == \"synced\" and .partner.state_age_ms == 192000 and .partner.peer == \"2001:db8::2\" and .partner.port == 4647 and .partner.peer_node_id == \"22222222222222222222222222222222\" and .partner.peer_version == \"0.1\" and .sync.queue_hwm == 4096 and .sync.dead == 15 and .connection.hs_not_tls == 24 and .connection.bytes_out == 234567 and .future == null" "$TMP/out" >/dev/null'
run partner show socket "$TMP/fakep.sock"
check "partner show: none configured is exit 4, said on stderr" \
	expect 4 "" "lgctl: no partner configured (leaseguardd.conf has no partner)"
run -j partner show socket "$TMP/fakep.sock"
check "partner -j: none configured is exit 4 and a state none" \
	eval '[ "$rc" = 4 ] && jq -e ".partner.state == \"none\"" "$TMP/out" >/dev/null'
run partner role master socket "$TMP/fakep.sock"
check "partner role master: taken, silently" expect 0 "" ""
run partner role backup socket "$TMP/fakep.sock"
check "partner role backup: none configured is exit 4" \
	expect 4 "" "lgctl: no partner configured (leaseguardd.conf has no partner)"
run partner role fault socket "$TMP/fakep.sock"
check "partner role fault: leaseguardd's refusal is said, and fails" \
	expect 1 "" "lgctl: leaseguardd says: permission denied: uid 65534 may not change the router's role (root only)"
run partner role stop socket "$TMP/fakep.sock"
check "partner role stop: no answer fails" \
	expect 1 "" "lgctl: leaseguardd gave no answer (an older leaseguardd?)"
wait "$FAKEP" || true

# Another user than root cannot reach leaseguardd's socket (0600, root's):
# control.c checks the caller of "role" again (lgd_control_test).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	python3 -c 'import socket, sys, os, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
os.umask(0o177); s.bind(sys.argv[1]); s.listen(1); time.sleep(5)' \
		"$TMP/root.sock" &
	ROOTSOCK=$!
	chmod 755 "$TMP"
	for _ in $(seq 50); do [ -S "$TMP/root.sock" ] && break; sleep 0.1; done
	echo "# \$ setpriv --reuid nobody lgctl partner role master"
	set +e
	setpriv --reuid=65534 --regid=65534 --clear-groups "$LGCTL" partner \
		role master socket "$TMP/root.sock" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	set -e
	check "partner role master as nobody: permission denied, exit 1" \
		expect 1 "" "lgctl: leaseguardd at $TMP/root.sock: Permission denied"
	chmod 700 "$TMP"
	kill "$ROOTSOCK" 2>/dev/null || true
	wait "$ROOTSOCK" 2>/dev/null || true
else
	n=$((n + 1)); passed=$((passed + 1))
	echo "ok $n - partner role master as nobody: permission denied # SKIP not root, or no setpriv"
fi

# --- leaks ---------------------------------------------------------------
if command -v valgrind >/dev/null; then
	echo "# \$ valgrind lgctl link show"
	set +e
	valgrind -q --leak-check=full --error-exitcode=99 "$LGCTL" link show \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	set -e
	check "valgrind: lgctl link show is clean" \
		eval '[ "$rc" = 3 ] && [ "$(cat "$TMP/err")" = "$HINT" ]'
	# "RC ARGS": the error paths that run here
	for t in "3 binding show dev lo duid 000102" "3 monitor" \
		 "3 config show" "2 binding del all dev x" \
		 "3 savi show dev lo" "2 savi add dev lo 2001:db8::1/64" \
		 "3 mcast show --yang" \
		 "3 binding add dev lo duid 000300010200 ia na iaid 1 lladdr fe80::1 server 2001:db8:f::2 interface-id 6163 lease 2001:db8:1::10 valid 60" \
		 "2 binding add dev lo duid 000300010200 ia na iaid 1 lladdr fe80::1 server 2001:db8:f::2 interface-id 6163 lease 2001:db8:1::10"; do
		want=${t%% *}
		args=${t#* }
		echo "# \$ valgrind lgctl $args"
		set +e
		# shellcheck disable=SC2086
		valgrind -q --leak-check=full --error-exitcode=99 "$LGCTL" \
			$args >"$TMP/out" 2>"$TMP/err"
		rc=$?
		set -e
		check "valgrind: lgctl $args is clean" eval '[ "$rc" = "$want" ]'
	done
else
	for args in "link show" "binding show dev lo duid 000102" "monitor" \
		    "config show" "binding del all dev x" "savi show dev lo" \
		    "savi add dev lo 2001:db8::1/64" "mcast show --yang" \
		    "binding add dev lo duid 000300010200 ia na iaid 1 lladdr fe80::1 server 2001:db8:f::2 interface-id 6163 lease 2001:db8:1::10 valid 60" \
		    "binding add dev lo duid 000300010200 ia na iaid 1 lladdr fe80::1 server 2001:db8:f::2 interface-id 6163 lease 2001:db8:1::10"; do
		n=$((n + 1)); passed=$((passed + 1))
		echo "ok $n - valgrind: lgctl $args is clean # SKIP no valgrind"
	done
fi

if [ "$n" != "$PLAN" ]; then
	not_ok "ran as many tests as planned ($n, planned $PLAN)"
fi
echo "# $passed passed, $failed failed"
[ "$failed" = 0 ]
