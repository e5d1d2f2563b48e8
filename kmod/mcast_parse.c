// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * IGMP and MLD message parser. See mcast_parse.h for the rules.
 *
 * IGMPv3 and MLDv2 reports share one record walker; the families differ
 * only in the size of an address and in which addresses are valid. A
 * message is accepted only once every record has been checked, so that
 * mc_record_next() later walks records known to fit; it checks each
 * record against records_len all the same, and so stays within the
 * message whatever it is given.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#else
#include <assert.h>
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#include "mcast_parse.h"

#define IGMP_MIN_LEN		8	/* type, code, checksum, group */
#define IGMP_V3_QUERY_LEN	12	/* ... resv/S/QRV, QQIC, nsrc */
#define IGMP_V3_REPORT_LEN	8	/* type, resv, checksum, resv, nrec */
#define MLD_MIN_LEN		8	/* the MLDv2 report's header */
#define MLD_V1_LEN		24	/* type, code, checksum, delay, group */
#define MLD_V2_QUERY_LEN	28	/* ... resv/S/QRV, QQIC, nsrc */
#define MC_REC_HDR_LEN		4	/* type, aux len, nsrc; then group */

#define IPV4_LEN		4
#define ICMPV6_NEXTHDR		58

static u16 get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

/*
 * Adds len octets to a ones' complement sum (RFC 1071) kept below
 * 0x10000 at every step, so that no length can overflow it; an odd
 * last octet is padded with zero.
 */
static u32 csum_add(u32 sum, const u8 *p, u32 len)
{
	u32 i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += get16(p + i);
		if (sum > 0xffff)
			sum -= 0xffff;
	}
	if (len & 1) {
		sum += (u32)p[len - 1] << 8;
		if (sum > 0xffff)
			sum -= 0xffff;
	}
	return sum;
}

static u32 csum_add16(u32 sum, u16 v)
{
	sum += v;
	return sum > 0xffff ? sum - 0xffff : sum;
}

/* A message with its checksum in place sums to 0xffff (negative zero). */
static bool csum_ok(u32 sum)
{
	return sum == 0xffff;
}

void mc_addr_from_v4(u8 out[MC_ADDR_LEN], const u8 v4[4])
{
	memset(out, 0, 10);
	out[10] = 0xff;
	out[11] = 0xff;
	memcpy(out + 12, v4, IPV4_LEN);
}

bool mc_addr_is_v4(const u8 a[MC_ADDR_LEN])
{
	static const u8 prefix[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	return !memcmp(a, prefix, sizeof(prefix));
}

static bool v4_is_mcast(const u8 *a)
{
	return (a[0] & 0xf0) == 0xe0;
}

static bool v6_is_mcast(const u8 *a)
{
	return a[0] == 0xff;
}

/* A host's unicast address: what a source list may hold. */
static bool v4_source_ok(const u8 *a)
{
	static const u8 any[IPV4_LEN] = { 0, 0, 0, 0 };
	static const u8 bcast[IPV4_LEN] = { 0xff, 0xff, 0xff, 0xff };

	return !v4_is_mcast(a) && a[0] != 127 &&
	       memcmp(a, any, IPV4_LEN) && memcmp(a, bcast, IPV4_LEN);
}

static bool v6_source_ok(const u8 *a)
{
	static const u8 zero[MC_ADDR_LEN - 1] = { 0 };

	/* :: and ::1 differ only in their last octet */
	if (!memcmp(a, zero, sizeof(zero)) && a[MC_ADDR_LEN - 1] <= 1)
		return false;
	return !v6_is_mcast(a);
}

static u32 addr_len(u8 family)
{
	return family == MC_IGMP ? IPV4_LEN : MC_ADDR_LEN;
}

/*
 * The length of the record at p, of which left octets are in the
 * message, or 0 if it does not fit. At most 4 + 16 + 65535 * 16 +
 * 255 * 4 octets: no overflow.
 */
static u32 record_len(const u8 *p, u32 left, u32 alen)
{
	u32 len;

	if (left < MC_REC_HDR_LEN + alen)
		return 0;
	len = MC_REC_HDR_LEN + alen + get16(p + 2) * alen + p[1] * 4;
	return len <= left ? len : 0;
}

/*
 * The records of an IGMPv3 or MLDv2 report: every one must fit, with a
 * multicast group and unicast sources. What follows the last is allowed
 * and left out of records_len.
 */
static enum mc_err parse_records(const u8 *buf, u32 len, u32 hdr_len,
				 struct mc_msg *m)
{
	u32 alen = addr_len(m->family);
	u32 off = hdr_len, rlen, i;
	const u8 *rec, *src;
	u16 n, nsrc;

	n = get16(buf + hdr_len - 2);
	for (i = 0; i < n; i++) {
		rec = buf + off;
		rlen = record_len(rec, len - off, alen);
		if (!rlen)
			return MC_ERR_RECORD;
		if (m->family == MC_IGMP ? !v4_is_mcast(rec + MC_REC_HDR_LEN) :
		    !v6_is_mcast(rec + MC_REC_HDR_LEN))
			return MC_ERR_GROUP;
		src = rec + MC_REC_HDR_LEN + alen;
		for (nsrc = get16(rec + 2); nsrc; nsrc--, src += alen) {
			if (m->family == MC_IGMP ? !v4_source_ok(src) :
			    !v6_source_ok(src))
				return MC_ERR_SOURCE;
		}
		off += rlen;
	}
	m->n_records = n;
	m->records = buf + hdr_len;
	m->records_len = off - hdr_len;
	return MC_OK;
}

/*
 * A version 3 (MLDv2) query: its source list must fit; nothing else of it
 * is used, as a subscriber has no business querying.
 */
static enum mc_err check_query_sources(const u8 *buf, u32 len, u32 hdr_len,
				       u32 alen)
{
	u32 n = get16(buf + hdr_len - 2);

	return hdr_len + n * alen <= len ? MC_OK : MC_ERR_RECORD;
}

enum mc_err mc_parse_igmp(const u8 *buf, u32 len, struct mc_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->family = MC_IGMP;
	if (len < IGMP_MIN_LEN)
		return MC_ERR_SHORT;
	if (!csum_ok(csum_add(0, buf, len)))
		return MC_ERR_CSUM;

	m->type = buf[0];
	switch (m->type) {
	case IGMP_T_QUERY:
		m->kind = MC_MSG_QUERY;
		mc_addr_from_v4(m->group, buf + 4);
		/* RFC 3376 section 7.1: the length tells the version */
		if (len == IGMP_MIN_LEN) {
			m->version = buf[1] ? 2 : 1;
			return MC_OK;
		}
		if (len < IGMP_V3_QUERY_LEN)
			return MC_ERR_SHORT;
		m->version = 3;
		return check_query_sources(buf, len, IGMP_V3_QUERY_LEN,
					   IPV4_LEN);
	case IGMP_T_V1_REPORT:
	case IGMP_T_V2_REPORT:
	case IGMP_T_V2_LEAVE:
		m->kind = m->type == IGMP_T_V2_LEAVE ? MC_MSG_LEAVE :
						       MC_MSG_REPORT;
		m->version = m->type == IGMP_T_V1_REPORT ? 1 : 2;
		if (!v4_is_mcast(buf + 4))
			return MC_ERR_GROUP;
		mc_addr_from_v4(m->group, buf + 4);
		m->n_records = 1;
		return MC_OK;
	case IGMP_T_V3_REPORT:
		m->kind = MC_MSG_REPORT;
		m->version = 3;
		return parse_records(buf, len, IGMP_V3_REPORT_LEN, m);
	default:
		return MC_ERR_TYPE;
	}
}

/* The ICMPv6 checksum (RFC 8200 section 8.1) with its pseudo-header. */
static u32 mld_csum(const u8 *buf, u32 len, const u8 src[16],
		    const u8 dst[16])
{
	u32 sum;

	sum = csum_add(0, src, MC_ADDR_LEN);
	sum = csum_add(sum, dst, MC_ADDR_LEN);
	sum = csum_add16(sum, len >> 16);
	sum = csum_add16(sum, len & 0xffff);
	sum = csum_add16(sum, ICMPV6_NEXTHDR);
	return csum_add(sum, buf, len);
}

enum mc_err mc_parse_mld(const u8 *buf, u32 len, const u8 src[16],
			 const u8 dst[16], struct mc_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->family = MC_MLD;
	if (len < MLD_MIN_LEN)
		return MC_ERR_SHORT;
	if (!csum_ok(mld_csum(buf, len, src, dst)))
		return MC_ERR_CSUM;

	m->type = buf[0];
	switch (m->type) {
	case MLD_T_QUERY:
		m->kind = MC_MSG_QUERY;
		if (len < MLD_V1_LEN)
			return MC_ERR_SHORT;
		memcpy(m->group, buf + 8, MC_ADDR_LEN);
		/* RFC 3810 section 8.1: the length tells the version */
		if (len == MLD_V1_LEN) {
			m->version = 1;
			return MC_OK;
		}
		if (len < MLD_V2_QUERY_LEN)
			return MC_ERR_SHORT;
		m->version = 2;
		return check_query_sources(buf, len, MLD_V2_QUERY_LEN,
					   MC_ADDR_LEN);
	case MLD_T_V1_REPORT:
	case MLD_T_V1_DONE:
		m->kind = m->type == MLD_T_V1_DONE ? MC_MSG_LEAVE :
						     MC_MSG_REPORT;
		m->version = 1;
		if (len < MLD_V1_LEN)
			return MC_ERR_SHORT;
		if (!v6_is_mcast(buf + 8))
			return MC_ERR_GROUP;
		memcpy(m->group, buf + 8, MC_ADDR_LEN);
		m->n_records = 1;
		return MC_OK;
	case MLD_T_V2_REPORT:
		m->kind = MC_MSG_REPORT;
		m->version = 2;
		return parse_records(buf, len, MLD_MIN_LEN, m);
	default:
		return MC_ERR_TYPE;
	}
}

/* The one record of an older version's report or leave (done). */
static bool derived_record(const struct mc_msg *m, struct mc_iter *it,
			   struct mc_record *r)
{
	if (it->index >= m->n_records)
		return false;
	memset(r, 0, sizeof(*r));
	r->type = m->kind == MC_MSG_LEAVE ? MC_TO_IN : MC_IS_EX;
	memcpy(r->group, m->group, MC_ADDR_LEN);
	it->index++;
	return true;
}

bool mc_record_next(const struct mc_msg *m, struct mc_iter *it,
		    struct mc_record *r)
{
	u32 alen = addr_len(m->family);
	const u8 *rec;
	u32 rlen;

	if (!m->records)
		return derived_record(m, it, r);
	if (it->index >= m->n_records || it->off >= m->records_len)
		return false;

	rec = m->records + it->off;
	rlen = record_len(rec, m->records_len - it->off, alen);
	if (!rlen)
		return false;
	r->type = rec[0];
	r->n_sources = get16(rec + 2);
	if (m->family == MC_IGMP)
		mc_addr_from_v4(r->group, rec + MC_REC_HDR_LEN);
	else
		memcpy(r->group, rec + MC_REC_HDR_LEN, MC_ADDR_LEN);
	r->sources = r->n_sources ? rec + MC_REC_HDR_LEN + alen : NULL;
	it->off += rlen;
	it->index++;
	return true;
}

void mc_record_source(const struct mc_msg *m, const struct mc_record *r,
		      u16 i, u8 out[MC_ADDR_LEN])
{
	u32 alen = addr_len(m->family);

	if (i >= r->n_sources) {
		memset(out, 0, MC_ADDR_LEN);
		return;
	}
	if (m->family == MC_IGMP)
		mc_addr_from_v4(out, r->sources + (u32)i * alen);
	else
		memcpy(out, r->sources + (u32)i * alen, MC_ADDR_LEN);
}

bool mc_group_routable(const u8 g[MC_ADDR_LEN])
{
	if (mc_addr_is_v4(g))
		return v4_is_mcast(g + 12) &&
		       !(g[12] == 224 && g[13] == 0 && g[14] == 0);
	/* RFC 7346: scopes 0 (reserved), 1 (interface), 2 (link) */
	return v6_is_mcast(g) && (g[1] & 0x0f) > 2;
}

/* RFC 4607 section 1: 232.0.0.0/8 and FF3x::/32 (prefix length 0). */
bool mc_group_is_ssm(const u8 g[MC_ADDR_LEN])
{
	if (mc_addr_is_v4(g))
		return g[12] == 232;
	return g[0] == 0xff && (g[1] & 0xf0) == 0x30 && !g[2] && !g[3];
}

static const char * const mc_err_names[] = {
	[MC_OK] = "ok",
	[MC_ERR_SHORT] = "short",
	[MC_ERR_CSUM] = "checksum",
	[MC_ERR_TYPE] = "type",
	[MC_ERR_RECORD] = "record",
	[MC_ERR_GROUP] = "group",
	[MC_ERR_SOURCE] = "source",
};

static_assert(ARRAY_SIZE(mc_err_names) == __MC_ERR_MAX,
	      "a name for each enum mc_err");

const char *mc_err_name(enum mc_err e)
{
	unsigned int i = e;

	if (i >= ARRAY_SIZE(mc_err_names))
		return "unknown";
	return mc_err_names[i];
}

static const char * const mc_rec_type_names[] = {
	[MC_IS_IN] = "is_in",
	[MC_IS_EX] = "is_ex",
	[MC_TO_IN] = "to_in",
	[MC_TO_EX] = "to_ex",
	[MC_ALLOW] = "allow",
	[MC_BLOCK] = "block",
};

const char *mc_rec_type_name(u8 type)
{
	if (type >= ARRAY_SIZE(mc_rec_type_names) || !mc_rec_type_names[type])
		return "unknown";
	return mc_rec_type_names[type];
}
