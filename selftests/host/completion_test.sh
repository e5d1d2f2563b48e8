#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lgctl's bash completion, dist/bash-completion/lgctl: sources bash-
# completion and the file, then runs _lgctl as bash would for a command
# line with the cursor at its end (COMP_WORDS split at COMP_WORDBREAKS'
# ':', COMP_CWORD, COMP_LINE, COMP_POINT) and checks COMPREPLY exactly:
# global options, objects, each object's commands and keywords, the values
# of role, savi, anchor, on/off..., interface names after dev (those of
# /sys/class/net), binding IDs, DUIDs and addresses (from a fake lgctl
# first in PATH, or named by LGCTL, that prints a fixed "binding show"),
# silence when the module is not loaded, paths after socket. Then that the
# file knows every word of each object's grammar ("lgctl OBJECT help"), and
# offers every object and option of agent/lgctl/lgctl.c.
#
# Needs bash-completion (/usr/share/bash-completion/bash_completion):
# skips without it. LGCTL names the lgctl whose help is read.

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
cd "$LG_ROOT" || exit 1

BASH_COMPLETION=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
[[ -r $BASH_COMPLETION ]] ||
	skip_all "bash-completion is not installed ($BASH_COMPLETION)"
COMPLETION=$LG_ROOT/dist/bash-completion/lgctl

REAL_LGCTL=$LGCTL
if [[ ! -x $REAL_LGCTL ]]; then
	make -s -C agent lgctl >/dev/null 2>&1 || true
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# A fake lgctl: "binding show" prints three bindings as lgctl prints them;
# anything else fails as lgctl does without the module.
mkdir -p "$TMP/bin" "$TMP/other" "$TMP/gone" "$TMP/sock/dir"
cat >"$TMP/bin/lgctl" <<'EOF'
#!/bin/sh
if [ "$1 $2" = "binding show" ]; then
	cat <<'EOB'
1: acc0 ia_na iaid 1 duid 00:01:00:01:2b:3c:4d:5e bound
    2001:db8:1::1000/128 preferred 3600 valid 3600 expires 3598s
    client fe80::ff:fe00:102 mac 02:00:00:00:01:02
    server 2001:db8:f::2 duid 00:03:00:01:02:00:00:00:0f:02 interface-id 61:63:63:30
7: acc0 ia_pd iaid 2 duid 00:01:00:01:2b:3c:4d:5e bound
    2001:db8:100::/56 preferred 3600 valid 3600 expires 3598s
    client fe80::ff:fe00:102 mac 02:00:00:00:01:02
42: acc1 ia_na iaid 7 duid 00:03:00:01:02:00:00:00:02:02 releasing (admin)
    2001:db8:2::1001/128 preferred forever valid forever expires forever
EOB
	exit 0
fi
exit 2
EOF
cat >"$TMP/other/lgctl" <<'EOF'
#!/bin/sh
printf '5: eth9 ia_na iaid 1 duid 00:01:02\n    2001:db8::5/128 valid 10\n'
printf '6: eth9 ia_na iaid 2 duid 00:01:02\n    2001:db8::6/128 valid 10\n'
EOF
cat >"$TMP/gone/lgctl" <<'EOF'
#!/bin/sh
echo 'lgctl: the leaseguard module is not loaded (try "modprobe leaseguard" or "insmod kmod/leaseguard.ko")' >&2
exit 3
EOF
chmod +x "$TMP/bin/lgctl" "$TMP/other/lgctl" "$TMP/gone/lgctl"
: >"$TMP/sock/s1"
: >"$TMP/sock/s2"

# bash-completion and the file, in this shell.
# shellcheck source=/dev/null
. "$BASH_COMPLETION"
# shellcheck source=../../dist/bash-completion/lgctl
. "$COMPLETION"

# comp LINE: what _lgctl offers with the cursor at the end of LINE, sorted,
# on one line. Words as bash splits them: at blanks, and ':' alone.
comp() {
	local line=$1 split
	COMP_LINE=$line
	COMP_POINT=${#line}
	split=${line//:/ : }
	read -ra COMP_WORDS <<<"$split"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_lgctl lgctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd ' '
}

# is LINE EXPECTED: checks what comp LINE offers.
is_() { check_eq "complete \"$1\" -> ${2:-nothing}" "$2" "$(comp "$1" 2>&1)"; }
words() { printf '%s\n' "$@" | LC_ALL=C sort | paste -sd ' '; }

check_eq "the file registers _lgctl for lgctl" "complete -F _lgctl lgctl" \
	"$(complete -p lgctl 2>&1)"

# ---------------------------------------------------------------- objects
# Those "lgctl help" lists, and help; the options main() takes.
objects=$("$REAL_LGCTL" help | sed -n '/^Objects/,/^$/s/^  \([a-z0-9-]*\) .*/\1/p')
[[ $objects ]] || not_ok "no objects from \"$REAL_LGCTL help\""
# shellcheck disable=SC2086
is_ "lgctl " "$(words $objects help)"
opts=$(sed -n '/^int main/,/^}/p' agent/lgctl/lgctl.c | grep -o 'strcmp(opt, "[^"]*")' | cut -d'"' -f2)
# shellcheck disable=SC2086
is_ "lgctl -" "$(words $opts)"
# shellcheck disable=SC2086
is_ "lgctl -j -p " "$(words $objects help)"
is_ "lgctl m" "mcast monitor"
is_ "lgctl -o " "json prometheus text"
is_ "lgctl -o prometheus " "help stats"
# shellcheck disable=SC2086
is_ "lgctl -o json -s " "$(words $objects help)"
is_ "lgctl -o prometheus stats " "help show socket"
is_ "lgctl -o prometheus stats show " "socket"

# ---------------------------------------------------------------- commands
is_ "lgctl link " "dev help set show"
is_ "lgctl stats " "dev help show"
is_ "lgctl binding " "add del dev duid get help release show"
is_ "lgctl savi " "add del dev help show"
is_ "lgctl release " "help show socket"
is_ "lgctl config " "help set show"
is_ "lgctl mcast " "--yang dev group help igmp mld proxy set show"
is_ "lgctl monitor " "all bindings config help mcast"
is_ "lgctl partner " "help role show socket"
is_ "lgctl monitor bindings " "all config mcast"

# ---------------------------------------------------------------- keywords
ifaces=$(ls /sys/class/net)
# shellcheck disable=SC2086
is_ "lgctl link set dev " "$(words $ifaces)"
# shellcheck disable=SC2046
is_ "lgctl link show dev l" "$(words $(grep '^l' <<<"$ifaces"))"
is_ "lgctl link set dev lo role " "access none upstream"
is_ "lgctl link set dev lo savi " "enforce monitor off"
is_ "lgctl link set dev lo anchor " "mac none"
is_ "lgctl link set dev lo trust-release o" "off on"
is_ "lgctl link set dev lo role access " \
	"anchor max-bindings miss-rate release-forward savi shield trust-release"
is_ "lgctl link set dev lo max-bindings " ""
is_ "lgctl config set " "max-bindings miss-rate release-reply-type release-request-type"
is_ "lgctl savi add dev lo " "wide"
is_ "lgctl savi add dev lo ::/0 wide " ""
is_ "lgctl savi del dev lo " ""
is_ "lgctl mcast set " "igmp mld"
is_ "lgctl mcast set mld " "enable last-member-count last-member-interval max-groups max-groups-host max-sources ns-max-groups ns-max-sources query-interval query-response-interval robustness upstream version"
is_ "lgctl mcast set igmp enable " "off on"
# shellcheck disable=SC2086
is_ "lgctl mcast set igmp upstream " "$(words $ifaces none)"
is_ "lgctl mcast igmp " "--yang dev group"
is_ "lgctl mcast show --yang " "full ietf igmp mld"
is_ "lgctl mcast show mld --yang " "full ietf"
is_ "lgctl mcast show --yang ietf " "igmp mld"
is_ "lgctl partner role " "backup fault master stop"
is_ "lgctl partner role m" "master"
is_ "lgctl partner role master " "socket"
is_ "lgctl partner show " "socket"
is_ "lgctl binding del all " ""
is_ "lgctl binding release all " "nowait socket timeout wait"
is_ "lgctl binding release dev lo nowait " "addr duid id"
is_ "lgctl binding add " \
	"dev duid ia iaid interface-id lease lladdr mac origin replace server server-duid"
is_ "lgctl binding add dev lo ia " "na pd"
is_ "lgctl binding add dev lo origin " "leasequery restored synced"
is_ "lgctl binding add dev lo replace lease 2001:db8:1:2:3:4:5:6 valid " "forever"
is_ "lgctl binding add dev lo iaid " ""
is_ "lgctl binding add dev lo ia na iaid 1 lease 2001:db8:1:2:3:4:5:6 " \
	"duid interface-id lease lladdr mac origin preferred replace server server-duid valid"

# ---------------------------------------------------------------- from lgctl
unset LGCTL
PATH=$TMP/bin:$PATH
is_ "lgctl binding del id " "1 42 7"
is_ "lgctl binding get id 4" "42"
is_ "lgctl binding show duid " "00:01:00:01:2b:3c:4d:5e 00:03:00:01:02:00:00:00:02:02"
# bash shows these after the last ':' of the word
is_ "lgctl binding release duid 00:03:" "00:01:02:00:00:00:02:02"
is_ "lgctl binding get addr " "2001:db8:100:: 2001:db8:1::1000 2001:db8:2::1001"
LGCTL=$TMP/other/lgctl
is_ "lgctl binding release id " "5 6"
LGCTL=$TMP/gone/lgctl
is_ "lgctl binding del id " ""
unset LGCTL

# ---------------------------------------------------------------- paths
is_ "lgctl release socket $TMP/sock/" "$TMP/sock/dir $TMP/sock/s1 $TMP/sock/s2"
is_ "lgctl mcast proxy socket $TMP/sock/s" "$TMP/sock/s1 $TMP/sock/s2"
is_ "lgctl partner role stop socket $TMP/sock/s" "$TMP/sock/s1 $TMP/sock/s2"

# ---------------------------------------------------------------- grammar
# Every word of "lgctl OBJECT help" (its Usage lines, and the { a | b }
# choices of its "where" lines) is a word of the completion file.
grammar_words() { lgctl_grammar_words "$REAL_LGCTL" "$1"; }
file=$(grep -v '^ *#' "$COMPLETION")
for o in $objects; do
	miss=()
	for w in $(grammar_words "$o"); do
		[[ $w == lgctl ]] && continue
		grep -qE -e "(^|[^A-Za-z0-9_-])$w([^A-Za-z0-9_-]|\$)" <<<"$file" || miss+=("$w")
	done
	check_eq "the completion knows every word of \"lgctl $o help\"" "" "${miss[*]}"
done

tap_done
