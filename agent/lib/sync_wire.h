/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The partner protocol: what two leaseguardd of a failover pair say to
 * each other, inside their TLS 1.3 channel. This header is its manual; the
 * codec (sync_wire.c) is plain C with no I/O and no allocation.
 *
 * Every message is a 16-octet header, then its payload; all integers are
 * in network byte order:
 *
 *   0      1      2             4                           8
 *   +------+------+-------------+---------------------------+
 *   | ver  | type |   flags     |          length           |
 *   +------+------+-------------+---------------------------+
 *   |                        seq (u64)                      |
 *   +-------------------------------------------------------+
 *
 *   ver     LG_SYNC_VERSION (1); another: malformed.
 *   type    enum lg_sync_msg_type.
 *   flags   0 when sent; ignored on receive (reserved).
 *   length  of the payload, 0..LG_SYNC_MSG_MAX; more: malformed.
 *   seq     sequenced messages (UPDATE, DELETE, BULK_BEGIN, BULK_END)
 *           count from 1, +1 each, per direction; the others carry 0.
 *           A known type with the wrong kind of seq is malformed.
 *
 * The payload is a list of attributes, each
 *
 *   u16 type | u16 length (of the value) | value | 0..3 zero octets
 *
 * padding the next attribute to a multiple of 4 octets from the payload's
 * start (a nest's value is itself such a list). Attribute numbers are one
 * space, enum lg_sync_attr_type; every attribute has a policy (its kind and
 * length, or the range of its value) that holds wherever it appears.
 *
 * Rules on receive:
 * - A message of an unknown type is skipped whole and counted (its
 *   header still has to be good). An unknown attribute is skipped and
 *   counted; one a message does not use is checked against its policy
 *   and ignored.
 * - Malformed, and the connection is closed (and counted): a bad header;
 *   an attribute (or its padding) that overruns its payload or nest; a
 *   value of the wrong length or out of range; a single attribute twice;
 *   a required one missing; more than LG_SYNC_MAX_LEASES leases.
 *
 * The messages (R: required, O: optional):
 *
 * LG_SYNC_MSG_HELLO (unsequenced): sent first by both sides.
 *   NODE_ID R, SW_VERSION R, ROLE R, RECV_SEQ R (0: none received yet,
 *   send a bulk), INSTANCE R.
 * LG_SYNC_MSG_UPDATE (sequenced): a binding was made or changed.
 *   BINDING R (every attribute of a binding below), CHANGE R, TIME R (the
 *   server transaction's, which decides a conflict: newest wins).
 * LG_SYNC_MSG_DELETE (sequenced): a binding ended.
 *   BINDING R (its key only: IFNAME, CLIENT_DUID, IA_TYPE, IAID),
 *   REASON R, TIME R (when it ended).
 * LG_SYNC_MSG_ACK (unsequenced): RECV_SEQ R, the highest seq received in
 *   order.
 * LG_SYNC_MSG_HEARTBEAT (unsequenced): empty; after 0.5 s of silence.
 * LG_SYNC_MSG_BULK_BEGIN (sequenced): empty; a full table follows as
 *   UPDATEs, with the DELETEs the partner has not acknowledged among them
 *   (a queue dropped on overflow loses no deletion).
 * LG_SYNC_MSG_BULK_END (sequenced): COUNT R, the UPDATEs in the bulk.
 * LG_SYNC_MSG_RESYNC (unsequenced): empty; "send me everything" (a gap
 *   that cannot be filled).
 *
 * A binding (LG_SYNC_A_BINDING), as struct lg_binding holds it:
 *   IFNAME R, CLIENT_DUID R, IA_TYPE R, IAID R, CLIENT_LLADDR R,
 *   SERVER_ADDR R, CLIENT_MAC O, SERVER_DUID O, INTERFACE_ID O,
 *   CREATED O, RELEASING O, LEASE R 1..LG_SYNC_MAX_LEASES times:
 *     ADDR R, PLEN R, PREFERRED R, VALID R.
 * The interface is named, not numbered (ifindexes differ between the
 * routers); the lifetimes are what is left of the lease when sent.
 *
 * RELEASING (added after the first release of the protocol, hence
 * optional) is the binding's state: 0 bound, else LG_BINDING_RELEASING
 * with that enum lg_release_reason: a relay-initiated release the sender
 * has asked for and not finished, which a new MASTER must send again.
 * Absent: the sender does not say (an older partner); the receiver keeps
 * its copy's state as it is. A reason the receiver does not know (a
 * newer partner's) is still a release: decoded as LG_RELEASE_ADMIN and
 * counted with the unknown attributes, since the release matters and the
 * reason only informs. Only a binding's UPDATE (or bulk) reads it: in a
 * DELETE's key it is checked and ignored. Its state change is not a
 * server transaction: an UPDATE that only says RELEASING (or 0 again)
 * carries the binding's TIME unchanged.
 */
#ifndef LG_SYNC_WIRE_H
#define LG_SYNC_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "binding.h"

#define LG_SYNC_VERSION		1
#define LG_SYNC_HDR_LEN		16
#define LG_SYNC_MSG_MAX		(65536 - LG_SYNC_HDR_LEN)	/* payload */
#define LG_SYNC_NODE_ID_LEN	16
#define LG_SYNC_SW_VERSION_MAX	64
#define LG_SYNC_IFID_MAX	32	/* the module's LG_IFID_MAX */
#define LG_SYNC_MAX_LEASES	4	/* LG_BINDING_MAX_LEASES */

enum lg_sync_msg_type {
	LG_SYNC_MSG_HELLO = 1,
	LG_SYNC_MSG_UPDATE,
	LG_SYNC_MSG_DELETE,
	LG_SYNC_MSG_ACK,
	LG_SYNC_MSG_HEARTBEAT,
	LG_SYNC_MSG_BULK_BEGIN,
	LG_SYNC_MSG_BULK_END,
	LG_SYNC_MSG_RESYNC,

	__LG_SYNC_MSG_MAX
};
#define LG_SYNC_MSG_TYPE_MAX (__LG_SYNC_MSG_MAX - 1)

/*
 * Attributes: kind, and length or range; u8..u64 are exactly 1..8 octets.
 * Numbers never change meaning; new ones are added at the end.
 */
enum lg_sync_attr_type {
	LG_SYNC_A_UNSPEC,
	LG_SYNC_A_NODE_ID,	/* 16 octets, stable per node (node-id) */
	LG_SYNC_A_SW_VERSION,	/* 1..64 octets of text, no NUL */
	LG_SYNC_A_ROLE,		/* u8, enum lg_sync_role */
	LG_SYNC_A_RECV_SEQ,	/* u64: the last seq received from the peer */
	LG_SYNC_A_INSTANCE,	/* u64: random per start of the sender */
	LG_SYNC_A_BINDING,	/* nest: a binding, or its key */
	LG_SYNC_A_CHANGE,	/* u8, enum lg_sync_change */
	LG_SYNC_A_TIME,		/* u64: ms since the epoch (UTC) */
	LG_SYNC_A_IFNAME,	/* 1..15 octets, no NUL: the access interface */
	LG_SYNC_A_CLIENT_DUID,	/* 3..130 octets */
	LG_SYNC_A_IA_TYPE,	/* u8: 1 IA_NA, 2 IA_PD (enum lg_ia_type) */
	LG_SYNC_A_IAID,		/* u32 */
	LG_SYNC_A_CLIENT_LLADDR, /* 16 octets: the client's link-local */
	LG_SYNC_A_CLIENT_MAC,	/* 6 octets */
	LG_SYNC_A_SERVER_ADDR,	/* 16 octets: the server's address */
	LG_SYNC_A_SERVER_DUID,	/* 3..130 octets */
	LG_SYNC_A_INTERFACE_ID,	/* 1..32 octets: the relay's Interface-Id */
	LG_SYNC_A_CREATED,	/* u64: s since the epoch (UTC) */
	LG_SYNC_A_LEASE,	/* nest: an address or a delegated prefix */
	LG_SYNC_A_ADDR,		/* 16 octets */
	LG_SYNC_A_PLEN,		/* u8, 1..128: 128 for an address */
	LG_SYNC_A_PREFERRED,	/* u32: s left, 0xffffffff infinite */
	LG_SYNC_A_VALID,	/* u32: s left, 1..0xffffffff, >= PREFERRED */
	LG_SYNC_A_REASON,	/* u8, enum lg_sync_del_reason */
	LG_SYNC_A_COUNT,	/* u32 */
	LG_SYNC_A_RELEASING,	/* u8: 0 bound, else enum lg_release_reason */

	__LG_SYNC_A_MAX
};
#define LG_SYNC_A_MAX (__LG_SYNC_A_MAX - 1)

enum lg_sync_role {
	LG_SYNC_ROLE_UNKNOWN,
	LG_SYNC_ROLE_MASTER,
	LG_SYNC_ROLE_BACKUP,
};

/* "master", "backup" or "unknown". */
const char *lg_sync_role_name(uint8_t role);

enum lg_sync_change {
	LG_SYNC_CHANGE_NEW = 1,
	LG_SYNC_CHANGE_UPDATE,
};

enum lg_sync_del_reason {
	LG_SYNC_DEL_RELEASED = 1,
	LG_SYNC_DEL_EXPIRED,
	LG_SYNC_DEL_DECLINED,
	LG_SYNC_DEL_ADMIN,
	LG_SYNC_DEL_RELAY_RELEASE,
};

/* ---- The codec --------------------------------------------------------- */

struct lg_sync_hdr {
	uint8_t version;
	uint8_t type;
	uint16_t flags;
	uint32_t len;			/* of the payload */
	uint64_t seq;
};

/* Whether messages of a type carry a seq (unknown types: false). */
bool lg_sync_sequenced(uint8_t type);

void lg_sync_hdr_put(uint8_t out[LG_SYNC_HDR_LEN], const struct lg_sync_hdr *h);
/*
 * The header at buf (len octets read so far): 0, -EAGAIN for fewer than 16
 * octets, -EPROTO for another version, -EMSGSIZE for a length over
 * LG_SYNC_MSG_MAX, -EBADMSG for a known type's wrong kind of seq.
 */
int lg_sync_hdr_parse(const uint8_t *buf, size_t len, struct lg_sync_hdr *h);
/*
 * A whole message at the start of a stream's buf: its total length (header
 * and payload), -EAGAIN when buf holds less of it, or an error of
 * lg_sync_hdr_parse().
 */
ssize_t lg_sync_frame_len(const uint8_t *buf, size_t len);

/*
 * The writer: appends into buf[0..cap) and never past it. Once something
 * did not fit, overflow is set and nothing more is written.
 */
struct lg_sync_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
	size_t msg;			/* where the open message starts */
	bool overflow;
};

void lg_sync_writer_init(struct lg_sync_writer *w, uint8_t *buf, size_t cap);
/* Opens a message; lg_sync_msg_end() writes its length. */
void lg_sync_msg_begin(struct lg_sync_writer *w, uint8_t type, uint64_t seq);
/* The message's total length, or -EMSGSIZE (overflow, or too long). */
ssize_t lg_sync_msg_end(struct lg_sync_writer *w);
void lg_sync_put(struct lg_sync_writer *w, uint16_t type, const void *v,
		 size_t len);
void lg_sync_put_u8(struct lg_sync_writer *w, uint16_t type, uint8_t v);
void lg_sync_put_u16(struct lg_sync_writer *w, uint16_t type, uint16_t v);
void lg_sync_put_u32(struct lg_sync_writer *w, uint16_t type, uint32_t v);
void lg_sync_put_u64(struct lg_sync_writer *w, uint16_t type, uint64_t v);
/* A nest: what nest_begin() returns goes to nest_end(). */
size_t lg_sync_nest_begin(struct lg_sync_writer *w, uint16_t type);
void lg_sync_nest_end(struct lg_sync_writer *w, size_t start);

/* The parser: an attribute's policy, by type. */
enum lg_sync_kind {
	LG_SYNC_K_NONE,			/* unknown: skipped and counted */
	LG_SYNC_K_U8,			/* min..max: the value's range */
	LG_SYNC_K_U16,
	LG_SYNC_K_U32,
	LG_SYNC_K_U64,
	LG_SYNC_K_BIN,			/* exactly max octets */
	LG_SYNC_K_BINMAX,		/* min..max octets */
	LG_SYNC_K_STRING,		/* min..max octets, none of them NUL */
	LG_SYNC_K_NEST,			/* 0..max octets, checked when read */
	LG_SYNC_K_MULTI = 0x80,		/* or'ed: may appear more than once */
};

struct lg_sync_policy {
	uint8_t kind;
	uint32_t min, max;		/* 0, 0 for an integer: any */
};

/* An attribute seen by the parser: its first value and how often. */
struct lg_sync_attr {
	const uint8_t *val;		/* NULL: absent */
	uint16_t len;
	uint16_t n;
};

/*
 * Checks every attribute of payload p (len octets) against pol[0..max];
 * fills tb[0..max] (zeroed first), adds unknown ones to *unknown. 0 or
 * -EBADMSG, *why (may be NULL) then saying what.
 */
int lg_sync_attrs_parse(const uint8_t *p, size_t len,
			const struct lg_sync_policy *pol, unsigned int max,
			struct lg_sync_attr *tb, unsigned int *unknown,
			const char **why);
extern const struct lg_sync_policy lg_sync_policy[LG_SYNC_A_MAX + 1];

uint8_t lg_sync_get_u8(const struct lg_sync_attr *a);
uint16_t lg_sync_get_u16(const struct lg_sync_attr *a);
uint32_t lg_sync_get_u32(const struct lg_sync_attr *a);
uint64_t lg_sync_get_u64(const struct lg_sync_attr *a);

/* ---- Messages ---------------------------------------------------------- */

struct lg_sync_hello {
	uint8_t node_id[LG_SYNC_NODE_ID_LEN];
	char sw_version[LG_SYNC_SW_VERSION_MAX + 1];
	uint8_t role;			/* enum lg_sync_role */
	uint64_t recv_seq;
	uint64_t instance;
};

/*
 * One message, decoded or to encode. Which members mean something goes by
 * hdr.type; a decoded message has them all zeroed first.
 *
 * A decoded UPDATE's binding b: ifname, client_duid, ia_type, iaid,
 * client_lladdr and server_addr set (their has_ true), client_mac,
 * server_duid, interface_id and created if sent, each lease with has_plen,
 * has_preferred and has_valid true; with RELEASING, has_state and state
 * (LG_BINDING_BOUND or LG_BINDING_RELEASING, then has_release_reason and
 * release_reason too); id, ifindex and the others 0.
 * Its pointers are not its own (never lg_binding_free() it):
 *   b.leases       points to this struct's leases[], so it stays right
 *                  while this struct lives and is not copied or moved;
 *   b.interface_id points into the parsed buffer, valid while that buffer
 *                  is (NULL when absent).
 * A decoded DELETE's b has only its key (ifname, client_duid, ia_type,
 * iaid) and no pointer.
 *
 * To encode, b is any struct lg_binding (lg_binding_parse()'s, or one
 * filled by hand): the same fields are sent, ifname included (ifindex is
 * not); a lease without has_plen is an address (128), without
 * has_preferred its preferred is its valid; has_valid is required. With
 * has_state, RELEASING says the state: 0 for LG_BINDING_BOUND, the
 * release_reason for LG_BINDING_RELEASING (LG_RELEASE_ADMIN without
 * has_release_reason); another state is not sent.
 */
struct lg_sync_msg {
	struct lg_sync_hdr hdr;
	bool unknown_type;		/* decoded: payload skipped */
	unsigned int unknown_attrs;	/* decoded: skipped */
	struct lg_sync_hello hello;	/* HELLO */
	struct lg_binding b;		/* UPDATE, DELETE */
	uint8_t change;			/* UPDATE: enum lg_sync_change */
	uint8_t reason;			/* DELETE: enum lg_sync_del_reason */
	uint64_t time_ms;		/* UPDATE, DELETE */
	uint64_t recv_seq;		/* ACK */
	uint32_t count;			/* BULK_END */
	struct lg_lease leases[LG_SYNC_MAX_LEASES];
};

/*
 * Encodes m (hdr.type and hdr.seq; length and version are the codec's)
 * into buf[0..cap): the message's length, -EMSGSIZE when it does not fit,
 * -EINVAL when m cannot be sent (an unknown type, a wrong kind of seq, a
 * binding without a key field or lease, too many leases, a length out of
 * its policy).
 */
ssize_t lg_sync_build(const struct lg_sync_msg *m, uint8_t *buf, size_t cap);
/*
 * Decodes the message at the start of buf (len octets; what follows it is
 * not read) into m: 0, an error of lg_sync_hdr_parse() or -EAGAIN when
 * buf holds less than the whole message, or
 * -EBADMSG for a malformed payload, *why (may be NULL) then saying what.
 * An unknown type is 0 with m->unknown_type set.
 */
int lg_sync_parse(const uint8_t *buf, size_t len, struct lg_sync_msg *m,
		  const char **why);

const char *lg_sync_msg_name(uint8_t type);

#endif /* LG_SYNC_WIRE_H */
