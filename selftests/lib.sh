# SPDX-License-Identifier: GPL-2.0
# Helpers for leaseguard's shell tests: echoed commands, exact-match checks,
# TAP output. Source it; call tap_done last.

LG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LGCTL=${LGCTL:-$LG_ROOT/agent/lgctl}
KSFT_SKIP=4
_tap_n=0
_tap_failed=0

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

skip_all() { echo "1..0 # SKIP $*"; exit $KSFT_SKIP; }

tap_done() {
	echo "1..$_tap_n"
	echo "# $((_tap_n - _tap_failed)) passed, $_tap_failed failed"
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

	for ns in sub rtr srv; do
		n ip netns add $ns
		nsx $ns sysctl -qw net.ipv6.conf.default.router_solicitations=0
		nsx $ns sysctl -qw net.ipv6.conf.default.accept_dad=0
		nsx $ns ip link set lo up
	done
	n ip -n rtr link add acc0 index 10 address 02:00:00:00:01:01 type veth \
		peer name eth0 netns sub address 02:00:00:00:01:02
	n ip -n rtr link add up0 index 11 address 02:00:00:00:0f:01 type veth \
		peer name eth0 netns srv address 02:00:00:00:0f:02
	nsx rtr sysctl -qw net.ipv6.conf.all.forwarding=1
	nsx rtr ip addr add 2001:db8:1::1/64 dev acc0 nodad
	nsx rtr ip addr add 2001:db8:f::1/64 dev up0 nodad
	nsx sub ip addr add 2001:db8:1::2/64 dev eth0 nodad
	nsx srv ip addr add 2001:db8:f::2/64 dev eth0 nodad
	nsx rtr ip neigh add 2001:db8:1::2 lladdr 02:00:00:00:01:02 dev acc0 nud permanent
	nsx rtr ip neigh add 2001:db8:f::2 lladdr 02:00:00:00:0f:02 dev up0 nud permanent
	nsx sub ip neigh add 2001:db8:1::1 lladdr 02:00:00:00:01:01 dev eth0 nud permanent
	nsx srv ip neigh add 2001:db8:f::1 lladdr 02:00:00:00:0f:01 dev eth0 nud permanent
	for l in "rtr acc0" "rtr up0" "sub eth0" "srv eth0"; do
		# shellcheck disable=SC2086
		nsx ${l% *} ip link set ${l#* } up
	done
	nsx sub ip route add default via 2001:db8:1::1
	nsx srv ip route add 2001:db8:1::/64 via 2001:db8:f::1
}

topology_down() {
	local ns

	for ns in sub rtr srv; do
		ip netns del $ns 2>/dev/null || true
	done
}
