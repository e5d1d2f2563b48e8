// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for kmod/ip6_chain.c, built in userspace under ASan and UBSan.
 * Packets are put together with the small builder below, one header at a
 * time, each header given the Next Header value of what follows it.
 *
 * Every walk runs on a heap copy of exactly buf_len octets, so a read past
 * buf is an ASan report, not a quiet pass. Every walk of a whole packet
 * also walks each of its prefixes (check_prefixes()).
 *
 * With IP6_CHAIN_CORPUS_DIR set, every whole packet walked is also written
 * there as a fuzzing seed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "ip6_chain.h"
#include "unit.h"

/* Next Header values */
#define HOPOPTS		0
#define TCP		6
#define UDP		17
#define ROUTING		43
#define FRAGMENT	44
#define ESP		50
#define AH		51
#define ICMPV6		58
#define NONXT		59
#define DSTOPTS		60
#define SCTP		132
#define MOBILITY	135
#define HIP		139
#define SHIM6		140
#define EXP1		253
#define EXP2		254

#define IP6_HDR_LEN	40

/* ---- A packet builder -------------------------------------------------- */

struct builder {
	uint8_t data[8192];
	uint32_t len;
};

static void put8(struct builder *b, uint8_t v)
{
	if (b->len >= sizeof(b->data))
		abort();
	b->data[b->len++] = v;
}

static void fill(struct builder *b, uint32_t n, uint8_t v)
{
	while (n--)
		put8(b, v);
}

/* An IPv6 header, 2001:db8::1 to 2001:db8::2; Payload Length is not set. */
static void ip6(struct builder *b, uint8_t nh)
{
	const uint8_t hdr[IP6_HDR_LEN] = {
		0x60, 0, 0, 0,  0, 0, nh, 64,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	};
	unsigned int i;

	for (i = 0; i < sizeof(hdr); i++)
		put8(b, hdr[i]);
}

/*
 * An extension header of (len + 1) * 8 octets: Next Header, Hdr Ext Len,
 * then zeros (Pad1 options, in Hop-by-Hop and Destination Options).
 */
static void ext(struct builder *b, uint8_t nh, uint8_t len)
{
	put8(b, nh);
	put8(b, len);
	fill(b, (len + 1) * 8 - 2, 0);
}

/* An AH of (len + 2) * 4 octets. */
static void ah(struct builder *b, uint8_t nh, uint8_t len)
{
	put8(b, nh);
	put8(b, len);
	fill(b, (len + 2) * 4 - 2, 0xa5);
}

/* A Fragment header; offset in 8-octet units. */
static void frag(struct builder *b, uint8_t nh, uint16_t offset, int more)
{
	put8(b, nh);
	put8(b, 0);
	put8(b, offset >> 5);
	put8(b, (offset << 3 | !!more) & 0xff);
	put8(b, 0x12);		/* Identification */
	put8(b, 0x34);
	put8(b, 0x56);
	put8(b, 0x78);
}

/* n octets of upper-layer header or data. */
static void l4(struct builder *b, uint32_t n)
{
	fill(b, n, 0x5a);
}

/* ---- Walking ----------------------------------------------------------- */

FIXTURE(chain) {
	struct builder b;
	struct ip6_chain c;
	int seeds;
};

FIXTURE_SETUP(chain)
{
	memset(self, 0, sizeof(*self));
}

FIXTURE_TEARDOWN(chain)
{
}

/* Walks a heap copy of the builder's first buf_len octets. */
static enum ip6_chain_res walk_copy(const struct builder *b, uint32_t buf_len,
				    uint32_t pkt_len, struct ip6_chain *c)
{
	enum ip6_chain_res res;
	uint8_t *copy;

	if (buf_len > b->len)
		abort();
	copy = malloc(buf_len ? buf_len : 1);
	if (!copy)
		abort();
	memcpy(copy, b->data, buf_len);
	res = ip6_chain_walk(copy, buf_len, pkt_len, c);
	free(copy);
	return res;
}

#define ASSERT_SAME_CHAIN(want, seen) do { \
	ASSERT_EQ((want)->l4_off, (seen)->l4_off); \
	ASSERT_EQ((want)->need, (seen)->need); \
	ASSERT_EQ((want)->frag_off, (seen)->frag_off); \
	ASSERT_EQ((want)->l4_proto, (seen)->l4_proto); \
	ASSERT_EQ((want)->n_ext, (seen)->n_ext); \
	ASSERT_EQ((want)->fragment, (seen)->fragment); \
} while (0)

/*
 * A prefix of the packet either asks for more, but never past the packet,
 * or ends as the whole packet does: the walker decides nothing from bytes
 * it was not given. Following ->need from nothing reaches the whole
 * packet's result, ->need growing each time.
 */
static void check_prefixes(struct __test_metadata *_metadata,
			   const struct builder *b, uint32_t pkt_len,
			   enum ip6_chain_res whole_res,
			   const struct ip6_chain *whole)
{
	enum ip6_chain_res res;
	struct ip6_chain c;
	uint32_t n;

	for (n = 0; n < pkt_len; n++) {
		res = walk_copy(b, n, pkt_len, &c);
		if (res == IP6_CHAIN_NEED_MORE) {
			ASSERT_LT(n, c.need);
			ASSERT_GE(pkt_len, c.need);
			continue;
		}
		ASSERT_STREQ(ip6_chain_res_name(whole_res),
			     ip6_chain_res_name(res)) {
			TH_LOG("prefix of %u octets", n);
		}
		ASSERT_SAME_CHAIN(whole, &c);
	}

	n = 0;
	while ((res = walk_copy(b, n, pkt_len, &c)) == IP6_CHAIN_NEED_MORE) {
		ASSERT_LT(n, c.need);
		n = c.need;
	}
	ASSERT_EQ(whole_res, res);
}

/*
 * Walks buf_len octets of the builder's packet, taken to be pkt_len long;
 * a whole packet is also a seed, and its prefixes are checked.
 */
static enum ip6_chain_res walk(struct __test_metadata *_metadata,
			       FIXTURE_DATA(chain) *self, uint32_t buf_len,
			       uint32_t pkt_len)
{
	enum ip6_chain_res res;

	res = walk_copy(&self->b, buf_len, pkt_len, &self->c);
	if (buf_len == pkt_len) {
		write_seed("IP6_CHAIN_CORPUS_DIR", 0, _metadata->name, self->seeds++, self->b.data,
			   buf_len);
		check_prefixes(_metadata, &self->b, pkt_len, res, &self->c);
	}
	return res;
}

#define EXPECT_WALK(want, buf_len, pkt_len) \
	ASSERT_STREQ(ip6_chain_res_name(want), ip6_chain_res_name( \
		walk(_metadata, self, buf_len, pkt_len)))
/* The whole of what the builder holds. */
#define EXPECT_WALK_ALL(want) EXPECT_WALK(want, self->b.len, self->b.len)

/* The chain ends at l4_off with l4_proto after n_ext headers. */
#define ASSERT_END(proto, off, n) do { \
	ASSERT_EQ(proto, self->c.l4_proto); \
	ASSERT_EQ(off, self->c.l4_off); \
	ASSERT_EQ(n, self->c.n_ext); \
} while (0)

/* ---- Plain packets ----------------------------------------------------- */

TEST_F(chain, plain_udp)
{
	ip6(&self->b, UDP);
	l4(&self->b, 8 + 20);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(UDP, 40, 0);
	ASSERT_FALSE(self->c.fragment);
	ASSERT_EQ(0, self->c.frag_off);
	ASSERT_EQ(0, self->c.need);
}

TEST_F(chain, plain_tcp)
{
	ip6(&self->b, TCP);
	l4(&self->b, 20);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(TCP, 40, 0);
}

TEST_F(chain, plain_icmpv6)
{
	ip6(&self->b, ICMPV6);
	l4(&self->b, 4);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(ICMPV6, 40, 0);
}

/* Each protocol's minimum: all there is ok, one short is incomplete. */
TEST_F(chain, upper_layer_minimum_headers)
{
	static const struct { uint8_t proto; uint32_t min; } t[] = {
		{ TCP, 20 }, { UDP, 8 }, { ICMPV6, 4 }, { SCTP, 12 },
		{ ESP, 8 }, { NONXT, 0 }, { 200, 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		self->b.len = 0;
		ip6(&self->b, t[i].proto);
		l4(&self->b, t[i].min);
		EXPECT_WALK_ALL(IP6_CHAIN_OK);
		ASSERT_END(t[i].proto, 40, 0);
		if (!t[i].min)
			continue;
		EXPECT_WALK(IP6_CHAIN_INCOMPLETE, self->b.len - 1,
			    self->b.len - 1) {
			TH_LOG("protocol %u", t[i].proto);
		}
		ASSERT_END(t[i].proto, 40, 0);
		EXPECT_WALK(IP6_CHAIN_NEED_MORE, self->b.len - 1, self->b.len);
		ASSERT_EQ(40 + t[i].min, self->c.need);
	}
}

/* ---- Extension headers ------------------------------------------------- */

TEST_F(chain, hop_by_hop_first)
{
	ip6(&self->b, HOPOPTS);
	ext(&self->b, UDP, 0);
	l4(&self->b, 8);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(UDP, 48, 1);
}

/* RFC 8200 4.1: Hop-by-Hop only straight after the IPv6 header. */
TEST_F(chain, hop_by_hop_second_is_malformed)
{
	ip6(&self->b, DSTOPTS);
	ext(&self->b, HOPOPTS, 0);
	ext(&self->b, UDP, 0);
	l4(&self->b, 8);
	EXPECT_WALK_ALL(IP6_CHAIN_MALFORMED);

	self->b.len = 0;
	ip6(&self->b, HOPOPTS);
	ext(&self->b, HOPOPTS, 0);
	ext(&self->b, UDP, 0);
	l4(&self->b, 8);
	EXPECT_WALK_ALL(IP6_CHAIN_MALFORMED);
}

TEST_F(chain, routing_dest_udp)
{
	ip6(&self->b, ROUTING);
	ext(&self->b, DSTOPTS, 2);		/* 24 octets */
	ext(&self->b, UDP, 1);			/* 16 */
	l4(&self->b, 8 + 100);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(UDP, 40 + 24 + 16, 2);
}

/* RFC 4302: AH counts 4-octet units, minus 2, not 8-octet units minus 1. */
TEST_F(chain, ah_length)
{
	ip6(&self->b, AH);
	ah(&self->b, TCP, 4);			/* 24 octets, not 40 */
	l4(&self->b, 20);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(TCP, 40 + 24, 1);

	self->b.len = 0;
	ip6(&self->b, AH);
	ah(&self->b, UDP, 2);			/* 16 octets, not 24 */
	l4(&self->b, 8);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(UDP, 40 + 16, 1);
}

TEST_F(chain, every_extension_header_type)
{
	ip6(&self->b, HOPOPTS);
	ext(&self->b, ROUTING, 0);
	ext(&self->b, FRAGMENT, 1);
	frag(&self->b, AH, 0, 0);
	ah(&self->b, DSTOPTS, 2);
	ext(&self->b, MOBILITY, 0);
	ext(&self->b, HIP, 0);
	ext(&self->b, SHIM6, 0);
	ext(&self->b, EXP1, 0);
	ext(&self->b, EXP2, 0);
	ext(&self->b, UDP, 0);
	l4(&self->b, 8);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(UDP, 40 + 8 + 16 + 8 + 16 + 5 * 8 + 8, 10);
	ASSERT_TRUE(self->c.fragment);
}

/* ---- Fragments --------------------------------------------------------- */

TEST_F(chain, first_fragment_with_udp_header)
{
	ip6(&self->b, FRAGMENT);
	frag(&self->b, UDP, 0, 1);
	l4(&self->b, 8 + 1232);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(UDP, 48, 1);
	ASSERT_TRUE(self->c.fragment);
	ASSERT_EQ(0, self->c.frag_off);
}

/*
 * RFC 7112: a first fragment must hold the whole chain, up to the
 * upper-layer header. Here Destination Options push UDP's header into the
 * second fragment, out of a port filter's sight.
 */
TEST_F(chain, first_fragment_without_udp_header)
{
	ip6(&self->b, FRAGMENT);
	frag(&self->b, DSTOPTS, 0, 1);
	ext(&self->b, UDP, 0);
	EXPECT_WALK_ALL(IP6_CHAIN_INCOMPLETE);
	ASSERT_END(UDP, 56, 2);
	ASSERT_TRUE(self->c.fragment);

	/* half of the header in the first fragment is no better */
	l4(&self->b, 4);
	EXPECT_WALK_ALL(IP6_CHAIN_INCOMPLETE);
	ASSERT_END(UDP, 56, 2);
	ASSERT_TRUE(self->c.fragment);
}

/* The chain itself cut by the fragmentation. */
TEST_F(chain, first_fragment_cut_in_the_chain)
{
	ip6(&self->b, FRAGMENT);
	frag(&self->b, DSTOPTS, 0, 1);
	ext(&self->b, UDP, 3);
	l4(&self->b, 8);
	EXPECT_WALK(IP6_CHAIN_INCOMPLETE, 48 + 16, 48 + 16);
	ASSERT_TRUE(self->c.fragment);
	ASSERT_EQ(1, self->c.n_ext);
}

TEST_F(chain, later_fragment)
{
	ip6(&self->b, FRAGMENT);
	frag(&self->b, UDP, 1232 / 8, 1);
	l4(&self->b, 3);		/* no UDP header: it is not one */
	EXPECT_WALK_ALL(IP6_CHAIN_LATER_FRAGMENT);
	ASSERT_END(UDP, 48, 1);
	ASSERT_TRUE(self->c.fragment);
	ASSERT_EQ(154, self->c.frag_off);

	/* the largest offset, and no data at all */
	self->b.len = 0;
	ip6(&self->b, FRAGMENT);
	frag(&self->b, TCP, 0x1fff, 0);
	EXPECT_WALK_ALL(IP6_CHAIN_LATER_FRAGMENT);
	ASSERT_END(TCP, 48, 1);
	ASSERT_EQ(0x1fff, self->c.frag_off);
}

/* RFC 6946: offset 0 and M 0, the whole packet in one "fragment". */
TEST_F(chain, atomic_fragment)
{
	ip6(&self->b, FRAGMENT);
	frag(&self->b, DSTOPTS, 0, 0);
	ext(&self->b, ICMPV6, 0);
	l4(&self->b, 8);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(ICMPV6, 56, 2);
	ASSERT_TRUE(self->c.fragment);
	ASSERT_EQ(0, self->c.frag_off);
}

TEST_F(chain, two_fragment_headers)
{
	ip6(&self->b, FRAGMENT);
	frag(&self->b, FRAGMENT, 0, 1);
	frag(&self->b, UDP, 0, 1);
	l4(&self->b, 8);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(UDP, 56, 2);
	ASSERT_TRUE(self->c.fragment);

	/* the second one decides */
	self->b.len = 0;
	ip6(&self->b, FRAGMENT);
	frag(&self->b, FRAGMENT, 0, 1);
	frag(&self->b, UDP, 10, 1);
	l4(&self->b, 8);
	EXPECT_WALK_ALL(IP6_CHAIN_LATER_FRAGMENT);
	ASSERT_END(UDP, 56, 2);
	ASSERT_EQ(10, self->c.frag_off);
}

/* ---- Short buffers and short packets ----------------------------------- */

TEST_F(chain, need_more_then_ok)
{
	ip6(&self->b, ROUTING);
	ext(&self->b, UDP, 2);
	l4(&self->b, 8 + 500);

	EXPECT_WALK(IP6_CHAIN_NEED_MORE, 70, self->b.len);
	ASSERT_EQ(40 + 24 + 8, self->c.need);
	EXPECT_WALK(IP6_CHAIN_OK, self->c.need, self->b.len);
	ASSERT_END(UDP, 64, 1);
	ASSERT_EQ(0, self->c.need);

	/* from the start: the IPv6 header, 8 octets, the header, then UDP */
	EXPECT_WALK(IP6_CHAIN_NEED_MORE, 0, self->b.len);
	ASSERT_EQ(40, self->c.need);
	EXPECT_WALK(IP6_CHAIN_NEED_MORE, self->c.need, self->b.len);
	ASSERT_EQ(48, self->c.need);
	EXPECT_WALK(IP6_CHAIN_NEED_MORE, self->c.need, self->b.len);
	ASSERT_EQ(64, self->c.need);
	EXPECT_WALK(IP6_CHAIN_NEED_MORE, self->c.need, self->b.len);
	ASSERT_EQ(72, self->c.need);
	EXPECT_WALK(IP6_CHAIN_OK, self->c.need, self->b.len);
}

/* Need must not wrap, nor trust pkt_len to be an IPv6 length. */
TEST_F(chain, need_with_huge_pkt_len)
{
	ip6(&self->b, DSTOPTS);
	ext(&self->b, UDP, 255);		/* 2048 octets */
	EXPECT_WALK(IP6_CHAIN_NEED_MORE, 48, UINT32_MAX);
	ASSERT_EQ(40 + 2048, self->c.need);
	EXPECT_WALK(IP6_CHAIN_NEED_MORE, self->b.len, UINT32_MAX);
	ASSERT_EQ(40 + 2048 + 8, self->c.need);
	ASSERT_END(UDP, 40 + 2048, 1);
}

TEST_F(chain, truncated_extension_header)
{
	ip6(&self->b, DSTOPTS);
	ext(&self->b, UDP, 1);
	l4(&self->b, 8);

	/* the packet ends in its first 8 octets, then after them */
	EXPECT_WALK(IP6_CHAIN_INCOMPLETE, 44, 44);
	ASSERT_EQ(0, self->c.n_ext);
	EXPECT_WALK(IP6_CHAIN_INCOMPLETE, 50, 50);
	ASSERT_EQ(0, self->c.n_ext);
	ASSERT_EQ(0, self->c.need);
	/* the packet goes on, buf does not */
	EXPECT_WALK(IP6_CHAIN_NEED_MORE, 44, self->b.len);
	ASSERT_EQ(48, self->c.need);
	EXPECT_WALK(IP6_CHAIN_NEED_MORE, 50, self->b.len);
	ASSERT_EQ(56, self->c.need);
}

/* Bytes past pkt_len are not the packet's, even in buf. */
TEST_F(chain, buf_past_pkt_len)
{
	ip6(&self->b, UDP);
	l4(&self->b, 8);
	EXPECT_WALK(IP6_CHAIN_INCOMPLETE, self->b.len, 44);
	EXPECT_WALK(IP6_CHAIN_MALFORMED, self->b.len, 39);
}

/* ---- Ends of chains ---------------------------------------------------- */

TEST_F(chain, no_next_header)
{
	ip6(&self->b, DSTOPTS);
	ext(&self->b, NONXT, 0);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(NONXT, 48, 1);

	/* RFC 8200 4.7: whatever follows is ignored, and is no header */
	l4(&self->b, 13);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(NONXT, 48, 1);
}

/* 253 is an extension header (RFC 3692); 200 is not assigned at all. */
TEST_F(chain, unknown_protocols)
{
	ip6(&self->b, EXP1);
	ext(&self->b, 200, 0);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(200, 48, 1);

	self->b.len = 0;
	ip6(&self->b, 200);
	l4(&self->b, 3);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(200, 40, 0);
}

/* RFC 7610 bans any limit: 100 headers are walked like one. */
TEST_F(chain, hundred_destination_options)
{
	int i;

	ip6(&self->b, DSTOPTS);
	for (i = 0; i < 99; i++)
		ext(&self->b, DSTOPTS, 0);
	ext(&self->b, UDP, 0);
	l4(&self->b, 8);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(UDP, 40 + 800, 100);
}

TEST_F(chain, n_ext_saturates)
{
	int i;

	ip6(&self->b, DSTOPTS);
	for (i = 0; i < 299; i++)
		ext(&self->b, DSTOPTS, 0);
	ext(&self->b, UDP, 0);
	l4(&self->b, 8);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(UDP, 40 + 300 * 8, 255);

	/* exactly 255 */
	self->b.len = 0;
	ip6(&self->b, DSTOPTS);
	for (i = 0; i < 254; i++)
		ext(&self->b, DSTOPTS, 0);
	ext(&self->b, UDP, 0);
	l4(&self->b, 8);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(UDP, 40 + 255 * 8, 255);
}

/* ---- Not IPv6 ---------------------------------------------------------- */

TEST_F(chain, not_version_6)
{
	ip6(&self->b, UDP);
	l4(&self->b, 8);
	self->b.data[0] = 0x45;			/* IPv4 */
	EXPECT_WALK_ALL(IP6_CHAIN_MALFORMED);
	self->b.data[0] = 0x00;
	EXPECT_WALK_ALL(IP6_CHAIN_MALFORMED);
	self->b.data[0] = 0x7f;
	EXPECT_WALK_ALL(IP6_CHAIN_MALFORMED);
	self->b.data[0] = 0x6f;			/* traffic class bits */
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
}

TEST_F(chain, shorter_than_ipv6_header)
{
	ip6(&self->b, NONXT);
	EXPECT_WALK_ALL(IP6_CHAIN_OK);
	ASSERT_END(NONXT, 40, 0);
	EXPECT_WALK(IP6_CHAIN_MALFORMED, 39, 39);
	EXPECT_WALK(IP6_CHAIN_MALFORMED, 0, 0);
	ASSERT_EQ(0, self->c.need);
}

TEST(result_names)
{
	ASSERT_STREQ("ok", ip6_chain_res_name(IP6_CHAIN_OK));
	ASSERT_STREQ("later_fragment",
		     ip6_chain_res_name(IP6_CHAIN_LATER_FRAGMENT));
	ASSERT_STREQ("need_more", ip6_chain_res_name(IP6_CHAIN_NEED_MORE));
	ASSERT_STREQ("incomplete", ip6_chain_res_name(IP6_CHAIN_INCOMPLETE));
	ASSERT_STREQ("malformed", ip6_chain_res_name(IP6_CHAIN_MALFORMED));
	ASSERT_STREQ("unknown", ip6_chain_res_name(IP6_CHAIN_MALFORMED + 1));
}

TEST_HARNESS_MAIN
