/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leaseguardd's connection to its failover partner (partner.c): a partner
 * session (partner_session.h) run over the TLS channel (partner_tls.h),
 * inside the daemon's epoll loop. main.c polls one descriptor,
 * lgd_partner_fd() (an epoll set of its own over the listening socket and
 * the connections), calls lgd_partner_input() when it is readable, and
 * runs the timers (timer.c) as for the other parts. The kernel and the
 * store stay the caller's: it gives the session's callbacks (lookup,
 * apply, walk) and passes in its local changes.
 *
 * Who connects: both partners. Each listens (listen address and port)
 * and, while it has no connection, connects to the partner's address and
 * port, from its listen address when that is not a wildcard (so that the
 * partner sees the address it expects). An attempt that fails, or a
 * connection lost, is tried again after a backoff: 0.2 s, doubled at each
 * failure up to 5 s, back to 0.2 s after a good handshake. TCP_NODELAY
 * is set and TCP keepalive left off: the session's heartbeat finds a
 * dead partner (its dead interval), in seconds rather than hours.
 *
 * One connection: the session runs on one connection at a time. When both
 * partners connect at once, each ends up with two good handshakes; both
 * keep the same one, the connection initiated by the partner whose node
 * id is the smaller (memcmp() of the 16 octets), and close the other. The
 * partner's node id is read from its HELLO, on the session's connection
 * or on the other one (the first message on each). Between two
 * connections both initiated by the partner, the newer wins: it gave up
 * the older one.
 *
 * A handshake that fails (ours or the partner's) is logged the first time
 * for its class (the key, the identity, not TLS, other), then at most once
 * every hs_log_ms with the count of those not logged; the first good
 * handshake after failures says how many there were. Every one is counted.
 *
 * Only the configured partner address may connect: another is closed at
 * once, counted, and logged at most once every 10 s. A connection that
 * has not finished its handshake (and, with two, been chosen) within the
 * dead interval is closed.
 */
#ifndef LGD_PARTNER_H
#define LGD_PARTNER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <arpa/inet.h>

#include "partner_session.h"
#include "partner_tls.h"

#define LGD_PARTNER_PORT_DEFAULT	4647
#define LGD_PARTNER_BACKOFF_MIN		200	/* ms */
#define LGD_PARTNER_BACKOFF_MAX		5000	/* ms */
/* A failed handshake of a class already logged: said again after this. */
#define LGD_PARTNER_HS_LOG_MS		60000

/* The settings (leaseguardd.conf's "partner" lines will fill them in). */
struct lgd_partner_conf {
	char peer_addr[INET6_ADDRSTRLEN];	/* numeric, IPv6 or IPv4 */
	uint16_t peer_port;			/* 0: never connect, only listen */
	char listen_addr[INET6_ADDRSTRLEN];	/* "": any (IPv6 and IPv4) */
	uint16_t listen_port;			/* 0: never listen */
	char key_path[256];			/* "": LGD_TLS_KEY_DEFAULT */
	char identity[LGD_TLS_IDENTITY_MAX + 1]; /* "": LGD_TLS_IDENTITY_DEFAULT */
	uint32_t dead_ms;			/* 0: LGD_PS_DEAD_MS */
	uint32_t queue_max;			/* 0: LGD_PS_QUEUE_MAX */
	uint32_t hs_log_ms;			/* 0: LGD_PARTNER_HS_LOG_MS */
	uint8_t node_id[LG_SYNC_NODE_ID_LEN];
	uint64_t instance;			/* random per start */
	uint8_t role;				/* enum lg_sync_role */
	const char *sw_version;
};

/*
 * Where the partner stands: no connection (the next attempt waits for its
 * backoff), an attempt or a handshake under way, or the session's state
 * on the connection.
 */
enum lgd_partner_state {
	LGD_PARTNER_DOWN,
	LGD_PARTNER_CONNECTING,
	LGD_PARTNER_HELLO,
	LGD_PARTNER_BULK,
	LGD_PARTNER_SYNCED,
};

/* For the control socket: counters since the start, and the state. */
struct lgd_partner_stats {
	enum lgd_partner_state state;
	uint64_t since_ms;		/* CLOCK_MONOTONIC ms: state since */
	uint64_t attempts;		/* connect()s started */
	uint64_t reconnects;		/* of those, after a failure or a loss */
	uint64_t connects_failed;	/* TCP connect failed or timed out */
	uint64_t connected;		/* handshakes done, we connected */
	uint64_t accepted;		/* handshakes done, it connected */
	uint64_t refused;		/* not from the partner's address, or
					   too many at once */
	uint64_t hs_key;		/* handshake failed: the keys differ */
	uint64_t hs_identity;		/* ... another identity, or no PSK */
	uint64_t hs_not_tls;		/* ... not TLS 1.3, not ours */
	uint64_t hs_other;		/* ... reset, closed, timed out */
	uint64_t duplicates;		/* closed by the one-connection rule */
	uint64_t lost;			/* connections ended after HELLO */
	uint64_t bytes_in, bytes_out;	/* over TLS, the session's octets */
	uint32_t backoff_ms;		/* the last wait before an attempt */
	char peer[64];			/* the session's connection, or "" */
};

struct lgd_partner;

/*
 * Reads the key, opens the listening socket and starts connecting (its
 * first attempt at once, from the timers). ops and priv are the session's
 * callbacks (ops->log NULL: the daemon's log); ops must outlive the
 * partner. NULL after logging why.
 */
struct lgd_partner *lgd_partner_open(const struct lgd_partner_conf *conf,
				     const struct lgd_ps_ops *ops,
				     void *priv);
void lgd_partner_close(struct lgd_partner *p);
int lgd_partner_fd(const struct lgd_partner *p);
/* lgd_partner_fd() is readable. */
void lgd_partner_input(struct lgd_partner *p);

/*
 * Local changes (lgd_ps_local_update/delete): queued, and written from
 * the timers, never here: the caller's exchange never waits.
 */
int lgd_partner_local_update(struct lgd_partner *p, const struct lg_binding *b,
			     uint8_t change, uint64_t time_ms);
int lgd_partner_local_delete(struct lgd_partner *p,
			     const struct lg_binding *key, uint8_t reason,
			     uint64_t time_ms);

/* A bulk owed to the partner (lgd_ps_owe_bulk()), written soon. */
void lgd_partner_owe_bulk(struct lgd_partner *p);
/* Our role (enum lg_sync_role): the partner learns it at the next HELLO. */
void lgd_partner_set_role(struct lgd_partner *p, uint8_t role);
void lgd_partner_get_stats(const struct lgd_partner *p,
			   struct lgd_partner_stats *st);
const char *lgd_partner_state_name(enum lgd_partner_state st);
/* The session, for its counters (lgd_ps_stats()) and the peer's HELLO. */
const struct lgd_ps *lgd_partner_session(const struct lgd_partner *p);
/*
 * The control socket's "partner" (control.c has the protocol): three
 * lines of key=value words, ages in ms before now (a key is left out
 * while what it dates has not happened, the peer's HELLO keys until one
 * came):
 *
 *	partner state=down|connecting|hello|bulk|synced state-age-ms=N
 *		node-id=HEX peer=ADDR port=N listen=ADDR|any listen-port=N
 *		[connection=[ADDR]:PORT] [peer-node-id=HEX peer-role=R
 *		peer-version=V] [last-heartbeat-age-ms=N] [last-recv-age-ms=N]
 *	sync queue=N queue-hwm=N tombstones=N ... (struct lgd_ps_stats)
 *	connection attempts=N ... (struct lgd_partner_stats)
 */
void lgd_partner_show(const struct lgd_partner *p, FILE *f);
/* The port listened on (after open; with listen_port 0, 0). */
uint16_t lgd_partner_listen_port(const struct lgd_partner *p);
/* The session connection's socket, or -1 (tests and diagnostics). */
int lgd_partner_conn_fd(const struct lgd_partner *p);

#endif /* LGD_PARTNER_H */
