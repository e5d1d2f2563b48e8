/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * RELEASE-REQUEST and RELEASE-REQUEST-REPLY
 * (draft-gandhewar-dhc-v6-relay-initiated-release-01, sections 3 and 4):
 * building and parsing, in plain C with no calls beyond memset, memcpy and
 * memcmp. leaseguardd builds requests and parses replies; the Kea hook
 * (C++) parses requests and builds replies, so the header is extern "C".
 *
 * Both messages use the client/server format (RFC 8415 section 8):
 * msg-type(1) transaction-id(3) options. The draft assigns no numbers, so
 * the message types are the caller's (configured) and dr_parse() only
 * records the first octet.
 *
 * What is encoded, in this order, each option only when given:
 *
 *   SERVERID, RELAY_ID, STATUS_CODE, INTERFACE_ID,
 *   CLIENT_DATA (RFC 5007) per client:
 *     CLIENTID, STATUS_CODE, INTERFACE_ID (only if it differs from the
 *     top-level one), then per IA:
 *       IA_NA: IAID, T1 0, T2 0, STATUS_CODE, IAADDR(addr, 0, 0)...
 *       IA_PD: IAID, T1 0, T2 0, STATUS_CODE, IAPREFIX(0, 0, plen, prefix)...
 *       IA_TA: IAID, STATUS_CODE, IAADDR(addr, 0, 0)...
 *     and, RFC 5007's layout, leases with no IA around them:
 *       IAADDR(addr, 0, 0, STATUS_CODE)..., IAPREFIX(0, 0, plen, prefix,
 *       STATUS_CODE)...
 *
 * leaseguardd sends IA_NA and IA_PD only, and parses with no DR_PARSE_
 * option: to it an IA_TA or a bare lease is DR_ERR_UNSUPPORTED. The Kea hook
 * parses requests with both options, and answers in the layout it got.
 *
 * A request has SERVERID, RELAY_ID and leases; a reply has SERVERID, the
 * statuses and no leases (draft 4.3: "No other options are included in the
 * IA option"). Which fields are set decides which message comes out.
 */
#ifndef LG_DHCP6_RELEASE_H
#define LG_DHCP6_RELEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Option codes (RFC 8415 section 21, RFC 5007, RFC 5460). */
enum {
	DR_OPT_CLIENTID = 1,
	DR_OPT_SERVERID = 2,
	DR_OPT_IA_NA = 3,
	DR_OPT_IA_TA = 4,
	DR_OPT_IAADDR = 5,
	DR_OPT_STATUS_CODE = 13,
	DR_OPT_INTERFACE_ID = 18,
	DR_OPT_IA_PD = 25,
	DR_OPT_IAPREFIX = 26,
	DR_OPT_CLIENT_DATA = 45,	/* RFC 5007 */
	DR_OPT_RELAY_ID = 53,		/* RFC 5460 */
};

/*
 * Status codes: the IANA "DHCPv6 Status Codes" registry. 0-6 are RFC 8415
 * (section 21.13), 7-10 RFC 5007 (Leasequery), 11 RFC 5460. The draft
 * uses NotConfigured and NotAllowed (section 4.3) without assigning them:
 * they are RFC 5007's 9 and 10, as in Kea's and ISC dhcpd's dhcp6.h.
 */
enum {
	DR_STATUS_SUCCESS = 0,
	DR_STATUS_UNSPEC_FAIL = 1,
	DR_STATUS_NO_ADDRS_AVAIL = 2,
	DR_STATUS_NO_BINDING = 3,
	DR_STATUS_NOT_ON_LINK = 4,
	DR_STATUS_USE_MULTICAST = 5,
	DR_STATUS_NO_PREFIX_AVAIL = 6,
	DR_STATUS_UNKNOWN_QUERY_TYPE = 7,
	DR_STATUS_MALFORMED_QUERY = 8,
	DR_STATUS_NOT_CONFIGURED = 9,
	DR_STATUS_NOT_ALLOWED = 10,
	DR_STATUS_QUERY_TERMINATED = 11,
};

#define DR_DUID_MIN		3	/* a type and one octet */
#define DR_DUID_MAX		130	/* RFC 8415 section 11.1 */
#define DR_MAX_CLIENT_IAS	4	/* IA_NA and IA_PD kept per client */
#define DR_MAX_IA_LEASES	8	/* IAADDR or IAPREFIX kept per IA */

/* A variable-length field. Parsed: it points into the parsed buffer. */
struct dr_bytes {
	const uint8_t *data;
	uint16_t len;			/* 0: absent */
};

/* An IAADDR (plen 128) or an IAPREFIX. Lifetimes are always 0 here. */
struct dr_lease {
	uint8_t addr[16];
	uint8_t plen;
	bool has_status;		/* bare leases only (replies): */
	uint16_t status;		/* the Status Code inside the lease */
};

/*
 * An IA, or the leases a Client Data carries with no IA around them (RFC
 * 5007 section 4.1.2.2's layout, DR_PARSE_BARE_LEASES): type DR_OPT_IAADDR
 * or DR_OPT_IAPREFIX, iaid 0, no status of its own, at least one lease;
 * one such group per type in a client, where its first lease was. Each
 * bare lease has its own status (struct dr_lease); a lease in an IA has
 * none (the IA's applies, and a Status Code in it is skipped).
 */
struct dr_ia {
	uint16_t type;			/* DR_OPT_IA_NA, _IA_PD, _IA_TA, or
					   _IAADDR, _IAPREFIX (no IA) */
	uint32_t iaid;
	uint8_t n_leases;
	struct dr_lease leases[DR_MAX_IA_LEASES];
	bool has_status;		/* replies */
	uint16_t status;
};

/* One Client Data option. */
struct dr_client {
	struct dr_bytes duid;		/* Client Identifier: required */
	struct dr_bytes ifid;		/* absent: the top-level one applies */
	uint8_t n_ias;			/* none: all of the client's leases */
	struct dr_ia ias[DR_MAX_CLIENT_IAS];
	bool has_status;		/* replies */
	uint16_t status;
};

/* A RELEASE-REQUEST or a RELEASE-REQUEST-REPLY. */
struct dr_msg {
	uint8_t type;
	uint32_t xid;			/* 24 bits */
	struct dr_bytes server_id;
	struct dr_bytes relay_id;
	struct dr_bytes ifid;		/* common to all clients */
	bool has_status;		/* the top-level Status Code */
	uint16_t status;
	/*
	 * Its message text. Building, none (len 0) writes the status's name:
	 * a reply's one status a human reads in a capture. Statuses of clients
	 * and IAs are built with no text (RFC 8415 21.13 allows it), so that
	 * a reply stays small and rebuilding a parsed message never grows an
	 * option past 65535 octets.
	 */
	struct dr_bytes status_text;
	uint16_t n_clients;
	struct dr_client *clients;	/* the caller's array ... */
	uint16_t max_clients;		/* ... of this many, for dr_parse() */
	uint8_t parse_flags;		/* DR_PARSE_*, for dr_parse(): kept */
};

/*
 * What dr_parse() accepts beyond IA_NA and IA_PD (m->parse_flags; none by
 * default, DR_ERR_UNSUPPORTED). dr_build() writes them whatever the flags.
 */
#define DR_PARSE_IA_TA		0x01	/* IA_TA, with IAADDRs */
#define DR_PARSE_BARE_LEASES	0x02	/* IAADDR/IAPREFIX in a Client Data */

/*
 * Encodes m into buf. Returns the length, or 0 when it is more than cap
 * or when m is not something dr_parse() accepts (with every DR_PARSE_
 * option): a type of RELAY-FORW or RELAY-REPL, an xid over 24 bits, a DUID
 * outside DR_DUID_MIN..MAX (the client's is required), more than DR_MAX_*
 * IAs or leases, an IA type other than those of struct dr_ia, two IAs of
 * one type and IAID in a client, a bare lease group with no lease, an
 * iaid or a status of its own, an IA_NA, IA_TA or IAADDR lease with plen != 128, an IA_PD or
 * IAPREFIX one with plen > 128, or a
 * Client Data longer than an option can be. On 0, buf may hold part of a
 * message. Parsing what it built gives m back, but for a client's ifid
 * equal to m->ifid (not written: absent when parsed) and for an absent
 * top-level status_text (the status's name when parsed).
 */
size_t dr_build(const struct dr_msg *m, uint8_t *buf, size_t cap);

/*
 * How many of m's clients, from the first, fit with m's top-level options
 * in cap octets; dr_build() of that many then succeeds. 0 when not even
 * the first fits or it cannot be encoded. To batch to a path MTU:
 *
 *	struct dr_msg b = *m;
 *	for (i = 0; i < m->n_clients; i += b.n_clients) {
 *		b.clients = m->clients + i;
 *		b.n_clients = m->n_clients - i;
 *		b.n_clients = dr_fit(&b, mtu - 48);
 *		if (!b.n_clients)
 *			break;		(that client is too big or malformed)
 *		len = dr_build(&b, buf, mtu - 48);
 *		...
 *	}
 */
uint16_t dr_fit(const struct dr_msg *m, size_t cap);

/*
 * Why dr_parse() rejected a message. leaseguardd counts them: append only.
 */
enum dr_err {
	DR_OK = 0,
	DR_ERR_SHORT,		/* shorter than msg-type and transaction-id */
	DR_ERR_OPT_OVERRUN,	/* an option runs past its container */
	DR_ERR_OPT_LEN,		/* an option's length is wrong for its code */
	DR_ERR_DUID,		/* a DUID shorter than 3 or longer than 130 */
	DR_ERR_PREFIX_LEN,	/* an IAPREFIX longer than 128 bits */
	DR_ERR_DUPLICATE,	/* a singleton option twice in one container */
	DR_ERR_TOO_MANY,	/* more clients, IAs or leases than kept */
	DR_ERR_TYPE,		/* RELAY-FORW/REPL, not client/server format */
	DR_ERR_NO_CLIENT_ID,	/* a Client Data without a Client Identifier */
	DR_ERR_UNSUPPORTED,	/* a lease outside IA_NA/IA_PD, or an IA_TA */
	DR_ERR_COUNT
};

/*
 * Parses buf[0..len) into *m, pointing into buf. m->clients and
 * m->max_clients are the caller's and kept; the rest is overwritten. On
 * error *m holds what was parsed so far and must not be used.
 *
 * This checks structure, not the draft's validation (3.2.1, 3.2.2): a
 * message without Server-Id, Relay-Id, Client Data or Status Code parses.
 * - Every option length is checked against its container, at every level,
 *   including the options inside IAADDR and IAPREFIX (which are skipped).
 * - SERVERID, RELAY_ID, INTERFACE_ID, STATUS_CODE at the top; CLIENTID,
 *   INTERFACE_ID, STATUS_CODE in a Client Data; STATUS_CODE in an IA: once
 *   each (DR_ERR_DUPLICATE), as is an IA's type and IAID in one client.
 * - Lengths: IA_NA/IA_PD >= 12, IA_TA >= 4, IAADDR >= 24, IAPREFIX >= 25
 *   (plen <= 128, else DR_ERR_PREFIX_LEN), STATUS_CODE >= 2, INTERFACE_ID
 *   >= 1, DUIDs 3..130 (DR_ERR_DUID).
 * - More than max_clients Client Data, DR_MAX_CLIENT_IAS IAs in one or
 *   DR_MAX_IA_LEASES leases in an IA is DR_ERR_TOO_MANY: nothing is
 *   dropped quietly.
 * - In a Client Data, an IA_TA (unless m->parse_flags has DR_PARSE_IA_TA),
 *   an IAADDR/IAPREFIX directly in it (unless DR_PARSE_BARE_LEASES), or an
 *   IAADDR/IAPREFIX in an IA of the other kind (IAPREFIX in IA_NA or
 *   IA_TA, IAADDR in IA_PD) is DR_ERR_UNSUPPORTED: skipped, it would turn
 *   a release of some leases into one of all of them. At the top level,
 *   where they name no client, they are skipped like any option.
 * - Bare leases are grouped by type (struct dr_ia); more than
 *   DR_MAX_IA_LEASES of a type is DR_ERR_TOO_MANY, a Status Code twice in
 *   one lease DR_ERR_DUPLICATE. Building writes them where the group is.
 * - Other options are skipped, at every level.
 */
enum dr_err dr_parse(const uint8_t *buf, size_t len, struct dr_msg *m);

/* "ok", "short", "opt_overrun"...; "unknown" out of range. */
const char *dr_err_name(enum dr_err err);

/* "Success", "NoBinding", "NotAllowed"...; "unknown" for others. */
const char *dr_status_name(uint16_t status);

/* Draft 4.4: these two clear the binding; any other status keeps it. */
bool dr_is_success_or_nobinding(uint16_t status);

/*
 * The status that applies to ia of client c (either may be NULL): the
 * innermost Status Code present (draft 3.1.2). False if there is none.
 */
bool dr_status_of(const struct dr_msg *m, const struct dr_client *c,
		  const struct dr_ia *ia, uint16_t *status);

/* The Interface-Id that applies to c: its own, else the message's. */
const struct dr_bytes *dr_client_ifid(const struct dr_msg *m,
				      const struct dr_client *c);

#ifdef __cplusplus
}
#endif

#endif /* LG_DHCP6_RELEASE_H */
