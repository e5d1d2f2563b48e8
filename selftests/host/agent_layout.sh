#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# agent/ has a folder per program and one for what they share, and the
# binaries keep to it:
#
#   agent/lgctl/        -> agent/lgctl/lgctl              (libmnl: mnl.c)
#   agent/leaseguardd/  -> agent/leaseguardd/leaseguardd  (libnl-genl-3: genl.c;
#                                                           libsqlite3: store.c;
#                                                           libssl: partner_tls.c)
#   agent/lib/          -> both, through agent/lib/liblg.a
#
# Which sources went into a binary is read from its DWARF compile units
# (the agent is built with -g): no file of agent/lgctl/ is linked into
# leaseguardd, none of agent/leaseguardd/ into lgctl.
#
# Needs: a built agent (make), readelf, ldd, git (for the file list).

set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
source "$REPO/selftests/lib.sh"

AGENT=$REPO/agent
LGD=$AGENT/leaseguardd/leaseguardd
CTL=$AGENT/lgctl/lgctl
for b in "$CTL" "$LGD"; do
	[[ -x $b ]] || skip_all "${b#"$REPO"/} is not built (make)"
done
command -v readelf >/dev/null || skip_all "readelf is missing (binutils)"

# The sources of a binary, relative to agent/, one a line, sorted.
cus() {
	readelf --debug-dump=info "$1" 2>/dev/null | awk '
		/DW_TAG_compile_unit/ { cu = 1; next }
		cu && /DW_AT_name/ { print $NF; cu = 0 }' | sort -u
}

if git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	top=$(git -C "$REPO" ls-files agent | cut -d/ -f2 | sort -u | paste -sd' ')
	check_eq "git ls-files agent/: the three folders, the Makefile, .gitignore" \
		".gitignore Makefile leaseguardd lgctl lib" "$top"
fi

ctl=$(cus "$CTL")
lgd=$(cus "$LGD")
[[ $ctl && $lgd ]] || skip_all "the agent was built without debug information (-g)"

check "lgctl is built from agent/lgctl/lgctl.c" grep -qx lgctl/lgctl.c <<<"$ctl"
check "leaseguardd is built from agent/leaseguardd/main.c" \
	grep -qx leaseguardd/main.c <<<"$lgd"
check_eq "no source of agent/leaseguardd/ is linked into lgctl" "" \
	"$(grep -v -e '^lgctl/' -e '^lib/' <<<"$ctl" | grep -e '^leaseguardd/' -e '^[^/]*$')"
check_eq "no source of agent/lgctl/ is linked into leaseguardd" "" \
	"$(grep -v -e '^leaseguardd/' -e '^lib/' <<<"$lgd" | grep -e '^lgctl/' -e '^[^/]*$')"
check_eq "both link the shared binding model and netlink layer (agent/lib/)" \
	"lib/binding.c lib/nl.c" \
	"$(comm -12 <(echo "$ctl") <(echo "$lgd") | grep '^lib/' | grep -e binding -e '/nl' | paste -sd' ')"
check "lgctl's netlink backend is agent/lgctl/mnl.c" grep -qx lgctl/mnl.c <<<"$ctl"
check "leaseguardd's netlink backend is agent/leaseguardd/genl.c" \
	grep -qx leaseguardd/genl.c <<<"$lgd"
check_eq "every source of lgctl is in agent/lgctl/ or agent/lib/" "" \
	"$(grep -v -e '^lgctl/' -e '^lib/' <<<"$ctl")"
check_eq "every source of leaseguardd is in agent/leaseguardd/ or agent/lib/" "" \
	"$(grep -v -e '^leaseguardd/' -e '^lib/' <<<"$lgd")"

check "ldd agent/lgctl/lgctl: libmnl" \
	bash -c "ldd '$CTL' | grep -q 'libmnl\.so'"
check "ldd agent/lgctl/lgctl: no libnl" \
	bash -c "! ldd '$CTL' | grep -q 'libnl-'"
check "ldd agent/leaseguardd/leaseguardd: libnl-genl-3 and libnl-3" \
	bash -c "ldd '$LGD' | grep -q 'libnl-genl-3\.so' && ldd '$LGD' | grep -q 'libnl-3\.so'"
check "ldd agent/lgctl/lgctl: no libsqlite3" \
	bash -c "! ldd '$CTL' | grep -q 'libsqlite3'"
check "ldd agent/leaseguardd/leaseguardd: libsqlite3 (its binding store)" \
	bash -c "ldd '$LGD' | grep -q 'libsqlite3\.so'"
check "ldd agent/lgctl/lgctl: no libssl" \
	bash -c "! ldd '$CTL' | grep -q 'libssl'"
check "ldd agent/leaseguardd/leaseguardd: libssl (its partner channel)" \
	bash -c "ldd '$LGD' | grep -q 'libssl\.so'"

tap_done
