// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for agent/lib/dhcp6_leasequery.c (RFC 5007 LEASEQUERY and
 * LEASEQUERY-REPLY), built in userspace under ASan and UBSan.
 *
 * Five messages are written out by hand, octet by octet, and the builder
 * must produce exactly them; malformed ones are built by the small option
 * builder of unit.h. Every parse runs on a heap copy of exactly the
 * message's length, so a read past the end is an ASan report.
 *
 * With DHCP6_LEASEQUERY_CORPUS_DIR set, every message parsed (not the
 * truncated copies) is also written there as a fuzzing seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "dhcp6_leasequery.h"
#include "dhcp6_opt.h"
#define LG_UNIT_BUILDER
#include "unit.h"

/* ---- Hand-written messages --------------------------------------------- */

static const uint8_t requestor_duid[] = {
	0x00, 0x03, 0x00, 0x01,			/* DUID-LL, Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0xaa,	/* 02:00:00:00:00:aa */
};

static const uint8_t server_duid[] = {
	0x00, 0x01, 0x00, 0x01,			/* DUID-LLT, Ethernet */
	0x2a, 0x3b, 0x4c, 0x5d,			/* time */
	0x02, 0x00, 0x00, 0x00, 0x00, 0xfe,	/* 02:00:00:00:00:fe */
};

static const uint8_t client_duid[] = {
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02,
};

static const uint8_t link_1[16] = {		/* 2001:db8:1::1 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
};

static const uint8_t link_2[16] = {		/* 2001:db8:2::1 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
};

static const uint8_t addr_100[16] = {		/* 2001:db8:1::100 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00
};

static const uint8_t prefix_ab00[16] = {	/* 2001:db8:ab00::/56 */
	0x20, 0x01, 0x0d, 0xb8, 0xab, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
};

static const uint8_t zero16[16];

/* Who has 2001:db8:1::100, on the link of 2001:db8:1::1? */
static const uint8_t query_by_address[] = {
	0x0e, 0x12, 0x34, 0x56,			/* LEASEQUERY, xid 0x123456 */
	0x00, 0x01, 0x00, 0x0a,			/* CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa,
	0x00, 0x2c, 0x00, 0x2d,			/* LQ_QUERY, 45 octets: */
	0x01,					/*   QUERY_BY_ADDRESS */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,	/* link-address */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/* 2001:db8:1::1 */
	0x00, 0x05, 0x00, 0x18,			/*   IAADDR, 24 octets: */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,	/* 2001:db8:1:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,	/*   ...:100 */
	0x00, 0x00, 0x00, 0x00,			/*     preferred 0 */
	0x00, 0x00, 0x00, 0x00,			/*     valid 0 */
};

/* Where does this client have leases, on any link? */
static const uint8_t query_by_clientid[] = {
	0x0e, 0x12, 0x34, 0x57,			/* LEASEQUERY, xid 0x123457 */
	0x00, 0x01, 0x00, 0x0a,			/* CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa,
	0x00, 0x02, 0x00, 0x0e,			/* SERVERID, 14 octets */
	0x00, 0x01, 0x00, 0x01, 0x2a, 0x3b, 0x4c, 0x5d,
	0x02, 0x00, 0x00, 0x00, 0x00, 0xfe,
	0x00, 0x2c, 0x00, 0x25,			/* LQ_QUERY, 37 octets: */
	0x02,					/*   QUERY_BY_CLIENTID */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* link-address */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* 0::0 */
	0x00, 0x01, 0x00, 0x0a,			/*   CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02,
	0x00, 0x06, 0x00, 0x02,			/*   ORO, 2 octets: */
	0x00, 0x2f,				/*     LQ_RELAY_DATA */
};

/* The client, its address and its /56, last seen a minute ago. */
static const uint8_t reply_client_data[] = {
	0x0f, 0x12, 0x34, 0x56,			/* LEASEQUERY-REPLY */
	0x00, 0x01, 0x00, 0x0a,			/* CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa,
	0x00, 0x02, 0x00, 0x0e,			/* SERVERID, 14 octets */
	0x00, 0x01, 0x00, 0x01, 0x2a, 0x3b, 0x4c, 0x5d,
	0x02, 0x00, 0x00, 0x00, 0x00, 0xfe,
	0x00, 0x0d, 0x00, 0x09,			/* STATUS_CODE, 9 octets: */
	0x00, 0x00,				/*   Success */
	'S', 'u', 'c', 'c', 'e', 's', 's',
	0x00, 0x2d, 0x00, 0x4f,			/* CLIENT_DATA, 79 octets: */
	0x00, 0x01, 0x00, 0x0a,			/*   CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02,
	0x00, 0x05, 0x00, 0x18,			/*   IAADDR, 24 octets: */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,	/* 2001:db8:1:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,	/*   ...:100 */
	0x00, 0x00, 0x0e, 0x10,			/*     preferred 3600 */
	0x00, 0x00, 0x1c, 0x20,			/*     valid 7200 */
	0x00, 0x1a, 0x00, 0x19,			/*   IAPREFIX, 25 octets: */
	0x00, 0x00, 0x07, 0x08,			/*     preferred 1800 */
	0x00, 0x00, 0x0e, 0x10,			/*     valid 3600 */
	0x38,					/*     /56 */
	0x20, 0x01, 0x0d, 0xb8, 0xab, 0x00, 0x00, 0x00,	/* 2001:db8:ab00:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x2e, 0x00, 0x04,			/*   CLT_TIME, 4 octets: */
	0x00, 0x00, 0x00, 0x3c,			/*     60 s */
};

/* The client has leases on two links: ask again on each. */
static const uint8_t reply_client_link[] = {
	0x0f, 0x12, 0x34, 0x57,			/* LEASEQUERY-REPLY */
	0x00, 0x01, 0x00, 0x0a,			/* CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa,
	0x00, 0x02, 0x00, 0x0e,			/* SERVERID, 14 octets */
	0x00, 0x01, 0x00, 0x01, 0x2a, 0x3b, 0x4c, 0x5d,
	0x02, 0x00, 0x00, 0x00, 0x00, 0xfe,
	0x00, 0x30, 0x00, 0x20,			/* LQ_CLIENT_LINK, 32 octets */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,	/* 2001:db8:1::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00,	/* 2001:db8:2::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
};

/* Not one of the server's trusted requestors. */
static const uint8_t reply_not_allowed[] = {
	0x0f, 0x12, 0x34, 0x58,			/* LEASEQUERY-REPLY */
	0x00, 0x01, 0x00, 0x0a,			/* CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa,
	0x00, 0x02, 0x00, 0x0e,			/* SERVERID, 14 octets */
	0x00, 0x01, 0x00, 0x01, 0x2a, 0x3b, 0x4c, 0x5d,
	0x02, 0x00, 0x00, 0x00, 0x00, 0xfe,
	0x00, 0x0d, 0x00, 0x0c,			/* STATUS_CODE, 12 octets: */
	0x00, 0x0a,				/*   NotAllowed */
	'N', 'o', 't', 'A', 'l', 'l', 'o', 'w', 'e', 'd',
};

/* The same leases, asked with IA_NA and IA_PD in the ORO: their IAs too. */
static const uint8_t reply_with_ias[] = {
	0x0f, 0x12, 0x34, 0x59,			/* LEASEQUERY-REPLY */
	0x00, 0x01, 0x00, 0x0a,			/* CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa,
	0x00, 0x02, 0x00, 0x0e,			/* SERVERID, 14 octets */
	0x00, 0x01, 0x00, 0x01, 0x2a, 0x3b, 0x4c, 0x5d,
	0x02, 0x00, 0x00, 0x00, 0x00, 0xfe,
	0x00, 0x2d, 0x00, 0xa8,			/* CLIENT_DATA, 168 octets: */
	0x00, 0x01, 0x00, 0x0a,			/*   CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02,
	0x00, 0x05, 0x00, 0x18,			/*   IAADDR, 24 octets: */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,	/* 2001:db8:1:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,	/*   ...:100 */
	0x00, 0x00, 0x0e, 0x10,			/*     preferred 3600 */
	0x00, 0x00, 0x1c, 0x20,			/*     valid 7200 */
	0x00, 0x1a, 0x00, 0x19,			/*   IAPREFIX, 25 octets: */
	0x00, 0x00, 0x07, 0x08,			/*     preferred 1800 */
	0x00, 0x00, 0x0e, 0x10,			/*     valid 3600 */
	0x38,					/*     /56 */
	0x20, 0x01, 0x0d, 0xb8, 0xab, 0x00, 0x00, 0x00,	/* 2001:db8:ab00:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x03, 0x00, 0x28,			/*   IA_NA, 40 octets: */
	0x00, 0x00, 0x00, 0x07,			/*     IAID 7 */
	0x00, 0x00, 0x00, 0x00,			/*     T1 0 */
	0x00, 0x00, 0x00, 0x00,			/*     T2 0 */
	0x00, 0x05, 0x00, 0x18,			/*     IAADDR, 24 octets: */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,	/* 2001:db8:1:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,	/*   ...:100 */
	0x00, 0x00, 0x0e, 0x10,			/*       preferred 3600 */
	0x00, 0x00, 0x1c, 0x20,			/*       valid 7200 */
	0x00, 0x19, 0x00, 0x29,			/*   IA_PD, 41 octets: */
	0x00, 0x00, 0x00, 0x09,			/*     IAID 9 */
	0x00, 0x00, 0x00, 0x00,			/*     T1 0 */
	0x00, 0x00, 0x00, 0x00,			/*     T2 0 */
	0x00, 0x1a, 0x00, 0x19,			/*     IAPREFIX, 25 octets: */
	0x00, 0x00, 0x07, 0x08,			/*       preferred 1800 */
	0x00, 0x00, 0x0e, 0x10,			/*       valid 3600 */
	0x38,					/*       /56 */
	0x20, 0x01, 0x0d, 0xb8, 0xab, 0x00, 0x00, 0x00,	/* 2001:db8:ab00:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x2e, 0x00, 0x04,			/*   CLT_TIME, 4 octets: */
	0x00, 0x00, 0x00, 0x3c,			/*     60 s */
};

static struct dr_bytes bytes(const void *data, size_t len)
{
	struct dr_bytes b = { (const uint8_t *)data, (uint16_t)len };

	return b;
}

#define BYTES(a)	bytes(a, sizeof(a))

static void query_by_address_msg(struct lq_query *q)
{
	memset(q, 0, sizeof(*q));
	q->xid = 0x123456;
	q->client_id = BYTES(requestor_duid);
	q->query_type = LQ_QUERY_BY_ADDRESS;
	memcpy(q->link_addr, link_1, 16);
	memcpy(q->addr, addr_100, 16);
}

static void query_by_clientid_msg(struct lq_query *q)
{
	memset(q, 0, sizeof(*q));
	q->xid = 0x123457;
	q->client_id = BYTES(requestor_duid);
	q->server_id = BYTES(server_duid);
	q->query_type = LQ_QUERY_BY_CLIENTID;
	q->query_client_id = BYTES(client_duid);
	q->n_oro = 1;
	q->oro[0] = LQ_OPT_LQ_RELAY_DATA;
}

static void reply_client_data_msg(struct lq_reply *r, struct lq_lease *l)
{
	memset(r, 0, sizeof(*r));
	memset(l, 0, 2 * sizeof(*l));
	r->xid = 0x123456;
	r->client_id = BYTES(requestor_duid);
	r->server_id = BYTES(server_duid);
	r->has_status = true;
	r->status = DR_STATUS_SUCCESS;
	r->has_client = true;
	r->client_duid = BYTES(client_duid);
	r->has_clt_time = true;
	r->clt_time = 60;
	r->leases = l;
	r->n_leases = 2;
	memcpy(l[0].addr, addr_100, 16);
	l[0].plen = 128;
	l[0].preferred = 3600;
	l[0].valid = 7200;
	memcpy(l[1].addr, prefix_ab00, 16);
	l[1].plen = 56;
	l[1].prefix = true;
	l[1].preferred = 1800;
	l[1].valid = 3600;
}

static uint8_t two_links[32];

static void reply_client_link_msg(struct lq_reply *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(two_links, link_1, 16);
	memcpy(two_links + 16, link_2, 16);
	r->xid = 0x123457;
	r->client_id = BYTES(requestor_duid);
	r->server_id = BYTES(server_duid);
	r->n_links = 2;
	r->links = two_links;
}

/* ---- The fixture -------------------------------------------------------- */

#define MAX_LEASES	16

FIXTURE(lq) {
	struct builder b;
	struct lq_query q;
	struct lq_reply r;
	struct lq_lease leases[MAX_LEASES];
	bool in_query;
	uint8_t *copy;			/* what q or r points into */
	uint8_t out[70000];
	int seeds;
};

FIXTURE_SETUP(lq)
{
	memset(self, 0, sizeof(*self));
}

FIXTURE_TEARDOWN(lq)
{
	free(self->copy);
}

static const uint8_t *heap_copy(FIXTURE_DATA(lq) *self, const uint8_t *buf,
				size_t len)
{
	free(self->copy);
	self->copy = malloc(len ? len : 1);
	if (!self->copy)
		abort();
	memcpy(self->copy, buf, len);
	return self->copy;
}

static enum lq_err parse_q(FIXTURE_DATA(lq) *self, const uint8_t *buf,
			   size_t len)
{
	return lq_parse_query(heap_copy(self, buf, len), len, &self->q,
			      &self->in_query);
}

static enum lq_err parse_r(FIXTURE_DATA(lq) *self, const uint8_t *buf,
			   size_t len)
{
	self->r.leases = self->leases;
	self->r.max_leases = MAX_LEASES;
	return lq_parse_reply(heap_copy(self, buf, len), len, &self->r);
}

/* Parses, as a seed for the fuzzer too. */
#define SEED(buf, len) write_seed("DHCP6_LEASEQUERY_CORPUS_DIR", 8192, \
				  _metadata->name, self->seeds++, buf, len)
#define QUERY(buf, len)	({ SEED(buf, len); parse_q(self, buf, len); })
#define REPLY(buf, len)	({ SEED(buf, len); parse_r(self, buf, len); })
#define EXPECT_QERR(e)	do { \
	enum lq_err _e = QUERY(self->b.data, self->b.len); \
	EXPECT_STREQ(lq_err_name(e), lq_err_name(_e)); \
} while (0)
#define EXPECT_RERR(e)	do { \
	enum lq_err _e = REPLY(self->b.data, self->b.len); \
	EXPECT_STREQ(lq_err_name(e), lq_err_name(_e)); \
} while (0)

static bool same(const struct dr_bytes *b, const void *data, size_t len)
{
	return b->len == len && !memcmp(b->data, data, len);
}

#define SAME(b, a)	same(&(b), a, sizeof(a))

/* ---- The hand-written messages ------------------------------------------ */

TEST_F(lq, query_by_address_parsed)
{
	ASSERT_EQ(LQ_OK, QUERY(query_by_address, sizeof(query_by_address)));
	EXPECT_FALSE(self->in_query);
	EXPECT_EQ(0x123456, self->q.xid);
	EXPECT_TRUE(SAME(self->q.client_id, requestor_duid));
	EXPECT_EQ(0, self->q.server_id.len);
	EXPECT_EQ(LQ_QUERY_BY_ADDRESS, self->q.query_type);
	EXPECT_EQ(0, memcmp(self->q.link_addr, link_1, 16));
	EXPECT_EQ(0, memcmp(self->q.addr, addr_100, 16));
	EXPECT_EQ(0, self->q.query_client_id.len);
	EXPECT_EQ(0, self->q.n_oro);
}

TEST_F(lq, query_by_address_built_octet_for_octet)
{
	struct lq_query q;
	size_t len;

	query_by_address_msg(&q);
	len = lq_build_query(&q, self->out, sizeof(self->out));
	ASSERT_EQ(sizeof(query_by_address), len);
	EXPECT_EQ(0, memcmp(query_by_address, self->out, len));
}

TEST_F(lq, query_by_clientid_parsed)
{
	ASSERT_EQ(LQ_OK, QUERY(query_by_clientid, sizeof(query_by_clientid)));
	EXPECT_EQ(0x123457, self->q.xid);
	EXPECT_TRUE(SAME(self->q.client_id, requestor_duid));
	EXPECT_TRUE(SAME(self->q.server_id, server_duid));
	EXPECT_EQ(LQ_QUERY_BY_CLIENTID, self->q.query_type);
	EXPECT_EQ(0, memcmp(self->q.link_addr, zero16, 16));
	EXPECT_TRUE(SAME(self->q.query_client_id, client_duid));
	ASSERT_EQ(1, self->q.n_oro);
	EXPECT_EQ(LQ_OPT_LQ_RELAY_DATA, self->q.oro[0]);
}

TEST_F(lq, query_by_clientid_built_octet_for_octet)
{
	struct lq_query q;
	size_t len;

	query_by_clientid_msg(&q);
	len = lq_build_query(&q, self->out, sizeof(self->out));
	ASSERT_EQ(sizeof(query_by_clientid), len);
	EXPECT_EQ(0, memcmp(query_by_clientid, self->out, len));
}

TEST_F(lq, reply_client_data_parsed)
{
	const struct lq_lease *l = self->leases;

	ASSERT_EQ(LQ_OK, REPLY(reply_client_data, sizeof(reply_client_data)));
	EXPECT_EQ(0x123456, self->r.xid);
	EXPECT_TRUE(SAME(self->r.client_id, requestor_duid));
	EXPECT_TRUE(SAME(self->r.server_id, server_duid));
	EXPECT_TRUE(self->r.has_status);
	EXPECT_EQ(DR_STATUS_SUCCESS, self->r.status);
	EXPECT_TRUE(same(&self->r.status_text, "Success", 7));
	ASSERT_TRUE(self->r.has_client);
	EXPECT_TRUE(SAME(self->r.client_duid, client_duid));
	EXPECT_TRUE(self->r.has_clt_time);
	EXPECT_EQ(60, self->r.clt_time);
	ASSERT_EQ(2, self->r.n_leases);
	EXPECT_FALSE(l[0].prefix);
	EXPECT_EQ(128, l[0].plen);
	EXPECT_EQ(0, memcmp(l[0].addr, addr_100, 16));
	EXPECT_EQ(3600, l[0].preferred);
	EXPECT_EQ(7200, l[0].valid);
	EXPECT_TRUE(l[1].prefix);
	EXPECT_EQ(56, l[1].plen);
	EXPECT_EQ(0, memcmp(l[1].addr, prefix_ab00, 16));
	EXPECT_EQ(1800, l[1].preferred);
	EXPECT_EQ(3600, l[1].valid);
	EXPECT_FALSE(self->r.has_relay_data);
	EXPECT_EQ(0, self->r.n_links);
}

TEST_F(lq, reply_client_data_built_octet_for_octet)
{
	struct lq_lease l[2];
	struct lq_reply r;
	size_t len;

	reply_client_data_msg(&r, l);
	len = lq_build_reply(&r, self->out, sizeof(self->out));
	ASSERT_EQ(sizeof(reply_client_data), len);
	EXPECT_EQ(0, memcmp(reply_client_data, self->out, len));
}

TEST_F(lq, reply_client_link_parsed)
{
	ASSERT_EQ(LQ_OK, REPLY(reply_client_link, sizeof(reply_client_link)));
	EXPECT_EQ(0x123457, self->r.xid);
	EXPECT_FALSE(self->r.has_status);
	EXPECT_FALSE(self->r.has_client);
	ASSERT_EQ(2, self->r.n_links);
	EXPECT_EQ(0, memcmp(self->r.links, link_1, 16));
	EXPECT_EQ(0, memcmp(self->r.links + 16, link_2, 16));
}

TEST_F(lq, reply_client_link_built_octet_for_octet)
{
	struct lq_reply r;
	size_t len;

	reply_client_link_msg(&r);
	len = lq_build_reply(&r, self->out, sizeof(self->out));
	ASSERT_EQ(sizeof(reply_client_link), len);
	EXPECT_EQ(0, memcmp(reply_client_link, self->out, len));
}

TEST_F(lq, reply_not_allowed_both_ways)
{
	struct lq_reply r;
	size_t len;

	ASSERT_EQ(LQ_OK, REPLY(reply_not_allowed, sizeof(reply_not_allowed)));
	EXPECT_TRUE(self->r.has_status);
	EXPECT_EQ(DR_STATUS_NOT_ALLOWED, self->r.status);
	EXPECT_FALSE(self->r.has_client);
	EXPECT_EQ(0, self->r.n_links);

	memset(&r, 0, sizeof(r));
	r.xid = 0x123458;
	r.client_id = BYTES(requestor_duid);
	r.server_id = BYTES(server_duid);
	r.has_status = true;
	r.status = DR_STATUS_NOT_ALLOWED;	/* no text: its name */
	len = lq_build_reply(&r, self->out, sizeof(self->out));
	ASSERT_EQ(sizeof(reply_not_allowed), len);
	EXPECT_EQ(0, memcmp(reply_not_allowed, self->out, len));
}

TEST_F(lq, reply_with_ias_both_ways)
{
	const struct lq_lease *l = self->leases;
	struct lq_lease want[2];
	struct lq_reply r;
	size_t len;

	ASSERT_EQ(LQ_OK, REPLY(reply_with_ias, sizeof(reply_with_ias)));
	ASSERT_EQ(2, self->r.n_leases);		/* each lease once */
	EXPECT_TRUE(l[0].has_iaid);
	EXPECT_EQ(7, l[0].iaid);
	EXPECT_FALSE(l[0].prefix);
	EXPECT_EQ(7200, l[0].valid);
	EXPECT_TRUE(l[1].has_iaid);
	EXPECT_EQ(9, l[1].iaid);
	EXPECT_TRUE(l[1].prefix);
	EXPECT_EQ(56, l[1].plen);
	EXPECT_EQ(60, self->r.clt_time);

	reply_client_data_msg(&r, want);
	r.xid = 0x123459;
	r.has_status = false;
	want[0].has_iaid = true;
	want[0].iaid = 7;
	want[1].has_iaid = true;
	want[1].iaid = 9;
	EXPECT_EQ(0, memcmp(want, self->leases, sizeof(want)));
	len = lq_build_reply(&r, self->out, sizeof(self->out));
	ASSERT_EQ(sizeof(reply_with_ias), len);
	EXPECT_EQ(0, memcmp(reply_with_ias, self->out, len));

	/* Without IAs (reply_client_data): no IAID. */
	ASSERT_EQ(LQ_OK, REPLY(reply_client_data, sizeof(reply_client_data)));
	EXPECT_FALSE(l[0].has_iaid);
	EXPECT_FALSE(l[1].has_iaid);
}

TEST_F(lq, ias_group_leases_by_kind_and_iaid)
{
	struct lq_lease l[4];
	struct lq_reply r;
	size_t len;
	int i;

	/* Two addresses in IA_NA 1, one in IA_NA 2, a prefix in IA_PD 1. */
	memset(&r, 0, sizeof(r));
	memset(l, 0, sizeof(l));
	r.has_client = true;
	r.client_duid = BYTES(client_duid);
	r.leases = l;
	r.n_leases = 4;
	for (i = 0; i < 4; i++) {
		memcpy(l[i].addr, i == 3 ? prefix_ab00 : addr_100, 16);
		l[i].addr[15] += i;
		l[i].prefix = i == 3;
		l[i].plen = i == 3 ? 60 : 128;
		l[i].has_iaid = true;
		l[i].iaid = i == 1 ? 2 : 1;
		l[i].valid = i;
	}
	len = lq_build_reply(&r, self->out, sizeof(self->out));
	/* 4 + Client Data(4 + 14 + 3 * 28 + 29, IA_NA 1: 16 + 2 * 28,
	   IA_NA 2: 16 + 28, IA_PD 1: 16 + 29) */
	ASSERT_EQ(4 + 4 + 14 + 3 * 28 + 29 + 16 + 56 + 16 + 28 + 16 + 29, len);
	ASSERT_EQ(LQ_OK, REPLY(self->out, len));
	ASSERT_EQ(4, self->r.n_leases);
	EXPECT_EQ(0, memcmp(l, self->leases, sizeof(l)));

	/* Leases without an IAID are written bare only. */
	l[1].has_iaid = false;
	l[1].iaid = 0;			/* meaningless without has_iaid */
	len = lq_build_reply(&r, self->out, sizeof(self->out));
	ASSERT_EQ(LQ_OK, REPLY(self->out, len));
	EXPECT_FALSE(self->leases[1].has_iaid);
	EXPECT_EQ(0, memcmp(l, self->leases, sizeof(l)));
}

TEST_F(lq, build_refuses_256_ias)
{
	static struct lq_lease l[256];
	struct lq_reply r;
	int i;

	memset(&r, 0, sizeof(r));
	r.has_client = true;
	r.client_duid = BYTES(client_duid);
	r.leases = l;
	r.n_leases = 256;
	for (i = 0; i < 256; i++) {
		memcpy(l[i].addr, addr_100, 16);
		l[i].addr[14] = i;
		l[i].plen = 128;
		l[i].has_iaid = true;
		l[i].iaid = i;
	}
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
	r.n_leases = 255;
	EXPECT_LT(0, lq_build_reply(&r, self->out, sizeof(self->out)));
}

TEST_F(lq, each_status_by_name)
{
	static const struct { uint16_t status; const char *name; } s[] = {
		{ DR_STATUS_SUCCESS, "Success" },
		{ DR_STATUS_UNKNOWN_QUERY_TYPE, "UnknownQueryType" },
		{ DR_STATUS_MALFORMED_QUERY, "MalformedQuery" },
		{ DR_STATUS_NOT_CONFIGURED, "NotConfigured" },
		{ DR_STATUS_NOT_ALLOWED, "NotAllowed" },
	};
	struct lq_reply r;
	unsigned int i;
	size_t len;

	for (i = 0; i < ARRAY_SIZE(s); i++) {
		memset(&r, 0, sizeof(r));
		r.xid = i;
		r.client_id = BYTES(requestor_duid);
		r.has_status = true;
		r.status = s[i].status;
		len = lq_build_reply(&r, self->out, sizeof(self->out));
		ASSERT_EQ(4 + 14 + 4 + 2 + strlen(s[i].name), len);
		ASSERT_EQ(LQ_OK, REPLY(self->out, len));
		EXPECT_EQ(s[i].status, self->r.status);
		EXPECT_TRUE(same(&self->r.status_text, s[i].name,
				 strlen(s[i].name)));
	}
}

/* ---- Round trips -------------------------------------------------------- */

TEST_F(lq, round_trip_full_client_data)
{
	struct lq_lease l[MAX_LEASES];
	uint8_t peer[16] = { 0xfe, 0x80, [15] = 0x07 };
	uint8_t relay_msg[40] = { 12, 0 };	/* a RELAY-FORW, unread */
	struct lq_reply r;
	size_t len;
	int i;

	memset(&r, 0, sizeof(r));
	memset(l, 0, sizeof(l));
	r.xid = 0xffffff;
	r.client_id = BYTES(requestor_duid);
	r.server_id = BYTES(server_duid);
	r.has_client = true;
	r.client_duid = BYTES(client_duid);
	r.leases = l;
	r.n_leases = MAX_LEASES;
	for (i = 0; i < MAX_LEASES; i++) {
		memcpy(l[i].addr, i % 2 ? prefix_ab00 : addr_100, 16);
		l[i].addr[7] = i;
		l[i].prefix = i % 2;
		l[i].plen = i % 2 ? 48 + i : 128;
		l[i].preferred = 1000 * i;
		l[i].valid = 0xffffffff - i;	/* infinity, nearly */
	}
	r.has_relay_data = true;
	memcpy(r.relay_peer, peer, 16);
	r.relay_msg = BYTES(relay_msg);
	len = lq_build_reply(&r, self->out, sizeof(self->out));
	ASSERT_LT(0, len);
	ASSERT_EQ(LQ_OK, REPLY(self->out, len));
	EXPECT_EQ(0xffffff, self->r.xid);
	EXPECT_FALSE(self->r.has_status);
	EXPECT_FALSE(self->r.has_clt_time);
	ASSERT_EQ(MAX_LEASES, self->r.n_leases);
	EXPECT_EQ(0, memcmp(l, self->leases, sizeof(l)));
	ASSERT_TRUE(self->r.has_relay_data);
	EXPECT_EQ(0, memcmp(self->r.relay_peer, peer, 16));
	EXPECT_TRUE(SAME(self->r.relay_msg, relay_msg));

	/* One more lease than the caller keeps: said, not dropped. */
	self->r.leases = self->leases;
	self->r.max_leases = MAX_LEASES - 1;
	EXPECT_EQ(LQ_ERR_TOO_MANY,
		  lq_parse_reply(self->copy, len, &self->r));
	/* No array at all: a reply with leases is too many. */
	self->r.leases = NULL;
	EXPECT_EQ(LQ_ERR_TOO_MANY,
		  lq_parse_reply(self->copy, len, &self->r));
}

TEST_F(lq, round_trip_every_query_type)
{
	struct lq_query q;
	size_t len;
	int t;

	for (t = 0; t < 256; t++) {
		query_by_clientid_msg(&q);
		q.query_type = t;
		memcpy(q.addr, addr_100, 16);
		memcpy(q.link_addr, link_2, 16);
		len = lq_build_query(&q, self->out, sizeof(self->out));
		ASSERT_LT(0, len);
		ASSERT_EQ(LQ_OK, parse_q(self, self->out, len));
		EXPECT_EQ(t, self->q.query_type);
		EXPECT_EQ(0, memcmp(self->q.link_addr, link_2, 16));
		if (t == LQ_QUERY_BY_ADDRESS)
			EXPECT_EQ(0, memcmp(self->q.addr, addr_100, 16));
		EXPECT_EQ(t == LQ_QUERY_BY_CLIENTID ? sizeof(client_duid) : 0,
			  self->q.query_client_id.len);
		/* Only the two known types' query-options are read. */
		EXPECT_EQ(t == 1 || t == 2 ? 1 : 0, self->q.n_oro);
	}
}

TEST_F(lq, round_trip_oro_full_and_duid_limits)
{
	uint8_t big[DR_DUID_MAX], small[DR_DUID_MIN];
	struct lq_query q;
	size_t len;
	int i;

	memset(big, 0xab, sizeof(big));
	memset(small, 0xcd, sizeof(small));
	query_by_clientid_msg(&q);
	q.client_id = BYTES(big);
	q.server_id = BYTES(small);
	q.query_client_id = BYTES(big);
	q.n_oro = LQ_MAX_ORO;
	for (i = 0; i < LQ_MAX_ORO; i++)
		q.oro[i] = 1000 + i;
	len = lq_build_query(&q, self->out, sizeof(self->out));
	ASSERT_LT(0, len);
	ASSERT_EQ(LQ_OK, QUERY(self->out, len));
	EXPECT_TRUE(SAME(self->q.client_id, big));
	EXPECT_TRUE(SAME(self->q.server_id, small));
	EXPECT_TRUE(SAME(self->q.query_client_id, big));
	ASSERT_EQ(LQ_MAX_ORO, self->q.n_oro);
	for (i = 0; i < LQ_MAX_ORO; i++)
		EXPECT_EQ(1000 + i, self->q.oro[i]);
}

/* ---- The builder refuses what would not parse --------------------------- */

TEST_F(lq, build_refusals)
{
	uint8_t big[DR_DUID_MAX + 1] = { 0 };
	struct lq_lease l[2];
	struct lq_query q;
	struct lq_reply r;

	query_by_address_msg(&q);
	q.xid = 0x1000000;
	EXPECT_EQ(0, lq_build_query(&q, self->out, sizeof(self->out)));
	query_by_address_msg(&q);
	q.client_id.len = 0;
	EXPECT_EQ(0, lq_build_query(&q, self->out, sizeof(self->out)));
	q.client_id = bytes(requestor_duid, 2);
	EXPECT_EQ(0, lq_build_query(&q, self->out, sizeof(self->out)));
	q.client_id = BYTES(big);
	EXPECT_EQ(0, lq_build_query(&q, self->out, sizeof(self->out)));
	query_by_address_msg(&q);
	q.server_id = BYTES(big);
	EXPECT_EQ(0, lq_build_query(&q, self->out, sizeof(self->out)));
	query_by_clientid_msg(&q);
	q.query_client_id.len = 0;
	EXPECT_EQ(0, lq_build_query(&q, self->out, sizeof(self->out)));
	query_by_clientid_msg(&q);
	q.n_oro = LQ_MAX_ORO + 1;
	EXPECT_EQ(0, lq_build_query(&q, self->out, sizeof(self->out)));

	reply_client_data_msg(&r, l);
	r.xid = 0x1000000;
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
	reply_client_data_msg(&r, l);
	r.client_duid.len = 0;
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
	reply_client_data_msg(&r, l);
	r.client_id = bytes(requestor_duid, 2);
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
	reply_client_data_msg(&r, l);
	r.server_id = BYTES(big);
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
	reply_client_data_msg(&r, l);
	r.leases = NULL;
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
	reply_client_link_msg(&r);
	r.links = NULL;
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
	reply_client_data_msg(&r, l);
	l[0].plen = 64;			/* an IAADDR is an address */
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
	reply_client_data_msg(&r, l);
	l[1].plen = 129;
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
	reply_client_data_msg(&r, l);
	r.has_client = false;		/* relay data lives in a Client Data */
	r.n_leases = 0;
	r.has_relay_data = true;
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
	reply_client_link_msg(&r);
	r.n_links = 4096;		/* 65536 octets: more than an option */
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
}

TEST_F(lq, build_every_short_cap)
{
	struct lq_lease l[2];
	struct lq_query q;
	struct lq_reply r;
	size_t cap;

	reply_client_data_msg(&r, l);
	for (cap = 0; cap < sizeof(reply_client_data); cap++) {
		uint8_t *buf = malloc(cap ? cap : 1);

		ASSERT_NE(NULL, buf);
		EXPECT_EQ(0, lq_build_reply(&r, buf, cap));
		free(buf);
	}
	query_by_clientid_msg(&q);
	for (cap = 0; cap < sizeof(query_by_clientid); cap++) {
		uint8_t *buf = malloc(cap ? cap : 1);

		ASSERT_NE(NULL, buf);
		EXPECT_EQ(0, lq_build_query(&q, buf, cap));
		free(buf);
	}
}

/* ---- Truncated and garbage input ---------------------------------------- */

/* Whether len ends a top-level option of buf (or its header). */
static bool at_boundary(const uint8_t *buf, size_t full, size_t len)
{
	struct dhcp6_opt_cursor c;
	size_t at = 4;

	if (len == 4)
		return true;
	dhcp6_opt_init(&c, buf + 4, full - 4);
	while (dhcp6_opt_next(&c)) {
		at += 4 + c.len;
		if (at == len)
			return true;
	}
	return false;
}

TEST_F(lq, truncated_every_offset)
{
	static const struct { const uint8_t *buf; size_t len; bool query; } m[] = {
		{ query_by_address, sizeof(query_by_address), true },
		{ query_by_clientid, sizeof(query_by_clientid), true },
		{ reply_client_data, sizeof(reply_client_data), false },
		{ reply_client_link, sizeof(reply_client_link), false },
		{ reply_not_allowed, sizeof(reply_not_allowed), false },
	};
	unsigned int i;
	size_t len;

	for (i = 0; i < ARRAY_SIZE(m); i++) {
		for (len = 0; len < m[i].len; len++) {
			enum lq_err err = m[i].query ?
				parse_q(self, m[i].buf, len) :
				parse_r(self, m[i].buf, len);

			if (len < 4) {
				EXPECT_EQ(LQ_ERR_SHORT, err);
			} else if (!at_boundary(m[i].buf, m[i].len, len)) {
				EXPECT_EQ(LQ_ERR_OPT_OVERRUN, err);
			} else if (m[i].query) {
				/* Whole options, but not all of them. */
				EXPECT_NE(LQ_OK, err);
			}
		}
	}
}

/* A deterministic generator: the same garbage on every run. */
static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

TEST_F(lq, garbage_never_read_past_the_end)
{
	uint8_t buf[300];
	uint32_t s = 20;
	int i, ok = 0;
	size_t len, j;

	for (i = 0; i < 20000; i++) {
		len = lcg(&s) % sizeof(buf);
		for (j = 0; j < len; j++)
			buf[j] = lcg(&s);
		/* Mostly option codes the codec knows, at every depth. */
		for (j = 4; j + 1 < len; j += 2 + lcg(&s) % 8)
			if (lcg(&s) % 2) {
				buf[j] = 0;
				buf[j + 1] = lcg(&s) % 50;
			}
		if (len) {
			buf[0] = i % 2 ? LQ_MSG_LEASEQUERY :
					 LQ_MSG_LEASEQUERY_REPLY;
		}
		if (i % 2) {
			if (parse_q(self, buf, len) == LQ_OK) {
				ok++;
				EXPECT_NE(0, self->q.client_id.len);
			}
		} else if (parse_r(self, buf, len) == LQ_OK) {
			ok++;
			EXPECT_GE(MAX_LEASES, self->r.n_leases);
			if (self->r.has_client)
				EXPECT_NE(0, self->r.client_duid.len);
		}
	}
	TH_LOG("%d of 20000 garbage messages parsed", ok);
}

/* ---- Each error, in a query --------------------------------------------- */

/* A LEASEQUERY with the requestor's CLIENTID, then what the test adds. */
static void lq_msg(struct builder *b)
{
	memset(b, 0, sizeof(*b));
	msg(b, LQ_MSG_LEASEQUERY, 0x010203);
	opt(b, DR_OPT_CLIENTID, requestor_duid, sizeof(requestor_duid));
}

/* Opens an LQ_QUERY; close it with end(). */
static void lq_query(struct builder *b, uint8_t type)
{
	begin(b, LQ_OPT_LQ_QUERY);
	put8(b, type);
	put(b, link_1, 16);
}

static void iaaddr(struct builder *b)
{
	begin(b, DR_OPT_IAADDR);
	put(b, addr_100, 16);
	put32(b, 0);
	put32(b, 0);
	end(b);
}

TEST_F(lq, err_query_short_and_type)
{
	EXPECT_EQ(LQ_ERR_SHORT, QUERY(query_by_address, 3));
	EXPECT_EQ(LQ_ERR_TYPE, QUERY(reply_client_data,
				     sizeof(reply_client_data)));
	EXPECT_EQ(LQ_ERR_TYPE, REPLY(query_by_address,
				     sizeof(query_by_address)));
	EXPECT_FALSE(self->in_query);
}

TEST_F(lq, err_query_client_id)
{
	memset(&self->b, 0, sizeof(self->b));
	msg(&self->b, LQ_MSG_LEASEQUERY, 1);
	lq_query(&self->b, LQ_QUERY_BY_ADDRESS);
	iaaddr(&self->b);
	end(&self->b);
	EXPECT_QERR(LQ_ERR_NO_CLIENT_ID);
	EXPECT_FALSE(self->in_query);	/* no one to answer */

	opt(&self->b, DR_OPT_CLIENTID, requestor_duid, 2);
	EXPECT_QERR(LQ_ERR_DUID);

	lq_msg(&self->b);
	opt(&self->b, DR_OPT_CLIENTID, requestor_duid, sizeof(requestor_duid));
	EXPECT_QERR(LQ_ERR_DUPLICATE);
	EXPECT_FALSE(self->in_query);

	lq_msg(&self->b);
	opt_fill(&self->b, DR_OPT_SERVERID, DR_DUID_MAX + 1);
	EXPECT_QERR(LQ_ERR_DUID);
}

TEST_F(lq, err_query_overrun_top_level)
{
	lq_msg(&self->b);
	put16(&self->b, 99);
	put16(&self->b, 1);		/* one octet promised, none there */
	EXPECT_QERR(LQ_ERR_OPT_OVERRUN);
	EXPECT_FALSE(self->in_query);
}

/* From here on the server can answer: MalformedQuery. */
TEST_F(lq, err_query_no_lq_query)
{
	lq_msg(&self->b);
	EXPECT_QERR(LQ_ERR_NO_QUERY);
	EXPECT_TRUE(self->in_query);
	EXPECT_EQ(0x010203, self->q.xid);
	EXPECT_TRUE(SAME(self->q.client_id, requestor_duid));
}

TEST_F(lq, err_query_lq_query_16)
{
	lq_msg(&self->b);
	begin(&self->b, LQ_OPT_LQ_QUERY);
	put8(&self->b, LQ_QUERY_BY_ADDRESS);
	put(&self->b, link_1, 15);
	end(&self->b);
	EXPECT_QERR(LQ_ERR_OPT_LEN);
	EXPECT_TRUE(self->in_query);
}

TEST_F(lq, err_query_two_lq_queries)
{
	lq_msg(&self->b);
	lq_query(&self->b, LQ_QUERY_BY_ADDRESS);
	iaaddr(&self->b);
	end(&self->b);
	lq_query(&self->b, LQ_QUERY_BY_ADDRESS);
	iaaddr(&self->b);
	end(&self->b);
	EXPECT_QERR(LQ_ERR_DUPLICATE);
	EXPECT_FALSE(self->in_query);
}

TEST_F(lq, err_query_by_address_without_iaaddr)
{
	lq_msg(&self->b);
	lq_query(&self->b, LQ_QUERY_BY_ADDRESS);
	opt(&self->b, DR_OPT_CLIENTID, client_duid, sizeof(client_duid));
	end(&self->b);
	EXPECT_QERR(LQ_ERR_NO_QUERY_DATA);
	EXPECT_TRUE(self->in_query);
}

TEST_F(lq, err_query_by_address_bad_iaaddr)
{
	lq_msg(&self->b);
	lq_query(&self->b, LQ_QUERY_BY_ADDRESS);
	opt_fill(&self->b, DR_OPT_IAADDR, 23);
	end(&self->b);
	EXPECT_QERR(LQ_ERR_OPT_LEN);
	EXPECT_TRUE(self->in_query);

	lq_msg(&self->b);
	lq_query(&self->b, LQ_QUERY_BY_ADDRESS);
	begin(&self->b, DR_OPT_IAADDR);
	put(&self->b, addr_100, 16);
	put32(&self->b, 0);
	put32(&self->b, 0);
	put16(&self->b, DR_OPT_STATUS_CODE);	/* an option inside ... */
	put16(&self->b, 8);			/* ... running past it */
	end(&self->b);
	end(&self->b);
	EXPECT_QERR(LQ_ERR_OPT_OVERRUN);
	EXPECT_TRUE(self->in_query);

	lq_msg(&self->b);
	lq_query(&self->b, LQ_QUERY_BY_ADDRESS);
	iaaddr(&self->b);
	iaaddr(&self->b);
	end(&self->b);
	EXPECT_QERR(LQ_ERR_DUPLICATE);
	EXPECT_TRUE(self->in_query);
}

TEST_F(lq, err_query_by_clientid)
{
	lq_msg(&self->b);
	lq_query(&self->b, LQ_QUERY_BY_CLIENTID);
	iaaddr(&self->b);		/* not what this query needs */
	end(&self->b);
	EXPECT_QERR(LQ_ERR_NO_QUERY_DATA);
	EXPECT_TRUE(self->in_query);

	lq_msg(&self->b);
	lq_query(&self->b, LQ_QUERY_BY_CLIENTID);
	opt_fill(&self->b, DR_OPT_CLIENTID, DR_DUID_MAX + 1);
	end(&self->b);
	EXPECT_QERR(LQ_ERR_DUID);
	EXPECT_TRUE(self->in_query);
}

TEST_F(lq, err_query_options_overrun)
{
	lq_msg(&self->b);
	lq_query(&self->b, LQ_QUERY_BY_CLIENTID);
	opt(&self->b, DR_OPT_CLIENTID, client_duid, sizeof(client_duid));
	put16(&self->b, 77);
	end(&self->b);			/* half an option header */
	EXPECT_QERR(LQ_ERR_OPT_OVERRUN);
	EXPECT_TRUE(self->in_query);
}

TEST_F(lq, err_query_oro)
{
	lq_msg(&self->b);
	lq_query(&self->b, LQ_QUERY_BY_ADDRESS);
	iaaddr(&self->b);
	opt_fill(&self->b, LQ_OPT_ORO, 3);
	end(&self->b);
	EXPECT_QERR(LQ_ERR_OPT_LEN);

	lq_msg(&self->b);
	lq_query(&self->b, LQ_QUERY_BY_ADDRESS);
	iaaddr(&self->b);
	opt_fill(&self->b, LQ_OPT_ORO, 2 * (LQ_MAX_ORO + 1));
	end(&self->b);
	EXPECT_QERR(LQ_ERR_TOO_MANY);
	EXPECT_TRUE(self->in_query);
}

TEST_F(lq, unknown_query_type_options_not_read)
{
	lq_msg(&self->b);
	lq_query(&self->b, 3);		/* QUERY_BY_RELAY_ID (RFC 5460) */
	put16(&self->b, 53);
	put16(&self->b, 200);		/* garbage: not this parser's */
	end(&self->b);
	EXPECT_QERR(LQ_OK);
	EXPECT_EQ(3, self->q.query_type);
	EXPECT_FALSE(self->in_query);
}

TEST_F(lq, unknown_options_skipped)
{
	lq_msg(&self->b);
	opt_fill(&self->b, 8, 2);		/* ELAPSED_TIME */
	lq_query(&self->b, LQ_QUERY_BY_ADDRESS);
	opt_fill(&self->b, 999, 7);
	iaaddr(&self->b);
	opt(&self->b, DR_OPT_CLIENTID, client_duid, 1);	/* not by-clientid */
	end(&self->b);
	opt_fill(&self->b, 1000, 0);
	EXPECT_QERR(LQ_OK);
	EXPECT_EQ(0, memcmp(self->q.addr, addr_100, 16));
	EXPECT_EQ(0, self->q.query_client_id.len);
}

/* ---- Each error, in a reply --------------------------------------------- */

static void lqr_msg(struct builder *b)
{
	memset(b, 0, sizeof(*b));
	msg(b, LQ_MSG_LEASEQUERY_REPLY, 0x010203);
	opt(b, DR_OPT_CLIENTID, requestor_duid, sizeof(requestor_duid));
	opt(b, DR_OPT_SERVERID, server_duid, sizeof(server_duid));
}

/* Opens a Client Data with the client's CLIENTID. */
static void client_data(struct builder *b)
{
	begin(b, LQ_OPT_CLIENT_DATA);
	opt(b, DR_OPT_CLIENTID, client_duid, sizeof(client_duid));
}

/* An IAPREFIX 2001:db8:ab00::/plen, valid lifetime valid. */
static void ia_prefix(struct builder *b, uint8_t plen, uint32_t valid)
{
	begin(b, DR_OPT_IAPREFIX);
	put32(b, 0);
	put32(b, valid);
	put8(b, plen);
	put(b, prefix_ab00, 16);
	end(b);
}

TEST_F(lq, reply_minimal)
{
	/* Success and nothing: no binding. Every option is optional here. */
	memset(&self->b, 0, sizeof(self->b));
	msg(&self->b, LQ_MSG_LEASEQUERY_REPLY, 7);
	EXPECT_RERR(LQ_OK);
	EXPECT_EQ(7, self->r.xid);
	EXPECT_FALSE(self->r.has_status);
	EXPECT_FALSE(self->r.has_client);
	EXPECT_EQ(0, self->r.n_links);
}

TEST_F(lq, err_reply_top_level)
{
	lqr_msg(&self->b);
	opt(&self->b, DR_OPT_SERVERID, server_duid, sizeof(server_duid));
	EXPECT_RERR(LQ_ERR_DUPLICATE);

	lqr_msg(&self->b);
	opt_fill(&self->b, DR_OPT_STATUS_CODE, 1);
	EXPECT_RERR(LQ_ERR_OPT_LEN);

	lqr_msg(&self->b);
	opt_fill(&self->b, DR_OPT_STATUS_CODE, 2);
	opt_fill(&self->b, DR_OPT_STATUS_CODE, 2);
	EXPECT_RERR(LQ_ERR_DUPLICATE);

	lqr_msg(&self->b);
	put8(&self->b, 0);
	EXPECT_RERR(LQ_ERR_OPT_OVERRUN);
}

TEST_F(lq, err_reply_client_link)
{
	lqr_msg(&self->b);
	opt_fill(&self->b, LQ_OPT_LQ_CLIENT_LINK, 15);
	EXPECT_RERR(LQ_ERR_OPT_LEN);

	lqr_msg(&self->b);
	opt_fill(&self->b, LQ_OPT_LQ_CLIENT_LINK, 0);
	EXPECT_RERR(LQ_ERR_OPT_LEN);

	lqr_msg(&self->b);
	opt(&self->b, LQ_OPT_LQ_CLIENT_LINK, link_1, 16);
	opt(&self->b, LQ_OPT_LQ_CLIENT_LINK, link_2, 16);
	EXPECT_RERR(LQ_ERR_DUPLICATE);
}

TEST_F(lq, err_reply_client_data)
{
	lqr_msg(&self->b);
	begin(&self->b, LQ_OPT_CLIENT_DATA);
	opt_fill(&self->b, LQ_OPT_CLT_TIME, 4);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_NO_CLIENT_ID);

	lqr_msg(&self->b);
	client_data(&self->b);
	end(&self->b);
	client_data(&self->b);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_DUPLICATE);	/* one client per reply */

	lqr_msg(&self->b);
	client_data(&self->b);
	opt(&self->b, DR_OPT_CLIENTID, client_duid, sizeof(client_duid));
	end(&self->b);
	EXPECT_RERR(LQ_ERR_DUPLICATE);

	lqr_msg(&self->b);
	client_data(&self->b);
	put8(&self->b, 0);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_OPT_OVERRUN);
}

TEST_F(lq, err_reply_clt_time)
{
	uint16_t len[] = { 0, 3, 5 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(len); i++) {
		lqr_msg(&self->b);
		client_data(&self->b);
		opt_fill(&self->b, LQ_OPT_CLT_TIME, len[i]);
		end(&self->b);
		EXPECT_RERR(LQ_ERR_OPT_LEN);
	}
	lqr_msg(&self->b);
	client_data(&self->b);
	opt_fill(&self->b, LQ_OPT_CLT_TIME, 4);
	opt_fill(&self->b, LQ_OPT_CLT_TIME, 4);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_DUPLICATE);
}

TEST_F(lq, err_reply_leases)
{
	lqr_msg(&self->b);
	client_data(&self->b);
	opt_fill(&self->b, DR_OPT_IAADDR, 23);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_OPT_LEN);

	lqr_msg(&self->b);
	client_data(&self->b);
	opt_fill(&self->b, DR_OPT_IAPREFIX, 24);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_OPT_LEN);

	lqr_msg(&self->b);
	client_data(&self->b);
	begin(&self->b, DR_OPT_IAPREFIX);
	put32(&self->b, 0);
	put32(&self->b, 0);
	put8(&self->b, 129);
	put(&self->b, prefix_ab00, 16);
	end(&self->b);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_PREFIX_LEN);

	/* Garbage inside a lease is garbage, though nothing there is used. */
	lqr_msg(&self->b);
	client_data(&self->b);
	begin(&self->b, DR_OPT_IAPREFIX);
	put32(&self->b, 0);
	put32(&self->b, 0);
	put8(&self->b, 56);
	put(&self->b, prefix_ab00, 16);
	put8(&self->b, 0);
	end(&self->b);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_OPT_OVERRUN);

	/* A status in a lease: walked, skipped. */
	lqr_msg(&self->b);
	client_data(&self->b);
	begin(&self->b, DR_OPT_IAADDR);
	put(&self->b, addr_100, 16);
	put32(&self->b, 1);
	put32(&self->b, 2);
	opt_fill(&self->b, DR_OPT_STATUS_CODE, 2);
	end(&self->b);
	end(&self->b);
	EXPECT_RERR(LQ_OK);
	ASSERT_EQ(1, self->r.n_leases);
	EXPECT_EQ(2, self->leases[0].valid);
}

TEST_F(lq, err_reply_relay_data)
{
	lqr_msg(&self->b);
	client_data(&self->b);
	opt_fill(&self->b, LQ_OPT_LQ_RELAY_DATA, 15);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_OPT_LEN);

	/* At the top (ISC dhcpd's place) and in the Client Data (Kea's). */
	lqr_msg(&self->b);
	client_data(&self->b);
	opt_fill(&self->b, LQ_OPT_LQ_RELAY_DATA, 16);
	end(&self->b);
	opt_fill(&self->b, LQ_OPT_LQ_RELAY_DATA, 20);
	EXPECT_RERR(LQ_ERR_DUPLICATE);

	lqr_msg(&self->b);
	opt_fill(&self->b, LQ_OPT_LQ_RELAY_DATA, 20);
	client_data(&self->b);
	end(&self->b);
	EXPECT_RERR(LQ_OK);
	EXPECT_TRUE(self->r.has_relay_data);
	EXPECT_EQ(4, self->r.relay_msg.len);
}

TEST_F(lq, err_query_two_oros)
{
	lq_msg(&self->b);
	lq_query(&self->b, LQ_QUERY_BY_ADDRESS);
	iaaddr(&self->b);
	opt_fill(&self->b, LQ_OPT_ORO, 2);
	opt_fill(&self->b, LQ_OPT_ORO, 2);
	end(&self->b);
	EXPECT_QERR(LQ_ERR_DUPLICATE);
	EXPECT_TRUE(self->in_query);
}

TEST_F(lq, in_query_may_be_null)
{
	struct lq_query q;

	lq_msg(&self->b);
	EXPECT_EQ(LQ_ERR_NO_QUERY, lq_parse_query(self->b.data, self->b.len,
						  &q, NULL));
	EXPECT_EQ(LQ_OK, lq_parse_query(query_by_address,
					sizeof(query_by_address), &q, NULL));
}

TEST_F(lq, err_reply_iaaddr_inner_overrun)
{
	lqr_msg(&self->b);
	client_data(&self->b);
	begin(&self->b, DR_OPT_IAADDR);
	put(&self->b, addr_100, 16);
	put32(&self->b, 0);
	put32(&self->b, 0);
	put16(&self->b, 13);
	end(&self->b);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_OPT_OVERRUN);
}

TEST_F(lq, reply_unknown_options_skipped)
{
	lqr_msg(&self->b);
	opt_fill(&self->b, 999, 3);
	client_data(&self->b);
	opt_fill(&self->b, 998, 5);
	opt_fill(&self->b, DR_OPT_STATUS_CODE, 2);	/* not the reply's */
	end(&self->b);
	EXPECT_RERR(LQ_OK);
	EXPECT_FALSE(self->r.has_status);
	EXPECT_TRUE(self->r.has_client);
}

TEST_F(lq, build_status_text_and_too_long_client_data)
{
	static struct lq_lease many[2400];
	struct lq_reply r;
	size_t len;
	int i;

	/* A status text of the server's own. */
	memset(&r, 0, sizeof(r));
	r.has_status = true;
	r.status = DR_STATUS_SUCCESS;
	r.status_text = bytes("no binding", 10);
	len = lq_build_reply(&r, self->out, sizeof(self->out));
	ASSERT_EQ(4 + 4 + 2 + 10, len);
	ASSERT_EQ(LQ_OK, REPLY(self->out, len));
	EXPECT_TRUE(same(&self->r.status_text, "no binding", 10));

	/* 2400 prefixes: more than 65535 / 28, refused before writing. */
	for (i = 0; i < 2400; i++) {
		many[i].prefix = true;
		many[i].plen = 64;
	}
	r.has_client = true;
	r.client_duid = BYTES(client_duid);
	r.leases = many;
	r.n_leases = 2400;
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
	/* 2300: 66,718 octets, more than a Client Data holds. */
	r.n_leases = 2300;
	EXPECT_EQ(0, lq_build_reply(&r, self->out, sizeof(self->out)));
	r.n_leases = 2000;			/* 58,000: fits */
	EXPECT_LT(0, lq_build_reply(&r, self->out, sizeof(self->out)));
}

TEST_F(lq, ias_in_a_reply)
{
	/* An IA before the bare leases, and a lease only in an IA. */
	lqr_msg(&self->b);
	client_data(&self->b);
	begin(&self->b, DR_OPT_IA_PD);
	put32(&self->b, 5);
	put32(&self->b, 100);
	put32(&self->b, 200);
	ia_prefix(&self->b, 56, 11);
	ia_prefix(&self->b, 60, 12);		/* only here */
	opt_fill(&self->b, DR_OPT_IAADDR, 24);	/* not an IA_PD's: skipped */
	end(&self->b);
	ia_prefix(&self->b, 56, 13);		/* again, bare: the same */
	end(&self->b);
	EXPECT_RERR(LQ_OK);
	ASSERT_EQ(2, self->r.n_leases);
	EXPECT_TRUE(self->leases[0].has_iaid);
	EXPECT_EQ(5, self->leases[0].iaid);
	EXPECT_EQ(11, self->leases[0].valid);	/* as first met */
	EXPECT_EQ(60, self->leases[1].plen);
	EXPECT_EQ(5, self->leases[1].iaid);

	/* One lease in two IAs of different IAIDs: which is it? */
	lqr_msg(&self->b);
	client_data(&self->b);
	begin(&self->b, DR_OPT_IA_PD);
	put32(&self->b, 5);
	put32(&self->b, 0);
	put32(&self->b, 0);
	ia_prefix(&self->b, 56, 1);
	end(&self->b);
	begin(&self->b, DR_OPT_IA_PD);
	put32(&self->b, 6);
	put32(&self->b, 0);
	put32(&self->b, 0);
	ia_prefix(&self->b, 56, 1);
	end(&self->b);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_DUPLICATE);

	lqr_msg(&self->b);
	client_data(&self->b);
	opt_fill(&self->b, DR_OPT_IA_NA, 11);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_OPT_LEN);

	lqr_msg(&self->b);
	client_data(&self->b);
	begin(&self->b, DR_OPT_IA_NA);
	put32(&self->b, 5);
	put32(&self->b, 0);
	put32(&self->b, 0);
	put16(&self->b, 1);			/* half an option header */
	end(&self->b);
	end(&self->b);
	EXPECT_RERR(LQ_ERR_OPT_OVERRUN);
}

TEST_F(lq, err_names)
{
	int e;

	for (e = 0; e < LQ_ERR_COUNT; e++)
		EXPECT_STRNE("unknown", lq_err_name((enum lq_err)e));
	EXPECT_STREQ("unknown", lq_err_name(LQ_ERR_COUNT));
	EXPECT_STREQ("no_query_data", lq_err_name(LQ_ERR_NO_QUERY_DATA));
}

TEST_HARNESS_MAIN
