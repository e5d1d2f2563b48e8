/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A DHCPv6 message parser (RFC 8415) in plain C: no kernel or libc calls
 * beyond memset/memcpy, so that the same file builds into leaseguard.ko,
 * userspace unit tests and fuzz targets.
 *
 * dhcp6_parse() walks one UDP payload: RELAY-FORW/RELAY-REPL nesting down
 * to the client or server message inside, and the options leaseguard
 * snoops. It never allocates, never reads outside [buf, buf + len), and
 * points into buf rather than copying variable-length data: the result is
 * valid as long as buf is.
 */
#ifndef _LG_DHCP6_PARSE_H
#define _LG_DHCP6_PARSE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
#endif

#define DHCP6_CLIENT_PORT	546
#define DHCP6_SERVER_PORT	547

/* Message types (RFC 8415 section 7.3 and the IANA registry). */
enum dhcp6_msg_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_CONFIRM = 4,
	DHCP6_RENEW = 5,
	DHCP6_REBIND = 6,
	DHCP6_REPLY = 7,
	DHCP6_RELEASE = 8,
	DHCP6_DECLINE = 9,
	DHCP6_RECONFIGURE = 10,
	DHCP6_INFORMATION_REQUEST = 11,
	DHCP6_RELAY_FORW = 12,
	DHCP6_RELAY_REPL = 13,
	DHCP6_LEASEQUERY = 14,
	DHCP6_LEASEQUERY_REPLY = 15,
	DHCP6_LEASEQUERY_DONE = 16,
	DHCP6_LEASEQUERY_DATA = 17,
	DHCP6_DHCPV4_RESPONSE = 21,	/* RFC 7341 */
	DHCP6_ADDR_REG_REPLY = 37,	/* RFC 9686 */
};

/* Option codes. */
enum dhcp6_option {
	DHCP6_OPT_CLIENTID = 1,
	DHCP6_OPT_SERVERID = 2,
	DHCP6_OPT_IA_NA = 3,
	DHCP6_OPT_IA_TA = 4,
	DHCP6_OPT_IAADDR = 5,
	DHCP6_OPT_RELAY_MSG = 9,
	DHCP6_OPT_STATUS_CODE = 13,
	DHCP6_OPT_RAPID_COMMIT = 14,
	DHCP6_OPT_INTERFACE_ID = 18,
	DHCP6_OPT_IA_PD = 25,
	DHCP6_OPT_IAPREFIX = 26,
	DHCP6_OPT_RELAY_ID = 53,
	DHCP6_OPT_CLIENT_LINKLAYER_ADDR = 79,
};

enum dhcp6_status {
	DHCP6_STATUS_SUCCESS = 0,
	DHCP6_STATUS_UNSPEC_FAIL = 1,
	DHCP6_STATUS_NO_ADDRS_AVAIL = 2,
	DHCP6_STATUS_NO_BINDING = 3,
	DHCP6_STATUS_NOT_ON_LINK = 4,
	DHCP6_STATUS_USE_MULTICAST = 5,
	DHCP6_STATUS_NO_PREFIX_AVAIL = 6,
};

#define DHCP6_HOP_COUNT_LIMIT	8	/* RFC 8415 section 7.6 */
#define DHCP6_DUID_MAX		130	/* including the 2-octet type */
#define DHCP6_DUID_MIN		3	/* a type and at least one octet */
#define DHCP6_MAX_IAS		8	/* IAs kept per message */
#define DHCP6_MAX_LEASES	4	/* IAADDR/IAPREFIX kept per IA */

/*
 * Why a message was rejected. The order is part of leaseguard's uapi
 * counters (LG_STATS_A_DHCP6_*): append only.
 */
enum dhcp6_err {
	DHCP6_OK = 0,
	DHCP6_ERR_SHORT,	/* shorter than its fixed header */
	DHCP6_ERR_OPT_OVERRUN,	/* an option's length runs past its container */
	DHCP6_ERR_OPT_LEN,	/* an option's length is wrong for its code */
	DHCP6_ERR_DUID,		/* a DUID shorter than 3 or longer than 130 */
	DHCP6_ERR_PREFIX_LEN,	/* an IAPREFIX longer than 128 bits */
	DHCP6_ERR_DUPLICATE,	/* a singleton option twice in one container */
	DHCP6_ERR_HOPS,		/* relay nesting deeper than HOP_COUNT_LIMIT */
	DHCP6_ERR_NO_RELAY_MSG,	/* a relay message without a Relay Message */
	DHCP6_ERR_TYPE,		/* a relay message carries a wrong inner type */
	__DHCP6_ERR_MAX
};

/* A variable-length field: points into the parsed buffer. */
struct dhcp6_bytes {
	const u8 *data;
	u16 len;		/* 0: absent */
};

/* An IAADDR (plen 128) or an IAPREFIX. */
struct dhcp6_lease {
	u8 addr[16];
	u8 plen;
	u32 preferred;		/* seconds, host order */
	u32 valid;
	bool has_status;	/* a Status Code inside the IAADDR/IAPREFIX */
	u16 status;
};

struct dhcp6_ia {
	u16 type;		/* DHCP6_OPT_IA_NA or DHCP6_OPT_IA_PD */
	u32 iaid;
	u32 t1, t2;
	bool has_status;	/* a Status Code inside the IA */
	u16 status;
	u8 n_leases;
	bool leases_truncated;	/* more than DHCP6_MAX_LEASES were present */
	struct dhcp6_lease leases[DHCP6_MAX_LEASES];
};

/* One relay layer (RELAY-FORW or RELAY-REPL), outermost first. */
struct dhcp6_relay {
	u8 type;
	u8 hop_count;
	u8 link_addr[16];
	u8 peer_addr[16];
	struct dhcp6_bytes interface_id;
	struct dhcp6_bytes relay_id;
	u16 lladdr_type;	/* CLIENT_LINKLAYER_ADDR: hardware type */
	struct dhcp6_bytes lladdr;	/* and address (absent: len 0) */
};

/* The client or server message, inside any relay layers. */
struct dhcp6_msg {
	u8 type;
	u32 xid;		/* 24 bits */
	struct dhcp6_bytes client_id;	/* DUID */
	struct dhcp6_bytes server_id;	/* DUID */
	bool has_status;	/* a top-level Status Code */
	u16 status;
	bool rapid_commit;
	u8 n_ias;
	bool ias_truncated;	/* more than DHCP6_MAX_IAS were present */
	struct dhcp6_ia ias[DHCP6_MAX_IAS];
};

struct dhcp6_packet {
	u8 n_relays;
	struct dhcp6_relay relays[DHCP6_HOP_COUNT_LIMIT + 1];
	struct dhcp6_msg msg;
};

/*
 * Parses the UDP payload buf[0..len) into *pkt (which it overwrites
 * entirely). Returns DHCP6_OK or the reason the message is malformed; on
 * error *pkt holds what was parsed so far and must not be used.
 *
 * Rules:
 * - Every option length is checked against its container, at every level.
 * - Relay layers are walked iteratively; more than DHCP6_HOP_COUNT_LIMIT + 1
 *   layers is DHCP6_ERR_HOPS. A RELAY-FORW carrying a RELAY-REPL, or a
 *   RELAY-REPL carrying a RELAY-FORW, is DHCP6_ERR_TYPE. Any other inner
 *   type is parsed as a client/server message (so that message types
 *   assigned later, like the relay-initiated RELEASE-REQUEST, pass).
 * - CLIENTID, SERVERID, top-level STATUS_CODE, RAPID_COMMIT, RELAY_MSG,
 *   INTERFACE_ID, RELAY_ID, CLIENT_LINKLAYER_ADDR, and a STATUS_CODE inside
 *   an IA or IAADDR/IAPREFIX, may each appear once per container
 *   (DHCP6_ERR_DUPLICATE). Two IAs of the same type and IAID in one
 *   message are DHCP6_ERR_DUPLICATE too.
 * - DUIDs (CLIENTID, SERVERID, RELAY_ID) are 3..130 octets (DHCP6_ERR_DUID).
 * - Fixed-size options with a wrong length are DHCP6_ERR_OPT_LEN: IA_NA and
 *   IA_PD < 12, IAADDR < 24, IAPREFIX < 25, STATUS_CODE < 2, RAPID_COMMIT
 *   != 0, RELAY_MSG == 0, INTERFACE_ID == 0, CLIENT_LINKLAYER_ADDR < 3.
 * - IAPREFIX prefix-length > 128 is DHCP6_ERR_PREFIX_LEN.
 * - Unknown options are skipped; IA_TA is skipped; more IAs or leases than
 *   fit are counted in *_truncated, not an error.
 */
enum dhcp6_err dhcp6_parse(const u8 *buf, size_t len,
			   struct dhcp6_packet *pkt);

/* A name for each error, for logs and tests ("short", "opt_overrun"...). */
const char *dhcp6_err_name(enum dhcp6_err err);

#endif /* _LG_DHCP6_PARSE_H */
