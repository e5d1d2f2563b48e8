#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The man pages, Documentation/man/*.rst: "make man" builds them with
# rst2man, man renders each without a warning, with its NAME line (as
# lexgrog, hence whatis and apropos, reads it) and its sections; and they
# say what the code does, so that they cannot rot:
#
#   lgctl.8             every object of lg_objects[] (agent/lgctl/lgctl.c), every
#                       option main() takes, every keyword of each object's
#                       grammar ("lgctl OBJECT help") in the object's own
#                       section, the exit codes of lgctl.h
#   leaseguardd.8       every option of getopt() (agent/leaseguardd/main.c), the
#                       signals it handles, the statuses main() returns,
#                       the control socket's commands (agent/leaseguardd/control.c)
#   leaseguardd.conf.5  every key agent/leaseguardd/conf.c accepts (global,
#                       interface, mcast and partner ones), each with the default
#                       that dist/leaseguardd.conf gives it
#
# Needs rst2man (python3-docutils) and man (man-db): skips without them.
# Builds into a temporary BUILD; LGCTL names the lgctl to ask for help.
set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
cd "$LG_ROOT" || exit 1

command -v rst2man >/dev/null || skip_all "rst2man is not installed (python3-docutils)"
command -v man >/dev/null || skip_all "man is not installed (man-db)"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
MAN=$TMP/man
unset MANPAGER PAGER MANROFFOPT MAN_KEEP_FORMATTING MANOPT
export LC_ALL=C.UTF-8 MANWIDTH=80

PAGES=(lgctl.8 leaseguardd.8 leaseguardd.conf.5)
declare -A WHATIS=(
	[lgctl.8]="lgctl - show and change the leaseguard state of a network namespace"
	[leaseguardd.8]="leaseguardd - leaseguard's daemon: access routes, releases, IGMP/MLD proxy"
	[leaseguardd.conf.5]="leaseguardd.conf - configuration file of leaseguardd"
)
declare -A SECTIONS=(
	[lgctl.8]="NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS EXIT_STATUS FILES EXAMPLES SEE_ALSO"
	[leaseguardd.8]="NAME SYNOPSIS DESCRIPTION OPTIONS SIGNALS EXIT_STATUS FILES EXAMPLES SEE_ALSO"
	[leaseguardd.conf.5]="NAME SYNOPSIS DESCRIPTION GLOBAL_KEYS INTERFACE_KEYS MULTICAST_KEYS PARTNER_KEYS EXAMPLES FILES SEE_ALSO"
)

# render PAGE: the page as text, without hyphenation or justification, so
# that a word is never split and a phrase has single blanks.
render() { man --nh --nj -l "$MAN/$1" 2>/dev/null; }

# section TEXT NAME: the lines of section NAME ("EXIT STATUS"), heading
# excluded; subsection TEXT NAME: those of subsection NAME ("lgctl link").
section() {
	awk -v s="$2" '$0 == s { on = 1; next } /^[^ ]/ { on = 0 } on' <<<"$1"
}
subsection() {
	awk -v s="   $2" '$0 == s { on = 1; next } /^ {0,3}[^ ]/ { on = 0 } on' <<<"$1"
}

# terms PAGE SECTION: the terms of the definition and option lists in
# section SECTION of PAGE, read from the roff (the line after each .TP),
# the first word of each, and each word of "A, B" ("-h, --help").
terms() {
	awk -v s="$2" '
		/^\.SH / { sub(/^\.SH "?/, ""); sub(/"$/, ""); gsub(/\\-/, "-"); on = $0 == s; next }
		on && tp { print; tp = 0; next }
		on && /^\.TP/ { tp = 1 }' "$MAN/$1" |
		sed 's/^\.[A-Z]* *//; s/\\f[BIRP]//g; s/\\-/-/g; s/\\ / /g' |
		sed 's/, */\n/g' | sed 's/ .*//'
}

# has_word TEXT WORD: WORD appears in TEXT as a whole word (letters,
# digits and '-' make a word).
has_word() {
	grep -qE -e "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|\$)" <<<"$1"
}

# missing WHAT TEXT WORD...: checks that every WORD is a whole word of
# TEXT; the failure lists those that are not.
missing_words() {
	local desc=$1 text=$2 w miss=(); shift 2
	for w in "$@"; do
		has_word "$text" "$w" || miss+=("$w")
	done
	check_eq "$desc" "" "${miss[*]}"
}

# ---------------------------------------------------------------- build
out=$(make -s man BUILD="$TMP" 2>&1)
rc=$?
check_eq "make man builds the pages (rst2man --exit-status=warning)" \
	"exit 0" "exit $rc${out:+: $out}"
built=$(cd "$MAN" 2>/dev/null && ls)
check_eq "make man builds exactly the three pages" \
	"$(printf '%s\n' "${PAGES[@]}" | sort)" "$(sort <<<"$built")"

declare -A TEXT
for p in "${PAGES[@]}"; do
	if [[ ! -s $MAN/$p ]]; then
		not_ok "$p was not built"
		continue
	fi
	warn=$(man --warnings -l "$MAN/$p" 2>&1 >/dev/null)
	check_eq "$p renders with no warning (MANWIDTH=80 man --warnings)" "" "$warn"
	TEXT[$p]=$(render "$p")
	name=${p%.*} sec=${p##*.}
	check_eq "$p: header ${name^^}($sec), manual leaseguard" \
		"${name^^}($sec) leaseguard ${name^^}($sec)" \
		"$(head -n 1 <<<"${TEXT[$p]}" | tr -s ' ')"
	if command -v lexgrog >/dev/null; then
		check_eq "$p: NAME line, as lexgrog reads it" \
			"$MAN/$p: \"${WHATIS[$p]}\"" "$(lexgrog "$MAN/$p" 2>&1)"
	else
		check_eq "$p: NAME line" "${WHATIS[$p]}" \
			"$(section "${TEXT[$p]}" NAME | sed 's/^ *//' | paste -sd ' ' | tr -s ' ')"
	fi
	miss=()
	for s in ${SECTIONS[$p]}; do
		grep -qx -- "${s//_/ }" <<<"${TEXT[$p]}" || miss+=("${s//_/ }")
	done
	check_eq "$p has the sections ${SECTIONS[$p]//_/ }" "" "${miss[*]}"
done

# ---------------------------------------------------------------- lgctl.8
L=${TEXT[lgctl.8]:-}

check "lgctl.8: SYNOPSIS has lgctl's usage line" \
	grep -qF "$(sed -n 's/^.*"Usage: \(lgctl [^"]*\)\\n".*/\1/p' agent/lgctl/lgctl.c | head -n 1)" \
	<<<"$(section "$L" SYNOPSIS)"

objects=$(sed -n '/lg_objects\[\] = {/,/^};/s/^[[:space:]]*{ "\([a-z0-9-]*\)".*/\1/p' agent/lgctl/lgctl.c)
[[ $objects ]] || not_ok "no object found in lg_objects[] of agent/lgctl/lgctl.c"
for o in $objects; do
	check "lgctl.8 documents the object \"lgctl $o\" (lg_objects[])" \
		grep -qE -e "(^|[^a-z])lgctl $o([^a-z-]|\$)" <<<"$L"
done

opts=$(sed -n '/^int main/,/^}/p' agent/lgctl/lgctl.c | grep -o 'strcmp(opt, "[^"]*")' | cut -d'"' -f2)
[[ $opts ]] || not_ok "no option found in main() of agent/lgctl/lgctl.c"
lopts=$(terms lgctl.8 OPTIONS)
for o in $opts; do
	check "lgctl.8 OPTIONS has $o (main() of agent/lgctl/lgctl.c)" grep -qxF -e "$o" <<<"$lopts"
done

codes=$(sed -n 's/^#define LG_EXIT_[A-Z]*[[:space:]]*\([0-9]*\).*/\1/p' agent/lgctl/lgctl.h)
check_eq "lgctl.8 EXIT STATUS lists exactly the LG_EXIT_ codes of lgctl.h" \
	"$(sort -n <<<"$codes")" "$(terms lgctl.8 "EXIT STATUS" | sort -n)"

# "lgctl OBJECT help": the words of its grammar, the Usage lines and the
# { a | b } choices of its "where" lines, are in the object's section.
if [[ ! -x $LGCTL ]]; then
	make -s -C agent lgctl >/dev/null 2>&1 || true
fi
grammar_words() { lgctl_grammar_words "$LGCTL" "$1"; }
for o in $objects; do
	[[ $o == help || $o == version ]] && continue
	if ! words=$(grammar_words "$o") || [[ -z $words ]]; then
		not_ok "lgctl.8: no grammar from \"$LGCTL $o help\""
		continue
	fi
	# shellcheck disable=SC2086 # one word a line
	missing_words "lgctl.8 section \"lgctl $o\" has every word of \"lgctl $o help\"" \
		"$(subsection "$L" "lgctl $o")" $words
done

# ---------------------------------------------------------------- leaseguardd.8
D=${TEXT[leaseguardd.8]:-}

check "leaseguardd.8: SYNOPSIS has leaseguardd's usage line" \
	grep -qF "$(sed -n 's/^.*"Usage: \(leaseguardd [^"]*\)\\n".*/\1/p' agent/leaseguardd/main.c | head -n 1)" \
	<<<"$(section "$D" SYNOPSIS)"

getopt=$(sed -n 's/.*getopt(argc, argv, "\([^"]*\)").*/\1/p' agent/leaseguardd/main.c)
[[ $getopt ]] || not_ok "no getopt() string in agent/leaseguardd/main.c"
dopts=$(terms leaseguardd.8 OPTIONS)
for o in $(tr -d ':' <<<"$getopt" | grep -o .); do
	check "leaseguardd.8 OPTIONS has -$o (getopt \"$getopt\")" grep -qxF -e "-$o" <<<"$dopts"
done

sigs=$(grep -o 'sigaddset(&sigs, SIG[A-Z0-9]*)' agent/leaseguardd/main.c | grep -o 'SIG[A-Z0-9]*' | sort -u)
check_eq "leaseguardd.8 SIGNALS lists exactly the signals leaseguardd handles" \
	"$sigs" "$(terms leaseguardd.8 SIGNALS | sort -u)"

rets=$(sed -n '/^int main/,/^}/p' agent/leaseguardd/main.c | grep -o 'return [0-9]*;' | tr -dc '0-9\n' | sort -nu)
check_eq "leaseguardd.8 EXIT STATUS lists exactly what main() returns" \
	"$rets" "$(terms leaseguardd.8 "EXIT STATUS" | sort -nu)"

ctl=$(grep -o 'strcmp(cmd, "[^"]*")' agent/leaseguardd/control.c | cut -d'"' -f2 | sort -u)
check_eq "leaseguardd.8 THE CONTROL SOCKET lists exactly the commands of agent/leaseguardd/control.c" \
	"$ctl" "$(terms leaseguardd.8 "THE CONTROL SOCKET" | sort -u)"

# ---------------------------------------------------------------- leaseguardd.conf.5
C=${TEXT[leaseguardd.conf.5]:-}

keys=$(grep -o 'strcmp(key, "[^"]*")' agent/leaseguardd/conf.c | cut -d'"' -f2)
[[ $keys ]] || not_ok "no key found in agent/leaseguardd/conf.c"
ckeys=$(terms leaseguardd.conf.5 "GLOBAL KEYS"; terms leaseguardd.conf.5 "INTERFACE KEYS"
	terms leaseguardd.conf.5 "MULTICAST KEYS"; terms leaseguardd.conf.5 "PARTNER KEYS")
for k in $keys; do
	check "leaseguardd.conf.5 documents the key $k (agent/leaseguardd/conf.c)" grep -qxF -e "$k" <<<"$ckeys"
done

# The defaults: dist/leaseguardd.conf sets every key to its default.
# default_of KEY: the words after "Default:" in KEY's item, its period cut.
default_of() {
	awk -v k="$1" '
		$0 ~ "^       " k "( |$)" { on = 1; next }
		on && /^       [^ ]/ { on = 0 }
		/^[^ ]/ { on = 0 }
		on { printf "%s ", $0 }' <<<"$C" | tr -s ' ' |
		sed -n 's/.*Default: \([^ ]*\)\. *$/\1/p'
}
dist=$(sed 's/#.*//' dist/leaseguardd.conf |
	awk 'NF { k = $1 == "interface" || $1 == "mcast" ? $3 : $1; print k, $NF }')
check_eq "dist/leaseguardd.conf sets every key of agent/leaseguardd/conf.c" \
	"$(sort <<<"$keys")" "$(cut -d' ' -f1 <<<"$dist" | sort)"
while read -r k v; do
	check_eq "leaseguardd.conf.5: $k defaults to $v (dist/leaseguardd.conf)" \
		"$v" "$(default_of "$k")"
done <<<"$dist"

# ---------------------------------------------------------------- paths
conf_default=$(sed -n 's/^#define LGD_CONF_DEFAULT[[:space:]]*"\(.*\)"/\1/p' agent/leaseguardd/lgd.h)
sock_default=$(sed -n 's/^#define LGD_CONTROL_DEFAULT[[:space:]]*"\(.*\)"/\1/p' agent/lgctl/lgctl.h)
for p in leaseguardd.8 leaseguardd.conf.5; do
	check "$p FILES has $conf_default (LGD_CONF_DEFAULT)" \
		grep -qxF "       $conf_default" <<<"$(section "${TEXT[$p]:-}" FILES)"
done
for p in lgctl.8 leaseguardd.8; do
	check "$p FILES has $sock_default (LGD_CONTROL_DEFAULT)" \
		grep -qxF "       $sock_default" <<<"$(section "${TEXT[$p]:-}" FILES)"
done
check_eq "leaseguardd.conf.5: control-socket defaults to LGD_CONTROL_DEFAULT" \
	"$sock_default" "$(default_of control-socket)"

tap_done
