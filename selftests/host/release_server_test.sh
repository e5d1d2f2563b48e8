#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/release_server, the scripted server of the relay-initiated
# release (draft-gandhewar-dhc-v6-relay-initiated-release), on the host:
# hand-built RELEASE-REQUESTs in, replies checked octet by octet, and the
# log checked line by line. No kernel module.
#
#   netns lgrsPID, lo up: ::1 and 2001:db8::1
#
#   release_client                            release_server
#   [::1]:5470  --- RELEASE-REQUEST (240) -->  [::]:547
#               <-- RELEASE-REQUEST-REPLY (241)  (from the address asked)
#
# Needs root (ip netns) and a built selftests/release_server and
# selftests/host/release_client (make -C selftests).
#
# Conditions are single-quoted and eval'd by check(), after the command ran.
# shellcheck disable=SC2016
set -e -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/lib.sh
source "$HERE/../lib.sh"
SERVER=${RELEASE_SERVER:-$LG_ROOT/selftests/release_server}
CLIENT=$HERE/release_client
NS=lgrs$$
TMP=$(mktemp -d)
srv_pid=
srv_n=0

cleanup() {
	[[ -z $srv_pid ]] || kill -KILL "$srv_pid" 2>/dev/null || true
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

[[ $EUID -eq 0 ]] || skip_all "needs root for ip netns"
command -v ip >/dev/null || skip_all "ip (iproute2) is not installed"
for prog in "$SERVER" "$CLIENT"; do
	if [[ ! -x $prog ]]; then
		echo "Bail out! $prog is not built (make -C selftests)"
		exit 1
	fi
done

# --- the messages, option by option (RFC 8415 section 21) --------------
S_DUID=00030001020000000f02		# DUID-LL of the server
R_DUID=00030001020000000f01		# DUID-LL of the relay
C1_DUID=000100012b3c4d5e020000000102	# DUID-LLT, 14 octets
C2_DUID=00030001020000000103		# DUID-LL, 10 octets
SERVERID=0002000a$S_DUID
RELAYID=0035000a$R_DUID
IFID=0012000461636330			# "acc0"
C2_IFID=0012000461636331		# "acc1": client 2's own
C1_ID=0001000e$C1_DUID			# 18 octets
C2_ID=0001000a$C2_DUID			# 14 octets
# IA_NA 1 with 2001:db8:1::1000, IA_PD 2 with 2001:db8:100::/56
IA_NA=00030028000000010000000000000000
IA_NA+=0005001820010db8000100000000000000001000
IA_NA+=0000000000000000
IA_PD=00190029000000020000000000000000
IA_PD+=001a0019000000000000000038
IA_PD+=20010db8010000000000000000000000
C1=002d006b$C1_ID$IA_NA$IA_PD		# 18 + 44 + 45
C2=002d0016$C2_ID$C2_IFID		# 14 + 8: release all of its leases
HDR=f00a0b0c				# RELEASE-REQUEST (240), xid 0a0b0c
REQ=$HDR$SERVERID$RELAYID$IFID$C1$C2

# Replies: type 241, same xid; Server-Id, Status Code with the status's
# name as its text, Interface-Id copied, then Client Data if asked for.
RHDR=f10a0b0c
ST_SUCCESS=000d0009000053756363657373	# "Success"
ST_NOTCONF=000d000f00094e6f74436f6e66696775726564	# "NotConfigured"
ST_NOTALLOWED=000d000c000a4e6f74416c6c6f776564		# "NotAllowed"
ST_UNSPEC=000d000c0001556e737065634661696c		# "UnspecFail"
ST0=000d00020000				# in a Client Data or an IA: no text
ST3=000d00020003
CD=002d						# Client Data, then its length
REPLY_OK=$RHDR$SERVERID$ST_SUCCESS$IFID

# --- helpers -------------------------------------------------------------
# srv_start ARGS...: a fresh server in $NS, logging to $LOG; waits for
# "ready".
srv_start() {
	srv_n=$((srv_n + 1))
	LOG=$TMP/server-$srv_n.log
	printf '# [%s] release_server %s &\n' "$NS" "$*" >&2
	ip netns exec "$NS" "$SERVER" -o "$LOG" "$@" </dev/null \
		2>"$TMP/server-$srv_n.err" &
	srv_pid=$!
	wait_for -t 5 grep -qs '^ready ' "$LOG"
}

# srv_stop [SIGNAL]: stops it, its exit code in $srv_rc.
srv_stop() {
	srv_rc=0
	kill -"${1:-TERM}" "$srv_pid" || true
	wait "$srv_pid" || srv_rc=$?
	srv_pid=
}

# send N MS [-b SRC] [-d DST] HEX...: the client sends each HEX from
# [::1]:5470 to [DST]:547 and waits for N replies or MS milliseconds;
# its output in $TMP/out, its exit code in $rc.
send() {
	local want=$1 ms=$2 src=::1 dst=::1 h
	shift 2
	if [[ $1 == -b ]]; then src=$2; shift 2; fi
	if [[ $1 == -d ]]; then dst=$2; shift 2; fi
	rc=0
	# the messages are long: shown by their sizes
	printf '# [%s] release_client -b %s -P 5470 -n %s -w %s %s 547' \
		"$NS" "$src" "$want" "$ms" "$dst" >&2
	if (($# > 4)); then
		printf ' (%d messages)\n' $# >&2
	else
		for h in "$@"; do
			printf ' <%d octets>' $((${#h} / 2)) >&2
		done
		echo >&2
	fi
	ip netns exec "$NS" "$CLIENT" -b "$src" -P 5470 -n "$want" -w "$ms" \
		"$dst" 547 "$@" >"$TMP/out" || rc=$?
}

# replies HEX...: the lines the client prints for these replies from ::1
replies() {
	local h
	for h in "$@"; do
		echo "from=::1 port=547 hex=$h"
	done
}

# events KIND...: the log's lines of these kinds, times cut out
events() {
	local re
	re=$(IFS='|'; echo "$*")
	grep -E "^($re) " "$LOG" | sed -E 's/ t=[0-9]+\.[0-9]{3} / /' || true
}

# rx_line HEX CLIENTS: the rx line of a request from [::1]:5470
rx_line() {
	local h=$1
	printf 'rx from=::1 port=5470 type=%d xid=%s len=%d clients=%d hex=%s\n' \
		$((16#${h:0:2})) "${h:2:6}" $((${#h} / 2)) "$2" "$h"
}

# tx_line KIND XID STATUS HEX
tx_line() {
	echo "tx kind=$1 xid=$2 status=$3 len=$((${#4} / 2)) hex=$4"
}

# --- bad command lines ---------------------------------------------------
# bad_args ARGS...: exit 2, nothing on stdout, one line on stderr
bad_args() {
	local rc=0
	"$SERVER" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null || rc=$?
	[[ $rc == 2 && ! -s $TMP/out && $(wc -l <"$TMP/err") == 1 ]] &&
		grep -q '^release_server: ' "$TMP/err"
}

for args in "-x" "--nope" "-p" "-p 65536" "-p 5x" "-t 12" "-r 13" "-t 0" \
	    "-t 256" "-t 241" "-s zz0102" "-s 0001" "-s 00:01:0" \
	    "-s $(printf '%0262d' 0)" "-a 10.0.0.1" "-a fe80::1%nosuchdev0" \
	    "--drop -1" "--status 65536" "--client-status x" \
	    "--ia-status" "--count 0" "--max-clients 0" \
	    "--max-clients 65536" "extra"; do
	# shellcheck disable=SC2086
	check "bad arguments \"${args:0:24}\": exit 2, one line on stderr" \
		bad_args $args
done
bad_args -p 70000 || true
check_eq "bad port: the reason" \
	'release_server: -p: "70000" is not a number from 0 to 65535' \
	"$(cat "$TMP/err")"
bad_args --bogus -z || true
check_eq "unknown option: the reason" \
	'release_server: option "-z" is unknown, try "release_server -h"' \
	"$(cat "$TMP/err")"
check "-h: usage on stdout, exit 0" \
	eval '"$SERVER" -h | grep -q "^Usage: release_server "'

# --- the namespace -------------------------------------------------------
n ip netns add "$NS"
n ip -n "$NS" link set lo up
n ip -n "$NS" addr add 2001:db8::1/64 dev lo nodad

# --- happy path ----------------------------------------------------------
srv_start
check_eq "ready line: address and port" "ready addr=:: port=547" \
	"$(head -n1 "$LOG")"
send 1 2000 "$REQ"
check_eq "Success: Server-Id and Interface-Id copied, xid kept" \
	"$(replies "$REPLY_OK")" "$(cat "$TMP/out")"
check_eq "the log: rx with the full request, tx with the full reply" \
	"$(rx_line "$REQ" 2; tx_line reply 0a0b0c 0 "$REPLY_OK")" \
	"$(events rx tx)"
check "the log: times are milliseconds with 3 decimals" \
	eval '[[ $(grep -cE "^[a-z]+ t=[0-9]+\.[0-9]{3} " "$LOG") == 2 ]]'

send 1 2000 -d 2001:db8::1 "$REQ"
check_eq "a request to 2001:db8::1 is answered from it, to the source port" \
	"from=2001:db8::1 port=547 hex=$REPLY_OK" "$(cat "$TMP/out")"

srv_stop
check_eq "SIGTERM: exit 0" 0 "$srv_rc"
check_eq "SIGTERM: the exit line" "exit requests=2 replies=2" \
	"$(tail -n1 "$LOG")"

# --- top-level statuses, -s ----------------------------------------------
srv_start -s "$(sed "s/../&:/g; s/:$//" <<<"$S_DUID")" --status 9
send 1 2000 "$REQ"
check_eq "--status 9: NotConfigured, -s with colons matches" \
	"$(replies "$RHDR$SERVERID$ST_NOTCONF$IFID")" "$(cat "$TMP/out")"
srv_stop INT
check_eq "SIGINT: exit 0" 0 "$srv_rc"

srv_start -s "$S_DUID" --status 10
send 1 2000 "$REQ"
check_eq "--status 10: NotAllowed" \
	"$(replies "$RHDR$SERVERID$ST_NOTALLOWED$IFID")" "$(cat "$TMP/out")"
srv_stop

# --- statuses per client and per IA --------------------------------------
# A client's own Interface-Id comes back, after its Status Code.
srv_start --client-status 3
send 1 2000 "$REQ"
check_eq "--client-status 3: a Client Data per client, NoBinding" \
	"$(replies "$REPLY_OK${CD}0018$C1_ID$ST3${CD}001c$C2_ID$ST3$C2_IFID")" \
	"$(cat "$TMP/out")"
srv_stop

# An IA: IAID, T1 0, T2 0, its Status Code, no lease (draft 4.3).
NA_ST3=00030012000000010000000000000000$ST3
PD_ST3=00190012000000020000000000000000$ST3
srv_start --ia-status 3
send 1 2000 "$REQ"
check_eq "--ia-status 3: every requested IA, no leases; none for client 2" \
	"$(replies "$REPLY_OK${CD}003e$C1_ID$NA_ST3$PD_ST3${CD}0016$C2_ID$C2_IFID")" \
	"$(cat "$TMP/out")"
srv_stop

srv_start --client-status 0 --ia-status 3 --status 1
send 1 2000 "$REQ"
check_eq "--status 1 --client-status 0 --ia-status 3: all three levels" \
	"$(replies "$RHDR$SERVERID$ST_UNSPEC$IFID${CD}0044$C1_ID$ST0$NA_ST3$PD_ST3${CD}001c$C2_ID$ST0$C2_IFID")" \
	"$(cat "$TMP/out")"
srv_stop

# --- --drop ----------------------------------------------------------------
srv_start --drop 2
send 0 300 "$REQ"
check "--drop 2: the first transmission is not answered" \
	eval '[[ $rc == 0 && ! -s $TMP/out ]]'
send 0 300 "$REQ"
check "--drop 2: nor the second" eval '[[ $rc == 0 && ! -s $TMP/out ]]'
send 1 2000 "$REQ"
check_eq "--drop 2: the third is" "$(replies "$REPLY_OK")" "$(cat "$TMP/out")"
check_eq "--drop 2: logged" "drop xid=0a0b0c n=1
drop xid=0a0b0c n=2
$(tx_line reply 0a0b0c 0 "$REPLY_OK")" "$(events drop tx)"
srv_stop
check_eq "--drop 2: dropped requests count as requests" \
	"exit requests=3 replies=1" "$(tail -n1 "$LOG")"

# --- --drop-for ------------------------------------------------------------
srv_start --drop-for 1
send 0 300 "$REQ"
check "--drop-for 1: the first transmission is not answered" \
	eval '[[ $rc == 0 && ! -s $TMP/out ]]'
sleep 1
send 1 2000 "$REQ"
check_eq "--drop-for 1: one a second after it is" "$(replies "$REPLY_OK")" \
	"$(cat "$TMP/out")"
srv_stop
check_eq "--drop-for 1: counted" "exit requests=2 replies=1" \
	"$(tail -n1 "$LOG")"

# --- --bogus ---------------------------------------------------------------
NOSTATUS=$RHDR$SERVERID$IFID
srv_start --bogus
send 4 2000 "$REQ"
check_eq "--bogus: xid ^ 0x800000, no status, an overrun, then the reply" \
	"$(replies "f18a0b0c${REPLY_OK:8}" "$NOSTATUS" "$NOSTATUS"000d00400000 \
		"$REPLY_OK")" "$(cat "$TMP/out")"
check_eq "--bogus: logged in order, with kinds" \
	"$(tx_line bogus-xid 8a0b0c 0 "f18a0b0c${REPLY_OK:8}"
	   tx_line bogus-nostatus 0a0b0c none "$NOSTATUS"
	   tx_line bogus-malformed 0a0b0c 0 "$NOSTATUS"000d00400000
	   tx_line reply 0a0b0c 0 "$REPLY_OK")" "$(events tx)"
srv_stop
check_eq "--bogus: one reply counted" "exit requests=1 replies=1" \
	"$(tail -n1 "$LOG")"

srv_start --bogus --client-status 3
send 4 2000 "$REQ"
check_eq "--bogus --client-status 3: no Status Code in any Client Data either" \
	"$(sed -n 2p "$TMP/out")" \
	"$(replies "$NOSTATUS${CD}0012$C1_ID${CD}0016$C2_ID$C2_IFID")"
srv_stop

# --- discarded requests (draft 3.2.1) --------------------------------------
srv_start -s "$S_DUID"
# one request each; the last one is fine, and answered
BAD_SID=0002000a00030001020000000f99
NO_CLIENT_ID=002d0008$C2_IFID
TRUNC=${REQ:0:$((${#REQ} - 6))}
REPLY_MSG=f10a0b0c$SERVERID$ST_SUCCESS$IFID$RELAYID$C2
for req in "$HDR$SERVERID$IFID$C1$C2" "$HDR$SERVERID$RELAYID$IFID" \
	   "$HDR$BAD_SID$RELAYID$IFID$C2" "$HDR$RELAYID$IFID$C2" \
	   "$TRUNC" "$HDR$SERVERID$RELAYID$NO_CLIENT_ID" "$REPLY_MSG" \
	   "$HDR$SERVERID$RELAYID$C2$C2$SERVERID" f00a0b; do
	send 0 300 "$req"
	[[ $rc == 0 && ! -s $TMP/out ]] || break
done
check "no reply to any discarded request" \
	eval '[[ $rc == 0 && ! -s $TMP/out ]]'
check_eq "discarded, each with its reason" \
	"discard xid=0a0b0c reason=no-relay-id
discard xid=0a0b0c reason=no-client-data
discard xid=0a0b0c reason=server-id
discard xid=0a0b0c reason=server-id
discard xid=0a0b0c reason=parse:opt_overrun
discard xid=0a0b0c reason=parse:no_client_id
discard xid=0a0b0c reason=type
discard xid=0a0b0c reason=parse:duplicate
discard xid=0a0b00 reason=parse:short" "$(events discard)"
check_eq "the truncated request is logged whole, with no clients" \
	"$(rx_line "$TRUNC" 0)" "$(events rx | sed -n 5p)"
check_eq "nothing was sent" "" "$(events tx drop)"
send 1 2000 "$HDR$SERVERID$RELAYID$C2"
check_eq "a request without Interface-Id gets a reply without" \
	"$(replies "$RHDR$SERVERID$ST_SUCCESS")" "$(cat "$TMP/out")"
srv_stop
check_eq "discarded requests are not counted" "exit requests=1 replies=1" \
	"$(tail -n1 "$LOG")"

srv_start --max-clients 1
send 0 300 "$REQ"
check_eq "--max-clients 1: two Client Data are too many" \
	"discard xid=0a0b0c reason=parse:too_many" "$(events discard)"
srv_stop

# --- --silent, --count, -q, -t/-r, -a, -p ----------------------------------
srv_start --silent --count 2 -a ::1 -p 547
check_eq "-a ::1: the ready line names it" "ready addr=::1 port=547" \
	"$(head -n1 "$LOG")"
send 0 300 "$REQ"
send 0 300 "$REQ"
check "--silent: no reply" eval '[[ $rc == 0 && ! -s $TMP/out ]]'
srv_rc=0
wait "$srv_pid" || srv_rc=$?
srv_pid=
check_eq "--count 2: exits 0 by itself after two requests" 0 "$srv_rc"
check_eq "--silent --count 2: two drops, no reply" "drop xid=0a0b0c n=1
drop xid=0a0b0c n=2
exit requests=2 replies=0" "$(events drop exit)"

srv_start -q -t 200 -r 201
send 1 2000 "c8${REQ:2}"
check_eq "-t 200 -r 201: the types are the options'" \
	"$(replies "c9${REPLY_OK:2}")" "$(cat "$TMP/out")"
check_eq "-q: no hex in the log" \
	"rx from=::1 port=5470 type=200 xid=0a0b0c len=$((${#REQ} / 2)) clients=2
tx kind=reply xid=0a0b0c status=0 len=$((${#REPLY_OK} / 2))" \
	"$(events rx tx)"
send 0 300 "$REQ"
check_eq "-t 200: type 240 is discarded" \
	"discard xid=0a0b0c reason=type" "$(events discard)"
srv_stop

# --- a burst ---------------------------------------------------------------
# 200 requests, 20 clients each, xids 000000..0000c7, in one go
# (one printf -v per request: no subshell per client)
burst=()
for ((i = 0; i < 200; i++)); do
	ij=()
	for ((j = 0; j < 20; j++)); do
		ij+=("$i" "$j")
	done
	printf -v clients \
		'002d001e0001000a0003000102000000%02x%02x0003000c000000010000000000000000' \
		"${ij[@]}"
	printf -v xid %06x $i
	burst+=("f0$xid$SERVERID$RELAYID$IFID$clients")
done
srv_start -q --ia-status 0
send 200 5000 "${burst[@]}"
check_eq "a burst of 200 requests of 20 clients: 200 replies" \
	"0 200" "$rc $(wc -l <"$TMP/out")"
check_eq "a burst: every request parsed, none discarded" \
	"200 0" "$(grep -c 'clients=20$' "$LOG") $(grep -c '^discard' "$LOG" || true)"
srv_stop
check_eq "a burst: the exit line" "exit requests=200 replies=200" \
	"$(tail -n1 "$LOG")"

check "nothing on the server's stderr" \
	eval '! cat "$TMP"/server-*.err | grep -q .'

tap_done
