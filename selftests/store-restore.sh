#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leaseguardd's binding store against the real module, without DHCP: the
# store is written as a daemon that ran under another boot left it, and
# leaseguardd reconciles it with a kernel that has no binding.
#
#   rtr: leaseguard.ko, acc0 (access), leaseguardd -c $DIR/lgd.conf
#        store $DIR/bindings.db (its own: /var is shared by the stories)
#
#   the store, from "another boot":
#     acc0     IA_NA 1  bound, 50 min left      restored
#     nosuch0  IA_NA 2  bound                   kept, pending: no interface
#     acc0     IA_NA 3  expired 10 s ago        dropped
#     acc0     IA_NA 4  releasing               dropped
#
# The module restores acc0's binding with LG_CMD_BINDING_NEW (origin
# restored, what is left of its lifetimes). Then kill -9 and a start again (the same module: pending ones are tried
# again, nothing else), and a reload of the module (restored again).
# Then, with acc0 and nosuch0 declared access in lgd.conf: a binding whose
# notification waits on leaseguardd's event socket when the module goes
# is read into the store and restored when it is back; and nosuch0,
# created, gets its pending binding at once (one log line), and only once.
#
# LG_LGD names the leaseguardd to run (an older build: what it lost);
# LG_STORE_LOG=1 prints its log at the end.
set -u

source "$(dirname "$0")/lib.sh"
LGD=${LG_LGD:-$LG_ROOT/agent/leaseguardd/leaseguardd}
[[ -x $LGD ]] || skip_all "agent/leaseguardd/leaseguardd is not built"
[[ $(id -u) -eq 0 ]] || skip_all "needs root"
python3 -c "import sqlite3" 2>/dev/null || skip_all "python3 has no sqlite3"
[[ ! -d /sys/module/leaseguard ]] || skip_all "leaseguard is loaded already"

DIR=$(mktemp -d /tmp/lg-store.XXXXXX)
LGDPID=
cleanup() {
	set +e
	# LG_STORE_LOG=1: leaseguardd's log, to see why a step failed.
	[[ -z ${LG_STORE_LOG:-} ]] || sed 's/^/# lgd: /' "$DIR/lgd.log"
	[[ -n $LGDPID ]] && kill -9 "$LGDPID" 2>/dev/null && wait "$LGDPID" 2>/dev/null
	topology_down
	rmmod leaseguard 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT

lgd_start() {
	printf '# [rtr] leaseguardd -c %s &\n' "$DIR/lgd.conf" >&2
	ip netns exec rtr "$LGD" -c "$DIR/lgd.conf" >>"$DIR/lgd.log" 2>&1 &
	LGDPID=$!
	wait_for -t 20 atleast "$1" grep -c "store $DIR/bindings.db: .* in the kernel" "$DIR/lgd.log"
}
lgd_kill() { kill "-$1" "$LGDPID"; wait "$LGDPID" 2>/dev/null; LGDPID=; }
# The store's line of the last reconcile, from "N bindings in it".
reconciled() { grep -o "[0-9]* bindings in it.*" "$DIR/lgd.log" | tail -n 1; }
status() { "$LGCTL" -j daemon show socket "$DIR/lgd.sock" | jq -r "$1"; }
sql() { python3 -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print(" ".join(map(str, r)))' "$DIR/bindings.db" "$1"; }
# The kernel's bindings of an interface: "IAID ORIGIN" lines.
origins() {
	ip netns exec rtr "$LGCTL" -j binding show dev "$1" 2>/dev/null |
		jq -r 'sort_by(.iaid) | .[] | "\(.iaid) \(.origin)"'
}
module_up() {
	n insmod "$LG_ROOT/kmod/leaseguard.ko"
	nsx rtr "$LGCTL" link set dev acc0 role access
}

step "0. The module, acc0 an access interface, an empty store."
n insmod "$LG_ROOT/kmod/leaseguard.ko"
topology_up
nsx rtr "$LGCTL" link set dev acc0 role access
cat >"$DIR/lgd.conf" <<EOF
log-level debug
relay-id 00:02:00:00:00:09:6c:67
control-socket $DIR/lgd.sock
store $DIR/bindings.db
EOF
lgd_start 1
check_eq "a new store, the kernel's bindings (none) written" \
	"0 bindings in it, 0 in the kernel (a new store): 0 restored, 0 written, 0 dropped, 0 kept unrestored" \
	"$(reconciled)"
lgd_kill TERM

step "1. The store as another boot left it: four bindings."
now=$(date +%s)
n python3 - "$DIR/bindings.db" "$now" <<'PY'
import ipaddress, sqlite3, sys
db, now = sqlite3.connect(sys.argv[1]), int(sys.argv[2])
a = lambda s: ipaddress.IPv6Address(s).packed
duid = bytes.fromhex("000300010200000001" "02")
for iaid, ifname, state, end in ((1, "acc0", 1, now + 3000),
                                 (2, "nosuch0", 1, now + 3000),
                                 (3, "acc0", 1, now - 10),
                                 (4, "acc0", 2, now + 3000)):
    cur = db.execute(
        "INSERT INTO binding (ifname, ifindex, duid, ia_type, iaid, kernel_id,"
        " state, origin, client_lladdr, client_mac, server_addr, server_duid,"
        " created, updated, expires) VALUES (?, 10, ?, 1, ?, ?, ?, 1, ?, ?, ?,"
        " ?, ?, ?, ?)",
        (ifname, duid, iaid, 100 + iaid, state, a("fe80::ff:fe00:102"),
         bytes.fromhex("020000000102"), a("2001:db8:f::2"),
         bytes.fromhex("00030001020000000f02"), now - 3600, end - 3600, end))
    db.execute("INSERT INTO lease VALUES (?, ?, 128, 1800, 3600, ?)",
               (cur.lastrowid, a("2001:db8:1::%x" % (0x1000 + iaid)), end))
# acc0's last server transaction, in ms: restored as it was.
db.execute("UPDATE binding SET replied = ? WHERE iaid = 1",
           ((now - 600) * 1000 + 123,))
db.execute("INSERT OR REPLACE INTO meta VALUES ('instance', 'another-boot family 30')")
db.execute("INSERT OR REPLACE INTO meta VALUES ('kernel_created', 104)")
db.commit()
PY

step "2. leaseguardd starts: the kernel lost them."
lgd_start 2
wait_for -t 10 is 0 status .store.pending
check_eq "acc0's restored, nosuch0's kept, expired and releasing dropped" \
	"4 bindings in it, 0 in the kernel (the kernel lost its bindings): 1 restored, 0 written, 2 dropped, 1 kept unrestored" \
	"$(reconciled)"
check_eq "the kernel has acc0's, with what is left of its lease" \
	"1 2001:db8:1::1001" \
	"$(ip netns exec rtr "$LGCTL" -j binding show dev acc0 | jq -r '.[] | "\(.iaid) \(.leases[0].addr)"')"
wait_for -t 10 is "1 2 0" sql "SELECT iaid, origin, restore FROM binding WHERE ifname = 'acc0'"
check_eq "its notification wrote it back: origin restored, not pending" \
	"1 2 0" "$(sql "SELECT iaid, origin, restore FROM binding WHERE ifname = 'acc0'")"
replied=$(((now - 600) * 1000 + 123))
check_eq "its last server transaction restored with it (ms)" "$replied" \
	"$(ip netns exec rtr "$LGCTL" -j binding show dev acc0 | jq -r '.[0].replied')"
check_eq "and kept in the store" "$replied" \
	"$(sql "SELECT replied FROM binding WHERE ifname = 'acc0'")"
want_rows="acc0 1 0
nosuch0 2 1"
check_eq "the store: the two, pending where not restored" "$want_rows" \
	"$(sql "SELECT ifname, iaid, restore FROM binding ORDER BY ifname")"
check_eq "lgctl daemon show: rows, refused, dropped" \
	"2 1 2 open" \
	"$(status '"\(.store.rows) \(.store.refused) \(.store.dropped) \(.store.state)"')"

step "3. kill -9, start again: the same module; pending ones tried again."
lgd_kill 9
lgd_start 3
check_eq "acc0's written from the kernel, nosuch0's still pending" \
	"2 bindings in it, 1 in the kernel: 0 restored, 1 written, 0 dropped, 1 kept unrestored" \
	"$(reconciled | sed 's/ (.*)//')"
wait_for -t 10 is 0 status .store.pending
check_eq "the store still has both" "$want_rows" \
	"$(sql "SELECT ifname, iaid, restore FROM binding ORDER BY ifname")"

step "3b. Clients that leave before their answer: leaseguardd stays."
# A killed lgctl (or "timeout lgctl") closes before leaseguardd writes;
# the write must fail with EPIPE, not end the daemon with SIGPIPE.
n python3 - "$DIR/lgd.sock" <<'PY'
import socket, struct, sys
for _ in range(20):
    c = socket.socket(socket.AF_UNIX)
    c.connect(sys.argv[1])
    c.sendall(b"status\n")
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
PY
sleep 1
check "leaseguardd is still running" kill -0 "$LGDPID"
check_eq "and answers" open "$(status .store.state)"

step "4. Stopped, the module reloaded, started: restored again."
lgd_kill TERM
n rmmod leaseguard
module_up
lgd_start 4
check_eq "acc0's restored again" \
	"2 bindings in it, 0 in the kernel (the kernel lost its bindings): 1 restored, 0 written, 0 dropped, 1 kept unrestored" \
	"$(reconciled)"
check_eq "with its last server transaction" "$replied" \
	"$(ip netns exec rtr "$LGCTL" -j binding show dev acc0 | jq -r '.[0].replied')"
lgd_kill TERM
check "leaseguardd stopped cleanly" grep -q "stopping on signal 15" "$DIR/lgd.log"

step "5. A binding whose notification waits when the module goes: stored."
# Declared: the module's return and nosuch0's creation get the role.
printf 'interface acc0 role access\ninterface nosuch0 role access\n' \
	>>"$DIR/lgd.conf"
lgd_start 5
# The family's loss must reach leaseguardd before the binding's
# notification, as it can in the loop of a busy daemon. Stopped, its
# controller socket is filled with datagrams of no interest (before the
# binding: it is first on epoll's ready list), so that the controller's
# DELFAMILY overruns it. Continued, it reads ENOBUFS there, asks the
# controller, and learns that the family is gone before it reads the
# events socket, where the binding's NEW notification waits.
check_eq "leaseguardd is in its loop (it answers)" open "$(status .store.state)"
n kill -STOP "$LGDPID"
n ip netns exec rtr python3 - <<'PY'
import socket, struct
port = None
for line in open("/proc/net/netlink").read().splitlines()[1:]:
    f = line.split()
    # NETLINK_GENERIC, joined to nlctrl's "notify" group (ID 16)
    if f[1] == "16" and int(f[3], 16) & (1 << 15):
        port = int(f[2])
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
s.bind((0, 0))
# GENL_ID_CTRL, CTRL_CMD_UNSPEC: nothing leaseguardd acts on
msg = struct.pack("=IHHIIBBH", 20, 16, 0, 0, 0, 0, 2, 0)
try:
    for _ in range(10000):
        s.sendto(msg, socket.MSG_DONTWAIT, (port, 0))
except BlockingIOError:
    pass
PY
nsx rtr "$LGCTL" binding add dev acc0 duid 00:03:00:01:02:00:00:00:00:05 \
	ia na iaid 5 lladdr fe80::5 server 2001:db8:f::2 origin synced \
	lease 2001:db8:1::1005 preferred 300 valid 600 >/dev/null
n rmmod leaseguard
n kill -CONT "$LGDPID"
wait_for -t 5 is "acc0 5 0" sql "SELECT ifname, iaid, restore FROM binding WHERE iaid = 5"
check_eq "read before the family was let go, and committed" \
	"acc0 5 0" "$(sql "SELECT ifname, iaid, restore FROM binding WHERE iaid = 5")"
check "the log says so" grep -q "family gone: 1 binding events read" "$DIR/lgd.log"
n insmod "$LG_ROOT/kmod/leaseguard.ko"
wait_for -t 10 atleast 6 grep -c "store $DIR/bindings.db: .* in the kernel" "$DIR/lgd.log"
check_eq "the module back: it is restored" "1 restored
5 restored" "$(origins acc0)"
# lgctl gave none: the kernel said now, the store kept it, the restore sent it.
check_eq "with the time the kernel gave it and the store kept" \
	"$(sql "SELECT replied FROM binding WHERE iaid = 5")" \
	"$(ip netns exec rtr "$LGCTL" -j binding show dev acc0 | jq -r '.[] | select(.iaid == 5) | .replied')"

step "6. nosuch0 appears: its pending binding is restored at once."
n ip -n rtr link add nosuch0 type dummy
wait_for -t 5 is "2 restored" origins nosuch0
check_eq "the kernel has it, origin restored" "2 restored" "$(origins nosuch0)"
check_eq "one line says so" \
	"store: nosuch0 appeared: 1 pending bindings: 1 restored, 0 in the kernel, 0 dropped, 0 kept pending" \
	"$(grep -o "store: nosuch0 appeared.*" "$DIR/lgd.log")"
wait_for -t 5 is "nosuch0 2 0" sql "SELECT ifname, iaid, restore FROM binding WHERE ifname = 'nosuch0'"
check_eq "the store: no longer pending" "nosuch0 2 0" \
	"$(sql "SELECT ifname, iaid, restore FROM binding WHERE ifname = 'nosuch0'")"
n ip -n rtr link set nosuch0 name nosuch1
n ip -n rtr link set nosuch1 name nosuch0
sleep 0.5
check_eq "renamed back and forth: nothing pending, nothing sent again" 1 \
	"$(grep -c "store: nosuch0 appeared" "$DIR/lgd.log")"

step "7. byhand0, not declared, made access by hand: its pending binding follows."
now=$(date +%s)
n python3 - "$DIR/bindings.db" "$now" <<'PY'
import ipaddress, sqlite3, sys
db, now = sqlite3.connect(sys.argv[1], timeout=5), int(sys.argv[2])
a = lambda s: ipaddress.IPv6Address(s).packed
cur = db.execute(
    "INSERT INTO binding (ifname, ifindex, duid, ia_type, iaid, kernel_id,"
    " state, origin, restore, client_lladdr, client_mac, server_addr,"
    " server_duid, created, updated, expires) VALUES ('byhand0', 99, ?, 1, 7,"
    " 107, 1, 1, 1, ?, ?, ?, ?, ?, ?, ?)",
    (bytes.fromhex("00030001020000000107"), a("fe80::ff:fe00:107"),
     bytes.fromhex("020000000107"), a("2001:db8:f::2"),
     bytes.fromhex("00030001020000000f02"), now - 600, now - 600, now + 3000))
db.execute("INSERT INTO lease VALUES (?, ?, 128, 1800, 3600, ?)",
           (cur.lastrowid, a("2001:db8:1::1007"), now + 3000))
db.commit()
PY
n ip -n rtr link add byhand0 type dummy
wait_for -t 5 grep -q "store: byhand0 appeared: 1 pending bindings wait: not an access interface" "$DIR/lgd.log" || true
check "it appeared, not access: the binding waits, and the log says so" \
	grep -q "store: byhand0 appeared: 1 pending bindings wait: not an access interface" "$DIR/lgd.log"
nsx rtr "$LGCTL" link set dev byhand0 role access
wait_for -t 5 is "7 restored" origins byhand0
check_eq "made access with lgctl: restored at once" "7 restored" "$(origins byhand0)"
check_eq "one line says so" \
	"store: byhand0 made access: 1 pending bindings: 1 restored, 0 in the kernel, 0 dropped, 0 kept pending" \
	"$(grep -o "store: byhand0 made access.*" "$DIR/lgd.log")"
nsx rtr "$LGCTL" link set dev byhand0 savi monitor
sleep 0.5
check_eq "another change of the access interface: nothing sent again" 1 \
	"$(grep -c "store: byhand0 made access" "$DIR/lgd.log")"
lgd_kill TERM

topology_down
n rmmod leaseguard
tap_done
