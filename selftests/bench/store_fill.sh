#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A binding store of N bindings, as leaseguardd writes it, for the restore
# benchmark (store_bench.sh -d): made on the host with Python's sqlite3,
# at native speed, so that the guest's time goes to the restore.
#
#   store_fill.sh DB N [IFNAME]
#
# Binding i (1..N): IFNAME (default acc0), DUID 00:03:00:01:02:00:II:II:II:II,
# IA_NA IAID 1, 2001:db8:1::i/128 with 3000 s of 3600 left, client
# fe80::ff:fe00:102, server 2001:db8:f::2; the instance of "another boot",
# so that leaseguardd restores them all.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec python3 - "$1" "$2" "${3:-acc0}" "$here/../../agent/leaseguardd/store.c" <<'PY'
import ipaddress, os, re, sqlite3, sys, time
db, n, ifname, src = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
for sfx in ("", "-wal", "-shm"):
    if os.path.exists(db + sfx):
        os.unlink(db + sfx)
# The schema, from store.c: the one leaseguardd creates.
text = open(src).read()
body = text[text.index("lgd_store_schema[] ="):]
body = body[:body.index(";\n")]
schema = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', body))
now = int(time.time())
a = lambda s: ipaddress.IPv6Address(s).packed
ll, srv, mac = a("fe80::ff:fe00:102"), a("2001:db8:f::2"), bytes.fromhex("020000000102")
sduid = bytes.fromhex("00030001020000000f02")
base = int(ipaddress.IPv6Address("2001:db8:1::"))
c = sqlite3.connect(db)
c.execute("PRAGMA journal_mode = WAL")
c.executescript(schema)
c.execute("PRAGMA application_id = 1279738451")
c.execute("PRAGMA user_version = 1")
c.execute("BEGIN")
c.executemany(
    "INSERT INTO binding (id, ifname, ifindex, duid, ia_type, iaid, kernel_id,"
    " state, origin, client_lladdr, client_mac, server_addr, server_duid,"
    " created, updated, expires) VALUES (?, ?, 10, ?, 1, 1, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?)",
    ((i, ifname, bytes.fromhex("030001020000%08x" % i), i, ll, mac, srv, sduid,
      now - 600, now - 600, now + 3000) for i in range(1, n + 1)))
c.executemany("INSERT INTO lease VALUES (?, ?, 128, 1800, 3600, ?)",
              ((i, (base + i).to_bytes(16, "big"), now + 3000) for i in range(1, n + 1)))
c.execute("INSERT INTO meta VALUES ('instance', 'another-boot family 1')")
c.execute("INSERT INTO meta VALUES ('kernel_created', 0)")
c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.close()
PY
