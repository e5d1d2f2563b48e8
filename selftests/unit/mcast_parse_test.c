// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for kmod/mcast_parse.c, built in userspace under ASan and
 * UBSan. Messages are put together with the small builder below, which
 * fills in the IGMP or ICMPv6 checksum (EXPECT_IGMP, EXPECT_MLD) unless a
 * test wants the bytes as they are (the _AS_IS forms).
 *
 * Every parse runs on a heap copy of exactly the message's length, so a
 * read past the end is an ASan report, not a quiet pass. Every message
 * accepted is also parsed cut short at each length, as it is and with its
 * checksum made right again (check_prefixes()).
 *
 * With MCAST_CORPUS_DIR set, every message parsed (not the cut copies) of
 * at most SEED_MAX octets is also written there as a fuzzing seed, which
 * selftests/fuzz/mcast_fuzz.c reads as:
 *
 *	octet 0		the family: 4 (IGMP) or 6 (MLD)
 *	IGMP:	1..	the IGMP message, the whole IPv4 payload
 *	MLD:	1..16	the IPv6 source, for the pseudo-header
 *		17..32	the IPv6 destination
 *		33..	the ICMPv6 message
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "mcast_parse.h"
#include "unit.h"

#define SEED_MAX	4096

#define IGMP_HDR	8	/* and the minimum */
#define MLD_HDR		8	/* an MLDv2 report's header */
#define MLD_V1_LEN	24

#define V4(a, b, c, d)	((uint32_t)((a) & 0xff) << 24 | ((b) & 0xff) << 16 | \
			 ((c) & 0xff) << 8 | ((d) & 0xff))
/* w0::w6:w7, enough for every IPv6 address here. */
#define A6(w0, w6, w7)	{ (w0) >> 8, (w0) & 0xff, 0, 0, 0, 0, 0, 0, \
			  0, 0, 0, 0, (w6) >> 8, (w6) & 0xff, \
			  (w7) >> 8, (w7) & 0xff }
/* ::PP:a.b.c.d; PP 0xffff makes it IPv4-mapped. */
#define M4(pp, a, b, c, d) { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, \
			     (pp) >> 8, (pp) & 0xff, a, b, c, d }

/* ---- A message builder ------------------------------------------------- */

struct builder {
	uint8_t *data;
	uint32_t len, cap;
};

static void put8(struct builder *b, uint8_t v)
{
	if (b->len == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4096;
		b->data = realloc(b->data, b->cap);
		if (!b->data)
			abort();
	}
	b->data[b->len++] = v;
}

static void put16(struct builder *b, uint16_t v)
{
	put8(b, v >> 8);
	put8(b, v);
}

static void put32(struct builder *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v);
}

static void put(struct builder *b, const uint8_t *p, uint32_t n)
{
	while (n--)
		put8(b, *p++);
}

static void fill(struct builder *b, uint32_t n, uint8_t v)
{
	while (n--)
		put8(b, v);
}

/* An IGMPv1/v2 message, or the first 8 octets of a v3 query. */
static void igmp(struct builder *b, uint8_t type, uint8_t code,
		 uint32_t group)
{
	put8(b, type);
	put8(b, code);
	put16(b, 0);		/* checksum */
	put32(b, group);
}

static void igmp_v3_query(struct builder *b, uint32_t group, uint16_t nsrc,
			  const uint32_t *srcs)
{
	igmp(b, IGMP_T_QUERY, 100, group);
	put8(b, 2);		/* S 0, QRV 2 */
	put8(b, 125);		/* QQIC */
	put16(b, nsrc);
	while (nsrc--)
		put32(b, *srcs++);
}

static void igmp_v3_report(struct builder *b, uint16_t n_records)
{
	put8(b, IGMP_T_V3_REPORT);
	put8(b, 0);
	put16(b, 0);		/* checksum */
	put16(b, 0);
	put16(b, n_records);
}

/* A group record with nsrc sources and aux 32-bit words of 0xa5. */
static void igmp_rec(struct builder *b, uint8_t type, uint8_t aux,
		     uint32_t group, uint16_t nsrc, const uint32_t *srcs)
{
	put8(b, type);
	put8(b, aux);
	put16(b, nsrc);
	put32(b, group);
	while (nsrc--)
		put32(b, *srcs++);
	fill(b, aux * 4, 0xa5);
}

/* An MLDv1 message, or the first 24 octets of an MLDv2 query. */
static void mld(struct builder *b, uint8_t type, const uint8_t group[16])
{
	put8(b, type);
	put8(b, 0);		/* code */
	put16(b, 0);		/* checksum */
	put16(b, 1000);		/* maximum response delay */
	put16(b, 0);
	put(b, group, 16);
}

static void mld_v2_query(struct builder *b, const uint8_t group[16],
			 uint16_t nsrc, const uint8_t (*srcs)[16])
{
	mld(b, MLD_T_QUERY, group);
	put8(b, 2);
	put8(b, 125);
	put16(b, nsrc);
	while (nsrc--)
		put(b, *srcs++, 16);
}

static void mld_v2_report(struct builder *b, uint16_t n_records)
{
	put8(b, MLD_T_V2_REPORT);
	put8(b, 0);
	put16(b, 0);		/* checksum */
	put16(b, 0);
	put16(b, n_records);
}

static void mld_rec(struct builder *b, uint8_t type, uint8_t aux,
		    const uint8_t group[16], uint16_t nsrc,
		    const uint8_t (*srcs)[16])
{
	put8(b, type);
	put8(b, aux);
	put16(b, nsrc);
	put(b, group, 16);
	while (nsrc--)
		put(b, *srcs++, 16);
	fill(b, aux * 4, 0xa5);
}

/* ---- The checksum, written out the textbook way ------------------------ */

static uint32_t ref_sum(uint64_t sum, const uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		sum += i & 1 ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static uint32_t ref_pseudo(const uint8_t src[16], const uint8_t dst[16],
			   uint32_t len)
{
	uint64_t sum = ref_sum(0, src, 16) + ref_sum(0, dst, 16);

	return ref_sum(sum + (len >> 16) + (len & 0xffff) + 58, NULL, 0);
}

/* The message's checksum in octets 2 and 3; family 4 or 6. */
static void set_csum(uint8_t *msg, uint32_t len, int family,
		     const uint8_t src[16], const uint8_t dst[16])
{
	uint32_t sum = family == MC_MLD ? ref_pseudo(src, dst, len) : 0;

	msg[2] = 0;
	msg[3] = 0;
	sum = ~ref_sum(sum, msg, len) & 0xffff;
	msg[2] = sum >> 8;
	msg[3] = sum;
}

/* The same, wrong: an odd last octet taken as the low half of a word. */
static void set_csum_low_pad(uint8_t *msg, uint32_t len, int family,
			     const uint8_t src[16], const uint8_t dst[16])
{
	uint32_t sum = family == MC_MLD ? ref_pseudo(src, dst, len) : 0;

	msg[2] = 0;
	msg[3] = 0;
	sum = ~ref_sum(sum + msg[len - 1], msg, len - 1) & 0xffff;
	msg[2] = sum >> 8;
	msg[3] = sum;
}

static int csum_verifies(const uint8_t *msg, uint32_t len, int family,
			 const uint8_t src[16], const uint8_t dst[16])
{
	uint32_t sum = family == MC_MLD ? ref_pseudo(src, dst, len) : 0;

	return ref_sum(sum, msg, len) == 0xffff;
}

/* ---- Parsing ----------------------------------------------------------- */

FIXTURE(mc) {
	struct builder b;
	struct mc_msg m;
	uint8_t *copy;		/* what m points into */
	int seeds;
	uint8_t src[16], dst[16];
};

FIXTURE_SETUP(mc)
{
	static const uint8_t src[16] = A6(0xfe80, 0, 2);
	static const uint8_t dst[16] = A6(0xff02, 0, 0x16);

	memset(self, 0, sizeof(*self));
	memcpy(self->src, src, 16);
	memcpy(self->dst, dst, 16);
}

FIXTURE_TEARDOWN(mc)
{
	free(self->copy);
	free(self->b.data);
}

/* Parses a heap copy of exactly len octets into *copy (freed by caller). */
static enum mc_err parse_copy(FIXTURE_DATA(mc) *self, int family,
			      const uint8_t *buf, uint32_t len,
			      struct mc_msg *m, uint8_t **copy)
{
	*copy = malloc(len ? len : 1);
	if (!*copy)
		abort();
	memcpy(*copy, buf, len);
	if (family == MC_IGMP)
		return mc_parse_igmp(*copy, len, m);
	return mc_parse_mld(*copy, len, self->src, self->dst, m);
}

/*
 * Walks every record of @m, checking that each lies within the records;
 * keeps the first @max in @recs. Returns how many there were.
 */
static int walk(struct __test_metadata *_metadata, const struct mc_msg *m,
		struct mc_record *recs, int max)
{
	uint32_t alen = m->family == MC_IGMP ? 4 : 16;
	struct mc_iter it = { 0 };
	struct mc_record r;
	int n = 0;

	while (mc_record_next(m, &it, &r)) {
		if (m->records && r.n_sources) {
			ASSERT_LE(m->records, r.sources);
			ASSERT_GE(m->records + m->records_len,
				  r.sources + r.n_sources * alen);
		}
		ASSERT_TRUE(m->records || !r.sources);
		if (n < max)
			recs[n] = r;
		n++;
	}
	ASSERT_EQ(m->n_records, n);
	ASSERT_FALSE(mc_record_next(m, &it, &r));
	return n;
}

static int is_any(enum mc_err e, enum mc_err a, enum mc_err b, enum mc_err c)
{
	return e == a || e == b || e == c;
}

/*
 * Each prefix of an accepted message, as it is and with its checksum
 * right again: never accepted but for a checksum that happens to hold
 * (as it is) or a cut in what follows the last record (made right). A
 * report's records must then be those of the whole.
 */
static void check_prefixes(struct __test_metadata *_metadata,
			   FIXTURE_DATA(mc) *self, int family,
			   const uint8_t *buf, uint32_t len,
			   const struct mc_msg *whole)
{
	uint32_t hdr = family == MC_IGMP ? IGMP_HDR : MLD_HDR;
	uint32_t rec_end = hdr + whole->records_len;
	uint8_t *copy, *fixed;
	struct mc_msg m;
	enum mc_err err;
	uint32_t n;
	int count;

	fixed = malloc(len);
	if (!fixed)
		abort();
	for (n = 0; n < len; n++) {
		err = parse_copy(self, family, buf, n, &m, &copy);
		count = err ? 0 : walk(_metadata, &m, NULL, 0);
		free(copy);
		if (n < 8) {
			ASSERT_EQ(MC_ERR_SHORT, err);
		} else if (!csum_verifies(buf, n, family, self->src,
					  self->dst)) {
			ASSERT_EQ(MC_ERR_CSUM, err);
		}
		ASSERT_TRUE(is_any(err, MC_ERR_SHORT, MC_ERR_CSUM,
				   MC_ERR_RECORD) || !err) {
			TH_LOG("prefix of %u octets: %s", n, mc_err_name(err));
		}

		if (n < 4)
			continue;
		memcpy(fixed, buf, n);
		set_csum(fixed, n, family, self->src, self->dst);
		err = parse_copy(self, family, fixed, n, &m, &copy);
		count = err ? 0 : walk(_metadata, &m, NULL, 0);
		free(copy);
		ASSERT_TRUE(is_any(err, MC_ERR_SHORT, MC_ERR_RECORD, MC_OK)) {
			TH_LOG("prefix of %u octets, checksum right: %s", n,
			       mc_err_name(err));
		}
		if (whole->records) {
			/* a v3 report: records up to rec_end, then anything */
			ASSERT_STREQ(mc_err_name(n < 8 ? MC_ERR_SHORT :
						 n < rec_end ? MC_ERR_RECORD :
						 MC_OK), mc_err_name(err)) {
				TH_LOG("prefix of %u octets", n);
			}
			if (!err) {
				ASSERT_EQ(whole->n_records, count);
				ASSERT_EQ(whole->records_len, m.records_len);
			}
		} else if (whole->kind != MC_MSG_QUERY) {
			ASSERT_EQ(n < (family == MC_IGMP ? 8 : MLD_V1_LEN),
				  err == MC_ERR_SHORT) {
				TH_LOG("prefix of %u octets", n);
			}
		}
	}
	free(fixed);
}

/* The seed's format is in the comment at the top. */
static void seed(struct __test_metadata *_metadata, FIXTURE_DATA(mc) *self,
		 int family, const uint8_t *buf, uint32_t len)
{
	uint8_t s[1 + 32 + SEED_MAX];
	uint32_t n = 0;

	if (len > SEED_MAX)
		return;
	s[n++] = family;
	if (family == MC_MLD) {
		memcpy(s + n, self->src, 16);
		memcpy(s + n + 16, self->dst, 16);
		n += 32;
	}
	memcpy(s + n, buf, len);
	write_seed("MCAST_CORPUS_DIR", 0, _metadata->name, self->seeds++, s,
		   n + len);
}

/*
 * Parses the builder's message into self->m (kept until the next parse),
 * as a seed; an accepted one is walked, and cut short when not too long
 * to do so at each length.
 */
static enum mc_err parse(struct __test_metadata *_metadata,
			 FIXTURE_DATA(mc) *self, int family, int fix)
{
	const struct builder *b = &self->b;
	enum mc_err err;

	if (fix)
		set_csum(b->data, b->len, family, self->src, self->dst);
	seed(_metadata, self, family, b->data, b->len);
	free(self->copy);
	err = parse_copy(self, family, b->data, b->len, &self->m, &self->copy);
	ASSERT_EQ(family, self->m.family);
	if (err)
		return err;
	walk(_metadata, &self->m, NULL, 0);
	if (b->len <= SEED_MAX)
		check_prefixes(_metadata, self, family, b->data, b->len,
			       &self->m);
	return err;
}

#define EXPECT_PARSE(want, family, fix) \
	ASSERT_STREQ(mc_err_name(want), \
		     mc_err_name(parse(_metadata, self, family, fix)))
#define EXPECT_IGMP(want)	EXPECT_PARSE(want, MC_IGMP, 1)
#define EXPECT_IGMP_AS_IS(want)	EXPECT_PARSE(want, MC_IGMP, 0)
#define EXPECT_MLD(want)	EXPECT_PARSE(want, MC_MLD, 1)
#define EXPECT_MLD_AS_IS(want)	EXPECT_PARSE(want, MC_MLD, 0)

#define ASSERT_ADDR(want, seen) ASSERT_EQ(0, memcmp(want, seen, 16))

/* Starts the builder over. */
static void reset(FIXTURE_DATA(mc) *self)
{
	self->b.len = 0;
}

static void mapped(uint8_t out[16], uint32_t v4)
{
	static const uint8_t prefix[16] = M4(0xffff, 0, 0, 0, 0);

	memcpy(out, prefix, 12);
	out[12] = v4 >> 24;
	out[13] = v4 >> 16;
	out[14] = v4 >> 8;
	out[15] = v4;
}

#define ASSERT_V4(v4, seen) do { \
	uint8_t __a[16]; \
	mapped(__a, v4); \
	ASSERT_ADDR(__a, seen); \
} while (0)

/* Checks the message, with its one derived record. */
#define ASSERT_DERIVED(fam, kind_, version_, rec_type) do { \
	struct mc_record __r[2]; \
	ASSERT_EQ(fam, self->m.family); \
	ASSERT_EQ(kind_, self->m.kind); \
	ASSERT_EQ(version_, self->m.version); \
	ASSERT_EQ(1, self->m.n_records); \
	ASSERT_EQ(NULL, self->m.records); \
	ASSERT_EQ(1, walk(_metadata, &self->m, __r, 2)); \
	ASSERT_EQ(rec_type, __r[0].type); \
	ASSERT_EQ(0, __r[0].n_sources); \
	ASSERT_ADDR(self->m.group, __r[0].group); \
} while (0)

static const uint8_t ff05_1_3[16] = A6(0xff05, 1, 3);
static const uint8_t ff0e_101[16] = A6(0xff0e, 0, 0x101);
static const uint8_t ff3e_8000_1[16] = A6(0xff3e, 0x8000, 1);
static const uint8_t unspec[16] = A6(0, 0, 0);

/* ---- IGMP: queries ----------------------------------------------------- */

TEST_F(mc, igmp_v1_v2_query)
{
	struct mc_record r;
	struct mc_iter it = { 0 };

	igmp(&self->b, IGMP_T_QUERY, 0, 0);
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(MC_MSG_QUERY, self->m.kind);
	ASSERT_EQ(IGMP_T_QUERY, self->m.type);
	ASSERT_EQ(1, self->m.version);
	ASSERT_EQ(0, self->m.n_records);
	ASSERT_V4(0, self->m.group);
	ASSERT_FALSE(mc_record_next(&self->m, &it, &r));

	reset(self);
	igmp(&self->b, IGMP_T_QUERY, 100, V4(239, 1, 2, 3));
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(MC_MSG_QUERY, self->m.kind);
	ASSERT_EQ(2, self->m.version);
	ASSERT_EQ(0, self->m.n_records);
	ASSERT_V4(V4(239, 1, 2, 3), self->m.group);
}

TEST_F(mc, igmp_v3_query)
{
	const uint32_t srcs[] = { V4(10, 0, 0, 1), V4(10, 0, 0, 2) };
	uint32_t extra;

	igmp_v3_query(&self->b, V4(232, 1, 1, 1), 2, srcs);
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(MC_MSG_QUERY, self->m.kind);
	ASSERT_EQ(3, self->m.version);
	ASSERT_EQ(0, self->m.n_records);
	ASSERT_V4(V4(232, 1, 1, 1), self->m.group);

	/* a general v3 query with a max-resp-code of 0 is still v3 */
	reset(self);
	igmp_v3_query(&self->b, 0, 0, NULL);
	self->b.data[1] = 0;
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(3, self->m.version);

	/* 9 to 11 octets: neither */
	for (extra = 1; extra < 4; extra++) {
		reset(self);
		igmp(&self->b, IGMP_T_QUERY, 0, 0);
		fill(&self->b, extra, 0);
		EXPECT_IGMP(MC_ERR_SHORT);
	}
}

TEST_F(mc, igmp_v3_query_sources_overrun)
{
	const uint32_t srcs[] = { V4(10, 0, 0, 1), V4(10, 0, 0, 2) };

	igmp_v3_query(&self->b, V4(232, 1, 1, 1), 2, srcs);
	self->b.data[11] = 3;
	EXPECT_IGMP(MC_ERR_RECORD);
	self->b.data[10] = 0xff;
	EXPECT_IGMP(MC_ERR_RECORD);
}

/* ---- IGMP: older reports and leave ------------------------------------- */

TEST_F(mc, igmp_v1_report)
{
	igmp(&self->b, IGMP_T_V1_REPORT, 0, V4(239, 1, 2, 3));
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(IGMP_T_V1_REPORT, self->m.type);
	ASSERT_DERIVED(MC_IGMP, MC_MSG_REPORT, 1, MC_IS_EX);
	ASSERT_V4(V4(239, 1, 2, 3), self->m.group);
}

TEST_F(mc, igmp_v2_report)
{
	igmp(&self->b, IGMP_T_V2_REPORT, 0, V4(224, 0, 0, 251));
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(IGMP_T_V2_REPORT, self->m.type);
	ASSERT_DERIVED(MC_IGMP, MC_MSG_REPORT, 2, MC_IS_EX);
	ASSERT_V4(V4(224, 0, 0, 251), self->m.group);
}

TEST_F(mc, igmp_v2_leave)
{
	igmp(&self->b, IGMP_T_V2_LEAVE, 0, V4(239, 255, 255, 250));
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(IGMP_T_V2_LEAVE, self->m.type);
	ASSERT_DERIVED(MC_IGMP, MC_MSG_LEAVE, 2, MC_TO_IN);
	ASSERT_V4(V4(239, 255, 255, 250), self->m.group);
}

/* RFC 2236 section 2.5: longer messages are taken, the rest ignored. */
TEST_F(mc, igmp_v2_report_longer_odd)
{
	igmp(&self->b, IGMP_T_V2_REPORT, 0, V4(239, 1, 1, 1));
	put8(&self->b, 0x5a);
	EXPECT_IGMP(MC_OK);
	ASSERT_DERIVED(MC_IGMP, MC_MSG_REPORT, 2, MC_IS_EX);
	ASSERT_EQ(9, self->b.len);

	/* the odd octet is the high half of a word, not the low one */
	set_csum_low_pad(self->b.data, self->b.len, MC_IGMP, NULL, NULL);
	EXPECT_IGMP_AS_IS(MC_ERR_CSUM);
}

TEST_F(mc, igmp_group_not_multicast)
{
	static const uint8_t types[] = {
		IGMP_T_V1_REPORT, IGMP_T_V2_REPORT, IGMP_T_V2_LEAVE,
	};
	static const uint32_t bad[] = {
		0, V4(10, 0, 0, 1), V4(223, 255, 255, 255),
		V4(240, 0, 0, 1), V4(255, 255, 255, 255),
	};
	unsigned int t, g;

	for (t = 0; t < ARRAY_SIZE(types); t++) {
		for (g = 0; g < ARRAY_SIZE(bad); g++) {
			reset(self);
			igmp(&self->b, types[t], 0, bad[g]);
			EXPECT_IGMP(MC_ERR_GROUP);
		}
		reset(self);
		igmp(&self->b, types[t], 0, V4(224, 0, 0, 0));
		EXPECT_IGMP(MC_OK);
		reset(self);
		igmp(&self->b, types[t], 0, V4(239, 255, 255, 255));
		EXPECT_IGMP(MC_OK);
	}
}

TEST_F(mc, igmp_short)
{
	uint32_t n;

	for (n = 0; n < IGMP_HDR; n++) {
		reset(self);
		put8(&self->b, IGMP_T_V2_REPORT);
		fill(&self->b, n ? n - 1 : 0, 0);
		self->b.len = n;
		EXPECT_IGMP_AS_IS(MC_ERR_SHORT);
	}
}

TEST_F(mc, igmp_unknown_types)
{
	static const uint8_t types[] = { 0, 0x13, 0x1e, 0x1f, 0x21, 0xff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		reset(self);
		igmp(&self->b, types[i], 0, V4(239, 1, 1, 1));
		EXPECT_IGMP(MC_ERR_TYPE);
		ASSERT_EQ(types[i], self->m.type);
	}
}

/* ---- IGMPv3 reports ---------------------------------------------------- */

TEST_F(mc, igmp_v3_report_records)
{
	const uint32_t s1[] = { V4(10, 0, 0, 1), V4(192, 0, 2, 7) };
	const uint32_t s3[] = { V4(198, 51, 100, 1) };
	struct mc_record r[4];
	uint8_t a[16];

	igmp_v3_report(&self->b, 3);
	igmp_rec(&self->b, MC_IS_IN, 0, V4(232, 1, 1, 1), 2, s1);
	igmp_rec(&self->b, MC_TO_EX, 2, V4(239, 2, 2, 2), 0, NULL);
	igmp_rec(&self->b, MC_BLOCK, 1, V4(232, 3, 3, 3), 1, s3);
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(MC_MSG_REPORT, self->m.kind);
	ASSERT_EQ(3, self->m.version);
	ASSERT_EQ(IGMP_T_V3_REPORT, self->m.type);
	ASSERT_EQ(3, self->m.n_records);
	ASSERT_EQ(self->copy + 8, self->m.records);
	ASSERT_EQ(16 + 16 + 16, self->m.records_len);
	ASSERT_EQ(3, walk(_metadata, &self->m, r, 4));

	ASSERT_EQ(MC_IS_IN, r[0].type);
	ASSERT_EQ(2, r[0].n_sources);
	ASSERT_V4(V4(232, 1, 1, 1), r[0].group);
	ASSERT_EQ(self->copy + 16, r[0].sources);
	mc_record_source(&self->m, &r[0], 0, a);
	ASSERT_V4(V4(10, 0, 0, 1), a);
	mc_record_source(&self->m, &r[0], 1, a);
	ASSERT_V4(V4(192, 0, 2, 7), a);
	mc_record_source(&self->m, &r[0], 2, a);	/* no such source */
	ASSERT_ADDR(unspec, a);

	ASSERT_EQ(MC_TO_EX, r[1].type);
	ASSERT_EQ(0, r[1].n_sources);
	ASSERT_V4(V4(239, 2, 2, 2), r[1].group);

	ASSERT_EQ(MC_BLOCK, r[2].type);
	ASSERT_EQ(1, r[2].n_sources);
	ASSERT_V4(V4(232, 3, 3, 3), r[2].group);
	ASSERT_EQ(self->copy + 8 + 32 + 8, r[2].sources);
	mc_record_source(&self->m, &r[2], 0, a);
	ASSERT_V4(V4(198, 51, 100, 1), a);
}

TEST_F(mc, igmp_v3_report_every_type)
{
	const uint32_t src = V4(10, 1, 1, 1);
	struct mc_record r[8];
	int t;

	igmp_v3_report(&self->b, 6);
	for (t = MC_IS_IN; t <= MC_BLOCK; t++)
		igmp_rec(&self->b, t, 0, V4(239, 0, 0, t), 1, &src);
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(6, walk(_metadata, &self->m, r, 8));
	for (t = 0; t < 6; t++) {
		ASSERT_EQ(MC_IS_IN + t, r[t].type);
		ASSERT_V4(V4(239, 0, 0, MC_IS_IN + t), r[t].group);
	}
}

TEST_F(mc, igmp_v3_report_no_records)
{
	struct mc_iter it = { 0 };
	struct mc_record r;

	igmp_v3_report(&self->b, 0);
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(MC_MSG_REPORT, self->m.kind);
	ASSERT_EQ(0, self->m.n_records);
	ASSERT_EQ(0, self->m.records_len);
	ASSERT_FALSE(mc_record_next(&self->m, &it, &r));
}

/* Unknown record types count and are handed over, to be skipped. */
TEST_F(mc, igmp_v3_unknown_record_types)
{
	const uint32_t src = V4(10, 1, 1, 1);
	struct mc_record r[5];

	igmp_v3_report(&self->b, 5);
	igmp_rec(&self->b, 0, 1, V4(239, 0, 0, 1), 1, &src);
	igmp_rec(&self->b, 7, 0, V4(239, 0, 0, 2), 0, NULL);
	igmp_rec(&self->b, MC_ALLOW, 0, V4(239, 0, 0, 3), 1, &src);
	igmp_rec(&self->b, 0xff, 3, V4(239, 0, 0, 4), 1, &src);
	igmp_rec(&self->b, MC_IS_EX, 0, V4(239, 0, 0, 5), 0, NULL);
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(5, self->m.n_records);
	ASSERT_EQ(5, walk(_metadata, &self->m, r, 5));
	ASSERT_EQ(0, r[0].type);
	ASSERT_EQ(1, r[0].n_sources);
	ASSERT_EQ(7, r[1].type);
	ASSERT_EQ(MC_ALLOW, r[2].type);
	ASSERT_EQ(0xff, r[3].type);
	ASSERT_EQ(MC_IS_EX, r[4].type);
	ASSERT_V4(V4(239, 0, 0, 5), r[4].group);
}

TEST_F(mc, igmp_v3_report_trailing_data)
{
	const uint32_t src = V4(10, 1, 1, 1);
	struct mc_record r[2];

	igmp_v3_report(&self->b, 1);
	igmp_rec(&self->b, MC_ALLOW, 0, V4(239, 0, 0, 1), 1, &src);
	fill(&self->b, 7, 0x77);	/* odd, and a half record */
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(1, self->m.n_records);
	ASSERT_EQ(12, self->m.records_len);
	ASSERT_EQ(1, walk(_metadata, &self->m, r, 2));
	ASSERT_EQ(MC_ALLOW, r[0].type);
}

TEST_F(mc, igmp_v3_record_overrun)
{
	const uint32_t src[] = { V4(10, 1, 1, 1), V4(10, 1, 1, 2) };

	/* one record of two */
	igmp_v3_report(&self->b, 2);
	igmp_rec(&self->b, MC_ALLOW, 0, V4(239, 0, 0, 1), 1, src);
	EXPECT_IGMP(MC_ERR_RECORD);

	/* a record header cut short */
	put8(&self->b, MC_ALLOW);
	fill(&self->b, 6, 0);
	EXPECT_IGMP(MC_ERR_RECORD);

	/* a source more than there is */
	reset(self);
	igmp_v3_report(&self->b, 1);
	igmp_rec(&self->b, MC_ALLOW, 0, V4(239, 0, 0, 1), 2, src);
	self->b.data[8 + 3] = 3;
	EXPECT_IGMP(MC_ERR_RECORD);
	self->b.data[8 + 2] = 0xff;
	self->b.data[8 + 3] = 0xff;
	EXPECT_IGMP(MC_ERR_RECORD);

	/* aux data past the end: one word, then all 255 */
	reset(self);
	igmp_v3_report(&self->b, 1);
	igmp_rec(&self->b, MC_ALLOW, 2, V4(239, 0, 0, 1), 1, src);
	self->b.data[8 + 1] = 3;
	EXPECT_IGMP(MC_ERR_RECORD);
	self->b.data[8 + 1] = 0xff;
	EXPECT_IGMP(MC_ERR_RECORD);
	self->b.data[8 + 1] = 2;
	EXPECT_IGMP(MC_OK);

	/* n_records at its largest */
	reset(self);
	igmp_v3_report(&self->b, 0xffff);
	igmp_rec(&self->b, MC_ALLOW, 0, V4(239, 0, 0, 1), 1, src);
	EXPECT_IGMP(MC_ERR_RECORD);
}

TEST_F(mc, igmp_v3_group_not_multicast)
{
	static const uint32_t bad[] = {
		0, V4(10, 0, 0, 1), V4(223, 255, 255, 255), V4(240, 0, 0, 0),
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		reset(self);
		igmp_v3_report(&self->b, 2);
		igmp_rec(&self->b, MC_IS_EX, 0, V4(239, 0, 0, 1), 0, NULL);
		igmp_rec(&self->b, MC_IS_EX, 0, bad[i], 0, NULL);
		EXPECT_IGMP(MC_ERR_GROUP);
	}
}

TEST_F(mc, igmp_v3_sources)
{
	static const uint32_t bad[] = {
		0, V4(255, 255, 255, 255), V4(127, 0, 0, 1),
		V4(127, 255, 255, 254), V4(224, 0, 0, 1),
		V4(239, 255, 255, 255),
	};
	static const uint32_t good[] = {
		V4(0, 0, 0, 1), V4(126, 255, 255, 255), V4(128, 0, 0, 0),
		V4(223, 255, 255, 255), V4(240, 0, 0, 1),
		V4(255, 255, 255, 254),
	};
	uint32_t srcs[2] = { V4(10, 0, 0, 1) };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		srcs[1] = bad[i];
		reset(self);
		igmp_v3_report(&self->b, 1);
		igmp_rec(&self->b, MC_ALLOW, 0, V4(232, 0, 0, 1), 2, srcs);
		EXPECT_IGMP(MC_ERR_SOURCE);
	}
	reset(self);
	igmp_v3_report(&self->b, 1);
	igmp_rec(&self->b, MC_ALLOW, 0, V4(232, 0, 0, 1), ARRAY_SIZE(good),
		 good);
	EXPECT_IGMP(MC_OK);
}

/* Every octet changed, and the checksum field's own edges. */
TEST_F(mc, igmp_bad_checksum)
{
	const uint32_t src = V4(10, 1, 1, 1);
	uint32_t i;

	igmp_v3_report(&self->b, 1);
	igmp_rec(&self->b, MC_ALLOW, 1, V4(239, 0, 0, 1), 1, &src);
	put8(&self->b, 0x42);
	EXPECT_IGMP(MC_OK);
	for (i = 0; i < self->b.len; i++) {
		self->b.data[i] ^= 0x10;
		EXPECT_IGMP_AS_IS(MC_ERR_CSUM) {
			TH_LOG("octet %u changed", i);
		}
		self->b.data[i] ^= 0x10;
	}
	EXPECT_IGMP_AS_IS(MC_OK);

	self->b.data[2] = 0;
	self->b.data[3] = 0;
	EXPECT_IGMP_AS_IS(MC_ERR_CSUM);

	/* an all-zero message does not sum to -0 */
	reset(self);
	fill(&self->b, 8, 0);
	EXPECT_IGMP_AS_IS(MC_ERR_CSUM);
}

/* The checksum is checked before the type, on every type. */
TEST_F(mc, igmp_checksum_before_type)
{
	igmp(&self->b, 0x13, 0, V4(239, 1, 1, 1));
	set_csum(self->b.data, self->b.len, MC_IGMP, NULL, NULL);
	self->b.data[3] ^= 1;
	EXPECT_IGMP_AS_IS(MC_ERR_CSUM);

	reset(self);
	igmp(&self->b, IGMP_T_V2_REPORT, 0, V4(10, 1, 1, 1));
	set_csum(self->b.data, self->b.len, MC_IGMP, NULL, NULL);
	self->b.data[3] ^= 1;
	EXPECT_IGMP_AS_IS(MC_ERR_CSUM);
}

/* Cut short with its checksum made right: where each cut lands. */
TEST_F(mc, igmp_v3_truncated_every_length)
{
	const uint32_t srcs[] = { V4(10, 0, 0, 1), V4(10, 0, 0, 2) };
	uint8_t *whole;
	uint32_t n, len;

	igmp_v3_report(&self->b, 2);
	igmp_rec(&self->b, MC_IS_IN, 1, V4(232, 1, 1, 1), 2, srcs);
	igmp_rec(&self->b, MC_BLOCK, 0, V4(232, 1, 1, 2), 1, srcs);
	EXPECT_IGMP(MC_OK);
	len = self->b.len;
	whole = malloc(len);
	if (!whole)
		abort();
	memcpy(whole, self->b.data, len);

	for (n = 0; n < len; n++) {
		reset(self);
		put(&self->b, whole, n);
		EXPECT_IGMP(n < 8 ? MC_ERR_SHORT : MC_ERR_RECORD) {
			TH_LOG("cut at %u", n);
		}
	}
	free(whole);
}

/* The largest counts there are, records and sources. */
TEST_F(mc, igmp_v3_largest)
{
	struct mc_record r;
	struct mc_iter it = { 0 };
	uint32_t i, n = 0;
	uint8_t a[16];

	igmp_v3_report(&self->b, 0xffff);
	for (i = 0; i < 0xffff; i++)
		igmp_rec(&self->b, i % 8, 0, V4(239, 0, i >> 8, i), 0, NULL);
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(0xffff, self->m.n_records);
	ASSERT_EQ(0xffff * 8, self->m.records_len);
	while (mc_record_next(&self->m, &it, &r)) {
		ASSERT_EQ(n % 8, r.type);
		n++;
	}
	ASSERT_EQ(0xffff, n);
	ASSERT_V4(V4(239, 0, 0xff, 0xfe), r.group);

	reset(self);
	igmp_v3_report(&self->b, 1);
	put8(&self->b, MC_IS_IN);
	put8(&self->b, 0xff);
	put16(&self->b, 0xffff);
	put32(&self->b, V4(232, 9, 9, 9));
	for (i = 0; i < 0xffff; i++)
		put32(&self->b, V4(10, i >> 16, i >> 8, i + 1));
	fill(&self->b, 255 * 4, 0);
	EXPECT_IGMP(MC_OK);
	ASSERT_EQ(8 + 0xffff * 4 + 255 * 4, self->m.records_len);
	memset(&it, 0, sizeof(it));
	ASSERT_TRUE(mc_record_next(&self->m, &it, &r));
	ASSERT_EQ(0xffff, r.n_sources);
	mc_record_source(&self->m, &r, 0xfffe, a);
	ASSERT_V4(V4(10, 0, 0xff, 0xff), a);
	ASSERT_FALSE(mc_record_next(&self->m, &it, &r));
}

/* ---- MLD: queries ------------------------------------------------------ */

TEST_F(mc, mld_v1_query)
{
	mld(&self->b, MLD_T_QUERY, unspec);
	EXPECT_MLD(MC_OK);
	ASSERT_EQ(MC_MLD, self->m.family);
	ASSERT_EQ(MC_MSG_QUERY, self->m.kind);
	ASSERT_EQ(MLD_T_QUERY, self->m.type);
	ASSERT_EQ(1, self->m.version);
	ASSERT_EQ(0, self->m.n_records);
	ASSERT_ADDR(unspec, self->m.group);

	reset(self);
	mld(&self->b, MLD_T_QUERY, ff05_1_3);
	EXPECT_MLD(MC_OK);
	ASSERT_EQ(1, self->m.version);
	ASSERT_ADDR(ff05_1_3, self->m.group);
}

TEST_F(mc, mld_v2_query)
{
	const uint8_t srcs[2][16] = { A6(0x2001, 0, 1), A6(0x2001, 0, 2) };
	uint32_t n;

	mld_v2_query(&self->b, ff0e_101, 2, srcs);
	EXPECT_MLD(MC_OK);
	ASSERT_EQ(MC_MSG_QUERY, self->m.kind);
	ASSERT_EQ(2, self->m.version);
	ASSERT_ADDR(ff0e_101, self->m.group);

	self->b.data[27] = 3;
	EXPECT_MLD(MC_ERR_RECORD);

	/* 8 to 23 and 25 to 27 octets: neither version */
	for (n = 8; n < 28; n++) {
		if (n == MLD_V1_LEN)
			continue;
		reset(self);
		mld_v2_query(&self->b, ff0e_101, 0, NULL);
		self->b.len = n;
		EXPECT_MLD(MC_ERR_SHORT);
	}
}

/* ---- MLDv1 report and done --------------------------------------------- */

TEST_F(mc, mld_v1_report)
{
	mld(&self->b, MLD_T_V1_REPORT, ff05_1_3);
	EXPECT_MLD(MC_OK);
	ASSERT_EQ(MLD_T_V1_REPORT, self->m.type);
	ASSERT_DERIVED(MC_MLD, MC_MSG_REPORT, 1, MC_IS_EX);
	ASSERT_ADDR(ff05_1_3, self->m.group);
	ASSERT_FALSE(mc_addr_is_v4(self->m.group));

	/* longer is fine, odd too */
	fill(&self->b, 3, 0x33);
	EXPECT_MLD(MC_OK);
	ASSERT_DERIVED(MC_MLD, MC_MSG_REPORT, 1, MC_IS_EX);
}

TEST_F(mc, mld_v1_done)
{
	mld(&self->b, MLD_T_V1_DONE, ff3e_8000_1);
	EXPECT_MLD(MC_OK);
	ASSERT_EQ(MLD_T_V1_DONE, self->m.type);
	ASSERT_DERIVED(MC_MLD, MC_MSG_LEAVE, 1, MC_TO_IN);
	ASSERT_ADDR(ff3e_8000_1, self->m.group);
}

TEST_F(mc, mld_v1_short_and_bad_group)
{
	static const uint8_t bad[][16] = {
		A6(0, 0, 0), A6(0xfe80, 0, 1), A6(0x2001, 0, 1),
		A6(0xfeff, 0, 1), M4(0xffff, 224, 0, 0, 0),
	};
	unsigned int i;
	uint32_t n;

	for (n = 0; n < MLD_V1_LEN; n++) {
		reset(self);
		mld(&self->b, MLD_T_V1_REPORT, ff05_1_3);
		self->b.len = n;
		EXPECT_MLD(MC_ERR_SHORT);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		reset(self);
		mld(&self->b, MLD_T_V1_REPORT, bad[i]);
		EXPECT_MLD(MC_ERR_GROUP);
		reset(self);
		mld(&self->b, MLD_T_V1_DONE, bad[i]);
		EXPECT_MLD(MC_ERR_GROUP);
	}
}

TEST_F(mc, mld_unknown_types)
{
	static const uint8_t types[] = { 0, 1, 128, 129, 133, 142, 144, 255 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		reset(self);
		mld(&self->b, types[i], ff05_1_3);
		EXPECT_MLD(MC_ERR_TYPE);
	}
	/* shorter than any MLD message, whatever the type */
	reset(self);
	mld(&self->b, 128, ff05_1_3);
	self->b.len = 7;
	EXPECT_MLD(MC_ERR_SHORT);
}

/* ---- MLDv2 reports ----------------------------------------------------- */

TEST_F(mc, mld_v2_report_records)
{
	const uint8_t s1[2][16] = { A6(0x2001, 0, 1), A6(0xfe80, 0, 7) };
	const uint8_t s3[1][16] = { A6(0x2001, 0xdb8, 9) };
	struct mc_record r[4];
	uint8_t a[16];

	mld_v2_report(&self->b, 3);
	mld_rec(&self->b, MC_IS_IN, 0, ff3e_8000_1, 2, s1);
	mld_rec(&self->b, MC_TO_EX, 1, ff05_1_3, 0, NULL);
	mld_rec(&self->b, MC_ALLOW, 0, ff0e_101, 1, s3);
	EXPECT_MLD(MC_OK);
	ASSERT_EQ(MC_MSG_REPORT, self->m.kind);
	ASSERT_EQ(2, self->m.version);
	ASSERT_EQ(MLD_T_V2_REPORT, self->m.type);
	ASSERT_EQ(3, self->m.n_records);
	ASSERT_EQ(self->copy + 8, self->m.records);
	ASSERT_EQ(52 + 24 + 36, self->m.records_len);
	ASSERT_EQ(3, walk(_metadata, &self->m, r, 4));

	ASSERT_EQ(MC_IS_IN, r[0].type);
	ASSERT_EQ(2, r[0].n_sources);
	ASSERT_ADDR(ff3e_8000_1, r[0].group);
	ASSERT_EQ(self->copy + 28, r[0].sources);
	mc_record_source(&self->m, &r[0], 1, a);
	ASSERT_ADDR(s1[1], a);
	mc_record_source(&self->m, &r[0], 0, a);
	ASSERT_ADDR(s1[0], a);

	ASSERT_EQ(MC_TO_EX, r[1].type);
	ASSERT_EQ(0, r[1].n_sources);
	ASSERT_ADDR(ff05_1_3, r[1].group);

	ASSERT_EQ(MC_ALLOW, r[2].type);
	ASSERT_ADDR(ff0e_101, r[2].group);
	mc_record_source(&self->m, &r[2], 0, a);
	ASSERT_ADDR(s3[0], a);
	ASSERT_FALSE(mc_addr_is_v4(a));
}

TEST_F(mc, mld_v2_unknown_empty_trailing)
{
	const uint8_t s[1][16] = { A6(0x2001, 0, 1) };
	struct mc_record r[3];

	mld_v2_report(&self->b, 0);
	EXPECT_MLD(MC_OK);
	ASSERT_EQ(0, self->m.n_records);
	ASSERT_EQ(0, walk(_metadata, &self->m, r, 3));

	reset(self);
	mld_v2_report(&self->b, 2);
	mld_rec(&self->b, 9, 2, ff05_1_3, 1, s);
	mld_rec(&self->b, MC_TO_IN, 0, ff05_1_3, 0, NULL);
	fill(&self->b, 21, 0x77);
	EXPECT_MLD(MC_OK);
	ASSERT_EQ(2, self->m.n_records);
	ASSERT_EQ(44 + 20, self->m.records_len);
	ASSERT_EQ(2, walk(_metadata, &self->m, r, 3));
	ASSERT_EQ(9, r[0].type);
	ASSERT_EQ(MC_TO_IN, r[1].type);
}

TEST_F(mc, mld_v2_record_overrun)
{
	const uint8_t s[2][16] = { A6(0x2001, 0, 1), A6(0x2001, 0, 2) };

	mld_v2_report(&self->b, 2);
	mld_rec(&self->b, MC_ALLOW, 0, ff05_1_3, 1, s);
	EXPECT_MLD(MC_ERR_RECORD);
	fill(&self->b, 19, 0);
	EXPECT_MLD(MC_ERR_RECORD);

	reset(self);
	mld_v2_report(&self->b, 1);
	mld_rec(&self->b, MC_ALLOW, 1, ff05_1_3, 2, s);
	self->b.data[8 + 3] = 3;
	EXPECT_MLD(MC_ERR_RECORD);
	self->b.data[8 + 3] = 2;
	self->b.data[8 + 1] = 2;
	EXPECT_MLD(MC_ERR_RECORD);
	self->b.data[8 + 1] = 1;
	EXPECT_MLD(MC_OK);
}

TEST_F(mc, mld_v2_group_and_sources)
{
	static const uint8_t bad_src[][16] = {
		A6(0, 0, 0), A6(0, 0, 1), A6(0xff02, 0, 1),
		A6(0xff0e, 0, 0x101), A6(0xff00, 0, 0),
	};
	static const uint8_t good_src[][16] = {
		A6(0, 0, 2), A6(0, 1, 0), A6(0xfe80, 0, 1),
		M4(0xffff, 127, 0, 0, 1), A6(0xfeff, 0xffff, 0xffff),
	};
	uint8_t srcs[2][16] = { A6(0x2001, 0, 1) };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_src); i++) {
		memcpy(srcs[1], bad_src[i], 16);
		reset(self);
		mld_v2_report(&self->b, 1);
		mld_rec(&self->b, MC_BLOCK, 0, ff05_1_3, 2,
			(const uint8_t (*)[16])srcs);
		EXPECT_MLD(MC_ERR_SOURCE);
	}
	reset(self);
	mld_v2_report(&self->b, 1);
	mld_rec(&self->b, MC_BLOCK, 0, ff05_1_3, ARRAY_SIZE(good_src),
		good_src);
	EXPECT_MLD(MC_OK);

	reset(self);
	mld_v2_report(&self->b, 2);
	mld_rec(&self->b, MC_IS_EX, 0, ff05_1_3, 0, NULL);
	mld_rec(&self->b, MC_IS_EX, 0, good_src[2], 0, NULL);
	EXPECT_MLD(MC_ERR_GROUP);
}

/* The pseudo-header: addresses, length and next header all count. */
TEST_F(mc, mld_checksum_pseudo_header)
{
	uint8_t sum_no_pseudo[2];
	uint32_t i;

	mld(&self->b, MLD_T_V1_REPORT, ff05_1_3);
	EXPECT_MLD(MC_OK);

	self->src[15] ^= 1;
	EXPECT_MLD_AS_IS(MC_ERR_CSUM);
	self->src[15] ^= 1;
	self->dst[0] ^= 0x80;
	EXPECT_MLD_AS_IS(MC_ERR_CSUM);
	self->dst[0] ^= 0x80;
	EXPECT_MLD_AS_IS(MC_OK);

	/* the same bytes, summed without the pseudo-header */
	self->b.data[2] = 0;
	self->b.data[3] = 0;
	i = ~ref_sum(0, self->b.data, self->b.len) & 0xffff;
	sum_no_pseudo[0] = i >> 8;
	sum_no_pseudo[1] = i;
	memcpy(self->b.data + 2, sum_no_pseudo, 2);
	EXPECT_MLD_AS_IS(MC_ERR_CSUM);
	EXPECT_IGMP_AS_IS(MC_ERR_TYPE);

	/* every octet of the message changed */
	EXPECT_MLD(MC_OK);
	for (i = 0; i < self->b.len; i++) {
		self->b.data[i] ^= 0x01;
		EXPECT_MLD_AS_IS(MC_ERR_CSUM) {
			TH_LOG("octet %u changed", i);
		}
		self->b.data[i] ^= 0x01;
	}
}

/* A checksum right for an odd length with a zero pad, not otherwise. */
TEST_F(mc, mld_odd_length)
{
	mld_v2_report(&self->b, 1);
	mld_rec(&self->b, MC_IS_EX, 0, ff05_1_3, 0, NULL);
	put8(&self->b, 0xc3);
	EXPECT_MLD(MC_OK);
	ASSERT_EQ(29, self->b.len);
	ASSERT_EQ(20, self->m.records_len);

	set_csum_low_pad(self->b.data, self->b.len, MC_MLD, self->src,
			 self->dst);
	EXPECT_MLD_AS_IS(MC_ERR_CSUM);
}

TEST_F(mc, mld_v2_largest)
{
	struct mc_iter it = { 0 };
	struct mc_record r;
	uint8_t g[16] = A6(0xff3e, 0, 0);
	uint32_t i, n = 0;

	mld_v2_report(&self->b, 0xffff);
	for (i = 0; i < 0xffff; i++) {
		g[14] = i >> 8;
		g[15] = i;
		mld_rec(&self->b, MC_ALLOW, 0, g, 0, NULL);
	}
	EXPECT_MLD(MC_OK);
	ASSERT_EQ(0xffff, self->m.n_records);
	ASSERT_EQ(0xffff * 20, self->m.records_len);
	while (mc_record_next(&self->m, &it, &r))
		n++;
	ASSERT_EQ(0xffff, n);
	ASSERT_ADDR(g, r.group);
}

/* ---- mc_record_next() stays within records_len ------------------------- */

TEST_F(mc, record_next_bounds)
{
	const uint32_t srcs[] = { V4(10, 0, 0, 1), V4(10, 0, 0, 2) };
	struct mc_iter it = { 0 };
	struct mc_msg m = { 0 };
	struct mc_record r;
	uint8_t *recs;
	uint32_t n;

	/* a zeroed message has nothing */
	ASSERT_FALSE(mc_record_next(&m, &it, &r));

	igmp_v3_report(&self->b, 2);
	igmp_rec(&self->b, MC_IS_IN, 1, V4(232, 1, 1, 1), 2, srcs);
	igmp_rec(&self->b, MC_IS_EX, 0, V4(232, 1, 1, 2), 0, NULL);
	EXPECT_IGMP(MC_OK);

	/* records_len cut anywhere: only the records wholly before it */
	for (n = 0; n <= self->m.records_len; n++) {
		m = self->m;
		m.records_len = n;
		m.n_records = 0xffff;
		recs = malloc(n ? n : 1);
		if (!recs)
			abort();
		memcpy(recs, self->m.records, n);
		m.records = recs;
		memset(&it, 0, sizeof(it));
		while (mc_record_next(&m, &it, &r))
			;
		free(recs);
		ASSERT_EQ(n < 20 ? 0 : n < 28 ? 1 : 2, it.index) {
			TH_LOG("records_len %u", n);
		}
	}

	/* n_records stops the walk first */
	m = self->m;
	m.n_records = 1;
	memset(&it, 0, sizeof(it));
	ASSERT_TRUE(mc_record_next(&m, &it, &r));
	ASSERT_FALSE(mc_record_next(&m, &it, &r));

	/* an iterator past the end */
	it.index = 0;
	it.off = 0xffffffff;
	ASSERT_FALSE(mc_record_next(&self->m, &it, &r));
}

/* ---- Addresses and names ----------------------------------------------- */

TEST(ipv4_mapped)
{
	const uint8_t v4[4] = { 192, 0, 2, 33 };
	const uint8_t want[16] = M4(0xffff, 192, 0, 2, 33);
	const uint8_t compat[16] = M4(0, 192, 0, 2, 33);
	const uint8_t fffe[16] = M4(0xfffe, 192, 0, 2, 33);
	uint8_t lead[16] = M4(0xffff, 192, 0, 2, 33);
	uint8_t a[16];

	memset(a, 0x5a, sizeof(a));
	mc_addr_from_v4(a, v4);
	ASSERT_ADDR(want, a);
	ASSERT_TRUE(mc_addr_is_v4(a));
	ASSERT_FALSE(mc_addr_is_v4(compat));
	ASSERT_FALSE(mc_addr_is_v4(fffe));
	lead[0] = 0xff;			/* ff00::ffff:192.0.2.33 */
	ASSERT_FALSE(mc_addr_is_v4(lead));
	lead[0] = 0;
	lead[9] = 1;			/* ::1:ffff:192.0.2.33 */
	ASSERT_FALSE(mc_addr_is_v4(lead));
	ASSERT_FALSE(mc_addr_is_v4(ff05_1_3));
}

TEST(group_routable_v4)
{
	static const uint32_t no[] = {
		V4(224, 0, 0, 0), V4(224, 0, 0, 1), V4(224, 0, 0, 22),
		V4(224, 0, 0, 255), V4(223, 255, 255, 255), V4(240, 0, 0, 0),
		V4(10, 0, 0, 1), 0,
	};
	static const uint32_t yes[] = {
		V4(224, 0, 1, 0), V4(224, 0, 1, 1), V4(224, 1, 0, 0),
		V4(225, 0, 0, 1), V4(232, 1, 1, 1), V4(239, 0, 0, 1),
		V4(239, 255, 255, 255),
	};
	unsigned int i;
	uint8_t a[16];

	for (i = 0; i < ARRAY_SIZE(no); i++) {
		mapped(a, no[i]);
		ASSERT_FALSE(mc_group_routable(a)) {
			TH_LOG("%08x", no[i]);
		}
	}
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		mapped(a, yes[i]);
		ASSERT_TRUE(mc_group_routable(a)) {
			TH_LOG("%08x", yes[i]);
		}
	}
}

TEST(group_routable_v6)
{
	static const uint8_t no[][16] = {
		A6(0xff00, 0, 0), A6(0xff01, 0, 1), A6(0xff02, 0, 1),
		A6(0xff02, 1, 0xff00), A6(0xff12, 0, 1), A6(0xff32, 0, 1),
		A6(0xfe80, 0, 1), A6(0x2001, 0, 1), A6(0, 0, 0),
		M4(0, 224, 1, 1, 1),	/* ::224.1.1.1, not mapped */
		M4(0xffff, 224, 0, 0, 9),
	};
	static const uint8_t yes[][16] = {
		A6(0xff03, 0, 1), A6(0xff05, 0, 2), A6(0xff08, 0, 1),
		A6(0xff0e, 0, 0), A6(0xff1e, 0, 1), A6(0xff3e, 0x8000, 1),
		A6(0xff0f, 0, 1),
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(no); i++)
		ASSERT_FALSE(mc_group_routable(no[i])) {
			TH_LOG("no[%u]", i);
		}
	for (i = 0; i < ARRAY_SIZE(yes); i++)
		ASSERT_TRUE(mc_group_routable(yes[i])) {
			TH_LOG("yes[%u]", i);
		}
}

/* RFC 4607: 232.0.0.0/8 and ff3x::/32 (flags P and T, prefix length 0) */
TEST(group_is_ssm)
{
	static const uint32_t yes4[] = {
		V4(232, 0, 0, 0), V4(232, 1, 1, 1), V4(232, 255, 255, 255),
	};
	static const uint32_t no4[] = {
		V4(231, 255, 255, 255), V4(233, 0, 0, 0), V4(239, 1, 1, 1),
		V4(224, 0, 1, 1),
	};
	static const uint8_t yes6[][16] = {
		A6(0xff3e, 0, 1), A6(0xff35, 0x8000, 1), A6(0xff30, 0, 0),
		A6(0xff3f, 0xffff, 0xffff), A6(0xff32, 0, 1),
	};
	static const uint8_t no6[][16] = {
		A6(0xff1e, 0, 1), A6(0xff0e, 0, 1), A6(0xff7e, 0, 1),
		A6(0xfe3e, 0, 1), A6(0x2001, 0, 1),
		/* unicast-prefix-based (RFC 3306): prefix length 64 */
		{ 0xff, 0x3e, 0, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
		  0, 0, 0, 1 },
		{ 0xff, 0x3e, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
		M4(0xffff, 239, 1, 1, 1),
	};
	unsigned int i;
	uint8_t a[16];

	for (i = 0; i < ARRAY_SIZE(yes4); i++) {
		mapped(a, yes4[i]);
		ASSERT_TRUE(mc_group_is_ssm(a)) {
			TH_LOG("%08x", yes4[i]);
		}
	}
	for (i = 0; i < ARRAY_SIZE(no4); i++) {
		mapped(a, no4[i]);
		ASSERT_FALSE(mc_group_is_ssm(a)) {
			TH_LOG("%08x", no4[i]);
		}
	}
	for (i = 0; i < ARRAY_SIZE(yes6); i++)
		ASSERT_TRUE(mc_group_is_ssm(yes6[i])) {
			TH_LOG("yes6[%u]", i);
		}
	for (i = 0; i < ARRAY_SIZE(no6); i++)
		ASSERT_FALSE(mc_group_is_ssm(no6[i])) {
			TH_LOG("no6[%u]", i);
		}
}

TEST(names)
{
	ASSERT_STREQ("ok", mc_err_name(MC_OK));
	ASSERT_STREQ("short", mc_err_name(MC_ERR_SHORT));
	ASSERT_STREQ("checksum", mc_err_name(MC_ERR_CSUM));
	ASSERT_STREQ("type", mc_err_name(MC_ERR_TYPE));
	ASSERT_STREQ("record", mc_err_name(MC_ERR_RECORD));
	ASSERT_STREQ("group", mc_err_name(MC_ERR_GROUP));
	ASSERT_STREQ("source", mc_err_name(MC_ERR_SOURCE));
	ASSERT_STREQ("unknown", mc_err_name(__MC_ERR_MAX));
	ASSERT_STREQ("unknown", mc_err_name((enum mc_err)-1));

	ASSERT_STREQ("unknown", mc_rec_type_name(0));
	ASSERT_STREQ("is_in", mc_rec_type_name(MC_IS_IN));
	ASSERT_STREQ("is_ex", mc_rec_type_name(MC_IS_EX));
	ASSERT_STREQ("to_in", mc_rec_type_name(MC_TO_IN));
	ASSERT_STREQ("to_ex", mc_rec_type_name(MC_TO_EX));
	ASSERT_STREQ("allow", mc_rec_type_name(MC_ALLOW));
	ASSERT_STREQ("block", mc_rec_type_name(MC_BLOCK));
	ASSERT_STREQ("unknown", mc_rec_type_name(7));
	ASSERT_STREQ("unknown", mc_rec_type_name(255));
}

TEST_HARNESS_MAIN
