/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One session with the failover partner: what to send it and what to make
 * of what it sends (agent/lib/sync_wire.h is the protocol), without the
 * transport and without a clock. The caller (partner.c) owns the TLS
 * channel and the event loop: it passes in the bytes it read, the local
 * binding changes, "connected"/"disconnected" and the time; it writes out
 * what lgd_ps_out() holds, applies what the callbacks are given, and
 * closes the channel when lgd_ps_state() says LGD_PS_DOWN.
 *
 * Lazy: a local change is only queued (coalesced by binding key: the
 * newest state of a key is all the partner needs) and returns at once;
 * lgd_ps_tick() turns the queue into frames, each sequenced when written,
 * and kept until the partner ACKs it, so that a new connection resends
 * what the last one lost. The queue (unsent + unacknowledged) holds at
 * most queue_max changes; past it, it is dropped and a bulk is owed:
 * BULK_BEGIN, an UPDATE per binding of the table, a DELETE per tombstone
 * the partner has not acknowledged (below), BULK_END with the count of
 * UPDATEs.
 *
 * Conflicts (RFC 7031 5.1.2, partition and heal): per binding key, the
 * change with the newest server-transaction time wins, an update against
 * an update or a delete alike. At equal times a delete wins over an
 * update, and between two updates the one from the larger node id wins.
 * A delete leaves a tombstone (key, time): an older update the partner
 * sends later (queued during a partition, or in a bulk) cannot bring a
 * released binding back.
 *
 * A binding's state (RELEASING in sync_wire.h: a relay-initiated release
 * in flight) is no server transaction: a release or its cancel is an
 * UPDATE with the binding's time unchanged. At equal times, with no
 * change of ours to the key queued, the partner's state is applied alone
 * (apply_state); with newer leases it rides in apply_update()'s binding;
 * against an older time it loses with the rest.
 */
#ifndef LGD_PARTNER_SESSION_H
#define LGD_PARTNER_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "binding.h"
#include "sync_wire.h"

#define LGD_PS_HEARTBEAT_MS	500	/* after this long without sending */
#define LGD_PS_DEAD_MS		3000	/* dead-interval's default */
#define LGD_PS_ACK_DELAY_MS	50	/* an ACK waits at most this long */
#define LGD_PS_ACK_BATCH	64	/* ... or for this many messages */
#define LGD_PS_QUEUE_MAX	65536	/* changes unsent or unacknowledged */
/*
 * Sequenced messages written and not ACKed, at most: past it the queue
 * waits (and coalesces) instead of filling the partner's socket.
 */
#define LGD_PS_WINDOW		4096
#define LGD_PS_OUT_HIGH		(256 * 1024) /* queue -> frames until this */
/*
 * A tombstone is kept until the partner has acknowledged the delete (our
 * own deletes) and at least this long: the dead interval plus the time a
 * bulk of 100k bindings takes, so that an update the partner sent before
 * it had our delete, still in its send buffer, in a bulk being read or
 * resent on the next connection, still finds it. Tombstones are capped at
 * tomb_max (default queue_max), the oldest dropped first (counted).
 */
#define LGD_PS_BULK_MS		10000	/* tomb_ms: dead_ms + this */

enum lgd_ps_state {
	LGD_PS_DOWN,		/* no transport, or the partner is dead */
	LGD_PS_HELLO,		/* connected, waiting for the partner's HELLO */
	LGD_PS_BULK,		/* receiving a bulk (or a RESYNC is out) */
	LGD_PS_SYNCED,
};

struct lgd_ps_conf {
	uint8_t node_id[LG_SYNC_NODE_ID_LEN];
	uint64_t instance;		/* random per start */
	uint8_t role;			/* enum lg_sync_role */
	const char *sw_version;
	uint32_t queue_max;		/* 0: the defaults above */
	uint32_t window;
	uint32_t heartbeat_ms;
	uint32_t dead_ms;
	uint32_t ack_delay_ms;
	uint32_t ack_batch;
	uint32_t tomb_ms;
	uint32_t tomb_max;
	size_t out_high;
};

/*
 * What the session asks of the caller. key: a struct lg_binding with only
 * ifname, client_duid, ia_type and iaid meaning something.
 */
struct lgd_ps_ops {
	/*
	 * The local binding of key: 0 and its time, or -ENOENT. Its time
	 * is its last server transaction's, or for a binding the partner
	 * sent, the time apply_update() was given (the caller keeps it).
	 */
	int (*lookup)(void *priv, const struct lg_binding *key,
		      uint64_t *time_ms);
	/*
	 * The partner's binding, to make or replace: 0, or < 0 refused. With
	 * apply_flush, 0 may also mean held, for the kernel to answer in a
	 * batch: the conflict rule has chosen it all the same (our queued
	 * change of the key is dropped, a tombstone of it freed).
	 */
	int (*apply_update)(void *priv, const struct lg_binding *b,
			    uint64_t time_ms);
	/*
	 * Makes what apply_update() holds; returns how many of those were
	 * refused (counted as refused, not applied). Called before each ACK
	 * is written, so that the partner never drops from its queue what
	 * the kernel has not answered, and at the end of each
	 * lgd_ps_input(), each tick and a disconnection, so that nothing is
	 * held between two turns of the caller's loop. NULL: apply_update()
	 * holds nothing.
	 */
	int (*apply_flush)(void *priv);
	/*
	 * The partner's state of a binding it has as we do (the same server
	 * transaction): b->has_state, with b->state LG_BINDING_BOUND or
	 * LG_BINDING_RELEASING (b->release_reason). 1 ours changed, 0 it
	 * was so already, < 0 refused. A state that comes with newer leases
	 * goes to apply_update() in b instead. NULL: states are ignored.
	 */
	int (*apply_state)(void *priv, const struct lg_binding *b);
	/* The partner deleted key: 0 (or -ENOENT), or < 0 refused. */
	int (*apply_delete)(void *priv, const struct lg_binding *key,
			    uint8_t reason, uint64_t time_ms);
	/*
	 * Every local binding to fn, with its time; stops at fn's first
	 * error and returns it.
	 */
	int (*walk)(void *priv,
		    int (*fn)(void *arg, const struct lg_binding *b,
			      uint64_t time_ms),
		    void *arg);
	/* A line for the log, prio a syslog level. May be NULL. */
	void (*log)(void *priv, int prio, const char *msg);
};

struct lgd_ps_stats {
	uint64_t sent, received;	/* messages */
	uint64_t applied, refused;	/* the callbacks' verdicts */
	uint64_t conflicts_won;		/* the partner's older change ignored */
	uint64_t conflicts_lost;	/* ours superseded by a newer one */
	uint64_t duplicates;		/* seq already received */
	uint64_t gaps;			/* -> RESYNC */
	uint64_t resent;		/* unacknowledged, sent again */
	uint64_t bulks_sent, bulks_received;
	uint64_t overflows;		/* the queue dropped, a bulk owed */
	uint64_t malformed;		/* the connection closed for it */
	uint64_t unknown;		/* unknown types and attributes */
	uint64_t dead;			/* dead-interval passed */
	uint64_t tombs_dropped;		/* over tomb_max */
	size_t queue_len, queue_hwm;
	size_t tombs;
	uint64_t last_heartbeat_ms;	/* received; 0: none */
	uint64_t last_recv_ms;
};

struct lgd_ps;

struct lgd_ps *lgd_ps_new(const struct lgd_ps_conf *conf,
			  const struct lgd_ps_ops *ops, void *priv);
void lgd_ps_free(struct lgd_ps *s);

/*
 * Local changes, from the kernel's notifications: queued, never sent
 * here. time_ms is the server transaction's (an update) or the end's (a
 * delete). 0, -E2BIG (more leases than the protocol carries), -ENOMEM.
 */
int lgd_ps_local_update(struct lgd_ps *s, const struct lg_binding *b,
			uint8_t change, uint64_t time_ms);
int lgd_ps_local_delete(struct lgd_ps *s, const struct lg_binding *key,
			uint8_t reason, uint64_t time_ms);

/* The transport is up: HELLO goes out. */
void lgd_ps_connected(struct lgd_ps *s, uint64_t now);
/* It is gone: what was written and not taken is dropped; the queue stays. */
void lgd_ps_disconnected(struct lgd_ps *s);

/*
 * Bytes read from the transport: the whole messages in buf are handled,
 * the octets they took returned (the caller keeps the rest for the next
 * read); -EBADMSG (or another error of lg_sync_hdr_parse()) when the
 * stream is malformed: counted, the state is then LGD_PS_DOWN.
 */
ssize_t lgd_ps_input(struct lgd_ps *s, uint64_t now, const uint8_t *buf,
		     size_t len);
/* One decoded message (what lgd_ps_input() does for each). */
void lgd_ps_recv(struct lgd_ps *s, uint64_t now, const struct lg_sync_msg *m);

/*
 * Time passed: the queue written out, ACKs and heartbeats due, the dead
 * interval, tombstones. Returns when it wants to be called next (ms,
 * the same clock as now).
 */
uint64_t lgd_ps_tick(struct lgd_ps *s, uint64_t now);

/* What is to be written to the transport, and how much of it was. */
const uint8_t *lgd_ps_out(const struct lgd_ps *s, size_t *len);
void lgd_ps_out_consume(struct lgd_ps *s, size_t n);

/*
 * Our table changed without lgd_ps_local_update()/delete() told (the
 * kernel's notifications were lost): a bulk is owed, as after an
 * overflow; the queue goes when it is written.
 */
void lgd_ps_owe_bulk(struct lgd_ps *s);
/* Our role (enum lg_sync_role), for the next HELLO. */
void lgd_ps_set_role(struct lgd_ps *s, uint8_t role);
enum lgd_ps_state lgd_ps_state(const struct lgd_ps *s);
const char *lgd_ps_state_name(enum lgd_ps_state st);
const struct lgd_ps_stats *lgd_ps_stats(const struct lgd_ps *s);
/* The partner's HELLO (valid once state is past LGD_PS_HELLO). */
const struct lg_sync_hello *lgd_ps_peer(const struct lgd_ps *s);

#endif /* LGD_PARTNER_SESSION_H */
