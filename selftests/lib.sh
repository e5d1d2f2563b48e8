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
