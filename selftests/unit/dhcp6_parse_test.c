// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for kmod/dhcp6_parse.c, built in userspace under ASan and
 * UBSan. Vectors are byte arrays written out by hand, or built with the
 * small option builder below where a test needs many or nested options.
 *
 * Every parse runs on a heap copy of exactly the message's length, so a
 * read past the end is an ASan report, not a quiet pass.
 *
 * With DHCP6_CORPUS_DIR set, every vector parsed (not the truncated
 * copies) is also written there as a fuzzing seed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "dhcp6_parse.h"
#define LG_UNIT_BUILDER
#include "unit.h"

#ifndef VECTORS_DIR
#define VECTORS_DIR "vectors"
#endif

#ifndef ARRAY_SIZE
#endif

/* Option codes leaseguard skips. */
#define OPT_ORO		6
#define OPT_ELAPSED	8

/* The addresses the builder puts in relay headers and leases. */
#define ADDR(last)	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, \
			  0, 0, 0, 0, 0, 0, 0, (last) }
#define LL_ADDR(last)	{ 0xfe, 0x80, 0, 0, 0, 0, 0, 0, \
			  0, 0, 0, 0, 0, 0, 0, (last) }

/* ---- Hand-written vectors ---------------------------------------------- */

/* A client soliciting an address and a /56 with Rapid Commit. */
static const uint8_t solicit[] = {
	0x01, 0xab, 0xcd, 0xef,			/* SOLICIT, xid 0xabcdef */
	0x00, 0x01, 0x00, 0x0a,			/* CLIENTID, 10 octets: */
	0x00, 0x03, 0x00, 0x01,			/*   DUID-LL, Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/*   02:00:00:00:00:01 */
	0x00, 0x06, 0x00, 0x04,			/* ORO, 4 octets: */
	0x00, 0x17, 0x00, 0x18,			/*   DNS servers, domains */
	0x00, 0x08, 0x00, 0x02,			/* ELAPSED_TIME, 2 octets: */
	0x00, 0x00,				/*   0 */
	0x00, 0x0e, 0x00, 0x00,			/* RAPID_COMMIT */
	0x00, 0x03, 0x00, 0x0c,			/* IA_NA, 12 octets: */
	0x00, 0x00, 0x00, 0x01,			/*   IAID 1 */
	0x00, 0x00, 0x00, 0x00,			/*   T1 0 */
	0x00, 0x00, 0x00, 0x00,			/*   T2 0 */
	0x00, 0x19, 0x00, 0x29,			/* IA_PD, 41 octets: */
	0x00, 0x00, 0x00, 0x02,			/*   IAID 2 */
	0x00, 0x00, 0x00, 0x00,			/*   T1 0 */
	0x00, 0x00, 0x00, 0x00,			/*   T2 0 */
	0x00, 0x1a, 0x00, 0x19,			/*   IAPREFIX, 25 octets: */
	0x00, 0x00, 0x00, 0x00,			/*     preferred 0 */
	0x00, 0x00, 0x00, 0x00,			/*     valid 0 */
	0x38,					/*     /56 hint */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/*     :: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* A server granting two addresses and a /56. */
static const uint8_t reply[] = {
	0x07, 0x12, 0x34, 0x56,			/* REPLY, xid 0x123456 */
	0x00, 0x01, 0x00, 0x0a,			/* CLIENTID, 10 octets: */
	0x00, 0x03, 0x00, 0x01,			/*   DUID-LL, Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/*   02:00:00:00:00:01 */
	0x00, 0x02, 0x00, 0x0e,			/* SERVERID, 14 octets: */
	0x00, 0x01, 0x00, 0x01,			/*   DUID-LLT, Ethernet */
	0x2a, 0x3b, 0x4c, 0x5d,			/*   time */
	0x02, 0x00, 0x00, 0x00, 0x00, 0xfe,	/*   02:00:00:00:00:fe */
	0x00, 0x03, 0x00, 0x44,			/* IA_NA, 68 octets: */
	0x0a, 0x0b, 0x0c, 0x0d,			/*   IAID 0x0a0b0c0d */
	0x00, 0x00, 0x0e, 0x10,			/*   T1 3600 */
	0x00, 0x00, 0x16, 0x80,			/*   T2 5760 */
	0x00, 0x05, 0x00, 0x18,			/*   IAADDR, 24 octets: */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,	/* 2001:db8:1:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,	/*   ...:100 */
	0x00, 0x00, 0x1c, 0x20,			/*     preferred 7200 */
	0x00, 0x00, 0x2a, 0x30,			/*     valid 10800 */
	0x00, 0x05, 0x00, 0x18,			/*   IAADDR, 24 octets: */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,	/* 2001:db8:1:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01,	/*   ...:101 */
	0x00, 0x00, 0x00, 0x00,			/*     preferred 0 */
	0x00, 0x01, 0x51, 0x80,			/*     valid 86400 */
	0x00, 0x19, 0x00, 0x29,			/* IA_PD, 41 octets: */
	0x11, 0x22, 0x33, 0x44,			/*   IAID 0x11223344 */
	0x00, 0x00, 0x07, 0x08,			/*   T1 1800 */
	0x00, 0x00, 0x0b, 0x40,			/*   T2 2880 */
	0x00, 0x1a, 0x00, 0x19,			/*   IAPREFIX, 25 octets: */
	0x00, 0x00, 0x0e, 0x10,			/*     preferred 3600 */
	0x00, 0x00, 0x1c, 0x20,			/*     valid 7200 */
	0x38,					/*     /56 */
	0x20, 0x01, 0x0d, 0xb8, 0xab, 0x00, 0x00, 0x00,	/* 2001:db8:ab00:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* A server saying no: a Status Code at each of the three levels. */
static const uint8_t reply_status[] = {
	0x07, 0x00, 0x00, 0x01,			/* REPLY, xid 1 */
	0x00, 0x0d, 0x00, 0x04,			/* STATUS_CODE, 4 octets: */
	0x00, 0x01, 'n', 'o',			/*   UnspecFail, "no" */
	0x00, 0x03, 0x00, 0x12,			/* IA_NA, 18 octets: */
	0x00, 0x00, 0x00, 0x01,			/*   IAID 1 */
	0x00, 0x00, 0x00, 0x00,			/*   T1 0 */
	0x00, 0x00, 0x00, 0x00,			/*   T2 0 */
	0x00, 0x0d, 0x00, 0x02,			/*   STATUS_CODE, 2 octets: */
	0x00, 0x02,				/*     NoAddrsAvail */
	0x00, 0x19, 0x00, 0x2f,			/* IA_PD, 47 octets: */
	0x00, 0x00, 0x00, 0x02,			/*   IAID 2 */
	0x00, 0x00, 0x00, 0x00,			/*   T1 0 */
	0x00, 0x00, 0x00, 0x00,			/*   T2 0 */
	0x00, 0x1a, 0x00, 0x1f,			/*   IAPREFIX, 31 octets: */
	0x00, 0x00, 0x00, 0x00,			/*     preferred 0 */
	0x00, 0x00, 0x00, 0x00,			/*     valid 0 */
	0x30,					/*     /48 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* 2001:db8:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x0d, 0x00, 0x02,			/*     STATUS_CODE, 2: */
	0x00, 0x06,				/*       NoPrefixAvail */
};

/* A first-hop relay forwarding a client's Rapid Commit SOLICIT. */
static const uint8_t relay_forw[] = {
	0x0c, 0x00,				/* RELAY-FORW, hop-count 0 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* link-address */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/*   2001:db8::1 */
	0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* peer-address */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,	/*   fe80::2 */
	0x00, 0x12, 0x00, 0x04,			/* INTERFACE_ID, 4 octets: */
	'e', 't', 'h', '1',			/*   "eth1" */
	0x00, 0x4f, 0x00, 0x08,			/* CLIENT_LINKLAYER_ADDR, 8: */
	0x00, 0x01,				/*   Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/*   02:00:00:00:00:01 */
	0x00, 0x35, 0x00, 0x0a,			/* RELAY_ID, 10 octets: */
	0x00, 0x03, 0x00, 0x01,			/*   DUID-LL, Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0xaa,	/*   02:00:00:00:00:aa */
	0x00, 0x09, 0x00, 0x16,			/* RELAY_MSG, 22 octets: */
	0x01, 0x00, 0x00, 0x07,			/*   SOLICIT, xid 7 */
	0x00, 0x01, 0x00, 0x0a,			/*   CLIENTID, 10 octets: */
	0x00, 0x03, 0x00, 0x01,			/*     DUID-LL, Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/*     02:00:00:00:00:01 */
	0x00, 0x0e, 0x00, 0x00,			/*   RAPID_COMMIT */
};

/* ---- A builder for the rest -------------------------------------------- */

/* A relay header; link-address 2001:db8::<hops>, peer fe80::<hops>. */
static void relay(struct builder *b, uint8_t type, uint8_t hops)
{
	const uint8_t link[16] = ADDR(hops), peer[16] = LL_ADDR(hops);

	put8(b, type);
	put8(b, hops);
	put(b, link, 16);
	put(b, peer, 16);
}

/* A DUID-LL of n octets in all (n >= 4). */
static void duid(struct builder *b, uint16_t code, uint16_t n)
{
	uint16_t i;

	begin(b, code);
	put16(b, 3);
	put16(b, 1);
	for (i = 4; i < n; i++)
		put8(b, i);
	end(b);
}

static void client_id(struct builder *b)
{
	duid(b, DHCP6_OPT_CLIENTID, 10);
}

/* Opens an IA_NA or IA_PD; close it with end(). */
static void ia(struct builder *b, uint16_t code, uint32_t iaid)
{
	begin(b, code);
	put32(b, iaid);
	put32(b, 100);
	put32(b, 200);
}

/* Opens an IAADDR 2001:db8::<last>; close it with end(). */
static void iaaddr(struct builder *b, uint8_t last)
{
	const uint8_t addr[16] = ADDR(last);

	begin(b, DHCP6_OPT_IAADDR);
	put(b, addr, 16);
	put32(b, 300);
	put32(b, 400);
}

/* Opens an IAPREFIX 2001:db8::/<plen>; close it with end(). */
static void iaprefix(struct builder *b, uint8_t plen)
{
	const uint8_t addr[16] = ADDR(0);

	begin(b, DHCP6_OPT_IAPREFIX);
	put32(b, 500);
	put32(b, 600);
	put8(b, plen);
	put(b, addr, 16);
}

static void status(struct builder *b, uint16_t code)
{
	begin(b, DHCP6_OPT_STATUS_CODE);
	put16(b, code);
	end(b);
}

/* ---- Parsing ----------------------------------------------------------- */

FIXTURE(dhcp6) {
	struct builder b;
	struct dhcp6_packet pkt;
	uint8_t *copy;		/* what pkt points into */
	int seeds;
};

FIXTURE_SETUP(dhcp6)
{
	memset(self, 0, sizeof(*self));
}

FIXTURE_TEARDOWN(dhcp6)
{
	free(self->copy);
}

/* Parses a heap copy of exactly len octets, kept until the next parse. */
static enum dhcp6_err parse_copy(FIXTURE_DATA(dhcp6) *self,
				 const uint8_t *buf, size_t len)
{
	free(self->copy);
	self->copy = malloc(len ? len : 1);
	if (!self->copy)
		abort();
	memcpy(self->copy, buf, len);
	return dhcp6_parse(self->copy, len, &self->pkt);
}

static enum dhcp6_err parse_seed(struct __test_metadata *_metadata,
				 FIXTURE_DATA(dhcp6) *self,
				 const uint8_t *buf, size_t len)
{
	write_seed("DHCP6_CORPUS_DIR", 0, _metadata->name, self->seeds++, buf, len);
	return parse_copy(self, buf, len);
}

/* Parse a vector, or what the builder holds, and check the result. */
#define EXPECT_PARSE(want, buf, len) \
	ASSERT_STREQ(dhcp6_err_name(want), \
		     dhcp6_err_name(parse_seed(_metadata, self, buf, len)))
#define EXPECT_PARSE_B(want) EXPECT_PARSE(want, self->b.data, self->b.len)

/* The parsed copy's octet at offset off of the original vector. */
#define AT(off) (self->copy + (off))

static const uint8_t addr_100[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00
};
static const uint8_t addr_101[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x01
};
static const uint8_t prefix_ab00[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0xab, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
};

/* ---- Good messages ----------------------------------------------------- */

TEST_F(dhcp6, solicit_ia_na_ia_pd)
{
	const struct dhcp6_msg *m = &self->pkt.msg;

	EXPECT_PARSE(DHCP6_OK, solicit, sizeof(solicit));
	ASSERT_EQ(0, self->pkt.n_relays);
	ASSERT_EQ(DHCP6_SOLICIT, m->type);
	ASSERT_EQ(0xabcdef, m->xid);
	ASSERT_EQ(AT(8), m->client_id.data);
	ASSERT_EQ(10, m->client_id.len);
	ASSERT_EQ(0, m->server_id.len);
	ASSERT_FALSE(m->has_status);
	ASSERT_TRUE(m->rapid_commit);
	ASSERT_EQ(2, m->n_ias);
	ASSERT_FALSE(m->ias_truncated);
	ASSERT_EQ(DHCP6_OPT_IA_NA, m->ias[0].type);
	ASSERT_EQ(1, m->ias[0].iaid);
	ASSERT_EQ(0, m->ias[0].n_leases);
	ASSERT_EQ(DHCP6_OPT_IA_PD, m->ias[1].type);
	ASSERT_EQ(2, m->ias[1].iaid);
	ASSERT_EQ(1, m->ias[1].n_leases);
	ASSERT_EQ(56, m->ias[1].leases[0].plen);
}

TEST_F(dhcp6, reply_values_read_back)
{
	const struct dhcp6_msg *m = &self->pkt.msg;
	const struct dhcp6_ia *na = &m->ias[0], *pd = &m->ias[1];

	EXPECT_PARSE(DHCP6_OK, reply, sizeof(reply));
	ASSERT_EQ(DHCP6_REPLY, m->type);
	ASSERT_EQ(0x123456, m->xid);
	ASSERT_EQ(AT(8), m->client_id.data);
	ASSERT_EQ(10, m->client_id.len);
	ASSERT_EQ(AT(22), m->server_id.data);
	ASSERT_EQ(14, m->server_id.len);
	ASSERT_EQ(0, memcmp(m->server_id.data, reply + 22, 14));
	ASSERT_FALSE(m->rapid_commit);
	ASSERT_EQ(2, m->n_ias);

	ASSERT_EQ(DHCP6_OPT_IA_NA, na->type);
	ASSERT_EQ(0x0a0b0c0d, na->iaid);
	ASSERT_EQ(3600, na->t1);
	ASSERT_EQ(5760, na->t2);
	ASSERT_FALSE(na->has_status);
	ASSERT_EQ(2, na->n_leases);
	ASSERT_FALSE(na->leases_truncated);
	ASSERT_EQ(0, memcmp(addr_100, na->leases[0].addr, 16));
	ASSERT_EQ(128, na->leases[0].plen);
	ASSERT_EQ(7200, na->leases[0].preferred);
	ASSERT_EQ(10800, na->leases[0].valid);
	ASSERT_FALSE(na->leases[0].has_status);
	ASSERT_EQ(0, memcmp(addr_101, na->leases[1].addr, 16));
	ASSERT_EQ(128, na->leases[1].plen);
	ASSERT_EQ(0, na->leases[1].preferred);
	ASSERT_EQ(86400, na->leases[1].valid);

	ASSERT_EQ(DHCP6_OPT_IA_PD, pd->type);
	ASSERT_EQ(0x11223344, pd->iaid);
	ASSERT_EQ(1800, pd->t1);
	ASSERT_EQ(2880, pd->t2);
	ASSERT_EQ(1, pd->n_leases);
	ASSERT_EQ(0, memcmp(prefix_ab00, pd->leases[0].addr, 16));
	ASSERT_EQ(56, pd->leases[0].plen);
	ASSERT_EQ(3600, pd->leases[0].preferred);
	ASSERT_EQ(7200, pd->leases[0].valid);
}

TEST_F(dhcp6, status_codes_at_each_level)
{
	const struct dhcp6_msg *m = &self->pkt.msg;

	EXPECT_PARSE(DHCP6_OK, reply_status, sizeof(reply_status));
	ASSERT_TRUE(m->has_status);
	ASSERT_EQ(DHCP6_STATUS_UNSPEC_FAIL, m->status);
	ASSERT_EQ(2, m->n_ias);
	ASSERT_TRUE(m->ias[0].has_status);
	ASSERT_EQ(DHCP6_STATUS_NO_ADDRS_AVAIL, m->ias[0].status);
	ASSERT_EQ(0, m->ias[0].n_leases);
	ASSERT_FALSE(m->ias[1].has_status);
	ASSERT_EQ(1, m->ias[1].n_leases);
	ASSERT_EQ(48, m->ias[1].leases[0].plen);
	ASSERT_TRUE(m->ias[1].leases[0].has_status);
	ASSERT_EQ(DHCP6_STATUS_NO_PREFIX_AVAIL, m->ias[1].leases[0].status);
}

TEST_F(dhcp6, status_in_iaaddr)
{
	struct builder *b = &self->b;

	msg(b, DHCP6_REPLY, 2);
	ia(b, DHCP6_OPT_IA_NA, 1);
	iaaddr(b, 1);
	status(b, DHCP6_STATUS_NOT_ON_LINK);
	end(b);
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_FALSE(self->pkt.msg.has_status);
	ASSERT_FALSE(self->pkt.msg.ias[0].has_status);
	ASSERT_TRUE(self->pkt.msg.ias[0].leases[0].has_status);
	ASSERT_EQ(DHCP6_STATUS_NOT_ON_LINK,
		  self->pkt.msg.ias[0].leases[0].status);
}

TEST_F(dhcp6, status_success_with_message)
{
	static const uint8_t v[] = {
		0x07, 0x00, 0x00, 0x03,		/* REPLY, xid 3 */
		0x00, 0x0d, 0x00, 0x0a,		/* STATUS_CODE, 10 octets: */
		0x00, 0x00,			/*   Success */
		'a', 'l', 'l', ' ', 'g', 'o', 'o', 'd',
	};

	EXPECT_PARSE(DHCP6_OK, v, sizeof(v));
	ASSERT_TRUE(self->pkt.msg.has_status);
	ASSERT_EQ(DHCP6_STATUS_SUCCESS, self->pkt.msg.status);
}

TEST_F(dhcp6, rapid_commit)
{
	static const uint8_t v[] = {
		0x01, 0x00, 0x00, 0x04,		/* SOLICIT, xid 4 */
		0x00, 0x0e, 0x00, 0x00,		/* RAPID_COMMIT */
	};

	EXPECT_PARSE(DHCP6_OK, v, sizeof(v));
	ASSERT_TRUE(self->pkt.msg.rapid_commit);
	EXPECT_PARSE(DHCP6_OK, v, 4);
	ASSERT_FALSE(self->pkt.msg.rapid_commit);
}

TEST_F(dhcp6, header_only_message)
{
	static const uint8_t v[] = { 0x0b, 0xff, 0xff, 0xff };

	EXPECT_PARSE(DHCP6_OK, v, sizeof(v));
	ASSERT_EQ(DHCP6_INFORMATION_REQUEST, self->pkt.msg.type);
	ASSERT_EQ(0xffffff, self->pkt.msg.xid);
	ASSERT_EQ(0, self->pkt.msg.n_ias);
	ASSERT_EQ(0, self->pkt.msg.client_id.len);
}

/* Client, server, leasequery and unassigned types all parse alike. */
TEST_F(dhcp6, every_message_type)
{
	unsigned int t;

	for (t = 0; t < 256; t++) {
		self->b.len = 0;
		msg(&self->b, t, t);
		client_id(&self->b);
		if (t == DHCP6_RELAY_FORW || t == DHCP6_RELAY_REPL) {
			/* 18 octets: shorter than a relay header */
			ASSERT_EQ(DHCP6_ERR_SHORT,
				  parse_copy(self, self->b.data, self->b.len));
			continue;
		}
		ASSERT_EQ(DHCP6_OK,
			  parse_copy(self, self->b.data, self->b.len)) {
			TH_LOG("message type %u", t);
		}
		ASSERT_EQ(t, self->pkt.msg.type);
		ASSERT_EQ(t, self->pkt.msg.xid);
		ASSERT_EQ(10, self->pkt.msg.client_id.len);
	}
}

TEST_F(dhcp6, client_messages)
{
	static const uint8_t types[] = {
		DHCP6_SOLICIT, DHCP6_REQUEST, DHCP6_CONFIRM, DHCP6_RENEW,
		DHCP6_REBIND, DHCP6_RELEASE, DHCP6_DECLINE,
		DHCP6_INFORMATION_REQUEST,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		self->b.len = 0;
		msg(&self->b, types[i], 0x10 + i);
		client_id(&self->b);
		duid(&self->b, DHCP6_OPT_SERVERID, 12);
		ia(&self->b, DHCP6_OPT_IA_NA, i);
		iaaddr(&self->b, i);
		end(&self->b);
		end(&self->b);
		EXPECT_PARSE_B(DHCP6_OK);
		ASSERT_EQ(types[i], self->pkt.msg.type);
		ASSERT_EQ(1, self->pkt.msg.ias[0].n_leases);
		ASSERT_EQ(i, self->pkt.msg.ias[0].leases[0].addr[15]);
	}
}

TEST_F(dhcp6, server_messages)
{
	static const uint8_t types[] = {
		DHCP6_ADVERTISE, DHCP6_REPLY, DHCP6_RECONFIGURE,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		self->b.len = 0;
		msg(&self->b, types[i], 0x20 + i);
		duid(&self->b, DHCP6_OPT_SERVERID, 12);
		client_id(&self->b);
		ia(&self->b, DHCP6_OPT_IA_PD, i);
		iaprefix(&self->b, 60);
		end(&self->b);
		end(&self->b);
		EXPECT_PARSE_B(DHCP6_OK);
		ASSERT_EQ(types[i], self->pkt.msg.type);
		ASSERT_EQ(12, self->pkt.msg.server_id.len);
		ASSERT_EQ(60, self->pkt.msg.ias[0].leases[0].plen);
		ASSERT_EQ(500, self->pkt.msg.ias[0].leases[0].preferred);
		ASSERT_EQ(600, self->pkt.msg.ias[0].leases[0].valid);
	}
}

TEST_F(dhcp6, leasequery_messages)
{
	unsigned int t;

	for (t = DHCP6_LEASEQUERY; t <= DHCP6_LEASEQUERY_DATA; t++) {
		self->b.len = 0;
		msg(&self->b, t, 0x30);
		client_id(&self->b);
		opt_fill(&self->b, 44, 17);	/* LQ_QUERY: skipped */
		EXPECT_PARSE_B(DHCP6_OK);
		ASSERT_EQ(t, self->pkt.msg.type);
	}
}

TEST_F(dhcp6, unknown_options_skipped)
{
	struct builder *b = &self->b;

	msg(b, DHCP6_REQUEST, 5);
	opt_fill(b, 0, 3);		/* option code 0 */
	opt_fill(b, 0xffff, 0);
	opt_fill(b, OPT_ORO, 1);	/* odd length: not parsed */
	client_id(b);
	ia(b, DHCP6_OPT_IA_NA, 9);
	opt_fill(b, 0x1234, 7);
	iaaddr(b, 9);
	opt_fill(b, 0x4321, 2);
	end(b);
	end(b);
	opt_fill(b, OPT_ELAPSED, 1000);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(10, self->pkt.msg.client_id.len);
	ASSERT_EQ(1, self->pkt.msg.n_ias);
	ASSERT_EQ(1, self->pkt.msg.ias[0].n_leases);
	ASSERT_EQ(9, self->pkt.msg.ias[0].leases[0].addr[15]);
}

TEST_F(dhcp6, ia_ta_skipped)
{
	struct builder *b = &self->b;

	msg(b, DHCP6_SOLICIT, 6);
	begin(b, DHCP6_OPT_IA_TA);	/* an IAID only, then garbage */
	put32(b, 1);
	put16(b, DHCP6_OPT_IAADDR);
	put16(b, 0xffff);
	end(b);
	ia(b, DHCP6_OPT_IA_NA, 1);
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(1, self->pkt.msg.n_ias);
	ASSERT_EQ(DHCP6_OPT_IA_NA, self->pkt.msg.ias[0].type);
}

/* An IAPREFIX in an IA_NA and an IAADDR in an IA_PD are not leases. */
TEST_F(dhcp6, lease_of_other_kind_skipped)
{
	struct builder *b = &self->b;

	msg(b, DHCP6_REPLY, 7);
	ia(b, DHCP6_OPT_IA_NA, 1);
	iaprefix(b, 200);
	end(b);
	end(b);
	ia(b, DHCP6_OPT_IA_PD, 1);
	iaaddr(b, 1);
	end(b);
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(2, self->pkt.msg.n_ias);
	ASSERT_EQ(0, self->pkt.msg.ias[0].n_leases);
	ASSERT_EQ(0, self->pkt.msg.ias[1].n_leases);
}

TEST_F(dhcp6, same_iaid_in_ia_na_and_ia_pd)
{
	struct builder *b = &self->b;

	msg(b, DHCP6_SOLICIT, 8);
	ia(b, DHCP6_OPT_IA_NA, 1);
	end(b);
	ia(b, DHCP6_OPT_IA_PD, 1);
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(2, self->pkt.msg.n_ias);
}

TEST_F(dhcp6, prefix_lengths_0_and_128)
{
	struct builder *b = &self->b;

	msg(b, DHCP6_REPLY, 9);
	ia(b, DHCP6_OPT_IA_PD, 1);
	iaprefix(b, 0);
	end(b);
	iaprefix(b, 128);
	end(b);
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(0, self->pkt.msg.ias[0].leases[0].plen);
	ASSERT_EQ(128, self->pkt.msg.ias[0].leases[1].plen);
}

TEST_F(dhcp6, duid_3_and_130_octets)
{
	struct builder *b = &self->b;
	static const uint8_t duid3[] = { 0x00, 0x04, 0x01 };

	msg(b, DHCP6_REPLY, 10);
	opt(b, DHCP6_OPT_CLIENTID, duid3, sizeof(duid3));
	duid(b, DHCP6_OPT_SERVERID, 130);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(3, self->pkt.msg.client_id.len);
	ASSERT_EQ(130, self->pkt.msg.server_id.len);
	ASSERT_EQ(AT(8), self->pkt.msg.client_id.data);
	ASSERT_EQ(AT(15), self->pkt.msg.server_id.data);
}

TEST_F(dhcp6, ias_beyond_max_truncated)
{
	struct builder *b = &self->b;
	uint32_t i;

	msg(b, DHCP6_SOLICIT, 11);
	for (i = 0; i < DHCP6_MAX_IAS + 3; i++) {
		ia(b, i & 1 ? DHCP6_OPT_IA_PD : DHCP6_OPT_IA_NA, 100 + i);
		end(b);
	}
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(DHCP6_MAX_IAS, self->pkt.msg.n_ias);
	ASSERT_TRUE(self->pkt.msg.ias_truncated);
	for (i = 0; i < DHCP6_MAX_IAS; i++)
		ASSERT_EQ(100 + i, self->pkt.msg.ias[i].iaid);
}

TEST_F(dhcp6, ias_exactly_max)
{
	struct builder *b = &self->b;
	uint32_t i;

	msg(b, DHCP6_SOLICIT, 12);
	for (i = 0; i < DHCP6_MAX_IAS; i++) {
		ia(b, DHCP6_OPT_IA_NA, i);
		end(b);
	}
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(DHCP6_MAX_IAS, self->pkt.msg.n_ias);
	ASSERT_FALSE(self->pkt.msg.ias_truncated);
}

TEST_F(dhcp6, leases_beyond_max_truncated)
{
	struct builder *b = &self->b;
	const struct dhcp6_ia *na = &self->pkt.msg.ias[0];
	int i;

	msg(b, DHCP6_REPLY, 13);
	ia(b, DHCP6_OPT_IA_NA, 1);
	for (i = 0; i < DHCP6_MAX_LEASES + 2; i++) {
		iaaddr(b, i);
		end(b);
	}
	status(b, DHCP6_STATUS_SUCCESS);	/* after the overflow */
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(1, self->pkt.msg.n_ias);
	ASSERT_EQ(DHCP6_MAX_LEASES, na->n_leases);
	ASSERT_TRUE(na->leases_truncated);
	ASSERT_TRUE(na->has_status);
	for (i = 0; i < DHCP6_MAX_LEASES; i++)
		ASSERT_EQ(i, na->leases[i].addr[15]);
}

TEST_F(dhcp6, leases_exactly_max)
{
	struct builder *b = &self->b;
	int i;

	msg(b, DHCP6_REPLY, 14);
	ia(b, DHCP6_OPT_IA_PD, 1);
	for (i = 0; i < DHCP6_MAX_LEASES; i++) {
		iaprefix(b, 48 + i);
		end(b);
	}
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(DHCP6_MAX_LEASES, self->pkt.msg.ias[0].n_leases);
	ASSERT_FALSE(self->pkt.msg.ias[0].leases_truncated);
	ASSERT_EQ(51, self->pkt.msg.ias[0].leases[3].plen);
}

/* What is not kept is still checked. */
TEST_F(dhcp6, ia_beyond_max_still_validated)
{
	struct builder *b = &self->b;
	uint32_t i;

	msg(b, DHCP6_SOLICIT, 15);
	for (i = 0; i < DHCP6_MAX_IAS; i++) {
		ia(b, DHCP6_OPT_IA_NA, i);
		end(b);
	}
	ia(b, DHCP6_OPT_IA_PD, 99);
	iaprefix(b, 129);
	end(b);
	end(b);
	EXPECT_PARSE_B(DHCP6_ERR_PREFIX_LEN);
}

TEST_F(dhcp6, ia_beyond_max_duplicate_of_kept)
{
	struct builder *b = &self->b;
	uint32_t i;

	msg(b, DHCP6_SOLICIT, 16);
	for (i = 0; i < DHCP6_MAX_IAS; i++) {
		ia(b, DHCP6_OPT_IA_NA, i);
		end(b);
	}
	ia(b, DHCP6_OPT_IA_NA, 3);
	end(b);
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

TEST_F(dhcp6, lease_beyond_max_still_validated)
{
	struct builder *b = &self->b;
	int i;

	msg(b, DHCP6_REPLY, 17);
	ia(b, DHCP6_OPT_IA_NA, 1);
	for (i = 0; i < DHCP6_MAX_LEASES; i++) {
		iaaddr(b, i);
		end(b);
	}
	iaaddr(b, 9);
	status(b, 0);
	status(b, 0);
	end(b);
	end(b);
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

/* ---- Relays ------------------------------------------------------------ */

TEST_F(dhcp6, relay_forw_one_layer)
{
	static const uint8_t link[16] = ADDR(1), peer[16] = LL_ADDR(2);
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	const struct dhcp6_relay *r = &self->pkt.relays[0];

	EXPECT_PARSE(DHCP6_OK, relay_forw, sizeof(relay_forw));
	ASSERT_EQ(1, self->pkt.n_relays);
	ASSERT_EQ(DHCP6_RELAY_FORW, r->type);
	ASSERT_EQ(0, r->hop_count);
	ASSERT_EQ(0, memcmp(link, r->link_addr, 16));
	ASSERT_EQ(0, memcmp(peer, r->peer_addr, 16));
	ASSERT_EQ(AT(38), r->interface_id.data);
	ASSERT_EQ(4, r->interface_id.len);
	ASSERT_EQ(0, memcmp("eth1", r->interface_id.data, 4));
	ASSERT_EQ(1, r->lladdr_type);
	ASSERT_EQ(6, r->lladdr.len);
	ASSERT_EQ(0, memcmp(mac, r->lladdr.data, 6));
	ASSERT_EQ(AT(58), r->relay_id.data);
	ASSERT_EQ(10, r->relay_id.len);
	ASSERT_EQ(DHCP6_SOLICIT, self->pkt.msg.type);
	ASSERT_EQ(7, self->pkt.msg.xid);
	ASSERT_EQ(AT(80), self->pkt.msg.client_id.data);
	ASSERT_TRUE(self->pkt.msg.rapid_commit);
}

TEST_F(dhcp6, relay_without_optional_options)
{
	const struct dhcp6_relay *r = &self->pkt.relays[0];
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_REPL, 0);
	begin(b, DHCP6_OPT_RELAY_MSG);
	put(b, reply, sizeof(reply));
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(1, self->pkt.n_relays);
	ASSERT_EQ(DHCP6_RELAY_REPL, r->type);
	ASSERT_EQ(0, r->interface_id.len);
	ASSERT_EQ(0, r->relay_id.len);
	ASSERT_EQ(0, r->lladdr.len);
	ASSERT_EQ(0, r->lladdr_type);
	ASSERT_EQ(DHCP6_REPLY, self->pkt.msg.type);
	ASSERT_EQ(2, self->pkt.msg.ias[0].n_leases);
}

/* Relay options may come after the Relay Message. */
TEST_F(dhcp6, relay_msg_first)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 0);
	begin(b, DHCP6_OPT_RELAY_MSG);
	put(b, solicit, sizeof(solicit));
	end(b);
	opt(b, DHCP6_OPT_INTERFACE_ID, "x", 1);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(1, self->pkt.relays[0].interface_id.len);
	ASSERT_EQ(DHCP6_SOLICIT, self->pkt.msg.type);
}

/* Builds n RELAY-FORW layers around solicit, interface-id "if<hops>". */
static void relay_nest(struct builder *b, uint8_t type, int n)
{
	char ifid[4] = "if";
	int i;

	for (i = 0; i < n; i++) {
		relay(b, type, n - 1 - i);
		ifid[2] = '0' + n - 1 - i;
		opt(b, DHCP6_OPT_INTERFACE_ID, ifid, 3);
		begin(b, DHCP6_OPT_RELAY_MSG);
	}
	put(b, solicit, sizeof(solicit));
	for (i = 0; i < n; i++)
		end(b);
}

TEST_F(dhcp6, relay_two_layers)
{
	static const uint8_t link1[16] = ADDR(1), link0[16] = ADDR(0);
	const struct dhcp6_relay *r = self->pkt.relays;

	relay_nest(&self->b, DHCP6_RELAY_FORW, 2);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(2, self->pkt.n_relays);
	ASSERT_EQ(1, r[0].hop_count);
	ASSERT_EQ(0, memcmp(link1, r[0].link_addr, 16));
	ASSERT_EQ(0, memcmp("if1", r[0].interface_id.data, 3));
	ASSERT_EQ(0, r[1].hop_count);
	ASSERT_EQ(0, memcmp(link0, r[1].link_addr, 16));
	ASSERT_EQ(0, memcmp("if0", r[1].interface_id.data, 3));
	ASSERT_EQ(DHCP6_SOLICIT, self->pkt.msg.type);
	ASSERT_EQ(2, self->pkt.msg.n_ias);
}

TEST_F(dhcp6, relay_nine_layers)
{
	int i;

	relay_nest(&self->b, DHCP6_RELAY_FORW, DHCP6_HOP_COUNT_LIMIT + 1);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(DHCP6_HOP_COUNT_LIMIT + 1, self->pkt.n_relays);
	for (i = 0; i < self->pkt.n_relays; i++) {
		ASSERT_EQ(DHCP6_RELAY_FORW, self->pkt.relays[i].type);
		ASSERT_EQ(DHCP6_HOP_COUNT_LIMIT - i,
			  self->pkt.relays[i].hop_count);
		ASSERT_EQ('0' + DHCP6_HOP_COUNT_LIMIT - i,
			  self->pkt.relays[i].interface_id.data[2]);
	}
	ASSERT_EQ(DHCP6_SOLICIT, self->pkt.msg.type);
}

TEST_F(dhcp6, relay_ten_layers)
{
	relay_nest(&self->b, DHCP6_RELAY_FORW, DHCP6_HOP_COUNT_LIMIT + 2);
	EXPECT_PARSE_B(DHCP6_ERR_HOPS);
}

TEST_F(dhcp6, relay_repl_nine_layers)
{
	relay_nest(&self->b, DHCP6_RELAY_REPL, DHCP6_HOP_COUNT_LIMIT + 1);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(DHCP6_RELAY_REPL, self->pkt.relays[8].type);
}

TEST_F(dhcp6, relay_repl_ten_layers)
{
	relay_nest(&self->b, DHCP6_RELAY_REPL, DHCP6_HOP_COUNT_LIMIT + 2);
	EXPECT_PARSE_B(DHCP6_ERR_HOPS);
}

TEST_F(dhcp6, relay_repl_carrying_relay_forw)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_REPL, 1);
	begin(b, DHCP6_OPT_RELAY_MSG);
	put(b, relay_forw, sizeof(relay_forw));
	end(b);
	EXPECT_PARSE_B(DHCP6_ERR_TYPE);
}

TEST_F(dhcp6, relay_forw_carrying_relay_repl)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 1);
	begin(b, DHCP6_OPT_RELAY_MSG);
	relay(b, DHCP6_RELAY_REPL, 0);
	begin(b, DHCP6_OPT_RELAY_MSG);
	put(b, reply, sizeof(reply));
	end(b);
	end(b);
	EXPECT_PARSE_B(DHCP6_ERR_TYPE);
}

/* A type check on the second layer, deep inside a good first one. */
TEST_F(dhcp6, relay_type_mismatch_deep)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 2);
	begin(b, DHCP6_OPT_RELAY_MSG);
	relay(b, DHCP6_RELAY_FORW, 1);
	begin(b, DHCP6_OPT_RELAY_MSG);
	relay(b, DHCP6_RELAY_REPL, 0);
	begin(b, DHCP6_OPT_RELAY_MSG);
	put(b, reply, sizeof(reply));
	end(b);
	end(b);
	end(b);
	EXPECT_PARSE_B(DHCP6_ERR_TYPE);
}

/* The relay-initiated RELEASE-REQUEST has no number yet: 200 here. */
TEST_F(dhcp6, unknown_type_200_in_relay_forw)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 0);
	opt(b, DHCP6_OPT_INTERFACE_ID, "eth2", 4);
	begin(b, DHCP6_OPT_RELAY_MSG);
	msg(b, 200, 0x424242);
	client_id(b);
	ia(b, DHCP6_OPT_IA_NA, 5);
	iaaddr(b, 5);
	end(b);
	end(b);
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(1, self->pkt.n_relays);
	ASSERT_EQ(200, self->pkt.msg.type);
	ASSERT_EQ(0x424242, self->pkt.msg.xid);
	ASSERT_EQ(5, self->pkt.msg.ias[0].leases[0].addr[15]);
}

/* A server message inside a RELAY-FORW is not the parser's business. */
TEST_F(dhcp6, relay_forw_carrying_reply)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 0);
	begin(b, DHCP6_OPT_RELAY_MSG);
	put(b, reply, sizeof(reply));
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(DHCP6_REPLY, self->pkt.msg.type);
}

TEST_F(dhcp6, relay_ids_per_layer)
{
	const struct dhcp6_relay *r = self->pkt.relays;
	struct builder *b = &self->b;
	static const uint8_t ll[] = { 0x00, 0x06, 0xaa, 0xbb };

	relay(b, DHCP6_RELAY_FORW, 1);
	duid(b, DHCP6_OPT_RELAY_ID, 12);
	opt(b, DHCP6_OPT_INTERFACE_ID, "outer", 5);
	begin(b, DHCP6_OPT_RELAY_MSG);
	relay(b, DHCP6_RELAY_FORW, 0);
	opt(b, DHCP6_OPT_CLIENT_LINKLAYER_ADDR, ll, sizeof(ll));
	duid(b, DHCP6_OPT_RELAY_ID, 20);
	begin(b, DHCP6_OPT_RELAY_MSG);
	put(b, solicit, sizeof(solicit));
	end(b);
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(2, self->pkt.n_relays);
	ASSERT_EQ(12, r[0].relay_id.len);
	ASSERT_EQ(5, r[0].interface_id.len);
	ASSERT_EQ(0, r[0].lladdr.len);
	ASSERT_EQ(20, r[1].relay_id.len);
	ASSERT_EQ(0, r[1].interface_id.len);
	ASSERT_EQ(6, r[1].lladdr_type);
	ASSERT_EQ(2, r[1].lladdr.len);
	ASSERT_EQ(0xaa, r[1].lladdr.data[0]);
	ASSERT_EQ(0xbb, r[1].lladdr.data[1]);
}

TEST_F(dhcp6, lladdr_minimum_length)
{
	struct builder *b = &self->b;
	static const uint8_t ll[] = { 0x00, 0x01, 0x42 };

	relay(b, DHCP6_RELAY_FORW, 0);
	opt(b, DHCP6_OPT_CLIENT_LINKLAYER_ADDR, ll, sizeof(ll));
	begin(b, DHCP6_OPT_RELAY_MSG);
	put(b, solicit, sizeof(solicit));
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(1, self->pkt.relays[0].lladdr.len);
	ASSERT_EQ(0x42, self->pkt.relays[0].lladdr.data[0]);
}

/* ---- Errors: short ----------------------------------------------------- */

TEST_F(dhcp6, err_empty)
{
	EXPECT_PARSE(DHCP6_ERR_SHORT, reply, 0);
}

TEST_F(dhcp6, err_short_message)
{
	static const uint8_t v[] = { 0x07, 0x00, 0x00 };

	EXPECT_PARSE(DHCP6_ERR_SHORT, v, sizeof(v));
}

TEST_F(dhcp6, err_short_relay)
{
	EXPECT_PARSE(DHCP6_ERR_SHORT, relay_forw, 33);
}

TEST_F(dhcp6, err_short_message_in_relay)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 0);
	opt(b, DHCP6_OPT_RELAY_MSG, solicit, 3);
	EXPECT_PARSE_B(DHCP6_ERR_SHORT);
}

TEST_F(dhcp6, err_short_relay_in_relay)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 1);
	opt(b, DHCP6_OPT_RELAY_MSG, relay_forw, 33);
	EXPECT_PARSE_B(DHCP6_ERR_SHORT);
}

/* ---- Errors: option overrun, at each level ----------------------------- */

/* Every prefix of a good REPLY is OK at an option boundary, else an error. */
TEST_F(dhcp6, truncated_reply_every_offset)
{
	size_t n, next = 4;

	for (n = 0; n < sizeof(reply); n++) {
		enum dhcp6_err want = DHCP6_ERR_OPT_OVERRUN;

		if (n < 4)
			want = DHCP6_ERR_SHORT;
		if (n == next) {
			want = DHCP6_OK;
			next += 4 + (reply[n + 2] << 8 | reply[n + 3]);
		}
		ASSERT_STREQ(dhcp6_err_name(want),
			     dhcp6_err_name(parse_copy(self, reply, n))) {
			TH_LOG("prefix of %zu octets", n);
		}
	}
	ASSERT_EQ(sizeof(reply), next);
}

TEST_F(dhcp6, truncated_relay_every_offset)
{
	size_t n, full, ifid_end;
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 0);
	opt(b, DHCP6_OPT_INTERFACE_ID, "eth0", 4);
	ifid_end = b->len;
	begin(b, DHCP6_OPT_RELAY_MSG);
	put(b, reply, sizeof(reply));
	end(b);
	full = b->len;
	EXPECT_PARSE_B(DHCP6_OK);

	for (n = 0; n < full; n++) {
		enum dhcp6_err want = DHCP6_ERR_OPT_OVERRUN;

		if (n < 34)
			want = DHCP6_ERR_SHORT;
		else if (n == 34 || n == ifid_end)
			want = DHCP6_ERR_NO_RELAY_MSG;
		ASSERT_STREQ(dhcp6_err_name(want),
			     dhcp6_err_name(parse_copy(self, b->data, n))) {
			TH_LOG("prefix of %zu octets", n);
		}
	}
}

/* Each option of solicit, relay_forw and reply_status cut by one octet. */
TEST_F(dhcp6, truncated_vectors_never_ok)
{
	static const struct {
		const uint8_t *v;
		size_t len;
	} vecs[] = {
		{ solicit, sizeof(solicit) },
		{ relay_forw, sizeof(relay_forw) },
		{ reply_status, sizeof(reply_status) },
	};
	unsigned int i;
	size_t n;

	for (i = 0; i < ARRAY_SIZE(vecs); i++) {
		for (n = 0; n < vecs[i].len; n++) {
			enum dhcp6_err err = parse_copy(self, vecs[i].v, n);

			ASSERT_LT(err, __DHCP6_ERR_MAX);
		}
		EXPECT_PARSE(DHCP6_OK, vecs[i].v, vecs[i].len);
	}
}

TEST_F(dhcp6, err_partial_option_header)
{
	static const uint8_t v[] = {
		0x01, 0x00, 0x00, 0x01,		/* SOLICIT */
		0x00, 0x0e, 0x00,		/* 3 octets of an option */
	};

	EXPECT_PARSE(DHCP6_ERR_OPT_OVERRUN, v, sizeof(v));
}

TEST_F(dhcp6, err_overrun_top_level)
{
	static const uint8_t v[] = {
		0x01, 0x00, 0x00, 0x01,		/* SOLICIT */
		0x00, 0x01, 0x00, 0x05,		/* CLIENTID, 5 octets: */
		0x00, 0x03, 0x00, 0x01,		/*   only 4 */
	};

	EXPECT_PARSE(DHCP6_ERR_OPT_OVERRUN, v, sizeof(v));
}

/* An IAADDR running past its IA_NA, though not past the message. */
TEST_F(dhcp6, err_overrun_in_ia)
{
	static const uint8_t v[] = {
		0x07, 0x00, 0x00, 0x01,		/* REPLY */
		0x00, 0x03, 0x00, 0x10,		/* IA_NA, 16 octets: */
		0x00, 0x00, 0x00, 0x01,		/*   IAID 1 */
		0x00, 0x00, 0x00, 0x00,		/*   T1 */
		0x00, 0x00, 0x00, 0x00,		/*   T2 */
		0x00, 0x05, 0x00, 0x18,		/*   IAADDR, 24: past IA_NA */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};

	EXPECT_PARSE(DHCP6_ERR_OPT_OVERRUN, v, sizeof(v));
}

/* A Status Code running past its IAPREFIX, inside a big enough IA_PD. */
TEST_F(dhcp6, err_overrun_in_lease)
{
	struct builder *b = &self->b;

	msg(b, DHCP6_REPLY, 1);
	ia(b, DHCP6_OPT_IA_PD, 1);
	iaprefix(b, 56);
	put16(b, DHCP6_OPT_STATUS_CODE);
	put16(b, 6);		/* 6 octets, 2 inside the IAPREFIX */
	put16(b, 0);
	end(b);
	put32(b, 0);		/* ... and 4 in the IA_PD */
	end(b);
	EXPECT_PARSE_B(DHCP6_ERR_OPT_OVERRUN);
}

TEST_F(dhcp6, err_overrun_in_relay)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 0);
	put16(b, DHCP6_OPT_INTERFACE_ID);
	put16(b, 5);
	put32(b, 0);
	EXPECT_PARSE_B(DHCP6_ERR_OPT_OVERRUN);
}

/* A CLIENTID running past the Relay Message, into the relay's options. */
TEST_F(dhcp6, err_overrun_in_relayed_message)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 0);
	begin(b, DHCP6_OPT_RELAY_MSG);
	msg(b, DHCP6_SOLICIT, 1);
	put16(b, DHCP6_OPT_CLIENTID);
	put16(b, 10);
	put16(b, 3);
	end(b);
	opt(b, DHCP6_OPT_INTERFACE_ID, "eth0eth0", 8);
	EXPECT_PARSE_B(DHCP6_ERR_OPT_OVERRUN);
}

/* The same, one relay deeper: the inner relay's options overrun. */
TEST_F(dhcp6, err_overrun_in_inner_relay)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 1);
	begin(b, DHCP6_OPT_RELAY_MSG);
	relay(b, DHCP6_RELAY_FORW, 0);
	put16(b, DHCP6_OPT_RELAY_MSG);
	put16(b, sizeof(solicit) + 1);
	put(b, solicit, sizeof(solicit));
	end(b);
	opt(b, DHCP6_OPT_INTERFACE_ID, "eth0", 4);
	EXPECT_PARSE_B(DHCP6_ERR_OPT_OVERRUN);
}

/* ---- Errors: option length --------------------------------------------- */

TEST_F(dhcp6, err_ia_na_11)
{
	static const uint8_t v[] = {
		0x01, 0x00, 0x00, 0x01,		/* SOLICIT */
		0x00, 0x03, 0x00, 0x0b,		/* IA_NA, 11 octets */
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00,
	};

	EXPECT_PARSE(DHCP6_ERR_OPT_LEN, v, sizeof(v));
}

TEST_F(dhcp6, err_ia_pd_11)
{
	msg(&self->b, DHCP6_SOLICIT, 1);
	opt_fill(&self->b, DHCP6_OPT_IA_PD, 11);
	EXPECT_PARSE_B(DHCP6_ERR_OPT_LEN);
}

TEST_F(dhcp6, err_iaaddr_23)
{
	msg(&self->b, DHCP6_REPLY, 1);
	ia(&self->b, DHCP6_OPT_IA_NA, 1);
	opt_fill(&self->b, DHCP6_OPT_IAADDR, 23);
	end(&self->b);
	EXPECT_PARSE_B(DHCP6_ERR_OPT_LEN);
}

TEST_F(dhcp6, err_iaprefix_24)
{
	msg(&self->b, DHCP6_REPLY, 1);
	ia(&self->b, DHCP6_OPT_IA_PD, 1);
	opt_fill(&self->b, DHCP6_OPT_IAPREFIX, 24);
	end(&self->b);
	EXPECT_PARSE_B(DHCP6_ERR_OPT_LEN);
}

TEST_F(dhcp6, err_status_1_top_level)
{
	static const uint8_t v[] = {
		0x07, 0x00, 0x00, 0x01,		/* REPLY */
		0x00, 0x0d, 0x00, 0x01, 0x00,	/* STATUS_CODE, 1 octet */
	};

	EXPECT_PARSE(DHCP6_ERR_OPT_LEN, v, sizeof(v));
}

TEST_F(dhcp6, err_status_1_in_ia)
{
	msg(&self->b, DHCP6_REPLY, 1);
	ia(&self->b, DHCP6_OPT_IA_NA, 1);
	opt_fill(&self->b, DHCP6_OPT_STATUS_CODE, 1);
	end(&self->b);
	EXPECT_PARSE_B(DHCP6_ERR_OPT_LEN);
}

TEST_F(dhcp6, err_status_1_in_lease)
{
	msg(&self->b, DHCP6_REPLY, 1);
	ia(&self->b, DHCP6_OPT_IA_NA, 1);
	iaaddr(&self->b, 1);
	opt_fill(&self->b, DHCP6_OPT_STATUS_CODE, 1);
	end(&self->b);
	end(&self->b);
	EXPECT_PARSE_B(DHCP6_ERR_OPT_LEN);
}

TEST_F(dhcp6, err_rapid_commit_1)
{
	static const uint8_t v[] = {
		0x01, 0x00, 0x00, 0x01,		/* SOLICIT */
		0x00, 0x0e, 0x00, 0x01, 0x00,	/* RAPID_COMMIT, 1 octet */
	};

	EXPECT_PARSE(DHCP6_ERR_OPT_LEN, v, sizeof(v));
}

TEST_F(dhcp6, err_relay_msg_0)
{
	relay(&self->b, DHCP6_RELAY_FORW, 0);
	opt_fill(&self->b, DHCP6_OPT_RELAY_MSG, 0);
	EXPECT_PARSE_B(DHCP6_ERR_OPT_LEN);
}

TEST_F(dhcp6, err_interface_id_0)
{
	relay(&self->b, DHCP6_RELAY_FORW, 0);
	opt_fill(&self->b, DHCP6_OPT_INTERFACE_ID, 0);
	opt(&self->b, DHCP6_OPT_RELAY_MSG, solicit, sizeof(solicit));
	EXPECT_PARSE_B(DHCP6_ERR_OPT_LEN);
}

TEST_F(dhcp6, err_lladdr_2)
{
	static const uint8_t ll[] = { 0x00, 0x01 };

	relay(&self->b, DHCP6_RELAY_FORW, 0);
	opt(&self->b, DHCP6_OPT_CLIENT_LINKLAYER_ADDR, ll, sizeof(ll));
	opt(&self->b, DHCP6_OPT_RELAY_MSG, solicit, sizeof(solicit));
	EXPECT_PARSE_B(DHCP6_ERR_OPT_LEN);
}

/* ---- Errors: DUID ------------------------------------------------------ */

static void duid_msg(struct builder *b, uint16_t code, uint16_t n)
{
	msg(b, DHCP6_REPLY, 1);
	if (n >= 4) {
		duid(b, code, n);
	} else {
		put16(b, code);
		put16(b, n);
		put(b, "\0\3\1", n);
	}
}

TEST_F(dhcp6, err_clientid_2)
{
	duid_msg(&self->b, DHCP6_OPT_CLIENTID, 2);
	EXPECT_PARSE_B(DHCP6_ERR_DUID);
}

TEST_F(dhcp6, err_clientid_131)
{
	duid_msg(&self->b, DHCP6_OPT_CLIENTID, 131);
	EXPECT_PARSE_B(DHCP6_ERR_DUID);
}

TEST_F(dhcp6, err_serverid_0)
{
	duid_msg(&self->b, DHCP6_OPT_SERVERID, 0);
	EXPECT_PARSE_B(DHCP6_ERR_DUID);
}

TEST_F(dhcp6, err_serverid_2)
{
	duid_msg(&self->b, DHCP6_OPT_SERVERID, 2);
	EXPECT_PARSE_B(DHCP6_ERR_DUID);
}

TEST_F(dhcp6, err_serverid_131)
{
	duid_msg(&self->b, DHCP6_OPT_SERVERID, 131);
	EXPECT_PARSE_B(DHCP6_ERR_DUID);
}

TEST_F(dhcp6, duid_3_ok_130_ok_all_kinds)
{
	static const uint16_t codes[] = {
		DHCP6_OPT_CLIENTID, DHCP6_OPT_SERVERID,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		self->b.len = 0;
		duid_msg(&self->b, codes[i], 3);
		EXPECT_PARSE_B(DHCP6_OK);
		self->b.len = 0;
		duid_msg(&self->b, codes[i], 130);
		EXPECT_PARSE_B(DHCP6_OK);
	}
}

static void relay_id_msg(struct builder *b, uint16_t n)
{
	relay(b, DHCP6_RELAY_FORW, 0);
	if (n >= 4) {
		duid(b, DHCP6_OPT_RELAY_ID, n);
	} else {
		put16(b, DHCP6_OPT_RELAY_ID);
		put16(b, n);
		put(b, "\0\3\1", n);
	}
	opt(b, DHCP6_OPT_RELAY_MSG, solicit, sizeof(solicit));
}

TEST_F(dhcp6, err_relay_id_2)
{
	relay_id_msg(&self->b, 2);
	EXPECT_PARSE_B(DHCP6_ERR_DUID);
}

TEST_F(dhcp6, err_relay_id_131)
{
	relay_id_msg(&self->b, 131);
	EXPECT_PARSE_B(DHCP6_ERR_DUID);
}

TEST_F(dhcp6, relay_id_3_and_130)
{
	relay_id_msg(&self->b, 3);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(3, self->pkt.relays[0].relay_id.len);
	self->b.len = 0;
	relay_id_msg(&self->b, 130);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(130, self->pkt.relays[0].relay_id.len);
}

/* ---- Errors: prefix length --------------------------------------------- */

TEST_F(dhcp6, err_prefix_len_129)
{
	static const uint8_t v[] = {
		0x07, 0x00, 0x00, 0x01,		/* REPLY */
		0x00, 0x19, 0x00, 0x29,		/* IA_PD, 41 octets: */
		0x00, 0x00, 0x00, 0x01,		/*   IAID 1 */
		0x00, 0x00, 0x00, 0x00,		/*   T1 */
		0x00, 0x00, 0x00, 0x00,		/*   T2 */
		0x00, 0x1a, 0x00, 0x19,		/*   IAPREFIX, 25 octets: */
		0x00, 0x00, 0x00, 0x00,		/*     preferred */
		0x00, 0x00, 0x00, 0x00,		/*     valid */
		0x81,				/*     /129 */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};

	EXPECT_PARSE(DHCP6_ERR_PREFIX_LEN, v, sizeof(v));
}

TEST_F(dhcp6, err_prefix_len_255)
{
	msg(&self->b, DHCP6_REPLY, 1);
	ia(&self->b, DHCP6_OPT_IA_PD, 1);
	iaprefix(&self->b, 255);
	end(&self->b);
	end(&self->b);
	EXPECT_PARSE_B(DHCP6_ERR_PREFIX_LEN);
}

/* ---- Errors: duplicates ------------------------------------------------ */

TEST_F(dhcp6, err_duplicate_clientid)
{
	msg(&self->b, DHCP6_SOLICIT, 1);
	client_id(&self->b);
	client_id(&self->b);
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

TEST_F(dhcp6, err_duplicate_serverid)
{
	msg(&self->b, DHCP6_REQUEST, 1);
	duid(&self->b, DHCP6_OPT_SERVERID, 10);
	client_id(&self->b);
	duid(&self->b, DHCP6_OPT_SERVERID, 12);
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

TEST_F(dhcp6, err_duplicate_status_top_level)
{
	msg(&self->b, DHCP6_REPLY, 1);
	status(&self->b, 0);
	status(&self->b, 1);
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

TEST_F(dhcp6, err_duplicate_status_in_ia)
{
	msg(&self->b, DHCP6_REPLY, 1);
	ia(&self->b, DHCP6_OPT_IA_PD, 1);
	status(&self->b, 0);
	status(&self->b, DHCP6_STATUS_NO_PREFIX_AVAIL);
	end(&self->b);
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

TEST_F(dhcp6, err_duplicate_status_in_lease)
{
	msg(&self->b, DHCP6_REPLY, 1);
	ia(&self->b, DHCP6_OPT_IA_NA, 1);
	iaaddr(&self->b, 1);
	status(&self->b, 0);
	status(&self->b, 0);
	end(&self->b);
	end(&self->b);
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

/* One Status Code per level is not a duplicate. */
TEST_F(dhcp6, status_once_per_level)
{
	msg(&self->b, DHCP6_REPLY, 1);
	status(&self->b, 0);
	ia(&self->b, DHCP6_OPT_IA_NA, 1);
	status(&self->b, 0);
	iaaddr(&self->b, 1);
	status(&self->b, 0);
	end(&self->b);
	iaaddr(&self->b, 2);
	status(&self->b, 0);
	end(&self->b);
	end(&self->b);
	ia(&self->b, DHCP6_OPT_IA_NA, 2);
	status(&self->b, 0);
	end(&self->b);
	EXPECT_PARSE_B(DHCP6_OK);
}

TEST_F(dhcp6, err_duplicate_rapid_commit)
{
	msg(&self->b, DHCP6_SOLICIT, 1);
	opt_fill(&self->b, DHCP6_OPT_RAPID_COMMIT, 0);
	opt_fill(&self->b, DHCP6_OPT_RAPID_COMMIT, 0);
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

TEST_F(dhcp6, err_duplicate_ia_na_iaid)
{
	static const uint8_t v[] = {
		0x01, 0x00, 0x00, 0x01,		/* SOLICIT */
		0x00, 0x03, 0x00, 0x0c,		/* IA_NA, 12 octets: */
		0x00, 0x00, 0x00, 0x07,		/*   IAID 7 */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x19, 0x00, 0x0c,		/* IA_PD, 12 octets: */
		0x00, 0x00, 0x00, 0x07,		/*   IAID 7: fine */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x03, 0x00, 0x0c,		/* IA_NA, 12 octets: */
		0x00, 0x00, 0x00, 0x07,		/*   IAID 7 again */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};

	EXPECT_PARSE(DHCP6_ERR_DUPLICATE, v, sizeof(v));
}

TEST_F(dhcp6, err_duplicate_ia_pd_iaid)
{
	msg(&self->b, DHCP6_SOLICIT, 1);
	ia(&self->b, DHCP6_OPT_IA_PD, 0xffffffff);
	end(&self->b);
	ia(&self->b, DHCP6_OPT_IA_PD, 0xffffffff);
	end(&self->b);
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

TEST_F(dhcp6, err_duplicate_relay_msg)
{
	relay(&self->b, DHCP6_RELAY_FORW, 0);
	opt(&self->b, DHCP6_OPT_RELAY_MSG, solicit, sizeof(solicit));
	opt(&self->b, DHCP6_OPT_RELAY_MSG, solicit, sizeof(solicit));
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

TEST_F(dhcp6, err_duplicate_interface_id)
{
	relay(&self->b, DHCP6_RELAY_FORW, 0);
	opt(&self->b, DHCP6_OPT_INTERFACE_ID, "a", 1);
	opt(&self->b, DHCP6_OPT_RELAY_MSG, solicit, sizeof(solicit));
	opt(&self->b, DHCP6_OPT_INTERFACE_ID, "a", 1);
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

TEST_F(dhcp6, err_duplicate_relay_id)
{
	relay(&self->b, DHCP6_RELAY_FORW, 0);
	duid(&self->b, DHCP6_OPT_RELAY_ID, 10);
	duid(&self->b, DHCP6_OPT_RELAY_ID, 10);
	opt(&self->b, DHCP6_OPT_RELAY_MSG, solicit, sizeof(solicit));
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

TEST_F(dhcp6, err_duplicate_lladdr)
{
	static const uint8_t ll[] = { 0x00, 0x01, 0x02, 0x00, 0x00, 0x00,
				      0x00, 0x01 };

	relay(&self->b, DHCP6_RELAY_FORW, 0);
	opt(&self->b, DHCP6_OPT_CLIENT_LINKLAYER_ADDR, ll, sizeof(ll));
	opt(&self->b, DHCP6_OPT_CLIENT_LINKLAYER_ADDR, ll, sizeof(ll));
	opt(&self->b, DHCP6_OPT_RELAY_MSG, solicit, sizeof(solicit));
	EXPECT_PARSE_B(DHCP6_ERR_DUPLICATE);
}

/* The same relay options in two layers are not duplicates. */
TEST_F(dhcp6, relay_options_once_per_layer)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 1);
	opt(b, DHCP6_OPT_INTERFACE_ID, "a", 1);
	duid(b, DHCP6_OPT_RELAY_ID, 10);
	begin(b, DHCP6_OPT_RELAY_MSG);
	relay(b, DHCP6_RELAY_FORW, 0);
	opt(b, DHCP6_OPT_INTERFACE_ID, "a", 1);
	duid(b, DHCP6_OPT_RELAY_ID, 10);
	opt(b, DHCP6_OPT_RELAY_MSG, solicit, sizeof(solicit));
	end(b);
	EXPECT_PARSE_B(DHCP6_OK);
	ASSERT_EQ(2, self->pkt.n_relays);
}

/* ---- Errors: relays ---------------------------------------------------- */

TEST_F(dhcp6, err_relay_without_relay_msg)
{
	relay(&self->b, DHCP6_RELAY_FORW, 0);
	opt(&self->b, DHCP6_OPT_INTERFACE_ID, "eth0", 4);
	EXPECT_PARSE_B(DHCP6_ERR_NO_RELAY_MSG);
}

TEST_F(dhcp6, err_relay_header_only)
{
	relay(&self->b, DHCP6_RELAY_REPL, 0);
	EXPECT_PARSE_B(DHCP6_ERR_NO_RELAY_MSG);
}

/* A Relay Message inside the client message does not count. */
TEST_F(dhcp6, err_relay_msg_in_wrong_place)
{
	struct builder *b = &self->b;

	relay(b, DHCP6_RELAY_FORW, 1);
	begin(b, DHCP6_OPT_RELAY_MSG);
	relay(b, DHCP6_RELAY_FORW, 0);
	opt(b, 0x7777, solicit, sizeof(solicit));
	end(b);
	EXPECT_PARSE_B(DHCP6_ERR_NO_RELAY_MSG);
}

/* ---- Error names ------------------------------------------------------- */

TEST(err_names)
{
	static const char * const names[] = {
		[DHCP6_OK] = "ok",
		[DHCP6_ERR_SHORT] = "short",
		[DHCP6_ERR_OPT_OVERRUN] = "opt_overrun",
		[DHCP6_ERR_OPT_LEN] = "opt_len",
		[DHCP6_ERR_DUID] = "duid",
		[DHCP6_ERR_PREFIX_LEN] = "prefix_len",
		[DHCP6_ERR_DUPLICATE] = "duplicate",
		[DHCP6_ERR_HOPS] = "hops",
		[DHCP6_ERR_NO_RELAY_MSG] = "no_relay_msg",
		[DHCP6_ERR_TYPE] = "type",
	};
	int i;

	ASSERT_EQ(__DHCP6_ERR_MAX, ARRAY_SIZE(names));
	for (i = 0; i < __DHCP6_ERR_MAX; i++)
		ASSERT_STREQ(names[i], dhcp6_err_name(i));
	ASSERT_STREQ("unknown", dhcp6_err_name(__DHCP6_ERR_MAX));
}

/* ---- Captured vectors -------------------------------------------------- */

/* Message type names as they may appear in a vector's file name. */
static const struct {
	const char *name;
	uint8_t type;
} type_names[] = {
	/* longest first: "relay-forw" before "relay", and so on */
	{ "information-request", DHCP6_INFORMATION_REQUEST },
	{ "leasequery-reply", DHCP6_LEASEQUERY_REPLY },
	{ "leasequery-done", DHCP6_LEASEQUERY_DONE },
	{ "leasequery-data", DHCP6_LEASEQUERY_DATA },
	{ "info-request", DHCP6_INFORMATION_REQUEST },
	{ "relay-forw", DHCP6_RELAY_FORW },
	{ "relay-repl", DHCP6_RELAY_REPL },
	{ "reconfigure", DHCP6_RECONFIGURE },
	{ "leasequery", DHCP6_LEASEQUERY },
	{ "advertise", DHCP6_ADVERTISE },
	{ "solicit", DHCP6_SOLICIT },
	{ "request", DHCP6_REQUEST },
	{ "confirm", DHCP6_CONFIRM },
	{ "release", DHCP6_RELEASE },
	{ "decline", DHCP6_DECLINE },
	{ "rebind", DHCP6_REBIND },
	{ "renew", DHCP6_RENEW },
	{ "reply", DHCP6_REPLY },
};

/*
 * The message types a file name spells, outermost first, as words
 * separated by '-', '_' or '.': "kea-relay-repl-reply.hex" gives
 * RELAY-REPL, REPLY. Returns how many were found.
 */
static int types_from_name(const char *file, uint8_t *types, int max)
{
	char name[256];
	size_t i, pos = 0, len;
	int n = 0;

	snprintf(name, sizeof(name), "%s", file);
	len = strlen(name);
	for (i = 0; i < len; i++)
		if (name[i] == '_' || name[i] == '.')
			name[i] = '-';

	while (pos < len && n < max) {
		bool found = false;

		for (i = 0; i < ARRAY_SIZE(type_names); i++) {
			size_t l = strlen(type_names[i].name);

			if (!strncmp(name + pos, type_names[i].name, l) &&
			    (name[pos + l] == '-' || !name[pos + l])) {
				types[n++] = type_names[i].type;
				pos += l;
				found = true;
				break;
			}
		}
		if (!found)
			while (pos < len && name[pos] != '-')
				pos++;
		while (pos < len && name[pos] == '-')
			pos++;
	}
	return n;
}

static int hex_nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads a hex file, ignoring white space. Returns the length, or -1. */
static ssize_t read_hex(const char *path, uint8_t *buf, size_t size)
{
	int c, hi = -1, nib;
	size_t len = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF) {
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		nib = hex_nibble(c);
		if (nib < 0 || (hi < 0 && len == size))
			break;
		if (hi < 0) {
			hi = nib;
		} else {
			buf[len++] = hi << 4 | nib;
			hi = -1;
		}
	}
	fclose(f);
	if (c != EOF || hi >= 0)
		return -1;
	return len;
}

static int hex_file(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 4 && !strcmp(d->d_name + len - 4, ".hex");
}

TEST_F(dhcp6, captured_vectors)
{
	const char *dir = getenv("DHCP6_VECTORS_DIR") ?: VECTORS_DIR;
	static uint8_t buf[65536];
	struct dirent **files;
	int i, n, checked = 0;

	n = scandir(dir, &files, hex_file, alphasort);
	if (n <= 0)
		SKIP(return, "no captured vectors (*.hex) in %s", dir);

	for (i = 0; i < n; i++) {
		const char *name = files[i]->d_name;
		uint8_t types[DHCP6_HOP_COUNT_LIMIT + 2];
		int n_types, t;
		char path[4096];
		ssize_t len;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		len = read_hex(path, buf, sizeof(buf));
		ASSERT_LT(0, len) {
			TH_LOG("%s: not a hex string", path);
		}
		n_types = types_from_name(name, types, ARRAY_SIZE(types));
		ASSERT_LT(0, n_types) {
			TH_LOG("%s: no message type in the name", name);
		}

		EXPECT_PARSE(DHCP6_OK, buf, len) {
			TH_LOG("%s", name);
		}
		/* relay types name the layers, then the message inside */
		for (t = 0; t < n_types; t++) {
			uint8_t seen = t < self->pkt.n_relays ?
				       self->pkt.relays[t].type :
				       self->pkt.msg.type;

			ASSERT_EQ(types[t], seen) {
				TH_LOG("%s: message type %d", name, t);
			}
			if (types[t] != DHCP6_RELAY_FORW &&
			    types[t] != DHCP6_RELAY_REPL)
				break;
		}
		checked++;
		free(files[i]);
	}
	free(files);
	TH_LOG("%d captured vectors parsed", checked);
}

TEST(type_names_from_file_names)
{
	uint8_t t[4];

	ASSERT_EQ(1, types_from_name("dhclient-solicit.hex", t, 4));
	ASSERT_EQ(DHCP6_SOLICIT, t[0]);
	ASSERT_EQ(2, types_from_name("kea_relay-repl_reply-pd.hex", t, 4));
	ASSERT_EQ(DHCP6_RELAY_REPL, t[0]);
	ASSERT_EQ(DHCP6_REPLY, t[1]);
	ASSERT_EQ(1, types_from_name("01-information-request.hex", t, 4));
	ASSERT_EQ(DHCP6_INFORMATION_REQUEST, t[0]);
	ASSERT_EQ(0, types_from_name("dhcrelay-forwarded.hex", t, 4));
	ASSERT_EQ(1, types_from_name("requester-request.hex", t, 4));
	ASSERT_EQ(DHCP6_REQUEST, t[0]);
}

TEST_HARNESS_MAIN
