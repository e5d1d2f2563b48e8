/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * IGMP (RFC 1112, 2236, 3376) and MLD (RFC 2710, 3810) messages as the
 * router side of an access interface hears them, in plain C: no kernel or
 * libc calls beyond memset/memcpy/memcmp, so that the same file builds
 * into leaseguard.ko, userspace unit tests and fuzz targets.
 *
 * mc_parse_igmp() and mc_parse_mld() check one whole message (every
 * length, the checksum, every record) before anything is used, and
 * describe it as a list of group records. Reports of the older versions
 * become the record a version 3 (MLDv2) router would derive from them
 * (RFC 3376 section 7.3.2, RFC 3810 section 8.3.2): a v1/v2 report is
 * IS_EX({}) and a v2 leave (MLDv1 done) is TO_IN({}). Addresses are
 * 16 octets for both families: IPv4 ones are IPv4-mapped (::ffff:a.b.c.d),
 * so that the state above works on one address type. Nothing is
 * allocated and nothing outside [buf, buf + len) is read; records point
 * into buf.
 */
#ifndef _LG_MCAST_PARSE_H
#define _LG_MCAST_PARSE_H

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

#define MC_ADDR_LEN		16

/* IGMP message types (IANA "IGMP Type Numbers"). */
#define IGMP_T_QUERY		0x11
#define IGMP_T_V1_REPORT	0x12
#define IGMP_T_V2_REPORT	0x16
#define IGMP_T_V2_LEAVE		0x17
#define IGMP_T_V3_REPORT	0x22

/* ICMPv6 types of MLD. */
#define MLD_T_QUERY		130
#define MLD_T_V1_REPORT		131
#define MLD_T_V1_DONE		132
#define MLD_T_V2_REPORT		143

/*
 * Group record types: the values of IGMPv3 and MLDv2 (RFC 3376 section
 * 4.2.12, RFC 3810 section 5.2.12).
 */
enum mc_rec_type {
	MC_IS_IN = 1,		/* MODE_IS_INCLUDE */
	MC_IS_EX = 2,		/* MODE_IS_EXCLUDE */
	MC_TO_IN = 3,		/* CHANGE_TO_INCLUDE_MODE */
	MC_TO_EX = 4,		/* CHANGE_TO_EXCLUDE_MODE */
	MC_ALLOW = 5,		/* ALLOW_NEW_SOURCES */
	MC_BLOCK = 6,		/* BLOCK_OLD_SOURCES */
};

enum mc_family {
	MC_IGMP = 4,
	MC_MLD = 6,
};

/* What the message is. */
enum mc_msg_kind {
	MC_MSG_REPORT = 1,	/* carries records: v1, v2 or v3 report */
	MC_MSG_LEAVE,		/* IGMPv2 leave, MLDv1 done: one TO_IN({}) */
	MC_MSG_QUERY,		/* any query: a subscriber has no business */
};

/*
 * Why a message is refused; each has a counter (LG_STATS_A_MC_MALFORMED_*).
 * 0 is success.
 */
enum mc_err {
	MC_OK = 0,
	MC_ERR_SHORT,		/* shorter than its fixed part */
	MC_ERR_CSUM,		/* checksum does not verify */
	MC_ERR_TYPE,		/* not a type listed above */
	MC_ERR_RECORD,		/* a record (a query's sources) overruns */
	MC_ERR_GROUP,		/* group is not a multicast address */
	MC_ERR_SOURCE,		/* a source is multicast, unspecified... */

	__MC_ERR_MAX
};

/* A parsed message. */
struct mc_msg {
	u8 family;		/* enum mc_family */
	u8 kind;		/* enum mc_msg_kind */
	u8 version;		/* IGMP 1..3, MLD 1..2: of the message */
	u8 type;		/* the IGMP or ICMPv6 type */
	/* Valid records, unknown types included; 1 if older, 0 in queries. */
	u16 n_records;
	/* The records, for mc_record_next(). */
	const u8 *records;	/* v3/MLDv2: the first record; else NULL */
	u32 records_len;	/* up to the last record's end, not beyond */
	/*
	 * Older versions: the group of the one derived record. Queries:
	 * the group asked about, unchecked (0.0.0.0 or :: when general).
	 */
	u8 group[MC_ADDR_LEN];
};

/* One group record; sources point into the message (4 or 16 octets each). */
struct mc_record {
	u8 type;		/* enum mc_rec_type, or unknown: skip it */
	u16 n_sources;
	u8 group[MC_ADDR_LEN];	/* IPv4-mapped for IGMP */
	const u8 *sources;	/* n_sources addresses of the family's size */
};

struct mc_iter {
	u32 off;		/* into mc_msg.records */
	u16 index;
};

/*
 * An IGMP message: the IPv4 payload, whole. @m is zeroed first and
 * partly filled on error (family, and often kind and type): only the
 * return value is to be trusted then.
 */
enum mc_err mc_parse_igmp(const u8 *buf, u32 len, struct mc_msg *m);

/*
 * An MLD message: the ICMPv6 message, whole, with the IPv6 source and
 * destination for the checksum's pseudo-header. @m as above.
 */
enum mc_err mc_parse_mld(const u8 *buf, u32 len, const u8 src[16],
			 const u8 dst[16], struct mc_msg *m);

/*
 * The records of a message that mc_parse_*() accepted, one per call:
 * fills @r and returns true, or false after the last. An older version's
 * message yields its one derived record. Start with a zeroed iterator.
 */
bool mc_record_next(const struct mc_msg *m, struct mc_iter *it,
		    struct mc_record *r);

/*
 * Source @i of @r as a 16-octet address (IPv4-mapped for IGMP); :: when
 * @i is not below r->n_sources.
 */
void mc_record_source(const struct mc_msg *m, const struct mc_record *r,
		      u16 i, u8 out[MC_ADDR_LEN]);

/* The 16-octet form of an IPv4 address. */
void mc_addr_from_v4(u8 out[MC_ADDR_LEN], const u8 v4[4]);
bool mc_addr_is_v4(const u8 a[MC_ADDR_LEN]);

/*
 * A group a proxy keeps state for and forwards: multicast, and wider than
 * link-local scope (not 224.0.0.0/24; for IPv6, a scope above 2, so not
 * ffx0::, ffx1:: or ffx2:: whatever the flags). Reports for the others
 * are valid but ignored.
 */
bool mc_group_routable(const u8 g[MC_ADDR_LEN]);

/*
 * A Source-Specific Multicast group (232.0.0.0/8, ff3x::/32): a router
 * ignores any-source joins of it (RFC 4604 section 3.1).
 */
bool mc_group_is_ssm(const u8 g[MC_ADDR_LEN]);

const char *mc_err_name(enum mc_err e);
const char *mc_rec_type_name(u8 type);

#endif /* _LG_MCAST_PARSE_H */
