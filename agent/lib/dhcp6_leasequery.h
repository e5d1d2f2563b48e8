/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * LEASEQUERY and LEASEQUERY-REPLY (RFC 5007): building and parsing, in
 * plain C with no allocation and no calls beyond memset, memcpy, memcmp and
 * strlen. leaseguardd builds queries and parses replies (RFC 7513 section
 * 7: a binding recovered on demand); the Kea hook (C++) parses queries and
 * builds replies, so the header is extern "C". Status codes, option codes
 * the two share and dr_status_name() are dhcp6_release.h's.
 *
 * Both messages use the client/server format (RFC 8415 section 8):
 * msg-type(1) transaction-id(3) options. What is encoded, in this order:
 *
 *   LEASEQUERY (14):
 *     CLIENTID (the requestor's), SERVERID (if given),
 *     LQ_QUERY: query-type(1) link-address(16), then
 *       QUERY_BY_ADDRESS:  IAADDR(addr, 0, 0)
 *       QUERY_BY_CLIENTID: CLIENTID(the client's)
 *       another type:      nothing (a server answers UnknownQueryType)
 *       and ORO (if given).
 *
 *   LEASEQUERY-REPLY (15):
 *     CLIENTID (the requestor's), SERVERID, STATUS_CODE (if given),
 *     CLIENT_DATA (if given): CLIENTID, each lease as an
 *       IAADDR(addr, preferred, valid) or an
 *       IAPREFIX(preferred, valid, plen, prefix), in the caller's order,
 *       then IA_NA/IA_PD(IAID, 0, 0, its leases) for the leases with an
 *       IAID (see "The IAs"), CLT_TIME (if given), LQ_RELAY_DATA (if given),
 *     LQ_CLIENT_LINK (if given): link-address(16)...
 *
 * RFC 5007 section 4.3.3: a reply has one Client Data, for one client on
 * one link; when a query by client-id with link-address 0::0 finds the
 * client on several links, the server sends LQ_CLIENT_LINK instead and the
 * requestor asks again per link. A Success with neither means: no binding.
 */
#ifndef LG_DHCP6_LEASEQUERY_H
#define LG_DHCP6_LEASEQUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp6_release.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Message types (RFC 5007 section 5). */
enum {
	LQ_MSG_LEASEQUERY = 14,
	LQ_MSG_LEASEQUERY_REPLY = 15,
};

/* Option codes (RFC 8415 section 21, RFC 5007 section 4.1.2). */
enum {
	LQ_OPT_ORO = 6,
	LQ_OPT_LQ_QUERY = 44,
	LQ_OPT_CLIENT_DATA = 45,	/* DR_OPT_CLIENT_DATA */
	LQ_OPT_CLT_TIME = 46,
	LQ_OPT_LQ_RELAY_DATA = 47,
	LQ_OPT_LQ_CLIENT_LINK = 48,
};

/* query-type (RFC 5007 section 4.1.2.1). */
enum {
	LQ_QUERY_BY_ADDRESS = 1,
	LQ_QUERY_BY_CLIENTID = 2,
};

#define LQ_MAX_ORO	8	/* option codes in a query's ORO */

/* A LEASEQUERY. Parsed: the dr_bytes point into the parsed buffer. */
struct lq_query {
	uint32_t xid;			/* 24 bits */
	struct dr_bytes client_id;	/* the requestor's DUID: required */
	struct dr_bytes server_id;	/* absent: any server */
	uint8_t query_type;		/* LQ_QUERY_BY_*, or another */
	uint8_t link_addr[16];		/* 0::0: unspecified */
	uint8_t addr[16];		/* QUERY_BY_ADDRESS: the IAADDR's */
	struct dr_bytes query_client_id; /* QUERY_BY_CLIENTID: the client's */
	uint8_t n_oro;			/* codes asked for (ORO in LQ_QUERY) */
	uint16_t oro[LQ_MAX_ORO];
};

/*
 * An IAADDR (prefix false, plen 128) or an IAPREFIX of a Client Data, and
 * the IAID of the IA_NA or IA_PD that holds it, when the server said (see
 * "The IAs" below).
 */
struct lq_lease {
	uint8_t addr[16];
	uint8_t plen;
	bool prefix;
	bool has_iaid;
	uint32_t iaid;
	uint32_t preferred;		/* seconds left, as the server says */
	uint32_t valid;
};

/* A LEASEQUERY-REPLY. Parsed: the dr_bytes point into the parsed buffer. */
struct lq_reply {
	uint32_t xid;
	struct dr_bytes client_id;	/* the requestor's */
	struct dr_bytes server_id;
	bool has_status;
	uint16_t status;
	/* Building, none (len 0) writes the status's name. */
	struct dr_bytes status_text;

	/* The Client Data: one client, on one link. */
	bool has_client;
	struct dr_bytes client_duid;	/* its CLIENTID: required in it */
	bool has_clt_time;
	uint32_t clt_time;		/* seconds since its last transaction */
	uint16_t n_leases;
	struct lq_lease *leases;	/* the caller's array ... */
	uint16_t max_leases;		/* ... of this many, for lq_parse_reply */
	/*
	 * LQ_RELAY_DATA (RFC 5007 4.1.2.4): the relay's peer-address and
	 * the relay message the server last got for the client; found in the
	 * Client Data or at the top, built in the Client Data. The relay
	 * message is not looked into.
	 */
	bool has_relay_data;
	uint8_t relay_peer[16];
	struct dr_bytes relay_msg;

	/* LQ_CLIENT_LINK: n_links link-addresses, 16 octets each. */
	uint16_t n_links;
	const uint8_t *links;
};

/*
 * Why a parse failed. leaseguardd counts them: append only.
 */
enum lq_err {
	LQ_OK = 0,
	LQ_ERR_SHORT,		/* shorter than msg-type and transaction-id */
	LQ_ERR_TYPE,		/* not the message type asked for */
	LQ_ERR_OPT_OVERRUN,	/* an option runs past its container */
	LQ_ERR_OPT_LEN,		/* an option's length is wrong for its code */
	LQ_ERR_DUID,		/* a DUID shorter than 3 or longer than 130 */
	LQ_ERR_PREFIX_LEN,	/* an IAPREFIX longer than 128 bits */
	LQ_ERR_DUPLICATE,	/* a singleton option twice in one container */
	LQ_ERR_TOO_MANY,	/* more leases than max_leases, ORO codes than
				   LQ_MAX_ORO */
	LQ_ERR_NO_CLIENT_ID,	/* a LEASEQUERY or a Client Data without
				   Client Identifier */
	LQ_ERR_NO_QUERY,	/* a LEASEQUERY without LQ_QUERY */
	LQ_ERR_NO_QUERY_DATA,	/* an LQ_QUERY by address without IAADDR, by
				   client-id without CLIENTID */
	LQ_ERR_COUNT
};

/*
 * The IAs. RFC 5007's Client Data carries a client's leases as bare
 * IAADDRs and IAPREFIXes, with no IAID, but leaseguard keys a binding by
 * DUID, IA type and IAID. A requestor that asks for OPTION_IA_NA (3) and
 * OPTION_IA_PD (25) in the LQ_QUERY's ORO (4.1.2.2: "other options specific
 * to the client and requested by the requestor in the OPTION_ORO") gets,
 * from leaseguard's Kea hook, each lease a second time in an IA_NA or IA_PD
 * (IAID, T1 0, T2 0, the leases) after the bare ones. A requestor that does
 * not ask, or does not know them, loses nothing: the bare leases are all
 * there.
 *
 * Parsing, a lease is identified by its kind, address and length: one met
 * again (bare or in an IA) is the same lease, with the lifetimes it first
 * had; one in an IA gets that IA's IAID (in two IAs of different IAIDs:
 * LQ_ERR_DUPLICATE); one only in an IA is a lease too. Building, every lease
 * is written bare, and those with has_iaid again in their IA, an IA per
 * kind and IAID, in the order of their first lease.
 */

/*
 * Encodes q into buf. Returns the length, or 0 when it is more than cap or
 * q cannot be parsed back: an xid over 24 bits, a client_id (required),
 * server_id (optional) or query_client_id (QUERY_BY_CLIENTID) outside
 * DR_DUID_MIN..MAX, n_oro over LQ_MAX_ORO. Another query_type is built with
 * no query-options. On 0, buf may hold part of a message.
 */
size_t lq_build_query(const struct lq_query *q, uint8_t *buf, size_t cap);

/*
 * Encodes r into buf. Returns the length, or 0 when it is more than cap or
 * r cannot be parsed back: an xid over 24 bits, a client_id, server_id or
 * (with has_client) client_duid outside DR_DUID_MIN..MAX (absent client_id
 * and server_id are left out), an IAADDR with plen other than 128, an
 * IAPREFIX with plen over 128, a Client Data or LQ_CLIENT_LINK longer than
 * an option can be, more than 255 IAs.
 */
size_t lq_build_reply(const struct lq_reply *r, uint8_t *buf, size_t cap);

/*
 * Parses the LEASEQUERY buf[0..len) into *q, pointing into buf.
 * - The message: type LQ_MSG_LEASEQUERY (LQ_ERR_TYPE); every option
 *   length checked against its container, at every level; CLIENTID
 *   (required: LQ_ERR_NO_CLIENT_ID), SERVERID, LQ_QUERY once each
 *   (LQ_ERR_DUPLICATE), DUIDs 3..130 (LQ_ERR_DUID). Other options skipped.
 * - Then the LQ_QUERY: missing, LQ_ERR_NO_QUERY; shorter than 17,
 *   LQ_ERR_OPT_LEN. QUERY_BY_ADDRESS needs one IAADDR (>= 24 octets, its
 *   options walked), QUERY_BY_CLIENTID one CLIENTID (3..130), else
 *   LQ_ERR_NO_QUERY_DATA; an ORO (even length, at most LQ_MAX_ORO codes)
 *   is kept. The query-options of another type are not looked into.
 * When the error is in (or is the lack of) the LQ_QUERY, *in_query is set
 * (if in_query is not NULL) and q's xid, client_id and server_id are good:
 * a server answers MalformedQuery. Otherwise, on error, *q must not be
 * used.
 */
enum lq_err lq_parse_query(const uint8_t *buf, size_t len,
			   struct lq_query *q, bool *in_query);

/*
 * Parses the LEASEQUERY-REPLY buf[0..len) into *r, pointing into buf.
 * r->leases and r->max_leases are the caller's and kept; the rest is
 * overwritten. On error *r holds what was parsed so far.
 * - Type LQ_MSG_LEASEQUERY_REPLY (LQ_ERR_TYPE); option lengths checked at
 *   every level, including the options inside IAADDR and IAPREFIX.
 * - At the top: CLIENTID, SERVERID, STATUS_CODE (>= 2), CLIENT_DATA,
 *   LQ_CLIENT_LINK (a non-zero multiple of 16) once each.
 * - In the Client Data: CLIENTID (required), CLT_TIME (exactly 4) once
 *   each; IAADDR (>= 24) and IAPREFIX (>= 25, plen <= 128) each a lease,
 *   more than max_leases LQ_ERR_TOO_MANY; IA_NA and IA_PD (>= 12) give
 *   their IAADDRs and IAPREFIXes an IAID (see "The IAs"; the other kind in
 *   an IA is skipped).
 * - LQ_RELAY_DATA (>= 16) once, in the Client Data or at the top.
 * - Other options are skipped, at every level.
 * The structure only: that client_id is the requestor's, server_id the
 * server asked, and the xid the query's is the caller's to check.
 */
enum lq_err lq_parse_reply(const uint8_t *buf, size_t len, struct lq_reply *r);

/* "ok", "short", "opt_overrun"...; "unknown" out of range. */
const char *lq_err_name(enum lq_err err);

#ifdef __cplusplus
}
#endif

#endif /* LG_DHCP6_LEASEQUERY_H */
