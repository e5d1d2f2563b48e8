#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Makes the DHCPv6 test vectors in selftests/unit/vectors/ from real
# packets: dhclient, dhcrelay and Kea in the test VM (selftests/dhcp-smoke.sh
# with LG_DHCP_CAPTURE=1 captures on rtr's acc0 and up0), then one file per
# message: its UDP payload (from the msg-type byte), lowercase hex, one line.
#
#   selftests/dhcp/capture-vectors.sh [OUTDIR]    on the host (boots the VM)
#   selftests/dhcp/capture-vectors.sh --extract ACC_PCAP UP_PCAP
#                               prints "NAME HEX SRC.PORT DST.PORT" lines
#
# Names: dhclient-{solicit,request,renew,release} and kea-{advertise,
# reply-request,reply-renew,reply-release} as seen on acc0; on up0
# dhcrelay-relay-forw-{solicit,...} and kea-relay-repl-{advertise,
# reply-request,...}. A REPLY is named after the client message with the
# same transaction-id. The first of each is kept.

set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

NAMES="dhclient-solicit kea-advertise dhclient-request kea-reply-request
dhclient-renew kea-reply-renew dhclient-release kea-reply-release
dhcrelay-relay-forw-solicit kea-relay-repl-advertise
dhcrelay-relay-forw-request kea-relay-repl-reply-request
dhcrelay-relay-forw-renew kea-relay-repl-reply-renew
dhcrelay-relay-forw-release kea-relay-repl-reply-release"

# One line per packet: "HEX SRC.PORT DST.PORT", HEX the IPv6 packet, from
# tcpdump -x.
packets() {
	tcpdump -r "$1" -n -x 2>/dev/null | awk '
	/^[^ \t]/ { if (p != "") print p, h; p = ""; h = $3 " " $5; sub(":$", "", h); next }
	{ for (i = 2; i <= NF; i++) p = p $i }
	END { if (p != "") print p, h }'
}

extract() {
	{ packets "$1" | sed 's/^/acc /'; packets "$2" | sed 's/^/up /'; } | awk '
	function byte(s, i) {	# i-th byte (0-based) of hex string s
		return (index("0123456789abcdef", substr(s, 2 * i + 1, 1)) - 1) * 16 + \
			index("0123456789abcdef", substr(s, 2 * i + 2, 1)) - 1
	}
	function inner(m,    off, n, code, len) {	# relay-msg option of a relay message
		off = 34; n = length(m) / 2
		while (off + 4 <= n) {
			code = byte(m, off) * 256 + byte(m, off + 1)
			len = byte(m, off + 2) * 256 + byte(m, off + 3)
			if (code == 9) return substr(m, 2 * (off + 4) + 1, 2 * len)
			off += 4 + len
		}
		return ""
	}
	BEGIN {
		cname[1] = "solicit"; cname[3] = "request"; cname[5] = "renew"
		cname[8] = "release"
	}
	{
		if (byte($2, 6) != 17) next		# UDP right after the IPv6 header
		m = substr($2, 97)			# 40 + 8 bytes of headers
		t = byte(m, 0)
		msg = (t == 12 || t == 13) ? inner(m) : m
		mt = byte(msg, 0); xid = substr(msg, 3, 6)
		if (mt in cname) {
			xname[xid] = cname[mt]; name = cname[mt]
		} else if (mt == 2) {
			name = "advertise"
		} else if (mt == 7 && xid in xname) {
			name = "reply-" xname[xid]
		} else next
		if (t == 12) name = "dhcrelay-relay-forw-" name
		else if (t == 13) name = "kea-relay-repl-" name
		else if (mt in cname) name = "dhclient-" name
		else name = "kea-" name
		if (!(name in seen)) { seen[name] = 1; print name, m, $3, $4 }
	}'
}

if [[ ${1:-} == --extract ]]; then
	extract "$2" "$3"
	exit
fi

out=${1:-$root/selftests/unit/vectors}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cd "$root"
selftests/vm/run.sh --timeout 600 -- \
	env LG_DHCP_CAPTURE=1 bash selftests/dhcp-smoke.sh 2>&1 | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "capture-vectors: the VM run failed" >&2; exit 1; }
mkdir -p "$out"
missing=0 wrote=0
for name in $NAMES; do
	hex=$(awk -v n="$name" '$1 == "#" && $2 == "vector" && $3 == n { print $4; exit }' "$log")
	if [[ -z $hex ]]; then
		echo "capture-vectors: no $name" >&2
		missing=1
		continue
	fi
	echo "$hex" >"$out/$name.hex"
	wrote=$((wrote + 1))
	awk -v n="$name" '$1 == "#" && $2 == "vector" && $3 == n {
		printf "%-36s %4d bytes  %s > %s\n", n, length($4) / 2, $5, $6; exit }' "$log"
done
grep '^# versions:' "$log" || true
echo "capture-vectors: wrote $wrote files to $out"
exit $missing
