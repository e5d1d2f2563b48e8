#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# yang_check.sh FILE.json: validate RFC 7951 instance data, such as the
# output of "lgctl mcast show --yang", as a complete operational datastore
# of ietf-igmp-mld-proxy with our augment leaseguard-igmp-mld-proxy:
#
#   yanglint -i -p YANG_DIR -p Documentation -t data \
#       iana-if-type ietf-igmp-mld-proxy local-igmp-mld-proxy-deviations \
#       leaseguard-igmp-mld-proxy FILE.json
#
# YANG_DIR holds the IETF modules (shared/specs/yang/README.md): $LG_YANG_DIR,
# else shared/specs/yang beside the repository (or beside a folder above it),
# else the repository's copy of it, Documentation/yang.
#
# FILE "-" is standard input. "yang_check.sh --yang-dir" prints YANG_DIR.
#
# Exit status: 0 valid, 1 invalid (yanglint's message on stderr), 2 cannot
# check (usage, no yanglint, no modules). A tool, not a test: the host
# tests (yang_test.sh) and the VM tests run it.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LG_MODULE=$REPO/Documentation/leaseguard-igmp-mld-proxy@2026-11-23.yang

if [ $# -ne 1 ]; then
	echo "Usage: $0 { FILE.json | - | --yang-dir }" >&2
	exit 2
fi

yang_dir=${LG_YANG_DIR:-}
if [ -z "$yang_dir" ]; then
	d=$REPO
	while [ "$d" != / ]; do
		d=$(dirname "$d")
		if [ -f "$d/shared/specs/yang/ietf-igmp-mld-proxy@2019-05-14.yang" ]; then
			yang_dir=$d/shared/specs/yang
			break
		fi
	done
	[ -n "$yang_dir" ] || yang_dir=$REPO/Documentation/yang
fi
if [ -z "$yang_dir" ] ||
   [ ! -f "$yang_dir/ietf-igmp-mld-proxy@2019-05-14.yang" ]; then
	echo "$0: no ietf-igmp-mld-proxy@2019-05-14.yang in ${yang_dir:-shared/specs/yang above $REPO} (set LG_YANG_DIR)" >&2
	exit 2
fi
if [ "$1" = --yang-dir ]; then
	echo "$yang_dir"
	exit 0
fi
if ! command -v yanglint >/dev/null; then
	echo "$0: yanglint is not installed (Debian: libyang2-tools)" >&2
	exit 2
fi
# yanglint tells the format by the name: another name, or a pipe, is
# copied to a FILE.json first.
file=$1
case $file in
*.json)
	;;
*)
	tmp=$(mktemp --suffix=.json) || exit 2
	trap 'rm -f "$tmp"' EXIT
	if ! cat -- "$file" >"$tmp" 2>/dev/null; then	# "-": stdin
		echo "$0: cannot read $file" >&2
		exit 2
	fi
	file=$tmp
	;;
esac
if [ ! -r "$file" ]; then
	echo "$0: cannot read $file" >&2
	exit 2
fi

# yanglint prints nothing for valid data; warnings count as a failure too,
# since the README's command is silent when all is well.
out=$(yanglint -i -p "$yang_dir" -p "$REPO/Documentation" -t data \
	"$yang_dir/iana-if-type@2014-05-08.yang" \
	"$yang_dir/ietf-igmp-mld-proxy@2019-05-14.yang" \
	"$yang_dir/local-igmp-mld-proxy-deviations.yang" \
	"$LG_MODULE" "$file" 2>&1)
rc=$?
if [ $rc -ne 0 ] || [ -n "$out" ]; then
	[ -n "$out" ] && echo "$out" >&2
	[ $rc -ne 0 ] && echo "$0: $1: yanglint exited $rc" >&2
	exit 1
fi
exit 0
