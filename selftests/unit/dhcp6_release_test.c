// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for agent/lib/dhcp6_release.c (RELEASE-REQUEST and
 * RELEASE-REQUEST-REPLY), built in userspace under ASan and UBSan.
 *
 * Two messages are written out by hand, octet by octet, and the builder
 * must produce exactly them; the rest are built by dr_build() (round
 * trips) or by the small option builder below (malformed messages).
 * Every parse runs on a heap copy of exactly the message's length, so a
 * read past the end is an ASan report, not a quiet pass.
 *
 * With DHCP6_RELEASE_CORPUS_DIR set, every message parsed (not the
 * truncated copies, nor the longest) is also written there as a fuzzing
 * seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "dhcp6_release.h"
#define LG_UNIT_BUILDER
#include "unit.h"

#ifndef ARRAY_SIZE
#endif

/* The draft assigns no message types: any two do for the codec. */
#define RR		200	/* RELEASE-REQUEST */
#define RRR		201	/* RELEASE-REQUEST-REPLY */

#define OPT_ELAPSED	8	/* options the codec skips */
#define OPT_CLT_TIME	46

#define MTU_PAYLOAD	(1280 - 40 - 8)	/* IPv6 minimum MTU, less IPv6, UDP */

/* ---- Hand-written messages --------------------------------------------- */

static const uint8_t server_duid[] = {
	0x00, 0x01, 0x00, 0x01,			/* DUID-LLT, Ethernet */
	0x2a, 0x3b, 0x4c, 0x5d,			/* time */
	0x02, 0x00, 0x00, 0x00, 0x00, 0xfe,	/* 02:00:00:00:00:fe */
};

static const uint8_t relay_duid[] = {
	0x00, 0x03, 0x00, 0x01,			/* DUID-LL, Ethernet */
	0x02, 0x00, 0x00, 0x00, 0x00, 0xaa,	/* 02:00:00:00:00:aa */
};

static const uint8_t client1_duid[] = {
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02,
};

static const uint8_t client2_duid[] = {
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x03,
};

static const uint8_t addr_100[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00
};

static const uint8_t prefix_ab00[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0xab, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
};

/*
 * Two clients on their way out: the first with an address and a /56, the
 * second, behind another interface, with all its leases.
 */
static const uint8_t request[] = {
	RR, 0x0a, 0x0b, 0x0c,			/* xid 0x0a0b0c */
	0x00, 0x02, 0x00, 0x0e,			/* SERVERID, 14 octets */
	0x00, 0x01, 0x00, 0x01, 0x2a, 0x3b, 0x4c, 0x5d,
	0x02, 0x00, 0x00, 0x00, 0x00, 0xfe,
	0x00, 0x35, 0x00, 0x0a,			/* RELAY_ID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa,
	0x00, 0x12, 0x00, 0x04,			/* INTERFACE_ID, 4 octets */
	'e', 't', 'h', '1',
	0x00, 0x2d, 0x00, 0x67,			/* CLIENT_DATA, 103 octets: */
	0x00, 0x01, 0x00, 0x0a,			/*   CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02,
	0x00, 0x03, 0x00, 0x28,			/*   IA_NA, 40 octets: */
	0x00, 0x00, 0x01, 0x02,			/*     IAID 258 */
	0x00, 0x00, 0x00, 0x00,			/*     T1 0 */
	0x00, 0x00, 0x00, 0x00,			/*     T2 0 */
	0x00, 0x05, 0x00, 0x18,			/*     IAADDR, 24 octets: */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,	/* 2001:db8:1:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,	/*   ...:100 */
	0x00, 0x00, 0x00, 0x00,			/*       preferred 0 */
	0x00, 0x00, 0x00, 0x00,			/*       valid 0 */
	0x00, 0x19, 0x00, 0x29,			/*   IA_PD, 41 octets: */
	0x00, 0x00, 0x01, 0x02,			/*     IAID 258 */
	0x00, 0x00, 0x00, 0x00,			/*     T1 0 */
	0x00, 0x00, 0x00, 0x00,			/*     T2 0 */
	0x00, 0x1a, 0x00, 0x19,			/*     IAPREFIX, 25 octets: */
	0x00, 0x00, 0x00, 0x00,			/*       preferred 0 */
	0x00, 0x00, 0x00, 0x00,			/*       valid 0 */
	0x38,					/*       /56 */
	0x20, 0x01, 0x0d, 0xb8, 0xab, 0x00, 0x00, 0x00,	/* 2001:db8:ab00:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x2d, 0x00, 0x16,			/* CLIENT_DATA, 22 octets: */
	0x00, 0x01, 0x00, 0x0a,			/*   CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x03,
	0x00, 0x12, 0x00, 0x04,			/*   INTERFACE_ID, 4 octets */
	'e', 't', 'h', '2',
};

/*
 * The server's answer: done, but it had no /56 for the first client, and
 * the second is not the relay's to release.
 */
static const uint8_t reply[] = {
	RRR, 0x0a, 0x0b, 0x0c,			/* xid 0x0a0b0c */
	0x00, 0x02, 0x00, 0x0e,			/* SERVERID, 14 octets */
	0x00, 0x01, 0x00, 0x01, 0x2a, 0x3b, 0x4c, 0x5d,
	0x02, 0x00, 0x00, 0x00, 0x00, 0xfe,
	0x00, 0x0d, 0x00, 0x09,			/* STATUS_CODE, 9 octets: */
	0x00, 0x00,				/*   Success */
	'S', 'u', 'c', 'c', 'e', 's', 's',
	0x00, 0x12, 0x00, 0x04,			/* INTERFACE_ID, 4 octets */
	'e', 't', 'h', '1',
	0x00, 0x2d, 0x00, 0x24,			/* CLIENT_DATA, 36 octets: */
	0x00, 0x01, 0x00, 0x0a,			/*   CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02,
	0x00, 0x19, 0x00, 0x12,			/*   IA_PD, 18 octets: */
	0x00, 0x00, 0x01, 0x02,			/*     IAID 258 */
	0x00, 0x00, 0x00, 0x00,			/*     T1 0 */
	0x00, 0x00, 0x00, 0x00,			/*     T2 0 */
	0x00, 0x0d, 0x00, 0x02,			/*     STATUS_CODE, 2 octets: */
	0x00, 0x03,				/*       NoBinding */
	0x00, 0x2d, 0x00, 0x1c,			/* CLIENT_DATA, 28 octets: */
	0x00, 0x01, 0x00, 0x0a,			/*   CLIENTID, 10 octets */
	0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x03,
	0x00, 0x0d, 0x00, 0x02,			/*   STATUS_CODE, 2 octets: */
	0x00, 0x0a,				/*     NotAllowed */
	0x00, 0x12, 0x00, 0x04,			/*   INTERFACE_ID, 4 octets */
	'e', 't', 'h', '2',
};

static struct dr_bytes bytes(const void *data, size_t len)
{
	struct dr_bytes b = { (const uint8_t *)data, (uint16_t)len };

	return b;
}

#define BYTES(a)	bytes(a, sizeof(a))
#define STR(s)		bytes(s, strlen(s))

/* The messages above as structures, for the builder. */
static void request_msg(struct dr_msg *m, struct dr_client *c)
{
	memset(m, 0, sizeof(*m));
	memset(c, 0, 2 * sizeof(*c));
	m->type = RR;
	m->xid = 0x0a0b0c;
	m->server_id = BYTES(server_duid);
	m->relay_id = BYTES(relay_duid);
	m->ifid = STR("eth1");
	m->clients = c;
	m->n_clients = 2;

	c[0].duid = BYTES(client1_duid);
	c[0].n_ias = 2;
	c[0].ias[0].type = DR_OPT_IA_NA;
	c[0].ias[0].iaid = 258;
	c[0].ias[0].n_leases = 1;
	memcpy(c[0].ias[0].leases[0].addr, addr_100, 16);
	c[0].ias[0].leases[0].plen = 128;
	c[0].ias[1].type = DR_OPT_IA_PD;
	c[0].ias[1].iaid = 258;
	c[0].ias[1].n_leases = 1;
	memcpy(c[0].ias[1].leases[0].addr, prefix_ab00, 16);
	c[0].ias[1].leases[0].plen = 56;

	c[1].duid = BYTES(client2_duid);
	c[1].ifid = STR("eth2");
}

static void reply_msg(struct dr_msg *m, struct dr_client *c)
{
	memset(m, 0, sizeof(*m));
	memset(c, 0, 2 * sizeof(*c));
	m->type = RRR;
	m->xid = 0x0a0b0c;
	m->server_id = BYTES(server_duid);
	m->has_status = true;
	m->status = DR_STATUS_SUCCESS;
	m->ifid = STR("eth1");
	m->clients = c;
	m->n_clients = 2;

	c[0].duid = BYTES(client1_duid);
	c[0].n_ias = 1;
	c[0].ias[0].type = DR_OPT_IA_PD;
	c[0].ias[0].iaid = 258;
	c[0].ias[0].has_status = true;
	c[0].ias[0].status = DR_STATUS_NO_BINDING;

	c[1].duid = BYTES(client2_duid);
	c[1].has_status = true;
	c[1].status = DR_STATUS_NOT_ALLOWED;
	c[1].ifid = STR("eth2");
}

/* ---- A builder for malformed messages ---------------------------------- */

/* Opens a Client Data with the first client's CLIENTID. */
static void client(struct builder *b)
{
	begin(b, DR_OPT_CLIENT_DATA);
	opt(b, DR_OPT_CLIENTID, client1_duid, sizeof(client1_duid));
}

/* Opens an IA_NA or IA_PD; close it with end(). */
static void ia(struct builder *b, uint16_t code, uint32_t iaid)
{
	begin(b, code);
	put32(b, iaid);
	put32(b, 0);
	put32(b, 0);
}

/* Opens an IAADDR 2001:db8:1::<last>; close it with end(). */
static void iaaddr(struct builder *b, uint8_t last)
{
	uint8_t addr[16];

	memcpy(addr, addr_100, 16);
	addr[15] = last;
	begin(b, DR_OPT_IAADDR);
	put(b, addr, 16);
	put32(b, 0);
	put32(b, 0);
}

/* Opens an IAPREFIX 2001:db8:ab00::/<plen>; close it with end(). */
static void iaprefix(struct builder *b, uint8_t plen)
{
	begin(b, DR_OPT_IAPREFIX);
	put32(b, 0);
	put32(b, 0);
	put8(b, plen);
	put(b, prefix_ab00, 16);
}

static void status(struct builder *b, uint16_t code)
{
	begin(b, DR_OPT_STATUS_CODE);
	put16(b, code);
	end(b);
}

/* ---- The fixture -------------------------------------------------------- */

#define MAX_CLIENTS	64
#define FULL_CLIENTS	16	/* of 1200 octets or so each */

FIXTURE(dr) {
	struct builder b;
	struct dr_msg m;		/* what parsing gave */
	struct dr_client clients[MAX_CLIENTS];
	uint8_t *copy;			/* what m points into */
	uint8_t out[65536 + 4096];	/* what dr_build() wrote */
	int seeds;
};

FIXTURE_SETUP(dr)
{
	memset(self, 0, sizeof(*self));
	self->m.clients = self->clients;
	self->m.max_clients = MAX_CLIENTS;
}

FIXTURE_TEARDOWN(dr)
{
	free(self->copy);
}

/*
 * The fuzzer's inputs grow as long as its longest seed, and slow it down
 * as they do: the few messages of tens of kilobytes stay out.
 */
#define SEED_MAX	8192

/* Parses a heap copy of exactly len octets, kept until the next parse. */
static enum dr_err parse_copy(FIXTURE_DATA(dr) *self, const uint8_t *buf,
			      size_t len)
{
	free(self->copy);
	self->copy = malloc(len ? len : 1);
	if (!self->copy)
		abort();
	memcpy(self->copy, buf, len);
	return dr_parse(self->copy, len, &self->m);
}

static enum dr_err parse_seed(struct __test_metadata *_metadata,
			      FIXTURE_DATA(dr) *self, const uint8_t *buf,
			      size_t len)
{
	write_seed("DHCP6_RELEASE_CORPUS_DIR", SEED_MAX, _metadata->name, self->seeds++, buf, len);
	return parse_copy(self, buf, len);
}

/* Parse a message, or what the builder holds, and check the result. */
#define EXPECT_PARSE(want, buf, len) \
	ASSERT_STREQ(dr_err_name(want), \
		     dr_err_name(parse_seed(_metadata, self, buf, len)))
#define EXPECT_PARSE_B(want) EXPECT_PARSE(want, self->b.data, self->b.len)

/* The parsed copy's octet at offset off of the original message. */
#define AT(off) (self->copy + (off))

static bool same_bytes(const struct dr_bytes *a, const struct dr_bytes *b)
{
	return a->len == b->len && (!a->len ||
				    !memcmp(a->data, b->data, a->len));
}

/*
 * Whether b, parsed from dr_build(a), is a again: the same but for an
 * Interface-Id equal to the common one, which is not written, and for a
 * top-level status text, which is the status's name when a has none.
 */
static bool same_msg(const struct dr_msg *a, const struct dr_msg *b)
{
	struct dr_bytes name = STR(dr_status_name(a->status));
	int i, j, k;

	if (a->type != b->type || a->xid != b->xid ||
	    !same_bytes(&a->server_id, &b->server_id) ||
	    !same_bytes(&a->relay_id, &b->relay_id) ||
	    !same_bytes(&a->ifid, &b->ifid) ||
	    a->has_status != b->has_status || a->status != b->status ||
	    a->n_clients != b->n_clients)
		return false;
	if (a->has_status && !same_bytes(a->status_text.len ?
					 &a->status_text : &name,
					 &b->status_text))
		return false;
	for (i = 0; i < a->n_clients; i++) {
		const struct dr_client *ca = &a->clients[i];
		const struct dr_client *cb = &b->clients[i];

		if (!same_bytes(&ca->duid, &cb->duid) ||
		    !same_bytes(dr_client_ifid(a, ca), dr_client_ifid(b, cb)) ||
		    ca->has_status != cb->has_status ||
		    ca->status != cb->status || ca->n_ias != cb->n_ias)
			return false;
		for (j = 0; j < ca->n_ias; j++) {
			const struct dr_ia *ia = &ca->ias[j];
			const struct dr_ia *ib = &cb->ias[j];

			if (ia->type != ib->type || ia->iaid != ib->iaid ||
			    ia->has_status != ib->has_status ||
			    ia->status != ib->status ||
			    ia->n_leases != ib->n_leases)
				return false;
			for (k = 0; k < ia->n_leases; k++)
				if (ia->leases[k].plen != ib->leases[k].plen ||
				    memcmp(ia->leases[k].addr,
					   ib->leases[k].addr, 16) ||
				    ia->leases[k].has_status !=
				    ib->leases[k].has_status ||
				    ia->leases[k].status != ib->leases[k].status)
					return false;
		}
	}
	return true;
}

/*
 * Builds m, checks the length against dr_fit(), parses it back. A build
 * that fails leaves the buffer half written: the good one comes last.
 */
static size_t build_parse(struct __test_metadata *_metadata,
			  FIXTURE_DATA(dr) *self, const struct dr_msg *m)
{
	size_t len = dr_build(m, self->out, sizeof(self->out));

	if (!len)
		return 0;
	/* the exact length fits, one octet less does not */
	if (dr_build(m, self->out, len - 1) ||
	    dr_fit(m, len) != m->n_clients ||
	    (m->n_clients && dr_fit(m, len - 1) != m->n_clients - 1) ||
	    dr_build(m, self->out, len) != len)
		return 0;
	if (parse_seed(_metadata, self, self->out, len) != DR_OK)
		return 0;
	return len;
}

#define ASSERT_ROUND_TRIP(msg) do { \
	ASSERT_NE(0, build_parse(_metadata, self, msg)); \
	ASSERT_TRUE(same_msg(msg, &self->m)); \
} while (0)

/* ---- Good messages ------------------------------------------------------ */

TEST_F(dr, request_parsed)
{
	const struct dr_msg *m = &self->m;
	const struct dr_client *c = self->clients;

	EXPECT_PARSE(DR_OK, request, sizeof(request));
	ASSERT_EQ(RR, m->type);
	ASSERT_EQ(0x0a0b0c, m->xid);
	ASSERT_EQ(AT(8), m->server_id.data);
	ASSERT_EQ(14, m->server_id.len);
	ASSERT_EQ(AT(26), m->relay_id.data);
	ASSERT_EQ(10, m->relay_id.len);
	ASSERT_EQ(AT(40), m->ifid.data);
	ASSERT_EQ(4, m->ifid.len);
	ASSERT_FALSE(m->has_status);
	ASSERT_EQ(0, m->status_text.len);
	ASSERT_EQ(&self->clients[0], m->clients);
	ASSERT_EQ(MAX_CLIENTS, m->max_clients);
	ASSERT_EQ(2, m->n_clients);

	ASSERT_EQ(AT(52), c[0].duid.data);
	ASSERT_EQ(10, c[0].duid.len);
	ASSERT_EQ(0, c[0].ifid.len);
	ASSERT_FALSE(c[0].has_status);
	ASSERT_EQ(2, c[0].n_ias);
	ASSERT_EQ(DR_OPT_IA_NA, c[0].ias[0].type);
	ASSERT_EQ(258, c[0].ias[0].iaid);
	ASSERT_FALSE(c[0].ias[0].has_status);
	ASSERT_EQ(1, c[0].ias[0].n_leases);
	ASSERT_EQ(0, memcmp(addr_100, c[0].ias[0].leases[0].addr, 16));
	ASSERT_EQ(128, c[0].ias[0].leases[0].plen);
	ASSERT_EQ(DR_OPT_IA_PD, c[0].ias[1].type);
	ASSERT_EQ(258, c[0].ias[1].iaid);
	ASSERT_EQ(1, c[0].ias[1].n_leases);
	ASSERT_EQ(0, memcmp(prefix_ab00, c[0].ias[1].leases[0].addr, 16));
	ASSERT_EQ(56, c[0].ias[1].leases[0].plen);

	ASSERT_EQ(AT(159), c[1].duid.data);
	ASSERT_EQ(10, c[1].duid.len);
	ASSERT_EQ(AT(173), c[1].ifid.data);
	ASSERT_EQ(4, c[1].ifid.len);
	ASSERT_EQ(0, c[1].n_ias);
}

TEST_F(dr, request_built_octet_for_octet)
{
	struct dr_client c[2];
	struct dr_msg m;

	request_msg(&m, c);
	ASSERT_EQ(sizeof(request), dr_build(&m, self->out, sizeof(self->out)));
	ASSERT_EQ(0, memcmp(request, self->out, sizeof(request)));
}

TEST_F(dr, reply_parsed)
{
	const struct dr_msg *m = &self->m;
	const struct dr_client *c = self->clients;
	uint16_t st;

	EXPECT_PARSE(DR_OK, reply, sizeof(reply));
	ASSERT_EQ(RRR, m->type);
	ASSERT_EQ(0x0a0b0c, m->xid);
	ASSERT_EQ(14, m->server_id.len);
	ASSERT_EQ(0, m->relay_id.len);
	ASSERT_TRUE(m->has_status);
	ASSERT_EQ(DR_STATUS_SUCCESS, m->status);
	ASSERT_EQ(AT(28), m->status_text.data);
	ASSERT_EQ(7, m->status_text.len);
	ASSERT_EQ(4, m->ifid.len);
	ASSERT_EQ(2, m->n_clients);

	ASSERT_EQ(10, c[0].duid.len);
	ASSERT_FALSE(c[0].has_status);
	ASSERT_EQ(1, c[0].n_ias);
	ASSERT_EQ(DR_OPT_IA_PD, c[0].ias[0].type);
	ASSERT_EQ(258, c[0].ias[0].iaid);
	ASSERT_EQ(0, c[0].ias[0].n_leases);
	ASSERT_TRUE(c[0].ias[0].has_status);
	ASSERT_EQ(DR_STATUS_NO_BINDING, c[0].ias[0].status);

	ASSERT_TRUE(c[1].has_status);
	ASSERT_EQ(DR_STATUS_NOT_ALLOWED, c[1].status);
	ASSERT_EQ(0, c[1].n_ias);

	/* what applies where, and what the agent does about it */
	ASSERT_TRUE(dr_status_of(m, &c[0], &c[0].ias[0], &st));
	ASSERT_EQ(DR_STATUS_NO_BINDING, st);
	ASSERT_TRUE(dr_is_success_or_nobinding(st));
	ASSERT_TRUE(dr_status_of(m, &c[1], NULL, &st));
	ASSERT_EQ(DR_STATUS_NOT_ALLOWED, st);
	ASSERT_FALSE(dr_is_success_or_nobinding(st));
	ASSERT_TRUE(dr_status_of(m, &c[0], NULL, &st));
	ASSERT_EQ(DR_STATUS_SUCCESS, st);
}

TEST_F(dr, reply_built_octet_for_octet)
{
	struct dr_client c[2];
	struct dr_msg m;

	reply_msg(&m, c);
	ASSERT_EQ(sizeof(reply), dr_build(&m, self->out, sizeof(self->out)));
	ASSERT_EQ(0, memcmp(reply, self->out, sizeof(reply)));
}

TEST_F(dr, round_trip_request_and_reply)
{
	struct dr_client c[2];
	struct dr_msg m;

	request_msg(&m, c);
	ASSERT_ROUND_TRIP(&m);
	reply_msg(&m, c);
	ASSERT_ROUND_TRIP(&m);
}

/* The most a client can carry, many times over. */
TEST_F(dr, round_trip_full_clients)
{
	struct dr_client c[FULL_CLIENTS];
	uint8_t duids[FULL_CLIENTS][DR_DUID_MAX];
	struct dr_msg m;
	int i, j, k;

	memset(&m, 0, sizeof(m));
	memset(c, 0, sizeof(c));
	m.type = RR;
	m.xid = 0xffffff;
	m.server_id = bytes(server_duid, DR_DUID_MIN);
	m.relay_id = BYTES(relay_duid);
	m.clients = c;
	m.n_clients = FULL_CLIENTS;
	for (i = 0; i < FULL_CLIENTS; i++) {
		memset(duids[i], i, sizeof(duids[i]));
		c[i].duid = bytes(duids[i], DR_DUID_MAX);
		c[i].has_status = i & 1;
		c[i].status = i & 1 ? i : 0;
		c[i].n_ias = DR_MAX_CLIENT_IAS;
		for (j = 0; j < DR_MAX_CLIENT_IAS; j++) {
			struct dr_ia *a = &c[i].ias[j];

			a->type = j & 1 ? DR_OPT_IA_PD : DR_OPT_IA_NA;
			a->iaid = 0xfffffff0 + j / 2;
			a->has_status = j == 3;
			a->status = j == 3 ? 0xffff : 0;
			a->n_leases = DR_MAX_IA_LEASES;
			for (k = 0; k < DR_MAX_IA_LEASES; k++) {
				memset(a->leases[k].addr, 16 * j + k, 16);
				a->leases[k].plen = a->type == DR_OPT_IA_NA ?
						    128 : 8 * k + 72;
			}
		}
	}
	ASSERT_ROUND_TRIP(&m);
	ASSERT_EQ(FULL_CLIENTS, self->m.n_clients);
}

TEST_F(dr, header_only_message)
{
	struct dr_msg m;

	memset(&m, 0, sizeof(m));
	m.type = RR;
	ASSERT_EQ(4, dr_build(&m, self->out, 4));
	ASSERT_EQ(0, memcmp("\xc8\0\0\0", self->out, 4));
	ASSERT_ROUND_TRIP(&m);

	/* nowhere to put clients is fine when there are none */
	self->m.clients = NULL;
	self->m.max_clients = 0;
	EXPECT_PARSE(DR_OK, self->out, 4);
	ASSERT_EQ(0, self->m.n_clients);
}

/* Any type but the relay ones: the caller checks its own numbers. */
TEST_F(dr, every_message_type)
{
	struct dr_msg m;
	int t;

	memset(&m, 0, sizeof(m));
	for (t = 0; t < 256; t++) {
		m.type = t;
		if (t == 12 || t == 13) {
			ASSERT_EQ(0, dr_build(&m, self->out, 4));
			continue;
		}
		ASSERT_ROUND_TRIP(&m);
		ASSERT_EQ(t, self->m.type);
	}
}

/* ---- Interface-Id, top level against per client ----------------------- */

TEST_F(dr, interface_id_common_not_repeated)
{
	struct dr_client c[3];
	struct dr_msg m;
	size_t len;

	request_msg(&m, c);
	m.n_clients = 3;
	c[0].ifid = STR("eth1");	/* the common one: not written */
	c[2] = c[1];
	c[2].ifid = STR("eth10");	/* longer, same start */
	len = build_parse(_metadata, self, &m);
	ASSERT_EQ(sizeof(request) + 4 + 14 + 4 + 5, len);
	ASSERT_TRUE(same_msg(&m, &self->m));
	ASSERT_EQ(0, self->clients[0].ifid.len);
	ASSERT_EQ(4, self->clients[1].ifid.len);
	ASSERT_EQ(5, self->clients[2].ifid.len);
	ASSERT_EQ(&self->m.ifid, dr_client_ifid(&self->m, &self->clients[0]));
	ASSERT_EQ(&self->clients[1].ifid,
		  dr_client_ifid(&self->m, &self->clients[1]));

	c[1].ifid = STR("eth9");	/* same length, other octets */
	ASSERT_ROUND_TRIP(&m);
	ASSERT_EQ(4, self->clients[1].ifid.len);
}

TEST_F(dr, interface_id_only_per_client)
{
	struct dr_client c[2];
	struct dr_msg m;

	request_msg(&m, c);
	m.ifid = bytes(NULL, 0);
	c[0].ifid = STR("eth1");
	ASSERT_ROUND_TRIP(&m);
	ASSERT_EQ(0, self->m.ifid.len);
	ASSERT_EQ(4, self->clients[0].ifid.len);
	ASSERT_EQ(4, self->clients[1].ifid.len);

	/* nobody has one */
	c[0].ifid = c[1].ifid = bytes(NULL, 0);
	ASSERT_ROUND_TRIP(&m);
	ASSERT_EQ(0, dr_client_ifid(&self->m, &self->clients[1])->len);
}

/* Sent, it is the client's, even when the same as the common one. */
TEST_F(dr, interface_id_repeated_by_sender)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	opt(b, DR_OPT_INTERFACE_ID, "eth1", 4);
	client(b);
	opt(b, DR_OPT_INTERFACE_ID, "eth1", 4);
	end(b);
	EXPECT_PARSE_B(DR_OK);
	ASSERT_EQ(AT(34), self->clients[0].ifid.data);
	ASSERT_EQ(AT(34), dr_client_ifid(&self->m, &self->clients[0])->data);
}

/* ---- Status codes at three levels --------------------------------------- */

TEST_F(dr, status_codes_three_levels)
{
	const struct dr_client *pc = self->clients;
	struct dr_client c[2];
	struct dr_msg m;
	uint16_t st = 77;

	reply_msg(&m, c);
	m.status = DR_STATUS_NOT_CONFIGURED;
	c[0].has_status = true;
	c[0].status = DR_STATUS_UNSPEC_FAIL;
	c[0].n_ias = 2;
	c[0].ias[1].type = DR_OPT_IA_NA;
	c[0].ias[1].iaid = 258;
	ASSERT_ROUND_TRIP(&m);

	ASSERT_TRUE(dr_status_of(&self->m, &pc[0], &pc[0].ias[0], &st));
	ASSERT_EQ(DR_STATUS_NO_BINDING, st);
	ASSERT_TRUE(dr_status_of(&self->m, &pc[0], &pc[0].ias[1], &st));
	ASSERT_EQ(DR_STATUS_UNSPEC_FAIL, st);
	ASSERT_TRUE(dr_status_of(&self->m, NULL, &pc[0].ias[1], &st));
	ASSERT_EQ(DR_STATUS_NOT_CONFIGURED, st);
	ASSERT_TRUE(dr_status_of(&self->m, NULL, NULL, &st));
	ASSERT_EQ(DR_STATUS_NOT_CONFIGURED, st);

	/* no Status Code anywhere: the draft has the relay discard it */
	m.has_status = c[0].has_status = c[0].ias[0].has_status = false;
	m.status = c[0].status = c[0].ias[0].status = 0;
	ASSERT_ROUND_TRIP(&m);
	st = 77;
	ASSERT_FALSE(dr_status_of(&self->m, &pc[0], &pc[0].ias[0], &st));
	ASSERT_EQ(77, st);
}

TEST_F(dr, status_text)
{
	static uint8_t long_text[0xffff];
	static const uint8_t no_text[] = {
		RRR, 0x00, 0x00, 0x01,
		0x00, 0x0d, 0x00, 0x02,		/* STATUS_CODE, 2 octets: */
		0x00, 0x09,			/*   NotConfigured */
	};
	struct dr_msg m;
	size_t len;

	EXPECT_PARSE(DR_OK, no_text, sizeof(no_text));
	ASSERT_TRUE(self->m.has_status);
	ASSERT_EQ(DR_STATUS_NOT_CONFIGURED, self->m.status);
	ASSERT_EQ(0, self->m.status_text.len);

	/* none given: the name */
	memset(&m, 0, sizeof(m));
	m.type = RRR;
	m.has_status = true;
	m.status = DR_STATUS_NOT_CONFIGURED;
	len = build_parse(_metadata, self, &m);
	ASSERT_EQ(4 + 4 + 2 + 13, len);
	ASSERT_EQ(13, self->m.status_text.len);
	ASSERT_EQ(0, memcmp("NotConfigured", self->m.status_text.data, 13));

	/* given: as is */
	m.status_text = STR("relay not trusted");
	ASSERT_ROUND_TRIP(&m);
	ASSERT_EQ(17, self->m.status_text.len);

	/* a status without a name: no text */
	m.status = 4242;
	m.status_text = bytes(NULL, 0);
	ASSERT_EQ(10, build_parse(_metadata, self, &m));
	ASSERT_EQ(4242, self->m.status);
	ASSERT_EQ(0, self->m.status_text.len);

	/* the longest text an option holds */
	m.status_text = bytes(long_text, 0xffff - 2);
	ASSERT_EQ(4 + 4 + 0xffff, dr_build(&m, self->out, sizeof(self->out)));
	m.status_text.len++;
	ASSERT_EQ(0, dr_build(&m, self->out, sizeof(self->out)));

	/* text comes only with a status */
	m.has_status = false;
	ASSERT_EQ(4, dr_build(&m, self->out, sizeof(self->out)));
}

/* Status texts below the top level are not kept, and do not matter. */
TEST_F(dr, status_text_in_client_and_ia_ignored)
{
	struct builder *b = &self->b;

	msg(b, RRR, 1);
	client(b);
	begin(b, DR_OPT_STATUS_CODE);
	put16(b, DR_STATUS_NOT_ALLOWED);
	put(b, "go away", 7);
	end(b);
	ia(b, DR_OPT_IA_NA, 1);
	begin(b, DR_OPT_STATUS_CODE);
	put16(b, DR_STATUS_NO_BINDING);
	put(b, "never heard of it", 17);
	end(b);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_OK);
	ASSERT_EQ(DR_STATUS_NOT_ALLOWED, self->clients[0].status);
	ASSERT_EQ(DR_STATUS_NO_BINDING, self->clients[0].ias[0].status);
	ASSERT_FALSE(self->m.has_status);
}

/* ---- Unknown options ---------------------------------------------------- */

TEST_F(dr, unknown_options_skipped_everywhere)
{
	struct builder *b = &self->b;
	const struct dr_client *c = self->clients;
	struct dr_msg m;

	msg(b, RR, 0x123456);
	opt_fill(b, OPT_ELAPSED, 2);
	opt(b, DR_OPT_SERVERID, server_duid, sizeof(server_duid));
	opt_fill(b, 0xffff, 0);
	opt_fill(b, DR_OPT_CLIENTID, 10);	/* not at the top */
	ia(b, DR_OPT_IA_NA, 9);			/* nor this */
	iaaddr(b, 9);
	end(b);
	end(b);
	client(b);
	opt_fill(b, OPT_CLT_TIME, 4);
	ia(b, DR_OPT_IA_NA, 1);
	opt_fill(b, 1000, 3);
	iaaddr(b, 1);
	opt_fill(b, 1001, 0);
	status(b, 0);			/* a lease's status: skipped */
	end(b);
	opt_fill(b, DR_OPT_CLIENT_DATA, 0);	/* not in an IA */
	end(b);
	ia(b, DR_OPT_IA_PD, 1);
	iaprefix(b, 64);
	opt_fill(b, DR_OPT_IAPREFIX, 1);	/* inside an IAPREFIX */
	end(b);
	end(b);
	end(b);
	opt_fill(b, 60000, 7);
	EXPECT_PARSE_B(DR_OK);

	ASSERT_EQ(AT(14), self->m.server_id.data);
	ASSERT_EQ(1, self->m.n_clients);
	ASSERT_EQ(2, c[0].n_ias);
	ASSERT_EQ(1, c[0].ias[0].n_leases);
	ASSERT_FALSE(c[0].ias[0].has_status);
	ASSERT_EQ(1, c[0].ias[0].leases[0].addr[15]);
	ASSERT_EQ(1, c[0].ias[1].n_leases);
	ASSERT_EQ(64, c[0].ias[1].leases[0].plen);

	/* rebuilt, the unknown options are gone */
	m = self->m;
	ASSERT_EQ(4 + 18 + 4 + 14 + 44 + 45,
		  dr_build(&m, self->out, sizeof(self->out)));
}

TEST_F(dr, same_iaid_in_ia_na_and_ia_pd)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	client(b);
	ia(b, DR_OPT_IA_NA, 7);
	end(b);
	ia(b, DR_OPT_IA_PD, 7);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_OK);
	ASSERT_EQ(2, self->clients[0].n_ias);
}

TEST_F(dr, limits_exactly)
{
	struct builder *b = &self->b;
	int i, k;

	msg(b, RR, 1);
	client(b);
	for (i = 0; i < DR_MAX_CLIENT_IAS; i++) {
		ia(b, DR_OPT_IA_PD, i);
		for (k = 0; k < DR_MAX_IA_LEASES; k++) {
			iaprefix(b, k ? 128 : 0);
			end(b);
		}
		end(b);
	}
	end(b);
	for (i = 1; i < MAX_CLIENTS; i++) {
		client(b);
		end(b);
	}
	EXPECT_PARSE_B(DR_OK);
	ASSERT_EQ(MAX_CLIENTS, self->m.n_clients);
	ASSERT_EQ(DR_MAX_CLIENT_IAS, self->clients[0].n_ias);
	ASSERT_EQ(DR_MAX_IA_LEASES, self->clients[0].ias[3].n_leases);
	ASSERT_EQ(0, self->clients[0].ias[3].leases[0].plen);
	ASSERT_EQ(128, self->clients[0].ias[3].leases[7].plen);
}

TEST_F(dr, duid_3_and_130)
{
	struct builder *b = &self->b;
	uint8_t d[DR_DUID_MAX];

	memset(d, 0xd, sizeof(d));
	msg(b, RR, 1);
	opt(b, DR_OPT_SERVERID, d, DR_DUID_MIN);
	opt(b, DR_OPT_RELAY_ID, d, DR_DUID_MAX);
	begin(b, DR_OPT_CLIENT_DATA);
	opt(b, DR_OPT_CLIENTID, d, DR_DUID_MAX);
	end(b);
	begin(b, DR_OPT_CLIENT_DATA);
	opt(b, DR_OPT_CLIENTID, d, DR_DUID_MIN);
	end(b);
	EXPECT_PARSE_B(DR_OK);
	ASSERT_EQ(3, self->m.server_id.len);
	ASSERT_EQ(130, self->m.relay_id.len);
	ASSERT_EQ(130, self->clients[0].duid.len);
	ASSERT_EQ(3, self->clients[1].duid.len);
}

/* ---- Batching to the path MTU ------------------------------------------- */

#define N_SUBS	100

/* Subscriber i: an address and a /56 each, a DUID of 10 + i % 8. */
static void subscribers(struct dr_msg *m, struct dr_client *c,
			uint8_t duids[][DR_DUID_MAX])
{
	int i;

	memset(m, 0, sizeof(*m));
	memset(c, 0, N_SUBS * sizeof(*c));
	m->type = RR;
	m->xid = 0x424242;
	m->server_id = BYTES(server_duid);
	m->relay_id = BYTES(relay_duid);
	m->ifid = STR("eth1");
	m->clients = c;
	m->n_clients = N_SUBS;
	for (i = 0; i < N_SUBS; i++) {
		memset(duids[i], 0, DR_DUID_MAX);
		duids[i][1] = 3;
		duids[i][9] = i;
		c[i].duid = bytes(duids[i], 10 + i % 8);
		c[i].ifid = i % 10 ? STR("eth1") : STR("eth2");
		c[i].n_ias = 2;
		c[i].ias[0].type = DR_OPT_IA_NA;
		c[i].ias[0].iaid = i;
		c[i].ias[0].n_leases = 1;
		c[i].ias[0].leases[0].plen = 128;
		c[i].ias[0].leases[0].addr[15] = i;
		c[i].ias[1].type = DR_OPT_IA_PD;
		c[i].ias[1].iaid = i;
		c[i].ias[1].n_leases = 1;
		c[i].ias[1].leases[0].plen = 56;
		c[i].ias[1].leases[0].addr[6] = i;
	}
}

TEST_F(dr, batching_to_1232)
{
	static uint8_t duids[N_SUBS][DR_DUID_MAX];
	struct dr_client c[N_SUBS];
	struct dr_msg all, batch, want;
	int i, batches = 0, full = 0;
	size_t len;

	subscribers(&all, c, duids);
	batch = all;
	for (i = 0; i < all.n_clients; i += batch.n_clients) {
		batch.clients = all.clients + i;
		batch.n_clients = all.n_clients - i;
		batch.n_clients = dr_fit(&batch, MTU_PAYLOAD);
		ASSERT_LT(0, batch.n_clients);
		len = dr_build(&batch, self->out, MTU_PAYLOAD);
		ASSERT_LT(0, len);
		ASSERT_GE(MTU_PAYLOAD, len);

		/* one more would not have fitted */
		if (i + batch.n_clients < all.n_clients) {
			want = batch;
			want.n_clients++;
			ASSERT_EQ(0, dr_build(&want, self->out, MTU_PAYLOAD));
			len = dr_build(&want, self->out, sizeof(self->out));
			ASSERT_LT(MTU_PAYLOAD, len);
			full++;
		}
		len = dr_build(&batch, self->out, MTU_PAYLOAD);
		EXPECT_PARSE(DR_OK, self->out, len);
		ASSERT_TRUE(same_msg(&batch, &self->m));
		batches++;
	}
	ASSERT_EQ(N_SUBS, i);
	ASSERT_EQ(batches - 1, full);
	/* 44 octets of header, 107 to 122 a subscriber: 10 to a packet */
	ASSERT_EQ(10, batches);
	TH_LOG("%d subscribers in %d packets of at most %d octets", N_SUBS,
	       batches, MTU_PAYLOAD);
}

TEST_F(dr, fit_edges)
{
	static uint8_t duids[N_SUBS][DR_DUID_MAX];
	struct dr_client c[N_SUBS];
	struct dr_msg m;
	size_t head, one;

	subscribers(&m, c, duids);
	head = 4 + 18 + 14 + 8;
	one = 4 + 14 + 8 + 44 + 45;	/* "eth2": not the common one */
	ASSERT_EQ(0, dr_fit(&m, 0));
	ASSERT_EQ(0, dr_fit(&m, head - 1));
	ASSERT_EQ(0, dr_fit(&m, head));
	ASSERT_EQ(0, dr_fit(&m, head + one - 1));
	ASSERT_EQ(1, dr_fit(&m, head + one));
	ASSERT_EQ(N_SUBS, dr_fit(&m, SIZE_MAX));

	/* a client that cannot be encoded stops the batch before it */
	c[3].duid.len = 0;
	ASSERT_EQ(3, dr_fit(&m, SIZE_MAX));
	m.clients += 3;
	ASSERT_EQ(0, dr_fit(&m, SIZE_MAX));
	m.clients -= 3;

	/* nor does anything fit with a header that cannot be */
	m.xid = 1 << 24;
	ASSERT_EQ(0, dr_fit(&m, SIZE_MAX));

	m.n_clients = 0;
	m.xid = 0;
	ASSERT_EQ(0, dr_fit(&m, SIZE_MAX));
	ASSERT_EQ(head, dr_build(&m, self->out, head));
}

/* With no clients the writer's own check is all there is: every cap. */
TEST_F(dr, build_every_short_cap)
{
	struct dr_client c[2];
	struct dr_msg m;
	size_t cap, len;

	reply_msg(&m, c);
	m.relay_id = BYTES(relay_duid);
	m.n_clients = 0;
	len = dr_build(&m, self->out, sizeof(self->out));
	ASSERT_EQ(4 + 18 + 14 + 13 + 8, len);
	for (cap = 0; cap < len; cap++)
		ASSERT_EQ(0, dr_build(&m, self->out, cap));
	ASSERT_EQ(len, dr_build(&m, self->out, len));

	reply_msg(&m, c);
	len = dr_build(&m, self->out, sizeof(self->out));
	ASSERT_EQ(sizeof(reply), len);
	for (cap = 0; cap < len; cap++)
		ASSERT_EQ(0, dr_build(&m, self->out, cap));
}

/* ---- What dr_build() refuses -------------------------------------------- */

TEST_F(dr, build_refuses_what_parse_would)
{
	uint8_t big[DR_DUID_MAX + 1] = { 0 };
	static uint8_t huge[65536];
	struct dr_client c[2];
	struct dr_msg m;

	request_msg(&m, c);
	ASSERT_EQ(sizeof(request), dr_build(&m, self->out, sizeof(self->out)));

#define REFUSED(change) do { \
	request_msg(&m, c); \
	change; \
	ASSERT_EQ(0, dr_build(&m, self->out, sizeof(self->out))); \
	ASSERT_EQ(0, dr_fit(&m, sizeof(self->out))); \
} while (0)
#define CLIENT_REFUSED(change) do { \
	REFUSED(change); \
	m.n_clients = 1; \
	ASSERT_EQ(0, dr_fit(&m, sizeof(self->out))); \
	m.clients++; \
	ASSERT_EQ(1, dr_fit(&m, sizeof(self->out))); \
} while (0)

	REFUSED(m.type = 12);
	REFUSED(m.type = 13);
	REFUSED(m.xid = 0x1000000);
	REFUSED(m.server_id = bytes(big, DR_DUID_MIN - 1));
	REFUSED(m.server_id = bytes(big, DR_DUID_MAX + 1));
	REFUSED(m.relay_id = bytes(big, DR_DUID_MIN - 1));
	REFUSED(m.relay_id = bytes(big, DR_DUID_MAX + 1));
	REFUSED((m.has_status = true, m.status_text = bytes(huge, 0xfffe)));

	CLIENT_REFUSED(c[0].duid = bytes(NULL, 0));
	CLIENT_REFUSED(c[0].duid = bytes(big, DR_DUID_MIN - 1));
	CLIENT_REFUSED(c[0].duid = bytes(big, DR_DUID_MAX + 1));
	CLIENT_REFUSED(c[0].n_ias = DR_MAX_CLIENT_IAS + 1);
	CLIENT_REFUSED(c[0].ias[0].type = DR_OPT_CLIENT_DATA);
	CLIENT_REFUSED((c[0].ias[1].type = DR_OPT_IA_TA,	/* plen 56 */
			c[0].ias[1].iaid = 9));
	CLIENT_REFUSED(c[0].ias[0].leases[0].has_status = true);
	/* bare leases: no IAID, no status of their own, at least one lease */
	CLIENT_REFUSED((c[0].ias[0].type = DR_OPT_IAADDR, c[0].ias[0].iaid = 1));
	CLIENT_REFUSED((c[0].ias[0].type = DR_OPT_IAADDR, c[0].ias[0].iaid = 0,
			c[0].ias[0].has_status = true));
	CLIENT_REFUSED((c[0].ias[0].type = DR_OPT_IAADDR, c[0].ias[0].iaid = 0,
			c[0].ias[0].n_leases = 0));
	CLIENT_REFUSED((c[0].ias[1].type = DR_OPT_IAADDR,	/* plen 56 */
			c[0].ias[1].iaid = 0));
	CLIENT_REFUSED(c[0].ias[1].type = 0);
	CLIENT_REFUSED(c[0].ias[0].n_leases = DR_MAX_IA_LEASES + 1);
	CLIENT_REFUSED(c[0].ias[0].leases[0].plen = 64);
	CLIENT_REFUSED(c[0].ias[1].leases[0].plen = 129);
	CLIENT_REFUSED((c[0].ias[1].type = DR_OPT_IA_NA,	/* same IAID */
			c[0].ias[1].leases[0].plen = 128));
	/* a Client Data longer than an option */
	CLIENT_REFUSED(c[0].ifid = bytes(huge, 0xffff - 14 - 44 - 45 - 3));

	/* the longest Client Data an option holds */
	request_msg(&m, c);
	c[0].ifid = bytes(huge, 0xffff - 14 - 44 - 45 - 4);
	ASSERT_EQ(sizeof(request) + 0xffff - 103,
		  dr_build(&m, self->out, sizeof(self->out)));
	ASSERT_ROUND_TRIP(&m);

	/* a /128 is a prefix like any other */
	request_msg(&m, c);
	c[0].ias[1].leases[0].plen = 128;
	ASSERT_ROUND_TRIP(&m);
}

/* ---- Errors: short, type ------------------------------------------------ */

TEST_F(dr, err_short)
{
	size_t n;

	for (n = 0; n < 4; n++)
		EXPECT_PARSE(DR_ERR_SHORT, request, n);
}

TEST_F(dr, err_type_relay_messages)
{
	uint8_t v[sizeof(request)];

	memcpy(v, request, sizeof(v));
	v[0] = 12;
	EXPECT_PARSE(DR_ERR_TYPE, v, sizeof(v));
	v[0] = 13;
	EXPECT_PARSE(DR_ERR_TYPE, v, 4);
	v[0] = 14;
	EXPECT_PARSE(DR_OK, v, sizeof(v));
}

/* ---- Errors: option overrun, at each level ------------------------------ */

/* Every prefix is OK at a top-level option boundary, else an error. */
TEST_F(dr, truncated_every_offset)
{
	static const struct {
		const uint8_t *v;
		size_t len;
	} vecs[] = {
		{ request, sizeof(request) },
		{ reply, sizeof(reply) },
	};
	unsigned int i;
	size_t n, next;

	for (i = 0; i < ARRAY_SIZE(vecs); i++) {
		const uint8_t *v = vecs[i].v;

		next = 4;
		for (n = 4; n < vecs[i].len; n++) {
			enum dr_err err = parse_copy(self, v, n);

			if (n == next) {
				ASSERT_EQ(DR_OK, err);
				next += 4 + (v[n + 2] << 8 | v[n + 3]);
			} else {
				ASSERT_EQ(DR_ERR_OPT_OVERRUN, err) {
					TH_LOG("vector %u, %zu octets", i, n);
				}
			}
		}
		ASSERT_EQ(vecs[i].len, next);
	}
}

TEST_F(dr, err_partial_option_header)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	put8(b, 0);
	EXPECT_PARSE_B(DR_ERR_OPT_OVERRUN);
	put16(b, 0);
	EXPECT_PARSE_B(DR_ERR_OPT_OVERRUN);
}

TEST_F(dr, err_overrun_top_level)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	opt(b, DR_OPT_SERVERID, server_duid, sizeof(server_duid));
	b->data[7]++;		/* one more than there is */
	EXPECT_PARSE_B(DR_ERR_OPT_OVERRUN);
}

TEST_F(dr, err_overrun_in_client_data)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	client(b);
	put16(b, DR_OPT_INTERFACE_ID);	/* claims 2 octets, has 1 */
	put16(b, 2);
	put8(b, 'x');
	end(b);
	EXPECT_PARSE_B(DR_ERR_OPT_OVERRUN);
}

TEST_F(dr, err_garbage_in_client_data)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	client(b);
	put(b, "\xff\xff\xff", 3);	/* not an option */
	end(b);
	EXPECT_PARSE_B(DR_ERR_OPT_OVERRUN);
}

TEST_F(dr, err_overrun_in_ia)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	client(b);
	ia(b, DR_OPT_IA_NA, 1);
	iaaddr(b, 1);
	end(b);
	b->data[b->len - 25]++;		/* the IAADDR past its IA */
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_OPT_OVERRUN);
}

TEST_F(dr, err_overrun_in_iaaddr)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	client(b);
	ia(b, DR_OPT_IA_NA, 1);
	iaaddr(b, 1);
	put(b, "\0\x0d\0\x05\0", 5);	/* STATUS_CODE of 5, 1 there */
	end(b);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_OPT_OVERRUN);
	ASSERT_EQ(0, self->m.n_clients);
}

TEST_F(dr, err_garbage_in_iaprefix)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	client(b);
	ia(b, DR_OPT_IA_PD, 1);
	iaprefix(b, 56);
	put8(b, 0);			/* one octet after the prefix */
	end(b);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_OPT_OVERRUN);
}

/* ---- Errors: lengths ---------------------------------------------------- */

TEST_F(dr, err_ia_11)
{
	static const uint16_t codes[] = { DR_OPT_IA_NA, DR_OPT_IA_PD };
	struct builder *b = &self->b;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		b->len = 0;
		msg(b, RR, 1);
		client(b);
		opt_fill(b, codes[i], 11);
		end(b);
		EXPECT_PARSE_B(DR_ERR_OPT_LEN);
	}
}

TEST_F(dr, err_iaaddr_23)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	client(b);
	ia(b, DR_OPT_IA_NA, 1);
	opt_fill(b, DR_OPT_IAADDR, 23);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_OPT_LEN);
}

TEST_F(dr, err_iaprefix_24)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	client(b);
	ia(b, DR_OPT_IA_PD, 1);
	opt_fill(b, DR_OPT_IAPREFIX, 24);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_OPT_LEN);
}

TEST_F(dr, err_status_1_each_level)
{
	struct builder *b = &self->b;

	msg(b, RRR, 1);
	opt_fill(b, DR_OPT_STATUS_CODE, 1);
	EXPECT_PARSE_B(DR_ERR_OPT_LEN);

	b->len = 0;
	msg(b, RRR, 1);
	client(b);
	opt_fill(b, DR_OPT_STATUS_CODE, 1);
	end(b);
	EXPECT_PARSE_B(DR_ERR_OPT_LEN);

	b->len = 0;
	msg(b, RRR, 1);
	client(b);
	ia(b, DR_OPT_IA_PD, 1);
	opt_fill(b, DR_OPT_STATUS_CODE, 1);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_OPT_LEN);
}

TEST_F(dr, err_interface_id_0)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	opt_fill(b, DR_OPT_INTERFACE_ID, 0);
	EXPECT_PARSE_B(DR_ERR_OPT_LEN);

	b->len = 0;
	msg(b, RR, 1);
	client(b);
	opt_fill(b, DR_OPT_INTERFACE_ID, 0);
	end(b);
	EXPECT_PARSE_B(DR_ERR_OPT_LEN);
}

TEST_F(dr, err_duid_lengths)
{
	static const uint16_t codes[] = {
		DR_OPT_SERVERID, DR_OPT_RELAY_ID, DR_OPT_CLIENTID,
	};
	static const uint16_t lens[] = { 0, 2, 131, 1000 };
	struct builder *b = &self->b;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		for (j = 0; j < ARRAY_SIZE(lens); j++) {
			b->len = 0;
			msg(b, RR, 1);
			if (codes[i] == DR_OPT_CLIENTID)
				begin(b, DR_OPT_CLIENT_DATA);
			opt_fill(b, codes[i], lens[j]);
			if (codes[i] == DR_OPT_CLIENTID)
				end(b);
			EXPECT_PARSE_B(DR_ERR_DUID) {
				TH_LOG("option %u, %u octets", codes[i],
				       lens[j]);
			}
		}
	}
}

TEST_F(dr, err_prefix_len)
{
	struct builder *b = &self->b;
	int plen;

	for (plen = 129; plen < 256; plen += 126) {
		b->len = 0;
		msg(b, RR, 1);
		client(b);
		ia(b, DR_OPT_IA_PD, 1);
		iaprefix(b, plen);
		end(b);
		end(b);
		end(b);
		EXPECT_PARSE_B(DR_ERR_PREFIX_LEN);
	}
}

/* ---- Errors: duplicates ------------------------------------------------- */

TEST_F(dr, err_duplicate_top_level)
{
	struct builder *b = &self->b;
	int i;

	for (i = 0; i < 4; i++) {
		b->len = 0;
		msg(b, RR, 1);
		switch (i) {
		case 0:
			opt(b, DR_OPT_SERVERID, server_duid, 14);
			opt(b, DR_OPT_SERVERID, server_duid, 14);
			break;
		case 1:
			opt(b, DR_OPT_RELAY_ID, relay_duid, 10);
			opt(b, DR_OPT_RELAY_ID, relay_duid, 10);
			break;
		case 2:
			status(b, 0);
			status(b, 0);
			break;
		case 3:
			opt(b, DR_OPT_INTERFACE_ID, "a", 1);
			opt(b, DR_OPT_INTERFACE_ID, "b", 1);
			break;
		}
		EXPECT_PARSE_B(DR_ERR_DUPLICATE) {
			TH_LOG("case %d", i);
		}
	}
}

TEST_F(dr, err_duplicate_in_client_data)
{
	struct builder *b = &self->b;
	int i;

	for (i = 0; i < 5; i++) {
		b->len = 0;
		msg(b, RR, 1);
		client(b);
		switch (i) {
		case 0:
			opt(b, DR_OPT_CLIENTID, client2_duid, 10);
			break;
		case 1:
			status(b, 0);
			status(b, 3);
			break;
		case 2:
			opt(b, DR_OPT_INTERFACE_ID, "a", 1);
			opt(b, DR_OPT_INTERFACE_ID, "a", 1);
			break;
		case 3:
			ia(b, DR_OPT_IA_NA, 5);
			end(b);
			ia(b, DR_OPT_IA_NA, 5);
			end(b);
			break;
		case 4:		/* a fifth IA that repeats one is that */
			ia(b, DR_OPT_IA_NA, 1);
			end(b);
			ia(b, DR_OPT_IA_NA, 2);
			end(b);
			ia(b, DR_OPT_IA_PD, 1);
			end(b);
			ia(b, DR_OPT_IA_PD, 2);
			end(b);
			ia(b, DR_OPT_IA_PD, 2);
			end(b);
			break;
		}
		end(b);
		EXPECT_PARSE_B(DR_ERR_DUPLICATE) {
			TH_LOG("case %d", i);
		}
	}
}

TEST_F(dr, err_duplicate_status_in_ia)
{
	struct builder *b = &self->b;

	msg(b, RRR, 1);
	client(b);
	ia(b, DR_OPT_IA_NA, 1);
	status(b, 3);
	status(b, 3);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_DUPLICATE);
}

/* The same client twice is the caller's business, not a parse error. */
TEST_F(dr, same_client_twice)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	client(b);
	end(b);
	client(b);
	end(b);
	EXPECT_PARSE_B(DR_OK);
	ASSERT_EQ(2, self->m.n_clients);
}

/* ---- Errors: too many --------------------------------------------------- */

TEST_F(dr, err_too_many_clients)
{
	struct builder *b = &self->b;
	int i;

	msg(b, RR, 1);
	for (i = 0; i < 3; i++) {
		client(b);
		end(b);
	}
	self->m.max_clients = 2;
	EXPECT_PARSE_B(DR_ERR_TOO_MANY);
	ASSERT_EQ(2, self->m.n_clients);
	ASSERT_EQ(2, self->m.max_clients);
	ASSERT_EQ(&self->clients[0], self->m.clients);

	self->m.max_clients = 3;
	EXPECT_PARSE_B(DR_OK);

	self->m.clients = NULL;
	self->m.max_clients = 0;
	EXPECT_PARSE_B(DR_ERR_TOO_MANY);
}

TEST_F(dr, err_too_many_ias)
{
	struct builder *b = &self->b;
	int i;

	msg(b, RR, 1);
	client(b);
	for (i = 0; i <= DR_MAX_CLIENT_IAS; i++) {
		ia(b, DR_OPT_IA_NA, i);
		end(b);
	}
	end(b);
	EXPECT_PARSE_B(DR_ERR_TOO_MANY);
}

TEST_F(dr, err_too_many_leases)
{
	struct builder *b = &self->b;
	int i;

	msg(b, RR, 1);
	client(b);
	ia(b, DR_OPT_IA_NA, 1);
	for (i = 0; i <= DR_MAX_IA_LEASES; i++) {
		iaaddr(b, i);
		end(b);
	}
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_TOO_MANY);
}

/* ---- Errors: no client id, unsupported ---------------------------------- */

TEST_F(dr, err_no_client_id)
{
	struct builder *b = &self->b;

	msg(b, RR, 1);
	opt_fill(b, DR_OPT_CLIENT_DATA, 0);
	EXPECT_PARSE_B(DR_ERR_NO_CLIENT_ID);

	b->len = 0;
	msg(b, RR, 1);
	begin(b, DR_OPT_CLIENT_DATA);
	status(b, 0);
	opt(b, DR_OPT_INTERFACE_ID, "eth1", 4);
	ia(b, DR_OPT_IA_NA, 1);
	iaaddr(b, 1);
	end(b);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_NO_CLIENT_ID);
	ASSERT_EQ(0, self->m.n_clients);
}

TEST_F(dr, err_unsupported)
{
	struct builder *b = &self->b;
	int i;

	for (i = 0; i < 6; i++) {
		b->len = 0;
		msg(b, RR, 1);
		client(b);
		switch (i) {
		case 0:		/* IA_TA */
			ia(b, DR_OPT_IA_TA, 1);
			end(b);
			break;
		case 1:		/* RFC 5007 style: leases straight in */
			iaaddr(b, 1);
			end(b);
			break;
		case 2:
			iaprefix(b, 56);
			end(b);
			break;
		case 3:		/* the other kind of lease */
			ia(b, DR_OPT_IA_NA, 1);
			iaprefix(b, 56);
			end(b);
			end(b);
			break;
		case 4:
			ia(b, DR_OPT_IA_PD, 1);
			iaaddr(b, 1);
			end(b);
			end(b);
			break;
		case 5:
			ia(b, DR_OPT_IA_PD, 1);
			ia(b, DR_OPT_IA_TA, 1);
			end(b);
			end(b);
			break;
		}
		end(b);
		EXPECT_PARSE_B(DR_ERR_UNSUPPORTED) {
			TH_LOG("case %d", i);
		}
	}
}

/* ---- IA_TA and RFC 5007's bare leases (DR_PARSE_ flags) ----------------- */

#define ALL_FLAGS	(DR_PARSE_IA_TA | DR_PARSE_BARE_LEASES)

TEST_F(dr, ia_ta_parsed_with_its_flag)
{
	struct builder *b = &self->b;
	const struct dr_ia *ia;

	msg(b, RR, 1);
	client(b);
	begin(b, DR_OPT_IA_TA);		/* IAID only, no T1/T2 */
	put32(b, 7);
	status(b, DR_STATUS_NO_BINDING);
	iaaddr(b, 5);
	end(b);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_UNSUPPORTED);
	self->m.parse_flags = DR_PARSE_BARE_LEASES;
	EXPECT_PARSE_B(DR_ERR_UNSUPPORTED);
	self->m.parse_flags = DR_PARSE_IA_TA;
	EXPECT_PARSE_B(DR_OK);
	ASSERT_EQ(DR_PARSE_IA_TA, self->m.parse_flags);
	ASSERT_EQ(1, self->m.n_clients);
	ASSERT_EQ(1, self->m.clients[0].n_ias);
	ia = &self->m.clients[0].ias[0];
	ASSERT_EQ(DR_OPT_IA_TA, ia->type);
	ASSERT_EQ(7, ia->iaid);
	ASSERT_TRUE(ia->has_status);
	ASSERT_EQ(DR_STATUS_NO_BINDING, ia->status);
	ASSERT_EQ(1, ia->n_leases);
	ASSERT_EQ(128, ia->leases[0].plen);
	ASSERT_EQ(5, ia->leases[0].addr[15]);

	/* an IA_TA of 3 octets, and an IAPREFIX in one */
	b->len = 0;
	msg(b, RR, 1);
	client(b);
	begin(b, DR_OPT_IA_TA);
	put8(b, 0);
	put16(b, 7);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_OPT_LEN);
	b->len = 0;
	msg(b, RR, 1);
	client(b);
	begin(b, DR_OPT_IA_TA);
	put32(b, 7);
	iaprefix(b, 56);
	end(b);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_UNSUPPORTED);
}

TEST_F(dr, bare_leases_parsed_with_their_flag)
{
	struct builder *b = &self->b;
	const struct dr_client *c;

	/* RFC 5007 4.1.2.2: IAADDR, IAPREFIX, IAADDR straight in */
	msg(b, RR, 1);
	client(b);
	iaaddr(b, 1);
	end(b);
	iaprefix(b, 56);
	status(b, DR_STATUS_NO_BINDING);
	end(b);
	iaaddr(b, 2);
	status(b, DR_STATUS_UNSPEC_FAIL);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_UNSUPPORTED);
	self->m.parse_flags = DR_PARSE_IA_TA;
	EXPECT_PARSE_B(DR_ERR_UNSUPPORTED);
	self->m.parse_flags = DR_PARSE_BARE_LEASES;
	EXPECT_PARSE_B(DR_OK);
	c = &self->m.clients[0];
	ASSERT_EQ(2, c->n_ias);
	ASSERT_EQ(DR_OPT_IAADDR, c->ias[0].type);
	ASSERT_EQ(0, c->ias[0].iaid);
	ASSERT_FALSE(c->ias[0].has_status);
	ASSERT_EQ(2, c->ias[0].n_leases);
	ASSERT_EQ(1, c->ias[0].leases[0].addr[15]);
	ASSERT_FALSE(c->ias[0].leases[0].has_status);
	ASSERT_EQ(2, c->ias[0].leases[1].addr[15]);
	ASSERT_TRUE(c->ias[0].leases[1].has_status);
	ASSERT_EQ(DR_STATUS_UNSPEC_FAIL, c->ias[0].leases[1].status);
	ASSERT_EQ(DR_OPT_IAPREFIX, c->ias[1].type);
	ASSERT_EQ(1, c->ias[1].n_leases);
	ASSERT_EQ(56, c->ias[1].leases[0].plen);
	ASSERT_TRUE(c->ias[1].leases[0].has_status);
	ASSERT_EQ(DR_STATUS_NO_BINDING, c->ias[1].leases[0].status);

	/* a Status Code in a lease of an IA is skipped, as before */
	b->len = 0;
	msg(b, RR, 1);
	client(b);
	ia(b, DR_OPT_IA_NA, 1);
	iaaddr(b, 1);
	status(b, DR_STATUS_NO_BINDING);
	end(b);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_OK);
	ASSERT_FALSE(self->m.clients[0].ias[0].leases[0].has_status);
}

TEST_F(dr, bare_lease_errors)
{
	struct builder *b = &self->b;
	int i;

	self->m.parse_flags = ALL_FLAGS;
	/* one bare lease more than a group holds */
	msg(b, RR, 1);
	client(b);
	for (i = 0; i <= DR_MAX_IA_LEASES; i++) {
		iaaddr(b, i);
		end(b);
	}
	end(b);
	EXPECT_PARSE_B(DR_ERR_TOO_MANY);
	/* a Status Code twice in one */
	b->len = 0;
	msg(b, RR, 1);
	client(b);
	iaaddr(b, 1);
	status(b, 0);
	status(b, 0);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_DUPLICATE);
	/* a group takes an IA's place: the fifth is one too many */
	b->len = 0;
	msg(b, RR, 1);
	client(b);
	iaprefix(b, 60);
	end(b);
	for (i = 0; i < DR_MAX_CLIENT_IAS; i++) {
		ia(b, DR_OPT_IA_NA, i);
		end(b);
	}
	end(b);
	EXPECT_PARSE_B(DR_ERR_TOO_MANY);
	/* a Status Code of one octet in a bare lease */
	b->len = 0;
	msg(b, RR, 1);
	client(b);
	iaprefix(b, 60);
	begin(b, DR_OPT_STATUS_CODE);
	put8(b, 0);
	end(b);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_OPT_LEN);
	/* the wrong lease in an IA stays unsupported with every flag */
	b->len = 0;
	msg(b, RR, 1);
	client(b);
	ia(b, DR_OPT_IA_PD, 1);
	iaaddr(b, 1);
	end(b);
	end(b);
	end(b);
	EXPECT_PARSE_B(DR_ERR_UNSUPPORTED);
}

TEST_F(dr, round_trip_ia_ta_and_bare_leases)
{
	struct dr_client c[2];
	struct dr_msg m;

	reply_msg(&m, c);
	c[0].n_ias = 3;
	c[0].ias[1].type = DR_OPT_IAADDR;
	c[0].ias[1].n_leases = 2;
	memcpy(c[0].ias[1].leases[0].addr, addr_100, 16);
	c[0].ias[1].leases[0].plen = 128;
	c[0].ias[1].leases[0].has_status = true;
	c[0].ias[1].leases[0].status = DR_STATUS_NO_BINDING;
	memcpy(c[0].ias[1].leases[1].addr, addr_100, 16);
	c[0].ias[1].leases[1].addr[15] = 9;
	c[0].ias[1].leases[1].plen = 128;
	c[0].ias[2].type = DR_OPT_IA_TA;
	c[0].ias[2].iaid = 258;
	c[0].ias[2].has_status = true;
	c[0].ias[2].status = DR_STATUS_UNSPEC_FAIL;
	c[1].n_ias = 1;
	c[1].ias[0].type = DR_OPT_IAPREFIX;
	c[1].ias[0].n_leases = 1;
	memcpy(c[1].ias[0].leases[0].addr, prefix_ab00, 16);
	c[1].ias[0].leases[0].plen = 56;
	c[1].ias[0].leases[0].has_status = true;
	c[1].ias[0].leases[0].status = DR_STATUS_NO_BINDING;
	self->m.parse_flags = ALL_FLAGS;
	ASSERT_ROUND_TRIP(&m);
	/* without the flags, leaseguardd's parse: unsupported */
	self->m.parse_flags = 0;
	ASSERT_EQ(DR_ERR_UNSUPPORTED,
		  dr_parse(self->out, dr_build(&m, self->out, sizeof(self->out)),
			   &self->m));
}

/* ---- Names -------------------------------------------------------------- */

TEST(err_names)
{
	static const char *const names[] = {
		"ok", "short", "opt_overrun", "opt_len", "duid", "prefix_len",
		"duplicate", "too_many", "type", "no_client_id", "unsupported",
	};
	int i;

	ASSERT_EQ(DR_ERR_COUNT, ARRAY_SIZE(names));
	for (i = 0; i < DR_ERR_COUNT; i++)
		ASSERT_STREQ(names[i], dr_err_name(i));
	ASSERT_STREQ("unknown", dr_err_name(DR_ERR_COUNT));
	ASSERT_STREQ("unknown", dr_err_name(-1));
}

/* The IANA registry's numbers, checked here once more. */
TEST(status_numbers_and_names)
{
	static const struct {
		uint16_t code;
		const char *name;
		bool clears;
	} s[] = {
		{ 0, "Success", true },
		{ 1, "UnspecFail", false },
		{ 2, "NoAddrsAvail", false },
		{ 3, "NoBinding", true },
		{ 4, "NotOnLink", false },
		{ 5, "UseMulticast", false },
		{ 6, "NoPrefixAvail", false },
		{ 7, "UnknownQueryType", false },
		{ 8, "MalformedQuery", false },
		{ 9, "NotConfigured", false },
		{ 10, "NotAllowed", false },
		{ 11, "QueryTerminated", false },
		{ 12, "unknown", false },
		{ 0xffff, "unknown", false },
	};
	unsigned int i;

	ASSERT_EQ(9, DR_STATUS_NOT_CONFIGURED);
	ASSERT_EQ(10, DR_STATUS_NOT_ALLOWED);
	ASSERT_EQ(3, DR_STATUS_NO_BINDING);
	for (i = 0; i < ARRAY_SIZE(s); i++) {
		ASSERT_STREQ(s[i].name, dr_status_name(s[i].code));
		ASSERT_EQ(s[i].clears, dr_is_success_or_nobinding(s[i].code));
	}
}

TEST_HARNESS_MAIN
