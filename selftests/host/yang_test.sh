#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The YANG side of the IGMP/MLD proxy, on the host (no module needed):
# our augment loads, and yang_check.sh (yanglint -t data) takes the specs'
# example, the fixture yang/lgctl-state.json, and what "lgctl mcast
# show --yang" prints for the state of yang/state.txt (through the hidden
# "lgctl mcast yang-from"), and rejects broken instances for the right
# reason.
#
#   yang/state.txt ──lgctl mcast yang-from──> JSON ──yang_check.sh──> ok?
#                                              └── = yang/lgctl-state.json
#
# Needs: yanglint (libyang2-tools), jq, a built agent/lgctl/lgctl (LGCTL
# overrides), shared/specs/yang beside the repository (LG_YANG_DIR), else
# the repository's copy, Documentation/yang (checked to be the same files
# when both are there).
#
# Conditions are single-quoted and eval'd by check(), after the command ran.
# shellcheck disable=SC2016

set -e -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LGCTL=${LGCTL:-$REPO/agent/lgctl/lgctl}
CHECK=$HERE/yang_check.sh
FIXTURE=$HERE/yang/lgctl-state.json
STATE=$HERE/yang/state.txt
LG_MODULE=$REPO/Documentation/leaseguard-igmp-mld-proxy@2026-11-23.yang
PLAN=37

for tool in yanglint jq; do
	if ! command -v "$tool" >/dev/null; then
		echo "# SKIP: $tool is not installed"
		exit 4
	fi
done
if ! YANG_DIR=$("$CHECK" --yang-dir 2>&1); then
	echo "# SKIP: $YANG_DIR"
	exit 4
fi

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
		not_ok "$desc" "rc=$rc" "stdout: $(head -c 2000 "$TMP/out")" \
			"stderr: $(head -c 2000 "$TMP/err")"
	fi
}

# run CMD...: stdout in $TMP/out, stderr in $TMP/err, $rc
run() {
	echo "# \$ ${*/#$REPO\//}"
	set +e
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	set -e
}

# validate FILE: yang_check.sh FILE
validate() {
	run "$CHECK" "$1"
}

# validate_ietf FILE: yang_check.sh's yanglint without our augment module:
# the IETF modules, and the specifications' deviations of the draft
validate_ietf() {
	run yanglint -i -p "$YANG_DIR" -t data \
		"$YANG_DIR/iana-if-type@2014-05-08.yang" \
		"$YANG_DIR/ietf-igmp-mld-proxy@2019-05-14.yang" \
		"$YANG_DIR/local-igmp-mld-proxy-deviations.yang" "$1"
}

# valid: the last validate passed, silently
valid() {
	[ "$rc" = 0 ] && [ ! -s "$TMP/out" ] && [ ! -s "$TMP/err" ]
}

# rejected MESSAGE: the last validate failed (1) and yanglint said MESSAGE
rejected() {
	[ "$rc" = 1 ] && grep -qF -- "$1" "$TMP/err"
}

# jqe ARGS...: jq -e, quiet
jqe() {
	jq -e "$@" >/dev/null
}

# mutate NAME JQ: the fixture changed by the jq program JQ, in $TMP/NAME.json
P='.["ietf-routing:routing"]["control-plane-protocols"]["control-plane-protocol"]'
IGMP="${P}[0][\"ietf-igmp-mld-proxy:igmp-proxy\"].interfaces.interface[0]"
MLD="${P}[1][\"ietf-igmp-mld-proxy:mld-proxy\"].interfaces.interface[0]"
LG='"leaseguard-igmp-mld-proxy:downstream-interface"'
mutate() {
	jq "$2" "$FIXTURE" >"$TMP/$1.json"
	echo "$TMP/$1.json"
}

# --- the modules ---------------------------------------------------------
# The repository's copy is the specifications' folder, file for file.
if [ "$YANG_DIR" -ef "$REPO/Documentation/yang" ]; then
	ok "Documentation/yang is the folder in use (no specs folder beside the repository) # SKIP nothing to compare"
else
	run diff -r -x README.md "$YANG_DIR" "$REPO/Documentation/yang"
	check "Documentation/yang is a copy of $YANG_DIR" \
		eval '[ "$rc" = 0 ]'
fi

run yanglint -i -p "$YANG_DIR" -p "$REPO/Documentation" \
	"$YANG_DIR/ietf-igmp-mld-proxy@2019-05-14.yang" "$LG_MODULE"
check "leaseguard-igmp-mld-proxy loads, no warning" \
	eval '[ "$rc" = 0 ] && [ ! -s "$TMP/err" ]'

run yanglint -p "$YANG_DIR" -p "$REPO/Documentation" -f tree "$LG_MODULE"
check "it augments the group lists of both proxies and their sources' downstream interfaces" \
	eval '[ "$rc" = 0 ] && [ "$(grep -c "^  augment .*/imp:group:$" "$TMP/out")" = 2 ] &&
		[ "$(grep -c "^  augment .*/imp:group/imp:source/imp:downstream-interface:$" "$TMP/out")" = 2 ]'

run "$CHECK"
check "yang_check.sh without a file: usage, exit 2" \
	eval '[ "$rc" = 2 ] && grep -q "^Usage: " "$TMP/err"'

# --- valid instances -----------------------------------------------------
validate "$YANG_DIR/example-mld-proxy-state.json"
check "the specs' example passes" valid

validate "$FIXTURE"
check "the fixture (state of yang/state.txt, merged by hand) passes" valid

echo "# \$ yang_check.sh - <yang/lgctl-state.json"
set +e
"$CHECK" - <"$FIXTURE" >"$TMP/out" 2>"$TMP/err"
rc=$?
set -e
check "yang_check.sh - reads standard input" valid

if [ ! -x "$LGCTL" ]; then
	echo "Bail out! $LGCTL is not built (make -C agent)"
	echo "# $passed passed, $((failed + 1)) failed"
	exit 1
fi

run "$LGCTL" mcast yang-from "$STATE"
cp "$TMP/out" "$TMP/lgctl.json"
check "lgctl mcast yang-from state.txt: exit 0, nothing on stderr" \
	eval '[ "$rc" = 0 ] && [ ! -s "$TMP/err" ]'
check "lgctl prints the fixture, byte for byte" \
	cmp -s "$TMP/lgctl.json" "$FIXTURE"
validate "$TMP/lgctl.json"
check "what lgctl prints passes" valid

# The merge of RFC 4605 4.1, as the fixture (and lgctl) have it.
check "IGMPv2 join, EXCLUDE({}): no source, acc0 in our downstream-interface, v2, timer" \
	jqe "$IGMP.group[] | select(.[\"group-address\"] == \"239.1.1.1\") |
		(.source == null) and (.[\"filter-mode\"] == \"exclude\") and
		(.[$LG] == [{\"interface-name\": \"acc0\", \"filter-mode\": \"exclude\",
		  \"compatibility-version\": 2, \"up-time\": 30, \"expires\": 230000}])" \
	"$TMP/lgctl.json"
check "INCLUDE on two interfaces: INCLUDE of the union, up-time the largest" \
	jqe "$IGMP.group[] | select(.[\"group-address\"] == \"232.1.1.1\") |
		(.[\"filter-mode\"] == \"include\") and (.[\"up-time\"] == 40) and
		([.source[][\"source-address\"]] == [\"10.0.0.1\", \"10.0.0.2\"]) and
		([.source[0][\"downstream-interface\"][][\"interface-name\"]] == [\"acc0\", \"acc1\"])" \
	"$TMP/lgctl.json"
check "EXCLUDE on two: excluded by both stays excluded, excluded by one is wanted" \
	jqe "[$IGMP.group[] | select(.[\"group-address\"] == \"239.2.2.2\") |
		.source[] | [.[\"source-address\"], .[\"filter-mode\"]]] ==
		[[\"192.0.2.7\", \"include\"], [\"192.0.2.8\", \"include\"],
		 [\"192.0.2.9\", \"exclude\"]]" \
	"$TMP/lgctl.json"
check "INCLUDE and EXCLUDE: EXCLUDE, the included source is wanted" \
	jqe "$MLD.group[] | select(.[\"group-address\"] == \"ff3e::8000:1\") |
		(.[\"filter-mode\"] == \"exclude\") and
		(.source == [{\"source-address\": \"2001:db8::10\", \"up-time\": 40,
		  \"filter-mode\": \"include\", \"downstream-interface\":
		  [{\"interface-name\": \"acc0\", \"filter-mode\": \"include\",
		    \"leaseguard-igmp-mld-proxy:forwarding\": true,
		    \"leaseguard-igmp-mld-proxy:expires\": 250000}]}])" \
	"$TMP/lgctl.json"

run "$LGCTL" -j mcast yang-from "$STATE"
check "-j: the same document on one line" \
	eval '[ "$rc" = 0 ] && [ "$(wc -l <"$TMP/out")" = 1 ] &&
		[ "$(jq -cS . "$TMP/out")" = "$(jq -cS . "$FIXTURE")" ]'

# --- "--yang ietf": without our augment ----------------------------------
run "$LGCTL" mcast yang-from "$STATE" full
check "yang-from FILE full: the fixture, byte for byte (full is the default)" \
	eval '[ "$rc" = 0 ] && cmp -s "$TMP/out" "$FIXTURE"'

run "$LGCTL" mcast yang-from "$STATE" ietf
cp "$TMP/out" "$TMP/ietf.json"
check "yang-from FILE ietf: exit 0, nothing on stderr" \
	eval '[ "$rc" = 0 ] && [ ! -s "$TMP/err" ]'
check "ietf: no leaseguard-igmp-mld-proxy: node anywhere" \
	eval '! grep -q "leaseguard-igmp-mld-proxy" "$TMP/ietf.json"'
check "ietf: the fixture without our augment's nodes, nothing else changed" \
	eval '[ "$(jq -cS . "$TMP/ietf.json")" = "$(jq -cS "walk(if type == \"object\" then
		with_entries(select(.key | startswith(\"leaseguard-igmp-mld-proxy:\") | not))
		else . end)" "$FIXTURE")" ]'
validate_ietf "$TMP/ietf.json"
check "ietf: passes with the IETF modules alone (no leaseguard-igmp-mld-proxy loaded)" valid
validate "$TMP/ietf.json"
check "ietf: passes with our augment loaded too" valid
validate_ietf "$FIXTURE"
check "full: needs our augment (rejected without it)" \
	eval '[ "$rc" != 0 ] && grep -qF "No module named \"leaseguard-igmp-mld-proxy\" in the context." "$TMP/err"'

run "$LGCTL" mcast yang-from "$STATE" bogus
check "yang-from FILE bogus: usage error, exit 2" \
	eval '[ "$rc" = 2 ] && grep -qF "Argument \"bogus\" is wrong: --yang is full or ietf." "$TMP/err"'

# A real interface, described by rtnetlink.
printf 'iface lo\nmcast igmp enable on upstream lo version 2\nmcast mld enable off\n' \
	>"$TMP/lo.txt"
run "$LGCTL" mcast yang-from "$TMP/lo.txt"
cp "$TMP/out" "$TMP/lo.json"
check "upstream lo (rtnetlink): softwareLoopback, if-index, boot time, no MLD" \
	jqe --argjson idx "$(cat /sys/class/net/lo/ifindex)" \
	'(.["ietf-interfaces:interfaces"].interface == [.["ietf-interfaces:interfaces"].interface[0]]) and
	 (.["ietf-interfaces:interfaces"].interface[0] | .name == "lo" and
	  .type == "iana-if-type:softwareLoopback" and .["if-index"] == $idx and
	  (.statistics["discontinuity-time"] | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"))) and
	 ([.["ietf-routing:routing"]["control-plane-protocols"]["control-plane-protocol"][].name] == ["igmp"])' \
	"$TMP/lo.json"
validate "$TMP/lo.json"
check "upstream lo, no group: passes" valid

: >"$TMP/empty.txt"
run "$LGCTL" mcast yang-from "$TMP/empty.txt"
cp "$TMP/out" "$TMP/empty.json"
validate "$TMP/empty.json"
check "nothing configured, no interface: still a valid document" valid

echo "iface eth9 2 ethernetCsmacd sideways up" >"$TMP/bad.txt"
run "$LGCTL" mcast yang-from "$TMP/bad.txt"
check "yang-from: a bad fixture line is an error, exit 1" \
	eval '[ "$rc" = 1 ] && grep -qF "bad.txt:1: bad line" "$TMP/err"'

# --- broken instances ----------------------------------------------------
validate "$(mutate filter-mode "$IGMP.group[0][\"filter-mode\"] = \"bogus\"")"
check "rejected: a group's filter-mode bogus" \
	rejected 'Invalid enumeration value "bogus"'

validate "$(mutate lg-filter-mode "$IGMP.group[1][$LG][0][\"filter-mode\"] = \"bogus\"")"
check "rejected: our downstream-interface's filter-mode bogus" \
	rejected 'Invalid enumeration value "bogus"'

validate "$(mutate igmp-v4 "$IGMP.version = 4")"
check "rejected: IGMP version 4" \
	rejected 'Unsatisfied range - value "4" is out of the allowed range.'

validate "$(mutate mld-compat-3 "$MLD.group[0][$LG][0][\"compatibility-version\"] = 3")"
check "rejected: MLD compatibility-version 3" \
	rejected 'value "3" is out of the allowed range.'

validate "$(mutate lg-leafref "$IGMP.group[1][$LG][0][\"interface-name\"] = \"acc9\"")"
check "rejected: our downstream-interface on an interface not in ietf-interfaces" \
	rejected 'Invalid leafref value "acc9" - no target instance'

validate "$(mutate src-leafref "$IGMP.group[0].source[0][\"downstream-interface\"][0][\"interface-name\"] = \"acc9\"")"
check "rejected: a source's downstream-interface not in ietf-interfaces" \
	rejected 'Invalid leafref value "acc9" - no target instance'

validate "$(mutate no-if "del(.[\"ietf-interfaces:interfaces\"].interface[] | select(.name == \"acc1\"))")"
check "rejected: an interface left out of ietf-interfaces" \
	rejected 'Invalid leafref value "acc1" - no target instance'

validate "$(mutate no-key "del($IGMP.group[1][\"group-address\"])")"
check "rejected: a group without its key" \
	rejected 'List instance is missing its key "group-address".'

validate "$(mutate no-lg-key "del($IGMP.group[1][$LG][0][\"interface-name\"])")"
check "rejected: our downstream-interface without its key" \
	rejected 'List instance is missing its key "interface-name".'

validate "$(mutate v6-in-igmp "$IGMP.group[0][\"group-address\"] = \"ff3e::1\"")"
check "rejected: an IPv6 group under igmp-proxy" \
	rejected 'Unsatisfied pattern - "ff3e::1" does not conform'

if [ "$n" != "$PLAN" ]; then
	not_ok "ran as many tests as planned ($n, planned $PLAN)"
fi
echo "# $passed passed, $failed failed"
[ "$failed" = 0 ]
